#!/bin/sh
# A database that cannot be written: reading works, writing is refused.
#
# Faults reproduced: a board file its reader may not write (mode 0444, in
# a folder they may or may not write to), and a board on a file system
# mounted read-only. Before, every command refused to open such a file
# ("cannot open ... for writing", 77), so nobody could even read it.
# Expected: list, show, log, report, export, verify (and stages, config)
# work; add, move and the board's moves are refused with a message that
# says the file is read-only, and nothing changes; the board opens with a
# READ-ONLY notice. The file-mode cases run as the unprivileged user
# nobody (root writes any file); the file-system case needs mount (root).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/board_tmux.lib"

new_board ro
id=$(as maya add --name "Rita Readonly" --email rita@example.com --company Acme --stage mql)
as maya move "$id" sql >/dev/null
sid=$(printf %.8s "$id")

# reads LABEL CMD...: the read commands, each must exit 0 ("$@" runs leadboard).
reads() {
	label=$1; shift
	for cmd in "list" "show $sid" "log" "report" "export" "export --format json" "verify" \
		"stages" "config"; do
		# shellcheck disable=SC2086
		run "$@" $cmd
		if [ "$RC" -eq 0 ]; then ok "$label: $cmd works"
		else not_ok "$label: $cmd works" "exit $RC" "$ERR"; fi
	done
}

# writes LABEL WHY DIGEST-CMD CMD...: add and move are refused, saying why.
writes() {
	label=$1 why=$2 digest_cmd=$3; shift 3
	before=$($digest_cmd)
	run "$@" add --name "Never Added"
	expect_eq "$label: add is refused (77)" "$RC" 77
	expect_match "$label: ... saying the file is read-only" "$ERR" "^leadboard: .* is read-only \($why\); nothing was changed$"
	run "$@" move "$sid" opportunity
	expect_eq "$label: move is refused (77)" "$RC" 77
	expect_eq "$label: nothing changed" "$($digest_cmd)" "$before"
}

# ---- a file its user may not write ------------------------------------------------
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
	nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	chmod 755 "$T_DIR"
	lb_for_anyone
	for place in own-folder root-folder; do
		dir=$T_DIR/$place
		mkdir "$dir"
		sqlite3 "$LEADBOARD_DB" ".backup '$dir/board.db'"
		chown nobody "$dir/board.db"
		chmod 0444 "$dir/board.db"
		# in a folder nobody may not write to, SQLite cannot make its -shm index
		[ $place = own-folder ] && chown nobody "$dir"
		digest() { sqlite3 "file:$dir/board.db?immutable=1" "SELECT * FROM leads; SELECT * FROM events" | sha256sum; }
		reads "mode 0444 ($place)" nobody "$LB_ANYONE" --db "$dir/board.db" --as maya
		writes "mode 0444 ($place)" "you have no write permission on it" digest nobody "$LB_ANYONE" --db "$dir/board.db" --as maya
	done
	dir=$T_DIR/own-folder
	expect_eq "a reader leaves no -wal or -shm behind" "$(ls "$dir" | grep -c -e -wal -e -shm)" 0
	chmod 0644 "$dir/board.db"
	expect_code 0 "... so the file, writable again, takes changes" \
		nobody "$LB_ANYONE" --db "$dir/board.db" --as maya add --name "Added Later"
	# writable file, but its folder is not: SQLite cannot make its -wal
	dir=$T_DIR/locked-folder
	mkdir "$dir"
	sqlite3 "$LEADBOARD_DB" ".backup '$dir/board.db'"
	chown nobody "$dir/board.db"
	chmod 0644 "$dir/board.db"
	digest() { sqlite3 "file:$dir/board.db?immutable=1" "SELECT * FROM leads; SELECT * FROM events" | sha256sum; }
	run nobody "$LB_ANYONE" --db "$dir/board.db" --as maya list
	expect_eq "a writable file in a folder nobody may write to: list works" "$RC" 0
	writes "locked folder" "you may not write to its folder" digest nobody "$LB_ANYONE" --db "$dir/board.db" --as maya
else
	skip "a file its user may not write" "needs root, setpriv and the user nobody"
fi

# ---- a read-only file system ----------------------------------------------------------
MNT=$T_DIR/mnt
mkdir "$MNT"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=16m leadboard-test "$MNT" 2>/dev/null; then
	board_cleanup() { tm kill-server >/dev/null 2>&1; umount "$MNT" 2>/dev/null; t_cleanup; }
	sqlite3 "$LEADBOARD_DB" ".backup '$MNT/board.db'"
	mount -o remount,ro "$MNT" || { echo "Bail out! cannot remount read-only"; exit 1; }
	ro_digest() { sqlite3 "file:$MNT/board.db?immutable=1" "SELECT * FROM leads; SELECT * FROM events" | sha256sum; }
	reads "read-only file system" "$LB" --db "$MNT/board.db" --as maya
	writes "read-only file system" "its file system is mounted read-only" ro_digest \
		"$LB" --db "$MNT/board.db" --as sam

	# the board: opens, says so, and a claim is refused in the status line
	before=$(ro_digest)
	export LEADBOARD_DB="$MNT/board.db"
	board_start ro 100 24 sam
	expect_screen "the board opens on a read-only file system" ro "sam (sales"
	expect_screen "... with a READ-ONLY notice" ro "READ-ONLY: changes are refused."
	expect_screen "... and shows the leads" ro "Rita Readonly"
	keys ro l l
	keys ro c
	expect_screen "claiming is refused, saying why" ro "is read-only (its file system is mounted"
	expect_eq "... and nothing changed" "$(ro_digest)" "$before"
	keys ro q
	wait_for ro "BOARD EXITED" 3
	expect_eq "... and q ends it cleanly" "$(board_exited ro)" "BOARD EXITED 0"
else
	skip "a read-only file system" "cannot mount a tmpfs here (needs root and mount)"
fi
done_testing
