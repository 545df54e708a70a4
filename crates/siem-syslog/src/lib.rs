//! Streams the audit trail to a SIEM over syslog: RFC 5424 messages, RFC 5425 framing, TLS.
//!
//! **What it does:** formats each [`audit::AuditEvent`] as one RFC 5424 message
//! ([`format_rfc5424`]) whose MSG is the event's canonical JSON, the exact bytes its Merkle
//! leaf hash covers, so a SIEM can re-hash what it received and compare it with a signed
//! tree head; frames messages with RFC 5425 octet counting ([`frame`]); and runs a
//! forwarder ([`SyslogForwarder`]) that reads events from an [`AuditFeed`] (the audit store,
//! behind a trait this crate defines) in order, sends them in bounded batches over a
//! verified TLS connection, and saves a cursor after each batch is written, reconnecting
//! with backoff (1 s doubling to 60 s) after any failure. It exposes a PHI-free
//! [`SyslogStatus`] for health checks.
//!
//! **What it does not do:** it does not write audit events (the audit store does, in the
//! transaction of the change it records), does not store the cursor itself (the feed does),
//! does not warn about plaintext (the caller does, see below), does not truncate or split a
//! message (one over [`SyslogConfig::max_message_len`] is refused with
//! [`FormatError::TooLong`] and the forwarder stalls on it rather than skip it), and does
//! not speak UDP syslog (RFC 5426) or RELP. It opens the connection only when there is
//! something to send, so `connected` in [`SyslogStatus`] can be `false` while idle.
//!
//! **Delivery guarantee: at least once, in `seq` order.** The cursor is saved only after a
//! batch has been written and flushed to the socket, so after a crash or a reconnect the
//! SIEM may see an event again; duplicates carry the same `seq` (in the structured data and
//! in the JSON) and the same leaf hash, so the SIEM can drop them. Syslog over TLS has no
//! application-level acknowledgement: bytes flushed into the kernel are not proof that the
//! receiver read them. To narrow that window the forwarder
//!
//! * watches a new connection for 250 ms before writing (a TLS 1.3 server refuses a client
//!   certificate only after the client's handshake has finished);
//! * checks, before every batch and on every poll, that the receiver has not ended the
//!   session (a syslog receiver sends nothing, so EOF, a reset, an alert or any data ends
//!   it; TLS 1.3 session tickets are consumed and ignored);
//! * after a connection fails, resends every batch written on it in the 2 s before the
//!   failure was noticed (the in-memory cursor, and then the saved one, move back).
//!
//! What remains is a double fault: the receiver loses data it had not read *and* this
//! process dies before noticing. RELP would close it; RFC 5425 cannot. An event that
//! cannot be formatted (it fails [`audit::AuditEvent::validate`], or is too long) is never
//! skipped: the forwarder retries it with backoff and reports the `format` error category
//! (with its `seq`) until an operator intervenes. The feed may have gaps in `seq` (purged
//! events); the forwarder does not invent them, but it refuses a feed that goes backwards.
//!
//! **Security:** runs in the process that owns the audit store (it reads events and writes
//! the cursor) and opens one outbound TCP connection to the configured SIEM. TLS (1.2 or
//! 1.3, rustls with the aws-lc-rs provider) is the default and the server certificate is
//! always verified, against the webpki roots plus an optional extra CA bundle
//! ([`SyslogConfig::ca_pem`]), for [`SyslogConfig::server_name`]; there is no switch to
//! skip verification. A client certificate (mutual TLS) is optional. Plain TCP is used only
//! when [`SyslogConfig::insecure_plaintext`] is `true`, and then
//! [`SyslogForwarder::insecure_plaintext`] and [`SyslogStatus::insecure_plaintext`] say so
//! so that the caller can warn. The client key PEM is never printed (`Debug` redacts it).
//! Diagnostics go to `tracing` with sequence numbers, error categories and PHI-free error
//! descriptions only. Every field of a message is treated as untrusted when formatted:
//! header fields are reduced to printable US-ASCII, structured-data values are escaped
//! (RFC 5424 §6.3.3) and control characters replaced.
//!
//! **Standards:** RFC 5424 (syslog protocol: §6.2.1 PRI, §6.2.3 TIMESTAMP in RFC 3339 UTC
//! with milliseconds, §6.2.7 MSGID of at most 32 PRINTUSASCII, §6.3 structured data with
//! the SD-ID `carepost@32473`, 32473 being the RFC 5612 documentation enterprise number,
//! §6.4 MSG without a BOM, i.e. MSG-ANY); RFC 5425 (TLS transport, §4.3 octet-counting
//! framing `MSG-LEN SP SYSLOG-MSG`); RFC 8446/5246 via rustls. Tested against rsyslog's
//! `imtcp` with the gtls driver (`tests/rsyslog.rs`).
//!
//! **PHI:** none passes through. Audit events hold ids, categories and keyed hashes only
//! ([`audit::AuditEvent::validate`] keeps free text out), and the messages add nothing but
//! the configured host and app names. Errors and [`SyslogStatus`] carry error categories,
//! sequence numbers and rustls/io error kinds, never event content.
//!
//! **Errors:** [`ConfigError`] for a configuration refused at start-up; [`FormatError`] for
//! an event that cannot become a message; [`SendError`] for a failed connection, handshake
//! or write, each with an [`ErrorCategory`]; [`FeedError`] is what an [`AuditFeed`] returns.

#![warn(missing_docs)]

mod config;
mod format;
mod forwarder;
mod transport;

pub use config::{ConfigError, Facility, SyslogConfig};
pub use format::{
    DEFAULT_MAX_MESSAGE_LEN, FormatError, MAX_APP_NAME_LEN, MAX_HOSTNAME_LEN, MAX_MSGID_LEN, SD_ID,
    Severity, format_rfc5424, format_rfc5424_with, frame, severity_of,
};
pub use forwarder::{
    AuditFeed, ErrorCategory, FeedError, StatusHandle, SyslogForwarder, SyslogStatus,
};
pub use transport::SendError;
