/*
 * form.c - the new-lead and edit forms. Each field is checked in place with
 * door_check_fields() as the cursor leaves it, and all of them again before
 * anything is written; an invalid value is named and nothing is saved.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "leadboard/text.h"
#include "ui_impl.h"

#define ESC 27

enum field_kind { FIELD_TEXT, FIELD_NUMBER };

static const struct form_field {
	const char *label;
	unsigned flag;
	enum field_kind kind;
	size_t offset;      /* text fields: where in struct lead */
	size_t size;
} fields[] = {
	{ "Name", FIELD_NAME, FIELD_TEXT, offsetof(struct lead, name), LB_TEXT_MAX + 1 },
	{ "Email", FIELD_EMAIL, FIELD_TEXT, offsetof(struct lead, email), LB_TEXT_MAX + 1 },
	{ "Company", FIELD_COMPANY, FIELD_TEXT, offsetof(struct lead, company), LB_TEXT_MAX + 1 },
	{ "Title", FIELD_TITLE, FIELD_TEXT, offsetof(struct lead, title), LB_TEXT_MAX + 1 },
	{ "Country", FIELD_COUNTRY, FIELD_TEXT, offsetof(struct lead, country), LB_TEXT_MAX + 1 },
	{ "Employees", FIELD_EMPLOYEES, FIELD_NUMBER, 0, 0 },
	{ "Segment", FIELD_SEGMENT, FIELD_TEXT, offsetof(struct lead, segment), 4 },
	{ "Source", FIELD_SOURCE, FIELD_TEXT, offsetof(struct lead, source), LB_TEXT_MAX + 1 },
	{ "Score", FIELD_SCORE, FIELD_NUMBER, 0, 0 },
};
#define FIELD_COUNT (int)(sizeof fields / sizeof fields[0])

struct form {
	char title[256];
	char value[FIELD_COUNT][LB_TEXT_MAX + 1];
	int cursor;
	char error[512];
	int error_field;
};

static bool is_enter(int key)
{
	return key == '\n' || key == '\r' || key == KEY_ENTER;
}

/* A whole number, or -1 when text is not one (or too big). */
static int64_t parse_number(const char *text)
{
	char *end;
	long long n;

	if (!isdigit((unsigned char)text[0]) || strlen(text) > 12)
		return -1;
	n = strtoll(text, &end, 10);
	return *end ? -1 : n;
}

/* The lead the form describes; LB_DATA naming the first bad field (its
 * index in *bad) otherwise. Only the fields in mask are checked. */
static enum lb_status form_lead(const struct form *f, struct lead *lead, unsigned mask, int *bad)
{
	enum lb_status st;

	lead_init(lead);
	for (int i = 0; i < FIELD_COUNT; i++) {
		const char *v = f->value[i];
		*bad = i;
		if (fields[i].kind == FIELD_TEXT) {
			if (strlen(v) >= fields[i].size && (mask & fields[i].flag))
				return lb_fail(LB_DATA, "%s must be %s", fields[i].label,
					       fields[i].flag == FIELD_SEGMENT ? "b2b or b2c"
									: "shorter");
			snprintf((char *)lead + fields[i].offset, fields[i].size, "%s", v);
			continue;
		}
		int64_t n = v[0] ? parse_number(v) : (fields[i].flag == FIELD_SCORE ? 0 : -1);
		if (v[0] && n < 0 && (mask & fields[i].flag))
			return lb_fail(LB_DATA, "%s must be a whole number%s, not '%.40s'",
				       fields[i].label,
				       fields[i].flag == FIELD_SCORE ? " from 0 to 100" : "", v);
		if (fields[i].flag == FIELD_SCORE)
			lead->score = n > 1000 ? 1000 : (int)(n < 0 ? 0 : n);
		else
			lead->employees = n;
	}
	for (int i = 0; i < FIELD_COUNT; i++) {
		if (!(mask & fields[i].flag))
			continue;
		*bad = i;
		if ((st = door_check_fields(lead, fields[i].flag)))
			return st;
	}
	*bad = -1;
	return LB_OK;
}

static void check_field(struct form *f, int i)
{
	struct lead lead;
	int bad;

	if (form_lead(f, &lead, fields[i].flag, &bad) != LB_OK) {
		snprintf(f->error, sizeof f->error, "%s", lb_message(LB_DATA));
		f->error_field = i;
	} else if (f->error_field == i) {
		f->error[0] = '\0';
		f->error_field = -1;
	}
}

static void draw_form(struct ui *ui, const struct form *f)
{
	int h = FIELD_COUNT + 6, w = COLS - 4 < 76 ? COLS - 4 : 76;
	WINDOW *win;
	char line[2 * LB_TEXT_MAX], value[2 * LB_TEXT_MAX];

	ui_draw(ui);
	if (!(win = ui_box(ui, h, w, f->title)))
		return;
	getmaxyx(win, h, w);
	for (int i = 0; i < FIELD_COUNT && 1 + i < h - 1; i++) {
		bool here = i == f->cursor;
		int vw = w - 15;
		const char *v = f->value[i];
		/* keep the end of a long value in view while typing */
		while (here && *v && text_width(v) > vw - 2) {
			v++;
			while (((unsigned char)*v & 0xc0) == 0x80)
				v++;
		}
		snprintf(value, sizeof value, "%s%s", v, here ? "_" : "");
		snprintf(line, sizeof line, " %-10s", fields[i].label);
		wattrset(win, i == f->error_field ? ui->attr.error : here ? A_BOLD : A_NORMAL);
		text_fit(line, 12, true, value + sizeof value / 2, sizeof value / 2);
		mvwaddstr(win, 1 + i, 1, value + sizeof value / 2);
		wattrset(win, here ? A_REVERSE : A_UNDERLINE);
		text_fit(value, vw, true, line, sizeof line);
		mvwaddstr(win, 1 + i, 13, line);
		wattrset(win, A_NORMAL);
	}
	wattrset(win, f->error[0] ? ui->attr.error : A_DIM);
	text_fit(f->error[0] ? f->error : " \u2191\u2193 Tab field   Enter save   Esc cancel", w - 2,
		 true, line, sizeof line);
	mvwaddstr(win, h - 2, 1, line);
	wattrset(win, A_NORMAL);
	wrefresh(win);
	delwin(win);
}

