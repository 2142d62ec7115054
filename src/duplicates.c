/* duplicates.c - leads keyed by e-mail, phone digits and name at a company;
 * a lead whose key an older lead has pairs with that one. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/clean.h"
#include "leadboard/duplicates.h"
#include "leadboard/hash_index.h"
#include "leadboard/search.h"

#define KEY_MAX (2 * LB_TEXT_MAX + 8)

struct stored_lead {
	size_t id, name, email, company, stage;   /* offsets in the arena */
};

struct key_entry {
	uint64_t hash;
	size_t key;          /* offset in the arena */
	uint32_t lead;       /* the oldest lead with this key */
};

struct pair {
	uint32_t keep, other;
	unsigned match;
};

struct duplicates {
	char *arena;
	size_t used, size;
	struct stored_lead *leads;
	size_t lead_count, lead_capacity;
	struct key_entry *keys;
	size_t key_capacity;
	struct hash_index index;
	struct pair *pairs;
	size_t pair_count, pair_capacity;
};

struct duplicates *duplicates_new(void)
{
	struct duplicates *d = calloc(1, sizeof *d);

	if (!d)
		lb_fail(LB_SOFTWARE, "out of memory");
	return d;
}

void duplicates_free(struct duplicates *d)
{
	if (!d)
		return;
	free(d->arena);
	free(d->leads);
	free(d->keys);
	free(d->pairs);
	hash_index_free(&d->index);
	free(d);
}

/* Keep text in the arena; its offset in *at. */
static bool keep_text(struct duplicates *d, const char *text, size_t *at)
{
	size_t n = strlen(text) + 1;

	if (!items_reserve((void **)&d->arena, &d->size, d->used + n, 1))
		return false;
	memcpy(d->arena + d->used, text, n);
	*at = d->used;
	d->used += n;
	return true;
}

/* ---- keys ------------------------------------------------------------------ */

void duplicates_phone_key(const char *phone, char *out, size_t size)
{
	size_t n = 0;

	for (; *phone && n + 1 < size; phone++)
		if (isdigit((unsigned char)*phone))
			out[n++] = *phone;
	out[n] = '\0';
	if (n < DUPLICATES_PHONE_DIGITS)
		out[0] = '\0';   /* too few to tell one number from another */
}

void duplicates_name_key(const char *name, const char *company, char *out, size_t size)
{
	size_t n;

	out[0] = '\0';
	/* folded as the board's search folds (search.h): case and accents */
	if (size < 4 || !(n = search_fold(name, out, size / 2)))
		return;
	out[n++] = '\x1f';   /* between name and company: no text holds it */
	if (!search_fold(company, out + n, size - n))
		out[0] = '\0';
}

/* ---- feeding --------------------------------------------------------------- */

static uint64_t key_hash_of(uint32_t item, const void *ctx)
{
	return ((const struct duplicates *)ctx)->keys[item].hash;
}

struct key_probe {
	const struct duplicates *d;
	const char *key;
};

static bool same_key(uint32_t item, const void *probe)
{
	const struct key_probe *p = probe;

	return strcmp(p->d->arena + p->d->keys[item].key, p->key) == 0;
}

static bool add_pair(struct duplicates *d, uint32_t keep, uint32_t other, unsigned match)
{
	/* the same two leads, found again by another key: one pair */
	for (size_t i = d->pair_count; i > 0 && d->pairs[i - 1].other == other; i--) {
		if (d->pairs[i - 1].keep == keep) {
			d->pairs[i - 1].match |= match;
			return true;
		}
	}
	if (!items_reserve((void **)&d->pairs, &d->pair_capacity, d->pair_count + 1, sizeof *d->pairs))
		return false;
	d->pairs[d->pair_count++] = (struct pair){ keep, other, match };
	return true;
}

/* The lead numbered lead has key (of kind match): pair it with the oldest
 * lead that has it, or remember it as that lead. */
