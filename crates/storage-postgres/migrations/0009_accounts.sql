-- carepost PostgreSQL schema, version 9: console sign-in state (storage::AccountStore;
-- same shape as SQLite's).
--
-- Session ids are kept only as SHA-256 hashes, recovery codes as argon2id hashes, TOTP
-- secrets sealed: a copy of this database opens no session and yields no second factor.

CREATE TABLE user_sessions (
    id_hash      TEXT    NOT NULL,
    tenant       UUID    NOT NULL,
    user_id      UUID    NOT NULL,
    method       TEXT    NOT NULL,
    csrf_token   TEXT    NOT NULL,
    created      BIGINT  NOT NULL,
    last_seen    BIGINT  NOT NULL,
    expires      BIGINT  NOT NULL,
    stepped_up   BIGINT,
    ip           TEXT    NOT NULL,
    device       TEXT    NOT NULL,
    device_label TEXT    NOT NULL,
    ended        BIGINT,
    ceremony     TEXT,
    CONSTRAINT "user_sessions.id_hash" PRIMARY KEY (id_hash),
    CONSTRAINT "user_sessions.tenant" FOREIGN KEY (tenant) REFERENCES tenants (id),
    CONSTRAINT "user_sessions.user_id" FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE INDEX user_sessions_by_user ON user_sessions (user_id, ended, created);

CREATE TABLE sign_in_failures (
    user_id     UUID    NOT NULL,
    consecutive INTEGER NOT NULL,
    last_failed BIGINT  NOT NULL,
    CONSTRAINT "sign_in_failures.user_id" PRIMARY KEY (user_id),
    CONSTRAINT "sign_in_failures.user_fk" FOREIGN KEY (user_id) REFERENCES users (id)
);

CREATE TABLE user_totp (
    user_id       UUID    NOT NULL,
    sealed_secret BYTEA   NOT NULL,
    last_step     BIGINT,
    created       BIGINT  NOT NULL,
    confirmed     BIGINT,
    CONSTRAINT "user_totp.user_id" PRIMARY KEY (user_id),
    CONSTRAINT "user_totp.user_fk" FOREIGN KEY (user_id) REFERENCES users (id)
);

CREATE TABLE recovery_codes (
    user_id UUID    NOT NULL,
    idx     INTEGER NOT NULL,
    hash    TEXT    NOT NULL,
    created BIGINT  NOT NULL,
    used    BIGINT,
    CONSTRAINT "recovery_codes.key" PRIMARY KEY (user_id, idx),
    CONSTRAINT "recovery_codes.user_fk" FOREIGN KEY (user_id) REFERENCES users (id)
);

CREATE TABLE user_passkeys (
    credential_id TEXT    NOT NULL,
    tenant        UUID    NOT NULL,
    user_id       UUID    NOT NULL,
    name          TEXT    NOT NULL,
    passkey       TEXT    NOT NULL,
    created       BIGINT  NOT NULL,
    last_used     BIGINT,
    CONSTRAINT "user_passkeys.credential_id" PRIMARY KEY (credential_id),
    CONSTRAINT "user_passkeys.tenant" FOREIGN KEY (tenant) REFERENCES tenants (id),
    CONSTRAINT "user_passkeys.user_id" FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE INDEX user_passkeys_by_user ON user_passkeys (user_id, created);
