/* import_run.c - an import's run: rows through the door in one transaction,
 * duplicates by e-mail or id, progress and every bad row reported to the
 * caller's functions (the importer itself prints nothing). */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/clean.h"
#include "leadboard/country.h"
#include "leadboard/hash_index.h"
#include "leadboard/import.h"
#include "leadboard/timeutil.h"

#define DUPLICATE_NOTES_MAX 100
#define PROGRESS_EVERY_MS 100
#define BULK_CACHE_FROM (1 << 20)     /* bytes of CSV */
#define BULK_CACHE_MIB 256

/* ---- rows already seen: e-mail addresses and ids ------------------------------- */

struct seen_entry {
	uint64_t hash;
	size_t key;                   /* offset of the key in the arena */
	long line;
	char id[LB_ID_LEN + 1];       /* the lead the row became, "" when none yet */
};

struct seen_map {
	struct hash_index index;
	struct seen_entry *entries;
	size_t capacity;
	char *arena;
	size_t used, size;
};

static uint64_t seen_hash_of(uint32_t item, const void *ctx)
{
	const struct seen_map *m = ctx;

	return m->entries[item].hash;
}

struct seen_probe {
	const struct seen_map *map;
	const char *key;
};

static bool same_key(uint32_t item, const void *probe)
{
	const struct seen_probe *p = probe;

	return strcmp(p->map->arena + p->map->entries[item].key, p->key) == 0;
}

/* Room for one more entry and its key of n bytes. */
static bool seen_reserve(struct seen_map *m, size_t n)
{
	if (!hash_index_reserve(&m->index, m->index.count + 1, seen_hash_of, m))
		return false;
	if (m->index.count == m->capacity) {
		size_t capacity = m->capacity ? m->capacity * 2 : 1024;
		struct seen_entry *entries = realloc(m->entries, capacity * sizeof *entries);
		if (!entries)
			return false;
		m->entries = entries;
		m->capacity = capacity;
	}
	if (m->used + n > m->size) {
		size_t size = m->size ? m->size * 2 : 65536;
		char *arena;
		while (size < m->used + n)
			size *= 2;
		if (!(arena = realloc(m->arena, size)))
			return false;
		m->arena = arena;
		m->size = size;
	}
	return true;
}

/* The entry for key, a new one when missing (*found false). NULL when
 * memory runs out. */
static struct seen_entry *seen_find(struct seen_map *m, const char *key, bool *found)
{
	struct seen_probe probe = { m, key };
	uint64_t hash = hash_text(key, HASH_TEXT_SEED);
	size_t n = strlen(key) + 1;
	struct seen_entry *entry;
	uint32_t *slot;

	*found = false;
	if (!seen_reserve(m, n))
		return NULL;
	slot = hash_index_slot(&m->index, hash, same_key, &probe);
	if (*slot) {
		*found = true;
		return &m->entries[*slot - 1];
	}
	entry = &m->entries[m->index.count];
	memcpy(m->arena + m->used, key, n);
	entry->hash = hash;
	entry->key = m->used;
	entry->line = 0;
	entry->id[0] = '\0';
	m->used += n;
	hash_index_fill(&m->index, slot, (uint32_t)m->index.count);
	return entry;
}

static void seen_free(struct seen_map *m)
{
	hash_index_free(&m->index);
	free(m->entries);
	free(m->arena);
}

/* ---- the run ------------------------------------------------------------------- */

struct run {
	struct door *door;
	struct store *store;
	struct lb_board board;             /* as of the import's transaction */
	struct rules_settings settings;
	const struct import_options *o;
	struct import_result *result;
	struct import_header header;
	bool have_header;
	bool check_board;          /* the board had leads when the import began */
	enum lb_status fatal;      /* a failure that is not a row's fault */
	long duplicate_notes;
	long lines;                /* in the file, for the progress report */
	int64_t progress_at;
	struct seen_map seen;
	struct lead lead;
	struct lead known;         /* a lead on the board a row duplicates */
};

static void note(struct run *run, long line, const char *text)
{
	if (run->o->on_note)
		run->o->on_note(line, text, run->o->ctx);
}

static void bad_row(struct run *run, long line, const char *why)
{
	run->result->bad++;
	if (run->o->on_bad_row)
		run->o->on_bad_row(line, why, run->o->ctx);
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

	if (!run->o->on_progress || (run->result->rows & 255))
		return;
	now = time_now_ms();
	if (now - run->progress_at < PROGRESS_EVERY_MS)
		return;
	run->progress_at = now;
	run->o->on_progress(run->lines ? (int)(line * 100 / run->lines) : 100, run->result->rows,
			    run->o->ctx);
}

