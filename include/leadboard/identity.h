/*
 * identity.h - who is at the keyboard: the real uid's login, never $USER.
 */
#ifndef LEADBOARD_IDENTITY_H
#define LEADBOARD_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "leadboard/status.h"

/* The login of the real uid (getpwuid(getuid())). LB_NOPERM when the uid
 * has no login. */
enum lb_status identity_real_login(char *out, size_t size);

/* Whether the real user may act as someone else with --as on the database
 * whose open file is opened (fstat of the descriptor SQLite has open; NULL
 * when unknown): root, always; nobody else while the process holds a group
 * or user the real user lacks (a shared install), whatever the path; and
 * otherwise the owner of that very file, who can write it directly anyway. */
bool identity_may_impersonate(const struct stat *opened);

#endif
