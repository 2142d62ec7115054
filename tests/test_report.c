/*
 * test_report.c - the report against an independent computation.
 *
 * A random history is played through the door with a test clock: adds,
 * moves, handoffs, claims, assignments, pass-backs, discards, restores,
 * overrides, edits, notes, releases, undos and merges, contact attempts,
 * reps away and back, and (on some seeds, with routing on) routed handoffs
 * and the sweep's escalations, reclaims and routing, by the roles that make
 * them (the rules refuse some; those write nothing and are not part of the
 * history). An undo and the event it reverses count for nothing. The test
 * keeps its own record of what succeeded and computes every figure from
 * that record with plain loops over leads, and over the groups of leads
 * merges join (a group counts once, as the lead at its root);
 * report_compute() reads the database. They must agree, for several seeds
 * and several periods.
 */
#include <math.h>
#include <time.h>

#include "testlib.h"
#include "leadboard/report.h"

#define LEADS_MAX 300
#define EVENTS_MAX 6000
#define NO_STAGE (-3)
#define DISCARDED (-1)
#define MERGED (-4)
#define HOUR_MS 3600000LL

struct model_event {
	int64_t at;
	char actor[LB_KEY_MAX + 1];
	int lead;
	enum lb_event_kind kind;
	int from, to;                 /* stage index, DISCARDED, MERGED or NO_STAGE */
	char reason[LB_KEY_MAX + 1];
	char assignee[LB_KEY_MAX + 1];  /* assign: the rep; reclaim: the rep it was taken from */
	bool routed;                    /* assign: routing's */
	bool no_rep;                    /* handoff: routing found nobody */
	int keep;                       /* a merge: the lead kept; else -1 */
	int64_t undone_at;            /* an undo reversed it then; 0: never */
};

struct model {
	struct model_event events[EVENTS_MAX];
	int count;
	char ids[LEADS_MAX][LB_ID_LEN + 1];
	int stage[LEADS_MAX];
	int leads;
	struct lb_board board;
	struct rules_settings settings;
	uint64_t random;
	bool routing;                 /* round-robin on */
};

static int64_t clock_now;

static bool is_handoff(const struct model *m, const struct model_event *e);
static void touch(struct testdb *t, struct model *m, int lead);

static int64_t test_clock(void)
{
	return clock_now;
}

static unsigned pick(struct model *m, unsigned n)
{
	m->random ^= m->random << 13;
	m->random ^= m->random >> 7;
	m->random ^= m->random << 17;
	return (unsigned)(m->random % n);
}

static const char *const marketers[] = { "maya", "marco" };
static const char *const reps[] = { "sam", "sara" };
static const char *const reasons[] = { "not-ready", "no-budget", "bad-fit", "no-response" };

static void record(struct model *m, const char *actor, int lead, enum lb_event_kind kind,
		   int from, int to, const char *reason, const char *assignee)
{
	struct model_event *e = &m->events[m->count++];

	assert_true(m->count <= EVENTS_MAX);
	memset(e, 0, sizeof *e);
	e->at = clock_now;
	snprintf(e->actor, sizeof e->actor, "%s", actor);
	e->lead = lead;
	e->kind = kind;
	e->from = from;
	e->to = to;
	snprintf(e->reason, sizeof e->reason, "%s", reason ? reason : "");
	snprintf(e->assignee, sizeof e->assignee, "%s", assignee ? assignee : "");
	e->keep = -1;
	if (to != NO_STAGE)
		m->stage[lead] = to;
}

static enum lb_team team(const struct model *m, int stage)
{
	return stage >= 0 ? m->board.stages[stage].team : TEAM_NONE;
}

/* The kind the door logs for a move: decided here from the teams alone. */
static enum lb_event_kind move_kind(const struct model *m, int from, int to, bool override)
{
	if (override)
		return EV_OVERRIDE;
	if (team(m, from) == TEAM_MARKETING && team(m, to) == TEAM_SALES)
		return EV_HANDOFF;
	if (team(m, from) == TEAM_SALES && team(m, to) == TEAM_MARKETING)
		return EV_PASSBACK;
	return EV_MOVE;
}

static struct door *as(struct testdb *t, const char *login)
{
	struct door *door = testdb_door(t, login);

	door_set_clock(door, test_clock);
	return door;
}

static void add(struct testdb *t, struct model *m)
{
	struct door *door;
	struct lead lead;
	bool rep = pick(m, 100) < 15;
	const char *actor = rep ? reps[pick(m, 2)] : marketers[pick(m, 2)];
	int stage = rep ? 2 : (int)pick(m, 2);

	if (m->leads == LEADS_MAX)
		return;
	lead_init(&lead);
	snprintf(lead.name, sizeof lead.name, "Lead %d", m->leads);
	snprintf(lead.email, sizeof lead.email, "lead%d@example.com", m->leads);
	if (pick(m, 100) < 85)
		snprintf(lead.company, sizeof lead.company, "Company %d", m->leads % 17);
	lead.score = (int)pick(m, 101);
	snprintf(lead.stage, sizeof lead.stage, "%s", m->board.stages[stage].key);
	door = as(t, actor);
	if (door_add(door, &lead) != LB_OK)
		return;
	memcpy(m->ids[m->leads], lead.id, sizeof lead.id);
	record(m, actor, m->leads++, EV_CREATE, NO_STAGE, stage, NULL, NULL);
}

/* The lead's owner now, as the board has it: who acts for it. */
static void owner_of(struct testdb *t, const struct model *m, int lead, char *out)
{
	struct lead l;

	assert_int_equal(store_get_lead(t->store, m->ids[lead], &l), LB_OK);
	memcpy(out, l.owner, sizeof l.owner);
}

/* A routed handoff writes its assign in the same change. */
static void record_routing(struct testdb *t, struct model *m, const char *actor, int lead)
{
	char owner[LB_KEY_MAX + 1];
	struct model_event *h = &m->events[m->count - 1];

	if (!m->routing || !is_handoff(m, h))
		return;
	owner_of(t, m, lead, owner);
	if (!owner[0]) {
		h->no_rep = true;
		return;
	}
	record(m, actor, lead, EV_ASSIGN, m->stage[lead], m->stage[lead], NULL, owner);
	m->events[m->count - 1].routed = true;
}

