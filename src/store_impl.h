/*
 * store_impl.h - what the store's own files share: the connection and its
 * statement cache. Not for anyone outside src/store*.c.
 */
#ifndef LEADBOARD_STORE_IMPL_H
#define LEADBOARD_STORE_IMPL_H

#include <sqlite3.h>

#include "db.h"
#include "leadboard/search.h"
#include "leadboard/store.h"

#define STORE_MAX_STATEMENTS 128
#define STORE_BUSY_GIVE_UP_MS 30000   /* a writer waits this long for its turn */

struct store_statement {
	const char *sql;      /* identity: the static string it was prepared from */
	struct db_stmt *stmt;
};

struct store {
	struct db *db;
	sqlite3 *lite;           /* the SQLite handle; NULL on PostgreSQL */
	bool pg;                 /* on PostgreSQL */
	char path[4096];         /* the file, or "the PostgreSQL database" */
	bool created;
	bool in_transaction;
	bool writing;            /* the transaction is a change (store_begin_write) */
	bool conflicted;         /* it met a serialization failure or a deadlock */
	int64_t busy_since_ms;   /* when the current wait for a lock began */
	int64_t busy_give_up_ms; /* how long the busy handler waits: STORE_BUSY_GIVE_UP_MS */
	int writer_lock_fd;      /* <db>-lock, the writers' queue; -1 without one */
	bool writer_locked;
	int64_t head_seq;        /* the newest event appended since store_begin_write(); 0: none */
	int64_t first_seq;       /* the first one (store_appended_each) */
	char head_hash[65];
	bool read_only;          /* opened read-only (store_read_only()) */
	struct store_statement statements[STORE_MAX_STATEMENTS];
	int statement_count;
	/* PostgreSQL: the seq this transaction appended (NOTIFY on commit),
	 * notifications seen so far (store_data_version), whether LISTENing */
	int64_t appended_seq;
	int64_t notifications;
	int64_t notified_seq;    /* the newest seq a notification carried */
	bool listening;
	/* SQLite: a descriptor readable after a commit (store_wait_fd; inotify,
	 * or a signalfd for the folder's notification, store_watch.c); -1
	 * without one. watch_dir: the folder notified of, or -1. */
	int wal_watch;
	int watch_dir;
	bool wal_watch_tried;
};

/* Which of two statements this connection's engine takes: lite on SQLite,
 * pg on PostgreSQL. For the few statements the dialects disagree on. */
#define STORE_SQL(store, lite_sql, pg_sql) ((store)->pg ? (pg_sql) : (lite_sql))

/* The statement for sql (a string literal: its address is the cache key),
 * prepared on first use and kept until store_close(); reset and unbound
 * before it is returned. NULL (with lb_fail) when it cannot be prepared. */
struct db_stmt *store_stmt(struct store *store, const char *sql);

/* Turn an unexpected database result into an lb_status: LB_TEMPFAIL when
 * busy or unreachable, LB_SOFTWARE with the database's message otherwise. */
enum lb_status store_error(struct store *store, const char *doing);

/* Bind text, or NULL when empty. */
int store_bind_text(struct db_stmt *stmt, int index, const char *text);

/* Copy a column's text into out (size bytes; "" for NULL). */
void store_column_text(struct db_stmt *stmt, int column, char *out, size_t size);

/* Step stmt through its rows, calling row() for each until it returns
 * non-zero, then reset it. LB_OK, or the database's error naming doing. */
enum lb_status store_each_row(struct store *store, struct db_stmt *stmt, const char *doing,
			      int (*row)(struct db_stmt *stmt, void *ctx), void *ctx);

/* The same for a query of one row: read() gets it. LB_NOINPUT (with no
 * message: the caller names what is missing) when there is none. */
enum lb_status store_one_row(struct store *store, struct db_stmt *stmt, const char *doing,
			     void (*read)(struct db_stmt *stmt, void *ctx), void *ctx);

/* store_one_row() for a lookup by one text key (an id, a login, a code, a
 * setting's name): sql (a literal, as for store_stmt()) with key as ?1. */
