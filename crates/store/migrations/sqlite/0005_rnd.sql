-- R&D expense super-deduction (研发费用加计扣除): an enterprise's income figures for a tax year,
-- its R&D projects (the facts pre-identification checks and the year's costs), opinions of
-- officers and experts on a project, shared staff and equipment with their cost, and the hours
-- imported from time sheets and equipment-use logs (each file one batch, removable whole).
-- Money is integer fen; hours are exact decimal text.
CREATE TABLE rnd_year (
    id                       INTEGER PRIMARY KEY,
    org_id                   INTEGER NOT NULL REFERENCES organisation (id),
    year                     INTEGER NOT NULL,
    kind                     TEXT NOT NULL,
    total_income_fen         INTEGER NOT NULL,
    negative_list_income_fen INTEGER NOT NULL,
    non_taxable_income_fen   INTEGER NOT NULL,
    investment_income_fen    INTEGER NOT NULL,
    -- 2022 only: the expensed R&D cost of the fourth quarter, when known
    q4_2022_fen              INTEGER,
    updated_at               TEXT NOT NULL,
    UNIQUE (org_id, year)
);

CREATE TABLE rnd_project (
    id                 INTEGER PRIMARY KEY,
    org_id             INTEGER NOT NULL REFERENCES organisation (id),
    year               INTEGER NOT NULL,
    code               TEXT NOT NULL,
    name               TEXT NOT NULL,
    goal               TEXT NOT NULL,
    targets            TEXT NOT NULL,
    innovation         TEXT NOT NULL,
    uncertainty        TEXT NOT NULL,
    approved           INTEGER NOT NULL,
    approval_date      TEXT NOT NULL,
    start_date         TEXT NOT NULL,
    end_date           TEXT NOT NULL,
    team               TEXT NOT NULL,
    has_plan           INTEGER NOT NULL,
    has_milestones     INTEGER NOT NULL,
    test_records       INTEGER NOT NULL,
    evidence           TEXT NOT NULL,
    activities         TEXT NOT NULL,
    capitalised        INTEGER NOT NULL,
    amort_years        INTEGER NOT NULL,
    amort_months       INTEGER NOT NULL,
    personnel_fen      INTEGER NOT NULL,
    direct_inputs_fen  INTEGER NOT NULL,
    depreciation_fen   INTEGER NOT NULL,
    intangible_fen     INTEGER NOT NULL,
    design_fen         INTEGER NOT NULL,
    other_fen          INTEGER NOT NULL,
    sold_material_fen  INTEGER NOT NULL,
    subsidy_fen        INTEGER NOT NULL,
    special_income_fen INTEGER NOT NULL,
    domestic_fen       INTEGER NOT NULL,
    overseas_fen       INTEGER NOT NULL,
    -- draft, requested (open to officers and experts for an opinion)
    review_status      TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (org_id, year, code)
);

CREATE TABLE rnd_opinion (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES rnd_project (id),
    user_id    INTEGER NOT NULL REFERENCES app_user (id),
    verdict    TEXT NOT NULL,
    opinion    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX rnd_opinion_project ON rnd_opinion (project_id);

CREATE TABLE rnd_resource (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES organisation (id),
    year       INTEGER NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    category   TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    UNIQUE (org_id, year, name)
);

CREATE TABLE rnd_import (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES organisation (id),
    year       INTEGER NOT NULL,
    file_name  TEXT NOT NULL,
    row_count  INTEGER NOT NULL,
    user_id    INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL
);

CREATE TABLE rnd_hours (
    id           INTEGER PRIMARY KEY,
    import_id    INTEGER NOT NULL REFERENCES rnd_import (id),
    row_no       INTEGER NOT NULL,
    resource     TEXT NOT NULL,
    -- empty for work that is not R&D
    project_code TEXT NOT NULL,
    work_date    TEXT NOT NULL,
    hours        TEXT NOT NULL
);
CREATE INDEX rnd_hours_import ON rnd_hours (import_id);
