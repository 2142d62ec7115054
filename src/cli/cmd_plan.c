/* cmd_plan.c - leadboard plan: from a revenue target back to customers,
 * stage by stage, to leads and visitors.
 *
 * Rates are kept as fractions (2% is 2/100, a measured rate is reached /
 * entered) and every "needed" figure is rounded up with integer arithmetic,
 * so 10 customers at 2% is exactly 500 leads. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "leadboard/report.h"
#include "leadboard/text.h"
#include "leadboard/timeutil.h"

#define PLAN_MAX 1000000000000000LL   /* 10^15: money or people, whatever the unit */

struct fraction {
	int64_t num, den;   /* den 0: unknown */
};

/* "0.02", ".02", "2%", "2.5%", "1": a rate in (0, 1]. */
static bool parse_rate(const char *text, struct fraction *out)
{
	int64_t num = 0, den = 1;
	const char *p = text;
	bool digits = false, percent;

	for (; isdigit((unsigned char)*p); p++, digits = true) {
		if (num > PLAN_MAX / 10)
			return false;
		num = num * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, digits = true) {
			if (num > PLAN_MAX / 10 || den > PLAN_MAX / 10)
				return false;
			num = num * 10 + (*p - '0');
			den *= 10;
		}
	}
	percent = *p == '%';
	if (percent)
		p++;
	if (!digits || *p)
		return false;
	if (percent) {
		if (den > PLAN_MAX / 100)
			return false;
		den *= 100;
	}
	if (num <= 0 || num > den)
		return false;
	out->num = num;
	out->den = den;
	return true;
}

/* ceil(n * f.den / f.num), false when it does not fit. */
static bool divide_up(int64_t n, struct fraction f, int64_t *out)
{
	int64_t product;

	if (f.num <= 0 || f.den <= 0 || __builtin_mul_overflow(n, f.den, &product))
		return false;
	*out = product / f.num + (product % f.num != 0);
	return *out <= PLAN_MAX;
}

static double as_double(struct fraction f)
{
	return f.den ? (double)f.num / (double)f.den : -1;
}

static const char *percent(struct fraction f, char out[32])
{
	snprintf(out, 32, "%.4g%%", as_double(f) * 100);
	return out;
}

struct plan {
	int64_t revenue, deal_size, customers;
	struct fraction lead_to_customer, visitor_to_lead;
	bool lead_rate_given, visitor_rate_given;
	int64_t leads, visitors;              /* -1: unknown */
	bool measured;                        /* the history was read */
	struct lb_board board;
	struct fraction rate[LB_MAX_STAGES];  /* stage i to i + 1, measured; den 0: unknown */
	int64_t needed[LB_MAX_STAGES];        /* -1: unknown */
};

/* Needed at each stage, from the last one (customers) back. */
static void work_back(struct plan *p, const struct report *r)
{
	int last = p->board.count - 1;

	for (int s = 0; s <= last; s++) {
		p->needed[s] = -1;
		p->rate[s] = (struct fraction){ 0, 0 };
		if (r && s < last && r->stages[s].reached_next > 0)
			p->rate[s] = (struct fraction){ r->stages[s].reached_next, r->stages[s].entered };
	}
	if (last < 0)
		return;
	p->needed[last] = p->customers;
	for (int s = last - 1; s >= 0; s--)
		if (p->needed[s + 1] < 0 || !p->rate[s].den ||
		    !divide_up(p->needed[s + 1], p->rate[s], &p->needed[s]))
			p->needed[s] = -1;
}

static void print_table(const struct plan *p)
{
	char a[32], name[64], next[64];
	int last = p->board.count - 1;

	printf("revenue %" PRId64 " / deal size %" PRId64 " = %" PRId64 " customers\n", p->revenue,
	       p->deal_size, p->customers);
	if (p->leads >= 0)
		printf("%" PRId64 " customers / lead-to-customer %s (%s) = %" PRId64 " leads\n",
		       p->customers, percent(p->lead_to_customer, a),
		       p->lead_rate_given ? "given" : "measured", p->leads);
	else
		printf("leads: unknown (give --lead-to-customer R; no measured rate yet)\n");
	if (p->visitors >= 0)
		printf("%" PRId64 " leads / visitor-to-lead %s (given) = %" PRId64 " visitors\n",
		       p->leads, percent(p->visitor_to_lead, a), p->visitors);
	else
		printf("visitors: unknown (give --visitor-to-lead R; leadboard does not see "
		       "visitors)\n");
	if (!p->measured || last < 1) {
		printf("\nStage by stage: no measured history to work from\n");
		return;
	}
	printf("\nStage by stage, from the measured stage-to-stage rates (all history):\n");
	for (int s = last; s >= 0; s--) {
		text_fit(p->board.stages[s].title, 12, true, name, sizeof name);
		if (p->needed[s] >= 0)
			printf("  %s %10" PRId64 " needed", name, p->needed[s]);
		else
			printf("  %s %10s needed", name, "?");
		if (s < last) {
			text_fit(p->board.stages[s + 1].title, 12, false, next, sizeof next);
			if (p->rate[s].den)
				printf("   to %s: %s (%" PRId64 " of %" PRId64 ")", next,
				       percent(p->rate[s], a), p->rate[s].num, p->rate[s].den);
			else
				printf("   to %s: not measured yet", next);
		}
		putchar('\n');
	}
}

