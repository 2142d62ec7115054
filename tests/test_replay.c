/*
 * test_replay.c - what each event kind does to a lead, as a table.
 *
 * Each row: the lead before (or none), one event, the lead after and the
 * problem replay must name, if any. The expected states are written out by
 * hand from what the door does (door.c), not computed. A second table
 * follows contact with the lead (contact, escalate, reclaim, and what
 * claims, routing's assignments, handoffs and pass-backs do to it). Then
 * the create note's round trip, the comparison with a stored lead, and the
 * table of names.
 */
#include "testlib.h"

#include "leadboard/replay.h"

#define BEFORE 1000   /* every time of the lead before the event */
#define AT 2000       /* the event's time */
#define ID "3f2a9c1e-0000-4000-8000-000000000001"
#define KEEP "5b7d0e42-0000-4000-8000-000000000002"

static struct lb_board board;

static int setup(void **state)
{
	(void)state;
	testlib_default_board(&board);
	return 0;
}

struct lead_before {
	const char *stage;     /* NULL: no event about the lead yet */
	const char *owner;
	int recycle, handoff;
};

struct event_row {
	const char *kind, *actor, *from, *to, *reason, *note;
	int scheme;
};

struct lead_after {
	const char *stage, *owner;
	int recycle, handoff;
	int64_t version;
	const char *reason, *note;
	bool entered;          /* stage_entered_at is the event's time */
	bool handed;           /* handed_off_at is the event's time */
};

