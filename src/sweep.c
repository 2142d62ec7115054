/* sweep.c - one run of the sweep: find the leads that may have broken the SLA,
 * then let the door act on each in a change of its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/rules.h"
#include "leadboard/sweep.h"

/* Every candidate, read in one snapshot before any change. */
static enum lb_status candidates(struct store *store, int64_t now, struct lead_ids *ids)
{
	struct rules_settings settings;
	struct lb_board board;
	struct store_sweep_query q;
	enum lb_status st;
	int arrival;

	if ((st = store_begin_read(store)))
		return st;
	if (!(st = store_load_board(store, &board)))
		st = store_load_settings(store, &settings);
	if (!st) {
		arrival = board_first_of(&board, TEAM_SALES);
		q = (struct store_sweep_query){
			.uncontacted = rules_contact_sla_on(&settings),
			.arrival_stage = board.stages[arrival].key,
			.uncontacted_before = rules_uncontacted_before(&settings, now),
			.overdue_before = rules_overdue_before(&settings, now),
			.escalated_too = settings.routing != ROUTING_OFF,
		};
		st = store_sweep_candidates(store, &q, lead_ids_add, ids);
	}
	store_end_read(store);
	if (!st && ids->out_of_memory)
		st = lb_fail(LB_SOFTWARE, "out of memory listing the sweep's leads");
	return st;
}

enum lb_status sweep_run(struct store *store, struct door *door, struct sweep_summary *s)
{
	struct lead_ids ids = { 0 };
	enum lb_status st;

	memset(s, 0, sizeof *s);
	if ((st = candidates(store, door_now(door), &ids))) {
		free(ids.id);
		return st;
	}
	for (size_t i = 0; i < ids.count && !st; i++) {
		struct door_sweep_result r;

		s->looked_at++;
		st = door_sweep_lead(door, ids.id[i], &r);
		if (st == LB_TEMPFAIL) {
			s->busy++;       /* the next run tries again */
			st = LB_OK;
			continue;
		}
		if (st == LB_NOINPUT) {
			st = LB_OK;      /* gone since the list was read */
			continue;
		}
		switch (r.action) {
		case SWEEP_ROUTED: s->routed++; break;
		case SWEEP_ESCALATED: s->escalated++; break;
		case SWEEP_WAITING: s->waiting++; break;
		case SWEEP_RECLAIMED:
			s->reclaimed++;
			if (r.to[0])
				s->rerouted++;
			break;
		case SWEEP_NOTHING: break;
		}
	}
	free(ids.id);
	return st;
}

void sweep_summary_line(const struct sweep_summary *s, char *out, size_t size)
{
	snprintf(out, size, "sweep: %d routed, %d escalated, %d reclaimed (%d routed again), "
			    "%d still waiting for a rep%s",
		 s->routed, s->escalated, s->reclaimed, s->rerouted, s->waiting,
		 s->busy ? "; some leads were busy, the next run takes them" : "");
}
