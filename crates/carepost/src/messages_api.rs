//! REST submission for systems (EHRs, billing): `POST /api/v1/messages` and
//! `GET /api/v1/messages/{id}`.
//!
//! A request carries an organisation API key with `messages:send` and an
//! `Idempotency-Key` header. The message goes through the same intake path as SMTP
//! (screening, policy, sealing, the audit trail), and the idempotency key is committed in
//! the message's own transaction: a retried request, even one racing the first, gets the
//! first message's answer (`Idempotent-Replayed: true`) and never sends twice; the same
//! key with a different body is refused. Errors name the field, never its value.

use std::net::IpAddr;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use identity::api_keys::ApiScope;
use message::compose::{Compose, ComposeAttachment};
use model::{EmailAddress, MessageId, Principal, SubmissionChannel};
use queue::{IntakeError, Submission};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use storage::{SubmissionKey, SubmittedKey};

use crate::api_keys::{self, ApiCaller};
use crate::http::{AppState, PeerAddr, unavailable};

/// Standard base64, with or without padding (clients differ).
const BASE64_ANY_PADDING: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::general_purpose::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// Longest `Idempotency-Key`.
pub const MAX_IDEMPOTENCY_KEY: usize = 255;

/// The JSON body of `POST /api/v1/messages`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageRequest {
    from: String,
    #[serde(default)]
    from_name: Option<String>,
    #[serde(default)]
    to: Vec<String>,
    #[serde(default)]
    cc: Vec<String>,
    #[serde(default)]
    bcc: Vec<String>,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    html: Option<String>,
    #[serde(default)]
    attachments: Vec<AttachmentRequest>,
    #[serde(default)]
    headers: std::collections::BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttachmentRequest {
    filename: String,
    #[serde(default)]
    content_type: Option<String>,
    /// Base64 (standard alphabet, padding optional).
    content: String,
}

fn bad_request(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": message.into()})),
    )
        .into_response()
}

/// `POST /api/v1/messages`.
pub async fn submit(
    State(app): State<Arc<AppState>>,
    ConnectInfo(PeerAddr(peer)): ConnectInfo<PeerAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    const ROUTE: &str = "messages.submit";
    let caller = match api_keys::authorise(
        &app.store,
        app.clock.as_ref(),
        &headers,
        peer.ip(),
        ROUTE,
        ApiScope::MessagesSend,
    )
    .await
    {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Some(submissions) = app.submissions.clone() else {
        return unavailable();
    };
    let key = match idempotency_key(&headers) {
        Ok(k) => k,
        Err(r) => return r,
    };
    if body.len() > app.max_request_bytes {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            Json(json!({"error": format!("request larger than {} bytes", app.max_request_bytes)})),
        )
            .into_response();
    }
    let request_sha256 = hex::encode(Sha256::digest(&body));
    // A retry after the first answer: no need to build or screen anything again.
    match app.store.submitted_key(caller.key.id, &key).await {
        Ok(Some(done)) => return replay(&app, &caller, &done, &request_sha256).await,
        Ok(None) => {}
        Err(_) => return unavailable(),
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if !is_json {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Json(json!({"error": "Content-Type must be application/json"})),
        )
            .into_response();
    }
    let request: MessageRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        // serde's message names the field and position, never the value.
        Err(e) => return bad_request(format!("invalid JSON body: {}", json_problem(&e))),
    };
    let compose = match to_compose(request) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if !caller.senders.allows(&compose.from) {
        return (
            StatusCode::FORBIDDEN,
            Json(json!({"error": "this API key may not send from this address"})),
        )
            .into_response();
    }
    let local = uuid::Uuid::new_v4().simple().to_string();
    let data = match compose.build(&app.hostname, &local) {
        Ok(d) => d,
        Err(e) => return bad_request(e.to_string()),
    };
    if data.len() > app.max_message_bytes {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            Json(json!({"error": format!("message larger than {} bytes", app.max_message_bytes)})),
        )
            .into_response();
    }
    let submission = Submission {
        tenant: caller.key.tenant,
        principal: Principal::ApiKey { key: caller.key.id },
        channel: SubmissionChannel::Api,
        client_ip: peer.ip().to_string(),
        helo: "api".to_string(),
        envelope_from: Some(compose.from.clone()),
        recipients: compose.envelope_recipients(),
        data,
        priority: None,
        route: None,
    };
    let idempotency = SubmissionKey {
        credential: caller.key.id,
        key: key.clone(),
        request_sha256: request_sha256.clone(),
    };
    match submissions.submit_api(submission, idempotency).await {
        Ok(accepted) => {
            status_response(&app, accepted.message_id, StatusCode::ACCEPTED, false).await
        }
        Err(IntakeError::AlreadySubmitted) => {
            // A concurrent twin committed first: answer with its message.
            match app.store.submitted_key(caller.key.id, &key).await {
                Ok(Some(done)) => replay(&app, &caller, &done, &request_sha256).await,
                _ => unavailable(),
            }
        }
        Err(IntakeError::Rejected(reason)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": "refused by policy", "reason": reason})),
        )
            .into_response(),
        Err(IntakeError::Permanent(e)) => bad_request(e),
        Err(IntakeError::Temporary(e)) => {
            tracing::warn!(error = %e, "REST submission failed temporarily");
            let mut r = unavailable();
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
            r
        }
    }
}

