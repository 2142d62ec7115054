#!/bin/sh
# The door and store C tests (and the report's) again, each database a new
# one on a throwaway PostgreSQL server instead of a SQLite file. Their TAP
# is folded into this script's, under one plan.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.lib"
: "${TEST_BIN_DIR:?set TEST_BIN_DIR to the built C tests}"
pg_start
LEADBOARD_TEST_PG="host=$PG_DIR user=$PG_SUPERUSER"
export LEADBOARD_TEST_PG CMOCKA_MESSAGE_OUTPUT=TAP
# all four at once (each names its databases after its pid): they spend
# most of their time waiting on the server
programs="test_store test_door test_report test_routing"
for t in $programs; do
	{ "$TEST_BIN_DIR/$t" >"$T_DIR/$t.out" 2>&1; echo $? >"$T_DIR/$t.rc"; } &
done
wait
for t in $programs; do
	rc=$(cat "$T_DIR/$t.rc")
	results=0
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "$t on PostgreSQL: ${line#ok * - }"; results=$((results + 1)) ;;
		"not ok "*) not_ok "$t on PostgreSQL: ${line#not ok * - }" \
			"$(grep '^#' "$T_DIR/$t.out" | head -5)"; results=$((results + 1)) ;;
		esac
	done <"$T_DIR/$t.out"
	if [ "$rc" -ne 0 ] || [ "$results" -eq 0 ]; then
		not_ok "$t on PostgreSQL ran to the end" "exit $rc" "$(tail -5 "$T_DIR/$t.out")"
	fi
done
done_testing
