/* report.c - one pass over the audit log: per-lead state in a hash table,
 * counters per stage, lists of durations for the percentiles. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "leadboard/hash_index.h"
#include "leadboard/report.h"

#define STAGE_DISCARDED (-1)
#define STAGE_UNKNOWN (-2)
#define STAGE_MERGED (-3)
#define MONTH_MS 2629746000LL   /* an average Gregorian month: 365.2425 days / 12 */

enum {
	OWNED = 1 << 0,              /* claimed or assigned since the last handoff */
	RECYCLED = 1 << 1,           /* passed back at least once */
	HANDED_OFF_AGAIN = 1 << 2,   /* a recycled lead handed off in the period */
	PASSED_BACK_AGAIN = 1 << 3,  /* ... and passed back after that */
	CREATED_IN = 1 << 4,         /* its creation counts in the period */
};

/* What a lead merged into another hands on to it (report.h). */
#define MERGED_FLAGS (RECYCLED | HANDED_OFF_AGAIN | PASSED_BACK_AGAIN)

/* A lead id as 16 bytes: a UUID's own bits, or for any other text two
 * independent 64-bit hashes of it. */
struct lead_key {
	uint64_t a, b;
};

struct lead_state {
	struct lead_key key;
	int64_t entered_at;          /* when it entered its current stage */
	int64_t handed_off_at;       /* its last handoff; 0: never */
	int32_t episode;             /* its SLA episode in the period, or -1 */
	int16_t stage;               /* board index, STAGE_DISCARDED, STAGE_MERGED or
					STAGE_UNKNOWN */
	uint8_t flags;
	int8_t created_stage;        /* where it was created (CREATED_IN), or -1 */
	uint32_t entered;            /* stages entered in the period (bits) */
	uint32_t reached;            /* of those, ones it went beyond afterwards */
	int32_t owner;               /* r->people index of its owner; -1: none (or unknown) */
	int32_t attempts;            /* contact attempts since its last handoff */
};

struct episode {
	int64_t at;                  /* the handoff */
	int64_t claimed_at;          /* 0: not claimed */
	int64_t contact_at;          /* the first contact attempt after it; 0: none */
	int32_t claimed_by;          /* r->people index of who took it first; -1 */
	int32_t rep;                 /* whose speed to lead it counts in; -1: nobody's */
	int lead;
	bool closed;                 /* the lead was handed off again */
};

struct durations {
	int64_t *values;
	size_t count, capacity;
};

/*
 * Events wait in a small batch so that the hash table's cache misses for
 * all of them are under way at once (prefetched) instead of one after the
 * other: on a million leads the table is tens of megabytes, and waiting
 * for memory was a third of a report's time. What an event needs is copied,
 * so the batch outlives the store's row.
 */
#define BATCH 32

struct pending {
	int64_t at;
	struct lead_key key;
	enum lb_event_kind kind;
	int16_t from, to;            /* the event's own stage columns, as indexes */
	bool in;                     /* in the period */
	char reason[LB_KEY_MAX + 1]; /* for pass-backs and overrides */
	int32_t who;                 /* r->people index: a claim's actor, an assignee, a
					pass-back's actor (in the period); -1 */
	struct lead_key keep;        /* a merge: the lead kept */
};

struct report_work {
	struct rules_settings settings;
	struct lead_state *leads;
	size_t lead_count, lead_capacity;
	struct hash_index lead_index;   /* leads by key */
	struct episode *episodes;
	size_t episode_count, episode_capacity;
	struct durations stays[LB_MAX_STAGES];
	struct durations handoff_times;
	int last_person;             /* where the last person() look-up found them */
	size_t person_capacity;
	struct hash_index person_index; /* r->people by login */
	uint64_t stage_hash[LB_MAX_STAGES];
	struct pending batch[BATCH];
	int batch_count;
	int64_t *undone;             /* seqs of events an undo reversed, ascending */
	size_t undone_count, undone_capacity;
	bool out_of_memory;
};

/* ---- small containers ------------------------------------------------------- */

static void push(struct report_work *w, struct durations *d, int64_t value)
{
	if (!items_reserve((void **)&d->values, &d->capacity, d->count + 1, sizeof *d->values)) {
		w->out_of_memory = true;
		return;
	}
	d->values[d->count++] = value;
}