enum lb_status store_keyed_row(struct store *store, const char *sql, const char *key,
			       const char *doing, void (*read)(struct db_stmt *stmt, void *ctx),
			       void *ctx);

/* A buffer for store_read_text(), which reads column 0 into it. */
struct store_text {
	char *out;
	size_t size;
};
void store_read_text(struct db_stmt *stmt, void *text);

/* Every column of a lead (table alias l), in the order store_read_lead()
 * reads them. */
#define STORE_LEAD_COLUMNS                                                               \
	"l.id, l.name, l.email, l.company, l.title, l.country, l.employees, l.segment, "   \
	"l.source, l.score, l.stage, l.owner, l.recycle_count, l.handoff_count, "          \
	"l.last_reason, l.last_note, l.version, l.created_at, l.updated_at, "              \
	"l.stage_entered_at, l.handed_off_at, l.phone, l.merged_into, l.contact_attempts, "  \
	"l.first_contact_at, l.last_contact_at, l.next_step_at, l.owner_since, "           \
	"l.escalated_at"

/* The same columns unqualified, for INSERT INTO leads (...) and the import's
 * pending table. */
#define STORE_LEAD_FIELDS                                                                \
	"id, name, email, company, title, country, employees, segment, source, score, "   \
	"stage, owner, recycle_count, handoff_count, last_reason, last_note, version, "    \
	"created_at, updated_at, stage_entered_at, handed_off_at, phone, merged_into, "     \
	"contact_attempts, first_contact_at, last_contact_at, next_step_at, owner_since, "  \
	"escalated_at"

/* ?1..?29 for the columns of a lead, as store_bind_lead() binds them. */
#define STORE_LEAD_VALUES                                                                \
	"?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, " \
	"?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29"
#define STORE_LEAD_PARAMS 29

/* Read a row selected with STORE_LEAD_COLUMNS (from column 0) into lead. */
void store_read_lead(struct db_stmt *stmt, struct lead *lead);

/* A caller's function for each lead row: store_each_row(..., store_lead_row,
 * &(struct store_lead_rows){ fn, ctx }) reads each row into a lead for it. */
struct store_lead_rows {
	int (*fn)(const struct lead *lead, void *ctx);
	void *ctx;
};
int store_lead_row(struct db_stmt *stmt, void *rows);

/* The columns of an event, in the order store_read_event() reads them. */
#define STORE_EVENT_COLUMNS                                                                \
	"seq, at, actor, real_user, lead_id, kind, from_stage, to_stage, reason, note, rule, " \
	"prev_hash, hash"

/* Read a row selected with STORE_EVENT_COLUMNS (from column 0). */
void store_read_event(struct db_stmt *stmt, struct lb_event *event);

/* Bind every column of a lead, in STORE_LEAD_COLUMNS order, to ?1..?29. */
void store_bind_lead(struct db_stmt *stmt, const struct lead *lead);

/* Bind a stored value exactly as it is (its type, its bytes). */
void store_bind_value(struct db_stmt *stmt, int index, const struct store_value *v);

/* The same to ?first..?first+28 (a row of a many-row INSERT). */
void store_bind_lead_at(struct db_stmt *stmt, int first, const struct lead *lead);

/* Step a statement that returns one integer (column 0) and reset it. */
enum lb_status store_step_int(struct store *store, struct db_stmt *stmt, const char *doing,
			      int64_t *out);

/* A LIKE pattern (ESCAPE '\\') matching text anywhere, with % _ and \
 * taken literally. */
void store_like_pattern(const char *text, char *out, size_t size);

/* Run a statement that returns no rows. */
enum lb_status store_step_done(struct store *store, struct db_stmt *stmt, const char *doing);

/* Prepare the statements nearly every change runs (store_prepare_change):
 * a lead's lookups and state update, the log's head and insert. */
void store_leads_prepare_change(struct store *store);
void store_events_prepare_change(struct store *store);
/* A change refused on a read-only database, saying why: LB_NOPERM. */
enum lb_status store_refuse_read_only(struct store *store);

/* ---- the SQLite file (store_file.c) ---- */

