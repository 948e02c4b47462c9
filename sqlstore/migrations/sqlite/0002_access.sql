-- Who may see each dataset. Seeded with mkg.DefaultClassifications; admins
-- change them at run time (audited as dataset.classify).
CREATE TABLE datasets (
    name           TEXT PRIMARY KEY,       -- mkg.Dataset
    classification TEXT NOT NULL,          -- OPEN, REGISTERED or RESTRICTED
    updated_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL           -- the actor's label
);
INSERT INTO datasets (name, classification, updated_at, updated_by)
SELECT v.column1, v.column2, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'), 'migration 0002' FROM (VALUES
    ('STATION_METADATA', 'OPEN'),
    ('EARTHQUAKE', 'OPEN'),
    ('RADAR_IMAGE', 'OPEN'),
    ('AIR_QUALITY_L2', 'OPEN'),
    ('SYNOP_L2', 'REGISTERED'),
    ('CLIMATE_L2', 'REGISTERED'),
    ('SATELLITE', 'REGISTERED'),
    ('SYNOP_L1', 'RESTRICTED'),
    ('CLIMATE_L1', 'RESTRICTED'),
    ('AIR_QUALITY_L1', 'RESTRICTED'),
    ('RADAR_VOLUME', 'RESTRICTED'),
    ('RADAR_NETCDF', 'RESTRICTED'),
    ('LIGHTNING', 'RESTRICTED'),
    ('GROUND_ACCELERATION', 'RESTRICTED')
) AS v;

-- API accounts: partners' and staff members'.
CREATE TABLE accounts (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation         TEXT NOT NULL,
    contact_name         TEXT NOT NULL,
    contact_email        TEXT NOT NULL,
    contact_phone        TEXT NOT NULL DEFAULT '',
    app_name             TEXT NOT NULL DEFAULT '',
    app_description      TEXT NOT NULL DEFAULT '',
    app_platform         TEXT NOT NULL DEFAULT '',
    app_callback_url     TEXT NOT NULL DEFAULT '',
    app_source_addresses TEXT NOT NULL DEFAULT '[]',  -- JSON array of addresses or ranges
    app_calls_per_day    INTEGER,
    status               TEXT NOT NULL,               -- ACTIVE, SUSPENDED or REVOKED
    status_reason        TEXT NOT NULL DEFAULT '',
    valid_until          TEXT,
    roles                TEXT NOT NULL DEFAULT ',',   -- ",OFFICER,ADMIN," so a role matches with LIKE
    search_text          TEXT NOT NULL,               -- lower-cased organisation, contact name and e-mail
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX accounts_organisation ON accounts (organisation, id);

-- Datasets granted to accounts; an expired grant stays until it is renewed
-- or removed, so the account can be told why it is refused.
CREATE TABLE grants (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    dataset    TEXT NOT NULL,
    expires_at TEXT,
    granted_at TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    PRIMARY KEY (account_id, dataset)
);
CREATE INDEX grants_dataset ON grants (dataset, account_id);

-- API keys: only the public prefix and a SHA-256 of the key are kept.
CREATE TABLE api_keys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    prefix        TEXT NOT NULL UNIQUE,
    hash          TEXT NOT NULL,
    label         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    expires_at    TEXT,
    last_used_at  TEXT,
    revoked_at    TEXT,
    revoke_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX api_keys_account ON api_keys (account_id, created_at);

-- Every administrative change, written in the transaction that makes it.
CREATE TABLE audit_events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    at               TEXT NOT NULL,
    actor_account_id INTEGER,                  -- NULL for the command line or the system
    actor_label      TEXT NOT NULL,
    action           TEXT NOT NULL,            -- "account.create", "grant.add", "key.revoke", …
    target_type      TEXT NOT NULL,            -- "account", "apiKey" or "dataset"
    target_id        TEXT NOT NULL,
    details          TEXT NOT NULL DEFAULT '{}' -- JSON: what changed, never a key or its hash
);
CREATE INDEX audit_events_time ON audit_events (at, id);
CREATE INDEX audit_events_target ON audit_events (target_type, target_id, at, id);
CREATE INDEX audit_events_actor ON audit_events (actor_account_id, at, id);

-- A counter every access change (each writes an audit event) increments in
-- its transaction. Every request reads it and compares it with the version
-- its cached keys and classifications were read at, so a change made through
-- any instance is in force on every instance's next request. The row lock
-- makes increments follow commit order.
CREATE TABLE access_version (
    id      INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO access_version (id, version) VALUES (1, 0);
