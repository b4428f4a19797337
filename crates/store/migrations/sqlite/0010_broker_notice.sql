-- Brokered introductions: a technology broker (技术经纪人) introduces an achievement's holder
-- to a scenario's owner. The docking starts as 'introduced'; each side's acceptance is dated;
-- when both have accepted it is negotiating. The broker is a party to the conversation: its
-- messages carry no organisation, and its read position lives on the docking.
ALTER TABLE docking ADD COLUMN broker_user_id INTEGER REFERENCES app_user (id);
ALTER TABLE docking ADD COLUMN from_accepted_at TEXT;
ALTER TABLE docking ADD COLUMN to_accepted_at TEXT;
ALTER TABLE docking ADD COLUMN broker_read INTEGER NOT NULL DEFAULT 0;
CREATE INDEX docking_broker ON docking (broker_user_id, updated_at);
-- A party may invite the programme officers to read the conversation: when, and who.
ALTER TABLE docking ADD COLUMN staff_invited_at TEXT;
ALTER TABLE docking ADD COLUMN staff_invited_by INTEGER REFERENCES app_user (id);
-- An introduction is open too: one open docking per organisation and record.
DROP INDEX docking_open;
CREATE UNIQUE INDEX docking_open ON docking (from_org_id, about_kind, about_id)
    WHERE stage IN ('requested', 'introduced', 'negotiating', 'pilot', 'signed');

-- A message's organisation is empty when the broker wrote it: SQLite cannot drop NOT NULL, so
-- the table is rebuilt.
CREATE TABLE docking_message_new (
    id         INTEGER PRIMARY KEY,
    docking_id INTEGER NOT NULL REFERENCES docking (id),
    org_id     INTEGER REFERENCES organisation (id),
    user_id    INTEGER NOT NULL REFERENCES app_user (id),
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO docking_message_new (id, docking_id, org_id, user_id, body, created_at)
    SELECT id, docking_id, org_id, user_id, body, created_at FROM docking_message;
DROP TABLE docking_message;
ALTER TABLE docking_message_new RENAME TO docking_message;
CREATE INDEX docking_message_docking ON docking_message (docking_id, id);

-- Notices of each step (a docking requested, answered or moved on, a contract recorded,
-- registered or refused, an organisation's verification), to an organisation's members or to
-- one user (a registrar, an officer, a broker). The title is what the reader was told then.
CREATE TABLE notice (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER REFERENCES organisation (id),
    user_id      INTEGER REFERENCES app_user (id),
    kind         TEXT NOT NULL,
    -- 'docking', 'contract' or 'organisation', and its id
    subject      TEXT NOT NULL,
    subject_id   INTEGER NOT NULL,
    title        TEXT NOT NULL,
    title_en     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    actor_id     INTEGER REFERENCES app_user (id),
    created_at   TEXT NOT NULL,
    read_at      TEXT,
    CHECK (org_id IS NOT NULL OR user_id IS NOT NULL)
);
CREATE INDEX notice_org ON notice (org_id, read_at);
CREATE INDEX notice_user ON notice (user_id, read_at);

-- Confidentiality terms (保密条款) the owner of a record may set: others entitled to its
-- confidential fields and its contact see them only after accepting the terms; each
-- acceptance is kept with its time and user.
CREATE TABLE record_terms (
    entity     TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    body       TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES app_user (id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id)
);
CREATE TABLE terms_acceptance (
    id         INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    org_id     INTEGER NOT NULL REFERENCES organisation (id),
    user_id    INTEGER NOT NULL REFERENCES app_user (id),
    accepted_at TEXT NOT NULL,
    UNIQUE (entity, entity_id, org_id)
);
