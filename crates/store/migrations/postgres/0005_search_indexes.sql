-- Substring search on names without reading every row (SQLite: an FTS5 trigram table of
-- the same name), and contact values found by prefix whatever the database's collation.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX companies_name_trigrams ON companies USING gin (name_folded gin_trgm_ops);
CREATE INDEX people_name_trigrams ON people USING gin (name_folded gin_trgm_ops);
DROP INDEX contact_methods_normalized;
CREATE INDEX contact_methods_normalized ON contact_methods (normalized text_pattern_ops);
