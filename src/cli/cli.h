/*
 * cli.h - the command line: parsing, the acting user, output formats, and
 * the table of commands. Commands read through the store and change only
 * through the door; they never draw on the board.
 */
#ifndef LEADBOARD_CLI_H
#define LEADBOARD_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "leadboard/door.h"
#include "leadboard/lead.h"
#include "leadboard/privilege.h"
#include "leadboard/rules.h"
#include "leadboard/status.h"
#include "leadboard/store.h"

/* Everything a command runs with. */
struct cli {
	const char *db_option;              /* --db, or NULL */
	const char *as_option;              /* --as, or NULL */
	char db_path[4096];
	bool settled;                       /* db_path and db decided (cli_settle) */
	struct privilege_db db;
	char real_login[LB_KEY_MAX + 1];    /* who is really at the keyboard */
	struct store *store;
	struct store *resident_store;       /* a resident's database (resident.c): kept open */
	struct lb_user user;                /* the acting member */
	struct door *door;                  /* the acting member's, after cli_open() */
	struct lb_board board;
	struct rules_settings settings;
};

/* ---- options ------------------------------------------------------------- */

enum opt_type { OPT_FLAG, OPT_STRING, OPT_LIST };

/* The values of an option that may be given more than once. */
struct opt_list {
	const char **values;   /* room for max */
	int count, max;
};

struct opt {
	const char *name;      /* without the leading "--" */
	enum opt_type type;
	void *target;          /* bool * for flags, const char ** for strings,
				  struct opt_list * for lists */
};

/* Options every command also accepts. */
#define CLI_GLOBAL_OPTS(cli)                                          \
	{ "db", OPT_STRING, &(cli)->db_option },                      \
	{ "as", OPT_STRING, &(cli)->as_option }

/* Parse argv (after the command word): long options anywhere ("--x v" or
 * "--x=v"), "--" ends them; up to max positionals into pos. opts ends with
 * a { NULL } entry. LB_USAGE naming the problem otherwise. */
enum lb_status cli_parse(const char *command, int argc, char **argv, const struct opt *opts,
			 const char **pos, int min_pos, int max_pos, int *npos);

/* A whole number from an option; LB_USAGE naming the option otherwise. */
enum lb_status cli_parse_int(const char *option, const char *text, long long min, long long max,
			     long long *out);

enum output_format { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON };

/* --format: allowed is a mask of 1 << FORMAT_*. NULL means table. */
enum lb_status cli_parse_format(const char *text, unsigned allowed, enum output_format *out);

/* ---- context ---------------------------------------------------------------- */

/* The database path: --db, $LEADBOARD_DB, the shared install's, or
 * $XDG_DATA_HOME/leadboard/leadboard.db (~/.local/share/...). */
enum lb_status cli_resolve_db(struct cli *cli);

/* cli_resolve_db(), then privilege_settle_db() on it: which file, and
 * whether the group is kept for it. Once; again it changes nothing. */
enum lb_status cli_settle(struct cli *cli);

/* Find who is acting (the real login, or --as when allowed), open the
 * database and load the board and settings. With member, the acting login
 * must be an enabled member (LB_NOPERM with the admin's command otherwise). */
enum lb_status cli_open(struct cli *cli, enum store_open_mode mode, bool member);

/* Close what cli_open() opened. */
void cli_close(struct cli *cli);

/* ---- output ----------------------------------------------------------------- */

struct table_column {
	const char *header;
	int width;          /* columns; the last column may use 0: no limit */
	bool right;         /* right-aligned (numbers) */
};

/* Print a header or a row of cells, each fitted to its column (sanitized,
 * cut with an ellipsis); cells NULL for the header. */
void output_table_row(FILE *out, const struct table_column *columns, int count,
		      const char *const *cells);

/* A lead as a JSON object, every field; with_flags adds overdue and stale. */
void output_lead_json(FILE *out, const struct lead *lead, const struct cli *cli, bool with_flags);

