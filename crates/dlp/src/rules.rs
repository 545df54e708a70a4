//! Candidate generation and context rules. Everything here works on byte offsets into the text;
//! `lib.rs` resolves overlaps and converts to code points.

use crate::{Cand, FastSet, Label, Scanner, anchored};

/// Kinds of unlabelled pattern, in priority order (leftmost-first picks the earlier one at a tie).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pat {
    Email,
    Url,
    Ipv4,
    Ipv6,
    Mbi,
    Vin,
    Address,
    Date,
    Time,
    Age,
    Ssn,
    Phone,
    Dea,
    Icd,
    Digits10,
}

const MONTH: &str = r"(?i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";

pub(crate) static PATTERNS: std::sync::LazyLock<Vec<(Pat, &'static str)>> =
    std::sync::LazyLock::new(|| {
        let date: &'static str = Box::leak(
        format!(
            r"(?-u:\b)(?:[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}|[0-9]{{1,2}}[/\-.][0-9]{{1,2}}[/\-.](?:[0-9]{{4}}|[0-9]{{2}})|{m}\.? [0-9]{{1,2}}(?:st|nd|rd|th)?(?:,? [0-9]{{4}})?|[0-9]{{1,2}}(?:st|nd|rd|th)? {m}\.?,? [0-9]{{4}}|[0-9]{{1,2}}-{m}-[0-9]{{2,4}}|[0-9]{{1,2}}/[0-9]{{1,2}})(?-u:\b)",
            m = MONTH
        )
        .into_boxed_str(),
    );
        vec![
            (
                Pat::Email,
                r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}",
            ),
            (Pat::Url, r#"(?:https?://|www\.)[^\s<>"'()\[\]|]+"#),
            (Pat::Ipv4, r"(?-u:\b)(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?-u:\b)"),
            (
                Pat::Ipv6,
                r"(?-u:\b)[0-9A-Fa-f]{1,4}(?:::?[0-9A-Fa-f]{1,4}){2,7}(?:::)?",
            ),
            (
                Pat::Mbi,
                r"(?-u:\b)[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9]-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9]-?[AC-HJKMNP-RT-Y]{2}[0-9]{2}(?-u:\b)",
            ),
            (Pat::Vin, r"(?-u:\b)[A-HJ-NPR-Z0-9]{17}(?-u:\b)"),
            (
                Pat::Address,
                r"(?-u:\b)[0-9]{1,6} (?:[A-Z0-9][A-Za-z0-9.'\-]* ){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Place|Pl|Circle|Cir|Way|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Loop|Square|Sq|Crossing|Run|Path|Pike|Alley|Row|Plaza|Point|Ridge|Heights|Cove|Creek|Hollow|Glen)(?-u:\b)\.?(?:,? (?:Apt\.?|Suite|Ste\.?|Unit|#) ?#?[A-Za-z0-9\-]+)?(?:(?:, ?|\n)[A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*){0,3}, [A-Z]{2}(?-u:\b))?",
            ),
            (Pat::Date, date),
            (
                Pat::Time,
                r"(?-u:\b)[0-9]{1,2}:[0-9]{2}(?: ?[AaPp]\.?[Mm](?-u:\b)\.?)?",
            ),
            (
                Pat::Age,
                r"(?-u:\b)(?:[0-9]{2,3}(?:-year-old|-years?-old| ?y/o| ?yo[FM]?| ?y\.o\.| years? old| yrs? old)|(?:[Aa]ge|[Aa]ged|AGE):? ?[0-9]{2,3})(?-u:\b)",
            ),
            (
                Pat::Ssn,
                r"(?-u:\b)[0-9]{3}[ .\-][0-9]{2}[ .\-][0-9]{4}(?-u:\b)",
            ),
            (
                Pat::Phone,
                r"(?:\+1[ .\-]?|(?-u:\b)1[ .\-])?(?:\([0-9]{3}\) ?|(?-u:\b)[0-9]{3}[ .\-])[0-9]{3}[ .\-][0-9]{4}(?-u:\b)",
            ),
            (Pat::Dea, r"(?-u:\b)[A-Z]{2}[0-9]{7}(?-u:\b)"),
            (
                Pat::Icd,
                r"(?-u:\b)[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?(?-u:\b)",
            ),
            (Pat::Digits10, r"(?-u:\b)[0-9]{10}(?-u:\b)"),
        ]
    });

/// A labelled identifier value: groups of letters/digits joined by `-`, `.` or `/`, optionally
/// followed by space-separated digit groups ("H11440913 04", "580 245 557", "HPM 9951").
pub(crate) const VALUE: &str = r"[A-Za-z0-9]+(?:[\-./][A-Za-z0-9]+)*(?: [0-9]{2,}(?:-[0-9]+)*)*";

/// What a keyword says about the value that follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kw {
    Value(Label),
    /// Generic "ID #": member ID near insurance words, else another identifier.
    GenericId,
    /// A city-level location of the patient ("Approximate location: Austin, TX").
    City,
    /// Not PHI (order, invoice, ticket, group number, CPT, model...): blocks the value.
    Negative,
}

pub(crate) const KEYWORDS: &[(&str, Kw)] = &[
    ("mrn", Kw::Value(Label::Mrn)),
    ("medical record number", Kw::Value(Label::Mrn)),
    ("medical record no", Kw::Value(Label::Mrn)),
    ("medical record", Kw::Value(Label::Mrn)),
    ("med rec no", Kw::Value(Label::Mrn)),
    ("medical rec", Kw::Value(Label::Mrn)),
    ("medical rec #", Kw::Value(Label::Mrn)),
    ("med rec", Kw::Value(Label::Mrn)),
    ("mr#", Kw::Value(Label::Mrn)),
    ("mr no", Kw::Value(Label::Mrn)),
    ("hospital #", Kw::Value(Label::Mrn)),
    ("hospital number", Kw::Value(Label::Mrn)),
    ("hospital no", Kw::Value(Label::Mrn)),
    ("patient id", Kw::Value(Label::Mrn)),
    ("pt id", Kw::Value(Label::Mrn)),
    ("emr id", Kw::Value(Label::Mrn)),
    ("emr #", Kw::Value(Label::Mrn)),
    ("ehr id", Kw::Value(Label::Mrn)),
    ("prescription #", Kw::Value(Label::OtherId)),
    ("prescription no", Kw::Value(Label::OtherId)),
    ("csn", Kw::Value(Label::OtherId)),
    ("visit id", Kw::Value(Label::OtherId)),
    ("visit #", Kw::Value(Label::OtherId)),
    ("enter code", Kw::Value(Label::OtherId)),
    ("enter the code", Kw::Value(Label::OtherId)),
    ("confirmation code", Kw::Value(Label::OtherId)),
    ("approximate location", Kw::City),
    ("location", Kw::City),
    ("lives in", Kw::City),
    ("resides in", Kw::City),
    ("living in", Kw::City),
    ("city of residence", Kw::City),
    ("patient number", Kw::Value(Label::Mrn)),
    ("chart", Kw::Value(Label::Mrn)),
    ("chart number", Kw::Value(Label::Mrn)),
    ("member id", Kw::Value(Label::MemberId)),
    ("member #", Kw::Value(Label::MemberId)),
    ("member number", Kw::Value(Label::MemberId)),
    ("subscriber id", Kw::Value(Label::MemberId)),
    ("subscriber #", Kw::Value(Label::MemberId)),
    ("subscriber number", Kw::Value(Label::MemberId)),
    ("insurance id", Kw::Value(Label::MemberId)),
    ("insurance #", Kw::Value(Label::MemberId)),
    ("insurance no", Kw::Value(Label::MemberId)),
    ("ins id", Kw::Value(Label::MemberId)),
    ("insurance number", Kw::Value(Label::MemberId)),
    ("beneficiary id", Kw::Value(Label::MemberId)),
    ("medicaid id", Kw::Value(Label::MemberId)),
    ("medicaid #", Kw::Value(Label::MemberId)),
    ("medicaid number", Kw::Value(Label::MemberId)),
    ("medicare id", Kw::Value(Label::MemberId)),
    ("medicare number", Kw::Value(Label::MemberId)),
    ("medicare #", Kw::Value(Label::MemberId)),
    ("mbi", Kw::Value(Label::MemberId)),
    ("policy number", Kw::Value(Label::MemberId)),
    ("policy #", Kw::Value(Label::MemberId)),
    ("id #", Kw::GenericId),
    ("id no", Kw::GenericId),
    ("id number", Kw::GenericId),
    ("id:", Kw::GenericId),
    ("account #", Kw::Value(Label::Account)),
    ("account number", Kw::Value(Label::Account)),
    ("account no", Kw::Value(Label::Account)),
    ("account", Kw::Value(Label::Account)),
    ("acct", Kw::Value(Label::Account)),
    ("acct#", Kw::Value(Label::Account)),
    ("claim", Kw::Value(Label::OtherId)),
    ("claim id", Kw::Value(Label::OtherId)),
    ("claim number", Kw::Value(Label::OtherId)),
    ("rx", Kw::Value(Label::OtherId)),
    ("rx number", Kw::Value(Label::OtherId)),
    ("prescription number", Kw::Value(Label::OtherId)),
    ("accession", Kw::Value(Label::OtherId)),
    ("accession number", Kw::Value(Label::OtherId)),
    ("prior authorization", Kw::Value(Label::OtherId)),
    ("prior authorisation", Kw::Value(Label::OtherId)),
    ("prior auth", Kw::Value(Label::OtherId)),
    ("authorization", Kw::Value(Label::OtherId)),
    ("auth #", Kw::Value(Label::OtherId)),
    ("encounter", Kw::Value(Label::OtherId)),
    ("case #", Kw::Value(Label::OtherId)),
    ("case number", Kw::Value(Label::OtherId)),
    ("case id", Kw::Value(Label::OtherId)),
    ("referral", Kw::Value(Label::OtherId)),
    ("survey code", Kw::Value(Label::OtherId)),
    ("visit code", Kw::Value(Label::OtherId)),
    ("access code", Kw::Value(Label::OtherId)),
    ("driver's license", Kw::Value(Label::License)),
    ("driver\u{2019}s license", Kw::Value(Label::License)),
    ("drivers license", Kw::Value(Label::License)),
    ("driver license", Kw::Value(Label::License)),
    ("driver's licence", Kw::Value(Label::License)),
    ("license number", Kw::Value(Label::License)),
    ("license #", Kw::Value(Label::License)),
    ("licence number", Kw::Value(Label::License)),
    ("dl #", Kw::Value(Label::License)),
    ("state id", Kw::Value(Label::License)),
    ("birth certificate", Kw::Value(Label::License)),
    ("certificate number", Kw::Value(Label::License)),
    ("certification number", Kw::Value(Label::License)),
    ("passport", Kw::Value(Label::License)),
    ("license plate", Kw::Value(Label::Vehicle)),
    ("licence plate", Kw::Value(Label::Vehicle)),
    ("plate", Kw::Value(Label::Vehicle)),
    ("vin", Kw::Value(Label::Vehicle)),
    ("serial number", Kw::Value(Label::Device)),
    ("serial no", Kw::Value(Label::Device)),
    ("serial #", Kw::Value(Label::Device)),
    ("serial", Kw::Value(Label::Device)),
    ("sn", Kw::Value(Label::Device)),
    ("s/n", Kw::Value(Label::Device)),
    ("ssn", Kw::Value(Label::Ssn)),
    ("ss#", Kw::Value(Label::Ssn)),
    ("ss #", Kw::Value(Label::Ssn)),
    ("social security number", Kw::Value(Label::Ssn)),
    ("social security no", Kw::Value(Label::Ssn)),
    ("social security", Kw::Value(Label::Ssn)),
    ("npi", Kw::Value(Label::Npi)),
    ("dea", Kw::Value(Label::Dea)),
    ("order", Kw::Negative),
    ("order number", Kw::Negative),
    ("order #", Kw::Negative),
    ("invoice", Kw::Negative),
    ("ticket", Kw::Negative),
    ("ticket reference", Kw::Negative),
    ("confirmation", Kw::Negative),
    ("confirmation number", Kw::Negative),
    ("conference id", Kw::Negative),
    ("meeting id", Kw::Negative),
    ("tracking", Kw::Negative),
    ("tracking number", Kw::Negative),
    ("shipment", Kw::Negative),
    ("shipment notification", Kw::Negative),
    ("group number", Kw::Negative),
    ("group no", Kw::Negative),
    ("group #", Kw::Negative),
    ("group id", Kw::Negative),
    ("grp", Kw::Negative),
    ("cpt", Kw::Negative),
    ("model", Kw::Negative),
    ("lot", Kw::Negative),
    ("po #", Kw::Negative),
    ("purchase order", Kw::Negative),
    ("ext", Kw::Negative),
    ("extension", Kw::Negative),
    ("room", Kw::Negative),
    ("reference", Kw::Negative),
];

