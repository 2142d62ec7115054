/* text.c - UTF-8 decoding, field checks, and output that cannot drive a terminal. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "leadboard/text.h"

size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	size_t len;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

bool utf8_valid(const char *s, size_t n)
{
	uint32_t cp;

	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (!len)
			return false;
		i += len;
	}
	return true;
}

static bool is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

bool text_is_invisible(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) ||    /* bidi embeddings and overrides */
	       (cp >= 0x2066 && cp <= 0x2069) ||    /* bidi isolates */
	       cp == 0x061c ||                      /* Arabic letter mark (bidi) */
	       (cp >= 0x200b && cp <= 0x200f) ||    /* zero-width space, joiners, LRM, RLM */
	       (cp >= 0x2060 && cp <= 0x2064) ||    /* word joiner, invisible operators */
	       (cp >= 0x206a && cp <= 0x206f) ||    /* deprecated format controls */
	       cp == 0xfeff ||                      /* zero-width no-break space (BOM) */
	       (cp >= 0xe0000 && cp <= 0xe007f);    /* tag characters */
}

enum lb_status text_check_field(const char *what, const char *value, size_t max)
{
	size_t n = strlen(value);
	uint32_t cp;

	if (n > max)
		return lb_fail(LB_DATA, "%s is %zu bytes; the limit is %zu", what, n, max);
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(value + i, n - i, &cp);
		if (!len)
			return lb_fail(LB_DATA, "%s is not valid UTF-8 (byte %zu)", what, i + 1);
		if (is_control(cp) && cp != '\t' && cp != '\n')
			return lb_fail(LB_DATA, "%s contains a control character (U+%04X at byte %zu)",
				       what, (unsigned)cp, i + 1);
		if (text_is_invisible(cp))
			return lb_fail(LB_DATA, "%s contains an invisible formatting character "
						"(U+%04X at byte %zu)", what, (unsigned)cp, i + 1);
		i += len;
	}
	return LB_OK;
}

/* Walks s character by character as the terminal will see it: each step
 * yields the bytes to print and their width in columns. */
struct safe_char {
	const char *bytes;
	size_t len;
	int width;
};

static size_t next_safe_char(const char *s, size_t n, struct safe_char *c)
{
	uint32_t cp;
	size_t len = utf8_decode(s, n, &cp);

	if (!len || (is_control(cp) && cp != '\t' && cp != '\n') || text_is_invisible(cp)) {
		c->bytes = "?";
		c->len = 1;
		c->width = 1;
		return len ? len : 1;
	}
	if (cp == '\t' || cp == '\n') {
		c->bytes = " ";
		c->len = 1;
		c->width = 1;
		return len;
	}
	int w = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
	if (w < 0) {
		/* printable to us but unknown to the locale: keep it out */
		c->bytes = "?";
		c->len = 1;
		c->width = 1;
		return len;
	}
	c->bytes = s;
	c->len = len;
	c->width = w;
	return len;
}

char *text_sanitize(const char *s, char *out, size_t size)
{
	size_t n = s ? strlen(s) : 0, used = 0;
	struct safe_char c;

	if (!size)
		return out;
	for (size_t i = 0; i < n;) {
		i += next_safe_char(s + i, n - i, &c);
		if (used + c.len >= size)
			break;
		memcpy(out + used, c.bytes, c.len);
		used += c.len;
	}
	out[used] = '\0';
	return out;
}

int text_width(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	struct safe_char c;
	int width = 0;

	for (size_t i = 0; i < n;) {
		i += next_safe_char(s + i, n - i, &c);
		width += c.width;
	}
	return width;
}

