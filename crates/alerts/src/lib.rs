//! Security alerts from the audit trail (issue 6, item 11): a sign-in from a new country,
//! a burst of failed sign-ins (per user and per source address), a reset of a user's
//! second factors, break-glass access, and a conditional-access decision that asked for an
//! alert (impossible travel, for example).
//!
//! **What it does:** [`AlertDetector`] is fed audit events in sequence order
//! ([`AlertDetector::observe`]) and returns the [`Alert`]s they raise; [`render`] turns an
//! alert into the subject and plain-text body of the e-mail sent to the organisation's
//! administrators. **What it does not do:** any I/O. It does not read the store, pick
//! recipients or send mail; the binary's `alerts` task does (crates/carepost/src/alerts.rs).
//!
//! **Security:** runs inside `carepost serve`, with no access to anything but the events it
//! is given. It trusts the audit events (they come from our own store). Memory is bounded:
//! at most [`AlertRules::max_tracked_keys`] users and addresses are tracked (the least
//! recently seen is forgotten first), each with at most
//! [`AlertRules::failure_burst_count`] failures.
//!
//! **PHI:** none passes through. Audit events carry ids, addresses of clients, categories
//! and tokens only; the rendered text adds the staff member's address, the organisation's
//! name, times, audit sequence numbers and fixed advice. Never a password, never message
//! content.
//!
//! **Bursts:** failures are counted per user and per source address within a sliding
//! window. The failure that brings a key to the threshold raises one alert; further
//! failures raise nothing until the key has been quiet (no failure) for a whole window,
//! which re-arms it. When the same failure completes a user's burst and an address's
//! burst, one alert names both. A burst that goes on for ever at a steady rate is therefore
//! alerted once; that is deliberate (an inbox flooded with one alert per failure hides
//! the next, different alert).
//!
//! **Errors:** [`RulesError`] names the rule whose value is out of range.

mod detect;
mod render;

use std::net::IpAddr;
use std::time::Duration;

use model::{TenantId, Timestamp, UserId};

pub use detect::AlertDetector;
pub use render::render;

/// The largest burst threshold accepted (each tracked key keeps this many failures).
pub const MAX_BURST_COUNT: u32 = 1000;
/// The longest burst window accepted.
pub const MAX_BURST_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// What raises an alert, and how much the detector may remember.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertRules {
    /// This many failed sign-ins for one user, or from one address, within
    /// [`AlertRules::failure_burst_window`] raise an alert. Default 10.
    pub failure_burst_count: u32,
    /// The sliding window for bursts; also how long a key must stay quiet before it can
    /// alert again. Default 5 minutes.
    pub failure_burst_window: Duration,
    /// At most this many users and addresses are tracked; the least recently seen is
    /// forgotten first. Default 10 000.
    pub max_tracked_keys: usize,
}

impl Default for AlertRules {
    fn default() -> Self {
        Self {
            failure_burst_count: 10,
            failure_burst_window: Duration::from_secs(300),
            max_tracked_keys: 10_000,
        }
    }
}

impl AlertRules {
    /// Check every value is in range.
    pub fn validate(&self) -> Result<(), RulesError> {
        if !(1..=MAX_BURST_COUNT).contains(&self.failure_burst_count) {
            return Err(RulesError::BurstCount);
        }
        if self.failure_burst_window < Duration::from_secs(1)
            || self.failure_burst_window > MAX_BURST_WINDOW
        {
            return Err(RulesError::BurstWindow);
        }
        if self.max_tracked_keys == 0 {
            return Err(RulesError::TrackedKeys);
        }
        Ok(())
    }
}

/// A rule value out of range.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    /// `failure_burst_count` is 0 or above [`MAX_BURST_COUNT`].
    #[error("failure_burst_count must be between 1 and {MAX_BURST_COUNT}")]
    BurstCount,
    /// `failure_burst_window` is under a second or over [`MAX_BURST_WINDOW`].
    #[error("failure_burst_window must be between 1 second and 24 hours")]
    BurstWindow,
    /// `max_tracked_keys` is 0.
    #[error("max_tracked_keys must be at least 1")]
    TrackedKeys,
}

