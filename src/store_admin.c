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
	return board->count == LB_MAX_STAGES;
}

enum lb_status store_load_board(struct store *store, struct lb_board *board)
{
	static const char sql[] =
		"SELECT key, title, team, position, terminal FROM stages ORDER BY position";
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
	struct db_stmt *stmt = store_stmt(store, sql);
	struct store_text text = { value, size };
	enum lb_status st;

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, key);
	st = store_one_row(store, stmt, "reading a setting", store_read_text, &text);
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
}

enum lb_status store_get_user(struct store *store, const char *login, struct lb_user *user)
{
	static const char sql[] =
		"SELECT login, role, disabled, created_at FROM users WHERE login = ?1";
	struct db_stmt *stmt = store_stmt(store, sql);
	enum lb_status st;

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, login);
	st = store_one_row(store, stmt, "reading a user", read_user, user);
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
	static const char sql[] =
		"SELECT login, role, disabled, created_at FROM users ORDER BY login";
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
	struct db_stmt *stmt = store_stmt(store, sql);
	enum lb_status st;

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, code);
	st = store_one_row(store, stmt, "reading a reason", read_reason, reason);
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
		"INSERT INTO users (login, role, disabled, created_at) VALUES (?1, ?2, ?3, ?4) "
		"ON CONFLICT (login) DO UPDATE SET role = ?2, disabled = ?3";
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, user->login);
	db_bind_text(stmt, 2, role_name(user->role));
	db_bind_int64(stmt, 3, user->disabled);
	db_bind_int64(stmt, 4, user->created_at);
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
		"INSERT INTO stages (key, title, team, position, terminal) VALUES (?1, ?2, ?3, ?4, ?5) "
		"ON CONFLICT (key) DO UPDATE SET title = ?2, team = ?3, position = ?4, terminal = ?5";
	struct db_stmt *stmt = store_stmt(store, sql);

	if (!stmt)
		return LB_SOFTWARE;
	db_bind_text(stmt, 1, stage->key);
	db_bind_text(stmt, 2, stage->title);
	db_bind_text(stmt, 3, team_name(stage->team));
	db_bind_int64(stmt, 4, stage->position);
	db_bind_int64(stmt, 5, stage->terminal);
	return store_step_done(store, stmt, "writing a stage");
}
