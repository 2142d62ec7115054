/* test_store.c - opening and migrating databases, compare-and-set, the
 * append-only log and its hash chain, on real SQLite files (or, run by
 * tests/c_on_pg.sh, on a real PostgreSQL server). */
#include <sys/stat.h>

#include "testlib.h"


static void test_migrate_fresh_file(void **state)
{
	struct testdb t;

	(void)state;
	testdb_open(&t);
	assert_true(store_was_created(t.store));
	assert_int_equal(testdb_int(&t, t.pg_name[0] ? "SELECT max(version) FROM schema_version"
						      : "PRAGMA user_version"),
			 store_schema_version());
	assert_true(store_schema_version() >= 1);
	assert_int_equal(testdb_int(&t, "SELECT count(*) FROM stages"), 5);
	assert_int_equal(testdb_int(&t, "SELECT count(*) FROM reasons WHERE active = 1"), 8);
	assert_int_equal(testdb_int(&t, "SELECT count(*) FROM settings"), 18);
	assert_int_equal(testdb_int(&t, "SELECT count(*) FROM users"), 6);
	/* WAL, and it stays so for the next opener */
	if (!t.pg_name[0])
		assert_int_equal(testdb_int(&t, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"),
				 1);
	testdb_close(&t);
}

/* PostgreSQL: an empty database, somebody else's, a newer leadboard's, and
 * a server that is not there. */
static void open_refusals_pg(void)
{
	struct testdb t;
	struct store *s;
	char conninfo[700];

	testdb_new(&t);
	assert_int_equal(store_open(t.path, STORE_OPEN_EXISTING, &s), LB_NOINPUT);
	assert_null(s);
	assert_non_null(strstr(lb_message(LB_NOINPUT), "leadboard init"));
	assert_int_equal(testdb_exec(&t, "CREATE TABLE t (x int)"), SQLITE_OK);
	assert_int_equal(store_open(t.path, STORE_OPEN_CREATE, &s), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "not a leadboard database"));
	assert_int_equal(testdb_exec(&t, "DROP TABLE t"), SQLITE_OK);
	assert_int_equal(store_open(t.path, STORE_OPEN_CREATE, &s), LB_OK);
	store_close(s);
	assert_int_equal(testdb_exec(&t, "UPDATE schema_version SET version = 999"), SQLITE_OK);
	assert_int_equal(store_open(t.path, STORE_OPEN_EXISTING, &s), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "newer"));
	testdb_close(&t);

	/* nobody listening on that socket: 75, and no server message of its own */
	snprintf(conninfo, sizeof conninfo, "host=/nonexistent/socket/dir dbname=x");
	assert_int_equal(store_open(conninfo, STORE_OPEN_EXISTING, &s), LB_TEMPFAIL);
	assert_non_null(strstr(lb_message(LB_TEMPFAIL), "cannot reach the database"));
	assert_null(strstr(lb_message(LB_TEMPFAIL), "dbname"));
}

/* Makes path a SQLite file that leadboard did not make, by running sql on it. */
static void foreign_sqlite_file(const char *path, const char *sql)
{
	sqlite3 *db;

	sqlite3_open(path, &db);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
}

