/* store.c - opening, migrating, transactions and the statement cache; the
 * writers' queue they wait in is store_writers.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "store_impl.h"

extern const char schema_sql[];   /* schema.sql, compiled in (build/schema_sql.c) */

sqlite3_stmt *store_stmt(struct store *store, const char *sql)
{
	struct store_statement *slot;

	for (int i = 0; i < store->statement_count; i++) {
		slot = &store->statements[i];
		if (slot->sql == sql) {
			sqlite3_reset(slot->stmt);
			sqlite3_clear_bindings(slot->stmt);
			return slot->stmt;
		}
	}
	if (store->statement_count == STORE_MAX_STATEMENTS) {
		lb_fail(LB_SOFTWARE, "too many prepared statements");
		return NULL;
	}
	slot = &store->statements[store->statement_count];
	if (sqlite3_prepare_v3(store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot->stmt, NULL) !=
	    SQLITE_OK) {
		store_error(store, "preparing a query");
		return NULL;
	}
	slot->sql = sql;
	store->statement_count++;
	return slot->stmt;
}

/* Why the file cannot be written, for the refusal of a change (with the
 * ids the process has: a shared install's group counts). */
static const char *read_only_why(const char *path)
{
	struct statvfs fs;
	char dir[4096];
	char *slash;

	if (statvfs(path, &fs) == 0 && (fs.f_flag & ST_RDONLY))
		return "its file system is mounted read-only";
	if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0)
		return "you have no write permission on it";
	snprintf(dir, sizeof dir, "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = '\0';
	if (faccessat(AT_FDCWD, slash ? dir : ".", W_OK, AT_EACCESS) != 0)
		return "you may not write to its folder";
	return "SQLite opened it read-only";
}

enum lb_status store_error(struct store *store, const char *doing)
{
	int code = sqlite3_extended_errcode(store->db);

	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		return lb_fail(LB_TEMPFAIL, "the database is busy; try again");
	if ((code & 0xff) == SQLITE_NOTADB)
		return lb_fail(LB_DATA, "%s is not a leadboard database", store->path);
	if ((code & 0xff) == SQLITE_READONLY)
		return lb_fail(LB_NOPERM, "%s is read-only (%s); nothing was changed", store->path,
			       read_only_why(store->path));
	if ((code & 0xff) == SQLITE_FULL)
		return lb_fail(LB_SOFTWARE, "the disk holding %s is full", store->path);
	return lb_fail(LB_SOFTWARE, "%s: %s", doing, sqlite3_errmsg(store->db));
}

int store_bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
	if (!text || !text[0])
		return sqlite3_bind_null(stmt, index);
	return sqlite3_bind_text(stmt, index, text, -1, SQLITE_STATIC);
}

void store_column_text(sqlite3_stmt *stmt, int column, char *out, size_t size)
{
	const unsigned char *text = sqlite3_column_text(stmt, column);
	size_t n = text ? (size_t)sqlite3_column_bytes(stmt, column) : 0;

	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(out, text, n);
	out[n] = '\0';
}

void store_read_text(sqlite3_stmt *stmt, void *ctx)
{
	struct store_text *text = ctx;

	store_column_text(stmt, 0, text->out, text->size);
}

enum lb_status store_each_row(struct store *store, sqlite3_stmt *stmt, const char *doing,
			      int (*row)(sqlite3_stmt *stmt, void *ctx), void *ctx)
{
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if (row(stmt, ctx))
			break;
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(store, doing);
	return LB_OK;
}

struct first_row {
	void (*read)(sqlite3_stmt *stmt, void *ctx);
	void *ctx;
	bool found;
};

static int read_first(sqlite3_stmt *stmt, void *ctx)
{
	struct first_row *f = ctx;

	f->read(stmt, f->ctx);
	f->found = true;
	return 1;
}

enum lb_status store_one_row(struct store *store, sqlite3_stmt *stmt, const char *doing,
			     void (*read)(sqlite3_stmt *stmt, void *ctx), void *ctx)
{
	struct first_row f = { read, ctx, false };
	enum lb_status st = store_each_row(store, stmt, doing, read_first, &f);

	if (st)
		return st;
	return f.found ? LB_OK : LB_NOINPUT;
}

