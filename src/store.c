/* store.c - opening, migrating, transactions and the statement cache; the
 * writers' queue they wait in is store_writers.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store_impl.h"

extern const char schema_sql[];   /* schema.sql, compiled in (build/schema_sql.c) */
extern const char schema_pg_sql[];   /* schema_pg.sql, likewise */

struct db_stmt *store_stmt(struct store *store, const char *sql)
{
	struct store_statement *slot;

	for (int i = 0; i < store->statement_count; i++) {
		slot = &store->statements[i];
		if (slot->sql == sql) {
			db_reset(slot->stmt);
			return slot->stmt;
		}
	}
	if (store->statement_count == STORE_MAX_STATEMENTS) {
		lb_fail(LB_SOFTWARE, "too many prepared statements");
		return NULL;
	}
	slot = &store->statements[store->statement_count];
	if (db_prepare(store->db, sql, &slot->stmt) == DB_ERROR) {
		store_error(store, "preparing a query");
		return NULL;
	}
	slot->sql = sql;
	store->statement_count++;
	return slot->stmt;
}

/* A change refused on a read-only database, saying why. */
enum lb_status store_refuse_read_only(struct store *store)
{
	const char *why = store->pg ? "the server accepts no changes"
				    : store_file_read_only_why(store->path);

	return lb_fail(LB_NOPERM, "%s is read-only (%s); nothing was changed", store->path, why);
}

enum lb_status store_error(struct store *store, const char *doing)
{
	switch (db_error_class(store->db)) {
	case DB_ERR_RETRY:
		return lb_fail(LB_TEMPFAIL, "the database is busy; try again");
	case DB_ERR_CONFLICT:
		/* the server rolled the whole transaction back (the door runs it again) */
		store->conflicted = true;
		return lb_fail(LB_TEMPFAIL, "the change collided with another on the database; "
					    "nothing was changed, try again");
	case DB_ERR_CONNECTION:
		/* whatever was under way was not committed: nothing half-written */
		return lb_fail(LB_TEMPFAIL, "cannot reach the database; nothing was changed, "
					    "try again");
	case DB_ERR_NOTADB:
		return lb_fail(LB_DATA, "%s is not a leadboard database", store->path);
	case DB_ERR_READONLY:
		return store_refuse_read_only(store);
	case DB_ERR_PERMISSION:
		return lb_fail(LB_NOPERM, "%s: the database refused: %s", doing,
			       db_errmsg(store->db));
	case DB_ERR_FULL:
		return lb_fail(LB_SOFTWARE, "the disk holding %s is full", store->path);
	default:
		return lb_fail(LB_SOFTWARE, "%s: %s", doing, db_errmsg(store->db));
	}
}

int store_bind_text(struct db_stmt *stmt, int index, const char *text)
{
	if (!text || !text[0])
		return db_bind_null_as(stmt, index, DB_TYPE_TEXT);
	return db_bind_text(stmt, index, text);
}

void store_column_text(struct db_stmt *stmt, int column, char *out, size_t size)
{
	const char *text = db_column_text(stmt, column);
	size_t n = text ? (size_t)db_column_bytes(stmt, column) : 0;

	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(out, text, n);
	out[n] = '\0';
}

void store_read_text(struct db_stmt *stmt, void *ctx)
{
	struct store_text *text = ctx;

	store_column_text(stmt, 0, text->out, text->size);
}

enum lb_status store_each_row(struct store *store, struct db_stmt *stmt, const char *doing,
			      int (*row)(struct db_stmt *stmt, void *ctx), void *ctx)
{
	int rc;

	while ((rc = db_step(stmt)) == DB_ROW)
		if (row(stmt, ctx))
			break;
	db_reset(stmt);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_error(store, doing);
	return LB_OK;
}

struct first_row {
	void (*read)(struct db_stmt *stmt, void *ctx);
	void *ctx;
	bool found;
};