static void move(struct testdb *t, struct model *m, const char *actor, int lead, int to,
		 const char *reason, bool override)
{
	struct door *door;
	int from = m->stage[lead];

	door = as(t, actor);
	if (door_move(door, m->ids[lead], m->board.stages[to].key, reason,
		      override ? "the business needs it" : NULL, override, DOOR_ANY_VERSION) != LB_OK)
		return;
	record(m, actor, lead, move_kind(m, from, to, override), from, to, reason, NULL);
	record_routing(t, m, actor, lead);
	/* a handoff is often answered within minutes */
	if (is_handoff(m, &m->events[m->count - 1 - m->events[m->count - 1].routed]) &&
	    pick(m, 100) < 30) {
		clock_now += pick(m, 2) ? (1 + (int64_t)pick(m, 10)) * 30000
					: (1 + (int64_t)pick(m, 120)) * 60000;
		touch(t, m, lead);
	}
}

/* A contact attempt by the lead's owner, now and then by the manager. */
static void touch(struct testdb *t, struct model *m, int lead)
{
	static const char *const channels[] = { "call", "email", "meeting", "other" };
	char owner[LB_KEY_MAX + 1];
	const char *who;

	owner_of(t, m, lead, owner);
	who = owner[0] && pick(m, 100) < 85 ? owner : "mona";
	if (door_touch(as(t, who), m->ids[lead], channels[pick(m, 4)], NULL, 0,
		       DOOR_ANY_VERSION) == LB_OK)
		record(m, who, lead, EV_CONTACT, m->stage[lead], m->stage[lead], NULL, NULL);
}

/* The sweep on one lead: the rules decide whether it broke the SLA. */
static void sweep(struct testdb *t, struct model *m, int lead)
{
	struct door *door = door_open_system(t->store, "root");
	struct door_sweep_result result;
	int at = m->stage[lead];

	door_set_clock(door, test_clock);
	assert_int_equal(door_sweep_lead(door, m->ids[lead], &result), LB_OK);
	door_close(door);
	switch (result.action) {
	case SWEEP_RECLAIMED:
		record(m, "leadboard", lead, EV_RECLAIM, at, at, "sla-breach", result.from);
		break;
	case SWEEP_ESCALATED:
		record(m, "leadboard", lead, EV_ESCALATE, at, at, NULL, NULL);
		break;
	default:
		break;
	}
	if (result.to[0]) {
		record(m, "leadboard", lead, EV_ASSIGN, at, at, NULL, result.to);
		m->events[m->count - 1].routed = true;
	}
}

/* A rep goes away or comes back (routing passes over the away). */
static void away(struct testdb *t, struct model *m)
{
	enum lb_status st = door_user_set_away(as(t, "mona"), reps[pick(m, 2)], pick(m, 2), 0);

	/* away when away already (or back when back) changes nothing: refused */
	assert_true(st == LB_OK || st == LB_DATA);
}

static void claim(struct testdb *t, struct model *m, int lead)
{
	struct door *door;
	const char *rep = reps[pick(m, 2)];

	door = as(t, rep);
	if (door_claim(door, m->ids[lead], DOOR_ANY_VERSION) == LB_OK)
		record(m, rep, lead, EV_CLAIM, m->stage[lead], m->stage[lead], NULL, NULL);
}

static void assign(struct testdb *t, struct model *m, int lead)
{
	struct door *door;
	const char *rep = reps[pick(m, 2)];

	door = as(t, "mona");
	if (door_assign(door, m->ids[lead], rep, DOOR_ANY_VERSION) == LB_OK)
		record(m, "mona", lead, EV_ASSIGN, m->stage[lead], m->stage[lead], NULL, rep);
}

static void discard(struct testdb *t, struct model *m, int lead)
{
	struct door *door;
	const char *who = marketers[pick(m, 2)];
	const char *reason = reasons[pick(m, 4)];

	door = as(t, who);
	if (door_discard(door, m->ids[lead], reason, NULL, DOOR_ANY_VERSION) == LB_OK)
		record(m, who, lead, EV_DISCARD, m->stage[lead], DISCARDED, reason, NULL);
}

static void restore(struct testdb *t, struct model *m, int lead)
{
	struct door *door;
	const char *who = marketers[pick(m, 2)];

	door = as(t, who);
	if (door_restore(door, m->ids[lead], DOOR_ANY_VERSION) == LB_OK)
		record(m, who, lead, EV_RESTORE, DISCARDED, 0, NULL, NULL);
}

static void edit(struct testdb *t, struct model *m, int lead, const char *who)
{
	struct door *door;
	struct lead changes;

	lead_init(&changes);
	changes.score = (int)pick(m, 101);
	door = as(t, who);
	if (door_edit(door, m->ids[lead], &changes, FIELD_SCORE, DOOR_ANY_VERSION) == LB_OK)
		record(m, who, lead, EV_EDIT, m->stage[lead], m->stage[lead], NULL, NULL);
}

/* Someone tries to merge other into keep: a manager, or a member of the
 * team that works other's stage (the rules refuse what they may not). */
static void merge_leads(struct testdb *t, struct model *m, int other, int keep)
{
	const char *who = pick(m, 3) == 0 ? "mona"
			  : m->stage[other] <= 1 ? marketers[pick(m, 2)] : reps[pick(m, 2)];
	struct door *door = as(t, who);

	if (door_merge(door, m->ids[keep], m->ids[other], NULL, DOOR_ANY_VERSION,
		       DOOR_ANY_VERSION) != LB_OK)
		return;
	record(m, who, other, EV_MERGE, m->stage[other], MERGED, NULL, NULL);
	m->events[m->count - 1].keep = keep;
}

static void note(struct testdb *t, struct model *m, int lead, const char *who)
{
	if (door_note(as(t, who), m->ids[lead], "called; back Monday", DOOR_ANY_VERSION) == LB_OK)
		record(m, who, lead, EV_NOTE, m->stage[lead], m->stage[lead], NULL, NULL);
}

static void release(struct testdb *t, struct model *m, int lead)
{
	const char *rep = reps[pick(m, 2)];

	if (door_release(as(t, rep), m->ids[lead], DOOR_ANY_VERSION) == LB_OK)
		record(m, rep, lead, EV_RELEASE, m->stage[lead], m->stage[lead], NULL, NULL);
}

static bool enters(const struct model_event *e);

/* The author of the lead's newest event takes it back (the rules refuse a
 * create, an undo, or one past undo_minutes). */
