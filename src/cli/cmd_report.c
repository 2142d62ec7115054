/* cmd_report.c - leadboard report: the funnel and the SLA as a table or JSON. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "leadboard/report.h"
#include "leadboard/text.h"
#include "leadboard/timeutil.h"

/* ---- table ------------------------------------------------------------------ */

static const char *rate(double value, char out[16])
{
	if (value < 0)
		snprintf(out, 16, "-");
	else
		snprintf(out, 16, "%.1f%%", value * 100);
	return out;
}

static const char *span(int64_t ms, char out[16])
{
	if (ms < 0)
		snprintf(out, 16, "-");
	else
		time_format_span(ms, out);
	return out;
}

static const char *title(const struct report *r, int s, char out[64])
{
	text_fit(r->board.stages[s].title, 12, false, out, 64);
	return out;
}

static void table_funnel(const struct report *r)
{
	char name[64], conv[16], median[16], p90[16], next[24];

	printf("%-12s %7s %7s %7s %7s %6s %7s %7s\n", "STAGE", "CREATED", "NOW", "ENTERED",
	       "WENT ON", "CONV", "MEDIAN", "P90");
	for (int s = 0; s < r->board.count; s++) {
		const struct report_stage *st = &r->stages[s];
		bool last = s == r->board.count - 1;
		if (last)
			snprintf(next, sizeof next, "-");
		else
			snprintf(next, sizeof next, "%" PRId64, st->reached_next);
		text_fit(r->board.stages[s].title, 12, true, name, sizeof name);
		printf("%s %7" PRId64 " %7" PRId64 " %7" PRId64 " %7s %6s %7s %7s\n", name,
		       st->created, st->now, st->entered, next, rate(st->conversion, conv),
		       span(st->median_ms, median), span(st->p90_ms, p90));
	}
	printf("%-12s %7s %7" PRId64 "\n", "Discarded", "", r->discarded_now);
	/* one lead per person: shown once there is a merge to show */
	if (r->merged_now || r->merges)
		printf("%-12s %7s %7" PRId64 "   (merges in the period: %" PRId64 ")\n", "Merged", "",
		       r->merged_now, r->merges);
	printf("(WENT ON: of the leads that entered the stage in the period, those that\n"
	       "later reached a later stage; MEDIAN, P90: time in the stage, of the stays\n"
	       "that ended in the period)\n");
}

static void table_handoffs(const struct report *r)
{
	char pct[16], code[LB_KEY_MAX * 4 + 1];

	printf("\nHandoffs %" PRId64, r->handoffs);
	if (r->override_handoffs)
		printf(" (%" PRId64 " by override)", r->override_handoffs);
	printf(", pass-backs %" PRId64, r->passbacks);
	if (r->override_passbacks)
		printf(" (%" PRId64 " by override)", r->override_passbacks);
	printf(", pass-back rate %s\n", rate(r->passback_rate, pct));
	for (int i = 0; i < r->reason_count; i++) {
		text_fit(r->reasons[i].code[0] ? r->reasons[i].code : "(none)", 24, true, code,
			 sizeof code);
		printf("  %s %6" PRId64 "\n", code, r->reasons[i].count);
	}
	printf("Recycled leads handed off again: %" PRId64 ", passed back again: %" PRId64,
	       r->recycled.handed_off_again, r->recycled.passed_back_again);
	if (r->recycled.handed_off_again) {
		const char *sep = "\n  where they are now: ";
		char name[64];
		for (int s = 0; s < r->board.count; s++) {
			if (!r->recycled.now[s])
				continue;
			printf("%s%s %" PRId64, sep, title(r, s, name), r->recycled.now[s]);
			sep = ", ";
		}
		if (r->recycled.discarded)
			printf("%sDiscarded %" PRId64, sep, r->recycled.discarded);
	}
	putchar('\n');
}

