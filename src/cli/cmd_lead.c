/* cmd_lead.c - add, edit, move, claim, assign, discard, restore. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "leadboard/clean.h"
#include "leadboard/replay.h"
#include "leadboard/text.h"
#include "leadboard/timeutil.h"

/* ---- lead fields from options ------------------------------------------------- */

struct lead_options {
	const char *name, *email, *phone, *company, *title, *country, *employees, *segment,
		*source, *score;
};

#define LEAD_FIELD_OPTS(o)                                                               \
	{ "name", OPT_STRING, &(o)->name }, { "email", OPT_STRING, &(o)->email },       \
	{ "phone", OPT_STRING, &(o)->phone },                                             \
	{ "company", OPT_STRING, &(o)->company }, { "title", OPT_STRING, &(o)->title },  \
	{ "country", OPT_STRING, &(o)->country },                                         \
	{ "employees", OPT_STRING, &(o)->employees },                                     \
	{ "segment", OPT_STRING, &(o)->segment }, { "source", OPT_STRING, &(o)->source }, \
	{ "score", OPT_STRING, &(o)->score }

static enum lb_status copy_text(const char *what, const char *value, char *out, size_t size)
{
	if (strlen(value) >= size)
		return lb_fail(LB_DATA, "%s is %zu bytes; the limit is %zu", what, strlen(value),
			       size - 1);
	memcpy(out, value, strlen(value) + 1);
	return LB_OK;
}

/* Fill lead from the options given, and say which fields were given. */
static enum lb_status lead_from_options(const struct lead_options *o, struct lead *lead,
					unsigned *mask)
{
	const struct {
		const char *value;
		const char *what;
		char *field;
		size_t size;
		unsigned flag;
	} texts[] = {
		{ o->name, "name", lead->name, sizeof lead->name, FIELD_NAME },
		{ o->email, "email", lead->email, sizeof lead->email, FIELD_EMAIL },
		{ o->phone, "phone", lead->phone, sizeof lead->phone, FIELD_PHONE },
		{ o->company, "company", lead->company, sizeof lead->company, FIELD_COMPANY },
		{ o->title, "title", lead->title, sizeof lead->title, FIELD_TITLE },
		{ o->country, "country", lead->country, sizeof lead->country, FIELD_COUNTRY },
		{ o->source, "source", lead->source, sizeof lead->source, FIELD_SOURCE },
		{ o->segment, "segment", lead->segment, sizeof lead->segment, FIELD_SEGMENT },
	};
	long long n;
	enum lb_status st;

	*mask = 0;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		if (!texts[i].value)
			continue;
		if (texts[i].flag == FIELD_SEGMENT) {
			/* any case, and the words CRMs use (clean.h) */
			if (!clean_segment(texts[i].value, lead->segment))
				return lb_fail(LB_DATA, "segment must be %s, not '%.40s'",
					       CLEAN_SEGMENT_WORDS, texts[i].value);
			*mask |= FIELD_SEGMENT;
			continue;
		}
		if ((st = copy_text(texts[i].what, texts[i].value, texts[i].field, texts[i].size)))
			return st;
		if (texts[i].flag == FIELD_SEGMENT)   /* B2B is b2b */
			for (char *p = texts[i].field; *p; p++)
				*p = (char)tolower((unsigned char)*p);
		*mask |= texts[i].flag;
	}
	if (o->employees) {
		if (!o->employees[0]) {
			lead->employees = -1;
		} else if (cli_parse_int("--employees", o->employees, LLONG_MIN, 1000000000000LL,
					 &n)) {
			return lb_fail(LB_DATA, "employees must be a whole number, not '%.40s'",
				       o->employees);
		} else if (n < 0) {
			return lb_fail(LB_DATA, "employees must not be negative, not %lld", n);
		} else {
			lead->employees = n;
		}
		*mask |= FIELD_EMPLOYEES;
	}
	if (o->score) {
		if (cli_parse_int("--score", o->score, 0, 100, &n))
			return lb_fail(LB_DATA, "score must be a whole number from 0 to 100, not "
						"'%.40s'", o->score);
		lead->score = (int)n;
		*mask |= FIELD_SCORE;
	}
	return LB_OK;
}

enum lb_status cmd_add(struct cli *cli, int argc, char **argv)
{
	struct lead_options o = { 0 };
	const char *stage = NULL;
	bool allow_duplicate = false;
	const struct opt opts[] = {
		LEAD_FIELD_OPTS(&o), { "stage", OPT_STRING, &stage },
		{ "allow-duplicate", OPT_FLAG, &allow_duplicate }, CLI_GLOBAL_OPTS(cli), { 0 },
	};
	struct lead lead;
	unsigned mask;
	int npos;
	enum lb_status st;

