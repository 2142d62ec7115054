/*
 * test_actions.c - the board's one table of actions and the man page's
 * BOARD KEYS section name the same keys: every key the board answers is
 * documented, and every key the man page lists is one the board answers.
 */
#include <ctype.h>

#include "testlib.h"

#include "ui/ui_impl.h"

#define MAN_PAGE "man/leadboard.1"

static char section[16384];

/* The text of the BOARD KEYS section, from .Sh BOARD KEYS to the next .Sh. */
static int load_section(void **state)
{
	FILE *f = fopen(MAN_PAGE, "r");
	char line[1024];
	bool inside = false;
	size_t used = 0;

	(void)state;
	if (!f) {
		fprintf(stderr, "# cannot open %s (run from the source tree)\n", MAN_PAGE);
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, ".Sh ", 4) == 0)
			inside = strcmp(line, ".Sh BOARD KEYS\n") == 0;
		else if (inside && used + strlen(line) < sizeof section)
			used += (size_t)snprintf(section + used, sizeof section - used, "%s", line);
	}
	fclose(f);
	return used ? 0 : -1;
}

/* Whether word stands in the section as a whole word (between spaces,
 * commas, line ends or the start of a macro line). */
static bool documented(const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(section, word); p; p = strstr(p + 1, word)) {
		bool start = p == section || strchr(" \n,", p[-1]);
		bool end = strchr(" \n,", p[n]) != NULL;
		if (start && end)
			return true;
	}
	return false;
}

/* How the man page spells a key code. */
static const char *key_word(int key, char buf[8])
{
	static const struct { int key; const char *word; } named[] = {
		{ KEY_LEFT, "Left" }, { KEY_RIGHT, "Right" }, { KEY_UP, "Up" }, { KEY_DOWN, "Down" },
		{ KEY_PPAGE, "PgUp" }, { KEY_NPAGE, "PgDn" }, { KEY_HOME, "Home" }, { KEY_END, "End" },
		{ '\n', "Enter" }, { '\r', "Enter" }, { KEY_ENTER, "Enter" }, { 27, "Esc" },
		{ ' ', "Space" }, { 2, "^B" }, { 6, "^F" },
	};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (named[i].key == key)
			return named[i].word;
	if (key > ' ' && key < 127) {
		snprintf(buf, 8, "%c", key);
		return buf;
	}
	return NULL;
}

static void test_every_key_is_documented(void **state)
{
	int missing = 0;
	char buf[8];

	(void)state;
	for (const struct ui_action *a = ui_actions; a->name; a++) {
		for (int k = 0; k < 4 && a->keys[k]; k++) {
			const char *word = key_word(a->keys[k], buf);
			if (!word) {
				fprintf(stderr, "# action %s: key %d has no name here\n", a->name,
					a->keys[k]);
				missing++;
			} else if (!documented(word)) {
				fprintf(stderr, "# action %s: key '%s' is not in BOARD KEYS\n", a->name,
					word);
				missing++;
			}
		}
		assert_non_null(a->help);
		assert_true(a->help[0] != '\0');
	}
	assert_int_equal(missing, 0);
}

static bool bound(int key)
{
	for (const struct ui_action *a = ui_actions; a->name; a++)
		for (int k = 0; k < 4 && a->keys[k]; k++)
			if (a->keys[k] == key)
				return true;
	return false;
}

/* Every single-character key on an .It line is one the board answers. */
static void test_every_documented_key_exists(void **state)
{
	char copy[sizeof section];
	char *line_state, *word_state;
	int unknown = 0;

	(void)state;
	memcpy(copy, section, sizeof copy);
	for (char *line = strtok_r(copy, "\n", &line_state); line;
	     line = strtok_r(NULL, "\n", &line_state)) {
		if (strncmp(line, ".It ", 4) != 0)
			continue;
		for (char *tok = strtok_r(line + 4, " ,", &word_state); tok;
		     tok = strtok_r(NULL, " ,", &word_state)) {
			if (strncmp(tok, "\\&", 2) == 0)     /* mdoc's \& before punctuation */
				tok += 2;
			if (strlen(tok) == 1 && isgraph((unsigned char)tok[0]) && !bound(tok[0])) {
				fprintf(stderr, "# BOARD KEYS lists '%s', which no action binds\n", tok);
				unknown++;
			}
		}
	}
	assert_int_equal(unknown, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key_is_documented),
		cmocka_unit_test(test_every_documented_key_exists),
	};
	return cmocka_run_group_tests_name("actions", tests, load_section, NULL);
}
