/*
 * discarded.c - the leads marketing took off the board, newest first, a
 * screenful at a time by keyset over the index leads_column; Enter opens
 * one, r restores it (as the rules allow).
 */
#include <stdio.h>
#include <string.h>

#include "leadboard/text.h"
#include "leadboard/timeutil.h"
#include "ui_impl.h"

static int rows(void)
{
	int n = LINES - 4;

	if (n < 1)
		n = 1;
	return n < UI_WINDOW_MAX - 1 ? n : UI_WINDOW_MAX - 1;
}

static int fetch(struct ui *ui, int s, const struct store_card_key *from, bool backward,
		 int max, struct ui_card *cards)
{
	struct store_column_query q = {
		.stage = LB_DISCARDED, .order = STORE_ORDER_NEWEST, .from = from,
		.backward = backward, .limit = max,
	};
	struct ui_card_fill f = { ui, cards, 0, max };

	(void)s;
	if (max <= 0 || store_column_each(ui->store, &q, ui_card_fill_add, &f) != LB_OK)
		return 0;
	return f.n;
}

static void reload(struct ui *ui, int s)
{
	(void)s;
	ui_discarded_reload(ui);
}

static struct ui_window_source discarded_source(void)
{
	return (struct ui_window_source){ .rows = rows(), .fetch = fetch, .reload = reload };
}

void ui_discarded_open(struct ui *ui)
{
	memset(&ui->discarded, 0, sizeof ui->discarded);
	ui_push(ui, VIEW_DISCARDED);
	ui_reload(ui, false);
}

void ui_discarded_reload(struct ui *ui)
{
	struct ui_column *d = &ui->discarded;
	struct ui_window_source from = discarded_source();
	struct store_column_query q = { .stage = LB_DISCARDED };

	ui_window_fill(ui, d, &from);
	if (store_column_count(ui->store, &q, UI_COUNT_CAP, &d->count) != LB_OK)
		d->count = 0;
}

const struct ui_card *ui_discarded_card(struct ui *ui)
{
	return ui->discarded.n > 0 ? &ui->discarded.cards[ui->discarded.sel] : NULL;
}

void ui_discarded_step(struct ui *ui, int delta)
{
	struct ui_window_source from = discarded_source();

	ui_window_step(ui, &ui->discarded, &from, delta);
}

void ui_discarded_ends(struct ui *ui, int end)
{
	struct ui_window_source from = discarded_source();

	ui_window_ends(ui, &ui->discarded, &from, end);
}

void ui_discarded_draw(struct ui *ui)
{
	struct ui_column *d = &ui->discarded;
	char head[256], line[2048], why[1200], age[8];

	snprintf(head, sizeof head, " Discarded leads, newest first \u00b7 %lld%s", (long long)d->count,
		 d->count >= UI_COUNT_CAP ? "+" : "");
	ui_put(0, 0, COLS, head, ui->attr.header);
	snprintf(line, sizeof line, " %-28s %-20s %-8s %s", "NAME", "COMPANY", "AGO", "REASON: NOTE");
	ui_put(1, 0, COLS, line, A_BOLD);
	if (d->n == 0)
		ui_put(2, 1, COLS - 1, "(no discarded leads)", ui->attr.dim);
	for (int r = 0; r < d->n; r++) {
		const struct ui_card *c = &d->cards[r];
		char name[128], company[96];
		text_fit(c->name, 28, true, name, sizeof name);
		text_fit(c->company, 20, true, company, sizeof company);
		time_format_age(ui->now - c->entered_at, age);
		snprintf(why, sizeof why, "%s%s%s", c->last_reason, c->last_note[0] ? ": " : "",
			 c->last_note);
		snprintf(line, sizeof line, " %s %s %-8s %s", name, company, age, why);
		ui_put(2 + r, 0, COLS, line, r == d->sel ? A_REVERSE : A_NORMAL);
	}
	if (d->more_above)
		ui_put(2, COLS - 1, 1, "\u2191", A_BOLD);
	if (d->more_below)
		ui_put(LINES - 2, COLS - 1, 1, "\u2193", A_BOLD);
}