static int read_first(struct db_stmt *stmt, void *ctx)
{
	struct first_row *f = ctx;

	f->read(stmt, f->ctx);
	f->found = true;
	return 1;
}

enum lb_status store_one_row(struct store *store, struct db_stmt *stmt, const char *doing,
			     void (*read)(struct db_stmt *stmt, void *ctx), void *ctx)
{
	struct first_row f = { read, ctx, false };
	enum lb_status st = store_each_row(store, stmt, doing, read_first, &f);

	if (st)
		return st;
	return f.found ? LB_OK : LB_NOINPUT;
}

enum lb_status store_keyed_row(struct store *store, const char *sql, const char *key,
			       const char *doing, void (*read)(struct db_stmt *stmt, void *ctx),
			       void *ctx)
{
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, key);
	return store_one_row(store, stmt, doing, read, ctx);
}

enum lb_status store_step_done(struct store *store, struct db_stmt *stmt, const char *doing)
{
	int rc = db_step(stmt);

	db_reset(stmt);
	if (rc == DB_DONE || rc == DB_ROW)
		return LB_OK;
	if (db_error_class(store->db) == DB_ERR_CONSTRAINT)
		return lb_fail(LB_DATA, "%s: %s", doing, db_errmsg(store->db));
	return store_error(store, doing);
}

/* ---- busy waiting --------------------------------------------------------- */

int64_t store_monotonic_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/*
 * Short, jittered sleeps instead of SQLite's default back-off (which grows to
 * 100 ms): writers here hold the lock for about a millisecond, so a waiter
 * that polls often gets in sooner. The jitter comes from SQLite's own
 * generator, seeded per process, so waiting processes do not retry in step
 * (rand() unseeded would give every process the same sleeps). Gives up once
 * STORE_BUSY_GIVE_UP_MS of wall time have passed since the first attempt.
 */
static int busy_wait(void *ctx, int attempt)
{
	struct store *store = ctx;
	struct timespec pause = { 0, 0 };
	int64_t now = store_monotonic_ms();
	unsigned draw;

	if (attempt == 0)
		store->busy_since_ms = now;
	else if (now - store->busy_since_ms > store->busy_give_up_ms)
		return 0;
	sqlite3_randomness(sizeof draw, &draw);
	pause.tv_nsec = (200 + (long)(draw % (attempt < 20 ? 800u : 1800u))) * 1000;
	nanosleep(&pause, NULL);
	return 1;
}

/* ---- checkpoints ---------------------------------------------------------- */

/*
 * Nobody checkpoints inside a commit or on closing (db_sqlite.c): SQLite's
 * automatic checkpoint ran in the commit that pushed the WAL past 1,000
 * pages, so one move in about seventy copied the WAL back while every other
 * writer waited, and the last process to close paid for everyone's changes.
 *
 * Instead the boards, which are open all day anyway, copy the WAL back when
 * they look for changes, once it is 500 frames ahead of the file
 * (store_checkpoint; a PASSIVE checkpoint never waits, and with many boards
 * the first one in does the work and the rest find it done). A checkpoint
 * that others keep writing behind never catches up, so the WAL cannot start
 * over and the file grows; past 1,600 frames whoever looks first restarts
 * it (RESTART: it waits, briefly, for the writer and the readers of the
 * moment, and the next commit starts the WAL from its beginning), which
 * keeps the file near 6.5 MiB however long the boards stay open.
 *
 * A resident (src/cli/resident.c) copies back too, after answering a
 * command: with one board, looking every half second, the WAL otherwise ran
 * past 10 MiB under a resident's pace, since only a board's restart reset
 * it and the writers' cap below waits for something to be copied back. It
 * copies while no other command waits, and then often (100 frames), so the
 * copy catches up and the next commit starts the WAL over by itself; with
 * commands waiting, only past 1,000 frames. A copy's fsync of the file took
 * 5-10 ms, and every command queued behind it waited that long.
 *
 * A writer checkpoints only when no board does it (none open): once the WAL
 * has run 8,000 frames ahead, after it has let the next writer in. That is
 * about one move in 600 at a million leads, so a lone writer's p99 stays
 * one commit; at 1,000 frames, one move in 70 paid for a checkpoint (p99
 * about 20 ms instead of 2).
 *
 * Boards look at most every half second during a burst, so how far past
 * 1,600 frames the WAL runs before one restarts it grows with the rate of
 * commits. When boards are at work (part of the WAL has been copied back,
 * and readers kept it from starting over) the writers hold a cap of their
 * own: at 1,750 frames whoever commits restarts the WAL, waiting at most
 * 20 ms for the readers of the moment, which keeps it under the 8 MiB it is
 * cut back to however fast the commits come. (After a writer's own
 * checkpoint at 8,000 frames the next commit restarts it too, as it would
 * at 8,600: writers behind a checkpoint keep the WAL from starting over by
 * itself.)
 */