static void table_sla(const struct report *r)
{
	char pct[16], median[16];

	printf("\nSLA: claim within %d h of a handoff\n", r->sla.accept_hours);
	printf("  handoffs %" PRId64 ": %" PRId64 " claimed in time, %" PRId64 " claimed late,\n"
	       "  %" PRId64 " not claimed, %" PRId64 " unclaimed with time left\n",
	       r->sla.handoffs, r->sla.in_time, r->sla.late, r->sla.unclaimed, r->sla.pending);
	printf("  claimed in time %s, median time to claim %s, overdue now %" PRId64 "\n",
	       rate(r->sla.share_in_time, pct), span(r->sla.median_to_claim_ms, median),
	       r->sla.overdue_now);
	printf("SQLs delivered: %" PRId64 " in %.1f months", r->handoffs, r->sqls.months);
	if (r->sqls.per_month)
		printf(", target %d a month (%.0f for the period)", r->sqls.per_month,
		       r->sqls.target);
	else
		printf(" (no target: sla_sqls_per_month is 0)");
	putchar('\n');
	for (int i = 0; i < r->sqls.month_count; i++) {
		const struct report_month *m = &r->sqls.months_list[i];
		printf("  %04d-%02d %6" PRId64, m->year, m->month, m->delivered);
		if (r->sqls.per_month)
			printf(" of %d%s", r->sqls.per_month,
			       m->delivered >= r->sqls.per_month ? "" : "  (short)");
		putchar('\n');
	}
}

static void speed_cells(const struct report_speed *s, char *out, size_t size)
{
	char median[16];

	snprintf(out, size, "%8" PRId64 " %6" PRId64 " %6" PRId64 " %6" PRId64 " %6" PRId64
		 " %6" PRId64 " %7s",
		 s->handoffs, s->buckets[SPEED_5_MIN], s->buckets[SPEED_1_HOUR],
		 s->buckets[SPEED_1_DAY], s->buckets[SPEED_LATER], s->buckets[SPEED_NEVER],
		 span(s->median_ms, median));
}

/* Whether a person has anything to show as a rep. */
static bool works_leads(const struct report_person *p)
{
	return (p->member && p->role == ROLE_SALES) || p->routed || p->speed.handoffs ||
	       p->late_claims || p->reclaimed;
}

static void table_contact(const struct report *r)
{
	char cells[128], login[64], avg[32];

	printf("\nSpeed to lead: from a handoff to the first contact attempt (clock time)\n");
	printf("%-10s %8s %6s %6s %6s %6s %6s %7s\n", "", "HANDOFFS", "<=5MIN", "<=1H", "<=24H",
	       ">24H", "NEVER", "MEDIAN");
	speed_cells(&r->contact.speed, cells, sizeof cells);
	printf("%-10s %s\n", "all", cells);
	for (int i = 0; i < r->person_count; i++) {
		const struct report_person *p = &r->people[i];
		if (!works_leads(p))
			continue;
		text_fit(p->login, 10, true, login, sizeof login);
		speed_cells(&p->speed, cells, sizeof cells);
		printf("%s %s\n", login, cells);
	}
	if (r->contact.attempts_per_passback >= 0)
		snprintf(avg, sizeof avg, "%.1f", r->contact.attempts_per_passback);
	else
		snprintf(avg, sizeof avg, "-");
	printf("Attempts before a pass-back: %s on average over %" PRId64 ", %" PRId64
	       " with none\n", avg, r->contact.passbacks, r->contact.passbacks_unattempted);
	printf("Routing: %" PRId64 " leads routed, %" PRId64 " handoffs found no rep\n"
	       "The sweep: %" PRId64 " escalated, %" PRId64 " reclaimed\n",
	       r->contact.routed, r->contact.no_rep, r->contact.escalated, r->contact.reclaimed);
	printf("%-10s %6s %10s %9s %9s %8s\n", "REP", "ROUTED", "LATE CLAIM", "RECLAIMED",
	       "PASSBACKS", "ATTEMPTS");
	for (int i = 0; i < r->person_count; i++) {
		const struct report_person *p = &r->people[i];
		if (!works_leads(p))
			continue;
		text_fit(p->login, 10, true, login, sizeof login);
		printf("%s %6" PRId64 " %10" PRId64 " %9" PRId64 " %9" PRId64 " %8" PRId64 "\n",
		       login, p->routed, p->late_claims, p->reclaimed, p->passbacks,
		       p->passback_attempts);
	}
	printf("(LATE CLAIM: handoffs they took past sla_accept_hours; RECLAIMED: taken\n"
	       "back, no contact within sla_contact_hours; ATTEMPTS: contact attempts before\n"
	       "their pass-backs)\n");
}

