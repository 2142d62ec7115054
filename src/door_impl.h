/*
 * door_impl.h - what a door is and the steps every change through it
 * shares. Only for src/door*.c: everyone else holds a struct door * and
 * uses door.h.
 */
#ifndef LEADBOARD_DOOR_IMPL_H
#define LEADBOARD_DOOR_IMPL_H

#include "leadboard/door.h"
#include "leadboard/rules.h"

struct door {
	struct store *store;
	struct lb_user actor;               /* who acts (after --as) */
	char real_user[LB_KEY_MAX + 1];     /* the real login when --as was used, else "" */
	int64_t (*clock)(void);             /* now, UTC ms */
	void (*witness)(int64_t seq, const char *hash);   /* NULL: nobody (door_commit) */
	/* the board and settings as of the open transaction (door_begin) */
	struct lb_board board;
	struct rules_settings settings;
	bool loaded;                        /* actor, board and settings read ... */
	int64_t board_mark;                 /* ... as of this store_board_mark() */
	bool in_import;
	bool system;                        /* the sweep: acts for the agreement, no member */
	bool import_board_empty;            /* the board had no leads when the import began */
	bool allow_duplicate;               /* door_allow_duplicates() */
	char undo_buf[32 * 1024];           /* a lead's undo_state being written or read */
	bool dry_run;                       /* an import that checks and writes nothing */
	int attempt;                        /* door_again(): runs of this change so far */
};

/* The login the sweep's events name as their actor (door_open_system()). */
#define DOOR_SYSTEM_ACTOR "leadboard"

/* How many times one change runs before a conflict is the caller's (75). */
#define DOOR_ATTEMPTS 5

/* BEGIN IMMEDIATE, with the actor (still a member, not disabled), the
 * board and the settings as of this transaction: read before queueing and
 * read again inside only when an admin changed them since. */
enum lb_status door_begin(struct door *door);

/* The actor (still a member, not disabled), the board and the settings as
 * of the transaction just begun (a write, or a dry run's read); rolls it
 * back on failure. */
enum lb_status door_reload(struct door *door);

/* Commit when st is LB_OK, otherwise roll back; returns the outcome. */
enum lb_status door_finish(struct door *door, enum lb_status st);

/* Whether the change that ended with st should run again, whole, from
 * door_begin(): it met a serialization failure or a deadlock (the server
 * rolled it back) and has run fewer than DOOR_ATTEMPTS times. Pauses a
 * moment first. When the attempts are spent, the failure says so. */
bool door_again(struct door *door, enum lb_status st);

/* One change, run inside a transaction by door_run_change(): arg holds
 * what the caller asked and where its answers go. */
typedef enum lb_status door_change_fn(struct door *door, const void *arg);

/* Run change in a transaction of its own (door_begin(), change,
 * door_finish()), and again, whole, while door_again() says so. */
enum lb_status door_run_change(struct door *door, door_change_fn *change, const void *arg);

/* What a caller asks of one lead: which lead, at the version they saw
 * (DOOR_ANY_VERSION: whatever it is now), and the words of the verb that
 * take any (a move's stage, reason and override; an assignee; a note). */
struct lead_verb {
	const char *id;
	int64_t expected_version;
	const char *stage;
	const char *reason;
	const char *note;
	const char *login;
	bool override;
};

/* One change to one lead on its way through the door. */
struct lead_change {
	int64_t now;                    /* when it happens: set before loading */
	struct lead lead;               /* as loaded, then as it will be written */
	struct lead before;             /* as loaded: what an undo puts back */
	struct rules_verdict verdict;   /* the rules' answer */
	struct lb_event event;          /* the change's event, once allowed */
};

/* The first step of a change to lead id: load it into change->lead (as
 * door_load_lead() does) and keep it as change->before. */
enum lb_status door_change_load(struct door *door, const char *id, int64_t expected_version,
				struct lead_change *change);

/* The next, once what the lead decides is checked: ask the rules about
 * request on change->lead and refuse as they say, else start the event of
 * the kind they name, at change->now, with the rule the verdict sets aside
 * (an override, an allowed duplicate). */
enum lb_status door_change_ask(struct door *door, struct lead_change *change,
			       const struct rules_request *request);

/* Commit, then hand the head of the log to door->witness when this
 * transaction appended an event. */
enum lb_status door_commit(struct door *door);

/* The create event of lead, with a note stating where it starts when that
 * is not where a fresh lead starts (replay_start_note()). */
void door_create_event(struct door *door, struct lb_event *event, const struct lead *lead,
		       int64_t now);

/* Resolve id (full or prefix), load the lead, and when expected_version is
 * not DOOR_ANY_VERSION refuse with LB_TEMPFAIL saying who changed it. */
