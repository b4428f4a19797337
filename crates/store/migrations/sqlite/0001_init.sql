-- duijie schema, first version. Times are UTC RFC 3339 text; money is integer fen.
-- Written so that the PostgreSQL folder differs only in how ids are generated.

CREATE TABLE organisation (
    id            INTEGER PRIMARY KEY,
    key           TEXT UNIQUE,
    name_zh       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    region        TEXT NOT NULL,
    chain         TEXT,
    intro_zh      TEXT NOT NULL,
    intro_en      TEXT NOT NULL,
    contact_name  TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    website       TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX organisation_region ON organisation (region);

CREATE TABLE app_user (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    org_id        INTEGER REFERENCES organisation (id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- A browser session; `id` is the SHA-256 of the cookie value, never the value itself.
CREATE TABLE session (
    id         TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- A token for machine clients; only its SHA-256 is kept.
CREATE TABLE api_token (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);

CREATE TABLE scenario (
    id             INTEGER PRIMARY KEY,
    key            TEXT UNIQUE,
    org_id         INTEGER NOT NULL REFERENCES organisation (id),
    title_zh       TEXT NOT NULL,
    title_en       TEXT NOT NULL,
    description_zh TEXT NOT NULL,
    description_en TEXT NOT NULL,
    chain          TEXT NOT NULL,
    field          TEXT NOT NULL,
    trl_required   INTEGER NOT NULL,
    budget_min_fen BIGINT,
    budget_max_fen BIGINT,
    region         TEXT NOT NULL,
    deadline       TEXT,
    status         TEXT NOT NULL,
    confidential   TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX scenario_org ON scenario (org_id);
CREATE INDEX scenario_status ON scenario (status);

CREATE TABLE achievement (
    id           INTEGER PRIMARY KEY,
    key          TEXT UNIQUE,
    org_id       INTEGER NOT NULL REFERENCES organisation (id),
    title_zh     TEXT NOT NULL,
    title_en     TEXT NOT NULL,
    summary_zh   TEXT NOT NULL,
    summary_en   TEXT NOT NULL,
    chain        TEXT NOT NULL,
    field        TEXT NOT NULL,
    trl          INTEGER NOT NULL,
    ip           TEXT NOT NULL,
    team         TEXT NOT NULL,
    coop_modes   TEXT NOT NULL,
    status       TEXT NOT NULL,
    confidential TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX achievement_org ON achievement (org_id);
CREATE INDEX achievement_status ON achievement (status);

-- Organisations the owner of a scenario or achievement allowed to read its confidential fields.
CREATE TABLE access_grant (
    id         INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    org_id     INTEGER NOT NULL REFERENCES organisation (id),
    granted_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    UNIQUE (entity, entity_id, org_id)
);

-- Who changed what, when. Written in the same transaction as the change.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user_id   INTEGER,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER,
    detail    TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
