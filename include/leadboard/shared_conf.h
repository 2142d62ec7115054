/*
 * shared_conf.h - a team host's leadboard.conf: which database the shared
 * install uses when that is a server (PostgreSQL) rather than a file.
 *
 * The file (STATEDIR/leadboard.conf, root:leadboard, mode 0640) holds the
 * connection string, password included; only the setgid binary, while it
 * still holds the group, can read it. Lines are "database = TARGET"; blank
 * lines and lines starting with # are skipped.
 */
#ifndef LEADBOARD_SHARED_CONF_H
#define LEADBOARD_SHARED_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "leadboard/status.h"

/* Whether path names a leadboard.conf rather than a database file. */
bool shared_conf_is_conf(const char *path);

/* Read the database target from the file at path into out. LB_NOPERM when
 * the file cannot be read, LB_DATA when it names no database. */
enum lb_status shared_conf_read(const char *path, char *out, size_t size);

#endif
