/*
 * store_search.c - finding leads by their words (search.h).
 *
 * lead_words holds each lead's folded words (with a space in front, so that
 * every word starts after one), written here whenever the store writes a
 * lead. SQLite indexes them with FTS5 (leads_search, kept in step by
 * triggers); PostgreSQL with a trigram index (pg_trgm), searched with LIKE
 * '% word%'. A query is answered one of two ways, decided by how many leads
 * match, which the index tells cheaply:
 *  - few (at most STORE_SEARCH_FEW): the matches are read once, through
 *    the index, with what the board orders and filters by, and a column's
 *    window is cut from them in memory;
 *  - many: a column is read in its own order through its index, and each
 *    row is kept when its words match (lb_words_match on SQLite, LIKE on
 *    PostgreSQL), which for a common word ends after a few rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/search.h"
#include "store_impl.h"

#define WORDS_MAX 4096

/* ---- keeping lead_words in step --------------------------------------------- */

/* A lead's words as lead_words holds them: a space before each. */
static void words_of(const struct lead *lead, char out[WORDS_MAX])
{
	out[0] = ' ';
	search_lead_words(lead, out + 1, WORDS_MAX - 1);
}

enum lb_status store_words_write(struct store *store, const struct lead *lead, bool inserted)
{
	/* a new lead's row is the connection's last insert (SQLite) */
	static const char insert_sql[] =
		"INSERT INTO lead_words (id, words) VALUES (last_insert_rowid(), ?2)";
	static const char upsert_sql[] =
		"INSERT INTO lead_words (id, words) SELECT rowid, ?2 FROM leads WHERE id = ?1 "
		"ON CONFLICT (id) DO UPDATE SET words = excluded.words "
		"WHERE lead_words.words IS DISTINCT FROM excluded.words";
	struct db_stmt *stmt;
	char words[WORDS_MAX];

	stmt = store_stmt(store, inserted && !store->pg ? insert_sql : upsert_sql);
	if (!stmt)
		return LB_SOFTWARE;
	words_of(lead, words);
	db_bind_text(stmt, 1, lead->id);
	db_bind_text(stmt, 2, words);
	return store_step_done(store, stmt, "indexing a lead's words");
}

struct fill {
	struct store *store;
	struct db_stmt *write;
	enum lb_status status;
};

static int fill_one(struct db_stmt *stmt, void *ctx)
{
	struct fill *f = ctx;
	struct lead lead;
	char words[WORDS_MAX];

	lead_init(&lead);
	store_column_text(stmt, 1, lead.name, sizeof lead.name);
	store_column_text(stmt, 2, lead.email, sizeof lead.email);
	store_column_text(stmt, 3, lead.company, sizeof lead.company);
	store_column_text(stmt, 4, lead.phone, sizeof lead.phone);
	store_column_text(stmt, 5, lead.owner, sizeof lead.owner);
	words_of(&lead, words);
	db_bind_int64(f->write, 1, db_column_int64(stmt, 0));
	db_bind_text(f->write, 2, words);
	f->status = store_step_done(f->store, f->write, "indexing the leads' words");
	return f->status != LB_OK;
}

/* The words of every lead read_sql selects (rowid, name, email, company,
 * phone, owner). They wait in a temporary table and reach lead_words in one
 * statement: SQLite's full-text index flushes what it holds at every
 * statement that writes it, so row after row it wrote a tiny segment each
 * and spent most of an import merging them (100,000 rows: 5 s of 7.9). */
static enum lb_status fill_from(struct store *store, const char *read_sql)
{
	static const char open_sql[] =
		"CREATE TEMP TABLE IF NOT EXISTS pending_words (id BIGINT PRIMARY KEY, words TEXT)";
	static const char write_sql[] = "INSERT INTO pending_words (id, words) VALUES (?1, ?2)";
	static const char move_sql[] =
		"INSERT INTO lead_words (id, words) SELECT id, words FROM pending_words ORDER BY id";
	static const char clear_sql[] = "DELETE FROM pending_words";
	struct fill f = { store, NULL, LB_OK };
	struct db_stmt *read, *stmt;
	enum lb_status st;

	if (db_exec(store->db, open_sql) == DB_ERROR)
		return store_error(store, "indexing the leads' words");
	if (!(f.write = store_stmt(store, write_sql)) || !(read = store_stmt(store, read_sql)))
		return LB_SOFTWARE;
	st = store_each_row(store, read, "indexing the leads' words", fill_one, &f);
	if (st || (st = f.status))
		return st;
	if (!(stmt = store_stmt(store, move_sql)))
		return LB_SOFTWARE;
	if ((st = store_step_done(store, stmt, "indexing the leads' words")))
		return st;
	if (!(stmt = store_stmt(store, clear_sql)))
		return LB_SOFTWARE;
	return store_step_done(store, stmt, "indexing the leads' words");
}

enum lb_status store_words_fill(struct store *store)
{
	static const char sql[] =
		"SELECT rowid, name, email, company, phone, owner FROM leads "
		"WHERE rowid NOT IN (SELECT id FROM lead_words)";

	return fill_from(store, sql);
}

enum lb_status store_words_of_pending(struct store *store)
{
	static const char sql[] =
		"SELECT l.rowid, l.name, l.email, l.company, l.phone, l.owner "
		"FROM pending_leads p JOIN leads l ON l.id = p.id";

	return fill_from(store, sql);
}

