//! The HTTPS listener. For now it serves health and queue totals (no PHI); the portal, the
//! admin console and the REST API mount here in later work.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use audit::{Actor, AuditEvent, EventKind, Subject};
use audit_trail::AuditTrail;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use console_web::ApiNeed;
use model::{Clock, MessageId, Role, SystemClock};
use serde::Deserialize;
use serde_json::json;
use storage::{AuditFilter, User};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use storage::SharedStore;

/// TLS handshakes are done off the accept loop, so a client that stalls its handshake
/// cannot block others; this bounds how long one may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

pub struct TlsListener {
    local: SocketAddr,
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
}

impl TlsListener {
    pub fn new(tcp: TcpListener, acceptor: TlsAcceptor) -> std::io::Result<Self> {
        let local = tcp.local_addr()?;
        let (tx, ready) = mpsc::channel(64);
        tokio::spawn(async move {
            loop {
                let (stream, peer) = match tcp.accept().await {
                    Ok(x) => x,
                    Err(e) => {
                        tracing::warn!(error = %e, "https accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let acceptor = acceptor.clone();
                let ready = tx.clone();
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(tls)) => {
                            let _ = ready.send((tls, peer)).await;
                        }
                        Ok(Err(e)) => tracing::debug!(error = %e, "https handshake failed"),
                        Err(_) => tracing::debug!("https handshake timed out"),
                    }
                });
                if tx.is_closed() {
                    break;
                }
            }
        });
        Ok(Self { local, ready })
    }
}

/// The client's address, for handlers (`ConnectInfo<PeerAddr>`).
#[derive(Clone, Copy, Debug)]
pub struct PeerAddr(pub SocketAddr);

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, TlsListener>>
    for PeerAddr
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, TlsListener>) -> Self {
        PeerAddr(*stream.remote_addr())
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            if let Some(x) = self.ready.recv().await {
                return x;
            }
            // The accept task ended (cannot happen while we hold the receiver); park.
            std::future::pending::<()>().await;
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

/// What the handlers share.
pub struct AppState {
    pub store: SharedStore,
    pub trail: Arc<AuditTrail>,
    pub clock: Arc<dyn Clock>,
    /// The intake path for REST submissions (`None`: the API accepts no messages).
    pub submissions: Option<Arc<relay::SubmissionService>>,
    /// Our host name (Message-IDs of REST submissions).
    pub hostname: String,
    /// Largest message a REST submission may build (as `smtp.max_message_size`).
    pub max_message_bytes: usize,
    /// Largest REST request body (base64 makes attachments a third larger).
    pub max_request_bytes: usize,
    /// The console, whose sessions the routes below also accept (besides HTTP Basic with
    /// an app password); `router` sets it from its `console` argument.
    pub console: Option<Arc<console_web::Console>>,
}

impl AppState {
    /// State over a store and trail, with the system clock and no submission path.
    pub fn new(store: SharedStore, trail: Arc<AuditTrail>) -> Self {
        Self {
            store,
            trail,
            clock: Arc::new(SystemClock),
            submissions: None,
            hostname: "localhost".to_string(),
            max_message_bytes: 25 * 1024 * 1024,
            max_request_bytes: 34 * 1024 * 1024,
            console: None,
        }
    }
}

pub fn router(
    state: AppState,
    portal: Option<Arc<portal_web::Portal>>,
    console: Option<Arc<console_web::Console>>,
) -> Router {
    let body_limit = state.max_request_bytes;
    // One source for the console: the routes here accept its sessions exactly when its
    // pages are mounted.
    let state = AppState {
        console: console.clone(),
        ..state
    };
    let api = Router::new()
        .route("/healthz", get(health))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/audit/v1/head", get(latest_head))
        .route("/audit/v1/consistency", get(consistency))
        .route("/audit/v1/proof/{message}", get(proof))
        .route("/audit/v1/events", get(events))
        .route("/api/v1/policy", get(policy_current).put(policy_put))
        .route("/api/v1/policy/history", get(policy_history))
        .route("/api/v1/portal/copies", get(portal_copies))
        .route(
            "/api/v1/portal/copies/{id}/revoke",
            axum::routing::post(portal_revoke),
        )
        .route(
            "/api/v1/messages",
            axum::routing::post(crate::messages_api::submit)
                .layer(axum::extract::DefaultBodyLimit::max(body_limit)),
        )
        .route("/api/v1/messages/{id}", get(crate::messages_api::status))
        .route("/api/v1/api-keys", get(api_keys_list).post(api_keys_create))
        .route(
            "/api/v1/api-keys/{id}/revoke",
            axum::routing::post(api_keys_revoke),
        )
        .with_state(Arc::new(state));
    let app = match portal {
        Some(portal) => api.merge(portal.router()),
        None => api,
    };
    let app = match console {
        Some(console) => app.merge(console.router()),
        None => app,
    };
    app.layer(axum::middleware::map_request(client_ip))
        .layer(axum::middleware::map_response(security_headers))
}

/// The OpenAPI 3.1 document describing every route above (checked by a test).
const OPENAPI: &str = include_str!("../openapi.json");

async fn openapi() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        OPENAPI,
    )
        .into_response()
}

