/*
 * store_board.c - the queries behind the board: windows of a column by
 * keyset over the index leads_column (stage, stage_entered_at, id), capped
 * counts, the SLA counters of the header, and windows of the audit log.
 * Every query is bounded by a LIMIT, so the board's cost does not grow with
 * the number of leads.
 */
#include <stdio.h>
#include <string.h>

#include "store_impl.h"

/* ?1 stage, ?2/?3 the key, ?4 LIKE pattern or NULL, ?5 recycled only, ?6 limit */
#define COLUMN_FILTER                                                                    \
	" AND (?4 IS NULL OR l.name LIKE ?4 ESCAPE '\\' OR l.email LIKE ?4 ESCAPE '\\' "   \
	"OR l.company LIKE ?4 ESCAPE '\\') AND (?5 = 0 OR l.recycle_count > 0) "

enum lb_status store_column_each(struct store *store, const struct store_column_query *q,
				 int (*fn)(const struct lead *lead, void *ctx), void *ctx)
{
	static const char forward_sql[] =
		"SELECT " STORE_LEAD_COLUMNS " FROM leads l WHERE l.stage = ?1 AND "
		"(l.stage_entered_at, l.id) >= (?2, ?3)" COLUMN_FILTER
		"ORDER BY l.stage_entered_at, l.id LIMIT ?6";
	static const char backward_sql[] =
		"SELECT " STORE_LEAD_COLUMNS " FROM leads l WHERE l.stage = ?1 AND "
		"(l.stage_entered_at, l.id) < (?2, ?3)" COLUMN_FILTER
		"ORDER BY l.stage_entered_at DESC, l.id DESC LIMIT ?6";
	struct db_stmt *stmt = store_stmt(store, q->backward ? backward_sql : forward_sql);
	char pattern[4 * LB_TEXT_MAX];
	struct store_lead_rows rows = { fn, ctx };

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, q->stage);
	if (q->from) {
		db_bind_int64(stmt, 2, q->from->entered_at);
		db_bind_text(stmt, 3, q->from->id);
	} else {
		db_bind_int64(stmt, 2, q->backward ? INT64_MAX : INT64_MIN);
		db_bind_text(stmt, 3, "");
	}
	if (q->search && q->search[0]) {
		store_like_pattern(q->search, pattern, sizeof pattern);
		db_bind_text(stmt, 4, pattern);
	}
	db_bind_int64(stmt, 5, q->recycled);
	db_bind_int64(stmt, 6, q->limit > 0 ? q->limit : 1);
	return store_each_row(store, stmt, "reading a column of the board", store_lead_row, &rows);
}

enum lb_status store_column_count(struct store *store, const char *stage, const char *search,
				  bool recycled, int64_t cap, int64_t *out)
{
	static const char sql[] =
		"SELECT count(*) FROM (SELECT 1 FROM leads l WHERE l.stage = ?1" COLUMN_FILTER
		"LIMIT ?6) AS n";
	struct db_stmt *stmt = store_stmt(store, sql);
	char pattern[4 * LB_TEXT_MAX];

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, stage);
	if (search && search[0]) {
		store_like_pattern(search, pattern, sizeof pattern);
		db_bind_text(stmt, 4, pattern);
	}
	db_bind_int64(stmt, 5, recycled);
	db_bind_int64(stmt, 6, cap > 0 ? cap : INT64_MAX);
	return store_step_int(store, stmt, "counting a column of the board", out);
}

enum lb_status store_handoff_counts(struct store *store, int64_t overdue_before, int64_t cap,
				    int64_t *unclaimed, int64_t *overdue)
{
	/* Both walk the index leads_sla (stage, owner, handed_off_at). */
	static const char unclaimed_sql[] =
		"SELECT count(*) FROM (SELECT 1 FROM leads l WHERE l.stage IN "
		"(SELECT key FROM stages WHERE team = 'sales' AND terminal = 0) "
		"AND l.owner IS NULL AND l.handed_off_at IS NOT NULL LIMIT ?1) AS n";
	static const char overdue_sql[] =
		"SELECT count(*) FROM (SELECT 1 FROM leads l WHERE l.stage IN "
		"(SELECT key FROM stages WHERE team = 'sales' AND terminal = 0) "
		"AND l.owner IS NULL AND l.handed_off_at IS NOT NULL AND l.handed_off_at <= ?2 "
		"LIMIT ?1) AS n";
	const char *const sqls[2] = { unclaimed_sql, overdue_sql };
	int64_t *outs[2] = { unclaimed, overdue };
	enum lb_status st;

	for (int i = 0; i < 2; i++) {
		struct db_stmt *stmt = store_stmt(store, sqls[i]);
		if (!stmt)
			return LB_SOFTWARE;
		db_bind_int64(stmt, 1, cap > 0 ? cap : INT64_MAX);
		if (i == 1)
			db_bind_int64(stmt, 2, overdue_before);
		if ((st = store_step_int(store, stmt, "counting handoffs", outs[i])))
			return st;
	}
	return LB_OK;
}

