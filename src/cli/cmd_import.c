/* cmd_import.c - leadboard import FILE: CSV in, all or nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "leadboard/csv_reader.h"
#include "leadboard/import.h"
#include "leadboard/text.h"

enum lb_status cmd_import(struct cli *cli, int argc, char **argv)
{
	const char *on_duplicate = NULL;
	bool dry_run = false;
	const struct opt opts[] = {
		{ "dry-run", OPT_FLAG, &dry_run }, { "on-duplicate", OPT_STRING, &on_duplicate },
		CLI_GLOBAL_OPTS(cli), { 0 },
	};
	struct import_options o = { .messages = stderr };
	struct import_result result;
	char name[300];
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
	o.progress = isatty(STDERR_FILENO);
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	if ((st = csv_load_file(pos[0], &data, &size)))
		return st;
	st = import_run(&cli->door, data, size, &o, &result);
	free(data);
	if (st)
		return st;
	text_sanitize(o.name, name, sizeof name);
	printf("%s: %ld row%s; %ld %sadded, %ld updated, %ld skipped%s\n", name, result.rows,
	       result.rows == 1 ? "" : "s", result.added, dry_run ? "would be " : "",
	       result.updated, result.skipped, dry_run ? " (dry run: nothing was written)" : "");
	return LB_OK;
}
