/*
 * ui.c - the board's life: the terminal, the loop, input and the status line.
 *
 * The loop waits for a key with a timeout (poll on the terminal); on each
 * timeout it asks the store whether anyone committed (PRAGMA data_version)
 * and rereads only then. Signals only set a flag. A terminal that goes away
 * (EOF or EIO on input, SIGHUP) ends the loop like q does.
 */
#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "leadboard/text.h"
#include "leadboard/timeutil.h"
#include "ui_impl.h"

/* Ages and SLA clocks move without commits; ages are shown in minutes */
#define RELOAD_EVERY_MS 60000
#define RECONNECT_EVERY_MS 1000

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

enum lb_status ui_open(struct store *store, struct door *door, const char *name, struct ui **out)
{
	struct ui *ui = calloc(1, sizeof *ui);

	*out = NULL;
	if (!ui)
		return lb_fail(LB_SOFTWARE, "out of memory");
	ui->store = store;
	ui->door = door;
	ui->user = *door_actor(door);
	snprintf(ui->name, sizeof ui->name, "%s", name && name[0] ? name : "leadboard");
	ui->view = VIEW_BOARD;
	ui->data_version = -1;
	ui->spread_seed = (unsigned)getpid() ^ (unsigned)time_now_ms();
	*out = ui;
	return LB_OK;
}

bool ui_terminal_gone(const struct ui *ui)
{
	return ui && ui->terminal_gone;
}

void ui_close(struct ui *ui)
{
	if (ui) {
		key_set_free(&ui->ready.leads);
		store_search_close(ui->search);
	}
	free(ui);
}

/* ---- screen --------------------------------------------------------------- */

static bool utf8_locale(void)
{
	const char *codeset = nl_langinfo(CODESET);

	return codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

static void setup_screen(struct ui *ui)
{
	const char *no_colour = getenv("NO_COLOR");
	static const struct ui_glyphs unicode = {
		"\u2502", "\u2551", "\u2500", "\u21ba", "\u2713", "!", "~", "\u2192", "\u2026",
		"\u2717", "\u260e", "\u25f7",
	};
	static const struct ui_glyphs ascii = { "|", "#", "-", "r", "+", "!", "~", ">", ".", "*",
						"t", "^" };

	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	ui->glyph = utf8_locale() ? unicode : ascii;
	ui->colour = has_colors() && !(no_colour && no_colour[0]);
	if (ui->colour && start_color() == OK) {
		use_default_colors();
		init_pair(1, COLOR_WHITE, COLOR_BLUE);     /* marketing */
		init_pair(2, COLOR_BLACK, COLOR_GREEN);    /* sales */
		init_pair(3, COLOR_RED, -1);               /* overdue */
		init_pair(4, COLOR_GREEN, -1);             /* ready */
		init_pair(5, COLOR_WHITE, COLOR_RED);      /* error */
		init_pair(6, COLOR_BLACK, COLOR_CYAN);     /* header */
		init_pair(7, COLOR_YELLOW, -1);            /* boundary */
		ui->attr.marketing = COLOR_PAIR(1) | A_BOLD;
		ui->attr.sales = COLOR_PAIR(2) | A_BOLD;
		ui->attr.overdue = COLOR_PAIR(3) | A_BOLD;
		ui->attr.ready = COLOR_PAIR(4) | A_BOLD;
		ui->attr.error = COLOR_PAIR(5) | A_BOLD;
		ui->attr.header = COLOR_PAIR(6);
		ui->attr.boundary = COLOR_PAIR(7) | A_BOLD;
	} else {
		ui->colour = false;
		/* without colour: weight and underline tell the teams apart */
		ui->attr.marketing = A_BOLD;
		ui->attr.sales = A_BOLD | A_UNDERLINE;
		ui->attr.overdue = A_BOLD;
		ui->attr.ready = A_BOLD;
		ui->attr.error = A_REVERSE | A_BOLD;
		ui->attr.header = A_REVERSE;
		ui->attr.boundary = A_BOLD;
	}
	ui->attr.status = A_NORMAL;
	ui->attr.dim = A_DIM;
	ui->attr.selected = A_REVERSE;
	ui->screen_ready = true;
}

const char *ui_ascii(const char *text, char *out, size_t size)
{
	static const struct { const char *from, *to; } map[] = {
		{ "\u2190", "<" }, { "\u2192", ">" }, { "\u2191", "^" }, { "\u2193", "v" },
		{ "\u2039", "<" }, { "\u203a", ">" }, { "\u2502", "|" }, { "\u2551", "#" },
		{ "\u2500", "-" }, { "\u2014", "-" }, { "\u2026", "." }, { "\u00b7", "-" },
		{ "\u2588", "#" }, { "\u21ba", "r" }, { "\u2713", "+" }, { "\u2717", "*" },
		{ "\u260e", "t" }, { "\u25f7", "^" },
	};
	size_t used = 0;

	if (utf8_locale() || !text)
		return text;
	while (*text && used + 1 < size) {
		size_t i, n = sizeof map / sizeof map[0];
		for (i = 0; i < n; i++) {
			size_t len = strlen(map[i].from);
			if (strncmp(text, map[i].from, len) == 0) {
				out[used++] = map[i].to[0];
				text += len;
				break;
			}
		}
		if (i == n)
			out[used++] = *text++;
	}
	out[used] = '\0';
	return out;
}

void ui_put(int y, int x, int width, const char *text, attr_t attr)
{
	char out[4 * 1024], plain[4 * 1024];

	if (width <= 0)
		return;
	text = ui_ascii(text ? text : "", plain, sizeof plain);
	text_fit(text, width, true, out, sizeof out);
	attrset(attr);
	mvaddstr(y, x, out);
	attrset(A_NORMAL);
}

/* ---- status line ------------------------------------------------------------- */

void ui_say(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->message, sizeof ui->message, fmt, ap);
	va_end(ap);
	ui->message_is_error = false;
}

