/* door_contact.c - contact attempts with a lead and its next step. */
#include <stdio.h>
#include <string.h>

#include "door_impl.h"
#include "leadboard/replay.h"
#include "leadboard/text.h"
#include "leadboard/timeutil.h"

struct touch_request {
	const char *id;
	const char *channel;    /* call, email, meeting or other */
	const char *note;       /* may be NULL */
	int64_t next_step_at;   /* 0: none */
	int64_t expected_version;
};

static enum lb_status touch_one(struct door *door, const void *arg)
{
	const struct touch_request *touch = arg;
	const char *channel = touch->channel, *note = touch->note;
	struct lead_change c = { .now = door->clock() };
	enum lb_status st;

	if (!channel || !rules_channel_valid(channel))
		return lb_fail(LB_DATA, "a contact's channel is call, email, meeting or other, not "
					"'%.40s'", channel ? channel : "");
	if (note && (st = text_check_field("note", note, LB_TEXT_MAX)))
		return st;
	if (touch->next_step_at && touch->next_step_at <= c.now)
		return lb_fail(LB_DATA, "the next step must be in the future");
	if ((st = door_change_load(door, touch->id, touch->expected_version, &c)) ||
	    (st = door_change_ask(door, &c, &(struct rules_request){ .action = RULES_TOUCH })))
		return st;
	snprintf(c.event.reason, sizeof c.event.reason, "%s", channel);
	snprintf(c.event.note, sizeof c.event.note, "%s", note ? note : "");
	/* the next step rides in the rule, where replay reads it */
	replay_next_step_rule(touch->next_step_at, c.event.rule, sizeof c.event.rule);
	c.lead.contact_attempts++;
	if (!c.lead.first_contact_at)
		c.lead.first_contact_at = c.now;
	c.lead.last_contact_at = c.lead.updated_at = c.now;
	c.lead.next_step_at = touch->next_step_at;
	return door_save(door, &c.before, &c.lead, &c.event);
}

enum lb_status door_touch(struct door *door, const char *id, const char *channel,
			  const char *note, int64_t next_step_at, int64_t expected_version)
{
	const struct touch_request touch = { id, channel, note, next_step_at, expected_version };

	return door_run_change(door, touch_one, &touch);
}
