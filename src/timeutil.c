/* timeutil.c - clock, ISO-8601 and relative times, ages for people. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "leadboard/privilege.h"
#include "leadboard/timeutil.h"

static enum time_result parse_iso(const char *p, int64_t *out);

/* LEADBOARD_TEST_NOW, read once: a fixed clock for tests whose screens and
 * logs must not depend on the day they run. Never in an elevated process
 * (privilege_start() also cuts it from a setgid process's environment). */
static enum { UNREAD, NONE, FIXED } fixed_state = UNREAD;
static int64_t fixed_ms;

void time_reread_environment(void)
{
	fixed_state = UNREAD;
}

static bool fixed_now(int64_t *out)
{
	if (fixed_state == UNREAD) {
		const char *text = getenv("LEADBOARD_TEST_NOW");
		bool usable = text && text[0] && !privilege_elevated() &&
			      parse_iso(text, &fixed_ms) == TIME_OK;

		fixed_state = usable ? FIXED : NONE;
	}
	*out = fixed_ms;
	return fixed_state == FIXED;
}

int64_t time_now_ms(void)
{
	struct timespec ts;
	int64_t fixed;

	if (fixed_now(&fixed))
		return fixed;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *time_format_iso(int64_t ms, char out[32])
{
	time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	int millis = (int)(ms - (int64_t)secs * 1000);
	struct tm tm;

	gmtime_r(&secs, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + strlen(out), 32 - strlen(out), ".%03dZ", millis);
	return out;
}

char *time_format_local(int64_t ms, char out[32])
{
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&secs, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
	return out;
}

/* Reads exactly n digits. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static int days_in_month(int y, int mo)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return mo == 2 && leap ? 29 : days[mo - 1];
}

static enum time_result parse_iso(const char *p, int64_t *out)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, s = 0, millis = 0, offset = 0;

	memset(&tm, 0, sizeof tm);
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
	    !digits(&p, 2, &d))
		return TIME_MALFORMED;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
			return TIME_MALFORMED;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &s))
				return TIME_MALFORMED;
			if (*p == '.') {
				int scale = 100;
				p++;
				if (!isdigit((unsigned char)*p))
					return TIME_MALFORMED;
				for (; isdigit((unsigned char)*p); p++, scale /= 10)
					millis += (*p - '0') * scale;
			}
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
			if (!digits(&p, 2, &oh))
				return TIME_MALFORMED;
			if (*p == ':')
				p++;
			if (*p && !digits(&p, 2, &om))
				return TIME_MALFORMED;
			if (om > 59)
				return TIME_NO_SUCH_TIME;
			offset = sign * (oh * 60 + om);
		}
	}
	if (*p)
		return TIME_MALFORMED;
	/* well formed, but no such moment: 2026-02-30, 25:00 */
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
	    s > 60 || offset < -23 * 60 - 59 || offset > 23 * 60 + 59)
		return TIME_NO_SUCH_TIME;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return TIME_MALFORMED;
	*out = ((int64_t)t - (int64_t)offset * 60) * 1000 + millis;
	return TIME_OK;
}

/* A span such as 90m, 24h or 7d, in milliseconds. */
static bool parse_span(const char *text, int64_t *ms)
{
	static const struct { char unit; int64_t ms; } units[] = {
		{ 's', 1000 }, { 'm', 60000 }, { 'h', 3600000 }, { 'd', 86400000 },
		{ 'w', 604800000 },
	};
	char *end;
	long long n;

	if (!isdigit((unsigned char)text[0]) || strlen(text) > 10)
		return false;
	n = strtoll(text, &end, 10);
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (end[0] == units[i].unit && end[1] == '\0' && end != text) {
			*ms = n * units[i].ms;
			return true;
		}
	}
	return false;
}

bool time_parse_forward(const char *text, int64_t now_ms, int64_t *out)
{
	int64_t span;

	if (parse_span(text, &span)) {
		*out = now_ms + span;
		return true;
	}
	return text[0] && parse_iso(text, out) == TIME_OK;
}

enum time_result time_read(const char *text, int64_t now_ms, int64_t *out)
{
	static const struct { char unit; int64_t ms; } units[] = {
		{ 's', 1000 }, { 'm', 60000 }, { 'h', 3600000 }, { 'd', 86400000 },
		{ 'w', 604800000 },
	};
	char *end;
	long long n;

	if (!text[0])
		return TIME_MALFORMED;
	if (isdigit((unsigned char)text[0]) && strlen(text) <= 10) {
		n = strtoll(text, &end, 10);
		for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
			if (end[0] == units[i].unit && end[1] == '\0' && end != text) {
				*out = now_ms - n * units[i].ms;
				return TIME_OK;
			}
		}
	}
	return parse_iso(text, out);
}

bool time_parse(const char *text, int64_t now_ms, int64_t *out)
{
	return time_read(text, now_ms, out) == TIME_OK;
}

char *time_format_age(int64_t ms, char out[8])
{
	int64_t s = ms / 1000;

	if (s < 60)
		snprintf(out, 8, "now");
	else if (s < 3600)
		snprintf(out, 8, "%dm", (int)(s / 60));
	else if (s < 86400)
		snprintf(out, 8, "%dh", (int)(s / 3600));
	else if (s < 86400 * 7 * 10)
		snprintf(out, 8, "%dd", (int)(s / 86400));
	else if (s < 86400 * 365 * 2)
		snprintf(out, 8, "%dw", (int)(s / (86400 * 7)));
	else
		snprintf(out, 8, "%dy", (int)(s / (86400 * 365) > 99 ? 99 : s / (86400 * 365)));
	return out;
}

char *time_format_ago(int64_t ms, char out[32])
{
	long long s = ms > 0 ? ms / 1000 : 0;

	if (s < 1)
		snprintf(out, 32, "just now");
	else if (s < 120)
		snprintf(out, 32, "%lld s ago", s);
	else if (s < 7200)
		snprintf(out, 32, "%lld min ago", s / 60);
	else if (s < 172800)
		snprintf(out, 32, "%lld h ago", s / 3600);
	else
		snprintf(out, 32, "%lld d ago", s / 86400);
	return out;
}

char *time_format_span(int64_t ms, char out[16])
{
	double s = (double)ms / 1000.0;

	if (s < 60)
		snprintf(out, 16, "%.0fs", s);
	else if (s < 3600)
		snprintf(out, 16, "%.0fm", s / 60);
	else if (s < 86400)
		snprintf(out, 16, "%.1fh", s / 3600);
	else
		snprintf(out, 16, "%.1fd", s / 86400);
	return out;
}
