#!/bin/sh
# Runs every test program and script, several at once, and ends with one
# line "N passed, N failed". Exit status is non-zero when anything failed.
#
# Each test speaks TAP. A test fails when a result is "not ok", when it
# prints "Bail out!", when it exits non-zero, and when its TAP does not add
# up: no plan ("1..N"), or a count of results other than the
# plan promised (a script that died half-way, or one that forgot
# done_testing; a C program with several groups prints a plan for each, and
# the results must add up to their sum).
#
#   LEADBOARD      the binary under test (absolute path)
#   TEST_BIN_DIR   where the C tests were built
#   TEST_TOOLS     where the programs tests use were built (default TEST_BIN_DIR/tools)
#   TESTS          optional: only the tests whose file name contains this
#                  (or one of these words, separated by spaces)
#   TEST_JOBS      optional: how many tests run at once (default: one per CPU
#                  and one more, as the board tests spend much of their time
#                  waiting for a screen)
#   TEST_TIMEOUT   optional: seconds after which a test is stopped and failed
#                  (default 3600: a guard against a hang, far beyond what a
#                  busy machine needs; under make asan on a machine at load 20,
#                  concurrency_load.sh took 13 minutes)
#
# The longest tests start first: each run leaves every test's time in
# TEST_BIN_DIR/durations for the next run to order by. A fresh build orders
# by tests/durations, the times of a run on a quiet 2-core machine kept with
# the sources. Scripts in neither (a new script) start before all others,
# the longest file first; C programs without a time, last.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${LEADBOARD:?set LEADBOARD to the leadboard binary}"
: "${TEST_BIN_DIR:?set TEST_BIN_DIR to the built C tests}"
TEST_TOOLS=${TEST_TOOLS:-$TEST_BIN_DIR/tools}
export LEADBOARD TEST_TOOLS TZ=UTC LC_ALL=C.UTF-8 CMOCKA_MESSAGE_OUTPUT=TAP
unset LEADBOARD_DB LEADBOARD_TEST_NOW

jobs=${TEST_JOBS:-$(($(nproc 2>/dev/null || echo 2) + 1))}
case $jobs in ''|*[!0-9]*|0) jobs=3 ;; esac
limit=${TEST_TIMEOUT:-3600}
durations=$TEST_BIN_DIR/durations
# Scratch files on a tmpfs when there is one with room and TMPDIR does not
# say otherwise: on a virtual disk, making a file can cost a millisecond of
# kernel time (copying a PostgreSQL cluster's 1,000 files: 1.0 s on ext4,
# 0.09 s on tmpfs), and the tests make tens of thousands. Nothing here
# depends on the disk: the crash tests kill processes, not the machine.
# Tests run programs from their scratch folders, so it must allow that
# (/dev/shm is often mounted noexec).
runs_programs() {
	probe=$(mktemp "$1/leadboard-exec.XXXXXX") || return 1
	printf '#!/bin/sh\nexit 0\n' >"$probe" && chmod 755 "$probe" && "$probe"
	set -- $?
	rm -f "$probe"
	return "$1"
}
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] &&
	[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] &&
	[ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -ge 1048576 ] &&
	runs_programs /dev/shm 2>/dev/null; then
	TMPDIR=/dev/shm
	export TMPDIR
fi
log_dir=$(mktemp -d "${TMPDIR:-/tmp}/leadboard-tests.XXXXXX")
# what the tests make once and share (tests/pg.lib: a cluster to copy),
# readable by the unprivileged user their servers run as
LEADBOARD_TEST_CACHE=$(mktemp -d "${TMPDIR:-/tmp}/leadboard-cache.XXXXXX")
chmod 755 "$LEADBOARD_TEST_CACHE"
export LEADBOARD_TEST_CACHE
trap 'rm -rf "$log_dir" "$LEADBOARD_TEST_CACHE"' EXIT
trap 'exit 130' INT TERM HUP

now_ms() { date +%s%3N; }

# check_tap OUT RC: reads a test's output and exit status; sets p f s (passed,
# failed, skipped) and appends a "not ok" line to OUT for each way the TAP
# does not add up.
check_tap() {
	out=$1 rc=$2
	p=$(grep -Ec '^ok( |$)' "$out")
	f=$(grep -Ec '^not ok( |$)' "$out")
	s=$(grep -Eic '^ok( |$).*# skip' "$out")
	plans=$(grep -c '^1\.\.[0-9][0-9]*' "$out")
	# cmocka prints a plan per group of tests: their sum is what was promised
	planned=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$out" | awk '{ n += $1 } END { print n + 0 }')
	problem=
	if [ "$rc" -eq 124 ]; then
		problem="did not finish in $limit s (TEST_TIMEOUT)"
	elif grep -q '^Bail out!' "$out"; then
		problem="bailed out: $(grep -m 1 '^Bail out!' "$out")"
	elif [ "$plans" -eq 0 ]; then
		problem="printed no TAP plan (1..N): did it end early, or not call done_testing?"
	elif [ $((p + f)) -ne "$planned" ]; then
		problem="planned $planned results but printed $((p + f))"
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		problem="exited with status $rc"
	fi
	if [ -n "$problem" ]; then
		echo "not ok - $problem" >>"$out"
		f=$((f + 1))
	fi
	p=$((p - s))
}