/* 8-4-4-4-12 lower-case hex, as the door writes ids: its 128 bits. */
static bool uuid_key(const char *id, struct lead_key *key)
{
	return lead_id_bits(id, strlen(id), &key->a, &key->b);
}

static struct lead_key key_of(const char *id)
{
	struct lead_key key;

	if (!uuid_key(id, &key)) {
		key.a = hash_text(id, HASH_TEXT_SEED);
		key.b = hash_text(id, 0x9e3779b97f4a7c15ULL) ^ 0x5bd1e995u;
	}
	return key;
}

static uint64_t lead_hash(struct lead_key key)
{
	return key.a ^ (key.b * 0x9e3779b97f4a7c15ULL);
}

static uint64_t lead_hash_of(uint32_t item, const void *ctx)
{
	const struct report_work *w = ctx;

	return lead_hash(w->leads[item].key);
}

/* What lead_of() looks for: a key among the leads. */
struct lead_probe {
	const struct lead_state *leads;
	struct lead_key key;
};

static bool same_lead(uint32_t item, const void *probe)
{
	const struct lead_probe *p = probe;

	return p->leads[item].key.a == p->key.a && p->leads[item].key.b == p->key.b;
}

/* Room for this many leads without growing: one allocation instead of a
 * dozen doublings and rehashes on a large board. */
static bool reserve_leads(struct report_work *w, size_t leads)
{
	if (!items_reserve((void **)&w->leads, &w->lead_capacity, leads, sizeof *w->leads))
		return false;
	return hash_index_reserve(&w->lead_index, leads, lead_hash_of, w);
}

/* The state of the lead with this key, created (unknown stage) on first sight. */
static struct lead_state *lead_of(struct report_work *w, struct lead_key key)
{
	struct lead_probe probe = { w->leads, key };
	struct lead_state *lead;
	uint32_t *slot;

	if (!hash_index_reserve(&w->lead_index, w->lead_count + 1, lead_hash_of, w))
		return NULL;
	slot = hash_index_slot(&w->lead_index, lead_hash(key), same_lead, &probe);
	if (*slot)
		return &w->leads[*slot - 1];
	if (!items_reserve((void **)&w->leads, &w->lead_capacity, w->lead_count + 1, sizeof *w->leads))
		return NULL;
	lead = &w->leads[w->lead_count];
	memset(lead, 0, sizeof *lead);
	lead->key = key;
	lead->stage = STAGE_UNKNOWN;
	lead->episode = -1;
	hash_index_fill(&w->lead_index, slot, (uint32_t)w->lead_count++);
	return lead;
}

static uint64_t person_hash_of(uint32_t item, const void *ctx)
{
	const struct report *r = ctx;

	return hash_text(r->people[item].login, HASH_TEXT_SEED);
}

struct person_probe {
	const struct report_person *people;
	const char *login;
};

static bool same_person(uint32_t item, const void *probe)
{
	const struct person_probe *p = probe;

	return strcmp(p->people[item].login, p->login) == 0;
}

static struct report_person *person(struct report *r, const char *login)
{
	struct report_work *w = r->work;
	struct person_probe probe = { r->people, login };
	struct report_person *p;
	size_t capacity = w->person_capacity;
	uint32_t *slot;

	if (w->last_person >= 0 && strcmp(r->people[w->last_person].login, login) == 0)
		return &r->people[w->last_person];
	if (!hash_index_reserve(&w->person_index, (size_t)r->person_count + 1, person_hash_of, r)) {
		w->out_of_memory = true;
		return NULL;
	}
	slot = hash_index_slot(&w->person_index, hash_text(login, HASH_TEXT_SEED), same_person,
			       &probe);
	if (*slot) {
		w->last_person = (int)(*slot - 1);
		return &r->people[*slot - 1];
	}
	if (r->person_count == INT32_MAX - 1 ||
	    !items_reserve((void **)&r->people, &capacity, (size_t)r->person_count + 1, sizeof *p)) {
		w->out_of_memory = true;
		return NULL;
	}
	w->person_capacity = capacity;
	p = &r->people[r->person_count];
	memset(p, 0, sizeof *p);
	strncpy(p->login, login, LB_KEY_MAX);
	hash_index_fill(&w->person_index, slot, (uint32_t)r->person_count);
	w->last_person = r->person_count++;
	return p;
}

