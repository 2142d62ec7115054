/* replay.c - what each event kind does to a lead, and a table of the names leads refer to. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "leadboard/hash_index.h"
#include "leadboard/replay.h"
#include "leadboard/rules.h"
#include "leadboard/timeutil.h"

/* ---- names ------------------------------------------------------------------ */

struct replay_names {
	char **texts;        /* by number */
	uint32_t count, capacity;
	struct hash_index index;
};

struct name_probe {
	char *const *texts;
	const char *name;
};

static uint64_t name_hash_of(uint32_t item, const void *ctx)
{
	return hash_text(((const struct replay_names *)ctx)->texts[item], HASH_TEXT_SEED);
}

static bool same_name(uint32_t item, const void *probe)
{
	const struct name_probe *p = probe;

	return strcmp(p->texts[item], p->name) == 0;
}

struct replay_names *replay_names_new(void)
{
	struct replay_names *n = calloc(1, sizeof *n);

	if (n && replay_name(n, "") != 0) {
		replay_names_free(n);
		return NULL;
	}
	return n;
}

void replay_names_free(struct replay_names *n)
{
	if (!n)
		return;
	for (uint32_t i = 0; i < n->count; i++)
		free(n->texts[i]);
	free(n->texts);
	hash_index_free(&n->index);
	free(n);
}

uint32_t replay_name(struct replay_names *n, const char *name)
{
	uint64_t hash = hash_text(name, HASH_TEXT_SEED);
	struct name_probe probe = { n->texts, name };
	uint32_t *slot;

	if (n->count == n->capacity) {
		uint32_t capacity = n->capacity ? n->capacity * 2 : 32;
		char **texts = realloc(n->texts, capacity * sizeof *texts);
		if (!texts)
			return UINT32_MAX;
		n->texts = texts;
		n->capacity = capacity;
		probe.texts = texts;
	}
	if (!hash_index_reserve(&n->index, n->count + 1, name_hash_of, n))
		return UINT32_MAX;
	slot = hash_index_slot(&n->index, hash, same_name, &probe);
	if (*slot)
		return *slot - 1;
	if (!(n->texts[n->count] = strdup(name)))
		return UINT32_MAX;
	hash_index_fill(&n->index, slot, n->count);
	return n->count++;
}

const char *replay_name_text(const struct replay_names *n, uint32_t number)
{
	return number < n->count ? n->texts[number] : "";
}

/* ---- notes ---------------------------------------------------------------------- */

void replay_note_digest(const char *note, size_t len, uint8_t out[16])
{
	struct sha256_ctx ctx;

	memset(out, 0, 16);
	if (!len)
		return;
	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)note);
	sha256_digest(&ctx, 16, out);
}

static void add_word(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_word(char *out, size_t size, const char *fmt, ...)
{
	size_t used = strlen(out);
	va_list ap;

	if (used && used + 1 < size)
		out[used++] = ' ', out[used] = '\0';
	va_start(ap, fmt);
	if (used < size)
		vsnprintf(out + used, size - used, fmt, ap);
	va_end(ap);
}

void replay_start_note(const struct lead *lead, int64_t at, char *out, size_t size)
{
	out[0] = '\0';
	if (lead->owner[0])
		add_word(out, size, "owner=%s", lead->owner);
	if (lead->recycle_count)
		add_word(out, size, "recycle_count=%d", lead->recycle_count);
	if (lead->handoff_count)
		add_word(out, size, "handoff_count=%d", lead->handoff_count);
	if (lead->version != 1)
		add_word(out, size, "version=%" PRId64, lead->version);
	if (lead->created_at != at)
		add_word(out, size, "created_at=%" PRId64, lead->created_at);
	if (lead->updated_at != at)
		add_word(out, size, "updated_at=%" PRId64, lead->updated_at);
	if (lead->stage_entered_at != at)
		add_word(out, size, "stage_entered_at=%" PRId64, lead->stage_entered_at);
	if (lead->handed_off_at)
		add_word(out, size, "handed_off_at=%" PRId64, lead->handed_off_at);
	if (lead->owner[0] && lead->owner_since && lead->owner_since != at)
		add_word(out, size, "owner_since=%" PRId64, lead->owner_since);
	if (lead->contact_attempts)
		add_word(out, size, "contact_attempts=%d", lead->contact_attempts);
	if (lead->first_contact_at)
		add_word(out, size, "first_contact_at=%" PRId64, lead->first_contact_at);
	if (lead->last_contact_at)
		add_word(out, size, "last_contact_at=%" PRId64, lead->last_contact_at);
	if (lead->next_step_at)
		add_word(out, size, "next_step_at=%" PRId64, lead->next_step_at);
	if (lead->escalated_at)
		add_word(out, size, "escalated_at=%" PRId64, lead->escalated_at);
	if (lead->last_reason[0])
		add_word(out, size, "last_reason=%s", lead->last_reason);
	if (lead->merged_into[0])
		add_word(out, size, "merged_into=%s", lead->merged_into);
	if (lead->last_note[0])
		add_word(out, size, "last_note=%s", lead->last_note);
}

static bool parse_number(const char *text, size_t len, int64_t min, int64_t *out)
{
	int64_t n = 0;

	if (len == 0 || len > 18)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return false;
		n = n * 10 + (text[i] - '0');
	}
	if (n < min)
		return false;
	*out = n;
	return true;
}

