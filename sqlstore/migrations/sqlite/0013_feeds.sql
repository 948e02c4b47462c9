-- Upstream feeds the server polls: an HTTP(S) URL or a spool folder, each
-- with its interval. Admins change the configuration; the poller alone
-- writes the state columns (validators, last run, counts, failures).
CREATE TABLE feeds (
    name              TEXT PRIMARY KEY,
    kind              TEXT NOT NULL,              -- HTTP or SPOOL
    url               TEXT NOT NULL DEFAULT '',
    path              TEXT NOT NULL DEFAULT '',   -- below the spool root
    format            TEXT NOT NULL DEFAULT '',   -- '' = any recognised format
    interval_ms       INTEGER NOT NULL,
    enabled           BOOLEAN NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    etag              TEXT NOT NULL DEFAULT '',
    last_modified     TEXT NOT NULL DEFAULT '',
    body_hash         TEXT NOT NULL DEFAULT '',
    last_fetch_at     TEXT,
    last_success_at   TEXT,
    last_error_at     TEXT,
    last_error        TEXT NOT NULL DEFAULT '',
    failures          INTEGER NOT NULL DEFAULT 0,
    next_run_at       TEXT,
    last_inserted     INTEGER NOT NULL DEFAULT 0,
    last_updated      INTEGER NOT NULL DEFAULT 0,
    last_unchanged    INTEGER NOT NULL DEFAULT 0,
    last_rejected     INTEGER NOT NULL DEFAULT 0,
    total_inserted    INTEGER NOT NULL DEFAULT 0,
    total_updated     INTEGER NOT NULL DEFAULT 0,
    total_unchanged   INTEGER NOT NULL DEFAULT 0,
    total_rejected    INTEGER NOT NULL DEFAULT 0
);
