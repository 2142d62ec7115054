/* test_door.c - the one door: each change writes its lead and exactly one
 * event; each refusal writes nothing. */
#include "testlib.h"


static struct testdb t;
static struct door *maya, *sam, *sara, *mona, *admin;
static int64_t test_now = 1795000000000LL;

static int64_t test_clock(void)
{
	return test_now;
}

static int setup(void **state)
{
	(void)state;
	testdb_open(&t);
	maya = testdb_door(&t, "maya");
	sam = testdb_door(&t, "sam");
	sara = testdb_door(&t, "sara");
	mona = testdb_door(&t, "mona");
	admin = testdb_door(&t, "root-admin");
	door_set_clock(maya, test_clock);
	door_set_clock(sam, test_clock);
	door_set_clock(sara, test_clock);
	door_set_clock(mona, test_clock);
	door_set_clock(admin, test_clock);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	testdb_close(&t);
	return 0;
}

static int64_t events(void)
{
	return testdb_int(&t, "SELECT count(*) FROM events");
}

/* Changes to leads bump a version; changes to anything add an event: this
 * number moves with any write through the door. */
static int64_t digest(void)
{
	return testdb_int(&t, "SELECT (SELECT coalesce(sum(version), 0) + count(*) * 1000 FROM leads) * 1000000"
			      " + (SELECT count(*) FROM events)");
}

static int copy_event(const struct lb_event *ev, void *ctx)
{
	memcpy(ctx, ev, sizeof *ev);
	return 1;
}

struct events_seen {
	struct lb_event *events;
	int *count;
};

static int copy_events(const struct lb_event *ev, void *ctx)
{
	struct events_seen *seen = ctx;

	if (*seen->count < 3)
		memcpy(&seen->events[(*seen->count)++], ev, sizeof *ev);
	return 0;
}

static struct lb_event newest(void)
{
	struct store_event_filter f = { .newest_first = true, .limit = 1 };
	struct lb_event e;

	memset(&e, 0, sizeof e);
	assert_int_equal(store_events_each(t.store, &f, copy_event, &e), LB_OK);
	return e;
}

static struct lead add(struct door *door, const char *name, const char *stage)
{
	char email[LB_TEXT_MAX + 1];
	struct lead lead;

	snprintf(email, sizeof email, "%s@example.com", name);
	lead = testlib_lead(name, email, "Acme", stage);
	assert_int_equal(door_add(door, &lead), LB_OK);
	return lead;
}

/* A move with no reason, note or override, whatever the lead's version. */
static enum lb_status move(struct door *door, const char *id, const char *stage)
{
	return door_move(door, id, stage, NULL, NULL, false, DOOR_ANY_VERSION);
}

static struct lead reload(const char *id)
{
	struct lead lead;

	assert_int_equal(store_get_lead(t.store, id, &lead), LB_OK);
	return lead;
}

static void test_add(void **state)
{
	struct lead lead;
	struct lb_event e;
	int64_t before;

	(void)state;
	lead = add(maya, "ana", NULL);
	assert_string_equal(lead.stage, "lead");
	assert_int_equal(strlen(lead.id), LB_ID_LEN);
	e = newest();
	assert_string_equal(e.kind, "create");
	assert_string_equal(e.to_stage, "lead");
	assert_string_equal(e.from_stage, "");
	assert_string_equal(e.actor, "maya");
	assert_string_equal(e.lead_id, lead.id);
	assert_int_equal(e.at, test_now);

	lead = add(sam, "bo", NULL);
	assert_string_equal(lead.stage, "sql");
	assert_string_equal(lead.owner, "sam");

	before = digest();
	lead_init(&lead);
	snprintf(lead.name, sizeof lead.name, "nope");
	assert_int_equal(door_add(mona, &lead), LB_NOPERM);
	snprintf(lead.stage, sizeof lead.stage, "sql");
	assert_int_equal(door_add(maya, &lead), LB_NOPERM);
	assert_non_null(strstr(lb_message(LB_NOPERM), "marketing cannot add into SQL"));
	snprintf(lead.stage, sizeof lead.stage, "lead");
	lead.score = 101;
	assert_int_equal(door_add(maya, &lead), LB_DATA);
	lead.score = 10;
	snprintf(lead.email, sizeof lead.email, "not an email");
	assert_int_equal(door_add(maya, &lead), LB_DATA);
	snprintf(lead.email, sizeof lead.email, "ok@example.com");
	snprintf(lead.name, sizeof lead.name, "evil\x1b]2;owned\a");
	assert_int_equal(door_add(maya, &lead), LB_DATA);
	snprintf(lead.name, sizeof lead.name, "   ");
	assert_int_equal(door_add(maya, &lead), LB_DATA);
	assert_int_equal(digest(), before);
}

