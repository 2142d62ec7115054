#!/bin/sh
# Races: two processes change the same lead at the same instant, 200 times
# (60 in make test)
# (two handoffs, two pass-backs, two claims, a handoff against a discard).
# Exactly one wins each time; the other is refused with 75 or a rule
# refusal (65/77); never are both applied.
. "$(dirname "$0")/lib.sh"

if lb_on_pg; then ROUNDS=${RACE_ROUNDS:-$(rounds 24 40)}
else ROUNDS=${RACE_ROUNDS:-$(rounds 60 200)}; fi   # fewer on PostgreSQL (concurrency_race_pg.sh)

new_board race

# Leads for each kind of race: 0 and 3 start in MQL, 1 and 2 in SQL (an
# admin's import puts them there in one go; the races are what is tested).
awk -v n=$ROUNDS 'BEGIN { print "name,email,company,stage"
	for (i = 0; i < n; i++)
		printf "Race %d,race%d@example.com,Acme,%s\n", i, i, (i % 4 == 1 || i % 4 == 2) ? "sql" : "mql" }' \
	>"$T_DIR/leads.csv"
"$LB" import "$T_DIR/leads.csv" >/dev/null || { echo "Bail out! the import failed"; exit 1; }
# "KIND ID" per lead, KIND from the number in its e-mail address
"$LB" list --format json | jq -r '.[] | "\(.email | ltrimstr("race") | rtrimstr("@example.com") | tonumber % 4) \(.id)"' \
	>"$T_DIR/leads"
expect_eq "$ROUNDS leads to race on" "$(wc -l <"$T_DIR/leads" | tr -d ' ')" "$ROUNDS"
setup_seq=$(lb_sql "SELECT max(seq) FROM events")

# Both contenders wait on one pipe; two lines released at once start them
# together. Each line of the output: kind, lead, then for each side its
# exit code, start and end (microseconds).
cat >"$T_DIR/race.bash" <<'EOF'
side() {   # FILE LOGIN ARGS...
	local file=$1 login=$2; shift 2
	read -r _ <&4
	exec 4>&-
	local t0=${EPOCHREALTIME/[.,]/}
	"$LB" --as "$login" "$@" >/dev/null 2>>"$T_DIR/race.err"
	local rc=$?
	echo "$rc $t0 ${EPOCHREALTIME/[.,]/}" >"$file"
}
mkfifo "$T_DIR/go"
exec 4<>"$T_DIR/go"
while read -r kind id; do
	case $kind in
	0) a=(maya move "$id" sql) b=(marco move "$id" sql) ;;
	1) a=(sam move "$id" mql --reason not-ready) b=(sara move "$id" mql --reason no-budget) ;;
	2) a=(sam claim "$id") b=(sara claim "$id") ;;
	3) a=(maya move "$id" sql) b=(marco discard "$id" --reason duplicate) ;;
	esac
	side "$T_DIR/a" "${a[@]}" &
	side "$T_DIR/b" "${b[@]}" &
	printf 'go\ngo\n' >&4
	wait
	echo "$kind $id $(cat "$T_DIR/a") $(cat "$T_DIR/b")"
done <"$T_DIR/leads"
EOF
export T_DIR LB
bash "$T_DIR/race.bash" >"$T_DIR/results" || { echo "Bail out! the race driver failed"; exit 1; }

expect_eq "$ROUNDS races were run" "$(wc -l <"$T_DIR/results" | tr -d ' ')" "$ROUNDS"
# $3 and $6 are the two exit codes.
one_winner=$(awk '($3 == 0) != ($6 == 0)' "$T_DIR/results" | wc -l | tr -d ' ')
expect_eq "exactly one side won every race" "$one_winner" "$ROUNDS"
bad_loser=$(awk '{ l = $3 == 0 ? $6 : $3 } l != 65 && l != 75 && l != 77 { print }' \
	"$T_DIR/results" | head -3)
expect_eq "every loser was refused with 65, 75 or 77" "$bad_loser" ""
expect_eq "no 'locked' or 'busy' message, nor a server's" "$(grep -Eci "$LB_RAW_WORDS" "$T_DIR/race.err")" 0

# The log agrees: exactly one change per raced lead since the setup.
lb_sql "SELECT lead_id, count(*) FROM events WHERE seq > $setup_seq
	GROUP BY lead_id" | sort >"$T_DIR/applied"
doubled=$(awk -F'|' '$2 != 1' "$T_DIR/applied" | head -3)
expect_eq "no race was applied twice" "$doubled" ""
expect_eq "every race was applied once" "$(wc -l <"$T_DIR/applied" | tr -d ' ')" "$ROUNDS"

# The winner's change is the one stored.
lb_sql "SELECT id, stage || ' ' || coalesce(owner, '-') FROM leads" >"$T_DIR/rows"
mismatch=$(awk 'NR == FNR { split($0, f, "|"); row[f[1]] = f[2]; next }
	{
		kind = $1; id = $2; a_won = $3 == 0
		if (kind == 0) want = "sql -"
		else if (kind == 1) want = "mql -"
		else if (kind == 2) want = a_won ? "sql sam" : "sql sara"
		else want = a_won ? "sql -" : "discarded -"
		if (row[id] != want) { n++; printf "# %s: %s, expected %s\n", id, row[id], want >"/dev/stderr" }
	}
	END { print n + 0 }' "$T_DIR/rows" "$T_DIR/results")
expect_eq "each lead holds the winner's change" "$mismatch" 0

expect_file_intact "after the races"
expect_code 0 "leadboard verify is ok" "$LB" verify

# How often the two really overlapped in time (for people, not pass/fail).
overlap=$(awk '$4 < $8 && $7 < $5' "$T_DIR/results" | wc -l | tr -d ' ')
echo "# the two processes overlapped in $overlap of $ROUNDS races;" \
	"losers: $(awk '{ print $3 == 0 ? $6 : $3 }' "$T_DIR/results" | sort | uniq -c |
		awk '{ printf "%s x%s ", $2, $1 }')"
done_testing
