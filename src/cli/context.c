/* context.c - the database path, the acting user, and opening both. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "leadboard/identity.h"
#include "leadboard/privilege.h"
#include "leadboard/shared_conf.h"
#include "leadboard/text.h"
#include "leadboard/witness.h"

enum lb_status cli_resolve_db(struct cli *cli)
{
	const char *env = getenv("LEADBOARD_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int n;

	if (cli->db_option && cli->db_option[0])
		n = snprintf(cli->db_path, sizeof cli->db_path, "%s", cli->db_option);
	else if (env && env[0])
		n = snprintf(cli->db_path, sizeof cli->db_path, "%s", env);
	else if (privilege_shared_db[0] && shared_conf_is_conf(privilege_shared_db))
		/* a team host on PostgreSQL: read while the group is still held */
		return shared_conf_read(privilege_shared_db, cli->db_path, sizeof cli->db_path);
	else if (privilege_shared_db[0])
		n = snprintf(cli->db_path, sizeof cli->db_path, "%s", privilege_shared_db);
	else if (xdg && xdg[0] == '/')
		n = snprintf(cli->db_path, sizeof cli->db_path, "%s/leadboard/leadboard.db", xdg);
	else if (home && home[0])
		n = snprintf(cli->db_path, sizeof cli->db_path,
			     "%s/.local/share/leadboard/leadboard.db", home);
	else
		return lb_fail(LB_USAGE, "no database: give --db PATH or set LEADBOARD_DB");
	if (n < 0 || (size_t)n >= sizeof cli->db_path)
		return lb_fail(LB_USAGE, "the database path is too long");
	return LB_OK;
}

/* The acting login: the real one, or --as. While the process holds the
 * leadboard group only root may use --as, whatever the path: refused before
 * anything is opened. */
static enum lb_status acting_login(struct cli *cli, char *login, size_t size)
{
	enum lb_status st;

	if ((st = identity_real_login(cli->real_login, sizeof cli->real_login)))
		return st;
	if (!cli->as_option) {
		snprintf(login, size, "%s", cli->real_login);
		return LB_OK;
	}
	if (getuid() != 0 && privilege_elevated())
		return lb_fail(LB_NOPERM, "--as is only for root on a shared install; you are %s",
			       cli->real_login);
	if (!cli->as_option[0] || strlen(cli->as_option) > LB_KEY_MAX)
		return lb_fail(LB_USAGE, "--as needs a login");
	snprintf(login, size, "%s", cli->as_option);
	return LB_OK;
}

/* Elsewhere, --as is for the owner of the file SQLite has open (not of
 * whatever the path names by the time anyone looks again). */
static enum lb_status may_act_as(struct cli *cli)
{
	if (!cli->as_option || identity_may_impersonate(store_file(cli->store)))
		return LB_OK;
	return lb_fail(LB_NOPERM, "--as is only for root or the owner of %s; you are %s",
		       cli->db_path, cli->real_login);
}

static enum lb_status check_member(struct cli *cli, const char *login)
{
	char safe[LB_KEY_MAX * 4 + 1];
	enum lb_status st = store_get_user(cli->store, login, &cli->user);
	struct rules_verdict may;

	text_sanitize(login, safe, sizeof safe);
	if (st == LB_NOINPUT)
		return lb_fail(LB_NOPERM, "%s is not a member of this board; an admin can add you: "
					  "leadboard user add %s --role ROLE", safe, safe);
	if (st)
		return st;
	may = rules_may_act(&cli->user);
	return may.status ? lb_fail(may.status, "%s", may.message) : LB_OK;
}

static enum lb_status open_door(struct cli *cli, const char *login)
{
	cli->door = door_open(cli->store, &cli->user,
			      strcmp(login, cli->real_login) != 0 ? cli->real_login : NULL);
	return cli->door ? LB_OK : LB_SOFTWARE;
}

/* A member's door, with the member, the board and the settings read in one
 * snapshot: the door reads what it needs before it queues a change, and the
 * command takes the board and settings from it. Each snapshot of its own
 * would lock and, after anyone's commit, read its pages again. */
static enum lb_status open_member_door(struct cli *cli, const char *login)
{
	enum lb_status st;

	if ((st = store_begin_read(cli->store)))
		return st;
	if (!(st = check_member(cli, login)) && !(st = open_door(cli, login)) &&
	    !(st = door_preload(cli->door))) {
		cli->board = *door_board(cli->door);
		cli->settings = *door_settings(cli->door);
	}
	store_end_read(cli->store);
	return st;
}

/* A door for a command that needs no membership (setting up a board):
 * whoever may run it acts as an admin. */
static enum lb_status open_admin_door(struct cli *cli, const char *login)
{
	enum lb_status st;

	memset(&cli->user, 0, sizeof cli->user);
	snprintf(cli->user.login, sizeof cli->user.login, "%s", login);
	cli->user.role = ROLE_ADMIN;
	if ((st = store_load_board(cli->store, &cli->board)) ||
	    (st = store_load_settings(cli->store, &cli->settings)))
		return st;
	return open_door(cli, login);
}

/* Whether the file open is the shared install's own database: the one
 * decision privilege_settle_db() made and privilege_confirm_db() checked on
 * the file SQLite has open. Its changes are witnessed in the system log. */
static bool opened_shared_database(const struct privilege_db *db)
{
	return db->shared;
}

enum lb_status cli_settle(struct cli *cli)
{
	enum lb_status st;

	if (cli->settled)
		return LB_OK;
	if ((st = cli_resolve_db(cli)))
		return st;
	if ((st = privilege_settle_db(cli->db_path, cli->db_option && cli->db_option[0],
				      &cli->db)))
		return st;
	snprintf(cli->db_path, sizeof cli->db_path, "%s", cli->db.path);
	cli->settled = true;
	return LB_OK;
}

enum lb_status cli_open(struct cli *cli, enum store_open_mode mode, bool member)
{
	char login[LB_KEY_MAX + 1];
	enum lb_status st;

	if ((st = cli_settle(cli)))
		return st;
	if ((st = acting_login(cli, login, sizeof login)))
		return st;
	if (cli->resident_store) {
		/* a resident's, opened and confirmed once for all its commands */
		cli->store = cli->resident_store;
	} else {
		if ((st = store_open(cli->db_path, mode, &cli->store)))
			return st;
		/* decided on the file SQLite has open, once */
		if ((st = privilege_confirm_db(&cli->db, store_file(cli->store))))
			return st;
	}
	if ((st = may_act_as(cli)))
		return st;
	if (member)
		st = open_member_door(cli, login);
	else
		st = open_admin_door(cli, login);
	if (st)
		return st;
	if (opened_shared_database(&cli->db))
		door_set_witness(cli->door, witness_syslog);
	return LB_OK;
}

void cli_close(struct cli *cli)
{
	door_close(cli->door);
	cli->door = NULL;
	if (cli->store != cli->resident_store)
		store_close(cli->store);
	cli->store = NULL;
}

enum lb_status cli_error(enum lb_status status)
{
	char safe[2048];

	if (status == LB_OK)
		return status;
	text_sanitize(lb_message(status), safe, sizeof safe);
	fprintf(stderr, "leadboard: %s\n", safe);
	return status;
}
