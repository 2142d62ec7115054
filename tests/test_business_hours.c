/*
 * test_business_hours.c - business hours as tables: schedules read and
 * refused, and the business time between two instants across a weekend and
 * both changes of daylight saving time (Europe/Berlin and America/New_York,
 * 2026), worked out by hand from the local clocks; then the three
 * functions checked against each other on instants all through a year.
 */
#include <time.h>

#include "testlib.h"

#include "leadboard/business_hours.h"
#include "leadboard/timeutil.h"

#define H 3600000LL
#define M 60000LL

static int64_t at(const char *iso)
{
	int64_t ms;

	assert_true(time_parse(iso, 0, &ms));
	return ms;
}

static struct business_hours schedule(const char *text)
{
	struct business_hours h;
	char message[256];

	if (!business_hours_parse(text, &h, message, sizeof message))
		fail_msg("'%s' should parse: %s", text, message);
	return h;
}

static void test_parse(void **state)
{
	static const struct {
		const char *text;
		bool ok;
		int monday, saturday, sunday;   /* spans on those days */
		int first_start, first_end;     /* Monday's first span, minutes */
		const char *message;            /* part of the refusal */
	} rows[] = {
		{ "24x7", true, 0, 0, 0, 0, 0, NULL },
		{ "Mon-Fri 09:00-17:00", true, 1, 0, 0, 540, 1020, NULL },
		{ "mon-fri 09:00-17:00", true, 1, 0, 0, 540, 1020, NULL },
		{ "Mon-Fri 09:00-12:00, Mon-Fri 13:00-17:30; Sat 10:00-14:00", true, 2, 1, 0, 540,
		  720, NULL },
		{ "Mon-Fri 09:00-12:00, Mon 11:00-13:00", true, 1, 0, 0, 540, 780, NULL },
		{ "Mon-Fri 09:00-12:00, Mon 12:00-13:00", true, 1, 0, 0, 540, 780, NULL },
		{ "Fri-Mon 10:00-11:00", true, 1, 1, 1, 600, 660, NULL },
		{ "Sun 00:00-24:00", true, 0, 0, 1, 0, 0, NULL },
		{ "  Tue 08:00-09:00 ; ", true, 0, 0, 0, 0, 0, NULL },
		{ "", false, 0, 0, 0, 0, 0, "needs some hours" },
		{ "Mon-Fry 09:00-17:00", false, 0, 0, 0, 0, 0, "days are Mon..Sun" },
		{ "Mon-Fri", false, 0, 0, 0, 0, 0, "days and hours" },
		{ "Mon-Fri 9:00-17:00", false, 0, 0, 0, 0, 0, "HH:MM-HH:MM" },
		{ "Mon-Fri 09:00-24:30", false, 0, 0, 0, 0, 0, "HH:MM-HH:MM" },
		{ "Mon-Fri 17:00-09:00", false, 0, 0, 0, 0, 0, "end after they start" },
		{ "Mon 09:00-09:00", false, 0, 0, 0, 0, 0, "end after they start" },
		{ "Mon 01:00-02:00, Mon 03:00-04:00, Mon 05:00-06:00, Mon 07:00-08:00, "
		  "Mon 09:00-10:00", false, 0, 0, 0, 0, 0, "at most 4" },
		{ "always", false, 0, 0, 0, 0, 0, "days and hours" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct business_hours h;
		char message[256] = "";
		bool ok = business_hours_parse(rows[i].text, &h, message, sizeof message);

		if (ok != rows[i].ok)
			fail_msg("row %zu '%s': parsed %d (%s)", i, rows[i].text, ok, message);
		if (!ok) {
			if (!strstr(message, rows[i].message))
				fail_msg("row %zu: '%s' lacks '%s'", i, message, rows[i].message);
			continue;
		}
		assert_int_equal(h.always, strcmp(rows[i].text, "24x7") == 0);
		assert_int_equal(h.count[1], rows[i].monday);
		assert_int_equal(h.count[6], rows[i].saturday);
		assert_int_equal(h.count[0], rows[i].sunday);
		if (rows[i].monday) {
			assert_int_equal(h.spans[1][0].start, rows[i].first_start);
			assert_int_equal(h.spans[1][0].end, rows[i].first_end);
		}
	}
}

static void test_zones(void **state)
{
	(void)state;
	assert_true(business_zone_valid("Europe/Berlin"));
	assert_true(business_zone_valid("America/Argentina/Buenos_Aires"));
	assert_true(business_zone_valid("Etc/GMT+3"));
	assert_true(business_zone_valid("UTC"));
	assert_false(business_zone_valid(""));
	assert_false(business_zone_valid("/etc/passwd"));
	assert_false(business_zone_valid("Europe/../../etc/passwd"));
	assert_false(business_zone_valid("Europe//Berlin"));
	assert_false(business_zone_valid("Europe/Berlin/"));
	assert_false(business_zone_valid("CET-1CEST,M3.5.0,M10.5.0/3"));
	assert_false(business_zone_valid("Europe/Berlin\n"));
	assert_true(business_zone_known("UTC"));
	assert_true(business_zone_known("Europe/Berlin"));
	assert_true(business_zone_known("America/New_York"));
	assert_false(business_zone_known("Europe/Atlantis"));
	assert_false(business_zone_known("Europe"));     /* a folder, not a zone */
}

/* The business time between two instants, worked out from the local clocks. */
static const struct between_row {
	const char *hours, *zone, *from, *to;
	int64_t expected;
	const char *why;
} between_rows[] = {
	{ "24x7", "Europe/Berlin", "2026-03-27T15:00Z", "2026-03-30T08:00Z", 65 * H,
	  "24x7 is the wall clock" },
	{ "Mon-Fri 09:00-17:00", "Europe/Berlin", "2026-03-27T15:00Z", "2026-03-30T08:00Z", 2 * H,
	  "Fri 16:00 CET to Mon 10:00 CEST: an hour each side of a weekend that changes the clocks" },
	{ "Mon-Fri 09:00-17:00", "Europe/Berlin", "2026-05-08T14:00Z", "2026-05-11T08:00Z", 2 * H,
	  "Fri 16:00 to Mon 10:00 CEST: the weekend counts nothing" },
	{ "Mon-Fri 09:00-17:00", "Europe/Berlin", "2026-05-09T10:00Z", "2026-05-10T20:00Z", 0,
	  "inside a weekend: nothing" },
	{ "Mon-Sun 00:00-24:00", "Europe/Berlin", "2026-03-28T11:00Z", "2026-03-30T10:00Z", 47 * H,
	  "Sat 12:00 to Mon 12:00 over the spring change: 47 real hours" },
	{ "Mon-Sun 00:00-24:00", "Europe/Berlin", "2026-10-24T10:00Z", "2026-10-26T11:00Z", 49 * H,
	  "Sat 12:00 to Mon 12:00 over the autumn change: 49 real hours" },
	{ "Sun 00:00-24:00", "Europe/Berlin", "2026-03-25T00:00Z", "2026-04-02T00:00Z", 23 * H,
	  "the Sunday that springs forward has 23 hours" },
	{ "Sun 00:00-24:00", "Europe/Berlin", "2026-10-21T00:00Z", "2026-10-29T00:00Z", 25 * H,
	  "the Sunday that falls back has 25 hours" },
	{ "Sun 01:00-04:00", "Europe/Berlin", "2026-03-28T00:00Z", "2026-03-30T00:00Z", 2 * H,
	  "01:00 to 04:00 across the skipped hour is two hours" },
	{ "Sun 01:00-04:00", "Europe/Berlin", "2026-10-24T00:00Z", "2026-10-26T00:00Z", 4 * H,
	  "01:00 to 04:00 across the repeated hour is four hours" },
	{ "Mon-Fri 09:00-17:00", "Europe/Berlin", "2026-06-02T06:00Z", "2026-06-02T08:30Z",
	  90 * M, "Tue 08:00 to 10:30: from the opening on" },
	{ "Mon-Fri 09:00-17:00", "Europe/Berlin", "2026-06-02T14:00Z", "2026-06-03T07:15Z",
	  75 * M, "Tue 16:00 to Wed 09:15: the night counts nothing" },
	{ "Mon-Fri 09:00-17:00", "America/New_York", "2026-03-06T21:00Z", "2026-03-09T14:00Z",
	  2 * H, "New York: Fri 16:00 EST to Mon 10:00 EDT" },
	{ "Mon-Fri 09:00-17:00", "America/New_York", "2026-10-30T20:00Z", "2026-11-02T15:00Z",
	  2 * H, "New York: Fri 16:00 EDT to Mon 10:00 EST" },
	{ "Mon-Fri 09:00-17:00", "UTC", "2026-10-30T16:00Z", "2026-11-02T10:00Z", 2 * H,
	  "UTC: Fri 16:00 to Mon 10:00" },
	{ "Mon-Fri 09:00-12:00, Mon-Fri 13:00-17:00; Sat 10:00-14:00", "Europe/Berlin",
	  "2026-06-05T09:00Z", "2026-06-08T09:00Z", 11 * H,
	  "Fri 11:00 to Mon 11:00 with lunch and a Saturday morning" },
	{ "Fri-Mon 10:00-11:00", "UTC", "2026-06-04T00:00Z", "2026-06-10T00:00Z", 4 * H,
	  "a range that wraps over the weekend" },
	{ "Mon-Fri 09:00-17:00", "Europe/Berlin", "2026-06-02T08:00Z", "2026-06-02T08:00Z", 0,
	  "an empty stretch" },
	{ "Mon-Fri 09:00-17:00", "Europe/Berlin", "2026-06-02T09:00Z", "2026-06-02T08:00Z", 0,
	  "backwards" },
};

static void test_between(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof between_rows / sizeof between_rows[0]; i++) {
		const struct between_row *r = &between_rows[i];
		struct business_hours h = schedule(r->hours);
		int64_t got = business_ms_between(&h, r->zone, at(r->from), at(r->to));

		if (got != r->expected)
			fail_msg("row %zu (%s): %lld ms, expected %lld", i, r->why, (long long)got,
				 (long long)r->expected);
	}
}