static void json_rate(const char *key, struct fraction f, bool given, bool known)
{
	printf(",\"%s\":", key);
	if (!known) {
		fputs("{\"rate\":null,\"source\":null}", stdout);
		return;
	}
	printf("{\"rate\":%.6g,\"source\":\"%s\"}", as_double(f), given ? "given" : "measured");
}

static void print_json(const struct plan *p)
{
	int last = p->board.count - 1;

	printf("{\"revenue\":%" PRId64 ",\"deal_size\":%" PRId64 ",\"customers\":%" PRId64,
	       p->revenue, p->deal_size, p->customers);
	json_rate("lead_to_customer", p->lead_to_customer, p->lead_rate_given, p->leads >= 0);
	if (p->leads >= 0)
		printf(",\"leads\":%" PRId64, p->leads);
	else
		fputs(",\"leads\":null", stdout);
	json_rate("visitor_to_lead", p->visitor_to_lead, true, p->visitors >= 0);
	if (p->visitors >= 0)
		printf(",\"visitors\":%" PRId64, p->visitors);
	else
		fputs(",\"visitors\":null", stdout);
	fputs(",\"stages\":[", stdout);
	for (int s = p->measured ? last : -1; s >= 0; s--) {
		printf("%s{\"key\":", s == last ? "" : ",");
		text_json_string(stdout, p->board.stages[s].key, false);
		if (p->needed[s] >= 0)
			printf(",\"needed\":%" PRId64, p->needed[s]);
		else
			fputs(",\"needed\":null", stdout);
		if (s < last && p->rate[s].den)
			printf(",\"rate_to_next\":%.6g,\"entered\":%" PRId64 ",\"reached_next\":%" PRId64,
			       as_double(p->rate[s]), p->rate[s].den, p->rate[s].num);
		else if (s < last)
			fputs(",\"rate_to_next\":null", stdout);
		putchar('}');
	}
	fputs("]}\n", stdout);
}

static enum lb_status parse_amount(const char *option, const char *text, int64_t *out)
{
	long long n;
	enum lb_status st = cli_parse_int(option, text, 1, PLAN_MAX, &n);

	*out = n;
	return st;
}

enum lb_status cmd_plan(struct cli *cli, int argc, char **argv)
{
	const char *revenue = NULL, *deal = NULL, *l2c = NULL, *v2l = NULL, *format = NULL;
	const struct opt opts[] = {
		{ "revenue", OPT_STRING, &revenue }, { "deal-size", OPT_STRING, &deal },
		{ "lead-to-customer", OPT_STRING, &l2c }, { "visitor-to-lead", OPT_STRING, &v2l },
		{ "format", OPT_STRING, &format }, CLI_GLOBAL_OPTS(cli), { 0 },
	};
	struct plan p;
	struct report report = { 0 };
	enum output_format fmt;
	int npos;
	enum lb_status st;

	memset(&p, 0, sizeof p);
	if ((st = cli_parse("plan", argc, argv, opts, NULL, 0, 0, &npos)) ||
	    (st = cli_parse_format(format, 1u << FORMAT_TABLE | 1u << FORMAT_JSON, &fmt)))
		return st;
	if (!revenue || !deal)
		return lb_fail(LB_USAGE, "plan: --revenue and --deal-size are required");
	if ((st = parse_amount("--revenue", revenue, &p.revenue)) ||
	    (st = parse_amount("--deal-size", deal, &p.deal_size)))
		return st;
	if ((l2c && !parse_rate(l2c, &p.lead_to_customer)) ||
	    (v2l && !parse_rate(v2l, &p.visitor_to_lead)))
		return lb_fail(LB_USAGE, "rates are fractions or percentages above 0 and at most 1 "
					 "(0.02 or 2%%), not '%.40s'",
			       l2c && !parse_rate(l2c, &p.lead_to_customer) ? l2c : v2l);
	p.lead_rate_given = l2c != NULL;
	p.visitor_rate_given = v2l != NULL;
	p.customers = p.revenue / p.deal_size + (p.revenue % p.deal_size != 0);

	/* The measured rates: needed unless both rates are given, and then
	 * still shown when there is a board to read. */
	st = cli_open(cli, STORE_OPEN_EXISTING, true);
	if (st && !(l2c && v2l))
		return st;
	if (!st) {
		if ((st = report_compute(cli->store, &cli->board, &cli->settings, 0, 0, time_now_ms(),
					 false, &report))) {
			report_free(&report);
			return st;
		}
		p.measured = true;
		p.board = cli->board;
	}
	work_back(&p, p.measured ? &report : NULL);
	p.leads = -1;
	if (p.lead_rate_given) {
		if (!divide_up(p.customers, p.lead_to_customer, &p.leads))
			p.leads = -1;
	} else if (p.measured && p.board.count && p.needed[0] >= 0) {
		p.leads = p.needed[0];
		p.lead_to_customer = (struct fraction){ p.customers, p.leads };
	}
	p.visitors = -1;
	if (p.visitor_rate_given && p.leads >= 0 && !divide_up(p.leads, p.visitor_to_lead, &p.visitors))
		p.visitors = -1;
	report_free(&report);
	if (fmt == FORMAT_JSON)
		print_json(&p);
	else
		print_table(&p);
	return LB_OK;
}
