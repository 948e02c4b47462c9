-- GraphQL documents registered by administrators for the first-party apps,
-- which send them by id ("sha256:" and the hex SHA-256 of the text). The
-- server keeps them all in memory (at most 1,000 of at most 32 KiB).
CREATE TABLE trusted_documents (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    query         TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    registered_by TEXT NOT NULL
);
