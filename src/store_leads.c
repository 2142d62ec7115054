/* store_leads.c - reading and writing leads. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "leadboard/clean.h"
#include "leadboard/search.h"
#include "store_impl.h"

void store_read_lead(struct db_stmt *stmt, struct lead *lead)
{
	lead_init(lead);
	store_column_text(stmt, 0, lead->id, sizeof lead->id);
	store_column_text(stmt, 1, lead->name, sizeof lead->name);
	store_column_text(stmt, 2, lead->email, sizeof lead->email);
	store_column_text(stmt, 3, lead->company, sizeof lead->company);
	store_column_text(stmt, 4, lead->title, sizeof lead->title);
	store_column_text(stmt, 5, lead->country, sizeof lead->country);
	lead->employees = db_column_is_null(stmt, 6)
				  ? -1 : db_column_int64(stmt, 6);
	store_column_text(stmt, 7, lead->segment, sizeof lead->segment);
	store_column_text(stmt, 8, lead->source, sizeof lead->source);
	lead->score = (int)db_column_int64(stmt, 9);
	store_column_text(stmt, 10, lead->stage, sizeof lead->stage);
	store_column_text(stmt, 11, lead->owner, sizeof lead->owner);
	lead->recycle_count = (int)db_column_int64(stmt, 12);
	lead->handoff_count = (int)db_column_int64(stmt, 13);
	store_column_text(stmt, 14, lead->last_reason, sizeof lead->last_reason);
	store_column_text(stmt, 15, lead->last_note, sizeof lead->last_note);
	lead->version = db_column_int64(stmt, 16);
	lead->created_at = db_column_int64(stmt, 17);
	lead->updated_at = db_column_int64(stmt, 18);
	lead->stage_entered_at = db_column_int64(stmt, 19);
	lead->handed_off_at = db_column_int64(stmt, 20);
	store_column_text(stmt, 21, lead->phone, sizeof lead->phone);
	store_column_text(stmt, 22, lead->merged_into, sizeof lead->merged_into);
	lead->contact_attempts = (int)db_column_int64(stmt, 23);
	lead->first_contact_at = db_column_int64(stmt, 24);
	lead->last_contact_at = db_column_int64(stmt, 25);
	lead->next_step_at = db_column_int64(stmt, 26);
	lead->owner_since = db_column_int64(stmt, 27);
	lead->escalated_at = db_column_int64(stmt, 28);
}

int store_lead_row(struct db_stmt *stmt, void *ctx)
{
	struct store_lead_rows *rows = ctx;
	struct lead lead;

	store_read_lead(stmt, &lead);
	return rows->fn(&lead, rows->ctx);
}

/* A time, or NULL for 0 (none). */
static void bind_time(struct db_stmt *stmt, int index, int64_t ms)
{
	if (ms)
		db_bind_int64(stmt, index, ms);
	else
		db_bind_null(stmt, index);
}

void store_bind_lead_at(struct db_stmt *stmt, int first, const struct lead *lead)
{
	store_bind_text(stmt, first, lead->id);
	db_bind_text(stmt, first + 1, lead->name);
	store_bind_text(stmt, first + 2, lead->email);
	store_bind_text(stmt, first + 3, lead->company);
	store_bind_text(stmt, first + 4, lead->title);
	store_bind_text(stmt, first + 5, lead->country);
	if (lead->employees >= 0)
		db_bind_int64(stmt, first + 6, lead->employees);
	else
		db_bind_null_as(stmt, first + 6, DB_TYPE_INTEGER);
	store_bind_text(stmt, first + 7, lead->segment);
	store_bind_text(stmt, first + 8, lead->source);
	db_bind_int64(stmt, first + 9, lead->score);
	store_bind_text(stmt, first + 10, lead->stage);
	store_bind_text(stmt, first + 11, lead->owner);
	db_bind_int64(stmt, first + 12, lead->recycle_count);
	db_bind_int64(stmt, first + 13, lead->handoff_count);
	store_bind_text(stmt, first + 14, lead->last_reason);
	store_bind_text(stmt, first + 15, lead->last_note);
	db_bind_int64(stmt, first + 16, lead->version);
	db_bind_int64(stmt, first + 17, lead->created_at);
	db_bind_int64(stmt, first + 18, lead->updated_at);
	db_bind_int64(stmt, first + 19, lead->stage_entered_at);
	bind_time(stmt, first + 20, lead->handed_off_at);
	store_bind_text(stmt, first + 21, lead->phone);
	store_bind_text(stmt, first + 22, lead->merged_into);
	db_bind_int64(stmt, first + 23, lead->contact_attempts);
	bind_time(stmt, first + 24, lead->first_contact_at);
	bind_time(stmt, first + 25, lead->last_contact_at);
	bind_time(stmt, first + 26, lead->next_step_at);
	bind_time(stmt, first + 27, lead->owner_since);
	bind_time(stmt, first + 28, lead->escalated_at);
}

