//! Screening: what a message contains, in the terms the policy engine decides on.
//!
//! **What it does:** [`Screener::screen`] takes a whole message as received, extracts every
//! readable piece of text (subject, bodies, HTML, attachments including PDF/DOCX/XLSX; see
//! `message::extract`), runs the PHI detector over each (the first body after the message's
//! `From:`, `To:`, `Cc:`, `Date:` and `Subject:` lines, as the detector is measured: see
//! [`body_with_headers`]; weak evidence in one part counts beside words about care in another,
//! [`weak_parts_that_count`]), and sums the result up as a
//! [`MessageVerdict`]: whether there is PHI and on what evidence ([`PhiBasis`]), whether the
//! subject has PHI, the categories with counts and best scores, what could not be read and why, the attachment types and the size.
//! [`MessageVerdict::facts`] turns that into the [`policy::CopyFacts`] for one recipient, and
//! [`MessageVerdict::scanned_event`] / [`decided_event`] into audit events.
//!
//! **What it does not do:** no I/O, no decision (that is `policy`), no storage. It is
//! CPU-bound and synchronous: async callers run it on a blocking thread.
//!
//! **Security and PHI:** the message text exists only inside [`Screener::screen`]; what comes
//! out holds labels, counts, scores, reason codes and file-type tokens, never a matched value
//! or a file name (a file name can itself be PHI: only its extension is kept). The audit
//! events it builds pass `audit::AuditEvent::validate`.

use std::collections::BTreeSet;

use audit::{AuditEvent, EventKind, Subject};
use dlp::{Finding, Label, Scanner};
use message::extract::{ExtractLimits, Extracted, Origin, extract_text, looks_like_message};
use model::{Domain, EmailAddress, MessageId, RecipientId, TenantId, Timestamp};
use policy::{Action, CategoryHit, CopyFacts, Decision, Fallback};

/// The facts about one message, for every recipient alike.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessageVerdict {
    /// The message holds PHI: a patient identifier was found somewhere, or the detector's
    /// weak-verdict model read a part's words as a patient's (possibly with no category found).
    pub phi: bool,
    /// The subject line holds PHI (it must never be shown in a notification).
    pub phi_in_subject: bool,
    /// One entry per category found, with count and best score.
    pub categories: Vec<CategoryHit>,
    /// Reason codes of parts that could not be read (`encrypted`, `too_large`, ...).
    pub unscannable: Vec<String>,
    /// Lower-case MIME types and extensions of the attachments.
    pub attachment_types: Vec<String>,
    /// Size of the message in bytes.
    pub size_bytes: u64,
    /// Why the message holds PHI: each kind of evidence that made a part PHI, in order, each
    /// once (empty when [`Self::phi`] is false). A message read as a patient's with no
    /// category found has [`PhiBasis::ModelReadWords`] only: the audit record says so, where
    /// `categories` alone would not explain the verdict.
    pub phi_basis: Vec<PhiBasis>,
    /// The detector's weak-verdict model judged a part's identifier-shaped findings not a
    /// patient's and took the rules' verdict back (the findings still count in
    /// [`Self::categories`]).
    pub model_took_back: bool,
}

/// One kind of evidence on which screening calls a message PHI (see [`MessageVerdict::phi_basis`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PhiBasis {
    /// The detector's rules found a patient's identifier in a part.
    Identifier,
    /// Weak evidence in one part (a name from the lists, a bare date) and words about a
    /// patient's care in another ([`weak_parts_that_count`]).
    WeakEvidenceAcrossParts,
    /// The detector's weak-verdict model read a part's words as about a patient where its rules
    /// found no identifier they count (`dlp::WeakVerdict::given`).
    ModelReadWords,
}

impl PhiBasis {
    /// The token recorded in the audit trail.
    pub fn as_str(self) -> &'static str {
        match self {
            PhiBasis::Identifier => "identifier",
            PhiBasis::WeakEvidenceAcrossParts => "weak_evidence_across_parts",
            PhiBasis::ModelReadWords => "model_read_words",
        }
    }

    /// The basis a token of the audit trail names ([`Self::as_str`]).
    pub fn from_token(token: &str) -> Option<PhiBasis> {
        [
            PhiBasis::Identifier,
            PhiBasis::WeakEvidenceAcrossParts,
            PhiBasis::ModelReadWords,
        ]
        .into_iter()
        .find(|b| b.as_str() == token)
    }

    /// What it means, for a person (the quarantine view, `carepost policy test`).
    pub fn description(self) -> &'static str {
        match self {
            PhiBasis::Identifier => "a patient's identifier",
            PhiBasis::WeakEvidenceAcrossParts => {
                "weak evidence in one part beside words about a patient's care in another"
            }
            PhiBasis::ModelReadWords => "words read as about a patient, with no identifier counted",
        }
    }
}