/// Hand the portal the client's address (it cannot name this binary's listener type).
async fn client_ip(
    ConnectInfo(peer): ConnectInfo<PeerAddr>,
    mut req: axum::extract::Request,
) -> axum::extract::Request {
    req.extensions_mut()
        .insert(portal_web::ClientIp(peer.0.ip()));
    req.extensions_mut()
        .insert(console_web::ClientIp(peer.0.ip()));
    req
}

#[derive(Deserialize)]
struct PortalCopiesQuery {
    message: Option<String>,
    address: Option<String>,
    limit: Option<u32>,
}

/// Who may see every portal copy of the organisation; a sender sees the copies of the
/// messages they submitted.
const PORTAL_OVERSEERS: &[Role] = &[Role::Owner, Role::Admin, Role::Compliance];

/// Whether `user` submitted `message` (or oversees the organisation's portal).
async fn may_manage_message(store: &SharedStore, user: &User, message: MessageId) -> bool {
    if PORTAL_OVERSEERS.contains(&user.role) {
        return true;
    }
    match store.message(message).await {
        Ok(m) => {
            m.tenant == user.tenant
                && matches!(m.principal, model::Principal::User { user_id, .. } if user_id == user.id)
        }
        Err(_) => false,
    }
}

/// `GET /api/v1/portal/copies?message=ID&address=A&limit=N`: every portal copy's state.
async fn portal_copies(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    ip: Option<Extension<console_web::ClientIp>>,
    Query(q): Query<PortalCopiesQuery>,
) -> Response {
    let user = match authorised(
        &app,
        &headers,
        ip,
        &[Role::Owner, Role::Admin, Role::Compliance, Role::Sender],
        ApiNeed::Read,
    )
    .await
    {
        Ok(u) => u,
        Err(r) => return r,
    };
    let message = match q.message.as_deref().map(str::parse::<MessageId>) {
        Some(Ok(m)) => Some(m),
        Some(Err(_)) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": "message must be a message id"})),
            )
                .into_response();
        }
        None => None,
    };
    let address = match q.address.as_deref().map(model::EmailAddress::parse) {
        Some(Ok(a)) => Some(a),
        Some(Err(_)) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": "address must be an e-mail address"})),
            )
                .into_response();
        }
        None => None,
    };
    match message {
        Some(m) if !may_manage_message(&app.store, &user, m).await => {
            return (
                StatusCode::NOT_FOUND,
                Json(json!({"error": "no such message"})),
            )
                .into_response();
        }
        None if !PORTAL_OVERSEERS.contains(&user.role) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": "senders must name a message (?message=ID)"})),
            )
                .into_response();
        }
        _ => {}
    }
    let filter = storage::PortalFilter {
        tenant: Some(user.tenant),
        message,
        address,
        limit: q.limit.unwrap_or(100).min(1000),
    };
    match portal_web::copies(app.store.as_ref(), &filter, SystemClock.now()).await {
        Ok(list) => Json(list).into_response(),
        Err(_) => unavailable(),
    }
}

