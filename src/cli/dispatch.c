/* dispatch.c - global options, then one command (or the board). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "heap_prefault.h"

/* a command's heap, measured: `add` and `list` touch 100-150 pages */
#ifndef HEAP_PREFAULT_BYTES
#define HEAP_PREFAULT_BYTES (768 * 1024)
#endif

static void print_usage(FILE *out)
{
	fprintf(out, "usage: leadboard [--db PATH] [--as LOGIN] [COMMAND [ARGS]]\n"
		     "With no command, opens the board. Commands:\n");
	for (const struct command *c = cli_commands; c->name; c++)
		fprintf(out, "  %-8s %s\n", c->name, c->summary);
	fprintf(out, "See leadboard(1) for everything else.\n");
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	}
	return false;
}

/* What a resident says to anything but a change command (which only a
 * program other than leadboard would send it). */
static enum lb_status not_for_a_resident(void)
{
	return lb_fail(LB_USAGE, "a resident runs the change commands on one lead only");
}

int cli_main(struct cli *cli, int argc, char **argv)
{
	const struct command *command = NULL;
	bool here = !cli->resident_store;   /* this process is the command's own */
	enum lb_status st;
	int i = 1, served;

	/* Global options come before the command word. */
	while (i < argc && strncmp(argv[i], "--", 2) == 0 && argv[i][2]) {
		const char **target = NULL;
		const char *name = argv[i] + 2;
		size_t len = strcspn(name, "=");

		if (len == 2 && strncmp(name, "db", 2) == 0)
			target = &cli->db_option;
		else if (len == 2 && strncmp(name, "as", 2) == 0)
			target = &cli->as_option;
		else if (strcmp(name, "help") == 0) {
			print_usage(stdout);
			return 0;
		} else if (strcmp(name, "version") == 0) {
			printf("leadboard %s\n", LEADBOARD_VERSION);
			return 0;
		} else {
			lb_fail(LB_USAGE, "unknown option --%.*s (see leadboard --help)", (int)len,
				name);
			return cli_error(LB_USAGE);
		}
		if (name[len] == '=') {
			*target = name + len + 1;
		} else if (i + 1 < argc) {
			*target = argv[++i];
		} else {
			lb_fail(LB_USAGE, "--%s needs a value", name);
			return cli_error(LB_USAGE);
		}
		i++;
	}
	/* "--" ends the global options: leadboard -- list */
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i == argc) {
		if (!here)
			return cli_error(not_for_a_resident());
		heap_prefault(HEAP_PREFAULT_BYTES);
		heap_keep();   /* the board stays up */
		st = cli_board(cli);
		cli_close(cli);
		return cli_error(st);
	}
	if (strcmp(argv[i], "help") == 0) {
		print_usage(stdout);
		return 0;
	}
	for (const struct command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, argv[i]) == 0)
			command = c;
	if (!command) {
		lb_fail(LB_USAGE, "no command '%.40s' (see leadboard --help)", argv[i]);
		return cli_error(LB_USAGE);
	}
	if (wants_help(argc - i - 1, argv + i + 1)) {
		printf("usage: leadboard %s %s\n", command->name, command->usage);
		return 0;
	}
	if (here) {
		if ((served = resident_run(cli, command, argc, argv)) >= 0)
			return served;
		heap_prefault(HEAP_PREFAULT_BYTES);
	} else if (!command->resident) {
		return cli_error(not_for_a_resident());
	}
	st = command->run(cli, argc - i - 1, argv + i + 1);
	cli_close(cli);
	if (fflush(stdout) != 0 && st == LB_OK)
		st = lb_fail(LB_SOFTWARE, "cannot write the output");
	return cli_error(st);
}

