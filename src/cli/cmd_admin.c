/* cmd_admin.c - init, user, stages, reasons, config. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "leadboard/text.h"

enum lb_status cmd_init(struct cli *cli, int argc, char **argv)
{
	const char *admin = NULL;
	const struct opt opts[] = { { "admin", OPT_STRING, &admin }, CLI_GLOBAL_OPTS(cli), { 0 } };
	char path[4 * sizeof cli->db_path], login[4 * LB_KEY_MAX + 1];
	int npos, users;
	bool done = false;
	enum lb_status st;

	if ((st = cli_parse("init", argc, argv, opts, NULL, 0, 0, &npos)))
		return st;
	if ((st = cli_open(cli, STORE_OPEN_CREATE, false)))
		return st;
	if ((st = store_user_count(cli->store, &users)))
		return st;
	if (!admin)
		admin = cli->user.login;
	if (!users && (st = door_bootstrap_admin(cli->door, admin, &done)))
		return st;
	/* the label names a file by the user's text: printed escaped, like
	 * everything else (and never a connection string: store_label()) */
	text_sanitize(store_label(cli->store), path, sizeof path);
	if (!done) {
		printf("leadboard: %s is initialised already; nothing changed\n", path);
		return LB_OK;
	}
	text_sanitize(admin, login, sizeof login);
	printf("initialised %s with %s as admin\n", path, login);
	return LB_OK;
}

/* ---- user -------------------------------------------------------------------------- */

/* Columns are counted as the terminal counts them (a name edited into the
 * database by hand may hold any character), never by bytes. */
static int print_user(const struct lb_user *user, void *ctx)
{
	(void)ctx;
	text_print_padded(stdout, user->login, 20);
	printf(" %-10s %s\n", role_name(user->role), user->disabled ? "disabled" : "active");
	return 0;
}

static enum lb_status parse_role(const char *text, enum lb_role *role)
{
	if (!text)
		return lb_fail(LB_USAGE, "user: --role is required (marketing, sales, manager, admin)");
	if (!role_parse(text, role))
		return lb_fail(LB_DATA, "no role '%.40s' (marketing, sales, manager, admin)", text);
	return LB_OK;
}

enum lb_status cmd_user(struct cli *cli, int argc, char **argv)
{
	const char *role_text = NULL;
	const struct opt opts[] = { { "role", OPT_STRING, &role_text }, CLI_GLOBAL_OPTS(cli),
				    { 0 } };
	const char *pos[2];
	enum lb_role role;
	int npos;
	enum lb_status st;

	if ((st = cli_parse("user", argc, argv, opts, pos, 1, 2, &npos)))
		return st;
	if (strcmp(pos[0], "list") == 0 && npos == 1) {
		if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
			return st;
		struct rules_verdict may = rules_may_see_members(&cli->user);
		if (may.status)
			return lb_fail(may.status, "%s", may.message);
		return store_users_each(cli->store, print_user, NULL);
	}
	if (npos != 2)
		return lb_fail(LB_USAGE, "user: expected add, list, set, disable or enable and a login");
	if (strcmp(pos[0], "add") == 0 || strcmp(pos[0], "set") == 0) {
		if ((st = parse_role(role_text, &role)))
			return st;
		if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
			return st;
		if (pos[0][0] == 'a')
			return door_user_add(cli->door, pos[1], role);
		return door_user_set_role(cli->door, pos[1], role);
	}
	if (strcmp(pos[0], "disable") == 0 || strcmp(pos[0], "enable") == 0) {
		if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
			return st;
		if (pos[0][0] == 'd')
			return door_user_disable(cli->door, pos[1]);
		return door_user_enable(cli->door, pos[1]);
	}
	return lb_fail(LB_USAGE, "user: no subcommand '%.40s'", pos[0]);
}

/* ---- stages and reasons ---------------------------------------------------------------- */

static void print_pair(const char *key, const char *label, const char *suffix)
{
	char l[4 * LB_TEXT_MAX + 1];

	text_print_padded(stdout, key, 20);
	printf(" %s%s\n", text_sanitize(label, l, sizeof l), suffix);
}

