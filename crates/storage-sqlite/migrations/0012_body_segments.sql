-- carepost SQLite schema, version 12: where a large sealed body lives when it is kept in a
-- segment file beside the database (see src/segments.rs) instead of in message_bodies.
-- A message's body is in exactly one of the two tables.
CREATE TABLE message_body_segments (
    message TEXT PRIMARY KEY REFERENCES messages(id),
    segment TEXT NOT NULL,
    offset  INTEGER NOT NULL,
    len     INTEGER NOT NULL
) WITHOUT ROWID;