enum lb_status store_step_done(struct store *store, sqlite3_stmt *stmt, const char *doing)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return LB_OK;
	if ((sqlite3_extended_errcode(store->db) & 0xff) == SQLITE_CONSTRAINT)
		return lb_fail(LB_DATA, "%s: %s", doing, sqlite3_errmsg(store->db));
	return store_error(store, doing);
}

/* ---- busy waiting --------------------------------------------------------- */

/*
 * Short, jittered sleeps instead of SQLite's default back-off (which grows to
 * 100 ms): writers here hold the lock for about a millisecond, so a waiter
 * that polls often gets in sooner. The jitter comes from SQLite's own
 * generator, seeded per process, so waiting processes do not retry in step
 * (rand() unseeded would give every process the same sleeps). Gives up once
 * STORE_BUSY_GIVE_UP_MS of wall time have passed since the first attempt.
 */
static int64_t monotonic_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static int busy_wait(void *ctx, int attempt)
{
	struct store *store = ctx;
	struct timespec pause = { 0, 0 };
	int64_t now = monotonic_ms();
	unsigned draw;

	if (attempt == 0)
		store->busy_since_ms = now;
	else if (now - store->busy_since_ms > STORE_BUSY_GIVE_UP_MS)
		return 0;
	sqlite3_randomness(sizeof draw, &draw);
	pause.tv_nsec = (200 + (long)(draw % (attempt < 20 ? 800u : 1800u))) * 1000;
	nanosleep(&pause, NULL);
	return 1;
}

/* ---- checkpoints ---------------------------------------------------------- */

/*
 * SQLite's automatic checkpoint runs inside the commit that pushes the WAL
 * past 1,000 pages, so one move in about seventy paid for copying the whole
 * WAL back. Instead the commit only notes the WAL's size; the connection
 * checkpoints when it closes (a command has already done its work by then)
 * and the board when it is idle. Only a WAL far past that size is
 * checkpointed at once, right after the commit has let the next writer in,
 * so it stays bounded whatever happens.
 */
#define CHECKPOINT_AT_CLOSE_PAGES 1000
#define CHECKPOINT_NOW_PAGES 8000

static int note_wal_size(void *ctx, sqlite3 *db, const char *name, int pages)
{
	struct store *store = ctx;

	(void)db;
	(void)name;
	store->wal_pages = pages;
	return SQLITE_OK;
}

/* ---- migrations ---------------------------------------------------------- */

static const char migration_mark[] = "-- migration ";