/* The header: map it, and refuse what the actor may not import at all. */
static int header_row(struct run *run, const struct csv_record *record)
{
	struct import_header *h = &run->header;
	struct rules_verdict verdict;
	char text[1100];
	enum lb_status st;

	run->have_header = true;
	if ((st = import_map_header(record, h))) {
		bad_row(run, record->line, lb_message(st));
		return 1;
	}
	/* whether the actor may import at all, before any row */
	verdict = rules_ask(&run->board, &run->settings, door_actor(run->door), NULL,
			    &(struct rules_request){ .action = RULES_ADD, .ahead = true,
						     .with_state = h->keeps_state });
	if (verdict.status) {
		run->fatal = lb_fail(verdict.status, "%s", verdict.message);
		return 1;
	}
	if (h->unknown_count) {
		snprintf(text, sizeof text, "ignoring %d unknown column%s: %s", h->unknown_count,
			 h->unknown_count == 1 ? "" : "s", h->unknown);
		note(run, 0, text);
	}
	return 0;
}

/* A row's country kept as given (ISO 3166-1 does not know it): counted,
 * and the first few named, for the summary. */
static void count_country(struct run *run)
{
	struct import_result *r = run->result;
	char value[64], listed[sizeof r->countries_kept_list + 4], needle[sizeof value + 4];
	size_t used = strlen(r->countries_kept_list);

	if (!run->lead.country[0] || country_code(run->lead.country))
		return;
	r->countries_kept++;
	snprintf(value, sizeof value, "%.60s", run->lead.country);
	clean_trim(value);
	snprintf(listed, sizeof listed, ", %s, ", r->countries_kept_list);
	snprintf(needle, sizeof needle, ", %s, ", value);
	if (strstr(listed, needle))
		return;   /* named already */
	if (used + strlen(value) + 8 < sizeof r->countries_kept_list)
		snprintf(r->countries_kept_list + used, sizeof r->countries_kept_list - used,
			 "%s%s", used ? ", " : "", value);
}

/* A row that matches an earlier row or a lead on the board. */
static enum lb_status duplicate(struct run *run, long line, struct seen_entry *entry,
				const char *what, unsigned mask)
{
	char text[800], sid[9];
	struct lead *known = &run->known;
	enum lb_status st;

	rules_short_id(entry->id, sid);
	if (entry->line) {
		snprintf(text, sizeof text, "%s is a duplicate of line %ld", what, entry->line);
	} else {
		/* the lead on the board, by id and name, as add and edit name it */
		if ((st = store_get_lead(run->store, entry->id, known)))
			return st;
		snprintf(text, sizeof text, "%s is already on the board: lead %s (%.120s)", what,
			 sid, known->name);
	}
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
			/* the lead may be one this import holds back */
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
		if (mask & FIELD_COUNTRY)
			count_country(run);
		snprintf(text + strlen(text), sizeof text - strlen(text), "; lead %s updated", sid);
		break;
	}
	if (++run->duplicate_notes <= DUPLICATE_NOTES_MAX)
		note(run, line, text);
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
	/* e-mail addresses as the door compares them (clean.h) */
	clean_email_key(lead->email, key + 1, size - 1);
	if (!key[1])
		return false;
	key[0] = 'e';
	snprintf(what, what_size, "%.500s", lead->email);
	clean_trim(what);
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
		if ((st = store_lead_exists(run->store, key + 1, found)))
			return st;
		if (*found)
			snprintf(id, LB_ID_LEN + 1, "%.36s", key + 1);
		return LB_OK;
	}
	/* only the leads on the board: a discarded one is no duplicate */
	st = store_find_email_on_board(run->store, run->lead.email, NULL, &run->known);
	if (st == LB_NOINPUT)
		return LB_OK;
	if ((*found = st == LB_OK))
		memcpy(id, run->known.id, LB_ID_LEN + 1);
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
	if ((st = import_row(&run->header, &run->board, record, &run->lead, &mask))) {
		if (st != LB_DATA)
			return st;
		bad_row(run, record->line, lb_message(st));
		return LB_OK;
	}
	if ((keyed = row_key(run, key, sizeof key, what, sizeof what))) {
		bool in_file, on_the_board = false;
		if (!(entry = seen_find(&run->seen, key, &in_file)))
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
	count_country(run);
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

enum lb_status import_run(struct door *door, struct store *store, const char *data, size_t size,
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
	run->store = store;
	run->o = o;
	run->result = result;
	run->lines = o->on_progress ? count_lines(data, size) : 0;
	cb.ctx = run;
	if (size > BULK_CACHE_FROM && (st = store_bulk_cache(store, BULK_CACHE_MIB)))
		goto out;
	if ((st = o->dry_run ? door_import_dry_begin(door) : door_import_begin(door)))
		goto out;
	/* read inside the door's transaction: what its checks see */
	if ((st = store_load_board(store, &run->board)) ||
	    (st = store_load_settings(store, &run->settings)) ||
	    (st = store_has_leads(store, &has_leads)))
		goto rollback;
	run->check_board = has_leads;
	if ((st = csv_read_buffer(data, size, &cb)))
		goto rollback;
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
		note(run, 0, text);
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
