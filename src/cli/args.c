/* args.c - long options anywhere on the line, and value parsing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct opt *find_opt(const struct opt *opts, const char *name, size_t len)
{
	for (const struct opt *o = opts; o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

enum lb_status cli_parse(const char *command, int argc, char **argv, const struct opt *opts,
			 const char **pos, int min_pos, int max_pos, int *npos)
{
	bool options_done = false;
	int n = 0;

	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (options_done || arg[0] != '-' || arg[1] != '-' || (arg[1] == '-' && !arg[2])) {
			if (!options_done && strcmp(arg, "--") == 0) {
				options_done = true;
				continue;
			}
			if (n == max_pos)
				return lb_fail(LB_USAGE, "%s: unexpected argument '%.80s'", command,
					       arg);
			pos[n++] = arg;
			continue;
		}
		const char *name = arg + 2;
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const struct opt *o = find_opt(opts, name, len);

		if (!o)
			return lb_fail(LB_USAGE, "%s: unknown option --%.*s", command, (int)len, name);
		if (o->type == OPT_FLAG) {
			if (eq)
				return lb_fail(LB_USAGE, "%s: --%s takes no value", command, o->name);
			*(bool *)o->target = true;
			continue;
		}
		const char *value;
		if (eq)
			value = eq + 1;
		else if (i + 1 < argc)
			value = argv[++i];
		else
			return lb_fail(LB_USAGE, "%s: --%s needs a value", command, o->name);
		if (o->type == OPT_LIST) {
			struct opt_list *list = o->target;
			if (list->count == list->max)
				return lb_fail(LB_USAGE, "%s: --%s at most %d times", command,
					       o->name, list->max);
			list->values[list->count++] = value;
		} else {
			*(const char **)o->target = value;
		}
	}
	if (n < min_pos)
		return lb_fail(LB_USAGE, "%s: missing argument", command);
	*npos = n;
	return LB_OK;
}

enum lb_status cli_parse_int(const char *option, const char *text, long long min, long long max,
			     long long *out)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(text, &end, 10);
	if (!text[0] || *end || errno || n < min || n > max)
		return lb_fail(LB_USAGE, "%s takes a whole number from %lld to %lld, not '%.40s'",
			       option, min, max, text);
	*out = n;
	return LB_OK;
}

enum lb_status cli_parse_format(const char *text, unsigned allowed, enum output_format *out)
{
	static const char *const names[] = { "table", "csv", "json" };

	if (!text) {
		*out = FORMAT_TABLE;
		return LB_OK;
	}
	for (int i = 0; i < 3; i++) {
		if (strcmp(text, names[i]) == 0 && (allowed & (1u << i))) {
			*out = (enum output_format)i;
			return LB_OK;
		}
	}
	return lb_fail(LB_USAGE, "--format takes %s%s%s, not '%.40s'",
		       allowed & 1 ? "table" : "", allowed & 2 ? ", csv" : "",
		       allowed & 4 ? ", json" : "", text);
}