/* When a connection copies the WAL back, and when it starts it over. */
struct checkpoint_policy {
	int64_t backlog;          /* PASSIVE once this many frames are not copied back */
	int64_t restart_frames;   /* RESTART once the WAL holds this many frames */
	int64_t restart_copying;  /* ... or this many, once part of it is copied back */
	int restart_wait_ms;      /* how long a RESTART waits for readers */
};

static const struct checkpoint_policy board_policy = {
	.backlog = 500, .restart_frames = 1600, .restart_copying = 1600, .restart_wait_ms = 200,
};
/* A resident copies back between commands but restarts nothing: a restart
 * waits for readers, and the commands queued behind it would wait too.
 * While none waits it copies a little often (100 frames, about ten moves):
 * the copy catches up with the WAL, and the next commit starts it over by
 * itself. With commands waiting it leaves the copy to the boards (a
 * board's PASSIVE copy holds up no writer) unless the WAL runs 1,000 frames
 * ahead. */
static const struct checkpoint_policy resident_idle_policy = {
	.backlog = 100, .restart_frames = INT64_MAX, .restart_copying = INT64_MAX,
};
static const struct checkpoint_policy resident_pressed_policy = {
	.backlog = 1000, .restart_frames = INT64_MAX, .restart_copying = INT64_MAX,
};
/* 1,750 frames of a 4 KiB page are 7.2 MiB */
static const struct checkpoint_policy writer_policy = {
	.backlog = 8000, .restart_frames = 8600, .restart_copying = 1750, .restart_wait_ms = 20,
};
#define WAL_SIZE_LIMIT "8388608"   /* bytes a restarted WAL is cut back to: 8 MiB */

/* PASSIVE, or RESTART waiting at most wait_ms for others. */
static void checkpoint(struct store *store, bool restart, int wait_ms)
{
	int log = 0, done = 0;

	if (restart)
		store->busy_give_up_ms = wait_ms;
	sqlite3_wal_checkpoint_v2(store->lite, NULL,
				  restart ? SQLITE_CHECKPOINT_RESTART : SQLITE_CHECKPOINT_PASSIVE,
				  &log, &done);
	store->busy_give_up_ms = STORE_BUSY_GIVE_UP_MS;
}

/* A checkpoint or a restart, when the WAL's state calls for one. */
static void checkpoint_past(struct store *store, const struct checkpoint_policy *policy)
{
	int64_t frames, behind;

	if (!store->lite || !db_wal_state(store->db, &frames, &behind) || behind == 0)
		return;
	if (frames >= (frames > behind ? policy->restart_copying : policy->restart_frames))
		checkpoint(store, true, policy->restart_wait_ms);
	else if (behind >= policy->backlog)
		checkpoint(store, false, 0);
}

/* ---- migrations ---------------------------------------------------------- */

static const char migration_mark[] = "-- migration ";

