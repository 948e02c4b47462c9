-- API-access request tickets (SOP/009/KPJ/IV/2024): submitted by the
-- applicant or recorded by the service desk, reviewed, fulfilled by an
-- officer, closed. Every action is one transaction: the ticket's new state
-- (guarded by version), its event, its steps and its notification.
CREATE TABLE tickets (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    number           TEXT NOT NULL UNIQUE,        -- API-2026-000123
    state            TEXT NOT NULL,               -- mkg.TicketState
    channel          TEXT NOT NULL,               -- mkg.Channel
    basis            TEXT NOT NULL,               -- JSON mkg.Basis
    applicant        TEXT NOT NULL,               -- JSON mkg.Applicant
    applicant_email  TEXT NOT NULL,               -- where notifications go
    form             TEXT NOT NULL,               -- JSON mkg.ServiceForm
    assigned_to      INTEGER REFERENCES accounts (id),  -- the officer; NULL = any officer
    escalated_to     TEXT NOT NULL DEFAULT '',    -- APPLICANT or INTERNAL while escalated
    account_id       INTEGER REFERENCES accounts (id),  -- created on fulfilment
    version          INTEGER NOT NULL,            -- +1 with every action: the optimistic lock
    form_started_at  TEXT,
    submitted_at     TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    closed_at        TEXT,                        -- when the ticket became final
    steps            TEXT NOT NULL DEFAULT '[]',  -- JSON []mkg.ServiceStep
    -- The breach filter: breached holds for steps whose breach can no
    -- longer change (finished, paused, or already late at the last action);
    -- breach_due_at is the earliest due time of a running step that was not
    -- late yet, compared with the time of the query.
    breached         INTEGER NOT NULL DEFAULT 0,
    breach_due_at    TEXT,
    -- The tracking token: only its prefix and hash.
    token_prefix     TEXT NOT NULL UNIQUE,
    token_hash       TEXT NOT NULL,
    -- Key delivery: an X25519 key pair per ticket; the private key sealed
    -- with the tracking token, the API key encrypted to the public key on
    -- fulfilment and deleted when collected.
    key_public       BLOB NOT NULL,
    key_private      BLOB NOT NULL,
    sealed_key       BLOB,
    key_collected_at TEXT
);
CREATE INDEX tickets_submitted ON tickets (submitted_at, id);
CREATE INDEX tickets_state ON tickets (state, submitted_at, id);
CREATE INDEX tickets_assigned ON tickets (assigned_to, submitted_at, id);
CREATE INDEX tickets_breach_due ON tickets (breach_due_at) WHERE breach_due_at IS NOT NULL;

-- Ticket numbers count from 1 within each year.
CREATE TABLE ticket_counters (
    year INTEGER PRIMARY KEY,
    last BIGINT NOT NULL
);

-- Request letters, every version: a ticket's letter is its latest.
CREATE TABLE ticket_letters (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,                -- judged by the bytes
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    uploaded_at  TEXT NOT NULL
);
CREATE INDEX ticket_letters_ticket ON ticket_letters (ticket_id, id);

-- What was done to each ticket, by whom; never changed.
CREATE TABLE ticket_events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id        INTEGER NOT NULL REFERENCES tickets (id),
    at               TEXT NOT NULL,
    actor_label      TEXT NOT NULL,
    actor_account_id INTEGER,                  -- NULL for the applicant
    actor_role       TEXT NOT NULL,            -- mkg.TicketActor
    action           TEXT NOT NULL,
    from_state       TEXT NOT NULL,            -- '' for the submission
    to_state         TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    checklist        TEXT NOT NULL DEFAULT '[]',  -- JSON []mkg.ChecklistItem
    details          TEXT NOT NULL DEFAULT '{}'   -- JSON; never a key or a token
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
BEGIN
    SELECT RAISE(ABORT, 'ticket events are immutable');
END;
CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
BEGIN
    SELECT RAISE(ABORT, 'ticket events are immutable');
END;

-- Submissions by idempotency key: a retry with the same key and request
-- gets the same ticket and token. key_hash is a SHA-256 of the caller and
-- the key (the key itself opens sealed_token, so it is not stored).
CREATE TABLE ticket_idempotency (
    key_hash     TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,               -- SHA-256 of the input and the letter's SHA-256
    ticket_id    INTEGER NOT NULL REFERENCES tickets (id),
    sealed_token BLOB NOT NULL,               -- the tracking token, sealed with the key
    created_at   TEXT NOT NULL
);

-- Form sessions: when a self-service applicant started the form.
CREATE TABLE form_sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_prefix TEXT NOT NULL UNIQUE,
    token_hash   TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    used_at      TEXT                         -- the submission that consumed it
);
CREATE INDEX form_sessions_started ON form_sessions (started_at);

-- The outbox: messages to applicants, written in the action's transaction
-- and delivered (at least once) by a worker.
CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id       INTEGER NOT NULL REFERENCES tickets (id),
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT,
    last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notifications_pending ON notifications (created_at, id) WHERE sent_at IS NULL;
CREATE INDEX notifications_ticket ON notifications (ticket_id, id);
