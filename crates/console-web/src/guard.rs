//! The checks every console handler makes before it reads or acts, in one place: a full
//! session, the person's role, the request's anti-forgery token and (for sensitive actions)
//! a recent step-up; each with the answer a page or a JSON twin gives when a check fails.
//!
//! **What it does not do:** no check of *which* object is asked for (another organisation's
//! id): that stays with each handler and the operations it calls, because what "not found"
//! means and what is audited differs between them. Handlers whose checks come in another
//! order, or refuse with another page, keep their own code (their answers stay as they
//! were).
//!
//! **Security:** the order of the checks is fixed here, so it is the same everywhere: the
//! session (else a redirect to sign-in or the JSON `401`), then the role (a "Not available"
//! page or `403 forbidden`), then the anti-forgery token (the "form has expired" page or
//! `403 forgery`), then the step-up when the action needs one (a redirect to
//! `/console/step-up`, or `403 step_up_required`). Nothing here logs or audits.
//!
//! **PHI:** none.

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use crate::Console;
use crate::pages;
use crate::session::{Signed, Visit, see_other};
use crate::users::{csrf_ok, header_csrf, json_error, signed_in, signed_in_json};

/// Who may use a page or an action, what a page says to anyone else, and whether the
/// action needs a recent step-up.
#[derive(Clone, Copy)]
pub(crate) struct Guard {
    /// Whether the signed-in person's role allows it.
    pub(crate) may: fn(&Signed) -> bool,
    /// The sentence of the "Not available" page for a person whose role does not.
    pub(crate) refusal: &'static str,
    /// Whether a write needs a step-up within the window (a sensitive action: a stolen
    /// session must not do it). Reads never do.
    pub(crate) step_up: bool,
}

/// Anyone with a full session.
pub(crate) const ANYONE: Guard = Guard::new(|_| true, "");

impl Guard {
    /// People whose role `may` admits; the others are told `refusal`.
    pub(crate) const fn new(may: fn(&Signed) -> bool, refusal: &'static str) -> Self {
        Self {
            may,
            refusal,
            step_up: false,
        }
    }

    /// The same, for a sensitive write: it needs a step-up in the last few minutes.
    pub(crate) const fn stepped_up(self) -> Self {
        Self {
            step_up: true,
            ..self
        }
    }

    /// A full session of someone admitted, for a page; or where to go instead.
    pub(crate) async fn page(self, console: &Console, visit: &Visit) -> Result<Signed, Response> {
        let signed = signed_in(console, visit).await?;
        if !(self.may)(&signed) {
            return Err(not_available(&signed, self.refusal));
        }
        Ok(signed)
    }

    /// A full session of someone admitted, for a JSON twin; or the JSON refusal.
    pub(crate) async fn json(self, console: &Console, visit: &Visit) -> Result<Signed, Response> {
        let signed = signed_in_json(console, visit).await?;
        if !(self.may)(&signed) {
            return Err(json_error(StatusCode::FORBIDDEN, "forbidden"));
        }
        Ok(signed)
    }

    /// A form post: [`Guard::page`], the form's anti-forgery token (`csrf`) and, if
    /// needed, a recent step-up (else off to prove a factor).
    pub(crate) async fn form(
        self,
        console: &Console,
        visit: &Visit,
        headers: &HeaderMap,
        csrf: &str,
    ) -> Result<Signed, Response> {
        let signed = self.page(console, visit).await?;
        if !csrf_ok(headers, &signed, csrf) {
            return Err(pages::forbidden());
        }
        if self.step_up && !console.recently_stepped_up(&signed.session, console.clock.now()) {
            return Err(see_other("/console/step-up", &[]));
        }
        Ok(signed)
    }

    /// A JSON write: [`Guard::json`], the `x-csrf-token` header and, if needed, a recent
    /// step-up.
    pub(crate) async fn json_write(
        self,
        console: &Console,
        visit: &Visit,
        headers: &HeaderMap,
    ) -> Result<Signed, Response> {
        let signed = self.json(console, visit).await?;
        if !csrf_ok(headers, &signed, header_csrf(headers)) {
            return Err(json_error(StatusCode::FORBIDDEN, "forgery"));
        }
        if self.step_up && !console.recently_stepped_up(&signed.session, console.clock.now()) {
            return Err(json_error(StatusCode::FORBIDDEN, "step_up_required"));
        }
        Ok(signed)
    }
}

/// Why an editor's save (the mail policy, the access policy) is refused before anything is
/// read: a role that may only look, or no recent step-up. `None`: go ahead. The page then
/// answers `403` with the person's text kept in the editor, rather than with the
/// "Not available" page or a bare redirect, so a long edit is not lost; the person steps up
/// and saves again. `what` names the document ("the policy").
pub(crate) fn save_refusal(
    console: &Console,
    signed: &Signed,
    may_edit: bool,
    what: &str,
) -> Option<String> {
    if !may_edit {
        return Some(format!("Your role may look at {what} but not change it."));
    }
    if !console.recently_stepped_up(&signed.session, console.clock.now()) {
        return Some(format!(
            "Saving {what} needs a fresh proof of your second factor: step up (link below the \
             editor), then save again."
        ));
    }
    None
}

/// What an editor page says after a save: the version now in force, or that the text is
/// that version's already (`changed` false). `document` starts the sentence ("Policy").
pub(crate) fn saved_note(document: &str, version: u64, changed: bool) -> String {
    if changed {
        format!("{document} version {version} is now in force.")
    } else {
        format!("Nothing changed: the text is identical to version {version}.")
    }
}

/// The "Not available" page: the person's role does not include this.
pub(crate) fn not_available(signed: &Signed, text: &str) -> Response {
    pages::notice(
        StatusCode::FORBIDDEN,
        crate::signin::frame(signed),
        "Not available",
        text,
        "/console",
        "Back to the console",
    )
}
