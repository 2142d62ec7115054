/* door.c - changes to leads: add, edit, move, claim, assign, discard, restore. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <uuid/uuid.h>

#include "door_impl.h"
#include "leadboard/clean.h"
#include "leadboard/replay.h"
#include "leadboard/text.h"
#include "leadboard/timeutil.h"

struct door *door_open(struct store *store, const struct lb_user *actor, const char *real_user)
{
	struct door *door = calloc(1, sizeof *door);

	if (!door) {
		lb_fail(LB_SOFTWARE, "out of memory");
		return NULL;
	}
	door->store = store;
	door->actor = *actor;
	snprintf(door->real_user, sizeof door->real_user, "%s", real_user ? real_user : "");
	door->clock = time_now_ms;
	return door;
}

struct door *door_open_system(struct store *store, const char *real_user)
{
	struct lb_user system = { .login = DOOR_SYSTEM_ACTOR, .role = ROLE_MANAGER };
	struct door *door = door_open(store, &system, real_user);

	if (door)
		door->system = true;
	return door;
}

void door_close(struct door *door)
{
	free(door);
}

const struct lb_user *door_actor(const struct door *door)
{
	return &door->actor;
}

const char *door_real_user(const struct door *door)
{
	return door->real_user;
}

int64_t door_now(const struct door *door)
{
	return door->clock();
}

void door_set_clock(struct door *door, int64_t (*clock)(void))
{
	door->clock = clock ? clock : time_now_ms;
}

void door_set_witness(struct door *door, void (*witness)(int64_t seq, const char *hash))
{
	door->witness = witness;
}

void door_allow_duplicates(struct door *door, bool allow)
{
	door->allow_duplicate = allow;
}

/* ---- shared steps -------------------------------------------------------- */

/* The actor (still a member, not disabled), the board and the settings, in
 * the open transaction (a change's, or a reader's snapshot) or, outside
 * one, in a snapshot of their own. */
static enum lb_status load_board(struct door *door, bool in_change)
{
	struct rules_verdict may;
	struct lb_user current;
	enum lb_status st;

	door->loaded = false;
	if (!in_change && (st = store_begin_read(door->store)))
		return st;
	st = store_board_mark(door->store, &door->board_mark);
	/* the sweep (door->system) acts for no member: only the board and settings */
	if (!st && !door->system)
		st = store_get_user(door->store, door->actor.login, &current);
	if (door->system)
		;
	else if (st == LB_NOINPUT)
		st = lb_fail(LB_NOPERM, "%s is no longer a board member", door->actor.login);
	else if (!st && (may = rules_may_act(&current)).status)
		st = door_refuse(&may);
	if (!st && !door->system)
		door->actor = current;
	if (!st)
		st = store_load_board(door->store, &door->board);
	if (!st)
		st = store_load_settings(door->store, &door->settings);
	if (!in_change)
		store_end_read(door->store);
	door->loaded = st == LB_OK;
	return st;
}

enum lb_status door_preload(struct door *door)
{
	return load_board(door, true);
}

const struct lb_board *door_board(const struct door *door)
{
	return &door->board;
}

const struct rules_settings *door_settings(const struct door *door)
{
	return &door->settings;
}

/*
 * A writer holds the queue only for its transaction: the statements are
 * prepared and the actor, board and settings read before it queues (once
 * per door: a board keeps them), and inside the transaction one look at
 * the log (store_board_mark) says whether they still hold; only when an
 * admin changed something since are they read again there.
 */
enum lb_status door_begin(struct door *door)
{
	int64_t mark;
	enum lb_status st;

	store_prepare_change(door->store);
	if (!door->loaded && (st = load_board(door, false)))
		return st;
	if ((st = store_begin_write(door->store)))
		return st;
	st = store_board_mark(door->store, &mark);
	if (!st && mark != door->board_mark)
		st = load_board(door, true);
	if (st)
		store_rollback(door->store);
	return st;
}

enum lb_status door_reload(struct door *door)
{
	enum lb_status st = load_board(door, true);

	if (st)
		store_rollback(door->store);
	return st;
}

enum lb_status door_commit(struct door *door)
{
	enum lb_status st = store_commit(door->store);
	int64_t seq;
	char hash[65];

	/* the head goes out only once it is in the file */
	if (!st && door->witness && store_appended_head(door->store, &seq, hash))
		door->witness(seq, hash);
	return st;
}