enum lb_status store_owned_open_count(struct store *store, const char *login, int64_t cap,
				      int64_t *out)
{
	/* walks the index leads_owner (owner, stage) */
	static const char sql[] =
		"SELECT count(*) FROM (SELECT 1 FROM leads l WHERE l.owner = ?1 AND l.stage IN "
		"(SELECT key FROM stages WHERE team = 'sales' AND terminal = 0) LIMIT ?2) AS n";
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, login);
	db_bind_int64(stmt, 2, cap > 0 ? cap : INT64_MAX);
	return store_step_int(store, stmt, "counting open leads", out);
}

#define LOG_COLUMNS                                                                     \
	"e.seq, e.at, e.actor, e.real_user, e.lead_id, e.kind, e.from_stage, e.to_stage, " \
	"e.reason, e.note, e.rule, e.prev_hash, e.hash, l.name"

/* ?1 anchor seq, ?2 actor, ?3 kind, ?4 since, ?5 until, ?6 LIKE pattern, ?7 limit */
#define LOG_FILTER                                                                      \
	" AND (?2 IS NULL OR e.actor = ?2) AND (?3 IS NULL OR e.kind = ?3) "               \
	"AND e.at >= ?4 AND e.at < ?5 AND (?6 IS NULL OR e.actor LIKE ?6 ESCAPE '\\' "     \
	"OR e.kind LIKE ?6 ESCAPE '\\' OR e.reason LIKE ?6 ESCAPE '\\' "                   \
	"OR e.note LIKE ?6 ESCAPE '\\' OR e.from_stage LIKE ?6 ESCAPE '\\' "               \
	"OR e.to_stage LIKE ?6 ESCAPE '\\' OR e.lead_id LIKE ?6 ESCAPE '\\' "              \
	"OR l.name LIKE ?6 ESCAPE '\\' OR l.company LIKE ?6 ESCAPE '\\') "

struct log_rows {
	int (*fn)(const struct lb_event *event, const char *lead_name, void *ctx);
	void *ctx;
};

static int log_row(struct db_stmt *stmt, void *ctx)
{
	struct log_rows *rows = ctx;
	char name[LB_TEXT_MAX + 1];
	struct lb_event e;

	memset(&e, 0, sizeof e);
	store_read_event(stmt, &e);
	store_column_text(stmt, 13, name, sizeof name);
	return rows->fn(&e, name, rows->ctx);
}

enum lb_status store_log_each(struct store *store, const struct store_log_query *q,
			      int (*fn)(const struct lb_event *event, const char *lead_name,
					void *ctx),
			      void *ctx)
{
	static const char older_sql[] =
		"SELECT " LOG_COLUMNS " FROM events e LEFT JOIN leads l ON l.id = e.lead_id "
		"WHERE e.seq < ?1" LOG_FILTER "ORDER BY e.seq DESC LIMIT ?7";
	static const char newer_sql[] =
		"SELECT " LOG_COLUMNS " FROM events e LEFT JOIN leads l ON l.id = e.lead_id "
		"WHERE e.seq > ?1" LOG_FILTER "ORDER BY e.seq LIMIT ?7";
	struct db_stmt *stmt = store_stmt(store, q->newer ? newer_sql : older_sql);
	char pattern[4 * LB_TEXT_MAX];
	struct log_rows rows = { fn, ctx };

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_int64(stmt, 1, q->anchor_seq ? q->anchor_seq : q->newer ? 0 : INT64_MAX);
	store_bind_text(stmt, 2, q->actor);
	store_bind_text(stmt, 3, q->kind);
	db_bind_int64(stmt, 4, q->since);
	db_bind_int64(stmt, 5, q->until ? q->until : INT64_MAX);
	if (q->search && q->search[0]) {
		store_like_pattern(q->search, pattern, sizeof pattern);
		db_bind_text(stmt, 6, pattern);
	}
	db_bind_int64(stmt, 7, q->limit > 0 ? q->limit : 1);
	return store_each_row(store, stmt, "reading the audit log", log_row, &rows);
}
