/*
 * test_search.c - folding for search as a table: every script the demo's
 * names use, and the words queries match.
 */
#include "testlib.h"

#include "leadboard/search.h"

static void test_fold(void **state)
{
	static const struct { const char *in, *out; } table[] = {
		{ "", "" },
		{ "Ana García", "ana garcia" },
		{ "AMÉLIE Weber", "amelie weber" },
		{ "José", "jose" },
		{ "Björn Müller", "bjorn muller" },
		{ "Chloé", "chloe" },
		{ "Kateřina Dvořák", "katerina dvorak" },
		{ "Søren Ørsted", "soren orsted" },
		{ "Łukasz Kowalski", "lukasz kowalski" },
		{ "Zoë", "zoe" },
		{ "Tomás", "tomas" },
		{ "Straße", "strasse" },
		{ "Æsa Œuvre", "aesa oeuvre" },
		{ "Αλέξης ΑΛΈΞΗΣ", "αλεξησ αλεξησ" },    /* final sigma folds too */
		{ "Ёлка Дмитрий", "елка дмитрии" },
		{ "山田 太郎", "山田 太郎" },
		{ "O'Brien", "o brien" },
		{ "Van Dijk", "van dijk" },
		{ "lead123@acme-logistics.example", "lead 123 acme logistics example" },
		{ "+49 (30) 1234-567", "49 30 1234 567" },
		{ "  many   spaces\ttab\nline ", "many spaces tab line" },
		{ "3M B2B", "3 m b 2 b" },
	};
	char out[256];

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		search_fold(table[i].in, out, sizeof out);
		if (strcmp(out, table[i].out) != 0)
			fprintf(stderr, "# '%s': want '%s', got '%s'\n", table[i].in, table[i].out, out);
		assert_string_equal(out, table[i].out);
	}
	/* a short buffer holds whole characters only */
	char small[6];
	search_fold("José García", small, sizeof small);
	assert_string_equal(small, "jose");
	search_fold("éééé", small, sizeof small);
	assert_string_equal(small, "eeee");
}

static void test_lead_words(void **state)
{
	struct lead lead = testlib_lead("José Núñez", "jose@acme.example", "Acme", NULL);
	char words[512];

	(void)state;
	snprintf(lead.phone, sizeof lead.phone, "+49 30 123");
	snprintf(lead.owner, sizeof lead.owner, "sam");
	search_lead_words(&lead, words, sizeof words);
	assert_string_equal(words, "jose nunez jose acme example acme 49 30 123 sam 4930123");
}

/* Queries: every word a prefix of some word; @login kept apart, exactly. */
static void test_match(void **state)
{
	static const struct { const char *query, *words; bool match; } table[] = {
		{ "jose", "jose nunez acme", true },
		{ "JOSÉ", "jose nunez acme", true },
		{ "jo", "jose nunez acme", true },
		{ "nu ac", "jose nunez acme", true },
		{ "ose", "jose nunez acme", false },          /* prefixes of words only */
		{ "jose globex", "jose nunez acme", false },   /* every word */
		{ "amélie", "amelie weber", true },
		{ "AMELIE", "amelie weber", true },
		{ "soren", "soren orsted", true },
		{ "søren", "soren orsted", true },
		{ "lukasz", "lukasz kowalski", true },
		{ "Łuk", "lukasz kowalski", true },
		{ "αλέξης", "αλεξησ", true },
		{ "山", "山田 太郎", true },
		{ "lead7777", "lead 77771 acme", true },
		{ "lead7777", "lead 7 acme", false },
		{ "4930", "49 30 123 4930123", true },
		{ "", "anything", true },
	};
	struct search_query q;

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		search_parse(table[i].query, &q);
		if (search_words_match(&q, table[i].words) != table[i].match)
			fprintf(stderr, "# '%s' in '%s': want %d\n", table[i].query, table[i].words,
				table[i].match);
		assert_int_equal(search_words_match(&q, table[i].words), table[i].match);
	}
	search_parse("@sam acme  @sara", &q);
	assert_string_equal(q.owner, "sara");
	assert_int_equal(q.term_count, 1);
	search_parse("José o'brien", &q);
	char expr[256];
	search_match_expression(&q, expr, sizeof expr);
	assert_string_equal(expr, "\"jose\"* \"o\"* \"brien\"*");
	search_parse("@sam", &q);
	assert_string_equal(q.owner, "sam");
	assert_int_equal(q.term_count, 0);
	search_match_expression(&q, expr, sizeof expr);
	assert_string_equal(expr, "");
	search_parse("a b c d e f g h i j k", &q);
	assert_int_equal(q.term_count, SEARCH_MAX_TERMS);
}

/* The two longest terms, which PostgreSQL's trigram index is asked for. */
static void test_longest_terms(void **state)
{
	static const struct { const char *query; int first, second; } table[] = {
		{ "willow", 0, 0 },              /* one term: the same twice */
		{ "lead 77", 0, 1 },
		{ "77 lead", 1, 0 },
		{ "a bb ccc", 2, 1 },
		{ "ccc a bb", 0, 2 },
		{ "bb ccc a", 1, 0 },
		{ "ab cd ef", 0, 1 },            /* as long: the earlier first */
		{ "x willow energy e", 1, 2 },   /* "energy" and "willow" both 6 */
		{ "@sam acme", 0, 0 },           /* the owner is no term */
	};
	struct search_query q;

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		int first = -1, second = -1;
		search_parse(table[i].query, &q);
		search_longest_terms(&q, &first, &second);
		if (first != table[i].first || second != table[i].second)
			fprintf(stderr, "# '%s': %d %d, want %d %d\n", table[i].query, first, second,
				table[i].first, table[i].second);
		assert_int_equal(first, table[i].first);
		assert_int_equal(second, table[i].second);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_lead_words),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_longest_terms),
	};
	return cmocka_run_group_tests_name("search", tests, NULL, NULL);
}
