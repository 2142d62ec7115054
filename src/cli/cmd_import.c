/* cmd_import.c - leadboard import FILE: CSV in, all or nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "leadboard/csv_reader.h"
#include "leadboard/import.h"
#include "leadboard/text.h"

/* What the import reports, on stderr: one line per bad row or note, and a
 * progress line that each of them (and the end) clears first. */
struct report_to {
	char name[300];          /* the file, sanitized */
	bool progress_shown;
};

static void clear_progress(struct report_to *r)
{
	if (r->progress_shown)
		fputs("\r\033[K", stderr);
	r->progress_shown = false;
}

static void say(long line, const char *text, void *ctx)
{
	struct report_to *r = ctx;
	char safe[1200];

	clear_progress(r);
	text_sanitize(text, safe, sizeof safe);
	if (line)
		fprintf(stderr, "leadboard: %s line %ld: %s\n", r->name, line, safe);
	else
		fprintf(stderr, "leadboard: %s: %s\n", r->name, safe);
}

static void progress(int percent, long rows, void *ctx)
{
	struct report_to *r = ctx;

	fprintf(stderr, "\rimporting: %3d%% (%ld rows)", percent, rows);
	fflush(stderr);
	r->progress_shown = true;
}

enum lb_status cmd_import(struct cli *cli, int argc, char **argv)
{
	const char *on_duplicate = NULL;
	bool dry_run = false;
	const struct opt opts[] = {
		{ "dry-run", OPT_FLAG, &dry_run }, { "on-duplicate", OPT_STRING, &on_duplicate },
		CLI_GLOBAL_OPTS(cli), { 0 },
	};
	struct report_to to = { .progress_shown = false };
	struct import_options o = { .on_bad_row = say, .on_note = say, .ctx = &to };
	struct import_result result;
	const char *pos[1];
	char *data = NULL;
	size_t size;
	int npos;
	enum lb_status st;

	if ((st = cli_parse("import", argc, argv, opts, pos, 1, 1, &npos)))
		return st;
	if (on_duplicate && !import_parse_on_duplicate(on_duplicate, &o.on_duplicate))
		return lb_fail(LB_USAGE, "--on-duplicate takes skip, update or fail, not '%.40s'",
			       on_duplicate);
	o.dry_run = dry_run;
	o.name = strcmp(pos[0], "-") == 0 ? "standard input" : pos[0];
	if (isatty(STDERR_FILENO))
		o.on_progress = progress;
	text_sanitize(o.name, to.name, sizeof to.name);
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	if ((st = csv_load_file(pos[0], &data, &size)))
		return st;
	st = import_run(cli->door, cli->store, data, size, &o, &result);
	clear_progress(&to);
	free(data);
	if (st)
		return st;
	printf("%s: %ld row%s; %ld %sadded, %ld updated, %ld skipped%s\n", to.name, result.rows,
	       result.rows == 1 ? "" : "s", result.added, dry_run ? "would be " : "",
	       result.updated, result.skipped, dry_run ? " (dry run: nothing was written)" : "");
	if (result.countries_kept) {
		char list[sizeof result.countries_kept_list];
		printf("%s: %ld country value%s not in ISO 3166-1, kept as given: %s\n", to.name,
		       result.countries_kept, result.countries_kept == 1 ? "" : "s",
		       text_sanitize(result.countries_kept_list, list, sizeof list));
	}
	return LB_OK;
}