/// `POST /api/v1/portal/copies/{id}/revoke`: the link stops working at once.
async fn portal_revoke(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    ip: Option<Extension<console_web::ClientIp>>,
    Path(id): Path<String>,
) -> Response {
    let user = match authorised(
        &app,
        &headers,
        ip,
        &[Role::Owner, Role::Admin, Role::Compliance, Role::Sender],
        ApiNeed::Write,
    )
    .await
    {
        Ok(u) => u,
        Err(r) => return r,
    };
    let not_found = || {
        (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such portal copy"})),
        )
            .into_response()
    };
    let Ok(id) = id.parse::<model::PortalCopyId>() else {
        return not_found();
    };
    let copy = match app.store.portal_copy(id).await {
        Ok(c) if c.tenant == user.tenant => c,
        Ok(_) | Err(storage::StorageError::NotFound) => return not_found(),
        Err(_) => return unavailable(),
    };
    if !may_manage_message(&app.store, &user, copy.message).await {
        return not_found();
    }
    match portal_web::revoke(
        app.store.as_ref(),
        id,
        Some(user.tenant),
        Actor::User { id: user.id },
        SystemClock.now(),
    )
    .await
    {
        Ok(revoked) => Json(json!({"id": id, "revoked": true, "changed": revoked})).into_response(),
        Err(portal_web::RevokeError::NotFound) => not_found(),
        Err(_) => unavailable(),
    }
}

/// The newest signed tree head, as a head line (public: it holds sizes, a root hash and a
/// signature, nothing about any message). Monitors and witnesses poll it.
async fn latest_head(State(app): State<Arc<AppState>>) -> Response {
    match app.store.latest_tree_head().await {
        Ok(Some(h)) => (
            [(header::CONTENT_TYPE, "application/json")],
            audit::head_line(&h.head),
        )
            .into_response(),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no head signed yet"})),
        )
            .into_response(),
        Err(_) => unavailable(),
    }
}

#[derive(Deserialize)]
struct ConsistencyQuery {
    first: u64,
    second: u64,
}

/// RFC 9162 consistency proof between two tree sizes (public, like the heads).
async fn consistency(
    State(app): State<Arc<AppState>>,
    Query(q): Query<ConsistencyQuery>,
) -> Response {
    match app.trail.consistency_proof(q.first, q.second).await {
        Ok(proof) => Json(json!({
            "first": q.first,
            "second": q.second,
            "proof": proof.iter().map(hex::encode).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(audit_trail::TrailError::Proof(e)) => (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": e.to_string()})),
        )
            .into_response(),
        Err(_) => unavailable(),
    }
}

/// A delivery receipt for one message (needs an owner, admin, compliance or auditor
/// credential; the receipt names no addresses, only ids).
async fn proof(
    State(app): State<Arc<AppState>>,
    Path(message): Path<String>,
    headers: HeaderMap,
    ConnectInfo(PeerAddr(peer)): ConnectInfo<PeerAddr>,
) -> Response {
    let ip = Some(Extension(console_web::ClientIp(peer.ip())));
    let user = match auditor(&app, &headers, ip).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Ok(id) = message.parse().map(MessageId) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "not a message id"})),
        )
            .into_response();
    };
    match app.trail.receipt(id).await {
        // A receipt of another organisation's message is "not found", like an unknown one
        // (decided from the events themselves, which outlive the queue's records).
        Ok(receipt)
            if !receipt
                .events
                .iter()
                .any(|e| e.event.tenant == Some(user.tenant))
                || receipt
                    .events
                    .iter()
                    .any(|e| e.event.tenant.is_some_and(|t| t != user.tenant)) =>
        {
            (
                StatusCode::NOT_FOUND,
                Json(json!({"error": "no audit events for this message"})),
            )
                .into_response()
        }
        Ok(receipt) => {
            record_query(&app.store, &user, peer, "proof", Some(id)).await;
            Json(receipt).into_response()
        }
        Err(audit_trail::TrailError::NoEvents) => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no audit events for this message"})),
        )
            .into_response(),
        Err(_) => unavailable(),
    }
}

