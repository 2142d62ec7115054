/* verify.c - integrity, triggers, stored values, the chain, anchors and the replay, in one pass. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/audit.h"
#include "leadboard/hash_index.h"
#include "leadboard/replay.h"
#include "leadboard/rules.h"
#include "leadboard/verify.h"

#define VERIFY_CACHE_MIB 64

/* ---- leads by id ------------------------------------------------------------- */

/* A lead id (a UUID) as its 128 bits (lead_id_bits()). */
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
	struct hash_index index;
};

struct lead_probe {
	const struct lead_entry *entries;
	struct lead_key key;
};

/* A stored lead id as its key: false unless it is an id as leadboard
 * writes them. */
static bool key_of(const struct store_value *id, struct lead_key *k)
{
	return id->type == STORE_TEXT && lead_id_bits(id->bytes, id->len, &k->hi, &k->lo);
}

static uint64_t key_hash(struct lead_key k)
{
	return k.hi ^ (k.lo * 0x9e3779b97f4a7c15ULL);
}

static uint64_t entry_hash(uint32_t item, const void *ctx)
{
	return key_hash(((const struct lead_table *)ctx)->entries[item].key);
}

static bool same_key(uint32_t item, const void *probe)
{
	const struct lead_probe *p = probe;

	return p->entries[item].key.hi == p->key.hi && p->entries[item].key.lo == p->key.lo;
}

static void id_of(struct lead_key k, char out[LB_ID_LEN + 1])
{
	char hex[33];

	snprintf(hex, sizeof hex, "%016" PRIx64 "%016" PRIx64, k.hi, k.lo);
	snprintf(out, LB_ID_LEN + 1, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
		 hex + 16, hex + 20);
}

/* Room for this many leads without growing (one allocation on a large
 * board); false when memory runs out. */
static bool table_reserve(struct lead_table *t, size_t leads)
{
	if (leads > t->capacity) {
		struct lead_entry *entries = realloc(t->entries, leads * sizeof *entries);
		if (!entries)
			return false;
		t->entries = entries;
		t->capacity = leads;
	}
	return hash_index_reserve(&t->index, leads, entry_hash, t);
}

static void table_free(struct lead_table *t)
{
	free(t->entries);
	hash_index_free(&t->index);
}

/* The entry for k; with add, a zeroed one when there is none (NULL only
 * when out of memory). */
static struct lead_entry *table_find(struct lead_table *t, struct lead_key k, bool add)
{
	struct lead_probe probe = { t->entries, k };
	uint32_t *slot;

	if (!t->index.slots)
		return NULL;
	slot = hash_index_slot(&t->index, key_hash(k), same_key, &probe);
	if (*slot)
		return &t->entries[*slot - 1];
	if (!add)
		return NULL;
	if (t->count == t->capacity) {
		if (!table_reserve(t, t->capacity * 2))
			return NULL;
		return table_find(t, k, add);
	}
	memset(&t->entries[t->count], 0, sizeof t->entries[t->count]);
	t->entries[t->count].key = k;
	hash_index_fill(&t->index, slot, (uint32_t)t->count);
	return &t->entries[t->count++];
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

/* A merge's effect on the lead it keeps (the event is on the other). */
static void replay_kept(struct run *r, const struct replay_lead *other,
			const struct replay_event *e)
{
	struct replay_lead missing = { 0 };
	struct lead_entry *keep;
	struct lead_key key;
	char id[LB_ID_LEN + 1], why[1024];
	enum lb_status st;

	if (!event_merge_target(e->note, id) || !lead_id_bits(id, LB_ID_LEN, &key.hi, &key.lo))
		return;   /* replay_apply() said so */
	keep = table_find(&r->leads, key, false);
	st = replay_apply_keep(r->names, keep ? &keep->state : &missing, other, e, why,
			       sizeof why);
	if (st == LB_DATA)
		problem(r, "%s", why);
	else if (st)
		r->error = st;
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
		.rule = text_of(&row[EVENT_COL_RULE]),
	};
	struct lead_entry *entry;
	struct replay_lead other_before;
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
	other_before = entry->state;
	st = replay_apply(r->names, &r->board, &entry->state, &e, why, sizeof why);
	if (st == LB_DATA)
		problem(r, "%s", why);
	else if (st)
		r->error = st;
	if (!st && strcmp(e.kind, "merge") == 0)
		replay_kept(r, &other_before, &e);
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
	if (!(r->names = replay_names_new()) ||
	    !table_reserve(&r->leads, bound > 1024 ? (size_t)bound : 1024))
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