/* The index of r->people made anew (after they were sorted). */
static bool index_people(struct report *r)
{
	struct report_work *w = r->work;
	struct person_probe probe = { r->people, NULL };

	hash_index_free(&w->person_index);
	if (!hash_index_reserve(&w->person_index, (size_t)r->person_count, person_hash_of, r))
		return false;
	for (int i = 0; i < r->person_count; i++) {
		probe.login = r->people[i].login;
		hash_index_fill(&w->person_index,
				hash_index_slot(&w->person_index,
						hash_text(probe.login, HASH_TEXT_SEED), same_person,
						&probe),
				(uint32_t)i);
	}
	return true;
}

static void count_reason(struct report *r, const char *code)
{
	struct report_reason *p;

	for (int i = 0; i < r->reason_count; i++) {
		if (strcmp(r->reasons[i].code, code) == 0) {
			r->reasons[i].count++;
			return;
		}
	}
	p = realloc(r->reasons, (size_t)(r->reason_count + 1) * sizeof *p);
	if (!p) {
		r->work->out_of_memory = true;
		return;
	}
	r->reasons = p;
	p += r->reason_count++;
	memset(p, 0, sizeof *p);
	strncpy(p->code, code, LB_KEY_MAX);
	p->count = 1;
}

/* ---- feeding ------------------------------------------------------------------ */

static bool kind_of(const char *s, enum lb_event_kind *kind)
{
	switch (s[0]) {
	case 'c': *kind = s[1] == 'r' ? EV_CREATE : EV_CLAIM; break;
	case 'e': *kind = EV_EDIT; break;
	case 'm': *kind = s[1] == 'e' ? EV_MERGE : EV_MOVE; break;
	case 'h': *kind = EV_HANDOFF; break;
	case 'p': *kind = EV_PASSBACK; break;
	case 'd': *kind = EV_DISCARD; break;
	case 'r': *kind = s[2] == 's' ? EV_RESTORE : EV_REASON; break;
	case 'a': *kind = EV_ASSIGN; break;
	case 'o': *kind = EV_OVERRIDE; break;
	default: return event_kind_parse(s, kind);
	}
	return strcmp(s, event_kind_name(*kind)) == 0 || event_kind_parse(s, kind);
}

static int stage_index(const struct report *r, const char *key)
{
	uint64_t h = hash_text(key, HASH_TEXT_SEED);

	for (int i = 0; i < r->board.count; i++)
		if (r->work->stage_hash[i] == h && strcmp(r->board.stages[i].key, key) == 0)
			return i;
	if (strcmp(key, LB_DISCARDED) == 0)
		return STAGE_DISCARDED;
	if (strcmp(key, LB_MERGED) == 0)
		return STAGE_MERGED;
	return STAGE_UNKNOWN;
}

static enum lb_team team_of(const struct lb_board *board, int stage)
{
	return stage >= 0 ? board->stages[stage].team : TEAM_NONE;
}

/* The lead enters stage at `at`. */
static void enter(struct lead_state *lead, int stage, int64_t at, bool in)
{
	lead->stage = (int16_t)stage;
	lead->entered_at = at;
	if (stage < 0)
		return;
	lead->reached |= lead->entered & ((1u << stage) - 1);
	if (in)
		lead->entered |= 1u << stage;
}

static void handoff(struct report *r, struct lead_state *lead, int64_t at, bool in, bool override)
{
	struct report_work *w = r->work;

	lead->handed_off_at = at;
	lead->flags &= (uint8_t)~OWNED;
	lead->owner = -1;
	lead->attempts = 0;
	if (lead->episode >= 0)
		w->episodes[lead->episode].closed = true;
	lead->episode = -1;
	if (!in)
		return;
	r->handoffs++;
	if (override)
		r->override_handoffs++;
	if (lead->flags & RECYCLED)
		lead->flags |= HANDED_OFF_AGAIN;
	push(w, &w->handoff_times, at);
	if (!items_reserve((void **)&w->episodes, &w->episode_capacity, w->episode_count + 1,
		     sizeof *w->episodes) || w->episode_count >= INT32_MAX) {
		w->out_of_memory = true;
		return;
	}
	w->episodes[w->episode_count] = (struct episode){ .at = at, .claimed_by = -1, .rep = -1,
							  .lead = (int)(lead - w->leads) };
	lead->episode = (int32_t)w->episode_count++;
}