void store_bind_lead(struct db_stmt *stmt, const struct lead *lead)
{
	store_bind_lead_at(stmt, 1, lead);
}

/* What nearly every change does to a lead, kept at file scope so that
 * store_leads_prepare_change() can prepare it before the writers' queue. */
static const char resolve_sql[] =
	"SELECT id FROM leads WHERE id >= ?1 AND id < ?1 || '~' ORDER BY id LIMIT 6";
static const char get_sql[] = "SELECT " STORE_LEAD_COLUMNS " FROM leads l WHERE l.id = ?1";
/* PostgreSQL, inside a change: the row stays locked until it commits */
static const char get_lock_sql[] =
	"SELECT " STORE_LEAD_COLUMNS " FROM leads l WHERE l.id = ?1 FOR UPDATE";
/* Only the columns a move, claim or discard changes: the indexes on id and
 * email are left alone, which a full-row UPDATE would rewrite. SQLite
 * rewrites the entry of every index on a column it is told to SET, changed
 * or not, so there the indexed columns are set by statements of their own,
 * each only when its columns differ: the stage (in every index on leads but
 * id's and email's), the owner (leads_owner, leads_sla, leads_contact_sla),
 * and the two that rarely change (a merge, a next step).
 * A note or a contact attempt then writes none of those indexes (4 pages
 * instead of 9 at 100k leads), a claim not the columns' and scores' (the
 * stage stays). PostgreSQL compares values itself, and more statements
 * would be round trips more. */
#define UPDATE_STATE_SET                                                                  \
	"UPDATE leads SET recycle_count = ?4, handoff_count = ?5, "                       \
	"last_reason = ?6, last_note = ?7, version = ?8, updated_at = ?9, "               \
	"undo_state = ?13, contact_attempts = ?15, first_contact_at = ?16, "              \
	"last_contact_at = ?17, escalated_at = ?20"
/* the parameters of the columns set below stay bound, unused */
static const char update_state_lite_sql[] = UPDATE_STATE_SET " WHERE id = ?1 AND version = ?12";
static const char update_state_pg_sql[] =
	UPDATE_STATE_SET ", stage = ?2, owner = ?3, stage_entered_at = ?10, handed_off_at = ?11, "
	"merged_into = ?14, next_step_at = ?18, owner_since = ?19 WHERE id = ?1 AND version = ?12";
static const char update_stage_sql[] =
	"UPDATE leads SET stage = ?2, stage_entered_at = ?3 "
	"WHERE id = ?1 AND (stage IS NOT ?2 OR stage_entered_at IS NOT ?3)";
static const char update_owner_sql[] =
	"UPDATE leads SET owner = ?2, handed_off_at = ?3, owner_since = ?4 "
	"WHERE id = ?1 AND (owner IS NOT ?2 OR handed_off_at IS NOT ?3 OR owner_since IS NOT ?4)";
static const char update_rare_sql[] =
	"UPDATE leads SET merged_into = ?2, next_step_at = ?3 "
	"WHERE id = ?1 AND (merged_into IS NOT ?2 OR next_step_at IS NOT ?3)";

void store_leads_prepare_change(struct store *store)
{
	store_stmt(store, resolve_sql);
	store_stmt(store, store->pg ? get_lock_sql : get_sql);
	store_stmt(store, STORE_SQL(store, update_state_lite_sql, update_state_pg_sql));
	if (!store->pg) {
		store_stmt(store, update_stage_sql);
		store_stmt(store, update_owner_sql);
		store_stmt(store, update_rare_sql);
	}
}

enum lb_status store_insert_lead(struct store *store, const struct lead *lead)
{
	static const char sql[] =
		"INSERT INTO leads (" STORE_LEAD_FIELDS ") VALUES (" STORE_LEAD_VALUES ")";
	struct db_stmt *stmt = store_stmt(store, sql);
	enum lb_status st;