/// The text the detector reads for a message's first body part: the message's `From:`, `To:`,
/// `Cc:` and `Date:` lines and its subject as a mail client shows them, a blank line, then the
/// body. Who writes to whom tells the detector whose a name or a mailbox is (a patient writing
/// from a personal mailbox, a colleague's signature in mail between colleagues), as in the
/// corpora its accuracy is measured on (`carepost scan --jsonl`). On the style corpus's
/// 15,554 e-mails with header lines, screened whole (`cargo run --release -p screening
/// --example screen_corpus`): bodies read alone, recall 0.982 and false-positive rate 0.101;
/// read with their header lines, 0.991 and 0.062; and with weak evidence weighed against the
/// other parts' words only ([`weak_parts_that_count`]), 0.989 and 0.015, against the
/// detector's 0.988 and 0.009 on the same texts (see BENCHMARKS.md, section 3, "Session 30").
/// With the subject read with the body too ([`scan_parts`]; session 31, 16,459 e-mails with
/// header lines): 0.9885 and 0.0085, the detector's own figures, message for message.
#[derive(Clone, Debug)]
pub struct BodyWithHeaders {
    /// The index in [`Extracted::parts`] of the body part.
    pub part: usize,
    /// The header lines, the subject line, a blank line and the body (PHI).
    pub text: String,
    /// Where the body starts in [`Self::text`].
    pub body_start: usize,
    /// Where the subject line's value lies in [`Self::text`] (empty when there is none).
    pub subject: std::ops::Range<usize>,
}

/// [`BodyWithHeaders`] for `extracted`'s first `text/plain` or `text/html` body, when the
/// message has header lines to give it.
pub fn body_with_headers(extracted: &Extracted) -> Option<BodyWithHeaders> {
    if extracted.header_lines.is_empty() {
        return None;
    }
    let part = extracted
        .parts
        .iter()
        .position(|p| matches!(p.origin, Origin::BodyText | Origin::BodyHtml))?;
    let mut text = extracted.header_lines.clone();
    let mut subject = text.len()..text.len();
    // The message's own subject is the first part, when it has one.
    if let Some(s) = extracted
        .parts
        .first()
        .filter(|p| p.origin == Origin::Subject)
    {
        text.push_str("Subject: ");
        let start = text.len();
        text.extend(s.text.chars().map(|c| if c.is_control() { ' ' } else { c }));
        subject = start..text.len();
        text.push('\n');
    }
    text.push('\n');
    let body_start = text.len();
    text.push_str(&extracted.parts[part].text);
    Some(BodyWithHeaders {
        part,
        text,
        body_start,
        subject,
    })
}

/// Scans every part of `extracted` as screening reads it; returns, part by part, the text
/// scanned (the findings' offsets are in it) and the result. The body `with_headers` names is
/// read after the message's header lines and subject, once, and that one reading serves the
/// subject too: the subject's findings are those in its line (offsets in the subject's own
/// text), and the subject holds PHI when the message does and one of them is an identifier.
/// Read alone, a subject has no context: "Service Request SR-2025-118204 updated - VS9 CBCT,
/// S/N VS9-22K0417" is a patient's device there and a scanner's beside the body (on the style
/// corpus, 44 of the gateway's 103 false alarms came from subjects read alone; see
/// BENCHMARKS.md, section 3, "Session 31"). Any other part is read alone.
pub fn scan_parts<'a>(
    scanner: &Scanner,
    extracted: &'a Extracted,
    with_headers: Option<&'a BodyWithHeaders>,
) -> Vec<(&'a str, dlp::ScanResult)> {
    let whole = with_headers.map(|w| (w, scanner.scan(&w.text)));
    extracted
        .parts
        .iter()
        .enumerate()
        .map(|(i, part)| match &whole {
            Some((w, r)) if w.part == i => {
                let mut r = r.clone();
                r.findings.retain(|f| !w.subject.contains(&f.start_byte));
                (w.text.as_str(), r)
            }
            Some((w, r)) if part.origin == Origin::Subject && !w.subject.is_empty() => {
                (&w.text[w.subject.clone()], subject_findings(w, r))
            }
            _ => (part.text.as_str(), scanner.scan(&part.text)),
        })
        .collect()
}