/* Finds migration n in a compiled schema: its text and length. */
static bool find_migration(const char *schema, int n, const char **text, size_t *len)
{
	const char *p = schema;

	while ((p = strstr(p, migration_mark)) != NULL) {
		if ((p == schema || p[-1] == '\n') && atoi(p + sizeof migration_mark - 1) == n) {
			const char *end = p + 1;
			while ((end = strstr(end, migration_mark)) != NULL && end[-1] != '\n')
				end++;
			*text = p;
			*len = end ? (size_t)(end - p) : strlen(p);
			return true;
		}
		p += sizeof migration_mark - 1;
	}
	return false;
}

int store_schema_version(void)
{
	const char *text;
	size_t len;
	int n = 0;

	while (find_migration(schema_sql, n + 1, &text, &len))
		n++;
	return n;
}

static void read_int(struct db_stmt *stmt, void *ctx)
{
	*(int64_t *)ctx = db_column_int64(stmt, 0);
}

enum lb_status store_step_int(struct store *store, struct db_stmt *stmt, const char *doing,
			      int64_t *out)
{
	enum lb_status st = store_one_row(store, stmt, doing, read_int, out);

	return st == LB_NOINPUT ? lb_fail(LB_SOFTWARE, "%s: no answer", doing) : st;
}

static enum lb_status read_int_pragma(struct store *store, const char *sql, int64_t *out)
{
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	return store_step_int(store, stmt, "reading the database header", out);
}

static enum lb_status exec(struct store *store, const char *sql, const char *doing)
{
	if (db_exec(store->db, sql) == DB_ERROR)
		return store_error(store, doing);
	return LB_OK;
}

/* Whether the database holds anything at all (a non-leadboard one does). */
static enum lb_status has_tables(struct store *store, bool *out)
{
	static const char lite_sql[] = "SELECT count(*) FROM sqlite_schema";
	static const char pg_sql[] =
		"SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
		"ON n.oid = c.relnamespace WHERE n.nspname = current_schema()";
	int64_t n;
	enum lb_status st = read_int_pragma(store, STORE_SQL(store, lite_sql, pg_sql), &n);

	*out = n > 0;
	return st;
}

/* The schema's version: PRAGMA user_version on SQLite, the table
 * schema_version on PostgreSQL (0 before it exists). */
static enum lb_status read_version(struct store *store, int64_t *out)
{
	static const char lite_sql[] = "PRAGMA user_version";
	static const char exists_sql[] = "SELECT to_regclass('schema_version') IS NOT NULL";
	static const char pg_sql[] = "SELECT coalesce(max(version), 0) FROM schema_version";
	enum lb_status st;

	if (!store->pg)
		return read_int_pragma(store, lite_sql, out);
	if ((st = read_int_pragma(store, exists_sql, out)) || *out == 0)
		return st;
	return read_int_pragma(store, pg_sql, out);
}

static enum lb_status write_version(struct store *store, int n)
{
	char sql[128];

	if (store->pg)
		snprintf(sql, sizeof sql, "DELETE FROM schema_version; "
			 "INSERT INTO schema_version (version) VALUES (%d)", n);
	else
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", n);
	return exec(store, sql, "migrating the database");
}

static enum lb_status migrate(struct store *store, enum store_open_mode mode)
{
	int target = store_schema_version();
	int64_t version;
	enum lb_status st;
	bool tables;