	if (!stmt)
		return LB_SOFTWARE;
	store_bind_lead(stmt, lead);
	if ((st = store_step_done(store, stmt, "adding a lead")))
		return st;
	return store_words_write(store, lead, true);
}

enum lb_status store_update_lead(struct store *store, struct lead *lead, int64_t expected_version,
				 const char *undo_state)
{
	static const char sql[] =
		"UPDATE leads SET name = ?2, email = ?3, company = ?4, title = ?5, country = ?6, "
		"employees = ?7, segment = ?8, source = ?9, score = ?10, stage = ?11, owner = ?12, "
		"recycle_count = ?13, handoff_count = ?14, last_reason = ?15, last_note = ?16, "
		"version = ?17, created_at = ?18, updated_at = ?19, stage_entered_at = ?20, "
		"handed_off_at = ?21, phone = ?22, merged_into = ?23, contact_attempts = ?24, "
		"first_contact_at = ?25, last_contact_at = ?26, next_step_at = ?27, "
		"owner_since = ?28, escalated_at = ?29, undo_state = ?31 WHERE id = ?1 AND version = ?30";
	struct db_stmt *stmt = store_stmt(store, sql);
	enum lb_status st;

	if (!stmt)
		return LB_SOFTWARE;
	lead->version = expected_version + 1;
	store_bind_lead(stmt, lead);
	db_bind_int64(stmt, 30, expected_version);
	store_bind_text(stmt, 31, undo_state);
	if ((st = store_step_done(store, stmt, "changing a lead")))
		return st;
	if (db_changes(store->db) != 1)
		return lb_fail(LB_TEMPFAIL, "lead %.8s changed under you; try again", lead->id);
	return store_words_write(store, lead, false);
}

/* SQLite: the indexed state columns, each group only when it changed (see
 * update_state_lite_sql), after the row's compare-and-set. */
static enum lb_status update_indexed_state(struct store *store, const struct lead *lead)
{
	struct db_stmt *stage = store_stmt(store, update_stage_sql);
	struct db_stmt *owner = store_stmt(store, update_owner_sql);
	struct db_stmt *rare = store_stmt(store, update_rare_sql);
	enum lb_status st;

	if (!stage || !owner || !rare)
		return LB_SOFTWARE;
	db_bind_text(stage, 1, lead->id);
	store_bind_text(stage, 2, lead->stage);
	db_bind_int64(stage, 3, lead->stage_entered_at);
	if ((st = store_step_done(store, stage, "changing a lead")))
		return st;
	db_bind_text(owner, 1, lead->id);
	store_bind_text(owner, 2, lead->owner);
	bind_time(owner, 3, lead->handed_off_at);
	bind_time(owner, 4, lead->owner_since);
	if ((st = store_step_done(store, owner, "changing a lead")))
		return st;
	db_bind_text(rare, 1, lead->id);
	store_bind_text(rare, 2, lead->merged_into);
	bind_time(rare, 3, lead->next_step_at);
	return store_step_done(store, rare, "changing a lead");
}

enum lb_status store_update_lead_state(struct store *store, struct lead *lead,
				       int64_t expected_version, const char *undo_state)
{
	struct db_stmt *stmt = store_stmt(store, STORE_SQL(store, update_state_lite_sql,
							   update_state_pg_sql));
	enum lb_status st;

	if (!stmt)
		return LB_SOFTWARE;
	lead->version = expected_version + 1;
	db_bind_text(stmt, 1, lead->id);
	store_bind_text(stmt, 2, lead->stage);
	store_bind_text(stmt, 3, lead->owner);
	db_bind_int64(stmt, 4, lead->recycle_count);
	db_bind_int64(stmt, 5, lead->handoff_count);
	store_bind_text(stmt, 6, lead->last_reason);
	store_bind_text(stmt, 7, lead->last_note);
	db_bind_int64(stmt, 8, lead->version);
	db_bind_int64(stmt, 9, lead->updated_at);
	db_bind_int64(stmt, 10, lead->stage_entered_at);
	bind_time(stmt, 11, lead->handed_off_at);
	db_bind_int64(stmt, 12, expected_version);
	store_bind_text(stmt, 13, undo_state);
	store_bind_text(stmt, 14, lead->merged_into);
	db_bind_int64(stmt, 15, lead->contact_attempts);
	bind_time(stmt, 16, lead->first_contact_at);
	bind_time(stmt, 17, lead->last_contact_at);
	bind_time(stmt, 18, lead->next_step_at);
	bind_time(stmt, 19, lead->owner_since);
	bind_time(stmt, 20, lead->escalated_at);
	if ((st = store_step_done(store, stmt, "changing a lead")))
		return st;
	if (db_changes(store->db) != 1)
		return lb_fail(LB_TEMPFAIL, "lead %.8s changed under you; try again", lead->id);
	if (!store->pg && (st = update_indexed_state(store, lead)))
		return st;
	return store_words_write(store, lead, false);   /* the owner is one of its words */
}