void ui_fail(struct ui *ui, enum lb_status status)
{
	snprintf(ui->message, sizeof ui->message, "%s", lb_message(status));
	ui->message_is_error = true;
}

void ui_draw_status(struct ui *ui)
{
	int y = LINES - 1;

	if (ui->message[0])
		ui_put(y, 0, COLS, ui->message, ui->message_is_error ? ui->attr.error : A_BOLD);
	else
		ui_put(y, 0, COLS, ui->hints, ui->attr.dim);
}

/* ---- views ----------------------------------------------------------------- */

void ui_push(struct ui *ui, enum ui_view view)
{
	if (ui->view == view)
		return;
	if (ui->depth < (int)(sizeof ui->stack / sizeof ui->stack[0]))
		ui->stack[ui->depth++] = ui->view;
	ui->view = view;
}

void ui_pop(struct ui *ui)
{
	if (ui->depth == 0) {
		ui->quit = true;
		return;
	}
	ui->view = ui->stack[--ui->depth];
	ui_reload(ui, false);
}

void ui_reload(struct ui *ui, bool external)
{
	int64_t version;

	if (ui->view == VIEW_REPORT) {
		/* the report reads the log in a snapshot of its own */
		if (store_data_version(ui->store, &version) == LB_OK)
			ui->data_version = version;
		ui_report_reload(ui);
		return;
	}
	/* one snapshot per reload, nothing held between them */
	if (store_begin_read(ui->store) != LB_OK)
		return;
	ui->draw_parts = false;   /* everything may have changed: draw it all */
	if (store_data_version(ui->store, &version) == LB_OK)
		ui->data_version = version;
	/* where the change feed takes over from (refresh.c) */
	if (store_last_seq(ui->store, &ui->seen_seq) != LB_OK ||
	    store_schema_mark(ui->store, &ui->schema_mark) != LB_OK)
		ui->seen_seq = ui->schema_mark = -1;
	store_load_board(ui->store, &ui->board);
	store_load_settings(ui->store, &ui->settings);
	ui->now = time_now_ms();
	switch (ui->view) {
	case VIEW_BOARD: ui_board_reload(ui, external); break;
	case VIEW_DETAIL: ui_detail_reload(ui); break;
	case VIEW_LOG: ui_log_reload(ui); break;
	case VIEW_DISCARDED: ui_discarded_reload(ui); break;
	default: break;
	}
	store_end_read(ui->store);
}

