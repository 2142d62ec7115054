#!/bin/sh
# The board's refresh on PostgreSQL (boards wake on the server's
# notifications, which carry the seq): see board_refresh.lib.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/board_tmux.lib"
. "$(dirname "$0")/pg.lib"
pg_start
trap 'board_cleanup; pg_stop' EXIT

refresh_new_board() {
	LEADBOARD_DB=$(pg_new_db refresh); export LEADBOARD_DB
	"$LB" init >/dev/null || { echo "Bail out! init failed"; exit 1; }
	for u in maya:marketing marco:marketing sam:sales sara:sales mona:manager; do
		"$LB" user add "${u%%:*}" --role "${u#*:}" >/dev/null ||
			{ echo "Bail out! user add $u failed"; exit 1; }
	done
}
refresh_sql() { pg_psql refresh -c "$1" >/dev/null; }

. "$(dirname "$0")/board_refresh.lib"
