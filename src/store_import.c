/* store_import.c - the pending table of a large import.
 *
 * An insert into leads fires the stage_counts trigger, and a statement with
 * a trigger keeps a statement journal: inside a long transaction, every
 * page such an insert touches is copied first, row after row. Imported rows
 * therefore wait in an unindexed temporary table and reach leads in one
 * INSERT ... SELECT, which journals each page once. Measured on 20,000 rows
 * through SQLite alone: 111,000 instructions a row one by one, 69,000
 * through the pending table.
 */
#include <stdio.h>
#include <string.h>

#include "store_impl.h"

enum lb_status store_pending_open(struct store *store)
{
	/* temp_store is MEMORY (store.c): the table lives in this connection's memory */
	static const char sql[] =
		"CREATE TEMP TABLE IF NOT EXISTS pending_leads AS SELECT " STORE_LEAD_FIELDS
		" FROM main.leads WHERE 0";

	if (sqlite3_exec(store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_error(store, "preparing the import");
	return LB_OK;
}

enum lb_status store_pending_add(struct store *store, const struct lead *lead)
{
	static const char sql[] =
		"INSERT INTO temp.pending_leads (" STORE_LEAD_FIELDS ") VALUES (" STORE_LEAD_VALUES ")";
	sqlite3_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	store_bind_lead(stmt, lead);
	return store_step_done(store, stmt, "holding an imported lead");
}

enum lb_status store_pending_flush(struct store *store)
{
	static const char move_sql[] =
		"INSERT INTO main.leads (" STORE_LEAD_FIELDS ") SELECT " STORE_LEAD_FIELDS
		" FROM temp.pending_leads ORDER BY rowid";
	static const char clear_sql[] = "DELETE FROM temp.pending_leads";
	sqlite3_stmt *stmt = store_stmt(store, move_sql);
	enum lb_status st;

	if (!stmt)
		return LB_SOFTWARE;
	if ((st = store_step_done(store, stmt, "adding the imported leads")))
		return st;
	if (!(stmt = store_stmt(store, clear_sql)))
		return LB_SOFTWARE;
	return store_step_done(store, stmt, "clearing the import's pending table");
}
