/*
 * test_layout.c - the board's layout arithmetic as tables: column widths
 * and sideways scrolling, scroll windows, and text cut by display width
 * (accents, CJK two cells wide, emoji, combining marks, control bytes).
 */
#include <locale.h>
#include <strings.h>

#include "testlib.h"

#include "ui/layout.h"
#include "leadboard/text.h"

static void test_columns(void **state)
{
	static const struct {
		int width, n, min, cursor, prev;
		int first, count, w0, wlast;
	} cases[] = {
		/* every column visible from 80 cells: 5 x 15/16 plus 4 separators */
		{ 80, 5, LAYOUT_MIN_COLUMN, 0, 0, 0, 5, 16, 15 },
		{ 200, 5, LAYOUT_MIN_COLUMN, 4, 0, 0, 5, 40, 39 },
		/* 60 cells: four columns; the cursor on the fifth scrolls by one */
		{ 60, 5, LAYOUT_MIN_COLUMN, 0, 0, 0, 4, 15, 14 },
		{ 60, 5, LAYOUT_MIN_COLUMN, 4, 0, 1, 4, 15, 14 },
		/* moving back inside the visible run does not scroll */
		{ 60, 5, LAYOUT_MIN_COLUMN, 2, 1, 1, 4, 15, 14 },
		{ 60, 5, LAYOUT_MIN_COLUMN, 0, 1, 0, 4, 15, 14 },
		/* 30 cells: two columns */
		{ 30, 5, LAYOUT_MIN_COLUMN, 3, 0, 2, 2, 15, 14 },
		/* narrower than one column: one column with all the room */
		{ 10, 5, LAYOUT_MIN_COLUMN, 2, 0, 2, 1, 10, 10 },
		/* a stale previous_first past the end is pulled back */
		{ 60, 5, LAYOUT_MIN_COLUMN, 4, 9, 1, 4, 15, 14 },
		/* a single stage takes the whole width */
		{ 80, 1, LAYOUT_MIN_COLUMN, 0, 0, 0, 1, 80, 80 },
		/* seven stages at 80: five fit */
		{ 80, 7, LAYOUT_MIN_COLUMN, 6, 0, 2, 5, 16, 15 },
	};
	struct layout_columns c;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		layout_columns(cases[i].width, cases[i].n, cases[i].min, cases[i].cursor,
			       cases[i].prev, &c);
		assert_int_equal(c.first, cases[i].first);
		assert_int_equal(c.count, cases[i].count);
		assert_int_equal(c.width[0], cases[i].w0);
		assert_int_equal(c.width[c.count - 1], cases[i].wlast);
		/* columns and separators fill the width exactly, in order */
		int end = c.x[c.count - 1] + c.width[c.count - 1];
		assert_int_equal(end, cases[i].width);
		for (int k = 1; k < c.count; k++)
			assert_int_equal(c.x[k], c.x[k - 1] + c.width[k - 1] + 1);
	}
	layout_columns(80, 0, LAYOUT_MIN_COLUMN, 0, 0, &c);
	assert_int_equal(c.count, 0);
}

static void test_fits(void **state)
{
	(void)state;
	assert_true(layout_fits(80, 24));
	assert_true(layout_fits(60, 20));
	assert_true(layout_fits(LAYOUT_MIN_COLS, LAYOUT_MIN_LINES));
	assert_false(layout_fits(20, 8));
	assert_false(layout_fits(LAYOUT_MIN_COLS - 1, 24));
	assert_false(layout_fits(80, LAYOUT_MIN_LINES - 1));
}

