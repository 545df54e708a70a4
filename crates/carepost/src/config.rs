//! Every configuration key in one place, with its default and its meaning.
//!
//! The TOML file is optional: `carepost serve` with no file runs on these defaults. The
//! table [`KEYS`] is the single source for `carepost config defaults` and the generated
//! configuration reference in docs/.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;

/// The whole configuration.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub data_dir: PathBuf,
    pub hostname: String,
    pub organisation: String,
    pub admin_address: String,
    pub log_format: String,
    pub database: DatabaseConfig,
    pub smtp: SmtpConfig,
    pub http: HttpConfig,
    pub delivery: DeliveryConfig,
    pub dkim: DkimConfig,
    pub audit: AuditConfig,
    pub portal: PortalConfig,
    pub sms: SmsConfig,
    pub alerts: AlertsConfig,
    pub console: ConsoleConfig,
    pub sso: SsoSection,
}

/// Single sign-on into the console with an OpenID provider (crates/sso).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SsoSection {
    pub enabled: bool,
    pub issuer: String,
    pub client_id: String,
    pub client_secret_file: String,
    pub redirect_uri: String,
    pub organisation: String,
    pub groups_claim: String,
    pub group_roles: BTreeMap<String, model::Role>,
    pub extra_ca_file: String,
    pub passkey_for_privileged: bool,
}

impl Default for SsoSection {
    fn default() -> Self {
        Self {
            enabled: false,
            issuer: String::new(),
            client_id: String::new(),
            client_secret_file: String::new(),
            redirect_uri: String::new(),
            organisation: String::new(),
            groups_claim: "groups".to_string(),
            group_roles: BTreeMap::new(),
            extra_ca_file: String::new(),
            passkey_for_privileged: true,
        }
    }
}

/// The admin console on the HTTPS listener (crates/console-web).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsoleConfig {
    pub enabled: bool,
    pub public_url: String,
    pub session_idle_secs: u64,
    pub session_max_secs: u64,
    pub step_up_secs: u64,
    pub access_policy_file: String,
    pub geoip_database: String,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            public_url: String::new(),
            session_idle_secs: 900,
            session_max_secs: 43_200,
            step_up_secs: 300,
            access_policy_file: String::new(),
            geoip_database: String::new(),
        }
    }
}

/// Security alerts e-mailed to each organisation's owners and admins (crates/alerts).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertsConfig {
    pub enabled: bool,
    pub failure_burst_count: u32,
    pub failure_burst_window_secs: u64,
    pub poll_interval_secs: u64,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            failure_burst_count: 10,
            failure_burst_window_secs: 300,
            poll_interval_secs: 2,
        }
    }
}

/// Text messages (portal codes by SMS). The auth token lives in a file, never in here.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmsConfig {
    pub enabled: bool,
    pub provider: String,
    pub api_base: String,
    pub account_sid: String,
    pub auth_token_file: String,
    pub from: String,
    pub extra_ca_file: String,
    pub timeout_secs: u64,
}

impl Default for SmsConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            provider: "twilio".to_string(),
            api_base: "https://api.twilio.com".to_string(),
            account_sid: String::new(),
            auth_token_file: String::new(),
            from: String::new(),
            extra_ca_file: String::new(),
            timeout_secs: 10,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PortalConfig {
    pub enabled: bool,
    pub public_url: String,
    pub link_days: u64,
    pub accent_colour: String,
    pub read_notice: bool,
    pub languages_dir: String,
    pub session_idle_secs: u64,
    pub session_max_secs: u64,
    pub max_reply_bytes: usize,
    pub requests_per_minute_per_ip: u32,
}

