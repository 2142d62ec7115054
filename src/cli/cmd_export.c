/* cmd_export.c - leadboard export: every lead, every field, as CSV or JSON. */
#include <stdio.h>

#include "cli.h"

struct export_state {
	struct cli *cli;
	enum output_format format;
	long count;
};

static int export_one(const struct lead *lead, void *ctx)
{
	struct export_state *s = ctx;

	if (s->format == FORMAT_CSV) {
		output_lead_csv_row(stdout, lead);
	} else {
		fputs(s->count ? ",\n" : "\n", stdout);
		output_lead_json(stdout, lead, s->cli, false);
	}
	s->count++;
	return 0;
}

enum lb_status cmd_export(struct cli *cli, int argc, char **argv)
{
	const char *format = NULL;
	const struct opt opts[] = { { "format", OPT_STRING, &format }, CLI_GLOBAL_OPTS(cli),
				    { 0 } };
	struct export_state s = { .cli = cli, .format = FORMAT_CSV };
	int npos;
	enum lb_status st;

	if ((st = cli_parse("export", argc, argv, opts, NULL, 0, 0, &npos)))
		return st;
	if (format && (st = cli_parse_format(format, 1u << FORMAT_CSV | 1u << FORMAT_JSON,
					     &s.format)))
		return st;
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	/* one snapshot: an export never mixes states of the board */
	if ((st = store_begin_read(cli->store)))
		return st;
	if (s.format == FORMAT_CSV)
		output_lead_csv_header(stdout);
	else
		fputs("[", stdout);
	st = store_leads_export(cli->store, export_one, &s);
	store_end_read(cli->store);
	if (s.format == FORMAT_JSON)
		fputs(s.count ? "\n]\n" : "]\n", stdout);
	return st;
}
