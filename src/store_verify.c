/* store_verify.c - what verify reads: rows exactly as stored, and the schema's triggers. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

extern const char schema_sql[];   /* schema.sql, compiled in (build/schema_sql.c) */
extern const char schema_pg_sql[];   /* schema_pg.sql, likewise */

/* A text or blob column's bytes ("" for none), then their length: SQLite
 * counts the bytes of the form it last gave. */
static void read_bytes(struct db_stmt *stmt, int column, const void *bytes,
		       struct store_value *v)
{
	v->bytes = bytes ? bytes : "";
	v->len = (size_t)db_column_bytes(stmt, column);
}

static void read_value(struct db_stmt *stmt, int column, struct store_value *v)
{
	memset(v, 0, sizeof *v);
	v->bytes = "";
	switch (db_column_type(stmt, column)) {
	case DB_TYPE_INTEGER:
		v->type = STORE_INTEGER;
		v->integer = db_column_int64(stmt, column);
		break;
	case DB_TYPE_REAL:
		v->type = STORE_REAL;
		v->real = db_column_double(stmt, column);
		break;
	case DB_TYPE_TEXT:
		v->type = STORE_TEXT;
		read_bytes(stmt, column, db_column_text(stmt, column), v);
		break;
	case DB_TYPE_BLOB:
		v->type = STORE_BLOB;
		read_bytes(stmt, column, db_column_blob(stmt, column), v);
		break;
	default:
		v->type = STORE_NULL;
		break;
	}
}

/* A caller's function for rows of stored values, and how many columns. */
struct stored_rows {
	int (*fn)(const struct store_value *row, void *ctx);
	void *ctx;
	int columns;
};

static int stored_row(struct db_stmt *stmt, void *ctx)
{
	const struct stored_rows *rows = ctx;
	struct store_value row[(int)EVENT_COL_COUNT > (int)LEAD_COL_COUNT ? (int)EVENT_COL_COUNT
									  : (int)LEAD_COL_COUNT];

	for (int c = 0; c < rows->columns; c++)
		read_value(stmt, c, &row[c]);
	return rows->fn(row, rows->ctx);
}

/* Every row of sql, its first columns as stored, to fn. */
static enum lb_status stored_each(struct store *store, const char *sql, int columns,
				  const char *doing,
				  int (*fn)(const struct store_value *row, void *ctx), void *ctx)
{
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	return store_each_row(store, stmt, doing, stored_row,
			      &(struct stored_rows){ fn, ctx, columns });
}

enum lb_status store_events_stored_each(struct store *store,
					int (*fn)(const struct store_value row[EVENT_COL_COUNT],
						  void *ctx),
					void *ctx)
{
	/* the order of enum store_event_column */
	static const char sql[] =
		"SELECT seq, at, actor, real_user, lead_id, kind, from_stage, to_stage, reason, "
		"note, rule, hash_scheme, prev_hash, hash FROM events ORDER BY seq";

	return stored_each(store, sql, EVENT_COL_COUNT, "reading the audit log", fn, ctx);
}

enum lb_status store_lead_states_each(struct store *store,
				      int (*fn)(const struct store_value row[LEAD_COL_COUNT],
						void *ctx),
				      void *ctx)
{
	/* the order of enum store_lead_state_column */
	static const char sql[] =
		"SELECT id, stage, owner, recycle_count, handoff_count, last_reason, last_note, "
		"version, created_at, updated_at, stage_entered_at, handed_off_at, merged_into, "
		"contact_attempts, first_contact_at, last_contact_at, next_step_at, owner_since, "
		"escalated_at FROM leads";

	return stored_each(store, sql, LEAD_COL_COUNT, "reading the leads", fn, ctx);
}

/* ---- triggers ------------------------------------------------------------- */

#define MAX_TRIGGERS 64

struct trigger_def {
	char name[128];
	const char *sql;    /* "CREATE TRIGGER ... END", in schema_sql */
	size_t len;
	char function[128]; /* PostgreSQL: the function it executes */
	bool found;
};

static bool starts_with(const char *p, const char *word)
{
	return strncmp(p, word, strlen(word)) == 0;
}

