//! smtp-gateway