/* Finds migration n in the compiled schema: its text and length. */
static bool find_migration(int n, const char **text, size_t *len)
{
	const char *p = schema_sql;

	while ((p = strstr(p, migration_mark)) != NULL) {
		if ((p == schema_sql || p[-1] == '\n') && atoi(p + sizeof migration_mark - 1) == n) {
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

	while (find_migration(n + 1, &text, &len))
		n++;
	return n;
}

static void read_int(sqlite3_stmt *stmt, void *ctx)
{
	*(int64_t *)ctx = sqlite3_column_int64(stmt, 0);
}

enum lb_status store_step_int(struct store *store, sqlite3_stmt *stmt, const char *doing,
			      int64_t *out)
{
	enum lb_status st = store_one_row(store, stmt, doing, read_int, out);

	return st == LB_NOINPUT ? lb_fail(LB_SOFTWARE, "%s: no answer", doing) : st;
}

static enum lb_status read_int_pragma(struct store *store, const char *sql, int64_t *out)
{
	sqlite3_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	return store_step_int(store, stmt, "reading the database header", out);
}

static enum lb_status exec(struct store *store, const char *sql, const char *doing)
{
	if (sqlite3_exec(store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_error(store, doing);
	return LB_OK;
}

/* Whether the file holds anything at all (a non-leadboard database does). */
static enum lb_status has_tables(struct store *store, bool *out)
{
	static const char sql[] = "SELECT count(*) FROM sqlite_schema";
	int64_t n;
	enum lb_status st = read_int_pragma(store, sql, &n);

	*out = n > 0;
	return st;
}

static enum lb_status migrate(struct store *store, enum store_open_mode mode)
{
	static const char version_sql[] = "PRAGMA user_version";
	int target = store_schema_version();
	int64_t version;
	enum lb_status st;
	bool tables;

	if ((st = read_int_pragma(store, version_sql, &version)))
		return st;
	if (version == target)
		return LB_OK;
	if (version > target)
		return lb_fail(LB_DATA, "%s has schema %lld, newer than this leadboard (%d); upgrade "
					"leadboard", store->path, (long long)version, target);
	if ((st = store_begin_write(store)))
		return st;
	/* Another process may have migrated while we waited for the lock. */
	if ((st = read_int_pragma(store, version_sql, &version)))
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
		char sql_buf[64];
		char *section;

		find_migration(n, &text, &len);
		section = strndup(text, len);
		if (!section) {
			st = lb_fail(LB_SOFTWARE, "out of memory");
			goto fail;
		}
		st = exec(store, section, "migrating the database");
		free(section);
		if (st)
			goto fail;
		snprintf(sql_buf, sizeof sql_buf, "PRAGMA user_version = %d", n);
		if ((st = exec(store, sql_buf, "migrating the database")))
			goto fail;
	}
	return store_commit(store);
fail:
	store_rollback(store);
	return st;
}

/* ---- opening ------------------------------------------------------------- */

/*
 * Which file SQLite really opened: its unix VFS makes every open(2) through
 * a system-call table an application may wrap (sqlite3_vfs.xSetSystemCall).
 * While sqlite3_open_v2() runs, the wrapper notes each regular file opened;
 * exactly one means that is the database, seen on its own descriptor, not
 * looked up again by name. Anything else leaves the identity unknown, and
 * whoever needs it (the shared database, --as) refuses.
 */
typedef int (*open_fn)(const char *path, int flags, int mode);

static sqlite3_syscall_ptr real_open;
static struct {
	bool armed;
	int regular_files;
	struct stat file;
} watch;

static int watching_open(const char *path, int flags, int mode)
{
	int fd = ((open_fn)real_open)(path, flags, mode);
	struct stat st;

	if (fd >= 0 && watch.armed && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		watch.regular_files++;
		watch.file = st;
	}
	return fd;
}

static void watch_begin(void)
{
	sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);

	if (!real_open && vfs && vfs->iVersion >= 3 && vfs->xGetSystemCall && vfs->xSetSystemCall &&
	    (real_open = vfs->xGetSystemCall(vfs, "open")) != NULL &&
	    vfs->xSetSystemCall(vfs, "open", (sqlite3_syscall_ptr)watching_open) != SQLITE_OK)
		real_open = NULL;
	watch.armed = real_open != NULL;
	watch.regular_files = 0;
}

static void watch_end(struct store *store)
{
	store->file_known = watch.armed && watch.regular_files == 1;
	if (store->file_known)
		store->file = watch.file;
	watch.armed = false;
}

const struct stat *store_file(const struct store *store)
{
	return store->file_known ? &store->file : NULL;
}

/* mkdir -p for the directory part of path. The folders it makes are the
 * user's alone (0700, whatever the umask): a board is nobody else's to read. */
static void make_parent_dirs(const char *path)
{
	char dir[4096];

	snprintf(dir, sizeof dir, "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) == 0)
			chmod(dir, 0700);
		*p = '/';
	}
}

/* A new database file, 0600 whatever the umask (SQLite would make it 0644
 * less the umask); its -wal and -shm take the same mode from it. Losing a
 * race to another process creating it is fine: the file exists. */
static enum lb_status create_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0 && errno == EEXIST)
		return LB_OK;
	if (fd < 0)
		return lb_fail(errno == EACCES || errno == EPERM || errno == EROFS ? LB_NOPERM
										     : LB_NOINPUT,
			       "cannot create %s: %s", path, strerror(errno));
	if (fchmod(fd, 0600) != 0) {
		int err = errno;
		close(fd);
		unlink(path);
		return lb_fail(LB_NOPERM, "cannot create %s: %s", path, strerror(err));
	}
	close(fd);
	return LB_OK;
}

/* Explain up front what SQLite would only report vaguely. A file that can
 * be read but not written is fine: it opens read-only. */
static enum lb_status check_file(const char *path, enum store_open_mode mode)
{
	struct stat st;
	int fd;

