/*
 * door_work.c - changes that leave a lead where it is: a note, giving a
 * claimed lead back, and a manager moving all of a rep's open leads to
 * another rep.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "door_impl.h"

/* ---- a note ------------------------------------------------------------------ */

static enum lb_status note_one(struct door *door, const char *id, const char *text,
			       int64_t expected_version)
{
	struct rules_request request = { .action = RULES_NOTE,
					 .note_given = text && text[strspn(text, " \t\n")] };
	struct rules_verdict verdict;
	struct lb_event event;
	struct lead lead, before;
	int64_t now = door->clock(), version;
	enum lb_status st;

	if ((st = door_load_lead(door, id, expected_version, &lead)))
		return st;
	before = lead;
	if ((st = door_check_note(text)))
		return st;
	verdict = door_rules_ask(door, &lead, &request);
	if (verdict.status)
		return door_refuse(&verdict);
	door_event_init(door, &event, EV_NOTE, &lead, now);
	snprintf(event.note, sizeof event.note, "%s", text);
	version = lead.version;
	lead.updated_at = now;   /* worked on: not idle */
	return door_write_change(door, &before, &lead, version, &event, false);
}

enum lb_status door_note(struct door *door, const char *id, const char *text,
			 int64_t expected_version)
{
	enum lb_status st;

	do {
		if (!(st = door_begin(door)))
			st = door_finish(door, note_one(door, id, text, expected_version));
	} while (door_again(door, st));
	return st;
}

/* ---- a release ----------------------------------------------------------------- */

static enum lb_status release_one(struct door *door, const char *id, int64_t expected_version)
{
	struct rules_verdict verdict;
	struct lb_event event;
	struct lead lead, before;
	int64_t now = door->clock(), version;
	enum lb_status st;

	if ((st = door_load_lead(door, id, expected_version, &lead)))
		return st;
	before = lead;
	verdict = door_rules_ask(door, &lead, &(struct rules_request){ .action = RULES_RELEASE });
	if (verdict.status)
		return door_refuse(&verdict);
	door_event_init(door, &event, EV_RELEASE, &lead, now);
	version = lead.version;
	lead.owner[0] = '\0';
	lead.updated_at = now;
	/* handed_off_at stays: the SLA clock runs from the handoff, not from here */
	return door_write_change(door, &before, &lead, version, &event, false);
}

enum lb_status door_release(struct door *door, const char *id, int64_t expected_version)
{
	enum lb_status st;

	do {
		if (!(st = door_begin(door)))
			st = door_finish(door, release_one(door, id, expected_version));
	} while (door_again(door, st));
	return st;
}

/* ---- reassign ------------------------------------------------------------------ */

static int add_id(const struct lead *lead, void *ids)
{
	return lead_ids_add(lead->id, ids);
}

static enum lb_status reassign_one(struct door *door, const struct lb_user *to, const char *from,
				   const char *id)
{
	struct rules_verdict verdict;
	struct lb_event event;
	struct lead lead, before;
	int64_t now = door->clock(), version;
	enum lb_status st;

	if ((st = door_load_lead(door, id, DOOR_ANY_VERSION, &lead)))
		return st;
	before = lead;
	verdict = door_rules_ask(door, &lead, &(struct rules_request){ .action = RULES_ASSIGN,
							               .assignee_login = to->login,
							               .assignee = to });
	if (verdict.status)
		return door_refuse(&verdict);
	door_event_init(door, &event, EV_ASSIGN, &lead, now);
	snprintf(event.note, sizeof event.note, "%s", to->login);   /* as an assign: the assignee */
	snprintf(event.rule, sizeof event.rule, "reassign: from %s", from);
	version = lead.version;
	snprintf(lead.owner, sizeof lead.owner, "%s", to->login);
	lead.owner_since = now;   /* the contact clock starts again for the new owner */
	lead.updated_at = now;
	return door_write_change(door, &before, &lead, version, &event, false);
}

static enum lb_status reassign_all(struct door *door, const char *from, const char *to,
				   int *count)
{
	struct rules_request request = { .action = RULES_REASSIGN, .from_login = from,
					 .assignee_login = to };
	struct lb_user from_user, to_user;
	struct rules_verdict verdict;
	struct lead_ids ids = { 0 };
	enum lb_status st;

	*count = 0;
	if ((st = store_get_user(door->store, from, &from_user)) && st != LB_NOINPUT)
		return st;
	request.from_member = st == LB_OK;
	if ((st = store_get_user(door->store, to, &to_user)) && st != LB_NOINPUT)
		return st;
	request.assignee = st == LB_OK ? &to_user : NULL;
	verdict = door_rules_ask(door, NULL, &request);
	if (verdict.status)
		return door_refuse(&verdict);
	/* read first, then change: each change moves the lead out of the query */
	if ((st = store_open_leads_of(door->store, from, add_id, &ids)))
		goto done;
	if (ids.out_of_memory) {
		st = lb_fail(LB_SOFTWARE, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < ids.count && !st; i++)
		st = reassign_one(door, &to_user, from, ids.id[i]);
	if (!st)
		*count = (int)ids.count;
done:
	free(ids.id);
	return st;
}

enum lb_status door_reassign(struct door *door, const char *from, const char *to, int *count)
{
	enum lb_status st;

	do {
		if (!(st = door_begin(door)))
			st = door_finish(door, reassign_all(door, from, to, count));
	} while (door_again(door, st));
	return st;
}
