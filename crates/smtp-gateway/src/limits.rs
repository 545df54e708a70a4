//! Connection caps, message rate limits (GCRA via governor) and AUTH failure throttling.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::GatewayConfig;

/// Counts open connections, in total and per client address.
#[derive(Debug)]
pub(crate) struct ConnectionTracker {
    max_total: usize,
    max_per_ip: usize,
    state: Mutex<(usize, HashMap<IpAddr, usize>)>,
}

/// Holds one connection slot; frees it on drop.
#[derive(Debug)]
pub(crate) struct ConnectionSlot {
    tracker: Arc<ConnectionTracker>,
    ip: IpAddr,
}

impl ConnectionTracker {
    pub(crate) fn new(max_total: usize, max_per_ip: usize) -> Arc<Self> {
        Arc::new(Self {
            max_total,
            max_per_ip,
            state: Mutex::new((0, HashMap::new())),
        })
    }

    /// A slot, or `None` if either cap is reached.
    pub(crate) fn try_acquire(self: &Arc<Self>, ip: IpAddr) -> Option<ConnectionSlot> {
        // A poisoned lock only means another task panicked mid-update of two counters;
        // the counts stay usable, so carry on rather than refuse all service.
        let mut guard = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let (total, per_ip) = &mut *guard;
        let mine = per_ip.get(&ip).copied().unwrap_or(0);
        if *total >= self.max_total || mine >= self.max_per_ip {
            return None;
        }
        *total += 1;
        per_ip.insert(ip, mine + 1);
        Some(ConnectionSlot {
            tracker: Arc::clone(self),
            ip,
        })
    }

    /// Open connections (for tests and metrics).
    pub(crate) fn open(&self) -> usize {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).0
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut guard = self
            .tracker
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (total, per_ip) = &mut *guard;
        *total = total.saturating_sub(1);
        if let Some(n) = per_ip.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                per_ip.remove(&self.ip);
            }
        }
    }
}

/// Message and AUTH rate limits shared by all sessions.
pub(crate) struct RateLimits {
    per_ip: Option<DefaultKeyedRateLimiter<IpAddr>>,
    per_user: Option<DefaultKeyedRateLimiter<String>>,
    /// One limiter per trusted network entry (same index as the config list); `None` for a
    /// limit of 0, which refuses every message.
    per_device: Vec<Option<DefaultDirectRateLimiter>>,
    auth_failures: Option<DefaultKeyedRateLimiter<IpAddr>>,
    /// Addresses whose AUTH is refused until the instant.
    auth_blocked: Mutex<HashMap<IpAddr, Instant>>,
}

/// A keyed per-minute limiter, or `None` (no limit) for 0.
fn keyed<K: Clone + Eq + std::hash::Hash>(per_minute: u32) -> Option<DefaultKeyedRateLimiter<K>> {
    NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n)))
}

/// How long AUTH stays refused after the failure limit is hit.
const AUTH_BLOCK: Duration = Duration::from_secs(60);

impl RateLimits {
    pub(crate) fn new(config: &GatewayConfig) -> Self {
        Self {
            per_ip: keyed(config.messages_per_minute_per_ip),
            per_user: keyed(config.messages_per_minute_per_user),
            per_device: config
                .trusted_networks
                .iter()
                .map(|t| {
                    NonZeroU32::new(t.max_messages_per_minute)
                        .map(|n| RateLimiter::direct(Quota::per_minute(n)))
                })
                .collect(),
            auth_failures: keyed(config.auth_failures_per_minute_per_ip),
            auth_blocked: Mutex::new(HashMap::new()),
        }
    }

    /// Take one message from the client address's budget. A configured 0 means "no limit"
    /// for the per-IP and per-user limits.
    pub(crate) fn allow_ip(&self, ip: IpAddr) -> bool {
        self.per_ip
            .as_ref()
            .is_none_or(|l| l.check_key(&ip).is_ok())
    }

