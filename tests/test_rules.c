/*
 * test_rules.c - the rule book as a table.
 *
 * Every role x every from stage x every to stage x reason given or not x
 * override or not, on the default board, with a lead that meets the gate,
 * has been handed off fewer times than the limit and has no owner. The
 * expected verdicts are written out by hand from DESIGN.md, not computed.
 * Further tables cover ownership, the gate, the handoff limit, claims,
 * assignments, discards, restores, adds, edits, settings and the clocks, and
 * the question asked ahead (before any dialog): every role x every stage x
 * every action, with what each answer asks for.
 */
#include "testlib.h"

#include "leadboard/rules.h"

static struct lb_board board;
static struct rules_settings settings;

static int setup(void **state)
{
	(void)state;
	testlib_default_board(&board);
	rules_settings_defaults(&settings);
	return 0;
}

static struct lead sample_lead(const char *stage)
{
	struct lead lead = testlib_lead("Ana García", "ana@acme.example", "Acme", stage);

	snprintf(lead.id, sizeof lead.id, "3f2a9c1e-0000-4000-8000-000000000001");
	lead.score = 50;
	return lead;
}

static struct lb_user user(const char *login, enum lb_role role)
{
	struct lb_user u;

	memset(&u, 0, sizeof u);
	snprintf(u.login, sizeof u.login, "%s", login);
	u.role = role;
	return u;
}

/* The question as the door asks it: with the details, for a move to to. */
static struct rules_verdict move(const struct lb_board *b, const struct rules_settings *s,
				 const struct lb_user *actor, const struct lead *lead, const char *to,
				 struct rules_request request)
{
	request.action = RULES_MOVE;
	request.stage = to;
	return rules_ask(b, s, actor, lead, &request);
}

static struct rules_verdict ask(const struct lb_user *actor, const struct lead *lead,
				struct rules_request request)
{
	return rules_ask(&board, &settings, actor, lead, &request);
}

/* Verdict letters: M move, H handoff, P pass-back, O override,
 * D refused as invalid data (65), N refused as not permitted (77). */
static char letter(const struct rules_verdict *v)
{
	if (v->status == LB_DATA)
		return 'D';
	if (v->status == LB_NOPERM)
		return 'N';
	assert_int_equal(v->status, LB_OK);
	switch (v->kind) {
	case EV_MOVE: return 'M';
	case EV_HANDOFF: return 'H';
	case EV_PASSBACK: return 'P';
	case EV_OVERRIDE: return 'O';
	default: return '?';
	}
}

/*
 * Columns of expect: [no reason, no override] [reason, no override]
 * [no reason, override + note] [reason, override + note].
 */
static const struct move_case {
	enum lb_role role;
	const char *from, *to;
	const char expect[5];
} move_table[] = {
	/* marketing: moves inside marketing, hands off MQL -> SQL, nothing in sales */
	{ ROLE_MARKETING, "lead", "lead", "DDDD" },
	{ ROLE_MARKETING, "lead", "mql", "MMNN" },
	{ ROLE_MARKETING, "lead", "sql", "DDNN" },
	{ ROLE_MARKETING, "lead", "opportunity", "DDNN" },
	{ ROLE_MARKETING, "lead", "customer", "DDNN" },
	{ ROLE_MARKETING, "mql", "lead", "DMNN" },
	{ ROLE_MARKETING, "mql", "mql", "DDDD" },
	{ ROLE_MARKETING, "mql", "sql", "HHNN" },
	{ ROLE_MARKETING, "mql", "opportunity", "DDNN" },
	{ ROLE_MARKETING, "mql", "customer", "DDNN" },
	{ ROLE_MARKETING, "sql", "lead", "NNNN" },
	{ ROLE_MARKETING, "sql", "mql", "NNNN" },
	{ ROLE_MARKETING, "sql", "sql", "DDDD" },
	{ ROLE_MARKETING, "sql", "opportunity", "NNNN" },
	{ ROLE_MARKETING, "sql", "customer", "NNNN" },
	{ ROLE_MARKETING, "opportunity", "lead", "NNNN" },
	{ ROLE_MARKETING, "opportunity", "mql", "NNNN" },
	{ ROLE_MARKETING, "opportunity", "sql", "NNNN" },
	{ ROLE_MARKETING, "opportunity", "opportunity", "DDDD" },
	{ ROLE_MARKETING, "opportunity", "customer", "NNNN" },
	{ ROLE_MARKETING, "customer", "lead", "DDNN" },
	{ ROLE_MARKETING, "customer", "mql", "DDNN" },
	{ ROLE_MARKETING, "customer", "sql", "DDNN" },
	{ ROLE_MARKETING, "customer", "opportunity", "DDNN" },
	{ ROLE_MARKETING, "customer", "customer", "DDDD" },
	/* sales: forward freely, backward and pass-back with a reason */
	{ ROLE_SALES, "lead", "lead", "DDDD" },
	{ ROLE_SALES, "lead", "mql", "NNNN" },
	{ ROLE_SALES, "lead", "sql", "NNNN" },
	{ ROLE_SALES, "lead", "opportunity", "NNNN" },
	{ ROLE_SALES, "lead", "customer", "NNNN" },
	{ ROLE_SALES, "mql", "lead", "NNNN" },
	{ ROLE_SALES, "mql", "mql", "DDDD" },
	{ ROLE_SALES, "mql", "sql", "NNNN" },
	{ ROLE_SALES, "mql", "opportunity", "NNNN" },
	{ ROLE_SALES, "mql", "customer", "NNNN" },
	{ ROLE_SALES, "sql", "lead", "DPNN" },
	{ ROLE_SALES, "sql", "mql", "DPNN" },
	{ ROLE_SALES, "sql", "sql", "DDDD" },
	{ ROLE_SALES, "sql", "opportunity", "MMNN" },
	{ ROLE_SALES, "sql", "customer", "MMNN" },
	{ ROLE_SALES, "opportunity", "lead", "DPNN" },
	{ ROLE_SALES, "opportunity", "mql", "DPNN" },
	{ ROLE_SALES, "opportunity", "sql", "DMNN" },
	{ ROLE_SALES, "opportunity", "opportunity", "DDDD" },
	{ ROLE_SALES, "opportunity", "customer", "MMNN" },
	{ ROLE_SALES, "customer", "lead", "DDNN" },
	{ ROLE_SALES, "customer", "mql", "DDNN" },
	{ ROLE_SALES, "customer", "sql", "DDNN" },
	{ ROLE_SALES, "customer", "opportunity", "DDNN" },
	{ ROLE_SALES, "customer", "customer", "DDDD" },
	/* manager: nothing without an override; with one, anything but a no-op */
	{ ROLE_MANAGER, "lead", "lead", "DDDD" },
	{ ROLE_MANAGER, "lead", "mql", "NNOO" },
	{ ROLE_MANAGER, "lead", "sql", "NNOO" },
	{ ROLE_MANAGER, "lead", "opportunity", "NNOO" },
	{ ROLE_MANAGER, "lead", "customer", "NNOO" },
	{ ROLE_MANAGER, "mql", "lead", "NNOO" },
	{ ROLE_MANAGER, "mql", "mql", "DDDD" },
	{ ROLE_MANAGER, "mql", "sql", "NNOO" },
	{ ROLE_MANAGER, "mql", "opportunity", "NNOO" },
	{ ROLE_MANAGER, "mql", "customer", "NNOO" },
	{ ROLE_MANAGER, "sql", "lead", "NNOO" },
	{ ROLE_MANAGER, "sql", "mql", "NNOO" },
	{ ROLE_MANAGER, "sql", "sql", "DDDD" },
	{ ROLE_MANAGER, "sql", "opportunity", "NNOO" },
	{ ROLE_MANAGER, "sql", "customer", "NNOO" },
	{ ROLE_MANAGER, "opportunity", "lead", "NNOO" },
	{ ROLE_MANAGER, "opportunity", "mql", "NNOO" },
	{ ROLE_MANAGER, "opportunity", "sql", "NNOO" },
	{ ROLE_MANAGER, "opportunity", "opportunity", "DDDD" },
	{ ROLE_MANAGER, "opportunity", "customer", "NNOO" },
	{ ROLE_MANAGER, "customer", "lead", "DDOO" },
	{ ROLE_MANAGER, "customer", "mql", "DDOO" },
	{ ROLE_MANAGER, "customer", "sql", "DDOO" },
	{ ROLE_MANAGER, "customer", "opportunity", "DDOO" },
	{ ROLE_MANAGER, "customer", "customer", "DDDD" },
	/* admin: what a manager may, for moves */
	{ ROLE_ADMIN, "lead", "lead", "DDDD" },
	{ ROLE_ADMIN, "lead", "mql", "NNOO" },
	{ ROLE_ADMIN, "lead", "sql", "NNOO" },
	{ ROLE_ADMIN, "lead", "opportunity", "NNOO" },
	{ ROLE_ADMIN, "lead", "customer", "NNOO" },
	{ ROLE_ADMIN, "mql", "lead", "NNOO" },
	{ ROLE_ADMIN, "mql", "mql", "DDDD" },
	{ ROLE_ADMIN, "mql", "sql", "NNOO" },
	{ ROLE_ADMIN, "mql", "opportunity", "NNOO" },
	{ ROLE_ADMIN, "mql", "customer", "NNOO" },
	{ ROLE_ADMIN, "sql", "lead", "NNOO" },
	{ ROLE_ADMIN, "sql", "mql", "NNOO" },
	{ ROLE_ADMIN, "sql", "sql", "DDDD" },
	{ ROLE_ADMIN, "sql", "opportunity", "NNOO" },
	{ ROLE_ADMIN, "sql", "customer", "NNOO" },
	{ ROLE_ADMIN, "opportunity", "lead", "NNOO" },
	{ ROLE_ADMIN, "opportunity", "mql", "NNOO" },
	{ ROLE_ADMIN, "opportunity", "sql", "NNOO" },
	{ ROLE_ADMIN, "opportunity", "opportunity", "DDDD" },
	{ ROLE_ADMIN, "opportunity", "customer", "NNOO" },
	{ ROLE_ADMIN, "customer", "lead", "DDOO" },
	{ ROLE_ADMIN, "customer", "mql", "DDOO" },
	{ ROLE_ADMIN, "customer", "sql", "DDOO" },
	{ ROLE_ADMIN, "customer", "opportunity", "DDOO" },
	{ ROLE_ADMIN, "customer", "customer", "DDDD" },
};

static void test_move_table(void **state)
{
	size_t n = sizeof move_table / sizeof move_table[0];
	int failures = 0;

	(void)state;
	assert_int_equal(n, ROLE_COUNT * 5 * 5);
	for (size_t i = 0; i < n; i++) {
		const struct move_case *c = &move_table[i];
		struct lb_user actor = user("actor", c->role);
		struct lead lead = sample_lead(c->from);

		for (int combo = 0; combo < 4; combo++) {
			struct rules_request req = {
				.reason_given = combo & 1,
				.override = combo & 2,
				.note_given = combo & 2,
			};
			struct rules_verdict v =
				move(&board, &settings, &actor, &lead, c->to, req);
			char got = letter(&v);
			if (got != c->expect[combo]) {
				fprintf(stderr, "# %s %s -> %s reason=%d override=%d: want %c got %c (%s)\n",
					role_name(c->role), c->from, c->to, combo & 1, !!(combo & 2),
					c->expect[combo], got, v.message);
				failures++;
			}
			if (got == 'D' || got == 'N')
				assert_true(v.message[0] != '\0');
		}
	}
	assert_int_equal(failures, 0);
}

static void test_refusal_words(void **state)
{
	struct lb_user maya = user("maya", ROLE_MARKETING);
	struct lead lead = sample_lead("sql");
	struct rules_request none = { 0 };
	struct rules_verdict v;

	(void)state;
	v = move(&board, &settings, &maya, &lead, "opportunity", none);
	assert_string_equal(v.message,
			    "lead 3f2a9c1e (Ana García) is in SQL, owned by sales; marketing cannot move it");
	v = move(&board, &settings, &maya, &lead, "nowhere", none);
	assert_int_equal(v.status, LB_DATA);
	assert_non_null(strstr(v.message, "no stage 'nowhere'"));
}

/* Once owned, only the owner (or a manager, by override) moves it. */
static void test_personal_ownership(void **state)
{
	static const struct {
		const char *actor;
		enum lb_role role;
		const char *owner;
		bool override;
		char expect;
	} table[] = {
		{ "sam", ROLE_SALES, "", false, 'M' },
		{ "sam", ROLE_SALES, "sam", false, 'M' },
		{ "sara", ROLE_SALES, "sam", false, 'N' },
		{ "mona", ROLE_MANAGER, "sam", true, 'O' },
		{ "mona", ROLE_MANAGER, "sam", false, 'N' },
		{ "sara", ROLE_SALES, "sam", true, 'N' },
	};
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct lb_user actor = user(table[i].actor, table[i].role);
		struct lead lead = sample_lead("sql");
		struct rules_request req = { .override = table[i].override,
					     .note_given = table[i].override };
		snprintf(lead.owner, sizeof lead.owner, "%s", table[i].owner);
		struct rules_verdict v =
			move(&board, &settings, &actor, &lead, "opportunity", req);
		assert_int_equal(letter(&v), table[i].expect);
		if (table[i].expect == 'O')
			assert_string_equal(v.overridden, "lead 3f2a9c1e (Ana García) is owned by sam; only sam or "
							  "a manager can change it");
	}
}

static void test_override_needs_note(void **state)
{
	struct lb_user mona = user("mona", ROLE_MANAGER);
	struct lead lead = sample_lead("mql");
	struct rules_request req = { .override = true };
	struct rules_verdict v;

	(void)state;
	v = move(&board, &settings, &mona, &lead, "sql", req);
	assert_int_equal(v.status, LB_DATA);
	assert_non_null(strstr(v.message, "justification"));
	/* an override of a legal move sets no rule aside; of a gate, names it */
	req.note_given = true;
	v = move(&board, &settings, &mona, &lead, "sql", req);
	assert_int_equal(v.kind, EV_OVERRIDE);
	assert_int_equal(v.change, CHANGE_HANDOFF);
	assert_string_equal(v.overridden, "");
	lead.company[0] = '\0';
	v = move(&board, &settings, &mona, &lead, "sql", req);
	assert_int_equal(v.kind, EV_OVERRIDE);
	assert_string_equal(v.overridden,
			    "lead 3f2a9c1e (Ana García) does not meet the handoff gate: company missing");
}

