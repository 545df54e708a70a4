//! Delivery settings, every one with its default.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use model::Domain;

/// Why a configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A route is not `host`, `host:port`, `ip:port` or `[ipv6]:port`.
    #[error("invalid route {0:?}: expected host:port or ip:port")]
    BadRoute(String),
    /// The HELO name is empty or not a host name.
    #[error("invalid HELO name")]
    BadHeloName,
    /// The extra CA bundle holds no usable certificate.
    #[error("extra CA bundle: {0}")]
    BadCaBundle(String),
    /// The TLS library refused the configuration.
    #[error("TLS configuration: {0}")]
    Tls(String),
    /// A limit is zero.
    #[error("{0} must be greater than zero")]
    ZeroLimit(&'static str),
}

/// A configured next hop for a domain: a host name or IP address, and a port.
///
/// The certificate is verified for exactly this host: a DNS name against the certificate's
/// DNS SANs, an IP address against its IP SANs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Route {
    /// Host name (lower case) or IP address literal (without brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
}

impl Route {
    /// Parse `host`, `host:port`, `ip`, `ip:port` or `[ipv6]:port`. The port defaults to 25.
    pub fn parse(s: &str) -> Result<Self, ConfigError> {
        let bad = || ConfigError::BadRoute(s.to_string());
        let s = s.trim();
        let (host, port) = if let Some(rest) = s.strip_prefix('[') {
            let (ip, after) = rest.split_once(']').ok_or_else(bad)?;
            let port = match after {
                "" => 25,
                p => p
                    .strip_prefix(':')
                    .ok_or_else(bad)?
                    .parse()
                    .map_err(|_| bad())?,
            };
            ip.parse::<IpAddr>().map_err(|_| bad())?;
            (ip.to_string(), port)
        } else if s.parse::<IpAddr>().is_ok() {
            (s.to_string(), 25)
        } else {
            match s.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), p.parse().map_err(|_| bad())?),
                None => (s.to_string(), 25),
            }
        };
        if port == 0 {
            return Err(bad());
        }
        if host.parse::<IpAddr>().is_err() {
            Domain::parse(&host).map_err(|_| bad())?;
            if host.starts_with('[') {
                return Err(bad());
            }
        }
        Ok(Self {
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// The host as an IP address, if it is one.
    pub fn ip(&self) -> Option<IpAddr> {
        self.host.parse().ok()
    }
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.ip() {
            Some(IpAddr::V6(ip)) => write!(f, "[{ip}]:{}", self.port),
            _ => write!(f, "{}:{}", self.host, self.port),
        }
    }
}

/// How long to wait for each step of an SMTP session. Defaults are the minimums of
/// RFC 5321 section 4.5.3.2, except where noted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandTimeouts {
    /// The 220 greeting (RFC 5321: 5 minutes).
    pub greeting: Duration,
    /// The reply to EHLO (RFC 5321 gives none; as for MAIL: 5 minutes).
    pub ehlo: Duration,
    /// The reply to STARTTLS plus the TLS handshake (not in RFC 5321; 2 minutes).
    pub starttls: Duration,
    /// The reply to MAIL (RFC 5321: 5 minutes).
    pub mail: Duration,
    /// The reply to each RCPT (RFC 5321: 5 minutes).
    pub rcpt: Duration,
    /// The 354 reply to DATA (RFC 5321: 2 minutes).
    pub data_init: Duration,
    /// Sending the message (RFC 5321: 3 minutes per block; here for the whole write).
    pub data_block: Duration,
    /// The reply to the final `.` (RFC 5321: 10 minutes).
    pub data_end: Duration,
    /// The reply to RSET before a reused session's next transaction (Postfix: 20 s).
    pub rset: Duration,
}

impl Default for CommandTimeouts {
    fn default() -> Self {
        const MIN: u64 = 60;
        Self {
            greeting: Duration::from_secs(5 * MIN),
            ehlo: Duration::from_secs(5 * MIN),
            starttls: Duration::from_secs(2 * MIN),
            mail: Duration::from_secs(5 * MIN),
            rcpt: Duration::from_secs(5 * MIN),
            data_init: Duration::from_secs(2 * MIN),
            data_block: Duration::from_secs(3 * MIN),
            data_end: Duration::from_secs(10 * MIN),
            rset: Duration::from_secs(20),
        }
    }
}

