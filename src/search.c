/* search.c - folding text for search, and queries over folded words. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "leadboard/search.h"

/* Letters with no decomposition that people type without their stroke. */
static const char *plain_letter(ucs4_t uc)
{
	switch (uc) {
	case 0x00e6: return "ae";   /* æ */
	case 0x00f0: return "d";    /* ð */
	case 0x00f8: return "o";    /* ø */
	case 0x00fe: return "th";   /* þ */
	case 0x0111: return "d";    /* đ */
	case 0x0127: return "h";    /* ħ */
	case 0x0131: return "i";    /* ı */
	case 0x0138: return "k";    /* ĸ */
	case 0x0142: return "l";    /* ł */
	case 0x0153: return "oe";   /* œ */
	case 0x0167: return "t";    /* ŧ */
	default: return NULL;
	}
}

enum char_class { NOT_WORD, LETTER, DIGIT };

struct words {
	char *out;
	size_t size, used;
	enum char_class in_word;   /* the class of the word being written, or NOT_WORD */
	bool full;
};

/* A character of a word, or (NOT_WORD) a break between words. Letters and
 * digits make separate words ("lead123" is "lead 123"), so that a prefix
 * of letters never stands for a million different numbers. Once a
 * character does not fit, nothing more is written: the words stay whole. */
static void put_char(struct words *w, ucs4_t uc, enum char_class cls)
{
	uint8_t bytes[8];
	bool space;
	int n;

	if (cls == NOT_WORD) {
		w->in_word = NOT_WORD;
		return;
	}
	space = w->in_word != cls && w->used > 0;
	w->in_word = cls;
	n = u8_uctomb(bytes, uc, sizeof bytes);
	if (n <= 0 || w->full || w->used + (size_t)space + (size_t)n + 1 > w->size) {
		w->full = true;
		return;
	}
	if (space)
		w->out[w->used++] = ' ';
	memcpy(w->out + w->used, bytes, (size_t)n);
	w->used += (size_t)n;
	w->out[w->used] = '\0';
}

static enum char_class class_of(ucs4_t uc)
{
	if (uc_is_general_category(uc, UC_CATEGORY_N))
		return DIGIT;
	return uc_is_general_category(uc, UC_CATEGORY_L) ? LETTER : NOT_WORD;
}

static void fold_into(struct words *w, const char *text)
{
	size_t n = strlen(text), len = 0;
	bool ascii = true;

	for (size_t i = 0; i < n; i++)
		ascii = ascii && (unsigned char)text[i] < 0x80;
	if (ascii) {   /* most text: no tables needed */
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)text[i];
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + 32);
			put_char(w, c, c >= 'a' && c <= 'z' ? LETTER : c >= '0' && c <= '9' ? DIGIT
										  : NOT_WORD);
		}
		put_char(w, 0, NOT_WORD);
		return;
	}
	uint8_t buf[4096];
	uint8_t *folded;

	len = sizeof buf;
	folded = u8_casefold((const uint8_t *)text, n, NULL, UNINORM_NFKD, buf, &len);
	if (!folded) {
		put_char(w, 0, NOT_WORD);
		return;
	}
	for (const uint8_t *p = folded, *end = folded + len; p < end;) {
		ucs4_t uc;
		int step = u8_mbtouc(&uc, p, (size_t)(end - p));
		const char *plain;

		p += step > 0 ? step : 1;
		if (uc_is_general_category(uc, UC_CATEGORY_M))
			continue;   /* accents and other marks */
		if ((plain = plain_letter(uc))) {
			for (; *plain; plain++)
				put_char(w, (ucs4_t)*plain, LETTER);
			continue;
		}
		put_char(w, uc, class_of(uc));
	}
	put_char(w, 0, NOT_WORD);
	if (folded != buf)
		free(folded);
}

size_t search_fold(const char *text, char *out, size_t size)
{
	struct words w = { out, size, 0, NOT_WORD, false };

	if (!size)
		return 0;
	out[0] = '\0';
	fold_into(&w, text ? text : "");
	return w.used;
}

size_t search_lead_words(const struct lead *lead, char *out, size_t size)
{
	const char *fields[] = { lead->name, lead->email, lead->company, lead->phone, lead->owner };
	struct words w = { out, size, 0, NOT_WORD, false };
	char digits[LB_TEXT_MAX + 1];
	size_t n = 0;

	if (!size)
		return 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		fold_into(&w, fields[i]);
	for (const char *p = lead->phone; *p && n + 1 < sizeof digits; p++)
		if (*p >= '0' && *p <= '9')
			digits[n++] = *p;
	digits[n] = '\0';
	if (n)
		fold_into(&w, digits);
	return w.used;
}

void search_parse(const char *text, struct search_query *q)
{
	char copy[1024], folded[1024];
	char *save = NULL;

	memset(q, 0, sizeof *q);
	snprintf(copy, sizeof copy, "%s", text ? text : "");
	for (char *tok = strtok_r(copy, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		if (tok[0] == '@' && tok[1]) {
			snprintf(q->owner, sizeof q->owner, "%s", tok + 1);
			continue;
		}
		search_fold(tok, folded, sizeof folded);
		/* one typed word may fold into several ("o'brien": o, brien) */
		char *inner = NULL;
		for (char *t = strtok_r(folded, " ", &inner); t; t = strtok_r(NULL, " ", &inner)) {
			if (q->term_count == SEARCH_MAX_TERMS)
				return;
			if (strlen(t) > SEARCH_TERM_MAX)
				continue;
			snprintf(q->terms[q->term_count++], SEARCH_TERM_MAX + 1, "%s", t);
		}
	}
}

/* Whether term starts one of the words. */
static bool starts_a_word(const char *words, const char *term)
{
	size_t n = strlen(term);

	for (const char *p = words; p && *p; p = strchr(p, ' '), p = p ? p + 1 : NULL)
		if (strncmp(p, term, n) == 0)
			return true;
	return false;
}

bool search_words_match(const struct search_query *q, const char *words)
{
	for (int i = 0; i < q->term_count; i++)
		if (!starts_a_word(words, q->terms[i]))
			return false;
	return true;
}

void search_match_expression(const struct search_query *q, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (int i = 0; i < q->term_count && used < size; i++) {
		/* a term holds letters and digits only: nothing to escape */
		int n = snprintf(out + used, size - used, "%s\"%s\"*", i ? " " : "", q->terms[i]);
		used += n > 0 ? (size_t)n : 0;
	}
}

void search_longest_terms(const struct search_query *q, int *first, int *second)
{
	int longest = 0, next = 0;

	for (int i = 1; i < q->term_count; i++) {
		size_t len = strlen(q->terms[i]);
		if (len > strlen(q->terms[longest])) {
			next = longest;
			longest = i;
		} else if (next == longest || len > strlen(q->terms[next])) {
			next = i;
		}
	}
	*first = longest;
	*second = next;
}
