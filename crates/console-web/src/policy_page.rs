//! The policy page (`/console/policy`): the document in force with its version, author and
//! time, an editor, the stored versions, and a dry run of a pasted message; with the JSON
//! twin of the dry run, `POST /api/v1/policy/dry-run`. The logic is
//! `operations::policy_admin`, shared with the CLI and `PUT /api/v1/policy`.
//!
//! **Who:** people whose role may edit the policy (`Permission::EditPolicy`) save new
//! versions; those who read the audit trail or see message details may look at it, at any
//! stored version, and run a dry run. Only the person's own organisation's policy is read
//! or written.
//!
//! **Security:** saving is a sensitive action: the form's anti-forgery token and a step-up
//! within the window. An invalid document is refused with "line L, column C: reason" next
//! to the editor, the person's text is kept, and the version in force stays. A saved
//! version is audited (`admin.policy_changed`) in the same transaction.
//!
//! **PHI:** the dry run reads a pasted message (at most [`MAX_TEST_MESSAGE_BYTES`]). An
//! `audit.queried` event (`query = "policy_test"`) is recorded before anything about it is
//! shown; the message is screened in memory, never stored or logged, and the answer names
//! rules, categories and counts, never a matched value, the subject or an address. The
//! page does not echo the pasted message back after the run (the form starts empty), so it
//! does not linger in the browser's page cache either.

use std::sync::Arc;

use askama::Template;
use audit::Actor;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use identity::roles::{Permission, allows};
use operations::policy_admin::{self, DryRun, DryRunInput, PolicySource, Stored};
use serde::Deserialize;
use serde_json::json;

use crate::Console;
use crate::guard::{Guard, save_refusal, saved_note};
use crate::pages::{self, Frame, html};
use crate::session::{ClientIp, Signed, Visit};
use crate::users::{invalid_policy_json, json_error, json_problem};

/// Largest message the console's dry run accepts (5 MB; the CLI takes larger files).
pub(crate) const MAX_TEST_MESSAGE_BYTES: usize = 5 * 1024 * 1024;
/// Largest request body of the policy form (save or dry run: one form holds the editor
/// and the test fields) and of the JSON dry run: the message percent- or JSON-encoded plus
/// a document. Percent-encoding can triple a byte; anything larger is refused before it is
/// parsed.
pub(crate) const MAX_POLICY_BODY_BYTES: usize =
    3 * MAX_TEST_MESSAGE_BYTES + 3 * policy::MAX_DOCUMENT_BYTES + 64 * 1024;
/// Most characters of an address field.
const MAX_ADDRESS_CHARS: usize = 320;

/// Whether the person may look at the policy and run dry runs.
pub(crate) fn may_view(signed: &Signed) -> bool {
    let role = signed.user.role;
    allows(role, Permission::EditPolicy)
        || allows(role, Permission::ReadAuditTrail)
        || allows(role, Permission::ViewMessageDetails)
}

/// Whether the person may store a new version.
pub(crate) fn may_edit(signed: &Signed) -> bool {
    allows(signed.user.role, Permission::EditPolicy)
}

/// Who may use the policy page and its dry run.
const VIEWERS: Guard = Guard::new(may_view, "Your role does not include the policy.");

/// Who asks, from where, now: for the audit events the operations write.
pub(crate) fn op_request(console: &Console, signed: &Signed, visit: &Visit) -> operations::Request {
    operations::Request {
        actor: Actor::User { id: signed.user.id },
        source_ip: Some(visit.ip),
        now: console.clock.now(),
    }
}

/// An operations error as a JSON answer: the person's mistakes with their precise message,
/// infrastructure faults as a generic "unavailable" (details go to the log, not the client).
pub(crate) fn error_json(e: &operations::Error) -> Response {
    use operations::Error as E;
    let (status, code) = match e {
        E::InvalidPolicy(p) => return invalid_policy_json(&e.to_string(), p.line, p.column),
        E::InvalidAddress { .. }
        | E::NoSender
        | E::MessageTooLarge { .. }
        | E::InvalidReason
        | E::BadId => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        E::NotFound | E::NoSuchVersion(_) => (StatusCode::NOT_FOUND, "not_found"),
        E::NothingQuarantined => (StatusCode::CONFLICT, "nothing_quarantined"),
        E::StoredPolicyInvalid { .. } => (StatusCode::CONFLICT, "stored_policy_invalid"),
        E::PolicySuperseded { .. } => (StatusCode::CONFLICT, "superseded"),
        E::Notice { .. } | E::Screening | E::Storage(_) => {
            tracing::error!(error = %e, "a console operation failed");
            return json_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
        }
    };
    json_problem(status, code, &e.to_string())
}