    /// Take one message from a user's budget.
    pub(crate) fn allow_user(&self, key: &str) -> bool {
        // XXX: check_key wants an owned key; one small String per message is acceptable.
        self.per_user
            .as_ref()
            .is_none_or(|l| l.check_key(&key.to_string()).is_ok())
    }

    /// Take one message from a trusted network entry's budget.
    pub(crate) fn allow_device(&self, index: usize) -> bool {
        matches!(self.per_device.get(index), Some(Some(l)) if l.check().is_ok())
    }

    /// True if AUTH from this address is refused for now.
    pub(crate) fn auth_blocked(&self, ip: IpAddr) -> bool {
        let blocked = self
            .auth_blocked
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        blocked
            .get(&ip)
            .is_some_and(|until| Instant::now() < *until)
    }

    /// Record a failed AUTH; past the limit, the address is blocked for a minute.
    pub(crate) fn auth_failed(&self, ip: IpAddr) -> bool {
        let over = self
            .auth_failures
            .as_ref()
            .is_some_and(|l| l.check_key(&ip).is_err());
        if over {
            let mut blocked = self
                .auth_blocked
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            blocked.insert(ip, Instant::now() + AUTH_BLOCK);
        }
        over
    }

    /// Forget stale state (called once a minute by the accept loop).
    pub(crate) fn housekeeping(&self) {
        for l in [&self.per_ip, &self.auth_failures].into_iter().flatten() {
            l.retain_recent();
            l.shrink_to_fit();
        }
        if let Some(l) = &self.per_user {
            l.retain_recent();
            l.shrink_to_fit();
        }
        let now = Instant::now();
        let mut blocked = self
            .auth_blocked
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        blocked.retain(|_, until| *until > now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_caps_hold_and_slots_free_on_drop() {
        let t = ConnectionTracker::new(3, 2);
        let a: IpAddr = "192.0.2.1".parse().expect("ip");
        let b: IpAddr = "192.0.2.2".parse().expect("ip");
        let s1 = t.try_acquire(a).expect("first");
        let _s2 = t.try_acquire(a).expect("second");
        assert!(t.try_acquire(a).is_none(), "per-IP cap");
        let _s3 = t.try_acquire(b).expect("other ip");
        assert!(t.try_acquire(b).is_none(), "total cap");
        drop(s1);
        assert!(t.try_acquire(a).is_some());
        assert_eq!(
            t.open(),
            2,
            "the slot acquired in the assert above was dropped again"
        );
    }

    #[test]
    fn message_rate_is_limited_per_ip_and_zero_means_unlimited() {
        let config = GatewayConfig {
            messages_per_minute_per_ip: 2,
            ..Default::default()
        };
        let limits = RateLimits::new(&config);
        let ip: IpAddr = "192.0.2.1".parse().expect("ip");
        assert!(limits.allow_ip(ip) && limits.allow_ip(ip));
        assert!(!limits.allow_ip(ip));
        let other: IpAddr = "192.0.2.9".parse().expect("ip");
        assert!(limits.allow_ip(other));
        let unlimited = RateLimits::new(&GatewayConfig {
            messages_per_minute_per_user: 0,
            ..Default::default()
        });
        assert!((0..10_000).all(|_| unlimited.allow_user("u")));
    }

    #[test]
    fn auth_failures_past_the_limit_block_the_address() {
        let config = GatewayConfig {
            auth_failures_per_minute_per_ip: 2,
            ..Default::default()
        };
        let limits = RateLimits::new(&config);
        let ip: IpAddr = "192.0.2.1".parse().expect("ip");
        assert!(!limits.auth_failed(ip) && !limits.auth_failed(ip));
        assert!(!limits.auth_blocked(ip));
        assert!(limits.auth_failed(ip));
        assert!(limits.auth_blocked(ip));
        assert!(!limits.auth_blocked("192.0.2.2".parse().expect("ip")));
    }
}