int text_fit(const char *s, int width, bool pad, char *out, size_t size)
{
	static const char ellipsis[] = "\u2026";
	size_t n = s ? strlen(s) : 0, used = 0;
	int cols = 0;
	bool cut = text_width(s) > width;
	int room = cut ? width - 1 : width;
	struct safe_char c;

	if (size == 0)
		return 0;
	for (size_t i = 0; i < n && width > 0;) {
		size_t step = next_safe_char(s + i, n - i, &c);
		if (cols + c.width > room || used + c.len + sizeof ellipsis >= size)
			break;
		memcpy(out + used, c.bytes, c.len);
		used += c.len;
		cols += c.width;
		i += step;
	}
	if (cut && width > 0 && used + sizeof ellipsis < size) {
		memcpy(out + used, ellipsis, sizeof ellipsis - 1);
		used += sizeof ellipsis - 1;
		cols++;
	}
	while (pad && cols < width && used + 1 < size) {
		out[used++] = ' ';
		cols++;
	}
	out[used] = '\0';
	return cols;
}

void text_print_padded(FILE *out, const char *s, int width)
{
	char safe[4096];
	int cols;

	text_sanitize(s, safe, sizeof safe);
	fputs(safe, out);
	for (cols = text_width(safe); cols < width; cols++)
		putc(' ', out);
}

void text_json_string(FILE *out, const char *s, bool null_if_empty)
{
	size_t n = s ? strlen(s) : 0;
	uint32_t cp;

	if (n == 0 && null_if_empty) {
		fputs("null", out);
		return;
	}
	putc('"', out);
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (!len) {
			fputs("\\ufffd", out);
			i++;
			continue;
		}
		switch (cp) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			/* controls and invisible characters as escapes, never raw */
			if (cp > 0xffff && text_is_invisible(cp))
				fprintf(out, "\\u%04x\\u%04x", (unsigned)(0xd800 + ((cp - 0x10000) >> 10)),
					(unsigned)(0xdc00 + ((cp - 0x10000) & 0x3ff)));
			else if (is_control(cp) || text_is_invisible(cp) || cp == 0x2028 ||
				 cp == 0x2029)
				fprintf(out, "\\u%04x", (unsigned)cp);
			else
				fwrite(s + i, 1, len, out);
		}
		i += len;
	}
	putc('"', out);
}

/* A cell is a formula risk when, past any apostrophes, it starts with one of
 * = + - @, or a tab or carriage return (which some spreadsheets skip before
 * reading a formula). Guarding adds one apostrophe and unguarding removes
 * one, so a value that already starts with apostrophes survives the round
 * trip. */
bool text_csv_needs_guard(const char *s)
{
	while (*s == '\'')
		s++;
	return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
	       s[0] == '\r';
}

/* Whether the cell's character at s (n bytes left) goes out as it is: valid
 * UTF-8, no control but tab and newline, nothing invisible. */
static size_t csv_char_ok(const char *s, size_t n)
{
	uint32_t cp;
	size_t len = utf8_decode(s, n, &cp);

	if (!len || (is_control(cp) && cp != '\t' && cp != '\n') || text_is_invisible(cp))
		return 0;
	return len;
}

void text_csv_field(FILE *out, const char *s)
{
	size_t n;
	bool guard, quote;

	if (!s)
		s = "";
	n = strlen(s);
	guard = text_csv_needs_guard(s);
	quote = guard || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		putc('"', out);
	if (guard)
		putc('\'', out);
	for (size_t i = 0; i < n;) {
		size_t len = csv_char_ok(s + i, n - i);
		if (!len) {
			/* what the door would refuse (a hand-edited database): never
			 * a raw control byte, and still a file import accepts */
			uint32_t cp;
			size_t skip = utf8_decode(s + i, n - i, &cp);
			putc('?', out);
			i += skip ? skip : 1;
			continue;
		}
		if (s[i] == '"')
			putc('"', out);
		fwrite(s + i, 1, len, out);
		i += len;
	}
	if (quote)
		putc('"', out);
}

void text_csv_unguard(char *s)
{
	if (s[0] == '\'' && text_csv_needs_guard(s))
		memmove(s, s + 1, strlen(s));
}
