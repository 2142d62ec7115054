/* import.c - CSV rows to leads: header names, stages, cells. The run is import_run.c. */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "leadboard/clean.h"
#include "leadboard/import.h"
#include "leadboard/text.h"
#include "leadboard/timeutil.h"

#define NAME_MAX_NORMAL 64
#define EMPLOYEES_MAX 1000000000000LL

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
	{ "phone", IMPORT_PHONE }, { "phonenumber", IMPORT_PHONE },
	{ "mobilephone", IMPORT_MOBILE }, { "mobilephonenumber", IMPORT_MOBILE },
	{ "mobile", IMPORT_MOBILE },
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
	{ "mergedinto", IMPORT_MERGED_INTO },
	{ "contactattempts", IMPORT_CONTACT_ATTEMPTS }, { "firstcontactat", IMPORT_FIRST_CONTACT_AT },
	{ "lastcontactat", IMPORT_LAST_CONTACT_AT }, { "nextstepat", IMPORT_NEXT_STEP_AT },
	{ "ownersince", IMPORT_OWNER_SINCE }, { "escalatedat", IMPORT_ESCALATED_AT },
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
	static const char *const off_board[] = { LB_DISCARDED, LB_MERGED };
	char normal[NAME_MAX_NORMAL], other[NAME_MAX_NORMAL];
	int at = board_find(board, value);

	if (at < 0) {
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
		for (size_t i = 0; i < sizeof off_board / sizeof off_board[0] && at < 0; i++) {
			if (strcmp(normal, off_board[i]) == 0) {
				snprintf(key, LB_KEY_MAX + 1, "%s", off_board[i]);
				return true;
			}
		}
		if (at < 0)
			return false;
	}
	snprintf(key, LB_KEY_MAX + 1, "%s", board->stages[at].key);
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
	lead->id[0] = lead->name[0] = lead->email[0] = lead->phone[0] = lead->company[0] = '\0';
	lead->title[0] = lead->country[0] = lead->segment[0] = lead->source[0] = '\0';
	lead->stage[0] = lead->owner[0] = lead->last_reason[0] = lead->last_note[0] = '\0';
	lead->merged_into[0] = '\0';
	lead->employees = -1;
	lead->score = 0;
	lead->recycle_count = lead->handoff_count = 0;
	lead->version = lead->created_at = lead->updated_at = 0;
	lead->stage_entered_at = lead->handed_off_at = 0;
	lead->contact_attempts = 0;
	lead->first_contact_at = lead->last_contact_at = lead->next_step_at = 0;
	lead->owner_since = lead->escalated_at = 0;
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
		TEXT(IMPORT_EMAIL, email, FIELD_EMAIL), TEXT(IMPORT_PHONE, phone, FIELD_PHONE),
		TEXT(IMPORT_COMPANY, company, FIELD_COMPANY),
		TEXT(IMPORT_TITLE, title, FIELD_TITLE), TEXT(IMPORT_COUNTRY, country, FIELD_COUNTRY),
		TEXT(IMPORT_SOURCE, source, FIELD_SOURCE), TEXT(IMPORT_ID, id, 0),
		TEXT(IMPORT_OWNER, owner, 0), TEXT(IMPORT_LAST_REASON, last_reason, 0),
		TEXT(IMPORT_LAST_NOTE, last_note, 0), TEXT(IMPORT_MERGED_INTO, merged_into, 0),
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
		{ IMPORT_FIRST_CONTACT_AT, offsetof(struct lead, first_contact_at) },
		{ IMPORT_LAST_CONTACT_AT, offsetof(struct lead, last_contact_at) },
		{ IMPORT_NEXT_STEP_AT, offsetof(struct lead, next_step_at) },
		{ IMPORT_OWNER_SINCE, offsetof(struct lead, owner_since) },
		{ IMPORT_ESCALATED_AT, offsetof(struct lead, escalated_at) },
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
	/* the mobile number when there is no other */
	if (!lead->phone[0] && (value = cell(h, r, IMPORT_MOBILE)) && value[0]) {
		if ((st = copy_cell(h, IMPORT_MOBILE, value, lead->phone, sizeof lead->phone)))
			return st;
		*mask |= FIELD_PHONE;
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
		if (!clean_segment(value, lead->segment))
			return bad_cell(h, IMPORT_SEGMENT, "'%s' is not %s",
					text_sanitize(value, safe, sizeof safe), CLEAN_SEGMENT_WORDS);
		if (lead->segment[0])
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
	if ((value = cell(h, r, IMPORT_CONTACT_ATTEMPTS))) {
		if ((st = number_cell(h, IMPORT_CONTACT_ATTEMPTS, value, INT32_MAX, 0, &n)))
			return st;
		lead->contact_attempts = (int)n;
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
