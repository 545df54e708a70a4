//! The queue with each recipient copy's status (`/console/queue`, JSON twin
//! `/api/v1/queue`), newest first, filtered by status, for the roles that may see message
//! details (owners, admins, compliance officers): recipient addresses are shown, never a
//! subject or body. Only the person's own organisation's copies are read.
//!
//! People whose role manages the queue (`Permission::ManageQueue`) retry, hold and release
//! copies from the list (`POST /console/queue/{id}/{action}`, JSON twins
//! `POST /api/v1/queue/{id}/retry|hold|release`), with the anti-forgery token; the logic
//! is `operations::queue_actions`, shared with the CLI: each changed copy is audited in the
//! same transaction, and another organisation's copy is "not found" and the attempt
//! audited.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use model::RecipientStatus;
use operations::Scope;
use operations::queue_actions::{self, CopyOutcome, Quarantined, QueueAction};
use serde::Deserialize;
use serde_json::json;
use storage::{RecipientFilter, RecipientRecord};

use crate::Console;
use crate::guard::{ANYONE, Guard, not_available};
use crate::pages::{Frame, html};
use crate::policy_page::{error_json, op_request};
use crate::session::{ClientIp, Signed, Visit};
use crate::users::json_error;

/// Copies shown at most.
const MAX_ROWS: u32 = 200;

/// The statuses one can filter by.
const STATUSES: &[&str] = &[
    "queued",
    "delivering",
    "delivered",
    "deferred",
    "bounced",
    "awaiting-portal",
    "quarantined",
    "held",
];

#[derive(Deserialize, Default)]
pub(crate) struct QueueQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    limit: Option<u32>,
}

pub(crate) struct Row {
    pub(crate) id: String,
    pub(crate) message: String,
    pub(crate) message_short: String,
    pub(crate) address: String,
    pub(crate) status: String,
    pub(crate) route: String,
    pub(crate) attempts: u32,
    pub(crate) tls: String,
    pub(crate) updated: String,
    /// The queue actions this copy's status allows (`retry`, `hold`, `release`).
    pub(crate) actions: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "queue.html")]
pub(crate) struct QueuePage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) statuses: &'a [&'a str],
    pub(crate) chosen: String,
    pub(crate) rows: Vec<Row>,
    /// Whether the person may retry, hold and release copies.
    pub(crate) manage: bool,
    pub(crate) note: Option<String>,
    pub(crate) problem: Option<String>,
}

/// The actions offered, in the order of the buttons.
const ACTIONS: [QueueAction; 3] = [QueueAction::Retry, QueueAction::Hold, QueueAction::Release];

fn manages(signed: &Signed) -> bool {
    identity::roles::allows(signed.user.role, identity::roles::Permission::ManageQueue)
}

fn sees_details(signed: &Signed) -> bool {
    identity::roles::allows(
        signed.user.role,
        identity::roles::Permission::ViewMessageDetails,
    )
}

/// Who may see the queue.
const READERS: Guard = Guard::new(sees_details, "Your role does not include message details.");

/// Who may retry, hold and release copies (they see the queue as well).
const MANAGERS: Guard = Guard::new(
    |signed| manages(signed) && sees_details(signed),
    "Your role does not include managing the queue.",
);

impl Console {
    /// The organisation's copies, newest first; `Err` for an unknown status.
    async fn copies(
        &self,
        signed: &Signed,
        q: &QueueQuery,
    ) -> Result<Vec<RecipientRecord>, Response> {
        let statuses = if q.status.is_empty() {
            Vec::new()
        } else {
            match q.status.parse::<RecipientStatus>() {
                Ok(s) => vec![s],
                Err(_) => return Err(json_error(StatusCode::BAD_REQUEST, "unknown status")),
            }
        };
        self.store
            .list_recipients(&RecipientFilter {
                tenant: Some(signed.user.tenant),
                statuses,
                message: None,
                limit: q.limit.unwrap_or(MAX_ROWS).clamp(1, MAX_ROWS),
            })
            .await
            .map_err(|_| crate::pages::unavailable())
    }
}

