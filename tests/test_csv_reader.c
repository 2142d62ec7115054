/* test_csv_reader.c - the strict CSV reader, input by input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "leadboard/csv_reader.h"

/* What the reader saw, written down as text: "3:a|b" for a record of two
 * fields starting on line 3, "!5:why" for a bad row on line 5; records
 * separated by " / ". */
struct seen {
	char text[4096];
};

static void append(struct seen *s, const char *piece)
{
	size_t used = strlen(s->text);

	snprintf(s->text + used, sizeof s->text - used, "%s%s", used ? " / " : "", piece);
}

static int on_record(const struct csv_record *record, void *ctx)
{
	char piece[1024];
	size_t used;

	used = (size_t)snprintf(piece, sizeof piece, "%ld:", record->line);
	for (size_t i = 0; i < record->count; i++) {
		assert_int_equal(strlen(record->fields[i]), record->lengths[i]);
		used += (size_t)snprintf(piece + used, sizeof piece - used, "%s%s", i ? "|" : "",
					 record->fields[i]);
	}
	append(ctx, piece);
	return 0;
}

static int on_bad(long line, const char *why, void *ctx)
{
	char piece[256];

	snprintf(piece, sizeof piece, "!%ld:%.20s", line, why);
	append(ctx, piece);
	return 0;
}

static const char *read_all(const char *input, size_t size)
{
	static struct seen seen;
	struct csv_callbacks cb = { on_record, on_bad, &seen };

	memset(&seen, 0, sizeof seen);
	assert_int_equal(csv_read_buffer(input, size, &cb), LB_OK);
	return seen.text;
}

static void test_cases(void **state)
{
	static const struct {
		const char *input;
		const char *expect;
	} cases[] = {
		{ "a,b\nc,d\n", "1:a|b / 2:c|d" },
		{ "a,b\r\nc,d\r\n", "1:a|b / 2:c|d" },
		{ "a,b\r\nc,d", "1:a|b / 2:c|d" },                          /* no final line end */
		{ "\xef\xbb\xbfName,Email\n", "1:Name|Email" },              /* BOM */
		{ "\"x, y\",\"say \"\"hi\"\"\"\n", "1:x, y|say \"hi\"" },     /* quoted comma, quotes */
		{ "h\n\"two\nlines\",z\nnext\n", "1:h / 2:two\nlines|z / 4:next" },
		{ "h\r\n\"two\r\nlines\"\r\nnext\r\n", "1:h / 2:two\r\nlines / 4:next" },
		{ "a\n\n\r\nb\n", "1:a / 4:b" },                            /* blank lines skipped */
		{ " a , b \n", "1: a | b " },                              /* spaces kept */
		{ "a,,\n", "1:a||" },
		{ "a,\"\"\n", "1:a|" },
		{ "ok\nbad\"quote\nok2\n", "1:ok / !2:a quote inside an un / 3:ok2" },
		{ "ok\n\"closed\"x\nok2\n", "1:ok / !2:text after a closing / 3:ok2" },
		{ "ok\n\"never closed\nmore\n", "1:ok / !2:a quoted field never" },
		{ "ok\n\xff\xfe,x\nok2\n", "1:ok / !2:field 1 is not valid / 3:ok2" },
		{ "a,\"b\xc3\"\nz\n", "!1:field 2 is not valid / 2:z" },
		{ "x,\"multi\nline\"oops\nz\n", "!1:text after a closing / 3:z" },
		{ "", "" },
		{ "\xef\xbb\xbf", "" },
		{ "\"\"", "1:" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = read_all(cases[i].input, strlen(cases[i].input));

		if (strcmp(got, cases[i].expect) != 0)
			fail_msg("case %zu: expected [%s], got [%s]", i, cases[i].expect, got);
	}
}

static void test_nul_byte(void **state)
{
	static const char input[] = "a,b\0" "c\nd\n";

	(void)state;
	assert_string_equal(read_all(input, sizeof input - 1), "!1:field 2 contains a N / 2:d");
}

static void test_too_many_fields(void **state)
{
	size_t n = (CSV_MAX_FIELDS + 1) * 2 + 8;
	char *input = malloc(n);
	size_t used = 0;

	(void)state;
	assert_non_null(input);
	for (int i = 0; i <= CSV_MAX_FIELDS; i++) {
		input[used++] = 'x';
		input[used++] = i == CSV_MAX_FIELDS ? '\n' : ',';
	}
	memcpy(input + used, "ok\n", 3);
	used += 3;
	const char *got = read_all(input, used);
	free(input);
	assert_string_equal(got, "!1:more than 1024 field / 2:ok");
}

static int stop_at_first(const struct csv_record *record, void *ctx)
{
	(void)record;
	(*(int *)ctx)++;
	return 1;
}

static void test_stop(void **state)
{
	int calls = 0;
	struct csv_callbacks cb = { stop_at_first, NULL, &calls };

	(void)state;
	assert_int_equal(csv_read_buffer("a\nb\nc\n", 6, &cb), LB_OK);
	assert_int_equal(calls, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
