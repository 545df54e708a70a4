//! storage-postgres
