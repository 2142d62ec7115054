#!/bin/sh
# leadboard log: every filter (lead, actor, kind, stage, reason, since,
# until with ISO-8601 and relative times), the three formats, and --follow
# printing a change made by another process within 2 s.
. "$(dirname "$0")/lib.sh"

new_board log

# A small history: two leads, a handoff, a claim, a pass-back, a discard.
A=$(as maya add --name "Ana" --email ana@acme.example --company Acme --stage mql)
B=$(as marco add --name "Bo" --email bo@globex.example --company Globex)
as maya move "$A" sql >/dev/null
as sam claim "$A" >/dev/null
as sam move "$A" mql --reason no-budget --note "next year" >/dev/null
as marco discard "$B" --reason bad-data >/dev/null

lead_events=$("$LB" log --format json | jq '[.[] | select(.lead_id != null)] | length')
expect_eq "six events about leads" "$lead_events" 6

# count ARGS...: events `log --format json ARGS` prints
count() { "$LB" log --format json "$@" | jq length; }

expect_eq "--lead with a prefix: Ana's four events" "$(count --lead "$(echo "$A" | cut -c1-6)")" 4
expect_eq "--lead with the full id" "$(count --lead "$B")" 2
expect_eq "--actor sam" "$(count --actor sam)" 2
expect_eq "--actor nobody" "$(count --actor nobody)" 0
expect_eq "--kind create" "$(count --kind create)" 2
expect_eq "--kind passback" "$(count --kind passback)" 1
expect_eq "--stage sql: from or to" "$(count --stage sql)" 3
expect_eq "--stage discarded" "$(count --stage discarded)" 1
expect_eq "--reason no-budget" "$(count --reason no-budget)" 1
expect_eq "--reason bad-data" "$(count --reason bad-data)" 1
expect_eq "filters combine: --actor sam --kind claim" "$(count --actor sam --kind claim)" 1
expect_code 64 "--kind with an unknown kind is a usage error" "$LB" log --kind promote
expect_code 66 "--lead with no such lead" "$LB" log --lead 0000dead

# Times: the claim's own timestamp splits the log exactly.
CLAIM_AT=$("$LB" log --kind claim --format json | jq -r '.[0].at')
CLAIM_SEQ=$("$LB" log --kind claim --format json | jq -r '.[0].seq')
total=$(count)
before=$("$LB" log --format json | jq --argjson s "$CLAIM_SEQ" '[.[] | select(.seq < $s)] | length')
since_n=$(count --since "$CLAIM_AT")
until_n=$(count --until "$CLAIM_AT")
# events in the same millisecond as the claim fall on the since side
same_ms=$("$LB" log --format json | jq --arg t "$CLAIM_AT" '[.[] | select(.at == $t)] | length')
expect_eq "--since and --until at one instant split the log" "$((since_n + until_n))" "$total"
if [ "$until_n" -le "$before" ] && [ "$since_n" -ge "$((total - before))" ] &&
   [ "$((until_n + same_ms))" -ge "$before" ]; then
	ok "--until T excludes events at T, --since T includes them"
else
	not_ok "--until T excludes events at T, --since T includes them" \
		"total $total, before the claim $before, since $since_n, until $until_n"
fi
expect_eq "--since 2000-01-01 (a date)" "$(count --since 2000-01-01)" "$total"
expect_eq "--since 2999-01-01T00:00Z (in the future)" "$(count --since 2999-01-01T00:00Z)" 0
expect_eq "--until 2000-01-01T09:00:00+02:00" "$(count --until 2000-01-01T09:00:00+02:00)" 0
expect_eq "--since 90m (relative)" "$(count --since 90m)" "$total"
expect_eq "--since 7d" "$(count --since 7d)" "$total"
expect_eq "--until 24h: nothing is that old" "$(count --until 24h)" 0
expect_eq "--since 1h --until 2999-01-01" "$(count --since 1h --until 2999-01-01)" "$total"
expect_code 64 "--since with a bad time" "$LB" log --since yesterday
expect_code 65 "--until with a month that does not exist (65, like 2026-02-30)" "$LB" log --until 2026-13-01

