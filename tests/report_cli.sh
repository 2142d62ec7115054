#!/bin/sh
# leadboard report by the real binary: a known history gives known numbers
# in JSON, the table fits 80 columns, periods and errors behave.
. "$(dirname "$0")/lib.sh"

new_board report
"$LB" config set sla_sqls_per_month 5 >/dev/null

A=$(as maya add --name Ana --email ana@x.example --company Acme --stage mql)
B=$(as maya add --name Bo --email bo@x.example --company Globex --stage mql)
C=$(as marco add --name Cy --email cy@x.example --company Initech)
D=$(as marco add --name Di --email di@x.example)
as maya move "$A" sql >/dev/null
as maya move "$B" sql >/dev/null
as sam claim "$A" >/dev/null
as mona assign "$B" sara >/dev/null
as sam move "$A" opportunity >/dev/null
as sara move "$B" mql --reason no-budget >/dev/null
as maya move "$B" sql >/dev/null                      # recycled, handed off again
as marco move "$C" mql >/dev/null
as mona move "$C" sql --override --note "board decision" >/dev/null   # gate or not: a handoff
as marco discard "$D" --reason bad-data >/dev/null

run "$LB" report --format json
expect_eq "report --format json: exit 0" "$RC" 0
R=$OUT
j() { printf '%s' "$R" | jq -c "$1"; }
expect_eq "events about leads" "$(j .events)" 14
expect_eq "created per stage" "$(j '[.stages[] | .created]')" "[2,2,0,0,0]"
expect_eq "now per stage" "$(j '[.stages[] | .now]')" "[0,0,2,1,0]"
expect_eq "discarded now" "$(j .discarded_now)" 1
expect_eq "handoffs: four, one of them an override" "$(j '[.handoffs, .handoffs_by_override]')" "[4,1]"
expect_eq "one pass-back, no-budget" "$(j '[.passbacks, .passbacks_by_reason]')" \
	'[1,[{"reason":"no-budget","count":1}]]'
expect_eq "pass-back rate" "$(j .passback_rate)" 0.25
expect_eq "conversion lead -> mql" "$(j '.conversion[0] | [.entered, .reached, .rate]')" "[2,1,0.5]"
expect_eq "conversion mql -> sql" "$(j '.conversion[1] | [.entered, .reached, .rate]')" "[3,3,1]"
expect_eq "conversion sql -> opportunity" "$(j '.conversion[2] | [.entered, .reached, .rate]')" \
	"[3,1,0.3333]"
expect_eq "recycled and handed off again" "$(j '.recycled | [.handed_off_again, .passed_back_again, .now.sql]')" \
	"[1,0,1]"
expect_eq "SLA: four handoffs, two claimed in time, two still within the time" \
	"$(j '.sla | [.handoffs, .claimed_in_time, .claimed_late, .not_claimed, .pending]')" "[4,2,0,0,2]"
expect_eq "SQLs against the monthly target" "$(j '.sqls | [.delivered, .target_per_month]')" "[4,5]"
expect_eq "people: sam" "$(j '.people[] | select(.login == "sam") | [.role, .claims, .moves, .passbacks]')" \
	'["sales",1,1,0]'
expect_eq "people: sara got one assignment" \
	"$(j '.people[] | select(.login == "sara") | [.assigned_to_them, .passbacks]')" "[1,1]"
expect_eq "people: mona" "$(j '.people[] | select(.login == "mona") | [.assigns, .overrides]')" "[1,1]"
# Who the members are, and their roles, is for those who may list them (user list).
rep_people=$(as sam report --format json | jq -c '[.people[] | [.login, .role]]')
expect_eq "a rep's report names who acted, without roles or idle members" "$rep_people" \
	'[["marco",null],["maya",null],["mona",null],["sam",null],["sara",null]]'
expect_eq "... as user list refuses a rep" "$(as sam user list 2>&1 >/dev/null)" \
	"leadboard: only an admin or a manager lists the board's members (you are sales)"
expect_eq "a manager's report has every member with a role" \
	"$(as mona report --format json | jq -c '[.people[] | select(.role == null)] | length')" 0
expect_eq "the stage counts agree with list" \
	"$(j '.stages[2].now')" "$("$LB" list --stage sql --format json | jq length)"

run "$LB" report
expect_eq "the table: exit 0" "$RC" 0
expect_match "the table has the funnel" "$OUT" 'Opportunity +0 +1 +1'
widest=$(printf '%s\n' "$OUT" | awk '{ if (length($0) > w) w = length($0) } END { print w }')
if [ "$widest" -le 80 ]; then ok "the table fits 80 columns ($widest)"
else not_ok "the table fits 80 columns" "widest line: $widest"; fi

expect_eq "--until before anything: nothing happened" \
	"$("$LB" report --until 2000-01-01 --format json | jq '[.events, .handoffs, .stages[0].now]' -c)" "[0,0,0]"
expect_eq "--since in the future: no events, but the state now" \
	"$("$LB" report --since 2999-01-01 --until 3000-01-01 --format json | jq -c '[.events, .stages[2].now]')" "[0,2]"
expect_eq "--since 1h: everything" "$("$LB" report --since 1h --format json | jq .events)" 14
expect_code 64 "--until before --since" "$LB" report --since 2026-02-01 --until 2026-01-01
expect_code 64 "a bad time" "$LB" report --since lastweek
expect_code 64 "no csv" "$LB" report --format csv
expect_code 77 "a stranger may not read it" env LEADBOARD_DB="$LEADBOARD_DB" "$LB" --as nobody report

done_testing
