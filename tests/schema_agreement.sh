#!/bin/sh
# The two schemas (schema.sql for SQLite, schema_pg.sql for PostgreSQL) give
# the same tables, columns, keys, indexes and triggers, after the same
# number of migrations: a change made to one and not the other fails here.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.lib"
pg_start
repo=$(cd "$(dirname "$0")/.." && pwd)

lite="$T_DIR/schema.db"
pg=$(pg_new_db schema)
"$LB" --db "$lite" init >/dev/null || { echo "Bail out! init on SQLite failed"; exit 1; }
expect_code 0 "init creates the schema on an empty PostgreSQL database" "$LB" --db "$pg" init
expect_match "init names the database, not the connection string" "$OUT" \
	'^initialised PostgreSQL database schema with root as admin$'

# One line per fact: "table T", "column T.C TYPE NOTNULL", "key T PK|UNIQUE (C,..)",
# "index T.NAME UNIQUE (C,..)", "trigger T.NAME". Types are SQLite's classes.
# Search is each engine's own: SQLite's FTS5 table leads_search (and the
# tables it keeps) follows lead_words by triggers; PostgreSQL's trigram
# index lead_words_trgm does that job there. An index's DESC and its WHERE
# (a partial index) are PostgreSQL's words only: SQLite's pragmas do not
# say them.
lite_facts() {
	sqlite3 "$lite" "
	SELECT 'table ' || name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
	   AND name NOT LIKE 'leads_search%';
	SELECT 'column ' || t.name || '.' || c.name || ' ' || upper(c.type) || ' ' ||
	       (c.\"notnull\" OR c.pk > 0)
	  FROM sqlite_schema t, pragma_table_info(t.name) c
	 WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%' AND t.name NOT LIKE 'leads_search%';
	SELECT 'key ' || t.name || ' PK (' || group_concat(c.name, ',') || ')'
	  FROM sqlite_schema t, pragma_table_info(t.name) c
	 WHERE t.type = 'table' AND c.pk > 0 AND t.name NOT LIKE 'leads_search%' GROUP BY t.name;
	SELECT 'key ' || t.name || ' UNIQUE (' ||
	       (SELECT group_concat(name, ',') FROM pragma_index_info(i.name)) || ')'
	  FROM sqlite_schema t, pragma_index_list(t.name) i
	 WHERE t.type = 'table' AND i.origin = 'u';
	SELECT 'index ' || t.name || '.' || i.name || ' ' || i.\"unique\" || ' (' ||
	       (SELECT group_concat(name, ',') FROM pragma_index_info(i.name)) || ')'
	  FROM sqlite_schema t, pragma_index_list(t.name) i
	 WHERE t.type = 'table' AND i.origin = 'c';
	SELECT 'trigger ' || tbl_name || '.' || name FROM sqlite_schema WHERE type = 'trigger'
	   AND tbl_name <> 'lead_words';
	" | sort
}

# schema_version is PostgreSQL's PRAGMA user_version; reasons.rowid is
# SQLite's implicit rowid made explicit (the order reasons are listed in);
# a TRUNCATE trigger has no SQLite counterpart (SQLite has no TRUNCATE).
pg_facts() {
	pg_psql schema -At -c "
	SELECT 'table ' || table_name FROM information_schema.tables
	 WHERE table_schema = current_schema() AND table_name <> 'schema_version';
	SELECT 'column ' || table_name || '.' || column_name || ' ' ||
	       CASE WHEN data_type IN ('bigint', 'integer', 'smallint') THEN 'INTEGER'
	            WHEN data_type = 'text' THEN 'TEXT' ELSE data_type END || ' ' ||
	       CASE is_nullable WHEN 'NO' THEN 1 ELSE 0 END
	  FROM information_schema.columns
	 WHERE table_schema = current_schema() AND table_name <> 'schema_version'
	   AND NOT (table_name IN ('reasons', 'leads') AND column_name = 'rowid');
	SELECT 'key ' || tc.table_name || ' ' ||
	       CASE tc.constraint_type WHEN 'PRIMARY KEY' THEN 'PK' ELSE 'UNIQUE' END || ' (' ||
	       string_agg(k.column_name, ',' ORDER BY k.ordinal_position) || ')'
	  FROM information_schema.table_constraints tc
	  JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)
	 WHERE tc.table_schema = current_schema()
	   AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE')
	   AND NOT (tc.table_name = 'reasons' AND k.column_name = 'rowid')
	 GROUP BY tc.table_name, tc.constraint_name, tc.constraint_type;
	SELECT 'index ' || i.tablename || '.' || i.indexname || ' ' ||
	       (CASE WHEN i.indexdef LIKE 'CREATE UNIQUE%' THEN 1 ELSE 0 END) || ' (' ||
	       regexp_replace(regexp_replace(substring(
	           regexp_replace(regexp_replace(i.indexdef, ' WHERE .*\$', ''), ' DESC', '', 'g')
	           from '\((.*)\)\$'),
	                      'lower\((\w+)\)', '\1', 'g'), ' ', '', 'g') || ')'
	  FROM pg_indexes i
	 WHERE i.schemaname = current_schema()
	   AND i.indexname NOT IN ('leads_rowid', 'lead_words_trgm')
	   AND i.indexname NOT IN (SELECT constraint_name FROM information_schema.table_constraints
	                            WHERE table_schema = current_schema());
	SELECT 'trigger ' || c.relname || '.' || t.tgname
	  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
	 WHERE NOT t.tgisinternal AND t.tgname <> 'events_append_only_truncate';
	" | sort
}

