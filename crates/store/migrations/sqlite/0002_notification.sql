-- Inbox: a newly published achievement ranks among the best matches of an organisation's
-- published scenario. One notice per pair; read_at is set when the reader marks it read.
CREATE TABLE notification (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organisation (id),
    scenario_id    INTEGER NOT NULL REFERENCES scenario (id),
    achievement_id INTEGER NOT NULL REFERENCES achievement (id),
    rank           INTEGER NOT NULL,
    score          INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    read_at        TEXT,
    UNIQUE (scenario_id, achievement_id)
);
CREATE INDEX notification_org ON notification (org_id, read_at);
