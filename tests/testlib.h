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

struct testdb {
	char dir[256];
	char path[300];
	struct store *store;
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
	struct door door;
	bool bootstrapped;

	snprintf(t->dir, sizeof t->dir, "%s/lbtest.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
	assert_int_equal(store_open(t->path, STORE_OPEN_CREATE, &t->store), LB_OK);
	door_init(&door, t->store, &admin, NULL);
	assert_int_equal(door_bootstrap_admin(&door, "root-admin", &bootstrapped), LB_OK);
	assert_true(bootstrapped);
	for (size_t i = 0; i < sizeof team / sizeof team[0]; i++)
		assert_int_equal(door_user_add(&door, team[i].login, team[i].role), LB_OK);
}

static inline void testdb_close(struct testdb *t)
{
	char cmd[400];

	store_close(t->store);
	t->store = NULL;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", t->dir);
}

/* A door acting as login (who must be a member). */
static inline void testdb_door(struct testdb *t, struct door *door, const char *login)
{
	struct lb_user user;

	assert_int_equal(store_get_user(t->store, login, &user), LB_OK);
	door_init(door, t->store, &user, NULL);
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

#endif
