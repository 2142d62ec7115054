/*
 * verify.h - everything leadboard can prove about a database, in one pass.
 *
 * In one read snapshot: PRAGMA integrity_check; the schema's triggers
 * (the append-only ones above all) as schema.sql defines them; every event
 * row's types, lengths and bytes (audit.h); the hash chain from the genesis
 * hash to the head, with no seq missing; the anchors given (anchor.h): each
 * anchored event present, with the witnessed hash, and linked to the head;
 * and a replay of the log from empty (replay.h) compared with every lead
 * in the leads table, field by field.
 *
 * Every problem is reported, not only the first, each as one sentence that
 * names the event, the lead and field, the anchor or the trigger. Without
 * anchors the chain proves only that the log is consistent: whoever can
 * write the file can recompute it. With an anchor at SEQ kept where they
 * cannot write, events 1..SEQ are proven; events after the newest anchor
 * are counted as unwitnessed.
 */
#ifndef LEADBOARD_VERIFY_H
#define LEADBOARD_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leadboard/anchor.h"
#include "leadboard/status.h"
#include "leadboard/store.h"

struct verify_options {
	const struct anchor_set *anchors;   /* NULL or sorted (anchor_set_sort) */
	bool strict;                        /* events after the newest anchor are a problem */
	void (*problem)(const char *text, void *ctx);   /* called for each problem */
	void *ctx;
};

struct verify_result {
	int64_t events;          /* rows in the log */
	int64_t head_seq;        /* the newest event (0: an empty log) */
	char head_hash[65];
	int64_t scheme2_from;    /* the first event hashed with scheme 2 (0: none) */
	int64_t leads;           /* leads compared with their events */
	int64_t stage_only;      /* of those, created under hash scheme 1: stage compared */
	int triggers;            /* triggers the schema defines */
	size_t anchors_held;     /* anchors whose event is there with the witnessed hash */
	int64_t witnessed;       /* the newest such event, linked to the head (0: none) */
	int64_t problems;
};

/* Run every check. LB_OK when nothing is wrong; LB_DATA when something is
 * (each problem went to options->problem); LB_SOFTWARE and others when the
 * database could not be read to the end. */
enum lb_status verify_run(struct store *store, const struct verify_options *options,
			  struct verify_result *result);

#endif
