#!/bin/sh
# A change that the server rolls back for a deadlock or a serialization
# failure runs again, whole: with a real deadlock between leadboard and
# another client (psql holding the lead's row, then asking for the chain
# lock), the move succeeds on its second run and writes exactly one event;
# when the other client changed the lead meanwhile, the rules are asked
# again about what is there now. With serialization failures injected by a
# trigger, a change that fails twice succeeds on the third run with one
# event; one that always fails stops after a bounded number of runs and
# exits 75 with one clear line, never a server message.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.lib"
pg_start

DB_NAME=retry
LEADBOARD_DB=$(pg_new_db $DB_NAME); export LEADBOARD_DB
"$LB" init >/dev/null || { echo "Bail out! init failed"; exit 1; }
for u in maya:marketing sam:sales; do
	"$LB" user add "${u%%:*}" --role "${u#*:}" >/dev/null || { echo "Bail out! user add"; exit 1; }
done
psql_db() { pg_psql "$DB_NAME" -At -c "$1"; }
events() { psql_db "SELECT count(*) FROM events"; }
CHAIN_LOCK=7809644212300326249   # src/store.c, CHAIN_LOCK_KEY

# leadboard's sessions look for a deadlock after 3 s of waiting for a lock:
# time enough for the other side to close the cycle even on a busy machine.
psql_db "ALTER DATABASE $DB_NAME SET deadlock_timeout = '3s'" >/dev/null

# wait_until SQL: until the query answers t (at most 20 s).
wait_until() {
	tries=0
	until [ "$(psql_db "$1")" = t ]; do
		tries=$((tries + 1))
		[ $tries -ge 1000 ] && return 1
		sleep 0.02
	done
}

# deadlock LEAD SQL: a psql session (which never looks for deadlocks itself)
# runs SQL, which locks the lead's row; leadboard moves the lead to mql and
# waits for that row while holding the chain lock; psql then asks for the
# chain lock, closing the cycle. The server rolls leadboard's transaction
# back; psql then commits. Leaves leadboard's exit code in RC and its
# stderr in ERR, psql's output in PSQL_OUT.
deadlock() {
	lead=$1 hold=$2
	rm -f "$T_DIR/psql.in" "$T_DIR/psql.out"
	mkfifo "$T_DIR/psql.in"
	PGAPPNAME=holder pg_psql "$DB_NAME" -At <"$T_DIR/psql.in" >"$T_DIR/psql.out" 2>&1 &
	psql_pid=$!
	exec 5>"$T_DIR/psql.in"
	printf '%s\n' "BEGIN;" "SET LOCAL deadlock_timeout = '10min';" "$hold" '\echo held' >&5
	tries=0
	until grep -q '^held$' "$T_DIR/psql.out" || [ $tries -ge 500 ]; do
		sleep 0.02; tries=$((tries + 1))
	done
	"$LB" --as maya move "$lead" mql >"$T_DIR/move.out" 2>"$T_DIR/move.err" &
	move_pid=$!
	wait_until "SELECT count(*) > 0 FROM pg_stat_activity WHERE application_name = 'leadboard'
		AND wait_event_type = 'Lock'" || echo "# leadboard never waited for the row"
	printf '%s\n' "SELECT pg_advisory_xact_lock($CHAIN_LOCK);" "COMMIT;" '\echo committed' >&5
	exec 5>&-
	wait "$move_pid"
	RC=$?
	wait "$psql_pid"
	ERR=$(cat "$T_DIR/move.err")
	PSQL_OUT=$(cat "$T_DIR/psql.out")
}
deadlocks_logged() { grep -c 'ERROR:  deadlock detected' "$PG_DIR/server.log"; }

# ---- a real deadlock: the move runs again and succeeds, one event -------------------------
ada=$("$LB" --as maya add --name "Ada Deadlock" --email ada@example.org --company Acme)
before=$(events)
deadlock "$ada" "SELECT 1 FROM leads WHERE id = '$ada' FOR UPDATE;"
expect_eq "the other client was not the one rolled back: it committed" "$PSQL_OUT" \
	"$(printf '1\nheld\n\ncommitted')"
expect_eq "the server found one deadlock and rolled leadboard's change back" "$(deadlocks_logged)" 1
expect_eq "the move, run again, succeeded (exit 0)" "$RC" 0
expect_eq "... saying nothing on stderr" "$ERR" ""
expect_eq "... writing exactly one event" "$(events)" $((before + 1))
expect_eq "... the lead moved once (version 2, in mql)" \
	"$(psql_db "SELECT version || ' ' || stage FROM leads WHERE id = '$ada'")" "2 mql"

