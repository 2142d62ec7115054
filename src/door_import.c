/* door_import.c - an import through the door: the checks a row gets, its
 * lead held in the pending table until door_import_flush(), leads restored
 * with their state, discarded ones included, and the dry run that checks
 * every row in a read snapshot and writes nothing. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <uuid/uuid.h>

#include "door_impl.h"
#include "leadboard/text.h"

/* The state columns of leadboard's own export. */
static enum lb_status check_state(const struct lead *lead)
{
	uuid_t check;
	enum lb_status st;

	if (lead->id[0] && (strlen(lead->id) != LB_ID_LEN || uuid_parse(lead->id, check) != 0))
		return lb_fail(LB_DATA, "id '%.40s' is not a UUID", lead->id);
	if (lead->merged_into[0] &&
	    (strlen(lead->merged_into) != LB_ID_LEN || uuid_parse(lead->merged_into, check) != 0))
		return lb_fail(LB_DATA, "merged_into '%.40s' is not a UUID", lead->merged_into);
	if (lead->merged_into[0] && strcmp(lead->stage, LB_MERGED) != 0)
		return lb_fail(LB_DATA, "merged_into is for a merged lead; this one is in '%.40s'",
			       lead->stage);
	if (lead->owner[0] && (st = door_check_key("owner", lead->owner)))
		return st;
	if (lead->last_reason[0] && (st = door_check_key("last_reason", lead->last_reason)))
		return st;
	if ((st = text_check_field("last_note", lead->last_note, LB_TEXT_MAX)))
		return st;
	if (lead->recycle_count < 0 || lead->handoff_count < 0 || lead->version < 0)
		return lb_fail(LB_DATA, "counts and version cannot be negative");
	if (lead->created_at < 0 || lead->updated_at < 0 || lead->stage_entered_at < 0 ||
	    lead->handed_off_at < 0 || lead->first_contact_at < 0 || lead->last_contact_at < 0 ||
	    lead->next_step_at < 0 || lead->owner_since < 0 || lead->escalated_at < 0)
		return lb_fail(LB_DATA, "times cannot be before 1970");
	if (lead->contact_attempts < 0)
		return lb_fail(LB_DATA, "contact_attempts cannot be negative");
	return LB_OK;
}

/*
 * Every check of a row (its fields made uniform first), writing nothing;
 * the rules' verdict in *verdict. With look_up, a row whose e-mail is on
 * the board is refused as add refuses it; door_import_check() leaves that
 * to the importer, which skips or updates such rows as asked. A row with
 * leadboard's state (an admin restoring an export) keeps its e-mail as it
 * was: the board it comes from allowed what it holds.
 */
static enum lb_status check_row(struct door *door, struct lead *lead, bool keep_state,
				bool look_up, struct rules_verdict *verdict)
{
	struct lead duplicate;
	bool has_duplicate = false;
	enum lb_status st;

	if (!door->in_import)
		return lb_fail(LB_SOFTWARE, "import row outside an import");
	door_clean_fields(lead, FIELD_ALL);
	if ((st = door_check_fields(lead, FIELD_ALL)))
		return st;
	if (look_up && !keep_state &&
	    (st = door_find_duplicate(door, lead->email, NULL, &duplicate, &has_duplicate)))
		return st;
	*verdict = door_ask_add(door, lead, keep_state, has_duplicate ? &duplicate : NULL);
	if (verdict->status)
		return door_refuse(verdict);
	return keep_state ? check_state(lead) : LB_OK;
}

enum lb_status door_import_check(struct door *door, const struct lead *lead, bool keep_state)
{
	struct rules_verdict verdict;
	struct lead row = *lead;

	return check_row(door, &row, keep_state, false, &verdict);
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

/* Once an import's transaction is open (st: how opening it went; a write,
 * or a dry run's read snapshot), whether the board has leads: an empty
 * board has no e-mail to look up (the importer finds the file's own
 * duplicates). On failure the transaction is closed again. */
static enum lb_status import_opened(struct door *door, enum lb_status st, bool dry_run)
{
	bool has_leads = true;

	if (!st && (st = store_has_leads(door->store, &has_leads))) {
		if (dry_run)
			store_end_read(door->store);
		else
			store_rollback(door->store);
	}
	door->in_import = st == LB_OK;
	door->dry_run = dry_run && st == LB_OK;
	door->import_board_empty = !has_leads;
	return st;
}

enum lb_status door_import_begin(struct door *door)
{
	enum lb_status st = store_pending_open(door->store);

	if (!st)
		st = door_begin(door);
	return import_opened(door, st, false);
}

enum lb_status door_import_dry_begin(struct door *door)
{
	/* a snapshot, not the writers' queue: stopping a dry run stalls nobody */
	enum lb_status st = store_begin_read(door->store);

	if (!st)
		st = door_reload(door);
	return import_opened(door, st, true);
}

enum lb_status door_import_add(struct door *door, struct lead *lead, bool keep_state)
{
	struct rules_verdict verdict;
	struct lb_event event;
	int64_t now = door->clock();
	enum lb_status st;

	if (!keep_state || !lead->id[0])
		fresh_id(lead->id);
	if ((st = check_row(door, lead, keep_state, true, &verdict)))
		return st;
	if (door->dry_run)
		return LB_OK;
	if (verdict.stage < 0) {
		/* a discarded lead from an export: off the board, as it was */
		door_fill_kept_state(lead, now);
		return door_insert_new(door, lead, now, NULL);
	}
	snprintf(lead->stage, sizeof lead->stage, "%s", door->board.stages[verdict.stage].key);
	if (keep_state)
		door_fill_kept_state(lead, now);
	else
		door_fill_new_state(door, lead, verdict.owns, now);
	if ((st = store_pending_add(door->store, lead)))
		return st;
	door_create_event(door, &event, lead, now);
	if (verdict.duplicate)
		snprintf(event.rule, sizeof event.rule, "%s", verdict.overridden);
	return store_append_event(door->store, &event);
}

enum lb_status door_import_flush(struct door *door)
{
	enum lb_status st;

	if (!door->in_import)
		return lb_fail(LB_SOFTWARE, "import flush outside an import");
	if (door->dry_run)
		return LB_OK;
	st = store_pending_flush(door->store);
	if (st == LB_DATA)
		return lb_fail(LB_DATA, "an imported lead's id is on the board already");
	return st;
}
