/* cmd_demo.c - a believable team and a few hundred leads with history.
 *
 * The history is played through the door with a simulated clock: every
 * event is a real change, with its rules checked and its hash chained, only
 * dated in the past. The random sequence is fixed, so every demo board
 * tells the same story (ids differ).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "leadboard/text.h"

#define DEMO_LEADS 320
#define DEMO_DAYS 60
#define HOUR_MS 3600000LL
#define DAY_MS (24 * HOUR_MS)

static const struct {
	const char *login;
	enum lb_role role;
} team[] = {
	{ "maya", ROLE_MARKETING }, { "marco", ROLE_MARKETING }, { "sam", ROLE_SALES },
	{ "sara", ROLE_SALES },     { "steve", ROLE_SALES },     { "mona", ROLE_MANAGER },
};

static const char *const first_names[] = {
	"Ana", "Björn", "Chloé", "Dmitri", "Emeka", "Fatima", "Giulia", "Hiro", "Ingrid", "José",
	"Kateřina", "Liam", "Mei", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Søren", "Tomás",
	"Uma", "Valentina", "Wen", "Xavier", "Yara", "Zoë", "山田", "Łukasz", "Amélie", "Ngozi",
};
static const char *const last_names[] = {
	"Andersen", "Brown", "Castillo", "Dubois", "Eriksen", "Fischer", "García", "Huang",
	"Ivanova", "Johansson", "Kowalski", "Lindqvist", "Müller", "Nakamura", "O'Brien",
	"Petrov", "Rossi", "Schmidt", "Tanaka", "Van Dijk", "Weber", "Yilmaz", "Zhang", "太郎",
};
static const char *const companies[] = {
	"Acme Logistics", "Brightwave Analytics", "Copperleaf Bank", "Delta Dental Group",
	"Evergreen Foods", "Fjord Shipping", "Globex", "Helios Energy", "Ironbark Mining",
	"Juniper Health", "Kite Robotics", "Lumen Retail", "Meridian Insurance",
	"Northwind Traders", "Orbit Telecom", "Pinecrest Schools", "Quanta Labs",
	"Riverside Hotels", "Sable Security", "Tessellate Studio", "Umbra Media", "Vantage Motors",
};
static const char *const titles[] = {
	"Head of Operations", "Marketing Manager", "CTO", "IT Director", "VP Sales", "Analyst",
	"Procurement Lead", "Chief Financial Officer", "Office Manager", "Student",
};
static const char *const countries[] = { "DE", "US", "GB", "FR", "SE", "NL", "ES", "JP", "PL" };
static const char *const sources[] = {
	"webinar", "ebook download", "trade show", "newsletter", "pricing page", "referral",
};
static const char *const passback_reasons[] = {
	"not-ready", "no-budget", "not-decision-maker", "bad-fit", "no-response",
};
static const char *const passback_notes[] = {
	"Evaluating next quarter; asked us to call back in March.",
	"Budget frozen until the new fiscal year.",
	"Works for the real buyer; get an intro to the VP.",
	"Too small for our plans right now.",
	"Three calls and two e-mails, no answer.",
};

static int64_t demo_time;

static int64_t demo_clock(void)
{
	return demo_time;
}

static const char *pick(const char *const *list, size_t n)
{
	return list[rand() % (int)n];
}

#define PICK(list) pick(list, sizeof list / sizeof list[0])

/* One step in a lead's story, played in time order across all leads. */
struct step {
	int64_t at;
	int lead;
	enum { STEP_CREATE, STEP_MQL, STEP_HANDOFF, STEP_CLAIM, STEP_OPPORTUNITY, STEP_CUSTOMER,
	       STEP_PASSBACK, STEP_DISCARD } what;
	const char *actor;
	const char *reason;
	const char *note;
};

static int by_time(const void *a, const void *b)
{
	const struct step *x = a, *y = b;

	return (x->at > y->at) - (x->at < y->at);
}

struct story {
	struct step *steps;
	int count;
	char ids[DEMO_LEADS][LB_ID_LEN + 1];
	int64_t end;
};

static void add_step(struct story *s, int64_t at, int lead, int what, const char *actor)
{
	struct step *st = &s->steps[s->count++];

	memset(st, 0, sizeof *st);
	st->at = at < s->end ? at : s->end - (int64_t)(rand() % 3600) * 1000;
	st->lead = lead;
	st->what = what;
	st->actor = actor;
}

