/*
 * actions.c - every key of the board as data: one table of actions (keys,
 * name, help, views, handler) that input dispatch and the ? help screen
 * both read, so they cannot disagree. Changes go through the door with the
 * version the user saw. Before any dialog an action asks the rules ahead
 * (rules_ask) what it needs: a refusal shows at once, in the rules' words
 * (the command line's), and the dialogs opened are the ones the answer asks
 * for.
 */
#include <stdio.h>
#include <string.h>

#include "leadboard/text.h"
#include "leadboard/timeutil.h"
#include "ui_impl.h"

#define ENTER_KEYS '\n', '\r', KEY_ENTER
#define MAX_CHOICES 64

/* ---- the lead an action is about -------------------------------------------- */

/* The lead under the cursor, as it is now, and the version the user saw. */
static bool current_lead(struct ui *ui, struct lead *lead, int64_t *version)
{
	const char *id = NULL;
	enum lb_status st;

	if (ui->view == VIEW_BOARD || ui->view == VIEW_DISCARDED) {
		const struct ui_card *card = ui->view == VIEW_BOARD ? ui_board_card(ui)
								    : ui_discarded_card(ui);
		if (card) {
			id = card->id;
			*version = card->version;
		}
	} else if (ui->view == VIEW_DETAIL && ui->detail_id[0]) {
		id = ui->detail_id;
		*version = ui->detail_version;
	}
	if (!id) {
		ui_say(ui, "no lead here");
		return false;
	}
	if ((st = store_get_lead(ui->store, id, lead))) {
		ui_fail(ui, st);
		return false;
	}
	return true;
}

/* How the board's messages name a lead: its name and its short id. */
static void short_name(const struct lead *lead, char *out, size_t size)
{
	char name[200];

	text_fit(lead->name, 40, false, name, sizeof name);
	snprintf(out, size, "%s (%.8s)", name, lead->id);
}

/* The rules' answer ahead of the dialogs, for the lead the action is
 * about (NULL: adding); a refusal goes to the status line (false). */
static bool ask(struct ui *ui, const struct lead *lead, struct rules_request request,
		struct rules_verdict *verdict)
{
	request.ahead = true;
	*verdict = rules_ask(&ui->board, &ui->settings, &ui->user, lead, &request);
	if (verdict->status == LB_OK)
		return true;
	ui_fail(ui, lb_fail(verdict->status, "%s", verdict->message));
	return false;
}

/* The lead under the cursor when the rules, asked ahead, let the actor take
 * action on it (a refusal goes to the status line), and how the messages
 * name it. */
static bool lead_for(struct ui *ui, enum rules_action action, struct lead *lead,
		     int64_t *version, struct rules_verdict *v, char *name, size_t size)
{
	if (!current_lead(ui, lead, version) ||
	    !ask(ui, lead, (struct rules_request){ .action = action }, v))
		return false;
	short_name(lead, name, size);
	return true;
}

/* After a change through the door: the outcome in the status line, fresh data. */
static void changed(struct ui *ui, enum lb_status st, const char *done)
{
	ui->user = *door_actor(ui->door);
	if (st)
		ui_fail(ui, st);
	else
		ui_say(ui, "%s", done);
	ui->ready.done = ui->ready.started = false;
	ui_reload(ui, false);
}

/* ---- pickers fed from the store ---------------------------------------------- */

struct choices {
	char label[MAX_CHOICES][256];
	char key[MAX_CHOICES][LB_KEY_MAX + 1];
	const char *items[MAX_CHOICES];
	int n;
};

static int add_reason(const struct lb_reason *reason, void *ctx)
{
	struct choices *c = ctx;

	if (c->n >= MAX_CHOICES)
		return 1;
	snprintf(c->key[c->n], sizeof c->key[0], "%s", reason->code);
	/* cut and padded in cells: a label may be in any script */
	char label[128];
	text_fit(reason->code, 20, true, c->label[c->n], 100);
	text_fit(reason->label, 40, false, label, sizeof label);
	snprintf(c->label[c->n] + strlen(c->label[c->n]),
		 sizeof c->label[0] - strlen(c->label[c->n]), " %s", label);
	c->items[c->n] = c->label[c->n];
	c->n++;
	return 0;
}

static int add_rep(const struct lb_user *user, void *ctx)
{
	struct choices *c = ctx;

	if (!rules_assignable(user))
		return 0;
	if (c->n >= MAX_CHOICES)
		return 1;
	snprintf(c->key[c->n], sizeof c->key[0], "%s", user->login);
	snprintf(c->label[c->n], sizeof c->label[0], "%s", user->login);
	c->items[c->n] = c->label[c->n];
	c->n++;
	return 0;
}

