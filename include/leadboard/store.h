/*
 * store.h - the database: the only code that holds SQL.
 *
 * Boundary: the store opens a SQLite file (WAL, busy timeout, foreign keys,
 * synchronous=FULL) or connects to PostgreSQL (a postgresql:// URI or a
 * conninfo string, through src/db.h), migrates it from the schema compiled
 * in from schema.sql or schema_pg.sql,
 * keeps its prepared statements for the life of the connection, and answers
 * queries for the views and commands. Its write functions are for the door
 * (door.h) alone, inside a transaction the door opened; nothing else calls
 * store_write_* or store_insert_* / store_update_* / store_append_event.
 */
#ifndef LEADBOARD_STORE_H
#define LEADBOARD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "leadboard/lead.h"
#include "leadboard/rules.h"
#include "leadboard/status.h"

struct store;

/* One row of the audit log. */
struct lb_event {
	int64_t seq;
	int64_t at;
	char actor[LB_KEY_MAX + 1];
	char real_user[LB_KEY_MAX + 1];
	char lead_id[LB_ID_LEN + 1];
	char kind[16];
	char from_stage[LB_KEY_MAX + 1];
	char to_stage[LB_KEY_MAX + 1];
	char reason[LB_KEY_MAX + 1];
	char note[4 * LB_TEXT_MAX + 1];
	char rule[512];
	char prev_hash[65];
	char hash[65];
	/* not part of the event: its lead's name now, when a query asked for it */
	char lead_name[LB_TEXT_MAX + 1];
};

struct lb_reason {
	char code[LB_KEY_MAX + 1];
	char label[LB_TEXT_MAX + 1];
	bool active;
};

enum store_open_mode {
	STORE_OPEN_EXISTING,   /* the file must exist and be a leadboard database */
	STORE_OPEN_CREATE,     /* create it (and its directory) when missing */
};

/* For a process that runs commands for others (a resident): the command's
 * own process went away, so its wait for the writers' queue gives up (now,
 * when it begins, or as its turn comes) and nothing is changed
 * (LB_TEMPFAIL). Async-signal-safe. store_wait_again() before the next
 * command. (On PostgreSQL the wait for the chain's lock is the server's,
 * and is not given up.) */
void store_give_up_waiting(void);
void store_wait_again(void);

/* Whether path names a PostgreSQL database (a URI or conninfo), not a file. */
bool store_target_is_postgres(const char *path);

/* Open (and when needed create or migrate) the database at path. On failure
 * *out is NULL and the message says what is wrong with the file. */
enum lb_status store_open(const char *path, enum store_open_mode mode, struct store **out);

/* Finalize every statement and close. NULL is fine. */
void store_close(struct store *store);

/* What to call the database in messages: the file's path, or "PostgreSQL
 * database NAME" (never a connection string, which may hold a password).
 * A path is the user's text: print it through text_sanitize(). */
const char *store_label(const struct store *store);

/* A short name for the board's title: the file's name without its
 * directory and .db, or the PostgreSQL database's name. */
void store_board_name(const struct store *store, char *out, size_t size);

/* The file SQLite has open, as fstat(2) of the descriptor it opened (not
 * looked up again by name); NULL when that could not be told, and always
 * on PostgreSQL (there is no file). */
const struct stat *store_file(const struct store *store);

/* Whether the database was opened read-only: reading works,
 * store_begin_write() refuses saying why. On SQLite the file, its folder or
 * its file system cannot be written; on PostgreSQL the server accepts no
 * changes (a standby, default_transaction_read_only) or the role may not
 * add events. */
bool store_read_only(const struct store *store);

/* Whether store_open() created the schema just now (a fresh database). */
bool store_was_created(const struct store *store);

/* The schema version the binary carries (highest migration in schema.sql). */
int store_schema_version(void);

/* ---- transactions -------------------------------------------------------- */

/* BEGIN IMMEDIATE, waiting out other writers (LB_TEMPFAIL after ~30 s). */
enum lb_status store_begin_write(struct store *store);

/* A consistent snapshot for several reads; end it with store_end_read(). */
enum lb_status store_begin_read(struct store *store);
void store_end_read(struct store *store);

/* COMMIT, retried while busy; rolls back and fails otherwise. */
enum lb_status store_commit(struct store *store);

/* ROLLBACK whatever is open; safe when nothing is. */
void store_rollback(struct store *store);

