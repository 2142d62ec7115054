/*
 * test_routing.c - contact attempts, routing and the sweep through the door,
 * on a test clock: what each change writes (the lead, its events, the
 * routing turns, the open counts the triggers keep), what a refusal leaves
 * alone, the SLA clocks across a weekend and both changes of daylight
 * saving time, and sweeps run side by side in real processes taking each
 * action once. Every database ends verified: the log replays to the leads.
 */
#include <sys/wait.h>

#include "testlib.h"

#include "leadboard/sweep.h"
#include "leadboard/timeutil.h"

#define HOUR 3600000LL
#define MINUTE 60000LL

static struct testdb t;
static int64_t now;

static int64_t test_clock(void)
{
	return now;
}

static int64_t at(const char *iso)
{
	int64_t ms;

	assert_true(time_parse(iso, 0, &ms));
	return ms;
}

static struct door *as(const char *login)
{
	struct door *door = testdb_door(&t, login);

	door_set_clock(door, test_clock);
	return door;
}

static int setup(void **state)
{
	(void)state;
	now = at("2026-01-05T08:00Z");
	testdb_open(&t);
	assert_int_equal(door_user_add(as("root-admin"), "tom", ROLE_SALES), LB_OK);
	return 0;
}

static int teardown(void **state)
{
	static struct testdb_verdict v;

	(void)state;
	if (testdb_verify(&t, NULL, &v) != LB_OK)
		fprintf(stderr, "# verify: %s", v.problems);
	assert_int_equal(v.status, LB_OK);
	testdb_close(&t);
	return 0;
}

static void set(const char *key, const char *value)
{
	enum lb_status st = door_setting_set(as("root-admin"), key, value);

	/* setting what is set already is refused, and fine here */
	assert_true(st == LB_OK || st == LB_DATA);
}

/* A lead in MQL, ready to hand off. */
static struct lead mql(const char *name, const char *country)
{
	static int serial;   /* an e-mail address is on the board once */
	struct lead lead;

	lead_init(&lead);
	snprintf(lead.name, sizeof lead.name, "%s", name);
	snprintf(lead.email, sizeof lead.email, "%s.%d@example.com", name, ++serial);
	snprintf(lead.company, sizeof lead.company, "Acme");
	snprintf(lead.country, sizeof lead.country, "%s", country);
	snprintf(lead.stage, sizeof lead.stage, "mql");
	assert_int_equal(door_add(as("maya"), &lead), LB_OK);
	return lead;
}

static struct lead get(const char *id)
{
	struct lead lead;

	assert_int_equal(store_get_lead(t.store, id, &lead), LB_OK);
	return lead;
}

static struct lead handed_off(const char *name, const char *country)
{
	struct lead lead = mql(name, country);

	assert_int_equal(door_move(as("maya"), lead.id, "sql", NULL, NULL, false, DOOR_ANY_VERSION),
			 LB_OK);
	return get(lead.id);
}

static int64_t count(const char *sql)
{
	return testdb_int(&t, sql);
}

/* The open counts the triggers keep are what counting the leads gives. */
static void assert_owner_counts(void)
{
	assert_int_equal(count("SELECT count(*) FROM (SELECT owner, count(*) AS n FROM leads "
			       "WHERE owner IS NOT NULL AND stage IN (SELECT key FROM stages "
			       "WHERE team = 'sales' AND terminal = 0) GROUP BY owner) a "
			       "FULL OUTER JOIN (SELECT owner, n FROM owner_counts WHERE n > 0) b "
			       "USING (owner) WHERE a.n IS DISTINCT FROM b.n"), 0);
}

