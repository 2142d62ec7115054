/*
 * layout.h - where things go on the board's screen: pure arithmetic.
 *
 * Column widths and sideways scrolling, scroll windows of lists, and text
 * cut to a number of terminal columns (measured with wcwidth, so CJK takes
 * two cells and combining marks none). No curses, no database: every answer
 * is a function of the arguments, tested as tables in tests/test_layout.c.
 */
#ifndef LEADBOARD_UI_LAYOUT_H
#define LEADBOARD_UI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#define LAYOUT_MAX_COLUMNS 32
#define LAYOUT_MIN_COLUMN 14     /* narrowest column worth drawing */
#define LAYOUT_MIN_COLS 30       /* below this (or LAYOUT_MIN_LINES): "too small" */
#define LAYOUT_MIN_LINES 10

/* The columns that fit on the screen: stages first .. first + count - 1,
 * column i (0-based among the visible) starting at x[i] and width[i] cells
 * wide; one cell between columns is left for the separator. */
struct layout_columns {
	int first;
	int count;
	int x[LAYOUT_MAX_COLUMNS];
	int width[LAYOUT_MAX_COLUMNS];
};

/* Lay out n columns across width cells, each at least min_width wide,
 * sharing the room evenly. When not all fit, the visible run contains
 * cursor and moves as little as possible from previous_first. */
void layout_columns(int width, int n, int min_width, int cursor, int previous_first,
		    struct layout_columns *out);

/* Whether a screen of cols x lines is big enough for the board. */
bool layout_fits(int cols, int lines);

/* The first row to show of a list of count rows, height at a time, so that
 * cursor is visible, moving as little as possible from top and never
 * leaving empty rows at the bottom that earlier rows could fill. */
int layout_scroll(int top, int cursor, int height, int count);

/* Copy src into out (size bytes, always terminated), cut at a UTF-8
 * character boundary when it does not fit. Returns out. */
char *layout_copy(char *out, size_t size, const char *src);

/* left and right on one line of exactly width columns: right flush at the
 * end, left cut with an ellipsis so that at least one space separates them.
 * When even right does not fit, right alone is cut. Sanitized for the
 * terminal (text.h). Returns out. */
char *layout_two_sides(const char *left, const char *right, int width, char *out, size_t size);

/* Break text into lines of at most width columns, at spaces where it can
 * and inside a word where it must, never inside a character. fn gets each
 * line (sanitized, NUL-terminated); returns the number of lines. */
int layout_wrap(const char *text, int width, void (*fn)(const char *line, void *ctx), void *ctx);

/* How an owner is shown in room columns: the login when it fits, else its
 * initials (first letters of the parts split by '.', '_', '-' or ' ', or
 * its first two letters), upper-cased ASCII. Returns out. */
char *layout_owner(const char *login, int room, char *out, size_t size);

#define LAYOUT_CODE_ROOMS 8      /* owner markers are made for rooms 1..8 */
#define LAYOUT_CODE_MAX 8

/* A marker for each of n logins (sorted, distinct) in room columns, no two
 * alike (ignoring case): a login that fits is itself; the others get an
 * upper-case short form (initials of its parts, its first letters, its
 * first letter and another) that no one else has. A login no short form
 * can tell apart gets "" (no marker rather than a wrong one). */
void layout_owner_codes(const char *const *logins, int n, int room,
			char (*codes)[LAYOUT_CODE_MAX + 1]);

#endif