/* Prepare the statements nearly every change runs, so that a writer
 * prepares nothing while it holds the writers' queue (door_begin() calls
 * it before queueing). Cheap after the first call. */
void store_prepare_change(struct store *store);

/* The seq of the newest event that changed the board itself (users,
 * stages, reasons, settings: an event naming no lead), 0 when none: while
 * it stays the same, so do they (door_admin.c writes one with each such
 * change). */
enum lb_status store_board_mark(struct store *store, int64_t *out);

/* Whether the change begun by the last store_begin_write() failed because
 * the server found it in conflict with another transaction (a
 * serialization failure or a deadlock, PostgreSQL only): it was rolled
 * back whole and may run again from its start. */
bool store_change_conflicted(const struct store *store);

/* A number that changes when another connection commits: PRAGMA
 * data_version on SQLite; on PostgreSQL the count of change notifications
 * received (the first call starts listening for them). LB_TEMPFAIL when the
 * server cannot be reached. */
enum lb_status store_data_version(struct store *store, int64_t *out);

/* A descriptor that becomes readable when another connection may have
 * committed, once store_data_version() was called: on PostgreSQL when a
 * change notification arrives, on SQLite when the WAL is written (an
 * inotify watch); store_data_version() then says and empties it. -1 when
 * there is none to wait on (ask store_data_version() on a timer). */
int store_wait_fd(struct store *store);

/* PostgreSQL: the newest seq a change notification carried (each commit
 * notifies the seq it appended; INT64_MAX after one that named none, until
 * store_notified_forget()); -1 on SQLite. */
int64_t store_notified_seq(const struct store *store);

/* Forget what the notifications said: the board has read everything. */
void store_notified_forget(struct store *store);

/* A number that changes when the schema does (a migration). */
enum lb_status store_schema_mark(struct store *store, int64_t *out);

/* The change feed: what a board needs of each event after seq after, in
 * seq order, at most limit of them; fn returning non-zero stops. An event
 * that names no lead (lead_id "") changed the board itself. */
struct store_change {
	int64_t seq;
	char lead_id[LB_ID_LEN + 1];
	char kind[24];
	char from_stage[LB_KEY_MAX + 1];
	char to_stage[LB_KEY_MAX + 1];
};
enum lb_status store_changes_each(struct store *store, int64_t after, int limit,
				  int (*fn)(const struct store_change *change, void *ctx),
				  void *ctx);

/* After LB_TEMPFAIL "cannot reach the database": connect again (PostgreSQL;
 * a no-op on SQLite). LB_TEMPFAIL while the server is still away. */
enum lb_status store_reconnect(struct store *store);

/* For a board's idle moments: copy the WAL back into the database file when
 * it has run a few MiB ahead (a checkpoint that never waits for anyone),
 * and start a long WAL over. Costs next to nothing when there is nothing to
 * do; a no-op on PostgreSQL. */
void store_checkpoint(struct store *store);

/* For a resident between commands: copy the WAL back without waiting for
 * anyone and never starting it over (the next commit does that when all of
 * it is copied back). With no command waiting, once a few hundred KiB are
 * behind; with commands waiting (others_waiting), only once it has run a
 * few MiB ahead, since they would wait for it. */
void store_copy_back(struct store *store, bool others_waiting);

/* ---- board, users, settings, reasons ------------------------------------- */

enum lb_status store_load_board(struct store *store, struct lb_board *board);
enum lb_status store_load_settings(struct store *store, struct rules_settings *settings);

/* Each setting in key order; fn returning non-zero stops. */
enum lb_status store_settings_each(struct store *store,
				   int (*fn)(const char *key, const char *value, void *ctx),
				   void *ctx);

/* LB_NOINPUT when the key does not exist. */
enum lb_status store_get_setting(struct store *store, const char *key, char *value, size_t size);

/* LB_NOINPUT when login is not a board member. */
enum lb_status store_get_user(struct store *store, const char *login, struct lb_user *user);
enum lb_status store_users_each(struct store *store,
				int (*fn)(const struct lb_user *user, void *ctx), void *ctx);
/* How many users there are (0 on a database nobody joined yet). */
enum lb_status store_user_count(struct store *store, int *out);

/* LB_NOINPUT when there is no such code. */
enum lb_status store_get_reason(struct store *store, const char *code, struct lb_reason *reason);
enum lb_status store_reasons_each(struct store *store, bool active_only,
				  int (*fn)(const struct lb_reason *reason, void *ctx), void *ctx);

/* ---- leads ---------------------------------------------------------------- */

