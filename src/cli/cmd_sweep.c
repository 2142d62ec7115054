/* cmd_sweep.c - leadboard sweep: the SLA acting on breaches, once (a timer runs it). */
#include <stdio.h>

#include "cli.h"
#include "leadboard/identity.h"
#include "leadboard/sweep.h"

enum lb_status cmd_sweep(struct cli *cli, int argc, char **argv)
{
	const struct opt opts[] = { CLI_GLOBAL_OPTS(cli), { 0 } };
	struct sweep_summary summary;
	struct lb_user member;
	struct rules_verdict may;
	struct door *door;
	char line[256];
	bool is_member;
	int npos;
	enum lb_status st;

	if ((st = cli_parse("sweep", argc, argv, opts, NULL, 0, 0, &npos)))
		return st;
	/* the host's timer runs it as root, who need not be a member */
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, false)))
		return st;
	st = store_get_user(cli->store, cli->user.login, &member);
	if (st && st != LB_NOINPUT)
		return st;
	is_member = st == LB_OK;
	lb_clear();
	may = rules_may_sweep(is_member ? &member : NULL, identity_may_impersonate(store_file(cli->store)));
	if (may.status)
		return lb_fail(may.status, "%s", may.message);
	if (!(door = door_open_system(cli->store, cli->user.login)))
		return LB_SOFTWARE;
	st = sweep_run(cli->store, door, &summary);
	door_close(door);
	if (st)
		return st;
	sweep_summary_line(&summary, line, sizeof line);
	printf("%s\n", line);
	if (summary.busy)
		return lb_fail(LB_TEMPFAIL, "%d lead%s stayed busy; the next sweep takes %s",
			       summary.busy, summary.busy == 1 ? "" : "s",
			       summary.busy == 1 ? "it" : "them");
	return LB_OK;
}
