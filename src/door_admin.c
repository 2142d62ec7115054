/* door_admin.c - changes to the board itself: users, settings, reasons, stages. */
#include <stdio.h>
#include <string.h>

#include "door_impl.h"
#include "leadboard/text.h"
#include "leadboard/timeutil.h"

/* Runs inside the change's transaction: only an admin gets further. */
static enum lb_status require_admin(struct door *door, const char *what)
{
	struct rules_verdict verdict = rules_check_admin(&door->actor, what);

	return verdict.status ? door_refuse(&verdict) : LB_OK;
}

static enum lb_status log_board_change(struct door *door, enum lb_event_kind kind,
				       const char *note)
{
	struct lb_event event;

	door_event_init(door, &event, kind, NULL, door->clock());
	snprintf(event.note, sizeof event.note, "%s", note);
	return store_append_event(door->store, &event);
}

/* ---- users ------------------------------------------------------------------- */

static int count_admins(const struct lb_user *user, void *ctx)
{
	if (rules_administers(user))
		(*(int *)ctx)++;
	return 0;
}

/* Refuses a change that would leave no enabled admin. */
static enum lb_status keep_an_admin(struct door *door, const struct lb_user *before,
				    const struct lb_user *after)
{
	struct rules_verdict verdict;
	int admins = 0;
	enum lb_status st;

	if ((st = store_users_each(door->store, count_admins, &admins)))
		return st;
	verdict = rules_check_member_change(before, after, admins);
	return verdict.status ? door_refuse(&verdict) : LB_OK;
}

static enum lb_status user_add(struct door *door, const char *login, enum lb_role role)
{
	struct lb_user user = { .role = role, .created_at = door->clock() };
	char note[256];
	enum lb_status st;

	if ((st = door_check_key("a login", login)))
		return st;
	if (strcmp(login, DOOR_SYSTEM_ACTOR) == 0)
		return lb_fail(LB_DATA, "'%s' is the name the sweep acts under; pick another login",
			       login);
	st = store_get_user(door->store, login, &user);
	if (st == LB_OK)
		return lb_fail(LB_DATA, "%s is already a member (%s%s); see leadboard user set",
			       login, role_name(user.role), user.disabled ? ", disabled" : "");
	if (st != LB_NOINPUT)
		return st;
	snprintf(user.login, sizeof user.login, "%s", login);
	user.role = role;
	user.created_at = door->clock();
	if ((st = store_write_user(door->store, &user)))
		return st;
	snprintf(note, sizeof note, "added %s as %s", login, role_name(role));
	return log_board_change(door, EV_USER, note);
}

struct new_member {
	const char *login;
	enum lb_role role;
};

static enum lb_status admin_adds_user(struct door *door, const void *arg)
{
	const struct new_member *member = arg;
	enum lb_status st = require_admin(door, "users");

	return st ? st : user_add(door, member->login, member->role);
}

enum lb_status door_user_add(struct door *door, const char *login, enum lb_role role)
{
	const struct new_member member = { login, role };

	return door_run_change(door, admin_adds_user, &member);
}

enum lb_status door_bootstrap_admin(struct door *door, const char *login, bool *done)
{
	int users;
	enum lb_status st;

	*done = false;
	if ((st = store_begin_write(door->store)))
		return st;
	/* another init may have got here first: then there is nothing to do */
	if (!(st = store_user_count(door->store, &users)) && users > 0) {
		store_rollback(door->store);
		return LB_OK;
	}
	if (!st) {
		*done = true;
		snprintf(door->actor.login, sizeof door->actor.login, "%s", login);
		door->actor.role = ROLE_ADMIN;
		st = user_add(door, login, ROLE_ADMIN);
	}
	return door_finish(door, st);
}

/* Edits user as arg says and writes a note saying what changed. */
typedef enum lb_status member_edit_fn(struct lb_user *user, const void *arg, char *note,
				      size_t size);

/* A change to an existing user: edit() changes the copy. routing: what
 * routing knows of them ("away" or "coverage", rules_check_member_routing),
 * which others than admins may change; NULL: admins only. */
