-- Partners' webhooks: a subscription document and its callback URL, with
-- the HMAC secret sealed by the server (see the README, "Webhooks").
CREATE TABLE webhooks (
    id             BIGSERIAL PRIMARY KEY,
    account_id     BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    document       TEXT NOT NULL,
    callback_url   TEXT NOT NULL,
    secret         TEXT NOT NULL,
    paused         BOOLEAN NOT NULL DEFAULT FALSE,
    paused_reason  TEXT NOT NULL DEFAULT '',
    failures       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhooks_account ON webhooks (account_id, id);

-- The delivery outbox: one row per event and webhook (event_key keeps an
-- event heard by several instances to one row), claimed with a lease
-- (next_attempt_at moved forward) like the notifications.
CREATE TABLE webhook_deliveries (
    id              BIGSERIAL PRIMARY KEY,
    webhook_id      BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event_key       TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    delivered_at    TIMESTAMPTZ,
    last_status     INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    UNIQUE (webhook_id, event_key)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL;
CREATE INDEX webhook_deliveries_history ON webhook_deliveries (webhook_id, id);