static void passback(struct report *r, struct lead_state *lead, const char *reason, bool in,
		     bool override, int32_t who)
{
	lead->flags &= (uint8_t)~OWNED;
	lead->flags |= RECYCLED;
	lead->owner = -1;
	if (!in)
		return;
	r->contact.passbacks++;
	r->contact.passback_attempts += lead->attempts;
	r->contact.passbacks_unattempted += lead->attempts == 0;
	if (who >= 0) {
		r->people[who].passbacks++;
		r->people[who].passback_attempts += lead->attempts;
	}
	r->passbacks++;
	if (override)
		r->override_passbacks++;
	if (lead->flags & HANDED_OFF_AGAIN)
		lead->flags |= PASSED_BACK_AGAIN;
	count_reason(r, reason);
}

/* A move of any kind: leave the current stage, maybe cross, enter the next. */
static void move(struct report *r, struct lead_state *lead, const struct pending *e)
{
	struct report_work *w = r->work;
	int from = lead->stage != STAGE_UNKNOWN ? lead->stage : e->from;
	int to = e->kind == EV_DISCARD ? STAGE_DISCARDED : e->to;
	enum lb_team a = team_of(&r->board, from), b = team_of(&r->board, to);
	bool override = e->kind == EV_OVERRIDE;

	if (from >= 0 && lead->stage != STAGE_UNKNOWN && e->in)
		push(w, &w->stays[from], e->at - lead->entered_at);
	if (e->kind == EV_HANDOFF || (override && a == TEAM_MARKETING && b == TEAM_SALES))
		handoff(r, lead, e->at, e->in, override);
	else if (e->kind == EV_PASSBACK || (override && a == TEAM_SALES && b == TEAM_MARKETING))
		passback(r, lead, e->reason, e->in, override, e->who);
	else if (e->kind == EV_DISCARD) {
		lead->flags &= (uint8_t)~OWNED;
		lead->owner = -1;
	}
	enter(lead, to, e->at, e->in);
}

/* The lead leaves for "merged"; from now on it counts as the lead kept
 * (report.h). */
static void merge(struct report *r, struct lead_state *lead, const struct pending *e)
{
	struct report_work *w = r->work;
	size_t at = (size_t)(lead - w->leads);
	struct lead_state *keep;

	if (e->in)
		r->merges++;
	if (!(keep = lead_of(w, e->keep))) {   /* may move w->leads */
		w->out_of_memory = true;
		return;
	}
	lead = &w->leads[at];
	if (keep != lead) {
		if (lead->flags & CREATED_IN) {
			r->created--;
			if (lead->created_stage >= 0)
				r->stages[lead->created_stage].created--;
		}
		keep->entered |= lead->entered;
		keep->reached |= lead->reached;
		keep->flags |= lead->flags & MERGED_FLAGS;
	}
	lead->entered = lead->reached = 0;
	lead->flags = 0;
	lead->owner = -1;
	lead->stage = STAGE_MERGED;
	lead->entered_at = e->at;
}

/* One event, in order, on its lead's state. */
static void apply(struct report *r, struct lead_state *lead, const struct pending *e)
{
	struct report_work *w = r->work;

	switch (e->kind) {
	case EV_CREATE:
		lead->flags = 0;
		lead->created_stage = -1;
		if (e->in) {
			r->created++;
			lead->flags |= CREATED_IN;
			if (e->to >= 0) {
				r->stages[e->to].created++;
				lead->created_stage = (int8_t)e->to;
			}
		}
		lead->handed_off_at = 0;
		lead->owner = -1;
		lead->attempts = 0;
		enter(lead, e->to, e->at, e->in);
		break;
	case EV_MERGE:
		merge(r, lead, e);
		break;
	case EV_MOVE: case EV_HANDOFF: case EV_PASSBACK: case EV_OVERRIDE:
	case EV_DISCARD: case EV_RESTORE:
		move(r, lead, e);
		break;
	case EV_CLAIM: case EV_ASSIGN:
		lead->flags |= OWNED;
		lead->owner = e->who;
		if (lead->episode >= 0) {
			struct episode *ep = &w->episodes[lead->episode];
			if (!ep->claimed_at) {
				ep->claimed_at = e->at;
				ep->claimed_by = e->who;
			}
			if (!ep->contact_at)
				ep->rep = e->who;   /* its last owner, until a contact */
		}
		break;
	case EV_CONTACT:
		lead->attempts++;
		/* its rep stays whoever took it last before this */
		if (lead->episode >= 0 && !w->episodes[lead->episode].contact_at)
			w->episodes[lead->episode].contact_at = e->at;
		break;
	case EV_RECLAIM:
		lead->flags &= (uint8_t)~OWNED;
		lead->owner = -1;
		break;
	case EV_RELEASE:
		/* unowned again, and the SLA clock runs on from the handoff: only a
		 * claim that is kept ends it */
		lead->flags &= (uint8_t)~OWNED;
		lead->owner = -1;
		if (lead->episode >= 0)
			w->episodes[lead->episode].claimed_at = 0;
		break;
	default:
		break;
	}
}

