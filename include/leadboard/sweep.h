/*
 * sweep.h - the service-level agreement acting on its own (leadboard sweep).
 *
 * Once a run, at the door's clock: handoffs still unclaimed past
 * sla_accept_hours are routed again (routing on) or escalated, once per
 * handoff; claimed leads their owner made no contact attempt with within
 * sla_contact_hours are taken back (reclaim, reason sla-breach) and routed
 * to someone else or left unclaimed. Both clocks count business hours.
 *
 * Each lead is its own change through the door, where the rules decide
 * again whether it has broken the SLA: so a run is idempotent, and any
 * number of runs at once, from any number of hosts, take each action once.
 */
#ifndef LEADBOARD_SWEEP_H
#define LEADBOARD_SWEEP_H

#include <stddef.h>

#include "leadboard/door.h"
#include "leadboard/status.h"
#include "leadboard/store.h"

struct sweep_summary {
	int looked_at;        /* leads that may have broken the SLA */
	int routed;           /* unclaimed, given to a rep */
	int escalated;        /* unclaimed, no rep: escalated */
	int waiting;          /* unclaimed, escalated before, still no rep */
	int reclaimed;        /* not contacted in time: taken back */
	int rerouted;         /* ... and given to another rep */
	int busy;             /* the database was busy: the next run tries again */
};

/* One run with door (door_open_system()). LB_OK when every lead was
 * looked at, even if some were busy (summary->busy). */
enum lb_status sweep_run(struct store *store, struct door *door, struct sweep_summary *summary);

/* The summary in one line: "sweep: 2 routed, 1 escalated, ...". */
void sweep_summary_line(const struct sweep_summary *summary, char *out, size_t size);

#endif
