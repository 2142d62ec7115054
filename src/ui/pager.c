/* pager.c - a scrollable page of lines: the detail, help and report views. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui_impl.h"

void ui_text_add(struct ui *ui, attr_t attr, const char *fmt, ...)
{
	struct ui_text *t = &ui->text;
	va_list ap;

	if (t->count >= UI_TEXT_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(t->line[t->count], UI_LINE_BYTES, fmt, ap);
	va_end(ap);
	/* never leave half a character at the end of a cut line */
	layout_copy(t->line[t->count], UI_LINE_BYTES, t->line[t->count]);
	t->attr[t->count++] = attr;
}

static int page_rows(void)
{
	return LINES - 2 > 1 ? LINES - 2 : 1;
}

void ui_text_scroll(struct ui *ui, int delta)
{
	struct ui_text *t = &ui->text;
	int max = t->count - page_rows();

	t->top += delta;
	if (t->top > max)
		t->top = max;
	if (t->top < 0)
		t->top = 0;
}

void ui_text_draw(struct ui *ui, const char *title)
{
	struct ui_text *t = &ui->text;
	int rows = page_rows();
	char head[256];

	ui_text_scroll(ui, 0);
	if (t->count > rows)
		snprintf(head, sizeof head, " %s  (%d-%d of %d lines)", title, t->top + 1,
			 t->top + rows < t->count ? t->top + rows : t->count, t->count);
	else
		snprintf(head, sizeof head, " %s", title);
	ui_put(0, 0, COLS, head, ui->attr.header);
	for (int r = 0; r < rows && t->top + r < t->count; r++)
		ui_put(1 + r, 0, COLS, t->line[t->top + r], t->attr[t->top + r]);
}