/* The gate: each criterion alone, then all at once, named in one line. */
static void test_gate(void **state)
{
	static const struct {
		const char *key, *value;
		void (*tweak)(struct lead *);
		const char *unmet;
	} table[] = {
		{ "handoff_min_score", "60", NULL, "score 50 < 60" },
		{ "handoff_required", "email,company,title", NULL, "title missing" },
		{ "gate_countries", "DE, US", NULL, "country missing (agreed: DE, US)" },
		{ "gate_segments", "b2b", NULL, "segment missing (agreed: b2b)" },
		{ "gate_employees_min", "50", NULL, "employees unknown" },
		{ "gate_title_words", "manager,director,VP,chief", NULL,
		  "title missing (agreed: manager,director,VP,chief)" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct rules_settings s;
		struct lead lead = sample_lead("mql");
		char msg[256], unmet[512];

		rules_settings_defaults(&s);
		assert_true(rules_gate_passes(&s, &lead, unmet, sizeof unmet));
		assert_int_equal(rules_setting_apply(&s, table[i].key, table[i].value, msg, sizeof msg),
				 LB_OK);
		assert_false(rules_gate_passes(&s, &lead, unmet, sizeof unmet));
		assert_string_equal(unmet, table[i].unmet);
	}
}

static void test_gate_values(void **state)
{
	struct rules_settings s;
	struct lead lead = sample_lead("mql");
	char msg[256], unmet[512];

	(void)state;
	rules_settings_defaults(&s);
	rules_setting_apply(&s, "handoff_min_score", "60", msg, sizeof msg);
	rules_setting_apply(&s, "gate_countries", "DE,US", msg, sizeof msg);
	rules_setting_apply(&s, "gate_employees_min", "50", msg, sizeof msg);
	rules_setting_apply(&s, "gate_employees_max", "1000", msg, sizeof msg);
	rules_setting_apply(&s, "gate_title_words", "manager,director,VP", msg, sizeof msg);
	lead.score = 20;
	lead.company[0] = '\0';
	snprintf(lead.country, sizeof lead.country, "FR");
	lead.employees = 5000;
	snprintf(lead.title, sizeof lead.title, "Intern");
	assert_false(rules_gate_passes(&s, &lead, unmet, sizeof unmet));
	assert_string_equal(unmet, "score 20 < 60; company missing; country 'FR' not in DE,US; "
				   "title 'Intern' not in manager,director,VP; employees 5000 > 1000");
	/* all met: case-insensitive country, whole-word title match */
	lead.score = 60;
	snprintf(lead.company, sizeof lead.company, "Acme");
	snprintf(lead.country, sizeof lead.country, "de");
	lead.employees = 50;
	snprintf(lead.title, sizeof lead.title, "Sales Director, EMEA");
	assert_true(rules_gate_passes(&s, &lead, unmet, sizeof unmet));
	snprintf(lead.title, sizeof lead.title, "Directorate assistant");
	assert_false(rules_gate_passes(&s, &lead, unmet, sizeof unmet));

	/* the verdict does not depend on room for the words */
	assert_false(rules_gate_passes(&s, &lead, NULL, 0));
	assert_false(rules_gate_passes(&s, &lead, unmet, 1));
	assert_string_equal(unmet, "");

	/* the handoff refusal carries the same words */
	struct lb_user maya = user("maya", ROLE_MARKETING);
	struct rules_request none = { 0 };
	struct rules_verdict v = move(&board, &s, &maya, &lead, "sql", none);
	assert_int_equal(v.status, LB_DATA);
	assert_string_equal(v.message, "lead 3f2a9c1e (Ana García) does not meet the handoff gate: title "
				       "'Directorate assistant' not in manager,director,VP");
}

static void test_handoff_limit(void **state)
{
	static const struct { int count, max; char expect; } table[] = {
		{ 0, 2, 'H' }, { 1, 2, 'H' }, { 2, 2, 'D' }, { 3, 2, 'D' }, { 0, 0, 'D' },
		{ 4, 5, 'H' },
	};
	struct lb_user maya = user("maya", ROLE_MARKETING);
	struct rules_request none = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct rules_settings s = settings;
		struct lead lead = sample_lead("mql");
		s.max_handoffs = table[i].max;
		lead.handoff_count = table[i].count;
		struct rules_verdict v = move(&board, &s, &maya, &lead, "sql", none);
		assert_int_equal(letter(&v), table[i].expect);
		if (v.status)
			assert_non_null(strstr(v.message, "max_handoffs"));
	}
}

static void test_claim(void **state)
{
	static const struct {
		const char *actor;
		enum lb_role role;
		const char *stage, *owner;
		int open, limit;
		enum lb_status expect;
	} table[] = {
		{ "sam", ROLE_SALES, "sql", "", 0, 0, LB_OK },
		{ "sam", ROLE_SALES, "opportunity", "", 0, 0, LB_OK },
		{ "sam", ROLE_SALES, "customer", "", 0, 0, LB_DATA },
		{ "sam", ROLE_SALES, "mql", "", 0, 0, LB_DATA },
		{ "sam", ROLE_SALES, "sql", "sam", 0, 0, LB_DATA },
		{ "sam", ROLE_SALES, "sql", "sara", 0, 0, LB_NOPERM },
		{ "sam", ROLE_SALES, "sql", "", 3, 3, LB_DATA },
		{ "sam", ROLE_SALES, "sql", "", 2, 3, LB_OK },
		{ "maya", ROLE_MARKETING, "sql", "", 0, 0, LB_NOPERM },
		{ "mona", ROLE_MANAGER, "sql", "", 0, 0, LB_NOPERM },
		{ "sam", ROLE_SALES, LB_DISCARDED, "", 0, 0, LB_DATA },
	};
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct rules_settings s = settings;
		struct lb_user actor = user(table[i].actor, table[i].role);
		struct lead lead = sample_lead(table[i].stage);
		snprintf(lead.owner, sizeof lead.owner, "%s", table[i].owner);
		s.max_open_per_rep = table[i].limit;
		struct rules_request req = { .action = RULES_CLAIM, .open_count = table[i].open };
		struct rules_verdict v = rules_ask(&board, &s, &actor, &lead, &req);
		assert_int_equal(v.status, table[i].expect);
		if (!v.status)
			assert_int_equal(v.kind, EV_CLAIM);
	}
}

static void test_assign(void **state)
{
	struct lb_user sam = user("sam", ROLE_SALES), maya = user("maya", ROLE_MARKETING);
	struct lb_user off = user("olaf", ROLE_SALES);
	static const struct {
		enum lb_role role;
		const char *stage, *owner;
		int who;   /* 0 sam, 1 maya, 2 disabled rep, 3 nobody */
		enum lb_status expect;
	} table[] = {
		{ ROLE_MANAGER, "sql", "", 0, LB_OK },
		{ ROLE_ADMIN, "sql", "sara", 0, LB_OK },
		{ ROLE_MANAGER, "sql", "sam", 0, LB_DATA },
		{ ROLE_MANAGER, "sql", "", 1, LB_DATA },
		{ ROLE_MANAGER, "sql", "", 2, LB_DATA },
		{ ROLE_MANAGER, "sql", "", 3, LB_DATA },
		{ ROLE_MANAGER, "mql", "", 0, LB_DATA },
		{ ROLE_MANAGER, "customer", "", 0, LB_DATA },
		{ ROLE_SALES, "sql", "", 0, LB_NOPERM },
		{ ROLE_MARKETING, "sql", "", 0, LB_NOPERM },
	};
	(void)state;
	off.disabled = true;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct lb_user actor = user("boss", table[i].role);
		struct lead lead = sample_lead(table[i].stage);
		const struct lb_user *who[] = { &sam, &maya, &off, NULL };
		snprintf(lead.owner, sizeof lead.owner, "%s", table[i].owner);
		struct rules_verdict v = ask(&actor, &lead,
					     (struct rules_request){ .action = RULES_ASSIGN,
								     .assignee_login = "someone",
								     .assignee = who[table[i].who] });
		assert_int_equal(v.status, table[i].expect);
	}
}

static void test_discard_restore_add_edit(void **state)
{
	static const struct {
		enum lb_role role;
		const char *stage;
		bool reason;
		enum lb_status discard, restore, add, edit;
	} table[] = {
		/* role, stage, reason: discard, restore, add into stage, edit */
		{ ROLE_MARKETING, "lead", true, LB_OK, LB_DATA, LB_OK, LB_OK },
		{ ROLE_MARKETING, "mql", false, LB_DATA, LB_DATA, LB_OK, LB_OK },
		{ ROLE_MARKETING, "sql", true, LB_NOPERM, LB_DATA, LB_NOPERM, LB_NOPERM },
		{ ROLE_MARKETING, LB_DISCARDED, true, LB_DATA, LB_OK, LB_DATA, LB_DATA },
		{ ROLE_SALES, "lead", true, LB_NOPERM, LB_DATA, LB_NOPERM, LB_NOPERM },
		{ ROLE_SALES, "opportunity", true, LB_NOPERM, LB_DATA, LB_OK, LB_OK },
		{ ROLE_SALES, LB_DISCARDED, true, LB_DATA, LB_NOPERM, LB_DATA, LB_DATA },
		{ ROLE_MANAGER, "mql", true, LB_NOPERM, LB_DATA, LB_NOPERM, LB_NOPERM },
		{ ROLE_MANAGER, LB_DISCARDED, true, LB_DATA, LB_NOPERM, LB_DATA, LB_DATA },
		{ ROLE_ADMIN, "sql", true, LB_NOPERM, LB_DATA, LB_OK, LB_OK },
	};
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct lb_user actor = user("someone", table[i].role);
		struct lead lead = sample_lead(table[i].stage);
		struct rules_request discard = { .action = RULES_DISCARD,
						 .reason_given = table[i].reason };
		struct rules_request add = { .action = RULES_ADD, .stage = table[i].stage };
		assert_int_equal(ask(&actor, &lead, discard).status, table[i].discard);
		assert_int_equal(ask(&actor, &lead, (struct rules_request){ .action = RULES_RESTORE })
					 .status,
				 table[i].restore);
		assert_int_equal(ask(&actor, NULL, add).status, table[i].add);
		assert_int_equal(ask(&actor, &lead, (struct rules_request){ .action = RULES_EDIT })
					 .status,
				 table[i].edit);
	}
	/* a rep edits only leads nobody else owns */
	struct lb_user sara = user("sara", ROLE_SALES);
	struct lead owned = sample_lead("sql");
	snprintf(owned.owner, sizeof owned.owner, "sam");
	assert_int_equal(ask(&sara, &owned, (struct rules_request){ .action = RULES_EDIT }).status,
			 LB_NOPERM);
}

static void test_admin_only(void **state)
{
	(void)state;
	for (int r = 0; r < ROLE_COUNT; r++) {
		struct lb_user actor = user("x", (enum lb_role)r);
		struct rules_verdict v = rules_check_admin(&actor, "settings");
		assert_int_equal(v.status, r == ROLE_ADMIN ? LB_OK : LB_NOPERM);
	}
}

static void test_demo(void **state)
{
	static const struct {
		enum lb_role role;
		bool has_leads;
		int64_t events;
		enum lb_status want;
	} cases[] = {
		{ ROLE_ADMIN, false, 0, LB_OK },          /* a file demo itself creates */
		{ ROLE_ADMIN, false, 1, LB_OK },          /* just after init */
		{ ROLE_ADMIN, false, 2, LB_DATA },        /* someone was added since */
		{ ROLE_ADMIN, true, 1, LB_DATA },
		{ ROLE_MANAGER, false, 1, LB_NOPERM },
		{ ROLE_MARKETING, false, 1, LB_NOPERM },
		{ ROLE_SALES, false, 0, LB_NOPERM },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct lb_user actor = user("x", cases[i].role);
		struct rules_verdict v = rules_check_demo(&actor, cases[i].has_leads, cases[i].events);
		assert_int_equal(v.status, cases[i].want);
		if (v.status)
			assert_true(v.message[0] != '\0');
	}
	/* no member of the board, or a disabled admin: refused on a new board too */
	struct lb_user disabled = user("x", ROLE_ADMIN);
	disabled.disabled = true;
	assert_int_equal(rules_check_demo(NULL, false, 1).status, LB_NOPERM);
	assert_int_equal(rules_check_demo(&disabled, false, 1).status, LB_NOPERM);
}

static void test_settings(void **state)
{
	static const struct { const char *key, *value; enum lb_status expect; } table[] = {
		{ "handoff_min_score", "60", LB_OK },
		{ "handoff_min_score", "101", LB_DATA },
		{ "handoff_min_score", "-1", LB_DATA },
		{ "handoff_min_score", "6x", LB_DATA },
		{ "max_handoffs", "3", LB_OK },
		{ "sla_accept_hours", "0", LB_OK },
		{ "sla_accept_hours", "", LB_DATA },
		{ "handoff_required", "email,company,title", LB_OK },
		{ "handoff_required", "email,phone", LB_DATA },
		{ "handoff_required", "", LB_OK },
		{ "gate_segments", "b2b", LB_OK },
		{ "gate_segments", "b2b,b2x", LB_DATA },
		{ "gate_employees_min", "", LB_OK },
		{ "gate_employees_min", "abc", LB_DATA },
		{ "gate_countries", "DE,US,FR", LB_OK },
		{ "no_such_setting", "1", LB_DATA },
		{ "routing", "off", LB_OK },
		{ "routing", "round-robin", LB_OK },
		{ "routing", "least-loaded", LB_OK },
		{ "routing", "random", LB_DATA },
		{ "routing", "Round-Robin", LB_DATA },
		{ "min_attempts", "3", LB_OK },
		{ "min_attempts", "1001", LB_DATA },
		{ "sla_contact_hours", "4", LB_OK },
		{ "sla_contact_hours", "-4", LB_DATA },
		{ "sla_hours", "24x7", LB_OK },
		{ "sla_hours", "Mon-Fri 09:00-17:00", LB_OK },
		{ "sla_hours", "Mon-Fri 9-5", LB_DATA },
		{ "sla_hours", "", LB_DATA },
		{ "timezone", "Europe/Berlin", LB_OK },
		{ "timezone", "UTC", LB_OK },
		{ "timezone", "../../etc/passwd", LB_DATA },
		{ "timezone", "", LB_DATA },
	};
	char msg[256];

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct rules_settings s;
		rules_settings_defaults(&s);
		msg[0] = '\0';
		assert_int_equal(rules_setting_apply(&s, table[i].key, table[i].value, msg, sizeof msg),
				 table[i].expect);
		if (table[i].expect)
			assert_true(msg[0] != '\0');
	}
}

static void test_clocks(void **state)
{
	static const int64_t hour = 3600000, day = 24 * 3600000LL;
	static const struct {
		const char *stage, *owner;
		int64_t handed_ago, updated_ago;
		int sla_hours, idle_days;
		bool overdue, stale;
	} table[] = {
		{ "sql", "", 25 * hour, 25 * hour, 24, 0, true, false },
		{ "sql", "", 23 * hour, 23 * hour, 24, 0, false, false },
		{ "sql", "sam", 25 * hour, 25 * hour, 24, 0, false, false },
		{ "sql", "", 0, 0, 0, 0, true, false },          /* 0 h: overdue at once */
		{ "mql", "", 50 * hour, 50 * hour, 24, 0, false, false },
		{ "customer", "", 50 * hour, 50 * hour, 24, 0, false, false },
		{ "opportunity", "sam", 0, 8 * day, 24, 7, false, true },
		{ "opportunity", "sam", 0, 6 * day, 24, 7, false, false },
		{ "mql", "", 0, 30 * day, 24, 7, false, false },
	};
	int64_t now = 1800000000000LL;

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct rules_settings s = settings;
		struct lead lead = sample_lead(table[i].stage);
		snprintf(lead.owner, sizeof lead.owner, "%s", table[i].owner);
		s.sla_accept_hours = table[i].sla_hours;
		s.sla_idle_days = table[i].idle_days;
		lead.handed_off_at = now - table[i].handed_ago;
		lead.updated_at = now - table[i].updated_ago;
		assert_int_equal(rules_is_overdue(&board, &s, &lead, now), table[i].overdue);
		assert_int_equal(rules_is_stale(&board, &s, &lead, now), table[i].stale);
	}
	/* never handed off: never overdue */
	struct lead added = sample_lead("sql");
	assert_false(rules_is_overdue(&board, &settings, &added, now));
}

