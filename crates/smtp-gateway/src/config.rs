//! Gateway settings: limits, trusted networks, sender rules. Every key has its default here.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

use model::{Domain, EmailAddress, TenantId};
use smtp_session::SessionConfig;

/// A configuration value that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A CIDR that is not `address/prefix` with a valid prefix and no host bits set.
    #[error("invalid CIDR {0:?} (expected e.g. 10.0.0.0/8 or ::1/128)")]
    BadCidr(String),
    /// A sender rule that is neither an address nor `@domain`. Holds the rule's position
    /// (addresses are not echoed into logs).
    #[error("invalid sender rule at position {0} (expected an address or @domain)")]
    BadSenderRule(usize),
}

/// Settings of the submission gateway. `Default` gives the documented defaults.
#[derive(Clone, Debug)]
pub struct GatewayConfig {
    /// Protocol limits and the host name (see [`SessionConfig`] for each default).
    pub session: SessionConfig,
    /// Longest wait for the next bytes from a client before `421 4.4.2`. Default 300 s
    /// (RFC 5321 section 4.5.3.2.7 asks for at least 5 minutes).
    pub idle_timeout: Duration,
    /// Longest TLS handshake. Default 30 s.
    pub tls_handshake_timeout: Duration,
    /// At shutdown, how long a session in the middle of a transaction may take to finish it
    /// before it is closed with `421 4.3.2` (idle sessions are closed at once). Default 30 s.
    pub shutdown_grace: Duration,
    /// Open connections over both listeners; beyond it `421 4.7.0 Too many connections`.
    /// Default 500.
    pub max_connections: usize,
    /// Open connections from one client address. Default 50.
    pub max_connections_per_ip: usize,
    /// Messages (MAIL commands accepted) per minute from one client address; 0 = no limit.
    /// Default 6000.
    pub messages_per_minute_per_ip: u32,
    /// Messages per minute per authenticated user (`SenderIdentity::rate_key`); 0 = no
    /// limit. Default 1000.
    pub messages_per_minute_per_user: u32,
    /// Failed AUTH attempts per minute from one address before AUTH from it is refused with
    /// `454 4.7.0` for a minute. Default 30.
    pub auth_failures_per_minute_per_ip: u32,
    /// Pause before answering a failed AUTH (slows password guessing). Default 1 s.
    pub auth_failure_delay: Duration,
    /// Networks whose devices may send without AUTH. Default empty.
    pub trusted_networks: Vec<TrustedNetwork>,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        Self {
            session: SessionConfig::default(),
            idle_timeout: Duration::from_secs(300),
            tls_handshake_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(30),
            max_connections: 500,
            max_connections_per_ip: 50,
            messages_per_minute_per_ip: 6000,
            messages_per_minute_per_user: 1000,
            auth_failures_per_minute_per_ip: 30,
            auth_failure_delay: Duration::from_secs(1),
            trusted_networks: Vec::new(),
        }
    }
}

/// A network whose devices (scanners, EHR systems) may submit without AUTH
/// (`[[smtp.trusted_networks]]`).
#[derive(Clone, Debug)]
pub struct TrustedNetwork {
    /// Client addresses covered.
    pub cidr: Cidr,
    /// Device name; messages are attributed to `Principal::Device { name }`.
    pub name: String,
    /// Tenant the messages belong to.
    pub tenant: TenantId,
    /// Sender addresses the devices may use in MAIL FROM.
    pub allowed_senders: SenderRules,
    /// Messages per minute for the whole entry (all its devices together). 0 refuses all.
    pub max_messages_per_minute: u32,
    /// Accept mail without TLS from this network (channel `SmtpPlaintext`). Off by default;
    /// only for legacy devices on an isolated network segment.
    pub insecure_allow_plaintext: bool,
}

/// An IPv4 or IPv6 network in CIDR notation.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parse `192.0.2.0/24`, `::1/128`, or a bare address (a single host). Host bits must be
    /// zero, so a typo such as `10.0.0.1/8` is an error rather than a wider trust.
    pub fn parse(s: &str) -> Result<Self, ConfigError> {
        let bad = || ConfigError::BadCidr(s.to_string());
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr.trim().parse().map_err(|_| bad())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.trim().parse::<u8>().map_err(|_| bad())?,
            None => max,
        };
        if prefix > max {
            return Err(bad());
        }
        let cidr = Self { addr, prefix };
        if !cidr.contains(addr) || bits(addr) & !cidr.mask() != 0 {
            return Err(bad());
        }
        Ok(cidr)
    }

    /// True if `ip` is inside the network. IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`,
    /// seen on dual-stack listeners) match IPv4 networks.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        if ip.is_ipv4() != self.addr.is_ipv4() {
            return false;
        }
        (bits(ip) ^ bits(self.addr)) & self.mask() == 0
    }

    fn mask(&self) -> u128 {
        let width = if self.addr.is_ipv4() { 32 } else { 128 };
        if self.prefix == 0 {
            0
        } else {
            let ones = u128::MAX << (128 - u32::from(self.prefix));
            ones >> (128 - width)
        }
    }
}

