/*
 * lineedit.h - one line of text edited the way a shell edits it: a cursor
 * that moves by character, words killed before it, the line's ends.
 *
 * Pure: no curses. The dialogs (prompt.c, form.c) turn keys into these
 * operations and draw what lineedit_view() says is in sight; tested as a
 * table in tests/test_lineedit.c. The text is UTF-8, the cursor a byte
 * offset that always sits on a character boundary.
 */
#ifndef LEADBOARD_UI_LINEEDIT_H
#define LEADBOARD_UI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lineedit {
	char *buf;          /* NUL-terminated UTF-8, owned by the caller */
	size_t size;        /* bytes buf holds, NUL included */
	size_t cursor;      /* byte offset of the cursor, 0..strlen(buf) */
};

enum lineedit_op {
	LINE_LEFT,          /* ←, Ctrl-B */
	LINE_RIGHT,         /* →, Ctrl-F */
	LINE_HOME,          /* Home, Ctrl-A */
	LINE_END,           /* End, Ctrl-E */
	LINE_BACKSPACE,     /* the character before the cursor */
	LINE_DELETE,        /* the character under the cursor (Delete) */
	LINE_KILL_START,    /* Ctrl-U: everything before the cursor */
	LINE_KILL_END,      /* Ctrl-K: everything from the cursor on */
	LINE_KILL_WORD,     /* Ctrl-W: the word before the cursor, and the spaces after it */
};

/* Edit buf (holding a string already) with the cursor at its end. */
void lineedit_init(struct lineedit *le, char *buf, size_t size);

/* Apply op; true when the text changed (a move changes only the cursor). */
bool lineedit_apply(struct lineedit *le, enum lineedit_op op);

/* Insert the character cp at the cursor; false (nothing changes) for a
 * control character, an invalid code point, or when it does not fit. */
bool lineedit_insert(struct lineedit *le, uint32_t cp);

/* Replace the whole text (cursor at the end). */
void lineedit_set(struct lineedit *le, const char *text);

/* Where to start showing the text in width columns so that the cursor
 * (which takes a column of its own at the end) is in sight, moving as
 * little as possible from *start; *start is a byte offset, updated. */
void lineedit_view(const struct lineedit *le, int width, size_t *start);

#endif
