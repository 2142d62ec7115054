/*
 * door.h - the one way to change anything.
 *
 * Boundary: the door is the only code that writes leads, events, users,
 * settings, reasons or stages. The board, the command line, the importer and
 * the demo all come through here. Every change is one BEGIN IMMEDIATE
 * transaction that loads what it changes, asks the rules (rules.h), writes
 * with a compare-and-set on the lead's version, and appends exactly one
 * audit event. A refusal writes nothing and leaves the reason in lb_message().
 */
#ifndef LEADBOARD_DOOR_H
#define LEADBOARD_DOOR_H

#include <stdbool.h>
#include <stdint.h>

#include "leadboard/lead.h"
#include "leadboard/status.h"
#include "leadboard/store.h"

/* Pass as expected_version when the caller saw no particular version (the
 * command line: the transaction itself is the snapshot). */
#define DOOR_ANY_VERSION (-1)

/* A door: an actor's way to change one database. Opaque: what is inside is
 * the door's alone (src/door_impl.h). */
struct door;

/* A door for actor on store, with the wall clock; real_user is the real
 * login when --as was used (NULL or "" otherwise). NULL when memory runs out
 * (with lb_fail). */
struct door *door_open(struct store *store, const struct lb_user *actor, const char *real_user);

/* A door for the sweep (sweep.h): it acts for the agreement itself, its
 * events naming "leadboard" as the actor and real_user (the login that ran
 * it) as the real user; it needs no membership. Who may run the sweep is
 * the caller's question (rules_may_sweep). */
struct door *door_open_system(struct store *store, const char *real_user);

/* Free the door (not the store). NULL is fine. */
void door_close(struct door *door);

/* Who acts, as of the door's last change (its role may have changed since
 * it was opened; door_begin() reads it again). */
const struct lb_user *door_actor(const struct door *door);

/* Read the actor (still a member who may act), the board and the settings
 * now, in the read snapshot the caller has open (store_begin_read), as
 * door_begin() would before it queues; a client that needs them too takes
 * them from the door (door_board, door_settings) instead of reading them a
 * second time. */
enum lb_status door_preload(struct door *door);

/* The board and settings as of the door's last read of them (door_preload
 * or a change). */
const struct lb_board *door_board(const struct door *door);
const struct rules_settings *door_settings(const struct door *door);

/* The real login when --as was used, else "". */
const char *door_real_user(const struct door *door);

/* Now, UTC ms, by the door's clock. */
int64_t door_now(const struct door *door);

/* Replace the wall clock (tests, the demo and generated data replay a
 * history at its own times). */
void door_set_clock(struct door *door, int64_t (*clock)(void));

/* After each commit that appended events, hand the new head of the log to
 * witness (a shared install: witness.h); NULL: nobody. */
void door_set_witness(struct door *door, void (*witness)(int64_t seq, const char *hash));

/* From now on, an add, edit or restore through this door that would put an
 * e-mail address on the board a second time keeps both when the rules let
 * the actor (--allow-duplicate: marketing or a manager), and its event
 * names the lead that had it; refused (65, naming that lead) otherwise. */
void door_allow_duplicates(struct door *door, bool allow);

/* Fields of a lead an edit may change, as a bit mask. */
enum lead_field {
	FIELD_NAME = 1 << 0, FIELD_EMAIL = 1 << 1, FIELD_COMPANY = 1 << 2,
	FIELD_TITLE = 1 << 3, FIELD_COUNTRY = 1 << 4, FIELD_EMPLOYEES = 1 << 5,
	FIELD_SEGMENT = 1 << 6, FIELD_SOURCE = 1 << 7, FIELD_SCORE = 1 << 8,
	FIELD_PHONE = 1 << 9,
};
#define FIELD_ALL                                                                        \
	(FIELD_NAME | FIELD_EMAIL | FIELD_COMPANY | FIELD_TITLE | FIELD_COUNTRY |         \
	 FIELD_EMPLOYEES | FIELD_SEGMENT | FIELD_SOURCE | FIELD_SCORE | FIELD_PHONE)

