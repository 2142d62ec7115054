#!/bin/sh
# Duplicates by e-mail (case-insensitive), within the file and against the
# board, handled as --on-duplicate says: fail (the default), skip, update;
# --dry-run writes nothing.
. "$(dirname "$0")/lib.sh"

new_board dup
ANA=$(as maya add --name "Ana" --email ana@acme.example --company Acme --title CTO --score 30)

cat >"$T_DIR/dups.csv" <<'EOF'
Name,Email,Company,Score,Title
Ana Updated,ANA@Acme.example,Acme Group,50,
Bo,bo@globex.example,Globex,10,Buyer
Bo Again,Bo@Globex.Example,Globex Two,20,
Cy,,Nowhere,5,
Dee,,Nowhere,5,
EOF

# lead EMAIL JQ
lead() { "$LB" export --format json | jq -r --arg e "$1" "[.[] | select(.email != null and (.email | ascii_downcase) == \$e)] | .[0] | $2"; }
leads() { "$LB" export --format json | jq length; }

BEFORE=$(db_digest)
run as maya import "$T_DIR/dups.csv"
expect_eq "default --on-duplicate fail: exit 65" "$RC" 65
expect_match "a duplicate of a lead on the board, by line, naming the lead by id and name" "$ERR" \
	"dups.csv line 2: ANA@Acme.example is already on the board: lead $(echo "$ANA" | cut -c1-8) \\(Ana\\)"
expect_match "a duplicate within the file names the first line" "$ERR" \
	'dups.csv line 4: Bo@Globex.Example is a duplicate of line 3'
expect_no_match "rows without an e-mail are never duplicates" "$ERR" 'line (5|6)'
expect_eq "nothing imported" "$(db_digest)" "$BEFORE"

run as maya import "$T_DIR/dups.csv" --on-duplicate skip --dry-run
expect_eq "a dry run: exit 0" "$RC" 0
expect_match "it counts what it would do" "$OUT" '5 rows; 3 would be added, 0 updated, 2 skipped'
expect_eq "a dry run writes nothing" "$(db_digest)" "$BEFORE"

run as maya import "$T_DIR/dups.csv" --on-duplicate skip
expect_eq "--on-duplicate skip: exit 0" "$RC" 0
expect_match "skipped rows are reported" "$ERR" 'line 2: .* is already on the board: .*; skipped'
expect_match "both of them" "$ERR" 'line 4: .* is a duplicate of line 3; skipped'
expect_eq "Ana is as she was" "$(lead ana@acme.example '"\(.name)|\(.company)|\(.score)"')" "Ana|Acme|30"
expect_eq "the first Bo is kept" "$(lead bo@globex.example '"\(.name)|\(.company)"')" "Bo|Globex"
expect_eq "1 + 3 leads" "$(leads)" 4

new_board dup-update
ANA=$(as maya add --name "Ana" --email ana@acme.example --company Acme --title CTO --score 30)
run as maya import "$T_DIR/dups.csv" --on-duplicate update
expect_eq "--on-duplicate update: exit 0" "$RC" 0
expect_match "updates are counted" "$OUT" '3 added, 2 updated, 0 skipped'
expect_eq "Ana's fields from the file" "$(lead ana@acme.example '"\(.name)|\(.company)|\(.score)"')" \
	"Ana Updated|Acme Group|50"
expect_eq "an empty cell does not erase a field" "$(lead ana@acme.example .title)" CTO
expect_eq "Ana's e-mail takes the file's spelling" "$(lead ana@acme.example .email)" ANA@Acme.example
expect_eq "an update is one edit event" \
	"$("$LB" log --lead "$ANA" --kind edit --format json | jq -r '.[0].note')" \
	"name: Ana -> Ana Updated; email: ana@acme.example -> ANA@Acme.example; company: Acme -> Acme Group; score: 30 -> 50"
expect_eq "the second Bo row updates the lead the first one made" \
	"$(lead bo@globex.example '"\(.name)|\(.company)|\(.title)"')" "Bo Again|Globex Two|Buyer"
expect_eq "still one Bo" "$("$LB" export --format json | jq '[.[] | select(.name | startswith("Bo"))] | length')" 1
expect_eq "1 + 3 leads" "$(leads)" 4
expect_eq "no stage changed" "$("$LB" log --kind move --format json | jq length)" 0

# An update is a change like any other: the rules still decide.
as maya move "$ANA" mql >/dev/null
as maya move "$ANA" sql >/dev/null
as sam claim "$ANA" >/dev/null
BEFORE=$(db_digest)
run as maya import "$T_DIR/dups.csv" --on-duplicate update
expect_eq "marketing may not update a lead sales owns: exit 65" "$RC" 65
expect_match "the rule is named on the row's line" "$ERR" 'line 2: lead [0-9a-f]{8} \([^)]*\) is in SQL, owned by sales'
expect_eq "nothing written" "$(db_digest)" "$BEFORE"

# A duplicate never moves a lead: the stage it names is not checked or used.
new_board dup-stage
as maya add --name "Cy" --email cy@x.example >/dev/null
printf 'Name,Email,Lifecycle Stage,Company\nCy Two,CY@x.example,salesqualifiedlead,Cyco\n' >"$T_DIR/stage.csv"
run as maya import "$T_DIR/stage.csv"
expect_eq "fail: the duplicate is the problem" "$RC" 65
expect_no_match "not the stage marketing may not add into" "$ERR" 'cannot add into'
run as maya import "$T_DIR/stage.csv" --on-duplicate update
expect_eq "update: exit 0" "$RC" 0
expect_eq "fields updated, stage kept" "$(lead cy@x.example '"\(.name)|\(.company)|\(.stage)"')" "Cy Two|Cyco|lead"
printf 'Name,Email,Score\nCy,cy@x.example,500\n' >"$T_DIR/badskip.csv"
expect_code 65 "a duplicate's bad cell is still a bad row, even with skip" \
	as maya import "$T_DIR/badskip.csv" --on-duplicate skip

done_testing
