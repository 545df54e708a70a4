//! Quarantine review (`/console/quarantine`): the copies policy held back for the person's
//! own organisation, why (the scan verdict's categories and the policy decision with its
//! rules, per copy), and release or reject with a reason; with JSON twins under
//! `/api/v1/quarantine`. The logic is `operations::quarantine`, shared with the CLI.
//!
//! **Who:** people whose role reviews quarantine (`Permission::ReviewQuarantine`).
//!
//! **Security:** every read and write is scoped to the person's organisation: a message or
//! copy of another organisation is "not found", and the attempt is audited as a refused
//! access (by `operations::resolve`). Release and reject need the form's anti-forgery
//! token (JSON: `x-csrf-token`); each changed copy is audited in the same transaction.
//!
//! **PHI:** the pages show recipient addresses and category names, never a subject, a body
//! or a matched value; opening a message's detail is recorded (`audit.queried`,
//! `query = "quarantine_detail"`). The sender's notice carries the message id, the time,
//! the number of copies and the reviewer's reason, never the subject or content; the
//! reason is not copied into the audit trail (a reviewer might type a patient detail).

use std::sync::Arc;

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use identity::roles::{Permission, allows};
use operations::quarantine::{self, Decided, Detail, Finding, Notices};
use operations::{Error, Scope};
use serde::Deserialize;
use serde_json::json;
use storage::RecipientRecord;

use crate::Console;
use crate::guard::Guard;
use crate::pages::{self, Frame, html};
use crate::policy_page::{error_json, op_request};
use crate::session::{ClientIp, Signed, Visit};
use crate::users::json_error;

/// Quarantined copies listed at most.
const MAX_ROWS: u32 = 500;

pub(crate) struct CopyRow {
    pub(crate) message: String,
    pub(crate) message_short: String,
    pub(crate) address: String,
    pub(crate) status: String,
    pub(crate) since: String,
}

fn row(c: &RecipientRecord) -> CopyRow {
    let message = c.message.to_string();
    CopyRow {
        message_short: message.chars().take(8).collect(),
        message,
        address: c.address.to_string(),
        status: c.status.as_str().to_string(),
        since: pages::when(c.updated),
    }
}

#[derive(Template)]
#[template(path = "quarantine.html")]
pub(crate) struct QuarantinePage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) note: Option<String>,
    pub(crate) problem: Option<String>,
    pub(crate) rows: Vec<CopyRow>,
}

pub(crate) struct ScanView {
    pub(crate) phi: bool,
    pub(crate) phi_in_subject: bool,
    pub(crate) categories: String,
    pub(crate) unscannable: String,
    /// Why PHI, in words ("; " between kinds).
    pub(crate) phi_basis: String,
    pub(crate) model_took_back: bool,
}

pub(crate) struct DecisionView {
    pub(crate) copy: String,
    pub(crate) action: String,
    pub(crate) policy_version: u64,
    pub(crate) rules: String,
}

#[derive(Template)]
#[template(path = "quarantine_detail.html")]
pub(crate) struct DetailPage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) message: String,
    pub(crate) copies: Vec<CopyRow>,
    pub(crate) quarantined: bool,
    pub(crate) scans: Vec<ScanView>,
    pub(crate) decisions: Vec<DecisionView>,
    pub(crate) problem: Option<String>,
    pub(crate) max_reason: usize,
}

#[derive(Deserialize)]
pub(crate) struct DecideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
pub(crate) struct RejectJson {
    reason: String,
}

/// Who reviews quarantine.
const REVIEWERS: Guard = Guard::new(
    |signed| allows(signed.user.role, Permission::ReviewQuarantine),
    "Your role does not include quarantine review.",
);

