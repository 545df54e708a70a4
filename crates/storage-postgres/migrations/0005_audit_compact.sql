-- carepost PostgreSQL schema, version 5: a more compact audit_events (every row kept).
--
-- kind, tenant and actor repeated fields of the canonical `line` and were never indexed; a
-- search that filters on them now reads them from `line` (see `find_audit`). message,
-- recipient and `at` stay as columns for their indexes. Dropping a column only marks it
-- dropped, so this is instant on a large log: existing rows keep their bytes until they are
-- rewritten (VACUUM FULL), new rows are smaller.

ALTER TABLE audit_events DROP COLUMN kind, DROP COLUMN tenant, DROP COLUMN actor;
