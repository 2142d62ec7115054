/*
 * door_undo.c - taking back one's own last change.
 *
 * Every change the door makes to a lead keeps, in the lead's row, what it
 * replaced (undo_state): the seq of its event and the lead's fields as they
 * were. An undo checks with the rules (rules_ask, RULES_UNDO: the actor's
 * own change, the lead's newest, within undo_minutes), puts those fields
 * back as one more change, and logs one event of kind undo whose note names
 * the seq it reverses (event_undo_note). The reversed event stays in the
 * log; an undo keeps nothing to undo itself.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "door_impl.h"
#include "leadboard/text.h"
#include "leadboard/timeutil.h"

/* ---- what a change replaced, as text ---------------------------------------- */

enum field_type { TEXT_FIELD, INT_FIELD, INT64_FIELD };

static const struct {
	const char *key;
	enum field_type type;
	size_t offset, size;
} kept[] = {
#define T(m) { #m, TEXT_FIELD, offsetof(struct lead, m), sizeof(((struct lead *)0)->m) }
#define I(m) { #m, INT_FIELD, offsetof(struct lead, m), 0 }
#define L(m) { #m, INT64_FIELD, offsetof(struct lead, m), 0 }
	T(stage), T(owner), I(recycle_count), I(handoff_count), T(last_reason), T(last_note),
	L(stage_entered_at), L(handed_off_at), T(name), T(email), T(phone), T(company), T(title),
	T(country), L(employees), T(segment), T(source), I(score),
#undef T
#undef I
#undef L
};

static void append(char *out, size_t size, size_t *used, const char *text)
{
	size_t n = strlen(text);

	if (*used + n + 1 > size) {
		*used = size;   /* marked full: the caller gives up */
		return;
	}
	memcpy(out + *used, text, n + 1);
	*used += n;
}

enum lb_status door_undo_state(int64_t seq, const struct lead *before, char *out, size_t size)
{
	size_t used = 0;
	char line[64];

	out[0] = '\0';
	snprintf(line, sizeof line, "seq=%" PRId64, seq);
	append(out, size, &used, line);
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		const char *field = (const char *)before + kept[i].offset;
		append(out, size, &used, "\n");
		append(out, size, &used, kept[i].key);
		append(out, size, &used, "=");
		if (kept[i].type == INT_FIELD) {
			snprintf(line, sizeof line, "%d", *(const int *)(const void *)field);
			append(out, size, &used, line);
			continue;
		}
		if (kept[i].type == INT64_FIELD) {
			snprintf(line, sizeof line, "%" PRId64, *(const int64_t *)(const void *)field);
			append(out, size, &used, line);
			continue;
		}
		/* a value is one line: its backslashes and line breaks escaped */
		for (const char *p = field; *p && used < size; p++) {
			char esc[3] = { *p, 0, 0 };
			if (*p == '\\' || *p == '\n' || *p == '\r') {
				esc[0] = '\\';
				esc[1] = *p == '\n' ? 'n' : *p == '\r' ? 'r' : '\\';
			}
			append(out, size, &used, esc);
		}
	}
	if (used >= size)
		return lb_fail(LB_SOFTWARE, "a lead's state does not fit in its undo record");
	return LB_OK;
}

/* Put what state says back into lead; the seq it was kept for in *seq.
 * false when state is not one door_undo_state() wrote. */
static bool read_state(const char *state, struct lead *lead, int64_t *seq)
{
	const char *p = state;
	bool have_seq = false;

	while (*p) {
		const char *eq = strchr(p, '='), *end = strchr(p, '\n');
		size_t key_len, i;
		char value[4 * LB_TEXT_MAX + 1];
		size_t n = 0;

		if (!end)
			end = p + strlen(p);
		if (!eq || eq > end)
			return false;
		key_len = (size_t)(eq - p);
		for (const char *v = eq + 1; v < end && n + 1 < sizeof value; v++) {
			if (*v == '\\' && v + 1 < end) {
				v++;
				value[n++] = *v == 'n' ? '\n' : *v == 'r' ? '\r' : *v;
			} else {
				value[n++] = *v;
			}
		}
		value[n] = '\0';
		if (key_len == 3 && strncmp(p, "seq", 3) == 0) {
			*seq = strtoll(value, NULL, 10);
			have_seq = *seq > 0;
		} else {
			for (i = 0; i < sizeof kept / sizeof kept[0]; i++)
				if (strlen(kept[i].key) == key_len && strncmp(p, kept[i].key, key_len) == 0)
					break;
			if (i == sizeof kept / sizeof kept[0])
				return false;
			char *field = (char *)lead + kept[i].offset;
			if (kept[i].type == TEXT_FIELD)
				snprintf(field, kept[i].size, "%s", value);
			else if (kept[i].type == INT_FIELD)
				*(int *)(void *)field = (int)strtol(value, NULL, 10);
			else
				*(int64_t *)(void *)field = strtoll(value, NULL, 10);
		}
		p = *end ? end + 1 : end;
	}
	return have_seq;
}

/* ---- undo --------------------------------------------------------------------- */

static void change_made(const struct lb_event *e, struct rules_change_made *out)
{
	out->seq = e->seq;
	out->kind = EV_COUNT;
	event_kind_parse(e->kind, &out->kind);
	out->actor = e->actor;
	out->at = e->at;
	out->routed = out->kind == EV_ASSIGN && rules_rule_routed(e->rule);
}

enum lb_status door_undo_target(struct door *door, const char *id, struct lb_event *target,
				struct lead *lead)
{
	char full[LB_ID_LEN + 1];
	enum lb_status st;