static void table_people(const struct report *r)
{
	char login[64];

	printf("\n%-10s %-9s %5s %5s %8s %9s %6s %8s %5s\n", "WHO", "ROLE", "ADDED", "MOVES",
	       "HANDOFFS", "PASSBACKS", "CLAIMS", "ASSIGNED", "OTHER");
	for (int i = 0; i < r->person_count; i++) {
		const struct report_person *p = &r->people[i];
		const int64_t *k = p->by_kind;
		text_fit(p->login, 10, true, login, sizeof login);
		printf("%s %-9s %5" PRId64 " %5" PRId64 " %8" PRId64 " %9" PRId64 " %6" PRId64
		       " %8" PRId64 " %5" PRId64 "\n",
		       login, p->member ? role_name(p->role) : "-", k[EV_CREATE], k[EV_MOVE],
		       k[EV_HANDOFF], k[EV_PASSBACK], k[EV_CLAIM], p->assigned,
		       k[EV_EDIT] + k[EV_DISCARD] + k[EV_RESTORE] + k[EV_ASSIGN] + k[EV_OVERRIDE]);
	}
	printf("(OTHER: edits, discards, restores, assignments made and overrides)\n");
}

static void table(const struct report *r)
{
	char from[32], to[32];

	if (r->since)
		time_format_local(r->since, from);
	else if (r->first_at)
		time_format_local(r->first_at, from);
	else
		snprintf(from, sizeof from, "the start");
	time_format_local(r->until, to);
	printf("Report from %s to %s: %" PRId64 " events, %" PRId64 " leads created\n\n", from, to,
	       r->events, r->created);
	table_funnel(r);
	table_handoffs(r);
	table_sla(r);
	table_contact(r);
	table_people(r);
}

/* ---- JSON -------------------------------------------------------------------- */

static void json_rate(const char *key, double value, bool comma)
{
	if (value < 0)
		printf("%s\"%s\":null", comma ? "," : "", key);
	else
		printf("%s\"%s\":%.4f", comma ? "," : "", key, value);
}

static void json_ms(const char *key, int64_t ms)
{
	if (ms < 0)
		printf(",\"%s\":null", key);
	else
		printf(",\"%s\":%" PRId64, key, ms);
}

static void json_time(const char *key, int64_t ms, bool comma)
{
	char iso[32];

	printf("%s\"%s\":", comma ? "," : "", key);
	if (ms)
		printf("\"%s\"", time_format_iso(ms, iso));
	else
		fputs("null", stdout);
}

static void json_stages(const struct report *r)
{
	fputs(",\"stages\":[", stdout);
	for (int s = 0; s < r->board.count; s++) {
		const struct report_stage *st = &r->stages[s];
		printf("%s{\"key\":", s ? "," : "");
		text_json_string(stdout, r->board.stages[s].key, false);
		fputs(",\"title\":", stdout);
		text_json_string(stdout, r->board.stages[s].title, false);
		printf(",\"team\":\"%s\",\"created\":%" PRId64 ",\"now\":%" PRId64
		       ",\"entered\":%" PRId64 ",\"stays\":%" PRId64,
		       team_name(r->board.stages[s].team), st->created, st->now, st->entered,
		       st->stays);
		json_ms("median_ms_in_stage", st->median_ms);
		json_ms("p90_ms_in_stage", st->p90_ms);
		putchar('}');
	}
	printf("],\"discarded_now\":%" PRId64 ",\"merged_now\":%" PRId64 ",\"merges\":%" PRId64
	       ",\"conversion\":[", r->discarded_now, r->merged_now, r->merges);
	for (int s = 0; s + 1 < r->board.count; s++) {
		const struct report_stage *st = &r->stages[s];
		printf("%s{\"from\":", s ? "," : "");
		text_json_string(stdout, r->board.stages[s].key, false);
		fputs(",\"to\":", stdout);
		text_json_string(stdout, r->board.stages[s + 1].key, false);
		printf(",\"entered\":%" PRId64 ",\"reached\":%" PRId64, st->entered, st->reached_next);
		json_rate("rate", st->conversion, true);
		putchar('}');
	}
	putchar(']');
}

