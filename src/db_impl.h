/*
 * db_impl.h - what the two drivers behind db.h share: the connection and
 * statement headers and the table of a driver's operations. Only
 * src/db*.c include it.
 */
#ifndef LEADBOARD_DB_IMPL_H
#define LEADBOARD_DB_IMPL_H

#include "db.h"

struct db_ops {
	void (*close)(struct db *db);
	int (*exec)(struct db *db, const char *sql);
	int (*prepare)(struct db *db, const char *sql, struct db_stmt **out);
	void (*finalize)(struct db_stmt *stmt);
	int (*bind_int64)(struct db_stmt *stmt, int index, int64_t value);
	int (*bind_text)(struct db_stmt *stmt, int index, const char *text);
	int (*bind_null)(struct db_stmt *stmt, int index);
	int (*bind_null_as)(struct db_stmt *stmt, int index, enum db_type type);
	int (*bind_text_len)(struct db_stmt *stmt, int index, const char *text, size_t len);
	int (*bind_double)(struct db_stmt *stmt, int index, double value);
	int (*bind_blob)(struct db_stmt *stmt, int index, const void *bytes, size_t len);
	int (*step)(struct db_stmt *stmt);
	int64_t (*column_int64)(struct db_stmt *stmt, int column);
	const char *(*column_text)(struct db_stmt *stmt, int column);
	size_t (*column_bytes)(struct db_stmt *stmt, int column);
	bool (*column_is_null)(struct db_stmt *stmt, int column);
	enum db_type (*column_type)(struct db_stmt *stmt, int column);
	double (*column_double)(struct db_stmt *stmt, int column);
	const void *(*column_blob)(struct db_stmt *stmt, int column);
	void (*reset)(struct db_stmt *stmt);
	bool (*in_transaction)(struct db *db);
};

/* Every driver's connection starts with this. */
struct db {
	const struct db_ops *ops;
	enum db_backend backend;
	enum db_error error;
	char message[512];
	int64_t changes;
};

/* Every driver's statement starts with this. */
struct db_stmt {
	struct db *db;
};

/* Record the last error of a connection (the message is cut to one line). */
void db_set_error(struct db *db, enum db_error error, const char *message);

#endif