static const struct {
	const char *what;
	struct lead_before before;
	struct event_row event;
	struct lead_after after;
	const char *problem;   /* a part of the sentence, or NULL */
} rows[] = {
	{ "create, a fresh lead", { NULL, "", 0, 0 },
	  { "create", "maya", "", "lead", "", "", 2 },
	  { "lead", "", 0, 0, 1, "", "", true, false }, NULL },
	{ "create, a rep's own lead", { NULL, "", 0, 0 },
	  { "create", "sam", "", "sql", "", "owner=sam", 2 },
	  { "sql", "sam", 0, 0, 1, "", "", true, false }, NULL },
	{ "create, before scheme 2 (stage only)", { NULL, "", 0, 0 },
	  { "create", "sam", "", "sql", "", "", 1 },
	  { "sql", "", 0, 0, 1, "", "", true, false }, NULL },
	{ "create, a note that is not a state", { NULL, "", 0, 0 },
	  { "create", "maya", "", "lead", "", "owner=sam colour=red", 2 },
	  { "lead", "sam", 0, 0, 1, "", "", true, false }, "is not a starting state ('colour=red')" },
	{ "create, naming no stage", { NULL, "", 0, 0 },
	  { "create", "maya", "", "", "", "", 2 },
	  { "", "", 0, 0, 1, "", "", true, false }, "names no stage" },
	{ "create, twice", { "mql", "", 0, 0 },
	  { "create", "maya", "", "lead", "", "", 2 },
	  { "mql", "", 0, 0, 1, "", "", false, false }, "is created again (event 1 created it)" },
	{ "edit", { "mql", "", 0, 0 },
	  { "edit", "maya", "mql", "mql", "", "name: A -> B", 2 },
	  { "mql", "", 0, 0, 2, "", "", false, false }, NULL },
	{ "move inside marketing", { "lead", "", 0, 0 },
	  { "move", "maya", "lead", "mql", "", "", 2 },
	  { "mql", "", 0, 0, 2, "", "", true, false }, NULL },
	{ "move back inside sales keeps the owner", { "opportunity", "sam", 0, 1 },
	  { "move", "sam", "opportunity", "sql", "not-ready", "", 2 },
	  { "sql", "sam", 0, 1, 2, "", "", true, false }, NULL },
	{ "handoff", { "mql", "", 0, 0 },
	  { "handoff", "maya", "mql", "sql", "", "", 2 },
	  { "sql", "", 0, 1, 2, "", "", true, true }, NULL },
	{ "passback", { "sql", "sam", 0, 1 },
	  { "passback", "sam", "sql", "mql", "not-ready", "Call in spring", 2 },
	  { "mql", "", 1, 1, 2, "not-ready", "Call in spring", true, false }, NULL },
	{ "override across the handoff", { "lead", "", 0, 2 },
	  { "override", "mona", "lead", "sql", "", "Board decision", 2 },
	  { "sql", "", 0, 3, 2, "", "", true, true }, NULL },
	{ "override back to marketing", { "opportunity", "sam", 1, 1 },
	  { "override", "mona", "opportunity", "lead", "", "Wrong segment", 2 },
	  { "lead", "", 2, 1, 2, "", "Wrong segment", true, false }, NULL },
	{ "override inside sales", { "customer", "sam", 0, 1 },
	  { "override", "mona", "customer", "opportunity", "", "Reopened", 2 },
	  { "opportunity", "sam", 0, 1, 2, "", "", true, false }, NULL },
	{ "discard", { "mql", "", 1, 1 },
	  { "discard", "maya", "mql", "discarded", "bad-data", "Bounced", 2 },
	  { "discarded", "", 1, 1, 2, "bad-data", "Bounced", true, false }, NULL },
	{ "restore", { "discarded", "", 0, 0 },
	  { "restore", "maya", "discarded", "lead", "", "", 2 },
	  { "lead", "", 0, 0, 2, "", "", true, false }, NULL },
	{ "claim", { "sql", "", 0, 1 },
	  { "claim", "sam", "sql", "sql", "", "", 2 },
	  { "sql", "sam", 0, 1, 2, "", "", false, false }, NULL },
	{ "assign: the assignee is the note", { "sql", "sam", 0, 1 },
	  { "assign", "mona", "sql", "sql", "", "sara", 2 },
	  { "sql", "sara", 0, 1, 2, "", "", false, false }, NULL },
	{ "note: only the version and the time", { "sql", "sam", 0, 1 },
	  { "note", "sam", "sql", "sql", "", "Called; back Monday", 2 },
	  { "sql", "sam", 0, 1, 2, "", "", false, false }, NULL },
	{ "release: nobody's again, the handoff time kept", { "sql", "sam", 0, 1 },
	  { "release", "sam", "sql", "sql", "", "", 2 },
	  { "sql", "", 0, 1, 2, "", "", false, false }, NULL },
	{ "an undo with nothing before it to undo", { "sql", "sam", 0, 1 },
	  { "undo", "sam", "sql", "opportunity", "", "undoes event 6 (move)", 2 },
	  { "sql", "sam", 0, 1, 2, "", "", false, false },
	  "an undo of event 6 on lead " ID ", but its newest change before was 0" },
	{ "a move from a stage the lead is not in", { "mql", "", 0, 0 },
	  { "move", "maya", "lead", "sql", "", "", 2 },
	  { "sql", "", 0, 0, 2, "", "", true, false },
	  "a move of lead " ID " from 'lead', but its events leave it in 'mql'" },
	{ "a move before any create", { NULL, "", 0, 0 },
	  { "move", "maya", "lead", "mql", "", "", 2 },
	  { "", "", 0, 0, 0, "", "", false, false }, "a move of lead " ID " before any create" },
	{ "merge: the lead leaves, remembering the lead kept", { "sql", "sam", 1, 1 },
	  { "merge", "mona", "sql", "merged", "", "into " KEEP "; filled company: same person", 2 },
	  { "merged", "", 1, 1, 2, "", "", true, false }, NULL },
	{ "merge by its owner, no note", { "opportunity", "sam", 0, 1 },
	  { "merge", "sam", "opportunity", "merged", "", "into " KEEP, 2 },
	  { "merged", "", 0, 1, 2, "", "", true, false }, NULL },
	{ "merge naming no lead kept", { "lead", "", 0, 0 },
	  { "merge", "maya", "lead", "merged", "", "same person", 2 },
	  { "merged", "", 0, 0, 2, "", "", true, false }, "names no lead it was merged into" },
	{ "merge naming half an id", { "lead", "", 0, 0 },
	  { "merge", "maya", "lead", "merged", "", "into 5b7d0e42", 2 },
	  { "merged", "", 0, 0, 2, "", "", true, false }, "names no lead it was merged into" },
	{ "merge into another state", { "lead", "", 0, 0 },
	  { "merge", "maya", "lead", "discarded", "", "into " KEEP, 2 },
	  { "discarded", "", 0, 0, 2, "", "", true, false }, "to 'discarded', not to 'merged'" },
	{ "a kind this leadboard does not know", { "mql", "", 0, 0 },
	  { "split", "mona", "mql", "split", "", "", 2 },
	  { "mql", "", 0, 0, 1, "", "", false, false }, "kind 'split' is not one this leadboard knows" },
};

/* A lead its create event made at BEFORE, now at stage (NULL: no event
 * about it yet) and owned by owner ("" none), at version 1. */
