#!/bin/sh
# A personal database's files, and the paths that reach it.
#
# Fault reproduced: with the usual umask 022 a new personal database was
# 0644 in 0755 folders, so a colleague on the same host copied it with cp
# and read every lead with sqlite3. Expected: whatever the umask (000, 022,
# 077), the database, its -wal, -shm and -lock are 0600 and the folders
# leadboard creates for it 0700; a colleague (the user nobody) reads none
# of it. (The shared install's 0660 and 2770 are checked by
# install_shared.sh.)
# Fault reproduced: a home reached through a symbolic link (HOME=/link/me)
# or --db through a linked folder or naming a link failed with "unable to
# open database file". Expected: all of them work; only the shared
# install's privileged path is strict (install_shared.sh).
. "$(dirname "$0")/lib.sh"

mode() { stat -c %a "$1"; }

for mask in 000 022 077; do
	home=$T_DIR/home-$mask
	mkdir -m 755 "$home"
	run sh -c "umask $mask; HOME='$home' XDG_DATA_HOME= '$LB' init"
	expect_eq "umask $mask: init in a fresh home works" "$RC" 0
	db=$home/.local/share/leadboard/leadboard.db
	expect_eq "umask $mask: the database is 0600" "$(mode "$db")" 600
	expect_eq "umask $mask: the -lock is 0600" "$(mode "$db-lock")" 600
	expect_eq "umask $mask: the folders it made are 0700" \
		"$(mode "$home/.local") $(mode "$home/.local/share") $(mode "$home/.local/share/leadboard")" \
		"700 700 700"
done

# -wal and -shm exist while a connection is open: keep one open.
db=$T_DIR/home-000/.local/share/leadboard/leadboard.db
(umask 000; exec "$LB" --db "$db" log --follow >/dev/null 2>&1) &
follower=$!
tries=0
while [ ! -e "$db-shm" ] && [ $tries -lt 50 ]; do sleep 0.1; tries=$((tries + 1)); done
(umask 000; "$LB" --db "$db" user add maya --role marketing >/dev/null)
expect_eq "umask 000: the -wal and -shm are 0600" "$(mode "$db-wal") $(mode "$db-shm")" "600 600"
kill "$follower" 2>/dev/null; wait "$follower" 2>/dev/null

if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
	chmod 755 "$T_DIR"
	chmod 755 "$T_DIR/home-022/.local" "$T_DIR/home-022/.local/share" \
		"$T_DIR/home-022/.local/share/leadboard"
	expect_code 1 "a colleague cannot copy a personal database, even in open folders" \
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
		cat "$T_DIR/home-022/.local/share/leadboard/leadboard.db"
else
	skip "a colleague cannot copy a personal database" "needs root to run as nobody"
fi

# ---- symbolic links on the way to a personal database ------------------------------
mkdir -p "$T_DIR/real/me"
ln -s "$T_DIR/real" "$T_DIR/link"
expect_code 0 "a home reached through a symbolic link: init" \
	env HOME="$T_DIR/link/me" XDG_DATA_HOME= "$LB" init
expect_code 0 "... and list" env HOME="$T_DIR/link/me" XDG_DATA_HOME= "$LB" list
expect_eq "... the file is in the real folder" \
	"$(test -f "$T_DIR/real/me/.local/share/leadboard/leadboard.db" && echo yes)" yes
expect_code 0 "--db through a linked folder" "$LB" --db "$T_DIR/link/me/other.db" init
expect_code 0 "... adds a lead" "$LB" --db "$T_DIR/link/me/other.db" add --name "Via Link"
ln -s "$T_DIR/real/me/other.db" "$T_DIR/named-link.db"
run "$LB" --db "$T_DIR/named-link.db" list --format csv
expect_eq "--db naming a link to the file: list works" "$RC" 0
expect_match "... and shows the lead" "$OUT" "Via Link"
expect_code 0 "... and adds a lead" "$LB" --db "$T_DIR/named-link.db" add --name "Second"
expect_eq "... writers queue on one -lock, beside the real file" \
	"$(ls "$T_DIR" | grep -c 'named-link.db-')" 0
done_testing