struct member_change {
	const char *login;
	member_edit_fn *edit;
	const void *arg;
	const char *routing;
};

static enum lb_status change_member(struct door *door, const void *arg)
{
	const struct member_change *change = arg;
	const char *login = change->login, *routing = change->routing;
	struct lb_user before, after;
	struct rules_verdict may;
	char note[512];
	enum lb_status st;

	if (!routing && (st = require_admin(door, "users")))
		return st;
	st = store_get_user(door->store, login, &before);
	if (st == LB_NOINPUT)
		st = lb_fail(LB_DATA, "'%s' is not a board member (see leadboard user list)", login);
	if (st)
		return st;
	if (routing && (may = rules_check_member_routing(&door->actor, &before, routing)).status)
		return door_refuse(&may);
	after = before;
	if (!(st = change->edit(&after, change->arg, note, sizeof note)) &&
	    !(st = keep_an_admin(door, &before, &after)) &&
	    !(st = store_write_user(door->store, &after)))
		st = log_board_change(door, EV_USER, note);
	return st;
}

static enum lb_status user_change(struct door *door, const char *login, member_edit_fn *edit,
				  const void *arg, const char *routing)
{
	const struct member_change change = { login, edit, arg, routing };

	return door_run_change(door, change_member, &change);
}

static enum lb_status set_role(struct lb_user *user, const void *arg, char *note, size_t size)
{
	enum lb_role role = *(const enum lb_role *)arg;

	if (user->role == role)
		return lb_fail(LB_DATA, "%s is %s already", user->login, role_name(role));
	snprintf(note, size, "%s: %s -> %s", user->login, role_name(user->role), role_name(role));
	user->role = role;
	return LB_OK;
}

enum lb_status door_user_set_role(struct door *door, const char *login, enum lb_role role)
{
	return user_change(door, login, set_role, &role, NULL);
}

/* arg: whether the user is to be disabled (else enabled). */
static enum lb_status set_disabled(struct lb_user *user, const void *arg, char *note, size_t size)
{
	bool disabled = *(const bool *)arg;
	const char *done = disabled ? "disabled" : "enabled";

	if (user->disabled == disabled)
		return lb_fail(LB_DATA, "%s is %s already", user->login, done);
	snprintf(note, size, "%s %s", done, user->login);
	user->disabled = disabled;
	return LB_OK;
}

enum lb_status door_user_disable(struct door *door, const char *login)
{
	return user_change(door, login, set_disabled, &(bool){ true }, NULL);
}

enum lb_status door_user_enable(struct door *door, const char *login)
{
	return user_change(door, login, set_disabled, &(bool){ false }, NULL);
}

struct away {
	bool away;
	int64_t until;
	int64_t now;
};

static enum lb_status set_away(struct lb_user *user, const void *arg, char *note, size_t size)
{
	const struct away *a = arg;
	char iso[32];

	if (a->away && a->until && a->until <= a->now)
		return lb_fail(LB_DATA, "--until must be in the future");
	if (!a->away && !rules_is_away(user, a->now))
		return lb_fail(LB_DATA, "%s is not away", user->login);
	if (a->away && rules_is_away(user, a->now) && user->away_until == a->until)
		return lb_fail(LB_DATA, "%s is away already", user->login);
	if (a->away && a->until)
		snprintf(note, size, "%s: away until %s", user->login,
			 time_format_iso(a->until, iso));
	else
		snprintf(note, size, "%s: %s", user->login, a->away ? "away" : "back");
	user->away = a->away;
	user->away_until = a->away ? a->until : 0;
	return LB_OK;
}

enum lb_status door_user_set_away(struct door *door, const char *login, bool away,
				  int64_t until)
{
	struct away a = { away, until, door->clock() };

	return user_change(door, login, set_away, &a, "away");
}

struct coverage {
	const char *territories, *segments;
};

/* A list as stored: items trimmed, upper-case country codes or lower-case
 * segments, joined by ",". */