/* The picker's line for a rep: the login and how many open leads they own. */
static int add_open_count(const char *login, int64_t count, void *ctx)
{
	struct choices *c = ctx;

	for (int i = 0; i < c->n; i++)
		if (strcmp(c->key[i], login) == 0)
			snprintf(c->label[i], sizeof c->label[0], "%-24.64s %5lld open", login,
				 (long long)count);
	return 0;
}

/* A reason from the reasons table. false: cancelled, or there is none
 * (said in the status line). */
static bool pick_reason(struct ui *ui, const char *title, char reason[LB_KEY_MAX + 1])
{
	static struct choices c;
	int i;

	c.n = 0;
	store_reasons_each(ui->store, true, add_reason, &c);
	if (c.n == 0) {
		ui_say(ui, "no active reason codes; an admin adds them (leadboard reasons add)");
		return false;
	}
	if ((i = ui_pick(ui, title, c.items, c.n, 0)) < 0) {
		ui_say(ui, "cancelled; nothing changed");
		return false;
	}
	snprintf(reason, LB_KEY_MAX + 1, "%s", c.key[i]);
	return true;
}

/* The details a verdict asks for, in order: a reason (picked under
 * reason_title), a note or an override's justification (under
 * justification_prompt). false: cancelled, nothing to do. */
static bool ask_details(struct ui *ui, const struct rules_verdict *v, const char *reason_title,
			const char *justification_prompt, char reason[LB_KEY_MAX + 1],
			char *note, size_t note_size)
{
	reason[0] = note[0] = '\0';
	if (v->reason != NEED_NONE && !pick_reason(ui, reason_title, reason))
		return false;
	if (v->justification || v->note != NEED_NONE) {
		bool done;
		if (v->justification)
			done = ui_ask_required(ui, justification_prompt,
					       "a justification is required: say why the rule is "
					       "set aside", note, note_size);
		else if (v->note == NEED_REQUIRED)
			done = ui_ask_required(ui, "Note (required)", "the note is empty: type it, "
					       "or Esc to cancel", note, note_size);
		else
			done = ui_ask(ui, "Note (optional), Enter to finish", note, note_size, NULL);
		if (!done) {
			ui_say(ui, "cancelled; nothing changed");
			return false;
		}
	}
	return true;
}

/* ---- changes -------------------------------------------------------------------- */

/* > and <: the card to the next (step 1) or previous (step -1) stage. */
static void move_card(struct ui *ui, int step)
{
	struct rules_verdict v;
	struct lead lead;
	int64_t version;
	char name[256], text[1024], why[600], done[512], reason[LB_KEY_MAX + 1];
	char note[LB_TEXT_MAX + 1];
	int from, to;
	enum lb_status st;

	if (!current_lead(ui, &lead, &version))
		return;
	short_name(&lead, name, sizeof name);
	from = board_find(&ui->board, lead.stage);
	to = from < 0 ? 0 : from + step;
	if (from >= 0 && (to < 0 || to >= ui->board.count)) {
		ui_say(ui, "%s is in %s, the %s stage", name, board_title(&ui->board, lead.stage),
		       step > 0 ? "last" : "first");
		return;
	}
	const struct lb_stage *b = &ui->board.stages[to];
	const char *a = board_title(&ui->board, lead.stage);
	if (!ask(ui, &lead, (struct rules_request){ .action = RULES_MOVE, .stage = b->key }, &v))
		return;

	snprintf(text, sizeof text, "%s %s: %s %s %s \u2014 why?",
		 v.change == CHANGE_PASSBACK ? "Pass back" : "Move back", name, a, ui->glyph.arrow,
		 b->title);
	if (step > 0)
		snprintf(why, sizeof why, "Override: why move %s from %s to %s?", name, a,
			 b->title);
	else
		snprintf(why, sizeof why, "Override: justification (required)");
	/* a handoff: confirm first, then the note that goes with it */
	if (v.change == CHANGE_HANDOFF && !v.override) {
		snprintf(text, sizeof text, "Hand off %s to sales (%s %s %s)?", name, a,
			 ui->glyph.arrow, b->title);
		if (!ui_confirm(ui, text)) {
			ui_say(ui, "handoff cancelled; nothing changed");
			return;
		}
		reason[0] = note[0] = '\0';
		if (!ui_ask(ui, "Note for the rep (optional), Enter to hand off", note, sizeof note,
			    NULL)) {
			ui_say(ui, "handoff cancelled; nothing changed");
			return;
		}
	} else if (!ask_details(ui, &v, text, why, reason, note, sizeof note)) {
		return;
	}
	/* into a terminal stage: said plainly, undone only by its author for a while */
	if (v.confirm && !v.override && v.change != CHANGE_HANDOFF) {
		snprintf(text, sizeof text, "Move %s to %s? Nothing moves out of it.", name,
			 b->title);
		if (!ui_confirm(ui, text)) {
			ui_say(ui, "cancelled; nothing changed");
			return;
		}
	}
	st = door_move(ui->door, lead.id, b->key, reason, note, v.override, version);
	if (v.override)
		snprintf(done, sizeof done, "%s moved to %s (override, on the record)", name,
			 b->title);
	else if (v.change == CHANGE_HANDOFF)
		snprintf(done, sizeof done, "%s handed off to %s", name, b->title);
	else if (v.reason != NEED_NONE)
		snprintf(done, sizeof done, "%s %s to %s (%s)", name,
			 v.change == CHANGE_PASSBACK ? "passed back" : "moved back", b->title, reason);
	else
		snprintf(done, sizeof done, "%s moved to %s", name, b->title);
	changed(ui, st, done);
}

