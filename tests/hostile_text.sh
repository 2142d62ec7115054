#!/bin/sh
# Terminal safety: whatever bytes the database holds (older data, another
# writer, a hand edit), no control sequence reaches a terminal through list,
# show, log, the other tables, or an error message. The door itself refuses
# such text (65) and writes nothing. JSON stays valid.
. "$(dirname "$0")/lib.sh"

new_board hostile
id=$("$LB" --as maya add --name "Plain Name" --email plain@example.com --company Plain --stage mql)
sid=$(printf %.8s "$id")

# Hostile bytes, as SQL blobs: CSI colour, OSC title ending in BEL, DCS,
# a raw 8-bit CSI (invalid UTF-8), C1 CSI as UTF-8 (C2 9B), DEL, backspace,
# carriage return, invalid and overlong UTF-8, a lone lead byte.
esc="X'1b5b33316d52454420'"                 # ESC [ 3 1 m "RED "
osc="X'1b5d303b70776e6564074f5343'"         # ESC ] 0 ; pwned BEL "OSC"
dcs="X'1b50717124741b5c'"                   # ESC P q $ t ESC \
csi8="X'9b324a'"                            # 0x9B 2 J
c1="X'c29b324a'"                            # U+009B 2 J
del="X'7f0808'"                             # DEL BS BS
cr="X'0d4f564552'"                          # CR "OVER"
bad="X'fffec3c0af'"                         # invalid bytes, overlong '/'
hostile() { echo "CAST($1 || $2 || $3 || $4 AS TEXT)"; }
name=$(hostile "X'4e'" "$esc" "$osc" "$csi8")
company=$(hostile "X'43'" "$c1" "$del" "$bad")
note=$(hostile "X'6e'" "$dcs" "$cr" "$esc")
who=$(hostile "X'77'" "$esc" "$bad" "X'00'")

sqlite3 "$LEADBOARD_DB" <<EOF || { echo "Bail out! the raw write failed"; exit 1; }
UPDATE leads SET name = $name, company = $company, title = $note, country = $osc,
       source = $bad, owner = $who, last_reason = $csi8, last_note = $note,
       recycle_count = 1 WHERE id = '$id';
UPDATE stages SET title = $(hostile "X'4d514c'" "$esc" "$c1" "$bad") WHERE key = 'mql';
INSERT INTO events (at, actor, real_user, lead_id, kind, from_stage, to_stage, reason, note,
                    rule, prev_hash, hash)
VALUES (strftime('%s', 'now') * 1000, $who, $osc, '$id', 'edit', 'mql', $csi8, $c1, $note,
        $dcs, 'x', 'y');
INSERT INTO users (login, role, created_at) VALUES ($who, 'sales', 0);
UPDATE reasons SET label = $note WHERE code = 'bad-data';
UPDATE settings SET value = $name WHERE key = 'gate_title_words';
EOF
expect_match "the raw write stored an ESC byte" \
	"$(sqlite3 "$LEADBOARD_DB" "SELECT hex(name) FROM leads WHERE id = '$id'")" '1B5B'

# clean FILE: no C0 byte but newline, no DEL, no C1 (raw or as UTF-8), and
# valid UTF-8 throughout.
clean() {
	od -An -v -tu1 "$1" | tr -s ' \n' '\n\n' | awk '
		$1 == "" { next }
		($1 < 32 && $1 != 10) || $1 == 127 || (prev == 194 && $1 >= 128 && $1 <= 159) { bad = 1 }
		{ prev = $1 }
		END { exit bad }' || return 1
	iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1
}

# check DESC CMD...: stdout and stderr of the command are both clean.
check() {
	desc=$1; shift
	"$@" >"$T_DIR/out" 2>"$T_DIR/err"
	rc=$?
	if clean "$T_DIR/out" && clean "$T_DIR/err"; then
		ok "$desc (exit $rc)"
	else
		not_ok "$desc" "$(cat "$T_DIR/out" "$T_DIR/err" | od -An -c | grep -E '033|377|\\b|\\r|302' | head -3)"
	fi
}

check "list" "$LB" list
check "list --recycled (reason and note columns)" "$LB" list --recycled
check "list --search" "$LB" list --search N
check "show (fields and history)" "$LB" show "$id"
check "show by prefix" "$LB" show "$sid"
check "log" "$LB" log
check "log --lead" "$LB" log --lead "$id"
check "user list" "$LB" user list
check "reasons --all" "$LB" reasons --all
check "stages" "$LB" stages
check "config" "$LB" config
check "report" "$LB" report