static void test_scroll(void **state)
{
	static const struct {
		int top, cursor, height, count, want;
	} cases[] = {
		{ 0, 0, 10, 5, 0 },      /* everything fits */
		{ 3, 4, 10, 5, 0 },      /* ... even from a stale top */
		{ 0, 9, 10, 100, 0 },    /* last visible row: no scroll */
		{ 0, 10, 10, 100, 1 },   /* one past: scroll by one */
		{ 50, 49, 10, 100, 49 }, /* one above: scroll up by one */
		{ 50, 55, 10, 100, 50 }, /* inside: stay */
		{ 95, 99, 10, 100, 90 }, /* never leave empty rows at the bottom */
		{ 0, 500, 10, 100, 90 }, /* cursor past the end is clamped */
		{ 7, -3, 10, 100, 0 },
		{ 0, 3, 0, 100, 3 },     /* height 0 behaves as 1 */
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(layout_scroll(cases[i].top, cases[i].cursor, cases[i].height,
					       cases[i].count), cases[i].want);
}

/* text_fit is text.h's; the board relies on it, so its table lives here too. */
static void test_fit_by_display_width(void **state)
{
	static const struct {
		const char *in;
		int width;
		const char *want;
		int cols;
	} cases[] = {
		{ "Giulia Zhang", 20, "Giulia Zhang", 12 },
		{ "Giulia Zhang", 8, "Giulia \u2026", 8 },
		{ "Kateřina Müller", 9, "Kateřina\u2026", 9 },
		/* CJK: two cells each; never half a character */
		{ "山田太郎", 8, "山田太郎", 8 },
		{ "山田太郎", 7, "山田太\u2026", 7 },
		{ "山田太郎", 6, "山田\u2026", 5 },
		/* emoji (two cells) */
		{ "\U0001F600 party", 5, "\U0001F600 p\u2026", 5 },
		/* combining marks take no cell and stay with their letter */
		{ "Zoe\u0308 Andersen", 4, "Zoe\u0308\u2026", 4 },
		{ "e\u0301e\u0301e\u0301", 3, "e\u0301e\u0301e\u0301", 3 },
		/* control bytes never pass: ESC, BEL, DEL, C1 */
		{ "\x1b]2;owned\x07", 20, "?]2;owned?", 10 },
		{ "a\x7f" "b\xc2\x9b" "c", 10, "a?b?c", 5 },
		/* invalid UTF-8 */
		{ "ab\xff\xfe", 10, "ab??", 4 },
		/* tabs and newlines become spaces */
		{ "a\tb\nc", 10, "a b c", 5 },
		{ "", 5, "", 0 },
		{ "abc", 0, "", 0 },
	};
	char out[256];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int cols = text_fit(cases[i].in, cases[i].width, false, out, sizeof out);
		assert_string_equal(out, cases[i].want);
		assert_int_equal(cols, cases[i].cols);
		assert_true(text_width(out) <= (cases[i].width > 0 ? cases[i].width : 0));
	}
}

static void test_two_sides(void **state)
{
	static const struct {
		const char *left, *right;
		int width;
		const char *want;
	} cases[] = {
		{ "Giulia Zhang", "82", 16, "Giulia Zhang  82" },
		{ "Giulia Zhang", "82", 12, "Giulia Z… 82" },
		{ "山田太郎", "100", 10, "山田…  100" },  /* no half character: one extra pad */
		{ "Acme", "↺2 @sam 3d", 16, "Acme  ↺2 @sam 3d" },
		{ "Acme", "", 6, "Acme  " },
		{ "Acme", "toolongright", 6, "toolo…" },
		{ "", "3d", 5, "   3d" },
		{ "x\x1b[2J", "1", 8, "x?[2J  1" },
	};
	char out[256];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		layout_two_sides(cases[i].left, cases[i].right, cases[i].width, out, sizeof out);
		assert_string_equal(out, cases[i].want);
		assert_int_equal(text_width(out), cases[i].width);
	}
}

struct lines {
	char text[16][128];
	int n;
};

static void collect(const char *line, void *ctx)
{
	struct lines *l = ctx;

	if (l->n < 16)
		snprintf(l->text[l->n++], sizeof l->text[0], "%s", line);
}

