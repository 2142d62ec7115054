/*
 * prompt.c - the board's dialogs: a picker, a line of text, a yes/no.
 *
 * Each runs its own small loop over ui_input(); Esc cancels at any point
 * and the caller writes nothing. A terminal that goes away cancels too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/text.h"
#include "ui_impl.h"

#define ESC 27

static bool is_enter(int key)
{
	return key == '\n' || key == '\r' || key == KEY_ENTER;
}

/* Text cut or padded to width cells in a window. */
static void wput(WINDOW *win, int y, int x, int width, const char *text, attr_t attr)
{
	char out[4096], plain[4096];

	if (width <= 0)
		return;
	text = ui_ascii(text, plain, sizeof plain);
	text_fit(text, width, true, out, sizeof out);
	wattrset(win, attr);
	mvwaddstr(win, y, x, out);
	wattrset(win, A_NORMAL);
}

WINDOW *ui_box(struct ui *ui, int h, int w, const char *title)
{
	WINDOW *win;
	char t[512];

	if (w > COLS - 2)
		w = COLS - 2;
	if (h > LINES - 2)
		h = LINES - 2;
	if (w < 10)
		w = 10;
	if (h < 3)
		h = 3;
	win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
	if (!win)
		return NULL;
	keypad(win, TRUE);
	werase(win);
	box(win, 0, 0);
	snprintf(t, sizeof t, " %s ", title);
	wput(win, 0, 2, text_width(t) < w - 4 ? text_width(t) : w - 4, t, A_BOLD);
	(void)ui;
	return win;
}

bool ui_dialog_key(struct ui *ui, int *key)
{
	for (;;) {
		switch (ui_input(ui, UI_TICK_MS, key)) {
		case INPUT_KEY:
			if (*key == 3) {   /* Ctrl-C */
				ui->quit = true;
				return false;
			}
			if (*key == 12)    /* Ctrl-L */
				clearok(curscr, TRUE);
			if (*key == KEY_RESIZE || *key == 12) {
				*key = UI_KEY_REDRAW;
				ui_draw(ui);
			}
			return true;
		case INPUT_TIMEOUT:
			/* the board keeps living under the dialog */
			if (ui_refresh(ui)) {
				*key = UI_KEY_REDRAW;
				return true;
			}
			continue;
		case INPUT_QUIT:
			ui->quit = true;
			return false;
		}
	}
}

int ui_pick(struct ui *ui, const char *title, const char *const *items, int n, int initial)
{
	int sel = initial >= 0 && initial < n ? initial : 0, top = 0, key;

	if (n <= 0)
		return -1;
	for (;;) {
		int w = text_width(title) + 6, rows = n, h;
		for (int i = 0; i < n; i++)
			if (text_width(items[i]) + 6 > w)
				w = text_width(items[i]) + 6;
		if (w < 44)
			w = 44;
		if (rows > LINES - 6)
			rows = LINES - 6 > 1 ? LINES - 6 : 1;
		h = rows + 4;
		ui_draw(ui);
		WINDOW *win = ui_box(ui, h, w, title);
		if (!win)
			return -1;
		getmaxyx(win, h, w);
		rows = h - 4 > 0 ? h - 4 : 1;
		top = layout_scroll(top, sel, rows, n);
		for (int r = 0; r < rows && top + r < n; r++) {
			char line[512];
			snprintf(line, sizeof line, " %s", items[top + r]);
			wput(win, 1 + r, 1, w - 2, line, top + r == sel ? A_REVERSE : A_NORMAL);
		}
		wput(win, h - 2, 1, w - 2, " \u2191\u2193 pick   Enter choose   Esc cancel", A_DIM);
		wrefresh(win);
		delwin(win);
		if (!ui_dialog_key(ui, &key))
			return -1;
		if (key == UI_KEY_REDRAW)
			continue;
		if (key == KEY_UP || key == 'k')
			sel = sel > 0 ? sel - 1 : 0;
		else if (key == KEY_DOWN || key == 'j')
			sel = sel < n - 1 ? sel + 1 : n - 1;
		else if (key == KEY_PPAGE)
			sel = sel > rows ? sel - rows : 0;
		else if (key == KEY_NPAGE)
			sel = sel + rows < n ? sel + rows : n - 1;
		else if (key == KEY_HOME || key == 'g')
			sel = 0;
		else if (key == KEY_END || key == 'G')
			sel = n - 1;
		else if (is_enter(key)) {
			return sel;
		} else if (key == ESC || key == 'q') {
			return -1;
		}
	}
}

bool ui_line_key(struct lineedit *le, int key, bool *edited)
{
	static const struct { int key; enum lineedit_op op; } keys[] = {
		{ KEY_LEFT, LINE_LEFT },        { 2, LINE_LEFT },          /* Ctrl-B */
		{ KEY_RIGHT, LINE_RIGHT },      { 6, LINE_RIGHT },         /* Ctrl-F */
		{ KEY_HOME, LINE_HOME },        { 1, LINE_HOME },          /* Ctrl-A */
		{ KEY_END, LINE_END },          { 5, LINE_END },           /* Ctrl-E */
		{ KEY_BACKSPACE, LINE_BACKSPACE }, { 127, LINE_BACKSPACE }, { 8, LINE_BACKSPACE },
		{ KEY_DC, LINE_DELETE },        { 4, LINE_DELETE },        /* Ctrl-D */
		{ 21, LINE_KILL_START },        /* Ctrl-U */
		{ 11, LINE_KILL_END },          /* Ctrl-K */
		{ 23, LINE_KILL_WORD },         /* Ctrl-W */
	};

	*edited = false;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (keys[i].key == key) {
			*edited = lineedit_apply(le, keys[i].op);
			return true;
		}
	}
	if (key & UI_CHAR_FLAG) {
		*edited = lineedit_insert(le, (uint32_t)(key & ~UI_CHAR_FLAG));
		return true;
	}
	if (key >= 0x20 && key < 0x7f) {
		*edited = lineedit_insert(le, (uint32_t)key);
		return true;
	}
	return false;
}

