-- carepost SQLite schema, version 6: the secure portal (storage::PortalStore).
--
-- Link tokens, codes and session ids are secrets: only their hashes are stored, so a copy
-- of this file opens nothing. Copy and reply content arrive sealed. The recipient's address
-- is kept in clear: it decides who may read a copy. Milestone columns (notified ...
-- expiry_recorded) hold the first time each step happened, NULL until then; every
-- occurrence is in the audit trail.

CREATE TABLE portal_copies (
    id              TEXT    NOT NULL PRIMARY KEY,
    tenant          TEXT    NOT NULL REFERENCES tenants (id),
    message         TEXT    NOT NULL REFERENCES messages (id),
    -- At most one portal copy per queue recipient copy.
    recipient       TEXT    NOT NULL UNIQUE REFERENCES recipients (id),
    address         TEXT    NOT NULL,
    sender          TEXT,
    token_hash      TEXT    NOT NULL UNIQUE,
    created         INTEGER NOT NULL,
    expires         INTEGER NOT NULL,
    read_notice     INTEGER NOT NULL CHECK (read_notice IN (0, 1)),
    notified        INTEGER,
    verified        INTEGER,
    opened          INTEGER,
    downloaded      INTEGER,
    replied         INTEGER,
    revoked         INTEGER,
    expiry_recorded INTEGER,
    -- Keyed hash of a passcode the sender chose (NULL: none).
    passcode_hash   TEXT
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
-- the work lists never page in the sealed content.
CREATE TABLE portal_contents (
    copy   TEXT NOT NULL PRIMARY KEY REFERENCES portal_copies (id),
    sealed BLOB NOT NULL
);

CREATE TABLE portal_codes (
    id        TEXT    NOT NULL PRIMARY KEY,
    copy      TEXT    NOT NULL REFERENCES portal_copies (id),
    code_hash TEXT    NOT NULL,
    created   INTEGER NOT NULL,
    expires   INTEGER NOT NULL,
    attempts  INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    used      INTEGER
);
CREATE INDEX portal_codes_by_copy ON portal_codes (copy, created);

CREATE TABLE portal_sessions (
    id_hash    TEXT    NOT NULL PRIMARY KEY,
    tenant     TEXT    NOT NULL REFERENCES tenants (id),
    address    TEXT    NOT NULL,
    method     TEXT    NOT NULL,
    csrf_token TEXT    NOT NULL,
    created    INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    expires    INTEGER NOT NULL,
    ceremony   TEXT
) WITHOUT ROWID;
-- The purge: absolute end or idle limit.
CREATE INDEX portal_sessions_by_expires ON portal_sessions (expires);
CREATE INDEX portal_sessions_by_last_seen ON portal_sessions (last_seen);

CREATE TABLE portal_passkeys (
    credential_id TEXT    NOT NULL PRIMARY KEY,
    tenant        TEXT    NOT NULL REFERENCES tenants (id),
    address       TEXT    NOT NULL,
    passkey       TEXT    NOT NULL,
    created       INTEGER NOT NULL,
    last_used     INTEGER
);
CREATE INDEX portal_passkeys_by_address ON portal_passkeys (tenant, address, created);

-- `message` is the queued message that carries the reply to the sender. It is not a
-- foreign key: the portal may keep the reply before the queue has accepted that message.
CREATE TABLE portal_replies (
    id      TEXT    NOT NULL PRIMARY KEY,
    copy    TEXT    NOT NULL REFERENCES portal_copies (id),
    message TEXT    NOT NULL,
    created INTEGER NOT NULL,
    sealed  BLOB    NOT NULL
);
CREATE INDEX portal_replies_by_copy ON portal_replies (copy, created);
