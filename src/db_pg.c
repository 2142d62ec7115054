/*
 * db_pg.c - db.h on PostgreSQL, through libpq.
 *
 * Statements run unnamed the first time and are prepared on the server under
 * a name of their own when they run again (start, prepare_on_server), with the
 * SQL's ?N parameters rewritten to $N and LIKE to ILIKE (SQLite's LIKE
 * ignores ASCII case; PostgreSQL's ILIKE is the operator that does), outside
 * string literals, quoted names and comments. Values travel as text. Rows
 * arrive one at a time (libpq's single-row mode), so a walk over a million
 * events holds one row in memory, not the whole result. A connection runs
 * one query at a time: when another statement starts while one is still
 * delivering rows (a query inside another's loop), the rest of the first
 * one's rows are read into memory first, and its steps then come from
 * there.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db_impl.h"
#include "pq.h"

enum pg_state {
	PG_IDLE,        /* not started since the last reset */
	PG_STREAMING,   /* rows arriving from the server */
	PG_BUFFERED,    /* the remaining rows were read into memory */
	PG_FINISHED,    /* every row was read */
};

struct pg_stmt {
	struct db_stmt base;
	struct pg_stmt *next;     /* the connection's statements */
	char name[24];
	char *sql;                /* rewritten for the server */
	int param_count;
	bool prepared;            /* on the server, on this connection */
	unsigned runs;            /* times started since made (or the connection reset) */
	const char **values;      /* bound parameters: text, or NULL */
	char (*numbers)[24];      /* the text of bound integers */
	Oid *types;               /* what was bound: int8, text, or 0 for NULL */
	uint64_t text_when_null;  /* tested with IS NULL, or never named: text when NULL */
	enum pg_state state;
	PGresult *row;            /* the current row (a one-row result) */
	PGresult **buffer;        /* PG_BUFFERED: rows not stepped to yet */
	size_t buffered, taken;
	int end_rc;               /* PG_BUFFERED: what the last step returns */
	enum db_error end_error;
	char *end_message;
};

struct pg {
	struct db base;
	PGconn *conn;
	struct pg_stmt *statements;
	struct pg_stmt *streaming;   /* the statement whose rows are arriving */
	unsigned next_name;
};

static struct pg *pg_of(struct db *db)
{
	return (struct pg *)db;
}

static struct pg_stmt *stmt_of(struct db_stmt *stmt)
{
	return (struct pg_stmt *)stmt;
}

/* ---- errors ---------------------------------------------------------------- */

static enum db_error classify(const char *state)
{
	if (!state)
		return DB_ERR_OTHER;
	/* 40001 serialization failure, 40P01 deadlock */
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return DB_ERR_CONFLICT;
	/* 55P03 lock not available (lock_timeout) */
	if (strcmp(state, "55P03") == 0)
		return DB_ERR_RETRY;
	/* 08: connection exceptions; 57P01-57P03: the server is shutting down
	 * or starting; 53300 too many connections */
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P0", 4) == 0 ||
	    strcmp(state, "53300") == 0)
		return DB_ERR_CONNECTION;
	/* 23: integrity constraints; P0001: a trigger's RAISE (append-only) */
	if (strncmp(state, "23", 2) == 0 || strcmp(state, "P0001") == 0)
		return DB_ERR_CONSTRAINT;
	if (strcmp(state, "25006") == 0)
		return DB_ERR_READONLY;
	if (strcmp(state, "42501") == 0)
		return DB_ERR_PERMISSION;
	if (strcmp(state, "53100") == 0)
		return DB_ERR_FULL;
	return DB_ERR_OTHER;
}

/* Record the error of a result (or, without one, of the connection). */
static int fail(struct pg *pg, const PGresult *res)
{
	const char *message = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	enum db_error error = res ? classify(PQresultErrorField(res, PG_DIAG_SQLSTATE))
				  : DB_ERR_OTHER;

	if (PQstatus(pg->conn) != CONNECTION_OK)
		error = DB_ERR_CONNECTION;
	if (!message)
		message = PQerrorMessage(pg->conn);
	db_set_error(&pg->base, error, message);
	return DB_ERROR;
}

/* ---- rewriting ?N ------------------------------------------------------------ */

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* ?N to $N and LIKE to ILIKE outside quotes and comments; the highest N in
 * *params, and in *text_when_null (N <= 64) the parameters tested with IS NULL and
 * those the text never names (a statement written for both engines may
 * leave one out on PostgreSQL; unnamed, the server cannot tell its type and
 * would log an error for each command). NULL when out of memory. */