enum lb_status door_finish(struct door *door, enum lb_status st)
{
	if (st == LB_OK)
		return door_commit(door);
	store_rollback(door->store);
	return st;
}

/*
 * PostgreSQL ends a change with a serialization failure or a deadlock when
 * another transaction crossed it (leadboard's own changes queue on the
 * chain lock, so the other is a script, a BI tool's lock, a DBA's UPDATE).
 * The server has rolled everything back: the change runs again from
 * door_begin(), reloading the actor, the board and the lead and asking the
 * rules again on what is there now. A short random pause first, growing
 * with each attempt, so that two crossing transactions do not meet again.
 */
bool door_again(struct door *door, enum lb_status st)
{
	unsigned draw = 0;
	struct timespec pause = { 0, 0 };

	if (st != LB_TEMPFAIL || !store_change_conflicted(door->store)) {
		door->attempt = 0;
		return false;
	}
	if (++door->attempt >= DOOR_ATTEMPTS) {
		door->attempt = 0;
		lb_fail(LB_TEMPFAIL, "the change kept colliding with others on the database (%d tries); "
				     "nothing was changed, try again", DOOR_ATTEMPTS);
		return false;
	}
	if (getrandom(&draw, sizeof draw, GRND_NONBLOCK) != (ssize_t)sizeof draw)
		draw = (unsigned)door->clock();
	pause.tv_nsec = (long)(1 + draw % (10u * (unsigned)door->attempt)) * 1000000L;
	nanosleep(&pause, NULL);
	return true;
}

enum lb_status door_run_change(struct door *door, door_change_fn *change, const void *arg)
{
	enum lb_status st;

	do {
		if (!(st = door_begin(door)))
			st = door_finish(door, change(door, arg));
	} while (door_again(door, st));
	return st;
}

/* Why a lead is not at the version the caller saw: its newest event. The
 * caller saw it before; nothing is written, and the words say to look again. */
static enum lb_status changed_under_you(struct door *door, const struct lead *lead)
{
	struct lb_event e;
	char sid[RULES_LABEL_SIZE], when[32];
	enum lb_event_kind kind = EV_EDIT;

	rules_lead_label(lead, sid);
	if (store_last_event(door->store, lead->id, &e) != LB_OK)
		return lb_fail(LB_TEMPFAIL, "lead %s changed since you saw it; look again", sid);
	time_format_ago(door->clock() - e.at, when);
	event_kind_parse(e.kind, &kind);
	switch (kind) {
	case EV_MOVE: case EV_HANDOFF: case EV_PASSBACK: case EV_OVERRIDE:
	case EV_DISCARD: case EV_RESTORE:
		return lb_fail(LB_TEMPFAIL, "lead %s was moved by %s to %s %s; look again", sid,
			       e.actor, board_title(&door->board, e.to_stage), when);
	case EV_CLAIM:
		return lb_fail(LB_TEMPFAIL, "lead %s was claimed by %s %s; look again", sid, e.actor,
			       when);
	case EV_ASSIGN:
		return lb_fail(LB_TEMPFAIL, "lead %s was assigned to %s by %s %s; look again", sid,
			       e.note, e.actor, when);
	case EV_RELEASE:
		return lb_fail(LB_TEMPFAIL, "lead %s was released by %s %s; look again", sid,
			       e.actor, when);
	case EV_MERGE: {
		char keep[LB_ID_LEN + 1] = "";
		event_merge_target(e.note, keep);
		return lb_fail(LB_TEMPFAIL, "lead %s was merged into lead %.8s by %s %s; look again",
			       sid, keep, e.actor, when);
	}
	case EV_NOTE:
		return lb_fail(LB_TEMPFAIL, "%s added a note to lead %s %s; look again", e.actor,
			       sid, when);
	case EV_UNDO:
		return lb_fail(LB_TEMPFAIL, "%s undid a change to lead %s %s; look again", e.actor,
			       sid, when);
	default:
		return lb_fail(LB_TEMPFAIL, "lead %s was changed by %s %s; look again", sid,
			       e.actor, when);
	}
}

enum lb_status door_load_lead(struct door *door, const char *id, int64_t expected_version,
			      struct lead *lead)
{
	char full[LB_ID_LEN + 1];
	enum lb_status st;

	if ((st = store_resolve_id(door->store, id, full)))
		return st;
	if ((st = store_get_lead(door->store, full, lead)))
		return st;
	if (expected_version != DOOR_ANY_VERSION && lead->version != expected_version)
		return changed_under_you(door, lead);
	return LB_OK;
}

