#!/bin/sh
# The tamper table: each way of changing the audit log behind leadboard's
# back, made with the sqlite3 shell on a copy of one board, is caught by
# verify (exit 65, naming what is wrong). A tamperer who recomputes the
# chain (tests/tools/forge_chain prints the SQL, as anyone who read audit.c
# could) is caught by an anchor taken before the change, or by --strict
# with the witnesses of every change.
. "$(dirname "$0")/lib.sh"

FORGE=${TEST_TOOLS:-}/forge_chain
if ! command -v sqlite3 >/dev/null 2>&1; then
	skip "the tamper table" "the sqlite3 shell is not installed"
	done_testing; exit 0
fi

# ---- one board with a history --------------------------------------------------
new_board base
BASE=$LEADBOARD_DB
a=$(as maya add --name "Ada Lovelace" --email ada@example.com --company Acme --stage mql)
as maya move "$a" sql >/dev/null
as sam claim "$a" >/dev/null
as sam move "$a" mql --reason not-ready --note "Call again in spring" >/dev/null
b=$(as maya add --name "Bo Berg" --email bo@example.com --company Beta)
as maya discard "$b" --reason bad-data --note "Bounced twice" >/dev/null
c=$(as sam add --name "Cy Chen" --email cy@example.com --company Cyan --stage sql)
"$LB" user add tess --role sales >/dev/null
"$LB" user add ted --role marketing >/dev/null

run "$LB" verify
expect_eq "the untouched board verifies" "$RC" 0
ANCHOR=$(sqlite3 "$BASE" "SELECT seq || ':' || hash FROM events ORDER BY seq DESC LIMIT 1")
HEAD=${ANCHOR%%:*}
expect_eq "... and verify ends with the head as an anchor" "$(printf '%s\n' "$OUT" | tail -1)" \
	"anchor $ANCHOR"
# The witnesses a shared install's system log would hold: one line per change.
WITNESSES=$T_DIR/witnesses.log
sqlite3 "$BASE" "SELECT 'Dec  2 10:00:00 host leadboard[4242]: anchor ' || seq || ':' || hash
	FROM events ORDER BY seq" >"$WITNESSES"
TRIGGERS=$(sqlite3 "$BASE" "SELECT sql || ';' FROM sqlite_schema WHERE type = 'trigger'
	AND tbl_name = 'events' ORDER BY name")

seq_of() {   # KIND: the seq of the first event of that kind
	sqlite3 "$LEADBOARD_DB" "SELECT min(seq) FROM events WHERE kind = '$1'"
}

# copy NAME: a copy of the board to tamper with, as LEADBOARD_DB.
copy() {
	export LEADBOARD_DB="$T_DIR/$1.db"
	rm -f "$LEADBOARD_DB" "$LEADBOARD_DB-wal" "$LEADBOARD_DB-shm"
	sqlite3 "$BASE" ".backup '$LEADBOARD_DB'"
}

# behind SQL: run SQL in the sqlite3 shell with the append-only triggers
# dropped, then put them back exactly as they were.
behind() {
	sqlite3 "$LEADBOARD_DB" "DROP TRIGGER events_append_only_update;
		DROP TRIGGER events_append_only_delete; $1; $TRIGGERS" ||
		echo "Bail out! the sqlite3 shell refused: $1"
}

# forge: recompute every prev_hash and hash so that the chain holds again.
forge() {
	if ! "$FORGE" "$LEADBOARD_DB" >"$T_DIR/forge.sql" 2>"$T_DIR/forge.err"; then
		echo "# forge_chain: $(cat "$T_DIR/forge.err")"
		return
	fi
	behind "$(cat "$T_DIR/forge.sql")"
}

# caught DESC REGEX [VERIFY-ARGS...]: verify exits 65 and says REGEX.
caught() {
	desc=$1 want=$2; shift 2
	run "$LB" verify "$@"
	if [ "$RC" -eq 65 ] && printf '%s' "$ERR" | grep -Eq -- "$want"; then ok "$desc"
	else not_ok "$desc" "expected exit 65 and: $want" "got exit $RC" "stderr: $ERR"; fi
}

# ---- today's three: an edited, a deleted, two swapped rows ---------------------------
copy edited
n=$(seq_of passback)
behind "UPDATE events SET reason = 'no-budget' WHERE seq = $n"
caught "an edited row" "event $n: its content does not match its hash \(edited\)"

copy deleted
n=$(seq_of claim)
behind "DELETE FROM events WHERE seq = $n"
caught "a deleted row" "event $((n + 1)): event $n before it is missing"

copy swapped
behind "UPDATE events SET seq = -1 WHERE seq = 2; UPDATE events SET seq = 2 WHERE seq = 3;
	UPDATE events SET seq = 3 WHERE seq = -1"
caught "two swapped rows" "event 2: prev_hash is not the hash of event 1"

# ---- the last events deleted ----------------------------------------------------------------
copy truncated
behind "DELETE FROM events WHERE seq > $HEAD - 2; DELETE FROM users WHERE login IN ('tess', 'ted')"
expect_code 0 "without a witness, a log cut short at its end still links up" "$LB" verify
caught "the last events deleted: caught by an anchor taken before" \
	"anchor $HEAD: event $HEAD is missing; the log ends at event $((HEAD - 2))" \
	--anchor "$ANCHOR"

# ---- a row edited and the whole chain recomputed ------------------------------------------
copy rechained
n=$(seq_of passback)
behind "UPDATE events SET reason = 'no-budget' WHERE seq = $n"
sqlite3 "$LEADBOARD_DB" "UPDATE leads SET last_reason = 'no-budget' WHERE id = '$a'"
forge
expect_code 0 "without a witness, a recomputed chain is consistent" "$LB" verify
caught "an edited row with the chain recomputed: caught by an anchor" \
	"anchor $HEAD: event $HEAD has hash [0-9a-f]{64}, the witness says ${ANCHOR#*:} \(the log was rewritten\)" \
	--anchor "$ANCHOR"
caught "... and by the system log's witnesses" "the log was rewritten" --anchors "$WITNESSES"

# ---- a forged event appended ------------------------------------------------------------------
copy appended
at=$(sqlite3 "$LEADBOARD_DB" "SELECT max(at) + 1000 FROM events")
behind "INSERT INTO events (seq, at, actor, lead_id, kind, from_stage, to_stage, note,
	hash_scheme, prev_hash, hash) VALUES ($HEAD + 1, $at, 'mona', '$c', 'assign', 'sql', 'sql',
	'sara', 2, '', '')"