static char *rewrite(const char *sql, int *params, uint64_t *text_when_null)
{
	size_t len = strlen(sql);
	char *out = malloc(len * 2 + 1), *o = out;
	const char *p = sql;
	uint64_t named = 0;

	*params = 0;
	*text_when_null = 0;
	if (!out)
		return NULL;
	while (*p) {
		if (*p == '\'' || *p == '"') {
			char quote = *p;
			*o++ = *p++;
			while (*p && *p != quote)
				*o++ = *p++;
			if (*p)
				*o++ = *p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				*o++ = *p++;
		} else if (*p == '?' && isdigit((unsigned char)p[1])) {
			int n = atoi(p + 1);
			if (n > *params)
				*params = n;
			if (n >= 1 && n <= 64)
				named |= (uint64_t)1 << (n - 1);
			*o++ = '$';
			p++;
			while (isdigit((unsigned char)*p))
				*o++ = *p++;
			if (n <= 64 && strncasecmp(p, " IS NULL", 8) == 0)
				*text_when_null |= (uint64_t)1 << (n - 1);
		} else if (strncasecmp(p, "like", 4) == 0 && (p == sql || !word_char(p[-1])) &&
			   !word_char(p[4])) {
			*o++ = 'I';
			memcpy(o, p, 4);
			o += 4;
			p += 4;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	for (int n = 1; n <= *params && n <= 64; n++)
		if (!(named >> (n - 1) & 1))
			*text_when_null |= (uint64_t)1 << (n - 1);
	return out;
}

/* ---- one query at a time ----------------------------------------------------- */

static void clear_row(struct pg_stmt *s)
{
	PQclear(s->row);
	s->row = NULL;
}

/* Read and drop whatever the current query still has to deliver. */
static void drain(struct pg *pg)
{
	PGresult *res;

	while ((res = PQgetResult(pg->conn)) != NULL)
		PQclear(res);
	pg->streaming = NULL;
}

/* The next row of a streaming statement: DB_ROW (s->row set), DB_DONE or
 * DB_ERROR (recorded on the connection); the query is over after the last
 * two. */
static int next_streamed(struct pg *pg, struct pg_stmt *s, PGresult **row)
{
	PGresult *res = PQgetResult(pg->conn);
	int rc = DB_DONE;

	*row = NULL;
	if (!res) {
		pg->streaming = NULL;
		return PQstatus(pg->conn) == CONNECTION_OK ? DB_DONE : fail(pg, NULL);
	}
	switch (PQresultStatus(res)) {
	case PGRES_SINGLE_TUPLE:
		*row = res;
		return DB_ROW;
	case PGRES_TUPLES_OK:
		break;
	case PGRES_COMMAND_OK:
		pg->base.changes = strtoll(PQcmdTuples(res), NULL, 10);
		/* COMMIT of a transaction a failed statement aborted rolls back */
		if (strcmp(s->sql, "COMMIT") == 0 && strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
			db_set_error(&pg->base, DB_ERR_OTHER, "the change was rolled back");
			rc = DB_ERROR;
		}
		break;
	default:
		rc = fail(pg, res);
		break;
	}
	PQclear(res);
	drain(pg);
	return rc;
}

/* Read the rest of the streaming statement's rows into memory, so that the
 * connection is free for another query. */
static void park_streaming(struct pg *pg)
{
	struct pg_stmt *s = pg->streaming;
	PGresult *row;
	int rc;

	if (!s)
		return;
	while ((rc = next_streamed(pg, s, &row)) == DB_ROW) {
		PGresult **grown = realloc(s->buffer, (s->buffered + 1) * sizeof *grown);
		if (!grown) {
			PQclear(row);
			drain(pg);
			rc = DB_ERROR;
			db_set_error(&pg->base, DB_ERR_OTHER, "out of memory");
			break;
		}
		s->buffer = grown;
		s->buffer[s->buffered++] = row;
	}
	s->end_rc = rc;
	s->end_error = pg->base.error;
	free(s->end_message);
	s->end_message = rc == DB_ERROR ? strdup(pg->base.message) : NULL;
	s->state = PG_BUFFERED;
	pg->streaming = NULL;
}

static void free_buffer(struct pg_stmt *s)
{
	for (size_t i = s->taken; i < s->buffered; i++)
		PQclear(s->buffer[i]);
	free(s->buffer);
	s->buffer = NULL;
	s->buffered = s->taken = 0;
	free(s->end_message);
	s->end_message = NULL;
}

/* Let go of every row s holds or has yet to receive, so that it can run
 * again (reset) or be freed (finalize). */
static void drop_rows(struct pg *pg, struct pg_stmt *s)
{
	if (pg->streaming == s)
		drain(pg);
	clear_row(s);
	free_buffer(s);
}

/* ---- the driver ------------------------------------------------------------- */

static void pg_close(struct db *db)
{
	struct pg *pg = pg_of(db);

	if (pg->conn)
		PQfinish(pg->conn);
	free(pg);
}

static int pg_exec(struct db *db, const char *sql)
{
	struct pg *pg = pg_of(db);
	PGresult *res;
	int rc = DB_DONE;

	size_t len = strlen(sql);

	park_streaming(pg);
	res = PQexec(pg->conn, sql);
	if (!res || (PQresultStatus(res) != PGRES_COMMAND_OK &&
		     PQresultStatus(res) != PGRES_TUPLES_OK)) {
		rc = fail(pg, res);
	} else if (len >= 6 && strcmp(sql + len - 6, "COMMIT") == 0 &&
		   strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
		/* COMMIT of a transaction a failed statement aborted rolls back */
		db_set_error(db, DB_ERR_OTHER, "the change was rolled back");
		rc = DB_ERROR;
	}
	PQclear(res);
	return rc;
}

#define INT8_TYPE 20
#define TEXT_TYPE 25

/*
 * Prepared on first use, with the types of the values bound then: an
 * integer is int8 and a text is text, a NULL is left for the server to infer
 * from where it is used, except one tested with IS NULL (?1 IS NULL OR
 * x = ?1): that is text. Should the server still not tell, NULLs are
 * taken as text. Inside a transaction a failed PREPARE would abort it, so
 * when a type is left to the server the attempts run under a savepoint.
 */
static bool exec_quietly(struct pg *pg, const char *sql)
{
	PGresult *res = PQexec(pg->conn, sql);
	bool done = res && PQresultStatus(res) == PGRES_COMMAND_OK;

	PQclear(res);
	return done;
}

static int prepare_on_server(struct pg *pg, struct pg_stmt *s)
{
	bool guarded = false;
	PGresult *res = NULL;
	int rc = DB_DONE;

	park_streaming(pg);
	/* only a parameter of unknown type can make the server refuse */
	for (int i = 0; i < s->param_count; i++)
		if (!s->types[i])
			guarded = PQtransactionStatus(pg->conn) == PQTRANS_INTRANS;
	if (guarded && !exec_quietly(pg, "SAVEPOINT lb_prepare"))
		return fail(pg, NULL);
	for (int attempt = 0; attempt < 2; attempt++) {
		const char *state;
		PQclear(res);
		res = PQprepare(pg->conn, s->name, s->sql, s->param_count, s->types);
		if (res && PQresultStatus(res) == PGRES_COMMAND_OK)
			break;
		state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		if (attempt == 1 || !state ||
		    (strcmp(state, "42P18") != 0 && strcmp(state, "42P08") != 0)) {
			rc = fail(pg, res);
			break;
		}
		if (guarded && !exec_quietly(pg, "ROLLBACK TO SAVEPOINT lb_prepare")) {
			rc = fail(pg, NULL);
			break;
		}
		for (int i = 0; i < s->param_count; i++)
			if (!s->types[i])
				s->types[i] = TEXT_TYPE;
	}
	PQclear(res);
	if (guarded && rc == DB_DONE && !exec_quietly(pg, "RELEASE SAVEPOINT lb_prepare"))
		rc = fail(pg, NULL);
	s->prepared = rc == DB_DONE;
	return rc;
}

/* The type parameter I (from 0) is prepared with while NULL: text, or left
 * for the server to infer (0). */
static Oid null_type(const struct pg_stmt *s, int i)
{
	return i < 64 && (s->text_when_null >> i & 1) ? TEXT_TYPE : 0;
}

/* The types a parameter left unbound (NULL) is prepared with. */
static void default_types(struct pg_stmt *s)
{
	for (int i = 0; i < s->param_count; i++)
		s->types[i] = null_type(s, i);
}

static void pg_finalize(struct db_stmt *stmt)
{
	struct pg_stmt *s = stmt_of(stmt);
	struct pg *pg = pg_of(stmt->db);

	drop_rows(pg, s);
	for (struct pg_stmt **p = &pg->statements; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			break;
		}
	/* the server forgets it with the session; the store finalizes only at close */
	free(s->sql);
	free(s->values);
	free(s->numbers);
	free(s->types);
	free(s);
}

static int pg_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	struct pg *pg = pg_of(db);
	struct pg_stmt *s = calloc(1, sizeof *s);

	if (!s || !(s->sql = rewrite(sql, &s->param_count, &s->text_when_null))) {
		free(s);
		db_set_error(db, DB_ERR_OTHER, "out of memory");
		return DB_ERROR;
	}
	s->values = calloc((size_t)s->param_count + 1, sizeof *s->values);
	s->numbers = calloc((size_t)s->param_count + 1, sizeof *s->numbers);
	s->types = calloc((size_t)s->param_count + 1, sizeof *s->types);
	s->base.db = db;
	snprintf(s->name, sizeof s->name, "lb%u", ++pg->next_name);
	s->next = pg->statements;
	pg->statements = s;
	if (!s->values || !s->numbers || !s->types) {
		pg_finalize(&s->base);
		db_set_error(db, DB_ERR_OTHER, "out of memory");
		return DB_ERROR;
	}
	default_types(s);
	*out = &s->base;
	return DB_DONE;
}

static bool in_range(struct pg_stmt *s, int index)
{
	if (index >= 1 && index <= s->param_count)
		return true;
	db_set_error(s->base.db, DB_ERR_OTHER, "parameter index out of range");
	return false;
}

static int pg_bind_int64(struct db_stmt *stmt, int index, int64_t value)
{
	struct pg_stmt *s = stmt_of(stmt);

	if (!in_range(s, index))
		return DB_ERROR;
	snprintf(s->numbers[index - 1], sizeof s->numbers[0], "%" PRId64, value);
	s->values[index - 1] = s->numbers[index - 1];
	if (!s->prepared)
		s->types[index - 1] = INT8_TYPE;
	return DB_DONE;
}

static int pg_bind_text(struct db_stmt *stmt, int index, const char *text)
{
	struct pg_stmt *s = stmt_of(stmt);

	if (!in_range(s, index))
		return DB_ERROR;
	s->values[index - 1] = text;
	if (!s->prepared)
		s->types[index - 1] = text ? TEXT_TYPE : 0;
	return DB_DONE;
}

static int pg_bind_null(struct db_stmt *stmt, int index)
{
	struct pg_stmt *s = stmt_of(stmt);

	if (!in_range(s, index))
		return DB_ERROR;
	s->values[index - 1] = NULL;
	if (!s->prepared)
		s->types[index - 1] = null_type(s, index - 1);
	return DB_DONE;
}

static int pg_bind_null_as(struct db_stmt *stmt, int index, enum db_type type)
{
	struct pg_stmt *s = stmt_of(stmt);

	if (!in_range(s, index))
		return DB_ERROR;
	s->values[index - 1] = NULL;
	if (!s->prepared)
		s->types[index - 1] = type == DB_TYPE_INTEGER ? INT8_TYPE : TEXT_TYPE;
	return DB_DONE;
}

static int pg_bind_text_len(struct db_stmt *stmt, int index, const char *text, size_t len)
{
	(void)len;   /* a PostgreSQL text ends at its NUL */
	return pg_bind_text(stmt, index, text);
}

static int pg_bind_double(struct db_stmt *stmt, int index, double value)
{
	struct pg_stmt *s = stmt_of(stmt);

	if (!in_range(s, index))
		return DB_ERROR;
	snprintf(s->numbers[index - 1], sizeof s->numbers[0], "%.17g", value);
	s->values[index - 1] = s->numbers[index - 1];
	if (!s->prepared)
		s->types[index - 1] = 701;   /* float8 */
	return DB_DONE;
}

static int pg_bind_blob(struct db_stmt *stmt, int index, const void *bytes, size_t len)
{
	(void)index;
	(void)bytes;
	(void)len;
	db_set_error(stmt->db, DB_ERR_OTHER, "binary values have no column on PostgreSQL");
	return DB_ERROR;
}

/* Whether every parameter's type is known from what was bound. */
static bool types_known(const struct pg_stmt *s)
{
	for (int i = 0; i < s->param_count; i++)
		if (!s->types[i])
			return false;
	return true;
}

/*
 * A statement's first two runs go to the server in one round trip each,
 * parsed, bound and run together (an unnamed statement); a statement that
 * runs a third time is prepared under its name, and runs from then on
 * without being parsed. A command runs its statements once or twice, so it
 * pays one round trip for each run instead of a second for preparing; a
 * board, which runs the same ones all day, has them prepared within its
 * first few refreshes.
 */
static int start(struct pg *pg, struct pg_stmt *s)
{
	int sent;

	park_streaming(pg);
	if (!s->prepared && s->runs >= 2 && prepare_on_server(pg, s) != DB_DONE)
		return DB_ERROR;
	if (!s->prepared && types_known(s))
		sent = PQsendQueryParams(pg->conn, s->sql, s->param_count, s->types, s->values,
					 NULL, NULL, 0);
	else if (!s->prepared && prepare_on_server(pg, s) != DB_DONE)
		return DB_ERROR;
	else
		sent = PQsendQueryPrepared(pg->conn, s->name, s->param_count, s->values, NULL,
					   NULL, 0);
	if (!sent)
		return fail(pg, NULL);
	s->runs++;
	PQsetSingleRowMode(pg->conn);
	pg->streaming = s;
	s->state = PG_STREAMING;
	return DB_DONE;
}

static int pg_step(struct db_stmt *stmt)
{
	struct pg_stmt *s = stmt_of(stmt);
	struct pg *pg = pg_of(stmt->db);
	int rc;

	clear_row(s);
	switch (s->state) {
	case PG_IDLE:
		if (start(pg, s) != DB_DONE) {
			s->state = PG_FINISHED;
			return DB_ERROR;
		}
		/* fall through */
	case PG_STREAMING:
		rc = next_streamed(pg, s, &s->row);
		if (rc != DB_ROW)
			s->state = PG_FINISHED;
		return rc;
	case PG_BUFFERED:
		if (s->taken < s->buffered) {
			s->row = s->buffer[s->taken++];
			return DB_ROW;
		}
		s->state = PG_FINISHED;
		if (s->end_rc == DB_ERROR)
			db_set_error(stmt->db, s->end_error, s->end_message);
		return s->end_rc;
	case PG_FINISHED:
		break;
	}
	return DB_DONE;
}

static const char *value(struct db_stmt *stmt, int column)
{
	PGresult *row = stmt_of(stmt)->row;

	if (!row || column >= PQnfields(row) || PQgetisnull(row, 0, column))
		return NULL;
	return PQgetvalue(row, 0, column);
}

static int64_t pg_column_int64(struct db_stmt *stmt, int column)
{
	const char *text = value(stmt, column);

	if (!text)
		return 0;
	if (text[0] == 't' && text[1] == '\0')
		return 1;
	return strtoll(text, NULL, 10);   /* "f" reads as 0 */
}

static const char *pg_column_text(struct db_stmt *stmt, int column)
{
	return value(stmt, column);
}

static size_t pg_column_bytes(struct db_stmt *stmt, int column)
{
	PGresult *row = stmt_of(stmt)->row;

	return value(stmt, column) ? (size_t)PQgetlength(row, 0, column) : 0;
}

static bool pg_column_is_null(struct db_stmt *stmt, int column)
{
	return value(stmt, column) == NULL;
}

static enum db_type pg_column_type(struct db_stmt *stmt, int column)
{
	PGresult *row = stmt_of(stmt)->row;

	if (!value(stmt, column))
		return DB_TYPE_NULL;
	switch (PQftype(row, column)) {
	case 20: case 21: case 23: return DB_TYPE_INTEGER;   /* int8, int2, int4 */
	case 700: case 701: return DB_TYPE_REAL;             /* float4, float8 */
	case 17: return DB_TYPE_BLOB;                        /* bytea */
	default: return DB_TYPE_TEXT;
	}
}

static double pg_column_double(struct db_stmt *stmt, int column)
{
	const char *text = value(stmt, column);

	return text ? strtod(text, NULL) : 0;
}

static const void *pg_column_blob(struct db_stmt *stmt, int column)
{
	return value(stmt, column);
}

static void pg_reset(struct db_stmt *stmt)
{
	struct pg_stmt *s = stmt_of(stmt);

	drop_rows(pg_of(stmt->db), s);
	memset(s->values, 0, (size_t)s->param_count * sizeof *s->values);
	if (!s->prepared)
		default_types(s);
	s->state = PG_IDLE;
}

static bool pg_in_transaction(struct db *db)
{
	PGTransactionStatusType t = PQtransactionStatus(pg_of(db)->conn);

	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

static const struct db_ops pg_ops = {
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.bind_null_as = pg_bind_null_as,
	.bind_text_len = pg_bind_text_len,
	.bind_double = pg_bind_double,
	.bind_blob = pg_bind_blob,
	.step = pg_step,
	.column_int64 = pg_column_int64,
	.column_text = pg_column_text,
	.column_bytes = pg_column_bytes,
	.column_is_null = pg_column_is_null,
	.column_type = pg_column_type,
	.column_double = pg_column_double,
	.column_blob = pg_column_blob,
	.reset = pg_reset,
	.in_transaction = pg_in_transaction,
};

/* The server's notices (CREATE ... IF NOT EXISTS skipping) are not for
 * the terminal. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int db_open_postgres(const char *conninfo, struct db **out)
{
	/* Defaults first: what the target itself says comes later and wins. */
	const char *keys[] = { "connect_timeout", "client_encoding",
			       "fallback_application_name", "dbname", NULL };
	const char *values[] = { "10", "UTF8", "leadboard", conninfo, NULL };
	struct pg *pg = calloc(1, sizeof *pg);
	char why[512];

	*out = NULL;
	if (!pg)
		return DB_ERROR;
	pg->base.ops = &pg_ops;
	pg->base.backend = DB_POSTGRES;
	*out = &pg->base;
	if (!pq_load(why, sizeof why)) {
		db_set_error(&pg->base, DB_ERR_OTHER, why);
		return DB_ERROR;
	}
	pg->conn = PQconnectdbParams(keys, values, 1);
	if (!pg->conn) {
		db_set_error(&pg->base, DB_ERR_CONNECTION, "out of memory");
		return DB_ERROR;
	}
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		db_set_error(&pg->base, DB_ERR_CONNECTION, PQerrorMessage(pg->conn));
		return DB_ERROR;
	}
	PQsetNoticeProcessor(pg->conn, quiet, NULL);
	return DB_DONE;
}