	if ((st = read_version(store, &version)))
		return st;
	if (version == target)
		return LB_OK;
	if (version > target)
		return lb_fail(LB_DATA, "%s has schema %lld, newer than this leadboard (%d); upgrade "
					"leadboard", store->path, (long long)version, target);
	if ((st = store_begin_write(store)))
		return st;
	/* Another process may have migrated while we waited for the lock. */
	if ((st = read_version(store, &version)))
		goto fail;
	if (version == 0) {
		if ((st = has_tables(store, &tables)))
			goto fail;
		if (tables) {
			st = lb_fail(LB_DATA, "%s is not a leadboard database", store->path);
			goto fail;
		}
		if (mode != STORE_OPEN_CREATE) {
			st = lb_fail(LB_NOINPUT, "no leadboard database at %s (create it with "
						 "leadboard init)", store->path);
			goto fail;
		}
		store->created = true;
	}
	for (int n = (int)version + 1; n <= target; n++) {
		const char *text;
		size_t len;
		char *section;

		if (!find_migration(store->pg ? schema_pg_sql : schema_sql, n, &text, &len)) {
			st = lb_fail(LB_SOFTWARE, "migration %d is missing for this database", n);
			goto fail;
		}
		section = strndup(text, len);
		if (!section) {
			st = lb_fail(LB_SOFTWARE, "out of memory");
			goto fail;
		}
		st = exec(store, section, "migrating the database");
		/* a section may ask for a step SQL cannot take */
		if (!st && strstr(section, "\n-- then: write lead_words"))
			st = store_words_fill(store);
		free(section);
		if (st)
			goto fail;
		if ((st = write_version(store, n)))
			goto fail;
	}
	return store_commit(store);
fail:
	store_rollback(store);
	return st;
}

/* ---- opening ------------------------------------------------------------- */

bool store_read_only(const struct store *store)
{
	return store->read_only;
}

const struct stat *store_file(const struct store *store)
{
	return store->pg ? NULL : db_sqlite_file(store->db);
}

/* Two processes opening a new file at once both read it before switching
 * it to WAL; SQLite then refuses one of them at once (BUSY, where waiting
 * could deadlock) instead of calling the busy handler. Wait here instead,
 * as for any lock: the other process's switch takes microseconds. */
static enum lb_status switch_to_wal(struct store *store)
{
	enum lb_status st;

	for (int attempt = 0;; attempt++) {
		st = exec(store, "PRAGMA journal_mode = WAL", "opening the database");
		if (st != LB_TEMPFAIL || !busy_wait(store, attempt))
			return st;
	}
}

/* The SQLite file: WAL, a busy handler of our own, the writers' queue. One
 * that cannot be written opens read-only (store_file.c). */
static enum lb_status open_sqlite(struct store *store, const char *path, enum store_open_mode mode)
{
	enum lb_status st;

	if ((st = store_file_prepare(path, mode)))
		return st;
	snprintf(store->path, sizeof store->path, "%s", path);
	/* NOMUTEX: one thread per connection here, so SQLite need not lock its
	 * mutex on every call (a seventh of a million-event report). Links on
	 * the way work: the shared database's path was checked before
	 * (privilege_settle_db), and its file is confirmed after (store_file). */
	if (db_open_sqlite(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, &store->db) ==
	    DB_ERROR)
		return lb_fail(LB_NOINPUT, "cannot open %s: %s", path,
			       store->db ? db_errmsg(store->db) : "out of memory");
	store->lite = db_sqlite_handle(store->db);
	if ((st = store_file_open_unwritable(store)))
		return st;
	sqlite3_busy_handler(store->lite, busy_wait, store);
	sqlite3_wal_autocheckpoint(store->lite, 0);   /* checkpoints are ours (above) */
	/* temp_store=MEMORY: no temporary files, so SQLITE_TMPDIR/TMPDIR cannot
	 * point the program at someone else's directory. */
	st = exec(store, "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
			 "PRAGMA synchronous = FULL; PRAGMA journal_size_limit = "
			 WAL_SIZE_LIMIT ";", "opening the database");
	/* A leadboard database is in WAL mode from its creation on: only a new
	 * (writable) one needs telling. */
	if (!st && !store->read_only)
		st = switch_to_wal(store);
	if (!st)
		st = store_search_functions(store);
	if (!st)
		st = migrate(store, mode);
	/* only beside a file that is a leadboard database, and one written to */
	if (!st && !store->read_only)
		store_writers_open(store);
	return st;
}

