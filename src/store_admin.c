/* store_admin.c - stages, users, reasons and settings. */
#include <stdio.h>
#include <string.h>

#include "store_impl.h"

static int stage_row(struct db_stmt *stmt, void *ctx)
{
	struct lb_board *board = ctx;
	struct lb_stage *s = &board->stages[board->count++];
	char team[16];

	store_column_text(stmt, 0, s->key, sizeof s->key);
	store_column_text(stmt, 1, s->title, sizeof s->title);
	store_column_text(stmt, 2, team, sizeof team);
	team_parse(team, &s->team);
	s->position = (int)db_column_int64(stmt, 3);
	s->terminal = (int)db_column_int64(stmt, 4) != 0;
	/* NULL: the board's sla_idle_days; 0: never stale here */
	s->idle_days = db_column_is_null(stmt, 5) ? 0
		       : db_column_int64(stmt, 5) == 0 ? -1 : (int)db_column_int64(stmt, 5);
	return board->count == LB_MAX_STAGES;
}

enum lb_status store_load_board(struct store *store, struct lb_board *board)
{
	static const char sql[] =
		"SELECT key, title, team, position, terminal, idle_days FROM stages ORDER BY position";
	struct db_stmt *stmt = store_stmt(store, sql);
	enum lb_status st;

	if (!stmt)
		return LB_SOFTWARE;
	memset(board, 0, sizeof *board);
	if ((st = store_each_row(store, stmt, "reading the stages", stage_row, board)))
		return st;
	if (board_first_of(board, TEAM_MARKETING) < 0 || board_first_of(board, TEAM_SALES) < 0)
		return lb_fail(LB_DATA, "%s has no marketing or no sales stage", store->path);
	return LB_OK;
}

struct setting_rows {
	int (*fn)(const char *key, const char *value, void *ctx);
	void *ctx;
};

static int setting_row(struct db_stmt *stmt, void *ctx)
{
	struct setting_rows *rows = ctx;
	char key[LB_KEY_MAX + 1], value[LB_TEXT_MAX + 1];

	store_column_text(stmt, 0, key, sizeof key);
	store_column_text(stmt, 1, value, sizeof value);
	return rows->fn(key, value, rows->ctx);
}

enum lb_status store_settings_each(struct store *store,
				   int (*fn)(const char *key, const char *value, void *ctx),
				   void *ctx)
{
	static const char sql[] = "SELECT key, value FROM settings ORDER BY key";
	struct db_stmt *stmt = store_stmt(store, sql);
	struct setting_rows rows = { fn, ctx };

	if (!stmt)
		return LB_SOFTWARE;
	return store_each_row(store, stmt, "reading the settings", setting_row, &rows);
}

static int apply_setting(const char *key, const char *value, void *ctx)
{
	char ignored[256];

	/* A value the rules reject keeps its default; config set never
	 * stores one, so only a hand-edited file gets here. */
	rules_setting_apply(ctx, key, value, ignored, sizeof ignored);
	return 0;
}

enum lb_status store_load_settings(struct store *store, struct rules_settings *settings)
{
	rules_settings_defaults(settings);
	return store_settings_each(store, apply_setting, settings);
}

enum lb_status store_get_setting(struct store *store, const char *key, char *value, size_t size)
{
	static const char sql[] = "SELECT value FROM settings WHERE key = ?1";
	enum lb_status st = store_keyed_row(store, sql, key, "reading a setting", store_read_text,
					    &(struct store_text){ value, size });

	if (st == LB_NOINPUT)
		return lb_fail(LB_NOINPUT, "no setting '%s' (see leadboard config)", key);
	return st;
}

static void read_user(struct db_stmt *stmt, void *ctx)
{
	struct lb_user *user = ctx;
	char role[16];

	memset(user, 0, sizeof *user);
	store_column_text(stmt, 0, user->login, sizeof user->login);
	store_column_text(stmt, 1, role, sizeof role);
	role_parse(role, &user->role);
	user->disabled = (int)db_column_int64(stmt, 2) != 0;
	user->created_at = db_column_int64(stmt, 3);
	user->away = (int)db_column_int64(stmt, 4) != 0;
	user->away_until = db_column_int64(stmt, 5);
	store_column_text(stmt, 6, user->territories, sizeof user->territories);
	store_column_text(stmt, 7, user->segments, sizeof user->segments);
	user->routing_turn = db_column_int64(stmt, 8);
}