static void test_open_refusals(void **state)
{
	char dir[] = "/tmp/lbstore.XXXXXX", path[128], cmd[160];
	struct store *s;
	FILE *f;

	(void)state;
	if (testdb_pg_server()) {
		open_refusals_pg();
		return;
	}
	assert_non_null(mkdtemp(dir));

	/* missing, without create */
	snprintf(path, sizeof path, "%s/none.db", dir);
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s), LB_NOINPUT);
	assert_null(s);
	assert_non_null(strstr(lb_message(LB_NOINPUT), "leadboard init"));

	/* a directory */
	assert_int_equal(store_open(dir, STORE_OPEN_EXISTING, &s), LB_NOINPUT);
	assert_non_null(strstr(lb_message(LB_NOINPUT), "is a directory"));

	/* a text file */
	snprintf(path, sizeof path, "%s/notes.txt", dir);
	f = fopen(path, "w");
	fputs("these are not the droids\n", f);
	for (int i = 0; i < 200; i++)
		fputs("padding padding padding padding\n", f);
	fclose(f);
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "not a leadboard database"));

	/* somebody else's SQLite database */
	snprintf(path, sizeof path, "%s/other.db", dir);
	foreign_sqlite_file(path, "CREATE TABLE t(x)");
	assert_int_equal(store_open(path, STORE_OPEN_CREATE, &s), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "not a leadboard database"));

	/* from a newer leadboard */
	snprintf(path, sizeof path, "%s/newer.db", dir);
	foreign_sqlite_file(path, "PRAGMA user_version = 999");
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "newer"));

	/* an empty file is an empty database: init may fill it */
	snprintf(path, sizeof path, "%s/empty.db", dir);
	fclose(fopen(path, "w"));
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s), LB_NOINPUT);
	assert_int_equal(store_open(path, STORE_OPEN_CREATE, &s), LB_OK);
	store_close(s);

	/* read-only file: only when not root (root writes anyway) */
	if (geteuid() != 0) {
		chmod(path, 0444);
		assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s), LB_NOPERM);
	}
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static struct lead new_lead(const char *name)
{
	char email[LB_TEXT_MAX + 1];

	snprintf(email, sizeof email, "%s@example.com", name);
	return testlib_lead(name, email, "Acme", NULL);
}

/* Adds leads lead0, lead1 ... (one e-mail each) as the door's user; with
 * to_mql, each moves on to MQL. */
static void add_numbered_leads(struct door *door, int count, bool to_mql)
{
	for (int i = 0; i < count; i++) {
		char name[16];
		snprintf(name, sizeof name, "lead%d", i);
		struct lead lead = new_lead(name);
		assert_int_equal(door_add(door, &lead), LB_OK);
		if (to_mql)
			assert_int_equal(door_move(door, lead.id, "mql", NULL, NULL, false,
						   DOOR_ANY_VERSION), LB_OK);
	}
}

/* Runs sql as a writer who first takes trigger out of the way: drops it on
 * SQLite, switches it off on PostgreSQL. */
static void exec_past_trigger(struct testdb *t, const char *trigger, const char *sql)
{
	char both[512];

	snprintf(both, sizeof both, t->pg_name[0] ? "ALTER TABLE events DISABLE TRIGGER %s; %s"
						  : "DROP TRIGGER %s; %s", trigger, sql);
	assert_int_equal(testdb_exec(t, both), SQLITE_OK);
}

static void test_compare_and_set(void **state)
{
	struct testdb t;
	struct door *maya;
	struct lead lead = new_lead("ana"), stored;

	(void)state;
	testdb_open(&t);
	maya = testdb_door(&t, "maya");
	assert_int_equal(door_add(maya, &lead), LB_OK);
	assert_int_equal(lead.version, 1);

	assert_int_equal(store_begin_write(t.store), LB_OK);
	assert_int_equal(store_get_lead(t.store, lead.id, &stored), LB_OK);
	snprintf(stored.name, sizeof stored.name, "changed");
	assert_int_equal(store_update_lead(t.store, &stored, 7, NULL), LB_TEMPFAIL);
	store_rollback(t.store);
	assert_int_equal(store_get_lead(t.store, lead.id, &stored), LB_OK);
	assert_string_equal(stored.name, "ana");
	assert_int_equal(stored.version, 1);

	assert_int_equal(store_begin_write(t.store), LB_OK);
	snprintf(stored.name, sizeof stored.name, "changed");
	assert_int_equal(store_update_lead(t.store, &stored, 1, NULL), LB_OK);
	assert_int_equal(store_commit(t.store), LB_OK);
	assert_int_equal(store_get_lead(t.store, lead.id, &stored), LB_OK);
	assert_int_equal(stored.version, 2);
	testdb_close(&t);
}

static void test_append_only(void **state)
{
	struct testdb t;
	struct door *maya;
	struct lead lead = new_lead("ana");
	int64_t before;

	(void)state;
	testdb_open(&t);
	maya = testdb_door(&t, "maya");
	assert_int_equal(door_add(maya, &lead), LB_OK);
	before = testdb_int(&t, "SELECT count(*) FROM events");
	assert_int_not_equal(testdb_exec(&t, "UPDATE events SET note = 'x'"), SQLITE_OK);
	assert_int_not_equal(testdb_exec(&t, "DELETE FROM events"), SQLITE_OK);
	assert_int_not_equal(testdb_exec(&t, "DELETE FROM events WHERE seq = 1"), SQLITE_OK);
	assert_int_equal(testdb_int(&t, "SELECT count(*) FROM events"), before);
	assert_int_equal(testdb_int(&t, "SELECT count(*) FROM events WHERE note = 'x'"), 0);
	testdb_close(&t);
}

