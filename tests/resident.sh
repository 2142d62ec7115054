#!/bin/sh
# Residents (src/cli/resident.c): a change command runs in a process of its
# user's that keeps the database open. What a user must not notice: the
# same output, exit status, clock and database as the command's own process;
# a resident that ends before it took the command changes nothing, one that
# ends while running it is said to have. What no one must be able to do: use
# another user's resident, use one's own without the leadboard group, or
# listen in place of someone's resident. (The rest of the suite runs with
# residents on; every other script's change commands go through them.)
. "$(dirname "$0")/lib.sh"

PEER=${TEST_TOOLS:?}/abstract_peer

# resident_of DB [UID]: the pid of a resident holding DB open (of UID).
resident_of() { residents_of "$@" | head -1; }

# wait_resident DB [UID]: until a resident holds DB (its pid in $RESIDENT).
wait_resident() {
	poll_start
	until RESIDENT=$(resident_of "$@"); [ -n "$RESIDENT" ] || poll_over 10; do poll_pause; done
}

# socket_name PID: the abstract name a resident listens on (/proc/net/unix).
socket_name() {
	for sn_fd in /proc/"$1"/fd/*; do
		sn_ino=$(readlink "$sn_fd" | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p')
		[ -n "$sn_ino" ] || continue
		awk -v ino="$sn_ino" '$7 == ino && $8 ~ /^@leadboard\// { print substr($8, 2) }' /proc/net/unix
	done | head -1
}

# syscalls PID: the read calls a process has made (one served command adds some).
syscalls() { awk '$1 == "syscr:" { print $2 }' /proc/"$1"/io; }

# wait_syscall PID NR: until the process sits in system call NR.
wait_syscall() {
	poll_start
	until [ "$(cut -d' ' -f1 /proc/"$1"/syscall 2>/dev/null)" = "$2" ] || poll_over 10; do
		poll_pause
	done
}

# wait_listening OUT: until the abstract_peer whose output is OUT listens.
wait_listening() {
	poll_start
	until grep -q listening "$1" 2>/dev/null || poll_over 10; do poll_pause; done
}

# queued_note TEXT OUT: the writers' queue held ($holder, an flock of its
# file, and its $sleeper, which holds the lock too), and a note of TEXT
# started in the background ($note_pid, its output in OUT) whose resident
# ($RESIDENT, the one the command started) has taken it and waits for the
# queue (flock).
queued_note() {
	flock "$LEADBOARD_DB-lock" sleep 30 &
	holder=$!
	poll_start
	until sleeper=$(pgrep -P "$holder" sleep) || poll_over 10; do poll_pause; done
	"$LB" --as maya note "$id2" "$1" >"$2" 2>&1 &
	note_pid=$!
	wait_resident "$LEADBOARD_DB"
	wait_syscall "$RESIDENT" 73
}

# release_queue: the queue's holder ends.
release_queue() {
	kill "$sleeper" "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
}

new_board resident
id1=$(as maya add --name "Ada One" --email ada@example.com)
id2=$(as maya add --name "Bo Two" --email bo@example.com)

# ---- the command runs in the resident, as in its own process ----------------------
wait_resident "$LEADBOARD_DB"
if [ -n "$RESIDENT" ]; then ok "a change command leaves a resident holding the database"
else not_ok "a change command leaves a resident holding the database"; fi
expect_eq "... named so in ps" "$(tr '\0' '\n' < /proc/"$RESIDENT"/cmdline | head -1)" "leadboard resident"
before=$(syscalls "$RESIDENT")
run as maya move "$id1" mql
expect_eq "a move through it prints what its own process printed" "$RC $OUT" \
	"0 lead ${id1%"${id1#????????}"} (Ada One): Lead -> MQL (move)"
after=$(syscalls "$RESIDENT")
if [ "$after" -gt "$before" ]; then ok "... and the resident did the reading ($before -> $after read calls)"
else not_ok "... and the resident did the reading" "read calls $before -> $after"; fi
expect_eq "... the same resident, no other" "$(resident_of "$LEADBOARD_DB")" "$RESIDENT"

# between commands, with none waiting, it copies the WAL back a little at a
# time, and the commits after start it over: 120 notes one after another
# leave a WAL of about 100 pages (a copy only past 500 let it reach 2 MiB)
if lb_on_pg; then
	skip "one command after another: the WAL stays short" "SQLite's write-ahead log"
else
	i=0
	while [ $i -lt 120 ]; do as maya note "$id2" "note $i" >/dev/null; i=$((i + 1)); done
	wal=$(stat -c %s "$LEADBOARD_DB-wal")
	if [ "$wal" -lt $((1024 * 1024)) ]; then ok "one command after another: the WAL stays short ($wal bytes)"
	else not_ok "one command after another: the WAL stays short" "$wal bytes after 120 notes"; fi
fi

run as maya move "$id1" mql
served="$RC|$OUT|$ERR"
run env LEADBOARD_RESIDENT=off "$LB" --as maya move "$id1" mql
expect_eq "a refusal says the same words with the same status as its own process" \
	"$served" "$RC|$OUT|$ERR"
run as sam move "$id2" mql
served="$RC|$OUT|$ERR"
run env LEADBOARD_RESIDENT=off "$LB" --as sam move "$id2" mql
expect_eq "... a refusal by the rules too" "$served" "$RC|$OUT|$ERR"
run as nobody-here note "$id2" hello
served="$RC|$OUT|$ERR"
run env LEADBOARD_RESIDENT=off "$LB" --as nobody-here note "$id2" hello
expect_eq "... and one for someone who is no member" "$served" "$RC|$OUT|$ERR"

LEADBOARD_TEST_NOW=2026-03-04T05:06:07Z as maya note "$id2" "at a fixed time" >/dev/null
expect_eq "each command's own environment: its clock" \
	"$(lb_sql "SELECT at FROM events WHERE note = 'at a fixed time'")" \
	"$(date -u -d 2026-03-04T05:06:07Z +%s)000"
as maya note "$id2" "at the time it is" >/dev/null
expect_eq "... and the next command's, not the one before's" \
	"$(lb_sql "SELECT at > $(date -u -d 2026-03-04T05:06:07Z +%s)000 FROM events WHERE note = 'at the time it is'")" 1

# the protocol as another program speaks it (the attacks below use it): the
# user's own, with the same group, is taken; only change commands are run
name=$(socket_name "$RESIDENT")
run "$PEER" send "$name" leadboard --as maya note "$id2" "sent by a program"
expect_eq "a program of the same user and group is taken, and its command run" \
	"$(printf '%s\n' "$OUT" | tr '\n' '|') $(lb_sql "SELECT count(*) FROM events WHERE note = 'sent by a program'")" \
	"note added to lead ${id2%"${id2#????????}"} (Bo Two)|taken 0| 1"
run "$PEER" send "$name" leadboard --as maya list
expect_match "... but a resident runs change commands only" "$OUT|$ERR" \
	'^taken 64\|leadboard: a resident runs the change commands on one lead only$'

# ---- a resident that ends --------------------------------------------------------------
# before it took the command: the command runs itself
wait_resident "$LEADBOARD_DB"
kill -STOP "$RESIDENT"
"$LB" --as maya note "$id2" "while it was stopped" >"$T_DIR/out" 2>&1 &
note_pid=$!
wait_syscall "$note_pid" 0     # the command waits for the answer (read)
kill -9 "$RESIDENT"
wait "$note_pid"
expect_eq "a resident killed before it took the command: the command runs itself" \
	"$? $(lb_sql "SELECT count(*) FROM events WHERE note = 'while it was stopped'")" "0 1"

# ... or that closes while the command is still sending it, as one that
# cannot serve its file does: the command runs itself, not killed by SIGPIPE.
# The command's words and environment (240 KB) fill the socket's buffer, so
# its write waits until the listener goes away under it.
half=$(head -c 120000 /dev/zero | tr '\0' x)
as maya note "$id2" "a resident again" >/dev/null
wait_resident "$LEADBOARD_DB"
name=$(socket_name "$RESIDENT")
residents_leave "$LEADBOARD_DB"
"$PEER" hold "$name" 2 >"$T_DIR/hold" &
hold_pid=$!
wait_listening "$T_DIR/hold"
run env LB_TEST_FILL1="$half" LB_TEST_FILL2="$half" "$LB" --as maya note "$id2" "sent as it went away"
wait "$hold_pid"
expect_eq "a resident that went away while the command was sending: the command runs itself" \
	"$RC $(lb_sql "SELECT count(*) FROM events WHERE note = 'sent as it went away'")" "0 1"

# while running it: the command cannot know, and says so
queued_note "while the queue was held" "$T_DIR/out"
kill -9 "$RESIDENT"
wait "$note_pid"
rc=$?
release_queue
expect_eq "a resident killed while running the command: exit 75" "$rc" 75
expect_match "... saying the change may or may not have been made" "$(cat "$T_DIR/out")" \
	'^leadboard: the process running this command ended before it answered: the change may or may not have been made'
expect_eq "... and here it was not" \
	"$(lb_sql "SELECT count(*) FROM events WHERE note = 'while the queue was held'")" 0

# the command's process goes away (Ctrl-C, a kill) while the resident waits for its
# turn: nothing is changed, as its own process, ended, would have changed nothing
queued_note "given up" /dev/null
kill -TERM "$note_pid"   # (a background job of a script ignores SIGINT)
wait "$note_pid"
rc=$?
release_queue
as maya note "$id2" "after the one given up" >/dev/null   # (runs after it, in the same resident)
after_rc=$?
expect_eq "a command ended while it waits for its turn: nothing written" \
	"$rc $(lb_sql "SELECT count(*) FROM events WHERE note = 'given up'")" "143 0"
expect_eq "... and the next command is" \
	"$after_rc $(lb_sql "SELECT count(*) FROM events WHERE note = 'after the one given up'")" "0 1"
expect_eq "... by the same resident, which goes on" "$(resident_of "$LEADBOARD_DB")" "$RESIDENT"

# ... also when its turn comes as it ends: the command's process ends, then
# the queue's holder, before the resident runs again (on a busy host it
# may not run in between). A real-time loop on the resident's CPU keeps it
# off until both have happened; the flock then succeeds with the give-up's
# signal pending, and the queue must be handed on, not written.
cpu=$(($(nproc) - 1))
if [ "$cpu" -lt 1 ] || ! taskset -c "$cpu" chrt -f 10 true 2>/dev/null; then
	skip "a command that ends as its turn comes: nothing written" \
		"needs two CPUs and the right to run a real-time loop on one (root)"
else
	queued_note "ended as its turn came" /dev/null
	taskset -p -c "$cpu" "$RESIDENT" >/dev/null
	# (timeout, on another CPU, ends the loop should this script not)
	timeout 20 taskset -c "$cpu" chrt -f 10 sh -c 'while :; do :; done' &
	hog=$!
	# (no pause while it starts: the resident's wait wakes every 100 ms on
	# its own, and a wake-up in the window would hide the moment)
	tries=0
	until loop=$(pgrep -x -P "$hog" sh) && chrt -p "$loop" | grep -q FIFO ||
		[ $((tries += 1)) -gt 1000 ]; do :; done
	kill -TERM "$note_pid"
	wait "$note_pid"
	release_queue
	kill "$hog"
	wait "$hog" 2>/dev/null
	taskset -p -c "0-$cpu" "$RESIDENT" >/dev/null
	as maya note "$id2" "after the one that ended" >/dev/null
	expect_eq "a command that ends as its turn comes: nothing written" \
		"$(lb_sql "SELECT count(*) FROM events WHERE note = 'ended as its turn came'") $(lb_sql "SELECT count(*) FROM events WHERE note = 'after the one that ended'")" \
		"0 1"
fi

# ---- a resident leaves ---------------------------------------------------------------
as maya note "$id2" "then nothing for a while" >/dev/null
wait_resident "$LEADBOARD_DB"
gone=$RESIDENT
poll_start
while kill -0 "$gone" 2>/dev/null && ! poll_over 15; do poll_pause; done
if kill -0 "$gone" 2>/dev/null; then not_ok "a resident leaves after 5 s without a command"
else ok "a resident leaves after 5 s without a command"; fi

# another file at the path: commands go to a resident of that file
as maya note "$id2" "on the first file" >/dev/null
wait_resident "$LEADBOARD_DB"
first=$RESIDENT
sqlite3 "$LEADBOARD_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$LEADBOARD_DB" "$T_DIR/other.db"
mv "$T_DIR/other.db" "$LEADBOARD_DB"
as maya note "$id2" "on the second file" >/dev/null
expect_eq "a file put in the database's place: the next command writes to it" \
	"$(sqlite3 "$LEADBOARD_DB" "SELECT count(*) FROM events WHERE note = 'on the second file'")" 1
second=$(resident_of "$LEADBOARD_DB")
if [ -n "$second" ] && [ "$second" != "$first" ]; then ok "... through a resident of its own"
else not_ok "... through a resident of its own" "first $first, now $second"; fi
before=$(syscalls "$second")
LEADBOARD_RESIDENT=off as maya note "$id2" "without one" >/dev/null
expect_eq "LEADBOARD_RESIDENT=off: the command runs in its own process" \
	"$(syscalls "$second") $(lb_sql "SELECT count(*) FROM events WHERE note = 'without one'")" \
	"$before 1"

# ---- whose it is: real users on a shared install ------------------------------------
. "$(dirname "$0")/host.lib"
if [ -n "${TEST_NO_ROOT:-}" ] || [ "$(id -u)" -ne 0 ]; then
	skip "residents on a team host" "needs root for Unix users and a setgid install"
	done_testing; exit
fi
unset LEADBOARD_DB
host_setup resident
# where the users can run it from (the clone may be in a folder only root enters)
cp "$PEER" "$H_BASE/abstract_peer" && chmod 755 "$H_BASE/abstract_peer"
PEER=$H_BASE/abstract_peer
run host_install
[ "$RC" -eq 0 ] || { not_ok "make install-shared" "$ERR"; done_testing; exit 1; }
host_as "$H_ADMIN" "$H_BIN" user add "$H_REP1" --role sales >/dev/null
host_as "$H_ADMIN" "$H_BIN" user add "$H_REP2" --role sales >/dev/null
host_as "$H_ADMIN" "$H_BIN" user add "$H_MKT" --role marketing >/dev/null
lead=$(host_as "$H_MKT" "$H_BIN" add --name "Shared Lead" --email lead@example.com \
	--company "Acme" --stage mql)
host_as "$H_MKT" "$H_BIN" move "$lead" sql >/dev/null
uid1=$(id -u "$H_REP1") uid2=$(id -u "$H_REP2")

host_as "$H_REP1" "$H_BIN" claim "$lead" >/dev/null
wait_resident "$H_DB" "$uid1"
res1=$RESIDENT
host_as "$H_REP2" "$H_BIN" note "$lead" "from the second rep" >/dev/null
wait_resident "$H_DB" "$uid2"
res2=$RESIDENT
if [ -n "$res1" ] && [ -n "$res2" ] && [ "$res1" != "$res2" ]; then
	ok "two reps, two residents, each running as its own user"
else not_ok "two reps, two residents" "$res1 / $res2"; fi
expect_eq "... with the group of the install" \
	"$(awk '$1 == "Gid:" { print $3 }' /proc/"$res1"/status)" "$(getent group "$H_GROUP" | cut -d: -f3)"
expect_eq "... each change under its own rep's name" \
	"$(host_db "SELECT actor FROM events WHERE kind IN ('claim', 'note') ORDER BY seq" | tr '\n' ' ')" \
	"$H_REP1 $H_REP2 "
name1=$(socket_name "$res1")

# keep_rep1: a command of rep1's just before, so that rep1's resident is
# there (it leaves after 5 s without one, and a loaded machine is slow)
keep_rep1() {
	host_as "$H_REP1" "$H_BIN" note "$lead" "keeping the resident" >/dev/null
	wait_resident "$H_DB" "$uid1"
	res1=$RESIDENT
}
keep_rep1
run host_as "$H_REP2" "$PEER" send "$name1" leadboard note "$lead" "forged in rep1's name"
expect_eq "another user's command sent to a rep's resident is dropped" "$OUT" dropped
keep_rep1
run host_as "$H_REP1" "$PEER" send "$name1" leadboard note "$lead" "sent without the group"
expect_eq "the rep's own program, without the group, is dropped too" "$OUT" dropped
expect_eq "... neither was written" \
	"$(host_db "SELECT count(*) FROM events WHERE note IN ('forged in rep1''s name', 'sent without the group')")" 0
run host_as "$H_REP1" "$H_BIN" note "$lead" "after the attempts"
expect_eq "... and the rep's resident runs the rep's next command as before" \
	"$RC $(resident_of "$H_DB" "$uid1")" "0 $res1"

residents_leave "$H_DB"
host_as "$H_REP2" "$PEER" listen "$name1" 3 >"$T_DIR/squat" &
squatter=$!
wait_listening "$T_DIR/squat"
run host_as "$H_REP1" "$H_BIN" note "$lead" "next to a squatter"
expect_eq "with another user listening on a rep's resident's name, the rep's command runs itself" \
	"$RC $(host_db "SELECT actor FROM events WHERE note = 'next to a squatter'")" "0 $H_REP1"
wait "$squatter"
expect_match "... and tells the listener nothing" "$(cat "$T_DIR/squat")" " bytes 0\$"

run host_as "$H_REP1" "$H_BIN" --as "$H_ADMIN" note "$lead" "as someone else"
expect_eq "--as is refused to a rep as without residents" "$RC" 77
residents_leave "$H_DB"
done_testing
