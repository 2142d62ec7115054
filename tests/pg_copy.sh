#!/bin/sh
# leadboard copy: the demo board from SQLite to PostgreSQL and back gives
# byte-identical output (export, the log, the report) and the same chain.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.lib"
pg_start

src="$T_DIR/demo.db"
back="$T_DIR/back.db"
pg=$(pg_new_db copy)
"$LB" --db "$src" demo >/dev/null || { echo "Bail out! demo failed"; exit 1; }

expect_code 0 "copy SQLite -> PostgreSQL" "$LB" copy "$src" "$pg"
expect_match "copy says what it copied, naming the database not its URI" "$OUT" \
	'^copied 7 users, 5 stages, 8 reasons, 18 settings, [0-9]+ leads and [0-9]+ events from /.*/demo.db to PostgreSQL database copy$'
expect_code 0 "copy PostgreSQL -> SQLite" "$LB" copy "$pg" "$back"

# head: the newest event's seq and hash, the chain's anchor
head_of() { "$LB" --db "$1" log --format json | jq -r 'max_by(.seq) | "\(.seq) \(.hash)"'; }
log_mark=$(wc -c <"$PG_DIR/server.log")
for what in "export" "export --format json" "log --format json" "log" "report --until 2030-01-01 --format json" \
	"list --format json" "verify" "reasons --all" "stages" "config"; do
	# shellcheck disable=SC2086
	a=$("$LB" --db "$src" $what 2>&1 | sha256sum)
	# shellcheck disable=SC2086
	b=$("$LB" --db "$pg" $what 2>&1 | sha256sum)
	# shellcheck disable=SC2086
	c=$("$LB" --db "$back" $what 2>&1 | sha256sum)
	if [ "$a" = "$b" ] && [ "$a" = "$c" ]; then ok "$what: the same bytes on all three"
	else not_ok "$what: the same bytes on all three" "sqlite $a" "pg     $b" "back   $c"; fi
done
expect_eq "reading the board leaves no error in the server's log" \
	"$(tail -c +$((log_mark + 1)) "$PG_DIR/server.log" | grep ERROR)" ""
h=$(head_of "$src")
expect_match "the source has a head" "$h" '^[0-9]+ [0-9a-f]{64}$'
expect_eq "the PostgreSQL copy has the same head" "$(head_of "$pg")" "$h"
expect_eq "the copy back has the same head" "$(head_of "$back")" "$h"
expect_eq "the same files on disk: the copy back is the same rows" \
	"$(sqlite3 "$back" 'SELECT * FROM leads ORDER BY id; SELECT * FROM events ORDER BY seq;
		SELECT rowid, * FROM reasons; SELECT * FROM stage_counts WHERE n > 0 ORDER BY stage' | sha256sum)" \
	"$(sqlite3 "$src" 'SELECT * FROM leads ORDER BY id; SELECT * FROM events ORDER BY seq;
		SELECT rowid, * FROM reasons; SELECT * FROM stage_counts WHERE n > 0 ORDER BY stage' | sha256sum)"

expect_eq "the copy's stage counts are the leads' own" \
	"$(pg_psql copy -At -c "SELECT stage || ' ' || n FROM stage_counts WHERE n > 0 ORDER BY stage")" \
	"$(pg_psql copy -At -c "SELECT stage || ' ' || count(*) FROM leads GROUP BY stage ORDER BY stage")"

# A move on either side after the copy chains on from the same head.
id=$("$LB" --db "$src" list --stage lead --format json | jq -r '.[0].id')
"$LB" --db "$src" --as maya move "$id" mql >/dev/null 2>&1
"$LB" --db "$pg" --as maya move "$id" mql >/dev/null 2>&1
expect_eq "the same move on both gives the same new head hash" \
	"$(head_of "$pg" | cut -d' ' -f1)" "$(head_of "$src" | cut -d' ' -f1)"

expect_code 65 "copy refuses a destination that is not empty" "$LB" copy "$src" "$pg"
expect_match "and says why" "$ERR" 'is not empty: copy fills a new database'
expect_eq "and wrote nothing" "$(head_of "$pg" | cut -d' ' -f1)" "$(head_of "$src" | cut -d' ' -f1)"
pg2=$(pg_new_db copy2)
expect_code 77 "only an admin copies a board" "$LB" --as sam copy "$src" "$pg2" 2>/dev/null
expect_code 64 "copy takes FROM and TO, not --db" "$LB" --db "$src" copy "$src" "$pg2"
expect_code 0 "copy PostgreSQL -> PostgreSQL" "$LB" copy "$pg" "$pg2"
expect_eq "with the same head" "$(head_of "$pg2")" "$(head_of "$pg")"
done_testing