/* The batch, in order: first ask for every slot, then for every lead
 * state the slots point at, then do the work. */
static void run_batch(struct report *r)
{
	struct report_work *w = r->work;
	int n = w->batch_count;

	w->batch_count = 0;
	if (w->lead_index.slots) {
		for (int i = 0; i < n; i++)
			__builtin_prefetch(hash_index_home(&w->lead_index, lead_hash(w->batch[i].key)));
		for (int i = 0; i < n; i++) {
			uint32_t at = *hash_index_home(&w->lead_index, lead_hash(w->batch[i].key));
			if (at)
				__builtin_prefetch(&w->leads[at - 1]);
		}
	}
	for (int i = 0; i < n; i++) {
		struct lead_state *lead = lead_of(w, w->batch[i].key);
		if (!lead) {
			w->out_of_memory = true;
			return;
		}
		apply(r, lead, &w->batch[i]);
	}
}

/* Whether an undo (fed before the events) reversed event seq. */
static bool was_undone(const struct report_work *w, int64_t seq)
{
	size_t lo = 0, hi = w->undone_count;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (w->undone[mid] == seq)
			return true;
		if (w->undone[mid] < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

enum lb_status report_undone(struct report *r, int64_t seq)
{
	struct report_work *w = r->work;
	size_t at = w->undone_count;

	if (!items_reserve((void **)&w->undone, &w->undone_capacity, w->undone_count + 1,
		     sizeof *w->undone))
		return lb_fail(LB_SOFTWARE, "out of memory computing the report");
	while (at > 0 && w->undone[at - 1] > seq) {   /* they come in order: rarely moves */
		w->undone[at] = w->undone[at - 1];
		at--;
	}
	w->undone[at] = seq;
	w->undone_count++;
	return LB_OK;
}

enum lb_status report_feed(struct report *r, const struct store_report_event *e)
{
	struct report_work *w = r->work;
	struct report_person *p;
	struct pending *next;
	enum lb_event_kind kind;

	if (e->at >= r->until || !e->lead_id[0] || !kind_of(e->kind, &kind))
		return LB_OK;
	/* an undone change and its undo count for nothing: the undo put the
	 * lead back as it was, and nothing happened to it in between */
	if (kind == EV_UNDO || (w->undone_count && was_undone(w, e->seq)))
		return LB_OK;
	if (!r->first_at || e->at < r->first_at)
		r->first_at = e->at;
	if (e->at > r->last_at)
		r->last_at = e->at;
	next = &w->batch[w->batch_count];
	next->at = e->at;
	next->key = key_of(e->lead_id);
	next->kind = kind;
	next->in = e->at >= r->since;
	next->to = (int16_t)(e->to_stage[0] ? stage_index(r, e->to_stage) : STAGE_UNKNOWN);
	next->from = (int16_t)(e->from_stage[0] ? stage_index(r, e->from_stage) : STAGE_UNKNOWN);
	next->reason[0] = '\0';
	next->who = -1;
	if (kind == EV_PASSBACK || kind == EV_OVERRIDE)
		snprintf(next->reason, sizeof next->reason, "%s", e->reason);
	if (kind == EV_MERGE) {
		char keep[LB_ID_LEN + 1];
		/* a merge naming no lead kept is kept by nobody: itself */
		next->keep = event_merge_target(e->note, keep) ? key_of(keep) : next->key;
	}
	/* what a person did does not depend on the order: count it now */
	if (next->in) {
		r->events++;
		if (!(p = person(r, e->actor)))
			return lb_fail(LB_SOFTWARE, "out of memory computing the report");
		p->by_kind[kind]++;
		next->who = (int32_t)(p - r->people);
		if (kind == EV_ASSIGN && e->note[0]) {
			if (!(p = person(r, e->note)))
				return lb_fail(LB_SOFTWARE, "out of memory computing the report");
			p->assigned++;
			next->who = (int32_t)(p - r->people);
			if (rules_rule_routed(e->rule ? e->rule : "")) {
				p->routed++;
				r->contact.routed++;
			}
		}
		if ((kind == EV_HANDOFF || kind == EV_OVERRIDE) &&
		    rules_rule_found_no_rep(e->rule ? e->rule : ""))
			r->contact.no_rep++;
		if (kind == EV_ESCALATE)
			r->contact.escalated++;
		if (kind == EV_RECLAIM) {
			r->contact.reclaimed++;
			if (e->note[0]) {
				if (!(p = person(r, e->note)))
					return lb_fail(LB_SOFTWARE,
						       "out of memory computing the report");
				p->reclaimed++;
			}
		}
	}
	if (++w->batch_count == BATCH)
		run_batch(r);
	if (w->out_of_memory)
		return lb_fail(LB_SOFTWARE, "out of memory computing the report");
	return LB_OK;
}

enum lb_status report_member(struct report *r, const char *login, enum lb_role role)
{
	struct report_person *p = person(r, login);

	if (!p)
		return lb_fail(LB_SOFTWARE, "out of memory computing the report");
	p->member = true;
	p->role = role;
	return LB_OK;
}

enum lb_status report_begin(struct report *r, const struct lb_board *board,
			    const struct rules_settings *settings, int64_t since, int64_t until)
{
	memset(r, 0, sizeof *r);
	if (!(r->work = calloc(1, sizeof *r->work)))
		return lb_fail(LB_SOFTWARE, "out of memory computing the report");
	r->board = *board;
	r->work->settings = *settings;
	for (int i = 0; i < board->count; i++)
		r->work->stage_hash[i] = hash_text(board->stages[i].key, HASH_TEXT_SEED);
	r->work->last_person = -1;
	r->since = since;
	r->until = until;
	return LB_OK;
}

/* ---- the figures ---------------------------------------------------------------- */

/* The k-th smallest (0-based) of v[0..n): quickselect with a three-way
 * partition, so that many equal durations cost no more than distinct ones. */
static int64_t select_kth(int64_t *v, size_t n, size_t k)
{
	ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, want = (ptrdiff_t)k;

	while (lo < hi) {
		ptrdiff_t mid = lo + (hi - lo) / 2, lt = lo, i = lo, gt = hi;
		int64_t a = v[lo], b = v[mid], c = v[hi], pivot, t;

		pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		while (i <= gt) {
			if (v[i] < pivot) {
				t = v[lt]; v[lt] = v[i]; v[i] = t;
				lt++;
				i++;
			} else if (v[i] > pivot) {
				t = v[gt]; v[gt] = v[i]; v[i] = t;
				gt--;
			} else {
				i++;
			}
		}
		if (want < lt)
			hi = lt - 1;
		else if (want > gt)
			lo = gt + 1;
		else
			return pivot;
	}
	return v[want];
}

/* Nearest rank: the p-th percentile of n values is the ceil(p * n / 100)-th smallest. */
static int64_t percentile(struct durations *d, int p)
{
	size_t rank;

	if (!d->count)
		return -1;
	rank = (d->count * (size_t)p + 99) / 100;
	return select_kth(d->values, d->count, rank ? rank - 1 : 0);
}

static void sla_figures(struct report *r)
{
	struct report_work *w = r->work;
	int64_t overdue_before = rules_overdue_before(&w->settings, r->until);
	struct durations to_claim = { 0 };
	int64_t decided;

	r->sla.accept_hours = w->settings.sla_accept_hours;
	r->sla.handoffs = (int64_t)w->episode_count;
	for (size_t i = 0; i < w->episode_count; i++) {
		const struct episode *e = &w->episodes[i];
		if (e->claimed_at) {
			if (rules_claimed_in_time(&w->settings, e->at, e->claimed_at))
				r->sla.in_time++;
			else
				r->sla.late++;
			push(w, &to_claim, e->claimed_at - e->at);
		} else if (e->closed || e->at <= overdue_before) {
			r->sla.unclaimed++;
		} else {
			r->sla.pending++;
		}
	}
	decided = r->sla.in_time + r->sla.late + r->sla.unclaimed;
	r->sla.share_in_time = decided ? (double)r->sla.in_time / (double)decided : -1;
	r->sla.median_to_claim_ms = percentile(&to_claim, 50);
	free(to_claim.values);
	for (size_t i = 0; i < w->lead_count; i++) {
		const struct lead_state *lead = &w->leads[i];
		int s = lead->stage;
		if (rules_open_sales_stage(&r->board, s) && !(lead->flags & OWNED) &&
		    lead->handed_off_at && lead->handed_off_at <= overdue_before)
			r->sla.overdue_now++;
	}
}

static int speed_bucket(int64_t ms)
{
	if (ms <= 5 * 60000LL)
		return SPEED_5_MIN;
	if (ms <= 3600000LL)
		return SPEED_1_HOUR;
	if (ms <= 24 * 3600000LL)
		return SPEED_1_DAY;
	return SPEED_LATER;
}

/* Speed to lead over the episodes whose rep is `rep` (any: every one). */
static void speed_of(struct report_work *w, bool any, int32_t rep, struct report_speed *out)
{
	struct durations d = { 0 };

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < w->episode_count; i++) {
		const struct episode *e = &w->episodes[i];
		if (!any && e->rep != rep)
			continue;
		out->handoffs++;
		if (!e->contact_at) {
			out->buckets[SPEED_NEVER]++;
			continue;
		}
		out->buckets[speed_bucket(e->contact_at - e->at)]++;
		push(w, &d, e->contact_at - e->at);
	}
	out->median_ms = percentile(&d, 50);
	free(d.values);
}

/* Routing, contact and the sweep, before r->people is sorted (the
 * episodes hold indexes into it). */
static void contact_figures(struct report *r)
{
	struct report_work *w = r->work;

	speed_of(w, true, -1, &r->contact.speed);
	for (int p = 0; p < r->person_count; p++)
		speed_of(w, false, p, &r->people[p].speed);
	for (size_t i = 0; i < w->episode_count; i++) {
		const struct episode *e = &w->episodes[i];
		if (e->claimed_at && e->claimed_by >= 0 &&
		    !rules_claimed_in_time(&w->settings, e->at, e->claimed_at))
			r->people[e->claimed_by].late_claims++;
	}
	r->contact.attempts_per_passback =
		r->contact.passbacks ? (double)r->contact.passback_attempts /
					       (double)r->contact.passbacks
				     : -1;
}

static void month_of(int64_t ms, int *year, int *month)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	*year = tm.tm_year + 1900;
	*month = tm.tm_mon + 1;
}

