/* shared_db.c - the shared database a team host's binary has compiled in.
 *
 * A file of its own, and the only one that sees LEADBOARD_SHARED_DB: make
 * install-shared compiles just this file again and links it with the objects
 * of the personal build, instead of building everything a second time. */
#include "leadboard/privilege.h"

#ifndef LEADBOARD_SHARED_DB
#define LEADBOARD_SHARED_DB ""
#endif

const char privilege_shared_db[] = LEADBOARD_SHARED_DB;
