#!/bin/sh
# The shared install, as root: make install-shared into a temporary PREFIX
# and STATEDIR, then real Unix users: members get in only through
# leadboard's rules; nobody reads the file directly; --as, USER and LOGNAME
# change nothing; other databases are opened without the group; re-running
# the install upgrades and loses nothing. Users, group and files are
# removed at the end.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/host.lib"

host_require_root "the shared install"
host_setup install
# Each process here opens the database itself: the checks below are about
# the files a member's own process makes. Residents on a shared install:
# resident.sh.
export LEADBOARD_RESIDENT=off

# ---- the install -------------------------------------------------------------
run host_install
if [ "$RC" -eq 0 ]; then ok "make install-shared succeeds"
else not_ok "make install-shared succeeds" "$(printf '%s\n%s' "$OUT" "$ERR" | tail -15)"; fi
[ -x "$H_BIN" ] || { echo "Bail out! nothing was installed"; done_testing; exit 1; }

expect_eq "the binary is root:$H_GROUP, setgid, 2755" "$(stat -c '%U:%G %a' "$H_BIN")" \
	"root:$H_GROUP 2755"
expect_eq "STATEDIR is root:$H_GROUP, 2770" "$(stat -c '%U:%G %a' "$H_STATE")" "root:$H_GROUP 2770"
expect_eq "the database is root:$H_GROUP, 0660" "$(stat -c '%U:%G %a' "$H_DB")" "root:$H_GROUP 660"
if [ -f "$H_REPO/man/leadboard.1" ]; then
	expect_eq "the man page is installed" "$(stat -c %a "$H_PREFIX/share/man/man1/leadboard.1")" 644
fi
expect_eq "the admin is the one named" \
	"$(host_db "SELECT role FROM users WHERE login = '$H_ADMIN'")" admin
expect_eq "the installed binary needs no --db" \
	"$(host_as "$H_ADMIN" "$H_BIN" config get max_handoffs)" 2

# ---- the sweep every minute: a systemd timer, or a cron line without systemd -------
if [ -d /run/systemd/system ]; then chosen=systemd; else chosen=cron; fi
if [ $chosen = cron ]; then
	cron_line=$(grep -v '^#' "$H_BASE/cron.d/leadboard-sweep" 2>/dev/null)
	expect_eq "without systemd, a cron line runs the sweep every minute as root" \
		"$cron_line" "* * * * * root $H_BIN sweep >/dev/null"
	expect_eq "... in a file cron reads (0644, no dot in its name)" \
		"$(stat -c %a "$H_BASE/cron.d/leadboard-sweep")" 644
else
	expect_eq "with systemd, the timer is installed" \
		"$(grep '^OnCalendar=' "$H_BASE/systemd/leadboard-sweep.timer")" "OnCalendar=*-*-* *:*:00"
fi
# what the timer runs, run now as it would be: root, the installed binary, no --db
run sh -c "cd / && env -u LEADBOARD_DB '$H_BIN' sweep"
expect_eq "the timer's command sweeps the shared database: exit 0, one line" "$RC $OUT" \
	"0 sweep: 0 routed, 0 escalated, 0 reclaimed (0 routed again), 0 still waiting for a rep"
run host_install SWEEP_TIMER=systemd
expect_eq "SWEEP_TIMER=systemd installs the service and the timer" "$RC $(ls "$H_BASE/systemd" | tr '\n' ' ')" \
	"0 leadboard-sweep.service leadboard-sweep.timer "
expect_eq "... the service runs the installed binary's sweep" \
	"$(grep '^ExecStart=' "$H_BASE/systemd/leadboard-sweep.service")" "ExecStart=$H_BIN sweep"
expect_eq "... every minute" "$(grep '^OnCalendar=' "$H_BASE/systemd/leadboard-sweep.timer")" \
	"OnCalendar=*-*-* *:*:00"
expect_eq "... and the cron line is gone" "$(ls "$H_BASE/cron.d")" ""
if command -v systemd-analyze >/dev/null 2>&1; then
	run systemd-analyze verify --man=no "$H_BASE/systemd/leadboard-sweep.service" \
		"$H_BASE/systemd/leadboard-sweep.timer"
	expect_eq "systemd-analyze verify finds nothing wrong with the units" "$RC $ERR" "0 "
fi
run host_install SWEEP_TIMER=cron
expect_eq "SWEEP_TIMER=cron puts the line back" "$RC $(grep -vc '^#' "$H_BASE/cron.d/leadboard-sweep")" \
	"0 1"

# ---- members, through leadboard ----------------------------------------------
host_as "$H_ADMIN" "$H_BIN" user add "$H_MKT" --role marketing >/dev/null
host_as "$H_ADMIN" "$H_BIN" user add "$H_REP1" --role sales >/dev/null
expect_code 0 "the admin adds members" host_as "$H_ADMIN" "$H_BIN" user add "$H_REP2" --role sales
run host_as "$H_MKT" "$H_BIN" add --name "Ada Shared" --email ada@example.com --company Acme \
	--stage mql
id=$OUT
expect_eq "a marketer adds a lead" "$RC" 0
expect_code 0 "the marketer hands it off" host_as "$H_MKT" "$H_BIN" move "$id" sql
expect_code 0 "a rep claims it" host_as "$H_REP1" "$H_BIN" claim "$id"
expect_code 77 "the other rep may not move the claimed lead" \
	host_as "$H_REP2" "$H_BIN" move "$id" opportunity
expect_code 77 "a Unix user who is no member is refused" host_as "$H_OUT" "$H_BIN" list

# The tests' fixed clock is not for a team host: the setgid binary drops it.
run host_as "$H_MKT" env LEADBOARD_TEST_NOW=2001-01-01T00:00:00Z "$H_BIN" add --name "Clock" \
	--stage lead
