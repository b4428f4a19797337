-- Scenario Gatherings: matchmaking events with time slots and tables, registered participants,
-- meeting requests and the 1:1 meeting schedule with outcomes.
CREATE TABLE gathering (
    id                  INTEGER PRIMARY KEY,
    title_zh            TEXT NOT NULL,
    title_en            TEXT NOT NULL,
    venue               TEXT NOT NULL,
    rooms               TEXT NOT NULL,
    intro_zh            TEXT NOT NULL,
    intro_en            TEXT NOT NULL,
    registration_closes TEXT NOT NULL,
    status              TEXT NOT NULL,
    schedule_report     TEXT,
    scheduled_at        TEXT,
    created_by          INTEGER REFERENCES app_user (id),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);

CREATE TABLE gathering_slot (
    id           INTEGER PRIMARY KEY,
    gathering_id INTEGER NOT NULL REFERENCES gathering (id),
    starts_at    TEXT NOT NULL,
    minutes      INTEGER NOT NULL,
    tables       INTEGER NOT NULL
);
CREATE INDEX gathering_slot_gathering ON gathering_slot (gathering_id, starts_at);

CREATE TABLE gathering_scenario (
    id           INTEGER PRIMARY KEY,
    gathering_id INTEGER NOT NULL REFERENCES gathering (id),
    scenario_id  INTEGER NOT NULL REFERENCES scenario (id),
    UNIQUE (gathering_id, scenario_id)
);

CREATE TABLE participant (
    id           INTEGER PRIMARY KEY,
    gathering_id INTEGER NOT NULL REFERENCES gathering (id),
    org_id       INTEGER NOT NULL REFERENCES organisation (id),
    name         TEXT NOT NULL,
    title        TEXT NOT NULL,
    email        TEXT NOT NULL,
    side         TEXT NOT NULL,
    unavailable  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (gathering_id, email)
);
CREATE INDEX participant_org ON participant (org_id);

CREATE TABLE meeting_request (
    id           INTEGER PRIMARY KEY,
    gathering_id INTEGER NOT NULL REFERENCES gathering (id),
    from_id      INTEGER NOT NULL REFERENCES participant (id),
    to_id        INTEGER NOT NULL REFERENCES participant (id),
    pair_key     TEXT NOT NULL,
    priority     INTEGER NOT NULL,
    message      TEXT NOT NULL,
    status       TEXT NOT NULL,
    reason       TEXT,
    created_at   TEXT NOT NULL,
    decided_at   TEXT,
    UNIQUE (gathering_id, pair_key)
);

CREATE TABLE meeting (
    id           INTEGER PRIMARY KEY,
    gathering_id INTEGER NOT NULL REFERENCES gathering (id),
    request_id   INTEGER NOT NULL UNIQUE REFERENCES meeting_request (id),
    slot_id      INTEGER NOT NULL REFERENCES gathering_slot (id),
    table_no     INTEGER NOT NULL,
    locked       INTEGER NOT NULL,
    outcome_from TEXT,
    outcome_to   TEXT,
    updated_at   TEXT NOT NULL
);
CREATE INDEX meeting_gathering ON meeting (gathering_id, slot_id);