/// Words that may sit between a keyword and its value ("SSN on file are 1234").
const FILLER: &[&str] = &[
    "no",
    "num",
    "nbr",
    "number",
    "is",
    "are",
    "was",
    "of",
    "on",
    "file",
    "the",
    "id",
    "code",
    "ending",
    "in",
    "digits",
    "worksheet",
    "ends",
    "with",
    "card",
    "mbi",
    "hicn",
    "for",
    "patient",
    "your",
    "his",
    "her",
    "reads",
];

const CREDENTIALS: &[&str] = &[
    "md", "do", "rn", "np", "pa", "pa-c", "pharmd", "bsn", "msn", "ccm", "lcsw", "otr", "otr/l",
    "pt", "dpt", "phd", "facc", "aprn", "cna", "lpn", "fnp", "fnp-c", "ma", "cma", "mph", "dds",
    "od", "dc", "crna", "cnm", "rd", "rph", "lpc", "lmft", "psyd", "mba", "mha", "facs", "facp",
    "ccc-slp", "slp", "ot", "mt", "mls", "rrt", "ches", "cpc", "dnp", "ms", "mpt",
];

const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "mx"];
const STAFF_TITLES: &[&str] = &[
    "dr",
    "doctor",
    "prof",
    "professor",
    "nurse",
    "provider",
    "physician",
    "pharmacist",
];

/// Context words that say the name after them belongs to a patient or their family.
const PERSON_CUES: &[&str] = &[
    "patient",
    "pt",
    "name",
    "member",
    "guarantor",
    "subscriber",
    "insured",
    "beneficiary",
    "wife",
    "husband",
    "son",
    "daughter",
    "mother",
    "father",
    "brother",
    "sister",
    "spouse",
    "partner",
    "caregiver",
    "guardian",
    "contact",
    "saw",
    "re",
    "regarding",
    "child",
    "grandson",
    "granddaughter",
    "mom",
    "dad",
    "aunt",
    "uncle",
    "niece",
    "nephew",
    "parent",
    "client",
    "resident",
    "proxy",
    "for",
    "about",
    "dtr",
    "dau",
    "husb",
    "grandmother",
    "grandfather",
    "cardholder",
    "responsible",
    "party",
    "policyholder",
    "dependent",
];
const GREETINGS: &[&str] = &["dear", "hi", "hello", "hey", "greetings"];
const CLOSINGS: &[&str] = &[
    "thanks",
    "thank you",
    "regards",
    "best regards",
    "kind regards",
    "warm regards",
    "best",
    "sincerely",
    "cheers",
    "respectfully",
    "warmly",
    "with gratitude",
    "all the best",
    "take care",
    "yours truly",
    "many thanks",
];

/// Capitalised words that are not names (or that start an organisation or a place).
static NOT_NAMES_SET: std::sync::LazyLock<FastSet<&'static str>> =
    std::sync::LazyLock::new(|| NOT_NAMES.iter().copied().collect());

/// [`word_key`] bit filter over [`NOT_NAMES`]: a clear bit means an ASCII word is not in it.
static NOT_NAMES_FILTER: std::sync::LazyLock<Box<[u64]>> =
    std::sync::LazyLock::new(|| key_filter(NOT_NAMES.iter().copied()));

/// Builds a [`word_key`] bit filter (no false negatives for ASCII words of the set).
pub(crate) fn key_filter<'a>(words: impl Iterator<Item = &'a str>) -> Box<[u64]> {
    let mut f = vec![0u64; WORD_KEY_BITS / 64].into_boxed_slice();
    for w in words {
        let k = word_key(w.as_bytes());
        f[k / 64] |= 1 << (k % 64);
    }
    f
}

/// May the ASCII word `w` be in the set the filter was built from? (Always true for non-ASCII.)
fn key_maybe(filter: &[u64], w: &[u8]) -> bool {
    if !w.is_ascii() {
        return true;
    }
    let k = word_key(w);
    filter[k / 64] & (1 << (k % 64)) != 0
}

/// Words whose presence makes the mail vendor business mail (see [`Doc::business`]).
pub(crate) const BUSINESS_WORDS: &[&str] = &[
    "invoice",
    "purchase order",
    "shipment",
    "shipped",
    "order number",
    "po number",
    "quote",
    "your order",
    "order confirmation",
];

