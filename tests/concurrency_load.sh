#!/bin/sh
# Load: 8 writer processes x 150 random moves (40 in make test) (handoffs by two marketers,
# pass-backs by two reps, a few moves inside marketing) on the same 200
# leads, while 2 readers list the board and read the log. Then: only the
# documented exit codes, never a "locked"/"busy" message, one event per
# successful move, the log replays to the board, the database is intact and
# the WAL stays small and outlives the processes.
. "$(dirname "$0")/lib.sh"

WRITERS_PER_LOGIN=2
# moves per writer: fewer on PostgreSQL (concurrency_load_pg.sh)
if lb_on_pg; then MOVES=${LOAD_MOVES:-$(rounds 20 40)}
else MOVES=${LOAD_MOVES:-$(rounds 40 150)}; fi
LEADS=200

new_board load
"$LB" config set max_handoffs 3 >/dev/null || { echo "Bail out! config set failed"; exit 1; }

# 200 leads in MQL, all meeting the gate, from one admin import.
awk -v n=$LEADS 'BEGIN { print "name,email,company,stage"
	for (i = 0; i < n; i++) printf "Lead %d,lead%d@example.com,Company %d,mql\n", i, i, i }' \
	>"$T_DIR/leads.csv"
"$LB" import "$T_DIR/leads.csv" >/dev/null || { echo "Bail out! the import failed"; exit 1; }
"$LB" list --format json | jq -r '.[].id' >"$T_DIR/ids"
expect_eq "200 leads to work on" "$(wc -l <"$T_DIR/ids" | tr -d ' ')" "$LEADS"
# A fifth of them handed off first: the reps have leads to pass back from
# their first move, however far ahead of the marketers they run.
head -n $((LEADS / 5)) "$T_DIR/ids" | while read -r id; do
	as maya move "$id" sql >/dev/null || echo "$id" >>"$T_DIR/first-handoffs-failed"
done
expect_eq "a fifth handed off before the load" "$(cat "$T_DIR/first-handoffs-failed" 2>/dev/null)" ""
created_events=$(lb_sql "SELECT count(*) FROM events")
handed_first=$(lb_sql "SELECT count(*) FROM events WHERE kind = 'handoff'")

