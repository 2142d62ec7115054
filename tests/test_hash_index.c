/*
 * test_hash_index.c - the one hash table: every key put in is found again
 * as the table grows, keys whose hashes collide are told apart by the
 * equality test, and a key never put in is not found.
 */
#include "testlib.h"

#include "leadboard/hash_index.h"

#define KEYS 20000

static char keys[KEYS][16];
static uint64_t forced_hash;    /* 0: hash_text; else every key hashes to this */

static uint64_t hash_of_key(const char *key)
{
	return forced_hash ? forced_hash : hash_text(key, HASH_TEXT_SEED);
}

static uint64_t hash_of(uint32_t item, const void *ctx)
{
	(void)ctx;
	return hash_of_key(keys[item]);
}

static bool same(uint32_t item, const void *probe)
{
	return strcmp(keys[item], probe) == 0;
}

/* Put keys 0..n-1 in, growing one at a time; then find each. */
static void fill_and_find(int n)
{
	struct hash_index index = { 0 };

	for (int i = 0; i < n; i++) {
		uint32_t *slot;
		assert_true(hash_index_reserve(&index, index.count + 1, hash_of, NULL));
		slot = hash_index_slot(&index, hash_of_key(keys[i]), same, keys[i]);
		assert_int_equal(*slot, 0);           /* not in yet */
		hash_index_fill(&index, slot, (uint32_t)i);
	}
	assert_int_equal(index.count, n);
	assert_true(index.mask + 1 >= 2 * (size_t)n);
	for (int i = 0; i < n; i++) {
		uint32_t *slot = hash_index_slot(&index, hash_of_key(keys[i]), same, keys[i]);
		assert_int_equal(*slot, i + 1);
	}
	assert_int_equal(*hash_index_slot(&index, hash_of_key("absent"), same, "absent"), 0);
	hash_index_free(&index);
	assert_null(index.slots);
}

static void test_grows_and_finds(void **state)
{
	(void)state;
	forced_hash = 0;
	fill_and_find(KEYS);
}

static void test_collisions(void **state)
{
	(void)state;
	forced_hash = 42;           /* one chain: only same() tells keys apart */
	fill_and_find(600);
	forced_hash = 0;
}

static void test_reserve_ahead(void **state)
{
	struct hash_index index = { 0 };
	uint32_t *before;

	(void)state;
	assert_true(hash_index_reserve(&index, 5000, hash_of, NULL));
	before = index.slots;
	for (int i = 0; i < 5000; i++) {
		assert_true(hash_index_reserve(&index, index.count + 1, hash_of, NULL));
		hash_index_fill(&index, hash_index_slot(&index, hash_of_key(keys[i]), same, keys[i]),
				(uint32_t)i);
	}
	assert_ptr_equal(index.slots, before);   /* room was made once */
	hash_index_free(&index);
}

static void test_text_hash(void **state)
{
	(void)state;
	assert_true(hash_text("", HASH_TEXT_SEED) == HASH_TEXT_SEED);
	assert_true(hash_text("a", HASH_TEXT_SEED) == 0xaf63dc4c8601ec8cULL);   /* FNV-1a */
	assert_true(hash_text("a", HASH_TEXT_SEED) != hash_text("a", 7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grows_and_finds), cmocka_unit_test(test_collisions),
		cmocka_unit_test(test_reserve_ahead), cmocka_unit_test(test_text_hash),
	};
	for (int i = 0; i < KEYS; i++)
		snprintf(keys[i], sizeof keys[i], "key-%d", i);
	return cmocka_run_group_tests_name("hash_index", tests, NULL, NULL);
}
