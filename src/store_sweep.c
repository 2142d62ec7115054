/* store_sweep.c - the leads the sweep looks at: those that may have broken the SLA. */
#include <stdio.h>
#include <string.h>

#include "store_impl.h"

struct id_rows {
	int (*fn)(const char *id, void *ctx);
	void *ctx;
};

static int id_row(struct db_stmt *stmt, void *ctx)
{
	struct id_rows *rows = ctx;
	char id[LB_ID_LEN + 1];

	store_column_text(stmt, 0, id, sizeof id);
	return rows->fn(id, rows->ctx);
}

enum lb_status store_sweep_candidates(struct store *store, const struct store_sweep_query *q,
				      int (*fn)(const char *id, void *ctx), void *ctx)
{
	/* through leads_contact_sla (stage, owner_since) */
	static const char uncontacted_sql[] =
		"SELECT l.id FROM leads l WHERE l.stage = ?1 AND l.owner_since <= ?2 "
		"AND l.owner IS NOT NULL AND l.handed_off_at IS NOT NULL "
		"AND (l.last_contact_at IS NULL OR l.last_contact_at < l.owner_since) "
		"ORDER BY l.owner_since, l.id";
	/* through leads_sla (stage, owner, handed_off_at); an escalated lead
	 * comes again only for routing to try again */
	static const char unclaimed_sql[] =
		"SELECT l.id FROM leads l WHERE l.stage IN "
		"(SELECT key FROM stages WHERE team = 'sales' AND terminal = 0) "
		"AND l.owner IS NULL AND l.handed_off_at IS NOT NULL AND l.handed_off_at <= ?1 "
		"AND (?2 = 1 OR l.escalated_at IS NULL OR l.escalated_at < l.handed_off_at) "
		"ORDER BY l.handed_off_at, l.id";
	struct id_rows rows = { fn, ctx };
	struct db_stmt *stmt;
	enum lb_status st;

	if (q->uncontacted) {
		if (!(stmt = store_stmt(store, uncontacted_sql)))
			return LB_SOFTWARE;
		db_bind_text(stmt, 1, q->arrival_stage);
		db_bind_int64(stmt, 2, q->uncontacted_before);
		if ((st = store_each_row(store, stmt, "finding uncontacted leads", id_row, &rows)))
			return st;
	}
	if (!(stmt = store_stmt(store, unclaimed_sql)))
		return LB_SOFTWARE;
	db_bind_int64(stmt, 1, q->overdue_before);
	db_bind_int64(stmt, 2, q->escalated_too ? 1 : 0);
	return store_each_row(store, stmt, "finding unclaimed leads", id_row, &rows);
}
