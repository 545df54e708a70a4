//! Validated e-mail addresses and domain names (RFC 5321 section 4.1.2 and 4.5.3.1 limits).
//!
//! The parser accepts the addresses SMTP puts in `MAIL FROM` and `RCPT TO` (dot-atom or
//! quoted local part, with UTF-8 allowed for SMTPUTF8) and refuses anything that could
//! smuggle protocol or header syntax: control characters, spaces outside quotes, angle
//! brackets, and over-long parts. Domains are stored in lower case; the local part keeps
//! its case, as RFC 5321 requires.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why an address or domain was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// No `@`, or nothing on one side of it.
    #[error("address must have the form local@domain")]
    MissingAt,
    /// Local part longer than 64 octets.
    #[error("local part longer than 64 octets")]
    LocalTooLong,
    /// Whole address longer than 254 octets.
    #[error("address longer than 254 octets")]
    TooLong,
    /// A byte that may not appear in a local part.
    #[error("local part contains a forbidden character")]
    BadLocal,
    /// The domain is not a valid host name or address literal.
    #[error("invalid domain")]
    BadDomain,
}

/// A DNS domain name in lower case, without a trailing dot.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Domain(String);

impl Domain {
    /// Parse and normalise a domain name (or an address literal such as `[192.0.2.1]`).
    pub fn parse(s: &str) -> Result<Self, AddressError> {
        let s = s.strip_suffix('.').unwrap_or(s);
        if s.is_empty() || s.len() > 253 {
            return Err(AddressError::BadDomain);
        }
        if let Some(inner) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            let ip = inner.strip_prefix("IPv6:").unwrap_or(inner);
            return ip
                .parse::<std::net::IpAddr>()
                .map(|_| Self(s.to_ascii_lowercase()))
                .map_err(|_| AddressError::BadDomain);
        }
        for label in s.split('.') {
            let ok_len = !label.is_empty() && label.len() <= 63;
            let ok_chars = label
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || !c.is_ascii());
            let ok_edges = !label.starts_with('-') && !label.ends_with('-');
            if !(ok_len && ok_chars && ok_edges) {
                return Err(AddressError::BadDomain);
            }
        }
        Ok(Self(s.to_lowercase()))
    }

    /// The domain as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Domain({})", self.0)
    }
}

/// A validated mailbox address `local@domain`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmailAddress {
    local: String,
    domain: Domain,
}

impl EmailAddress {
    /// Parse an address as it appears inside `<...>` in SMTP or in configuration.
    pub fn parse(s: &str) -> Result<Self, AddressError> {
        if s.len() > 254 {
            return Err(AddressError::TooLong);
        }
        let at = s.rfind('@').ok_or(AddressError::MissingAt)?;
        let (local, domain) = (&s[..at], &s[at + 1..]);
        if local.is_empty() || domain.is_empty() {
            return Err(AddressError::MissingAt);
        }
        if local.len() > 64 {
            return Err(AddressError::LocalTooLong);
        }
        if !valid_local(local) {
            return Err(AddressError::BadLocal);
        }
        Ok(Self {
            local: local.to_string(),
            domain: Domain::parse(domain)?,
        })
    }

    /// The part before `@`.
    pub fn local(&self) -> &str {
        &self.local
    }

    /// The domain after `@`.
    pub fn domain(&self) -> &Domain {
        &self.domain
    }

    /// True if any part is outside ASCII (needs SMTPUTF8 to be sent).
    pub fn needs_smtputf8(&self) -> bool {
        !self.local.is_ascii() || !self.domain.as_str().is_ascii()
    }
}

fn valid_local(local: &str) -> bool {
    if let Some(inner) = local.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        // Quoted string: printable characters, with backslash escapes; no controls.
        let mut escaped = false;
        for c in inner.chars() {
            if c.is_control() {
                return false;
            }
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                return false;
            }
        }
        return !escaped;
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return false;
    }
    local.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || "!#$%&'*+-/=?^_`{|}~.".contains(c)
            || (!c.is_ascii() && !c.is_control())
    })
}

impl FromStr for EmailAddress {
    type Err = AddressError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.local, self.domain)
    }
}

impl fmt::Debug for EmailAddress {
    // The local part may identify a patient: keep it out of debug output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EmailAddress([redacted]@{})", self.domain)
    }
}

impl Serialize for EmailAddress {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for EmailAddress {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalises_domain_case() {
        let a = EmailAddress::parse("Jane.Doe@Example.ORG").expect("valid");
        assert_eq!(a.local(), "Jane.Doe");
        assert_eq!(a.domain().as_str(), "example.org");
        assert_eq!(a.to_string(), "Jane.Doe@example.org");
    }

    #[test]
    fn refuses_smuggling_and_malformed_addresses() {
        for bad in [
            "no-at-sign",
            "@example.org",
            "a@",
            "a b@example.org",
            "a\r\n@example.org",
            "<a>@example.org",
            "a..b@example.org",
            "a@exa mple.org",
            "a@-bad.org",
            "a@[999.1.1.1]",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad} should be refused");
        }
        let long_local = format!("{}@example.org", "a".repeat(65));
        assert_eq!(
            EmailAddress::parse(&long_local),
            Err(AddressError::LocalTooLong)
        );
    }

    #[test]
    fn accepts_quoted_utf8_and_literals() {
        assert!(EmailAddress::parse("\"john smith\"@example.org").is_ok());
        let u = EmailAddress::parse("josé@exámple.org").expect("utf8");
        assert!(u.needs_smtputf8());
        assert!(EmailAddress::parse("a@[127.0.0.1]").is_ok());
    }

    #[test]
    fn debug_hides_the_local_part() {
        let a = EmailAddress::parse("patient@example.org").expect("valid");
        assert!(!format!("{a:?}").contains("patient"));
    }
}
