-- From prototype to product: pilot-testing and concept-verification platforms with their
-- services and a capacity calendar (units a day, lowered on given days), service requests
-- booked against that capacity, one-stop support cases with their steps, funds, projects
-- seeking finance and the funds' decisions on them, industrial-chain trees with what is
-- placed on each link, and the outcomes officers record. Money is integer fen; days are
-- YYYY-MM-DD text.
CREATE TABLE platform (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organisation (id),
    -- pilot (中试) or concept (概念验证)
    kind           TEXT NOT NULL,
    name_zh        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    region         TEXT NOT NULL,
    chain          TEXT NOT NULL,
    fields         TEXT NOT NULL,
    equipment      TEXT NOT NULL,
    certifications TEXT NOT NULL,
    intro          TEXT NOT NULL,
    capacity       INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE platform_day (
    id          INTEGER PRIMARY KEY,
    platform_id INTEGER NOT NULL REFERENCES platform (id),
    day         TEXT NOT NULL,
    capacity    INTEGER NOT NULL,
    UNIQUE (platform_id, day)
);

CREATE TABLE platform_service (
    id            INTEGER PRIMARY KEY,
    platform_id   INTEGER NOT NULL REFERENCES platform (id),
    -- scale_up, inspection, concept, certification
    kind          TEXT NOT NULL,
    name_zh       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    price_min_fen INTEGER NOT NULL,
    price_max_fen INTEGER NOT NULL,
    lead_days     INTEGER NOT NULL
);

CREATE TABLE service_request (
    id             INTEGER PRIMARY KEY,
    service_id     INTEGER NOT NULL REFERENCES platform_service (id),
    platform_id    INTEGER NOT NULL REFERENCES platform (id),
    org_id         INTEGER NOT NULL REFERENCES organisation (id),
    achievement_id INTEGER REFERENCES achievement (id),
    days           INTEGER NOT NULL,
    units          INTEGER NOT NULL,
    wanted_from    TEXT NOT NULL,
    note           TEXT NOT NULL,
    -- requested, scheduled, done, declined, cancelled
    status         TEXT NOT NULL,
    start_day      TEXT NOT NULL,
    end_day        TEXT NOT NULL,
    -- pass, fail or empty
    result         TEXT NOT NULL,
    report         TEXT NOT NULL,
    next_step      TEXT NOT NULL,
    reason         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX service_request_platform ON service_request (platform_id, status);

CREATE TABLE support_case (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organisation (id),
    achievement_id INTEGER REFERENCES achievement (id),
    title          TEXT NOT NULL,
    -- prototype, pilot, small_batch, product
    stage          TEXT NOT NULL,
    manager        TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE case_step (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES support_case (id),
    -- pilot, rnd, fund, insurance, incubation, other
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    owner      TEXT NOT NULL,
    due_day    TEXT NOT NULL,
    -- todo, doing, done, blocked
    status     TEXT NOT NULL,
    note       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE fund (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organisation (id),
    name_zh        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    -- guidance, venture, angel, industry
    kind           TEXT NOT NULL,
    chains         TEXT NOT NULL,
    fields         TEXT NOT NULL,
    stages         TEXT NOT NULL,
    regions        TEXT NOT NULL,
    ticket_min_fen INTEGER NOT NULL,
    ticket_max_fen INTEGER NOT NULL,
    size_fen       INTEGER NOT NULL,
    intro          TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE finance_project (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organisation (id),
    achievement_id INTEGER REFERENCES achievement (id),
    title          TEXT NOT NULL,
    chain          TEXT NOT NULL,
    field          TEXT NOT NULL,
    -- seed, early, growth, mature
    stage          TEXT NOT NULL,
    region         TEXT NOT NULL,
    amount_fen     INTEGER NOT NULL,
    summary        TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE fund_deal (
    id          INTEGER PRIMARY KEY,
    fund_id     INTEGER NOT NULL REFERENCES fund (id),
    project_id  INTEGER NOT NULL REFERENCES finance_project (id),
    -- interest, due_diligence, invested, declined
    status      TEXT NOT NULL,
    amount_fen  INTEGER NOT NULL,
    invested_on TEXT NOT NULL,
    reason      TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (fund_id, project_id)
);

CREATE TABLE chain_link (
    id        INTEGER PRIMARY KEY,
    chain     TEXT NOT NULL,
    parent_id INTEGER REFERENCES chain_link (id),
    -- upstream, midstream, downstream
    position  TEXT NOT NULL,
    name_zh   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    keywords  TEXT NOT NULL
);

CREATE TABLE chain_place (
    id        INTEGER PRIMARY KEY,
    link_id   INTEGER NOT NULL REFERENCES chain_link (id),
    -- organisation, scenario or achievement
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    UNIQUE (link_id, entity, entity_id)
);

CREATE TABLE outcome (
    id             INTEGER PRIMARY KEY,
    -- company (a company registered in Hebei) or project (an industrial project)
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL,
    org_id         INTEGER REFERENCES organisation (id),
    city           TEXT NOT NULL,
    chain          TEXT NOT NULL,
    -- where the technology came from: beijing, tianjin, hebei, other
    source_region  TEXT NOT NULL,
    amount_fen     INTEGER NOT NULL,
    occurred_on    TEXT NOT NULL,
    scenario_id    INTEGER REFERENCES scenario (id),
    achievement_id INTEGER REFERENCES achievement (id),
    gathering_id   INTEGER REFERENCES gathering (id),
    challenge_id   INTEGER REFERENCES challenge (id),
    note           TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