#[derive(Deserialize)]
struct EventsQuery {
    from: Option<String>,
    until: Option<String>,
    kind: Option<String>,
    actor: Option<String>,
    message: Option<String>,
    recipient: Option<String>,
    after_seq: Option<u64>,
    limit: Option<u32>,
}

/// Search the trail (same filters as `carepost audit search`), JSON lines.
async fn events(
    State(app): State<Arc<AppState>>,
    Query(q): Query<EventsQuery>,
    headers: HeaderMap,
    ConnectInfo(PeerAddr(peer)): ConnectInfo<PeerAddr>,
) -> Response {
    let ip = Some(Extension(console_web::ClientIp(peer.ip())));
    let user = match auditor(&app, &headers, ip).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let bad = |what: &str| {
        (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": format!("invalid {what}")})),
        )
            .into_response()
    };
    let filter = AuditFilter {
        from: match q
            .from
            .as_deref()
            .map(crate::audit_cmd::parse_time)
            .transpose()
        {
            Ok(t) => t,
            Err(_) => return bad("from"),
        },
        until: match q
            .until
            .as_deref()
            .map(crate::audit_cmd::parse_time)
            .transpose()
        {
            Ok(t) => t,
            Err(_) => return bad("until"),
        },
        kinds: match q.kind.as_deref().map(str::parse::<EventKind>).transpose() {
            Ok(k) => k.into_iter().collect(),
            Err(_) => return bad("kind"),
        },
        actor: q.actor,
        message: match q
            .message
            .as_deref()
            .map(|m| m.parse().map(MessageId))
            .transpose()
        {
            Ok(m) => m,
            Err(_) => return bad("message"),
        },
        recipient: match q
            .recipient
            .as_deref()
            .map(|r| r.parse().map(model::RecipientId))
            .transpose()
        {
            Ok(r) => r,
            Err(_) => return bad("recipient"),
        },
        // An auditor sees their own organisation only.
        tenant: Some(user.tenant),
        after_seq: q.after_seq,
        limit: q.limit.unwrap_or(1000).min(10_000),
        ..AuditFilter::default()
    };
    match app.store.find_audit(&filter).await {
        Ok(found) => {
            record_query(&app.store, &user, peer, "search", filter.message).await;
            let mut body = String::new();
            for e in &found {
                if let Ok(line) = audit::event_line(e) {
                    body.push_str(&line);
                    body.push('\n');
                }
            }
            ([(header::CONTENT_TYPE, "application/jsonl")], body).into_response()
        }
        Err(_) => unavailable(),
    }
}

pub(crate) fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({"error": "storage unavailable"})),
    )
        .into_response()
}

/// Who may read the audit trail and the policy.
const READERS: &[Role] = &[Role::Owner, Role::Admin, Role::Compliance, Role::Auditor];
/// Who may change the policy: the roles with `Permission::EditPolicy` (an admin runs the
/// system but does not decide how PHI travels; see `identity::roles`).
const POLICY_EDITORS: &[Role] = &[Role::Owner, Role::Compliance];

/// HTTP Basic or a console session, for one of `READERS`.
async fn auditor(
    app: &AppState,
    headers: &HeaderMap,
    ip: Option<Extension<console_web::ClientIp>>,
) -> Result<User, Response> {
    authorised(app, headers, ip, READERS, ApiNeed::Read).await
}

