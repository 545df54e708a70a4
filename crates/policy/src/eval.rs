//! Evaluation: the facts about one recipient copy + a policy -> a [`Decision`].

use std::fmt::Write as _;

use dlp::{Finding, Label};
use model::{Domain, EmailAddress};
use serde::Serialize;

use crate::action::Action;
use crate::parse::{Conditions, DomainSet, PolicyDocument, Rule, Scope, TypePattern};

/// A policy in force: a validated document and the version storage assigned to it.
#[derive(Clone, Debug)]
pub struct Policy {
    document: PolicyDocument,
    version: u64,
}

/// One PHI category found in a copy: how many findings and the highest score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CategoryHit {
    /// The category.
    pub label: Label,
    /// Number of findings with this label.
    pub count: u32,
    /// Highest score among them (`0.0..=1.0`).
    pub max_score: f32,
}

/// What policy knows about one recipient copy. Holds no content: categories, counts and scores
/// only. `Debug` is safe to log (addresses print with the local part redacted).
#[derive(Clone, Debug)]
pub struct CopyFacts {
    /// Categories found anywhere in the message (subject, bodies, readable attachments).
    pub categories: Vec<CategoryHit>,
    /// The scanner's verdict: the message contains PHI.
    pub phi: bool,
    /// The subject line contains PHI.
    pub phi_in_subject: bool,
    /// Reason codes of parts that could not be scanned (`"encrypted"`, `"binary"`, ...; see
    /// [`crate::UNSCANNABLE_REASONS`]). Empty when everything was scanned.
    pub unscannable: Vec<String>,
    /// Attachment types: lower-case MIME types (`"application/pdf"`) and/or file extensions
    /// (`"pdf"`, with or without the dot).
    pub attachment_types: Vec<String>,
    /// Size of the message in bytes.
    pub size_bytes: u64,
    /// The envelope sender.
    pub sender: EmailAddress,
    /// Groups the sender belongs to (as configured for the organisation).
    pub sender_groups: Vec<String>,
    /// This copy's recipient.
    pub recipient: EmailAddress,
    /// True when the recipient is inside the organisation.
    pub recipient_internal: bool,
}

/// The decision for one recipient copy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decision {
    /// What to do with the copy.
    pub action: Action,
    /// The rule whose action won; `None` when the document's default action applied.
    pub decided_by: Option<String>,
    /// Tell compliance about this copy.
    pub notify_compliance: bool,
    /// Never show the subject in a notification (portal notice, quarantine digest, DSN).
    pub hide_subject: bool,
    /// The rules that fired, in document order.
    pub fired: Vec<FiredRule>,
    /// The `stop = true` rule that ended evaluation, if any.
    pub stopped_by: Option<String>,
    /// The version of the policy that decided.
    pub version: u64,
}

/// A rule that fired, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FiredRule {
    /// The rule's name.
    pub name: String,
    /// The line of the rule in the document.
    pub line: usize,
    /// One line naming the conditions that matched (categories, counts, scores and policy
    /// entries; never an address or content from the message).
    pub why: String,
    /// The rule's action, if it has one.
    pub action: Option<Action>,
}

impl Policy {
    /// A policy in force: `document` as stored under `version`.
    pub fn new(document: PolicyDocument, version: u64) -> Self {
        Self { document, version }
    }

    /// The version storage assigned.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The validated document.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// Decide what happens to one recipient copy (see the crate docs for how rules combine).
    pub fn evaluate(&self, facts: &CopyFacts) -> Decision {
        let mut fired = Vec::new();
        let mut winner: Option<(&Action, &str)> = None;
        let mut notify_compliance = false;
        // Invariant, not policy: PHI in the subject is never shown in a notification.
        let mut hide_subject = facts.phi_in_subject;
        let mut stopped_by = None;
        for rule in self.document.rules() {
            let Some(why) = matches(&rule.when, facts) else {
                continue;
            };
            if let Some(a) = &rule.action
                && winner.is_none_or(|(w, _)| a.rank() > w.rank())
            {
                winner = Some((a, rule.name.as_str()));
            }
            notify_compliance |= rule.notify_compliance;
            hide_subject |= rule.hide_subject;
            fired.push(fired_rule(rule, why));
            if rule.stop {
                stopped_by = Some(rule.name.clone());
                break;
            }
        }
        let (action, decided_by) = match winner {
            Some((a, name)) => (a.clone(), Some(name.to_string())),
            None => (self.document.default_action().clone(), None),
        };
        Decision {
            action,
            decided_by,
            notify_compliance,
            hide_subject,
            fired,
            stopped_by,
            version: self.version,
        }
    }
}

