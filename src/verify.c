/* verify.c - integrity, triggers, stored values, the chain, anchors and the replay, in one pass. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "leadboard/audit.h"
#include "leadboard/replay.h"
#include "leadboard/verify.h"

#define VERIFY_CACHE_MIB 64

/* ---- leads by id ------------------------------------------------------------- */

/* A lead id (a UUID) as 128 bits: ids are random, so the bits themselves,
 * mixed with a per-run seed, spread the table. */
struct lead_key {
	uint64_t hi, lo;
};

struct lead_entry {
	struct lead_key key;
	struct replay_lead state;
};

struct lead_table {
	struct lead_entry *entries;
	size_t count, capacity;
	uint32_t *slots;       /* index + 1; 0 for empty */
	size_t mask;
	uint64_t seed;
};

/* A stored lead id as its key: false unless it is a lower-case UUID, as
 * leadboard writes them (audit_is_lead_id()). */
static bool key_of(const struct store_value *id, struct lead_key *k)
{
	static const char dash_at[LB_ID_LEN] = { [8] = 1, [13] = 1, [18] = 1, [23] = 1 };
	uint64_t half[2] = { 0, 0 };
	int digits = 0;

	if (id->type != STORE_TEXT || id->len != LB_ID_LEN)
		return false;
	for (int i = 0; i < LB_ID_LEN; i++) {
		unsigned char c = (unsigned char)id->bytes[i];
		unsigned v;

		if (dash_at[i]) {
			if (c != '-')
				return false;
			continue;
		}
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else
			return false;
		half[digits >= 16] = half[digits >= 16] << 4 | v;
		digits++;
	}
	k->hi = half[0];
	k->lo = half[1];
	return true;
}

static void id_of(struct lead_key k, char out[LB_ID_LEN + 1])
{
	char hex[33];

	snprintf(hex, sizeof hex, "%016" PRIx64 "%016" PRIx64, k.hi, k.lo);
	snprintf(out, LB_ID_LEN + 1, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
		 hex + 16, hex + 20);
}

static size_t slot_of(const struct lead_table *t, struct lead_key k)
{
	uint64_t h = (k.hi ^ t->seed) * 0x9e3779b97f4a7c15ull ^ k.lo;

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return (size_t)h & t->mask;
}

static bool table_init(struct lead_table *t, int64_t expected)
{
	size_t slots = 1024;

	memset(t, 0, sizeof *t);
	while ((int64_t)slots < 2 * expected)
		slots *= 2;
	if (getrandom(&t->seed, sizeof t->seed, 0) != (ssize_t)sizeof t->seed)
		t->seed = (uint64_t)(uintptr_t)t ^ 0x5851f42d4c957f2dull;
	t->mask = slots - 1;
	t->capacity = slots / 2;
	t->slots = calloc(slots, sizeof *t->slots);
	t->entries = malloc(t->capacity * sizeof *t->entries);
	return t->slots && t->entries;
}

static void table_free(struct lead_table *t)
{
	free(t->slots);
	free(t->entries);
}

static bool table_grow(struct lead_table *t)
{
	size_t slots = (t->mask + 1) * 2;
	uint32_t *table = calloc(slots, sizeof *table);
	struct lead_entry *entries = realloc(t->entries, slots / 2 * sizeof *entries);

	if (entries)
		t->entries = entries;
	if (!table || !entries || slots / 2 > UINT32_MAX - 1) {
		free(table);
		return false;
	}
	free(t->slots);
	t->slots = table;
	t->mask = slots - 1;
	t->capacity = slots / 2;
	for (size_t i = 0; i < t->count; i++) {
		size_t s = slot_of(t, t->entries[i].key);
		while (t->slots[s])
			s = (s + 1) & t->mask;
		t->slots[s] = (uint32_t)i + 1;
	}
	return true;
}

/* The entry for k; with add, a zeroed one when there is none (NULL only
 * when out of memory). */
static struct lead_entry *table_find(struct lead_table *t, struct lead_key k, bool add)
{
	size_t s = slot_of(t, k);