/* A board with more stages: the handoff is still last marketing -> first sales. */
static void test_custom_stages(void **state)
{
	struct lb_board b;
	struct lb_stage subscriber = { "subscriber", "Subscriber", TEAM_MARKETING, 5, false, 0 };
	struct lb_user maya = user("maya", ROLE_MARKETING);
	struct rules_request none = { 0 };
	struct lead lead = sample_lead("subscriber");

	(void)state;
	testlib_default_board(&b);
	memmove(&b.stages[1], &b.stages[0], sizeof b.stages[0] * (size_t)b.count);
	b.stages[0] = subscriber;
	b.count++;
	struct rules_verdict v = move(&b, &settings, &maya, &lead, "lead", none);
	assert_int_equal(letter(&v), 'M');
	assert_int_equal(move(&b, &settings, &maya, &lead, "sql", none).status,
			 LB_DATA);
	lead = sample_lead("mql");
	assert_int_equal(move(&b, &settings, &maya, &lead, "sql", none).kind,
			 EV_HANDOFF);
}

/* The change a move between two stage keys makes: what an override does
 * to the counters, and what replaying it must do. */
static void test_change_between(void **state)
{
	static const struct {
		const char *from, *to;
		enum rules_change want;
	} rows[] = {
		{ "lead", "mql", CHANGE_FORWARD },      { "mql", "lead", CHANGE_BACK },
		{ "mql", "sql", CHANGE_HANDOFF },       { "lead", "opportunity", CHANGE_HANDOFF },
		{ "lead", "customer", CHANGE_HANDOFF }, { "sql", "mql", CHANGE_PASSBACK },
		{ "customer", "lead", CHANGE_PASSBACK }, { "sql", "opportunity", CHANGE_FORWARD },
		{ "opportunity", "sql", CHANGE_BACK },  { "discarded", "lead", CHANGE_NONE },
		{ "mql", "discarded", CHANGE_NONE },    { "nosuch", "sql", CHANGE_NONE },
		{ "", "sql", CHANGE_NONE },
	};

	struct lb_board b;

	(void)state;
	testlib_default_board(&b);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		enum rules_change got = rules_change_between(&b, rows[i].from, rows[i].to);
		if (got != rows[i].want)
			fail_msg("%s -> %s: change %d, want %d", rows[i].from, rows[i].to, got,
				 rows[i].want);
	}
}

/*
 * The question asked ahead (the board, before any dialog): every role x
 * every stage x every action, with an unowned lead that meets the gate, and
 * again with the lead owned by another rep in each sales stage. One letter
 * per action, written out by hand from DESIGN.md:
 *
 *   N refused, not permitted (77)    D refused, invalid whoever asks (65)
 *   - not asked (no stage that way)
 *   y allowed, nothing to ask        w add: allowed, the actor owns the new lead
 *   t forward into a terminal stage: confirm first
 *   h handoff: confirm first
 *   b back inside a team: a reason, an optional note
 *   p pass-back: a reason, an optional note
 *   r discard: a reason, an optional note
 *   o override forward: a justification     O override back: a justification,
 *                                               and a reason if the manager likes
 *   n a note: its text
 */
enum ahead_column { A_ADD, A_EDIT, A_FORWARD, A_BACK, A_CLAIM, A_ASSIGN, A_DISCARD, A_RESTORE,
		    A_NOTE, A_RELEASE, A_COLUMNS };

static const struct ahead_case {
	enum lb_role role;
	const char *stage;
	const char *owner;
	const char expect[A_COLUMNS + 1];   /* add edit > < claim assign discard restore
					       note release */
} ahead_table[] = {
	{ ROLE_MARKETING, "lead", "", "yyy-NNrDnD" },
	{ ROLE_MARKETING, "mql", "", "yyhbNNrDnD" },
	{ ROLE_MARKETING, "sql", "", "NNNNNNNDnD" },
	{ ROLE_MARKETING, "opportunity", "", "NNNNNNNDnD" },
	{ ROLE_MARKETING, "customer", "", "NN-DNNNDnD" },
	{ ROLE_MARKETING, LB_DISCARDED, "", "DD--DDDynD" },

	{ ROLE_SALES, "lead", "", "NNN-DNNDnD" },
	{ ROLE_SALES, "mql", "", "NNNNDNNDnD" },
	{ ROLE_SALES, "sql", "", "wyypyNNDnD" },
	{ ROLE_SALES, "opportunity", "", "wytbyNNDnD" },
	{ ROLE_SALES, "customer", "", "yy-DDNNDnD" },
	{ ROLE_SALES, LB_DISCARDED, "", "DD--DDDNnD" },

	{ ROLE_MANAGER, "lead", "", "NNo-NDNDnD" },
	{ ROLE_MANAGER, "mql", "", "NNoONDNDnD" },
	{ ROLE_MANAGER, "sql", "", "NNoONyNDnD" },
	{ ROLE_MANAGER, "opportunity", "", "NNoONyNDnD" },
	{ ROLE_MANAGER, "customer", "", "NN-ONDNDnD" },
	{ ROLE_MANAGER, LB_DISCARDED, "", "DD--DDDNnD" },

	{ ROLE_ADMIN, "lead", "", "yyo-NDNDnD" },
	{ ROLE_ADMIN, "mql", "", "yyoONDNDnD" },
	{ ROLE_ADMIN, "sql", "", "yyoONyNDnD" },
	{ ROLE_ADMIN, "opportunity", "", "yyoONyNDnD" },
	{ ROLE_ADMIN, "customer", "", "yy-ONDNDnD" },
	{ ROLE_ADMIN, LB_DISCARDED, "", "DD--DDDNnD" },

	/* owned by sam; the actor is someone else */
	{ ROLE_MARKETING, "sql", "sam", "NNNNNNNDnN" },
	{ ROLE_MARKETING, "opportunity", "sam", "NNNNNNNDnN" },
	{ ROLE_MARKETING, "customer", "sam", "NN-DNNNDnN" },
	{ ROLE_SALES, "sql", "sam", "wNNNNNNDnN" },
	{ ROLE_SALES, "opportunity", "sam", "wNNNNNNDnN" },
	{ ROLE_SALES, "customer", "sam", "yN-DDNNDnN" },
	{ ROLE_MANAGER, "sql", "sam", "NNoONyNDnN" },
	{ ROLE_MANAGER, "opportunity", "sam", "NNoONyNDnN" },
	{ ROLE_MANAGER, "customer", "sam", "NN-ONDNDnN" },
	{ ROLE_ADMIN, "sql", "sam", "yyoONyNDnN" },
	{ ROLE_ADMIN, "opportunity", "sam", "yyoONyNDnN" },
	{ ROLE_ADMIN, "customer", "sam", "yy-ONDNDnN" },

	/* owned by the actor, a rep */
	{ ROLE_SALES, "sql", "actor", "wyypDNNDny" },
	{ ROLE_SALES, "opportunity", "actor", "wytbDNNDny" },
	{ ROLE_SALES, "customer", "actor", "yy-DDNNDnD" },
};

/* The verdict a letter stands for; change and stage depend on the action. */
static void expect_letter(char want, enum ahead_column column, int to,
			  const struct rules_verdict *v, char *why, size_t size)
{
	static const enum lb_event_kind kinds[A_COLUMNS] = {
		EV_CREATE, EV_EDIT, EV_MOVE, EV_MOVE, EV_CLAIM, EV_ASSIGN, EV_DISCARD, EV_RESTORE,
		EV_NOTE, EV_RELEASE,
	};
	enum rules_need reason = NEED_NONE, note = NEED_NONE;
	enum rules_change change = CHANGE_NONE;
	enum lb_event_kind kind = kinds[column];
	bool confirm = false, override = false, owns = false, terminal = false;

	why[0] = '\0';
	if (want == 'N' || want == 'D') {
		if (v->status != (want == 'N' ? LB_NOPERM : LB_DATA))
			snprintf(why, size, "status %d", v->status);
		else if (!v->message[0])
			snprintf(why, size, "a refusal without words");
		return;
	}
	if (v->status != LB_OK) {
		snprintf(why, size, "refused: %s", v->message);
		return;
	}
	switch (column) {
	case A_ADD: change = CHANGE_NEW; owns = want == 'w'; break;
	case A_DISCARD: change = CHANGE_DISCARD; break;
	case A_RESTORE: change = CHANGE_RESTORE; break;
	case A_FORWARD: change = CHANGE_FORWARD; break;
	case A_BACK: change = CHANGE_BACK; break;
	default: break;
	}
	if ((column == A_FORWARD || column == A_BACK || column == A_ADD) && to >= 0)
		terminal = board.stages[to].terminal;
	switch (want) {
	case 't': confirm = true; break;
	case 'h':
		confirm = true;
		change = CHANGE_HANDOFF;
		kind = EV_HANDOFF;
		note = NEED_OPTIONAL;
		break;
	case 'b': case 'r': reason = NEED_REQUIRED; note = NEED_OPTIONAL; break;
	case 'n': note = NEED_REQUIRED; break;
	case 'p':
		reason = NEED_REQUIRED;
		note = NEED_OPTIONAL;
		change = CHANGE_PASSBACK;
		kind = EV_PASSBACK;
		break;
	case 'o': case 'O':
		override = true;
		note = NEED_REQUIRED;
		reason = want == 'O' ? NEED_OPTIONAL : NEED_NONE;
		kind = EV_OVERRIDE;
		/* the handoff's and pass-back's effects hold for an override too */
		if (board.stages[to].team != board.stages[to - (want == 'o' ? 1 : -1)].team)
			change = want == 'o' ? CHANGE_HANDOFF : CHANGE_PASSBACK;
		break;
	default: break;
	}
	if (v->kind != kind)
		snprintf(why, size, "kind %s, not %s", event_kind_name(v->kind), event_kind_name(kind));
	else if (v->change != change)
		snprintf(why, size, "change %d, not %d", v->change, change);
	else if (v->reason != reason || v->note != note)
		snprintf(why, size, "needs reason %d note %d, not %d %d", v->reason, v->note, reason,
			 note);
	else if (v->justification != override || v->override != override)
		snprintf(why, size, "override %d justification %d", v->override, v->justification);
	else if (v->confirm != confirm)
		snprintf(why, size, "confirm %d", v->confirm);
	else if (v->owns != owns)
		snprintf(why, size, "owns %d", v->owns);
	else if (v->terminal != terminal)
		snprintf(why, size, "terminal %d", v->terminal);
	else if ((column == A_FORWARD || column == A_BACK || column == A_ADD) && v->stage != to)
		snprintf(why, size, "to stage %d, not %d", v->stage, to);
	else if (column == A_RESTORE && v->stage != 0)
		snprintf(why, size, "restored to stage %d", v->stage);
}

static void test_ahead_table(void **state)
{
	static const char *const names[A_COLUMNS] = {
		"add", "edit", ">", "<", "claim", "assign", "discard", "restore", "note", "release",
	};
	int failures = 0, stages = 0, roles = 0;
	char why[600];

	(void)state;
	for (size_t i = 0; i < sizeof ahead_table / sizeof ahead_table[0]; i++) {
		const struct ahead_case *c = &ahead_table[i];
		struct lb_user actor = user("actor", c->role);
		struct lead lead = sample_lead(c->stage);
		int at = board_find(&board, c->stage);

		snprintf(lead.owner, sizeof lead.owner, "%s", c->owner);
		if (strcmp(c->owner, "actor") == 0)
			snprintf(lead.owner, sizeof lead.owner, "%s", actor.login);
		if (!c->owner[0]) {
			stages += c->role == ROLE_MARKETING;
			roles += strcmp(c->stage, "lead") == 0;
		}
		for (int col = 0; col < A_COLUMNS; col++) {
			struct rules_request req = { .ahead = true };
			int to = -1;
			struct rules_verdict v;

			switch (col) {
			case A_ADD: req.action = RULES_ADD; req.stage = c->stage; to = at; break;
			case A_EDIT: req.action = RULES_EDIT; break;
			case A_FORWARD: case A_BACK:
				to = at < 0 ? -1 : at + (col == A_FORWARD ? 1 : -1);
				if (to < 0 || to >= board.count) {
					assert_int_equal(c->expect[col], '-');
					continue;
				}
				req.action = RULES_MOVE;
				req.stage = board.stages[to].key;
				break;
			case A_CLAIM: req.action = RULES_CLAIM; break;
			case A_ASSIGN: req.action = RULES_ASSIGN; break;
			case A_DISCARD: req.action = RULES_DISCARD; break;
			case A_RESTORE: req.action = RULES_RESTORE; break;
			case A_NOTE: req.action = RULES_NOTE; break;
			case A_RELEASE: req.action = RULES_RELEASE; break;
			}
			v = rules_ask(&board, &settings, &actor, col == A_ADD ? NULL : &lead, &req);
			expect_letter(c->expect[col], (enum ahead_column)col, to, &v, why, sizeof why);
			if (why[0]) {
				fprintf(stderr, "# %s on %s%s%s, %s: want %c: %s\n", role_name(c->role),
					c->stage, c->owner[0] ? " owned by " : "", c->owner,
					names[col], c->expect[col], why);
				failures++;
			}
		}
	}
	assert_int_equal(stages, board.count + 1);   /* and discarded */
	assert_int_equal(roles, ROLE_COUNT);
	assert_int_equal(failures, 0);
}

/* Asked ahead or with the details, the words of a refusal are the same;
 * what differs is only what the details decide. */
