-- carepost SQLite schema, version 2: the audit trail.
--
-- audit_events holds every event ever appended, numbered from 0 without gaps (seq is the
-- Merkle leaf index). `line` is the event's canonical JSON (what the leaf hash covers); it
-- becomes NULL when retention purges the event, while seq and leaf_hash stay so that the
-- tree, and every later proof, can still be computed. The indexed columns repeat fields of
-- `line` for filtering; they hold ids and kinds only, never PHI.

CREATE TABLE audit_events (
    seq       INTEGER NOT NULL PRIMARY KEY,
    at        INTEGER NOT NULL,
    kind      TEXT    NOT NULL,
    tenant    TEXT,
    actor     TEXT    NOT NULL,
    message   TEXT,
    recipient TEXT,
    leaf_hash BLOB    NOT NULL CHECK (length(leaf_hash) = 32),
    line      TEXT
) WITHOUT ROWID;
CREATE INDEX audit_events_by_at ON audit_events (at);
CREATE INDEX audit_events_by_message ON audit_events (message) WHERE message IS NOT NULL;
CREATE INDEX audit_events_by_recipient ON audit_events (recipient) WHERE recipient IS NOT NULL;

-- Keyed hashes of the patients an event concerns (the accounting of disclosures).
CREATE TABLE audit_patient_refs (
    patient_ref TEXT    NOT NULL,
    seq         INTEGER NOT NULL REFERENCES audit_events (seq),
    PRIMARY KEY (patient_ref, seq)
) WITHOUT ROWID;

-- Signed tree heads, with the witnesses' cosignatures (JSON array).
CREATE TABLE audit_heads (
    tree_size    INTEGER NOT NULL,
    timestamp    INTEGER NOT NULL,
    head         TEXT    NOT NULL,
    cosignatures TEXT    NOT NULL,
    PRIMARY KEY (tree_size, timestamp)
) WITHOUT ROWID;

-- Positions of the consumers that stream events elsewhere (a SIEM).
CREATE TABLE audit_cursors (
    consumer TEXT    NOT NULL PRIMARY KEY,
    seq      INTEGER NOT NULL
) WITHOUT ROWID;
