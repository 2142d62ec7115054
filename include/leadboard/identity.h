/*
 * identity.h - who is at the keyboard: the real uid's login, never $USER.
 */
#ifndef LEADBOARD_IDENTITY_H
#define LEADBOARD_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "leadboard/status.h"

/* The login of the real uid (getpwuid(getuid())). LB_NOPERM when the uid
 * has no login. */
enum lb_status identity_real_login(char *out, size_t size);

/* Whether the real user may act as someone else with --as: root, or the
 * owner of the database file (who can write it anyway). */
bool identity_may_impersonate(const char *db_path);

#endif
