/*
 * test_clean.c - countries from iso-codes, e-mail keys and checks, segments.
 *
 * The country table is generated at build time from Debian's iso-codes;
 * these rows check that every form of every country it lists finds that
 * country (so no two countries share a form), and the forms a HubSpot or
 * Salesforce export writes.
 */
#include "testlib.h"

#include "country_table.h"
#include "leadboard/clean.h"
#include "leadboard/country.h"

static void test_country_forms(void **state)
{
	static const struct { const char *text, *code; } rows[] = {
		{ "Germany", "DE" }, { "germany", "DE" }, { "GERMANY", "DE" },
		{ "  Germany ", "DE" }, { "DE", "DE" }, { "de", "DE" }, { "DEU", "DE" },
		{ "deu", "DE" }, { "Federal Republic of Germany", "DE" },
		{ "United  States", "US" }, { "United States of America", "US" }, { "usa", "US" },
		{ "United Kingdom", "GB" }, { "South Korea", "KR" }, { "Korea, Republic of", "KR" },
		{ "Vietnam", "VN" }, { "Viet Nam", "VN" }, { "Åland Islands", "AX" },
		{ "Côte d'Ivoire", "CI" }, { "France", "FR" }, { "fra", "FR" },
		{ "Deutschland", NULL }, { "Narnia", NULL }, { "", NULL }, { "   ", NULL },
		{ "D", NULL }, { "Germanyy", NULL }, { "UK", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *got = country_code(rows[i].text);
		if (!rows[i].code ? got != NULL : !got || strcmp(got, rows[i].code) != 0)
			fail_msg("'%s': got %s, want %s", rows[i].text, got ? got : "NULL",
				 rows[i].code ? rows[i].code : "NULL");
	}
	assert_null(country_code(NULL));
}

/* Every form of every country in the generated table finds its country. */
static void test_country_table(void **state)
{
	(void)state;
	assert_true(country_count() > 240);
	for (size_t i = 0; i < country_table_count; i++) {
		const struct country_entry *c = &country_table[i];
		const char *forms[] = { c->alpha_2, c->alpha_3, c->name, c->official_name,
					c->common_name };
		for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
			const char *got;
			if (!forms[k][0])
				continue;
			got = country_code(forms[k]);
			if (!got || strcmp(got, c->alpha_2) != 0)
				fail_msg("'%s' finds %s, not %s", forms[k], got ? got : "nothing",
					 c->alpha_2);
		}
		assert_int_equal(strlen(c->alpha_2), 2);
		assert_non_null(country_name(c->alpha_2));
	}
}

static void test_country_names(void **state)
{
	(void)state;
	assert_string_equal(country_name("DE"), "Germany");
	assert_string_equal(country_name("de"), "Germany");
	assert_string_equal(country_name("KR"), "South Korea");   /* the common name */
	assert_string_equal(country_name("GB"), "United Kingdom");
	assert_null(country_name("XX"));
	assert_null(country_name("DEU"));
	assert_null(country_name(""));
	assert_null(country_name(NULL));
}

static void test_clean_country(void **state)
{
	static const struct { const char *in, *out; bool known; } rows[] = {
		{ "Germany", "DE", true }, { " fr ", "FR", true }, { "", "", true },
		{ "  ", "", true }, { " Narnia ", "Narnia", false }, { "DEU", "DE", true },
		{ "Deutschland", "Deutschland", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char country[64];
		snprintf(country, sizeof country, "%s", rows[i].in);
		assert_int_equal(clean_country(country, sizeof country), rows[i].known);
		assert_string_equal(country, rows[i].out);
	}
}

static void test_email(void **state)
{
	static const struct { const char *email; bool valid; } rows[] = {
		{ "ana@acme.example", true }, { "a@b.co", true }, { "ANA@ACME.EXAMPLE", true },
		{ "ana", false }, { "@acme.example", false }, { "ana@", false },
		{ "ana@acme", false }, { "ana@@acme.example", false }, { "a@b@c.example", false },
		{ "ana@.example", false }, { "ana@acme.", false }, { "an a@acme.example", false },
	};
	char key[64];

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (clean_email_valid(rows[i].email) != rows[i].valid)
			fail_msg("'%s': valid %d", rows[i].email, !rows[i].valid);
	clean_email_key("  Ana@Acme.Example \t", key, sizeof key);
	assert_string_equal(key, "ana@acme.example");
	clean_email_key("", key, sizeof key);
	assert_string_equal(key, "");
	clean_email_key("ABCDEFGH", key, 4);
	assert_string_equal(key, "abc");

	char text[32] = " \t ana@acme.example \n";
	clean_trim(text);
	assert_string_equal(text, "ana@acme.example");
	snprintf(text, sizeof text, "   ");
	clean_trim(text);
	assert_string_equal(text, "");
}

static void test_segment(void **state)
{
	static const struct { const char *text, *segment; } rows[] = {
		{ "b2b", "b2b" }, { "B2B", "b2b" }, { "b2c", "b2c" }, { "B2c", "b2c" },
		{ "Business", "b2b" }, { "BUSINESS", "b2b" }, { "Business-to-Business", "b2b" },
		{ "Business Account", "b2b" }, { "Consumer", "b2c" }, { "business to consumer", "b2c" },
		{ "Person Account", "b2c" }, { "Individual", "b2c" }, { " b2b ", "b2b" },
		{ "", "" }, { "  ", "" },
		{ "b2g", NULL }, { "Enterprise", NULL }, { "SMB", NULL }, { "Other", NULL },
		{ "--", NULL }, { "bus iness", "b2b" },
	};
	char out[4];

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		bool ok = clean_segment(rows[i].text, out);
		if (ok != (rows[i].segment != NULL) || (ok && strcmp(out, rows[i].segment) != 0))
			fail_msg("'%s': %s '%s'", rows[i].text, ok ? "gives" : "refused", out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_country_forms),
		cmocka_unit_test(test_country_table),
		cmocka_unit_test(test_country_names),
		cmocka_unit_test(test_clean_country),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_segment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
