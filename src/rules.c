/* rules.c - the rule book. Pure: every answer comes from the arguments. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "leadboard/clean.h"
#include "leadboard/country.h"
#include "leadboard/rules.h"
#include "leadboard/timeutil.h"

static const char *const kind_names[EV_COUNT] = {
	[EV_CREATE] = "create",   [EV_EDIT] = "edit",       [EV_MOVE] = "move",
	[EV_HANDOFF] = "handoff", [EV_PASSBACK] = "passback", [EV_DISCARD] = "discard",
	[EV_RESTORE] = "restore", [EV_CLAIM] = "claim",     [EV_ASSIGN] = "assign",
	[EV_OVERRIDE] = "override", [EV_NOTE] = "note",     [EV_RELEASE] = "release",
	[EV_UNDO] = "undo",       [EV_USER] = "user",       [EV_SETTING] = "setting",
	[EV_REASON] = "reason",   [EV_STAGE] = "stage",     [EV_CONTACT] = "contact",
	[EV_ESCALATE] = "escalate", [EV_RECLAIM] = "reclaim", [EV_MERGE] = "merge",
};

const char *event_kind_name(enum lb_event_kind kind)
{
	return (unsigned)kind < EV_COUNT ? kind_names[kind] : "?";
}

bool event_kind_parse(const char *text, enum lb_event_kind *out)
{
	int i = name_index(kind_names, EV_COUNT, text);

	if (i >= 0)
		*out = (enum lb_event_kind)i;
	return i >= 0;
}

void event_merge_note(const char *keep_id, const char *filled, const char *text, char *out,
		      size_t size)
{
	snprintf(out, size, "into %.36s%s%s%s%s", keep_id, filled && filled[0] ? "; filled " : "",
		 filled ? filled : "", text && text[0] ? ": " : "", text ? text : "");
}

bool event_merge_target(const char *note, char keep_id[LB_ID_LEN + 1])
{
	static const char head[] = "into ";
	uint64_t hi, lo;

	if (strncmp(note, head, sizeof head - 1) != 0)
		return false;
	note += sizeof head - 1;
	if (strlen(note) < LB_ID_LEN || !lead_id_bits(note, LB_ID_LEN, &hi, &lo))
		return false;
	if (note[LB_ID_LEN] && note[LB_ID_LEN] != ';' && note[LB_ID_LEN] != ':')
		return false;
	memcpy(keep_id, note, LB_ID_LEN);
	keep_id[LB_ID_LEN] = '\0';
	return true;
}

const char *event_kind_list(void)
{
	static char list[256];

	if (!list[0])
		for (int i = 0; i < EV_COUNT; i++)
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
				 i ? ", " : "", kind_names[i]);
	return list;
}

void event_undo_note(int64_t seq, enum lb_event_kind kind, char *out, size_t size)
{
	snprintf(out, size, "undoes event %lld (%s)", (long long)seq, event_kind_name(kind));
}

bool event_undo_target(const char *note, int64_t *seq)
{
	static const char head[] = "undoes event ";
	char *end;
	long long n;

	if (strncmp(note, head, sizeof head - 1) != 0)
		return false;
	note += sizeof head - 1;
	if (!isdigit((unsigned char)*note))
		return false;
	errno = 0;
	n = strtoll(note, &end, 10);
	if (errno || n <= 0 || (*end && *end != ' '))
		return false;
	*seq = n;
	return true;
}

void rules_short_id(const char *id, char out[9])
{
	snprintf(out, 9, "%.8s", id);
}

void rules_lead_label(const struct lead *lead, char out[RULES_LABEL_SIZE])
{
	size_t n = strlen(lead->name);
	bool cut = n > 60;

	if (!n) {
		snprintf(out, RULES_LABEL_SIZE, "%.8s", lead->id);
		return;
	}
	/* at most 60 bytes of the name, never half a character; the
	 * terminal's side sanitizes what it prints */
	if (cut)
		for (n = 60; n > 0 && ((unsigned char)lead->name[n] & 0xc0) == 0x80; n--)
			;
	snprintf(out, RULES_LABEL_SIZE, "%.8s (%.*s%s)", lead->id, (int)n, lead->name,
		 cut ? "\u2026" : "");
}

/* ---- verdicts ---------------------------------------------------------- */

static struct rules_verdict allow(enum lb_event_kind kind)
{
	struct rules_verdict v;

	memset(&v, 0, sizeof v);
	v.status = LB_OK;
	v.kind = kind;
	v.stage = -1;
	return v;
}

static struct rules_verdict refuse(enum lb_status status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static struct rules_verdict refuse(enum lb_status status, const char *fmt, ...)
{
	struct rules_verdict v;
	va_list ap;

	memset(&v, 0, sizeof v);
	v.status = status;
	v.stage = -1;
	va_start(ap, fmt);
	vsnprintf(v.message, sizeof v.message, fmt, ap);
	va_end(ap);
	return v;
}

static bool is_manager(const struct lb_user *actor)
{
	return actor->role == ROLE_MANAGER || actor->role == ROLE_ADMIN;
}

/* The refusal for a lead sitting in another team's stage. */
static struct rules_verdict wrong_team(const struct lb_board *board, const struct lb_user *actor,
				       const struct lead *lead, const char *verb)
{
	char sid[RULES_LABEL_SIZE];
	int from = board_find(board, lead->stage);

	rules_lead_label(lead, sid);
	return refuse(LB_NOPERM, "lead %s is in %s, owned by %s; %s cannot %s it", sid,
		      board->stages[from].title, team_name(board->stages[from].team),
		      role_name(actor->role), verb);
}

static struct rules_verdict not_owner(const struct lead *lead)
{
	char sid[RULES_LABEL_SIZE];

	rules_lead_label(lead, sid);
	return refuse(LB_NOPERM, "lead %s is owned by %s; only %s or a manager can change it", sid,
		      lead->owner, lead->owner);
}

static bool is_merged(const struct lead *lead)
{
	return strcmp(lead->stage, LB_MERGED) == 0;
}

/* The refusal for a lead off the board: discarded (restore it first) or
 * merged into another (for good: work on that one). */
static struct rules_verdict discarded(const struct lead *lead)
{
	char sid[RULES_LABEL_SIZE], into[9];

	rules_lead_label(lead, sid);
	rules_short_id(lead->merged_into, into);
	if (is_merged(lead))
		return refuse(LB_DATA, "lead %s was merged into lead %s; change that one", sid,
			      into[0] ? into : "?");
	return refuse(LB_DATA, "lead %s is discarded; restore it first (leadboard restore %.8s)",
		      sid, lead->id);
}

static bool is_discarded(const struct lead *lead)
{
	return strcmp(lead->stage, LB_DISCARDED) == 0;
}

/* ---- settings ---------------------------------------------------------- */

static const char *const routing_names[] = {
	[ROUTING_OFF] = "off",
	[ROUTING_ROUND_ROBIN] = "round-robin",
	[ROUTING_LEAST_LOADED] = "least-loaded",
};

const char *rules_routing_name(enum rules_routing routing)
{
	return (unsigned)routing <= ROUTING_LEAST_LOADED ? routing_names[routing] : "?";
}

bool rules_routing_on(const struct rules_settings *settings)
{
	return settings->routing != ROUTING_OFF;
}

void rules_settings_defaults(struct rules_settings *s)
{
	memset(s, 0, sizeof *s);
	s->handoff_min_score = 0;
	snprintf(s->handoff_required, sizeof s->handoff_required, "email,company");
	s->max_handoffs = 2;
	s->sla_accept_hours = 24;
	s->undo_minutes = 10;
	s->gate_employees_min = -1;
	s->gate_employees_max = -1;
	s->routing = ROUTING_OFF;
	s->sla_hours.always = true;
	snprintf(s->timezone, sizeof s->timezone, "UTC");
}

static bool parse_count(const char *value, int64_t max, int64_t *out)
{
	char *end;
	long long n;

	if (!isdigit((unsigned char)value[0]))
		return false;
	errno = 0;
	n = strtoll(value, &end, 10);
	if (errno || *end || n > max)
		return false;
	*out = n;
	return true;
}

/* Calls fn for each trimmed, non-empty item of a comma-separated list; stops
 * and returns false when fn does. */
static bool each_item(const char *list, bool (*fn)(const char *item, void *ctx), void *ctx)
{
	char item[LB_TEXT_MAX + 1];
	const char *p = list;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		while (n && isspace((unsigned char)*p)) {
			p++;
			n--;
		}
		while (n && isspace((unsigned char)p[n - 1]))
			n--;
		if (n >= sizeof item)
			n = sizeof item - 1;
		memcpy(item, p, n);
		item[n] = '\0';
		if (n && !fn(item, ctx))
			return false;
		if (!end)
			break;
		p = end + 1;
	}
	return true;
}

