/* main.c - the command's own process: a clean start, then the command. */
#include <locale.h>
#include <string.h>

#include "cli.h"
#include "leadboard/privilege.h"

int main(int argc, char **argv)
{
	struct cli cli;
	enum lb_status st;

	memset(&cli, 0, sizeof cli);
	/* before anything reads the environment */
	if ((st = privilege_start()))
		return cli_error(st);
	/* characters only: numbers and dates print the same in every locale */
	setlocale(LC_CTYPE, "");
	return cli_main(&cli, argc, argv);
}
