#!/bin/sh
# The system log as a witness, as root: a shared install writes the head of
# the audit log to syslog(3) (ident leadboard, facility authpriv) after every
# committed change, in words verify --anchors reads; nothing for a refusal
# or for a personal database. The log is a stand-in (tests/tools/syslog_sink)
# bound at /dev/log in a private mount namespace whose /dev is an overlay of
# the real one, so the host's /dev is left alone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/host.lib"

host_require_root "the system log's witnesses"
SINK=${TEST_TOOLS:-}/syslog_sink
for tool in unshare nsenter; do
	if ! command -v $tool >/dev/null 2>&1; then
		skip "the system log's witnesses" "$tool is not installed"
		done_testing; exit 0
	fi
done
if [ ! -x "$SINK" ]; then
	skip "the system log's witnesses" "tests/tools/syslog_sink is not built (make tests-build)"
	done_testing; exit 0
fi
# the namespace's /dev hides whatever lies under the real one (/dev/shm)
case ${TMPDIR:-/tmp} in /dev/*) TMPDIR=/var/tmp ;; esac
host_setup witness

# ---- a /dev/log of our own -----------------------------------------------------
LOG=$H_BASE/syslog.txt
OVL=$H_BASE/ovl
mkdir -p "$OVL"
: >"$LOG"
unshare -m --propagation private sh -c '
	mount -t tmpfs tmpfs "$1" && mkdir "$1/up" "$1/work" &&
	mount -t overlay overlay -o "lowerdir=/dev,upperdir=$1/up,workdir=$1/work" /dev &&
	exec "$2" /dev/log "$3"' sh "$OVL" "$SINK" "$LOG" 2>"$H_BASE/ns.err" &
NS_PID=$!
host_track $NS_PID
tries=0
while [ ! -S "/proc/$NS_PID/root/dev/log" ] && kill -0 $NS_PID 2>/dev/null && [ $tries -lt 100 ]; do
	tries=$((tries + 1)); sleep 0.05
done
if [ ! -S "/proc/$NS_PID/root/dev/log" ]; then
	skip "the system log's witnesses" \
		"cannot put a listener on /dev/log in a private mount namespace here: $(cat "$H_BASE/ns.err")"
	done_testing; exit 0
fi
[ -e /dev/log ] && [ ! -S /dev/log ] && echo "Bail out! the host's /dev/log was touched"

# ns_as LOGIN CMD...: run a command as that user, seeing our /dev/log.
ns_as() {
	u=$1; shift
	(cd / && nsenter -t "$NS_PID" -m -- runuser -u "$u" -- "$@")
}

# wait_lines N: until the log holds N anchor lines (at most 10 s).
wait_lines() {
	tries=0
	while [ "$(grep -c 'anchor ' "$LOG")" -lt "$1" ] && [ $tries -lt 200 ]; do
		tries=$((tries + 1)); sleep 0.05
	done
}
lines() { grep -c 'anchor ' "$LOG"; }

# ---- the install and a few changes --------------------------------------------------
run host_install
if [ "$RC" -eq 0 ]; then ok "make install-shared succeeds"
else not_ok "make install-shared succeeds" "$(printf '%s\n%s' "$OUT" "$ERR" | tail -15)"; fi
[ -x "$H_BIN" ] || { echo "Bail out! nothing was installed"; done_testing; exit 1; }

before=$(lines)
ns_as "$H_ADMIN" "$H_BIN" user add "$H_MKT" --role marketing >/dev/null
ns_as "$H_ADMIN" "$H_BIN" user add "$H_REP1" --role sales >/dev/null
id=$(ns_as "$H_MKT" "$H_BIN" add --name "Ada Witnessed" --email ada@example.com --company Acme \
	--stage mql)
ns_as "$H_MKT" "$H_BIN" move "$id" sql >/dev/null
ns_as "$H_REP1" "$H_BIN" claim "$id" >/dev/null
wait_lines $((before + 5))
expect_eq "five changes, five lines in the system log" "$(($(lines) - before))" 5

last=$(grep 'anchor ' "$LOG" | tail -1)
head=$(host_db "SELECT seq || ':' || hash FROM events ORDER BY seq DESC LIMIT 1")
expect_match "each line is 'anchor SEQ:HASH' of the new head, ident leadboard with its pid" \
	"$last" "leadboard\[[0-9]+\]: anchor $head\$"
expect_match "... at facility authpriv, level info (priority 86)" "$last" '^<86>'
expect_eq "every line names an event with that hash" \
	"$(grep -o 'anchor [0-9]*:[0-9a-f]*' "$LOG" | sed 's/^anchor //' | sort)" \
	"$(host_db "SELECT seq || ':' || hash FROM events WHERE seq > $(host_db \
		"SELECT max(seq) - $(lines) FROM events")" | sort)"

before=$(lines)
expect_code 77 "a refused change ..." ns_as "$H_OUT" "$H_BIN" add --name "Nobody"
ns_as "$H_REP1" sh -c "cd && '$H_BIN' --db own.db init >/dev/null && '$H_BIN' --db own.db add --name Mine >/dev/null"
expect_eq "(a rep changes a database of their own)" \
	"$(sqlite3 "$H_BASE/home/$H_REP1/own.db" "SELECT count(*) FROM leads")" 1
# one more shared change marks the end of what could have been written
ns_as "$H_MKT" "$H_BIN" add --name "Marker" --email marker@example.com --company Acme >/dev/null
wait_lines $((before + 1))
expect_eq "... and changes to a personal database write nothing to the system log" \
	"$(($(lines) - before))" 1

# ---- verify reads the log --------------------------------------------------------------
run ns_as "$H_ADMIN" "$H_BIN" verify --anchors "$LOG" --strict
expect_eq "verify --anchors on the system log, --strict: every event witnessed" "$RC" 0
total=$(host_db "SELECT max(seq) FROM events")
expect_match "... and says so" "$OUT" "events 1 to $total are witnessed, 0 at the tail are not"
run sh -c "cat '$LOG' | runuser -u '$H_ADMIN' -- '$H_BIN' verify --anchors -"
expect_eq "the log on standard input, as from journalctl -t leadboard" "$RC" 0

# ---- a member cannot read a group-only file through --anchors ------------------------------
expect_code 77 "--anchors on the shared database itself is refused (the group is not lent)" \
	ns_as "$H_ADMIN" "$H_BIN" verify --anchors "$H_DB"

# ---- root cuts the log short; the witnesses still know ----------------------------------------
sqlite3 "$H_DB" "DROP TRIGGER events_append_only_delete;
	DELETE FROM events WHERE seq = (SELECT max(seq) FROM events);
	$(sqlite3 "$H_DB" "SELECT sql || ';' FROM sqlite_schema WHERE name = 'events_append_only_delete'")"
run ns_as "$H_ADMIN" "$H_BIN" verify --anchors "$LOG"
expect_eq "the newest event removed behind leadboard's back: verify fails" "$RC" 65
expect_match "... naming the witnessed event that is gone" "$ERR" \
	"anchor $total: event $total is missing; the log ends at event $((total - 1))"

done_testing
