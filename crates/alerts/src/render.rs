//! The alert e-mail's subject and plain-text body.

use std::time::Duration;

use crate::{Alert, AlertKind};

/// At most this many runs of sequence numbers are listed (the rest are counted).
const MAX_SEQ_RUNS: usize = 20;

/// The subject and plain-text body of the e-mail about `alert` for the administrators of
/// `organisation`. `user_address` is the staff address of [`Alert::user`], if known.
///
/// The text says what happened, when (UTC), from which address (and country, when the
/// event carries one), to which user, the audit sequence numbers with the `carepost audit
/// search` command that finds them, and what to do. It holds no PHI and no secret: only
/// ids, times, client addresses, audit tokens and fixed text. The caller builds the
/// message with `message::notice::plain_text` (which strips control characters from the
/// subject).
pub fn render(alert: &Alert, organisation: &str, user_address: Option<&str>) -> (String, String) {
    let organisation = one_line(organisation);
    let headline = headline(alert);
    let subject = format!("[carepost] Security alert: {headline} ({organisation})");

    let mut body = format!("Security alert for {organisation}: {headline}.\n\n");
    body.push_str(&format!("What happened: {}\n", what(alert)));
    if alert.first_at == alert.at {
        body.push_str(&format!("When (UTC):    {}\n", alert.at.to_rfc3339()));
    } else {
        body.push_str(&format!(
            "When (UTC):    {} to {}\n",
            alert.first_at.to_rfc3339(),
            alert.at.to_rfc3339()
        ));
    }
    let user_line = match (user_address.map(one_line), alert.user) {
        (Some(address), Some(id)) => format!("{address} (user id {id})"),
        (Some(address), None) => address,
        (None, Some(id)) => format!("user id {id}"),
        (None, None) if alert.users > 1 => format!("{} different accounts", alert.users),
        (None, None) => "no account matched the name given".to_string(),
    };
    body.push_str(&format!("User:          {user_line}\n"));
    if let Some(actor) = alert.actor {
        body.push_str(&format!("Done by:       user id {actor}\n"));
    }
    let from = match alert.source_ip {
        Some(ip) if alert.other_ips > 0 => {
            format!("{ip} (and {} other address(es))", alert.other_ips)
        }
        Some(ip) => ip.to_string(),
        None => "not recorded".to_string(),
    };
    body.push_str(&format!("From address:  {from}\n"));
    if let Some(country) = &alert.country {
        body.push_str(&format!("Country:       {country}\n"));
    }
    if !alert.facts.is_empty() {
        body.push_str(&format!("Details:       {}\n", alert.facts.join(" ")));
    }
    body.push_str(&format!(
        "Audit events:  {} ({} event{})\n",
        seq_list(&alert.seqs),
        alert.seqs.len(),
        if alert.seqs.len() == 1 { "" } else { "s" }
    ));

    body.push_str("\nTo look them up on the server:\n\n");
    let mut search = format!(
        "  carepost audit search --kind {} --from {} --until {}",
        alert.kind.event_kind(),
        alert.first_at.to_rfc3339(),
        alert.at.plus(Duration::from_secs(1)).to_rfc3339()
    );
    if let Some(user) = alert.user
        && alert.kind != AlertKind::MfaReset
    {
        search.push_str(&format!(" --actor user:{user}"));
    }
    body.push_str(&search);
    body.push_str("\n\nand look for the sequence numbers above (\"seq\").\n\n");

    body.push_str("What to do:\n\n");
    for line in advice(alert.kind) {
        body.push_str(&format!("  - {line}\n"));
    }
    body.push_str(
        "\nThis alert was sent to the organisation's owners and administrators. It holds no \
         message content and no patient information.\n",
    );
    (subject, body)
}

fn headline(alert: &Alert) -> String {
    match alert.kind {
        AlertKind::NewCountrySignIn => match &alert.country {
            Some(c) => format!("sign-in from a new country ({c})"),
            None => "sign-in from a new country".to_string(),
        },
        AlertKind::FailureBurst => format!(
            "{} failed sign-ins within {}",
            alert.count,
            duration_text(alert.window)
        ),
        AlertKind::MfaReset => "a user's second factors were reset".to_string(),
        AlertKind::BreakGlass => "break-glass access was used".to_string(),
        AlertKind::ConditionalAccess => "conditional access raised an alert".to_string(),
    }
}

