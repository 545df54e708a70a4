//! The policy document: TOML text -> validated [`PolicyDocument`], or a [`PolicyError`] with the
//! line and column of the first problem.
//!
//! The TOML is read with `toml`'s spanned document tree ([`DeTable`]) rather than serde derive,
//! so every key and value keeps its position and each problem gets its own error variant instead
//! of a serde message string. Keys are checked in document order, so the error reported is
//! normally the first one in the text; checks that relate several keys of one table (`action`
//! with `otherwise` and `reject_reason`, `min_score` with `categories`, a rule without a name or
//! without effect) run when the table is finished, and duplicate names when the rule is.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::ops::Range;

use dlp::Label;
use model::{AddressError, Domain, EmailAddress, Phi};
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::action::{Action, Fallback};

/// Largest accepted document, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024;
/// Most rules in one document.
pub const MAX_RULES: usize = 500;
/// Most entries in one list condition (domains, addresses, groups, types, ...).
pub const MAX_LIST_ENTRIES: usize = 1000;
/// Longest rule name, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 500;
/// Longest reject reason, in characters.
pub const MAX_REJECT_REASON_CHARS: usize = 200;

/// Unscannable reason codes accepted in `unscannable_reasons`; the same strings as
/// `message::UnscannableReason::code` (policy does not depend on `message`).
pub const UNSCANNABLE_REASONS: [&str; 9] = [
    "binary",
    "encrypted",
    "too_large",
    "too_deep",
    "too_many_parts",
    "undecodable",
    "decompression_bomb",
    "too_many_entries",
    "no_text_layer",
];

/// The only document format this version understands (`format = 1`).
const FORMAT: i64 = 1;

/// An invalid policy document: where (1-based line and column, columns counted in characters)
/// and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {kind}")]
pub struct PolicyError {
    /// 1-based line of the offending key or value.
    pub line: usize,
    /// 1-based column (in characters) of the offending key or value.
    pub column: usize,
    /// What is wrong.
    pub kind: PolicyErrorKind,
}