/// The findings of `whole` (the scan of `w`'s text) in `w`'s subject line, with offsets in
/// the subject's own text; PHI when `whole` is and one of them is an identifier.
fn subject_findings(w: &BodyWithHeaders, whole: &dlp::ScanResult) -> dlp::ScanResult {
    let subject = &w.text[w.subject.clone()];
    let (byte0, char0) = (w.subject.start, w.text[..w.subject.start].chars().count());
    let findings: Vec<Finding> = whole
        .findings
        .iter()
        .filter(|f| w.subject.contains(&f.start_byte))
        .map(|f| {
            let (start, end) = (f.start_byte - byte0, f.end_byte.min(w.subject.end) - byte0);
            let start_char = f.start_char - char0;
            Finding {
                start_byte: start,
                end_byte: end,
                start_char,
                end_char: start_char + subject.get(start..end).map_or(0, |v| v.chars().count()),
                ..f.clone()
            }
        })
        .collect();
    let identifier = dlp::holds_identifier(&findings);
    let mut categories: Vec<Label> = findings.iter().map(|f| f.label).collect();
    categories.sort();
    categories.dedup();
    dlp::ScanResult {
        findings,
        contains_phi: whole.contains_phi && identifier,
        // (Weighed with the body already: the body's part carries it.)
        weak_phi: false,
        weak_verdict: None,
        categories,
    }
}

/// Of the parts `weak` (weak evidence only, not taken back), those whose evidence counts: a
/// part other than itself speaks of someone's care ([`dlp::mentions_patient_care`]). The
/// part's own words were weighed by the detector already (near the evidence, and by its
/// weak-verdict model); a body's other rendering (`text/plain` beside `text/html`) is the same
/// words; and a body read with the message's header lines (`with_headers`) has read the subject
/// too. Each part's words are looked at once, and only when asked.
pub fn weak_parts_that_count(
    extracted: &Extracted,
    weak: &[usize],
    with_headers: Option<&BodyWithHeaders>,
) -> Vec<usize> {
    let is_body = |o: Origin| matches!(o, Origin::BodyText | Origin::BodyHtml);
    let mut speaks_of_care: Vec<Option<bool>> = vec![None; extracted.parts.len()];
    let mut counting = Vec::new();
    for &i in weak {
        let origin = extracted.parts[i].origin;
        let read_with_subject = with_headers.is_some_and(|w| w.part == i);
        let counts = (0..extracted.parts.len()).any(|j| {
            let other = &extracted.parts[j];
            j != i
                && !(is_body(origin) && is_body(other.origin))
                && !(read_with_subject && other.origin == Origin::Subject)
                && *speaks_of_care[j].get_or_insert_with(|| dlp::mentions_patient_care(&other.text))
        });
        if counts {
            counting.push(i);
        }
    }
    counting
}

/// The detector and extraction limits, built once (the detector's tables are not free).
pub struct Screener {
    scanner: Scanner,
    limits: ExtractLimits,
}

impl Default for Screener {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Screener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screener")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Screener {
    /// A screener with the default extraction limits.
    pub fn new() -> Self {
        Self::with_limits(ExtractLimits::default())
    }

    /// A screener with these limits.
    pub fn with_limits(limits: ExtractLimits) -> Self {
        Self {
            scanner: Scanner::new(),
            limits,
        }
    }

