-- Version 4: how policy lets each recipient copy travel (model::DeliveryRoute text form).
-- Copies queued before policy existed travel as they always did: verified TLS, otherwise
-- the portal.
ALTER TABLE recipients ADD COLUMN route TEXT NOT NULL DEFAULT 'verified-tls-or-portal';
