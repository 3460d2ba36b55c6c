-- Custom field values as rows, so a list can filter on them through an index instead of
-- reading every record's `custom` JSON. One row per value (a multi-choice field has one per
-- choice), kept by the store on every write. Keep in step with ../postgres/0006_custom_value_index.sql.
CREATE TABLE record_custom_values (
    record_id BLOB NOT NULL,
    record_kind TEXT NOT NULL,
    key TEXT NOT NULL,
    -- The value as text (a money amount without its currency), cut to 200 characters.
    value TEXT NOT NULL,
    PRIMARY KEY (record_id, key, value)
);
CREATE INDEX record_custom_values_pair ON record_custom_values (key, value, record_id);

-- The values already stored, written the way the store writes new ones.
INSERT OR IGNORE INTO record_custom_values (record_id, record_kind, key, value)
SELECT r.id, r.kind, f.key, substr(
    CASE f.type
        WHEN 'true' THEN 'true'
        WHEN 'false' THEN 'false'
        WHEN 'object' THEN CAST(json_extract(f.value, '$.amount') AS TEXT)
        ELSE CAST(f.value AS TEXT)
    END, 1, 200)
FROM (SELECT id, 'company' AS kind, custom FROM companies UNION ALL SELECT id, 'person', custom FROM people) AS r,
     json_each(r.custom) AS f
WHERE f.type NOT IN ('null', 'array') AND (f.type <> 'object' OR json_extract(f.value, '$.amount') IS NOT NULL);

INSERT OR IGNORE INTO record_custom_values (record_id, record_kind, key, value)
SELECT r.id, r.kind, f.key, substr(CAST(e.value AS TEXT), 1, 200)
FROM (SELECT id, 'company' AS kind, custom FROM companies UNION ALL SELECT id, 'person', custom FROM people) AS r,
     json_each(r.custom) AS f, json_each(f.value) AS e
WHERE f.type = 'array' AND e.type NOT IN ('null', 'array', 'object');
