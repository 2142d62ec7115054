/* db_sqlite.c - db.h on SQLite: a thin layer, each call one sqlite3 call;
 * and which file an open really opened. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "db_impl.h"

struct lite {
	struct db base;
	sqlite3 *handle;
	bool file_known;     /* file is what SQLite opened (db_sqlite_file) */
	struct stat file;
};

struct lite_stmt {
	struct db_stmt base;
	sqlite3_stmt *stmt;
};

static struct lite *lite_of(struct db *db)
{
	return (struct lite *)db;
}

static sqlite3_stmt *raw(struct db_stmt *stmt)
{
	return ((struct lite_stmt *)stmt)->stmt;
}

/* Record SQLite's error of the last call, classified. */
static int fail(struct db *db)
{
	sqlite3 *handle = lite_of(db)->handle;
	enum db_error error;

	switch (sqlite3_extended_errcode(handle) & 0xff) {
	case SQLITE_BUSY: case SQLITE_LOCKED: error = DB_ERR_RETRY; break;
	case SQLITE_CONSTRAINT: error = DB_ERR_CONSTRAINT; break;
	case SQLITE_READONLY: error = DB_ERR_READONLY; break;
	case SQLITE_PERM: case SQLITE_AUTH: error = DB_ERR_PERMISSION; break;
	case SQLITE_NOTADB: error = DB_ERR_NOTADB; break;
	case SQLITE_FULL: error = DB_ERR_FULL; break;
	default: error = DB_ERR_OTHER; break;
	}
	db_set_error(db, error, sqlite3_errmsg(handle));
	return DB_ERROR;
}

static void lite_close(struct db *db)
{
	sqlite3_close(lite_of(db)->handle);
	free(db);
}

static int lite_exec(struct db *db, const char *sql)
{
	if (sqlite3_exec(lite_of(db)->handle, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fail(db);
	return DB_DONE;
}

static int lite_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	struct lite_stmt *s = calloc(1, sizeof *s);

	if (!s) {
		db_set_error(db, DB_ERR_OTHER, "out of memory");
		return DB_ERROR;
	}
	if (sqlite3_prepare_v3(lite_of(db)->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->stmt,
			       NULL) != SQLITE_OK) {
		free(s);
		return fail(db);
	}
	s->base.db = db;
	*out = &s->base;
	return DB_DONE;
}

static void lite_finalize(struct db_stmt *stmt)
{
	sqlite3_finalize(raw(stmt));
	free(stmt);
}

static int lite_bind_int64(struct db_stmt *stmt, int index, int64_t value)
{
	return sqlite3_bind_int64(raw(stmt), index, value) == SQLITE_OK ? DB_DONE
									: fail(stmt->db);
}

static int lite_bind_text(struct db_stmt *stmt, int index, const char *text)
{
	return sqlite3_bind_text(raw(stmt), index, text, -1, SQLITE_STATIC) == SQLITE_OK
		       ? DB_DONE : fail(stmt->db);
}

static int lite_bind_null(struct db_stmt *stmt, int index)
{
	return sqlite3_bind_null(raw(stmt), index) == SQLITE_OK ? DB_DONE : fail(stmt->db);
}

static int lite_bind_null_as(struct db_stmt *stmt, int index, enum db_type type)
{
	(void)type;   /* a NULL is a NULL in any column */
	return lite_bind_null(stmt, index);
}

static int lite_bind_text_len(struct db_stmt *stmt, int index, const char *text, size_t len)
{
	return sqlite3_bind_text(raw(stmt), index, text, (int)len, SQLITE_STATIC) == SQLITE_OK
		       ? DB_DONE : fail(stmt->db);
}

static int lite_bind_double(struct db_stmt *stmt, int index, double value)
{
	return sqlite3_bind_double(raw(stmt), index, value) == SQLITE_OK ? DB_DONE
									 : fail(stmt->db);
}

static int lite_bind_blob(struct db_stmt *stmt, int index, const void *bytes, size_t len)
{
	return sqlite3_bind_blob(raw(stmt), index, bytes, (int)len, SQLITE_STATIC) == SQLITE_OK
		       ? DB_DONE : fail(stmt->db);
}

static enum db_type lite_column_type(struct db_stmt *stmt, int column)
{
	switch (sqlite3_column_type(raw(stmt), column)) {
	case SQLITE_INTEGER: return DB_TYPE_INTEGER;
	case SQLITE_FLOAT: return DB_TYPE_REAL;
	case SQLITE_TEXT: return DB_TYPE_TEXT;
	case SQLITE_BLOB: return DB_TYPE_BLOB;
	default: return DB_TYPE_NULL;
	}
}

static double lite_column_double(struct db_stmt *stmt, int column)
{
	return sqlite3_column_double(raw(stmt), column);
}

static const void *lite_column_blob(struct db_stmt *stmt, int column)
{
	return sqlite3_column_blob(raw(stmt), column);
}

static int lite_step(struct db_stmt *stmt)
{
	int rc = sqlite3_step(raw(stmt));

	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE) {
		stmt->db->changes = sqlite3_changes(lite_of(stmt->db)->handle);
		return DB_DONE;
	}
	return fail(stmt->db);
}