    /// Screen a whole message (header and body as received).
    pub fn screen(&self, raw: &[u8]) -> MessageVerdict {
        let extracted = if looks_like_message(raw) {
            extract_text(raw, &self.limits)
        } else {
            // Not a message at all: read it as one plain text.
            Extracted {
                header_lines: String::new(),
                parts: vec![message::extract::TextPart {
                    origin: Origin::BodyText,
                    name: None,
                    text: String::from_utf8_lossy(raw).into_owned(),
                }],
                unscannable: Vec::new(),
            }
        };
        let mut findings: Vec<Finding> = Vec::new();
        let mut phi = false;
        let mut phi_in_subject = false;
        let mut phi_basis = BTreeSet::new();
        let mut model_took_back = false;
        let mut types = BTreeSet::new();
        // Parts with only weak evidence (see `dlp::ScanResult::contains_phi`): they count when
        // another part of the message speaks of a patient's care.
        let mut weak = Vec::new();
        // The subject (read with the body) holds weak evidence.
        let mut subject_weak = false;
        let with_headers = body_with_headers(&extracted);
        let results = scan_parts(&self.scanner, &extracted, with_headers.as_ref());
        // The subject read with the body: PHI in it when the body, weighed with another
        // part's words, counts and the subject holds an identifier.
        let subject_read_with_body = with_headers
            .as_ref()
            .filter(|w| !w.subject.is_empty())
            .and_then(|_| extracted.parts.first())
            .is_some_and(|p| p.origin == Origin::Subject);
        for ((i, part), (_, result)) in extracted.parts.iter().enumerate().zip(results) {
            model_took_back |= result.weak_verdict.is_some_and(|v| v.taken_back());
            if result.contains_phi {
                phi = true;
                phi_basis.insert(if result.weak_verdict.is_some_and(|v| v.given()) {
                    PhiBasis::ModelReadWords
                } else {
                    PhiBasis::Identifier
                });
                if part.origin == Origin::Subject {
                    phi_in_subject = true;
                }
            } else if result.weak_evidence_for_other_parts() {
                weak.push(i);
            } else if subject_read_with_body && part.origin == Origin::Subject {
                subject_weak = dlp::holds_identifier(&result.findings);
            }
            if let (Origin::Attachment { .. }, Some(name)) = (part.origin, &part.name)
                && let Some(ext) = extension(name)
            {
                types.insert(ext);
            }
            findings.extend(result.findings);
        }
        for i in weak_parts_that_count(&extracted, &weak, with_headers.as_ref()) {
            phi = true;
            phi_basis.insert(PhiBasis::WeakEvidenceAcrossParts);
            phi_in_subject |= extracted.parts[i].origin == Origin::Subject
                || subject_weak && with_headers.as_ref().is_some_and(|w| w.part == i);
        }
        let mut unscannable = BTreeSet::new();
        for u in &extracted.unscannable {
            unscannable.insert(u.reason.code().to_string());
            let ct = u.content_type.to_ascii_lowercase();
            if is_mime_type(&ct) {
                types.insert(ct);
            }
            if let Some(ext) = u.name.as_deref().and_then(extension) {
                types.insert(ext);
            }
        }
        MessageVerdict {
            phi,
            phi_in_subject,
            categories: CategoryHit::tally(findings.iter()),
            unscannable: unscannable.into_iter().collect(),
            attachment_types: types.into_iter().collect(),
            size_bytes: raw.len() as u64,
            phi_basis: phi_basis.into_iter().collect(),
            model_took_back,
        }
    }
}

/// `pdf` from `Lab Results.PDF`; `None` without a plausible extension.
fn extension(name: &str) -> Option<String> {
    let (_, ext) = name.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    (!ext.is_empty() && ext.len() <= 10 && ext.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(ext)
}

fn is_mime_type(ct: &str) -> bool {
    ct.len() <= 100
        && ct.split_once('/').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && ct
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"/.+-".contains(&c))
        })
}

/// Whether `recipient` belongs to one of the organisation's own domains.
pub fn is_internal(recipient: &EmailAddress, internal_domains: &[Domain]) -> bool {
    internal_domains.iter().any(|d| d == recipient.domain())
}

impl MessageVerdict {
    /// The policy facts for one recipient copy.
    pub fn facts(
        &self,
        sender: &EmailAddress,
        sender_groups: Vec<String>,
        recipient: &EmailAddress,
        recipient_internal: bool,
    ) -> CopyFacts {
        CopyFacts {
            categories: self.categories.clone(),
            phi: self.phi,
            phi_in_subject: self.phi_in_subject,
            unscannable: self.unscannable.clone(),
            attachment_types: self.attachment_types.clone(),
            size_bytes: self.size_bytes,
            sender: sender.clone(),
            sender_groups,
            recipient: recipient.clone(),
            recipient_internal,
        }
    }

