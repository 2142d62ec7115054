/*
 * report.h - the funnel and the SLA, computed from the audit log alone.
 *
 * Every figure is a function of the events (and of the board, the settings
 * and the period), so anyone can reproduce it from `leadboard log`. The log
 * is read once, in seq order; each lead's state is kept in memory, so a
 * report costs one pass however long the history is.
 *
 * What the events mean here:
 *  - create: the lead enters its first stage (to_stage).
 *  - move, handoff, passback, override, restore: it leaves from_stage and
 *    enters to_stage; discard: it leaves its stage for "discarded".
 *  - a handoff is a handoff event or an override from a marketing stage to
 *    a sales stage; a pass-back is a passback event or an override from a
 *    sales stage to a marketing stage (a manager's override that crosses
 *    the boundary counts as what it did).
 *  - claim and assign end the SLA clock a handoff started; assign's note is
 *    the assignee. A release makes the lead nobody's again and the clock
 *    runs on from the handoff: only a claim that is kept ends it.
 *  - merge: the lead (OTHER) leaves its stage for "merged", into the lead
 *    its note names (KEEP); from then on the two count once, as KEEP: the
 *    stages OTHER entered and went beyond in the period, and its being
 *    recycled, become KEEP's, and OTHER's creation in the period no longer
 *    counts (KEEP's does). Its handoffs, pass-backs and SLA episodes stay
 *    where they happened. Merges are a figure of their own.
 *  - an undo and the event it reverses count for nothing (an undone
 *    handoff is not a handoff): the undo put the lead back as it was.
 *  - a note changes nothing the report counts but who did what.
 *  - routing: an assign whose rule starts "routing:" is routing's; a
 *    handoff whose rule says "routing found no rep" found nobody.
 *  - contact is a contact attempt (touch); escalate and reclaim are the
 *    sweep's (a reclaim's note is the rep it took the lead from). A lead's
 *    owner is whoever claimed it or was assigned it last, until a handoff,
 *    a pass-back, a discard or a reclaim.
 *  - speed to lead: from a handoff in the period to the first contact
 *    attempt after it (before the lead's next handoff and before until), in
 *    elapsed time, not business hours: the studies' buckets are minutes and
 *    hours of the clock. A handoff with none is "never". It belongs to the
 *    rep who owned the lead at that first contact, or, never contacted, to
 *    its last owner in that time; a handoff nobody owned belongs to no rep.
 *
 * The period is [since, until): counts, rates and times are for events in
 * it; "now" figures are the state at until, replayed from the whole log.
 * Percentiles are nearest-rank (the median of 4 values is the 2nd).
 */
#ifndef LEADBOARD_REPORT_H
#define LEADBOARD_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "leadboard/lead.h"
#include "leadboard/rules.h"
#include "leadboard/status.h"
#include "leadboard/store.h"

struct report_stage {
	int64_t created;       /* leads created into the stage in the period */
	int64_t now;           /* leads in the stage at until */
	int64_t entered;       /* distinct leads that entered the stage in the period */
	int64_t reached_next;  /* of those, leads that later entered a later stage */
	double conversion;     /* reached_next / entered; -1 when none entered (and
				  for the last stage, which has no next) */
	int64_t stays;         /* stays in the stage that ended in the period */
	int64_t median_ms;     /* their length: median and 90th percentile; -1 */
	int64_t p90_ms;        /* when there were none */
};

struct report_reason {
	char code[LB_KEY_MAX + 1];   /* "" for pass-backs without one (overrides) */
	int64_t count;
};

/* Speed to lead (see above): the HBR buckets. */
enum report_speed_bucket {
	SPEED_5_MIN,     /* first contact within 5 minutes of the handoff */
	SPEED_1_HOUR,    /* ... within an hour (and not 5 minutes) */
	SPEED_1_DAY,     /* ... within 24 hours */
	SPEED_LATER,     /* ... after 24 hours */
	SPEED_NEVER,     /* no contact attempt */
	SPEED_BUCKETS
};

struct report_speed {
	int64_t handoffs;                 /* handoffs counted */
	int64_t buckets[SPEED_BUCKETS];   /* how many in each bucket */
	int64_t median_ms;                /* over the contacted ones; -1 when none */
};

/* What a member did in the period: events by kind, as actor. */
struct report_person {
	char login[LB_KEY_MAX + 1];
	bool member;                 /* still a board member (role is then valid) */
	enum lb_role role;
	int64_t by_kind[EV_COUNT];
	int64_t assigned;            /* leads a manager assigned to them */
	/* routing and the SLA, as a rep */
	int64_t routed;              /* leads routing gave them */
	struct report_speed speed;   /* their handoffs' speed to lead */
	int64_t late_claims;         /* handoffs they took (claim, assign) past sla_accept_hours */
	int64_t reclaimed;           /* leads the sweep took back from them, not contacted in time */
	int64_t passbacks;           /* pass-backs they made ... */
	int64_t passback_attempts;   /* ... and the contact attempts made before them */
};

