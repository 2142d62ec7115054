/* cmd_copy.c - leadboard copy FROM TO: a whole board into a new database,
 * SQLite or PostgreSQL either way (an admin of the board only). */
#include <inttypes.h>
#include <stdio.h>

#include "cli.h"
#include "leadboard/text.h"
#include "leadboard/verify.h"

enum lb_status cmd_copy(struct cli *cli, int argc, char **argv)
{
	const struct opt opts[] = { CLI_GLOBAL_OPTS(cli), { 0 } };
	const char *pos[2];
	struct store_copy_counts n;
	struct rules_verdict verdict;
	struct store *to = NULL;
	struct verify_options quiet = { 0 };
	struct verify_result checked;
	char from[4 * sizeof cli->db_path], into[4 * sizeof cli->db_path];
	int npos;
	enum lb_status st;

	if ((st = cli_parse("copy", argc, argv, opts, pos, 2, 2, &npos)))
		return st;
	if (cli->db_option)
		return lb_fail(LB_USAGE, "copy: the databases are FROM and TO; leave out --db");
	cli->db_option = pos[0];
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	verdict = rules_check_admin(&cli->user, "copying the board");
	if (verdict.status)
		return lb_fail(verdict.status, "%s", verdict.message);
	/* a source that does not verify is not copied: the copy would not either */
	if (verify_run(cli->store, &quiet, &checked) != LB_OK)
		return lb_fail(LB_DATA, "%s does not pass verify (see leadboard verify); nothing "
					"copied", store_label(cli->store));
	if ((st = store_open(pos[1], STORE_OPEN_CREATE, &to)))
		return st;
	st = store_copy(cli->store, to, &n);
	if (!st && verify_run(to, &quiet, &checked) != LB_OK)
		st = lb_fail(LB_DATA, "the copy in %s does not pass verify", store_label(to));
	if (!st)
		printf("copied %" PRId64 " users, %" PRId64 " stages, %" PRId64 " reasons, %" PRId64
		       " settings, %" PRId64 " leads and %" PRId64 " events from %s to %s\n",
		       n.users, n.stages, n.reasons, n.settings, n.leads, n.events,
		       text_sanitize(store_label(cli->store), from, sizeof from),
		       text_sanitize(store_label(to), into, sizeof into));
	store_close(to);
	return st;
}
