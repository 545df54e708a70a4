-- carepost PostgreSQL schema, version 11: groups of users and the organisations' stored
-- conditional-access policies (storage::GroupStore, storage::AccessPolicyStore; same shape
-- as SQLite's).
--
-- A group belongs to one organisation; its name is unique there. A membership row joins a
-- group and a person; the store only writes rows where both are the same organisation's
-- (checked in the statement, see `groups.rs`). Creating a group and storing an access
-- policy lock the organisation's row (FOR NO KEY UPDATE) so the group limit and the
-- version numbers hold across nodes. Access policies are versioned like `policies`.

CREATE TABLE groups (
    id      UUID   NOT NULL,
    tenant  UUID   NOT NULL,
    name    TEXT   NOT NULL,
    created BIGINT NOT NULL,
    CONSTRAINT "groups.id" PRIMARY KEY (id),
    CONSTRAINT "groups.name" UNIQUE (tenant, name),
    CONSTRAINT "groups.tenant" FOREIGN KEY (tenant) REFERENCES tenants (id)
);

CREATE TABLE group_members (
    group_id UUID NOT NULL,
    user_id  UUID NOT NULL,
    CONSTRAINT "group_members.pk" PRIMARY KEY (group_id, user_id),
    CONSTRAINT "group_members.group_fk" FOREIGN KEY (group_id) REFERENCES groups (id),
    CONSTRAINT "group_members.user_fk" FOREIGN KEY (user_id) REFERENCES users (id)
);

-- groups_of_user: a person's groups at every console request and every submission.
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE access_policies (
    tenant   UUID   NOT NULL,
    version  BIGINT NOT NULL CHECK (version >= 1),
    document TEXT   NOT NULL,
    author   TEXT   NOT NULL,
    created  BIGINT NOT NULL,
    CONSTRAINT "access_policies.version" PRIMARY KEY (tenant, version),
    CONSTRAINT "access_policies.tenant" FOREIGN KEY (tenant) REFERENCES tenants (id)
);