static void test_ahead_and_details(void **state)
{
	struct lb_user sara = user("sara", ROLE_SALES), mona = user("mona", ROLE_MANAGER);
	struct lead lead = sample_lead("sql");
	struct rules_request ahead = { .action = RULES_MOVE, .stage = "mql", .ahead = true };
	struct rules_request details = { .action = RULES_MOVE, .stage = "mql",
					 .reason_given = true };
	struct rules_verdict a, d;

	(void)state;
	snprintf(lead.owner, sizeof lead.owner, "sam");
	a = ask(&sara, &lead, ahead);
	d = ask(&sara, &lead, details);
	assert_int_equal(a.status, LB_NOPERM);
	assert_string_equal(a.message, d.message);
	assert_string_equal(a.message, "lead 3f2a9c1e (Ana García) is owned by sam; only sam or a manager can "
				       "change it");
	/* a pass-back without its reason: asked for ahead, refused with the details */
	lead.owner[0] = '\0';
	details.reason_given = false;
	assert_int_equal(ask(&sara, &lead, ahead).reason, NEED_REQUIRED);
	d = ask(&sara, &lead, details);
	assert_int_equal(d.status, LB_DATA);
	assert_non_null(strstr(d.message, "needs a reason"));
	/* a manager: offered an override ahead; with the details, only --override does it */
	a = ask(&mona, &lead, ahead);
	assert_true(a.override && a.justification);
	assert_string_equal(a.overridden, "");       /* any rep could make this pass-back */
	details.reason_given = true;
	d = ask(&mona, &lead, details);
	assert_int_equal(d.status, LB_NOPERM);
	assert_non_null(strstr(d.message, "--override"));
	details.override = true;
	assert_int_equal(ask(&mona, &lead, details).status, LB_DATA);   /* no justification */
	details.note_given = true;
	assert_int_equal(ask(&mona, &lead, details).kind, EV_OVERRIDE);
	/* the owner of the lead a manager overrides is named as the rule set aside */
	snprintf(lead.owner, sizeof lead.owner, "sam");
	assert_string_equal(ask(&mona, &lead, ahead).overridden,
			    "lead 3f2a9c1e (Ana García) is owned by sam; only sam or a manager can change it");
	/* claims and assignments: what is unknown ahead is not judged ahead */
	struct rules_settings one = settings;
	one.max_open_per_rep = 1;
	struct rules_request claim = { .action = RULES_CLAIM, .open_count = 1, .ahead = true };
	lead.owner[0] = '\0';
	assert_int_equal(rules_ask(&board, &one, &sara, &lead, &claim).status, LB_OK);
	claim.ahead = false;
	assert_int_equal(rules_ask(&board, &one, &sara, &lead, &claim).status, LB_DATA);
	struct rules_request assign = { .action = RULES_ASSIGN, .assignee_login = "nobody" };
	assert_int_equal(ask(&mona, &lead, assign).status, LB_DATA);
	assign.ahead = true;
	assert_int_equal(ask(&mona, &lead, assign).status, LB_OK);
	/* only a move is ever an override */
	struct rules_request edit = { .action = RULES_EDIT, .override = true };
	assert_int_equal(ask(&mona, &lead, edit).status, LB_DATA);
}

/* Adding as an import does: whether the actor may import at all (no stage
 * yet), with leadboard's state columns, and discarded leads. */
static void test_add_imports(void **state)
{
	static const struct {
		enum lb_role role;
		enum lb_status plain, with_state, discarded_plain, discarded_with_state;
	} table[] = {
		{ ROLE_MARKETING, LB_OK, LB_NOPERM, LB_DATA, LB_NOPERM },
		{ ROLE_SALES, LB_OK, LB_NOPERM, LB_DATA, LB_NOPERM },
		{ ROLE_MANAGER, LB_NOPERM, LB_NOPERM, LB_DATA, LB_NOPERM },
		{ ROLE_ADMIN, LB_OK, LB_OK, LB_DATA, LB_OK },
	};
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct lb_user actor = user("someone", table[i].role);
		struct rules_request any = { .action = RULES_ADD, .ahead = true };
		struct rules_request gone = { .action = RULES_ADD, .stage = LB_DISCARDED };
		struct rules_verdict v;

		assert_int_equal(ask(&actor, NULL, any).status, table[i].plain);
		any.with_state = true;
		v = ask(&actor, NULL, any);
		assert_int_equal(v.status, table[i].with_state);
		if (v.status)
			assert_non_null(strstr(v.message, table[i].role == ROLE_MANAGER
								  ? "a manager does not add leads"
								  : "only an admin imports"));
		assert_int_equal(ask(&actor, NULL, gone).status, table[i].discarded_plain);
		gone.with_state = true;
		v = ask(&actor, NULL, gone);
		assert_int_equal(v.status, table[i].discarded_with_state);
		if (!v.status)
			assert_int_equal(v.stage, -1);     /* off the board, as it was */
	}
	/* no stage: the first of the actor's team; a rep owns it there */
	struct lb_user sam = user("sam", ROLE_SALES), boss = user("boss", ROLE_ADMIN);
	struct rules_verdict v = ask(&sam, NULL, (struct rules_request){ .action = RULES_ADD,
									.stage = "" });
	assert_int_equal(v.stage, 2);
	assert_true(v.owns);
	v = ask(&boss, NULL, (struct rules_request){ .action = RULES_ADD, .stage = "" });
	assert_int_equal(v.stage, 0);
	assert_false(v.owns);
	/* restoring a rep's lead with its state does not make the importer its owner */
	v = ask(&boss, NULL, (struct rules_request){ .action = RULES_ADD, .stage = "sql",
						     .with_state = true });
	assert_false(v.owns);
}

/* The board's marker and count, the detail view and show use this one test. */
static void test_ready_for_handoff(void **state)
{
	static const struct {
		const char *stage;
		int handoffs;
		bool company;
		bool ready;
		const char *why;
	} table[] = {
		{ "mql", 0, true, true, "" },
		{ "mql", 1, true, true, "" },
		{ "mql", 2, true, false, "handed off 2 times and max_handoffs is 2" },
		{ "mql", 0, false, false, "company missing" },
		{ "lead", 0, true, false, "in Lead; a handoff leaves from MQL" },
		{ "sql", 0, true, false, "in SQL; a handoff leaves from MQL" },
		{ LB_DISCARDED, 0, true, false, "in Discarded; a handoff leaves from MQL" },
	};
	char why[256];

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct lead lead = sample_lead(table[i].stage);
		lead.handoff_count = table[i].handoffs;
		if (!table[i].company)
			lead.company[0] = '\0';
		assert_int_equal(rules_ready_for_handoff(&board, &settings, &lead, why, sizeof why),
				 table[i].ready);
		assert_string_equal(why, table[i].why);
		assert_int_equal(rules_ready_for_handoff(&board, &settings, &lead, NULL, 0),
				 table[i].ready);
		/* ready is exactly what the handoff itself allows */
		if (strcmp(table[i].stage, "mql") == 0) {
			struct lb_user maya = user("maya", ROLE_MARKETING);
			struct rules_verdict v = move(&board, &settings, &maya, &lead, "sql",
						      (struct rules_request){ 0 });
			assert_int_equal(v.status == LB_OK, table[i].ready);
		}
	}
}

static void test_who_sees_what(void **state)
{
	static const struct {
		enum lb_role role;
		bool members, ready, handoffs, own, assignable, administers;
	} table[] = {
		{ ROLE_MARKETING, false, true, false, false, false, false },
		{ ROLE_SALES, false, false, true, true, true, false },
		{ ROLE_MANAGER, true, false, true, false, false, false },
		{ ROLE_ADMIN, true, true, true, false, false, true },
	};
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct lb_user u = user("someone", table[i].role);
		struct rules_verdict v = rules_may_see_members(&u);
		struct rules_watch w = rules_watch(&u);
		assert_int_equal(v.status == LB_OK, table[i].members);
		if (v.status)
			assert_string_equal(v.message, table[i].role == ROLE_SALES
				? "only an admin or a manager lists the board's members (you are sales)"
				: "only an admin or a manager lists the board's members (you are "
				  "marketing)");
		assert_int_equal(w.ready, table[i].ready);
		assert_int_equal(w.handoffs, table[i].handoffs);
		assert_int_equal(w.own, table[i].own);
		assert_int_equal(rules_assignable(&u), table[i].assignable);
		assert_int_equal(rules_administers(&u), table[i].administers);
		assert_int_equal(rules_may_act(&u).status, LB_OK);
		u.disabled = true;
		assert_false(rules_assignable(&u));
		assert_false(rules_administers(&u));
		assert_int_equal(rules_may_act(&u).status, LB_NOPERM);
		assert_string_equal(rules_may_act(&u).message, "someone is disabled on this board; an "
				    "admin can enable you: leadboard user enable someone");
	}
}

static void test_last_admin(void **state)
{
	struct lb_user admin = user("root", ROLE_ADMIN), demoted = admin, off = admin;

	(void)state;
	demoted.role = ROLE_MANAGER;
	off.disabled = true;
	assert_int_equal(rules_check_member_change(&admin, &demoted, 1).status, LB_DATA);
	assert_int_equal(rules_check_member_change(&admin, &off, 1).status, LB_DATA);
	assert_int_equal(rules_check_member_change(&admin, &demoted, 2).status, LB_OK);
	assert_int_equal(rules_check_member_change(&demoted, &admin, 1).status, LB_OK);
	assert_int_equal(rules_check_member_change(&off, &demoted, 1).status, LB_OK);
}

/* The SLA clock's pieces the board, the detail and the report share. */
static void test_sla_pieces(void **state)
{
	static const int64_t hour = 3600000;
	struct lead lead = sample_lead("sql");

	(void)state;
	assert_true(rules_overdue_before(&settings, 100 * hour) == 76 * hour);
	assert_true(rules_claimed_in_time(&settings, 0, 24 * hour - 1));
	assert_false(rules_claimed_in_time(&settings, 0, 24 * hour));
	assert_false(rules_awaits_claim(&board, &lead));       /* never handed off */
	lead.handed_off_at = hour;
	assert_true(rules_awaits_claim(&board, &lead));
	assert_false(rules_is_overdue(&board, &settings, &lead, 25 * hour - 1));
	assert_true(rules_is_overdue(&board, &settings, &lead, 25 * hour));
	snprintf(lead.owner, sizeof lead.owner, "sam");
	assert_false(rules_awaits_claim(&board, &lead));
	for (int s = 0; s < board.count; s++)
		assert_int_equal(rules_open_sales_stage(&board, s), s == 2 || s == 3);
	assert_false(rules_open_sales_stage(&board, -1));
	assert_int_equal(rules_handoff_stage(&board), 1);
	struct lead early = sample_lead("lead"), won = sample_lead("customer"),
		    gone = sample_lead(LB_DISCARDED);
	assert_true(rules_heads_for_handoff(&board, &early));
	assert_false(rules_heads_for_handoff(&board, &won));
	assert_false(rules_heads_for_handoff(&board, &gone));
}

/* Where a new stage may go: marketing stages first, sales after. */
static void test_stage_place(void **state)
{
	static const struct { enum lb_team team; int after; enum lb_status expect; } table[] = {
		{ TEAM_MARKETING, -1, LB_OK }, { TEAM_MARKETING, 0, LB_OK },
		{ TEAM_MARKETING, 1, LB_OK },  { TEAM_MARKETING, 2, LB_DATA },
		{ TEAM_MARKETING, 4, LB_DATA }, { TEAM_SALES, -1, LB_DATA },
		{ TEAM_SALES, 0, LB_DATA },    { TEAM_SALES, 1, LB_OK },
		{ TEAM_SALES, 3, LB_OK },      { TEAM_SALES, 4, LB_OK },
	};
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		assert_int_equal(rules_check_stage_place(&board, table[i].team, table[i].after).status,
				 table[i].expect);
}

/* ---- contact, routing and the sweep ------------------------------------------- */

#define HOUR 3600000LL
#define NOW 1800000000000LL     /* 2027-01-15T08:00Z, a Friday */

/* Who may log a contact attempt, as a table: role x where the lead is x whose
 * it is. y: allowed (a contact event, an optional note); N: not permitted
 * (77); D: the lead is discarded (65). */
static void test_touch(void **state)
{
	static const struct {
		enum lb_role role;
		const char *owner;                  /* "actor": the one asking */
		const char expect[7];               /* lead mql sql opportunity customer discarded */
	} table[] = {
		{ ROLE_MARKETING, "", "NNNNND" },
		{ ROLE_MARKETING, "sam", "NNNNND" },
		{ ROLE_SALES, "", "NNNNND" },
		{ ROLE_SALES, "sam", "NNNNND" },
		{ ROLE_SALES, "actor", "yyyyyD" },
		{ ROLE_MANAGER, "", "yyyyyD" },
		{ ROLE_MANAGER, "sam", "yyyyyD" },
		{ ROLE_ADMIN, "", "yyyyyD" },
		{ ROLE_ADMIN, "sam", "yyyyyD" },
	};
	static const char *const stages[] = { "lead", "mql", "sql", "opportunity", "customer",
					      LB_DISCARDED };
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		for (size_t at = 0; at < 6; at++) {
			struct lb_user actor = user("actor", table[i].role);
			struct lead lead = sample_lead(stages[at]);
			struct rules_verdict v;
			char got;

			snprintf(lead.owner, sizeof lead.owner, "%s", table[i].owner);
			v = ask(&actor, &lead, (struct rules_request){ .action = RULES_TOUCH });
			got = v.status == LB_OK ? 'y' : v.status == LB_NOPERM ? 'N' : 'D';
			if (got != table[i].expect[at])
				fail_msg("%s touching a lead in %s owned by '%s': %c, want %c (%s)",
					 role_name(table[i].role), stages[at], table[i].owner, got,
					 table[i].expect[at], v.message);
			if (got == 'y') {
				assert_int_equal(v.kind, EV_CONTACT);
				assert_int_equal(v.note, NEED_OPTIONAL);
				assert_int_equal(v.reason, NEED_NONE);
			}
		}
	}
	/* the words */
	struct lb_user sara = user("sara", ROLE_SALES), maya = user("maya", ROLE_MARKETING);
	struct lead lead = sample_lead("sql");
	struct rules_verdict v = ask(&sara, &lead, (struct rules_request){ .action = RULES_TOUCH });
	assert_string_equal(v.message, "lead 3f2a9c1e (Ana García) is nobody's; claim it before you log contact "
				       "with it (leadboard claim 3f2a9c1e)");
	v = ask(&maya, &lead, (struct rules_request){ .action = RULES_TOUCH });
	assert_string_equal(v.message, "only a lead's owner or a manager logs contact attempts "
				       "(you are marketing)");
	snprintf(lead.owner, sizeof lead.owner, "sam");
	v = ask(&sara, &lead, (struct rules_request){ .action = RULES_TOUCH });
	assert_string_equal(v.message, "lead 3f2a9c1e (Ana García) is owned by sam; only sam or a "
				       "manager can change it");
	/* a merged lead is off the board: its owner and a manager are refused alike */
	struct lb_user mona = user("mona", ROLE_MANAGER);
	lead = sample_lead(LB_MERGED);
	snprintf(lead.merged_into, sizeof lead.merged_into, "%s", "9a8b7c6d-0000-4000-8000-000000000001");
	snprintf(lead.owner, sizeof lead.owner, "sara");
	v = ask(&sara, &lead, (struct rules_request){ .action = RULES_TOUCH });
	assert_int_equal(v.status, LB_DATA);
	assert_string_equal(v.message, "lead 3f2a9c1e (Ana García) was merged into lead 9a8b7c6d; "
				       "change that one");
	assert_int_equal(ask(&mona, &lead, (struct rules_request){ .action = RULES_TOUCH }).status,
			 LB_DATA);
	assert_true(rules_channel_valid("call") && rules_channel_valid("email") &&
		    rules_channel_valid("meeting") && rules_channel_valid("other"));
	assert_false(rules_channel_valid("fax") || rules_channel_valid("") ||
		     rules_channel_valid("Call"));
}