static void created_before(struct replay_names *names, struct replay_lead *lead,
			   const char *stage, const char *owner)
{
	memset(lead, 0, sizeof *lead);
	if (!stage)
		return;
	lead->flags = REPLAY_CREATED;
	lead->created_by = 1;
	lead->stage = replay_name(names, stage);
	lead->owner = replay_name(names, owner);
	lead->version = 1;
	lead->created_at = lead->updated_at = lead->stage_entered_at = BEFORE;
}

static void set_before(struct replay_names *names, struct replay_lead *lead,
		       const struct lead_before *b)
{
	created_before(names, lead, b->stage, b->owner);
	if (!b->stage)
		return;
	lead->recycle_count = b->recycle;
	lead->handoff_count = b->handoff;
	if (b->handoff)
		lead->handed_off_at = BEFORE;
}

/* Fails the row named what unless replay gave what it wants: a problem
 * containing want_problem, or (want_problem NULL) none. */
static void expect_problem(const char *what, const char *want_problem, enum lb_status st,
			   const char *problem)
{
	if (want_problem) {
		if (st != LB_DATA || !strstr(problem, want_problem))
			fail_msg("%s: want a problem with \"%s\", got %d \"%s\"", what, want_problem,
				 st, problem);
	} else if (st != LB_OK) {
		fail_msg("%s: %s", what, problem);
	}
}

static void test_each_kind(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct replay_names *names = replay_names_new();
		const struct event_row *r = &rows[i].event;
		const struct lead_after *want = &rows[i].after;
		struct replay_event e = {
			.seq = 7, .at = AT, .scheme = r->scheme, .actor = r->actor, .lead_id = ID,
			.kind = r->kind, .from_stage = r->from, .to_stage = r->to, .reason = r->reason,
			.note = r->note,
		};
		struct replay_lead lead;
		uint8_t note[16];
		char problem[512];
		enum lb_status st;

		assert_non_null(names);
		set_before(names, &lead, &rows[i].before);
		st = replay_apply(names, &board, &lead, &e, problem, sizeof problem);
		expect_problem(rows[i].what, rows[i].problem, st, problem);
		if (!rows[i].before.stage && strcmp(r->kind, "create") != 0) {
			assert_true(lead.flags & REPLAY_LOST);
			replay_names_free(names);
			continue;
		}
		replay_note_digest(want->note, strlen(want->note), note);
		if (strcmp(replay_name_text(names, lead.stage), want->stage) != 0 ||
		    strcmp(replay_name_text(names, lead.owner), want->owner) != 0 ||
		    lead.recycle_count != want->recycle || lead.handoff_count != want->handoff ||
		    lead.version != want->version ||
		    strcmp(replay_name_text(names, lead.last_reason), want->reason) != 0 ||
		    memcmp(lead.last_note, note, sizeof note) != 0)
			fail_msg("%s: got stage %s owner '%s' recycle %d handoff %d version %lld "
				 "reason '%s'", rows[i].what, replay_name_text(names, lead.stage),
				 replay_name_text(names, lead.owner), lead.recycle_count,
				 lead.handoff_count, (long long)lead.version,
				 replay_name_text(names, lead.last_reason));
		if ((lead.stage_entered_at == AT) != want->entered)
			fail_msg("%s: stage_entered_at %lld", rows[i].what,
				 (long long)lead.stage_entered_at);
		if ((lead.handed_off_at == AT) != want->handed)
			fail_msg("%s: handed_off_at %lld", rows[i].what, (long long)lead.handed_off_at);
		if (st == LB_OK && lead.updated_at != AT)
			fail_msg("%s: updated_at %lld", rows[i].what, (long long)lead.updated_at);
		if (strcmp(r->kind, "create") == 0 && st == LB_OK)
			assert_int_equal(!!(lead.flags & REPLAY_STAGE_ONLY), r->scheme < 2);
		/* a merged lead remembers KEEP, the lead every merge row keeps */
		if (strcmp(replay_name_text(names, lead.merged_into),
			   strcmp(want->stage, "merged") == 0 && !rows[i].problem ? KEEP : "") != 0)
			fail_msg("%s: merged into '%s'", rows[i].what,
				 replay_name_text(names, lead.merged_into));
		replay_names_free(names);
	}
}

/*
 * The other half of a merge: the lead kept changes too (version, time) and
 * carries the other's handoffs and pass-backs. Each row: the kept lead
 * before (NULL: never created), the other's counters, the kept lead after.
 */