enum lb_status store_get_undo_state(struct store *store, const char *id, char *out, size_t size)
{
	static const char sql[] = "SELECT undo_state FROM leads WHERE id = ?1";
	enum lb_status st = store_keyed_row(store, sql, id, "reading a lead", store_read_text,
					    &(struct store_text){ out, size });

	return st == LB_NOINPUT ? lb_fail(LB_NOINPUT, "no lead %s", id) : st;
}

static void read_lead(struct db_stmt *stmt, void *lead)
{
	store_read_lead(stmt, lead);
}

enum lb_status store_get_lead(struct store *store, const char *id, struct lead *lead)
{
	const char *sql = store->pg && store->writing ? get_lock_sql : get_sql;
	enum lb_status st = store_keyed_row(store, sql, id, "reading a lead", read_lead, lead);

	return st == LB_NOINPUT ? lb_fail(LB_NOINPUT, "no lead %s", id) : st;
}

/* The ids a prefix matches: up to six, enough to say "ambiguous" with five. */
struct candidates {
	char id[6][LB_ID_LEN + 1];
	int count;
};

static int add_candidate(struct db_stmt *stmt, void *ctx)
{
	struct candidates *c = ctx;

	store_column_text(stmt, 0, c->id[c->count++], sizeof c->id[0]);
	return c->count == 6;
}

enum lb_status store_resolve_id(struct store *store, const char *prefix, char id[LB_ID_LEN + 1])
{
	char lower[LB_ID_LEN + 1];
	struct candidates found = { .count = 0 };
	size_t n = strlen(prefix);
	struct db_stmt *stmt;
	enum lb_status st;

	if (n > LB_ID_LEN || strspn(prefix, "0123456789abcdefABCDEF-") != n)
		return lb_fail(LB_NOINPUT, "no lead '%.40s' (an id is a UUID or a prefix of one)",
			       prefix);
	if (n < LB_ID_PREFIX_MIN)
		return lb_fail(LB_USAGE, "give at least %d characters of a lead id", LB_ID_PREFIX_MIN);
	for (size_t i = 0; i <= n; i++)
		lower[i] = (char)tolower((unsigned char)prefix[i]);
	if (!(stmt = store_stmt(store, resolve_sql)))
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, lower);
	if ((st = store_each_row(store, stmt, "looking up a lead", add_candidate, &found)))
		return st;
	if (found.count == 0)
		return lb_fail(LB_NOINPUT, "no lead %s", lower);
	if (found.count > 1) {
		char list[512] = "";
		for (int i = 0; i < found.count && i < 5; i++)
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
				 i ? ", " : "", found.id[i]);
		return lb_fail(LB_USAGE, "lead id %s is ambiguous: %s%s", lower, list,
			       found.count > 5 ? ", ..." : "");
	}
	memcpy(id, found.id[0], LB_ID_LEN + 1);
	return LB_OK;
}

enum lb_status store_open_lead_count(struct store *store, const char *login, int *out)
{
	static const char sql[] =
		"SELECT count(*) FROM leads l JOIN stages s ON s.key = l.stage "
		"WHERE l.owner = ?1 AND s.team = 'sales' AND s.terminal = 0";
	struct db_stmt *stmt = store_stmt(store, sql);
	int64_t n;
	enum lb_status st;

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, login);
	if ((st = store_step_int(store, stmt, "counting open leads", &n)))
		return st;
	*out = (int)n;
	return LB_OK;
}

enum lb_status store_open_leads_of(struct store *store, const char *login,
				   int (*fn)(const struct lead *lead, void *ctx), void *ctx)
{
	static const char sql[] =
		"SELECT " STORE_LEAD_COLUMNS " FROM leads l JOIN stages s ON s.key = l.stage "
		"WHERE l.owner = ?1 AND s.team = 'sales' AND s.terminal = 0 "
		"ORDER BY l.stage_entered_at, l.id";
	struct db_stmt *stmt = store_stmt(store, sql);
	struct store_lead_rows rows = { fn, ctx };

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, login);
	return store_each_row(store, stmt, "reading a rep's leads", store_lead_row, &rows);
}