/* A new session on the server: it waits for locks as long as SQLite's busy
 * handler, and compiles no query (JIT: every query here is a short look-up
 * or a plain scan, and a compile of 10 to 300 ms, when the planner guesses
 * a large cost, would land on a keystroke). */
static enum lb_status session_settings(struct store *store)
{
	char sql[96];

	snprintf(sql, sizeof sql, "SET lock_timeout = '%ds'; SET jit = off",
		 STORE_BUSY_GIVE_UP_MS / 1000);
	return exec(store, sql, "opening the database");
}

bool store_target_is_postgres(const char *path)
{
	return db_target_is_postgres(path);
}

static enum lb_status open_postgres(struct store *store, const char *target,
				    enum store_open_mode mode)
{
	enum lb_status st;

	store->pg = true;
	snprintf(store->path, sizeof store->path, "the PostgreSQL database");
	if (db_open_postgres(target, &store->db) == DB_ERROR) {
		if (store->db && db_error_class(store->db) == DB_ERR_OTHER)   /* no libpq */
			return lb_fail(LB_SOFTWARE, "%s", db_errmsg(store->db));
		return lb_fail(LB_TEMPFAIL, "cannot reach the database: %s",
			       store->db ? db_errmsg(store->db) : "out of memory");
	}
	snprintf(store->path, sizeof store->path, "PostgreSQL database %s", db_name(store->db));
	if ((st = session_settings(store)))
		return st;
	return migrate(store, mode);
}

enum lb_status store_open(const char *path, enum store_open_mode mode, struct store **out)
{
	struct store *store;
	enum lb_status st;

	*out = NULL;
	store = calloc(1, sizeof *store);
	if (!store)
		return lb_fail(LB_SOFTWARE, "out of memory");
	store->writer_lock_fd = -1;
	store->wal_watch = store->watch_dir = -1;
	store->busy_give_up_ms = STORE_BUSY_GIVE_UP_MS;
	if (db_target_is_postgres(path))
		st = open_postgres(store, path, mode);
	else
		st = open_sqlite(store, path, mode);
	if (st) {
		store_close(store);
		return st;
	}
	*out = store;
	return LB_OK;
}

void store_close(struct store *store)
{
	if (!store)
		return;
	for (int i = 0; i < store->statement_count; i++)
		db_finalize(store->statements[i].stmt);
	db_close(store->db);
	store_writers_close(store);
	store_watch_stop(store);
	free(store);
}

const char *store_label(const struct store *store)
{
	return store->path;
}

void store_board_name(const struct store *store, char *out, size_t size)
{
	const char *base = store->pg ? db_name(store->db) : strrchr(store->path, '/');
	size_t n;

	base = store->pg ? base : base ? base + 1 : store->path;
	snprintf(out, size, "%.100s", base);
	n = strlen(out);
	if (!store->pg && n > 3 && strcmp(out + n - 3, ".db") == 0)
		out[n - 3] = '\0';
}

bool store_was_created(const struct store *store)
{
	return store->created;
}

/* ---- transactions -------------------------------------------------------- */

static enum lb_status run_tx_statement(struct store *store, const char *sql, const char *doing)
{
	struct db_stmt *stmt = store_stmt(store, sql);

	return stmt ? store_step_done(store, stmt, doing) : store_error(store, doing);
}

/*
 * On PostgreSQL every change takes one transaction-scoped advisory lock, the
 * chain head's, before it reads anything: changes from any number of hosts
 * then run one after the other, as on SQLite, each reading what the one
 * before committed (READ COMMITTED), so the audit chain stays linear and the
 * rules see the board as it is. The lead row is locked as well (FOR UPDATE,
 * store_get_lead) and its version compared.
 */
#define CHAIN_LOCK_KEY "7809644212300326249"   /* "leadchai" as a 64-bit number */

static const char begin_sql[] = "BEGIN IMMEDIATE";
static const char pg_begin_sql[] = "BEGIN ISOLATION LEVEL READ COMMITTED; "
				    "SELECT pg_advisory_xact_lock(" CHAIN_LOCK_KEY ")";