const NOT_NAMES: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "patient",
    "dear",
    "hi",
    "hello",
    "thanks",
    "thank",
    "regards",
    "best",
    "sincerely",
    "subject",
    "from",
    "to",
    "cc",
    "date",
    "phone",
    "fax",
    "email",
    "address",
    "name",
    "member",
    "insurance",
    "account",
    "claim",
    "re",
    "fwd",
    "fw",
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "the",
    "this",
    "your",
    "our",
    "we",
    "you",
    "please",
    "if",
    "call",
    "visit",
    "clinic",
    "hospital",
    "health",
    "medical",
    "center",
    "centre",
    "care",
    "medicine",
    "family",
    "group",
    "street",
    "road",
    "avenue",
    "county",
    "city",
    "state",
    "north",
    "south",
    "east",
    "west",
    "new",
    "saint",
    "st",
    "mount",
    "mt",
    "lake",
    "park",
    "valley",
    "summit",
    "ridge",
    "grove",
    "plan",
    "summary",
    "note",
    "notes",
    "diagnosis",
    "diagnoses",
    "plan",
    "medications",
    "dob",
    "mrn",
    "id",
    "ssn",
    "npi",
    "dea",
    "icd",
    "cpt",
    "rx",
    "vin",
    "home",
    "mobile",
    "cell",
    "work",
    "emergency",
    "guarantor",
    "subscriber",
    "provider",
    "physician",
    "nurse",
    "doctor",
    "team",
    "office",
    "department",
    "services",
    "service",
    "billing",
    "pharmacy",
    "lab",
    "laboratory",
    "results",
    "result",
    "appointment",
    "reminder",
    "follow",
    "up",
    "and",
    "or",
    "of",
    "for",
    "with",
    "in",
    "on",
    "at",
    "by",
    "as",
    "a",
    "an",
    "it",
    "is",
    "be",
    "he",
    "she",
    "his",
    "her",
    "they",
    "their",
    "i",
    "my",
    "me",
    "us",
    "no",
    "yes",
    "not",
    "all",
    "any",
    "new",
    "good",
    "great",
    "warm",
    "kind",
    "hope",
    "just",
    "quick",
    "also",
    "when",
    "where",
    "what",
    "who",
    "how",
    "why",
    "there",
    "here",
    "that",
    "these",
    "those",
    "today",
    "tomorrow",
    "yesterday",
    "morning",
    "afternoon",
    "evening",
    "week",
    "month",
    "year",
    "medicare",
    "medicaid",
    "aetna",
    "cigna",
    "humana",
    "kaiser",
    "united",
    "blue",
    "cross",
    "shield",
    "anthem",
    "regional",
    "community",
    "memorial",
    "general",
    "university",
    "women's",
    "children's",
    "behavioral",
    "physical",
    "therapy",
    "primary",
    "urgent",
    "internal",
    "cardiology",
    "neurology",
    "oncology",
    "orthopedics",
    "pediatrics",
    "radiology",
    "dermatology",
    "surgery",
    "imaging",
    "associates",
    "partners",
    "network",
    "alliance",
    "foundation",
    "institute",
    "system",
    "systems",
    "inc",
    "llc",
    "ltd",
    "co",
    "corp",
    "company",
    "vehicle",
    "license",
    "plate",
    "device",
    "serial",
    "model",
    "order",
    "invoice",
    "ticket",
    "ip",
    "location",
    "approximate",
    "signed",
    "sign",
    "portal",
    "survey",
    "newsletter",
    "alert",
    "advisory",
    "issue",
    "published",
    "spring",
    "summer",
    "fall",
    "autumn",
    "winter",
    "holiday",
    "christmas",
    "easter",
    "thanksgiving",
    "welcome",
    "congratulations",
    "reply",
    "sent",
    "forwarded",
    "message",
    "original",
    "wrote",
    "confidential",
    "notice",
    "hipaa",
    "covid",
    "flu",
    "vaccine",
    "treatment",
    "history",
    "exam",
    "chief",
    "complaint",
    "assessment",
    "objective",
    "subjective",
    "vitals",
    "allergies",
    "mg",
    "mcg",
    "ml",
    "tablet",
    "capsule",
    "daily",
    "twice",
    "start",
    "stop",
    "continue",
    "discontinue",
    "titrate",
    "increase",
    "decrease",
    "take",
    "use",
    "apply",
    "inject",
    "hold",
    "resume",
    "refill",
    "refills",
    "pending",
    "self",
    "major",
    "minor",
    "acute",
    "chronic",
    "severe",
    "mild",
    "type",
    "stage",
    "left",
    "right",
    "bilateral",
];

/// Words right after a name that make it an organisation or a place.
const ORG_AFTER: &[&str] = &[
    "county",
    "hospital",
    "clinic",
    "health",
    "healthcare",
    "medical",
    "center",
    "centre",
    "medicine",
    "group",
    "associates",
    "pharmacy",
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "university",
    "college",
    "institute",
    "foundation",
    "labs",
    "laboratories",
    "inc",
    "llc",
    "insurance",
    "plan",
    "care",
    "physicians",
    "partners",
    "syndrome",
    "disease",
    "lymphoma",
    "score",
    "scale",
    "test",
    "sign",
    "palsy",
    "phenomenon",
    "and",
];

const CONSUMER_MAIL: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "aol.com",
    "icloud.com",
    "msn.com",
    "live.com",
    "me.com",
    "mac.com",
    "att.net",
    "comcast.net",
    "verizon.net",
    "sbcglobal.net",
    "bellsouth.net",
    "cox.net",
    "charter.net",
    "earthlink.net",
    "protonmail.com",
    "proton.me",
    "ymail.com",
    "rocketmail.com",
    "gmx.com",
    "mail.com",
    "zoho.com",
    "yandex.com",
    "optonline.net",
    "frontier.com",
    "windstream.net",
    "juno.com",
    "hotmail.co.uk",
    "yahoo.co.uk",
    "rediffmail.com",
    "qq.com",
    "163.com",
];

/// Bit `n` set when some word of `set` is `n` bytes long (`63` stands for 63 or more).
const fn len_mask(set: &[&str]) -> u64 {
    let mut m = 0u64;
    let mut i = 0;
    while i < set.len() {
        let l = set[i].len();
        m |= 1u64 << if l < 63 { l } else { 63 };
        i += 1;
    }
    m
}

/// [`lower_eq_any`] behind a length check: `mask` is [`len_mask`] of `set`.
fn lower_eq_any_m(word: &str, set: &[&str], mask: u64) -> bool {
    mask & (1u64 << word.len().min(63)) != 0 && lower_eq_any(word, set)
}

const CLOSINGS_M: u64 = len_mask(CLOSINGS);
const FILLER_M: u64 = len_mask(FILLER);
const CREDENTIALS_M: u64 = len_mask(CREDENTIALS);
const ORG_AFTER_M: u64 = len_mask(ORG_AFTER);
const PERSON_CUES_M: u64 = len_mask(PERSON_CUES);
const CONSUMER_MAIL_M: u64 = len_mask(CONSUMER_MAIL);

