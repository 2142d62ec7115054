#!/bin/sh
# The same walk on both engines prints the same bytes: a board made on
# SQLite is copied to PostgreSQL, then every command of a lead's walk
# (moves, a handoff, a claim, a pass-back, an assignment, a discard and a
# restore, refusals of each kind, settings, reasons) runs on each at the
# same fixed times; every command's exit code, standard output and standard
# error, then show, list, log, report, export and verify, are compared byte
# for byte (ids, times, hashes), and the heads of the two chains are equal.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.lib"
pg_start

new_board engines
LITE=$LEADBOARD_DB
export LEADBOARD_TEST_NOW=2026-11-23T09:00:00Z
ADA=$(as maya add --name "Ada García" --email ada@acme.example --company Acme --score 70 --country DE)
BO=$(as maya add --name "Bo Berg" --email bo@globex.example --company Globex --stage mql)
CY=$(as marco add --name "Cy Chen" --company "Initech, Inc." --title "VP \"Sales\"" --stage mql)
if [ "$("$LB" log --format json | jq -r '.[-1].at')" != 2026-11-23T09:00:00.000Z ]; then
	skip "the same bytes on both engines" "this leadboard has no fixed clock for tests (LEADBOARD_TEST_NOW)"
	done_testing; exit 0
fi
PG=$(pg_new_db engines)
run "$LB" copy "$LITE" "$PG"
expect_eq "the board copied to PostgreSQL" "$RC" 0
A=$(echo "$ADA" | cut -c1-8) B=$(echo "$BO" | cut -c1-6) C=$CY

# One command a line, run by sh with A, B and C set; each at its own time.
cat >"$T_DIR/walk" <<'EOF'
--as maya move $A mql
--as maya move $A sql
--as sam claim $A
--as sam move $A mql --reason not-ready --note "call in March"
--as marco move $A sql
--as sara move $A opportunity
--as mona assign $A sara
--as sara move $A customer
--as maya move $B opportunity
--as sam move $B mql
--as sam move $B mql --reason tired
--as sam move $B closed
--as sam move ffffffff sql
--as sam move ab sql
--as mona move $B customer
--as mona move $B sql --override
--as maya move $B sql
--as sara claim $B
--as sam claim $B
--as mona assign $B maya
--as maya edit $C --email cy@initech.example --score 55
--as sam discard $C --reason duplicate
--as maya discard $C --reason duplicate --note "same as Bo"
--as maya restore $C
config set handoff_min_score 60
--as maya move $C sql
--as mona move $C sql --override --note "CEO intro"
reasons add wrong-region "Outside our regions"
reasons retire competitor
--as sara move $B lead --reason competitor
--as sara move $B lead --reason wrong-region
stages add subscriber Subscriber --team marketing --first
show $A
show $B --format json
list
list --format json --stage discarded
log
log --format json
log --lead $A --format json
report
report --format json
export
verify
EOF
# walk DB OUT: every line on DB, an hour apart, each command's exit code,
# stdout and stderr into OUT
walk() {
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		hour=$(printf '%02d' $((10 + n / 6))) minute=$(printf '%02d' $((n % 6 * 10)))
		echo "== $line" >>"$2"
		LEADBOARD_TEST_NOW="2026-11-23T$hour:$minute:00Z" LEADBOARD_DB=$1 A=$A B=$B C=$C \
			LB=$LB sh -c "exec \"\$LB\" $line" >>"$2" 2>"$T_DIR/stderr"
		echo "-- exit $? --" >>"$2"
		cat "$T_DIR/stderr" >>"$2"
	done <"$T_DIR/walk"
}
walk "$LITE" "$T_DIR/sqlite.out"
walk "$PG" "$T_DIR/pg.out"

expect_eq "every command ran on each engine" \
	"$(grep -c '^-- exit' "$T_DIR/sqlite.out") $(grep -c '^-- exit' "$T_DIR/pg.out")" \
	"$(wc -l <"$T_DIR/walk" | tr -d ' ') $(wc -l <"$T_DIR/walk" | tr -d ' ')"
codes=$(grep '^-- exit' "$T_DIR/sqlite.out" | sort | uniq -c | awk '{ printf "%s:%s ", $4, $1 }')
expect_match "the walk succeeded and was refused in each way (exit codes)" "$codes" \
	'^0:[0-9]+ 64:[0-9]+ 65:[0-9]+ 66:[0-9]+ 77:[0-9]+ $'
if cmp -s "$T_DIR/sqlite.out" "$T_DIR/pg.out"; then
	ok "every command printed the same bytes on SQLite and on PostgreSQL ($(wc -c <"$T_DIR/pg.out" | tr -d ' ') bytes)"
else
	not_ok "every command printed the same bytes on SQLite and on PostgreSQL" \
		"$(diff "$T_DIR/sqlite.out" "$T_DIR/pg.out" | head -20)"
fi
chain_head() { "$LB" --db "$1" log --format json | jq -r '.[-1] | "\(.seq) \(.hash)"'; }
expect_eq "the two chains end at the same event and hash" "$(chain_head "$PG")" "$(chain_head "$LITE")"
expect_match "... which is the walk's" "$(chain_head "$PG")" '^[0-9]+ [0-9a-f]{64}$'
done_testing
