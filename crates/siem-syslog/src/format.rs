//! RFC 5424 messages for audit events, and RFC 5425 octet-counting frames. No I/O.
//!
//! A message looks like (one line; RFC 5424 §6):
//!
//! ```text
//! <85>1 2026-11-29T20:00:00.123Z gw1.example carepost - auth.login_failed
//!   [carepost@32473 seq="42" kind="auth.login_failed" tenant="…"] {"actor":…}
//! ```
//!
//! PRI is `facility * 8 + severity`; PROCID is always NILVALUE (`-`): the forwarder may run
//! in any carepost process, and the process id would tell the SIEM nothing about the event.
//! MSG is the canonical JSON of the event without a BOM (MSG-ANY in the ABNF): those are
//! the bytes the event's Merkle leaf hash covers (`SHA-256(0x00 || MSG)`), which is what lets
//! a SIEM check what it holds against a signed tree head.

use std::fmt::Write as _;

use audit::{AuditError, AuditEvent, EventKind};

use crate::config::Facility;

/// The SD-ID of our structured data element: `name@enterprise-number` (RFC 5424 §6.3.2),
/// with 32473, the example enterprise number of RFC 5612.
pub const SD_ID: &str = "carepost@32473";
/// Longest MSGID (RFC 5424 §6.2.7).
pub const MAX_MSGID_LEN: usize = 32;
/// Longest HOSTNAME (RFC 5424 §6.2.4).
pub const MAX_HOSTNAME_LEN: usize = 255;
/// Longest APP-NAME (RFC 5424 §6.2.5).
pub const MAX_APP_NAME_LEN: usize = 48;
/// Default (and highest allowed) limit on one message, in bytes without the length prefix.
/// The audit schema bounds an export line at 64 KiB too; real events are under 1 KiB. The
/// receiver must accept messages this long (rsyslog's default `maxMessageSize` is 8 KiB).
pub const DEFAULT_MAX_MESSAGE_LEN: usize = 64 * 1024;

/// Why an event could not become a syslog message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The event breaks an audit schema rule (the error names the rule, not the value).
    #[error("event {seq} is not a valid audit event: {source}")]
    InvalidEvent {
        /// The event's sequence number.
        seq: u64,
        /// The rule it breaks.
        source: AuditError,
    },
    /// The message is longer than the limit. It is refused, never truncated: a cut message
    /// would no longer hash to the event's leaf.
    #[error("message of {len} bytes exceeds the limit of {max} bytes")]
    TooLong {
        /// The message's length.
        len: usize,
        /// The limit.
        max: usize,
    },
}

/// RFC 5424 severities used for audit events (§6.2.1, table 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    /// 4: a failure or refusal someone should look at.
    Warning,
    /// 5: a normal but significant event (most audit events).
    Notice,
}

impl Severity {
    /// The numeric code.
    pub fn code(self) -> u8 {
        match self {
            Severity::Warning => 4,
            Severity::Notice => 5,
        }
    }
}

/// The severity of an event kind, decided from its stable text form: `warning` when the
/// action (the part after the last `.`) is a failure or refusal (`failed`, `*_failed`,
/// `bounced`, `rejected`, `refused`, `denied`, `held`), e.g. `auth.login_failed`,
/// `delivery.bounced`, `quarantine.held`; also the security events a SIEM should page on
/// (`auth.break_glass`, `auth.mfa_reset`); `notice` for everything else.
///
/// Deciding from the name, not from a match on the enum, keeps new kinds classified without
/// an edit here (and without breaking this crate's build when the audit crate adds one),
/// provided failures keep being named this way. A deferral is `notice`: it is a temporary
/// state that is retried, and the bounce that may follow is the `warning`.
pub fn severity_of(kind: EventKind) -> Severity {
    let name = kind.as_str();
    let action = name.rsplit('.').next().unwrap_or(name);
    let failure = action.ends_with("_failed")
        || action.ends_with("_refused")
        || matches!(
            action,
            "failed" | "bounced" | "rejected" | "refused" | "denied" | "held"
        )
        || matches!(name, "auth.break_glass" | "auth.mfa_reset");
    if failure {
        Severity::Warning
    } else {
        Severity::Notice
    }
}

