/* store_report.c - reads for the report, the export and the import: the
 * whole audit log streamed once, every lead, and quick existence checks. */
#include <stdio.h>
#include <string.h>

#include "store_impl.h"

struct report_rows {
	int (*fn)(const struct store_report_event *event, void *ctx);
	void *ctx;
};

static int report_row(struct db_stmt *stmt, void *ctx)
{
	struct report_rows *rows = ctx;
	struct store_report_event e;
	/* Each column read costs a call into SQLite; a million events later
	 * that shows, so read only what the kind needs. */
	const char *kind = db_column_text(stmt, 1);
	const char *text;
	bool moves, crosses;

	e.at = db_column_int64(stmt, 0);
	e.seq = db_column_int64(stmt, 8);
	e.kind = kind ? (const char *)kind : "";
	text = db_column_text(stmt, 2);
	e.lead_id = text ? (const char *)text : "";
	text = db_column_text(stmt, 3);
	e.actor = text ? (const char *)text : "";
	/* claim, edit, assign change no stage; passback, override and discard
	 * are the kinds with a reason the report counts */
	moves = !(e.kind[0] == 'c' && e.kind[1] == 'l') && e.kind[0] != 'e' && e.kind[0] != 'a';
	crosses = e.kind[0] == 'p' || e.kind[0] == 'o' || e.kind[0] == 'd';
	e.to_stage = e.from_stage = e.reason = e.note = "";
	if (moves && (text = db_column_text(stmt, 4)))
		e.to_stage = (const char *)text;
	if (moves && e.kind[1] != 'r' && (text = db_column_text(stmt, 5)))
		e.from_stage = (const char *)text;
	if (crosses && (text = db_column_text(stmt, 6)))
		e.reason = (const char *)text;
	/* an assign's note is the assignee, a reclaim's the rep it was taken from */
	if ((e.kind[0] == 'a' || (e.kind[0] == 'r' && e.kind[2] == 'c')) &&
	    (text = db_column_text(stmt, 7)))
		e.note = (const char *)text;
	/* a handoff's (an override's too) and an assign's rule says what routing did */
	e.rule = "";
	if ((e.kind[0] == 'a' || e.kind[0] == 'h' || e.kind[0] == 'o') &&
	    (text = db_column_text(stmt, 9)))
		e.rule = (const char *)text;
	/* a merge's note names the lead kept */
	if (e.kind[0] == 'm' && e.kind[1] == 'e' && (text = db_column_text(stmt, 7)))
		e.note = (const char *)text;
	return rows->fn(&e, rows->ctx);
}

/* Each row sql selects from the events before ?1, bound to until (0: no
 * end), to row(): the report and its undos read the same span of the log. */
static enum lb_status events_before(struct store *store, const char *sql, int64_t until,
				    int (*row)(struct db_stmt *stmt, void *rows), void *rows)
{
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_int64(stmt, 1, until > 0 ? until : INT64_MAX);
	return store_each_row(store, stmt, "reading the audit log", row, rows);
}

enum lb_status store_report_events(struct store *store, int64_t until,
				   int (*fn)(const struct store_report_event *event, void *ctx),
				   void *ctx)
{
	/* seq is the rowid: this walks the table in order, no sort. */
	static const char sql[] =
		"SELECT at, kind, lead_id, actor, to_stage, from_stage, reason, note, seq, rule "
		"FROM events WHERE lead_id IS NOT NULL AND at < ?1 ORDER BY seq";

	return events_before(store, sql, until, report_row, &(struct report_rows){ fn, ctx });
}

struct undo_rows {
	int (*fn)(int64_t undo_seq, int64_t undone_seq, void *ctx);
	void *ctx;
};

static int undo_row(struct db_stmt *stmt, void *ctx)
{
	struct undo_rows *rows = ctx;
	const char *note = db_column_text(stmt, 1);
	int64_t target;

	if (!note || !event_undo_target(note, &target))
		return 0;   /* not one the door wrote: verify says so */
	return rows->fn(db_column_int64(stmt, 0), target, rows->ctx);
}

enum lb_status store_undos_each(struct store *store, int64_t until,
				int (*fn)(int64_t undo_seq, int64_t undone_seq, void *ctx), void *ctx)
{
	/* the partial index events_undo holds these rows alone */
	static const char sql[] =
		"SELECT seq, note FROM events WHERE kind = 'undo' AND at < ?1 ORDER BY seq";

	return events_before(store, sql, until, undo_row, &(struct undo_rows){ fn, ctx });
}

/* Step a SELECT EXISTS (...): *out is its answer (false on an error). */
static enum lb_status step_exists(struct store *store, struct db_stmt *stmt, const char *doing,
				  bool *out)
{
	int64_t n = 0;
	enum lb_status st = store_step_int(store, stmt, doing, &n);

	*out = n != 0;
	return st;
}

enum lb_status store_has_leads(struct store *store, bool *out)
{
	static const char sql[] = "SELECT EXISTS (SELECT 1 FROM leads)";
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	return step_exists(store, stmt, "counting leads", out);
}

enum lb_status store_lead_exists(struct store *store, const char *id, bool *out)
{
	static const char sql[] = "SELECT EXISTS (SELECT 1 FROM leads WHERE id = ?1)";
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, id);
	return step_exists(store, stmt, "looking up a lead", out);
}

enum lb_status store_leads_export(struct store *store,
				  int (*fn)(const struct lead *lead, void *ctx), void *ctx)
{
	static const char sql[] =
		"SELECT " STORE_LEAD_COLUMNS " FROM leads l ORDER BY l.created_at, l.id";
	struct db_stmt *stmt = store_stmt(store, sql);
	struct store_lead_rows rows = { fn, ctx };

	if (!stmt)
		return LB_SOFTWARE;
	return store_each_row(store, stmt, "reading leads", store_lead_row, &rows);
}

enum lb_status store_bulk_cache(struct store *store, int mebibytes)
{
	char sql[64];

	/* PostgreSQL sizes its own buffers */
	if (store->pg)
		return LB_OK;
	/* PRAGMA takes no parameters; the value is a number we format. */
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", mebibytes * 1024);
	if (db_exec(store->db, sql) == DB_ERROR)
		return store_error(store, "sizing the page cache");
	return LB_OK;
}

enum lb_status store_leads_bound(struct store *store, int64_t *out)
{
	/* the largest rowid: a b-tree descent, not a count */
	static const char lite_sql[] = "SELECT coalesce(max(rowid), 0) FROM leads";
	static const char pg_sql[] = "SELECT count(*) FROM leads";
	struct db_stmt *stmt = store_stmt(store, STORE_SQL(store, lite_sql, pg_sql));

	if (!stmt)
		return LB_SOFTWARE;
	return store_step_int(store, stmt, "counting leads", out);
}
