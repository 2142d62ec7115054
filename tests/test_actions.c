/*
 * test_actions.c - the board's one table of actions is the only list of
 * keys: the man page's BOARD KEYS section lists the same actions in the same
 * order and groups, each with the same keys and word for word the same
 * text, and the status line's hints come from the table too.
 *
 * The man page is read as mdoc: ".Ss GROUP", then ".It KEY , KEY" and the
 * entry's text lines up to the next .It or .El. Entries are compared whole,
 * key by key and text against text, so a word that happens to appear in the
 * prose (the article "a" for the a key) proves nothing.
 */
#include <ctype.h>

#include "testlib.h"

#include "ui/ui_impl.h"

#define MAN_PAGE "man/leadboard.1"
#define ENTRIES_MAX 64

struct entry {
	char group[64];
	char keys[128];       /* key names, ", "-separated: "Left, h" */
	char text[1024];      /* the text lines joined by single spaces */
	int line;             /* of the .It in the man page */
};

static struct entry man[ENTRIES_MAX];
static int man_count;

/* mdoc escapes the entries use: \& (nothing), \- (a minus) and \e. */
static void unescape(const char *in, char *out, size_t size)
{
	size_t used = 0;

	while (*in && used + 1 < size) {
		if (in[0] == '\\' && in[1] == '&') {
			in += 2;
		} else if (in[0] == '\\' && in[1] == '-') {
			out[used++] = '-';
			in += 2;
		} else if (in[0] == '\\' && in[1] == 'e') {
			out[used++] = '\\';
			in += 2;
		} else {
			out[used++] = *in++;
		}
	}
	out[used] = '\0';
}

static void append(char *to, size_t size, const char *sep, const char *text)
{
	size_t used = strlen(to);

	snprintf(to + used, size - used, "%s%s", used ? sep : "", text);
}

/* The entries of the BOARD KEYS section, from .Sh BOARD KEYS to the next .Sh. */
static int load_man(void **state)
{
	FILE *f = fopen(MAN_PAGE, "r");
	char line[1024], plain[1024], group[64] = "";
	struct entry *open_entry = NULL;
	bool inside = false;
	int number = 0;

	(void)state;
	if (!f) {
		fprintf(stderr, "# cannot open %s (run from the source tree)\n", MAN_PAGE);
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		number++;
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, ".Sh ", 4) == 0) {
			inside = strcmp(line, ".Sh BOARD KEYS") == 0;
			open_entry = NULL;
			continue;
		}
		if (!inside)
			continue;
		if (strncmp(line, ".Ss ", 4) == 0) {
			snprintf(group, sizeof group, "%.63s", line + 4);
			open_entry = NULL;
		} else if (strncmp(line, ".It ", 4) == 0) {
			char *save, copy[1024];
			if (man_count == ENTRIES_MAX)
				break;
			open_entry = &man[man_count++];
			memset(open_entry, 0, sizeof *open_entry);
			snprintf(open_entry->group, sizeof open_entry->group, "%s", group);
			open_entry->line = number;
			unescape(line + 4, copy, sizeof copy);
			for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
				if (strcmp(tok, ",") != 0)
					append(open_entry->keys, sizeof open_entry->keys, ", ", tok);
		} else if (line[0] == '.') {
			/* .Bl, .El and anything else end an entry's text */
			open_entry = NULL;
		} else if (open_entry) {
			unescape(line, plain, sizeof plain);
			append(open_entry->text, sizeof open_entry->text, " ", plain);
		}
	}
	fclose(f);
	return man_count ? 0 : -1;
}

/* How the man page names a key code. */
static const char *man_key_name(int key, char buf[8])
{
	static const struct { int key; const char *name; } named[] = {
		{ KEY_LEFT, "Left" }, { KEY_RIGHT, "Right" }, { KEY_UP, "Up" }, { KEY_DOWN, "Down" },
		{ KEY_PPAGE, "PgUp" }, { KEY_NPAGE, "PgDn" }, { KEY_HOME, "Home" }, { KEY_END, "End" },
		{ '\n', "Enter" }, { '\r', "Enter" }, { KEY_ENTER, "Enter" }, { 27, "Esc" },
		{ ' ', "Space" }, { 2, "^B" }, { 6, "^F" }, { 12, "^L" },
	};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (named[i].key == key)
			return named[i].name;
	if (key > ' ' && key < 127) {
		snprintf(buf, 8, "%c", key);
		return buf;
	}
	return NULL;
}

