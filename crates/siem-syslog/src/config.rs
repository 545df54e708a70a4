//! The `[audit.syslog]` settings, every one with its default (the table is on
//! [`SyslogConfig`]).

use std::fmt;
use std::time::Duration;

use rustls::pki_types::ServerName;
use serde::Deserialize;

use crate::format::{DEFAULT_MAX_MESSAGE_LEN, MAX_APP_NAME_LEN, MAX_HOSTNAME_LEN, header_field};

/// Why a configuration was refused at start-up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// `address` is not `host:port`.
    #[error("audit.syslog.address: expected host:port")]
    BadAddress,
    /// `server_name` is neither a DNS name nor an IP address.
    #[error("audit.syslog.server_name is not a DNS name or IP address")]
    BadServerName,
    /// `ca_pem` holds no usable certificate.
    #[error("audit.syslog.ca_pem: {0}")]
    BadCaBundle(String),
    /// The client certificate or key could not be used (or only one of them is set).
    #[error("audit.syslog client certificate: {0}")]
    BadClientCert(String),
    /// A header field is not 1..max printable US-ASCII.
    #[error("audit.syslog.{0} must be 1 to {1} printable US-ASCII characters")]
    BadHeaderField(&'static str, usize),
    /// A limit or interval is zero.
    #[error("audit.syslog.{0} must be greater than zero")]
    Zero(&'static str),
    /// `max_message_len` is above the hard ceiling.
    #[error("audit.syslog.max_message_len must be at most {0}")]
    MessageLimitTooLarge(usize),
    /// The TLS library refused the configuration.
    #[error("audit.syslog TLS configuration: {0}")]
    Tls(String),
}

/// The syslog facility (RFC 5424 §6.2.1, table 1) the messages are sent with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Facility {
    /// 4: security/authorization messages.
    Auth,
    /// 10: security/authorization messages (private), the default.
    #[default]
    Authpriv,
    /// 16: local use 0.
    Local0,
    /// 17: local use 1.
    Local1,
    /// 18: local use 2.
    Local2,
    /// 19: local use 3.
    Local3,
    /// 20: local use 4.
    Local4,
    /// 21: local use 5.
    Local5,
    /// 22: local use 6.
    Local6,
    /// 23: local use 7.
    Local7,
}

impl Facility {
    /// The numeric code.
    pub fn code(self) -> u8 {
        match self {
            Facility::Auth => 4,
            Facility::Authpriv => 10,
            Facility::Local0 => 16,
            Facility::Local1 => 17,
            Facility::Local2 => 18,
            Facility::Local3 => 19,
            Facility::Local4 => 20,
            Facility::Local5 => 21,
            Facility::Local6 => 22,
            Facility::Local7 => 23,
        }
    }
}

/// Where and how audit events are streamed (`[audit.syslog]` in carepost's config);
/// [`SyslogConfig::new`] gives the defaults for an address. Unknown keys are refused.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `address` | (required) | the SIEM's `host:port` (RFC 5425's port is 6514) |
/// | `server_name` | host part of `address` | name (or IP) the server certificate must match |
/// | `ca_pem` | none | extra trusted CA certificates (PEM), added to the webpki roots |
/// | `client_cert_pem` | none | client certificate chain (PEM) for mutual TLS |
/// | `client_key_pem` | none | its private key (PEM); required with `client_cert_pem` |
/// | `facility` | `"authpriv"` | `auth`, `authpriv`, `local0` .. `local7` |
/// | `app_name` | `"carepost"` | RFC 5424 APP-NAME (1..48 printable US-ASCII) |
/// | `hostname` | `"-"` | RFC 5424 HOSTNAME (1..255 printable US-ASCII; `-` = unknown) |
/// | `batch_size` | `100` | at most this many events per read and per write |
/// | `poll_interval_ms` | `1000` | how often the feed is polled when idle |
/// | `connect_timeout_secs` | `10` | bound on TCP connect plus TLS handshake |
/// | `write_timeout_secs` | `10` | bound on writing and flushing one batch |
/// | `max_message_len` | `65536` | longest message (bytes, without the length prefix) |
/// | `insecure_plaintext` | `false` | plain TCP instead of TLS (the caller should warn) |
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyslogConfig {
    /// The SIEM's `host:port`.
    pub address: String,
    /// The name the server certificate must be valid for; the host of `address` if unset.
    #[serde(default)]
    pub server_name: Option<String>,
    /// Extra trusted CA certificates in PEM, added to the webpki roots.
    #[serde(default)]
    pub ca_pem: Option<String>,
    /// Client certificate chain in PEM (mutual TLS); needs `client_key_pem`.
    #[serde(default)]
    pub client_cert_pem: Option<String>,
    /// The client certificate's private key in PEM. Never printed.
    #[serde(default)]
    pub client_key_pem: Option<String>,
    /// The facility of every message.
    #[serde(default)]
    pub facility: Facility,
    /// RFC 5424 APP-NAME.
    #[serde(default = "default_app_name")]
    pub app_name: String,
    /// RFC 5424 HOSTNAME (`-` for none).
    #[serde(default = "default_hostname")]
    pub hostname: String,
    /// At most this many events per read and per write.
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    /// Poll interval when there is nothing to send, in milliseconds.
    #[serde(default = "default_poll_interval_ms")]
    pub poll_interval_ms: u64,
    /// Bound on TCP connect plus TLS handshake, in seconds.
    #[serde(default = "default_timeout_secs")]
    pub connect_timeout_secs: u64,
    /// Bound on writing and flushing one batch, in seconds.
    #[serde(default = "default_timeout_secs")]
    pub write_timeout_secs: u64,
    /// The longest message, in bytes, without the octet-count prefix.
    #[serde(default = "default_max_message_len")]
    pub max_message_len: usize,
    /// Plain TCP instead of TLS. Audit events carry no PHI, but a plaintext stream can be
    /// read and altered in transit; use only on a trusted segment or to a local relay.
    #[serde(default)]
    pub insecure_plaintext: bool,
}

