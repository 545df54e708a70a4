//! Conditional access per organisation: which [`access::AccessPolicy`] decides a person's
//! sign-in and session use, and the page that shows and edits it (`/console/access`) with
//! its JSON twins (`/api/v1/access-policy`, `…/history`, `…/check`).
//!
//! **Which policy:** [`Console::access_policy_for`] is the one place that chooses: the
//! organisation's stored policy (`storage::AccessPolicyStore`, highest version) when it
//! has one, else the operator's file (`console.access_policy_file`), else the built-in
//! default (both held in `Console::access`). The choice is cached per organisation for
//! [`ACCESS_CACHE_TTL`], so a saved version takes effect on this node at once and on
//! every other node within that time. If the store cannot be read, the file's policy
//! decides (logged); a stored version that no longer parses (it was validated when saved,
//! so only a newer, stricter carepost or a hand-edited database) is logged and the file's
//! policy decides, rather than locking everyone out.
//!
//! **Who:** owners and admins (`Permission::ManageConditionalAccess`) save new versions;
//! they and the people who read the audit trail (compliance officers, auditors) may look
//! at it, its history, and run the "what if" check. Only the person's own organisation's
//! policy is read or written.
//!
//! **Security:** saving needs the form's anti-forgery token (`x-csrf-token` for JSON) and
//! a step-up within the window. An invalid document is refused with its line, column and
//! reason, the person's text kept, and the version in force unchanged. A saved version is
//! audited (`admin.access_policy_changed`, details: the version it replaced and the
//! document's SHA-256 prefix) in the same transaction. Documents are bounded
//! ([`access::MAX_POLICY_BYTES`]), like every other field.
//!
//! **PHI:** none. A "what if" takes a role, an address, a country and a time typed by the
//! administrator, evaluates them in memory and keeps nothing.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use access::{AccessPolicy, Decision, SignInContext};
use askama::Template;
use audit::{EventKind, Subject};
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use identity::roles::{Permission, allows};
use model::{Role, TenantId, Timestamp};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use storage::PolicyRecord;

use crate::Console;
use crate::guard::{Guard, save_refusal, saved_note};
use crate::pages::{self, Frame, html};
use crate::policy_page::op_request;
use crate::session::{ClientIp, Signed, Visit};
use crate::users::{invalid_policy_json, json_error, json_problem};

/// How long the policy chosen for an organisation is reused before the store is asked
/// again (at most 30 s by design; the mail policy's cache uses the same order).
pub(crate) const ACCESS_CACHE_TTL: Duration = Duration::from_secs(15);

/// Past this many cached organisations, the cache starts over (it would otherwise grow
/// with every organisation ever seen).
const MAX_CACHED_ORGANISATIONS: usize = 10_000;

/// The editor's text when the organisation has stored nothing yet.
const STARTER: &str = "# Conditional access for this organisation (TOML). Every [[rule]] applies to the\n\
# roles it lists (all roles when `roles` is left out) and denies when any check fails.\n\
#\n\
# [[rule]]\n\
# name = \"senders-from-the-office\"\n\
# roles = [\"sender\"]\n\
# allow_ip = [\"10.0.0.0/8\"]\n\
#\n\
# [settings]\n\
# step_up_on_new_device = true\n\
# impossible_travel_kmh = 900\n";

/// The policy deciding for an organisation, and where it came from.
#[derive(Clone)]
pub(crate) struct InForce {
    pub(crate) policy: Arc<AccessPolicy>,
    /// The stored version, or `None`: the file's policy or the built-in default.
    pub(crate) stored: Option<Arc<PolicyRecord>>,
}

/// Per-organisation choice with the time it was made.
#[derive(Default)]
pub(crate) struct OrgAccessCache(Mutex<HashMap<TenantId, (Instant, InForce)>>);