static void undo(struct testdb *t, struct model *m, int lead)
{
	struct model_event *last = NULL;
	int64_t undone;

	for (int i = m->count - 1; i >= 0 && !last; i--)
		if (m->events[i].lead == lead)
			last = &m->events[i];
	/* the sweep ("leadboard") is no member who could undo */
	if (!last || strcmp(last->actor, "leadboard") == 0 ||
	    door_undo(as(t, last->actor), m->ids[lead], 0, &undone) != LB_OK)
		return;
	assert_true(last->kind != EV_CREATE && last->kind != EV_UNDO);
	last->undone_at = clock_now;
	/* the lead is back where it was: a stage change's from */
	record(m, last->actor, lead, EV_UNDO, m->stage[lead],
	       enters(last) ? last->from : m->stage[lead], NULL, NULL);
}

static void override(struct testdb *t, struct model *m, int lead)
{
	int to = (int)pick(m, (unsigned)m->board.count);

	if (to != m->stage[lead])
		move(t, m, "mona", lead, to, pick(m, 2) ? reasons[pick(m, 4)] : NULL, true);
}

/* One step of the story: time passes, then someone tries something. */
static void step(struct testdb *t, struct model *m)
{
	unsigned roll = pick(m, 100);
	const char *rep = reps[pick(m, 2)], *marketer = marketers[pick(m, 2)];
	int lead;

	/* 30 s to 5 min now and then (contact within minutes), else 1 min to 10 h */
	if (pick(m, 100) < 20)
		clock_now += (1 + (int64_t)pick(m, 10)) * 30000;
	else
		clock_now += (1 + (int64_t)pick(m, 600)) * 60000;
	if (!m->leads || pick(m, 100) < 12) {
		add(t, m);
		return;
	}
	lead = (int)pick(m, (unsigned)m->leads);
	if (m->routing && pick(m, 100) < 6) {
		away(t, m);
		return;
	}
	if ((m->stage[lead] == 2 || m->stage[lead] == 3) && pick(m, 100) < 25) {
		touch(t, m, lead);
		return;
	}
	if (m->routing && m->stage[lead] == 2 && pick(m, 100) < 25) {
		sweep(t, m, lead);
		return;
	}
	if (pick(m, 100) < 8) {
		/* a lead just changed: its change is the one in the undo window */
		undo(t, m, m->events[m->count - 1 - (int)pick(m, m->count < 3 ? 1 : 3)].lead);
		return;
	}
	if (m->stage[lead] == MERGED)
		return;
	if (pick(m, 100) < 4) {
		note(t, m, lead, pick(m, 2) ? rep : marketer);
		return;
	}
	if (m->leads > 2 && roll < 6) {
		int keep = (int)pick(m, (unsigned)m->leads);
		if (keep != lead && m->stage[keep] >= 0 && m->stage[lead] >= 0)
			merge_leads(t, m, lead, keep);
		return;
	}
	switch (m->stage[lead]) {
	case 0:
		if (roll < 60) move(t, m, marketer, lead, 1, NULL, false);
		else if (roll < 72) discard(t, m, lead);
		else if (roll < 82) override(t, m, lead);
		else edit(t, m, lead, marketer);
		break;
	case 1:
		if (roll < 55) move(t, m, marketer, lead, 2, NULL, false);
		else if (roll < 65) move(t, m, marketer, lead, 0, reasons[pick(m, 4)], false);
		else if (roll < 75) discard(t, m, lead);
		else if (roll < 85) override(t, m, lead);
		else edit(t, m, lead, marketer);
		break;
	case 2:
		if (roll < 30) claim(t, m, lead);
		else if (roll < 40) assign(t, m, lead);
		else if (roll < 65) move(t, m, rep, lead, 3, NULL, false);
		else if (roll < 85) move(t, m, rep, lead, (int)pick(m, 2), reasons[pick(m, 4)], false);
		else if (roll < 88) override(t, m, lead);
		else if (roll < 93) release(t, m, lead);
		else edit(t, m, lead, rep);
		break;
	case 3:
		if (roll < 35) move(t, m, rep, lead, 4, NULL, false);
		else if (roll < 55) move(t, m, rep, lead, 2, reasons[pick(m, 4)], false);
		else if (roll < 75) move(t, m, rep, lead, 1, reasons[pick(m, 4)], false);
		else if (roll < 85) assign(t, m, lead);
		else override(t, m, lead);
		break;
	case 4:
		if (roll < 30) override(t, m, lead);
		break;
	default:   /* discarded */
		if (roll < 60) restore(t, m, lead);
		break;
	}
}

/* ---- the figures, computed from the model ------------------------------------------ */

static bool in_period(int64_t at, int64_t since, int64_t until)
{
	return at >= since && at < until;
}

static bool enters(const struct model_event *e)
{
	return e->to != NO_STAGE && e->kind != EV_CLAIM && e->kind != EV_ASSIGN &&
	       e->kind != EV_EDIT && e->kind != EV_NOTE && e->kind != EV_RELEASE &&
	       e->kind != EV_UNDO && e->kind != EV_CONTACT && e->kind != EV_ESCALATE &&
	       e->kind != EV_RECLAIM;
}

/* Whether e is part of the history a report up to until reads: not an
 * undo, not undone before until. */
static bool counts(const struct model_event *e, int64_t until)
{
	return e->kind != EV_UNDO && !(e->undone_at && e->undone_at < until);
}

static bool is_handoff(const struct model *m, const struct model_event *e)
{
	return e->kind == EV_HANDOFF || (e->kind == EV_OVERRIDE && team(m, e->from) == TEAM_MARKETING &&
					 team(m, e->to) == TEAM_SALES);
}

