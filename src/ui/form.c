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
	{ "Phone", FIELD_PHONE, FIELD_TEXT, offsetof(struct lead, phone), LB_TEXT_MAX + 1 },
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
	struct lineedit edit[FIELD_COUNT];
	size_t view[FIELD_COUNT];          /* first byte in sight, per field */
	int cursor;
	char error[FIELD_COUNT][256];      /* each field's problem; "" when none */
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

/* Field i's value into lead; LB_DATA when it is not even the right kind
 * of value (too long, not a number). */
static enum lb_status parse_field(const struct form *f, int i, struct lead *lead)
{
	const char *v = f->value[i];

	if (fields[i].kind == FIELD_TEXT) {
		if (strlen(v) >= fields[i].size)
			return lb_fail(LB_DATA, "%s must be %s", fields[i].label,
				       fields[i].flag == FIELD_SEGMENT ? "b2b or b2c" : "shorter");
		snprintf((char *)lead + fields[i].offset, fields[i].size, "%s", v);
		if (fields[i].flag == FIELD_SEGMENT)   /* B2B is b2b */
			for (char *p = lead->segment; *p; p++)
				*p = (char)tolower((unsigned char)*p);
		return LB_OK;
	}
	int64_t n = v[0] ? parse_number(v) : (fields[i].flag == FIELD_SCORE ? 0 : -1);
	if (v[0] && v[0] == '-' && parse_number(v + 1) >= 0)
		return lb_fail(LB_DATA, "%s must not be negative", fields[i].label);
	if (v[0] && n < 0)
		return lb_fail(LB_DATA, "%s must be a whole number%s, not '%.40s'", fields[i].label,
			       fields[i].flag == FIELD_SCORE ? " from 0 to 100" : "", v);
	if (fields[i].flag == FIELD_SCORE)
		lead->score = n > 1000 ? 1000 : (int)(n < 0 ? 0 : n);
	else
		lead->employees = n;
	return LB_OK;
}

/* The lead the form describes, every field checked as the door checks it;
 * each field's problem goes to f->error. Returns how many fields are bad. */
static int form_lead(struct form *f, struct lead *lead, unsigned mask)
{
	int bad = 0;

	lead_init(lead);
	for (int i = 0; i < FIELD_COUNT; i++) {
		if (!(mask & fields[i].flag))
			continue;
		f->error[i][0] = '\0';
		if (parse_field(f, i, lead) || door_check_fields(lead, fields[i].flag)) {
			snprintf(f->error[i], sizeof f->error[i], "%s", lb_message(LB_DATA));
			bad++;
		}
	}
	return bad;
}

static int first_error(const struct form *f)
{
	for (int i = 0; i < FIELD_COUNT; i++)
		if (f->error[i][0])
			return i;
	return -1;
}

static void draw_form(struct ui *ui, struct form *f)
{
	int errors = 0, h, w = COLS - 4 < 76 ? COLS - 4 : 76;
	WINDOW *win;
	char line[2 * LB_TEXT_MAX], label[64];

	for (int i = 0; i < FIELD_COUNT; i++)
		errors += f->error[i][0] != '\0';
	h = FIELD_COUNT + 4 + (errors ? errors : 1);
	ui_draw(ui);
	if (!(win = ui_box(ui, h, w, f->title)))
		return;
	getmaxyx(win, h, w);
	for (int i = 0; i < FIELD_COUNT && 1 + i < h - 1; i++) {
		bool here = i == f->cursor;
		snprintf(line, sizeof line, " %-10s", fields[i].label);
		text_fit(line, 12, true, label, sizeof label);
		wattrset(win, f->error[i][0] ? ui->attr.error : here ? A_BOLD : A_NORMAL);
		mvwaddstr(win, 1 + i, 1, label);
		wattrset(win, A_NORMAL);
		if (here) {
			ui_draw_line(win, 1 + i, 13, w - 15, &f->edit[i], &f->view[i], A_UNDERLINE);
		} else {
			text_fit(f->value[i], w - 15, true, line, sizeof line);
			wattrset(win, A_UNDERLINE);
			mvwaddstr(win, 1 + i, 13, line);
			wattrset(win, A_NORMAL);
		}
	}
	/* every problem, in field order */
	int y = FIELD_COUNT + 2;
	for (int i = 0; i < FIELD_COUNT && y < h - 1; i++) {
		if (!f->error[i][0])
			continue;
		wattrset(win, ui->attr.error);
		text_fit(f->error[i], w - 4, true, line, sizeof line);
		mvwaddstr(win, y++, 2, line);
		wattrset(win, A_NORMAL);
	}
	if (!errors) {
		wattrset(win, A_DIM);
		text_fit(" \u2191\u2193 Tab field   Enter save   Esc cancel", w - 2, true, line,
			 sizeof line);
		mvwaddstr(win, h - 2, 1, line);
		wattrset(win, A_NORMAL);
	}
	wrefresh(win);
	delwin(win);
}

/* Run the form; true when the user saved with every field valid. */
static bool run_form(struct ui *ui, struct form *f, struct lead *out)
{
	int key;

	for (int i = 0; i < FIELD_COUNT; i++) {
		lineedit_init(&f->edit[i], f->value[i], sizeof f->value[i]);
		f->view[i] = 0;
		f->error[i][0] = '\0';
	}
	for (;;) {
		draw_form(ui, f);
		if (!ui_dialog_key(ui, &key))
			return false;
		if (key == UI_KEY_REDRAW)
			continue;
		if (key == ESC)
			return false;
		if (is_enter(key)) {
			if (form_lead(f, out, ~0u) == 0)
				return true;
			f->cursor = first_error(f);   /* the first problem, listed with the rest */
			continue;
		}
		if (key == KEY_DOWN || key == '\t' || key == KEY_UP || key == KEY_BTAB) {
			struct lead check;
			int d = key == KEY_UP || key == KEY_BTAB ? -1 : 1;
			form_lead(f, &check, fields[f->cursor].flag);
			f->cursor = (f->cursor + d + FIELD_COUNT) % FIELD_COUNT;
			continue;
		}
		bool edited;
		ui_line_key(&f->edit[f->cursor], key, &edited);
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
