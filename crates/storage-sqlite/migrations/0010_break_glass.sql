-- carepost SQLite schema, version 10: break-glass access codes (storage::AccountStore).
--
-- One single-use emergency code per person, kept only as an argon2id hash; the reason
-- given when it was used is sealed (it is free text a person typed).

CREATE TABLE break_glass (
    user_id       TEXT    NOT NULL PRIMARY KEY REFERENCES users (id),
    hash          TEXT    NOT NULL,
    created       INTEGER NOT NULL,
    used          INTEGER,
    sealed_reason BLOB
) WITHOUT ROWID;