fn list_text(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

impl Console {
    async fn quarantine_list(
        &self,
        signed: &Signed,
        status: StatusCode,
        note: Option<String>,
        problem: Option<String>,
    ) -> Response {
        let Ok(copies) = quarantine::list(
            &self.store,
            Scope::Organisation(signed.user.tenant),
            MAX_ROWS,
        )
        .await
        else {
            return pages::unavailable();
        };
        html(
            status,
            &QuarantinePage {
                title: "Quarantine",
                script: false,
                frame: crate::signin::frame(signed),
                note,
                problem,
                rows: copies.iter().map(row).collect(),
            },
            &[],
        )
    }

    /// A message's detail in the person's organisation (the look is audited).
    async fn quarantine_detail(
        &self,
        signed: &Signed,
        visit: &Visit,
        id: &str,
    ) -> Result<Detail, Error> {
        let request = op_request(self, signed, visit);
        let detail = quarantine::detail(
            &self.store,
            Scope::Organisation(signed.user.tenant),
            id,
            &request,
        )
        .await?;
        let event = audit::AuditEvent::new(
            0,
            request.now,
            request.actor.clone(),
            audit::EventKind::AuditQueried,
        )
        .with_tenant(signed.user.tenant)
        .with_source_ip(visit.ip)
        .with_subject(audit::Subject {
            message: Some(detail.message),
            ..audit::Subject::default()
        })
        .with_detail("query", "quarantine_detail");
        self.store.append_audit(&[event]).await?;
        Ok(detail)
    }

    fn notices(&self) -> Option<Notices<'_>> {
        self.mail.as_ref().map(|(intake, hostname)| Notices {
            intake: intake.as_ref(),
            hostname: hostname.as_str(),
        })
    }

    /// Release (`reason` `None`) or reject in the person's organisation.
    async fn quarantine_decide(
        &self,
        notices: Notices<'_>,
        signed: &Signed,
        visit: &Visit,
        id: &str,
        reason: Option<&str>,
    ) -> Result<Decided, Error> {
        let request = op_request(self, signed, visit);
        let scope = Scope::Organisation(signed.user.tenant);
        match reason {
            None => quarantine::release(&self.store, notices, scope, id, &request).await,
            Some(r) => quarantine::reject(&self.store, notices, scope, id, r, &request).await,
        }
    }
}

/// `GET /console/quarantine`.
pub(crate) async fn page(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    match REVIEWERS.page(&console, &visit).await {
        Ok(signed) => {
            console
                .quarantine_list(&signed, StatusCode::OK, None, None)
                .await
        }
        Err(r) => r,
    }
}

/// `GET /console/quarantine/{id}`.
pub(crate) async fn detail_page(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match REVIEWERS.page(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    detail_view(&console, &signed, &visit, &id, None, StatusCode::OK).await
}

async fn detail_view(
    console: &Console,
    signed: &Signed,
    visit: &Visit,
    id: &str,
    problem: Option<String>,
    status: StatusCode,
) -> Response {
    let detail = match console.quarantine_detail(signed, visit, id).await {
        Ok(d) => d,
        Err(Error::NotFound | Error::BadId) => {
            return console
                .quarantine_list(
                    signed,
                    StatusCode::NOT_FOUND,
                    None,
                    Some("No such message.".to_string()),
                )
                .await;
        }
        Err(_) => return pages::unavailable(),
    };
    let mut scans = Vec::new();
    let mut decisions = Vec::new();
    for f in &detail.findings {
        match f {
            Finding::Scanned(s) => scans.push(ScanView {
                phi: s.phi,
                phi_in_subject: s.phi_in_subject,
                categories: list_text(&s.categories),
                unscannable: list_text(&s.unscannable),
                phi_basis: s.phi_basis_described().join("; "),
                model_took_back: s.model_took_back,
            }),
            Finding::Decided(d) => decisions.push(DecisionView {
                copy: d.copy.as_ref().map_or("another copy".to_string(), |c| {
                    format!("{} ({})", c.address, c.status)
                }),
                action: d.action.clone(),
                policy_version: d.policy_version,
                rules: list_text(&d.rules),
            }),
        }
    }
    html(
        status,
        &DetailPage {
            title: "Quarantined message",
            script: false,
            frame: crate::signin::frame(signed),
            message: detail.message.to_string(),
            quarantined: detail
                .copies
                .iter()
                .any(|c| c.status == model::RecipientStatus::Quarantined),
            copies: detail.copies.iter().map(row).collect(),
            scans,
            decisions,
            problem,
            max_reason: quarantine::MAX_REASON_CHARS,
        },
        &[],
    )
}

/// `POST /console/quarantine/{id}/release`.
pub(crate) async fn release_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<DecideForm>,
) -> Response {
    decide_form(&console, ip, &headers, &id, &form, false).await
}

/// `POST /console/quarantine/{id}/reject` (form field `reason`).
pub(crate) async fn reject_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<DecideForm>,
) -> Response {
    decide_form(&console, ip, &headers, &id, &form, true).await
}

