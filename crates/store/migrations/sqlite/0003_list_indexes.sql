-- Filtered lists are sorted by name most of the time: an owner's companies in name order
-- come straight from the index instead of being sorted after the filter.
DROP INDEX companies_owner;
CREATE INDEX companies_owner_name ON companies (owner_id, name, id);
DROP INDEX people_owner;
CREATE INDEX people_owner_name ON people (owner_id, full_name, id);