/* ---- lb_words_match(query, words): SQLite's test for a row when many match --- */

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
		if (!(q = sqlite3_get_auxdata(ctx, 0))) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
	}
	sqlite3_result_int(ctx, words && search_words_match(q, (const char *)words));
}

enum lb_status store_search_functions(struct store *store)
{
	if (store->pg)
		return LB_OK;   /* LIKE does it there */
	if (sqlite3_create_function_v2(store->lite, "lb_words_match", 2,
				       SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, NULL,
				       words_match, NULL, NULL, NULL) != SQLITE_OK)
		return store_error(store, "opening the database");
	return LB_OK;
}

/* ---- a query --------------------------------------------------------------- */

struct store_search {
	struct search_query query;
	char text[1024];                 /* what was typed, for lb_words_match */
	char match[1024];                /* FTS5's expression; "" without terms */
	struct store_likes likes;        /* PostgreSQL: the terms as LIKE patterns */
	bool few;                        /* the matches are in hits */
	struct store_hit *hits;
	int count;
};

static int add_hit(struct db_stmt *stmt, void *ctx)
{
	struct store_search *s = ctx;
	struct store_hit *h = &s->hits[s->count++];

	store_column_text(stmt, 0, h->id, sizeof h->id);
	store_column_text(stmt, 1, h->stage, sizeof h->stage);
	store_column_text(stmt, 2, h->owner, sizeof h->owner);
	h->entered_at = db_column_int64(stmt, 3);
	h->handed_off_at = db_column_int64(stmt, 4);
	h->score = (int)db_column_int64(stmt, 5);
	h->recycle_count = (int)db_column_int64(stmt, 6);
	h->next_step_at = db_column_int64(stmt, 7);
	return s->count > STORE_SEARCH_FEW;
}

void store_search_likes(const struct search_query *q, struct store_likes *out)
{
	char *all = out->all;
	size_t used = 0, size = sizeof out->all;
	int first, second;

	/* a term holds letters and digits only: nothing to escape */
	all[used++] = '{';
	for (int i = 0; i < q->term_count && used + 4 < size; i++) {
		int n = snprintf(all + used, size - used, "%s\"%% %s%%\"", i ? "," : "",
				 q->terms[i]);
		used += n > 0 ? (size_t)n : 0;
	}
	if (used + 2 > size)
		used = size - 2;
	all[used++] = '}';
	all[used] = '\0';
	search_longest_terms(q, &first, &second);
	snprintf(out->alone[0], sizeof out->alone[0], "%% %s%%", q->terms[first]);
	snprintf(out->alone[1], sizeof out->alone[1], "%% %s%%", q->terms[second]);
}

/* ?1 the words as each engine matches them; on PostgreSQL ?3 and ?4 the
 * index's two patterns */
static void bind_words(struct store *store, struct db_stmt *stmt, const struct store_search *s)
{
	db_bind_text(stmt, 1, store->pg ? s->likes.all : s->match);
	if (store->pg) {
		db_bind_text(stmt, 3, s->likes.alone[0]);
		db_bind_text(stmt, 4, s->likes.alone[1]);
	}
}

enum lb_status store_search_open(struct store *store, const char *text,
				 struct store_search **out)
{
	static const char lite_count[] =
		"SELECT count(*) FROM (SELECT 1 FROM leads_search WHERE leads_search MATCH ?1 "
		"LIMIT ?2) AS n";
	static const char pg_count[] =
		"SELECT count(*) FROM (SELECT 1 FROM lead_words w WHERE w.words LIKE ?3 "
		"AND w.words LIKE ?4 AND w.words LIKE ALL (CAST(?1 AS text[])) LIMIT ?2) AS n";
	static const char lite_hits[] =
		"SELECT l.id, l.stage, l.owner, l.stage_entered_at, l.handed_off_at, l.score, "
		"l.recycle_count, l.next_step_at FROM leads_search f CROSS JOIN leads l ON l.rowid = f.rowid "
		"WHERE leads_search MATCH ?1 LIMIT ?2";
	static const char pg_hits[] =
		"SELECT l.id, l.stage, l.owner, l.stage_entered_at, l.handed_off_at, l.score, "
		"l.recycle_count, l.next_step_at FROM lead_words w JOIN leads l ON l.rowid = w.id "
		"WHERE w.words LIKE ?3 AND w.words LIKE ?4 AND w.words LIKE ALL (CAST(?1 AS text[])) "
		"LIMIT ?2";
	struct store_search *s = calloc(1, sizeof *s);
	struct db_stmt *stmt;
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
	store_search_likes(&s->query, &s->likes);
	if (!(stmt = store_stmt(store, STORE_SQL(store, lite_count, pg_count))))
		return LB_SOFTWARE;
	bind_words(store, stmt, s);
	db_bind_int64(stmt, 2, STORE_SEARCH_FEW + 1);
	if ((st = store_step_int(store, stmt, "searching leads", &n)))
		return st;
	if (n > STORE_SEARCH_FEW)
		return LB_OK;
	if (!(s->hits = malloc(sizeof *s->hits * (size_t)(n + 1))))
		return lb_fail(LB_SOFTWARE, "out of memory");
	if (!(stmt = store_stmt(store, STORE_SQL(store, lite_hits, pg_hits))))
		return LB_SOFTWARE;
	bind_words(store, stmt, s);
	db_bind_int64(stmt, 2, n);
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

const char *store_search_words(const struct store_search *s, bool pg)
{
	if (!s || !s->match[0] || s->few)
		return NULL;
	return pg ? s->likes.all : s->text;
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