    /// `message.scanned`: the verdict as categories and counts only.
    pub fn scanned_event(&self, at: Timestamp, tenant: TenantId, message: MessageId) -> AuditEvent {
        let categories: Vec<String> = self
            .categories
            .iter()
            .take(audit::MAX_DETAIL_ARRAY_LEN)
            .map(|c| format!("{}:{}", c.label.as_str(), c.count))
            .collect();
        let unscannable: Vec<String> = self
            .unscannable
            .iter()
            .take(audit::MAX_DETAIL_ARRAY_LEN)
            .cloned()
            .collect();
        AuditEvent::new(
            0,
            at,
            audit::record::system("dlp"),
            EventKind::MessageScanned,
        )
        .with_tenant(tenant)
        .with_subject(Subject {
            message: Some(message),
            ..Subject::default()
        })
        .with_detail("phi", self.phi)
        .with_detail("phi_in_subject", self.phi_in_subject)
        .with_detail("categories", categories)
        .with_detail("unscannable", unscannable)
        .with_detail("size", self.size_bytes)
        .with_detail(
            "phi_basis",
            self.phi_basis
                .iter()
                .map(|b| b.as_str().to_string())
                .collect::<Vec<_>>(),
        )
        .with_detail("model_took_back", self.model_took_back)
    }

    /// Whether any category of `labels` was found.
    pub fn has(&self, label: Label) -> bool {
        self.categories.iter().any(|c| c.label == label)
    }
}

/// `policy.decided`: what policy decided for one copy, the version it used, the rules that
/// fired (names only).
pub fn decided_event(
    at: Timestamp,
    tenant: TenantId,
    message: MessageId,
    recipient: RecipientId,
    recipient_internal: bool,
    decision: &Decision,
) -> AuditEvent {
    let rules: Vec<String> = decision
        .fired
        .iter()
        .take(audit::MAX_DETAIL_ARRAY_LEN)
        .map(|r| audit::record::token_or_placeholder(&r.name))
        .collect();
    let mut event = AuditEvent::new(
        0,
        at,
        audit::record::system("policy"),
        EventKind::PolicyDecided,
    )
    .with_tenant(tenant)
    .with_subject(Subject {
        message: Some(message),
        recipient: Some(recipient),
        ..Subject::default()
    })
    .with_detail("action", action_token(&decision.action))
    .with_detail("policy_version", decision.version)
    .with_detail("rules", rules)
    .with_detail("notify_compliance", decision.notify_compliance)
    .with_detail("hide_subject", decision.hide_subject)
    .with_detail("recipient_internal", recipient_internal);
    if let Action::DeliverVerifiedTls { otherwise } = &decision.action {
        event = event.with_detail("otherwise", fallback_token(*otherwise));
    }
    event
}

/// The stable token of an action (`deliver_verified_tls`, `portal`, ...).
pub fn action_token(action: &Action) -> &'static str {
    match action {
        Action::DeliverVerifiedTls { .. } => "deliver_verified_tls",
        Action::DeliverAnyTls => "deliver_any_tls",
        Action::Portal => "portal",
        Action::Quarantine => "quarantine",
        Action::Reject { .. } => "reject",
    }
}