/* min_attempts: a no-response pass-back needs that many attempts; other
 * reasons do not; a manager's override sets the rule aside on the record. */
static void test_min_attempts(void **state)
{
	static const struct {
		int min, attempts;
		const char *reason;
		char expect;              /* P pass-back, D refused */
	} table[] = {
		{ 0, 0, "no-response", 'P' },
		{ 3, 0, "no-response", 'D' },
		{ 3, 2, "no-response", 'D' },
		{ 3, 3, "no-response", 'P' },
		{ 3, 7, "no-response", 'P' },
		{ 3, 0, "not-ready", 'P' },
		{ 1, 0, "no-response", 'D' },
		{ 1, 1, "no-response", 'P' },
	};
	struct lb_user sam = user("sam", ROLE_SALES), mona = user("mona", ROLE_MANAGER);
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct rules_settings s = settings;
		struct lead lead = sample_lead("sql");
		struct rules_request rq = { .reason_given = true, .reason = table[i].reason };
		struct rules_verdict v;

		s.min_attempts = table[i].min;
		snprintf(lead.owner, sizeof lead.owner, "sam");
		lead.contact_attempts = table[i].attempts;
		v = move(&board, &s, &sam, &lead, "mql", rq);
		if (letter(&v) != table[i].expect)
			fail_msg("row %zu: %c (%s)", i, letter(&v), v.message);
		/* asked ahead, before the reason is picked, nothing is refused */
		rq = (struct rules_request){ .ahead = true };
		assert_int_equal(move(&board, &s, &sam, &lead, "mql", rq).status, LB_OK);
	}
	struct rules_settings s = settings;
	struct lead lead = sample_lead("sql");
	struct rules_verdict v;

	s.min_attempts = 3;
	snprintf(lead.owner, sizeof lead.owner, "sam");
	lead.contact_attempts = 1;
	v = move(&board, &s, &sam, &lead, "mql",
		 (struct rules_request){ .reason_given = true, .reason = "no-response" });
	assert_string_equal(v.message, "passing lead 3f2a9c1e (Ana García) back as no-response needs 3 contact "
				       "attempts (min_attempts); 1 was made (leadboard touch 3f2a9c1e "
				       "--channel ...)");
	lead.contact_attempts = 0;
	v = move(&board, &s, &sam, &lead, "mql",
		 (struct rules_request){ .reason_given = true, .reason = "no-response" });
	assert_non_null(strstr(v.message, "; 0 were made"));
	lead.owner[0] = '\0';     /* an override is judged as any rep would meet it */
	v = move(&board, &s, &mona, &lead, "mql",
		 (struct rules_request){ .reason_given = true, .reason = "no-response",
					 .note_given = true, .override = true });
	assert_int_equal(v.kind, EV_OVERRIDE);
	assert_non_null(strstr(v.overridden, "needs 3 contact attempts (min_attempts)"));
}

static struct lb_user rep_with(const char *login, bool away, int64_t until,
			       const char *territories, const char *segments)
{
	struct lb_user u = user(login, ROLE_SALES);

	u.away = away;
	u.away_until = until;
	snprintf(u.territories, sizeof u.territories, "%s", territories);
	snprintf(u.segments, sizeof u.segments, "%s", segments);
	return u;
}

