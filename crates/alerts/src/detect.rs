//! The stateful detector: audit events in, alerts out.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::net::IpAddr;
use std::time::Duration;

use audit::{Actor, AuditEvent, EventKind};
use model::{TenantId, Timestamp, UserId};
use serde_json::Value;

use crate::{Alert, AlertKind, AlertRules};

/// Detail keys whose (token) values are copied into [`Alert::facts`].
const FACT_KEYS: &[&str] = &["method", "factor", "reason", "reasons", "rules", "outcome"];
/// At most this many values per fact (a detail array may hold up to 32).
const MAX_FACT_VALUES: usize = 8;

/// Watches the audit events, in sequence order, for what must be alerted.
///
/// Single events (a new-country sign-in, an MFA reset, break-glass use, a
/// conditional-access alert) raise an alert each. Failed sign-ins are counted per user and
/// per source address; see the crate docs for bursts. An event whose sequence number is
/// not above the last one observed is ignored, so handing the same events over twice
/// (after a failed send, say) raises nothing twice.
#[derive(Debug)]
pub struct AlertDetector {
    rules: AlertRules,
    last_seq: Option<u64>,
    keys: HashMap<BurstKey, KeyState>,
    /// Keys by the tick they were last touched: the first entry is the one to forget.
    recency: BTreeMap<u64, BurstKey>,
    tick: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum BurstKey {
    User(UserId),
    Ip(IpAddr),
}

#[derive(Debug)]
struct KeyState {
    /// The failures inside the window, oldest first, at most `failure_burst_count`.
    failures: VecDeque<Failure>,
    /// May raise an alert (false from an alert until a quiet window has passed).
    armed: bool,
    last_at: Timestamp,
    tick: u64,
}

#[derive(Clone, Copy, Debug)]
struct Failure {
    seq: u64,
    at: Timestamp,
    tenant: Option<TenantId>,
    user: Option<UserId>,
    ip: Option<IpAddr>,
}

impl AlertDetector {
    /// A detector that has seen nothing. Rules out of range are clamped into range (the
    /// caller should have checked them with [`AlertRules::validate`]).
    pub fn new(rules: AlertRules) -> Self {
        let rules = AlertRules {
            failure_burst_count: rules.failure_burst_count.clamp(1, crate::MAX_BURST_COUNT),
            failure_burst_window: rules
                .failure_burst_window
                .clamp(Duration::from_secs(1), crate::MAX_BURST_WINDOW),
            max_tracked_keys: rules.max_tracked_keys.max(1),
        };
        Self {
            rules,
            last_seq: None,
            keys: HashMap::new(),
            recency: BTreeMap::new(),
            tick: 0,
        }
    }

    /// The rules in force.
    pub fn rules(&self) -> &AlertRules {
        &self.rules
    }

    /// How many users and addresses are being tracked (at most `max_tracked_keys`).
    pub fn tracked_keys(&self) -> usize {
        self.keys.len()
    }

    /// The last sequence number observed.
    pub fn last_seq(&self) -> Option<u64> {
        self.last_seq
    }

    /// Look at the next event and return the alerts it raises (usually none, at most one).
    pub fn observe(&mut self, event: &AuditEvent) -> Vec<Alert> {
        if self.last_seq.is_some_and(|last| event.seq <= last) {
            return Vec::new();
        }
        self.last_seq = Some(event.seq);
        let flag = |key: &str| event.details.get(key).and_then(|v| v.as_bool()) == Some(true);
        let kind = match event.kind {
            EventKind::AuthLoginFailed => return self.failure(event).into_iter().collect(),
            EventKind::AuthLogin if flag("new_country") => AlertKind::NewCountrySignIn,
            EventKind::AuthMfaReset => AlertKind::MfaReset,
            EventKind::AuthBreakGlass => AlertKind::BreakGlass,
            EventKind::AuthAccessDecided if flag("alert") => AlertKind::ConditionalAccess,
            _ => return Vec::new(),
        };
        vec![single(kind, event)]
    }