/* The walk of the end-to-end story, with the state after each step. */
static void test_walk(void **state)
{
	struct lead lead = add(maya, "walker", NULL), now;
	int64_t n = events();

	(void)state;
	assert_int_equal(door_move(maya, lead.id, "mql", NULL, NULL, false, lead.version), LB_OK);
	test_now += 1000;
	assert_int_equal(move(maya, lead.id, "sql"), LB_OK);
	now = reload(lead.id);
	assert_int_equal(now.handoff_count, 1);
	assert_int_equal(now.handed_off_at, test_now);
	assert_string_equal(newest().kind, "handoff");

	assert_int_equal(door_claim(sam, lead.id, now.version), LB_OK);
	assert_string_equal(reload(lead.id).owner, "sam");
	assert_string_equal(newest().kind, "claim");

	assert_int_equal(door_move(sam, lead.id, "mql", "not-ready", "call in March", false,
				   DOOR_ANY_VERSION),
			 LB_OK);
	now = reload(lead.id);
	assert_int_equal(now.recycle_count, 1);
	assert_string_equal(now.owner, "");
	assert_string_equal(now.last_reason, "not-ready");
	assert_string_equal(now.last_note, "call in March");
	struct lb_event e = newest();
	assert_string_equal(e.kind, "passback");
	assert_string_equal(e.reason, "not-ready");
	assert_string_equal(e.note, "call in March");

	assert_int_equal(move(maya, lead.id, "sql"), LB_OK);
	assert_int_equal(move(sara, lead.id, "opportunity"), LB_OK);
	assert_int_equal(move(sara, lead.id, "customer"), LB_OK);
	assert_string_equal(reload(lead.id).stage, "customer");
	assert_int_equal(events(), n + 7);
}

static void test_refusals_write_nothing(void **state)
{
	struct lead lead = add(maya, "refused", NULL);
	int64_t before;

	(void)state;
	assert_int_equal(move(maya, lead.id, "mql"), LB_OK);
	before = digest();
	assert_int_equal(move(sam, lead.id, "sql"), LB_NOPERM);
	assert_int_equal(move(maya, lead.id, "lead"), LB_DATA);
	assert_int_equal(door_move(maya, lead.id, "lead", "no-such-reason", NULL, false,
				   DOOR_ANY_VERSION), LB_DATA);
	assert_int_equal(move(maya, lead.id, "nowhere"), LB_DATA);
	assert_int_equal(move(maya, "ffffffff", "sql"), LB_NOINPUT);
	assert_int_equal(move(mona, lead.id, "sql"), LB_NOPERM);
	assert_int_equal(door_move(mona, lead.id, "sql", NULL, "", true, DOOR_ANY_VERSION), LB_DATA);
	assert_int_equal(door_claim(sam, lead.id, DOOR_ANY_VERSION), LB_DATA);
	assert_int_equal(door_discard(maya, lead.id, NULL, NULL, DOOR_ANY_VERSION), LB_DATA);
	assert_int_equal(door_move(maya, lead.id, "sql", NULL, "\x1b[2J", false, DOOR_ANY_VERSION),
			 LB_DATA);
	assert_int_equal(digest(), before);
}

static void test_stale_version(void **state)
{
	struct lead lead = add(maya, "raced", NULL);
	int64_t before;

	(void)state;
	test_now += 10000;
	assert_int_equal(door_move(maya, lead.id, "mql", NULL, NULL, false, lead.version), LB_OK);
	before = digest();
	test_now += 10000;
	/* marco's board still shows version 1 */
	assert_int_equal(door_move(maya, lead.id, "mql", NULL, NULL, false, lead.version),
			 LB_TEMPFAIL);
	assert_non_null(strstr(lb_message(LB_TEMPFAIL), "was moved by maya to MQL 10 s ago"));
	assert_int_equal(digest(), before);
}

static void test_handoff_limit_and_override(void **state)
{
	struct lead lead = add(maya, "looper", "mql");
	struct lb_event e;

	(void)state;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(move(maya, lead.id, "sql"), LB_OK);
		assert_int_equal(door_move(sam, lead.id, "mql", "no-response", NULL, false,
					   DOOR_ANY_VERSION), LB_OK);
	}
	assert_int_equal(move(maya, lead.id, "sql"), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "max_handoffs is 2"));
	assert_int_equal(door_move(mona, lead.id, "sql", NULL, "CEO asked for a third try", true,
				   DOOR_ANY_VERSION), LB_OK);
	e = newest();
	assert_string_equal(e.kind, "override");
	assert_string_equal(e.actor, "mona");
	assert_string_equal(e.note, "CEO asked for a third try");
	assert_non_null(strstr(e.rule, "max_handoffs"));
	assert_int_equal(reload(lead.id).handoff_count, 3);
	assert_int_equal(reload(lead.id).recycle_count, 2);
}

