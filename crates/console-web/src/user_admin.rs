//! Managing the organisation's people (owners and admins, `/console/users`): adding a
//! person, changing a role, disabling and enabling; with the JSON twins
//! `POST /api/v1/users`, `POST /api/v1/users/{id}/role`, `…/disable` and `…/enable`.
//!
//! **What it does:** a new person gets a generated one-time password, shown once to the
//! admin, which they must change at their first sign-in (then they set up a second factor),
//! exactly as `carepost user add` + `carepost user reset-password` do. A role change and a
//! disable end the person's sessions, so the change takes effect at once.
//!
//! **Rules** (checked here, for the page and the twin alike): every action needs a
//! step-up in the last few minutes and is audited (`admin.user_created`,
//! `admin.role_changed` with from/to, `admin.user_disabled`, `admin.user_enabled`); only an
//! owner makes someone an owner or changes or disables an owner, so an admin cannot raise
//! themselves or remove the people above them; the last owner cannot be demoted; nobody
//! disables themselves; a person of another organisation is "not found" (and the attempt
//! audited, see `Console::managed_user`).
//!
//! **Security:** the one-time password is `Zeroizing`, hashed with argon2id off the async
//! workers, never logged or stored in clear, and sent with `Cache-Control: no-store`.
//!
//! **PHI:** none: staff accounts. Addresses of staff appear on the page, not in logs.

use std::net::IpAddr;
use std::sync::Arc;

use audit::{EventKind, Subject};
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use model::{EmailAddress, Role, UserId};
use serde::Deserialize;
use serde_json::json;
use storage::{StorageError, User};
use zeroize::Zeroizing;

use crate::Console;
use crate::session::{ClientIp, Signed, Visit};
use crate::users::{ADMINS_STEPPED_UP, UsersNote, admin_action, json_error};

/// Longest address accepted (RFC 5321 §4.5.3.1.3 path limit).
const MAX_ADDRESS_BYTES: usize = 254;

/// Why an action on a person was refused (the text is safe to show).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The address is not a valid e-mail address.
    BadAddress,
    /// Not one of the roles.
    BadRole,
    /// The address is already a person's (in this or another organisation).
    Exists,
    /// Only an owner makes owners or changes or disables an owner.
    OwnersOnly,
    /// The organisation would be left without an owner.
    LastOwner,
    /// A person cannot disable themselves.
    NotYourself,
    /// Storage failed.
    Unavailable,
}

impl Refused {
    pub(crate) fn text(&self) -> &'static str {
        match self {
            Refused::BadAddress => "That is not a valid e-mail address.",
            Refused::BadRole => "Choose one of the roles.",
            Refused::Exists => "That address is already in use.",
            Refused::OwnersOnly => {
                "Only an owner can make someone an owner, or change or disable an owner."
            }
            Refused::LastOwner => {
                "The organisation needs at least one owner: make someone else owner first."
            }
            Refused::NotYourself => "You cannot disable yourself.",
            Refused::Unavailable => "The console is unavailable for a moment.",
        }
    }

    fn code(&self) -> (StatusCode, &'static str) {
        match self {
            Refused::BadAddress => (StatusCode::UNPROCESSABLE_ENTITY, "bad_address"),
            Refused::BadRole => (StatusCode::UNPROCESSABLE_ENTITY, "bad_role"),
            Refused::Exists => (StatusCode::CONFLICT, "address_in_use"),
            Refused::OwnersOnly => (StatusCode::FORBIDDEN, "owners_only"),
            Refused::LastOwner => (StatusCode::CONFLICT, "last_owner"),
            Refused::NotYourself => (StatusCode::CONFLICT, "not_yourself"),
            Refused::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        }
    }

    fn json(&self) -> Response {
        let (status, code) = self.code();
        json_error(status, code)
    }
}

/// A person just added, with their one-time password (shown once).
pub(crate) struct Added {
    pub(crate) user: User,
    pub(crate) password: Zeroizing<String>,
}

