/*
 * gen.c - the benchmark's data: a board of any size with a year of history,
 * and a CSV export to import.
 *
 * Everything is written through the door, as the product writes it: leads
 * arrive by the import path (one transaction per simulated hour, one create
 * event each, hash-chained), and about one lead in twenty then walks the
 * funnel by door_move/door_claim/door_discard on a simulated clock, so the
 * log holds real handoffs, claims and pass-backs. Each lead draws from its
 * own seeded generator, so lead i is the same lead at every size and on
 * every run; its id can be computed without reading the database.
 *
 * Until it is complete the file is throwaway, so the generator's own
 * connection runs without fsync or WAL and with a large page cache; every
 * measurement later opens it through store_open() as shipped (WAL,
 * synchronous=FULL, the default cache).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "leadboard/door.h"
#include "leadboard/store.h"
#include "store_impl.h"

#define SEED 0x6c656164626f6172ULL   /* "leadboar" */
#define STORY_EVERY 20
#define CHUNK_DAYS 30   /* leads imported per transaction: a month's */

/* ---- a small, fixed random generator (splitmix64) -------------------------- */

struct rng {
	uint64_t state;
};

static uint64_t next(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* 0 <= result < n */
static int64_t below(struct rng *r, int64_t n)
{
	return n > 0 ? (int64_t)(next(r) % (uint64_t)n) : 0;
}

/* A generator for lead i alone: the same draws whatever else is generated. */
static struct rng lead_rng(int64_t i)
{
	struct rng r = { SEED ^ ((uint64_t)i * 0xd1b54a32d192ed03ULL) };

	next(&r);
	return r;
}

#define PICK(r, list) (list[below((r), (int64_t)(sizeof list / sizeof list[0]))])

/* ---- what leads are made of ----------------------------------------------------- */

static const char *const first_names[] = {
	"Ana", "Björn", "Chloé", "Dmitri", "Emeka", "Fatima", "Giulia", "Hiro", "Ingrid", "José",
	"Kateřina", "Liam", "Mei", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Søren", "Tomás",
	"Uma", "Valentina", "Wen", "Xavier", "Yara", "Zoë", "Łukasz", "Amélie", "Ngozi", "Pedro",
	"Hannah", "Omar", "Keiko", "Lars", "Marta", "Noah", "Olga", "Rahul", "Sofia", "Tariq",
};
static const char *const last_names[] = {
	"Andersen", "Brown", "Castillo", "Dubois", "Eriksen", "Fischer", "García", "Huang",
	"Ivanova", "Johansson", "Kowalski", "Lindqvist", "Müller", "Nakamura", "O'Brien",
	"Petrov", "Rossi", "Schmidt", "Tanaka", "Van Dijk", "Weber", "Yilmaz", "Zhang", "Okafor",
	"Novak", "Silva", "Larsen", "Moreau", "Kim", "Costa",
};
static const char *const company_words[] = {
	"Acme", "Brightwave", "Copperleaf", "Delta", "Evergreen", "Fjord", "Globex", "Helios",
	"Ironbark", "Juniper", "Kite", "Lumen", "Meridian", "Northwind", "Orbit", "Pinecrest",
	"Quanta", "Riverside", "Sable", "Tessellate", "Umbra", "Vantage", "Willow", "Zephyr",
	"Aurora", "Basalt", "Cobalt", "Drift", "Ember", "Falcon",
};
static const char *const company_kinds[] = {
	"Logistics", "Analytics", "Bank", "Foods", "Shipping", "Energy", "Mining", "Health",
	"Robotics", "Retail", "Insurance", "Traders", "Telecom", "Labs", "Hotels", "Security",
	"Media", "Motors", "Software", "Partners",
};
static const char *const titles[] = {
	"Head of Operations", "Marketing Manager", "CTO", "IT Director", "VP Sales", "Analyst",
	"Procurement Lead", "Chief Financial Officer", "Office Manager", "Student",
	"Founder", "Engineering Manager",
};
static const char *const countries[] = { "DE", "US", "GB", "FR", "SE", "NL", "ES", "JP", "PL",
					 "BR", "IN", "CA" };
static const char *const sources[] = {
	"webinar", "ebook download", "trade show", "newsletter", "pricing page", "referral",
	"paid search", "partner",
};
static const char *const reasons[] = {
	"not-ready", "no-budget", "not-decision-maker", "bad-fit", "no-response",
};
static const char *const notes[] = {
	"Evaluating next quarter; asked us to call back in March.",
	"Budget frozen until the new fiscal year.",
	"Works for the real buyer; get an intro to the VP.",
	"Too small for our plans right now.",
	"Three calls and two e-mails, no answer.",
};

void gen_lead_id(int64_t i, char out[LB_ID_LEN + 1])
{
	struct rng r = lead_rng(i);
	uint64_t hi = next(&r), lo = next(&r);

	hi = (hi & ~0xf000ULL) | 0x4000ULL;                       /* version 4 */
	lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL; /* variant 10 */
	snprintf(out, LB_ID_LEN + 1, "%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64
		 "-%012" PRIx64, hi >> 32, (hi >> 16) & 0xffff, hi & 0xffff, lo >> 48,
		 lo & UINT64_C(0xffffffffffff));
}

bool gen_is_story(int64_t i)
{
	return i % STORY_EVERY == 7;
}

/* The editable fields of lead i (after the two draws its id used). */
static void lead_fields(int64_t i, struct rng *r, struct lead *lead)
{
	const char *company_word = PICK(r, company_words), *company_kind = PICK(r, company_kinds);

	lead_init(lead);
	snprintf(lead->name, sizeof lead->name, "%s %s", PICK(r, first_names), PICK(r, last_names));
	snprintf(lead->company, sizeof lead->company, "%s %s", company_word, company_kind);
	snprintf(lead->email, sizeof lead->email, "lead%" PRId64 "@%s-%s.example", i, company_word,
		 company_kind);
	for (char *p = lead->email; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	snprintf(lead->title, sizeof lead->title, "%s", PICK(r, titles));
	snprintf(lead->country, sizeof lead->country, "%s", PICK(r, countries));
	lead->employees = 2 + below(r, 20000);
	snprintf(lead->segment, sizeof lead->segment, "%s", below(r, 5) ? "b2b" : "b2c");
	snprintf(lead->source, sizeof lead->source, "%s", PICK(r, sources));
	lead->score = (int)below(r, 101);
	/* one lead in three left a phone number, written as people write them */
	if (below(r, 3) == 0)
		snprintf(lead->phone, sizeof lead->phone, "+%d %d %07d", 1 + (int)below(r, 98),
			 10 + (int)below(r, 90), (int)below(r, 10000000));
}

static void login_of(char *out, size_t size, bool rep, int64_t n)
{
	snprintf(out, size, rep ? "rep%02d" : "mk%02d", (int)n);
}

/* ---- the plan: a year of creates and moves --------------------------------------- */

enum step_kind { STEP_MQL, STEP_DISCARD, STEP_HANDOFF, STEP_CLAIM, STEP_PASSBACK,
		 STEP_OPPORTUNITY, STEP_CUSTOMER };

struct step {
	int64_t at;
	int64_t lead;
	uint8_t kind;
	uint8_t actor;   /* marketer or rep number */
	uint8_t reason;  /* index into reasons */
};

struct plan {
	struct step *steps;
	size_t count, size;
};

static int by_time(const void *a, const void *b)
{
	const struct step *x = a, *y = b;

	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	return (x->lead > y->lead) - (x->lead < y->lead);
}

/* Append a step unless it falls after the end of the history; false then. */
static bool plan_add(struct plan *p, int64_t at, int64_t lead, enum step_kind kind, int actor,
		     int reason)
{
	if (at >= BENCH_END_MS)
		return false;
	if (p->count == p->size) {
		size_t size = p->size ? 2 * p->size : 4096;
		struct step *grown = realloc(p->steps, size * sizeof *grown);
		if (!grown) {
			fprintf(stderr, "bench: out of memory\n");
			exit(70);
		}
		p->steps = grown;
		p->size = size;
	}
	p->steps[p->count++] = (struct step){ at, lead, (uint8_t)kind, (uint8_t)actor,
					      (uint8_t)reason };
	return true;
}

/* When lead i of n is created. */
static int64_t created_at(int64_t i, int64_t n)
{
	int64_t span = BENCH_SPAN_DAYS * BENCH_DAY_MS;

	return BENCH_END_MS - span + (int64_t)((double)span * (double)i / (double)n);
}

/* A story lead's walk: MQL, maybe discarded, a handoff, a claim, maybe a
 * pass-back and a second handoff, an opportunity, maybe a customer. */
static void plan_story(struct plan *p, int64_t i, int64_t t)
{
	struct rng r = lead_rng(i ^ 0x5a5a5a5aLL);
	int marketer = 1 + (int)below(&r, BENCH_MARKETERS);
	int rep = 1 + (int)below(&r, BENCH_REPS);
	int roll = (int)below(&r, 100);

	if (roll < 15)
		return;
	t += (2 + below(&r, 95)) * BENCH_HOUR_MS;
	if (!plan_add(p, t, i, STEP_MQL, marketer, 0) || roll < 30)
		return;
	if (roll < 36) {
		plan_add(p, t + (1 + below(&r, 5)) * BENCH_DAY_MS, i, STEP_DISCARD, marketer, 5);
		return;
	}
	t += (1 + below(&r, 72)) * BENCH_HOUR_MS;
	if (!plan_add(p, t, i, STEP_HANDOFF, marketer, 0) || roll < 42)
		return;
	t += (1 + below(&r, 30)) * BENCH_HOUR_MS;
	if (!plan_add(p, t, i, STEP_CLAIM, rep, 0))
		return;
	if (roll < 60) {
		t += (1 + below(&r, 5)) * BENCH_DAY_MS;
		if (!plan_add(p, t, i, STEP_PASSBACK, rep, (int)below(&r, 5)) || roll < 50)
			return;
		t += (3 + below(&r, 10)) * BENCH_DAY_MS;
		if (!plan_add(p, t, i, STEP_HANDOFF, marketer, 0))
			return;
		t += (1 + below(&r, 20)) * BENCH_HOUR_MS;
		if (!plan_add(p, t, i, STEP_CLAIM, rep, 0))
			return;
	}
	if (roll < 70)
		return;
	t += (2 + below(&r, 9)) * BENCH_DAY_MS;
	if (!plan_add(p, t, i, STEP_OPPORTUNITY, rep, 0) || roll < 85)
		return;
	plan_add(p, t + (5 + below(&r, 21)) * BENCH_DAY_MS, i, STEP_CUSTOMER, rep, 0);
}

/* The state an imported (non-story) lead arrives in, as if brought over
 * from another CRM: its stage, owner, counters and times. */
static void imported_state(struct rng *r, struct lead *lead, int64_t t)
{
	int roll = (int)below(r, 100);
	int64_t room = BENCH_END_MS - t;
	const char *stage = roll < 55 ? "lead" : roll < 85 ? "mql" : roll < 89 ? "sql"
			  : roll < 92 ? "opportunity" : "customer";

	snprintf(lead->stage, sizeof lead->stage, "%s", stage);
	lead->created_at = t;
	lead->stage_entered_at = t + below(r, room < 30 * BENCH_DAY_MS ? room : 30 * BENCH_DAY_MS);
	lead->updated_at = lead->stage_entered_at;
	lead->version = 1;
	if (roll >= 85) {
		lead->handoff_count = 1;
		lead->handed_off_at = lead->stage_entered_at;
		if (roll >= 86)   /* most handoffs are claimed */
			login_of(lead->owner, sizeof lead->owner, true, 1 + below(r, BENCH_REPS));
	}
	if (below(r, 100) < 8) {
		lead->recycle_count = 1;
		snprintf(lead->last_reason, sizeof lead->last_reason, "%s", PICK(r, reasons));
	}
}

/* ---- playing the plan through the door ---------------------------------------------- */

static int64_t gen_time;

static int64_t gen_clock(void)
{
	return gen_time;
}

/* A door for every member of the generated team, on the generator's clock. */
struct cast {
	struct door *admin;
	struct door *marketer[BENCH_MARKETERS + 1];   /* by number, from 1 */
	struct door *rep[BENCH_REPS + 1];
};

static struct door *member_door(struct store *store, const char *login)
{
	struct lb_user user;
	struct door *door;

	if (store_get_user(store, login, &user) || !(door = door_open(store, &user, NULL)))
		return NULL;
	door_set_clock(door, gen_clock);
	return door;
}

static enum lb_status cast_open(struct cast *c, struct store *store)
{
	char login[LB_KEY_MAX + 1];

	for (int i = 1; i <= BENCH_MARKETERS; i++) {
		login_of(login, sizeof login, false, i);
		if (!(c->marketer[i] = member_door(store, login)))
			return lb_fail(LB_SOFTWARE, "no door for %s", login);
	}
	for (int i = 1; i <= BENCH_REPS; i++) {
		login_of(login, sizeof login, true, i);
		if (!(c->rep[i] = member_door(store, login)))
			return lb_fail(LB_SOFTWARE, "no door for %s", login);
	}
	return LB_OK;
}

static void cast_close(struct cast *c)
{
	for (int i = 1; i <= BENCH_MARKETERS; i++)
		door_close(c->marketer[i]);
	for (int i = 1; i <= BENCH_REPS; i++)
		door_close(c->rep[i]);
	door_close(c->admin);
}

static struct door *act_as(struct cast *c, bool rep, int n)
{
	return rep ? c->rep[n] : c->marketer[n];
}

static enum lb_status play(struct cast *cast, const struct step *s, int64_t *refused)
{
	char id[LB_ID_LEN + 1];
	struct door *door;
	enum lb_status st = LB_OK;

	gen_lead_id(s->lead, id);
	gen_time = s->at;
	switch ((enum step_kind)s->kind) {
	case STEP_MQL:
		door = act_as(cast, false, s->actor);
		st = door_move(door, id, "mql", NULL, NULL, false, DOOR_ANY_VERSION);
		break;
	case STEP_DISCARD:
		door = act_as(cast, false, s->actor);
		st = door_discard(door, id, "bad-data", "Bounced twice.", DOOR_ANY_VERSION);
		break;
	case STEP_HANDOFF:
		door = act_as(cast, false, s->actor);
		st = door_move(door, id, "sql", NULL, NULL, false, DOOR_ANY_VERSION);
		break;
	case STEP_CLAIM:
		door = act_as(cast, true, s->actor);
		st = door_claim(door, id, DOOR_ANY_VERSION);
		break;
	case STEP_PASSBACK:
		door = act_as(cast, true, s->actor);
		st = door_move(door, id, "mql", reasons[s->reason], notes[s->reason], false,
			       DOOR_ANY_VERSION);
		break;
	case STEP_OPPORTUNITY:
		door = act_as(cast, true, s->actor);
		st = door_move(door, id, "opportunity", NULL, NULL, false, DOOR_ANY_VERSION);
		break;
	case STEP_CUSTOMER:
		door = act_as(cast, true, s->actor);
		st = door_move(door, id, "customer", NULL, NULL, false, DOOR_ANY_VERSION);
		break;
	}
	if (st == LB_DATA || st == LB_NOPERM) {
		(*refused)++;   /* the story goes on without this step */
		st = LB_OK;
	}
	return st;
}

/* A month's new leads in one import transaction. */
static enum lb_status import_batch(struct door *door, int64_t from, int64_t to, int64_t n)
{
	struct lead lead;
	enum lb_status st;

	gen_time = created_at(from, n);
	if ((st = door_import_begin(door)))
		return st;
	for (int64_t i = from; i < to && !st; i++) {
		struct rng r = lead_rng(i);
		int64_t t = created_at(i, n);
		next(&r);
		next(&r);   /* the id's draws */
		lead_fields(i, &r, &lead);
		gen_lead_id(i, lead.id);
		if (gen_is_story(i)) {
			snprintf(lead.stage, sizeof lead.stage, "lead");
			lead.created_at = lead.updated_at = lead.stage_entered_at = t;
			lead.version = 1;
		} else {
			imported_state(&r, &lead, t);
		}
		gen_time = t;
		st = door_import_add(door, &lead, true);
	}
	if (!st)
		st = door_import_flush(door);
	if (st) {
		door_import_end(door, false);
		return st;
	}
	return door_import_end(door, true);
}

static enum lb_status make_team(struct door *door)
{
	char login[LB_KEY_MAX + 1];
	bool bootstrapped;
	enum lb_status st;

	if ((st = door_bootstrap_admin(door, BENCH_ADMIN, &bootstrapped)))
		return st;
	for (int i = 1; i <= BENCH_MARKETERS && !st; i++) {
		login_of(login, sizeof login, false, i);
		st = door_user_add(door, login, ROLE_MARKETING);
	}
	for (int i = 1; i <= BENCH_REPS && !st; i++) {
		login_of(login, sizeof login, true, i);
		st = door_user_add(door, login, ROLE_SALES);
	}
	if (!st)
		st = door_user_add(door, "mgr1", ROLE_MANAGER);
	return st;
}

static enum lb_status fill(struct store *store, int64_t n, int64_t *refused)
{
	struct lb_user admin = { .login = BENCH_ADMIN, .role = ROLE_ADMIN };
	struct plan plan = { 0 };
	struct cast cast = { NULL, { NULL }, { NULL } };
	int64_t start = BENCH_END_MS - BENCH_SPAN_DAYS * BENCH_DAY_MS, next_lead = 0;
	size_t next_step = 0;
	enum lb_status st;

	if (!(cast.admin = door_open(store, &admin, NULL)))
		return LB_SOFTWARE;
	gen_time = start - BENCH_DAY_MS;
	door_set_clock(cast.admin, gen_clock);
	if ((st = make_team(cast.admin)) || (st = cast_open(&cast, store))) {
		cast_close(&cast);
		return st;
	}
	for (int64_t i = 0; i < n; i++)
		if (gen_is_story(i))
			plan_story(&plan, i, created_at(i, n));
	qsort(plan.steps, plan.count, sizeof *plan.steps, by_time);
	for (int64_t day = CHUNK_DAYS; day < BENCH_SPAN_DAYS + CHUNK_DAYS && !st;
	     day += CHUNK_DAYS) {
		int64_t end = start + day * BENCH_DAY_MS, last = next_lead;
		while (last < n && created_at(last, n) < end)
			last++;
		if (last > next_lead)
			st = import_batch(cast.admin, next_lead, last, n);
		next_lead = last;
		while (!st && next_step < plan.count && plan.steps[next_step].at < end)
			st = play(&cast, &plan.steps[next_step++], refused);
	}
	cast_close(&cast);
	free(plan.steps);
	return st;
}

enum lb_status gen_board(const char *path, int64_t leads, int64_t *events)
{
	char tmp[BENCH_PATH + 8];
	struct store *store;
	int64_t refused = 0;
	enum lb_status st;

	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	bench_remove_db(tmp);
	if ((st = store_open(tmp, STORE_OPEN_CREATE, &store)))
		return st;
	/* Throwaway data until renamed: no fsync, no WAL (each generated move
	 * writes its pages once), room for the indexes in the page cache. */
	sqlite3_exec(store->lite, "PRAGMA synchronous = OFF; PRAGMA cache_size = -524288; "
		     "PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = MEMORY", NULL, NULL,
		     NULL);
	st = fill(store, leads, &refused);
	if (!st)
		st = store_last_seq(store, events);
	/* and back to the file leadboard makes: WAL */
	if (!st && sqlite3_exec(store->lite, "PRAGMA locking_mode = NORMAL; PRAGMA journal_mode = WAL",
				NULL, NULL, NULL) != SQLITE_OK)
		st = lb_fail(LB_SOFTWARE, "%s", sqlite3_errmsg(store->lite));
	store_close(store);
	if (st) {
		bench_remove_db(tmp);
		return st;
	}
	if (refused)
		bench_note("%" PRId64 " generated steps were refused by the rules", refused);
	if (rename(tmp, path) != 0)
		return lb_fail(LB_SOFTWARE, "cannot rename %s", tmp);
	return LB_OK;
}

/* ---- the CSV export ------------------------------------------------------------------- */

/* A CSV cell, quoted when it holds a comma, a quote or a line break. */
static void put_cell(FILE *out, const char *text, bool last)
{
	if (strpbrk(text, ",\"\r\n")) {
		fputc('"', out);
		for (const char *p = text; *p; p++) {
			if (*p == '"')
				fputc('"', out);
			fputc(*p, out);
		}
		fputc('"', out);
	} else {
		fputs(text, out);
	}
	fputc(last ? '\n' : ',', out);
}

enum lb_status gen_csv(const char *path, int64_t rows)
{
	char tmp[BENCH_PATH + 8], number[32], first[LB_TEXT_MAX + 1];
	struct lead lead;
	FILE *out;

	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (!(out = fopen(tmp, "w")))
		return lb_fail(LB_SOFTWARE, "cannot write %s", tmp);
	fputs("First Name,Last Name,Email,Phone Number,Company,Job Title,Country/Region,"
	      "Number of Employees,Lead Source,Lead Score\n", out);
	for (int64_t i = 0; i < rows; i++) {
		/* leads of their own: past the ids any board uses */
		struct rng r = lead_rng(50000000 + i);
		char *space;
		lead_fields(50000000 + i, &r, &lead);
		snprintf(first, sizeof first, "%s", lead.name);
		space = strchr(first, ' ');
		*space = '\0';
		if (i % 50 == 3)   /* an embedded comma and quotes, as exports have */
			snprintf(lead.company, sizeof lead.company, "%.100s, \"%.40s\" & Co", lead.title,
				 lead.country);
		put_cell(out, first, false);
		put_cell(out, space + 1, false);
		put_cell(out, lead.email, false);
		put_cell(out, lead.phone, false);
		put_cell(out, lead.company, false);
		put_cell(out, lead.title, false);
		put_cell(out, lead.country, false);
		snprintf(number, sizeof number, "%" PRId64, lead.employees);
		put_cell(out, number, false);
		put_cell(out, lead.source, false);
		snprintf(number, sizeof number, "%d", lead.score);
		put_cell(out, number, true);
	}
	if (fclose(out) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return lb_fail(LB_SOFTWARE, "cannot write %s", path);
	}
	return LB_OK;
}