#define USER_COLUMNS                                                                    \
	"login, role, disabled, created_at, away, away_until, territories, segments, "     \
	"routing_turn"

enum lb_status store_get_user(struct store *store, const char *login, struct lb_user *user)
{
	static const char sql[] = "SELECT " USER_COLUMNS " FROM users WHERE login = ?1";
	enum lb_status st = store_keyed_row(store, sql, login, "reading a user", read_user, user);

	if (st == LB_NOINPUT)
		return lb_fail(LB_NOINPUT, "'%s' is not a board member", login);
	return st;
}

struct user_rows {
	int (*fn)(const struct lb_user *user, void *ctx);
	void *ctx;
};

static int user_row(struct db_stmt *stmt, void *ctx)
{
	struct user_rows *rows = ctx;
	struct lb_user user;

	read_user(stmt, &user);
	return rows->fn(&user, rows->ctx);
}

enum lb_status store_users_each(struct store *store,
				int (*fn)(const struct lb_user *user, void *ctx), void *ctx)
{
	static const char sql[] = "SELECT " USER_COLUMNS " FROM users ORDER BY login";
	struct db_stmt *stmt = store_stmt(store, sql);
	struct user_rows rows = { fn, ctx };

	if (!stmt)
		return LB_SOFTWARE;
	return store_each_row(store, stmt, "reading the users", user_row, &rows);
}

enum lb_status store_user_count(struct store *store, int *out)
{
	static const char sql[] = "SELECT count(*) FROM users";
	struct db_stmt *stmt = store_stmt(store, sql);
	int64_t n;
	enum lb_status st;

	if (!stmt)
		return LB_SOFTWARE;
	if ((st = store_step_int(store, stmt, "counting users", &n)))
		return st;
	*out = (int)n;
	return LB_OK;
}

static void read_reason(struct db_stmt *stmt, void *ctx)
{
	struct lb_reason *reason = ctx;

	store_column_text(stmt, 0, reason->code, sizeof reason->code);
	store_column_text(stmt, 1, reason->label, sizeof reason->label);
	reason->active = (int)db_column_int64(stmt, 2) != 0;
}

enum lb_status store_get_reason(struct store *store, const char *code, struct lb_reason *reason)
{
	static const char sql[] = "SELECT code, label, active FROM reasons WHERE code = ?1";
	enum lb_status st = store_keyed_row(store, sql, code, "reading a reason", read_reason,
					    reason);

	if (st == LB_NOINPUT)
		return lb_fail(LB_NOINPUT, "no reason code '%s' (see leadboard reasons)", code);
	return st;
}

struct reason_rows {
	int (*fn)(const struct lb_reason *reason, void *ctx);
	void *ctx;
};

static int reason_row(struct db_stmt *stmt, void *ctx)
{
	struct reason_rows *rows = ctx;
	struct lb_reason reason;

	read_reason(stmt, &reason);
	return rows->fn(&reason, rows->ctx);
}

enum lb_status store_reasons_each(struct store *store, bool active_only,
				  int (*fn)(const struct lb_reason *reason, void *ctx), void *ctx)
{
	/* rowid order: the order they were added, defaults first */
	static const char sql[] =
		"SELECT code, label, active FROM reasons WHERE active >= ?1 ORDER BY rowid";
	struct db_stmt *stmt = store_stmt(store, sql);
	struct reason_rows rows = { fn, ctx };

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_int64(stmt, 1, active_only ? 1 : 0);
	return store_each_row(store, stmt, "reading the reasons", reason_row, &rows);
}

