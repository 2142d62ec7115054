#!/bin/sh
# Crashes: kill -9 part-way through a 20,000-row import (3,000 in make test;
# nothing or
# everything is imported) and through a burst of moves (the log and the
# leads still agree). Either way the database stays intact.
. "$(dirname "$0")/lib.sh"

# rows in the import, moves per writer in the burst: fewer on PostgreSQL
# (crash_kill_pg.sh)
if lb_on_pg; then ROWS=${CRASH_ROWS:-$(rounds 1500 3000)} BURST=${CRASH_BURST:-$(rounds 20 40)}
else ROWS=${CRASH_ROWS:-$(rounds 3000 20000)} BURST=${CRASH_BURST:-$(rounds 40 150)}; fi

# integrity_check, verify, and replaying the log gives every lead's stage:
# the newest event with a stage, per lead, names the stage the lead is in
# (in SQL: the logs here hold up to 40,000 events, too many to replay in jq
# seven times over).
check_intact() {   # WHAT
	expect_file_intact "$1"
	expect_code 0 "$1: leadboard verify is ok" "$LB" verify
	differ=$(lb_sql "SELECT count(*) FROM leads l WHERE l.stage IS DISTINCT FROM
		(SELECT e.to_stage FROM events e WHERE e.lead_id = l.id AND e.to_stage IS NOT NULL
		 ORDER BY e.seq DESC LIMIT 1)")
	expect_eq "$1: the log replays to every lead's stage (leads that differ)" "$differ" 0
}

lead_count() { lb_sql "SELECT count(*) FROM leads"; }
create_count() { lb_sql "SELECT count(*) FROM events WHERE kind = 'create'"; }

# ---- a 20,000-row import, killed part-way ----------------------------------

if ! "$LB" import --help >/dev/null 2>&1; then
	skip "kill -9 during an import" "this leadboard has no import command yet"
else
	{
		echo "name,email,company"
		awk -v n=$ROWS 'BEGIN { for (i = 1; i <= n; i++)
			printf "\"Person %d, Jr\",person%d@example.com,Company %d\n", i, i, i % 500 }'
	} >"$T_DIR/big.csv"

	# How long a whole import takes here, to kill at fractions of it.
	new_board import-full
	t0=$(date +%s%N)
	run "$LB" import "$T_DIR/big.csv"
	full_ms=$((($(date +%s%N) - t0) / 1000000))
	if [ "$RC" -eq 0 ] && [ "$(lead_count)" -eq $ROWS ]; then
		ok "a whole import of $ROWS rows succeeds ($full_ms ms)"
	else
		not_ok "a whole import of $ROWS rows succeeds" "exit $RC: $ERR" "leads: $(lead_count)"
	fi

	partway=0
	for percent in 10 30 50 70 90; do
		new_board "import-$percent"
		"$LB" import "$T_DIR/big.csv" >/dev/null 2>&1 &
		pid=$!
		sleep "$(awk -v ms=$full_ms -v p=$percent 'BEGIN { printf "%.3f", ms * p / 100000 }')"
		kill -0 "$pid" 2>/dev/null && partway=$((partway + 1))
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		n=$(lead_count)
		if [ "$n" -eq 0 ] || [ "$n" -eq $ROWS ]; then
			ok "import killed at ~$percent%: all or nothing ($n leads)"
		else
			not_ok "import killed at ~$percent%: all or nothing" "$n of $ROWS leads"
		fi
		expect_eq "import killed at ~$percent%: one create event per lead" "$(create_count)" "$n"
		check_intact "import killed at ~$percent%"
		# and the board goes on working
		expect_code 0 "import killed at ~$percent%: a new import still works" \
			"$LB" import --on-duplicate skip "$T_DIR/big.csv"
	done
	echo "# $partway of 5 kills landed while the import was running"
fi

# ---- a burst of moves, processes killed at random moments ------------------

new_board burst
awk 'BEGIN { print "name,email,company,stage"
	for (i = 0; i < 100; i++) printf "Burst %d,burst%d@example.com,Acme,mql\n", i, i }' \
	>"$T_DIR/burst.csv"
"$LB" import "$T_DIR/burst.csv" >/dev/null || { echo "Bail out! the import failed"; exit 1; }
"$LB" list --format json | jq -r '.[].id' >"$T_DIR/ids"
"$LB" config set max_handoffs 1000 >/dev/null

