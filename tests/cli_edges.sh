#!/bin/sh
# Small faults at the command line's edges, each reproduced:
# - `config get nosuch` said "invalid data" (its message was formatted from
#   the buffer it was writing); it must name the unknown key (65).
# - two `init`s at once: the loser failed "the board has members already"
#   (65); it must say "initialised already" and exit 0, like a later init.
# - `--since 2026-02-30` was taken (as March 2nd); a day that does not
#   exist is refused (65), a malformed time still a usage error (64).
# - `leadboard -- list` said "no command '--'"; it runs list.
# - the board with no terminal exited 66; it is a usage error (64) that
#   points to `leadboard list`.
# - `import /dev/zero` (or an endless pipe) read until memory ran out; it
#   stops at the stated limit (65).
# - `init` printed the database path raw: a path with an escape sequence
#   in it reached the terminal.
. "$(dirname "$0")/lib.sh"

new_board edges

# ---- config get ----------------------------------------------------------------------
run "$LB" config get nosuch
expect_eq "config get nosuch: exit 65" "$RC" 65
expect_eq "... naming the key" "$ERR" "leadboard: no setting 'nosuch' (leadboard config lists them)"

# ---- two inits at once ----------------------------------------------------------------
mkdir "$T_DIR/race"
rounds=20 won=0 lost=0 other=0
i=1
while [ $i -le $rounds ]; do
	db=$T_DIR/race/$i.db
	"$LB" --db "$db" init >"$T_DIR/race/$i.a" 2>&1 &
	a=$!
	"$LB" --db "$db" init >"$T_DIR/race/$i.b" 2>&1 &
	b=$!
	wait $a; rc_a=$?
	wait $b; rc_b=$?
	for f in a b; do
		if grep -q "^initialised .* with .* as admin$" "$T_DIR/race/$i.$f"; then won=$((won + 1))
		elif grep -q "initialised already; nothing changed$" "$T_DIR/race/$i.$f"; then lost=$((lost + 1))
		else other=$((other + 1)); echo "# round $i: $(cat "$T_DIR/race/$i.$f")"; fi
	done
	[ $rc_a -eq 0 ] && [ $rc_b -eq 0 ] || { other=$((other + 1)); echo "# round $i: exits $rc_a $rc_b"; }
	i=$((i + 1))
done
expect_eq "two inits at once, $rounds times: one initialises, the other says so, both exit 0" \
	"$won $lost $other" "$rounds $rounds 0"
expect_eq "... and every board has one admin and one event" \
	"$(for f in "$T_DIR"/race/*.db; do sqlite3 "$f" "SELECT count(*) FROM users; SELECT count(*) FROM events"; done | sort -u | tr '\n' ' ')" \
	"1 "

# ---- days that do not exist --------------------------------------------------------------
for cmd in log report; do
	run "$LB" $cmd --since 2026-02-30
	expect_eq "$cmd --since 2026-02-30: refused (65)" "$RC" 65
	expect_match "... saying there is no such day" "$ERR" "no such day or time as '2026-02-30'"
	expect_code 65 "$cmd --until 2026-04-31: refused (65)" "$LB" $cmd --until 2026-04-31
	expect_code 0 "$cmd --since 2024-02-29 (a leap day) works" "$LB" $cmd --since 2024-02-29
	expect_code 64 "$cmd --since 2026-02-3x: still a usage error (64)" "$LB" $cmd --since 2026-02-3x
done

# ---- -- before the command ------------------------------------------------------------------
as maya add --name "Dash Dash" >/dev/null
run "$LB" -- list --format csv
expect_eq "leadboard -- list: exit 0" "$RC" 0
expect_eq "... the same as leadboard list" "$OUT" "$("$LB" list --format csv)"
expect_code 0 "leadboard --as maya -- list works too" "$LB" --as maya -- list

# ---- the board without a terminal ------------------------------------------------------------
run sh -c "'$LB' </dev/null"
expect_eq "the board with no terminal: exit 64" "$RC" 64
expect_match "... saying to use list" "$ERR" "needs a terminal.*leadboard list"

# ---- endless input ------------------------------------------------------------------------------
before=$(db_digest)
run "$LB" --as maya import /dev/zero
expect_eq "import /dev/zero: exit 65" "$RC" 65
expect_match "... at the stated limit" "$ERR" "/dev/zero is larger than 256 MiB"
run sh -c "yes 'a,b,c' | '$LB' --as maya import -"
expect_eq "an endless pipe: exit 65" "$RC" 65
expect_match "... at the same limit" "$ERR" "standard input is larger than 256 MiB"
expect_eq "... nothing was imported" "$(db_digest)" "$before"

# ---- paths printed by init are escaped ---------------------------------------------------------
odd=$T_DIR/$(printf 'odd\033]0;pwned\007\033[31mdir')
run "$LB" --db "$odd/board.db" init
expect_eq "init in a folder named with escape sequences: exit 0" "$RC" 0
expect_no_match "... prints no ESC or BEL byte" "$(printf '%s' "$OUT" | od -An -c)" '033|007'
expect_match "... but a readable path" "$OUT" "^initialised .*odd\?\]0;pwned\?\?\[31mdir/board\.db with "
run "$LB" --db "$odd/board.db" init
expect_no_match "... the second init too" "$(printf '%s' "$OUT" | od -An -c)" '033|007'
done_testing
