/*
 * store_board.c - the queries behind the board: windows of a column by
 * keyset over the index leads_column (stage, stage_entered_at, id), capped
 * counts, the SLA counters of the header, and windows of the audit log.
 * Every query is bounded by a LIMIT, so the board's cost does not grow with
 * the number of leads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

/*
 * A column's window: one statement per order, direction and filter, each
 * walking an index in the column's order (leads_column, leads_score, or
 * leads_owner for a scope). ?1 stage, ?2/?3 the key's stage_entered_at and
 * id, ?4 its score, ?5 recycled only, ?6 limit, ?7 owner, ?8 the words of
 * a search that matches many leads (NULL: none), ?9 due at (0: any; the
 * due scope: next step now or past, rules_is_due).
 */
#define AFTER_KEY "(l.stage_entered_at, l.id) >= (?2, ?3)"
#define BEFORE_KEY "(l.stage_entered_at, l.id) < (?2, ?3)"
#define UP_TO_KEY "(l.stage_entered_at, l.id) <= (?2, ?3)"
#define PAST_KEY "(l.stage_entered_at, l.id) > (?2, ?3)"
#define SCORE_FROM "l.score <= ?4 AND (l.score < ?4 OR " AFTER_KEY ")"
#define SCORE_BEFORE "l.score >= ?4 AND (l.score > ?4 OR " BEFORE_KEY ")"
#define ASC "l.stage_entered_at, l.id"
#define DESC "l.stage_entered_at DESC, l.id DESC"

#define ANYONE ""
#define OWNED " AND l.owner = ?7"
#define UNCLAIMED " AND l.owner IS NULL AND l.handed_off_at IS NOT NULL"
/* the row's words, tested as each engine can. On PostgreSQL: a scalar
 * subquery, one look-up by the row's key (an EXISTS may be planned as a
 * hashed subplan, which reads every lead's words before the first card: 0.9 s
 * at a million leads), inside coalesce(), whose selectivity the planner takes
 * as a half; for LIKE it guesses so few matches that it would rather read
 * and sort the whole column than walk its index to the first few (1.3 s). */
#define LITE_WORDS                                                                      \
	" AND (?8 IS NULL OR lb_words_match(?8, (SELECT w.words FROM lead_words w "        \
	"WHERE w.id = l.rowid))) "
#define PG_WORDS                                                                        \
	" AND (?8 IS NULL OR coalesce((SELECT w.words FROM lead_words w "                  \
	"WHERE w.id = l.rowid) LIKE ALL (CAST(?8 AS text[])), false)) "
#define RECYCLED " AND (?5 = 0 OR l.recycle_count > 0)"                                \
	" AND (?9 = 0 OR (l.next_step_at IS NOT NULL AND l.next_step_at <= ?9))"

#define WINDOW(keyset, filter, words, order)                                            \
	"SELECT " STORE_LEAD_COLUMNS " FROM leads l WHERE l.stage = ?1 AND " keyset filter \
	RECYCLED words "ORDER BY " order " LIMIT ?6"
#define WINDOWS(filter, words)                                                          \
	{ { WINDOW(AFTER_KEY, filter, words, ASC), WINDOW(BEFORE_KEY, filter, words, DESC) }, \
	  { WINDOW(UP_TO_KEY, filter, words, DESC), WINDOW(PAST_KEY, filter, words, ASC) },   \
	  { WINDOW(SCORE_FROM, filter, words, "l.score DESC, " ASC),                          \
	    WINDOW(SCORE_BEFORE, filter, words, "l.score, " DESC) } }

enum filter { BY_ANYONE, BY_OWNER, BY_UNCLAIMED, FILTERS };

static const char window_sql[2][FILTERS][STORE_ORDER_COUNT][2][1536] = {
	{ WINDOWS(ANYONE, LITE_WORDS), WINDOWS(OWNED, LITE_WORDS), WINDOWS(UNCLAIMED, LITE_WORDS) },
	{ WINDOWS(ANYONE, PG_WORDS), WINDOWS(OWNED, PG_WORDS), WINDOWS(UNCLAIMED, PG_WORDS) },
};