sqlite3 "$LEADBOARD_DB" "UPDATE leads SET owner = 'sara', version = version + 1, updated_at = $at
	WHERE id = '$c'"
forge
expect_code 0 "a forged event appended (and the lead to match) links up" "$LB" verify
run "$LB" verify --anchors "$WITNESSES"
expect_match "... verify --anchors counts it as the one event no witness covers" "$OUT" \
	"events 1 to $HEAD are witnessed, 1 at the tail is not"
caught "a forged event appended: caught by --strict with the system log's witnesses" \
	"1 event at the tail \(after event $HEAD\) has no witness" --anchors "$WITNESSES" --strict
caught "... read from standard input too" "has no witness" --anchors - --strict <"$WITNESSES"

# ---- the first row deleted and the rest renumbered ----------------------------------------------
copy renumbered
behind "DELETE FROM events WHERE seq = 1; UPDATE events SET seq = -seq;
	UPDATE events SET seq = -seq - 1"
caught "the first row deleted and the rest renumbered" \
	"event 1: prev_hash is not the genesis hash"
forge
caught "... and the chain recomputed: caught by an anchor" \
	"anchor $HEAD: event $HEAD is missing; the log ends at event $((HEAD - 1))" --anchor "$ANCHOR"

copy prepended
behind "INSERT INTO events (seq, at, actor, kind, note, hash_scheme, prev_hash, hash)
	VALUES (0, 1, 'root', 'user', 'added mallory as admin', 2, '', '')"
forge
caught "an event slipped in before the first, chain recomputed" "event 0: seq below 1"

# ---- the append-only triggers dropped or altered -------------------------------------------------
copy dropped
sqlite3 "$LEADBOARD_DB" "DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete"
caught "the append-only triggers dropped, each named" \
	"trigger events_append_only_delete is missing \(dropped\)" 
expect_match "... both" "$ERR" "trigger events_append_only_update is missing \(dropped\)"
copy altered
sqlite3 "$LEADBOARD_DB" "DROP TRIGGER events_append_only_delete;
	CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events WHEN 0 BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only'); END;
	CREATE TRIGGER events_quiet AFTER INSERT ON events BEGIN SELECT 1; END"
caught "an append-only trigger altered" \
	"trigger events_append_only_delete differs from leadboard's schema \(altered\)"
expect_match "... and a trigger added by hand" "$ERR" \
	"trigger events_quiet is not in leadboard's schema"

# ---- a lead whose stage changed with no event ------------------------------------------------------
copy stage
sqlite3 "$LEADBOARD_DB" "UPDATE leads SET stage = 'customer' WHERE id = '$c'"
caught "a lead whose stage changed with no event" \
	"lead $c: stage expected 'sql', found 'customer'"
copy owner
sqlite3 "$LEADBOARD_DB" "UPDATE leads SET owner = 'sara', recycle_count = 0 WHERE id = '$a'"
caught "a lead's counters and owner changed with no event: every field named" \
	"lead $a: recycle_count expected 1, found 0"
expect_match "... with the owner" "$ERR" "lead $a: owner expected \(none\), found 'sara'"

# ---- hidden text after a NUL -----------------------------------------------------------------------
copy nul
n=$(seq_of passback)
behind "UPDATE events SET note = note || char(0) || ' and pay the agent' WHERE seq = $n"
forge
caught "hidden text after a NUL, chain recomputed" \
	"event $n: note holds a NUL byte at byte 21 \(text hidden after it\)"

# ---- at stored as a real ----------------------------------------------------------------------------
copy real
n=$(seq_of claim)
behind "UPDATE events SET at = at + 0.5 WHERE seq = $n"
forge
caught "at stored as a real, chain recomputed" \
	"event $n: at is stored as a real \([0-9.]+\), not an integer"

# ---- a value over its limit, '' for NULL ---------------------------------------------------------------
copy long
n=$(seq_of passback)
behind "UPDATE events SET reason = printf('%.70c', 'x') WHERE seq = $n"
forge
caught "a value over its limit, chain recomputed" "event $n: reason is 70 bytes, over its limit of 64"
copy empty
n=$(seq_of create)
behind "UPDATE events SET reason = '' WHERE seq = $n"
forge
caught "'' where leadboard stores NULL, chain recomputed" \
	"event $n: reason is an empty string \(leadboard stores none as NULL\)"

# ---- what the anchors options take ------------------------------------------------------------------------
export LEADBOARD_DB=$BASE
expect_code 64 "--anchor needs SEQ:HASH" "$LB" verify --anchor 12
expect_code 66 "--anchors names a file that must exist" "$LB" verify --anchors "$T_DIR/nosuch"
run "$LB" verify --anchor "$ANCHOR" --anchors "$WITNESSES" --strict
expect_eq "the untouched board verifies with every witness and --strict" "$RC" 0
expect_match "... all of them holding" "$OUT" "witnesses: $HEAD of $HEAD anchors hold"

done_testing