/// `GET /api/v1/messages/{id}`: per-recipient status of a message the organisation sent.
pub async fn status(
    State(app): State<Arc<AppState>>,
    ConnectInfo(PeerAddr(peer)): ConnectInfo<PeerAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    const ROUTE: &str = "messages.status";
    let caller = match api_keys::authorise(
        &app.store,
        app.clock.as_ref(),
        &headers,
        peer.ip(),
        ROUTE,
        ApiScope::MessagesRead,
    )
    .await
    {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Ok(id) = id.parse::<MessageId>() else {
        return bad_request("id must be a message id");
    };
    match app.store.message(id).await {
        Ok(m) if m.tenant == caller.key.tenant => {
            status_response(&app, id, StatusCode::OK, false).await
        }
        Ok(_) => not_found_elsewhere(&app, &caller, peer.ip(), ROUTE).await,
        Err(storage::StorageError::NotFound) => not_found(),
        Err(_) => unavailable(),
    }
}

async fn not_found_elsewhere(
    app: &AppState,
    caller: &ApiCaller,
    ip: IpAddr,
    route: &'static str,
) -> Response {
    api_keys::refuse_other_organisation(&app.store, app.clock.as_ref(), caller, ip, route).await;
    not_found()
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"error": "no such message"})),
    )
        .into_response()
}

async fn replay(
    app: &AppState,
    caller: &ApiCaller,
    done: &SubmittedKey,
    request_sha256: &str,
) -> Response {
    if done.key.credential != caller.key.id {
        return unavailable();
    }
    if done.key.request_sha256 != request_sha256 {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": "this Idempotency-Key was already used for a different request"})),
        )
            .into_response();
    }
    status_response(app, done.message, StatusCode::ACCEPTED, true).await
}

/// The message's state: id, when, and each recipient copy's status and route.
async fn status_response(
    app: &AppState,
    id: MessageId,
    status: StatusCode,
    replayed: bool,
) -> Response {
    let (Ok(message), Ok(copies)) = (
        app.store.message(id).await,
        app.store.recipients_of(id).await,
    ) else {
        return unavailable();
    };
    let recipients: Vec<Value> = copies
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "address": c.address,
                "status": c.status.as_str(),
                "route": c.route.as_str(),
                "attempts": c.attempts,
                "updated": c.updated.to_rfc3339(),
                "tls_version": c.tls.as_ref().map(|t| t.tls_version.clone()),
            })
        })
        .collect();
    let location = format!("/api/v1/messages/{id}");
    let mut r = (
        status,
        Json(json!({
            "id": id,
            "received": message.received.to_rfc3339(),
            "size": message.size,
            "recipients": recipients,
            "status_url": location,
        })),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    if replayed {
        r.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    r
}

#[allow(clippy::result_large_err)] // the error is the ready answer
fn idempotency_key(headers: &HeaderMap) -> Result<String, Response> {
    let Some(value) = headers.get("idempotency-key") else {
        return Err(bad_request(
            "an Idempotency-Key header is required (a unique value per message, reused only when retrying it)",
        ));
    };
    let ok = value.len() <= MAX_IDEMPOTENCY_KEY
        && !value.is_empty()
        && value.as_bytes().iter().all(|b| (0x21..=0x7e).contains(b));
    match (ok, value.to_str()) {
        (true, Ok(v)) => Ok(v.to_string()),
        _ => Err(bad_request(format!(
            "Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY} visible ASCII characters"
        ))),
    }
}

#[allow(clippy::result_large_err)] // the error is the ready answer
fn to_compose(r: MessageRequest) -> Result<Compose, Response> {
    let one = |field: &str, s: &str| {
        EmailAddress::parse(s.trim())
            .map_err(|_| bad_request(format!("{field} must be an e-mail address")))
    };
    let many = |field: &str, list: &[String]| -> Result<Vec<EmailAddress>, Response> {
        list.iter()
            .enumerate()
            .map(|(i, s)| one(&format!("{field}[{i}]"), s))
            .collect()
    };
    let mut attachments = Vec::with_capacity(r.attachments.len());
    for (i, a) in r.attachments.into_iter().enumerate() {
        let content = BASE64_ANY_PADDING
            .decode(a.content.as_bytes())
            .map_err(|_| bad_request(format!("attachments[{i}].content must be base64")))?;
        attachments.push(ComposeAttachment {
            filename: a.filename,
            content_type: a
                .content_type
                .unwrap_or_else(|| "application/octet-stream".to_string()),
            content,
        });
    }
    Ok(Compose {
        from: one("from", &r.from)?,
        from_name: r.from_name,
        to: many("to", &r.to)?,
        cc: many("cc", &r.cc)?,
        bcc: many("bcc", &r.bcc)?,
        subject: r.subject,
        text: r.text,
        html: r.html,
        attachments,
        headers: r.headers.into_iter().collect(),
    })
}

/// serde_json's description of what is wrong, without the offending value: its message
/// can quote a string it could not use, which might be PHI.
fn json_problem(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Syntax | Category::Eof => "malformed JSON".to_string(),
        Category::Data => {
            // "unknown field `x`, expected one of …" and "missing field `from`" name
            // fields only; type errors may quote values, so they get a generic text.
            let text = e.to_string();
            if text.starts_with("unknown field") || text.starts_with("missing field") {
                text.split(" at line")
                    .next()
                    .unwrap_or("invalid field")
                    .to_string()
            } else {
                "a field has the wrong type".to_string()
            }
        }
        Category::Io => "unreadable body".to_string(),
    };
    format!("{what} (line {}, column {})", e.line(), e.column())
}
