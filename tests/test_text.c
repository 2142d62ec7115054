/* test_text.c - UTF-8 checks, terminal-safe output, CSV/JSON escaping, times. */
#include <locale.h>

#include "testlib.h"

#include "leadboard/text.h"
#include "leadboard/timeutil.h"

static void test_field_checks(void **state)
{
	static const struct { const char *value; enum lb_status expect; } table[] = {
		{ "Ana García", LB_OK },
		{ "山田 太郎", LB_OK },
		{ "line one\nline two\ttab", LB_OK },
		{ "emoji 🚀 ok", LB_OK },
		{ "esc \x1b[2J", LB_DATA },
		{ "bell \a", LB_DATA },
		{ "del \x7f", LB_DATA },
		{ "c1 \xc2\x9b", LB_DATA },              /* U+009B, CSI */
		{ "cr \r", LB_DATA },
		{ "bad \xff", LB_DATA },
		{ "overlong \xc0\xaf", LB_DATA },
		{ "surrogate \xed\xa0\x80", LB_DATA },
		{ "truncated \xe2\x82", LB_DATA },
		{ "too big \xf4\x90\x80\x80", LB_DATA },
		/* invisible: bidi controls, zero-width characters, tags */
		{ "rlo \u202e", LB_DATA },
		{ "lre \u202a", LB_DATA },
		{ "fsi \u2068", LB_DATA },
		{ "pdi \u2069", LB_DATA },
		{ "alm \u061c", LB_DATA },
		{ "zwsp a\u200bb", LB_DATA },
		{ "zwj \u200d", LB_DATA },
		{ "rlm \u200f", LB_DATA },
		{ "wj \u2060", LB_DATA },
		{ "bom \ufeff", LB_DATA },
		{ "tag \U000E0041", LB_DATA },
		{ "cancel tag \U000E007F", LB_DATA },
		{ "not a tag \U000E0100", LB_OK },      /* a variation selector */
		{ "arrows \u2192 \u21ba", LB_OK },
		{ "nbsp a\u00a0b", LB_OK },
	};
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		assert_int_equal(text_check_field("name", table[i].value, LB_TEXT_MAX),
				 table[i].expect);

	char big[LB_TEXT_MAX + 2];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(text_check_field("note", big, LB_TEXT_MAX), LB_DATA);
	assert_non_null(strstr(lb_message(LB_DATA), "1001 bytes"));
	big[LB_TEXT_MAX] = '\0';
	assert_int_equal(text_check_field("note", big, LB_TEXT_MAX), LB_OK);
}

/* Nothing that comes out may contain a control byte. */
static void assert_terminal_safe(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		assert_true(*p >= 0x20 && *p != 0x7f);
		if (p[0] == 0xc2)
			assert_false(p[1] >= 0x80 && p[1] < 0xa0);
	}
	assert_true(utf8_valid(s, strlen(s)));
}

static void test_sanitize(void **state)
{
	static const struct { const char *in, *out; } table[] = {
		{ "plain", "plain" },
		{ "\x1b]2;owned\a\x1b[2J", "?]2;owned??[2J" },
		{ "a\nb\tc", "a b c" },
		{ "c1\xc2\x9b!", "c1?!" },
		{ "bad\xff\xfe", "bad??" },
		{ "Zoë 山田", "Zoë 山田" },
		{ "del\x7f", "del?" },
		{ "abc\u202edcba", "abc?dcba" },
		{ "a\u200bb\u2060c\ufeff", "a?b?c?" },
		{ "flag\U000E0067\U000E0062\U000E007F", "flag???" },
	};
	char out[256];

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		text_sanitize(table[i].in, out, sizeof out);
		assert_string_equal(out, table[i].out);
		assert_terminal_safe(out);
	}
	/* truncation at a character boundary */
	text_sanitize("山田太郎", out, 7);
	assert_string_equal(out, "山田");
}

static void test_width_and_fit(void **state)
{
	static const struct {
		const char *in;
		int width;
		bool pad;
		const char *out;
		int cols;
	} table[] = {
		{ "Ana", 5, true, "Ana  ", 5 },
		{ "Ana García", 6, false, "Ana G…", 6 },
		{ "山田太郎", 5, false, "山田…", 5 },     /* 2+2+1 */
		{ "山田太郎", 4, true, "山… ", 4 },       /* 2+1, padded */
		{ "e\xcc\x81t\xc3\xa9", 3, false, "e\xcc\x81t\xc3\xa9", 3 }, /* combining mark */
		{ "🚀🚀🚀", 4, false, "🚀…", 3 },
		{ "abc", 0, false, "", 0 },
		{ "abc", 1, false, "…", 1 },
		{ "\x1b[2Jx", 8, false, "?[2Jx", 5 },
	};
	char out[128];

	(void)state;
	assert_int_equal(text_width("山田"), 4);
	assert_int_equal(text_width("e\xcc\x81"), 1);
	assert_int_equal(text_width("a\x1b"), 2);
	/* an invisible character takes a column, as the '?' it shows as */
	assert_int_equal(text_width("a\u200bb"), 3);
	assert_int_equal(text_width("\u202e"), 1);
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		int cols = text_fit(table[i].in, table[i].width, table[i].pad, out, sizeof out);
		assert_string_equal(out, table[i].out);
		assert_int_equal(cols, table[i].cols);
		assert_int_equal(text_width(out), cols);
	}
}