static void sql_figures(struct report *r)
{
	struct report_work *w = r->work;
	int64_t start = r->since ? r->since : r->first_at;
	int y0, m0, y1, m1, n;

	r->sqls.per_month = w->settings.sla_sqls_per_month;
	if (!start || r->until <= start)
		return;
	r->sqls.months = (double)(r->until - start) / (double)MONTH_MS;
	r->sqls.target = r->sqls.per_month * r->sqls.months;
	month_of(start, &y0, &m0);
	month_of(r->until - 1, &y1, &m1);
	n = (y1 - y0) * 12 + (m1 - m0) + 1;
	if (n <= 0 || n > 12 * 1000 || !(r->sqls.months_list = calloc((size_t)n, sizeof *r->sqls.months_list))) {
		if (n > 0 && n <= 12 * 1000)
			w->out_of_memory = true;
		return;
	}
	r->sqls.month_count = n;
	for (int i = 0; i < n; i++) {
		r->sqls.months_list[i].year = y0 + (m0 - 1 + i) / 12;
		r->sqls.months_list[i].month = (m0 - 1 + i) % 12 + 1;
	}
	for (size_t i = 0; i < w->handoff_times.count; i++) {
		int y, m, at;
		month_of(w->handoff_times.values[i], &y, &m);
		at = (y - y0) * 12 + (m - m0);
		if (at >= 0 && at < n)
			r->sqls.months_list[at].delivered++;
	}
}

