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
	static const char lite_sql[] =
		"CREATE TEMP TABLE IF NOT EXISTS pending_leads AS SELECT " STORE_LEAD_FIELDS
		" FROM main.leads WHERE 0";
	/* a serial column keeps the order the rows came in */
	static const char pg_sql[] =
		"CREATE TEMP TABLE IF NOT EXISTS pending_leads AS SELECT " STORE_LEAD_FIELDS
		" FROM leads WHERE false; ALTER TABLE pending_leads ADD COLUMN IF NOT EXISTS "
		"rowid BIGSERIAL";

	if (db_exec(store->db, STORE_SQL(store, lite_sql, pg_sql)) == DB_ERROR)
		return store_error(store, "preparing the import");
	return LB_OK;
}

enum lb_status store_pending_add(struct store *store, const struct lead *lead)
{
	static const char sql[] =
		"INSERT INTO pending_leads (" STORE_LEAD_FIELDS ") VALUES (" STORE_LEAD_VALUES ")";
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	store_bind_lead(stmt, lead);
	return store_step_done(store, stmt, "holding an imported lead");
}

enum lb_status store_pending_flush(struct store *store)
{
	static const char move_sql[] =
		"INSERT INTO leads (" STORE_LEAD_FIELDS ") SELECT " STORE_LEAD_FIELDS
		" FROM pending_leads ORDER BY rowid";
	static const char clear_sql[] = "DELETE FROM pending_leads";
	struct db_stmt *stmt = store_stmt(store, move_sql);
	enum lb_status st;

	if (!stmt)
		return LB_SOFTWARE;
	if ((st = store_step_done(store, stmt, "adding the imported leads")))
		return st;
	if ((st = store_words_of_pending(store)))   /* what search finds them by */
		return st;
	if (!(stmt = store_stmt(store, clear_sql)))
		return LB_SOFTWARE;
	return store_step_done(store, stmt, "clearing the import's pending table");
}