/* Before SQLite opens path: say plainly what is wrong with it (missing,
 * a folder, unreadable); for STORE_OPEN_CREATE make a missing one, 0600 in
 * folders of 0700. A file that can be read but not written is fine. */
enum lb_status store_file_prepare(const char *path, enum store_open_mode mode);

/* Right after SQLite opened store->path: when it cannot be written, set
 * store->read_only, and when SQLite could not read it as it is (no -shm,
 * none can be made) reopen it immutable. LB_NOPERM when a -wal holds
 * changes the file lacks. */
enum lb_status store_file_open_unwritable(struct store *store);

/* Why the file at path cannot be written, in a few words (with the ids the
 * process has: a shared install's group counts). */
const char *store_file_read_only_why(const char *path);

/* ---- searching (store_search.c) ---- */

/* One lead a search matches, with what a column filters and orders by. */
struct store_hit {
	char id[LB_ID_LEN + 1];
	char stage[LB_KEY_MAX + 1];
	char owner[LB_KEY_MAX + 1];
	int64_t entered_at, handed_off_at;
	int64_t next_step_at;        /* 0: none */
	int score, recycle_count;
};

/* Write lead's words into lead_words: inserted, just after the lead's own
 * INSERT; otherwise replacing what they were, when they changed. */
enum lb_status store_words_write(struct store *store, const struct lead *lead, bool inserted);

/* Every lead without words gets them (after the migration that made
 * lead_words). */
enum lb_status store_words_fill(struct store *store);

/* The leads of the pending table (an import, a copy), just moved into
 * leads, get their words. */
enum lb_status store_words_of_pending(struct store *store);

/* A query's terms as PostgreSQL's LIKE patterns: all, as a text[] every
 * pattern of which a lead's words must match ('{"% jose%","% acme%"}'), and
 * two of them again, each alone: the trigram index's conditions (it cannot
 * use LIKE ALL over an array). Those two are the longest terms
 * (search_longest_terms): a common word beside a rare one then costs the
 * index little (it skips ahead on the rare one), where one pattern alone
 * might be the common word (every lead's words hold "lead" in the bench's
 * board: 1.2 s at a million leads). With one term, both are the same. */
struct store_likes {
	char all[1024];
	char alone[2][SEARCH_TERM_MAX + 8];
};
void store_search_likes(const struct search_query *query, struct store_likes *out);

/* lb_words_match(query, words) on this connection. */
enum lb_status store_search_functions(struct store *store);

/* A search's parts: its @owner (NULL: none); when many leads match, what a
 * row's words are tested with (NULL otherwise): the text typed for
 * lb_words_match on SQLite, the terms' LIKE patterns as a text[] on
 * PostgreSQL; its few matches (NULL when it holds none: no words, or
 * many); the full-text expression (NULL without words). */
const char *store_search_owner(const struct store_search *search);
const char *store_search_words(const struct store_search *search, bool pg);
const struct store_hit *store_search_hits(const struct store_search *search, int *count);
const char *store_search_match(const struct store_search *search);

/* ---- the writers' queue (store_writers.c) ---- */

/* Open <db>-lock beside the database; without it (no permission) writers
 * wait on SQLite's lock alone. */
void store_writers_open(struct store *store);
void store_writers_close(struct store *store);

/* Wait for this connection's turn to write, at most STORE_BUSY_GIVE_UP_MS
 * (LB_TEMPFAIL after that). */
enum lb_status store_writers_take(struct store *store);

/* Milliseconds of CLOCK_MONOTONIC: how long a wait has lasted. */
int64_t store_monotonic_ms(void);

/* After a COMMIT: write the seq it appended into the lock file, so that
 * its watchers wake now that it can be read. */
void store_writers_announce(struct store *store, int64_t seq);
/* Let the next writer in; safe when this connection holds no turn. */
void store_writers_release(struct store *store);

/* store_watch.c: the descriptor store_wait_fd() gives a board (SQLite) */
void store_watch_start(struct store *store);
void store_watch_drain(struct store *store);
void store_watch_stop(struct store *store);

#endif
