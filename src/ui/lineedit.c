/* lineedit.c - a line of UTF-8 text with a cursor, edited as a shell line. */
#include <string.h>

#include "leadboard/text.h"
#include "lineedit.h"

void lineedit_init(struct lineedit *le, char *buf, size_t size)
{
	le->buf = buf;
	le->size = size;
	le->cursor = strlen(buf);
}

void lineedit_set(struct lineedit *le, const char *text)
{
	size_t n = strlen(text);

	if (n >= le->size)
		n = le->size - 1;
	while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
		n--;   /* never half a character */
	memmove(le->buf, text, n);
	le->buf[n] = '\0';
	le->cursor = n;
}

/* The start of the character before offset at. */
static size_t before(const char *s, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && ((unsigned char)s[at] & 0xc0) == 0x80)
		at--;
	return at;
}

/* The offset just past the character at at. */
static size_t after(const char *s, size_t at)
{
	if (!s[at])
		return at;
	at++;
	while (s[at] && ((unsigned char)s[at] & 0xc0) == 0x80)
		at++;
	return at;
}

/* Remove the bytes [from, to) and put the cursor at from. */
static bool cut(struct lineedit *le, size_t from, size_t to)
{
	size_t n = strlen(le->buf);

	if (from >= to)
		return false;
	memmove(le->buf + from, le->buf + to, n - to + 1);
	le->cursor = from;
	return true;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

bool lineedit_apply(struct lineedit *le, enum lineedit_op op)
{
	size_t n = strlen(le->buf), at;

	if (le->cursor > n)
		le->cursor = n;
	switch (op) {
	case LINE_LEFT: le->cursor = before(le->buf, le->cursor); return false;
	case LINE_RIGHT: le->cursor = after(le->buf, le->cursor); return false;
	case LINE_HOME: le->cursor = 0; return false;
	case LINE_END: le->cursor = n; return false;
	case LINE_BACKSPACE: return cut(le, before(le->buf, le->cursor), le->cursor);
	case LINE_DELETE: return cut(le, le->cursor, after(le->buf, le->cursor));
	case LINE_KILL_START: return cut(le, 0, le->cursor);
	case LINE_KILL_END: return cut(le, le->cursor, n);
	case LINE_KILL_WORD:
		at = le->cursor;
		while (at > 0 && is_space(le->buf[at - 1]))
			at--;
		while (at > 0 && !is_space(le->buf[at - 1]))
			at--;
		return cut(le, at, le->cursor);
	}
	return false;
}

bool lineedit_insert(struct lineedit *le, uint32_t cp)
{
	char bytes[4];
	size_t len, n = strlen(le->buf);

	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0xd800 && cp < 0xe000) ||
	    cp > 0x10ffff)
		return false;
	if (cp < 0x80) {
		bytes[0] = (char)cp;
		len = 1;
	} else if (cp < 0x800) {
		bytes[0] = (char)(0xc0 | (cp >> 6));
		bytes[1] = (char)(0x80 | (cp & 0x3f));
		len = 2;
	} else if (cp < 0x10000) {
		bytes[0] = (char)(0xe0 | (cp >> 12));
		bytes[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		bytes[2] = (char)(0x80 | (cp & 0x3f));
		len = 3;
	} else {
		bytes[0] = (char)(0xf0 | (cp >> 18));
		bytes[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		bytes[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		bytes[3] = (char)(0x80 | (cp & 0x3f));
		len = 4;
	}
	if (n + len >= le->size)
		return false;
	if (le->cursor > n)
		le->cursor = n;
	memmove(le->buf + le->cursor + len, le->buf + le->cursor, n - le->cursor + 1);
	memcpy(le->buf + le->cursor, bytes, len);
	le->cursor += len;
	return true;
}

/* Columns the bytes [from, to) of s take. */
static int span_width(const char *s, size_t from, size_t to)
{
	char piece[4096];
	size_t n = to - from;

	if (n >= sizeof piece)
		n = sizeof piece - 1;
	memcpy(piece, s + from, n);
	piece[n] = '\0';
	return text_width(piece);
}

void lineedit_view(const struct lineedit *le, int width, size_t *start)
{
	size_t at = *start;

	if (width < 2)
		width = 2;
	if (at > le->cursor)
		at = le->cursor;
	while (at > 0 && ((unsigned char)le->buf[at] & 0xc0) == 0x80)
		at--;
	/* the cursor's own column comes after the text before it */
	while (at < le->cursor && span_width(le->buf, at, le->cursor) > width - 1)
		at = after(le->buf, at);
	*start = at;
}