/* Resolve a full id or a unique prefix (at least LB_ID_PREFIX_MIN characters)
 * to a full id. LB_NOINPUT when none matches, LB_USAGE when it is too short
 * or ambiguous (the message lists the candidates). */
enum lb_status store_resolve_id(struct store *store, const char *prefix, char id[LB_ID_LEN + 1]);

/* LB_NOINPUT when there is no lead with this full id. */
enum lb_status store_get_lead(struct store *store, const char *id, struct lead *lead);

/* Leads owned by login in open (non-terminal) sales stages. */
enum lb_status store_open_lead_count(struct store *store, const char *login, int *out);

/* Those leads, oldest in their stage first. fn returning non-zero stops. */
enum lb_status store_open_leads_of(struct store *store, const char *login,
				   int (*fn)(const struct lead *lead, void *ctx), void *ctx);

/* Every member's open leads (as store_open_lead_count()), one call each. */
enum lb_status store_open_counts_each(struct store *store,
				      int (*fn)(const char *login, int64_t count, void *ctx),
				      void *ctx);

/* The newest event about a lead (for "moved by alice to SQL 10 s ago").
 * LB_NOINPUT when the lead has none. */
enum lb_status store_last_event(struct store *store, const char *lead_id, struct lb_event *event);

/* The newest event by actor: about lead_id, or (lead_id NULL) about any
 * lead at or after since. LB_NOINPUT when there is none. */
enum lb_status store_last_change_by(struct store *store, const char *actor, const char *lead_id,
				    int64_t since, struct lb_event *event);

/* The oldest lead on the board (not discarded, not merged) other than
 * except_id (NULL: none) whose e-mail has the key clean_email_key() gives
 * for email: trimmed, ASCII case folded. LB_NOINPUT (with no message) when
 * there is none. */
enum lb_status store_find_email_on_board(struct store *store, const char *email,
					 const char *except_id, struct lead *found);

struct store_lead_filter {
	const char *stage;     /* NULL: every stage on the board (not discarded) */
	const char *owner;     /* NULL: anyone */
	const char *search;    /* NULL: no search (search.h: words, @owner) */
	bool recycled;         /* only leads passed back at least once */
	bool unclaimed;        /* only leads waiting for a claim (rules_awaits_claim) */
	int64_t limit;         /* 0: no limit */
};

/* Matching leads in funnel order, longest in stage first (recycled: oldest
 * first). fn returning non-zero stops. */
enum lb_status store_leads_each(struct store *store, const struct store_lead_filter *filter,
				int (*fn)(const struct lead *lead, void *ctx), void *ctx);

/* Lead count per stage, in board order, plus discarded. */
enum lb_status store_stage_counts(struct store *store, const struct lb_board *board,
				  int64_t counts[LB_MAX_STAGES], int64_t *discarded);

/* ---- the audit log ------------------------------------------------------- */

struct store_event_filter {
	const char *lead_id;   /* full id: its events and those of the leads merged
				  into it (leadboard merge), at any depth */
	const char *actor;
	const char *kind;
	const char *stage;     /* from or to */
	const char *reason;
	int64_t since;         /* at >= since; 0: from the start */
	int64_t until;         /* at < until; 0: to the end */
	int64_t after_seq;     /* seq > after_seq */
	bool newest_first;
	int64_t limit;         /* 0: no limit */
	bool lead_names;       /* fill each event's lead_name */
};

/* Matching events, oldest first unless newest_first. fn returning non-zero stops. */
enum lb_status store_events_each(struct store *store, const struct store_event_filter *filter,
				 int (*fn)(const struct lb_event *event, void *ctx), void *ctx);

/* The highest seq (0 when the log is empty). */
enum lb_status store_last_seq(struct store *store, int64_t *out);

/* PRAGMA integrity_check; LB_DATA with its first complaint when not "ok". */
enum lb_status store_integrity_check(struct store *store);

/* ---- stored values, for verify (src/store_verify.c) ----------------------
 * What SQLite holds, byte for byte: the hash and verify's checks must see a
 * real where an integer belongs and the text after a NUL. */

enum store_type { STORE_NULL, STORE_INTEGER, STORE_REAL, STORE_TEXT, STORE_BLOB };

struct store_value {
	enum store_type type;
	int64_t integer;      /* STORE_INTEGER */
	double real;          /* STORE_REAL */
	const char *bytes;    /* STORE_TEXT, STORE_BLOB: len bytes (NULs included),
				 followed by a NUL; "" for the others */
	size_t len;
};

