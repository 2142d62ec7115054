/*
 * audit.h - the hash chain over the audit log: how an event is hashed, and
 * what a stored event row must look like.
 *
 * Each event's hash is SHA-256 over the event and the previous event's
 * hash, so editing, removing or reordering any row breaks every hash after
 * it. The schema's triggers make the table append-only; the chain catches a
 * writer that went around them, and anchors kept outside the file (verify.h)
 * catch one who recomputed the chain.
 *
 * Two schemes, named by each row's hash_scheme column:
 *   1  (before schema migration 2) each field as text, "length:bytes;",
 *      NULL and "" alike, integers in decimal;
 *   2  every stored column but hash, in column order, as one type byte
 *      ('N' NULL, 'I' integer, 'R' real, 'T' text, 'B' blob) and then
 *      8 bytes big-endian (an integer, a real's IEEE-754 bits, or the
 *      length of the bytes that follow). Nothing can read two ways.
 * Old events keep their scheme; new ones are written with AUDIT_SCHEME.
 */
#ifndef LEADBOARD_AUDIT_H
#define LEADBOARD_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "leadboard/status.h"
#include "leadboard/store.h"

#define AUDIT_SCHEME 2        /* the scheme new events are hashed with */
#define AUDIT_NOTE_MAX 4000   /* bytes in an event's note */
#define AUDIT_RULE_MAX 511    /* bytes in an event's rule */

/* prev_hash of the first event. */
extern const char audit_genesis[65];

/* An event as the store writes it: every column, with "" stored as NULL
 * where leadboard stores NULL, hash_scheme AUDIT_SCHEME. The strings point
 * into event. */
void audit_event_row(const struct lb_event *event, struct store_value row[EVENT_COL_COUNT]);

/* The hash a stored row must carry under its own hash_scheme (lower-case
 * hex). false when the scheme is not one this leadboard knows. */
bool audit_hash_row(const struct store_value row[EVENT_COL_COUNT], char out[65]);

/* The hash an event gets when appended now (audit_event_row, then
 * audit_hash_row). */
void audit_hash(const struct lb_event *event, char out[65]);

/* Check each stored column's type, length and bytes: integers where
 * integers belong, text without NUL bytes and in UTF-8, within its limit,
 * NULL rather than "" where leadboard writes NULL, hashes as 64 lower-case
 * hex digits. fn(column, problem) for each fault; returns how many. */
int audit_check_row(const struct store_value row[EVENT_COL_COUNT],
		    void (*fn)(const char *column, const char *problem, void *ctx), void *ctx);

/* The column's name in the events table. */
const char *audit_column_name(enum store_event_column column);

/* A lead id as leadboard writes one: a lower-case UUID. */
bool audit_is_lead_id(const char *bytes, size_t len);

#endif