static void test_ownership(void **state)
{
	struct lead lead = add(maya, "owned", "mql");

	(void)state;
	assert_int_equal(move(maya, lead.id, "sql"), LB_OK);
	assert_int_equal(door_claim(sam, lead.id, DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(door_claim(sara, lead.id, DOOR_ANY_VERSION), LB_NOPERM);
	assert_int_equal(move(sara, lead.id, "opportunity"), LB_NOPERM);
	assert_int_equal(door_assign(sam, lead.id, "sara", DOOR_ANY_VERSION), LB_NOPERM);
	assert_int_equal(door_assign(mona, lead.id, "maya", DOOR_ANY_VERSION), LB_DATA);
	assert_int_equal(door_assign(mona, lead.id, "nobody", DOOR_ANY_VERSION), LB_DATA);
	assert_int_equal(door_assign(mona, lead.id, "sara", DOOR_ANY_VERSION), LB_OK);
	assert_string_equal(newest().note, "sara");
	assert_string_equal(reload(lead.id).owner, "sara");
	assert_int_equal(move(sara, lead.id, "opportunity"), LB_OK);
}

static void test_max_open_per_rep(void **state)
{
	struct lead a = add(maya, "one", "mql"), b = add(maya, "two", "mql");

	(void)state;
	assert_int_equal(door_setting_set(admin, "max_open_per_rep", "1"), LB_OK);
	for (int i = 0; i < 2; i++)
		assert_int_equal(move(maya, i ? b.id : a.id, "sql"), LB_OK);
	/* sara owns leads from the earlier tests: count hers, then cap her at that */
	int open;
	char value[16];
	assert_int_equal(store_open_lead_count(t.store, "sara", &open), LB_OK);
	snprintf(value, sizeof value, "%d", open + 1);
	assert_int_equal(door_setting_set(admin, "max_open_per_rep", value), LB_OK);
	assert_int_equal(door_claim(sara, a.id, DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(door_claim(sara, b.id, DOOR_ANY_VERSION), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "max_open_per_rep"));
	assert_int_equal(door_setting_set(admin, "max_open_per_rep", "0"), LB_OK);
	assert_int_equal(door_claim(sara, b.id, DOOR_ANY_VERSION), LB_OK);
}

static void test_discard_restore(void **state)
{
	struct lead lead = add(maya, "gone", NULL);

	(void)state;
	assert_int_equal(door_discard(maya, lead.id, "duplicate", "same as ana", DOOR_ANY_VERSION),
			 LB_OK);
	assert_string_equal(reload(lead.id).stage, LB_DISCARDED);
	assert_string_equal(newest().to_stage, LB_DISCARDED);
	assert_int_equal(move(maya, lead.id, "mql"), LB_DATA);
	assert_int_equal(door_restore(sam, lead.id, DOOR_ANY_VERSION), LB_NOPERM);
	assert_int_equal(door_restore(maya, lead.id, DOOR_ANY_VERSION), LB_OK);
	assert_string_equal(reload(lead.id).stage, "lead");
	assert_string_equal(newest().kind, "restore");
}

static void test_edit(void **state)
{
	struct lead lead = add(maya, "editme", NULL), changes;
	int64_t before;

	(void)state;
	lead_init(&changes);
	changes.score = 80;
	snprintf(changes.company, sizeof changes.company, "Globex");
	assert_int_equal(door_edit(maya, lead.id, &changes, FIELD_SCORE | FIELD_COMPANY,
				   DOOR_ANY_VERSION), LB_OK);
	assert_string_equal(newest().note, "company: Acme -> Globex; score: 0 -> 80");
	assert_int_equal(reload(lead.id).score, 80);
	before = digest();
	assert_int_equal(door_edit(maya, lead.id, &changes, FIELD_SCORE | FIELD_COMPANY,
				   DOOR_ANY_VERSION), LB_DATA);
	assert_int_equal(door_edit(sam, lead.id, &changes, FIELD_SCORE, DOOR_ANY_VERSION),
			 LB_NOPERM);
	changes.score = 500;
	assert_int_equal(door_edit(maya, lead.id, &changes, FIELD_SCORE, DOOR_ANY_VERSION),
			 LB_DATA);
	assert_int_equal(digest(), before);
}

static void test_board_administration(void **state)
{
	struct lb_board board;
	int64_t before;

	(void)state;
	before = events();
	assert_int_equal(door_user_add(maya, "eve", ROLE_ADMIN), LB_NOPERM);
	assert_int_equal(door_setting_set(mona, "max_handoffs", "3"), LB_NOPERM);
	assert_int_equal(door_setting_set(admin, "max_handoffs", "lots"), LB_DATA);
	assert_int_equal(door_setting_set(admin, "no_such", "1"), LB_DATA);
	assert_int_equal(door_user_set_role(admin, "root-admin", ROLE_MANAGER), LB_DATA);
	assert_int_equal(events(), before);

	assert_int_equal(door_setting_set(admin, "max_handoffs", "3"), LB_OK);
	assert_string_equal(newest().kind, "setting");
	assert_string_equal(newest().note, "max_handoffs: '2' -> '3'");
	assert_int_equal(door_reason_add(admin, "wrong-region", "Outside our regions"), LB_OK);
	assert_int_equal(door_reason_retire(admin, "competitor"), LB_OK);
	struct lead lead = add(maya, "reasoned", "mql");
	assert_int_equal(door_move(maya, lead.id, "lead", "competitor", NULL, false,
				   DOOR_ANY_VERSION), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "retired"));
	assert_int_equal(door_move(maya, lead.id, "lead", "wrong-region", NULL, false,
				   DOOR_ANY_VERSION), LB_OK);

	/* a new marketing stage before Lead, a new sales stage after Customer */
	assert_int_equal(door_stage_add(admin, "subscriber", "Subscriber", TEAM_MARKETING, "",
					 false), LB_OK);
	assert_int_equal(door_stage_add(admin, "early", "Early", TEAM_SALES, "", false), LB_DATA);
	assert_int_equal(door_stage_add(admin, "evangelist", "Evangelist", TEAM_SALES, "customer",
					 false), LB_OK);
	assert_int_equal(door_stage_add(admin, "late", "Late", TEAM_MARKETING, "sql", false),
			 LB_DATA);
	assert_int_equal(door_stage_rename(admin, "mql", "Marketing qualified"), LB_OK);
	assert_int_equal(store_load_board(t.store, &board), LB_OK);
	assert_int_equal(board.count, 7);
	assert_string_equal(board.stages[0].key, "subscriber");
	assert_string_equal(board.stages[0].title, "Subscriber");
	assert_string_equal(board.stages[2].title, "Marketing qualified");
	assert_string_equal(board.stages[6].key, "evangelist");

	/* a disabled member's open door stops working */
	assert_int_equal(door_user_disable(admin, "sara"), LB_OK);
	struct lead another = add(maya, "late", "mql");
	assert_int_equal(move(maya, another.id, "sql"), LB_OK);
	assert_int_equal(door_claim(sara, another.id, DOOR_ANY_VERSION), LB_NOPERM);
	assert_int_equal(door_user_enable(admin, "sara"), LB_OK);
	assert_int_equal(door_claim(sara, another.id, DOOR_ANY_VERSION), LB_OK);
}

/* What a shared install writes to the system log: after each commit that
 * appended an event, the new head; nothing for a refusal or a rollback. */
static int64_t witnessed_seq;
static char witnessed_hash[65];
static int witnessed_calls;

static void witness(int64_t seq, const char *hash)
{
	witnessed_seq = seq;
	snprintf(witnessed_hash, sizeof witnessed_hash, "%s", hash);
	witnessed_calls++;
}

static void test_witness(void **state)
{
	struct lead lead;
	struct lb_event head;

	(void)state;
	door_set_witness(sam, witness);
	door_set_witness(maya, witness);
	door_set_witness(admin, witness);
	lead = add(maya, "witnessed", "mql");
	head = newest();
	assert_int_equal(witnessed_calls, 1);
	assert_int_equal(witnessed_seq, head.seq);
	assert_string_equal(witnessed_hash, head.hash);

	/* refused: nothing written, nothing witnessed */
	assert_int_equal(move(sam, lead.id, "sql"), LB_NOPERM);
	assert_int_equal(witnessed_calls, 1);

	assert_int_equal(move(maya, lead.id, "sql"), LB_OK);
	assert_int_equal(door_setting_set(admin, "max_open_per_rep", "0"), LB_DATA);
	assert_int_equal(door_setting_set(admin, "sla_idle_days", "3"), LB_OK);
	head = newest();
	assert_int_equal(witnessed_calls, 3);
	assert_int_equal(witnessed_seq, head.seq);
	assert_string_equal(witnessed_hash, head.hash);

	/* an import is one commit: one witness, of its last event */
	assert_int_equal(door_import_begin(admin), LB_OK);
	for (int i = 0; i < 3; i++) {
		struct lead row;
		lead_init(&row);
		snprintf(row.name, sizeof row.name, "imported %d", i);
		assert_int_equal(door_import_add(admin, &row, false), LB_OK);
	}
	assert_int_equal(door_import_flush(admin), LB_OK);
	assert_int_equal(door_import_end(admin, true), LB_OK);
	head = newest();
	assert_int_equal(witnessed_calls, 4);
	assert_int_equal(witnessed_seq, head.seq);

	/* a dry run rolls back: nothing to witness */
	assert_int_equal(door_import_begin(admin), LB_OK);
	lead_init(&lead);
	snprintf(lead.name, sizeof lead.name, "dry run");
	assert_int_equal(door_import_add(admin, &lead, false), LB_OK);
	assert_int_equal(door_import_end(admin, false), LB_OK);
	assert_int_equal(witnessed_calls, 4);
	door_set_witness(sam, NULL);
	door_set_witness(maya, NULL);
	door_set_witness(admin, NULL);
}

/* One e-mail address on the board: refused at add, edit and restore in any
 * case and spacing, kept beside with door_allow_duplicates(), on the record. */
static void test_duplicate_email(void **state)
{
	struct lead first = add(maya, "dup", NULL), second, changes;
	struct lead gone = add(maya, "dupgone", NULL);
	int64_t before;

	(void)state;
	lead_init(&second);
	snprintf(second.name, sizeof second.name, "Dup Again");
	snprintf(second.email, sizeof second.email, "  DUP@Example.COM ");
	before = digest();
	assert_int_equal(door_add(maya, &second), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "e-mail dup@example.com is already on the board: "
						    "lead "));
	assert_non_null(strstr(lb_message(LB_DATA), "(dup)"));
	/* the edit that would make a second one, and the restore */
	lead_init(&changes);
	snprintf(changes.email, sizeof changes.email, "Dup@example.com");
	assert_int_equal(door_edit(maya, gone.id, &changes, FIELD_EMAIL, DOOR_ANY_VERSION), LB_DATA);
	assert_int_equal(digest(), before);

	/* a change of case of its own address is no duplicate */
	snprintf(changes.email, sizeof changes.email, "DUP@example.com");
	assert_int_equal(door_edit(maya, first.id, &changes, FIELD_EMAIL, DOOR_ANY_VERSION), LB_OK);

	/* allowed: a rep may not, marketing may, and the event says which lead had it */
	door_allow_duplicates(sam, true);
	snprintf(second.stage, sizeof second.stage, "sql");
	assert_int_equal(door_add(sam, &second), LB_NOPERM);
	door_allow_duplicates(sam, false);
	door_allow_duplicates(maya, true);
	second.stage[0] = '\0';
	assert_int_equal(door_add(maya, &second), LB_OK);
	assert_string_equal(reload(second.id).email, "DUP@Example.COM");   /* trimmed, as typed */
	assert_string_equal(newest().kind, "create");
	assert_non_null(strstr(newest().rule, "e-mail DUP@example.com is already on the board"));
	door_allow_duplicates(maya, false);

	/* discarded, its address is free again; restored, it is checked */
	assert_int_equal(door_discard(maya, second.id, "duplicate", NULL, DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(door_edit(maya, gone.id, &changes, FIELD_EMAIL, DOOR_ANY_VERSION), LB_DATA);
	lead_init(&changes);
	snprintf(changes.email, sizeof changes.email, "dup-gone@example.com");
	assert_int_equal(door_restore(maya, second.id, DOOR_ANY_VERSION), LB_DATA);
	door_allow_duplicates(maya, true);
	assert_int_equal(door_restore(maya, second.id, DOOR_ANY_VERSION), LB_OK);
	assert_string_equal(newest().kind, "restore");
	assert_non_null(strstr(newest().rule, "is already on the board"));
	door_allow_duplicates(maya, false);
}

/* Fields made uniform on the way in: the country as its code, the e-mail
 * trimmed, the segment from any of its words. */
static void test_clean_fields(void **state)
{
	struct lead lead, changes;

	(void)state;
	lead = testlib_lead("Clean", " clean@example.com\t", NULL, NULL);
	snprintf(lead.country, sizeof lead.country, "Germany");
	snprintf(lead.segment, sizeof lead.segment, "B2B");
	assert_int_equal(door_add(maya, &lead), LB_OK);
	lead = reload(lead.id);
	assert_string_equal(lead.email, "clean@example.com");
	assert_string_equal(lead.country, "DE");
	assert_string_equal(lead.segment, "b2b");
	lead_init(&changes);
	snprintf(changes.country, sizeof changes.country, " Narnia ");
	assert_int_equal(door_edit(maya, lead.id, &changes, FIELD_COUNTRY, DOOR_ANY_VERSION), LB_OK);
	assert_string_equal(reload(lead.id).country, "Narnia");   /* kept as given */
	assert_string_equal(newest().note, "country: DE -> Narnia");
	snprintf(changes.email, sizeof changes.email, "clean@example");
	assert_int_equal(door_edit(maya, lead.id, &changes, FIELD_EMAIL, DOOR_ANY_VERSION), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "email"));
}

static int collect_kinds(const struct lb_event *e, void *ctx)
{
	char *out = ctx;
	size_t used = strlen(out);

	snprintf(out + used, 512 - used, "%s%s", used ? " " : "", e->kind);
	return 0;
}

/* Merge: the kept lead takes the other's empty fields and its counts, the
 * other leaves for merged remembering it; one event; the kept lead's
 * history holds both. */
static void test_merge(void **state)
{
	struct lead keep, other = add(maya, "recycled", NULL), got;
	struct store_event_filter history = { 0 };
	char kinds[512] = "";
	int64_t before;

	(void)state;
	/* the other: handed off, passed back (recycled), a title and a country */
	assert_int_equal(move(maya, other.id, "mql"), LB_OK);
	assert_int_equal(move(maya, other.id, "sql"), LB_OK);
	assert_int_equal(door_move(sam, other.id, "lead", "not-ready", "spring", false,
				   DOOR_ANY_VERSION), LB_OK);
	lead_init(&got);
	snprintf(got.title, sizeof got.title, "CTO");
	snprintf(got.country, sizeof got.country, "fr");
	assert_int_equal(door_edit(maya, other.id, &got, FIELD_TITLE | FIELD_COUNTRY,
				   DOOR_ANY_VERSION), LB_OK);
	/* the fresh one: no title, no country */
	lead_init(&keep);
	snprintf(keep.name, sizeof keep.name, "Fresh");
	snprintf(keep.email, sizeof keep.email, "fresh@example.com");
	assert_int_equal(door_add(maya, &keep), LB_OK);

	before = events();
	assert_int_equal(door_merge(sam, keep.id, other.id, NULL, DOOR_ANY_VERSION,
				    DOOR_ANY_VERSION), LB_NOPERM);
	assert_int_equal(door_merge(maya, keep.id, keep.id, NULL, DOOR_ANY_VERSION,
				    DOOR_ANY_VERSION), LB_DATA);
	assert_int_equal(events(), before);
	assert_int_equal(door_merge(maya, keep.id, other.id, "same person", DOOR_ANY_VERSION,
				    DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(events(), before + 1);
	got = reload(keep.id);
	assert_string_equal(got.title, "CTO");
	assert_string_equal(got.country, "FR");
	assert_string_equal(got.company, "Acme");   /* the other's, as the kept had none */
	assert_int_equal(got.recycle_count, 1);
	assert_int_equal(got.handoff_count, 1);
	assert_int_equal(got.version, 2);
	assert_string_equal(got.stage, keep.stage);   /* where it was */
	got = reload(other.id);
	assert_string_equal(got.stage, LB_MERGED);
	assert_string_equal(got.merged_into, keep.id);
	assert_string_equal(newest().kind, "merge");
	assert_string_equal(newest().lead_id, other.id);
	assert_string_equal(newest().from_stage, "lead");
	assert_string_equal(newest().to_stage, LB_MERGED);
	assert_non_null(strstr(newest().note, keep.id));
	assert_non_null(strstr(newest().note, ": same person"));
	/* the kept lead's history: both, in order */
	history.lead_id = keep.id;
	assert_int_equal(store_events_each(t.store, &history, collect_kinds, kinds), LB_OK);
	assert_string_equal(kinds, "create move handoff passback edit create merge");
	/* a merge is not undone, nor a change to either lead before it */
	int64_t undone = 0, unchanged = digest();
	assert_int_equal(door_undo(maya, other.id, 0, &undone), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "a merge cannot be undone"));
	assert_int_equal(door_undo(maya, NULL, 0, &undone), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "a merge cannot be undone"));
	assert_int_equal(door_undo(maya, keep.id, 0, &undone), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "took in another lead in a merge by maya"));
	assert_int_equal(digest(), unchanged);
	/* merged: for good, and its address is free */
	assert_int_equal(move(maya, other.id, "mql"), LB_DATA);
	assert_int_equal(door_merge(maya, keep.id, other.id, NULL, DOOR_ANY_VERSION,
				    DOOR_ANY_VERSION), LB_DATA);
	(void)add(maya, "recycled", "mql");
}

/* Undo: a Customer move taken back by its author within undo_minutes, with
 * the lead as it was (stage, time in stage, owner) and one undo event that
 * names the move; refused to someone else, after a later change, after
 * the window, and for an undo itself. */
static void test_undo(void **state)
{
	struct lead lead = add(maya, "Uma", "mql"), back;
	struct lb_event moved, undo;
	int64_t undone = 0, before_digest, entered;
	char note[64];

	(void)state;
	test_now += 60000;
	assert_int_equal(move(maya, lead.id, "sql"), LB_OK);
	test_now += 60000;
	assert_int_equal(door_claim(sam, lead.id, DOOR_ANY_VERSION), LB_OK);
	test_now += 60000;
	assert_int_equal(move(sam, lead.id, "opportunity"), LB_OK);
	entered = reload(lead.id).stage_entered_at;
	test_now += 3600000;
	assert_int_equal(move(sam, lead.id, "customer"), LB_OK);
	moved = newest();

	/* not sara's to undo; a manager neither */
	before_digest = digest();
	assert_int_equal(door_undo(sara, lead.id, 0, &undone), LB_NOPERM);
	assert_non_null(strstr(lb_message(LB_NOPERM), "not yours to undo"));
	assert_int_equal(door_undo(mona, lead.id, 0, &undone), LB_NOPERM);
	assert_int_equal(digest(), before_digest);

	/* sam, nine minutes later: back in Opportunity as it was */
	test_now += 9 * 60000;
	assert_int_equal(door_undo(sam, NULL, 0, &undone), LB_OK);
	assert_int_equal(undone, moved.seq);
	back = reload(lead.id);
	assert_string_equal(back.stage, "opportunity");
	assert_string_equal(back.owner, "sam");
	assert_int_equal(back.stage_entered_at, entered);
	assert_int_equal(back.updated_at, test_now);
	undo = newest();
	assert_string_equal(undo.kind, "undo");
	assert_string_equal(undo.from_stage, "customer");
	assert_string_equal(undo.to_stage, "opportunity");
	event_undo_note(moved.seq, EV_MOVE, note, sizeof note);
	assert_string_equal(undo.note, note);
	/* the move stays in the log */
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE seq = %lld AND kind = 'move'",
		 (long long)moved.seq);
	assert_int_equal(testdb_int(&t, sql), 1);

	/* an undo is not undone */
	before_digest = digest();
	assert_int_equal(door_undo(sam, lead.id, 0, &undone), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "an undo is not undone"));

	/* again to Customer; eleven minutes later it is too late */
	assert_int_equal(move(sam, lead.id, "customer"), LB_OK);
	test_now += 11 * 60000;
	before_digest = digest();
	assert_int_equal(door_undo(sam, lead.id, 0, &undone), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "too late to undo your move"));
	assert_non_null(strstr(lb_message(LB_DATA), "undo_minutes is 10"));
	/* without a lead: none of sam's changes is young enough */
	assert_int_equal(door_undo(sam, NULL, 0, &undone), LB_DATA);
	assert_int_equal(digest(), before_digest);

	/* someone changed it since: a note by mona */
	struct lead other = add(maya, "Otto", "mql");
	test_now += 60000;
	assert_int_equal(door_move(maya, other.id, "lead", "not-ready", NULL, false,
				   DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(door_note(mona, other.id, "Call in spring", DOOR_ANY_VERSION), LB_OK);
	before_digest = digest();
	assert_int_equal(door_undo(maya, other.id, 0, &undone), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "mona changed lead"));
	/* a change seen before is not the one undone now (the board's stale confirm) */
	assert_int_equal(door_undo(mona, other.id, moved.seq, &undone), LB_TEMPFAIL);
	assert_int_equal(digest(), before_digest);
	assert_int_equal(door_undo(mona, other.id, 0, &undone), LB_OK);   /* her note */
	assert_int_equal(testdb_int(&t, "SELECT count(*) FROM events WHERE kind = 'note'"), 1);
}

