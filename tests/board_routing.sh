#!/bin/sh
# Routing on the board: a marketer's handoff reaches the routed rep's board,
# as theirs, without anyone claiming it; T logs a contact attempt after
# asking the rules (a marketer is refused at once, nothing written), the
# card counts the attempts; a board whose clock is past the next step marks
# the card due and m's due scope shows only the due leads; a handoff that found no rep
# and its escalation show in a manager's header. Each checked on the screen
# and in the database.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/board_tmux.lib"

new_board
"$LB" config set routing round-robin >/dev/null
# sara is away: sam is the one rep routing may pick
"$LB" user set sara --away >/dev/null
first=$(as maya add --name "Rita Routed" --email rita@acme.example --company Acme --stage mql)
second=$(as maya add --name "Otto Other" --email otto@acme.example --company Acme --stage mql)

# ---- the handoff reaches sam's board as his ----------------------------------------
board_start s 100 30 sam
expect_screen "sam's header: nothing of his yet" s ", 0 mine"
board_start m 100 30 maya
keys m l
wait_for m "Rita Routed" 3
keys m '>'
expect_screen "the handoff asks to confirm" m "Hand off Rita Routed"
keys m y
expect_screen "then takes an optional note for the rep" m "Note for the rep"
keys m Enter
expect_screen "the handoff is reported" m "handed off to SQL"
expect_screen "sam's header counts it as his, without a key pressed" s "0 found no rep" 5
expect_screen "... 1 mine" s ", 1 mine"
keys s l l
expect_screen "the card in SQL carries sam as its owner" s "@sam"
expect_eq "sam owns it in the database" "$(lead_field "$first" owner)" "sam"
expect_eq "nobody claimed it: routing assigned it in the handoff's change" \
	"$("$LB" log --lead "$first" --format json | jq -r '[.[] | .kind] | join(" ")')" \
	"create handoff assign"
expect_eq "the assign names the routing" \
	"$(sqlite3 "$LEADBOARD_DB" "SELECT rule FROM events WHERE kind = 'assign'")" \
	"routing: round-robin, turn 1"

# ---- T: a marketer is refused before any dialog --------------------------------------
keys m h h h h l l
wait_for m "Rita Routed" 3
before=$(db_digest)
keys m T
expect_screen "a marketer's T is refused at once, in the rules' words" m \
	"is owned by sam; only sam or a manager can change it"
expect_not_screen "... and no dialog opened" m "how?"
expect_eq "the refused touch wrote nothing" "$(db_digest)" "$before"

# ---- T: the owner logs a call with a next step -----------------------------------------
keys s T
expect_screen "T opens the channel picker" s "Contact with Rita Routed"
expect_screen "... counting the attempt" s "(attempt 1)"
keys s Enter
expect_screen "then asks for a note" s "Note (optional)"
keys s "left a voicemail" Enter
expect_screen "then for the next step" s "Next step"
keys s "soon" Enter
expect_screen "a next step that is not a time is named" s "'soon' is not a time to come"
keys s BSpace BSpace BSpace BSpace "2h" Enter
expect_screen "the contact is reported" s "call logged (attempt 1); next step"
expect_screen "the card counts the attempt" s "☎1"
expect_eq "the database has the contact" "$(last_event)" "contact sql sql call left a voicemail"
expect_eq "... and one attempt on the lead" "$(lead_field "$first" contact_attempts)" 1
expect_not_screen "the next step is not due yet" s "◷"

# ---- due: a board whose clock is past the next step --------------------------------------
as maya move "$second" sql >/dev/null
expect_eq "the second handoff went to sam too" "$(lead_field "$second" owner)" "sam"
later=$(date -u -d '+3 hours' +%Y-%m-%dT%H:%M:%SZ)
board_start d 100 30 sam "LEADBOARD_TEST_NOW=$later"
keys d l l
expect_screen "three hours on, the card's next step is due" d "◷ ☎1"
expect_screen "... and the other lead is there" d "Otto Other"
keys d m m m
expect_screen "m's fourth scope shows only the due leads" d "only leads whose next step is due"
expect_screen "... said in the header" d "· DUE"
wait_gone d "Otto Other" 3
expect_not_screen "the lead with no next step is gone from the due view" d "Otto Other"
expect_screen "the due lead stays" d "Rita Routed"
keys d m
expect_screen "m again shows every lead" d "Otto Other"

# ---- a handoff that finds no rep; the sweep escalates it ----------------------------------
"$LB" user set sam --away >/dev/null
third=$(as maya add --name "Nina Norep" --email nina@acme.example --company Acme --stage mql)
as maya move "$third" sql >/dev/null
expect_eq "with every rep away the handoff stays unclaimed" "$(lead_field "$third" owner)" "null"
board_start g 100 30 mona
expect_screen "a manager's header: the handoff that found no rep" g "1 found no rep"
expect_not_screen "... nothing escalated yet" g "escalated"
"$LB" config set sla_accept_hours 0 >/dev/null
expect_eq "the sweep escalates it" "$("$LB" sweep)" \
	"sweep: 0 routed, 1 escalated, 0 reclaimed (0 routed again), 0 still waiting for a rep"
expect_screen "the manager's header counts the escalation, without a key pressed" g \
	"1 escalated" 5
expect_screen "... a rep's header does not" s "1 overdue" 5
expect_not_screen "... (sam sees no escalations)" s "escalated"

# ---- the report view: speed to lead and routing, as the command line counts them ---------
keys g R
expect_screen "R shows speed to lead" g "Speed to lead: median"
expect_screen "... sam's row: one first contact within 5 minutes, one never; two routed" g \
	"sam                   1      0      0      0      1   routed 2, reclaimed 0"
expect_screen "... and the handoff that found no rep, escalated" g "found no rep 1, escalated 1"
keys g q

for b in s m d g; do keys "$b" q; done
wait_for g "BOARD EXITED" 3
expect_eq "q quits with status 0" "$(board_exited g)" "BOARD EXITED 0"
done_testing
