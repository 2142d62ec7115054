/* commands.c - the table of commands: one place for dispatch, usage and help. */
#include "cli.h"

const struct command cli_commands[] = {
	{ "init", cmd_init, "[--admin LOGIN]", "create the database" },
	{ "user", cmd_user,
	  "add LOGIN --role ROLE | list | set LOGIN [--role ROLE] [--away [--until WHEN] | --back] "
	  "[--territory CODES] [--segments LIST] | disable LOGIN | enable LOGIN",
	  "board members (admin; away and coverage: managers, and a member's own away)" },
	{ "add", cmd_add,
	  "--name TEXT [--email TEXT] [--phone TEXT] [--company TEXT] [--title TEXT] "
	  "[--country TEXT] [--employees N] [--segment b2b|b2c] [--source TEXT] [--score N] "
	  "[--stage KEY] [--allow-duplicate]",
	  "add a lead; prints its id" },
	{ "edit", cmd_edit,
	  "ID [--name TEXT] [--email TEXT] [--phone TEXT] [--company TEXT] [--title TEXT] "
	  "[--country TEXT] [--employees N] [--segment b2b|b2c] [--source TEXT] [--score N] "
	  "[--allow-duplicate]",
	  "change a lead's fields" },
	{ "list", cmd_list,
	  "[--stage KEY] [--owner LOGIN|me] [--unclaimed] [--search TEXT] [--recycled] "
	  "[--overdue] [--due] [--limit N] "
	  "[--format table|csv|json]",
	  "leads on the board" },
	{ "show", cmd_show, "ID [--format table|json]", "a lead and its history" },
	{ "move", cmd_move, "ID STAGE [--reason CODE] [--note TEXT] [--override]",
	  "move, hand off or pass back a lead" },
	{ "claim", cmd_claim, "ID", "take a handed-off lead" },
	{ "assign", cmd_assign, "ID LOGIN", "give a lead to a rep (manager)" },
	{ "discard", cmd_discard, "ID --reason CODE [--note TEXT]", "take a lead off the board" },
	{ "restore", cmd_restore, "ID [--allow-duplicate]", "bring a discarded lead back" },
	{ "note", cmd_note, "ID TEXT", "write a note on a lead" },
	{ "release", cmd_release, "ID", "give a lead you claimed back, unowned" },
	{ "undo", cmd_undo, "[ID]", "take back your own last change (to that lead)" },
	{ "reassign", cmd_reassign, "--from LOGIN --to LOGIN",
	  "give every open lead of a rep to another (manager)" },
	{ "touch", cmd_touch, "ID --channel call|email|meeting|other [--note TEXT] [--next WHEN]",
	  "log a contact attempt and plan the next step" },
	{ "sweep", cmd_sweep, "",
	  "act on SLA breaches once: route, escalate, reclaim (a timer runs it)" },
	{ "duplicates", cmd_duplicates, "[--format table|csv|json]",
	  "leads that may be one person: same e-mail, phone or name at a company" },
	{ "merge", cmd_merge, "KEEP OTHER [--note TEXT]",
	  "join OTHER to KEEP: one lead per person" },
	{ "log", cmd_log,
	  "[--lead ID] [--actor LOGIN] [--kind KIND] [--stage KEY] [--reason CODE] [--since T] "
	  "[--until T] [--limit N] [--reverse] [--follow] [--format table|csv|json]",
	  "the audit log" },
	{ "import", cmd_import, "FILE [--dry-run] [--on-duplicate skip|update|fail]",
	  "add leads from a CSV file, all or nothing" },
	{ "export", cmd_export, "[--format csv|json]", "every lead, every field" },
	{ "copy", cmd_copy, "FROM TO",
	  "the whole board into a new database, SQLite or PostgreSQL (admin)" },
	{ "report", cmd_report, "[--since T] [--until T] [--format table|json]",
	  "the funnel and the SLA, from the audit log" },
	{ "plan", cmd_plan,
	  "--revenue N --deal-size N [--lead-to-customer R] [--visitor-to-lead R] "
	  "[--format table|json]",
	  "work back from a revenue target to leads" },
	{ "stages", cmd_stages, "[add KEY TITLE --team TEAM [--after KEY | --first] [--terminal] | "
				"rename KEY TITLE | set KEY --idle-days N|default]",
	  "funnel stages" },
	{ "reasons", cmd_reasons, "[--all] | add CODE LABEL | retire CODE", "reason codes" },
	{ "config", cmd_config, "[get KEY | set KEY VALUE]", "settings of the agreement" },
	{ "verify", cmd_verify, "[--anchor SEQ:HASH]... [--anchors FILE|-] [--strict]",
	  "prove the audit log: chain, schema, replay, anchors" },
	{ "demo", cmd_demo, "", "fill an empty board with a believable team and history" },
	{ NULL, NULL, NULL, NULL },
};
