-- carepost SQLite schema, version 1.
--
-- Conventions (see the crate docs):
--   * identifiers are TEXT holding the lower-case hyphenated UUID; UUIDv7 ids (messages,
--     recipients) therefore sort by time as text;
--   * timestamps are INTEGER milliseconds since the Unix epoch;
--   * enums are their `as_str()` text; priority is its rank (0 = clinical) so it sorts;
--   * booleans are INTEGER 0/1;
--   * Principal, TlsRecord and AttemptOutcome are JSON text (serde_json).
-- Recipient addresses and the envelope sender are stored in clear (the queue routes on
-- them); message bodies are sealed before they reach this database.

CREATE TABLE tenants (
    id      TEXT    NOT NULL PRIMARY KEY,
    name    TEXT    NOT NULL UNIQUE,
    created INTEGER NOT NULL
);

CREATE TABLE users (
    id                   TEXT    NOT NULL PRIMARY KEY,
    tenant               TEXT    NOT NULL REFERENCES tenants (id),
    address              TEXT    NOT NULL UNIQUE,
    role                 TEXT    NOT NULL,
    password_hash        TEXT,
    must_change_password INTEGER NOT NULL CHECK (must_change_password IN (0, 1)),
    disabled             INTEGER NOT NULL CHECK (disabled IN (0, 1)),
    created              INTEGER NOT NULL
);
CREATE INDEX users_by_tenant ON users (tenant, created);

CREATE TABLE app_passwords (
    id      TEXT    NOT NULL PRIMARY KEY,
    user_id TEXT    NOT NULL REFERENCES users (id),
    tenant  TEXT    NOT NULL REFERENCES tenants (id),
    label   TEXT    NOT NULL,
    hash    TEXT    NOT NULL,
    created INTEGER NOT NULL,
    revoked INTEGER NOT NULL CHECK (revoked IN (0, 1))
);
CREATE INDEX app_passwords_by_user ON app_passwords (user_id, created);

CREATE TABLE keys (
    id              TEXT    NOT NULL PRIMARY KEY,
    tenant          TEXT    NOT NULL REFERENCES tenants (id),
    purpose         TEXT    NOT NULL,
    wrapped         BLOB    NOT NULL,
    wrapping_key_id TEXT    NOT NULL,
    active          INTEGER NOT NULL CHECK (active IN (0, 1)),
    created         INTEGER NOT NULL
);
-- At most one active key per tenant and purpose.
CREATE UNIQUE INDEX keys_one_active ON keys (tenant, purpose) WHERE active = 1;

CREATE TABLE messages (
    id            TEXT    NOT NULL PRIMARY KEY,
    tenant        TEXT    NOT NULL REFERENCES tenants (id),
    principal     TEXT    NOT NULL,
    channel       TEXT    NOT NULL,
    client_ip     TEXT    NOT NULL,
    envelope_from TEXT,
    size          INTEGER NOT NULL,
    priority      INTEGER NOT NULL,
    received      INTEGER NOT NULL,
    expires       INTEGER NOT NULL,
    body_sha256   TEXT    NOT NULL
);

-- Kept apart from `messages` so listing and claiming never page in the (large) bodies.
CREATE TABLE message_bodies (
    message TEXT NOT NULL PRIMARY KEY REFERENCES messages (id),
    sealed  BLOB NOT NULL
);

CREATE TABLE recipients (
    id           TEXT    NOT NULL PRIMARY KEY,
    message      TEXT    NOT NULL REFERENCES messages (id),
    tenant       TEXT    NOT NULL,
    address      TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('queued', 'delivering', 'delivered',
                     'deferred', 'bounced', 'awaiting-portal', 'quarantined', 'held')),
    priority     INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt INTEGER NOT NULL,
    last_error   TEXT,
    lease_owner  TEXT,
    lease_until  INTEGER,
    tls          TEXT,
    updated      INTEGER NOT NULL
);
-- The claim query: status, then clinical first, then oldest due.
CREATE INDEX recipients_due ON recipients (status, priority, next_attempt);
CREATE INDEX recipients_by_message ON recipients (message);
CREATE INDEX recipients_by_tenant ON recipients (tenant, id);

CREATE TABLE attempts (
    seq       INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    recipient TEXT    NOT NULL REFERENCES recipients (id),
    at        INTEGER NOT NULL,
    worker    TEXT    NOT NULL,
    outcome   TEXT    NOT NULL
);
CREATE INDEX attempts_by_recipient ON attempts (recipient, seq);