impl OrgAccessCache {
    fn get(&self, tenant: TenantId) -> Option<InForce> {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&tenant)
            .filter(|(at, _)| at.elapsed() < ACCESS_CACHE_TTL)
            .map(|(_, v)| v.clone())
    }

    fn put(&self, tenant: TenantId, value: InForce) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_CACHED_ORGANISATIONS {
            map.clear();
        }
        map.insert(tenant, (Instant::now(), value));
    }

    fn forget(&self, tenant: TenantId) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&tenant);
    }
}

impl Console {
    /// The access policy that decides for `tenant` (see the module docs for the order).
    pub(crate) async fn access_policy_for(&self, tenant: TenantId) -> Arc<AccessPolicy> {
        self.access_in_force(tenant).await.policy
    }

    /// The access policy in force for `tenant` and where it came from.
    pub(crate) async fn access_in_force(&self, tenant: TenantId) -> InForce {
        if let Some(hit) = self.org_access.get(tenant) {
            return hit;
        }
        let fallback = InForce {
            policy: self.access.clone(),
            stored: None,
        };
        let chosen = match self.store.current_access_policy(tenant).await {
            Ok(Some(record)) => match AccessPolicy::parse(&record.document) {
                Ok(policy) => InForce {
                    policy: Arc::new(policy),
                    stored: Some(Arc::new(record)),
                },
                Err(e) => {
                    tracing::error!(
                        version = record.version,
                        error = %e,
                        "the organisation's stored access policy does not parse; the \
                         configured policy decides"
                    );
                    fallback
                }
            },
            Ok(None) => fallback,
            Err(e) => {
                // Not cached: the next request asks the store again.
                tracing::error!(error = %e, "reading the organisation's access policy failed");
                return fallback;
            }
        };
        self.org_access.put(tenant, chosen.clone());
        chosen
    }
}

/// Whether the person may look at the access policy and run "what if" checks.
pub(crate) fn may_view(signed: &Signed) -> bool {
    let role = signed.user.role;
    allows(role, Permission::ManageConditionalAccess) || allows(role, Permission::ReadAuditTrail)
}

/// Whether the person may store a new version.
pub(crate) fn may_edit(signed: &Signed) -> bool {
    allows(signed.user.role, Permission::ManageConditionalAccess)
}

/// Who may use the access page, its history and its "what if".
const VIEWERS: Guard = Guard::new(may_view, "Your role does not include the access policy.");

/// Who may store a new version through the JSON twin, after a step-up (the form answers a
/// viewer who may not edit, or has not stepped up, with the page and their text kept).
const EDITORS: Guard = Guard::new(
    may_edit,
    "Your role may look at the access policy but not change it.",
)
.stepped_up();

pub(crate) struct HistoryRow {
    pub(crate) version: u64,
    pub(crate) when: String,
    pub(crate) author: String,
    pub(crate) sha256: String,
}

/// A "what if" answer as the page shows it.
pub(crate) struct CheckView {
    pub(crate) outcome: String,
    pub(crate) reasons: Vec<String>,
    pub(crate) rules: Vec<String>,
    pub(crate) alert: bool,
    pub(crate) evaluated: String,
}

#[derive(Template)]
#[template(path = "access.html")]
pub(crate) struct AccessPage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) may_edit: bool,
    pub(crate) in_force: String,
    pub(crate) version: u64,
    pub(crate) editor: String,
    pub(crate) problem: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) history: Vec<HistoryRow>,
    pub(crate) max_document: usize,
    pub(crate) roles: Vec<&'static str>,
    pub(crate) check_role: String,
    pub(crate) check_ip: String,
    pub(crate) check_country: String,
    pub(crate) check_at: String,
    pub(crate) check_problem: Option<String>,
    pub(crate) check: Option<CheckView>,
}

#[derive(Deserialize)]
pub(crate) struct SaveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    document: String,
}

#[derive(Deserialize)]
pub(crate) struct CheckForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    ip: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    at: String,
    /// "on": the device has signed in before.
    #[serde(default)]
    known_device: String,
}

#[derive(Deserialize)]
pub(crate) struct SaveJson {
    document: String,
}