/* Deadlines and starts from instants inside business hours land on the
 * other end exactly. */
static void test_deadline_and_start(void **state)
{
	static const struct {
		const char *hours, *zone, *from, *to;
		int64_t ms;
	} rows[] = {
		{ "Mon-Fri 09:00-17:00", "Europe/Berlin", "2026-03-27T15:00Z", "2026-03-30T08:00Z",
		  2 * H },
		{ "Mon-Fri 09:00-17:00", "Europe/Berlin", "2026-10-23T14:00Z", "2026-10-26T10:00Z",
		  3 * H },   /* Fri 16:00 CEST + 3 h: Mon 11:00 CET */
		{ "Mon-Fri 09:00-17:00", "Europe/Berlin", "2026-03-27T15:30Z", "2026-03-30T07:30Z",
		  1 * H },   /* Fri 16:30 + 1 h: Mon 09:30 */
		{ "Mon-Fri 09:00-17:00", "Europe/Berlin", "2026-06-01T07:00Z", "2026-06-03T15:00Z",
		  24 * H },  /* Mon 09:00 + 24 business hours: Wed 17:00 */
		{ "24x7", "Europe/Berlin", "2026-03-28T12:00Z", "2026-03-29T12:00Z", 24 * H },
		{ "Mon-Fri 09:00-17:00", "America/New_York", "2026-03-06T21:00Z",
		  "2026-03-09T14:00Z", 2 * H },
	};
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct business_hours h = schedule(rows[i].hours);
		int64_t from = at(rows[i].from), to = at(rows[i].to);

		if (business_deadline(&h, rows[i].zone, from, rows[i].ms) != to)
			fail_msg("row %zu: deadline %lld, expected %lld", i,
				 (long long)business_deadline(&h, rows[i].zone, from, rows[i].ms),
				 (long long)to);
		if (business_start_before(&h, rows[i].zone, to, rows[i].ms) != from)
			fail_msg("row %zu: start %lld, expected %lld", i,
				 (long long)business_start_before(&h, rows[i].zone, to, rows[i].ms),
				 (long long)from);
	}
	/* From inside a weekend the clock starts on Monday morning. */
	{
		struct business_hours h = schedule("Mon-Fri 09:00-17:00");
		assert_int_equal(business_deadline(&h, "Europe/Berlin", at("2026-03-28T12:00Z"), H),
				 at("2026-03-30T08:00Z"));   /* Mon 10:00 CEST */
		assert_int_equal(business_start_before(&h, "Europe/Berlin", at("2026-03-29T12:00Z"),
						       H),
				 at("2026-03-27T15:00Z"));   /* Fri 16:00 CET */
		assert_int_equal(business_start_before(&h, "Europe/Berlin", at("2026-03-29T12:00Z"),
						       0),
				 at("2026-03-29T12:00Z"));
	}
}

