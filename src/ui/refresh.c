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
 * settings: an event naming no lead), a new schema, a commit that wrote no
 * event (someone with the sqlite3 shell), or more events than reading
 * everything would cost.
 */
#include <string.h>

#include "leadboard/timeutil.h"
#include "ui_impl.h"

#define REFRESH_MAX_CHANGES 1000   /* past this many events, read everything */

/* What the events since the last refresh touched. */
struct batch {
	const struct ui *ui;
	uint32_t stages;        /* bit s: a lead left or entered stage s */
	bool board_changed;     /* an event about the board itself */
	bool handoff_stage;     /* a lead left or entered the stage handoffs leave from */
	int count;
	int64_t last_seq;
	int ready_leads;        /* leads to count again for the ready figure */
	char ready_ids[REFRESH_MAX_CHANGES][LB_ID_LEN + 1];
};

/* Note stage key as touched; true when it is the handoff stage. */
static bool touch(struct batch *b, const char *key, int handoff)
{
	int s = key[0] ? board_find(&b->ui->board, key) : -1;

	if (s < 0)
		return false;   /* a state off the board (discarded): no column shows it */
	b->stages |= 1u << s;
	return s == handoff;
}

static int take_change(const struct store_change *c, void *ctx)
{
	struct batch *b = ctx;
	int handoff = rules_handoff_stage(&b->ui->board);
	bool left, entered;

	b->count++;
	b->last_seq = c->seq;
	if (b->count > REFRESH_MAX_CHANGES)
		return 1;
	if (!c->lead_id[0]) {
		b->board_changed = true;
		return 1;
	}
	left = touch(b, c->from_stage, handoff);
	entered = touch(b, c->to_stage, handoff);
	if (left || entered) {
		b->handoff_stage = true;
		memcpy(b->ready_ids[b->ready_leads++], c->lead_id, sizeof b->ready_ids[0]);
	}
	return 0;
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
	for (int i = 0; i < b->ready_leads; i++) {
		struct lead lead;
		if (store_get_lead(ui->store, b->ready_ids[i], &lead) != LB_OK ||
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
	int64_t figures[3] = { ui->unclaimed, ui->overdue, ui->mine };
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
		ui_board_load_column(ui, s, true);
		if (!same_column(&before, c) || !same_count(&before, c))
			ui->draw_columns |= 1u << s;
	}
	/* the figures count leads in sales stages only */
	if (sales && (watch.handoffs || watch.own))
		ui_board_load_figures(ui);
	if (b->handoff_stage && watch.ready)
		count_ready_again(ui, b);
	ui->draw_header = figures[0] != ui->unclaimed || figures[1] != ui->overdue ||
			  figures[2] != ui->mine || ready != ui->ready.count ||
			  ready_done != ui->ready.done;
}

bool ui_board_refresh(struct ui *ui)
{
	static struct batch b;
	int64_t version, mark;
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
	memset(&b, 0, sizeof b);
	b.ui = ui;
	st = store_data_version(ui->store, &version);
	if (!st)
		st = store_schema_mark(ui->store, &mark);
	if (!st && mark == ui->schema_mark)
		st = store_changes_each(ui->store, ui->seen_seq, REFRESH_MAX_CHANGES + 1,
					take_change, &b);
	if (st || mark != ui->schema_mark || b.board_changed || b.count == 0 ||
	    b.count > REFRESH_MAX_CHANGES) {
		/* it cannot tell: read everything, as the first frame did */
		store_end_read(ui->store);
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