/* SQLs delivered (handoffs) in one calendar month (UTC) of the period. */
struct report_month {
	int year, month;             /* month 1..12 */
	int64_t delivered;
};

struct report {
	struct lb_board board;       /* the stages the figures are indexed by */
	int64_t since, until;        /* the period asked for; since 0: from the start */
	int64_t first_at, last_at;   /* oldest and newest event about a lead read; 0 if none */
	int64_t events;              /* events about leads in the period */

	struct report_stage stages[LB_MAX_STAGES];
	int64_t created;             /* all leads created in the period */
	int64_t discarded_now;       /* discarded at until */
	int64_t merged_now;          /* merged into another lead at until */
	int64_t merges;              /* merge events in the period */

	int64_t handoffs;            /* including override_handoffs */
	int64_t passbacks;           /* including override_passbacks */
	int64_t override_handoffs, override_passbacks;
	double passback_rate;        /* passbacks / handoffs; -1 without handoffs */
	struct report_reason *reasons;  /* pass-backs by reason, most first */
	int reason_count;

	/* Recycled leads (passed back at least once) handed off again in the
	 * period, and where they stand at until. */
	struct {
		int64_t handed_off_again;
		int64_t passed_back_again;   /* of those, passed back after that */
		int64_t now[LB_MAX_STAGES];  /* of those, by stage at until */
		int64_t discarded;
	} recycled;

	/* The SLA clock: each handoff in the period until the next handoff of
	 * the same lead. Claimed in time: claimed or assigned less than
	 * sla_accept_hours after it. Pending: unclaimed, its time not up at
	 * until; pending handoffs are left out of share_in_time. */
	struct {
		int accept_hours;
		int64_t handoffs, in_time, late, unclaimed, pending;
		double share_in_time;        /* in_time / (in_time + late + unclaimed); -1 */
		int64_t median_to_claim_ms;  /* over claimed handoffs; -1 when none */
		int64_t overdue_now;         /* unclaimed in an open sales stage past the SLA at until */
	} sla;

	/* SQLs delivered (= handoffs) against sla_sqls_per_month. */
	struct {
		int per_month;               /* 0: no target */
		double target;               /* per_month x months in the period; 0 without */
		double months;               /* length of the period in average months */
		struct report_month *months_list;
		int month_count;
	} sqls;

	/* Routing, contact and the sweep. Pass-backs: of every pass-back in the
	 * period, the contact attempts the lead had since its last handoff. */
	struct {
		struct report_speed speed;   /* every handoff in the period */
		int64_t routed;              /* routing's assigns (at handoffs and sweeps) */
		int64_t no_rep;              /* handoffs routing found no rep for */
		int64_t escalated;           /* the sweep's escalations */
		int64_t reclaimed;           /* the sweep's reclaims */
		int64_t passbacks;           /* = passbacks */
		int64_t passback_attempts;   /* attempts before them, in all */
		int64_t passbacks_unattempted;  /* passed back with no attempt at all */
		double attempts_per_passback;   /* passback_attempts / passbacks; -1 */
	} contact;

	struct report_person *people;    /* everyone who acted in the period, by login */
	int person_count;

	struct report_work *work;        /* private: state while events are fed */
};

/* Start a report for events with at in [since, until) (until > since).
 * The board and settings are copied. LB_SOFTWARE when memory runs out. */
enum lb_status report_begin(struct report *report, const struct lb_board *board,
			    const struct rules_settings *settings, int64_t since, int64_t until);

/* Before the events: the seq of an event an undo (before until) reversed;
 * report_feed() then leaves it, and every undo, out. */
enum lb_status report_undone(struct report *report, int64_t seq);

/* Feed one event (in seq order; events at or after until are ignored). */
enum lb_status report_feed(struct report *report, const struct store_report_event *event);

/* Mark login as a member with role, for per-person figures. */
enum lb_status report_member(struct report *report, const char *login, enum lb_role role);

/* Compute every figure from what was fed. */
enum lb_status report_end(struct report *report);

/* The whole report for the period from store: one pass over the log, in
 * one read transaction. until 0 means now. People are those who acted in the
 * log; with members (for a viewer the rules let see them), every board
 * member too, with their roles. */
enum lb_status report_compute(struct store *store, const struct lb_board *board,
			      const struct rules_settings *settings, int64_t since, int64_t until,
			      int64_t now, bool members, struct report *report);

/* Free what a report holds (safe on a zeroed or finished report). */
void report_free(struct report *report);

#endif