static void test_merge_keeps(void **state)
{
	static const struct {
		const char *what;
		const char *stage;           /* the kept lead's; NULL: no create seen */
		int recycle, handoff;        /* the kept lead's */
		int other_recycle, other_handoff;
		int want_recycle, want_handoff;
		int64_t want_version;
		const char *problem;
	} keeps[] = {
		{ "a recycled lead into a fresh one", "lead", 0, 0, 2, 2, 2, 2, 2, NULL },
		{ "both with a history", "sql", 1, 2, 1, 1, 2, 3, 2, NULL },
		{ "a fresh lead into a recycled one", "mql", 1, 1, 0, 0, 1, 1, 2, NULL },
		{ "into a lead no event created", NULL, 0, 0, 1, 1, 0, 0, 0, "no event created" },
		{ "into a discarded lead", "discarded", 0, 0, 0, 0, 0, 0, 2,
		  "merged into a lead that is discarded" },
		{ "into a merged lead", "merged", 0, 0, 0, 0, 0, 0, 2,
		  "merged into a lead that is merged" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof keeps / sizeof keeps[0]; i++) {
		struct replay_names *names = replay_names_new();
		struct replay_lead keep, other = { 0 };
		struct replay_event e = {
			.seq = 9, .at = AT, .scheme = 2, .actor = "mona", .lead_id = ID,
			.kind = "merge", .from_stage = "sql", .to_stage = "merged", .reason = "",
			.note = "into " KEEP,
		};
		char problem[512];
		enum lb_status st;

		created_before(names, &keep, keeps[i].stage, "");
		keep.recycle_count = keeps[i].recycle;
		keep.handoff_count = keeps[i].handoff;
		other.flags = REPLAY_CREATED;
		other.recycle_count = keeps[i].other_recycle;
		other.handoff_count = keeps[i].other_handoff;
		st = replay_apply_keep(names, &keep, &other, &e, problem, sizeof problem);
		expect_problem(keeps[i].what, keeps[i].problem, st, problem);
		if (!keeps[i].stage) {
			assert_true(keep.flags & REPLAY_LOST);
			replay_names_free(names);
			continue;
		}
		if (keep.recycle_count != keeps[i].want_recycle ||
		    keep.handoff_count != keeps[i].want_handoff || keep.version != keeps[i].want_version ||
		    keep.updated_at != AT || keep.stage_entered_at != BEFORE)
			fail_msg("%s: recycle %d handoff %d version %lld updated %lld entered %lld",
				 keeps[i].what, keep.recycle_count, keep.handoff_count,
				 (long long)keep.version, (long long)keep.updated_at,
				 (long long)keep.stage_entered_at);
		replay_names_free(names);
	}
}

/* Undo puts back what the event it names changed, when that event is the
 * lead's newest; a replay of the door's own sequence. */
static void test_undo(void **state)
{
	static const struct { const char *kind, *actor, *from, *to, *reason, *note; } steps[] = {
		{ "create", "maya", "", "mql", "", "" },                          /* 1 */
		{ "handoff", "maya", "mql", "sql", "", "" },                      /* 2 */
		{ "claim", "sam", "sql", "sql", "", "" },                         /* 3 */
		{ "move", "sam", "sql", "customer", "", "" },                     /* 4 */
		{ "undo", "sam", "customer", "sql", "", "undoes event 4 (move)" },  /* 5 */
		{ "passback", "sam", "sql", "mql", "not-ready", "Spring" },      /* 6 */
		{ "undo", "sam", "mql", "sql", "", "undoes event 6 (passback)" }, /* 7 */
		{ "release", "sam", "sql", "sql", "", "" },                       /* 8 */
		{ "undo", "sam", "sql", "sql", "", "undoes event 8 (release)" },  /* 9 */
	};
	struct replay_names *names = replay_names_new();
	struct replay_lead lead, after_claim;
	char problem[512];
	uint8_t none[16] = { 0 };

	(void)state;
	memset(&lead, 0, sizeof lead);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		struct replay_event e = {
			.seq = (int64_t)i + 1, .at = 1000 * ((int64_t)i + 1), .scheme = 2,
			.actor = steps[i].actor, .lead_id = ID, .kind = steps[i].kind,
			.from_stage = steps[i].from, .to_stage = steps[i].to, .reason = steps[i].reason,
			.note = steps[i].note,
		};
		if (replay_apply(names, &board, &lead, &e, problem, sizeof problem) != LB_OK)
			fail_msg("step %zu: %s", i + 1, problem);
		if (i == 2)
			after_claim = lead;
		if (i == 4 || i == 6 || i == 8) {
			/* as after the claim, but for the version and the last change's time */
			assert_string_equal(replay_name_text(names, lead.stage), "sql");
			assert_string_equal(replay_name_text(names, lead.owner), "sam");
			assert_int_equal(lead.stage_entered_at, after_claim.stage_entered_at);
			assert_int_equal(lead.handed_off_at, after_claim.handed_off_at);
			assert_int_equal(lead.recycle_count, 0);
			assert_int_equal(lead.handoff_count, 1);
			assert_int_equal(lead.last_reason, 0);
			assert_memory_equal(lead.last_note, none, sizeof none);
			assert_int_equal(lead.version, (int64_t)i + 1);
			assert_int_equal(lead.updated_at, e.at);
		}
	}
	/* an undo of an undo, or of an event that is not the newest, is a problem */
	struct replay_event again = { .seq = 10, .at = 10000, .scheme = 2, .actor = "sam",
				      .lead_id = ID, .kind = "undo", .from_stage = "sql",
				      .to_stage = "sql", .note = "undoes event 9 (undo)" };
	assert_int_equal(replay_apply(names, &board, &lead, &again, problem, sizeof problem),
			 LB_DATA);
	assert_non_null(strstr(problem, "an undo of event 9"));
	replay_names_free(names);
}

