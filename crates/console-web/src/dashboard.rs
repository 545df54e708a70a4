//! Today's mail at a glance (`/console/dashboard`, JSON twin `/api/v1/dashboard`): messages
//! submitted by channel, how copies travelled (verified TLS, the portal, bounced, deferred,
//! quarantined), TLS versions, DLP findings by category and failures, as counts only, for
//! the signed-in person's organisation, since midnight UTC.
//!
//! The figures are tallied from the organisation's audit events of the day (the trail is
//! the record of what happened), at most [`MAX_EVENTS`] of them per kind; a day busier than
//! that says so. Charts are SVG bars drawn on the server with presentation attributes
//! only (the console's CSP allows no inline style or script), each followed by the same
//! numbers as a table for screen readers. Roles with the aggregates permission see it
//! (owners, admins, compliance officers, marketers, auditors; not senders): there are no
//! addresses, subjects or per-patient details, only counts.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use askama::Template;
use audit::{AuditEvent, EventKind};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use model::Timestamp;
use serde::Serialize;

use crate::Console;
use crate::guard::Guard;
use crate::pages::{Frame, html};
use crate::session::{ClientIp, Visit};

/// Most events of one kind read for one day's tally.
pub(crate) const MAX_EVENTS: u32 = 50_000;

/// The day's counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Tally {
    /// Messages accepted, by channel (`smtp-starttls`, `api`, `portal`, …).
    pub(crate) submitted: BTreeMap<String, u64>,
    /// Copies by how they ended up: `verified TLS`, `portal`, `bounced`, `deferred`,
    /// `quarantined`.
    pub(crate) delivery: BTreeMap<String, u64>,
    /// Delivered copies by TLS version.
    pub(crate) tls_versions: BTreeMap<String, u64>,
    /// Messages with a finding, by category.
    pub(crate) findings: BTreeMap<String, u64>,
    /// Messages in which PHI was found.
    pub(crate) messages_with_phi: u64,
    /// Failures: bounced and deferred copies, refused sign-ins and API calls.
    pub(crate) failures: BTreeMap<String, u64>,
    /// Whether a kind hit [`MAX_EVENTS`] (the counts are then lower bounds).
    pub(crate) truncated: bool,
}

/// The kinds the tally reads.
pub(crate) const KINDS: &[EventKind] = &[
    EventKind::MessageSubmitted,
    EventKind::MessageScanned,
    EventKind::DeliveryDelivered,
    EventKind::DeliveryDeferred,
    EventKind::DeliveryBounced,
    EventKind::DeliveryAwaitingPortal,
    EventKind::QuarantineHeld,
    EventKind::AuthLoginFailed,
    EventKind::ApiAccessRefused,
];

impl Tally {
    /// Count one event.
    pub(crate) fn add(&mut self, e: &AuditEvent) {
        let text = |key: &str| {
            e.details
                .get(key)
                .and_then(|v| v.as_str())
                .unwrap_or("unknown")
                .to_string()
        };
        let bump = |map: &mut BTreeMap<String, u64>, key: String| *map.entry(key).or_default() += 1;
        match e.kind {
            EventKind::MessageSubmitted => bump(&mut self.submitted, text("channel")),
            EventKind::MessageScanned => {
                if e.details.get("phi").and_then(|v| v.as_bool()) == Some(true) {
                    self.messages_with_phi += 1;
                }
                if let Some(list) = e.details.get("categories").and_then(|v| v.as_array()) {
                    for c in list.iter().filter_map(|c| c.as_str()) {
                        bump(&mut self.findings, c.to_string());
                    }
                }
            }
            EventKind::DeliveryDelivered => {
                bump(&mut self.delivery, "verified TLS".to_string());
                bump(&mut self.tls_versions, text("tls_version"));
            }
            EventKind::DeliveryAwaitingPortal => bump(&mut self.delivery, "portal".to_string()),
            EventKind::QuarantineHeld => bump(&mut self.delivery, "quarantined".to_string()),
            EventKind::DeliveryBounced => {
                bump(&mut self.delivery, "bounced".to_string());
                bump(&mut self.failures, "bounced copies".to_string());
            }
            EventKind::DeliveryDeferred => {
                bump(&mut self.delivery, "deferred".to_string());
                bump(&mut self.failures, "deferred attempts".to_string());
            }
            EventKind::AuthLoginFailed => bump(&mut self.failures, "refused sign-ins".to_string()),
            EventKind::ApiAccessRefused => {
                bump(&mut self.failures, "refused API calls".to_string());
            }
            _ => {}
        }
    }
}

