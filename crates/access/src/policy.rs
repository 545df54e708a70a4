//! The policy document, the sign-in context and [`AccessPolicy::evaluate`].

use std::fmt;
use std::net::IpAddr;
use std::ops::Range;

use ipnet::IpNet;
use jiff::civil::Weekday;
use jiff::tz::{Offset, TimeZone};
use model::{Role, Timestamp};
use serde::Deserialize;
use toml::Spanned;

use crate::travel;

/// The largest policy document accepted, in bytes.
pub const MAX_POLICY_BYTES: usize = 256 * 1024;

/// Longest rule name (rule names go into audit events as tokens).
const MAX_RULE_NAME: usize = 64;

/// Why a sign-in or a session use was not simply allowed. Each has a stable token for
/// audit events ([`Reason::as_str`]); none carries an address, a place or free text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// The address is outside a rule's `allow_ip` ranges.
    IpNotAllowed,
    /// The address is inside a rule's `deny_ip` ranges.
    IpDenied,
    /// The country is in a rule's `deny_countries`.
    CountryDenied,
    /// The country is not in a rule's `allow_countries`.
    CountryNotAllowed,
    /// A rule names countries and the country of the address is unknown.
    UnknownCountry,
    /// Outside a rule's time window.
    OutsideHours,
    /// The device has not been seen for this user before.
    NewDevice,
    /// The distance from the previous sign-in cannot be covered in the time elapsed.
    ImpossibleTravel,
    /// A session is used from another network and another device than it was issued to.
    SessionReplay,
    /// A session is used from another country than it was issued in.
    SessionCountryChanged,
}

impl Reason {
    /// The stable token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::IpNotAllowed => "ip_not_allowed",
            Self::IpDenied => "ip_denied",
            Self::CountryDenied => "country_denied",
            Self::CountryNotAllowed => "country_not_allowed",
            Self::UnknownCountry => "unknown_country",
            Self::OutsideHours => "outside_hours",
            Self::NewDevice => "new_device",
            Self::ImpossibleTravel => "impossible_travel",
            Self::SessionReplay => "session_replay",
            Self::SessionCountryChanged => "session_country_changed",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// What to do with a sign-in. Ordered: `Deny` beats `StepUp` beats `Allow`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// Let it through.
    Allow,
    /// Require a second factor (again) before letting it through.
    StepUp,
    /// Refuse.
    Deny,
}

impl Outcome {
    /// The stable token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::StepUp => "step_up",
            Self::Deny => "deny",
        }
    }
}

/// The result of [`AccessPolicy::evaluate`], ready for an audit event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The strictest outcome any check asked for.
    pub outcome: Outcome,
    /// Every reason found, sorted and without duplicates; empty when allowed outright.
    pub reasons: Vec<Reason>,
    /// Names of the policy rules that denied, in document order.
    pub rules: Vec<String>,
    /// Whether security staff should be alerted (impossible travel).
    pub alert: bool,
}

/// The previous successful sign-in of the same user. Holds personal data: `Debug`
/// prints only the time.
#[derive(Clone, PartialEq)]
pub struct PreviousSignIn {
    /// When it happened.
    pub at: Timestamp,
    /// Where, as `(latitude, longitude)` in degrees, if known.
    pub location: Option<(f64, f64)>,
    /// ISO 3166-1 alpha-2 country, if known. Not used by the travel check (neighbouring
    /// countries can be minutes apart); carried for the caller's records.
    pub country: Option<String>,
    /// From which address. Not used by the checks; carried for the caller's records.
    pub ip: IpAddr,
}

impl fmt::Debug for PreviousSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreviousSignIn")
            .field("at", &self.at)
            .finish_non_exhaustive()
    }
}

/// Everything [`AccessPolicy::evaluate`] looks at. Holds personal data: keep it out of
/// logs (`Debug` prints only the role, the device flag and the time).
#[derive(Clone, PartialEq)]
pub struct SignInContext {
    /// The role of the user signing in.
    pub role: Role,
    /// The client address.
    pub ip: IpAddr,
    /// ISO 3166-1 alpha-2 country of `ip`, if known (e.g. from [`crate::geo::GeoDb`]).
    pub country: Option<String>,
    /// `(latitude, longitude)` in degrees of `ip`, if known.
    pub location: Option<(f64, f64)>,
    /// Whether this device has signed in as this user before.
    pub device_known: bool,
    /// When the sign-in happens.
    pub at: Timestamp,
    /// The previous successful sign-in, if any.
    pub previous: Option<PreviousSignIn>,
}

impl fmt::Debug for SignInContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignInContext")
            .field("role", &self.role)
            .field("device_known", &self.device_known)
            .field("at", &self.at)
            .finish_non_exhaustive()
    }
}

