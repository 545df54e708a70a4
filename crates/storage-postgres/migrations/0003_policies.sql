-- carepost PostgreSQL schema, version 3: the organisations' policy documents (same shape as
-- SQLite's).
--
-- One row per stored version; rows are never updated or deleted. `put_policy` locks the
-- tenant's row (FOR NO KEY UPDATE, which does not block inserts that merely reference the
-- tenant) and then inserts MAX(version) + 1 in the same transaction, so concurrent puts on
-- any number of nodes take consecutive versions; the primary key guards against a
-- duplicate regardless.

CREATE TABLE policies (
    tenant   UUID   NOT NULL,
    version  BIGINT NOT NULL CHECK (version >= 1),
    document TEXT   NOT NULL,
    author   TEXT   NOT NULL,
    created  BIGINT NOT NULL,
    CONSTRAINT "policies.version" PRIMARY KEY (tenant, version),
    CONSTRAINT "policies.tenant" FOREIGN KEY (tenant) REFERENCES tenants (id)
);
