/*
 * store_search.c - finding leads by their words (search.h).
 *
 * lead_words holds each lead's folded words, written here whenever the
 * store writes a lead; the full-text index leads_search follows it by
 * triggers (schema.sql). A query is answered one of two ways, decided by
 * how many leads match, which the index tells cheaply:
 *  - few (at most STORE_SEARCH_FEW): the matches are read once, through
 *    the index, with what the board orders and filters by, and a column's
 *    window is cut from them in memory;
 *  - many: a column is read in its own order through its index, and each
 *    row is kept when its words match (lb_words_match), which for a common
 *    word ends after a few rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/search.h"
#include "store_impl.h"

#define WORDS_MAX 4096

/* ---- keeping lead_words in step --------------------------------------------- */

enum lb_status store_words_write(struct store *store, const struct lead *lead, bool inserted)
{
	/* a new lead's row is the connection's last insert */
	static const char insert_sql[] =
		"INSERT INTO lead_words (id, words) VALUES (last_insert_rowid(), ?1)";
	static const char update_sql[] =
		"INSERT INTO lead_words (id, words) SELECT rowid, ?2 FROM leads WHERE id = ?1 "
		"ON CONFLICT (id) DO UPDATE SET words = excluded.words "
		"WHERE words IS NOT excluded.words";
	sqlite3_stmt *stmt = store_stmt(store, inserted ? insert_sql : update_sql);
	char words[WORDS_MAX];

	if (!stmt)
		return LB_SOFTWARE;
	search_lead_words(lead, words, sizeof words);
	if (inserted) {
		sqlite3_bind_text(stmt, 1, words, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_text(stmt, 1, lead->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, words, -1, SQLITE_STATIC);
	}
	return store_step_done(store, stmt, "indexing a lead's words");
}

enum lb_status store_words_fill(struct store *store)
{
	static const char read_sql[] =
		"SELECT rowid, name, email, company, phone, owner FROM leads "
		"WHERE rowid NOT IN (SELECT id FROM lead_words)";
	static const char write_sql[] = "INSERT INTO lead_words (id, words) VALUES (?1, ?2)";
	sqlite3_stmt *read, *write;
	enum lb_status st = LB_OK;
	int rc;