static int by_count(const void *a, const void *b)
{
	const struct report_reason *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->code, y->code);
}

static int by_login(const void *a, const void *b)
{
	return strcmp(((const struct report_person *)a)->login,
		      ((const struct report_person *)b)->login);
}

enum lb_status report_end(struct report *r)
{
	struct report_work *w = r->work;
	int last = r->board.count - 1;

	if (!w)
		return lb_fail(LB_SOFTWARE, "report_end without report_begin");
	run_batch(r);
	for (size_t i = 0; i < w->lead_count; i++) {
		const struct lead_state *lead = &w->leads[i];
		if (lead->stage >= 0)
			r->stages[lead->stage].now++;
		else if (lead->stage == STAGE_DISCARDED)
			r->discarded_now++;
		else if (lead->stage == STAGE_MERGED)
			r->merged_now++;
		for (int s = 0; s < r->board.count; s++) {
			if (!(lead->entered & (1u << s)))
				continue;
			r->stages[s].entered++;
			if (lead->reached & (1u << s))
				r->stages[s].reached_next++;
		}
		if (lead->flags & HANDED_OFF_AGAIN) {
			r->recycled.handed_off_again++;
			if (lead->flags & PASSED_BACK_AGAIN)
				r->recycled.passed_back_again++;
			if (lead->stage >= 0)
				r->recycled.now[lead->stage]++;
			else if (lead->stage == STAGE_DISCARDED)
				r->recycled.discarded++;
		}
	}
	for (int s = 0; s < r->board.count; s++) {
		struct report_stage *st = &r->stages[s];
		st->conversion = s < last && st->entered
					 ? (double)st->reached_next / (double)st->entered : -1;
		st->stays = (int64_t)w->stays[s].count;
		st->p90_ms = percentile(&w->stays[s], 90);
		st->median_ms = percentile(&w->stays[s], 50);
	}
	r->passback_rate = r->handoffs ? (double)r->passbacks / (double)r->handoffs : -1;
	if (r->reason_count)
		qsort(r->reasons, (size_t)r->reason_count, sizeof *r->reasons, by_count);
	contact_figures(r);
	if (r->person_count)
		qsort(r->people, (size_t)r->person_count, sizeof *r->people, by_login);
	if (r->person_count && !index_people(r))   /* sorted: index them again */
		w->out_of_memory = true;
	w->last_person = -1;
	sla_figures(r);
	sql_figures(r);
	if (w->out_of_memory)
		return lb_fail(LB_SOFTWARE, "out of memory computing the report");
	return LB_OK;
}

