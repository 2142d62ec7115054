#!/bin/sh
# Clean data: one lead per person and countries that match the gate. An
# e-mail address is on the board once (add, edit, import, in any case and
# spacing), --allow-duplicate keeps a second one on the record, duplicates
# lists each kind of pair, merge joins a recycled lead to a fresh one (its
# history, the report, verify), and a HubSpot export's country names pass a
# gate of ISO 3166-1 codes. The duplicates and merge walk runs on SQLite and
# again on PostgreSQL (when its server binaries are installed).
. "$(dirname "$0")/lib.sh"
DATA=$(cd "$(dirname "$0")/data" && pwd)

field() { "$LB" show "$1" --format json | jq -r ".$2"; }
short() { echo "$1" | cut -c1-8; }

# ---- one e-mail address on the board ---------------------------------------------
new_board clean
ANA=$(as maya add --name "Ana García" --email "Ana.Garcia@Acme.example" --company Acme)
BO=$(as maya add --name "Bo" --email bo@globex.example --company Globex)
before=$(db_digest)
run as maya add --name "Ana Again" --email "  ANA.GARCIA@acme.EXAMPLE "
expect_eq "add: a second lead with the address in other case and spaces: exit 65" "$RC" 65
expect_eq "add: the refusal names the lead that has it, by id and name" "$ERR" \
	"leadboard: e-mail Ana.Garcia@Acme.example is already on the board: lead $(short "$ANA") (Ana García); --allow-duplicate keeps both, leadboard merge joins them"
run as maya edit "$BO" --email "ana.GARCIA@Acme.Example"
expect_eq "edit: giving a lead another's address: exit 65" "$RC" 65
expect_match "edit: names the lead that has it" "$ERR" "lead $(short "$ANA") \\(Ana García\\)"
printf 'Name,Email,Company\nAna Import, ANA.garcia@ACME.example ,Acme\n' >"$T_DIR/dup.csv"
run as maya import "$T_DIR/dup.csv"
expect_eq "import: the same address in a row: exit 65" "$RC" 65
expect_match "import: the row names the lead that has it" "$ERR" \
	"dup.csv line 2: ANA.garcia@ACME.example is already on the board: lead $(short "$ANA") \\(Ana García\\)"
expect_eq "nothing was written by any of them" "$(db_digest)" "$before"
expect_code 0 "a new case of a lead's own address is no duplicate" \
	as maya edit "$ANA" --email "ana.garcia@acme.example"
run as maya import "$T_DIR/dup.csv" --on-duplicate skip
expect_match "import --on-duplicate skip: the row skipped, as add would refuse it" "$OUT" \
	'1 row; 0 added, 0 updated, 1 skipped'

# --allow-duplicate: marketing or a manager, on the record
run as sam add --name "Ana Rep" --email ana.garcia@acme.example --allow-duplicate
expect_eq "a rep may not keep a duplicate: exit 77" "$RC" 77
expect_match "and is told who may" "$ERR" "only marketing or a manager keeps a duplicate e-mail"
run as maya add --name "Ana Twin" --email ANA.GARCIA@acme.example --allow-duplicate
expect_eq "marketing keeps both with --allow-duplicate" "$RC" 0
TWIN=$OUT
expect_eq "the create event says so, naming the lead that had it" \
	"$("$LB" log --lead "$TWIN" --format json | jq -r '.[0].rule')" \
	"e-mail ana.garcia@acme.example is already on the board: lead $(short "$ANA") (Ana García)"
expect_match "the log's table shows it" "$("$LB" log --lead "$TWIN")" \
	'\[allowed: e-mail ana.garcia@acme.example is already on the board'
expect_code 65 "e-mail: one @ with a dot in the domain (exit 65)" \
	as maya add --name "Bad" --email "bad@localhost"
expect_eq "naming the field" "$ERR" "leadboard: email 'bad@localhost' is not an e-mail address"
expect_eq "stored trimmed" "$(field "$(as maya add --name Trim --email ' trim@x.example ')" email)" \
	trim@x.example

# ---- segments in any case, and the words CRMs use ------------------------------------
expect_eq "--segment B2B" "$(field "$(as maya add --name S1 --segment B2B)" segment)" b2b
expect_eq "--segment Consumer" "$(field "$(as maya add --name S2 --segment Consumer)" segment)" b2c
expect_code 65 "--segment Enterprise is neither (exit 65)" as maya add --name S3 --segment Enterprise
expect_match "naming what it takes" "$ERR" "segment must be b2b or b2c \\(Business, Consumer\\)"

