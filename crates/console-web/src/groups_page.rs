//! The groups page (`/console/groups`): the organisation's groups with their members,
//! creating and deleting groups, adding and removing members by address; with its JSON
//! twins under `/api/v1/groups`. The logic is `operations::groups`, shared with the CLI.
//!
//! **Who:** people whose role manages users (`Permission::ManageUsers`: owners, admins).
//! Only the person's own organisation's groups and people are read or changed: a group id
//! of another organisation is "not found", and so is an address of another organisation's
//! person (the store refuses such a membership as well).
//!
//! **Security:** every write carries the session's anti-forgery token (form field `csrf`,
//! or header `x-csrf-token` for JSON), needs a step-up within the window, and cross-site
//! posts are refused. Every change is
//! audited (`admin.group_changed`) in the same transaction. Group names are checked
//! (`storage::check_group_name`) and addresses bounded before anything is looked up.
//!
//! **PHI:** none (staff addresses and group names).

use std::sync::Arc;

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use identity::roles::{Permission, allows};
use model::GroupId;
use operations::groups::{self, GroupError, GroupView};
use serde::Deserialize;
use serde_json::json;
use storage::Group;

use crate::Console;
use crate::guard::Guard;
use crate::pages::{self, Frame, html};
use crate::policy_page::op_request;
use crate::session::{ClientIp, Signed, Visit};
use crate::users::{json_error, json_problem};

/// Most characters of an address field (RFC 5321's path limit).
const MAX_ADDRESS_CHARS: usize = 320;

/// Whether the person manages groups.
pub(crate) fn may_manage(signed: &Signed) -> bool {
    allows(signed.user.role, Permission::ManageUsers)
}

/// Who may use the groups page and its twins. A change needs a recent step-up: groups
/// decide which policy rules apply to a person's mail (`sender_groups`), so a stolen
/// session must not move someone out of a stricter rule.
const MANAGERS: Guard = Guard::new(may_manage, "Your role does not manage groups.").stepped_up();

#[derive(Template)]
#[template(path = "groups.html")]
pub(crate) struct GroupsPage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) groups: Vec<GroupView>,
    pub(crate) note: Option<String>,
    pub(crate) problem: Option<String>,
    pub(crate) max_groups: usize,
}

#[derive(Deserialize)]
pub(crate) struct NameForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
pub(crate) struct AddressForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    address: String,
}

#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

#[derive(Deserialize)]
pub(crate) struct NameJson {
    name: String,
}

#[derive(Deserialize)]
pub(crate) struct AddressJson {
    address: String,
}