/// What is wrong with a policy document. Quoted pieces of the document are clipped to 64
/// characters and escaped, so a message is always one printable line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyErrorKind {
    /// Over [`MAX_DOCUMENT_BYTES`] (the position is where the limit falls).
    #[error("document is {size} bytes; the limit is {limit}")]
    TooLarge {
        /// Size of the document.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Over [`MAX_RULES`] (the position is the first rule past the limit).
    #[error("more than {limit} rules")]
    TooManyRules {
        /// The limit.
        limit: usize,
    },
    /// A list over [`MAX_LIST_ENTRIES`].
    #[error("`{key}` has {len} entries; the limit is {limit}")]
    ListTooLong {
        /// The key.
        key: String,
        /// Entries found.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// A string over its length limit.
    #[error("`{key}` is longer than {limit} characters")]
    StringTooLong {
        /// The key.
        key: String,
        /// The limit.
        limit: usize,
    },
    /// Not TOML (message from the TOML parser).
    #[error("TOML syntax: {0}")]
    Syntax(String),
    /// `format` is not 1.
    #[error("unsupported format {0}; this version reads format = 1")]
    UnsupportedFormat(String),
    /// A key this format does not have.
    #[error("unknown key `{key}` in {table}")]
    UnknownKey {
        /// The key as written.
        key: String,
        /// Where (`"the document"`, `"[[rule]]"`, `"[rule.when]"`, `"[default]"`).
        table: &'static str,
    },
    /// A required key is absent.
    #[error("missing `{key}` in {table}")]
    MissingKey {
        /// The key.
        key: &'static str,
        /// Where.
        table: &'static str,
    },
    /// A value of the wrong TOML type.
    #[error("`{key}` must be {expected}, not {found}")]
    WrongType {
        /// The key.
        key: String,
        /// What was expected.
        expected: &'static str,
        /// The TOML type found.
        found: &'static str,
    },
    /// A list that is empty (it could never match).
    #[error("`{key}` is an empty list, which would never match")]
    EmptyList {
        /// The key.
        key: String,
    },
    /// A category name that is not a `dlp` label.
    #[error("unknown PHI category `{name}` (expected one of {})", label_names())]
    UnknownCategory {
        /// The name as written.
        name: String,
    },
    /// An action name that does not exist.
    #[error(
        "unknown action `{name}` (expected deliver_verified_tls, deliver_any_tls, portal, \
         quarantine or reject)"
    )]
    UnknownAction {
        /// The name as written.
        name: String,
    },
    /// An `otherwise` name that does not exist.
    #[error("unknown fallback `{name}` (expected portal, hold or bounce)")]
    UnknownFallback {
        /// The name as written.
        name: String,
    },
    /// `recipient` is not `internal` or `external`.
    #[error("unknown recipient scope `{name}` (expected internal or external)")]
    UnknownScope {
        /// The name as written.
        name: String,
    },
    /// An unscannable reason code that does not exist.
    #[error(
        "unknown unscannable reason `{name}` (expected binary, encrypted, too_large, too_deep, \
         too_many_parts or undecodable)"
    )]
    UnknownUnscannableReason {
        /// The name as written.
        name: String,
    },
    /// `otherwise` on an action other than `deliver_verified_tls`.
    #[error("`otherwise` only applies to action = \"deliver_verified_tls\"")]
    OtherwiseWithoutVerifiedTls,
    /// `reject_reason` on an action other than `reject`.
    #[error("`reject_reason` only applies to action = \"reject\"")]
    ReasonWithoutReject,
    /// An unusable reject reason.
    #[error("bad `reject_reason`: {problem}")]
    BadRejectReason {
        /// What is wrong with it.
        problem: &'static str,
    },
    /// A domain entry that is not a domain name (or `*.` followed by one).
    #[error("bad domain `{entry}`")]
    BadDomain {
        /// The entry as written.
        entry: String,
    },
    /// An address entry that is not an address. The entry is not quoted: it may name a person.
    #[error("bad address: {0}")]
    BadAddress(AddressError),
    /// A group name outside `[A-Za-z0-9._-]{1,64}`.
    #[error("bad group name `{entry}` (letters, digits, '.', '_', '-'; at most 64)")]
    BadGroup {
        /// The entry as written.
        entry: String,
    },
    /// An attachment type that is neither `type/subtype`, `type/*` nor a file extension.
    #[error("bad attachment type `{entry}` (expected type/subtype, type/* or an extension)")]
    BadAttachmentType {
        /// The entry as written.
        entry: String,
    },
    /// A rule name outside `[a-z0-9][a-z0-9._-]*`, at most [`MAX_NAME_CHARS`].
    #[error("bad rule name `{name}` (lower-case letters, digits, '.', '_', '-'; at most 64)")]
    BadRuleName {
        /// The name as written.
        name: String,
    },
    /// Two rules with one name.
    #[error("duplicate rule name `{name}` (first used on line {first_line})")]
    DuplicateRuleName {
        /// The name.
        name: String,
        /// Line of the first rule with that name.
        first_line: usize,
    },
    /// A score outside `0.0..=1.0`.
    #[error("`{key}` must be between 0 and 1, not {value}")]
    ScoreOutOfRange {
        /// The key.
        key: String,
        /// The value as written.
        value: String,
    },
    /// An integer outside its range.
    #[error("`{key}` must be between {min} and {max}")]
    IntegerOutOfRange {
        /// The key.
        key: String,
        /// Smallest allowed.
        min: u64,
        /// Largest allowed.
        max: u64,
    },
    /// `min_size_bytes` greater than `max_size_bytes`.
    #[error("`min_size_bytes` is greater than `max_size_bytes`, so the rule never matches")]
    EmptySizeRange,
    /// A key that only makes sense with another one.
    #[error("`{key}` needs `{needs}` in the same table")]
    RequiresKey {
        /// The key present.
        key: &'static str,
        /// The key missing.
        needs: &'static str,
    },
    /// A rule with no action, no flag and no `stop`.
    #[error(
        "rule `{name}` does nothing (give it an action, notify_compliance, hide_subject or stop)"
    )]
    RuleDoesNothing {
        /// The rule name.
        name: String,
    },
}

/// A validated policy document: the default action and the rules in document order.
#[derive(Clone, Debug)]
pub struct PolicyDocument {
    description: Option<String>,
    default_action: Action,
    rules: Vec<Rule>,
}

/// One rule.
#[derive(Clone, Debug)]
pub struct Rule {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) line: usize,
    pub(crate) when: Conditions,
    pub(crate) action: Option<Action>,
    pub(crate) notify_compliance: bool,
    pub(crate) hide_subject: bool,
    pub(crate) stop: bool,
}

impl PolicyDocument {
    /// Parse and validate a document. Never panics; refuses anything invalid with the position
    /// of the first problem.
    pub fn parse(text: &str) -> Result<PolicyDocument, PolicyError> {
        if text.len() > MAX_DOCUMENT_BYTES {
            let (line, column) = line_col(text, MAX_DOCUMENT_BYTES);
            return Err(PolicyError {
                line,
                column,
                kind: PolicyErrorKind::TooLarge {
                    size: text.len(),
                    limit: MAX_DOCUMENT_BYTES,
                },
            });
        }
        let root = DeTable::parse(text).map_err(|e| {
            let (line, column) = line_col(text, e.span().map_or(0, |s| s.start));
            PolicyError {
                line,
                column,
                kind: PolicyErrorKind::Syntax(clip(e.message())),
            }
        })?;
        Parser { text }.document(root.get_ref())
    }

