/*
 * hash_index.h - one hash table for every look-up by key: it holds item
 * numbers (indexes into the caller's own array) and finds one by its key's
 * 64-bit hash and an equality test the caller gives.
 *
 * Open addressing with linear probing, at most half full, so a look-up is
 * one or two cache lines. The look-up is inline: with a static same()
 * the compiler inlines the test too, which the report's pass over a
 * million events notices.
 */
#ifndef LEADBOARD_HASH_INDEX_H
#define LEADBOARD_HASH_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hash_index {
	uint32_t *slots;     /* item number + 1; 0: empty */
	size_t mask;         /* slot count - 1 (a power of two) */
	size_t count;        /* items in the table */
};

#define HASH_INDEX_MAX_ITEMS (UINT32_MAX - 1)

/* FNV-1a of text, from seed (HASH_TEXT_SEED, or another for a second,
 * independent hash). */
#define HASH_TEXT_SEED 0xcbf29ce484222325ULL   /* FNV-1a's offset basis */
uint64_t hash_text(const char *text, uint64_t seed);

/* Room for items items without growing. hash_of(item, ctx) gives the hash
 * of each item already in the table, to place it again. false when memory
 * runs out (the table is unchanged). */
bool hash_index_grow(struct hash_index *index, size_t items,
		     uint64_t (*hash_of)(uint32_t item, const void *ctx), const void *ctx);

static inline bool hash_index_reserve(struct hash_index *index, size_t items,
				      uint64_t (*hash_of)(uint32_t item, const void *ctx),
				      const void *ctx)
{
	if (index->slots && items * 2 <= index->mask + 1)
		return true;
	return items <= HASH_INDEX_MAX_ITEMS && hash_index_grow(index, items, hash_of, ctx);
}

/* Where a key with this hash starts looking (for __builtin_prefetch). */
static inline uint32_t *hash_index_home(const struct hash_index *index, uint64_t hash)
{
	hash *= 0xff51afd7ed558ccdULL;
	return &index->slots[(size_t)(hash ^ (hash >> 32)) & index->mask];
}

/* The slot of the item whose key is key (same(item, key) true), or the
 * empty slot where it would go. The table must have slots (reserve first). */
static inline uint32_t *hash_index_slot(const struct hash_index *index, uint64_t hash,
					bool (*same)(uint32_t item, const void *key),
					const void *key)
{
	uint32_t *slot = hash_index_home(index, hash);
	uint32_t *end = index->slots + index->mask + 1;

	while (*slot && !same(*slot - 1, key))
		if (++slot == end)
			slot = index->slots;
	return slot;
}

/* Put item in the empty slot hash_index_slot() returned. */
static inline void hash_index_fill(struct hash_index *index, uint32_t *slot, uint32_t item)
{
	*slot = item + 1;
	index->count++;
}

void hash_index_free(struct hash_index *index);

/* The caller's array of items beside the table: make room for need items
 * of size bytes (doubling from 64); false, with the array as it was, when
 * memory runs out. */
bool items_reserve(void **items, size_t *capacity, size_t need, size_t size);

#endif
