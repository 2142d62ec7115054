/*
 * testlib.h - what the C tests share: cmocka, a fresh database (a file in a
 * temporary directory; with LEADBOARD_TEST_PG set to a conninfo, a new
 * database on that PostgreSQL server, see tests/c_on_pg.sh), a team, and a
 * door for any member; the default board and a lead to add, for the tests
 * that need no database.
 */
#ifndef LEADBOARD_TESTLIB_H
#define LEADBOARD_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "leadboard/door.h"
#include "leadboard/store.h"
#include "leadboard/verify.h"

#define TESTDB_DOORS 64

/* The board a new database starts with: lead, MQL (marketing), SQL,
 * opportunity and customer (sales, the last one terminal). */
static inline void testlib_default_board(struct lb_board *board)
{
	static const struct lb_stage stages[] = {
		{ "lead", "Lead", TEAM_MARKETING, 10, false, 0 },
		{ "mql", "MQL", TEAM_MARKETING, 20, false, 0 },
		{ "sql", "SQL", TEAM_SALES, 30, false, 0 },
		{ "opportunity", "Opportunity", TEAM_SALES, 40, false, 0 },
		{ "customer", "Customer", TEAM_SALES, 50, true, 0 },
	};

	memset(board, 0, sizeof *board);
	for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++)
		board->stages[board->count++] = stages[i];
}

/* A lead as a form gives it before the door has seen it: name, e-mail,
 * company and stage (NULL: left empty), everything else as lead_init(). */
static inline struct lead testlib_lead(const char *name, const char *email, const char *company,
				       const char *stage)
{
	struct lead lead;

	lead_init(&lead);
	snprintf(lead.name, sizeof lead.name, "%s", name ? name : "");
	snprintf(lead.email, sizeof lead.email, "%s", email ? email : "");
	snprintf(lead.company, sizeof lead.company, "%s", company ? company : "");
	snprintf(lead.stage, sizeof lead.stage, "%s", stage ? stage : "");
	return lead;
}

struct testdb {
	char dir[256];
	char path[600];         /* the file, or the PostgreSQL conninfo */
	char pg_name[64];       /* the PostgreSQL database; "" on SQLite */
	struct store *store;
	struct door *doors[TESTDB_DOORS];   /* one per login, closed with the database */
	char logins[TESTDB_DOORS][LB_KEY_MAX + 1];
	int door_count;
};

/* The server's conninfo when the C tests run on PostgreSQL, else NULL. */
static inline const char *testdb_pg_server(void)
{
	const char *server = getenv("LEADBOARD_TEST_PG");

	return server && server[0] ? server : NULL;
}

/* Run SQL on the server's maintenance database (CREATE/DROP DATABASE). */
static inline void testdb_pg_admin(const char *sql)
{
	char conninfo[512];
	PGconn *conn;
	PGresult *res;

	snprintf(conninfo, sizeof conninfo, "%s dbname=postgres", testdb_pg_server());
	conn = PQconnectdb(conninfo);
	assert_int_equal(PQstatus(conn), CONNECTION_OK);
	res = PQexec(conn, sql);
	assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
	PQfinish(conn);
}

