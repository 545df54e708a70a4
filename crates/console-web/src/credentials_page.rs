//! `/console/credentials`: a person's own SMTP app passwords and, for owners and admins,
//! the organisation's API keys; with the JSON twins `/api/v1/me/app-passwords…` (the API
//! keys' twins are the binary's `/api/v1/api-keys…`, which accept console sessions).
//!
//! **What it does:** lists (never a secret or a hash), creates and revokes. A new secret is
//! on the answer to its creation and nowhere else: it is never stored in clear, logged,
//! put in a URL or shown again. Creating anything needs a step-up in the last few minutes
//! (a stolen session cannot mint a lasting credential); revoking one's own app password
//! does not (taking a way in away is always safe), revoking an organisation API key does
//! (it stops a system's mail). Only owners and admins see or touch API keys
//! (consent-phishing defence: nobody else can grant a third party access).
//!
//! **Security:** the shared code path (`relay::credentials`) does the checks, hashing and
//! audit events, the same as `carepost user app-password` and `carepost api-key`. A person
//! can revoke only their own app passwords and an admin only their organisation's keys;
//! another's id is "not found".
//!
//! **PHI:** none: labels and key names are staff descriptions (size-limited).

use std::sync::Arc;

use askama::Template;
use audit::Actor;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use identity::api_keys::ApiScope;
use model::{ApiKeyId, Role};
use relay::credentials::{
    self, AppPasswordView, CredentialError, KeyRequest, KeyView, MAX_KEY_DAYS, MAX_LABEL_CHARS,
};
use serde::Deserialize;
use serde_json::json;
use zeroize::Zeroizing;

use crate::Console;
use crate::guard::{ANYONE, Guard};
use crate::pages::{self, Frame, html};
use crate::session::{ClientIp, Signed, Visit};
use crate::users::{json_error, signed_in, signed_in_json};

/// Longest API key sender list accepted from the form, in bytes.
const MAX_SENDERS_FIELD: usize = 2048;

/// Who may see and manage the organisation's API keys: owners and admins (the same roles
/// as `/api/v1/api-keys`).
fn manages_keys(role: Role) -> bool {
    matches!(role, Role::Owner | Role::Admin)
}

/// Anyone signed in, for an action that needs a recent step-up (making a credential,
/// revoking an organisation's API key).
const STEPPED_UP: Guard = ANYONE.stepped_up();

pub(crate) struct AppPasswordRow {
    id: String,
    label: String,
    created: String,
    revoked: bool,
}

pub(crate) struct KeyRow {
    id: String,
    name: String,
    scopes: String,
    senders: String,
    expires: String,
    state: &'static str,
}

pub(crate) struct ScopeChoice {
    name: &'static str,
    description: &'static str,
}

/// A secret shown once, with what it is.
pub(crate) struct Revealed {
    what: String,
    secret: Zeroizing<String>,
    /// The element id the page gives it (`new-app-password`, `new-api-key`).
    element: &'static str,
}

#[derive(Template)]
#[template(path = "credentials.html")]
pub(crate) struct CredentialsPage<'a> {
    title: &'a str,
    script: bool,
    frame: Frame,
    note: Option<String>,
    problem: Option<String>,
    revealed: Option<Revealed>,
    passwords: Vec<AppPasswordRow>,
    keys: Option<Vec<KeyRow>>,
    scopes: Vec<ScopeChoice>,
    max_label: usize,
    max_days: u32,
}

/// What the page says besides the lists.
#[derive(Default)]
struct Message {
    note: Option<String>,
    problem: Option<String>,
    revealed: Option<Revealed>,
}

impl Message {
    fn note(text: &str) -> Self {
        Self {
            note: Some(text.to_string()),
            ..Self::default()
        }
    }

    fn problem(text: String) -> Self {
        Self {
            problem: Some(text),
            ..Self::default()
        }
    }

    /// A credential just made: what it is, the note, and its secret (shown this once).
    fn made(note: String, what: &str, secret: Zeroizing<String>, element: &'static str) -> Self {
        Self {
            note: Some(note),
            revealed: Some(Revealed {
                what: what.to_string(),
                secret,
                element,
            }),
            ..Self::default()
        }
    }
}