    /// The shipped default policy (commented TOML implementing the safe defaults).
    pub fn default_document() -> &'static str {
        DEFAULT_DOCUMENT
    }

    /// The document's `description`, if any.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The action used when no fired rule has one.
    pub fn default_action(&self) -> &Action {
        &self.default_action
    }

    /// The rules, in document order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }
}

impl Rule {
    /// The rule's unique name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The rule's description, if any.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    /// The line of the rule's `name` key.
    pub fn line(&self) -> usize {
        self.line
    }
    /// The action, if the rule has one.
    pub fn action(&self) -> Option<&Action> {
        self.action.as_ref()
    }
    /// Whether firing notifies compliance.
    pub fn notify_compliance(&self) -> bool {
        self.notify_compliance
    }
    /// Whether firing hides the subject in notifications.
    pub fn hide_subject(&self) -> bool {
        self.hide_subject
    }
    /// Whether firing ends evaluation.
    pub fn stop(&self) -> bool {
        self.stop
    }
}

/// Parse a `dlp` label name (`"SSN"`, `"member_id"`, ...; case-insensitive).
///
/// XXX: lives here rather than in `dlp` because `dlp` is being reworked; move it to
/// `dlp::Label::from_str` once that settles. The test `every_label_name_round_trips` fails when
/// `dlp` grows a label this match does not know.
pub fn label_from_name(name: &str) -> Option<Label> {
    if name.len() > 16 {
        return None;
    }
    Some(match name.to_ascii_uppercase().as_str() {
        "PERSON" => Label::Person,
        "DATE" => Label::Date,
        "AGE" => Label::Age,
        "PHONE" => Label::Phone,
        "FAX" => Label::Fax,
        "EMAIL" => Label::Email,
        "SSN" => Label::Ssn,
        "MRN" => Label::Mrn,
        "MEMBER_ID" => Label::MemberId,
        "ACCOUNT" => Label::Account,
        "LICENSE" => Label::License,
        "VEHICLE" => Label::Vehicle,
        "DEVICE" => Label::Device,
        "URL" => Label::Url,
        "IP" => Label::Ip,
        "ADDRESS" => Label::Address,
        "ZIP" => Label::Zip,
        "OTHER_ID" => Label::OtherId,
        "NPI" => Label::Npi,
        "DEA" => Label::Dea,
        "ICD10" => Label::Icd10,
        "MEDICATION" => Label::Medication,
        _ => return None,
    })
}

const LABEL_NAMES: [&str; 22] = [
    "PERSON",
    "DATE",
    "AGE",
    "PHONE",
    "FAX",
    "EMAIL",
    "SSN",
    "MRN",
    "MEMBER_ID",
    "ACCOUNT",
    "LICENSE",
    "VEHICLE",
    "DEVICE",
    "URL",
    "IP",
    "ADDRESS",
    "ZIP",
    "OTHER_ID",
    "NPI",
    "DEA",
    "ICD10",
    "MEDICATION",
];

fn label_names() -> String {
    LABEL_NAMES.join(", ")
}

const DEFAULT_DOCUMENT: &str = include_str!("default_policy.toml");

// ── Conditions ─────────────────────────────────────────────────────────────────────────────────

/// Internal or external recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    Internal,
    External,
}

/// `categories` with its thresholds.
#[derive(Clone, Debug)]
pub(crate) struct CategoryCond {
    pub(crate) labels: Vec<Label>,
    pub(crate) min_score: f32,
    pub(crate) min_count: u32,
}

/// Domain entries: exact names, and `*.suffix` entries (subdomains of suffix, not suffix itself).
#[derive(Clone, Debug, Default)]
pub(crate) struct DomainSet {
    pub(crate) exact: BTreeSet<String>,
    pub(crate) subdomains_of: BTreeSet<String>,
}

/// An attachment type pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TypePattern {
    /// `type/subtype`.
    Mime(String),
    /// `type/*`, stored as `type/`.
    MimePrefix(String),
    /// A file extension without the dot.
    Extension(String),
}

