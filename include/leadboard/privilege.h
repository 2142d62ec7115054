/*
 * privilege.h - running setgid on a team host without lending the group out.
 *
 * A shared install is setgid to the group that owns the shared database
 * (see "A team on one host" in README.md). The group is for that database
 * alone: identity still comes from the real uid (identity.h), and any other
 * database is opened as the plain user. A personal build is not setgid and
 * these calls change nothing for it.
 */
#ifndef LEADBOARD_PRIVILEGE_H
#define LEADBOARD_PRIVILEGE_H

#include <stdbool.h>

#include "leadboard/status.h"

/* Whether the process runs with a group or user its real user does not have
 * (a setgid or setuid binary). */
bool privilege_elevated(void);

/* First thing in main(). When elevated: no core dumps and no tracing by the
 * user, umask 007 (so -wal/-shm stay readable by the group), descriptors
 * 0-2 open, and the environment cut down to TERM, LANG, LC_*, COLUMNS,
 * LINES, NO_COLOR, TZ and HOME (plus LEADBOARD_DB, which later costs the
 * group). Not elevated: changes nothing. LB_SOFTWARE when a step fails. */
enum lb_status privilege_start(void);

/* Before opening the database at path: the group is kept only for a file
 * that exists directly in the shared state directory and was named by the
 * compiled-in default or by --db (from_option); LEADBOARD_DB, any other
 * place, or a file that would be created drops it for good. LB_SOFTWARE
 * when the group cannot be dropped (the caller must not go on). */
enum lb_status privilege_settle_db(const char *path, bool from_option);

/* Give up the extra group (and user) for good; afterwards the process
 * cannot get them back. */
enum lb_status privilege_drop(void);

#endif