/* Who routing may give a lead: every reason a rep is passed over. */
static void test_route_eligible(void **state)
{
	static const struct {
		enum lb_role role;
		bool disabled, away;
		int64_t until;               /* away until, from NOW */
		const char *territories, *segments;
		int open, max_open;
		const char *country, *segment;    /* the lead's */
		const char *why;              /* NULL: eligible */
	} table[] = {
		{ ROLE_SALES, false, false, 0, "", "", 3, 0, "DE", "b2b", NULL },
		{ ROLE_MARKETING, false, false, 0, "", "", 0, 0, "DE", "b2b", "sam is marketing, not a sales rep" },
		{ ROLE_MANAGER, false, false, 0, "", "", 0, 0, "DE", "b2b", "sam is manager, not a sales rep" },
		{ ROLE_SALES, true, false, 0, "", "", 0, 0, "DE", "b2b", "sam is disabled" },
		{ ROLE_SALES, false, true, 0, "", "", 0, 0, "DE", "b2b", "sam is away" },
		{ ROLE_SALES, false, true, HOUR, "", "", 0, 0, "DE", "b2b", "sam is away" },
		{ ROLE_SALES, false, true, -1, "", "", 0, 0, "DE", "b2b", NULL },   /* away ended */
		{ ROLE_SALES, false, true, 0 - 0, "", "", 0, 0, "DE", "b2b", "sam is away" },
		{ ROLE_SALES, false, false, 0, "", "", 5, 5, "DE", "b2b",
		  "sam has 5 open leads and max_open_per_rep is 5" },
		{ ROLE_SALES, false, false, 0, "", "", 4, 5, "DE", "b2b", NULL },
		{ ROLE_SALES, false, false, 0, "", "", 500, 0, "DE", "b2b", NULL },
		{ ROLE_SALES, false, false, 0, "DE,FR", "", 0, 0, "DE", "b2b", NULL },
		{ ROLE_SALES, false, false, 0, "DE,FR", "", 0, 0, "fr", "b2b", NULL },
		{ ROLE_SALES, false, false, 0, "DE,FR", "", 0, 0, "US", "b2b", "sam covers DE,FR, not US" },
		{ ROLE_SALES, false, false, 0, "DE,FR", "", 0, 0, "", "b2b",
		  "sam covers DE,FR and the lead has no country" },
		{ ROLE_SALES, false, false, 0, "", "b2b", 0, 0, "US", "b2b", NULL },
		{ ROLE_SALES, false, false, 0, "", "b2b", 0, 0, "US", "b2c", "sam works b2b, not b2c" },
		{ ROLE_SALES, false, false, 0, "", "b2b", 0, 0, "US", "",
		  "sam works b2b and the lead has no segment" },
		{ ROLE_SALES, false, false, 0, "", "b2b,b2c", 0, 0, "US", "b2c", NULL },
		{ ROLE_SALES, false, false, 0, "DE", "b2c", 0, 0, "DE", "b2c", NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct rules_settings s = settings;
		struct lb_user u = rep_with("sam", table[i].away,
					    table[i].until ? NOW + table[i].until : 0,
					    table[i].territories, table[i].segments);
		struct lead lead = sample_lead("sql");
		char why[256] = "";
		bool ok;

		u.role = table[i].role;
		u.disabled = table[i].disabled;
		s.max_open_per_rep = table[i].max_open;
		snprintf(lead.country, sizeof lead.country, "%s", table[i].country);
		snprintf(lead.segment, sizeof lead.segment, "%s", table[i].segment);
		ok = rules_route_eligible(&s, &u, table[i].open, &lead, NOW, why, sizeof why);
		if (ok != !table[i].why || (table[i].why && strcmp(why, table[i].why) != 0))
			fail_msg("row %zu: eligible %d, '%s'", i, ok, why);
	}
	struct lb_user away = rep_with("sam", true, NOW, "", "");
	assert_true(rules_is_away(&away, NOW - 1));
	assert_false(rules_is_away(&away, NOW));       /* back at the very time */
	away.away_until = 0;
	assert_true(rules_is_away(&away, NOW + 1000 * HOUR));
}

/* Round-robin takes the oldest turn, least-loaded the lightest load; both
 * pass over whoever is not eligible, and the rep named as excluded. */
static void test_route_pick(void **state)
{
	struct lb_user ana = rep_with("ana", false, 0, "", ""),
		       ben = rep_with("ben", false, 0, "", ""),
		       cai = rep_with("cai", false, 0, "", ""),
		       dee = rep_with("dee", true, 0, "", ""),
		       eve = rep_with("eve", false, 0, "FR", "");
	static const struct {
		enum rules_routing routing;
		int64_t turns[5];     /* ana ben cai dee eve */
		int open[5];
		const char *exclude;
		int max_open;
		const char *want;     /* NULL: nobody */
	} table[] = {
		{ ROUTING_ROUND_ROBIN, { 3, 1, 2, 0, 0 }, { 0, 9, 9, 0, 0 }, NULL, 0, "ben" },
		{ ROUTING_ROUND_ROBIN, { 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0 }, NULL, 0, "ana" },
		{ ROUTING_ROUND_ROBIN, { 4, 5, 0, 0, 0 }, { 0, 0, 0, 0, 0 }, NULL, 0, "cai" },
		{ ROUTING_ROUND_ROBIN, { 3, 1, 2, 0, 0 }, { 0, 0, 0, 0, 0 }, "ben", 0, "cai" },
		{ ROUTING_ROUND_ROBIN, { 3, 1, 2, 0, 0 }, { 0, 5, 0, 0, 0 }, NULL, 5, "cai" },
		{ ROUTING_ROUND_ROBIN, { 3, 1, 2, 0, 0 }, { 5, 5, 5, 0, 0 }, NULL, 5, NULL },
		{ ROUTING_LEAST_LOADED, { 3, 1, 2, 0, 0 }, { 4, 9, 2, 0, 0 }, NULL, 0, "cai" },
		{ ROUTING_LEAST_LOADED, { 3, 1, 2, 0, 0 }, { 4, 4, 4, 0, 0 }, NULL, 0, "ben" },
		{ ROUTING_LEAST_LOADED, { 3, 1, 2, 0, 0 }, { 2, 4, 2, 0, 0 }, NULL, 0, "cai" },
		{ ROUTING_LEAST_LOADED, { 3, 1, 2, 0, 0 }, { 2, 4, 2, 0, 0 }, "cai", 0, "ana" },
		{ ROUTING_OFF, { 3, 1, 2, 0, 0 }, { 0, 0, 0, 0, 0 }, NULL, 0, NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct rules_settings s = settings;
		const struct lb_user *users[5] = { &ana, &ben, &cai, &dee, &eve };
		struct rules_candidate c[5];
		struct lead lead = sample_lead("sql");
		int pick;

		s.routing = table[i].routing;
		s.max_open_per_rep = table[i].max_open;
		snprintf(lead.country, sizeof lead.country, "DE");
		for (int k = 0; k < 5; k++)
			c[k] = (struct rules_candidate){ users[k], table[i].open[k], table[i].turns[k] };
		pick = rules_route_pick(&s, c, 5, &lead, table[i].exclude, NOW);
		if (table[i].want ? pick < 0 || strcmp(c[pick].user->login, table[i].want) != 0
				  : pick >= 0)
			fail_msg("row %zu: picked %s, want %s", i, pick < 0 ? "nobody" : c[pick].user->login,
				 table[i].want ? table[i].want : "nobody");
	}
	/* turn after turn, round-robin goes round the eligible reps evenly */
	{
		struct rules_settings s = settings;
		struct rules_candidate c[5];
		const struct lb_user *users[5] = { &ana, &ben, &cai, &dee, &eve };
		struct lead lead = sample_lead("sql");
		int64_t last = 0;
		int given[5] = { 0 };

		s.routing = ROUTING_ROUND_ROBIN;
		for (int k = 0; k < 5; k++)
			c[k] = (struct rules_candidate){ users[k], 0, 0 };
		for (int n = 0; n < 30; n++) {
			int pick = rules_route_pick(&s, c, 5, &lead, NULL, NOW);
			assert_true(pick >= 0);
			c[pick].turn = ++last;
			given[pick]++;
		}
		/* dee is away; eve covers France and the lead has no country */
		assert_int_equal(given[0], 10);
		assert_int_equal(given[1], 10);
		assert_int_equal(given[2], 10);
		assert_int_equal(given[3] + given[4], 0);
	}
	char rule[256];
	struct rules_settings s = settings;
	s.routing = ROUTING_LEAST_LOADED;
	rules_route_rule(&s, 7, NULL, rule, sizeof rule);
	assert_string_equal(rule, "routing: least-loaded, turn 7");
	rules_route_rule(&s, 8, "sla: unclaimed for 24 h (sla_accept_hours)", rule, sizeof rule);
	assert_string_equal(rule, "routing: least-loaded, turn 8; sla: unclaimed for 24 h "
				  "(sla_accept_hours)");
}

/* A handoff with routing on asks for a rep in the same change; an
 * override that crosses does too; nothing else does. */
static void test_route_on_handoff(void **state)
{
	struct lb_user maya = user("maya", ROLE_MARKETING), mona = user("mona", ROLE_MANAGER),
		       sam = user("sam", ROLE_SALES);
	struct rules_settings s = settings;
	struct lead mql = sample_lead("mql"), sql = sample_lead("sql");
	struct rules_request none = { 0 };
	struct rules_request why = { .note_given = true, .override = true };
	struct rules_request back = { .reason_given = true, .reason = "not-ready" };

	(void)state;
	assert_false(move(&board, &s, &maya, &mql, "sql", none).route);
	s.routing = ROUTING_ROUND_ROBIN;
	assert_true(move(&board, &s, &maya, &mql, "sql", none).route);
	assert_true(move(&board, &s, &mona, &mql, "sql", why).route);
	assert_true(move(&board, &s, &mona, &mql, "opportunity", why).route);
	assert_false(move(&board, &s, &maya, &mql, "lead", back).route);
	assert_false(move(&board, &s, &sam, &sql, "opportunity", none).route);
	assert_false(move(&board, &s, &sam, &sql, "mql", back).route);
	assert_false(move(&board, &s, &mona, &sql, "mql", why).route);
}

/* What the sweep does to a lead, as a table: which SLA it broke at NOW and
 * what follows, for each way the settings can be. Times are hours before
 * NOW; -1: never. */
static void test_sweep(void **state)
{
	static const struct {
		const char *stage, *owner;
		int64_t handed, owned, contacted, escalated;   /* hours ago; -1: never */
		int accept, contact;                           /* the settings' hours */
		enum rules_routing routing;
		char expect;       /* -: nothing; E escalate; R route (escalate if none);
				      r route (already escalated); C reclaim; c reclaim, route */
	} table[] = {
		{ "sql", "", 25, -1, -1, -1, 24, 0, ROUTING_OFF, 'E' },
		{ "sql", "", 23, -1, -1, -1, 24, 0, ROUTING_OFF, '-' },
		{ "sql", "", 24, -1, -1, -1, 24, 0, ROUTING_OFF, 'E' },
		{ "sql", "", 25, -1, -1, 1, 24, 0, ROUTING_OFF, '-' },      /* escalated already */
		{ "sql", "", 25, -1, -1, 30, 24, 0, ROUTING_OFF, 'E' },     /* ... before this handoff */
		{ "sql", "", 25, -1, -1, -1, 24, 0, ROUTING_ROUND_ROBIN, 'R' },
		{ "sql", "", 25, -1, -1, 1, 24, 0, ROUTING_ROUND_ROBIN, 'r' },
		{ "opportunity", "", 25, -1, -1, -1, 24, 0, ROUTING_OFF, 'E' },
		{ "customer", "", 25, -1, -1, -1, 24, 0, ROUTING_OFF, '-' },
		{ "mql", "", 25, -1, -1, -1, 24, 0, ROUTING_OFF, '-' },
		{ "sql", "", -1, -1, -1, -1, 24, 0, ROUTING_OFF, '-' },     /* never handed off */
		{ "sql", "sam", 30, 5, -1, -1, 24, 4, ROUTING_OFF, 'C' },
		{ "sql", "sam", 30, 5, -1, -1, 24, 4, ROUTING_LEAST_LOADED, 'c' },
		{ "sql", "sam", 30, 3, -1, -1, 24, 4, ROUTING_OFF, '-' },
		{ "sql", "sam", 30, 4, -1, -1, 24, 4, ROUTING_OFF, 'C' },
		{ "sql", "sam", 30, 5, 2, -1, 24, 4, ROUTING_OFF, '-' },    /* contacted */
		{ "sql", "sam", 30, 5, 6, -1, 24, 4, ROUTING_OFF, 'C' },    /* before getting it */
		{ "sql", "sam", 30, 5, -1, -1, 24, 0, ROUTING_OFF, '-' },   /* sla_contact_hours off */
		{ "opportunity", "sam", 30, 5, -1, -1, 24, 4, ROUTING_OFF, '-' },  /* moved on */
		{ "sql", "sam", -1, 5, -1, -1, 24, 4, ROUTING_OFF, '-' },   /* their own lead */
		{ "sql", "", 2, -1, -1, -1, 0, 0, ROUTING_OFF, 'E' },       /* 0 h: at once */
	};
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct rules_settings s = settings;
		struct lead lead = sample_lead(table[i].stage);
		struct lb_user system = user("leadboard", ROLE_MANAGER);
		struct rules_verdict v;
		char got;

#define AGO(h) ((h) < 0 ? 0 : NOW - (h) * HOUR)
		snprintf(lead.owner, sizeof lead.owner, "%s", table[i].owner);
		lead.handed_off_at = AGO(table[i].handed);
		lead.owner_since = AGO(table[i].owned);
		lead.last_contact_at = AGO(table[i].contacted);
		lead.escalated_at = AGO(table[i].escalated);
#undef AGO
		s.sla_accept_hours = table[i].accept;
		s.sla_contact_hours = table[i].contact;
		s.routing = table[i].routing;
		v = rules_ask(&board, &s, &system, &lead,
			      &(struct rules_request){ .action = RULES_SWEEP, .now = NOW });
		if (v.status)
			got = '-';
		else if (v.breach == BREACH_UNCONTACTED)
			got = v.route ? 'c' : 'C';
		else if (v.route)
			got = v.escalate ? 'R' : 'r';
		else
			got = v.escalate ? 'E' : '?';
		if (got != table[i].expect)
			fail_msg("row %zu: %c, want %c (%s)", i, got, table[i].expect, v.message);
		if (got == 'C' || got == 'c') {
			assert_int_equal(v.kind, EV_RECLAIM);
			assert_string_equal(v.rule, "sla: no contact attempt within 4 h of getting it "
						    "(sla_contact_hours)");
		} else if (got != '-') {
			assert_int_equal(v.kind, v.route ? EV_ASSIGN : EV_ESCALATE);
			assert_int_equal(v.breach, BREACH_UNCLAIMED);
			assert_non_null(strstr(v.rule, "sla: unclaimed for"));
		}
	}
}

/* The SLA clocks count business hours: Mon-Fri 09:00-17:00 in Berlin. */
static void test_business_clocks(void **state)
{
	struct rules_settings s = settings;
	struct lead lead = sample_lead("sql");
	char message[256];
	int64_t fri_16, mon_10, mon_08, tue_09, tue_12;

	(void)state;
	assert_int_equal(rules_setting_apply(&s, "sla_hours", "Mon-Fri 09:00-17:00", message,
					     sizeof message), LB_OK);
	assert_int_equal(rules_setting_apply(&s, "timezone", "Europe/Berlin", message,
					     sizeof message), LB_OK);
	s.sla_accept_hours = 2;
	s.sla_contact_hours = 4;
	/* 2026-03-27, a Friday, 16:00 CET; the clocks change on Sunday */
	fri_16 = 1774623600000LL;
	mon_08 = fri_16 + 2 * 24 * HOUR + 15 * HOUR;      /* Mon 08:00 CEST */
	mon_10 = mon_08 + 2 * HOUR;                       /* Mon 10:00 CEST */
	tue_09 = mon_08 + 25 * HOUR;                      /* Tue 09:00 CEST */
	tue_12 = tue_09 + 3 * HOUR;
	lead.handed_off_at = fri_16;
	/* an hour on Friday, none at the weekend or before Monday's opening */
	assert_false(rules_is_overdue(&board, &s, &lead, mon_08));
	assert_false(rules_is_overdue(&board, &s, &lead, mon_10 - 1));
	assert_true(rules_is_overdue(&board, &s, &lead, mon_10));
	assert_int_equal(rules_overdue_before(&s, mon_10), fri_16);
	assert_true(rules_claimed_in_time(&s, fri_16, mon_10 - 1));
	assert_false(rules_claimed_in_time(&s, fri_16, mon_10));
	/* claimed on Monday at 10:00: four business hours to the first contact */
	snprintf(lead.owner, sizeof lead.owner, "sam");
	lead.owner_since = mon_10;
	assert_false(rules_is_uncontacted(&board, &s, &lead, mon_10 + 4 * HOUR - 1));
	assert_true(rules_is_uncontacted(&board, &s, &lead, mon_10 + 4 * HOUR));
	assert_true(rules_is_uncontacted(&board, &s, &lead, tue_09));    /* Mon 10-17: 7 h */
	lead.owner_since = mon_10 + 5 * HOUR;                            /* Mon 15:00 */
	assert_false(rules_is_uncontacted(&board, &s, &lead, tue_09 + HOUR - 1));
	assert_true(rules_is_uncontacted(&board, &s, &lead, tue_09 + 2 * HOUR));
	lead.owner_since = mon_10;
	lead.last_contact_at = mon_10 + HOUR;
	assert_false(rules_is_uncontacted(&board, &s, &lead, tue_12));
	assert_true(rules_contacted_in_time(&s, mon_10, mon_10 + HOUR));
	assert_false(rules_contacted_in_time(&s, mon_10, tue_12));
	assert_false(rules_contacted_in_time(&s, mon_10, mon_10 - HOUR));
	/* 24x7: the wall clock */
	assert_int_equal(rules_overdue_before(&settings, NOW), NOW - 24 * HOUR);
	assert_false(rules_contact_sla_on(&settings));
	assert_true(rules_contact_sla_on(&s));
}

static void test_due_and_escalated(void **state)
{
	struct lead lead = sample_lead("sql");

	(void)state;
	assert_false(rules_is_due(&lead, NOW));
	lead.next_step_at = NOW + 1;
	assert_false(rules_is_due(&lead, NOW));
	lead.next_step_at = NOW;
	assert_true(rules_is_due(&lead, NOW));
	lead.handed_off_at = NOW - 30 * HOUR;
	assert_false(rules_is_escalated(&board, &lead));
	lead.escalated_at = NOW - 40 * HOUR;        /* an earlier handoff's */
	assert_false(rules_is_escalated(&board, &lead));
	lead.escalated_at = NOW - HOUR;
	assert_true(rules_is_escalated(&board, &lead));
	snprintf(lead.owner, sizeof lead.owner, "sam");
	assert_false(rules_is_escalated(&board, &lead));
}

/* A stage's own idle limit overrides sla_idle_days; -1 turns it off there. */
static void test_idle_days(void **state)
{
	static const struct {
		int own, board_days;
		int64_t idle_days;
		int limit;
		bool stale;
	} table[] = {
		{ 0, 7, 8, 7, true }, { 0, 7, 6, 7, false }, { 3, 7, 4, 3, true },
		{ 3, 0, 4, 3, true }, { 10, 7, 8, 10, false }, { -1, 7, 30, 0, false },
		{ 0, 0, 30, 0, false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct lb_board b = board;
		struct rules_settings s = settings;
		struct lead lead = sample_lead("opportunity");

		b.stages[3].idle_days = table[i].own;
		s.sla_idle_days = table[i].board_days;
		lead.updated_at = NOW - table[i].idle_days * 24 * HOUR;
		assert_int_equal(rules_idle_days(&b, &s, 3), table[i].limit);
		assert_int_equal(rules_is_stale(&b, &s, &lead, NOW), table[i].stale);
		/* other stages keep the board's */
		assert_int_equal(rules_idle_days(&b, &s, 2), table[i].board_days);
	}
}

/* Who may say a member is away, or what they cover; who runs the sweep. */
static void test_member_routing(void **state)
{
	static const struct {
		enum lb_role role;
		bool self;
		enum lb_status away, coverage;
	} table[] = {
		{ ROLE_SALES, true, LB_OK, LB_NOPERM },
		{ ROLE_SALES, false, LB_NOPERM, LB_NOPERM },
		{ ROLE_MARKETING, false, LB_NOPERM, LB_NOPERM },
		{ ROLE_MARKETING, true, LB_OK, LB_NOPERM },
		{ ROLE_MANAGER, false, LB_OK, LB_OK },
		{ ROLE_ADMIN, false, LB_OK, LB_OK },
	};
	char message[256];
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct lb_user actor = user(table[i].self ? "sam" : "actor", table[i].role);
		struct lb_user sam = user("sam", ROLE_SALES);
		assert_int_equal(rules_check_member_routing(&actor, &sam, "away").status,
				 table[i].away);
		assert_int_equal(rules_check_member_routing(&actor, &sam, "coverage").status,
				 table[i].coverage);
	}
	struct lb_user sara = user("sara", ROLE_SALES), sam = user("sam", ROLE_SALES);
	assert_string_equal(rules_check_member_routing(&sara, &sam, "away").message,
			    "only sam, a manager or an admin says sam is away or back (you are sales)");
	assert_int_equal(rules_member_lists_check("DE,fr, US", "b2b", message, sizeof message),
			 LB_OK);
	assert_int_equal(rules_member_lists_check("", "", message, sizeof message), LB_OK);
	assert_int_equal(rules_member_lists_check("Germany", NULL, message, sizeof message),
			 LB_DATA);
	assert_string_equal(message, "territories are country codes like DE,FR (ISO 3166), not "
				     "'Germany'");
	assert_int_equal(rules_member_lists_check(NULL, "b2b,enterprise", message, sizeof message),
			 LB_DATA);
	assert_string_equal(message, "segments are b2b and/or b2c, not 'b2b,enterprise'");

	static const struct { enum lb_role role; bool member, disabled, operator; enum lb_status st; }
	sweepers[] = {
		{ ROLE_ADMIN, true, false, false, LB_OK },
		{ ROLE_MANAGER, true, false, false, LB_OK },
		{ ROLE_MANAGER, true, true, false, LB_NOPERM },
		{ ROLE_SALES, true, false, false, LB_NOPERM },
		{ ROLE_MARKETING, true, false, false, LB_NOPERM },
		{ ROLE_SALES, false, false, false, LB_NOPERM },
		{ ROLE_SALES, false, false, true, LB_OK },
		{ ROLE_SALES, true, false, true, LB_OK },
	};
	for (size_t i = 0; i < sizeof sweepers / sizeof sweepers[0]; i++) {
		struct lb_user m = user("someone", sweepers[i].role);
		m.disabled = sweepers[i].disabled;
		assert_int_equal(rules_may_sweep(sweepers[i].member ? &m : NULL,
						 sweepers[i].operator).status, sweepers[i].st);
	}
	assert_string_equal(rules_may_sweep(NULL, false).message,
			    "only an admin, a manager or the host's timer runs the sweep (you are "
			    "not a member)");
	/* managers and admins see the escalations in the header */
	for (int r = 0; r < ROLE_COUNT; r++) {
		struct lb_user u = user("someone", (enum lb_role)r);
		assert_int_equal(rules_watch(&u).escalations, r == ROLE_MANAGER || r == ROLE_ADMIN);
	}
	/* an unclaimed handoff found no rep only when routing looked for one */
	{
		struct rules_settings st;
		rules_settings_defaults(&st);
		assert_false(rules_routing_on(&st));
		st.routing = ROUTING_ROUND_ROBIN;
		assert_true(rules_routing_on(&st));
		st.routing = ROUTING_LEAST_LOADED;
		assert_true(rules_routing_on(&st));
	}
}

/* ---- merge ------------------------------------------------------------------------ */

/*
 * Merge OTHER into KEEP: every role x OTHER's stage x KEEP's stage, both
 * unowned. One row per role and OTHER stage; one letter per KEEP stage, in
 * the order of merge_stages. Written out by hand from the issue: whoever
 * may change both leads where they stand, a manager always; a terminal
 * lead is kept, not merged away into one that is not; only leads on the
 * board.
 *   y allowed   N refused, not permitted (77)   D refused, invalid (65)
 */
static const char *const merge_stages[] = {
	"lead", "mql", "sql", "opportunity", "customer", LB_DISCARDED, LB_MERGED,
};

static const struct merge_case {
	enum lb_role role;
	const char *other;
	const char expect[8];   /* KEEP: lead mql sql opportunity customer discarded merged */
} merge_table[] = {
	{ ROLE_MARKETING, "lead", "yyNNNDD" },
	{ ROLE_MARKETING, "mql", "yyNNNDD" },
	{ ROLE_MARKETING, "sql", "NNNNNDD" },
	{ ROLE_MARKETING, "opportunity", "NNNNNDD" },
	{ ROLE_MARKETING, "customer", "NNNNNDD" },
	{ ROLE_MARKETING, LB_DISCARDED, "DDDDDDD" },
	{ ROLE_MARKETING, LB_MERGED, "DDDDDDD" },

	{ ROLE_SALES, "lead", "NNNNNDD" },
	{ ROLE_SALES, "mql", "NNNNNDD" },
	{ ROLE_SALES, "sql", "NNyyyDD" },
	{ ROLE_SALES, "opportunity", "NNyyyDD" },
	{ ROLE_SALES, "customer", "NNDDyDD" },
	{ ROLE_SALES, LB_DISCARDED, "DDDDDDD" },
	{ ROLE_SALES, LB_MERGED, "DDDDDDD" },

	{ ROLE_MANAGER, "lead", "yyyyyDD" },
	{ ROLE_MANAGER, "mql", "yyyyyDD" },
	{ ROLE_MANAGER, "sql", "yyyyyDD" },
	{ ROLE_MANAGER, "opportunity", "yyyyyDD" },
	{ ROLE_MANAGER, "customer", "DDDDyDD" },
	{ ROLE_MANAGER, LB_DISCARDED, "DDDDDDD" },
	{ ROLE_MANAGER, LB_MERGED, "DDDDDDD" },

	{ ROLE_ADMIN, "lead", "yyyyyDD" },
	{ ROLE_ADMIN, "mql", "yyyyyDD" },
	{ ROLE_ADMIN, "sql", "yyyyyDD" },
	{ ROLE_ADMIN, "opportunity", "yyyyyDD" },
	{ ROLE_ADMIN, "customer", "DDDDyDD" },
	{ ROLE_ADMIN, LB_DISCARDED, "DDDDDDD" },
	{ ROLE_ADMIN, LB_MERGED, "DDDDDDD" },
};

static struct lead other_lead(const char *stage)
{
	struct lead lead = sample_lead(stage);

	snprintf(lead.id, sizeof lead.id, "5b7d0e42-0000-4000-8000-000000000002");
	if (strcmp(stage, LB_MERGED) == 0)
		snprintf(lead.merged_into, sizeof lead.merged_into, "%s",
			 "9c1e3f2a-0000-4000-8000-000000000003");
	return lead;
}

static void test_merge_table(void **state)
{
	size_t n = sizeof merge_table / sizeof merge_table[0];
	int failures = 0;

	(void)state;
	assert_int_equal(n, ROLE_COUNT * 7);
	for (size_t i = 0; i < n; i++) {
		const struct merge_case *c = &merge_table[i];
		struct lb_user actor = user("actor", c->role);
		struct lead other = other_lead(c->other);

		for (int k = 0; k < 7; k++) {
			struct lead keep = sample_lead(merge_stages[k]);
			struct rules_request req = { .action = RULES_MERGE, .keep = &keep };
			struct rules_verdict v = ask(&actor, &other, req);
			char got = v.status == LB_DATA ? 'D' : v.status == LB_NOPERM ? 'N' : 'y';

			if (got != c->expect[k]) {
				fprintf(stderr, "# %s merges %s into %s: want %c got %c (%s)\n",
					role_name(c->role), c->other, merge_stages[k], c->expect[k],
					got, v.message);
				failures++;
			}
			if (got == 'y' && (v.kind != EV_MERGE || v.change != CHANGE_MERGE ||
					   v.note != NEED_OPTIONAL || v.reason != NEED_NONE ||
					   !v.confirm || v.stage != -1 || v.override))
				fail_msg("%s merges %s into %s: the verdict's details",
					 role_name(c->role), c->other, merge_stages[k]);
			if (got != 'y' && !v.message[0])
				fail_msg("a refusal without words");
		}
	}
	assert_int_equal(failures, 0);
}

/* A rep merges only leads nobody else owns; the words of each refusal. */
static void test_merge_owners_and_words(void **state)
{
	static const struct {
		const char *other_owner, *keep_owner;
		char expect;
	} table[] = {
		{ "", "", 'y' }, { "sam", "sam", 'y' }, { "sam", "", 'y' }, { "", "sam", 'y' },
		{ "sara", "", 'N' }, { "", "sara", 'N' }, { "sara", "sam", 'N' },
	};
	struct lb_user sam = user("sam", ROLE_SALES), maya = user("maya", ROLE_MARKETING);
	struct lb_user mona = user("mona", ROLE_MANAGER);
	struct lead keep = sample_lead("sql"), other = other_lead("sql");
	struct rules_request req = { .action = RULES_MERGE, .keep = &keep };
	struct rules_verdict v;

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		snprintf(other.owner, sizeof other.owner, "%s", table[i].other_owner);
		snprintf(keep.owner, sizeof keep.owner, "%s", table[i].keep_owner);
		v = ask(&sam, &other, req);
		assert_int_equal(v.status == LB_OK ? 'y' : v.status == LB_NOPERM ? 'N' : 'D',
				 table[i].expect);
		/* a manager merges whoever owns them */
		assert_int_equal(ask(&mona, &other, req).status, LB_OK);
	}
	other.owner[0] = keep.owner[0] = '\0';
	v = ask(&maya, &other, req);
	assert_string_equal(v.message, "lead 5b7d0e42 (Ana García) is in SQL, owned by sales; "
				       "marketing cannot merge it");
	v = ask(&sam, &keep, (struct rules_request){ .action = RULES_MERGE, .keep = &keep });
	assert_int_equal(v.status, LB_DATA);
	assert_string_equal(v.message, "lead 3f2a9c1e (Ana García) cannot be merged into itself");
	v = ask(&mona, &other, (struct rules_request){ .action = RULES_MERGE });
	assert_int_equal(v.status, LB_DATA);
	assert_non_null(strstr(v.message, "name the lead to keep"));
	/* asked ahead, before the lead to keep is picked: judged on OTHER alone */
	assert_int_equal(ask(&sam, &other, (struct rules_request){ .action = RULES_MERGE,
								   .ahead = true }).status, LB_OK);
	assert_int_equal(ask(&maya, &other, (struct rules_request){ .action = RULES_MERGE,
								    .ahead = true }).status,
			 LB_NOPERM);
	/* a terminal lead is kept */
	struct lead won = other_lead("customer");
	v = ask(&mona, &won, req);
	assert_string_equal(v.message, "lead 5b7d0e42 (Ana García) is in Customer, a terminal stage; "
				       "keep it and merge lead 3f2a9c1e (Ana García) into it");
	/* off the board */
	struct lead gone = other_lead(LB_MERGED), binned = sample_lead(LB_DISCARDED);
	v = ask(&mona, &gone, req);
	assert_string_equal(v.message, "lead 5b7d0e42 (Ana García) was merged into lead 9c1e3f2a; "
				       "change that one");
	v = ask(&mona, &other, (struct rules_request){ .action = RULES_MERGE, .keep = &binned });
	assert_string_equal(v.message, "lead 3f2a9c1e (Ana García) is discarded; a lead is merged "
				       "into one on the board");
}