	if ((st = cli_parse("add", argc, argv, opts, NULL, 0, 0, &npos)))
		return st;
	if (!o.name)
		return lb_fail(LB_USAGE, "add: --name is required");
	lead_init(&lead);
	if ((st = lead_from_options(&o, &lead, &mask)))
		return st;
	if (stage && (st = copy_text("stage", stage, lead.stage, sizeof lead.stage)))
		return lb_fail(LB_DATA, "no stage '%.40s' (see leadboard stages)", stage);
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	door_allow_duplicates(cli->door, allow_duplicate);
	if ((st = door_add(cli->door, &lead)))
		return st;
	printf("%s\n", lead.id);
	return LB_OK;
}

enum lb_status cmd_edit(struct cli *cli, int argc, char **argv)
{
	struct lead_options o = { 0 };
	bool allow_duplicate = false;
	const struct opt opts[] = { LEAD_FIELD_OPTS(&o),
				    { "allow-duplicate", OPT_FLAG, &allow_duplicate },
				    CLI_GLOBAL_OPTS(cli), { 0 } };
	const char *pos[1];
	struct lead changes;
	unsigned mask;
	int npos;
	enum lb_status st;

	if ((st = cli_parse("edit", argc, argv, opts, pos, 1, 1, &npos)))
		return st;
	lead_init(&changes);
	if ((st = lead_from_options(&o, &changes, &mask)))
		return st;
	if (!mask)
		return lb_fail(LB_USAGE, "edit: name at least one field to change (--email ...)");
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	door_allow_duplicates(cli->door, allow_duplicate);
	return door_edit(cli->door, pos[0], &changes, mask, DOOR_ANY_VERSION);
}

/* ---- moves and ownership ----------------------------------------------------------- */

/* The newest two events of a change, newest first. */
struct last_change {
	struct lb_event events[2];
	int count;
};

static int keep_event(const struct lb_event *e, void *ctx)
{
	struct last_change *c = ctx;

	c->events[c->count++] = *e;
	return c->count == 2;
}

/* A change that wrote two events: a crossing and routing's assignment. */
static bool routed_with(const struct last_change *c)
{
	return c->count == 2 && strcmp(c->events[0].kind, "assign") == 0 &&
	       strncmp(c->events[0].rule, "routing:", 8) == 0 && c->events[0].at == c->events[1].at &&
	       (strcmp(c->events[1].kind, "handoff") == 0 ||
		strcmp(c->events[1].kind, "override") == 0);
}

/* One line saying what an event did, with the stages as the change saw
 * them (the door's board: read again in the change when an admin had
 * changed it). */
static void say_event(struct cli *cli, const struct lb_event *e)
{
	const struct lb_board *board = door_board(cli->door);
	const char *id = e->lead_id;
	char line[1024], safe[1024], when[32], sid[RULES_LABEL_SIZE];
	struct lead lead;

	if (store_get_lead(cli->store, id, &lead))
		return;
	rules_lead_label(&lead, sid);
	if (strcmp(e->kind, "claim") == 0)
		snprintf(line, sizeof line, "lead %s claimed by %s", sid, e->actor);
	else if (strcmp(e->kind, "assign") == 0 && strncmp(e->rule, "routing:", 8) == 0)
		snprintf(line, sizeof line, "lead %s routed to %.64s (%.200s)", sid, e->note,
			 e->rule);
	else if (strcmp(e->kind, "assign") == 0)
		snprintf(line, sizeof line, "lead %s assigned to %.64s", sid, e->note);
	else if (strcmp(e->kind, "release") == 0)
		snprintf(line, sizeof line, "lead %s released by %s; it waits to be claimed", sid,
			 e->actor);
	else if (strcmp(e->kind, "note") == 0)
		snprintf(line, sizeof line, "note added to lead %s", sid);
	else if (strcmp(e->kind, "undo") == 0)
		snprintf(line, sizeof line, "lead %s is as it was, in %s (%.60s)", sid,
			 board_title(board, e->to_stage), e->note);
	else if (strcmp(e->kind, "contact") == 0) {
		int64_t next = 0;
		char tail[64] = "";

		if (replay_next_step_of(e->rule, &next) && next)
			snprintf(tail, sizeof tail, "; next step %s", time_format_local(next, when));
		snprintf(line, sizeof line, "lead %s: contact attempt %d (%s)%s", sid,
			 lead.contact_attempts, e->reason, tail);
	}
	else
		snprintf(line, sizeof line, "lead %s: %s -> %s (%s)", sid,
			 board_title(board, e->from_stage), board_title(board, e->to_stage),
			 e->kind);
	printf("%s\n", text_sanitize(line, safe, sizeof safe));
	if ((strcmp(e->kind, "handoff") == 0 || strcmp(e->kind, "override") == 0) &&
	    rules_rule_found_no_rep(e->rule))
		printf("lead %.8s found no rep: nobody is eligible for routing now; it waits, "
		       "unclaimed\n", id);
}

