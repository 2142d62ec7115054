/* door_route.c - routing a handoff to a rep, and the sweep's work on one lead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "door_impl.h"

/* Reps routing considers at most (a board's whole sales team). */
#define ROUTE_REPS_MAX 1024

enum lb_status door_route_pick(struct door *door, const struct lead *lead, const char *exclude,
			       int64_t now, char rep[LB_KEY_MAX + 1])
{
	struct store_rep *reps = malloc(ROUTE_REPS_MAX * sizeof *reps);
	struct rules_candidate *candidates = malloc(ROUTE_REPS_MAX * sizeof *candidates);
	int count = 0, pick;
	enum lb_status st;

	rep[0] = '\0';
	if (!reps || !candidates) {
		st = lb_fail(LB_SOFTWARE, "out of memory routing a lead");
		goto out;
	}
	if ((st = store_routing_reps(door->store, reps, ROUTE_REPS_MAX, &count)))
		goto out;
	for (int i = 0; i < count; i++)
		candidates[i] = (struct rules_candidate){ &reps[i].user, reps[i].open_count,
							  reps[i].user.routing_turn };
	pick = rules_route_pick(&door->settings, candidates, count, lead, exclude, now);
	if (pick >= 0)
		snprintf(rep, LB_KEY_MAX + 1, "%s", reps[pick].user.login);
out:
	free(reps);
	free(candidates);
	return st;
}

enum lb_status door_route_assign(struct door *door, struct lead *lead, const char *rep,
				 const char *because, int64_t now)
{
	struct lead before = *lead;
	struct lb_event event;
	int64_t turn;
	enum lb_status st;

	/* the next turn: the write lock serialises every change, so no two
	 * handoffs read the same last one */
	if ((st = store_routing_last_turn(door->store, &turn)) ||
	    (st = store_write_routing_turn(door->store, rep, ++turn)))
		return st;
	door_event_init(door, &event, EV_ASSIGN, lead, now);
	snprintf(event.note, sizeof event.note, "%s", rep);
	rules_route_rule(&door->settings, turn, because, event.rule, sizeof event.rule);
	snprintf(lead->owner, sizeof lead->owner, "%s", rep);
	lead->owner_since = lead->updated_at = now;
	return door_save(door, &before, lead, &event);
}

enum lb_status door_route(struct door *door, struct lead *lead, const char *exclude,
			  const char *because, int64_t now, bool *routed)
{
	char rep[LB_KEY_MAX + 1];
	enum lb_status st;

	if (routed)
		*routed = false;
	if ((st = door_route_pick(door, lead, exclude, now, rep)) || !rep[0])
		return st;   /* nobody: the lead waits, unclaimed */
	if (!(st = door_route_assign(door, lead, rep, because, now)) && routed)
		*routed = true;
	return st;
}

/* ---- the sweep ---------------------------------------------------------------- */

/* Taken back from a rep who made no contact in time; then routed again,
 * to someone else, when routing is on. */
static enum lb_status reclaim(struct door *door, struct lead *lead,
			      const struct rules_verdict *verdict, int64_t now,
			      struct door_sweep_result *result)
{
	struct lead before = *lead;
	struct lb_event event;
	bool routed = false;
	enum lb_status st;

	snprintf(result->from, sizeof result->from, "%s", lead->owner);
	door_event_init(door, &event, EV_RECLAIM, lead, now);
	snprintf(event.reason, sizeof event.reason, "sla-breach");
	snprintf(event.note, sizeof event.note, "%s", lead->owner);
	snprintf(event.rule, sizeof event.rule, "%s", verdict->rule);
	lead->owner[0] = '\0';
	lead->owner_since = 0;
	lead->updated_at = now;
	if ((st = door_save(door, &before, lead, &event)))
		return st;
	result->action = SWEEP_RECLAIMED;
	if (verdict->route &&
	    (st = door_route(door, lead, result->from, verdict->rule, now, &routed)))
		return st;
	if (routed)
		snprintf(result->to, sizeof result->to, "%s", lead->owner);
	return LB_OK;
}

/* Nobody took it in time: routing tries again, else managers are told once. */
static enum lb_status unclaimed(struct door *door, struct lead *lead,
				const struct rules_verdict *verdict, int64_t now,
				struct door_sweep_result *result)
{
	struct lead before;
	struct lb_event event;
	bool routed = false;
	enum lb_status st;

	if (verdict->route && (st = door_route(door, lead, NULL, verdict->rule, now, &routed)))
		return st;
	if (routed) {
		result->action = SWEEP_ROUTED;
		snprintf(result->to, sizeof result->to, "%s", lead->owner);
		return LB_OK;
	}
	if (!verdict->escalate) {
		result->action = SWEEP_WAITING;
		return LB_OK;
	}
	before = *lead;
	door_event_init(door, &event, EV_ESCALATE, lead, now);
	snprintf(event.rule, sizeof event.rule, "%s", verdict->rule);
	lead->escalated_at = lead->updated_at = now;
	result->action = SWEEP_ESCALATED;
	return door_save(door, &before, lead, &event);
}

static enum lb_status sweep_one(struct door *door, const char *id,
				struct door_sweep_result *result)
{
	int64_t now = door->clock();
	struct rules_request request = { .action = RULES_SWEEP, .now = now };
	struct rules_verdict verdict;
	struct lead lead;
	enum lb_status st;

	if ((st = door_load_lead(door, id, DOOR_ANY_VERSION, &lead)))
		return st;
	verdict = door_rules_ask(door, &lead, &request);
	if (verdict.status)
		return LB_OK;   /* it keeps the agreement now: nothing to do */
	if (verdict.breach == BREACH_UNCONTACTED)
		return reclaim(door, &lead, &verdict, now, result);
	return unclaimed(door, &lead, &verdict, now, result);
}

/* One attempt, from door_begin() to door_finish(). */
static enum lb_status sweep_lead_once(struct door *door, const char *id,
				      struct door_sweep_result *result)
{
	enum lb_status st;

	memset(result, 0, sizeof *result);
	result->action = SWEEP_NOTHING;
	if ((st = door_begin(door)))
		return st;
	st = sweep_one(door, id, result);
	/* nothing written: nothing to commit */
	if (!st && (result->action == SWEEP_NOTHING || result->action == SWEEP_WAITING)) {
		store_rollback(door->store);
		return LB_OK;
	}
	return door_finish(door, st);
}

enum lb_status door_sweep_lead(struct door *door, const char *id,
			       struct door_sweep_result *result)
{
	enum lb_status st;

	do
		st = sweep_lead_once(door, id, result);
	while (door_again(door, st));
	return st;
}
