/* store_copy.c - a whole board from one database to another (leadboard
 * copy): users, stages, reasons, settings, leads and every event as it is,
 * seq and hash included, in one transaction on the destination.
 *
 * Leads and events go BATCH rows to an INSERT: over a network each
 * statement is a round trip, and a million-lead board is two million rows.
 * Leads wait in the import's pending table and reach leads in one
 * statement, so the stage counts are moved once, not once a row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

#define BATCH 40
#define LEAD_PARAMS 23   /* STORE_LEAD_FIELDS */
#define EVENT_PARAMS EVENT_COL_COUNT

struct copy {
	struct store *to;
	enum lb_status st;
	struct store_copy_counts *counts;
	struct lead leads[BATCH];
	struct store_value events[BATCH][EVENT_COL_COUNT];   /* text and blobs malloc'd */
	int pending;
};

/* "INSERT INTO table (columns) VALUES (?1, ...), (...)" for rows rows of
 * width parameters, into out. */
static void many_rows_sql(char *out, size_t size, const char *head, int rows, int width)
{
	size_t used = (size_t)snprintf(out, size, "%s", head);

	for (int r = 0; r < rows; r++) {
		used += (size_t)snprintf(out + used, size - used, "%s(", r ? ", " : "");
		for (int c = 1; c <= width; c++)
			used += (size_t)snprintf(out + used, size - used, "?%d%s", r * width + c,
						 c < width ? ", " : ")");
	}
}

#define LEAD_HEAD "INSERT INTO pending_leads (" STORE_LEAD_FIELDS ") VALUES "
#define EVENT_HEAD                                                                            \
	"INSERT INTO events (seq, at, actor, real_user, lead_id, kind, from_stage, to_stage, "  \
	"reason, note, rule, hash_scheme, prev_hash, hash) VALUES "

/* The statements' text: built once, at fixed addresses (the cache's key). */
static char lead_batch_sql[sizeof LEAD_HEAD + BATCH * LEAD_PARAMS * 8];
static char lead_one_sql[sizeof LEAD_HEAD + LEAD_PARAMS * 8];
static char event_batch_sql[sizeof EVENT_HEAD + BATCH * EVENT_PARAMS * 8];
static char event_one_sql[sizeof EVENT_HEAD + EVENT_PARAMS * 8];

static void build_sql(void)
{
	if (lead_one_sql[0])
		return;
	many_rows_sql(lead_batch_sql, sizeof lead_batch_sql, LEAD_HEAD, BATCH, LEAD_PARAMS);
	many_rows_sql(lead_one_sql, sizeof lead_one_sql, LEAD_HEAD, 1, LEAD_PARAMS);
	many_rows_sql(event_batch_sql, sizeof event_batch_sql, EVENT_HEAD, BATCH, EVENT_PARAMS);
	many_rows_sql(event_one_sql, sizeof event_one_sql, EVENT_HEAD, 1, EVENT_PARAMS);
}

static void free_events(struct copy *c, int n)
{
	for (int r = 0; r < n; r++)
		for (int col = 0; col < EVENT_COL_COUNT; col++)
			if (c->events[r][col].type == STORE_TEXT || c->events[r][col].type == STORE_BLOB)
				free((char *)c->events[r][col].bytes);
}

/* Write the pending leads (or events): a full batch in one statement, a
 * last short one row by row. */
static enum lb_status flush(struct copy *c, bool events)
{
	int n = c->pending;
	const char *sql = n == BATCH ? (events ? event_batch_sql : lead_batch_sql)
				     : (events ? event_one_sql : lead_one_sql);
	int width = events ? EVENT_PARAMS : LEAD_PARAMS;
	const char *doing = events ? "copying the audit log" : "copying the leads";
	enum lb_status st = LB_OK;

	c->pending = 0;
	for (int row = 0; row < n && !st; row += n == BATCH ? BATCH : 1) {
		struct db_stmt *stmt = store_stmt(c->to, sql);
		if (!stmt)
			return store_error(c->to, doing);
		for (int r = 0; r < (n == BATCH ? BATCH : 1); r++) {
			if (events)
				for (int col = 0; col < EVENT_COL_COUNT; col++)
					store_bind_value(stmt, r * width + col + 1,
							 &c->events[row + r][col]);
			else
				store_bind_lead_at(stmt, r * width + 1, &c->leads[row + r]);
		}
		st = store_step_done(c->to, stmt, doing);
	}
	if (!st && events && n)
		c->to->appended_seq = c->events[n - 1][EVENT_COL_SEQ].integer;
	if (events)
		free_events(c, n);
	return st;
}

static int copy_user(const struct lb_user *user, void *ctx)
{
	struct copy *c = ctx;

	c->st = store_write_user(c->to, user);
	c->counts->users++;
	return c->st != LB_OK;
}

static int copy_reason(const struct lb_reason *reason, void *ctx)
{
	struct copy *c = ctx;

	c->st = store_write_reason(c->to, reason);
	c->counts->reasons++;
	return c->st != LB_OK;
}

static int copy_setting(const char *key, const char *value, void *ctx)
{
	struct copy *c = ctx;

	c->st = store_write_setting(c->to, key, value);
	c->counts->settings++;
	return c->st != LB_OK;
}

