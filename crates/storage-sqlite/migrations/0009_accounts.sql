-- carepost SQLite schema, version 9: console sign-in state (storage::AccountStore).
--
-- Session ids are kept only as SHA-256 hashes, recovery codes as argon2id hashes, TOTP
-- secrets sealed: a copy of this file opens no session and yields no second factor.

CREATE TABLE user_sessions (
    id_hash      TEXT    NOT NULL PRIMARY KEY,
    tenant       TEXT    NOT NULL REFERENCES tenants (id),
    user_id      TEXT    NOT NULL REFERENCES users (id),
    method       TEXT    NOT NULL,
    csrf_token   TEXT    NOT NULL,
    created      INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    expires      INTEGER NOT NULL,
    stepped_up   INTEGER,
    ip           TEXT    NOT NULL,
    device       TEXT    NOT NULL,
    device_label TEXT    NOT NULL,
    ended        INTEGER,
    ceremony     TEXT
);
CREATE INDEX user_sessions_by_user ON user_sessions (user_id, ended, created);

CREATE TABLE sign_in_failures (
    user_id     TEXT    NOT NULL PRIMARY KEY REFERENCES users (id),
    consecutive INTEGER NOT NULL,
    last_failed INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE user_totp (
    user_id       TEXT    NOT NULL PRIMARY KEY REFERENCES users (id),
    sealed_secret BLOB    NOT NULL,
    last_step     INTEGER,
    created       INTEGER NOT NULL,
    confirmed     INTEGER
) WITHOUT ROWID;

CREATE TABLE recovery_codes (
    user_id TEXT    NOT NULL REFERENCES users (id),
    idx     INTEGER NOT NULL,
    hash    TEXT    NOT NULL,
    created INTEGER NOT NULL,
    used    INTEGER,
    PRIMARY KEY (user_id, idx)
) WITHOUT ROWID;

CREATE TABLE user_passkeys (
    credential_id TEXT    NOT NULL PRIMARY KEY,
    tenant        TEXT    NOT NULL REFERENCES tenants (id),
    user_id       TEXT    NOT NULL REFERENCES users (id),
    name          TEXT    NOT NULL,
    passkey       TEXT    NOT NULL,
    created       INTEGER NOT NULL,
    last_used     INTEGER
);
CREATE INDEX user_passkeys_by_user ON user_passkeys (user_id, created);
