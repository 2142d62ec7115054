#!/bin/sh
# export -> import into an empty database by an admin -> export gives the
# same bytes, as CSV and as JSON: every lead, every field, discarded ones,
# owners, counters, reasons and timestamps included. Formula cells are
# guarded in the file and come back unguarded.
. "$(dirname "$0")/lib.sh"

new_board source
id_of() { "$LB" export --format json | jq -r --arg n "$1" '.[] | select(.name == $n) | .id'; }

# Leads that exercise every field and every awkward cell.
as maya add --name "=HYPERLINK(\"http://evil.example\")" --email formula@x.example \
	--company "+44 20 7946 0958" --title "-minus" --country "@at" >/dev/null
as maya add --name "'already quoted" --email apostrophe@x.example --company "''=double" >/dev/null
as maya add --name "Comma, \"Quote\" and more" --email ana@x.example --company "  spaces kept  " \
	--title "tab	inside" --source "trade show
two lines" --employees 0 --segment b2c --score 100 --stage mql \
	--phone "+49 (30) 1234-567" >/dev/null
as maya add --name "Zoë 山田 Łukasz" --email zoe@x.example --company Acme --country JP \
	--employees 1234567 --segment b2b --score 0 --stage mql >/dev/null
as marco add --name "No Email" >/dev/null
as sam add --name "Rep's Own" --email rep@x.example --company Globex >/dev/null
as marco add --name "Gone" --email gone@x.example >/dev/null

as maya move "$(id_of "Zoë 山田 Łukasz")" sql >/dev/null
as sara claim "$(id_of "Zoë 山田 Łukasz")" >/dev/null
as maya move "$(id_of 'Comma, "Quote" and more')" sql >/dev/null
as sam claim "$(id_of 'Comma, "Quote" and more')" >/dev/null
as sam move "$(id_of 'Comma, "Quote" and more')" mql --reason not-ready --note "=call back, in \"March\"" >/dev/null
as marco discard "$(id_of Gone)" --reason bad-data --note "bounced" >/dev/null
as mona move "$(id_of "Rep's Own")" customer --override --note "signed at the fair" >/dev/null

"$LB" export >"$T_DIR/one.csv"
"$LB" export --format json >"$T_DIR/one.json"
expect_eq "export has every lead, discarded included" "$(jq length "$T_DIR/one.json")" 7
expect_eq "csv: a header and the leads (one spans two lines)" "$(wc -l <"$T_DIR/one.csv")" 9
expect_match "the header lists every field" "$(head -1 "$T_DIR/one.csv")" \
	'^id,name,email,phone,company,title,country,employees,segment,source,score,stage,owner,recycle_count,handoff_count,last_reason,last_note,version,created_at,updated_at,stage_entered_at,handed_off_at,merged_into'
expect_match "lines end in CRLF" "$(head -1 "$T_DIR/one.csv" | tail -c 2 | od -An -c)" '\\r +\\n'
grep -q "\"'=HYPERLINK(\"\"http" "$T_DIR/one.csv" && ok "a leading = is guarded with an apostrophe" ||
	not_ok "a leading = is guarded with an apostrophe" "$(cat "$T_DIR/one.csv")"
grep -q "\"'+44 20" "$T_DIR/one.csv" && ok "a leading + is guarded" || not_ok "a leading + is guarded"
grep -q "\"'-minus\"" "$T_DIR/one.csv" && ok "a leading - is guarded" || not_ok "a leading - is guarded"
grep -q "\"'@at\"" "$T_DIR/one.csv" && ok "a leading @ is guarded" || not_ok "a leading @ is guarded"
grep -q ",'already quoted," "$T_DIR/one.csv" && ok "a plain leading apostrophe is left alone" ||
	not_ok "a plain leading apostrophe is left alone"
expect_eq "json keeps the value itself" \
	"$(jq -r '.[] | select(.email == "formula@x.example") | .name' "$T_DIR/one.json")" \
	'=HYPERLINK("http://evil.example")'

# Into an empty database, by its admin.
export LEADBOARD_DB="$T_DIR/restored.db"
"$LB" init >/dev/null
run "$LB" import "$T_DIR/one.csv"
expect_eq "the admin imports the export: exit 0" "$RC" 0
expect_match "all seven" "$OUT" '7 rows; 7 added'
"$LB" export >"$T_DIR/two.csv"
"$LB" export --format json >"$T_DIR/two.json"
if cmp -s "$T_DIR/one.csv" "$T_DIR/two.csv"; then ok "csv: export, import, export is byte-identical"
else not_ok "csv: export, import, export is byte-identical" "$(diff "$T_DIR/one.csv" "$T_DIR/two.csv")"; fi
if cmp -s "$T_DIR/one.json" "$T_DIR/two.json"; then ok "json: byte-identical as well"
else not_ok "json: byte-identical as well" "$(diff "$T_DIR/one.json" "$T_DIR/two.json")"; fi
expect_eq "one create event per lead, starting each in its stage" \
	"$("$LB" log --kind create --format json | jq -r 'map(.to_stage) | sort | join(",")')" \
	"customer,discarded,lead,lead,lead,mql,sql"
expect_eq "the restored database verifies" "$("$LB" verify >/dev/null; echo $?)" 0
expect_eq "the pass-back's reason and note survive" \
	"$(jq -r '.[] | select(.email == "ana@x.example") | "\(.recycle_count) \(.handoff_count) \(.last_reason) \(.last_note)"' "$T_DIR/two.json")" \
	'1 1 not-ready =call back, in "March"'

# Importing the same export again: ids are the duplicates.
BEFORE=$(db_digest)
expect_code 65 "again: every row is a duplicate (by id)" "$LB" import "$T_DIR/one.csv"
expect_match "named by id" "$ERR" 'line 2: id [0-9a-f-]{36} is already on the board'
expect_code 0 "again with --on-duplicate skip" "$LB" import "$T_DIR/one.csv" --on-duplicate skip
expect_match "all skipped" "$OUT" '0 added, 0 updated, 7 skipped'
expect_eq "nothing changed" "$(db_digest)" "$BEFORE"

# A marketer may not bring in state; a CSV export made by anyone restores.
expect_code 77 "a marketer may not import an export's state" as maya import "$T_DIR/one.csv"
expect_code 64 "export has no table format" "$LB" export --format table

# An empty board exports a header (or []) and round-trips too.
export LEADBOARD_DB="$T_DIR/empty.db"
"$LB" init >/dev/null
expect_eq "an empty csv export is the header" "$("$LB" export | wc -l)" 1
expect_eq "an empty json export is []" "$("$LB" export --format json)" "[]"

done_testing