static void test_touch(void **state)
{
	struct lead lead = handed_off("touchy", "DE");
	int64_t events = count("SELECT count(*) FROM events"), first;

	(void)state;
	assert_int_equal(door_claim(as("sam"), lead.id, DOOR_ANY_VERSION), LB_OK);
	/* refusals write nothing */
	assert_int_equal(door_touch(as("sara"), lead.id, "call", NULL, 0, DOOR_ANY_VERSION),
			 LB_NOPERM);
	assert_int_equal(door_touch(as("maya"), lead.id, "call", NULL, 0, DOOR_ANY_VERSION),
			 LB_NOPERM);
	assert_int_equal(door_touch(as("sam"), lead.id, "fax", NULL, 0, DOOR_ANY_VERSION), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "call, email, meeting or other"));
	assert_int_equal(door_touch(as("sam"), lead.id, "call", NULL, now, DOOR_ANY_VERSION),
			 LB_DATA);
	assert_string_equal(lb_message(LB_DATA), "the next step must be in the future");
	assert_int_equal(door_touch(as("sam"), lead.id, "call", "a\033[2Jb", 0, DOOR_ANY_VERSION),
			 LB_DATA);
	assert_int_equal(count("SELECT count(*) FROM events"), events + 1);   /* the claim */

	first = now;
	assert_int_equal(door_touch(as("sam"), lead.id, "call", "Left a voicemail", now + 2 * HOUR,
				    DOOR_ANY_VERSION), LB_OK);
	lead = get(lead.id);
	assert_int_equal(lead.contact_attempts, 1);
	assert_int_equal(lead.first_contact_at, now);
	assert_int_equal(lead.last_contact_at, now);
	assert_int_equal(lead.next_step_at, now + 2 * HOUR);
	assert_int_equal(count("SELECT count(*) FROM events WHERE kind = 'contact' AND reason = 'call' "
			       "AND note = 'Left a voicemail' AND rule LIKE 'next step at 2026-01-05T10:00%'"),
			 1);
	now += 3 * HOUR;
	/* a manager may log one too; no next step ends the one planned */
	assert_int_equal(door_touch(as("mona"), lead.id, "meeting", NULL, 0, DOOR_ANY_VERSION), LB_OK);
	lead = get(lead.id);
	assert_int_equal(lead.contact_attempts, 2);
	assert_int_equal(lead.first_contact_at, first);
	assert_int_equal(lead.last_contact_at, now);
	assert_int_equal(lead.next_step_at, 0);
	/* the version the caller saw is checked */
	assert_int_equal(door_touch(as("sam"), lead.id, "email", NULL, 0, lead.version - 1),
			 LB_TEMPFAIL);
	assert_int_equal(door_touch(as("sam"), lead.id, "email", NULL, 0, lead.version), LB_OK);
}