/// Midnight UTC of the day `now` is in.
pub(crate) fn start_of_day(now: Timestamp) -> Timestamp {
    let day = 86_400_000;
    Timestamp::from_millis(now.as_millis() - now.as_millis().rem_euclid(day))
}

/// A horizontal bar chart as SVG: one bar per entry, labels and numbers as text. Labels
/// are escaped; only presentation attributes are used.
pub(crate) fn bar_chart(title: &str, entries: &BTreeMap<String, u64>) -> String {
    const WIDTH: u64 = 480;
    const LABEL: u64 = 170;
    const ROW: u64 = 28;
    let max = entries.values().copied().max().unwrap_or(0).max(1);
    let height = ROW * (entries.len() as u64).max(1) + 8;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"100%\" aria-labelledby=\"t-{id}\"><title id=\"t-{id}\">{t}</title>",
        id = slug(title),
        t = escape(title)
    );
    if entries.is_empty() {
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"20\" font-size=\"14\" fill=\"#444\">Nothing yet today</text>"
        );
    }
    for (i, (label, n)) in entries.iter().enumerate() {
        let y = i as u64 * ROW + 4;
        let bar = (WIDTH - LABEL - 60) * n / max;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{ty}\" font-size=\"14\" fill=\"#1b1b1b\">{l}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{w}\" height=\"20\" fill=\"#1f4e79\"/>\
             <text x=\"{nx}\" y=\"{ty}\" font-size=\"14\" fill=\"#1b1b1b\">{n}</text>",
            ty = y + 15,
            l = escape(label),
            w = bar.max(1),
            nx = LABEL + bar.max(1) + 6,
        );
    }
    svg.push_str("</svg>");
    svg
}

fn escape(s: &str) -> String {
    s.chars()
        .take(80)
        .map(|c| match c {
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '&' => "&amp;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c if c.is_control() => String::new(),
            c => c.to_string(),
        })
        .collect()
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

pub(crate) struct Chart {
    pub(crate) title: String,
    /// Trusted SVG built by [`bar_chart`] (labels escaped there).
    pub(crate) svg: String,
    pub(crate) rows: Vec<(String, u64)>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub(crate) struct DashboardPage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) day: String,
    pub(crate) phi: u64,
    pub(crate) truncated: bool,
    pub(crate) charts: Vec<Chart>,
}

impl Console {
    /// Today's tally for an organisation.
    pub(crate) async fn tally_today(&self, tenant: model::TenantId) -> Result<Tally, ()> {
        let from = start_of_day(self.clock.now());
        let mut tally = Tally::default();
        for kind in KINDS {
            let events = self
                .store
                .find_audit(&storage::AuditFilter {
                    from: Some(from),
                    kinds: vec![*kind],
                    tenant: Some(tenant),
                    limit: MAX_EVENTS,
                    ..storage::AuditFilter::default()
                })
                .await
                .map_err(|_| ())?;
            tally.truncated |= events.len() as u64 >= u64::from(MAX_EVENTS);
            for e in &events {
                tally.add(e);
            }
        }
        Ok(tally)
    }
}

fn sees_aggregates(signed: &crate::session::Signed) -> bool {
    identity::roles::allows(
        signed.user.role,
        identity::roles::Permission::ViewAggregates,
    )
}

/// Who may see the organisation's figures.
const READERS: Guard = Guard::new(
    sees_aggregates,
    "Your role does not include the organisation's figures.",
);