/// All conditions of a rule; `None` means "not constrained". Addresses are stored lower-case
/// `local@domain`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Conditions {
    pub(crate) phi: Option<bool>,
    pub(crate) phi_in_subject: Option<bool>,
    pub(crate) categories: Option<CategoryCond>,
    pub(crate) recipient: Option<Scope>,
    pub(crate) recipient_domains: Option<DomainSet>,
    /// Wrapped in [`Phi`]: an administrator may list a patient's own address, so `Debug` on a
    /// document must not print these.
    pub(crate) recipient_addresses: Option<Phi<BTreeSet<String>>>,
    pub(crate) senders: Option<Phi<BTreeSet<String>>>,
    pub(crate) sender_domains: Option<DomainSet>,
    pub(crate) sender_groups: Option<Vec<String>>,
    pub(crate) attachment_types: Option<Vec<TypePattern>>,
    pub(crate) min_size_bytes: Option<u64>,
    pub(crate) max_size_bytes: Option<u64>,
    pub(crate) unscannable: Option<bool>,
    pub(crate) unscannable_reasons: Option<Vec<String>>,
}

// ── The walker ─────────────────────────────────────────────────────────────────────────────────

type Key<'i> = Spanned<Cow<'i, str>>;
type Val<'i> = Spanned<DeValue<'i>>;

struct Parser<'t> {
    text: &'t str,
}

const T_DOC: &str = "the document";
const T_RULE: &str = "[[rule]]";
const T_WHEN: &str = "[rule.when]";
const T_DEFAULT: &str = "[default]";