/* After a change: a line for each event it logged, saying what happened:
 * the events this process appended (not whatever the lead's newest are by
 * now), read in one snapshot. */
static void report_change(struct cli *cli)
{
	struct last_change c = { .count = 0 };

	if (store_begin_read(cli->store))
		return;
	if (!store_appended_each(cli->store, keep_event, &c) && c.count) {
		if (routed_with(&c))
			say_event(cli, &c.events[1]);
		say_event(cli, &c.events[0]);
	}
	store_end_read(cli->store);
}

enum lb_status cmd_move(struct cli *cli, int argc, char **argv)
{
	const char *reason = NULL, *note = NULL;
	bool override = false;
	const struct opt opts[] = {
		{ "reason", OPT_STRING, &reason }, { "note", OPT_STRING, &note },
		{ "override", OPT_FLAG, &override }, CLI_GLOBAL_OPTS(cli), { 0 },
	};
	const char *pos[2];
	int npos;
	enum lb_status st;

	if ((st = cli_parse("move", argc, argv, opts, pos, 2, 2, &npos)))
		return st;
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	if ((st = door_move(cli->door, pos[0], pos[1], reason, note, override, DOOR_ANY_VERSION)))
		return st;
	report_change(cli);
	return LB_OK;
}

/* A command of positional words only, the first a lead's id: the words
 * read and the board opened, or why not. */
static enum lb_status lead_words(struct cli *cli, const char *name, int argc, char **argv,
				 const char **pos, int count)
{
	const struct opt opts[] = { CLI_GLOBAL_OPTS(cli), { 0 } };
	int npos;
	enum lb_status st;

	if ((st = cli_parse(name, argc, argv, opts, pos, count, count, &npos)))
		return st;
	return cli_open(cli, STORE_OPEN_EXISTING, true);
}

/* claim ID, release ID: one id, one door call. */
static enum lb_status one_id_command(struct cli *cli, const char *name, int argc, char **argv,
				     enum lb_status (*change)(struct door *, const char *, int64_t))
{
	const char *pos[1];
	enum lb_status st;

	if ((st = lead_words(cli, name, argc, argv, pos, 1)) ||
	    (st = change(cli->door, pos[0], DOOR_ANY_VERSION)))
		return st;
	report_change(cli);
	return LB_OK;
}

/* assign ID LOGIN, note ID TEXT: an id and one word, one door call. */
static enum lb_status id_and_word_command(struct cli *cli, const char *name, int argc,
					  char **argv,
					  enum lb_status (*change)(struct door *, const char *,
								   const char *, int64_t))
{
	const char *pos[2];
	enum lb_status st;

	if ((st = lead_words(cli, name, argc, argv, pos, 2)) ||
	    (st = change(cli->door, pos[0], pos[1], DOOR_ANY_VERSION)))
		return st;
	report_change(cli);
	return LB_OK;
}

enum lb_status cmd_claim(struct cli *cli, int argc, char **argv)
{
	return one_id_command(cli, "claim", argc, argv, door_claim);
}

enum lb_status cmd_restore(struct cli *cli, int argc, char **argv)
{
	bool allow_duplicate = false;
	const struct opt opts[] = { { "allow-duplicate", OPT_FLAG, &allow_duplicate },
				    CLI_GLOBAL_OPTS(cli), { 0 } };
	const char *pos[1];
	int npos;
	enum lb_status st;

	if ((st = cli_parse("restore", argc, argv, opts, pos, 1, 1, &npos)))
		return st;
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	door_allow_duplicates(cli->door, allow_duplicate);
	if ((st = door_restore(cli->door, pos[0], DOOR_ANY_VERSION)))
		return st;
	report_change(cli);
	return LB_OK;
}

enum lb_status cmd_release(struct cli *cli, int argc, char **argv)
{
	return one_id_command(cli, "release", argc, argv, door_release);
}

enum lb_status cmd_note(struct cli *cli, int argc, char **argv)
{
	return id_and_word_command(cli, "note", argc, argv, door_note);
}

enum lb_status cmd_undo(struct cli *cli, int argc, char **argv)
{
	const struct opt opts[] = { CLI_GLOBAL_OPTS(cli), { 0 } };
	const char *pos[1] = { NULL };
	int64_t undone;
	int npos;
	enum lb_status st;