	for (; t->slots[s]; s = (s + 1) & t->mask) {
		struct lead_entry *e = &t->entries[t->slots[s] - 1];
		if (e->key.hi == k.hi && e->key.lo == k.lo)
			return e;
	}
	if (!add)
		return NULL;
	if (t->count == t->capacity) {
		if (!table_grow(t))
			return NULL;
		return table_find(t, k, add);
	}
	memset(&t->entries[t->count], 0, sizeof t->entries[t->count]);
	t->entries[t->count].key = k;
	t->slots[s] = (uint32_t)++t->count;
	return &t->entries[t->count - 1];
}

/* ---- the run ------------------------------------------------------------------- */

struct run {
	const struct verify_options *options;
	struct verify_result *result;
	struct lb_board board;
	struct replay_names *names;
	struct lead_table leads;
	enum lb_status error;         /* a failure that stops the run (out of memory) */

	/* the chain */
	int64_t expected_seq;
	char prev[65];
	int64_t prev_scheme;
	int64_t last_break;           /* the newest event where the chain breaks */
	int64_t seq;                  /* the row being read */

	/* the anchors, walked alongside the log */
	size_t next_anchor;
	int64_t newest_held;
};

static void problem(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct run *r, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	r->result->problems++;
	if (r->options->problem)
		r->options->problem(text, r->options->ctx);
}

static void on_trigger(const char *name, const char *what, void *ctx)
{
	problem(ctx, "trigger %s %s", name, what);
}

static void on_column(const char *column, const char *what, void *ctx)
{
	struct run *r = ctx;

	problem(r, "event %" PRId64 ": %s %s", r->seq, column, what);
}

static void chain_broken(struct run *r)
{
	r->last_break = r->seq;
}

/* seq, prev_hash, hash and hash_scheme: the links of the chain. */
static void check_links(struct run *r, const struct store_value row[EVENT_COL_COUNT])
{
	const struct store_value *prev = &row[EVENT_COL_PREV_HASH], *hash = &row[EVENT_COL_HASH];
	const struct store_value *scheme = &row[EVENT_COL_HASH_SCHEME];
	char want[65];

	if (r->seq < r->expected_seq) {
		chain_broken(r);
		problem(r, "event %" PRId64 ": seq below 1 (the log starts at event 1)", r->seq);
	} else if (r->seq > r->expected_seq) {
		chain_broken(r);
		if (r->seq == r->expected_seq + 1)
			problem(r, "event %" PRId64 ": event %" PRId64 " before it is missing",
				r->seq, r->expected_seq);
		else
			problem(r, "event %" PRId64 ": events %" PRId64 " to %" PRId64
				   " before it are missing", r->seq, r->expected_seq, r->seq - 1);
	} else if (prev->len != 64 || memcmp(prev->bytes, r->prev, 64) != 0) {
		chain_broken(r);
		if (r->seq == 1)
			problem(r, "event 1: prev_hash is not the genesis hash (the log's first "
				   "events were removed and the rest renumbered)");
		else
			problem(r, "event %" PRId64 ": prev_hash is not the hash of event %" PRId64
				   " (rows removed, reordered or replaced)", r->seq, r->seq - 1);
	}
	if (scheme->type == STORE_INTEGER && scheme->integer < r->prev_scheme) {
		chain_broken(r);
		problem(r, "event %" PRId64 ": hash scheme %" PRId64 " after scheme %" PRId64
			   " (written around leadboard)", r->seq, scheme->integer, r->prev_scheme);
	}
	if (!audit_hash_row(row, want)) {
		chain_broken(r);
		problem(r, "event %" PRId64 ": hash_scheme is not one this leadboard knows", r->seq);
	} else if (hash->len != 64 || memcmp(hash->bytes, want, 64) != 0) {
		chain_broken(r);
		problem(r, "event %" PRId64 ": its content does not match its hash (edited)",
			r->seq);
	}
	if (scheme->type == STORE_INTEGER && scheme->integer > r->prev_scheme) {
		r->prev_scheme = scheme->integer;
		if (scheme->integer >= 2 && !r->result->scheme2_from)
			r->result->scheme2_from = r->seq;
	}
	snprintf(r->prev, sizeof r->prev, "%.*s", (int)(hash->len < 64 ? hash->len : 64),
		 hash->bytes);
	r->expected_seq = r->seq + 1;
}

