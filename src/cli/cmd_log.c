/* cmd_log.c - the audit log, filtered, once or following new events. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "leadboard/timeutil.h"

#define FOLLOW_POLL_MS 250

struct log_state {
	struct cli *cli;
	enum output_format format;
	bool follow;
	int64_t printed;
	int64_t last_seq;
};

static int log_one(const struct lb_event *e, void *ctx)
{
	struct log_state *s = ctx;

	switch (s->format) {
	case FORMAT_TABLE:
		output_event_table_row(stdout, e, &s->cli->board);
		break;
	case FORMAT_CSV:
		output_event_csv_row(stdout, e);
		break;
	case FORMAT_JSON:
		/* following, JSON is one object per line; otherwise one array */
		if (!s->follow)
			fputs(s->printed ? ",\n" : "\n", stdout);
		output_event_json(stdout, e);
		if (s->follow)
			putchar('\n');
		break;
	}
	s->printed++;
	s->last_seq = e->seq;
	return 0;
}

static int note_seq(const struct lb_event *e, void *ctx)
{
	*(int64_t *)ctx = e->seq;
	return 0;
}

/* Where the newest max matching events begin: the filter then starts there. */
static enum lb_status newest_start(struct cli *cli, struct store_event_filter *filter,
				   long long max)
{
	struct store_event_filter newest = *filter;
	int64_t oldest = 0;
	enum lb_status st;

	newest.newest_first = true;
	newest.limit = max;
	newest.lead_names = false;
	if ((st = store_events_each(cli->store, &newest, note_seq, &oldest)))
		return st;
	if (oldest > filter->after_seq + 1)
		filter->after_seq = oldest - 1;
	return LB_OK;
}

static enum lb_status parse_time(const char *option, const char *text, int64_t now, int64_t *out)
{
	enum time_result r = text ? time_read(text, now, out) : TIME_OK;

	if (r == TIME_NO_SUCH_TIME)
		return lb_fail(LB_DATA, "%s: there is no such day or time as '%.40s'", option, text);
	if (r != TIME_OK)
		return lb_fail(LB_USAGE, "%s takes an ISO-8601 time (2026-11-01, 2026-11-01T09:00Z) "
					 "or a span back from now (90m, 24h, 7d), not '%.40s'",
			       option, text);
	return LB_OK;
}

static volatile sig_atomic_t stop_following;

static void on_stop(int sig)
{
	(void)sig;
	stop_following = 1;
}

/* Print events committed after the snapshot the first page came from
 * (last_seq, data_version seen), polling data_version: no busy loop. */
static enum lb_status follow(struct log_state *s, struct store_event_filter *filter,
			     int64_t seen)
{
	struct timespec pause = { 0, FOLLOW_POLL_MS * 1000000L };
	int64_t version;
	bool first = true;   /* look once straight away, whatever the version says */
	enum lb_status st;

	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	signal(SIGPIPE, on_stop);
	while (!stop_following) {
		fflush(stdout);
		if (ferror(stdout))
			return LB_OK;
		nanosleep(&pause, NULL);
		if ((st = store_data_version(s->cli->store, &version)))
			return st;
		if (version == seen && !first)
			continue;
		seen = version;
		first = false;
		filter->after_seq = s->last_seq;
		if ((st = store_events_each(s->cli->store, filter, log_one, s)))
			return st;
	}
	return LB_OK;
}

enum lb_status cmd_log(struct cli *cli, int argc, char **argv)
{
	const char *lead = NULL, *actor = NULL, *kind = NULL, *stage = NULL, *reason = NULL,
		   *since = NULL, *until = NULL, *format = NULL, *limit = NULL;
	bool follow_flag = false, reverse = false;
	const struct opt opts[] = {
		{ "lead", OPT_STRING, &lead },     { "actor", OPT_STRING, &actor },
		{ "kind", OPT_STRING, &kind },     { "stage", OPT_STRING, &stage },
		{ "reason", OPT_STRING, &reason }, { "since", OPT_STRING, &since },
		{ "until", OPT_STRING, &until },   { "follow", OPT_FLAG, &follow_flag },
		{ "limit", OPT_STRING, &limit },   { "reverse", OPT_FLAG, &reverse },
		{ "format", OPT_STRING, &format }, CLI_GLOBAL_OPTS(cli), { 0 },
	};
	struct store_event_filter filter = { 0 };
	struct log_state s = { .cli = cli };
	char lead_id[LB_ID_LEN + 1];
	enum lb_event_kind parsed_kind;
	int64_t now = time_now_ms(), version;
	long long max = 0;
	int npos;
	enum lb_status st;

	if ((st = cli_parse("log", argc, argv, opts, NULL, 0, 0, &npos)))
		return st;
	if ((st = cli_parse_format(format, 7, &s.format)) ||
	    (st = parse_time("--since", since, now, &filter.since)) ||
	    (st = parse_time("--until", until, now, &filter.until)))
		return st;
	if (kind && !event_kind_parse(kind, &parsed_kind))
		return lb_fail(LB_USAGE, "--kind takes %s, not '%.40s'", event_kind_list(), kind);
	if (limit && (st = cli_parse_int("--limit", limit, 1, INT64_MAX, &max)))
		return st;
	if (reverse && follow_flag)
		return lb_fail(LB_USAGE, "log: --follow prints new events as they come; it does not "
					 "go with --reverse");
	if (since && !filter.since)
		filter.since = 1;   /* the epoch itself: still a lower bound */
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	if (lead) {
		if ((st = store_resolve_id(cli->store, lead, lead_id)))
			return st;
		filter.lead_id = lead_id;
	}
	filter.actor = actor;
	filter.kind = kind;
	filter.stage = stage;
	filter.reason = reason;
	filter.lead_names = true;
	filter.newest_first = reverse;
	s.follow = follow_flag;
	/* --limit: the newest max events, shown in the order asked for */
	if (max && !reverse && (st = newest_start(cli, &filter, max)))
		return st;
	if (max && reverse)
		filter.limit = max;

	if (s.format == FORMAT_TABLE)
		output_event_table_header(stdout);
	else if (s.format == FORMAT_CSV)
		output_event_csv_header(stdout);
	else if (!s.follow)
		fputs("[", stdout);
	if (!s.follow) {
		if ((st = store_events_each(cli->store, &filter, log_one, &s)))
			return st;
		if (s.format == FORMAT_JSON)
			fputs(s.printed ? "\n]\n" : "]\n", stdout);
		return LB_OK;
	}
	/* The events shown, the last seq and data_version all come from one
	 * snapshot, so an event committed meanwhile is printed by follow(),
	 * neither missed nor printed twice. */
	if ((st = store_begin_read(cli->store)))
		return st;
	st = store_events_each(cli->store, &filter, log_one, &s);
	if (!st)
		st = store_last_seq(cli->store, &s.last_seq);
	if (!st)
		st = store_data_version(cli->store, &version);
	store_end_read(cli->store);
	if (st)
		return st;
	return follow(&s, &filter, version);
}