static void test_hash_chain(void **state)
{
	struct testdb t;
	struct testdb_verdict v;
	struct door *maya;

	(void)state;
	testdb_open(&t);
	maya = testdb_door(&t, "maya");
	add_numbered_leads(maya, 5, true);
	assert_int_equal(testdb_verify(&t, NULL, &v), LB_OK);
	assert_string_equal(v.problems, "");
	assert_int_equal(v.result.events, testdb_int(&t, "SELECT count(*) FROM events"));

	/* a writer that goes around the triggers edits one row */
	exec_past_trigger(&t, "events_append_only_update",
			  "UPDATE events SET to_stage = 'sql' WHERE seq = 9");
	assert_int_equal(testdb_verify(&t, NULL, &v), LB_DATA);
	assert_non_null(strstr(v.problems, "event 9: its content does not match its hash"));
	/* dropped on SQLite; on PostgreSQL the writer switched it off */
	assert_non_null(strstr(v.problems, t.pg_name[0] ? "trigger events_append_only_update is disabled"
						     : "trigger events_append_only_update is missing"));
	assert_int_equal(v.result.events, 16);
	testdb_close(&t);
}

static void test_hash_chain_removed_row(void **state)
{
	struct testdb t;
	struct testdb_verdict v;
	struct door *maya;

	(void)state;
	testdb_open(&t);
	maya = testdb_door(&t, "maya");
	add_numbered_leads(maya, 3, false);
	exec_past_trigger(&t, "events_append_only_delete", "DELETE FROM events WHERE seq = 7");
	assert_int_equal(testdb_verify(&t, NULL, &v), LB_DATA);
	assert_non_null(strstr(v.problems, "event 8: event 7 before it is missing"));
	testdb_close(&t);
}

static int collect_names(const struct lead *lead, void *ctx)
{
	char *out = ctx;

	strcat(out, lead->name);
	strcat(out, " ");
	return 0;
}

