/* door_contact.c - contact attempts with a lead and its next step. */
#include <stdio.h>
#include <string.h>

#include "door_impl.h"
#include "leadboard/replay.h"
#include "leadboard/text.h"
#include "leadboard/timeutil.h"

static enum lb_status touch_one(struct door *door, const char *id, const char *channel,
				const char *note, int64_t next_step_at, int64_t expected_version)
{
	struct rules_verdict verdict;
	struct lb_event event;
	struct lead lead, before;
	int64_t now = door->clock(), version;
	enum lb_status st;

	if (!channel || !rules_channel_valid(channel))
		return lb_fail(LB_DATA, "a contact's channel is call, email, meeting or other, not "
					"'%.40s'", channel ? channel : "");
	if (note && (st = text_check_field("note", note, LB_TEXT_MAX)))
		return st;
	if (next_step_at && next_step_at <= now)
		return lb_fail(LB_DATA, "the next step must be in the future");
	if ((st = door_load_lead(door, id, expected_version, &lead)))
		return st;
	verdict = door_rules_ask(door, &lead, &(struct rules_request){ .action = RULES_TOUCH });
	if (verdict.status)
		return door_refuse(&verdict);
	before = lead;
	door_event_init(door, &event, EV_CONTACT, &lead, now);
	snprintf(event.reason, sizeof event.reason, "%s", channel);
	snprintf(event.note, sizeof event.note, "%s", note ? note : "");
	/* the next step rides in the rule, where replay reads it */
	replay_next_step_rule(next_step_at, event.rule, sizeof event.rule);
	version = lead.version;
	lead.contact_attempts++;
	if (!lead.first_contact_at)
		lead.first_contact_at = now;
	lead.last_contact_at = lead.updated_at = now;
	lead.next_step_at = next_step_at;
	return door_save(door, &before, &lead, version, &event);
}

enum lb_status door_touch(struct door *door, const char *id, const char *channel,
			  const char *note, int64_t next_step_at, int64_t expected_version)
{
	enum lb_status st;

	do {
		if (!(st = door_begin(door)))
			st = door_finish(door, touch_one(door, id, channel, note, next_step_at,
							 expected_version));
	} while (door_again(door, st));
	return st;
}
