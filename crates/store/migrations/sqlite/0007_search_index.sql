-- One search index for every kind of record (see rapport_core::search): a row per
-- distinct term of a record, with the class it ranks in and the fields it came from (a
-- bit mask). Filled by the store in the same transaction as the record's write, and
-- rebuilt as a whole when `search_state.version` is older than the program's tokenizer.
-- It replaces the name trigram tables of 0005. Keep in step with ../postgres/0007_search_index.sql.
DROP TRIGGER companies_name_trigrams_insert;
DROP TRIGGER companies_name_trigrams_update;
DROP TRIGGER companies_name_trigrams_delete;
DROP TRIGGER people_name_trigrams_insert;
DROP TRIGGER people_name_trigrams_update;
DROP TRIGGER people_name_trigrams_delete;
DROP TABLE companies_name_trigrams;
DROP TABLE companies_name_trigram_rows;
DROP TABLE people_name_trigrams;
DROP TABLE people_name_trigram_rows;

-- kind: 1 company, 2 person. class: 0 identifier, 1 name, 2 other. The key's order lets a
-- search read the best class first and stop after a page of results.
CREATE TABLE search_terms (
    kind INTEGER NOT NULL,
    class INTEGER NOT NULL,
    term TEXT NOT NULL,
    record_id BLOB NOT NULL,
    mask INTEGER NOT NULL,
    PRIMARY KEY (kind, class, term, record_id)
) WITHOUT ROWID;
CREATE INDEX search_terms_record ON search_terms (record_id, term);

-- Every word the index has held (four letters or more), and its one-letter deletions, for
-- typo tolerance. Words are never removed: a stale one only costs a lookup.
CREATE TABLE search_words (
    word TEXT NOT NULL PRIMARY KEY
) WITHOUT ROWID;
CREATE TABLE search_typos (
    form TEXT NOT NULL,
    word TEXT NOT NULL,
    PRIMARY KEY (form, word)
) WITHOUT ROWID;

CREATE TABLE search_state (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL,
    rebuilt_at TEXT
);
INSERT INTO search_state (id, version) VALUES (1, 0);
