/* door_import.c - the checks an import row gets before it is written, and
 * leads restored with their state, discarded ones included. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <uuid/uuid.h>

#include "door_impl.h"
#include "leadboard/text.h"

#define ALL_FIELDS                                                                     \
	(FIELD_NAME | FIELD_EMAIL | FIELD_COMPANY | FIELD_TITLE | FIELD_COUNTRY |         \
	 FIELD_EMPLOYEES | FIELD_SEGMENT | FIELD_SOURCE | FIELD_SCORE)

static bool is_discarded(const struct lead *lead)
{
	return strcmp(lead->stage, LB_DISCARDED) == 0;
}

/* The stage a lead without one starts in: as door_add() chooses it. */
static const char *default_stage(const struct door *door)
{
	enum lb_team team = role_team(door->actor.role);
	int at = board_first_of(&door->board, team == TEAM_NONE ? TEAM_MARKETING : team);

	return at >= 0 ? door->board.stages[at].key : "";
}

/* The state columns of leadboard's own export. */
static enum lb_status check_state(const struct lead *lead)
{
	uuid_t check;
	enum lb_status st;

	if (lead->id[0] && (strlen(lead->id) != LB_ID_LEN || uuid_parse(lead->id, check) != 0))
		return lb_fail(LB_DATA, "id '%.40s' is not a UUID", lead->id);
	if (lead->owner[0] && (st = door_check_key("owner", lead->owner)))
		return st;
	if (lead->last_reason[0] && (st = door_check_key("last_reason", lead->last_reason)))
		return st;
	if ((st = text_check_field("last_note", lead->last_note, LB_TEXT_MAX)))
		return st;
	if (lead->recycle_count < 0 || lead->handoff_count < 0 || lead->version < 0)
		return lb_fail(LB_DATA, "counts and version cannot be negative");
	if (lead->created_at < 0 || lead->updated_at < 0 || lead->stage_entered_at < 0 ||
	    lead->handed_off_at < 0)
		return lb_fail(LB_DATA, "times cannot be before 1970");
	return LB_OK;
}

enum lb_status door_import_check(struct door *door, const struct lead *lead, bool keep_state)
{
	struct rules_verdict verdict;
	enum lb_status st;

	if (!door->in_import)
		return lb_fail(LB_SOFTWARE, "import row outside an import");
	if ((st = door_check_fields(lead, ALL_FIELDS)))
		return st;
	if (keep_state) {
		if (door->actor.role != ROLE_ADMIN)
			return lb_fail(LB_NOPERM, "only an admin imports leads with their state "
						  "(id, stage history, owner, counts)");
		if ((st = check_state(lead)))
			return st;
		if (is_discarded(lead))
			return LB_OK;
	} else if (is_discarded(lead)) {
		return lb_fail(LB_DATA, "only an admin restoring an export imports discarded leads");
	}
	verdict = rules_check_add(&door->board, &door->actor,
				  lead->stage[0] ? lead->stage : default_stage(door));
	if (verdict.status)
		return door_refuse(&verdict);
	return LB_OK;
}

/* A discarded lead from an export: off the board, so outside the add rules;
 * an admin's restore only. Written as door_import_lead() writes a lead with
 * its state, with one create event whose to_stage is "discarded". */
static enum lb_status add_discarded(struct door *door, struct lead *lead)
{
	struct rules_verdict verdict = rules_check_admin(&door->actor, "discarded leads");
	int64_t now = door->clock();
	enum lb_status st;

	if (verdict.status)
		return door_refuse(&verdict);
	if ((st = door_check_fields(lead, ALL_FIELDS)) || (st = check_state(lead)))
		return st;
	door_fill_kept_state(lead, now);
	return door_insert_new(door, lead, now);
}

/*
 * A random (version 4) UUID, lower-case, as uuid_generate_random() makes
 * them, from random bytes fetched 256 ids at a time: at a hundred thousand
 * rows, one getrandom() per id is a noticeable share of an import.
 */
static void fresh_id(char out[LB_ID_LEN + 1])
{
	static unsigned char pool[16 * 256];
	static size_t next = sizeof pool;
	static const char hex[] = "0123456789abcdef";
	unsigned char *b;
	size_t used = 0;

	if (next == sizeof pool) {
		if (getrandom(pool, sizeof pool, 0) != (ssize_t)sizeof pool) {
			uuid_t uuid;
			uuid_generate_random(uuid);
			uuid_unparse_lower(uuid, out);
			return;
		}
		next = 0;
	}
	b = pool + next;
	next += 16;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);   /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);   /* RFC 4122 variant */
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[used++] = '-';
		out[used++] = hex[b[i] >> 4];
		out[used++] = hex[b[i] & 15];
	}
	out[used] = '\0';
	memset(b, 0, 16);
}

enum lb_status door_import_bulk_begin(struct door *door)
{
	enum lb_status st = store_stage_open(door->store);

	return st ? st : door_import_begin(door);
}

enum lb_status door_import_add(struct door *door, struct lead *lead, bool keep_state)
{
	struct lb_event event;
	int64_t now = door->clock();
	enum lb_status st;

	if (!keep_state || !lead->id[0])
		fresh_id(lead->id);
	if (!lead->stage[0])
		snprintf(lead->stage, sizeof lead->stage, "%s", default_stage(door));
	if ((st = door_import_check(door, lead, keep_state)))
		return st;
	if (door->dry_run)
		return LB_OK;
	if (keep_state && is_discarded(lead))
		return add_discarded(door, lead);
	if (keep_state)
		door_fill_kept_state(lead, now);
	else
		door_fill_new_state(door, lead, now);
	if ((st = store_stage_lead(door->store, lead)))
		return st;
	door_event_init(door, &event, EV_CREATE, lead, now);
	event.from_stage[0] = '\0';
	return store_append_event(door->store, &event);
}

enum lb_status door_import_flush(struct door *door)
{
	enum lb_status st;

	if (!door->in_import)
		return lb_fail(LB_SOFTWARE, "import flush outside an import");
	if (door->dry_run)
		return LB_OK;
	st = store_stage_flush(door->store);
	if (st == LB_DATA)
		return lb_fail(LB_DATA, "an imported lead's id is on the board already");
	return st;
}
