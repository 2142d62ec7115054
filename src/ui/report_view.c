/*
 * report_view.c - the R view: the funnel as horizontal bars with counts and
 * conversion rates, then handoffs, pass-backs and the SLA, fitting 80
 * columns. The figures are report.h's, the same as `leadboard report`.
 */
#include <stdio.h>
#include <string.h>

#include "leadboard/report.h"
#include "leadboard/text.h"
#include "leadboard/timeutil.h"
#include "ui_impl.h"

static void percent(double rate, char *out, size_t size)
{
	if (rate < 0)
		snprintf(out, size, "  \u2014");
	else
		snprintf(out, size, "%3.0f%%", rate * 100);
}

static void span(int64_t ms, char *out)
{
	if (ms < 0)
		snprintf(out, 16, "\u2014");
	else
		time_format_span(ms, out);
}

/* A bar of n cells (full blocks, or '#' without UTF-8) padded with spaces
 * to width cells: printf pads bytes, not cells. */
static void bar(struct ui *ui, int n, int width, char *out, size_t size)
{
	const char *cell = strcmp(ui->glyph.ellipsis, ".") == 0 ? "#" : "\u2588";
	size_t used = 0, len = strlen(cell);

	out[0] = '\0';
	for (int i = 0; i < width && used + len < size; i++) {
		const char *c = i < n ? cell : " ";
		size_t l = i < n ? len : 1;
		memcpy(out + used, c, l + 1);
		used += l;
	}
}