impl CategoryHit {
    /// Tally findings (from one or several `dlp` scans of the same message) into one hit per
    /// label, in label order.
    pub fn tally<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Vec<CategoryHit> {
        let mut hits: Vec<CategoryHit> = Vec::new();
        for f in findings {
            match hits.iter_mut().find(|h| h.label == f.label) {
                Some(h) => {
                    h.count = h.count.saturating_add(1);
                    h.max_score = h.max_score.max(f.score);
                }
                None => hits.push(CategoryHit {
                    label: f.label,
                    count: 1,
                    max_score: f.score,
                }),
            }
        }
        hits.sort_by_key(|h| h.label);
        hits
    }
}

impl Decision {
    /// A multi-line, human-readable explanation for `carepost policy test`. Contains no
    /// addresses and no content.
    pub fn explain(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "Policy version {}", self.version);
        let _ = writeln!(s, "Action: {}", self.action);
        match &self.decided_by {
            Some(rule) if self.fired.iter().filter(|f| f.action.is_some()).count() > 1 => {
                let _ = writeln!(
                    s,
                    "  decided by rule \"{rule}\" (the most restrictive action among the rules \
                     that fired)"
                );
            }
            Some(rule) => {
                let _ = writeln!(s, "  decided by rule \"{rule}\"");
            }
            None => {
                let _ = writeln!(
                    s,
                    "  no rule that fired sets an action, so the policy's default applies"
                );
            }
        }
        let _ = writeln!(
            s,
            "Subject in notifications: {}",
            if self.hide_subject { "hidden" } else { "shown" }
        );
        let _ = writeln!(
            s,
            "Notify compliance: {}",
            if self.notify_compliance { "yes" } else { "no" }
        );
        if self.fired.is_empty() {
            let _ = writeln!(s, "No rule fired.");
        } else {
            let _ = writeln!(
                s,
                "Rules that fired ({}), in document order:",
                self.fired.len()
            );
            for f in &self.fired {
                let what = f
                    .action
                    .as_ref()
                    .map_or_else(|| "no action".to_string(), ToString::to_string);
                let _ = writeln!(s, "  - {} (line {}) -> {}", f.name, f.line, what);
                let _ = writeln!(s, "      because {}", f.why);
            }
        }
        if let Some(rule) = &self.stopped_by {
            let _ = writeln!(
                s,
                "Evaluation stopped at rule \"{rule}\" (stop = true); later rules were not \
                 evaluated."
            );
        }
        s
    }
}

fn fired_rule(rule: &Rule, why: String) -> FiredRule {
    FiredRule {
        name: rule.name.clone(),
        line: rule.line,
        why,
        action: rule.action.clone(),
    }
}