fn default_app_name() -> String {
    "carepost".to_string()
}
fn default_hostname() -> String {
    "-".to_string()
}
fn default_batch_size() -> usize {
    100
}
fn default_poll_interval_ms() -> u64 {
    1000
}
fn default_timeout_secs() -> u64 {
    10
}
fn default_max_message_len() -> usize {
    DEFAULT_MAX_MESSAGE_LEN
}

impl SyslogConfig {
    /// The defaults, sending to `address` over verified TLS.
    pub fn new(address: impl Into<String>) -> Self {
        Self {
            address: address.into(),
            server_name: None,
            ca_pem: None,
            client_cert_pem: None,
            client_key_pem: None,
            facility: Facility::default(),
            app_name: default_app_name(),
            hostname: default_hostname(),
            batch_size: default_batch_size(),
            poll_interval_ms: default_poll_interval_ms(),
            connect_timeout_secs: default_timeout_secs(),
            write_timeout_secs: default_timeout_secs(),
            max_message_len: default_max_message_len(),
            insecure_plaintext: false,
        }
    }

    /// Check every setting that can be checked without the network (the TLS material is
    /// checked when the forwarder is built).
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.host()?;
        self.tls_server_name()?;
        for (key, value, max) in [
            ("hostname", &self.hostname, MAX_HOSTNAME_LEN),
            ("app_name", &self.app_name, MAX_APP_NAME_LEN),
        ] {
            if value.is_empty() || header_field(value, max) != *value {
                return Err(ConfigError::BadHeaderField(key, max));
            }
        }
        for (key, value) in [
            ("batch_size", self.batch_size as u64),
            ("poll_interval_ms", self.poll_interval_ms),
            ("connect_timeout_secs", self.connect_timeout_secs),
            ("write_timeout_secs", self.write_timeout_secs),
            ("max_message_len", self.max_message_len as u64),
        ] {
            if value == 0 {
                return Err(ConfigError::Zero(key));
            }
        }
        if self.max_message_len > DEFAULT_MAX_MESSAGE_LEN {
            return Err(ConfigError::MessageLimitTooLarge(DEFAULT_MAX_MESSAGE_LEN));
        }
        if self.client_cert_pem.is_some() != self.client_key_pem.is_some() {
            return Err(ConfigError::BadClientCert(
                "client_cert_pem and client_key_pem must be set together".into(),
            ));
        }
        Ok(())
    }

    /// The poll interval.
    pub fn poll_interval(&self) -> Duration {
        Duration::from_millis(self.poll_interval_ms)
    }

    /// The connect (TCP + TLS handshake) timeout.
    pub fn connect_timeout(&self) -> Duration {
        Duration::from_secs(self.connect_timeout_secs)
    }

    /// The per-batch write timeout.
    pub fn write_timeout(&self) -> Duration {
        Duration::from_secs(self.write_timeout_secs)
    }

    /// The host part of `address` (without brackets for an IPv6 literal).
    fn host(&self) -> Result<&str, ConfigError> {
        let address = self.address.as_str();
        let (host, port) = if let Some(rest) = address.strip_prefix('[') {
            let (host, after) = rest.split_once(']').ok_or(ConfigError::BadAddress)?;
            (
                host,
                after.strip_prefix(':').ok_or(ConfigError::BadAddress)?,
            )
        } else {
            let (host, port) = address.rsplit_once(':').ok_or(ConfigError::BadAddress)?;
            if host.contains(':') {
                // An unbracketed IPv6 literal: the port cannot be told apart.
                return Err(ConfigError::BadAddress);
            }
            (host, port)
        };
        if host.is_empty() || host.bytes().any(|b| b.is_ascii_whitespace()) {
            return Err(ConfigError::BadAddress);
        }
        match port.parse::<u16>() {
            Ok(p) if p > 0 => Ok(host),
            _ => Err(ConfigError::BadAddress),
        }
    }

    /// The name the certificate is checked against.
    pub(crate) fn tls_server_name(&self) -> Result<ServerName<'static>, ConfigError> {
        let name = match &self.server_name {
            Some(name) => name.as_str(),
            None => self.host()?,
        };
        ServerName::try_from(name.to_string()).map_err(|_| ConfigError::BadServerName)
    }
}