static int64_t lite_column_int64(struct db_stmt *stmt, int column)
{
	return sqlite3_column_int64(raw(stmt), column);
}

static const char *lite_column_text(struct db_stmt *stmt, int column)
{
	return (const char *)sqlite3_column_text(raw(stmt), column);
}

static size_t lite_column_bytes(struct db_stmt *stmt, int column)
{
	return (size_t)sqlite3_column_bytes(raw(stmt), column);
}

static bool lite_column_is_null(struct db_stmt *stmt, int column)
{
	return sqlite3_column_type(raw(stmt), column) == SQLITE_NULL;
}

static void lite_reset(struct db_stmt *stmt)
{
	sqlite3_reset(raw(stmt));
	sqlite3_clear_bindings(raw(stmt));
}

static bool lite_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(lite_of(db)->handle);
}

static const struct db_ops lite_ops = {
	.close = lite_close,
	.exec = lite_exec,
	.prepare = lite_prepare,
	.finalize = lite_finalize,
	.bind_int64 = lite_bind_int64,
	.bind_text = lite_bind_text,
	.bind_null = lite_bind_null,
	.bind_null_as = lite_bind_null_as,
	.bind_text_len = lite_bind_text_len,
	.bind_double = lite_bind_double,
	.bind_blob = lite_bind_blob,
	.step = lite_step,
	.column_int64 = lite_column_int64,
	.column_text = lite_column_text,
	.column_bytes = lite_column_bytes,
	.column_is_null = lite_column_is_null,
	.column_type = lite_column_type,
	.column_double = lite_column_double,
	.column_blob = lite_column_blob,
	.reset = lite_reset,
	.in_transaction = lite_in_transaction,
};

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

static void watch_end(struct lite *lite)
{
	lite->file_known = watch.armed && watch.regular_files == 1;
	if (lite->file_known)
		lite->file = watch.file;
	watch.armed = false;
}

const struct stat *db_sqlite_file(const struct db *db)
{
	const struct lite *lite = (const struct lite *)db;

	return db->backend == DB_SQLITE && lite->file_known ? &lite->file : NULL;
}

int db_open_sqlite(const char *path, int flags, struct db **out)
{
	struct lite *lite = calloc(1, sizeof *lite);
	int rc;

	*out = NULL;
	if (!lite)
		return DB_ERROR;
	lite->base.ops = &lite_ops;
	lite->base.backend = DB_SQLITE;
	*out = &lite->base;
	watch_begin();
	rc = sqlite3_open_v2(path, &lite->handle, flags, NULL);
	watch_end(lite);
	if (rc != SQLITE_OK) {
		if (!lite->handle) {
			db_set_error(&lite->base, DB_ERR_OTHER, "out of memory");
			return DB_ERROR;
		}
		return fail(&lite->base);
	}
	sqlite3_extended_result_codes(lite->handle, 1);
	return DB_DONE;
}

/*
 * How far the WAL is ahead of the database file, from the wal-index header
 * SQLite keeps in shared memory. Its layout is part of the file format
 * (https://sqlite.org/walformat.html, "The WAL-Index Header"): mxFrame, the
 * frames in the WAL, at byte 16; nBackfill, the frames already copied back,
 * at byte 96. The region is the one SQLite has mapped for this connection,
 * reached through the VFS; read without a lock, which is good enough to
 * decide whether a checkpoint is due and no more.
 */
bool db_wal_state(struct db *db, int64_t *frames, int64_t *backlog)
{
	sqlite3_file *file = NULL;
	void volatile *region = NULL;
	const volatile uint32_t *header;
	uint32_t in_wal, copied;

	if (db->backend != DB_SQLITE ||
	    sqlite3_file_control(lite_of(db)->handle, "main", SQLITE_FCNTL_FILE_POINTER, &file) !=
		    SQLITE_OK || !file || !file->pMethods || file->pMethods->iVersion < 2 ||
	    file->pMethods->xShmMap(file, 0, 32768, 0, &region) != SQLITE_OK || !region)
		return false;
	header = region;
	in_wal = header[4];
	copied = header[24];
	*frames = in_wal;
	*backlog = copied <= in_wal ? in_wal - copied : in_wal;
	return true;
}

struct sqlite3 *db_sqlite_handle(struct db *db)
{
	return db->backend == DB_SQLITE ? lite_of(db)->handle : NULL;
}