impl Console {
    async fn credentials_view(&self, signed: &Signed, msg: Message) -> Response {
        let passwords = match self.store.app_passwords(signed.user.id).await {
            Ok(list) => list
                .iter()
                .filter(|p| p.tenant == signed.user.tenant)
                .map(|p| AppPasswordRow {
                    id: p.id.to_string(),
                    label: p.label.clone(),
                    created: pages::when(p.created),
                    revoked: p.revoked,
                })
                .collect(),
            Err(_) => return pages::unavailable(),
        };
        let keys = if manages_keys(signed.user.role) {
            let now = self.clock.now();
            match self.store.api_keys(signed.user.tenant).await {
                Ok(list) => Some(
                    list.iter()
                        .map(|k| {
                            let v = KeyView::of(k, now);
                            KeyRow {
                                id: v.id.to_string(),
                                name: v.name,
                                scopes: v.scopes.join(" "),
                                senders: v.senders.join(" "),
                                expires: pages::when(k.expires),
                                state: v.state,
                            }
                        })
                        .collect(),
                ),
                Err(_) => return pages::unavailable(),
            }
        } else {
            None
        };
        let status = if msg.problem.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        html(
            status,
            &CredentialsPage {
                title: "Credentials",
                script: false,
                frame: crate::signin::frame(signed),
                note: msg.note,
                problem: msg.problem,
                revealed: msg.revealed,
                passwords,
                keys,
                scopes: ApiScope::ALL
                    .iter()
                    .map(|s| ScopeChoice {
                        name: s.as_str(),
                        description: s.description(),
                    })
                    .collect(),
                max_label: MAX_LABEL_CHARS,
                max_days: MAX_KEY_DAYS,
            },
            &[],
        )
    }

    /// The page after making a credential: its message (with the secret), the person's
    /// mistake as the problem, or "unavailable" for a fault (nothing more is said).
    async fn credentials_after(
        &self,
        signed: &Signed,
        outcome: Result<Message, CredentialError>,
    ) -> Response {
        match outcome {
            Ok(msg) => self.credentials_view(signed, msg).await,
            Err(CredentialError::Storage(_) | CredentialError::Crypto) => pages::unavailable(),
            Err(e) => {
                self.credentials_view(signed, Message::problem(e.to_string()))
                    .await
            }
        }
    }
}

/// `GET /console/credentials`.
pub(crate) async fn page(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    match signed_in(&console, &visit).await {
        Ok(signed) => console.credentials_view(&signed, Message::default()).await,
        Err(r) => r,
    }
}

#[derive(Deserialize)]
pub(crate) struct LabelForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    label: String,
}

#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /console/credentials/app-passwords`: make one; its secret is on this answer only.
pub(crate) async fn create_app_password_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(form): Form<LabelForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match STEPPED_UP
        .form(&console, &visit, &headers, &form.csrf)
        .await
    {
        Ok(s) => s,
        Err(r) => return r,
    };
    let made = console
        .new_app_password(&signed, &form.label, visit.ip)
        .await
        .map(|made| {
            Message::made(
                format!(
                    "App password \u{201c}{}\u{201d} created. Copy it into your mail program now: it is not shown again.",
                    made.record.label
                ),
                &made.record.label,
                made.secret,
                "new-app-password",
            )
        });
    console.credentials_after(&signed, made).await
}

/// `POST /console/credentials/app-passwords/{id}/revoke`.
pub(crate) async fn revoke_app_password_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match ANYONE.form(&console, &visit, &headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let msg = match console.revoke_own(&signed, &id, visit.ip).await {
        Ok(true) => Message::note("That app password no longer works."),
        Ok(false) => Message::note("That app password was already revoked."),
        Err(CredentialError::Storage(_) | CredentialError::Crypto) => return pages::unavailable(),
        Err(_) => Message::problem("No such app password.".to_string()),
    };
    console.credentials_view(&signed, msg).await
}

impl Console {
    async fn new_app_password(
        &self,
        signed: &Signed,
        label: &str,
        ip: std::net::IpAddr,
    ) -> Result<credentials::NewAppPassword, CredentialError> {
        credentials::create_app_password(
            &self.store,
            self.clock.now(),
            Actor::User { id: signed.user.id },
            Some(ip),
            &signed.user,
            label,
        )
        .await
    }

    async fn revoke_own(
        &self,
        signed: &Signed,
        id: &str,
        ip: std::net::IpAddr,
    ) -> Result<bool, CredentialError> {
        let id = id
            .parse::<ApiKeyId>()
            .map_err(|_| CredentialError::NotFound)?;
        credentials::revoke_app_password(
            &self.store,
            self.clock.now(),
            Actor::User { id: signed.user.id },
            Some(ip),
            &signed.user,
            id,
        )
        .await
    }
}