/// The raw action keys of a table, before they are combined into an [`Action`].
#[derive(Default)]
struct ActionKeys<'a> {
    action: Option<(Range<usize>, &'a str)>,
    otherwise: Option<(Range<usize>, &'a str)>,
    reject_reason: Option<(Range<usize>, &'a str)>,
}

impl<'t> Parser<'t> {
    fn at(&self, span: Range<usize>, kind: PolicyErrorKind) -> PolicyError {
        let (line, column) = line_col(self.text, span.start);
        PolicyError { line, column, kind }
    }

    fn document(&self, root: &DeTable<'_>) -> Result<PolicyDocument, PolicyError> {
        let mut description = None;
        let mut default_action = Action::DeliverVerifiedTls {
            otherwise: Fallback::Portal,
        };
        let mut rules = Vec::new();
        for (k, v) in sorted(root) {
            match k.get_ref().as_ref() {
                "format" => {
                    let n = self.int(k, v)?;
                    if n != FORMAT {
                        return Err(
                            self.at(v.span(), PolicyErrorKind::UnsupportedFormat(n.to_string()))
                        );
                    }
                }
                "description" => {
                    description = Some(self.text_limited(k, v, MAX_DESCRIPTION_CHARS)?);
                }
                "default" => {
                    let t = self.table(k, v)?;
                    default_action = self.default_table(v.span(), t)?;
                }
                "rule" => {
                    let DeValue::Array(arr) = v.get_ref() else {
                        return Err(self.wrong_type(k, v, "an array of tables ([[rule]])"));
                    };
                    rules = self.rules(k, arr)?;
                }
                _ => return Err(self.unknown(k, T_DOC)),
            }
        }
        Ok(PolicyDocument {
            description,
            default_action,
            rules,
        })
    }

    fn default_table(&self, span: Range<usize>, t: &DeTable<'_>) -> Result<Action, PolicyError> {
        let mut keys = ActionKeys::default();
        for (k, v) in sorted(t) {
            if !self.action_key(&mut keys, k, v)? {
                return Err(self.unknown(k, T_DEFAULT));
            }
        }
        match self.action(&keys)? {
            Some(a) => Ok(a),
            None => Err(self.at(
                span,
                PolicyErrorKind::MissingKey {
                    key: "action",
                    table: T_DEFAULT,
                },
            )),
        }
    }

    fn rules(&self, key: &Key<'_>, arr: &DeArray<'_>) -> Result<Vec<Rule>, PolicyError> {
        if arr.len() > MAX_RULES {
            let span = arr.get(MAX_RULES).map_or(key.span(), |v| v.span());
            return Err(self.at(span, PolicyErrorKind::TooManyRules { limit: MAX_RULES }));
        }
        let mut rules = Vec::with_capacity(arr.len());
        let mut names: HashMap<String, usize> = HashMap::new();
        for item in arr.iter() {
            let DeValue::Table(t) = item.get_ref() else {
                return Err(self.at(
                    item.span(),
                    PolicyErrorKind::WrongType {
                        key: "rule".into(),
                        expected: "a table",
                        found: item.get_ref().type_str(),
                    },
                ));
            };
            let rule = self.rule(item.span(), t)?;
            if let Some(&first_line) = names.get(&rule.name) {
                let name_span = t
                    .iter()
                    .find(|(k, _)| k.get_ref().as_ref() == "name")
                    .map_or(item.span(), |(_, v)| v.span());
                return Err(self.at(
                    name_span,
                    PolicyErrorKind::DuplicateRuleName {
                        name: rule.name,
                        first_line,
                    },
                ));
            }
            names.insert(rule.name.clone(), rule.line);
            rules.push(rule);
        }
        Ok(rules)
    }

    fn rule(&self, span: Range<usize>, t: &DeTable<'_>) -> Result<Rule, PolicyError> {
        let mut name: Option<(String, usize)> = None;
        let mut description = None;
        let mut when = Conditions::default();
        let mut keys = ActionKeys::default();
        let mut notify_compliance = false;
        let mut hide_subject = false;
        let mut stop = false;
        for (k, v) in sorted(t) {
            if self.action_key(&mut keys, k, v)? {
                continue;
            }
            match k.get_ref().as_ref() {
                "name" => {
                    let s = self.str(k, v)?;
                    if !valid_rule_name(s) {
                        return Err(
                            self.at(v.span(), PolicyErrorKind::BadRuleName { name: clip(s) })
                        );
                    }
                    name = Some((s.to_string(), line_col(self.text, v.span().start).0));
                }
                "description" => {
                    description = Some(self.text_limited(k, v, MAX_DESCRIPTION_CHARS)?);
                }
                "when" => {
                    let wt = self.table(k, v)?;
                    when = self.conditions(wt)?;
                }
                "notify_compliance" => notify_compliance = self.bool(k, v)?,
                "hide_subject" => hide_subject = self.bool(k, v)?,
                "stop" => stop = self.bool(k, v)?,
                _ => return Err(self.unknown(k, T_RULE)),
            }
        }
        let Some((name, line)) = name else {
            return Err(self.at(
                span,
                PolicyErrorKind::MissingKey {
                    key: "name",
                    table: T_RULE,
                },
            ));
        };
        let action = self.action(&keys)?;
        if action.is_none() && !notify_compliance && !hide_subject && !stop {
            return Err(self.at(span, PolicyErrorKind::RuleDoesNothing { name }));
        }
        Ok(Rule {
            name,
            description,
            line,
            when,
            action,
            notify_compliance,
            hide_subject,
            stop,
        })
    }

    /// Records `action`, `otherwise` or `reject_reason`; false for any other key.
    fn action_key<'a>(
        &self,
        keys: &mut ActionKeys<'a>,
        k: &Key<'_>,
        v: &'a Val<'_>,
    ) -> Result<bool, PolicyError> {
        let slot = match k.get_ref().as_ref() {
            "action" => &mut keys.action,
            "otherwise" => &mut keys.otherwise,
            "reject_reason" => &mut keys.reject_reason,
            _ => return Ok(false),
        };
        *slot = Some((v.span(), self.str(k, v)?));
        Ok(true)
    }

    fn action(&self, keys: &ActionKeys<'_>) -> Result<Option<Action>, PolicyError> {
        let Some((span, name)) = &keys.action else {
            if let Some((span, _)) = &keys.otherwise {
                return Err(self.at(
                    span.clone(),
                    PolicyErrorKind::RequiresKey {
                        key: "otherwise",
                        needs: "action",
                    },
                ));
            }
            if let Some((span, _)) = &keys.reject_reason {
                return Err(self.at(
                    span.clone(),
                    PolicyErrorKind::RequiresKey {
                        key: "reject_reason",
                        needs: "action",
                    },
                ));
            }
            return Ok(None);
        };
        let action = match *name {
            "deliver_verified_tls" => {
                let otherwise = match &keys.otherwise {
                    None => Fallback::Portal,
                    Some((s, n)) => match *n {
                        "portal" => Fallback::Portal,
                        "hold" => Fallback::Hold,
                        "bounce" => Fallback::Bounce,
                        other => {
                            return Err(self.at(
                                s.clone(),
                                PolicyErrorKind::UnknownFallback { name: clip(other) },
                            ));
                        }
                    },
                };
                Action::DeliverVerifiedTls { otherwise }
            }
            "deliver_any_tls" => Action::DeliverAnyTls,
            "portal" => Action::Portal,
            "quarantine" => Action::Quarantine,
            "reject" => {
                let Some((rs, reason)) = &keys.reject_reason else {
                    return Err(self.at(
                        span.clone(),
                        PolicyErrorKind::MissingKey {
                            key: "reject_reason",
                            table: "a rule with action = \"reject\"",
                        },
                    ));
                };
                if let Err(problem) = check_reject_reason(reason) {
                    return Err(self.at(rs.clone(), PolicyErrorKind::BadRejectReason { problem }));
                }
                Action::Reject {
                    reason: reason.to_string(),
                }
            }
            other => {
                return Err(self.at(
                    span.clone(),
                    PolicyErrorKind::UnknownAction { name: clip(other) },
                ));
            }
        };
        if let Some((s, _)) = &keys.otherwise
            && !matches!(action, Action::DeliverVerifiedTls { .. })
        {
            return Err(self.at(s.clone(), PolicyErrorKind::OtherwiseWithoutVerifiedTls));
        }
        if let Some((s, _)) = &keys.reject_reason
            && !matches!(action, Action::Reject { .. })
        {
            return Err(self.at(s.clone(), PolicyErrorKind::ReasonWithoutReject));
        }
        Ok(Some(action))
    }

    fn conditions(&self, t: &DeTable<'_>) -> Result<Conditions, PolicyError> {
        let mut c = Conditions::default();
        let mut labels: Option<Vec<Label>> = None;
        let mut min_score: Option<(Range<usize>, f32)> = None;
        let mut min_count: Option<(Range<usize>, u32)> = None;
        let mut sizes: Option<Range<usize>> = None;
        for (k, v) in sorted(t) {
            match k.get_ref().as_ref() {
                "phi" => c.phi = Some(self.bool(k, v)?),
                "phi_in_subject" => c.phi_in_subject = Some(self.bool(k, v)?),
                "unscannable" => c.unscannable = Some(self.bool(k, v)?),
                "categories" => {
                    let mut out = Vec::new();
                    for (span, s) in self.str_list(k, v)? {
                        let Some(l) = label_from_name(s) else {
                            return Err(
                                self.at(span, PolicyErrorKind::UnknownCategory { name: clip(s) })
                            );
                        };
                        if !out.contains(&l) {
                            out.push(l);
                        }
                    }
                    labels = Some(out);
                }
                "min_score" => min_score = Some((k.span(), self.score(k, v)?)),
                "min_count" => {
                    let n = self.int(k, v)?;
                    let n = u32::try_from(n)
                        .ok()
                        .filter(|&n| n >= 1)
                        .ok_or_else(|| self.out_of_range(k, 1, u64::from(u32::MAX)))?;
                    min_count = Some((k.span(), n));
                }
                "recipient" => {
                    let s = self.str(k, v)?;
                    c.recipient = Some(match s {
                        "internal" => Scope::Internal,
                        "external" => Scope::External,
                        other => {
                            return Err(self.at(
                                v.span(),
                                PolicyErrorKind::UnknownScope { name: clip(other) },
                            ));
                        }
                    });
                }
                "recipient_domains" => c.recipient_domains = Some(self.domains(k, v)?),
                "sender_domains" => c.sender_domains = Some(self.domains(k, v)?),
                "recipient_addresses" => c.recipient_addresses = Some(self.addresses(k, v)?),
                "senders" => c.senders = Some(self.addresses(k, v)?),
                "sender_groups" => {
                    let mut out = Vec::new();
                    for (span, s) in self.str_list(k, v)? {
                        if !valid_group(s) {
                            return Err(self.at(span, PolicyErrorKind::BadGroup { entry: clip(s) }));
                        }
                        out.push(s.to_ascii_lowercase());
                    }
                    c.sender_groups = Some(out);
                }
                "attachment_types" => {
                    let mut out = Vec::new();
                    for (span, s) in self.str_list(k, v)? {
                        let Some(p) = type_pattern(s) else {
                            return Err(self
                                .at(span, PolicyErrorKind::BadAttachmentType { entry: clip(s) }));
                        };
                        out.push(p);
                    }
                    c.attachment_types = Some(out);
                }
                "min_size_bytes" => {
                    c.min_size_bytes = Some(self.size(k, v)?);
                    sizes = Some(k.span());
                }
                "max_size_bytes" => {
                    c.max_size_bytes = Some(self.size(k, v)?);
                    sizes = Some(k.span());
                }
                "unscannable_reasons" => {
                    let mut out = Vec::new();
                    for (span, s) in self.str_list(k, v)? {
                        if !UNSCANNABLE_REASONS.contains(&s) {
                            return Err(self.at(
                                span,
                                PolicyErrorKind::UnknownUnscannableReason { name: clip(s) },
                            ));
                        }
                        out.push(s.to_string());
                    }
                    c.unscannable_reasons = Some(out);
                }
                _ => return Err(self.unknown(k, T_WHEN)),
            }
        }
        if let (Some(min), Some(max), Some(span)) = (c.min_size_bytes, c.max_size_bytes, sizes)
            && min > max
        {
            return Err(self.at(span, PolicyErrorKind::EmptySizeRange));
        }
        match labels {
            Some(labels) => {
                c.categories = Some(CategoryCond {
                    labels,
                    min_score: min_score.map_or(dlp::PHI_THRESHOLD, |(_, s)| s),
                    min_count: min_count.map_or(1, |(_, n)| n),
                });
            }
            None => {
                if let Some((span, _)) = min_score {
                    return Err(self.at(
                        span,
                        PolicyErrorKind::RequiresKey {
                            key: "min_score",
                            needs: "categories",
                        },
                    ));
                }
                if let Some((span, _)) = min_count {
                    return Err(self.at(
                        span,
                        PolicyErrorKind::RequiresKey {
                            key: "min_count",
                            needs: "categories",
                        },
                    ));
                }
            }
        }
        Ok(c)
    }

    fn domains(&self, k: &Key<'_>, v: &Val<'_>) -> Result<DomainSet, PolicyError> {
        let mut set = DomainSet::default();
        for (span, s) in self.str_list(k, v)? {
            let (wild, name) = match s.strip_prefix("*.") {
                Some(rest) => (true, rest),
                None => (false, s),
            };
            let bad = || self.at(span.clone(), PolicyErrorKind::BadDomain { entry: clip(s) });
            if name.contains('*') || name.contains('@') {
                return Err(bad());
            }
            let d = Domain::parse(name).map_err(|_| bad())?;
            if wild {
                set.subdomains_of.insert(d.as_str().to_string());
            } else {
                set.exact.insert(d.as_str().to_string());
            }
        }
        Ok(set)
    }

    fn addresses(&self, k: &Key<'_>, v: &Val<'_>) -> Result<Phi<BTreeSet<String>>, PolicyError> {
        let mut set = BTreeSet::new();
        for (span, s) in self.str_list(k, v)? {
            let a = EmailAddress::parse(s)
                .map_err(|e| self.at(span, PolicyErrorKind::BadAddress(e)))?;
            set.insert(a.to_string().to_lowercase());
        }
        Ok(Phi::new(set))
    }

    // ── typed value helpers ──

    fn table<'a, 'i>(&self, k: &Key<'_>, v: &'a Val<'i>) -> Result<&'a DeTable<'i>, PolicyError> {
        match v.get_ref() {
            DeValue::Table(t) => Ok(t),
            _ => Err(self.wrong_type(k, v, "a table")),
        }
    }

    fn bool(&self, k: &Key<'_>, v: &Val<'_>) -> Result<bool, PolicyError> {
        match v.get_ref() {
            DeValue::Boolean(b) => Ok(*b),
            _ => Err(self.wrong_type(k, v, "true or false")),
        }
    }

    fn str<'a>(&self, k: &Key<'_>, v: &'a Val<'_>) -> Result<&'a str, PolicyError> {
        match v.get_ref() {
            DeValue::String(s) => Ok(s.as_ref()),
            _ => Err(self.wrong_type(k, v, "a string")),
        }
    }

    fn text_limited(&self, k: &Key<'_>, v: &Val<'_>, limit: usize) -> Result<String, PolicyError> {
        let s = self.str(k, v)?;
        if s.chars().count() > limit {
            return Err(self.at(
                v.span(),
                PolicyErrorKind::StringTooLong {
                    key: clip(k.get_ref()),
                    limit,
                },
            ));
        }
        Ok(s.to_string())
    }

    fn int(&self, k: &Key<'_>, v: &Val<'_>) -> Result<i64, PolicyError> {
        match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .map_err(|_| self.out_of_range(k, 0, i64::MAX.unsigned_abs())),
            _ => Err(self.wrong_type(k, v, "an integer")),
        }
    }

    fn size(&self, k: &Key<'_>, v: &Val<'_>) -> Result<u64, PolicyError> {
        let n = self.int(k, v)?;
        u64::try_from(n).map_err(|_| self.out_of_range(k, 0, i64::MAX.unsigned_abs()))
    }

    fn score(&self, k: &Key<'_>, v: &Val<'_>) -> Result<f32, PolicyError> {
        let (value, shown) = match v.get_ref() {
            DeValue::Float(f) => (f.as_str().parse::<f64>().ok(), f.as_str().to_string()),
            DeValue::Integer(i) => (
                i64::from_str_radix(i.as_str(), i.radix())
                    .ok()
                    .map(|n| n as f64),
                i.as_str().to_string(),
            ),
            _ => return Err(self.wrong_type(k, v, "a number between 0 and 1")),
        };
        match value {
            Some(x) if (0.0..=1.0).contains(&x) => Ok(x as f32),
            _ => Err(self.at(
                v.span(),
                PolicyErrorKind::ScoreOutOfRange {
                    key: clip(k.get_ref()),
                    value: clip(&shown),
                },
            )),
        }
    }

    /// A non-empty list of strings, at most [`MAX_LIST_ENTRIES`] long, with each entry's span.
    fn str_list<'a>(
        &self,
        k: &Key<'_>,
        v: &'a Val<'_>,
    ) -> Result<Vec<(Range<usize>, &'a str)>, PolicyError> {
        let DeValue::Array(arr) = v.get_ref() else {
            return Err(self.wrong_type(k, v, "a list of strings"));
        };
        if arr.is_empty() {
            return Err(self.at(
                v.span(),
                PolicyErrorKind::EmptyList {
                    key: clip(k.get_ref()),
                },
            ));
        }
        if arr.len() > MAX_LIST_ENTRIES {
            return Err(self.at(
                v.span(),
                PolicyErrorKind::ListTooLong {
                    key: clip(k.get_ref()),
                    len: arr.len(),
                    limit: MAX_LIST_ENTRIES,
                },
            ));
        }
        let mut out = Vec::with_capacity(arr.len());
        for item in arr.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push((item.span(), s.as_ref())),
                other => {
                    return Err(self.at(
                        item.span(),
                        PolicyErrorKind::WrongType {
                            key: clip(k.get_ref()),
                            expected: "a list of strings",
                            found: other.type_str(),
                        },
                    ));
                }
            }
        }
        Ok(out)
    }

    fn wrong_type(&self, k: &Key<'_>, v: &Val<'_>, expected: &'static str) -> PolicyError {
        self.at(
            v.span(),
            PolicyErrorKind::WrongType {
                key: clip(k.get_ref()),
                expected,
                found: v.get_ref().type_str(),
            },
        )
    }

    fn unknown(&self, k: &Key<'_>, table: &'static str) -> PolicyError {
        self.at(
            k.span(),
            PolicyErrorKind::UnknownKey {
                key: clip(k.get_ref()),
                table,
            },
        )
    }

    fn out_of_range(&self, k: &Key<'_>, min: u64, max: u64) -> PolicyError {
        self.at(
            k.span(),
            PolicyErrorKind::IntegerOutOfRange {
                key: clip(k.get_ref()),
                min,
                max,
            },
        )
    }
}

