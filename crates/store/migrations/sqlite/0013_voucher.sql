-- Innovation vouchers (创新券): a programme office's scheme (budget, amount per enterprise,
-- share of a service's price it may pay, eligible service kinds, provider and enterprise
-- provinces, validity), the vouchers enterprises apply for, and each use of a voucher on a
-- pilot service. Money is integer fen. `committed_fen` is the sum of approved vouchers: an
-- approval moves it only while it stays within the budget; a use lowers a voucher's balance
-- only while it stays at or above zero; a service is paid by a voucher at most once.
CREATE TABLE voucher_scheme (
    id                 INTEGER PRIMARY KEY,
    org_id             INTEGER NOT NULL REFERENCES organisation (id),
    name_zh            TEXT NOT NULL,
    name_en            TEXT NOT NULL,
    source             TEXT NOT NULL,
    budget_fen         INTEGER NOT NULL CHECK (budget_fen > 0),
    committed_fen      INTEGER NOT NULL DEFAULT 0 CHECK (committed_fen >= 0 AND committed_fen <= budget_fen),
    per_enterprise_fen INTEGER NOT NULL CHECK (per_enterprise_fen > 0),
    share_pct          INTEGER NOT NULL CHECK (share_pct BETWEEN 1 AND 100),
    service_kinds      TEXT NOT NULL,
    provider_regions   TEXT NOT NULL,
    enterprise_regions TEXT NOT NULL,
    valid_from         TEXT NOT NULL,
    valid_until        TEXT NOT NULL,
    created_by         INTEGER REFERENCES app_user (id),
    created_at         TEXT NOT NULL
);

CREATE TABLE voucher (
    id          INTEGER PRIMARY KEY,
    scheme_id   INTEGER NOT NULL REFERENCES voucher_scheme (id),
    org_id      INTEGER NOT NULL REFERENCES organisation (id),
    status      TEXT NOT NULL,
    amount_fen  INTEGER NOT NULL DEFAULT 0,
    balance_fen INTEGER NOT NULL DEFAULT 0 CHECK (balance_fen >= 0 AND balance_fen <= amount_fen),
    reason      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    decided_at  TEXT,
    UNIQUE (scheme_id, org_id)
);

CREATE TABLE voucher_use (
    id                 INTEGER PRIMARY KEY,
    voucher_id         INTEGER NOT NULL REFERENCES voucher (id),
    service_request_id INTEGER NOT NULL UNIQUE REFERENCES service_request (id),
    provider_org_id    INTEGER NOT NULL REFERENCES organisation (id),
    price_fen          INTEGER NOT NULL CHECK (price_fen > 0),
    amount_fen         INTEGER NOT NULL CHECK (amount_fen > 0 AND amount_fen <= price_fen),
    status             TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    redeemed_at        TEXT,
    reconciled_at      TEXT
);
