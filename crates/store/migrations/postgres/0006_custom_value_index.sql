-- Custom field values as rows, so a list can filter on them through an index instead of
-- reading every record's `custom` JSON. One row per value (a multi-choice field has one per
-- choice), kept by the store on every write. Keep in step with ../sqlite/0006_custom_value_index.sql.
CREATE TABLE record_custom_values (
    record_id UUID NOT NULL,
    record_kind TEXT NOT NULL,
    key TEXT NOT NULL,
    -- The value as text (a money amount without its currency), cut to 200 characters.
    value TEXT NOT NULL,
    PRIMARY KEY (record_id, key, value)
);
CREATE INDEX record_custom_values_pair ON record_custom_values (key, value, record_id);

-- The values already stored, written the way the store writes new ones.
INSERT INTO record_custom_values (record_id, record_kind, key, value)
SELECT r.id, r.kind, f.key, left(
    CASE jsonb_typeof(f.value)
        WHEN 'object' THEN f.value ->> 'amount'
        WHEN 'string' THEN f.value #>> '{}'
        ELSE f.value::text
    END, 200)
FROM (SELECT id, 'company' AS kind, custom FROM companies UNION ALL SELECT id, 'person', custom FROM people) AS r,
     jsonb_each(r.custom) AS f
WHERE jsonb_typeof(f.value) NOT IN ('null', 'array')
  AND (jsonb_typeof(f.value) <> 'object' OR f.value ? 'amount')
ON CONFLICT DO NOTHING;

INSERT INTO record_custom_values (record_id, record_kind, key, value)
SELECT r.id, r.kind, f.key, left(CASE jsonb_typeof(e) WHEN 'string' THEN e #>> '{}' ELSE e::text END, 200)
FROM (SELECT id, 'company' AS kind, custom FROM companies UNION ALL SELECT id, 'person', custom FROM people) AS r,
     jsonb_each(r.custom) AS f, jsonb_array_elements(f.value) AS e
WHERE jsonb_typeof(f.value) = 'array' AND jsonb_typeof(e) NOT IN ('null', 'array', 'object')
ON CONFLICT DO NOTHING;