static void test_wrap(void **state)
{
	static const struct {
		const char *in;
		int width;
		int n;
		const char *line[4];
	} cases[] = {
		{ "Budget frozen until the new fiscal year.", 16, 3,
		  { "Budget frozen", "until the new", "fiscal year." } },
		{ "short", 16, 1, { "short" } },
		{ "", 10, 0, { NULL } },
		{ "abcdefghij", 4, 3, { "abcd", "efgh", "ij" } },
		{ "山田太郎山田", 5, 3, { "山田", "太郎", "山田" } },
		{ "line\nbreak\x1b", 20, 1, { "line break?" } },
		{ "a  b", 1, 2, { "a", "b" } },
	};
	struct lines l;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&l, 0, sizeof l);
		assert_int_equal(layout_wrap(cases[i].in, cases[i].width, collect, &l), cases[i].n);
		assert_int_equal(l.n, cases[i].n);
		for (int k = 0; k < cases[i].n; k++) {
			assert_string_equal(l.text[k], cases[i].line[k]);
			assert_true(text_width(l.text[k]) <= cases[i].width);
		}
	}
}

static void test_copy(void **state)
{
	static const struct {
		const char *in;
		size_t size;
		const char *want;
	} cases[] = {
		{ "hello", 16, "hello" },
		{ "hello", 4, "hel" },
		{ "héllo", 3, "h" },     /* é is two bytes: not split */
		{ "山田", 6, "山" },
		{ "山田", 7, "山田" },
		{ "", 4, "" },
	};
	char out[32];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		layout_copy(out, cases[i].size, cases[i].in);
		assert_string_equal(out, cases[i].want);
	}
}

static void test_owner(void **state)
{
	static const struct {
		const char *login;
		int room;
		const char *want;
	} cases[] = {
		{ "sam", 8, "sam" },
		{ "sam", 3, "sam" },
		{ "sam", 2, "SA" },
		{ "sara.lind", 4, "SL" },
		{ "steve_o-brien", 2, "SO" },
		{ "mona", 1, "M" },
		{ "mona", 0, "" },
		{ "", 5, "" },
	};
	char out[32];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		layout_owner(cases[i].login, cases[i].room, out, sizeof out);
		assert_string_equal(out, cases[i].want);
	}
}

/* Owner markers: unique among the members at every width, ignoring case. */
static void test_owner_codes(void **state)
{
	static const char *const team[] = { "mona", "sam", "samuel", "sara", "sarah.lee",
					     "steve", "sven" };
	static const struct { int room; const char *codes[7]; } table[] = {
		{ 8, { "mona", "sam", "samuel", "sara", "SL", "steve", "sven" } },
		{ 4, { "mona", "sam", "SAMU", "sara", "SL", "STEV", "sven" } },
		{ 3, { "MON", "sam", "SAU", "SAR", "SL", "STE", "SVE" } },
		{ 2, { "MO", "SA", "SM", "SR", "SL", "ST", "SV" } },
	};
	char codes[7][LAYOUT_CODE_MAX + 1];

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		layout_owner_codes(team, 7, table[i].room, codes);
		for (int k = 0; k < 7; k++) {
			if (strcmp(codes[k], table[i].codes[k]) != 0)
				fprintf(stderr, "# room %d, %s: want %s, got %s\n", table[i].room, team[k],
					table[i].codes[k], codes[k]);
			assert_string_equal(codes[k], table[i].codes[k]);
		}
	}
	/* whatever the room and the team, no two markers alike */
	static const char *const many[] = { "a", "ab", "abc", "b.c", "bc", "ca", "cab", "sam",
					    "sama", "samb", "samc", "samd", "same", "samf" };
	for (int room = 1; room <= LAYOUT_CODE_ROOMS; room++) {
		char m[14][LAYOUT_CODE_MAX + 1];
		layout_owner_codes(many, 14, room, m);
		for (int a = 0; a < 14; a++) {
			assert_true((int)strlen(m[a]) <= room);
			for (int b = a + 1; b < 14; b++)
				assert_true(!m[a][0] || strcasecmp(m[a], m[b]) != 0);
		}
	}
	/* room 1: a login of one letter is itself; the others have no marker left */
	char one[14][LAYOUT_CODE_MAX + 1];
	layout_owner_codes(many, 14, 1, one);
	assert_string_equal(one[0], "a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_fits),
		cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_fit_by_display_width),
		cmocka_unit_test(test_two_sides),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_owner),
		cmocka_unit_test(test_owner_codes),
	};

	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
