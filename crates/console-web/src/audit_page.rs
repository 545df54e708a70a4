//! The audit trail in the console (`/console/audit`, JSON twin `/api/v1/audit/events`):
//! search the organisation's events by kind, message and day, and download a message's
//! delivery receipt with its inclusion proofs (`/console/audit/proof/{message}`), for the
//! roles that may read the trail (owners, admins, compliance officers, auditors). Every
//! search and download is itself recorded (`audit.queried`, via `console`). Events hold no
//! PHI by construction (see the `audit` crate), so they are shown as they are.

use std::sync::Arc;

use askama::Template;
use audit::{Actor, EventKind, Subject};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use model::{MessageId, Timestamp};
use serde::Deserialize;
use serde_json::json;
use storage::AuditFilter;

use crate::Console;
use crate::guard::Guard;
use crate::pages::{Frame, html};
use crate::session::{ClientIp, Signed, Visit};

/// Events shown per search.
const MAX_EVENTS: u32 = 200;

#[derive(Deserialize, Default)]
pub(crate) struct AuditQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    from: String,
}

pub(crate) struct EventRow {
    pub(crate) seq: u64,
    pub(crate) when: String,
    pub(crate) kind: String,
    pub(crate) actor: String,
    pub(crate) details: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub(crate) struct AuditPage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) kind: String,
    pub(crate) message: String,
    pub(crate) from: String,
    pub(crate) problem: Option<&'a str>,
    pub(crate) events: Vec<EventRow>,
}

fn reads_trail(signed: &Signed) -> bool {
    identity::roles::allows(
        signed.user.role,
        identity::roles::Permission::ReadAuditTrail,
    )
}

/// Who may search the audit trail.
const READERS: Guard = Guard::new(reads_trail, "Your role does not include the audit trail.");

/// The filter a query asks for, within the person's organisation; `Err` names the field.
fn filter(signed: &Signed, q: &AuditQuery) -> Result<AuditFilter, &'static str> {
    let kinds = match q.kind.trim() {
        "" => Vec::new(),
        k => vec![
            k.parse::<EventKind>()
                .map_err(|_| "That is not an event kind.")?,
        ],
    };
    let message = match q.message.trim() {
        "" => None,
        m => Some(
            m.parse::<MessageId>()
                .map_err(|_| "That is not a message id.")?,
        ),
    };
    let from = match q.from.trim() {
        "" => None,
        d => Some(day(d).ok_or("The date must be YYYY-MM-DD.")?),
    };
    Ok(AuditFilter {
        from,
        kinds,
        message,
        tenant: Some(signed.user.tenant),
        limit: MAX_EVENTS,
        ..AuditFilter::default()
    })
}

/// Midnight UTC of a `YYYY-MM-DD` day.
fn day(text: &str) -> Option<Timestamp> {
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (
        parts.next()?.parse::<i64>().ok()?,
        parts.next()?.parse::<i64>().ok()?,
        parts.next()?.parse::<i64>().ok()?,
    );
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days since the epoch (H. Hinnant's civil-from-days, inverted).
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(Timestamp::from_millis(days * 86_400_000))
}

impl Console {
    async fn record_query(
        &self,
        signed: &Signed,
        visit: &Visit,
        what: &str,
        message: Option<MessageId>,
    ) {
        self.record(
            signed
                .event(EventKind::AuditQueried, self.clock.now(), visit.ip)
                .with_subject(Subject {
                    message,
                    ..Subject::default()
                })
                .with_detail("query", what.to_string())
                .with_detail("via", "console"),
        )
        .await;
    }
}

fn actor_text(a: &Actor) -> String {
    storage::actor_key(a)
}

/// `GET /console/audit?kind=…&message=…&from=…`.
pub(crate) async fn page(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Query(q): Query<AuditQuery>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match READERS.page(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (events, problem) = match filter(&signed, &q) {
        Ok(f) => match console.store.find_audit(&f).await {
            Ok(found) => {
                console
                    .record_query(&signed, &visit, "search", f.message)
                    .await;
                (found, None)
            }
            Err(_) => return crate::pages::unavailable(),
        },
        Err(problem) => (Vec::new(), Some(problem)),
    };
    let rows = events
        .iter()
        .map(|e| EventRow {
            seq: e.seq,
            when: crate::pages::when(e.at),
            kind: e.kind.to_string(),
            actor: actor_text(&e.actor),
            details: serde_json::Value::Object(e.details.clone()).to_string(),
        })
        .collect();
    html(
        if problem.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        },
        &AuditPage {
            title: "Audit trail",
            script: false,
            frame: crate::signin::frame(&signed),
            kind: q.kind.chars().take(64).collect(),
            message: q.message.chars().take(64).collect(),
            from: q.from.chars().take(10).collect(),
            problem,
            events: rows,
        },
        &[],
    )
}

/// `GET /api/v1/audit/events?kind=…&message=…&from=…`: the same search as JSON.
pub(crate) async fn json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Query(q): Query<AuditQuery>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match READERS.json(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let f = match filter(&signed, &q) {
        Ok(f) => f,
        Err(problem) => {
            return (StatusCode::BAD_REQUEST, Json(json!({"error": problem}))).into_response();
        }
    };
    match console.store.find_audit(&f).await {
        Ok(found) => {
            console
                .record_query(&signed, &visit, "search", f.message)
                .await;
            Json(found).into_response()
        }
        Err(_) => crate::pages::unavailable(),
    }
}

/// `GET /console/audit/proof/{message}`: the receipt, as a download.
pub(crate) async fn proof(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(message): Path<String>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match crate::users::signed_in(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let not_found = || {
        crate::pages::notice(
            StatusCode::NOT_FOUND,
            crate::signin::frame(&signed),
            "No receipt",
            "There are no audit events for this message in your organisation.",
            "/console/audit",
            "Back to the audit trail",
        )
    };
    let (Some(trail), true, Ok(id)) = (
        console.trail.as_ref(),
        reads_trail(&signed),
        message.parse::<MessageId>(),
    ) else {
        return not_found();
    };
    let Ok(receipt) = trail.receipt(id).await else {
        return not_found();
    };
    // Another organisation's message is "not found", decided from the events themselves.
    let ours = receipt
        .events
        .iter()
        .all(|e| e.event.tenant.is_none_or(|t| t == signed.user.tenant))
        && receipt
            .events
            .iter()
            .any(|e| e.event.tenant == Some(signed.user.tenant));
    if !ours {
        return not_found();
    }
    console
        .record_query(&signed, &visit, "proof", Some(id))
        .await;
    let mut res = Json(receipt).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"receipt-{id}.json\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::day;

    #[test]
    fn days_are_midnight_utc() {
        assert_eq!(day("1970-01-01").map(|t| t.as_millis()), Some(0));
        assert_eq!(
            day("2026-11-30").map(|t| t.as_millis()),
            Some(1_795_996_800_000)
        );
        assert_eq!(
            day("2000-03-01").map(|t| t.as_millis()),
            Some(951_868_800_000)
        );
        for bad in ["", "2026-13-01", "26-1-1x", "2026-11", "abcd-ef-gh"] {
            assert!(day(bad).is_none(), "{bad}");
        }
    }
}
