#!/bin/sh
# Which pages a change writes on SQLite: read off the WAL's frame headers
# and named with SQLite's dbstat table.
#
# SQLite rewrites the entry of every index on a column an UPDATE sets,
# changed or not. A note or a contact attempt used to set the stage and the
# owner with everything else and so rewrote every index on leads (9 pages
# at 100k leads where 4 do); a claim rewrote the columns' and the scores'
# though the stage stays. Expected: a note and a contact attempt write no
# page of an index on leads; a claim none of leads_column and leads_score
# (it does write leads_owner); a move writes leads_column (the check can
# see an index being written at all).
. "$(dirname "$0")/lib.sh"

if lb_on_pg; then
	skip "pages a change writes" "SQLite's WAL (PostgreSQL compares values itself)"
	done_testing
	exit
fi

new_board pages
id=$(as maya add --name "Paula Pages" --email paula@example.com --company Acme --stage mql)
as maya move "$id" sql >/dev/null
other=$(as maya add --name "Otto Other" --email otto@example.com --company Acme)
for i in 1 2 3 4 5 6 7 8; do
	as maya add --name "Filler $i" --email "filler$i@example.com" --company Acme >/dev/null
done

# A reader that keeps the database open, so that no command is the last
# connection and folds the WAL in when it closes.
mkfifo "$T_DIR/hold"
sqlite3 "$LEADBOARD_DB" <"$T_DIR/hold" >/dev/null &
holder=$!
exec 9>"$T_DIR/hold"
echo "SELECT count(*) FROM leads;" >&9
# it holds the file once it has read: the WAL, which the last connection to
# close deletes, is there from then on
poll_start
until [ -e "$LEADBOARD_DB-wal" ] || poll_over 20; do poll_pause; done
if [ ! -e "$LEADBOARD_DB-wal" ]; then
	echo "Bail out! the sqlite3 shell did not open $LEADBOARD_DB"
	exit 1
fi

# be32 FILE OFFSET: the big-endian 32-bit number there
be32() {
	od -A n -t u1 -j "$2" -N 4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }'
}

# pages_of CMD...: run it (leadboard as a member) on an empty WAL; prints the
# b-trees whose pages it wrote, one name a line, sorted.
pages_of() {
	wal=$LEADBOARD_DB-wal
	# a reader of the moment makes the checkpoint give up (busy): again
	poll_start
	until sqlite3 "$LEADBOARD_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null &&
		[ "$(stat -c %s "$wal")" -eq 0 ] || poll_over 20; do
		poll_pause
	done
	"$@" >/dev/null || { echo "failed: $*"; return; }
	size=$(be32 "$wal" 8)
	bytes=$(stat -c %s "$wal")
	frames=$(( (bytes - 32) / (size + 24) ))
	list=
	i=0
	while [ "$i" -lt "$frames" ]; do
		list=$list${list:+,}$(be32 "$wal" $((32 + i * (size + 24))))
		i=$((i + 1))
	done
	sqlite3 "$LEADBOARD_DB" "SELECT DISTINCT name FROM dbstat WHERE pageno IN ($list) ORDER BY 1"
}

leads_indexes='leads_column|leads_score|leads_owner|leads_sla|leads_contact_sla|leads_due|leads_merged_into|leads_email'

as sam claim "$id" >/dev/null
written=$(pages_of as sam note "$id" "called, left a message")
expect_match "a note writes the log" "$written" "^events$"
expect_no_match "a note writes no index on leads" "$written" "$leads_indexes"

written=$(pages_of as sam touch "$id" --channel call)
expect_match "a contact attempt writes the lead" "$written" "^leads$"
expect_no_match "a contact attempt writes no index on leads" "$written" "$leads_indexes"

as sam release "$id" >/dev/null
written=$(pages_of as sara claim "$id")
expect_match "a claim writes the owners' index" "$written" "^leads_owner$"
expect_no_match "a claim writes neither the columns' nor the scores' index" "$written" \
	'leads_column|leads_score'

written=$(pages_of as maya move "$other" mql)
expect_match "a move writes the columns' index" "$written" "^leads_column$"
expect_eq "the lead's stage is MQL" "$(lb_sql "SELECT stage FROM leads WHERE id = '$other'")" mql
expect_eq "sara owns the claimed lead" "$(lb_sql "SELECT owner FROM leads WHERE id = '$id'")" sara
expect_file_intact "after the changes"

exec 9>&-
wait "$holder"
done_testing
