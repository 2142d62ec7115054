#!/bin/sh
# What a shared install's group must not lend out, as root with real users.
#
# Attack 1, the install: a user who creates STATEDIR before the admin runs
# `make install-shared`, with a leadboard.db of their own in it, became
# admin of the "shared" board and kept the -lock file; a STATEDIR that is a
# symbolic link had its target chowned to the group. Expected: the install
# refuses, in one line saying why and before building anything, a STATEDIR
# that is a link, belongs to someone else, or holds a database, -wal, -shm
# or -lock not root's and the group's; nothing there changes hands. A clean
# install creates the -lock itself, root:GROUP 0660.
# Attack 2, import: a member imported a file only the leadboard group may
# read (the database itself included); its rows landed on the board, and
# the error messages of a failed import counted its lines and fields.
# Expected: the file is opened as the member alone: refused (77), and
# nothing of it appears in any output or on the board.
# Attack 3, demo: a user who is no member ran `leadboard demo` on the
# shared board and filled it with 320 leads and a thousand events in other
# people's names. Expected: refused (77) to anyone but an admin, and to an
# admin once the board has events past init (65); nothing written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/host.lib"

host_require_root "the shared install's boundary"
host_setup boundary
home=$(getent passwd "$H_OUT" | cut -d: -f6)

# try_install STATEDIR: make install-shared into it (output in $OUT/$ERR).
try_install() {
	run env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u BUILD -u CFLAGS -u LDFLAGS -u CPPFLAGS \
		make -C "$H_REPO" -s install-shared PREFIX="$H_BASE/other" STATEDIR="$1" \
		ADMIN="$H_ADMIN" SHARED_GROUP="$H_GROUP" SHARED_BUILD="$H_BASE/build-refused"
}
# one_line_refusal DESC: the install failed with one "install-shared:" line, built nothing.
one_line_refusal() {
	if [ "$RC" -ne 0 ] && [ "$(printf '%s\n' "$ERR" | grep -c 'leadboard: install-shared:')" -eq 1 ] &&
		[ ! -e "$H_BASE/build-refused" ] && [ ! -e "$H_BASE/other/bin/leadboard" ]; then
		ok "$1"
	else not_ok "$1" "exit $RC" "$ERR" "$OUT"; fi
}

# ---- 1. install-shared adopts nothing -----------------------------------------------------
groupadd "$H_GROUP"   # as if a first install had made it, so files can name it
# A user's STATEDIR with their own board in it
host_as "$H_OUT" mkdir "$home/state"
host_as "$H_OUT" "$LB" --db "$home/state/leadboard.db" init >/dev/null
try_install "$home/state"
one_line_refusal "a STATEDIR a user made first is refused"
expect_match "... saying whose it is" "$ERR" "belongs to $H_OUT, not root"
expect_eq "... and their board stays theirs, out of the group" \
	"$(stat -c '%U:%G' "$home/state" "$home/state/leadboard.db" | sort -u | tr '\n' ' ')" \
	"$H_OUT:$(id -gn "$H_OUT") "
# A symbolic link to a user's folder
mkdir -m 755 "$H_BASE/srv"
ln -s "$home/state" "$H_BASE/srv/state"
try_install "$H_BASE/srv/state"
one_line_refusal "a STATEDIR that is a symbolic link is refused"
expect_match "... saying so" "$ERR" "symbolic link"
expect_eq "... and its target is not chowned" "$(stat -c %G "$home/state")" "$(id -gn "$H_OUT")"
# root's folder, but someone else's files in it
mkdir -m 2770 "$H_BASE/srv/planted" && chgrp "$H_GROUP" "$H_BASE/srv/planted"
for f in leadboard.db-lock leadboard.db leadboard.db-wal; do
	rm -f "$H_BASE/srv/planted/"*
	touch "$H_BASE/srv/planted/$f" && chown "$H_OUT" "$H_BASE/srv/planted/$f"
	[ $f = leadboard.db-wal ] && chgrp "$(id -gn "$H_OUT")" "$H_BASE/srv/planted/$f"
	try_install "$H_BASE/srv/planted"
	one_line_refusal "a $f of someone else's in root's STATEDIR is refused"
	expect_match "... naming its owner" "$ERR" "$f belongs to $H_OUT:"
done
rm -f "$H_BASE/srv/planted/"*
# a folder above STATEDIR that a user may write to
mkdir -m 777 "$H_BASE/open"
try_install "$H_BASE/open/state"
one_line_refusal "a STATEDIR under a folder anyone may write is refused"
groupdel "$H_GROUP"

# ---- the real install -------------------------------------------------------------------------
run host_install
[ "$RC" -eq 0 ] || { echo "Bail out! make install-shared failed: $(printf '%s' "$ERR" | tail -5)"; exit 1; }
ok "make install-shared into a fresh STATEDIR"
expect_eq "the install made the -lock, root:$H_GROUP 0660" \
	"$(stat -c '%U:%G %a' "$H_DB-lock" 2>/dev/null)" "root:$H_GROUP 660"
host_as "$H_ADMIN" "$H_BIN" user add "$H_MKT" --role marketing >/dev/null
host_as "$H_MKT" "$H_BIN" add --name "First Lead" --stage lead >/dev/null
expect_eq "... and a member's change leaves it root's" \
	"$(stat -c '%U:%G %a' "$H_DB-lock")" "root:$H_GROUP 660"

shared_dump() { host_db .dump | sha256sum | cut -c1-64; }

# ---- 2. import opens the file as the member alone ---------------------------------------------
printf 'Name,Email,Company\nSecret Person,secret@example.com,Hidden Corp\n' >"$H_BASE/secret.csv"
chown root:"$H_GROUP" "$H_BASE/secret.csv" && chmod 0640 "$H_BASE/secret.csv"
before=$(shared_dump)
for dry in "" --dry-run; do
	run host_as "$H_MKT" "$H_BIN" import "$H_BASE/secret.csv" $dry
	expect_eq "import ${dry:+$dry }of a file only the group may read: refused (77)" "$RC" 77
	expect_match "... as a file the member may not open" "$ERR" "cannot open .*secret.csv: Permission denied"
	expect_no_match "... showing none of it" "$OUT$ERR" "Secret|Hidden|row|line"
done
run host_as "$H_MKT" "$H_BIN" import "$H_DB"
expect_eq "import of the database itself: refused (77)" "$RC" 77
expect_no_match "... counting none of its lines or fields" "$OUT$ERR" "line [0-9]|fields|rows"
run host_as "$H_MKT" "$H_BIN" import "$H_DB-lock"
expect_eq "... nor its -lock" "$RC" 77
expect_eq "nothing of them reached the board" "$(shared_dump)" "$before"
printf 'Name,Email,Company\nOpen Person,open@example.com,Open Corp\n' >"$H_BASE/open.csv"
chmod 0644 "$H_BASE/open.csv"
expect_code 0 "a file the member may read imports as before" \
	host_as "$H_MKT" "$H_BIN" import "$H_BASE/open.csv"

# ---- 3. demo is an admin's, on a new board -----------------------------------------------------
before=$(shared_dump)
run host_as "$H_OUT" "$H_BIN" demo
expect_eq "demo by a user who is no member: refused (77)" "$RC" 77
expect_code 77 "demo by a marketing member: refused" host_as "$H_MKT" "$H_BIN" demo
run host_as "$H_ADMIN" "$H_BIN" demo
expect_eq "demo by the admin on a board in use: refused (65)" "$RC" 65
expect_eq "... and none of them wrote anything" "$(shared_dump)" "$before"
done_testing