static char *capture(void (*write)(FILE *, const char *), const char *in, char *buf, size_t size)
{
	FILE *f = fmemopen(buf, size, "w");

	assert_non_null(f);
	write(f, in);
	fclose(f);
	return buf;
}

struct in_out {
	const char *in, *out;
};

/* Each row's in, as write prints it, reads as the row's out. */
static void expect_writes(void (*write)(FILE *, const char *), const struct in_out *rows,
			  size_t count)
{
	char buf[256];

	for (size_t i = 0; i < count; i++)
		assert_string_equal(capture(write, rows[i].in, buf, sizeof buf), rows[i].out);
}

static void json_plain(FILE *f, const char *s)
{
	text_json_string(f, s, true);
}

static void test_json(void **state)
{
	static const struct in_out table[] = {
		{ "", "null" },
		{ "a\"b\\c", "\"a\\\"b\\\\c\"" },
		{ "l1\nl2\t\r", "\"l1\\nl2\\t\\r\"" },
		{ "\x1b[0m", "\"\\u001b[0m\"" },
		{ "bad\xff", "\"bad\\ufffd\"" },
		{ "Zoë", "\"Zoë\"" },
		{ "a\u202eb", "\"a\\u202eb\"" },
		{ "\u200b\ufeff", "\"\\u200b\\ufeff\"" },
		{ "t\U000E0041", "\"t\\udb40\\udc41\"" },
		{ "ls\u2028ps\u2029", "\"ls\\u2028ps\\u2029\"" },
		{ "del\x7f c1\xc2\x85", "\"del\\u007f c1\\u0085\"" },
	};

	(void)state;
	expect_writes(json_plain, table, sizeof table / sizeof table[0]);
}

static void test_csv(void **state)
{
	static const struct { const char *in, *out; } table[] = {
		{ "plain", "plain" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "two\nlines", "\"two\nlines\"" },
		{ "=SUM(A1)", "\"'=SUM(A1)\"" },
		{ "+1", "\"'+1\"" },
		{ "-1", "\"'-1\"" },
		{ "@cmd", "\"'@cmd\"" },
		{ "'=x", "\"''=x\"" },
		{ "'quoted", "'quoted" },
		{ "\t=1+1", "\"'\t=1+1\"" },          /* a leading tab */
		{ "\tplain", "\"'\tplain\"" },
		{ "mid\tdle", "mid\tdle" },
	};
	char buf[256], cell[64];

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		assert_string_equal(capture(text_csv_field, table[i].in, buf, sizeof buf),
				    table[i].out);
		/* what an importer unquotes, unguarding gives back */
		const char *body = buf[0] == '"' ? buf + 1 : buf;
		size_t n = 0;
		for (const char *p = body; *p && n + 1 < sizeof cell; p++) {
			if (buf[0] == '"' && p[0] == '"' && p[1] == '"')
				p++;
			else if (buf[0] == '"' && p[0] == '"')
				break;
			cell[n++] = *p;
		}
		cell[n] = '\0';
		text_csv_unguard(cell);
		assert_string_equal(cell, table[i].in);
	}
}

/* A hand-edited database's bytes never reach a CSV file raw. */
static void test_csv_never_raw(void **state)
{
	static const struct in_out table[] = {
		{ "esc\x1b[31m", "esc?[31m" },
		{ "bell\a", "bell?" },
		{ "cr\rx", "\"cr?x\"" },
		{ "\rlead", "\"'?lead\"" },
		{ "c1\xc2\x9b", "c1?" },
		{ "bad\xff\xfe", "bad??" },
		{ "rlo\u202egnp.exe", "rlo?gnp.exe" },
		{ "zw\u200b\U000E0041", "zw??" },
		{ "two\nlines", "\"two\nlines\"" },
	};

	(void)state;
	expect_writes(text_csv_field, table, sizeof table / sizeof table[0]);
}

static void padded(FILE *f, const char *s)
{
	text_print_padded(f, s, 8);
}

