//! The alert task (`[alerts]` keys): reads the audit store after its cursor (`alerts`),
//! feeds the sign-in events to `alerts::AlertDetector`, and e-mails each alert to the
//! organisation's owners and admins (break-glass use also to its compliance officers, as
//! issue 6 item 8 asks) as a carepost notice: null sender, system principal, not screened,
//! delivered like the other notices over TLS.
//!
//! **Where an alert goes:** the organisation of the events. An alert with no organisation
//! (failed sign-ins for user names that match no account, or one address failing across
//! several organisations) goes to the first organisation's owners and admins: on a
//! single-organisation installation that is the organisation; on a shared one, the first
//! organisation is the operator's. Disabled users never receive alerts.
//!
//! **Delivery is at least once.** On its first start the task begins at the current end of
//! the log (it never alerts on history) and saves that position. It then saves the cursor
//! only after every alert raised by the events read so far has been queued, so a crash in
//! between raises those alerts again after the restart. A failure burst is counted in
//! memory: after a restart, failures from before the cursor are not counted again.
//!
//! **Records nothing secret:** the mail and the logs carry ids, times, the client address,
//! audit sequence numbers and the staff member's address (in the mail only, never in logs).

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use ::alerts::{Alert, AlertDetector, AlertKind, AlertRules};
use audit::EventKind;
use model::{EmailAddress, Role};
use queue::{Intake, IntakeError};
use storage::{AuditFilter, SharedStore, StorageError, User};
use tokio::sync::watch;

use crate::config::Config;

/// The store's cursor name for the alert task.
const CURSOR: &str = "alerts";
/// At most this many events are read per query.
const BATCH: u32 = 500;
/// At most this many addresses on one alert.
const MAX_RECIPIENTS: usize = 100;
/// The only kinds that can raise an alert (the query reads nothing else).
const KINDS: [EventKind; 5] = [
    EventKind::AuthLoginFailed,
    EventKind::AuthLogin,
    EventKind::AuthMfaReset,
    EventKind::AuthBreakGlass,
    EventKind::AuthAccessDecided,
];

/// The detector's rules from `[alerts]`, checked.
pub fn rules(config: &Config) -> anyhow::Result<AlertRules> {
    let a = &config.alerts;
    let rules = AlertRules {
        failure_burst_count: a.failure_burst_count,
        failure_burst_window: Duration::from_secs(a.failure_burst_window_secs),
        ..AlertRules::default()
    };
    rules
        .validate()
        .map_err(|e| anyhow::anyhow!("alerts.{e}"))?;
    if a.poll_interval_secs == 0 {
        anyhow::bail!("alerts.poll_interval_secs must be at least 1");
    }
    Ok(rules)
}

/// Start the alert task unless `alerts.enabled` is false.
pub fn start(
    config: &Config,
    store: SharedStore,
    intake: Arc<Intake>,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    if !config.alerts.enabled {
        tracing::warn!("alerts.enabled is false: security alerts are not e-mailed");
        return Ok(None);
    }
    let task = AlertTask {
        store,
        intake,
        hostname: config.hostname.clone(),
        detector: AlertDetector::new(rules(config)?),
        cursor: None,
        started: false,
        pending: VecDeque::new(),
        unsaved_cursor: None,
    };
    let poll = Duration::from_secs(config.alerts.poll_interval_secs);
    Ok(Some(tokio::spawn(task.run(poll, shutdown))))
}

/// Owners and admins of the organisation who are not disabled (and, for break-glass use,
/// its compliance officers), each address once, at most [`MAX_RECIPIENTS`].
pub fn recipients(users: &[User], kind: AlertKind) -> Vec<EmailAddress> {
    let mut to: Vec<EmailAddress> = users
        .iter()
        .filter(|u| !u.disabled)
        .filter(|u| match u.role {
            Role::Owner | Role::Admin => true,
            Role::Compliance => kind == AlertKind::BreakGlass,
            _ => false,
        })
        .map(|u| u.address.clone())
        .collect();
    to.sort_by_key(|a| a.to_string());
    to.dedup();
    to.truncate(MAX_RECIPIENTS);
    to
}

struct AlertTask {
    store: SharedStore,
    intake: Arc<Intake>,
    hostname: String,
    detector: AlertDetector,
    /// The last seq read (in memory; saved as `unsaved_cursor` once its alerts are queued).
    cursor: Option<u64>,
    started: bool,
    /// Alerts raised but not yet queued (a temporary failure keeps them for the next poll).
    pending: VecDeque<Alert>,
    unsaved_cursor: Option<u64>,
}

impl AlertTask {
    async fn run(mut self, poll: Duration, mut shutdown: watch::Receiver<bool>) {
        tracing::info!("security alerts: watching the audit log");
        loop {
            let more = match self.step().await {
                Ok(more) => more,
                Err(e) => {
                    tracing::warn!(error = %e, "security alerts: will retry");
                    false
                }
            };
            if *shutdown.borrow() {
                break;
            }
            if more {
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                _ = shutdown.changed() => break,
            }
        }
    }

    /// Queue what is pending, read the next batch, queue what it raises. True when a full
    /// batch was read (more may be waiting).
    async fn step(&mut self) -> anyhow::Result<bool> {
        if !self.started {
            self.cursor = self.first_cursor().await?;
            self.started = true;
        }
        self.flush().await?;
        // Read the size first: every event below it is committed, so when the query
        // returns less than a batch, none of the events up to it that it skipped can
        // raise an alert and the cursor may move past them.
        let size = self.store.audit_size().await?;
        let events = self
            .store
            .find_audit(&AuditFilter {
                kinds: KINDS.to_vec(),
                after_seq: self.cursor,
                limit: BATCH,
                ..AuditFilter::default()
            })
            .await?;
        let full = events.len() >= BATCH as usize;
        let mut next = events.last().map(|e| e.seq);
        if !full {
            next = next.max(size.checked_sub(1));
        }
        for event in &events {
            let raised = self.detector.observe(event);
            self.pending.extend(raised);
        }
        if next > self.cursor {
            self.cursor = next;
            self.unsaved_cursor = next;
        }
        self.flush().await?;
        Ok(full)
    }

