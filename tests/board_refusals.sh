#!/bin/sh
# The board asks the rules before it opens any dialog: a key the rules refuse
# shows the refusal at once, in the command line's words, and no reason
# picker, note prompt or form appears; the database is unchanged. A key the
# rules allow opens only the dialogs the answer asks for (a manager's move is
# an override: a justification, no confirmation; a move into the terminal
# stage asks to confirm).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/board_tmux.lib"

new_board
lead=$(as maya add --name "Olga Owned" --email olga@acme.example --company Acme --stage mql)
as maya move "$lead" sql >/dev/null
as sam claim "$lead" >/dev/null
sid=$(echo "$lead" | cut -c1-8)

# What the command line says when sara tries the same things.
words() { as "$@" 2>&1 >/dev/null | sed 's/^leadboard: //'; }
passback_refusal=$(words sara move "$lead" mql --reason not-ready)
discard_refusal=$(words sara discard "$lead" --reason bad-data)
edit_refusal=$(words sara edit "$lead" --score 10)
expect_eq "the command line names the owner" "$passback_refusal" \
	"lead $sid (Olga Owned) is owned by sam; only sam or a manager can change it"

# ---- < on another rep's card: the refusal, before any dialog ---------------------
board_start s 100 30 sara
keys s l l
expect_screen "sara sees sam's card in SQL" s "@sam"
before=$(db_digest)
keys s '<'
expect_screen "< on sam's card shows the refusal in the status line" s "$passback_refusal"
expect_not_screen "... and no reason picker" s "Pass back Olga Owned"
expect_not_screen "... and no note prompt" s "Note (optional)"
expect_eq "... and writes nothing" "$(db_digest)" "$before"

# ---- the same for the other keys that would open a dialog -------------------------------
keys s '>'
expect_screen "> on sam's card is refused in the same words" s "$passback_refusal"
keys s d
expect_screen "d is refused before the reason picker" s "$discard_refusal"
expect_not_screen "... no picker" s "Discard Olga Owned"
keys s e
expect_screen "e is refused before the form" s "$edit_refusal"
expect_not_screen "... no form" s "Edit Olga Owned"
keys s a
expect_screen "a is refused before the rep picker" s "only a manager assigns leads"
expect_not_screen "... no picker" s "Assign Olga Owned"
expect_eq "none of it wrote anything" "$(db_digest)" "$before"
keys s q

# ---- a manager: n refused before the form; > is an override with a justification ----
board_start m 100 30 mona
keys m n
expect_screen "n is refused to a manager before the form" m "a manager does not add leads"
expect_not_screen "... no form" m "New lead"
keys m l l
wait_for m "@sam" 3
keys m '>'
expect_screen "a manager's > asks for the override's justification" m \
	"Override: why move Olga Owned ($sid) from SQL to Opportunity?"
expect_not_screen "... and no handoff question" m "Hand off"
keys m Escape
expect_screen "Esc cancels the override" m "cancelled; nothing changed"
expect_eq "the cancelled override wrote nothing" "$(db_digest)" "$before"
keys m '>'
wait_for m "Override: why move" 3
keys m "the customer called us" Enter
expect_screen "the override is reported" m "Olga Owned ($sid) moved to Opportunity (override, on the record)"
expect_eq "the database has the override with the rule it set aside" \
	"$(sqlite3 "$LEADBOARD_DB" "SELECT kind || '|' || note || '|' || rule FROM events ORDER BY seq DESC LIMIT 1")" \
	"override|the customer called us|lead $sid (Olga Owned) is owned by sam; only sam or a manager can change it"
keys m q

# ---- a move into the terminal stage asks to confirm ---------------------------------
board_start w 100 30 sam
keys w l l l
wait_for w "Olga Owned" 3
before=$(db_digest)
keys w '>'
expect_screen "a move into Customer asks to confirm" w "Move Olga Owned ($sid) to Customer?"
keys w n
expect_screen "declining says nothing changed" w "cancelled; nothing changed"
expect_eq "declining wrote nothing" "$(db_digest)" "$before"
keys w '>'
wait_for w "Move Olga Owned ($sid) to Customer?" 3
keys w y
expect_screen "confirming moves it" w "Olga Owned ($sid) moved to Customer"
expect_eq "the lead is a customer" "$(sqlite3 "$LEADBOARD_DB" "SELECT stage FROM leads")" customer
keys w q
done_testing