static void normal_list(const char *list, bool upper, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");
		const char *end = p + n;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end > p && used + (size_t)(end - p) + 2 < size) {
			if (used)
				out[used++] = ',';
			for (; p < end; p++)
				out[used++] = upper ? (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p)
						    : (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
			out[used] = '\0';
		}
		p += strcspn(p, ",");
		if (*p)
			p++;
	}
}

static enum lb_status set_coverage(struct lb_user *user, const void *arg, char *note,
				   size_t size)
{
	const struct coverage *c = arg;
	char territories[LB_LIST_MAX + 1], segments[LB_LIST_MAX + 1], message[256];

	if (rules_member_lists_check(c->territories, c->segments, message, sizeof message))
		return lb_fail(LB_DATA, "%s", message);
	normal_list(c->territories ? c->territories : user->territories, true, territories,
		    sizeof territories);
	normal_list(c->segments ? c->segments : user->segments, false, segments,
		    sizeof segments);
	if (strcmp(territories, user->territories) == 0 && strcmp(segments, user->segments) == 0)
		return lb_fail(LB_DATA, "%s covers that already", user->login);
	snprintf(note, size, "%s: territories %s, segments %s", user->login,
		 territories[0] ? territories : "everywhere", segments[0] ? segments : "all");
	snprintf(user->territories, sizeof user->territories, "%s", territories);
	snprintf(user->segments, sizeof user->segments, "%s", segments);
	return LB_OK;
}

enum lb_status door_user_set_coverage(struct door *door, const char *login,
				      const char *territories, const char *segments)
{
	struct coverage c = { territories, segments };

	return user_change(door, login, set_coverage, &c, "coverage");
}

/* ---- settings ---------------------------------------------------------------- */

struct setting {
	const char *key, *value;
};

static enum lb_status set_setting(struct door *door, const void *arg)
{
	const struct setting *setting = arg;
	const char *key = setting->key, *given = setting->value;
	char before[LB_TEXT_MAX + 1], message[256], note[2 * LB_TEXT_MAX + 64];
	char value[LB_TEXT_MAX + 1];
	struct rules_settings check;
	enum lb_status st;

	if ((st = require_admin(door, "settings")))
		return st;
	check = door->settings;
	if ((st = text_check_field(key, given, LB_TEXT_MAX)))
		return st;
	/* stored as the gate compares it: countries as codes, segments as b2b/b2c */
	if (rules_setting_normalize(key, given, value, sizeof value, message, sizeof message))
		return lb_fail(LB_DATA, "%s", message);
	if (rules_setting_apply(&check, key, value, message, sizeof message))
		return lb_fail(LB_DATA, "%s", message);
	if (strcmp(key, "timezone") == 0 && !business_zone_known(value))
		return lb_fail(LB_DATA, "no time zone '%s' in this system's tz database "
					"(/usr/share/zoneinfo; Debian's package tzdata)", value);
	if (store_get_setting(door->store, key, before, sizeof before) != LB_OK)
		before[0] = '\0';
	if (strcmp(before, value) == 0)
		return lb_fail(LB_DATA, "%s is '%s' already", key, value);
	if ((st = store_write_setting(door->store, key, value)))
		return st;
	snprintf(note, sizeof note, "%s: '%s' -> '%s'", key, before, value);
	return log_board_change(door, EV_SETTING, note);
}

enum lb_status door_setting_set(struct door *door, const char *key, const char *value)
{
	const struct setting setting = { key, value };

	return door_run_change(door, set_setting, &setting);
}

/* ---- reasons ----------------------------------------------------------------- */

struct reason_words {
	const char *code, *label;
};

static enum lb_status add_reason(struct door *door, const void *arg)
{
	const struct reason_words *words = arg;
	const char *code = words->code, *label = words->label;
	struct lb_reason reason;
	char note[LB_TEXT_MAX + 128];
	enum lb_status st;