/* A fresh, empty database: its path or conninfo in t->path. */
static inline void testdb_new(struct testdb *t)
{
	static int count;
	char sql[128];

	memset(t, 0, sizeof *t);
	snprintf(t->dir, sizeof t->dir, "%s/lbtest.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(t->dir));
	if (!testdb_pg_server()) {
		snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
		return;
	}
	snprintf(t->pg_name, sizeof t->pg_name, "lbtest_%ld_%d", (long)getpid(), ++count);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", t->pg_name);
	testdb_pg_admin(sql);
	snprintf(t->path, sizeof t->path, "%s dbname=%s", testdb_pg_server(), t->pg_name);
}

/* A fresh database with admin "root-admin", marketers maya and marco, reps
 * sam and sara, manager mona. */
static inline void testdb_open(struct testdb *t)
{
	static const struct { const char *login; enum lb_role role; } team[] = {
		{ "maya", ROLE_MARKETING }, { "marco", ROLE_MARKETING }, { "sam", ROLE_SALES },
		{ "sara", ROLE_SALES },     { "mona", ROLE_MANAGER },
	};
	struct lb_user admin = { .login = "root-admin", .role = ROLE_ADMIN };
	struct door *door;
	bool bootstrapped;

	testdb_new(t);
	assert_int_equal(store_open(t->path, STORE_OPEN_CREATE, &t->store), LB_OK);
	t->door_count = 0;
	assert_non_null(door = door_open(t->store, &admin, NULL));
	assert_int_equal(door_bootstrap_admin(door, "root-admin", &bootstrapped), LB_OK);
	assert_true(bootstrapped);
	for (size_t i = 0; i < sizeof team / sizeof team[0]; i++)
		assert_int_equal(door_user_add(door, team[i].login, team[i].role), LB_OK);
	door_close(door);
}

static inline void testdb_close(struct testdb *t)
{
	char cmd[400];

	for (int i = 0; i < t->door_count; i++)
		door_close(t->doors[i]);
	t->door_count = 0;
	store_close(t->store);
	t->store = NULL;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", t->dir);
	if (t->pg_name[0]) {
		snprintf(cmd, sizeof cmd, "DROP DATABASE %s", t->pg_name);
		testdb_pg_admin(cmd);
	}
}

/* The door acting as login (who must be a member): one per login, closed
 * by testdb_close(). */
static inline struct door *testdb_door(struct testdb *t, const char *login)
{
	struct lb_user user;
	struct door *door;

	for (int i = 0; i < t->door_count; i++)
		if (strcmp(t->logins[i], login) == 0)
			return t->doors[i];
	assert_int_equal(store_get_user(t->store, login, &user), LB_OK);
	assert_true(t->door_count < TESTDB_DOORS);
	assert_non_null(door = door_open(t->store, &user, NULL));
	snprintf(t->logins[t->door_count], sizeof t->logins[0], "%s", login);
	t->doors[t->door_count++] = door;
	return door;
}

/* Run SQL on a second, raw connection: what a writer that went around the
 * door could do. Returns the SQLite result code (on PostgreSQL SQLITE_OK or
 * SQLITE_ERROR). */
static inline int testdb_exec(struct testdb *t, const char *sql)
{
	sqlite3 *db;
	int rc;

	if (t->pg_name[0]) {
		PGconn *conn = PQconnectdb(t->path);
		PGresult *res;
		assert_int_equal(PQstatus(conn), CONNECTION_OK);
		res = PQexec(conn, sql);
		rc = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK
			     ? SQLITE_OK : SQLITE_ERROR;
		PQclear(res);
		PQfinish(conn);
		return rc;
	}
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

/* One integer from a query on a raw connection. */
static inline int64_t testdb_int(struct testdb *t, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	int64_t value = -1;

	if (t->pg_name[0]) {
		PGconn *conn = PQconnectdb(t->path);
		PGresult *res;
		assert_int_equal(PQstatus(conn), CONNECTION_OK);
		res = PQexec(conn, sql);
		if (PQresultStatus(res) != PGRES_TUPLES_OK)
			fprintf(stderr, "# %s: %s\n", sql, PQresultErrorMessage(res));
		assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
		if (PQntuples(res) > 0) {
			const char *text = PQgetvalue(res, 0, 0);
			value = text[0] == 't' ? 1 : text[0] == 'f' ? 0 : strtoll(text, NULL, 10);
		}
		PQclear(res);
		PQfinish(conn);
		return value;
	}
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return value;
}

/* What verify (verify.h) said: its status, its counts, and every problem,
 * one a line. */
struct testdb_verdict {
	enum lb_status status;
	struct verify_result result;
	char problems[16384];
};

static inline void testdb_collect_problem(const char *text, void *ctx)
{
	struct testdb_verdict *v = ctx;
	size_t used = strlen(v->problems);

	snprintf(v->problems + used, sizeof v->problems - used, "%s\n", text);
}

/* Run verify on the test database, with anchors (sorted) or none. */
static inline enum lb_status testdb_verify(struct testdb *t, const struct anchor_set *anchors,
					   struct testdb_verdict *v)
{
	struct verify_options options = { .anchors = anchors, .problem = testdb_collect_problem,
					  .ctx = v };

	v->problems[0] = '\0';
	v->status = verify_run(t->store, &options, &v->result);
	return v->status;
}

#endif