/* An admin's import of an export: every field of the state in the note. */
static void test_start_note_round_trip(void **state)
{
	struct replay_names *names = replay_names_new();
	struct replay_lead lead = { 0 };
	struct lead kept;
	char note[4001], problem[256];
	uint8_t digest[16];

	(void)state;
	lead_init(&kept);
	snprintf(kept.owner, sizeof kept.owner, "sam");
	kept.recycle_count = 1;
	kept.handoff_count = 2;
	kept.version = 7;
	kept.created_at = 10;
	kept.updated_at = 20;
	kept.stage_entered_at = 15;
	kept.handed_off_at = 12;
	kept.owner_since = 13;
	kept.contact_attempts = 2;
	kept.first_contact_at = 14;
	kept.last_contact_at = 17;
	kept.next_step_at = 30;
	kept.escalated_at = 12;
	snprintf(kept.last_reason, sizeof kept.last_reason, "not-ready");
	snprintf(kept.last_note, sizeof kept.last_note, "Call in spring: owner=nobody version=1");
	snprintf(kept.merged_into, sizeof kept.merged_into, "%s", KEEP);
	replay_start_note(&kept, AT, note, sizeof note);
	assert_string_equal(note, "owner=sam recycle_count=1 handoff_count=2 version=7 "
				  "created_at=10 updated_at=20 stage_entered_at=15 "
				  "handed_off_at=12 owner_since=13 contact_attempts=2 "
				  "first_contact_at=14 last_contact_at=17 next_step_at=30 "
				  "escalated_at=12 last_reason=not-ready merged_into=" KEEP " "
				  "last_note=Call in spring: owner=nobody version=1");
	struct replay_event e = { .seq = 1, .at = AT, .scheme = 2, .actor = "root",
				  .lead_id = ID, .kind = "create", .from_stage = "", .to_stage = "sql",
				  .reason = "", .note = note };
	assert_int_equal(replay_apply(names, &board, &lead, &e, problem, sizeof problem), LB_OK);
	assert_string_equal(replay_name_text(names, lead.owner), "sam");
	assert_int_equal(lead.recycle_count, 1);
	assert_int_equal(lead.handoff_count, 2);
	assert_int_equal(lead.version, 7);
	assert_int_equal(lead.created_at, 10);
	assert_int_equal(lead.updated_at, 20);
	assert_int_equal(lead.stage_entered_at, 15);
	assert_int_equal(lead.handed_off_at, 12);
	assert_int_equal(lead.owner_since, 13);
	assert_int_equal(lead.contact_attempts, 2);
	assert_int_equal(lead.first_contact_at, 14);
	assert_int_equal(lead.last_contact_at, 17);
	assert_int_equal(lead.next_step_at, 30);
	assert_int_equal(lead.escalated_at, 12);
	assert_string_equal(replay_name_text(names, lead.last_reason), "not-ready");
	assert_string_equal(replay_name_text(names, lead.merged_into), KEEP);
	replay_note_digest(kept.last_note, strlen(kept.last_note), digest);
	assert_memory_equal(lead.last_note, digest, sizeof digest);

	/* a fresh lead's note is empty: nothing to say */
	lead_init(&kept);
	kept.version = 1;
	kept.created_at = kept.updated_at = kept.stage_entered_at = AT;
	replay_start_note(&kept, AT, note, sizeof note);
	assert_string_equal(note, "");
	replay_names_free(names);
}