/* ---- from the store ---------------------------------------------------------------- */

static int feed_one(const struct store_report_event *e, void *ctx)
{
	struct report *r = ctx;

	return report_feed(r, e) != LB_OK;
}

static int undone_one(int64_t undo_seq, int64_t undone_seq, void *ctx)
{
	(void)undo_seq;
	return report_undone(ctx, undone_seq) != LB_OK;
}

static int member_one(const struct lb_user *user, void *ctx)
{
	struct report *r = ctx;

	return report_member(r, user->login, user->role) != LB_OK;
}

enum lb_status report_compute(struct store *store, const struct lb_board *board,
			      const struct rules_settings *settings, int64_t since, int64_t until,
			      int64_t now, bool members, struct report *r)
{
	int64_t leads = 0;
	enum lb_status st;

	if (!until)
		until = now + 1;   /* events of this very millisecond count */
	if (until <= since)
		return lb_fail(LB_USAGE, "the period is empty: --until must be after --since");
	if ((st = report_begin(r, board, settings, since, until)))
		return st;
	if ((st = store_begin_read(store)))
		return st;
	lb_clear();
	st = store_leads_bound(store, &leads);
	if (!st && leads > 0 && leads < UINT32_MAX / 4 && !reserve_leads(r->work, (size_t)leads))
		st = lb_fail(LB_SOFTWARE, "out of memory computing the report");
	if (!st && members)
		st = store_users_each(store, member_one, r);
	if (!st)
		st = store_undos_each(store, until, undone_one, r);
	if (!st)
		st = store_report_events(store, until, feed_one, r);
	store_end_read(store);
	if (!st && r->work->out_of_memory)
		st = lb_fail(LB_SOFTWARE, "out of memory computing the report");
	if (st)
		return st;
	return report_end(r);
}

void report_free(struct report *r)
{
	struct report_work *w = r->work;

	if (w) {
		for (int s = 0; s < LB_MAX_STAGES; s++)
			free(w->stays[s].values);
		free(w->handoff_times.values);
		free(w->leads);
		hash_index_free(&w->lead_index);
		free(w->episodes);
		hash_index_free(&w->person_index);
		free(w->undone);
		free(w);
	}
	free(r->reasons);
	free(r->people);
	free(r->sqls.months_list);
	r->work = NULL;
	r->reasons = NULL;
	r->people = NULL;
	r->sqls.months_list = NULL;
}