/// The organisation's policy in force (version 0 = the built-in default).
async fn policy_current(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    ip: Option<Extension<console_web::ClientIp>>,
) -> Response {
    let user = match authorised(&app, &headers, ip, READERS, ApiNeed::Read).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    // The version is also the entity tag, for `If-Match` on `PUT`.
    let tagged = |version: u64, body: serde_json::Value| {
        ([policy_etag(version)], Json(body)).into_response()
    };
    match app.store.current_policy(user.tenant).await {
        Ok(Some(p)) => tagged(
            p.version,
            json!({
                "version": p.version, "author": p.author, "created": p.created.to_rfc3339(),
                "document": p.document,
            }),
        ),
        Ok(None) => tagged(
            0,
            json!({
                "version": 0, "author": "built-in", "created": null,
                "document": policy::PolicyDocument::default_document(),
            }),
        ),
        Err(_) => unavailable(),
    }
}

/// The policy version a `PUT` was based on, from its `If-Match` header (RFC 9110 section
/// 13.1.1): `"3"` → `Some(3)` (version 0 is the built-in default); no header or `*` → `None`
/// (no condition). Anything else (weak tags, lists, other text) is refused: a policy edit
/// names exactly the version it replaces.
fn policy_base(headers: &HeaderMap) -> Result<Option<u64>, MalformedIfMatch> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let value = value.to_str().unwrap_or_default().trim();
    if value == "*" {
        return Ok(None);
    }
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .and_then(|v| v.parse::<u64>().ok())
        .map(Some)
        .ok_or(MalformedIfMatch)
}

/// An `If-Match` header that does not name one policy version.
struct MalformedIfMatch;

/// A policy version as the entity tag `GET` answers with and `If-Match` names.
fn policy_etag(version: u64) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{version}\""))
}

/// Every stored version, oldest first (documents included).
async fn policy_history(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    ip: Option<Extension<console_web::ClientIp>>,
) -> Response {
    let user = match authorised(&app, &headers, ip, READERS, ApiNeed::Read).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match app.store.policy_history(user.tenant).await {
        Ok(all) => Json(
            all.iter()
                .map(|p| json!({"version": p.version, "author": p.author, "created": p.created.to_rfc3339(), "document": p.document}))
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(_) => unavailable(),
    }
}

/// Most bytes of a policy document accepted over the API (the engine's own limit).
const MAX_POLICY_BODY: usize = policy::MAX_DOCUMENT_BYTES;

/// Store a new policy version: the body is the TOML document. An invalid document is
/// refused with 422 and the line, column and reason; the version in force stays.
async fn policy_put(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    ConnectInfo(PeerAddr(peer)): ConnectInfo<PeerAddr>,
    body: axum::body::Bytes,
) -> Response {
    let ip = Some(Extension(console_web::ClientIp(peer.ip())));
    let user = match authorised(&app, &headers, ip, POLICY_EDITORS, ApiNeed::Sensitive).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    if body.len() > MAX_POLICY_BODY {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            Json(json!({"error": format!("a policy document is at most {MAX_POLICY_BODY} bytes")})),
        )
            .into_response();
    }
    let Ok(text) = std::str::from_utf8(&body) else {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": "the document is not UTF-8"})),
        )
            .into_response();
    };
    let Ok(base) = policy_base(&headers) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({
                "error": "If-Match must name one policy version as an entity tag, e.g. \"3\" (the ETag of GET /api/v1/policy)"
            })),
        )
            .into_response();
    };
    let request = operations::Request {
        actor: Actor::User { id: user.id },
        source_ip: Some(peer.ip()),
        now: SystemClock.now(),
    };
    match operations::policy_admin::store_edit(&app.store, user.tenant, text, base, &request)
        .await
    {
        Ok(operations::policy_admin::Stored::Version { version, previous }) => (
            [policy_etag(version)],
            Json(json!({"version": version, "previous_version": previous})),
        )
            .into_response(),
        Ok(operations::policy_admin::Stored::Unchanged(version)) => (
            [policy_etag(version)],
            Json(json!({"version": version, "unchanged": true})),
        )
            .into_response(),
        // Someone stored another version since the one this edit was based on: nothing is
        // stored, and the caller sees which version is in force now.
        Err(operations::Error::PolicySuperseded { base, current }) => (
            StatusCode::PRECONDITION_FAILED,
            [policy_etag(current)],
            Json(json!({
                "error": format!("version {current} is in force now, not version {base}: read it and edit that"),
                "current_version": current,
            })),
        )
            .into_response(),
        Err(operations::Error::InvalidPolicy(e)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({
                "error": format!("line {}, column {}: {}", e.line, e.column, e.kind),
                "line": e.line, "column": e.column,
            })),
        )
            .into_response(),
        Err(_) => unavailable(),
    }
}

