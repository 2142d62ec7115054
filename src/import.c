/* import.c - CSV rows to leads: header names, cell parsing, duplicates, the run. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "leadboard/import.h"
#include "leadboard/text.h"
#include "leadboard/timeutil.h"

#define NAME_MAX_NORMAL 64
#define EMPLOYEES_MAX 1000000000000LL
#define DUPLICATE_NOTES_MAX 100
#define PROGRESS_EVERY_MS 100
#define BULK_CACHE_FROM (1 << 20)     /* bytes of CSV */
#define BULK_CACHE_MIB 256

/* ---- header names -------------------------------------------------------- */

/* Lower-case ASCII without ' ', '_', '-' and '.': "No. of Employees" and
 * "no_of_employees" both become "noofemployees". */
static void normalize(const char *in, char *out, size_t size)
{
	size_t used = 0;

	for (; *in && used + 1 < size; in++) {
		unsigned char c = (unsigned char)*in;
		if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '\t')
			continue;
		out[used++] = (char)tolower(c);
	}
	out[used] = '\0';
}

static const struct {
	const char *name;             /* normalized */
	enum import_column column;
} header_names[] = {
	{ "id", IMPORT_ID },
	{ "name", IMPORT_NAME }, { "fullname", IMPORT_NAME },
	{ "firstname", IMPORT_FIRST_NAME }, { "lastname", IMPORT_LAST_NAME },
	{ "email", IMPORT_EMAIL }, { "emailaddress", IMPORT_EMAIL },
	{ "company", IMPORT_COMPANY }, { "companyname", IMPORT_COMPANY },
	{ "accountname", IMPORT_COMPANY },
	{ "title", IMPORT_TITLE }, { "jobtitle", IMPORT_TITLE },
	{ "country", IMPORT_COUNTRY }, { "country/region", IMPORT_COUNTRY },
	{ "mailingcountry", IMPORT_COUNTRY },
	{ "employees", IMPORT_EMPLOYEES }, { "numberofemployees", IMPORT_EMPLOYEES },
	{ "noofemployees", IMPORT_EMPLOYEES },
	{ "segment", IMPORT_SEGMENT },
	{ "source", IMPORT_SOURCE }, { "leadsource", IMPORT_SOURCE },
	{ "originalsource", IMPORT_SOURCE },
	{ "score", IMPORT_SCORE }, { "leadscore", IMPORT_SCORE }, { "hubspotscore", IMPORT_SCORE },
	{ "stage", IMPORT_STAGE }, { "lifecyclestage", IMPORT_STAGE },
	{ "owner", IMPORT_OWNER },
	{ "recyclecount", IMPORT_RECYCLE_COUNT }, { "handoffcount", IMPORT_HANDOFF_COUNT },
	{ "lastreason", IMPORT_LAST_REASON }, { "lastnote", IMPORT_LAST_NOTE },
	{ "version", IMPORT_VERSION },
	{ "createdat", IMPORT_CREATED_AT }, { "updatedat", IMPORT_UPDATED_AT },
	{ "stageenteredat", IMPORT_STAGE_ENTERED_AT }, { "handedoffat", IMPORT_HANDED_OFF_AT },
};

static void add_unknown(struct import_header *h, const char *name)
{
	size_t used = strlen(h->unknown);
	char safe[200];

	h->unknown_count++;
	if (used + 8 >= sizeof h->unknown)
		return;
	text_sanitize(name[0] ? name : "(empty)", safe, sizeof safe);
	if (used + strlen(safe) + 8 >= sizeof h->unknown) {
		snprintf(h->unknown + used, sizeof h->unknown - used, ", ...");
		return;
	}
	snprintf(h->unknown + used, sizeof h->unknown - used, "%s%s", used ? ", " : "", safe);
}

enum lb_status import_map_header(const struct csv_record *record, struct import_header *h)
{
	char normal[NAME_MAX_NORMAL];