/* The anchors at or before this event. */
static void check_anchors(struct run *r, const struct store_value *hash)
{
	const struct anchor_set *set = r->options->anchors;
	uint8_t stored[32];

	while (set && r->next_anchor < set->count && set->items[r->next_anchor].seq <= r->seq) {
		const struct anchor *a = &set->items[r->next_anchor++];
		char witnessed[65];

		anchor_hex(a->hash, witnessed);
		if (a->seq < r->seq)
			problem(r, "anchor %" PRId64 ": event %" PRId64 " is missing (removed)", a->seq,
				a->seq);
		else if (hash->len != 64 || !anchor_unhex(hash->bytes, stored) ||
			 memcmp(stored, a->hash, sizeof stored) != 0)
			problem(r, "anchor %" PRId64 ": event %" PRId64 " has hash %.64s, the witness "
				   "says %s (the log was rewritten)", a->seq, a->seq, hash->bytes,
				witnessed);
		else {
			r->result->anchors_held++;
			r->newest_held = a->seq;
		}
	}
}

static const char *text_of(const struct store_value *v)
{
	return v->type == STORE_TEXT ? v->bytes : "";
}

/* The event's effect on its lead. */
static void replay_event(struct run *r, const struct store_value row[EVENT_COL_COUNT])
{
	const struct store_value *id = &row[EVENT_COL_LEAD_ID];
	struct replay_event e = {
		.seq = r->seq,
		.at = row[EVENT_COL_AT].integer,
		.scheme = row[EVENT_COL_HASH_SCHEME].integer,
		.actor = text_of(&row[EVENT_COL_ACTOR]),
		.lead_id = text_of(id),
		.kind = text_of(&row[EVENT_COL_KIND]),
		.from_stage = text_of(&row[EVENT_COL_FROM_STAGE]),
		.to_stage = text_of(&row[EVENT_COL_TO_STAGE]),
		.reason = text_of(&row[EVENT_COL_REASON]),
		.note = text_of(&row[EVENT_COL_NOTE]),
	};
	struct lead_entry *entry;
	struct lead_key key;
	char why[1024];
	bool known;
	enum lb_status st;

	if (!replay_kind_has_lead(e.kind, &known)) {
		if (!known)
			problem(r, "event %" PRId64 ": kind '%s' is not one this leadboard knows",
				r->seq, e.kind);
		else if (id->type != STORE_NULL)
			problem(r, "event %" PRId64 ": a %s event names lead %s", r->seq, e.kind,
				e.lead_id);
		return;
	}
	if (id->type == STORE_NULL) {
		problem(r, "event %" PRId64 ": a %s event names no lead", r->seq, e.kind);
		return;
	}
	if (!key_of(id, &key))
		return;   /* on_column() said so */
	if (!(entry = table_find(&r->leads, key, true))) {
		r->error = lb_fail(LB_SOFTWARE, "out of memory replaying the log");
		return;
	}
	st = replay_apply(r->names, &r->board, &entry->state, &e, why, sizeof why);
	if (st == LB_DATA)
		problem(r, "%s", why);
	else if (st)
		r->error = st;
}

static int on_event(const struct store_value row[EVENT_COL_COUNT], void *ctx)
{
	struct run *r = ctx;
	const struct store_value *hash = &row[EVENT_COL_HASH];

	r->seq = row[EVENT_COL_SEQ].integer;
	audit_check_row(row, on_column, r);
	check_links(r, row);
	check_anchors(r, hash);
	replay_event(r, row);
	r->result->events++;
	r->result->head_seq = r->seq;
	snprintf(r->result->head_hash, sizeof r->result->head_hash, "%.*s",
		 (int)(hash->len < 64 ? hash->len : 64), hash->bytes);
	return r->error != LB_OK;
}

/* ---- the leads table against the replay ------------------------------------------ */

struct lead_check {
	struct run *run;
	const char *id;
};

static void on_field(const char *field, const char *expected, const char *found, void *ctx)
{
	struct lead_check *c = ctx;

	problem(c->run, "lead %s: %s expected %s, found %s", c->id, field, expected, found);
}