enum lb_status cmd_stages(struct cli *cli, int argc, char **argv)
{
	const char *team_text = NULL, *after = NULL;
	bool terminal = false, first = false;
	const struct opt opts[] = {
		{ "team", OPT_STRING, &team_text }, { "after", OPT_STRING, &after },
		{ "first", OPT_FLAG, &first }, { "terminal", OPT_FLAG, &terminal },
		CLI_GLOBAL_OPTS(cli), { 0 },
	};
	const char *pos[3];
	enum lb_team team;
	int npos;
	enum lb_status st;

	if ((st = cli_parse("stages", argc, argv, opts, pos, 0, 3, &npos)))
		return st;
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	if (npos == 0) {
		for (int i = 0; i < cli->board.count; i++)
			print_pair(cli->board.stages[i].key, cli->board.stages[i].title, "");
		return LB_OK;
	}
	if (strcmp(pos[0], "add") == 0 && npos == 3) {
		if (!team_text || !team_parse(team_text, &team))
			return lb_fail(LB_USAGE, "stages add: --team marketing or --team sales");
		if (first && after)
			return lb_fail(LB_USAGE, "stages add: --first or --after, not both");
		if (after && !after[0])
			return lb_fail(LB_USAGE, "stages add: --after needs a stage key");
		return door_stage_add(cli->door, pos[1], pos[2], team, first ? "" : after, terminal);
	}
	if (strcmp(pos[0], "rename") == 0 && npos == 3)
		return door_stage_rename(cli->door, pos[1], pos[2]);
	return lb_fail(LB_USAGE, "stages: expected nothing, add KEY TITLE --team TEAM, or "
				 "rename KEY TITLE");
}

static int print_reason(const struct lb_reason *reason, void *ctx)
{
	(void)ctx;
	print_pair(reason->code, reason->label, reason->active ? "" : " (retired)");
	return 0;
}

enum lb_status cmd_reasons(struct cli *cli, int argc, char **argv)
{
	bool all = false;
	const struct opt opts[] = { { "all", OPT_FLAG, &all }, CLI_GLOBAL_OPTS(cli), { 0 } };
	const char *pos[3];
	int npos;
	enum lb_status st;

	if ((st = cli_parse("reasons", argc, argv, opts, pos, 0, 3, &npos)))
		return st;
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	if (npos == 0)
		return store_reasons_each(cli->store, !all, print_reason, NULL);
	if (strcmp(pos[0], "add") == 0 && npos == 3)
		return door_reason_add(cli->door, pos[1], pos[2]);
	if (strcmp(pos[0], "retire") == 0 && npos == 2)
		return door_reason_retire(cli->door, pos[1]);
	return lb_fail(LB_USAGE, "reasons: expected nothing, add CODE LABEL, or retire CODE");
}

/* ---- config ------------------------------------------------------------------------------ */

static int print_setting(const char *key, const char *value, void *ctx)
{
	(void)ctx;
	print_pair(key, value, "");
	return 0;
}

enum lb_status cmd_config(struct cli *cli, int argc, char **argv)
{
	const struct opt opts[] = { CLI_GLOBAL_OPTS(cli), { 0 } };
	char value[LB_TEXT_MAX + 1], safe[4 * LB_TEXT_MAX + 1];
	const char *pos[3];
	int npos;
	enum lb_status st;

	if ((st = cli_parse("config", argc, argv, opts, pos, 0, 3, &npos)))
		return st;
	if ((st = cli_open(cli, STORE_OPEN_EXISTING, true)))
		return st;
	if (npos == 0)
		return store_settings_each(cli->store, print_setting, NULL);
	if (strcmp(pos[0], "get") == 0 && npos == 2) {
		st = store_get_setting(cli->store, pos[1], value, sizeof value);
		if (st == LB_NOINPUT)
			return lb_fail(LB_DATA, "no setting '%.60s' (leadboard config lists them)",
				       pos[1]);
		if (st)
			return st;
		printf("%s\n", text_sanitize(value, safe, sizeof safe));
		return LB_OK;
	}
	if (strcmp(pos[0], "set") == 0 && npos == 3)
		return door_setting_set(cli->door, pos[1], pos[2]);
	return lb_fail(LB_USAGE, "config: expected nothing, get KEY, or set KEY VALUE");
}