static int copy_lead(const struct lead *lead, void *ctx)
{
	struct copy *c = ctx;

	c->leads[c->pending++] = *lead;
	c->counts->leads++;
	if (c->pending == BATCH)
		c->st = flush(c, false);
	return c->st != LB_OK;
}

/* An event exactly as it is stored: every byte of it is in the chain. */
static int copy_event(const struct store_value row[EVENT_COL_COUNT], void *ctx)
{
	struct copy *c = ctx;
	struct store_value *mine = c->events[c->pending];

	for (int col = 0; col < EVENT_COL_COUNT; col++) {
		mine[col] = row[col];
		if (row[col].type == STORE_TEXT || row[col].type == STORE_BLOB) {
			char *bytes = malloc(row[col].len + 1);
			if (!bytes) {
				c->st = lb_fail(LB_SOFTWARE, "out of memory");
				mine[col].type = STORE_NULL;
				c->pending++;
				return 1;
			}
			memcpy(bytes, row[col].bytes, row[col].len);
			bytes[row[col].len] = '\0';
			mine[col].bytes = bytes;
		}
	}
	c->pending++;
	c->counts->events++;
	if (c->pending == BATCH)
		c->st = flush(c, true);
	return c->st != LB_OK;
}

/* What undoing each lead's newest change puts back (door_undo.c): not one
 * of a lead's fields, so copied apart, a lead at a time. */
struct undo_copy {
	struct store *to;
	enum lb_status st;
};

static int copy_undo_state(struct db_stmt *row, void *ctx)
{
	static const char sql[] = "UPDATE leads SET undo_state = ?2 WHERE id = ?1";
	struct undo_copy *u = ctx;
	struct db_stmt *stmt = store_stmt(u->to, sql);

	if (!stmt) {
		u->st = LB_SOFTWARE;
		return 1;
	}
	db_bind_text(stmt, 1, db_column_text(row, 0));
	db_bind_text(stmt, 2, db_column_text(row, 1));
	u->st = store_step_done(u->to, stmt, "copying the leads");
	return u->st != LB_OK;
}

static enum lb_status copy_undo_states(struct store *from, struct store *to)
{
	static const char sql[] = "SELECT id, undo_state FROM leads WHERE undo_state IS NOT NULL";
	struct undo_copy u = { to, LB_OK };
	struct db_stmt *stmt = store_stmt(from, sql);
	enum lb_status st;

	if (!stmt)
		return LB_SOFTWARE;
	st = store_each_row(from, stmt, "copying the leads", copy_undo_state, &u);
	return st ? st : u.st;
}

/* The destination holds nothing but what its schema fills in. */
static enum lb_status check_empty(struct store *to)
{
	int users;
	bool leads;
	int64_t seq;
	enum lb_status st;

	if ((st = store_user_count(to, &users)) || (st = store_has_leads(to, &leads)) ||
	    (st = store_last_seq(to, &seq)))
		return st;
	if (users || leads || seq)
		return lb_fail(LB_DATA, "%s is not empty: copy fills a new database",
			       store_label(to));
	return LB_OK;
}

static enum lb_status clear_defaults(struct store *to)
{
	static const char *const sqls[] = {
		"DELETE FROM stages", "DELETE FROM reasons", "DELETE FROM settings",
	};
	enum lb_status st;

	for (size_t i = 0; i < sizeof sqls / sizeof sqls[0]; i++) {
		struct db_stmt *stmt = store_stmt(to, sqls[i]);
		if (!stmt)
			return store_error(to, "clearing the new database's defaults");
		if ((st = store_step_done(to, stmt, "clearing the new database's defaults")))
			return st;
	}
	return LB_OK;
}

enum lb_status store_copy(struct store *from, struct store *to, struct store_copy_counts *counts)
{
	static struct copy c;   /* two batches of rows: too large for the stack */
	struct lb_board board;
	enum lb_status st;

	memset(&c, 0, sizeof c);
	c.to = to;
	c.counts = counts;
	build_sql();
	memset(counts, 0, sizeof *counts);
	if ((st = check_empty(to)))
		return st;
	if ((st = store_pending_open(to)) || (st = store_begin_read(from)))
		return st;
	if ((st = store_begin_write(to))) {
		store_end_read(from);
		return st;
	}
	st = check_empty(to);   /* again, now that nobody else can write */
	if (!st)
		st = clear_defaults(to);
	if (!st)
		st = store_load_board(from, &board);
	for (int i = 0; !st && i < board.count; i++) {
		st = store_write_stage(to, &board.stages[i]);
		counts->stages++;
	}
	if (!st)
		st = store_users_each(from, copy_user, &c);
	if (!st && !(st = c.st))
		st = store_reasons_each(from, false, copy_reason, &c);
	if (!st && !(st = c.st))
		st = store_settings_each(from, copy_setting, &c);
	if (!st && !(st = c.st))
		st = store_leads_export(from, copy_lead, &c);
	if (!st && !(st = c.st))
		st = flush(&c, false);
	if (!st)
		st = store_pending_flush(to);
	if (!st)
		st = copy_undo_states(from, to);
	if (!st)
		st = store_events_stored_each(from, copy_event, &c);
	if (!st && !(st = c.st))
		st = flush(&c, true);
	free_events(&c, c.pending);   /* rows a failure left unwritten */
	store_end_read(from);
	if (st) {
		store_rollback(to);
		return st;
	}
	return store_commit(to);
}
