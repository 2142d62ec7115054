# Shell test helpers: TAP output, exit-code and output checks, a fresh board.
# Source it; $LEADBOARD is the binary under test.
set -u
LB=${LEADBOARD:?set LEADBOARD to the leadboard binary}
T_COUNT=0
T_FAILED=0
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/leadboard-t.XXXXXX")
trap 't_cleanup' EXIT
t_cleanup() { rm -rf "$T_DIR"; }

ok()     { T_COUNT=$((T_COUNT + 1)); echo "ok $T_COUNT - $1"; }
not_ok() { T_COUNT=$((T_COUNT + 1)); T_FAILED=$((T_FAILED + 1)); echo "not ok $T_COUNT - $1"
	   shift; for line in "$@"; do echo "# $line"; done; }
skip()   { T_COUNT=$((T_COUNT + 1)); echo "ok $T_COUNT - $1 # SKIP $2"; }
done_testing() { echo "1..$T_COUNT"; [ "$T_FAILED" -eq 0 ]; }

# run CMD...: runs it, keeping stdout in $OUT, stderr in $ERR, status in $RC.
# No cat for either: the suite runs thousands of commands, and a process
# costs this machine more than the command under test often does.
run() {
	OUT=$("$@" 2>"$T_DIR/err")
	RC=$?
	if [ -s "$T_DIR/err" ]; then ERR=$(cat "$T_DIR/err"); else ERR=; fi
}

# expect_code CODE DESC CMD...: the command exits with CODE.
expect_code() {
	want=$1 desc=$2; shift 2
	run "$@"
	if [ "$RC" -eq "$want" ]; then ok "$desc"
	else not_ok "$desc" "expected exit $want, got $RC" "stdout: $OUT" "stderr: $ERR"; fi
}

# expect_eq DESC ACTUAL EXPECTED
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"
	else not_ok "$1" "expected: $3" "actual:   $2"; fi
}

# expect_match DESC TEXT EXTENDED-REGEX
expect_match() {
	if printf '%s' "$2" | grep -Eq -- "$3"; then ok "$1"
	else not_ok "$1" "expected to match: $3" "actual: $2"; fi
}

# expect_no_match DESC TEXT EXTENDED-REGEX
expect_no_match() {
	if printf '%s' "$2" | grep -Eq -- "$3"; then not_ok "$1" "should not match: $3" "actual: $2"
	else ok "$1"; fi
}

# Waiting for a condition: look after 20 ms, then 40, 80, 160, and every
# 200 ms from then on, counting the time slept against the limit. A look
# starts processes (tmux, sqlite3, sleep ...), and looking every 50 ms with
# the clock read each time kept most of a CPU busy while a test waited.
#   poll_start        before the first look
#   poll_pause        sleep the current step and take the next
#   poll_over SECONDS whether the time slept has reached SECONDS
poll_start() { poll_waited=0 poll_step=20; }
poll_pause() {
	case $poll_step in
	20) sleep 0.02 ;; 40) sleep 0.04 ;; 80) sleep 0.08 ;; 160) sleep 0.16 ;; *) sleep 0.2 ;;
	esac
	poll_waited=$((poll_waited + poll_step))
	[ "$poll_step" -ge 200 ] || poll_step=$((poll_step * 2 > 200 ? 200 : poll_step * 2))
}
poll_over() { [ "$poll_waited" -ge $(($1 * 1000)) ]; }