struct open_count_rows {
	int (*fn)(const char *login, int64_t count, void *ctx);
	void *ctx;
};

static int open_count_row(struct db_stmt *stmt, void *ctx)
{
	struct open_count_rows *rows = ctx;
	char login[LB_KEY_MAX + 1];

	store_column_text(stmt, 0, login, sizeof login);
	return rows->fn(login, db_column_int64(stmt, 1), rows->ctx);
}

enum lb_status store_open_counts_each(struct store *store,
				      int (*fn)(const char *login, int64_t count, void *ctx),
				      void *ctx)
{
	/* per member through leads_owner (owner, stage, ...): a rep's leads, not the board's */
	static const char sql[] =
		"SELECT u.login, (SELECT count(*) FROM leads l JOIN stages s ON s.key = l.stage "
		"WHERE l.owner = u.login AND s.team = 'sales' AND s.terminal = 0) FROM users u "
		"ORDER BY u.login";
	struct db_stmt *stmt = store_stmt(store, sql);
	struct open_count_rows rows = { fn, ctx };

	if (!stmt)
		return LB_SOFTWARE;
	return store_each_row(store, stmt, "counting open leads", open_count_row, &rows);
}

enum lb_status store_find_email_on_board(struct store *store, const char *email,
					 const char *except_id, struct lead *found)
{
	/* ASCII letters folded on both engines, as clean_email_key() folds
	 * them, each through its index leads_email; the door stores addresses
	 * trimmed */
#define EMAIL_ON_BOARD " AND l.stage NOT IN ('" LB_DISCARDED "', '" LB_MERGED "') "        \
		       "AND (?2 IS NULL OR l.id <> ?2) ORDER BY l.created_at, l.id LIMIT 1"
	static const char lite_sql[] = "SELECT " STORE_LEAD_COLUMNS " FROM leads l "
				       "WHERE l.email = ?1 COLLATE NOCASE" EMAIL_ON_BOARD;
	static const char pg_sql[] = "SELECT " STORE_LEAD_COLUMNS " FROM leads l "
				     "WHERE lower(l.email) = ?1" EMAIL_ON_BOARD;
#undef EMAIL_ON_BOARD
	struct db_stmt *stmt = store_stmt(store, STORE_SQL(store, lite_sql, pg_sql));
	char key[LB_TEXT_MAX + 1];

	if (!stmt)
		return LB_SOFTWARE;
	clean_email_key(email, key, sizeof key);
	if (!key[0])
		return LB_NOINPUT;
	db_bind_text(stmt, 1, key);
	store_bind_text(stmt, 2, except_id);
	return store_one_row(store, stmt, "looking up an e-mail address", read_lead, found);
}

void store_like_pattern(const char *text, char *out, size_t size)
{
	size_t used = 0;

	out[used++] = '%';
	for (const char *p = text; *p && used + 3 < size; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			out[used++] = '\\';
		out[used++] = *p;
	}
	out[used++] = '%';
	out[used] = '\0';
}

/* ?1 stage, ?2 owner, ?3 the words (FTS5's expression; PostgreSQL's LIKE
 * patterns), ?4 recycled, ?5 limit, ?6 unclaimed */
#define LEAD_FILTER                                                                      \
	" (?1 IS NULL OR l.stage = ?1) AND (?2 IS NULL OR l.owner = ?2) AND "             \
	"(?4 = 0 OR l.recycle_count > 0) AND (?6 = 0 OR (l.owner IS NULL AND "             \
	"l.handed_off_at IS NOT NULL AND s.team = 'sales' AND s.terminal = 0)) "
/* the leads a search matches, found through the words' index first */
#define LITE_SEARCHED "leads_search f CROSS JOIN leads l ON l.rowid = f.rowid"
#define LITE_MATCHING "leads_search MATCH ?3 AND"
#define PG_SEARCHED "lead_words w JOIN leads l ON l.rowid = w.id"
/* ?7 and ?8: two terms alone, for the trigram index (store_search_likes) */
#define PG_MATCHING                                                                      \
	"w.words LIKE ?7 AND w.words LIKE ?8 AND w.words LIKE ALL (CAST(?3 AS text[])) AND"