#[derive(Deserialize)]
pub(crate) struct CheckJson {
    role: String,
    ip: String,
    #[serde(default)]
    country: Option<String>,
    /// RFC 3339 in UTC (`2026-11-30T10:00:00Z`); default: now.
    #[serde(default)]
    at: Option<String>,
    #[serde(default = "yes")]
    known_device: bool,
    /// Evaluate this document instead of the policy in force.
    #[serde(default)]
    document: Option<String>,
}

fn yes() -> bool {
    true
}

/// What the page shows besides the stored versions.
#[derive(Default)]
struct View {
    editor: Option<String>,
    problem: Option<String>,
    note: Option<String>,
    check_role: String,
    check_ip: String,
    check_country: String,
    check_at: String,
    check_problem: Option<String>,
    check: Option<CheckView>,
}

fn source_text(in_force: &InForce) -> String {
    match &in_force.stored {
        Some(r) => format!(
            "version {} of this organisation's policy, stored {} by {}",
            r.version,
            pages::when(r.created),
            r.author
        ),
        None => "the server's configured policy (console.access_policy_file, or the built-in \
                 default: allow, step up on a new device, deny impossible travel); this \
                 organisation has stored none"
            .to_string(),
    }
}

fn sha256_prefix(text: &str) -> String {
    hex::encode(&Sha256::digest(text.as_bytes())[..8])
}

impl Console {
    async fn access_view(&self, signed: &Signed, status: StatusCode, view: View) -> Response {
        let tenant = signed.user.tenant;
        let Ok(history) = self.store.access_policy_history(tenant).await else {
            return pages::unavailable();
        };
        let in_force = self.access_in_force(tenant).await;
        let editor = view.editor.unwrap_or_else(|| {
            history
                .last()
                .map_or_else(|| STARTER.to_string(), |r| r.document.clone())
        });
        html(
            status,
            &AccessPage {
                title: "Access",
                script: false,
                frame: crate::signin::frame(signed),
                may_edit: may_edit(signed),
                in_force: source_text(&in_force),
                version: history.last().map_or(0, |r| r.version),
                editor,
                problem: view.problem,
                note: view.note,
                history: history
                    .iter()
                    .rev()
                    .map(|r| HistoryRow {
                        version: r.version,
                        when: pages::when(r.created),
                        author: r.author.clone(),
                        sha256: sha256_prefix(&r.document),
                    })
                    .collect(),
                max_document: access::MAX_POLICY_BYTES,
                roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
                check_role: view.check_role,
                check_ip: view.check_ip,
                check_country: view.check_country,
                check_at: view.check_at,
                check_problem: view.check_problem,
                check: view.check,
            },
            &[],
        )
    }
}