/* ---- contact with the lead, and the SLA's own kinds ---------------------------- */

#define NEXT 5000     /* a next step, "1970-01-01T00:00:05.000Z" */

struct contact_state {
	const char *stage, *owner;
	int attempts;
	int64_t first, last, next, owner_since, escalated, handed;
};

static const struct {
	const char *what;
	struct contact_state before;   /* stage NULL: no event yet */
	const char *kind, *actor, *from, *to, *reason, *note, *rule;
	struct contact_state after;
	const char *problem;
} contact_rows[] = {
	{ "contact: the first attempt", { "sql", "sam", 0, 0, 0, 0, BEFORE, 0, BEFORE },
	  "contact", "sam", "sql", "sql", "call", "", "",
	  { "sql", "sam", 1, AT, AT, 0, BEFORE, 0, BEFORE }, NULL },
	{ "contact: planning the next step", { "sql", "sam", 0, 0, 0, 0, BEFORE, 0, BEFORE },
	  "contact", "sam", "sql", "sql", "email", "Sent the deck",
	  "next step at 1970-01-01T00:00:05.000Z",
	  { "sql", "sam", 1, AT, AT, NEXT, BEFORE, 0, BEFORE }, NULL },
	{ "contact: another keeps the first, and ends the step planned",
	  { "opportunity", "sam", 2, 500, 900, NEXT, BEFORE, 0, BEFORE },
	  "contact", "mona", "opportunity", "opportunity", "meeting", "", "",
	  { "opportunity", "sam", 3, 500, AT, 0, BEFORE, 0, BEFORE }, NULL },
	{ "contact: a next step that is not a time", { "sql", "sam", 0, 0, 0, 0, BEFORE, 0, BEFORE },
	  "contact", "sam", "sql", "sql", "call", "", "next step at soon",
	  { "sql", "sam", 1, AT, AT, 0, BEFORE, 0, BEFORE },
	  "plans a next step that is not a time ('next step at soon')" },
	{ "contact: a next step written another way", { "sql", "sam", 0, 0, 0, 0, BEFORE, 0, BEFORE },
	  "contact", "sam", "sql", "sql", "call", "", "next step at 1970-01-01T00:00:05Z",
	  { "sql", "sam", 1, AT, AT, 0, BEFORE, 0, BEFORE }, "plans a next step that is not a time" },
	{ "escalate: the lead remembers when", { "sql", "", 0, 0, 0, 0, 0, 0, BEFORE },
	  "escalate", "leadboard", "sql", "sql", "", "", "sla: unclaimed for 24 h",
	  { "sql", "", 0, 0, 0, 0, 0, AT, BEFORE }, NULL },
	{ "reclaim: nobody's again, its contact kept", { "sql", "sam", 1, 900, 900, NEXT, 800, 0, BEFORE },
	  "reclaim", "leadboard", "sql", "sql", "sla-breach", "sam", "sla: no contact",
	  { "sql", "", 1, 900, 900, NEXT, 0, 0, BEFORE }, NULL },
	{ "assign by routing: owned since", { "sql", "", 0, 0, 0, 0, 0, 0, BEFORE },
	  "assign", "maya", "sql", "sql", "", "sara", "routing: round-robin, turn 3",
	  { "sql", "sara", 0, 0, 0, 0, AT, 0, BEFORE }, NULL },
	{ "claim: owned since", { "sql", "", 0, 0, 0, 0, 0, BEFORE, BEFORE },
	  "claim", "sam", "sql", "sql", "", "", "",
	  { "sql", "sam", 0, 0, 0, 0, AT, BEFORE, BEFORE }, NULL },
	{ "handoff: contact starts afresh, the next step stays",
	  { "mql", "", 3, 100, 900, NEXT, 0, 500, BEFORE },
	  "handoff", "maya", "mql", "sql", "", "", "",
	  { "sql", "", 0, 0, 0, NEXT, 0, 500, AT }, NULL },
	{ "override across the handoff: the same", { "lead", "", 2, 100, 900, 0, 0, 0, 0 },
	  "override", "mona", "lead", "sql", "", "Board decision", "",
	  { "sql", "", 0, 0, 0, 0, 0, 0, AT }, NULL },
	{ "passback: nobody's, its contact counted still",
	  { "sql", "sam", 2, 100, 900, 0, 800, 0, BEFORE },
	  "passback", "sam", "sql", "mql", "no-response", "", "",
	  { "mql", "", 2, 100, 900, 0, 0, 0, BEFORE }, NULL },
	{ "discard: nobody's", { "lead", "", 1, 100, 100, 0, 0, 0, 0 },
	  "discard", "maya", "lead", "discarded", "bad-data", "", "",
	  { "discarded", "", 1, 100, 100, 0, 0, 0, 0 }, NULL },
	{ "create: a rep's own lead is theirs since", { NULL, "", 0, 0, 0, 0, 0, 0, 0 },
	  "create", "sam", "", "sql", "", "owner=sam", "",
	  { "sql", "sam", 0, 0, 0, 0, AT, 0, 0 }, NULL },
	{ "create: an import says since when", { NULL, "", 0, 0, 0, 0, 0, 0, 0 },
	  "create", "root", "", "sql", "",
	  "owner=sam handoff_count=1 handed_off_at=700 owner_since=800 contact_attempts=1 "
	  "first_contact_at=900 last_contact_at=900 next_step_at=5000", "",
	  { "sql", "sam", 1, 900, 900, NEXT, 800, 0, 700 }, NULL },
	{ "create: owner_since without an owner is nothing", { NULL, "", 0, 0, 0, 0, 0, 0, 0 },
	  "create", "root", "", "mql", "", "owner_since=800", "",
	  { "mql", "", 0, 0, 0, 0, 0, 0, 0 }, NULL },
};