/// What an alert is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AlertKind {
    /// A user signed in from a country not seen for them before (`auth.login` with
    /// `new_country = true`).
    NewCountrySignIn,
    /// Many failed sign-ins for one user or from one address (`auth.login_failed`).
    FailureBurst,
    /// A user's second factors were reset (`auth.mfa_reset`).
    MfaReset,
    /// Break-glass access was used (`auth.break_glass`).
    BreakGlass,
    /// A conditional-access decision asked for an alert (`auth.access_decided` with
    /// `alert = true`), e.g. impossible travel.
    ConditionalAccess,
}

impl AlertKind {
    /// A stable token for logs.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::NewCountrySignIn => "new_country_sign_in",
            AlertKind::FailureBurst => "failure_burst",
            AlertKind::MfaReset => "mfa_reset",
            AlertKind::BreakGlass => "break_glass",
            AlertKind::ConditionalAccess => "conditional_access",
        }
    }

    /// The audit event kind the alert comes from (for `carepost audit search --kind`).
    pub fn event_kind(self) -> audit::EventKind {
        match self {
            AlertKind::NewCountrySignIn => audit::EventKind::AuthLogin,
            AlertKind::FailureBurst => audit::EventKind::AuthLoginFailed,
            AlertKind::MfaReset => audit::EventKind::AuthMfaReset,
            AlertKind::BreakGlass => audit::EventKind::AuthBreakGlass,
            AlertKind::ConditionalAccess => audit::EventKind::AuthAccessDecided,
        }
    }
}

/// One alert: what happened, to whom, from where, and which audit events show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alert {
    /// What it is about.
    pub kind: AlertKind,
    /// The organisation concerned; `None` when no account matched (failures for unknown
    /// user names) or a burst from one address spanned several organisations.
    pub tenant: Option<TenantId>,
    /// When the event that raised it happened.
    pub at: Timestamp,
    /// When the first event it counts happened (`at` for single events).
    pub first_at: Timestamp,
    /// The user concerned (who signed in, whose factors were reset, whose sign-ins failed).
    pub user: Option<UserId>,
    /// The user who acted, when that is someone else (the administrator who reset the
    /// factors).
    pub actor: Option<UserId>,
    /// The client address of the event that raised it.
    pub source_ip: Option<IpAddr>,
    /// Other client addresses among the counted events (bursts only).
    pub other_ips: usize,
    /// Distinct known users among the counted events (bursts only; 1 otherwise).
    pub users: usize,
    /// ISO 3166 country code, when the event carries one.
    pub country: Option<String>,
    /// A few of the event's own tokens (method, reason, factor, rules), `key=value`.
    pub facts: Vec<String>,
    /// The audit sequence numbers of the events it counts, ascending.
    pub seqs: Vec<u64>,
    /// How many events it counts.
    pub count: u32,
    /// The burst window (zero for single events).
    pub window: Duration,
}

impl Alert {
    /// The first and last sequence numbers it counts.
    pub fn seq_range(&self) -> Option<(u64, u64)> {
        Some((*self.seqs.first()?, *self.seqs.last()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_out_of_range_values_are_refused() {
        assert_eq!(AlertRules::default().validate(), Ok(()));
        let bad = [
            AlertRules {
                failure_burst_count: 0,
                ..AlertRules::default()
            },
            AlertRules {
                failure_burst_count: MAX_BURST_COUNT + 1,
                ..AlertRules::default()
            },
            AlertRules {
                failure_burst_window: Duration::from_millis(999),
                ..AlertRules::default()
            },
            AlertRules {
                failure_burst_window: MAX_BURST_WINDOW + Duration::from_secs(1),
                ..AlertRules::default()
            },
            AlertRules {
                max_tracked_keys: 0,
                ..AlertRules::default()
            },
        ];
        for rules in bad {
            assert!(rules.validate().is_err(), "{rules:?}");
        }
    }
}