/// Why a save did not happen.
enum SaveError {
    TooLarge,
    Invalid(access::PolicyError),
    /// The policy would deny the person saving it, here and now (reason tokens): saving it
    /// would end their own session at its next request and lock them out.
    LocksOutSaver(Vec<&'static str>),
    Storage(storage::StorageError),
}

/// What a save did.
enum Saved {
    Version(u64),
    Unchanged(u64),
}

/// Validate `text` and store it as the organisation's next version (audited in the same
/// transaction), unless it is identical to the version in force.
async fn save(
    console: &Console,
    signed: &Signed,
    visit: &Visit,
    text: &str,
) -> Result<Saved, SaveError> {
    if text.len() > access::MAX_POLICY_BYTES {
        return Err(SaveError::TooLarge);
    }
    let policy = AccessPolicy::parse(text).map_err(SaveError::Invalid)?;
    // Refuse a policy that would shut out the person saving it (their role, this address,
    // now): the commonest way to lock an organisation out of its own console.
    let (country, location) = console.country_of(visit.ip);
    let decision = policy.evaluate(&SignInContext {
        role: signed.user.role,
        ip: visit.ip,
        country,
        location,
        device_known: true,
        at: console.clock.now(),
        previous: None,
    });
    if decision.outcome == access::Outcome::Deny {
        return Err(SaveError::LocksOutSaver(
            decision.reasons.iter().map(|r| r.as_str()).collect(),
        ));
    }
    let tenant = signed.user.tenant;
    let current = console
        .store
        .current_access_policy(tenant)
        .await
        .map_err(SaveError::Storage)?;
    if let Some(c) = current.as_ref().filter(|c| c.document == text) {
        return Ok(Saved::Unchanged(c.version));
    }
    let request = op_request(console, signed, visit);
    // The store numbers the version inside its transaction, after this event is built, so
    // the event names the version it replaced and the new document's digest.
    let event = audit::AuditEvent::new(
        0,
        request.now,
        request.actor.clone(),
        EventKind::AdminAccessPolicyChanged,
    )
    .with_tenant(tenant)
    .with_source_ip(visit.ip)
    .with_subject(Subject::default())
    .with_detail("previous_version", current.map_or(0, |c| c.version))
    .with_detail("sha256", sha256_prefix(text));
    let version = console
        .store
        .put_access_policy(
            tenant,
            text,
            &storage::actor_key(&request.actor),
            request.now,
            &[event],
        )
        .await
        .map_err(SaveError::Storage)?;
    console.org_access.forget(tenant);
    Ok(Saved::Version(version))
}

/// A "what if" question, checked and bounded.
struct Question {
    context: SignInContext,
}

/// Read a "what if": role, address, optional country and time (UTC; default now).
fn question(
    role: &str,
    ip: &str,
    country: Option<&str>,
    at: Option<&str>,
    known_device: bool,
    now: Timestamp,
) -> Result<Question, &'static str> {
    let role: Role = role
        .trim()
        .parse()
        .map_err(|_| "Choose a role from the list.")?;
    let ip: IpAddr = ip
        .trim()
        .chars()
        .take(64)
        .collect::<String>()
        .parse()
        .map_err(|_| "Enter an IP address (IPv4 or IPv6).")?;
    let country = match country.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(c.to_ascii_uppercase())
        }
        Some(_) => return Err("A country is two letters (ISO 3166-1, e.g. US)."),
    };
    let at = match at.map(str::trim).filter(|a| !a.is_empty()) {
        None => now,
        Some(a) => parse_utc(a).ok_or("Enter the time as YYYY-MM-DDTHH:MM (UTC).")?,
    };
    Ok(Question {
        context: SignInContext {
            role,
            ip,
            country,
            location: None,
            device_known: known_device,
            at,
            previous: None,
        },
    })
}

