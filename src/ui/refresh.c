/*
 * refresh.c - the board after others' commits, read from the change feed.
 *
 * The log is the change feed: the board remembers the newest event it shows
 * (ui->seen_seq) and reads the events after it, which name the stages their
 * leads left and entered. Only those columns are read again, their windows
 * and counts; the header's figures only when a stage they count was
 * touched; the ready count lead by lead (the leads it counted are kept in a
 * set). Then only the parts whose contents differ are drawn again.
 *
 * When the events cannot say what changed it reads everything, as the
 * first frame did: a change to the board itself (users, stages, reasons,
 * settings: an event naming no lead), a merge (its event names the lead
 * that leaves; the kept one changes too), a filter (its search is made at
 * a reload), a new schema, a commit that wrote no event (someone with the
 * sqlite3 shell), or more events than reading everything would cost.
 */
#include <stddef.h>
#include <string.h>

#include "leadboard/timeutil.h"
#include "ui_impl.h"

#define REFRESH_MAX_CHANGES 1000   /* past this many events, read everything */

/* Past this many leads to place, a column reads its window again: each
 * costs a look-up, the window about as much as four. */
#define WINDOW_LOOKUPS 4

/* One event as the refresh needs it: the lead, the columns it touched. */
struct touched {
	char lead_id[LB_ID_LEN + 1];
	int from, to;           /* stage indexes; -1: no column */
};

/* What the events since the last refresh touched. */
struct batch {
	const struct ui *ui;
	uint32_t stages;        /* bit s: a lead left or entered stage s */
	bool read_all;          /* an event whose effects it cannot follow */
	bool handoff_stage;     /* a lead left or entered the stage handoffs leave from */
	int count;
	int64_t last_seq;
	struct touched events[REFRESH_MAX_CHANGES];
};

/* Stage key's column, noted as touched; -1 for a state off the board
 * (discarded), which no column shows. */
static int touch(struct batch *b, const char *key)
{
	int s = key[0] ? board_find(&b->ui->board, key) : -1;

	if (s >= 0)
		b->stages |= 1u << s;
	return s;
}

static int take_change(const struct store_change *c, void *ctx)
{
	struct batch *b = ctx;
	int handoff = rules_handoff_stage(&b->ui->board);
	struct touched *t;

	b->count++;
	b->last_seq = c->seq;
	if (b->count > REFRESH_MAX_CHANGES)
		return 1;
	/* an event about the board itself, or a merge, which changes the kept
	 * lead without naming it */
	if (!c->lead_id[0] || strcmp(c->kind, event_kind_name(EV_MERGE)) == 0) {
		b->read_all = true;
		return 1;
	}
	t = &b->events[b->count - 1];
	memcpy(t->lead_id, c->lead_id, sizeof t->lead_id);
	t->from = touch(b, c->from_stage);
	t->to = touch(b, c->to_stage);
	if (handoff >= 0 && (t->from == handoff || t->to == handoff))
		b->handoff_stage = true;
	return 0;
}

static bool shown(const struct ui_column *c, const char *id)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->cards[i].id, id) == 0)
			return true;
	return false;
}

/* Order of a lead in its column against a card: <0 before, >0 after. */
static int compare_key(const struct lead *lead, const struct ui_card *card)
{
	if (lead->stage_entered_at != card->entered_at)
		return lead->stage_entered_at < card->entered_at ? -1 : 1;
	return strcmp(lead->id, card->id);
}

/*
 * Whether column s's window stays as it is: a full window (a column is read
 * in key order from its first card) none of whose cards the events name,
 * and none of the named leads now in the stage falling between its first
 * and last card. Then only its arrows can change: a lead now before the
 * first card sets the upper one, after the last the lower one; a lead that
 * left from outside the window may have been the last one beyond an arrow,
 * so an arrow that was on is looked at again.
 */
static bool keep_window(struct ui *ui, const struct batch *b, int s)
{
	struct ui_column *c = &ui->columns[s];
	const char *stage = ui->board.stages[s].key;
	bool above = false, below = false, left = false;
	struct ui_card probe[2];
	int looked = 0;

	/* only the plain board's windows follow the key compared here */
	if (c->n < ui_board_rows() || c->n == 0 || ui->filter[0] || ui->recycled_only ||
	    ui->scope != SCOPE_EVERYONE || ui->order != STORE_ORDER_LONGEST)
		return false;
	for (int i = 0; i < b->count; i++) {
		const struct touched *t = &b->events[i];
		struct lead lead;
		if (t->from != s && t->to != s)
			continue;
		if (shown(c, t->lead_id) || ++looked > WINDOW_LOOKUPS ||
		    store_get_lead(ui->store, t->lead_id, &lead) != LB_OK)
			return false;
		if (strcmp(lead.stage, stage) != 0) {
			left = true;
		} else if (compare_key(&lead, &c->cards[c->n - 1]) > 0) {
			below = true;
		} else if (compare_key(&lead, &c->cards[0]) < 0 && c->has_top) {
			above = true;
		} else {
			return false;   /* between the cards, or before the column's first */
		}
	}
	if (left && c->more_above && !above) {
		struct store_card_key first = { .entered_at = c->cards[0].entered_at,
						 .score = c->cards[0].score };
		memcpy(first.id, c->cards[0].id, sizeof first.id);
		c->more_above = ui_board_fetch(ui, s, &first, true, 1, probe) > 0;
	}
	if (left && c->more_below && !below) {
		struct store_card_key last = { .entered_at = c->cards[c->n - 1].entered_at,
						.score = c->cards[c->n - 1].score };
		memcpy(last.id, c->cards[c->n - 1].id, sizeof last.id);
		/* from the last card on: itself, and one more when there is one */
		c->more_below = ui_board_fetch(ui, s, &last, false, 2, probe) > 1;
	}
	c->more_above = c->more_above || above;
	c->more_below = c->more_below || below;
	return true;
}