	if (stat(path, &st) != 0) {
		if (errno == ENOENT && mode == STORE_OPEN_CREATE)
			return LB_OK;
		if (errno == ENOENT)
			return lb_fail(LB_NOINPUT, "no leadboard database at %s (create it with "
						   "leadboard init)", path);
		return lb_fail(errno == EACCES ? LB_NOPERM : LB_NOINPUT, "cannot open %s: %s",
			       path, strerror(errno));
	}
	if (S_ISDIR(st.st_mode))
		return lb_fail(LB_NOINPUT, "%s is a directory, not a database", path);
	if (!S_ISREG(st.st_mode))
		return lb_fail(LB_NOINPUT, "%s is not a regular file", path);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS))
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lb_fail(errno == EACCES || errno == EPERM ? LB_NOPERM : LB_NOINPUT,
			       "cannot open %s: %s", path, strerror(errno));
	close(fd);
	return LB_OK;
}

/*
 * A WAL database is read through its -shm index, which SQLite creates
 * beside it (and a -wal) on the first read when it can. A reader who may not
 * write the file must not leave those behind: made with the file's mode,
 * read-only, they would turn its owner's next session read-only too. And in
 * a folder the user may not write to (a read-only file system, say) they
 * cannot be made at all. So when the file cannot be written and no -shm
 * exists (no connection has the database open), or the index cannot be
 * made, the file is read as it stands, in SQLite's immutable mode: provided
 * no -wal holds changes the file lacks.
 */