/// The caller: HTTP Basic with a user's address and one of their app passwords, or else
/// a console session (checked for `need`: the anti-forgery header on writes, a recent
/// step-up on sensitive ones, the replay defence always); the user must hold one of
/// `roles`. Failures say only "unauthorised" (or the console's `step_up_required` /
/// `forgery`).
async fn authorised(
    app: &AppState,
    headers: &HeaderMap,
    ip: Option<Extension<console_web::ClientIp>>,
    roles: &[Role],
    need: ApiNeed,
) -> Result<User, Response> {
    if headers.get(header::AUTHORIZATION).is_none()
        && let Some(console) = &app.console
        && console_web::Console::has_session_cookie(headers)
    {
        let user = console
            .api_user(headers, ip.map(|Extension(c)| c.0), need)
            .await
            .map_err(IntoResponse::into_response)?;
        if !roles.contains(&user.role) {
            return Err((
                StatusCode::FORBIDDEN,
                Json(json!({"error": "unauthorised"})),
            )
                .into_response());
        }
        return Ok(user);
    }
    basic_user(&app.store, headers, roles).await
}

/// HTTP Basic with a user's address and one of their app passwords, for one of `roles`.
async fn basic_user(
    store: &SharedStore,
    headers: &HeaderMap,
    roles: &[Role],
) -> Result<User, Response> {
    let deny = |status| {
        let mut r = (status, Json(json!({"error": "unauthorised"}))).into_response();
        if status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"carepost\", charset=\"UTF-8\""),
            );
        }
        r
    };
    let Some((name, secret)) = basic_credentials(headers) else {
        return Err(deny(StatusCode::UNAUTHORIZED));
    };
    let Ok(address) = model::EmailAddress::parse(&name) else {
        return Err(deny(StatusCode::UNAUTHORIZED));
    };
    let Ok(user) = store.user_by_address(&address).await else {
        return Err(deny(StatusCode::UNAUTHORIZED));
    };
    if user.disabled {
        return Err(deny(StatusCode::UNAUTHORIZED));
    }
    let Ok(passwords) = store.app_passwords(user.id).await else {
        return Err(unavailable());
    };
    let hashes: Vec<String> = passwords
        .into_iter()
        .filter(|p| !p.revoked)
        .map(|p| p.hash)
        .collect();
    let ok = tokio::task::spawn_blocking(move || {
        hashes
            .iter()
            .any(|h| auth::verify_secret(&secret, h).unwrap_or(false))
    })
    .await
    .unwrap_or(false);
    if !ok {
        return Err(deny(StatusCode::UNAUTHORIZED));
    }
    if !roles.contains(&user.role) {
        return Err(deny(StatusCode::FORBIDDEN));
    }
    Ok(user)
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    use base64::Engine;
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (name, secret) = text.split_once(':')?;
    Some((name.to_string(), secret.to_string()))
}

