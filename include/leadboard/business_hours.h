/*
 * business_hours.h - how much of a stretch of time falls in business hours.
 *
 * The SLA clocks (sla_accept_hours, sla_contact_hours) and the overdue
 * markers count only the hours of the agreement's week: `24x7`, or a weekly
 * schedule such as `Mon-Fri 09:00-17:00` read in an IANA time zone of the
 * system's tz database (`Europe/Berlin`). The local days are laid on the
 * real timeline with mktime(), so a day that loses or gains an hour at a
 * change of daylight saving time counts the hours it really has.
 *
 * A function of its arguments and the tz database: no clock, no state kept
 * between calls. The zone is set in TZ for the length of a call and the
 * process's own TZ put back after it (leadboard has one thread).
 */
#ifndef LEADBOARD_BUSINESS_HOURS_H
#define LEADBOARD_BUSINESS_HOURS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BUSINESS_SPANS_MAX 4      /* spans in one day */
#define BUSINESS_ZONE_MAX 64      /* bytes in a zone's name */

/* A stretch of a day, in minutes from local midnight: [start, end), end <= 1440. */
struct business_span {
	short start, end;
};

struct business_hours {
	bool always;                                    /* 24x7 */
	int count[7];                                   /* spans per weekday, Sunday = 0 */
	struct business_span spans[7][BUSINESS_SPANS_MAX];
};

/* Read a schedule: "24x7", or clauses "DAYS HH:MM-HH:MM" joined by ',' or
 * ';', DAYS a weekday (Mon..Sun) or a range of them (Mon-Fri, Sat-Sun,
 * Fri-Mon wraps), a time 00:00..24:00 with the end after the start
 * ("Mon-Fri 09:00-12:00, Mon-Fri 13:00-17:30; Sat 10:00-14:00"). False with
 * a sentence in message when it is not one or has no hour at all. */
bool business_hours_parse(const char *text, struct business_hours *out, char *message,
			  size_t size);

/* Whether zone is spelled as an IANA zone name ("UTC", "Europe/Berlin",
 * "America/Argentina/Buenos_Aires"): letters, digits, '_', '+', '-' and '/'
 * between names, no "..". Says nothing of whether it exists. */
bool business_zone_valid(const char *zone);

/* Whether zone is in the system's tz database (a file under TZDIR or
 * /usr/share/zoneinfo); "UTC" always is. */
bool business_zone_known(const char *zone);

/* Milliseconds of business hours in [from, to), UTC ms; 0 when to <= from. */
int64_t business_ms_between(const struct business_hours *hours, const char *zone, int64_t from,
			    int64_t to);

/* The latest instant t <= to with business_ms_between(t, to) >= ms: what
 * happened at or before it has been waiting ms of business hours at to.
 * ms <= 0 gives to. */
int64_t business_start_before(const struct business_hours *hours, const char *zone, int64_t to,
			      int64_t ms);

/* The earliest instant t >= from with business_ms_between(from, t) >= ms:
 * when ms of business hours have passed since from. */
int64_t business_deadline(const struct business_hours *hours, const char *zone, int64_t from,
			  int64_t ms);

#endif