/* Columns are padded by cells, never by bytes, and never cut. */
static void test_padding(void **state)
{
	static const struct in_out table[] = {
		{ "abc", "abc     " },
		{ "Zoë", "Zoë     " },
		{ "山田", "山田    " },
		{ "e\xcc\x81", "e\xcc\x81       " },
		{ "\u202eab", "?ab     " },
		{ "longer than eight", "longer than eight" },
	};

	(void)state;
	expect_writes(padded, table, sizeof table / sizeof table[0]);
}

static void test_time_parse(void **state)
{
	int64_t now = 1795000000000LL;   /* 2026-11-18T07:06:40Z */
	static const struct { const char *text; bool ok; int64_t expect_offset; } rel[] = {
		{ "90m", true, 90 * 60000LL },
		{ "24h", true, 24 * 3600000LL },
		{ "7d", true, 7 * 86400000LL },
		{ "30s", true, 30000 },
		{ "2w", true, 14 * 86400000LL },
		{ "7x", false, 0 },
		{ "h", false, 0 },
		{ "", false, 0 },
	};
	int64_t t;
	char iso[32];

	(void)state;
	for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		assert_int_equal(time_parse(rel[i].text, now, &t), rel[i].ok);
		if (rel[i].ok)
			assert_int_equal(now - t, rel[i].expect_offset);
	}
	assert_true(time_parse("2026-11-01", now, &t));
	assert_string_equal(time_format_iso(t, iso), "2026-11-01T00:00:00.000Z");
	assert_true(time_parse("2026-11-01T09:00Z", now, &t));
	assert_string_equal(time_format_iso(t, iso), "2026-11-01T09:00:00.000Z");
	assert_true(time_parse("2026-11-01T09:00:30.25+01:00", now, &t));
	assert_string_equal(time_format_iso(t, iso), "2026-11-01T08:00:30.250Z");
	assert_true(time_parse("2026-11-01T09:00:00.123Z", now, &t));
	assert_string_equal(time_format_iso(t, iso), "2026-11-01T09:00:00.123Z");
	assert_false(time_parse("2026-13-01", now, &t));
	/* days that do not exist, and leap years */
	assert_int_equal(time_read("2026-02-30", now, &t), TIME_NO_SUCH_TIME);
	assert_int_equal(time_read("2026-02-29", now, &t), TIME_NO_SUCH_TIME);
	assert_int_equal(time_read("2028-02-29", now, &t), TIME_OK);
	assert_int_equal(time_read("2100-02-29", now, &t), TIME_NO_SUCH_TIME);
	assert_int_equal(time_read("2000-02-29", now, &t), TIME_OK);
	assert_int_equal(time_read("2026-04-31", now, &t), TIME_NO_SUCH_TIME);
	assert_int_equal(time_read("2026-12-31T23:59Z", now, &t), TIME_OK);
	assert_int_equal(time_read("2026-11-01T09:00+24:00", now, &t), TIME_NO_SUCH_TIME);
	assert_int_equal(time_read("2026-11-01T09:00+01:60", now, &t), TIME_NO_SUCH_TIME);
	assert_int_equal(time_read("2026-11-01T25:00Z", now, &t), TIME_NO_SUCH_TIME);
	assert_int_equal(time_read("2026-11-01junk", now, &t), TIME_MALFORMED);
	assert_false(time_parse("2026-11-01T25:00Z", now, &t));
	assert_false(time_parse("yesterday", now, &t));
	assert_false(time_parse("2026-11-01junk", now, &t));
}

static void test_ages(void **state)
{
	static const struct { int64_t ms; const char *out; } table[] = {
		{ 0, "now" }, { 59000, "now" }, { 60000, "1m" }, { 3599000, "59m" },
		{ 3600000, "1h" }, { 86399000, "23h" }, { 86400000, "1d" },
		{ 69 * 86400000LL, "69d" }, { 70 * 86400000LL, "10w" },
		{ 800 * 86400000LL, "2y" },
	};
	char out[8];

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		assert_string_equal(time_format_age(table[i].ms, out), table[i].out);
}

static void test_ago(void **state)
{
	static const struct { int64_t ms; const char *out; } table[] = {
		{ -5000, "just now" }, { 0, "just now" }, { 999, "just now" }, { 1000, "1 s ago" },
		{ 10000, "10 s ago" }, { 119999, "119 s ago" },
		{ 120000, "2 min ago" }, { 7199999, "119 min ago" }, { 7200000, "2 h ago" },
		{ 172799999, "47 h ago" }, { 172800000, "2 d ago" },
	};
	char out[32];

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		assert_string_equal(time_format_ago(table[i].ms, out), table[i].out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_checks), cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_width_and_fit), cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv),           cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_csv_never_raw), cmocka_unit_test(test_padding),
		cmocka_unit_test(test_ages),          cmocka_unit_test(test_ago),
	};
	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