static bool is_passback(const struct model *m, const struct model_event *e)
{
	return e->kind == EV_PASSBACK || (e->kind == EV_OVERRIDE && team(m, e->from) == TEAM_SALES &&
					  team(m, e->to) == TEAM_MARKETING);
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest rank over a sorted copy. */
static int64_t nearest_rank(int64_t *v, int n, int p)
{
	int rank;

	if (!n)
		return -1;
	qsort(v, (size_t)n, sizeof *v, cmp64);
	rank = (n * p + 99) / 100;
	return v[(rank ? rank : 1) - 1];
}

/* The merges before until: each lead's merge event (-1: none) and the lead
 * it went into. */
struct joins {
	int merge_at[LEADS_MAX];
	int keep[LEADS_MAX];
};

static void joins_at(const struct model *m, int64_t until, struct joins *j)
{
	for (int l = 0; l < m->leads; l++)
		j->merge_at[l] = j->keep[l] = -1;
	for (int i = 0; i < m->count && m->events[i].at < until; i++) {
		if (m->events[i].kind == EV_MERGE) {
			j->merge_at[m->events[i].lead] = i;
			j->keep[m->events[i].lead] = m->events[i].keep;
		}
	}
}

/* The lead a group of merged leads counts as: where the merges end. */
static int root_of(const struct joins *j, int l)
{
	while (j->merge_at[l] >= 0)
		l = j->keep[l];
	return l;
}

/* Whether lead y's history is part of lead x's by event index before: y is
 * x, or y's merges reach x, each before that event. */
static bool joined(const struct joins *j, int y, int x, int before)
{
	while (y != x) {
		if (j->merge_at[y] < 0 || j->merge_at[y] >= before)
			return false;
		y = j->keep[y];
	}
	return true;
}

/* Each lead's stage at until. */
static void stages_at(const struct model *m, int64_t until, int stage[LEADS_MAX])
{
	for (int l = 0; l < m->leads; l++)
		stage[l] = NO_STAGE;
	for (int i = 0; i < m->count; i++)
		if (m->events[i].at < until && enters(&m->events[i]) && counts(&m->events[i], until))
			stage[m->events[i].lead] = m->events[i].to;
}

static void check_funnel(const struct model *m, const struct report *r, int64_t since,
			 int64_t until)
{
	static int64_t stays[LB_MAX_STAGES][EVENTS_MAX];
	static struct joins j;
	int stay_count[LB_MAX_STAGES] = { 0 };
	int64_t created[LB_MAX_STAGES] = { 0 }, now[LB_MAX_STAGES] = { 0 };
	int64_t entered[LB_MAX_STAGES] = { 0 }, reached[LB_MAX_STAGES] = { 0 }, discarded = 0;
	int64_t merged = 0, merges = 0, created_all = 0;

	joins_at(m, until, &j);
	for (int l = 0; l < m->leads; l++) {
		int stage = NO_STAGE;
		int64_t entered_at = 0;

		for (int i = 0; i < m->count; i++) {
			const struct model_event *e = &m->events[i];
			if (e->lead != l || e->at >= until || !enters(e) || !counts(e, until))
				continue;
			/* a lead merged into another counts as that one */
			if (e->kind == EV_CREATE && in_period(e->at, since, until) &&
			    j.merge_at[l] < 0) {
				created[e->to]++;
				created_all++;
			}
			/* leaving for a merge ends no stay */
			if (stage >= 0 && e->kind != EV_CREATE && e->kind != EV_MERGE &&
			    in_period(e->at, since, until))
				stays[stage][stay_count[stage]++] = e->at - entered_at;
			stage = e->to;
			entered_at = e->at;
		}
		if (stage >= 0)
			now[stage]++;
		else if (stage == DISCARDED)
			discarded++;
		else if (stage == MERGED)
			merged++;
	}
	/* distinct leads: a group of merged leads once, by its root */
	for (int root = 0; root < m->leads; root++) {
		if (j.merge_at[root] >= 0)
			continue;
		for (int s = 0; s < m->board.count; s++) {
			bool in = false, on = false;
			for (int x = 0; x < m->leads && !on; x++) {
				int first = -1;
				if (root_of(&j, x) != root)
					continue;
				for (int i = 0; i < m->count && first < 0; i++) {
					const struct model_event *e = &m->events[i];
					if (e->lead == x && enters(e) && counts(e, until) &&
					    e->to == s && in_period(e->at, since, until))
						first = i;
				}
				if (first < 0)
					continue;
				in = true;
				/* later, a later stage: x's own, or that of a lead x was
				 * merged into, after the merge */
				for (int i = first + 1; i < m->count && !on; i++) {
					const struct model_event *e = &m->events[i];
					on = e->at < until && enters(e) && counts(e, until) &&
					     e->to > s && joined(&j, x, e->lead, i);
				}
			}
			entered[s] += in;
			reached[s] += on;
		}
	}
	for (int i = 0; i < m->count; i++)
		merges += m->events[i].kind == EV_MERGE && in_period(m->events[i].at, since, until);
	for (int s = 0; s < m->board.count; s++) {
		assert_int_equal(r->stages[s].created, created[s]);
		assert_int_equal(r->stages[s].now, now[s]);
		assert_int_equal(r->stages[s].entered, entered[s]);
		assert_int_equal(r->stages[s].reached_next, reached[s]);
		if (s < m->board.count - 1 && entered[s])
			assert_true(fabs(r->stages[s].conversion - (double)reached[s] / (double)entered[s]) < 1e-12);
		else
			assert_true(r->stages[s].conversion < 0);
		assert_int_equal(r->stages[s].stays, stay_count[s]);
		assert_int_equal(r->stages[s].median_ms, nearest_rank(stays[s], stay_count[s], 50));
		assert_int_equal(r->stages[s].p90_ms, nearest_rank(stays[s], stay_count[s], 90));
	}
	assert_int_equal(r->created, created_all);
	assert_int_equal(r->discarded_now, discarded);
	assert_int_equal(r->merged_now, merged);
	assert_int_equal(r->merges, merges);
}

/* A handoff (event i, of lead x) of a recycled lead: a pass-back before it
 * (not undone before until), of x or of a lead merged into x before it. */
static bool handed_off_again(const struct model *m, const struct joins *j, int i, int64_t until)
{
	int x = m->events[i].lead;

	for (int k = 0; k < i; k++)
		if (is_passback(m, &m->events[k]) && counts(&m->events[k], until) &&
		    joined(j, m->events[k].lead, x, i))
			return true;
	return false;
}

static void check_crossings(const struct model *m, const struct report *r, int64_t since,
			    int64_t until)
{
	static struct joins j;
	static int stage[LEADS_MAX];
	int64_t handoffs = 0, passbacks = 0, by_override = 0, by_reason[5] = { 0 };
	int64_t again = 0, again_back = 0, again_now[LB_MAX_STAGES] = { 0 }, again_gone = 0;

	for (int i = 0; i < m->count; i++) {
		const struct model_event *e = &m->events[i];
		if (!in_period(e->at, since, until) || !counts(e, until))
			continue;
		if (is_handoff(m, e)) {
			handoffs++;
			by_override += e->kind == EV_OVERRIDE;
		}
		if (is_passback(m, e)) {
			passbacks++;
			for (int k = 0; k < 4; k++)
				by_reason[k] += strcmp(e->reason, reasons[k]) == 0;
			by_reason[4] += !e->reason[0];
		}
	}
	assert_int_equal(r->handoffs, handoffs);
	assert_int_equal(r->passbacks, passbacks);
	assert_int_equal(r->override_handoffs, by_override);
	if (handoffs)
		assert_true(fabs(r->passback_rate - (double)passbacks / (double)handoffs) < 1e-12);
	for (int k = 0; k < 5; k++) {
		int64_t got = 0;
		for (int i = 0; i < r->reason_count; i++)
			if (strcmp(r->reasons[i].code, k < 4 ? reasons[k] : "") == 0)
				got = r->reasons[i].count;
		assert_int_equal(got, by_reason[k]);
	}
	for (int i = 1; i < r->reason_count; i++)
		assert_true(r->reasons[i - 1].count >= r->reasons[i].count);

	/* Recycled leads handed off again in the period, and what became of
	 * them: by group of merged leads, once each. */
	joins_at(m, until, &j);
	stages_at(m, until, stage);
	for (int root = 0; root < m->leads; root++) {
		bool found = false, back = false;
		if (j.merge_at[root] >= 0)
			continue;
		for (int i = 0; i < m->count && !back; i++) {
			const struct model_event *h = &m->events[i];
			if (!in_period(h->at, since, until) || !is_handoff(m, h) ||
			    !counts(h, until) || root_of(&j, h->lead) != root ||
			    !handed_off_again(m, &j, i, until))
				continue;
			found = true;
			/* passed back after that, by h's lead or one it was merged into */
			for (int p = i + 1; p < m->count && !back; p++)
				back = m->events[p].at < until && is_passback(m, &m->events[p]) &&
				       counts(&m->events[p], until) &&
				       joined(&j, h->lead, m->events[p].lead, p);
		}
		if (!found)
			continue;
		again++;
		again_back += back;
		if (stage[root] >= 0)
			again_now[stage[root]]++;
		else if (stage[root] == DISCARDED)
			again_gone++;
	}
	assert_int_equal(r->recycled.handed_off_again, again);
	assert_int_equal(r->recycled.passed_back_again, again_back);
	assert_int_equal(r->recycled.discarded, again_gone);
	for (int s = 0; s < m->board.count; s++)
		assert_int_equal(r->recycled.now[s], again_now[s]);
}

static void check_sla(const struct model *m, const struct report *r, int64_t since, int64_t until)
{
	static int64_t to_claim[EVENTS_MAX];
	int64_t limit = (int64_t)m->settings.sla_accept_hours * HOUR_MS;
	int64_t in_time = 0, late = 0, unclaimed = 0, pending = 0, overdue = 0, decided;
	int claimed = 0;

	for (int i = 0; i < m->count; i++) {
		const struct model_event *h = &m->events[i];
		int64_t claim_at = 0;
		bool ended = false;
		if (!in_period(h->at, since, until) || !is_handoff(m, h) || !counts(h, until))
			continue;
		for (int j = i + 1; j < m->count && m->events[j].at < until; j++) {
			const struct model_event *e = &m->events[j];
			if (e->lead != h->lead || !counts(e, until))
				continue;
			if (is_handoff(m, e)) {
				ended = true;
				break;
			}
			if ((e->kind == EV_CLAIM || e->kind == EV_ASSIGN) && !claim_at)
				claim_at = e->at;
			if (e->kind == EV_RELEASE)
				claim_at = 0;   /* the clock runs on from the handoff */
		}
		if (claim_at) {
			to_claim[claimed++] = claim_at - h->at;
			if (claim_at - h->at < limit)
				in_time++;
			else
				late++;
		} else if (ended || until - h->at >= limit) {
			unclaimed++;
		} else {
			pending++;
		}
	}
	assert_int_equal(r->sla.handoffs, in_time + late + unclaimed + pending);
	assert_int_equal(r->sla.in_time, in_time);
	assert_int_equal(r->sla.late, late);
	assert_int_equal(r->sla.unclaimed, unclaimed);
	assert_int_equal(r->sla.pending, pending);
	decided = in_time + late + unclaimed;
	if (decided)
		assert_true(fabs(r->sla.share_in_time - (double)in_time / (double)decided) < 1e-12);
	else
		assert_true(r->sla.share_in_time < 0);
	assert_int_equal(r->sla.median_to_claim_ms, nearest_rank(to_claim, claimed, 50));

	/* Overdue at until: in an open sales stage, handed off, nobody claimed since. */
	for (int l = 0; l < m->leads; l++) {
		int stage = NO_STAGE;
		int64_t handed_off = 0;
		bool owned = false;
		for (int i = 0; i < m->count; i++) {
			const struct model_event *e = &m->events[i];
			if (e->lead != l || e->at >= until || !counts(e, until))
				continue;
			if (enters(e))
				stage = e->to;
			if (is_handoff(m, e)) {
				handed_off = e->at;
				owned = false;
			}
			if (is_passback(m, e) || e->kind == EV_DISCARD || e->kind == EV_RELEASE ||
			    e->kind == EV_RECLAIM)
				owned = false;
			if (e->kind == EV_CLAIM || e->kind == EV_ASSIGN)
				owned = true;
		}
		if (stage >= 0 && team(m, stage) == TEAM_SALES && !m->board.stages[stage].terminal &&
		    handed_off && !owned && until - handed_off >= limit)
			overdue++;
	}
	assert_int_equal(r->sla.overdue_now, overdue);
}

static void check_people(const struct model *m, const struct report *r, int64_t since,
			 int64_t until)
{
	/* every member, and the sweep when it acted in the period, by login */
	static const char *const logins[] = { "leadboard", "marco", "maya", "mona", "root-admin",
					      "sam", "sara" };
	int64_t events = 0;
	bool swept = false;
	int first;

	for (int i = 0; i < m->count; i++)
		swept |= in_period(m->events[i].at, since, until) &&
			 strcmp(m->events[i].actor, "leadboard") == 0;
	first = swept ? 0 : 1;
	assert_int_equal(r->person_count, 7 - first);
	for (int p = first; p < 7; p++) {
		const struct report_person *person = &r->people[p - first];
		int64_t kinds[EV_COUNT] = { 0 }, assigned = 0;
		assert_string_equal(person->login, logins[p]);
		assert_int_equal(person->member, p > 0);
		for (int i = 0; i < m->count; i++) {
			const struct model_event *e = &m->events[i];
			if (!in_period(e->at, since, until) || !counts(e, until))
				continue;
			if (strcmp(e->actor, logins[p]) == 0)
				kinds[e->kind]++;
			if (e->kind == EV_ASSIGN && strcmp(e->assignee, logins[p]) == 0)
				assigned++;
		}
		for (int k = 0; k < EV_COUNT; k++)
			assert_int_equal(person->by_kind[k], kinds[k]);
		assert_int_equal(person->assigned, assigned);
	}
	for (int i = 0; i < m->count; i++)
		events += in_period(m->events[i].at, since, until) && counts(&m->events[i], until);
	assert_int_equal(r->events, events);
}

/* Speed to lead, by the definition in report.h, for one rep (NULL: all). */
struct speed_model {
	int64_t handoffs, buckets[SPEED_BUCKETS], median;
};

static void speed_model(const struct model *m, int64_t since, int64_t until, const char *rep,
			struct speed_model *out, int64_t late[], const char *const *logins,
			int nlogins)
{
	static int64_t times[EVENTS_MAX];
	int n = 0;

	memset(out, 0, sizeof *out);
	for (int i = 0; i < m->count; i++) {
		const struct model_event *h = &m->events[i];
		char owner[LB_KEY_MAX + 1] = "", whose[LB_KEY_MAX + 1] = "";
		char claimer[LB_KEY_MAX + 1] = "";
		int64_t contact = 0, claimed = 0;
		if (!in_period(h->at, since, until) || !is_handoff(m, h) || !counts(h, until))
			continue;
		for (int j = i + 1; j < m->count && m->events[j].at < until; j++) {
			const struct model_event *e = &m->events[j];
			if (e->lead != h->lead || !counts(e, until))
				continue;
			if (is_handoff(m, e))
				break;
			if (e->kind == EV_RELEASE) {
				owner[0] = '\0';
				claimed = 0;   /* only a claim that is kept ends the clock */
			} else if (e->kind == EV_CLAIM || e->kind == EV_ASSIGN) {
				snprintf(owner, sizeof owner, "%s",
					 e->kind == EV_CLAIM ? e->actor : e->assignee);
				if (!claimed) {
					claimed = e->at;
					snprintf(claimer, sizeof claimer, "%s", owner);
				}
				if (!contact)
					snprintf(whose, sizeof whose, "%s", owner);
			} else if (is_passback(m, e) || e->kind == EV_DISCARD ||
				   e->kind == EV_RECLAIM) {
				owner[0] = '\0';
			} else if (e->kind == EV_CONTACT && !contact) {
				contact = e->at;
				if (owner[0])
					snprintf(whose, sizeof whose, "%s", owner);
			}
		}
		if (late && claimed &&
		    claimed - h->at >= (int64_t)m->settings.sla_accept_hours * HOUR_MS)
			for (int k = 0; k < nlogins; k++)
				late[k] += strcmp(logins[k], claimer) == 0;
		if (rep && strcmp(rep, whose) != 0)
			continue;
		out->handoffs++;
		if (!contact) {
			out->buckets[SPEED_NEVER]++;
			continue;
		}
		times[n++] = contact - h->at;
		out->buckets[contact - h->at <= 5 * 60000LL ? SPEED_5_MIN
			     : contact - h->at <= HOUR_MS ? SPEED_1_HOUR
			     : contact - h->at <= 24 * HOUR_MS ? SPEED_1_DAY : SPEED_LATER]++;
	}
	out->median = nearest_rank(times, n, 50);
}

static void same_speed(const struct report_speed *got, const struct speed_model *want)
{
	assert_int_equal(got->handoffs, want->handoffs);
	for (int b = 0; b < SPEED_BUCKETS; b++)
		assert_int_equal(got->buckets[b], want->buckets[b]);
	assert_int_equal(got->median_ms, want->median);
}

/* The contact attempts on the lead of event i (a pass-back) since its last
 * handoff, or its start, in the history a report up to until reads. */
static int attempts_before(const struct model *m, int i, int64_t until)
{
	int n = 0;

	for (int j = i - 1; j >= 0; j--) {
		const struct model_event *b = &m->events[j];
		if (b->lead != m->events[i].lead || !counts(b, until))
			continue;
		if (is_handoff(m, b) || b->kind == EV_CREATE)
			break;
		n += b->kind == EV_CONTACT;
	}
	return n;
}

static void check_contact(const struct model *m, const struct report *r, int64_t since,
			  int64_t until)
{
	struct speed_model speed;
	int64_t routed = 0, no_rep = 0, escalated = 0, reclaimed = 0, passbacks = 0;
	int64_t attempts = 0, unattempted = 0;
	int64_t late[64] = { 0 };
	const char *logins[64];

	assert_true(r->person_count <= 64);
	for (int p = 0; p < r->person_count; p++)
		logins[p] = r->people[p].login;
	speed_model(m, since, until, NULL, &speed, late, logins, r->person_count);
	same_speed(&r->contact.speed, &speed);
	for (int p = 0; p < r->person_count; p++) {
		const struct report_person *person = &r->people[p];
		int64_t p_routed = 0, p_reclaimed = 0, p_passbacks = 0, p_attempts = 0;
		speed_model(m, since, until, person->login, &speed, NULL, NULL, 0);
		same_speed(&person->speed, &speed);
		assert_int_equal(person->late_claims, late[p]);
		for (int i = 0; i < m->count; i++) {
			const struct model_event *e = &m->events[i];
			if (!in_period(e->at, since, until) || !counts(e, until))
				continue;
			p_routed += e->kind == EV_ASSIGN && e->routed &&
				    strcmp(e->assignee, person->login) == 0;
			p_reclaimed += e->kind == EV_RECLAIM && strcmp(e->assignee, person->login) == 0;
			if (is_passback(m, e) && strcmp(e->actor, person->login) == 0) {
				p_passbacks++;
				p_attempts += attempts_before(m, i, until);
			}
		}
		assert_int_equal(person->routed, p_routed);
		assert_int_equal(person->reclaimed, p_reclaimed);
		assert_int_equal(person->passbacks, p_passbacks);
		assert_int_equal(person->passback_attempts, p_attempts);
	}
	for (int i = 0; i < m->count; i++) {
		const struct model_event *e = &m->events[i];
		if (!in_period(e->at, since, until) || !counts(e, until))
			continue;
		routed += e->kind == EV_ASSIGN && e->routed;
		no_rep += e->no_rep;
		escalated += e->kind == EV_ESCALATE;
		reclaimed += e->kind == EV_RECLAIM;
		if (is_passback(m, e)) {
			int n = attempts_before(m, i, until);
			passbacks++;
			attempts += n;
			unattempted += n == 0;
		}
	}
	assert_int_equal(r->contact.routed, routed);
	assert_int_equal(r->contact.no_rep, no_rep);
	assert_int_equal(r->contact.escalated, escalated);
	assert_int_equal(r->contact.reclaimed, reclaimed);
	assert_int_equal(r->contact.passbacks, passbacks);
	assert_int_equal(r->contact.passback_attempts, attempts);
	assert_int_equal(r->contact.passbacks_unattempted, unattempted);
	if (passbacks)
		assert_true(fabs(r->contact.attempts_per_passback -
				 (double)attempts / (double)passbacks) < 1e-12);
	else
		assert_true(r->contact.attempts_per_passback < 0);
}

static void check_sqls(const struct model *m, const struct report *r, int64_t since, int64_t until)
{
	int64_t total = 0;

	for (int i = 0; i < r->sqls.month_count; i++) {
		const struct report_month *month = &r->sqls.months_list[i];
		struct tm tm = { .tm_year = month->year - 1900, .tm_mon = month->month - 1, .tm_mday = 1 };
		int64_t from = (int64_t)timegm(&tm) * 1000, to;
		int64_t delivered = 0;
		tm.tm_mon++;
		to = (int64_t)timegm(&tm) * 1000;
		for (int j = 0; j < m->count; j++) {
			const struct model_event *e = &m->events[j];
			if (in_period(e->at, since, until) && e->at >= from && e->at < to &&
			    is_handoff(m, e) && counts(e, until))
				delivered++;
		}
		assert_int_equal(month->delivered, delivered);
		total += delivered;
	}
	assert_int_equal(total, r->handoffs);
	assert_int_equal(r->sqls.per_month, m->settings.sla_sqls_per_month);
}

/* The model and the database's log agree event for event. */
struct log_walk {
	const struct model *m;
	int next;
};

static int stage_of(const struct model *m, const char *key)
{
	if (!key[0])
		return NO_STAGE;
	if (strcmp(key, LB_DISCARDED) == 0)
		return DISCARDED;
	if (strcmp(key, LB_MERGED) == 0)
		return MERGED;
	return board_find(&m->board, key);
}

static int match_one(const struct lb_event *e, void *ctx)
{
	struct log_walk *w = ctx;
	const struct model_event *want;

	if (!e->lead_id[0])
		return 0;
	assert_true(w->next < w->m->count);
	want = &w->m->events[w->next++];
	assert_int_equal(e->at, want->at);
	assert_string_equal(e->kind, event_kind_name(want->kind));
	assert_string_equal(e->lead_id, w->m->ids[want->lead]);
	assert_string_equal(e->actor, want->actor);
	if (want->kind != EV_CREATE)
		assert_int_equal(stage_of(w->m, e->from_stage), want->from);
	assert_int_equal(stage_of(w->m, e->to_stage), want->to);
	return 0;
}

static void check_log_matches(struct testdb *t, const struct model *m)
{
	struct store_event_filter all = { 0 };
	struct log_walk walk = { m, 0 };

	assert_int_equal(store_events_each(t->store, &all, match_one, &walk), LB_OK);
	assert_int_equal(walk.next, m->count);
}

static void check_period(struct testdb *t, struct model *m, int64_t since, int64_t until)
{
	struct report r;

	assert_int_equal(report_compute(t->store, &m->board, &m->settings, since, until, clock_now,
					true, &r), LB_OK);
	check_funnel(m, &r, since, until);
	check_crossings(m, &r, since, until);
	check_sla(m, &r, since, until);
	check_people(m, &r, since, until);
	check_contact(m, &r, since, until);
	check_sqls(m, &r, since, until);
	report_free(&r);
}

static void random_history(uint64_t seed, int steps)
{
	static struct model m;
	struct testdb t;
	struct door *admin;
	int64_t start, end;

	memset(&m, 0, sizeof m);
	m.random = seed * 2654435761u + 1;
	testdb_open(&t);
	admin = as(&t, "root-admin");
	assert_int_equal(door_setting_set(admin, "sla_sqls_per_month", "20"), LB_OK);
	/* even seeds route and sweep */
	m.routing = seed % 2 == 0;
	if (m.routing) {
		assert_int_equal(door_setting_set(admin, "routing", "round-robin"), LB_OK);
		assert_int_equal(door_setting_set(admin, "sla_contact_hours", "8"), LB_OK);
		assert_int_equal(door_setting_set(admin, "sla_accept_hours", "4"), LB_OK);
	}
	/* a day: the story's steps are minutes to hours apart */
	assert_int_equal(door_setting_set(admin, "undo_minutes", "1440"), LB_OK);
	assert_int_equal(store_load_board(t.store, &m.board), LB_OK);
	assert_int_equal(store_load_settings(t.store, &m.settings), LB_OK);
	start = clock_now = 1767225600000LL + (int64_t)(seed % 1000) * 3600000;   /* 2026-01-01 */
	for (int i = 0; i < steps; i++)
		step(&t, &m);
	end = clock_now;
	assert_true(m.leads > 20);
	/* the story has undos (of a handoff among them, unless routing took
	 * them: routing's assign after a handoff is not undone), releases and
	 * merges */
	int undos = 0, undone_handoffs = 0, releases = 0, merges = 0;
	for (int i = 0; i < m.count; i++) {
		merges += m.events[i].kind == EV_MERGE;
		undos += m.events[i].kind == EV_UNDO;
		undone_handoffs += m.events[i].kind == EV_HANDOFF && m.events[i].undone_at;
		releases += m.events[i].kind == EV_RELEASE;
	}
	if (!(undos > 5 && (undone_handoffs > 0 || m.routing) && releases > 0 && merges > 2))
		fail_msg("undos %d, undone handoffs %d, releases %d, merges %d", undos,
			 undone_handoffs, releases, merges);
	check_log_matches(&t, &m);

	/* the whole history, the state now */
	check_period(&t, &m, 0, end + 1);
	/* a window in the middle, a window from the middle to past the end,
	 * and one ending before the last events */
	check_period(&t, &m, start + (end - start) / 3, start + 2 * (end - start) / 3);
	check_period(&t, &m, start + (end - start) / 2, end + 30 * 24 * HOUR_MS);
	check_period(&t, &m, 1, start + (end - start) / 4);
	for (int i = 0; i < 4; i++) {
		int64_t a = start + (int64_t)pick(&m, 1000) * (end - start) / 1000;
		int64_t b = a + 1 + (int64_t)pick(&m, 1000) * (end - start) / 1000;
		check_period(&t, &m, a, b);
	}
	/* and with the whole history the "now" counts are the board's */
	{
		struct report r;
		int64_t counts[LB_MAX_STAGES], discarded;
		assert_int_equal(report_compute(t.store, &m.board, &m.settings, 0, 0, end, true, &r),
				 LB_OK);
		assert_int_equal(store_stage_counts(t.store, &m.board, counts, &discarded), LB_OK);
		for (int s = 0; s < m.board.count; s++)
			assert_int_equal(r.stages[s].now, counts[s]);
		assert_int_equal(r.discarded_now, discarded);
		assert_int_equal(r.merged_now, testdb_int(&t, "SELECT count(*) FROM leads "
							     "WHERE stage = 'merged'"));
		assert_true(r.handoffs > 10 && r.passbacks > 3 && r.sla.in_time > 0);
		/* the story reached every figure: fast and slow contact, and with
		 * routing its assigns, a handoff with no rep and the sweep */
		assert_true(r.contact.speed.buckets[SPEED_5_MIN] > 0 &&
			    r.contact.speed.buckets[SPEED_1_HOUR] > 0 &&
			    r.contact.speed.buckets[SPEED_1_DAY] > 0 &&
			    r.contact.speed.buckets[SPEED_LATER] > 0 &&
			    r.contact.speed.buckets[SPEED_NEVER] > 0 &&
			    r.contact.passback_attempts > 0);
		if (m.routing)
			assert_true(r.contact.routed > 10 && r.contact.no_rep > 0 &&
				    r.contact.reclaimed > 0 && r.contact.escalated > 0);
		assert_true(r.merges > 3);
		assert_int_equal(testdb_verify(&t, NULL, &(struct testdb_verdict){ 0 }), LB_OK);
		report_free(&r);
	}
	testdb_close(&t);
}

static void test_seed_1(void **state) { (void)state; random_history(1, 1500); }
static void test_seed_2(void **state) { (void)state; random_history(2, 1500); }
static void test_seed_3(void **state) { (void)state; random_history(3, 2500); }
static void test_seed_2026(void **state) { (void)state; random_history(2026, 2000); }

/* An empty log: every figure is zero or "none". */
static void test_empty(void **state)
{
	struct testdb t;
	struct lb_board board;
	struct rules_settings settings;
	struct report r;

	(void)state;
	testdb_open(&t);
	assert_int_equal(store_load_board(t.store, &board), LB_OK);
	assert_int_equal(store_load_settings(t.store, &settings), LB_OK);
	assert_int_equal(report_compute(t.store, &board, &settings, 0, 0, 1767225600000LL, true, &r),
			 LB_OK);
	assert_int_equal(r.events, 0);
	assert_int_equal(r.handoffs, 0);
	assert_true(r.passback_rate < 0);
	assert_true(r.sla.share_in_time < 0);
	assert_int_equal(r.sla.median_to_claim_ms, -1);
	assert_int_equal(r.stages[0].median_ms, -1);
	assert_true(r.stages[0].conversion < 0);
	assert_int_equal(r.sqls.month_count, 0);
	assert_int_equal(r.person_count, 6);
	report_free(&r);
	assert_int_equal(report_compute(t.store, &board, &settings, 10, 5, 100, true, &r), LB_USAGE);
	report_free(&r);
	testdb_close(&t);
}

/* Percentiles by nearest rank, on a hand-made history of stays. */
static void test_percentiles(void **state)
{
	struct lb_board board = { .count = 2 };
	struct rules_settings settings;
	struct report r;
	static const int64_t lengths[] = { 40, 10, 30, 20, 20, 100, 20, 90, 10, 60 };
	char id[LB_ID_LEN + 1];

	(void)state;
	rules_settings_defaults(&settings);
	snprintf(board.stages[0].key, sizeof board.stages[0].key, "a");
	snprintf(board.stages[1].key, sizeof board.stages[1].key, "b");
	assert_int_equal(report_begin(&r, &board, &settings, 0, 1000000), LB_OK);
	for (int i = 0; i < 10; i++) {
		struct store_report_event create = { .at = 1000, .actor = "x", .kind = "create",
						     .from_stage = "", .to_stage = "a", .reason = "",
						     .note = "" };
		struct store_report_event move = create;
		snprintf(id, sizeof id, "lead-%d", i);
		create.lead_id = move.lead_id = id;
		move.kind = "move";
		move.from_stage = "a";
		move.to_stage = "b";
		move.at = 1000 + lengths[i];
		assert_int_equal(report_feed(&r, &create), LB_OK);
		assert_int_equal(report_feed(&r, &move), LB_OK);
	}
	assert_int_equal(report_end(&r), LB_OK);
	/* sorted: 10 10 20 20 20 30 40 60 90 100 */
	assert_int_equal(r.stages[0].stays, 10);
	assert_int_equal(r.stages[0].median_ms, 20);   /* 5th of 10 */
	assert_int_equal(r.stages[0].p90_ms, 90);      /* 9th of 10 */
	assert_int_equal(r.stages[0].entered, 10);
	assert_int_equal(r.stages[0].reached_next, 10);
	assert_int_equal(r.stages[1].now, 10);
	report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_seed_1),
		cmocka_unit_test(test_seed_2),
		cmocka_unit_test(test_seed_3),
		cmocka_unit_test(test_seed_2026),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
