/*
 * ui_impl.h - what the board's own files share: its state, the views, the
 * action table and the drawing helpers. Not for anyone outside src/ui/.
 */
#ifndef LEADBOARD_UI_IMPL_H
#define LEADBOARD_UI_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include <curses.h>

#include "leadboard/door.h"
#include "leadboard/key_set.h"
#include "layout.h"
#include "lineedit.h"
#include "leadboard/lead.h"
#include "leadboard/rules.h"
#include "leadboard/store.h"
#include "ui.h"

#define UI_WINDOW_MAX 100       /* cards loaded per column: rows on screen, at most */
#define UI_CARD_LINES 2         /* lines a card takes */
#define UI_TICK_MS 300          /* how often an idle board looks for changes on a timer */
/* ... when a descriptor says when to (store_wait_fd): only for what it
 * cannot tell (a write by the sqlite3 shell seen too early) */
#define UI_LOOK_MS 5000
/* A board refreshes at most this often for others' commits: a lone commit
 * shows at once, a burst's wait GAP plus at most SPREAD and costs one
 * refresh. The spread, drawn anew each time, keeps boards woken by the same
 * commit from refreshing all at once ever after: 200 boards together held
 * both cores for a tenth of a second, and every writer waited. */
#define UI_REFRESH_GAP_MS 500
#define UI_REFRESH_SPREAD_MS 250
#define UI_TEXT_LINES 800       /* lines of a text view (detail, help) */
#define UI_LINE_BYTES 512
#define UI_LOG_MAX 200          /* audit rows loaded: rows on screen, at most */
#define UI_COUNT_CAP 1000       /* filtered counts stop here ("999+") */

/* What the board shows (m cycles it): every lead, the cards the actor
 * owns, or the handed-off leads nobody has claimed yet. */
enum ui_scope { SCOPE_EVERYONE, SCOPE_MINE, SCOPE_UNCLAIMED, SCOPE_DUE, SCOPE_COUNT };

#define UI_MEMBERS_MAX 256      /* members the board knows by name (owner markers) */

enum ui_view { VIEW_BOARD, VIEW_DETAIL, VIEW_LOG, VIEW_HELP, VIEW_REPORT, VIEW_DISCARDED,
	       VIEW_COUNT };
#define ON(view) (1u << (view))
#define ON_ALL (ON(VIEW_BOARD) | ON(VIEW_DETAIL) | ON(VIEW_LOG) | ON(VIEW_HELP) | ON(VIEW_REPORT) | \
		ON(VIEW_DISCARDED))

enum card_mark {
	MARK_OVERDUE = 1 << 0,   /* handed off, unclaimed past sla_accept_hours */
	MARK_STALE = 1 << 1,     /* no change for sla_idle_days */
	MARK_READY = 1 << 2,     /* in the last marketing stage and would pass the handoff */
	MARK_DUE = 1 << 3,       /* its next step is due (rules_is_due) */
};

/* What a card shows: a few fields of a lead, cut to sizes a card can use. */
struct ui_card {
	char id[LB_ID_LEN + 1];
	char name[160];
	char company[120];
	char owner[LB_KEY_MAX + 1];
	char last_reason[LB_KEY_MAX + 1];
	char last_note[160];
	int64_t entered_at;
	int64_t version;
	int score;
	bool owner_disabled;             /* the owner may no longer act on the board */
	int recycle_count;
	int contact_attempts;    /* since its handoff (touch) */
	unsigned marks;
};

/* One stage's column, or the discarded leads (window.c): a window of cards
 * starting at top. */
struct ui_column {
	int64_t count;                   /* leads in the stage (matching the filter), or
					    discarded (up to UI_COUNT_CAP) */
	bool capped;                     /* count stopped at UI_COUNT_CAP */
	bool at_least;                   /* count is what the window found (a search for
					    many): at least that many */
	bool has_top;                    /* false: the window starts at the column's start */
	struct store_card_key top;
	struct ui_card cards[UI_WINDOW_MAX];
	int n;
	bool more_above, more_below;
	int sel;
	char sel_id[LB_ID_LEN + 1];
};

/* Lines of a scrollable text view, with an attribute each. */
struct ui_text {
	char line[UI_TEXT_LINES][UI_LINE_BYTES];
	attr_t attr[UI_TEXT_LINES];
	int count;
	int top;
};

struct ui_log_row {
	struct lb_event event;
	char lead_name[160];
};

struct ui_log {
	int64_t top_seq;                 /* 0: the newest event */
	struct ui_log_row rows[UI_LOG_MAX];
	int n;
	bool more_below;
	int sel;
	char kind[16];                   /* filters; "" for none */
	char actor[LB_KEY_MAX + 1];
	char since_text[32];
	int64_t since;
	char search[256];
};

