/*
 * test_key_set.c - the set the board keeps its ready leads in: what comes
 * in is found, what leaves is gone and everything else stays findable,
 * through growth and through removals in runs of colliding keys; checked
 * against a plain array as the model.
 */
#include "testlib.h"

#include "leadboard/key_set.h"

#define KEYS 5000

/* A model: present[i] says whether key i (keys[i]) is in the set. */
static uint64_t keys[KEYS];
static bool present[KEYS];

static void check_model(const struct key_set *set)
{
	size_t count = 0;

	for (int i = 0; i < KEYS; i++) {
		assert_int_equal(key_set_has(set, keys[i]), present[i]);
		count += present[i];
	}
	assert_int_equal(set->count, count);
}

/* Random adds and removes, checked against the model every so often. */
static void churn(uint64_t (*make)(int i))
{
	struct key_set set = { 0 };
	unsigned seed = 7;

	for (int i = 0; i < KEYS; i++) {
		keys[i] = make(i);
		present[i] = false;
	}
	for (int step = 0; step < 40000; step++) {
		int i;
		seed = seed * 1103515245u + 12345u;
		i = (int)((seed >> 8) % KEYS);
		if ((seed >> 4) % 3 != 0) {
			assert_int_equal(key_set_add(&set, keys[i]), !present[i]);
			present[i] = true;
		} else {
			assert_int_equal(key_set_remove(&set, keys[i]), present[i]);
			present[i] = false;
		}
		if (step % 2000 == 0)
			check_model(&set);
	}
	check_model(&set);
	key_set_clear(&set);
	memset(present, 0, sizeof present);
	check_model(&set);
	key_set_free(&set);
	assert_null(set.slots);
}

static uint64_t spread(int i)
{
	return (uint64_t)(i + 1) * 0x9e3779b97f4a7c15ULL;
}

/* Keys that share their low bits: long runs at the same few homes. */
static uint64_t crowded(int i)
{
	return ((uint64_t)(i + 1) << 40) | 5;
}

static void test_churn_spread(void **state)
{
	(void)state;
	churn(spread);
}

static void test_churn_crowded(void **state)
{
	(void)state;
	churn(crowded);
}

static void test_ids(void **state)
{
	struct key_set set = { 0 };
	const char *a = "0f8e2f3a-1b2c-4d5e-8f90-123456789abc";
	const char *b = "0f8e2f3a-1b2c-4d5e-8f90-123456789abd";

	(void)state;
	assert_true(key_set_of_id(a) != key_set_of_id(b));
	assert_true(key_set_of_id(a) == key_set_of_id(a));
	assert_true(key_set_of_id("not an id") != 0);
	assert_true(key_set_add(&set, key_set_of_id(a)));
	assert_false(key_set_add(&set, key_set_of_id(a)));
	assert_true(key_set_has(&set, key_set_of_id(a)));
	assert_false(key_set_has(&set, key_set_of_id(b)));
	assert_false(key_set_add(&set, 0));          /* 0 is never a key */
	assert_false(key_set_remove(&set, key_set_of_id(b)));
	assert_true(key_set_remove(&set, key_set_of_id(a)));
	assert_int_equal(set.count, 0);
	key_set_free(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_churn_spread),
		cmocka_unit_test(test_churn_crowded),
		cmocka_unit_test(test_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
