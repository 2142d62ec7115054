/*
 * test_rules.c - the rule book as a table.
 *
 * Every role x every from stage x every to stage x reason given or not x
 * override or not, on the default board, with a lead that meets the gate,
 * has been handed off fewer times than the limit and has no owner. The
 * expected verdicts are written out by hand from DESIGN.md, not computed.
 * Further tables cover ownership, the gate, the handoff limit, claims,
 * assignments, discards, restores, adds, edits, settings and the clocks.
 */
#include "testlib.h"

#include "leadboard/rules.h"

static struct lb_board board;
static struct rules_settings settings;

static void default_board(struct lb_board *b)
{
	static const struct lb_stage stages[] = {
		{ "lead", "Lead", TEAM_MARKETING, 10, false },
		{ "mql", "MQL", TEAM_MARKETING, 20, false },
		{ "sql", "SQL", TEAM_SALES, 30, false },
		{ "opportunity", "Opportunity", TEAM_SALES, 40, false },
		{ "customer", "Customer", TEAM_SALES, 50, true },
	};
	memset(b, 0, sizeof *b);
	for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++)
		b->stages[b->count++] = stages[i];
}

static int setup(void **state)
{
	(void)state;
	default_board(&board);
	rules_settings_defaults(&settings);
	return 0;
}

static struct lead sample_lead(const char *stage)
{
	struct lead lead;

	lead_init(&lead);
	snprintf(lead.id, sizeof lead.id, "3f2a9c1e-0000-4000-8000-000000000001");
	snprintf(lead.name, sizeof lead.name, "Ana García");
	snprintf(lead.email, sizeof lead.email, "ana@acme.example");
	snprintf(lead.company, sizeof lead.company, "Acme");
	snprintf(lead.stage, sizeof lead.stage, "%s", stage);
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
				rules_check_move(&board, &settings, &actor, &lead, c->to, &req);
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
	v = rules_check_move(&board, &settings, &maya, &lead, "opportunity", &none);
	assert_string_equal(v.message,
			    "lead 3f2a9c1e is in SQL, owned by sales; marketing cannot move it");
	v = rules_check_move(&board, &settings, &maya, &lead, "nowhere", &none);
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
			rules_check_move(&board, &settings, &actor, &lead, "opportunity", &req);
		assert_int_equal(letter(&v), table[i].expect);
		if (table[i].expect == 'O')
			assert_string_equal(v.overridden, "lead 3f2a9c1e is owned by sam; only sam or "
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
	v = rules_check_move(&board, &settings, &mona, &lead, "sql", &req);
	assert_int_equal(v.status, LB_DATA);
	assert_non_null(strstr(v.message, "justification"));
	/* an override of a legal move sets no rule aside; of a gate, names it */
	req.note_given = true;
	v = rules_check_move(&board, &settings, &mona, &lead, "sql", &req);
	assert_int_equal(v.kind, EV_OVERRIDE);
	assert_int_equal(v.crossing, CROSS_HANDOFF);
	assert_string_equal(v.overridden, "");
	lead.company[0] = '\0';
	v = rules_check_move(&board, &settings, &mona, &lead, "sql", &req);
	assert_int_equal(v.kind, EV_OVERRIDE);
	assert_string_equal(v.overridden,
			    "lead 3f2a9c1e does not meet the handoff gate: company missing");
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
	struct rules_verdict v = rules_check_move(&board, &s, &maya, &lead, "sql", &none);
	assert_int_equal(v.status, LB_DATA);
	assert_string_equal(v.message, "lead 3f2a9c1e does not meet the handoff gate: title "
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
		struct rules_verdict v = rules_check_move(&board, &s, &maya, &lead, "sql", &none);
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
		struct rules_verdict v = rules_check_claim(&board, &s, &actor, &lead, table[i].open);
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
		struct rules_verdict v = rules_check_assign(&board, &actor, &lead, "someone",
							    who[table[i].who]);
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
		struct rules_request req = { .reason_given = table[i].reason };
		assert_int_equal(rules_check_discard(&board, &actor, &lead, &req).status,
				 table[i].discard);
		assert_int_equal(rules_check_restore(&actor, &lead).status, table[i].restore);
		assert_int_equal(rules_check_add(&board, &actor, table[i].stage).status,
				 table[i].add);
		assert_int_equal(rules_check_edit(&board, &actor, &lead).status, table[i].edit);
	}
	/* a rep edits only leads nobody else owns */
	struct lb_user sara = user("sara", ROLE_SALES);
	struct lead owned = sample_lead("sql");
	snprintf(owned.owner, sizeof owned.owner, "sam");
	assert_int_equal(rules_check_edit(&board, &sara, &owned).status, LB_NOPERM);
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
	struct lb_stage subscriber = { "subscriber", "Subscriber", TEAM_MARKETING, 5, false };
	struct lb_user maya = user("maya", ROLE_MARKETING);
	struct rules_request none = { 0 };
	struct lead lead = sample_lead("subscriber");

	(void)state;
	default_board(&b);
	memmove(&b.stages[1], &b.stages[0], sizeof b.stages[0] * (size_t)b.count);
	b.stages[0] = subscriber;
	b.count++;
	struct rules_verdict v = rules_check_move(&b, &settings, &maya, &lead, "lead", &none);
	assert_int_equal(letter(&v), 'M');
	assert_int_equal(rules_check_move(&b, &settings, &maya, &lead, "sql", &none).status,
			 LB_DATA);
	lead = sample_lead("mql");
	assert_int_equal(rules_check_move(&b, &settings, &maya, &lead, "sql", &none).kind,
			 EV_HANDOFF);
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
	};
	return cmocka_run_group_tests_name("rules", tests, setup, NULL);
}
