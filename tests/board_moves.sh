#!/bin/sh
# The board changes leads through the door: a handoff with confirmation, a
# pass-back with a reason picked in the dialog, Esc cancelling with nothing
# written, a refused move showing the rule, claim, discard with the picker,
# the recycle view and the overdue marker. Each checked on the screen and in
# the database.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/board_tmux.lib"

new_board
ready=$(as maya add --name "Alice Ready" --email alice@acme.example --company Acme --stage mql)
as maya add --name "Nora Nocompany" --email nora@example.org --stage mql >/dev/null
fresh=$(as maya add --name "Lena Fresh" --email lena@example.org --company Fresh)
# the board's messages name a lead by its name and short id
alice="Alice Ready ($(echo "$ready" | cut -c1-8))"
lena="Lena Fresh ($(echo "$fresh" | cut -c1-8))"

# ---- a refused move shows the rule; nothing is written ------------------------
board_start m 100 30 maya
expect_screen "the header counts MQLs ready to hand off" m "1 ready to hand off"
keys m l
check="$(printf '\342\234\223')"   # the gate's check mark
expect_eq "the ready MQL is marked $check, on its card's company line" \
	"$(screen m | grep -c "$check")/$(screen_lines m Acme | grep -c "$check")" "1/1"
before=$(db_digest)
keys m j '>'
expect_screen "a refused handoff names the unmet gate criterion" m "company missing"
expect_screen "... in the command line's words" m "does not meet the handoff gate"
expect_eq "the refused handoff wrote nothing" "$(db_digest)" "$before"

# ---- a handoff asks to confirm; n cancels, y hands off ----------------------------
keys m k '>'
expect_screen "the handoff asks to confirm" m "Hand off $alice to sales"
keys m n
expect_screen "declining the handoff says nothing changed" m "handoff cancelled"
expect_eq "declining the handoff wrote nothing" "$(db_digest)" "$before"
keys m '>'
wait_for m "Hand off Alice Ready"
keys m y
expect_screen "then a note for the rep, which may stay empty" m "Note for the rep (optional)"
keys m Escape
expect_screen "Esc at the note cancels the handoff" m "handoff cancelled; nothing changed"
expect_eq "... and writes nothing" "$(db_digest)" "$before"
keys m '>'
wait_for m "Hand off Alice Ready" 3
keys m y
wait_for m "Note for the rep (optional)" 3
keys m "Budget approved in May" Enter
expect_screen "the handoff is reported, by name and id" m "$alice handed off to SQL"
expect_eq "the database has the handoff with its note" "$(last_event)" \
	"handoff mql sql null Budget approved in May"
expect_eq "the lead is in sql" "$(lead_field "$ready" stage)" "sql"

# ---- discard with the reason picker ------------------------------------------------
keys m h
keys m d
expect_screen "discard opens the reason picker" m "Discard Lena Fresh"
keys m Down Enter
expect_screen "then asks for a note" m "Note (optional)"
keys m "dup of 42" Enter
expect_screen "the discard is reported" m "$lena discarded (no-budget)"
expect_eq "the database has the discard with reason and note" "$(last_event)" \
	"discard lead discarded no-budget dup of 42"
expect_match "the discarded lead leaves the board: Lead counts 0" "$(screen_lines m MQL)" " Lead +0 "
expect_eq "... and only the status line names it" "$(screen_lines m "Lena Fresh")" \
	"$(screen_lines m "discarded (no-budget)")"
keys m q
wait_for m "BOARD EXITED"
expect_eq "q quits with status 0" "$(board_exited m)" "BOARD EXITED 0"

# ---- the overdue marker (sla_accept_hours 0: every unclaimed handoff) ---------------
"$LB" config set sla_accept_hours 0 >/dev/null
board_start s 100 30 sam
expect_screen "the header counts the overdue handoff" s "1 overdue"
keys s l l
expect_screen "the overdue card is marked" s "! now"

# ---- Esc cancels the pass-back at the picker and at the note ------------------------
before=$(db_digest)
keys s '<'
expect_screen "a backward move opens the reason picker" s "Pass back Alice Ready"
keys s Escape
expect_screen "Esc at the picker cancels" s "cancelled; nothing changed"
keys s '<'
wait_for s "Pass back Alice Ready"
keys s Enter
wait_for s "Note (optional)"
keys s "half a note" Escape
expect_screen "Esc at the note cancels" s "cancelled; nothing changed"
expect_eq "the cancelled dialogs wrote nothing" "$(db_digest)" "$before"

# ---- claim ---------------------------------------------------------------------------
keys s c
expect_screen "claim is reported" s "you claimed $alice"
expect_eq "the database has the claim" "$(lead_field "$ready" owner)" "sam"
expect_screen "the card shows its owner" s "@sam"
expect_screen "a claimed lead is not overdue" s "0 overdue"

# ---- a pass-back with a reason picked in the dialog -----------------------------------
keys s '<'
wait_for s "Pass back Alice Ready"
keys s Down Down Enter
wait_for s "Note (optional)"
keys s "Works for the real buyer" Enter
expect_screen "the pass-back is reported" s "passed back to MQL (not-decision-maker)"
expect_eq "the database has the pass-back, reason and note" "$(last_event)" \
	"passback sql mql not-decision-maker Works for the real buyer"
expect_eq "the recycle count went up" "$(lead_field "$ready" recycle_count)" "1"
keys s q

# ---- the recycle view -------------------------------------------------------------------
board_start r 100 30 maya
keys r l
expect_screen "the recycled lead carries its count" r "$(printf '\342\206\272')1"
keys r r
expect_screen "r shows recycled leads only" r "RECYCLED"
expect_screen "... with the last reason on the card" r "not-decision-"
expect_gone "... and not the others" r "Nora Nocompany"
keys r r
expect_screen "r again shows every lead" r "Nora Nocompany"
keys r q
done_testing
