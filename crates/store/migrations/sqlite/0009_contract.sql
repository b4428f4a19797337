-- Technology contracts (技术合同): recorded by a party (from a docking or directly), reviewed
-- by a contract registrar. Regions are those of the parties when the contract was recorded,
-- so that the flow statistics do not move when an organisation does.
CREATE TABLE tech_contract (
    id               INTEGER PRIMARY KEY,
    title            TEXT NOT NULL,
    -- development_commissioned, development_cooperative, transfer_*, licence_*, consulting, service
    kind             TEXT NOT NULL,
    seller_org_id    INTEGER NOT NULL REFERENCES organisation (id),
    buyer_org_id     INTEGER NOT NULL REFERENCES organisation (id),
    seller_region    TEXT NOT NULL,
    buyer_region     TEXT NOT NULL,
    total_fen        BIGINT NOT NULL CHECK (total_fen > 0),
    transaction_fen  BIGINT NOT NULL CHECK (transaction_fen >= 0 AND transaction_fen <= total_fen),
    signed_on        TEXT NOT NULL,
    term_from        TEXT NOT NULL,
    term_to          TEXT NOT NULL,
    chain            TEXT,
    docking_id       INTEGER REFERENCES docking (id),
    scenario_id      INTEGER REFERENCES scenario (id),
    achievement_id   INTEGER REFERENCES achievement (id),
    challenge_id     INTEGER REFERENCES challenge (id),
    gathering_id     INTEGER REFERENCES gathering (id),
    broker_user_id   INTEGER REFERENCES app_user (id),
    note             TEXT NOT NULL,
    -- pending, registered, refused
    status           TEXT NOT NULL,
    registration_no  TEXT UNIQUE,
    registered_on    TEXT,
    reason           TEXT NOT NULL,
    reviewed_by      INTEGER REFERENCES app_user (id),
    created_by       INTEGER NOT NULL REFERENCES app_user (id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX tech_contract_seller ON tech_contract (seller_org_id);
CREATE INDEX tech_contract_buyer ON tech_contract (buyer_org_id);
CREATE INDEX tech_contract_registered ON tech_contract (status, registered_on);

CREATE TABLE contract_payment (
    id          INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES tech_contract (id),
    due_on      TEXT NOT NULL,
    amount_fen  BIGINT NOT NULL
);
CREATE INDEX contract_payment_contract ON contract_payment (contract_id);

-- Verified organisations: the unified social credit code (统一社会信用代码) and what a
-- programme officer made of it.
ALTER TABLE organisation ADD COLUMN credit_code TEXT;
-- unverified, pending, verified, refused
ALTER TABLE organisation ADD COLUMN verification TEXT NOT NULL DEFAULT 'unverified';
ALTER TABLE organisation ADD COLUMN verification_reason TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX organisation_credit_code ON organisation (credit_code);

-- The last registration sequence number given per prefix (year and province): one atomic
-- upsert per registration, so two registrars never give one number twice.
CREATE TABLE contract_sequence (
    prefix TEXT PRIMARY KEY,
    last   BIGINT NOT NULL
);