pub(crate) struct HistoryRow {
    pub(crate) version: u64,
    pub(crate) when: String,
    pub(crate) author: String,
    pub(crate) sha256: String,
    pub(crate) rules: String,
}

pub(crate) struct FiredRow {
    pub(crate) name: String,
    pub(crate) line: usize,
    pub(crate) action: String,
    pub(crate) why: String,
}

/// A dry run's answer as the page shows it.
pub(crate) struct ResultView {
    pub(crate) source: String,
    pub(crate) action: String,
    pub(crate) decided_by: String,
    pub(crate) fired: Vec<FiredRow>,
    pub(crate) explanation: String,
    pub(crate) summary: String,
}

#[derive(Template)]
#[template(path = "policy.html")]
pub(crate) struct PolicyPage<'a> {
    pub(crate) title: &'a str,
    pub(crate) script: bool,
    pub(crate) frame: Frame,
    pub(crate) may_edit: bool,
    /// The version in force.
    pub(crate) version: u64,
    pub(crate) author: String,
    pub(crate) when: String,
    /// The version shown in the editor, when it is not the one in force.
    pub(crate) viewing: Option<u64>,
    /// The editor's text.
    pub(crate) editor: String,
    /// The version the editor's text was edited from (sent back on save, so a version
    /// stored by someone else in the meantime is not replaced unseen).
    pub(crate) base: u64,
    pub(crate) problem: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) history: Vec<HistoryRow>,
    pub(crate) max_message: usize,
    pub(crate) max_document: usize,
    pub(crate) test_problem: Option<String>,
    pub(crate) test_to: String,
    pub(crate) test_from: String,
    pub(crate) result: Option<ResultView>,
}

#[derive(Deserialize, Default)]
pub(crate) struct PolicyQuery {
    #[serde(default)]
    version: Option<u64>,
}

#[derive(Deserialize)]
pub(crate) struct SaveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    document: String,
    /// The version the text was edited from (absent: no check).
    #[serde(default)]
    base_version: Option<u64>,
}

#[derive(Deserialize)]
pub(crate) struct TestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    from: String,
    /// "on": evaluate the editor's text instead of the version in force.
    #[serde(default)]
    draft: String,
    #[serde(default)]
    document: String,
}

/// What the page shows besides the stored versions.
#[derive(Default)]
struct View {
    viewing: Option<u64>,
    editor: Option<String>,
    /// The version `editor` was edited from; `None`: the version in force.
    base: Option<u64>,
    problem: Option<String>,
    note: Option<String>,
    test_problem: Option<String>,
    test_to: String,
    test_from: String,
    result: Option<ResultView>,
}

impl Console {
    async fn policy_view(&self, signed: &Signed, status: StatusCode, view: View) -> Response {
        let tenant = signed.user.tenant;
        let (Ok(current), Ok(history)) = (
            policy_admin::current(&self.store, tenant).await,
            policy_admin::history(&self.store, tenant).await,
        ) else {
            return pages::unavailable();
        };
        // Authors are stored as actor keys (`user:ID`); people read addresses.
        let users = self.store.users(tenant).await.unwrap_or_default();
        let author = |key: &str| author_label(key, &users);
        let editor = view.editor.unwrap_or_else(|| current.document.clone());
        html(
            status,
            &PolicyPage {
                title: "Policy",
                script: false,
                frame: crate::signin::frame(signed),
                may_edit: may_edit(signed),
                version: current.version,
                author: author(&current.author),
                when: current.created.map(pages::when).unwrap_or_default(),
                viewing: view.viewing,
                base: view.base.unwrap_or(current.version),
                editor,
                problem: view.problem,
                note: view.note,
                history: history
                    .iter()
                    .rev()
                    .map(|v| HistoryRow {
                        version: v.version,
                        when: v.created.map(pages::when).unwrap_or_default(),
                        author: author(&v.author),
                        sha256: v.sha256.clone(),
                        rules: v
                            .rules
                            .map_or_else(|| "invalid".to_string(), |n| n.to_string()),
                    })
                    .collect(),
                max_message: MAX_TEST_MESSAGE_BYTES,
                max_document: policy::MAX_DOCUMENT_BYTES,
                test_problem: view.test_problem,
                test_to: view.test_to,
                test_from: view.test_from,
                result: view.result,
            },
            &[],
        )
    }
}