static void act_forward(struct ui *ui) { move_card(ui, 1); }
static void act_backward(struct ui *ui) { move_card(ui, -1); }

static void act_claim(struct ui *ui)
{
	struct lead lead;
	int64_t version;
	char name[256], done[512];

	if (!current_lead(ui, &lead, &version))
		return;
	short_name(&lead, name, sizeof name);
	snprintf(done, sizeof done, "you claimed %s", name);
	changed(ui, door_claim(ui->door, lead.id, version), done);
}

static void act_discard(struct ui *ui)
{
	struct rules_verdict v;
	struct lead lead;
	int64_t version;
	char name[256], title[512], done[512], reason[LB_KEY_MAX + 1], note[LB_TEXT_MAX + 1];

	if (!lead_for(ui, RULES_DISCARD, &lead, &version, &v, name, sizeof name))
		return;
	snprintf(title, sizeof title, "Discard %s \u2014 why?", name);
	if (!ask_details(ui, &v, title, "", reason, note, sizeof note))
		return;
	snprintf(done, sizeof done, "%s discarded (%s); leadboard restore brings it back", name,
		 reason);
	changed(ui, door_discard(ui->door, lead.id, reason, note, version), done);
}

static void act_assign(struct ui *ui)
{
	static struct choices c;
	struct rules_verdict v;
	struct lead lead;
	int64_t version;
	char name[256], title[512], done[512];
	int i;

	if (!lead_for(ui, RULES_ASSIGN, &lead, &version, &v, name, sizeof name))
		return;
	c.n = 0;
	store_users_each(ui->store, add_rep, &c);
	if (c.n == 0) {
		ui_say(ui, "no sales reps on this board");
		return;
	}
	store_open_counts_each(ui->store, add_open_count, &c);
	snprintf(title, sizeof title, "Assign %s to", name);
	if ((i = ui_pick(ui, title, c.items, c.n, 0)) < 0) {
		ui_say(ui, "cancelled; nothing changed");
		return;
	}
	snprintf(done, sizeof done, "%s assigned to %s", name, c.key[i]);
	changed(ui, door_assign(ui->door, lead.id, c.key[i], version), done);
}

/* A contact attempt: the channel, an optional note, an optional next step. */
static void act_touch(struct ui *ui)
{
	struct rules_verdict v;
	struct lead lead;
	int64_t version, next_at = 0;
	char name[256], title[512], done[600], note[LB_TEXT_MAX + 1], next[64], when[64];
	int i;

	if (!lead_for(ui, RULES_TOUCH, &lead, &version, &v, name, sizeof name))
		return;
	snprintf(title, sizeof title, "Contact with %s (attempt %d) \u2014 how?", name,
		 lead.contact_attempts + 1);
	if ((i = ui_pick(ui, title, rules_channels, RULES_CHANNEL_COUNT, 0)) < 0) {
		ui_say(ui, "cancelled; nothing changed");
		return;
	}
	note[0] = next[0] = '\0';
	if (v.note != NEED_NONE &&
	    !ui_ask(ui, v.note == NEED_REQUIRED ? "Note (required)"
						: "Note (optional), Enter to go on",
		    note, sizeof note, NULL)) {
		ui_say(ui, "cancelled; nothing changed");
		return;
	}
	for (;;) {
		if (!ui_ask(ui, "Next step (2h, 3d, an ISO time; empty: none)", next, sizeof next,
			    NULL)) {
			ui_say(ui, "cancelled; nothing changed");
			return;
		}
		if (!next[0] || time_parse_forward(next, door_now(ui->door), &next_at))
			break;
		ui_fail(ui, lb_fail(LB_USAGE, "'%.40s' is not a time to come: use 2h, 3d, 90m or "
					      "an ISO time", next));
		next_at = 0;
	}
	if (next_at)
		snprintf(done, sizeof done, "%s: %s logged (attempt %d); next step %s", name,
			 rules_channels[i], lead.contact_attempts + 1,
			 time_format_local(next_at, when));
	else
		snprintf(done, sizeof done, "%s: %s logged (attempt %d)", name, rules_channels[i],
			 lead.contact_attempts + 1);
	changed(ui, door_touch(ui->door, lead.id, rules_channels[i], note, next_at, version),
		done);
}