fn what(alert: &Alert) -> String {
    match alert.kind {
        AlertKind::NewCountrySignIn => {
            "a user signed in from a country they have not signed in from before.".to_string()
        }
        AlertKind::FailureBurst => {
            // A user's burst names the user (its failures may come from several
            // addresses); an address's burst without one user names only the address.
            let scope = if alert.user.is_some() {
                "for this user"
            } else {
                "from this address"
            };
            format!(
                "{} sign-in attempts {scope} failed within {}. No further alert is sent for \
                 this until it has been quiet for {}.",
                alert.count,
                duration_text(alert.window),
                duration_text(alert.window)
            )
        }
        AlertKind::MfaReset => {
            "the user's second factors (authenticator app, passkeys, recovery codes) were \
             reset; their next sign-in can enrol new ones."
                .to_string()
        }
        AlertKind::BreakGlass => {
            "break-glass access was used: someone signed in while single sign-on or the \
             second factor was bypassed."
                .to_string()
        }
        AlertKind::ConditionalAccess => {
            "a conditional-access rule asked for an alert on this sign-in (for example \
             impossible travel: two sign-ins too far apart for the time between them)."
                .to_string()
        }
    }
}

fn advice(kind: AlertKind) -> &'static [&'static str] {
    match kind {
        AlertKind::NewCountrySignIn => &[
            "Ask the user whether they signed in from that country.",
            "If they did not: end their sessions, reset their password and second factors, \
             revoke their app passwords, and review their recent activity in the audit log.",
        ],
        AlertKind::FailureBurst => &[
            "If a member of staff simply mistyped or a device has an old app password, \
             give them a new app password and revoke the old one.",
            "Otherwise treat it as password guessing: check the user's app passwords, \
             revoke any that may have leaked, and block the address at your firewall. \
             carepost already delays each failed attempt and refuses AUTH for a while from \
             an address that keeps failing.",
        ],
        AlertKind::MfaReset => &[
            "Confirm that the reset was requested by the user and approved.",
            "If it was not: disable the account that made the reset, reset the user's \
             credentials again, and review both accounts' activity in the audit log.",
        ],
        AlertKind::BreakGlass => &[
            "Confirm the reason with the person who used it, and that the outage they \
             gave as the reason is real.",
            "Review everything done during that access in the audit log, and restore \
             normal sign-in as soon as possible.",
        ],
        AlertKind::ConditionalAccess => &[
            "Ask the user whether the sign-in was theirs.",
            "If it was not: end their sessions, reset their password and second factors, \
             and review their recent activity in the audit log.",
        ],
    }
}

/// `12, 15-24, 30`, at most [`MAX_SEQ_RUNS`] runs, then `…`.
fn seq_list(seqs: &[u64]) -> String {
    let mut runs: Vec<(u64, u64)> = Vec::new();
    for &s in seqs {
        match runs.last_mut() {
            Some((_, end)) if s == *end + 1 => *end = s,
            Some((_, end)) if s == *end => {}
            _ => runs.push((s, s)),
        }
    }
    let mut parts: Vec<String> = runs
        .iter()
        .take(MAX_SEQ_RUNS)
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect();
    if runs.len() > MAX_SEQ_RUNS {
        parts.push("...".to_string());
    }
    if parts.is_empty() {
        return "none".to_string();
    }
    format!("seq {}", parts.join(", "))
}

fn duration_text(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 3600 && secs.is_multiple_of(3600) {
        format!("{} hour(s)", secs / 3600)
    } else if secs >= 60 && secs.is_multiple_of(60) {
        format!("{} minute(s)", secs / 60)
    } else {
        format!("{secs} second(s)")
    }
}

