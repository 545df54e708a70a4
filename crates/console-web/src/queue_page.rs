//! The queue with each recipient copy's status (`/console/queue`, JSON twin
//! `/api/v1/queue`), newest first, filtered by status, for the roles that may see message
//! details (owners, admins, compliance officers): recipient addresses are shown, never a
//! subject or body. Only the person's own organisation's copies are read.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use model::RecipientStatus;
use serde::Deserialize;
use serde_json::json;
use storage::{RecipientFilter, RecipientRecord};

use crate::Console;
use crate::pages::{Frame, html};
use crate::session::{ClientIp, Signed, Visit};

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
    pub(crate) message: String,
    pub(crate) message_short: String,
    pub(crate) address: String,
    pub(crate) status: String,
    pub(crate) route: String,
    pub(crate) attempts: u32,
    pub(crate) tls: String,
    pub(crate) updated: String,
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
}

fn sees_details(signed: &Signed) -> bool {
    identity::roles::allows(
        signed.user.role,
        identity::roles::Permission::ViewMessageDetails,
    )
}

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
                Err(_) => {
                    return Err((
                        StatusCode::BAD_REQUEST,
                        Json(json!({"error": "unknown status"})),
                    )
                        .into_response());
                }
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
    let signed = match crate::users::signed_in(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !sees_details(&signed) {
        return crate::pages::notice(
            StatusCode::FORBIDDEN,
            crate::signin::frame(&signed),
            "Not available",
            "Your role does not include message details.",
            "/console",
            "Back to the console",
        );
    }
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
    let copies = match console.copies(&signed, &q).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let rows = copies
        .iter()
        .map(|c| {
            let message = c.message.to_string();
            Row {
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
            }
        })
        .collect();
    html(
        StatusCode::OK,
        &QueuePage {
            title: "Queue",
            script: false,
            frame: crate::signin::frame(&signed),
            statuses: STATUSES,
            chosen: q.status.clone(),
            rows,
        },
        &[],
    )
}

/// `GET /api/v1/queue?status=…&limit=…`.
pub(crate) async fn json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Query(q): Query<QueueQuery>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match crate::users::signed_in_json(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !sees_details(&signed) {
        return (StatusCode::FORBIDDEN, Json(json!({"error": "forbidden"}))).into_response();
    }
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