/* A merged lead is off the board for good: every other action refuses it. */
static void test_merged_lead_refuses(void **state)
{
	const enum rules_action actions[] = { RULES_EDIT, RULES_MOVE, RULES_CLAIM, RULES_ASSIGN,
					      RULES_DISCARD, RULES_RESTORE, RULES_NOTE,
					      RULES_RELEASE };
	struct lead gone = other_lead(LB_MERGED);
	struct lb_user sam = user("sam", ROLE_SALES);

	(void)state;
	for (int r = 0; r < ROLE_COUNT; r++) {
		struct lb_user actor = user("actor", (enum lb_role)r);
		for (size_t a = 0; a < sizeof actions / sizeof actions[0]; a++) {
			struct rules_request req = { .action = actions[a], .stage = "sql",
						     .reason_given = true, .note_given = true,
						     .assignee_login = "sam", .assignee = &sam };
			struct rules_verdict v = ask(&actor, &gone, req);
			if (v.status != LB_DATA || !strstr(v.message, "was merged into lead 9c1e3f2a"))
				fail_msg("%s, action %d: %d %s", role_name((enum lb_role)r), actions[a],
					 v.status, v.message);
		}
	}
}

/* ---- one e-mail address on the board ------------------------------------------------ */

/*
 * A change that would put an e-mail address on the board a second time:
 * refused (65) naming the lead that has it, or kept beside it with
 * --allow-duplicate, by marketing or a manager (77 for anyone else), on the
 * record. Each row: role, action, the lead's stage, allow asked: expected.
 */
static void test_duplicate_email(void **state)
{
	static const struct {
		enum lb_role role;
		enum rules_action action;
		const char *stage;
		bool allow;
		char expect;   /* y allowed, a allowed as a duplicate, N 77, D 65 */
	} table[] = {
		{ ROLE_MARKETING, RULES_ADD, "lead", false, 'D' },
		{ ROLE_MARKETING, RULES_ADD, "lead", true, 'a' },
		{ ROLE_SALES, RULES_ADD, "sql", false, 'D' },
		{ ROLE_SALES, RULES_ADD, "sql", true, 'N' },
		{ ROLE_MANAGER, RULES_ADD, "lead", true, 'N' },    /* a manager adds nothing */
		{ ROLE_ADMIN, RULES_ADD, "lead", false, 'D' },
		{ ROLE_ADMIN, RULES_ADD, "lead", true, 'a' },
		{ ROLE_MARKETING, RULES_EDIT, "mql", false, 'D' },
		{ ROLE_MARKETING, RULES_EDIT, "mql", true, 'a' },
		{ ROLE_MARKETING, RULES_EDIT, "sql", true, 'N' },  /* not theirs to edit */
		{ ROLE_SALES, RULES_EDIT, "sql", false, 'D' },
		{ ROLE_SALES, RULES_EDIT, "sql", true, 'N' },
		{ ROLE_ADMIN, RULES_EDIT, "sql", true, 'a' },
		{ ROLE_MARKETING, RULES_RESTORE, LB_DISCARDED, false, 'D' },
		{ ROLE_MARKETING, RULES_RESTORE, LB_DISCARDED, true, 'a' },
		{ ROLE_SALES, RULES_RESTORE, LB_DISCARDED, true, 'N' },
	};
	struct lead has = other_lead("sql");

	(void)state;
	snprintf(has.name, sizeof has.name, "Ana G.");
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct lb_user actor = user("actor", table[i].role);
		struct lead lead = sample_lead(table[i].stage);
		struct rules_request req = { .action = table[i].action, .stage = table[i].stage,
					     .duplicate_of = &has, .allow_duplicate = table[i].allow };
		struct rules_verdict v = ask(&actor, table[i].action == RULES_ADD ? NULL : &lead, req);
		char got = v.status == LB_DATA ? 'D' : v.status == LB_NOPERM ? 'N'
						     : v.duplicate ? 'a' : 'y';

		if (got != table[i].expect)
			fail_msg("row %zu: want %c got %c (%s)", i, table[i].expect, got, v.message);
		if (got == 'a')
			assert_string_equal(v.overridden, "e-mail ana@acme.example is already on the "
							  "board: lead 5b7d0e42 (Ana G.)");
		/* without a duplicate, asking to allow one changes nothing */
		req.duplicate_of = NULL;
		v = ask(&actor, table[i].action == RULES_ADD ? NULL : &lead, req);
		assert_false(v.duplicate);
		assert_string_equal(v.overridden, "");
	}
	struct lb_user maya = user("maya", ROLE_MARKETING), sam = user("sam", ROLE_SALES);
	struct rules_verdict v = ask(&maya, NULL, (struct rules_request){ .action = RULES_ADD,
									  .duplicate_of = &has });
	assert_string_equal(v.message, "e-mail ana@acme.example is already on the board: lead "
				       "5b7d0e42 (Ana G.); --allow-duplicate keeps both, leadboard "
				       "merge joins them");
	v = ask(&sam, NULL, (struct rules_request){ .action = RULES_ADD, .stage = "sql",
						    .duplicate_of = &has, .allow_duplicate = true });
	assert_string_equal(v.message, "only marketing or a manager keeps a duplicate e-mail on the "
				       "board (you are sales); e-mail ana@acme.example is already "
				       "on the board: lead 5b7d0e42 (Ana G.)");
}

/* ---- countries and segments in the gate and its settings --------------------------- */

static void test_gate_countries_by_code(void **state)
{
	static const struct {
		const char *gate, *country;
		bool passes;
	} table[] = {
		{ "DE,FR", "DE", true },        { "DE,FR", "Germany", true },
		{ "DE,FR", "germany", true },   { "DE,FR", "DEU", true },
		{ "Germany", "DE", true },      { "de", "Federal Republic of Germany", true },
		{ "DE,FR", "Spain", false },    { "DE,FR", "Deutschland", false },
		{ "Narnia", "narnia", true },   { "DE", "Narnia", false },
		{ "US", "United States of America", true }, { "KR", "South Korea", true },
	};
	char msg[256], unmet[512];

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct rules_settings s;
		struct lead lead = sample_lead("mql");
		rules_settings_defaults(&s);
		assert_int_equal(rules_setting_apply(&s, "gate_countries", table[i].gate, msg,
						     sizeof msg), LB_OK);
		snprintf(lead.country, sizeof lead.country, "%s", table[i].country);
		if (rules_gate_passes(&s, &lead, unmet, sizeof unmet) != table[i].passes)
			fail_msg("gate %s, country %s: %s", table[i].gate, table[i].country, unmet);
	}
}

static void test_setting_normalize(void **state)
{
	static const struct {
		const char *key, *value, *stored;   /* stored NULL: refused */
		const char *words;
	} table[] = {
		{ "gate_countries", "DE,FR", "DE,FR", NULL },
		{ "gate_countries", "Germany, france", "DE,FR", NULL },
		{ "gate_countries", "deu, DE, Germany", "DE", NULL },
		{ "gate_countries", "United States, South Korea", "US,KR", NULL },
		{ "gate_countries", "", "", NULL },
		{ "gate_countries", "DE, Narnia", NULL,
		  "gate_countries: 'Narnia' is not a country ISO 3166-1 knows" },
		{ "gate_segments", "B2B", "b2b", NULL },
		{ "gate_segments", "Business, consumer", "b2b,b2c", NULL },
		{ "gate_segments", "b2g", NULL, "gate_segments: 'b2g' is not b2b or b2c" },
		{ "gate_title_words", "VP, Director", "VP, Director", NULL },
		{ "max_handoffs", "3", "3", NULL },
	};
	char out[256], msg[256];

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		enum lb_status st = rules_setting_normalize(table[i].key, table[i].value, out,
							    sizeof out, msg, sizeof msg);
		if (!table[i].stored) {
			assert_int_equal(st, LB_DATA);
			assert_non_null(strstr(msg, table[i].words));
			continue;
		}
		assert_int_equal(st, LB_OK);
		assert_string_equal(out, table[i].stored);
	}
}

/* The merge event's note: names the lead kept, and only a full id. */
static void test_merge_note(void **state)
{
	static const struct {
		const char *note;
		const char *keep;   /* NULL: not a merge's */
	} table[] = {
		{ "into 3f2a9c1e-0000-4000-8000-000000000001", "3f2a9c1e-0000-4000-8000-000000000001" },
		{ "into 3f2a9c1e-0000-4000-8000-000000000001; filled company",
		  "3f2a9c1e-0000-4000-8000-000000000001" },
		{ "into 3f2a9c1e-0000-4000-8000-000000000001: same person",
		  "3f2a9c1e-0000-4000-8000-000000000001" },
		{ "into 3f2a9c1e", NULL },
		{ "into 3F2A9C1E-0000-4000-8000-000000000001", NULL },
		{ "into 3f2a9c1e-0000-4000-8000-0000000000011", NULL },
		{ "same person", NULL },
		{ "", NULL },
	};
	char note[200], keep[LB_ID_LEN + 1];

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		bool found = event_merge_target(table[i].note, keep);
		if (found != (table[i].keep != NULL) || (found && strcmp(keep, table[i].keep) != 0))
			fail_msg("'%s': %s", table[i].note, found ? keep : "none");
	}
	event_merge_note("3f2a9c1e-0000-4000-8000-000000000001", "company, title", "same person",
			 note, sizeof note);
	assert_string_equal(note, "into 3f2a9c1e-0000-4000-8000-000000000001; filled company, "
				  "title: same person");
	event_merge_note("3f2a9c1e-0000-4000-8000-000000000001", "", NULL, note, sizeof note);
	assert_string_equal(note, "into 3f2a9c1e-0000-4000-8000-000000000001");
	assert_true(event_merge_target(note, keep));
}

