#!/bin/sh
# The command line's verbs for a rep's day: list --owner me / --unclaimed /
# --search (accents, @owner), note, release, undo, reassign, log --limit and
# --reverse with lead names, the phone, and the small input checks. Every
# refusal writes nothing; verify agrees with the log at the end. All of it
# on SQLite, then again on PostgreSQL.
. "$(dirname "$0")/lib.sh"

# SQL on the board's database, whichever engine holds it.
sql() {
	if [ -n "${PG_NAME:-}" ]; then pg_psql "$PG_NAME" -At -c "$1"
	else sqlite3 "$LEADBOARD_DB" "$1"; fi
}
# Every row of leads and events, to prove a refusal wrote nothing.
db_digest() {
	sql "SELECT id, stage, owner, version, phone FROM leads ORDER BY id;
	     SELECT seq, kind FROM events ORDER BY seq;" | sha256sum | cut -c1-64
}

scenario() {
jose=$(as maya add --name "José Núñez" --email jose@acme.example --company Acme --stage mql \
	--phone "+49 30 1234567")
amelie=$(as maya add --name "Amélie Weber" --email amelie@globex.example --company Globex --stage mql)
olga=$(as maya add --name "Olga Owned" --email olga@acme.example --company Acme --stage mql)
for l in "$jose" "$amelie" "$olga"; do as maya move "$l" sql >/dev/null; done
as sam claim "$jose" >/dev/null
as sam claim "$olga" >/dev/null
sid() { echo "$1" | cut -c1-8; }
names() { jq -r '[.[].name] | sort | join(",")'; }
lead_field() { "$LB" show "$1" --format json | jq -r ".$2"; }

# ---- find my work -----------------------------------------------------------------
expect_eq "list --owner me: the acting rep's leads" \
	"$(as sam list --owner me --format json | names)" "José Núñez,Olga Owned"
expect_eq "list --unclaimed: handed off, nobody's" "$(as sam list --unclaimed --format json | names)" \
	"Amélie Weber"
expect_code 66 "--owner naming someone not on the board: 66" as sam list --owner ghost
expect_match "... saying so" "$ERR" "'ghost' is not a board member"
expect_eq "--search jose finds José" "$("$LB" list --search jose --format json | names)" "José Núñez"
expect_eq "--search AMÉLIE finds Amélie" "$("$LB" list --search AMÉLIE --format json | names)" \
	"Amélie Weber"
expect_eq "--search by a word's start, any field" "$("$LB" list --search "glob" --format json | names)" \
	"Amélie Weber"
expect_eq "--search by phone digits" "$("$LB" list --search 4930123 --format json | names)" \
	"José Núñez"
expect_eq "--search @sam: the owner exactly" "$("$LB" list --search @sam --format json | names)" \
	"José Núñez,Olga Owned"
expect_eq "--search sam: the owner is one of the words" \
	"$("$LB" list --search sam --format json | names)" "José Núñez,Olga Owned"
expect_eq "--search @sa: no owner is called sa" "$("$LB" list --search @sa --format json | names)" ""

# ---- notes ----------------------------------------------------------------------------
run as sara note "$jose" "Asked for the price list"
expect_eq "any member notes any lead: exit 0" "$RC" 0
expect_eq "... naming the lead" "$OUT" "note added to lead $(sid "$jose") (José Núñez)"
expect_eq "one note event, in log --kind note" \
	"$("$LB" log --kind note --format json | jq -r '.[] | "\(.actor)|\(.note)|\(.lead_name)"')" \
	"sara|Asked for the price list|José Núñez"
before=$(db_digest)
expect_code 65 "an empty note is refused" as sara note "$jose" "  "
expect_eq "... and writes nothing" "$(db_digest)" "$before"

# ---- release ----------------------------------------------------------------------------
expect_code 77 "someone else's lead is not yours to release" as sara release "$olga"
expect_match "... saying whose it is" "$ERR" "owned by sam; only sam can release it"
expect_code 65 "an unowned lead has nothing to release" as sam release "$amelie"
expect_eq "... and nothing was written" "$(db_digest)" "$before"
run as sam release "$olga"
expect_eq "the owner releases: exit 0" "$RC" 0
expect_eq "unowned again" "$(lead_field "$olga" owner)" null
expect_eq "its handoff time kept" "$(lead_field "$olga" handed_off_at)" \
	"$("$LB" log --lead "$olga" --kind handoff --format json | jq -r '.[0].at')"

# ---- undo ------------------------------------------------------------------------------
as sam claim "$olga" >/dev/null
as sam move "$olga" customer >/dev/null
move_seq=$(sql "SELECT max(seq) FROM events")
before=$(db_digest)
expect_code 77 "sara cannot undo sam's move" as sara undo "$olga"
expect_match "... not hers" "$ERR" "not yours to undo"
expect_eq "... nothing written" "$(db_digest)" "$before"
run as sam undo "$olga"
expect_eq "sam undoes his move into Customer: exit 0" "$RC" 0
expect_eq "... back in SQL" "$(lead_field "$olga" stage)" sql
expect_eq "... one undo event naming the move" \
	"$("$LB" log --reverse --limit 1 --format json | jq -r '.[0] | "\(.kind)|\(.note)"')" \
	"undo|undoes event $move_seq (move)"
expect_eq "... the move stays in the log" \
	"$("$LB" log --lead "$olga" --kind move --format json | jq -r '.[-1].to_stage')" customer
expect_code 65 "an undo is not undone" as sam undo
expect_match "... saying so" "$ERR" "an undo is not undone"
as sam move "$olga" opportunity >/dev/null
as mona assign "$olga" sara >/dev/null
expect_code 65 "after someone else's change, sam's move cannot be undone" as sam undo "$olga"
expect_match "... saying who changed it" "$ERR" "mona changed lead $(sid "$olga") \\(Olga Owned\\) after your move"
"$LB" config set undo_minutes 0 >/dev/null
as sam move "$jose" opportunity >/dev/null
expect_code 65 "with undo_minutes 0 there is no undo" as sam undo "$jose"
expect_match "... saying so" "$ERR" "undo is off on this board"
"$LB" config set undo_minutes 10 >/dev/null

# ---- reassign ----------------------------------------------------------------------------
before=$(db_digest)
expect_code 77 "a rep does not reassign" as sam reassign --from sam --to sara
expect_code 66 "from someone not on the board: 66" as mona reassign --from ghost --to sara
expect_code 65 "to someone who is not a rep" as mona reassign --from sam --to maya
expect_eq "none of it wrote anything" "$(db_digest)" "$before"
"$LB" user disable sam >/dev/null
run as mona reassign --from sam --to sara
expect_eq "a manager reassigns a disabled rep's open leads" "$OUT" "1 open lead of sam reassigned to sara"
expect_eq "José is sara's" "$(lead_field "$jose" owner)" sara
expect_eq "one assign event per lead, saying where it came from" \
	"$("$LB" log --lead "$jose" --kind assign --format json | jq -r '.[-1] | "\(.note)|\(.rule)"')" \
	"sara|reassign: from sam"

# ---- log --limit, --reverse, the lead's name -----------------------------------------------
expect_eq "--limit 3: the newest three, oldest first" \
	"$("$LB" log --limit 3 --format json | jq -r '[.[].seq] | join(",")')" \
	"$(sql "SELECT seq FROM (SELECT seq FROM events ORDER BY seq DESC LIMIT 3) AS t
		ORDER BY seq" | paste -sd,)"
expect_eq "--reverse --limit 2: the newest first" \
	"$("$LB" log --reverse --limit 2 --format json | jq -r '[.[].seq] | join(",")')" \
	"$(sql "SELECT seq FROM events ORDER BY seq DESC LIMIT 2" | paste -sd,)"
expect_match "the table names the lead" "$("$LB" log --lead "$jose" --limit 1)" \
	"$(sid "$jose") José Núñez"
expect_code 64 "--follow does not go with --reverse" "$LB" log --follow --reverse

# ---- the phone ---------------------------------------------------------------------------
expect_match "show lists the phone" "$("$LB" show "$jose")" 'phone: +\+49 30 1234567' 
expect_match "export has it" "$("$LB" export | head -2 | tail -1)" "\\+49 30 1234567"
expect_code 65 "a phone that is not one is refused" as maya add --name "P" --phone "call me"
expect_code 0 "edit --phone" as sara edit "$amelie" --phone "(555) 010-4477"
expect_eq "... kept as written" "$(lead_field "$amelie" phone)" "(555) 010-4477"

# ---- small ones ----------------------------------------------------------------------------
expect_code 65 "--employees -5" as maya add --name "Neg" --employees -5
expect_match "... must not be negative" "$ERR" "must not be negative"
expect_code 0 "--segment B2B is b2b" as maya add --name "Upper" --segment B2B
expect_eq "... stored as b2b" "$("$LB" list --search upper --format json | jq -r '.[0].segment')" b2b
expect_code 65 "a name with a line break is refused" as maya add --name "$(printf 'Two\nLines')"

expect_code 0 "verify agrees with every change made here" "$LB" verify
}

new_board
scenario

# ---- the same on PostgreSQL -----------------------------------------------------------
. "$(dirname "$0")/pg.lib"
pg_start
PG_NAME=repday
LEADBOARD_DB=$(pg_new_db "$PG_NAME")
export LEADBOARD_DB
echo "# on PostgreSQL"
"$LB" init >/dev/null || { echo "Bail out! init on PostgreSQL failed"; exit 1; }
for u in maya:marketing marco:marketing sam:sales sara:sales mona:manager; do
	"$LB" user add "${u%%:*}" --role "${u#*:}" >/dev/null
done
scenario
done_testing