struct notice {
	char lines[8][64];
	int count;
};

static void notice_line(const char *line, void *ctx)
{
	struct notice *n = ctx;

	if (n->count < 8)
		snprintf(n->lines[n->count], sizeof n->lines[0], "%s", line);
	n->count++;
}

/* The too-small notice in the longest wording that fits the terminal it is
 * on, wrapped at spaces. */
static void draw_too_small(void)
{
	char texts[3][128];
	struct notice n;

	snprintf(texts[0], sizeof texts[0], "terminal too small (%dx%d); the board needs %dx%d. "
		 "q quits", COLS, LINES, LAYOUT_MIN_COLS, LAYOUT_MIN_LINES);
	snprintf(texts[1], sizeof texts[1], "too small; need %dx%d; q quits", LAYOUT_MIN_COLS,
		 LAYOUT_MIN_LINES);
	snprintf(texts[2], sizeof texts[2], "%dx%d", LAYOUT_MIN_COLS, LAYOUT_MIN_LINES);
	for (int i = 0; i < 3; i++) {
		n.count = 0;
		layout_wrap(texts[i], COLS, notice_line, &n);
		if (n.count <= LINES || i == 2)
			break;
	}
	for (int y = 0; y < n.count && y < LINES && y < 8; y++)
		ui_put(y, 0, COLS, n.lines[y], A_BOLD);
}

void ui_draw(struct ui *ui)
{
	if (!ui->screen_ready)
		setup_screen(ui);
	/* a board that cannot be written says so for as long as it is open */
	snprintf(ui->hints, sizeof ui->hints, "%s",
		 store_read_only(ui->store) ? "READ-ONLY: changes are refused.  " : "");
	ui_hints(ui->view, ui->hints + strlen(ui->hints), sizeof ui->hints - strlen(ui->hints));
	ui->too_small = !layout_fits(COLS, LINES);
	if (ui->too_small) {
		erase();
		ui->draw_parts = false;
		draw_too_small();
		refresh();
		return;
	}
	if (ui->draw_parts && ui->view == VIEW_BOARD) {
		/* after a refresh: what it changed, over what is on the screen */
		ui->draw_parts = false;
		ui_board_draw_parts(ui, ui->draw_columns, ui->draw_header);
		ui_draw_status(ui);
		refresh();
		return;
	}
	ui->draw_parts = false;
	erase();
	switch (ui->view) {
	case VIEW_BOARD: ui_board_draw(ui); break;
	case VIEW_DETAIL: ui_text_draw(ui, "Lead"); break;
	case VIEW_LOG: ui_log_draw(ui); break;
	case VIEW_HELP: ui_text_draw(ui, "Help: keys"); break;
	case VIEW_REPORT: ui_text_draw(ui, "Report"); break;
	case VIEW_DISCARDED: ui_discarded_draw(ui); break;
	default: break;
	}
	ui_draw_status(ui);
	refresh();
}

/* ---- input ------------------------------------------------------------------ */

/* One key from curses without waiting, if it has one. */
static bool take_key(int *key)
{
	wint_t ch;
	int r;

	wtimeout(stdscr, 0);
	r = wget_wch(stdscr, &ch);
	if (r == ERR)
		return false;
	*key = r == KEY_CODE_YES || ch < 0x80 ? (int)ch : (int)ch | UI_CHAR_FLAG;
	return true;
}

/*
 * A commit woke a board that was idle: it looks at a moment of its own
 * within one burst's period (UI_REFRESH_GAP_MS and its spread) rather than
 * at once. Every open board is woken by the same commit; all of them
 * reading and drawing in the same instant took both cores of a 2-core host
 * for a third of a second, and every command waited behind them. Within
 * the spread alone (250 ms) their next looks still came in waves for a
 * second or two; over the whole period they are scattered from the first.
 */