# residents_of DB [UID]: the pids of the residents (a change command's
# process of its user's that keeps the database open: src/cli/resident.c)
# holding DB open, of UID when given, one a line.
residents_of() {
	ro_db=$(readlink -f "$1")
	for ro_p in $(pgrep ${2:+-u "$2"} -f '^leadboard resident'); do
		for ro_fd in /proc/"$ro_p"/fd/*; do
			if [ "$(readlink "$ro_fd" 2>/dev/null)" = "$ro_db" ]; then
				echo "$ro_p"
				break
			fi
		done
	done
}

# residents_leave DB: the residents holding DB open leave, as they do on
# SIGTERM once their command has answered; waits until they have (10 s at
# most). For checks about the last connection out.
residents_leave() {
	rl_pids=$(residents_of "$1")
	for rl_p in $rl_pids; do kill -TERM "$rl_p" 2>/dev/null; done
	for rl_p in $rl_pids; do
		poll_start
		while kill -0 "$rl_p" 2>/dev/null && ! poll_over 10; do poll_pause; done
	done
}

# rounds QUICK FULL: how many rounds a load, race or crash test runs: QUICK
# in make test and make asan (enough to meet every case), FULL under make
# stress (STRESS=1), which .ci/run runs as well.
rounds() { if [ -n "${STRESS:-}" ]; then echo "$2"; else echo "$1"; fi; }

# LEADBOARD_TEST_BACKEND=pg (each *_pg.sh wrapper sets it): every board
# new_board makes is a database on a throwaway PostgreSQL server of the
# script's own (pg.lib, started with the first board) instead of a SQLite
# file. lb_sql runs SQL on the board, whichever engine holds it.
LB_BACKEND=${LEADBOARD_TEST_BACKEND:-sqlite}
LB_PG_NAME=
lb_on_pg() { [ "$LB_BACKEND" = pg ]; }

# A fresh database with the test team: maya, marco (marketing), sam, sara
# (sales), mona (manager); the invoking login is admin.
new_board() {
	if lb_on_pg; then
		if [ -z "${PG_DIR:-}" ]; then
			. "$(dirname "$0")/pg.lib"
			pg_start
		fi
		LB_PG_NAME=$(printf '%s' "${1:-board}" | tr -c 'a-z0-9_' '_')
		pg_psql postgres -c "SET client_min_messages = warning" \
			-c "DROP DATABASE IF EXISTS $LB_PG_NAME" >/dev/null
		LEADBOARD_DB=$(pg_new_db "$LB_PG_NAME"); export LEADBOARD_DB
	else
		export LEADBOARD_DB="$T_DIR/${1:-board}.db"
		rm -f "$LEADBOARD_DB" "$LEADBOARD_DB-wal" "$LEADBOARD_DB-shm"
	fi
	"$LB" init >/dev/null || { echo "Bail out! init failed"; exit 1; }
	for u in maya:marketing marco:marketing sam:sales sara:sales mona:manager; do
		"$LB" user add "${u%%:*}" --role "${u#*:}" >/dev/null ||
			{ echo "Bail out! user add $u failed"; exit 1; }
	done
}

# lb_sql SQL: run SQL on the board (rows as lines, columns joined by |).
lb_sql() {
	if lb_on_pg; then pg_psql "$LB_PG_NAME" -At -c "$1"
	else sqlite3 "$LEADBOARD_DB" "$1"; fi
}

# expect_file_intact DESC: SQLite's integrity_check of the board's file; on
# PostgreSQL the server checks its own pages, and the test says so.
expect_file_intact() {
	if lb_on_pg; then skip "$1: integrity_check" "SQLite's own check (the server checks its pages)"
	else expect_eq "$1: integrity_check is ok" "$(sqlite3 "$LEADBOARD_DB" 'PRAGMA integrity_check')" ok; fi
}

# as LOGIN CMD...: run leadboard as a member.
as() { who=$1; shift; "$LB" --as "$who" "$@"; }

# A digest of every row of leads and events, to prove a refusal wrote nothing.
db_digest() {
	lb_sql "SELECT * FROM leads ORDER BY id; SELECT * FROM events ORDER BY seq;" |
		sha256sum | cut -c1-64
}

# lb_for_anyone: sets LB_ANYONE to a copy of the binary that any user may
# run. The build may sit where only its owner can enter (a clone in /root),
# and a test that runs leadboard as another user must not depend on where.
lb_for_anyone() {
	LB_ANYONE=$T_DIR/anyone/leadboard
	[ -x "$LB_ANYONE" ] && return
	mkdir -p "$T_DIR/anyone" && cp "$LB" "$LB_ANYONE" &&
		chmod 755 "$T_DIR" "$T_DIR/anyone" "$LB_ANYONE" ||
		{ echo "Bail out! cannot copy $LB for other users"; exit 1; }
}

# What no user should ever read: SQLite's lock words, and a server's own
# messages (PostgreSQL's ERROR lines, SQLSTATEs, deadlocks, serialization).
LB_RAW_WORDS='locked|busy|ERROR|could not|deadlock|serializ|SQLSTATE|current transaction'

# json_get JSON JQ-FILTER
json_get() { printf '%s' "$1" | jq -r "$2"; }
