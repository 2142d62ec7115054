#!/bin/sh
# The board's refresh on SQLite: see board_refresh.lib.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/board_tmux.lib"

refresh_new_board() { new_board refresh; }
refresh_sql() { sqlite3 "$LEADBOARD_DB" "$1"; }

. "$(dirname "$0")/board_refresh.lib"
