-- Challenge lists (揭榜挂帅) and horse racing (赛马): challenges posed by enterprises, the terms
-- organisations accept to see confidential details, team applications, expert profiles and
-- declared conflicts, reviews per round (0 = selection, n = milestone n), milestone decisions.
CREATE TABLE challenge (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES organisation (id),
    title_zh     TEXT NOT NULL,
    title_en     TEXT NOT NULL,
    problem      TEXT NOT NULL,
    targets      TEXT NOT NULL,
    deliverables TEXT NOT NULL,
    chain        TEXT,
    funding_fen  INTEGER NOT NULL,
    deadline     TEXT NOT NULL,
    ip_terms     TEXT NOT NULL,
    confidential TEXT NOT NULL,
    mode         TEXT NOT NULL,
    criteria     TEXT NOT NULL,
    reviewers    INTEGER NOT NULL,
    status       TEXT NOT NULL,
    round        INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX challenge_status ON challenge (status);

CREATE TABLE challenge_terms (
    id           INTEGER PRIMARY KEY,
    challenge_id INTEGER NOT NULL REFERENCES challenge (id),
    org_id       INTEGER NOT NULL REFERENCES organisation (id),
    user_id      INTEGER NOT NULL REFERENCES app_user (id),
    accepted_at  TEXT NOT NULL,
    UNIQUE (challenge_id, org_id)
);

CREATE TABLE application (
    id           INTEGER PRIMARY KEY,
    challenge_id INTEGER NOT NULL REFERENCES challenge (id),
    org_id       INTEGER NOT NULL REFERENCES organisation (id),
    partners     TEXT NOT NULL,
    title        TEXT NOT NULL,
    plan         TEXT NOT NULL,
    milestones   TEXT NOT NULL,
    budget_fen   INTEGER NOT NULL,
    members      TEXT NOT NULL,
    status       TEXT NOT NULL,
    reason       TEXT NOT NULL,
    funded_fen   INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (challenge_id, org_id)
);

CREATE TABLE expert_profile (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL UNIQUE REFERENCES app_user (id),
    fields        TEXT NOT NULL,
    collaborators TEXT NOT NULL,
    max_load      INTEGER NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE review_conflict (
    id             INTEGER PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES app_user (id),
    application_id INTEGER NOT NULL REFERENCES application (id),
    reason         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (user_id, application_id)
);

CREATE TABLE review (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES application (id),
    user_id        INTEGER NOT NULL REFERENCES app_user (id),
    round          INTEGER NOT NULL,
    affinity_milli INTEGER NOT NULL,
    scores         TEXT,
    comment        TEXT NOT NULL,
    submitted_at   TEXT,
    created_at     TEXT NOT NULL,
    UNIQUE (application_id, user_id, round)
);

CREATE TABLE milestone_decision (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES application (id),
    round          INTEGER NOT NULL,
    passed         INTEGER NOT NULL,
    reason         TEXT NOT NULL,
    tranche_fen    INTEGER NOT NULL,
    decided_at     TEXT NOT NULL,
    UNIQUE (application_id, round)
);
