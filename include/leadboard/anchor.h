/*
 * anchor.h - witnesses of the audit log kept outside the database.
 *
 * An anchor "SEQ:HASH" records that event SEQ had hash HASH. Because each
 * hash covers every event before it, one anchor vouches for the whole log up
 * to SEQ: a database whose event SEQ is gone, has another hash, or no longer
 * links to the head fails verify (verify.h). verify prints the head as
 * "anchor SEQ:HASH"; a shared install writes the same words to the system
 * log after every change (witness.h), and verify --anchors reads any text
 * holding them.
 *
 * No I/O: the caller reads the text and hands it over line by line.
 */
#ifndef LEADBOARD_ANCHOR_H
#define LEADBOARD_ANCHOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leadboard/status.h"

/* The most anchors one verify takes (memory: 40 bytes each). */
#define ANCHOR_MAX 4000000

struct anchor {
	int64_t seq;
	uint8_t hash[32];
};

/* Anchors in seq order once anchor_set_sort() has run. */
struct anchor_set {
	struct anchor *items;
	size_t count, capacity;
	size_t lines;    /* lines read by anchor_set_add_text() */
};

/* "SEQ:HASH" (SEQ from 1, HASH 64 hex digits, either case) into out. */
bool anchor_parse(const char *text, struct anchor *out);

/* Add one anchor. LB_DATA past ANCHOR_MAX, LB_SOFTWARE when out of memory. */
enum lb_status anchor_set_add(struct anchor_set *set, const struct anchor *anchor);

/* Add every "anchor SEQ:HASH" found in a line of text (len bytes; other
 * text around them, as in a system log, is ignored). */
enum lb_status anchor_set_add_text(struct anchor_set *set, const char *line, size_t len);

/* Sort by seq and drop repeats of the same anchor. */
void anchor_set_sort(struct anchor_set *set);

void anchor_set_free(struct anchor_set *set);

/* HASH as 64 lower-case hex digits. */
void anchor_hex(const uint8_t hash[32], char out[65]);

/* 64 hex digits into 32 bytes; false when text is not that. */
bool anchor_unhex(const char *text, uint8_t out[32]);

#endif
