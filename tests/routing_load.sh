#!/bin/sh
# Load with routing on: 8 processes hand off 25 leads each (10 in make
# test) at the same moment (two marketers, four processes each), round-robin
# over four reps. Every handoff succeeds and is routed in the same change;
# the 200 turns are 1..200, none taken twice; each rep gets exactly 50 (or
# 20 of 80), since round-robin
# never lets one rep get ahead of another; the open counts the triggers
# keep agree with the leads; and the log replays (verify). On a SQLite file,
# then on PostgreSQL, where the door's advisory lock serialises the turns
# across connections.
. "$(dirname "$0")/lib.sh"

WRITERS=8
EACH=$(rounds 10 25)
LEADS=$((WRITERS * EACH))

# One writer: hands off its own leads (lines FIRST..LAST of ids) as LOGIN;
# each line of OUT: exit code and microseconds.
cat >"$T_DIR/writer.bash" <<'EOF'
login=$1 first=$2 last=$3 out=$4 err=$5
mapfile -t ids < <(sed -n "${first},${last}p" "$T_DIR/ids")
read -r _ <"$T_DIR/go"
for id in "${ids[@]}"; do
	t0=${EPOCHREALTIME/[.,]/}
	"$LB" --as "$login" move "$id" sql >/dev/null 2>>"$err"
	rc=$?
	echo "$rc $((${EPOCHREALTIME/[.,]/} - t0))"
done >"$out"
EOF
export T_DIR LB

suite() {
	on=$1
	for u in tina:sales steve:sales; do "$LB" user add "${u%%:*}" --role "${u#*:}" >/dev/null; done
	"$LB" config set routing round-robin >/dev/null
	{
		echo "Name,Email,Company,Stage"
		i=0
		while [ $i -lt $LEADS ]; do
			echo "Lead $i,lead$i@example.com,Company $i,mql"
			i=$((i + 1))
		done
	} >"$T_DIR/leads.csv"
	"$LB" import "$T_DIR/leads.csv" >/dev/null || { echo "Bail out! import failed"; exit 1; }
	"$LB" list --stage mql --format csv | tail -n +2 | cut -d, -f1 >"$T_DIR/ids"
	expect_eq "$on: $LEADS leads in MQL" "$(wc -l <"$T_DIR/ids" | tr -d ' ')" "$LEADS"

	# the start line: a fifo held open here for reading and writing, so a
	# writer's open never blocks; each reads one line, all written at once
	rm -f "$T_DIR/go"
	mkfifo "$T_DIR/go"
	exec 5<>"$T_DIR/go"
	pids=
	w=0
	while [ $w -lt $WRITERS ]; do
		login=maya; [ $((w % 2)) -eq 1 ] && login=marco
		bash "$T_DIR/writer.bash" $login $((w * EACH + 1)) $(((w + 1) * EACH)) \
			"$T_DIR/w$w.out" "$T_DIR/w$w.err" &
		pids="$pids $!"
		w=$((w + 1))
	done
	# everyone starts at once
	printf 'go\n%.0s' $(seq $WRITERS) >&5
	failed=0
	for p in $pids; do wait "$p" || failed=$((failed + 1)); done
	exec 5>&-
	cat "$T_DIR"/w*.out >"$T_DIR/handoffs"
	expect_eq "$on: every writer ran to the end" "$failed" 0
	expect_eq "$on: every handoff exited 0" \
		"$(awk '$1 != 0' "$T_DIR/handoffs" | wc -l | tr -d ' ') $(wc -l <"$T_DIR/handoffs" | tr -d ' ')" \
		"0 $LEADS"
	expect_eq "$on: nobody was told the database was busy or locked" \
		"$(cat "$T_DIR"/w*.err | grep -Eci 'busy|locked')" 0
	p99=$(awk '{print $2}' "$T_DIR/handoffs" | sort -n | awk '{v[NR]=$1} END {print v[int((NR*99+99)/100)]}')
	echo "# $on: a handoff with routing on, as a whole process under 8 writers: p99 $((p99 / 1000)) ms"

	expect_eq "$on: each handoff was routed in its change: as many routing assigns" \
		"$(lb_sql "SELECT count(*) FROM events WHERE kind = 'assign' AND rule LIKE 'routing:%'")" "$LEADS"
	expect_eq "$on: the turns are 1..$LEADS, none twice" \
		"$(lb_sql "SELECT count(DISTINCT rule) || ' ' || min(rule) FROM events WHERE kind = 'assign' AND rule LIKE 'routing:%'")" \
		"$LEADS routing: round-robin, turn 1"
	expect_eq "$on: ... and the highest is $LEADS" \
		"$(lb_sql "SELECT count(*) FROM events WHERE rule = 'routing: round-robin, turn $LEADS'")" 1
	expect_eq "$on: each assign follows its handoff, same lead, same time" \
		"$(lb_sql "SELECT count(*) FROM events a JOIN events h ON h.seq = a.seq - 1 WHERE a.kind = 'assign' AND h.kind = 'handoff' AND h.lead_id = a.lead_id AND h.at = a.at")" \
		"$LEADS"
	each_rep=$((LEADS / 4))
	expect_eq "$on: evenly: $each_rep each to sam, sara, steve and tina" \
		"$(lb_sql "SELECT owner || '=' || count(*) FROM leads WHERE stage = 'sql' GROUP BY owner ORDER BY owner" | tr '\n' ' ')" \
		"sam=$each_rep sara=$each_rep steve=$each_rep tina=$each_rep "
	expect_eq "$on: the open counts kept by triggers are the leads'" \
		"$(lb_sql "SELECT owner || '=' || n FROM owner_counts ORDER BY owner" | tr '\n' ' ')" \
		"sam=$each_rep sara=$each_rep steve=$each_rep tina=$each_rep "
	expect_eq "$on: the users' turns are the newest each took" \
		"$(lb_sql "SELECT max(routing_turn) FROM users")" "$LEADS"
	expect_code 0 "$on: verify: the chain is whole and the log replays to every lead" "$LB" verify
}

new_board routing_load
suite sqlite

# ... and on PostgreSQL: new_board starts the script's own server (lib.sh)
LB_BACKEND=pg
new_board routing_load
suite postgresql
done_testing
