-- One search index for every kind of record; see ../sqlite/0007_search_index.sql. Terms
-- compare in code point order (COLLATE "C"), as SQLite's do, so a prefix is an index range.
DROP INDEX companies_name_trigrams;
DROP INDEX people_name_trigrams;

CREATE TABLE search_terms (
    kind SMALLINT NOT NULL,
    class SMALLINT NOT NULL,
    term TEXT COLLATE "C" NOT NULL,
    record_id UUID NOT NULL,
    mask INTEGER NOT NULL,
    PRIMARY KEY (kind, class, term, record_id)
);
CREATE INDEX search_terms_record ON search_terms (record_id, term);

CREATE TABLE search_words (
    word TEXT COLLATE "C" NOT NULL PRIMARY KEY
);
CREATE TABLE search_typos (
    form TEXT COLLATE "C" NOT NULL,
    word TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (form, word)
);

CREATE TABLE search_state (
    id SMALLINT NOT NULL PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL,
    rebuilt_at TIMESTAMPTZ
);
INSERT INTO search_state (id, version) VALUES (1, 0);