static void put_off_look(struct ui *ui, int64_t *deadline)
{
	int64_t at = time_now_ms() +
		     rand_r(&ui->spread_seed) % (UI_REFRESH_GAP_MS + UI_REFRESH_SPREAD_MS);

	ui->quiet_until = at;
	if (at < *deadline)
		*deadline = at;
}

enum ui_input ui_input(struct ui *ui, int timeout_ms, int *key)
{
	/* the terminal, and for the board's own loop what says another
	 * connection committed (the WAL's watch, PostgreSQL's connection): it
	 * wakes the board as a tick, at most once per UI_REFRESH_GAP_MS (and a
	 * spread) */
	struct pollfd fds[2] = { { .fd = STDIN_FILENO, .events = POLLIN },
				 { .fd = -1, .events = POLLIN } };
	struct pollfd *pfd = &fds[0];
	int64_t deadline = time_now_ms() + timeout_ms;
	int empty_reads = 0;

	for (;;) {
		int64_t left;
		int r, pending = 0;

		if (stop_signal || ui->quit)
			return INPUT_QUIT;
		if (take_key(key))
			return INPUT_KEY;
		left = deadline - time_now_ms();
		if (left <= 0)
			return INPUT_TIMEOUT;
		fds[1].fd = ui->db_lost || !ui->wake_on_change || time_now_ms() < ui->quiet_until
				    ? -1 : store_wait_fd(ui->store);
		fds[1].revents = 0;
		r = poll(fds, 2, (int)left);
		if (r < 0) {
			if (errno == EINTR)
				continue;   /* a signal: a resize (curses queues KEY_RESIZE) or a stop */
			return INPUT_QUIT;
		}
		if (fds[1].revents && !pfd->revents) {
			put_off_look(ui, &deadline);
			continue;
		}
		if (r == 0)
			return INPUT_TIMEOUT;
		if (pfd->revents & (POLLERR | POLLNVAL))
			return INPUT_QUIT;
		/* Readable with nothing to read is end of input (an SSH drop). */
		if (take_key(key))
			return INPUT_KEY;
		if ((pfd->revents & POLLHUP) ||
		    (ioctl(STDIN_FILENO, FIONREAD, &pending) == 0 && pending == 0) ||
		    ++empty_reads >= 3)
			return INPUT_QUIT;
	}
}

/* ---- the loop --------------------------------------------------------------- */

static void handle_key(struct ui *ui, int key)
{
	ui->draw_parts = false;   /* a key may change anything: draw it all */
	if (key == KEY_RESIZE) {
		ui_reload(ui, false);
		return;
	}
	ui->message[0] = '\0';
	if (ui->too_small) {
		if (key == 'q' || key == 3)
			ui->quit = true;
		return;
	}
	if (key == 3) {   /* Ctrl-C, should the terminal deliver it as a key */
		ui->quit = true;
		return;
	}
	if (!ui_dispatch(ui, key) && key != 27)
		ui_say(ui, "no action on this key here; ? lists the keys");
}

/* The PostgreSQL server went away (a restart, a network cut): say so, and
 * try again once a second. Nothing is lost: a change either committed
 * before, or failed with "cannot reach the database" and was not made. */
static bool reconnect(struct ui *ui, int64_t now)
{
	if (now - ui->last_reconnect_ms < RECONNECT_EVERY_MS)
		return false;
	ui->last_reconnect_ms = now;
	if (store_reconnect(ui->store) != LB_OK)
		return false;
	ui->db_lost = false;
	ui_say(ui, "reconnected to the database");
	ui_reload(ui, true);
	return true;
}

