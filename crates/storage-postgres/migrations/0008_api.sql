-- carepost PostgreSQL schema, version 8: the REST API (storage::ApiStore; same shape as
-- SQLite's).
--
-- An API key's secret is kept only as its SHA-256 (256 random bits: a slow hash is not
-- needed). An idempotency key is committed in the same transaction as the message it
-- produced, so a retried request can never commit a second message.

CREATE TABLE api_keys (
    id            UUID    NOT NULL,
    tenant        UUID    NOT NULL,
    name          TEXT    NOT NULL,
    scopes        TEXT    NOT NULL,
    -- Addresses and @domains the key may send as.
    senders       TEXT    NOT NULL,
    secret_sha256 TEXT    NOT NULL,
    created_by    UUID,
    created       BIGINT  NOT NULL,
    expires       BIGINT  NOT NULL,
    revoked       BIGINT,
    CONSTRAINT "api_keys.id" PRIMARY KEY (id),
    CONSTRAINT "api_keys.name" UNIQUE (tenant, name),
    CONSTRAINT "api_keys.tenant" FOREIGN KEY (tenant) REFERENCES tenants (id),
    CONSTRAINT "api_keys.created_by" FOREIGN KEY (created_by) REFERENCES users (id)
);
CREATE INDEX api_keys_by_tenant ON api_keys (tenant, created);

CREATE TABLE submission_keys (
    credential     UUID    NOT NULL,
    key            TEXT    NOT NULL,
    tenant         UUID    NOT NULL,
    request_sha256 TEXT    NOT NULL,
    message        UUID    NOT NULL,
    created        BIGINT  NOT NULL,
    CONSTRAINT "submission_keys.key" PRIMARY KEY (credential, key),
    CONSTRAINT "submission_keys.tenant" FOREIGN KEY (tenant) REFERENCES tenants (id),
    CONSTRAINT "submission_keys.message" FOREIGN KEY (message) REFERENCES messages (id)
);
