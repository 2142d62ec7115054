/*
 * rules.h - who may change what: the agreement between sales and marketing.
 *
 * Boundary: every policy decision lives here and nowhere else. Pure
 * functions: no I/O, no SQLite, no curses, no clock. Every decision is a
 * function of its arguments, so the whole rule book is tested as a table
 * (tests/test_rules.c). Clients (the board, the command line, the importer)
 * ask rules_ask() before they act and show its words; the door asks it again
 * before every write and refuses with the verdict's status and message when
 * it says no. A view that decides for itself whether a lead is ready, or
 * whether someone is a manager, is a second rule book: ask instead.
 */
#ifndef LEADBOARD_RULES_H
#define LEADBOARD_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leadboard/business_hours.h"
#include "leadboard/lead.h"
#include "leadboard/status.h"

enum lb_event_kind {
	EV_CREATE, EV_EDIT, EV_MOVE, EV_HANDOFF, EV_PASSBACK, EV_DISCARD,
	EV_RESTORE, EV_CLAIM, EV_ASSIGN, EV_OVERRIDE,
	EV_NOTE,         /* a note on a lead; nothing else changes */
	EV_RELEASE,      /* the owner gives a claimed lead back: unowned again */
	EV_UNDO,         /* reverses the event its note names (event_undo_note()) */
	EV_CONTACT,      /* a contact attempt (touch): the channel is its reason */
	EV_ESCALATE,     /* the sweep told managers of a handoff nobody took in time */
	EV_RECLAIM,      /* the sweep took a lead back from a rep who made no contact in time */
	EV_MERGE,        /* on the lead that leaves for LB_MERGED; its note names the
			    lead kept (event_merge_note()) */
	/* changes to the board itself, with no lead */
	EV_USER, EV_SETTING, EV_REASON, EV_STAGE,
	EV_COUNT
};

const char *event_kind_name(enum lb_event_kind kind);
bool event_kind_parse(const char *text, enum lb_event_kind *out);

/* How a handoff finds its rep. */
enum rules_routing {
	ROUTING_OFF,           /* it waits, unclaimed, for a claim or an assignment */
	ROUTING_ROUND_ROBIN,   /* the eligible rep whose turn is oldest */
	ROUTING_LEAST_LOADED,  /* the eligible rep with the fewest open leads */
};

const char *rules_routing_name(enum rules_routing routing);

/* Whether handoffs are routed: then one left unclaimed found no rep. */
struct rules_settings;
bool rules_routing_on(const struct rules_settings *settings);
/* The note of a merge event: "into KEEP-ID", then what was filled in the
 * kept lead ("; filled company, title") and the actor's note (": TEXT"),
 * when there are any. */
void event_merge_note(const char *keep_id, const char *filled, const char *text, char *out,
		      size_t size);

/* The id of the lead a merge event's note names (a full lower-case id);
 * false when note is not a merge's. */
bool event_merge_target(const char *note, char keep_id[LB_ID_LEN + 1]);

/* Every kind's name, comma separated ("create, edit, ..."), for messages. */
const char *event_kind_list(void);

/* The note of an undo event: "undoes event SEQ (KIND)". */
void event_undo_note(int64_t seq, enum lb_event_kind kind, char *out, size_t size);

/* The seq an undo event's note names; false when note is not one. */
bool event_undo_target(const char *note, int64_t *seq);

/* The agreement's numbers and lists (the settings table, parsed). */
struct rules_settings {
	int handoff_min_score;               /* 0: off */
	char handoff_required[LB_TEXT_MAX + 1]; /* field names, comma separated */
	int max_handoffs;                    /* handoffs allowed per lead */
	int sla_accept_hours;                /* handoff to claim; 0: overdue at once */
	int sla_sqls_per_month;              /* 0: no target */
	int sla_idle_days;                   /* 0: off */
	int max_open_per_rep;                /* 0: no limit */
	int undo_minutes;                    /* how long a change can be undone; 0: never */
	char gate_countries[LB_TEXT_MAX + 1];  /* "" : any */
	char gate_segments[LB_TEXT_MAX + 1];   /* "" : any */
	int64_t gate_employees_min;          /* -1: none */
	int64_t gate_employees_max;          /* -1: none */
	char gate_title_words[LB_TEXT_MAX + 1]; /* "" : any */
	enum rules_routing routing;
	int min_attempts;                    /* contact attempts before a no-response
						pass-back; 0: off */
	int sla_contact_hours;               /* owned to first contact; 0: off */
	struct business_hours sla_hours;     /* the hours the SLA clocks count */
	char timezone[BUSINESS_ZONE_MAX + 1];  /* of sla_hours: an IANA zone name */
};