# ---- the other client changed the lead: the rules are asked again -------------------------
bo=$("$LB" --as maya add --name "Bo Deadlock" --email bo@example.org --company Acme)
before=$(events)
deadlock "$bo" "UPDATE leads SET stage = 'discarded', version = version + 1 WHERE id = '$bo';"
expect_eq "a second deadlock was found" "$(deadlocks_logged)" 2
expect_eq "the move, run again on the discarded lead, is refused by the rules (65)" "$RC" 65
expect_eq "... in the rules' own words" "$ERR" \
	"leadboard: lead $(echo "$bo" | cut -c1-8) (Bo Deadlock) is discarded; restore it first (leadboard restore $(echo "$bo" | cut -c1-8))"
expect_eq "... writing no event" "$(events)" "$before"
expect_eq "... and the lead is as the other client left it" \
	"$(psql_db "SELECT version || ' ' || stage FROM leads WHERE id = '$bo'")" "2 discarded"

# ---- serialization failures, injected: bounded runs, then 75 -------------------------------
# A trigger on leads fails the first N updates (a sequence counts them
# across the rolled-back transactions) with SQLSTATE 40001.
psql_db "CREATE SEQUENCE flaky_runs; CREATE TABLE flaky_limit (n bigint);
	INSERT INTO flaky_limit VALUES (0);
	CREATE FUNCTION flaky() RETURNS trigger LANGUAGE plpgsql AS \$\$
	BEGIN
		IF nextval('flaky_runs') <= (SELECT n FROM flaky_limit) THEN
			RAISE EXCEPTION 'could not serialize access due to concurrent update'
				USING ERRCODE = 'serialization_failure';
		END IF;
		RETURN NEW;
	END \$\$;
	CREATE TRIGGER flaky BEFORE UPDATE ON leads FOR EACH ROW EXECUTE FUNCTION flaky();" >/dev/null
flaky() { psql_db "SELECT setval('flaky_runs', 1, false); UPDATE flaky_limit SET n = $1" >/dev/null; }
runs() { psql_db "SELECT last_value FROM flaky_runs"; }

cy=$("$LB" --as maya add --name "Cy Flaky" --email cy@example.org --company Acme)
flaky 2
before=$(events)
run "$LB" --as maya move "$cy" mql
expect_eq "two serialization failures, then a success (exit 0)" "$RC" 0
expect_eq "... the change ran three times" "$(runs)" 3
expect_eq "... and wrote exactly one event" "$(events)" $((before + 1))
expect_eq "... nothing on stderr" "$ERR" ""

flaky 1000
before=$(events)
digest=$(psql_db "SELECT md5(string_agg(l::text, ',' ORDER BY id)) FROM leads l")
run "$LB" --as maya move "$cy" sql
expect_eq "a change that always fails exits 75" "$RC" 75
expect_eq "... after 5 runs, no more" "$(runs)" 5
expect_eq "... with one clear line" "$ERR" \
	"leadboard: the change kept colliding with others on the database (5 tries); nothing was changed, try again"
expect_eq "... writing nothing" "$(events) $(psql_db "SELECT md5(string_agg(l::text, ',' ORDER BY id)) FROM leads l")" \
	"$before $digest"

# An import is one transaction of rows read once: it is not run again, and
# says so in the same plain words.
printf 'name,email,company\nDee Import,dee@example.org,Acme\n' >"$T_DIR/one.csv"
psql_db "CREATE TRIGGER flaky_insert BEFORE INSERT ON leads FOR EACH ROW EXECUTE FUNCTION flaky()" >/dev/null
flaky 1
run "$LB" --as maya import "$T_DIR/one.csv"
expect_eq "an import that meets a serialization failure exits 75" "$RC" 75
expect_eq "... in one clear line" "$ERR" \
	"leadboard: the change collided with another on the database; nothing was changed, try again"
expect_eq "... importing nothing" "$(psql_db "SELECT count(*) FROM leads WHERE name = 'Dee Import'")" 0
run "$LB" --as maya import "$T_DIR/one.csv"
expect_eq "run again, it imports" "$RC-$(psql_db "SELECT count(*) FROM leads WHERE name = 'Dee Import'")" "0-1"

psql_db "DROP TRIGGER flaky ON leads; DROP TRIGGER flaky_insert ON leads" >/dev/null
# verify replays the log: the one change it names is the discard made
# behind leadboard's back; every retried change left the chain whole.
run "$LB" verify
expect_eq "verify finds the change made behind leadboard's back (65)" "$RC" 65
expect_eq "verify names only the discard made behind leadboard's back" \
	"$(printf '%s\n' "$ERR" | grep -v 'verify found' | sed 's/:.*//' | sort -u)" "leadboard"
expect_eq "... and only lead $(echo "$bo" | cut -c1-8)" \
	"$(printf '%s\n' "$ERR" | grep -v 'verify found' | grep -vc "lead $bo")" 0
done_testing