fn bits(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

impl FromStr for Cidr {
    type Err = ConfigError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

impl fmt::Debug for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cidr({self})")
    }
}

/// Which MAIL FROM addresses a login or device may use: exact addresses and whole domains
/// (`@clinic.example`). Empty rules allow nothing. The null sender `<>` is never allowed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SenderRules {
    addresses: Vec<EmailAddress>,
    domains: Vec<Domain>,
}

impl SenderRules {
    /// Rules that allow exactly one address (a user's own).
    pub fn only(address: EmailAddress) -> Self {
        Self {
            addresses: vec![address],
            domains: Vec::new(),
        }
    }

    /// Parse configuration entries: `user@domain` or `@domain`.
    pub fn parse<I, S>(entries: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut rules = Self::default();
        for (i, entry) in entries.into_iter().enumerate() {
            let entry = entry.as_ref().trim();
            if let Some(domain) = entry.strip_prefix('@') {
                let domain = Domain::parse(domain).map_err(|_| ConfigError::BadSenderRule(i))?;
                rules.domains.push(domain);
            } else {
                let addr = EmailAddress::parse(entry).map_err(|_| ConfigError::BadSenderRule(i))?;
                rules.addresses.push(addr);
            }
        }
        Ok(rules)
    }

    /// Allow one more address.
    pub fn allow_address(&mut self, address: EmailAddress) {
        self.addresses.push(address);
    }

    /// Allow every address in a domain.
    pub fn allow_domain(&mut self, domain: Domain) {
        self.domains.push(domain);
    }

    /// True if `address` may be used. Domains compare exactly (already lower case);
    /// local parts compare ASCII-case-insensitively, since mailboxes that differ only in
    /// case are the same mailbox at every provider we deliver for.
    pub fn allows(&self, address: &EmailAddress) -> bool {
        self.domains.iter().any(|d| d == address.domain())
            || self.addresses.iter().any(|a| {
                a.domain() == address.domain() && a.local().eq_ignore_ascii_case(address.local())
            })
    }

    /// True if the rules allow nothing.
    pub fn is_empty(&self) -> bool {
        self.addresses.is_empty() && self.domains.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test ip")
    }

    #[test]
    fn cidr_matches_inside_and_not_outside() {
        let net = Cidr::parse("10.0.0.0/8").expect("valid");
        assert!(net.contains(ip("10.1.2.3")));
        assert!(!net.contains(ip("11.0.0.1")));
        assert!(net.contains(ip("::ffff:10.9.9.9")), "IPv4-mapped matches");
        assert!(!net.contains(ip("::1")));
        let host = Cidr::parse("127.0.0.1/32").expect("valid");
        assert!(host.contains(ip("127.0.0.1")) && !host.contains(ip("127.0.0.2")));
        let v6 = Cidr::parse("::1/128").expect("valid");
        assert!(v6.contains(ip("::1")) && !v6.contains(ip("::2")));
        let all = Cidr::parse("0.0.0.0/0").expect("valid");
        assert!(all.contains(ip("203.0.113.9")) && !all.contains(ip("2001:db8::1")));
        assert_eq!(
            Cidr::parse("192.0.2.7").expect("host").to_string(),
            "192.0.2.7/32"
        );
        assert!(
            Cidr::parse("2001:db8::/32")
                .expect("v6")
                .contains(ip("2001:db8:1::5"))
        );
    }

    #[test]
    fn cidr_refuses_typos_that_would_widen_trust() {
        for bad in [
            "10.0.0.1/8",
            "10.0.0.0/33",
            "::1/129",
            "nonsense",
            "10.0.0.0/",
            "/8",
        ] {
            assert!(Cidr::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn sender_rules_allow_listed_addresses_and_domains_only() {
        let rules = SenderRules::parse(["scanner@clinic.example", "@lab.example"]).expect("ok");
        let a = |s: &str| EmailAddress::parse(s).expect("test address");
        assert!(rules.allows(&a("scanner@clinic.example")));
        assert!(rules.allows(&a("Scanner@Clinic.Example")));
        assert!(rules.allows(&a("anyone@lab.example")));
        assert!(!rules.allows(&a("other@clinic.example")));
        assert!(!rules.allows(&a("anyone@sub.lab.example")));
        assert!(!SenderRules::default().allows(&a("scanner@clinic.example")));
        assert_eq!(
            SenderRules::parse(["ok@x.example", "@"]),
            Err(ConfigError::BadSenderRule(1))
        );
    }
}
