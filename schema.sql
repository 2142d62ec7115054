-- leadboard schema: the one source of the database layout.
--
-- It is compiled into the binary. Each "-- migration N" section runs once, in
-- order, inside one transaction, when PRAGMA user_version is below N; the
-- store then sets user_version to N. Never edit a released section: add one.

-- migration 1

-- Funnel stages in order. Marketing stages come before sales stages; the
-- handoff is the step from the last marketing stage to the first sales stage.
CREATE TABLE stages (
    key       TEXT PRIMARY KEY,
    title     TEXT NOT NULL,
    team      TEXT NOT NULL CHECK (team IN ('marketing', 'sales')),
    position  INTEGER NOT NULL UNIQUE,
    terminal  INTEGER NOT NULL DEFAULT 0 CHECK (terminal IN (0, 1))
) WITHOUT ROWID;

INSERT INTO stages (key, title, team, position, terminal) VALUES
    ('lead',        'Lead',        'marketing', 10, 0),
    ('mql',         'MQL',         'marketing', 20, 0),
    ('sql',         'SQL',         'sales',     30, 0),
    ('opportunity', 'Opportunity', 'sales',     40, 0),
    ('customer',    'Customer',    'sales',     50, 1);

CREATE TABLE users (
    login       TEXT PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('marketing', 'sales', 'manager', 'admin')),
    disabled    INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- Reason codes for pass-backs, backward moves and discards. Retired codes