async fn decide_form(
    console: &Console,
    ip: Option<Extension<ClientIp>>,
    headers: &HeaderMap,
    id: &str,
    form: &DecideForm,
    reject: bool,
) -> Response {
    let visit = Visit::new(headers, ip.as_deref());
    let signed = match REVIEWERS.form(console, &visit, headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    // Without the intake the sender could not be told: refuse rather than decide silently
    // (the binary always configures it when the console runs).
    let Some(notices) = console.notices() else {
        return pages::unavailable();
    };
    let reason = reject.then_some(form.reason.as_str());
    match console
        .quarantine_decide(notices, &signed, &visit, id, reason)
        .await
    {
        Ok(d) => {
            let n = d.changed.len();
            let note = format!(
                "{n} cop{} of message {} {}{}.",
                if n == 1 { "y" } else { "ies" },
                d.message,
                if reject { "rejected" } else { "released" },
                if d.sender_notified {
                    "; the sender was notified (without the subject)"
                } else {
                    ""
                }
            );
            console
                .quarantine_list(&signed, StatusCode::OK, Some(note), None)
                .await
        }
        Err(Error::NotFound | Error::BadId) => {
            console
                .quarantine_list(
                    &signed,
                    StatusCode::NOT_FOUND,
                    None,
                    Some("No such message.".to_string()),
                )
                .await
        }
        Err(Error::NothingQuarantined) => {
            console
                .quarantine_list(
                    &signed,
                    StatusCode::CONFLICT,
                    None,
                    Some("Nothing of that message is in quarantine any more.".to_string()),
                )
                .await
        }
        Err(Error::InvalidReason) => {
            detail_view(
                console,
                &signed,
                &visit,
                id,
                Some(format!(
                    "Give a reason of 1 to {} characters.",
                    quarantine::MAX_REASON_CHARS
                )),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => {
            tracing::error!(error = %e, "a quarantine decision failed");
            pages::unavailable()
        }
    }
}

fn copy_json(c: &RecipientRecord) -> serde_json::Value {
    json!({
        "id": c.id,
        "message": c.message,
        "address": c.address,
        "status": c.status.as_str(),
        "since": c.updated.to_rfc3339(),
    })
}

/// `GET /api/v1/quarantine`.
pub(crate) async fn list_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match REVIEWERS.json(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match quarantine::list(
        &console.store,
        Scope::Organisation(signed.user.tenant),
        MAX_ROWS,
    )
    .await
    {
        Ok(copies) => Json(copies.iter().map(copy_json).collect::<Vec<_>>()).into_response(),
        Err(e) => error_json(&e),
    }
}

/// `GET /api/v1/quarantine/{id}`.
pub(crate) async fn detail_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match REVIEWERS.json(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let detail = match console.quarantine_detail(&signed, &visit, &id).await {
        Ok(d) => d,
        Err(Error::BadId) => return json_error(StatusCode::NOT_FOUND, "not_found"),
        Err(e) => return error_json(&e),
    };
    let mut scans = Vec::new();
    let mut decisions = Vec::new();
    for f in &detail.findings {
        match f {
            Finding::Scanned(s) => scans.push(json!({
                "phi": s.phi,
                "phi_in_subject": s.phi_in_subject,
                "categories": s.categories,
                "unscannable": s.unscannable,
                "phi_basis": s.phi_basis,
                "model_took_back": s.model_took_back,
            })),
            Finding::Decided(d) => decisions.push(json!({
                "copy": d.copy.as_ref().map(|c| c.id),
                "action": d.action,
                "policy_version": d.policy_version,
                "rules": d.rules,
            })),
        }
    }
    Json(json!({
        "message": detail.message,
        "copies": detail.copies.iter().map(copy_json).collect::<Vec<_>>(),
        "scans": scans,
        "decisions": decisions,
    }))
    .into_response()
}

async fn decide_json(
    console: &Console,
    ip: Option<Extension<ClientIp>>,
    headers: &HeaderMap,
    id: &str,
    reason: Option<&str>,
) -> Response {
    let visit = Visit::new(headers, ip.as_deref());
    let signed = match REVIEWERS.json_write(console, &visit, headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(notices) = console.notices() else {
        return json_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
    };
    match console
        .quarantine_decide(notices, &signed, &visit, id, reason)
        .await
    {
        Ok(d) => Json(json!({
            "message": d.message,
            "changed": d.changed,
            "decision": if reason.is_some() { "rejected" } else { "released" },
            "sender_notified": d.sender_notified,
        }))
        .into_response(),
        Err(Error::BadId) => json_error(StatusCode::NOT_FOUND, "not_found"),
        Err(e) => error_json(&e),
    }
}

/// `POST /api/v1/quarantine/{id}/release` (with `x-csrf-token`).
pub(crate) async fn release_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    decide_json(&console, ip, &headers, &id, None).await
}

/// `POST /api/v1/quarantine/{id}/reject` `{"reason": …}` (with `x-csrf-token`).
pub(crate) async fn reject_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<RejectJson>,
) -> Response {
    decide_json(&console, ip, &headers, &id, Some(&body.reason)).await
}