# run_one NAME CMD...: runs one test; leaves NAME.res (passed failed skipped
# milliseconds) beside NAME.out and prints one line.
run_one() {
	name=$1; shift
	out="$log_dir/$name.out"
	start=$(now_ms)
	timeout --foreground -k 10 "$limit" "$@" >"$out" 2>&1 </dev/null 3>&-
	rc=$?
	ms=$(($(now_ms) - start))
	check_tap "$out" "$rc"
	echo "$p $f $s $ms" >"$log_dir/$name.res"
	secs=$(printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100)))
	if [ "$f" -gt 0 ]; then
		echo "FAIL $name ($p passed, $f failed; $secs)"
	elif [ "$s" -gt 0 ]; then
		echo "ok   $name ($p passed, $s skipped; $secs)"
	else
		echo "ok   $name ($p passed; $secs)"
	fi
}

# The tests, one per line: "KEY NAME PATH", KEY the last run's time in ms,
# else for a script 10^9 + its size in bytes, else 0; largest first.
for t in "$TEST_BIN_DIR"/test_* "$here"/*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t")
	case $name in run.sh|lib.sh|durations) continue ;; esac
	case $name in *.sh) ;; *) [ -x "$t" ] || continue ;; esac
	wanted=${TESTS:+no}
	for word in ${TESTS:-}; do
		case $name in *"$word"*) wanted= ;; esac
	done
	[ -z "$wanted" ] || continue
	key=$(awk -v n="$name" '$2 == n { print $1; exit }' "$durations" 2>/dev/null)
	[ -n "$key" ] || key=$(awk -v n="$name" '$2 == n { print $1; exit }' "$here/durations")
	if [ -z "$key" ]; then
		case $name in *.sh) key=$((1000000000 + $(wc -c <"$t"))) ;; *) key=0 ;; esac
	fi
	echo "$key $name $t"
done | sort -k1,1nr -k2,2 >"$log_dir/list"
if [ ! -s "$log_dir/list" ]; then
	echo "no test's file name contains '${TESTS:-}'"
	exit 1
fi

# A pipe holding one token per job: a test takes one to start and puts it
# back when it ends.
mkfifo "$log_dir/tokens"
exec 3<>"$log_dir/tokens"
i=0
while [ "$i" -lt "$jobs" ]; do echo >&3; i=$((i + 1)); done
started=$(now_ms)
while read -r _ name path; do
	read -r _ <&3
	case $name in
	*.sh) (run_one "$name" sh "$path"; echo >&3) & ;;
	*) (run_one "$name" "$path"; echo >&3) & ;;
	esac
done <"$log_dir/list"
wait
exec 3>&-
elapsed=$(($(now_ms) - started))

passed=0 failed=0 skipped=0 ran=0
: >"$log_dir/times"
while read -r _ name _; do
	[ -f "$log_dir/$name.res" ] || continue
	read -r p f s ms <"$log_dir/$name.res"
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s)) ran=$((ran + 1))
	echo "$ms $name" >>"$log_dir/times"
	if [ "$f" -gt 0 ]; then
		echo
		echo "---- $name"
		grep -Ev '^ok( |$)' "$log_dir/$name.out" | head -n 80 | sed 's/^/    /'
	elif [ "$s" -gt 0 ]; then
		grep -Ei '^ok( |$).*# skip' "$log_dir/$name.out" | head -n 5 | sed "s/^/    $name: /"
	fi
done <"$log_dir/list"

# Keep the times of this run (and of tests it did not run) for the next.
if [ -d "$TEST_BIN_DIR" ]; then
	{ cat "$log_dir/times"; cat "$durations" 2>/dev/null; } |
		awk '!seen[$2]++' >"$log_dir/durations.new" &&
		cp "$log_dir/durations.new" "$durations" 2>/dev/null
fi

printf '(%d tests in %d.%d s, %d at a time' "$ran" $((elapsed / 1000)) $((elapsed % 1000 / 100)) "$jobs"
[ "$skipped" -gt 0 ] && printf '; %d skipped' "$skipped"
echo ')'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
