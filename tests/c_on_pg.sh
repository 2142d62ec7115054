#!/bin/sh
# The door and store C tests (and the report's) again, each database a new
# one on a throwaway PostgreSQL server instead of a SQLite file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.lib"
: "${TEST_BIN_DIR:?set TEST_BIN_DIR to the built C tests}"
pg_start
LEADBOARD_TEST_PG="host=$PG_DIR user=$PG_SUPERUSER"
export LEADBOARD_TEST_PG
status=0
for t in test_store test_door test_report; do
	echo "# $t on PostgreSQL"
	"$TEST_BIN_DIR/$t" || status=1
done
exit $status
