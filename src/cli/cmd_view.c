/* cmd_view.c - list and show: reading leads. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "leadboard/country.h"
#include "leadboard/text.h"
#include "leadboard/timeutil.h"

/* ---- list ------------------------------------------------------------------------ */

static const struct table_column list_columns[] = {
	{ "ID", 8, false },     { "NAME", 24, false }, { "COMPANY", 20, false },
	{ "STAGE", 11, false }, { "OWNER", 10, false }, { "SCORE", 5, true },
	{ "IN STAGE", 8, true }, { "FLAGS", 0, false },
};

static const struct table_column recycled_columns[] = {
	{ "ID", 8, false },     { "NAME", 24, false },    { "COMPANY", 20, false },
	{ "STAGE", 11, false }, { "RECYCLED", 8, true },  { "LAST REASON", 18, false },
	{ "NOTE", 0, false },
};

struct list_state {
	struct cli *cli;
	enum output_format format;
	bool overdue_only;
	bool due_only;
	bool recycled;
	long long limit;
	long long shown;
	int64_t now;
};

static void list_table_row(struct list_state *s, const struct lead *lead)
{
	char id[9], score[8], count[8], age[8], flags[64];
	const char *stage = board_title(&s->cli->board, lead->stage);

	snprintf(id, sizeof id, "%.8s", lead->id);
	if (s->recycled) {
		const char *cells[] = { id, lead->name, lead->company, stage, count,
					lead->last_reason, lead->last_note };
		snprintf(count, sizeof count, "%d", lead->recycle_count);
		output_table_row(stdout, recycled_columns, 7, cells);
		return;
	}
	snprintf(score, sizeof score, "%d", lead->score);
	time_format_age(s->now - lead->stage_entered_at, age);
	output_lead_flags(s->cli, lead, flags, sizeof flags);
	const char *cells[] = { id, lead->name, lead->company, stage, lead->owner, score, age,
				flags };
	output_table_row(stdout, list_columns, 8, cells);
}

static int list_one(const struct lead *lead, void *ctx)
{
	struct list_state *s = ctx;

	if (s->overdue_only && !rules_is_overdue(&s->cli->board, &s->cli->settings, lead, s->now))
		return 0;
	if (s->due_only && !rules_is_due(lead, s->now))
		return 0;
	switch (s->format) {
	case FORMAT_TABLE:
		list_table_row(s, lead);
		break;
	case FORMAT_CSV:
		output_lead_csv_row(stdout, lead);
		break;
	case FORMAT_JSON:
		fputs(s->shown ? ",\n" : "\n", stdout);
		output_lead_json(stdout, lead, s->cli, true);
		break;
	}
	s->shown++;
	return s->limit && s->shown >= s->limit;
}

enum lb_status cmd_list(struct cli *cli, int argc, char **argv)
{
	const char *stage = NULL, *owner = NULL, *search = NULL, *limit = NULL, *format = NULL;
	bool recycled = false, overdue = false, unclaimed = false, due = false;
	const struct opt opts[] = {
		{ "stage", OPT_STRING, &stage },     { "owner", OPT_STRING, &owner },
		{ "search", OPT_STRING, &search },   { "recycled", OPT_FLAG, &recycled },
		{ "overdue", OPT_FLAG, &overdue },   { "limit", OPT_STRING, &limit },
		{ "unclaimed", OPT_FLAG, &unclaimed }, { "due", OPT_FLAG, &due },
		{ "format", OPT_STRING, &format },   CLI_GLOBAL_OPTS(cli), { 0 },
	};
	struct list_state s = { .cli = cli, .overdue_only = overdue };
	struct store_lead_filter filter = { 0 };
	int npos;
	enum lb_status st;

	if ((st = cli_parse("list", argc, argv, opts, NULL, 0, 0, &npos)))
		return st;
	if ((st = cli_parse_format(format, 7, &s.format)))
		return st;
	if (limit && (st = cli_parse_int("--limit", limit, 1, INT64_MAX, &s.limit)))
		return st;
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	if (stage && board_find(&cli->board, stage) < 0 && !lead_state_off_board(stage))
		return lb_fail(LB_DATA, "no stage '%.40s' (see leadboard stages)", stage);
	if (owner && strcmp(owner, "me") == 0) {
		owner = cli->user.login;
	} else if (owner) {
		struct lb_user member;
		char safe[4 * LB_KEY_MAX + 1];
		if ((st = store_get_user(cli->store, owner, &member)) == LB_NOINPUT)
			return lb_fail(LB_NOINPUT, "--owner: '%s' is not a board member (see leadboard "
						   "user list; me is you)",
				       text_sanitize(owner, safe, sizeof safe));
		if (st)
			return st;
	}
	s.overdue_only = overdue;
	s.due_only = due;
	s.recycled = recycled;
	s.now = door_now(cli->door);
	filter.stage = stage;
	filter.owner = owner;
	filter.search = search;
	filter.recycled = recycled;
	filter.unclaimed = unclaimed;
	/* --overdue and --due filter after the query, so the limit is counted here */
	filter.limit = overdue || due ? 0 : s.limit;

	if (s.format == FORMAT_TABLE)
		output_table_row(stdout, recycled ? recycled_columns : list_columns,
				 recycled ? 7 : 8, NULL);
	else if (s.format == FORMAT_CSV)
		output_lead_csv_header(stdout);
	else
		fputs("[", stdout);
	st = store_leads_each(cli->store, &filter, list_one, &s);
	if (s.format == FORMAT_JSON)
		fputs(s.shown ? "\n]\n" : "]\n", stdout);
	return st;
}

/* ---- show ------------------------------------------------------------------------- */

struct history {
	struct cli *cli;
	enum output_format format;
	int count;
};