void door_event_init(struct door *door, struct lb_event *e, enum lb_event_kind kind,
		     const struct lead *lead, int64_t now)
{
	memset(e, 0, sizeof *e);
	e->at = now;
	snprintf(e->actor, sizeof e->actor, "%s", door->actor.login);
	snprintf(e->real_user, sizeof e->real_user, "%s", door->real_user);
	snprintf(e->kind, sizeof e->kind, "%s", event_kind_name(kind));
	if (lead) {
		memcpy(e->lead_id, lead->id, sizeof e->lead_id);
		snprintf(e->from_stage, sizeof e->from_stage, "%s", lead->stage);
		snprintf(e->to_stage, sizeof e->to_stage, "%s", lead->stage);
	}
}

enum lb_status door_refuse(const struct rules_verdict *verdict)
{
	return lb_fail(verdict->status, "%s", verdict->message);
}

/* The rules' answer to request about lead, as of this transaction. */
struct rules_verdict door_rules_ask(struct door *door, const struct lead *lead,
				    const struct rules_request *request)
{
	return rules_ask(&door->board, &door->settings, &door->actor, lead, request);
}

enum lb_status door_change_load(struct door *door, const char *id, int64_t expected_version,
				struct lead_change *change)
{
	enum lb_status st = door_load_lead(door, id, expected_version, &change->lead);

	change->before = change->lead;
	return st;
}

enum lb_status door_change_ask(struct door *door, struct lead_change *change,
			       const struct rules_request *request)
{
	change->verdict = door_rules_ask(door, &change->lead, request);
	if (change->verdict.status)
		return door_refuse(&change->verdict);
	door_event_init(door, &change->event, change->verdict.kind, &change->lead, change->now);
	/* "" unless the actor set a rule aside: an override, an allowed duplicate */
	snprintf(change->event.rule, sizeof change->event.rule, "%s", change->verdict.overridden);
	return LB_OK;
}

enum lb_status door_check_reason(struct door *door, const char *code)
{
	struct lb_reason reason;
	enum lb_status st;

	if (!code || !code[0])
		return LB_OK;
	st = store_get_reason(door->store, code, &reason);
	if (st == LB_NOINPUT)
		return lb_fail(LB_DATA, "no reason code '%s' (see leadboard reasons)", code);
	if (st)
		return st;
	if (!reason.active)
		return lb_fail(LB_DATA, "reason '%s' is retired; pick another (see leadboard reasons)",
			       code);
	return LB_OK;
}

enum lb_status door_check_key(const char *what, const char *key)
{
	size_t n = strlen(key);

	if (n == 0 || n > LB_KEY_MAX || key[0] == '-' ||
	    strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n)
		return lb_fail(LB_DATA, "%s must be 1 to %d letters, digits, '.', '_' or '-'", what,
			       LB_KEY_MAX);
	return LB_OK;
}

enum lb_status door_check_note(const char *note)
{
	return note ? text_check_field("note", note, LB_TEXT_MAX) : LB_OK;
}

bool door_note_given(const char *note)
{
	return note && note[strspn(note, " \t\n")];
}

/* ---- field checks -------------------------------------------------------- */

/* An address as it will be stored: trimmed (clean.h). */
static bool looks_like_email(const char *s)
{
	char trimmed[LB_TEXT_MAX + 1];

	snprintf(trimmed, sizeof trimmed, "%s", s);
	clean_trim(trimmed);
	return clean_email_valid(trimmed);
}

void door_clean_fields(struct lead *lead, unsigned mask)
{
	char segment[4];

	if (mask & FIELD_EMAIL)
		clean_trim(lead->email);
	if (mask & FIELD_COUNTRY)
		clean_country(lead->country, sizeof lead->country);
	if ((mask & FIELD_SEGMENT) && clean_segment(lead->segment, segment))
		memcpy(lead->segment, segment, sizeof segment);
}

/* Digits, at least three of them, with the punctuation people write numbers
 * with ("+49 30 1234-567", "(555) 010 4477 x12"). */
static bool looks_like_phone(const char *s)
{
	int digits = 0;

	for (const char *p = s; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (!strchr(" +-().,/x", *p))
			return false;
	}
	return digits >= 3;
}

