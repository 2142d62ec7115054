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

struct door {
	struct store *store;
	struct lb_user actor;               /* who acts (after --as) */
	char real_user[LB_KEY_MAX + 1];     /* the real login when --as was used, else "" */
	int64_t (*clock)(void);             /* now, UTC ms; time_now_ms unless a test or
					       the demo sets its own */
	/* private: the board and settings as read inside the open transaction */
	struct lb_board board;
	struct rules_settings settings;
	bool in_import;
	bool dry_run;                       /* an import that checks and writes nothing */
};

/* A door for actor on store, with the wall clock. */
void door_init(struct door *door, struct store *store, const struct lb_user *actor,
	       const char *real_user);

/* Fields of a lead an edit may change, as a bit mask. */
enum lead_field {
	FIELD_NAME = 1 << 0, FIELD_EMAIL = 1 << 1, FIELD_COMPANY = 1 << 2,
	FIELD_TITLE = 1 << 3, FIELD_COUNTRY = 1 << 4, FIELD_EMPLOYEES = 1 << 5,
	FIELD_SEGMENT = 1 << 6, FIELD_SOURCE = 1 << 7, FIELD_SCORE = 1 << 8,
};

/* Check the editable fields named in mask: lengths, UTF-8, control
 * characters, score 0..100, segment b2b|b2c. The first problem as LB_DATA. */
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

/* Board administration (admin only, except the first user of a fresh
 * database, added by init). */
enum lb_status door_user_add(struct door *door, const char *login, enum lb_role role);
enum lb_status door_user_set_role(struct door *door, const char *login, enum lb_role role);
enum lb_status door_user_disable(struct door *door, const char *login);
enum lb_status door_user_enable(struct door *door, const char *login);
enum lb_status door_setting_set(struct door *door, const char *key, const char *value);
enum lb_status door_reason_add(struct door *door, const char *code, const char *label);
enum lb_status door_reason_retire(struct door *door, const char *code);
/* A new stage after the stage keyed after; NULL: after the team's last
 * stage; "": at the start of the board. Marketing stages stay before sales. */
enum lb_status door_stage_add(struct door *door, const char *key, const char *title,
			      enum lb_team team, const char *after, bool terminal);
enum lb_status door_stage_rename(struct door *door, const char *key, const char *title);

/* The first admin of a database with no users yet (leadboard init). *done
 * is false, and nothing changes, when the board has members by the time
 * the write begins (another init won the race). */
enum lb_status door_bootstrap_admin(struct door *door, const char *login, bool *done);

/*
 * Import: many leads in one transaction, all or nothing.
 * door_import_begin() opens it; door_import_lead() checks and writes one
 * lead (as door_add, but keeping lead->id and timestamps when set, and the
 * stage, owner and counters when keep_state); door_import_update() replaces
 * the fields in mask of an existing lead; door_import_end() commits when
 * commit is true, else rolls everything back.
 */
enum lb_status door_import_begin(struct door *door);
enum lb_status door_import_lead(struct door *door, struct lead *lead, bool keep_state);
enum lb_status door_import_update(struct door *door, const char *id, const struct lead *changes,
				  unsigned mask);
enum lb_status door_import_end(struct door *door, bool commit);

/* Inside an import: every check door_import_add() would make for lead,
 * writing nothing (so that one pass lists every bad row). */
enum lb_status door_import_check(struct door *door, const struct lead *lead, bool keep_state);

/* door_import_begin() for door_import_add(): also opens the staging table
 * its leads wait in until door_import_flush(). */
enum lb_status door_import_bulk_begin(struct door *door);

/* Inside a bulk import: what door_import_lead() does, with the same checks
 * (door_import_check()) and one create event per lead, and with keep_state
 * (an admin restoring an export) also for a discarded lead, off the board
 * as it was. The lead row itself reaches leads at door_import_flush(): run
 * it before door_import_update() and before door_import_end(). */
enum lb_status door_import_add(struct door *door, struct lead *lead, bool keep_state);

/* An import that writes nothing (import --dry-run): a read snapshot instead
 * of a write transaction, so it holds neither the writers' queue nor
 * SQLite's write lock, however long it takes or is stopped. Inside it,
 * door_import_add() and door_import_update() make every check and write
 * nothing, door_import_flush() does nothing; door_import_end() ends it. */
enum lb_status door_import_dry_begin(struct door *door);

/* Every lead door_import_add() staged, into leads in one statement. */
enum lb_status door_import_flush(struct door *door);

#endif