# How long one move takes here and now (the fastest of five handoffs and
# five pass-backs), so that the KILL timers below land before, inside and
# after the transaction however busy the machine is.
move_ms=
for n in 1 2 3 4 5; do
	id=$(sed -n "${n}p" "$T_DIR/ids")
	t0=$(date +%s%N)
	"$LB" --as maya move "$id" sql >/dev/null
	"$LB" --as sam move "$id" mql --reason bad-data >/dev/null
	ms=$((($(date +%s%N) - t0) / 2000000))
	if [ -z "$move_ms" ] || [ "$ms" -lt "$move_ms" ]; then move_ms=$ms; fi
done
setup_seq=$(lb_sql "SELECT max(seq) FROM events")

# Each move runs under a KILL timer of a tenth to one and a half times what a
# move takes: some die before they open the database, some inside the
# transaction, some after. What a move takes is learnt as they run (four
# writers at once are slower than one), so the timers keep landing all over
# a move however busy the machine is.
cat >"$T_DIR/burst.bash" <<'EOF'
login=$1 to=$2 RANDOM=$3
mapfile -t ids <"$T_DIR/ids"
est=$move_ms
for ((n = 0; n < BURST; n++)); do
	id=${ids[RANDOM % ${#ids[@]}]}
	ms=$((est / 10 + 1 + RANDOM % (est * 14 / 10 + 1)))
	if [ "$to" = sql ]; then set -- move "$id" sql; else set -- move "$id" mql --reason bad-data; fi
	t0=${EPOCHREALTIME/[.,]/}
	timeout -s KILL "$((ms / 1000)).$(printf %03d $((ms % 1000)))" "$LB" --as "$login" "$@" \
		>/dev/null 2>>"$T_DIR/burst.err"
	rc=$?
	took=$(((${EPOCHREALTIME/[.,]/} - t0) / 1000))
	case $rc in
	124|137) [ "$ms" -ge "$est" ] && est=$((est + est / 4 + 1)) ;;   # the estimate was short
	*) est=$(((est * 3 + took) / 4 + 1)) ;;
	esac
	echo "$login $to $rc"
done
EOF
export T_DIR LB move_ms BURST
pids=
seed=11
for w in maya:sql marco:sql sam:mql sara:mql; do
	bash "$T_DIR/burst.bash" "${w%%:*}" "${w#*:}" $seed >"$T_DIR/burst.${w%%:*}" 2>/dev/null &
	pids="$pids $!" seed=$((seed + 1))
done
for p in $pids; do wait "$p"; done
cat "$T_DIR"/burst.maya "$T_DIR"/burst.marco "$T_DIR"/burst.sam "$T_DIR"/burst.sara >"$T_DIR/burst"

bad=$(awk '$3 != 0 && $3 != 65 && $3 != 75 && $3 != 77 && $3 != 124 && $3 != 137' "$T_DIR/burst" | head -3)
expect_eq "every move exited 0, 65, 75, 77 or was killed" "$bad" ""
succeeded=$(awk '$3 == 0' "$T_DIR/burst" | wc -l | tr -d ' ')
killed=$(awk '$3 == 124 || $3 == 137' "$T_DIR/burst" | wc -l | tr -d ' ')
events=$(lb_sql "SELECT count(*) FROM events WHERE seq > $setup_seq")
if [ "$events" -ge "$succeeded" ] && [ "$events" -le $((succeeded + killed)) ]; then
	ok "every finished move has its event, and no more than the killed ones besides"
else
	not_ok "every finished move has its event, and no more than the killed ones besides" \
		"$succeeded finished, $killed killed, $events events"
fi
expect_eq "the burst: no 'locked' or 'busy' message, nor a server's" \
	"$(cat "$T_DIR/burst.err" 2>/dev/null | grep -Eci "$LB_RAW_WORDS")" 0
check_intact "after the killed burst"
leftover=$(lb_sql "SELECT count(*) FROM leads l WHERE version !=
	1 + (SELECT count(*) FROM events e WHERE e.lead_id = l.id AND e.kind != 'create')")
expect_eq "every lead's version counts its events" "$leftover" 0
echo "# burst: a move takes about $move_ms ms; $succeeded finished, $killed were killed at a random moment," \
	"$((events - succeeded)) of the killed ones had committed"
done_testing