static void test_contact_kinds(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof contact_rows / sizeof contact_rows[0]; i++) {
		const struct contact_state *b = &contact_rows[i].before, *want = &contact_rows[i].after;
		struct replay_names *names = replay_names_new();
		struct replay_event e = {
			.seq = 7, .at = AT, .scheme = 2, .actor = contact_rows[i].actor, .lead_id = ID,
			.kind = contact_rows[i].kind, .from_stage = contact_rows[i].from,
			.to_stage = contact_rows[i].to, .reason = contact_rows[i].reason,
			.note = contact_rows[i].note, .rule = contact_rows[i].rule,
		};
		struct replay_lead lead;
		char problem[512];
		enum lb_status st;

		assert_non_null(names);
		created_before(names, &lead, b->stage, b->owner);
		if (b->stage) {
			lead.contact_attempts = b->attempts;
			lead.first_contact_at = b->first;
			lead.last_contact_at = b->last;
			lead.next_step_at = b->next;
			lead.owner_since = b->owner_since;
			lead.escalated_at = b->escalated;
			lead.handed_off_at = b->handed;
			lead.handoff_count = b->handed != 0;
		}
		st = replay_apply(names, &board, &lead, &e, problem, sizeof problem);
		expect_problem(contact_rows[i].what, contact_rows[i].problem, st, problem);
		if (strcmp(replay_name_text(names, lead.stage), want->stage) != 0 ||
		    strcmp(replay_name_text(names, lead.owner), want->owner) != 0 ||
		    lead.contact_attempts != want->attempts || lead.first_contact_at != want->first ||
		    lead.last_contact_at != want->last || lead.next_step_at != want->next ||
		    lead.owner_since != want->owner_since || lead.escalated_at != want->escalated ||
		    lead.handed_off_at != want->handed)
			fail_msg("%s: got %s '%s' attempts %d first %lld last %lld next %lld owned "
				 "since %lld escalated %lld handed off %lld", contact_rows[i].what,
				 replay_name_text(names, lead.stage),
				 replay_name_text(names, lead.owner), lead.contact_attempts,
				 (long long)lead.first_contact_at, (long long)lead.last_contact_at,
				 (long long)lead.next_step_at, (long long)lead.owner_since,
				 (long long)lead.escalated_at, (long long)lead.handed_off_at);
		if (b->stage && (lead.version != 2 || lead.updated_at != AT))
			fail_msg("%s: version %lld updated_at %lld", contact_rows[i].what,
				 (long long)lead.version, (long long)lead.updated_at);
		replay_names_free(names);
	}
}

/* The rule a contact writes reads back as the same time, and only that. */
static void test_next_step_rule(void **state)
{
	char rule[64];
	int64_t next;

	(void)state;
	replay_next_step_rule(1793005200123LL, rule, sizeof rule);
	assert_string_equal(rule, "next step at 2026-10-26T09:00:00.123Z");
	assert_true(replay_next_step_of(rule, &next));
	assert_int_equal(next, 1793005200123LL);
	replay_next_step_rule(0, rule, sizeof rule);
	assert_string_equal(rule, "");
	assert_true(replay_next_step_of("", &next));
	assert_int_equal(next, 0);
	assert_false(replay_next_step_of("next step at 24h", &next));
	assert_false(replay_next_step_of("next step at 2026-10-26", &next));
	assert_false(replay_next_step_of("routing: round-robin, turn 3", &next));
}

