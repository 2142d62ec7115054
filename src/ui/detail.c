/*
 * detail.c - one lead: every field, what the agreement says about it (the
 * gate, the SLA clock, recycling), and its history from the audit log,
 * newest first, with every pass-back's reason and note in full.
 */
#include <stdio.h>
#include <string.h>

#include "leadboard/text.h"
#include "leadboard/timeutil.h"
#include "ui_impl.h"

#define HISTORY_MAX 300

void ui_detail_open(struct ui *ui, const char *id)
{
	snprintf(ui->detail_id, sizeof ui->detail_id, "%s", id);
	ui->text.top = 0;
	ui_push(ui, VIEW_DETAIL);
	ui_reload(ui, false);
}

struct wrap_ctx {
	struct ui *ui;
	const char *indent;
	attr_t attr;
};

static void wrapped_line(const char *line, void *ctx)
{
	struct wrap_ctx *w = ctx;

	ui_text_add(w->ui, w->attr, "%s%s", w->indent, line);
}

/* label: value, the value wrapped under itself when long. */
static void field(struct ui *ui, const char *label, const char *value)
{
	char first[UI_LINE_BYTES];
	struct wrap_ctx w = { ui, "              ", A_NORMAL };
	int width = COLS - 16 > 10 ? COLS - 16 : 10;

	if (!value || !value[0])
		value = "\u2014";
	if (text_width(value) <= width) {
		ui_text_add(ui, A_NORMAL, "  %-11s %s", label, value);
		return;
	}
	snprintf(first, sizeof first, "  %-11s", label);
	ui_text_add(ui, A_NORMAL, "%s", first);
	layout_wrap(value, width, wrapped_line, &w);
}

static int add_history(const struct lb_event *e, void *ctx)
{
	struct ui *ui = ctx;
	char when[32], move[300], actor[160];
	char actor_cell[64], kind_cell[48], move_cell[160];
	struct wrap_ctx w = { ui, "      ", A_NORMAL };
	int width = COLS - 8 > 10 ? COLS - 8 : 10;

	time_format_local(e->at, when);
	if (e->from_stage[0] && strcmp(e->from_stage, e->to_stage) != 0)
		snprintf(move, sizeof move, "%s %s %s", board_title(&ui->board, e->from_stage),
			 ui->glyph.arrow, board_title(&ui->board, e->to_stage));
	else if (e->to_stage[0])
		snprintf(move, sizeof move, "%s", board_title(&ui->board, e->to_stage));
	else
		move[0] = '\0';
	if (e->real_user[0])
		snprintf(actor, sizeof actor, "%s (%s)", e->actor, e->real_user);
	else
		snprintf(actor, sizeof actor, "%s", e->actor);
	/* columns in cells: stage titles and names may be any script */
	text_fit(actor, 10, true, actor_cell, sizeof actor_cell);
	text_fit(e->kind, 9, true, kind_cell, sizeof kind_cell);
	text_fit(move, 26, true, move_cell, sizeof move_cell);
	ui_text_add(ui, strcmp(e->kind, "passback") == 0 || strcmp(e->kind, "override") == 0
				? A_BOLD : A_NORMAL,
		    "  %s  %s %s %s %s", when, actor_cell, kind_cell, move_cell, e->reason);
	if (e->note[0]) {
		w.indent = strcmp(e->kind, "assign") == 0 ? "      to: " : "      note: ";
		layout_wrap(e->note, width - 6, wrapped_line, &w);
	}
	if (e->rule[0]) {
		w.indent = strcmp(e->kind, "override") == 0 ? "      overrode: " : "      by: ";
		layout_wrap(e->rule, width - 10, wrapped_line, &w);
	}
	return ui->text.count >= UI_TEXT_LINES - 2;
}

void ui_detail_reload(struct ui *ui)
{
	struct store_event_filter history;
	struct lead lead;
	char line[512], age[8], unmet[512], sid[9];
	int top = ui->text.top;
	int at;

	ui->text.count = 0;
	if (store_get_lead(ui->store, ui->detail_id, &lead) != LB_OK) {
		ui_text_add(ui, A_BOLD, "  lead %.8s is gone", ui->detail_id);
		return;
	}
	ui->detail_version = lead.version;
	at = board_find(&ui->board, lead.stage);
	rules_short_id(lead.id, sid);
	time_format_age(ui->now - lead.stage_entered_at, age);

	ui_text_add(ui, A_BOLD, " %s%s%s", lead.name, lead.company[0] ? " \u00b7 " : "",
		    lead.company);
	ui_text_add(ui, A_NORMAL, "%s", "");
	snprintf(line, sizeof line, "%s (%s) for %s", board_title(&ui->board, lead.stage),
		 at >= 0 ? team_name(ui->board.stages[at].team) : "off the board", age);
	field(ui, "stage", line);
	field(ui, "owner", lead.owner);
	field(ui, "id", lead.id);
	field(ui, "email", lead.email);
	field(ui, "phone", lead.phone);
	field(ui, "company", lead.company);
	field(ui, "title", lead.title);
	field(ui, "country", lead.country);
	if (lead.employees >= 0)
		snprintf(line, sizeof line, "%lld", (long long)lead.employees);
	else
		line[0] = '\0';
	field(ui, "employees", line);
	field(ui, "segment", lead.segment);
	field(ui, "source", lead.source);
	snprintf(line, sizeof line, "%d", lead.score);
	field(ui, "score", line);
	snprintf(line, sizeof line, "%d of %d allowed; passed back %d time%s", lead.handoff_count,
		 ui->settings.max_handoffs, lead.recycle_count, lead.recycle_count == 1 ? "" : "s");
	field(ui, "handoffs", line);
	if (lead.last_reason[0]) {
		snprintf(line, sizeof line, "%.64s%s%.400s", lead.last_reason, lead.last_note[0] ? ": " : "",
			 lead.last_note);
		field(ui, "last reason", line);
	}
	if (rules_heads_for_handoff(&ui->board, &lead)) {
		if (rules_ready_for_handoff(&ui->board, &ui->settings, &lead, unmet, sizeof unmet))
			snprintf(line, sizeof line, "%s ready to hand off", ui->glyph.ready);
		else
			snprintf(line, sizeof line, "not ready: %.490s", unmet);
		field(ui, "handoff", line);
	}
	if (rules_is_overdue(&ui->board, &ui->settings, &lead, ui->now)) {
		time_format_age(ui->now - lead.handed_off_at, age);
		snprintf(line, sizeof line, "OVERDUE: handed off %s ago, nobody claimed it (SLA %d h)",
			 age, ui->settings.sla_accept_hours);
		field(ui, "SLA", line);
	} else if (rules_awaits_claim(&ui->board, &lead)) {
		field(ui, "SLA", "waiting to be claimed");
	}
	if (rules_is_stale(&ui->board, &ui->settings, &lead, ui->now))
		field(ui, "idle", "no change for longer than sla_idle_days");
	time_format_local(lead.created_at, line);
	field(ui, "created", line);
	time_format_local(lead.updated_at, line);
	field(ui, "updated", line);

	ui_text_add(ui, A_NORMAL, "%s", "");
	ui_text_add(ui, A_BOLD, " History, newest first");
	memset(&history, 0, sizeof history);
	history.lead_id = lead.id;
	history.newest_first = true;
	history.limit = HISTORY_MAX;
	store_events_each(ui->store, &history, add_history, ui);
	ui->text.top = top;
}
