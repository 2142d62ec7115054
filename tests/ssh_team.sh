#!/bin/sh
# A team on one host, end to end, as root: a throwaway sshd on 127.0.0.1
# with its own host key and config, real Unix users (a marketer, two reps,
# a manager) with generated keys, and make install-shared into a temporary
# PREFIX and STATEDIR. Through ssh -tt under tmux: both reps' boards show
# the leads; the marketer hands one off over ssh and both boards show it in
# SQL within two seconds; one rep passes it back through the reason dialog
# and the other rep's board shows it leave. Over ssh a rep cannot read the
# database with sqlite3, and --as, USER= and LOGNAME= change nothing; the
# audit log names the real login of each actor. The second rep gets the
# board as a ForceCommand with DisableForwarding, as README.md documents.
# sshd, tmux, users and files are removed at the end.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/host.lib"

host_require_root "SSH end to end"
for tool in /usr/sbin/sshd ssh ssh-keygen tmux; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		skip "SSH end to end" "$tool is missing (install openssh-server, openssh-client and tmux; .ci/run does)"
		done_testing; exit 0
	fi
done

host_setup ssh
S=$H_BASE/ssh
TMUX_SOCKET=$S/tmux.sock
ssh_cleanup() {
	tmux -S "$TMUX_SOCKET" kill-server 2>/dev/null
	if [ -f "$S/sshd.pid" ]; then
		sshd_pid=$(cat "$S/sshd.pid")
		kill "$sshd_pid" 2>/dev/null && host_wait_gone "$sshd_pid" 5
	fi
}
trap 'ssh_cleanup; host_cleanup; t_cleanup' EXIT

run host_install
[ "$RC" -eq 0 ] || { echo "Bail out! make install-shared failed: $(printf '%s' "$ERR" | tail -5)"; exit 1; }
ok "make install-shared into $H_PREFIX"
host_as "$H_ADMIN" "$H_BIN" user add "$H_MKT" --role marketing >/dev/null &&
host_as "$H_ADMIN" "$H_BIN" user add "$H_REP1" --role sales >/dev/null &&
host_as "$H_ADMIN" "$H_BIN" user add "$H_REP2" --role sales >/dev/null &&
host_as "$H_ADMIN" "$H_BIN" user add "$H_MGR" --role manager >/dev/null ||
	{ echo "Bail out! adding members failed"; exit 1; }

# ---- a throwaway sshd --------------------------------------------------------
mkdir -m 700 "$S" "$S/keys"
ssh-keygen -q -t ed25519 -N '' -C leadboard-test-host -f "$S/host_key" &&
ssh-keygen -q -t ed25519 -N '' -C leadboard-test-client -f "$S/client_key" ||
	{ echo "Bail out! ssh-keygen failed"; exit 1; }
for u in $H_MKT $H_REP1 $H_REP2 $H_MGR; do
	cp "$S/client_key.pub" "$S/keys/$u"
	usermod -p '*' "$u"   # no password, but not locked: key login only
