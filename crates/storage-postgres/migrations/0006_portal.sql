-- carepost PostgreSQL schema, version 6: the secure portal (storage::PortalStore; same
-- shape as SQLite's).
--
-- Link tokens, codes and session ids are secrets: only their hashes are stored, so a copy
-- of this database opens nothing. Copy and reply content arrive sealed. The recipient's
-- address is kept in clear: it decides who may read a copy. Milestone columns (notified ...
-- expiry_recorded) hold the first time each step happened, NULL until then; every
-- occurrence is in the audit trail.

CREATE TABLE portal_copies (
    id              UUID    NOT NULL,
    tenant          UUID    NOT NULL,
    message         UUID    NOT NULL,
    recipient       UUID    NOT NULL,
    address         TEXT    NOT NULL,
    sender          TEXT,
    token_hash      TEXT    NOT NULL,
    created         BIGINT  NOT NULL,
    expires         BIGINT  NOT NULL,
    read_notice     BOOLEAN NOT NULL,
    notified        BIGINT,
    verified        BIGINT,
    opened          BIGINT,
    downloaded      BIGINT,
    replied         BIGINT,
    revoked         BIGINT,
    expiry_recorded BIGINT,
    -- Keyed hash of a passcode the sender chose (NULL: none).
    passcode_hash   TEXT,
    CONSTRAINT "portal_copies.id" PRIMARY KEY (id),
    -- At most one portal copy per queue recipient copy.
    CONSTRAINT "portal_copies.recipient" UNIQUE (recipient),
    CONSTRAINT "portal_copies.token_hash" UNIQUE (token_hash),
    CONSTRAINT "portal_copies.tenant_fk" FOREIGN KEY (tenant) REFERENCES tenants (id),
    CONSTRAINT "portal_copies.message_fk" FOREIGN KEY (message) REFERENCES messages (id),
    CONSTRAINT "portal_copies.recipient_fk" FOREIGN KEY (recipient) REFERENCES recipients (id)
);
-- Listing newest first, overall and per tenant, message or recipient address.
CREATE INDEX portal_copies_by_created ON portal_copies (created, id);
CREATE INDEX portal_copies_by_tenant ON portal_copies (tenant, created, id);
CREATE INDEX portal_copies_by_address ON portal_copies (tenant, address, created, id);
CREATE INDEX portal_copies_by_message ON portal_copies (message);
-- The notifier's and the expiry sweeper's work lists stay small however many copies exist.
CREATE INDEX portal_copies_unnotified ON portal_copies (created, id)
    WHERE notified IS NULL AND revoked IS NULL;
CREATE INDEX portal_copies_expiring ON portal_copies (expires, id)
    WHERE expiry_recorded IS NULL;

-- Kept apart from `portal_copies` (as message bodies are from `messages`) so listing and
-- the work lists never read the sealed content.
CREATE TABLE portal_contents (
    copy   UUID  NOT NULL,
    sealed BYTEA NOT NULL,
    CONSTRAINT "portal_contents.copy" PRIMARY KEY (copy),
    CONSTRAINT "portal_contents.copy_fk" FOREIGN KEY (copy) REFERENCES portal_copies (id)
);

CREATE TABLE portal_codes (
    id        UUID    NOT NULL,
    copy      UUID    NOT NULL,
    code_hash TEXT    NOT NULL,
    created   BIGINT  NOT NULL,
    expires   BIGINT  NOT NULL,
    attempts  INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    used      BIGINT,
    CONSTRAINT "portal_codes.id" PRIMARY KEY (id),
    CONSTRAINT "portal_codes.copy" FOREIGN KEY (copy) REFERENCES portal_copies (id)
);
CREATE INDEX portal_codes_by_copy ON portal_codes (copy, created);

CREATE TABLE portal_sessions (
    id_hash    TEXT   NOT NULL,
    tenant     UUID   NOT NULL,
    address    TEXT   NOT NULL,
    method     TEXT   NOT NULL,
    csrf_token TEXT   NOT NULL,
    created    BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL,
    expires    BIGINT NOT NULL,
    ceremony   TEXT,
    CONSTRAINT "portal_sessions.id_hash" PRIMARY KEY (id_hash),
    CONSTRAINT "portal_sessions.tenant" FOREIGN KEY (tenant) REFERENCES tenants (id)
);
-- The purge: absolute end or idle limit.
CREATE INDEX portal_sessions_by_expires ON portal_sessions (expires);
CREATE INDEX portal_sessions_by_last_seen ON portal_sessions (last_seen);

CREATE TABLE portal_passkeys (
    credential_id TEXT   NOT NULL,
    tenant        UUID   NOT NULL,
    address       TEXT   NOT NULL,
    passkey       TEXT   NOT NULL,
    created       BIGINT NOT NULL,
    last_used     BIGINT,
    CONSTRAINT "portal_passkeys.credential_id" PRIMARY KEY (credential_id),
    CONSTRAINT "portal_passkeys.tenant" FOREIGN KEY (tenant) REFERENCES tenants (id)
);
CREATE INDEX portal_passkeys_by_address ON portal_passkeys (tenant, address, created);

-- `message` is the queued message that carries the reply to the sender. It is not a
-- foreign key: the portal may keep the reply before the queue has accepted that message.
CREATE TABLE portal_replies (
    id      UUID   NOT NULL,
    copy    UUID   NOT NULL,
    message UUID   NOT NULL,
    created BIGINT NOT NULL,
    sealed  BYTEA  NOT NULL,
    CONSTRAINT "portal_replies.id" PRIMARY KEY (id),
    CONSTRAINT "portal_replies.copy" FOREIGN KEY (copy) REFERENCES portal_copies (id)
);
CREATE INDEX portal_replies_by_copy ON portal_replies (copy, created);