static const char *const gate_fields[] = {
	"name", "email", "company", "title", "country", "employees", "segment", "source",
};

static bool known_field(const char *item, void *ctx)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof gate_fields / sizeof gate_fields[0]; i++)
		if (strcmp(item, gate_fields[i]) == 0)
			return true;
	return false;
}

static bool known_segment(const char *item, void *ctx)
{
	(void)ctx;
	return strcmp(item, "b2b") == 0 || strcmp(item, "b2c") == 0;
}

/* A gate_countries item as its code, appended to out. */
struct normal_list {
	char *out;
	size_t size;
	char *message;
	size_t message_size;
	bool countries;          /* else segments */
	bool failed;
};

static bool normal_item(const char *item, void *ctx)
{
	struct normal_list *n = ctx;
	const char *code = NULL;
	char segment[4];
	size_t used = strlen(n->out);

	if (n->countries && !(code = country_code(item))) {
		snprintf(n->message, n->message_size,
			 "gate_countries: '%.60s' is not a country ISO 3166-1 knows (a name, or a "
			 "two- or three-letter code)", item);
		n->failed = true;
		return false;
	}
	if (!n->countries) {
		if (!clean_segment(item, segment)) {
			snprintf(n->message, n->message_size,
				 "gate_segments: '%.60s' is not %s", item, CLEAN_SEGMENT_WORDS);
			n->failed = true;
			return false;
		}
		code = segment;
	}
	/* once each: "DE, Germany" is DE */
	for (const char *p = n->out; (p = strstr(p, code)); p++)
		if ((p == n->out || p[-1] == ',') && (p[strlen(code)] == ',' || !p[strlen(code)]))
			return true;
	snprintf(n->out + used, n->size - used, "%s%s", used ? "," : "", code);
	return true;
}

enum lb_status rules_setting_normalize(const char *key, const char *value, char *out,
				       size_t size, char *message, size_t message_size)
{
	struct normal_list n = { out, size, message, message_size, true, false };

	if (!size)
		return LB_SOFTWARE;
	out[0] = '\0';
	if (strcmp(key, "gate_countries") != 0 && strcmp(key, "gate_segments") != 0) {
		snprintf(out, size, "%s", value);
		return LB_OK;
	}
	n.countries = key[5] == 'c';
	each_item(value, normal_item, &n);
	return n.failed ? LB_DATA : LB_OK;
}

struct int_setting {
	const char *key;
	size_t offset;
	int64_t max;
};

#define INT_SETTING(field, max) { #field, offsetof(struct rules_settings, field), max }

static const struct int_setting int_settings[] = {
	INT_SETTING(handoff_min_score, 100),
	INT_SETTING(max_handoffs, 1000),
	INT_SETTING(sla_accept_hours, 100000),
	INT_SETTING(sla_sqls_per_month, 10000000),
	INT_SETTING(sla_idle_days, 100000),
	INT_SETTING(max_open_per_rep, 10000000),
	INT_SETTING(min_attempts, 1000),
	INT_SETTING(sla_contact_hours, 100000),
	INT_SETTING(undo_minutes, 10080),
};

/* The settings that are words, not numbers or lists. */
static bool apply_word_setting(struct rules_settings *s, const char *key, const char *value,
			       char *message, size_t size, enum lb_status *st)
{
	char why[200];

	*st = LB_OK;
	if (strcmp(key, "routing") == 0) {
		for (int i = ROUTING_OFF; i <= ROUTING_LEAST_LOADED; i++) {
			if (strcmp(value, routing_names[i]) == 0) {
				s->routing = (enum rules_routing)i;
				return true;
			}
		}
		snprintf(message, size, "routing is off, round-robin or least-loaded, not '%.80s'",
			 value);
		*st = LB_DATA;
		return true;
	}
	if (strcmp(key, "sla_hours") == 0) {
		struct business_hours hours;
		if (!business_hours_parse(value, &hours, why, sizeof why)) {
			snprintf(message, size, "sla_hours takes 24x7 or a weekly schedule like "
						"'Mon-Fri 09:00-17:00': %s", why);
			*st = LB_DATA;
			return true;
		}
		s->sla_hours = hours;
		return true;
	}
	if (strcmp(key, "timezone") == 0) {
		if (!business_zone_valid(value)) {
			snprintf(message, size, "timezone takes an IANA zone name like Europe/Berlin "
						"or UTC, not '%.80s'", value);
			*st = LB_DATA;
			return true;
		}
		snprintf(s->timezone, sizeof s->timezone, "%s", value);
		return true;
	}
	return false;
}

enum lb_status rules_setting_apply(struct rules_settings *s, const char *key, const char *value,
				   char *message, size_t size)
{
	int64_t n;
	enum lb_status st;

	if (apply_word_setting(s, key, value, message, size, &st))
		return st;
	for (size_t i = 0; i < sizeof int_settings / sizeof int_settings[0]; i++) {
		if (strcmp(key, int_settings[i].key) != 0)
			continue;
		if (!parse_count(value, int_settings[i].max, &n)) {
			snprintf(message, size, "%s takes a whole number from 0 to %lld, not '%s'",
				 key, (long long)int_settings[i].max, value);
			return LB_DATA;
		}
		*(int *)(void *)((char *)s + int_settings[i].offset) = (int)n;
		return LB_OK;
	}
	if (strcmp(key, "gate_employees_min") == 0 || strcmp(key, "gate_employees_max") == 0) {
		int64_t *field = key[15] == 'i' ? &s->gate_employees_min : &s->gate_employees_max;

		if (!value[0]) {
			*field = -1;
			return LB_OK;
		}
		if (!parse_count(value, INT64_MAX / 2, &n)) {
			snprintf(message, size, "%s takes a whole number or nothing, not '%s'", key,
				 value);
			return LB_DATA;
		}
		*field = n;
		return LB_OK;
	}
	struct {
		const char *key;
		char *field;
		bool (*check)(const char *, void *);
		const char *expect;
	} lists[] = {
		{ "handoff_required", s->handoff_required, known_field,
		  "field names from name, email, company, title, country, employees, segment, source" },
		{ "gate_segments", s->gate_segments, known_segment, "b2b and/or b2c" },
		{ "gate_countries", s->gate_countries, NULL, NULL },
		{ "gate_title_words", s->gate_title_words, NULL, NULL },
	};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		if (strcmp(key, lists[i].key) != 0)
			continue;
		if (strlen(value) > LB_TEXT_MAX) {
			snprintf(message, size, "%s is longer than %d bytes", key, LB_TEXT_MAX);
			return LB_DATA;
		}
		if (lists[i].check && !each_item(value, lists[i].check, NULL)) {
			snprintf(message, size, "%s takes a comma-separated list of %s, not '%s'", key,
				 lists[i].expect, value);
			return LB_DATA;
		}
		snprintf(lists[i].field, LB_TEXT_MAX + 1, "%s", value);
		return LB_OK;
	}
	snprintf(message, size, "no setting '%s' (see leadboard config)", key);
	return LB_DATA;
}

/* ---- the handoff gate -------------------------------------------------- */

struct unmet {
	char *out;
	size_t size;
	size_t used;
	int count;             /* criteria not met, whether or not they fit in out */
	const struct lead *lead;
	const char *probe;     /* value searched for by the list matchers */
	bool found;
};