bool ui_refresh(struct ui *ui)
{
	int64_t version, now = time_now_ms();
	enum lb_status st;
	bool changed = false;

	if (ui->db_lost)
		return reconnect(ui, now);
	/* the boards keep the WAL short; nothing to do costs a look at memory */
	store_checkpoint(ui->store);
	st = store_data_version(ui->store, &version);
	if (st == LB_TEMPFAIL) {
		ui->db_lost = true;
		ui->last_reconnect_ms = now;
		ui_say(ui, "cannot reach the database; reconnecting...");
		return true;
	}
	if (st == LB_OK && version != ui->data_version) {
		if (ui->view == VIEW_BOARD) {
			changed = ui_board_refresh(ui);
		} else {
			ui_reload(ui, true);
			ui->ready.done = false;
			ui->ready.started = false;
			changed = true;
		}
		/* the commits of a burst wait for the next look: one refresh */
		ui->quiet_until = time_now_ms() + UI_REFRESH_GAP_MS +
				  rand_r(&ui->spread_seed) % UI_REFRESH_SPREAD_MS;
	}
	/* ages and clocks, also while commits keep coming (a refresh reads only
	 * the columns they touch); the ready count does not depend on them */
	if (now - ui->last_reload >= RELOAD_EVERY_MS) {
		ui_reload(ui, false);
		ui->last_reload = now;
		changed = true;
	}
	return changed;
}

/* How long the loop may wait for a key: until the next look for changes
 * when it must ask on a timer; otherwise the descriptor wakes it, and the
 * timer is only for the clocks (and a refresh a burst put off). */
static int idle_wait(struct ui *ui)
{
	int64_t now = time_now_ms();

	if (ui->db_lost || store_wait_fd(ui->store) < 0)
		return UI_TICK_MS;
	if (now < ui->quiet_until)
		return (int)(ui->quiet_until - now);
	return UI_LOOK_MS;
}

/* Idle work: look for commits by others (checkpointing when the WAL has
 * run ahead), keep the SLA clocks fresh. */
static bool tick(struct ui *ui)
{
	return ui_refresh(ui);
}

enum lb_status ui_draw_once(struct ui *ui)
{
	if (!ui->screen_ready)
		setup_screen(ui);
	ui_reload(ui, false);
	ui_draw(ui);
	return LB_OK;
}

void ui_feed_key(struct ui *ui, int key)
{
	handle_key(ui, key);
	ui_draw(ui);
}

enum lb_status ui_run(struct ui *ui)
{
	static const int stop_signals[] = { SIGHUP, SIGTERM, SIGINT, SIGQUIT };
	struct sigaction sa;
	SCREEN *screen;
	bool dirty = true;
	enum ui_input in;
	int key;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return lb_fail(LB_USAGE, "the board needs a terminal; without one, use the "
					 "commands: leadboard list (see leadboard --help)");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; i++) {
		struct sigaction old;
		/* a signal ignored by whoever started us (nohup) stays ignored */
		if (sigaction(stop_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(stop_signals[i], &sa, NULL);
	}
	screen = newterm(NULL, stdout, stdin);
	if (!screen)
		return lb_fail(LB_SOFTWARE, "cannot start the terminal (TERM=%s)",
			       getenv("TERM") ? getenv("TERM") : "");
	set_term(screen);
	setup_screen(ui);
	ui_reload(ui, false);
	ui->last_reload = time_now_ms();
	/* draw only when something changed: an idle board costs a poll and a
	 * PRAGMA data_version per tick */
	while (!ui->quit && !stop_signal) {
		bool busy, was_done = ui->ready.done;
		if (dirty)
			ui_draw(ui);
		dirty = false;
		busy = ui->view == VIEW_BOARD && ui_board_background(ui);
		if (ui->ready.done != was_done) {
			dirty = true;
			continue;   /* the count is done: show it now, not after the next wait */
		}
		ui->wake_on_change = true;
		in = ui_input(ui, busy ? 10 : idle_wait(ui), &key);
		ui->wake_on_change = false;
		switch (in) {
		case INPUT_KEY:
			handle_key(ui, key);
			dirty = true;
			break;
		case INPUT_TIMEOUT:
			dirty = tick(ui) || dirty;
			break;
		case INPUT_QUIT:
			/* not q (that sets ui->quit): a signal or the terminal */
			ui->terminal_gone = !ui->quit && (!stop_signal || stop_signal == SIGHUP);
			ui->quit = true;
			break;
		}
	}
	endwin();
	delscreen(screen);
	return LB_OK;
}
