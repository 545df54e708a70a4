//! Session replay defence: compare where a session was issued with where it is used.

use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;
use sha2::{Digest, Sha256};

use crate::policy::{AccessPolicy, Reason};

/// Where a session was issued, or where it is being used: the client's network (its
/// address cut to /24 for IPv4 or /48 for IPv6), a SHA-256 digest of its user-agent, and
/// its country. Holds personal data (a network prefix): keep it out of logs; `Debug`
/// prints nothing of it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SessionFingerprint {
    network: IpNet,
    user_agent: [u8; 32],
    country: Option<String>,
}

impl fmt::Debug for SessionFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionFingerprint(<redacted>)")
    }
}

impl SessionFingerprint {
    /// Fingerprints a client. IPv4-mapped IPv6 addresses count as IPv4.
    pub fn new(ip: IpAddr, user_agent: &str, country: Option<&str>) -> Self {
        let ip = ip.to_canonical();
        let prefix = if ip.is_ipv4() { 24 } else { 48 };
        let network = IpNet::new(ip, prefix)
            .map(|n| n.trunc())
            .unwrap_or_else(|_| IpNet::from(ip));
        Self {
            network,
            user_agent: Sha256::digest(user_agent.as_bytes()).into(),
            country: country.map(str::to_ascii_uppercase),
        }
    }

    /// A fingerprint from stored parts: the address a session began at and the SHA-256 of
    /// its user-agent (so the user-agent string itself need not be kept).
    pub fn from_parts(ip: IpAddr, user_agent_digest: [u8; 32], country: Option<&str>) -> Self {
        let mut f = Self::new(ip, "", country);
        f.user_agent = user_agent_digest;
        f
    }

    /// The network prefix (/24 or /48).
    pub fn network(&self) -> IpNet {
        self.network
    }

    /// SHA-256 of the user-agent string.
    pub fn user_agent_digest(&self) -> [u8; 32] {
        self.user_agent
    }

    /// The ISO 3166-1 alpha-2 country, upper case, if known.
    pub fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }
}

/// What to do with a request that presents an existing session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UseOutcome {
    /// Carry on.
    Allow,
    /// Require the user to authenticate again before carrying on.
    StepUp,
}

/// The result of [`AccessPolicy::on_use`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UseDecision {
    /// Allow or step up.
    pub outcome: UseOutcome,
    /// [`Reason::SessionReplay`] and/or [`Reason::SessionCountryChanged`]; empty when allowed.
    pub reasons: Vec<Reason>,
}

impl AccessPolicy {
    /// Decides a use of a session issued with fingerprint `session`, presented now with
    /// fingerprint `now`.
    ///
    /// - Another network **and** another user-agent: step-up, [`Reason::SessionReplay`]
    ///   (the cookie most likely left the device it was issued to).
    /// - Another known country than the one it was issued in: step-up,
    ///   [`Reason::SessionCountryChanged`] (a user-agent string is easy to copy).
    /// - Only a new address in the same /24 or /48, only a new network in the same country
    ///   (mobile, roaming), or only a new user-agent (browser update): allow.
    ///
    /// With `step_up_on_session_replay = false` in the settings this always allows.
    pub fn on_use(&self, session: &SessionFingerprint, now: &SessionFingerprint) -> UseDecision {
        let mut reasons = Vec::new();
        if self.step_up_on_session_replay() {
            if session.network != now.network && session.user_agent != now.user_agent {
                reasons.push(Reason::SessionReplay);
            }
            if let (Some(a), Some(b)) = (&session.country, &now.country)
                && a != b
            {
                reasons.push(Reason::SessionCountryChanged);
            }
        }
        let outcome = if reasons.is_empty() {
            UseOutcome::Allow
        } else {
            UseOutcome::StepUp
        };
        UseDecision { outcome, reasons }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
    const CURL: &str = "curl/8.9.1";

    fn fp(ip: &str, ua: &str, country: Option<&str>) -> SessionFingerprint {
        SessionFingerprint::new(ip.parse().expect("test ip"), ua, country)
    }

    fn on_use(a: &SessionFingerprint, b: &SessionFingerprint) -> UseDecision {
        AccessPolicy::default().on_use(a, b)
    }

    #[test]
    fn same_v4_slash_24_is_allowed() {
        let a = fp("192.0.2.10", FIREFOX, Some("US"));
        let b = fp("192.0.2.200", FIREFOX, Some("US"));
        assert_eq!(a, b);
        assert_eq!(on_use(&a, &b).outcome, UseOutcome::Allow);
        // Even with a new user-agent: the network is the same.
        let c = fp("192.0.2.99", CURL, Some("US"));
        assert_eq!(on_use(&a, &c).outcome, UseOutcome::Allow);
    }

    #[test]
    fn same_v6_slash_48_is_allowed() {
        let a = fp("2001:db8:1:1::10", FIREFOX, None);
        let b = fp("2001:db8:1:ffff::1", CURL, None);
        assert_eq!(a.network().to_string(), "2001:db8:1::/48");
        assert_eq!(on_use(&a, &b).outcome, UseOutcome::Allow);
    }

    #[test]
    fn other_network_and_device_steps_up() {
        let a = fp("192.0.2.10", FIREFOX, Some("US"));
        let b = fp("198.51.100.7", CURL, Some("US"));
        let d = on_use(&a, &b);
        assert_eq!(d.outcome, UseOutcome::StepUp);
        assert_eq!(d.reasons, vec![Reason::SessionReplay]);

        let a6 = fp("2001:db8:1::1", FIREFOX, None);
        let b6 = fp("2001:db8:2::1", CURL, None);
        assert_eq!(on_use(&a6, &b6).reasons, vec![Reason::SessionReplay]);
    }

    #[test]
    fn other_network_same_device_same_country_is_allowed() {
        let a = fp("192.0.2.10", FIREFOX, Some("US"));
        let b = fp("203.0.113.5", FIREFOX, Some("us"));
        assert_eq!(on_use(&a, &b).outcome, UseOutcome::Allow);
    }

    #[test]
    fn country_change_steps_up_even_with_copied_user_agent() {
        let a = fp("192.0.2.10", FIREFOX, Some("US"));
        let b = fp("203.0.113.5", FIREFOX, Some("GB"));
        let d = on_use(&a, &b);
        assert_eq!(d.outcome, UseOutcome::StepUp);
        assert_eq!(d.reasons, vec![Reason::SessionCountryChanged]);
    }

    #[test]
    fn mapped_v4_is_the_v4_network() {
        let a = fp("192.0.2.10", FIREFOX, None);
        let b = fp("::ffff:192.0.2.77", FIREFOX, None);
        assert_eq!(a, b);
    }

    #[test]
    fn setting_off_always_allows() {
        let policy =
            AccessPolicy::parse("[settings]\nstep_up_on_session_replay = false\n").expect("policy");
        let a = fp("192.0.2.10", FIREFOX, Some("US"));
        let b = fp("198.51.100.7", CURL, Some("GB"));
        assert_eq!(policy.on_use(&a, &b).outcome, UseOutcome::Allow);
    }

    #[test]
    fn debug_is_redacted() {
        let a = fp("192.0.2.10", FIREFOX, Some("US"));
        let text = format!("{a:?}");
        assert!(!text.contains("192"), "{text}");
        assert!(!text.contains("US"), "{text}");
    }
}