static void build(struct ui *ui, const struct report *r)
{
	int64_t most = 1;
	int bar_width = COLS - 46 > 10 ? COLS - 46 : 10;
	char cells[1024], rate[16], a[16], b[16], period[80], title[128];

	if (bar_width > 60)
		bar_width = 60;
	for (int s = 0; s < r->board.count; s++) {
		if (r->stages[s].entered > most)
			most = r->stages[s].entered;
		if (r->stages[s].now > most)
			most = r->stages[s].now;
	}
	if (ui->report_since_text[0])
		snprintf(period, sizeof period, "since %s", ui->report_since_text);
	else
		snprintf(period, sizeof period, "all time");
	ui_text_add(ui, A_BOLD, " Funnel, %s: leads that entered each stage, and conversion to the "
		    "next", period);
	ui_text_add(ui, A_NORMAL, "%s", "");
	for (int s = 0; s < r->board.count; s++) {
		const struct report_stage *st = &r->stages[s];
		int n = (int)(st->entered * bar_width / most);
		bar(ui, n > 0 || st->entered == 0 ? n : 1, bar_width, cells, sizeof cells);
		percent(st->conversion, rate, sizeof rate);
		text_fit(r->board.stages[s].title, 12, true, title, sizeof title);
		ui_text_add(ui, A_NORMAL, " %s %s %7lld  %s  now %lld", title, cells,
			    (long long)st->entered, rate, (long long)st->now);
	}
	ui_text_add(ui, A_NORMAL, " %-12s %*s %7s  %4s  now %lld", "Discarded", bar_width, "", "", "",
		    (long long)r->discarded_now);
	if (r->merged_now || r->merges)
		ui_text_add(ui, A_NORMAL, " %-12s %*s %7lld  %4s  now %lld", "Merged", bar_width, "",
			    (long long)r->merges, "", (long long)r->merged_now);
	ui_text_add(ui, A_NORMAL, "%s", "");
	percent(r->passback_rate, rate, sizeof rate);
	ui_text_add(ui, A_BOLD, " Handoffs %lld, pass-backs %lld (rate %s), overrides %lld",
		    (long long)r->handoffs, (long long)r->passbacks, rate,
		    (long long)(r->override_handoffs + r->override_passbacks));
	for (int i = 0; i < r->reason_count && i < 8; i++) {
		text_fit(r->reasons[i].code[0] ? r->reasons[i].code : "(none)", 22, true, title,
			 sizeof title);
		ui_text_add(ui, A_NORMAL, "   %s %lld", title, (long long)r->reasons[i].count);
	}
	ui_text_add(ui, A_NORMAL, "   recycled and handed off again: %lld, passed back again: %lld",
		    (long long)r->recycled.handed_off_again, (long long)r->recycled.passed_back_again);
	ui_text_add(ui, A_NORMAL, "%s", "");
	percent(r->sla.share_in_time, rate, sizeof rate);
	span(r->sla.median_to_claim_ms, a);
	ui_text_add(ui, A_BOLD, " SLA: claimed within %d h: %s; median time to claim %s; overdue now "
		    "%lld", r->sla.accept_hours, rate, a, (long long)r->sla.overdue_now);
	ui_text_add(ui, A_NORMAL, "   in time %lld, late %lld, never claimed %lld, pending %lld",
		    (long long)r->sla.in_time, (long long)r->sla.late, (long long)r->sla.unclaimed,
		    (long long)r->sla.pending);
	if (r->sqls.per_month > 0)
		ui_text_add(ui, A_NORMAL, "   SQLs delivered %lld against a target of %.0f (%d a month)",
			    (long long)r->handoffs, r->sqls.target, r->sqls.per_month);
	ui_text_add(ui, A_NORMAL, "%s", "");
	span(r->contact.speed.median_ms, a);
	ui_text_add(ui, A_BOLD, " Speed to lead: median %s from handoff to first contact", a);
	ui_text_add(ui, A_NORMAL, "   %-16s %6s %6s %6s %6s %6s", "", "<=5min", "<=1h", "<=24h",
		    ">24h", "never");
	for (int i = -1; i < r->person_count; i++) {
		const struct report_person *p = i < 0 ? NULL : &r->people[i];
		const struct report_speed *sp = p ? &p->speed : &r->contact.speed;
		if (p && !sp->handoffs && !p->routed && !p->reclaimed)
			continue;
		ui_text_add(ui, A_NORMAL, "   %-16.16s %6lld %6lld %6lld %6lld %6lld   routed %lld, "
			    "reclaimed %lld", p ? p->login : "everyone",
			    (long long)sp->buckets[SPEED_5_MIN], (long long)sp->buckets[SPEED_1_HOUR],
			    (long long)sp->buckets[SPEED_1_DAY], (long long)sp->buckets[SPEED_LATER],
			    (long long)sp->buckets[SPEED_NEVER],
			    (long long)(p ? p->routed : r->contact.routed),
			    (long long)(p ? p->reclaimed : r->contact.reclaimed));
	}
	ui_text_add(ui, A_NORMAL, "   found no rep %lld, escalated %lld; attempts before a "
		    "pass-back: %lld in %lld pass-backs", (long long)r->contact.no_rep,
		    (long long)r->contact.escalated, (long long)r->contact.passback_attempts,
		    (long long)r->contact.passbacks);
	ui_text_add(ui, A_NORMAL, "%s", "");
	ui_text_add(ui, A_BOLD, " Time in stage (median / 90th percentile)");
	for (int s = 0; s < r->board.count; s++) {
		span(r->stages[s].median_ms, a);
		span(r->stages[s].p90_ms, b);
		text_fit(r->board.stages[s].title, 12, true, title, sizeof title);
		ui_text_add(ui, A_NORMAL, "   %s %8s / %-8s (%lld stays)", title, a, b,
			    (long long)r->stages[s].stays);
	}
	ui_text_add(ui, A_NORMAL, "%s", "");
	ui_text_add(ui, A_BOLD, " People (events in the period)");
	for (int i = 0; i < r->person_count; i++) {
		const struct report_person *p = &r->people[i];
		int64_t total = 0;
		for (int k = 0; k < EV_COUNT; k++)
			total += p->by_kind[k];
		text_fit(p->login, 16, true, title, sizeof title);
		ui_text_add(ui, A_NORMAL, "   %s %-10s %6lld events, %lld handoffs, %lld "
			    "pass-backs, %lld claims", title, p->member ? role_name(p->role) : "",
			    (long long)total, (long long)p->by_kind[EV_HANDOFF],
			    (long long)p->by_kind[EV_PASSBACK], (long long)p->by_kind[EV_CLAIM]);
	}
	ui_text_add(ui, A_NORMAL, "%s", "");
	ui_text_add(ui, A_DIM, " Every figure comes from the audit log: leadboard report --format "
		    "json gives the same numbers.");
}

void ui_report_reload(struct ui *ui)
{
	struct report r;
	int64_t now = time_now_ms();
	int top = ui->text.top;
	enum lb_status st;

	memset(&r, 0, sizeof r);
	ui->text.count = 0;
	st = report_compute(ui->store, &ui->board, &ui->settings, ui->report_since, 0, now,
			    rules_may_see_members(&ui->user).status == LB_OK, &r);
	if (st)
		ui_text_add(ui, A_BOLD, " report: %s", lb_message(st));
	else
		build(ui, &r);
	report_free(&r);
	ui->text.top = top;
}

void ui_report_open(struct ui *ui)
{
	ui->text.top = 0;
	ui_push(ui, VIEW_REPORT);
	ui_reload(ui, false);
}
