/*
 * testlib.h - what the C tests share: cmocka, a fresh database file in a
 * temporary directory, a team, and a door for any member.
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
#include <sqlite3.h>

#include "leadboard/door.h"
#include "leadboard/store.h"
#include "leadboard/verify.h"

#define TESTDB_DOORS 64

struct testdb {
	char dir[256];
	char path[300];
	struct store *store;
	struct door *doors[TESTDB_DOORS];   /* one per login, closed with the database */
	char logins[TESTDB_DOORS][LB_KEY_MAX + 1];
	int door_count;
};

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

	snprintf(t->dir, sizeof t->dir, "%s/lbtest.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
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
 * door could do. Returns the SQLite result code. */
static inline int testdb_exec(struct testdb *t, const char *sql)
{
	sqlite3 *db;
	int rc;

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