/* Check the editable fields named in mask: lengths, UTF-8, control
 * characters, an e-mail address's shape, score 0..100, segment b2b|b2c (in
 * any case). The first problem as LB_DATA. The door stores the fields made
 * uniform (clean.h): the e-mail trimmed, the country as its ISO 3166-1
 * code when it names one. */
enum lb_status door_check_fields(const struct lead *lead, unsigned mask);

/* Add a lead. lead->stage "" means the first stage of the actor's team. On
 * success lead->id, timestamps and version are filled in. */
enum lb_status door_add(struct door *door, struct lead *lead);

/* Change the fields in mask to their values in changes. */
enum lb_status door_edit(struct door *door, const char *id, const struct lead *changes,
			 unsigned mask, int64_t expected_version);

/* Move a lead to stage to: a move inside a team, a handoff, a pass-back, or
 * (override) a manager's move the rules would refuse. reason and note may be
 * NULL. */
enum lb_status door_move(struct door *door, const char *id, const char *to, const char *reason,
			 const char *note, bool override, int64_t expected_version);

enum lb_status door_claim(struct door *door, const char *id, int64_t expected_version);
enum lb_status door_assign(struct door *door, const char *id, const char *login,
			   int64_t expected_version);
enum lb_status door_discard(struct door *door, const char *id, const char *reason,
			    const char *note, int64_t expected_version);
enum lb_status door_restore(struct door *door, const char *id, int64_t expected_version);

/* Join lead other to lead keep, two records of one person: keep's empty
 * fields are filled from other's, keep carries other's handoffs and
 * pass-backs on (its counts), and other leaves the board for LB_MERGED,
 * remembering keep. One event, a merge on other naming keep (note may be
 * NULL). For good: nothing restores a merged lead. */
enum lb_status door_merge(struct door *door, const char *keep, const char *other,
			  const char *note, int64_t keep_version, int64_t other_version);

/* A note on a lead (text required); nothing else changes but its version
 * and updated_at. */
enum lb_status door_note(struct door *door, const char *id, const char *text,
			 int64_t expected_version);

/* The owner gives a claimed lead back: unowned again, its SLA clock still
 * running from the handoff. */
enum lb_status door_release(struct door *door, const char *id, int64_t expected_version);

/* Undo the actor's own newest change to lead id (NULL: to any lead), as the
 * rules allow (RULES_UNDO). With expected_seq (0: any), refuse with
 * LB_TEMPFAIL unless that is the change undone. *undone: its seq. */
enum lb_status door_undo(struct door *door, const char *id, int64_t expected_seq,
			 int64_t *undone);

/* What door_undo() would undo, and the rules' answer, read now (no
 * change): the change in *target (seq 0: the actor has none on that lead),
 * its lead in *lead. Fails as door_undo() would before asking the rules. */
enum lb_status door_undo_preview(struct door *door, const char *id, struct lb_event *target,
				 struct lead *lead, struct rules_verdict *verdict);

/* A manager gives every open lead of from to the rep to: one assign event
 * per lead, all in one transaction. *count: how many. */
enum lb_status door_reassign(struct door *door, const char *from, const char *to, int *count);
/* A contact attempt with a lead (its owner or a manager): one contact event
 * whose reason is the channel (rules_channels), with an optional note;
 * next_step_at (0: none) plans the next step, in the future. The lead
 * counts the attempt and keeps the first and last contact's time. */
enum lb_status door_touch(struct door *door, const char *id, const char *channel,
			  const char *note, int64_t next_step_at, int64_t expected_version);

/* What the sweep did to one lead (door_sweep_lead). */
enum door_sweep_action {
	SWEEP_NOTHING,      /* it keeps the agreement now (another sweep came first) */
	SWEEP_ROUTED,       /* unclaimed past the SLA: routing gave it to a rep */
	SWEEP_ESCALATED,    /* unclaimed past the SLA, no rep took it: escalated */
	SWEEP_WAITING,      /* unclaimed, escalated before, and still no rep */
	SWEEP_RECLAIMED,    /* owned, not contacted in time: taken back */
};