/// Everything the [`crate::Deliverer`] needs to know.
#[derive(Clone, Debug)]
pub struct DeliveryConfig {
    /// Our name in EHLO (`hostname` in the carepost configuration). Default `localhost`.
    pub helo_name: String,
    /// Per-domain next hops that replace the MX lookup (`[delivery.routes]`). Default none.
    pub routes: HashMap<Domain, Route>,
    /// PEM certificates trusted in addition to the WebPKI roots (`extra_ca_file`).
    /// Default none.
    pub extra_ca_pem: Option<Vec<u8>>,
    /// TCP connect timeout per address. Default 30 s.
    pub connect_timeout: Duration,
    /// Per-command timeouts.
    pub timeouts: CommandTimeouts,
    /// Most simultaneous connections (busy or idle) to one next hop (`host:port`).
    /// Default 20.
    pub max_connections_per_destination: usize,
    /// How long an idle session is kept for reuse. Default 10 s.
    pub idle_connection_ttl: Duration,
    /// Most transactions sent over one session before it is closed. Default 1000.
    pub max_transactions_per_connection: u32,
    /// Most IP addresses tried per delivery, over all MX hosts (Postfix's
    /// `smtp_mx_address_limit`). Default 5.
    pub max_addresses: usize,
    /// Require a certificate that chains to a trusted root and matches the next hop's name.
    /// Default `true`. When `false`, TLS is still required (never plaintext) but an
    /// unverifiable certificate is accepted and recorded with `verified: false`: an
    /// explicit, weaker policy for peers with private certificates.
    pub require_verified_tls: bool,
    /// DNS servers to query for MX and address records, over UDP with TCP for truncated
    /// answers, instead of the system configuration (`/etc/resolv.conf`). Default empty:
    /// the system configuration. When set, only these servers are asked, `/etc/hosts`
    /// is not consulted for MX hosts, and record TTLs are respected as published.
    /// Configured routes with a host name still use the system resolver.
    pub dns_servers: Vec<SocketAddr>,
    /// The TCP port for next hops found through DNS (MX hosts, the domain's own A/AAAA
    /// records when it has no MX) and for address literals (`user@[192.0.2.1]`).
    /// Default 25; change it only for tests and unusual networks. Routes keep their own
    /// port.
    pub smtp_port: u16,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            helo_name: "localhost".to_string(),
            routes: HashMap::new(),
            extra_ca_pem: None,
            connect_timeout: Duration::from_secs(30),
            timeouts: CommandTimeouts::default(),
            max_connections_per_destination: 20,
            idle_connection_ttl: Duration::from_secs(10),
            max_transactions_per_connection: 1000,
            max_addresses: 5,
            require_verified_tls: true,
            dns_servers: Vec::new(),
            smtp_port: 25,
        }
    }
}

impl DeliveryConfig {
    /// Defaults with the given HELO name.
    pub fn new(helo_name: impl Into<String>) -> Self {
        Self {
            helo_name: helo_name.into(),
            ..Self::default()
        }
    }

    /// Add a route from its configuration text (`"127.0.0.1:2527"`).
    pub fn with_route(mut self, domain: &str, route: &str) -> Result<Self, ConfigError> {
        let domain = Domain::parse(domain).map_err(|_| ConfigError::BadRoute(domain.into()))?;
        self.routes.insert(domain, Route::parse(route)?);
        Ok(self)
    }

    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        let helo = self.helo_name.as_str();
        let helo_ok = Domain::parse(helo).is_ok() && helo.is_ascii() && !helo.contains(' ');
        if !helo_ok {
            return Err(ConfigError::BadHeloName);
        }
        if self.max_connections_per_destination == 0 {
            return Err(ConfigError::ZeroLimit("max_connections_per_destination"));
        }
        if self.max_addresses == 0 {
            return Err(ConfigError::ZeroLimit("max_addresses"));
        }
        if self.max_transactions_per_connection == 0 {
            return Err(ConfigError::ZeroLimit("max_transactions_per_connection"));
        }
        if self.smtp_port == 0 {
            return Err(ConfigError::ZeroLimit("smtp_port"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_routes_of_every_shape() {
        let r = |s| Route::parse(s).expect(s);
        assert_eq!(
            r("mx.Example.org:2525"),
            Route {
                host: "mx.example.org".into(),
                port: 2525
            }
        );
        assert_eq!(
            r("mx.example.org"),
            Route {
                host: "mx.example.org".into(),
                port: 25
            }
        );
        assert_eq!(
            r("127.0.0.1:2527"),
            Route {
                host: "127.0.0.1".into(),
                port: 2527
            }
        );
        assert_eq!(
            r("[::1]:2527"),
            Route {
                host: "::1".into(),
                port: 2527
            }
        );
        assert_eq!(
            r("::1"),
            Route {
                host: "::1".into(),
                port: 25
            }
        );
        assert_eq!(r("[::1]:2527").to_string(), "[::1]:2527");
        assert_eq!(r("127.0.0.1:2527").ip(), Some(IpAddr::from([127, 0, 0, 1])));
    }

    #[test]
    fn refuses_malformed_routes() {
        for bad in [
            "",
            "host:",
            "host:0",
            "host:99999",
            "[::1",
            "[nope]:25",
            "a b:25",
            ":25",
        ] {
            assert!(Route::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn validates_helo_name_and_limits() {
        assert!(DeliveryConfig::default().validate().is_ok());
        assert_eq!(
            DeliveryConfig::new("bad name").validate(),
            Err(ConfigError::BadHeloName)
        );
        let zero = DeliveryConfig {
            max_connections_per_destination: 0,
            ..DeliveryConfig::default()
        };
        assert!(matches!(zero.validate(), Err(ConfigError::ZeroLimit(_))));
        let zero_port = DeliveryConfig {
            smtp_port: 0,
            ..DeliveryConfig::default()
        };
        assert_eq!(
            zero_port.validate(),
            Err(ConfigError::ZeroLimit("smtp_port"))
        );
        let d = DeliveryConfig::default();
        assert_eq!(d.smtp_port, 25);
        assert!(d.dns_servers.is_empty());
    }
}