static void json_handoffs(const struct report *r)
{
	printf(",\"handoffs\":%" PRId64 ",\"passbacks\":%" PRId64 ",\"handoffs_by_override\":%"
	       PRId64 ",\"passbacks_by_override\":%" PRId64,
	       r->handoffs, r->passbacks, r->override_handoffs, r->override_passbacks);
	json_rate("passback_rate", r->passback_rate, true);
	fputs(",\"passbacks_by_reason\":[", stdout);
	for (int i = 0; i < r->reason_count; i++) {
		printf("%s{\"reason\":", i ? "," : "");
		text_json_string(stdout, r->reasons[i].code, true);
		printf(",\"count\":%" PRId64 "}", r->reasons[i].count);
	}
	printf("],\"recycled\":{\"handed_off_again\":%" PRId64 ",\"passed_back_again\":%" PRId64
	       ",\"now\":{",
	       r->recycled.handed_off_again, r->recycled.passed_back_again);
	for (int s = 0; s < r->board.count; s++) {
		text_json_string(stdout, r->board.stages[s].key, false);
		printf(":%" PRId64 ",", r->recycled.now[s]);
	}
	printf("\"discarded\":%" PRId64 "}}", r->recycled.discarded);
}

static void json_sla(const struct report *r)
{
	printf(",\"sla\":{\"accept_hours\":%d,\"handoffs\":%" PRId64 ",\"claimed_in_time\":%"
	       PRId64 ",\"claimed_late\":%" PRId64 ",\"not_claimed\":%" PRId64 ",\"pending\":%"
	       PRId64,
	       r->sla.accept_hours, r->sla.handoffs, r->sla.in_time, r->sla.late,
	       r->sla.unclaimed, r->sla.pending);
	json_rate("share_claimed_in_time", r->sla.share_in_time, true);
	json_ms("median_ms_to_claim", r->sla.median_to_claim_ms);
	printf(",\"overdue_now\":%" PRId64 "}", r->sla.overdue_now);
	printf(",\"sqls\":{\"delivered\":%" PRId64 ",\"months\":%.4f", r->handoffs, r->sqls.months);
	if (r->sqls.per_month)
		printf(",\"target_per_month\":%d,\"target\":%.4f", r->sqls.per_month, r->sqls.target);
	else
		fputs(",\"target_per_month\":null,\"target\":null", stdout);
	fputs(",\"by_month\":[", stdout);
	for (int i = 0; i < r->sqls.month_count; i++)
		printf("%s{\"month\":\"%04d-%02d\",\"delivered\":%" PRId64 "}", i ? "," : "",
		       r->sqls.months_list[i].year, r->sqls.months_list[i].month,
		       r->sqls.months_list[i].delivered);
	fputs("]}", stdout);
}

static void json_speed(const struct report_speed *s)
{
	printf("{\"handoffs\":%" PRId64 ",\"to_5_min\":%" PRId64 ",\"to_1_hour\":%" PRId64
	       ",\"to_24_hours\":%" PRId64 ",\"over_24_hours\":%" PRId64 ",\"never\":%" PRId64,
	       s->handoffs, s->buckets[SPEED_5_MIN], s->buckets[SPEED_1_HOUR],
	       s->buckets[SPEED_1_DAY], s->buckets[SPEED_LATER], s->buckets[SPEED_NEVER]);
	json_ms("median_ms", s->median_ms);
	putchar('}');
}

static void json_contact(const struct report *r)
{
	fputs(",\"contact\":{\"speed_to_lead\":", stdout);
	json_speed(&r->contact.speed);
	printf(",\"routed\":%" PRId64 ",\"found_no_rep\":%" PRId64 ",\"escalated\":%" PRId64
	       ",\"reclaimed\":%" PRId64 ",\"passbacks\":%" PRId64
	       ",\"attempts_before_passbacks\":%" PRId64 ",\"passbacks_without_attempt\":%" PRId64,
	       r->contact.routed, r->contact.no_rep, r->contact.escalated, r->contact.reclaimed,
	       r->contact.passbacks, r->contact.passback_attempts,
	       r->contact.passbacks_unattempted);
	json_rate("attempts_per_passback", r->contact.attempts_per_passback, true);
	putchar('}');
}