# Formats.
run "$LB" log --kind create --format csv
expect_eq "csv: a header and one line per event" "$(printf '%s\n' "$OUT" | wc -l)" 3
expect_match "csv header names the fields" "$(printf '%s\n' "$OUT" | head -1)" \
	'^seq,at,actor,real_user,lead_id,kind,from_stage,to_stage,reason,note'
run "$LB" log --kind passback
expect_match "table: a header" "$(printf '%s\n' "$OUT" | head -1)" '^TIME +ACTOR +LEAD +KIND'
expect_match "table: the pass-back row" "$(printf '%s\n' "$OUT" | tail -1)" 'sam(\([^)]*\))? +[0-9a-f]{8} Ana +passback +SQL -> MQL +no-budget +next year'
expect_eq "json: the note" "$("$LB" log --kind passback --format json | jq -r '.[0].note')" "next year"

# --follow: JSON lines, new events without delay, filters still apply.
wait_lines() {   # FILE N: wait (up to 20 s) for FILE to have N lines
	poll_start
	until [ "$(wc -l <"$1")" -ge "$2" ]; do
		poll_over 20 && return 1
		poll_pause
	done
}

"$LB" log --follow --format json >"$T_DIR/follow.out" 2>"$T_DIR/follow.err" &
FOLLOW=$!
"$LB" log --follow --format json --kind claim >"$T_DIR/claims.out" 2>&1 &
CLAIMS=$!
n=$(count)
if wait_lines "$T_DIR/follow.out" "$n"; then ok "--follow first prints the log as JSON lines"
else not_ok "--follow first prints the log as JSON lines" "$(cat "$T_DIR/follow.out")"; fi
wait_lines "$T_DIR/claims.out" 1
as maya move "$A" sql >/dev/null
as sara claim "$A" >/dev/null
if wait_lines "$T_DIR/follow.out" $((n + 2)); then
	ok "a handoff and a claim by other processes appear"
else
	not_ok "a handoff and a claim by other processes appear" "$(cat "$T_DIR/follow.out")"
fi
if wait_lines "$T_DIR/claims.out" 2; then ok "--follow --kind claim sees the new claim"
else not_ok "--follow --kind claim sees the new claim" "$(cat "$T_DIR/claims.out")"; fi
# One change more, waited for: the followers have polled again since the
# claim, and nothing may have come twice.
as marco add --name "Cy" --email cy@initech.example >/dev/null
wait_lines "$T_DIR/follow.out" $((n + 3))
expect_eq "every line is one event, none twice" \
	"$(jq -s 'map(.seq) | if length == (unique | length) then length else "duplicates" end' "$T_DIR/follow.out")" "$((n + 3))"
expect_eq "--follow --kind claim printed only claims" \
	"$(jq -rs 'map(.kind) | unique | join(",")' "$T_DIR/claims.out")" claim
expect_eq "the newest followed events: sara's claim, then marco's new lead" \
	"$(tail -2 "$T_DIR/follow.out" | jq -rs 'map("\(.kind) \(.actor)") | join(", ")')" \
	"claim sara, create marco"
kill "$FOLLOW" "$CLAIMS"
wait "$FOLLOW" 2>/dev/null
rc=$?
expect_eq "killed with SIGTERM, --follow exits cleanly" "$rc" 0
wait "$CLAIMS" 2>/dev/null

# --follow after a filter that matches nothing yet: the first match appears.
# The change comes once the follower has read the log and sleeps between
# polls: otherwise its first read, not its following, would find it.
"$LB" log --follow --format json --reason competitor >"$T_DIR/none.out" 2>&1 &
NONE=$!
following() {   # PID: has the database open and sleeps, twice in a row
	deadline=$(($(date +%s) + 20)) calm=0
	while [ "$calm" -lt 2 ] && [ "$(date +%s)" -lt "$deadline" ]; do
		if ls -l "/proc/$1/fd" 2>/dev/null | grep -qF "$LEADBOARD_DB" &&
		   [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" = S ]; then
			calm=$((calm + 1))
		else
			calm=0
		fi
		sleep 0.05
	done
}
following "$NONE"
as sara move "$A" mql --reason competitor >/dev/null
if wait_lines "$T_DIR/none.out" 1; then ok "--follow with no match yet prints the first match"
else not_ok "--follow with no match yet prints the first match"; fi
kill "$NONE"
wait "$NONE" 2>/dev/null

done_testing