const char *db_name(struct db *db)
{
	return db->backend == DB_POSTGRES ? PQdb(pg_of(db)->conn) : "";
}

int db_socket(struct db *db)
{
	if (db->backend != DB_POSTGRES || PQstatus(pg_of(db)->conn) != CONNECTION_OK)
		return -1;
	return PQsocket(pg_of(db)->conn);
}

int db_take_notifications(struct db *db, int *count, int64_t *latest)
{
	struct pg *pg = pg_of(db);
	PGnotify *n;

	*count = 0;
	if (db->backend != DB_POSTGRES)
		return DB_DONE;
	if (pg->streaming || !PQconsumeInput(pg->conn) || PQstatus(pg->conn) != CONNECTION_OK) {
		if (pg->streaming)
			return DB_DONE;
		return fail(pg, NULL);
	}
	while ((n = PQnotifies(pg->conn)) != NULL) {
		/* one that names no seq (a NOTIFY by hand after SQL edits)
		 * says only that something changed: as far as can be told */
		int64_t seq = n->extra && n->extra[0] ? strtoll(n->extra, NULL, 10) : INT64_MAX;
		if (seq > *latest)
			*latest = seq;
		(*count)++;
		PQfreemem(n);
	}
	return DB_DONE;
}

int db_reconnect(struct db *db)
{
	struct pg *pg = pg_of(db);

	if (db->backend != DB_POSTGRES)
		return DB_DONE;
	pg->streaming = NULL;
	PQreset(pg->conn);
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		db_set_error(db, DB_ERR_CONNECTION, PQerrorMessage(pg->conn));
		return DB_ERROR;
	}
	PQsetNoticeProcessor(pg->conn, quiet, NULL);
	/* prepared statements live in a server session: prepare them again */
	for (struct pg_stmt *s = pg->statements; s; s = s->next) {
		s->prepared = false;
		s->runs = 0;
		s->state = PG_IDLE;
		clear_row(s);
		free_buffer(s);
	}
	return DB_DONE;
}