/// `YYYY-MM-DDTHH:MM[:SS][Z]` (what a `datetime-local` field sends, or RFC 3339 in UTC)
/// as a timestamp. Anything else (offsets, fractions, out-of-range fields) is `None`.
fn parse_utc(text: &str) -> Option<Timestamp> {
    let text = text.strip_suffix('Z').unwrap_or(text);
    let (date, time) = text.split_once('T')?;
    let mut d = date.split('-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: i64 = d.next()?.parse().ok()?;
    let day: i64 = d.next()?.parse().ok()?;
    let mut t = time.split(':');
    let hour: i64 = t.next()?.parse().ok()?;
    let minute: i64 = t.next()?.parse().ok()?;
    let second: i64 = t.next().map_or(Some(0), |s| s.parse().ok())?;
    if d.next().is_some()
        || t.next().is_some()
        || !(1970..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || !(0..24).contains(&hour)
        || !(0..60).contains(&minute)
        || !(0..60).contains(&second)
    {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm), proleptic Gregorian.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some(Timestamp::from_millis(secs * 1000))
}

fn check_view(decision: &Decision, evaluated: String) -> CheckView {
    CheckView {
        outcome: decision.outcome.as_str().to_string(),
        reasons: decision
            .reasons
            .iter()
            .map(|r| r.as_str().to_string())
            .collect(),
        rules: decision.rules.clone(),
        alert: decision.alert,
        evaluated,
    }
}

fn decision_json(decision: &Decision, source: &str) -> serde_json::Value {
    json!({
        "outcome": decision.outcome.as_str(),
        "reasons": decision.reasons.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        "rules": decision.rules,
        "alert": decision.alert,
        "source": source,
    })
}

/// `GET /console/access`.
pub(crate) async fn page(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    match VIEWERS.page(&console, &visit).await {
        Ok(signed) => {
            console
                .access_view(&signed, StatusCode::OK, View::default())
                .await
        }
        Err(r) => r,
    }
}

/// `POST /console/access`: validate and store the editor's text as the next version.
pub(crate) async fn save_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(form): Form<SaveForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match VIEWERS.form(&console, &visit, &headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    // Browsers send a textarea's line breaks as CRLF; stored with LF, as written.
    let text = form.document.replace("\r\n", "\n");
    let keep = |problem: String| View {
        editor: Some(text.clone()),
        problem: Some(problem),
        ..View::default()
    };
    if let Some(problem) = save_refusal(&console, &signed, may_edit(&signed), "the access policy") {
        return console
            .access_view(&signed, StatusCode::FORBIDDEN, keep(problem))
            .await;
    }
    match save(&console, &signed, &visit, &text).await {
        Ok(saved) => {
            let (version, changed) = match saved {
                Saved::Version(v) => (v, true),
                Saved::Unchanged(v) => (v, false),
            };
            let view = View {
                note: Some(saved_note("Access policy", version, changed)),
                ..View::default()
            };
            console.access_view(&signed, StatusCode::OK, view).await
        }
        Err(SaveError::TooLarge) => {
            console
                .access_view(
                    &signed,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    keep(format!(
                        "An access policy is at most {} bytes.",
                        access::MAX_POLICY_BYTES
                    )),
                )
                .await
        }
        Err(SaveError::Invalid(e)) => {
            console
                .access_view(
                    &signed,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    keep(format!(
                        "Not saved: {e}. The version in force is unchanged."
                    )),
                )
                .await
        }
        Err(SaveError::LocksOutSaver(reasons)) => {
            console
                .access_view(
                    &signed,
                    StatusCode::CONFLICT,
                    keep(format!(
                        "Not saved: this policy would deny you, here and now ({}), and end your \
                         own session. Change it so that you can still sign in. The version in \
                         force is unchanged.",
                        reasons.join(", ")
                    )),
                )
                .await
        }
        Err(SaveError::Storage(e)) => {
            tracing::error!(error = %e, "storing an access policy failed");
            pages::unavailable()
        }
    }
}

/// `POST /console/access/check`: "what if" against the policy in force.
pub(crate) async fn check_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(form): Form<CheckForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match VIEWERS.form(&console, &visit, &headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let clip = |s: &str| s.trim().chars().take(64).collect::<String>();
    let mut view = View {
        check_role: clip(&form.role),
        check_ip: clip(&form.ip),
        check_country: clip(&form.country),
        check_at: clip(&form.at),
        ..View::default()
    };
    let asked = question(
        &form.role,
        &form.ip,
        Some(&form.country),
        Some(&form.at),
        form.known_device == "on",
        console.clock.now(),
    );
    match asked {
        Ok(q) => {
            let in_force = console.access_in_force(signed.user.tenant).await;
            let decision = in_force.policy.evaluate(&q.context);
            view.check = Some(check_view(&decision, source_text(&in_force)));
            console.access_view(&signed, StatusCode::OK, view).await
        }
        Err(problem) => {
            view.check_problem = Some(problem.to_string());
            console
                .access_view(&signed, StatusCode::UNPROCESSABLE_ENTITY, view)
                .await
        }
    }
}

/// `GET /api/v1/access-policy`: the policy in force and where it comes from.
pub(crate) async fn get_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match VIEWERS.json(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let in_force = console.access_in_force(signed.user.tenant).await;
    Json(match &in_force.stored {
        Some(r) => json!({
            "source": "stored",
            "version": r.version,
            "document": r.document,
            "author": r.author,
            "created": r.created.to_rfc3339(),
            "may_edit": may_edit(&signed),
        }),
        None => json!({
            "source": "configured",
            "version": 0,
            "document": null,
            "may_edit": may_edit(&signed),
        }),
    })
    .into_response()
}

/// `PUT /api/v1/access-policy` `{"document"}` (with `x-csrf-token`, after a step-up).
pub(crate) async fn put_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Json(body): Json<SaveJson>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match EDITORS.json_write(&console, &visit, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match save(&console, &signed, &visit, &body.document).await {
        Ok(Saved::Version(v)) => Json(json!({"version": v, "changed": true})).into_response(),
        Ok(Saved::Unchanged(v)) => Json(json!({"version": v, "changed": false})).into_response(),
        Err(SaveError::TooLarge) => json_error(StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
        Err(SaveError::Invalid(e)) => {
            let (line, column) = match &e {
                access::PolicyError::Syntax { line, column, .. }
                | access::PolicyError::Invalid { line, column, .. } => (*line, *column),
                access::PolicyError::TooLarge(_) => (0, 0),
            };
            invalid_policy_json(&e.to_string(), line, column)
        }
        Err(SaveError::LocksOutSaver(reasons)) => (
            StatusCode::CONFLICT,
            Json(json!({
                "error": "locks_out_saver",
                "message": "this policy would deny you, here and now; the version in force is unchanged",
                "reasons": reasons,
            })),
        )
            .into_response(),
        Err(SaveError::Storage(e)) => {
            tracing::error!(error = %e, "storing an access policy failed");
            json_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    }
}

/// `GET /api/v1/access-policy/history`: every stored version, newest first.
pub(crate) async fn history_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match VIEWERS.json(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match console
        .store
        .access_policy_history(signed.user.tenant)
        .await
    {
        Ok(history) => Json(json!({
            "versions": history.iter().rev().map(|r| json!({
                "version": r.version,
                "author": r.author,
                "created": r.created.to_rfc3339(),
                "sha256": sha256_prefix(&r.document),
                "document": r.document,
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "reading access policy history failed");
            json_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    }
}

/// `POST /api/v1/access-policy/check` `{"role", "ip", "country"?, "at"?, "known_device"?,
/// "document"?}` (with `x-csrf-token`): "what if", against the policy in force or a draft.
pub(crate) async fn check_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Json(body): Json<CheckJson>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match VIEWERS.json_write(&console, &visit, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let q = match question(
        &body.role,
        &body.ip,
        body.country.as_deref(),
        body.at.as_deref(),
        body.known_device,
        console.clock.now(),
    ) {
        Ok(q) => q,
        Err(problem) => {
            return json_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid", problem);
        }
    };
    match body.document {
        Some(doc) if doc.len() > access::MAX_POLICY_BYTES => {
            json_error(StatusCode::PAYLOAD_TOO_LARGE, "too_large")
        }
        Some(doc) => match AccessPolicy::parse(&doc) {
            Ok(draft) => Json(decision_json(&draft.evaluate(&q.context), "draft")).into_response(),
            Err(e) => json_problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_policy",
                &e.to_string(),
            ),
        },
        None => {
            let in_force = console.access_in_force(signed.user.tenant).await;
            let source = if in_force.stored.is_some() {
                "stored"
            } else {
                "configured"
            };
            Json(decision_json(&in_force.policy.evaluate(&q.context), source)).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A policy that would deny the person saving it, from where they are now, is refused
    /// with its reasons and nothing is stored; one that still lets them in is stored.
    #[tokio::test]
    async fn a_policy_that_would_shut_out_its_saver_is_refused() {
        use axum::http::{HeaderValue, header};

        let dir = tempfile::tempdir().expect("tempdir");
        let store: storage::SharedStore = Arc::new(
            storage_sqlite::SqliteStore::open(&dir.path().join("s.db"))
                .await
                .expect("open"),
        );
        let tenant = storage::Tenant {
            id: TenantId::new(),
            name: "Clinic".into(),
            created: Timestamp::from_millis(0),
        };
        store.create_tenant(&tenant, &[]).await.expect("tenant");
        let admin = storage::User {
            id: model::UserId::new(),
            tenant: tenant.id,
            address: model::EmailAddress::parse("admin@clinic.test").expect("address"),
            role: Role::Admin,
            password_hash: None,
            must_change_password: false,
            disabled: false,
            created: Timestamp::from_millis(0),
        };
        store.create_user(&admin, &[]).await.expect("user");
        let console = Console::new(
            store.clone(),
            Arc::new(crypto::KeyRing::new(
                crypto::MasterKey::generate().expect("rng"),
            )),
            Arc::new(model::SystemClock),
            crate::ConsoleSettings::default(),
            AccessPolicy::default(),
            None,
        )
        .expect("console");
        let office: IpAddr = [10, 1, 2, 3].into();
        let visit_with = |cookie: Option<&str>| {
            let mut headers = HeaderMap::new();
            headers.insert(header::USER_AGENT, HeaderValue::from_static("Mozilla/5.0"));
            if let Some(c) = cookie {
                let value = format!("cp_console={c}");
                headers.insert(
                    header::COOKIE,
                    HeaderValue::from_str(&value).expect("cookie"),
                );
            }
            Visit::new(&headers, Some(&ClientIp(office)))
        };
        let (cookie, _) = console
            .issue_session(
                &visit_with(None),
                &admin,
                crate::session::Stage::Full,
                "passkey",
                &[],
            )
            .await
            .expect("session");
        let visit = visit_with(Some(&cookie));
        let signed = console.session_of(&visit).await.expect("signed in");

        let shuts_out = "[[rule]]\nname = \"no-office\"\ndeny_ip = [\"10.0.0.0/8\"]\n";
        match save(&console, &signed, &visit, shuts_out).await {
            Err(SaveError::LocksOutSaver(reasons)) => assert_eq!(reasons, ["ip_denied"]),
            _ => panic!("a policy denying its saver was not refused"),
        }
        assert!(
            store
                .current_access_policy(tenant.id)
                .await
                .expect("read")
                .is_none(),
            "nothing stored"
        );
        let keeps_saver = "[[rule]]\nname = \"no-test-net\"\ndeny_ip = [\"192.0.2.0/24\"]\n";
        assert!(matches!(
            save(&console, &signed, &visit, keeps_saver).await,
            Ok(Saved::Version(1))
        ));
    }

    /// The one chooser: the organisation's stored policy when it has one, else the
    /// configured one; a stored version that does not parse falls back to the configured
    /// one; a save through the console is in force at once (the cache entry is dropped).
    #[tokio::test]
    async fn the_stored_policy_decides_else_the_configured_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store: storage::SharedStore = Arc::new(
            storage_sqlite::SqliteStore::open(&dir.path().join("c.db"))
                .await
                .expect("open"),
        );
        let mut tenants = Vec::new();
        for name in ["A", "B"] {
            let t = storage::Tenant {
                id: TenantId::new(),
                name: name.into(),
                created: Timestamp::from_millis(0),
            };
            store.create_tenant(&t, &[]).await.expect("tenant");
            tenants.push(t.id);
        }
        let (a, b) = (tenants[0], tenants[1]);
        let configured =
            AccessPolicy::parse("[[rule]]\nname = \"configured\"\ndeny_ip = [\"10.0.0.0/8\"]\n")
                .expect("configured");
        let keys = Arc::new(crypto::KeyRing::new(
            crypto::MasterKey::generate().expect("rng"),
        ));
        let console = Console::new(
            store.clone(),
            keys,
            Arc::new(model::SystemClock),
            crate::ConsoleSettings::default(),
            configured,
            None,
        )
        .expect("console");
        let now = Timestamp::from_millis(0);
        let outcome = |policy: &AccessPolicy, ip: &str| {
            let q = question("sender", ip, None, None, true, now).expect("question");
            policy.evaluate(&q.context).outcome
        };

        let in_force = console.access_in_force(a).await;
        assert!(in_force.stored.is_none());
        assert_eq!(outcome(&in_force.policy, "10.1.2.3"), access::Outcome::Deny);
        assert_eq!(
            outcome(&in_force.policy, "127.0.0.1"),
            access::Outcome::Allow
        );

        let stored = "[[rule]]\nname = \"stored\"\ndeny_ip = [\"127.0.0.0/8\"]\n";
        store
            .put_access_policy(a, stored, "system:test", now, &[])
            .await
            .expect("put");
        // Within the cache's life the earlier choice holds (other nodes see the new
        // version within ACCESS_CACHE_TTL); the console's own save drops the entry.
        assert!(console.access_in_force(a).await.stored.is_none());
        console.org_access.forget(a);
        let in_force = console.access_in_force(a).await;
        assert_eq!(in_force.stored.as_ref().map(|r| r.version), Some(1));
        assert_eq!(
            outcome(&in_force.policy, "10.1.2.3"),
            access::Outcome::Allow
        );
        assert_eq!(
            outcome(&in_force.policy, "127.0.0.1"),
            access::Outcome::Deny
        );
        let policy = console.access_policy_for(b).await;
        assert_eq!(
            outcome(&policy, "127.0.0.1"),
            access::Outcome::Allow,
            "B's is its own"
        );

        // A stored version that no longer parses never locks everyone out.
        store
            .put_access_policy(b, "[[rule]]\nbogus = 1\n", "system:test", now, &[])
            .await
            .expect("put");
        console.org_access.forget(b);
        let in_force = console.access_in_force(b).await;
        assert!(in_force.stored.is_none());
        assert_eq!(outcome(&in_force.policy, "10.1.2.3"), access::Outcome::Deny);
    }

    #[test]
    fn times_are_read_as_utc_and_nonsense_is_refused() {
        assert_eq!(
            parse_utc("1970-01-01T00:00"),
            Some(Timestamp::from_millis(0))
        );
        // 2026-11-30T15:00:00Z, as `date -u -d 2026-11-30T15:00:00Z +%s` says.
        assert_eq!(
            parse_utc("2026-11-30T15:00:00Z"),
            Some(Timestamp::from_millis(1_796_050_800_000))
        );
        assert_eq!(
            parse_utc("2024-02-29T12:30"),
            Some(Timestamp::from_millis(1_709_209_800_000))
        );
        for bad in [
            "",
            "2026-11-30",
            "2026-13-01T00:00",
            "2026-11-30T24:00",
            "2026-11-30T10:00+02:00",
            "2026-11-30T10:00:00.5Z",
            "1969-12-31T23:59",
            "2026-11-30T10:00:00:00",
        ] {
            assert_eq!(parse_utc(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_what_if_question_is_checked_before_it_is_evaluated() {
        let now = Timestamp::from_millis(0);
        let q = question("sender", "127.0.0.1", Some("us"), None, true, now).expect("valid");
        assert_eq!(q.context.role, Role::Sender);
        assert_eq!(q.context.country.as_deref(), Some("US"));
        assert_eq!(q.context.at, now);
        assert!(question("pope", "127.0.0.1", None, None, true, now).is_err());
        assert!(question("sender", "localhost", None, None, true, now).is_err());
        assert!(question("sender", "::1", Some("USA"), None, true, now).is_err());
        assert!(question("sender", "::1", None, Some("noon"), true, now).is_err());

        let policy = AccessPolicy::parse(
            "[[rule]]\nname = \"no-loopback-senders\"\nroles = [\"sender\"]\n\
             deny_ip = [\"127.0.0.0/8\"]\n",
        )
        .expect("policy");
        let denied = policy.evaluate(&q.context);
        assert_eq!(denied.outcome, access::Outcome::Deny);
        assert_eq!(denied.rules, ["no-loopback-senders"]);
        let admin = question("admin", "127.0.0.1", None, None, true, now).expect("valid");
        assert_eq!(
            policy.evaluate(&admin.context).outcome,
            access::Outcome::Allow
        );
    }
}
