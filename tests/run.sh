#!/bin/sh
# Runs every test program and script, counts TAP results, and ends with one
# line "N passed, N failed". Exit status is non-zero when anything failed.
#
#   LEADBOARD      the binary under test (absolute path)
#   TEST_BIN_DIR   where the C tests were built
#   TEST_TOOLS     where the programs tests use were built (default TEST_BIN_DIR/tools)
#   TESTS          optional: only the tests whose file name contains this
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${LEADBOARD:?set LEADBOARD to the leadboard binary}"
: "${TEST_BIN_DIR:?set TEST_BIN_DIR to the built C tests}"
TEST_TOOLS=${TEST_TOOLS:-$TEST_BIN_DIR/tools}
export LEADBOARD TEST_TOOLS TZ=UTC LC_ALL=C.UTF-8 CMOCKA_MESSAGE_OUTPUT=TAP
unset LEADBOARD_DB

passed=0 failed=0 skipped=0
log_dir=$(mktemp -d "${TMPDIR:-/tmp}/leadboard-tests.XXXXXX")

run_one() {
	name=$1; shift
	case $name in *"${TESTS:-}"*) ;; *) return ;; esac
	out="$log_dir/$name.out"
	"$@" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	s=$(grep -c '^ok .*# [Ss][Kk][Ii][Pp]' "$out")
	p=$((p - s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1   # died without saying which check failed
		echo "not ok - $name exited with status $rc" >>"$out"
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	if [ "$f" -gt 0 ]; then
		echo "FAIL $name ($p passed, $f failed)"
		grep -v '^ok ' "$out" | sed 's/^/    /' | head -60
	else
		echo "ok   $name ($p passed${s:+, $s skipped})" | sed 's/, 0 skipped//'
		grep '# [Ss][Kk][Ii][Pp]' "$out" | sed 's/^/    /' | head -5
	fi
}

for t in "$TEST_BIN_DIR"/test_*; do
	[ -x "$t" ] || continue
	run_one "$(basename "$t")" "$t"
done
for t in "$here"/*.sh; do
	case $(basename "$t") in run.sh|lib.sh) continue ;; esac
	run_one "$(basename "$t")" sh "$t"
done

rm -rf "$log_dir"
[ "$skipped" -gt 0 ] && echo "($skipped skipped)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
