#!/bin/sh
# import --dry-run reads and writes nothing, and holds up nobody.
#
# Attack reproduced: a member starts `import FILE --dry-run` on a large file
# and stops it with kill -STOP part way. The dry run held the writers'
# queue (the flock of <db>-lock) and SQLite's write transaction for its
# whole run, so every writer on the board stalled for as long as the
# member liked (30 s, then "busy", and again). Expected: while the stopped
# dry run sits there, the queue is free and another member's change goes
# through at once; resumed, the dry run reports what it would have added
# and the database holds only the other member's change.
. "$(dirname "$0")/lib.sh"

new_board dry
as maya add --name "Already Here" --email here@example.com --company Acme >/dev/null
csv=$T_DIR/big.csv
awk 'BEGIN { print "Name,Email,Company"
	for (i = 1; i <= 100000; i++) printf "Person %d,p%d@example.org,Firm %d\n", i, i, i % 97 }' >"$csv"
before=$(db_digest)

# cpu_ms PID: CPU time the process has used, in ms (utime + stime).
cpu_ms() {
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print int(($12 + $13) * 1000 / hz) }' \
		"/proc/$1/stat" 2>/dev/null
}

"$LB" --as maya import "$csv" --dry-run >"$T_DIR/dry.out" 2>"$T_DIR/dry.err" &
dry=$!
# Stop it once it is well into the rows (reading the file takes a few ms).
tries=0
while [ "$(cpu_ms $dry || echo 0)" -lt 150 ] && kill -0 $dry 2>/dev/null && [ $tries -lt 400 ]; do
	sleep 0.02; tries=$((tries + 1))
done
if kill -STOP $dry 2>/dev/null; then
	ok "the dry run is stopped part way ($(cpu_ms $dry) ms of CPU)"
else
	not_ok "the dry run is stopped part way" "it ended first: $(cat "$T_DIR/dry.err")"
fi

if command -v flock >/dev/null; then
	expect_code 0 "the writers' queue is free while the dry run is stopped" \
		flock -n "$LEADBOARD_DB-lock" true
fi
run timeout 10 "$LB" --as marco add --name "Meanwhile" --email meanwhile@example.com
expect_eq "another member's add goes through at once" "$RC" 0
expect_code 0 "... and so does a move" timeout 10 "$LB" --as maya move "$(printf %s "$OUT" | cut -c1-8)" mql

kill -CONT $dry
wait $dry
expect_eq "the resumed dry run ends well" "$?" 0
expect_match "... and says what it would have added" "$(cat "$T_DIR/dry.out")" \
	"100000 rows; 100000 would be added, 0 updated, 0 skipped \(dry run: nothing was written\)"
expect_eq "... and wrote nothing: only the other member's lead is new" \
	"$(sqlite3 "$LEADBOARD_DB" "SELECT count(*) FROM leads; SELECT count(*) FROM events WHERE kind = 'create'")" \
	"$(printf '2\n2')"

# A dry run still checks every row, duplicates against the board included.
printf 'Name,Email,Company\nBad Row,not-an-email,X\nSame One,here@example.com,Acme\n' >"$T_DIR/bad.csv"
run "$LB" --as maya import "$T_DIR/bad.csv" --dry-run
expect_eq "a dry run with a bad row fails (65)" "$RC" 65
expect_match "... naming the row" "$ERR" "line 2"
printf 'Name,Email,Company\nSame One,here@example.com,Acme Two\nAgain,here@example.com,Acme\n' \
	>"$T_DIR/dup.csv"
run "$LB" --as maya import "$T_DIR/dup.csv" --dry-run --on-duplicate update
expect_eq "a dry run updating a lead on the board checks it and ends well" "$RC" 0
expect_match "... counting the updates" "$OUT" "0 would be added, 2 updated"
expect_eq "... and changes nothing" \
	"$(sqlite3 "$LEADBOARD_DB" "SELECT company FROM leads WHERE email = 'here@example.com'")" Acme
run "$LB" --as sam import "$T_DIR/dup.csv" --dry-run --on-duplicate update
expect_eq "a rep's dry run may not update a marketing lead either (65/77)" \
	"$([ "$RC" -eq 65 ] || [ "$RC" -eq 77 ] && echo refused)" refused
done_testing