impl fmt::Debug for SyslogConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyslogConfig")
            .field("address", &self.address)
            .field("server_name", &self.server_name)
            .field("ca_pem", &self.ca_pem.as_ref().map(|_| "[pem]"))
            .field(
                "client_cert_pem",
                &self.client_cert_pem.as_ref().map(|_| "[pem]"),
            )
            .field(
                "client_key_pem",
                &self.client_key_pem.as_ref().map(|_| "[redacted]"),
            )
            .field("facility", &self.facility)
            .field("app_name", &self.app_name)
            .field("hostname", &self.hostname)
            .field("batch_size", &self.batch_size)
            .field("poll_interval_ms", &self.poll_interval_ms)
            .field("connect_timeout_secs", &self.connect_timeout_secs)
            .field("write_timeout_secs", &self.write_timeout_secs)
            .field("max_message_len", &self.max_message_len)
            .field("insecure_plaintext", &self.insecure_plaintext)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_come_from_a_minimal_table() {
        let config: SyslogConfig =
            toml::from_str("address = \"siem.example:6514\"").expect("parses");
        assert_eq!(config, SyslogConfig::new("siem.example:6514"));
        config.validate().expect("valid");
        assert_eq!(config.facility, Facility::Authpriv);
        assert_eq!(config.batch_size, 100);
        assert_eq!(config.poll_interval(), Duration::from_millis(1000));
        assert!(!config.insecure_plaintext);
        assert_eq!(
            config.tls_server_name().expect("name"),
            ServerName::try_from("siem.example").expect("dns name")
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = toml::from_str::<SyslogConfig>("address = \"a:1\"\ninsecure = true")
            .expect_err("unknown key");
        assert!(err.to_string().contains("unknown field"));
    }

    #[test]
    fn every_key_parses() {
        let config: SyslogConfig = toml::from_str(
            r#"
            address = "[2001:db8::1]:6514"
            server_name = "siem.example"
            ca_pem = "x"
            facility = "local3"
            app_name = "cp"
            hostname = "gw1.example"
            batch_size = 5
            poll_interval_ms = 50
            connect_timeout_secs = 3
            write_timeout_secs = 4
            max_message_len = 8192
            insecure_plaintext = true
            "#,
        )
        .expect("parses");
        config.validate().expect("valid");
        assert_eq!(config.facility.code(), 19);
        assert_eq!(config.host().expect("host"), "2001:db8::1");
    }

    #[test]
    fn bad_settings_are_refused() {
        let with = |f: &dyn Fn(&mut SyslogConfig)| {
            let mut c = SyslogConfig::new("siem.example:6514");
            f(&mut c);
            c.validate()
        };
        for address in [
            "siem.example",
            "siem.example:0",
            ":6514",
            "::1:6514",
            "a b:1",
        ] {
            assert_eq!(
                with(&|c| c.address = address.into()),
                Err(ConfigError::BadAddress),
                "{address}"
            );
        }
        assert_eq!(
            with(&|c| c.server_name = Some("not a name".into())),
            Err(ConfigError::BadServerName)
        );
        assert_eq!(
            with(&|c| c.hostname = "gw 1".into()),
            Err(ConfigError::BadHeaderField("hostname", MAX_HOSTNAME_LEN))
        );
        assert_eq!(
            with(&|c| c.app_name = "x".repeat(49)),
            Err(ConfigError::BadHeaderField("app_name", MAX_APP_NAME_LEN))
        );
        assert_eq!(
            with(&|c| c.batch_size = 0),
            Err(ConfigError::Zero("batch_size"))
        );
        assert_eq!(
            with(&|c| c.max_message_len = DEFAULT_MAX_MESSAGE_LEN + 1),
            Err(ConfigError::MessageLimitTooLarge(DEFAULT_MAX_MESSAGE_LEN))
        );
        assert!(matches!(
            with(&|c| c.client_key_pem = Some("k".into())),
            Err(ConfigError::BadClientCert(_))
        ));
    }

    #[test]
    fn debug_does_not_print_the_client_key() {
        let mut c = SyslogConfig::new("siem.example:6514");
        c.client_key_pem = Some("-----BEGIN PRIVATE KEY-----SECRET".into());
        let text = format!("{c:?}");
        assert!(!text.contains("SECRET"));
        assert!(text.contains("[redacted]"));
    }
}