static bool add_key(struct duplicates *d, const char *key, uint32_t lead, unsigned match)
{
	struct key_probe probe = { d, key };
	uint64_t hash = hash_text(key, HASH_TEXT_SEED);
	struct key_entry *entry;
	uint32_t *slot;

	if (!key[0])
		return true;
	if (!hash_index_reserve(&d->index, d->index.count + 1, key_hash_of, d) ||
	    !items_reserve((void **)&d->keys, &d->key_capacity, d->index.count + 1, sizeof *d->keys))
		return false;
	slot = hash_index_slot(&d->index, hash, same_key, &probe);
	if (*slot)
		return add_pair(d, d->keys[*slot - 1].lead, lead, match);
	entry = &d->keys[d->index.count];
	entry->hash = hash;
	entry->lead = lead;
	if (!keep_text(d, key, &entry->key))
		return false;
	hash_index_fill(&d->index, slot, (uint32_t)d->index.count);
	return true;
}

enum lb_status duplicates_add(struct duplicates *d, const struct lead *lead)
{
	struct stored_lead *s;
	char key[KEY_MAX + 2];
	uint32_t n = (uint32_t)d->lead_count;
	bool ok;

	if (lead_state_off_board(lead->stage))
		return LB_OK;
	if (d->lead_count >= HASH_INDEX_MAX_ITEMS / 4 ||
	    !items_reserve((void **)&d->leads, &d->lead_capacity, d->lead_count + 1, sizeof *d->leads))
		return lb_fail(LB_SOFTWARE, "out of memory looking for duplicates");
	s = &d->leads[d->lead_count];
	ok = keep_text(d, lead->id, &s->id) && keep_text(d, lead->name, &s->name) &&
	     keep_text(d, lead->email, &s->email) && keep_text(d, lead->company, &s->company) &&
	     keep_text(d, lead->stage, &s->stage);
	if (ok) {
		d->lead_count++;
		key[0] = 'e';
		clean_email_key(lead->email, key + 1, sizeof key - 1);
		ok = !key[1] || add_key(d, key, n, DUPLICATE_EMAIL);
	}
	if (ok) {
		key[0] = 'p';
		duplicates_phone_key(lead->phone, key + 1, sizeof key - 1);
		ok = !key[1] || add_key(d, key, n, DUPLICATE_PHONE);
	}
	if (ok) {
		key[0] = 'n';
		duplicates_name_key(lead->name, lead->company, key + 1, sizeof key - 1);
		ok = !key[1] || add_key(d, key, n, DUPLICATE_NAME);
	}
	return ok ? LB_OK : lb_fail(LB_SOFTWARE, "out of memory looking for duplicates");
}

/* ---- the pairs --------------------------------------------------------------- */

static int by_leads(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->keep != y->keep)
		return x->keep < y->keep ? -1 : 1;
	return (x->other > y->other) - (x->other < y->other);
}

static struct duplicate_lead shown(const struct duplicates *d, uint32_t lead)
{
	const struct stored_lead *s = &d->leads[lead];

	return (struct duplicate_lead){ d->arena + s->id, d->arena + s->name, d->arena + s->email,
					d->arena + s->company, d->arena + s->stage };
}

enum lb_status duplicates_each(struct duplicates *d,
			       int (*fn)(const struct duplicate_pair *pair, void *ctx), void *ctx)
{
	size_t i = 0;

	if (d->pair_count)   /* no pairs: no array to sort */
		qsort(d->pairs, d->pair_count, sizeof *d->pairs, by_leads);
	while (i < d->pair_count) {
		struct duplicate_pair pair = { shown(d, d->pairs[i].keep), shown(d, d->pairs[i].other),
					       d->pairs[i].match };
		size_t j = i + 1;
		for (; j < d->pair_count && by_leads(&d->pairs[i], &d->pairs[j]) == 0; j++)
			pair.match |= d->pairs[j].match;
		if (fn(&pair, ctx))
			break;
		i = j;
	}
	return LB_OK;
}

void duplicates_match_names(unsigned match, char *out, size_t size)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ DUPLICATE_EMAIL, "email" }, { DUPLICATE_PHONE, "phone" }, { DUPLICATE_NAME, "name" },
	};
	size_t used = 0;

	if (size)
		out[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if ((match & names[i].bit) && used < size)
			used += (size_t)snprintf(out + used, size - used, "%s%s", used ? ", " : "",
						 names[i].name);
}