/// What the person is told about a refused change (their mistake, or "unavailable").
fn problem_text(e: &GroupError) -> Option<String> {
    match e {
        GroupError::Storage(_) => None,
        other => Some(format!("{}.", capitalised(&other.to_string()))),
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// A group error as a JSON answer.
fn error_json(e: &GroupError) -> Response {
    let (status, code) = match e {
        GroupError::InvalidName(_) | GroupError::InvalidAddress => {
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
        }
        GroupError::NameTaken => (StatusCode::CONFLICT, "name_taken"),
        GroupError::TooMany => (StatusCode::CONFLICT, "too_many_groups"),
        GroupError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        GroupError::UnknownPerson => (StatusCode::NOT_FOUND, "unknown_person"),
        GroupError::Storage(_) => {
            tracing::error!(error = %e, "a group operation failed");
            return json_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
        }
    };
    json_problem(status, code, &e.to_string())
}

impl Console {
    async fn groups_view(
        &self,
        signed: &Signed,
        status: StatusCode,
        note: Option<String>,
        problem: Option<String>,
    ) -> Response {
        let Ok(listed) = groups::list(&self.store, signed.user.tenant).await else {
            return pages::unavailable();
        };
        html(
            status,
            &GroupsPage {
                title: "Groups",
                script: false,
                frame: crate::signin::frame(signed),
                groups: listed,
                note,
                problem,
                max_groups: storage::MAX_GROUPS_PER_TENANT,
            },
            &[],
        )
    }

    /// The page after a change: its note, or the refusal with its reason.
    async fn groups_after<T>(
        &self,
        signed: &Signed,
        outcome: Result<T, GroupError>,
        note: impl FnOnce(T) -> String,
    ) -> Response {
        match outcome {
            Ok(v) => {
                self.groups_view(signed, StatusCode::OK, Some(note(v)), None)
                    .await
            }
            Err(e) => match problem_text(&e) {
                Some(problem) => {
                    let status = match e {
                        GroupError::NotFound | GroupError::UnknownPerson => StatusCode::NOT_FOUND,
                        GroupError::NameTaken | GroupError::TooMany => StatusCode::CONFLICT,
                        _ => StatusCode::UNPROCESSABLE_ENTITY,
                    };
                    self.groups_view(signed, status, None, Some(problem)).await
                }
                None => {
                    tracing::error!(error = %e, "a group operation failed");
                    pages::unavailable()
                }
            },
        }
    }
}

/// The organisation's group with this id (a malformed id is simply not found). A
/// well-formed id that is not one of the organisation's groups (another organisation's, or
/// none at all: the answer is the same) is recorded as a refused access.
async fn group_of(
    console: &Console,
    signed: &Signed,
    visit: &Visit,
    id: &str,
) -> Result<Group, GroupError> {
    let id: GroupId = id.parse().map_err(|_| GroupError::NotFound)?;
    match console.store.group(signed.user.tenant, id).await {
        Err(storage::StorageError::NotFound) => {
            refused(console, signed, visit, "group").await;
            Err(GroupError::NotFound)
        }
        other => Ok(other?),
    }
}

/// Record that `object` named in a request is not the organisation's (`auth.access_decided`,
/// reason `not_in_organisation`): probing for other organisations' ids leaves a trace.
async fn refused(console: &Console, signed: &Signed, visit: &Visit, object: &str) {
    console
        .record(
            signed
                .refusal(console.clock.now(), visit.ip, "not_in_organisation")
                .with_detail("object", object),
        )
        .await;
}

/// An address as typed, bounded before it is parsed.
fn bounded(address: &str) -> Result<&str, GroupError> {
    let address = address.trim();
    if address.is_empty() || address.chars().count() > MAX_ADDRESS_CHARS {
        return Err(GroupError::InvalidAddress);
    }
    Ok(address)
}

/// `GET /console/groups`.
pub(crate) async fn page(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    match MANAGERS.page(&console, &visit).await {
        Ok(signed) => {
            console
                .groups_view(&signed, StatusCode::OK, None, None)
                .await
        }
        Err(r) => r,
    }
}

/// `POST /console/groups`: create a group.
pub(crate) async fn create_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(form): Form<NameForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match MANAGERS.form(&console, &visit, &headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let request = op_request(&console, &signed, &visit);
    let outcome = groups::create(&console.store, signed.user.tenant, &form.name, &request).await;
    console
        .groups_after(&signed, outcome, |g| format!("Group {} created.", g.name))
        .await
}

/// `POST /console/groups/{id}/delete`.
pub(crate) async fn delete_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match MANAGERS.form(&console, &visit, &headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let request = op_request(&console, &signed, &visit);
    let outcome = match group_of(&console, &signed, &visit, &id).await {
        Ok(g) => groups::delete(&console.store, signed.user.tenant, &g, &request)
            .await
            .map(|()| g.name),
        Err(e) => Err(e),
    };
    console
        .groups_after(&signed, outcome, |name| format!("Group {name} deleted."))
        .await
}

/// `POST /console/groups/{id}/members`: add a person by address.
pub(crate) async fn add_member_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<AddressForm>,
) -> Response {
    member_form(console, ip, headers, id, form, true).await
}

/// `POST /console/groups/{id}/members/remove`: remove a person by address.
pub(crate) async fn remove_member_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<AddressForm>,
) -> Response {
    member_form(console, ip, headers, id, form, false).await
}