/// `POST /console/credentials/api-keys` (owners and admins; step-up): the token is on this
/// answer only. The form repeats `scope` once per ticked scope, so it is read as pairs.
pub(crate) async fn create_api_key_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let signed = match STEPPED_UP
        .form(&console, &visit, &headers, field("csrf"))
        .await
    {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !manages_keys(signed.user.role) {
        return not_for_you(&signed);
    }
    let scopes: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k == "scope")
        .map(|(_, v)| v.as_str())
        .take(ApiScope::ALL.len() + 1)
        .collect();
    let senders = field("senders");
    let problem = if senders.len() > MAX_SENDERS_FIELD {
        Some(format!(
            "the sender list is at most {MAX_SENDERS_FIELD} characters"
        ))
    } else {
        None
    };
    let days = field("days").trim().parse::<u32>().unwrap_or(0);
    let made = match problem {
        Some(p) => Err(CredentialError::Invalid(p)),
        None => {
            credentials::create_key(
                &console.store,
                console.clock.as_ref(),
                Actor::User { id: signed.user.id },
                KeyRequest {
                    tenant: signed.user.tenant,
                    name: field("name").to_string(),
                    scopes: scopes.join(" "),
                    senders: senders.to_string(),
                    days,
                    created_by: Some(signed.user.id),
                },
            )
            .await
        }
    };
    let made = made.map(|created| {
        Message::made(
            format!(
                "API key \u{201c}{}\u{201d} created. Put the token in the system's secret store now: it is not shown again.",
                created.key.name
            ),
            &created.key.name,
            created.token,
            "new-api-key",
        )
    });
    console.credentials_after(&signed, made).await
}

/// `POST /console/credentials/api-keys/{id}/revoke` (owners and admins; step-up).
pub(crate) async fn revoke_api_key_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match STEPPED_UP
        .form(&console, &visit, &headers, &form.csrf)
        .await
    {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !manages_keys(signed.user.role) {
        return not_for_you(&signed);
    }
    let revoked = match id.parse::<ApiKeyId>() {
        Ok(id) => {
            credentials::revoke_key(
                &console.store,
                console.clock.as_ref(),
                Actor::User { id: signed.user.id },
                signed.user.tenant,
                id,
            )
            .await
        }
        Err(_) => Err(storage::StorageError::NotFound),
    };
    let msg = match revoked {
        Ok(()) => Message::note("That API key no longer works."),
        Err(storage::StorageError::NotFound) => Message::problem("No such API key.".to_string()),
        Err(_) => return pages::unavailable(),
    };
    console.credentials_view(&signed, msg).await
}

fn not_for_you(signed: &Signed) -> Response {
    pages::notice(
        StatusCode::FORBIDDEN,
        crate::signin::frame(signed),
        "Not available",
        "Only owners and administrators manage the organisation's API keys.",
        "/console/credentials",
        "Back to your credentials",
    )
}

/// `GET /api/v1/me/app-passwords`: the caller's app passwords (never a secret or hash).
pub(crate) async fn list_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match signed_in_json(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match console.store.app_passwords(signed.user.id).await {
        Ok(list) => Json(
            list.iter()
                .filter(|p| p.tenant == signed.user.tenant)
                .map(AppPasswordView::of)
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(_) => pages::unavailable(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LabelJson {
    label: String,
}

/// `POST /api/v1/me/app-passwords` `{"label"}` (with `x-csrf-token`; step-up needed): the
/// secret is in this answer, once.
pub(crate) async fn create_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match STEPPED_UP.json_write(&console, &visit, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(request) = serde_json::from_slice::<LabelJson>(&body) else {
        return json_error(StatusCode::BAD_REQUEST, "body_must_be_label");
    };
    match console
        .new_app_password(&signed, &request.label, visit.ip)
        .await
    {
        Ok(made) => {
            let mut body = serde_json::to_value(AppPasswordView::of(&made.record))
                .unwrap_or_else(|_| json!({}));
            body["secret"] = json!(made.secret.as_str());
            let mut r = (StatusCode::CREATED, Json(body)).into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(CredentialError::Storage(_) | CredentialError::Crypto) => pages::unavailable(),
        Err(e @ CredentialError::TooMany) => json_error(StatusCode::CONFLICT, &e.to_string()),
        Err(e) => json_error(StatusCode::UNPROCESSABLE_ENTITY, &e.to_string()),
    }
}

/// `POST /api/v1/me/app-passwords/{id}/revoke` (with `x-csrf-token`).
pub(crate) async fn revoke_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match ANYONE.json_write(&console, &visit, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match console.revoke_own(&signed, &id, visit.ip).await {
        Ok(changed) => {
            Json(json!({ "id": id, "revoked": true, "changed": changed })).into_response()
        }
        Err(CredentialError::Storage(_) | CredentialError::Crypto) => pages::unavailable(),
        Err(_) => json_error(StatusCode::NOT_FOUND, "no_such_app_password"),
    }
}
