#!/bin/sh
# Whole screens, the way tig tests them: the board, help, a lead's detail,
# the audit log and the report, each at 80x24, 120x40 and 60x20, on a fixture
# made through the real commands on a fixed clock, compared line by line with
# tests/screens/VIEW-SIZE.txt. A change of layout fails with a diff;
# `make snapshots` rewrites the files when the change is meant.
#
# The header names the login behind --as, so the screens are made as root;
# anyone else runs this in a user namespace where they are root, or skips.
if [ "$(id -u)" -ne 0 ] && [ -z "${LEADBOARD_SCREENS_NS:-}" ] &&
   unshare --map-root-user true 2>/dev/null; then
	LEADBOARD_SCREENS_NS=1 exec unshare --map-root-user sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" -ne 0 ]; then
	skip "screen snapshots" "they show the login behind --as: run as root, or allow user namespaces (unshare -r)"
	done_testing; exit 0
fi
. "$(dirname "$0")/board_tmux.lib"

SCREENS=$(cd "$(dirname "$0")" && pwd)/screens
NOW=2026-11-02T09:00:00Z

# ---- the fixture: an admin's import with fixed ids, then a month of work ------
export LEADBOARD_DB="$T_DIR/acme.db"
at() { when=$1; shift; LEADBOARD_TEST_NOW=$when "$LB" "$@" >/dev/null ||
	{ echo "Bail out! the fixture failed at $when: $*"; exit 1; }; }
# lid N: the fixed id of the Nth lead in leads.csv
lid() { printf 'a00000%02d-0000-4000-8000-0000000000%02d' "$1" "$1"; }

at 2026-10-01T08:00:00Z init
for u in maya:marketing marco:marketing sam:sales sara:sales steve:sales mona:manager; do
	at 2026-10-01T08:05:00Z user add "${u%%:*}" --role "${u#*:}"
done
at 2026-10-01T08:10:00Z config set sla_idle_days 14
at 2026-10-01T09:00:00Z import "$SCREENS/leads.csv"
at 2026-10-03T10:15:00Z --as maya move "$(lid 1)" mql
at 2026-10-06T11:00:00Z --as maya move "$(lid 1)" sql
at 2026-10-06T15:30:00Z --as sam claim "$(lid 1)"
at 2026-10-08T09:00:00Z --as marco move "$(lid 9)" sql
at 2026-10-08T13:20:00Z --as sara claim "$(lid 9)"
at 2026-10-09T09:30:00Z --as marco move "$(lid 6)" sql
at 2026-10-10T10:00:00Z --as sara move "$(lid 6)" mql --reason no-budget \
	--note "Budget frozen until the new fiscal year."
at 2026-10-12T10:00:00Z --as maya move "$(lid 5)" sql
at 2026-10-14T09:45:00Z --as sam move "$(lid 1)" opportunity
at 2026-10-15T14:00:00Z --as sam move "$(lid 5)" mql --reason not-ready \
	--note "Evaluating next quarter; call back in March."
at 2026-10-16T09:00:00Z --as marco move "$(lid 6)" sql
at 2026-10-19T12:00:00Z --as sam move "$(lid 6)" lead --reason not-decision-maker \
	--note "Works for the real buyer; get an intro to the VP."
at 2026-10-20T16:00:00Z --as sara move "$(lid 9)" opportunity
at 2026-10-21T08:40:00Z --as maya discard "$(lid 10)" --reason bad-data --note "Bounced twice."
at 2026-10-22T17:05:00Z --as mona move "$(lid 11)" sql --override --note "CEO intro at the trade show."
at 2026-10-27T10:00:00Z --as maya move "$(lid 12)" sql
at 2026-10-27T11:30:00Z --as mona assign "$(lid 12)" steve
at 2026-10-29T11:10:00Z --as sara move "$(lid 9)" customer
at 2026-10-30T09:00:00Z --as maya edit "$(lid 3)" --score 85
at 2026-10-31T15:00:00Z --as marco move "$(lid 2)" sql
at 2026-11-02T07:30:00Z --as maya move "$(lid 15)" sql

expect_eq "the fixture's events carry the fixed clock's times" \
	"$("$LB" log --format json | jq -r '[.[0].at, .[-1].at] | join(" ")')" \
	"2026-10-01T08:00:00.000Z 2026-11-02T07:30:00.000Z"
expect_code 0 "the fixture verifies" "$LB" verify

# ---- each view at each size ---------------------------------------------------------
for size in 80x24 120x40 60x20; do
	s=b$size
	board_start "$s" "${size%x*}" "${size#*x}" sam "LEADBOARD_TEST_NOW=$NOW"
	expect_snapshot "the board at $size" "$s" "$SCREENS/board-$size.txt" "sam (sales"
	keys "$s" '?'
	expect_snapshot "help at $size" "$s" "$SCREENS/help-$size.txt" "Help: keys"
	keys "$s" Escape
	wait_for "$s" "sam (sales"
	keys "$s" G Enter   # the last card of Lead: a lead passed back twice
	expect_snapshot "a lead's detail at $size" "$s" "$SCREENS/detail-$size.txt" "Fatima Zahra ·"
	keys "$s" Escape
	wait_for "$s" "sam (sales"
	keys "$s" A
	expect_snapshot "the audit log at $size" "$s" "$SCREENS/audit-$size.txt" "Audit log"
	keys "$s" Escape
	wait_for "$s" "sam (sales"
	keys "$s" R
	expect_snapshot "the report at $size" "$s" "$SCREENS/report-$size.txt" "Funnel, all time"
	keys "$s" Escape
	wait_for "$s" "sam (sales"
	keys "$s" q
	expect_screen "the board at $size quits cleanly" "$s" "BOARD EXITED 0"
done
done_testing