async fn record_query(
    store: &SharedStore,
    user: &User,
    peer: SocketAddr,
    what: &str,
    message: Option<MessageId>,
) {
    let event = AuditEvent::new(
        0,
        SystemClock.now(),
        Actor::User { id: user.id },
        EventKind::AuditQueried,
    )
    .with_tenant(user.tenant)
    .with_source_ip(peer.ip())
    .with_subject(Subject {
        message,
        ..Subject::default()
    })
    .with_detail("query", what)
    .with_detail("via", "api");
    if let Err(e) = store.append_audit(&[event]).await {
        tracing::error!(error = %e, "recording an audit query failed");
    }
}

async fn health(State(app): State<Arc<AppState>>) -> impl IntoResponse {
    let store = &app.store;
    match store.count_by_status(None).await {
        Ok(counts) => {
            let queue: serde_json::Map<String, serde_json::Value> = counts
                .into_iter()
                .map(|(s, n)| (s.to_string(), json!(n)))
                .collect();
            Json(json!({"status": "ok", "backend": store.backend_name(), "queue": queue}))
                .into_response()
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "storage unavailable"})),
        )
            .into_response(),
    }
}

async fn security_headers(mut res: Response) -> Response {
    // Defaults for every response; a handler that set its own (the portal's pages, with a
    // CSP for their stylesheet and script) keeps them.
    let h = res.headers_mut();
    for (name, value) in [
        (header::STRICT_TRANSPORT_SECURITY, "max-age=63072000"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'",
        ),
    ] {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    }
    res
}

/// Who may make, list and revoke organisation API keys: owners and admins only (a user
/// cannot grant a third party access; consent-phishing defence).
const KEY_ADMINS: &[Role] = &[Role::Owner, Role::Admin];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiKeyCreateRequest {
    name: String,
    scopes: String,
    #[serde(default)]
    senders: String,
    days: u32,
}

/// `GET /api/v1/api-keys`: the organisation's keys (never a secret or its hash).
async fn api_keys_list(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    ip: Option<Extension<console_web::ClientIp>>,
) -> Response {
    let user = match authorised(&app, &headers, ip, KEY_ADMINS, ApiNeed::Read).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let now = app.clock.now();
    match app.store.api_keys(user.tenant).await {
        Ok(keys) => Json(
            keys.iter()
                .map(|k| crate::api_keys::KeyView::of(k, now))
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(_) => unavailable(),
    }
}

/// `POST /api/v1/api-keys` `{"name", "scopes", "senders", "days"}`: the token is in the
/// answer, once.
async fn api_keys_create(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    ip: Option<Extension<console_web::ClientIp>>,
    body: axum::body::Bytes,
) -> Response {
    let user = match authorised(&app, &headers, ip, KEY_ADMINS, ApiNeed::Sensitive).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let request: ApiKeyCreateRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(
                    json!({"error": "body must be {\"name\", \"scopes\", \"senders\", \"days\"}"}),
                ),
            )
                .into_response();
        }
    };
    let made = crate::api_keys::create_key(
        &app.store,
        app.clock.as_ref(),
        Actor::User { id: user.id },
        crate::api_keys::KeyRequest {
            tenant: user.tenant,
            name: request.name,
            scopes: request.scopes,
            senders: request.senders,
            days: request.days,
            created_by: Some(user.id),
        },
    )
    .await;
    match made {
        Ok(created) => {
            let view = crate::api_keys::KeyView::of(&created.key, app.clock.now());
            let mut body = serde_json::to_value(view).unwrap_or_default();
            body["token"] = json!(created.token.as_str());
            let mut r = (StatusCode::CREATED, Json(body)).into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(crate::api_keys::KeyError::Storage(_) | crate::api_keys::KeyError::Crypto) => {
            unavailable()
        }
        Err(e @ crate::api_keys::KeyError::DuplicateName) => {
            (StatusCode::CONFLICT, Json(json!({"error": e.to_string()}))).into_response()
        }
        Err(e) => (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": e.to_string()})),
        )
            .into_response(),
    }
}

