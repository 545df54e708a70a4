//! Choosing the next hop: a configured route, else MX (RFC 5321 section 5.1), else the
//! domain's own address records; a null MX (RFC 7505) means the domain takes no mail.

use std::net::{IpAddr, SocketAddr};

use hickory_resolver::TokioResolver;
use hickory_resolver::proto::rr::{Name, RData};
use rustls::pki_types::{DnsName, ServerName};

use model::Domain;

use crate::config::Route;

/// A host to try, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Hop {
    /// The name the certificate must match: a DNS name (lower case, no trailing dot) or an
    /// IP address literal.
    pub(crate) name: String,
    pub(crate) port: u16,
    /// How to find its addresses.
    pub(crate) lookup: Lookup,
}

/// How to find a hop's addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// The name is an address.
    Literal(IpAddr),
    /// A configured route's host name: the system resolver (honours /etc/hosts).
    System,
    /// An MX host or the domain itself: A/AAAA through DNS.
    Dns,
}

/// The next hops for a domain, or why there are none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Plan {
    Hops(Vec<Hop>),
    /// Bounce: the domain does not exist or publishes a null MX.
    Permanent(String),
    /// Retry later: DNS failed.
    Temporary(String),
}

impl Hop {
    pub(crate) fn from_route(route: &Route) -> Self {
        Self {
            name: route.host.clone(),
            port: route.port,
            lookup: match route.ip() {
                Some(ip) => Lookup::Literal(ip),
                None => Lookup::System,
            },
        }
    }

    /// `host:port`, the pool key.
    pub(crate) fn key(&self) -> String {
        format!("{}:{}", self.name, self.port)
    }

    /// The rustls name to verify the certificate against.
    pub(crate) fn server_name(&self) -> Option<ServerName<'static>> {
        match self.lookup {
            Lookup::Literal(ip) => Some(ServerName::IpAddress(ip.into())),
            _ => DnsName::try_from(self.name.clone())
                .ok()
                .map(ServerName::DnsName),
        }
    }

    /// Resolve to socket addresses.
    pub(crate) async fn addresses(
        &self,
        resolver: Option<&TokioResolver>,
    ) -> Result<Vec<SocketAddr>, String> {
        match self.lookup {
            Lookup::Literal(ip) => Ok(vec![SocketAddr::new(ip, self.port)]),
            Lookup::System => tokio::net::lookup_host((self.name.as_str(), self.port))
                .await
                .map(|a| a.collect())
                .map_err(|e| format!("{}: address lookup failed: {}", self.name, e.kind())),
            Lookup::Dns => {
                let resolver = resolver.ok_or_else(|| "no DNS resolver available".to_string())?;
                let fqdn = format!("{}.", self.name);
                match resolver.lookup_ip(fqdn.as_str()).await {
                    Ok(ips) => Ok(ips
                        .iter()
                        .map(|ip| SocketAddr::new(ip, self.port))
                        .collect()),
                    Err(e) if e.is_no_records_found() => {
                        Err(format!("{}: no address records", self.name))
                    }
                    Err(_) => Err(format!("{}: address lookup failed", self.name)),
                }
            }
        }
    }
}

/// Next hops for a domain without a route, each on `port` (the configured SMTP port).
pub(crate) async fn plan_by_dns(
    domain: &Domain,
    resolver: Option<&TokioResolver>,
    seed: u64,
    port: u16,
) -> Plan {
    match dns_hops(domain, resolver, seed).await {
        Plan::Hops(mut hops) => {
            for hop in &mut hops {
                hop.port = port;
            }
            Plan::Hops(hops)
        }
        other => other,
    }
}

async fn dns_hops(domain: &Domain, resolver: Option<&TokioResolver>, seed: u64) -> Plan {
    let text = domain.as_str();
    // An address literal (`user@[192.0.2.1]`): deliver there, verify that IP.
    if let Some(inner) = text.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        let ip = inner.strip_prefix("ipv6:").unwrap_or(inner);
        return match ip.parse::<IpAddr>() {
            Ok(ip) => Plan::Hops(vec![Hop {
                name: ip.to_string(),
                port: 25,
                lookup: Lookup::Literal(ip),
            }]),
            Err(_) => Plan::Permanent("5.1.2 invalid address literal".into()),
        };
    }
    let Ok(name) = Name::from_utf8(text) else {
        return Plan::Permanent("5.1.2 invalid recipient domain".into());
    };
    let ascii = trim_dot(&name.to_ascii());
    let Some(resolver) = resolver else {
        return Plan::Temporary("no DNS resolver available".into());
    };
    let fqdn = format!("{ascii}.");
    match resolver.mx_lookup(fqdn.as_str()).await {
        Ok(lookup) => {
            let records: Vec<(u16, String)> = lookup
                .answers()
                .iter()
                .filter_map(|r| match &r.data {
                    RData::MX(mx) => Some((mx.preference, mx.exchange.to_ascii())),
                    _ => None,
                })
                .collect();
            if records.is_empty() {
                return implicit_mx(&ascii);
            }
            order_mx(&records, seed)
        }
        Err(e) if e.is_nx_domain() => {
            Plan::Permanent("5.1.2 recipient domain does not exist".into())
        }
        Err(e) if e.is_no_records_found() => implicit_mx(&ascii),
        Err(_) => Plan::Temporary(format!("5.4.4 MX lookup for {ascii} failed")),
    }
}

