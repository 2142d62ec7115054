#!/bin/sh
# demo: for an admin, on a new board, on the record.
#
# Attack reproduced: demo skipped membership and identity. A user who was
# no member (or any member) filled a board with 320 leads and a thousand
# events attributed to other people (maya, sam, ...), with nothing saying
# who really wrote them. Expected: demo runs for an admin of the board
# only (77 otherwise), only on a board with no leads and no events past
# init (65 otherwise), writes nothing when refused, and every event it
# writes names the real user. (tests/shared_boundary.sh tries it as a
# non-member on a shared install.)
. "$(dirname "$0")/lib.sh"

me=$(id -un)

run "$LB" --db "$T_DIR/fresh.db" demo
expect_eq "demo on a new file: exit 0" "$RC" 0
expect_eq "... its runner is the admin" \
	"$(sqlite3 "$T_DIR/fresh.db" "SELECT role FROM users WHERE login = '$me'")" admin
expect_eq "... every event past init names the real user" \
	"$(sqlite3 "$T_DIR/fresh.db" "SELECT count(*) FROM events WHERE seq > 1 AND ifnull(real_user, '') <> '$me'")" 0
expect_match "... while the story's actors are the demo team" \
	"$(sqlite3 "$T_DIR/fresh.db" "SELECT group_concat(DISTINCT actor) FROM events WHERE kind = 'handoff'")" \
	'maya|marco'
run "$LB" --db "$T_DIR/fresh.db" demo
expect_eq "demo again on the filled board: refused (65)" "$RC" 65

export LEADBOARD_DB="$T_DIR/team.db"
"$LB" init >/dev/null && "$LB" user add maya --role marketing >/dev/null ||
	{ echo "Bail out! init failed"; exit 1; }
digest=$(sqlite3 "$LEADBOARD_DB" "SELECT * FROM users; SELECT * FROM events; SELECT * FROM leads" | sha256sum)
expect_code 77 "a marketing member may not run it" "$LB" --as maya demo
expect_code 77 "a user who is no member may not run it" "$LB" --as mallory demo
run "$LB" demo
expect_eq "an admin may not run it once the board has events past init (65)" "$RC" 65
expect_match "... saying so" "$ERR" "has 1 event since init"
expect_eq "... and nothing was written by any of them" \
	"$(sqlite3 "$LEADBOARD_DB" "SELECT * FROM users; SELECT * FROM events; SELECT * FROM leads" | sha256sum)" \
	"$digest"

export LEADBOARD_DB="$T_DIR/just-init.db"
"$LB" init --admin boss >/dev/null
expect_code 77 "on a board just initialised, only its admin may (not $me)" "$LB" demo
expect_code 0 "... its admin may" "$LB" --as boss demo
expect_eq "... and the events name who really ran it" \
	"$(sqlite3 "$LEADBOARD_DB" "SELECT DISTINCT real_user FROM events WHERE seq > 1")" "$me"
done_testing
