/* hash_index.c - growing the hash table of item numbers (hash_index.h). */
#include <stdlib.h>

#include "leadboard/hash_index.h"

uint64_t hash_text(const char *text, uint64_t seed)
{
	uint64_t h = seed;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

bool hash_index_grow(struct hash_index *index, size_t items,
		     uint64_t (*hash_of)(uint32_t item, const void *ctx), const void *ctx)
{
	struct hash_index bigger = { .count = index->count };
	size_t size = index->slots ? (index->mask + 1) * 2 : 256;

	while (size < items * 2)
		size *= 2;
	if (!(bigger.slots = calloc(size, sizeof *bigger.slots)))
		return false;
	bigger.mask = size - 1;
	for (size_t i = 0; index->slots && i <= index->mask; i++) {
		uint32_t *slot;
		if (!index->slots[i])
			continue;
		slot = hash_index_home(&bigger, hash_of(index->slots[i] - 1, ctx));
		while (*slot)
			if (++slot == bigger.slots + size)
				slot = bigger.slots;
		*slot = index->slots[i];
	}
	free(index->slots);
	*index = bigger;
	return true;
}

void hash_index_free(struct hash_index *index)
{
	free(index->slots);
	index->slots = NULL;
	index->mask = index->count = 0;
}

bool items_reserve(void **items, size_t *capacity, size_t need, size_t size)
{
	size_t n = *capacity ? *capacity : 64;
	void *p;

	if (need <= *capacity)
		return true;
	while (n < need)
		n *= 2;
	if (!(p = realloc(*items, n * size)))
		return false;
	*items = p;
	*capacity = n;
	return true;
}
