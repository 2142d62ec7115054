/* board_cmd.c - no command: the board for the acting user. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ui/ui.h"

enum lb_status cli_board(struct cli *cli)
{
	char name[128];
	struct ui *ui = NULL;
	enum lb_status st;
	bool gone;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return lb_fail(LB_USAGE, "the board needs a terminal; without one, use the "
					 "commands: leadboard list (see leadboard --help)");
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	store_board_name(cli->store, name, sizeof name);
	if (!(st = ui_open(cli->store, cli->door, name, &ui)))
		st = ui_run(ui);
	gone = ui_terminal_gone(ui);
	ui_close(ui);
	cli_close(cli);
	/* The terminal hung up: the database is closed and there is nothing
	 * left to print, so leave now. Exit-time handlers would only run into
	 * the hangup's SIGCONT to our process group (a leak checker's
	 * stop-the-world waits forever for a stop that SIGCONT cancelled). */
	if (gone && st == LB_OK)
		_exit(0);
	return st;
}
