#!/bin/sh
# Importing what CRMs export: a HubSpot contacts file (BOM, CRLF, quoted
# commas and quotes, a line break in a cell, lifecycle values and labels,
# unknown columns) and a Salesforce leads report (LF, headers in any case,
# no stage column), by marketing, by a sales rep and by an admin.
. "$(dirname "$0")/lib.sh"
DATA=$(cd "$(dirname "$0")/data" && pwd)

new_board crm

# lead EMAIL JQ: a field of the lead with this e-mail, from the export
lead() { "$LB" export --format json | jq -r --arg e "$1" ".[] | select(.email == \$e) | $2"; }

# ---- HubSpot -------------------------------------------------------------------
run as maya import "$DATA/hubspot_contacts.csv"
expect_eq "HubSpot file: exit 0" "$RC" 0
expect_match "it says what it did" "$OUT" 'hubspot_contacts.csv: 6 rows; 6 added, 0 updated, 0 skipped'
expect_match "unknown columns are reported by name" "$ERR" \
	'ignoring 3 unknown columns: Record ID, Create Date, Contact owner'
expect_eq "six leads" "$("$LB" export --format json | jq length)" 6
expect_eq "imported leads are found by their words (search)" \
	"$("$LB" list --search "garcia acme" --format json | jq -r '.[].email')" ana.garcia@acme.example
expect_eq "... by a word's start in any of them" \
	"$("$LB" list --search fjor --format json | jq -r '.[].email')" bjorn@fjord.example
expect_eq "First Name + Last Name make the name" "$(lead ana.garcia@acme.example .name)" "Ana García"
expect_eq "a quoted comma stays in the cell" "$(lead ana.garcia@acme.example .company)" "Acme Logistics, GmbH"
expect_eq "doubled quotes are one quote" "$(lead bjorn@fjord.example .company)" 'Fjord "Blue" Shipping'
expect_eq "a CRLF inside a cell is a line break" "$(lead chloe@lumen.example .title)" "Marketing Manager
EMEA"
expect_eq "Job Title, Country/Region (Germany: its ISO code), Number of Employees, HubSpot Score, Original Source" \
	"$(lead ana.garcia@acme.example '"\(.title)|\(.country)|\(.employees)|\(.score)|\(.source)"')" \
	"Head of Operations|DE|250|72|Organic Search"
expect_eq "Phone Number is the phone (the mobile too: Phone Number first)" \
	"$(lead ana.garcia@acme.example .phone)" "+49 30 1234567"
expect_eq "Mobile Phone Number when there is no Phone Number" \
	"$(lead bjorn@fjord.example .phone)" "+47 412 34 567"
expect_eq "no number at all: no phone" "$(lead dmitri@quanta.example .phone)" null
expect_eq "lifecycle value marketingqualifiedlead is MQL" "$(lead ana.garcia@acme.example .stage)" mql
expect_eq "the label Marketing Qualified Lead is MQL" "$(lead bjorn@fjord.example .stage)" mql
expect_eq "lifecycle lead is lead" "$(lead chloe@lumen.example .stage)" lead
expect_eq "the label Lead is lead" "$(lead dmitri@quanta.example .stage)" lead
expect_eq "subscriber is the first stage" "$(lead emeka@kite.example .stage)" lead
expect_eq "only a first name" "$(lead dmitri@quanta.example .name)" Dmitri
expect_eq "only a last name" "$(lead emeka@kite.example .name)" Okafor
expect_eq "an empty number is unknown" "$(lead chloe@lumen.example .employees)" null
expect_eq "an empty score is 0" "$(lead chloe@lumen.example .score)" 0
expect_eq "a guarded formula cell loses its apostrophe" "$(lead fatima@meridian.example .company)" \
	'=HYPERLINK("x")'
expect_eq "imported by maya, unowned" "$(lead ana.garcia@acme.example '.owner')" null
expect_eq "one create event per lead, by maya" \
	"$("$LB" log --kind create --format json | jq -r '(map(.actor) | unique | join(",")) + " " + (length | tostring)')" \
	"maya 6"
expect_eq "each create event starts the lead in its stage" \
	"$("$LB" log --kind create --format json | jq -r '[.[] | .to_stage] | sort | join(",")')" \
	"lead,lead,lead,mql,mql,mql"
expect_eq "verify: the hash chain is intact" "$("$LB" verify >/dev/null; echo $?)" 0

# ---- Salesforce ----------------------------------------------------------------
run as marco import "$DATA/salesforce_leads.csv"
expect_eq "Salesforce file: exit 0" "$RC" 0
expect_match "four added" "$OUT" '4 added'
expect_match "its unknown columns" "$ERR" 'ignoring 3 unknown columns: Company / Account, Lead Status, Rating'
expect_eq "Phone, and MobilePhone when there is no Phone" \
	"$(lead giulia@rossi.example .phone)|$(lead hiro@helios.example .phone)" \
	"(555) 010-4477|+81 90 1234 5678"
expect_eq "headers match in any case (FIRST NAME, last name, EMAIL)" \
	"$(lead giulia@rossi.example .name)" "Giulia Rossi"
expect_eq "Company (not Company / Account)" "$(lead giulia@rossi.example .company)" "Rossi & Figli S.p.A."
expect_eq "No. of Employees, Lead Source, score" \
	"$(lead hiro@helios.example '"\(.employees)|\(.source)|\(.score)|\(.title)"')" "900|Trade Show|81|CTO"
expect_eq "quotes and commas in LF files" \
	"$(lead ingrid@ironbark.example '"\(.title)|\(.company)"')" '"Chief" Financial Officer|Ironbark, Mining'
expect_eq "no stage column: marketing's first stage" "$(lead jose@juniper.example .stage)" lead
expect_eq "score 100 is fine" "$(lead jose@juniper.example .score)" 100

# ---- a sales rep imports into sales, an admin anywhere -----------------------------
printf 'Name,Email,Company\nKarl Weber,karl@weber.example,Weber AG\n' >"$T_DIR/rep.csv"
run as sam import "$T_DIR/rep.csv"
expect_eq "a rep imports" "$RC" 0
expect_eq "a rep's import lands in SQL" "$(lead karl@weber.example .stage)" sql
expect_eq "and the rep owns it, as with add" "$(lead karl@weber.example .owner)" sam

printf 'name,email,stage\nLiam,liam@x.example,customer\nMei,mei@x.example,Opportunity\n' >"$T_DIR/admin.csv"
run "$LB" import "$T_DIR/admin.csv"
expect_eq "an admin imports into any stage" "$RC" 0
expect_eq "stage keys and titles both work" \
	"$(lead liam@x.example .stage) $(lead mei@x.example .stage)" "customer opportunity"

printf 'Name,Email\nNadia,nadia@x.example\n' | as maya import - >"$T_DIR/stdin.out" 2>&1
expect_eq "import - reads standard input" "$(lead nadia@x.example .name)" Nadia

run as maya import "$DATA/hubspot_contacts.csv" --on-duplicate skip --dry-run
expect_match "a dry run says what it would do" "$OUT" '0 would be added, 0 updated, 6 skipped \(dry run'

expect_code 64 "import needs a file" "$LB" import
expect_code 66 "a missing file is exit 66" "$LB" import "$T_DIR/no-such.csv"
expect_code 64 "--on-duplicate takes skip, update or fail" "$LB" import --on-duplicate merge "$T_DIR/rep.csv"

done_testing