/// Control characters (line breaks) become spaces; at most 200 characters.
fn one_line(text: &str) -> String {
    text.chars()
        .take(200)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use model::{TenantId, Timestamp, UserId};

    use super::*;

    fn burst() -> Alert {
        Alert {
            kind: AlertKind::FailureBurst,
            tenant: Some(TenantId::new()),
            at: Timestamp::from_millis(1_800_000_009_000),
            first_at: Timestamp::from_millis(1_800_000_000_000),
            user: Some(UserId::new()),
            actor: None,
            source_ip: Some(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 9))),
            other_ips: 0,
            users: 1,
            country: None,
            facts: vec![
                "method=smtp-app-password".into(),
                "reason=bad_password".into(),
            ],
            seqs: (40..50).collect(),
            count: 10,
            window: Duration::from_secs(300),
        }
    }

    #[test]
    fn a_burst_alert_says_what_when_who_where_which_events_and_what_to_do() {
        let a = burst();
        let user = a.user.expect("user");
        let (subject, body) = render(&a, "Clinic Example", Some("nurse@clinic.example"));
        assert_eq!(
            subject,
            "[carepost] Security alert: 10 failed sign-ins within 5 minute(s) (Clinic Example)"
        );
        for needle in [
            "When (UTC):    2027-01-15T08:00:00Z to 2027-01-15T08:00:09Z",
            "User:          nurse@clinic.example",
            &format!("(user id {user})"),
            "From address:  203.0.113.9",
            "Details:       method=smtp-app-password reason=bad_password",
            "Audit events:  seq 40-49 (10 events)",
            &format!(
                "carepost audit search --kind auth.login_failed --from 2027-01-15T08:00:00Z \
                 --until 2027-01-15T08:00:10Z --actor user:{user}"
            ),
            "What to do:",
            "revoke any that may have leaked",
            "no patient information",
        ] {
            assert!(body.contains(needle), "missing {needle:?} in:\n{body}");
        }
    }

    #[test]
    fn every_kind_renders_its_own_headline_and_advice() {
        let user = UserId::new();
        let single = |kind| Alert {
            kind,
            first_at: Timestamp::from_millis(1_800_000_000_000),
            at: Timestamp::from_millis(1_800_000_000_000),
            seqs: vec![7],
            count: 1,
            window: Duration::ZERO,
            user: Some(user),
            country: Some("NZ".into()),
            ..burst()
        };
        let cases = [
            (
                AlertKind::NewCountrySignIn,
                "sign-in from a new country (NZ)",
                "auth.login",
            ),
            (
                AlertKind::MfaReset,
                "second factors were reset",
                "auth.mfa_reset",
            ),
            (
                AlertKind::BreakGlass,
                "break-glass access was used",
                "auth.break_glass",
            ),
            (
                AlertKind::ConditionalAccess,
                "conditional access raised an alert",
                "auth.access_decided",
            ),
        ];
        let mut bodies = Vec::new();
        for (kind, headline, event_kind) in cases {
            let (subject, body) = render(&single(kind), "Org", None);
            assert!(subject.contains(headline), "{subject}");
            assert!(
                body.contains("When (UTC):    2027-01-15T08:00:00Z\n"),
                "{body}"
            );
            assert!(body.contains("Country:       NZ"), "{body}");
            assert!(body.contains(&format!("--kind {event_kind} ")), "{body}");
            assert!(body.contains("Audit events:  seq 7 (1 event)"), "{body}");
            assert!(
                body.contains(&format!("User:          user id {user}")),
                "{body}"
            );
            bodies.push(body);
        }
        bodies.dedup();
        assert_eq!(bodies.len(), 4, "each kind has its own text");
    }

    #[test]
    fn an_alert_without_a_user_or_address_says_so() {
        let a = Alert {
            user: None,
            users: 0,
            source_ip: None,
            ..burst()
        };
        let (_, body) = render(&a, "Org", None);
        assert!(
            body.contains("User:          no account matched the name given"),
            "{body}"
        );
        assert!(body.contains("From address:  not recorded"), "{body}");
        assert!(!body.contains("--actor"), "{body}");
        let many = Alert {
            user: None,
            users: 4,
            other_ips: 2,
            ..burst()
        };
        let (_, body) = render(&many, "Org", None);
        assert!(
            body.contains("User:          4 different accounts"),
            "{body}"
        );
        assert!(
            body.contains("203.0.113.9 (and 2 other address(es))"),
            "{body}"
        );
    }

    #[test]
    fn organisation_and_address_cannot_inject_lines() {
        let (subject, body) = render(&burst(), "Org\r\nBcc: x@evil.example", Some("a@b\nc"));
        assert!(
            !subject.contains('\n') && !subject.contains('\r'),
            "{subject:?}"
        );
        assert!(
            body.contains("Security alert for Org  Bcc: x@evil.example:"),
            "{body}"
        );
        assert!(body.contains("User:          a@b c "), "{body}");
    }

    #[test]
    fn sequence_numbers_are_listed_as_runs_and_capped() {
        assert_eq!(seq_list(&[1, 2, 3, 5, 7, 8]), "seq 1-3, 5, 7-8");
        assert_eq!(seq_list(&[]), "none");
        let scattered: Vec<u64> = (0..100).map(|i| i * 2).collect();
        let text = seq_list(&scattered);
        assert!(text.ends_with(", ..."), "{text}");
        assert_eq!(text.matches(", ").count(), MAX_SEQ_RUNS);
    }
}
