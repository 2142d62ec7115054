/* store_events.c - the audit log: appending with the hash chain, and reading. */
#include <stdio.h>
#include <string.h>

#include "leadboard/audit.h"
#include "store_impl.h"

#define EVENT_COLUMNS STORE_EVENT_COLUMNS

void store_read_event(struct db_stmt *stmt, struct lb_event *e)
{
	e->seq = db_column_int64(stmt, 0);
	e->at = db_column_int64(stmt, 1);
	store_column_text(stmt, 2, e->actor, sizeof e->actor);
	store_column_text(stmt, 3, e->real_user, sizeof e->real_user);
	store_column_text(stmt, 4, e->lead_id, sizeof e->lead_id);
	store_column_text(stmt, 5, e->kind, sizeof e->kind);
	store_column_text(stmt, 6, e->from_stage, sizeof e->from_stage);
	store_column_text(stmt, 7, e->to_stage, sizeof e->to_stage);
	store_column_text(stmt, 8, e->reason, sizeof e->reason);
	store_column_text(stmt, 9, e->note, sizeof e->note);
	store_column_text(stmt, 10, e->rule, sizeof e->rule);
	store_column_text(stmt, 11, e->prev_hash, sizeof e->prev_hash);
	store_column_text(stmt, 12, e->hash, sizeof e->hash);
}

enum lb_status store_last_seq(struct store *store, int64_t *out)
{
	static const char sql[] = "SELECT coalesce(max(seq), 0) FROM events";
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	return store_step_int(store, stmt, "reading the audit log", out);
}

struct change_rows {
	int (*fn)(const struct store_change *change, void *ctx);
	void *ctx;
};

static int change_row(struct db_stmt *stmt, void *ctx)
{
	struct change_rows *rows = ctx;
	struct store_change c;

	c.seq = db_column_int64(stmt, 0);
	store_column_text(stmt, 1, c.lead_id, sizeof c.lead_id);
	store_column_text(stmt, 2, c.kind, sizeof c.kind);
	store_column_text(stmt, 3, c.from_stage, sizeof c.from_stage);
	store_column_text(stmt, 4, c.to_stage, sizeof c.to_stage);
	return rows->fn(&c, rows->ctx);
}

enum lb_status store_changes_each(struct store *store, int64_t after, int limit,
				  int (*fn)(const struct store_change *change, void *ctx),
				  void *ctx)
{
	static const char sql[] = "SELECT seq, lead_id, kind, from_stage, to_stage FROM events "
				  "WHERE seq > ?1 ORDER BY seq LIMIT ?2";
	struct db_stmt *stmt = store_stmt(store, sql);
	struct change_rows rows = { fn, ctx };

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_int64(stmt, 1, after);
	db_bind_int64(stmt, 2, limit > 0 ? limit : 1);
	return store_each_row(store, stmt, "reading the audit log", change_row, &rows);
}

void store_bind_value(struct db_stmt *stmt, int index, const struct store_value *v)
{
	switch (v->type) {
	case STORE_NULL:
		db_bind_null(stmt, index);
		break;
	case STORE_INTEGER:
		db_bind_int64(stmt, index, v->integer);
		break;
	case STORE_REAL:
		db_bind_double(stmt, index, v->real);
		break;
	case STORE_TEXT:
		db_bind_text_len(stmt, index, v->bytes, v->len);
		break;
	case STORE_BLOB:
		db_bind_blob(stmt, index, v->bytes, v->len);
		break;
	}
}

/* The newest event's seq and hash, as the next one's predecessor. */
static void follow_last(struct db_stmt *stmt, void *ctx)
{
	struct lb_event *e = ctx;

	e->seq = db_column_int64(stmt, 0) + 1;
	store_column_text(stmt, 1, e->prev_hash, sizeof e->prev_hash);
}

static void read_one_event(struct db_stmt *stmt, void *event)
{
	store_read_event(stmt, event);
}

/* The head of the chain and the insert after it: every change, prepared
 * before the writers' queue by store_events_prepare_change(). */
static const char last_sql[] = "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1";
static const char insert_sql[] =
	"INSERT INTO events (seq, at, actor, real_user, lead_id, kind, from_stage, "
	"to_stage, reason, note, rule, hash_scheme, prev_hash, hash) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
