#!/bin/sh
# A rep's day on the board: find my work (m, /@sam, accent-insensitive /),
# a move into Customer confirmed or not and undone with u, a note while the
# board keeps refreshing under the dialog and a submit that comes too late,
# release, the discarded view with restore, the column order, a disabled
# owner's cards, and a form that lists every problem.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/board_tmux.lib"

new_board
handoff() { as maya move "$1" sql >/dev/null; }
jose=$(as maya add --name "José Núñez" --email jose@acme.example --company Acme --stage mql)
amelie=$(as maya add --name "Amélie Weber" --email amelie@globex.example --company Globex --stage mql)
soren=$(as maya add --name "Søren Berg" --email soren@fjord.example --company Fjord)
deal=$(as maya add --name "Sara Deal" --email deal@kite.example --company Kite --stage mql)
olga=$(as maya add --name "Olga Owned" --email olga@acme.example --company Acme --stage mql)
for l in "$jose" "$amelie" "$deal" "$olga"; do handoff "$l"; done
as sam claim "$jose" >/dev/null
as sam claim "$olga" >/dev/null
as sam move "$olga" opportunity >/dev/null
as sara claim "$deal" >/dev/null
sid() { echo "$1" | cut -c1-8; }

board_start s 140 35 sam

# ---- m: everyone -> mine -> unclaimed -> due -> everyone; Esc back to everyone -------
keys s m
expect_screen "m shows only my cards, and the header says so" s "MINE"
expect_screen "... José is mine" s "José Núñez"
expect_gone "... Amélie is nobody's" s "Amélie Weber"
expect_gone "... Sara's deal is hers" s "Sara Deal"
keys s m
expect_screen "m again: the unclaimed handoffs" s "UNCLAIMED"
expect_screen "... Amélie waits to be claimed" s "Amélie Weber"
expect_gone "... José is claimed" s "José Núñez"
expect_gone "... Søren was never handed off" s "Søren Berg"
keys s m
wait_gone s "UNCLAIMED" 3
expect_screen "m a third time: the leads whose next step is due" s "DUE"
expect_gone "... none has a next step" s "Sara Deal"
keys s m
wait_gone s "DUE" 3
expect_screen "m a fourth time: everyone's" s "Sara Deal"
keys s m
wait_for s "MINE" 3
keys s Escape
wait_gone s "MINE" 3
expect_screen "Esc goes back to everyone's cards" s "Amélie Weber"

# ---- / with @owner and accents --------------------------------------------------------
# Each filter's names were on screen before it: wait for what it leaves out
# to go, then look for what it keeps.
keys s / '@sam' Enter
expect_gone "/@sam: not Sara's" s "Sara Deal"
expect_gone "... nobody's neither" s "Amélie Weber"
expect_screen "... the owner exactly" s "Olga Owned"
keys s Escape
wait_for s "Amélie Weber" 3
keys s /
keys s -l "jose"
expect_gone "jose: only José" s "Amélie Weber"
expect_screen "... and José is found" s "José Núñez"
keys s Escape
wait_for s "Amélie Weber" 3
keys s /
keys s -l "AMÉLIE"
expect_gone "AMÉLIE: only Amélie" s "José Núñez"
expect_screen "... and Amélie is found" s "Amélie Weber"
keys s Escape
wait_for s "José Núñez" 3
keys s /
keys s -l "soren"
expect_gone "soren: Søren alone" s "Olga Owned"
expect_screen "... and Søren is found" s "Søren Berg"
keys s Escape
wait_for s "Olga Owned" 3

# ---- into Customer: Esc writes nothing, y moves, u undoes ------------------------------
keys s l l l
wait_for s "Olga Owned" 3
before=$(db_digest)
keys s '>'
expect_screen "a move into Customer asks first, naming the lead" s \
	"Move Olga Owned ($(sid "$olga")) to Customer?"
keys s Escape
expect_screen "Esc: nothing changed" s "cancelled; nothing changed"
expect_eq "... and nothing was written" "$(db_digest)" "$before"
keys s '>'
wait_for s "to Customer?" 3
keys s y
expect_screen "y moves it" s "Olga Owned ($(sid "$olga")) moved to Customer"
move_seq=$(sqlite3 "$LEADBOARD_DB" "SELECT max(seq) FROM events")
keys s u
expect_screen "u asks first, naming the change and where the lead goes back to" s \
	"Undo your move of Olga Owned ($(sid "$olga")) to Customer"
expect_screen "... back to Opportunity" s "it goes back to Opportunity"
keys s y
expect_screen "the undo is reported" s "undone: your move of Olga Owned"
expect_eq "the lead is back in Opportunity" "$(lead_field "$olga" stage)" opportunity
expect_eq "one undo event names the move" \
	"$(sqlite3 "$LEADBOARD_DB" "SELECT kind || '|' || note FROM events ORDER BY seq DESC LIMIT 1")" \
	"undo|undoes event $move_seq (move)"
expect_eq "the move stays in the log" \
	"$(sqlite3 "$LEADBOARD_DB" "SELECT kind || ' ' || to_stage FROM events WHERE seq = $move_seq")" \
	"move customer"
before=$(db_digest)
keys s u
expect_screen "u again: an undo is not undone, said at once" s "an undo is not undone"
expect_not_screen "... no question" s "Undo your"
expect_eq "... nothing written" "$(db_digest)" "$before"

