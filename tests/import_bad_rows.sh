#!/bin/sh
# All or nothing: a file with every kind of bad row is refused with exit 65,
# every bad row listed with its line number, and the database byte for byte
# as before. Then the header problems, and who may not import.
. "$(dirname "$0")/lib.sh"

new_board bad
as maya add --name "Already here" --email here@acme.example >/dev/null
BEFORE=$(db_digest)

LONG=$(awk 'BEGIN { for (i = 0; i < 1001; i++) printf "x" }')
{
	printf 'First Name,Last Name,Email,Company Name,Lifecycle Stage,HubSpot Score,Number of Employees\r\n'
	printf 'Good,One,good1@x.example,Acme,lead,10,5\r\n'                         # 2
	printf 'Bad,Utf,utf@x.example,Caf\351 Noir,lead,10,5\r\n'                    # 3 latin-1
	printf 'Too,Long,long@x.example,%s,lead,10,5\r\n' "$LONG"                   # 4
	printf 'Wrong,Team,team@x.example,Acme,salesqualifiedlead,10,5\r\n'          # 5
	printf 'Bad,Number,number@x.example,Acme,lead,10,12a\r\n'                   # 6
	printf 'Good,Two,good2@x.example,"Multi\r\nline",lead,10,5\r\n'              # 7-8
	printf 'Bad,Score,score@x.example,Acme,lead,150,5\r\n'                      # 9
	printf 'Too,Few,few@x.example,Acme\r\n'                                     # 10
	printf 'Stray,Quote,stray@x.example,Ac"me,lead,10,5\r\n'                    # 11
	printf 'Bad,Stage,stage@x.example,Acme,evaluation,10,5\r\n'                 # 12
	printf 'Bad,Email,not-an-address,Acme,lead,10,5\r\n'                        # 13
	printf 'Good,Three,good3@x.example,Acme,lead,10,5\r\n'                      # 14
	printf 'Open,Quote,open@x.example,"Acme,lead,10,5\r\n'                      # 15 ...
	printf 'Swallowed,Row,swallowed@x.example,Acme,lead,10,5\r\n'               # ... to the end
} >"$T_DIR/bad.csv"

run as maya import "$T_DIR/bad.csv"
expect_eq "a file with bad rows: exit 65" "$RC" 65
expect_eq "the database is untouched (leads and events)" "$(db_digest)" "$BEFORE"
expect_eq "nothing on stdout" "$OUT" ""
line() {   # LINE REGEX DESC
	expect_match "line $1: $3" "$ERR" "bad.csv line $1: $2"
}
line 3 'Company Name \(field 4\) is not valid UTF-8' "invalid UTF-8, named by its column"
line 4 'Company Name: 1001 bytes; the limit is 1000' "a field over 1000 bytes"
line 5 'marketing cannot add into SQL' "a stage marketing may not add into"
line 6 "Number of Employees: '12a' is not a whole number" "an unparseable number"
line 9 'HubSpot Score: 150 is not between 0 and 100' "a score out of range"
line 10 '4 fields; the header has 7' "too few fields"
line 11 'a quote inside an unquoted field' "a stray quote"
line 12 "Lifecycle Stage: no stage 'evaluation'" "an unknown stage"
line 13 "email 'not-an-address' is not an e-mail address" "a bad e-mail address"
line 15 'a quoted field never closes \(unbalanced quote\)' "an unbalanced quote"
expect_match "the summary counts them" "$ERR" 'leadboard: 10 bad rows in .*bad.csv; nothing imported'
expect_no_match "good rows are not listed" "$ERR" 'line (2|7|8|14):'
expect_eq "one line per bad row, the summary last" "$(printf '%s\n' "$ERR" | grep -c 'line [0-9]*:')" 10

run as maya import "$T_DIR/bad.csv" --dry-run
expect_eq "a dry run of the same file: exit 65 too" "$RC" 65
run as maya import "$T_DIR/bad.csv" --on-duplicate skip
expect_eq "--on-duplicate does not excuse bad rows" "$RC" 65
expect_eq "still untouched" "$(db_digest)" "$BEFORE"

# ---- the header -------------------------------------------------------------------
printf '' >"$T_DIR/empty.csv"
expect_code 65 "an empty file" as maya import "$T_DIR/empty.csv"
expect_match "says it is empty" "$ERR" 'empty: no header line'
printf 'Email,Company\na@x.example,Acme\n' >"$T_DIR/noname.csv"
expect_code 65 "a header without a name column" as maya import "$T_DIR/noname.csv"
expect_match "names what is missing" "$ERR" 'line 1: no name column \(Name, or First Name and Last Name\)'
printf 'Name,Email,E-Mail\nA,a@x.example,a@x.example\n' >"$T_DIR/twice.csv"
expect_code 65 "one column twice (Email, E-Mail)" as maya import "$T_DIR/twice.csv"
expect_match "names both" "$ERR" 'columns 2 \(Email\) and 3 \(E-Mail\) are the same column'
printf 'Name,Caf\351\nA,b\n' >"$T_DIR/header-utf8.csv"
expect_code 65 "invalid UTF-8 in the header" as maya import "$T_DIR/header-utf8.csv"
printf 'Name\n' >"$T_DIR/header-only.csv"
expect_code 0 "a header alone imports nothing, fine" as maya import "$T_DIR/header-only.csv"
expect_eq "still untouched after all of these" "$(db_digest)" "$BEFORE"

# ---- who may import what ------------------------------------------------------------
printf 'Name,Email\nM,m@x.example\n' >"$T_DIR/plain.csv"
expect_code 77 "a manager does not import" as mona import "$T_DIR/plain.csv"
printf 'id,name\n3f1e0c1a-9a51-4c5e-8f0a-1b2c3d4e5f60,Restored\n' >"$T_DIR/state.csv"
expect_code 77 "state columns (id) are for an admin" as maya import "$T_DIR/state.csv"
expect_match "and it says so" "$ERR" 'only an admin imports'
printf 'name,owner\nOwned,sam\n' >"$T_DIR/owner.csv"
expect_code 77 "state columns (owner) are for an admin" as marco import "$T_DIR/owner.csv"
printf 'name,stage\nGone,discarded\n' >"$T_DIR/discarded.csv"
expect_code 65 "nobody imports a discarded lead without its state" as maya import "$T_DIR/discarded.csv"
printf 'id,name\nnot-a-uuid,Restored\n' >"$T_DIR/badid.csv"
expect_code 65 "an admin's id must be a UUID" "$LB" import "$T_DIR/badid.csv"
expect_eq "untouched at the end" "$(db_digest)" "$BEFORE"

done_testing
