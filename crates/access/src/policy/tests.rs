use super::*;

const NEW_YORK: (f64, f64) = (40.7128, -74.0060);
const LONDON: (f64, f64) = (51.5074, -0.1278);

/// Milliseconds of an RFC 3339 instant.
fn at(text: &str) -> Timestamp {
    let ts: jiff::Timestamp = text.parse().expect("test timestamp");
    Timestamp::from_millis(ts.as_millisecond())
}

fn ctx(role: Role, ip: &str, country: Option<&str>) -> SignInContext {
    SignInContext {
        role,
        ip: ip.parse().expect("test ip"),
        country: country.map(str::to_string),
        location: None,
        device_known: true,
        // Monday 2026-11-30, 10:00 in New York.
        at: at("2026-11-30T15:00:00Z"),
        previous: None,
    }
}

fn policy(text: &str) -> AccessPolicy {
    match AccessPolicy::parse(text) {
        Ok(p) => p,
        Err(e) => panic!("policy should parse: {e}"),
    }
}

fn error_at(text: &str) -> (usize, usize, String) {
    match AccessPolicy::parse(text) {
        Ok(_) => panic!("policy should be rejected"),
        Err(
            PolicyError::Syntax {
                line,
                column,
                message,
            }
            | PolicyError::Invalid {
                line,
                column,
                message,
            },
        ) => (line, column, message),
        Err(e) => panic!("unexpected {e}"),
    }
}

const EXAMPLE: &str = r#"
[[rule]]
name = "office-only-for-admins"
roles = ["owner", "admin"]
allow_ip = ["10.0.0.0/8", "192.0.2.0/24", "2001:db8:10::/48"]
deny_ip = []
allow_countries = ["US"]
deny_countries = []
hours = { days = ["mon","tue","wed","thu","fri"], from = "07:00", to = "19:00", time_zone = "America/New_York" }

[[rule]]
name = "no-sanctioned"
deny_countries = ["KP", "ir"]
deny_ip = ["198.51.100.0/24"]

[settings]
step_up_on_new_device = true
impossible_travel_kmh = 900
"#;

#[test]
fn tokens_are_stable() {
    let all = [
        (Reason::IpNotAllowed, "ip_not_allowed"),
        (Reason::IpDenied, "ip_denied"),
        (Reason::CountryDenied, "country_denied"),
        (Reason::CountryNotAllowed, "country_not_allowed"),
        (Reason::UnknownCountry, "unknown_country"),
        (Reason::OutsideHours, "outside_hours"),
        (Reason::NewDevice, "new_device"),
        (Reason::ImpossibleTravel, "impossible_travel"),
        (Reason::SessionReplay, "session_replay"),
        (Reason::SessionCountryChanged, "session_country_changed"),
    ];
    for (reason, token) in all {
        assert_eq!(reason.as_str(), token);
        assert_eq!(reason.to_string(), token);
    }
    assert_eq!(Outcome::StepUp.as_str(), "step_up");
}

#[test]
fn example_allows_admin_in_office_hours() {
    let p = policy(EXAMPLE);
    let d = p.evaluate(&ctx(Role::Admin, "10.1.2.3", Some("US")));
    assert_eq!(d.outcome, Outcome::Allow);
    assert!(d.reasons.is_empty());
    assert!(d.rules.is_empty());
    assert!(!d.alert);
}

#[test]
fn ip_not_allowed_v4_and_v6() {
    let p = policy(EXAMPLE);
    let d = p.evaluate(&ctx(Role::Owner, "203.0.113.9", Some("US")));
    assert_eq!(d.outcome, Outcome::Deny);
    assert_eq!(d.reasons, vec![Reason::IpNotAllowed]);
    assert_eq!(d.rules, vec!["office-only-for-admins".to_string()]);

    let inside = p.evaluate(&ctx(Role::Owner, "2001:db8:10:ab::1", Some("US")));
    assert_eq!(inside.outcome, Outcome::Allow);
    let outside = p.evaluate(&ctx(Role::Owner, "2001:db8:11::1", Some("US")));
    assert_eq!(outside.reasons, vec![Reason::IpNotAllowed]);
}

#[test]
fn rules_apply_only_to_their_roles() {
    let p = policy(EXAMPLE);
    let d = p.evaluate(&ctx(Role::Sender, "203.0.113.9", Some("FR")));
    assert_eq!(d.outcome, Outcome::Allow);
}

#[test]
fn ip_denied_and_mapped_v4() {
    let p = policy(EXAMPLE);
    let d = p.evaluate(&ctx(Role::Sender, "198.51.100.20", Some("US")));
    assert_eq!(d.outcome, Outcome::Deny);
    assert_eq!(d.reasons, vec![Reason::IpDenied]);
    assert_eq!(d.rules, vec!["no-sanctioned".to_string()]);
    // The IPv4-mapped IPv6 form does not get around a v4 deny range.
    let mapped = p.evaluate(&ctx(Role::Sender, "::ffff:198.51.100.20", Some("US")));
    assert_eq!(mapped.reasons, vec![Reason::IpDenied]);
}

