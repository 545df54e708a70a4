//! Text messages (SMS): validated phone numbers, the [`SmsSender`] trait, and a
//! Twilio-compatible HTTPS adapter ([`twilio::TwilioSender`]).
//!
//! **What it does:** [`PhoneNumber::parse`] accepts a number in E.164 form (`+` and 8 to
//! 15 digits, ITU-T E.164 §6) and nothing else; [`SmsSender::send`] hands one text to a
//! provider and returns the provider's id for it. The adapter speaks the Twilio Messages
//! API (`POST {api_base}/2010-04-01/Accounts/{sid}/Messages.json`), which several other
//! providers also accept; `api_base` is configurable for them and for tests.
//!
//! **What it does not do:** no delivery receipts, no queueing or retries (the caller
//! decides: [`SmsError::is_temporary`] says whether a retry can help), no inbound SMS. It
//! does not know what it sends: the portal's codes today, secure links later.
//!
//! **Security:** runs in the process that sends codes (the portal's web process). It holds
//! the provider's auth token (read from a file by the binary, kept in a zeroizing
//! buffer, never printed by `Debug`). TLS is always on and always verified (rustls with the
//! platform's roots plus any extra roots the operator names); plain `http://` is refused;
//! redirects are not followed (they could carry the credentials elsewhere); every request
//! has a timeout and the provider's reply is read to at most [`twilio::MAX_REPLY_BYTES`].
//!
//! **PHI:** a phone number identifies a patient. [`PhoneNumber`]'s `Debug` prints
//! `[redacted]` and it has no `Display`; [`SmsError`] never holds the number, the text, or
//! the provider's own error message (Twilio's repeats the number); it holds HTTP statuses
//! and the provider's numeric error code only.
//!
//! **Errors:** [`SmsError`] keeps our refusals (a bad text, a bad setting), transport
//! faults (unreachable, a refused certificate, a timeout), the provider's refusals
//! (credentials, the message, rate limits), provider outages and malformed replies apart.

pub mod twilio;

use async_trait::async_trait;

/// Longest text we hand to a provider, in characters (Twilio's limit; the provider splits
/// it into segments).
pub const MAX_BODY_CHARS: usize = 1600;

/// A phone number in E.164 form (`+15555550123`). PHI: `Debug` redacts it and there is no
/// `Display`; use [`PhoneNumber::as_e164`] where the number must go (the provider) and
/// [`PhoneNumber::masked`] where a person may see a hint of it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

/// The text given to [`PhoneNumber::parse`] is not an E.164 number. Says nothing about
/// the text (it may be PHI).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a phone number in E.164 form (+ and 8 to 15 digits, not starting with 0)")]
pub struct InvalidNumber;

impl PhoneNumber {
    /// Parse a number in E.164 form. Spaces, hyphens, dots and parentheses between the
    /// digits are ignored (`+1 (555) 555-0123`); anything else is refused, as is a
    /// national number without `+` and a country code (we cannot guess the country).
    pub fn parse(text: &str) -> Result<Self, InvalidNumber> {
        let text = text.trim();
        let rest = text.strip_prefix('+').ok_or(InvalidNumber)?;
        let mut digits = String::with_capacity(16);
        digits.push('+');
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(InvalidNumber),
            }
        }
        let n = digits.len() - 1;
        // Country codes never start with 0 (E.164 §6.2.1).
        if !(8..=15).contains(&n) || digits.as_bytes()[1] == b'0' {
            return Err(InvalidNumber);
        }
        Ok(Self(digits))
    }

    /// The number as the provider wants it: `+` and digits.
    pub fn as_e164(&self) -> &str {
        &self.0
    }

    /// The last two digits, the most a page may show ("the number ending 23").
    pub fn last_two(&self) -> &str {
        &self.0[self.0.len() - 2..]
    }

    /// The number hidden but for its last two digits: `•••• •• 23`.
    pub fn masked(&self) -> String {
        format!("•••• •• {}", self.last_two())
    }
}

impl std::fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PhoneNumber([redacted])")
    }
}

/// The provider's id for a text it accepted (Twilio's `SM…` sid): for the audit trail and
/// for matching delivery receipts later. Not PHI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderMessageId(String);

impl ProviderMessageId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ProviderMessageId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a transport fault happened (never the provider's answer: that has a status).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// No connection (refused, unreachable, DNS).
    Connect,
    /// The provider's certificate was refused (untrusted, expired, wrong name).
    Certificate,
    /// The request or the reply took longer than the timeout.
    Timeout,
    /// The connection broke during the exchange.
    Broken,
}

impl Transport {
    fn as_str(self) -> &'static str {
        match self {
            Transport::Connect => "no connection",
            Transport::Certificate => "its TLS certificate was refused",
            Transport::Timeout => "timed out",
            Transport::Broken => "the connection broke",
        }
    }
}