    /// The saved cursor, or (first start) the current end of the log, saved now.
    async fn first_cursor(&self) -> anyhow::Result<Option<u64>> {
        if let Some(seq) = self.store.audit_cursor(CURSOR).await? {
            return Ok(Some(seq));
        }
        let Some(last) = self.store.audit_size().await?.checked_sub(1) else {
            return Ok(None);
        };
        self.store.set_audit_cursor(CURSOR, last).await?;
        tracing::info!(
            from_seq = last + 1,
            "security alerts: first start, watching new events only"
        );
        Ok(Some(last))
    }

    /// Queue every pending alert, then save the cursor.
    async fn flush(&mut self) -> anyhow::Result<()> {
        while let Some(alert) = self.pending.front() {
            self.send(alert).await?;
            self.pending.pop_front();
        }
        if let Some(seq) = self.unsaved_cursor {
            self.store.set_audit_cursor(CURSOR, seq).await?;
            self.unsaved_cursor = None;
        }
        Ok(())
    }

    /// Queue one alert. Errors only when trying again may help (storage unavailable); an
    /// alert nobody can receive is logged and dropped.
    async fn send(&self, alert: &Alert) -> anyhow::Result<()> {
        let (first_seq, last_seq) = alert.seq_range().unwrap_or_default();
        let kind = alert.kind.as_str();
        let tenants = self.store.tenants().await?;
        let tenant = alert
            .tenant
            .and_then(|t| tenants.iter().find(|x| x.id == t))
            .or(tenants.first());
        let Some(tenant) = tenant else {
            tracing::error!(kind, first_seq, last_seq, "security alert: no organisation");
            return Ok(());
        };
        let to = recipients(&self.store.users(tenant.id).await?, alert.kind);
        if to.is_empty() {
            tracing::error!(
                kind,
                first_seq,
                last_seq,
                tenant = %tenant.id,
                "security alert: the organisation has no owner or admin to tell"
            );
            return Ok(());
        }
        // The user's address, only if they belong to the organisation being told.
        let user_address = match alert.user {
            Some(id) => match self.store.user(id).await {
                Ok(user) if user.tenant == tenant.id => Some(user.address.to_string()),
                Ok(_) | Err(StorageError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
            None => None,
        };
        let (subject, body) = ::alerts::render(alert, &tenant.name, user_address.as_deref());
        let data = message::notice::plain_text(&self.hostname, &to, &subject, &body);
        let count = to.len();
        match relay::notices::submit_notice(&self.intake, tenant.id, to, data).await {
            Ok(message) => {
                tracing::info!(
                    kind,
                    first_seq,
                    last_seq,
                    tenant = %tenant.id,
                    %message,
                    recipients = count,
                    "security alert queued"
                );
                Ok(())
            }
            Err(IntakeError::Temporary(e)) => {
                Err(anyhow::anyhow!("queueing a security alert: {e}"))
            }
            Err(e) => {
                tracing::error!(kind, first_seq, last_seq, error = %e, "security alert refused");
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use model::{TenantId, Timestamp, UserId};

    use super::*;

    fn user(address: &str, role: Role, disabled: bool) -> User {
        User {
            id: UserId::new(),
            tenant: TenantId::new(),
            address: EmailAddress::parse(address).expect("address"),
            role,
            password_hash: None,
            must_change_password: false,
            disabled,
            created: Timestamp::from_millis(0),
        }
    }

    #[test]
    fn alerts_go_to_enabled_owners_and_admins_only() {
        let users = [
            user("owner@clinic.test", Role::Owner, false),
            user("admin@clinic.test", Role::Admin, false),
            user("gone@clinic.test", Role::Admin, true),
            user("officer@clinic.test", Role::Compliance, false),
            user("nurse@clinic.test", Role::Sender, false),
            user("audit@clinic.test", Role::Auditor, false),
            user("ads@clinic.test", Role::Marketer, false),
        ];
        let to: Vec<String> = recipients(&users, AlertKind::FailureBurst)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(to, ["admin@clinic.test", "owner@clinic.test"]);
        let to: Vec<String> = recipients(&users, AlertKind::BreakGlass)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            to,
            [
                "admin@clinic.test",
                "officer@clinic.test",
                "owner@clinic.test"
            ]
        );
        let disabled_only = [user("gone@clinic.test", Role::Owner, true)];
        assert!(recipients(&disabled_only, AlertKind::MfaReset).is_empty());
    }

    #[test]
    fn rules_come_from_the_alerts_section_and_bad_values_are_refused() {
        let mut config = Config::default();
        let r = rules(&config).expect("defaults are valid");
        assert_eq!(r.failure_burst_count, 10);
        assert_eq!(r.failure_burst_window, Duration::from_secs(300));
        config.alerts.failure_burst_count = 0;
        assert!(rules(&config).is_err());
        config.alerts.failure_burst_count = 5;
        config.alerts.poll_interval_secs = 0;
        assert!(rules(&config).is_err());
        config.alerts.poll_interval_secs = 1;
        config.alerts.failure_burst_window_secs = 0;
        assert!(rules(&config).is_err());
    }
}