/*
 * The one question every client asks: may this actor do this action to this
 * lead, and if so what does it need and what kind of change is it?
 *
 * A client asks ahead (request.ahead), before it has the details a person
 * types or picks (a reason, a note, an assignee): the answer then says what
 * to ask for instead of refusing for their lack, so the board knows whether
 * to open a reason picker or a justification prompt, and refuses before
 * any dialog when the actor may not act at all. The door asks the same
 * question with the details, inside its transaction, and writes only on
 * LB_OK. Refusals carry their sentence: the board's status line, the
 * command line's error and the importer's bad-row line show these words.
 *
 * A new verb (note, undo, release, contact, merge, reassign) is one more
 * action here, answered by rules_ask(), with its rows in the table of
 * tests/test_rules.c.
 */
enum rules_action {
	RULES_ADD,        /* a new lead into request.stage (NULL or "": the actor's default) */
	RULES_EDIT,       /* the lead's fields, not its stage or owner */
	RULES_MOVE,       /* to request.stage: forward, back, handoff, pass-back, override */
	RULES_CLAIM,      /* the actor takes it */
	RULES_ASSIGN,     /* a manager gives it to request.assignee */
	RULES_DISCARD,    /* off the board, with a reason */
	RULES_RESTORE,    /* a discarded lead back onto the board */
	RULES_MERGE,      /* the lead leaves for LB_MERGED, joined to request.keep */
	RULES_NOTE,       /* a note on the lead, nothing else */
	RULES_RELEASE,    /* its owner gives a claimed lead back */
	RULES_UNDO,       /* reverse request.undo, the actor's own last change */
	RULES_REASSIGN,   /* a manager moves every open lead of request.from to
			     request.assignee (lead: NULL; each lead is then an assign) */
	RULES_TOUCH,      /* a contact attempt with the lead (its owner or a manager) */
	RULES_SWEEP,      /* the sweep: has the lead broken the SLA at request.now, and
			     what happens to it (verdict.breach) */
	RULES_ACTION_COUNT
};

/* A change already in the log, as the undo question needs it. */
struct rules_change_made {
	int64_t seq;
	enum lb_event_kind kind;
	const char *actor;
	int64_t at;                      /* UTC ms */
	bool routed;                     /* an assign routing made (rules_rule_routed) */
};

struct rules_request {
	enum rules_action action;
	const char *stage;               /* RULES_MOVE; RULES_ADD (NULL: any stage, ahead) */
	const char *assignee_login;      /* RULES_ASSIGN, as the actor named it */
	const struct lb_user *assignee;  /* RULES_ASSIGN: NULL when not a board member */
	int open_count;                  /* RULES_CLAIM: open leads the actor owns */
	bool with_state;                 /* RULES_ADD: keeping the lead's id, owner, counts
					    and times (an admin restoring an export) */
	bool ahead;                      /* asked before the details below and the
					    assignee or open count are known */
	bool reason_given;               /* a valid, active reason code was named */
	bool note_given;                 /* a non-empty note */
	bool override;                   /* the actor asks to set a rule aside (--override) */
	const char *reason;              /* RULES_MOVE: the reason code named, if any */
	const struct lead *keep;         /* RULES_MERGE: the lead kept (NULL: not known
					    yet, ahead) */
	/* RULES_ADD, RULES_EDIT, RULES_RESTORE: a lead on the board with the
	   e-mail address the change would put on the board (NULL: none), and
	   whether the actor asks to add it anyway (--allow-duplicate) */
	const struct lead *duplicate_of;
	bool allow_duplicate;
	/* RULES_UNDO: the actor's own newest change to the lead (NULL: none),
	   the lead's newest change by anyone (NULL: none), and now (UTC ms);
	   RULES_SWEEP: now too */
	const struct rules_change_made *undo;
	const struct rules_change_made *latest;
	int64_t now;
	/* RULES_REASSIGN: whose open leads, as the actor named them, and
	   whether that login is a board member */
	const char *from_login;
	bool from_member;
};

/* An SLA a lead has broken (RULES_SWEEP). */
enum rules_breach {
	BREACH_NONE,
	BREACH_UNCLAIMED,     /* handed off, nobody's, past sla_accept_hours */
	BREACH_UNCONTACTED,   /* owned, no contact attempt within sla_contact_hours */
};