impl Console {
    /// Add a person to the admin's organisation with a one-time password.
    pub(crate) async fn add_person(
        &self,
        admin: &Signed,
        address: &str,
        role: &str,
        ip: IpAddr,
    ) -> Result<Added, Refused> {
        let address = address.trim();
        if address.len() > MAX_ADDRESS_BYTES {
            return Err(Refused::BadAddress);
        }
        let address = EmailAddress::parse(address).map_err(|_| Refused::BadAddress)?;
        let role: Role = role.trim().parse().map_err(|_| Refused::BadRole)?;
        if role == Role::Owner && admin.user.role != Role::Owner {
            return Err(Refused::OwnersOnly);
        }
        match self.store.user_by_address(&address).await {
            Ok(_) => return Err(Refused::Exists),
            Err(StorageError::NotFound) => {}
            Err(_) => return Err(Refused::Unavailable),
        }
        let password = auth::generate_one_time_password().map_err(|_| Refused::Unavailable)?;
        let to_hash = password.clone();
        // argon2id takes tens of milliseconds of CPU: off the async workers.
        let hash = tokio::task::spawn_blocking(move || auth::hash_secret(&to_hash))
            .await
            .map_err(|_| Refused::Unavailable)?
            .map_err(|_| Refused::Unavailable)?;
        let now = self.clock.now();
        let user = User {
            id: UserId::new(),
            tenant: admin.user.tenant,
            address,
            role,
            password_hash: Some(hash),
            must_change_password: true,
            disabled: false,
            created: now,
        };
        let event = admin
            .event(EventKind::AdminUserCreated, now, ip)
            .with_subject(Subject {
                user: Some(user.id),
                ..Subject::default()
            })
            .with_detail("role", role.as_str());
        match self.store.create_user(&user, &[event]).await {
            Ok(()) => Ok(Added { user, password }),
            Err(StorageError::Conflict { .. }) => Err(Refused::Exists),
            Err(_) => Err(Refused::Unavailable),
        }
    }

    /// Whether the organisation has an enabled owner other than `except`.
    async fn another_owner(
        &self,
        tenant: model::TenantId,
        except: UserId,
    ) -> Result<bool, Refused> {
        let users = self
            .store
            .users(tenant)
            .await
            .map_err(|_| Refused::Unavailable)?;
        Ok(users
            .iter()
            .any(|u| u.id != except && u.role == Role::Owner && !u.disabled))
    }

    /// Change `target`'s role; their sessions end. Returns whether it changed.
    pub(crate) async fn change_role(
        &self,
        admin: &Signed,
        target: &User,
        role: &str,
        ip: IpAddr,
    ) -> Result<bool, Refused> {
        let role: Role = role.trim().parse().map_err(|_| Refused::BadRole)?;
        if (role == Role::Owner || target.role == Role::Owner) && admin.user.role != Role::Owner {
            return Err(Refused::OwnersOnly);
        }
        if role == target.role {
            return Ok(false);
        }
        if target.role == Role::Owner && !self.another_owner(target.tenant, target.id).await? {
            return Err(Refused::LastOwner);
        }
        let event = admin
            .event(EventKind::AdminRoleChanged, self.clock.now(), ip)
            .with_subject(Subject {
                user: Some(target.id),
                ..Subject::default()
            })
            .with_detail("from", target.role.as_str())
            .with_detail("to", role.as_str());
        self.store
            .set_user_role(target.id, role, &[event])
            .await
            .map_err(|_| Refused::Unavailable)?;
        // Every request reloads the person, so the new role already governs; ending the
        // sessions also makes them sign in again, under the new role's factor rules (an
        // admin needs a passkey where a sender could use an app code).
        self.end_all_of(admin, target, ip).await;
        Ok(true)
    }

    /// Disable (`true`) or enable (`false`) `target`. Disabling ends their sessions (in
    /// the store's same transaction).
    pub(crate) async fn set_disabled(
        &self,
        admin: &Signed,
        target: &User,
        disabled: bool,
        ip: IpAddr,
    ) -> Result<(), Refused> {
        if disabled && target.id == admin.user.id {
            return Err(Refused::NotYourself);
        }
        if target.role == Role::Owner && admin.user.role != Role::Owner {
            return Err(Refused::OwnersOnly);
        }
        let kind = if disabled {
            EventKind::AdminUserDisabled
        } else {
            EventKind::AdminUserEnabled
        };
        let event = admin
            .event(kind, self.clock.now(), ip)
            .with_subject(Subject {
                user: Some(target.id),
                ..Subject::default()
            });
        self.store
            .set_user_disabled(target.id, disabled, &[event])
            .await
            .map_err(|_| Refused::Unavailable)
    }
}

#[derive(Deserialize)]
pub(crate) struct AddForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    role: String,
}

/// `POST /console/users/add`: the one-time password is on this answer only.
pub(crate) async fn add_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(form): Form<AddForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match ADMINS_STEPPED_UP
        .form(&console, &visit, &headers, &form.csrf)
        .await
    {
        Ok(s) => s,
        Err(r) => return r,
    };
    let note = match console
        .add_person(&signed, &form.address, &form.role, visit.ip)
        .await
    {
        Ok(added) => UsersNote::Added {
            address: added.user.address.to_string(),
            password: added.password,
        },
        Err(Refused::Unavailable) => return crate::pages::unavailable(),
        Err(e) => UsersNote::Problem(e.text().to_string()),
    };
    console.users_view_with(&signed, note).await
}

#[derive(Deserialize)]
pub(crate) struct RoleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    role: String,
}