#define COUNT(filter, words)                                                            \
	"SELECT count(*) FROM (SELECT 1 FROM leads l WHERE l.stage = ?1" filter RECYCLED     \
	words "LIMIT ?6) AS n"

static const char count_sql[2][FILTERS][768] = {
	{ COUNT(ANYONE, LITE_WORDS), COUNT(OWNED, LITE_WORDS), COUNT(UNCLAIMED, LITE_WORDS) },
	{ COUNT(ANYONE, PG_WORDS), COUNT(OWNED, PG_WORDS), COUNT(UNCLAIMED, PG_WORDS) },
};

/* The owner a query asks for (its scope's, or the search's @login), and
 * false when the two disagree: then nothing matches. */
static bool owner_of(const struct store_column_query *q, const char **owner)
{
	const char *asked = store_search_owner(q->search);

	*owner = q->owner;
	if (asked && q->owner && strcmp(asked, q->owner) != 0)
		return false;
	if (asked)
		*owner = asked;
	return true;
}

/* Where a window starts when it starts at an end of the column. */
static void column_end(enum store_order order, bool backward, struct store_card_key *key)
{
	bool low = (order == STORE_ORDER_LONGEST) != backward;

	memset(key, 0, sizeof *key);
	if (order == STORE_ORDER_SCORE) {
		key->score = backward ? -1 : 101;
		key->entered_at = backward ? INT64_MAX : INT64_MIN;
		return;
	}
	key->entered_at = low ? INT64_MIN : INT64_MAX;
}

/* A hit against a card key in the order's terms: < 0 before it on screen. */
static int compare_key(enum store_order order, int score, int64_t entered_at, const char *id,
		       const struct store_card_key *key)
{
	int sign = order == STORE_ORDER_NEWEST ? -1 : 1, c;

	if (order == STORE_ORDER_SCORE && score != key->score)
		return score > key->score ? -1 : 1;
	if (entered_at != key->entered_at)
		return entered_at < key->entered_at ? -sign : sign;
	c = strcmp(id, key->id);
	return c < 0 ? -sign : c > 0 ? sign : 0;
}

static enum store_order sort_order;

static int compare_hits(const void *a, const void *b)
{
	const struct store_hit *x = *(const struct store_hit *const *)a;
	const struct store_hit *y = *(const struct store_hit *const *)b;
	struct store_card_key key = { .entered_at = y->entered_at, .score = y->score };

	memcpy(key.id, y->id, sizeof key.id);
	return compare_key(sort_order, x->score, x->entered_at, x->id, &key);
}

/* The few matches of a search that belong in the column, in its order. */
static int column_hits(const struct store_column_query *q, const char *owner,
		       const struct store_hit **out)
{
	int count, n = 0;
	const struct store_hit *hits = store_search_hits(q->search, &count);

	for (int i = 0; i < count; i++) {
		const struct store_hit *h = &hits[i];
		if (strcmp(h->stage, q->stage) != 0 || (owner && strcmp(h->owner, owner) != 0) ||
		    (q->unclaimed && (h->owner[0] || !h->handed_off_at)) ||
		    (q->recycled && h->recycle_count <= 0) ||
		    (q->due_at && (!h->next_step_at || h->next_step_at > q->due_at)))
			continue;
		out[n++] = h;
	}
	sort_order = q->order;
	qsort(out, (size_t)n, sizeof *out, compare_hits);
	return n;
}

static enum lb_status hits_window(struct store *store, const struct store_column_query *q,
				  const char *owner, int (*fn)(const struct lead *lead, void *ctx),
				  void *ctx)
{
	const struct store_hit **in;
	struct store_card_key end;
	const struct store_card_key *from = q->from;
	int count, n, first, step, taken = 0;
	enum lb_status st = LB_OK;

	store_search_hits(q->search, &count);
	if (!(in = malloc(sizeof *in * (size_t)(count + 1))))
		return lb_fail(LB_SOFTWARE, "out of memory");
	n = column_hits(q, owner, in);
	if (!from) {
		column_end(q->order, q->backward, &end);
		from = &end;
	}
	/* forward: the first at or after the key; backward: the last before it */
	for (first = 0; first < n; first++)
		if (compare_key(q->order, in[first]->score, in[first]->entered_at, in[first]->id,
				from) >= 0)
			break;
	step = q->backward ? -1 : 1;
	if (q->backward)
		first--;
	for (int i = first; i >= 0 && i < n && taken < q->limit; i += step, taken++) {
		struct lead lead;
		if ((st = store_get_lead(store, in[i]->id, &lead)) || fn(&lead, ctx))
			break;
	}
	free(in);
	return st;
}

