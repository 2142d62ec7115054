#!/bin/sh
# Routing, contact attempts and the sweep through the command line, on a
# fixed clock (LEADBOARD_TEST_NOW), with their exit codes and words: the
# same script on a SQLite file and on a PostgreSQL database.
. "$(dirname "$0")/lib.sh"

field() { "$LB" show "$1" --format json | jq -r ".$2"; }
newest() { "$LB" log --format json | jq -r ".[-1].$1"; }
at() { LEADBOARD_TEST_NOW=$1; export LEADBOARD_TEST_NOW; }
mk() { as maya add --stage mql --company Acme "$@"; }

# The whole suite on the database in LEADBOARD_DB, with the test team and
# steve, a third rep. $1 names the engine in each check.
suite() {
	on=$1
	"$LB" user add steve --role sales >/dev/null
	at 2026-03-27T14:00:00Z                    # a Friday, 15:00 in Berlin

	# ---- settings -----------------------------------------------------------
	expect_code 65 "$on: routing takes off, round-robin or least-loaded" \
		"$LB" config set routing random
	expect_eq "$on: ... saying so" "$ERR" \
		"leadboard: routing is off, round-robin or least-loaded, not 'random'"
	expect_code 65 "$on: a zone the tz database lacks is refused" \
		"$LB" config set timezone Europe/Atlantis
	expect_match "$on: ... naming the database" "$ERR" "no time zone 'Europe/Atlantis'"
	expect_code 65 "$on: a schedule that is not one is refused" \
		"$LB" config set sla_hours "Mon-Fri 9-5"
	expect_match "$on: ... saying how to write one" "$ERR" "HH:MM-HH:MM"
	expect_code 0 "$on: business hours" "$LB" config set sla_hours "Mon-Fri 09:00-17:00"
	expect_code 0 "$on: in Berlin" "$LB" config set timezone Europe/Berlin
	expect_code 0 "$on: routing on" "$LB" config set routing round-robin
	expect_eq "$on: the setting is logged" "$(newest kind) $(newest note)" \
		"setting routing: 'off' -> 'round-robin'"

	# ---- routing ------------------------------------------------------------
	A=$(mk --name Ada --email ada@x.example)
	run as maya move "$A" sql
	expect_eq "$on: a handoff says where routing sent it" "$OUT" \
"lead $(echo "$A" | cut -c1-8) (Ada): MQL -> SQL (handoff)
lead $(echo "$A" | cut -c1-8) (Ada) routed to sam (routing: round-robin, turn 1)"
	expect_eq "$on: the rep owns it without claiming" "$(field "$A" owner)" sam
	expect_eq "$on: routing's assign is its own event, by the marketer" \
		"$(newest kind)|$(newest actor)|$(newest note)|$(newest rule)" \
		"assign|maya|sam|routing: round-robin, turn 1"
	expect_match "$on: sam's list of his own has it" "$(as sam list --owner sam)" "Ada"
	B=$(mk --name Bo --email bo@x.example); as maya move "$B" sql >/dev/null
	C=$(mk --name Cy --email cy@x.example); as maya move "$C" sql >/dev/null
	D=$(mk --name Di --email di@x.example); as maya move "$D" sql >/dev/null
	expect_eq "$on: round-robin goes round" \
		"$(field "$B" owner) $(field "$C" owner) $(field "$D" owner)" "sara steve sam"

	# ---- who takes new leads ---------------------------------------------------
	expect_code 77 "$on: a rep does not say another is away (exit 77)" \
		as sara user set sam --away
	expect_code 0 "$on: a rep says they are away themselves" as sara user set sara --away
	expect_code 0 "$on: a manager says a rep is away until Monday" \
		as mona user set steve --away --until 2026-03-30T07:00:00Z
	expect_code 64 "$on: --until without --away (exit 64)" as mona user set sam --until 2h
	expect_code 77 "$on: a rep does not set territories (exit 77)" \
		as sam user set sam --territory DE
	expect_code 65 "$on: a territory is a country code (exit 65)" \
		as mona user set sam --territory Germany
	expect_code 0 "$on: a manager sets territories and segments" \
		as mona user set sam --territory "de, at" --segments b2b
	expect_match "$on: user list says who is away and what they cover" "$("$LB" user list)" \
		"sam +sales +active territories DE,AT segments b2b"
	expect_match "$on: ... and until when" "$("$LB" user list)" \
		"steve +sales +active away until 2026-03-30 07:00"
	E=$(mk --name Ed --email ed@x.example --country FR --segment b2b)
	out=$(as maya move "$E" sql)
	expect_eq "$on: no eligible rep: the handoff waits, unclaimed" "$(field "$E" owner)" null
	expect_match "$on: ... and says so" "$out" "found no rep: nobody is eligible for routing now"
	expect_eq "$on: ... in the handoff's own event" \
		"$("$LB" log --lead "$E" --kind handoff --format json | jq -r '.[0].rule')" \
		"routing found no rep: round-robin"
	F=$(mk --name Flo --email flo@x.example --country AT --segment b2b)
	as maya move "$F" sql >/dev/null
	expect_eq "$on: the rep covering Austria gets an Austrian lead" "$(field "$F" owner)" sam
	as sara user set sara --back >/dev/null

	# ---- contact attempts ---------------------------------------------------------
	expect_code 64 "$on: touch needs a channel (exit 64)" as sam touch "$A"
	expect_code 65 "$on: a channel that is not one (exit 65)" as sam touch "$A" --channel fax
	expect_code 64 "$on: --next that is not a time to come (exit 64)" \
		as sam touch "$A" --channel call --next soon
	before=$(db_digest_any)
	expect_code 77 "$on: another rep does not log contact with sam's lead (exit 77)" \
		as sara touch "$A" --channel call
	expect_code 77 "$on: nor does marketing (exit 77)" as maya touch "$A" --channel call
	expect_eq "$on: refusals write nothing" "$(db_digest_any)" "$before"
	run as sam touch "$A" --channel call --note "Voicemail" --next 3d
	expect_eq "$on: a touch says the attempt and the next step" "$OUT" \
		"lead $(echo "$A" | cut -c1-8) (Ada): contact attempt 1 (call); next step 2026-03-30 14:00"
	expect_eq "$on: the contact event: channel, note, next step" \
		"$(newest kind)|$(newest reason)|$(newest note)|$(newest rule)" \
		"contact|call|Voicemail|next step at 2026-03-30T14:00:00.000Z"
	expect_code 0 "$on: a manager logs one too" as mona touch "$A" --channel meeting
	expect_eq "$on: the lead counts its attempts" \
		"$(field "$A" contact_attempts) $(field "$A" next_step_at)" "2 null"
	as sam touch "$A" --channel email --next 2026-03-28T09:00:00Z >/dev/null
	expect_eq "$on: list --due is empty before the step is due" "$(as sam list --due --format csv | wc -l)" 1
	at 2026-03-28T10:00:00Z
	expect_match "$on: list --due lists it once due" "$(as sam list --due)" "Ada .* due"
	expect_match "$on: its flags show the attempts" "$(as sam list --due)" "☎3"
	at 2026-03-27T14:00:00Z

	"$LB" config set min_attempts 2 >/dev/null
	as sam touch "$F" --channel call >/dev/null
	expect_code 65 "$on: a no-response pass-back under min_attempts (exit 65)" \
		as sam move "$F" mql --reason no-response
	expect_eq "$on: ... saying how many were made" "$ERR" \
		"leadboard: passing lead $(echo "$F" | cut -c1-8) (Flo) back as no-response needs 2 contact attempts (min_attempts); 1 was made (leadboard touch $(echo "$F" | cut -c1-8) --channel ...)"
	as sam touch "$F" --channel email >/dev/null
	expect_code 0 "$on: with enough attempts it goes back" as sam move "$F" mql --reason no-response
	"$LB" config set min_attempts 0 >/dev/null

	# ---- the sweep, across the weekend and the change to summer time ----------------
	"$LB" config set routing off >/dev/null
	"$LB" config set sla_accept_hours 2 >/dev/null
	"$LB" config set sla_contact_hours 4 >/dev/null
	at 2026-03-27T15:00:00Z                    # Fri 16:00 CET
	G=$(mk --name Gus --email gus@x.example); as maya move "$G" sql >/dev/null
	at 2026-03-30T07:59:00Z                    # Mon 09:59 CEST: one business hour
	run "$LB" sweep
	expect_eq "$on: on Monday at 09:59 nothing is overdue yet (Ed's since 15:00 is)" "$OUT" \
		"sweep: 0 routed, 1 escalated, 0 reclaimed (0 routed again), 0 still waiting for a rep"
	expect_eq "$on: Gus is not escalated yet" "$(field "$G" escalated_at)" null
	at 2026-03-30T08:00:00Z                    # Mon 10:00 CEST: two
	expect_code 0 "$on: at 10:00 the sweep acts (exit 0)" "$LB" sweep
	expect_eq "$on: ... with a one-line summary" "$OUT" \
		"sweep: 0 routed, 1 escalated, 0 reclaimed (0 routed again), 0 still waiting for a rep"
	expect_eq "$on: Gus is escalated, by the sweep" \
		"$(field "$G" escalated_at)|$(newest kind)|$(newest actor)|$(newest real_user)|$(newest rule)" \
		"2026-03-30T08:00:00.000Z|escalate|leadboard|root|sla: unclaimed for 2 business hours (sla_accept_hours)"
	expect_match "$on: the list flags it" "$("$LB" list --stage sql)" "Gus .*overdue escalated"
	expect_code 0 "$on: a second sweep at once" "$LB" sweep
	expect_eq "$on: ... does nothing again" "$OUT" \
		"sweep: 0 routed, 0 escalated, 0 reclaimed (0 routed again), 0 still waiting for a rep"

	# owned since Mon 10:00, no contact: breached at 14:00
	as mona assign "$G" sara >/dev/null
	at 2026-03-30T11:59:00Z
	run "$LB" sweep
	expect_eq "$on: at 13:59 the leads routed on Friday at 15:00 are past four business hours" \
		"$OUT" "sweep: 0 routed, 0 escalated, 3 reclaimed (0 routed again), 0 still waiting for a rep"
	expect_eq "$on: ... and sara still has Gus" "$(field "$G" owner)" sara
	at 2026-03-30T12:00:00Z
	run "$LB" sweep
	expect_eq "$on: at 14:00 Gus is taken back, and the three back unclaimed escalated" "$OUT" \
		"sweep: 0 routed, 3 escalated, 1 reclaimed (0 routed again), 0 still waiting for a rep"
	expect_eq "$on: Gus is nobody's again" "$(field "$G" owner)" null
	expect_eq "$on: the reclaim names the rule and the rep" \
		"$("$LB" log --lead "$G" --kind reclaim --format json | jq -r '.[0] | [.actor, .reason, .note, .rule] | join("|")')" \
		"leadboard|sla-breach|sara|sla: no contact attempt within 4 business hours of getting it (sla_contact_hours)"
	expect_eq "$on: Ada, contacted, stays sam's" "$(field "$A" owner)" sam

	# routing on again: the sweep gives the unclaimed ones to a rep
	"$LB" config set routing least-loaded >/dev/null
	as mona user set steve --back >/dev/null 2>&1
	at 2026-03-30T12:01:00Z
	run "$LB" sweep
	expect_match "$on: with routing on, the sweep routes what waits" "$OUT" "^sweep: [1-9][0-9]* routed"
	expect_eq "$on: ... Gus included, by least-loaded" \
		"$("$LB" log --lead "$G" --kind assign --format json | jq -r '.[-1].rule' | cut -d, -f1)" \
		"routing: least-loaded"

	# ---- a stage's own idle limit ---------------------------------------------------
	expect_code 0 "$on: stages set --idle-days" "$LB" stages set opportunity --idle-days 3
	expect_match "$on: stages shows it" "$("$LB" stages)" "opportunity +Opportunity \(idle limit 3 days\)"
	expect_code 0 "$on: --idle-days default" "$LB" stages set opportunity --idle-days default
	expect_code 65 "$on: no such stage (exit 65)" "$LB" stages set nowhere --idle-days 2
	expect_code 77 "$on: a rep does not set it (exit 77)" as sam stages set sql --idle-days 2

	# ---- the report's figures against the log, counted here ---------------------------
	R=$("$LB" report --format json)
	L=$("$LB" log --format json)
	expect_eq "$on: report: routed, found no rep, escalated, reclaimed, as the log has them" \
		"$(json_get "$R" '.contact | [.routed, .found_no_rep, .escalated, .reclaimed] | join(" ")')" \
		"$(json_get "$L" '[([.[] | select(.kind == "assign" and ((.rule // "") | startswith("routing:")))] | length),
			([.[] | select(.kind == "handoff" and ((.rule // "") | startswith("routing found no rep:")))] | length),
			([.[] | select(.kind == "escalate")] | length),
			([.[] | select(.kind == "reclaim")] | length)] | join(" ")')"
	expect_eq "$on: report: the reps' routed leads, from the log" \
		"$(json_get "$R" '[.people[] | select(.routed_to_them > 0) | "\(.login)=\(.routed_to_them)"] | join(" ")')" \
		"$(json_get "$L" '[.[] | select(.kind == "assign" and ((.rule // "") | startswith("routing:"))) | .note] | group_by(.) | map("\(.[0])=\(length)") | join(" ")')"
	expect_eq "$on: report: every handoff in one speed-to-lead bucket" \
		"$(json_get "$R" '.contact.speed_to_lead | [.to_5_min, .to_1_hour, .to_24_hours, .over_24_hours, .never] | add')" \
		"$(json_get "$L" '[.[] | select(.kind == "handoff")] | length')"

	expect_code 0 "$on: verify replays every change" "$LB" verify
	unset LEADBOARD_TEST_NOW
}

db_digest_any() { "$LB" log --format json | jq -c 'length'; "$LB" export | sha256sum; }

new_board routing
suite sqlite

# The export keeps the contact columns, and an admin's import restores them.
"$LB" export >"$T_DIR/export.csv"
expect_match "the export has the contact columns" "$(head -1 "$T_DIR/export.csv")" \
	"contact_attempts,first_contact_at,last_contact_at,next_step_at,owner_since,escalated_at"
export LEADBOARD_DB="$T_DIR/restored.db"
"$LB" init >/dev/null
for u in maya marco sam sara steve; do "$LB" user add $u --role sales >/dev/null; done
expect_code 0 "an admin imports the export" "$LB" import "$T_DIR/export.csv"
expect_eq "... and exports it again the same" "$("$LB" export | sha256sum)" \
	"$(sha256sum <"$T_DIR/export.csv")"
expect_code 0 "... and the restored board verifies" "$LB" verify

# ... and on PostgreSQL: new_board starts the script's own server (lib.sh)
LB_BACKEND=pg
new_board routing
suite postgresql
done_testing