static void json_people(const struct report *r)
{
	static const struct { enum lb_event_kind kind; const char *key; } kinds[] = {
		{ EV_CREATE, "created" }, { EV_EDIT, "edits" }, { EV_MOVE, "moves" },
		{ EV_HANDOFF, "handoffs" }, { EV_PASSBACK, "passbacks" }, { EV_DISCARD, "discards" },
		{ EV_RESTORE, "restores" }, { EV_CLAIM, "claims" }, { EV_ASSIGN, "assigns" },
		{ EV_OVERRIDE, "overrides" },
	};

	fputs(",\"people\":[", stdout);
	for (int i = 0; i < r->person_count; i++) {
		const struct report_person *p = &r->people[i];
		printf("%s{\"login\":", i ? "," : "");
		text_json_string(stdout, p->login, false);
		if (p->member)
			printf(",\"role\":\"%s\"", role_name(p->role));
		else
			fputs(",\"role\":null", stdout);
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
			printf(",\"%s\":%" PRId64, kinds[k].key, p->by_kind[kinds[k].kind]);
		printf(",\"assigned_to_them\":%" PRId64 ",\"routed_to_them\":%" PRId64
		       ",\"late_claims\":%" PRId64 ",\"reclaimed_from_them\":%" PRId64
		       ",\"attempts_before_their_passbacks\":%" PRId64 ",\"speed_to_lead\":",
		       p->assigned, p->routed, p->late_claims, p->reclaimed, p->passback_attempts);
		json_speed(&p->speed);
		putchar('}');
	}
	putchar(']');
}

static void json(const struct report *r)
{
	fputs("{\"period\":{", stdout);
	json_time("since", r->since, false);
	json_time("until", r->until, true);
	json_time("first_event", r->first_at, true);
	printf("},\"events\":%" PRId64 ",\"created\":%" PRId64, r->events, r->created);
	json_stages(r);
	json_handoffs(r);
	json_sla(r);
	json_contact(r);
	json_people(r);
	fputs("}\n", stdout);
}

/* ---- the command ------------------------------------------------------------------ */

enum lb_status cmd_report(struct cli *cli, int argc, char **argv)
{
	const char *since = NULL, *until = NULL, *format = NULL;
	const struct opt opts[] = {
		{ "since", OPT_STRING, &since }, { "until", OPT_STRING, &until },
		{ "format", OPT_STRING, &format }, CLI_GLOBAL_OPTS(cli), { 0 },
	};
	struct report report = { 0 };
	enum output_format fmt;
	int64_t now = time_now_ms(), from = 0, to = 0;
	int npos;
	enum lb_status st;

	if ((st = cli_parse("report", argc, argv, opts, NULL, 0, 0, &npos)) ||
	    (st = cli_parse_format(format, 1u << FORMAT_TABLE | 1u << FORMAT_JSON, &fmt)))
		return st;
	enum time_result rs = since ? time_read(since, now, &from) : TIME_OK;
	enum time_result ru = until ? time_read(until, now, &to) : TIME_OK;
	if (rs == TIME_NO_SUCH_TIME || ru == TIME_NO_SUCH_TIME)
		return lb_fail(LB_DATA, "--%s: there is no such day or time as '%.40s'",
			       rs == TIME_NO_SUCH_TIME ? "since" : "until",
			       rs == TIME_NO_SUCH_TIME ? since : until);
	if (rs != TIME_OK || ru != TIME_OK)
		return lb_fail(LB_USAGE, "--since and --until take an ISO-8601 time (2026-11-01, "
					 "2026-11-01T09:00Z) or a span back from now (90m, 24h, 7d)");
	if (since && from <= 0)
		from = 1;   /* the epoch itself: still a lower bound */
	if (until && to <= from)
		return lb_fail(LB_USAGE, "the period is empty: --until must be after --since");
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	if ((st = report_compute(cli->store, &cli->board, &cli->settings, from, to, now,
				 rules_may_see_members(&cli->user).status == LB_OK, &report))) {
		report_free(&report);
		return st;
	}
	if (fmt == FORMAT_JSON)
		json(&report);
	else
		table(&report);
	report_free(&report);
	return LB_OK;
}