/// Why a policy document was rejected. Line and column are 1-based; messages never
/// echo request data, only the document's own text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// The document is larger than [`MAX_POLICY_BYTES`].
    #[error("policy document is {0} bytes, over the limit of {MAX_POLICY_BYTES}")]
    TooLarge(usize),
    /// Not valid TOML, or not the expected shape (unknown field, wrong type, …).
    #[error("policy line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// Well-formed but meaningless, e.g. a bad CIDR or an unknown time zone.
    #[error("policy line {line}, column {column}: {message}")]
    Invalid {
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

/// Conditional-access policy: rules plus global settings.
///
/// [`AccessPolicy::default`] (no document) has no rules: it allows everything except
/// impossible travel (deny and alert at 900 km/h) and steps up on a new device.
#[derive(Clone, Debug)]
pub struct AccessPolicy {
    rules: Vec<Rule>,
    step_up_on_new_device: bool,
    step_up_on_session_replay: bool,
    impossible_travel_kmh: f64,
}

impl Default for AccessPolicy {
    fn default() -> Self {
        Self {
            rules: Vec::new(),
            step_up_on_new_device: true,
            step_up_on_session_replay: true,
            impossible_travel_kmh: DEFAULT_TRAVEL_KMH,
        }
    }
}

const DEFAULT_TRAVEL_KMH: f64 = 900.0;

#[derive(Clone, Debug)]
struct Rule {
    name: String,
    /// Empty: every role.
    roles: Vec<Role>,
    allow_ip: Vec<IpNet>,
    deny_ip: Vec<IpNet>,
    allow_countries: Vec<String>,
    deny_countries: Vec<String>,
    hours: Option<Hours>,
}

#[derive(Clone, Debug)]
struct Hours {
    days: [bool; 7],
    /// Minutes after midnight.
    from: u16,
    to: u16,
    tz: TimeZone,
}

// ── The document as written ────────────────────────────────────────────────────────

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    #[serde(default)]
    rule: Vec<RuleDoc>,
    #[serde(default)]
    settings: Option<SettingsDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDoc {
    name: Spanned<String>,
    #[serde(default)]
    roles: Vec<Role>,
    #[serde(default)]
    allow_ip: Vec<Spanned<String>>,
    #[serde(default)]
    deny_ip: Vec<Spanned<String>>,
    #[serde(default)]
    allow_countries: Vec<Spanned<String>>,
    #[serde(default)]
    deny_countries: Vec<Spanned<String>>,
    #[serde(default)]
    hours: Option<HoursDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HoursDoc {
    days: Vec<Spanned<String>>,
    from: Spanned<String>,
    to: Spanned<String>,
    #[serde(default)]
    time_zone: Option<Spanned<String>>,
    #[serde(default)]
    utc_offset: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsDoc {
    #[serde(default = "yes")]
    step_up_on_new_device: bool,
    #[serde(default = "yes")]
    step_up_on_session_replay: bool,
    #[serde(default)]
    impossible_travel_kmh: Option<Spanned<f64>>,
}

fn yes() -> bool {
    true
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

struct Ctx<'a> {
    text: &'a str,
}

impl Ctx<'_> {
    fn invalid(&self, span: Range<usize>, message: String) -> PolicyError {
        let (line, column) = line_col(self.text, span.start);
        PolicyError::Invalid {
            line,
            column,
            message,
        }
    }

    fn nets(&self, items: Vec<Spanned<String>>) -> Result<Vec<IpNet>, PolicyError> {
        items
            .into_iter()
            .map(|item| {
                let span = item.span();
                let text = item.into_inner();
                parse_net(&text).ok_or_else(|| {
                    self.invalid(span, format!("`{text}` is not an IP address or CIDR range"))
                })
            })
            .collect()
    }

    fn countries(&self, items: Vec<Spanned<String>>) -> Result<Vec<String>, PolicyError> {
        items
            .into_iter()
            .map(|item| {
                let span = item.span();
                let text = item.into_inner();
                if text.len() == 2 && text.bytes().all(|b| b.is_ascii_alphabetic()) {
                    Ok(text.to_ascii_uppercase())
                } else {
                    Err(self.invalid(
                        span,
                        format!("`{text}` is not an ISO 3166-1 alpha-2 country code"),
                    ))
                }
            })
            .collect()
    }

    fn hours(&self, doc: HoursDoc) -> Result<Hours, PolicyError> {
        let mut days = [false; 7];
        if doc.days.is_empty() {
            return Err(self.invalid(doc.from.span(), "`days` is empty".to_string()));
        }
        for day in doc.days {
            let Some(index) = day_index(day.get_ref()) else {
                return Err(self.invalid(
                    day.span(),
                    format!("`{}` is not a day (mon, tue, …, sun)", day.get_ref()),
                ));
            };
            days[index] = true;
        }
        let from = self.minutes(&doc.from)?;
        let to = self.minutes(&doc.to)?;
        if from == to {
            return Err(self.invalid(
                doc.to.span(),
                "`from` and `to` are equal; leave `hours` out for all day".to_string(),
            ));
        }
        let tz = match (doc.time_zone, doc.utc_offset) {
            (Some(name), None) => TimeZone::get(name.get_ref()).map_err(|_| {
                self.invalid(
                    name.span(),
                    format!("`{}` is not a known IANA time zone", name.get_ref()),
                )
            })?,
            (None, Some(offset)) => {
                let seconds = parse_offset(offset.get_ref()).ok_or_else(|| {
                    self.invalid(
                        offset.span(),
                        format!("`{}` is not a UTC offset like -05:00", offset.get_ref()),
                    )
                })?;
                let offset_value = Offset::from_seconds(seconds).map_err(|_| {
                    self.invalid(offset.span(), "UTC offset out of range".to_string())
                })?;
                TimeZone::fixed(offset_value)
            }
            (None, None) => TimeZone::UTC,
            (Some(name), Some(_)) => {
                return Err(self.invalid(
                    name.span(),
                    "give `time_zone` or `utc_offset`, not both".to_string(),
                ));
            }
        };
        Ok(Hours { days, from, to, tz })
    }

    fn minutes(&self, text: &Spanned<String>) -> Result<u16, PolicyError> {
        parse_hhmm(text.get_ref()).ok_or_else(|| {
            self.invalid(
                text.span(),
                format!("`{}` is not a time like 07:30", text.get_ref()),
            )
        })
    }
}

/// `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128). Host bits must be
/// zero, so a typo such as `10.1.2.3/8` is caught rather than silently widened.
fn parse_net(text: &str) -> Option<IpNet> {
    if text.contains('/') {
        let net: IpNet = text.parse().ok()?;
        (net.trunc() == net).then(|| canonical_net(net))
    } else {
        let ip: IpAddr = text.parse().ok()?;
        Some(canonical_net(IpNet::from(ip)))
    }
}

/// `::ffff:a.b.c.d/n` (n ≥ 96) as the IPv4 range, matching how addresses are compared.
fn canonical_net(net: IpNet) -> IpNet {
    if let IpNet::V6(v6) = net
        && let Some(v4) = v6.addr().to_ipv4_mapped()
        && v6.prefix_len() >= 96
        && let Ok(n) = ipnet::Ipv4Net::new(v4, v6.prefix_len() - 96)
    {
        return IpNet::V4(n);
    }
    net
}

fn day_index(text: &str) -> Option<usize> {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .position(|d| d.eq_ignore_ascii_case(text))
}

fn weekday_index(day: Weekday) -> usize {
    match day {
        Weekday::Monday => 0,
        Weekday::Tuesday => 1,
        Weekday::Wednesday => 2,
        Weekday::Thursday => 3,
        Weekday::Friday => 4,
        Weekday::Saturday => 5,
        Weekday::Sunday => 6,
    }
}

/// `HH:MM`, 00:00 to 23:59, or `24:00` for the end of the day.
fn parse_hhmm(text: &str) -> Option<u16> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    match (h, m) {
        (24, 0) => Some(24 * 60),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

/// `+HH:MM` / `-HH:MM` (or `Z`) to seconds east of UTC.
fn parse_offset(text: &str) -> Option<i32> {
    if text == "Z" {
        return Some(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, text.get(1..)?),
        b'-' => (-1, text.get(1..)?),
        _ => return None,
    };
    let minutes = parse_hhmm(rest)?;
    if minutes > 18 * 60 {
        return None;
    }
    Some(sign * i32::from(minutes) * 60)
}

impl AccessPolicy {
    /// Parses a TOML policy document (see the crate docs for the shape). Rejects unknown
    /// fields and bad values with their line and column.
    pub fn parse(text: &str) -> Result<AccessPolicy, PolicyError> {
        if text.len() > MAX_POLICY_BYTES {
            return Err(PolicyError::TooLarge(text.len()));
        }
        let doc: Doc = toml::from_str(text).map_err(|e| {
            let (line, column) = line_col(text, e.span().map_or(0, |s| s.start));
            PolicyError::Syntax {
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        let cx = Ctx { text };
        let mut rules = Vec::with_capacity(doc.rule.len());
        for r in doc.rule {
            let name_span = r.name.span();
            let name = r.name.into_inner();
            if name.is_empty()
                || name.len() > MAX_RULE_NAME
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
            {
                return Err(cx.invalid(
                    name_span,
                    format!(
                        "rule name must be 1 to {MAX_RULE_NAME} characters of a-z, 0-9, '-', '_', '.'"
                    ),
                ));
            }
            if rules.iter().any(|x: &Rule| x.name == name) {
                return Err(cx.invalid(name_span, format!("duplicate rule name `{name}`")));
            }
            rules.push(Rule {
                name,
                roles: r.roles,
                allow_ip: cx.nets(r.allow_ip)?,
                deny_ip: cx.nets(r.deny_ip)?,
                allow_countries: cx.countries(r.allow_countries)?,
                deny_countries: cx.countries(r.deny_countries)?,
                hours: r.hours.map(|h| cx.hours(h)).transpose()?,
            });
        }
        let mut policy = AccessPolicy {
            rules,
            ..AccessPolicy::default()
        };
        if let Some(s) = doc.settings {
            policy.step_up_on_new_device = s.step_up_on_new_device;
            policy.step_up_on_session_replay = s.step_up_on_session_replay;
            if let Some(kmh) = s.impossible_travel_kmh {
                let value = *kmh.get_ref();
                if !(value.is_finite() && value > 0.0) {
                    return Err(cx.invalid(
                        kmh.span(),
                        "impossible_travel_kmh must be a positive number".to_string(),
                    ));
                }
                policy.impossible_travel_kmh = value;
            }
        }
        Ok(policy)
    }

    /// Whether a session whose fingerprint changed in both network and device (or in
    /// country) needs step-up; see [`AccessPolicy::on_use`].
    pub(crate) fn step_up_on_session_replay(&self) -> bool {
        self.step_up_on_session_replay
    }

    /// Decides a sign-in. Pure: the same context always gives the same decision.
    pub fn evaluate(&self, ctx: &SignInContext) -> Decision {
        let ip = ctx.ip.to_canonical();
        let country = ctx.country.as_deref().map(str::to_ascii_uppercase);
        let mut outcome = Outcome::Allow;
        let mut reasons = Vec::new();
        let mut rules = Vec::new();
        let mut alert = false;

        for rule in &self.rules {
            if !rule.roles.is_empty() && !rule.roles.contains(&ctx.role) {
                continue;
            }
            let before = reasons.len();
            if rule.deny_ip.iter().any(|n| n.contains(&ip)) {
                reasons.push(Reason::IpDenied);
            }
            if !rule.allow_ip.is_empty() && !rule.allow_ip.iter().any(|n| n.contains(&ip)) {
                reasons.push(Reason::IpNotAllowed);
            }
            if !rule.deny_countries.is_empty() || !rule.allow_countries.is_empty() {
                match &country {
                    None => reasons.push(Reason::UnknownCountry),
                    Some(c) => {
                        if rule.deny_countries.contains(c) {
                            reasons.push(Reason::CountryDenied);
                        }
                        if !rule.allow_countries.is_empty() && !rule.allow_countries.contains(c) {
                            reasons.push(Reason::CountryNotAllowed);
                        }
                    }
                }
            }
            if let Some(hours) = &rule.hours
                && !hours.contains(ctx.at)
            {
                reasons.push(Reason::OutsideHours);
            }
            if reasons.len() > before {
                outcome = Outcome::Deny;
                rules.push(rule.name.clone());
            }
        }

        if let Some(prev) = &ctx.previous
            && let (Some(from), Some(to)) = (prev.location, ctx.location)
            && travel::is_impossible(from, to, ctx.at.since(prev.at), self.impossible_travel_kmh)
        {
            reasons.push(Reason::ImpossibleTravel);
            outcome = Outcome::Deny;
            alert = true;
        }

        if !ctx.device_known && self.step_up_on_new_device {
            reasons.push(Reason::NewDevice);
            outcome = outcome.max(Outcome::StepUp);
        }

        reasons.sort_unstable();
        reasons.dedup();
        Decision {
            outcome,
            reasons,
            rules,
            alert,
        }
    }
}

impl Hours {
    /// Whether `at` falls in the window. A window whose `to` is earlier than its `from`
    /// runs past midnight: it belongs to the day it starts on.
    fn contains(&self, at: Timestamp) -> bool {
        let Ok(ts) = jiff::Timestamp::from_millisecond(at.as_millis()) else {
            return false;
        };
        let local = ts.to_zoned_datetime(self.tz.clone());
        let time = local.time();
        let minute =
            u16::try_from(i32::from(time.hour()) * 60 + i32::from(time.minute())).unwrap_or(0);
        let today = weekday_index(local.weekday());
        if self.from < self.to {
            self.days[today] && (self.from..self.to).contains(&minute)
        } else {
            let yesterday = (today + 6) % 7;
            (self.days[today] && minute >= self.from) || (self.days[yesterday] && minute < self.to)
        }
    }
}

#[cfg(test)]
mod tests;