	if ((st = cli_parse("undo", argc, argv, opts, pos, 0, 1, &npos)))
		return st;
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	if ((st = door_undo(cli->door, npos ? pos[0] : NULL, 0, &undone)))
		return st;
	report_change(cli);
	return LB_OK;
}

enum lb_status cmd_reassign(struct cli *cli, int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	const struct opt opts[] = {
		{ "from", OPT_STRING, &from }, { "to", OPT_STRING, &to }, CLI_GLOBAL_OPTS(cli), { 0 },
	};
	char a[LB_KEY_MAX * 4 + 1], b[LB_KEY_MAX * 4 + 1];
	int npos, count;
	enum lb_status st;

	if ((st = cli_parse("reassign", argc, argv, opts, NULL, 0, 0, &npos)))
		return st;
	if (!from || !to)
		return lb_fail(LB_USAGE, "reassign: --from LOGIN and --to LOGIN are both required");
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	if ((st = door_reassign(cli->door, from, to, &count)))
		return st;
	printf("%d open lead%s of %s reassigned to %s\n", count, count == 1 ? "" : "s",
	       text_sanitize(from, a, sizeof a), text_sanitize(to, b, sizeof b));
	return LB_OK;
}

enum lb_status cmd_assign(struct cli *cli, int argc, char **argv)
{
	return id_and_word_command(cli, "assign", argc, argv, door_assign);
}

enum lb_status cmd_discard(struct cli *cli, int argc, char **argv)
{
	const char *reason = NULL, *note = NULL;
	const struct opt opts[] = {
		{ "reason", OPT_STRING, &reason }, { "note", OPT_STRING, &note },
		CLI_GLOBAL_OPTS(cli), { 0 },
	};
	const char *pos[1];
	int npos;
	enum lb_status st;

	if ((st = cli_parse("discard", argc, argv, opts, pos, 1, 1, &npos)))
		return st;
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	if ((st = door_discard(cli->door, pos[0], reason, note, DOOR_ANY_VERSION)))
		return st;
	report_change(cli);
	return LB_OK;
}

enum lb_status cmd_touch(struct cli *cli, int argc, char **argv)
{
	const char *channel = NULL, *note = NULL, *next = NULL;
	const struct opt opts[] = {
		{ "channel", OPT_STRING, &channel }, { "note", OPT_STRING, &note },
		{ "next", OPT_STRING, &next }, CLI_GLOBAL_OPTS(cli), { 0 },
	};
	const char *pos[1];
	int64_t next_at = 0;
	int npos;
	enum lb_status st;

	if ((st = cli_parse("touch", argc, argv, opts, pos, 1, 1, &npos)))
		return st;
	if (!channel)
		return lb_fail(LB_USAGE, "touch: --channel is required (call, email, meeting, other)");
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	if (next && !time_parse_forward(next, door_now(cli->door), &next_at))
		return lb_fail(LB_USAGE, "--next takes a time to come: 2h, 3d, 90m or an ISO-8601 "
					 "time, not '%.40s'", next);
	if ((st = door_touch(cli->door, pos[0], channel, note, next_at, DOOR_ANY_VERSION)))
		return st;
	report_change(cli);
	return LB_OK;
}

/* ---- merge --------------------------------------------------------------------- */

enum lb_status cmd_merge(struct cli *cli, int argc, char **argv)
{
	const char *note = NULL;
	const struct opt opts[] = { { "note", OPT_STRING, &note }, CLI_GLOBAL_OPTS(cli), { 0 } };
	char keep[LB_ID_LEN + 1], other[LB_ID_LEN + 1], line[600], safe[600];
	const char *pos[2], *filled;
	struct lb_event e;
	int npos;
	enum lb_status st;

	if ((st = cli_parse("merge", argc, argv, opts, pos, 2, 2, &npos)))
		return st;
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	if ((st = door_merge(cli->door, pos[0], pos[1], note, DOOR_ANY_VERSION, DOOR_ANY_VERSION)))
		return st;
	/* what happened, from the event: which fields the kept lead took */
	if (store_resolve_id(cli->store, pos[0], keep) || store_resolve_id(cli->store, pos[1], other) ||
	    store_last_event(cli->store, other, &e))
		return LB_OK;
	if ((filled = strstr(e.note, "; filled ")))   /* event_merge_note() */
		snprintf(line, sizeof line, "lead %.8s merged into lead %.8s (%.*s)", other, keep,
			 (int)strcspn(filled + 2, ":"), filled + 2);
	else
		snprintf(line, sizeof line, "lead %.8s merged into lead %.8s", other, keep);
	printf("%s\n", text_sanitize(line, safe, sizeof safe));
	return LB_OK;
}