expect_eq "LEADBOARD_TEST_NOW does not date a shared install's events" \
	"$(host_db "SELECT count(*) FROM events WHERE lead_id = '$OUT' AND at > 1700000000000")" 1

# ---- nothing to bypass ---------------------------------------------------------
expect_code 1 "a rep's sqlite3 cannot read the database" \
	host_as "$H_REP1" sqlite3 "$H_DB" "SELECT count(*) FROM leads"
expect_match "... because permission is denied" "$ERR" '[Pp]ermission denied|unable to open'
expect_code 2 "a rep cannot even list STATEDIR" host_as "$H_REP1" ls "$H_STATE"
expect_code 77 "a rep's --as is refused" host_as "$H_REP2" "$H_BIN" --as "$H_REP1" move "$id" mql \
	--reason not-ready
expect_match "... naming the real login" "$ERR" "you are $H_REP2"
expect_code 77 "USER/LOGNAME spoofing gives no admin rights" \
	host_as "$H_REP2" env USER="$H_ADMIN" LOGNAME="$H_ADMIN" "$H_BIN" user add mallory --role admin
expect_code 77 "USER/LOGNAME spoofing does not make the rep the owner" \
	host_as "$H_REP2" env USER="$H_REP1" LOGNAME="$H_REP1" "$H_BIN" move "$id" mql --reason bad-fit
expect_eq "the log names the real login of each actor" \
	"$(host_db "SELECT group_concat(actor || '/' || kind || '/' || ifnull(real_user, '-'), ' ')
		FROM events WHERE lead_id = '$id'")" \
	"$H_MKT/create/- $H_MKT/handoff/- $H_REP1/claim/-"

# Other databases: the group is dropped before opening.
home=$(getent passwd "$H_REP1" | cut -d: -f6)
expect_code 0 "a rep creates a personal database with --db" \
	host_as "$H_REP1" "$H_BIN" --db "$home/mine.db" init
expect_eq "... owned by the rep's own group, not $H_GROUP" \
	"$(stat -c %G "$home/mine.db")" "$(id -gn "$H_REP1")"
expect_code 0 "... and --as works there, the rep owns that file" \
	host_as "$H_REP1" "$H_BIN" --db "$home/mine.db" --as "$H_REP1" stages
host_as "$H_REP1" ln -s "$H_DB" "$home/link.db"
expect_code 77 "a link to the shared database from elsewhere opens without the group" \
	host_as "$H_REP1" "$H_BIN" --db "$home/link.db" list
expect_code 77 "LEADBOARD_DB naming the shared database opens without the group" \
	host_as "$H_REP1" env LEADBOARD_DB="$H_DB" "$H_BIN" list
expect_match "... and says what to do" "$ERR" 'unset it'
expect_code 0 "--db naming the shared database (by another plain spelling) keeps the group" \
	host_as "$H_REP1" "$H_BIN" --db "$H_STATE/.//leadboard.db" list
expect_code 77 "--db reaching it through '..' is refused" \
	host_as "$H_REP1" "$H_BIN" --db "$H_STATE/../$(basename "$H_STATE")/leadboard.db" list
expect_match "... saying how to name it" "$ERR" "through '\.\.'; name it plainly: --db $H_DB\$"
expect_code 77 "--as on the shared database is refused even with a plain path" \
	host_as "$H_REP1" "$H_BIN" --db "$H_DB" --as "$H_ADMIN" list
expect_code 0 "root may still act as a member" "$H_BIN" --as "$H_REP1" list
run host_as "$H_REP1" "$H_BIN" --db "$H_STATE/other.db" init
if [ "$RC" -ne 0 ] && [ ! -e "$H_STATE/other.db" ]; then
	ok "a rep cannot create another database in STATEDIR"
else not_ok "a rep cannot create another database in STATEDIR" "exit $RC"; fi

# While a member's process is open: its -wal/-shm stay group files, and it
# cannot be traced or read through /proc.
host_follow "$H_REP1"
tries=0
while [ ! -e "$H_DB-wal" ] && [ $tries -lt 400 ]; do sleep 0.05; tries=$((tries + 1)); done
host_as "$H_MKT" "$H_BIN" add --name "While open" --stage lead >/dev/null
expect_eq "the -wal a member's process made is rw for the group" \
	"$(stat -c '%U:%G %a' "$H_DB-wal" 2>/dev/null)" "$H_REP1:$H_GROUP 660"
expect_eq "the -shm likewise" "$(stat -c '%U:%G %a' "$H_DB-shm" 2>/dev/null)" "$H_REP1:$H_GROUP 660"
for companion in wal shm; do
	expect_code 77 "a rep cannot open the -$companion file as a database" \
		host_as "$H_REP2" "$H_BIN" --db "$H_DB-$companion" init
done
host_expect_follow_unreadable environ \
	"the running leadboard is not dumpable (its /proc files belong to root)" \
	"the rep cannot read its memory"
host_follow_end

# ---- re-running upgrades and loses nothing ---------------------------------------
before=$(host_db "SELECT count(*) FROM leads; SELECT max(seq) FROM events; SELECT count(*) FROM users")
run host_install
expect_eq "re-running make install-shared succeeds" "$RC" 0
expect_match "... and says the database was there" "$OUT" 'initialised already; nothing changed'
expect_eq "... and keeps every lead, event and member" \
	"$(host_db "SELECT count(*) FROM leads; SELECT max(seq) FROM events; SELECT count(*) FROM users")" \
	"$before"
expect_eq "... and the modes" "$(stat -c %a "$H_BIN" "$H_STATE" "$H_DB" | tr '\n' ' ')" "2755 2770 660 "
expect_code 0 "the upgraded board verifies" host_as "$H_ADMIN" "$H_BIN" verify
done_testing
