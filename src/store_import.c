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

#include "leadboard/search.h"
#include "store_impl.h"

enum lb_status store_pending_open(struct store *store)
{
	/* temp_store is MEMORY (store.c): the table lives in this connection's memory */
	static const char sql[] =
		"CREATE TEMP TABLE IF NOT EXISTS pending_leads AS SELECT " STORE_LEAD_FIELDS
		", '' AS words FROM main.leads WHERE 0";

	if (sqlite3_exec(store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_error(store, "preparing the import");
	return LB_OK;
}

enum lb_status store_pending_add(struct store *store, const struct lead *lead)
{
	static const char sql[] =
		"INSERT INTO temp.pending_leads (" STORE_LEAD_FIELDS ", words) VALUES ("
		STORE_LEAD_VALUES ", ?23)";
	sqlite3_stmt *stmt = store_stmt(store, sql);
	char words[4096];

	if (!stmt)
		return LB_SOFTWARE;
	store_bind_lead(stmt, lead);
	search_lead_words(lead, words, sizeof words);
	sqlite3_bind_text(stmt, 23, words, -1, SQLITE_TRANSIENT);
	return store_step_done(store, stmt, "holding an imported lead");
}

enum lb_status store_pending_flush(struct store *store)
{
	static const char move_sql[] =
		"INSERT INTO main.leads (" STORE_LEAD_FIELDS ") SELECT " STORE_LEAD_FIELDS
		" FROM temp.pending_leads ORDER BY rowid";
	/* each new lead's words under its rowid, found by its id */
	static const char words_sql[] =
		"INSERT INTO main.lead_words (id, words) SELECT l.rowid, p.words "
		"FROM temp.pending_leads p CROSS JOIN main.leads l ON l.id = p.id ORDER BY p.rowid";
	static const char clear_sql[] = "DELETE FROM temp.pending_leads";
	sqlite3_stmt *stmt = store_stmt(store, move_sql);
	enum lb_status st;

	if (!stmt)
		return LB_SOFTWARE;
	if ((st = store_step_done(store, stmt, "adding the imported leads")))
		return st;
	if (!(stmt = store_stmt(store, words_sql)))
		return LB_SOFTWARE;
	if ((st = store_step_done(store, stmt, "indexing the imported leads' words")))
		return st;
	if (!(stmt = store_stmt(store, clear_sql)))
		return LB_SOFTWARE;
	return store_step_done(store, stmt, "clearing the import's pending table");
}