/* Whether a detail is asked for. */
enum rules_need { NEED_NONE, NEED_OPTIONAL, NEED_REQUIRED };

/* What kind of change an allowed action makes to the lead's place. */
enum rules_change {
	CHANGE_NONE,        /* no stage change: edit, claim, assign */
	CHANGE_NEW,         /* a new lead (add) */
	CHANGE_FORWARD,     /* to a later stage of the same team */
	CHANGE_BACK,        /* to an earlier stage of the same team */
	CHANGE_HANDOFF,     /* from marketing to sales */
	CHANGE_PASSBACK,    /* from sales back to marketing */
	CHANGE_DISCARD,     /* off the board */
	CHANGE_RESTORE,     /* back onto the board */
	CHANGE_MERGE,       /* off the board, into another lead (merge) */
	CHANGE_UNDO,        /* back to what it was before a change */
};

struct rules_verdict {
	enum lb_status status;          /* LB_OK, LB_DATA or LB_NOPERM (LB_NOINPUT: a
					   reassign from someone not on the board) */
	char message[512];              /* refused: why, in the words every client shows */
	enum lb_event_kind kind;        /* allowed: the event to log */
	enum rules_change change;
	int stage;                      /* the board index the lead goes to; -1: none
					   (discard) or it stays where it is */
	bool override;                  /* allowed only as a manager's override, on the record */
	bool terminal;                  /* into a terminal stage: the end of the funnel */
	bool owns;                      /* add: the actor owns the new lead */
	enum rules_need reason;         /* a reason code */
	enum rules_need note;           /* a free-text note */
	bool justification;             /* the note is an override's written justification */
	bool confirm;                   /* a person confirms first (a handoff, a terminal
					   stage); the door itself asks nobody */
	bool route;                     /* routing picks the lead's rep in the same change
					   (a handoff, or a breach, with routing on) */
	enum rules_breach breach;       /* RULES_SWEEP: what the lead broke */
	bool escalate;                  /* RULES_SWEEP, unclaimed: escalate it when no rep
					   takes it (not yet escalated since its handoff) */
	char rule[256];                 /* RULES_SWEEP: the rule the sweep acts under, for
					   the event ("sla: ...") */
	char overridden[512];           /* an override: the rule it sets aside ("": none);
					   an allowed duplicate: the e-mail and the lead
					   that has it */
	bool duplicate;                 /* allowed beside request.duplicate_of
					   (--allow-duplicate), on the record */
};

/* The answer to request about lead (NULL for RULES_ADD) for actor. */
struct rules_verdict rules_ask(const struct lb_board *board, const struct rules_settings *settings,
			       const struct lb_user *actor, const struct lead *lead,
			       const struct rules_request *request);

/* The settings a fresh database starts with. */
void rules_settings_defaults(struct rules_settings *settings);

/* The value a setting is stored as, in out: gate_countries as ISO 3166-1
 * alpha-2 codes ("Germany, fr" is "DE,FR"), gate_segments as b2b and b2c
 * from any of the words clean_segment() takes; others as given. LB_DATA
 * with a sentence in message for a country ISO 3166-1 does not know or a
 * segment that is neither. */
enum lb_status rules_setting_normalize(const char *key, const char *value, char *out,
				       size_t size, char *message, size_t message_size);

/* Check a setting's value and, when valid, store it in settings. Unknown
 * keys and malformed values give LB_DATA with a sentence in message. */
enum lb_status rules_setting_apply(struct rules_settings *settings, const char *key,
				   const char *value, char *message, size_t size);

/* Whether a lead meets the handoff gate. When not, unmet lists every unmet
 * criterion joined by "; " (e.g. "score 20 < 60; company missing").
 * Countries compare as ISO 3166-1 codes (country.h): a gate of DE passes
 * "Germany"; a value ISO 3166-1 does not know compares as text, in any
 * case. */
bool rules_gate_passes(const struct rules_settings *settings, const struct lead *lead,
		       char *unmet, size_t size);

/* Whether a lead is ready to hand off: in the last marketing stage, under
 * the handoff limit, and meeting the gate. When not, why (as
 * rules_gate_passes() words it, or the limit, or where the lead is) goes
 * in why. The board's ready marker and count and the detail views use this
 * one test. */
bool rules_ready_for_handoff(const struct lb_board *board, const struct rules_settings *settings,
			     const struct lead *lead, char *why, size_t size);