static void add_unmet(struct unmet *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_unmet(struct unmet *u, const char *fmt, ...)
{
	va_list ap;
	int n;

	u->count++;
	if (u->used + 1 >= u->size)
		return;
	if (u->used) {
		n = snprintf(u->out + u->used, u->size - u->used, "; ");
		u->used += n > 0 ? (size_t)n : 0;
		if (u->used >= u->size)
			return;
	}
	va_start(ap, fmt);
	n = vsnprintf(u->out + u->used, u->size - u->used, fmt, ap);
	va_end(ap);
	u->used += n > 0 ? (size_t)n : 0;
}

/* A field's value as text; employees is written into number. */
static const char *field_value(const struct lead *lead, const char *field, char number[32])
{
	if (strcmp(field, "name") == 0) return lead->name;
	if (strcmp(field, "email") == 0) return lead->email;
	if (strcmp(field, "company") == 0) return lead->company;
	if (strcmp(field, "title") == 0) return lead->title;
	if (strcmp(field, "country") == 0) return lead->country;
	if (strcmp(field, "segment") == 0) return lead->segment;
	if (strcmp(field, "source") == 0) return lead->source;
	if (strcmp(field, "employees") == 0) {
		if (lead->employees < 0)
			return "";
		snprintf(number, 32, "%lld", (long long)lead->employees);
		return number;
	}
	return "";
}

static bool require_field(const char *field, void *ctx)
{
	struct unmet *u = ctx;
	char number[32];

	if (!field_value(u->lead, field, number)[0])
		add_unmet(u, "%s missing", field);
	return true;
}

static bool equals_probe(const char *item, void *ctx)
{
	struct unmet *u = ctx;

	if (strcasecmp(item, u->probe) == 0)
		u->found = true;
	return !u->found;
}

/* The same country: by ISO 3166-1 code when both name one ("Germany" is
 * DE), else as text in any case. */
static bool same_country(const char *item, void *ctx)
{
	struct unmet *u = ctx;
	const char *a = country_code(item), *b = country_code(u->probe);

	if (a && b ? strcmp(a, b) == 0 : strcasecmp(item, u->probe) == 0)
		u->found = true;
	return !u->found;
}

/* A title word matches when it appears in the title as a whole word. */
static bool word_in_probe(const char *word, void *ctx)
{
	struct unmet *u = ctx;
	size_t n = strlen(word);

	for (const char *p = u->probe; *p; p++) {
		if (strncasecmp(p, word, n) != 0)
			continue;
		bool start = p == u->probe || !isalnum((unsigned char)p[-1]);
		bool end = !isalnum((unsigned char)p[n]);
		if (start && end) {
			u->found = true;
			return false;
		}
	}
	return true;
}

static void check_list(struct unmet *u, const char *what, const char *value, const char *list,
		       bool (*match)(const char *, void *))
{
	if (!list[0])
		return;
	if (!value[0]) {
		add_unmet(u, "%s missing (agreed: %s)", what, list);
		return;
	}
	u->probe = value;
	u->found = false;
	each_item(list, match, u);
	if (!u->found)
		add_unmet(u, "%s '%s' not in %s", what, value, list);
}

bool rules_gate_passes(const struct rules_settings *s, const struct lead *lead, char *unmet,
		       size_t size)
{
	struct unmet u = { .out = unmet, .size = size, .lead = lead };

	if (size)
		unmet[0] = '\0';
	if (lead->score < s->handoff_min_score)
		add_unmet(&u, "score %d < %d", lead->score, s->handoff_min_score);
	each_item(s->handoff_required, require_field, &u);
	check_list(&u, "country", lead->country, s->gate_countries, same_country);
	check_list(&u, "segment", lead->segment, s->gate_segments, equals_probe);
	check_list(&u, "title", lead->title, s->gate_title_words, word_in_probe);
	if (s->gate_employees_min >= 0 || s->gate_employees_max >= 0) {
		if (lead->employees < 0)
			add_unmet(&u, "employees unknown");
		else if (s->gate_employees_min >= 0 && lead->employees < s->gate_employees_min)
			add_unmet(&u, "employees %lld < %lld", (long long)lead->employees,
				  (long long)s->gate_employees_min);
		else if (s->gate_employees_max >= 0 && lead->employees > s->gate_employees_max)
			add_unmet(&u, "employees %lld > %lld", (long long)lead->employees,
				  (long long)s->gate_employees_max);
	}
	return u.count == 0;
}

/* ---- the one question ---------------------------------------------------- */

/* Everything an answer depends on. */
struct ask {
	const struct lb_board *board;
	const struct rules_settings *settings;
	const struct lb_user *actor;
	const struct lead *lead;
	const struct rules_request *request;
};

static enum rules_change change_of(const struct lb_board *board, int from, int to)
{
	enum lb_team a = board->stages[from].team, b = board->stages[to].team;

	if (a == TEAM_MARKETING && b == TEAM_SALES)
		return CHANGE_HANDOFF;
	if (a == TEAM_SALES && b == TEAM_MARKETING)
		return CHANGE_PASSBACK;
	return to < from ? CHANGE_BACK : CHANGE_FORWARD;
}

/* An allowed move to stage to: where it goes and what it is. */
static struct rules_verdict allow_move(const struct ask *a, enum lb_event_kind kind, int from,
				       int to)
{
	struct rules_verdict v = allow(kind);

	v.change = change_of(a->board, from, to);
	v.stage = to;
	v.terminal = a->board->stages[to].terminal;
	/* a handoff (an override's too) finds its rep in the same change */
	v.route = v.change == CHANGE_HANDOFF && a->settings->routing != ROUTING_OFF;
	return v;
}

/* A reason the rules require: refused when the details are in and it is
 * missing; asked for when asking ahead. */
static bool reason_missing(const struct ask *a)
{
	return !a->request->ahead && !a->request->reason_given;
}

/*
 * The move as the team owning the lead's stage would make it: the rules for
 * marketing and sales. Managers reach this only through an override, where
 * it tells which rule the override sets aside.
 */
static struct rules_verdict team_move(const struct ask *a, const struct lb_user *actor, int from,
				      int to)
{
	const struct lb_board *board = a->board;
	const struct lead *lead = a->lead;
	const struct lb_stage *f = &board->stages[from];
	const struct lb_stage *t = &board->stages[to];
	enum lb_team team = role_team(actor->role);
	char sid[RULES_LABEL_SIZE];
	struct rules_verdict v;

	rules_lead_label(lead, sid);
	if (f->team != team)
		return wrong_team(board, actor, lead, "move");
	if (team == TEAM_SALES && lead->owner[0] && strcmp(lead->owner, actor->login) != 0)
		return not_owner(lead);

	if (f->team == t->team) {
		if (to < from && reason_missing(a))
			return refuse(LB_DATA,
				      "moving lead %s back from %s to %s needs a reason "
				      "(--reason CODE; see leadboard reasons)",
				      sid, f->title, t->title);
		v = allow_move(a, EV_MOVE, from, to);
		if (to < from) {
			v.reason = NEED_REQUIRED;
			v.note = NEED_OPTIONAL;
		}
		v.confirm = v.terminal;
		return v;
	}
	if (f->team == TEAM_MARKETING) {
		int last_marketing = rules_handoff_stage(board);
		int first_sales = board_first_of(board, TEAM_SALES);
		char unmet[400];

		if (from != last_marketing || to != first_sales)
			return refuse(LB_DATA,
				      "a lead crosses to sales only by handoff from %s to %s; "
				      "lead %s is in %s",
				      board->stages[last_marketing].title,
				      board->stages[first_sales].title, sid, f->title);
		if (lead->handoff_count >= a->settings->max_handoffs)
			return refuse(LB_DATA,
				      "lead %s was handed off %d times and max_handoffs is %d; "
				      "discard it or ask a manager to override",
				      sid, lead->handoff_count, a->settings->max_handoffs);
		if (!rules_gate_passes(a->settings, lead, unmet, sizeof unmet))
			return refuse(LB_DATA, "lead %s does not meet the handoff gate: %s", sid,
				      unmet);
		v = allow_move(a, EV_HANDOFF, from, to);
		v.confirm = true;
		v.note = NEED_OPTIONAL;   /* a word for the rep who will take it */
		return v;
	}
	if (reason_missing(a))
		return refuse(LB_DATA,
			      "passing lead %s back to marketing needs a reason "
			      "(--reason CODE; see leadboard reasons)",
			      sid);
	if (!a->request->ahead && a->settings->min_attempts > 0 && a->request->reason &&
	    strcmp(a->request->reason, "no-response") == 0 &&
	    lead->contact_attempts < a->settings->min_attempts)
	{
		char id8[9];
		rules_short_id(lead->id, id8);
		return refuse(LB_DATA,
			      "passing lead %s back as no-response needs %d contact attempts "
			      "(min_attempts); %d %s made (leadboard touch %s --channel ...)",
			      sid, a->settings->min_attempts, lead->contact_attempts,
			      lead->contact_attempts == 1 ? "was" : "were", id8);
	}
	v = allow_move(a, EV_PASSBACK, from, to);
	v.reason = NEED_REQUIRED;
	v.note = NEED_OPTIONAL;
	return v;
}

enum rules_change rules_change_between(const struct lb_board *board, const char *from_key,
				       const char *to_key)
{
	int from = board_find(board, from_key), to = board_find(board, to_key);

	return from < 0 || to < 0 ? CHANGE_NONE : change_of(board, from, to);
}

/* A manager's move: always an override, judged against the rule it sets
 * aside. Asked ahead, a manager is offered it; with the details, only
 * --override with a justification makes it. */
static struct rules_verdict override_move(const struct ask *a, int from, int to)
{
	const struct lb_board *board = a->board;
	struct lb_user as_team = { .role = ROLE_SALES };
	struct rules_verdict natural, v;

	if (!is_manager(a->actor))
		return refuse(LB_NOPERM, "only a manager can override a rule (you are %s)",
			      role_name(a->actor->role));
	if (!a->request->ahead && !a->request->note_given)
		return refuse(LB_DATA, "an override needs a written justification (--note TEXT)");
	/* Judge the move as a member of the lead's own team other than its
	 * owner would make it: what the override sets aside. */
	if (board->stages[from].team == TEAM_MARKETING)
		as_team.role = ROLE_MARKETING;
	if (board->stages[from].terminal)
		natural = refuse(LB_DATA, "%s is a terminal stage; nothing moves out of it",
				 board->stages[from].title);
	else
		natural = team_move(a, &as_team, from, to);
	v = allow_move(a, EV_OVERRIDE, from, to);
	v.override = true;
	v.justification = true;
	v.note = NEED_REQUIRED;
	v.reason = to < from ? NEED_OPTIONAL : NEED_NONE;
	if (natural.status != LB_OK)
		memcpy(v.overridden, natural.message, sizeof v.overridden);
	return v;
}

static struct rules_verdict ask_move(const struct ask *a)
{
	const struct lb_board *board = a->board;
	const struct rules_request *rq = a->request;
	const char *to_key = rq->stage ? rq->stage : "";
	int from = board_find(board, a->lead->stage);
	int to = board_find(board, to_key);
	char sid[RULES_LABEL_SIZE];

	rules_lead_label(a->lead, sid);
	if (to < 0)
		return refuse(LB_DATA, "no stage '%s' (see leadboard stages)", to_key);
	if (is_discarded(a->lead) || from < 0)
		return discarded(a->lead);
	if (from == to)
		return refuse(LB_DATA, "lead %s is already in %s", sid, board->stages[to].title);
	if (rq->override || (rq->ahead && is_manager(a->actor)))
		return override_move(a, from, to);
	if (board->stages[from].terminal)
		return refuse(LB_DATA, "lead %s is in %s, a terminal stage; nothing moves out of it",
			      sid, board->stages[from].title);
	if (is_manager(a->actor))
		return refuse(LB_NOPERM,
			      "a %s moves a lead only with --override and a justification (--note)",
			      role_name(a->actor->role));
	return team_move(a, a->actor, from, to);
}

/* The stage a new lead without one starts in: the first of the actor's
 * team (marketing's for managers and admins). */
static int default_stage(const struct lb_board *board, const struct lb_user *actor)
{
	enum lb_team team = role_team(actor->role);

	return board_first_of(board, team == TEAM_NONE ? TEAM_MARKETING : team);
}

static struct rules_verdict ask_add(const struct ask *a)
{
	const struct lb_board *board = a->board;
	const struct lb_user *actor = a->actor;
	const struct rules_request *rq = a->request;
	const char *key = rq->stage;
	bool discarded_lead = key && lead_state_off_board(key);   /* or merged */
	struct rules_verdict v;
	int i;

	if (discarded_lead && !rq->with_state)
		return refuse(LB_DATA, "only an admin restoring an export imports discarded or merged "
				       "leads");
	if (actor->role == ROLE_MANAGER)
		return refuse(LB_NOPERM,
			      "a manager does not add leads; marketing, sales or an admin does");
	if (rq->with_state && actor->role != ROLE_ADMIN)
		return refuse(LB_NOPERM, "only an admin imports leads with their state (id, owner, "
					 "counts, times); leave those columns out or ask an admin");
	if (!key && rq->ahead)
		return allow(EV_CREATE);       /* into which stage: asked row by row */
	if (discarded_lead) {
		v = allow(EV_CREATE);
		v.change = CHANGE_NEW;
		return v;                      /* off the board, as it was */
	}
	i = key && key[0] ? board_find(board, key) : default_stage(board, actor);
	if (i < 0)
		return refuse(LB_DATA, "no stage '%s' (see leadboard stages)", key ? key : "");
	if (actor->role != ROLE_ADMIN && board->stages[i].team != role_team(actor->role))
		return refuse(LB_NOPERM, "%s cannot add into %s, a %s stage", role_name(actor->role),
			      board->stages[i].title, team_name(board->stages[i].team));
	v = allow(EV_CREATE);
	v.change = CHANGE_NEW;
	v.stage = i;
	v.terminal = board->stages[i].terminal;
	/* A rep who adds a lead into an open sales stage is working it. */
	v.owns = !rq->with_state && actor->role == ROLE_SALES && !board->stages[i].terminal;
	return v;
}

/* Whether the actor may change lead where it stands (its fields; verb
 * names the change): the team owning its stage, in sales only its owner
 * while it has one, an admin. */
static struct rules_verdict may_change(const struct ask *a, const struct lead *lead,
				       const char *verb)
{
	const struct lb_board *board = a->board;
	const struct lb_user *actor = a->actor;
	int from = board_find(board, lead->stage);

	if (from < 0)
		return discarded(lead);
	if (actor->role == ROLE_ADMIN)
		return allow(EV_EDIT);
	if (actor->role == ROLE_MANAGER)
		return refuse(LB_NOPERM, "a manager does not %s leads; the owning team does", verb);
	if (board->stages[from].team != role_team(actor->role))
		return wrong_team(board, actor, lead, verb);
	if (actor->role == ROLE_SALES && lead->owner[0] && strcmp(lead->owner, actor->login) != 0)
		return not_owner(lead);
	return allow(EV_EDIT);
}

static struct rules_verdict ask_edit(const struct ask *a)
{
	return may_change(a, a->lead, "edit");
}

/* Sales stages a rep can own a lead in: any but a terminal one. */
static bool in_open_sales_stage(const struct lb_board *board, const struct lead *lead, int *at)
{
	*at = board_find(board, lead->stage);
	return rules_open_sales_stage(board, *at);
}

/* The stage's title for a message; the lead's own key when off the board. */
static const char *stage_title(const struct lb_board *board, const struct lead *lead, int at)
{
	return at >= 0 ? board->stages[at].title : board_title(board, lead->stage);
}

static struct rules_verdict ask_claim(const struct ask *a)
{
	const struct lead *lead = a->lead;
	const struct lb_user *actor = a->actor;
	char sid[RULES_LABEL_SIZE];
	int at;

	rules_lead_label(lead, sid);
	if (is_discarded(lead) || is_merged(lead))
		return discarded(lead);
	if (actor->role != ROLE_SALES)
		return refuse(LB_NOPERM,
			      "only sales reps claim leads; a manager assigns them (leadboard assign)");
	if (!in_open_sales_stage(a->board, lead, &at))
		return refuse(LB_DATA, "lead %s is in %s; only leads open in sales can be claimed",
			      sid, stage_title(a->board, lead, at));
	if (strcmp(lead->owner, actor->login) == 0)
		return refuse(LB_DATA, "lead %s is already yours", sid);
	if (lead->owner[0])
		return not_owner(lead);
	if (!a->request->ahead && a->settings->max_open_per_rep > 0 &&
	    a->request->open_count >= a->settings->max_open_per_rep)
		return refuse(LB_DATA, "you have %d open leads and max_open_per_rep is %d",
			      a->request->open_count, a->settings->max_open_per_rep);
	return allow(EV_CLAIM);
}

bool rules_assignable(const struct lb_user *user)
{
	return user->role == ROLE_SALES && !user->disabled;
}

const char *const rules_channels[RULES_CHANNEL_COUNT] = { "call", "email", "meeting", "other" };

bool rules_channel_valid(const char *channel)
{
	return name_index(rules_channels, RULES_CHANNEL_COUNT, channel) >= 0;
}

bool rules_is_away(const struct lb_user *member, int64_t now)
{
	return member->away && (!member->away_until || member->away_until > now);
}

/* Whether a comma-separated list holds item (ignoring ASCII case). */
static bool list_has(const char *list, const char *item)
{
	struct unmet u = { .probe = item };

	each_item(list, equals_probe, &u);
	return u.found;
}

bool rules_route_eligible(const struct rules_settings *settings, const struct lb_user *user,
			  int open_count, const struct lead *lead, int64_t now, char *why,
			  size_t size)
{
	const char *login = user->login;

	if (user->role != ROLE_SALES)
		snprintf(why, size, "%s is %s, not a sales rep", login, role_name(user->role));
	else if (user->disabled)
		snprintf(why, size, "%s is disabled", login);
	else if (rules_is_away(user, now))
		snprintf(why, size, "%s is away", login);
	else if (settings->max_open_per_rep > 0 && open_count >= settings->max_open_per_rep)
		snprintf(why, size, "%s has %d open leads and max_open_per_rep is %d", login,
			 open_count, settings->max_open_per_rep);
	else if (user->territories[0] && !lead->country[0])
		snprintf(why, size, "%s covers %s and the lead has no country", login,
			 user->territories);
	else if (user->territories[0] && !list_has(user->territories, lead->country))
		snprintf(why, size, "%s covers %s, not %.40s", login, user->territories,
			 lead->country);
	else if (user->segments[0] && !lead->segment[0])
		snprintf(why, size, "%s works %s and the lead has no segment", login, user->segments);
	else if (user->segments[0] && !list_has(user->segments, lead->segment))
		snprintf(why, size, "%s works %s, not %s", login, user->segments, lead->segment);
	else
		return true;
	return false;
}

/* Whether routing prefers candidate a to b. */
static bool routes_before(const struct rules_settings *s, const struct rules_candidate *a,
			  const struct rules_candidate *b)
{
	if (s->routing == ROUTING_LEAST_LOADED && a->open_count != b->open_count)
		return a->open_count < b->open_count;
	if (a->turn != b->turn)
		return a->turn < b->turn;
	return strcmp(a->user->login, b->user->login) < 0;
}

int rules_route_pick(const struct rules_settings *settings,
		     const struct rules_candidate *candidates, int count, const struct lead *lead,
		     const char *exclude, int64_t now)
{
	char why[256];
	int best = -1;

	if (settings->routing == ROUTING_OFF)
		return -1;
	for (int i = 0; i < count; i++) {
		const struct rules_candidate *c = &candidates[i];
		if (exclude && strcmp(c->user->login, exclude) == 0)
			continue;
		if (!rules_route_eligible(settings, c->user, c->open_count, lead, now, why,
					  sizeof why))
			continue;
		if (best < 0 || routes_before(settings, c, &candidates[best]))
			best = i;
	}
	return best;
}

void rules_route_rule(const struct rules_settings *settings, int64_t turn, const char *because,
		      char *out, size_t size)
{
	snprintf(out, size, "routing: %s, turn %lld%s%s", rules_routing_name(settings->routing),
		 (long long)turn, because ? "; " : "", because ? because : "");
}

void rules_route_none_rule(const struct rules_settings *settings, const char *before,
			   char *out, size_t size)
{
	/* first, so that a long rule before it cannot cut it off */
	snprintf(out, size, "%s %s%s%s", ROUTING_NO_REP_PREFIX,
		 rules_routing_name(settings->routing), before && before[0] ? "; " : "",
		 before && before[0] ? before : "");
}

bool rules_rule_routed(const char *rule)
{
	return strncmp(rule, "routing: ", 9) == 0;
}

bool rules_rule_found_no_rep(const char *rule)
{
	return strncmp(rule, ROUTING_NO_REP_PREFIX, strlen(ROUTING_NO_REP_PREFIX)) == 0;
}

static bool two_letters(const char *item, void *ctx)
{
	(void)ctx;
	return strlen(item) == 2 && isalpha((unsigned char)item[0]) &&
	       isalpha((unsigned char)item[1]);
}

enum lb_status rules_member_lists_check(const char *territories, const char *segments,
					char *message, size_t size)
{
	if (territories && (strlen(territories) > LB_LIST_MAX ||
			    !each_item(territories, two_letters, NULL))) {
		snprintf(message, size, "territories are country codes like DE,FR (ISO 3166), "
					"not '%.80s'", territories);
		return LB_DATA;
	}
	if (segments && (strlen(segments) > LB_LIST_MAX ||
			 !each_item(segments, known_segment, NULL))) {
		snprintf(message, size, "segments are b2b and/or b2c, not '%.80s'", segments);
		return LB_DATA;
	}
	return LB_OK;
}

struct rules_verdict rules_check_member_routing(const struct lb_user *actor,
					       const struct lb_user *member, const char *what)
{
	bool self = strcmp(actor->login, member->login) == 0;

	if (is_manager(actor) || (self && strcmp(what, "away") == 0))
		return allow(EV_USER);
	if (strcmp(what, "away") == 0)
		return refuse(LB_NOPERM, "only %s, a manager or an admin says %s is away or back "
					 "(you are %s)", member->login, member->login,
			      role_name(actor->role));
	return refuse(LB_NOPERM, "only a manager or an admin sets what %s covers (you are %s)",
		      member->login, role_name(actor->role));
}

struct rules_verdict rules_may_sweep(const struct lb_user *member, bool operator)
{
	if (operator || (member && !member->disabled && is_manager(member)))
		return allow(EV_ESCALATE);
	return refuse(LB_NOPERM, "only an admin, a manager or the host's timer runs the sweep "
				 "(you are %s)", member ? role_name(member->role) : "not a member");
}

static struct rules_verdict ask_assign(const struct ask *a)
{
	const struct lead *lead = a->lead;
	const struct rules_request *rq = a->request;
	const struct lb_user *assignee = rq->assignee;
	char sid[RULES_LABEL_SIZE];
	int at;

	rules_lead_label(lead, sid);
	if (is_discarded(lead) || is_merged(lead))
		return discarded(lead);
	if (!is_manager(a->actor))
		return refuse(LB_NOPERM, "only a manager assigns leads; a rep claims them "
					 "(leadboard claim)");
	if (!rq->ahead) {
		if (!assignee)
			return refuse(LB_DATA, "'%s' is not a board member",
				      rq->assignee_login ? rq->assignee_login : "");
		if (assignee->disabled)
			return refuse(LB_DATA, "%s is disabled", assignee->login);
		if (!rules_assignable(assignee))
			return refuse(LB_DATA, "%s is %s; leads are assigned to sales reps",
				      assignee->login, role_name(assignee->role));
	}
	if (!in_open_sales_stage(a->board, lead, &at))
		return refuse(LB_DATA, "lead %s is in %s; only leads open in sales can be assigned",
			      sid, stage_title(a->board, lead, at));
	if (!rq->ahead && strcmp(lead->owner, assignee->login) == 0)
		return refuse(LB_DATA, "lead %s is already owned by %s", sid, assignee->login);
	return allow(EV_ASSIGN);
}

static struct rules_verdict ask_discard(const struct ask *a)
{
	const struct lead *lead = a->lead;
	const struct lb_user *actor = a->actor;
	char sid[RULES_LABEL_SIZE];
	int from = board_find(a->board, lead->stage);
	struct rules_verdict v;

	rules_lead_label(lead, sid);
	if (from < 0 && is_merged(lead))
		return discarded(lead);
	if (from < 0)
		return refuse(LB_DATA, "lead %s is already discarded", sid);
	if (actor->role != ROLE_MARKETING)
		return refuse(LB_NOPERM, "only marketing discards leads (you are %s)",
			      role_name(actor->role));
	if (a->board->stages[from].team != TEAM_MARKETING)
		return wrong_team(a->board, actor, lead, "discard");
	if (reason_missing(a))
		return refuse(LB_DATA, "discarding lead %s needs a reason (--reason CODE; "
				       "see leadboard reasons)", sid);
	v = allow(EV_DISCARD);
	v.change = CHANGE_DISCARD;
	v.reason = NEED_REQUIRED;
	v.note = NEED_OPTIONAL;
	return v;
}

static struct rules_verdict ask_restore(const struct ask *a)
{
	char sid[RULES_LABEL_SIZE];
	struct rules_verdict v;

	rules_lead_label(a->lead, sid);
	if (is_merged(a->lead))
		return discarded(a->lead);
	if (!is_discarded(a->lead))
		return refuse(LB_DATA, "lead %s is not discarded", sid);
	if (a->actor->role != ROLE_MARKETING)
		return refuse(LB_NOPERM, "only marketing restores discarded leads (you are %s)",
			      role_name(a->actor->role));
	v = allow(EV_RESTORE);
	v.change = CHANGE_RESTORE;
	v.stage = board_first_of(a->board, TEAM_MARKETING);
	return v;
}

static struct rules_verdict ask_touch(const struct ask *a)
{
	const struct lead *lead = a->lead;
	const struct lb_user *actor = a->actor;
	struct rules_verdict v;
	char sid[RULES_LABEL_SIZE], id8[9];

	rules_lead_label(lead, sid);
	rules_short_id(lead->id, id8);
	if (board_find(a->board, lead->stage) < 0)
		return discarded(lead);
	if (!is_manager(actor) && strcmp(lead->owner, actor->login) != 0) {
		if (lead->owner[0])
			return not_owner(lead);
		if (actor->role == ROLE_SALES)
			return refuse(LB_NOPERM, "lead %s is nobody's; claim it before you log contact "
						 "with it (leadboard claim %s)", sid, id8);
		return refuse(LB_NOPERM, "only a lead's owner or a manager logs contact attempts "
					 "(you are %s)", role_name(actor->role));
	}
	v = allow(EV_CONTACT);
	v.note = NEED_OPTIONAL;
	return v;
}

/* "24 h", or "24 business hours" when the clock counts only some hours. */
static void hours_words(const struct rules_settings *s, int hours, char *out, size_t size)
{
	snprintf(out, size, s->sla_hours.always ? "%d h" : "%d business hours", hours);
}

static struct rules_verdict ask_sweep(const struct ask *a)
{
	const struct lead *lead = a->lead;
	const struct rules_settings *s = a->settings;
	int64_t now = a->request->now;
	struct rules_verdict v;
	char sid[9], hours[64];

	rules_short_id(lead->id, sid);
	if (rules_is_uncontacted(a->board, s, lead, now)) {
		v = allow(EV_RECLAIM);
		v.breach = BREACH_UNCONTACTED;
		v.route = s->routing != ROUTING_OFF;
		hours_words(s, s->sla_contact_hours, hours, sizeof hours);
		snprintf(v.rule, sizeof v.rule, "sla: no contact attempt within %s of getting it "
						"(sla_contact_hours)", hours);
		return v;
	}
	if (rules_is_overdue(a->board, s, lead, now)) {
		v = allow(s->routing != ROUTING_OFF ? EV_ASSIGN : EV_ESCALATE);
		v.breach = BREACH_UNCLAIMED;
		v.route = s->routing != ROUTING_OFF;
		v.escalate = !rules_is_escalated(a->board, lead);
		if (!v.route && !v.escalate)
			return refuse(LB_DATA, "lead %s was escalated already", sid);
		hours_words(s, s->sla_accept_hours, hours, sizeof hours);
		snprintf(v.rule, sizeof v.rule, "sla: unclaimed for %s (sla_accept_hours)", hours);
		return v;
	}
	return refuse(LB_DATA, "lead %s keeps the agreement", sid);
}

/*
 * Merge: the lead asked about (OTHER) leaves the board, joined to
 * request.keep. Whoever may change both leads where they stand may merge
 * them (marketing in marketing stages, the owner or any rep while unowned
 * in sales stages: the edit rule, asked of each), a manager always. A lead
 * in a terminal stage is not merged away into one that is not: keep it.
 */
static struct rules_verdict ask_merge(const struct ask *a)
{
	const struct lead *other = a->lead, *keep = a->request->keep;
	struct rules_verdict v;
	char sid[RULES_LABEL_SIZE], kid[RULES_LABEL_SIZE];
	int from, to;

	rules_lead_label(other, sid);
	if (!keep && !a->request->ahead)
		return refuse(LB_DATA, "name the lead to keep (leadboard merge KEEP OTHER)");
	if (keep && strcmp(keep->id, other->id) == 0)
		return refuse(LB_DATA, "lead %s cannot be merged into itself", sid);
	if ((from = board_find(a->board, other->stage)) < 0)
		return discarded(other);
	if (keep && board_find(a->board, keep->stage) < 0) {
		rules_lead_label(keep, kid);
		v = discarded(keep);
		if (is_discarded(keep))
			snprintf(v.message, sizeof v.message,
				 "lead %s is discarded; a lead is merged into one on the board", kid);
		return v;
	}
	if (!is_manager(a->actor)) {
		if ((v = may_change(a, other, "merge")).status)
			return v;
		if (keep && (v = may_change(a, keep, "merge")).status)
			return v;
	}
	to = keep ? board_find(a->board, keep->stage) : -1;
	if (a->board->stages[from].terminal && to >= 0 && !a->board->stages[to].terminal) {
		rules_lead_label(keep, kid);
		return refuse(LB_DATA, "lead %s is in %s, a terminal stage; keep it and merge lead %s "
				       "into it", sid, a->board->stages[from].title, kid);
	}
	v = allow(EV_MERGE);
	v.change = CHANGE_MERGE;
	v.note = NEED_OPTIONAL;
	v.confirm = true;       /* for good: nothing restores a merged lead */
	return v;
}

/* Who may put an e-mail address on the board a second time. */
static bool may_allow_duplicate(const struct lb_user *actor)
{
	return actor->role == ROLE_MARKETING || is_manager(actor);
}

/*
 * An e-mail address is on the board once: a change that would put one
 * there a second time (request.duplicate_of has it) is refused, naming the
 * lead that has it, unless the actor asks to keep both (--allow-duplicate)
 * and may; then the verdict carries the rule it sets aside, for the event.
 */
static struct rules_verdict check_duplicate(const struct ask *a, struct rules_verdict v)
{
	const struct rules_request *rq = a->request;
	const struct lead *has = rq->duplicate_of;
	char sid[9], words[sizeof v.overridden];

	if (v.status || !has)
		return v;
	rules_short_id(has->id, sid);
	snprintf(words, sizeof words, "e-mail %.200s is already on the board: lead %s (%.120s)",
		 has->email, sid, has->name);
	if (!rq->allow_duplicate)
		return refuse(LB_DATA, "%s; --allow-duplicate keeps both, leadboard merge joins them",
			      words);
	if (!may_allow_duplicate(a->actor))
		return refuse(LB_NOPERM, "only marketing or a manager keeps a duplicate e-mail on the "
					 "board (you are %s); %s", role_name(a->actor->role), words);
	v.duplicate = true;
	memcpy(v.overridden, words, sizeof v.overridden);
	return v;
}

static struct rules_verdict ask_note(const struct ask *a)
{
	struct rules_verdict v;

	/* a merged lead's history goes on in the lead kept */
	if (is_merged(a->lead))
		return discarded(a->lead);
	/* every member sees every lead, so every member may note one */
	if (!a->request->ahead && !a->request->note_given)
		return refuse(LB_DATA, "a note needs some text");
	v = allow(EV_NOTE);
	v.note = NEED_REQUIRED;
	return v;
}

static struct rules_verdict ask_release(const struct ask *a)
{
	const struct lead *lead = a->lead;
	char sid[RULES_LABEL_SIZE];
	int at;

	rules_lead_label(lead, sid);
	if (is_discarded(lead) || is_merged(lead))
		return discarded(lead);
	if (!lead->owner[0])
		return refuse(LB_DATA, "lead %s has no owner; there is nothing to release", sid);
	if (strcmp(lead->owner, a->actor->login) != 0)
		return refuse(LB_NOPERM, "lead %s is owned by %s; only %s can release it%s", sid,
			      lead->owner, lead->owner,
			      is_manager(a->actor) ? " (a manager assigns it to someone else)" : "");
	if (!in_open_sales_stage(a->board, lead, &at))
		return refuse(LB_DATA, "lead %s is in %s; only leads open in sales can be released",
			      sid, stage_title(a->board, lead, at));
	return allow(EV_RELEASE);
}

static struct rules_verdict ask_undo(const struct ask *a)
{
	const struct rules_request *rq = a->request;
	const struct rules_change_made *mine = rq->undo, *latest = rq->latest;
	int minutes = a->settings->undo_minutes;
	char sid[RULES_LABEL_SIZE], ago[32];
	struct rules_verdict v;

	rules_lead_label(a->lead, sid);
	if (minutes <= 0)
		return refuse(LB_DATA, "undo is off on this board (undo_minutes is 0)");
	/* a merge is for good (nothing restores a merged lead), and so is
	 * what came before it on either lead: the kept lead's undo record is
	 * gone with it (door_merge.c) */
	if (mine && mine->kind == EV_MERGE)
		return refuse(LB_DATA, "a merge cannot be undone: lead %s stays merged into the lead "
				       "kept", sid);
	if (latest && latest->kind == EV_MERGE) {
		time_format_ago(rq->now - latest->at, ago);
		return refuse(LB_DATA, "lead %s %s a merge by %s (%s) since your last change; a merge "
				       "cannot be undone, nor a change before it", sid,
			      is_merged(a->lead) ? "left the board in" : "took in another lead in",
			      latest->actor, ago);
	}
	if (!mine) {
		if (latest && strcmp(latest->actor, a->actor->login) != 0) {
			time_format_ago(rq->now - latest->at, ago);
			return refuse(LB_NOPERM, "you have not changed lead %s; its last change (%s by "
						 "%s, %s) is not yours to undo", sid,
				      event_kind_name(latest->kind), latest->actor, ago);
		}
		return refuse(LB_DATA, "nothing to undo: you have not changed lead %s", sid);
	}
	if (strcmp(mine->actor, a->actor->login) != 0)
		return refuse(LB_NOPERM, "event %lld on lead %s is %s's change; only %s can undo it",
			      (long long)mine->seq, sid, mine->actor, mine->actor);
	if (mine->kind == EV_UNDO)
		return refuse(LB_DATA, "your last change to lead %s was an undo; an undo is not "
				       "undone (make the change again)", sid);
	if (mine->kind == EV_CREATE)
		return refuse(LB_DATA, "adding lead %s cannot be undone; marketing can discard it",
			      sid);
	if (mine->kind >= EV_USER)
		return refuse(LB_DATA, "event %lld is not a change to a lead", (long long)mine->seq);
	/* what happened with the lead, and routing's and the sweep's acts, stand */
	if (mine->kind == EV_CONTACT)
		return refuse(LB_DATA, "a contact attempt with lead %s is not undone: it was made "
				       "(log the next one with touch)", sid);
	if (mine->kind == EV_ESCALATE || mine->kind == EV_RECLAIM)
		return refuse(LB_DATA, "the sweep's %s of lead %s is not undone",
			      event_kind_name(mine->kind), sid);
	if (mine->routed)
		return refuse(LB_DATA, "routing gave lead %s to a rep in your handoff; routing's "
				       "assignment is not undone (a manager assigns it to someone "
				       "else)", sid);
	time_format_ago(rq->now - mine->at, ago);
	if (rq->now - mine->at > (int64_t)minutes * 60000)
		return refuse(LB_DATA, "too late to undo your %s of lead %s: it was %s and "
				       "undo_minutes is %d", event_kind_name(mine->kind), sid, ago,
			      minutes);
	if (latest && latest->seq != mine->seq) {
		time_format_ago(rq->now - latest->at, ago);
		return refuse(LB_DATA, "%s changed lead %s after your %s (%s, %s); only the newest "
				       "change can be undone", latest->actor, sid,
			      event_kind_name(mine->kind), event_kind_name(latest->kind), ago);
	}
	v = allow(EV_UNDO);
	v.change = CHANGE_UNDO;
	v.confirm = true;
	return v;
}

static struct rules_verdict ask_reassign(const struct ask *a)
{
	const struct rules_request *rq = a->request;
	const struct lb_user *to = rq->assignee;
	const char *from = rq->from_login ? rq->from_login : "";

	if (!is_manager(a->actor))
		return refuse(LB_NOPERM, "only a manager reassigns leads (you are %s)",
			      role_name(a->actor->role));
	if (rq->ahead)
		return allow(EV_ASSIGN);
	if (!rq->from_member)
		return refuse(LB_NOINPUT, "'%s' is not a board member (see leadboard user list)",
			      from);
	if (!to)
		return refuse(LB_DATA, "'%s' is not a board member",
			      rq->assignee_login ? rq->assignee_login : "");
	if (to->disabled)
		return refuse(LB_DATA, "%s is disabled", to->login);
	if (!rules_assignable(to))
		return refuse(LB_DATA, "%s is %s; leads are assigned to sales reps", to->login,
			      role_name(to->role));
	if (strcmp(from, to->login) == 0)
		return refuse(LB_DATA, "--from and --to both name %s", from);
	return allow(EV_ASSIGN);
}

struct rules_verdict rules_ask(const struct lb_board *board, const struct rules_settings *settings,
			       const struct lb_user *actor, const struct lead *lead,
			       const struct rules_request *request)
{
	const struct ask a = { board, settings, actor, lead, request };

	if (request->action != RULES_ADD && request->action != RULES_REASSIGN && !lead)
		return refuse(LB_DATA, "no lead to act on");
	if (request->override && request->action != RULES_MOVE)
		return refuse(LB_DATA, "only a move can be an override");
	switch (request->action) {
	case RULES_ADD: return check_duplicate(&a, ask_add(&a));
	case RULES_EDIT: return check_duplicate(&a, ask_edit(&a));
	case RULES_MOVE: return ask_move(&a);
	case RULES_CLAIM: return ask_claim(&a);
	case RULES_ASSIGN: return ask_assign(&a);
	case RULES_DISCARD: return ask_discard(&a);
	case RULES_RESTORE: return check_duplicate(&a, ask_restore(&a));
	case RULES_TOUCH: return ask_touch(&a);
	case RULES_SWEEP: return ask_sweep(&a);
	case RULES_MERGE: return ask_merge(&a);
	case RULES_NOTE: return ask_note(&a);
	case RULES_RELEASE: return ask_release(&a);
	case RULES_UNDO: return ask_undo(&a);
	case RULES_REASSIGN: return ask_reassign(&a);
	case RULES_ACTION_COUNT: break;
	}
	return refuse(LB_DATA, "no such action");
}

/* ---- what the board shows ------------------------------------------------ */

int rules_handoff_stage(const struct lb_board *board)
{
	return board_last_of(board, TEAM_MARKETING);
}

bool rules_heads_for_handoff(const struct lb_board *board, const struct lead *lead)
{
	int at = board_find(board, lead->stage);

	return at >= 0 && board->stages[at].team == TEAM_MARKETING;
}

bool rules_ready_for_handoff(const struct lb_board *board, const struct rules_settings *settings,
			     const struct lead *lead, char *why, size_t size)
{
	int last = rules_handoff_stage(board);
	int at = board_find(board, lead->stage);

	if (at != last || last < 0) {
		if (size)
			snprintf(why, size, "in %s; a handoff leaves from %s",
				 stage_title(board, lead, at),
				 last >= 0 ? board->stages[last].title : "marketing");
		return false;
	}
	if (lead->handoff_count >= settings->max_handoffs) {
		if (size)
			snprintf(why, size, "handed off %d times and max_handoffs is %d",
				 lead->handoff_count, settings->max_handoffs);
		return false;
	}
	return rules_gate_passes(settings, lead, why, size);
}

struct rules_watch rules_watch(const struct lb_user *actor)
{
	struct rules_watch w = {
		.ready = actor->role == ROLE_MARKETING || actor->role == ROLE_ADMIN,
		.handoffs = actor->role != ROLE_MARKETING,
		.own = actor->role == ROLE_SALES,
		.escalations = is_manager(actor),
	};
	return w;
}

struct rules_verdict rules_may_see_members(const struct lb_user *actor)
{
	if (!is_manager(actor))
		return refuse(LB_NOPERM, "only an admin or a manager lists the board's members "
					 "(you are %s)", role_name(actor->role));
	return allow(EV_USER);
}

struct rules_verdict rules_may_act(const struct lb_user *member)
{
	if (member->disabled)
		return refuse(LB_NOPERM, "%s is disabled on this board; an admin can enable you: "
					 "leadboard user enable %s", member->login, member->login);
	return allow(EV_USER);
}

struct rules_verdict rules_check_admin(const struct lb_user *actor, const char *what)
{
	if (actor->role != ROLE_ADMIN)
		return refuse(LB_NOPERM, "only an admin can change %s (you are %s)", what,
			      role_name(actor->role));
	return allow(EV_SETTING);
}

struct rules_verdict rules_check_stage_place(const struct lb_board *board, enum lb_team team,
					     int after)
{
	const struct lb_stage *s = board->stages;

	/* Marketing stages come first, sales stages after: the handoff is one step. */
	if (after < 0 && team == TEAM_SALES && board->count > 0)
		return refuse(LB_DATA, "a sales stage cannot come before %s, a marketing stage",
			      s[0].title);
	if (after >= 0 && team == TEAM_MARKETING && s[after].team == TEAM_SALES)
		return refuse(LB_DATA, "a marketing stage cannot follow %s, a sales stage",
			      s[after].title);
	if (team == TEAM_SALES && after + 1 < board->count && s[after + 1].team == TEAM_MARKETING)
		return refuse(LB_DATA, "a sales stage cannot come before %s, a marketing stage",
			      s[after + 1].title);
	return allow(EV_STAGE);
}

bool rules_administers(const struct lb_user *user)
{
	return user->role == ROLE_ADMIN && !user->disabled;
}

struct rules_verdict rules_check_member_change(const struct lb_user *before,
					       const struct lb_user *after, int admins)
{
	if (rules_administers(before) && !rules_administers(after) && admins <= 1)
		return refuse(LB_DATA, "%s is the last admin; make someone else admin first",
			      before->login);
	return allow(EV_USER);
}

struct rules_verdict rules_check_demo(const struct lb_user *member, bool has_leads, int64_t events)
{
	struct rules_verdict may;

	if (!member)
		return refuse(LB_NOPERM, "only an admin of this board runs the demo; you are not a "
					 "member of it");
	if ((may = rules_may_act(member)).status)
		return may;
	if (member->role != ROLE_ADMIN)
		return refuse(LB_NOPERM, "only an admin fills a board with the demo (you are %s)",
			      role_name(member->role));
	if (has_leads)
		return refuse(LB_DATA, "the demo fills an empty board; this one has leads");
	if (events > RULES_INIT_EVENTS)
		return refuse(LB_DATA, "the demo fills a new board; this one has %lld event%s "
				       "since init", (long long)(events - RULES_INIT_EVENTS),
			      events - RULES_INIT_EVENTS == 1 ? "" : "s");
	return allow(EV_CREATE);
}

/* ---- clocks ------------------------------------------------------------ */

bool rules_open_sales_stage(const struct lb_board *board, int stage)
{
	return stage >= 0 && stage < board->count && board->stages[stage].team == TEAM_SALES &&
	       !board->stages[stage].terminal;
}

#define HOUR_MS 3600000LL

int64_t rules_overdue_before(const struct rules_settings *settings, int64_t now_ms)
{
	return business_start_before(&settings->sla_hours, settings->timezone, now_ms,
				     settings->sla_accept_hours * HOUR_MS);
}

bool rules_claimed_in_time(const struct rules_settings *settings, int64_t handed_off_at,
			   int64_t claimed_at)
{
	return business_ms_between(&settings->sla_hours, settings->timezone, handed_off_at,
				   claimed_at) < settings->sla_accept_hours * HOUR_MS;
}

bool rules_contact_sla_on(const struct rules_settings *settings)
{
	return settings->sla_contact_hours > 0;
}

int64_t rules_uncontacted_before(const struct rules_settings *settings, int64_t now_ms)
{
	return business_start_before(&settings->sla_hours, settings->timezone, now_ms,
				     settings->sla_contact_hours * HOUR_MS);
}

bool rules_contacted_in_time(const struct rules_settings *settings, int64_t owned_at,
			     int64_t contacted_at)
{
	return contacted_at >= owned_at &&
	       business_ms_between(&settings->sla_hours, settings->timezone, owned_at,
				   contacted_at) < settings->sla_contact_hours * HOUR_MS;
}

bool rules_is_uncontacted(const struct lb_board *board, const struct rules_settings *settings,
			  const struct lead *lead, int64_t now_ms)
{
	int at = board_find(board, lead->stage);

	/* the stage handoffs arrive in: a lead moved on from it was worked */
	if (!rules_contact_sla_on(settings) || !lead->owner[0] || !lead->handed_off_at ||
	    !lead->owner_since || at != board_first_of(board, TEAM_SALES) ||
	    !rules_open_sales_stage(board, at) || lead->last_contact_at >= lead->owner_since)
		return false;
	return lead->owner_since <= rules_uncontacted_before(settings, now_ms);
}

bool rules_is_escalated(const struct lb_board *board, const struct lead *lead)
{
	return rules_awaits_claim(board, lead) && lead->escalated_at &&
	       lead->escalated_at >= lead->handed_off_at;
}

bool rules_is_due(const struct lead *lead, int64_t now_ms)
{
	return lead->next_step_at && lead->next_step_at <= now_ms;
}

int rules_idle_days(const struct lb_board *board, const struct rules_settings *settings,
		    int stage)
{
	int own = stage >= 0 && stage < board->count ? board->stages[stage].idle_days : 0;

	if (own > 0)
		return own;
	return own < 0 ? 0 : settings->sla_idle_days;
}

bool rules_awaits_claim(const struct lb_board *board, const struct lead *lead)
{
	int at;

	return in_open_sales_stage(board, lead, &at) && !lead->owner[0] && lead->handed_off_at;
}

bool rules_is_overdue(const struct lb_board *board, const struct rules_settings *settings,
		      const struct lead *lead, int64_t now_ms)
{
	return rules_awaits_claim(board, lead) &&
	       lead->handed_off_at <= rules_overdue_before(settings, now_ms);
}

bool rules_is_stale(const struct lb_board *board, const struct rules_settings *settings,
		    const struct lead *lead, int64_t now_ms)
{
	int at, days;

	if (!in_open_sales_stage(board, lead, &at) || (days = rules_idle_days(board, settings, at)) <= 0)
		return false;
	return now_ms - lead->updated_at >= (int64_t)days * 86400000;
}
