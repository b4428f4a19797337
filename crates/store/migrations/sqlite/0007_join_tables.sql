-- Lists of ids kept as comma-separated text become join tables with foreign keys: the partners
-- of a challenge application, and the slots a gathering participant cannot attend. Existing
-- lists are moved; an entry that names no existing row is dropped (it was read as 0 before).

CREATE TABLE application_partner (
    application_id INTEGER NOT NULL REFERENCES application (id),
    org_id         INTEGER NOT NULL REFERENCES organisation (id),
    PRIMARY KEY (application_id, org_id)
);

CREATE TABLE participant_unavailable (
    participant_id INTEGER NOT NULL REFERENCES participant (id),
    slot_id        INTEGER NOT NULL REFERENCES gathering_slot (id),
    PRIMARY KEY (participant_id, slot_id)
);

INSERT OR IGNORE INTO application_partner (application_id, org_id)
WITH RECURSIVE split (id, rest, item) AS (
    SELECT id, partners || ',', '' FROM application
    UNION ALL
    SELECT id, substr(rest, instr(rest, ',') + 1), trim(substr(rest, 1, instr(rest, ',') - 1))
    FROM split WHERE rest <> ''
)
SELECT id, CAST(item AS INTEGER) FROM split
WHERE item <> '' AND CAST(item AS INTEGER) IN (SELECT id FROM organisation);

INSERT OR IGNORE INTO participant_unavailable (participant_id, slot_id)
WITH RECURSIVE split (id, rest, item) AS (
    SELECT id, unavailable || ',', '' FROM participant
    UNION ALL
    SELECT id, substr(rest, instr(rest, ',') + 1), trim(substr(rest, 1, instr(rest, ',') - 1))
    FROM split WHERE rest <> ''
)
SELECT id, CAST(item AS INTEGER) FROM split
WHERE item <> '' AND CAST(item AS INTEGER) IN (SELECT id FROM gathering_slot);

ALTER TABLE application DROP COLUMN partners;

ALTER TABLE participant DROP COLUMN unavailable;