/* Release: the owner gives a lead back, its SLA clock still from the handoff;
 * reassign: a rep's open leads to another, one event each. */
static void test_release_and_reassign(void **state)
{
	struct lead a = add(maya, "RaeOne", "mql"), b = add(maya, "RaeTwo", "mql");
	int64_t handed, before_digest;
	int count = 0;

	(void)state;
	assert_int_equal(move(maya, a.id, "sql"), LB_OK);
	assert_int_equal(move(maya, b.id, "sql"), LB_OK);
	handed = reload(a.id).handed_off_at;
	test_now += 3600000;
	assert_int_equal(door_claim(sam, a.id, DOOR_ANY_VERSION), LB_OK);
	assert_int_equal(door_claim(sam, b.id, DOOR_ANY_VERSION), LB_OK);
	before_digest = digest();
	assert_int_equal(door_release(sara, a.id, DOOR_ANY_VERSION), LB_NOPERM);
	assert_int_equal(digest(), before_digest);
	assert_int_equal(door_release(sam, a.id, DOOR_ANY_VERSION), LB_OK);
	assert_string_equal(reload(a.id).owner, "");
	assert_int_equal(reload(a.id).handed_off_at, handed);
	assert_string_equal(newest().kind, "release");

	before_digest = digest();
	assert_int_equal(door_reassign(sam, "sam", "sara", &count), LB_NOPERM);
	assert_int_equal(door_reassign(mona, "sam", "maya", &count), LB_DATA);
	assert_int_equal(door_reassign(mona, "ghost", "sara", &count), LB_NOINPUT);
	assert_int_equal(digest(), before_digest);
	int64_t sam_open = testdb_int(&t, "SELECT count(*) FROM leads WHERE owner = 'sam' AND "
					  "stage IN ('sql', 'opportunity')");
	assert_true(sam_open >= 1);
	assert_int_equal(door_reassign(mona, "sam", "sara", &count), LB_OK);
	assert_int_equal(count, sam_open);
	assert_int_equal(testdb_int(&t, "SELECT count(*) FROM leads WHERE owner = 'sam' AND "
					"stage IN ('sql', 'opportunity')"), 0);
	assert_string_equal(reload(b.id).owner, "sara");
	assert_int_equal(testdb_int(&t, "SELECT count(*) FROM events WHERE kind = 'assign' AND "
					"rule = 'reassign: from sam'"), sam_open);
}