/* The field of lead that the create note's word (len bytes) holds when it
 * is a 64-bit number, and the least value it may have; NULL for any other
 * word. */
static int64_t *number_word(struct replay_lead *lead, const char *word, size_t len,
			    int64_t *least)
{
	const struct {
		const char *name;
		int64_t *field;
		int64_t least;   /* 1: a time or version that is never 0 when written */
	} words[] = {
		{ "version", &lead->version, 1 },
		{ "created_at", &lead->created_at, 0 },
		{ "updated_at", &lead->updated_at, 0 },
		{ "stage_entered_at", &lead->stage_entered_at, 0 },
		{ "handed_off_at", &lead->handed_off_at, 1 },
		{ "owner_since", &lead->owner_since, 1 },
		{ "first_contact_at", &lead->first_contact_at, 1 },
		{ "last_contact_at", &lead->last_contact_at, 1 },
		{ "next_step_at", &lead->next_step_at, 1 },
		{ "escalated_at", &lead->escalated_at, 1 },
	};

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strlen(words[i].name) == len && strncmp(word, words[i].name, len) == 0) {
			*least = words[i].least;
			return words[i].field;
		}
	}
	return NULL;
}

/* Read a create event's note into the state; false naming the first word
 * that is not a known key=value. */
static bool read_start(struct replay_names *names, struct replay_lead *lead, const char *note,
		       char *bad, size_t size)
{
	const char *p = note;

	while (*p) {
		size_t key = strcspn(p, "= "), len;
		const char *value = p + key + 1;
		int64_t n = 0, least, *field;
		char text[LB_KEY_MAX + 1];
		bool ok = true;

		if (p[key] != '=')
			goto fail;
		if (key == 9 && strncmp(p, "last_note", 9) == 0) {
			replay_note_digest(value, strlen(value), lead->last_note);
			return true;
		}
		len = strcspn(value, " ");
#define KEY(name) (key == sizeof(name) - 1 && strncmp(p, name, key) == 0)
		if (KEY("owner") || KEY("last_reason") || KEY("merged_into")) {
			uint32_t number;
			if (len == 0 || len > LB_KEY_MAX)
				goto fail;
			snprintf(text, sizeof text, "%.*s", (int)len, value);
			if ((number = replay_name(names, text)) == UINT32_MAX)
				goto fail;
			*(KEY("owner") ? &lead->owner
			  : KEY("last_reason") ? &lead->last_reason : &lead->merged_into) = number;
		} else if (KEY("recycle_count") || KEY("handoff_count") ||
			   KEY("contact_attempts")) {
			ok = parse_number(value, len, 0, &n) && n <= INT32_MAX;
			if (ok)
				*(KEY("recycle_count")   ? &lead->recycle_count
				  : KEY("handoff_count") ? &lead->handoff_count
							 : &lead->contact_attempts) = (int32_t)n;
		} else if ((field = number_word(lead, p, key, &least))) {
			ok = parse_number(value, len, least, field);
		} else {
			ok = false;
		}
#undef KEY
		if (!ok)
			goto fail;
		p = value + len;
		if (*p == ' ')
			p++;
		continue;
fail:
		snprintf(bad, size, "%.*s", (int)strcspn(p, " "), p);
		return false;
	}
	return true;
}