static int open_unwritable(struct store *store)
{
	static const char probe[] = "SELECT count(*) FROM sqlite_schema";
	char uri[sizeof store->path * 3 + 32], name[sizeof store->path + 8];
	size_t used = 0;
	struct stat st;
	int rc = SQLITE_OK;

	store->read_only = sqlite3_db_readonly(store->db, "main") == 1;
	snprintf(name, sizeof name, "%s-shm", store->path);
	if (!store->read_only || stat(name, &st) == 0) {
		rc = sqlite3_exec(store->db, probe, NULL, NULL, NULL);
		/* the index cannot be made: refused (READONLY), or open(2)
		 * failed (CANTOPEN, on a read-only file system) */
		if (rc != SQLITE_READONLY && rc != SQLITE_CANTOPEN)
			return SQLITE_OK;   /* readable, or a failure the next step reports */
		store->read_only = true;
	}
	snprintf(name, sizeof name, "%s-wal", store->path);
	if (stat(name, &st) == 0 && st.st_size > 0) {
		lb_fail(LB_NOPERM, "%s is read-only and %s holds changes not in it yet; its "
				   "owner can fold them in with: sqlite3 %s 'PRAGMA wal_checkpoint'",
			store->path, name, store->path);
		return SQLITE_READONLY;
	}
	/* a URI: %, ? and # in the path are escaped */
	used = (size_t)snprintf(uri, sizeof uri, "file:");
	for (const char *p = store->path; *p && used + 4 < sizeof uri; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			used += (size_t)snprintf(uri + used, sizeof uri - used, "%%%02X",
						 (unsigned char)*p);
		else
			uri[used++] = *p;
	}
	snprintf(uri + used, sizeof uri - used, "?immutable=1");
	sqlite3_close(store->db);
	store->db = NULL;
	watch_begin();
	rc = sqlite3_open_v2(uri, &store->db,
			     SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
	watch_end(store);
	return rc;
}

bool store_read_only(const struct store *store)
{
	return store->read_only;
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

enum lb_status store_open(const char *path, enum store_open_mode mode, struct store **out)
{
	struct store *store;
	enum lb_status st;
	int rc;

	*out = NULL;
	if ((st = check_file(path, mode)))
		return st;
	if (mode == STORE_OPEN_CREATE && access(path, F_OK) != 0) {
		make_parent_dirs(path);
		if ((st = create_file(path)))
			return st;
	}
	store = calloc(1, sizeof *store);
	if (!store)
		return lb_fail(LB_SOFTWARE, "out of memory");
	snprintf(store->path, sizeof store->path, "%s", path);
	store->writer_lock_fd = -1;
	/* NOMUTEX: one thread per connection here, so SQLite need not lock its
	 * mutex on every call (a seventh of a million-event report). */
	watch_begin();
	rc = sqlite3_open_v2(path, &store->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	watch_end(store);
	if (rc == SQLITE_OK)
		rc = open_unwritable(store);
	if (rc != SQLITE_OK) {
		st = lb_fail(LB_NOINPUT, "cannot open %s: %s", path,
			     store->db ? sqlite3_errmsg(store->db) : "out of memory");
		store_close(store);
		return st;
	}
	sqlite3_extended_result_codes(store->db, 1);
	sqlite3_busy_handler(store->db, busy_wait, store);
	sqlite3_wal_hook(store->db, note_wal_size, store);
	/* temp_store=MEMORY: no temporary files, so SQLITE_TMPDIR/TMPDIR cannot
	 * point the program at someone else's directory. */
	st = exec(store, "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
			 "PRAGMA synchronous = FULL;", "opening the database");
	/* A leadboard database is in WAL mode from its creation on: only a new
	 * (writable) one needs telling. */
	if (!st && !store->read_only)
		st = switch_to_wal(store);
	if (!st)
		st = migrate(store, mode);
	if (st) {
		store_close(store);
		return st;
	}
	/* only beside a file that is a leadboard database */
	if (!store->read_only)
		store_writers_open(store);
	*out = store;
	return LB_OK;
}

void store_close(struct store *store)
{
	if (!store)
		return;
	for (int i = 0; i < store->statement_count; i++)
		sqlite3_finalize(store->statements[i].stmt);
	if (store->db) {
		/* The last connection out folds the WAL back into the file
		 * anyway; with others still open, this one does what it can. */
		if (store->wal_pages >= CHECKPOINT_AT_CLOSE_PAGES)
			store_checkpoint(store);
		sqlite3_close(store->db);
	}
	store_writers_close(store);
	free(store);
}

bool store_was_created(const struct store *store)
{
	return store->created;
}

/* ---- transactions -------------------------------------------------------- */

static enum lb_status run_tx_statement(struct store *store, const char *sql, const char *doing)
{
	sqlite3_stmt *stmt = store_stmt(store, sql);

	return stmt ? store_step_done(store, stmt, doing) : LB_SOFTWARE;
}

enum lb_status store_begin_write(struct store *store)
{
	static const char sql[] = "BEGIN IMMEDIATE";
	enum lb_status st;

	if (store->read_only)
		return lb_fail(LB_NOPERM, "%s is read-only (%s); nothing was changed", store->path,
			       read_only_why(store->path));
	if ((st = store_writers_take(store)))
		return st;
	store->head_seq = 0;
	st = run_tx_statement(store, sql, "starting a change");
	if (st == LB_TEMPFAIL)
		st = lb_fail(LB_TEMPFAIL, "the database stayed busy for %d s; try again",
			     STORE_BUSY_GIVE_UP_MS / 1000);
	store->in_transaction = st == LB_OK;
	if (st)
		store_writers_release(store);
	return st;
}

enum lb_status store_begin_read(struct store *store)
{
	static const char sql[] = "BEGIN";
	enum lb_status st = run_tx_statement(store, sql, "starting to read");

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

enum lb_status store_commit(struct store *store)
{
	static const char sql[] = "COMMIT";
	enum lb_status st;

	/* COMMIT can meet a busy reader in rare WAL cases; the busy handler
	 * waits, and we retry a few times before giving up. */
	for (int attempt = 0; attempt < 5; attempt++) {
		st = run_tx_statement(store, sql, "saving the change");
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
	store_writers_release(store);
	if (store->wal_pages >= CHECKPOINT_NOW_PAGES)
		store_checkpoint(store);
	return LB_OK;
}

void store_rollback(struct store *store)
{
	if (!sqlite3_get_autocommit(store->db))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	store->in_transaction = false;
	store_writers_release(store);
}

enum lb_status store_data_version(struct store *store, int64_t *out)
{
	static const char sql[] = "PRAGMA data_version";

	return read_int_pragma(store, sql, out);
}

void store_checkpoint(struct store *store)
{
	int log = 0, done = 0;

	if (sqlite3_wal_checkpoint_v2(store->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done) ==
	    SQLITE_OK && done == log)
		store->wal_pages = 0;
}

enum lb_status store_integrity_check(struct store *store)
{
	static const char sql[] = "PRAGMA integrity_check";
	sqlite3_stmt *stmt = store_stmt(store, sql);
	char first[512];
	struct store_text text = { first, sizeof first };
	enum lb_status st;

	if (!stmt)
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