/// Why a text was not sent. No variant holds the number, the text or the provider's own
/// error message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    /// The text is empty or longer than [`MAX_BODY_CHARS`] (our limit; nothing was sent).
    #[error("the text is empty or longer than {MAX_BODY_CHARS} characters")]
    BodyRejected,
    /// A setting is wrong (our configuration; nothing was sent).
    #[error("SMS provider setting: {0}")]
    Config(String),
    /// The provider could not be reached, or the exchange broke off.
    #[error("SMS provider unreachable: {}", .0.as_str())]
    Unreachable(Transport),
    /// The provider refused our credentials (HTTP 401 or 403): a configuration fault.
    #[error("SMS provider refused our credentials (HTTP {status})")]
    Unauthorized {
        /// The HTTP status.
        status: u16,
    },
    /// The provider refused this message (HTTP 4xx other than 401, 403 and 429): e.g. a
    /// number it cannot reach (Twilio code 21211, 21614) or a body it will not carry.
    #[error("SMS provider refused the message (HTTP {status}, provider code {})", code.map_or_else(|| "none".to_string(), |c| c.to_string()))]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// The provider's numeric error code, when its reply has one.
        code: Option<i64>,
    },
    /// The provider asks us to slow down (HTTP 429).
    #[error("SMS provider is rate limiting us (HTTP 429)")]
    RateLimited,
    /// The provider failed (HTTP 5xx).
    #[error("SMS provider failed (HTTP {status})")]
    ProviderFailed {
        /// The HTTP status.
        status: u16,
    },
    /// The provider answered success without a usable message id, or with a status we do
    /// not expect (1xx, 3xx).
    #[error("SMS provider's reply is malformed (HTTP {status})")]
    MalformedReply {
        /// The HTTP status.
        status: u16,
    },
    /// The provider's reply is larger than we read.
    #[error("SMS provider's reply is larger than {0} bytes")]
    ReplyTooLarge(usize),
}

impl SmsError {
    /// Whether sending again later may work (the provider was unreachable, slow, busy or
    /// failing). A refused message or a bad setting fails the same way again.
    pub fn is_temporary(&self) -> bool {
        match self {
            SmsError::Unreachable(t) => *t != Transport::Certificate,
            SmsError::RateLimited | SmsError::ProviderFailed { .. } => true,
            SmsError::BodyRejected
            | SmsError::Config(_)
            | SmsError::Unauthorized { .. }
            | SmsError::Rejected { .. }
            | SmsError::MalformedReply { .. }
            | SmsError::ReplyTooLarge(_) => false,
        }
    }
}

/// Something that sends texts.
#[async_trait]
pub trait SmsSender: Send + Sync {
    /// Send `body` to `to`; the provider's id for it on success. Implementations check the
    /// body against [`MAX_BODY_CHARS`] and never log the number or the body.
    async fn send(&self, to: &PhoneNumber, body: &str) -> Result<ProviderMessageId, SmsError>;
}

/// Refuse a body that is empty or too long (shared by the adapters).
pub fn check_body(body: &str) -> Result<(), SmsError> {
    if body.trim().is_empty() || body.chars().count() > MAX_BODY_CHARS {
        return Err(SmsError::BodyRejected);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_numbers_are_accepted_with_common_separators() {
        for (text, e164) in [
            ("+15555550123", "+15555550123"),
            (" +1 (555) 555-0123 ", "+15555550123"),
            ("+44 20 7946 0958", "+442079460958"),
            ("+49.30.1234567", "+49301234567"),
            ("+12345678", "+12345678"),
            ("+123456789012345", "+123456789012345"),
        ] {
            let n = PhoneNumber::parse(text).expect(text);
            assert_eq!(n.as_e164(), e164);
        }
    }

    #[test]
    fn anything_but_e164_is_refused() {
        for text in [
            "",
            "+",
            "5555550123",
            "001 555 555 0123",
            "+1234567",
            "+1234567890123456",
            "+05555550123",
            "+1555555O123",
            "+1555 555 0123 ext 4",
            "+1555\n5550123",
            "+1555,5550123",
            "tel:+15555550123",
            "++15555550123",
            "+١٢٣٤٥٦٧٨٩",
        ] {
            assert_eq!(PhoneNumber::parse(text), Err(InvalidNumber), "{text:?}");
        }
    }

    #[test]
    fn a_number_shows_only_its_last_two_digits() {
        let n = PhoneNumber::parse("+15555550123").expect("number");
        assert_eq!(n.last_two(), "23");
        assert_eq!(n.masked(), "•••• •• 23");
        assert!(!n.masked().contains("555"));
        assert_eq!(format!("{n:?}"), "PhoneNumber([redacted])");
    }

    #[test]
    fn bodies_must_be_present_and_bounded() {
        assert_eq!(check_body("Your code is 123456"), Ok(()));
        assert_eq!(check_body("  "), Err(SmsError::BodyRejected));
        assert_eq!(check_body(&"x".repeat(1601)), Err(SmsError::BodyRejected));
        assert_eq!(check_body(&"é".repeat(1600)), Ok(()));
    }

    #[test]
    fn retry_advice_follows_who_is_at_fault() {
        assert!(SmsError::Unreachable(Transport::Timeout).is_temporary());
        assert!(SmsError::ProviderFailed { status: 503 }.is_temporary());
        assert!(SmsError::RateLimited.is_temporary());
        assert!(!SmsError::Unreachable(Transport::Certificate).is_temporary());
        assert!(!SmsError::Unauthorized { status: 401 }.is_temporary());
        assert!(
            !SmsError::Rejected {
                status: 400,
                code: Some(21211)
            }
            .is_temporary()
        );
    }
}
