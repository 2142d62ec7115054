/*
 * test_audit.c - the hash schemes against fixed vectors, the checks a
 * stored event row must pass, and reading anchors from text.
 *
 * The scheme 1 vector is an event written by leadboard before schema
 * migration 2 (its hash as that version stored it); the scheme 2 vectors
 * were computed by hand from the layout described in audit.h, outside
 * leadboard.
 */
#include "testlib.h"

#include "leadboard/anchor.h"
#include "leadboard/audit.h"

static struct store_value text(const char *s)
{
	return (struct store_value){ .type = STORE_TEXT, .bytes = s, .len = strlen(s) };
}

static struct store_value integer(int64_t n)
{
	return (struct store_value){ .type = STORE_INTEGER, .integer = n, .bytes = "" };
}

static const struct store_value null_value = { .type = STORE_NULL, .bytes = "" };

/* A handoff, event 5 of a board. */
static void sample_row(struct store_value row[EVENT_COL_COUNT], int scheme)
{
	row[EVENT_COL_SEQ] = integer(5);
	row[EVENT_COL_AT] = integer(1796181405993);
	row[EVENT_COL_ACTOR] = text("maya");
	row[EVENT_COL_REAL_USER] = text("root");
	row[EVENT_COL_LEAD_ID] = text("df0f1864-8dd9-4791-9477-0331011c8ec6");
	row[EVENT_COL_KIND] = text("handoff");
	row[EVENT_COL_FROM_STAGE] = text("mql");
	row[EVENT_COL_TO_STAGE] = text("sql");
	row[EVENT_COL_REASON] = null_value;
	row[EVENT_COL_NOTE] = null_value;
	row[EVENT_COL_RULE] = null_value;
	row[EVENT_COL_HASH_SCHEME] = integer(scheme);
	row[EVENT_COL_PREV_HASH] =
		text("78fb33cd179a38a3178c485c78bbe46ebc4bd04ae0bf7d466b22804f5b307c40");
	row[EVENT_COL_HASH] = text("");
}

static void test_hash_vectors(void **state)
{
	struct store_value row[EVENT_COL_COUNT];
	char hash[65];

	(void)state;
	sample_row(row, 1);
	assert_true(audit_hash_row(row, hash));
	assert_string_equal(hash, "0629b6b9bf79f81d6eb9ef8df9059b4aa9127f52639da3833a8f5f72805a0be0");

	sample_row(row, 2);
	assert_true(audit_hash_row(row, hash));
	assert_string_equal(hash, "4965b750fe0a68e623b8812539fd0e88f98456ab2a56361cbf39df9ed42baf5e");

	/* scheme 2 sees a real where scheme 1 saw the same integer */
	row[EVENT_COL_AT] = (struct store_value){ .type = STORE_REAL, .real = 1796181405993.5,
						  .bytes = "" };
	assert_true(audit_hash_row(row, hash));
	assert_string_equal(hash, "4da161b493299e8f54b64bf974b82521cd9a80f5d6b7b53b1e11e8e3e7b7e02f");

	row[EVENT_COL_HASH_SCHEME] = integer(3);
	assert_false(audit_hash_row(row, hash));
}

/* Scheme 2 tells apart what scheme 1 did not: NULL and "", text after a
 * NUL, a value moved from one field to the next. */
static void test_scheme_2_is_unambiguous(void **state)
{
	struct store_value row[EVENT_COL_COUNT];
	char plain[65], changed[65], v1_plain[65], v1_changed[65];
	static const char with_nul[] = "later\0hidden";

	(void)state;
	sample_row(row, 2);
	audit_hash_row(row, plain);
	row[EVENT_COL_REASON] = text("");
	audit_hash_row(row, changed);
	assert_string_not_equal(plain, changed);

	sample_row(row, 1);
	audit_hash_row(row, v1_plain);
	row[EVENT_COL_REASON] = text("");
	audit_hash_row(row, v1_changed);
	assert_string_equal(v1_plain, v1_changed);   /* why scheme 2 exists */

	sample_row(row, 2);
	row[EVENT_COL_NOTE] = text("later");
	audit_hash_row(row, plain);
	row[EVENT_COL_NOTE] = (struct store_value){ .type = STORE_TEXT, .bytes = with_nul,
						    .len = sizeof with_nul - 1 };
	audit_hash_row(row, changed);
	assert_string_not_equal(plain, changed);

	sample_row(row, 2);
	row[EVENT_COL_FROM_STAGE] = text("mqls");
	row[EVENT_COL_TO_STAGE] = text("ql");
	audit_hash_row(row, changed);
	sample_row(row, 2);
	audit_hash_row(row, plain);
	assert_string_not_equal(plain, changed);
}

/* What the door writes is what the hash covers: an appended event's hash
 * is audit_hash_row() of the row as stored. */
static void test_written_row_is_hashed_row(void **state)
{
	struct lb_event e;
	struct store_value row[EVENT_COL_COUNT];
	char hash[65];

	(void)state;
	memset(&e, 0, sizeof e);
	e.seq = 9;
	e.at = 1234;
	snprintf(e.actor, sizeof e.actor, "sam");
	snprintf(e.kind, sizeof e.kind, "claim");
	snprintf(e.prev_hash, sizeof e.prev_hash, "%s", audit_genesis);
	audit_event_row(&e, row);
	assert_int_equal(row[EVENT_COL_NOTE].type, STORE_NULL);
	assert_int_equal(row[EVENT_COL_ACTOR].type, STORE_TEXT);
	assert_int_equal(row[EVENT_COL_HASH_SCHEME].integer, AUDIT_SCHEME);
	audit_hash(&e, e.hash);
	assert_true(audit_hash_row(row, hash));
	assert_string_equal(hash, e.hash);
}

