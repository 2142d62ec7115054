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

static enum lb_status note_one(struct door *door, const void *arg)
{
	const struct lead_verb *note = arg;
	const char *text = note->note;
	struct rules_request request = { .action = RULES_NOTE, .note_given = door_note_given(text) };
	struct lead_change c = { .now = door->clock() };
	enum lb_status st;

	if ((st = door_change_load(door, note->id, note->expected_version, &c)) ||
	    (st = door_check_note(text)) || (st = door_change_ask(door, &c, &request)))
		return st;
	snprintf(c.event.note, sizeof c.event.note, "%s", text);
	c.lead.updated_at = c.now;   /* worked on: not idle */
	return door_save(door, &c.before, &c.lead, &c.event);
}

enum lb_status door_note(struct door *door, const char *id, const char *text,
			 int64_t expected_version)
{
	const struct lead_verb note = { .id = id, .expected_version = expected_version,
					.note = text };

	return door_run_change(door, note_one, &note);
}

/* ---- a release ----------------------------------------------------------------- */

static enum lb_status release_one(struct door *door, const void *arg)
{
	const struct lead_verb *release = arg;
	struct lead_change c = { .now = door->clock() };
	enum lb_status st;

	if ((st = door_change_load(door, release->id, release->expected_version, &c)) ||
	    (st = door_change_ask(door, &c, &(struct rules_request){ .action = RULES_RELEASE })))
		return st;
	c.lead.owner[0] = '\0';
	c.lead.updated_at = c.now;
	/* handed_off_at stays: the SLA clock runs from the handoff, not from here */
	return door_save(door, &c.before, &c.lead, &c.event);
}

enum lb_status door_release(struct door *door, const char *id, int64_t expected_version)
{
	const struct lead_verb release = { .id = id, .expected_version = expected_version };

	return door_run_change(door, release_one, &release);
}

/* ---- reassign ------------------------------------------------------------------ */

static int add_id(const struct lead *lead, void *ids)
{
	return lead_ids_add(lead->id, ids);
}

static enum lb_status reassign_one(struct door *door, const struct lb_user *to, const char *from,
				   const char *id)
{
	struct lead_change c = { .now = door->clock() };
	enum lb_status st;

	if ((st = door_change_load(door, id, DOOR_ANY_VERSION, &c)) ||
	    (st = door_change_ask(door, &c, &(struct rules_request){ .action = RULES_ASSIGN,
								     .assignee_login = to->login,
								     .assignee = to })))
		return st;
	/* as an assign: the assignee in the note */
	snprintf(c.event.note, sizeof c.event.note, "%s", to->login);
	snprintf(c.event.rule, sizeof c.event.rule, "reassign: from %s", from);
	snprintf(c.lead.owner, sizeof c.lead.owner, "%s", to->login);
	c.lead.owner_since = c.now;   /* the contact clock starts again for the new owner */
	c.lead.updated_at = c.now;
	return door_save(door, &c.before, &c.lead, &c.event);
}

struct reassign_request {
	const char *from, *to;
	int *count;             /* how many leads changed hands */
};

static enum lb_status reassign_all(struct door *door, const void *arg)
{
	const struct reassign_request *reassign = arg;
	const char *from = reassign->from, *to = reassign->to;
	int *count = reassign->count;
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
	const struct reassign_request reassign = { from, to, count };

	return door_run_change(door, reassign_all, &reassign);
}