static void read_name(const char *p, char *out, size_t size)
{
	size_t n = strcspn(p, " \t\n(");

	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

static int find_def(const struct trigger_def *defs, int count, const char *name)
{
	for (int i = 0; i < count; i++)
		if (strcmp(defs[i].name, name) == 0)
			return i;
	return -1;
}

/* The triggers the schema leaves in place after every migration: each
 * CREATE TRIGGER (at the start of a line) up to its END, less those a later
 * DROP TRIGGER removes. */
static int schema_triggers(struct trigger_def defs[MAX_TRIGGERS])
{
	static const char create[] = "CREATE TRIGGER ", drop[] = "DROP TRIGGER ";
	const char *p = schema_sql;
	int count = 0;

	while (*p) {
		char name[128];
		int i;

		if (starts_with(p, drop)) {
			const char *q = p + strlen(drop);
			if (starts_with(q, "IF EXISTS "))
				q += strlen("IF EXISTS ");
			read_name(q, name, sizeof name);
			if ((i = find_def(defs, count, name)) >= 0)
				defs[i] = defs[--count];
		} else if (starts_with(p, create)) {
			const char *end = strstr(p, "\nEND;");
			if (!end)
				break;
			read_name(p + strlen(create), name, sizeof name);
			if ((i = find_def(defs, count, name)) < 0) {
				if (count == MAX_TRIGGERS)
					break;
				i = count++;
			}
			snprintf(defs[i].name, sizeof defs[i].name, "%s", name);
			defs[i].sql = p;
			defs[i].len = (size_t)(end + strlen("\nEND") - p);
			defs[i].found = false;
			p = end + 1;
		}
		p += strcspn(p, "\n");
		if (*p)
			p++;
	}
	return count;
}

/* s with each run of white space as one space and none at either end
 * (SQLite keeps a trigger's text as it was written); NULL when out of
 * memory. */
static char *squeeze(const char *s, size_t len)
{
	char *out = malloc(len + 1), *w = out;
	bool space = false;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (isspace((unsigned char)s[i])) {
			space = w != out;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = false;
		*w++ = s[i];
	}
	*w = '\0';
	return out;
}

static bool same_sql(const char *a, size_t alen, const char *b, size_t blen)
{
	char *x = squeeze(a, alen), *y = squeeze(b, blen);
	bool same = x && y && strcmp(x, y) == 0;

	free(x);
	free(y);
	return same;
}

/*
 * PostgreSQL: each trigger schema_pg.sql creates must be there, enabled, and
 * run its function with the body the schema gives it; a trigger the schema
 * does not create is reported too.
 */
static bool pg_function_body(const char *function, const char **body, size_t *len)
{
	char head[160];
	const char *p, *start, *end;

	snprintf(head, sizeof head, "\nCREATE FUNCTION %s(", function);
	if (!(p = strstr(schema_pg_sql, head)) || !(start = strstr(p, "$$")))
		return false;
	start += 2;
	if (!(end = strstr(start, "$$")))
		return false;
	*body = start;
	*len = (size_t)(end - start);
	return true;
}

/* What a check of the triggers carries from row to row: the schema's
 * triggers and where to report what differs. */
struct trigger_check {
	struct trigger_def defs[MAX_TRIGGERS];
	int count;
	void (*fn)(const char *name, const char *problem, void *ctx);
	void *ctx;
};

/* The schema's trigger of this name, marked as found in the database;
 * NULL, reported, when the schema creates none by that name. */
static struct trigger_def *expected_trigger(struct trigger_check *check, const char *name)
{
	int i = find_def(check->defs, check->count, name);

	if (i < 0) {
		check->fn(name, "is not in leadboard's schema (added by hand)", check->ctx);
		return NULL;
	}
	check->defs[i].found = true;
	return &check->defs[i];
}

/* Both engines: read the database's triggers with row(), then report each
 * of the schema's that it did not list. */
static enum lb_status check_triggers(struct store *store, struct db_stmt *stmt,
				     int (*row)(struct db_stmt *stmt, void *check),
				     struct trigger_check *check)
{
	enum lb_status st;

	if (!stmt)
		return LB_SOFTWARE;
	if ((st = store_each_row(store, stmt, "reading the schema", row, check)))
		return st;
	for (int i = 0; i < check->count; i++)
		if (!check->defs[i].found)
			check->fn(check->defs[i].name, "is missing (dropped)", check->ctx);
	return LB_OK;
}

/* A row of pg_trigger: name, enabled, the function it runs, its body. */
static int pg_trigger_row(struct db_stmt *stmt, void *ctx)
{
	struct trigger_check *check = ctx;
	const char *name = db_column_text(stmt, 0), *enabled = db_column_text(stmt, 1);
	const char *function = db_column_text(stmt, 2), *text = db_column_text(stmt, 3);
	const struct trigger_def *def;
	const char *body;
	size_t len;

	if (!name)
		name = "";
	if (!(def = expected_trigger(check, name)))
		return 0;
	if (!enabled || strcmp(enabled, "D") == 0)
		check->fn(name, "is disabled", check->ctx);
	else if (!function || strcmp(function, def->function) != 0 || !text ||
		 !pg_function_body(def->function, &body, &len) ||
		 !same_sql(text, strlen(text), body, len))
		check->fn(name, "differs from leadboard's schema (altered)", check->ctx);
	return 0;
}

static enum lb_status check_pg_triggers(struct store *store, struct trigger_check *check,
					int *defined)
{
	static const char sql[] =
		"SELECT t.tgname, t.tgenabled, p.proname, p.prosrc FROM pg_catalog.pg_trigger t "
		"JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid "
		"JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
		"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
		"WHERE NOT t.tgisinternal AND n.nspname = current_schema() ORDER BY t.tgname";
	struct trigger_def *defs = check->defs;
	const char *p = schema_pg_sql;
	int count = 0;

	while ((p = strstr(p, "\nCREATE TRIGGER ")) != NULL && count < MAX_TRIGGERS) {
		const char *exec = strstr(p, "EXECUTE FUNCTION "), *semi = strchr(p, ';');
		read_name(p + strlen("\nCREATE TRIGGER "), defs[count].name, sizeof defs[count].name);
		defs[count].function[0] = '\0';
		if (exec && semi && exec < semi)
			read_name(exec + strlen("EXECUTE FUNCTION "), defs[count].function,
				  sizeof defs[count].function);
		defs[count].found = false;
		count++;
		p++;
	}
	check->count = count;
	/* the count is of the triggers both engines define: the TRUNCATE guard
	 * is PostgreSQL's alone (SQLite has no TRUNCATE), checked all the same,
	 * so that verify prints the same on the same data */
	*defined = 0;
	for (int i = 0; i < count; i++)
		*defined += strstr(defs[i].name, "_truncate") == NULL;
	return check_triggers(store, store_stmt(store, sql), pg_trigger_row, check);
}

/* A row of sqlite_schema: name, and the text it was created with. */
static int lite_trigger_row(struct db_stmt *stmt, void *ctx)
{
	struct trigger_check *check = ctx;
	const char *name = db_column_text(stmt, 0);
	const char *text = db_column_text(stmt, 1);
	size_t len = (size_t)db_column_bytes(stmt, 1);
	const struct trigger_def *def;

	if (!name)
		name = "";
	if (!(def = expected_trigger(check, name)))
		return 0;
	if (!text || !same_sql(text, len, def->sql, def->len))
		check->fn(name, "differs from leadboard's schema (altered)", check->ctx);
	return 0;
}

enum lb_status store_check_triggers(struct store *store,
				    void (*fn)(const char *name, const char *problem, void *ctx),
				    void *ctx, int *defined)
{
	static const char sql[] = "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' "
				  "ORDER BY name";
	struct trigger_check check = { .fn = fn, .ctx = ctx };

	if (store->pg)
		return check_pg_triggers(store, &check, defined);
	check.count = schema_triggers(check.defs);

	/* the count is of the triggers both engines define: the ones that keep
	 * SQLite's full-text index in step with lead_words are SQLite's alone
	 * (PostgreSQL's trigram index needs none), checked all the same */
	*defined = 0;
	for (int i = 0; i < check.count; i++)
		*defined += strncmp(check.defs[i].name, "lead_words_", 11) != 0;
	return check_triggers(store, store_stmt(store, sql), lite_trigger_row, &check);
}

/* ---- the head ------------------------------------------------------------- */

bool store_appended_head(const struct store *store, int64_t *seq, char hash[65])
{
	if (store->head_seq <= 0)
		return false;
	*seq = store->head_seq;
	memcpy(hash, store->head_hash, 65);
	return true;
}