/* What a change says it did comes from the events its own connection
 * appended, even when someone else's change to the same lead came after. */
static void test_appended_events(void **state)
{
	struct lead lead = add(maya, "reporter", NULL);
	struct store *other;
	struct door *other_sam;
	struct lb_user user;
	struct lb_event seen[3];
	int count = 0;

	(void)state;
	assert_int_equal(store_open(t.path, STORE_OPEN_EXISTING, &other), LB_OK);
	assert_int_equal(store_get_user(other, "sam", &user), LB_OK);
	assert_non_null(other_sam = door_open(other, &user, NULL));
	door_set_clock(other_sam, test_clock);
	assert_int_equal(move(maya, lead.id, "mql"), LB_OK);
	assert_int_equal(move(maya, lead.id, "sql"), LB_OK);
	/* on the other connection, after the handoff: sam claims it */
	assert_int_equal(door_claim(other_sam, lead.id, DOOR_ANY_VERSION), LB_OK);
	assert_string_equal(newest().kind, "claim");

	assert_int_equal(store_appended_each(t.store, copy_events, &(struct events_seen){ seen, &count }),
			 LB_OK);
	assert_int_equal(count, 1);
	assert_string_equal(seen[0].kind, "handoff");
	assert_string_equal(seen[0].lead_id, lead.id);
	door_close(other_sam);
	store_close(other);
}

static void test_chain_after_everything(void **state)
{
	struct testdb_verdict v;

	(void)state;
	testdb_verify(&t, NULL, &v);
	assert_string_equal(v.problems, "");
	assert_int_equal(v.status, LB_OK);
	assert_int_equal(v.result.events, events());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_refusals_write_nothing),
		cmocka_unit_test(test_stale_version),
		cmocka_unit_test(test_handoff_limit_and_override),
		cmocka_unit_test(test_ownership),
		cmocka_unit_test(test_max_open_per_rep),
		cmocka_unit_test(test_discard_restore),
		cmocka_unit_test(test_undo),
		cmocka_unit_test(test_release_and_reassign),
		cmocka_unit_test(test_edit),
		cmocka_unit_test(test_board_administration),
		cmocka_unit_test(test_witness),
		cmocka_unit_test(test_duplicate_email),
		cmocka_unit_test(test_clean_fields),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_appended_events),
		cmocka_unit_test(test_chain_after_everything),
	};
	return cmocka_run_group_tests_name("door", tests, setup, teardown);
}