/// `GET /console/policy?version=N`.
pub(crate) async fn page(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Query(q): Query<PolicyQuery>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match VIEWERS.page(&console, &visit).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut view = View::default();
    if let Some(n) = q.version {
        match policy_admin::version(&console.store, signed.user.tenant, n).await {
            Ok(v) => {
                view.viewing = Some(v.version);
                view.editor = Some(v.document);
            }
            Err(operations::Error::NoSuchVersion(n)) => {
                view.problem = Some(format!("There is no policy version {n}."));
            }
            Err(_) => return pages::unavailable(),
        }
    }
    console.policy_view(&signed, StatusCode::OK, view).await
}

/// `POST /console/policy`: validate and store the editor's text as the next version.
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
    let keep = |problem: String| View {
        editor: Some(form.document.clone()),
        base: form.base_version,
        problem: Some(problem),
        ..View::default()
    };
    if let Some(problem) = save_refusal(&console, &signed, may_edit(&signed), "the policy") {
        return console
            .policy_view(&signed, StatusCode::FORBIDDEN, keep(problem))
            .await;
    }
    if form.document.len() > policy::MAX_DOCUMENT_BYTES {
        return console
            .policy_view(
                &signed,
                StatusCode::PAYLOAD_TOO_LARGE,
                keep(format!(
                    "A policy document is at most {} bytes.",
                    policy::MAX_DOCUMENT_BYTES
                )),
            )
            .await;
    }
    // Browsers send a textarea's line breaks as CRLF; the document is stored as written
    // with LF line breaks, as the CLI and the API store it.
    let text = form.document.replace("\r\n", "\n");
    let request = op_request(&console, &signed, &visit);
    match policy_admin::store_edit(
        &console.store,
        signed.user.tenant,
        &text,
        form.base_version,
        &request,
    )
    .await
    {
        Ok(stored) => {
            let (version, changed) = match stored {
                Stored::Version { version, .. } => (version, true),
                Stored::Unchanged(version) => (version, false),
            };
            let view = View {
                note: Some(saved_note("Policy", version, changed)),
                ..View::default()
            };
            console.policy_view(&signed, StatusCode::OK, view).await
        }
        Err(operations::Error::PolicySuperseded { base, current }) => {
            // The text stays; the next save is based on the version now in force, so it
            // is a deliberate replacement after a look at what changed.
            let view = View {
                editor: Some(text),
                problem: Some(format!(
                    "Not saved: version {current} was stored while you edited version {base}. \
                     Your text is kept below; compare it with version {current} (in the list \
                     of stored versions) and save again to replace it."
                )),
                ..View::default()
            };
            console
                .policy_view(&signed, StatusCode::CONFLICT, view)
                .await
        }
        Err(e @ operations::Error::InvalidPolicy(_)) => {
            let view = View {
                editor: Some(text),
                base: form.base_version,
                problem: Some(format!(
                    "Not saved: {e}. The version in force is unchanged."
                )),
                ..View::default()
            };
            console
                .policy_view(&signed, StatusCode::UNPROCESSABLE_ENTITY, view)
                .await
        }
        Err(e) => {
            tracing::error!(error = %e, "storing a policy version failed");
            pages::unavailable()
        }
    }
}