/* The columns of an events row, in the order the hash takes them: every
 * column but hash itself, which comes last. */
enum store_event_column {
	EVENT_COL_SEQ, EVENT_COL_AT, EVENT_COL_ACTOR, EVENT_COL_REAL_USER, EVENT_COL_LEAD_ID,
	EVENT_COL_KIND, EVENT_COL_FROM_STAGE, EVENT_COL_TO_STAGE, EVENT_COL_REASON,
	EVENT_COL_NOTE, EVENT_COL_RULE, EVENT_COL_HASH_SCHEME, EVENT_COL_PREV_HASH,
	EVENT_COL_HASH, EVENT_COL_COUNT
};

/* The columns of a lead that its events determine. */
enum store_lead_state_column {
	LEAD_COL_ID, LEAD_COL_STAGE, LEAD_COL_OWNER, LEAD_COL_RECYCLE_COUNT,
	LEAD_COL_HANDOFF_COUNT, LEAD_COL_LAST_REASON, LEAD_COL_LAST_NOTE, LEAD_COL_VERSION,
	LEAD_COL_CREATED_AT, LEAD_COL_UPDATED_AT, LEAD_COL_STAGE_ENTERED_AT,
	LEAD_COL_HANDED_OFF_AT, LEAD_COL_MERGED_INTO, LEAD_COL_CONTACT_ATTEMPTS,
	LEAD_COL_FIRST_CONTACT_AT, LEAD_COL_LAST_CONTACT_AT, LEAD_COL_NEXT_STEP_AT,
	LEAD_COL_OWNER_SINCE, LEAD_COL_ESCALATED_AT, LEAD_COL_COUNT
};

/* Every events row as stored, in seq order (values valid only during the
 * callback). fn returning non-zero stops. */
enum lb_status store_events_stored_each(struct store *store,
					int (*fn)(const struct store_value row[EVENT_COL_COUNT],
						  void *ctx),
					void *ctx);

/* Every lead's state columns as stored, discarded leads too. */
enum lb_status store_lead_states_each(struct store *store,
				      int (*fn)(const struct store_value row[LEAD_COL_COUNT],
						void *ctx),
				      void *ctx);

/* Compare the database's triggers with the compiled schema's: fn(name,
 * problem) for each trigger the schema defines that is missing or differs
 * (whitespace aside), and each trigger the schema does not define.
 * *defined gets how many the schema defines. */
enum lb_status store_check_triggers(struct store *store,
				    void (*fn)(const char *name, const char *problem, void *ctx),
				    void *ctx, int *defined);

/* Since the last store_begin_write(): the newest event this connection
 * appended (false when none), so that a committed head can be witnessed. */
bool store_appended_head(const struct store *store, int64_t *seq, char hash[65]);

/* The events this connection appended since the last store_begin_write(),
 * newest first, as the log holds them (what a command says it did, not
 * what anyone appended after it); fn returning non-zero stops. */
enum lb_status store_appended_each(struct store *store,
				   int (*fn)(const struct lb_event *event, void *ctx), void *ctx);

/* ---- writes: for the door only, inside store_begin_write() --------------- */

enum lb_status store_insert_lead(struct store *store, const struct lead *lead);

/* Write every field of lead where the stored version is expected_version and
 * bump the version (lead->version is set to the new one), with undo_state:
 * what undoing this change puts back (door_undo.c; NULL: it cannot be
 * undone). LB_TEMPFAIL when the stored version differs (someone changed it
 * first). */
enum lb_status store_update_lead(struct store *store, struct lead *lead, int64_t expected_version,
				 const char *undo_state);

/* The same for a change of stage, owner, counters, last reason and times
 * only (the lead's other fields are not written). */
enum lb_status store_update_lead_state(struct store *store, struct lead *lead,
				       int64_t expected_version, const char *undo_state);

/* What undoing the lead's newest change puts back ("" when it cannot be
 * undone), as the door wrote it. */
enum lb_status store_get_undo_state(struct store *store, const char *id, char *out, size_t size);

/* Append an event: fills seq, prev_hash and hash (audit.h). */
enum lb_status store_append_event(struct store *store, struct lb_event *event);

enum lb_status store_write_user(struct store *store, const struct lb_user *user);
enum lb_status store_write_setting(struct store *store, const char *key, const char *value);
enum lb_status store_write_reason(struct store *store, const struct lb_reason *reason);
enum lb_status store_write_stage(struct store *store, const struct lb_stage *stage);