enum lb_status door_load_lead(struct door *door, const char *id, int64_t expected_version,
			      struct lead *lead);

/* An event by the door's actor at now, about lead (may be NULL). */
void door_event_init(struct door *door, struct lb_event *event, enum lb_event_kind kind,
		     const struct lead *lead, int64_t now);

/* Append event (filling its seq), then write after over before's version
 * (the one the change read) with what undoing it puts back (before,
 * door_undo.c): every field when all_fields, else the state columns only. */
enum lb_status door_write_change(struct door *door, const struct lead *before, struct lead *after,
				 struct lb_event *event, bool all_fields);

/* The change an undo of lead id (NULL: the actor's newest anywhere within
 * undo_minutes) is about, and its lead; target->seq 0 when the actor has
 * not changed that lead. */
enum lb_status door_undo_target(struct door *door, const char *id, struct lb_event *target,
				struct lead *lead);

/* The rules' verdict on request, for the door's actor on its board and
 * settings as loaded for this change. */
struct rules_verdict door_rules_ask(struct door *door, const struct lead *lead,
				    const struct rules_request *request);

/* The rules' answer to undoing target (seq 0: none) on lead at now. */
struct rules_verdict door_ask_undo(struct door *door, const struct lead *lead,
				   const struct lb_event *target, int64_t now);

/* What undoing the change of event seq puts back: before, as text. */
enum lb_status door_undo_state(int64_t seq, const struct lead *before, char *out, size_t size);

/* A verdict's refusal as the door's failure. */
enum lb_status door_refuse(const struct rules_verdict *verdict);

/* A note given with a change: valid text, at most LB_TEXT_MAX bytes; NULL
 * is fine. */
enum lb_status door_check_note(const char *note);

/* Whether a note says anything: more than spaces, tabs and newlines
 * (what the rules call a note given). */
bool door_note_given(const char *note);

/* A reason code named for a change: it must exist and be active. NULL or ""
 * is fine (the rules decide whether one is needed). */
enum lb_status door_check_reason(struct door *door, const char *code);

/* A stage key, reason code or login: 1..LB_KEY_MAX of [A-Za-z0-9._-], not
 * starting with '-'. */
enum lb_status door_check_key(const char *what, const char *key);

/* Make the fields in mask uniform before they are checked and stored
 * (clean.h): the e-mail trimmed, the country as its ISO 3166-1 code when
 * it names one, the segment in lower case. */
void door_clean_fields(struct lead *lead, unsigned mask);

/* A lead on the board other than except_id whose e-mail is email's (its
 * key: clean_email_key()); *found false when none. */
enum lb_status door_find_duplicate(struct door *door, const char *email, const char *except_id,
				   struct lead *duplicate, bool *found);

/* The rules' answer to adding lead (into lead->stage; "": the actor's
 * default stage), with_state when it keeps its id, owner, counts and times;
 * duplicate_of: the lead on the board with its e-mail, or NULL. */
struct rules_verdict door_ask_add(struct door *door, const struct lead *lead, bool with_state,
				  const struct lead *duplicate_of);

/* What a new lead gets from the door: an id when it has none, version 1,
 * times now, no counters, no owner (the actor when owns: the verdict's). */
void door_fill_new_state(struct door *door, struct lead *lead, bool owns, int64_t now);

/* Insert a checked lead and its create event; inside a transaction. rule:
 * the rule an allowed duplicate set aside (the verdict's words), or NULL. */
enum lb_status door_insert_new(struct door *door, const struct lead *lead, int64_t now,
			       const char *rule);

/* Routing (door_route.c): give lead, just written at lead->version, to the
 * rep routing picks at now (not exclude), as an assign event of its own
 * whose rule names the routing and its turn, and because (the sweep's rule,
 * or NULL). *routed (may be NULL): whether a rep took it. */
enum lb_status door_route(struct door *door, struct lead *lead, const char *exclude,
			  const char *because, int64_t now, bool *routed);

/* door_route in two steps, for a handoff whose own event says when routing
 * found nobody: the rep routing picks for lead at now (rep ""; none), then
 * the assign to them. */
enum lb_status door_route_pick(struct door *door, const struct lead *lead, const char *exclude,
			       int64_t now, char rep[LB_KEY_MAX + 1]);
enum lb_status door_route_assign(struct door *door, struct lead *lead, const char *rep,
				 const char *because, int64_t now);

/* Append event, then write lead's changed state over before's version,
 * keeping before for an undo (door_write_change, state columns only). */
enum lb_status door_save(struct door *door, const struct lead *before, struct lead *lead,
			 struct lb_event *event);

/* A lead brought in with its state (an admin restoring an export): ids in
 * lower case, and the times and version it lacks taken from now. */
void door_fill_kept_state(struct lead *lead, int64_t now);

#endif