# Error messages that carry stored or typed text.
check "a refusal naming the hostile stage title" "$LB" --as sam move "$id" sql
check "a refusal naming the hostile owner" "$LB" --as sara claim "$id"
check "an unknown stage typed with escapes" "$LB" --as maya move "$id" "$(printf 'x\033[2Jy')"
check "an unknown id typed with escapes" "$LB" show "$(printf 'abcd\033]0;t\007')"
check "an unknown login typed with escapes" "$LB" --as "$(printf 'z\033[31m')" list
check "an unknown command typed with escapes" "$LB" "$(printf 'cmd\033[31m\233')"
check "an unknown option typed with escapes" "$LB" list "$(printf -- '--x\033[31m')"
check "a bad --format typed with escapes" "$LB" list --format "$(printf 'j\033[31m')"
check "a database path with escapes" "$LB" --db "$(printf '/nonexistent/\033[31m.db')" list

# The board, its lead detail and its audit log view, under tmux: an escape
# that got through would retitle the pane (OSC 0) or clear the screen.
if command -v tmux >/dev/null 2>&1; then
	tm() { tmux -S "$T_DIR/tmux" "$@"; }
	trap 'tm kill-server 2>/dev/null; t_cleanup' EXIT
	tm -f /dev/null new-session -d -x 200 -y 50 "$LB --as maya; sleep 600"
	tm set-option -g set-titles off
	# shows TEXT...: polls (up to 20 s) until every TEXT is on screen.
	shows() {
		poll_start
		while :; do
			tm capture-pane -p >"$T_DIR/screen"
			missing=
			for text; do grep -qF -- "$text" "$T_DIR/screen" || missing=1; done
			[ -z "$missing" ] && return 0
			poll_over 20 && return 1
			poll_pause
		done
	}
	# each view, and what only that view shows
	for view in board detail log; do
		case $view in
		board) marker="maya (marketing" ;;
		detail) tm send-keys / p l a i n Enter; for k in 1 2 3 4 5 6; do tm send-keys h; done
			tm send-keys l Enter; marker="plain@example.com" ;;
		log) tm send-keys Escape A; marker="Audit log" ;;
		esac
		shows "$marker" RED
		title=$(tm display -p '#{pane_title}')
		if [ "${title#*pwned}" = "$title" ] && grep -qF "$marker" "$T_DIR/screen" &&
		   grep -q 'RED' "$T_DIR/screen"; then
			ok "the $view view shows the hostile text, inert"
		else
			not_ok "the $view view shows the hostile text, inert" "pane title: $title" \
				"$(head -8 "$T_DIR/screen")"
		fi
	done
	tm send-keys q
	tm kill-server 2>/dev/null
else
	skip "the board with hostile text" "tmux is not installed"
fi

# JSON and CSV are for programs: escaped per their formats, JSON stays valid.
run "$LB" list --format json
if printf '%s' "$OUT" | jq -e --arg id "$id" '.[] | select(.id == $id) | .name | test("\u001b")' \
	>/dev/null; then ok "list --format json is valid and keeps the ESC as \\u001b"
else not_ok "list --format json is valid and keeps the ESC as \\u001b" "$OUT"; fi
"$LB" list --format json >"$T_DIR/json"
if clean "$T_DIR/json"; then ok "list --format json has no raw control bytes"
else not_ok "list --format json has no raw control bytes"; fi
run "$LB" log --format json
if printf '%s' "$OUT" | jq -e 'map(select(.note != null)) | length > 0' >/dev/null; then
	ok "log --format json is valid"
else not_ok "log --format json is valid" "$(printf '%s' "$OUT" | head -c 300)"; fi
run "$LB" show "$id" --format json
if printf '%s' "$OUT" | jq -e . >/dev/null; then ok "show --format json is valid"
else not_ok "show --format json is valid"; fi

# The door refuses such text from anyone, with 65, writing nothing.
before=$(db_digest)
for bytes in '\033[31m' '\007' '\233' '\302\233' '\177' '\377' '\300\257' '\r' '\b'; do
	text=$(printf "a${bytes}b")
	expect_code 65 "add refuses a name with $bytes" "$LB" --as maya add --name "$text"
	expect_code 65 "add refuses a company with $bytes" \
		"$LB" --as maya add --name ok --company "$text"
done
expect_eq "the refused adds wrote nothing" "$(db_digest)" "$before"
good=$("$LB" --as maya add --name "Good" --email good@example.com --company Good --stage mql)
before=$(db_digest)
expect_code 65 "edit refuses a title with an escape" "$LB" --as maya edit "$good" \
	--title "$(printf 'x\033]0;y\007')"
expect_code 65 "a note with an escape is refused" "$LB" --as maya move "$good" lead \
	--note "$(printf 'x\033[2J')"
expect_eq "the refusals wrote nothing" "$(db_digest)" "$before"
done_testing
