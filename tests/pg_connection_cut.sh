#!/bin/sh
# A client whose server connection is cut in the middle of an import: exit
# 75, "cannot reach the database", nothing imported, the board still
# verifies. A resident whose idle connection was cut, or whose server
# restarted, connects again for the next command. (Races, eight writers and kill -9 of a client on PostgreSQL are
# the SQLite suites run again: concurrency_race_pg.sh, concurrency_load_pg.sh,
# crash_kill_pg.sh.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.lib"
pg_start

psql_db() { pg_psql "$DB_NAME" -At -c "$1"; }
new_pg_board() {
	DB_NAME=$1
	LEADBOARD_DB=$(pg_new_db "$1"); export LEADBOARD_DB
	"$LB" init >/dev/null || { echo "Bail out! init failed"; exit 1; }
}

ROWS=3000
{ echo "name,email,company"
  awk -v n=$ROWS 'BEGIN { for (i = 1; i <= n; i++) printf "Person %d,p%d@example.com,Co %d\n", i, i, i % 50 }'
} >"$T_DIR/big.csv"

# ---- the connection is cut mid-import: 75, "cannot reach the database", nothing written
new_pg_board cut
"$LB" import "$T_DIR/big.csv" >"$T_DIR/cut.out" 2>"$T_DIR/cut.err" &
pid=$!
tries=0
until [ "$(psql_db "SELECT count(*) FROM pg_stat_activity WHERE datname = 'cut' AND state <> 'idle'
	AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND backend_xid IS NOT NULL")" != 0 ] ||
	[ $tries -ge 200 ]; do sleep 0.02; tries=$((tries + 1)); done
psql_db "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'cut'
	AND pid <> pg_backend_pid()" >/dev/null
wait "$pid"
rc=$?
expect_eq "an import whose connection is cut exits 75" "$rc" 75
expect_match "... saying it cannot reach the database" "$(cat "$T_DIR/cut.err")" \
	'^leadboard: cannot reach the database'
expect_eq "... and imported nothing" "$(psql_db 'SELECT count(*) FROM leads')" 0
expect_code 0 "the board verifies after the cut" "$LB" verify

# ---- a resident's connection is cut, or its server restarts, while it waits:
# the next change does not fail for it (src/cli/resident.c)
"$LB" user add maya --role marketing >/dev/null
id=$("$LB" --as maya add --name "Near a resident")
poll_start
until [ "$(psql_db "SELECT count(*) FROM pg_stat_activity WHERE datname = 'cut'
	AND pid <> pg_backend_pid()")" != 0 ] || poll_over 10; do poll_pause; done
psql_db "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'cut'
	AND pid <> pg_backend_pid()" >/dev/null
run "$LB" --as maya note "$id" "after the cut"
expect_eq "a change after a resident's connection was cut: made" "$RC $ERR" "0 "
pg_restart
run "$LB" --as maya note "$id" "after a restart"
expect_eq "... and after the server restarted" "$RC $ERR" "0 "
expect_eq "... both written" \
	"$(psql_db "SELECT count(*) FROM events WHERE note IN ('after the cut', 'after a restart')")" 2
done_testing