	if ((st = require_admin(door, "reasons")) || (st = door_check_key("a reason code", code)) ||
	    (st = text_check_field("label", label, LB_TEXT_MAX)))
		return st;
	if (!label[0])
		return lb_fail(LB_DATA, "a reason needs a label");
	st = store_get_reason(door->store, code, &reason);
	if (st == LB_OK && reason.active)
		return lb_fail(LB_DATA, "reason '%s' exists already", code);
	if (st && st != LB_NOINPUT)
		return st;
	snprintf(reason.code, sizeof reason.code, "%s", code);
	snprintf(reason.label, sizeof reason.label, "%s", label);
	reason.active = true;
	if ((st = store_write_reason(door->store, &reason)))
		return st;
	snprintf(note, sizeof note, "added reason %s: %s", code, label);
	return log_board_change(door, EV_REASON, note);
}

enum lb_status door_reason_add(struct door *door, const char *code, const char *label)
{
	const struct reason_words words = { code, label };

	return door_run_change(door, add_reason, &words);
}

static enum lb_status retire_reason(struct door *door, const void *arg)
{
	const char *code = arg;
	struct lb_reason reason;
	char note[LB_KEY_MAX + 64];
	enum lb_status st;

	if ((st = require_admin(door, "reasons")))
		return st;
	st = store_get_reason(door->store, code, &reason);
	if (st == LB_NOINPUT)
		st = lb_fail(LB_DATA, "no reason code '%s' (see leadboard reasons)", code);
	else if (!st && !reason.active)
		st = lb_fail(LB_DATA, "reason '%s' is retired already", code);
	if (st)
		return st;
	reason.active = false;
	if ((st = store_write_reason(door->store, &reason)))
		return st;
	snprintf(note, sizeof note, "retired reason %s", code);
	return log_board_change(door, EV_REASON, note);
}

enum lb_status door_reason_retire(struct door *door, const char *code)
{
	return door_run_change(door, retire_reason, code);
}

/* ---- stages ------------------------------------------------------------------ */

/* What an admin asks of a stage; each change reads the fields it needs. */
struct stage_request {
	const char *key;
	const char *title;      /* add, rename */
	int idle_days;          /* set the idle limit */
	enum lb_team team;      /* add: whose it is, */
	const char *after;      /* after which stage (NULL: the team's last; "": first), */
	bool terminal;          /* and whether leads end there */
};

static enum lb_status set_stage_idle(struct door *door, const void *arg)
{
	const struct stage_request *request = arg;
	const char *key = request->key;
	int days = request->idle_days;
	char note[LB_KEY_MAX + 128], was[32], now[32];
	struct lb_stage *stage;
	int at;
	enum lb_status st;

	if ((st = require_admin(door, "stages")))
		return st;
	if ((at = board_find(&door->board, key)) < 0)
		return lb_fail(LB_DATA, "no stage '%s' (see leadboard stages)", key);
	stage = &door->board.stages[at];
	if (days < -1 || days > 100000)
		return lb_fail(LB_DATA, "--idle-days takes 0 to 100000 days");
	if (stage->idle_days == days)
		return lb_fail(LB_DATA, "stage %s has that idle limit already", key);
#define IDLE_WORDS(d, out) \
	((d) > 0 ? (snprintf(out, sizeof out, "%d days", (d)), out) \
		 : (d) < 0 ? "never stale" : "sla_idle_days")
	snprintf(note, sizeof note, "stage %s idle limit: %s -> %s", key,
		 IDLE_WORDS(stage->idle_days, was), IDLE_WORDS(days, now));
#undef IDLE_WORDS
	stage->idle_days = days;
	if ((st = store_write_stage(door->store, stage)))
		return st;
	return log_board_change(door, EV_STAGE, note);
}

enum lb_status door_stage_set_idle(struct door *door, const char *key, int days)
{
	const struct stage_request request = { .key = key, .idle_days = days };

	return door_run_change(door, set_stage_idle, &request);
}

/* Give the stages positions 10, 20, ... in their order, making room for one
 * more after index gap (its new position is returned). Positions are
 * unique, so the stages first move out of the way to negative numbers. */
static enum lb_status renumber(struct door *door, int gap, int *position)
{
	struct lb_board *b = &door->board;
	enum lb_status st;

	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < b->count; i++) {
			int pos = (i + 1 + (i > gap)) * 10;
			b->stages[i].position = pass == 0 ? -pos : pos;
			if ((st = store_write_stage(door->store, &b->stages[i])))
				return st;
		}
	}
	*position = (gap + 2) * 10;
	return LB_OK;
}

