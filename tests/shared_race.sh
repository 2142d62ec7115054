#!/bin/sh
# The path race on a shared install, as root with real Unix users.
#
# Attack: a local user who is no board member (and then a sales member)
# makes PARENT/p holding a real folder x, a symlink y to PARENT/p/a/b and a
# database of their own at PARENT/p/state/leadboard.db, where they are
# admin. Through the folder, PARENT/p/x/../../state/leadboard.db is the
# shared database; through the symlink, it is their own. A child swaps x
# and y with renameat2(RENAME_EXCHANGE) in a tight loop while the user runs
#   leadboard --db PARENT/p/x/../../state/leadboard.db --as ADMIN user add ME --role admin
# 500 times (200 in make test; make stress runs them all). When leadboard decided "shared database, keep the group" on
# one resolution of the path, "you own it, --as is fine" on another, and
# opened a third, the user became admin of the shared board.
# Expected: no attempt changes the shared database (its dump is the same
# byte for byte), the user is no member, and the race was really run (the
# same path opened both files while x and y were swapped).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/host.lib"

host_require_root "the path race"
OUTSIDER_TRIES=$(rounds 200 500) MEMBER_TRIES=$(rounds 50 100)
RACE=${TEST_BIN_DIR:?}/tools/swap_race
if [ ! -x "$RACE" ]; then
	echo "Bail out! $RACE is missing (make tests-build builds it)"; exit 1
fi
host_setup race
run host_install
[ "$RC" -eq 0 ] || { echo "Bail out! make install-shared failed: $(printf '%s' "$ERR" | tail -5)"; exit 1; }
ok "make install-shared into $H_PREFIX"
host_as "$H_ADMIN" "$H_BIN" user add "$H_REP1" --role sales >/dev/null ||
	{ echo "Bail out! user add failed"; exit 1; }
# the race program must be runnable by the users
cp "$RACE" "$H_BASE/swap_race" && chmod 755 "$H_BASE/swap_race"
RACE=$H_BASE/swap_race

# stage USER DIR: DIR (under H_BASE, owned by USER) with x, y -> DIR/a/b and
# USER's own database DIR/state/leadboard.db, with USER its admin.
stage() {
	user=$1 dir=$2
	mkdir "$dir" && chown "$user" "$dir"
	host_as "$user" sh -c "mkdir -p '$dir/x' '$dir/a/b' '$dir/state' && ln -s '$dir/a/b' '$dir/y' &&
		echo mine >'$dir/state/marker'" ||
		{ echo "Bail out! staging $dir failed"; exit 1; }
	host_as "$user" "$H_BIN" --db "$dir/state/leadboard.db" init >/dev/null ||
		{ echo "Bail out! $user cannot make a database of their own"; exit 1; }
}
stage "$H_OUT" "$H_BASE/p"
stage "$H_REP1" "$H_BASE/q"

shared_dump() { host_db .dump | sha256sum | cut -c1-64; }
before=$(shared_dump)

# Both meanings of the path occur while x and y are swapped: through x the
# user reaches their own marker file (cat exits 0) or the shared STATEDIR,
# which they cannot enter (1).
run host_as "$H_OUT" "$RACE" "$H_BASE/p" x y 50 /bin/cat "$H_BASE/p/x/../../state/marker"
if printf '%s' "$OUT" | grep -q '^exit 0:' && printf '%s' "$OUT" | grep -q '^exit 1:'; then
	ok "the swapped path reaches both databases (the race is live)"
else not_ok "the swapped path reaches both databases (the race is live)" "$OUT" "$ERR"; fi

run host_as "$H_OUT" "$RACE" "$H_BASE/p" x y $OUTSIDER_TRIES "$H_BIN" \
	--db "$H_BASE/p/x/../../state/leadboard.db" --as "$H_ADMIN" user add "$H_OUT" --role admin
expect_eq "a non-member ran the attack $OUTSIDER_TRIES times" "$RC" 0
echo "# exit codes of the $OUTSIDER_TRIES attempts: $(printf '%s' "$OUT" | tr '\n' ' ')"
expect_eq "... and is not a member of the shared board" \
	"$(host_db "SELECT count(*) FROM users WHERE login = '$H_OUT'")" 0
expect_eq "... and the shared database is unchanged" "$(shared_dump)" "$before"

run host_as "$H_REP1" "$RACE" "$H_BASE/q" x y $MEMBER_TRIES "$H_BIN" \
	--db "$H_BASE/q/x/../../state/leadboard.db" --as "$H_ADMIN" user set "$H_REP1" --role admin
echo "# exit codes of the member's $MEMBER_TRIES attempts: $(printf '%s' "$OUT" | tr '\n' ' ')"
expect_eq "a sales member racing $MEMBER_TRIES times is still sales" \
	"$(host_db "SELECT role FROM users WHERE login = '$H_REP1'")" sales
expect_eq "... and the shared database is unchanged" "$(shared_dump)" "$before"
done_testing