static const char commit_sql[] = "COMMIT";

void store_prepare_change(struct store *store)
{
	/* PostgreSQL begins and commits in one round trip each, unprepared */
	if (!store->pg) {
		store_stmt(store, begin_sql);
		store_stmt(store, commit_sql);
	}
	store_leads_prepare_change(store);
	store_events_prepare_change(store);   /* one that fails fails again where it is used */
}

/*
 * A PostgreSQL connection found gone when a transaction starts (the server
 * restarted, or cut a connection that sat idle: a board's, a resident's)
 * is made again, once, and the start tried again: nothing was sent that
 * could have changed anything.
 */
static bool reconnected(struct store *store, enum lb_status st)
{
	return st == LB_TEMPFAIL && store->pg && db_error_class(store->db) == DB_ERR_CONNECTION &&
	       store_reconnect(store) == LB_OK;
}

static enum lb_status begin_postgres_change(struct store *store)
{
	enum lb_status st = LB_OK;

	/* BEGIN and the lock in one round trip (the simple query protocol) */
	if (db_exec(store->db, pg_begin_sql) == DB_ERROR) {
		st = store_error(store, "starting a change");
		db_exec(store->db, "ROLLBACK");
	}
	return st;
}

enum lb_status store_begin_write(struct store *store)
{
	enum lb_status st;

	if (store->read_only)
		return store_refuse_read_only(store);
	if ((st = store_writers_take(store)))
		return st;
	store->appended_seq = 0;
	store->head_seq = 0;
	store->first_seq = 0;
	store->conflicted = false;
	if (!store->pg)
		st = run_tx_statement(store, begin_sql, "starting a change");
	else if (reconnected(store, st = begin_postgres_change(store)))
		st = begin_postgres_change(store);
	if (st == LB_TEMPFAIL && db_error_class(store->db) != DB_ERR_CONNECTION &&
	    !store->conflicted)
		st = lb_fail(LB_TEMPFAIL, "the database stayed busy for %d s; try again",
			     STORE_BUSY_GIVE_UP_MS / 1000);
	store->in_transaction = st == LB_OK;
	store->writing = st == LB_OK;
	if (st)
		store_writers_release(store);
	return st;
}

enum lb_status store_begin_read(struct store *store)
{
	static const char sql[] = "BEGIN";
	static const char pg_sql[] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
	enum lb_status st = run_tx_statement(store, STORE_SQL(store, sql, pg_sql),
					     "starting to read");

	if (reconnected(store, st))
		st = run_tx_statement(store, STORE_SQL(store, sql, pg_sql), "starting to read");
	store->in_transaction = st == LB_OK;
	return st;
}

void store_end_read(struct store *store)
{
	static const char sql[] = "COMMIT";

	if (store->in_transaction)
		run_tx_statement(store, sql, "finishing a read");
	store->in_transaction = false;
}

/* PostgreSQL: tell the boards that LISTEN (store_data_version) which seq
 * this change appended, and commit, in one round trip; the server delivers
 * the notification when the change commits. */
static enum lb_status commit_postgres(struct store *store)
{
	char sql[96];

	if (store->appended_seq)
		snprintf(sql, sizeof sql, "SELECT pg_notify('leadboard', '%lld'); COMMIT",
			 (long long)store->appended_seq);
	else
		snprintf(sql, sizeof sql, "COMMIT");
	if (db_exec(store->db, sql) == DB_ERROR)
		return store_error(store, "saving the change");
	return LB_OK;
}

enum lb_status store_commit(struct store *store)
{
	enum lb_status st = LB_OK;