static void act_note(struct ui *ui)
{
	struct rules_verdict v;
	struct lead lead;
	int64_t version;
	char name[256], title[512], done[512], note[LB_TEXT_MAX + 1] = "";

	if (!lead_for(ui, RULES_NOTE, &lead, &version, &v, name, sizeof name))
		return;
	snprintf(title, sizeof title, "Note on %s", name);
	if (!ui_ask_required(ui, title, "the note is empty: type it, or Esc to cancel", note,
			     sizeof note)) {
		ui_say(ui, "cancelled; nothing changed");
		return;
	}
	snprintf(done, sizeof done, "note added to %s", name);
	changed(ui, door_note(ui->door, lead.id, note, version), done);
}

static void act_release(struct ui *ui)
{
	struct rules_verdict v;
	struct lead lead;
	int64_t version;
	char name[256], done[512];

	if (!lead_for(ui, RULES_RELEASE, &lead, &version, &v, name, sizeof name))
		return;
	snprintf(done, sizeof done, "you released %s; it waits to be claimed (u undoes)", name);
	changed(ui, door_release(ui->door, lead.id, version), done);
}

static void act_restore(struct ui *ui)
{
	struct rules_verdict v;
	struct lead lead;
	int64_t version;
	char name[256], done[512];

	if (!lead_for(ui, RULES_RESTORE, &lead, &version, &v, name, sizeof name))
		return;
	snprintf(done, sizeof done, "%s is back on the board, in %s", name,
		 v.stage >= 0 ? ui->board.stages[v.stage].title : "its first stage");
	changed(ui, door_restore(ui->door, lead.id, version), done);
}

/* u: the actor's own last change (on the lead in the detail view, else
 * anywhere), asked to confirm in words that name it. */
static void act_undo(struct ui *ui)
{
	const char *id = ui->view == VIEW_DETAIL && ui->detail_id[0] ? ui->detail_id : NULL;
	struct rules_verdict v;
	struct lb_event target;
	struct lead lead;
	char name[256], ago[32], what[400], question[800], done[600];
	int64_t undone;
	enum lb_status st;

	if ((st = door_undo_preview(ui->door, id, &target, &lead, &v))) {
		ui_fail(ui, st);
		return;
	}
	if (v.status) {
		ui_fail(ui, lb_fail(v.status, "%s", v.message));
		return;
	}
	short_name(&lead, name, sizeof name);
	time_format_ago(time_now_ms() - target.at, ago);
	if (strcmp(target.from_stage, target.to_stage) != 0 && target.from_stage[0])
		snprintf(what, sizeof what, "your %s of %s to %s (%s): it goes back to %s",
			 target.kind, name, board_title(&ui->board, target.to_stage), ago,
			 board_title(&ui->board, target.from_stage));
	else
		snprintf(what, sizeof what, "your %s of %s (%s)", target.kind, name, ago);
	snprintf(question, sizeof question, "Undo %s?", what);
	if (!ui_confirm(ui, question)) {
		ui_say(ui, "cancelled; nothing changed");
		return;
	}
	snprintf(done, sizeof done, "undone: %s", what);
	changed(ui, door_undo(ui->door, id, target.seq, &undone), done);
}

static void act_new(struct ui *ui)
{
	struct rules_request request = { .action = RULES_ADD, .ahead = true };
	struct rules_verdict v;

	/* into the column under the cursor when the actor may add there */
	if (ui->view == VIEW_BOARD && ui->focus < ui->board.count) {
		request.stage = ui->board.stages[ui->focus].key;
		v = rules_ask(&ui->board, &ui->settings, &ui->user, NULL, &request);
		if (v.status == LB_OK) {
			ui_form_new(ui, request.stage);
			return;
		}
	}
	request.stage = "";
	if (ask(ui, NULL, request, &v))
		ui_form_new(ui, NULL);
}

static void act_edit(struct ui *ui)
{
	struct rules_verdict v;
	struct lead lead;
	int64_t version;

	if (current_lead(ui, &lead, &version) &&
	    ask(ui, &lead, (struct rules_request){ .action = RULES_EDIT }, &v))
		ui_form_edit(ui, &lead, version);
}

/* ---- filters ------------------------------------------------------------------ */

static void board_filter_changed(struct ui *ui, const char *text)
{
	snprintf(ui->filter, sizeof ui->filter, "%s", text);
	ui_board_rewind(ui);
	ui_reload(ui, false);
	ui_draw(ui);
}

void ui_set_filter(struct ui *ui, const char *text)
{
	board_filter_changed(ui, text);
}

static void log_filter_changed(struct ui *ui, const char *text)
{
	snprintf(ui->log.search, sizeof ui->log.search, "%s", text);
	ui->log.top_seq = 0;
	ui->log.sel = 0;
	ui_reload(ui, false);
	ui_draw(ui);
}

