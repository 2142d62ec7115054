/* board_cmd.c - no command: the board. Until the board is built, the usage. */
#include <stdio.h>

#include "cli.h"

enum lb_status cli_board(struct cli *cli)
{
	(void)cli;
	fprintf(stderr, "usage: leadboard [--db PATH] [--as LOGIN] COMMAND [ARGS] "
			"(see leadboard --help)\n");
	return LB_USAGE;
}
