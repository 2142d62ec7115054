/*
 * timeutil.h - times as UTC milliseconds since the epoch, and their text forms.
 */
#ifndef LEADBOARD_TIMEUTIL_H
#define LEADBOARD_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The wall clock, UTC milliseconds; or, for tests, the fixed ISO-8601 time in
 * LEADBOARD_TEST_NOW when the process is not elevated (privilege.h). */
int64_t time_now_ms(void);

/* Read LEADBOARD_TEST_NOW again at the next time_now_ms(): the environment
 * changed (a resident taking the next command's). */
void time_reread_environment(void);

/* ISO-8601 UTC with milliseconds: 2026-11-23T09:15:00.123Z (out: 32 bytes). */
char *time_format_iso(int64_t ms, char out[32]);

/* Local time for people: 2026-11-23 09:15 (out: 32 bytes). */
char *time_format_local(int64_t ms, char out[32]);

enum time_result {
	TIME_OK,
	TIME_MALFORMED,      /* neither form */
	TIME_NO_SUCH_TIME,   /* well formed, but the day or time does not exist (2026-02-30) */
};

/* Parse an ISO-8601 time (2026-11-01, 2026-11-01T09:00Z, 2026-11-01T09:00:00.5+01:00;
 * no zone means UTC) or a span back from now (30s, 90m, 24h, 7d, 2w). */
enum time_result time_read(const char *text, int64_t now_ms, int64_t *out);

/* time_read() == TIME_OK. */
bool time_parse(const char *text, int64_t now_ms, int64_t *out);

/* The same forms read forward, for a time to come: a span from now (2h,
 * 3d, 90m) or an ISO-8601 time. */
bool time_parse_forward(const char *text, int64_t now_ms, int64_t *out);

/* A short age for cards: "now", "12m", "5h", "3d", "8w", "2y" (out: 8 bytes). */
char *time_format_age(int64_t ms, char out[8]);

/* How long ago, for messages: "just now", "10 s ago", "3 min ago", "2 h ago",
 * "4 d ago" (out: 32 bytes). */
char *time_format_ago(int64_t ms, char out[32]);

/* A duration for reports: "45s", "12m", "5.5h", "3.2d" (out: 16 bytes). */
char *time_format_span(int64_t ms, char out[16]);

#endif
