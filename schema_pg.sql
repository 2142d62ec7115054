-- leadboard schema on PostgreSQL: schema.sql's tables, columns and indexes
-- in PostgreSQL's dialect (tests/schema_agreement.sh fails when the two
-- differ). Compiled into the binary like schema.sql; each "-- migration N"
-- section runs once, in order, in one transaction, when schema_version
-- holds less than N. Never edit a released section: add one, here and in
-- schema.sql alike.
--
-- Types: SQLite's INTEGER is 64 bits, so every INTEGER is BIGINT here.
-- Text compares byte by byte (COLLATE "C"), as SQLite's BINARY does, so
-- that every ORDER BY gives the same order on both.

-- migration 1

-- The schema's version (PRAGMA user_version on SQLite).
CREATE TABLE schema_version (
    version  BIGINT NOT NULL
);

CREATE TABLE stages (
    key       TEXT COLLATE "C" PRIMARY KEY,
    title     TEXT COLLATE "C" NOT NULL,
    team      TEXT COLLATE "C" NOT NULL CHECK (team IN ('marketing', 'sales')),
    position  BIGINT NOT NULL UNIQUE,
    terminal  BIGINT NOT NULL DEFAULT 0 CHECK (terminal IN (0, 1))
);

INSERT INTO stages (key, title, team, position, terminal) VALUES
    ('lead',        'Lead',        'marketing', 10, 0),
    ('mql',         'MQL',         'marketing', 20, 0),
    ('sql',         'SQL',         'sales',     30, 0),
    ('opportunity', 'Opportunity', 'sales',     40, 0),
    ('customer',    'Customer',    'sales',     50, 1);

CREATE TABLE users (
    login       TEXT COLLATE "C" PRIMARY KEY,
    role        TEXT COLLATE "C" NOT NULL
                CHECK (role IN ('marketing', 'sales', 'manager', 'admin')),
    disabled    BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at  BIGINT NOT NULL
);

