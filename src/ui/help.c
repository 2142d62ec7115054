/*
 * help.c - the ? screen, generated from the action table (actions.c).
 */
#include <stdio.h>
#include <string.h>

#include "leadboard/text.h"
#include "ui_impl.h"

static const char *const view_names[VIEW_COUNT] = {
	[VIEW_BOARD] = "board", [VIEW_DETAIL] = "detail", [VIEW_LOG] = "log",
	[VIEW_HELP] = "help", [VIEW_REPORT] = "report", [VIEW_DISCARDED] = "discarded",
};

/* "board, detail" for an action's views; "" when it works everywhere. */
static void views_text(unsigned views, char *out, size_t size)
{
	out[0] = '\0';
	if ((views & ON_ALL) == ON_ALL)
		return;
	for (int v = 0; v < VIEW_COUNT; v++) {
		if (!(views & ON(v)) || v == VIEW_HELP || v == VIEW_REPORT)
			continue;
		snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? ", " : "",
			 view_names[v]);
	}
}

/* An action's help, wrapped: its keys on the first line, an indent after. */
struct help_wrap {
	struct ui *ui;
	const char *first;
};

static void help_line(const char *line, void *ctx)
{
	struct help_wrap *w = ctx;

	ui_text_add(w->ui, A_NORMAL, "   %s %s", w->first, line);
	w->first = "              ";
}

/* A marker and its meaning, the marker padded by the columns it takes (a
 * check mark is three bytes but one column). */
static void marker(struct ui *ui, const char *mark, const char *meaning)
{
	char cell[64];

	text_fit(mark, 14, true, cell, sizeof cell);
	ui_text_add(ui, A_NORMAL, "   %s %s", cell, meaning);
}

void ui_help_open(struct ui *ui)
{
	const char *groups[16];
	int ngroups = 0;
	char where[64], keys[64], text[1024], recycled[16];
	struct help_wrap w = { ui, NULL };

	ui->text.count = 0;
	ui->text.top = 0;
	for (const struct ui_action *a = ui_actions; a->name; a++) {
		bool seen = false;
		for (int g = 0; g < ngroups; g++)
			seen = seen || strcmp(groups[g], a->group) == 0;
		if (!seen && ngroups < 16)
			groups[ngroups++] = a->group;
	}
	for (int g = 0; g < ngroups; g++) {
		ui_text_add(ui, A_BOLD, " %s", groups[g]);
		for (const struct ui_action *a = ui_actions; a->name; a++) {
			if (strcmp(a->group, groups[g]) != 0)
				continue;
			views_text(a->views, where, sizeof where);
			text_fit(a->label, 14, true, keys, sizeof keys);
			snprintf(text, sizeof text, "%s%s%s%s", a->help, where[0] ? "  [" : "", where,
				 where[0] ? "]" : "");
			w.first = keys;
			layout_wrap(text, COLS - 19 > 20 ? COLS - 19 : 20, help_line, &w);
		}
		ui_text_add(ui, A_NORMAL, "%s", "");
	}
	ui_text_add(ui, A_BOLD, " Card markers");
	marker(ui, ui->glyph.overdue, "handed off and not claimed within sla_accept_hours");
	snprintf(recycled, sizeof recycled, "%sN", ui->glyph.recycled);
	marker(ui, recycled, "passed back N times (recycled)");
	marker(ui, ui->glyph.ready, "ready to hand off: meets the gate, under the limit");
	marker(ui, ui->glyph.stale, "no change for sla_idle_days");
	marker(ui, "@login", "the owner (a short form unique on the board when the column is "
	       "narrow)");
	marker(ui, "3d", "time in the stage; the number on the right: score");
	ui_text_add(ui, A_NORMAL, "%s", "");
	ui_text_add(ui, A_NORMAL, " Columns left of %s belong to marketing, right of it to sales: "
		    "crossing it is the handoff.", ui->glyph.boundary);
	ui_push(ui, VIEW_HELP);
}
