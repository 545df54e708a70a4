-- carepost SQLite schema, version 11: groups of users and the organisations' stored
-- conditional-access policies (storage::GroupStore, storage::AccessPolicyStore).
--
-- A group belongs to one organisation; its name is unique there. A membership row joins a
-- group and a person; the store only writes rows where both are the same organisation's
-- (checked in the statement, see `groups.rs`). Access policies are versioned like
-- `policies` (version 3): rows are never updated or deleted; the highest is in force.

CREATE TABLE groups (
    id      TEXT    NOT NULL PRIMARY KEY,
    tenant  TEXT    NOT NULL REFERENCES tenants (id),
    name    TEXT    NOT NULL,
    created INTEGER NOT NULL,
    UNIQUE (tenant, name)
) WITHOUT ROWID;

CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups (id),
    user_id  TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;

-- groups_of_user: a person's groups at every console request and every submission.
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE access_policies (
    tenant   TEXT    NOT NULL REFERENCES tenants (id),
    version  INTEGER NOT NULL CHECK (version >= 1),
    document TEXT    NOT NULL,
    author   TEXT    NOT NULL,
    created  INTEGER NOT NULL,
    PRIMARY KEY (tenant, version)
) WITHOUT ROWID;