/* ---- routing (src/store_admin.c) ------------------------------------------
 * For the door, inside its change: the reps routing may consider and the
 * turns it hands out. The door's write lock (SQLite's, or the chain's
 * advisory lock on PostgreSQL) serialises every change, so two handoffs
 * never read the same last turn. */

/* A rep as routing sees them: the member and their open leads. */
struct store_rep {
	struct lb_user user;
	int open_count;        /* leads they own in open sales stages (owner_counts) */
};

/* Every enabled sales member, by login, at most max. */
enum lb_status store_routing_reps(struct store *store, struct store_rep *reps, int max,
				  int *count);

/* The newest routing turn taken (0: none yet). */
enum lb_status store_routing_last_turn(struct store *store, int64_t *out);

/* Record login's new turn. */
enum lb_status store_write_routing_turn(struct store *store, const char *login, int64_t turn);

/* ---- the board's views (src/store_board.c) -------------------------------
 * Bounded reads for the board: each returns at most a window of rows, so a
 * screen costs the same at 100 leads as at a million. */

/*
 * A search (search.h) as the board asks it, once per reload: what someone
 * typed, read against the full-text index. A search that few leads match
 * holds them (with what the board orders and filters them by); one that
 * many match is tested row by row as a column is read in its order.
 */
struct store_search;

#define STORE_SEARCH_FEW 5000   /* more matches than this: a search for many */

/* Prepare the search for text ("" or only spaces: matches everything). */
enum lb_status store_search_open(struct store *store, const char *text,
				 struct store_search **out);
void store_search_close(struct store_search *search);

/* No words and no @owner: every lead matches. NULL is empty. */
bool store_search_is_empty(const struct store_search *search);

/* Many leads match: a column's count is not known without reading it all
 * (the board shows what its window found, with a "+"). */
bool store_search_many(const struct store_search *search);

/* How a column is ordered: longest in the stage first, newest in the stage
 * first, highest score first (then longest in the stage). */
enum store_order { STORE_ORDER_LONGEST, STORE_ORDER_NEWEST, STORE_ORDER_SCORE,
		   STORE_ORDER_COUNT };

/* A card's place in its column in any order: the key of the indexes
 * leads_column and leads_score. */
struct store_card_key {
	int64_t entered_at;
	int score;
	char id[LB_ID_LEN + 1];
};

struct store_column_query {
	const char *stage;
	enum store_order order;
	const char *owner;                   /* only this owner's leads; NULL: anyone's */
	bool unclaimed;                      /* only leads waiting for a claim: handed off,
						nobody's (rules_awaits_claim) */
	const struct store_search *search;   /* NULL: no words */
	bool recycled;                       /* only leads passed back at least once */
	int64_t due_at;                      /* > 0: only leads whose next step is due
						then (rules_is_due); 0: any */
	const struct store_card_key *from;   /* NULL: from an end of the column */
	bool backward;                       /* false: from the key on, in the order;
						true: before the key, nearest first */
	int limit;
};

/* Up to limit leads of one column in keyset order (never OFFSET). fn
 * returning non-zero stops. */
enum lb_status store_column_each(struct store *store, const struct store_column_query *query,
				 int (*fn)(const struct lead *lead, void *ctx), void *ctx);

/* How many leads of query's column match (from, backward and limit aside),
 * counting no further than cap (0: all). For a search that many leads
 * match, count with the window instead (store_search_many). */
enum lb_status store_column_count(struct store *store, const struct store_column_query *query,
				  int64_t cap, int64_t *out);

/* Handed-off leads nobody owns in open sales stages, and those of them
 * handed off at or before overdue_before; each counted up to cap (0: all). */
enum lb_status store_handoff_counts(struct store *store, int64_t overdue_before, int64_t cap,
				    int64_t *unclaimed, int64_t *overdue);

/* Handed-off leads nobody owns in open sales stages that the sweep
 * escalated since their handoff (rules_is_escalated), up to cap (0: all). */
enum lb_status store_escalated_count(struct store *store, int64_t cap, int64_t *out);

/* Leads login owns in open sales stages, counted up to cap (0: all). */
enum lb_status store_owned_open_count(struct store *store, const char *login, int64_t cap,
				      int64_t *out);

