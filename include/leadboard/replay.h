/*
 * replay.h - a lead's state as its events determine it.
 *
 * Replaying the audit log from empty, one event at a time, gives every
 * lead's stage, owner, counters, version, last reason and note and times;
 * verify (verify.h) compares that with the leads table, so a lead changed
 * without an event is caught. replay_apply() is the whole rule book of what
 * each event kind does to a lead, one case per kind: a new kind is a new
 * case here and a row in tests/test_replay.c (the switch has no default, so
 * the compiler names a kind without one). A merge changes two leads with
 * one event: replay_apply() takes the lead that leaves, replay_apply_keep()
 * the lead kept (the event's note names it: event_merge_target()). A kind that reverses an earlier
 * event (undo) needs the lead's state before that event: replay the lead's
 * events up to it, or keep the states it passed through.
 *
 * No I/O: the caller reads the events and keeps the states. Names (stages,
 * logins, reason codes) are kept once each in a replay_names table and
 * referred to by number, so that a million leads fit in memory.
 */
#ifndef LEADBOARD_REPLAY_H
#define LEADBOARD_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leadboard/lead.h"
#include "leadboard/status.h"
#include "leadboard/store.h"

/* ---- names ------------------------------------------------------------------ */

struct replay_names;

/* An empty table (name 0 is ""); NULL when out of memory. */
struct replay_names *replay_names_new(void);
void replay_names_free(struct replay_names *names);

/* The number of a name, added when new; UINT32_MAX when out of memory. */
uint32_t replay_name(struct replay_names *names, const char *name);

/* The name a number stands for. */
const char *replay_name_text(const struct replay_names *names, uint32_t number);

/* ---- a lead's state ------------------------------------------------------------- */

enum replay_flags {
	REPLAY_CREATED = 1 << 0,     /* a create event was seen */
	REPLAY_STAGE_ONLY = 1 << 1,  /* created under hash scheme 1: only the stage is known */
	REPLAY_LOST = 1 << 2,        /* its events made no sense; nothing to compare */
	REPLAY_MATCHED = 1 << 3,     /* for the caller: found in the leads table */
};

struct replay_lead {
	uint32_t stage, owner, last_reason;   /* replay_name() numbers; 0: none */
	uint32_t merged_into;                 /* replay_name() of the kept lead's id */
	uint32_t flags;
	int32_t recycle_count, handoff_count;
	int64_t version;
	int64_t created_at, updated_at, stage_entered_at, handed_off_at;  /* 0: never */
	uint8_t last_note[16];                /* replay_note_digest(); all zero: none */
	int64_t created_by;                   /* seq of its create event */
	int32_t contact_attempts;             /* since its last handoff */
	int64_t first_contact_at, last_contact_at, next_step_at;   /* 0: none */
	int64_t owner_since, escalated_at;    /* 0: none */
	/* What the lead was before its newest event (an undo reverses only
	   that one, rules.c): that event's seq (0: nothing to put back) and
	   the fields an undo puts back. */
	struct replay_prior {
		int64_t seq;
		uint32_t stage, owner, last_reason;
		int32_t recycle_count, handoff_count;
		int64_t stage_entered_at, handed_off_at;
		uint8_t last_note[16];
	} prior;
};

/* The fields of an event replay reads; strings are "" for NULL. */
struct replay_event {
	int64_t seq, at;
	int64_t scheme;   /* hash_scheme */
	const char *actor, *lead_id, *kind, *from_stage, *to_stage, *reason, *note;
	const char *rule;   /* a contact's next step (replay_next_step_rule) */
};

/* Apply one event about a lead to its state (all zero before its first
 * event). LB_DATA with a sentence in problem when the event does not fit
 * the state (a second create, a move from a stage the lead is not in, an
 * event before the create, an unknown kind); the state then takes what it
 * can. LB_SOFTWARE when out of memory. board gives the teams of stages. */
enum lb_status replay_apply(struct replay_names *names, const struct lb_board *board,
			    struct replay_lead *lead, const struct replay_event *event,
			    char *problem, size_t size);

/* The other half of a merge event: its effect on the lead kept (keep),
 * from the state of the lead that left (other, as it was before the
 * event). LB_DATA with a sentence in problem when the kept lead cannot
 * take it (never created, or off the board). */
enum lb_status replay_apply_keep(const struct replay_names *names, struct replay_lead *keep,
				 const struct replay_lead *other, const struct replay_event *event,
				 char *problem, size_t size);

/* Whether events of this kind are about a lead (false for user, setting,
 * reason and stage changes); false for an unknown kind. */
bool replay_kind_has_lead(const char *kind, bool *known);

/* Compare a state with the lead's stored columns: fn(field, expected,
 * found) for each that differs (texts quoted, none as "(none)"). Only the
 * stage for a REPLAY_STAGE_ONLY lead. Returns how many differ. */
int replay_compare(const struct replay_names *names, const struct replay_lead *lead,
		   const struct store_value row[LEAD_COL_COUNT],
		   void (*fn)(const char *field, const char *expected, const char *found,
			      void *ctx),
		   void *ctx);

/* ---- what a create event says about the lead's start ---------------------------- */

/*
 * A create event's note states where a lead starts when that is not a
 * fresh lead's start (no owner, no counters, version 1, every time the
 * event's), as "key=value" words: owner= (a rep's own lead), and for an
 * admin restoring an export recycle_count=, handoff_count=, version=,
 * created_at=, updated_at=, stage_entered_at=, handed_off_at=,
 * owner_since= (when not the event's time), contact_attempts=,
 * first_contact_at=, last_contact_at=, next_step_at=, escalated_at=,
 * last_reason=, merged_into=, and last_note= last, running to the end.
 */

/* The note for a lead created at at ("" for a fresh lead). */
void replay_start_note(const struct lead *lead, int64_t at, char *out, size_t size);

/* The rule of a contact event that plans a next step at next_ms ("next
 * step at 2026-11-03T09:00:00.000Z"); "" when none is planned. */
void replay_next_step_rule(int64_t next_ms, char *out, size_t size);

/* The next step a contact event's rule plans (0: none); false when the
 * rule is neither "" nor one replay_next_step_rule() writes. */
bool replay_next_step_of(const char *rule, int64_t *next_ms);

/* A digest of a last_note, to compare without keeping the text. */
void replay_note_digest(const char *note, size_t len, uint8_t out[16]);

#endif
