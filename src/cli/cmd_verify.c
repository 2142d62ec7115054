/* cmd_verify.c - verify [--anchor SEQ:HASH]... [--anchors FILE|-] [--strict]. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "leadboard/anchor.h"
#include "leadboard/privilege.h"
#include "leadboard/text.h"
#include "leadboard/verify.h"

#define MAX_ANCHOR_OPTIONS 256
/* A year of a busy board's system log is well under this. */
#define ANCHORS_INPUT_MAX (1024LL * 1024 * 1024)
#define LINE_MAX_BYTES 4096

/* Open a file the user named, for reading, with the user's own rights only
 * (privilege_open_user_file()): on a shared install the leadboard group
 * must not let a member read what the group alone may (the database, say)
 * through --anchors. ("-" is standard input.) */
static enum lb_status open_user_named_file(const char *path, int *out)
{
	struct stat st;

	if (strcmp(path, "-") == 0) {
		*out = STDIN_FILENO;
		return LB_OK;
	}
	return privilege_open_user_input(path, NULL, out, &st);
}

/* Every "anchor SEQ:HASH" in the file, line by line (a line longer than
 * LINE_MAX_BYTES is read in pieces of that size). */
static enum lb_status read_anchors(const char *path, struct anchor_set *set)
{
	char block[65536], line[LINE_MAX_BYTES];
	size_t used = 0;
	long long total = 0;
	ssize_t n;
	int fd = -1;
	enum lb_status st;

	if ((st = open_user_named_file(path, &fd)))
		return st;
	while ((n = read(fd, block, sizeof block)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			st = lb_fail(LB_NOINPUT, "cannot read %s: %s", path, strerror(errno));
			break;
		}
		if ((total += n) > ANCHORS_INPUT_MAX) {
			st = lb_fail(LB_DATA, "%s holds more than 1 GiB; give the recent part of the "
					      "log (journalctl --since)", path);
			break;
		}
		for (ssize_t i = 0; i < n && !st; i++) {
			if (block[i] != '\n')
				line[used++] = block[i];
			if (block[i] == '\n' || used == sizeof line) {
				st = anchor_set_add_text(set, line, used);
				used = 0;
			}
		}
		if (st)
			break;
	}
	if (!st && used)
		st = anchor_set_add_text(set, line, used);
	if (fd != STDIN_FILENO)
		close(fd);
	return st;
}

static void print_problem(const char *text, void *ctx)
{
	char safe[2048];

	(void)ctx;
	fprintf(stderr, "leadboard: %s\n", text_sanitize(text, safe, sizeof safe));
}

static void print_summary(const struct verify_result *r, const struct anchor_set *anchors,
			  bool anchored)
{
	printf("integrity_check: ok\n");
	printf("triggers: %d, as leadboard's schema defines them\n", r->triggers);
	if (!r->events)
		printf("chain: no events yet\n");
	else if (r->scheme2_from)
		printf("chain: %" PRId64 " events linked from the genesis hash to the head, none "
		       "missing or edited (hash scheme 2 from event %" PRId64 ")\n",
		       r->events, r->scheme2_from);
	else
		printf("chain: %" PRId64 " events linked from the genesis hash to the head, none "
		       "missing or edited (hash scheme 1)\n", r->events);
	printf("replay: %" PRId64 " lead%s with %s events", r->leads,
	       r->leads == 1 ? " agrees" : "s agree", r->leads == 1 ? "its" : "their");
	if (r->stage_only)
		printf(" (%" PRId64 " created before hash scheme 2: their stage only)",
		       r->stage_only);
	printf("\n");
	if (anchored) {
		int64_t tail = r->head_seq - r->witnessed;
		if (r->witnessed)
			printf("witnesses: %zu of %zu anchors hold; events 1 to %" PRId64
			       " are witnessed, %" PRId64 " at the tail %s not\n",
			       r->anchors_held, anchors->count, r->witnessed, tail,
			       tail == 1 ? "is" : "are");
		else
			printf("witnesses: no anchor given names an event; none of the %" PRId64
			       " events is witnessed\n", r->head_seq);
	}
	if (r->head_seq)
		printf("anchor %" PRId64 ":%s\n", r->head_seq, r->head_hash);
}

enum lb_status cmd_verify(struct cli *cli, int argc, char **argv)
{
	const char *given[MAX_ANCHOR_OPTIONS];
	struct opt_list anchor_options = { given, 0, MAX_ANCHOR_OPTIONS };
	const char *anchors_file = NULL;
	bool strict = false;
	const struct opt opts[] = {
		{ "anchor", OPT_LIST, &anchor_options },
		{ "anchors", OPT_STRING, &anchors_file },
		{ "strict", OPT_FLAG, &strict },
		CLI_GLOBAL_OPTS(cli),
		{ 0 },
	};
	struct anchor_set anchors = { 0 };
	struct verify_options options = { .anchors = &anchors, .problem = print_problem };
	struct verify_result result;
	int npos;
	enum lb_status st;

	if ((st = cli_parse("verify", argc, argv, opts, NULL, 0, 0, &npos)))
		return st;
	for (int i = 0; i < anchor_options.count && !st; i++) {
		struct anchor a;
		if (!anchor_parse(given[i], &a))
			st = lb_fail(LB_USAGE, "--anchor takes SEQ:HASH as verify prints it, not "
					       "'%.80s'", given[i]);
		else
			st = anchor_set_add(&anchors, &a);
	}
	/* Read the witnesses before the snapshot: every event they name was
	 * committed before verify looks at the log. */
	if (!st && anchors_file)
		st = read_anchors(anchors_file, &anchors);
	options.strict = strict;
	if (!st) {
		anchor_set_sort(&anchors);
		st = cli_open(cli, STORE_OPEN_EXISTING, true);
	}
	if (!st)
		st = verify_run(cli->store, &options, &result);
	if (!st)
		print_summary(&result, &anchors, anchor_options.count > 0 || anchors_file);
	anchor_set_free(&anchors);
	return st;
}
