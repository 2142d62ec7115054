/*
 * key_set.h - a set of 64-bit keys that things come into and leave: the
 * board's leads ready for handoff, kept up to date from the change feed.
 *
 * Open addressing with linear probing, at most half full; a key leaves by
 * backward shifting, so there are no tombstones and a look-up stays one or
 * two cache lines however much comes and goes. Key 0 is never stored
 * (key_set_of_id() never makes it).
 */
#ifndef LEADBOARD_KEY_SET_H
#define LEADBOARD_KEY_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct key_set {
	uint64_t *slots;     /* 0: empty */
	size_t mask;         /* slot count - 1 (a power of two); 0 with no slots */
	size_t count;
};

/* Put key in; true when it was not there. false also when memory runs out
 * (the set is then unchanged: check key_set_has()). */
bool key_set_add(struct key_set *set, uint64_t key);

/* Take key out; true when it was there. */
bool key_set_remove(struct key_set *set, uint64_t key);

bool key_set_has(const struct key_set *set, uint64_t key);

/* Empty the set, keeping its room. */
void key_set_clear(struct key_set *set);

void key_set_free(struct key_set *set);

/* A lead id's key: its 128 bits folded to 64 (an id that is not a UUID is
 * hashed as text). Never 0. */
uint64_t key_set_of_id(const char *id);

#endif