done
chmod 755 "$S/keys"; chmod 644 "$S"/keys/*
chmod 711 "$S"
# sshd's privilege separation needs /run/sshd. It stays when we are done:
# another sshd (another run of this test) may be using it, and every new
# connection to that sshd fails once it is gone.
[ -d /run/sshd ] || mkdir -m 755 /run/sshd

port=$((20000 + $$ % 20000))
started=
for attempt in 1 2 3 4 5 6 7 8; do
	cat >"$S/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $S/host_key
PidFile $S/sshd.pid
AuthorizedKeysFile $S/keys/%u
AuthenticationMethods publickey
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin no
AllowUsers $H_MKT $H_REP1 $H_REP2 $H_MGR
PermitUserEnvironment no
SetEnv LANG=C.UTF-8
PrintMotd no
PrintLastLog no
LogLevel VERBOSE
# A rep who gets only the board.
Match User $H_REP2
	ForceCommand $H_BIN
	DisableForwarding yes
EOF
	rm -f "$S/sshd.log" "$S/sshd.pid"
	/usr/sbin/sshd -f "$S/sshd_config" -E "$S/sshd.log" ||
		{ echo "Bail out! sshd would not start: $(tail -3 "$S/sshd.log")"; exit 1; }
	tries=0
	while [ $tries -lt 400 ]; do
		grep -q "Server listening on 127.0.0.1 port $port" "$S/sshd.log" 2>/dev/null && started=1
		[ -n "$started" ] && break
		grep -q "Bind to port\|Cannot bind" "$S/sshd.log" 2>/dev/null && break
		sleep 0.05; tries=$((tries + 1))
	done
	[ -n "$started" ] && break
	[ -f "$S/sshd.pid" ] && kill "$(cat "$S/sshd.pid")" 2>/dev/null
	port=$((port + 1))
done
[ -n "$started" ] || { echo "Bail out! sshd did not listen: $(tail -3 "$S/sshd.log")"; exit 1; }
ok "a throwaway sshd listens on 127.0.0.1 port $port"
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$S/host_key.pub")" >"$S/known_hosts"

SSH="ssh -F /dev/null -i $S/client_key -o IdentitiesOnly=yes -o BatchMode=yes \
-o UserKnownHostsFile=$S/known_hosts -o StrictHostKeyChecking=yes -o LogLevel=ERROR -p $port"
# over LOGIN REMOTE-COMMAND: one command over ssh, without a terminal.
over() { u=$1; shift; $SSH "$u@127.0.0.1" "$@"; }

expect_eq "key login works" "$(over "$H_MKT" id -un)" "$H_MKT"
expect_eq "sshd listens on loopback only" \
	"$(grep -c 'Server listening' "$S/sshd.log")-$(grep 'Server listening' "$S/sshd.log" | grep -vc '127.0.0.1')" "1-0"

# ---- leads, over ssh -------------------------------------------------------------
run over "$H_MKT" "$H_BIN add --name 'Zed Handoff' --email zed@example.com --company Zco --stage mql"
zed=$OUT
expect_eq "the marketer adds a lead over ssh" "$RC" 0
run over "$H_MKT" "$H_BIN add --name 'Yew Working' --email yew@example.com --company Yco --stage mql"
yew=$OUT
over "$H_MKT" "$H_BIN move $yew sql" >/dev/null
expect_eq "leads are in MQL and SQL" \
	"$(host_db "SELECT group_concat(stage, ' ') FROM (SELECT stage FROM leads ORDER BY name DESC)")" \
	"mql sql"

# ---- the boards, through ssh -tt under tmux ----------------------------------------
tmux() { command tmux -S "$TMUX_SOCKET" "$@"; }
tmux -f /dev/null new-session -d -s keep -x 200 -y 50 || { echo "Bail out! tmux failed"; exit 1; }
tmux set-option -g remain-on-exit on
tmux set-option -g default-terminal screen
tmux new-session -d -s rep1 -x 200 -y 50 "$SSH -tt $H_REP1@127.0.0.1 $H_BIN"
tmux new-session -d -s rep2 -x 200 -y 50 "$SSH -tt $H_REP2@127.0.0.1"

screen() { tmux capture-pane -p -t "$1"; }

# wait_for SESSION TEST ARGS...: poll the screen until TEST holds (up to 20 s).
wait_for() {
	session=$1; shift
	deadline=$(($(date +%s) + 20))
	while :; do
		screen "$session" >"$T_DIR/screen.$session"
		"$@" "$T_DIR/screen.$session" && return 0
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}
shows() { grep -q "$1" "$2"; }            # shows TEXT FILE
# column_of NAME FILE: the stage title whose column holds the card NAME,
# read from the screen by position (box characters count as one column).
column_of() {
	LC_ALL=C.UTF-8 sed 's/[^ -~]/#/g' "$2" | awk -v name="$1" '
		hdr == "" && /MQL/ && /SQL/ { hdr = $0 }
		index($0, name) && where == 0 { where = index($0, name) }
		END {
			if (!where || hdr == "") { print "none"; exit }
			n = split("Lead MQL SQL Opportunity Customer", t, " ")
			best = "none"; bx = 0
			for (i = 1; i <= n; i++) {
				x = index(hdr, t[i])
				if (x && x <= where && x > bx) { bx = x; best = t[i] }
			}
			print best
		}'
}
in_column() { [ "$(column_of "$1" "$3")" = "$2" ]; }       # in_column NAME TITLE FILE
not_in_column() { [ "$(column_of "$1" "$3")" != "$2" ]; }

board_ok=
if wait_for rep1 shows "Yew Working"; then
	board_ok=1
else
	echo "# rep 1's screen:"; sed 's/^/#   /' "$T_DIR/screen.rep1" | head -12
fi
if [ -z "$board_ok" ]; then
	skip "the boards over ssh" "the board did not come up (is it built?); screen above"
else
	ok "rep 1's board comes up over ssh -tt"
	if wait_for rep2 shows "Yew Working"; then ok "rep 2's board comes up as the ForceCommand"
	else not_ok "rep 2's board comes up as the ForceCommand" "$(head -5 "$T_DIR/screen.rep2")"; fi
	for r in rep1 rep2; do
		if wait_for $r in_column "Zed Handoff" MQL && wait_for $r in_column "Yew Working" SQL; then
			ok "$r's board shows the leads (Zed in MQL, Yew in SQL)"
		else
			not_ok "$r's board shows the leads (Zed in MQL, Yew in SQL)" \
				"Zed in $(column_of "Zed Handoff" "$T_DIR/screen.$r")," \
				"Yew in $(column_of "Yew Working" "$T_DIR/screen.$r")"
		fi
	done

	# The handoff, over ssh; both boards follow without a key press.
	expect_code 0 "the marketer hands Zed off over ssh" over "$H_MKT" "$H_BIN move $zed sql"
	for r in rep1 rep2; do
		if wait_for $r in_column "Zed Handoff" SQL; then ok "$r's board shows Zed in SQL"
		else not_ok "$r's board shows Zed in SQL" \
			"Zed is in $(column_of "Zed Handoff" "$T_DIR/screen.$r")"; fi
	done

	# Rep 1 passes it back through the reason dialog: filter to the card,
	# go to the SQL column, <, the second reason, a note, Enter.
	tmux send-keys -t rep1 / Z e d Enter
	for k in 1 2 3 4 5 6; do tmux send-keys -t rep1 h; done
	tmux send-keys -t rep1 l l g '<'
	if wait_for rep1 shows "No budget"; then
		ok "< on a card in SQL opens the reason picker"
	else
		not_ok "< on a card in SQL opens the reason picker" "$(head -20 "$T_DIR/screen.rep1")"
	fi
	tmux send-keys -t rep1 Down Enter
	wait_for rep1 shows "Note (optional)"
	tmux send-keys -t rep1 -l 'call again in Q3'
	tmux send-keys -t rep1 Enter
	tries=0
	while [ $tries -lt 200 ]; do
		last=$(host_db "SELECT actor || ' ' || kind || ' ' || ifnull(reason, '-') || ' ' ||
			ifnull(note, '-') FROM events WHERE lead_id = '$zed' ORDER BY seq DESC LIMIT 1")
		[ "${last%% *}" = "$H_REP1" ] && break
		sleep 0.1; tries=$((tries + 1))
	done
	expect_eq "the pass-back is stored with the reason and note picked on the board" "$last" \
		"$H_REP1 passback no-budget call again in Q3"
	if wait_for rep2 not_in_column "Zed Handoff" SQL; then
		ok "rep 2's board shows Zed leave SQL"
	else
		not_ok "rep 2's board shows Zed leave SQL" "$(head -20 "$T_DIR/screen.rep2")"
	fi
	tmux send-keys -t rep1 Escape q
	tmux send-keys -t rep2 q
fi

# ---- nothing to bypass over ssh --------------------------------------------------
expect_code 1 "a rep's sqlite3 on the database fails" over "$H_REP1" "sqlite3 $H_DB 'SELECT count(*) FROM leads'"
expect_match "... for lack of permission" "$ERR" '[Pp]ermission denied|unable to open'
expect_code 1 "a rep cannot copy the database file" over "$H_REP1" "cat $H_DB >/dev/null"
expect_code 77 "a rep's --as is refused" over "$H_REP1" "$H_BIN --as $H_MKT move $zed sql"
expect_code 77 "USER= and LOGNAME= do not make a rep the admin" \
	over "$H_REP1" "USER=$H_ADMIN LOGNAME=$H_ADMIN $H_BIN user add mallory --role admin"
expect_code 77 "USER= and LOGNAME= do not make a rep the marketer" \
	over "$H_REP1" "USER=$H_MKT LOGNAME=$H_MKT $H_BIN move $zed sql"
expect_code 255 "the board-only rep gets no forwarding" $SSH -W 127.0.0.1:$port "$H_REP2@127.0.0.1"

# ---- the audit log, read by the manager over ssh -----------------------------------
run over "$H_MGR" "$H_BIN log --lead $zed --format json"
expect_eq "the manager reads the log over ssh" "$RC" 0
if [ -n "$board_ok" ]; then want="$H_MKT:create $H_MKT:handoff $H_REP1:passback"
else want="$H_MKT:create"; fi
expect_eq "the log names the real login of each actor" \
	"$(printf '%s' "$OUT" | jq -r 'map(.actor + ":" + .kind) | join(" ")')" "$want"
expect_eq "... and no one acted as someone else" \
	"$(printf '%s' "$OUT" | jq -r 'map(select(.real_user != null)) | length')" 0
run host_db "SELECT count(*) FROM users WHERE login = 'mallory'"
expect_eq "the spoofed user add wrote nothing" "$OUT" 0
expect_code 0 "the database verifies" host_as "$H_ADMIN" "$H_BIN" verify
done_testing