static void act_filter(struct ui *ui)
{
	char text[256];
	bool log = ui->view == VIEW_LOG;

	snprintf(text, sizeof text, "%s", log ? ui->log.search : ui->filter);
	if (ui_ask(ui, "/", text, sizeof text, log ? log_filter_changed : board_filter_changed))
		return;
	/* Esc clears the filter */
	if (log)
		log_filter_changed(ui, "");
	else
		board_filter_changed(ui, "");
}

static void act_scope(struct ui *ui)
{
	static const char *const says[SCOPE_COUNT] = {
		[SCOPE_EVERYONE] = "every lead; m: only yours",
		[SCOPE_MINE] = "only the cards you own; m: the unclaimed ones",
		[SCOPE_UNCLAIMED] = "only handed-off leads nobody has claimed; m: the due ones",
		[SCOPE_DUE] = "only leads whose next step is due (now or past); m: everyone's",
	};
	ui->scope = (enum ui_scope)((ui->scope + 1) % SCOPE_COUNT);
	ui_board_rewind(ui);
	ui_reload(ui, false);
	ui_say(ui, "%s", says[ui->scope]);
}

static void act_order(struct ui *ui)
{
	ui->order = (enum store_order)((ui->order + 1) % STORE_ORDER_COUNT);
	ui_board_rewind(ui);
	ui_reload(ui, false);
	ui_say(ui, "each column: %s", ui_order_name(ui->order));
}

/* Esc on the board: everyone's cards again, no filter. */
static void act_everyone(struct ui *ui)
{
	if (ui->scope == SCOPE_EVERYONE && !ui->filter[0] && !ui->recycled_only)
		return;
	ui->scope = SCOPE_EVERYONE;
	ui->filter[0] = '\0';
	ui->recycled_only = false;
	ui_board_rewind(ui);
	ui_reload(ui, false);
	ui_say(ui, "every lead");
}

static void act_recycled(struct ui *ui)
{
	ui->recycled_only = !ui->recycled_only;
	ui_board_rewind(ui);
	ui_reload(ui, false);
	if (ui->recycled_only)
		ui_say(ui, "recycled leads only, oldest first, with the last reason; r shows all");
	else
		ui_say(ui, "every lead");
}

static void act_log_kind(struct ui *ui)
{
	const char *items[EV_COUNT + 1];
	int i;

	items[0] = "any kind";
	for (int k = 0; k < EV_COUNT; k++)
		items[k + 1] = event_kind_name((enum lb_event_kind)k);
	if ((i = ui_pick(ui, "Show events of kind", items, EV_COUNT + 1, 0)) < 0)
		return;
	snprintf(ui->log.kind, sizeof ui->log.kind, "%s", i == 0 ? "" : items[i]);
	ui->log.top_seq = 0;
	ui->log.sel = 0;
	ui_reload(ui, false);
}

static int add_member(const struct lb_user *user, void *ctx)
{
	struct choices *c = ctx;

	if (c->n >= MAX_CHOICES)
		return 1;
	snprintf(c->key[c->n], sizeof c->key[0], "%s", user->login);
	/* the login padded in cells, not bytes */
	text_fit(user->login, 20, true, c->label[c->n], sizeof c->label[0]);
	snprintf(c->label[c->n] + strlen(c->label[c->n]),
		 sizeof c->label[0] - strlen(c->label[c->n]), " %s", role_name(user->role));
	c->items[c->n] = c->label[c->n];
	c->n++;
	return 0;
}

static void act_log_actor(struct ui *ui)
{
	static struct choices c;
	struct rules_verdict may = rules_may_see_members(&ui->user);
	int i;

	if (may.status) {
		ui_fail(ui, lb_fail(may.status, "%s", may.message));
		return;
	}
	c.n = 0;
	snprintf(c.label[0], sizeof c.label[0], "anyone");
	c.key[0][0] = '\0';
	c.items[0] = c.label[0];
	c.n = 1;
	store_users_each(ui->store, add_member, &c);
	if ((i = ui_pick(ui, "Show events by", c.items, c.n, 0)) < 0)
		return;
	snprintf(ui->log.actor, sizeof ui->log.actor, "%s", c.key[i]);
	ui->log.top_seq = 0;
	ui->log.sel = 0;
	ui_reload(ui, false);
}