void ui_draw_line(WINDOW *win, int y, int x, int width, const struct lineedit *le,
		  size_t *start, attr_t attr)
{
	char before[2048], under[8], rest[2048];
	const char *buf = le->buf;
	size_t cursor = le->cursor, next = cursor;
	int w;

	if (width < 2)
		return;
	lineedit_view(le, width, start);
	snprintf(before, sizeof before, "%.*s", (int)(cursor - *start), buf + *start);
	if (buf[next])
		for (next++; buf[next] && ((unsigned char)buf[next] & 0xc0) == 0x80; next++)
			;
	snprintf(under, sizeof under, "%.*s", (int)(next - cursor), buf + cursor);
	if (!under[0] || text_width(under) < 1)
		snprintf(under, sizeof under, " ");
	snprintf(rest, sizeof rest, "%s", buf + next);
	wput(win, y, x, width, "", attr);
	w = text_width(before);
	wput(win, y, x, w, before, attr);
	wput(win, y, x + w, text_width(under), under, attr | A_REVERSE);
	w += text_width(under);
	if (w < width)
		wput(win, y, x + w, width - w, rest, attr);
}

static void draw_ask(struct ui *ui, const char *prompt, const struct lineedit *le, size_t *start,
		     bool in_status, const char *problem)
{
	if (in_status) {
		int pw = text_width(prompt);
		ui_put(LINES - 1, 0, COLS, "", A_NORMAL);
		ui_put(LINES - 1, 0, pw, prompt, A_BOLD);
		ui_draw_line(stdscr, LINES - 1, pw, COLS - pw, le, start, A_NORMAL);
		refresh();
		return;
	}
	int w = COLS - 4 < 72 ? COLS - 4 : 72, h;
	ui_draw(ui);
	WINDOW *win = ui_box(ui, 6, w, prompt);
	if (!win)
		return;
	getmaxyx(win, h, w);
	(void)h;
	ui_draw_line(win, 2, 2, w - 4, le, start, A_UNDERLINE);
	if (problem && problem[0])
		wput(win, 4, 1, w - 2, problem, ui->attr.error);
	else
		wput(win, 4, 1, w - 2, " Enter finish   Esc cancel", A_DIM);
	wrefresh(win);
	delwin(win);
}

/* One line of text in a box or (with on_change) in the status line. With
 * missing, an empty or blank line keeps the box open saying so. */
static bool ask_line(struct ui *ui, const char *prompt, const char *missing, char *buf,
		     size_t size, void (*on_change)(struct ui *ui, const char *text))
{
	bool in_status = on_change != NULL;
	const char *problem = NULL;
	struct lineedit le;
	size_t start = 0;
	int key;

	lineedit_init(&le, buf, size);
	for (;;) {
		draw_ask(ui, prompt, &le, &start, in_status, problem);
		if (!ui_dialog_key(ui, &key))
			return false;
		if (key == UI_KEY_REDRAW)
			continue;
		if (is_enter(key)) {
			if (missing && !buf[strspn(buf, " \t")]) {
				problem = missing;
				continue;
			}
			return true;
		}
		if (key == ESC)
			return false;
		bool edited;
		if (ui_line_key(&le, key, &edited) && edited) {
			problem = NULL;
			if (on_change)
				on_change(ui, buf);
		}
	}
}

bool ui_ask(struct ui *ui, const char *prompt, char *buf, size_t size,
	    void (*on_change)(struct ui *ui, const char *text))
{
	return ask_line(ui, prompt, NULL, buf, size, on_change);
}

bool ui_ask_required(struct ui *ui, const char *prompt, const char *missing, char *buf,
		     size_t size)
{
	return ask_line(ui, prompt, missing, buf, size, NULL);
}

bool ui_confirm(struct ui *ui, const char *question)
{
	int key;

	for (;;) {
		int w = text_width(question) + 6;
		if (w < 40)
			w = 40;
		ui_draw(ui);
		WINDOW *win = ui_box(ui, 5, w, "Confirm");
		if (!win)
			return false;
		int h;
		getmaxyx(win, h, w);
		(void)h;
		wput(win, 1, 2, w - 4, question, A_BOLD);
		wput(win, 3, 2, w - 4, "y/Enter yes   n/Esc no", A_DIM);
		wrefresh(win);
		delwin(win);
		if (!ui_dialog_key(ui, &key))
			return false;
		if (key == UI_KEY_REDRAW)
			continue;
		if (key == 'y' || key == 'Y' || is_enter(key))
			return true;
		if (key == 'n' || key == 'N' || key == ESC || key == 'q')
			return false;
	}
}