/// The RFC 5424 message for `event`, facility `authpriv`, limit
/// [`DEFAULT_MAX_MESSAGE_LEN`]. See [`format_rfc5424_with`].
pub fn format_rfc5424(
    event: &AuditEvent,
    hostname: &str,
    app_name: &str,
) -> Result<String, FormatError> {
    format_rfc5424_with(
        event,
        Facility::Authpriv,
        hostname,
        app_name,
        DEFAULT_MAX_MESSAGE_LEN,
    )
}

/// The RFC 5424 message for `event`: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME - MSGID [SD] MSG`.
///
/// `hostname` and `app_name` are reduced to printable US-ASCII (anything else becomes `_`)
/// and cut to their RFC lengths; empty becomes `-`. The timestamp is `event.at` in UTC
/// with milliseconds, or `-` if it is outside years 0000..=9999 (the JSON keeps the exact
/// value). The event is validated; an invalid event or a message longer than
/// `max_message_len` is an error.
pub fn format_rfc5424_with(
    event: &AuditEvent,
    facility: Facility,
    hostname: &str,
    app_name: &str,
    max_message_len: usize,
) -> Result<String, FormatError> {
    let json = event
        .canonical_bytes()
        .map_err(|source| FormatError::InvalidEvent {
            seq: event.seq,
            source,
        })?;
    // Canonical JSON of valid strings is UTF-8; `from_utf8` keeps that a checked fact.
    let json = String::from_utf8(json).map_err(|_| FormatError::InvalidEvent {
        seq: event.seq,
        source: AuditError::InvalidEvent("canonical form is not UTF-8".into()),
    })?;

    let pri = u16::from(facility.code()) * 8 + u16::from(severity_of(event.kind).code());
    let kind = event.kind.as_str();
    let mut out = String::with_capacity(json.len() + 200);
    // `write!` to a String cannot fail.
    let _ = write!(
        out,
        "<{pri}>1 {} {} {} - {} [{SD_ID} seq=\"{}\" kind=\"",
        timestamp(event.at.as_millis()),
        header_field(hostname, MAX_HOSTNAME_LEN),
        header_field(app_name, MAX_APP_NAME_LEN),
        header_field(kind, MAX_MSGID_LEN),
        event.seq,
    );
    escape_param_value(kind, &mut out);
    out.push('"');
    if let Some(tenant) = &event.tenant {
        out.push_str(" tenant=\"");
        escape_param_value(&tenant.to_string(), &mut out);
        out.push('"');
    }
    out.push_str("] ");
    out.push_str(&json);
    if out.len() > max_message_len {
        return Err(FormatError::TooLong {
            len: out.len(),
            max: max_message_len,
        });
    }
    Ok(out)
}