-- rowid: SQLite's implicit rowid made explicit, the order reasons were
-- added in (the order they are listed in).
CREATE TABLE reasons (
    rowid   BIGSERIAL NOT NULL UNIQUE,
    code    TEXT COLLATE "C" PRIMARY KEY,
    label   TEXT COLLATE "C" NOT NULL,
    active  BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

INSERT INTO reasons (code, label) VALUES
    ('not-ready',          'No near-term need or bad timing'),
    ('no-budget',          'No budget'),
    ('not-decision-maker', 'Not the decision maker'),
    ('bad-fit',            'Bad fit: size, geography or segment'),
    ('no-response',        'Unreachable after the agreed attempts'),
    ('bad-data',           'Invalid contact details'),
    ('competitor',         'Chose or is a competitor'),
    ('duplicate',          'Duplicate of another lead');

CREATE TABLE settings (
    key    TEXT COLLATE "C" PRIMARY KEY,
    value  TEXT COLLATE "C" NOT NULL
);

INSERT INTO settings (key, value) VALUES
    ('handoff_min_score',   '0'),
    ('handoff_required',    'email,company'),
    ('max_handoffs',        '2'),
    ('sla_accept_hours',    '24'),
    ('sla_sqls_per_month',  '0'),
    ('sla_idle_days',       '0'),
    ('max_open_per_rep',    '0'),
    ('gate_countries',      ''),
    ('gate_segments',       ''),
    ('gate_employees_min',  ''),
    ('gate_employees_max',  ''),
    ('gate_title_words',    '');

CREATE TABLE leads (
    id                TEXT COLLATE "C" NOT NULL UNIQUE,
    name              TEXT COLLATE "C" NOT NULL,
    email             TEXT COLLATE "C",
    company           TEXT COLLATE "C",
    title             TEXT COLLATE "C",
    country           TEXT COLLATE "C",
    employees         BIGINT CHECK (employees >= 0),
    segment           TEXT COLLATE "C" CHECK (segment IN ('b2b', 'b2c')),
    source            TEXT COLLATE "C",
    score             BIGINT NOT NULL DEFAULT 0 CHECK (score BETWEEN 0 AND 100),
    stage             TEXT COLLATE "C" NOT NULL,
    owner             TEXT COLLATE "C",
    recycle_count     BIGINT NOT NULL DEFAULT 0,
    handoff_count     BIGINT NOT NULL DEFAULT 0,
    last_reason       TEXT COLLATE "C",
    last_note         TEXT COLLATE "C",
    version           BIGINT NOT NULL DEFAULT 1,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    stage_entered_at  BIGINT NOT NULL,
    handed_off_at     BIGINT
);

CREATE INDEX leads_column ON leads (stage, stage_entered_at, id);
CREATE INDEX leads_owner ON leads (owner, stage);
-- SQLite's leads (email COLLATE NOCASE): ASCII case folded, as lower() in C
CREATE INDEX leads_email ON leads (lower(email));
CREATE INDEX leads_sla ON leads (stage, owner, handed_off_at);

CREATE TABLE stage_counts (
    stage  TEXT COLLATE "C" PRIMARY KEY,
    n      BIGINT NOT NULL
);

-- The counts move once a statement, not once a row: a row that one
-- transaction updates again and again (an import's, or a copy's) leaves a
-- chain of versions each update walks, so a million-row import would take
-- quadratic time. Each trigger reads what its statement changed.
CREATE FUNCTION leads_count_add(changed_stages text[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO stage_counts (stage, n)
        SELECT s, count(*) FROM unnest(changed_stages) AS s GROUP BY s
        ON CONFLICT (stage) DO UPDATE SET n = stage_counts.n + excluded.n;
$$;

CREATE FUNCTION leads_count_remove(changed_stages text[]) RETURNS void LANGUAGE sql AS $$
    UPDATE stage_counts c SET n = c.n - d.k
        FROM (SELECT s, count(*) AS k FROM unnest(changed_stages) AS s GROUP BY s) d
        WHERE c.stage = d.s;
$$;

CREATE FUNCTION leads_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM leads_count_add(ARRAY(SELECT stage FROM new_rows));
    RETURN NULL;
END;
$$;

CREATE FUNCTION leads_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM leads_count_remove(ARRAY(SELECT stage FROM old_rows));
    RETURN NULL;
END;
$$;

-- a row whose stage did not change counts out and in again: no net change,
-- so only changed rows are passed on (matched by id)
CREATE FUNCTION leads_count_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM leads_count_remove(ARRAY(SELECT o.stage FROM old_rows o JOIN new_rows n
        ON n.id = o.id WHERE n.stage IS DISTINCT FROM o.stage));
    PERFORM leads_count_add(ARRAY(SELECT n.stage FROM old_rows o JOIN new_rows n
        ON n.id = o.id WHERE n.stage IS DISTINCT FROM o.stage));
    RETURN NULL;
END;
$$;

CREATE TRIGGER leads_count_insert AFTER INSERT ON leads
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION leads_count_inserted();
CREATE TRIGGER leads_count_delete AFTER DELETE ON leads
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION leads_count_deleted();
CREATE TRIGGER leads_count_move AFTER UPDATE ON leads
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION leads_count_moved();

CREATE TABLE events (
    seq         BIGINT PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor       TEXT COLLATE "C" NOT NULL,
    real_user   TEXT COLLATE "C",
    lead_id     TEXT COLLATE "C",
    kind        TEXT COLLATE "C" NOT NULL,
    from_stage  TEXT COLLATE "C",
    to_stage    TEXT COLLATE "C",
    reason      TEXT COLLATE "C",
    note        TEXT COLLATE "C",
    rule        TEXT COLLATE "C",
    prev_hash   TEXT COLLATE "C" NOT NULL,
    hash        TEXT COLLATE "C" NOT NULL
);

CREATE INDEX events_lead ON events (lead_id, seq);
CREATE INDEX events_at ON events (at);

CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;

CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_append_only_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();

-- The role leadboard connects as (README, "More than one host"): members
-- of leadboard_app may read and change the board and add to the audit
-- log, never change or remove what it holds. The owner who ran init keeps
-- every right; the triggers above stop it too.
REVOKE ALL ON events FROM PUBLIC;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'leadboard_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE
            ON stages, users, reasons, settings, leads, stage_counts TO leadboard_app;
        GRANT USAGE ON SEQUENCE reasons_rowid_seq TO leadboard_app;
        GRANT SELECT ON schema_version TO leadboard_app;
        GRANT SELECT, INSERT ON events TO leadboard_app;
        REVOKE UPDATE, DELETE, TRUNCATE ON events FROM leadboard_app;
    END IF;
END;
$$;

-- migration 2

-- The hash scheme of each event (audit.c; schema.sql says why). Events
-- written before keep scheme 1; leadboard writes scheme 2 from now on.
ALTER TABLE events ADD COLUMN hash_scheme BIGINT NOT NULL DEFAULT 1;

-- migration 3

-- schema.sql's migration 3 says why for each of these.
ALTER TABLE leads ADD COLUMN phone TEXT COLLATE "C";
ALTER TABLE leads ADD COLUMN undo_state TEXT COLLATE "C";

INSERT INTO settings (key, value) VALUES ('undo_minutes', '10');

DROP INDEX leads_owner;
CREATE INDEX leads_owner ON leads (owner, stage, stage_entered_at, id);
CREATE INDEX leads_score ON leads (stage, score DESC, stage_entered_at, id);
CREATE INDEX events_undo ON events (seq) WHERE kind = 'undo';

-- SQLite's implicit rowid made explicit, as reasons.rowid is: lead_words
-- names a lead by it on both engines.
ALTER TABLE leads ADD COLUMN rowid BIGSERIAL;
CREATE UNIQUE INDEX leads_rowid ON leads (rowid);

CREATE TABLE lead_words (
    id     BIGINT PRIMARY KEY,
    words  TEXT COLLATE "C" NOT NULL
);

-- PostgreSQL has no FTS5: a trigram index (pg_trgm, a trusted extension
-- the database's owner may create) answers words LIKE '% jose%'.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX lead_words_trgm ON lead_words USING gin (words gin_trgm_ops);

CREATE FUNCTION leads_words_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM lead_words WHERE id = OLD.rowid;
    RETURN NULL;
END;
$$;

CREATE TRIGGER leads_words_gone AFTER DELETE ON leads
    FOR EACH ROW EXECUTE FUNCTION leads_words_gone();

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'leadboard_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON lead_words TO leadboard_app;
        GRANT USAGE ON SEQUENCE leads_rowid_seq TO leadboard_app;
    END IF;
END;
$$;

-- then: write lead_words

-- migration 4

-- A lead merged into another remembers the lead kept (schema.sql says
-- why); e-mail addresses are looked up through leads_email.
ALTER TABLE leads ADD COLUMN merged_into TEXT COLLATE "C";
CREATE INDEX leads_merged_into ON leads (merged_into);
-- migration 5

-- Routing and an SLA that acts (schema.sql says what each column is).
ALTER TABLE users ADD COLUMN away BIGINT NOT NULL DEFAULT 0 CHECK (away IN (0, 1));
ALTER TABLE users ADD COLUMN away_until BIGINT;
ALTER TABLE users ADD COLUMN territories TEXT COLLATE "C";
ALTER TABLE users ADD COLUMN segments TEXT COLLATE "C";
ALTER TABLE users ADD COLUMN routing_turn BIGINT NOT NULL DEFAULT 0;

ALTER TABLE stages ADD COLUMN idle_days BIGINT CHECK (idle_days >= 0);

ALTER TABLE leads ADD COLUMN contact_attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN first_contact_at BIGINT;
ALTER TABLE leads ADD COLUMN last_contact_at BIGINT;
ALTER TABLE leads ADD COLUMN next_step_at BIGINT;
ALTER TABLE leads ADD COLUMN owner_since BIGINT;
ALTER TABLE leads ADD COLUMN escalated_at BIGINT;

UPDATE leads SET owner_since = coalesce(
    (SELECT at FROM events e WHERE e.lead_id = leads.id AND e.kind IN ('claim', 'assign')
      ORDER BY e.seq DESC LIMIT 1),
    (SELECT at FROM events e WHERE e.lead_id = leads.id AND e.kind = 'create'
      ORDER BY e.seq LIMIT 1))
 WHERE owner IS NOT NULL;

CREATE TABLE owner_counts (
    owner  TEXT COLLATE "C" PRIMARY KEY,
    n      BIGINT NOT NULL
);

INSERT INTO owner_counts (owner, n)
    SELECT owner, count(*) FROM leads
     WHERE owner IS NOT NULL
       AND stage IN (SELECT key FROM stages WHERE team = 'sales' AND terminal = 0)
     GROUP BY owner;

-- Once a statement, as the stage counts: each trigger reads what its
-- statement changed, and passes on the owners of rows open in sales.
CREATE FUNCTION owner_count_add(owners text[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO owner_counts (owner, n)
        SELECT o, count(*) FROM unnest(owners) AS o GROUP BY o
        ON CONFLICT (owner) DO UPDATE SET n = owner_counts.n + excluded.n;
$$;

CREATE FUNCTION owner_count_remove(owners text[]) RETURNS void LANGUAGE sql AS $$
    UPDATE owner_counts c SET n = c.n - d.k
        FROM (SELECT o, count(*) AS k FROM unnest(owners) AS o GROUP BY o) d
        WHERE c.owner = d.o;
$$;

CREATE FUNCTION leads_owned_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM owner_count_add(ARRAY(SELECT owner FROM new_rows WHERE owner IS NOT NULL
        AND stage IN (SELECT key FROM stages WHERE team = 'sales' AND terminal = 0)));
    RETURN NULL;
END;
$$;

CREATE FUNCTION leads_owned_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM owner_count_remove(ARRAY(SELECT owner FROM old_rows WHERE owner IS NOT NULL
        AND stage IN (SELECT key FROM stages WHERE team = 'sales' AND terminal = 0)));
    RETURN NULL;
END;
$$;

CREATE FUNCTION leads_owned_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM owner_count_remove(ARRAY(SELECT o.owner FROM old_rows o JOIN new_rows n
        ON n.id = o.id WHERE (n.owner IS DISTINCT FROM o.owner OR n.stage IS DISTINCT FROM o.stage)
        AND o.owner IS NOT NULL
        AND o.stage IN (SELECT key FROM stages WHERE team = 'sales' AND terminal = 0)));
    PERFORM owner_count_add(ARRAY(SELECT n.owner FROM old_rows o JOIN new_rows n
        ON n.id = o.id WHERE (n.owner IS DISTINCT FROM o.owner OR n.stage IS DISTINCT FROM o.stage)
        AND n.owner IS NOT NULL
        AND n.stage IN (SELECT key FROM stages WHERE team = 'sales' AND terminal = 0)));
    RETURN NULL;
END;
$$;

CREATE TRIGGER leads_owned_insert AFTER INSERT ON leads
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION leads_owned_inserted();
CREATE TRIGGER leads_owned_delete AFTER DELETE ON leads
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION leads_owned_deleted();
CREATE TRIGGER leads_owned_change AFTER UPDATE ON leads
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION leads_owned_changed();

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'leadboard_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON owner_counts TO leadboard_app;
    END IF;
END;
$$;

CREATE INDEX leads_due ON leads (next_step_at);
CREATE INDEX leads_contact_sla ON leads (stage, owner_since);

INSERT INTO settings (key, value) VALUES
    ('routing',            'off'),
    ('min_attempts',       '0'),
    ('sla_contact_hours',  '0'),
    ('sla_hours',          '24x7'),
    ('timezone',           'UTC');