/// `POST /console/users/{id}/role`.
pub(crate) async fn role_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let (signed, target) = match admin_action(&console, &visit, &headers, &form.csrf, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let note = match console
        .change_role(&signed, &target, &form.role, visit.ip)
        .await
    {
        Ok(true) => UsersNote::Note(format!(
            "{} is now {}; their sessions ended.",
            target.address,
            form.role.trim()
        )),
        Ok(false) => UsersNote::Note(format!("{} already has that role.", target.address)),
        Err(Refused::Unavailable) => return crate::pages::unavailable(),
        Err(e) => UsersNote::Problem(e.text().to_string()),
    };
    console.users_view_with(&signed, note).await
}

#[derive(Deserialize)]
pub(crate) struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// `POST /console/users/{id}/disable`.
pub(crate) async fn disable_form(
    state: State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    id: Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    flag_form(state, ip, headers, id, form, true).await
}

/// `POST /console/users/{id}/enable`.
pub(crate) async fn enable_form(
    state: State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    id: Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Response {
    flag_form(state, ip, headers, id, form, false).await
}

async fn flag_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: CsrfOnly,
    disabled: bool,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let (signed, target) = match admin_action(&console, &visit, &headers, &form.csrf, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let note = match console
        .set_disabled(&signed, &target, disabled, visit.ip)
        .await
    {
        Ok(()) if disabled => UsersNote::Note(format!(
            "{} is disabled: they cannot sign in or send, and their sessions ended.",
            target.address
        )),
        Ok(()) => UsersNote::Note(format!("{} can sign in again.", target.address)),
        Err(Refused::Unavailable) => return crate::pages::unavailable(),
        Err(e) => UsersNote::Problem(e.text().to_string()),
    };
    console.users_view_with(&signed, note).await
}

/// The guard of the JSON twins: an admin's full session, `x-csrf-token`, a recent step-up.
async fn admin_json(
    console: &Console,
    visit: &Visit,
    headers: &HeaderMap,
) -> Result<Signed, Response> {
    ADMINS_STEPPED_UP.json_write(console, visit, headers).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AddJson {
    address: String,
    role: String,
}

/// `POST /api/v1/users` `{"address", "role"}`: 201 with the one-time password, once.
pub(crate) async fn add_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match admin_json(&console, &visit, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(request) = serde_json::from_slice::<AddJson>(&body) else {
        return json_error(StatusCode::BAD_REQUEST, "body_must_be_address_and_role");
    };
    match console
        .add_person(&signed, &request.address, &request.role, visit.ip)
        .await
    {
        Ok(added) => {
            let mut r = (
                StatusCode::CREATED,
                Json(json!({
                    "id": added.user.id,
                    "address": added.user.address,
                    "role": added.user.role,
                    "one_time_password": added.password.as_str(),
                    "must_change_password": true,
                })),
            )
                .into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) => e.json(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RoleJson {
    role: String,
}

/// `POST /api/v1/users/{id}/role` `{"role"}`.
pub(crate) async fn role_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match admin_json(&console, &visit, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(request) = serde_json::from_slice::<RoleJson>(&body) else {
        return json_error(StatusCode::BAD_REQUEST, "body_must_be_role");
    };
    let Some(target) = console.managed_user(&signed, &id, visit.ip).await else {
        return json_error(StatusCode::NOT_FOUND, "no_such_user");
    };
    match console
        .change_role(&signed, &target, &request.role, visit.ip)
        .await
    {
        Ok(changed) => Json(json!({
            "user": target.id,
            "role": request.role.trim(),
            "changed": changed,
        }))
        .into_response(),
        Err(e) => e.json(),
    }
}

/// `POST /api/v1/users/{id}/disable`.
pub(crate) async fn disable_json(
    state: State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    id: Path<String>,
) -> Response {
    flag_json(state, ip, headers, id, true).await
}

/// `POST /api/v1/users/{id}/enable`.
pub(crate) async fn enable_json(
    state: State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    id: Path<String>,
) -> Response {
    flag_json(state, ip, headers, id, false).await
}

async fn flag_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    disabled: bool,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match admin_json(&console, &visit, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(target) = console.managed_user(&signed, &id, visit.ip).await else {
        return json_error(StatusCode::NOT_FOUND, "no_such_user");
    };
    match console
        .set_disabled(&signed, &target, disabled, visit.ip)
        .await
    {
        Ok(()) => Json(json!({ "user": target.id, "disabled": disabled })).into_response(),
        Err(e) => e.json(),
    }
}

#[cfg(test)]
mod tests {
    use super::Refused;

    #[test]
    fn every_refusal_has_a_distinct_code_and_a_text() {
        let all = [
            Refused::BadAddress,
            Refused::BadRole,
            Refused::Exists,
            Refused::OwnersOnly,
            Refused::LastOwner,
            Refused::NotYourself,
            Refused::Unavailable,
        ];
        let mut codes: Vec<&str> = all.iter().map(|r| r.code().1).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        assert!(all.iter().all(|r| r.text().ends_with('.')));
    }
}