static void test_min_attempts(void **state)
{
	struct lead lead = handed_off("quiet", "DE");

	(void)state;
	set("min_attempts", "2");
	assert_int_equal(door_claim(as("sam"), lead.id, DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(door_touch(as("sam"), lead.id, "call", NULL, 0, DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(door_move(as("sam"), lead.id, "mql", "no-response", NULL, false,
				   DOOR_ANY_VERSION), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "needs 2 contact attempts (min_attempts); 1 was "
						    "made"));
	assert_int_equal(door_move(as("sam"), lead.id, "mql", "not-ready", NULL, false,
				   DOOR_ANY_VERSION), LB_OK);
	/* back in sales after a new handoff, the count starts again */
	assert_int_equal(door_move(as("maya"), lead.id, "sql", NULL, NULL, false, DOOR_ANY_VERSION),
			 LB_OK);
	lead = get(lead.id);
	assert_int_equal(lead.contact_attempts, 0);
	assert_int_equal(lead.first_contact_at, 0);
	assert_int_equal(door_claim(as("sam"), lead.id, DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(door_touch(as("sam"), lead.id, "call", NULL, 0, DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(door_touch(as("sam"), lead.id, "email", NULL, 0, DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(door_move(as("sam"), lead.id, "mql", "no-response", NULL, false,
				   DOOR_ANY_VERSION), LB_OK);
	set("min_attempts", "0");
}

/* The reps' turns, in the order routing gave them. */
static void test_round_robin(void **state)
{
	char sql[400];
	int64_t events, turn0;

	(void)state;
	set("routing", "round-robin");
	turn0 = count("SELECT coalesce(max(routing_turn), 0) FROM users");
	for (int i = 0; i < 9; i++) {
		char name[16];
		struct lead lead;

		snprintf(name, sizeof name, "rr%d", i);
		events = count("SELECT count(*) FROM events");
		lead = handed_off(name, "DE");
		/* its create, then the handoff and routing's assignment in one change */
		assert_int_equal(count("SELECT count(*) FROM events"), events + 3);
		assert_true(lead.owner[0]);
		assert_int_equal(lead.owner_since, now);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE kind = 'assign' AND "
			 "lead_id = '%s' AND actor = 'maya' AND note = '%s' AND "
			 "rule = 'routing: round-robin, turn %lld'", lead.id, lead.owner,
			 (long long)(turn0 + i + 1));
		assert_int_equal(count(sql), 1);
		now += MINUTE;
	}
	/* three reps, three each, and no turn taken twice */
	assert_int_equal(count("SELECT count(*) FROM (SELECT note FROM events WHERE kind = 'assign' "
			       "AND rule LIKE 'routing:%' AND lead_id IN (SELECT id FROM leads WHERE "
			       "name LIKE 'rr%') GROUP BY note HAVING count(*) = 3) x"), 3);
	assert_int_equal(count("SELECT count(DISTINCT rule) - count(*) FROM events WHERE "
			       "rule LIKE 'routing:%'"), 0);
	assert_owner_counts();
}

static void test_eligibility(void **state)
{
	struct lead lead;

	(void)state;
	set("routing", "round-robin");
	/* away: passed over until back, or until the time it ends */
	assert_int_equal(door_user_set_away(as("sam"), "sam", true, 0), LB_OK);
	assert_int_equal(door_user_set_away(as("mona"), "sara", true, now + HOUR), LB_OK);
	assert_int_equal(door_user_set_away(as("sara"), "tom", true, 0), LB_NOPERM);
	for (int i = 0; i < 3; i++) {
		lead = handed_off("away", "DE");
		assert_string_equal(lead.owner, "tom");
	}
	now += HOUR;
	lead = handed_off("back", "DE");
	assert_string_equal(lead.owner, "sara");
	assert_int_equal(door_user_set_away(as("sam"), "sam", false, 0), LB_OK);
	assert_int_equal(door_user_set_away(as("sam"), "sam", false, 0), LB_DATA);
	/* territories: a rep who covers some countries gets only those */
	assert_int_equal(door_user_set_coverage(as("sam"), "sam", "de", NULL), LB_NOPERM); /* a rep */
	assert_int_equal(door_user_set_coverage(as("mona"), "sam", "fr, de", NULL), LB_OK);
	assert_int_equal(count("SELECT count(*) FROM users WHERE login = 'sam' AND territories = 'FR,DE'"),
			 1);
	assert_int_equal(door_user_set_coverage(as("mona"), "sara", "US", "b2c"), LB_OK);
	assert_int_equal(door_user_set_coverage(as("mona"), "tom", "US", NULL), LB_OK);
	lead = handed_off("paris", "FR");
	assert_string_equal(lead.owner, "sam");
	/* nobody covers Brazil: the lead waits, unclaimed */
	lead = handed_off("rio", "BR");
	assert_string_equal(lead.owner, "");
	assert_int_equal(count("SELECT count(*) FROM events WHERE kind = 'assign' AND lead_id IN "
			       "(SELECT id FROM leads WHERE name = 'rio')"), 0);
	/* max_open_per_rep: tom has four open leads, sam a few more */
	set("max_open_per_rep", "4");
	assert_int_equal(door_user_set_coverage(as("mona"), "sam", "", NULL), LB_OK);
	assert_int_equal(door_user_set_coverage(as("mona"), "tom", "", NULL), LB_OK);
	lead = handed_off("full", "US");
	assert_string_equal(lead.owner, "");
	set("max_open_per_rep", "0");
	assert_owner_counts();
}

static void test_least_loaded(void **state)
{
	int64_t sam_open, sara_open, tom_open;
	struct lead lead;

	(void)state;
	assert_int_equal(door_user_set_coverage(as("mona"), "sara", "", ""), LB_OK);
	set("routing", "least-loaded");
	for (int i = 0; i < 6; i++) {
		sam_open = count("SELECT coalesce(max(n), 0) FROM owner_counts WHERE owner = 'sam'");
		sara_open = count("SELECT coalesce(max(n), 0) FROM owner_counts WHERE owner = 'sara'");
		tom_open = count("SELECT coalesce(max(n), 0) FROM owner_counts WHERE owner = 'tom'");
		lead = handed_off("light", "DE");
		int64_t mine = strcmp(lead.owner, "sam") == 0 ? sam_open
			       : strcmp(lead.owner, "sara") == 0 ? sara_open : tom_open;
		assert_true(mine <= sam_open && mine <= sara_open && mine <= tom_open);
	}
	assert_owner_counts();
	set("routing", "off");
}

static void test_sweep_once(struct sweep_summary *s)
{
	struct door *system = door_open_system(t.store, "root");

	assert_non_null(system);
	door_set_clock(system, test_clock);
	assert_int_equal(sweep_run(t.store, system, s), LB_OK);
	door_close(system);
}

/* The clocks count Mon-Fri 09:00-17:00 in Berlin: a handoff on Friday at
 * 16:00 before the spring change is two hours overdue on Monday at 10:00
 * summer time; a claim on Monday at 10:00 has four hours to a contact. */
static void test_sweep_business_hours(void **state)
{
	struct sweep_summary s;
	struct lead friday, monday, contacted;
	char sql[400];

	(void)state;
	set("routing", "off");
	set("sla_hours", "Mon-Fri 09:00-17:00");
	set("timezone", "Europe/Berlin");
	set("sla_accept_hours", "2");
	set("sla_contact_hours", "4");
	/* whatever earlier tests left past the SLA is handled first: reclaimed,
	 * then escalated */
	now = at("2026-03-27T14:58Z");
	test_sweep_once(&s);
	now = at("2026-03-27T14:59Z");
	test_sweep_once(&s);
	now = at("2026-03-27T15:00Z");                  /* Fri 16:00 CET */
	friday = handed_off("friday", "DE");
	now = at("2026-03-30T07:59Z");                  /* Mon 09:59 CEST: one hour */
	test_sweep_once(&s);
	assert_int_equal(s.escalated + s.routed + s.reclaimed, 0);
	now = at("2026-03-30T08:00Z");                  /* Mon 10:00: two */
	test_sweep_once(&s);
	assert_int_equal(s.escalated, 1);
	friday = get(friday.id);
	assert_int_equal(friday.escalated_at, now);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE kind = 'escalate' AND "
		 "actor = 'leadboard' AND real_user = 'root' AND rule = 'sla: unclaimed for 2 "
		 "business hours (sla_accept_hours)' AND lead_id = '%s'", friday.id);
	assert_int_equal(count(sql), 1);
	/* again: nothing more (idempotent) */
	now += MINUTE;
	test_sweep_once(&s);
	assert_int_equal(s.escalated + s.routed + s.reclaimed, 0);

	/* a claim at Mon 10:00: no contact by 14:00 is a breach */
	now = at("2026-03-30T08:00Z");
	monday = handed_off("monday", "DE");
	contacted = handed_off("contacted", "DE");
	assert_int_equal(door_assign(as("mona"), monday.id, "sara", DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(door_claim(as("sam"), contacted.id, DOOR_ANY_VERSION), LB_OK);
	now = at("2026-03-30T09:00Z");
	assert_int_equal(door_touch(as("sam"), contacted.id, "call", NULL, 0, DOOR_ANY_VERSION),
			 LB_OK);
	now = at("2026-03-30T11:59Z");                  /* 13:59 */
	test_sweep_once(&s);
	assert_int_equal(s.reclaimed, 0);
	now = at("2026-03-30T12:00Z");                  /* 14:00 */
	test_sweep_once(&s);
	assert_int_equal(s.reclaimed, 1);
	monday = get(monday.id);
	assert_string_equal(monday.owner, "");
	assert_int_equal(monday.owner_since, 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE kind = 'reclaim' AND "
		 "reason = 'sla-breach' AND note = 'sara' AND lead_id = '%s'", monday.id);
	assert_int_equal(count(sql), 1);
	assert_string_equal(get(contacted.id).owner, "sam");

	/* autumn: Fri 16:00 CEST, two hours later is Mon 10:00 CET (what is
	 * left unclaimed since spring is escalated first) */
	now = at("2026-10-23T13:59Z");
	test_sweep_once(&s);
	now = at("2026-10-23T14:00Z");
	friday = handed_off("autumn", "DE");
	now = at("2026-10-26T08:59Z");                  /* Mon 09:59 CET */
	test_sweep_once(&s);
	assert_int_equal(s.escalated, 0);
	now = at("2026-10-26T09:00Z");                  /* Mon 10:00 CET */
	test_sweep_once(&s);
	assert_int_equal(s.escalated, 1);

	/* routing on: the sweep gives unclaimed leads to a rep instead, and a
	 * reclaimed one to another rep than the one it was taken from */
	set("routing", "round-robin");
	now = at("2026-10-26T09:30Z");
	test_sweep_once(&s);
	assert_true(s.routed >= 2);                     /* friday and autumn, escalated */
	assert_int_equal(count("SELECT count(*) FROM leads WHERE name IN ('friday', 'autumn') "
			       "AND owner IS NULL"), 0);
	assert_int_equal(count("SELECT count(*) FROM events WHERE kind = 'assign' AND actor = "
			       "'leadboard' AND rule LIKE 'routing: round-robin, turn %; sla: "
			       "unclaimed for 2 business hours (sla_accept_hours)'"), s.routed);
	friday = get(friday.id);
	now = at("2026-10-26T14:30Z");                  /* 15:30: 5 h 30 later */
	test_sweep_once(&s);
	assert_true(s.reclaimed >= 1);
	assert_true(s.rerouted >= 1);
	assert_true(strcmp(get(friday.id).owner, friday.owner) != 0);
	assert_owner_counts();
	set("routing", "off");
	set("sla_contact_hours", "0");
	set("sla_hours", "24x7");
	set("sla_accept_hours", "24");
}

/* Four sweeps at once, each its own process and connection, on the same
 * breaches: each lead is escalated or reclaimed once, never twice. */
static void test_sweeps_in_parallel(void **state)
{
	enum { SWEEPERS = 4, LEADS = 12 };
	pid_t pids[SWEEPERS];
	int64_t escalations, reclaims;

	(void)state;
	set("routing", "off");
	set("sla_accept_hours", "3");
	set("sla_contact_hours", "1");
	/* what earlier tests left is reclaimed, then escalated, first */
	now = at("2026-11-02T05:00Z");
	test_sweep_once(&(struct sweep_summary){ 0 });
	now = at("2026-11-02T05:01Z");
	test_sweep_once(&(struct sweep_summary){ 0 });
	/* half the leads nobody claims from 06:00; the other half claimed at
	 * 08:00, never contacted, and not past sla_accept_hours once taken back */
	for (int i = 0; i < LEADS; i++) {
		struct lead lead;
		now = at(i % 2 ? "2026-11-02T08:00Z" : "2026-11-02T06:00Z");
		lead = handed_off("rush", "DE");
		if (i % 2)
			assert_int_equal(door_claim(as(i % 4 == 1 ? "sam" : "tom"), lead.id,
						    DOOR_ANY_VERSION), LB_OK);
	}
	escalations = count("SELECT count(*) FROM events WHERE kind = 'escalate'");
	reclaims = count("SELECT count(*) FROM events WHERE kind = 'reclaim'");
	now = at("2026-11-02T10:00Z");
	for (int i = 0; i < SWEEPERS; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			struct store *store;
			struct door *system;
			struct sweep_summary s;
			int rc = store_open(t.path, STORE_OPEN_EXISTING, &store) ||
				 !(system = door_open_system(store, "root"));
			if (!rc) {
				door_set_clock(system, test_clock);
				rc = sweep_run(store, system, &s) != LB_OK || s.busy;
				door_close(system);
			}
			store_close(store);
			_exit(rc);
		}
	}
	for (int i = 0; i < SWEEPERS; i++) {
		int status;
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_int_equal(count("SELECT count(*) FROM events WHERE kind = 'escalate'") - escalations,
			 LEADS / 2);
	assert_int_equal(count("SELECT count(*) FROM events WHERE kind = 'reclaim'") - reclaims,
			 LEADS / 2);
	assert_int_equal(count("SELECT count(*) FROM (SELECT lead_id FROM events WHERE kind IN "
			       "('escalate', 'reclaim') AND lead_id IN (SELECT id FROM leads WHERE "
			       "name = 'rush') GROUP BY lead_id, kind HAVING count(*) > 1) x"), 0);
	assert_int_equal(count("SELECT count(*) FROM (SELECT lead_id FROM events WHERE kind IN "
			       "('escalate', 'reclaim') AND lead_id IN (SELECT id FROM leads WHERE "
			       "name = 'rush') GROUP BY lead_id) x"), LEADS);
	assert_owner_counts();
	set("sla_contact_hours", "0");
	set("sla_accept_hours", "24");
}

/* A merge joins two records of one person: the kept lead carries the other's
 * contact attempts, the earliest first and the latest last contact; the
 * merged lead, off the board, has no owner, no next step and takes no
 * touch; the log replays to both. */
static void test_merge_keeps_contact(void **state)
{
	static struct testdb_verdict v;
	struct lead keep, other;
	int64_t first, last, events;

	(void)state;
	set("routing", "off");
	keep = handed_off("keeper", "DE");
	other = handed_off("again", "DE");
	assert_int_equal(door_claim(as("sam"), keep.id, DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(door_claim(as("sam"), other.id, DOOR_ANY_VERSION), LB_OK);
	now += HOUR;
	first = now;
	assert_int_equal(door_touch(as("sam"), other.id, "call", NULL, 0, DOOR_ANY_VERSION), LB_OK);
	now += HOUR;
	assert_int_equal(door_touch(as("sam"), keep.id, "email", NULL, 0, DOOR_ANY_VERSION), LB_OK);
	now += HOUR;
	last = now;
	assert_int_equal(door_touch(as("sam"), other.id, "call", NULL, now + HOUR, DOOR_ANY_VERSION),
			 LB_OK);
	now += MINUTE;
	assert_int_equal(door_merge(as("sam"), keep.id, other.id, NULL, DOOR_ANY_VERSION,
				    DOOR_ANY_VERSION), LB_OK);
	keep = get(keep.id);
	other = get(other.id);
	assert_int_equal(keep.contact_attempts, 3);
	assert_int_equal(keep.first_contact_at, first);
	assert_int_equal(keep.last_contact_at, last);
	assert_string_equal(other.stage, LB_MERGED);
	assert_string_equal(other.merged_into, keep.id);
	assert_string_equal(other.owner, "");
	assert_int_equal(other.owner_since, 0);
	assert_int_equal(other.next_step_at, 0);
	assert_owner_counts();
	/* the merged lead takes no contact attempt; nothing is written */
	events = count("SELECT count(*) FROM events");
	assert_int_equal(door_touch(as("sam"), other.id, "call", NULL, 0, DOOR_ANY_VERSION), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "was merged into lead"));
	assert_int_equal(door_touch(as("mona"), other.id, "call", NULL, 0, DOOR_ANY_VERSION), LB_DATA);
	assert_int_equal(count("SELECT count(*) FROM events"), events);
	/* and the kept lead still does */
	assert_int_equal(door_touch(as("sam"), keep.id, "call", NULL, 0, DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(get(keep.id).contact_attempts, 4);
	if (testdb_verify(&t, NULL, &v) != LB_OK)
		fail_msg("verify: %s", v.problems);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_touch),
		cmocka_unit_test(test_min_attempts),
		cmocka_unit_test(test_merge_keeps_contact),
		cmocka_unit_test(test_round_robin),
		cmocka_unit_test(test_eligibility),
		cmocka_unit_test(test_least_loaded),
		cmocka_unit_test(test_sweep_business_hours),
		cmocka_unit_test(test_sweeps_in_parallel),
	};
	return cmocka_run_group_tests_name("routing", tests, setup, teardown);
}
