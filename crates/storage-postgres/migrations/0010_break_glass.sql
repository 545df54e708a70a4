-- carepost PostgreSQL schema, version 10: break-glass access codes (storage::AccountStore;
-- same shape as SQLite's).
--
-- One single-use emergency code per person, kept only as an argon2id hash; the reason
-- given when it was used is sealed (it is free text a person typed).

CREATE TABLE break_glass (
    user_id       UUID    NOT NULL,
    hash          TEXT    NOT NULL,
    created       BIGINT  NOT NULL,
    used          BIGINT,
    sealed_reason BYTEA,
    CONSTRAINT "break_glass.user_id" PRIMARY KEY (user_id),
    CONSTRAINT "break_glass.user_fk" FOREIGN KEY (user_id) REFERENCES users (id)
);
