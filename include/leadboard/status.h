/*
 * status.h - one status enum for the whole program, mapped to sysexits codes.
 *
 * Functions that can fail return an lb_status. The one that detects the
 * failure records a human sentence with lb_fail(); the caller that reports
 * (the command line or the board's status line) reads it with lb_message().
 */
#ifndef LEADBOARD_STATUS_H
#define LEADBOARD_STATUS_H

enum lb_status {
	LB_OK = 0,
	LB_USAGE = 64,     /* bad command line */
	LB_DATA = 65,      /* invalid data, or a rule about the data */
	LB_NOINPUT = 66,   /* no such lead or file */
	LB_SOFTWARE = 70,  /* internal error */
	LB_TEMPFAIL = 75,  /* busy, or changed under you: retry */
	LB_NOPERM = 77,    /* not permitted for who you are */
};

/* Record why an operation failed and return status. The text is one line,
 * without the "leadboard: " prefix. */
enum lb_status lb_fail(enum lb_status status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The message of the most recent lb_fail(), or a generic sentence for the
 * status when none was recorded since lb_clear(). */
const char *lb_message(enum lb_status status);

/* Forget the recorded message. */
void lb_clear(void);

#endif
