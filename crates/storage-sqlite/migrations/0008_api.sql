-- carepost SQLite schema, version 8: the REST API (storage::ApiStore).
--
-- An API key's secret is kept only as its SHA-256 (256 random bits: a slow hash is not
-- needed). An idempotency key is committed in the same transaction as the message it
-- produced, so a retried request can never commit a second message.

CREATE TABLE api_keys (
    id            TEXT    NOT NULL PRIMARY KEY,
    tenant        TEXT    NOT NULL REFERENCES tenants (id),
    name          TEXT    NOT NULL,
    scopes        TEXT    NOT NULL,
    -- Addresses and @domains the key may send as.
    senders       TEXT    NOT NULL,
    secret_sha256 TEXT    NOT NULL,
    created_by    TEXT    REFERENCES users (id),
    created       INTEGER NOT NULL,
    expires       INTEGER NOT NULL,
    revoked       INTEGER,
    UNIQUE (tenant, name)
);
CREATE INDEX api_keys_by_tenant ON api_keys (tenant, created);

CREATE TABLE submission_keys (
    credential     TEXT    NOT NULL,
    key            TEXT    NOT NULL,
    tenant         TEXT    NOT NULL REFERENCES tenants (id),
    request_sha256 TEXT    NOT NULL,
    message        TEXT    NOT NULL REFERENCES messages (id),
    created        INTEGER NOT NULL,
    PRIMARY KEY (credential, key)
) WITHOUT ROWID;