# ---- duplicates and merge, on a backend ----------------------------------------------
# walk DB: the team on a fresh database DB, then duplicates and a merge.
walk() {
	export LEADBOARD_DB="$1"
	on=$2
	"$LB" init >/dev/null || { echo "Bail out! init on $on failed"; exit 1; }
	for u in maya:marketing marco:marketing sam:sales sara:sales mona:manager; do
		"$LB" user add "${u%%:*}" --role "${u#*:}" >/dev/null
	done
	R=$(as maya add --name "Chloé Dubois" --email chloe@lumen.example --company "Lumen Retail" \
		--title CMO --country France --stage mql)
	as maya move "$R" sql >/dev/null
	as sam claim "$R" >/dev/null
	as sam move "$R" mql --reason not-ready --note "call in spring" >/dev/null
	F=$(as marco add --name "chloe dubois" --email c.dubois@lumen.example --company "LUMEN retail")
	T=$(as maya add --name "Chloé D." --email " CHLOE@Lumen.Example" --allow-duplicate)
	X=$(as maya add --name "Other Person" --email other@lumen.example --company "Lumen Retail")

	run "$LB" duplicates --format json
	expect_eq "$on: duplicates finds the pair by e-mail" \
		"$(json_get "$OUT" "[.[] | select(.other_id == \"$T\")] | map([.keep_id, (.match | join(\",\"))]) | .[0] | join(\" \")")" \
		"$R email"
	expect_eq "$on: and the pair by name at the same company, in any case" \
		"$(json_get "$OUT" "[.[] | select(.other_id == \"$F\")] | map([.keep_id, (.match | join(\",\"))]) | .[0] | join(\" \")")" \
		"$R name"
	expect_eq "$on: and nothing else" "$(json_get "$OUT" length)" 2
	run "$LB" duplicates
	expect_match "$on: a table: keep, other, what matched" "$OUT" \
		"^KEEP +NAME +OTHER +NAME +COMPANY +MATCH
$(short "$R")  Chloé Dubois +$(short "$F")  chloe dubois +LUMEN retail +name"
	run "$LB" duplicates --format csv
	expect_match "$on: CSV with a header" "$OUT" '^keep_id,keep_name,keep_email,keep_company,keep_stage,other_id,'

	# the recycled lead (R) merged into the fresh one (F)
	expect_code 77 "$on: a rep may not merge marketing's leads (exit 77)" as sam merge "$F" "$R"
	expect_code 65 "$on: not into itself (exit 65)" as maya merge "$F" "$F"
	run as maya merge "$F" "$R" --note "one person, two forms"
	expect_eq "$on: merge: exit 0" "$RC" 0
	expect_eq "$on: merge says what the kept lead took" "$OUT" \
		"lead $(short "$R") merged into lead $(short "$F") (filled title, country)"
	expect_eq "$on: the other left the board for merged, remembering the kept one" \
		"$(field "$R" stage) $(field "$R" merged_into)" "merged $F"
	expect_eq "$on: the kept lead: its own fields, the other's where it had none" \
		"$("$LB" show "$F" --format json | jq -r '[.email, .title, .country, .recycle_count, .handoff_count] | join(" ")')" \
		"c.dubois@lumen.example CMO FR 1 1"
	expect_eq "$on: one event, a merge on the other naming the kept one" \
		"$("$LB" log --kind merge --format json | jq -r '.[] | [.lead_id, .from_stage, .to_stage, .note] | join("|")')" \
		"$R|mql|merged|into $F; filled title, country: one person, two forms"
	expect_eq "$on: show of the kept lead holds the other's history" \
		"$("$LB" show "$F" --format json | jq -r '[.history[] | .kind] | join(" ")')" \
		"create handoff claim passback create merge"
	expect_eq "$on: log --lead of the kept lead too" \
		"$("$LB" log --lead "$F" --format json | jq -r '[.[] | .lead_id[0:8]] | unique | length')" 2
	expect_match "$on: show of the merged one says where it went" "$("$LB" show "$R")" \
		"merged into: +$(short "$F") \\(chloe dubois\\)"
	expect_code 65 "$on: a merged lead is off the board for good (exit 65)" as maya move "$R" sql
	expect_eq "$on: list --stage merged" "$("$LB" list --stage merged --format json | jq -r '.[].id')" "$R"
	expect_eq "$on: not on the board" "$("$LB" list --format json | jq "[.[] | select(.id == \"$R\")] | length")" 0
	expect_eq "$on: duplicates no longer pairs them" \
		"$("$LB" duplicates --format json | jq "[.[] | select(.other_id == \"$F\" or .keep_id == \"$R\")] | length")" 0
	expect_eq "$on: search, accents aside, finds the kept lead alone: the merged one left it" \
		"$("$LB" list --search "CHLOÉ dubois" --format json | jq -r '[.[].id] | join(" ")')" "$F"
	expect_code 65 "$on: undo does not take a merge back (exit 65)" as maya undo "$R"
	expect_match "$on: and says so" "$ERR" 'a merge cannot be undone'
	expect_code 65 "$on: nor a change to the kept lead from before the merge" as maya undo "$F"
	expect_match "$on: naming the merge" "$ERR" 'took in another lead in a merge by maya'

	# the report counts the person once; the handoff and pass-back stay
	run "$LB" report --format json
	expect_eq "$on: report: four leads made, three created: the merged one counts as the kept" \
		"$(json_get "$OUT" '[.created, .merges, .merged_now] | map(tostring) | join(" ")')" "3 1 1"
	expect_eq "$on: report: the handoff and the pass-back where they happened" \
		"$(json_get "$OUT" '[.handoffs, .passbacks] | map(tostring) | join(" ")')" "1 1"
	expect_eq "$on: report: the person is in Lead now, once" \
		"$(json_get "$OUT" '.stages[] | select(.key == "lead") | .now')" 3
	expect_match "$on: the table shows the merge" "$("$LB" report)" 'Merged +1   \(merges in the period: 1\)'
	# the kept lead carries the recycling on: handed off again, it counts as such
	as marco move "$F" mql >/dev/null
	as marco move "$F" sql >/dev/null
	run "$LB" report --format json
	expect_eq "$on: the kept lead handed off again is a recycled lead handed off again" \
		"$(json_get "$OUT" '.recycled.handed_off_again')" 1
	expect_eq "$on: and its handoffs count on towards the limit" "$(field "$F" handoff_count)" 2
	expect_code 0 "$on: verify replays the merge" "$LB" verify
	expect_match "$on: every lead agrees with its events" "$OUT" 'replay: 4 leads agree with their events'
	expect_code 0 "$on: export, then import into an empty board" sh -c \
		"'$LB' export > '$T_DIR/$on.csv'"
}

walk "$T_DIR/walk.db" SQLite
# verify replays the merge on both leads: change either behind leadboard's back
# (a copy takes the WAL too: it stays beside the file between processes)
tamper_copy() {
	rm -f "$T_DIR/tamper.db-wal" "$T_DIR/tamper.db-shm"
	cp "$LEADBOARD_DB" "$T_DIR/tamper.db"
	[ ! -e "$LEADBOARD_DB-wal" ] || cp "$LEADBOARD_DB-wal" "$T_DIR/tamper.db-wal"
}
tamper_copy
sqlite3 "$T_DIR/tamper.db" "UPDATE leads SET merged_into = NULL WHERE stage = 'merged'"
run "$LB" --db "$T_DIR/tamper.db" verify
expect_eq "verify: a merged lead that forgot where it went is caught" "$RC" 65
expect_match "naming the field" "$ERR" 'merged_into expected'
tamper_copy
sqlite3 "$T_DIR/tamper.db" "UPDATE leads SET recycle_count = 0 WHERE id = '$F'"
run "$LB" --db "$T_DIR/tamper.db" verify
expect_eq "verify: the kept lead's counts, carried over by the merge, are replayed" "$RC" 65
expect_match "naming the lead and the field" "$ERR" "lead $F: recycle_count expected 1, found 0"

# ---- a HubSpot export with country names, a gate of codes ------------------------------
new_board gate
run "$LB" config set gate_countries "Germany, france"
expect_eq "the gate takes country names" "$RC" 0
expect_eq "and keeps their codes" "$("$LB" config get gate_countries)" DE,FR
expect_code 65 "a country ISO 3166-1 does not know is refused in the gate (exit 65)" \
	"$LB" config set gate_countries "DE, Narnia"
expect_match "naming it" "$ERR" "'Narnia' is not a country ISO 3166-1 knows"
cp "$DATA/hubspot_contacts.csv" "$T_DIR/hubspot.csv"
printf '60,Nia,Narnian,nia@narnia.example,,,Cair Paravel,Queen,Narnia,5,lead,,,2026-10-08 09:00,\r\n' \
	>>"$T_DIR/hubspot.csv"
run as maya import "$T_DIR/hubspot.csv"
expect_eq "the HubSpot export imports" "$RC" 0
expect_match "the summary counts the country kept as given" "$OUT" \
	'hubspot.csv: 1 country value not in ISO 3166-1, kept as given: Narnia'
lead() { "$LB" export --format json | jq -r --arg e "$1" ".[] | select(.email == \$e) | $2"; }
ANA=$(lead ana.garcia@acme.example .id)
BJORN=$(lead bjorn@fjord.example .id)
expect_eq "Germany is stored as DE, Norway as NO, Narnia as given" \
	"$(lead ana.garcia@acme.example .country) $(lead bjorn@fjord.example .country) $(lead nia@narnia.example .country)" \
	"DE NO Narnia"
expect_match "show prints the code and the name" "$("$LB" show "$ANA")" 'country: +DE \(Germany\)'
expect_code 0 "a lead from Germany passes the gate of DE,FR" as maya move "$ANA" sql
run as maya move "$BJORN" sql
expect_eq "a lead from Norway does not (exit 65)" "$RC" 65
expect_match "the gate names the code" "$ERR" "country 'NO' not in DE,FR"
expect_code 0 "Country/Region in any common form: an edit to 'deu' passes too" \
	as maya edit "$BJORN" --country deu
expect_code 0 "handed off" as maya move "$BJORN" sql

# ---- the same walk on PostgreSQL ---------------------------------------------------------
. "$(dirname "$0")/pg.lib"
pg_start
walk "$(pg_new_db walk)" PostgreSQL
done_testing
