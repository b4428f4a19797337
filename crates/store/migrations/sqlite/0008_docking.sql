-- Docking (对接): an organisation asks another to work together on one of the other's
-- published records. Each move of its stage is an event (who, when, why); the two parties
-- talk in its messages; each party's read position gives the unread counts.
CREATE TABLE docking (
    id           INTEGER PRIMARY KEY,
    from_org_id  INTEGER NOT NULL REFERENCES organisation (id),
    to_org_id    INTEGER NOT NULL REFERENCES organisation (id),
    -- the receiver's record it is about: scenario or achievement
    about_kind   TEXT NOT NULL,
    about_id     INTEGER NOT NULL,
    -- the requester's own record it concerns, if any
    own_kind     TEXT,
    own_id       INTEGER,
    -- joint_development, licence, transfer, pilot, investment, service, other
    want         TEXT NOT NULL,
    message      TEXT NOT NULL,
    -- requested, negotiating, pilot, signed, landed, declined, terminated
    stage        TEXT NOT NULL,
    reason       TEXT NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES app_user (id),
    created_at   TEXT NOT NULL,
    -- the last move or message
    updated_at   TEXT NOT NULL
);
CREATE INDEX docking_from ON docking (from_org_id, updated_at);
CREATE INDEX docking_to ON docking (to_org_id, updated_at);
-- One open request per organisation and record.
CREATE UNIQUE INDEX docking_open ON docking (from_org_id, about_kind, about_id)
    WHERE stage IN ('requested', 'negotiating', 'pilot', 'signed');

CREATE TABLE docking_event (
    id         INTEGER PRIMARY KEY,
    docking_id INTEGER NOT NULL REFERENCES docking (id),
    stage      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES app_user (id),
    at         TEXT NOT NULL
);
CREATE INDEX docking_event_docking ON docking_event (docking_id);

CREATE TABLE docking_message (
    id         INTEGER PRIMARY KEY,
    docking_id INTEGER NOT NULL REFERENCES docking (id),
    org_id     INTEGER NOT NULL REFERENCES organisation (id),
    user_id    INTEGER NOT NULL REFERENCES app_user (id),
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX docking_message_docking ON docking_message (docking_id, id);

CREATE TABLE docking_read (
    docking_id      INTEGER NOT NULL REFERENCES docking (id),
    org_id          INTEGER NOT NULL REFERENCES organisation (id),
    last_message_id INTEGER NOT NULL,
    PRIMARY KEY (docking_id, org_id)
);
