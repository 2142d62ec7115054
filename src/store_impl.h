/*
 * store_impl.h - what the store's own files share: the connection and its
 * statement cache. Not for anyone outside src/store*.c.
 */
#ifndef LEADBOARD_STORE_IMPL_H
#define LEADBOARD_STORE_IMPL_H

#include <sqlite3.h>
#include <sys/stat.h>

#include "leadboard/store.h"

#define STORE_MAX_STATEMENTS 128

struct store_statement {
	const char *sql;      /* identity: the static string it was prepared from */
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char path[4096];
	bool created;
	bool in_transaction;
	int64_t busy_since_ms;   /* when the current wait for a lock began */
	int wal_pages;           /* pages in the WAL after this connection's last commit */
	int writer_lock_fd;      /* <db>-lock, the writers' queue; -1 without one */
	bool writer_locked;
	bool read_only;          /* opened read-only: the file or its file system */
	bool file_known;         /* file is what SQLite has open (store_file()) */
	struct stat file;
	struct store_statement statements[STORE_MAX_STATEMENTS];
	int statement_count;
};

/* The statement for sql (a string literal: its address is the cache key),
 * prepared on first use and kept until store_close(); reset and unbound
 * before it is returned. NULL (with lb_fail) when it cannot be prepared. */
sqlite3_stmt *store_stmt(struct store *store, const char *sql);

/* Turn an unexpected SQLite result into LB_SOFTWARE (or LB_TEMPFAIL when
 * busy) with the database's message. */
enum lb_status store_error(struct store *store, const char *doing);

/* Bind text, or NULL when empty. */
int store_bind_text(sqlite3_stmt *stmt, int index, const char *text);

/* Copy a column's text into out (size bytes; "" for NULL). */
void store_column_text(sqlite3_stmt *stmt, int column, char *out, size_t size);

/* Every column of a lead (table alias l), in the order store_read_lead()
 * reads them. */
#define STORE_LEAD_COLUMNS                                                               \
	"l.id, l.name, l.email, l.company, l.title, l.country, l.employees, l.segment, "   \
	"l.source, l.score, l.stage, l.owner, l.recycle_count, l.handoff_count, "          \
	"l.last_reason, l.last_note, l.version, l.created_at, l.updated_at, "              \
	"l.stage_entered_at, l.handed_off_at"

/* Read a row selected with STORE_LEAD_COLUMNS (from column 0) into lead. */
void store_read_lead(sqlite3_stmt *stmt, struct lead *lead);

/* Bind every column of a lead, in STORE_LEAD_COLUMNS order, to ?1..?21. */
void store_bind_lead(sqlite3_stmt *stmt, const struct lead *lead);

/* Step a statement that returns one integer (column 0) and reset it. */
enum lb_status store_step_int(struct store *store, sqlite3_stmt *stmt, const char *doing,
			      int64_t *out);

/* A LIKE pattern (ESCAPE '\\') matching text anywhere, with % _ and \
 * taken literally. */
void store_like_pattern(const char *text, char *out, size_t size);

/* Run a statement that returns no rows. */
enum lb_status store_step_done(struct store *store, sqlite3_stmt *stmt, const char *doing);

#endif