/// `POST /console/policy/test`: the dry run from the page.
pub(crate) async fn test_form(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Form(form): Form<TestForm>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match VIEWERS.form(&console, &visit, &headers, &form.csrf).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let draft = form.draft == "on";
    let mut view = View {
        // The draft stays in the editor; the pasted message is not echoed back.
        editor: draft.then(|| form.document.clone()),
        test_to: clip(&form.to),
        test_from: clip(&form.from),
        ..View::default()
    };
    if let Err(problem) = check_test(&form.message, &form.to, &form.from) {
        view.test_problem = Some(problem.to_string());
        return console
            .policy_view(&signed, StatusCode::UNPROCESSABLE_ENTITY, view)
            .await;
    }
    let input = DryRunInput {
        tenant: signed.user.tenant,
        message: form
            .message
            .replace("\r\n", "\n")
            .replace('\n', "\r\n")
            .into_bytes(),
        to: form.to.clone(),
        from: Some(form.from.clone()).filter(|f| !f.trim().is_empty()),
        document: draft.then(|| form.document.replace("\r\n", "\n")),
        // The sender's groups, looked up as the gateway would (a person of the organisation).
        sender_groups: None,
    };
    let request = op_request(&console, &signed, &visit);
    match policy_admin::dry_run(&console.store, input, &request).await {
        Ok(run) => {
            view.result = Some(result_view(&run));
            console.policy_view(&signed, StatusCode::OK, view).await
        }
        Err(
            e @ (operations::Error::InvalidPolicy(_)
            | operations::Error::InvalidAddress { .. }
            | operations::Error::NoSender
            | operations::Error::MessageTooLarge { .. }
            | operations::Error::StoredPolicyInvalid { .. }),
        ) => {
            view.test_problem = Some(match e {
                operations::Error::InvalidPolicy(_) => format!("The draft is not valid: {e}."),
                operations::Error::NoSender => {
                    "The message has no From: address carepost can read; enter the sender."
                        .to_string()
                }
                _ => format!("{e}."),
            });
            console
                .policy_view(&signed, StatusCode::UNPROCESSABLE_ENTITY, view)
                .await
        }
        Err(e) => {
            tracing::error!(error = %e, "a policy dry run failed");
            pages::unavailable()
        }
    }
}

/// An author's actor key as people read it: a user of the organisation by address, anything
/// else (`system:cli`, `built-in`, a user since deleted) as the key itself.
fn author_label(key: &str, users: &[storage::User]) -> String {
    key.strip_prefix("user:")
        .and_then(|id| users.iter().find(|u| u.id.to_string() == id))
        .map_or_else(|| key.to_string(), |u| u.address.to_string())
}

/// Size and presence checks of a dry run's fields, before anything is read.
fn check_test(message: &str, to: &str, from: &str) -> Result<(), &'static str> {
    if message.trim().is_empty() {
        return Err("Paste a message (its headers and body).");
    }
    if message.len() > MAX_TEST_MESSAGE_BYTES {
        return Err("The message is larger than 5 MB.");
    }
    if to.trim().is_empty() {
        return Err("Enter the recipient's address.");
    }
    if to.chars().count() > MAX_ADDRESS_CHARS || from.chars().count() > MAX_ADDRESS_CHARS {
        return Err("An address is too long.");
    }
    Ok(())
}

/// An address field as typed, shown back in the form (bounded).
fn clip(s: &str) -> String {
    s.trim().chars().take(MAX_ADDRESS_CHARS).collect()
}

fn source_text(source: PolicySource) -> String {
    match source {
        PolicySource::BuiltInDefault => "the built-in default policy (version 0)".to_string(),
        PolicySource::Stored(v) => format!("policy version {v} (in force)"),
        PolicySource::Draft => "the text in the editor (not stored)".to_string(),
    }
}

fn result_view(run: &DryRun) -> ResultView {
    ResultView {
        source: source_text(run.source),
        action: run.decision.action.to_string(),
        decided_by: run.decision.decided_by.clone().unwrap_or_default(),
        fired: run
            .decision
            .fired
            .iter()
            .map(|f| FiredRow {
                name: f.name.clone(),
                line: f.line,
                action: f
                    .action
                    .as_ref()
                    .map_or_else(|| "no action".to_string(), ToString::to_string),
                why: f.why.clone(),
            })
            .collect(),
        explanation: run.explanation.clone(),
        summary: run.summary.clone(),
    }
}

#[derive(Deserialize)]
pub(crate) struct DryRunJson {
    message: String,
    to: String,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    document: Option<String>,
}