/* The gate-ready count of the header, computed a chunk at a time, and the
 * leads it counted (so that a change to one is counted by itself), while
 * they are few enough to keep (untracked: counted without them). */
struct ui_ready {
	bool done;
	bool started;
	bool untracked;
	struct store_card_key key;
	int64_t count;
	struct key_set leads;
};

struct ui_attrs {
	attr_t marketing, sales, header, status, error, overdue, ready, dim, selected, boundary;
};

struct ui_glyphs {
	const char *vline, *boundary, *hline, *recycled, *ready, *overdue, *stale, *arrow, *ellipsis,
		*disabled, *attempts, *due;
};

struct ui {
	struct store *store;
	struct door *door;
	char name[128];
	struct lb_user user;
	struct lb_board board;
	struct rules_settings settings;
	int64_t data_version;
	bool db_lost;                 /* the server went away; reconnecting */
	bool wake_on_change;          /* the loop waits for commits too (ui_input) */
	int64_t quiet_until;          /* commits wait until then for a refresh */
	unsigned spread_seed;         /* draws each burst's spread (rand_r) */
	int64_t last_reconnect_ms;
	int64_t now;                     /* the clock at the last reload */
	int64_t seen_seq;                /* the newest event the board shows (refresh.c) */
	int64_t schema_mark;             /* store_schema_mark() as of the last reload */
	/* what the next ui_draw() must draw: parts of the board after a refresh
	   (draw_parts), or everything */
	bool draw_parts;
	bool draw_header;
	uint32_t draw_columns;
	int64_t last_reload;             /* wall clock of the last full reload (ui_refresh) */

	bool screen_ready;
	bool colour;
	struct ui_attrs attr;
	struct ui_glyphs glyph;

	enum ui_view view;
	enum ui_view stack[8];           /* views to go back to */
	int depth;
	bool quit;
	bool terminal_gone;              /* the loop ended on EOF, EIO or SIGHUP */
	bool too_small;

	/* the board */
	struct ui_column columns[LB_MAX_STAGES];
	int focus;                       /* stage index of the cursor's column */
	int first_column;                /* first visible column (sideways scroll) */
	struct layout_columns layout;
	char filter[256];
	struct store_search *search;     /* the filter, as of the last reload; NULL: none */
	bool recycled_only;
	enum ui_scope scope;
	enum store_order order;
	/* the board's members, sorted by login, for owner markers */
	char members[UI_MEMBERS_MAX][LB_KEY_MAX + 1];
	bool member_disabled[UI_MEMBERS_MAX];
	int member_count;
	/* each member's marker in a room of n columns (layout_owner_codes), made
	   when first needed after a reload */
	char owner_code[LAYOUT_CODE_ROOMS + 1][UI_MEMBERS_MAX][LAYOUT_CODE_MAX + 1];
	bool codes_made[LAYOUT_CODE_ROOMS + 1];
	int64_t unclaimed, overdue, mine, escalated;
	struct ui_ready ready;

	/* the other views */
	char detail_id[LB_ID_LEN + 1];
	int64_t detail_version;
	struct ui_text text;             /* detail, help or report lines */
	struct ui_log log;
	struct ui_column discarded;      /* the discarded leads, newest discarded first */
	int64_t report_since;            /* 0: all time */
	char report_since_text[32];

	/* the status line */
	char message[1024];
	bool message_is_error;
	char hints[256];
};

/* ---- ui.c: loop, input, status line ------------------------------------- */

enum ui_input { INPUT_KEY, INPUT_TIMEOUT, INPUT_QUIT };

/* Keys are curses KEY_ codes and ASCII as themselves; any other character
 * is its code point with this bit set (KEY_ codes overlap Latin letters). */
#define UI_CHAR_FLAG 0x40000000

/* Wait up to timeout_ms for a key (*key: a character or a KEY_ code).
 * INPUT_QUIT when the terminal went away or a signal asked to stop. */
enum ui_input ui_input(struct ui *ui, int timeout_ms, int *key);