lite_facts >"$T_DIR/lite.facts"
pg_facts >"$T_DIR/pg.facts"
if [ -s "$T_DIR/lite.facts" ] && diff "$T_DIR/lite.facts" "$T_DIR/pg.facts" >"$T_DIR/diff"; then
	ok "tables, columns, keys, indexes and triggers agree ($(wc -l <"$T_DIR/lite.facts") facts)"
else
	not_ok "tables, columns, keys, indexes and triggers agree" \
		"$(sed 's/^/  /' "$T_DIR/diff")"
fi

n_lite=$(grep -c '^-- migration [0-9]' "$repo/schema.sql")
n_pg=$(grep -c '^-- migration [0-9]' "$repo/schema_pg.sql")
expect_eq "both schemas have the same migrations" "$n_pg" "$n_lite"
expect_eq "PostgreSQL records the schema version" \
	"$(pg_psql schema -At -c 'SELECT version FROM schema_version')" "$n_lite"

# The defaults the schemas fill in agree too.
rows_lite=$(sqlite3 "$lite" "SELECT key, value FROM settings ORDER BY key;
	SELECT code, label, active FROM reasons ORDER BY rowid;
	SELECT key, title, team, position, terminal FROM stages ORDER BY position;")
rows_pg=$(pg_psql schema -At -c "SELECT key, value FROM settings ORDER BY key;
	SELECT code, label, active FROM reasons ORDER BY rowid;
	SELECT key, title, team, position, terminal FROM stages ORDER BY position;")
expect_eq "the default stages, reasons and settings agree" "$rows_pg" "$rows_lite"

# The audit log is append-only on PostgreSQL too: the owner is stopped by
# the triggers, the application role by its grants.
pg_psql schema -c "CREATE ROLE leadboard_app NOLOGIN; CREATE ROLE rep LOGIN IN ROLE leadboard_app"
pg2=$(pg_new_db schema2)
"$LB" --db "$pg2" init >/dev/null || { echo "Bail out! init on schema2 failed"; exit 1; }
for sql in "UPDATE events SET note = 'x'" "DELETE FROM events" "TRUNCATE events"; do
	run pg_psql schema2 -c "$sql"
	expect_match "the owner cannot: $sql" "$ERR" 'the audit log is append-only'
	run pg_psql schema2 -c "SET ROLE rep; $sql"
	expect_match "the application role may not: $sql" "$ERR" 'permission denied for table events'
done
run pg_psql schema2 -c "SET ROLE rep; INSERT INTO events (seq, at, actor, kind, prev_hash, hash)
	VALUES (1000, 0, 'x', 'edit', 'a', 'b')"
expect_eq "the application role may append" "$RC" 0
run pg_psql schema2 -c "SET ROLE rep; UPDATE leads SET score = 1"
expect_eq "the application role may change leads" "$RC" 0
done_testing
