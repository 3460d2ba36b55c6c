-- Substring search on names ("wisla" anywhere in "Klub Sportowy Wisła") without reading
-- every row: an FTS5 trigram index over the folded name, kept in step by triggers.
-- PostgreSQL has the same as a pg_trgm index of the same name. The index rows are keyed
-- by an INTEGER PRIMARY KEY of their own, which VACUUM keeps (it may renumber the
-- implicit rowids of the record tables).

CREATE TABLE companies_name_trigram_rows (
    n INTEGER PRIMARY KEY,
    record_id BLOB NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE companies_name_trigrams USING fts5 (name_folded, tokenize = 'trigram');
INSERT INTO companies_name_trigram_rows (record_id) SELECT id FROM companies;
INSERT INTO companies_name_trigrams (rowid, name_folded)
    SELECT r.n, t.name_folded FROM companies_name_trigram_rows AS r JOIN companies AS t ON t.id = r.record_id;
CREATE TRIGGER companies_name_trigrams_insert AFTER INSERT ON companies BEGIN
    INSERT INTO companies_name_trigram_rows (record_id) VALUES (new.id);
    INSERT INTO companies_name_trigrams (rowid, name_folded) VALUES (last_insert_rowid(), new.name_folded);
END;
CREATE TRIGGER companies_name_trigrams_update AFTER UPDATE OF name_folded ON companies BEGIN
    UPDATE companies_name_trigrams SET name_folded = new.name_folded
        WHERE rowid = (SELECT n FROM companies_name_trigram_rows WHERE record_id = new.id);
END;
CREATE TRIGGER companies_name_trigrams_delete AFTER DELETE ON companies BEGIN
    DELETE FROM companies_name_trigrams WHERE rowid = (SELECT n FROM companies_name_trigram_rows WHERE record_id = old.id);
    DELETE FROM companies_name_trigram_rows WHERE record_id = old.id;
END;

CREATE TABLE people_name_trigram_rows (
    n INTEGER PRIMARY KEY,
    record_id BLOB NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE people_name_trigrams USING fts5 (name_folded, tokenize = 'trigram');
INSERT INTO people_name_trigram_rows (record_id) SELECT id FROM people;
INSERT INTO people_name_trigrams (rowid, name_folded)
    SELECT r.n, t.name_folded FROM people_name_trigram_rows AS r JOIN people AS t ON t.id = r.record_id;
CREATE TRIGGER people_name_trigrams_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_name_trigram_rows (record_id) VALUES (new.id);
    INSERT INTO people_name_trigrams (rowid, name_folded) VALUES (last_insert_rowid(), new.name_folded);
END;
CREATE TRIGGER people_name_trigrams_update AFTER UPDATE OF name_folded ON people BEGIN
    UPDATE people_name_trigrams SET name_folded = new.name_folded
        WHERE rowid = (SELECT n FROM people_name_trigram_rows WHERE record_id = new.id);
END;
CREATE TRIGGER people_name_trigrams_delete AFTER DELETE ON people BEGIN
    DELETE FROM people_name_trigrams WHERE rowid = (SELECT n FROM people_name_trigram_rows WHERE record_id = old.id);
    DELETE FROM people_name_trigram_rows WHERE record_id = old.id;
END;