/* Show a message (printf-style) in the status line until the next key. */
void ui_say(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same as an error (the words of lb_message()). */
void ui_fail(struct ui *ui, enum lb_status status);

/* Reread what the current view shows when someone committed since the
 * last reload (or the clocks moved on); true when it did. */
bool ui_refresh(struct ui *ui);

/* Reread what the current view shows; report a selected card moved by
 * someone else when external is true. */
void ui_reload(struct ui *ui, bool external);

/* Redraw everything for the current view and update the terminal. */
void ui_draw(struct ui *ui);

/* Open a view on top of the current one / go back to the one below. */
void ui_push(struct ui *ui, enum ui_view view);
void ui_pop(struct ui *ui);

/* text, or (in a locale without UTF-8) a copy in out with the board's own
 * symbols (arrows, rules, markers) spelled in ASCII. */
const char *ui_ascii(const char *text, char *out, size_t size);

/* Draw text at (y, x) cut or padded to exactly width cells, sanitized. */
void ui_put(int y, int x, int width, const char *text, attr_t attr);

/* The status line (last row): the message, else the hints. */
void ui_draw_status(struct ui *ui);

/* ---- board.c: the kanban ------------------------------------------------- */

/* Rows of cards a column shows on this screen. */
int ui_board_rows(void);
void ui_board_reload(struct ui *ui, bool external);
void ui_board_draw(struct ui *ui);
/* The parts of the board a refresh changed: the header, and the columns
 * whose bits are set (bit s: stage s), over what is on the screen. */
void ui_board_draw_parts(struct ui *ui, uint32_t columns, bool header);
/* Read up to max cards of stage s from key (NULL: an end) into cards,
 * forward or backward in the column's order; how many were read. */
int ui_board_fetch(struct ui *ui, int s, const struct store_card_key *from, bool backward,
		   int max, struct ui_card *cards);
/* Read column s's window again (ui_board_reload does it for every column). */
void ui_board_load_column(struct ui *ui, int s, bool external);
/* Read the columns' counts again: the stages whose bits are set (a
 * filtered board counts each; otherwise one read gives them all). */
void ui_board_load_counts(struct ui *ui, uint32_t stages);
/* Read the header's figures again (unclaimed, overdue, mine). */
void ui_board_load_figures(struct ui *ui);
/* Count lead again for the ready figure, as it is now; false when the
 * figure must be counted again from scratch. */
bool ui_board_ready_change(struct ui *ui, const struct lead *lead);
/* The selected card, or NULL when the column is empty. */
const struct ui_card *ui_board_card(struct ui *ui);
/* Cursor movement in the focused column: by delta cards (pages are
 * +-rows), or to the first (-1) / last (+1) card with ends. */
void ui_board_step(struct ui *ui, int delta);
void ui_board_ends(struct ui *ui, int end);
void ui_board_focus(struct ui *ui, int column);
/* Forget every column's place (after a filter change). */
void ui_board_rewind(struct ui *ui);
/* How the header names a scope and an order. */
const char *ui_scope_name(enum ui_scope scope);
const char *ui_order_name(enum store_order order);
/* A card's fields from a lead, with its markers as of ui->now. */
void ui_card_of(struct ui *ui, const struct lead *lead, struct ui_card *card);

/* Cards read from the store into cards[n..max): a store row callback
 * (fill is a struct ui_card_fill) that stops when max are read. */
struct ui_card_fill {
	struct ui *ui;
	struct ui_card *cards;
	int n, max;
};
int ui_card_fill_add(const struct lead *lead, void *fill);
/* Advance the background gate-ready count; true while work remains. */
bool ui_board_background(struct ui *ui);

/* ---- window.c: a window of cards read by keyset ---------------------------- */

/* Where a window's cards come from: a stage of the board, or the discarded
 * leads. */
struct ui_window_source {
	int s;          /* the stage's index on the board (unused for the discarded) */
	int rows;       /* cards the window shows */
	/* up to max cards from the key from (NULL: the start) on, or before it */
	int (*fetch)(struct ui *ui, int s, const struct store_card_key *from, bool backward,
		     int max, struct ui_card *cards);
	void (*reload)(struct ui *ui, int s);   /* read the window again from its key */
};

/* The keyset key a window starts from when card is its first. */
void ui_card_key(const struct ui_card *card, struct store_card_key *key);
/* Read c's cards from its key, filling up from above when the end came
 * closer, and keep the cursor on its card; true when that card is still
 * in the window. */
bool ui_window_fill(struct ui *ui, struct ui_column *c, const struct ui_window_source *from);
/* Put the cursor on row (kept within the window). */
void ui_window_select(struct ui_column *c, int row);
/* Move the cursor delta rows, moving the window when it leaves it. */
void ui_window_step(struct ui *ui, struct ui_column *c, const struct ui_window_source *from,
		    int delta);
/* The first (end < 0) or the last (end > 0) card. */
void ui_window_ends(struct ui *ui, struct ui_column *c, const struct ui_window_source *from,
		    int end);

/* ---- refresh.c: after others' commits --------------------------------------- */

/* Bring the board up to the log's newest event, reading and drawing only
 * what the events since ui->seen_seq touched (everything when it cannot
 * tell what they did). true when something on the screen changed. */
bool ui_board_refresh(struct ui *ui);

/* ---- actions.c: the table of actions -------------------------------------- */

struct ui_action {
	int keys[4];              /* key codes, 0-terminated */
	const char *label;        /* the keys as the help shows them */
	const char *name;
	const char *help;         /* the help screen's and the man page's words */
	const char *group;
	unsigned views;           /* ON(view) bits */
	void (*run)(struct ui *ui);
	const char *hint_keys;    /* the keys as the status line shows them; NULL: none */
	const char *hint[VIEW_COUNT];   /* the status line's word in each view; NULL: none */
};

/* The one list of keys: input, the ? help, the status line's hints and the
 * man page's BOARD KEYS all come from it. */
extern const struct ui_action ui_actions[];

/* The status line's hints for view, from the table, in its order. */
void ui_hints(enum ui_view view, char *out, size_t size);

/* Run the action bound to key in the current view; false when none is. */
bool ui_dispatch(struct ui *ui, int key);

/* ---- prompt.c: dialogs ---------------------------------------------------- */

/* A key that means "draw again" to a dialog's loop: the terminal was
 * resized, Ctrl-L asked, or someone changed what the board shows. */
#define UI_KEY_REDRAW (KEY_MAX + 1)

/* Wait for a key for a dialog. While it waits the board under the dialog
 * keeps refreshing (UI_KEY_REDRAW when it changed). false when the board
 * must stop (Ctrl-C, the terminal went away). */
bool ui_dialog_key(struct ui *ui, int *key);

/* A key for a line being edited (lineedit.h): moves, kills and characters.
 * false when the key is not one; *edited when the text changed. */
bool ui_line_key(struct lineedit *le, int key, bool *edited);

/* Draw the line le at (y, x) in width columns of win, the cursor shown
 * reversed; *start is the first byte in sight, kept between draws. */
void ui_draw_line(WINDOW *win, int y, int x, int width, const struct lineedit *le,
		  size_t *start, attr_t attr);

/* Pick one of n items (index, or -1 when cancelled). */
int ui_pick(struct ui *ui, const char *title, const char *const *items, int n, int initial);

/* Edit a line of text in a box (or, with on_change, in the status line,
 * calling on_change after every edit). true on Enter, false on Esc. */
bool ui_ask(struct ui *ui, const char *prompt, char *buf, size_t size,
	    void (*on_change)(struct ui *ui, const char *text));

/* The same for text that must not be empty: Enter on an empty line keeps
 * the box open and shows missing. */
bool ui_ask_required(struct ui *ui, const char *prompt, const char *missing, char *buf,
		     size_t size);

/* y / Enter: true; n / Esc: false. */
bool ui_confirm(struct ui *ui, const char *question);

/* A centred box of h x w with a title; returns the window (delwin it). */
WINDOW *ui_box(struct ui *ui, int h, int w, const char *title);

/* ---- form.c: new lead and edit ------------------------------------------- */

/* The form for a new lead in stage (""/NULL: the door's default), or for
 * editing lead. Writes through the door; reports in the status line. */
void ui_form_new(struct ui *ui, const char *stage);
void ui_form_edit(struct ui *ui, const struct lead *lead, int64_t version);

/* ---- detail.c, log.c, help.c, report ---------------------------------------- */

void ui_detail_open(struct ui *ui, const char *id);
void ui_detail_reload(struct ui *ui);
void ui_text_draw(struct ui *ui, const char *title);
void ui_text_scroll(struct ui *ui, int delta);

void ui_log_open(struct ui *ui);
void ui_log_reload(struct ui *ui);
void ui_log_draw(struct ui *ui);
void ui_log_step(struct ui *ui, int delta);
void ui_log_ends(struct ui *ui, int end);
const struct ui_log_row *ui_log_selected(struct ui *ui);

void ui_help_open(struct ui *ui);

/* discarded.c: the discarded leads, to read and restore */
void ui_discarded_open(struct ui *ui);
void ui_discarded_reload(struct ui *ui);
void ui_discarded_draw(struct ui *ui);
void ui_discarded_step(struct ui *ui, int delta);
void ui_discarded_ends(struct ui *ui, int end);
const struct ui_card *ui_discarded_card(struct ui *ui);
void ui_report_open(struct ui *ui);
void ui_report_reload(struct ui *ui);

/* Append a line to the text view. */
void ui_text_add(struct ui *ui, attr_t attr, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