/*
 * Undo: the actor's own newest change to a lead, within undo_minutes, when
 * nobody changed the lead after it. The times are minutes; now is 100.
 * Verdicts: U allowed (an undo, asked to confirm), D refused as invalid
 * (65), N not yours (77); why: a piece of the refusal's words.
 */
static void test_undo(void **state)
{
	static const struct {
		int minutes;
		bool has_mine;
		enum lb_event_kind mine_kind;
		const char *mine_actor;
		int mine_at, mine_seq;
		bool has_latest;
		const char *latest_actor;
		enum lb_event_kind latest_kind;
		int latest_seq;
		char expect;
		const char *why;
	} table[] = {
		/* the newest change, mine, in time: any kind that changes a lead */
		{ 10, true, EV_MOVE, "sam", 95, 7, true, "sam", EV_MOVE, 7, 'U', "" },
		{ 10, true, EV_MOVE, "sam", 90, 7, true, "sam", EV_MOVE, 7, 'U', "" },
		{ 10, true, EV_HANDOFF, "sam", 99, 7, true, "sam", EV_HANDOFF, 7, 'U', "" },
		{ 10, true, EV_PASSBACK, "sam", 99, 7, true, "sam", EV_PASSBACK, 7, 'U', "" },
		{ 10, true, EV_OVERRIDE, "sam", 99, 7, true, "sam", EV_OVERRIDE, 7, 'U', "" },
		{ 10, true, EV_CLAIM, "sam", 99, 7, true, "sam", EV_CLAIM, 7, 'U', "" },
		{ 10, true, EV_ASSIGN, "sam", 99, 7, true, "sam", EV_ASSIGN, 7, 'U', "" },
		{ 10, true, EV_RELEASE, "sam", 99, 7, true, "sam", EV_RELEASE, 7, 'U', "" },
		{ 10, true, EV_DISCARD, "sam", 99, 7, true, "sam", EV_DISCARD, 7, 'U', "" },
		{ 10, true, EV_RESTORE, "sam", 99, 7, true, "sam", EV_RESTORE, 7, 'U', "" },
		{ 10, true, EV_EDIT, "sam", 99, 7, true, "sam", EV_EDIT, 7, 'U', "" },
		{ 10, true, EV_NOTE, "sam", 99, 7, true, "sam", EV_NOTE, 7, 'U', "" },
		{ 60, true, EV_MOVE, "sam", 41, 7, true, "sam", EV_MOVE, 7, 'U', "" },
		/* too late */
		{ 10, true, EV_MOVE, "sam", 89, 7, true, "sam", EV_MOVE, 7, 'D',
		  "too late to undo your move of lead 3f2a9c1e (Ana García): it was 11 min ago and "
		  "undo_minutes is 10" },
		{ 1, true, EV_CLAIM, "sam", 98, 7, true, "sam", EV_CLAIM, 7, 'D', "too late" },
		/* undo is off */
		{ 0, true, EV_MOVE, "sam", 100, 7, true, "sam", EV_MOVE, 7, 'D',
		  "undo is off on this board (undo_minutes is 0)" },
		/* someone changed it since */
		{ 10, true, EV_MOVE, "sam", 99, 7, true, "sara", EV_CLAIM, 8, 'D',
		  "sara changed lead 3f2a9c1e (Ana García) after your move (claim, " },
		{ 10, true, EV_MOVE, "sam", 99, 7, true, "mona", EV_ASSIGN, 9, 'D', "only the newest" },
		/* not mine */
		{ 10, false, EV_MOVE, "", 0, 0, true, "sara", EV_MOVE, 8, 'N',
		  "you have not changed lead 3f2a9c1e (Ana García); its last change (move by sara, " },
		{ 10, true, EV_MOVE, "sara", 99, 8, true, "sara", EV_MOVE, 8, 'N',
		  "event 8 on lead 3f2a9c1e (Ana García) is sara's change; only sara can undo it" },
		/* nothing of mine, nothing at all */
		{ 10, false, EV_MOVE, "", 0, 0, false, "", EV_MOVE, 0, 'D',
		  "nothing to undo: you have not changed lead 3f2a9c1e (Ana García)" },
		/* what cannot be undone */
		{ 10, true, EV_UNDO, "sam", 99, 7, true, "sam", EV_UNDO, 7, 'D', "an undo is not undone" },
		{ 10, true, EV_CREATE, "sam", 99, 7, true, "sam", EV_CREATE, 7, 'D',
		  "adding lead 3f2a9c1e (Ana García) cannot be undone" },
		/* what happened with the lead, and the sweep's acts, stand */
		{ 10, true, EV_CONTACT, "sam", 99, 7, true, "sam", EV_CONTACT, 7, 'D',
		  "a contact attempt with lead 3f2a9c1e (Ana García) is not undone" },
		{ 10, true, EV_RECLAIM, "sam", 99, 7, true, "sam", EV_RECLAIM, 7, 'D',
		  "the sweep's reclaim of lead" },
		{ 10, true, EV_ESCALATE, "sam", 99, 7, true, "sam", EV_ESCALATE, 7, 'D',
		  "the sweep's escalate of lead" },
		/* a merge is for good, and so is what came before it */
		{ 10, true, EV_MERGE, "sam", 99, 7, true, "sam", EV_MERGE, 7, 'D',
		  "a merge cannot be undone: lead 3f2a9c1e (Ana García) stays merged" },
		{ 10, true, EV_EDIT, "sam", 95, 7, true, "sara", EV_MERGE, 8, 'D',
		  "lead 3f2a9c1e (Ana García) took in another lead in a merge by sara" },
		{ 10, false, EV_MOVE, "", 0, 0, true, "sam", EV_MERGE, 8, 'D',
		  "a merge cannot be undone, nor a change before it" },
	};
	struct lb_user sam = user("sam", ROLE_SALES);
	struct lead lead = sample_lead("customer");
	int64_t minute = 60000;

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct rules_settings s = settings;
		struct rules_change_made mine = { table[i].mine_seq, table[i].mine_kind,
						  table[i].mine_actor, table[i].mine_at * minute, false };
		struct rules_change_made latest = { table[i].latest_seq, table[i].latest_kind,
						    table[i].latest_actor, 99 * minute, false };
		struct rules_request rq = { .action = RULES_UNDO, .now = 100 * minute };
		struct rules_verdict v;
		char got;

		s.undo_minutes = table[i].minutes;
		if (table[i].has_mine)
			rq.undo = &mine;
		if (table[i].has_latest)
			rq.latest = table[i].latest_seq == table[i].mine_seq ? &mine : &latest;
		v = rules_ask(&board, &s, &sam, &lead, &rq);
		got = v.status == LB_OK ? 'U' : v.status == LB_DATA ? 'D'
		    : v.status == LB_NOPERM ? 'N' : '?';
		if (got != table[i].expect || !strstr(v.message, table[i].why))
			fprintf(stderr, "# row %zu: want %c '%s', got %c '%s'\n", i, table[i].expect,
				table[i].why, got, v.message);
		assert_int_equal(got, table[i].expect);
		assert_non_null(strstr(v.message, table[i].why));
		if (got == 'U') {
			assert_int_equal(v.kind, EV_UNDO);
			assert_int_equal(v.change, CHANGE_UNDO);
			assert_true(v.confirm);
		}
	}
	/* routing's assign in a handoff stands: a manager assigns it elsewhere */
	{
		struct rules_change_made routed = { 7, EV_ASSIGN, "sam", 99 * minute, true };
		struct rules_request rq = { .action = RULES_UNDO, .now = 100 * minute,
					    .undo = &routed, .latest = &routed };
		struct rules_verdict v = rules_ask(&board, &settings, &sam, &lead, &rq);
		assert_int_equal(v.status, LB_DATA);
		assert_string_equal(v.message, "routing gave lead 3f2a9c1e (Ana García) to a rep in "
					       "your handoff; routing's assignment is not undone (a "
					       "manager assigns it to someone else)");
	}
	/* an undo names the event it reverses, and only that reads back */
	char note[64];
	int64_t seq = 0;
	event_undo_note(1234, EV_MOVE, note, sizeof note);
	assert_string_equal(note, "undoes event 1234 (move)");
	assert_true(event_undo_target(note, &seq));
	assert_int_equal(seq, 1234);
	assert_false(event_undo_target("undoes event x", &seq));
	assert_false(event_undo_target("undoes event 12x (move)", &seq));
	assert_false(event_undo_target("called back; undoes event 5", &seq));
	assert_false(event_undo_target("undoes event -3 (move)", &seq));
}

/* Messages name a lead by id and name, the name cut whole characters at a time. */
static void test_lead_label(void **state)
{
	struct lead lead = sample_lead("sql");
	char label[RULES_LABEL_SIZE];

	(void)state;
	rules_lead_label(&lead, label);
	assert_string_equal(label, "3f2a9c1e (Ana García)");
	lead.name[0] = '\0';
	rules_lead_label(&lead, label);
	assert_string_equal(label, "3f2a9c1e");
	for (int i = 0; i < 40; i++)
		memcpy(lead.name + 2 * i, "é", 2);
	lead.name[80] = '\0';
	rules_lead_label(&lead, label);
	/* 60 bytes are 30 whole é */
	assert_int_equal(strlen(label), 8 + 2 + 60 + 3 + 1);
	assert_string_equal(label + strlen(label) - 6, "é\u2026)");
}

/* Reassign: a manager, from a member, to an enabled rep who is someone else. */
static void test_reassign(void **state)
{
	struct lb_user sam = user("sam", ROLE_SALES), sara = user("sara", ROLE_SALES);
	struct lb_user mona = user("mona", ROLE_MANAGER), root = user("root", ROLE_ADMIN);
	struct lb_user maya = user("maya", ROLE_MARKETING), off = sara;
	static const struct {
		int actor;           /* 0 mona, 1 root, 2 sam, 3 maya */
		const char *from;
		bool from_member;
		int to;              /* 0 sara, 1 sam, 2 maya, 3 disabled sara, -1 nobody */
		enum lb_status expect;
		const char *why;
	} table[] = {
		{ 0, "sam", true, 0, LB_OK, "" },
		{ 1, "sam", true, 0, LB_OK, "" },
		{ 2, "sam", true, 0, LB_NOPERM, "only a manager reassigns leads (you are sales)" },
		{ 3, "sam", true, 0, LB_NOPERM, "only a manager" },
		{ 0, "ghost", false, 0, LB_NOINPUT, "'ghost' is not a board member" },
		{ 0, "sam", true, -1, LB_DATA, "'nobody' is not a board member" },
		{ 0, "sam", true, 2, LB_DATA, "maya is marketing; leads are assigned to sales reps" },
		{ 0, "sam", true, 3, LB_DATA, "sara is disabled" },
		{ 0, "sam", true, 1, LB_DATA, "--from and --to both name sam" },
	};
	const struct lb_user *actors[] = { &mona, &root, &sam, &maya };

	(void)state;
	off.disabled = true;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		const struct lb_user *tos[] = { &sara, &sam, &maya, &off };
		struct rules_request rq = { .action = RULES_REASSIGN, .from_login = table[i].from,
					    .from_member = table[i].from_member,
					    .assignee_login = "nobody" };
		struct rules_verdict v;

		if (table[i].to >= 0)
			rq.assignee = tos[table[i].to];
		v = rules_ask(&board, &settings, actors[table[i].actor], NULL, &rq);
		if (v.status != table[i].expect || !strstr(v.message, table[i].why))
			fprintf(stderr, "# row %zu: got %d '%s'\n", i, v.status, v.message);
		assert_int_equal(v.status, table[i].expect);
		assert_non_null(strstr(v.message, table[i].why));
		if (v.status == LB_OK)
			assert_int_equal(v.kind, EV_ASSIGN);
	}
}

/* A note: any member, any lead, with text; release: the owner, open in sales. */
static void test_note_and_release(void **state)
{
	struct lb_user sam = user("sam", ROLE_SALES), mona = user("mona", ROLE_MANAGER);
	struct lead lead = sample_lead("sql");
	struct rules_request note = { .action = RULES_NOTE };
	struct rules_request release = { .action = RULES_RELEASE };
	struct rules_verdict v;

	(void)state;
	v = ask(&sam, &lead, note);
	assert_int_equal(v.status, LB_DATA);
	assert_string_equal(v.message, "a note needs some text");
	note.note_given = true;
	assert_int_equal(ask(&sam, &lead, note).kind, EV_NOTE);
	assert_int_equal(ask(&mona, &lead, note).status, LB_OK);
	v = ask(&sam, &lead, release);
	assert_string_equal(v.message, "lead 3f2a9c1e (Ana García) has no owner; there is nothing to release");
	snprintf(lead.owner, sizeof lead.owner, "sam");
	v = ask(&sam, &lead, release);
	assert_int_equal(v.status, LB_OK);
	assert_int_equal(v.kind, EV_RELEASE);
	v = ask(&mona, &lead, release);
	assert_int_equal(v.status, LB_NOPERM);
	assert_string_equal(v.message, "lead 3f2a9c1e (Ana García) is owned by sam; only sam can release it (a "
				       "manager assigns it to someone else)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_move_table),
		cmocka_unit_test(test_refusal_words),
		cmocka_unit_test(test_personal_ownership),
		cmocka_unit_test(test_override_needs_note),
		cmocka_unit_test(test_gate),
		cmocka_unit_test(test_gate_values),
		cmocka_unit_test(test_handoff_limit),
		cmocka_unit_test(test_claim),
		cmocka_unit_test(test_assign),
		cmocka_unit_test(test_discard_restore_add_edit),
		cmocka_unit_test(test_admin_only),
		cmocka_unit_test(test_demo),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_clocks),
		cmocka_unit_test(test_custom_stages),
		cmocka_unit_test(test_ahead_table),
		cmocka_unit_test(test_ahead_and_details),
		cmocka_unit_test(test_add_imports),
		cmocka_unit_test(test_ready_for_handoff),
		cmocka_unit_test(test_who_sees_what),
		cmocka_unit_test(test_last_admin),
		cmocka_unit_test(test_sla_pieces),
		cmocka_unit_test(test_stage_place),
		cmocka_unit_test(test_change_between),
		cmocka_unit_test(test_touch),
		cmocka_unit_test(test_min_attempts),
		cmocka_unit_test(test_route_eligible),
		cmocka_unit_test(test_route_pick),
		cmocka_unit_test(test_route_on_handoff),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_business_clocks),
		cmocka_unit_test(test_due_and_escalated),
		cmocka_unit_test(test_idle_days),
		cmocka_unit_test(test_member_routing),
		cmocka_unit_test(test_merge_table),
		cmocka_unit_test(test_merge_owners_and_words),
		cmocka_unit_test(test_merged_lead_refuses),
		cmocka_unit_test(test_duplicate_email),
		cmocka_unit_test(test_gate_countries_by_code),
		cmocka_unit_test(test_setting_normalize),
		cmocka_unit_test(test_merge_note),
		cmocka_unit_test(test_undo),
		cmocka_unit_test(test_lead_label),
		cmocka_unit_test(test_reassign),
		cmocka_unit_test(test_note_and_release),
	};
	return cmocka_run_group_tests_name("rules", tests, setup, NULL);
}
