/* cmd_duplicates.c - leadboard duplicates: candidate pairs of leads that may
 * be one person (duplicates.h), as a table, CSV or JSON. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "leadboard/duplicates.h"
#include "leadboard/text.h"

static const struct table_column columns[] = {
	{ "KEEP", 8, false },  { "NAME", 22, false }, { "OTHER", 8, false },
	{ "NAME", 22, false }, { "COMPANY", 18, false }, { "MATCH", 0, false },
};

struct shown {
	struct cli *cli;
	enum output_format format;
	long count;
};

static int feed(const struct lead *lead, void *ctx)
{
	return duplicates_add(ctx, lead) != LB_OK;
}

static void json_lead(const char *side, const struct duplicate_lead *l)
{
	const char *keys[] = { "id", "name", "email", "company", "stage" };
	const char *values[] = { l->id, l->name, l->email, l->company, l->stage };

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		printf(",\"%s_%s\":", side, keys[i]);
		text_json_string(stdout, values[i], true);
	}
}

static void csv_lead(const struct duplicate_lead *l)
{
	const char *values[] = { l->id, l->name, l->email, l->company, l->stage };

	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		text_csv_field(stdout, values[i]);
		putchar(',');
	}
}

static int show_pair(const struct duplicate_pair *p, void *ctx)
{
	struct shown *s = ctx;
	char match[64], keep[9], other[9];
	static const char *const kinds[] = { "email", "phone", "name" };

	duplicates_match_names(p->match, match, sizeof match);
	switch (s->format) {
	case FORMAT_TABLE:
		snprintf(keep, sizeof keep, "%.8s", p->keep.id);
		snprintf(other, sizeof other, "%.8s", p->other.id);
		output_table_row(stdout, columns, 6,
				 (const char *const[]){ keep, p->keep.name, other, p->other.name,
							 p->other.company, match });
		break;
	case FORMAT_CSV:
		csv_lead(&p->keep);
		csv_lead(&p->other);
		text_csv_field(stdout, match);
		fputs("\r\n", stdout);
		break;
	case FORMAT_JSON:
		fputs(s->count ? ",\n{\"match\":[" : "\n{\"match\":[", stdout);
		for (unsigned bit = 0, n = 0; bit < 3; bit++)
			if (p->match & (1u << bit))
				printf("%s\"%s\"", n++ ? "," : "", kinds[bit]);
		putchar(']');
		json_lead("keep", &p->keep);
		json_lead("other", &p->other);
		putchar('}');
		break;
	}
	s->count++;
	return 0;
}

enum lb_status cmd_duplicates(struct cli *cli, int argc, char **argv)
{
	const char *format = NULL;
	const struct opt opts[] = { { "format", OPT_STRING, &format }, CLI_GLOBAL_OPTS(cli),
				    { 0 } };
	struct shown s = { .cli = cli };
	struct duplicates *d;
	int npos;
	enum lb_status st;

	if ((st = cli_parse("duplicates", argc, argv, opts, NULL, 0, 0, &npos)))
		return st;
	if ((st = cli_parse_format(format, 7, &s.format)))
		return st;
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	if (!(d = duplicates_new()))
		return LB_SOFTWARE;
	/* every lead, oldest first, in one snapshot */
	if (!(st = store_begin_read(cli->store))) {
		st = store_leads_export(cli->store, feed, d);
		store_end_read(cli->store);
	}
	if (!st) {
		if (s.format == FORMAT_TABLE)
			output_table_row(stdout, columns, 6, NULL);
		else if (s.format == FORMAT_CSV)
			fputs("keep_id,keep_name,keep_email,keep_company,keep_stage,other_id,"
			      "other_name,other_email,other_company,other_stage,match\r\n", stdout);
		else
			fputs("[", stdout);
		st = duplicates_each(d, show_pair, &s);
		if (s.format == FORMAT_JSON)
			fputs(s.count ? "\n]\n" : "]\n", stdout);
	}
	duplicates_free(d);
	return st;
}
