/*
 * test_duplicates.c - candidate pairs: each kind of match, a pair found by
 * several, groups paired with their oldest lead, leads off the board left
 * out, and the keys themselves.
 */
#include "testlib.h"

#include "leadboard/duplicates.h"

struct found {
	char lines[4096];
};

static int collect(const struct duplicate_pair *p, void *ctx)
{
	struct found *f = ctx;
	size_t used = strlen(f->lines);
	char match[64];

	duplicates_match_names(p->match, match, sizeof match);
	snprintf(f->lines + used, sizeof f->lines - used, "%s+%s: %s\n", p->keep.name, p->other.name,
		 match);
	return 0;
}

static struct lead person(int n, const char *name, const char *email, const char *company,
			  const char *stage)
{
	struct lead lead;

	lead_init(&lead);
	snprintf(lead.id, sizeof lead.id, "00000000-0000-4000-8000-%012d", n);
	snprintf(lead.name, sizeof lead.name, "%s", name);
	snprintf(lead.email, sizeof lead.email, "%s", email);
	snprintf(lead.company, sizeof lead.company, "%s", company);
	snprintf(lead.stage, sizeof lead.stage, "%s", stage);
	return lead;
}

static void test_pairs(void **state)
{
	const struct lead leads[] = {
		person(1, "Ana", "ana@acme.example", "Acme", "lead"),
		person(2, "Bo", "bo@globex.example", "Globex", "mql"),
		person(3, "Ana Two", " ANA@Acme.Example ", "Other", "sql"),   /* e-mail */
		person(4, "bo", "bo.private@mail.example", "GLOBEX", "lead"),  /* name at company */
		person(5, "Bo", "bo@globex.example", "Globex", "lead"),        /* e-mail and name */
		person(6, "Cy", "ana@acme.example", "Initech", LB_DISCARDED),  /* off the board */
		person(7, "Dee", "", "", "lead"),
		person(8, "Dee", "", "", "lead"),                 /* a name without a company */
		person(9, "Ana", "third@acme.example", "Acme", "lead"),       /* name, to the oldest */
		person(10, "Eve", "eve@x.example", "", LB_MERGED),
		person(11, "Eve", "eve@x.example", "", "lead"),               /* the other is merged */
		person(12, "Chloé Dubois", "", "Lumen Retail", "lead"),
		person(13, "chloe dubois", "", "LUMEN retail", "mql"),        /* accents folded */
		person(14, "Fay", "", "", "lead"),
		person(15, "Fay Work", "", "", "sql"),                        /* phone digits */
	};
	struct duplicates *d = duplicates_new();
	struct found f = { "" };

	(void)state;
	assert_non_null(d);
	for (size_t i = 0; i < sizeof leads / sizeof leads[0]; i++) {
		struct lead lead = leads[i];
		if (i == 13)
			snprintf(lead.phone, sizeof lead.phone, "+49 30 1234567");
		if (i == 14)
			snprintf(lead.phone, sizeof lead.phone, "49 (30) 123-4567");
		assert_int_equal(duplicates_add(d, &lead), LB_OK);
	}
	assert_int_equal(duplicates_each(d, collect, &f), LB_OK);
	assert_string_equal(f.lines, "Ana+Ana Two: email\n"
				     "Ana+Ana: name\n"
				     "Bo+bo: name\n"
				     "Bo+Bo: email, name\n"
				     "Chloé Dubois+chloe dubois: name\n"
				     "Fay+Fay Work: phone\n");
	duplicates_free(d);
}

static void test_keys(void **state)
{
	char key[256];

	(void)state;
	duplicates_phone_key("+49 (30) 123-4567", key, sizeof key);
	assert_string_equal(key, "49301234567");
	duplicates_phone_key("12 34 56", key, sizeof key);
	assert_string_equal(key, "");                     /* too few digits to tell */
	duplicates_phone_key("", key, sizeof key);
	assert_string_equal(key, "");
	duplicates_name_key("Ana  García", "ACME, Inc.", key, sizeof key);
	assert_string_equal(key, "ana garcia\x1f" "acme inc");   /* the board's search fold */
	duplicates_name_key("SØREN Ågård", "Łódź Café", key, sizeof key);
	assert_string_equal(key, "soren agard\x1f" "lodz cafe");
	duplicates_name_key("Ana", "", key, sizeof key);
	assert_string_equal(key, "");                     /* no company: no key */
	duplicates_name_key("", "Acme", key, sizeof key);
	assert_string_equal(key, "");
}

static int count_pair(const struct duplicate_pair *p, void *ctx)
{
	int *n = ctx;

	assert_string_equal(p->keep.id, "00000000-0000-4000-8000-000000000001");
	return ++*n == 1000;   /* non-zero stops */
}

/* A large group pairs each lead with the oldest: n - 1 pairs. */
static void test_group(void **state)
{
	struct duplicates *d = duplicates_new();
	int pairs = 0;

	(void)state;
	for (int i = 1; i <= 500; i++) {
		struct lead lead = person(i, "Same Name", "", "Same Co", "lead");
		assert_int_equal(duplicates_add(d, &lead), LB_OK);
	}
	assert_int_equal(duplicates_each(d, count_pair, &pairs), LB_OK);
	assert_int_equal(pairs, 499);
	duplicates_free(d);
}

/* No leads, or none that pair: no pairs, and nothing read that is not there. */
static void test_none(void **state)
{
	struct duplicates *d = duplicates_new();
	struct lead alone = person(1, "Alone", "alone@x.example", "Solo", "lead");
	struct found f = { "" };

	(void)state;
	assert_int_equal(duplicates_each(d, collect, &f), LB_OK);
	assert_int_equal(duplicates_add(d, &alone), LB_OK);
	assert_int_equal(duplicates_each(d, collect, &f), LB_OK);
	assert_string_equal(f.lines, "");
	duplicates_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