    fn failure(&mut self, event: &AuditEvent) -> Option<Alert> {
        let failure = Failure {
            seq: event.seq,
            at: event.at,
            tenant: event.tenant,
            user: concerned_user(event),
            ip: event.source_ip,
        };
        let by_user = failure
            .user
            .and_then(|u| self.count(BurstKey::User(u), failure));
        let by_ip = failure
            .ip
            .and_then(|ip| self.count(BurstKey::Ip(ip), failure));
        if by_user.is_none() && by_ip.is_none() {
            return None;
        }
        // One alert per failure: when it completes both bursts, it names both.
        let counted: Vec<Failure> = by_user
            .iter()
            .chain(by_ip.iter())
            .flatten()
            .copied()
            .collect();
        let seqs: BTreeSet<u64> = counted.iter().map(|f| f.seq).collect();
        let users: BTreeSet<UserId> = counted.iter().filter_map(|f| f.user).collect();
        let ips: BTreeSet<IpAddr> = counted.iter().filter_map(|f| f.ip).collect();
        let tenants: BTreeSet<Option<TenantId>> = counted.iter().map(|f| f.tenant).collect();
        let (user, tenant) = if by_user.is_some() {
            (failure.user, failure.tenant)
        } else {
            // An address's burst: name the user and organisation only if all agree.
            let user = if users.len() == 1 { failure.user } else { None };
            let tenant = if tenants.len() == 1 {
                failure.tenant
            } else {
                None
            };
            (user, tenant)
        };
        let count = [by_user.as_ref(), by_ip.as_ref()]
            .into_iter()
            .flatten()
            .map(Vec::len)
            .max()
            .unwrap_or(0);
        Some(Alert {
            kind: AlertKind::FailureBurst,
            tenant,
            at: failure.at,
            first_at: counted.iter().map(|f| f.at).min().unwrap_or(failure.at),
            user,
            actor: None,
            source_ip: failure.ip,
            other_ips: ips.len().saturating_sub(usize::from(failure.ip.is_some())),
            users: users.len(),
            country: country(event),
            facts: facts(event),
            seqs: seqs.into_iter().collect(),
            count: u32::try_from(count).unwrap_or(u32::MAX),
            window: self.rules.failure_burst_window,
        })
    }

    /// Count a failure under `key`; the failures of the burst when this one completes it.
    fn count(&mut self, key: BurstKey, failure: Failure) -> Option<Vec<Failure>> {
        let window = self.rules.failure_burst_window;
        let limit = self.rules.failure_burst_count as usize;
        let tick = self.touch(key);
        let state = self.keys.entry(key).or_insert_with(|| KeyState {
            failures: VecDeque::new(),
            armed: true,
            last_at: failure.at,
            tick,
        });
        state.tick = tick;
        // A key that alerted may alert again once it has been quiet for a whole window.
        if !state.armed && failure.at.since(state.last_at) >= window {
            state.armed = true;
        }
        state.last_at = state.last_at.max(failure.at);
        state.failures.push_back(failure);
        while state
            .failures
            .front()
            .is_some_and(|f| failure.at.since(f.at) >= window)
            || state.failures.len() > limit
        {
            state.failures.pop_front();
        }
        if state.armed && state.failures.len() >= limit {
            state.armed = false;
            return Some(state.failures.iter().copied().collect());
        }
        None
    }

    /// Mark `key` as the most recently seen, forgetting the least recently seen key when a
    /// new one would exceed the bound. Returns the key's new tick.
    fn touch(&mut self, key: BurstKey) -> u64 {
        self.tick += 1;
        match self.keys.get(&key) {
            Some(state) => {
                self.recency.remove(&state.tick);
            }
            None => {
                while self.keys.len() >= self.rules.max_tracked_keys {
                    let Some((_, oldest)) = self.recency.pop_first() else {
                        break;
                    };
                    self.keys.remove(&oldest);
                }
            }
        }
        self.recency.insert(self.tick, key);
        self.tick
    }
}

fn single(kind: AlertKind, event: &AuditEvent) -> Alert {
    let user = concerned_user(event);
    let actor = match &event.actor {
        Actor::User { id } if Some(*id) != user => Some(*id),
        _ => None,
    };
    Alert {
        kind,
        tenant: event.tenant,
        at: event.at,
        first_at: event.at,
        user,
        actor,
        source_ip: event.source_ip,
        other_ips: 0,
        users: usize::from(user.is_some()),
        country: country(event),
        facts: facts(event),
        seqs: vec![event.seq],
        count: 1,
        window: Duration::ZERO,
    }
}

/// The user an event is about: its subject user (whose factors were reset), else the user
/// who acted (who signed in, whose sign-in failed).
fn concerned_user(event: &AuditEvent) -> Option<UserId> {
    event.subject.user.or(match &event.actor {
        Actor::User { id } => Some(*id),
        _ => None,
    })
}

/// The event's `country` detail, if it looks like an ISO 3166 alpha-2 code.
fn country(event: &AuditEvent) -> Option<String> {
    let code = event.details.get("country")?.as_str()?;
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| code.to_ascii_uppercase())
}

