//! Glue between the audit store and the syslog forwarder (`[audit] syslog_*` keys): the
//! store is the feed, and the forwarder's position is a cursor in the store, so a restart
//! resumes where the SIEM last received events.

use std::sync::Arc;

use async_trait::async_trait;
use audit::AuditEvent;
use siem_syslog::{AuditFeed, FeedError, SyslogConfig};
use storage::{AuditFilter, SharedStore};

use crate::config::Config;

/// The store's cursor name for the syslog forwarder.
const CURSOR: &str = "siem-syslog";

pub struct StoreFeed {
    store: SharedStore,
}

impl StoreFeed {
    pub fn new(store: SharedStore) -> Self {
        Self { store }
    }
}

#[async_trait]
impl AuditFeed for StoreFeed {
    async fn events_after(
        &self,
        after_seq: Option<u64>,
        limit: usize,
    ) -> Result<Vec<AuditEvent>, FeedError> {
        self.store
            .find_audit(&AuditFilter {
                after_seq,
                limit: u32::try_from(limit).unwrap_or(u32::MAX).max(1),
                ..AuditFilter::default()
            })
            .await
            .map_err(|e| FeedError::Unavailable(e.to_string()))
    }

    async fn load_cursor(&self) -> Result<Option<u64>, FeedError> {
        self.store
            .audit_cursor(CURSOR)
            .await
            .map_err(|e| FeedError::Unavailable(e.to_string()))
    }

    async fn save_cursor(&self, seq: u64) -> Result<(), FeedError> {
        self.store
            .set_audit_cursor(CURSOR, seq)
            .await
            .map_err(|e| FeedError::Unavailable(e.to_string()))
    }
}

/// The forwarder's configuration, if `audit.syslog_address` is set.
pub fn syslog_config(config: &Config) -> anyhow::Result<Option<SyslogConfig>> {
    let a = &config.audit;
    if a.syslog_address.is_empty() {
        return Ok(None);
    }
    let read = |path: &str, key: &str| -> anyhow::Result<Option<String>> {
        if path.is_empty() {
            return Ok(None);
        }
        std::fs::read_to_string(path)
            .map(Some)
            .map_err(|e| anyhow::anyhow!("audit.{key} {path}: {e}"))
    };
    let value = serde_json::json!({
        "address": a.syslog_address,
        "server_name": (!a.syslog_server_name.is_empty()).then(|| a.syslog_server_name.clone()),
        "ca_pem": read(&a.syslog_ca_file, "syslog_ca_file")?,
        "client_cert_pem": read(&a.syslog_client_cert_file, "syslog_client_cert_file")?,
        "client_key_pem": read(&a.syslog_client_key_file, "syslog_client_key_file")?,
        "facility": a.syslog_facility,
        "hostname": config.hostname,
        "insecure_plaintext": a.syslog_insecure_plaintext,
    });
    let parsed: SyslogConfig =
        serde_json::from_value(value).map_err(|e| anyhow::anyhow!("audit.syslog_*: {e}"))?;
    Ok(Some(parsed))
}

/// Start the forwarder if configured. Returns its task and the nudge to call after
/// appending events (the forwarder also polls).
pub fn start(
    config: &Config,
    store: SharedStore,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    let Some(cfg) = syslog_config(config)? else {
        return Ok(None);
    };
    let forwarder = siem_syslog::SyslogForwarder::new(cfg)
        .map_err(|e| anyhow::anyhow!("audit.syslog_*: {e}"))?;
    if forwarder.insecure_plaintext() {
        tracing::warn!(
            "audit.syslog_insecure_plaintext is set: audit events go to the SIEM without TLS"
        );
    }
    tracing::info!("streaming audit events to syslog");
    let feed: Arc<dyn AuditFeed> = Arc::new(StoreFeed::new(store));
    Ok(Some(tokio::spawn(forwarder.run(feed, shutdown))))
}
