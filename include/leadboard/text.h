/*
 * text.h - UTF-8 checks and safe output.
 *
 * Text enters through text_check_field() at the door (valid UTF-8, no control
 * characters but tab and newline, bounded length). Text leaves for a terminal
 * only through text_sanitize() or text_fit(), which never emit a control
 * byte, whatever older data or another writer left in the database.
 */
#ifndef LEADBOARD_TEXT_H
#define LEADBOARD_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "leadboard/status.h"

/* Decode one UTF-8 sequence at s (n bytes available). Returns its length
 * and stores the code point, or returns 0 for an invalid or truncated
 * sequence (overlong forms, surrogates and values past U+10FFFF included). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Whether s is valid UTF-8 throughout. */
bool utf8_valid(const char *s, size_t n);

/* Characters that change how the text around them shows without showing
 * themselves: bidi controls (U+202A-202E, U+2066-2069, U+061C), zero-width
 * characters (U+200B-200F, U+2060-2064, U+FEFF), deprecated format
 * controls (U+206A-206F) and tag characters (U+E0000-E007F). */
bool text_is_invisible(uint32_t cp);

/* Check a field for storage: at most max bytes, valid UTF-8, no C0 control
 * but tab and newline, no DEL or C1 control, nothing text_is_invisible().
 * LB_DATA naming what (e.g. "name") and the problem otherwise. */
enum lb_status text_check_field(const char *what, const char *value, size_t max);

/* Copy s into out (size bytes, always terminated) so that it is safe on a
 * terminal: control characters, invisible ones and invalid bytes become
 * '?', tab and newline become spaces. Truncates at a character boundary.
 * Returns out. */
char *text_sanitize(const char *s, char *out, size_t size);

/* Columns s takes on a terminal after text_sanitize(). */
int text_width(const char *s);

/* Sanitize s and cut it to at most width columns, ending with "…" when cut;
 * never splits a character. With pad, fill with spaces to exactly width.
 * Returns the columns used. */
int text_fit(const char *s, int width, bool pad, char *out, size_t size);

/* Print s sanitized and, when it is narrower, padded with spaces to width
 * columns (as a terminal counts them, not bytes); never cut. */
void text_print_padded(FILE *out, const char *s, int width);

/* Write s as a JSON string literal (quoted; controls, invisible characters
 * and U+2028/2029 as \u escapes, invalid bytes as U+FFFD): never a raw
 * control byte. NULL or "" prints null when null_if_empty. */
void text_json_string(FILE *out, const char *s, bool null_if_empty);

/* Write s as one RFC 4180 CSV field. Cells a spreadsheet would run as a
 * formula (leading = + - @, tab or CR) get a leading apostrophe. What the
 * door would refuse (controls but tab and newline, invisible characters,
 * invalid UTF-8: only a hand-edited database has them) comes out as '?':
 * never a raw control byte. */
void text_csv_field(FILE *out, const char *s);

/* Undo text_csv_field()'s formula guard on an imported cell, in place. */
void text_csv_unguard(char *s);

/* Whether s, past any leading apostrophes, starts like a formula. */
bool text_csv_needs_guard(const char *s);

#endif