	if (store->pg)
		st = commit_postgres(store);
	/* COMMIT can meet a busy reader in rare WAL cases; the busy handler
	 * waits, and we retry a few times before giving up. */
	for (int attempt = 0; !store->pg && attempt < 5; attempt++) {
		st = run_tx_statement(store, commit_sql, "saving the change");
		if (st != LB_TEMPFAIL)
			break;
	}
	if (st) {
		enum lb_status why = st;
		char message[1024];
		snprintf(message, sizeof message, "%s", lb_message(st));
		store_rollback(store);
		return lb_fail(why, "%s", message);
	}
	store->in_transaction = false;
	store->writing = false;
	if (!store->pg)
		store_writers_announce(store, store->appended_seq);
	store->appended_seq = 0;
	store_writers_release(store);
	checkpoint_past(store, &writer_policy);
	return LB_OK;
}

void store_rollback(struct store *store)
{
	if (db_in_transaction(store->db))
		db_exec(store->db, "ROLLBACK");
	store->in_transaction = false;
	store->writing = false;
	store->appended_seq = 0;
	store_writers_release(store);
}

bool store_change_conflicted(const struct store *store)
{
	return store->conflicted;
}

enum lb_status store_data_version(struct store *store, int64_t *out)
{
	static const char sql[] = "PRAGMA data_version";
	int count;

	if (!store->pg) {
		if (!store->wal_watch_tried)
			store_watch_start(store);
		store_watch_drain(store);
		return read_int_pragma(store, sql, out);
	}
	/* PostgreSQL: every commit of a change NOTIFYs; count what arrived */
	if (!store->listening) {
		if (db_exec(store->db, "LISTEN leadboard") == DB_ERROR)
			return store_error(store, "listening for changes");
		store->listening = true;
	}
	if (db_take_notifications(store->db, &count, &store->notified_seq) == DB_ERROR)
		return store_error(store, "listening for changes");
	store->notifications += count;
	*out = store->notifications;
	return LB_OK;
}

int64_t store_notified_seq(const struct store *store)
{
	return store->pg ? store->notified_seq : -1;
}

void store_notified_forget(struct store *store)
{
	store->notified_seq = 0;
}

int store_wait_fd(struct store *store)
{
	if (!store->pg)
		return store->wal_watch;
	return store->listening ? db_socket(store->db) : -1;
}

enum lb_status store_schema_mark(struct store *store, int64_t *out)
{
	static const char sql[] = "PRAGMA schema_version";

	/* PostgreSQL's schema changes only with a migration */
	return store->pg ? read_version(store, out) : read_int_pragma(store, sql, out);
}

enum lb_status store_reconnect(struct store *store)
{
	if (!store->pg)
		return LB_OK;
	if (db_reconnect(store->db) == DB_ERROR)
		return lb_fail(LB_TEMPFAIL, "cannot reach the database: %s", db_errmsg(store->db));
	store->in_transaction = false;
	store->listening = false;
	/* what others committed while away: count it as one change */
	store->notifications++;
	return session_settings(store);
}

void store_checkpoint(struct store *store)
{
	checkpoint_past(store, &board_policy);
}

void store_copy_back(struct store *store, bool others_waiting)
{
	checkpoint_past(store, others_waiting ? &resident_pressed_policy : &resident_idle_policy);
}

enum lb_status store_integrity_check(struct store *store)
{
	static const char sql[] = "PRAGMA integrity_check";
	struct db_stmt *stmt;
	char first[512];
	struct store_text text = { first, sizeof first };
	enum lb_status st;

	/* The server checks its own pages (checksums, amcheck); the chain is
	 * what verify checks on either engine. */
	if (store->pg)
		return LB_OK;
	if (!(stmt = store_stmt(store, sql)))
		return LB_SOFTWARE;
	st = store_one_row(store, stmt, "checking integrity", store_read_text, &text);
	if (st == LB_NOINPUT)
		return lb_fail(LB_SOFTWARE, "checking integrity: no answer");
	if (st)
		return st;
	if (strcmp(first, "ok") != 0)
		return lb_fail(LB_DATA, "integrity_check: %s", first);
	return LB_OK;
}
