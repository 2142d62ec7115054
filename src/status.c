/* status.c - the last failure's message, kept for whoever reports it. */
#include <stdarg.h>
#include <stdio.h>

#include "leadboard/status.h"

static char last_message[1024];

enum lb_status lb_fail(enum lb_status status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_message, sizeof last_message, fmt, ap);
	va_end(ap);
	return status;
}

const char *lb_message(enum lb_status status)
{
	if (last_message[0])
		return last_message;
	switch (status) {
	case LB_OK: return "ok";
	case LB_USAGE: return "usage error";
	case LB_DATA: return "invalid data";
	case LB_NOINPUT: return "not found";
	case LB_TEMPFAIL: return "busy; try again";
	case LB_NOPERM: return "not permitted";
	case LB_SOFTWARE: break;
	}
	return "internal error";
}

void lb_clear(void)
{
	last_message[0] = '\0';
}