static struct store_value text(const char *s)
{
	return (struct store_value){ .type = STORE_TEXT, .bytes = s, .len = strlen(s) };
}

static struct store_value integer(int64_t n)
{
	return (struct store_value){ .type = STORE_INTEGER, .integer = n, .bytes = "" };
}

static const struct store_value null_value = { .type = STORE_NULL, .bytes = "" };

static void collect(const char *field, const char *expected, const char *found, void *ctx)
{
	char *out = ctx;
	size_t used = strlen(out);

	snprintf(out + used, 1024 - used, "%s: %s / %s\n", field, expected, found);
}

static void test_compare(void **state)
{
	struct replay_names *names = replay_names_new();
	struct replay_lead lead = { 0 };
	struct store_value row[LEAD_COL_COUNT] = {
		[LEAD_COL_ID] = text(ID), [LEAD_COL_STAGE] = text("mql"),
		[LEAD_COL_OWNER] = null_value, [LEAD_COL_RECYCLE_COUNT] = integer(1),
		[LEAD_COL_HANDOFF_COUNT] = integer(1), [LEAD_COL_LAST_REASON] = text("not-ready"),
		[LEAD_COL_LAST_NOTE] = text("Call in spring"), [LEAD_COL_VERSION] = integer(4),
		[LEAD_COL_CREATED_AT] = integer(1), [LEAD_COL_UPDATED_AT] = integer(4),
		[LEAD_COL_STAGE_ENTERED_AT] = integer(4), [LEAD_COL_HANDED_OFF_AT] = integer(2),
		[LEAD_COL_CONTACT_ATTEMPTS] = integer(0),
		[LEAD_COL_MERGED_INTO] = null_value,
	};
	char out[1024] = "";

	(void)state;
	lead.flags = REPLAY_CREATED;
	lead.stage = replay_name(names, "mql");
	lead.recycle_count = lead.handoff_count = 1;
	lead.last_reason = replay_name(names, "not-ready");
	replay_note_digest("Call in spring", 14, lead.last_note);
	lead.version = 4;
	lead.created_at = 1;
	lead.updated_at = lead.stage_entered_at = 4;
	lead.handed_off_at = 2;
	assert_int_equal(replay_compare(names, &lead, row, collect, out), 0);

	row[LEAD_COL_STAGE] = text("customer");
	row[LEAD_COL_OWNER] = text("");
	row[LEAD_COL_VERSION] = (struct store_value){ .type = STORE_REAL, .real = 4.0, .bytes = "" };
	row[LEAD_COL_LAST_NOTE] = text("Call in summer");
	row[LEAD_COL_HANDED_OFF_AT] = null_value;
	row[LEAD_COL_MERGED_INTO] = text(KEEP);
	assert_int_equal(replay_compare(names, &lead, row, collect, out), 6);
	assert_string_equal(out, "stage: 'mql' / 'customer'\n"
				 "owner: (none) / ''\n"
				 "last_note: the note of its last pass-back or discard / 'Call in summer'\n"
				 "version: 4 / 4 (a real)\n"
				 "handed_off_at: 2 / (none)\n"
				 "merged_into: (none) / '" KEEP "'\n");

	/* created before scheme 2: only the stage is known */
	out[0] = '\0';
	lead.flags |= REPLAY_STAGE_ONLY;
	assert_int_equal(replay_compare(names, &lead, row, collect, out), 1);
	replay_names_free(names);
}

static void test_names(void **state)
{
	struct replay_names *names = replay_names_new();
	char name[32];

	(void)state;
	assert_int_equal(replay_name(names, ""), 0);
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof name, "rep%d", i);
		assert_int_equal(replay_name(names, name), (uint32_t)i + 1);
	}
	for (int i = 0; i < 5000; i += 7) {
		snprintf(name, sizeof name, "rep%d", i);
		assert_int_equal(replay_name(names, name), (uint32_t)i + 1);
		assert_string_equal(replay_name_text(names, (uint32_t)i + 1), name);
	}
	assert_string_equal(replay_name_text(names, 0), "");
	replay_names_free(names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_kind),
		cmocka_unit_test(test_contact_kinds),
		cmocka_unit_test(test_next_step_rule),
		cmocka_unit_test(test_merge_keeps),
		cmocka_unit_test(test_undo),
		cmocka_unit_test(test_start_note_round_trip),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests_name("replay", tests, setup, NULL);
}