-- (active = 0) stay valid in history but can no longer be chosen.
CREATE TABLE reasons (
    code    TEXT PRIMARY KEY,
    label   TEXT NOT NULL,
    active  INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
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
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;

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

-- Leads. Times are UTC milliseconds since the epoch. stage is a key of
-- stages, or 'discarded' for a lead taken off the board.
CREATE TABLE leads (
    id                TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    email             TEXT,
    company           TEXT,
    title             TEXT,
    country           TEXT,
    employees         INTEGER CHECK (employees >= 0),
    segment           TEXT CHECK (segment IN ('b2b', 'b2c')),
    source            TEXT,
    score             INTEGER NOT NULL DEFAULT 0 CHECK (score BETWEEN 0 AND 100),
    stage             TEXT NOT NULL,
    owner             TEXT,
    recycle_count     INTEGER NOT NULL DEFAULT 0,
    handoff_count     INTEGER NOT NULL DEFAULT 0,
    last_reason       TEXT,
    last_note         TEXT,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    stage_entered_at  INTEGER NOT NULL,
    handed_off_at     INTEGER
);

-- A column of the board is a keyset window over (stage, stage_entered_at, id).
CREATE INDEX leads_column ON leads (stage, stage_entered_at, id);
CREATE INDEX leads_owner ON leads (owner, stage);
CREATE INDEX leads_email ON leads (email COLLATE NOCASE);
CREATE INDEX leads_sla ON leads (stage, owner, handed_off_at);

-- Cards per stage, kept by triggers so that counting a column never scans it.
CREATE TABLE stage_counts (
    stage  TEXT PRIMARY KEY,
    n      INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER leads_count_insert AFTER INSERT ON leads BEGIN
    INSERT INTO stage_counts (stage, n) VALUES (NEW.stage, 1)
        ON CONFLICT (stage) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER leads_count_delete AFTER DELETE ON leads BEGIN
    UPDATE stage_counts SET n = n - 1 WHERE stage = OLD.stage;
END;

CREATE TRIGGER leads_count_move AFTER UPDATE OF stage ON leads
WHEN NEW.stage IS NOT OLD.stage BEGIN
    UPDATE stage_counts SET n = n - 1 WHERE stage = OLD.stage;
    INSERT INTO stage_counts (stage, n) VALUES (NEW.stage, 1)
        ON CONFLICT (stage) DO UPDATE SET n = n + 1;
END;

-- The audit log. One row per change; hash = SHA-256 over the row's content
-- and prev_hash, so an edited or removed row breaks the chain (see audit.c).
-- rule: for an override, the rule that would have refused the change.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    real_user   TEXT,
    lead_id     TEXT,
    kind        TEXT NOT NULL,
    from_stage  TEXT,
    to_stage    TEXT,
    reason      TEXT,
    note        TEXT,
    rule        TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);

CREATE INDEX events_lead ON events (lead_id, seq);
CREATE INDEX events_at ON events (at);

CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- migration 2

-- The hash scheme of each event (audit.c). Scheme 1 hashed each field as
-- text; scheme 2 hashes every stored byte of the row with its type and
-- length. Events written before this migration keep scheme 1 and their
-- hashes are never rewritten (a rewritten chain is what tampering looks
-- like); leadboard writes scheme 2 from now on, and verify refuses a
-- scheme that goes down along the chain.
ALTER TABLE events ADD COLUMN hash_scheme INTEGER NOT NULL DEFAULT 1;

-- migration 3

-- A lead's phone number, as people write it.
ALTER TABLE leads ADD COLUMN phone TEXT;

-- The lead as it was before its newest change, for undo: the seq of that
-- change and the fields it changed, as they were (door_undo.c). NULL: the
-- newest change cannot be undone (an undo, or none yet).
ALTER TABLE leads ADD COLUMN undo_state TEXT;

INSERT INTO settings (key, value) VALUES ('undo_minutes', '10');

-- The board's scopes read a column through its owner: a rep's own cards
-- (owner = login) and the unclaimed ones (owner IS NULL), in column order.
DROP INDEX leads_owner;
CREATE INDEX leads_owner ON leads (owner, stage, stage_entered_at, id);

-- A column ordered by score, highest first (the board's o).
CREATE INDEX leads_score ON leads (stage, score DESC, stage_entered_at, id);

-- Undo events: the report leaves out each undone change and its undo.
CREATE INDEX events_undo ON events (seq) WHERE kind = 'undo';

-- The words a lead is found by (search.h): name, e-mail, phone, company and
-- owner folded by leadboard (case, accents), one row per lead, id the lead's
-- rowid. The store writes it with the lead; the full-text index follows it
-- by the triggers below. A database migrated to this section has its
-- words written once, in code, right after it.
CREATE TABLE lead_words (
    id     INTEGER PRIMARY KEY,
    words  TEXT NOT NULL
);

CREATE VIRTUAL TABLE leads_search USING fts5(
    words, content = 'lead_words', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5');

CREATE TRIGGER lead_words_insert AFTER INSERT ON lead_words BEGIN
    INSERT INTO leads_search (rowid, words) VALUES (NEW.id, NEW.words);
END;

CREATE TRIGGER lead_words_delete AFTER DELETE ON lead_words BEGIN
    INSERT INTO leads_search (leads_search, rowid, words) VALUES ('delete', OLD.id, OLD.words);
END;

CREATE TRIGGER lead_words_update AFTER UPDATE ON lead_words BEGIN
    INSERT INTO leads_search (leads_search, rowid, words) VALUES ('delete', OLD.id, OLD.words);
    INSERT INTO leads_search (rowid, words) VALUES (NEW.id, NEW.words);
END;

CREATE TRIGGER leads_words_gone AFTER DELETE ON leads BEGIN
    DELETE FROM lead_words WHERE id = OLD.rowid;
END;

-- then: write lead_words

-- migration 4

-- A lead merged into another (leadboard merge) leaves the board for the
-- state 'merged' and remembers the lead it was merged into: the kept
-- lead's history (show, log --lead) reads the merged leads' events
-- through this column.
ALTER TABLE leads ADD COLUMN merged_into TEXT;
CREATE INDEX leads_merged_into ON leads (merged_into);

-- An e-mail address is unique among the leads on the board, compared with
-- ASCII letters folded after trimming (clean.h): the door looks each new
-- address up through leads_email inside its transaction. A lookup, not a
-- unique index, because an allowed duplicate (--allow-duplicate) stands
-- beside the lead that had the address first.

-- migration 5

-- Routing and an SLA that acts (README, "Routing and the sweep"). What
-- routing knows of a member: away (until away_until, or until back),
-- territories (country codes) and segments they cover (NULL: all), and
-- routing_turn, their last round-robin turn (0: never; the largest is the
-- turn the newest routed handoff took).
ALTER TABLE users ADD COLUMN away INTEGER NOT NULL DEFAULT 0 CHECK (away IN (0, 1));
ALTER TABLE users ADD COLUMN away_until INTEGER;
ALTER TABLE users ADD COLUMN territories TEXT;
ALTER TABLE users ADD COLUMN segments TEXT;
ALTER TABLE users ADD COLUMN routing_turn INTEGER NOT NULL DEFAULT 0;

-- A stage's own idle limit in days (NULL: sla_idle_days; 0: never stale).
ALTER TABLE stages ADD COLUMN idle_days INTEGER CHECK (idle_days >= 0);

-- Contact with a lead since its handoff, its next step, since when its
-- owner has it and when the sweep escalated it: the state the contact,
-- assign, reclaim and escalate events replay to (replay.c).
ALTER TABLE leads ADD COLUMN contact_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN first_contact_at INTEGER;
ALTER TABLE leads ADD COLUMN last_contact_at INTEGER;
ALTER TABLE leads ADD COLUMN next_step_at INTEGER;
ALTER TABLE leads ADD COLUMN owner_since INTEGER;
ALTER TABLE leads ADD COLUMN escalated_at INTEGER;

-- An owner has had a lead since the newest claim or assignment of it, or
-- since its create (a rep's own lead): as replaying its log says.
UPDATE leads SET owner_since = coalesce(
    (SELECT at FROM events e WHERE e.lead_id = leads.id AND e.kind IN ('claim', 'assign')
      ORDER BY e.seq DESC LIMIT 1),
    (SELECT at FROM events e WHERE e.lead_id = leads.id AND e.kind = 'create'
      ORDER BY e.seq LIMIT 1))
 WHERE owner IS NOT NULL;

-- Open leads per owner (in sales stages that are not terminal), kept by
-- triggers as stage_counts is: routing reads every rep's load at once, on
-- a board of a million leads, without counting any of them.
CREATE TABLE owner_counts (
    owner  TEXT PRIMARY KEY,
    n      INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO owner_counts (owner, n)
    SELECT owner, count(*) FROM leads
     WHERE owner IS NOT NULL
       AND stage IN (SELECT key FROM stages WHERE team = 'sales' AND terminal = 0)
     GROUP BY owner;

CREATE TRIGGER leads_owned_insert AFTER INSERT ON leads
WHEN NEW.owner IS NOT NULL
 AND NEW.stage IN (SELECT key FROM stages WHERE team = 'sales' AND terminal = 0) BEGIN
    INSERT INTO owner_counts (owner, n) VALUES (NEW.owner, 1)
        ON CONFLICT (owner) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER leads_owned_delete AFTER DELETE ON leads
WHEN OLD.owner IS NOT NULL
 AND OLD.stage IN (SELECT key FROM stages WHERE team = 'sales' AND terminal = 0) BEGIN
    UPDATE owner_counts SET n = n - 1 WHERE owner = OLD.owner;
END;

CREATE TRIGGER leads_owned_change AFTER UPDATE OF owner, stage ON leads
WHEN NEW.owner IS NOT OLD.owner OR NEW.stage IS NOT OLD.stage BEGIN
    UPDATE owner_counts SET n = n - 1 WHERE owner = OLD.owner
       AND OLD.stage IN (SELECT key FROM stages WHERE team = 'sales' AND terminal = 0);
    INSERT INTO owner_counts (owner, n) SELECT NEW.owner, 1
     WHERE NEW.owner IS NOT NULL
       AND NEW.stage IN (SELECT key FROM stages WHERE team = 'sales' AND terminal = 0)
        ON CONFLICT (owner) DO UPDATE SET n = n + 1;
END;

-- Leads whose next step is due (list --due, the board's due scope), and
-- owned leads by when their owner got them (the sweep's uncontacted ones).
CREATE INDEX leads_due ON leads (next_step_at);
CREATE INDEX leads_contact_sla ON leads (stage, owner_since);

INSERT INTO settings (key, value) VALUES
    ('routing',            'off'),
    ('min_attempts',       '0'),
    ('sla_contact_hours',  '0'),
    ('sla_hours',          '24x7'),
    ('timezone',           'UTC');
