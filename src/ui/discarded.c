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

static int fetch(struct ui *ui, const struct store_card_key *from, bool backward, int max,
		 struct ui_card *cards)
{
	struct store_column_query q = {
		.stage = LB_DISCARDED, .order = STORE_ORDER_NEWEST, .from = from,
		.backward = backward, .limit = max,
	};
	struct ui_card_fill f = { ui, cards, 0, max };

	if (max <= 0 || store_column_each(ui->store, &q, ui_card_fill_add, &f) != LB_OK)
		return 0;
	return f.n;
}

static void key_of(const struct ui_card *card, struct store_card_key *key)
{
	key->entered_at = card->entered_at;
	key->score = card->score;
	memcpy(key->id, card->id, sizeof key->id);
}

void ui_discarded_open(struct ui *ui)
{
	memset(&ui->discarded, 0, sizeof ui->discarded);
	ui_push(ui, VIEW_DISCARDED);
	ui_reload(ui, false);
}

void ui_discarded_reload(struct ui *ui)
{
	struct ui_discarded *d = &ui->discarded;
	struct ui_card above[UI_WINDOW_MAX];
	struct store_column_query q = { .stage = LB_DISCARDED };
	int n = rows(), k;
	char old[LB_ID_LEN + 1];

	memcpy(old, d->sel_id, sizeof old);
	d->n = fetch(ui, d->has_top ? &d->top : NULL, false, n + 1, d->cards);
	d->more_below = d->n > n;
	if (d->n > n)
		d->n = n;
	/* the end came closer: fill up from above */
	if (d->n < n && d->has_top && (k = fetch(ui, &d->top, true, n - d->n, above)) > 0) {
		memmove(&d->cards[k], &d->cards[0], sizeof d->cards[0] * (size_t)d->n);
		for (int i = 0; i < k; i++)
			d->cards[k - 1 - i] = above[i];
		d->n += k;
	}
	if (d->n > 0)
		key_of(&d->cards[0], &d->top);
	else
		d->has_top = false;
	d->more_above = d->has_top && d->n > 0 && fetch(ui, &d->top, true, 1, above) > 0;
	for (int i = 0; i < d->n; i++)
		if (old[0] && strcmp(d->cards[i].id, old) == 0)
			d->sel = i;
	if (d->sel >= d->n)
		d->sel = d->n > 0 ? d->n - 1 : 0;
	if (d->n > 0)
		memcpy(d->sel_id, d->cards[d->sel].id, sizeof d->sel_id);
	if (store_column_count(ui->store, &q, UI_COUNT_CAP, &d->count) != LB_OK)
		d->count = 0;
}

const struct ui_card *ui_discarded_card(struct ui *ui)
{
	return ui->discarded.n > 0 ? &ui->discarded.cards[ui->discarded.sel] : NULL;
}

static void select_row(struct ui_discarded *d, int row)
{
	d->sel = row < 0 ? 0 : row >= d->n ? (d->n > 0 ? d->n - 1 : 0) : row;
	if (d->n > 0)
		memcpy(d->sel_id, d->cards[d->sel].id, sizeof d->sel_id);
}

void ui_discarded_step(struct ui *ui, int delta)
{
	struct ui_discarded *d = &ui->discarded;
	struct ui_card before[UI_WINDOW_MAX];
	int row = d->sel, k;

	if (d->n == 0)
		return;
	if (d->sel + delta >= 0 && d->sel + delta < d->n) {
		select_row(d, d->sel + delta);
		return;
	}
	if (delta > 0) {
		if (!d->more_below) {
			select_row(d, d->n - 1);
			return;
		}
		key_of(&d->cards[delta == 1 ? 1 : d->n - 1], &d->top);
		d->has_top = true;
		d->sel_id[0] = '\0';
		ui_discarded_reload(ui);
		select_row(d, delta == 1 ? d->n - 1 : row);
		return;
	}
	if (!d->more_above) {
		select_row(d, 0);
		return;
	}
	k = fetch(ui, &d->top, true, delta == -1 ? 1 : rows() - 1, before);
	if (k > 0)
		key_of(&before[k - 1], &d->top);
	d->sel_id[0] = '\0';
	ui_discarded_reload(ui);
	select_row(d, delta == -1 ? 0 : row);
}

void ui_discarded_ends(struct ui *ui, int end)
{
	struct ui_discarded *d = &ui->discarded;
	struct ui_card last[UI_WINDOW_MAX];
	int k;

	d->sel_id[0] = '\0';
	d->has_top = false;
	if (end > 0 && (k = fetch(ui, NULL, true, rows(), last)) > 0) {
		key_of(&last[k - 1], &d->top);
		d->has_top = true;
	}
	ui_discarded_reload(ui);
	select_row(d, end > 0 ? d->n - 1 : 0);
}

void ui_discarded_draw(struct ui *ui)
{
	struct ui_discarded *d = &ui->discarded;
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