	if (id) {
		if ((st = store_resolve_id(door->store, id, full)) ||
		    (st = store_get_lead(door->store, full, lead)))
			return st;
		st = store_last_change_by(door->store, door->actor.login, full, 0, target);
		if (st == LB_NOINPUT)
			target->seq = 0;   /* none of the actor's: the rules say so */
		return st == LB_NOINPUT ? LB_OK : st;
	}
	/* the actor's newest change to any lead within the window */
	st = store_last_change_by(door->store, door->actor.login, NULL,
				  door->clock() - (int64_t)door->settings.undo_minutes * 60000, target);
	if (st == LB_NOINPUT)
		return lb_fail(LB_DATA, "nothing to undo: you have changed no lead in the last %d "
					"min (undo_minutes)", door->settings.undo_minutes);
	if (st)
		return st;
	return store_get_lead(door->store, target->lead_id, lead);
}

static int keep_event(const struct lb_event *event, void *ctx)
{
	*(struct lb_event *)ctx = *event;
	return 1;
}

static enum lb_status newest_in_history(struct door *door, const char *id, struct lb_event *out)
{
	struct store_event_filter filter = { .lead_id = id, .newest_first = true, .limit = 1 };
	enum lb_status st;

	out->seq = 0;
	if ((st = store_events_each(door->store, &filter, keep_event, out)))
		return st;
	return out->seq ? LB_OK : LB_NOINPUT;
}

struct rules_verdict door_ask_undo(struct door *door, const struct lead *lead,
				   const struct lb_event *target, int64_t now)
{
	struct rules_change_made mine, latest;
	struct lb_event newest;
	struct rules_request request = { .action = RULES_UNDO, .now = now };

	if (target->seq) {
		change_made(target, &mine);
		request.undo = &mine;
	}
	/* the lead's history: its own events and those of the leads merged
	 * into it, so that a merge into it counts as its newest change */
	if (newest_in_history(door, lead->id, &newest) == LB_OK) {
		change_made(&newest, &latest);
		request.latest = &latest;
	}
	return door_rules_ask(door, lead, &request);
}

struct undo_request {
	const char *id;         /* NULL: the actor's newest change to any lead */
	int64_t expected_seq;   /* 0: whichever that is */
	int64_t *undone;        /* the seq of the change undone */
};

static enum lb_status undo_one(struct door *door, const void *arg)
{
	const struct undo_request *undo = arg;
	struct rules_verdict verdict;
	struct lb_event target, event;
	struct lead lead, before;
	int64_t now = door->clock(), seq = 0, version;
	char sid[RULES_LABEL_SIZE];
	enum lb_event_kind kind = EV_COUNT;
	enum lb_status st;

	if ((st = door_undo_target(door, undo->id, &target, &lead)))
		return st;
	rules_lead_label(&lead, sid);
	if (undo->expected_seq && target.seq != undo->expected_seq)
		return lb_fail(LB_TEMPFAIL, "your last change to lead %s is no longer the one you "
					    "saw; look again", sid);
	verdict = door_ask_undo(door, &lead, &target, now);
	if (verdict.status)
		return door_refuse(&verdict);
	if ((st = store_get_undo_state(door->store, lead.id, door->undo_buf, sizeof door->undo_buf)))
		return st;
	before = lead;
	if (!read_state(door->undo_buf, &before, &seq) || seq != target.seq)
		return lb_fail(LB_DATA, "lead %s: what event %" PRId64 " changed was not kept, so it "
					"cannot be undone", sid, target.seq);
	event_kind_parse(target.kind, &kind);
	door_event_init(door, &event, EV_UNDO, &lead, now);
	snprintf(event.to_stage, sizeof event.to_stage, "%s", before.stage);
	event_undo_note(target.seq, kind, event.note, sizeof event.note);
	version = lead.version;
	before.updated_at = now;
	if ((st = store_append_event(door->store, &event)))
		return st;
	/* an undo leaves nothing to undo */
	if ((st = store_update_lead(door->store, &before, version, NULL)))
		return st;
	*undo->undone = target.seq;
	return LB_OK;
}

enum lb_status door_undo(struct door *door, const char *id, int64_t expected_seq,
			 int64_t *undone)
{
	const struct undo_request undo = { id, expected_seq, undone };

	return door_run_change(door, undo_one, &undo);
}

/* ---- every change: its event, then the lead with what it replaced ---------------- */

enum lb_status door_write_change(struct door *door, const struct lead *before, struct lead *after,
				 struct lb_event *event, bool all_fields)
{
	int64_t version = before->version;   /* the one this change read */
	enum lb_status st;

	if ((st = store_append_event(door->store, event)))
		return st;
	if ((st = door_undo_state(event->seq, before, door->undo_buf, sizeof door->undo_buf)))
		return st;
	if (all_fields)
		return store_update_lead(door->store, after, version, door->undo_buf);
	return store_update_lead_state(door->store, after, version, door->undo_buf);
}

enum lb_status door_undo_preview(struct door *door, const char *id, struct lb_event *target,
				 struct lead *lead, struct rules_verdict *verdict)
{
	enum lb_status st;

	if ((st = store_begin_read(door->store)))
		return st;
	st = store_load_board(door->store, &door->board);
	if (!st)
		st = store_load_settings(door->store, &door->settings);
	if (!st)
		st = door_undo_target(door, id, target, lead);
	if (!st)
		*verdict = door_ask_undo(door, lead, target, door->clock());
	store_end_read(door->store);
	return st;
}