/// `Some(why)` when every condition holds.
fn matches(c: &Conditions, facts: &CopyFacts) -> Option<String> {
    let mut why: Vec<String> = Vec::new();
    if let Some(want) = c.phi {
        if facts.phi != want {
            return None;
        }
        why.push(if want { "PHI found" } else { "no PHI found" }.into());
    }
    if let Some(want) = c.phi_in_subject {
        if facts.phi_in_subject != want {
            return None;
        }
        why.push(
            if want {
                "PHI in the subject"
            } else {
                "no PHI in the subject"
            }
            .into(),
        );
    }
    if let Some(cat) = &c.categories {
        let found: Vec<String> = cat
            .labels
            .iter()
            .filter_map(|l| {
                facts
                    .categories
                    .iter()
                    .find(|h| {
                        h.label == *l && h.count >= cat.min_count && h.max_score >= cat.min_score
                    })
                    .map(|h| format!("{} x{} (max score {:.2})", h.label, h.count, h.max_score))
            })
            .collect();
        if found.is_empty() {
            return None;
        }
        why.push(format!(
            "category {} found (rule needs score >= {:.2}, count >= {})",
            found.join(", "),
            cat.min_score,
            cat.min_count
        ));
    }
    if let Some(scope) = c.recipient {
        let internal = scope == Scope::Internal;
        if facts.recipient_internal != internal {
            return None;
        }
        why.push(format!("recipient is {scope}"));
    }
    if let Some(set) = &c.recipient_domains {
        why.push(format!(
            "recipient domain matches {}",
            domain_match(set, facts.recipient.domain())?
        ));
    }
    if let Some(set) = &c.recipient_addresses {
        if !set
            .expose()
            .contains(&facts.recipient.to_string().to_lowercase())
        {
            return None;
        }
        why.push("recipient address is on the rule's list".into());
    }
    if let Some(set) = &c.senders {
        if !set
            .expose()
            .contains(&facts.sender.to_string().to_lowercase())
        {
            return None;
        }
        why.push("sender address is on the rule's list".into());
    }
    if let Some(set) = &c.sender_domains {
        why.push(format!(
            "sender domain matches {}",
            domain_match(set, facts.sender.domain())?
        ));
    }
    if let Some(groups) = &c.sender_groups {
        let g = groups.iter().find(|g| {
            facts
                .sender_groups
                .iter()
                .any(|s| s.eq_ignore_ascii_case(g))
        })?;
        why.push(format!("sender is in group {g}"));
    }
    if let Some(types) = &c.attachment_types {
        let t = types
            .iter()
            .find(|p| facts.attachment_types.iter().any(|t| type_matches(p, t)))?;
        why.push(format!(
            "an attachment matches {}",
            match t {
                TypePattern::Mime(m) => m.clone(),
                TypePattern::MimePrefix(p) => format!("{p}*"),
                TypePattern::Extension(e) => format!(".{e}"),
            }
        ));
    }
    if let Some(min) = c.min_size_bytes {
        if facts.size_bytes < min {
            return None;
        }
        why.push(format!("size {} bytes >= {min}", facts.size_bytes));
    }
    if let Some(max) = c.max_size_bytes {
        if facts.size_bytes > max {
            return None;
        }
        why.push(format!("size {} bytes <= {max}", facts.size_bytes));
    }
    if let Some(want) = c.unscannable {
        let any = !facts.unscannable.is_empty();
        if any != want {
            return None;
        }
        why.push(if want {
            format!(
                "content could not be scanned ({})",
                reasons(&facts.unscannable)
            )
        } else {
            "all content was scanned".into()
        });
    }
    if let Some(want) = &c.unscannable_reasons {
        let r = want.iter().find(|r| facts.unscannable.contains(r))?;
        why.push(format!("a part could not be scanned: {r}"));
    }
    if why.is_empty() {
        return Some("the rule has no conditions, so it matches every copy".into());
    }
    Some(why.join(" and "))
}

/// The matching entry, as written in the policy (`example.org` or `*.example.org`).
fn domain_match(set: &DomainSet, domain: &Domain) -> Option<String> {
    let d = domain.as_str();
    if set.exact.contains(d) {
        return Some(d.to_string());
    }
    let mut rest = d;
    while let Some((_, parent)) = rest.split_once('.') {
        if set.subdomains_of.contains(parent) {
            return Some(format!("*.{parent}"));
        }
        rest = parent;
    }
    None
}

fn type_matches(p: &TypePattern, fact: &str) -> bool {
    let fact = fact.trim();
    if fact.contains('/') {
        match p {
            TypePattern::Mime(m) => fact.eq_ignore_ascii_case(m),
            TypePattern::MimePrefix(prefix) => fact
                .get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix)),
            TypePattern::Extension(_) => false,
        }
    } else {
        match p {
            TypePattern::Extension(e) => fact
                .strip_prefix('.')
                .unwrap_or(fact)
                .eq_ignore_ascii_case(e),
            _ => false,
        }
    }
}

/// Known reason codes, deduplicated, for an explanation (unknown codes print as `other`).
fn reasons(codes: &[String]) -> String {
    let mut out: Vec<&str> = codes
        .iter()
        .map(|c| {
            crate::UNSCANNABLE_REASONS
                .iter()
                .find(|k| **k == c.as_str())
                .copied()
                .unwrap_or("other")
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out.join(", ")
}

#[cfg(test)]
mod tests;