/* Plans one lead's path through the funnel, from its creation at t. */
static void plan_lead(struct story *s, int lead, int64_t t)
{
	const char *marketer = team[rand() % 2].login;
	const char *rep = team[2 + rand() % 3].login;
	int roll = rand() % 100;

	add_step(s, t, lead, STEP_CREATE, marketer);
	if (roll < 25)
		return;                                   /* still a raw lead */
	t += (int64_t)(2 + rand() % 96) * HOUR_MS;
	add_step(s, t, lead, STEP_MQL, marketer);
	if (roll < 40)
		return;                                   /* nurturing */
	if (roll < 45) {
		add_step(s, t + 3 * DAY_MS, lead, STEP_DISCARD, marketer);
		s->steps[s->count - 1].reason = "bad-data";
		return;
	}
	t += (int64_t)(1 + rand() % 72) * HOUR_MS;
	add_step(s, t, lead, STEP_HANDOFF, marketer);
	if (roll < 50)
		return;                                   /* waiting to be claimed */
	t += (int64_t)(1 + rand() % 30) * HOUR_MS;
	add_step(s, t, lead, STEP_CLAIM, rep);
	if (roll < 68) {
		int r = rand() % 5;
		t += (int64_t)(1 + rand() % 5) * DAY_MS;
		add_step(s, t, lead, STEP_PASSBACK, rep);
		s->steps[s->count - 1].reason = passback_reasons[r];
		s->steps[s->count - 1].note = passback_notes[r];
		if (roll < 60)
			return;                           /* recycled, in nurture */
		t += (int64_t)(3 + rand() % 10) * DAY_MS;
		add_step(s, t, lead, STEP_HANDOFF, marketer);
		if (roll < 63)
			return;
		t += (int64_t)(1 + rand() % 20) * HOUR_MS;
		add_step(s, t, lead, STEP_CLAIM, rep);
		return;
	}
	if (roll < 80)
		return;                                   /* being worked in SQL */
	t += (int64_t)(2 + rand() % 10) * DAY_MS;
	add_step(s, t, lead, STEP_OPPORTUNITY, rep);
	if (roll < 92)
		return;
	t += (int64_t)(5 + rand() % 20) * DAY_MS;
	add_step(s, t, lead, STEP_CUSTOMER, rep);
}

static enum lb_status make_lead(struct door *door, struct story *s, int i)
{
	struct lead lead;
	char email_name[64];
	const char *first = PICK(first_names), *last = PICK(last_names);
	const char *company = PICK(companies);

	lead_init(&lead);
	snprintf(lead.name, sizeof lead.name, "%s %s", first, last);
	snprintf(email_name, sizeof email_name, "lead%03d", i);
	snprintf(lead.email, sizeof lead.email, "%s@%.20s.example", email_name, company);
	for (char *p = lead.email; *p; p++)
		if (*p == ' ')
			*p = '-';
	if (rand() % 10)
		snprintf(lead.company, sizeof lead.company, "%s", company);
	snprintf(lead.title, sizeof lead.title, "%s", PICK(titles));
	snprintf(lead.country, sizeof lead.country, "%s", PICK(countries));
	lead.employees = 5 + rand() % 5000;
	snprintf(lead.segment, sizeof lead.segment, "%s", rand() % 5 ? "b2b" : "b2c");
	snprintf(lead.source, sizeof lead.source, "%s", PICK(sources));
	lead.score = 20 + rand() % 81;
	/* every other lead left a phone number (no draw: the story stays the same) */
	if (i % 2 == 0)
		snprintf(lead.phone, sizeof lead.phone, "+%d %d %07d", 30 + i % 60, 100 + i % 800,
			 5550000 + i);
	enum lb_status st = door_add(door, &lead);
	if (!st)
		memcpy(s->ids[i], lead.id, sizeof s->ids[i]);
	return st;
}

/* The doors the demo acts through, each recording the real user on its
 * events: the runner's (an admin) to add the team, then one per member of
 * the team, on the demo's clock. */
struct cast {
	struct door *runner;
	struct door *door[sizeof team / sizeof team[0]];
};

static enum lb_status cast_open(struct cast *c, struct store *store, const struct lb_user *runner,
				const char *real_login)
{
	if (!(c->runner = door_open(store, runner, real_login)))
		return LB_SOFTWARE;
	for (size_t i = 0; i < sizeof team / sizeof team[0]; i++) {
		struct lb_user member;
		enum lb_status st = store_get_user(store, team[i].login, &member);
		if (st == LB_NOINPUT && !(st = door_user_add(c->runner, team[i].login, team[i].role)))
			st = store_get_user(store, team[i].login, &member);
		if (st)
			return st;
		if (!(c->door[i] = door_open(store, &member, real_login)))
			return LB_SOFTWARE;
		door_set_clock(c->door[i], demo_clock);
	}
	return LB_OK;
}

static void cast_close(struct cast *c)
{
	door_close(c->runner);
	for (size_t i = 0; i < sizeof team / sizeof team[0]; i++)
		door_close(c->door[i]);
}