static void test_queries(void **state)
{
	struct testdb t;
	struct door *maya, *sam;
	struct lead a = new_lead("alpha"), b = new_lead("beta"), c = new_lead("gamma_50%");
	struct store_lead_filter filter = { 0 };
	char names[256] = "", id[LB_ID_LEN + 1];
	int64_t counts[LB_MAX_STAGES], discarded;
	struct lb_board board;

	(void)state;
	testdb_open(&t);
	maya = testdb_door(&t, "maya");
	sam = testdb_door(&t, "sam");
	assert_int_equal(door_add(maya, &a), LB_OK);
	assert_int_equal(door_add(maya, &b), LB_OK);
	assert_int_equal(door_add(maya, &c), LB_OK);
	assert_int_equal(door_move(maya, b.id, "mql", NULL, NULL, false, DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(door_move(maya, b.id, "sql", NULL, NULL, false, DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(door_claim(sam, b.id, DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(door_discard(maya, c.id, "bad-data", NULL, DOOR_ANY_VERSION), LB_OK);

	assert_int_equal(store_load_board(t.store, &board), LB_OK);
	assert_int_equal(store_stage_counts(t.store, &board, counts, &discarded), LB_OK);
	assert_int_equal(counts[0], 1);
	assert_int_equal(counts[1], 0);
	assert_int_equal(counts[2], 1);
	assert_int_equal(discarded, 1);

	/* the board: discarded leads are off it */
	assert_int_equal(store_leads_each(t.store, &filter, collect_names, names), LB_OK);
	assert_string_equal(names, "alpha beta ");
	names[0] = '\0';
	filter.stage = LB_DISCARDED;
	assert_int_equal(store_leads_each(t.store, &filter, collect_names, names), LB_OK);
	assert_string_equal(names, "gamma_50% ");
	/* search takes % and _ literally */
	names[0] = '\0';
	filter.stage = NULL;
	filter.search = "a_5";
	assert_int_equal(store_leads_each(t.store, &filter, collect_names, names), LB_OK);
	assert_string_equal(names, "");
	filter.search = "ALPHA";
	assert_int_equal(store_leads_each(t.store, &filter, collect_names, names), LB_OK);
	assert_string_equal(names, "alpha ");
	names[0] = '\0';
	filter.search = NULL;
	filter.owner = "sam";
	assert_int_equal(store_leads_each(t.store, &filter, collect_names, names), LB_OK);
	assert_string_equal(names, "beta ");

	/* prefixes */
	assert_int_equal(store_resolve_id(t.store, a.id, id), LB_OK);
	assert_string_equal(id, a.id);
	char prefix[9];
	snprintf(prefix, sizeof prefix, "%.8s", a.id);
	for (char *p = prefix; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'f' ? *p - 32 : *p);
	assert_int_equal(store_resolve_id(t.store, prefix, id), LB_OK);
	assert_string_equal(id, a.id);
	assert_int_equal(store_resolve_id(t.store, "abc", id), LB_USAGE);
	assert_int_equal(store_resolve_id(t.store, "ffffffff-9", id), LB_NOINPUT);
	assert_int_equal(store_resolve_id(t.store, "'; DROP TABLE leads; --", id), LB_NOINPUT);
	testdb_close(&t);
}

static void test_ambiguous_prefix(void **state)
{
	struct testdb t;
	struct door *admin;
	char id[LB_ID_LEN + 1];
	const char *ids[] = { "abcd0000-0000-4000-8000-000000000001",
			      "abcd0000-0000-4000-8000-000000000002" };

	(void)state;
	testdb_open(&t);
	admin = testdb_door(&t, "root-admin");
	assert_int_equal(door_import_begin(admin), LB_OK);
	for (int i = 0; i < 2; i++) {
		struct lead lead = new_lead("twin");
		snprintf(lead.id, sizeof lead.id, "%s", ids[i]);
		assert_int_equal(door_import_add(admin, &lead, true), LB_OK);
	}
	assert_int_equal(door_import_flush(admin), LB_OK);
	assert_int_equal(door_import_end(admin, true), LB_OK);
	assert_int_equal(store_resolve_id(t.store, "abcd", id), LB_USAGE);
	assert_non_null(strstr(lb_message(LB_USAGE), ids[0]));
	assert_non_null(strstr(lb_message(LB_USAGE), ids[1]));
	assert_int_equal(store_resolve_id(t.store, "abcd0000-0000-4000-8000-000000000002", id),
			 LB_OK);
	testdb_close(&t);
}

/* ---- search: few matches cut from memory, many tested row by row ------------- */

static int64_t tick_now = 1790000000000LL;

static int64_t tick_clock(void)
{
	return tick_now += 1000;   /* every lead enters a second after the one before */
}

struct ids_seen {
	char id[64][LB_ID_LEN + 1];
	int score[64];
	int n;
};

static int see_id(const struct lead *lead, void *ctx)
{
	struct ids_seen *s = ctx;

	memcpy(s->id[s->n], lead->id, sizeof s->id[0]);
	s->score[s->n++] = lead->score;
	return s->n == 64;
}

struct model_lead {
	char id[LB_ID_LEN + 1];
	int64_t entered;
	int score;
	bool common;
};

static enum store_order model_order;

static int by_order(const void *a, const void *b)
{
	const struct model_lead *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (model_order == STORE_ORDER_SCORE && x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->entered != y->entered)
		return (x->entered < y->entered) == (model_order != STORE_ORDER_NEWEST) ? -1 : 1;
	return model_order == STORE_ORDER_NEWEST ? -c : c;
}

/* The first window of a column and the window after it, both ways of
 * answering (6,000 leads match "common": many; 12 match "rare": few), in
 * every order, against the same leads sorted here. */
static void test_search_windows(void **state)
{
	enum { COMMON = 6000, RARE = 12, ALL = COMMON + RARE };
	static struct model_lead model[ALL];
	struct testdb t;
	struct door *maya;

	(void)state;
	testdb_open(&t);
	maya = testdb_door(&t, "maya");
	door_set_clock(maya, tick_clock);
	assert_int_equal(door_import_begin(maya), LB_OK);
	for (int i = 0; i < ALL; i++) {
		struct lead lead;
		bool common = i < COMMON;
		lead_init(&lead);
		snprintf(lead.name, sizeof lead.name, common ? "Common Person %d" : "Zoë Rarë %d", i);
		snprintf(lead.email, sizeof lead.email, "p%d@x.example", i);
		lead.score = (i * 37) % 101;
		snprintf(lead.stage, sizeof lead.stage, "lead");
		assert_int_equal(door_import_add(maya, &lead, false), LB_OK);
		memcpy(model[i].id, lead.id, sizeof model[i].id);
		model[i].entered = lead.stage_entered_at;
		model[i].score = lead.score;
		model[i].common = common;
	}
	assert_int_equal(door_import_flush(maya), LB_OK);
	assert_int_equal(door_import_end(maya, true), LB_OK);

	static const struct { const char *text; bool common; int matches; bool many; } queries[] = {
		{ "common", true, COMMON, true },
		{ "PERS", true, COMMON, true },
		{ "zoe rare", false, RARE, false },
		{ "ZOË", false, RARE, false },
		/* a word every lead has beside a rare one, in either order, and
		 * three words: the index is asked for the two longest alone */
		{ "x zoe", false, RARE, false },
		{ "rare x", false, RARE, false },
		{ "x example zo", false, RARE, false },
		{ "x common", true, COMMON, true },
	};
	for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
		struct store_search *search;
		static struct model_lead want[ALL];
		int n = 0;

		assert_int_equal(store_search_open(t.store, queries[q].text, &search), LB_OK);
		assert_int_equal(store_search_many(search), queries[q].many);
		for (int i = 0; i < ALL; i++)
			if (model[i].common == queries[q].common)
				want[n++] = model[i];
		assert_int_equal(n, queries[q].matches);
		for (int order = 0; order < STORE_ORDER_COUNT; order++) {
			struct store_column_query cq = { .stage = "lead", .order = order,
							 .search = search, .limit = 10 };
			struct store_card_key key;
			struct ids_seen seen = { .n = 0 };

			model_order = (enum store_order)order;
			qsort(want, (size_t)n, sizeof want[0], by_order);
			assert_int_equal(store_column_each(t.store, &cq, see_id, &seen), LB_OK);
			assert_int_equal(seen.n, 10);
			for (int i = 0; i < 10; i++)
				assert_string_equal(seen.id[i], want[i].id);
			/* the next window starts at the tenth's successor */
			key.entered_at = want[10].entered;
			key.score = want[10].score;
			memcpy(key.id, want[10].id, sizeof key.id);
			cq.from = &key;
			seen.n = 0;
			assert_int_equal(store_column_each(t.store, &cq, see_id, &seen), LB_OK);
			assert_int_equal(seen.n, n - 10 < 10 ? n - 10 : 10);
			for (int i = 0; i < 10 && i + 10 < n; i++)
				assert_string_equal(seen.id[i], want[10 + i].id);
			/* and the one before it, backward, nearest first */
			cq.backward = true;
			seen.n = 0;
			assert_int_equal(store_column_each(t.store, &cq, see_id, &seen), LB_OK);
			assert_int_equal(seen.n, 10);
			for (int i = 0; i < 10; i++)
				assert_string_equal(seen.id[i], want[9 - i].id);
		}
		if (!queries[q].many) {
			struct store_column_query cq = { .stage = "lead", .search = search };
			int64_t count;
			assert_int_equal(store_column_count(t.store, &cq, 0, &count), LB_OK);
			assert_int_equal(count, RARE);
		}
		store_search_close(search);
	}
	/* nothing matches two words that never meet */
	struct store_search *none;
	struct ids_seen seen = { .n = 0 };
	assert_int_equal(store_search_open(t.store, "common zoe", &none), LB_OK);
	struct store_column_query cq = { .stage = "lead", .search = none, .limit = 10 };
	assert_int_equal(store_column_each(t.store, &cq, see_id, &seen), LB_OK);
	assert_int_equal(seen.n, 0);
	store_search_close(none);
	testdb_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_fresh_file),
		cmocka_unit_test(test_open_refusals),
		cmocka_unit_test(test_compare_and_set),
		cmocka_unit_test(test_append_only),
		cmocka_unit_test(test_hash_chain),
		cmocka_unit_test(test_hash_chain_removed_row),
		cmocka_unit_test(test_queries),
		cmocka_unit_test(test_ambiguous_prefix),
		cmocka_unit_test(test_search_windows),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