static int history_one(const struct lb_event *e, void *ctx)
{
	struct history *h = ctx;

	if (h->format == FORMAT_JSON) {
		fputs(h->count ? ",\n  " : "\n  ", stdout);
		output_event_json(stdout, e);
	} else {
		output_event_table_row(stdout, e, &h->cli->board);
	}
	h->count++;
	return 0;
}

static void show_field(const char *label, const char *value)
{
	char safe[4 * LB_TEXT_MAX + 1];

	printf("%-18s %s\n", label, text_sanitize(value, safe, sizeof safe));
}

static void show_table(struct cli *cli, const struct lead *lead)
{
	char text[LB_TEXT_MAX + LB_KEY_MAX + 8], when[32], unmet[512];
	int64_t now = door_now(cli->door);

	show_field("id:", lead->id);
	show_field("name:", lead->name);
	show_field("email:", lead->email);
	show_field("phone:", lead->phone);
	show_field("company:", lead->company);
	show_field("title:", lead->title);
	/* the code, and the name ISO 3166-1 gives it (country.h) */
	if (country_name(lead->country))
		snprintf(text, sizeof text, "%s (%s)", lead->country, country_name(lead->country));
	else
		snprintf(text, sizeof text, "%s", lead->country);
	show_field("country:", text);
	if (lead->employees >= 0)
		snprintf(text, sizeof text, "%lld", (long long)lead->employees);
	else
		text[0] = '\0';
	show_field("employees:", text);
	show_field("segment:", lead->segment);
	show_field("source:", lead->source);
	snprintf(text, sizeof text, "%d", lead->score);
	show_field("score:", text);
	snprintf(text, sizeof text, "%s (%s)", board_title(&cli->board, lead->stage), lead->stage);
	show_field("stage:", text);
	show_field("owner:", lead->owner[0] ? lead->owner : "(unclaimed)");
	snprintf(text, sizeof text, "%d", lead->recycle_count);
	show_field("recycle count:", text);
	snprintf(text, sizeof text, "%d of %d", lead->handoff_count, cli->settings.max_handoffs);
	show_field("handoffs:", text);
	if (lead->last_reason[0]) {
		show_field("last reason:", lead->last_reason);
		show_field("last note:", lead->last_note);
	}
	if (lead->merged_into[0]) {
		struct lead keep;
		if (store_get_lead(cli->store, lead->merged_into, &keep) == LB_OK)
			snprintf(text, sizeof text, "%.8s (%.200s)", keep.id, keep.name);
		else
			snprintf(text, sizeof text, "%.8s", lead->merged_into);
		show_field("merged into:", text);
	}
	show_field("created:", time_format_local(lead->created_at, when));
	show_field("updated:", time_format_local(lead->updated_at, when));
	time_format_age(now - lead->stage_entered_at, text);
	show_field("in stage for:", text);
	if (lead->handed_off_at)
		show_field("handed off:", time_format_local(lead->handed_off_at, when));
	if (lead->owner_since && lead->owner[0])
		show_field("owner since:", time_format_local(lead->owner_since, when));
	if (lead->contact_attempts) {
		snprintf(text, sizeof text, "%d (first %s", lead->contact_attempts,
			 time_format_local(lead->first_contact_at, when));
		snprintf(text + strlen(text), sizeof text - strlen(text), ", last %s)",
			 time_format_local(lead->last_contact_at, when));
		show_field("contact attempts:", text);
	}
	if (lead->next_step_at)
		show_field("next step:", time_format_local(lead->next_step_at, when));
	if (lead->escalated_at)
		show_field("escalated:", time_format_local(lead->escalated_at, when));
	output_lead_flags(cli, lead, text, sizeof text);
	if (text[0])
		show_field("flags:", text);
	if (rules_heads_for_handoff(&cli->board, lead)) {
		bool ready = rules_ready_for_handoff(&cli->board, &cli->settings, lead, unmet,
						     sizeof unmet);
		show_field("handoff gate:", ready ? "met" : unmet);
	}
	printf("\nHistory:\n");
	output_event_table_header(stdout);
}

enum lb_status cmd_show(struct cli *cli, int argc, char **argv)
{
	const char *format = NULL;
	const struct opt opts[] = { { "format", OPT_STRING, &format }, CLI_GLOBAL_OPTS(cli),
				    { 0 } };
	struct store_event_filter filter = { 0 };
	struct history h = { .cli = cli };
	char id[LB_ID_LEN + 1], unmet[512];
	const char *pos[1];
	struct lead lead;
	int npos;
	enum lb_status st;

	if ((st = cli_parse("show", argc, argv, opts, pos, 1, 1, &npos)))
		return st;
	if ((st = cli_parse_format(format, 1 | 4, &h.format)))
		return st;
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	if ((st = store_resolve_id(cli->store, pos[0], id)) ||
	    (st = store_get_lead(cli->store, id, &lead)))
		return st;
	filter.lead_id = id;
	if (h.format == FORMAT_JSON) {
		bool ready = rules_gate_passes(&cli->settings, &lead, unmet, sizeof unmet);
		putchar('{');
		output_lead_json_fields(stdout, &lead, cli, true);
		fputs(",\"gate\":{\"met\":", stdout);
		fputs(ready ? "true,\"unmet\":null}" : "false,\"unmet\":", stdout);
		if (!ready) {
			text_json_string(stdout, unmet, false);
			putchar('}');
		}
		fputs(",\"history\":[", stdout);
		st = store_events_each(cli->store, &filter, history_one, &h);
		fputs(h.count ? "\n]}\n" : "]}\n", stdout);
		return st;
	}
	show_table(cli, &lead);
	return store_events_each(cli->store, &filter, history_one, &h);
}