#[test]
fn v6_deny_range() {
    let p = policy("[[rule]]\nname = \"v6\"\ndeny_ip = [\"2001:db8:bad::/48\", \"2001:db8::1\"]\n");
    let d = p.evaluate(&ctx(Role::Sender, "2001:db8:bad:1::5", None));
    assert_eq!(d.reasons, vec![Reason::IpDenied]);
    let d = p.evaluate(&ctx(Role::Sender, "2001:db8::1", None));
    assert_eq!(d.reasons, vec![Reason::IpDenied]);
    let d = p.evaluate(&ctx(Role::Sender, "2001:db8::2", None));
    assert_eq!(d.outcome, Outcome::Allow);
}

#[test]
fn country_denied_case_insensitive() {
    let p = policy(EXAMPLE);
    let d = p.evaluate(&ctx(Role::Sender, "203.0.113.9", Some("ir")));
    assert_eq!(d.reasons, vec![Reason::CountryDenied]);
    let d = p.evaluate(&ctx(Role::Sender, "203.0.113.9", Some("KP")));
    assert_eq!(d.reasons, vec![Reason::CountryDenied]);
}

#[test]
fn country_not_allowed() {
    let p = policy(EXAMPLE);
    let d = p.evaluate(&ctx(Role::Admin, "10.0.0.1", Some("GB")));
    assert_eq!(d.outcome, Outcome::Deny);
    assert_eq!(d.reasons, vec![Reason::CountryNotAllowed]);
}

#[test]
fn unknown_country_fails_closed() {
    let p = policy(EXAMPLE);
    // Both rules name countries; both deny.
    let d = p.evaluate(&ctx(Role::Admin, "10.0.0.1", None));
    assert_eq!(d.outcome, Outcome::Deny);
    assert_eq!(d.reasons, vec![Reason::UnknownCountry]);
    assert_eq!(d.rules.len(), 2);
    // A rule without country lists does not care.
    let p = policy("[[rule]]\nname = \"ip-only\"\ndeny_ip = [\"192.0.2.1\"]\n");
    assert_eq!(
        p.evaluate(&ctx(Role::Admin, "10.0.0.1", None)).outcome,
        Outcome::Allow
    );
}

#[test]
fn outside_hours_in_time_zone() {
    let p = policy(EXAMPLE);
    let mut c = ctx(Role::Admin, "10.0.0.1", Some("US"));
    // 06:59 in New York (EST, UTC-5) on Monday.
    c.at = at("2026-11-30T11:59:00Z");
    assert_eq!(p.evaluate(&c).reasons, vec![Reason::OutsideHours]);
    // 07:00 New York.
    c.at = at("2026-11-30T12:00:00Z");
    assert_eq!(p.evaluate(&c).outcome, Outcome::Allow);
    // 19:00 New York: the end is exclusive.
    c.at = at("2026-12-01T00:00:00Z");
    assert_eq!(p.evaluate(&c).reasons, vec![Reason::OutsideHours]);
    // Saturday noon New York.
    c.at = at("2026-12-05T17:00:00Z");
    assert_eq!(p.evaluate(&c).reasons, vec![Reason::OutsideHours]);
    // Summer time (EDT, UTC-4): 07:30 New York on Monday 2026-07-06 is 11:30Z.
    c.at = at("2026-07-06T11:30:00Z");
    assert_eq!(p.evaluate(&c).outcome, Outcome::Allow);
    c.at = at("2026-07-06T10:30:00Z");
    assert_eq!(p.evaluate(&c).reasons, vec![Reason::OutsideHours]);
}

#[test]
fn window_across_midnight() {
    // Night shift: Friday 22:00 to Saturday 06:00 (UTC).
    let p = policy(
        "[[rule]]\nname = \"night\"\nroles = [\"sender\"]\n\
         hours = { days = [\"fri\"], from = \"22:00\", to = \"06:00\" }\n",
    );
    let mut c = ctx(Role::Sender, "10.0.0.1", None);
    let cases = [
        ("2026-12-04T22:00:00Z", true),  // Friday 22:00
        ("2026-12-04T23:59:00Z", true),  // Friday 23:59
        ("2026-12-05T00:00:00Z", true),  // Saturday 00:00
        ("2026-12-05T05:59:00Z", true),  // Saturday 05:59
        ("2026-12-05T06:00:00Z", false), // Saturday 06:00
        ("2026-12-05T22:30:00Z", false), // Saturday night: not a listed start day
        ("2026-12-04T03:00:00Z", false), // Friday early morning: Thursday's window
        ("2026-12-04T21:59:00Z", false),
    ];
    for (when, inside) in cases {
        c.at = at(when);
        let d = p.evaluate(&c);
        assert_eq!(d.outcome == Outcome::Allow, inside, "{when}: {d:?}");
    }
}