/* An action as the man page should list it (Enter once for its three codes). */
static void expected(const struct ui_action *a, struct entry *e)
{
	char buf[8], last[16] = "";

	memset(e, 0, sizeof *e);
	snprintf(e->group, sizeof e->group, "%s", a->group);
	snprintf(e->text, sizeof e->text, "%s", a->help);
	for (int k = 0; k < 4 && a->keys[k]; k++) {
		const char *name = man_key_name(a->keys[k], buf);
		assert_non_null(name);
		if (strcmp(name, last) == 0)
			continue;
		append(e->keys, sizeof e->keys, ", ", name);
		snprintf(last, sizeof last, "%s", name);
	}
}

static void test_man_page_lists_the_table(void **state)
{
	int count = 0, differences = 0;

	(void)state;
	for (const struct ui_action *a = ui_actions; a->name; a++, count++) {
		struct entry want;
		const struct entry *got = count < man_count ? &man[count] : NULL;

		expected(a, &want);
		if (got && strcmp(got->group, want.group) == 0 && strcmp(got->keys, want.keys) == 0 &&
		    strcmp(got->text, want.text) == 0)
			continue;
		differences++;
		fprintf(stderr, "# action %d (%s): the man page should have, in .Ss %s,\n"
				"#   .It %s\n#   %s\n", count + 1, a->name, want.group, want.keys,
			want.text);
		if (got)
			fprintf(stderr, "# but line %d has, in .Ss %s,\n#   .It %s\n#   %s\n",
				got->line, got->group, got->keys, got->text);
		else
			fprintf(stderr, "# but the man page has no entry for it\n");
	}
	for (int i = count; i < man_count; i++, differences++)
		fprintf(stderr, "# line %d lists .It %s, which no action of the table has\n",
			man[i].line, man[i].keys);
	assert_int_equal(differences, 0);
	assert_int_equal(man_count, count);
}

/* The comparison itself can fail: a made-up entry differing in one key or
 * one word does not pass for the real one. */
static void test_comparison_is_exact(void **state)
{
	const struct ui_action *assign = NULL;
	struct entry want;

	(void)state;
	for (const struct ui_action *a = ui_actions; a->name; a++)
		if (strcmp(a->name, "assign") == 0)
			assign = a;
	assert_non_null(assign);
	expected(assign, &want);
	assert_string_equal(want.keys, "a");
	for (int i = 0; i < man_count; i++) {
		if (strcmp(man[i].text, want.text) != 0)
			continue;
		assert_string_equal(man[i].keys, "a");
		assert_string_not_equal(man[i].keys, "A");
		return;
	}
	fail_msg("the man page has no entry with the assign action's text");
}

/* Every key the board answers is in the table once per view: no key is
 * bound twice where only the first would ever run. */
static void test_no_key_bound_twice(void **state)
{
	(void)state;
	for (const struct ui_action *a = ui_actions; a->name; a++)
		for (const struct ui_action *b = a + 1; b->name; b++)
			for (int i = 0; i < 4 && a->keys[i]; i++)
				for (int j = 0; j < 4 && b->keys[j]; j++)
					if (a->keys[i] == b->keys[j] && (a->views & b->views)) {
						fprintf(stderr, "# key %d: %s and %s\n", a->keys[i],
							a->name, b->name);
						fail();
					}
}

/* The status line's hints: from the table, each hinted key one the view
 * answers. */
static void test_hints(void **state)
{
	char hints[256];

	(void)state;
	ui_hints(VIEW_LOG, hints, sizeof hints);
	assert_string_equal(hints, "\u2191\u2193 event  Enter lead  / text  t kind  w who  s since  "
				   "x clear  Esc back");
	ui_hints(VIEW_HELP, hints, sizeof hints);
	assert_string_equal(hints, "\u2191\u2193 scroll  Esc back");
	for (const struct ui_action *a = ui_actions; a->name; a++)
		for (int v = 0; v < VIEW_COUNT; v++)
			if (a->hint[v]) {
				assert_non_null(a->hint_keys);
				assert_true(a->views & ON(v));
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_man_page_lists_the_table),
		cmocka_unit_test(test_comparison_is_exact),
		cmocka_unit_test(test_no_key_bound_twice),
		cmocka_unit_test(test_hints),
	};
	return cmocka_run_group_tests_name("actions", tests, load_man, NULL);
}