/* The same fields without the enclosing braces, to extend the object. */
void output_lead_json_fields(FILE *out, const struct lead *lead, const struct cli *cli,
			     bool with_flags);

/* A lead as CSV: the header line, and one row, every field. */
void output_lead_csv_header(FILE *out);
void output_lead_csv_row(FILE *out, const struct lead *lead);

/* An event as a JSON object. */
void output_event_json(FILE *out, const struct lb_event *event);

/* Events as CSV. */
void output_event_csv_header(FILE *out);
void output_event_csv_row(FILE *out, const struct lb_event *event);

/* An event as a table row: time, actor, lead, kind, from -> to, reason, note. */
void output_event_table_header(FILE *out);
void output_event_table_row(FILE *out, const struct lb_event *event, const struct lb_board *board);

/* Markers for a lead: "recycled x2", "overdue", "stale" (out: 64 bytes). */
void output_lead_flags(const struct cli *cli, const struct lead *lead, char *out, size_t size);

/* Print an error line "leadboard: ..." (sanitized) and return status. */
enum lb_status cli_error(enum lb_status status);

/* ---- commands ----------------------------------------------------------------- */

typedef enum lb_status (*command_fn)(struct cli *cli, int argc, char **argv);

struct command {
	const char *name;
	command_fn run;
	const char *usage;     /* the arguments, for "usage: leadboard NAME ..." */
	const char *summary;
	bool resident;         /* a change to one lead: a resident may run it (resident.c) */
};

/* The table of commands, ending with a { NULL } entry. */
extern const struct command cli_commands[];

/* Global options, then the command or the board, with argv as main() has
 * it; the exit status. The command's own process and a resident run it. */
int cli_main(struct cli *cli, int argc, char **argv);

/* ---- a resident (resident.c) ------------------------------------------------ */

/* Run command in a resident of this user's that has the database open;
 * without one, start one for the commands after this. The command's exit
 * status, or -1 when it was not run there (run it here). */
int resident_run(struct cli *cli, const struct command *command, int argc, char **argv);

/* Open the board for the acting user (no command given). */
enum lb_status cli_board(struct cli *cli);

enum lb_status cmd_init(struct cli *, int, char **);
enum lb_status cmd_user(struct cli *, int, char **);
enum lb_status cmd_add(struct cli *, int, char **);
enum lb_status cmd_edit(struct cli *, int, char **);
enum lb_status cmd_list(struct cli *, int, char **);
enum lb_status cmd_show(struct cli *, int, char **);
enum lb_status cmd_move(struct cli *, int, char **);
enum lb_status cmd_claim(struct cli *, int, char **);
enum lb_status cmd_assign(struct cli *, int, char **);
enum lb_status cmd_discard(struct cli *, int, char **);
enum lb_status cmd_restore(struct cli *, int, char **);
enum lb_status cmd_touch(struct cli *, int, char **);
enum lb_status cmd_sweep(struct cli *, int, char **);
enum lb_status cmd_note(struct cli *, int, char **);
enum lb_status cmd_undo(struct cli *, int, char **);
enum lb_status cmd_release(struct cli *, int, char **);
enum lb_status cmd_reassign(struct cli *, int, char **);
enum lb_status cmd_log(struct cli *, int, char **);
enum lb_status cmd_stages(struct cli *, int, char **);
enum lb_status cmd_reasons(struct cli *, int, char **);
enum lb_status cmd_config(struct cli *, int, char **);
enum lb_status cmd_verify(struct cli *, int, char **);
enum lb_status cmd_demo(struct cli *, int, char **);
enum lb_status cmd_import(struct cli *, int, char **);
enum lb_status cmd_export(struct cli *, int, char **);
enum lb_status cmd_copy(struct cli *, int, char **);
enum lb_status cmd_report(struct cli *, int, char **);
enum lb_status cmd_plan(struct cli *, int, char **);
enum lb_status cmd_duplicates(struct cli *, int, char **);
enum lb_status cmd_merge(struct cli *, int, char **);

#endif
