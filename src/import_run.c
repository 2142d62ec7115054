/* import_run.c - an import's run: rows through the door in one transaction,
 * duplicates by e-mail or id, the progress line, every bad row listed. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/import.h"
#include "leadboard/text.h"
#include "leadboard/timeutil.h"

#define DUPLICATE_NOTES_MAX 100
#define PROGRESS_EVERY_MS 100
#define BULK_CACHE_FROM (1 << 20)     /* bytes of CSV */
#define BULK_CACHE_MIB 256

/* ---- rows already seen: e-mail addresses and ids ------------------------------- */

struct seen_entry {
	uint64_t hash;                /* 0: empty slot */
	size_t key;                   /* offset of the key in the arena */
	long line;
	char id[LB_ID_LEN + 1];       /* the lead the row became, "" when none yet */
};

struct seen_map {
	struct seen_entry *slots;
	size_t mask, count;
	char *arena;
	size_t used, size;
};

static uint64_t hash_key(const char *key)
{
	uint64_t h = 1469598103934665603ULL;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h ? h : 1;
}

static bool seen_grow(struct seen_map *m)
{
	size_t size = m->slots ? (m->mask + 1) * 2 : 1024;
	struct seen_entry *slots = calloc(size, sizeof *slots);

	if (!slots)
		return false;
	for (size_t i = 0; m->slots && i <= m->mask; i++) {
		size_t j;
		if (!m->slots[i].hash)
			continue;
		for (j = m->slots[i].hash & (size - 1); slots[j].hash; j = (j + 1) & (size - 1))
			;
		slots[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->mask = size - 1;
	return true;
}

/* The entry for key; with add, a new one when missing (*found false). NULL
 * when memory runs out. */
static struct seen_entry *seen_find(struct seen_map *m, const char *key, bool add, bool *found)
{
	uint64_t h = hash_key(key);
	size_t n = strlen(key) + 1, i;

	*found = false;
	if ((!m->slots || (m->count + 1) * 4 > (m->mask + 1) * 3) && add && !seen_grow(m))
		return NULL;
	if (!m->slots)
		return NULL;
	for (i = h & m->mask; m->slots[i].hash; i = (i + 1) & m->mask) {
		if (m->slots[i].hash == h && strcmp(m->arena + m->slots[i].key, key) == 0) {
			*found = true;
			return &m->slots[i];
		}
	}
	if (!add)
		return NULL;
	if (m->used + n > m->size) {
		size_t size = m->size ? m->size * 2 : 65536;
		char *arena;
		while (size < m->used + n)
			size *= 2;
		if (!(arena = realloc(m->arena, size)))
			return NULL;
		m->arena = arena;
		m->size = size;
	}
	memcpy(m->arena + m->used, key, n);
	m->slots[i].hash = h;
	m->slots[i].key = m->used;
	m->slots[i].line = 0;
	m->slots[i].id[0] = '\0';
	m->used += n;
	m->count++;
	return &m->slots[i];
}

static void seen_free(struct seen_map *m)
{
	free(m->slots);
	free(m->arena);
}

/* ---- the run ------------------------------------------------------------------- */

struct run {
	struct door *door;
	const struct import_options *o;
	struct import_result *result;
	struct import_header header;
	bool have_header;
	bool check_board;          /* the board had leads when the import began */
	enum lb_status fatal;      /* a failure that is not a row's fault */
	long duplicate_notes;
	long lines;                /* in the file, for the progress line */
	int64_t progress_at;
	struct seen_map seen;
	struct lead lead;
};

static void message(struct run *run, long line, const char *text)
{
	char safe[1200], name[300];

	text_sanitize(run->o->name, name, sizeof name);
	text_sanitize(text, safe, sizeof safe);
	if (run->o->progress)
		fputs("\r\033[K", run->o->messages);
	if (line)
		fprintf(run->o->messages, "leadboard: %s line %ld: %s\n", name, line, safe);
	else
		fprintf(run->o->messages, "leadboard: %s: %s\n", name, safe);
}

static void bad_row(struct run *run, long line, const char *why)
{
	run->result->bad++;
	message(run, line, why);
}

static int on_bad(long line, const char *why, void *ctx)
{
	struct run *run = ctx;
	char text[600];
	size_t field;
	int used = 0;

	if (!run->have_header) {
		bad_row(run, line, why);
		return 1;          /* without a header no row can be read */
	}
	/* "field 4 is not valid UTF-8": name the column when it is one we read */
	if (sscanf(why, "field %zu %n", &field, &used) == 1 && used > 0) {
		for (int c = 0; c < IMPORT_COLUMNS; c++) {
			if (run->header.field[c] == (int)field - 1) {
				snprintf(text, sizeof text, "%s (field %zu) %s", run->header.spelling[c],
					 field, why + used);
				why = text;
				break;
			}
		}
	}
	bad_row(run, line, why);
	return 0;
}

static void progress(struct run *run, long line)
{
	int64_t now;

	if (!run->o->progress || (run->result->rows & 255))
		return;
	now = time_now_ms();
	if (now - run->progress_at < PROGRESS_EVERY_MS)
		return;
	run->progress_at = now;
	fprintf(run->o->messages, "\rimporting: %3ld%% (%ld rows)",
		run->lines ? line * 100 / run->lines : 100, run->result->rows);
	fflush(run->o->messages);
}

/* The header: map it, and refuse what the actor may not import at all. */
static int header_row(struct run *run, const struct csv_record *record)
{
	struct import_header *h = &run->header;
	char text[1100];
	enum lb_status st;

	run->have_header = true;
	if ((st = import_map_header(record, h))) {
		bad_row(run, record->line, lb_message(st));
		return 1;
	}
	if (run->door->actor.role == ROLE_MANAGER) {
		run->fatal = lb_fail(LB_NOPERM, "a manager does not add leads; marketing, sales or "
						"an admin imports them");
		return 1;
	}
	if (h->keeps_state && run->door->actor.role != ROLE_ADMIN) {
		run->fatal = lb_fail(LB_NOPERM,
				     "only an admin imports leadboard's state columns (id, owner, "
				     "counts, times); remove them from the file or ask an admin");
		return 1;
	}
	if (h->unknown_count) {
		snprintf(text, sizeof text, "ignoring %d unknown column%s: %s", h->unknown_count,
			 h->unknown_count == 1 ? "" : "s", h->unknown);
		message(run, 0, text);
	}
	return 0;
}

/* A row that matches an earlier row or a lead on the board. */
static enum lb_status duplicate(struct run *run, long line, struct seen_entry *entry,
				const char *what, unsigned mask)
{
	char text[600], sid[9];
	enum lb_status st;

	rules_short_id(entry->id, sid);
	if (entry->line)
		snprintf(text, sizeof text, "%s is a duplicate of line %ld", what, entry->line);
	else
		snprintf(text, sizeof text, "%s is already on the board (lead %s)", what, sid);
	switch (run->o->on_duplicate) {
	case IMPORT_DUPLICATE_FAIL:
		bad_row(run, line, text);
		return LB_OK;
	case IMPORT_DUPLICATE_SKIP:
		run->result->skipped++;
		strncat(text, "; skipped", sizeof text - strlen(text) - 1);
		break;
	case IMPORT_DUPLICATE_UPDATE:
		/* (a dry run has not made the leads of earlier lines: nothing to check) */
		if (!run->result->bad && entry->id[0] && !(run->o->dry_run && entry->line)) {
			/* the lead may be one this import staged */
			if ((st = door_import_flush(run->door)))
				return st;
			st = door_import_update(run->door, entry->id, &run->lead, mask);
			if (st == LB_DATA || st == LB_NOPERM) {
				bad_row(run, line, lb_message(st));
				return LB_OK;
			}
			if (st)
				return st;
		}
		run->result->updated++;
		snprintf(text + strlen(text), sizeof text - strlen(text), "; lead %s updated", sid);
		break;
	}
	if (++run->duplicate_notes <= DUPLICATE_NOTES_MAX)
		message(run, line, text);
	return LB_OK;
}

/* The key a row is known by: its id when it carries one, else its e-mail. */
static bool row_key(const struct run *run, char *key, size_t size, char *what, size_t what_size)
{
	const struct lead *lead = &run->lead;

	if (run->header.keeps_state && lead->id[0]) {
		snprintf(key, size, "i");
		for (size_t i = 0; lead->id[i] && i + 2 < size; i++) {
			key[i + 1] = (char)tolower((unsigned char)lead->id[i]);
			key[i + 2] = '\0';
		}
		snprintf(what, what_size, "id %.36s", key + 1);
		return true;
	}
	if (!lead->email[0])
		return false;
	snprintf(key, size, "e");
	for (size_t i = 0; lead->email[i] && i + 2 < size; i++) {
		key[i + 1] = (char)tolower((unsigned char)lead->email[i]);
		key[i + 2] = '\0';
	}
	snprintf(what, what_size, "%.500s", lead->email);
	return true;
}

/* Looks the row's key up on the board (not in the file). */
static enum lb_status on_board(struct run *run, const char *key, char id[LB_ID_LEN + 1],
			       bool *found)
{
	enum lb_status st;

	*found = false;
	if (!run->check_board)
		return LB_OK;
	if (key[0] == 'i') {
		if ((st = store_lead_exists(run->door->store, key + 1, found)))
			return st;
		if (*found)
			snprintf(id, LB_ID_LEN + 1, "%.36s", key + 1);
		return LB_OK;
	}
	st = store_find_by_email(run->door->store, run->lead.email, id);
	if (st == LB_NOINPUT)
		return LB_OK;
	*found = st == LB_OK;
	return st;
}

/* A row's own problems: LB_OK, a bad row reported, or a failure to pass on. */
static enum lb_status check_row(struct run *run, long line, bool *bad)
{
	enum lb_status st = door_import_check(run->door, &run->lead, run->header.keeps_state);

	*bad = st == LB_DATA || st == LB_NOPERM;
	if (*bad) {
		bad_row(run, line, lb_message(st));
		return LB_OK;
	}
	return st;
}

static enum lb_status data_row(struct run *run, const struct csv_record *record)
{
	struct seen_entry *entry = NULL;
	char key[LB_TEXT_MAX + 2], what[520], id[LB_ID_LEN + 1], text[120];
	bool keep = run->header.keeps_state, keyed, bad;
	unsigned mask;
	enum lb_status st;

	if (record->count != run->header.fields) {
		snprintf(text, sizeof text, "%zu fields; the header has %zu", record->count,
			 run->header.fields);
		bad_row(run, record->line, text);
		return LB_OK;
	}
	if ((st = import_row(&run->header, &run->door->board, record, &run->lead, &mask))) {
		if (st != LB_DATA)
			return st;
		bad_row(run, record->line, lb_message(st));
		return LB_OK;
	}
	if ((keyed = row_key(run, key, sizeof key, what, sizeof what))) {
		bool in_file, on_the_board = false;
		if (!(entry = seen_find(&run->seen, key, true, &in_file)))
			return lb_fail(LB_SOFTWARE, "out of memory");
		if (!in_file && (st = on_board(run, key, id, &on_the_board)))
			return st;
		if (in_file || on_the_board) {
			/* A duplicate is skipped or updates fields, never the stage:
			 * its cells are checked, the stage it names is not. */
			run->lead.stage[0] = '\0';
			if ((st = check_row(run, record->line, &bad)) || bad)
				return st;
			if (on_the_board)   /* later rows with this key are duplicates of it */
				memcpy(entry->id, id, sizeof entry->id);
			return duplicate(run, record->line, entry, what, mask);
		}
		entry->line = record->line;
	}
	if (run->result->bad) {
		/* nothing will be written: check, to list every bad row */
		if ((st = check_row(run, record->line, &bad)) || bad)
			return st;
	} else {
		st = door_import_add(run->door, &run->lead, keep);   /* checks as it writes */
		if (st == LB_DATA || st == LB_NOPERM) {
			bad_row(run, record->line, lb_message(st));
			return LB_OK;
		}
		if (st)
			return st;
		if (keyed)
			memcpy(entry->id, run->lead.id, sizeof entry->id);
	}
	run->result->added++;
	return LB_OK;
}

static int on_record(const struct csv_record *record, void *ctx)
{
	struct run *run = ctx;
	enum lb_status st;

	if (!run->have_header)
		return header_row(run, record);
	run->result->rows++;
	progress(run, record->line);
	if ((st = data_row(run, record))) {
		run->fatal = st;
		return 1;
	}
	return 0;
}

static long count_lines(const char *data, size_t size)
{
	long n = 0;

	for (const char *p = data; (p = memchr(p, '\n', size - (size_t)(p - data))); p++)
		n++;
	return n + 1;
}

enum lb_status import_run(struct door *door, const char *data, size_t size,
			  const struct import_options *o, struct import_result *result)
{
	struct csv_callbacks cb = { on_record, on_bad, NULL };
	struct run *run = calloc(1, sizeof *run);
	enum lb_status st;
	bool has_leads = false;

	memset(result, 0, sizeof *result);
	if (!run)
		return lb_fail(LB_SOFTWARE, "out of memory");
	run->door = door;
	run->o = o;
	run->result = result;
	run->lines = o->progress ? count_lines(data, size) : 0;
	cb.ctx = run;
	if (size > BULK_CACHE_FROM && (st = store_bulk_cache(door->store, BULK_CACHE_MIB)))
		goto out;
	if ((st = o->dry_run ? door_import_dry_begin(door) : door_import_bulk_begin(door)))
		goto out;
	if ((st = store_has_leads(door->store, &has_leads)))
		goto rollback;
	run->check_board = has_leads;
	if ((st = csv_read_buffer(data, size, &cb)))
		goto rollback;
	if (o->progress && run->progress_at)
		fputs("\r\033[K", o->messages);
	if ((st = run->fatal))
		goto rollback;
	if (!run->have_header && !result->bad) {
		st = lb_fail(LB_DATA, "%s is empty: no header line", o->name);
		goto rollback;
	}
	if (result->bad) {
		st = lb_fail(LB_DATA, "%ld bad row%s in %s; nothing imported", result->bad,
			     result->bad == 1 ? "" : "s", o->name);
		goto rollback;
	}
	if (run->duplicate_notes > DUPLICATE_NOTES_MAX) {
		char text[100];
		snprintf(text, sizeof text, "%ld more duplicates not listed",
			 run->duplicate_notes - DUPLICATE_NOTES_MAX);
		message(run, 0, text);
	}
	if ((st = door_import_flush(door)))
		goto rollback;
	st = door_import_end(door, !o->dry_run);
	goto out;
rollback:
	door_import_end(door, false);
out:
	seen_free(&run->seen);
	free(run);
	return st;
}
