/*
 * witness.h - the head of the audit log, written where board members
 * cannot rewrite it.
 *
 * On a shared install the door calls witness_syslog() after every commit
 * that appended events: one line "anchor SEQ:HASH" to the system log
 * (ident leadboard, facility authpriv), which only root can edit. Those
 * lines are what verify --anchors reads (anchor.h). Writing is best effort:
 * with no system log running the line is lost, and verify then counts the
 * events at the tail that no witness covers.
 */
#ifndef LEADBOARD_WITNESS_H
#define LEADBOARD_WITNESS_H

#include <stdint.h>

/* Log "anchor SEQ:HASH" to syslog(3), ident leadboard, facility authpriv. */
void witness_syslog(int64_t seq, const char *hash);

#endif