# One writer: LOGIN ROLE SEED OUT. Each line of OUT: login, intent, exit
# code, microseconds. bash for $EPOCHREALTIME and $RANDOM.
cat >"$T_DIR/writer.bash" <<'EOF'
login=$1 role=$2 RANDOM=$3 out=$4 err=$5 moves=$6
mapfile -t ids <"$T_DIR/ids"
reasons=(not-ready no-budget not-decision-maker bad-fit no-response)
for ((n = 0; n < moves; n++)); do
	id=${ids[RANDOM % ${#ids[@]}]}
	if [ "$role" = marketing ]; then
		if ((RANDOM % 100 < 85)); then intent=handoff; set -- move "$id" sql
		else intent=nurture; set -- move "$id" mql; fi
	else
		intent=passback
		to=mql; ((RANDOM % 100 < 20)) && to=lead
		set -- move "$id" "$to" --reason "${reasons[RANDOM % ${#reasons[@]}]}"
	fi
	t0=${EPOCHREALTIME/[.,]/}
	"$LB" --as "$login" "$@" >/dev/null 2>>"$err"
	rc=$?
	t1=${EPOCHREALTIME/[.,]/}
	echo "$login $intent $rc $((t1 - t0))"
done >"$out"
EOF

# One reader: lists the board and reads the log until told to stop.
cat >"$T_DIR/reader.bash" <<'EOF'
out=$1 err=$2
while [ ! -e "$T_DIR/stop" ]; do
	stat -c 'wal %s' "$LEADBOARD_DB-wal" 2>/dev/null
	"$LB" list --format json >/dev/null 2>>"$err"; echo "list $?"
	"$LB" log --format table >/dev/null 2>>"$err"; echo "log $?"
	"$LB" list --stage sql >/dev/null 2>>"$err"; echo "list $?"
done >"$out"
EOF
export T_DIR LB

# A long-lived reader, like a board left open all day: it keeps a connection
# (so the WAL is never removed under it) and must not pin old snapshots.
"$LB" log --follow --format json >"$T_DIR/follow.out" 2>"$T_DIR/follow.err" &
follower=$!
# And a board, refreshing on every commit, as a rep leaves it open.
board=
if command -v tmux >/dev/null 2>&1; then
	tmux -S "$T_DIR/tmux" -f /dev/null new-session -d -x 160 -y 40 \
		"$LB --as sam; echo BOARD EXITED \$?; sleep 60" && board=1
fi
for r in 1 2; do
	bash "$T_DIR/reader.bash" "$T_DIR/reader$r.out" "$T_DIR/reader$r.err" &
	eval "reader$r=\$!"
done
start=$(date +%s%N)
pids=
seed=1
for pair in maya:marketing marco:marketing sam:sales sara:sales; do
	k=1
	while [ $k -le $WRITERS_PER_LOGIN ]; do
		w=${pair%%:*}$k
		bash "$T_DIR/writer.bash" "${pair%%:*}" "${pair#*:}" $seed "$T_DIR/$w.out" \
			"$T_DIR/$w.err" $MOVES &
		pids="$pids $!"
		seed=$((seed + 1)) k=$((k + 1))
	done
done
writers_failed=0
for p in $pids; do wait "$p" || writers_failed=$((writers_failed + 1)); done
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
touch "$T_DIR/stop"
wait "$reader1" "$reader2"

cat "$T_DIR"/maya*.out "$T_DIR"/marco*.out "$T_DIR"/sam*.out "$T_DIR"/sara*.out >"$T_DIR/moves"
cat "$T_DIR"/*.err >"$T_DIR/all.err" 2>/dev/null
total=$(wc -l <"$T_DIR/moves" | tr -d ' ')
expect_eq "every writer ran to the end" "$writers_failed" 0
expect_eq "8 writers made $MOVES moves each" "$total" $((8 * MOVES))

bad_codes=$(awk '$3 != 0 && $3 != 65 && $3 != 75 && $3 != 77' "$T_DIR/moves" | head -5)
expect_eq "every move exited 0, 65, 75 or 77" "$bad_codes" ""
bad_reads=$(cat "$T_DIR"/reader*.out | awk '$1 != "wal" && $2 != 0' | sort | uniq -c)
expect_eq "every read exited 0" "$bad_reads" ""
reads=$(cat "$T_DIR"/reader*.out | grep -vc '^wal')
busy=$(grep -Eci "$LB_RAW_WORDS" "$T_DIR/all.err")
expect_eq "no 'locked' or 'busy' message, nor a server's, reached anyone" "$busy" 0
[ "$busy" -eq 0 ] || grep -Ei "$LB_RAW_WORDS" "$T_DIR/all.err" | sort | uniq -c | head -5 | sed 's/^/# /'

# One event per successful move, of the kind the move was.
count_ok() { awk -v i="$1" '$2 == i && $3 == 0' "$T_DIR/moves" | wc -l | tr -d ' '; }
count_events() { lb_sql "SELECT count(*) FROM events WHERE kind = '$1'"; }
handoffs=$(count_ok handoff) passbacks=$(count_ok passback) nurtures=$(count_ok nurture)
handoff_events=$(($(count_events handoff) - handed_first))   # the writers' only
expect_eq "handoff and pass-back events = moves that exited 0" \
	"$((handoff_events + $(count_events passback)))" $((handoffs + passbacks))
expect_eq "handoff events = successful handoffs" "$handoff_events" "$handoffs"
expect_eq "pass-back events = successful pass-backs" "$(count_events passback)" "$passbacks"
expect_eq "move events = successful moves inside marketing" "$(count_events move)" "$nurtures"
expect_eq "nothing else was written" "$(lb_sql "SELECT count(*) FROM events")" \
	$((created_events + handoffs + passbacks + nurtures))
# (many: more than a third of one writer's moves, 50 of 150)
if [ "$handoffs" -gt $((MOVES / 3)) ] && [ "$passbacks" -gt $((MOVES / 3)) ] &&
   [ "$(awk '$3 != 0' "$T_DIR/moves" | wc -l)" -gt $((MOVES / 3)) ]; then
	ok "the mix had many successes and many refusals"
else
	not_ok "the mix had many successes and many refusals" \
		"handoffs $handoffs, pass-backs $passbacks"
fi

# Replaying the log from empty gives every lead's stage.
"$LB" log --format json >"$T_DIR/log.json"
{ "$LB" list --format json; "$LB" list --stage discarded --format json; } |
	jq -s 'add | map({(.id): .stage}) | add' >"$T_DIR/board.json"
jq '[.[] | select(.lead_id != null and .to_stage != null)] | sort_by(.seq)
    | reduce .[] as $e ({}; .[$e.lead_id] = $e.to_stage)' "$T_DIR/log.json" >"$T_DIR/replay.json"
if jq -e --slurpfile b "$T_DIR/board.json" '. == $b[0]' "$T_DIR/replay.json" >/dev/null; then
	ok "replaying the log gives every lead's stage"
else
	not_ok "replaying the log gives every lead's stage" \
		"$(jq -c --slurpfile b "$T_DIR/board.json" \
			'to_entries | map(select(.value != $b[0][.key])) | .[:3]' "$T_DIR/replay.json")"
fi
expect_eq "the stage counts the triggers keep are the leads' own" \
	"$(lb_sql "SELECT stage || ' ' || n FROM stage_counts WHERE n > 0 ORDER BY stage")" \
	"$(lb_sql "SELECT stage || ' ' || count(*) FROM leads GROUP BY stage ORDER BY stage")"
expect_eq "the board still has 200 leads" "$(jq 'length' "$T_DIR/board.json")" "$LEADS"

expect_file_intact "after the load"
expect_code 0 "leadboard verify is ok" "$LB" verify

# The follower saw every new event (within a generous deadline).
want=$(lb_sql "SELECT count(*) FROM events")
tries=0
while [ "$(wc -l <"$T_DIR/follow.out")" -lt "$want" ] && [ $tries -lt 400 ]; do
	sleep 0.05; tries=$((tries + 1))
done
expect_eq "log --follow, open all along, printed every event once, in order" \
	"$(jq -s 'map(.seq) | (. == (sort | unique)) and (length == (.[-1] // 0))' \
		"$T_DIR/follow.out")-$(wc -l <"$T_DIR/follow.out" | tr -d ' ')" "true-$want"
expect_eq "log --follow printed no error" "$(cat "$T_DIR/follow.err")" ""

# The board lived through it and still shows the leads.
if [ -n "$board" ]; then
	screen=$(tmux -S "$T_DIR/tmux" capture-pane -p)
	expect_match "the open board lived through the load and shows the leads" "$screen" 'Lead [0-9]'
	expect_no_match "... without an error" "$screen" 'BOARD EXITED|locked|busy'
	tmux -S "$T_DIR/tmux" send-keys q
	tries=0
	until tmux -S "$T_DIR/tmux" capture-pane -p | grep -q 'BOARD EXITED' || [ $tries -ge 400 ]; do
		sleep 0.05; tries=$((tries + 1))
	done
	expect_match "... and quits cleanly" "$(tmux -S "$T_DIR/tmux" capture-pane -p)" 'BOARD EXITED 0'
	tmux -S "$T_DIR/tmux" kill-server 2>/dev/null
else
	skip "an open board during the load" "tmux is not installed"
fi

# The WAL stays bounded while readers sit open, and can be checkpointed
# (SQLite's own file; on PostgreSQL the follower simply ends).
if lb_on_pg; then
	kill "$follower"; wait "$follower"
	skip "the WAL stays bounded" "SQLite's write-ahead log"
else
	wal_now=$(stat -c %s "$LEADBOARD_DB-wal" 2>/dev/null || echo 0)
	wal_peak=$(cat "$T_DIR"/reader*.out | awk -v m="$wal_now" '$1 == "wal" && $2 > m { m = $2 } END { print m }')
	if [ "$wal_peak" -lt $((8 * 1024 * 1024)) ]; then ok "the WAL stayed under 8 MiB (peak $wal_peak bytes)"
	else not_ok "the WAL stayed under 8 MiB" "it reached $wal_peak bytes"; fi
	expect_match "PRAGMA wal_checkpoint completes beside the open reader" \
		"$(sqlite3 "$LEADBOARD_DB" 'PRAGMA wal_checkpoint')" '^0\|'
	kill "$follower"; wait "$follower"
	residents_leave "$LEADBOARD_DB"
	wal_after=$(stat -c %s "$LEADBOARD_DB-wal" 2>/dev/null || echo 0)
	expect_eq "the last connection out folded the WAL back (bytes left)" "$wal_after" 0
	expect_eq "... and the next process reads the whole board" \
		"$("$LB" list --format json | jq length)" "$LEADS"
fi

# Measurements, for people (never a pass/fail criterion).
awk '{ print $4 }' "$T_DIR/moves" | sort -n >"$T_DIR/latency"
p50=$(awk -v n="$total" 'NR == int(n * 0.50 + 0.5) { print int($1 / 1000) }' "$T_DIR/latency")
p99=$(awk -v n="$total" 'NR == int(n * 0.99 + 0.5) { print int($1 / 1000) }' "$T_DIR/latency")
max=$(tail -1 "$T_DIR/latency" | awk '{ print int($1 / 1000) }')
echo "# $total moves by 8 writers in $elapsed_ms ms: $((total * 1000 / (elapsed_ms + 1))) moves/s;" \
	"latency p50 $p50 ms, p99 $p99 ms, max $max ms; $reads reads alongside"
echo "# outcomes: $(awk '{ print $2 "=" $3 }' "$T_DIR/moves" | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')"
lb_on_pg || echo "# WAL: peak $wal_peak bytes during the run, $wal_now at its end, $wal_after after the last reader left"
done_testing
