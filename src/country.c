/* country.c - ISO 3166-1 look-ups over the table make generates from iso-codes. */
#include <stdlib.h>
#include <string.h>

#include "country_table.h"
#include "leadboard/country.h"

#define KEY_MAX 96            /* longer than any name the list holds */
#define FORMS 5               /* alpha-2, alpha-3, name, official name, common name */

struct form {
	char key[KEY_MAX];    /* folded (fold()) */
	size_t country;       /* index into country_table */
};

/* Spaces around cut, runs of spaces inside made one, ASCII letters in lower
 * case. False when text is longer than any name. */
static bool fold(const char *text, char out[KEY_MAX])
{
	size_t used = 0;
	bool space = false;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		unsigned char c = *p;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = used > 0;
			continue;
		}
		if (used + 2 >= KEY_MAX)
			return false;
		if (space)
			out[used++] = ' ';
		space = false;
		out[used++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
	out[used] = '\0';
	return true;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct form *)a)->key, ((const struct form *)b)->key);
}

/* Every form of every country, sorted by key: made on first use. */
static const struct form *forms(size_t *count)
{
	static struct form *all;
	static size_t n;

	if (!all) {
		struct form *f = calloc(country_table_count * FORMS, sizeof *f);
		if (!f) {
			*count = 0;
			return NULL;
		}
		for (size_t i = 0; i < country_table_count; i++) {
			const struct country_entry *c = &country_table[i];
			const char *names[FORMS] = { c->alpha_2, c->alpha_3, c->name,
						     c->official_name, c->common_name };
			for (int k = 0; k < FORMS; k++) {
				if (!names[k][0] || !fold(names[k], f[n].key))
					continue;
				f[n++].country = i;
			}
		}
		qsort(f, n, sizeof *f, by_key);
		all = f;
	}
	*count = n;
	return all;
}

const char *country_code(const char *text)
{
	struct form probe;
	const struct form *all, *found;
	size_t n;

	if (!text || !fold(text, probe.key) || !probe.key[0] || !(all = forms(&n)))
		return NULL;
	found = bsearch(&probe, all, n, sizeof *all, by_key);
	return found ? country_table[found->country].alpha_2 : NULL;
}

const char *country_name(const char *code)
{
	if (!code || strlen(code) != 2)
		return NULL;
	for (size_t i = 0; i < country_table_count; i++) {
		const struct country_entry *c = &country_table[i];
		if ((code[0] | 0x20) == (c->alpha_2[0] | 0x20) &&
		    (code[1] | 0x20) == (c->alpha_2[1] | 0x20))
			return c->common_name[0] ? c->common_name : c->name;
	}
	return NULL;
}

size_t country_count(void)
{
	return country_table_count;
}