	memset(h, 0, sizeof *h);
	for (int c = 0; c < IMPORT_COLUMNS; c++)
		h->field[c] = -1;
	h->fields = record->count;
	for (size_t f = 0; f < record->count; f++) {
		const char *name = record->fields[f];
		int column = -1;

		normalize(name, normal, sizeof normal);
		for (size_t i = 0; i < sizeof header_names / sizeof header_names[0]; i++)
			if (strcmp(normal, header_names[i].name) == 0)
				column = (int)header_names[i].column;
		if (column < 0) {
			add_unknown(h, name);
			continue;
		}
		if (h->field[column] >= 0) {
			char a[100], b[100];
			text_sanitize(h->spelling[column], a, sizeof a);
			text_sanitize(name, b, sizeof b);
			return lb_fail(LB_DATA, "columns %d (%s) and %zu (%s) are the same column",
				       h->field[column] + 1, a, f + 1, b);
		}
		h->field[column] = (int)f;
		text_sanitize(name, h->spelling[column], sizeof h->spelling[column]);
		if (column == IMPORT_ID || column >= IMPORT_OWNER)
			h->keeps_state = true;
	}
	if (h->field[IMPORT_NAME] < 0 && h->field[IMPORT_FIRST_NAME] < 0 &&
	    h->field[IMPORT_LAST_NAME] < 0)
		return lb_fail(LB_DATA, "no name column (Name, or First Name and Last Name)");
	return LB_OK;
}

/* ---- stages ---------------------------------------------------------------- */

bool import_stage_key(const struct lb_board *board, const char *value, char key[LB_KEY_MAX + 1])
{
	static const struct { const char *name; const char *key; } lifecycle[] = {
		{ "lead", "lead" }, { "marketingqualifiedlead", "mql" },
		{ "salesqualifiedlead", "sql" }, { "opportunity", "opportunity" },
		{ "customer", "customer" },
	};
	char normal[NAME_MAX_NORMAL], other[NAME_MAX_NORMAL];
	int at = board_find(board, value);

	if (at < 0 && strcmp(value, LB_DISCARDED) != 0) {
		normalize(value, normal, sizeof normal);
		for (int i = 0; i < board->count && at < 0; i++) {
			normalize(board->stages[i].key, other, sizeof other);
			if (strcmp(normal, other) == 0)
				at = i;
			normalize(board->stages[i].title, other, sizeof other);
			if (at < 0 && strcmp(normal, other) == 0)
				at = i;
		}
		for (size_t i = 0; i < sizeof lifecycle / sizeof lifecycle[0] && at < 0; i++)
			if (strcmp(normal, lifecycle[i].name) == 0)
				at = board_find(board, lifecycle[i].key);
		if (at < 0 && strcmp(normal, "subscriber") == 0)
			at = board->count ? 0 : -1;
		if (at < 0 && strcmp(normal, "evangelist") == 0)
			at = board->count - 1;
		if (at < 0 && strcmp(normal, LB_DISCARDED) == 0) {
			snprintf(key, LB_KEY_MAX + 1, "%s", LB_DISCARDED);
			return true;
		}
		if (at < 0)
			return false;
	}
	snprintf(key, LB_KEY_MAX + 1, "%s", at >= 0 ? board->stages[at].key : LB_DISCARDED);
	return true;
}

/* ---- cells ------------------------------------------------------------------- */