enum lb_status store_write_user(struct store *store, const struct lb_user *user)
{
	static const char sql[] =
		"INSERT INTO users (" USER_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
		"ON CONFLICT (login) DO UPDATE SET role = ?2, disabled = ?3, away = ?5, "
		"away_until = ?6, territories = ?7, segments = ?8, routing_turn = ?9";
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, user->login);
	db_bind_text(stmt, 2, role_name(user->role));
	db_bind_int64(stmt, 3, user->disabled);
	db_bind_int64(stmt, 4, user->created_at);
	db_bind_int64(stmt, 5, user->away);
	if (user->away_until)
		db_bind_int64(stmt, 6, user->away_until);
	else
		db_bind_null(stmt, 6);
	store_bind_text(stmt, 7, user->territories);
	store_bind_text(stmt, 8, user->segments);
	db_bind_int64(stmt, 9, user->routing_turn);
	return store_step_done(store, stmt, "writing a user");
}

enum lb_status store_write_setting(struct store *store, const char *key, const char *value)
{
	static const char sql[] =
		"INSERT INTO settings (key, value) VALUES (?1, ?2) "
		"ON CONFLICT (key) DO UPDATE SET value = ?2";
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, key);
	db_bind_text(stmt, 2, value);
	return store_step_done(store, stmt, "writing a setting");
}

enum lb_status store_write_reason(struct store *store, const struct lb_reason *reason)
{
	static const char sql[] =
		"INSERT INTO reasons (code, label, active) VALUES (?1, ?2, ?3) "
		"ON CONFLICT (code) DO UPDATE SET label = ?2, active = ?3";
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, reason->code);
	db_bind_text(stmt, 2, reason->label);
	db_bind_int64(stmt, 3, reason->active);
	return store_step_done(store, stmt, "writing a reason");
}

enum lb_status store_write_stage(struct store *store, const struct lb_stage *stage)
{
	static const char sql[] =
		"INSERT INTO stages (key, title, team, position, terminal, idle_days) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (key) DO UPDATE SET title = ?2, "
		"team = ?3, position = ?4, terminal = ?5, idle_days = ?6";
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, stage->key);
	db_bind_text(stmt, 2, stage->title);
	db_bind_text(stmt, 3, team_name(stage->team));
	db_bind_int64(stmt, 4, stage->position);
	db_bind_int64(stmt, 5, stage->terminal);
	if (stage->idle_days)
		db_bind_int64(stmt, 6, stage->idle_days < 0 ? 0 : stage->idle_days);
	else
		db_bind_null(stmt, 6);
	return store_step_done(store, stmt, "writing a stage");
}

/* ---- routing ------------------------------------------------------------------- */

struct candidate_rows {
	struct store_rep *reps;
	int max, count;
};

static int candidate_row(struct db_stmt *stmt, void *ctx)
{
	struct candidate_rows *rows = ctx;
	struct store_rep *rep = &rows->reps[rows->count++];

	read_user(stmt, &rep->user);
	rep->open_count = (int)db_column_int64(stmt, 9);
	return rows->count == rows->max;
}

enum lb_status store_routing_reps(struct store *store, struct store_rep *reps, int max,
				  int *count)
{
	/* owner_counts is kept by triggers: no lead is counted here */
	static const char sql[] =
		"SELECT " USER_COLUMNS ", coalesce((SELECT n FROM owner_counts c "
		"WHERE c.owner = u.login), 0) FROM users u "
		"WHERE u.role = 'sales' AND u.disabled = 0 ORDER BY u.login";
	struct db_stmt *stmt = store_stmt(store, sql);
	struct candidate_rows rows = { reps, max, 0 };
	enum lb_status st;

	if (!stmt)
		return LB_SOFTWARE;
	st = store_each_row(store, stmt, "reading the reps", candidate_row, &rows);
	*count = rows.count;
	return st;
}

enum lb_status store_routing_last_turn(struct store *store, int64_t *out)
{
	static const char sql[] = "SELECT coalesce(max(routing_turn), 0) FROM users";
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	return store_step_int(store, stmt, "reading the routing turn", out);
}

enum lb_status store_write_routing_turn(struct store *store, const char *login, int64_t turn)
{
	static const char sql[] = "UPDATE users SET routing_turn = ?2 WHERE login = ?1";
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, login);
	db_bind_int64(stmt, 2, turn);
	return store_step_done(store, stmt, "writing a routing turn");
}
