/*
 * ui.h - the board: an ncurses kanban over the store, changing data only
 * through the door.
 *
 * ui_run() owns the terminal for an interactive session. ui_draw_once()
 * and ui_feed_key() draw into whatever curses SCREEN is current (set_term
 * after newterm on a pty or /dev/null), so a benchmark can time the first
 * frame and single keystrokes in-process.
 */
#ifndef LEADBOARD_UI_H
#define LEADBOARD_UI_H

#include "leadboard/door.h"
#include "leadboard/status.h"
#include "leadboard/store.h"

struct ui;

/* A board for door's actor over store; name is shown in the header (e.g.
 * the database file's name). Touches no terminal. */
enum lb_status ui_open(struct store *store, struct door *door, const char *name, struct ui **out);

/* Free the board (not the store or door). NULL is fine. */
void ui_close(struct ui *ui);

/* Take over the terminal (stdin/stdout), run until the user quits, the
 * terminal goes away (EOF, EIO, SIGHUP) or a signal asks to stop, and
 * restore the terminal. LB_NOINPUT when stdin/stdout is not a terminal. */
enum lb_status ui_run(struct ui *ui);

/* Whether ui_run() ended because the terminal went away (EOF, EIO or
 * SIGHUP) rather than by q or another signal. */
bool ui_terminal_gone(const struct ui *ui);

/* Read what the board shows and draw one frame on the current SCREEN
 * (setting up modes and colours on first use), then doupdate(). */
enum lb_status ui_draw_once(struct ui *ui);

/* Set the board's filter as typing it into / does at each key (the columns
 * start again from the top, read and drawn), for a benchmark that times
 * a keystroke of a search without a dialog's loop. */
void ui_set_filter(struct ui *ui, const char *text);

/* Handle one key as the interactive loop does (a curses key code or a
 * character), then draw. Keys that open a dialog wait for more input from
 * the current SCREEN. */
void ui_feed_key(struct ui *ui, int key);

#endif