/* ---- one event ------------------------------------------------------------------- */

bool replay_kind_has_lead(const char *text, bool *known)
{
	enum lb_event_kind kind;

	*known = event_kind_parse(text, &kind);
	if (!*known)
		return false;
	switch (kind) {
	case EV_USER: case EV_SETTING: case EV_REASON: case EV_STAGE: case EV_COUNT:
		return false;
	case EV_CREATE: case EV_EDIT: case EV_MOVE: case EV_HANDOFF: case EV_PASSBACK:
	case EV_DISCARD: case EV_RESTORE: case EV_CLAIM: case EV_ASSIGN: case EV_OVERRIDE:
	case EV_CONTACT: case EV_ESCALATE: case EV_RECLAIM:
	case EV_MERGE:
	case EV_NOTE: case EV_RELEASE: case EV_UNDO:
		return true;
	}
	return false;
}

static enum lb_status say(char *problem, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum lb_status say(char *problem, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(problem, size, fmt, ap);
	va_end(ap);
	return LB_DATA;
}

static enum lb_status apply_create(struct replay_names *names, struct replay_lead *lead,
				   const struct replay_event *e, char *problem, size_t size)
{
	char bad[64];

	if (lead->flags & REPLAY_CREATED)
		return say(problem, size, "event %" PRId64 ": lead %s is created again (event %" PRId64
				" created it)", e->seq, e->lead_id, lead->created_by);
	memset(lead, 0, sizeof *lead);
	lead->flags = REPLAY_CREATED;
	lead->created_by = e->seq;
	if ((lead->stage = replay_name(names, e->to_stage)) == UINT32_MAX)
		return lb_fail(LB_SOFTWARE, "out of memory");
	lead->version = 1;
	lead->created_at = lead->updated_at = lead->stage_entered_at = e->at;
	if (!e->to_stage[0])
		return say(problem, size, "event %" PRId64 ": the create of lead %s names no stage",
			   e->seq, e->lead_id);
	/* Scheme 1 events came before create events stated where a lead starts. */
	if (e->scheme < 2) {
		lead->flags |= REPLAY_STAGE_ONLY;
		return LB_OK;
	}
	if (!read_start(names, lead, e->note, bad, sizeof bad))
		return say(problem, size, "event %" PRId64 ": the create of lead %s has a note that "
				"is not a starting state ('%s')", e->seq, e->lead_id, bad);
	/* an owner has had it since the lead began, unless the note says */
	if (!lead->owner)
		lead->owner_since = 0;
	else if (!lead->owner_since)
		lead->owner_since = e->at;
	return LB_OK;
}

/* The lead enters the event's to_stage at its time. */
static enum lb_status enter(struct replay_names *names, struct replay_lead *lead,
			    const struct replay_event *e, char *problem, size_t size)
{
	if ((lead->stage = replay_name(names, e->to_stage)) == UINT32_MAX)
		return lb_fail(LB_SOFTWARE, "out of memory");
	lead->stage_entered_at = e->at;
	if (!e->to_stage[0])
		return say(problem, size, "event %" PRId64 ": a %s of lead %s names no stage to go to",
			   e->seq, e->kind, e->lead_id);
	return LB_OK;
}

/* A handoff starts the lead's time with sales afresh: nobody's, no contact yet. */
static void hand_off(struct replay_lead *lead, const struct replay_event *e)
{
	lead->handoff_count++;
	lead->handed_off_at = e->at;
	lead->owner = 0;
	lead->owner_since = 0;
	lead->contact_attempts = 0;
	lead->first_contact_at = lead->last_contact_at = 0;
}

/* A pass-back or a discard: the reason and note stay with the lead. */
static enum lb_status set_last_reason(struct replay_names *names, struct replay_lead *lead,
				      const struct replay_event *e)
{
	if ((lead->last_reason = replay_name(names, e->reason)) == UINT32_MAX)
		return lb_fail(LB_SOFTWARE, "out of memory");
	replay_note_digest(e->note, strlen(e->note), lead->last_note);
	lead->owner = 0;
	lead->owner_since = 0;
	return LB_OK;
}

static enum lb_status pass_back(struct replay_names *names, struct replay_lead *lead,
				const struct replay_event *e)
{
	lead->recycle_count++;
	return set_last_reason(names, lead, e);
}

static enum lb_status set_owner(struct replay_names *names, struct replay_lead *lead,
				const char *login, int64_t at)
{
	if ((lead->owner = replay_name(names, login)) == UINT32_MAX)
		return lb_fail(LB_SOFTWARE, "out of memory");
	lead->owner_since = lead->owner ? at : 0;
	return LB_OK;
}

/* A contact attempt: counted, its time kept, and the next step it plans
 * (its rule) replaces the one before. */
static enum lb_status contact(struct replay_lead *lead, const struct replay_event *e,
			      char *problem, size_t size)
{
	int64_t next = 0;

	lead->contact_attempts++;
	if (!lead->first_contact_at)
		lead->first_contact_at = e->at;
	lead->last_contact_at = e->at;
	if (!replay_next_step_of(e->rule ? e->rule : "", &next))
		return say(problem, size, "event %" PRId64 ": the contact with lead %s plans a next "
				"step that is not a time ('%.60s')", e->seq, e->lead_id, e->rule);
	lead->next_step_at = next;
	return LB_OK;
}

#define NEXT_STEP_AT "next step at "

void replay_next_step_rule(int64_t next_ms, char *out, size_t size)
{
	char iso[32];

	if (next_ms)
		snprintf(out, size, NEXT_STEP_AT "%s", time_format_iso(next_ms, iso));
	else if (size)
		out[0] = '\0';
}

bool replay_next_step_of(const char *rule, int64_t *next_ms)
{
	size_t n = sizeof NEXT_STEP_AT - 1;
	char again[32];

	*next_ms = 0;
	if (!rule[0])
		return true;
	/* exactly as replay_next_step_rule() writes it */
	return strncmp(rule, NEXT_STEP_AT, n) == 0 && time_parse(rule + n, 0, next_ms) &&
	       *next_ms > 0 && strcmp(time_format_iso(*next_ms, again), rule + n) == 0;
}

/* The lead leaves the board for LB_MERGED, remembering the lead kept. */
static enum lb_status merge_away(struct replay_names *names, struct replay_lead *lead,
				 const struct replay_event *e, char *problem, size_t size)
{
	char keep[LB_ID_LEN + 1];
	enum lb_status st;

	if ((st = enter(names, lead, e, problem, size)))
		return st;
	lead->owner = 0;
	lead->owner_since = 0;
	lead->next_step_at = 0;
	if (strcmp(e->to_stage, LB_MERGED) != 0)
		return say(problem, size, "event %" PRId64 ": a merge of lead %s to '%s', not to '%s'",
			   e->seq, e->lead_id, e->to_stage, LB_MERGED);
	if (!event_merge_target(e->note, keep))
		return say(problem, size, "event %" PRId64 ": the merge of lead %s names no lead it "
				"was merged into", e->seq, e->lead_id);
	if ((lead->merged_into = replay_name(names, keep)) == UINT32_MAX)
		return lb_fail(LB_SOFTWARE, "out of memory");
	return LB_OK;
}

enum lb_status replay_apply_keep(const struct replay_names *names, struct replay_lead *keep,
				 const struct replay_lead *other, const struct replay_event *e,
				 char *problem, size_t size)
{
	const char *stage = replay_name_text(names, keep->stage);

	problem[0] = '\0';
	if (keep->flags & REPLAY_LOST)
		return LB_OK;
	if (!(keep->flags & REPLAY_CREATED)) {
		keep->flags |= REPLAY_LOST;
		return say(problem, size, "event %" PRId64 ": lead %s is merged into a lead no event "
				"created before", e->seq, e->lead_id);
	}
	/* the kept lead changes too (its empty fields filled) and carries the
	 * other's handoffs and pass-backs from now on; a merge is for good, so
	 * its change before the merge can no longer be undone (door_merge.c) */
	keep->prior.seq = 0;
	keep->version++;
	keep->updated_at = e->at;
	keep->recycle_count += other->recycle_count;
	keep->handoff_count += other->handoff_count;
	/* and its contact attempts, the first and the last of both (door_merge.c) */
	keep->contact_attempts += other->contact_attempts;
	if (other->first_contact_at &&
	    (!keep->first_contact_at || other->first_contact_at < keep->first_contact_at))
		keep->first_contact_at = other->first_contact_at;
	if (other->last_contact_at > keep->last_contact_at)
		keep->last_contact_at = other->last_contact_at;
	if (strcmp(stage, LB_DISCARDED) == 0 || strcmp(stage, LB_MERGED) == 0)
		return say(problem, size, "event %" PRId64 ": lead %s is merged into a lead that is "
				"%s", e->seq, e->lead_id, stage);
	return LB_OK;
}

/* The fields of struct replay_prior an undo puts back, named once for
 * keep_prior() and undo() (last_note, an array, is copied beside them). */
#define PRIOR_FIELDS(COPY)                                                                \
	COPY(stage) COPY(owner) COPY(last_reason) COPY(recycle_count) COPY(handoff_count) \
	COPY(stage_entered_at) COPY(handed_off_at)

/* Keep what the lead is before event seq changes it. */
static void keep_prior(struct replay_lead *lead, int64_t seq)
{
	struct replay_prior *p = &lead->prior;

#define KEEP(field) p->field = lead->field;
	PRIOR_FIELDS(KEEP)
#undef KEEP
	memcpy(p->last_note, lead->last_note, sizeof p->last_note);
	p->seq = seq;
}

/* An undo: the lead as it was before the event it names, which must be the
 * lead's newest (door_undo.c writes nothing else). */
static enum lb_status undo(struct replay_names *names, struct replay_lead *lead,
			   const struct replay_prior *was, const struct replay_event *e,
			   char *problem, size_t size)
{
	int64_t target;

	if (!event_undo_target(e->note, &target))
		return say(problem, size, "event %" PRId64 ": an undo of lead %s that names no event "
				"it reverses ('%.60s')", e->seq, e->lead_id, e->note);
	if (!was->seq || target != was->seq)
		return say(problem, size, "event %" PRId64 ": an undo of event %" PRId64 " on lead %s, "
				"but its newest change before was %s%" PRId64, e->seq, target, e->lead_id,
			   was->seq ? "event " : "", was->seq);
#define PUT_BACK(field) lead->field = was->field;
	PRIOR_FIELDS(PUT_BACK)
#undef PUT_BACK
	memcpy(lead->last_note, was->last_note, sizeof lead->last_note);
	if (strcmp(replay_name_text(names, lead->stage), e->to_stage) != 0)
		return say(problem, size, "event %" PRId64 ": an undo of lead %s to '%s', but before "
				"event %" PRId64 " it was in '%s'", e->seq, e->lead_id, e->to_stage,
			   target, replay_name_text(names, lead->stage));
	return LB_OK;
}

enum lb_status replay_apply(struct replay_names *names, const struct lb_board *board,
			    struct replay_lead *lead, const struct replay_event *e,
			    char *problem, size_t size)
{
	const char *stage = replay_name_text(names, lead->stage);
	enum lb_event_kind kind;
	enum lb_status st = LB_OK, done = LB_OK;

	problem[0] = '\0';
	if (!event_kind_parse(e->kind, &kind))
		return say(problem, size, "event %" PRId64 ": kind '%s' is not one this leadboard "
				"knows", e->seq, e->kind);
	if (lead->flags & REPLAY_LOST)
		return LB_OK;
	if (kind == EV_CREATE)
		return apply_create(names, lead, e, problem, size);
	if (!(lead->flags & REPLAY_CREATED)) {
		lead->flags |= REPLAY_LOST;
		return say(problem, size, "event %" PRId64 ": a %s of lead %s before any create "
				"event", e->seq, e->kind, e->lead_id);
	}
	/* Every change starts where the lead's events left it. */
	if (strcmp(e->from_stage, stage) != 0)
		st = say(problem, size, "event %" PRId64 ": a %s of lead %s from '%s', but its events "
				"leave it in '%s'", e->seq, e->kind, e->lead_id, e->from_stage, stage);
	struct replay_prior was = lead->prior;
	if (kind == EV_UNDO || kind == EV_MERGE)
		lead->prior.seq = 0;   /* an undo leaves nothing to undo; a merge is for good */
	else
		keep_prior(lead, e->seq);
	lead->version++;
	lead->updated_at = e->at;
	switch (kind) {
	case EV_EDIT:
		done = LB_OK;
		break;
	case EV_MOVE:
	case EV_RESTORE:
		done = enter(names, lead, e, problem, size);
		break;
	case EV_HANDOFF:
		if (!(done = enter(names, lead, e, problem, size)))
			hand_off(lead, e);
		break;
	case EV_PASSBACK:
		if (!(done = enter(names, lead, e, problem, size)))
			done = pass_back(names, lead, e);
		break;
	case EV_OVERRIDE: {
		/* an override may cross the boundary either way, with its effects */
		enum rules_change change = rules_change_between(board, e->from_stage, e->to_stage);
		if (!(done = enter(names, lead, e, problem, size))) {
			if (change == CHANGE_HANDOFF)
				hand_off(lead, e);
			else if (change == CHANGE_PASSBACK)
				done = pass_back(names, lead, e);
		}
		break;
	}
	case EV_DISCARD:
		if (!(done = enter(names, lead, e, problem, size)))
			done = set_last_reason(names, lead, e);
		break;
	case EV_CLAIM:
		done = set_owner(names, lead, e->actor, e->at);
		break;
	case EV_ASSIGN:
		/* the assignee is the note (door.c) */
		done = set_owner(names, lead, e->note, e->at);
		break;
	case EV_CONTACT:
		done = contact(lead, e, problem, size);
		break;
	case EV_ESCALATE:
		lead->escalated_at = e->at;
		break;
	case EV_RECLAIM:
		/* taken back from its owner; routing, when on, is an assign of its own */
		done = set_owner(names, lead, "", e->at);
		break;
	case EV_MERGE:
		done = merge_away(names, lead, e, problem, size);
		break;
	case EV_NOTE:
		done = LB_OK;   /* only the version and updated_at */
		break;
	case EV_RELEASE:
		lead->owner = 0;   /* handed_off_at stays: the SLA clock keeps its start */
		break;
	case EV_UNDO:
		done = undo(names, lead, &was, e, problem, size);
		break;
	/* No default: a new kind must say here what it does to a lead. */
	case EV_USER: case EV_SETTING: case EV_REASON: case EV_STAGE: case EV_CREATE:
	case EV_COUNT:
		return say(problem, size, "event %" PRId64 ": a %s event names lead %s", e->seq,
			   e->kind, e->lead_id);
	}
	return done ? done : st;
}

/* ---- the comparison ------------------------------------------------------------- */

static void describe(const struct store_value *v, char *out, size_t size)
{
	switch (v->type) {
	case STORE_NULL:
		snprintf(out, size, "(none)");
		break;
	case STORE_INTEGER:
		snprintf(out, size, "%" PRId64, v->integer);
		break;
	case STORE_REAL:
		snprintf(out, size, "%.17g (a real)", v->real);
		break;
	case STORE_TEXT:
		snprintf(out, size, "'%.*s'%s", (int)(v->len < 200 ? v->len : 200), v->bytes,
			 memchr(v->bytes, '\0', v->len) ? " (with a NUL byte)" : "");
		break;
	case STORE_BLOB:
		snprintf(out, size, "a blob of %zu bytes", v->len);
		break;
	}
}

struct comparison {
	const struct store_value *row;
	void (*fn)(const char *field, const char *expected, const char *found, void *ctx);
	void *ctx;
	int differ;
};

static void differs(struct comparison *c, const char *field, int column, const char *expected)
{
	char found[256];

	describe(&c->row[column], found, sizeof found);
	c->fn(field, expected, found, c->ctx);
	c->differ++;
}

static void compare_text(struct comparison *c, const char *field, int column,
			 const char *expected)
{
	const struct store_value *v = &c->row[column];
	size_t n = strlen(expected);
	char quoted[LB_KEY_MAX + 8];

	if (n ? v->type == STORE_TEXT && v->len == n && memcmp(v->bytes, expected, n) == 0
	      : v->type == STORE_NULL)
		return;
	snprintf(quoted, sizeof quoted, n ? "'%s'" : "(none)", expected);
	differs(c, field, column, quoted);
}

/* none: a NULL is what 0 means for this column */
static void compare_int(struct comparison *c, const char *field, int column, int64_t expected,
			bool none)
{
	const struct store_value *v = &c->row[column];
	char text[32];

	if (v->type == STORE_INTEGER ? v->integer == expected
				     : v->type == STORE_NULL && none && expected == 0)
		return;
	if (none && expected == 0)
		snprintf(text, sizeof text, "(none)");
	else
		snprintf(text, sizeof text, "%" PRId64, expected);
	differs(c, field, column, text);
}

static void compare_note(struct comparison *c, const uint8_t expected[16])
{
	static const uint8_t none[16];
	const struct store_value *v = &c->row[LEAD_COL_LAST_NOTE];
	uint8_t found[16];

	if (v->type == STORE_TEXT)
		replay_note_digest(v->bytes, v->len, found);
	else
		memset(found, 0, sizeof found);
	if ((v->type == STORE_TEXT || v->type == STORE_NULL) && memcmp(found, expected, 16) == 0 &&
	    !(v->type == STORE_TEXT && v->len == 0))
		return;
	differs(c, "last_note", LEAD_COL_LAST_NOTE,
		memcmp(expected, none, 16) == 0 ? "(none)"
						: "the note of its last pass-back or discard");
}

int replay_compare(const struct replay_names *names, const struct replay_lead *lead,
		   const struct store_value row[LEAD_COL_COUNT],
		   void (*fn)(const char *field, const char *expected, const char *found,
			      void *ctx),
		   void *ctx)
{
	struct comparison c = { .row = row, .fn = fn, .ctx = ctx };

	compare_text(&c, "stage", LEAD_COL_STAGE, replay_name_text(names, lead->stage));
	if (lead->flags & REPLAY_STAGE_ONLY)
		return c.differ;
	compare_text(&c, "owner", LEAD_COL_OWNER, replay_name_text(names, lead->owner));
	compare_int(&c, "recycle_count", LEAD_COL_RECYCLE_COUNT, lead->recycle_count, false);
	compare_int(&c, "handoff_count", LEAD_COL_HANDOFF_COUNT, lead->handoff_count, false);
	compare_text(&c, "last_reason", LEAD_COL_LAST_REASON,
		     replay_name_text(names, lead->last_reason));
	compare_note(&c, lead->last_note);
	compare_int(&c, "version", LEAD_COL_VERSION, lead->version, false);
	compare_int(&c, "created_at", LEAD_COL_CREATED_AT, lead->created_at, false);
	compare_int(&c, "updated_at", LEAD_COL_UPDATED_AT, lead->updated_at, false);
	compare_int(&c, "stage_entered_at", LEAD_COL_STAGE_ENTERED_AT, lead->stage_entered_at,
		    false);
	compare_int(&c, "handed_off_at", LEAD_COL_HANDED_OFF_AT, lead->handed_off_at, true);
	compare_int(&c, "contact_attempts", LEAD_COL_CONTACT_ATTEMPTS, lead->contact_attempts,
		    false);
	compare_int(&c, "first_contact_at", LEAD_COL_FIRST_CONTACT_AT, lead->first_contact_at,
		    true);
	compare_int(&c, "last_contact_at", LEAD_COL_LAST_CONTACT_AT, lead->last_contact_at, true);
	compare_int(&c, "next_step_at", LEAD_COL_NEXT_STEP_AT, lead->next_step_at, true);
	compare_int(&c, "owner_since", LEAD_COL_OWNER_SINCE, lead->owner_since, true);
	compare_int(&c, "escalated_at", LEAD_COL_ESCALATED_AT, lead->escalated_at, true);
	compare_text(&c, "merged_into", LEAD_COL_MERGED_INTO,
		     replay_name_text(names, lead->merged_into));
	return c.differ;
}