fn lower_eq_any(word: &str, set: &[&str]) -> bool {
    // Length and first byte reject almost every entry before the full comparison.
    let w = word.as_bytes();
    let Some(&f) = w.first() else {
        return set.iter().any(|s| s.is_empty());
    };
    let f = f.to_ascii_lowercase();
    set.iter().any(|s| {
        let b = s.as_bytes();
        b.len() == w.len() && b[0].to_ascii_lowercase() == f && b.eq_ignore_ascii_case(w)
    })
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whole-word, case-insensitive: does any of `words` occur in `hay`?
fn has_word(hay: &str, words: &[&str]) -> bool {
    // Word lists are lowercase; only word starts are tried, and only words whose first byte
    // matches, so this is close to one pass over `hay`.
    let h = hay.as_bytes();
    // First bytes of the words, either case: a table lookup rejects most positions at once.
    let mut first = [false; 256];
    for w in words {
        if let Some(&b) = w.as_bytes().first() {
            first[usize::from(b.to_ascii_lowercase())] = true;
            first[usize::from(b.to_ascii_uppercase())] = true;
        }
    }
    for i in 0..h.len() {
        if !first[usize::from(h[i])] {
            continue;
        }
        if i > 0 && is_word_byte(h[i - 1]) && is_word_byte(h[i]) {
            continue;
        }
        let c = h[i].to_ascii_lowercase();
        for w in words {
            let wb = w.as_bytes();
            if wb.first() != Some(&c) || i + wb.len() > h.len() {
                continue;
            }
            let e = i + wb.len();
            if h[i..e].eq_ignore_ascii_case(wb)
                && (e == h.len() || !is_word_byte(h[e]) || !is_word_byte(wb[wb.len() - 1]))
            {
                return true;
            }
        }
    }
    false
}

/// Largest char boundary `<= i`.
fn floor_cb(t: &str, mut i: usize) -> usize {
    if i >= t.len() {
        return t.len();
    }
    while !t.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Smallest char boundary `>= i`.
fn ceil_cb(t: &str, mut i: usize) -> usize {
    if i >= t.len() {
        return t.len();
    }
    while !t.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Up to `n` bytes before `at`, not crossing a line break.
fn before_line(t: &str, at: usize, n: usize) -> &str {
    let from = floor_cb(t, at.saturating_sub(n));
    let s = &t[from..at];
    match s.rfind('\n') {
        Some(i) => &s[i + 1..],
        None => s,
    }
}

/// Up to `n` bytes before `at`, across lines.
fn before(t: &str, at: usize, n: usize) -> &str {
    let from = floor_cb(t, at.saturating_sub(n));
    &t[from..at]
}

/// Up to `n` bytes after `at`, not crossing a line break.
fn after_line(t: &str, at: usize, n: usize) -> &str {
    let to = ceil_cb(t, (at + n).min(t.len()));
    let s = &t[at..to];
    match s.find('\n') {
        Some(i) => &s[..i],
        None => s,
    }
}

/// The document-wide facts rules need: signature blocks, whether this is staff-to-staff mail.
struct Doc {
    /// Byte ranges of signature blocks (after a closing line).
    sigs: Vec<(usize, usize)>,
    /// Staff-to-staff mail: greetings name colleagues, not patients.
    internal: bool,
    /// A personal mailbox appears: the mail is to or from a patient.
    consumer: bool,
    /// Orders, invoices, shipments: vendor business mail.
    business: bool,
    /// The sender is a personal mailbox: the signature block is the patient's own.
    from_consumer: bool,
}

impl Doc {
    fn in_sig(&self, at: usize) -> bool {
        // `sigs` is sorted and merged: binary search.
        let i = self.sigs.partition_point(|&(a, _)| a <= at);
        i > 0 && at < self.sigs[i - 1].1
    }
}

fn analyse(text: &str, business: &aho_corasick::AhoCorasick) -> Doc {
    let mut sigs = Vec::new();
    let mut off = 0;
    let mut has_to_org = false;
    let mut has_consumer = false;
    let mut from_consumer = false;
    for line in text.split('\n') {
        let start = off;
        off += line.len() + 1;
        let t = line.trim().trim_end_matches([',', '!', '.', ':']).trim();
        if t.len() <= 24 && (lower_eq_any_m(t, CLOSINGS, CLOSINGS_M) || t == "--" || t == "-- ") {
            // The next few non-empty lines are a signature.
            let mut end = off;
            let mut n = 0;
            let mut rest = text.get(off..).unwrap_or("").split('\n');
            for l in rest.by_ref() {
                end += l.len() + 1;
                n += 1;
                if n >= 6 || (l.trim().is_empty() && n > 1) {
                    break;
                }
            }
            sigs.push((off.min(text.len()), end.min(text.len())));
        }
        let lt = line.trim_start();
        if lt.get(..5).is_some_and(|h| h.eq_ignore_ascii_case("from:"))
            && lower_contains_any(lt, CONSUMER_MAIL)
        {
            from_consumer = true;
        }
        if lt.get(..3).is_some_and(|h| h.eq_ignore_ascii_case("to:")) {
            if lower_contains_any(lt, CONSUMER_MAIL) {
                has_consumer = true;
            } else if lt.contains('@') {
                has_to_org = true;
            }
        }
        let _ = start;
    }
    // Personal mailbox anywhere: look at the domain after each '@'.
    for (i, _) in text.match_indices('@') {
        let rest = &text[i + 1..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
            .unwrap_or(rest.len());
        if lower_eq_any_m(
            rest[..end].trim_end_matches('.'),
            CONSUMER_MAIL,
            CONSUMER_MAIL_M,
        ) {
            has_consumer = true;
            break;
        }
    }
    // Merge overlapping signature ranges so `in_sig` can binary-search.
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(sigs.len());
    for (a, b) in sigs {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let sigs = merged;
    // Same test as `has_word(text, BUSINESS_WORDS)`, from one automaton pass.
    let h = text.as_bytes();
    let business = business.find_overlapping_iter(text).any(|m| {
        let (i, e) = (m.start(), m.end());
        let last = BUSINESS_WORDS[m.pattern().as_usize()].as_bytes().last();
        (i == 0 || !is_word_byte(h[i - 1]) || !is_word_byte(h[i]))
            && (e == h.len() || !is_word_byte(h[e]) || !last.is_some_and(|&b| is_word_byte(b)))
    });
    Doc {
        sigs,
        internal: has_to_org && !has_consumer,
        consumer: has_consumer,
        business,
        from_consumer,
    }
}

fn lower_contains_any(hay: &str, needles: &[&str]) -> bool {
    let h = hay.as_bytes();
    needles.iter().any(|n| {
        let nb = n.as_bytes();
        h.windows(nb.len()).any(|w| w.eq_ignore_ascii_case(nb))
    })
}

/// Collects every candidate in `text`.
pub(crate) fn collect(s: &Scanner, text: &str) -> Vec<Cand> {
    let doc = analyse(text, &s.business);
    let mut out = Vec::new();
    keyword_values(s, text, &doc, &mut out);
    patterns(s, text, &doc, &mut out);
    let toks = tokens(text);
    medications(s, text, &toks, &mut out);
    persons(s, text, &toks, &doc, &mut out);
    out
}

fn push(
    out: &mut Vec<Cand>,
    label: Option<Label>,
    start: usize,
    end: usize,
    score: f32,
    rule: &'static str,
    reason: &'static str,
) {
    out.push(Cand {
        label,
        start,
        end,
        score,
        rule,
        reason,
    });
}

fn digits(s: &str) -> impl Iterator<Item = u32> + '_ {
    s.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| u32::from(b - b'0'))
}

/// NPI: Luhn over "80840" + the ten digits.
pub(crate) fn npi_valid(s: &str) -> bool {
    let d: Vec<u32> = digits(s).collect();
    if d.len() != 10 || !(d[0] == 1 || d[0] == 2) {
        return false;
    }
    let all: Vec<u32> = [8, 0, 8, 4, 0].into_iter().chain(d).collect();
    let mut sum = 0;
    for (i, &x) in all.iter().rev().enumerate() {
        let v = if i % 2 == 1 {
            let y = x * 2;
            if y > 9 { y - 9 } else { y }
        } else {
            x
        };
        sum += v;
    }
    sum % 10 == 0
}

/// DEA: two letters, seven digits, (d1+d3+d5) + 2(d2+d4+d6) ends in d7.
pub(crate) fn dea_valid(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 9 || !b[0].is_ascii_uppercase() || !(b[1].is_ascii_uppercase() || b[1] == b'9') {
        return false;
    }
    if !b"ABCDEFGHJKLMPRSTUX".contains(&b[0]) {
        return false;
    }
    let d: Vec<u32> = digits(&s[2..]).collect();
    if d.len() != 7 {
        return false;
    }
    (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]
}

/// VIN check digit (position 9).
pub(crate) fn vin_valid(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 17 || !b.iter().any(u8::is_ascii_digit) || !b.iter().any(u8::is_ascii_alphabetic)
    {
        return false;
    }
    const W: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A' | b'J' => 1,
            b'B' | b'K' | b'S' => 2,
            b'C' | b'L' | b'T' => 3,
            b'D' | b'M' | b'U' => 4,
            b'E' | b'N' | b'V' => 5,
            b'F' | b'W' => 6,
            b'G' | b'P' | b'X' => 7,
            b'H' | b'Y' => 8,
            b'R' | b'Z' => 9,
            _ => return None,
        })
    };
    let mut sum = 0;
    for (i, &c) in b.iter().enumerate() {
        let Some(v) = val(c) else { return false };
        sum += v * W[i];
    }
    let r = sum % 11;
    let check = if r == 10 { b'X' } else { b'0' + r as u8 };
    b[8] == check
}