async fn member_form(
    console: Arc<Console>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    id: String,
    form: AddressForm,
    add: bool,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match MANAGERS.form(&console, &visit, &headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let outcome = change_member(&console, &signed, &visit, &id, &form.address, add).await;
    console
        .groups_after(&signed, outcome, |(name, changed)| match (add, changed) {
            (true, true) => format!("Added to {name}."),
            (true, false) => format!("Already a member of {name}."),
            (false, true) => format!("Removed from {name}."),
            (false, false) => format!("Not a member of {name}."),
        })
        .await
}

/// Add or remove a member; the group's name and whether anything changed.
async fn change_member(
    console: &Console,
    signed: &Signed,
    visit: &Visit,
    id: &str,
    address: &str,
    add: bool,
) -> Result<(String, bool), GroupError> {
    let group = group_of(console, signed, visit, id).await?;
    let address = bounded(address)?;
    let request = op_request(console, signed, visit);
    let tenant = signed.user.tenant;
    let changed = if add {
        groups::add_member(&console.store, tenant, &group, address, &request).await
    } else {
        groups::remove_member(&console.store, tenant, &group, address, &request).await
    };
    if matches!(changed, Err(GroupError::UnknownPerson)) {
        refused(console, signed, visit, "person").await;
    }
    Ok((group.name, changed?))
}

/// `GET /api/v1/groups`.
pub(crate) async fn list_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match MANAGERS.json(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match groups::list(&console.store, signed.user.tenant).await {
        Ok(listed) => Json(json!({
            "groups": listed,
            "max_groups": storage::MAX_GROUPS_PER_TENANT,
        }))
        .into_response(),
        Err(e) => error_json(&e),
    }
}

/// `POST /api/v1/groups` `{"name"}` (with `x-csrf-token`).
pub(crate) async fn create_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Json(body): Json<NameJson>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match MANAGERS.json_write(&console, &visit, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let request = op_request(&console, &signed, &visit);
    match groups::create(&console.store, signed.user.tenant, &body.name, &request).await {
        Ok(g) => (
            StatusCode::CREATED,
            Json(json!({"id": g.id, "name": g.name, "created": g.created.to_rfc3339()})),
        )
            .into_response(),
        Err(e) => error_json(&e),
    }
}

/// `POST /api/v1/groups/{id}/delete` (with `x-csrf-token`).
pub(crate) async fn delete_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match MANAGERS.json_write(&console, &visit, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let request = op_request(&console, &signed, &visit);
    let outcome = match group_of(&console, &signed, &visit, &id).await {
        Ok(g) => groups::delete(&console.store, signed.user.tenant, &g, &request).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => Json(json!({"deleted": true})).into_response(),
        Err(e) => error_json(&e),
    }
}

/// `POST /api/v1/groups/{id}/members` `{"address"}` (with `x-csrf-token`).
pub(crate) async fn add_member_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<AddressJson>,
) -> Response {
    member_json(console, ip, headers, id, body, true).await
}

/// `POST /api/v1/groups/{id}/members/remove` `{"address"}` (with `x-csrf-token`).
pub(crate) async fn remove_member_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<AddressJson>,
) -> Response {
    member_json(console, ip, headers, id, body, false).await
}

async fn member_json(
    console: Arc<Console>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    id: String,
    body: AddressJson,
    add: bool,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match MANAGERS.json_write(&console, &visit, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match change_member(&console, &signed, &visit, &id, &body.address, add).await {
        Ok((name, changed)) => {
            let key = if add { "added" } else { "removed" };
            Json(json!({"group": name, key: changed})).into_response()
        }
        Err(e) => error_json(&e),
    }
}