static void act_log_since(struct ui *ui)
{
	bool report = ui->view == VIEW_REPORT;
	char *since_text = report ? ui->report_since_text : ui->log.since_text;
	int64_t *since_at = report ? &ui->report_since : &ui->log.since;
	char text[32];
	int64_t since;

	snprintf(text, sizeof text, "%s", since_text);
	if (!ui_ask(ui, "Since (24h, 7d, 2026-11-01; empty: all)", text, sizeof text, NULL))
		return;
	if (!text[0]) {
		*since_at = 0;
		since_text[0] = '\0';
	} else if (time_parse(text, time_now_ms(), &since)) {
		*since_at = since > 0 ? since : 1;
		snprintf(since_text, 32, "%s", text);
	} else {
		ui_fail(ui, lb_fail(LB_USAGE, "'%s' is not a time: use 90m, 24h, 7d or an ISO date",
				    text));
		return;
	}
	ui->log.top_seq = 0;
	ui->log.sel = 0;
	ui_reload(ui, false);
}

static void act_log_clear(struct ui *ui)
{
	ui->log.kind[0] = ui->log.actor[0] = ui->log.since_text[0] = ui->log.search[0] = '\0';
	ui->log.since = 0;
	ui->log.top_seq = 0;
	ui->log.sel = 0;
	ui_reload(ui, false);
	ui_say(ui, "every event");
}

/* ---- moving around ----------------------------------------------------------- */

static int page(struct ui *ui)
{
	if (ui->view == VIEW_BOARD)
		return ui_board_rows();
	if (ui->view == VIEW_DISCARDED)
		return LINES - 5 > 1 ? LINES - 5 : 1;
	return LINES - 4 > 1 ? LINES - 4 : 1;
}

static void step(struct ui *ui, int delta)
{
	switch (ui->view) {
	case VIEW_BOARD: ui_board_step(ui, delta); break;
	case VIEW_LOG: ui_log_step(ui, delta); break;
	case VIEW_DISCARDED: ui_discarded_step(ui, delta); break;
	default: ui_text_scroll(ui, delta); break;
	}
}

static void act_up(struct ui *ui) { step(ui, -1); }
static void act_down(struct ui *ui) { step(ui, 1); }
static void act_page_up(struct ui *ui) { step(ui, -page(ui)); }
static void act_page_down(struct ui *ui) { step(ui, page(ui)); }

static void act_first(struct ui *ui)
{
	if (ui->view == VIEW_DISCARDED)
		ui_discarded_ends(ui, -1);
	else if (ui->view == VIEW_BOARD)
		ui_board_ends(ui, -1);
	else if (ui->view == VIEW_LOG)
		ui_log_ends(ui, -1);
	else
		ui_text_scroll(ui, -UI_TEXT_LINES);
}

static void act_last(struct ui *ui)
{
	if (ui->view == VIEW_DISCARDED)
		ui_discarded_ends(ui, 1);
	else if (ui->view == VIEW_BOARD)
		ui_board_ends(ui, 1);
	else if (ui->view == VIEW_LOG)
		ui_log_ends(ui, 1);
	else
		ui_text_scroll(ui, UI_TEXT_LINES);
}

static void act_left(struct ui *ui) { ui_board_focus(ui, ui->focus - 1); }
static void act_right(struct ui *ui) { ui_board_focus(ui, ui->focus + 1); }

static void act_open(struct ui *ui)
{
	if (ui->view == VIEW_BOARD || ui->view == VIEW_DISCARDED) {
		const struct ui_card *card = ui->view == VIEW_BOARD ? ui_board_card(ui)
								    : ui_discarded_card(ui);
		if (card)
			ui_detail_open(ui, card->id);
		else
			ui_say(ui, "no lead here");
		return;
	}
	const struct ui_log_row *row = ui_log_selected(ui);
	if (!row || !row->event.lead_id[0]) {
		ui_say(ui, "this event is about the board, not a lead");
		return;
	}
	ui_detail_open(ui, row->event.lead_id);
}

static void act_back(struct ui *ui) { ui_pop(ui); }

static void act_redraw(struct ui *ui)
{
	clearok(curscr, TRUE);
	ui_reload(ui, false);
}
static void act_quit(struct ui *ui) { ui->quit = true; }
static void act_log(struct ui *ui) { ui_log_open(ui); }
static void act_help(struct ui *ui) { ui_help_open(ui); }
static void act_report(struct ui *ui) { ui_report_open(ui); }
static void act_discarded(struct ui *ui) { ui_discarded_open(ui); }

/* ---- the table ------------------------------------------------------------------ */

#define LEAD_VIEWS (ON(VIEW_BOARD) | ON(VIEW_DETAIL))
#define LIST_VIEWS (ON(VIEW_BOARD) | ON(VIEW_LOG) | ON(VIEW_DISCARDED))
#define SCROLL_VIEWS ON_ALL

/*
 * Each entry: keys; how the help shows them; name; help text (also the man
 * page's, word for word: tests/test_actions.c compares them); group; views;
 * handler; and, for the status line, how it shows the keys and the word it
 * shows in each view (none: not in that view's hints).
 */