fn ssn_valid(s: &str) -> bool {
    let d: Vec<u32> = digits(s).collect();
    if d.len() != 9 {
        return false;
    }
    let area = d[0] * 100 + d[1] * 10 + d[2];
    let group = d[3] * 10 + d[4];
    let serial = d[5] * 1000 + d[6] * 100 + d[7] * 10 + d[8];
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// Keyword-labelled values: "MRN: 12345678", "Claim #: CLM-1", "last four of the SSN are 1234".
fn keyword_values(s: &Scanner, text: &str, doc: &Doc, out: &mut Vec<Cand>) {
    let bytes = text.as_bytes();
    for m in s.keywords.find_iter(text) {
        let (ks, ke) = (m.start(), m.end());
        let kw_text = &text[ks..ke];
        if ks > 0 && is_word_byte(bytes[ks - 1]) {
            continue;
        }
        if ke < bytes.len() && is_word_byte(bytes[ke]) && is_word_byte(bytes[ke - 1]) {
            continue;
        }
        let kind = KEYWORDS[m.pattern().as_usize()].1;
        // Short all-letter keywords must be written in capitals ("SN", "DEA", "VIN", "Rx").
        if kw_text.len() <= 3
            && kw_text.bytes().all(|b| b.is_ascii_alphabetic())
            && kw_text.bytes().all(|b| b.is_ascii_lowercase())
            && kw_text != "rx"
        {
            continue;
        }
        // Skip separators and filler words.
        let mut p = ke;
        let limit = (ke + 48).min(text.len());
        let mut words = 0;
        loop {
            while p < limit
                && matches!(
                    bytes[p],
                    b' ' | b'\t' | b':' | b'#' | b'.' | b'(' | b')' | b'-' | b'=' | b','
                )
            {
                p += 1;
            }
            if p >= limit {
                break;
            }
            let w_end = bytes[p..limit]
                .iter()
                .position(|b| !b.is_ascii_alphabetic())
                .map_or(limit, |i| p + i);
            if w_end > p
                && words < 4
                && lower_eq_any_m(&text[p..w_end], FILLER, FILLER_M)
                && (w_end == limit || !bytes[w_end].is_ascii_digit())
            {
                p = w_end;
                words += 1;
                continue;
            }
            break;
        }
        if p >= text.len() {
            continue;
        }
        if kind == Kw::City {
            if let Some(ce) = anchored(&s.city, text, p) {
                let org = kw_text.eq_ignore_ascii_case("location") || doc.in_sig(p);
                if !org {
                    let (r, why) = ("address.city", "city-level location of the patient");
                    push(out, Some(Label::Address), p, ce, 0.8, r, why);
                }
            }
            continue;
        }
        let Some(ve) = anchored(&s.value, text, p) else {
            continue;
        };
        let mut ve = ve;
        let v = &text[p..ve];
        let code_kw = kw_text.to_ascii_lowercase().ends_with("code");
        let letters_code = code_kw
            && (5..=10).contains(&v.len())
            && v.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !(v.bytes().any(|b| b.is_ascii_digit()) || letters_code) || v.len() < 3 || v.len() > 28 {
            continue;
        }
        if ve < bytes.len() && is_word_byte(bytes[ve]) {
            continue;
        }
        let label = match kind {
            Kw::Negative => {
                push(
                    out,
                    None,
                    p,
                    ve,
                    0.96,
                    "negative.context",
                    "value labelled as an order/ticket/group number",
                );
                continue;
            }
            Kw::GenericId => {
                let ctx = before(text, ks, 160);
                if has_word(
                    ctx,
                    &[
                        "member",
                        "insurance",
                        "plan",
                        "medicaid",
                        "medicare",
                        "subscriber",
                        "payer",
                        "coverage",
                        "insured",
                        "beneficiary",
                        "policy",
                    ],
                ) {
                    Label::MemberId
                } else {
                    Label::OtherId
                }
            }
            Kw::Value(l) => l,
            Kw::City => continue,
        };
        let nd = v.bytes().filter(u8::is_ascii_digit).count();
        let (score, rule, reason): (f32, &'static str, &'static str) = match label {
            Label::Ssn => {
                if nd == 9 && v.len() <= 11 || nd == 4 && v.len() == 4 {
                    (
                        0.95,
                        "ssn.context",
                        "SSN keyword before a 9-digit or last-four value",
                    )
                } else {
                    continue;
                }
            }
            Label::Npi => {
                if npi_valid(v) && nd == 10 {
                    (0.97, "npi.context", "NPI keyword and valid Luhn check")
                } else {
                    continue;
                }
            }
            Label::Dea => {
                if dea_valid(v) {
                    (0.97, "dea.context", "DEA keyword and valid check digit")
                } else {
                    continue;
                }
            }
            Label::Vehicle => {
                if v.len() > 17 || nd == v.len() && v.len() > 8 {
                    continue;
                }
                (0.9, "vehicle.context", "licence plate or VIN keyword")
            }
            Label::MemberId => (
                0.9,
                "member_id.context",
                "member/subscriber/Medicare/Medicaid ID keyword",
            ),
            Label::Mrn => (0.9, "mrn.context", "medical record number keyword"),
            Label::Account => (0.9, "account.context", "account number keyword"),
            Label::License => (
                0.9,
                "license.context",
                "licence/state ID/certificate keyword",
            ),
            Label::Device => (0.9, "device.context", "serial number keyword"),
            _ => (
                0.85,
                "other_id.context",
                "claim/Rx/accession/authorisation/case/referral keyword",
            ),
        };
        // A trailing date-like or phone-like value is not an identifier of this kind.
        if matches!(
            label,
            Label::Account | Label::OtherId | Label::Mrn | Label::MemberId
        ) && looks_like_date(v)
        {
            continue;
        }
        if label == Label::Ssn && nd == 9 && v.len() > 11 {
            ve = p + 11;
        }
        let score = if doc.in_sig(p) && label != Label::Npi && label != Label::Dea {
            score * 0.5
        } else {
            score
        };
        push(out, Some(label), p, ve, score, rule, reason);
    }
}

fn looks_like_date(v: &str) -> bool {
    let b = v.as_bytes();
    let seps = b.iter().filter(|&&c| c == b'/').count();
    seps == 2
}

fn patterns(s: &Scanner, text: &str, doc: &Doc, out: &mut Vec<Cand>) {
    let bytes = text.as_bytes();
    for m in s.patterns.find_iter(text) {
        let (st, mut en) = (m.start(), m.end());
        let pat = PATTERNS[m.pattern().as_usize()].0;
        let v = &text[st..en];
        let ctx = before_line(text, st, 60);
        let sig = doc.in_sig(st);
        match pat {
            Pat::Email => {
                let domain = v.rsplit('@').next().unwrap_or("");
                if lower_eq_any_m(domain, CONSUMER_MAIL, CONSUMER_MAIL_M) && !sig {
                    push(
                        out,
                        Some(Label::Email),
                        st,
                        en,
                        0.9,
                        "email.personal",
                        "personal mailbox domain",
                    );
                } else {
                    push(out, None, st, en, 0.9, "email.org", "organisation mailbox");
                }
            }
            Pat::Url => {
                while en > st && matches!(bytes[en - 1], b'.' | b',' | b';' | b':' | b'!' | b'?') {
                    en -= 1;
                }
                let u = &text[st..en];
                if personalised_url(u) {
                    push(
                        out,
                        Some(Label::Url),
                        st,
                        en,
                        0.85,
                        "url.token",
                        "link carries a personal token",
                    );
                } else {
                    push(out, None, st, en, 0.9, "url.generic", "generic link");
                }
            }
            Pat::Ipv4 => {
                let octets: Vec<u32> = v.split('.').filter_map(|o| o.parse().ok()).collect();
                if octets.len() != 4 || octets.iter().any(|&o| o > 255) {
                    continue;
                }
                let private = octets[0] == 10
                    || octets[0] == 127
                    || octets[0] == 0
                    || (octets[0] == 192 && octets[1] == 168)
                    || (octets[0] == 172 && (16..=31).contains(&octets[1]))
                    || (octets[0] == 169 && octets[1] == 254);
                if private
                    || has_word(
                        ctx,
                        &["server", "host", "hosts", "gateway", "dns", "subnet"],
                    )
                {
                    push(
                        out,
                        None,
                        st,
                        en,
                        0.9,
                        "ip.infra",
                        "private or infrastructure address",
                    );
                } else {
                    push(
                        out,
                        Some(Label::Ip),
                        st,
                        en,
                        0.85,
                        "ip.public",
                        "public address (sign-in/session)",
                    );
                }
            }
            Pat::Ipv6 => {
                let colons = v.bytes().filter(|&b| b == b':').count();
                if colons >= 3 && (v.contains("::") || colons == 7) {
                    let lower = v.to_ascii_lowercase();
                    if lower.starts_with("fe80")
                        || lower.starts_with("fc")
                        || lower.starts_with("fd")
                        || lower == "::1"
                    {
                        push(
                            out,
                            None,
                            st,
                            en,
                            0.9,
                            "ip.infra",
                            "link-local or private IPv6",
                        );
                    } else {
                        push(
                            out,
                            Some(Label::Ip),
                            st,
                            en,
                            0.85,
                            "ip.public",
                            "public IPv6 address (sign-in/session)",
                        );
                    }
                }
            }
            Pat::Mbi => push(
                out,
                Some(Label::MemberId),
                st,
                en,
                0.85,
                "member_id.mbi",
                "Medicare MBI format",
            ),
            Pat::Vin => {
                if vin_valid(v) {
                    push(
                        out,
                        Some(Label::Vehicle),
                        st,
                        en,
                        0.95,
                        "vehicle.vin",
                        "VIN with valid check digit",
                    );
                }
            }
            Pat::Address => address(text, doc, st, en, out),
            Pat::Date => date(text, doc, st, en, 0.0, out),
            Pat::Time => {
                let has_ampm = v.bytes().any(|b| b == b'm' || b == b'M');
                let at_before = ctx.trim_end().to_ascii_lowercase().ends_with(" at")
                    || ctx.trim_end().eq_ignore_ascii_case("at");
                let tail = before_line(text, st, 14);
                let after_date = tail.ends_with(' ')
                    && tail.trim_end().ends_with(|c: char| c.is_ascii_digit())
                    && tail.contains(['/', '-', ',']);
                if has_ampm || at_before || after_date {
                    date(text, doc, st, en, -0.1, out);
                }
            }
            Pat::Age => {
                let n: u32 = v
                    .bytes()
                    .filter(u8::is_ascii_digit)
                    .fold(0, |a, d| a * 10 + u32::from(d - b'0'));
                if (90..=125).contains(&n) {
                    push(
                        out,
                        Some(Label::Age),
                        st,
                        en,
                        0.9,
                        "age.over89",
                        "age over 89",
                    );
                } else {
                    push(
                        out,
                        None,
                        st,
                        en,
                        0.9,
                        "age.le89",
                        "age 89 or under is not an identifier",
                    );
                }
            }
            Pat::Ssn => {
                if has_word(
                    ctx,
                    &[
                        "order",
                        "invoice",
                        "ticket",
                        "reference",
                        "confirmation",
                        "conference",
                        "tracking",
                        "shipment",
                        "po",
                        "case",
                        "ref",
                    ],
                ) || ctx.trim_end().ends_with('#')
                {
                    push(
                        out,
                        None,
                        st,
                        en,
                        0.9,
                        "ssn.lookalike",
                        "order/ticket number shaped like an SSN",
                    );
                } else if ssn_valid(v) {
                    let sc = if has_word(before(text, st, 80), &["ssn", "social", "ss#"]) {
                        0.95
                    } else {
                        0.6
                    };
                    push(
                        out,
                        Some(Label::Ssn),
                        st,
                        en,
                        sc,
                        "ssn.pattern",
                        "SSN-shaped with valid area/group/serial",
                    );
                }
            }
            Pat::Phone => phone(text, doc, st, en, sig, out),
            Pat::Dea => {
                if dea_valid(v) {
                    push(
                        out,
                        Some(Label::Dea),
                        st,
                        en,
                        0.9,
                        "dea.checksum",
                        "DEA number with valid check digit",
                    );
                }
            }
            Pat::Icd => {
                let code: String = v.chars().filter(|&c| c != '.').collect();
                if s.icd10.contains(code.as_str()) {
                    let dotted = v.contains('.');
                    let cue = has_word(
                        before(text, st, 60),
                        &[
                            "icd",
                            "icd-10",
                            "icd10",
                            "dx",
                            "diagnosis",
                            "diagnoses",
                            "code",
                            "codes",
                        ],
                    );
                    if dotted || cue {
                        push(
                            out,
                            Some(Label::Icd10),
                            st,
                            en,
                            if dotted { 0.9 } else { 0.8 },
                            "icd10.list",
                            "code in the ICD-10-CM list",
                        );
                    }
                }
            }
            Pat::Digits10 => {
                let wide = before(text, st, 50);
                if has_word(
                    wide,
                    &[
                        "confirmation",
                        "order",
                        "invoice",
                        "ticket",
                        "tracking",
                        "reference",
                        "conference",
                    ],
                ) {
                    push(
                        out,
                        None,
                        st,
                        en,
                        0.9,
                        "digits.negative",
                        "order/confirmation number",
                    );
                } else if npi_valid(v)
                    && !has_word(
                        ctx,
                        &[
                            "phone", "call", "fax", "tel", "mobile", "cell", "text", "reached",
                        ],
                    )
                {
                    let sc = if has_word(wide, &["npi"]) { 0.97 } else { 0.7 };
                    push(
                        out,
                        Some(Label::Npi),
                        st,
                        en,
                        sc,
                        "npi.luhn",
                        "10 digits with valid NPI Luhn check",
                    );
                } else if has_word(
                    ctx,
                    &[
                        "phone",
                        "call",
                        "fax",
                        "tel",
                        "mobile",
                        "cell",
                        "text",
                        "reached",
                        "telephone",
                        "contact",
                        "number",
                        "at",
                    ],
                ) {
                    phone(text, doc, st, en, sig, out);
                }
            }
        }
    }
}

fn personalised_url(u: &str) -> bool {
    let rest = u.split_once("://").map_or(u, |x| x.1);
    let Some((_, path)) = rest.split_once('/') else {
        return false;
    };
    // Query parameters naming a person/session, or an opaque token segment.
    if let Some((_, q)) = path.split_once('?') {
        for kv in q.split('&') {
            let (k, val) = kv.split_once('=').unwrap_or((kv, ""));
            if val.len() >= 6
                || lower_eq_any(
                    k,
                    &[
                        "pid", "patient", "token", "t", "id", "uid", "mrn", "member", "code",
                        "session", "sid", "key",
                    ],
                ) && !val.is_empty()
            {
                return true;
            }
        }
    }
    path.split(['/', '?', '&', '=', '#']).any(|seg| {
        seg.len() >= 6
            && seg
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && (seg.bytes().any(|b| b.is_ascii_digit())
                && seg.bytes().any(|b| b.is_ascii_alphabetic())
                || seg.bytes().any(|b| b.is_ascii_uppercase())
                    && seg.bytes().any(|b| b.is_ascii_lowercase()))
    })
}

/// The nearest cue word before `at` on the same line: `Some(true)` for a patient cue,
/// `Some(false)` for an organisation cue, `None` if neither occurs within `n` bytes.
fn nearest_cue(text: &str, at: usize, n: usize, patient: &[&str], org: &[&str]) -> Option<bool> {
    let ctx = before_line(text, at, n);
    let (pm, om) = (len_mask(patient), len_mask(org));
    for w in ctx.rsplit(|c: char| !(c.is_alphanumeric() || c == '-')) {
        if w.is_empty() {
            continue;
        }
        if lower_eq_any_m(w, patient, pm) {
            return Some(true);
        }
        if lower_eq_any_m(w, org, om) {
            return Some(false);
        }
    }
    None
}

const PHONE_PATIENT: &[&str] = &[
    "my",
    "me",
    "i",
    "you",
    "your",
    "reached",
    "mobile",
    "cell",
    "home",
    "patient",
    "prefers",
    "daughter",
    "son",
    "wife",
    "husband",
    "mother",
    "father",
    "brother",
    "sister",
    "caregiver",
    "contact",
    "employer",
    "hr",
    "their",
    "his",
    "her",
    "guardian",
    "spouse",
    "proxy",
    "text",
    "phone",
    "telephone",
    "cellphone",
    "evening",
    "daytime",
    "parent",
    "friend",
    "neighbor",
];
const PHONE_ORG: &[&str] = &[
    "call",
    "our",
    "us",
    "office",
    "clinic",
    "line",
    "tel",
    "direct",
    "main",
    "billing",
    "questions",
    "scheduling",
    "desk",
    "pharmacy",
    "hospital",
    "department",
    "toll",
    "toll-free",
    "hotline",
    "helpdesk",
    "dial-in",
    "conference",
    "support",
    "service",
    "orders",
    "p",
    "t",
    "f",
    "o",
    "team",
    "center",
    "nurse",
    "faxed",
    "customer",
    "or",
    "front",
    "appointments",
    "switchboard",
    "pager",
    "ext",
    "vendor",
    "sales",
    "dispatch",
    "lab",
    "radiology",
    "triage",
];

/// A value alone at the start of its line, under a line naming an organisation.
fn bare_line_after_org(text: &str, st: usize) -> bool {
    let head = before(text, st, 200);
    let Some(nl) = head.rfind('\n') else {
        return false;
    };
    if !head[nl + 1..].trim().is_empty() {
        return false;
    }
    let prev = &head[..nl];
    let prev = prev.rfind('\n').map_or(prev, |i| &prev[i + 1..]);
    has_word(prev, ORG_WORDS) && !has_word(prev, PHONE_PATIENT)
}

const ORG_WORDS: &[&str] = &[
    "services",
    "service",
    "medicine",
    "health",
    "healthcare",
    "clinic",
    "hospital",
    "group",
    "care",
    "orthopedics",
    "therapy",
    "center",
    "centre",
    "medical",
    "associates",
    "pharmacy",
    "labs",
    "lab",
    "neurology",
    "cardiology",
    "oncology",
    "pediatrics",
    "radiology",
    "dermatology",
    "surgery",
    "department",
    "office",
    "practice",
    "partners",
    "physicians",
    "inc",
    "llc",
    "system",
];

fn phone(text: &str, doc: &Doc, st: usize, en: usize, sig: bool, out: &mut Vec<Cand>) {
    let near = before_line(text, st, 28);
    let fax =
        has_word(near, &["fax", "faxed", "f"]) && !has_word(near, &["phone", "call", "tel", "p"]);
    let label = if fax { Label::Fax } else { Label::Phone };
    match nearest_cue(text, st, 48, PHONE_PATIENT, PHONE_ORG) {
        Some(false) => push(
            out,
            None,
            st,
            en,
            0.9,
            "phone.org",
            "organisation phone/fax",
        ),
        None if bare_line_after_org(text, st) => {
            let why = "phone on its own line under an organisation name";
            push(out, None, st, en, 0.9, "phone.org", why)
        }
        _ if sig && !doc.from_consumer => push(
            out,
            None,
            st,
            en,
            0.9,
            "phone.org",
            "phone/fax in a signature block",
        ),
        cue => {
            let sc = if cue == Some(true) { 0.9 } else { 0.6 };
            push(
                out,
                Some(label),
                st,
                en,
                sc,
                if fax { "fax.context" } else { "phone.context" },
                "phone number in a patient context",
            );
        }
    }
}

const DATE_PATIENT: &[&str] = &[
    "dob",
    "birth",
    "born",
    "admitted",
    "admission",
    "discharge",
    "discharged",
    "surgery",
    "procedure",
    "performed",
    "implanted",
    "visit",
    "appointment",
    "appt",
    "seen",
    "collected",
    "dated",
    "statement",
    "service",
    "scheduled",
    "due",
    "injury",
    "accident",
    "treated",
    "received",
    "expires",
];
const DATE_NONPATIENT: &[&str] = &[
    "published",
    "issue",
    "held",
    "closed",
    "closure",
    "effective",
    "huddle",
    "meeting",
    "webinar",
    "event",
    "events",
    "posted",
    "updated",
    "revised",
    "deadline",
    "seminar",
    "class",
    "holiday",
    "copyright",
    "version",
    "newsletter",
    "enrollment",
    "season",
    "training",
    "outage",
    "maintenance",
    "unavailable",
    "downtime",
    "agenda",
    "conference",
    "shipped",
    "delivery",
    "expected",
    "ordered",
    "invoice",
    "order",
    "clinics",
    "workshop",
    "fair",
    "since",
    "cases",
    "reported",
    "outbreak",
    "alert",
    "advisory",
    "through",
    "until",
    "starting",
    "beginning",
    "launch",
    "launched",
    "opens",
    "sent",
    "wrote",
    "forwarded",
];
const DATE_STRONG: &[&str] = &[
    "birthday",
    "bday",
    "dob",
    "birth",
    "born",
    "d.o.b",
    "admitted",
    "admission",
    "discharge",
    "discharged",
    "surgery",
    "procedure",
    "performed",
];

/// Numeric dates must be plausible and use one separator ("4.5-11" is a lab range).
fn date_plausible(v: &str) -> bool {
    let b = v.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) || !b.last().is_some_and(u8::is_ascii_digit) {
        return true;
    }
    if b.iter().any(|c| c.is_ascii_alphabetic() || *c == b':') {
        return true;
    }
    let seps: Vec<u8> = b.iter().copied().filter(|c| !c.is_ascii_digit()).collect();
    if seps.windows(2).any(|w| w[0] != w[1]) {
        return false;
    }
    let parts: Vec<u32> = v
        .split(['/', '-', '.'])
        .filter_map(|x| x.parse().ok())
        .collect();
    match parts.as_slice() {
        [y, m, d] if *y >= 1000 => (1..=12).contains(m) && (1..=31).contains(d),
        [m, d] => (1..=12).contains(m) && (1..=31).contains(d),
        [m, d, _] => {
            (1..=12).contains(m) && (1..=31).contains(d)
                || (1..=12).contains(d) && (1..=31).contains(m)
        }
        _ => false,
    }
}