/* Run the form; true when the user saved with every field valid. */
static bool run_form(struct ui *ui, struct form *f, struct lead *out)
{
	int key, bad;

	f->error_field = -1;
	for (;;) {
		draw_form(ui, f);
		enum ui_input in = ui_input(ui, UI_TICK_MS, &key);
		if (in == INPUT_TIMEOUT)
			continue;
		if (in == INPUT_QUIT || key == 3) {
			ui->quit = true;
			return false;
		}
		if (key == KEY_RESIZE) {
			ui_draw(ui);
			continue;
		}
		if (key == ESC) {
			return false;
		}
		if (is_enter(key)) {
			if (form_lead(f, out, ~0u, &bad) == LB_OK) {
				return true;
			}
			snprintf(f->error, sizeof f->error, "%s", lb_message(LB_DATA));
			f->error_field = bad;
			f->cursor = bad >= 0 ? bad : f->cursor;
			continue;
		}
		if (key == KEY_DOWN || key == '\t' || key == KEY_UP || key == KEY_BTAB) {
			check_field(f, f->cursor);
			int d = key == KEY_UP || key == KEY_BTAB ? -1 : 1;
			f->cursor = (f->cursor + d + FIELD_COUNT) % FIELD_COUNT;
			continue;
		}
		char *v = f->value[f->cursor];
		if (key == KEY_BACKSPACE || key == 127 || key == 8) {
			size_t n = strlen(v);
			while (n > 0 && ((unsigned char)v[n - 1] & 0xc0) == 0x80)
				n--;
			v[n > 0 ? n - 1 : 0] = '\0';
		} else if (key == 21) {
			v[0] = '\0';
		} else if ((key & UI_CHAR_FLAG) || (key >= 0x20 && key < 0x7f)) {
			char bytes[8];
			mbstate_t ps;
			size_t len, used = strlen(v);
			memset(&ps, 0, sizeof ps);
			len = wcrtomb(bytes, (wchar_t)(key & ~UI_CHAR_FLAG), &ps);
			if (len != (size_t)-1 && used + len < LB_TEXT_MAX) {
				memcpy(v + used, bytes, len);
				v[used + len] = '\0';
			}
		}
	}
}

static void fill_values(struct form *f, const struct lead *lead)
{
	for (int i = 0; i < FIELD_COUNT; i++) {
		if (fields[i].kind == FIELD_TEXT)
			snprintf(f->value[i], sizeof f->value[i], "%s",
				 (const char *)lead + fields[i].offset);
		else if (fields[i].flag == FIELD_SCORE)
			snprintf(f->value[i], sizeof f->value[i], "%d", lead->score);
		else if (lead->employees >= 0)
			snprintf(f->value[i], sizeof f->value[i], "%lld", (long long)lead->employees);
		else
			f->value[i][0] = '\0';
	}
}

void ui_form_new(struct ui *ui, const char *stage)
{
	static struct form f;
	struct lead lead;
	char name[64], sid[9];
	enum lb_status st;

	memset(&f, 0, sizeof f);
	snprintf(f.title, sizeof f.title, "New lead%s%s", stage ? " in " : "",
		 stage ? board_title(&ui->board, stage) : "");
	if (!run_form(ui, &f, &lead)) {
		ui_say(ui, "cancelled; nothing changed");
		return;
	}
	snprintf(lead.stage, sizeof lead.stage, "%s", stage ? stage : "");
	st = door_add(ui->door, &lead);
	if (st) {
		ui_fail(ui, st);
	} else {
		rules_short_id(lead.id, sid);
		text_fit(lead.name, 40, false, name, sizeof name);
		ui_say(ui, "added %s (%s) to %s", name, sid, board_title(&ui->board, lead.stage));
	}
	ui->ready.done = ui->ready.started = false;
	ui_reload(ui, false);
}

void ui_form_edit(struct ui *ui, const struct lead *lead, int64_t version)
{
	static struct form f;
	static struct form original;
	struct lead changes;
	unsigned mask = 0;
	char name[64];
	enum lb_status st;

	memset(&f, 0, sizeof f);
	text_fit(lead->name, 40, false, name, sizeof name);
	snprintf(f.title, sizeof f.title, "Edit %s", name);
	fill_values(&f, lead);
	original = f;
	if (!run_form(ui, &f, &changes)) {
		ui_say(ui, "cancelled; nothing changed");
		return;
	}
	for (int i = 0; i < FIELD_COUNT; i++)
		if (strcmp(f.value[i], original.value[i]) != 0)
			mask |= fields[i].flag;
	if (!mask) {
		ui_say(ui, "nothing changed");
		return;
	}
	st = door_edit(ui->door, lead->id, &changes, mask, version);
	if (st)
		ui_fail(ui, st);
	else
		ui_say(ui, "saved %s", name);
	ui->ready.done = ui->ready.started = false;
	ui_reload(ui, false);
}
