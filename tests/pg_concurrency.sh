#!/bin/sh
# The door's guarantees on PostgreSQL, with real processes: two sides racing
# for the same lead (exactly one wins), eight writers at once (every
# success one event, the chain linear, no server message ever shown), and
# kill -9 of a client mid-import and mid-burst (nothing or everything).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.lib"
pg_start

psql_db() { pg_psql "$DB_NAME" -At -c "$1"; }
new_pg_board() {
	DB_NAME=$1
	LEADBOARD_DB=$(pg_new_db "$1"); export LEADBOARD_DB
	"$LB" init >/dev/null || { echo "Bail out! init failed"; exit 1; }
	for u in maya:marketing marco:marketing sam:sales sara:sales; do
		"$LB" user add "${u%%:*}" --role "${u#*:}" >/dev/null
	done
}
# the chain has no gap and no fork: seqs 1..n, each prev_hash the hash before
chain_linear() {
	psql_db "SELECT count(*) = max(e.seq) AND bool_and(e.prev_hash = p.hash OR e.seq = 1)
		FROM events e LEFT JOIN events p ON p.seq = e.seq - 1"
}

# ---- races -----------------------------------------------------------------------
ROUNDS=30
new_pg_board race
i=0
while [ $i -lt $ROUNDS ]; do
	stage=sql; [ $((i % 2)) -eq 1 ] && stage=mql
	id=$("$LB" add --name "Race $i" --company Acme --email "r$i@example.com" --stage $stage)
	echo "$id"
	i=$((i + 1))
done >"$T_DIR/leads"
cat >"$T_DIR/race.bash" <<'EOS'
side() {
	local file=$1 login=$2; shift 2
	read -r _ <&4
	exec 4>&-
	"$LB" --as "$login" "$@" >/dev/null 2>>"$T_DIR/race.err"
	echo $? >"$file"
}
mkfifo "$T_DIR/go"
exec 4<>"$T_DIR/go"
n=0
while read -r id; do
	if [ $((n % 2)) -eq 0 ]; then a=(sam claim "$id") b=(sara claim "$id")
	else a=(maya move "$id" sql) b=(marco move "$id" sql); fi
	side "$T_DIR/a" "${a[@]}" &
	side "$T_DIR/b" "${b[@]}" &
	printf 'go\ngo\n' >&4
	wait
	echo "$(cat "$T_DIR/a") $(cat "$T_DIR/b")"
	n=$((n + 1))
done <"$T_DIR/leads"
EOS
export T_DIR LB
bash "$T_DIR/race.bash" >"$T_DIR/results"
expect_eq "exactly one side won each of $ROUNDS races" \
	"$(awk '($1 == 0) != ($2 == 0)' "$T_DIR/results" | wc -l | tr -d ' ')" "$ROUNDS"
expect_eq "the losers exited 75, 65 or 77" \
	"$(awk '{ for (i = 1; i <= 2; i++) if ($i != 0 && $i != 75 && $i != 65 && $i != 77) print }' "$T_DIR/results")" ""
expect_no_match "no server message reached stderr" "$(cat "$T_DIR/race.err" 2>/dev/null)" \
	'ERROR|could not|deadlock|serializ|SQLSTATE|current transaction'
expect_eq "one event per winner" \
	"$(psql_db "SELECT count(*) FROM events WHERE kind IN ('claim', 'handoff')")" "$ROUNDS"
expect_eq "the chain is linear" "$(chain_linear)" t

echo "# races done at $(date +%T)"
# ---- eight writers ---------------------------------------------------------------------
new_pg_board load
i=0
while [ $i -lt 30 ]; do
	"$LB" --as maya add --name "Load $i" --company Acme --email "l$i@example.com" --stage lead
	i=$((i + 1))
done >"$T_DIR/load-leads"
before=$(psql_db "SELECT max(seq) FROM events")
w=0
while [ $w -lt 8 ]; do
	(
		who=maya; [ $((w % 2)) -eq 1 ] && who=marco
		n=0
		for id in $(shuf "$T_DIR/load-leads" | head -12); do
			stage=mql; [ $((n % 3)) -eq 2 ] && stage=lead
			"$LB" --as "$who" move "$id" "$stage" --reason not-ready >/dev/null 2>>"$T_DIR/load-$w.err"
			echo $?
			n=$((n + 1))
		done >"$T_DIR/load-$w.rc"
	) &
	w=$((w + 1))