/// The stable token of a fallback.
pub fn fallback_token(fallback: Fallback) -> &'static str {
    match fallback {
        Fallback::Portal => "portal",
        Fallback::Hold => "hold",
        Fallback::Bounce => "bounce",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use policy::{Fallback, Policy, PolicyDocument};

    const SSN_MAIL: &[u8] = b"From: frontdesk@clinic.example\r\nTo: jdoe@mail.example\r\n\
Subject: Intake for Maria Gonzalez\r\nContent-Type: text/plain\r\n\r\n\
Patient: Maria Gonzalez\r\nDOB: 03/14/1962\r\nSSN: 219-09-9999\r\nMRN: 00456712\r\n";

    const CLEAN_MAIL: &[u8] = b"From: frontdesk@clinic.example\r\nTo: vendor@supplies.example\r\n\
Subject: Printer toner order\r\nContent-Type: text/plain\r\n\r\n\
Please send two boxes of toner to the front office by Friday. Thanks.\r\n";

    fn addr(s: &str) -> EmailAddress {
        EmailAddress::parse(s).expect("address")
    }

    /// The default policy document, in force as version 1.
    fn default_policy() -> Policy {
        Policy::new(
            PolicyDocument::parse(PolicyDocument::default_document()).expect("default"),
            1,
        )
    }

    #[test]
    fn a_message_with_an_ssn_goes_to_the_portal_for_an_outside_recipient() {
        let screener = Screener::new();
        let v = screener.screen(SSN_MAIL);
        assert!(v.phi, "{v:?}");
        assert!(v.phi_in_subject, "a patient name in the subject");
        assert!(v.has(Label::Ssn), "{v:?}");
        let policy = default_policy();
        let outside = v.facts(
            &addr("frontdesk@clinic.example"),
            vec![],
            &addr("jdoe@mail.example"),
            false,
        );
        let d = policy.evaluate(&outside);
        assert_eq!(d.action, Action::Portal);
        assert!(d.hide_subject);
        let e = decided_event(
            Timestamp::from_millis(1),
            TenantId::new(),
            MessageId::new(),
            RecipientId::new(),
            false,
            &d,
        );
        e.validate().expect("valid event");
        let line = String::from_utf8(e.canonical_bytes().expect("bytes")).expect("utf8");
        assert!(line.contains("\"action\":\"portal\""), "{line}");
        let scanned = v.scanned_event(Timestamp::from_millis(1), TenantId::new(), MessageId::new());
        let line = String::from_utf8(scanned.canonical_bytes().expect("bytes")).expect("utf8");
        assert!(line.contains("SSN:1"), "{line}");
        assert_eq!(v.phi_basis, vec![PhiBasis::Identifier], "{v:?}");
        assert!(line.contains("\"phi_basis\":[\"identifier\"]"), "{line}");
        assert!(line.contains("\"model_took_back\":false"), "{line}");
        for value in ["219-09-9999", "Gonzalez", "00456712", "jdoe"] {
            assert!(!line.contains(value), "{value} in {line}");
        }
    }

    #[test]
    fn a_basis_reads_back_from_its_audit_token() {
        for b in [
            PhiBasis::Identifier,
            PhiBasis::WeakEvidenceAcrossParts,
            PhiBasis::ModelReadWords,
        ] {
            assert_eq!(PhiBasis::from_token(b.as_str()), Some(b));
            assert!(!b.description().is_empty());
        }
        assert_eq!(PhiBasis::from_token("Identifier"), None);
    }

    #[test]
    fn a_clean_message_has_no_phi_and_takes_the_default_route() {
        let v = Screener::new().screen(CLEAN_MAIL);
        assert!(!v.phi && !v.phi_in_subject, "{v:?}");
        assert!(v.phi_basis.is_empty() && !v.model_took_back, "{v:?}");
        let policy = default_policy();
        let d = policy.evaluate(&v.facts(
            &addr("frontdesk@clinic.example"),
            vec![],
            &addr("vendor@supplies.example"),
            false,
        ));
        assert_eq!(
            d.action,
            Action::DeliverVerifiedTls {
                otherwise: Fallback::Portal
            }
        );
        assert!(d.fired.is_empty());
    }

    #[test]
    fn a_name_in_the_subject_counts_when_the_body_speaks_of_care() {
        // "Colleen Sutter" alone is weak evidence (a name from the name lists).
        let about_care =
            b"From: a@clinic.example\r\nTo: b@x.example\r\nSubject: Colleen Sutter\r\n\r\n\
Please confirm your appointment on Thursday.\r\n";
        let v = Screener::new().screen(about_care);
        assert!(v.phi && v.phi_in_subject, "{v:?}");
        // (The subject is read with the body: the rules find the name beside the care words.)
        assert_eq!(v.phi_basis, vec![PhiBasis::Identifier], "{v:?}");
        // A name alone in the body and the words about care in an attachment: weak evidence
        // counted across parts, and the record says so.
        let across = b"From: a@clinic.example\r\nTo: b@x.example\r\nSubject: files\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=BB\r\n\r\n\
--BB\r\nContent-Type: text/plain\r\n\r\nColleen Sutter\r\n\
--BB\r\nContent-Type: text/plain; name=\"note.txt\"\r\nContent-Disposition: attachment; \
filename=\"note.txt\"\r\n\r\nPlease confirm your appointment on Thursday.\r\n--BB--\r\n";
        let v = Screener::new().screen(across);
        assert!(v.phi, "{v:?}");
        assert_eq!(
            v.phi_basis,
            vec![PhiBasis::WeakEvidenceAcrossParts],
            "{v:?}"
        );
        let volunteers =
            b"From: a@clinic.example\r\nTo: b@x.example\r\nSubject: Colleen Sutter\r\n\r\n\
Ten years of Thursday coffee carts: thank you to our volunteers.\r\n";
        let v = Screener::new().screen(volunteers);
        assert!(!v.phi && !v.phi_in_subject, "{v:?}");
    }

    #[test]
    fn a_body_whose_weak_evidence_the_model_took_back_stays_not_phi() {
        // Dates and a house phone near "med-passer": the rules call the body PHI on weak
        // evidence, the detector's model takes it back (a shift schedule), and words about
        // care elsewhere in the message must not bring it back.
        let shifts = b"From: rokoye@harborviewgh.example\r\nTo: leads@harborviewgh.example\r\n\
Subject: weekend coverage - 2 open shifts\r\n\r\nhi all\r\n\r\n\
still two open shifts on the weekend schedule, can anyone spare staff? OT approved by Delphine.\r\n\r\n\
Sat 11/8  7a-3p   Birch House  (need med-passer)\r\n\
Sun 11/9  3p-11p  Birch House  (need med-passer + driver)\r\n\r\n\
Marcus said he can take Sunday if someone covers his Friday. Tamsin is on PTO. If nobody by \
Wednesday noon I'll post to the float pool.\r\n\r\nRenata\r\nBirch House | (614) 555-0190\r\n";
        let v = Screener::new().screen(shifts);
        assert!(!v.phi, "{v:?}");
        // The record says why a message with dates and a phone number is not PHI.
        assert!(v.model_took_back && v.phi_basis.is_empty(), "{v:?}");
        let line = String::from_utf8(
            v.scanned_event(Timestamp::from_millis(1), TenantId::new(), MessageId::new())
                .canonical_bytes()
                .expect("bytes"),
        )
        .expect("utf8");
        assert!(line.contains("\"model_took_back\":true"), "{line}");
        // A name in the subject is read with the body, as the detector reads the whole mail:
        // the same schedule under a colleague's name stays a schedule.
        let mut named =
            b"From: rokoye@harborviewgh.example\r\nSubject: Colleen Sutter\r\n".to_vec();
        named.extend_from_slice(
            &shifts[shifts
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .expect("blank line")..],
        );
        let v = Screener::new().screen(&named);
        assert!(!v.phi && !v.phi_in_subject, "{v:?}");
    }

    #[test]
    fn a_message_the_model_reads_as_a_patients_goes_the_phi_way_without_a_category() {
        // Pasted texts about a patient named by a surname no rule knows: no identifier counts,
        // and the detector's model gives the PHI verdict. The copy to an outside recipient
        // goes as PHI goes, the subject (no identifier in it) still shown.
        let texts = b"From: mquintana@eastgatemc.example\r\nTo: interp@eastgatemc.example\r\n\
Subject: Fw: texts from ED\r\n\r\n\
[07:41] Charge RN: need portuguese interp rm 6 asap, Okwuosa chest pain, wife not here yet\r\n\
[07:42] Me: on my way\r\n\
[07:55] Charge RN: rm 6 done, dr wants you back for dispo when troponin is back\r\n\r\nM\r\n";
        let v = Screener::new().screen(texts);
        assert!(v.phi && !v.phi_in_subject, "{v:?}");
        // The audit record says on what: the categories alone would not explain the verdict.
        assert_eq!(v.phi_basis, vec![PhiBasis::ModelReadWords], "{v:?}");
        let scanned = v.scanned_event(Timestamp::from_millis(1), TenantId::new(), MessageId::new());
        scanned.validate().expect("valid event");
        let line = String::from_utf8(scanned.canonical_bytes().expect("bytes")).expect("utf8");
        assert!(
            line.contains("\"phi_basis\":[\"model_read_words\"]"),
            "{line}"
        );
        assert!(!line.contains("Okwuosa"), "{line}");
        assert!(
            !v.categories.iter().any(|c| c.label.is_identifier()),
            "{:?}",
            v.categories
        );
        let policy = default_policy();
        let phi_route = policy.evaluate(&v.facts(
            &addr("mquintana@eastgatemc.example"),
            vec![],
            &addr("interp@language.example"),
            false,
        ));
        let clean = Screener::new().screen(CLEAN_MAIL);
        let clean_route = policy.evaluate(&clean.facts(
            &addr("mquintana@eastgatemc.example"),
            vec![],
            &addr("interp@language.example"),
            false,
        ));
        assert!(!phi_route.fired.is_empty(), "{phi_route:?}");
        assert!(clean_route.fired.is_empty(), "{clean_route:?}");
    }

    #[test]
    fn a_subject_is_read_with_the_body_and_holds_phi_only_when_the_message_does() {
        // Alone, "S/N VS9-22K0417" in a subject is a device's serial number, maybe a
        // patient's; with the body, the service desk's ticket about the practice's scanner.
        let ticket = b"From: VistaScan Service <service@vistascan.example>\r\n\
To: Dana Whitfield <dwhitfield@oms.example>\r\n\
Subject: Service Request SR-2025-118204 updated - VS9 CBCT, S/N VS9-22K0417\r\n\r\n\
Hello Dana,\r\n\r\nYour service request has been updated.\r\n\r\n\
Service Request:  SR-2025-118204\r\nUnit:             VistaScan VS9 CBCT/Pano, S/N \
VS9-22K0417\r\nStatus:           Technician dispatched\r\n";
        let v = Screener::new().screen(ticket);
        assert!(!v.phi && !v.phi_in_subject, "{v:?}");
        // (Read alone, the subject's serial number is still found, but with nobody near it to
        // own it, it needs words about care: it is no PHI by itself either.)
        let alone = Scanner::new()
            .scan("Service Request SR-2025-118204 updated - VS9 CBCT, S/N VS9-22K0417");
        assert!(
            !alone.contains_phi && alone.findings.iter().any(|f| f.label == Label::Device),
            "{alone:?}"
        );
        // A patient's device in the subject is PHI there.
        let v = Screener::new().screen(
            b"From: Device Clinic <device@heartclinic.example>\r\nTo: rep@maker.example\r\n\
Subject: Mrs. Okafor's pacemaker S/N PJN-220914 - ERI alert\r\n\r\nPlease call the clinic.\r\n",
        );
        assert!(v.phi && v.phi_in_subject, "{v:?}");
        // A patient's name in the subject of mail about her care: PHI in the subject.
        let v = Screener::new().screen(SSN_MAIL);
        assert!(v.phi && v.phi_in_subject, "{v:?}");
    }

    #[test]
    fn attachment_types_keep_extensions_not_names() {
        let raw = b"From: a@clinic.example\r\nTo: b@x.example\r\nSubject: files\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=BB\r\n\r\n--BB\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n\
--BB\r\nContent-Type: text/csv; name=\"Maria Gonzalez labs.CSV\"\r\nContent-Disposition: attachment; filename=\"Maria Gonzalez labs.CSV\"\r\n\r\na,b\r\n1,2\r\n\
--BB\r\nContent-Type: image/png; name=\"scan.png\"\r\nContent-Disposition: attachment; filename=\"scan.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--BB--\r\n";
        let v = Screener::new().screen(raw);
        assert!(v.attachment_types.contains(&"csv".to_string()), "{v:?}");
        assert!(v.attachment_types.contains(&"png".to_string()), "{v:?}");
        assert!(
            v.attachment_types.contains(&"image/png".to_string()),
            "{v:?}"
        );
        assert!(!v.unscannable.is_empty(), "an image cannot be read: {v:?}");
        assert!(v.attachment_types.iter().all(|t| !t.contains("gonzalez")));
    }

    #[test]
    fn internal_means_one_of_our_domains() {
        let ours = vec![Domain::parse("clinic.example").expect("domain")];
        assert!(is_internal(&addr("dr@clinic.example"), &ours));
        assert!(!is_internal(&addr("dr@clinic.example.net"), &ours));
    }
}