/// `GET /console/dashboard`.
pub(crate) async fn page(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match READERS.page(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(tally) = console.tally_today(signed.user.tenant).await else {
        return crate::pages::unavailable();
    };
    let charts = [
        ("Messages submitted, by channel", &tally.submitted),
        ("How copies travelled", &tally.delivery),
        ("TLS versions of delivered copies", &tally.tls_versions),
        ("DLP findings, by category", &tally.findings),
        ("Failures", &tally.failures),
    ]
    .into_iter()
    .map(|(title, map)| Chart {
        title: title.to_string(),
        svg: bar_chart(title, map),
        rows: map.iter().map(|(k, v)| (k.clone(), *v)).collect(),
    })
    .collect();
    let day = start_of_day(console.clock.now()).to_rfc3339();
    html(
        StatusCode::OK,
        &DashboardPage {
            title: "Today",
            script: false,
            frame: crate::signin::frame(&signed),
            day: day.get(..10).unwrap_or_default().to_string(),
            phi: tally.messages_with_phi,
            truncated: tally.truncated,
            charts,
        },
        &[],
    )
}

/// `GET /api/v1/dashboard`: the same counts as JSON.
pub(crate) async fn json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match READERS.json(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match console.tally_today(signed.user.tenant).await {
        Ok(t) => Json(t).into_response(),
        Err(()) => crate::pages::unavailable(),
    }
}

#[cfg(test)]
mod tests {
    use audit::Actor;
    use model::TenantId;
    use serde_json::json;

    use super::*;

    fn event(kind: EventKind, details: &[(&str, serde_json::Value)]) -> AuditEvent {
        let mut e = AuditEvent::new(
            0,
            Timestamp::from_millis(0),
            Actor::System {
                component: "t".into(),
            },
            kind,
        )
        .with_tenant(TenantId::new());
        for (k, v) in details {
            e = e.with_detail(k, v.clone());
        }
        e
    }

    #[test]
    fn events_are_tallied_by_channel_route_tls_category_and_failure() {
        let mut t = Tally::default();
        for e in [
            event(EventKind::MessageSubmitted, &[("channel", json!("api"))]),
            event(EventKind::MessageSubmitted, &[("channel", json!("api"))]),
            event(
                EventKind::MessageSubmitted,
                &[("channel", json!("smtp-starttls"))],
            ),
            event(
                EventKind::MessageScanned,
                &[("phi", json!(true)), ("categories", json!(["SSN", "MRN"]))],
            ),
            event(
                EventKind::MessageScanned,
                &[("phi", json!(false)), ("categories", json!([]))],
            ),
            event(
                EventKind::DeliveryDelivered,
                &[("tls_version", json!("TLSv1.3"))],
            ),
            event(
                EventKind::DeliveryDelivered,
                &[("tls_version", json!("TLSv1.2"))],
            ),
            event(EventKind::DeliveryAwaitingPortal, &[]),
            event(EventKind::DeliveryBounced, &[]),
            event(EventKind::AuthLoginFailed, &[]),
            event(EventKind::PortalOpened, &[]),
        ] {
            t.add(&e);
        }
        assert_eq!(t.submitted["api"], 2);
        assert_eq!(t.submitted["smtp-starttls"], 1);
        assert_eq!(t.messages_with_phi, 1);
        assert_eq!(t.findings["SSN"], 1);
        assert_eq!(t.delivery["verified TLS"], 2);
        assert_eq!(t.delivery["portal"], 1);
        assert_eq!(t.tls_versions["TLSv1.3"], 1);
        assert_eq!(t.failures["bounced copies"], 1);
        assert_eq!(t.failures["refused sign-ins"], 1);
    }

    #[test]
    fn charts_escape_labels_and_scale_bars() {
        let mut m = BTreeMap::new();
        m.insert("<script>alert(1)</script>".to_string(), 10);
        m.insert("small".to_string(), 1);
        let svg = bar_chart("Test \"chart\"", &m);
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"));
        assert!(
            svg.contains("width=\"250\""),
            "the largest bar is full width: {svg}"
        );
        assert!(svg.contains("width=\"25\""), "a tenth of it: {svg}");
        assert!(!svg.contains("style="), "no inline style (CSP)");
        assert!(bar_chart("Empty", &BTreeMap::new()).contains("Nothing yet today"));
    }

    #[test]
    fn the_day_starts_at_midnight_utc() {
        let t = Timestamp::from_millis(1_796_017_902_546);
        let s = start_of_day(t);
        assert_eq!(s.as_millis() % 86_400_000, 0);
        assert!(t.as_millis() - s.as_millis() < 86_400_000);
    }
}