done
wait
cat "$T_DIR"/load-*.rc >"$T_DIR/load.rc"
expect_eq "96 moves by 8 writers ran" "$(wc -l <"$T_DIR/load.rc" | tr -d ' ')" 96
expect_eq "every exit was 0, 65, 75 or 77" "$(grep -cvE '^(0|65|75|77)$' "$T_DIR/load.rc")" 0
expect_no_match "no server message reached stderr" "$(cat "$T_DIR"/load-*.err)" \
	'ERROR|could not|deadlock|serializ|SQLSTATE|current transaction'
expect_eq "one event per successful move" \
	"$(psql_db "SELECT count(*) FROM events WHERE seq > $before")" "$(grep -c '^0$' "$T_DIR/load.rc")"
expect_eq "the chain is linear" "$(chain_linear)" t
expect_code 0 "verify passes" "$LB" verify
expect_eq "the stage counts the triggers keep are the leads' own" \
	"$(psql_db "SELECT stage || ' ' || n FROM stage_counts WHERE n > 0 ORDER BY stage")" \
	"$(psql_db "SELECT stage || ' ' || count(*) FROM leads GROUP BY stage ORDER BY stage")"

echo "# writers done at $(date +%T)"
# ---- kill -9 ---------------------------------------------------------------------------
ROWS=3000
{ echo "name,email,company"
  awk -v n=$ROWS 'BEGIN { for (i = 1; i <= n; i++) printf "Person %d,p%d@example.com,Co %d\n", i, i, i % 50 }'
} >"$T_DIR/big.csv"
new_pg_board importfull
t0=$(date +%s%N)
"$LB" import "$T_DIR/big.csv" >/dev/null 2>&1
full_ms=$((($(date +%s%N) - t0) / 1000000))
expect_eq "a whole import of $ROWS rows ($full_ms ms)" "$(psql_db 'SELECT count(*) FROM leads')" $ROWS
for percent in 30 70; do
	new_pg_board "import$percent"
	"$LB" import "$T_DIR/big.csv" >/dev/null 2>&1 &
	pid=$!
	sleep "$(awk -v ms=$full_ms -v p=$percent 'BEGIN { printf "%.3f", ms * p / 100000 }')"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# the server ends the dead client's transaction when its socket closes
	tries=0
	while [ "$(psql_db "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB_NAME' AND state LIKE 'idle in%'")" != 0 ] &&
		[ $tries -lt 50 ]; do sleep 0.1; tries=$((tries + 1)); done
	n=$(psql_db 'SELECT count(*) FROM leads')
	if [ "$n" -eq 0 ] || [ "$n" -eq $ROWS ]; then ok "import killed at ~$percent%: all or nothing ($n leads)"
	else not_ok "import killed at ~$percent%: all or nothing" "$n of $ROWS"; fi
	expect_eq "import killed at ~$percent%: one create event per lead" \
		"$(psql_db "SELECT count(*) FROM events WHERE kind = 'create'")" "$n"
	expect_code 0 "import killed at ~$percent%: verify passes" "$LB" verify
	expect_code 0 "import killed at ~$percent%: a new import still works" \
		"$LB" import --on-duplicate skip "$T_DIR/big.csv"
done

# ---- the connection is cut mid-import: 75, "cannot reach the database", nothing written
new_pg_board cut
"$LB" import "$T_DIR/big.csv" >"$T_DIR/cut.out" 2>"$T_DIR/cut.err" &
pid=$!
tries=0
until [ "$(psql_db "SELECT count(*) FROM pg_stat_activity WHERE datname = 'cut' AND state <> 'idle'
	AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND backend_xid IS NOT NULL")" != 0 ] ||
	[ $tries -ge 200 ]; do sleep 0.02; tries=$((tries + 1)); done
psql_db "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'cut'
	AND pid <> pg_backend_pid()" >/dev/null
wait "$pid"
rc=$?
expect_eq "an import whose connection is cut exits 75" "$rc" 75
expect_match "... saying it cannot reach the database" "$(cat "$T_DIR/cut.err")" \
	'^leadboard: cannot reach the database'
expect_eq "... and imported nothing" "$(psql_db 'SELECT count(*) FROM leads')" 0
expect_code 0 "the board verifies after the cut" "$LB" verify
done_testing
