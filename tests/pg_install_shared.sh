#!/bin/sh
# A team host on PostgreSQL, as root: make install-shared SHARED_DATABASE=...
# puts the connection string and its password in STATEDIR/leadboard.conf,
# root:group 0640. Members get in through leadboard; nobody reads the file,
# nobody reaches the server without the password, and a log --follow of a
# member holding the password in memory cannot be read through /proc.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/host.lib"
. "$(dirname "$0")/pg.lib"

host_require_root "the shared install on PostgreSQL"
host_setup pginstall
pg_start
trap 'host_cleanup; pg_stop; t_cleanup' EXIT

# The server asks every role but the superuser for a password.
pg_psql postgres -c "CREATE ROLE lbowner LOGIN PASSWORD 'Se cret'" -c "CREATE DATABASE team OWNER lbowner"
{ echo "local all $PG_SUPERUSER trust"; echo "local all all scram-sha-256"; } >"$PG_DIR/data/pg_hba.conf"
pg_as_server "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -s reload >/dev/null 2>&1
target="host=$PG_DIR dbname=team user=lbowner password='Se cret'"
tries=0
until psql_out=$(PGPASSWORD='Se cret' "$PG_BIN/psql" -X -At -h "$PG_DIR" -U lbowner -d team -c 'SELECT 1' 2>&1) ||
	[ $tries -ge 50 ]; do sleep 0.1; tries=$((tries + 1)); done

run host_install SHARED_DATABASE="$target"
if [ "$RC" -eq 0 ]; then ok "make install-shared SHARED_DATABASE=... succeeds"
else not_ok "make install-shared SHARED_DATABASE=... succeeds" "$(printf '%s\n%s' "$OUT" "$ERR" | tail -15)"; fi
[ -x "$H_BIN" ] || { echo "Bail out! nothing was installed"; done_testing; exit 1; }
expect_no_match "make did not print the password" "$OUT$ERR" 'Se cret'
conf="$H_STATE/leadboard.conf"
expect_eq "leadboard.conf is root:$H_GROUP, 0640" "$(stat -c '%U:%G %a' "$conf")" "root:$H_GROUP 640"
expect_eq "it holds the connection string" "$(grep '^database' "$conf")" "database = $target"
expect_eq "no database file was made" "$(ls "$H_STATE")" "leadboard.conf"
expect_eq "the admin is the one named, in the server's database" \
	"$(pg_psql team -At -c "SELECT role FROM users WHERE login = '$H_ADMIN'")" admin

host_as "$H_ADMIN" "$H_BIN" user add "$H_MKT" --role marketing >/dev/null
expect_code 0 "the admin adds a rep" host_as "$H_ADMIN" "$H_BIN" user add "$H_REP1" --role sales
run host_as "$H_MKT" "$H_BIN" add --name "Ada Server" --email ada@example.com --company Acme --stage mql
id=$OUT
expect_eq "a marketer adds a lead through the installed binary" "$RC" 0
expect_code 0 "the marketer hands it off" host_as "$H_MKT" "$H_BIN" move "$id" sql
expect_code 0 "a rep claims it" host_as "$H_REP1" "$H_BIN" claim "$id"
expect_code 77 "a Unix user who is no member is refused" host_as "$H_OUT" "$H_BIN" list
expect_eq "the log names the real login of each actor" \
	"$(pg_psql team -At -c "SELECT string_agg(actor || '/' || kind, ' ' ORDER BY seq)
		FROM events WHERE lead_id = '$id'")" "$H_MKT/create $H_MKT/handoff $H_REP1/claim"

# ---- nothing to bypass ------------------------------------------------------------
expect_code 1 "a rep cannot read leadboard.conf" host_as "$H_REP1" cat "$conf"
run host_as "$H_REP1" "$PG_BIN/psql" -X -w -h "$PG_DIR" -U lbowner -d team -c 'SELECT 1'
expect_eq "a rep's psql does not get in without the password" "$RC" 2
expect_match "... the server asks for it" "$ERR" 'password'
run host_as "$H_REP1" "$H_BIN" --db "$conf" list
expect_no_match "--db naming leadboard.conf shows nothing of it" "$OUT$ERR" 'Se cret|lbowner'
run host_as "$H_REP1" env LEADBOARD_DB="$target" PGPASSWORD=x "$H_BIN" list
expect_no_match "errors never echo a connection string" "$ERR" 'Se cret'
host_follow "$H_REP1"
host_expect_follow_unreadable mem \
	"their leadboard, holding the password, is not dumpable: its /proc files are root's" \
	"... so the rep cannot read its environment"
host_follow_end
expect_code 0 "the board verifies" host_as "$H_ADMIN" "$H_BIN" verify
done_testing
