/*
 * log.c - the audit log view: every event, newest first, a screenful at a
 * time by keyset on seq, filtered by text, kind, person and time. Enter
 * opens the event's lead.
 */
#include <stdio.h>
#include <string.h>

#include "leadboard/text.h"
#include "leadboard/timeutil.h"
#include "ui_impl.h"

static int log_rows(void)
{
	int rows = LINES - 3;

	if (rows < 1)
		rows = 1;
	return rows < UI_LOG_MAX - 1 ? rows : UI_LOG_MAX - 1;
}

void ui_log_open(struct ui *ui)
{
	ui->log.top_seq = 0;
	ui->log.sel = 0;
	ui_push(ui, VIEW_LOG);
	ui_reload(ui, false);
}

struct log_fill {
	struct ui_log_row *rows;
	int n, max;
};

static int add_row(const struct lb_event *event, const char *lead_name, void *ctx)
{
	struct log_fill *f = ctx;

	f->rows[f->n].event = *event;
	layout_copy(f->rows[f->n].lead_name, sizeof f->rows[0].lead_name, lead_name);
	f->n++;
	return f->n >= f->max;
}

static int fetch(struct ui *ui, int64_t anchor, bool newer, int max, struct ui_log_row *rows)
{
	struct store_log_query q = {
		.anchor_seq = anchor,
		.newer = newer,
		.actor = ui->log.actor,
		.kind = ui->log.kind,
		.since = ui->log.since,
		.search = ui->log.search,
		.limit = max,
	};
	struct log_fill f = { rows, 0, max };

	if (max <= 0 || store_log_each(ui->store, &q, add_row, &f) != LB_OK)
		return 0;
	return f.n;
}

void ui_log_reload(struct ui *ui)
{
	struct ui_log *l = &ui->log;
	int rows = log_rows();

	/* from the top row down (seq < top_seq + 1), one more to know if there is more */
	l->n = fetch(ui, l->top_seq ? l->top_seq + 1 : 0, false, rows + 1, l->rows);
	l->more_below = l->n > rows;
	if (l->n > rows)
		l->n = rows;
	if (l->sel >= l->n)
		l->sel = l->n > 0 ? l->n - 1 : 0;
}

const struct ui_log_row *ui_log_selected(struct ui *ui)
{
	return ui->log.n > 0 ? &ui->log.rows[ui->log.sel] : NULL;
}

void ui_log_step(struct ui *ui, int delta)
{
	static struct ui_log_row newer[UI_LOG_MAX];
	struct ui_log *l = &ui->log;
	int rows = log_rows(), k, row = l->sel;

	if (l->n == 0)
		return;
	if (l->sel + delta >= 0 && l->sel + delta < l->n) {
		l->sel += delta;
		return;
	}
	if (delta > 0) {
		if (!l->more_below) {
			l->sel = l->n - 1;
			return;
		}
		l->top_seq = l->rows[delta == 1 ? 1 : l->n - 1].event.seq;
		ui_log_reload(ui);
		l->sel = delta == 1 ? l->n - 1 : row;
	} else {
		k = fetch(ui, l->rows[0].event.seq, true, delta == -1 ? 1 : rows - 1, newer);
		if (k == 0) {
			l->top_seq = 0;
			l->sel = 0;
			ui_log_reload(ui);
			return;
		}
		l->top_seq = newer[k - 1].event.seq;
		ui_log_reload(ui);
		l->sel = delta == -1 ? 0 : row;
	}
	if (l->sel >= l->n)
		l->sel = l->n > 0 ? l->n - 1 : 0;
}

void ui_log_ends(struct ui *ui, int end)
{
	static struct ui_log_row oldest[UI_LOG_MAX];
	struct ui_log *l = &ui->log;
	int k;

	if (end < 0) {
		l->top_seq = 0;
		l->sel = 0;
		ui_log_reload(ui);
		return;
	}
	k = fetch(ui, 0, true, log_rows(), oldest);
	l->top_seq = k > 0 ? oldest[k - 1].event.seq : 0;
	ui_log_reload(ui);
	l->sel = l->n > 0 ? l->n - 1 : 0;
}