static struct door *door_of(struct cast *c, const char *login)
{
	for (size_t i = 0; i < sizeof team / sizeof team[0]; i++)
		if (strcmp(team[i].login, login) == 0)
			return c->door[i];
	return NULL;
}

/* Runs a step as its actor. Steps the rules refuse (a lead without a
 * company cannot pass the gate) are simply skipped: that is the story too. */
static enum lb_status play(struct cast *cast, struct story *s, const struct step *step)
{
	const char *id = s->ids[step->lead];
	struct door *door = door_of(cast, step->actor);
	enum lb_status st = LB_OK;

	if (!door)
		return lb_fail(LB_SOFTWARE, "demo: %s is not in the team", step->actor);
	demo_time = step->at;
	if (step->what != STEP_CREATE && !id[0])
		return LB_OK;
	switch (step->what) {
	case STEP_CREATE: st = make_lead(door, s, step->lead); break;
	case STEP_MQL: st = door_move(door, id, "mql", NULL, NULL, false, DOOR_ANY_VERSION); break;
	case STEP_HANDOFF: st = door_move(door, id, "sql", NULL, NULL, false, DOOR_ANY_VERSION); break;
	case STEP_CLAIM: st = door_claim(door, id, DOOR_ANY_VERSION); break;
	case STEP_OPPORTUNITY:
		st = door_move(door, id, "opportunity", NULL, NULL, false, DOOR_ANY_VERSION);
		break;
	case STEP_CUSTOMER:
		st = door_move(door, id, "customer", NULL, NULL, false, DOOR_ANY_VERSION);
		break;
	case STEP_PASSBACK:
		st = door_move(door, id, "mql", step->reason, step->note, false, DOOR_ANY_VERSION);
		break;
	case STEP_DISCARD:
		st = door_discard(door, id, step->reason, "Bounced twice.", DOOR_ANY_VERSION);
		break;
	}
	if (st == LB_DATA || st == LB_NOPERM)
		st = LB_OK;
	return st;
}

enum lb_status cmd_demo(struct cli *cli, int argc, char **argv)
{
	const struct opt opts[] = { CLI_GLOBAL_OPTS(cli), { 0 } };
	struct cast cast = { NULL, { NULL } };
	struct rules_verdict verdict;
	char path[4 * sizeof cli->db_path];
	struct lb_user runner;
	struct story *story;
	int64_t events = 0;
	int npos, users;
	bool member, has_leads, first;
	enum lb_status st;

	if ((st = cli_parse("demo", argc, argv, opts, NULL, 0, 0, &npos)))
		return st;
	if ((st = cli_open(cli, STORE_OPEN_CREATE, false)))
		return st;
	if ((st = store_user_count(cli->store, &users)))
		return st;
	/* a new file: whoever runs the demo is its admin, as with init */
	if (!users && (st = door_bootstrap_admin(cli->door, cli->user.login, &first)))
		return st;
	st = store_get_user(cli->store, cli->user.login, &runner);
	if (st && st != LB_NOINPUT)
		return st;
	member = st == LB_OK;
	if ((st = store_has_leads(cli->store, &has_leads)) ||
	    (st = store_last_seq(cli->store, &events)))
		return st;
	verdict = rules_check_demo(member ? &runner : NULL, has_leads, events);
	if (verdict.status)
		return lb_fail(verdict.status, "%s", verdict.message);
	story = calloc(1, sizeof *story);
	if (!story || !(story->steps = calloc(DEMO_LEADS * 12, sizeof *story->steps))) {
		free(story);
		return lb_fail(LB_SOFTWARE, "out of memory");
	}
	srand(20261123);
	story->end = door_now(cli->door) - 10 * 60 * 1000;
	for (int i = 0; i < DEMO_LEADS; i++)
		plan_lead(story, i, story->end - DEMO_DAYS * DAY_MS +
					    (int64_t)i * (DEMO_DAYS * DAY_MS / DEMO_LEADS));
	qsort(story->steps, (size_t)story->count, sizeof *story->steps, by_time);
	st = cast_open(&cast, cli->store, &runner, cli->real_login);
	for (int i = 0; i < story->count && !st; i++)
		st = play(&cast, story, &story->steps[i]);
	cast_close(&cast);
	if (!st)
		st = store_last_seq(cli->store, &events);
	if (!st)
		printf("demo: %d leads and %lld events for maya and marco (marketing), sam, sara "
		       "and steve (sales), mona (manager) in %s\n", DEMO_LEADS, (long long)events,
		       text_sanitize(store_label(cli->store), path, sizeof path));
	free(story->steps);
	free(story);
	return st;
}