struct door_sweep_result {
	enum door_sweep_action action;
	char from[LB_KEY_MAX + 1];   /* reclaimed: the rep it was taken from */
	char to[LB_KEY_MAX + 1];     /* routed (or reclaimed and routed): the rep; "": none */
};

/* The sweep's work on one lead, in one change: ask the rules whether it has
 * broken the SLA now and act as they say, one event per action (reclaim,
 * escalate, and routing's assign). A door from door_open_system(). */
enum lb_status door_sweep_lead(struct door *door, const char *id,
			       struct door_sweep_result *result);

/* Board administration (admin only, except the first user of a fresh
 * database, added by init). */
enum lb_status door_user_add(struct door *door, const char *login, enum lb_role role);
enum lb_status door_user_set_role(struct door *door, const char *login, enum lb_role role);
enum lb_status door_user_disable(struct door *door, const char *login);
enum lb_status door_user_enable(struct door *door, const char *login);
/* What routing knows of a member: away (until until, UTC ms in the future;
 * 0: until back) or back; the territories and segments they cover (NULL:
 * unchanged, "": everywhere). Admins and managers; a member says they are
 * away or back themselves (rules_check_member_routing). */
enum lb_status door_user_set_away(struct door *door, const char *login, bool away,
				  int64_t until);
enum lb_status door_user_set_coverage(struct door *door, const char *login,
				      const char *territories, const char *segments);
/* A setting, stored as rules_setting_normalize() gives it (gate_countries
 * as ISO 3166-1 codes, gate_segments as b2b/b2c). */
enum lb_status door_setting_set(struct door *door, const char *key, const char *value);
enum lb_status door_reason_add(struct door *door, const char *code, const char *label);
enum lb_status door_reason_retire(struct door *door, const char *code);
/* A new stage after the stage keyed after; NULL: after the team's last
 * stage; "": at the start of the board. Marketing stages stay before sales. */
enum lb_status door_stage_add(struct door *door, const char *key, const char *title,
			      enum lb_team team, const char *after, bool terminal);
enum lb_status door_stage_rename(struct door *door, const char *key, const char *title);
/* A stage's own idle limit: days > 0; -1: leads there never go stale; 0:
 * back to the board's sla_idle_days. */
enum lb_status door_stage_set_idle(struct door *door, const char *key, int days);

/* The first admin of a database with no users yet (leadboard init). *done
 * is false, and nothing changes, when the board has members by the time
 * the write begins (another init won the race). */
enum lb_status door_bootstrap_admin(struct door *door, const char *login, bool *done);

/*
 * Import: many leads in one transaction, all or nothing.
 * door_import_begin() opens it (and the pending table its new leads wait
 * in); door_import_add() checks and writes one lead (as door_add(), but
 * keeping lead->id and timestamps when set, and with keep_state, an admin
 * restoring an export, also the stage, owner and counters, a discarded
 * lead's too); its row reaches leads at door_import_flush(), which must run
 * before door_import_update() and door_import_end().
 * door_import_update() replaces the fields in mask of an existing lead;
 * door_import_end() commits when commit is true, else rolls everything back.
 */
enum lb_status door_import_begin(struct door *door);
enum lb_status door_import_add(struct door *door, struct lead *lead, bool keep_state);
enum lb_status door_import_flush(struct door *door);
enum lb_status door_import_update(struct door *door, const char *id, const struct lead *changes,
				  unsigned mask);
enum lb_status door_import_end(struct door *door, bool commit);

/* Inside an import: every check door_import_add() would make for lead but
 * the look-up of its e-mail on the board (the importer's: it skips or
 * updates such rows as asked), writing nothing (so that one pass lists
 * every bad row). */
enum lb_status door_import_check(struct door *door, const struct lead *lead, bool keep_state);

/* An import that writes nothing (import --dry-run): a read snapshot instead
 * of a write transaction, so it holds neither the writers' queue nor
 * SQLite's write lock, however long it takes or is stopped. Inside it,
 * door_import_add() and door_import_update() make every check and write
 * nothing, door_import_flush() does nothing; door_import_end() ends it. */
enum lb_status door_import_dry_begin(struct door *door);

#endif