static enum filter filter_of(const struct store_column_query *q, const char *owner)
{
	return owner ? BY_OWNER : q->unclaimed ? BY_UNCLAIMED : BY_ANYONE;
}

enum lb_status store_column_each(struct store *store, const struct store_column_query *q,
				 int (*fn)(const struct lead *lead, void *ctx), void *ctx)
{
	const char *owner, *words = store_search_words(q->search, store->pg);
	struct store_card_key end;
	const struct store_card_key *from = q->from;
	struct store_lead_rows rows = { fn, ctx };
	struct db_stmt *stmt;
	int hit_count;

	if (!owner_of(q, &owner) || q->limit <= 0)
		return LB_OK;
	if (store_search_hits(q->search, &hit_count))
		return hits_window(store, q, owner, fn, ctx);
	stmt = store_stmt(store, window_sql[store->pg][filter_of(q, owner)][q->order][q->backward]);
	if (!stmt)
		return LB_SOFTWARE;
	if (!from) {
		column_end(q->order, q->backward, &end);
		from = &end;
	}
	db_bind_text(stmt, 1, q->stage);
	db_bind_int64(stmt, 2, from->entered_at);
	db_bind_text(stmt, 3, from->id);
	db_bind_int64(stmt, 4, from->score);
	db_bind_int64(stmt, 5, q->recycled);
	db_bind_int64(stmt, 6, q->limit);
	store_bind_text(stmt, 7, owner);
	store_bind_text(stmt, 8, words);
	db_bind_int64(stmt, 9, q->due_at);
	return store_each_row(store, stmt, "reading a column of the board", store_lead_row, &rows);
}

enum lb_status store_column_count(struct store *store, const struct store_column_query *q,
				  int64_t cap, int64_t *out)
{
	const char *owner, *words = store_search_words(q->search, store->pg);
	struct db_stmt *stmt;
	int hit_count;

	*out = 0;
	if (!owner_of(q, &owner))
		return LB_OK;
	if (store_search_hits(q->search, &hit_count)) {
		const struct store_hit **in = malloc(sizeof *in * (size_t)(hit_count + 1));
		if (!in)
			return lb_fail(LB_SOFTWARE, "out of memory");
		*out = column_hits(q, owner, in);
		free(in);
		if (cap > 0 && *out > cap)
			*out = cap;
		return LB_OK;
	}
	if (!(stmt = store_stmt(store, count_sql[store->pg][filter_of(q, owner)])))
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, q->stage);
	db_bind_int64(stmt, 5, q->recycled);
	db_bind_int64(stmt, 6, cap > 0 ? cap : INT64_MAX);
	store_bind_text(stmt, 7, owner);
	store_bind_text(stmt, 8, words);
	db_bind_int64(stmt, 9, q->due_at);
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

enum lb_status store_escalated_count(struct store *store, int64_t cap, int64_t *out)
{
	/* the unclaimed handoffs (index leads_sla), the escalated ones of them */
	static const char sql[] =
		"SELECT count(*) FROM (SELECT 1 FROM leads l WHERE l.stage IN "
		"(SELECT key FROM stages WHERE team = 'sales' AND terminal = 0) "
		"AND l.owner IS NULL AND l.handed_off_at IS NOT NULL "
		"AND l.escalated_at IS NOT NULL AND l.escalated_at >= l.handed_off_at "
		"LIMIT ?1) AS n";
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_int64(stmt, 1, cap > 0 ? cap : INT64_MAX);
	return store_step_int(store, stmt, "counting escalated handoffs", out);
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
