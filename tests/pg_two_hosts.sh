#!/bin/sh
# Two "hosts" on one PostgreSQL server: two Unix users, each with a home of
# its own and no file shared but the server's socket, each with the board
# open in tmux. A move on one board shows on the other within a second
# (NOTIFY/LISTEN, no polling of the database); when the server restarts
# both boards say so and come back by themselves, and a command run while
# it is down exits 75 having changed nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/board_tmux.lib"
. "$(dirname "$0")/pg.lib"
if [ "$(id -u)" -ne 0 ]; then
	skip "two hosts on one server" "needs root to create two Unix users (run make test as root)"
	done_testing; exit 0
fi
pg_start
trap 'tm kill-server >/dev/null 2>&1; pg_stop; userdel -r "$U1" >/dev/null 2>&1;
	userdel -r "$U2" >/dev/null 2>&1; t_cleanup' EXIT

suffix=$$
U1="lbm$suffix" U2="lbs$suffix"
for u in "$U1" "$U2"; do
	useradd -m -d "$T_DIR/home-$u" -s /bin/sh "$u" || { echo "Bail out! useradd $u"; exit 1; }
done
chmod 755 "$T_DIR"
db=$(pg_new_db hosts)
export LEADBOARD_DB="$db"
"$LB" init >/dev/null || { echo "Bail out! init"; exit 1; }
lb_for_anyone
"$LB" user add "$U1" --role marketing >/dev/null
"$LB" user add "$U2" --role sales >/dev/null
id=$("$LB" --as "$U1" add --name "Ada Twohost" --email ada@example.org --company Acme --stage lead)

# host_board NAME USER: the board as USER, from USER's own home, in tmux
host_board() {
	tm new-session -d -s "$1" -x 110 -y 30 \
		"runuser -u '$2' -- env -i HOME='$T_DIR/home-$2' PATH=/usr/bin:/bin TZ=UTC \
		 LC_ALL=C.UTF-8 TERM=screen-256color LEADBOARD_DB='$db' '$LB_ANYONE' 2>'$T_DIR/$1.err'; \
		 echo \"BOARD EXITED \$?\"; sleep 600" || { echo "Bail out! tmux"; exit 1; }
	tm set-option -t "$1" status off >/dev/null
	tm resize-window -t "$1" -x 110 -y 30 >/dev/null 2>&1
	wait_for "$1" "$2 (" 5 || { screen "$1" | sed 's/^/# /'; sed 's/^/# /' "$T_DIR/$1.err"; }
}
host_board one "$U1"
host_board two "$U2"
expect_screen "the first host's board shows the lead" one "Ada Twohost"
expect_screen "the second host's board shows the lead" two "Ada Twohost"

# wait_re NAME ERE SECONDS: until a line of the screen matches
wait_re() {
	deadline=$(( $(now_ms) + $3 * 1000 ))
	until screen "$1" | grep -Eq -- "$2"; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.02
	done
}

# the card is the first of the first column on the first host's board
keys one '>'
start=$(now_ms)
if wait_re two 'MQL +1 ' 1; then
	ok "a move on the first host's board shows on the second's within a second ($(( $(now_ms) - start )) ms)"
else
	not_ok "a move on the first host's board shows on the second's within a second" \
		"$(screen two | sed 's/^/  |/')"
fi
expect_eq "the key moved the lead" "$("$LB" show "$id" --format json | jq -r .stage)" "mql"
expect_eq "... once, as the first host's user" \
	"$("$LB" log --lead "$id" --format json | jq -r '[.[] | select(.kind == "move")] | map(.actor) | join(",")')" "$U1"

# ---- the server restarts -----------------------------------------------------------------
# from its restart on, the server logs every statement: a reconnected board
# must set up its session again (lock_timeout, no JIT) as a new one does
pg_psql postgres -c "ALTER SYSTEM SET log_statement = 'all'" >/dev/null
pg_as_server "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -s stop >/dev/null 2>&1
expect_screen "the first board says it lost the database" one "cannot reach the database" 5
expect_screen "the second board too" two "cannot reach the database" 5
run "$LB" --as "$U2" claim "$id"
expect_eq "a command while the server is down exits 75" "$RC" 75
expect_match "... saying it cannot reach the database" "$ERR" '^leadboard: cannot reach the database'
pg_server_start
expect_screen "the first board reconnects by itself" one "reconnected to the database" 5
expect_screen "the second board too" two "reconnected to the database" 5
boards=$(pg_psql hosts -At -c "SELECT pid FROM pg_stat_activity WHERE datname = 'hosts'
	AND backend_type = 'client backend' AND pid <> pg_backend_pid()")
set_up=0
for pid in $boards; do
	grep -q "\[$pid\] LOG:  statement: SET lock_timeout = '30s'; SET jit = off" \
		"$PG_DIR/server.log" && set_up=$((set_up + 1))
done
expect_eq "both boards set their new sessions up as at the start" \
	"$(echo $boards | wc -w) $set_up" "2 2"
expect_eq "the claim that failed changed nothing" \
	"$("$LB" show "$id" --format json | jq -r '.owner // ""')" ""
"$LB" --as "$U1" add --name "Bea Afterwards" --company Beaco --stage lead >/dev/null
expect_screen "after reconnecting, the other host's change shows again" two "Bea Afterwards" 2
expect_code 0 "verify passes after the restart" "$LB" verify
keys one q; keys two q
expect_screen "the first board ends with status 0" one "BOARD EXITED 0" 3
done_testing