enum lb_status door_check_fields(const struct lead *lead, unsigned mask)
{
	static const struct {
		unsigned field;
		const char *name;
		size_t offset;
	} texts[] = {
		{ FIELD_NAME, "name", offsetof(struct lead, name) },
		{ FIELD_EMAIL, "email", offsetof(struct lead, email) },
		{ FIELD_PHONE, "phone", offsetof(struct lead, phone) },
		{ FIELD_COMPANY, "company", offsetof(struct lead, company) },
		{ FIELD_TITLE, "title", offsetof(struct lead, title) },
		{ FIELD_COUNTRY, "country", offsetof(struct lead, country) },
		{ FIELD_SOURCE, "source", offsetof(struct lead, source) },
	};
	char segment[4];
	enum lb_status st;

	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		if (!(mask & texts[i].field))
			continue;
		const char *value = (const char *)lead + texts[i].offset;
		if ((st = text_check_field(texts[i].name, value, LB_TEXT_MAX)))
			return st;
	}
	if ((mask & FIELD_NAME) && !lead->name[strspn(lead->name, " \t\n")])
		return lb_fail(LB_DATA, "a lead needs a name");
	if ((mask & FIELD_NAME) && strpbrk(lead->name, "\n\r"))
		return lb_fail(LB_DATA, "a name is one line; this one has a line break");
	if ((mask & FIELD_EMAIL) && lead->email[0] && !looks_like_email(lead->email))
		return lb_fail(LB_DATA, "email '%.80s' is not an e-mail address", lead->email);
	if ((mask & FIELD_PHONE) && lead->phone[0] && !looks_like_phone(lead->phone))
		return lb_fail(LB_DATA, "phone '%.80s' is not a phone number (digits, spaces and "
					"+ - ( ) . / x)", lead->phone);
	if ((mask & FIELD_SCORE) && (lead->score < 0 || lead->score > 100))
		return lb_fail(LB_DATA, "score %d is not between 0 and 100", lead->score);
	if ((mask & FIELD_EMPLOYEES) && lead->employees < -1)
		return lb_fail(LB_DATA, "employees must not be negative");
	if ((mask & FIELD_SEGMENT) && lead->segment[0] && !clean_segment(lead->segment, segment))
		return lb_fail(LB_DATA, "segment must be %s, not '%s'", CLEAN_SEGMENT_WORDS,
			       lead->segment);
	return LB_OK;
}

/* ---- add ------------------------------------------------------------------ */

/* What the rules answer about adding lead (its stage "" : the actor's default). */
struct rules_verdict door_ask_add(struct door *door, const struct lead *lead, bool with_state,
				  const struct lead *duplicate_of)
{
	struct rules_request request = {
		.action = RULES_ADD, .stage = lead->stage, .with_state = with_state,
		.duplicate_of = duplicate_of, .allow_duplicate = door->allow_duplicate,
	};

	return door_rules_ask(door, NULL, &request);
}

void door_fill_new_state(struct door *door, struct lead *lead, bool owns, int64_t now)
{
	uuid_t uuid;

	if (!lead->id[0]) {
		uuid_generate_random(uuid);
		uuid_unparse_lower(uuid, lead->id);
	}
	lead->version = 1;
	lead->created_at = lead->updated_at = lead->stage_entered_at = now;
	lead->handed_off_at = 0;
	lead->recycle_count = lead->handoff_count = 0;
	lead->last_reason[0] = lead->last_note[0] = '\0';
	lead->owner[0] = '\0';
	lead->contact_attempts = 0;
	lead->first_contact_at = lead->last_contact_at = lead->next_step_at = 0;
	lead->owner_since = lead->escalated_at = 0;
	if (owns) {
		snprintf(lead->owner, sizeof lead->owner, "%s", door->actor.login);
		lead->owner_since = now;
	}
}

