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
#include <sys/stat.h>
#include <sys/types.h>

#include "leadboard/status.h"

/* The shared database of a team host's build (make install-shared):
 * STATEDIR/leadboard.db, or STATEDIR/leadboard.conf when that names a
 * PostgreSQL database; "" in a personal build. */
extern const char privilege_shared_db[];

/* Whether the process runs with a group or user its real user does not have
 * (a setgid or setuid binary). */
bool privilege_elevated(void);

/* First thing in main(). When elevated: no core dumps and no tracing by the
 * user, umask 007 (so -wal/-shm stay readable by the group), descriptors
 * 0-2 open, and the environment cut down to TERM, LANG, LC_*, COLUMNS,
 * LINES, NO_COLOR, TZ and HOME (plus LEADBOARD_DB, which later costs the
 * group, and LEADBOARD_RESIDENT, which can only turn residents off). Not
 * elevated: changes nothing. LB_SOFTWARE when a step fails. */
enum lb_status privilege_start(void);

/* The environment cut down as privilege_start() cuts it, when elevated:
 * for a resident (src/cli/resident.c) taking on a command's environment. */
void privilege_cut_environment(void);

/* Where to open the database, decided before opening it. */
struct privilege_db {
	char path[4096];   /* what SQLite opens: the compiled-in path when shared */
	bool shared;       /* the group is kept: the shared database, and only it */
	dev_t dev;         /* the shared database's file, when shared */
	ino_t ino;
};

/* Before opening the database named path. The group is kept only when
 * path (from the compiled-in default or --db, from_option) names, without
 * a ".." or a symbolic link on the way, the very file the compiled-in path
 * names; SQLite then gets the compiled-in path, so renaming the user's
 * folders later changes nothing. Anything else (LEADBOARD_DB, any other
 * file, a file that does not exist yet) gives the group up for good and is
 * opened as the user. LB_NOPERM when a ".." or a link (or LEADBOARD_DB)
 * leads to the shared database; LB_SOFTWARE when the group cannot be
 * dropped (the caller must not go on). Not elevated: path as it is. */
enum lb_status privilege_settle_db(const char *path, bool from_option, struct privilege_db *db);

/* After opening: opened (fstat of the descriptor SQLite has open, or NULL
 * when unknown) must be the file privilege_settle_db() kept the group for.
 * LB_NOPERM otherwise; always LB_OK for a database opened as the user. */
enum lb_status privilege_confirm_db(const struct privilege_db *db, const struct stat *opened);

/* open(2) a file the user named (import FILE, verify --anchors FILE, ...)
 * with the real uid and gid only: the leadboard group, still held for the
 * shared database, lends no access to it. Returns the descriptor (close-on-
 * exec) or -1 with errno, as open(2) does. */
int privilege_open_user_file(const char *path, int flags, mode_t mode);

/* privilege_open_user_file() for reading a file the user named as input,
 * with the failure said for lb_fail(): LB_NOPERM when the user may not read
 * it, LB_NOINPUT when it cannot be opened or is a directory ("PATH is a
 * directory", then ", not KIND" when kind is given). *st describes the
 * file opened (all zero when fstat() fails). */
enum lb_status privilege_open_user_input(const char *path, const char *kind, int *fd,
					 struct stat *st);

/* Give up the extra group (and user) for good; afterwards the process
 * cannot get them back. */
enum lb_status privilege_drop(void);

#endif
