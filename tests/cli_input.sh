#!/bin/sh
# Bad input gets one clear line, the right exit code, and nothing written.
. "$(dirname "$0")/lib.sh"

new_board input
NOTED=$(as maya add --name "Noted" --email noted@example.org)

refuse() {
	code=$1 desc=$2 pattern=$3; shift 3
	before=$(db_digest)
	expect_code "$code" "$desc (exit $code)" "$@"
	lines=$(printf '%s\n' "$ERR" | wc -l)
	if [ "$lines" -eq 1 ] && printf '%s' "$ERR" | grep -Eq "^leadboard: .*$pattern"; then
		ok "$desc: one line saying why"
	else
		not_ok "$desc: one line saying why" "stderr: $ERR" "wanted: $pattern"
	fi
	expect_eq "$desc: nothing written" "$(db_digest)" "$before"
}

long=$(head -c 1001 /dev/zero | tr '\0' x)
just=$(head -c 1000 /dev/zero | tr '\0' x)
refuse 65 "a name over 1000 bytes" "name is 1001 bytes; the limit is 1000" as maya add --name "$long"
refuse 65 "a company over 1000 bytes" "company is 1001 bytes; the limit is 1000" \
	as maya add --name ok --company "$long"
refuse 65 "a note over 1000 bytes" "note is 1001 bytes; the limit is 1000" \
	as maya discard "$NOTED" --reason bad-data --note "$long"
refuse 65 "invalid UTF-8" "not valid UTF-8" as maya add --name "$(printf 'bad \377 byte')"
refuse 65 "an escape sequence" "control character" as maya add --name "$(printf 'evil \033]2;owned\007')"
refuse 65 "a C1 control" "control character" as maya add --name "$(printf 'c1 \302\233 csi')"
refuse 65 "DEL" "control character" as maya add --name "$(printf 'del \177')"
refuse 65 "a score out of range" "score" as maya add --name ok --score 101
refuse 65 "a score that is not a number" "score" as maya add --name ok --score lots
refuse 65 "employees that is not a number" "employees" as maya add --name ok --employees many
refuse 65 "a segment that is neither" "segment must be b2b or b2c" as maya add --name ok --segment b2x
refuse 65 "an e-mail without @" "not an e-mail address" as maya add --name ok --email nobody
refuse 65 "an empty name" "needs a name" as maya add --name "   "
refuse 64 "add without --name" "--name is required" as maya add --email a@b.example
refuse 77 "marketing adding into SQL" "marketing cannot add into SQL" as maya add --name ok --stage sql
refuse 65 "adding into no stage" "no stage 'nowhere'" as maya add --name ok --stage nowhere
refuse 64 "an unknown command" "no command 'frobnicate'" "$LB" frobnicate
refuse 64 "an unknown global option" "unknown option --colour" "$LB" --colour list
refuse 64 "--format with a wrong value" "--format takes" as maya list --format xml
refuse 64 "--limit that is not a number" "--limit takes" as maya list --limit none
refuse 65 "list of an unknown stage" "no stage 'won'" as maya list --stage won
refuse 64 "log --since that is not a time" "--since takes" as maya log --since yesterday
refuse 64 "log --kind that is not a kind" "--kind takes" as maya log --kind teleport
refuse 77 "config set by a non-admin" "only an admin can change settings" as maya config set max_handoffs 3
refuse 65 "config set of an unknown key" "no setting 'colour'" "$LB" config set colour blue
refuse 65 "config set of a bad value" "whole number" "$LB" config set max_handoffs lots
refuse 77 "user add by a non-admin" "only an admin can change users" as mona user add zed --role sales
refuse 65 "user add of a bad role" "no role 'boss'" "$LB" user add zed --role boss
refuse 65 "user add of a bad login" "login must be" "$LB" user add "ze d" --role sales
refuse 65 "the last admin cannot step down" "last admin" "$LB" user set "$(id -un)" --role sales

# Exactly 1000 bytes, tabs and newlines are fine; SQL-looking text is just text.
run as maya add --name "$just"
expect_eq "a name of exactly 1000 bytes is accepted" "$RC" 0
run as maya add --name "Robert'); DROP TABLE leads;--" --company "$(printf 'multi\nline\tnotes')"
expect_eq "quotes and tabs and newlines are stored" "$RC" 0
ID=$OUT
expect_eq "stored exactly" "$("$LB" show "$ID" --format json | jq -r .name)" "Robert'); DROP TABLE leads;--"
expect_eq "newline kept in JSON" "$("$LB" show "$ID" --format json | jq -r .company)" "$(printf 'multi\nline\tnotes')"
expect_eq "leads table still there" "$(sqlite3 "$LEADBOARD_DB" 'SELECT count(*) FROM leads')" 3

# Ambiguous prefixes list the candidates (exit 64).
sqlite3 "$LEADBOARD_DB" "UPDATE leads SET id = 'abcd' || substr(id, 5)" 2>/dev/null
run as maya show abcd
expect_eq "an ambiguous prefix: exit 64" "$RC" 64
expect_match "and the candidates" "$ERR" "ambiguous: abcd.*, abcd"

# --db that is not a database.
mkdir "$T_DIR/dir"
printf 'hello, not sqlite\n%.0s' $(seq 1 300) >"$T_DIR/notes.txt"
expect_code 66 "--db naming a directory (exit 66)" "$LB" --db "$T_DIR/dir" list
expect_match "--db naming a directory: says so" "$ERR" "^leadboard: .*is a directory"
expect_code 65 "--db naming a text file (exit 65)" "$LB" --db "$T_DIR/notes.txt" list
expect_match "--db naming a text file: says so" "$ERR" "^leadboard: .*not a leadboard database"
expect_code 66 "--db naming nothing (exit 66)" "$LB" --db "$T_DIR/none.db" list
expect_match "--db naming nothing: says how to create one" "$ERR" "leadboard init"
expect_eq "and does not create it" "$(ls "$T_DIR"/none.db 2>/dev/null)" ""
sqlite3 "$T_DIR/other.db" "CREATE TABLE recipes(x)"
expect_code 65 "--db naming someone else's SQLite file (exit 65)" "$LB" --db "$T_DIR/other.db" list
expect_eq "which is left alone" "$(sqlite3 "$T_DIR/other.db" 'SELECT count(*) FROM sqlite_schema')" 1
expect_code 65 "init on someone else's SQLite file (exit 65)" "$LB" --db "$T_DIR/other.db" init

if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
	cp "$LEADBOARD_DB" "$T_DIR/ro.db"
	chmod 0644 "$T_DIR/ro.db"
	chmod 0755 "$T_DIR"
	lb_for_anyone
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$LB_ANYONE" --db "$T_DIR/ro.db" list
	expect_eq "--db a file you may read but not write: opens, then nobody is no member (77)" "$RC" 77
	expect_match "--db a file you may read but not write: says who is not a member" "$ERR" \
		"^leadboard: nobody is not a member"
	chmod 0600 "$T_DIR/ro.db"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups "$LB_ANYONE" --db "$T_DIR/ro.db" list
	expect_eq "--db a file you may not read: exit 77" "$RC" 77
	expect_match "--db a file you may not read: says so" "$ERR" "^leadboard: cannot open .*: Permission denied"
else
	skip "--db a file you may not write" "needs root to run as nobody"
fi

# init on an existing database changes nothing and says so.
before=$(db_digest)
run "$LB" init
expect_eq "init again: exit 0" "$RC" 0
expect_match "init again: says so" "$OUT" "initialised already; nothing changed"
expect_eq "init again: nothing changed" "$(db_digest)" "$before"
done_testing
