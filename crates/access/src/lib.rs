//! Conditional access: decides whether a sign-in, or a later use of a session, is
//! allowed, needs step-up authentication, or is denied (issue 6, "Identity and
//! zero-trust access").
//!
//! # What it does
//!
//! - Parses an operator's [`AccessPolicy`] from TOML: per-role rules that allow or deny by
//!   IP range (CIDR, IPv4 and IPv6), by country (ISO 3166-1 alpha-2), and by time window
//!   (days and hours in a named time zone or a fixed UTC offset), plus global settings
//!   for step-up on a new device and the impossible-travel speed.
//! - [`AccessPolicy::evaluate`] turns a [`SignInContext`] into a [`Decision`]: an
//!   [`Outcome`] (deny beats step-up beats allow), every [`Reason`] as a stable token, the
//!   names of the rules that fired, and whether to raise an alert.
//! - [`AccessPolicy::on_use`] compares the [`SessionFingerprint`] a session was issued
//!   with against the one presenting it now: a session cookie replayed from another
//!   network and device, or from another country, needs step-up (token replay defence).
//! - [`geo::GeoDb`] (the only module that touches the filesystem) reads the country and
//!   coordinates of an address from a MaxMind-format `.mmdb` file the operator supplies
//!   (GeoLite2-Country / GeoLite2-City layout, or DB-IP Lite in the same layout).
//!
//! # The policy document
//!
//! Every `[[rule]]` applies to the roles it lists (all roles when `roles` is left out);
//! a rule denies when any of its checks fails. Leave a list out (or empty) to skip that
//! check. `hours` windows are `[from, to)`; a window with `to` before `from` runs past
//! midnight and belongs to the day it starts on. Give `time_zone` (IANA name) or
//! `utc_offset` (`-05:00`); with neither, UTC.
//!
//! ```
//! use access::{AccessPolicy, Outcome, Reason, SignInContext};
//! use model::{Role, Timestamp};
//!
//! let policy = AccessPolicy::parse(r#"
//!     [[rule]]
//!     name = "office-only-for-admins"
//!     roles = ["owner", "admin"]
//!     allow_ip = ["10.0.0.0/8", "2001:db8:10::/48"]
//!     allow_countries = ["US"]
//!     hours = { days = ["mon","tue","wed","thu","fri"], from = "07:00", to = "19:00", time_zone = "America/New_York" }
//!
//!     [settings]
//!     step_up_on_new_device = true
//!     step_up_on_session_replay = true
//!     impossible_travel_kmh = 900
//! "#)?;
//!
//! let sign_in = SignInContext {
//!     role: Role::Admin,
//!     ip: "203.0.113.7".parse()?,
//!     country: Some("US".to_string()),
//!     location: None,
//!     device_known: true,
//!     at: Timestamp::from_millis(1_796_050_800_000), // Monday 2026-11-30 10:00 New York
//!     previous: None,
//! };
//! let decision = policy.evaluate(&sign_in);
//! assert_eq!(decision.outcome, Outcome::Deny);
//! assert_eq!(decision.reasons, [Reason::IpNotAllowed]);
//! assert_eq!(decision.rules, ["office-only-for-admins"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What it does not do
//!
//! - No I/O outside [`geo`], no clock (the caller passes times), no storage: the caller
//!   keeps the previous sign-in and the session fingerprint, and writes the audit event.
//! - It does not authenticate anyone or perform the step-up; it only says when one is
//!   needed.
//! - It ships no geolocation data and downloads none.
//!
//! # Security posture
//!
//! - Fail closed. A rule that names countries denies when the country is unknown
//!   ([`Reason::UnknownCountry`]); a rule with an IP allow-list denies every address
//!   outside it; a policy document with an unknown field, a bad CIDR, an unknown country
//!   code form, day, time or time zone is rejected as a whole, with its line and column,
//!   rather than half-applied.
//! - IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are matched as the IPv4 address, so a
//!   v4 deny-list cannot be sidestepped by the mapped form.
//! - Impossible travel always denies and raises an alert, even with no policy document.
//! - Every input is bounded: a policy document over [`MAX_POLICY_BYTES`] is refused.
//!
//! # Personal data
//!
//! IP addresses, coordinates and countries of sign-ins are personal data. They flow in
//! through [`SignInContext`] and [`SessionFingerprint`] and out only as the caller's own
//! values; this crate never logs them, never puts them in an error, and never returns
//! them inside a [`Decision`]. Decisions carry only [`Reason`] tokens and operator rule
//! names (validated as short tokens), so they can go straight into an audit event. The
//! user-agent is kept only as a SHA-256 digest in a fingerprint.

#![forbid(unsafe_code)]

pub mod geo;
mod policy;
mod replay;
mod travel;

pub use policy::{
    AccessPolicy, Decision, MAX_POLICY_BYTES, Outcome, PolicyError, PreviousSignIn, Reason,
    SignInContext,
};
pub use replay::{SessionFingerprint, UseDecision, UseOutcome};
pub use travel::great_circle_km;
