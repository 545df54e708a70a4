-- carepost PostgreSQL schema, version 1.
--
-- Conventions (see the crate docs):
--   * identifiers are native UUID; UUIDv7 ids (messages, recipients) sort by time;
--   * timestamps are BIGINT milliseconds since the Unix epoch (same as SQLite, so both
--     backends compare and order time identically and no time zone is involved);
--   * enums are their `as_str()` text; priority is its rank (0 = clinical) so it sorts;
--   * Principal, TlsRecord and AttemptOutcome are JSON text (serde_json);
--   * uniqueness constraints are named `table.column`, which is exactly what
--     StorageError::Conflict reports (e.g. "users.address").
-- Recipient addresses and the envelope sender are stored in clear (the queue routes on
-- them); message bodies are sealed before they reach this database.

CREATE TABLE tenants (
    id      UUID   NOT NULL,
    name    TEXT   NOT NULL,
    created BIGINT NOT NULL,
    CONSTRAINT "tenants.id" PRIMARY KEY (id),
    CONSTRAINT "tenants.name" UNIQUE (name)
);

CREATE TABLE users (
    id                   UUID    NOT NULL,
    tenant               UUID    NOT NULL,
    address              TEXT    NOT NULL,
    role                 TEXT    NOT NULL,
    password_hash        TEXT,
    must_change_password BOOLEAN NOT NULL,
    disabled             BOOLEAN NOT NULL,
    created              BIGINT  NOT NULL,
    CONSTRAINT "users.id" PRIMARY KEY (id),
    CONSTRAINT "users.address" UNIQUE (address),
    CONSTRAINT "users.tenant" FOREIGN KEY (tenant) REFERENCES tenants (id)
);
CREATE INDEX users_by_tenant ON users (tenant, created);

CREATE TABLE app_passwords (
    id      UUID    NOT NULL,
    user_id UUID    NOT NULL,
    tenant  UUID    NOT NULL,
    label   TEXT    NOT NULL,
    hash    TEXT    NOT NULL,
    created BIGINT  NOT NULL,
    revoked BOOLEAN NOT NULL,
    CONSTRAINT "app_passwords.id" PRIMARY KEY (id),
    CONSTRAINT "app_passwords.user_id" FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT "app_passwords.tenant" FOREIGN KEY (tenant) REFERENCES tenants (id)
);
CREATE INDEX app_passwords_by_user ON app_passwords (user_id, created);

CREATE TABLE keys (
    id              TEXT    NOT NULL,
    tenant          UUID    NOT NULL,
    purpose         TEXT    NOT NULL,
    wrapped         BYTEA   NOT NULL,
    wrapping_key_id TEXT    NOT NULL,
    active          BOOLEAN NOT NULL,
    created         BIGINT  NOT NULL,
    CONSTRAINT "keys.id" PRIMARY KEY (id),
    CONSTRAINT "keys.tenant" FOREIGN KEY (tenant) REFERENCES tenants (id)
);
-- At most one active key per tenant and purpose.
CREATE UNIQUE INDEX "keys.active" ON keys (tenant, purpose) WHERE active;

CREATE TABLE messages (
    id            UUID   NOT NULL,
    tenant        UUID   NOT NULL,
    principal     TEXT   NOT NULL,
    channel       TEXT   NOT NULL,
    client_ip     TEXT   NOT NULL,
    envelope_from TEXT,
    size          BIGINT NOT NULL,
    priority      SMALLINT NOT NULL,
    received      BIGINT NOT NULL,
    expires       BIGINT NOT NULL,
    body_sha256   TEXT   NOT NULL,
    CONSTRAINT "messages.id" PRIMARY KEY (id),
    CONSTRAINT "messages.tenant" FOREIGN KEY (tenant) REFERENCES tenants (id)
);

-- Kept apart from `messages` so listing and claiming never read the (large) bodies.
CREATE TABLE message_bodies (
    message UUID  NOT NULL,
    sealed  BYTEA NOT NULL,
    CONSTRAINT "message_bodies.message" PRIMARY KEY (message),
    CONSTRAINT "message_bodies.message_fk" FOREIGN KEY (message) REFERENCES messages (id)
);

CREATE TABLE recipients (
    id           UUID     NOT NULL,
    message      UUID     NOT NULL,
    tenant       UUID     NOT NULL,
    address      TEXT     NOT NULL,
    status       TEXT     NOT NULL,
    priority     SMALLINT NOT NULL,
    attempts     INTEGER  NOT NULL DEFAULT 0,
    next_attempt BIGINT   NOT NULL,
    last_error   TEXT,
    lease_owner  TEXT,
    lease_until  BIGINT,
    tls          TEXT,
    updated      BIGINT   NOT NULL,
    CONSTRAINT "recipients.id" PRIMARY KEY (id),
    CONSTRAINT "recipients.message" FOREIGN KEY (message) REFERENCES messages (id),
    CONSTRAINT "recipients.status" CHECK (status IN ('queued', 'delivering', 'delivered',
        'deferred', 'bounced', 'awaiting-portal', 'quarantined', 'held'))
);
-- The claim query: status, then clinical first, then oldest due.
CREATE INDEX recipients_due ON recipients (status, priority, next_attempt);
CREATE INDEX recipients_by_message ON recipients (message);
CREATE INDEX recipients_by_tenant ON recipients (tenant, id);

CREATE TABLE attempts (
    seq       BIGINT GENERATED ALWAYS AS IDENTITY,
    recipient UUID   NOT NULL,
    at        BIGINT NOT NULL,
    worker    TEXT   NOT NULL,
    outcome   TEXT   NOT NULL,
    CONSTRAINT "attempts.seq" PRIMARY KEY (seq),
    CONSTRAINT "attempts.recipient" FOREIGN KEY (recipient) REFERENCES recipients (id)
);
CREATE INDEX attempts_by_recipient ON attempts (recipient, seq);
