/*
 * prompt.c - the board's dialogs: a picker, a line of text, a yes/no.
 *
 * Each runs its own small loop over ui_input(); Esc cancels at any point
 * and the caller writes nothing. A terminal that goes away cancels too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "leadboard/text.h"
#include "ui_impl.h"

#define ESC 27

static bool is_enter(int key)
{
	return key == '\n' || key == '\r' || key == KEY_ENTER;
}

static bool is_backspace(int key)
{
	return key == KEY_BACKSPACE || key == 127 || key == 8;
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

/* Wait for a key for a dialog; redraws the screen under it on a resize.
 * false when the board must stop (the terminal went away). */
static bool dialog_key(struct ui *ui, int *key)
{
	for (;;) {
		switch (ui_input(ui, UI_TICK_MS, key)) {
		case INPUT_KEY:
			if (*key == 3) {   /* Ctrl-C */
				ui->quit = true;
				return false;
			}
			if (*key == KEY_RESIZE)
				ui_draw(ui);
			return true;
		case INPUT_TIMEOUT:
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
		if (!dialog_key(ui, &key))
			return -1;
		if (key == KEY_RESIZE)
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

/* Remove the last character (not byte) of buf. */
static void delete_char(char *buf)
{
	size_t n = strlen(buf);

	while (n > 0 && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
		n--;
	if (n > 0)
		n--;
	buf[n] = '\0';
}

/* Remove the last word of buf and the spaces after it. */
static void delete_word(char *buf)
{
	size_t n = strlen(buf);

	while (n > 0 && buf[n - 1] == ' ')
		n--;
	while (n > 0 && buf[n - 1] != ' ')
		n--;
	buf[n] = '\0';
}

/* Append the character of key to buf when it is printable text. */
static bool insert_char(char *buf, size_t size, int key)
{
	char bytes[8];
	mbstate_t ps;
	size_t len, used = strlen(buf);
	wchar_t wc;

	if (key & UI_CHAR_FLAG)
		wc = (wchar_t)(key & ~UI_CHAR_FLAG);
	else if (key >= 0x20 && key < 0x7f)
		wc = (wchar_t)key;
	else
		return false;
	memset(&ps, 0, sizeof ps);
	len = wcrtomb(bytes, wc, &ps);
	if (len == (size_t)-1 || used + len >= size)
		return false;
	memcpy(buf + used, bytes, len);
	buf[used + len] = '\0';
	return true;
}

/* The tail of text that fits in width cells, so the end stays in view. */
static const char *visible_tail(const char *text, int width)
{
	while (*text && text_width(text) > width) {
		text++;
		while (((unsigned char)*text & 0xc0) == 0x80)
			text++;
	}
	return text;
}

static void draw_ask(struct ui *ui, const char *prompt, const char *buf, bool in_status)
{
	char line[2048];

	if (in_status) {
		int pw = text_width(prompt);
		ui_put(LINES - 1, 0, COLS, "", A_NORMAL);
		ui_put(LINES - 1, 0, pw, prompt, A_BOLD);
		snprintf(line, sizeof line, "%s_", visible_tail(buf, COLS - pw - 2));
		ui_put(LINES - 1, pw, COLS - pw, line, A_NORMAL);
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
	snprintf(line, sizeof line, " %s_", visible_tail(buf, w - 5));
	wput(win, 2, 1, w - 2, line, A_UNDERLINE);
	wput(win, 4, 1, w - 2, " Enter finish   Esc cancel", A_DIM);
	wrefresh(win);
	delwin(win);
}

bool ui_ask(struct ui *ui, const char *prompt, char *buf, size_t size,
	    void (*on_change)(struct ui *ui, const char *text))
{
	bool in_status = on_change != NULL;
	int key;

	for (;;) {
		draw_ask(ui, prompt, buf, in_status);
		if (!dialog_key(ui, &key))
			return false;
		if (key == KEY_RESIZE)
			continue;
		if (is_enter(key)) {
			return true;
		}
		if (key == ESC) {
			return false;
		}
		bool edited = true;
		if (is_backspace(key))
			delete_char(buf);
		else if (key == 21)   /* Ctrl-U */
			buf[0] = '\0';
		else if (key == 23)   /* Ctrl-W */
			delete_word(buf);
		else
			edited = insert_char(buf, size, key);
		if (edited && on_change)
			on_change(ui, buf);
	}
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
		if (!dialog_key(ui, &key))
			return false;
		if (key == KEY_RESIZE)
			continue;
		if (key == 'y' || key == 'Y' || is_enter(key))
			return true;
		if (key == 'n' || key == 'N' || key == ESC || key == 'q')
			return false;
	}
}