/* Through a year of instants (every 7 h 13 min, so every hour of the week
 * and both changes come up): a start found for ms ends ms before to, and a
 * deadline ms after from; every business time is at most the wall time. */
static void test_consistent(void **state)
{
	static const char *const zones[] = { "Europe/Berlin", "America/New_York" };
	struct business_hours h = schedule("Mon-Fri 09:00-17:00, Sat 10:00-13:00");
	int64_t start = at("2026-01-01T00:00Z"), step = 7 * H + 13 * M;
	(void)state;

	for (size_t z = 0; z < 2; z++) {
		for (int64_t t = start; t < start + 366 * 24 * H; t += step) {
			int64_t ms = (t / step % 40 + 1) * 30 * M;
			int64_t s = business_start_before(&h, zones[z], t, ms);
			int64_t d = business_deadline(&h, zones[z], t, ms);

			assert_int_equal(business_ms_between(&h, zones[z], s, t), ms);
			assert_int_equal(business_ms_between(&h, zones[z], t, d), ms);
			assert_true(business_ms_between(&h, zones[z], s, t) <= t - s);
			/* the latest such start: a minute later is short */
			assert_true(business_ms_between(&h, zones[z], s + M, t) < ms);
			assert_true(business_ms_between(&h, zones[z], t, d - M) < ms);
		}
	}
}

/* The process's own zone is back after every call. */
static void test_zone_restored(void **state)
{
	struct business_hours h = schedule("Mon-Fri 09:00-17:00");
	char before[32], after[32];
	(void)state;

	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	time_format_local(at("2026-06-02T00:00Z"), before);
	business_ms_between(&h, "Europe/Berlin", at("2026-06-01T00:00Z"), at("2026-06-09T00:00Z"));
	business_deadline(&h, "America/New_York", at("2026-06-01T00:00Z"), 5 * H);
	time_format_local(at("2026-06-02T00:00Z"), after);
	assert_string_equal(getenv("TZ"), "Asia/Tokyo");
	assert_string_equal(after, before);
	assert_string_equal(after, "2026-06-02 09:00");
	unsetenv("TZ");
	tzset();
	business_ms_between(&h, "Europe/Berlin", at("2026-06-01T00:00Z"), at("2026-06-09T00:00Z"));
	assert_null(getenv("TZ"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_between),
		cmocka_unit_test(test_deadline_and_start),
		cmocka_unit_test(test_consistent),
		cmocka_unit_test(test_zone_restored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
