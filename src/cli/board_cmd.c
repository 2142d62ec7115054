/* board_cmd.c - no command: the board for the acting user. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ui/ui.h"

enum lb_status cli_board(struct cli *cli)
{
	const char *base;
	char name[128];
	struct ui *ui;
	enum lb_status st;

	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	/* the database file's name, without its directory and .db */
	base = strrchr(cli->db_path, '/');
	base = base ? base + 1 : cli->db_path;
	snprintf(name, sizeof name, "%.100s", base);
	if (strlen(name) > 3 && strcmp(name + strlen(name) - 3, ".db") == 0)
		name[strlen(name) - 3] = '\0';
	if (!(st = ui_open(cli->store, &cli->door, name, &ui)))
		st = ui_run(ui);
	ui_close(ui);
	cli_close(cli);
	return st;
}
