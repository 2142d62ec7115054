/* store_copy.c - a whole board from one database to another (leadboard
 * copy): users, stages, reasons, settings, leads and every event as it is,
 * seq and hash included, in one transaction on the destination. */
#include <stdio.h>
#include <string.h>

#include "store_impl.h"

struct copy {
	struct store *to;
	enum lb_status st;
	struct store_copy_counts *counts;
};

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

	c->st = store_insert_lead(c->to, lead);
	c->counts->leads++;
	return c->st != LB_OK;
}

/* An event exactly as it was: its seq, times and hashes are the chain. */
static int copy_event(const struct lb_event *e, void *ctx)
{
	static const char sql[] =
		"INSERT INTO events (seq, at, actor, real_user, lead_id, kind, from_stage, to_stage, "
		"reason, note, rule, prev_hash, hash) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
	struct copy *c = ctx;
	struct db_stmt *stmt = store_stmt(c->to, sql);

	if (!stmt) {
		c->st = store_error(c->to, "copying the audit log");
		return 1;
	}
	db_bind_int64(stmt, 1, e->seq);
	db_bind_int64(stmt, 2, e->at);
	db_bind_text(stmt, 3, e->actor);
	store_bind_text(stmt, 4, e->real_user);
	store_bind_text(stmt, 5, e->lead_id);
	db_bind_text(stmt, 6, e->kind);
	store_bind_text(stmt, 7, e->from_stage);
	store_bind_text(stmt, 8, e->to_stage);
	store_bind_text(stmt, 9, e->reason);
	store_bind_text(stmt, 10, e->note);
	store_bind_text(stmt, 11, e->rule);
	db_bind_text(stmt, 12, e->prev_hash);
	db_bind_text(stmt, 13, e->hash);
	c->st = store_step_done(c->to, stmt, "copying the audit log");
	c->to->appended_seq = e->seq;
	c->counts->events++;
	return c->st != LB_OK;
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
	struct copy c = { .to = to, .counts = counts };
	struct store_event_filter all = { 0 };
	struct lb_board board;
	enum lb_status st;

	memset(counts, 0, sizeof *counts);
	if ((st = check_empty(to)))
		return st;
	if ((st = store_begin_read(from)))
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
		st = store_events_each(from, &all, copy_event, &c);
	if (!st)
		st = c.st;
	store_end_read(from);
	if (st) {
		store_rollback(to);
		return st;
	}
	return store_commit(to);
}