/* Users, stages, reasons and settings change only with an event that names
 * no lead (door_admin.c), so the newest such event marks their version. */
static const char board_mark_sql[] =
	"SELECT coalesce(max(seq), 0) FROM events WHERE lead_id IS NULL";

void store_events_prepare_change(struct store *store)
{
	store_stmt(store, last_sql);
	store_stmt(store, insert_sql);
	store_stmt(store, board_mark_sql);
}

enum lb_status store_board_mark(struct store *store, int64_t *out)
{
	struct db_stmt *stmt = store_stmt(store, board_mark_sql);

	if (!stmt)
		return LB_SOFTWARE;
	return store_step_int(store, stmt, "reading the audit log", out);
}

enum lb_status store_append_event(struct store *store, struct lb_event *e)
{
	struct store_value row[EVENT_COL_COUNT];
	struct db_stmt *stmt = store_stmt(store, last_sql);
	enum lb_status st;

	if (!stmt)
		return LB_SOFTWARE;
	st = store_one_row(store, stmt, "reading the audit log", follow_last, e);
	if (st == LB_NOINPUT) {
		e->seq = 1;     /* the first event */
		memcpy(e->prev_hash, audit_genesis, sizeof e->prev_hash);
	} else if (st) {
		return st;
	}
	/* The row that is hashed is the row that is bound: one layout for both. */
	audit_event_row(e, row);
	audit_hash_row(row, e->hash);
	row[EVENT_COL_HASH].len = 64;

	if (!(stmt = store_stmt(store, insert_sql)))
		return LB_SOFTWARE;
	for (int c = 0; c < EVENT_COL_COUNT; c++) {
		/* an empty field is a NULL of the column's type: PostgreSQL
		 * then runs the statement without asking for the types first */
		if (row[c].type == STORE_NULL)
			db_bind_null_as(stmt, c + 1, c == EVENT_COL_SEQ || c == EVENT_COL_AT ||
						     c == EVENT_COL_HASH_SCHEME ? DB_TYPE_INTEGER
										: DB_TYPE_TEXT);
		else
			store_bind_value(stmt, c + 1, &row[c]);
	}
	if ((st = store_step_done(store, stmt, "writing the audit log")))
		return st;
	store->head_seq = e->seq;
	if (!store->first_seq)
		store->first_seq = e->seq;
	store->appended_seq = e->seq;
	memcpy(store->head_hash, e->hash, sizeof store->head_hash);
	return LB_OK;
}

enum lb_status store_last_event(struct store *store, const char *lead_id, struct lb_event *event)
{
	static const char sql[] =
		"SELECT " EVENT_COLUMNS " FROM events WHERE lead_id = ?1 ORDER BY seq DESC LIMIT 1";

	return store_keyed_row(store, sql, lead_id, "reading the audit log", read_one_event, event);
}

enum lb_status store_last_change_by(struct store *store, const char *actor, const char *lead_id,
				    int64_t since, struct lb_event *event)
{
	/* the lead's history (events_lead), or the recent past (events_at) */
	static const char lead_sql[] =
		"SELECT " EVENT_COLUMNS " FROM events WHERE lead_id = ?1 AND actor = ?2 "
		"ORDER BY seq DESC LIMIT 1";
	static const char recent_sql[] =
		"SELECT " EVENT_COLUMNS " FROM events WHERE at >= ?1 AND actor = ?2 "
		"AND lead_id IS NOT NULL ORDER BY seq DESC LIMIT 1";
	struct db_stmt *stmt = store_stmt(store, lead_id ? lead_sql : recent_sql);

	if (!stmt)
		return LB_SOFTWARE;
	if (lead_id)
		db_bind_text(stmt, 1, lead_id);
	else
		db_bind_int64(stmt, 1, since);
	db_bind_text(stmt, 2, actor);
	return store_one_row(store, stmt, "reading the audit log", read_one_event, event);
}

/* The filters every variant shares; ?1..?3 are the time range and seq. */
#define EVENT_FILTER                                                                   \
	" AND (?5 IS NULL OR actor = ?5) AND (?6 IS NULL OR kind = ?6) "                \
	"AND (?7 IS NULL OR from_stage = ?7 OR to_stage = ?7) AND (?8 IS NULL OR reason = ?8) "

