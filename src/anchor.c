/* anchor.c - "anchor SEQ:HASH": reading witnesses of the log from any text. */
#include <stdlib.h>
#include <string.h>

#include "leadboard/anchor.h"

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool anchor_unhex(const char *text, uint8_t out[32])
{
	for (int i = 0; i < 32; i++) {
		int hi = hex_digit(text[2 * i]), lo = hi < 0 ? -1 : hex_digit(text[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

void anchor_hex(const uint8_t hash[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[hash[i] >> 4];
		out[2 * i + 1] = hex[hash[i] & 15];
	}
	out[64] = '\0';
}

/* "SEQ:HASH" at text (n bytes available): its length, or 0. The hash must
 * not run on into more hex digits. */
static size_t scan(const char *text, size_t n, struct anchor *out)
{
	size_t i = 0;
	int64_t seq = 0;

	while (i < n && text[i] >= '0' && text[i] <= '9') {
		if (i == 18)
			return 0;
		seq = seq * 10 + (text[i++] - '0');
	}
	if (i == 0 || seq < 1 || i + 65 > n || text[i] != ':')
		return 0;
	if (!anchor_unhex(text + i + 1, out->hash))
		return 0;
	if (i + 65 < n && hex_digit(text[i + 65]) >= 0)
		return 0;
	out->seq = seq;
	return i + 65;
}

bool anchor_parse(const char *text, struct anchor *out)
{
	size_t n = strlen(text);

	return scan(text, n, out) == n && n > 0;
}

enum lb_status anchor_set_add(struct anchor_set *set, const struct anchor *anchor)
{
	if (set->count == set->capacity) {
		size_t capacity = set->capacity ? set->capacity * 2 : 64;
		struct anchor *items;

		if (set->count >= ANCHOR_MAX)
			return lb_fail(LB_DATA, "more than %d anchors; give the recent part of the "
						"log (journalctl --since)", ANCHOR_MAX);
		if (capacity > ANCHOR_MAX)
			capacity = ANCHOR_MAX;
		if (!(items = realloc(set->items, capacity * sizeof *items)))
			return lb_fail(LB_SOFTWARE, "out of memory");
		set->items = items;
		set->capacity = capacity;
	}
	set->items[set->count++] = *anchor;
	return LB_OK;
}

enum lb_status anchor_set_add_text(struct anchor_set *set, const char *line, size_t len)
{
	static const char word[] = "anchor ";
	const size_t w = sizeof word - 1;
	enum lb_status st;

	set->lines++;
	for (size_t i = 0; i + w < len; i++) {
		struct anchor a;
		size_t used;

		if (memcmp(line + i, word, w) != 0 || (i > 0 && line[i - 1] != ' ' &&
						       line[i - 1] != '\t' && line[i - 1] != ':'))
			continue;
		if (!(used = scan(line + i + w, len - i - w, &a)))
			continue;
		if ((st = anchor_set_add(set, &a)))
			return st;
		i += w + used - 1;
	}
	return LB_OK;
}

static int by_seq(const void *x, const void *y)
{
	const struct anchor *a = x, *b = y;

	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return memcmp(a->hash, b->hash, sizeof a->hash);
}

void anchor_set_sort(struct anchor_set *set)
{
	size_t kept = 0;

	if (set->count > 1)
		qsort(set->items, set->count, sizeof *set->items, by_seq);
	for (size_t i = 0; i < set->count; i++)
		if (kept == 0 || by_seq(&set->items[kept - 1], &set->items[i]) != 0)
			set->items[kept++] = set->items[i];
	set->count = kept;
}

void anchor_set_free(struct anchor_set *set)
{
	free(set->items);
	memset(set, 0, sizeof *set);
}