/// RFC 5321 5.1: no MX, so the domain itself is the one host (its A/AAAA records).
fn implicit_mx(ascii: &str) -> Plan {
    Plan::Hops(vec![Hop {
        name: ascii.to_string(),
        port: 25,
        lookup: Lookup::Dns,
    }])
}

/// Order MX records by preference, shuffling hosts of equal preference (RFC 5321 5.1)
/// with `seed`. A domain whose only MX targets are `.` has a null MX (RFC 7505).
pub(crate) fn order_mx(records: &[(u16, String)], seed: u64) -> Plan {
    let mut hosts: Vec<(u16, u64, String)> = records
        .iter()
        .map(|(pref, host)| (*pref, trim_dot(host).to_ascii_lowercase()))
        .filter(|(_, host)| !host.is_empty())
        .map(|(pref, host)| (pref, mix(seed, &host), host))
        .collect();
    if hosts.is_empty() {
        return Plan::Permanent("5.1.10 recipient domain accepts no mail (null MX)".into());
    }
    hosts.sort();
    let mut seen = std::collections::HashSet::new();
    Plan::Hops(
        hosts
            .into_iter()
            .filter(|(_, _, h)| seen.insert(h.clone()))
            .map(|(_, _, name)| Hop {
                name,
                port: 25,
                lookup: Lookup::Dns,
            })
            .collect(),
    )
}

fn trim_dot(s: &str) -> String {
    s.strip_suffix('.').unwrap_or(s).to_string()
}

/// A per-host tiebreak that changes with the seed (FNV-1a over seed and name).
fn mix(seed: u64, host: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for b in host.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(plan: Plan) -> Vec<String> {
        match plan {
            Plan::Hops(h) => h.into_iter().map(|h| h.name).collect(),
            other => panic!("expected hops, got {other:?}"),
        }
    }

    #[test]
    fn orders_by_preference_and_strips_the_root_dot() {
        let recs = [
            (20, "b.example.".to_string()),
            (10, "A.example.".to_string()),
        ];
        assert_eq!(names(order_mx(&recs, 1)), ["a.example", "b.example"]);
    }

    #[test]
    fn shuffles_equal_preferences_by_seed() {
        let recs: Vec<(u16, String)> = (0..6).map(|i| (10, format!("mx{i}.example."))).collect();
        let orders: std::collections::HashSet<Vec<String>> =
            (0..20).map(|seed| names(order_mx(&recs, seed))).collect();
        assert!(
            orders.len() > 1,
            "equal-preference hosts were never shuffled"
        );
        assert_eq!(names(order_mx(&recs, 3)), names(order_mx(&recs, 3)));
    }

    #[test]
    fn null_mx_is_a_permanent_failure() {
        assert!(
            matches!(order_mx(&[(0, ".".into())], 0), Plan::Permanent(e) if e.contains("null MX"))
        );
        // A stray null MX next to a real one is ignored.
        assert_eq!(
            names(order_mx(&[(0, ".".into()), (10, "mx.example.".into())], 0)),
            ["mx.example"]
        );
    }

    #[test]
    fn duplicate_hosts_are_tried_once() {
        let recs = [
            (10, "mx.example.".to_string()),
            (20, "MX.example.".to_string()),
        ];
        assert_eq!(names(order_mx(&recs, 0)), ["mx.example"]);
    }

    #[tokio::test]
    async fn address_literals_are_their_own_next_hop() {
        let d = Domain::parse("[127.0.0.1]").expect("literal");
        let plan = plan_by_dns(&d, None, 0, 2525).await;
        let Plan::Hops(hops) = plan else {
            panic!("expected hops");
        };
        assert_eq!(
            hops[0].lookup,
            Lookup::Literal(IpAddr::from([127, 0, 0, 1]))
        );
        assert_eq!(hops[0].port, 2525);
        assert!(matches!(
            hops[0].server_name(),
            Some(ServerName::IpAddress(_))
        ));
    }

    #[test]
    fn routes_verify_ip_or_dns_names() {
        let ip = Hop::from_route(&Route::parse("127.0.0.1:2525").expect("route"));
        assert!(matches!(ip.server_name(), Some(ServerName::IpAddress(_))));
        assert_eq!(ip.key(), "127.0.0.1:2525");
        let dns = Hop::from_route(&Route::parse("mx.example:25").expect("route"));
        assert!(matches!(dns.server_name(), Some(ServerName::DnsName(_))));
        assert_eq!(dns.lookup, Lookup::System);
    }
}
