/*
 * board.c - the kanban: one column per stage, a window of cards each.
 *
 * A column keeps the key (stage_entered_at, id) of its first shown card and
 * reads the screenful from there through the index leads_column; scrolling
 * moves the key. Counts come from stage_counts (kept by triggers), so the
 * cost of a frame does not depend on how many leads there are.
 */
#include <stdio.h>
#include <string.h>

#include "leadboard/key_set.h"
#include "leadboard/text.h"
#include "leadboard/timeutil.h"
#include "ui_impl.h"

#define READY_CHUNK 2000         /* MQLs checked against the gate per idle step (~5 ms) */
#define HANDOFF_COUNT_CAP 10000   /* the header says "10000+" past this */
/* Ready leads kept in a set (8 bytes each, the set at most half full): past
 * this many a change in the handoff stage means counting again, so that a
 * board's memory does not grow with the board (1 MiB here) */
#define READY_SET_MAX 65536

int ui_board_rows(void)
{
	int rows = (LINES - 4) / UI_CARD_LINES;

	if (rows < 1)
		rows = 1;
	if (rows > UI_WINDOW_MAX - 1)
		rows = UI_WINDOW_MAX - 1;
	return rows;
}

/* The member's place in ui->members, or -1. */
static int member_of(const struct ui *ui, const char *login)
{
	int lo = 0, hi = ui->member_count - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(ui->members[mid], login);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static unsigned card_marks(struct ui *ui, const struct lead *lead)
{
	unsigned marks = 0;

	if (rules_is_overdue(&ui->board, &ui->settings, lead, ui->now))
		marks |= MARK_OVERDUE;
	if (rules_is_stale(&ui->board, &ui->settings, lead, ui->now))
		marks |= MARK_STALE;
	if (rules_ready_for_handoff(&ui->board, &ui->settings, lead, NULL, 0))
		marks |= MARK_READY;
	if (rules_is_due(lead, ui->now))
		marks |= MARK_DUE;
	return marks;
}

int ui_card_fill_add(const struct lead *lead, void *fill)
{
	struct ui_card_fill *f = fill;

	ui_card_of(f->ui, lead, &f->cards[f->n++]);
	return f->n >= f->max;
}

void ui_card_of(struct ui *ui, const struct lead *lead, struct ui_card *c)
{
	memcpy(c->id, lead->id, sizeof c->id);
	layout_copy(c->name, sizeof c->name, lead->name);
	layout_copy(c->company, sizeof c->company, lead->company);
	layout_copy(c->owner, sizeof c->owner, lead->owner);
	layout_copy(c->last_reason, sizeof c->last_reason, lead->last_reason);
	layout_copy(c->last_note, sizeof c->last_note, lead->last_note);
	c->entered_at = lead->stage_entered_at;
	c->version = lead->version;
	c->score = lead->score;
	c->recycle_count = lead->recycle_count;
	c->contact_attempts = lead->contact_attempts;
	c->marks = card_marks(ui, lead);
	int m = lead->owner[0] ? member_of(ui, lead->owner) : -1;
	c->owner_disabled = m >= 0 && ui->member_disabled[m];
}

/* What column s shows in the board's scope, filter and order; false when
 * the scope leaves nothing in it (unclaimed leads are in open sales
 * stages only). */
static bool column_query(struct ui *ui, int s, struct store_column_query *q)
{
	memset(q, 0, sizeof *q);
	q->stage = ui->board.stages[s].key;
	q->order = ui->order;
	q->search = ui->search;
	q->recycled = ui->recycled_only;
	if (ui->scope == SCOPE_MINE)
		q->owner = ui->user.login;
	q->unclaimed = ui->scope == SCOPE_UNCLAIMED;
	q->due_at = ui->scope == SCOPE_DUE ? ui->now : 0;
	return !q->unclaimed || rules_open_sales_stage(&ui->board, s);
}

int ui_board_fetch(struct ui *ui, int s, const struct store_card_key *from, bool backward,
		   int max, struct ui_card *cards)
{
	struct store_column_query q;
	struct ui_card_fill f = { ui, cards, 0, max };

	if (max <= 0 || !column_query(ui, s, &q))
		return 0;
	q.from = from;
	q.backward = backward;
	q.limit = max;
	if (store_column_each(ui->store, &q, ui_card_fill_add, &f) != LB_OK)
		return 0;
	return f.n;
}

/* The selected card left its column: say who moved it where. */
static void report_moved(struct ui *ui, int s, const char *id)
{
	struct lead lead;
	struct lb_event e;
	char sid[9], when[32], name[64];

	if (store_get_lead(ui->store, id, &lead) != LB_OK ||
	    strcmp(lead.stage, ui->board.stages[s].key) == 0)
		return;
	rules_short_id(id, sid);
	text_fit(lead.name, 30, false, name, sizeof name);
	if (store_last_event(ui->store, id, &e) != LB_OK) {
		ui_say(ui, "lead %s (%s) is now in %s", sid, name, board_title(&ui->board, lead.stage));
		return;
	}
	time_format_ago(ui->now - e.at, when);
	if (strcmp(e.kind, "discard") == 0)
		ui_say(ui, "lead %s (%s) was discarded by %s %s", sid, name, e.actor, when);
	else
		ui_say(ui, "lead %s (%s) was moved by %s to %s %s", sid, name, e.actor,
		       board_title(&ui->board, lead.stage), when);
}

static void reload_column(struct ui *ui, int s)
{
	ui_board_load_column(ui, s, false);
}

/* Where column s reads its cards from. */
static struct ui_window_source column_source(int s)
{
	return (struct ui_window_source){ .s = s, .rows = ui_board_rows(),
					  .fetch = ui_board_fetch, .reload = reload_column };
}

/* Reread column s's window from its key (ui_window_fill()); after others'
 * changes (external), say where the selected card went when it left. */
void ui_board_load_column(struct ui *ui, int s, bool external)
{
	struct ui_column *c = &ui->columns[s];
	struct ui_window_source from = column_source(s);
	char old_id[LB_ID_LEN + 1];

	memcpy(old_id, c->sel_id, sizeof old_id);
	if (!ui_window_fill(ui, c, &from) && external && old_id[0] && s == ui->focus)
		report_moved(ui, s, old_id);
	/* a search for many: the count is what the window found */
	if (store_search_many(ui->search)) {
		c->count = c->n;
		c->at_least = c->more_above || c->more_below;
		c->capped = false;
	} else {
		c->at_least = false;
	}
	if (c->n == 0)
		c->sel_id[0] = '\0';
}

void ui_board_load_counts(struct ui *ui, uint32_t stages)
{
	int64_t counts[LB_MAX_STAGES], discarded;
	bool filtered = !store_search_is_empty(ui->search) || ui->recycled_only ||
			ui->scope != SCOPE_EVERYONE;

	if (!filtered && store_stage_counts(ui->store, &ui->board, counts, &discarded) == LB_OK) {
		for (int s = 0; s < ui->board.count; s++) {
			ui->columns[s].count = counts[s];
			ui->columns[s].capped = false;
		}
	}
	/* a search for many is counted by its windows (load_column) */
	for (int s = 0; filtered && !store_search_many(ui->search) && s < ui->board.count; s++) {
		struct ui_column *c = &ui->columns[s];
		struct store_column_query q;
		if (!(stages & (1u << s)))
			continue;
		c->count = 0;
		if (column_query(ui, s, &q) &&
		    store_column_count(ui->store, &q, UI_COUNT_CAP, &c->count) != LB_OK)
			c->count = 0;
		c->capped = c->count >= UI_COUNT_CAP;
	}
}

void ui_board_load_figures(struct ui *ui)
{
	struct rules_watch watch = rules_watch(&ui->user);

	ui->unclaimed = ui->overdue = ui->mine = ui->escalated = 0;
	if (watch.handoffs)
		store_handoff_counts(ui->store,
				     rules_overdue_before(&ui->settings, ui->now),
				     HANDOFF_COUNT_CAP, &ui->unclaimed, &ui->overdue);
	if (watch.own)
		store_owned_open_count(ui->store, ui->user.login, HANDOFF_COUNT_CAP, &ui->mine);
	if (watch.escalations)
		store_escalated_count(ui->store, HANDOFF_COUNT_CAP, &ui->escalated);
}

static void update_layout(struct ui *ui)
{
	if (ui->focus >= ui->board.count)
		ui->focus = ui->board.count > 0 ? ui->board.count - 1 : 0;
	layout_columns(COLS, ui->board.count, LAYOUT_MIN_COLUMN, ui->focus, ui->first_column,
		       &ui->layout);
	ui->first_column = ui->layout.first;
}

static int add_member(const struct lb_user *user, void *ctx)
{
	struct ui *ui = ctx;

	if (ui->member_count >= UI_MEMBERS_MAX)
		return 1;
	snprintf(ui->members[ui->member_count], sizeof ui->members[0], "%s", user->login);
	ui->member_disabled[ui->member_count++] = user->disabled;
	return 0;
}

/* The members in login order (byte order, whatever the database's
 * collation), for owner markers (layout_owner_codes) and disabled owners. */
static void load_members(struct ui *ui)
{
	ui->member_count = 0;
	store_users_each(ui->store, add_member, ui);
	for (int i = 1; i < ui->member_count; i++) {   /* insertion sort: a few dozen */
		char login[LB_KEY_MAX + 1];
		bool disabled = ui->member_disabled[i];
		int j = i;
		memcpy(login, ui->members[i], sizeof login);
		for (; j > 0 && strcmp(ui->members[j - 1], login) > 0; j--) {
			memcpy(ui->members[j], ui->members[j - 1], sizeof login);
			ui->member_disabled[j] = ui->member_disabled[j - 1];
		}
		memcpy(ui->members[j], login, sizeof login);
		ui->member_disabled[j] = disabled;
	}
	memset(ui->codes_made, 0, sizeof ui->codes_made);
}

/* The filter, as a search over what the board holds now. */
static void load_search(struct ui *ui)
{
	store_search_close(ui->search);
	ui->search = NULL;
	if (ui->filter[0] && store_search_open(ui->store, ui->filter, &ui->search) != LB_OK) {
		store_search_close(ui->search);
		ui->search = NULL;
	}
}

void ui_board_reload(struct ui *ui, bool external)
{
	ui->user = *door_actor(ui->door);
	load_members(ui);
	load_search(ui);
	ui_board_load_counts(ui, UINT32_MAX);
	ui_board_load_figures(ui);
	update_layout(ui);
	for (int i = 0; i < ui->layout.count; i++)
		ui_board_load_column(ui, ui->layout.first + i, external);
}

const char *ui_scope_name(enum ui_scope scope)
{
	static const char *const names[SCOPE_COUNT] = {
		[SCOPE_EVERYONE] = "everyone", [SCOPE_MINE] = "MINE",
		[SCOPE_UNCLAIMED] = "UNCLAIMED", [SCOPE_DUE] = "DUE",
	};
	return (unsigned)scope < SCOPE_COUNT ? names[scope] : "?";
}

const char *ui_order_name(enum store_order order)
{
	static const char *const names[STORE_ORDER_COUNT] = {
		[STORE_ORDER_LONGEST] = "longest in stage first",
		[STORE_ORDER_NEWEST] = "newest first",
		[STORE_ORDER_SCORE] = "highest score first",
	};
	return (unsigned)order < STORE_ORDER_COUNT ? names[order] : "?";
}

void ui_board_rewind(struct ui *ui)
{
	for (int s = 0; s < LB_MAX_STAGES; s++) {
		ui->columns[s].has_top = false;
		ui->columns[s].sel = 0;
		ui->columns[s].sel_id[0] = '\0';
	}
}

const struct ui_card *ui_board_card(struct ui *ui)
{
	struct ui_column *c;

	if (ui->focus < 0 || ui->focus >= ui->board.count)
		return NULL;
	c = &ui->columns[ui->focus];
	return c->n > 0 ? &c->cards[c->sel] : NULL;
}

void ui_board_focus(struct ui *ui, int column)
{
	int before = ui->layout.first;

	if (column < 0 || column >= ui->board.count)
		return;
	ui->focus = column;
	update_layout(ui);
	if (ui->layout.first != before)
		for (int i = 0; i < ui->layout.count; i++)
			ui_board_load_column(ui, ui->layout.first + i, false);
}

void ui_board_step(struct ui *ui, int delta)
{
	struct ui_window_source from = column_source(ui->focus);

	if (ui->board.count > 0)
		ui_window_step(ui, &ui->columns[ui->focus], &from, delta);
}

void ui_board_ends(struct ui *ui, int end)
{
	struct ui_window_source from = column_source(ui->focus);

	if (ui->board.count > 0)
		ui_window_ends(ui, &ui->columns[ui->focus], &from, end);
}

/* ---- the gate-ready count, in the background ------------------------------- */

struct ready_walk {
	struct ui *ui;
	int seen;
	bool skip_first;
};

static int ready_step(const struct lead *lead, void *ctx)
{
	struct ready_walk *w = ctx;
	struct ui_ready *r = &w->ui->ready;

	if (w->skip_first && w->seen == 0 && lead->stage_entered_at == r->key.entered_at &&
	    strcmp(lead->id, r->key.id) == 0) {
		w->seen++;
		return 0;
	}
	w->seen++;
	if (!rules_ready_for_handoff(&w->ui->board, &w->ui->settings, lead, NULL, 0)) {
		/* not counted */
	} else if (r->untracked) {
		r->count++;
	} else if (r->leads.count >= READY_SET_MAX) {
		key_set_free(&r->leads);
		r->untracked = true;
		r->count++;
	} else if (key_set_add(&r->leads, key_set_of_id(lead->id))) {
		r->count++;
	}
	r->key.entered_at = lead->stage_entered_at;
	memcpy(r->key.id, lead->id, sizeof r->key.id);
	return 0;
}

bool ui_board_background(struct ui *ui)
{
	int stage = rules_handoff_stage(&ui->board);
	struct ui_ready *r = &ui->ready;
	struct ready_walk w = { ui, 0, r->started };
	struct store_column_query q;

	if (r->done || stage < 0 || !rules_watch(&ui->user).ready)
		return false;
	if (!r->started) {
		r->count = 0;
		r->untracked = false;
		key_set_clear(&r->leads);
	}
	memset(&q, 0, sizeof q);
	q.stage = ui->board.stages[stage].key;
	q.from = r->started ? &r->key : NULL;
	q.limit = READY_CHUNK + 1;
	if (store_column_each(ui->store, &q, ready_step, &w) != LB_OK) {
		r->done = true;
		return false;
	}
	r->started = true;
	if (w.seen < READY_CHUNK + 1)
		r->done = true;
	return !r->done;
}

bool ui_board_ready_change(struct ui *ui, const struct lead *lead)
{
	struct ui_ready *r = &ui->ready;
	uint64_t key = key_set_of_id(lead->id);
	bool now = rules_ready_for_handoff(&ui->board, &ui->settings, lead, NULL, 0);

	/* a count not begun yet will see the lead as it is; one under way has
	 * the leads it counted so far in the set, and counts a lead only once */
	if (!r->started)
		return true;
	if (r->untracked)
		return false;
	if (now == key_set_has(&r->leads, key))
		return true;
	if (now ? !key_set_add(&r->leads, key) : !key_set_remove(&r->leads, key))
		return false;   /* out of memory: count again */
	r->count += now ? 1 : -1;
	return true;
}

/* ---- drawing ------------------------------------------------------------------ */

static void draw_header(struct ui *ui)
{
	char left[512], right[256], line[1024];
	const char *role = role_name(ui->user.role), *real_user = door_real_user(ui->door);
	struct rules_watch watch = rules_watch(&ui->user);

	if (real_user[0])
		snprintf(left, sizeof left, " %s \u2502 %s (%s, as %s)", ui->name, ui->user.login,
			 role, real_user);
	else
		snprintf(left, sizeof left, " %s \u2502 %s (%s)", ui->name, ui->user.login, role);
	right[0] = '\0';
	if (watch.ready) {
		if (ui->ready.done)
			snprintf(right, sizeof right, "%lld ready to hand off",
				 (long long)ui->ready.count);
		else
			snprintf(right, sizeof right, "counting ready\u2026");
	}
	/* with routing on, a handoff still unclaimed is one routing found no rep for */
	if (watch.handoffs)
		snprintf(right + strlen(right), sizeof right - strlen(right), "%s%lld%s %s, "
			 "%lld%s overdue", right[0] ? " \u00b7 " : "", (long long)ui->unclaimed,
			 ui->unclaimed >= HANDOFF_COUNT_CAP ? "+" : "",
			 rules_routing_on(&ui->settings) ? "found no rep" : "unclaimed",
			 (long long)ui->overdue, ui->overdue >= HANDOFF_COUNT_CAP ? "+" : "");
	if (watch.escalations && ui->escalated)
		snprintf(right + strlen(right), sizeof right - strlen(right), ", %lld%s escalated",
			 (long long)ui->escalated, ui->escalated >= HANDOFF_COUNT_CAP ? "+" : "");
	if (watch.own)
		snprintf(right + strlen(right), sizeof right - strlen(right), ", %lld%s mine",
			 (long long)ui->mine, ui->mine >= HANDOFF_COUNT_CAP ? "+" : "");
	if (ui->scope != SCOPE_EVERYONE)
		snprintf(right + strlen(right), sizeof right - strlen(right), " \u00b7 %s",
			 ui_scope_name(ui->scope));
	if (ui->order != STORE_ORDER_LONGEST)
		snprintf(right + strlen(right), sizeof right - strlen(right), " \u00b7 %s",
			 ui_order_name(ui->order));
	if (ui->recycled_only)
		snprintf(right + strlen(right), sizeof right - strlen(right), " \u00b7 RECYCLED");
	if (ui->filter[0])
		snprintf(right + strlen(right), sizeof right - strlen(right), " \u00b7 /%.60s",
			 ui->filter);
	snprintf(right + strlen(right), sizeof right - strlen(right), " ");
	{
		char l[512], r[256];
		layout_two_sides(ui_ascii(left, l, sizeof l), ui_ascii(right, r, sizeof r), COLS, line,
				 sizeof line);
	}
	ui_put(0, 0, COLS, line, ui->attr.header);
}

static const char *separator(struct ui *ui, int s)
{
	int boundary = board_first_of(&ui->board, TEAM_SALES);

	return s == boundary && s > 0 && ui->board.stages[s - 1].team == TEAM_MARKETING
		       ? ui->glyph.boundary : ui->glyph.vline;
}

/* How the board shows login in room columns: unique among the members
 * whatever the room (layout_owner_codes); "" when no short form fits. */
static void owner_marker(struct ui *ui, const char *login, int room, char *out, size_t size)
{
	int m = member_of(ui, login);

	if (room > LAYOUT_CODE_ROOMS)
		room = LAYOUT_CODE_ROOMS;
	if (m < 0 || room < 1) {
		layout_owner(login, room, out, size);   /* not a member: as it comes */
		return;
	}
	if (!ui->codes_made[room]) {
		const char *logins[UI_MEMBERS_MAX];
		for (int i = 0; i < ui->member_count; i++)
			logins[i] = ui->members[i];
		layout_owner_codes(logins, ui->member_count, room, ui->owner_code[room]);
		ui->codes_made[room] = true;
	}
	text_sanitize(ui->owner_code[room][m], out, size);
}

/* The right-hand side of a card's second line: markers and age, within room. */
static void card_markers(struct ui *ui, const struct ui_card *card, int room, char *out,
			 size_t size)
{
	char age[8], part[96], owner[LB_KEY_MAX + 1];
	size_t used;

	time_format_age(ui->now - card->entered_at, age);
	snprintf(out, size, "%s", age);
	room -= (int)strlen(age);
	/* most urgent first; each only when it fits */
	const char *parts[6] = { NULL };
	int n = 0;
	char recycled[16], attempts[16];
	if (card->marks & MARK_OVERDUE)
		parts[n++] = ui->glyph.overdue;
	if (card->marks & MARK_DUE)
		parts[n++] = ui->glyph.due;
	if (card->contact_attempts > 0) {
		snprintf(attempts, sizeof attempts, "%s%d", ui->glyph.attempts,
			 card->contact_attempts);
		parts[n++] = attempts;
	}
	if (card->recycle_count > 0) {
		snprintf(recycled, sizeof recycled, "%s%d", ui->glyph.recycled, card->recycle_count);
		parts[n++] = recycled;
	}
	if (card->marks & MARK_READY)
		parts[n++] = ui->glyph.ready;
	if (card->marks & MARK_STALE)
		parts[n++] = ui->glyph.stale;
	part[0] = '\0';
	for (int i = 0; i < n; i++) {
		int w = text_width(parts[i]) + 1;
		if (w > room)
			break;
		used = strlen(part);
		snprintf(part + used, sizeof part - used, "%s ", parts[i]);
		room -= w;
	}
	if (card->owner[0] && room >= 3 + (card->owner_disabled ? 1 : 0)) {
		owner_marker(ui, card->owner, room - 2 - (card->owner_disabled ? 1 : 0), owner,
			     sizeof owner);
		used = strlen(part);
		if (owner[0])
			snprintf(part + used, sizeof part - used, "@%s%s ", owner,
				 card->owner_disabled ? ui->glyph.disabled : "");
	}
	used = strlen(part);
	snprintf(part + used, sizeof part - used, "%.7s", out);
	snprintf(out, size, "%s", part);
}

static void draw_column(struct ui *ui, int i)
{
	int s = ui->layout.first + i, x = ui->layout.x[i], w = ui->layout.width[i];
	struct ui_column *c = &ui->columns[s];
	const struct lb_stage *stage = &ui->board.stages[s];
	bool focused = s == ui->focus;
	attr_t team_attr = stage->team == TEAM_MARKETING ? ui->attr.marketing : ui->attr.sales;
	char title[256], count[32], line[1024], right[128];

	if (c->capped)
		snprintf(count, sizeof count, "%lld+", (long long)c->count - 1);
	else if (c->at_least)   /* what the window of a search for many found */
		snprintf(count, sizeof count, "%lld+", (long long)c->count);
	else
		snprintf(count, sizeof count, "%lld", (long long)c->count);
	snprintf(title, sizeof title, " %s", stage->title);
	layout_two_sides(title, count, w - 1, line, sizeof line);
	snprintf(title, sizeof title, "%.200s ", line);
	ui_put(1, x, w, title, team_attr | (focused ? A_REVERSE : 0));

	/* the team rule: labelled where a team's columns begin */
	attrset(team_attr & ~A_UNDERLINE & ~A_REVERSE);
	for (int k = 0; k < w; k++)
		mvaddstr(2, x + k, ui->glyph.hline);
	attrset(A_NORMAL);
	if (i == 0 || ui->board.stages[s - 1].team != stage->team) {
		snprintf(title, sizeof title, " %s ", team_name(stage->team));
		ui_put(2, x + 1, text_width(title) < w - 1 ? text_width(title) : w - 1, title,
		       A_BOLD);
	}
	if (c->n == 0) {
		ui_put(3, x + 1, w - 1, ui->filter[0] || ui->recycled_only ? "(no match)"
									 : "(empty)",
		       ui->attr.dim);
		return;
	}
	for (int k = 0; k < c->n; k++) {
		const struct ui_card *card = &c->cards[k];
		int y = 3 + k * UI_CARD_LINES;
		attr_t sel = focused && k == c->sel ? A_REVERSE : 0;
		attr_t second = card->marks & MARK_OVERDUE ? ui->attr.overdue
			     : card->marks & MARK_READY ? ui->attr.ready : ui->attr.dim;
		char score[24];

		snprintf(score, sizeof score, "%d", card->score);
		layout_two_sides(card->name, score, w - 1, line, sizeof line);
		ui_put(y, x, 1, "", sel);
		ui_put(y, x + 1, w - 1, line, sel | A_BOLD);
		if (ui->recycled_only) {
			/* the recycle view: the last reason gets the room, the count goes up */
			char age[8];
			snprintf(score, sizeof score, "%s%d", ui->glyph.recycled, card->recycle_count);
			layout_two_sides(card->name, score, w - 1, line, sizeof line);
			ui_put(y, x + 1, w - 1, line, sel | A_BOLD);
			char why[256];
			time_format_age(ui->now - card->entered_at, age);
			snprintf(why, sizeof why, "%s%s%s", card->last_reason,
				 card->last_note[0] ? ": " : "", card->last_note);
			layout_two_sides(why, age, w - 1, line, sizeof line);
		} else {
			card_markers(ui, card, (w - 1) / 2 + 2, right, sizeof right);
			layout_two_sides(card->company, right, w - 1, line, sizeof line);
		}
		ui_put(y + 1, x, 1, "", sel);
		ui_put(y + 1, x + 1, w - 1, line, sel ? sel : second);
	}
	/* more cards above or below: an arrow in the margin */
	if (c->more_above)
		ui_put(3, x, 1, "\u2191", A_BOLD | (focused && c->sel == 0 ? A_REVERSE : 0));
	if (c->more_below)
		ui_put(2 + c->n * UI_CARD_LINES, x, 1, "\u2193",
		       A_BOLD | (focused && c->sel == c->n - 1 ? A_REVERSE : 0));
}

/* Columns off screen: an arrow at the side they are on. */
static void draw_side_arrows(struct ui *ui)
{
	if (ui->layout.first > 0)
		ui_put(2, 0, 1, "\u2039", A_BOLD | A_REVERSE);
	if (ui->layout.first + ui->layout.count < ui->board.count)
		ui_put(2, COLS - 1, 1, "\u203a", A_BOLD | A_REVERSE);
}

void ui_board_draw(struct ui *ui)
{
	update_layout(ui);
	draw_header(ui);
	for (int i = 0; i < ui->layout.count; i++) {
		int s = ui->layout.first + i;
		draw_column(ui, i);
		if (i > 0) {
			const char *sep = separator(ui, s);
			attr_t attr = sep == ui->glyph.boundary ? ui->attr.boundary : ui->attr.dim;
			attrset(attr);
			for (int y = 1; y < LINES - 1; y++)
				mvaddstr(y, ui->layout.x[i] - 1, sep);
			attrset(A_NORMAL);
		}
	}
	draw_side_arrows(ui);
}

void ui_board_draw_parts(struct ui *ui, uint32_t columns, bool header)
{
	if (header)
		draw_header(ui);
	for (int i = 0; i < ui->layout.count; i++) {
		if (!(columns & (1u << (ui->layout.first + i))))
			continue;
		/* what the column drew before is wiped first, as erase() does */
		for (int y = 1; y < LINES - 1; y++)
			ui_put(y, ui->layout.x[i], ui->layout.width[i], "", A_NORMAL);
		draw_column(ui, i);
	}
	draw_side_arrows(ui);
}