static enum lb_status add_stage(struct door *door, const void *arg)
{
	const struct stage_request *request = arg;
	const char *key = request->key, *title = request->title, *after = request->after;
	enum lb_team team = request->team;
	struct lb_board *b = &door->board;
	struct rules_verdict place;
	struct lb_stage stage;
	char note[LB_TEXT_MAX + 128];
	int at, position;
	enum lb_status st;

	if ((st = require_admin(door, "stages")) || (st = door_check_key("a stage key", key)) ||
	    (st = text_check_field("title", title, LB_TEXT_MAX)))
		return st;
	if (!title[0])
		return lb_fail(LB_DATA, "a stage needs a title");
	if (board_find(b, key) >= 0 || lead_state_off_board(key))
		return lb_fail(LB_DATA, "stage '%s' exists already", key);
	if (b->count >= LB_MAX_STAGES)
		return lb_fail(LB_DATA, "a board has at most %d stages", LB_MAX_STAGES);
	if (!after)
		at = board_last_of(b, team);
	else if (!after[0])
		at = -1;                        /* at the start of the board */
	else if ((at = board_find(b, after)) < 0)
		return lb_fail(LB_DATA, "no stage '%s' to add after", after);
	place = rules_check_stage_place(b, team, at);
	if (place.status)
		return door_refuse(&place);
	if (at < 0)
		position = b->stages[0].position - 10;
	else if (at + 1 < b->count && b->stages[at + 1].position - b->stages[at].position > 1)
		position = b->stages[at].position +
			   (b->stages[at + 1].position - b->stages[at].position) / 2;
	else if (at + 1 == b->count)
		position = b->stages[at].position + 10;
	else if ((st = renumber(door, at, &position)))
		return st;
	memset(&stage, 0, sizeof stage);
	snprintf(stage.key, sizeof stage.key, "%s", key);
	snprintf(stage.title, sizeof stage.title, "%s", title);
	stage.team = team;
	stage.position = position;
	stage.terminal = request->terminal;
	if ((st = store_write_stage(door->store, &stage)))
		return st;
	snprintf(note, sizeof note, "added stage %s (%s, %s%s) %s %s", key, title,
		 team_name(team), stage.terminal ? ", terminal" : "", at < 0 ? "before" : "after",
		 b->stages[at < 0 ? 0 : at].key);
	return log_board_change(door, EV_STAGE, note);
}

enum lb_status door_stage_add(struct door *door, const char *key, const char *title,
			      enum lb_team team, const char *after, bool terminal)
{
	const struct stage_request request = { .key = key, .title = title, .team = team,
					       .after = after, .terminal = terminal };

	return door_run_change(door, add_stage, &request);
}

static enum lb_status rename_stage(struct door *door, const void *arg)
{
	const struct stage_request *request = arg;
	const char *key = request->key, *title = request->title;
	char note[2 * LB_TEXT_MAX + 64];
	int at;
	enum lb_status st;

	if ((st = require_admin(door, "stages")) ||
	    (st = text_check_field("title", title, LB_TEXT_MAX)))
		return st;
	if ((at = board_find(&door->board, key)) < 0)
		return lb_fail(LB_DATA, "no stage '%s' (see leadboard stages)", key);
	if (!title[0])
		return lb_fail(LB_DATA, "a stage needs a title");
	snprintf(note, sizeof note, "renamed stage %s: %s -> %s", key,
		 door->board.stages[at].title, title);
	snprintf(door->board.stages[at].title, sizeof door->board.stages[at].title, "%s", title);
	if ((st = store_write_stage(door->store, &door->board.stages[at])))
		return st;
	return log_board_change(door, EV_STAGE, note);
}

enum lb_status door_stage_rename(struct door *door, const char *key, const char *title)
{
	const struct stage_request request = { .key = key, .title = title };

	return door_run_change(door, rename_stage, &request);
}