# ---- a dialog keeps the board alive; a submit after a change says to look again -------
keys s h
wait_for s "José Núñez" 3
keys s N
expect_screen "N opens a note on the card" s "Note on José Núñez ($(sid "$jose"))"
as maya add --name "Nina New" --email nina@new.example --company New >/dev/null
expect_screen "the board under the dialog shows a lead added meanwhile" s "Nina New"
expect_screen "... with the dialog still open" s "Note on José Núñez"
as mona assign "$jose" sara >/dev/null
before=$(db_digest)
keys s -l "Called, back Monday"
keys s Enter
expect_screen "submitting after the lead changed says so" s "was assigned to sara by mona"
expect_screen "... and to look again" s "look again"
expect_eq "... and writes nothing" "$(db_digest)" "$before"

# ---- a note shows in the lead's history ------------------------------------------------
wait_for s "@sara" 3
keys s N
wait_for s "Note on José Núñez" 3
keys s -l "Called, back Monday"
keys s Enter
expect_screen "the note is added (anyone may note a lead)" s \
	"note added to José Núñez ($(sid "$jose"))"
keys s Enter
expect_screen "the detail's history shows it" s "note: Called, back Monday"
keys s Escape
expect_eq "log --kind note has it" "$("$LB" log --kind note --format json | jq -r '.[0].note')" \
	"Called, back Monday"

# ---- release: unowned again, waiting with its old handoff time ---------------------------
keys s l
wait_for s "Olga Owned" 3
keys s C
expect_screen "C releases the lead" s "you released Olga Owned ($(sid "$olga"))"
expect_eq "nobody owns it" "$(lead_field "$olga" owner)" null
expect_eq "its handoff time stays" "$(lead_field "$olga" handed_off_at)" \
	"$("$LB" log --lead "$olga" --kind handoff --format json | jq -r '.[0].at')"

# ---- a disabled owner's cards are marked ---------------------------------------------------
"$LB" user disable sara >/dev/null
expect_screen "a disabled owner's cards say so" s "@sara$(printf '\342\234\227')"

# ---- o: the column's order in the header ----------------------------------------------------
keys s o
expect_screen "o orders newest first, and the header says so" s "newest first"
keys s o
expect_screen "o again: highest score first" s "highest score first"
keys s o
if wait_gone s "highest score first" 3; then ok "o a third time: back to longest in stage first"
else not_ok "o a third time: back to longest in stage first"; fi
keys s q

# ---- the help lines up by what the terminal shows, not by bytes -------------------------
board_start h 100 40 sam
keys h '?'
wait_for h "Card markers" 3
screen h >"$T_DIR/help.txt"
# the meanings start in one column whether the marker is ! (one byte) or a check mark (three)
overdue_cols=$(grep -F "handed off and not claimed" "$T_DIR/help.txt" | head -1 | sed 's/handed off.*//' | wc -L)
ready_cols=$(grep -F "ready to hand off: meets" "$T_DIR/help.txt" | head -1 | sed 's/ready to hand off: meets.*//' | wc -L)
expect_eq "the help's markers line up by display width" "$ready_cols" "$overdue_cols"
expect_screen "the help lists the new keys" h "undo your own last change"
expect_screen "... the scope" h "whose cards"
keys h C-l
expect_not_screen "Ctrl-L is a key the board knows" h "no action on this key"
keys h Escape
keys h A
expect_screen "the audit view shows the real user behind --as" h "sam(root)"
keys h q q

# ---- a manager: the picker's counts, and an empty justification -----------------------
as sam claim "$amelie" >/dev/null
board_start g 120 35 mona
keys g l l
wait_for g "Amélie Weber" 3
keys g a
expect_screen "the assign picker shows each rep's open leads" g "open"
screen g | grep -E "sam +1 open" >/dev/null && ok "... sam's count (sara is disabled: not offered)" ||
	not_ok "... sam's count" "$(screen g)"
keys g Escape
keys g '>'
wait_for g "Override: why move" 3
before=$(db_digest)
keys g Enter
expect_screen "an empty justification keeps the box open, in the board's words" g \
	"a justification is required"
expect_not_screen "... not the command line's" g "--note TEXT"
expect_screen "... the box still there" g "Override: why move"
keys g Escape
expect_eq "... and nothing was written" "$(db_digest)" "$before"
keys g q

# ---- marketing: the discarded view, and restore -----------------------------------------
as maya discard "$soren" --reason bad-data --note "Bounced twice" >/dev/null
board_start m 140 35 maya
keys m D
expect_screen "D lists the discarded leads" m "Discarded leads, newest first"
expect_screen "... with the reason and note" m "bad-data: Bounced twice"
keys m r
expect_screen "r restores the lead under the cursor" m \
	"Søren Berg ($(sid "$soren")) is back on the board, in Lead"
expect_eq "it is in Lead again" "$(lead_field "$soren" stage)" lead
keys m Escape

# ---- a form lists every problem, in field order, and keeps the cursor on the first ----
keys m n
wait_for m "New lead" 3
keys m -l "Bad Form"
keys m Tab
keys m -l "not-an-address"
keys m Tab
keys m -l "call me"
keys m Enter
expect_screen "the e-mail's problem" m "email 'not-an-address' is not an e-mail address"
expect_screen "... and the phone's, below it" m "phone 'call me' is not a phone number"
screen m >"$T_DIR/form.txt"
first=$(grep -n "is not an e-mail address" "$T_DIR/form.txt" | cut -d: -f1)
second=$(grep -n "is not a phone number" "$T_DIR/form.txt" | cut -d: -f1)
[ "$first" -lt "$second" ] && ok "... in field order" || not_ok "... in field order" "$first $second"
# the cursor is back on the e-mail: Ctrl-U clears it, a good one goes in
keys m C-u
keys m -l "bad@form.example"
keys m Tab C-a C-k
keys m -l "+49 30 555"
keys m Enter
expect_screen "fixed, it saves" m "added Bad Form"
expect_eq "with the phone" "$("$LB" list --search "bad form" --format json | jq -r '.[0].phone')" \
	"+49 30 555"
keys m q
done_testing