/* The part of a column a refresh compares: what draw_column() shows. */
static bool same_column(const struct ui_column *a, const struct ui_column *b)
{
	return a->n == b->n && a->sel == b->sel && a->more_above == b->more_above &&
	       a->more_below == b->more_below &&
	       memcmp(a->cards, b->cards, sizeof a->cards[0] * (size_t)a->n) == 0;
}

static bool same_count(const struct ui_column *a, const struct ui_column *b)
{
	return a->count == b->count && a->capped == b->capped;
}

/* The ready figure: each lead that entered, left or changed in the handoff
 * stage, as it is now. */
static void count_ready_again(struct ui *ui, struct batch *b)
{
	int handoff = rules_handoff_stage(&ui->board);

	for (int i = 0; i < b->count; i++) {
		const struct touched *t = &b->events[i];
		struct lead lead;
		if (t->from != handoff && t->to != handoff)
			continue;
		if (store_get_lead(ui->store, t->lead_id, &lead) != LB_OK ||
		    !ui_board_ready_change(ui, &lead)) {
			ui->ready.done = false;   /* count it all again, in the background */
			ui->ready.started = false;
			return;
		}
	}
}

/* Apply the batch to what the board holds, as of the open snapshot. */
static void apply(struct ui *ui, struct batch *b)
{
	static struct ui_column before;
	struct rules_watch watch = rules_watch(&ui->user);
	bool sales = false;
	int64_t figures[4] = { ui->unclaimed, ui->overdue, ui->mine, ui->escalated };
	int64_t ready = ui->ready.count;
	bool ready_done = ui->ready.done;
	int64_t counts[LB_MAX_STAGES];
	bool capped[LB_MAX_STAGES];

	for (int s = 0; s < ui->board.count; s++) {
		counts[s] = ui->columns[s].count;
		capped[s] = ui->columns[s].capped;
		if ((b->stages & (1u << s)) && ui->board.stages[s].team == TEAM_SALES)
			sales = true;
	}
	ui_board_load_counts(ui, b->stages);
	for (int i = 0; i < ui->layout.count; i++) {
		int s = ui->layout.first + i;
		struct ui_column *c = &ui->columns[s];
		if (counts[s] != c->count || capped[s] != c->capped)
			ui->draw_columns |= 1u << s;
		if (!(b->stages & (1u << s)))
			continue;
		before = *c;
		if (!keep_window(ui, b, s))
			ui_board_load_column(ui, s, true);
		if (!same_column(&before, c) || !same_count(&before, c))
			ui->draw_columns |= 1u << s;
	}
	/* the figures count leads in sales stages only */
	if (sales && (watch.handoffs || watch.own || watch.escalations))
		ui_board_load_figures(ui);
	if (b->handoff_stage && watch.ready)
		count_ready_again(ui, b);
	ui->draw_header = figures[0] != ui->unclaimed || figures[1] != ui->overdue ||
			  figures[2] != ui->mine || figures[3] != ui->escalated ||
			  ready != ui->ready.count ||
			  ready_done != ui->ready.done;
}

bool ui_board_refresh(struct ui *ui)
{
	static struct batch b;
	int64_t version, mark = -1;
	int64_t notified = store_notified_seq(ui->store);
	char message[sizeof ui->message];
	enum lb_status st;

	/* PostgreSQL's notifications say how far the log goes: when no further
	 * than what the board shows (its own change, told back), nothing to do */
	if (notified >= 0 && notified <= ui->seen_seq && ui->seen_seq > 0) {
		if (store_data_version(ui->store, &version) == LB_OK)
			ui->data_version = version;
		return false;
	}
	if (store_begin_read(ui->store) != LB_OK)
		return false;
	/* the events' array is filled as far as b.count says */
	memset(&b, 0, offsetof(struct batch, events));
	b.ui = ui;
	st = store_data_version(ui->store, &version);
	if (!st)
		st = store_schema_mark(ui->store, &mark);
	if (!st && mark == ui->schema_mark)
		st = store_changes_each(ui->store, ui->seen_seq, REFRESH_MAX_CHANGES + 1,
					take_change, &b);
	/* a filter's search holds the matches it found at the last reload */
	if (st || mark != ui->schema_mark || b.read_all || b.count == 0 ||
	    b.count > REFRESH_MAX_CHANGES || ui->filter[0]) {
		/* it cannot tell: read everything, as the first frame did */
		store_end_read(ui->store);
		store_notified_forget(ui->store);
		ui_reload(ui, true);
		ui->ready.done = false;
		ui->ready.started = false;
		return true;
	}
	ui->data_version = version;
	ui->now = time_now_ms();
	snprintf(message, sizeof message, "%s", ui->message);
	ui->draw_columns = 0;
	apply(ui, &b);
	ui->seen_seq = b.last_seq;
	store_end_read(ui->store);
	ui->draw_parts = ui->draw_header || ui->draw_columns || strcmp(message, ui->message) != 0;
	return ui->draw_parts;
}