static enum lb_status bad_cell(const struct import_header *h, enum import_column c,
			       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static enum lb_status bad_cell(const struct import_header *h, enum import_column c,
			       const char *fmt, ...)
{
	char text[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	return lb_fail(LB_DATA, "%s: %s", h->spelling[c], text);
}

static const char *cell(const struct import_header *h, const struct csv_record *r,
			enum import_column c)
{
	return h->field[c] >= 0 ? r->fields[h->field[c]] : NULL;
}

static enum lb_status copy_cell(const struct import_header *h, enum import_column c,
				const char *value, char *out, size_t size)
{
	size_t n = strlen(value);
	char safe[48];

	if (n >= size) {
		if (size > LB_KEY_MAX + 1)
			return bad_cell(h, c, "%zu bytes; the limit is %zu", n, size - 1);
		return bad_cell(h, c, "'%s' is longer than %zu bytes",
				text_sanitize(value, safe, sizeof safe), size - 1);
	}
	memcpy(out, value, n + 1);
	return LB_OK;
}

/* A whole number in 0..max, spaces around allowed; empty gives empty_value. */
static enum lb_status number_cell(const struct import_header *h, enum import_column c,
				  const char *value, int64_t max, int64_t empty_value, int64_t *out)
{
	const char *p = value;
	char safe[48];
	int64_t n = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p) {
		*out = empty_value;
		return LB_OK;
	}
	if (!isdigit((unsigned char)*p))
		goto bad;
	for (; isdigit((unsigned char)*p); p++) {
		if (n > (max - (*p - '0')) / 10)
			return bad_cell(h, c, "%s is more than %" PRId64,
					text_sanitize(value, safe, sizeof safe), max);
		n = n * 10 + (*p - '0');
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p)
		goto bad;
	*out = n;
	return LB_OK;
bad:
	return bad_cell(h, c, "'%s' is not a whole number", text_sanitize(value, safe, sizeof safe));
}

/* An ISO-8601 time as leadboard exports it (2026-11-23T09:15:00.123Z). */
static enum lb_status time_cell(const struct import_header *h, enum import_column c,
				const char *value, int64_t *out)
{
	char safe[48];

	if (!value[0]) {
		*out = 0;
		return LB_OK;
	}
	if (strlen(value) < 10 || value[4] != '-' || !time_parse(value, 0, out) || *out < 0)
		return bad_cell(h, c, "'%s' is not an ISO-8601 time (2026-11-23T09:15:00.000Z)",
				text_sanitize(value, safe, sizeof safe));
	return LB_OK;
}

/* A line break inside a cell of a CRLF file is CRLF too; leads keep LF. */
static void crlf_to_lf(char *s)
{
	char *out = strchr(s, '\r');

	if (!out)
		return;
	for (char *in = out; *in; in++)
		if (!(in[0] == '\r' && in[1] == '\n'))
			*out++ = *in;
	*out = '\0';
}

/* Only the start of each string needs clearing: cheaper than lead_init()
 * at a hundred thousand rows. */
static void lead_clear(struct lead *lead)
{
	lead->id[0] = lead->name[0] = lead->email[0] = lead->company[0] = '\0';
	lead->title[0] = lead->country[0] = lead->segment[0] = lead->source[0] = '\0';
	lead->stage[0] = lead->owner[0] = lead->last_reason[0] = lead->last_note[0] = '\0';
	lead->employees = -1;
	lead->score = 0;
	lead->recycle_count = lead->handoff_count = 0;
	lead->version = lead->created_at = lead->updated_at = 0;
	lead->stage_entered_at = lead->handed_off_at = 0;
}

static enum lb_status name_cells(const struct import_header *h, const struct csv_record *r,
				 struct lead *lead)
{
	const char *name = cell(h, r, IMPORT_NAME);
	const char *first = cell(h, r, IMPORT_FIRST_NAME);
	const char *last = cell(h, r, IMPORT_LAST_NAME);
	size_t a, b;

	if (name && name[0])
		return copy_cell(h, IMPORT_NAME, name, lead->name, sizeof lead->name);
	first = first ? first : "";
	last = last ? last : "";
	a = strlen(first);
	b = strlen(last);
	if (a + b + 1 > LB_TEXT_MAX)
		return lb_fail(LB_DATA, "%s and %s: %zu bytes together; the limit is %d",
			       h->spelling[IMPORT_FIRST_NAME], h->spelling[IMPORT_LAST_NAME], a + b + 1,
			       LB_TEXT_MAX);
	snprintf(lead->name, sizeof lead->name, "%s%s%s", first, a && b ? " " : "", last);
	return LB_OK;
}

enum lb_status import_row(const struct import_header *h, const struct lb_board *board,
			  const struct csv_record *r, struct lead *lead, unsigned *mask)
{
	static const struct {
		enum import_column column;
		size_t offset, size;
		unsigned field;
	} texts[] = {
#define TEXT(c, member, flag) { c, offsetof(struct lead, member), sizeof(((struct lead *)0)->member), flag }
		TEXT(IMPORT_EMAIL, email, FIELD_EMAIL), TEXT(IMPORT_COMPANY, company, FIELD_COMPANY),
		TEXT(IMPORT_TITLE, title, FIELD_TITLE), TEXT(IMPORT_COUNTRY, country, FIELD_COUNTRY),
		TEXT(IMPORT_SOURCE, source, FIELD_SOURCE), TEXT(IMPORT_ID, id, 0),
		TEXT(IMPORT_OWNER, owner, 0), TEXT(IMPORT_LAST_REASON, last_reason, 0),
		TEXT(IMPORT_LAST_NOTE, last_note, 0),
#undef TEXT
	};
	static const struct {
		enum import_column column;
		size_t offset;
	} times[] = {
		{ IMPORT_CREATED_AT, offsetof(struct lead, created_at) },
		{ IMPORT_UPDATED_AT, offsetof(struct lead, updated_at) },
		{ IMPORT_STAGE_ENTERED_AT, offsetof(struct lead, stage_entered_at) },
		{ IMPORT_HANDED_OFF_AT, offsetof(struct lead, handed_off_at) },
	};
	const char *value;
	char safe[48];
	int64_t n;
	enum lb_status st;

	lead_clear(lead);
	*mask = 0;
	for (size_t f = 0; f < r->count; f++) {
		crlf_to_lf(r->fields[f]);
		text_csv_unguard(r->fields[f]);
	}
	if ((st = name_cells(h, r, lead)))
		return st;
	if (lead->name[0])
		*mask |= FIELD_NAME;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		if (!(value = cell(h, r, texts[i].column)))
			continue;
		if ((st = copy_cell(h, texts[i].column, value, (char *)lead + texts[i].offset,
				    texts[i].size)))
			return st;
		if (value[0])
			*mask |= texts[i].field;
	}
	if ((value = cell(h, r, IMPORT_EMPLOYEES))) {
		if ((st = number_cell(h, IMPORT_EMPLOYEES, value, EMPLOYEES_MAX, -1, &lead->employees)))
			return st;
		if (lead->employees >= 0)
			*mask |= FIELD_EMPLOYEES;
	}
	if ((value = cell(h, r, IMPORT_SCORE)) && value[0]) {
		if ((st = number_cell(h, IMPORT_SCORE, value, INT32_MAX, 0, &n)))
			return st;
		if (n > 100)
			return bad_cell(h, IMPORT_SCORE, "%" PRId64 " is not between 0 and 100", n);
		lead->score = (int)n;
		*mask |= FIELD_SCORE;
	}
	if ((value = cell(h, r, IMPORT_SEGMENT)) && value[0]) {
		if (strlen(value) != 3 || (strcasecmp(value, "b2b") != 0 && strcasecmp(value, "b2c") != 0))
			return bad_cell(h, IMPORT_SEGMENT, "'%s' is not b2b or b2c",
					text_sanitize(value, safe, sizeof safe));
		for (int i = 0; i < 3; i++)
			lead->segment[i] = (char)tolower((unsigned char)value[i]);
		lead->segment[3] = '\0';
		*mask |= FIELD_SEGMENT;
	}
	if ((value = cell(h, r, IMPORT_STAGE)) && value[0] &&
	    !import_stage_key(board, value, lead->stage))
		return bad_cell(h, IMPORT_STAGE, "no stage '%s' (see leadboard stages)",
				text_sanitize(value, safe, sizeof safe));
	if ((value = cell(h, r, IMPORT_RECYCLE_COUNT))) {
		if ((st = number_cell(h, IMPORT_RECYCLE_COUNT, value, INT32_MAX, 0, &n)))
			return st;
		lead->recycle_count = (int)n;
	}
	if ((value = cell(h, r, IMPORT_HANDOFF_COUNT))) {
		if ((st = number_cell(h, IMPORT_HANDOFF_COUNT, value, INT32_MAX, 0, &n)))
			return st;
		lead->handoff_count = (int)n;
	}
	if ((value = cell(h, r, IMPORT_VERSION)) &&
	    (st = number_cell(h, IMPORT_VERSION, value, INT64_MAX, 0, &lead->version)))
		return st;
	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
		if ((value = cell(h, r, times[i].column)) &&
		    (st = time_cell(h, times[i].column, value,
				    (int64_t *)(void *)((char *)lead + times[i].offset))))
			return st;
	return LB_OK;
}

bool import_parse_on_duplicate(const char *text, enum import_on_duplicate *out)
{
	if (strcmp(text, "fail") == 0)
		*out = IMPORT_DUPLICATE_FAIL;
	else if (strcmp(text, "skip") == 0)
		*out = IMPORT_DUPLICATE_SKIP;
	else if (strcmp(text, "update") == 0)
		*out = IMPORT_DUPLICATE_UPDATE;
	else
		return false;
	return true;
}

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
		if (!run->result->bad && entry->id[0]) {
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
	if ((st = door_import_bulk_begin(door)))
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