/// The RFC 5425 §4.3 frame for a message: `MSG-LEN SP SYSLOG-MSG`, where MSG-LEN is the
/// message's length in octets. A message over `max_message_len` is refused.
pub fn frame(message: &str, max_message_len: usize) -> Result<Vec<u8>, FormatError> {
    if message.len() > max_message_len {
        return Err(FormatError::TooLong {
            len: message.len(),
            max: max_message_len,
        });
    }
    let mut out = Vec::with_capacity(message.len() + 8);
    out.extend_from_slice(message.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(message.as_bytes());
    Ok(out)
}

/// A header field (HOSTNAME, APP-NAME, MSGID): 1 to `max` PRINTUSASCII (33..=126), each
/// other character replaced by `_`; empty becomes NILVALUE.
pub(crate) fn header_field(value: &str, max: usize) -> String {
    let out: String = value
        .chars()
        .take(max)
        .map(|c| if matches!(c, '!'..='~') { c } else { '_' })
        .collect();
    if out.is_empty() { "-".to_string() } else { out }
}

/// Append a PARAM-VALUE (RFC 5424 §6.3.3): `"`, `\` and `]` are escaped with a backslash.
/// Control characters are allowed by the ABNF but would let a value forge a line in a
/// receiver that logs without framing; they become U+FFFD.
fn escape_param_value(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '"' | '\\' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// RFC 3339 UTC with milliseconds (`2026-11-29T20:00:00.123Z`), or NILVALUE when the year
/// is outside what FULL-DATE can write (4 digits).
fn timestamp(millis: i64) -> String {
    let Ok(ts) = jiff::Timestamp::from_millisecond(millis) else {
        return "-".to_string();
    };
    let dt = jiff::tz::TimeZone::UTC.to_datetime(ts);
    if dt.year() < 0 {
        return "-".to_string();
    }
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.subsec_nanosecond() / 1_000_000
    )
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use audit::{Actor, Subject};
    use model::{TenantId, Timestamp};

    use super::*;

    const TENANT: &str = "00000000-0000-0000-0000-000000000002";

    fn event(kind: EventKind) -> AuditEvent {
        AuditEvent::new(
            42,
            Timestamp::from_millis(1_796_000_000_123),
            Actor::System {
                component: "delivery".into(),
            },
            kind,
        )
        .with_tenant(TenantId::from_str(TENANT).expect("uuid"))
        .with_subject(Subject::default())
        .with_detail("attempt", 2)
    }

    #[test]
    fn a_message_has_every_rfc5424_field() {
        let e = event(EventKind::DeliveryDelivered);
        let msg = format_rfc5424(&e, "gw1.example", "carepost").expect("formats");
        let json = String::from_utf8(e.canonical_bytes().expect("valid")).expect("utf-8");
        assert_eq!(
            msg,
            format!(
                "<85>1 2026-11-30T00:53:20.123Z gw1.example carepost - delivery.delivered \
                 [carepost@32473 seq=\"42\" kind=\"delivery.delivered\" tenant=\"{TENANT}\"] \
                 {json}"
            )
        );
        // No BOM: MSG is exactly the canonical JSON, so it re-hashes to the leaf.
        let (_, body) = msg.split_once("\"] ").expect("sd end");
        assert_eq!(body.as_bytes(), e.canonical_bytes().expect("valid"));
        assert_eq!(
            audit::leaf_hash(body.as_bytes()),
            e.leaf_hash().expect("valid")
        );
    }

    #[test]
    fn pri_is_facility_times_eight_plus_severity() {
        let cases = [
            (Facility::Authpriv, EventKind::AuthLogin, 85),
            (Facility::Authpriv, EventKind::AuthLoginFailed, 84),
            (Facility::Authpriv, EventKind::AuthBreakGlass, 84),
            (Facility::Authpriv, EventKind::AuthMfaReset, 84),
            (Facility::Authpriv, EventKind::AuthPasswordChanged, 85),
            (Facility::Auth, EventKind::AuthLogin, 37),
            (Facility::Local0, EventKind::DeliveryBounced, 132),
            (Facility::Local7, EventKind::PortalOpened, 189),
        ];
        for (facility, kind, pri) in cases {
            let msg = format_rfc5424_with(&event(kind), facility, "h", "a", 4096).expect("ok");
            assert!(
                msg.starts_with(&format!("<{pri}>1 ")),
                "{facility:?} {kind}: {msg}"
            );
        }
    }

    #[test]
    fn failures_and_refusals_are_warnings() {
        for kind in EventKind::ALL {
            let expected = if matches!(
                kind.as_str(),
                "auth.login_failed"
                    | "auth.sso_failed"
                    | "auth.break_glass"
                    | "auth.mfa_reset"
                    | "api.access_refused"
                    | "portal.code_failed"
                    | "portal.access_refused"
                    | "delivery.bounced"
                    | "quarantine.held"
                    | "quarantine.rejected"
            ) {
                Severity::Warning
            } else {
                Severity::Notice
            };
            assert_eq!(severity_of(*kind), expected, "{kind}");
        }
    }

    #[test]
    fn every_kind_is_a_valid_msgid() {
        for kind in EventKind::ALL {
            let id = header_field(kind.as_str(), MAX_MSGID_LEN);
            assert_eq!(id, kind.as_str(), "{kind} would be altered as a MSGID");
        }
    }

    #[test]
    fn header_fields_are_reduced_to_printable_ascii() {
        let cases = [
            ("gw1.example", 255, "gw1.example"),
            ("", 255, "-"),
            ("a b", 255, "a_b"),
            ("a\nb\r\0", 255, "a_b__"),
            ("hôte", 255, "h_te"),
            ("\u{7f}x", 255, "_x"),
            ("[x]", 255, "[x]"),
            (&"m".repeat(40), MAX_MSGID_LEN, &"m".repeat(32)),
        ];
        for (input, max, expected) in cases {
            assert_eq!(header_field(input, max), expected, "{input:?}");
        }
        let msg = format_rfc5424(&event(EventKind::AuthLogin), "bad host\n<13>1", "app name")
            .expect("formats");
        assert!(msg.starts_with("<85>1 2026-11-30T00:53:20.123Z bad_host_<13>1 app_name - "));
    }

    #[test]
    fn param_values_are_escaped() {
        let cases = [
            ("plain", "plain"),
            ("a\"b", "a\\\"b"),
            ("a\\b", "a\\\\b"),
            ("a]b", "a\\]b"),
            ("\"]\\", "\\\"\\]\\\\"),
            ("line\nbreak", "line\u{FFFD}break"),
            ("üñï", "üñï"),
        ];
        for (input, expected) in cases {
            let mut out = String::new();
            escape_param_value(input, &mut out);
            assert_eq!(out, expected, "{input:?}");
        }
    }

    #[test]
    fn timestamps_are_utc_with_milliseconds() {
        let cases = [
            (0, "1970-01-01T00:00:00.000Z"),
            (1_796_000_000_123, "2026-11-30T00:53:20.123Z"),
            (1_796_000_000_009, "2026-11-30T00:53:20.009Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"),
            (-62_167_219_200_001, "-"),
            (253_370_764_800_000, "9999-01-01T00:00:00.000Z"),
            // Past jiff's range (which ends a day early, to allow any offset) and 9999.
            (253_402_300_800_000, "-"),
            (i64::MIN, "-"),
            (i64::MAX, "-"),
        ];
        for (millis, expected) in cases {
            assert_eq!(timestamp(millis), expected, "{millis}");
        }
    }

    #[test]
    fn an_event_without_a_tenant_has_no_tenant_param() {
        let mut e = event(EventKind::AdminConfigChanged);
        e.tenant = None;
        let msg = format_rfc5424(&e, "h", "a").expect("formats");
        assert!(msg.contains("[carepost@32473 seq=\"42\" kind=\"admin.config_changed\"] {"));
    }

    #[test]
    fn an_invalid_event_is_refused_naming_its_seq() {
        let e = event(EventKind::AuthLogin).with_detail("note", "free text with spaces");
        let err = format_rfc5424(&e, "h", "a").expect_err("invalid");
        assert!(
            matches!(err, FormatError::InvalidEvent { seq: 42, .. }),
            "{err}"
        );
        assert!(!err.to_string().contains("free text"));
    }

    #[test]
    fn frames_count_octets_not_characters() {
        assert_eq!(frame("abc", 10).expect("ok"), b"3 abc");
        assert_eq!(frame("", 10).expect("ok"), b"0 ");
        assert_eq!(frame("é", 10).expect("ok"), "2 é".as_bytes());
        let msg = format_rfc5424(&event(EventKind::AuthLogin), "h", "a").expect("ok");
        let framed = frame(&msg, DEFAULT_MAX_MESSAGE_LEN).expect("ok");
        let (len, rest) = framed.split_at(framed.iter().position(|b| *b == b' ').expect("sp"));
        let len: usize = std::str::from_utf8(len)
            .expect("ascii")
            .parse()
            .expect("digits");
        assert_eq!(len, rest.len() - 1);
        assert_eq!(&rest[1..], msg.as_bytes());
    }

    #[test]
    fn messages_over_the_limit_are_refused_not_truncated() {
        assert_eq!(
            frame("abcd", 3),
            Err(FormatError::TooLong { len: 4, max: 3 })
        );
        assert!(frame("abc", 3).is_ok());
        let e = event(EventKind::AuthLogin);
        let len = format_rfc5424(&e, "h", "a").expect("ok").len();
        assert!(format_rfc5424_with(&e, Facility::Authpriv, "h", "a", len).is_ok());
        assert_eq!(
            format_rfc5424_with(&e, Facility::Authpriv, "h", "a", len - 1),
            Err(FormatError::TooLong { len, max: len - 1 })
        );
        // The largest event the schema admits still fits the default limit.
        let mut big = event(EventKind::AuthLogin);
        for i in 0..audit::MAX_DETAILS {
            let items: Vec<String> = (0..audit::MAX_DETAIL_ARRAY_LEN)
                .map(|_| "t".repeat(audit::MAX_TOKEN_LEN))
                .collect();
            big = big.with_detail(&format!("k{i:0>39}"), items);
        }
        let msg = format_rfc5424(&big, &"h".repeat(255), &"a".repeat(48));
        assert!(
            msg.is_err(),
            "a maximal event is over 64 KiB, which is refused"
        );
    }
}
