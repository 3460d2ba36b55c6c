-- Lists show live (not archived) records in name order unless told otherwise. With their
-- own index in that order, a list searched for a common word walks names without reading
-- a table row per name to see whether it is archived (see store::search::TextPlan).
-- Keep in step with ../postgres/0014_live_name_indexes.sql.
CREATE INDEX companies_live_name ON companies (name, id) WHERE archived_at IS NULL;
CREATE INDEX people_live_full_name ON people (full_name, id) WHERE archived_at IS NULL;
