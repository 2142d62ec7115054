/*
 * fuzz_csv.c - libFuzzer target for the CSV reader and the import's header
 * and row mapping (everything an import does before the door).
 *
 *   make fuzz                      # 60 s
 *   make fuzz FUZZ_SECONDS=600
 *
 * Besides crashes, leaks and hangs (the sanitizers' business) it checks
 * what the reader promises: line numbers start at 1 and never go back,
 * fields are NUL-free valid UTF-8 of the stated length, every bad row has
 * a reason.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/csv_reader.h"
#include "leadboard/import.h"
#include "leadboard/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct state {
	struct lb_board board;
	struct import_header header;
	bool have_header;
	long last_line;
	struct lead lead;
};

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "broken: %s\n", #cond); abort(); } } while (0)

static int on_record(const struct csv_record *r, void *ctx)
{
	struct state *s = ctx;
	unsigned mask;

	CHECK(r->line >= 1 && r->line >= s->last_line);
	s->last_line = r->line;
	CHECK(r->count >= 1 && r->count <= CSV_MAX_FIELDS);
	for (size_t i = 0; i < r->count; i++) {
		CHECK(strlen(r->fields[i]) == r->lengths[i]);
		CHECK(utf8_valid(r->fields[i], r->lengths[i]));
	}
	if (!s->have_header) {
		s->have_header = true;
		if (import_map_header(r, &s->header) != LB_OK)
			return 1;
		return 0;
	}
	if (r->count == s->header.fields && import_row(&s->header, &s->board, r, &s->lead, &mask) == LB_OK) {
		CHECK(strlen(s->lead.name) <= LB_TEXT_MAX && strlen(s->lead.stage) <= LB_KEY_MAX);
		CHECK(s->lead.score >= 0 && s->lead.score <= 100);
	}
	return 0;
}

static int on_bad(long line, const char *why, void *ctx)
{
	struct state *s = ctx;

	CHECK(line >= 1 && why && why[0]);
	(void)s;
	return 0;
}

static void default_board(struct lb_board *board)
{
	static const struct { const char *key, *title; enum lb_team team; } stages[] = {
		{ "lead", "Lead", TEAM_MARKETING }, { "mql", "MQL", TEAM_MARKETING },
		{ "sql", "SQL", TEAM_SALES }, { "opportunity", "Opportunity", TEAM_SALES },
		{ "customer", "Customer", TEAM_SALES },
	};

	memset(board, 0, sizeof *board);
	for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
		snprintf(board->stages[i].key, sizeof board->stages[i].key, "%s", stages[i].key);
		snprintf(board->stages[i].title, sizeof board->stages[i].title, "%s", stages[i].title);
		board->stages[i].team = stages[i].team;
		board->stages[i].position = (int)(i + 1) * 10;
	}
	board->stages[4].terminal = true;
	board->count = 5;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct state *s;
	struct csv_callbacks cb = { on_record, on_bad, NULL };

	if (!s) {
		s = calloc(1, sizeof *s);
		if (!s)
			return 0;
	}
	default_board(&s->board);
	s->have_header = false;
	s->last_line = 0;
	cb.ctx = s;
	CHECK(csv_read_buffer((const char *)data, size, &cb) == LB_OK);
	return 0;
}