/// A table's entries in document order (the map itself is sorted by key), so the first error
/// reported is the first in the text.
fn sorted<'a, 'i>(t: &'a DeTable<'i>) -> Vec<(&'a Key<'i>, &'a Val<'i>)> {
    let mut v: Vec<_> = t.iter().collect();
    v.sort_by_key(|(k, _)| k.span().start);
    v
}

/// 1-based line and column (in characters) of byte `offset`; offsets past the end are clamped.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let before = bytes.get(..offset.min(bytes.len())).unwrap_or_default();
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = before
        .get(start..)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
        + 1;
    (line, column)
}

/// A piece of the document for an error message: at most 64 characters, escaped to one
/// printable line.
fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(64).flat_map(char::escape_debug).collect();
    if s.chars().nth(64).is_some() {
        out.push_str("...");
    }
    out
}

fn valid_rule_name(s: &str) -> bool {
    let mut chars = s.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    first_ok
        && s.len() <= MAX_NAME_CHARS
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
}

fn valid_group(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

/// `type/subtype`, `type/*`, or an extension (a leading `.` is allowed and dropped).
fn type_pattern(s: &str) -> Option<TypePattern> {
    let lower = s.to_ascii_lowercase();
    let token = |t: &str| {
        !t.is_empty()
            && t.len() <= 64
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
    };
    if let Some((ty, sub)) = lower.split_once('/') {
        if !token(ty) {
            return None;
        }
        if sub == "*" {
            return Some(TypePattern::MimePrefix(format!("{ty}/")));
        }
        return token(sub).then_some(TypePattern::Mime(lower.clone()));
    }
    let ext = lower.strip_prefix('.').unwrap_or(&lower);
    let ok = !ext.is_empty()
        && ext.len() <= 32
        && ext
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._+-".contains(c));
    ok.then(|| TypePattern::Extension(ext.to_string()))
}

/// A reject reason is shown to the sender in an SMTP reply or DSN: one short line of printable
/// ASCII, and nothing shaped like an identifier (an `@`, four or more digits in a row, or more
/// than six digits in all).
fn check_reject_reason(s: &str) -> Result<(), &'static str> {
    if s.trim().is_empty() {
        return Err("it is empty");
    }
    if s.chars().count() > MAX_REJECT_REASON_CHARS {
        return Err("it is longer than 200 characters");
    }
    if !s.chars().all(|c| c == ' ' || c.is_ascii_graphic()) {
        return Err("it must be printable ASCII on one line");
    }
    if s.contains('@') {
        return Err("it must not contain an e-mail address");
    }
    let mut run = 0usize;
    let mut total = 0usize;
    for b in s.bytes() {
        if b.is_ascii_digit() {
            run += 1;
            total += 1;
            if run >= 4 {
                return Err("it must not contain long numbers (they look like identifiers)");
            }
        } else {
            run = 0;
        }
    }
    if total > 6 {
        return Err("it must not contain long numbers (they look like identifiers)");
    }
    Ok(())
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scope::Internal => "internal",
            Scope::External => "external",
        })
    }
}

#[cfg(test)]
mod tests;
