/*
 * db.h - one small database interface over SQLite and PostgreSQL, for the
 * store (src/store*.c) alone.
 *
 * It is shaped after SQLite's own statements so that the store reads the
 * same on either engine: prepare once, bind ?1..?N (int64, text, null),
 * step through rows, read columns, reset. SQL is written once with
 * numbered parameters; the PostgreSQL driver turns them into $N when it
 * prepares. What differs between the engines (opening, transactions,
 * locking, pragmas, the schema) stays in the store, chosen by db_backend().
 *
 * Errors: a call that fails returns DB_ERROR (or NULL) and the connection
 * keeps a class (db_error_class) and a message (db_errmsg) for the store to
 * turn into an lb_status.
 */
#ifndef LEADBOARD_DB_H
#define LEADBOARD_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

struct db;        /* a connection */
struct db_stmt;   /* a prepared statement of one connection */
struct sqlite3;

enum db_backend { DB_SQLITE, DB_POSTGRES };

/* What db_step() returns (the values are SQLite's, for easy reading). */
enum { DB_ERROR = 1, DB_ROW = 100, DB_DONE = 101 };

/* What kind of failure the last error on a connection was. */
enum db_error {
	DB_ERR_NONE,
	DB_ERR_RETRY,        /* busy, locked, a lock not granted in time */
	DB_ERR_CONFLICT,     /* a serialization failure or a deadlock: the server
			      * rolled the whole transaction back; it may run again */
	DB_ERR_CONNECTION,   /* the server cannot be reached or went away */
	DB_ERR_CONSTRAINT,   /* a constraint or an append-only trigger refused */
	DB_ERR_READONLY,     /* the file or the server is read-only */
	DB_ERR_PERMISSION,   /* the role may not do this */
	DB_ERR_NOTADB,       /* the file is not a database */
	DB_ERR_FULL,         /* the disk is full */
	DB_ERR_OTHER,
};

/* Whether a --db target names a PostgreSQL database (a postgresql:// or
 * postgres:// URI, or a conninfo string with key=value pairs) rather than
 * a file. */
bool db_target_is_postgres(const char *target);

/* Open a SQLite file (flags as sqlite3_open_v2) or connect to PostgreSQL.
 * On failure *out may still be set (for db_errmsg); close it. */
int db_open_sqlite(const char *path, int flags, struct db **out);
int db_open_postgres(const char *conninfo, struct db **out);

/* Finalize nothing: the caller finalizes its statements first. */
void db_close(struct db *db);

enum db_backend db_backend(const struct db *db);

/* The file db_open_sqlite() opened, as fstat(2) of the descriptor SQLite
 * itself opened (never looked up again by name); NULL when that could not
 * be told (the open did not go through SQLite's unix VFS, or opened more
 * than one regular file), and on PostgreSQL. */
const struct stat *db_sqlite_file(const struct db *db);

/* The SQLite handle, for SQLite's own features (busy handler, WAL hook,
 * checkpoints); NULL on PostgreSQL. */
struct sqlite3 *db_sqlite_handle(struct db *db);

/* SQLite in WAL mode: the frames in the WAL and how many of them are not
 * yet in the database file (read from the shared wal-index without a
 * lock: an estimate for deciding when to checkpoint). false when there is
 * no wal-index (PostgreSQL, or before the first read). */
bool db_wal_state(struct db *db, int64_t *frames, int64_t *backlog);

/* Run one or more statements without parameters or rows. */
int db_exec(struct db *db, const char *sql);

/* Prepare sql (?1..?N parameters); kept until db_finalize(). */
int db_prepare(struct db *db, const char *sql, struct db_stmt **out);
void db_finalize(struct db_stmt *stmt);

/* What a column of the current row holds, as stored (SQLite's storage
 * classes; on PostgreSQL, from the column's type). */
enum db_type { DB_TYPE_NULL, DB_TYPE_INTEGER, DB_TYPE_REAL, DB_TYPE_TEXT, DB_TYPE_BLOB };

/* Parameters are numbered from 1. Text must stay valid until the first
 * db_step() after binding. */
int db_bind_int64(struct db_stmt *stmt, int index, int64_t value);
int db_bind_text(struct db_stmt *stmt, int index, const char *text);
int db_bind_null(struct db_stmt *stmt, int index);
/* A NULL for a column of type (DB_TYPE_INTEGER or DB_TYPE_TEXT): on
 * PostgreSQL the statement's parameter type is then known without asking
 * the server, which saves round trips (db_pg.c). */
int db_bind_null_as(struct db_stmt *stmt, int index, enum db_type type);
/* Text of len bytes (NULs included on SQLite; PostgreSQL's text ends at a
 * NUL), a double, and bytes (SQLite only: DB_ERROR on PostgreSQL, whose
 * schema has no column for them). */
int db_bind_text_len(struct db_stmt *stmt, int index, const char *text, size_t len);
int db_bind_double(struct db_stmt *stmt, int index, double value);
int db_bind_blob(struct db_stmt *stmt, int index, const void *bytes, size_t len);

/* DB_ROW, DB_DONE or DB_ERROR. */
int db_step(struct db_stmt *stmt);

/* Columns of the current row, numbered from 0. Text is valid until the
 * next step or reset; NULL for SQL NULL. Booleans read as 0 and 1. */
int64_t db_column_int64(struct db_stmt *stmt, int column);
const char *db_column_text(struct db_stmt *stmt, int column);
size_t db_column_bytes(struct db_stmt *stmt, int column);
bool db_column_is_null(struct db_stmt *stmt, int column);

enum db_type db_column_type(struct db_stmt *stmt, int column);
double db_column_double(struct db_stmt *stmt, int column);
const void *db_column_blob(struct db_stmt *stmt, int column);

/* Back to before the first step (rows not read are dropped); bindings are
 * cleared too. */
void db_reset(struct db_stmt *stmt);

/* Rows changed by the last INSERT, UPDATE or DELETE. */
int64_t db_changes(struct db *db);

/* Whether a transaction is open on the connection. */
bool db_in_transaction(struct db *db);

/* The last error: its class and its message (one line). */
enum db_error db_error_class(struct db *db);
const char *db_errmsg(struct db *db);

/* ---- PostgreSQL only ---- */

/* The name of the database connected to ("" on SQLite). */
const char *db_name(struct db *db);

/* The connection's socket, to wait on for notifications; -1 on SQLite or
 * when not connected. */
int db_socket(struct db *db);

/* Read what arrived on the socket and count notifications on any channel
 * the connection LISTENs on; *latest is raised to the largest number a
 * notification carried. DB_ERROR when the connection is lost. */
int db_take_notifications(struct db *db, int *count, int64_t *latest);

/* Try to connect again after a lost connection (DB_DONE when it is back). */
int db_reconnect(struct db *db);

#endif
