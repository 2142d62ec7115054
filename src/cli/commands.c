/* commands.c - the table of commands: one place for dispatch, usage and help. */
#include "cli.h"

const struct command cli_commands[] = {
	{ "init", cmd_init, "[--admin LOGIN]", "create the database", false },
	{ "user", cmd_user,
	  "add LOGIN --role ROLE | list | set LOGIN [--role ROLE] [--away [--until WHEN] | --back] "
	  "[--territory CODES] [--segments LIST] | disable LOGIN | enable LOGIN",
	  "board members (admin; away and coverage: managers, and a member's own away)", false },
	{ "add", cmd_add,
	  "--name TEXT [--email TEXT] [--phone TEXT] [--company TEXT] [--title TEXT] "
	  "[--country TEXT] [--employees N] [--segment b2b|b2c] [--source TEXT] [--score N] "
	  "[--stage KEY] [--allow-duplicate]",
	  "add a lead; prints its id", true },
	{ "edit", cmd_edit,
	  "ID [--name TEXT] [--email TEXT] [--phone TEXT] [--company TEXT] [--title TEXT] "
	  "[--country TEXT] [--employees N] [--segment b2b|b2c] [--source TEXT] [--score N] "
	  "[--allow-duplicate]",
	  "change a lead's fields", true },
	{ "list", cmd_list,
	  "[--stage KEY] [--owner LOGIN|me] [--unclaimed] [--search TEXT] [--recycled] "
	  "[--overdue] [--due] [--limit N] "
	  "[--format table|csv|json]",
	  "leads on the board", false },
	{ "show", cmd_show, "ID [--format table|json]", "a lead and its history", false },
	{ "move", cmd_move, "ID STAGE [--reason CODE] [--note TEXT] [--override]",
	  "move, hand off or pass back a lead", true },
	{ "claim", cmd_claim, "ID", "take a handed-off lead", true },
	{ "assign", cmd_assign, "ID LOGIN", "give a lead to a rep (manager)", true },
	{ "discard", cmd_discard, "ID --reason CODE [--note TEXT]", "take a lead off the board", true },
	{ "restore", cmd_restore, "ID [--allow-duplicate]", "bring a discarded lead back", true },
	{ "note", cmd_note, "ID TEXT", "write a note on a lead", true },
	{ "release", cmd_release, "ID", "give a lead you claimed back, unowned", true },
	{ "undo", cmd_undo, "[ID]", "take back your own last change (to that lead)", true },
	{ "reassign", cmd_reassign, "--from LOGIN --to LOGIN",
	  "give every open lead of a rep to another (manager)", false },
	{ "touch", cmd_touch, "ID --channel call|email|meeting|other [--note TEXT] [--next WHEN]",
	  "log a contact attempt and plan the next step", true },
	{ "sweep", cmd_sweep, "",
	  "act on SLA breaches once: route, escalate, reclaim (a timer runs it)", false },
	{ "duplicates", cmd_duplicates, "[--format table|csv|json]",
	  "leads that may be one person: same e-mail, phone or name at a company", false },
	{ "merge", cmd_merge, "KEEP OTHER [--note TEXT]",
	  "join OTHER to KEEP: one lead per person", false },
	{ "log", cmd_log,
	  "[--lead ID] [--actor LOGIN] [--kind KIND] [--stage KEY] [--reason CODE] [--since T] "
	  "[--until T] [--limit N] [--reverse] [--follow] [--format table|csv|json]",
	  "the audit log", false },
	{ "import", cmd_import, "FILE [--dry-run] [--on-duplicate skip|update|fail]",
	  "add leads from a CSV file, all or nothing", false },
	{ "export", cmd_export, "[--format csv|json]", "every lead, every field", false },
	{ "copy", cmd_copy, "FROM TO",
	  "the whole board into a new database, SQLite or PostgreSQL (admin)", false },
	{ "report", cmd_report, "[--since T] [--until T] [--format table|json]",
	  "the funnel and the SLA, from the audit log", false },
	{ "plan", cmd_plan,
	  "--revenue N --deal-size N [--lead-to-customer R] [--visitor-to-lead R] "
	  "[--format table|json]",
	  "work back from a revenue target to leads", false },
	{ "stages", cmd_stages, "[add KEY TITLE --team TEAM [--after KEY | --first] [--terminal] | "
				"rename KEY TITLE | set KEY --idle-days N|default]",
	  "funnel stages", false },
	{ "reasons", cmd_reasons, "[--all] | add CODE LABEL | retire CODE", "reason codes", false },
	{ "config", cmd_config, "[get KEY | set KEY VALUE]", "settings of the agreement", false },
	{ "verify", cmd_verify, "[--anchor SEQ:HASH]... [--anchors FILE|-] [--strict]",
	  "prove the audit log: chain, schema, replay, anchors", false },
	{ "demo", cmd_demo, "", "fill an empty board with a believable team and history", false },
	{ NULL, NULL, NULL, NULL, false },
};