fn date(text: &str, doc: &Doc, st: usize, en: usize, adj: f32, out: &mut Vec<Cand>) {
    if !date_plausible(&text[st..en]) {
        return;
    }
    let wide = before(text, st, 40);
    let line = before_line(text, st, 70);
    let strong = has_word(wide, DATE_STRONG) || has_word(line, DATE_STRONG);
    let head = line.trim_start().to_ascii_lowercase();
    // Message headers ("Subject:", "Sent:", a forwarded "Date: Mon, ...") date the mail, not care.
    let subject = head.starts_with("subject:")
        || head.starts_with("sent:")
        || head.starts_with("date:")
            && has_word(&head, &["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
    let cue = nearest_cue(text, st, 70, DATE_PATIENT, DATE_NONPATIENT);
    if !strong && (cue == Some(false) || subject && cue != Some(true)) {
        push(
            out,
            None,
            st,
            en,
            0.8,
            "date.nonpatient",
            "newsletter/event/business date",
        );
        return;
    }
    let sc = if strong { 0.92 } else { 0.65 } + adj;
    let sc = if doc.in_sig(st) { sc * 0.5 } else { sc };
    let rule = if strong { "date.dob" } else { "date.context" };
    push(
        out,
        Some(Label::Date),
        st,
        en,
        sc,
        rule,
        "date in a patient context",
    );
}

fn address(text: &str, doc: &Doc, st: usize, en: usize, out: &mut Vec<Cand>) {
    let ctx = before(text, st, 50);
    let line = before_line(text, st, 50);
    let org = doc.in_sig(st)
        || has_word(
            line,
            &[
                "ship",
                "location",
                "located",
                "our",
                "office",
                "clinic",
                "held",
                "at",
                "visit us",
                "hospital",
                "center",
                "remit",
                "mail payments",
                "send payments",
                "headquarters",
                "lobby",
                "parking",
            ],
        ) && !has_word(
            ctx,
            &[
                "home",
                "patient",
                "lives",
                "resides",
                "residence",
                "mailing address",
                "address",
            ],
        );
    // ZIP right after the state.
    let zip = after_line(text, en, 12);
    let zb = zip.as_bytes();
    let mut zip_end = None;
    if zb.len() >= 6
        && zb[0] == b' '
        && zb[1..6].iter().all(u8::is_ascii_digit)
        && (zb.len() == 6 || !zb[6].is_ascii_digit())
    {
        let mut e = 6;
        if zb.len() >= 11 && zb[6] == b'-' && zb[7..11].iter().all(u8::is_ascii_digit) {
            e = 11;
        }
        zip_end = Some(en + e);
    }
    if org {
        push(
            out,
            None,
            st,
            zip_end.unwrap_or(en),
            0.85,
            "address.org",
            "organisation or event address",
        );
    } else {
        push(
            out,
            Some(Label::Address),
            st,
            en,
            0.8,
            "address.street",
            "street address outside organisation context",
        );
        if let Some(ze) = zip_end {
            push(
                out,
                Some(Label::Zip),
                en + 1,
                ze,
                0.8,
                "zip.address",
                "ZIP code after a patient address",
            );
        }
    }
}

/// Size of the [`word_key`] bit filter.
pub(crate) const WORD_KEY_BITS: usize = 1 << 16;

/// A cheap key for a word, case-insensitive over ASCII: length, first two and last two bytes.
/// Equal lower-cased words get equal keys, so a filter built from a set has no false negatives.
pub(crate) fn word_key(w: &[u8]) -> usize {
    let n = w.len();
    let at = |i: usize| u32::from(w.get(i).map_or(0, u8::to_ascii_lowercase));
    let last = |i: usize| if n > i { at(n - 1 - i) } else { 0 };
    let h = (n as u32)
        .wrapping_mul(0x9E37_79B9)
        .wrapping_add(at(0).wrapping_mul(0x85EB_CA6B))
        .wrapping_add(at(1).wrapping_mul(0xC2B2_AE35))
        .wrapping_add(last(0).wrapping_mul(0x27D4_EB2F))
        .wrapping_add(last(1).wrapping_mul(0x1656_67B1));
    ((h ^ (h >> 15)).wrapping_mul(0x2C1B_3C6D) >> 16) as usize % WORD_KEY_BITS
}

/// Drug names: one hash lookup per word token; multi-word names only after a known first word.
/// An ASCII token whose [`word_key`] bit is clear is in neither dictionary and is skipped.
fn medications(s: &Scanner, text: &str, toks: &[Tok], out: &mut Vec<Cand>) {
    let mut buf = String::new();
    let mut one = String::new();
    let mut i = 0;
    while i < toks.len() {
        if !key_maybe(&s.med_filter, &text.as_bytes()[toks[i].s..toks[i].e]) {
            i += 1;
            continue;
        }
        lower(text, toks[i], &mut one);
        let mut hit = None;
        if s.med_first_words.contains(one.as_str()) {
            for n in (2..=s.med_max_words.min(toks.len() - i)).rev() {
                let run = &toks[i..i + n];
                if run.windows(2).any(|w| &text[w[0].e..w[1].s] != " ") {
                    continue;
                }
                buf.clear();
                for (k, t) in run.iter().enumerate() {
                    if k > 0 {
                        buf.push(' ');
                    }
                    buf.push_str(&text[t.s..t.e]);
                }
                buf.make_ascii_lowercase();
                if s.meds.contains(buf.as_str()) {
                    hit = Some(n);
                    break;
                }
            }
        }
        if hit.is_none() && s.meds.contains(one.as_str()) {
            hit = Some(1);
        }
        if let Some(n) = hit {
            let (st, en) = (toks[i].s, toks[i + n - 1].e);
            let why = "drug name in the dictionary";
            push(
                out,
                Some(Label::Medication),
                st,
                en,
                0.85,
                "medication.dictionary",
                why,
            );
            i += n;
        } else {
            i += 1;
        }
    }
}

/// A word token: letters with internal `'`/`-`; byte offsets.
#[derive(Clone, Copy, Debug)]
struct Tok {
    s: usize,
    e: usize,
}

fn tokens(text: &str) -> Vec<Tok> {
    let b = text.as_bytes();
    let n = b.len();
    // The char at byte `i` (a char boundary) and its length; ASCII without decoding.
    let char_at = |i: usize| -> Option<(char, usize)> {
        match b.get(i) {
            None => None,
            Some(&c) if c.is_ascii() => Some((char::from(c), 1)),
            Some(_) => text[i..].chars().next().map(|c| (c, c.len_utf8())),
        }
    };
    let alpha = |c: char| {
        if c.is_ascii() {
            c.is_ascii_alphabetic()
        } else {
            c.is_alphabetic()
        }
    };
    let mut v = Vec::with_capacity(n / 5);
    let mut i = 0;
    while i < n {
        // Skip ASCII non-letters quickly.
        if b[i].is_ascii() && !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let Some((c, l)) = char_at(i) else { break };
        if !alpha(c) {
            i += l;
            continue;
        }
        let start = i;
        let mut e = i + l;
        let mut j = e;
        while let Some((d, dl)) = char_at(j) {
            if alpha(d) {
                e = j + dl;
                j = e;
            } else if d == '\'' || d == '\u{2019}' || d == '-' {
                // Internal only, and not a possessive "'s".
                let n1 = char_at(j + dl);
                let n2 = n1.and_then(|(_, l1)| char_at(j + dl + l1));
                let possessive = (d != '-')
                    && matches!(n1, Some(('s', _)))
                    && !n2.is_some_and(|(c2, _)| c2.is_alphabetic());
                if n1.is_some_and(|(c1, _)| c1.is_alphabetic()) && !possessive {
                    j += dl;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        v.push(Tok { s: start, e });
        i = j;
    }
    v
}

fn is_cap(text: &str, t: Tok) -> bool {
    let w = &text[t.s..t.e];
    let b = w.as_bytes();
    match b.first() {
        // ASCII fast path: an ASCII first letter is one byte, so two bytes means two chars.
        Some(c) if c.is_ascii() => c.is_ascii_uppercase() && b.len() >= 2,
        _ => {
            let mut cs = w.chars();
            cs.next().is_some_and(char::is_uppercase) && cs.next().is_some()
        }
    }
}

fn is_upper(text: &str, t: Tok) -> bool {
    text[t.s..t.e].chars().all(|c| !c.is_lowercase())
}

fn lower(text: &str, t: Tok, buf: &mut String) {
    buf.clear();
    let w = &text[t.s..t.e];
    if w.is_ascii() {
        buf.push_str(w);
        buf.make_ascii_lowercase();
        return;
    }
    for c in w.chars() {
        buf.extend(c.to_lowercase());
    }
}

/// A greeted name held back until the whole message is read: (start, end, its word spans).
type Greeting = (usize, usize, Vec<(usize, usize)>);

fn persons(s: &Scanner, text: &str, toks: &[Tok], doc: &Doc, out: &mut Vec<Cand>) {
    let mut buf = String::new();
    let mut staff: Vec<(usize, usize)> = Vec::new();
    let mut patient_words: Vec<(usize, usize)> = Vec::new();
    let mut greetings: Vec<Greeting> = Vec::new();
    let name_ok = |t: Tok, buf: &mut String| -> bool {
        if !key_maybe(&NOT_NAMES_FILTER, &text.as_bytes()[t.s..t.e]) {
            return true;
        }
        lower(text, t, buf);
        !NOT_NAMES_SET.contains(buf.as_str())
    };
    let mut i = 0;
    while i < toks.len() {
        let t0 = toks[i];
        // Cheap gates first: most tokens are not capitalised, and most capitalised ones are
        // not in the not-a-name list; the title look-back only runs for the rest.
        let after_title = || {
            let p = before_line(text, t0.s, 8).trim_end_matches([' ', '.']);
            let w = p
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            lower_eq_any(w, TITLES)
        };
        if !is_cap(text, t0) || !(name_ok(t0, &mut buf) || after_title() && !is_upper(text, t0)) {
            i += 1;
            continue;
        }
        // Grow a run: Cap ( Cap | X. ){0,3}, single spaces, same line.
        let mut run = vec![t0];
        let mut j = i + 1;
        let mut end = t0.e;
        while j < toks.len() && run.len() < 4 {
            let t = toks[j];
            let gap = &text[end..t.s];
            let initial = t.e - t.s == 1
                && text[t.s..].chars().next().is_some_and(char::is_uppercase)
                && text.as_bytes().get(t.e) == Some(&b'.');
            if gap != " " {
                break;
            }
            if initial {
                run.push(t);
                end = t.e + 1;
                // Next must follow the initial's ". "
                if j + 1 < toks.len() && &text[end..toks[j + 1].s] == " " {
                    j += 1;
                    continue;
                }
                break;
            }
            if is_cap(text, t) && name_ok(t, &mut buf) {
                run.push(t);
                end = t.e;
                j += 1;
            } else {
                break;
            }
        }
        // Drop a trailing initial.
        while run.len() > 1 && run[run.len() - 1].e - run[run.len() - 1].s == 1 {
            run.pop();
            end = run[run.len() - 1].e;
        }
        let next_i = i + run.len().max(1);
        let start = t0.s;
        // "Last, First" form.
        let mut comma_form = false;
        if run.len() == 1 {
            let k = i + 1;
            if k < toks.len()
                && &text[end..toks[k].s] == ", "
                && is_cap(text, toks[k])
                && name_ok(toks[k], &mut buf)
            {
                let both_upper = is_upper(text, t0) && is_upper(text, toks[k]);
                lower(text, t0, &mut buf);
                let sur = s.surnames.contains(buf.as_str());
                lower(text, toks[k], &mut buf);
                let first = s.first_names.contains(buf.as_str());
                if both_upper || (sur && first) {
                    comma_form = true;
                    run.push(toks[k]);
                    end = toks[k].e;
                    // Optional middle name/initial.
                    if k + 1 < toks.len()
                        && &text[end..toks[k + 1].s] == " "
                        && is_cap(text, toks[k + 1])
                        && name_ok(toks[k + 1], &mut buf)
                    {
                        let t = toks[k + 1];
                        if t.e - t.s == 1 && text.as_bytes().get(t.e) == Some(&b'.') {
                            end = t.e + 1;
                        } else if is_upper(text, t) == is_upper(text, toks[k]) {
                            end = t.e;
                        }
                    }
                }
            }
        }
        let prev_line = before_line(text, start, 40);
        let prev_trim = prev_line.trim_end_matches([' ', ':', ',', '(', '\t', '-', '.']);
        let prev_word = prev_trim
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        let after = after_line(text, end, 24);
        let possessive = after.starts_with("'s") || after.starts_with("\u{2019}s");
        let after_word = after
            .trim_start_matches(['\'', '\u{2019}', 's', ' '])
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        let after_first = after
            .trim_start()
            .split(|c: char| !c.is_alphanumeric() && c != '/' && c != '-')
            .next()
            .unwrap_or("");
        let credential = (after.starts_with(", ") || after.starts_with(" ")) && {
            let w = after
                .trim_start_matches([',', ' '])
                .split([',', ' ', '|', '\n', ')'])
                .next()
                .unwrap_or("");
            lower_eq_any_m(w.trim_end_matches('.'), CREDENTIALS, CREDENTIALS_M)
        };
        let title_before =
            lower_eq_any(prev_word, TITLES) && prev_line.trim_end().len() >= prev_word.len();
        let staff_before = lower_eq_any(prev_word, STAFF_TITLES);
        let org_after = after.starts_with(' ')
            && lower_eq_any_m(after_first, ORG_AFTER, ORG_AFTER_M)
            || possessive && lower_eq_any_m(after_word, ORG_AFTER, ORG_AFTER_M);
        let line_start = before_line(text, start, 200);
        // Display names in address headers: a patient when the address on that line is a
        // personal mailbox, otherwise staff.
        let head = line_start.trim_start();
        let header = ["from:", "to:", "cc:", "bcc:", "reply-to:", "sent:"]
            .iter()
            .any(|h| {
                head.get(..h.len())
                    .is_some_and(|x| x.eq_ignore_ascii_case(h))
            });
        if header {
            let rest = after_line(text, end, 120);
            if rest.contains('@') && lower_contains_any(rest, CONSUMER_MAIL) {
                let why = "display name of a personal mailbox";
                push(
                    out,
                    Some(Label::Person),
                    start,
                    end,
                    0.8,
                    "person.header",
                    why,
                );
                for t in &run {
                    patient_words.push((t.s, t.e));
                }
            } else {
                for t in &run {
                    staff.push((t.s, t.e));
                }
            }
            i = next_i;
            continue;
        }
        let own_signature = doc.from_consumer && doc.in_sig(start) && !credential && !staff_before;
        if own_signature && run.len() <= 3 {
            let why = "signature of mail sent from a personal mailbox";
            push(
                out,
                Some(Label::Person),
                start,
                end,
                0.8,
                "person.signature",
                why,
            );
            for t in &run {
                patient_words.push((t.s, t.e));
            }
            i = next_i;
            continue;
        }
        let is_staff = staff_before || credential || doc.in_sig(start);
        if is_staff {
            for t in &run {
                staff.push((t.s, t.e));
            }
            i = next_i;
            continue;
        }
        if org_after && !title_before {
            i = next_i;
            continue;
        }
        let greet = lower_eq_any(prev_word, GREETINGS);
        let cue = lower_eq_any_m(prev_word, PERSON_CUES, PERSON_CUES_M);
        lower(text, run[0], &mut buf);
        let first_in =
            s.first_names.contains(buf.as_str()) || s.surnames.contains(buf.as_str()) && comma_form;
        lower(text, run[run.len() - 1], &mut buf);
        let last_in =
            s.surnames.contains(buf.as_str()) || comma_form && s.first_names.contains(buf.as_str());
        let any_in = first_in || last_in;
        let all_upper = run.iter().all(|&t| is_upper(text, t));
        let (score, rule, reason): (f32, &'static str, &'static str) = if title_before {
            (
                0.9,
                "person.title",
                "Mr./Ms./Mrs. title before a capitalised name",
            )
        } else if greet {
            if doc.internal || doc.business {
                (0.0, "", "")
            } else {
                (0.8, "person.greeting", "greeting in patient-facing mail")
            }
        } else if cue && (run.len() >= 2 || any_in) && !(all_upper && !comma_form && run.len() == 1)
        {
            if lower_eq_any(prev_word, &["for", "about", "re", "regarding", "saw"])
                && !(run.len() >= 2 && (first_in || last_in) || comma_form)
            {
                (0.0, "", "")
            } else {
                (
                    0.85,
                    "person.cue",
                    "patient/relative cue word before a name",
                )
            }
        } else if run.len() >= 2 && first_in && last_in && !all_upper
            || comma_form && first_in && last_in
        {
            (
                0.7,
                "person.dictionary",
                "first name and surname from Census lists",
            )
        } else {
            (0.0, "", "")
        };
        if score > 0.0 && !(possessive && !title_before && !cue) {
            if rule == "person.greeting" && !doc.consumer && !prev_word.eq_ignore_ascii_case("dear")
            {
                greetings.push((
                    start,
                    end,
                    run.iter().map(|t| (t.s, t.e)).collect::<Vec<_>>(),
                ));
                i = next_i;
                continue;
            }
            push(out, Some(Label::Person), start, end, score, rule, reason);
            for t in &run {
                patient_words.push((t.s, t.e));
            }
        }
        i = next_i;
    }
    // "Hi Sam," in mail without a personal mailbox: the patient, unless the message goes on to
    // name another patient (then Sam is a colleague).
    let patient_lower: FastSet<String> = patient_words
        .iter()
        .map(|&(a, b)| text[a..b].to_lowercase())
        .collect();
    for (gs, ge, words) in greetings {
        let greeted: FastSet<String> = words
            .iter()
            .map(|&(a, b)| text[a..b].to_lowercase())
            .collect();
        let other = patient_lower.iter().any(|w| !greeted.contains(w));
        if !other {
            push(
                out,
                Some(Label::Person),
                gs,
                ge,
                0.7,
                "person.greeting",
                "greeting in patient-facing mail",
            );
            patient_words.extend(words);
        }
    }
    // Later mentions of a patient's name elsewhere in the message.
    if patient_words.is_empty() {
        return;
    }
    let staff_words: FastSet<String> = staff
        .iter()
        .map(|&(a, b)| text[a..b].to_lowercase())
        .collect();
    let names: FastSet<String> = patient_words
        .iter()
        .map(|&(a, b)| text[a..b].to_lowercase())
        .filter(|w| w.chars().count() >= 3 && !staff_words.contains(w))
        .collect();
    let already: FastSet<usize> = patient_words.iter().map(|&(a, _)| a).collect();
    for &t in toks {
        if !is_cap(text, t) || already.contains(&t.s) {
            continue;
        }
        lower(text, t, &mut buf);
        if !names.contains(buf.as_str()) {
            continue;
        }
        let prev = before_line(text, t.s, 12).trim_end_matches(['.', ' ']);
        let pw = prev
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if lower_eq_any(pw, STAFF_TITLES) || doc.in_sig(t.s) {
            continue;
        }
        let after = after_line(text, t.e, 16);
        if after.starts_with("'s") && !lower_eq_any(pw, TITLES) {
            let aw = after[2..]
                .trim_start()
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            if lower_eq_any_m(aw, ORG_AFTER, ORG_AFTER_M) {
                continue;
            }
        }
        push(
            out,
            Some(Label::Person),
            t.s,
            t.e,
            0.75,
            "person.coref",
            "repeats a patient's name found elsewhere in the message",
        );
    }
}

/// "City, ST" (one to four capitalised words, a comma, a two-letter state).
pub(crate) const CITY: &str = r"[A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*){0,3}, [A-Z]{2}\b";