const struct ui_action ui_actions[] = {
	{ { KEY_LEFT, 'h' }, "\u2190 h", "left", "previous column (a narrow terminal scrolls "
	  "sideways)", "Move around", ON(VIEW_BOARD), act_left,
	  "\u2190\u2192", { [VIEW_BOARD] = "column" } },
	{ { KEY_RIGHT, 'l' }, "\u2192 l", "right", "next column", "Move around", ON(VIEW_BOARD),
	  act_right, NULL, { NULL } },
	{ { KEY_UP, 'k' }, "\u2191 k", "up", "previous card (event in the log, line in a view)",
	  "Move around", SCROLL_VIEWS, act_up,
	  "\u2191\u2193", { [VIEW_BOARD] = "card", [VIEW_DETAIL] = "scroll", [VIEW_LOG] = "event",
			    [VIEW_HELP] = "scroll", [VIEW_REPORT] = "scroll" } },
	{ { KEY_DOWN, 'j' }, "\u2193 j", "down", "next card (event in the log, line in a view)",
	  "Move around", SCROLL_VIEWS, act_down, NULL, { NULL } },
	{ { KEY_PPAGE, 2 }, "PgUp ^B", "page-up", "a page up", "Move around", SCROLL_VIEWS,
	  act_page_up, NULL, { NULL } },
	{ { KEY_NPAGE, 6, ' ' }, "PgDn ^F Space", "page-down", "a page down", "Move around",
	  SCROLL_VIEWS, act_page_down, NULL, { NULL } },
	{ { 'g', KEY_HOME }, "g Home", "first", "first card (newest event, top of a view)",
	  "Move around", SCROLL_VIEWS, act_first, NULL, { NULL } },
	{ { 'G', KEY_END }, "G End", "last", "last card (oldest event, bottom of a view)",
	  "Move around", SCROLL_VIEWS, act_last, NULL, { NULL } },
	{ { ENTER_KEYS }, "Enter", "open", "the lead's detail and history (in the audit log: the "
	  "event's lead)",
	  "Move around", LIST_VIEWS, act_open,
	  "Enter", { [VIEW_BOARD] = "detail", [VIEW_LOG] = "lead", [VIEW_DISCARDED] = "detail" } },

	{ { '>' }, ">", "forward", "move the card to the next stage; a handoff asks to confirm, a "
	  "manager's move is an override with a justification",
	  "Change a lead", LEAD_VIEWS, act_forward,
	  ">", { [VIEW_BOARD] = "forward", [VIEW_DETAIL] = "forward" } },
	{ { '<' }, "<", "back", "move the card to the previous stage with a reason and a note; "
	  "Esc cancels, nothing changes", "Change a lead", LEAD_VIEWS, act_backward,
	  "<", { [VIEW_BOARD] = "back", [VIEW_DETAIL] = "back" } },
	{ { 'c' }, "c", "claim", "claim a handed-off lead (sales)", "Change a lead", LEAD_VIEWS,
	  act_claim, "c", { [VIEW_BOARD] = "claim", [VIEW_DETAIL] = "claim" } },
	{ { 'a' }, "a", "assign", "assign the lead to a sales rep (managers)", "Change a lead",
	  LEAD_VIEWS, act_assign, NULL, { NULL } },
	{ { 'd' }, "d", "discard", "discard the lead with a reason and a note (marketing)",
	  "Change a lead", LEAD_VIEWS, act_discard, NULL, { NULL } },
	{ { 'e' }, "e", "edit", "edit the lead's fields; each is checked as you leave it and "
	  "nothing is written while one is invalid", "Change a lead", LEAD_VIEWS, act_edit,
	  "e", { [VIEW_DETAIL] = "edit" } },
	{ { 'T' }, "T", "touch", "log a contact attempt: the channel, a note and the next step "
	  "(the lead's owner or a manager)", "Change a lead", LEAD_VIEWS, act_touch,
	  "T", { [VIEW_DETAIL] = "touch" } },
	{ { 'n' }, "n", "new", "add a lead (into the column under the cursor when your team "
	  "owns it)", "Change a lead", ON(VIEW_BOARD), act_new, "n", { [VIEW_BOARD] = "new" } },
	{ { 'N' }, "N", "note", "write a note on the lead (anyone); it shows in its history",
	  "Change a lead", LEAD_VIEWS, act_note, "N", { [VIEW_DETAIL] = "note" } },
	{ { 'C' }, "C", "release", "give back a lead you claimed: unowned again, its SLA clock "
	  "still running from the handoff", "Change a lead", LEAD_VIEWS, act_release, NULL,
	  { NULL } },
	{ { 'u' }, "u", "undo", "undo your own last change (in a lead's detail: to that lead) "
	  "within undo_minutes, when nobody changed the lead since; asks first", "Change a lead",
	  LEAD_VIEWS, act_undo, "u", { [VIEW_BOARD] = "undo", [VIEW_DETAIL] = "undo" } },
	{ { 'r' }, "r", "restore", "bring a discarded lead back onto the board (marketing)",
	  "Change a lead", ON(VIEW_DETAIL) | ON(VIEW_DISCARDED), act_restore,
	  "r", { [VIEW_DISCARDED] = "restore" } },

	{ { '/' }, "/", "filter", "filter cards (or log events) as you type; Enter keeps the "
	  "filter, Esc clears it", "Find", ON(VIEW_BOARD) | ON(VIEW_LOG), act_filter,
	  "/", { [VIEW_BOARD] = "filter", [VIEW_LOG] = "text" } },
	{ { 'm' }, "m", "scope", "whose cards: everyone's, then only yours, then the unclaimed "
	  "handoffs, then those whose next step is due, then everyone's again", "Find",
	  ON(VIEW_BOARD), act_scope,
	  "m", { [VIEW_BOARD] = "mine" } },
	{ { 'o' }, "o", "order", "each column's order: longest in the stage first, newest first, "
	  "highest score first", "Find", ON(VIEW_BOARD), act_order, NULL, { NULL } },
	{ { 27 }, "Esc", "everyone", "back to every lead: no scope, no filter", "Find",
	  ON(VIEW_BOARD), act_everyone, NULL, { NULL } },
	{ { 'r' }, "r", "recycled", "show only recycled leads, with the last reason and note; "
	  "again for all", "Find", ON(VIEW_BOARD), act_recycled, NULL, { NULL } },
	{ { 't' }, "t", "kind", "audit log: only events of one kind", "Find", ON(VIEW_LOG),
	  act_log_kind, "t", { [VIEW_LOG] = "kind" } },
	{ { 'w' }, "w", "who", "audit log: only events by one member (admins and managers)",
	  "Find", ON(VIEW_LOG), act_log_actor, "w", { [VIEW_LOG] = "who" } },
	{ { 's' }, "s", "since", "audit log and report: only events since a time (24h, 7d, a "
	  "date)", "Find", ON(VIEW_LOG) | ON(VIEW_REPORT), act_log_since,
	  "s", { [VIEW_LOG] = "since", [VIEW_REPORT] = "since" } },
	{ { 'x' }, "x", "clear", "audit log: clear every filter", "Find", ON(VIEW_LOG),
	  act_log_clear, "x", { [VIEW_LOG] = "clear" } },

	{ { 'A' }, "A", "log", "the audit log, newest first", "Views", ON(VIEW_BOARD) |
	  ON(VIEW_DETAIL), act_log, "A", { [VIEW_BOARD] = "log" } },
	{ { 'R' }, "R", "report", "the report: the funnel as bars with conversion rates, "
	  "pass-backs by reason, the SLA", "Views", ON(VIEW_BOARD), act_report, NULL, { NULL } },
	{ { 'D' }, "D", "discarded", "the discarded leads, newest first, to read and restore",
	  "Views", ON(VIEW_BOARD), act_discarded, NULL, { NULL } },
	{ { '?' }, "?", "help", "this help, made from the same table of actions as the keys",
	  "Views", ON_ALL & ~ON(VIEW_HELP), act_help, "?", { [VIEW_BOARD] = "help" } },
	{ { 27, 'q' }, "Esc q", "back", "back to the previous view", "Views",
	  ON_ALL & ~ON(VIEW_BOARD), act_back,
	  "Esc", { [VIEW_DETAIL] = "back", [VIEW_LOG] = "back", [VIEW_HELP] = "back",
		   [VIEW_REPORT] = "back", [VIEW_DISCARDED] = "back" } },
	{ { 'q' }, "q", "quit", "quit (Ctrl-C too)", "Views", ON(VIEW_BOARD), act_quit,
	  "q", { [VIEW_BOARD] = "quit" } },
	{ { 12 }, "^L", "redraw", "redraw the screen", "Views", ON_ALL, act_redraw, NULL,
	  { NULL } },
	{ { 0 }, NULL, NULL, NULL, NULL, 0, NULL, NULL, { NULL } },
};

void ui_hints(enum ui_view view, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (const struct ui_action *a = ui_actions; a->name && used + 1 < size; a++) {
		if (!a->hint_keys || !a->hint[view] || !(a->views & ON(view)))
			continue;
		int n = snprintf(out + used, size - used, "%s%s %s", used ? "  " : "", a->hint_keys,
				 a->hint[view]);
		used += n > 0 ? (size_t)n : 0;
	}
}

bool ui_dispatch(struct ui *ui, int key)
{
	for (const struct ui_action *a = ui_actions; a->name; a++) {
		if (!(a->views & ON(ui->view)))
			continue;
		for (int k = 0; k < 4 && a->keys[k]; k++) {
			if (a->keys[k] == key) {
				a->run(ui);
				return true;
			}
		}
	}
	return false;
}