/// `POST /api/v1/policy/dry-run` `{"message", "to", "from"?, "document"?}` (with
/// `x-csrf-token`).
pub(crate) async fn dry_run_json(
    State(console): State<Arc<Console>>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Json(body): Json<DryRunJson>,
) -> Response {
    let visit = Visit::new(&headers, ip.as_deref());
    let signed = match VIEWERS.json_write(&console, &visit, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let from = body.from.clone().unwrap_or_default();
    if let Err(problem) = check_test(&body.message, &body.to, &from) {
        return json_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid", problem);
    }
    if body
        .document
        .as_ref()
        .is_some_and(|d| d.len() > policy::MAX_DOCUMENT_BYTES)
    {
        return json_error(StatusCode::PAYLOAD_TOO_LARGE, "document_too_large");
    }
    let input = DryRunInput {
        tenant: signed.user.tenant,
        message: body.message.into_bytes(),
        to: body.to,
        from: body.from.filter(|f| !f.trim().is_empty()),
        document: body.document,
        sender_groups: None,
    };
    let request = op_request(&console, &signed, &visit);
    match policy_admin::dry_run(&console.store, input, &request).await {
        Ok(run) => Json(json!({
            "policy_version": run.decision.version,
            "source": match run.source {
                PolicySource::BuiltInDefault => "built_in_default",
                PolicySource::Stored(_) => "stored",
                PolicySource::Draft => "draft",
            },
            "recipient": if run.internal { "internal" } else { "external" },
            "action": run.decision.action,
            "action_text": run.decision.action.to_string(),
            "decided_by": run.decision.decided_by,
            "notify_compliance": run.decision.notify_compliance,
            "hide_subject": run.decision.hide_subject,
            "fired": run.decision.fired.iter().map(|f| json!({
                "name": f.name,
                "line": f.line,
                "action": f.action,
                "why": f.why,
            })).collect::<Vec<_>>(),
            "stopped_by": run.decision.stopped_by,
            "explanation": run.explanation,
            "summary": run.summary,
        }))
        .into_response(),
        Err(e) => error_json(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dry_run_needs_a_message_and_a_recipient_within_their_limits() {
        assert!(check_test("From: a@b.test\r\n\r\nhi", "c@d.test", "").is_ok());
        assert!(check_test("  ", "c@d.test", "").is_err());
        assert!(check_test("x", " ", "").is_err());
        let big = "x".repeat(MAX_TEST_MESSAGE_BYTES + 1);
        assert_eq!(
            check_test(&big, "c@d.test", ""),
            Err("The message is larger than 5 MB.")
        );
        let long = "a".repeat(MAX_ADDRESS_CHARS + 1);
        assert!(check_test("x", &long, "").is_err());
        assert!(check_test("x", "c@d.test", &long).is_err());
    }

    #[test]
    fn errors_map_to_precise_statuses_and_faults_say_nothing_more() {
        let status = |e: operations::Error| error_json(&e).status();
        assert_eq!(status(operations::Error::NotFound), StatusCode::NOT_FOUND);
        assert_eq!(
            status(operations::Error::BadId),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status(operations::Error::NothingQuarantined),
            StatusCode::CONFLICT
        );
        assert_eq!(
            status(operations::Error::InvalidReason),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status(operations::Error::Storage(
                storage::StorageError::Unavailable("db".into())
            )),
            StatusCode::SERVICE_UNAVAILABLE
        );
    }

    #[test]
    fn an_author_is_shown_by_address_when_known() {
        let user = storage::User {
            id: model::UserId::new(),
            tenant: model::TenantId::new(),
            address: model::EmailAddress::parse("privacy@clinic.test").expect("address"),
            role: model::Role::Compliance,
            password_hash: None,
            must_change_password: false,
            disabled: false,
            created: model::Timestamp::from_millis(0),
        };
        let key = format!("user:{}", user.id);
        assert_eq!(
            author_label(&key, std::slice::from_ref(&user)),
            "privacy@clinic.test"
        );
        assert_eq!(author_label(&key, &[]), key);
        assert_eq!(author_label("system:cli", &[user]), "system:cli");
    }
}
