-- Policies enterprises can claim (政策匹配): what an enterprise says of itself for the policy
-- rules, and its figures by accounting year. A NULL is a fact not given yet (the rules then
-- say "unknown" and name it). Money is integer fen; booleans are 0/1.
CREATE TABLE enterprise_profile (
    org_id                     INTEGER PRIMARY KEY REFERENCES organisation (id),
    founded_on                 TEXT,
    industry                   TEXT,
    hightech_field             INTEGER,
    clean_record               INTEGER,
    hightech_certificate_until TEXT,
    national_award             INTEGER,
    provincial_rnd_institution INTEGER,
    led_standard               INTEGER,
    ip_class1                  INTEGER,
    ip_class2                  INTEGER,
    innovation_score           INTEGER,
    audited_accounts           INTEGER,
    updated_at                 TEXT NOT NULL
);

CREATE TABLE enterprise_year (
    id                   INTEGER PRIMARY KEY,
    org_id               INTEGER NOT NULL REFERENCES organisation (id),
    year                 INTEGER NOT NULL,
    staff                INTEGER,
    tech_staff           INTEGER,
    revenue_fen          INTEGER,
    total_income_fen     INTEGER,
    assets_fen           INTEGER,
    total_cost_fen       INTEGER,
    rnd_fen              INTEGER,
    rnd_domestic_fen     INTEGER,
    hightech_revenue_fen INTEGER,
    updated_at           TEXT NOT NULL,
    UNIQUE (org_id, year)
);
