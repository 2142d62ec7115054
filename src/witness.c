/* witness.c - the log's head to syslog(3), for verify --anchors. */
#include <inttypes.h>
#include <stdbool.h>
#include <syslog.h>

#include "leadboard/witness.h"

void witness_syslog(int64_t seq, const char *hash)
{
	static bool opened;

	if (!opened) {
		/* no LOG_CONS: never write to the console instead */
		openlog("leadboard", LOG_PID, LOG_AUTHPRIV);
		opened = true;
	}
	syslog(LOG_AUTHPRIV | LOG_INFO, "anchor %" PRId64 ":%.64s", seq, hash);
}