void ui_log_draw(struct ui *ui)
{
	struct ui_log *l = &ui->log;
	char head[512], line[4096], when[32], move[300], lead[200];
	/* narrow screens get a short time and narrower columns, so the reason shows */
	bool wide = COLS >= 110;
	int name_w = COLS >= 120 ? 24 : wide ? 16 : 14, time_w = wide ? 16 : 11;
	int actor_w = wide ? 16 : 12, move_w = wide ? 24 : 16;

	snprintf(head, sizeof head, " Audit log, newest first");
	if (l->kind[0])
		snprintf(head + strlen(head), sizeof head - strlen(head), " \u00b7 kind %s", l->kind);
	if (l->actor[0])
		snprintf(head + strlen(head), sizeof head - strlen(head), " \u00b7 by %s", l->actor);
	if (l->since_text[0])
		snprintf(head + strlen(head), sizeof head - strlen(head), " \u00b7 since %s",
			 l->since_text);
	if (l->search[0])
		snprintf(head + strlen(head), sizeof head - strlen(head), " \u00b7 /%s", l->search);
	ui_put(0, 0, COLS, head, ui->attr.header);
	snprintf(line, sizeof line, " %-*s %-*s %-*s %-9s %-*s %s", time_w, "TIME", actor_w, "ACTOR",
		 name_w, "LEAD", "KIND", move_w + 2, "FROM \u2192 TO", "REASON / NOTE");
	ui_put(1, 0, COLS, line, A_BOLD);
	if (l->n == 0)
		ui_put(2, 1, COLS - 1, "(no events match)", ui->attr.dim);
	for (int r = 0; r < l->n; r++) {
		const struct lb_event *e = &l->rows[r].event;
		char name[128], mv[128], actor[64], kind[48], why[2048];

		time_format_local(e->at, when);
		const char *shown = wide ? when : when + 5;   /* 11-23 09:15 */
		if (e->from_stage[0] && strcmp(e->from_stage, e->to_stage) != 0)
			snprintf(move, sizeof move, "%s %s %s", board_title(&ui->board, e->from_stage),
				 ui->glyph.arrow, board_title(&ui->board, e->to_stage));
		else
			snprintf(move, sizeof move, "%s", e->to_stage[0]
								 ? board_title(&ui->board, e->to_stage)
								 : "");
		if (l->rows[r].lead_name[0])
			snprintf(lead, sizeof lead, "%s", l->rows[r].lead_name);
		else
			snprintf(lead, sizeof lead, "%.8s", e->lead_id);
		/* fixed columns measured in cells, whatever the names hold */
		text_fit(lead, name_w, true, name, sizeof name);
		text_fit(move, move_w, true, mv, sizeof mv);
		/* who acted, and who really did when --as was used (as show says) */
		char who[2 * LB_KEY_MAX + 4];
		snprintf(who, sizeof who, "%s%s%s%s", e->actor, e->real_user[0] ? "(" : "",
			 e->real_user, e->real_user[0] ? ")" : "");
		text_fit(who, actor_w, true, actor, sizeof actor);
		snprintf(why, sizeof why, "%s%s%s", e->reason, e->reason[0] && e->note[0] ? ": " : "",
			 e->note[0] ? e->note : e->rule);
		text_fit(e->kind, 9, true, kind, sizeof kind);
		snprintf(line, sizeof line, " %-*s %s %s %s %s %s", time_w, shown, actor, name, kind,
			 mv, why);
		ui_put(2 + r, 0, COLS, line, r == l->sel ? A_REVERSE : A_NORMAL);
	}
	if (l->more_below)
		ui_put(LINES - 2, COLS - 1, 1, "\u2193", A_BOLD);
}