static void collect(const char *column, const char *problem, void *ctx)
{
	char *out = ctx;
	size_t used = strlen(out);

	snprintf(out + used, 2048 - used, "%s %s\n", column, problem);
}

static void test_stored_values(void **state)
{
	static const char with_nul[] = "later\0hidden";
	static const char not_utf8[] = "caf\xe9";
	char long_note[AUDIT_NOTE_MAX + 2];
	struct store_value row[EVENT_COL_COUNT];
	char out[2048] = "";

	(void)state;
	sample_row(row, 2);
	row[EVENT_COL_HASH] = text("4965b750fe0a68e623b8812539fd0e88f98456ab2a56361cbf39df9ed42baf5e");
	assert_int_equal(audit_check_row(row, collect, out), 0);

	memset(long_note, 'x', sizeof long_note - 1);
	long_note[sizeof long_note - 1] = '\0';
	row[EVENT_COL_AT] = (struct store_value){ .type = STORE_REAL, .real = 12.5, .bytes = "" };
	row[EVENT_COL_ACTOR] = null_value;
	row[EVENT_COL_REAL_USER] = text("");
	row[EVENT_COL_LEAD_ID] = text("DF0F1864-8DD9-4791-9477-0331011C8EC6");
	row[EVENT_COL_FROM_STAGE] = (struct store_value){ .type = STORE_TEXT, .bytes = with_nul,
							  .len = sizeof with_nul - 1 };
	row[EVENT_COL_TO_STAGE] = (struct store_value){ .type = STORE_BLOB, .bytes = "sql",
							.len = 3 };
	row[EVENT_COL_REASON] = text(not_utf8);
	row[EVENT_COL_NOTE] = text(long_note);
	row[EVENT_COL_HASH_SCHEME] = text("2");
	row[EVENT_COL_PREV_HASH] = text("not a hash");
	assert_int_equal(audit_check_row(row, collect, out), 10);
	assert_string_equal(out,
			    "at is stored as a real (12.5), not an integer\n"
			    "actor is NULL\n"
			    "real_user is an empty string (leadboard stores none as NULL)\n"
			    "lead_id is not a lower-case UUID\n"
			    "from_stage holds a NUL byte at byte 6 (text hidden after it)\n"
			    "to_stage is stored as a blob, not text\n"
			    "reason is not valid UTF-8\n"
			    "note is 4001 bytes, over its limit of 4000\n"
			    "hash_scheme is stored as text, not an integer\n"
			    "prev_hash is not 64 lower-case hex digits\n");
}

static void test_anchor_text(void **state)
{
	static const char hash[] = "0629b6b9bf79f81d6eb9ef8df9059b4aa9127f52639da3833a8f5f72805a0be0";
	struct anchor_set set = { 0 };
	struct anchor a;
	char line[256], hex[65];

	(void)state;
	snprintf(line, sizeof line, "5:%s", hash);
	assert_true(anchor_parse(line, &a));
	assert_int_equal(a.seq, 5);
	anchor_hex(a.hash, hex);
	assert_string_equal(hex, hash);
	assert_false(anchor_parse("5", &a));
	assert_false(anchor_parse("0:0629b6b9bf79f81d6eb9ef8df9059b4aa9127f52639da3833a8f5f72805a0be0", &a));
	assert_false(anchor_parse("x5:0629b6b9bf79f81d6eb9ef8df9059b4aa9127f52639da3833a8f5f72805a0be0", &a));
	snprintf(line, sizeof line, "5:%s0", hash);
	assert_false(anchor_parse(line, &a));

	/* lines of a system log, and the output of verify */
	snprintf(line, sizeof line, "Dec 02 10:00:00 host leadboard[42]: anchor 9:%s", hash);
	assert_int_equal(anchor_set_add_text(&set, line, strlen(line)), LB_OK);
	snprintf(line, sizeof line, "anchor 5:%s", hash);
	assert_int_equal(anchor_set_add_text(&set, line, strlen(line)), LB_OK);
	assert_int_equal(anchor_set_add_text(&set, line, strlen(line)), LB_OK);
	snprintf(line, sizeof line, "unanchor 6:%s and anchor 7:%.60s", hash, hash);
	assert_int_equal(anchor_set_add_text(&set, line, strlen(line)), LB_OK);
	assert_int_equal(anchor_set_add_text(&set, "no anchors here", 15), LB_OK);
	assert_int_equal(set.count, 3);
	anchor_set_sort(&set);
	assert_int_equal(set.count, 2);   /* the same anchor twice is one */
	assert_int_equal(set.items[0].seq, 5);
	assert_int_equal(set.items[1].seq, 9);
	assert_int_equal(set.lines, 5);
	anchor_set_free(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_vectors),
		cmocka_unit_test(test_scheme_2_is_unambiguous),
		cmocka_unit_test(test_written_row_is_hashed_row),
		cmocka_unit_test(test_stored_values),
		cmocka_unit_test(test_anchor_text),
	};
	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
