#!/bin/sh
# A board brought up to date by its refresh (the change feed: only the
# columns and figures the events touched are read and drawn again) shows
# exactly what a board reading everything shows: after a burst of changes
# of every kind made elsewhere, each open board's screen is compared, line
# for line (the status line aside), with a board opened fresh on the same
# data, for a marketer (the ready figure), a rep (unclaimed, overdue,
# mine) and a manager. Then again after a change to the settings, which a
# refresh cannot apply piecemeal and reads everything for.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/board_tmux.lib"

COLS=150 ROWS=40

new_board refresh
# Leads in every stage, more in some than a column shows (18 cards here),
# so that windows, arrows and counts all have something to do.
add() { who=$1; shift; as "$who" add "$@" || { echo "Bail out! add failed"; exit 1; }; }
i=0
while [ $i -lt 24 ]; do
	add maya --name "Lead $i" --email "l$i@example.org" --company "Co $i" --stage lead \
		--score $((i * 4)) >>"$T_DIR/leads"
	i=$((i + 1))
done
i=0
while [ $i -lt 22 ]; do
	if [ $((i % 3)) -eq 0 ]; then   # not ready: no company
		add maya --name "Mql $i" --email "m$i@example.org" --stage mql >>"$T_DIR/mqls"
	else
		add maya --name "Mql $i" --email "m$i@example.org" --company "Mco $i" --stage mql \
			>>"$T_DIR/mqls"
	fi
	i=$((i + 1))
done
for i in 2 3 5 6; do   # the ones with a company pass the gate
	id=$(sed -n "${i}p" "$T_DIR/mqls")
	as maya move "$id" sql >/dev/null || { echo "Bail out! handoff failed"; exit 1; }
	echo "$id" >>"$T_DIR/sqls"
done
as sam claim "$(sed -n 2p "$T_DIR/sqls")" >/dev/null
as sam claim "$(sed -n 3p "$T_DIR/sqls")" >/dev/null
as sam move "$(sed -n 3p "$T_DIR/sqls")" opportunity >/dev/null
# Ages far in the past, so that both boards print the same ages whatever
# the clock does while the test runs (only cards moved during it say "now").
sqlite3 "$LEADBOARD_DB" "UPDATE leads SET created_at = created_at - 30 * 86400000,
	updated_at = updated_at - 30 * 86400000, stage_entered_at = stage_entered_at - 30 * 86400000,
	handed_off_at = handed_off_at - 3 * 86400000"

lead() { sed -n "$2p" "$T_DIR/$1"; }

# The screen without its status line (a refresh says there who moved the
# selected card; a fresh board says nothing).
board_lines() { screen "$1" | sed '$d'; }

# Wait until NAME's screen has not changed for a second (the refreshes are
# done), at most 15 s.
settle() {
	s_name=$1 s_last= s_deadline=$(( $(now_ms) + 15000 ))
	while [ "$(now_ms)" -lt "$s_deadline" ]; do
		s_now=$(board_lines "$s_name")
		[ -n "$s_last" ] && [ "$s_now" = "$s_last" ] && return 0
		s_last=$s_now
		sleep 1
	done
	return 1
}

# compare NAME LOGIN WHAT: NAME (open through the changes) against a board
# opened fresh as LOGIN. (board_start uses $name: these names are c_.)
compare() {
	c_name=$1 c_login=$2 c_what=$3
	settle "$c_name"
	board_start "fresh$c_name" $COLS $ROWS "$c_login"
	wait_gone "fresh$c_name" "counting ready" 10
	settle "fresh$c_name"
	if [ "$(board_lines "$c_name")" = "$(board_lines "fresh$c_name")" ]; then
		ok "$c_what: $c_login's refreshed board shows what a fresh board shows"
	else
		not_ok "$c_what: $c_login's refreshed board shows what a fresh board shows"
		board_lines "$c_name" >"$T_DIR/a"
		board_lines "fresh$c_name" >"$T_DIR/b"
		diff "$T_DIR/a" "$T_DIR/b" | sed 's/^/#   /'
	fi
	keys "fresh$c_name" q
	wait_for "fresh$c_name" "BOARD EXITED" 3
	tm kill-session -t "fresh$c_name"
}

board_start mk $COLS $ROWS maya
board_start rep $COLS $ROWS sam
board_start mgr $COLS $ROWS mona
wait_gone mk "counting ready" 10
expect_screen "the marketer's board counted the ready leads" mk "ready to hand off"
# the cursor on the first Lead card, which the burst moves away
expect_screen "the rep's board shows its leads" rep "Lead 0"

# ---- a burst of every kind of change, none to the board itself -------------------
as maya add --name "Burst New" --email new@example.org --company Newco --stage mql >/dev/null
as maya edit "$(lead leads 2)" --name "Lead Two Renamed" >/dev/null
as maya edit "$(lead mqls 14)" --company "" >/dev/null              # no longer ready
as maya edit "$(lead mqls 13)" --company "Now Ready" >/dev/null     # ready now
as maya move "$(lead leads 1)" mql >/dev/null                       # the selected card
as maya move "$(lead leads 24)" mql >/dev/null                      # from below the window
as maya move "$(lead mqls 11)" sql >/dev/null                       # a handoff
as sam claim "$(lead mqls 11)" >/dev/null
as mona assign "$(lead sqls 1)" sara >/dev/null
as sam move "$(lead sqls 2)" mql --reason not-ready --note "next quarter" >/dev/null   # pass-back
as sam move "$(lead sqls 3)" customer >/dev/null
as maya discard "$(lead leads 5)" --reason bad-data >/dev/null
as maya discard "$(lead mqls 16)" --reason duplicate >/dev/null
as maya restore "$(lead mqls 16)" >/dev/null
as mona move "$(lead leads 6)" sql --override --note "board decision" >/dev/null
as maya move "$(lead mqls 9)" lead >/dev/null
i=0
while [ $i -lt 8 ]; do   # several commits inside one refresh gap
	as maya move "$(lead leads $((10 + i)))" mql >/dev/null
	i=$((i + 1))
done
expect_screen "the burst reached the marketer's board" mk "Burst New" 5
expect_screen "... and the rep's" rep "Burst New" 5
compare mk maya "after a burst of lead changes"
compare rep sam "after a burst of lead changes"
compare mgr mona "after a burst of lead changes"

# ---- a change to the board itself: read everything -----------------------------------
"$LB" config set handoff_required email >/dev/null     # every MQL with an e-mail is ready
as maya move "$(lead leads 20)" mql >/dev/null
compare mk maya "after the settings changed"
compare rep sam "after the settings changed"

keys mk q
keys rep q
keys mgr q
expect_screen "the boards quit cleanly" mk "BOARD EXITED 0" 3
done_testing