/* The change a move from one stage key to another makes: CHANGE_HANDOFF
 * or CHANGE_PASSBACK across the teams, CHANGE_FORWARD or CHANGE_BACK inside
 * one; CHANGE_NONE when either is not a stage of the board. What an
 * override does to a lead's counters, and what replaying it must do. */
enum rules_change rules_change_between(const struct lb_board *board, const char *from,
				       const char *to);

/* The stage handoffs leave from (the last marketing stage), or -1. */
int rules_handoff_stage(const struct lb_board *board);

/* Whether the lead's next crossing is a handoff: it sits in a marketing stage
 * (where the views say how ready it is). */
bool rules_heads_for_handoff(const struct lb_board *board, const struct lead *lead);

/* Whether user may be given leads (assign): an enabled sales rep. */
bool rules_assignable(const struct lb_user *user);

/* The contact channels of a touch, in the order the board offers them. */
extern const char *const rules_channels[];
#define RULES_CHANNEL_COUNT 4
bool rules_channel_valid(const char *channel);

/* Whether member is away at now (away, and not past away_until). */
bool rules_is_away(const struct lb_user *member, int64_t now);

/* ---- routing ------------------------------------------------------------------
 * With routing on, a handoff goes to a rep in the same change: round-robin
 * gives it to the eligible rep whose last turn is oldest (never routed
 * first; then by login), least-loaded to the one with the fewest open leads
 * (then as round-robin). The turns are kept in the database (the door
 * writes the new one), so they hold across processes, hosts and restarts,
 * and no two handoffs take the same turn. */

/* A rep routing may consider, as the store read them in the change. */
struct rules_candidate {
	const struct lb_user *user;
	int open_count;        /* open leads they own (store_open_lead_count) */
	int64_t turn;          /* their last routing turn; 0: never routed */
};

/* Whether routing may give lead to user at now: a sales rep, enabled, not
 * away, under max_open_per_rep, covering the lead's country and segment
 * (a rep with territories or segments gets only leads known to be in
 * them). When not, why goes in why. */
bool rules_route_eligible(const struct rules_settings *settings, const struct lb_user *user,
			  int open_count, const struct lead *lead, int64_t now, char *why,
			  size_t size);

/* The candidate routing gives lead to, or -1 when none is eligible.
 * exclude: a login that may not have it (the rep it was taken from). */
int rules_route_pick(const struct rules_settings *settings,
		     const struct rules_candidate *candidates, int count, const struct lead *lead,
		     const char *exclude, int64_t now);

/* The rule of a routing assign event: "routing: round-robin, turn 7", and
 * after a breach "routing: round-robin, turn 7; sla: ..." (because: the
 * sweep's rule, or NULL). */
void rules_route_rule(const struct rules_settings *settings, int64_t turn, const char *because,
		      char *out, size_t size);

/* The rule of a handoff routing found no eligible rep for: "routing found
 * no rep: round-robin", then "; " and the rule it had (before; NULL or "":
 * none). */
#define ROUTING_NO_REP_PREFIX "routing found no rep:"
void rules_route_none_rule(const struct rules_settings *settings, const char *before,
			   char *out, size_t size);

/* What an event's rule says routing did: gave the lead to a rep (an
 * assign's "routing: ..."), or found nobody for a handoff. */
bool rules_rule_routed(const char *rule);
bool rules_rule_found_no_rep(const char *rule);

/* The settings a rep's away, territories and segments are checked against:
 * LB_DATA with a sentence for a list that is not one. */
enum lb_status rules_member_lists_check(const char *territories, const char *segments,
					char *message, size_t size);

/* May actor change what routing knows of member (away, back, territories,
 * segments)? what: "away" for away and back (the member too), anything
 * else for the lists (managers and admins). */
struct rules_verdict rules_check_member_routing(const struct lb_user *actor,
					       const struct lb_user *member, const char *what);

/* May actor run the sweep? member: the actor's board membership (NULL when
 * not a member); operator: the actor runs the host or owns the database
 * file (root, the timer). */
struct rules_verdict rules_may_sweep(const struct lb_user *member, bool operator);

/* May actor see who the board's members are and their roles (user list,
 * the audit log's filter by person, the report's roles)? */
struct rules_verdict rules_may_see_members(const struct lb_user *actor);

/* Which counts the board's header shows actor: MQLs ready to hand off (the
 * team that hands off, and admins), unclaimed and overdue handoffs (everyone
 * who works or watches the sales side), and the actor's own open leads (a
 * rep). */
