-- carepost PostgreSQL schema, version 2: the audit trail (same shape as SQLite's).
--
-- Numbers come from the one-row audit_state counter, updated inside the transaction that
-- appends: the row lock is held until COMMIT, so concurrent writers on any number of nodes
-- take numbers in commit order and a reader never sees seq N+1 committed before N.

CREATE TABLE audit_state (
    one      BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    next_seq BIGINT  NOT NULL
);
INSERT INTO audit_state (one, next_seq) VALUES (TRUE, 0);

CREATE TABLE audit_events (
    seq       BIGINT NOT NULL PRIMARY KEY,
    at        BIGINT NOT NULL,
    kind      TEXT   NOT NULL,
    tenant    UUID,
    actor     TEXT   NOT NULL,
    message   UUID,
    recipient UUID,
    leaf_hash BYTEA  NOT NULL CHECK (length(leaf_hash) = 32),
    line      TEXT
);
CREATE INDEX audit_events_by_at ON audit_events (at);
CREATE INDEX audit_events_by_message ON audit_events (message) WHERE message IS NOT NULL;
CREATE INDEX audit_events_by_recipient ON audit_events (recipient) WHERE recipient IS NOT NULL;

CREATE TABLE audit_patient_refs (
    patient_ref TEXT   NOT NULL,
    seq         BIGINT NOT NULL REFERENCES audit_events (seq),
    PRIMARY KEY (patient_ref, seq)
);

CREATE TABLE audit_heads (
    tree_size    BIGINT NOT NULL,
    timestamp    BIGINT NOT NULL,
    head         TEXT   NOT NULL,
    cosignatures TEXT   NOT NULL,
    PRIMARY KEY (tree_size, timestamp)
);

CREATE TABLE audit_cursors (
    consumer TEXT   NOT NULL PRIMARY KEY,
    seq      BIGINT NOT NULL
);
