#!/bin/sh
# A board where inotify is used up: a host where one account keeps more
# boards open than fs.inotify.max_user_instances allows (128 by default),
# or some other program took them all.
#
# Fault reproduced: such a board asked the database on a timer, every
# 300 ms, each look a wakeup and four system calls; in make bench's host
# figure (200 boards, one account) 74 boards did, and they were nine
# tenths of the figure's idle CPU. Expected: the board falls back to the
# folder's notification (fcntl F_NOTIFY, which has no such limit): it
# sleeps while nothing happens (a board on the timer wakes ten times in
# three seconds) and still shows a command-line change without a key press.
# Runs as the user nobody, whose inotify instances tests/tools/inotify_hog
# takes, so no other test or program loses any: needs root.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/board_tmux.lib"

HOG=${TEST_TOOLS:-}/inotify_hog
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null || ! id nobody >/dev/null 2>&1; then
	skip "a board without inotify" "needs root, setpriv and the user nobody"
	done_testing; exit 0
fi
if [ ! -x "$HOG" ]; then
	skip "a board without inotify" "tests/tools/inotify_hog is not built (make tests-build)"
	done_testing; exit 0
fi
nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }

new_board
lb_for_anyone
dir=$T_DIR/nobody
mkdir "$dir"
sqlite3 "$LEADBOARD_DB" ".backup '$dir/board.db'"
chown -R nobody "$dir"
DB=$dir/board.db

# every inotify instance nobody may have, held until the test ends
mkfifo "$T_DIR/hog.in"
nobody "$HOG" <"$T_DIR/hog.in" >"$T_DIR/hog.out" 2>&1 &
hog=$!
exec 4>"$T_DIR/hog.in"
# (the tmux server must not hold the pipe open: it goes first)
trap 'board_cleanup; exec 4>&-; wait $hog' EXIT
poll_start
until [ -s "$T_DIR/hog.out" ] || poll_over 10; do poll_pause; done
case $(cat "$T_DIR/hog.out") in
took\ *) ok "nobody's inotify instances are all taken ($(cat "$T_DIR/hog.out"))" ;;
*) skip "a board without inotify" "inotify_hog could not take them: $(cat "$T_DIR/hog.out")"
   done_testing; exit 0 ;;
esac

tm new-session -d -s quiet -x 100 -y 30 \
	"setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME='$dir' TZ=UTC \
	 LC_ALL=C.UTF-8 TERM=screen-256color '$LB_ANYONE' --db '$DB' --as sam 2>'$T_DIR/quiet.err'; \
	 echo \"BOARD EXITED \$?\"; sleep 600" 4>&- || { echo "Bail out! tmux"; exit 1; }
expect_screen "the board opens" quiet "sam ("
pid=$(pgrep -u nobody -f -- "$LB_ANYONE --db $DB" | head -1)

# switches NAP: how often the board went to sleep and woke in NAP seconds
switches() {
	a=$(awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$pid/status")
	sleep "$1"
	b=$(awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$pid/status")
	echo $((b - a))
}
# the first window may catch the end of its opening
woke=$(switches 3)
[ "$woke" -le 3 ] || woke=$(switches 3)
if [ "$woke" -le 3 ]; then ok "left alone, the board sleeps (woke $woke times in 3 s)"
else not_ok "left alone, the board sleeps" "it woke $woke times in 3 s: it asks on a timer"; fi

nobody "$LB_ANYONE" --db "$DB" --as maya add --name "Quiet Wake" --stage lead >/dev/null
expect_screen "a lead added on the command line shows without a key press" quiet "Quiet Wake" 5
done_testing