#define ON_BOARD(from, match, order)                                                     \
	"SELECT " STORE_LEAD_COLUMNS " FROM " from " JOIN stages s ON s.key = l.stage WHERE " \
	match LEAD_FILTER "ORDER BY " order " LIMIT ?5"
/* discarded leads: no stage to join, the filter's s.* all NULL */
#define OFF_BOARD(from, match)                                                           \
	"SELECT " STORE_LEAD_COLUMNS " FROM " from " LEFT JOIN stages s ON 1 = 0 WHERE "    \
	match LEAD_FILTER "ORDER BY " AGE_ORDER " LIMIT ?5"
#define BOARD_ORDER "s.position, l.stage_entered_at, l.id"
#define AGE_ORDER "l.stage_entered_at, l.id"
#define LISTS(from, match)                                                              \
	{ ON_BOARD(from, match, BOARD_ORDER), ON_BOARD(from, match, AGE_ORDER),            \
	  OFF_BOARD(from, match) }

enum lb_status store_leads_each(struct store *store, const struct store_lead_filter *filter,
				int (*fn)(const struct lead *lead, void *ctx), void *ctx)
{
	static const char sqls[2][2][3][1024] = {
		{ LISTS("leads l", ""), LISTS(LITE_SEARCHED, LITE_MATCHING) },
		{ LISTS("leads l", ""), LISTS(PG_SEARCHED, PG_MATCHING) },
	};
	/* discarded or merged leads: no stage of the board to join */
	bool discarded = filter->stage && lead_state_off_board(filter->stage);
	struct store_lead_rows rows = { fn, ctx };
	struct search_query query;
	struct store_likes likes;
	const char *owner = filter->owner;
	char match[1024];
	struct db_stmt *stmt;

	search_parse(filter->search, &query);
	if (store->pg)
		store_search_likes(&query, &likes);
	else
		search_match_expression(&query, match, sizeof match);
	if (query.owner[0]) {
		if (owner && strcmp(owner, query.owner) != 0)
			return LB_OK;   /* two owners: nobody's */
		owner = query.owner;
	}
	stmt = store_stmt(store, sqls[store->pg][query.term_count > 0]
				     [discarded ? 2 : filter->recycled ? 1 : 0]);
	if (!stmt)
		return LB_SOFTWARE;
	store_bind_text(stmt, 1, filter->stage);
	store_bind_text(stmt, 2, owner);
	if (query.term_count == 0) {
		db_bind_null(stmt, 3);
	} else if (!store->pg) {
		db_bind_text(stmt, 3, match);
	} else {
		db_bind_text(stmt, 3, likes.all);
		db_bind_text(stmt, 7, likes.alone[0]);
		db_bind_text(stmt, 8, likes.alone[1]);
	}
	db_bind_int64(stmt, 4, filter->recycled);
	db_bind_int64(stmt, 5, filter->limit > 0 ? filter->limit : INT64_MAX);
	db_bind_int64(stmt, 6, filter->unclaimed);
	return store_each_row(store, stmt, "listing leads", store_lead_row, &rows);
}

struct stage_count_rows {
	const struct lb_board *board;
	int64_t *counts;
	int64_t *discarded;
};

static int stage_count_row(struct db_stmt *stmt, void *ctx)
{
	struct stage_count_rows *rows = ctx;
	char stage[LB_KEY_MAX + 1];
	int i;

	store_column_text(stmt, 0, stage, sizeof stage);
	if ((i = board_find(rows->board, stage)) >= 0)
		rows->counts[i] = db_column_int64(stmt, 1);
	else if (strcmp(stage, LB_DISCARDED) == 0)
		*rows->discarded = db_column_int64(stmt, 1);
	return 0;
}

enum lb_status store_stage_counts(struct store *store, const struct lb_board *board,
				  int64_t counts[LB_MAX_STAGES], int64_t *discarded)
{
	static const char sql[] = "SELECT stage, n FROM stage_counts";
	struct db_stmt *stmt = store_stmt(store, sql);
	struct stage_count_rows rows = { board, counts, discarded };

	if (!stmt)
		return LB_SOFTWARE;
	memset(counts, 0, sizeof(int64_t) * LB_MAX_STAGES);
	*discarded = 0;
	return store_each_row(store, stmt, "counting leads", stage_count_row, &rows);
}
