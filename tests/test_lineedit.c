/*
 * test_lineedit.c - the dialogs' line editor as a table: a starting text,
 * a script of keys, and the text it leaves with '|' where the cursor is.
 *
 * Script: < left, > right, ^ home (Ctrl-A), $ end (Ctrl-E), b backspace,
 * d delete, u Ctrl-U, k Ctrl-K, w Ctrl-W, +X insert the character X.
 */
#include <locale.h>

#include "testlib.h"

#include "leadboard/text.h"
#include "ui/lineedit.h"

static void run_script(struct lineedit *le, const char *script)
{
	static const struct { char key; enum lineedit_op op; } ops[] = {
		{ '<', LINE_LEFT }, { '>', LINE_RIGHT }, { '^', LINE_HOME }, { '$', LINE_END },
		{ 'b', LINE_BACKSPACE }, { 'd', LINE_DELETE }, { 'u', LINE_KILL_START },
		{ 'k', LINE_KILL_END }, { 'w', LINE_KILL_WORD },
	};
	for (const char *p = script; *p; p++) {
		if (*p == '+') {
			uint32_t cp;
			size_t len = utf8_decode(p + 1, strlen(p + 1), &cp);
			assert_true(len > 0);
			lineedit_insert(le, cp);
			p += len;
			continue;
		}
		size_t i;
		for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
			if (ops[i].key == *p)
				break;
		assert_true(i < sizeof ops / sizeof ops[0]);
		lineedit_apply(le, ops[i].op);
	}
}

static void test_edits(void **state)
{
	static const struct { const char *start, *script, *expect; } table[] = {
		{ "", "", "|" },
		{ "", "+a+b+c", "abc|" },
		{ "abc", "<<+X", "aX|bc" },
		{ "abc", "^+X", "X|abc" },
		{ "abc", "^$+X", "abcX|" },
		{ "abc", "<b", "a|c" },
		{ "abc", "<<d", "a|c" },
		{ "abc", "d", "abc|" },             /* delete at the end: nothing */
		{ "abc", "^b", "|abc" },            /* backspace at the start: nothing */
		{ "abc", "^<<>", "a|bc" },
		{ "abc", ">>>", "abc|" },
		{ "call back Monday", "<<<<<<u", "|Monday" },
		{ "call back Monday", "<<<<<<k", "call back |" },
		{ "call back Monday", "w", "call back |" },
		{ "call back Monday", "ww", "call |" },
		{ "call back  ", "w", "call |" },    /* the spaces after the word go too */
		{ "call back Monday", "<<<<<<w", "call |Monday" },
		{ "José", "<b", "Jo|é" },           /* whole characters */
		{ "José", "b", "Jos|" },
		{ "José", "<<+\xc3\xa9", "Joé|sé" },
		{ "山田", "<+x", "山x|田" },
		{ "山田", "<d", "山|" },
		{ "a\xc3\xa9z", "<<d", "a|z" },
		{ "abc", "+\x01+\x7f", "abc|" },     /* control characters are not text */
	};
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		char buf[64], shown[80];
		struct lineedit le;

		snprintf(buf, sizeof buf, "%s", table[i].start);
		lineedit_init(&le, buf, sizeof buf);
		run_script(&le, table[i].script);
		snprintf(shown, sizeof shown, "%.*s|%s", (int)le.cursor, buf, buf + le.cursor);
		if (strcmp(shown, table[i].expect) != 0)
			fprintf(stderr, "# '%s' + '%s': want '%s', got '%s'\n", table[i].start,
				table[i].script, table[i].expect, shown);
		assert_string_equal(shown, table[i].expect);
	}
}

/* A full buffer takes no more; what is there stays whole. */
static void test_limits(void **state)
{
	char buf[6];
	struct lineedit le;

	(void)state;
	snprintf(buf, sizeof buf, "abcd");
	lineedit_init(&le, buf, sizeof buf);
	assert_true(lineedit_insert(&le, 'e'));
	assert_false(lineedit_insert(&le, 'f'));
	assert_string_equal(buf, "abcde");
	lineedit_apply(&le, LINE_BACKSPACE);
	assert_false(lineedit_insert(&le, 0x5c71));   /* three bytes do not fit in two */
	assert_string_equal(buf, "abcd");
	lineedit_set(&le, "xy\xc3\xa9zzzz");             /* cut before a whole character */
	assert_string_equal(buf, "xy\xc3\xa9z");
	lineedit_set(&le, "abcd\xc3\xa9");
	assert_string_equal(buf, "abcd");
}

/* What is in sight of a narrow field: the cursor always, the view moving little. */
static void test_view(void **state)
{
	char buf[64] = "0123456789abcdef";
	struct lineedit le;
	size_t start = 0;

	(void)state;
	lineedit_init(&le, buf, sizeof buf);
	lineedit_view(&le, 8, &start);
	assert_int_equal(start, 9);            /* "9abcdef" and the cursor's column */
	lineedit_apply(&le, LINE_LEFT);
	lineedit_view(&le, 8, &start);
	assert_int_equal(start, 9);            /* still in sight: no move */
	lineedit_apply(&le, LINE_HOME);
	lineedit_view(&le, 8, &start);
	assert_int_equal(start, 0);
	for (int i = 0; i < 7; i++)
		lineedit_apply(&le, LINE_RIGHT);
	lineedit_view(&le, 8, &start);
	assert_int_equal(start, 0);
	lineedit_apply(&le, LINE_RIGHT);
	lineedit_view(&le, 8, &start);
	assert_int_equal(start, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edits),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_view),
	};
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	return cmocka_run_group_tests_name("lineedit", tests, NULL, NULL);
}
