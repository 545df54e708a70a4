//! The server side of SMTP submission as a pure state machine: bytes in, [`Action`]s and
//! reply bytes out.
//!
//! **What it does:** frames command lines, parses commands and ESMTP parameters, keeps the
//! protocol state (`ExpectEhlo`, `ExpectMailFrom`, `ExpectRcptOrData`, `ExpectDataEnd`,
//! `ExpectAuthResponse`, and the `Await*` states where it waits for the adapter), receives
//! the DATA body with dot-unstuffing, enforces the limits in [`SessionConfig`], and produces
//! every reply with an enhanced status code.
//!
//! **What it does not do:** no I/O, no async runtime, no clock, no TLS, no credential
//! checks, no sender policy, no queueing. Whenever a decision needs the outside world it
//! returns an [`Action`] and waits for the adapter's answer:
//!
//! | Action | Adapter answers with |
//! |---|---|
//! | [`Action::NeedInput`] | write [`Session::output`], read, [`Session::feed`] |
//! | [`Action::VerifyAuth`] | [`Session::auth_verified`] |
//! | [`Action::CheckSender`] | [`Session::sender_checked`] |
//! | [`Action::Deliver`] | [`Session::delivered`] |
//! | [`Action::StartTls`] | write output, handshake, [`Session::tls_established`] |
//! | [`Action::Close`] | write output, close |
//!
//! ```
//! use std::sync::Arc;
//! use smtp_session::{Action, ConnectionInfo, Reply, Session, SessionConfig, TrustedClient};
//!
//! let conn = ConnectionInfo {
//!     tls: true,
//!     starttls_available: false,
//!     trusted: Some(TrustedClient::default()),
//! };
//! let mut s = Session::new(Arc::new(SessionConfig::default()), conn);
//! s.feed(b"EHLO scanner\r\nMAIL FROM:<scan@clinic.example>\r\n");
//! assert!(matches!(s.poll(), Action::CheckSender(Some(_))));
//! s.sender_checked(Ok(()));
//! s.feed(b"RCPT TO:<dr@example.org>\r\nDATA\r\nhi\r\n.\r\n");
//! let Action::Deliver(delivery) = s.poll() else { panic!("expected a message") };
//! assert_eq!(delivery.data, b"hi\r\n");
//! s.delivered(Reply::queued("0190"));
//! assert!(matches!(s.poll(), Action::NeedInput));
//! assert!(s.output().ends_with(b"250 2.0.0 Ok: queued as 0190\r\n"));
//! ```
//!
//! **Security:** runs inside the network-facing gateway process and trusts nothing it
//! reads. Defences built in here:
//! - *SMTP smuggling*: only `<CR><LF>.<CR><LF>` ends DATA; any bare CR, bare LF or NUL in a
//!   body gets the message refused (`554 5.6.0`) after the real end, and nothing after a
//!   fake end is ever read as a command (see the `data` module).
//! - *Command framing*: command lines must end in CRLF and hold no other CR, LF or NUL
//!   (`500 5.5.2`).
//! - *STARTTLS injection* (CVE-2011-0411): input after the STARTTLS line is discarded and
//!   the session restarts at `ExpectEhlo` once TLS is up.
//! - *No open relay*: MAIL needs AUTH (only offered under TLS) or a trusted-network client
//!   ([`ConnectionInfo::trusted`]), which in turn needs TLS unless its entry says
//!   `insecure_allow_plaintext`. RCPT needs an accepted MAIL.
//! - *Limits*: line lengths, message size, recipients, error count, AUTH attempts
//!   ([`SessionConfig`]). Input is buffered only up to one command line.
//!
//! **Standards:** RFC 5321 (sections 2.3.8 line endings, 3.5.3 VRFY, 4.1.1 commands, 4.1.4
//! order, 4.5.2 transparency, 4.5.3.1 limits), RFC 1870 SIZE, RFC 2034 and RFC 3463 enhanced
//! codes (greeting, EHLO/HELO and 334/354 replies carry none, per RFC 2034 section 3),
//! RFC 2920 PIPELINING, RFC 3207 STARTTLS (section 4.2 state reset), RFC 4954 AUTH, RFC 4616
//! PLAIN, RFC 6152 8BITMIME, RFC 6531 SMTPUTF8, RFC 8314 (no AUTH before TLS). CHUNKING
//! (BDAT) is not offered.
//!
//! **PHI:** message bodies and addresses pass through in memory only, handed to the adapter
//! in [`Action::Deliver`] and [`Action::CheckSender`]. [`Secret`] redacts passwords in
//! `Debug`; `EmailAddress`'s `Debug` hides local parts. Nothing here logs.
//!
//! **Errors:** everything a peer can cause becomes a [`Reply`] (with its class, 4xx or 5xx,
//! and enhanced code), never a panic or an `Err`. Parse failures are internal values mapped
//! to precise replies. Adapter misuse (answering an action that was not asked) is a
//! `debug_assert!` and fails closed with `421` in release.

mod command;
mod config;
mod data;
mod reply;
mod session;

pub use config::{ConnectionInfo, SessionConfig, TrustedClient};
pub use reply::Reply;
pub use session::{
    Action, AuthMechanism, AuthRequest, AuthVerdict, Delivery, Secret, Session, Transaction,
};

#[cfg(test)]
mod tests;
