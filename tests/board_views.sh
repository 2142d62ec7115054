#!/bin/sh
# Moving around the board and its views: cards and pages, the filter, the
# lead detail with history, the audit log with its filters, help, the forms
# with validation in place, and resizing down to "too small" and back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/board_tmux.lib"

new_board
i=1
while [ $i -le 30 ]; do
	n=$(printf '%02d' $i)
	as maya add --name "Person $n" --email "p$n@example.org" --company "Firm $n" >/dev/null
	i=$((i + 1))
done
as maya add --name "Mara Qualified" --email mara@example.org --company Qualico --stage mql \
	>/dev/null

board_start v 80 24 maya
expect_screen "every column is visible at 80x24" v "Customer"
expect_screen "the header names the acting user and role" v "maya (marketing"
expect_match "columns carry their counts" "$(screen_lines v MQL)" "Lead +30 .* MQL +1 "

# ---- cards: j/k, pages, g/G, Enter opens the selected lead ------------------------
open_detail() { keys v Enter; wait_for v "History, newest first"; }
back() { keys v Escape; wait_board v; }
keys v j j j j j j j j j j j j
open_detail
expect_screen "j twelve times selects the thirteenth card (scrolling)" v "p13@example.org"
expect_screen "the detail shows the lead's fields" v "Firm 13"
expect_screen "... and its history" v "create"
back
keys v G
open_detail
expect_screen "G goes to the last card" v "p30@example.org"
keys v q
wait_board v
keys v g
open_detail
expect_screen "g goes to the first card" v "p01@example.org"
back
keys v NPage
open_detail
expect_screen "PgDn moves a page down" v "p10@example.org"
back
keys v k
open_detail
expect_screen "k after a page moves up one" v "p09@example.org"
back
keys v l
open_detail
expect_screen "l moves to the next column" v "mara@example.org"
back
keys v Left

# ---- filter as you type ---------------------------------------------------------------
expect_screen "before the filter, Person 13 and MQL's card show" v "Qualico"
expect_screen "... (Person 13)" v "Person 13"
keys v / "Person 2"
expect_screen "the filter narrows the cards as you type" v "Person 29"
expect_gone "... leaving out what does not match" v "Person 13"
expect_gone "... in every column" v "Qualico"
keys v Enter
expect_screen "Enter keeps the filter" v "/Person 2"
keys v / Escape
expect_screen "Esc clears it" v "Person 01"

# ---- the new-lead form validates in place -------------------------------------------
events=$(event_count)
keys v n
expect_screen "n opens the form for this column" v "New lead in Lead"
keys v "Form Lead" Tab "not-an-address" Tab
expect_screen "leaving a bad field names the problem" v "is not an e-mail address"
keys v Enter
keys v C-u "form@example.org" Enter
expect_screen "a valid form adds the lead" v "added Form Lead"
expect_eq "the lead is in the database" \
	"$(as maya list --search "Form Lead" --format json | jq -r '.[0].email')" "form@example.org"
expect_eq "Enter on the invalid form wrote nothing: one event for the form in all" \
	"$(event_count)" $((events + 1))

# ---- the edit form ----------------------------------------------------------------------
keys v g e
expect_screen "e opens the edit form" v "Edit Person 01"
before=$(db_digest)
keys v Up C-u 150 Enter
expect_screen "an out-of-range score is named" v "score 150 is not between 0 and 100"
keys v Escape
wait_gone v "Edit Person 01"
expect_eq "a cancelled edit writes nothing" "$(db_digest)" "$before"

# ---- the audit log ------------------------------------------------------------------------
keys v A
expect_screen "A opens the audit log" v "Audit log, newest first"
expect_screen "... with the events" v "create"
keys v t
expect_screen "t picks a kind" v "Show events of kind"
keys v Down Enter
expect_screen "the kind filter shows in the header" v "kind create"
expect_gone "... and other kinds are gone" v " user "
keys v Enter
expect_screen "Enter on an event opens its lead" v "History, newest first"
keys v Escape
expect_screen "Esc goes back to the log" v "Audit log"
members=$(as maya user list 2>&1 | sed 's/^leadboard: //')
keys v w
expect_screen "w does not list the members to a marketer" v "$members"
expect_not_screen "... and opens no picker" v "Show events by"
keys v s 1h Enter
expect_screen "s filters by time" v "since 1h"
keys v s C-u 1h2 Enter
expect_screen "a bad time is named" v "'1h2' is not a time"
keys v x
expect_screen "x clears the filters" v "every event"
keys v Escape
expect_screen "Esc again goes back to the board" v "maya (marketing"

board_start w 80 24 mona
keys w A
wait_for w "Audit log, newest first" 3
keys w w
expect_screen "w picks a person (a manager may list the members)" w "Show events by"
keys w Down Down Enter
expect_screen "the person filter shows in the header" w "by maya"
keys w Escape q

# ---- the report ------------------------------------------------------------------------------
keys v R
expect_screen "R shows the funnel" v "Funnel, all time"
expect_screen "... with the handoff figures" v "Handoffs 0, pass-backs 0"
keys v s 7d Enter
expect_screen "s narrows the report to a period" v "Funnel, since 7d"
back

# ---- help --------------------------------------------------------------------------------------
keys v '?'
expect_screen "? shows help grouped" v "Change a lead"
expect_screen "... from the action table" v "claim a handed-off lead"
keys v q
wait_board v

# ---- resizing -----------------------------------------------------------------------------------
# Opportunity's title is cut only when the columns narrow: the sign that
# the board has redrawn for the new size.
expect_screen "at 80x24 Opportunity's title is whole" v "Opportunity"
tm resize-window -t v -x 60 -y 20
expect_eq "tmux made the pane 60x20" "$(tm display-message -p -t v '#{pane_width}x#{pane_height}')" 60x20
expect_screen "at 60x20 the columns narrow: Opportunity's title is cut" v "Opportuni$(printf '\342\200\246')"
expect_not_screen "... and Customer is off to the side" v "Customer"
keys v l l l l
expect_screen "moving right scrolls sideways" v "Customer"
tm resize-window -t v -x 20 -y 8
expect_screen "at 20x8 a notice instead of a crash" v "too small"
tm resize-window -t v -x 80 -y 24
wait_gone v "too small"
expect_screen "back at 80x24 the board is whole again" v "Opportunity"
expect_screen "... every column" v "Customer"
expect_screen "... under its header" v "maya (marketing"
if board_exited v >/dev/null; then not_ok "the board survived the resizes"
else ok "the board survived the resizes"; fi
keys v q
expect_screen "q leaves the board" v "BOARD EXITED 0"
done_testing
