-- Lists of ids kept as comma-separated text become join tables with foreign keys: the partners
-- of a challenge application, and the slots a gathering participant cannot attend. Existing
-- lists are moved; an entry that names no existing row is dropped (it was read as 0 before).

CREATE TABLE application_partner (
    application_id BIGINT NOT NULL REFERENCES application (id),
    org_id         BIGINT NOT NULL REFERENCES organisation (id),
    PRIMARY KEY (application_id, org_id)
);

CREATE TABLE participant_unavailable (
    participant_id BIGINT NOT NULL REFERENCES participant (id),
    slot_id        BIGINT NOT NULL REFERENCES gathering_slot (id),
    PRIMARY KEY (participant_id, slot_id)
);

INSERT INTO application_partner (application_id, org_id)
SELECT DISTINCT a.id, CAST(trim(p) AS BIGINT)
FROM application a, unnest(string_to_array(a.partners, ',')) AS p
WHERE trim(p) ~ '^[0-9]{1,18}$' AND CAST(trim(p) AS BIGINT) IN (SELECT id FROM organisation);

INSERT INTO participant_unavailable (participant_id, slot_id)
SELECT DISTINCT x.id, CAST(trim(s) AS BIGINT)
FROM participant x, unnest(string_to_array(x.unavailable, ',')) AS s
WHERE trim(s) ~ '^[0-9]{1,18}$' AND CAST(trim(s) AS BIGINT) IN (SELECT id FROM gathering_slot);

ALTER TABLE application DROP COLUMN partners;

ALTER TABLE participant DROP COLUMN unavailable;