void door_fill_kept_state(struct lead *lead, int64_t now)
{
	for (char *p = lead->id; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (char *p = lead->merged_into; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (!lead->version)
		lead->version = 1;
	if (!lead->created_at)
		lead->created_at = now;
	if (!lead->updated_at)
		lead->updated_at = lead->created_at;
	if (!lead->stage_entered_at)
		lead->stage_entered_at = lead->created_at;
	/* an owner without a time got the lead with it (replay.h) */
	if (!lead->owner[0])
		lead->owner_since = 0;
	else if (!lead->owner_since)
		lead->owner_since = now;
}

enum lb_status door_find_duplicate(struct door *door, const char *email, const char *except_id,
				   struct lead *duplicate, bool *found)
{
	enum lb_status st;

	*found = false;
	if (!email[0] || (door->in_import && door->import_board_empty))
		return LB_OK;
	st = store_find_email_on_board(door->store, email, except_id, duplicate);
	if (st == LB_NOINPUT)
		return LB_OK;
	*found = st == LB_OK;
	return st;
}

struct add_request {
	struct lead *lead;      /* filled in by the change */
	struct lead asked;      /* as the caller gave it */
};

/* Check and write one new lead with its create event; inside a transaction. */
static enum lb_status add_one(struct door *door, const void *arg)
{
	const struct add_request *add = arg;
	struct lead *lead = add->lead;
	struct rules_verdict verdict;
	struct lead duplicate;
	int64_t now;
	bool has_duplicate;
	enum lb_status st;

	/* each attempt starts anew from what was asked, with no id */
	*lead = add->asked;
	lead->id[0] = '\0';
	now = door->clock();
	door_clean_fields(lead, FIELD_ALL);
	if ((st = door_check_fields(lead, FIELD_ALL)))
		return st;
	if ((st = door_find_duplicate(door, lead->email, NULL, &duplicate, &has_duplicate)))
		return st;
	verdict = door_ask_add(door, lead, false, has_duplicate ? &duplicate : NULL);
	if (verdict.status)
		return door_refuse(&verdict);
	snprintf(lead->stage, sizeof lead->stage, "%s", door->board.stages[verdict.stage].key);
	door_fill_new_state(door, lead, verdict.owns, now);
	return door_insert_new(door, lead, now, verdict.duplicate ? verdict.overridden : NULL);
}

enum lb_status door_insert_new(struct door *door, const struct lead *lead, int64_t now,
			       const char *rule)
{
	struct lb_event event;
	enum lb_status st;

	if ((st = store_insert_lead(door->store, lead))) {
		if (st == LB_DATA)
			return lb_fail(LB_DATA, "a lead with id %s exists already", lead->id);
		return st;
	}
	door_create_event(door, &event, lead, now);
	snprintf(event.rule, sizeof event.rule, "%s", rule ? rule : "");
	return store_append_event(door->store, &event);
}

void door_create_event(struct door *door, struct lb_event *event, const struct lead *lead,
		       int64_t now)
{
	door_event_init(door, event, EV_CREATE, lead, now);
	event->from_stage[0] = '\0';
	/* where the lead starts, when not where a fresh lead does: the log alone
	 * then replays every lead (replay.h) */
	replay_start_note(lead, now, event->note, sizeof event->note);
}

enum lb_status door_add(struct door *door, struct lead *lead)
{
	const struct add_request add = { .lead = lead, .asked = *lead };

	return door_run_change(door, add_one, &add);
}

/* ---- edit ----------------------------------------------------------------- */

static void describe_change(char *note, size_t size, const char *field, const char *before,
			    const char *after)
{
	size_t used = strlen(note);

	if (used + 8 >= size)
		return;
	snprintf(note + used, size - used, "%s%s: %.200s -> %.200s", used ? "; " : "", field,
		 before[0] ? before : "(none)", after[0] ? after : "(none)");
}

/* Copy the fields in mask from changes into lead, noting each that differs.
 * Returns how many differ. */
static int apply_fields(struct lead *lead, const struct lead *changes, unsigned mask, char *note,
			size_t size)
{
	static const struct {
		unsigned field;
		const char *name;
		size_t offset;
		size_t length;
	} texts[] = {
#define TEXT(flag, member) { flag, #member, offsetof(struct lead, member), sizeof(((struct lead *)0)->member) }
		TEXT(FIELD_NAME, name), TEXT(FIELD_EMAIL, email), TEXT(FIELD_PHONE, phone),
		TEXT(FIELD_COMPANY, company),
		TEXT(FIELD_TITLE, title), TEXT(FIELD_COUNTRY, country), TEXT(FIELD_SEGMENT, segment),
		TEXT(FIELD_SOURCE, source),
#undef TEXT
	};
	char before[32], after[32];
	int changed = 0;

	note[0] = '\0';
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		char *to = (char *)lead + texts[i].offset;
		const char *from = (const char *)changes + texts[i].offset;
		if (!(mask & texts[i].field) || strcmp(to, from) == 0)
			continue;
		describe_change(note, size, texts[i].name, to, from);
		snprintf(to, texts[i].length, "%s", from);
		changed++;
	}
	if ((mask & FIELD_EMPLOYEES) && lead->employees != changes->employees) {
		snprintf(before, sizeof before, "%" PRId64, lead->employees);
		snprintf(after, sizeof after, "%" PRId64, changes->employees);
		describe_change(note, size, "employees", lead->employees < 0 ? "" : before,
				changes->employees < 0 ? "" : after);
		lead->employees = changes->employees;
		changed++;
	}
	if ((mask & FIELD_SCORE) && lead->score != changes->score) {
		snprintf(before, sizeof before, "%d", lead->score);
		snprintf(after, sizeof after, "%d", changes->score);
		describe_change(note, size, "score", before, after);
		lead->score = changes->score;
		changed++;
	}
	return changed;
}

/* The lead on the board other than lead whose e-mail changes would give it
 * (*found false when the e-mail keeps its key: a change of case is not a
 * new address). */
static enum lb_status edit_duplicate(struct door *door, const struct lead *lead,
				     const struct lead *changes, unsigned mask,
				     struct lead *duplicate, bool *found)
{
	char before[LB_TEXT_MAX + 1], after[LB_TEXT_MAX + 1];

	*found = false;
	if (!(mask & FIELD_EMAIL))
		return LB_OK;
	clean_email_key(lead->email, before, sizeof before);
	clean_email_key(changes->email, after, sizeof after);
	if (strcmp(before, after) == 0)
		return LB_OK;
	return door_find_duplicate(door, changes->email, lead->id, duplicate, found);
}

struct edit_request {
	const char *id;
	const struct lead *changes;
	unsigned mask;                  /* which fields of changes to write */
	int64_t expected_version;
};

/* The edit's fields onto the lead, and its event, unless nothing changes. */
static enum lb_status write_edit(struct door *door, struct lead_change *c,
				 const struct lead *changes, unsigned mask)
{
	if (!apply_fields(&c->lead, changes, mask, c->event.note, sizeof c->event.note)) {
		if (door->in_import)
			return LB_OK;   /* an import row equal to the lead: nothing to log */
		char sid[RULES_LABEL_SIZE];
		rules_lead_label(&c->lead, sid);
		return lb_fail(LB_DATA, "lead %s already has these values; nothing changed", sid);
	}
	if (door->dry_run)
		return LB_OK;
	c->lead.updated_at = c->now;
	return door_write_change(door, &c->before, &c->lead, &c->event, true);
}

static enum lb_status edit_one(struct door *door, const void *arg)
{
	const struct edit_request *edit = arg;
	struct rules_request request = { .action = RULES_EDIT,
					 .allow_duplicate = door->allow_duplicate };
	struct lead_change c = { .now = door->clock() };
	struct lead duplicate, changes = *edit->changes;   /* a copy to clean */
	bool has_duplicate;
	enum lb_status st;

	door_clean_fields(&changes, edit->mask);
	if ((st = door_check_fields(&changes, edit->mask)) ||
	    (st = door_change_load(door, edit->id, edit->expected_version, &c)) ||
	    (st = edit_duplicate(door, &c.lead, &changes, edit->mask, &duplicate, &has_duplicate)))
		return st;
	request.duplicate_of = has_duplicate ? &duplicate : NULL;
	if ((st = door_change_ask(door, &c, &request)))
		return st;
	return write_edit(door, &c, &changes, edit->mask);
}

enum lb_status door_edit(struct door *door, const char *id, const struct lead *changes,
			 unsigned mask, int64_t expected_version)
{
	const struct edit_request edit = { id, changes, mask, expected_version };

	return door_run_change(door, edit_one, &edit);
}

/* ---- moves ----------------------------------------------------------------- */

enum lb_status door_save(struct door *door, const struct lead *before, struct lead *lead,
			 struct lb_event *event)
{
	return door_write_change(door, before, lead, event, false);
}

/* The lead's state after the move the verdict allowed (c->verdict.change). */
static void apply_move(struct lead_change *c, const char *to, const char *note)
{
	struct lead *lead = &c->lead;

	snprintf(lead->stage, sizeof lead->stage, "%s", to);
	lead->stage_entered_at = lead->updated_at = c->now;
	if (c->verdict.change == CHANGE_HANDOFF) {
		/* its time with sales starts afresh (replay.c hand_off) */
		lead->handoff_count++;
		lead->handed_off_at = c->now;
		lead->owner[0] = '\0';
		lead->owner_since = 0;
		lead->contact_attempts = 0;
		lead->first_contact_at = lead->last_contact_at = 0;
	} else if (c->verdict.change == CHANGE_PASSBACK) {
		lead->recycle_count++;
		lead->owner[0] = '\0';
		lead->owner_since = 0;
		snprintf(lead->last_reason, sizeof lead->last_reason, "%s", c->event.reason);
		snprintf(lead->last_note, sizeof lead->last_note, "%s", note ? note : "");
	}
}

static enum lb_status move_one(struct door *door, const void *arg)
{
	const struct lead_verb *move = arg;
	const char *reason = move->reason, *note = move->note;
	struct rules_request request = {
		.action = RULES_MOVE,
		.stage = move->stage,
		.reason_given = reason && reason[0],
		.note_given = door_note_given(note),
		.override = move->override,
		.reason = reason,
	};
	struct lead_change c = { .now = door->clock() };
	char rep[LB_KEY_MAX + 1] = "";
	enum lb_status st;

	if ((st = door_change_load(door, move->id, move->expected_version, &c)) ||
	    (st = door_check_reason(door, reason)) || (st = door_check_note(note)) ||
	    (st = door_change_ask(door, &c, &request)))
		return st;
	snprintf(c.event.to_stage, sizeof c.event.to_stage, "%s", move->stage);
	snprintf(c.event.reason, sizeof c.event.reason, "%s", reason ? reason : "");
	snprintf(c.event.note, sizeof c.event.note, "%s", note ? note : "");
	/* routing on: the rep is picked first, so that a handoff nobody could
	 * take says so in its own event (the report counts them) */
	if (c.verdict.route) {
		if ((st = door_route_pick(door, &c.lead, NULL, c.now, rep)))
			return st;
		if (!rep[0])
			rules_route_none_rule(&door->settings, c.verdict.overridden, c.event.rule,
					      sizeof c.event.rule);
	}
	apply_move(&c, move->stage, note);
	if ((st = door_save(door, &c.before, &c.lead, &c.event)))
		return st;
	/* routing on: the handoff reaches a rep in the same change */
	return rep[0] ? door_route_assign(door, &c.lead, rep, NULL, c.now) : LB_OK;
}

enum lb_status door_move(struct door *door, const char *id, const char *to, const char *reason,
			 const char *note, bool override, int64_t expected_version)
{
	const struct lead_verb move = { .id = id, .expected_version = expected_version,
					.stage = to, .reason = reason, .note = note,
					.override = override };

	return door_run_change(door, move_one, &move);
}

/* ---- ownership --------------------------------------------------------------- */

/* The lead is login's from now. */
static void give_to(struct lead_change *c, const char *login)
{
	snprintf(c->lead.owner, sizeof c->lead.owner, "%s", login);
	c->lead.owner_since = c->lead.updated_at = c->now;
}

static enum lb_status claim_one(struct door *door, const void *arg)
{
	const struct lead_verb *claim = arg;
	struct lead_change c = { .now = door->clock() };
	int open_count;
	enum lb_status st;

	if ((st = door_change_load(door, claim->id, claim->expected_version, &c)) ||
	    (st = store_open_lead_count(door->store, door->actor.login, &open_count)) ||
	    (st = door_change_ask(door, &c, &(struct rules_request){ .action = RULES_CLAIM,
								     .open_count = open_count })))
		return st;
	give_to(&c, door->actor.login);
	return door_save(door, &c.before, &c.lead, &c.event);
}

enum lb_status door_claim(struct door *door, const char *id, int64_t expected_version)
{
	const struct lead_verb claim = { .id = id, .expected_version = expected_version };

	return door_run_change(door, claim_one, &claim);
}

static enum lb_status assign_one(struct door *door, const void *arg)
{
	const struct lead_verb *assign = arg;
	struct lead_change c = { .now = door->clock() };
	struct lb_user assignee;
	bool known;
	enum lb_status st;

	if ((st = door_change_load(door, assign->id, assign->expected_version, &c)))
		return st;
	st = store_get_user(door->store, assign->login, &assignee);
	if (st && st != LB_NOINPUT)
		return st;
	known = st == LB_OK;
	if ((st = door_change_ask(door, &c,
				  &(struct rules_request){ .action = RULES_ASSIGN,
							   .assignee_login = assign->login,
							   .assignee = known ? &assignee : NULL })))
		return st;
	/* The assignee goes in the note: the event's one free-text field. */
	snprintf(c.event.note, sizeof c.event.note, "%s", assignee.login);
	give_to(&c, assignee.login);
	return door_save(door, &c.before, &c.lead, &c.event);
}

enum lb_status door_assign(struct door *door, const char *id, const char *login,
			   int64_t expected_version)
{
	const struct lead_verb assign = { .id = id, .expected_version = expected_version,
					  .login = login };

	return door_run_change(door, assign_one, &assign);
}

/* ---- discard and restore ----------------------------------------------------- */

static enum lb_status discard_one(struct door *door, const void *arg)
{
	const struct lead_verb *discard = arg;
	const char *reason = discard->reason, *note = discard->note ? discard->note : "";
	struct rules_request request = { .action = RULES_DISCARD,
					 .reason_given = reason && reason[0] };
	struct lead_change c = { .now = door->clock() };
	enum lb_status st;

	if ((st = door_change_load(door, discard->id, discard->expected_version, &c)) ||
	    (st = door_check_reason(door, reason)) || (st = door_check_note(discard->note)) ||
	    (st = door_change_ask(door, &c, &request)))
		return st;
	snprintf(c.event.to_stage, sizeof c.event.to_stage, "%s", LB_DISCARDED);
	snprintf(c.event.reason, sizeof c.event.reason, "%s", reason);
	snprintf(c.event.note, sizeof c.event.note, "%s", note);
	snprintf(c.lead.stage, sizeof c.lead.stage, "%s", LB_DISCARDED);
	snprintf(c.lead.last_reason, sizeof c.lead.last_reason, "%s", reason);
	snprintf(c.lead.last_note, sizeof c.lead.last_note, "%s", note);
	c.lead.owner[0] = '\0';
	c.lead.owner_since = 0;
	c.lead.stage_entered_at = c.lead.updated_at = c.now;
	return door_save(door, &c.before, &c.lead, &c.event);
}

enum lb_status door_discard(struct door *door, const char *id, const char *reason,
			    const char *note, int64_t expected_version)
{
	const struct lead_verb discard = { .id = id, .expected_version = expected_version,
					   .reason = reason, .note = note };

	return door_run_change(door, discard_one, &discard);
}

static enum lb_status restore_one(struct door *door, const void *arg)
{
	const struct lead_verb *restore = arg;
	struct rules_request request = { .action = RULES_RESTORE,
					 .allow_duplicate = door->allow_duplicate };
	struct lead_change c = { .now = door->clock() };
	struct lead duplicate;
	bool has_duplicate = false;
	const char *stage;
	enum lb_status st;

	if ((st = door_change_load(door, restore->id, restore->expected_version, &c)))
		return st;
	/* back on the board, its e-mail must be the only one there */
	if (strcmp(c.lead.stage, LB_DISCARDED) == 0 &&
	    (st = door_find_duplicate(door, c.lead.email, c.lead.id, &duplicate, &has_duplicate)))
		return st;
	request.duplicate_of = has_duplicate ? &duplicate : NULL;
	if ((st = door_change_ask(door, &c, &request)))
		return st;
	stage = door->board.stages[c.verdict.stage].key;
	snprintf(c.event.to_stage, sizeof c.event.to_stage, "%s", stage);
	snprintf(c.lead.stage, sizeof c.lead.stage, "%s", stage);
	c.lead.stage_entered_at = c.lead.updated_at = c.now;
	return door_save(door, &c.before, &c.lead, &c.event);
}

enum lb_status door_restore(struct door *door, const char *id, int64_t expected_version)
{
	const struct lead_verb restore = { .id = id, .expected_version = expected_version };

	return door_run_change(door, restore_one, &restore);
}

/* ---- import ------------------------------------------------------------------ */

enum lb_status door_import_update(struct door *door, const char *id, const struct lead *changes,
				  unsigned mask)
{
	if (!door->in_import)
		return lb_fail(LB_SOFTWARE, "import row outside an import");
	return edit_one(door, &(struct edit_request){ id, changes, mask, DOOR_ANY_VERSION });
}

enum lb_status door_import_end(struct door *door, bool commit)
{
	if (!door->in_import)
		return LB_OK;
	door->in_import = false;
	if (door->dry_run) {
		door->dry_run = false;
		store_end_read(door->store);
		return LB_OK;
	}
	if (!commit) {
		store_rollback(door->store);
		return LB_OK;
	}
	return door_commit(door);
}