#[test]
fn window_with_fixed_utc_offset() {
    // 09:00-17:00 at UTC+09:00 on Mondays.
    let p = policy(
        "[[rule]]\nname = \"tokyo\"\n\
         hours = { days = [\"mon\"], from = \"09:00\", to = \"17:00\", utc_offset = \"+09:00\" }\n",
    );
    let mut c = ctx(Role::Auditor, "10.0.0.1", None);
    // Monday 09:00 at +09:00 is Monday 00:00Z.
    c.at = at("2026-11-30T00:00:00Z");
    assert_eq!(p.evaluate(&c).outcome, Outcome::Allow);
    // Sunday 23:59Z is Monday 08:59 at +09:00.
    c.at = at("2026-11-29T23:59:00Z");
    assert_eq!(p.evaluate(&c).reasons, vec![Reason::OutsideHours]);
    // Monday 10:00Z is Monday 19:00 at +09:00.
    c.at = at("2026-11-30T10:00:00Z");
    assert_eq!(p.evaluate(&c).reasons, vec![Reason::OutsideHours]);
}

#[test]
fn new_device_steps_up_and_deny_beats_it() {
    let p = policy(EXAMPLE);
    let mut c = ctx(Role::Admin, "10.0.0.1", Some("US"));
    c.device_known = false;
    let d = p.evaluate(&c);
    assert_eq!(d.outcome, Outcome::StepUp);
    assert_eq!(d.reasons, vec![Reason::NewDevice]);

    c.ip = "203.0.113.1".parse().expect("ip");
    let d = p.evaluate(&c);
    assert_eq!(d.outcome, Outcome::Deny);
    assert_eq!(d.reasons, vec![Reason::IpNotAllowed, Reason::NewDevice]);

    let off = policy("[settings]\nstep_up_on_new_device = false\n");
    c.ip = "10.0.0.1".parse().expect("ip");
    assert_eq!(off.evaluate(&c).outcome, Outcome::Allow);
}

fn travel(from: (f64, f64), to: (f64, f64), minutes: i64) -> SignInContext {
    let now = at("2026-11-30T15:00:00Z");
    let mut c = ctx(Role::Sender, "203.0.113.1", Some("GB"));
    c.location = Some(to);
    c.at = now;
    c.previous = Some(PreviousSignIn {
        at: Timestamp::from_millis(now.as_millis() - minutes * 60_000),
        location: Some(from),
        country: Some("US".to_string()),
        ip: "192.0.2.1".parse().expect("ip"),
    });
    c
}

#[test]
fn impossible_travel_denies_and_alerts() {
    let p = AccessPolicy::default();
    let d = p.evaluate(&travel(NEW_YORK, LONDON, 60));
    assert_eq!(d.outcome, Outcome::Deny);
    assert_eq!(d.reasons, vec![Reason::ImpossibleTravel]);
    assert!(d.alert);
    assert!(d.rules.is_empty());

    let d = p.evaluate(&travel(NEW_YORK, LONDON, 8 * 60));
    assert_eq!(d.outcome, Outcome::Allow);
    assert!(!d.alert);

    // Simultaneous sign-ins far apart.
    let d = p.evaluate(&travel(NEW_YORK, LONDON, 0));
    assert_eq!(d.reasons, vec![Reason::ImpossibleTravel]);
    // A previous sign-in "in the future" (clock skew) counts as simultaneous.
    let d = p.evaluate(&travel(NEW_YORK, LONDON, -30));
    assert!(d.alert);
}

#[test]
fn travel_threshold_is_configurable() {
    // 5570 km in 8 hours is ~700 km/h.
    let strict = policy("[settings]\nimpossible_travel_kmh = 500\n");
    assert!(strict.evaluate(&travel(NEW_YORK, LONDON, 8 * 60)).alert);
    let lax = policy("[settings]\nimpossible_travel_kmh = 6000\n");
    assert!(!lax.evaluate(&travel(NEW_YORK, LONDON, 60)).alert);
}

#[test]
fn travel_needs_both_locations() {
    let mut c = travel(NEW_YORK, LONDON, 1);
    c.location = None;
    assert_eq!(AccessPolicy::default().evaluate(&c).outcome, Outcome::Allow);
}

#[test]
fn default_policy() {
    let p = AccessPolicy::default();
    let mut c = ctx(Role::Owner, "203.0.113.1", None);
    assert_eq!(p.evaluate(&c).outcome, Outcome::Allow);
    c.device_known = false;
    assert_eq!(p.evaluate(&c).reasons, vec![Reason::NewDevice]);
    // An empty document is the default policy.
    let empty = policy("");
    assert_eq!(empty.evaluate(&c).outcome, Outcome::StepUp);
}

