/* layout.c - columns, scroll windows and text measured in terminal cells. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "layout.h"
#include "leadboard/text.h"

void layout_columns(int width, int n, int min_width, int cursor, int previous_first,
		    struct layout_columns *out)
{
	int fit, avail, base, extra;

	memset(out, 0, sizeof *out);
	if (n <= 0 || width <= 0)
		return;
	if (n > LAYOUT_MAX_COLUMNS)
		n = LAYOUT_MAX_COLUMNS;
	if (min_width < 1)
		min_width = 1;
	fit = (width + 1) / (min_width + 1);
	if (fit < 1)
		fit = 1;
	out->count = n < fit ? n : fit;
	if (cursor < 0)
		cursor = 0;
	if (cursor >= n)
		cursor = n - 1;
	if (out->count < n) {
		int first = previous_first;
		if (first > n - out->count)
			first = n - out->count;
		if (first < 0)
			first = 0;
		if (cursor < first)
			first = cursor;
		if (cursor >= first + out->count)
			first = cursor - out->count + 1;
		out->first = first;
	}
	avail = width - (out->count - 1);
	base = avail / out->count;
	extra = avail % out->count;
	for (int i = 0, x = 0; i < out->count; i++) {
		out->x[i] = x;
		out->width[i] = base + (i < extra);
		x += out->width[i] + 1;
	}
}

bool layout_fits(int cols, int lines)
{
	return cols >= LAYOUT_MIN_COLS && lines >= LAYOUT_MIN_LINES;
}

int layout_scroll(int top, int cursor, int height, int count)
{
	if (height < 1)
		height = 1;
	if (count <= height)
		return 0;
	if (cursor >= count)
		cursor = count - 1;
	if (cursor < 0)
		cursor = 0;
	if (cursor < top)
		top = cursor;
	if (cursor >= top + height)
		top = cursor - height + 1;
	if (top > count - height)
		top = count - height;
	return top < 0 ? 0 : top;
}

char *layout_copy(char *out, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0, used = 0;
	uint32_t cp;

	if (!size)
		return out;
	while (used < n) {
		size_t len = utf8_decode(src + used, n - used, &cp);
		if (!len)
			len = 1;   /* an invalid byte: kept, text_sanitize() shows it as '?' */
		if (used + len >= size)
			break;
		used += len;
	}
	memcpy(out, src, used);
	out[used] = '\0';
	return out;
}

/* Append n spaces to out at *used (bounded by size). */
static void pad(char *out, size_t size, size_t *used, int n)
{
	while (n-- > 0 && *used + 1 < size)
		out[(*used)++] = ' ';
	out[*used] = '\0';
}

char *layout_two_sides(const char *left, const char *right, int width, char *out, size_t size)
{
	int rw = text_width(right), lw;
	size_t used;

	if (!size)
		return out;
	out[0] = '\0';
	if (width <= 0)
		return out;
	if (rw >= width) {
		text_fit(right, width, true, out, size);
		return out;
	}
	lw = width - rw - (rw > 0 ? 1 : 0);
	lw = lw > 0 ? text_fit(left, lw, false, out, size) : 0;
	used = strlen(out);
	pad(out, size, &used, width - rw - lw);
	text_sanitize(right, out + used, size - used);
	return out;
}

int layout_wrap(const char *text, int width, void (*fn)(const char *line, void *ctx), void *ctx)
{
	char clean[8192], line[8192];
	size_t n, start = 0;
	int lines = 0;

	if (width < 1)
		width = 1;
	text_sanitize(text, clean, sizeof clean);
	n = strlen(clean);
	while (start < n) {
		size_t i = start, space = 0, end;
		int cols = 0;
		bool found_space = false;
		uint32_t cp;

		/* take characters while they fit, remembering the last space */
		while (i < n) {
			size_t len = utf8_decode(clean + i, n - i, &cp);
			int w;
			if (!len)
				len = 1, cp = '?';
			w = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
			if (w < 0)
				w = 1;
			if (cols + w > width)
				break;
			if (cp == ' ') {
				space = i;
				found_space = true;
			}
			cols += w;
			i += len;
		}
		if (i < n && found_space && space > start)
			end = space;          /* break at the last space */
		else if (i == start) {
			size_t len = utf8_decode(clean + i, n - i, &cp);
			end = i + (len ? len : 1);   /* wider than the line: alone on it */
		} else
			end = i;
		memcpy(line, clean + start, end - start);
		line[end - start] = '\0';
		fn(line, ctx);
		lines++;
		start = end;
		while (start < n && clean[start] == ' ')
			start++;
	}
	return lines;
}