	/* prepared apart from the cache: a migration runs once */
	if (sqlite3_prepare_v2(store->db, read_sql, -1, &read, NULL) != SQLITE_OK)
		return store_error(store, "indexing the leads' words");
	if (sqlite3_prepare_v2(store->db, write_sql, -1, &write, NULL) != SQLITE_OK) {
		sqlite3_finalize(read);
		return store_error(store, "indexing the leads' words");
	}
	while ((rc = sqlite3_step(read)) == SQLITE_ROW) {
		struct lead lead;
		char words[WORDS_MAX];

		lead_init(&lead);
		store_column_text(read, 1, lead.name, sizeof lead.name);
		store_column_text(read, 2, lead.email, sizeof lead.email);
		store_column_text(read, 3, lead.company, sizeof lead.company);
		store_column_text(read, 4, lead.phone, sizeof lead.phone);
		store_column_text(read, 5, lead.owner, sizeof lead.owner);
		search_lead_words(&lead, words, sizeof words);
		sqlite3_bind_int64(write, 1, sqlite3_column_int64(read, 0));
		sqlite3_bind_text(write, 2, words, -1, SQLITE_STATIC);
		rc = sqlite3_step(write);
		sqlite3_reset(write);
		if (rc != SQLITE_DONE) {
			st = store_error(store, "indexing the leads' words");
			break;
		}
	}
	if (!st && rc != SQLITE_DONE)
		st = store_error(store, "indexing the leads' words");
	sqlite3_finalize(read);
	sqlite3_finalize(write);
	return st;
}

/* ---- lb_words_match(query, words): the test for a row when many match ------ */

static void free_query(void *query)
{
	free(query);
}

static void words_match(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct search_query *q = sqlite3_get_auxdata(ctx, 0);
	const unsigned char *words = sqlite3_value_text(argv[1]);

	(void)argc;
	if (!q) {
		/* parsed once per statement: the query is the same on every row */
		if (!(q = malloc(sizeof *q))) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		search_parse((const char *)sqlite3_value_text(argv[0]), q);
		sqlite3_set_auxdata(ctx, 0, q, free_query);
		q = sqlite3_get_auxdata(ctx, 0);
		if (!q) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
	}
	sqlite3_result_int(ctx, words && search_words_match(q, (const char *)words));
}

enum lb_status store_search_functions(struct store *store)
{
	if (sqlite3_create_function_v2(store->db, "lb_words_match", 2,
				       SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, NULL,
				       words_match, NULL, NULL, NULL) != SQLITE_OK)
		return store_error(store, "opening the database");
	return LB_OK;
}

/* ---- a query --------------------------------------------------------------- */

struct store_search {
	struct search_query query;
	char text[1024];                 /* what was typed, for lb_words_match */
	char match[1024];                /* the full-text expression; "" without terms */
	bool few;                        /* the matches are in hits */
	struct store_hit *hits;
	int count;
};

static int add_hit(sqlite3_stmt *stmt, void *ctx)
{
	struct store_search *s = ctx;
	struct store_hit *h = &s->hits[s->count++];

	store_column_text(stmt, 0, h->id, sizeof h->id);
	store_column_text(stmt, 1, h->stage, sizeof h->stage);
	store_column_text(stmt, 2, h->owner, sizeof h->owner);
	h->entered_at = sqlite3_column_int64(stmt, 3);
	h->handed_off_at = sqlite3_column_int64(stmt, 4);
	h->score = sqlite3_column_int(stmt, 5);
	h->recycle_count = sqlite3_column_int(stmt, 6);
	return s->count > STORE_SEARCH_FEW;
}

enum lb_status store_search_open(struct store *store, const char *text,
				 struct store_search **out)
{
	static const char count_sql[] =
		"SELECT count(*) FROM (SELECT 1 FROM leads_search WHERE leads_search MATCH ?1 "
		"LIMIT ?2)";
	static const char hits_sql[] =
		"SELECT l.id, l.stage, l.owner, l.stage_entered_at, l.handed_off_at, l.score, "
		"l.recycle_count FROM leads_search f CROSS JOIN leads l ON l.rowid = f.rowid "
		"WHERE leads_search MATCH ?1 LIMIT ?2";
	struct store_search *s = calloc(1, sizeof *s);
	sqlite3_stmt *stmt;
	int64_t n;
	enum lb_status st;

	*out = NULL;
	if (!s)
		return lb_fail(LB_SOFTWARE, "out of memory");
	snprintf(s->text, sizeof s->text, "%s", text ? text : "");
	search_parse(s->text, &s->query);
	search_match_expression(&s->query, s->match, sizeof s->match);
	*out = s;
	if (!s->match[0])
		return LB_OK;
	if (!(stmt = store_stmt(store, count_sql)))
		return LB_SOFTWARE;
	sqlite3_bind_text(stmt, 1, s->match, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, STORE_SEARCH_FEW + 1);
	if ((st = store_step_int(store, stmt, "searching leads", &n)))
		return st;
	if (n > STORE_SEARCH_FEW)
		return LB_OK;
	if (!(s->hits = malloc(sizeof *s->hits * (size_t)(n + 1))))
		return lb_fail(LB_SOFTWARE, "out of memory");
	if (!(stmt = store_stmt(store, hits_sql)))
		return LB_SOFTWARE;
	sqlite3_bind_text(stmt, 1, s->match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, n);
	if ((st = store_each_row(store, stmt, "searching leads", add_hit, s)))
		return st;
	s->few = true;
	return LB_OK;
}

void store_search_close(struct store_search *s)
{
	if (!s)
		return;
	free(s->hits);
	free(s);
}

bool store_search_is_empty(const struct store_search *s)
{
	return !s || (!s->query.term_count && !s->query.owner[0]);
}

bool store_search_many(const struct store_search *s)
{
	return s && s->match[0] && !s->few;
}

const char *store_search_owner(const struct store_search *s)
{
	return s && s->query.owner[0] ? s->query.owner : NULL;
}

const char *store_search_words(const struct store_search *s)
{
	return s && s->match[0] && !s->few ? s->text : NULL;
}

const struct store_hit *store_search_hits(const struct store_search *s, int *count)
{
	*count = s && s->few ? s->count : 0;
	return s && s->few ? s->hits : NULL;
}

const char *store_search_match(const struct store_search *s)
{
	return s && s->match[0] ? s->match : NULL;
}
