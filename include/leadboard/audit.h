/*
 * audit.h - the hash chain over the audit log.
 *
 * Each event's hash is SHA-256 over its content and the previous event's
 * hash, so editing, removing or reordering any row breaks every hash after
 * it. The schema's triggers make the table append-only; the chain catches a
 * writer that went around them.
 */
#ifndef LEADBOARD_AUDIT_H
#define LEADBOARD_AUDIT_H

#include "leadboard/status.h"
#include "leadboard/store.h"

/* prev_hash of the first event. */
extern const char audit_genesis[65];

/* The hash an event must carry, from all its fields but hash itself
 * (lower-case hex, 64 characters). */
void audit_hash(const struct lb_event *event, char out[65]);

/* Recompute the whole chain and run PRAGMA integrity_check. LB_DATA naming
 * the first bad row otherwise. *events gets the number of events checked. */
enum lb_status audit_verify(struct store *store, int64_t *events);

#endif