/* A lead's history is its own events and those of every lead merged into
 * it, and into those, and so on (leads.merged_into). */
#define BY_LEAD(cols) "WITH RECURSIVE family(id) AS (SELECT id FROM leads WHERE id = ?4 UNION " \
		"SELECT l.id FROM leads l JOIN family f ON l.merged_into = f.id) "            \
		"SELECT " cols " FROM events WHERE lead_id IN (SELECT id FROM family) "        \
		"AND at >= ?1 AND at < ?2 AND seq > ?3" EVENT_FILTER
#define BY_TIME(cols) "SELECT " cols " FROM events WHERE at >= ?1 AND at < ?2 AND "       \
		"seq > ?3" EVENT_FILTER
#define BY_SEQ(cols) "SELECT " cols " FROM events WHERE seq > ?3" EVENT_FILTER
/* the same, with each event's lead's name after its columns */
#define NAMED_COLUMNS EVENT_COLUMNS ", (SELECT name FROM leads WHERE id = lead_id)"
#define SHAPES(cols)                                                                    \
	{ { BY_LEAD(cols) "ORDER BY seq LIMIT ?9", BY_LEAD(cols) "ORDER BY seq DESC LIMIT ?9" }, \
	  { BY_TIME(cols) "ORDER BY seq LIMIT ?9", BY_TIME(cols) "ORDER BY seq DESC LIMIT ?9" }, \
	  { BY_SEQ(cols) "ORDER BY seq LIMIT ?9", BY_SEQ(cols) "ORDER BY seq DESC LIMIT ?9" } }

struct event_rows {
	int (*fn)(const struct lb_event *event, void *ctx);
	void *ctx;
	bool names;            /* the lead's name follows the event's columns */
};

static int event_row(struct db_stmt *stmt, void *ctx)
{
	struct event_rows *rows = ctx;
	struct lb_event event;

	store_read_event(stmt, &event);
	event.lead_name[0] = '\0';
	if (rows->names)
		store_column_text(stmt, 13, event.lead_name, sizeof event.lead_name);
	return rows->fn(&event, rows->ctx);
}

enum lb_status store_appended_each(struct store *store,
				   int (*fn)(const struct lb_event *event, void *ctx), void *ctx)
{
	static const char sql[] =
		"SELECT " EVENT_COLUMNS " FROM events WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq DESC";
	struct event_rows rows = { fn, ctx, false };
	struct db_stmt *stmt;

	if (store->head_seq <= 0)
		return LB_OK;
	if (!(stmt = store_stmt(store, sql)))
		return LB_SOFTWARE;
	db_bind_int64(stmt, 1, store->first_seq);
	db_bind_int64(stmt, 2, store->head_seq);
	return store_each_row(store, stmt, "reading the audit log", event_row, &rows);
}

enum lb_status store_events_each(struct store *store, const struct store_event_filter *f,
				 int (*fn)(const struct lb_event *event, void *ctx), void *ctx)
{
	/* Three shapes so that each uses its index: a lead's history
	 * (lead_id, seq), a time window (at), or the whole log in seq order. */
	static const char sqls[2][3][2][1024] = { SHAPES(EVENT_COLUMNS), SHAPES(NAMED_COLUMNS) };
	bool by_lead = f->lead_id && f->lead_id[0];
	bool by_time = f->since || f->until;
	struct db_stmt *stmt = store_stmt(store, sqls[f->lead_names][by_lead ? 0 : by_time ? 1 : 2]
						   [f->newest_first]);
	struct event_rows rows = { fn, ctx, f->lead_names };

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_int64(stmt, 1, f->since);
	db_bind_int64(stmt, 2, f->until ? f->until : INT64_MAX);
	db_bind_int64(stmt, 3, f->after_seq);
	store_bind_text(stmt, 4, f->lead_id);
	store_bind_text(stmt, 5, f->actor);
	store_bind_text(stmt, 6, f->kind);
	store_bind_text(stmt, 7, f->stage);
	store_bind_text(stmt, 8, f->reason);
	db_bind_int64(stmt, 9, f->limit > 0 ? f->limit : INT64_MAX);
	return store_each_row(store, stmt, "reading the audit log", event_row, &rows);
}