#[test]
fn unknown_field_has_line_and_column() {
    let (line, column, message) =
        error_at("[[rule]]\nname = \"x\"\nallow_ips = [\"10.0.0.0/8\"]\n");
    assert_eq!((line, column), (3, 1), "{message}");
    assert!(message.contains("allow_ips"), "{message}");

    let (line, _, _) = error_at("[settings]\nimpossible_travel = 5\n");
    assert_eq!(line, 2);
}

#[test]
fn toml_syntax_error_has_line_and_column() {
    let (line, column, _) = error_at("[[rule]]\nname = \"x\"\nroles = [\"admin\"\n");
    assert_eq!(line, 3, "column {column}");
    let (line, _, message) = error_at("[[rule]]\nname = \"x\"\nroles = [\"janitor\"]\n");
    assert_eq!(line, 3, "{message}");
}

#[test]
fn bad_values_have_line_and_column() {
    let (line, column, message) =
        error_at("[[rule]]\nname = \"x\"\nallow_ip = [\"10.0.0.0/8\", \"10.1.2.3/8\"]\n");
    assert_eq!((line, column), (3, 27), "{message}");

    let (line, column, _) = error_at("[[rule]]\nname = \"x\"\ndeny_ip = [\"300.1.1.1\"]\n");
    assert_eq!((line, column), (3, 12));

    let (line, column, _) = error_at("[[rule]]\nname = \"x\"\ndeny_countries = [\"USA\"]\n");
    assert_eq!((line, column), (3, 19));

    let (line, _, message) = error_at(
        "[[rule]]\nname = \"x\"\n\
         hours = { days = [\"mon\"], from = \"07:00\", to = \"19:00\", time_zone = \"Mars/Olympus\" }\n",
    );
    assert_eq!(line, 3);
    assert!(message.contains("Mars/Olympus"), "{message}");

    let (line, _, _) = error_at(
        "[[rule]]\nname = \"x\"\nhours = { days = [\"funday\"], from = \"07:00\", to = \"19:00\" }\n",
    );
    assert_eq!(line, 3);
    let (line, _, _) = error_at(
        "[[rule]]\nname = \"x\"\nhours = { days = [\"mon\"], from = \"7am\", to = \"19:00\" }\n",
    );
    assert_eq!(line, 3);
    let (line, _, _) = error_at(
        "[[rule]]\nname = \"x\"\nhours = { days = [\"mon\"], from = \"07:00\", to = \"07:00\" }\n",
    );
    assert_eq!(line, 3);
    let (line, _, _) = error_at(
        "[[rule]]\nname = \"x\"\n\
         hours = { days = [\"mon\"], from = \"07:00\", to = \"08:00\", utc_offset = \"5\" }\n",
    );
    assert_eq!(line, 3);
    let (line, _, _) = error_at("[settings]\nimpossible_travel_kmh = -1.0\n");
    assert_eq!(line, 2);
}

#[test]
fn rule_names_are_tokens_and_unique() {
    let (line, column, _) = error_at("[[rule]]\nname = \"has space\"\n");
    assert_eq!((line, column), (2, 8));
    let (line, _, message) = error_at("[[rule]]\nname = \"a\"\n[[rule]]\nname = \"a\"\n");
    assert_eq!(line, 4, "{message}");
}

#[test]
fn column_counts_characters() {
    assert_eq!(line_col("é = 1\nab", 8), (2, 2));
    assert_eq!(line_col("abc", 0), (1, 1));
}

#[test]
fn too_large_is_refused() {
    let big = "#".repeat(MAX_POLICY_BYTES + 1);
    assert!(matches!(
        AccessPolicy::parse(&big),
        Err(PolicyError::TooLarge(_))
    ));
}

#[test]
fn parse_helpers() {
    assert_eq!(parse_hhmm("24:00"), Some(1440));
    assert_eq!(parse_hhmm("23:60"), None);
    assert_eq!(parse_offset("-05:00"), Some(-18_000));
    assert_eq!(parse_offset("+05:30"), Some(19_800));
    assert_eq!(parse_offset("05:00"), None);
    assert_eq!(
        parse_net("::ffff:192.0.2.0/120").map(|n| n.to_string()),
        Some("192.0.2.0/24".to_string())
    );
}

#[test]
fn debug_hides_personal_data() {
    let mut c = travel(NEW_YORK, LONDON, 60);
    c.country = Some("GB".to_string());
    let text = format!("{c:?}");
    for leak in ["203.0", "192.0", "51.5", "40.7", "GB", "US"] {
        assert!(!text.contains(leak), "{leak} in {text}");
    }
    assert!(text.contains("Sender"), "{text}");
}
