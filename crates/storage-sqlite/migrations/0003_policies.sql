-- carepost SQLite schema, version 3: the organisations' policy documents.
--
-- One row per stored version; rows are never updated or deleted. The writer assigns
-- `version` (the tenant's highest + 1, from 1) inside its transaction, so versions have no
-- gaps; the primary key makes a duplicate impossible even if two processes share the file.
-- `document` is the TOML as the administrator wrote it; `author` an actor key
-- (`system:cli`, `user:ID`).

CREATE TABLE policies (
    tenant   TEXT    NOT NULL REFERENCES tenants (id),
    version  INTEGER NOT NULL CHECK (version >= 1),
    document TEXT    NOT NULL,
    author   TEXT    NOT NULL,
    created  INTEGER NOT NULL,
    PRIMARY KEY (tenant, version)
) WITHOUT ROWID;