/// `POST /api/v1/api-keys/{id}/revoke`.
async fn api_keys_revoke(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    ip: Option<Extension<console_web::ClientIp>>,
    Path(id): Path<String>,
) -> Response {
    let user = match authorised(&app, &headers, ip, KEY_ADMINS, ApiNeed::Sensitive).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Ok(id) = id.parse::<model::ApiKeyId>() else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "id must be an API key id"})),
        )
            .into_response();
    };
    match crate::api_keys::revoke_key(
        &app.store,
        app.clock.as_ref(),
        Actor::User { id: user.id },
        user.tenant,
        id,
    )
    .await
    {
        Ok(()) => Json(json!({"id": id, "state": "revoked"})).into_response(),
        Err(storage::StorageError::NotFound) => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such API key"})),
        )
            .into_response(),
        Err(_) => unavailable(),
    }
}

#[cfg(test)]
mod tests {
    /// The role lists of these routes say the same as the role table the console follows.
    #[test]
    fn route_role_lists_follow_the_role_table() {
        use identity::roles::{Permission, allows};
        use model::Role;
        let lists: [(&[Role], Permission); 4] = [
            (super::READERS, Permission::ReadAuditTrail),
            (super::POLICY_EDITORS, Permission::EditPolicy),
            (super::PORTAL_OVERSEERS, Permission::ViewMessageDetails),
            (super::KEY_ADMINS, Permission::ManageCredentials),
        ];
        for (list, permission) in lists {
            for role in Role::ALL {
                assert_eq!(
                    list.contains(role),
                    allows(*role, permission),
                    "{role:?} and {permission:?}"
                );
            }
        }
    }

    use super::OPENAPI;

    /// Every route this file mounts is described in the OpenAPI document, with each of
    /// its methods, and the document describes no route that does not exist.
    #[test]
    fn the_openapi_document_describes_every_route_and_only_those() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).expect("valid JSON");
        assert_eq!(doc["openapi"], "3.1.0");
        let paths = doc["paths"].as_object().expect("paths");
        let source = include_str!("http.rs");
        let router = &source[source.find("pub fn router(").expect("router")..];
        let router = &router[..router.find("\n}\n").expect("end of router")];
        // The console's JSON twins (its HTML pages under /console are not API).
        let console = include_str!("../../console-web/src/lib.rs");
        let console = &console[console.find("pub fn router(").expect("console router")..];
        let console = &console[..console.find("\n    }\n").expect("end of console router")];
        let mut mounted = Vec::new();
        let routes =
            router
                .split(".route(")
                .skip(1)
                .chain(console.split(".route(").skip(1).filter(|part| {
                    part.split('"')
                        .nth(1)
                        .is_some_and(|p| p.starts_with("/api/"))
                }));
        for part in routes {
            let path = part.split('"').nth(1).expect("path literal");
            let call = &part[..part
                .find("\n        .")
                .or_else(|| part.find("\n            ."))
                .unwrap_or(part.len())];
            for method in ["get", "post", "put", "delete", "patch"] {
                let used = call.contains(&format!(" {method}("))
                    || call.contains(&format!("({method}("))
                    || call.contains(&format!("routing::{method}("))
                    || call.contains(&format!(".{method}("));
                if used {
                    mounted.push((path.to_string(), method));
                }
            }
        }
        assert!(mounted.len() >= 15, "{mounted:?}");
        for (path, method) in &mounted {
            assert!(
                paths.get(path).and_then(|p| p.get(*method)).is_some(),
                "{method} {path} is mounted but not in openapi.json"
            );
        }
        for (path, ops) in paths {
            for method in ops.as_object().expect("operations").keys() {
                assert!(
                    mounted.iter().any(|(p, m)| p == path && m == method),
                    "openapi.json describes {method} {path}, which is not mounted"
                );
            }
        }
    }
}
