-- carepost SQLite schema, version 5: a compact audit_events (every existing row carried over).
--
-- Version 2 stored each event about 800 bytes deep: its canonical line, then kind, tenant,
-- actor, message and recipient again as text columns, in a WITHOUT ROWID table (which SQLite
-- advises against for rows this large), plus three text indexes that `find_audit` never
-- used (its one static statement, every condition disabled by a NULL parameter, always
-- scanned the table). Every byte is written twice (WAL, then checkpoint).
--
-- Now: a rowid table keyed on seq (in-order appends take SQLite's fast path). kind, tenant
-- and actor are read from `line` when a search filters on them (they were never indexed).
-- message and recipient stay as columns, as 16-byte UUID blobs, and `at` as before, for the
-- indexes the search now uses (it builds its statement from the filter's fields); `at` also
-- serves retention. `line` is still the event's canonical JSON, stored as text, exactly what
-- the leaf hash covers. A purged event keeps seq, at and leaf_hash only.
--
-- The migration runs inside one transaction with foreign keys on, so audit_patient_refs,
-- whose rows reference audit_events, is rebuilt around the new table instead of dropping a
-- referenced parent.

CREATE TABLE audit_events_v5 (
    seq       INTEGER NOT NULL PRIMARY KEY,
    at        INTEGER NOT NULL,
    message   BLOB    CHECK (message IS NULL OR length(message) = 16),
    recipient BLOB    CHECK (recipient IS NULL OR length(recipient) = 16),
    leaf_hash BLOB    NOT NULL CHECK (length(leaf_hash) = 32),
    line      TEXT
);
INSERT INTO audit_events_v5 (seq, at, message, recipient, leaf_hash, line)
    SELECT seq, at, unhex(replace(message, '-', '')), unhex(replace(recipient, '-', '')),
           leaf_hash, line
    FROM audit_events ORDER BY seq;

CREATE TABLE audit_patient_refs_v5 (
    patient_ref TEXT    NOT NULL,
    seq         INTEGER NOT NULL REFERENCES audit_events_v5 (seq),
    PRIMARY KEY (patient_ref, seq)
) WITHOUT ROWID;
INSERT INTO audit_patient_refs_v5 (patient_ref, seq)
    SELECT patient_ref, seq FROM audit_patient_refs;

DROP TABLE audit_patient_refs;
DROP TABLE audit_events;
-- Renaming the parent also rewrites the child's REFERENCES clause to the new name.
ALTER TABLE audit_events_v5 RENAME TO audit_events;
ALTER TABLE audit_patient_refs_v5 RENAME TO audit_patient_refs;

CREATE INDEX audit_events_by_at ON audit_events (at);
CREATE INDEX audit_events_by_message ON audit_events (message) WHERE message IS NOT NULL;
CREATE INDEX audit_events_by_recipient ON audit_events (recipient) WHERE recipient IS NOT NULL;