static int on_lead(const struct store_value row[LEAD_COL_COUNT], void *ctx)
{
	struct run *r = ctx;
	const struct store_value *id = &row[LEAD_COL_ID];
	struct lead_check check = { r, id->bytes };
	struct lead_entry *entry;
	struct lead_key key;

	if (!key_of(id, &key)) {
		problem(r, "lead '%.40s': its id is not a lower-case UUID", id->bytes);
		return 0;
	}
	entry = table_find(&r->leads, key, false);
	if (!entry || !(entry->state.flags & (REPLAY_CREATED | REPLAY_LOST))) {
		problem(r, "lead %s: in the leads table, but no event created it", id->bytes);
		return 0;
	}
	entry->state.flags |= REPLAY_MATCHED;
	if (entry->state.flags & REPLAY_LOST)
		return 0;   /* its events were reported already */
	r->result->leads++;
	if (entry->state.flags & REPLAY_STAGE_ONLY)
		r->result->stage_only++;
	replay_compare(r->names, &entry->state, row, on_field, &check);
	return 0;
}

static void missing_leads(struct run *r)
{
	for (size_t i = 0; i < r->leads.count; i++) {
		const struct lead_entry *e = &r->leads.entries[i];
		char id[LB_ID_LEN + 1];

		if (!(e->state.flags & REPLAY_CREATED) || (e->state.flags & REPLAY_MATCHED))
			continue;
		id_of(e->key, id);
		problem(r, "lead %s: created by event %" PRId64 ", but missing from the leads table",
			id, e->state.created_by);
	}
}

/* Anchors past the head, whether the newest held anchor still links to the
 * head, and the unwitnessed tail. */
static void finish_anchors(struct run *r)
{
	const struct anchor_set *set = r->options->anchors;
	struct verify_result *res = r->result;

	for (; set && r->next_anchor < set->count; r->next_anchor++) {
		int64_t seq = set->items[r->next_anchor].seq;
		problem(r, "anchor %" PRId64 ": event %" PRId64 " is missing; the log ends at "
			   "event %" PRId64 " (events were removed from its end)", seq, seq,
			res->head_seq);
	}
	if (r->newest_held && r->last_break > r->newest_held)
		problem(r, "anchor %" PRId64 ": event %" PRId64 " is as witnessed, but the chain "
			   "from it to the head breaks at event %" PRId64, r->newest_held,
			r->newest_held, r->last_break);
	else
		res->witnessed = r->newest_held;
	if (set && r->options->strict && res->head_seq > res->witnessed) {
		int64_t tail = res->head_seq - res->witnessed;
		problem(r, "%" PRId64 " event%s at the tail (after event %" PRId64 ") %s no "
			   "witness (--strict)", tail, tail == 1 ? "" : "s", res->witnessed,
			tail == 1 ? "has" : "have");
	}
}

static enum lb_status run_checks(struct store *store, struct run *r)
{
	enum lb_status st;
	int64_t bound;

	/* integrity_check reads every index against its table: with SQLite's
	 * default 2 MiB cache it rereads pages from the file all along (at a
	 * million events four times the system time) */
	if ((st = store_bulk_cache(store, VERIFY_CACHE_MIB)))
		return st;
	st = store_integrity_check(store);
	if (st == LB_DATA)
		problem(r, "%s", lb_message(st));
	else if (st)
		return st;
	if ((st = store_check_triggers(store, on_trigger, r, &r->result->triggers)))
		return st;
	if ((st = store_load_board(store, &r->board)) || (st = store_leads_bound(store, &bound)))
		return st;
	if (!(r->names = replay_names_new()) || !table_init(&r->leads, bound))
		return lb_fail(LB_SOFTWARE, "out of memory");
	if ((st = store_events_stored_each(store, on_event, r)))
		return st;
	if (r->error)
		return r->error;
	finish_anchors(r);
	if ((st = store_lead_states_each(store, on_lead, r)))
		return st;
	missing_leads(r);
	return LB_OK;
}

enum lb_status verify_run(struct store *store, const struct verify_options *options,
			  struct verify_result *result)
{
	struct run r = { .options = options, .result = result, .expected_seq = 1 };
	enum lb_status st;

	memset(result, 0, sizeof *result);
	memcpy(r.prev, audit_genesis, sizeof r.prev);
	/* One snapshot: the leads and the events must be of the same moment. */
	if ((st = store_begin_read(store)))
		return st;
	st = run_checks(store, &r);
	store_end_read(store);
	replay_names_free(r.names);
	table_free(&r.leads);
	if (st)
		return st;
	if (result->problems)
		return lb_fail(LB_DATA, "verify found %" PRId64 " problem%s", result->problems,
			       result->problems == 1 ? "" : "s");
	return LB_OK;
}
