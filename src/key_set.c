/* key_set.c - a set of 64-bit keys with removal (key_set.h). */
#include <stdlib.h>
#include <string.h>

#include "leadboard/hash_index.h"
#include "leadboard/key_set.h"
#include "leadboard/lead.h"

static size_t home(const struct key_set *set, uint64_t key)
{
	key *= 0xff51afd7ed558ccdULL;
	return (size_t)(key ^ (key >> 32)) & set->mask;
}

/* The slot holding key, or the empty one where it would go. */
static size_t find(const struct key_set *set, uint64_t key)
{
	size_t i = home(set, key);

	while (set->slots[i] && set->slots[i] != key)
		i = (i + 1) & set->mask;
	return i;
}

static bool grow(struct key_set *set)
{
	size_t size = set->slots ? (set->mask + 1) * 2 : 64;
	struct key_set bigger = { calloc(size, sizeof(uint64_t)), size - 1, 0 };

	if (!bigger.slots)
		return false;
	for (size_t i = 0; set->slots && i <= set->mask; i++)
		if (set->slots[i]) {
			bigger.slots[find(&bigger, set->slots[i])] = set->slots[i];
			bigger.count++;
		}
	free(set->slots);
	*set = bigger;
	return true;
}

bool key_set_add(struct key_set *set, uint64_t key)
{
	size_t i;

	if (!key)
		return false;
	if ((!set->slots || (set->count + 1) * 2 > set->mask + 1) && !grow(set))
		return false;
	i = find(set, key);
	if (set->slots[i])
		return false;
	set->slots[i] = key;
	set->count++;
	return true;
}

bool key_set_has(const struct key_set *set, uint64_t key)
{
	return key && set->slots && set->slots[find(set, key)] == key;
}

bool key_set_remove(struct key_set *set, uint64_t key)
{
	size_t hole, next;

	if (!key_set_has(set, key))
		return false;
	hole = find(set, key);
	set->slots[hole] = 0;
	set->count--;
	/* Shift back each key of the run after the hole that may not stay
	 * behind it: one whose home is not cyclically within (hole, next]. */
	for (next = (hole + 1) & set->mask; set->slots[next]; next = (next + 1) & set->mask) {
		size_t want = home(set, set->slots[next]);
		bool stays = hole <= next ? hole < want && want <= next : hole < want || want <= next;
		if (stays)
			continue;
		set->slots[hole] = set->slots[next];
		set->slots[next] = 0;
		hole = next;
	}
	return true;
}

void key_set_clear(struct key_set *set)
{
	if (set->slots)
		memset(set->slots, 0, (set->mask + 1) * sizeof(uint64_t));
	set->count = 0;
}

void key_set_free(struct key_set *set)
{
	free(set->slots);
	set->slots = NULL;
	set->mask = 0;
	set->count = 0;
}

uint64_t key_set_of_id(const char *id)
{
	uint64_t hi, lo, key;

	if (lead_id_bits(id, strlen(id), &hi, &lo))
		key = hi ^ (lo * 0x9e3779b97f4a7c15ULL);
	else
		key = hash_text(id, HASH_TEXT_SEED);
	return key ? key : 1;
}
