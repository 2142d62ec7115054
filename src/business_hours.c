/* business_hours.c - business milliseconds between instants, in a zone's local week. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "leadboard/business_hours.h"

#define DAY_MINUTES 1440
/* Walking day by day gives up after this many days (a schedule always has
 * some hours, so only an absurd span gets here). */
#define DAYS_MAX (366 * 120)

/* ---- the schedule ------------------------------------------------------------- */

static const char *const day_names[7] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

static int day_of(const char *text, size_t len)
{
	if (len != 3)
		return -1;
	for (int i = 0; i < 7; i++)
		if (strncasecmp(text, day_names[i], 3) == 0)
			return i;
	return -1;
}

/* "HH:MM", 00:00..24:00, as minutes. */
static int minutes_of(const char *p, size_t len)
{
	int h, m;

	if (len != 5 || !isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
	    p[2] != ':' || !isdigit((unsigned char)p[3]) || !isdigit((unsigned char)p[4]))
		return -1;
	h = (p[0] - '0') * 10 + (p[1] - '0');
	m = (p[3] - '0') * 10 + (p[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

static int by_start(const void *a, const void *b)
{
	return ((const struct business_span *)a)->start - ((const struct business_span *)b)->start;
}

/* Add [start, end) to a day, merging it with spans it touches. */
static bool add_span(struct business_hours *h, int day, int start, int end)
{
	struct business_span spans[BUSINESS_SPANS_MAX + 1];
	int n = h->count[day], merged = 0;

	memcpy(spans, h->spans[day], (size_t)n * sizeof spans[0]);
	spans[n].start = (short)start;
	spans[n].end = (short)end;
	qsort(spans, (size_t)n + 1, sizeof spans[0], by_start);
	for (int i = 0; i <= n; i++) {
		if (merged && spans[i].start <= spans[merged - 1].end) {
			if (spans[i].end > spans[merged - 1].end)
				spans[merged - 1].end = spans[i].end;
			continue;
		}
		if (merged == BUSINESS_SPANS_MAX)
			return false;
		spans[merged++] = spans[i];
	}
	memcpy(h->spans[day], spans, (size_t)merged * sizeof spans[0]);
	h->count[day] = merged;
	return true;
}

static bool fail(char *message, size_t size, const char *what, const char *text, size_t len)
{
	snprintf(message, size, "%s '%.*s'%s", what, (int)(len > 40 ? 40 : len), text,
		 len > 40 ? "..." : "");
	return false;
}

/* One clause: "DAYS HH:MM-HH:MM". */
static bool parse_clause(const char *p, size_t len, struct business_hours *h, char *message,
			 size_t size)
{
	size_t days_len = 0, dash;
	int first, last, start, end;
	const char *times;

	while (days_len < len && p[days_len] != ' ' && p[days_len] != '\t')
		days_len++;
	times = p + days_len;
	while (times < p + len && (*times == ' ' || *times == '\t'))
		times++;
	if (days_len == len || times == p + len)
		return fail(message, size, "a clause is days and hours, like 'Mon-Fri 09:00-17:00', not",
			    p, len);
	dash = strcspn(p, "-");
	if (dash < days_len) {
		first = day_of(p, dash);
		last = day_of(p + dash + 1, days_len - dash - 1);
	} else {
		first = last = day_of(p, days_len);
	}
	if (first < 0 || last < 0)
		return fail(message, size, "days are Mon..Sun or a range like Mon-Fri, not", p,
			    days_len);
	len -= (size_t)(times - p);
	dash = strcspn(times, "-");
	if (dash >= len)
		return fail(message, size, "hours are HH:MM-HH:MM, not", times, len);
	start = minutes_of(times, dash);
	end = minutes_of(times + dash + 1, len - dash - 1);
	if (start < 0 || end < 0)
		return fail(message, size, "hours are HH:MM-HH:MM from 00:00 to 24:00, not", times,
			    len);
	if (end <= start)
		return fail(message, size, "hours must end after they start (split a night in two), not",
			    times, len);
	for (int d = first;; d = (d + 1) % 7) {
		if (!add_span(h, d, start, end)) {
			snprintf(message, size, "at most %d stretches of hours in a day",
				 BUSINESS_SPANS_MAX);
			return false;
		}
		if (d == last)
			break;
	}
	return true;
}

bool business_hours_parse(const char *text, struct business_hours *out, char *message,
			  size_t size)
{
	const char *p = text;
	int total = 0;

	memset(out, 0, sizeof *out);
	if (strcasecmp(text, "24x7") == 0) {
		out->always = true;
		return true;
	}
	while (*p) {
		size_t len = strcspn(p, ",;");
		const char *next = p + len + (p[len] ? 1 : 0);

		while (len && isspace((unsigned char)*p))
			p++, len--;
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		if (len && !parse_clause(p, len, out, message, size))
			return false;
		p = next;
	}
	for (int d = 0; d < 7; d++)
		total += out->count[d];
	if (!total) {
		snprintf(message, size, "a schedule needs some hours, like 'Mon-Fri 09:00-17:00' "
					"(or 24x7)");
		return false;
	}
	return true;
}

/* ---- zones ------------------------------------------------------------------------ */

bool business_zone_valid(const char *zone)
{
	size_t n = strlen(zone);

	if (n == 0 || n > BUSINESS_ZONE_MAX || zone[0] == '/' || zone[0] == '-' ||
	    zone[n - 1] == '/' || strstr(zone, "//") || strstr(zone, ".."))
		return false;
	return strspn(zone, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-/") ==
	       n;
}

bool business_zone_known(const char *zone)
{
	char path[BUSINESS_ZONE_MAX + 64];
	struct stat st;

	if (!business_zone_valid(zone))
		return false;
	if (strcmp(zone, "UTC") == 0)
		return true;
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* TZ as it was before a call, put back after it. */
struct zone_guard {
	char *saved;        /* NULL: TZ was unset */
	bool changed;
};

static void zone_enter(struct zone_guard *g, const char *zone)
{
	const char *current = getenv("TZ");
	char want[BUSINESS_ZONE_MAX + 2];

	/* a leading ':' makes the C library read the name as a file of the
	 * tz database, never as a POSIX rule */
	snprintf(want, sizeof want, ":%s", zone && business_zone_valid(zone) ? zone : "UTC");
	g->saved = NULL;
	g->changed = false;
	if (current && strcmp(current, want) == 0)
		return;
	if (current && !(g->saved = strdup(current)))
		return;     /* out of memory: compute in the process's zone */
	setenv("TZ", want, 1);
	tzset();
	g->changed = true;
}

static void zone_leave(struct zone_guard *g)
{
	if (!g->changed)
		return;
	if (g->saved)
		setenv("TZ", g->saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(g->saved);
}

/* ---- the local days -------------------------------------------------------------- */

/* A local calendar day. */
struct day {
	int year, month, mday;   /* as struct tm has them: years since 1900, 0..11 */
	int wday;
};

/* The local day holding instant ms. */
static struct day day_holding(int64_t ms)
{
	time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	struct tm tm;
	struct day d;

	localtime_r(&t, &tm);
	d.year = tm.tm_year;
	d.month = tm.tm_mon;
	d.mday = tm.tm_mday;
	d.wday = tm.tm_wday;
	return d;
}

/* The instant of minute `minute` (0..1440) of the day `shift` days after d,
 * UTC ms; with day, that day itself. A local time that does not exist (the
 * hour skipped in spring) comes out as the time just after the gap. */
static int64_t local_instant(const struct day *d, int shift, int minute, struct day *day)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = d->year;
	tm.tm_mon = d->month;
	tm.tm_mday = d->mday + shift + minute / DAY_MINUTES;
	tm.tm_hour = minute % DAY_MINUTES / 60;
	tm.tm_min = minute % 60;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (day) {
		day->year = tm.tm_year;
		day->month = tm.tm_mon;
		day->mday = tm.tm_mday;
		day->wday = tm.tm_wday;
	}
	return (int64_t)t * 1000;
}

/* Span i of the day `shift` days after d, as [*a, *b) in UTC ms; false when
 * that day has no span i. */
static bool span_of(const struct business_hours *h, const struct day *d, int shift, int i,
		    int64_t *a, int64_t *b)
{
	struct day day;

	local_instant(d, shift, 0, &day);
	if (i >= h->count[day.wday])
		return false;
	*a = local_instant(d, shift, h->spans[day.wday][i].start, NULL);
	*b = local_instant(d, shift, h->spans[day.wday][i].end, NULL);
	if (*b < *a)
		*b = *a;
	return true;
}

static int spans_on(const struct business_hours *h, const struct day *d, int shift)
{
	struct day day;

	local_instant(d, shift, 0, &day);
	return h->count[day.wday];
}

int64_t business_ms_between(const struct business_hours *h, const char *zone, int64_t from,
			    int64_t to)
{
	struct zone_guard g;
	struct day first;
	int64_t total = 0, a, b;

	if (to <= from)
		return 0;
	if (h->always)
		return to - from;
	zone_enter(&g, zone);
	first = day_holding(from);
	/* the day before too: a local day can start before from's own */
	for (int shift = -1; shift < DAYS_MAX; shift++) {
		int n = spans_on(h, &first, shift);
		if (local_instant(&first, shift, 0, NULL) >= to)
			break;
		for (int i = 0; i < n && span_of(h, &first, shift, i, &a, &b); i++) {
			if (a < from)
				a = from;
			if (b > to)
				b = to;
			if (b > a)
				total += b - a;
		}
	}
	zone_leave(&g);
	return total;
}

int64_t business_start_before(const struct business_hours *h, const char *zone, int64_t to,
			      int64_t ms)
{
	struct zone_guard g;
	struct day last;
	int64_t left = ms, a, b, found = 0;

	if (ms <= 0)
		return to;
	if (h->always)
		return to - ms;
	zone_enter(&g, zone);
	last = day_holding(to);
	for (int shift = 1; shift > -DAYS_MAX && !found; shift--) {
		for (int i = spans_on(h, &last, shift) - 1; i >= 0; i--) {
			if (!span_of(h, &last, shift, i, &a, &b) || a >= to)
				continue;
			if (b > to)
				b = to;
			if (b - a >= left) {
				found = b - left;
				break;
			}
			left -= b - a;
		}
	}
	zone_leave(&g);
	/* found 0 (none): nothing that old, as if it were the epoch */
	return found;
}

int64_t business_deadline(const struct business_hours *h, const char *zone, int64_t from,
			  int64_t ms)
{
	struct zone_guard g;
	struct day first;
	int64_t left = ms, a, b, found = INT64_MAX;

	if (ms <= 0)
		return from;
	if (h->always)
		return from + ms;
	zone_enter(&g, zone);
	first = day_holding(from);
	for (int shift = -1; shift < DAYS_MAX && found == INT64_MAX; shift++) {
		int n = spans_on(h, &first, shift);
		for (int i = 0; i < n; i++) {
			if (!span_of(h, &first, shift, i, &a, &b) || b <= from)
				continue;
			if (a < from)
				a = from;
			if (b - a >= left) {
				found = a + left;
				break;
			}
			left -= b - a;
		}
	}
	zone_leave(&g);
	return found;
}