/// `key=value` for the detail keys worth showing (values are audit tokens: no spaces, no
/// `@`, so no names or addresses).
fn facts(event: &AuditEvent) -> Vec<String> {
    let mut out = Vec::new();
    for key in FACT_KEYS {
        let Some(value) = event.details.get(*key) else {
            continue;
        };
        let text = if let Some(items) = value.as_array() {
            let items: Vec<String> = items
                .iter()
                .take(MAX_FACT_VALUES)
                .filter_map(scalar_text)
                .collect();
            if items.is_empty() {
                continue;
            }
            items.join(",")
        } else if let Some(text) = scalar_text(value) {
            text
        } else {
            continue;
        };
        out.push(format!("{key}={text}"));
    }
    out
}

/// The text of a detail value that is a token, integer or boolean.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => audit::is_token(s).then(|| s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use audit::Subject;

    use super::*;

    const T0: i64 = 1_800_000_000_000;

    fn ip(last: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(192, 0, 2, last))
    }

    fn rules(count: u32, window_secs: u64) -> AlertRules {
        AlertRules {
            failure_burst_count: count,
            failure_burst_window: Duration::from_secs(window_secs),
            ..AlertRules::default()
        }
    }

    /// A failed SMTP AUTH as crates/relay/src/service.rs records it.
    fn failed(seq: u64, secs: i64, user: Option<(UserId, TenantId)>, from: IpAddr) -> AuditEvent {
        let actor = match user {
            Some((id, _)) => Actor::User { id },
            None => Actor::System {
                component: "smtp-auth".into(),
            },
        };
        let mut e = AuditEvent::new(
            seq,
            Timestamp::from_millis(T0 + secs * 1000),
            actor,
            EventKind::AuthLoginFailed,
        )
        .with_source_ip(from)
        .with_detail("method", "smtp-app-password")
        .with_detail("reason", "bad_password");
        if let Some((_, tenant)) = user {
            e = e.with_tenant(tenant);
        }
        e
    }

    fn feed(d: &mut AlertDetector, events: impl IntoIterator<Item = AuditEvent>) -> Vec<Alert> {
        events.into_iter().flat_map(|e| d.observe(&e)).collect()
    }

    #[test]
    fn ten_failures_for_one_user_raise_exactly_one_alert_naming_user_and_address() {
        let (user, tenant) = (UserId::new(), TenantId::new());
        let mut d = AlertDetector::new(AlertRules::default());
        let alerts = feed(
            &mut d,
            (0..25).map(|i| failed(100 + i, i as i64, Some((user, tenant)), ip(7))),
        );
        assert_eq!(alerts.len(), 1, "{alerts:#?}");
        let a = &alerts[0];
        assert_eq!(a.kind, AlertKind::FailureBurst);
        assert_eq!(a.user, Some(user));
        assert_eq!(a.tenant, Some(tenant));
        assert_eq!(a.source_ip, Some(ip(7)));
        assert_eq!(a.count, 10);
        assert_eq!(a.seqs, (100..110).collect::<Vec<_>>());
        assert_eq!(a.seq_range(), Some((100, 109)));
        assert_eq!(a.first_at, Timestamp::from_millis(T0));
        assert_eq!(a.at, Timestamp::from_millis(T0 + 9_000));
        assert_eq!(a.other_ips, 0);
        assert!(a.facts.contains(&"reason=bad_password".to_string()));
    }

    #[test]
    fn nine_failures_below_the_threshold_raise_nothing() {
        let (user, tenant) = (UserId::new(), TenantId::new());
        let mut d = AlertDetector::new(AlertRules::default());
        let alerts = feed(
            &mut d,
            (0..9).map(|i| failed(i, i as i64, Some((user, tenant)), ip(7))),
        );
        assert!(alerts.is_empty(), "{alerts:#?}");
    }

    #[test]
    fn failures_spread_wider_than_the_window_raise_nothing() {
        let (user, tenant) = (UserId::new(), TenantId::new());
        let mut d = AlertDetector::new(rules(3, 60));
        // Three failures, but never three within 60 s.
        let alerts = feed(
            &mut d,
            [0, 40, 70, 110, 140, 180]
                .into_iter()
                .enumerate()
                .map(|(i, s)| failed(i as u64, s, Some((user, tenant)), ip(1))),
        );
        assert!(alerts.is_empty(), "{alerts:#?}");
    }

    #[test]
    fn a_key_re_arms_only_after_a_quiet_window() {
        let (user, tenant) = (UserId::new(), TenantId::new());
        let mut d = AlertDetector::new(rules(3, 60));
        let mut seq = 0;
        let mut at = |secs: i64| {
            seq += 1;
            failed(seq, secs, Some((user, tenant)), ip(1))
        };
        // A burst, then failures every 30 s for ten minutes: still one alert.
        let mut events: Vec<AuditEvent> = vec![at(0), at(1), at(2)];
        events.extend((1..=20).map(|i| at(2 + i * 30)));
        let alerts = feed(&mut d, events);
        assert_eq!(alerts.len(), 1, "{alerts:#?}");
        // 61 s of quiet re-arms it: the next burst alerts again.
        let last = 2 + 20 * 30;
        let alerts = feed(&mut d, [at(last + 61), at(last + 62), at(last + 63)]);
        assert_eq!(alerts.len(), 1, "{alerts:#?}");
        assert_eq!(
            alerts[0].first_at,
            Timestamp::from_millis(T0 + (last + 61) * 1000)
        );
    }

    #[test]
    fn a_burst_from_one_address_over_many_users_alerts_once_without_naming_a_user() {
        let mut d = AlertDetector::new(rules(5, 300));
        let tenant = TenantId::new();
        let alerts = feed(
            &mut d,
            (0..12).map(|i| failed(i, i as i64, Some((UserId::new(), tenant)), ip(9))),
        );
        assert_eq!(alerts.len(), 1, "{alerts:#?}");
        let a = &alerts[0];
        assert_eq!(a.user, None);
        assert_eq!(a.users, 5);
        assert_eq!(
            a.tenant,
            Some(tenant),
            "all counted users are in one organisation"
        );
        assert_eq!(a.source_ip, Some(ip(9)));

        // Unknown user names (no tenant) from another address: an alert without a tenant.
        let alerts = feed(&mut d, (20..25).map(|i| failed(i, i as i64, None, ip(10))));
        assert_eq!(alerts.len(), 1);
        assert_eq!((alerts[0].tenant, alerts[0].user), (None, None));
    }

    #[test]
    fn a_burst_for_one_user_from_many_addresses_names_the_user_and_counts_the_addresses() {
        let (user, tenant) = (UserId::new(), TenantId::new());
        let mut d = AlertDetector::new(rules(4, 300));
        let alerts = feed(
            &mut d,
            (0..4).map(|i| failed(i, i as i64, Some((user, tenant)), ip(i as u8 + 1))),
        );
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].user, Some(user));
        assert_eq!(alerts[0].source_ip, Some(ip(4)));
        assert_eq!(alerts[0].other_ips, 3);
    }

    #[test]
    fn events_seen_again_raise_nothing_again() {
        let mut d = AlertDetector::new(AlertRules::default());
        let user = UserId::new();
        let reset = AuditEvent::new(
            5,
            Timestamp::from_millis(T0),
            Actor::User { id: UserId::new() },
            EventKind::AuthMfaReset,
        )
        .with_subject(Subject {
            user: Some(user),
            ..Subject::default()
        });
        assert_eq!(d.observe(&reset).len(), 1);
        assert!(d.observe(&reset).is_empty(), "same seq");
        let older = AuditEvent { seq: 4, ..reset };
        assert!(d.observe(&older).is_empty(), "older seq");
        assert_eq!(d.last_seq(), Some(5));
    }

    #[test]
    fn each_single_event_kind_alerts_and_ordinary_events_do_not() {
        let (user, admin, tenant) = (UserId::new(), UserId::new(), TenantId::new());
        let at = Timestamp::from_millis(T0);
        let base = |seq, actor, kind| {
            AuditEvent::new(seq, at, Actor::User { id: actor }, kind)
                .with_tenant(tenant)
                .with_source_ip(ip(3))
        };
        let mut d = AlertDetector::new(AlertRules::default());

        let new_country = base(1, user, EventKind::AuthLogin)
            .with_detail("method", "passkey")
            .with_detail("country", "nz")
            .with_detail("new_country", true);
        let a = d.observe(&new_country);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].kind, AlertKind::NewCountrySignIn);
        assert_eq!(a[0].country.as_deref(), Some("NZ"));
        assert_eq!((a[0].user, a[0].actor), (Some(user), None));
        assert_eq!(a[0].seqs, vec![1]);

        let reset = base(2, admin, EventKind::AuthMfaReset)
            .with_subject(Subject {
                user: Some(user),
                ..Subject::default()
            })
            .with_detail("factor", "totp");
        let a = d.observe(&reset);
        assert_eq!(a[0].kind, AlertKind::MfaReset);
        assert_eq!((a[0].user, a[0].actor), (Some(user), Some(admin)));
        assert_eq!(a[0].facts, vec!["factor=totp".to_string()]);

        let glass = base(3, user, EventKind::AuthBreakGlass).with_detail("reason", "idp_down");
        assert_eq!(d.observe(&glass)[0].kind, AlertKind::BreakGlass);

        let travel = base(4, user, EventKind::AuthAccessDecided)
            .with_detail("outcome", "deny")
            .with_detail("reasons", vec!["impossible_travel"])
            .with_detail("alert", true);
        let a = d.observe(&travel);
        assert_eq!(a[0].kind, AlertKind::ConditionalAccess);
        assert!(
            a[0].facts
                .contains(&"reasons=impossible_travel".to_string())
        );

        // Not alerts: an ordinary sign-in, a sign-in in a known country, a decision that
        // did not ask for one, anything else.
        let quiet = [
            base(5, user, EventKind::AuthLogin).with_detail("method", "passkey"),
            base(6, user, EventKind::AuthLogin)
                .with_detail("country", "NZ")
                .with_detail("new_country", false),
            base(7, user, EventKind::AuthAccessDecided).with_detail("outcome", "allow"),
            base(8, user, EventKind::AuthAccessDecided).with_detail("alert", "true"),
            base(9, user, EventKind::MessageSubmitted),
            base(10, user, EventKind::AuthLogout),
        ];
        for e in quiet {
            assert!(d.observe(&e).is_empty(), "{:?}", e.kind);
        }
    }

    #[test]
    fn memory_stays_bounded_under_a_spray_of_addresses() {
        let mut d = AlertDetector::new(AlertRules {
            max_tracked_keys: 50,
            ..rules(3, 300)
        });
        // 10 000 addresses, one failure each, for unknown users: no alert, bounded state.
        for i in 0..10_000u64 {
            let from = IpAddr::V6(std::net::Ipv6Addr::from(u128::from(i) + 1));
            assert!(d.observe(&failed(i, 0, None, from)).is_empty());
            assert!(d.tracked_keys() <= 50);
        }
        assert_eq!(d.tracked_keys(), 50);
        for state in d.keys.values() {
            assert!(state.failures.len() <= 3);
        }
        assert_eq!(d.recency.len(), d.keys.len());
        // A key still being hit stays tracked while others are forgotten.
        let hot = ip(200);
        let mut alerts = Vec::new();
        for i in 0..3u64 {
            alerts.extend(d.observe(&failed(20_000 + i * 100, 1, None, hot)));
            for j in 1..100u64 {
                let from = IpAddr::V6(std::net::Ipv6Addr::from(u128::from(j) << 64));
                d.observe(&failed(20_000 + i * 100 + j, 1, None, from));
            }
        }
        assert_eq!(
            alerts.len(),
            0,
            "forgotten between its failures: 3 > 50 keys apart"
        );
        assert_eq!(d.tracked_keys(), 50);
    }

    #[test]
    fn a_busy_key_is_not_forgotten_while_it_is_being_hit() {
        let mut d = AlertDetector::new(AlertRules {
            max_tracked_keys: 2,
            ..rules(3, 300)
        });
        let mut seq = 0;
        let mut alerts = Vec::new();
        for _ in 0..3 {
            for from in [ip(1), ip(2)] {
                seq += 1;
                alerts.extend(d.observe(&failed(seq, 1, None, from)));
            }
        }
        assert_eq!(alerts.len(), 2, "both keys fit and both burst");
        assert_eq!(d.tracked_keys(), 2);
    }
}
