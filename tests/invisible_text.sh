#!/bin/sh
# Text that shows one thing and says another, and columns that drift.
#
# Attacks reproduced:
# - A name with a right-to-left override (U+202E) or an isolate reads
#   backwards on screen ("Acme<RLO>gnp.exe" shows as "Acmeexe.png"), one
#   with a zero-width space or tag characters looks the same as another
#   lead's while differing; the door took all of them, and every view and
#   output passed them through. Expected: refused (65) like other control
#   characters, in add, edit, notes and import, writing nothing; from a
#   database edited by hand, shown as '?' in every table and view.
# - export, list --format csv and log --format csv wrote a hand-edited
#   database's ESC, BEL, CR, C1 and invalid bytes raw into the file (a
#   terminal that cats it, or a spreadsheet, got them). Expected: CSV has
#   '?' for them (and for invisible characters), JSON \u escapes.
# - The CSV formula guard missed a leading TAB (and CR), which spreadsheets
#   skip before reading "=..."; expected guarded, and import undoes it.
# - stages, reasons and user list padded their first column by bytes, and
#   the lead detail's history its move column: a non-ASCII name or stage
#   title pushed the next column off. Expected: columns in cells (wcwidth).
. "$(dirname "$0")/lib.sh"

new_board invisible
u() { printf "$1"; }   # u '\342\200\256' -> the UTF-8 bytes
RLO=$(u '\342\200\256') LRI=$(u '\342\201\246') PDI=$(u '\342\201\251') ZWSP=$(u '\342\200\213')
ZWJ=$(u '\342\200\215') WJ=$(u '\342\201\240') BOM=$(u '\357\273\277') TAG=$(u '\363\240\201\201')
ALM=$(u '\330\234')

