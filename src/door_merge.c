/* door_merge.c - two records of one person joined: the kept lead takes the
 * other's empty fields and counts, the other leaves the board for merged. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "door_impl.h"

/* Fill keep's empty fields from other's; their names, ", "-separated, in filled. */
static void fill_empty_fields(struct lead *keep, const struct lead *other, char *filled,
			      size_t size)
{
	static const struct {
		const char *name;
		size_t offset, length;
	} texts[] = {
#define TEXT(member) { #member, offsetof(struct lead, member), sizeof(((struct lead *)0)->member) }
		TEXT(email), TEXT(phone), TEXT(company), TEXT(title), TEXT(country), TEXT(segment),
		TEXT(source),
#undef TEXT
	};
	size_t used = 0;

	filled[0] = '\0';
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		char *to = (char *)keep + texts[i].offset;
		const char *from = (const char *)other + texts[i].offset;
		if (to[0] || !from[0])
			continue;
		snprintf(to, texts[i].length, "%s", from);
		used += (size_t)snprintf(filled + used, size - used, "%s%s", used ? ", " : "",
					 texts[i].name);
		if (used >= size)
			used = size - 1;
	}
	if (keep->employees < 0 && other->employees >= 0) {
		keep->employees = other->employees;
		snprintf(filled + used, size - used, "%semployees", used ? ", " : "");
	}
}

struct merge_request {
	const char *keep, *other;               /* the lead kept, the one that leaves */
	const char *note;
	int64_t keep_version, other_version;
};

static enum lb_status merge_one(struct door *door, const void *arg)
{
	const struct merge_request *merge = arg;
	struct rules_request request = { .action = RULES_MERGE,
					 .note_given = door_note_given(merge->note) };
	struct lead_change c = { .now = door->clock() };   /* on the lead that leaves */
	struct lead keep, *other = &c.lead;
	int64_t version;
	char filled[200];
	enum lb_status st;

	if ((st = door_load_lead(door, merge->keep, merge->keep_version, &keep)) ||
	    (st = door_change_load(door, merge->other, merge->other_version, &c)) ||
	    (st = door_check_note(merge->note)))
		return st;
	request.keep = &keep;
	if ((st = door_change_ask(door, &c, &request)))
		return st;
	fill_empty_fields(&keep, other, filled, sizeof filled);
	snprintf(c.event.to_stage, sizeof c.event.to_stage, "%s", LB_MERGED);
	event_merge_note(keep.id, filled, merge->note, c.event.note, sizeof c.event.note);

	/* the one that leaves */
	snprintf(other->stage, sizeof other->stage, "%s", LB_MERGED);
	memcpy(other->merged_into, keep.id, sizeof other->merged_into);
	other->owner[0] = '\0';
	other->owner_since = other->next_step_at = 0;
	other->stage_entered_at = other->updated_at = c.now;
	/* nothing to undo: a merge is for good (rules.c) */
	if ((st = store_update_lead_state(door->store, other, c.before.version, NULL)))
		return st;
	/* the one kept: its history is now both, its counts too (replay.h) */
	version = keep.version;
	keep.recycle_count += other->recycle_count;
	keep.handoff_count += other->handoff_count;
	/* and its contact attempts: both leads' calls were to one person */
	keep.contact_attempts += other->contact_attempts;
	if (other->first_contact_at &&
	    (!keep.first_contact_at || other->first_contact_at < keep.first_contact_at))
		keep.first_contact_at = other->first_contact_at;
	if (other->last_contact_at > keep.last_contact_at)
		keep.last_contact_at = other->last_contact_at;
	keep.updated_at = c.now;
	/* its words (search) as filled; what undoing its last change would
	 * put back is gone: that change is now under the merge */
	if ((st = store_update_lead(door->store, &keep, version, NULL)))
		return st;
	return store_append_event(door->store, &c.event);
}

enum lb_status door_merge(struct door *door, const char *keep, const char *other,
			  const char *note, int64_t keep_version, int64_t other_version)
{
	const struct merge_request merge = { keep, other, note, keep_version, other_version };

	return door_run_change(door, merge_one, &merge);
}