struct rules_watch {
	bool ready;
	bool handoffs;
	bool own;
	bool escalations;     /* handoffs the sweep escalated (managers, admins) */
};
struct rules_watch rules_watch(const struct lb_user *actor);

/* May this board member act at all (a disabled one may not)? */
struct rules_verdict rules_may_act(const struct lb_user *member);

/* May actor manage users, stages, reasons and settings? what names the thing
 * ("users", "settings") for the refusal. */
struct rules_verdict rules_check_admin(const struct lb_user *actor, const char *what);

/* May a new stage of team go after the stage at index after (-1: first)?
 * Marketing stages come first, sales stages after. */
struct rules_verdict rules_check_stage_place(const struct lb_board *board, enum lb_team team,
					     int after);

/* An enabled admin: one who keeps the board administered. */
bool rules_administers(const struct lb_user *user);

/* May a member's role or access change from before to after, with admins
 * enabled admins on the board now? The last one stays. */
struct rules_verdict rules_check_member_change(const struct lb_user *before,
					       const struct lb_user *after, int admins);

/* Events init writes on a new board (its first admin). */
#define RULES_INIT_EVENTS 1

/* May member (NULL: the runner is no member of the board) fill the board
 * with the demo's team and history? An enabled admin, on a board with no
 * leads (has_leads) and no events (events, the log's length) but the ones
 * init wrote. */
struct rules_verdict rules_check_demo(const struct lb_user *member, bool has_leads,
				      int64_t events);

/* A sales stage a rep can own a lead in: any but a terminal one. */
bool rules_open_sales_stage(const struct lb_board *board, int stage);

/* A handed-off lead waiting to be claimed: in an open sales stage, unowned. */
bool rules_awaits_claim(const struct lb_board *board, const struct lead *lead);

/* A handoff at or before this time, still unclaimed at now_ms, is overdue:
 * sla_accept_hours of business hours (sla_hours, timezone) before now_ms. */
int64_t rules_overdue_before(const struct rules_settings *settings, int64_t now_ms);

/* Whether a handoff claimed (or assigned) at claimed_at met sla_accept_hours
 * of business hours. */
bool rules_claimed_in_time(const struct rules_settings *settings, int64_t handed_off_at,
			   int64_t claimed_at);

/* Whether sla_contact_hours is on. */
bool rules_contact_sla_on(const struct rules_settings *settings);

/* A lead owned since this time or before, with no contact attempt since,
 * has broken sla_contact_hours at now_ms (business hours). */
int64_t rules_uncontacted_before(const struct rules_settings *settings, int64_t now_ms);

/* Whether a contact at contacted_at (0: none yet) of a lead owned since
 * owned_at met sla_contact_hours. */
bool rules_contacted_in_time(const struct rules_settings *settings, int64_t owned_at,
			     int64_t contacted_at);

/* A handed-off lead its owner got and has not contacted within
 * sla_contact_hours, still in the stage handoffs arrive in. */
bool rules_is_uncontacted(const struct lb_board *board, const struct rules_settings *settings,
			  const struct lead *lead, int64_t now_ms);

/* A lead awaiting a claim that the sweep escalated since its handoff. */
bool rules_is_escalated(const struct lb_board *board, const struct lead *lead);

/* Whether the lead's next step is due at now_ms (planned, and now or past). */
bool rules_is_due(const struct lead *lead, int64_t now_ms);

/* The idle limit of a stage, in days: its own, or sla_idle_days; 0: off. */
int rules_idle_days(const struct lb_board *board, const struct rules_settings *settings,
		    int stage);

/* A handed-off lead nobody claimed within sla_accept_hours. */
bool rules_is_overdue(const struct lb_board *board, const struct rules_settings *settings,
		      const struct lead *lead, int64_t now_ms);

/* A lead in a sales stage with no change for its stage's idle limit
 * (rules_idle_days). */
bool rules_is_stale(const struct lb_board *board, const struct rules_settings *settings,
		    const struct lead *lead, int64_t now_ms);

/* The short form of an id used in messages (first 8 characters). */
void rules_short_id(const char *id, char out[9]);

/* How messages name a lead: its short id and its name, cut to 40 columns
 * ("3f2a9c1e (Ana García)"); the short id alone when it has no name. */
#define RULES_LABEL_SIZE 200
void rules_lead_label(const struct lead *lead, char out[RULES_LABEL_SIZE]);

#endif