# ---- refused at the door -------------------------------------------------------------
id=$(as maya add --name "Plain Lead" --email plain@example.com --company Plain --stage mql)
before=$(db_digest)
for pair in "RLO:$RLO" "LRI:$LRI" "PDI:$PDI" "ZWSP:$ZWSP" "ZWJ:$ZWJ" "WJ:$WJ" "BOM:$BOM" \
	"TAG:$TAG" "ALM:$ALM"; do
	name=${pair%%:*} ch=${pair#*:}
	run as maya add --name "Acme${ch}gnp.exe"
	expect_eq "add refuses a name with $name (65)" "$RC" 65
	expect_match "... calling it invisible" "$ERR" "invisible formatting character \(U\+"
done
expect_code 65 "edit refuses a company with RLO" as maya edit "$id" --company "a${RLO}b"
expect_code 65 "a handoff's note with a zero-width space is refused" \
	as maya move "$id" sql --note "see${ZWSP}me"
printf 'Name,Email,Company\nFine,fine@example.com,Fine\nBad,bad@example.com,Ev%sil\nWorse,w@example.com,T%sx\n' \
	"$RLO" "$TAG" >"$T_DIR/bad.csv"
run as maya import "$T_DIR/bad.csv"
expect_eq "import refuses rows with them (65)" "$RC" 65
expect_match "... naming each row" "$ERR" "line 3.*invisible"
expect_match "... both" "$ERR" "line 4.*invisible"
expect_eq "nothing was written by any refusal" "$(db_digest)" "$before"

# ---- from a database edited by hand ------------------------------------------------------
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
sqlite3 "$LEADBOARD_DB" "UPDATE leads SET
	name = CAST(X'$(hex "Acme${RLO}gnp.exe")' AS TEXT),
	company = CAST(X'$(hex "Zero${ZWSP}Width${TAG}")' || X'1b5b33316d07' || X'c29b' || X'0d' || X'ff' AS TEXT),
	last_note = CAST(X'$(hex "note${LRI}x${PDI}")' || X'1b5d303b7407' AS TEXT)
	WHERE id = '$id'" || { echo "Bail out! the raw write failed"; exit 1; }

# no_hidden FILE: no C0 byte but tab, LF and the CR of a CRLF, no DEL, no C1,
# and none of the invisible characters' UTF-8 sequences.
no_hidden() {
	od -An -v -tu1 "$1" | tr -s ' \n' '\n\n' | awk '
		$1 == "" { next }
		{ b = $1 + 0 }
		(b < 32 && b != 9 && b != 10 && b != 13) || b == 127 { bad = 1 }
		prev == 13 && b != 10 { bad = 1 }
		prev == 194 && b >= 128 && b <= 159 { bad = 1 }
		p2 == 226 && prev == 128 && (b >= 139 && b <= 143 || b >= 170 && b <= 174) { bad = 1 }
		p2 == 226 && prev == 129 && (b >= 160 && b <= 164 || b >= 166 && b <= 175) { bad = 1 }
		p2 == 239 && prev == 187 && b == 191 { bad = 1 }
		p2 == 243 && prev == 160 && (b == 128 || b == 129) { bad = 1 }
		{ p2 = prev; prev = b }
		END { if (prev == 13) bad = 1; exit bad }'
}
for cmd in "list" "show $id" "log" "list --format csv" "export" "export --format json" \
	"log --format csv" "log --format json" "list --format json" "show $id --format json"; do
	# shellcheck disable=SC2086
	"$LB" $cmd >"$T_DIR/out" 2>"$T_DIR/err"
	if no_hidden "$T_DIR/out" && no_hidden "$T_DIR/err" && [ -s "$T_DIR/out" ]; then
		ok "$cmd: nothing hidden or raw in the output"
	else
		not_ok "$cmd: nothing hidden or raw in the output" \
			"$(od -An -c "$T_DIR/out" | grep -E '033|007|302|342|363|377|\\r' | head -3)"
	fi
done
run "$LB" list --format csv
expect_match "the CSV shows each as '?'" "$OUT" \
	'Acme\?gnp\.exe,plain@example\.com,,"Zero\?Width\?\?\[31m\?\?\?\?"'
expect_match "... the note too" "$OUT" ',note\?x\?\?\]0;t\?,'
run "$LB" show "$id" --format json
expect_eq "the JSON keeps them, escaped" "$(printf '%s' "$OUT" | jq -r .name | od -An -tx1 | tr -d ' \n')" \
	"$(hex "Acme${RLO}gnp.exe")0a"
expect_match "... as \\u escapes" "$OUT" '"name":"Acme\\u202egnp\.exe"'
run "$LB" list
expect_match "the table shows them as '?'" "$OUT" "Acme\?gnp\.exe"

# ---- the formula guard: a leading tab -----------------------------------------------------
new_board guard
TAB=$(printf '\t')
as maya add --name "${TAB}=HYPERLINK(\"http://x\")" --company "${TAB}+1" >/dev/null
"$LB" export >"$T_DIR/export.csv"
expect_match "a cell starting with a tab is guarded" "$(cat "$T_DIR/export.csv")" "\"'${TAB}=HYPERLINK"
expect_match "... so is a company starting with tab and +" "$(cat "$T_DIR/export.csv")" ",\"'${TAB}\+1\","
new_board guard2
expect_code 0 "the export imports into an empty board" "$LB" import "$T_DIR/export.csv"
"$LB" export >"$T_DIR/again.csv"
expect_eq "... which exports the same" "$(cat "$T_DIR/again.csv")" "$(cat "$T_DIR/export.csv")"
expect_eq "... the name keeps its tab, unguarded" \
	"$("$LB" list --format json | jq -r '.[0].name')" "${TAB}=HYPERLINK(\"http://x\")"

# ---- columns in cells --------------------------------------------------------------------------
# col TEXT MARK: the display column (cells) where MARK starts in TEXT's first line containing it.
col() { printf '%s\n' "$1" | grep -F -- "$2" | head -1 | awk -v m="$2" '{ print substr($0, 1, index($0, m) - 1) }' | tr -d '\n' | wc -L; }
sqlite3 "$LEADBOARD_DB" "INSERT INTO reasons (code, label, active) VALUES ('règle-山田', 'Wide code', 1);
	INSERT INTO users (login, role, created_at) VALUES ('zoë山', 'sales', 0);"
run "$LB" reasons
expect_eq "reasons: a wide code's label starts in the same column as the others" \
	"$(col "$OUT" "Wide code")" "$(col "$OUT" "Invalid contact details")"
run "$LB" user list
expect_eq "user list: a wide login's role starts in the same column" \
	"$(col "$(printf '%s\n' "$OUT" | grep '^zo')" "sales")" "$(col "$OUT" "marketing")"

if command -v tmux >/dev/null 2>&1; then
	. "$(dirname "$0")/board_tmux.lib"
	new_board detail
	"$LB" stages rename mql "Qualifié ✓ 山田" >/dev/null
	# one move between a wide title and Lead, one between two ASCII titles
	lid=$(as maya add --name "Wide History" --email wh@example.com --company W --stage mql)
	as maya move "$lid" lead --reason not-ready >/dev/null &&
	as maya move "$lid" mql >/dev/null && as maya move "$lid" sql >/dev/null &&
	as sam claim "$lid" >/dev/null && as sam move "$lid" opportunity >/dev/null &&
	as sam move "$lid" sql --reason bad-fit >/dev/null ||
		{ echo "Bail out! the history could not be made"; exit 1; }
	board_start d 120 30 maya
	keys d l l Enter
	wait_for d "History, newest first" 5
	screen d >"$T_DIR/screen"
	a=$(col "$(cat "$T_DIR/screen")" "not-ready") b=$(col "$(cat "$T_DIR/screen")" "bad-fit")
	if [ -n "$a" ] && [ "$a" = "$b" ]; then
		ok "the detail's history keeps the reason column after a wide stage title"
	else
		not_ok "the detail's history keeps the reason column after a wide stage title" \
			"not-ready at $a, bad-fit at $b"; sed 's/^/#   |/' "$T_DIR/screen"
	fi
	keys d Escape q
else
	skip "the detail's history columns" "tmux is not installed"
fi
done_testing
