#!/bin/sh
# A lead's whole walk through the funnel by the real binary, the audit log
# checked after every step; then each refusal, its exit code, and proof that
# it wrote nothing.
. "$(dirname "$0")/lib.sh"

new_board walk

# last_event FIELD: a field of the newest event in `log --format json`
last_event() { "$LB" log --format json | jq -r ".[-1].$1"; }

# step DESC EXPECT-KIND FROM TO CMD...: the command succeeds and the newest
# event records exactly that step, by that actor, about this lead.
step() {
	desc=$1 kind=$2 from=$3 to=$4 actor=$5; shift 5
	before=$("$LB" log --format json | jq length)
	run as "$actor" "$@"
	if [ "$RC" -ne 0 ]; then not_ok "$desc" "exit $RC: $ERR"; return; fi
	json=$("$LB" log --format json)
	after=$(printf '%s' "$json" | jq length)
	got=$(printf '%s' "$json" | jq -r '.[-1] | "\(.kind) \(.from_stage) \(.to_stage) \(.actor) \(.lead_id)"')
	want="$kind $from $to $actor $ID"
	if [ "$after" -eq $((before + 1)) ] && [ "$got" = "$want" ]; then ok "$desc"
	else not_ok "$desc" "events $before -> $after" "newest: $got" "wanted: $want"; fi
}

run as maya add --name "Ana García" --email ana@acme.example --company Acme --score 40
ID=$OUT
expect_match "add prints the new id alone" "$ID" '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
expect_eq "create event starts the lead in lead" \
	"$(last_event kind) $(last_event to_stage) $(last_event from_stage)" "create lead null"
P=$(printf '%s' "$ID" | cut -c1-6)

step "lead -> mql by marketing" move lead mql maya move "$P" mql
step "mql -> sql is a handoff" handoff mql sql maya move "$P" sql
step "sam claims it" claim sql sql sam claim "$P"
step "sam passes it back with a reason" passback sql mql sam move "$P" mql --reason not-ready --note "call in March"
expect_eq "the pass-back carries reason and note" \
	"$(last_event reason)|$(last_event note)" "not-ready|call in March"
expect_eq "recycle count is 1" "$("$LB" show "$P" --format json | jq .recycle_count)" 1
step "handed off again" handoff mql sql marco move "$P" sql
step "sql -> opportunity" move sql opportunity sara move "$P" opportunity
step "opportunity -> customer" move opportunity customer sara move "$P" customer
expect_eq "the lead is a customer" "$("$LB" show "$P" --format json | jq -r .stage)" customer
expect_eq "handoff count is 2" "$("$LB" show "$P" --format json | jq .handoff_count)" 2

# Replaying the log from empty gives the stage.
replayed=$("$LB" log --lead "$P" --format json | jq -r '[.[] | select(.to_stage != null)][-1].to_stage')
expect_eq "replaying the lead's events ends in its stage" "$replayed" customer

# ---- refusals: exit code, the rule's words, and nothing written -------------
run as maya add --name "Bo Berg" --email bo@globex.example --company Globex
BO=$(printf '%s' "$OUT" | cut -c1-8)
as maya move "$BO" mql >/dev/null
as maya move "$BO" sql >/dev/null

refuse() {
	code=$1 desc=$2 pattern=$3; shift 3
	before=$(db_digest)
	expect_code "$code" "$desc (exit $code)" "$@"
	expect_match "$desc: says why" "$ERR" "^leadboard: .*$pattern"
	expect_eq "$desc: leads and events unchanged" "$(db_digest)" "$before"
}

refuse 77 "wrong team" "owned by sales; marketing cannot move it" as maya move "$BO" opportunity
refuse 65 "pass-back without a reason" "needs a reason" as sam move "$BO" mql
refuse 65 "unknown reason code" "no reason code 'tired'" as sam move "$BO" mql --reason tired
refuse 65 "out of a terminal stage" "terminal stage" as sara move "$P" opportunity --reason not-ready
refuse 65 "unknown stage" "no stage 'closed'" as sam move "$BO" closed
refuse 66 "unknown id" "no lead" as sam move ffffffff opportunity
refuse 64 "id prefix too short" "at least 4" as sam move ab opportunity
refuse 65 "same stage" "already in SQL" as sam move "$BO" sql
refuse 77 "manager without override" "only with --override" as mona move "$BO" opportunity
refuse 65 "override without a justification" "justification" as mona move "$BO" opportunity --override
refuse 77 "override by a rep" "only a manager can override" as sam move "$BO" customer --override --note "because"
refuse 64 "missing argument" "missing argument" as sam move "$BO"
refuse 64 "unknown option" "unknown option --force" as sam move "$BO" opportunity --force
refuse 77 "a login that is not a member" "not a member of this board.*user add zed" as zed list
as sam move "$BO" mql --reason no-budget >/dev/null
as maya move "$BO" sql >/dev/null
as sam move "$BO" mql --reason no-budget >/dev/null
refuse 65 "a third handoff past max_handoffs" "handed off 2 times and max_handoffs is 2" \
	as maya move "$BO" sql

# --as is for root and the database's owner only.
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	lb_on_pg || chmod 0666 "$LEADBOARD_DB" "$LEADBOARD_DB-wal" "$LEADBOARD_DB-shm" 2>/dev/null
	lb_for_anyone
	chmod 0777 "$T_DIR"
	before=$(db_digest)
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$LB_ANYONE" --db "$LEADBOARD_DB" --as maya move "$BO" lead --reason bad-fit
	expect_eq "--as by a user who does not own the file: exit 77" "$RC" 77
	expect_match "--as by a non-owner: says who may" "$ERR" "^leadboard: --as is only for root or the owner"
	expect_eq "--as by a non-owner: leads and events unchanged" "$(db_digest)" "$before"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups env USER=maya LOGNAME=maya "$LB_ANYONE" --db "$LEADBOARD_DB" list
	expect_eq "USER=maya does not make nobody maya: exit 77" "$RC" 77
	expect_match "nobody is told the admin's command" "$ERR" "nobody is not a member.*user add nobody"
else
	skip "--as by a user who does not own the file" "needs root and the nobody user"
fi

# The owner's override goes on the record with the rule it set aside.
run as mona move "$BO" sql --override --note "CEO asked for a third try"
expect_eq "a manager's override succeeds" "$RC" 0
expect_eq "it is logged as an override" "$(last_event kind)" override
expect_match "with the rule it set aside" "$(last_event rule)" "max_handoffs"
expect_eq "and the justification" "$(last_event note)" "CEO asked for a third try"

run "$LB" verify
expect_eq "verify: the hash chain holds after all of it" "$RC" 0
done_testing
