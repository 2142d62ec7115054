/* db.c - the driver-independent half of db.h: dispatch to the connection's
 * driver, and telling a PostgreSQL target from a file name. */
#include <string.h>

#include "db_impl.h"

bool db_target_is_postgres(const char *target)
{
	const char *p = target;

	/* A URI, or a conninfo string: it starts with a keyword and '='
	 * ("host=/run/postgresql dbname=leadboard"). A file whose name starts
	 * like that can still be named ./host=... */
	if (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0)
		return true;
	while ((*p >= 'a' && *p <= 'z') || *p == '_')
		p++;
	while (*p == ' ')
		p++;
	return p != target && *p == '=';
}

void db_set_error(struct db *db, enum db_error error, const char *message)
{
	size_t n = 0;

	db->error = error;
	/* one line: a server's DETAIL and HINT lines are not ours to show */
	while (message && message[n] && message[n] != '\n' && n + 1 < sizeof db->message) {
		db->message[n] = message[n];
		n++;
	}
	db->message[n] = '\0';
}

void db_close(struct db *db)
{
	if (db)
		db->ops->close(db);
}

enum db_backend db_backend(const struct db *db)
{
	return db->backend;
}

int db_exec(struct db *db, const char *sql)
{
	return db->ops->exec(db, sql);
}

int db_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	*out = NULL;
	return db->ops->prepare(db, sql, out);
}

void db_finalize(struct db_stmt *stmt)
{
	if (stmt)
		stmt->db->ops->finalize(stmt);
}

int db_bind_int64(struct db_stmt *stmt, int index, int64_t value)
{
	return stmt->db->ops->bind_int64(stmt, index, value);
}

int db_bind_text(struct db_stmt *stmt, int index, const char *text)
{
	return stmt->db->ops->bind_text(stmt, index, text);
}

int db_bind_null(struct db_stmt *stmt, int index)
{
	return stmt->db->ops->bind_null(stmt, index);
}

int db_bind_null_as(struct db_stmt *stmt, int index, enum db_type type)
{
	return stmt->db->ops->bind_null_as(stmt, index, type);
}

int db_bind_text_len(struct db_stmt *stmt, int index, const char *text, size_t len)
{
	return stmt->db->ops->bind_text_len(stmt, index, text, len);
}

int db_bind_double(struct db_stmt *stmt, int index, double value)
{
	return stmt->db->ops->bind_double(stmt, index, value);
}

int db_bind_blob(struct db_stmt *stmt, int index, const void *bytes, size_t len)
{
	return stmt->db->ops->bind_blob(stmt, index, bytes, len);
}

enum db_type db_column_type(struct db_stmt *stmt, int column)
{
	return stmt->db->ops->column_type(stmt, column);
}

double db_column_double(struct db_stmt *stmt, int column)
{
	return stmt->db->ops->column_double(stmt, column);
}

const void *db_column_blob(struct db_stmt *stmt, int column)
{
	return stmt->db->ops->column_blob(stmt, column);
}

int db_step(struct db_stmt *stmt)
{
	return stmt->db->ops->step(stmt);
}

int64_t db_column_int64(struct db_stmt *stmt, int column)
{
	return stmt->db->ops->column_int64(stmt, column);
}

const char *db_column_text(struct db_stmt *stmt, int column)
{
	return stmt->db->ops->column_text(stmt, column);
}

size_t db_column_bytes(struct db_stmt *stmt, int column)
{
	return stmt->db->ops->column_bytes(stmt, column);
}

bool db_column_is_null(struct db_stmt *stmt, int column)
{
	return stmt->db->ops->column_is_null(stmt, column);
}

void db_reset(struct db_stmt *stmt)
{
	stmt->db->ops->reset(stmt);
}

int64_t db_changes(struct db *db)
{
	return db->changes;
}

bool db_in_transaction(struct db *db)
{
	return db->ops->in_transaction(db);
}

enum db_error db_error_class(struct db *db)
{
	return db->error;
}

const char *db_errmsg(struct db *db)
{
	return db->message;
}