impl Default for PortalConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            public_url: String::new(),
            link_days: 30,
            accent_colour: "#1f4e79".to_string(),
            read_notice: false,
            languages_dir: String::new(),
            session_idle_secs: 900,
            session_max_secs: 14_400,
            max_reply_bytes: 26_214_400,
            requests_per_minute_per_ip: 120,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditConfig {
    pub sign_interval_secs: u64,
    pub head_file: String,
    pub witnesses: Vec<WitnessConfig>,
    pub retention_days: u64,
    pub patient_header: String,
    pub purpose_header: String,
    pub syslog_address: String,
    pub syslog_server_name: String,
    pub syslog_ca_file: String,
    pub syslog_client_cert_file: String,
    pub syslog_client_key_file: String,
    pub syslog_facility: String,
    pub syslog_insecure_plaintext: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WitnessConfig {
    pub url: String,
    #[serde(default)]
    pub key: String,
}

impl Default for AuditConfig {
    fn default() -> Self {
        Self {
            sign_interval_secs: 60,
            head_file: String::new(),
            witnesses: Vec::new(),
            retention_days: 2192,
            patient_header: "X-Carepost-Patient".to_string(),
            purpose_header: "X-Carepost-Purpose".to_string(),
            syslog_address: String::new(),
            syslog_server_name: String::new(),
            syslog_ca_file: String::new(),
            syslog_client_cert_file: String::new(),
            syslog_client_key_file: String::new(),
            syslog_facility: "authpriv".to_string(),
            syslog_insecure_plaintext: false,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    pub url: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpConfig {
    pub submission_listen: String,
    pub submissions_listen: String,
    pub tls_cert_file: String,
    pub tls_key_file: String,
    pub max_message_size: usize,
    pub max_recipients: usize,
    pub max_line_length: usize,
    pub max_errors: usize,
    pub idle_timeout_secs: u64,
    pub max_connections: usize,
    pub max_connections_per_ip: usize,
    pub max_messages_per_minute_per_ip: u32,
    pub max_messages_per_minute_per_user: u32,
    pub trusted_networks: Vec<TrustedNetworkConfig>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustedNetworkConfig {
    pub cidr: String,
    pub name: String,
    #[serde(default)]
    pub allowed_senders: Vec<String>,
    #[serde(default = "default_device_rate")]
    pub max_messages_per_minute: u32,
    #[serde(default)]
    pub insecure_allow_plaintext: bool,
    #[serde(default)]
    pub organisation: String,
}

fn default_device_rate() -> u32 {
    600
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    pub listen: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeliveryConfig {
    pub extra_ca_file: String,
    pub routes: BTreeMap<String, String>,
    pub workers: usize,
    pub max_connections_per_destination: usize,
    pub max_lifetime_secs: u64,
    pub connect_timeout_secs: u64,
    pub dns_servers: Vec<String>,
    pub smtp_port: u16,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DkimConfig {
    pub selector: String,
    pub enabled: bool,
}

/// One documented key: name, default (as TOML text), meaning.
pub struct Key {
    pub name: &'static str,
    pub default: &'static str,
    pub doc: &'static str,
}

/// Every key with its default and meaning. Keep in step with the `Default` impls below
/// (a unit test checks that the defaults parse back to `Config::default()`).
pub const KEYS: &[Key] = &[
    Key {
        name: "data_dir",
        default: "\"./carepost-data\"",
        doc: "Directory for the database, master key, TLS certificate and sealed data. Created on first start.",
    },
    Key {
        name: "hostname",
        default: "\"localhost\"",
        doc: "This server's host name: EHLO name, Received: headers, Message-IDs, DSN Reporting-MTA.",
    },
    Key {
        name: "organisation",
        default: "\"My Organisation\"",
        doc: "Name of the first organisation, created by `carepost init`.",
    },
    Key {
        name: "admin_address",
        default: "\"\"",
        doc: "Address of the first admin account created by `carepost init`. Empty: admin@<hostname>.",
    },
    Key {
        name: "log_format",
        default: "\"text\"",
        doc: "Log format on stderr: \"text\" or \"json\". Logs never contain message content or addresses.",
    },
    Key {
        name: "database.url",
        default: "\"\"",
        doc: "Empty: SQLite file carepost.db in data_dir (WAL). postgres://user:pass@host/db: PostgreSQL (several nodes).",
    },
    Key {
        name: "smtp.submission_listen",
        default: "\"0.0.0.0:2587\"",
        doc: "SMTP submission with STARTTLS (RFC 6409). Empty disables it.",
    },
    Key {
        name: "smtp.submissions_listen",
        default: "\"0.0.0.0:2465\"",
        doc: "SMTP submission with implicit TLS (RFC 8314). Empty disables it.",
    },
    Key {
        name: "smtp.tls_cert_file",
        default: "\"\"",
        doc: "PEM certificate chain for the listeners. Empty: a self-signed certificate generated in data_dir/tls.",
    },
    Key {
        name: "smtp.tls_key_file",
        default: "\"\"",
        doc: "PEM private key for tls_cert_file.",
    },
    Key {
        name: "smtp.max_message_size",
        default: "26214400",
        doc: "Largest message accepted, in bytes (advertised as SIZE).",
    },
    Key {
        name: "smtp.max_recipients",
        default: "100",
        doc: "Most recipients per message.",
    },
    Key {
        name: "smtp.max_line_length",
        default: "10000",
        doc: "Longest line accepted in DATA, in bytes including CRLF.",
    },
    Key {
        name: "smtp.max_errors",
        default: "10",
        doc: "Protocol errors before the session is closed with 421.",
    },
    Key {
        name: "smtp.idle_timeout_secs",
        default: "300",
        doc: "Seconds a client may stay silent before the session is closed.",
    },
    Key {
        name: "smtp.max_connections",
        default: "500",
        doc: "Concurrent SMTP connections in all.",
    },
    Key {
        name: "smtp.max_connections_per_ip",
        default: "50",
        doc: "Concurrent SMTP connections from one IP address.",
    },
    Key {
        name: "smtp.max_messages_per_minute_per_ip",
        default: "6000",
        doc: "Messages per minute from one IP address (0 = no limit).",
    },
    Key {
        name: "smtp.max_messages_per_minute_per_user",
        default: "1000",
        doc: "Messages per minute from one user (0 = no limit).",
    },
    Key {
        name: "smtp.trusted_networks",
        default: "[]",
        doc: "Devices that cannot authenticate (scanners, fax servers): a list of tables { cidr, name, allowed_senders = [\"addr\", \"@domain\"], max_messages_per_minute = 600, insecure_allow_plaintext = false, organisation = \"\" }. Empty by default.",
    },
    Key {
        name: "http.listen",
        default: "\"0.0.0.0:8443\"",
        doc: "HTTPS listener (health, API). Empty disables it.",
    },
    Key {
        name: "delivery.extra_ca_file",
        default: "\"\"",
        doc: "PEM file of CA certificates trusted in addition to the WebPKI roots (a smarthost's private CA).",
    },
    Key {
        name: "delivery.routes",
        default: "{}",
        doc: "Table mapping a recipient domain to \"host:port\" or \"ip:port\" (like Postfix transport maps); the certificate is verified for that host or IP.",
    },
    Key {
        name: "delivery.workers",
        default: "64",
        doc: "Recipient copies delivered concurrently.",
    },
    Key {
        name: "delivery.max_connections_per_destination",
        default: "20",
        doc: "Concurrent connections to one next hop.",
    },
    Key {
        name: "delivery.max_lifetime_secs",
        default: "432000",
        doc: "Seconds a copy is retried before it bounces (5 days).",
    },
    Key {
        name: "delivery.connect_timeout_secs",
        default: "30",
        doc: "Seconds to wait for a TCP connection to a next hop.",
    },
    Key {
        name: "delivery.dns_servers",
        default: "[]",
        doc: "DNS servers (\"ip:port\") for MX and address lookups, e.g. a local DNSSEC-validating resolver. Empty: the system's /etc/resolv.conf.",
    },
    Key {
        name: "delivery.smtp_port",
        default: "25",
        doc: "Port of the MX hosts (routes carry their own port). Change only for tests and unusual networks.",
    },
    Key {
        name: "dkim.enabled",
        default: "true",
        doc: "Sign outgoing mail with the organisation's DKIM key.",
    },
    Key {
        name: "dkim.selector",
        default: "\"carepost\"",
        doc: "DKIM selector; publish the record printed by `carepost init` at <selector>._domainkey.<domain>.",
    },
    Key {
        name: "audit.sign_interval_secs",
        default: "60",
        doc: "Sign a tree head over the audit log this often (only when events were added), publish it to the head file and the witnesses.",
    },
    Key {
        name: "audit.head_file",
        default: "\"\"",
        doc: "Append-only file of every signed tree head (empty = <data_dir>/audit-heads.jsonl). Keep a copy off this machine: `carepost audit verify` checks the database against it.",
    },
    Key {
        name: "audit.witnesses",
        default: "[]",
        doc: "Witnesses that countersign each head after checking it extends the last one: a list of tables { url = \"http://host:port\", key = \"<witness public key, hex>\" }. Run one with `carepost witness`.",
    },
    Key {
        name: "audit.retention_days",
        default: "2192",
        doc: "Keep audit event content this long (default six years, HIPAA 164.316(b)(2)); older content is purged daily, leaf hashes stay so later proofs still verify.",
    },
    Key {
        name: "audit.patient_header",
        default: "\"X-Carepost-Patient\"",
        doc: "Header an EHR or sender sets to the patient identifier (e.g. MRN) a message discloses; recorded only as a keyed hash for the accounting of disclosures, and removed before delivery.",
    },
    Key {
        name: "audit.purpose_header",
        default: "\"X-Carepost-Purpose\"",
        doc: "Header naming the purpose of a disclosure (treatment, payment, operations, ...); recorded as a token and removed before delivery.",
    },
    Key {
        name: "audit.syslog_address",
        default: "\"\"",
        doc: "Stream every audit event to a SIEM over syslog (RFC 5424 over TLS, RFC 5425 framing) at this host:port; empty = off. Delivery is at least once and resumes after restarts.",
    },
    Key {
        name: "audit.syslog_server_name",
        default: "\"\"",
        doc: "Name the SIEM's certificate must carry (empty = the host part of audit.syslog_address).",
    },
    Key {
        name: "audit.syslog_ca_file",
        default: "\"\"",
        doc: "PEM file of CA certificates to trust for the SIEM, in addition to the public web roots.",
    },
    Key {
        name: "audit.syslog_client_cert_file",
        default: "\"\"",
        doc: "PEM client certificate for mutual TLS with the SIEM (set with audit.syslog_client_key_file).",
    },
    Key {
        name: "audit.syslog_client_key_file",
        default: "\"\"",
        doc: "PEM private key of audit.syslog_client_cert_file.",
    },
    Key {
        name: "audit.syslog_facility",
        default: "\"authpriv\"",
        doc: "Syslog facility: auth, authpriv or local0..local7.",
    },
    Key {
        name: "audit.syslog_insecure_plaintext",
        default: "false",
        doc: "Send to the SIEM over plain TCP (no TLS). Only for a collector on the same host; a warning is logged at start-up.",
    },
    Key {
        name: "console.enabled",
        default: "true",
        doc: "Serve the admin console at /console on the HTTPS listener (sign-in with a password and a passkey or authenticator app).",
    },
    Key {
        name: "console.public_url",
        default: "\"\"",
        doc: "The console's address as staff reach it, e.g. \"https://mail.clinic.example:8443\"; passkeys are bound to it. Empty: the portal's address.",
    },
    Key {
        name: "console.session_idle_secs",
        default: "900",
        doc: "A console session ends after this many seconds without a request.",
    },
    Key {
        name: "console.session_max_secs",
        default: "43200",
        doc: "A console session ends this many seconds after sign-in, whatever the activity.",
    },
    Key {
        name: "console.step_up_secs",
        default: "300",
        doc: "Sensitive actions (ending another user's sessions, resetting their second factors) need a passkey or code proven within this many seconds.",
    },
    Key {
        name: "console.access_policy_file",
        default: "\"\"",
        doc: "Conditional-access rules (TOML: allowed and denied networks and countries, hours per role, new-device step-up, impossible travel). Empty: allow, step up on new devices, deny impossible travel.",
    },
    Key {
        name: "console.geoip_database",
        default: "\"\"",
        doc: "A MaxMind-format .mmdb file (GeoLite2/GeoIP2 Country or City) for country rules, new-country alerts and impossible travel. Empty: no countries.",
    },
    Key {
        name: "sso.enabled",
        default: "false",
        doc: "Offer single sign-on into the console with the organisation's OpenID provider (authorization code + PKCE).",
    },
    Key {
        name: "sso.issuer",
        default: "\"\"",
        doc: "The provider's issuer URL, exactly as its discovery document names it, e.g. \"https://login.example.org/tenant/v2.0\".",
    },
    Key {
        name: "sso.client_id",
        default: "\"\"",
        doc: "carepost's client id at the provider.",
    },
    Key {
        name: "sso.client_secret_file",
        default: "\"\"",
        doc: "File holding the client secret (never the secret itself in this file).",
    },
    Key {
        name: "sso.redirect_uri",
        default: "\"\"",
        doc: "The callback registered at the provider. Empty: <console public URL>/console/sso/callback.",
    },
    Key {
        name: "sso.organisation",
        default: "\"\"",
        doc: "The organisation people signing in this way belong to (new people are created there). Empty: the first organisation.",
    },
    Key {
        name: "sso.groups_claim",
        default: "\"groups\"",
        doc: "The ID token claim that lists the person's groups.",
    },
    Key {
        name: "sso.group_roles",
        default: "{}",
        doc: "Provider group -> carepost role, e.g. { \"carepost-admins\" = \"admin\", \"staff\" = \"sender\" }. A person gets the most privileged role any of their groups maps to; with none, sign-in is refused.",
    },
    Key {
        name: "sso.extra_ca_file",
        default: "\"\"",
        doc: "PEM CA certificates to trust for the provider besides the system's (a private provider).",
    },
    Key {
        name: "sso.passkey_for_privileged",
        default: "true",
        doc: "Owners, admins and compliance officers also prove a passkey after the provider (carepost cannot see which factors the provider checked).",
    },
    Key {
        name: "portal.enabled",
        default: "true",
        doc: "Serve the secure portal on the HTTPS listener and publish copies that policy keeps off e-mail (without it they wait in the queue as awaiting-portal).",
    },
    Key {
        name: "portal.public_url",
        default: "\"\"",
        doc: "The portal's address as recipients reach it, e.g. \"https://secure.example.org\"; links in notifications start with it. Empty: https://<hostname>:<port of http.listen>.",
    },
    Key {
        name: "portal.link_days",
        default: "30",
        doc: "Days a portal link works; afterwards the copy shows an 'expired' page and the expiry is audited.",
    },
    Key {
        name: "portal.accent_colour",
        default: "\"#1f4e79\"",
        doc: "The organisation's colour (#rrggbb) for the portal's header; darkened if needed so white text on it keeps a 4.5:1 contrast.",
    },
    Key {
        name: "portal.read_notice",
        default: "false",
        doc: "Tell the sender (ids and times only) when a recipient first opens a portal copy. A message can ask for it alone with the header X-Carepost-Read-Notice: yes.",
    },
    Key {
        name: "portal.languages_dir",
        default: "\"\"",
        doc: "Directory of extra portal languages, one <language-tag>.toml per language with the keys of the built-in English catalogue (missing keys fall back to English). Empty: <data_dir>/portal-languages.",
    },
    Key {
        name: "portal.session_idle_secs",
        default: "900",
        doc: "A recipient's portal session ends after this many seconds without a request.",
    },
    Key {
        name: "portal.session_max_secs",
        default: "14400",
        doc: "A recipient's portal session ends this many seconds after it began, whatever the activity.",
    },
    Key {
        name: "portal.max_reply_bytes",
        default: "26214400",
        doc: "Largest reply a recipient may send from the portal (text and attachments), in bytes.",
    },
    Key {
        name: "portal.requests_per_minute_per_ip",
        default: "120",
        doc: "Requests per minute one IP address may make to the pages behind portal links (slows link guessing and code floods).",
    },
    Key {
        name: "sms.enabled",
        default: "false",
        doc: "Offer portal recipients a code by text message when the sender gave their mobile number (header X-Carepost-Portal-Sms: +15555550123). Needs the keys below.",
    },
    Key {
        name: "sms.provider",
        default: "\"twilio\"",
        doc: "SMS provider API: \"twilio\" (the Twilio Messages API, also spoken by other providers; see api_base).",
    },
    Key {
        name: "sms.api_base",
        default: "\"https://api.twilio.com\"",
        doc: "https:// address of the provider's API (another Twilio-compatible provider's, or a test server's). TLS is always verified.",
    },
    Key {
        name: "sms.account_sid",
        default: "\"\"",
        doc: "The provider account (AC... at Twilio): the Basic auth user name and part of the API path.",
    },
    Key {
        name: "sms.auth_token_file",
        default: "\"\"",
        doc: "File holding the account's auth token (the Basic auth password); readable by carepost only. The token is never put in this configuration.",
    },
    Key {
        name: "sms.from",
        default: "\"\"",
        doc: "Sender of the texts: an E.164 number of the account (+15005550006) or a Messaging Service sid (MG...).",
    },
    Key {
        name: "sms.extra_ca_file",
        default: "\"\"",
        doc: "PEM CA certificates to trust for the provider in addition to the system's (a private SMS gateway). Never turns verification off.",
    },
    Key {
        name: "sms.timeout_secs",
        default: "10",
        doc: "Limit for one request to the SMS provider, in seconds.",
    },
    Key {
        name: "alerts.enabled",
        default: "true",
        doc: "E-mail security alerts (a sign-in from a new country, a burst of failed sign-ins, an MFA reset, break-glass use, a conditional-access alert) to the organisation's owners and admins (break-glass use also to its compliance officers); alerts with no organisation (failures for unknown user names) go to the first organisation's.",
    },
    Key {
        name: "alerts.failure_burst_count",
        default: "10",
        doc: "This many failed sign-ins for one user, or from one address, within alerts.failure_burst_window_secs raise one alert (1..1000).",
    },
    Key {
        name: "alerts.failure_burst_window_secs",
        default: "300",
        doc: "The window for failure bursts, in seconds; a user or address that alerted alerts again only after this long without a failure (1..86400).",
    },
    Key {
        name: "alerts.poll_interval_secs",
        default: "2",
        doc: "How often the alert task reads new audit events, in seconds.",
    },
];

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./carepost-data"),
            hostname: "localhost".to_string(),
            organisation: "My Organisation".to_string(),
            admin_address: String::new(),
            log_format: "text".to_string(),
            database: DatabaseConfig::default(),
            smtp: SmtpConfig::default(),
            http: HttpConfig::default(),
            delivery: DeliveryConfig::default(),
            dkim: DkimConfig::default(),
            audit: AuditConfig::default(),
            portal: PortalConfig::default(),
            sms: SmsConfig::default(),
            alerts: AlertsConfig::default(),
            console: ConsoleConfig::default(),
            sso: SsoSection::default(),
        }
    }
}

impl Default for SmtpConfig {
    fn default() -> Self {
        Self {
            submission_listen: "0.0.0.0:2587".to_string(),
            submissions_listen: "0.0.0.0:2465".to_string(),
            tls_cert_file: String::new(),
            tls_key_file: String::new(),
            max_message_size: 26_214_400,
            max_recipients: 100,
            max_line_length: 10_000,
            max_errors: 10,
            idle_timeout_secs: 300,
            max_connections: 500,
            max_connections_per_ip: 50,
            max_messages_per_minute_per_ip: 6000,
            max_messages_per_minute_per_user: 1000,
            trusted_networks: Vec::new(),
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            listen: "0.0.0.0:8443".to_string(),
        }
    }
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            extra_ca_file: String::new(),
            routes: BTreeMap::new(),
            workers: 64,
            max_connections_per_destination: 20,
            max_lifetime_secs: 432_000,
            connect_timeout_secs: 30,
            dns_servers: Vec::new(),
            smtp_port: 25,
        }
    }
}

impl Default for DkimConfig {
    fn default() -> Self {
        Self {
            selector: "carepost".to_string(),
            enabled: true,
        }
    }
}

impl Config {
    /// Where signed tree heads are appended.
    pub fn audit_head_file(&self) -> PathBuf {
        if self.audit.head_file.is_empty() {
            self.data_dir.join(crate::setup::AUDIT_HEADS_FILE)
        } else {
            PathBuf::from(&self.audit.head_file)
        }
    }

    /// The portal's public address (no trailing slash).
    pub fn portal_public_url(&self) -> String {
        if !self.portal.public_url.is_empty() {
            return self.portal.public_url.trim_end_matches('/').to_string();
        }
        let port = self.http.listen.rsplit_once(':').map_or("8443", |(_, p)| p);
        if port == "443" {
            format!("https://{}", self.hostname)
        } else {
            format!("https://{}:{port}", self.hostname)
        }
    }

    /// The console's public address (no trailing slash): its own setting, else the
    /// portal's.
    pub fn console_public_url(&self) -> String {
        if self.console.public_url.is_empty() {
            self.portal_public_url()
        } else {
            self.console.public_url.trim_end_matches('/').to_string()
        }
    }

    /// Where extra portal languages are read from.
    pub fn portal_languages_dir(&self) -> PathBuf {
        if self.portal.languages_dir.is_empty() {
            self.data_dir.join("portal-languages")
        } else {
            PathBuf::from(&self.portal.languages_dir)
        }
    }

    /// Load from a file (if given), then apply `--data-dir`.
    pub fn load(file: Option<&Path>, data_dir: Option<&Path>) -> anyhow::Result<Self> {
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading configuration {}", path.display()))?;
                toml::from_str::<Config>(&text)
                    .with_context(|| format!("invalid configuration {}", path.display()))?
            }
            None => Config::default(),
        };
        if let Some(dir) = data_dir {
            config.data_dir = dir.to_path_buf();
        }
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> anyhow::Result<()> {
        if self.smtp.tls_cert_file.is_empty() != self.smtp.tls_key_file.is_empty() {
            bail!("smtp.tls_cert_file and smtp.tls_key_file must be set together");
        }
        if self.smtp.max_message_size < 1024 {
            bail!("smtp.max_message_size must be at least 1024 bytes");
        }
        for (domain, target) in &self.delivery.routes {
            model::Domain::parse(domain)
                .map_err(|_| anyhow::anyhow!("delivery.routes: invalid domain {domain:?}"))?;
            if target
                .rsplit_once(':')
                .and_then(|(_, p)| p.parse::<u16>().ok())
                .is_none()
            {
                bail!("delivery.routes: {domain:?} must map to \"host:port\", got {target:?}");
            }
        }
        if self.audit.sign_interval_secs == 0 {
            bail!("audit.sign_interval_secs must be at least 1");
        }
        if self.audit.retention_days < 1 {
            bail!("audit.retention_days must be at least 1");
        }
        for w in &self.audit.witnesses {
            if !(w.url.starts_with("http://") || w.url.starts_with("https://")) {
                bail!("audit.witnesses: url must start with http:// or https://");
            }
            if !w.key.is_empty() && audit::PublicKey::from_hex(&w.key).is_err() {
                bail!("audit.witnesses: key must be 64 hex digits (the witness's public key)");
            }
        }
        for n in &self.smtp.trusted_networks {
            if !audit::is_token(&n.name) {
                bail!(
                    "smtp.trusted_networks: name {:?} must be one word (letters, digits, '-', '_', '.'): it names the device in the audit log",
                    n.name
                );
            }
        }
        if !self.portal.public_url.is_empty() && !self.portal.public_url.starts_with("https://") {
            bail!("portal.public_url must start with https://");
        }
        if self.sso.enabled
            && (self.sso.issuer.is_empty()
                || self.sso.client_id.is_empty()
                || self.sso.client_secret_file.is_empty()
                || self.sso.group_roles.is_empty())
        {
            bail!(
                "sso.enabled needs sso.issuer, sso.client_id, sso.client_secret_file and sso.group_roles"
            );
        }
        if !self.console.public_url.is_empty() && !self.console.public_url.starts_with("https://") {
            bail!("console.public_url must start with https://");
        }
        if self.console.session_idle_secs == 0
            || self.console.session_max_secs == 0
            || self.console.step_up_secs == 0
        {
            bail!("console.session_idle_secs, session_max_secs and step_up_secs must be positive");
        }
        if self.portal.link_days == 0
            || self.portal.session_idle_secs == 0
            || self.portal.session_max_secs == 0
        {
            bail!(
                "portal.link_days, portal.session_idle_secs and portal.session_max_secs must be at least 1"
            );
        }
        if self.sms.enabled {
            if self.sms.provider != "twilio" {
                bail!("sms.provider must be \"twilio\"");
            }
            if !self.sms.api_base.starts_with("https://") {
                bail!("sms.api_base must start with https://");
            }
            if self.sms.account_sid.is_empty()
                || self.sms.auth_token_file.is_empty()
                || self.sms.from.is_empty()
            {
                bail!("sms.enabled needs sms.account_sid, sms.auth_token_file and sms.from");
            }
            if self.sms.timeout_secs == 0 {
                bail!("sms.timeout_secs must be at least 1");
            }
        }
        if self.log_format != "text" && self.log_format != "json" {
            bail!("log_format must be \"text\" or \"json\"");
        }
        Ok(())
    }

    /// Print every key with its default and meaning (`carepost config defaults`).
    pub fn defaults_text() -> String {
        let mut out = String::from(
            "# carepost configuration: every key, its default, and what it means.\n\
             # Dotted names are keys inside a [table], e.g. smtp.submission_listen is\n\
             # submission_listen under [smtp].\n\n",
        );
        for key in KEYS {
            out.push_str(&format!(
                "# {}\n{} = {}\n\n",
                key.doc, key.name, key.default
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_defaults_match_the_code() {
        // Rebuild a TOML document from KEYS and check it parses to the same defaults.
        let mut tables: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for key in KEYS {
            let (table, name) = key.name.split_once('.').unwrap_or(("", key.name));
            tables
                .entry(table)
                .or_default()
                .push(format!("{name} = {}", key.default));
        }
        let mut doc = String::new();
        for line in tables.remove("").unwrap_or_default() {
            doc.push_str(&line);
            doc.push('\n');
        }
        for (table, lines) in tables {
            doc.push_str(&format!("[{table}]\n"));
            for line in lines {
                doc.push_str(&line);
                doc.push('\n');
            }
        }
        let parsed: Config = toml::from_str(&doc).expect("documented defaults parse");
        assert_eq!(format!("{parsed:?}"), format!("{:?}", Config::default()));
    }

    #[test]
    fn the_configuration_reference_in_docs_is_current() {
        let doc = include_str!("../../../docs/CONFIGURATION.md");
        assert!(
            doc.contains(&Config::defaults_text()),
            "docs/CONFIGURATION.md is stale: regenerate it with `carepost config defaults`"
        );
    }

    #[test]
    fn sms_is_off_by_default_and_needs_its_keys_when_on() {
        let c = Config::default();
        assert!(!c.sms.enabled);
        assert!(c.validate().is_ok());
        let mut c = Config::default();
        c.sms.enabled = true;
        assert!(c.validate().is_err(), "no account, token file or sender");
        c.sms.account_sid = "AC1".into();
        c.sms.auth_token_file = "/etc/carepost/sms-token".into();
        c.sms.from = "+15005550006".into();
        assert!(c.validate().is_ok());
        c.sms.api_base = "http://api.twilio.com".into();
        assert!(c.validate().is_err(), "plain http");
        assert!(toml::from_str::<Config>("[sms]\nauth_token = \"x\"\n").is_err());
    }

    #[test]
    fn unknown_keys_and_bad_routes_are_refused() {
        assert!(toml::from_str::<Config>("nonsense = 1").is_err());
        let mut c = Config::default();
        c.delivery
            .routes
            .insert("example.org".into(), "no-port".into());
        assert!(c.validate().is_err());
    }
}
