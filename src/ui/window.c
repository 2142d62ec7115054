/*
 * window.c - a window of cards read by keyset: a column of the board, or
 * the discarded leads. The window keeps the key of its first card and
 * reads a screenful from there; scrolling moves the key, and the cursor
 * stays on its card (by id) when the cards around it change.
 */
#include <string.h>

#include "ui_impl.h"

void ui_card_key(const struct ui_card *card, struct store_card_key *key)
{
	key->entered_at = card->entered_at;
	key->score = card->score;
	memcpy(key->id, card->id, sizeof key->id);
}

bool ui_window_fill(struct ui *ui, struct ui_column *c, const struct ui_window_source *from)
{
	struct ui_card above[UI_WINDOW_MAX];
	int rows = from->rows, k;
	char old_id[LB_ID_LEN + 1];
	bool found = false;

	memcpy(old_id, c->sel_id, sizeof old_id);
	c->n = from->fetch(ui, from->s, c->has_top ? &c->top : NULL, false, rows + 1, c->cards);
	c->more_below = c->n > rows;
	if (c->n > rows)
		c->n = rows;
	/* the end came closer: fill up from above */
	if (c->n < rows && c->has_top &&
	    (k = from->fetch(ui, from->s, &c->top, true, rows - c->n, above)) > 0) {
		memmove(&c->cards[k], &c->cards[0], sizeof c->cards[0] * (size_t)c->n);
		for (int i = 0; i < k; i++)
			c->cards[k - 1 - i] = above[i];
		c->n += k;
	}
	if (c->n > 0) {
		ui_card_key(&c->cards[0], &c->top);
		c->more_above = c->has_top && from->fetch(ui, from->s, &c->top, true, 1, above) > 0;
	} else {
		c->has_top = false;
		c->more_above = false;
	}
	for (int i = 0; i < c->n && old_id[0]; i++) {
		if (strcmp(c->cards[i].id, old_id) == 0) {
			c->sel = i;
			found = true;
		}
	}
	ui_window_select(c, c->sel);
	return found;
}

void ui_window_select(struct ui_column *c, int row)
{
	c->sel = row < 0 ? 0 : row >= c->n ? (c->n > 0 ? c->n - 1 : 0) : row;
	if (c->n > 0)
		memcpy(c->sel_id, c->cards[c->sel].id, sizeof c->sel_id);
}

void ui_window_step(struct ui *ui, struct ui_column *c, const struct ui_window_source *from,
		    int delta)
{
	struct ui_card before[UI_WINDOW_MAX];
	int row = c->sel, k;

	if (c->n == 0)
		return;
	if (c->sel + delta >= 0 && c->sel + delta < c->n) {
		ui_window_select(c, c->sel + delta);
		return;
	}
	if (delta > 0) {
		if (!c->more_below) {
			ui_window_select(c, c->n - 1);
			return;
		}
		/* one card: shift the window by one; a page: the last card goes on top */
		int shift = delta == 1 ? 1 : c->n - 1;
		if (shift < 1)
			shift = 1;
		ui_card_key(&c->cards[shift < c->n ? shift : c->n - 1], &c->top);
		c->has_top = true;
		c->sel_id[0] = '\0';
		from->reload(ui, from->s);
		ui_window_select(c, delta == 1 ? c->n - 1 : row);
		return;
	}
	if (!c->more_above) {
		ui_window_select(c, 0);
		return;
	}
	k = from->fetch(ui, from->s, &c->top, true, delta == -1 ? 1 : from->rows - 1, before);
	if (k > 0) {
		ui_card_key(&before[k - 1], &c->top);
		c->has_top = true;
	}
	c->sel_id[0] = '\0';
	from->reload(ui, from->s);
	ui_window_select(c, delta == -1 ? 0 : row);
}

void ui_window_ends(struct ui *ui, struct ui_column *c, const struct ui_window_source *from,
		    int end)
{
	struct ui_card last[UI_WINDOW_MAX];
	int k;

	c->sel_id[0] = '\0';
	c->has_top = false;
	if (end > 0 && (k = from->fetch(ui, from->s, NULL, true, from->rows, last)) > 0) {
		ui_card_key(&last[k - 1], &c->top);
		c->has_top = true;
	}
	from->reload(ui, from->s);
	ui_window_select(c, end > 0 ? c->n - 1 : 0);
}