/// `GET /console/queue?status=…`.
pub(crate) async fn page(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Query(q): Query<QueueQuery>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match READERS.page(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !q.status.is_empty() && q.status.parse::<RecipientStatus>().is_err() {
        return crate::pages::notice(
            StatusCode::BAD_REQUEST,
            crate::signin::frame(&signed),
            "Unknown status",
            "Choose a status from the list.",
            "/console/queue",
            "Back to the queue",
        );
    }
    console
        .queue_view(&signed, &q, StatusCode::OK, None, None)
        .await
}

impl Console {
    /// The queue page with an optional note or problem (after an action).
    async fn queue_view(
        &self,
        signed: &Signed,
        q: &QueueQuery,
        status: StatusCode,
        note: Option<String>,
        problem: Option<String>,
    ) -> Response {
        let copies = match self.copies(signed, q).await {
            Ok(c) => c,
            Err(r) => return r,
        };
        let manage = manages(signed);
        let rows = copies
            .iter()
            .map(|c| {
                let message = c.message.to_string();
                Row {
                    id: c.id.to_string(),
                    message_short: message.chars().take(8).collect(),
                    message,
                    address: c.address.to_string(),
                    status: c.status.as_str().to_string(),
                    route: c.route.as_str().to_string(),
                    attempts: c.attempts,
                    tls: c
                        .tls
                        .as_ref()
                        .map(|t| {
                            format!(
                                "{}{}",
                                t.tls_version,
                                if t.verified { ", verified" } else { "" }
                            )
                        })
                        .unwrap_or_default(),
                    updated: crate::pages::when(c.updated),
                    actions: if manage {
                        ACTIONS
                            .iter()
                            // Quarantined copies are released by reviewers, on the
                            // quarantine page (which also tells the sender).
                            .filter(|a| {
                                a.applies_to(c.status) && c.status != RecipientStatus::Quarantined
                            })
                            .map(|a| a.as_str())
                            .collect()
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect();
        html(
            status,
            &QueuePage {
                title: "Queue",
                script: false,
                frame: crate::signin::frame(signed),
                statuses: STATUSES,
                chosen: q.status.clone(),
                rows,
                manage,
                note,
                problem,
            },
            &[],
        )
    }
}

/// `GET /api/v1/queue?status=…&limit=…`.
pub(crate) async fn json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Query(q): Query<QueueQuery>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match READERS.json(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match console.copies(&signed, &q).await {
        Ok(copies) => Json(
            copies
                .iter()
                .map(|c| {
                    json!({
                        "id": c.id,
                        "message": c.message,
                        "address": c.address,
                        "status": c.status.as_str(),
                        "route": c.route.as_str(),
                        "attempts": c.attempts,
                        "tls_version": c.tls.as_ref().map(|t| t.tls_version.clone()),
                        "tls_verified": c.tls.as_ref().map(|t| t.verified),
                        "updated": c.updated.to_rfc3339(),
                    })
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(r) => r,
    }
}

#[derive(Deserialize)]
pub(crate) struct ActionForm {
    #[serde(default)]
    csrf: String,
}

impl Console {
    /// Apply a queue action to a message or copy of the person's organisation.
    async fn queue_action(
        &self,
        signed: &Signed,
        visit: &Visit,
        id: &str,
        action: QueueAction,
    ) -> Result<Vec<CopyOutcome>, operations::Error> {
        let request = op_request(self, signed, visit);
        queue_actions::apply(
            &self.store,
            Scope::Organisation(signed.user.tenant),
            id,
            action,
            Quarantined::LeaveAlone,
            &request,
        )
        .await
    }
}

/// `POST /console/queue/{id}/{action}` (`retry`, `hold` or `release`).
pub(crate) async fn action_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    // The token is checked before the role here (the order this page always had).
    let signed = match ANYONE.form(&console, &visit, &headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let q = QueueQuery::default();
    if !(MANAGERS.may)(&signed) {
        return not_available(&signed, MANAGERS.refusal);
    }
    let Ok(action) = action.parse::<QueueAction>() else {
        return console
            .queue_view(
                &signed,
                &q,
                StatusCode::NOT_FOUND,
                None,
                Some("Unknown action.".to_string()),
            )
            .await;
    };
    match console.queue_action(&signed, &visit, &id, action).await {
        Ok(outcomes) => {
            let changed = outcomes.iter().filter(|o| o.changed).count();
            let (note, problem) = if changed == 0 {
                (
                    None,
                    Some(format!(
                        "No copy could be {}: its status does not allow it.",
                        action.verb()
                    )),
                )
            } else {
                (
                    Some(format!(
                        "{changed} cop{} {}.",
                        if changed == 1 { "y" } else { "ies" },
                        action.verb()
                    )),
                    None,
                )
            };
            console
                .queue_view(&signed, &q, StatusCode::OK, note, problem)
                .await
        }
        Err(operations::Error::NotFound | operations::Error::BadId) => {
            console
                .queue_view(
                    &signed,
                    &q,
                    StatusCode::NOT_FOUND,
                    None,
                    Some("No such copy.".to_string()),
                )
                .await
        }
        Err(e) => {
            tracing::error!(error = %e, "a queue action failed");
            crate::pages::unavailable()
        }
    }
}

async fn action_json(
    console: &Console,
    ip: Option<Extension<ClientIp>>,
    headers: &HeaderMap,
    id: &str,
    action: QueueAction,
) -> Response {
    let visit = Visit::new(headers, ip.as_deref());
    let signed = match MANAGERS.json_write(console, &visit, headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match console.queue_action(&signed, &visit, id, action).await {
        Ok(outcomes) => Json(json!({
            "action": action.as_str(),
            "copies": outcomes.iter().map(|o| json!({
                "id": o.id,
                "before": o.before.as_str(),
                "changed": o.changed,
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(operations::Error::BadId) => json_error(StatusCode::NOT_FOUND, "not_found"),
        Err(e) => error_json(&e),
    }
}

/// `POST /api/v1/queue/{id}/retry` (with `x-csrf-token`).
pub(crate) async fn retry_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    action_json(&console, ip, &headers, &id, QueueAction::Retry).await
}

/// `POST /api/v1/queue/{id}/hold` (with `x-csrf-token`).
pub(crate) async fn hold_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    action_json(&console, ip, &headers, &id, QueueAction::Hold).await
}

/// `POST /api/v1/queue/{id}/release` (with `x-csrf-token`).
pub(crate) async fn release_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    action_json(&console, ip, &headers, &id, QueueAction::Release).await
}