char *layout_owner(const char *login, int room, char *out, size_t size)
{
	char initials[16];
	size_t used = 0;
	bool at_start = true;

	if (!size)
		return out;
	out[0] = '\0';
	if (room <= 0 || !login || !login[0])
		return out;
	if (text_width(login) <= room) {
		text_sanitize(login, out, size);
		return out;
	}
	for (const char *p = login; *p && used < 2; p++) {
		if (strchr("._- ", *p)) {
			at_start = true;
			continue;
		}
		if (at_start && isalnum((unsigned char)*p))
			initials[used++] = (char)toupper((unsigned char)*p);
		at_start = false;
	}
	if (used < 2) {
		used = 0;
		for (const char *p = login; *p && used < 2; p++)
			if (isalnum((unsigned char)*p))
				initials[used++] = (char)toupper((unsigned char)*p);
	}
	if ((int)used > room)
		used = (size_t)room;
	initials[used] = '\0';
	snprintf(out, size, "%s", initials);
	return out;
}

/* Whether code is taken already (ignoring case) by one of the n codes. */
static bool code_taken(char (*codes)[LAYOUT_CODE_MAX + 1], int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (codes[i][0] && strcasecmp(codes[i], code) == 0)
			return true;
	return false;
}

/* The short forms of a login that fit room, in the order they are tried. */
static int short_forms(const char *login, int room, char (*forms)[LAYOUT_CODE_MAX + 1], int max)
{
	char letters[LAYOUT_CODE_MAX * 8], initials[LAYOUT_CODE_MAX + 1];
	size_t n = 0, k = 0;
	bool at_start = true;
	int count = 0;

	if (room > LAYOUT_CODE_MAX)
		room = LAYOUT_CODE_MAX;
	for (const char *p = login; *p && n + 1 < sizeof letters; p++) {
		if (strchr("._- ", *p)) {
			at_start = true;
			continue;
		}
		if (!isalnum((unsigned char)*p))
			continue;
		if (at_start && k < (size_t)room)
			initials[k++] = (char)toupper((unsigned char)*p);
		at_start = false;
		letters[n++] = (char)toupper((unsigned char)*p);
	}
	letters[n] = '\0';
	initials[k] = '\0';
	if (!n)
		return 0;
	if (k >= 2 && count < max)
		snprintf(forms[count++], LAYOUT_CODE_MAX + 1, "%s", initials);
	if (count < max)
		snprintf(forms[count++], LAYOUT_CODE_MAX + 1, "%.*s", room, letters);
	/* the first letters and then one other, each in turn */
	for (size_t j = (size_t)room - 1; room >= 2 && j < n && count < max; j++)
		snprintf(forms[count++], LAYOUT_CODE_MAX + 1, "%.*s%c", room - 1, letters, letters[j]);
	for (size_t j = 1; room >= 2 && j < n && count < max; j++)
		snprintf(forms[count++], LAYOUT_CODE_MAX + 1, "%c%c", letters[0], letters[j]);
	/* last: the first letter and a digit */
	for (char d = '2'; room >= 2 && d <= '9' && count < max; d++)
		snprintf(forms[count++], LAYOUT_CODE_MAX + 1, "%c%c", letters[0], d);
	return count;
}

void layout_owner_codes(const char *const *logins, int n, int room,
			char (*codes)[LAYOUT_CODE_MAX + 1])
{
	char forms[64][LAYOUT_CODE_MAX + 1];

	for (int i = 0; i < n; i++)
		codes[i][0] = '\0';
	if (room <= 0)
		return;
	/* a login that fits is itself: those come first, the short forms go around them */
	for (int i = 0; i < n; i++)
		if (text_width(logins[i]) <= room && strlen(logins[i]) <= LAYOUT_CODE_MAX)
			snprintf(codes[i], LAYOUT_CODE_MAX + 1, "%s", logins[i]);
	for (int i = 0; i < n; i++) {
		if (codes[i][0])
			continue;
		int count = short_forms(logins[i], room, forms, 64);
		for (int f = 0; f < count; f++) {
			if ((int)strlen(forms[f]) > room || code_taken(codes, n, forms[f]))
				continue;
			snprintf(codes[i], LAYOUT_CODE_MAX + 1, "%s", forms[f]);
			break;
		}
	}
}