struct store_log_query {
	int64_t anchor_seq;      /* 0: from the newest (or, with newer, the oldest) */
	bool newer;              /* false: seq < anchor, newest first; true: seq > anchor */
	const char *actor;       /* NULL: anyone */
	const char *kind;        /* NULL: any kind */
	int64_t since, until;    /* at in [since, until); 0: open */
	const char *search;      /* text in actor, kind, stages, reason, note, lead */
	int limit;
};

/* A window of the audit log with each event's lead name ("" when none). */
enum lb_status store_log_each(struct store *store, const struct store_log_query *query,
			      int (*fn)(const struct lb_event *event, const char *lead_name,
					void *ctx),
			      void *ctx);

/* ---- the sweep (src/store_sweep.c) ---------------------------------------- */

struct store_sweep_query {
	bool uncontacted;            /* look for owned leads nobody contacted (sla_contact_hours on) */
	const char *arrival_stage;   /* ... in the stage handoffs arrive in */
	int64_t uncontacted_before;  /* ... owned since then or before */
	int64_t overdue_before;      /* unclaimed handoffs from then or before */
	bool escalated_too;          /* ... escalated ones as well (routing tries again) */
};

/* The ids of leads that may have broken the SLA: first the uncontacted ones
 * (when asked), then the unclaimed ones, each oldest first. The rules decide,
 * lead by lead, in the sweep's changes. fn returning non-zero stops. */
enum lb_status store_sweep_candidates(struct store *store, const struct store_sweep_query *query,
				      int (*fn)(const char *id, void *ctx), void *ctx);

/* ---- report, export, import (src/store_report.c) ------------------------- */

/* An event about a lead as the report reads it. The strings ("" for NULL)
 * are valid only during the callback, and only what the kind needs is read:
 * to_stage and from_stage for events that change a stage (create, move,
 * handoff, passback, override, discard, restore, merge; create has no
 * from_stage), reason for passback, override and discard, note for assign
 * and merge; the rest are "". */
struct store_report_event {
	int64_t seq, at;
	const char *actor, *lead_id, *kind, *from_stage, *to_stage, *reason, *note;
	const char *rule;   /* read for handoffs and assigns (routing), else "" */
};

/* Every event about a lead with at < until (0: no bound), in seq order,
 * with one query. fn returning non-zero stops. */
enum lb_status store_report_events(struct store *store, int64_t until,
				   int (*fn)(const struct store_report_event *event, void *ctx),
				   void *ctx);

/* Every undo event with at < until (0: no bound), as the seq of the undo
 * and the seq it reverses (from its note). fn returning non-zero stops. */
enum lb_status store_undos_each(struct store *store, int64_t until,
				int (*fn)(int64_t undo_seq, int64_t undone_seq, void *ctx), void *ctx);

/* Every lead, discarded ones too, oldest first (created_at, then id). */
enum lb_status store_leads_export(struct store *store,
				  int (*fn)(const struct lead *lead, void *ctx), void *ctx);

/* Whether there is any lead at all. */
enum lb_status store_has_leads(struct store *store, bool *out);

/* At least the number of leads there are (cheaply: the largest rowid), to
 * size tables before a pass over the log. */
enum lb_status store_leads_bound(struct store *store, int64_t *out);

/* Whether a lead with this full id exists. */
enum lb_status store_lead_exists(struct store *store, const char *id, bool *out);

/* ---- a whole board to another database (src/store_copy.c) ---------------- */

struct store_copy_counts {
	int64_t users, stages, reasons, settings, leads, events;
};

/* Copy users, stages, reasons, settings, leads and every event (seq and
 * hashes as they are) from one database into another that holds nothing
 * but its schema's defaults, in one transaction on the destination and one
 * snapshot of the source. LB_DATA when the destination is not empty. */
enum lb_status store_copy(struct store *from, struct store *to, struct store_copy_counts *counts);

/* ---- the pending table of an import (src/store_import.c), for the door ----- */

/* Create the connection's temporary table leads wait in during an import
 * (outside a transaction, so that a rollback keeps it). */
enum lb_status store_pending_open(struct store *store);

/* Hold a lead back: written as store_insert_lead() would, by
 * store_pending_flush(). */
enum lb_status store_pending_add(struct store *store, const struct lead *lead);

/* Move every pending lead into leads in one statement and empty the table.
 * LB_DATA when a constraint refuses one (an id that exists already). */
enum lb_status store_pending_flush(struct store *store);

/* A page cache of this many MiB for the rest of the connection's life: a
 * large import then writes each page once instead of spilling it again and
 * again. */
enum lb_status store_bulk_cache(struct store *store, int mebibytes);

#endif
