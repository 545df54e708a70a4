//! Candidate generation and context rules. Everything here works on byte offsets into the text;
//! `lib.rs` resolves overlaps and converts to code points.

use std::borrow::Cow;

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
    /// A case number that says what it is by its prefix: "PA-26-0917734" (prior
    /// authorisation), "ROI-27-004471" (release of information), "APL-26-00917" (appeal),
    /// "UM26-1129874" (utilisation review), "DN-55-910427" (denial), "GRV-26-04412"
    /// (grievance), "AUTH-77120938".
    CaseRef,
    /// An age over 89 after "is", "are", "am", "was" or "at", then a comma or "and" ("grandma
    /// is 93, lives with her", "at 91 and with the knee"): [`Pat::Age`]'s subjects ("she is",
    /// "mom is") are not always there ("Client is 93, A&O x2", "since you are 91 and"). The
    /// byte after the number is part of the match, so a unit cannot follow it.
    AgeLoose,
    /// A comma, a space and a state's two-letter code, then a space, a stop or the end ("in
    /// Strongsville, OH and"): where [`city_state_places`] looks back for a town. The byte
    /// after the code is part of the match so that "PA-C" and "PA-26-0917734" (a case number)
    /// are not taken.
    StateCode,
    /// Dotted initials after "pt", "patient", "for" or "re" ("on pt J.W., DOB ...", "d/c the
    /// HCTZ for J.M."): see [`cued_initials`].
    Initials,
    /// Three digits said one at a time ("7 1 0", "3-1-8"): where [`spelled_out`] reads the
    /// run around them.
    Spelled,
}

const MONTH: &str = r"(?i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";

/// [`MONTH`], capitalised only: after a bare day number ("admitted 10 March") a lower-case
/// "may" or "mar" is a verb or a word, not a month.
const MONTH_CAPITALISED: &str = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";

pub(crate) static PATTERNS: std::sync::LazyLock<Vec<(Pat, &'static str)>> =
    std::sync::LazyLock::new(|| {
        let date: &'static str = Box::leak(
        format!(
            r"(?-u:\b)(?:[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}|(?:19|20)[0-9]{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])|[0-9]{{4}}\.[0-9]{{2}}\.[0-9]{{2}}|[0-9]{{1,2}}[/\-.][0-9]{{1,2}}[/\-.](?:[0-9]{{4}}|[0-9]{{2}})|{m}\.? [0-9]{{1,2}}(?:st|nd|rd|th)?(?:,? [0-9]{{4}})?|[0-9]{{1,2}}(?:st|nd|rd|th)? {m}\.?,? [0-9]{{4}}|[0-9]{{1,2}}-{m}-[0-9]{{2,4}}|[0-9]{{1,2}}(?:st|nd|rd|th)? of {m}(?:,? [0-9]{{4}})?|[0-9]{{1,2}}(?:st|nd|rd|th)? {mc}|[0-9]{{1,2}}/[0-9]{{1,2}}|{m}\.?,? [0-9]{{4}}|[0-9]{{1,2}}/[0-9]{{4}}|[0-9]{{1,2}} de (?i:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)(?: de(?:l)? [0-9]{{4}})?)(?-u:\b)",
            m = MONTH,
            mc = MONTH_CAPITALISED
        )
        .into_boxed_str(),
    );
        let state_code: &'static str = Box::leak(
            format!(r#", (?:{})(?:[ \t\r\n.,;:)\]!?"'>]|\z)"#, STATES.join("|")).into_boxed_str(),
        );
        vec![
            (
                Pat::Email,
                // (Bounded like the RFC's parts, 64 bytes a local part and 63 a label: an
                // unbounded run kept the search alive to the end of a long run of such bytes,
                // and every match inside it started the search again: quadratic.)
                r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,6}\.[A-Za-z]{2,24}",
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
                r"(?-u:\b)(?:[NSEW][0-9]{2,6}|[0-9]{1,6}) (?:(?:State|US|County|Co\.) )?(?:Hwy|Highway|Route|Rte|Road|Rd) [0-9]{1,4}[A-Z]?(?:, ?|\n[ \t]{0,32})[A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*){0,3},? [A-Z]{2}(?-u:\b)|(?-u:\b)(?:[NSEW][0-9]{2,6}|[0-9]{1,6}) (?:(?:[NSEW]\.? )?(?:Calle|Camino|Avenida|Paseo|Via) (?:(?:de la|de los|de las|del|de) )?[A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*)?|(?:[A-Z0-9][A-Za-z0-9.'\-]* ){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Place|Pl|Circle|Cir|Way|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Loop|Square|Sq|Crossing|Run|Path|Pike|Alley|Row|Plaza|Point|Ridge|Heights|Cove|Creek|Hollow|Glen|Bend|Crescent|Cres|STREET|ST|AVENUE|AVE|ROAD|RD|LANE|LN|DRIVE|DR|BOULEVARD|BLVD|COURT|CT|PLACE|PL|CIRCLE|CIR|WAY|TERRACE|TER|PARKWAY|PKWY|HIGHWAY|HWY|TRAIL|TRL|LOOP))(?-u:\b)\.?(?: (?:NE|NW|SE|SW|N|S|E|W)(?-u:\b))?(?:,? (?:(?:Apt|Suite|Ste|Unit|Lot|Space|Trlr|Bldg|Room|Rm|APT|SUITE|STE|UNIT|LOT|ROOM)(?-u:\b)\.?|#) ?#?[A-Za-z0-9\-]+|, [0-9]{1,2}(?:st|nd|rd|th) (?:[Ff]loor|FLOOR)){0,2}(?:(?:, ?|\n[ \t]{0,32})[A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*){0,3},? [A-Z]{2}(?-u:\b))?|(?-u:\b)[0-9]{1,6} (?:[nsew] )?(?:[a-z0-9][a-z0-9'\-]* ){1,3}(?:st|ave|rd|blvd|ln|street|avenue|road|lane|drive|dr|ct|pl|cir|way|ter|pkwy|court|place|circle|terrace|parkway)(?-u:\b)(?:,? (?:apt|unit) ?#?[a-z0-9\-]+)?(?:,? [a-z][a-z'\-]+(?: [a-z][a-z'\-]+){0,2}(?:,? [a-z]{2})?,? [0-9]{5}(?-u:\b))?",
            ),
            (Pat::Date, date),
            (
                Pat::Time,
                r"(?-u:\b)[0-9]{1,2}:[0-9]{2}(?: ?[AaPp](?:\. ?)?[Mm](?-u:\b)\.?)?",
            ),
            (
                Pat::Age,
                r"(?-u:\b)(?:[0-9]{2,3}(?:-year-old|-years?-old| ?y/o| ?yo[FM]?| ?y\.o\.| years? old| yrs? old| years of age| YEARS? OLD| YRS? OLD| años)|(?:[Aa]ge|[Aa]ged|AGE)(?: at [a-z]{3,12}| ?/ ?(?:[Ss]ex|SEX|[Gg]ender|GENDER|DOB))?:? {0,24}[0-9]{2,3}|(?:[Ss]he's|[Hh]e's|[Ss]he is|[Hh]e is|[Ss]he was|[Hh]e was|[Ii] am|[Ii]'m|I AM|(?:[Mm]om|[Dd]ad|[Mm]other|[Ff]ather) is|died at|[Aa]t the age of|AT THE AGE OF|turned|turns|turning)[ \n][0-9]{2,3}|[0-9]{2,3} y|[Aa]t [0-9]{2,3},? (?:he|she|he's|she's|you|you're)|At [0-9]{2,3}(?:,| and| with| I))(?-u:\b)",
            ),
            (
                Pat::Ssn,
                r"(?-u:\b)[0-9]{3}[ .\-][0-9]{2}[ .\-][0-9]{4}(?-u:\b)",
            ),
            (
                Pat::Phone,
                // (Or E.164 without separators, "+18315550177": an SMS gateway's or a phone
                // system's; each of the style corpus's eleven is a patient's, blind set TD.)
                r"(?:\+1[ .\-]?|(?-u:\b)1[ .\-])?(?:\([0-9]{3}\) ?|(?-u:\b)[0-9]{3}[ .\-])[0-9]{3}[ .\-][0-9]{4}(?-u:\b)|\+1[0-9]{10}(?-u:\b)",
            ),
            (Pat::Dea, r"(?-u:\b)[A-Z]{2}[0-9]{7}(?-u:\b)"),
            (
                Pat::Icd,
                r"(?-u:\b)[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?(?-u:\b)",
            ),
            (Pat::Digits10, r"(?-u:\b)[0-9]{10}(?-u:\b)"),
            (Pat::StateCode, state_code),
            (
                Pat::AgeLoose,
                r"(?-u:\b)(?:is|is now|are|am|was|[Aa]t) (?:9[0-9]|1[01][0-9])(?:[,;)]| and | with | \()",
            ),
            (
                Pat::CaseRef,
                r"(?-u:\b)(?:PA|ROI|APL|UM|DN|GRV|AUTH)-?[0-9]{2}[0-9]*(?:-[0-9]+){0,2}(?-u:\b)",
            ),
            (
                Pat::Initials,
                r"(?-u:\b)(?:[Pp][Tt]|[Pp]atient|PATIENT|[Ff]or|FOR|[Rr]e|RE):? [A-Z]\.[A-Z]\.(?:[A-Z]\.)?",
            ),
            (Pat::Spelled, r"(?-u:\b)[0-9][ \-][0-9][ \-][0-9](?-u:\b)"),
        ]
    });

/// A labelled identifier value: groups of letters/digits joined by `-`, `.` or `/`, optionally
/// followed by space-separated digit groups ("H11440913 04", "580 245 557", "HPM 9951").
pub(crate) const VALUE: &str = r"[A-Za-z0-9]+(?:[\-./][A-Za-z0-9]+)*(?: [0-9]{2,}(?:-[0-9]+)*)*";

/// Where [`VALUE`] run anchored at `at` (within 64 bytes, as [`anchored`] bounds it) ends, by
/// hand: every part after the first letter/digit run is optional and starts with a byte the part
/// before cannot take, so taking each part greedily, and only when it is complete, is exactly
/// the regex's leftmost-first match. (Debug builds check it against the regex.)
fn value_end(text: &str, at: usize) -> Option<usize> {
    let b = text.as_bytes();
    let end = (at + 64).min(b.len());
    let b = b.get(..end)?;
    // (Two closures, not one taking a function pointer: each loop then tests its class inline.)
    let alnum = |p: usize| {
        b.get(p..).map_or(0, |r| {
            r.iter().take_while(|c| c.is_ascii_alphanumeric()).count()
        })
    };
    let digit = |p: usize| {
        b.get(p..)
            .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
    };
    // [A-Za-z0-9]+
    let mut p = at + alnum(at);
    if p == at {
        return None;
    }
    // (?:[\-./][A-Za-z0-9]+)*
    while matches!(b.get(p), Some(b'-' | b'.' | b'/')) {
        let n = alnum(p + 1);
        if n == 0 {
            break;
        }
        p += 1 + n;
    }
    // (?: [0-9]{2,}(?:-[0-9]+)*)*
    while b.get(p) == Some(&b' ') {
        let n = digit(p + 1);
        if n < 2 {
            break;
        }
        p += 1 + n;
        while b.get(p) == Some(&b'-') {
            let n = digit(p + 1);
            if n == 0 {
                break;
            }
            p += 1 + n;
        }
    }
    Some(p)
}

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
    /// A name follows ("my name is", "her son", "mr "), read even in lower case, as people
    /// write in a hurry ("mr delgado", "call his son tony"); the name pass reads capitalised
    /// names only.
    NameAfter,
    /// A column heading only a patient table has ("DOB"): no value of its own; a line holding
    /// it may head a table aligned with spaces ([`aligned_table`]).
    Heading,
    /// "last 4", "last four", "ends in": the last four digits of a Social Security number may
    /// follow ([`ssn_last_four`]).
    LastFour,
    /// "move", "reschedule": one word moved from a time to another may follow
    /// ([`rescheduled_name`]).
    Reschedule,
    /// "key": a prior authorisation portal's request key may follow ([`request_key_after`]).
    RequestKey,
}

pub(crate) const KEYWORDS: &[(&str, Kw)] = &[
    ("mrn", Kw::Value(Label::Mrn)),
    ("dob", Kw::Heading),
    // A hospice's bereavement list ("Deceased   DOD   Bereaved contact   Rel.   Phone").
    ("dod", Kw::Heading),
    ("medical record", Kw::Value(Label::Mrn)),
    ("medical rec", Kw::Value(Label::Mrn)),
    ("med rec", Kw::Value(Label::Mrn)),
    ("mr#", Kw::Value(Label::Mrn)),
    ("mr no", Kw::Value(Label::Mrn)),
    ("hospital #", Kw::Value(Label::Mrn)),
    ("hospital number", Kw::Value(Label::Mrn)),
    ("hospital no", Kw::Value(Label::Mrn)),
    ("patient id", Kw::Value(Label::Mrn)),
    ("pt id", Kw::Value(Label::Mrn)),
    // A referring clinic's own number for its patient in a hospital's scheduling notice
    // ("Clinic patient ref: ODC-11057", blind set UD).
    ("patient ref", Kw::Value(Label::Mrn)),
    // ("Put my CLL patient (00820013) in that slot": a tumor board's list by chart number,
    // blind batch 38.)
    ("patient (", Kw::Value(Label::Mrn)),
    ("emr id", Kw::Value(Label::Mrn)),
    ("emr #", Kw::Value(Label::Mrn)),
    ("ehr id", Kw::Value(Label::Mrn)),
    ("prescription #", Kw::Value(Label::OtherId)),
    ("prescription no", Kw::Value(Label::OtherId)),
    ("csn", Kw::Value(Label::OtherId)),
    ("visit id", Kw::Value(Label::OtherId)),
    // A home health agency's episode of care ("HH episode #: ECH-25-001487").
    ("episode #", Kw::Value(Label::OtherId)),
    ("episode number", Kw::Value(Label::OtherId)),
    ("episode id", Kw::Value(Label::OtherId)),
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
    ("moved to", Kw::City),
    ("moving to", Kw::City),
    // ("I moved up to Fort Loudon with my son", blind batch 38.)
    ("moved up to", Kw::City),
    ("moved down to", Kw::City),
    ("moved back to", Kw::City),
    // Where a patient is or comes from, in the words patients and nurses use ("he's at home in
    // Harlan Falls", "I'm driving in from Columbus", "visiting family in Medina").
    ("relocated to", Kw::City),
    ("relocating to", Kw::City),
    ("at home in", Kw::City),
    ("drive in from", Kw::City),
    ("driving in from", Kw::City),
    ("visiting family in", Kw::City),
    // "Lives alone in Oakmere", "lives out in Pell Lake", "lives with his parents in
    // Strongsville", "staying with her sister in Springfield".
    ("lives alone in", Kw::City),
    ("living alone in", Kw::City),
    ("lives out in", Kw::City),
    // ("I live in Stamford and cannot be there every day", "Visited Sione and the family this
    // morning at the home in Beaverton", "closer to home in Grove City".)
    ("i live in", Kw::City),
    // A caller's or a patient's own place ("or his number is 717-555-0188. We're in Camp
    // Hill.", "im home now in Newburg, walking to the mailbox": blind batch 62).
    ("we're in", Kw::City),
    ("we are in", Kw::City),
    ("home now in", Kw::City),
    ("we live in", Kw::City),
    ("the home in", Kw::City),
    ("to home in", Kw::City),
    // A patient's trip in for care ("drives him up from Salem", "130 miles each way from
    // Hines", "she's coming from Astoria"): the town's span only, as often a visitor's.
    ("coming from", Kw::City),
    ("coming in from", Kw::City),
    ("drive him in from", Kw::City),
    ("drive her in from", Kw::City),
    ("drives him up from", Kw::City),
    ("drives her up from", Kw::City),
    ("each way from", Kw::City),
    ("flying in from", Kw::City),
    // ("My husband Doug and I are driving up from Marlow Springs", "She drives herself from
    // Shippensburg", "His mom will bring him from Dillsburg": blind batch 54.)
    ("driving up from", Kw::City),
    ("driving down from", Kw::City),
    // ("we are driving from carlisle", "can they pick me up in Mechanicsburg?": blind batch
    // 55.)
    ("driving from", Kw::City),
    ("driving her up from", Kw::City),
    ("driving him up from", Kw::City),
    ("pick me up in", Kw::City),
    ("pick him up in", Kw::City),
    ("pick her up in", Kw::City),
    ("drives herself from", Kw::City),
    ("drives himself from", Kw::City),
    ("bring him from", Kw::City),
    ("bring her from", Kw::City),
    ("lives with", Kw::City),
    ("staying with", Kw::City),
    // ("vivimos en Lebanon entonces salimos temprano", "Place of Birth:     GETTYSBURG, PA":
    // blind batch 46.)
    ("vivimos en", Kw::City),
    // ("mi telefono (717) 555-0157. vivo en Steelton.": blind batch 56.)
    ("vivo en", Kw::City),
    ("lives alone now in", Kw::City),
    ("approx. location", Kw::City),
    // A court's caption ("IN RE: JEROME A. CASTELLANOS", "In re Terrence B. Malloy"): the
    // person the petition is about (blind batches 43 and 47).
    ("in re", Kw::NameAfter),
    ("place of birth", Kw::City),
    ("patient number", Kw::Value(Label::Mrn)),
    // A care home's and a clinic's own numbers for the person ("Resident ID: MH-10482",
    // "Patient reference: MDH-0048213").
    ("resident id", Kw::Value(Label::Mrn)),
    ("resident #", Kw::Value(Label::Mrn)),
    ("resident no", Kw::Value(Label::Mrn)),
    ("patient reference", Kw::Value(Label::Mrn)),
    ("chart", Kw::Value(Label::Mrn)),
    // A health record number: the Indian Health Service's and Canada's name for the chart
    // number ("HRN: KB-011962", "Health Record #: KB-004518").
    ("hrn", Kw::Value(Label::Mrn)),
    ("health record #", Kw::Value(Label::Mrn)),
    ("health record no", Kw::Value(Label::Mrn)),
    ("health record number", Kw::Value(Label::Mrn)),
    ("member id", Kw::Value(Label::MemberId)),
    // A health plan's letter in Spanish ("Su número de miembro es RC55310428", blind batch 48).
    // ("Número de historia clínica: SV-00601385": a Spanish letter's chart number, blind
    // batch 49.)
    ("historia clínica", Kw::Value(Label::Mrn)),
    ("historia clinica", Kw::Value(Label::Mrn)),
    // A hospital's chart and account abroad ("Expediente:  CSM-2026-003318", "No. de cuenta:
    // CSM-CTA-77120": a cruise guest's admission in Mexico, blind batch 53).
    ("expediente", Kw::Value(Label::Mrn)),
    ("no. de cuenta", Kw::Value(Label::Account)),
    ("número de cuenta", Kw::Value(Label::Account)),
    ("numero de cuenta", Kw::Value(Label::Account)),
    ("número de miembro", Kw::Value(Label::MemberId)),
    ("numero de miembro", Kw::Value(Label::MemberId)),
    // A claims analyst's shorthand ("NGUYEN, THI MAI  mbr KVB710044982  clm 2025052-207731").
    ("mbr", Kw::Value(Label::MemberId)),
    ("mbr id", Kw::Value(Label::MemberId)),
    // A state Medicaid program's number for its enrollee ("Medical Assistance recipient
    // number").
    // ("MA ID: 2201867439", "MA# 3300718452": Pennsylvania's Medical Assistance; Washington's
    // ProviderOne client ID.)
    ("ma id", Kw::Value(Label::MemberId)),
    ("ma#", Kw::Value(Label::MemberId)),
    ("ma #", Kw::Value(Label::MemberId)),
    ("medical assistance id", Kw::Value(Label::MemberId)),
    ("medical assistance #", Kw::Value(Label::MemberId)),
    ("providerone id", Kw::Value(Label::MemberId)),
    ("providerone", Kw::Value(Label::MemberId)),
    ("medi-cal id", Kw::Value(Label::MemberId)),
    ("recipient number", Kw::Value(Label::MemberId)),
    ("recipient no", Kw::Value(Label::MemberId)),
    ("recipient id", Kw::Value(Label::MemberId)),
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
    ("id", Kw::GenericId),
    ("member", Kw::Value(Label::MemberId)),
    ("cin:", Kw::Value(Label::MemberId)),
    ("cin #", Kw::Value(Label::MemberId)),
    ("case", Kw::Value(Label::OtherId)),
    ("enc #", Kw::Value(Label::OtherId)),
    // ("coding kicked back enc 5518203": an encounter's number, bare.)
    ("enc ", Kw::Value(Label::OtherId)),
    ("enc:", Kw::Value(Label::OtherId)),
    ("request #", Kw::Value(Label::OtherId)),
    ("submission #", Kw::Value(Label::OtherId)),
    ("employee #", Kw::Value(Label::OtherId)),
    ("employee id", Kw::Value(Label::OtherId)),
    // A blood or cord blood unit's ISBT 128 donation number ("CBU W0417 23 004518", "DIN
    // W0417 24 020244"), one donor's (blind batch 53).
    ("din", Kw::Value(Label::OtherId)),
    ("cbu", Kw::Value(Label::OtherId)),
    ("request no", Kw::Value(Label::OtherId)),
    // A state's disease surveillance system's case ("Pelletier (CDRSS 24-118802)", "CDRSS
    // INCIDENT ID.....: 24-118734", blind batch 46; Pennsylvania's and others' NEDSS).
    ("cdrss", Kw::Value(Label::OtherId)),
    ("nedss", Kw::Value(Label::OtherId)),
    // ("labeled with your request number R-25-031588", a records request, blind batch 45.)
    ("request number", Kw::Value(Label::OtherId)),
    ("application", Kw::Value(Label::OtherId)),
    ("run no", Kw::Value(Label::OtherId)),
    // An air ambulance's run report ("run report 25-010377") and a trial's subject
    // ("Subject 301-0417-011", "Screening # S0417-019"), blind batch 50. (Not "run" alone: a
    // report's "Run: 2025-03-11 06:00", a town's "Cedar Run".)
    ("run report", Kw::Value(Label::OtherId)),
    // A state prison's number for an inmate ("DOC #:   KT4829", "DOC# KP1193", "numero de
    // preso NR6640", blind batch 51). (Not "DOC" alone: a doctor.)
    ("doc #", Kw::Value(Label::OtherId)),
    ("doc#", Kw::Value(Label::OtherId)),
    ("doc no", Kw::Value(Label::OtherId)),
    ("doc number", Kw::Value(Label::OtherId)),
    ("inmate #", Kw::Value(Label::OtherId)),
    ("inmate no", Kw::Value(Label::OtherId)),
    ("inmate number", Kw::Value(Label::OtherId)),
    ("número de preso", Kw::Value(Label::OtherId)),
    ("numero de preso", Kw::Value(Label::OtherId)),
    ("screening #", Kw::Value(Label::OtherId)),
    ("screening no", Kw::Value(Label::OtherId)),
    ("run #", Kw::Value(Label::OtherId)),
    ("participant no", Kw::Value(Label::OtherId)),
    ("participant id", Kw::Value(Label::OtherId)),
    // A trial's subject numbers ("Subj 117-0081, Visit Wk 8", "Participant 311-0047 was
    // re-consented").
    ("participant", Kw::Value(Label::OtherId)),
    ("subj", Kw::Value(Label::OtherId)),
    // ("Subject:         0412-011", "(Subject 0412-019)": only a site-and-subject number, see
    // `site_subject_shaped`; an e-mail's "Subject:" header is otherwise prose.)
    ("subject", Kw::Value(Label::OtherId)),
    ("subject id", Kw::Value(Label::OtherId)),
    ("subject #", Kw::Value(Label::OtherId)),
    ("subject no", Kw::Value(Label::OtherId)),
    // A trial's screening number ("Screening #:    104-S014"): only a site-and-subject
    // number, like "subject".
    ("screening #", Kw::Value(Label::OtherId)),
    ("screening no", Kw::Value(Label::OtherId)),
    ("file no", Kw::Value(Label::OtherId)),
    ("file #", Kw::Value(Label::OtherId)),
    // A probation office's number for the person it supervises, a court's docket, a signed
    // consent's number, a surgical pathology case (a treatment court liaison's and a cancer
    // registry's mail, blind batch 38).
    ("offender #", Kw::Value(Label::OtherId)),
    ("offender no", Kw::Value(Label::OtherId)),
    ("offender id", Kw::Value(Label::OtherId)),
    ("docket:", Kw::Value(Label::OtherId)),
    ("consent #", Kw::Value(Label::OtherId)),
    ("consent no", Kw::Value(Label::OtherId)),
    ("pathology #", Kw::Value(Label::OtherId)),
    ("student no", Kw::Value(Label::OtherId)),
    ("student #", Kw::Value(Label::OtherId)),
    ("student id", Kw::Value(Label::OtherId)),
    ("student_id", Kw::Value(Label::OtherId)),
    ("case ref", Kw::Value(Label::OtherId)),
    // ("Case no.       Patient        Date issued": a table's heading too.)
    ("case no", Kw::Value(Label::OtherId)),
    // An IME firm's or a program's own number for someone's case ("Our file: CMK-25-03318",
    // "Our ref:      CCP-REF-25-1187", "Our internal reference: PA-2025-1014-55873").
    // ("your number on our file is 7QW4-TR2-MK81" is a Medicare number.)
    ("our file:", Kw::Value(Label::OtherId)),
    ("reference our file", Kw::Value(Label::OtherId)),
    // (With its colon: "our referral #" is a referral's.)
    ("our ref:", Kw::Value(Label::OtherId)),
    // ("Our reference: PR-25-027", "Your reference number is PA-25-0228-0716", "UR Reference:
    // UR-2603-54471", "Claim ref: 260309M448102", "case reference NEDSS-25-0419377": a
    // reference that says whose case it is; a bare "reference" stays a vendor's or an order's.)
    // (Not "Order # for our reference: 2025-1014-077", a supply order's.)
    ("our reference:", Kw::Value(Label::OtherId)),
    ("(our reference", Kw::Value(Label::OtherId)),
    ("your reference number", Kw::Value(Label::OtherId)),
    ("ur reference", Kw::Value(Label::OtherId)),
    ("claim ref:", Kw::Value(Label::OtherId)),
    ("case reference", Kw::Value(Label::OtherId)),
    ("internal reference", Kw::Value(Label::OtherId)),
    // A complaint about someone's care ("complaint intake 2025-11873").
    // (Not a "complaint #" to a device's maker.)
    ("complaint intake", Kw::Value(Label::OtherId)),
    ("reference #", Kw::Value(Label::OtherId)),
    ("reference", Kw::Value(Label::OtherId)),
    ("payer ref", Kw::Value(Label::OtherId)),
    ("appt id", Kw::Value(Label::OtherId)),
    ("appointment id", Kw::Value(Label::OtherId)),
    ("accessioned as", Kw::Value(Label::OtherId)),
    ("employee number", Kw::Value(Label::OtherId)),
    ("contract no", Kw::Value(Label::OtherId)),
    ("sharing code", Kw::Value(Label::OtherId)),
    ("specimen ids", Kw::Value(Label::OtherId)),
    // A maritime credential's file ("Mariner Reference Number:   4417209", "Ref No.: 4365092"
    // in the National Maritime Center's letters, blind batch 66).
    ("ref no", Kw::Value(Label::OtherId)),
    ("ref. no", Kw::Value(Label::OtherId)),
    ("reference no", Kw::Value(Label::OtherId)),
    ("mariner reference", Kw::Value(Label::OtherId)),
    // A runner's race number ("bib 4471", "Bib number:   15532": a race's medical team,
    // blind batch 66); an immigrant's USCIS number ("the USCIS # on it is 219-334-870").
    ("bib", Kw::Value(Label::OtherId)),
    // A pilot's FAA file ("FAA PI #: 5520614", "PI Number: 7730158") and MedXPress
    // application ("his MedXPress # is 5583016627"), an aviation medical examiner's (blind
    // batch 67).
    // An EMS or set medic's patient care report ("PCR KSM-25-10876", "Our PCR # KSM-25-10879",
    // blind batch 68); in capitals only (`keyword_values`), and a test's result or date after
    // it is no identifier's shape.
    ("pcr", Kw::Value(Label::OtherId)),
    ("pcr #", Kw::Value(Label::OtherId)),
    ("pi #", Kw::Value(Label::OtherId)),
    ("pi number", Kw::Value(Label::OtherId)),
    ("medxpress #", Kw::Value(Label::OtherId)),
    ("medxpress confirmation", Kw::Value(Label::OtherId)),
    ("uscis #", Kw::Value(Label::OtherId)),
    ("uscis number", Kw::Value(Label::OtherId)),
    ("ref #", Kw::Value(Label::OtherId)),
    ("ref#", Kw::Value(Label::OtherId)),
    ("intake #", Kw::Value(Label::OtherId)),
    ("call ref", Kw::Value(Label::OtherId)),
    ("grievance", Kw::Value(Label::OtherId)),
    ("dispute #", Kw::Value(Label::OtherId)),
    ("auth", Kw::Value(Label::OtherId)),
    ("medicaid", Kw::Value(Label::MemberId)),
    ("medi-cal", Kw::Value(Label::MemberId)),
    // A plan's name before the member's number ("Secondary: AARP supplement 39172840611",
    // "Badger State Medigap BSM447120893", "MassHealth ID: 100551806932"): six digits or more.
    ("masshealth", Kw::Value(Label::MemberId)),
    ("medigap", Kw::Value(Label::MemberId)),
    ("supplement", Kw::Value(Label::MemberId)),
    ("health card", Kw::Value(Label::MemberId)),
    ("health services no", Kw::Value(Label::MemberId)),
    ("health number", Kw::Value(Label::MemberId)),
    ("ohip", Kw::Value(Label::MemberId)),
    ("plan number", Kw::Value(Label::MemberId)),
    ("dl:", Kw::Value(Label::License)),
    // ("Ohio DL RT582204", "PA DL 28 491 337", "my DL is 31847205"; in capitals only, and five
    // digits at least: "DL 1234" is a flight.)
    ("dl", Kw::Value(Label::License)),
    ("cdl", Kw::Value(Label::License)),
    ("driver's lic", Kw::Value(Label::License)),
    // ("Driver lic:   OH RS482917", "His CDL is Indiana license no. 2841-55-9067".)
    ("driver lic", Kw::Value(Label::License)),
    ("drivers lic", Kw::Value(Label::License)),
    // ("OPERATOR LIC NO ....... 28417093   STATE: PA": a court's DUI referral, blind batch
    // 66.)
    ("operator lic", Kw::Value(Label::License)),
    ("operator's lic", Kw::Value(Label::License)),
    ("license no", Kw::Value(Label::License)),
    ("id #", Kw::GenericId),
    ("id no", Kw::GenericId),
    ("id number", Kw::GenericId),
    ("id:", Kw::GenericId),
    ("account", Kw::Value(Label::Account)),
    ("acct", Kw::Value(Label::Account)),
    // A hospital account record (Epic's "HAR 4100386092"), in capitals (see `keyword_values`).
    ("har", Kw::Value(Label::Account)),
    // A hospital stay's financial number (Cerner's "FIN 50021869012", "FIN: ..."), six digits
    // or more (see `keyword_values`; blind set RF).
    ("fin", Kw::Value(Label::Account)),
    ("fin #", Kw::Value(Label::Account)),
    ("claim", Kw::Value(Label::OtherId)),
    ("claim id", Kw::Value(Label::OtherId)),
    // A claim's internal control number (and "clm", a claim), a drug test's custody and control
    // form, a lab requisition, a visit number: one patient's, like a claim's.
    ("icn", Kw::Value(Label::OtherId)),
    // A Medicare remittance's "Claim Control Number: 25042800317000" (blind set QY).
    ("claim control number", Kw::Value(Label::OtherId)),
    ("claim control #", Kw::Value(Label::OtherId)),
    ("clm", Kw::Value(Label::OtherId)),
    ("ccf", Kw::Value(Label::OtherId)),
    ("requisition", Kw::Value(Label::OtherId)),
    ("visit no", Kw::Value(Label::OtherId)),
    ("visit number", Kw::Value(Label::OtherId)),
    ("rx", Kw::Value(Label::OtherId)),
    ("prescription number", Kw::Value(Label::OtherId)),
    ("accession", Kw::Value(Label::OtherId)),
    ("acc#", Kw::Value(Label::OtherId)),
    ("acc #", Kw::Value(Label::OtherId)),
    // A specimen's or an image's accession ("acc BB25-070288", "Acc RX2503110162").
    ("acc", Kw::Value(Label::OtherId)),
    // A forensic exam's evidence kit, a newborn screen's card ("kit SBM-K-25-0219 sealed",
    // "kit 25-283-2210, baby boy Yoder").
    ("kit", Kw::Value(Label::OtherId)),
    // An immigrant's alien registration number ("A# A-221-774-013", "A-Number: A219-448-370").
    ("a#", Kw::Value(Label::OtherId)),
    ("a-number", Kw::Value(Label::OtherId)),
    // A Medicare claim's document control number, a jail's booking number, a pharmacy's.
    ("dcn", Kw::Value(Label::OtherId)),
    ("booking #", Kw::Value(Label::OtherId)),
    // ("Booking: BK25-10541", "BOOKING#", "Booking BK25-11873   Housing: Med Obs 3".)
    ("booking", Kw::Value(Label::OtherId)),
    ("booking#", Kw::Value(Label::OtherId)),
    // ("Inmate 2025-017902. Signed consent attached.", "by J. Baptiste, inmate 2025-014455",
    // a jail's medical unit, blind batch 63.)
    ("inmate", Kw::Value(Label::OtherId)),
    ("inmate #", Kw::Value(Label::OtherId)),
    ("inmate#", Kw::Value(Label::OtherId)),
    // An Epic hospital account record ("HAR          Disch Date   Deficiency Type" over its
    // numbers, a chart-completion notice, blind set UF).
    ("har", Kw::Value(Label::Account)),
    ("har #", Kw::Value(Label::Account)),
    ("har#", Kw::Value(Label::Account)),
    // ("his bk# is B25-002971 for ur paperwork", a deputy's text, blind set TZ.)
    ("bk#", Kw::Value(Label::OtherId)),
    ("bk #", Kw::Value(Label::OtherId)),
    ("rx number", Kw::Value(Label::OtherId)),
    ("incident number", Kw::Value(Label::OtherId)),
    // ("Incident report IR-2025-1183 is in CareVantage": a report about a resident's fall.)
    ("incident report", Kw::Value(Label::OtherId)),
    // (A workplace drug test's donor: "DONOR ID: EMP TCF-0388".)
    ("donor id", Kw::Value(Label::OtherId)),
    // A sperm bank's or an egg donor program's donor by number ("donor 4056", "Donor #:
    // 2877", "hey marisa its bri (donor ED-0742)", blind batch 64): the bank's own patient.
    ("donor", Kw::Value(Label::OtherId)),
    ("donor #", Kw::Value(Label::OtherId)),
    // (Span-only: `SPAN_ONLY_CUES`, from here to "review request".)
    ("incident #", Kw::Value(Label::OtherId)),
    ("incident no", Kw::Value(Label::OtherId)),
    ("inc#", Kw::Value(Label::OtherId)),
    ("inc #", Kw::Value(Label::OtherId)),
    ("cause no", Kw::Value(Label::OtherId)),
    ("cause number", Kw::Value(Label::OtherId)),
    ("app #", Kw::Value(Label::OtherId)),
    ("app#", Kw::Value(Label::OtherId)),
    ("appt #", Kw::Value(Label::OtherId)),
    ("confirmation number", Kw::Value(Label::OtherId)),
    ("confirmation #", Kw::Value(Label::OtherId)),
    ("gfe #", Kw::Value(Label::OtherId)),
    ("txn ids", Kw::Value(Label::OtherId)),
    ("txn id", Kw::Value(Label::OtherId)),
    ("specimen", Kw::Value(Label::OtherId)),
    ("specimen #", Kw::Value(Label::OtherId)),
    ("specimen id", Kw::Value(Label::OtherId)),
    ("specimen no", Kw::Value(Label::OtherId)),
    ("report #", Kw::Value(Label::OtherId)),
    ("report no", Kw::Value(Label::OtherId)),
    ("trip reference", Kw::Value(Label::OtherId)),
    ("trip #", Kw::Value(Label::OtherId)),
    // A medical ride's booking ("Trip number: T25-1015-48823", "standing order #: SO-220947").
    ("trip number", Kw::Value(Label::OtherId)),
    // A patient's transport or meal voucher ("voucher TV-25-0288, Glades Taxi") and a transfer
    // center's case ("Transfer #: 25-08817"): every one in the style corpus is a patient's.
    ("voucher", Kw::Value(Label::OtherId)),
    ("voucher #", Kw::Value(Label::OtherId)),
    ("voucher no", Kw::Value(Label::OtherId)),
    ("transfer #", Kw::Value(Label::OtherId)),
    ("transfer no", Kw::Value(Label::OtherId)),
    ("transfer number", Kw::Value(Label::OtherId)),
    ("trip no", Kw::Value(Label::OtherId)),
    ("trip id", Kw::Value(Label::OtherId)),
    // ("Trip# MX-250318-0419", "Trip Confirmation #MRT-5583021", "MedRide trip MRT-5590447":
    // a ride's booking, written every way.)
    ("trip#", Kw::Value(Label::OtherId)),
    ("trip confirmation", Kw::Value(Label::OtherId)),
    ("trip ", Kw::Value(Label::OtherId)),
    ("standing order #", Kw::Value(Label::OtherId)),
    ("standing order no", Kw::Value(Label::OtherId)),
    ("enrollment no", Kw::Value(Label::OtherId)),
    ("enrollment #", Kw::Value(Label::OtherId)),
    ("docket #", Kw::Value(Label::OtherId)),
    ("docket no", Kw::Value(Label::OtherId)),
    ("docket number", Kw::Value(Label::OtherId)),
    // ("treatment status report for Darnell Whitaker (Docket CP-57-CR-0001432-2024, DOB ...)",
    // "Petition #: 2025-MH-0918", an eligibility response's "Trace #:"; "Record number:
    // PRM-0052214", a chart's: blind batch 39 and the style corpus.)
    ("docket", Kw::Value(Label::OtherId)),
    ("petition #", Kw::Value(Label::OtherId)),
    ("petition no", Kw::Value(Label::OtherId)),
    ("trace #", Kw::Value(Label::OtherId)),
    ("trace no", Kw::Value(Label::OtherId)),
    ("trace number", Kw::Value(Label::OtherId)),
    ("veteran id", Kw::Value(Label::MemberId)),
    ("record number", Kw::Value(Label::Mrn)),
    // A clinic's own chart ("CSU Sports Med record #: AT-0097730", "ATHLETE REC #:
    // AT-0093318", blind batch 52). (Not "clinic ID": a remote monitoring service's number
    // for the clinic, "Midwest Heart & Vascular (Clinic ID 40771)", in the style corpus.)
    ("med record", Kw::Value(Label::Mrn)),
    ("athlete rec", Kw::Value(Label::Mrn)),
    ("athlete record", Kw::Value(Label::Mrn)),
    ("estimate number", Kw::Value(Label::OtherId)),
    ("estimate #", Kw::Value(Label::OtherId)),
    ("record #", Kw::Value(Label::OtherId)),
    ("record no", Kw::Value(Label::OtherId)),
    ("review request", Kw::Value(Label::OtherId)),
    ("denial ref", Kw::Value(Label::OtherId)),
    ("prior authorization", Kw::Value(Label::OtherId)),
    ("prior authorisation", Kw::Value(Label::OtherId)),
    ("prior auth", Kw::Value(Label::OtherId)),
    ("authorization", Kw::Value(Label::OtherId)),
    ("auth #", Kw::Value(Label::OtherId)),
    // A prior authorisation's number ("PA # TCHP-25-118044", "PA ref A25-0931-88420").
    ("pa #", Kw::Value(Label::OtherId)),
    ("pa ref", Kw::Value(Label::OtherId)),
    ("encounter", Kw::Value(Label::OtherId)),
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
    // Misspelt as patients write it ("my drivers liscense # is 31 882 406", blind batch 57;
    // "my lisence is PA 29 418 735", blind batch 61).
    ("my lisence", Kw::Value(Label::License)),
    ("my liscense", Kw::Value(Label::License)),
    ("drivers liscense", Kw::Value(Label::License)),
    ("driver's liscense", Kw::Value(Label::License)),
    ("drivers lisence", Kw::Value(Label::License)),
    ("drivers licence", Kw::Value(Label::License)),
    // An immigrant's alien registration number ("ALIEN NUMBER........: A215448902", a
    // refugee's overseas TB class notice, blind batch 57).
    ("alien number", Kw::Value(Label::OtherId)),
    ("alien no", Kw::Value(Label::OtherId)),
    ("alien #", Kw::Value(Label::OtherId)),
    // A claim's patient control number, the billing office's account for the visit
    // ("PAT CTRL NO....: SVI-3387120", a 277CA rejection report, blind batch 58).
    ("pat ctrl no", Kw::Value(Label::Account)),
    ("patient control number", Kw::Value(Label::Account)),
    ("patient control no", Kw::Value(Label::Account)),
    // Spanish "account" ("RE: cuenta SV-2291845 - plan de pagos", blind batch 58).
    ("cuenta", Kw::Value(Label::Account)),
    ("license number", Kw::Value(Label::License)),
    ("license #", Kw::Value(Label::License)),
    ("licence number", Kw::Value(Label::License)),
    ("dl #", Kw::Value(Label::License)),
    ("state id", Kw::Value(Label::License)),
    ("birth certificate", Kw::Value(Label::License)),
    ("certificate number", Kw::Value(Label::License)),
    ("certification number", Kw::Value(Label::License)),
    // (A passport's number is one the authors of the style corpus call an identifier of
    // its own, 18 times to 8 a licence's.)
    ("passport", Kw::Value(Label::OtherId)),
    ("move ", Kw::Reschedule),
    ("reschedule ", Kw::Reschedule),
    ("resched ", Kw::Reschedule),
    ("bump ", Kw::Reschedule),
    ("key", Kw::RequestKey),
    ("last 4", Kw::LastFour),
    ("last four", Kw::LastFour),
    ("last4", Kw::LastFour),
    // ("rm 5, Truong, L4 5164 - hCG POS": a processing station's shorthand for the last four,
    // blind batch 69; four digits alone after it, not a vertebra's "L4-L5".)
    ("l4", Kw::LastFour),
    ("last-4", Kw::LastFour),
    ("ends in", Kw::LastFour),
    ("ending in", Kw::LastFour),
    // A birth or death record's numbers ("birth cert #136-2024-018832", "State file no.:
    // 2024-0318776").
    ("birth cert", Kw::Value(Label::License)),
    ("cert #", Kw::Value(Label::License)),
    ("cert no", Kw::Value(Label::License)),
    ("certificate no", Kw::Value(Label::License)),
    ("certificate #", Kw::Value(Label::License)),
    ("state file no", Kw::Value(Label::License)),
    ("state file number", Kw::Value(Label::License)),
    ("state file #", Kw::Value(Label::License)),
    ("license plate", Kw::Value(Label::Vehicle)),
    ("licence plate", Kw::Value(Label::Vehicle)),
    ("plate", Kw::Value(Label::Vehicle)),
    // Spanish ("la troca gris, placas CBX4417", a farmworker outreach chat, blind batch 49).
    ("placas", Kw::Value(Label::Vehicle)),
    ("placa", Kw::Value(Label::Vehicle)),
    // ("Pennsylvania registration KZR-4471", "PA registration KHT-4072": after a state only,
    // see `keyword_values`; blind batches 44 and 45.)
    ("registration", Kw::Value(Label::Vehicle)),
    ("vin", Kw::Value(Label::Vehicle)),
    ("serial", Kw::Value(Label::Device)),
    // ("hearing aids x2, serials 2241A7HK3 (L) and 2241A7HK9 (R)", blind batch 53.)
    ("serials", Kw::Value(Label::Device)),
    // A glucose sensor's transmitter ("CGM: Dexcom G6, transmitter ID 8RX4KD").
    ("transmitter", Kw::Value(Label::Device)),
    ("transmitter id", Kw::Value(Label::Device)),
    ("sn", Kw::Value(Label::Device)),
    ("s/n", Kw::Value(Label::Device)),
    ("ssn", Kw::Value(Label::Ssn)),
    ("ss#", Kw::Value(Label::Ssn)),
    ("ss #", Kw::Value(Label::Ssn)),
    ("social security", Kw::Value(Label::Ssn)),
    ("social", Kw::Value(Label::Ssn)),
    ("mr ", Kw::NameAfter),
    ("mrs ", Kw::NameAfter),
    // A nickname ("Thu Ha Nguyen (goes by Hannah)") and the patient a relative is named by
    // ("mrs okafor called (wife of Chidi Okafor, the 2pm tmrw)").
    ("goes by", Kw::NameAfter),
    ("wife of", Kw::NameAfter),
    ("husband of", Kw::NameAfter),
    ("mother of", Kw::NameAfter),
    ("father of", Kw::NameAfter),
    ("daughter of", Kw::NameAfter),
    ("son of", Kw::NameAfter),
    // A workers' compensation claim's patient ("Injured worker:    Sunil Chaudhary").
    ("injured worker", Kw::NameAfter),
    // A household's children with their ages ([`children_in_brackets`]).
    ("children (", Kw::NameAfter),
    ("kids (", Kw::NameAfter),
    ("my name is", Kw::NameAfter),
    // The same in Spanish, in a family's message pasted into staff mail ("soy Guadalupe Ibarra
    // Solís, hermana de Rogelio", blind set SX), only before a capitalised word (not "Soy la
    // mamá de", "como esposa de un empleado").
    ("soy", Kw::NameAfter),
    ("hermana de", Kw::NameAfter),
    ("hermano de", Kw::NameAfter),
    ("hija de", Kw::NameAfter),
    ("hijo de", Kw::NameAfter),
    ("esposa de", Kw::NameAfter),
    ("esposo de", Kw::NameAfter),
    ("madre de", Kw::NameAfter),
    ("padre de", Kw::NameAfter),
    ("my son", Kw::NameAfter),
    ("his son", Kw::NameAfter),
    ("her son", Kw::NameAfter),
    // A writer naming themselves at the start of a hurried message ("hi this is debbie,
    // stanislawa kowalczyks daughter", "hi kara its keisha (dob 8/14/79)"): only there, only in
    // lower case and only in mail to or from a patient ([`self_introduction`]).
    ("this is", Kw::NameAfter),
    ("it's", Kw::NameAfter),
    ("its ", Kw::NameAfter),
    ("npi", Kw::Value(Label::Npi)),
    ("dea", Kw::Value(Label::Dea)),
    ("order", Kw::Negative),
    ("invoice", Kw::Negative),
    ("ticket", Kw::Negative),
    ("ticket reference", Kw::Negative),
    // A maker's return authorisation ("your RMA 300-52-8817"): 42 on the style corpus, none a
    // patient's identifier.
    ("rma", Kw::Negative),
    // A supplier's ("return the affected product with the enclosed return authorization
    // RA-77120").
    ("return authorization", Kw::Negative),
    ("confirmation", Kw::Negative),
    ("conference id", Kw::Negative),
    // A portal's or a system's own message ("Notification ID 2291-88-4730 · Do not reply", a
    // patient portal's pool alert to staff, blind batch 69).
    ("notification id", Kw::Negative),
    ("meeting id", Kw::Negative),
    ("tracking", Kw::Negative),
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
    ("caqh", Kw::Negative),
    ("caqh id", Kw::Negative),
    ("incident", Kw::Negative),
    ("tax id", Kw::Negative),
    ("employer id", Kw::Negative),
];

/// Words before "is", "was" or "at" that make the number after them a reading, a count or a
/// price rather than someone's age (see [`Pat::AgeLoose`]).
const AGE_LOOSE_NOT_AFTER: &Words = &Words::new(&[
    "hr",
    "pulse",
    "rate",
    "bp",
    "pressure",
    "sat",
    "sats",
    "spo2",
    "o2",
    "ox",
    "saturation",
    "glucose",
    "sugar",
    "sugars",
    "bg",
    "bs",
    "temp",
    "temperature",
    "weight",
    "wt",
    "score",
    "level",
    "levels",
    "a1c",
    "count",
    "iq",
    "it",
    "that",
    "this",
    "which",
    "bill",
    "total",
    "price",
    "cost",
    "balance",
    "number",
    "room",
    "speed",
    "volume",
    "rr",
    "map",
    "fev1",
    "ef",
    "reading",
    "readings",
    "value",
    "result",
    "results",
    "percent",
    "percentage",
    "was",
    "is",
    "copay",
    "amount",
    "charge",
    "fee",
    "heart",
    "systolic",
    "diastolic",
    "dose",
    "gfr",
    "egfr",
    "ldl",
    "hdl",
    "cholesterol",
    "triglycerides",
    "ferritin",
    "platelets",
    "hgb",
]);

/// Span-only keywords: their values are a patient's in mail about a patient but as often someone
/// else's elsewhere, so they are scored under [`crate::PHI_THRESHOLD`] (reported in a message
/// that holds PHI, never evidence of it). Record cues ("Specimen BB26-030411 good through 3/7",
/// "Run / incident # ...... TC25-031907", "Docket number: MFH-2025-031390"; a courier's "Police
/// came, report # 24-SPD-06612") and certificate numbers ("birth cert" aside, a technician's "WI
/// Cert #48821", a clinician's "CME certificate #"). They needed the keyword table's 32-bit rows
/// (session 17): the 16-bit table was full.
/// Cues of a trial subject's number (see `site_subject_shaped`).
const STUDY_SUBJECT_CUES: &Words = &Words::new(&[
    "subject",
    "subj",
    "subject id",
    "subject #",
    "subject no",
    "participant",
    "participant id",
    "participant no",
    "screening #",
    "screening no",
]);

const SPAN_ONLY_CUES: &Words = &Words::new(&[
    "cert #",
    "cert no",
    "certificate no",
    "certificate #",
    "incident #",
    "incident no",
    "specimen",
    "specimen #",
    "specimen id",
    "specimen no",
    "report #",
    "report no",
    "trip reference",
    "trip #",
    "enrollment no",
    "enrollment #",
    "docket #",
    "docket no",
    "docket number",
    "docket",
    "docket:",
    "petition #",
    "petition no",
    "trace #",
    "trace no",
    "trace number",
    "estimate number",
    "estimate #",
    "record #",
    "record no",
    "review request",
    // (A dental office's waterline test kit is no one's.)
    "kit",
    // A bare "reference" is a plan's for one member's request as often as a vendor's for a
    // repair or a maintenance window (the style corpus); a contract may be a funeral home's
    // with one family or a supplier's; a monitor's sharing code is one patient's, but is
    // named in app instructions too.
    "reference",
    "payer ref",
    "contract no",
    "sharing code",
]);

/// Words that may sit between a keyword and its value ("SSN on file are 1234").
const FILLER_LIST: &[&str] = &[
    // "Claim # for your records: CR-25-004471".
    "records",
    "reference",
    "no",
    "num",
    "nbr",
    "number",
    // ("serial numbers 2214L0937 (left) and 2214R0941 (right)".)
    "numbers",
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
    "form",
    "approximate",
    "approx",
];
const FILLER: &Words = &Words::new(FILLER_LIST);

/// Names of forms and programs written like numbers, which follow a keyword as a number would
/// ("submit the claim (CMS-1500)", "on a UB-04", "Organizational chart for the 340B program",
/// "your 401k plan ID"): never anyone's number.
const NUMBER_SHAPED_NAMES: &Words = &Words::new(&[
    "cms-1500",
    "cms1500",
    "hcfa-1500",
    "hcfa1500",
    "ub-04",
    "ub04",
    "ub-92",
    "cms-1450",
    "340b",
    "401k",
    "403b",
    "w-2",
    "w-4",
    "w-9",
    "i-9",
    "1099",
]);

const CREDENTIALS_LIST: &[&str] = &[
    "md", "do", "rn", "np", "pa", "pa-c", "pharmd", "bsn", "msn", "ccm", "lcsw", "otr", "otr/l",
    "pt", "dpt", "phd", "facc", "aprn", "cna", "lpn", "fnp", "fnp-c", "ma", "cma", "mph", "dds",
    "od", "dc", "crna", "cnm", "rd", "rph", "lpc", "lmft", "psyd", "mba", "mha", "facs", "facp",
    "ccc-slp", "slp", "ot", "mt", "mls", "rrt", "ches", "cpc", "dnp", "ms", "mpt", "msw", "lsw",
    "lmsw", "ccrn", "cnp", "acnp", "agnp", "pmhnp", "rn-bc", "cphq", "chc", "cdces", "ibclc",
    "atc", "pta", "cota", "rhit", "rhia", "ccrp", "crc", "lmhc", "lcpc", "bcba", "cadc", "cpm",
    "cpmsm", "rpsgt", "chw", "rdn", "cpht", "cgc", "crnp", "lnha", "mdiv", "bcc", "cwocn", "cdn",
    // Aides in home care ("Latoya Simms, HHA"); ophthalmic technicians and dialysis
    // technicians ("Luis Ortega, COT", "CCHT").
    "hha", "chha", "stna", "lna", "pca", "cot", "coa", "comt", "ccht", "cht", "cnn",
    // Paramedics and EMTs ("Luis Ortega, NRP, CP-C"), infection preventionists ("CIC"),
    // clinical social workers in Ohio ("LISW-S"), coders and documentation specialists ("CCS",
    // "CCDS", "CDIP"), imaging and emergency nurses ("RDCS", "RVT", "CEN", "CNOR").
    "nrp", "emt", "emt-p", "aemt", "cp-c", "fp-c", "ccp-c", "cic", "lisw", "lisw-s", "ccs", "ccs-p",
    "ccds", "cdip", "rdcs", "rvt", "rcis", "cen", "cpen", "cnor", "cfrn",
    // Ohio's and others' licensed professional clinical counselors ("Hana Yoshida, LPCC").
    "lpcc", "lpcc-s", "lpc-s",
    // Nurse practitioners by population ("AGACNP", "WHNP", "CPNP"), often with their board's
    // "-BC" or "-C" ("Rafael Reyes-Ortiz, PMHNP-BC": see `credential_after`).
    "anp", "agacnp", "agpcnp", "whnp", "pnp", "cpnp", "nnp",
    // A team's social worker in a roster ("Marcus Delgado (SW)").
    "sw",
    // Podiatrists, audiologists and fellows of their colleges ("Thomas C. Okafor, DPM" in a
    // medical staff office's reappointment letter, blind set QY; "Lena Ortiz, AuD").
    "dpm", "aud", "ccc-a", "facfas", "faap", "faafp", "facog", "facep",
];
const CREDENTIALS: &Words = &Words::new(CREDENTIALS_LIST);

// (And Spanish "Sra." and "Srta.", Mrs. and Miss; not "Sr.", as often "Senior" in a job title:
// "Sr. Analyst".)
// Military ranks before a service member's surname ("SPC Brannigan", "SSG Liddell", "PV2
// Pettibone": a National Guard unit's soldiers, blind batch 59); not those that are also
// everyday abbreviations ("MSG" a message, "CPT" a billing code, "LTC" long-term care, "COL",
// "MAJ"), nor a police officer's "Cpl.".
const TITLES_LIST: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "sra", "srta", "doña", "pvt", "pv2", "pfc", "spc", "sgt",
    "ssg", "sfc", "1sg", "sgm", "csm", "2lt", "1lt",
];
const TITLES: &Words = &Words::new(TITLES_LIST);
const STAFF_TITLES_LIST: &[&str] = &[
    "dr",
    "doctor",
    "prof",
    "professor",
    "nurse",
    "provider",
    "physician",
    "pharmacist",
];
const STAFF_TITLES: &Words = &Words::new(STAFF_TITLES_LIST);

/// Relatives, then any extra words given: one list written once for [`RELATIVES`] and
/// [`PERSON_CUES_LIST`].
macro_rules! relative_words {
    ($($extra:literal),*) => {
        &[
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
            // ("grandma Patrice Danvers 614-555-0196", "stepdad Ray Colton".)
            "grandma",
            "grandpa",
            "stepmom",
            "stepdad",
            "stepmother",
            "stepfather",
            "cousin",
            "girlfriend",
            "boyfriend",
            "fiance",
            "fiancee",
            "grandson",
            "granddaughter",
            "mom",
            "dad",
            "aunt",
            "uncle",
            "niece",
            "nephew",
            "child",
            "esposo",
            "esposa",
            "hija",
            "hijo",
            $($extra),*
        ]
    };
}

/// Relatives: a capitalised word right after one is a name even outside the name lists ("Your
/// sister Katalin", "Husband Arturo").
const RELATIVES: &Words = &Words::new(relative_words!());

/// Context words that say the name after them belongs to a patient or their family.
const PERSON_CUES_LIST: &[&str] = relative_words!(
    "patient",
    "pt",
    "name",
    "member",
    "guarantor",
    "subscriber",
    "insured",
    "beneficiary",
    "caregiver",
    "guardian",
    "contact",
    "saw",
    // ("my update after seeing Nia on 11/17": a clinician's visit, blind batch 63; with a
    // visit's day only, see `visit_day_after`.)
    "seeing",
    "re",
    "regarding",
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
    // A collection agency's ("Debtor Tyrone Baskerville called in disputing the balance").
    "debtor",
    "responsible",
    "party",
    "policyholder",
    "dependent",
    "poa",
    "hcpoa",
    "hcp",
    "candidate",
    "applicant",
    "claimant",
    "examinee",
    "enrollee",
    "decedent",
    // A jail's patients ("Inmate: Mateo Villanueva-Cruz", "Defendant: RAGHUNATHAN, VIKRAM S.").
    "inmate",
    "defendant",
    "detainee",
    "madre",
    "padre",
    // An adult day centre's or a study's ("Participant: Agnes O'Rourke").
    "participant",
    // A medical transport program's trip sheet ("RIDER ........... MORALES PAREDES, ADRIAN")
    // and a sports medicine office's ("ATHLETE:          WHITCOMB, JAYLEN M"; blind batch 52).
    "rider",
    "passenger",
    "athlete",
    // A Spanish report's patient ("Paciente:             Génesis Valeska Rayo Montenegro", an
    // echocardiogram forwarded by a mission's partner clinic, blind batch 65).
    "paciente"
);
// (And Spanish ones, "Estimada Graciela Montoya de la Cruz:", "Hola Graciela,": a clinic's
// reminders and letters to its Spanish-speaking patients, blind set VC.)
const GREETINGS_LIST: &[&str] = &[
    "dear",
    "hi",
    "hello",
    "hey",
    "greetings",
    "estimada",
    "estimado",
    "querida",
    "querido",
    "hola",
];
const CLOSINGS_LIST: &[&str] = &[
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
const CLOSINGS: &Words = &Words::new(CLOSINGS_LIST);

/// The longest closing, and at least `"-- "`: a trimmed line longer than this is no closing.
const CLOSING_MAX: usize = {
    let mut m = 3;
    let mut i = 0;
    while i < CLOSINGS_LIST.len() {
        if CLOSINGS_LIST[i].len() > m {
            m = CLOSINGS_LIST[i].len();
        }
        i += 1;
    }
    m
};

/// Capitalised words that are not names (or that start an organisation or a place), indexed by
/// [`word_key`]: a bit filter, then a small open-addressing table of indices into [`NOT_NAMES`]
/// probed from the key, so a look-up is a few byte compares instead of hashing the word.
struct NotNames {
    filter: Box<KeyFilter>,
    /// [`NOT_NAMES`], then the greetings ([`GREETINGS_LIST`]: "Hey Graciela," and "Hola
    /// Graciela," name Graciela, not "Hey Graciela").
    words: Vec<&'static str>,
    /// `slots[i]` is an index into `words` plus one, or 0 for an empty slot.
    slots: Box<[u16]>,
}

/// `a == b` for the short words of the lists, without `memcmp` or a byte loop: two overlapping
/// loads of 8 or 4 bytes each, or three bytes, cover a word of up to 16 bytes.
#[inline(always)]
fn same_word(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        if n > 16 {
            return a == b;
        }
        let at = |s: &[u8], i: usize| {
            <[u8; 8]>::try_from(&s[i..i + 8])
                .ok()
                .map(u64::from_le_bytes)
        };
        return at(a, 0) == at(b, 0) && at(a, n - 8) == at(b, n - 8);
    }
    if n >= 4 {
        let at = |s: &[u8], i: usize| {
            <[u8; 4]>::try_from(&s[i..i + 4])
                .ok()
                .map(u32::from_le_bytes)
        };
        return at(a, 0) == at(b, 0) && at(a, n - 4) == at(b, n - 4);
    }
    n == 0 || a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]
}

/// Slots in [`NotNames::slots`] (a power of two, several times the word count).
const NOT_NAMES_SLOTS: usize = 2048;

impl NotNames {
    fn new() -> NotNames {
        let mut slots = vec![0u16; NOT_NAMES_SLOTS].into_boxed_slice();
        let mut words: Vec<&'static str> = NOT_NAMES.to_vec();
        words.extend(GREETINGS_LIST.iter().filter(|g| !NOT_NAMES.contains(g)));
        for (i, w) in words.iter().enumerate() {
            let mut k = word_key(w.as_bytes()) % NOT_NAMES_SLOTS;
            while slots[k] != 0 {
                k = (k + 1) % NOT_NAMES_SLOTS;
            }
            slots[k] = u16::try_from(i + 1).unwrap_or(u16::MAX);
        }
        NotNames {
            filter: key_filter(words.iter().copied()),
            words,
            slots,
        }
    }

    /// Is `w` (lower case) in [`NOT_NAMES`] or a greeting? `key` is `word_key(w)`.
    #[inline(always)]
    fn contains(&self, w: &[u8], key: usize) -> bool {
        if !bit(&*self.filter, key) {
            return false;
        }
        let mut k = key % NOT_NAMES_SLOTS;
        loop {
            match self.slots[k] {
                0 => return false,
                i => {
                    if self
                        .words
                        .get(usize::from(i) - 1)
                        .is_some_and(|n| same_word(n.as_bytes(), w))
                    {
                        return true;
                    }
                }
            }
            k = (k + 1) % NOT_NAMES_SLOTS;
        }
    }
}

static NOT_NAMES_INDEX: std::sync::LazyLock<NotNames> = std::sync::LazyLock::new(NotNames::new);

/// [`PREV_WORDS`] flag: the word is in [`STAFF_TITLES`].
const PW_STAFF: u8 = 1;
/// [`PREV_WORDS`] flag: the word is in [`TITLES`].
const PW_TITLE: u8 = 2;
/// [`PREV_WORDS`] flag: the word is in [`GREETINGS_LIST`].
const PW_GREET: u8 = 4;
/// [`PREV_WORDS`] flag: the word is in [`PERSON_CUES_LIST`].
const PW_CUE: u8 = 8;

/// Several small word lists in one look-up: their union in an open-addressing table probed
/// from [`word_key`], each word with a bit per list it is in. Same answers as the lists'
/// [`Words::eq_any`] (ASCII case-insensitive), one probe instead of one search per list.
pub(crate) struct WordTable {
    /// `slots[i]` is an index into `words` plus one, or 0 for an empty slot.
    slots: Box<[u16]>,
    words: Vec<(&'static str, u8)>,
    /// Bit `n` set when a word has `n` bytes (63: 63 or more), as in [`Words`].
    lens: u64,
}

impl WordTable {
    /// `lists`: each list with its flag bit.
    fn new(lists: &[(&[&'static str], u8)]) -> WordTable {
        let mut words: Vec<(&'static str, u8)> = Vec::new();
        for &(list, flag) in lists {
            for &w in list {
                match words.iter_mut().find(|(x, _)| x.eq_ignore_ascii_case(w)) {
                    Some((_, f)) => *f |= flag,
                    None => words.push((w, flag)),
                }
            }
        }
        // A power of two, at least four times the word count: probes stay short and a free
        // slot always ends them.
        let n = (words.len() * 4).next_power_of_two().max(16);
        let mut slots = vec![0u16; n].into_boxed_slice();
        for (i, (w, _)) in words.iter().enumerate() {
            let mut k = word_key(w.as_bytes()) % n;
            while slots[k] != 0 {
                k = (k + 1) % n;
            }
            slots[k] = u16::try_from(i + 1).unwrap_or(u16::MAX);
        }
        let lens = words
            .iter()
            .fold(0u64, |m, (w, _)| m | 1u64 << w.len().min(63));
        WordTable { slots, words, lens }
    }

    /// The flags of the lists holding `w` (0 when none does).
    #[inline(always)]
    fn flags(&self, w: &str) -> u8 {
        let wb = w.as_bytes();
        // Checked first: the word before many a capitalised word is none (a line's start) or a
        // number, of a length no list word has (callgrind).
        if self.lens & (1u64 << wb.len().min(63)) == 0 {
            return 0;
        }
        let n = self.slots.len();
        let mut k = word_key(wb) % n;
        loop {
            let i = usize::from(self.slots[k]);
            let Some(&(x, f)) = i.checked_sub(1).and_then(|i| self.words.get(i)) else {
                return 0;
            };
            if x.len() == wb.len() && x.as_bytes().eq_ignore_ascii_case(wb) {
                return f;
            }
            k = (k + 1) % n;
        }
    }
}

/// Job titles: a name next to one ("recruiter Alana Birch", "Wanda Pryor, Credentialing
/// Specialist", a signature's title line) is a member of staff, and so is a phone number after
/// one. Then any extra words given: one list written once for [`STAFF_ROLES_LIST`] and
/// [`PHONE_ORG_LIST`].
macro_rules! staff_role_words {
    ($($extra:literal),*) => {
        &[
            "coordinator",
            "specialist",
            "manager",
            "supervisor",
            "director",
            "officer",
            "administrator",
            "assistant",
            "representative",
            "rep",
            "recruiter",
            "analyst",
            "scheduler",
            "receptionist",
            "technician",
            "technologist",
            "navigator",
            "liaison",
            "chaplain",
            "counselor",
            "therapist",
            "educator",
            "consultant",
            "adjuster",
            "biller",
            "coder",
            "aide",
            "volunteer",
            "chair",
            "president",
            "dietitian",
            "pharmacist",
            "hospitalist",
            "physician",
            "surgeon",
            "auditor",
            "credentialing",
            "dispatcher",
            "questions",
            "lead",
            "desk",
            "driver",
            "courier",
            "regulatory",
            "tech",
            "paralegal",
            "attorney",
            "clerk",
            // ("your claims examiner, Sandra Liu ((916) 555-0126)".)
            "examiner",
            // ("(Inspector Darnell Hughes, 937-555-0106)": a fire marshal's or a surveyor's.)
            "inspector",
            // ("Law enforcement: Det. Sgt. Colin Ferraro", "APS caseworker Dana Ellison".)
            "det",
            "detective",
            "sgt",
            "sergeant",
            "deputy",
            "trooper",
            "caseworker",
            // A lab report's ordering clinician ("Ordering:   RAHIMI, LEILA APRN-CNP", blind
            // set YN).
            "ordering", $($extra),*
        ]
    };
}
/// The last word of a place's name ("Maple Terrace", "Maple Hollow", "Cedar Ridge"): after a
/// given name it makes a care home or a street, not a surname.
const PLACE_WORDS: &Words = &Words::new(&[
    "terrace", "hollow", "ridge", "heights", "cove", "creek", "glen", "point", "pointe", "park",
    "gardens", "manor", "village", "commons", "estates", "meadows", "springs", "hills", "valley",
    "woods", "landing", "crossing", "square", "plaza", "house", "hall", "lodge", "place", "court",
    "grove", "haven", "view", "vista", "acres", "farms", "center", "centre", "pines", "oaks",
    "shores", "harbor", "harbour", "station", "mill", "mills", "falls", "lake", "lakes",
]);

const STAFF_ROLES_LIST: &[&str] = staff_role_words!();
const STAFF_ROLES: &Words = &Words::new(STAFF_ROLES_LIST);

/// The word before a candidate name against the four name-context lists (`PW_*` flags).
static PREV_WORDS: std::sync::LazyLock<WordTable> = std::sync::LazyLock::new(|| {
    WordTable::new(&[
        (STAFF_TITLES_LIST, PW_STAFF),
        (STAFF_ROLES_LIST, PW_STAFF),
        (TITLES_LIST, PW_TITLE),
        (GREETINGS_LIST, PW_GREET),
        (PERSON_CUES_LIST, PW_CUE),
    ])
});

/// A [`word_key`] bit filter: one bit per key.
pub(crate) type KeyFilter = [u64; WORD_KEY_BITS / 64];

/// Builds a [`word_key`] bit filter (no false negatives for ASCII words of the set).
pub(crate) fn key_filter<'a>(words: impl Iterator<Item = &'a str>) -> Box<KeyFilter> {
    let mut f = Box::new([0u64; WORD_KEY_BITS / 64]);
    for w in words {
        let k = word_key(w.as_bytes());
        f[k / 64] |= 1 << (k % 64);
    }
    f
}

/// May the token be in the set the filter was built from? (Always true for non-ASCII.)
#[inline]
fn key_maybe(filter: &[u64], t: Tok) -> bool {
    !t.ascii || bit(filter, t.key as usize)
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

/// The first four-digit year (1900 to 2199) in `s`: "12/31/2099" gives 2099.
fn four_digit_year(s: &str) -> Option<u16> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let run = &b[i..i + 4];
        let bounded = (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        (bounded
            && run.iter().all(u8::is_ascii_digit)
            && matches!(run[..2], [b'1', b'9'] | [b'2', b'0' | b'1']))
        .then(|| run.iter().fold(0u16, |y, d| y * 10 + u16::from(d - b'0')))
    })
}

/// The year the message was sent: the first four-digit year on its first "Date:" or "Sent:"
/// header line (within the first 4 KB), if it has one. (Found by a vectorised search, not
/// line by line: callgrind.)
fn message_year(text: &str) -> Option<u16> {
    let head = &text.as_bytes()[..floor_cb(text, text.len().min(4096))];
    let at_line_start = |k: &usize| *k == 0 || head[k - 1] == b'\n';
    let first = |pat: &[u8]| memchr::memmem::find_iter(head, pat).find(at_line_start);
    let k = match (first(b"Date:"), first(b"Sent:")) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    let line = &text[k + 5..];
    let end = line.find('\n').unwrap_or(line.len()).min(120);
    four_digit_year(&line[..floor_cb(line, end)])
}

/// Countries and territories named by two words that the name lists also hold ("Sierra
/// Leone": "Sierra" a given name, "Leone" a surname), lower case.
const TWO_WORD_COUNTRIES: &[(&str, &str)] = &[
    ("sierra", "leone"),
    ("hong", "kong"),
    ("costa", "rica"),
    ("puerto", "rico"),
    ("el", "salvador"),
    ("san", "marino"),
    ("sri", "lanka"),
    ("saint", "lucia"),
    ("st", "lucia"),
    ("burkina", "faso"),
    ("cape", "verde"),
    ("ivory", "coast"),
    ("timor", "leste"),
    ("new", "caledonia"),
    ("french", "guiana"),
    ("dominican", "republic"),
    ("saudi", "arabia"),
];

const NOT_NAMES: &[&str] = &[
    // "Subject: 2026 Client Bill Fee Schedule", "draft staffing for Spring Half 4/12/26": a
    // price list after "Client", a half marathon after "for" (blind batch 66).
    "fee",
    "fees",
    "schedule",
    "half",
    // "for Biobank Core staff", "ROR slide for Grand Rounds": a research core and a teaching
    // conference after "for" (blind batch 58).
    "biobank",
    "biorepository",
    "rounds",
    // "PA Criminal + FBI + Child Abuse": a background check's clearance after "Child", no
    // child's name (blind batch 59).
    "abuse",
    // "Subject: [CRITICAL VALUE] - MRN 40844120": a laboratory's alert before the chart
    // number, no name (blind batch 60).
    "critical",
    // ("(CRITICAL HIGH, REF 3.5-5.1)": a result's flag and its reference range.)
    "ref",
    // "skeletal Class III, Angle Class III molar", "a Le Fort I advancement": an orthodontic
    // malocclusion's class and a maxillary osteotomy, not names (blind batch 57). "- Case:
    // 27-year-old with ...": a teaching case, not a surname in a list.
    "class",
    "fort",
    // "re: Camp Hill coverage", "anyone for Camp Hill front desk": a town (and a surname
    // too rare to lose much), not a patient after "re:" or "for" (blind batch 74).
    "camp",
    "case",
    // "A Risk-Stratified Trial for Newly Diagnosed Standard- and High-Risk B-ALL": a study's
    // title after "for" (blind batch 56).
    "newly",
    "diagnosed",
    // "HCAM 4 Partner Bulletin: winter LZ list": an air ambulance's bulletin to its partner
    // agencies, after a word that is also a relative (blind batch 54).
    "bulletin",
    // "(LACTATE, BLOOD CX X2, CEFTRIAXONE ...)", "LACTATE      NOT RESULTED": a sepsis alert's
    // order set and its labs, in capitals (blind batch 52); the analytes a lab table lists.
    "lactate",
    "troponin",
    "procalcitonin",
    "creatinine",
    "bilirubin",
    "albumin",
    "hemoglobin",
    "hematocrit",
    "ferritin",
    "lipase",
    "fibrinogen",
    // "RE: Open House postcard proof v2": an event ("House" is a surname), not a name.
    "open",
    // "RESULT AVAILABLE - HLA ANTIBODY SCREEN", "HLA LAB": human leukocyte antigens (blind
    // batch 45).
    "hla",
    "antibody",
    // "FYI Ifeoma Okonjo (PLA-0052310) had a large local": a note's opening, not a name's
    // first word.
    "fyi",
    // "How Your Client's Chart Should Read": a title's word, and "Thrush: fluconazole first
    // line" a condition heading an order set's item.
    "client",
    "thrush",
    // "- Current: apixaban 5 mg BID x 2 wks": a protocol's label.
    "current",
    // "Saw Simon Achterberg today for psych f/u": a note's first word, the cue before a name.
    "saw",
    // ("Debtor Tyrone Baskerville called in": the cue before a name.)
    "debtor",
    // A quality report's measures ("- Falls ........ 2 (both under review)"), an instruction
    // list's verbs ("- Test the patient at triage").
    "falls",
    "test",
    // "hi, I'm the one doing Kilimanjaro": the writer's "I", not a name after a greeting.
    "i'm",
    "i'll",
    "i've",
    "i'd",
    // A newsletter's column ("Subject: Caregiver Corner - October 2025").
    "corner",
    // "Dear Room 12 families,".
    "room",
    // "Registration type: Member - Full Conference", "sign-up for Balance Check".
    "conference",
    "balance",
    // An MRI labelling ("the MR Conditional labelling"), a region ("numbers for Central OH").
    "conditional",
    "unsafe",
    "central",
    // Whom a circular greets ("Dear Prescriber,", "Dear Valued Customer,"). (Not "resident",
    // "student" or "client": before a name they say whose it is, like "patient".)
    "prescriber",
    "prescribers",
    "customer",
    "guardians",
    "sir",
    "madam",
    "neighbor",
    "neighbour",
    "volunteer",
    "volunteers",
    "supporter",
    "supporters",
    "donor",
    "donors",
    "applicants",
    "vendor",
    "supplier",
    "pharmacist",
    "pharmacists",
    "clinician",
    "doctors",
    "teams",
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
    // ("- Body (arms, legs, trunk): triamcinolone": a list of sites.)
    "body",
    // ("field tech is scheduled for Wed AM"; not "Thu", a given name.)
    "tue",
    "tues",
    "wed",
    "thur",
    "thurs",
    "patient",
    // Roles a form or a subject puts before a name ("RE: Claimant WHITFIELD, BRANDON",
    // "Partner's cell"): the name starts after them.
    "claimant",
    "employee",
    "insured",
    "beneficiary",
    "enrollee",
    "applicant",
    "participant",
    "inmate",
    "defendant",
    "decedent",
    "partner",
    "dear",
    "hi",
    "hello",
    // (Spanish titles; not "Sr.", which ends a name as often: "Declan Byrne Sr.". Greetings,
    // `GREETINGS_LIST`, are added to these where they are looked up: [`NotNames`].)
    "sra",
    "srta",
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
    // ("Registration type: Member - Early Bird": a conference's rate, blind batch 41.)
    "early",
    // ("Short version for Judge Marsh's pre-court staffing": an officer of the court or of the
    // law by title, no patient; blind batch 39.)
    "judge",
    "magistrate",
    "officer",
    "sergeant",
    "detective",
    "trooper",
    // ("Reports > Client Bill Detail": a portal's report, blind batch 38.)
    "detail",
    "details",
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
    // Groups greeted like a person ("Dear Colleague", "Hello Families").
    "colleague",
    "colleagues",
    "friends",
    "members",
    "providers",
    "customers",
    "valued",
    "neighbors",
    "neighbours",
    "administrators",
    "users",
    "residents",
    "families",
    "caregivers",
    "patients",
    "clinicians",
    "physicians",
    "nurses",
    "everyone",
    "folks",
    "parents",
    "staff",
    // Relatives written with a capital ("Husband Arturo present", "- Daughter Claudette
    // Ross"): the cue before the name, not its first word.
    "husband",
    "wife",
    "daughter",
    "son",
    "grandson",
    "granddaughter",
    "mother",
    "father",
    "brother",
    "sister",
    "spouse",
    "mom",
    "dad",
    "guardian",
    "caregiver",
    "grandmother",
    "grandfather",
    "aunt",
    "uncle",
    "niece",
    "nephew",
    "child",
    "parent",
    "poa",
    "hcpoa",
    "hcp",
    // "RE: April Mohs template - adding Wed AM?": Mohs surgery, a procedure's eponym (blind
    // set RS), not a surname after a month that is also a given name.
    "mohs",
];

/// What a colleague has, after a possessive name ("Paige Kerr's timesheet").
const STAFF_THINGS: &Words = &Words::new(&[
    "timesheet",
    "timesheets",
    "schedule",
    "shift",
    "shifts",
    "office",
    "desk",
    "team",
    "caseload",
    "patients",
    "login",
    "badge",
    "pto",
    "mileage",
    "paycheck",
    "laptop",
    "voicemail",
    "calendar",
    "panel",
    "clinic",
    "signature",
    "credentials",
    "onboarding",
    "orientation",
    "retirement",
    "farewell",
    "last",
    "first",
]);

/// Words right after a name that make it an organisation or a place.
const ORG_AFTER_LIST: &[&str] = &[
    "county",
    // "Loma Clara Community Health Center".
    "community",
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
    "nursing",
    "it",
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
    "league",
    "society",
    "association",
    "club",
    "alliance",
    "fund",
    "ehr",
    "emr",
    "software",
    "systems",
    "network",
    "administrators",
    "users",
    "team",
    "colleagues",
    // ("Second Chance Liver Support Circle <secondchancecircle@gmail.com>": a peer group's
    // mailbox at a mail provider, blind batch 36.)
    "support",
    "circle",
    "members",
    "customers",
    "providers",
    "school",
    "academy",
    // ("Cedar Knoll HS winter blood drive", "Cedar Knoll High School": blind batch 60.)
    "hs",
    "high",
    "elementary",
    "pavilion",
    "ballroom",
    "hotel",
    "restaurant",
    "steakhouse",
    "church",
    "chapel",
    "temple",
    "mosque",
    "synagogue",
    "parish",
    "ministries",
    // Practices named for a place ("Maple Leaf Pediatrics").
    "pediatrics",
    "cardiology",
    "dermatology",
    "orthopedics",
    "orthopaedics",
    "oncology",
    "neurology",
    "urology",
    "radiology",
    "imaging",
    "dental",
    "dentistry",
    "optometry",
    "chiropractic",
    "therapy",
    "rehab",
    "rehabilitation",
    "hospice",
    "midwifery",
    // Bodies and units ("Patient Safety Committee", "Patient Financial Services").
    "committee",
    "council",
    "board",
    "program",
    "unit",
    "division",
    "department",
    "services",
    "office",
    // ("Talent Acquisition Partner, Human Resources".)
    "resources",
    // ("Caregiver Coffee Hour: every Friday": a gathering.)
    "hour",
    // ("formulary changes for Laurel Bend facilities", "Willow Crest campus": a facility's
    // name.)
    "facilities",
    "facility",
    // ("September numbers for Lakeshore Works": a plant.)
    "works",
    "plant",
    // ("Corvessa's distribution partner (Meridian Renal Supply)", blind set TE.)
    "supply",
    "supplies",
    "campus",
    "residence",
    // ("daily In Basket summary for CARDIAC REHAB MSG POOL": a shared mailbox of messages,
    // blind batch 42.)
    "pool",
    "pools",
];
const ORG_AFTER: &Words = &Words::new(ORG_AFTER_LIST);

/// Words that make a greeting's or an address header's name a group ("Dear Eastbrook
/// families,", "Hi Cardiology team", "To: Rolling Forward subscribers <...>").
const GROUP_WORDS: &Words = &Words::new(&[
    "families",
    "family",
    "parents",
    "team",
    "teams",
    "staff",
    "colleagues",
    "members",
    "friends",
    "neighbors",
    "neighbours",
    "residents",
    "students",
    "volunteers",
    "donors",
    "partners",
    "providers",
    "nurses",
    "physicians",
    "clinicians",
    "employees",
    "community",
    "folks",
    "everyone",
    "all",
    "patients",
    "customers",
    "clients",
    "supporters",
    "leaders",
    "managers",
    "coordinators",
    "tenants",
    "owners",
    "vendors",
    "suppliers",
    "subscribers",
    "guardians",
    "teachers",
    "doctors",
    "practitioners",
    "sponsors",
    "exhibitors",
    "attendees",
    "participants",
    "applicants",
    "candidates",
    "stakeholders",
]);

const CONSUMER_MAIL_LIST: &[&str] = &[
    "gmail.com",
    // The misspellings a bounce names ("santiago.familia@gmial.com: User unknown", blind set
    // UE): a private person's mailbox, typed wrong.
    "gmial.com",
    "gmal.com",
    "gmaill.com",
    "gnail.com",
    "gmail.co",
    "gmail.con",
    "yahooo.com",
    "yaho.com",
    "yahoo.con",
    "hotmial.com",
    "hotmal.com",
    "hotmail.con",
    "outlok.com",
    "iclod.com",
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
    "googlemail.com",
    "hotmail.ca",
    "yahoo.ca",
    "live.ca",
    "sympatico.ca",
    "sasktel.net",
    "shaw.ca",
    "rogers.com",
    "telus.net",
    "btinternet.com",
    "fastmail.com",
    "pm.me",
    "tutanota.com",
    "fastmail.fm",
    "naver.com",
    "daum.net",
    "hanmail.net",
    "web.de",
    "gmx.de",
    "gmx.net",
    "t-online.de",
    "mail.ru",
    "yandex.ru",
    "libero.it",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "wanadoo.fr",
    "seznam.cz",
    "wp.pl",
    "o2.pl",
    "yahoo.fr",
    "yahoo.es",
    "yahoo.de",
    "yahoo.co.in",
    "yahoo.com.mx",
    "hotmail.fr",
    "hotmail.es",
    "hotmail.de",
    "outlook.es",
    "terra.com.br",
    "uol.com.br",
    "bol.com.br",
    "bigpond.com",
    "optusnet.com.au",
    "xtra.co.nz",
    "eircom.net",
    "sky.com",
    "virginmedia.com",
    "ntlworld.com",
    "talktalk.net",
    "mailbox.org",
    "posteo.de",
    "hey.com",
    "icloud.com.cn",
    "126.com",
    "sina.com",
    // RFC 2606's reserved second-level names, bare: what synthetic and training mail writes for a
    // private person's mailbox (an organisation's, made up, is a subdomain or another name).
    "example.com",
    "example.net",
    "example.org",
    // Cable, telephone and dial-up providers' mail that older patients keep using.
    "centurylink.net",
    "q.com",
    "netzero.net",
    "netzero.com",
    "roadrunner.com",
    "rr.com",
    "twc.com",
    "spectrum.net",
    "mediacombb.net",
    "suddenlink.net",
    "cableone.net",
    "wowway.com",
    "tds.net",
    "frontiernet.net",
    "ptd.net",
    "bright.net",
    "peoplepc.com",
    "prodigy.net",
    "embarqmail.com",
    "cinci.rr.com",
    "aim.com",
    "ameritech.net",
    "pacbell.net",
    "swbell.net",
    "flash.net",
    "snet.net",
    "nc.rr.com",
    "tampabay.rr.com",
    "austin.rr.com",
    "hughes.net",
    "starband.net",
    "consolidated.net",
    "midco.net",
    "gci.net",
    "hawaii.rr.com",
    "atlanticbb.net",
    "metrocast.net",
    "rcn.com",
];
const CONSUMER_MAIL: &Words = &Words::new(CONSUMER_MAIL_LIST);

/// Most words a [`Words`] list may hold (its indices are bytes).
const MAX_WORDS: usize = 255;

/// Which first-letter bucket a byte falls in: `a`-`z` (either case) are 0-25, the rest 26.
/// One table look-up ([`BUCKET`]).
#[inline(always)]
const fn bucket(b: u8) -> usize {
    BUCKET[b as usize] as usize
}

/// [`bucket`] of every byte.
const BUCKET: [u8; 256] = {
    let mut t = [26u8; 256];
    let mut c = 0;
    while c < 256 {
        let l = (c as u8).to_ascii_lowercase();
        if l.is_ascii_lowercase() {
            t[c] = l - b'a';
        }
        c += 1;
    }
    t
};

/// Buckets of [`bucket2`].
const BUCKETS2: usize = 27 * 27;

/// Which two-letter bucket a word falls in: the [`bucket`]s of its first byte and of its second
/// byte (26, like any byte that is not a letter, when there is none). Two words equal up to the
/// case of ASCII letters share it.
#[inline]
const fn bucket2(first: u8, second: Option<u8>) -> usize {
    bucket(first) * 27
        + match second {
            Some(b) => bucket(b),
            None => 26,
        }
}

/// A fixed list of lower-case words, indexed at compile time: a length mask and a first-byte
/// table end most look-ups at once, and the words are grouped by their first two letters so a
/// look-up compares only the one or two that could match.
pub(crate) struct Words {
    list: &'static [&'static str],
    /// Bit `n` set when some word is `n` bytes long (`63` stands for 63 or more).
    lens: u64,
    /// `first[b]`: some word starts with byte `b` in either case.
    first: [bool; 256],
    /// Indices into `list`, grouped by [`bucket2`]. (One entry more than `list` may have: an
    /// index from a `u8` needs no bounds check.)
    order: [u8; MAX_WORDS + 1],
    /// `order_lens[j]`: the length of the word `order[j]`, read before the word itself (most
    /// words of a bucket differ in length from the text's).
    order_lens: [u8; MAX_WORDS + 1],
    /// `order[starts[k]..starts[k + 1]]` are the words of bucket `k`.
    starts: [u8; BUCKETS2 + 1],
    /// Some word starts with a byte that is not a word byte (see [`has_word`]).
    nonword_first: bool,
}

impl Words {
    pub(crate) const fn new(list: &'static [&'static str]) -> Words {
        assert!(list.len() <= MAX_WORDS, "word list too long for Words");
        let mut lens = 0u64;
        let mut first = [false; 256];
        let mut nonword_first = false;
        let mut count = [0u8; BUCKETS2];
        let mut i = 0;
        while i < list.len() {
            let w = list[i].as_bytes();
            lens |= 1u64 << if w.len() < 63 { w.len() } else { 63 };
            if !w.is_empty() {
                let c = w[0];
                let word_byte = c.is_ascii_alphanumeric() || c == b'_';
                nonword_first |= !word_byte;
                // `word_at` looks in the bucket of the text's next byte: a one-byte word that
                // is not a word byte may be followed by a letter and still match.
                assert!(w.len() > 1 || word_byte, "one-byte non-word entry in Words");
                assert!(w.len() <= 255, "word too long for Words");
                // (Look-ups lower-case the text's bytes only.)
                let mut j = 0;
                while j < w.len() {
                    assert!(!w[j].is_ascii_uppercase(), "upper-case letter in Words");
                    j += 1;
                }
                first[w[0].to_ascii_lowercase() as usize] = true;
                first[w[0].to_ascii_uppercase() as usize] = true;
                count[Self::bucket_of(w)] += 1;
            }
            i += 1;
        }
        let mut starts = [0u8; BUCKETS2 + 1];
        let mut k = 0;
        while k < BUCKETS2 {
            starts[k + 1] = starts[k] + count[k];
            k += 1;
        }
        let mut next = [0u8; BUCKETS2];
        let mut order = [0u8; MAX_WORDS + 1];
        let mut order_lens = [0u8; MAX_WORDS + 1];
        i = 0;
        while i < list.len() {
            let w = list[i].as_bytes();
            if !w.is_empty() {
                let k = Self::bucket_of(w);
                order[(starts[k] + next[k]) as usize] = i as u8;
                order_lens[(starts[k] + next[k]) as usize] = w.len() as u8;
                next[k] += 1;
            }
            i += 1;
        }
        Words {
            list,
            lens,
            first,
            order,
            order_lens,
            starts,
            nonword_first,
        }
    }

    /// The [`bucket2`] of a non-empty word.
    const fn bucket_of(w: &[u8]) -> usize {
        bucket2(w[0], if w.len() > 1 { Some(w[1]) } else { None })
    }

    /// May a word starting with byte `b` (either case) be in the list?
    #[inline]
    fn first_may(&self, b: u8) -> bool {
        self.first[usize::from(b)]
    }

    /// May a word of the list start with `first` and then `second` (`None`: no second byte),
    /// up to case? (`false` when no word shares their [`bucket2`].)
    #[inline]
    fn may_start(&self, first: u8, second: Option<u8>) -> bool {
        let k = bucket2(first, second);
        self.starts[k] != self.starts[k + 1]
    }

    /// The positions in `order` of the words in bucket `k` (see [`bucket2`]).
    #[inline(always)]
    fn bucket(&self, k: usize) -> std::ops::Range<u8> {
        self.starts[k]..self.starts[k + 1]
    }

    /// The word at position `j` of `order`.
    #[inline(always)]
    fn ordered(&self, j: u8) -> &'static [u8] {
        self.list[usize::from(self.order[usize::from(j)])].as_bytes()
    }

    /// Case-insensitive (ASCII): is `word` in the list?
    // Inlined everywhere: most calls end at the length or first-byte test, and the call cost
    // more than that (callgrind: 0.3 M fewer instructions on the corpus).
    #[inline(always)]
    fn eq_any(&self, word: &str) -> bool {
        self.eq_any_bytes(word.as_bytes())
    }

    /// [`Self::eq_any`] on bytes.
    #[inline(always)]
    fn eq_any_bytes(&self, w: &[u8]) -> bool {
        let Some(&f) = w.first() else {
            return false;
        };
        if self.lens & (1u64 << w.len().min(63)) == 0 || !self.first_may(f) {
            return false;
        }
        self.bucket(bucket2(f, w.get(1).copied())).any(|j| {
            usize::from(self.order_lens[usize::from(j)]) == w.len() && eq_lower(w, self.ordered(j))
        })
    }
}

/// Builds a [`Words`] at compile time from a literal list.
macro_rules! words {
    ($($w:expr),* $(,)?) => {
        const { &Words::new(&[$($w),*]) }
    };
}

/// `h` equals the list word `w` up to the case of ASCII letters (list words are lower-case:
/// [`Words::new`]), lower-casing only `h`'s bytes.
#[inline(always)]
fn eq_lower(h: &[u8], w: &[u8]) -> bool {
    h.len() == w.len() && h.iter().zip(w).all(|(&a, &b)| a.to_ascii_lowercase() == b)
}

#[inline]
fn is_word_byte(b: u8) -> bool {
    byte_in(b, WORD_BYTE)
}

/// Classes of ASCII bytes that rules read a byte at a time (bits of [`BYTE_CLASS`]; a table
/// look-up costs fewer instructions than the range tests: callgrind). A letter or a digit:
const ALNUM_BYTE: u8 = 1;
/// A letter, a digit or `_`: a byte of a word for [`has_word`] and [`word_at`].
const WORD_BYTE: u8 = 2;
/// A letter, a digit or `-`: a byte of a word for [`nearest_cue`].
const CUE_WORD_BYTE: u8 = 4;
/// A letter, a digit, `.` or `-`: a byte of a mailbox's domain ([`personal_mailbox_at`]).
const DOMAIN_BYTE: u8 = 8;
/// A byte of a domain or `_`: a byte of a mailbox's local part ([`local_part_before`]).
const LOCAL_BYTE: u8 = 16;

static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() {
            t[c] = ALNUM_BYTE | WORD_BYTE | CUE_WORD_BYTE | DOMAIN_BYTE | LOCAL_BYTE;
        } else if b == b'_' {
            t[c] = WORD_BYTE | LOCAL_BYTE;
        } else if b == b'-' {
            t[c] = CUE_WORD_BYTE | DOMAIN_BYTE | LOCAL_BYTE;
        } else if b == b'.' {
            t[c] = DOMAIN_BYTE | LOCAL_BYTE;
        }
        c += 1;
    }
    t
};

/// Is `b` of any of the classes in `class` (bits of [`BYTE_CLASS`])?
#[inline(always)]
fn byte_in(b: u8, class: u8) -> bool {
    BYTE_CLASS[usize::from(b)] & class != 0
}

/// Whole-word, case-insensitive: does any of `words` occur in `hay`?
fn has_word(hay: &str, words: &Words) -> bool {
    // Word lists are lowercase; only word starts are tried, and only words whose first byte
    // matches. A position qualifies when it does not continue a word (`i == 0`, or the byte
    // before or the byte itself is not a word byte); when every list word starts with a word
    // byte that is exactly a word start, found eight bytes at a time.
    let h = hay.as_bytes();
    let mut i = 0;
    if !words.nonword_first {
        let mut carry = 0u64;
        while let Some(chunk) = h.get(i..i + 8) {
            let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
                break;
            };
            let w = word_bytes(u64::from_le_bytes(bytes));
            let mut starts = w & !((w << 8) | carry);
            carry = (w >> 56) & 0x80;
            while starts != 0 {
                let k = i + (starts.trailing_zeros() / 8) as usize;
                starts &= starts.wrapping_sub(1);
                if words.first_may(h[k]) && word_at(h, k, words) {
                    return true;
                }
            }
            i += 8;
        }
    }
    for i in i..h.len() {
        if !words.first_may(h[i]) {
            continue;
        }
        if i > 0 && is_word_byte(h[i - 1]) && is_word_byte(h[i]) {
            continue;
        }
        if word_at(h, i, words) {
            return true;
        }
    }
    false
}

/// `has_word(a, words) || has_word(b, words)` for two windows of the text that both end at
/// offset `end`, with one search: the shorter window is the end of the longer one, so every
/// position it tries is tried in the longer one with the same bytes around it, except its first
/// position when that continues a word in the longer one; that one is tried on its own.
fn has_word_either(a: &str, b: &str, end: usize, words: &Words) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let start_of = |h: &str| end - h.len();
    if has_word(long, words) {
        return true;
    }
    // The short window's first position: a word start for `has_word(short)` whatever precedes
    // it; every later position is one of `long`'s with the same bytes around it.
    let (sl, ss) = (start_of(long), start_of(short));
    ss > sl && {
        let h = short.as_bytes();
        let lb = long.as_bytes();
        // Already tried in `long` when it is a word start there too.
        let k = ss - sl;
        let start_in_long =
            !(is_word_byte(lb[k - 1]) && h.first().is_some_and(|&c| is_word_byte(c)));
        !start_in_long && h.first().is_some_and(|&c| words.first_may(c)) && word_at(h, 0, words)
    }
}

/// Does a word of `words` start at `h[i]` and end at a word end (or with a non-word byte)?
#[inline]
fn word_at(h: &[u8], i: usize, words: &Words) -> bool {
    // A word that matches shares its first two bytes with the text (up to case), or is one
    // byte long and ends at a byte that is not a letter (its bucket's second part, 26).
    words.bucket(bucket2(h[i], h.get(i + 1).copied())).any(|j| {
        let e = i + usize::from(words.order_lens[usize::from(j)]);
        e <= h.len() && {
            let wb = words.ordered(j);
            eq_lower(&h[i..e], wb)
                && (e == h.len() || !is_word_byte(h[e]) || !is_word_byte(wb[wb.len() - 1]))
        }
    })
}

/// Bit 7 of each byte of the result is set where that byte of `x` is a word byte
/// (`[A-Za-z0-9_]`, as [`is_word_byte`]); the other bits are clear.
#[inline]
fn word_bytes(x: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Per byte, on the low seven bits (so no add carries into the next byte): `v + (0x80 - k)`
    // has bit 7 set exactly when `v >= k`.
    let low7 = x & !HIGH;
    let folded = low7 | (0x20 * ONES);
    let letter =
        folded.wrapping_add((0x80 - 0x61) * ONES) & !folded.wrapping_add((0x80 - 0x7b) * ONES);
    let digit = low7.wrapping_add((0x80 - 0x30) * ONES) & !low7.wrapping_add((0x80 - 0x3a) * ONES);
    let underscore = !(low7 ^ (0x5f * ONES)).wrapping_add(0x7f * ONES);
    (letter | digit | underscore) & !x & HIGH
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

/// Up to `n` bytes before `at`, across lines.
fn before(t: &str, at: usize, n: usize) -> &str {
    let mut from = floor_cb(t, at.saturating_sub(n));
    // Not the tail of a word cut by the window ("his" of "this morning").
    let b = t.as_bytes();
    if from > 0 && b[from - 1].is_ascii_alphanumeric() {
        while from < at && b[from].is_ascii_alphanumeric() {
            from += 1;
        }
    }
    &t[from..at]
}

/// The last alphanumeric word of `s` after trimming the ASCII bytes `trim` from its end, as
/// `s.trim_end_matches(..).rsplit(|c| !c.is_alphanumeric()).next()` would give it; bytes only
/// unless a non-ASCII char is in the way.
#[inline]
fn last_word<'a>(s: &'a str, trim: &[u8]) -> &'a str {
    let b = s.as_bytes();
    let mut p = b.len();
    while p > 0 && trim.contains(&b[p - 1]) {
        p -= 1;
    }
    let mut q = p;
    // (A table look-up a byte: fewer instructions than the two range tests; callgrind.)
    while q > 0 && byte_in(b[q - 1], ALNUM_BYTE) {
        q -= 1;
    }
    if q > 0 && !b[q - 1].is_ascii() {
        return s[..p]
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
    }
    &s[q..p]
}

/// The word before `w`, a slice of `text` that [`last_word`] gave (the owner of a keyword, the
/// word before a name), read the same way within the 24 bytes before it.
fn word_before<'a>(text: &'a str, w: &str, trim: &[u8]) -> &'a str {
    let o = (w.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    last_word(before(text, o.min(text.len()), 24), trim)
}

/// The document-wide facts rules need: signature blocks, whether this is staff-to-staff mail.
struct Doc<'a> {
    text: &'a str,
    /// Byte offsets of every `\n`, ascending: finding the line around an offset is a binary
    /// search instead of a scan back through the text for every candidate.
    nl: Vec<usize>,
    /// The answer of the last [`Self::line_index`] call: candidates come in text order, so the
    /// next look-up is usually on the same line or the one after it.
    last_line: std::cell::Cell<usize>,
    /// Byte ranges of signature blocks (after a closing line).
    sigs: Vec<(usize, usize)>,
    /// The answer of the last [`Self::in_sig`] search (see [`Self::last_line`]).
    last_sig: std::cell::Cell<usize>,
    /// Staff-to-staff mail: greetings name colleagues, not patients.
    internal: bool,
    /// A personal mailbox appears: the mail is to or from a patient.
    consumer: bool,
    /// Orders, invoices, shipments: vendor business mail.
    business: bool,
    /// The sender is a personal mailbox: the signature block is the patient's own.
    from_consumer: bool,
    /// The display name of the first `From:` header at an organisation's mailbox: the writer,
    /// who is staff wherever else the mail names them ("Contact: Luis Ortega, (414) ...").
    writer: Option<&'a str>,
    /// The domain of that `From:` mailbox: a name followed by a mailbox there is a colleague's
    /// ("Kim Tran (ktran@cedarbluffdermatology.net), she covers when I'm out").
    writer_domain: Option<&'a str>,
    /// A "From:" or "To:" mailbox is an organisation's office that does not deal with care
    /// (careers@, volunteers@, foundation@, facilities@, security@, pricing@): the private
    /// person writing to it is an applicant, a donor or a neighbour, not a patient.
    nonclinical_office: bool,
    /// The first `Subject:` says the mail is about a clinician's enrollment with health plans
    /// or credentialing ("payer enrollment status"): member numbers in it are the clinician's.
    enrollment_subject: bool,
    /// The first `Subject:` says the mail is about hiring: interviews with candidates for a post
    /// ("MA interviews Thu 3/12"). The names in it are applicants', its dates the interviews'.
    hiring: bool,
    /// The first `Subject:` says the mail is a mailbox's automatic reply ("Automatic reply:",
    /// "Out of Office:"): its dates are the writer's absence, its names and numbers colleagues'
    /// to turn to.
    auto_reply: bool,
    /// A donor's thank-you letter or receipt, to a private person ([`donor_letter`]): the
    /// names in it are the donor's and those the gift honours, the care it speaks of the
    /// organisation's work.
    donor_receipt: bool,
    /// The offset of each `From:` header line, in text order. The text after one, up to the
    /// next, is that writer's (in a reply chain, each quoted message has its own header).
    froms: Vec<usize>,
    /// The offset of each `To:` header line, in text order.
    tos: Vec<usize>,
    /// The offset of each quoted `From:` or `To:` header line ("> From: bri coles <...>"), in
    /// text order (not in `froms` or `tos`: a quoted message is no block of its own).
    quoted_heads: Vec<usize>,
    /// Lines that start with a meeting's roll-call label ("Attendees:", "Present:"): each line's
    /// start and where its label ends, in text order.
    roll_calls: Vec<(usize, usize)>,
    /// Where the first [`SUBJECT_LINES`] unquoted "Subject:" headers start (their "S"), in
    /// text order, and how many there are (a fixed array: most mail has one to three).
    subject_lines: ([usize; SUBJECT_LINES], usize),
    /// The first labels of the mail domains in the text ("oakviewcommons" of
    /// `jfortier@oakviewcommons.com`), at most [`MAX_DOMAINS`], six bytes or longer: a
    /// capitalised run that spells one is that organisation's name ("Oakview Commons").
    domains: Vec<(usize, usize)>,
    /// The first subject line is about the organisation's equipment ("Annual calibration -
    /// Cedar Ridge (2 locations)", "Asset tags"): serial numbers in it are machines'.
    equipment_subject: bool,
    /// The first `Subject:` line, after its header name.
    first_subject: Option<&'a str>,
    /// The answer of [`Doc::security_alert_subject`], asked for a personal mailbox or a public
    /// address only.
    security_alert: std::cell::OnceCell<bool>,
    /// The mail speaks of a preventive maintenance visit (asked for a serial number only, and
    /// answered once: [`Doc::maintenance_visit`]).
    maintenance_visit: std::cell::OnceCell<bool>,
    /// A supplier's "Customer:" field names an organisation (asked for a serial number only,
    /// and answered once: [`Doc::organisation_customer`]).
    organisation_customer: std::cell::OnceCell<bool>,
    /// The year the message was sent ([`message_year`]), asked for a birth date only and
    /// answered once.
    sent_year: std::cell::OnceCell<Option<u16>>,
}

impl<'a> Doc<'a> {
    /// Does the first subject line warn of phishing or another attack ("ALERT: Fake \"Clearwater
    /// Medical Supply\" invoice e-mails - do not open")? Then the mailboxes and public addresses
    /// in the body are the attacker's (blind set ST).
    fn security_alert_subject(&self) -> bool {
        *self.security_alert.get_or_init(|| {
            self.first_subject.is_some_and(|l| {
                has_word(
                    l,
                    words![
                        "phishing",
                        "phish",
                        "scam",
                        "scams",
                        "spoofed",
                        "spoofing",
                        "fraudulent",
                        "fake",
                        "do not open",
                        "do not click",
                        "malware"
                    ],
                )
            })
        })
    }

    /// Does a line start with a supplier's "Customer:" field that names an organisation
    /// ("Customer:        Riverbend Medical Center - Wound/HBO building (Acct RMC-88104)")?
    /// Then the serial numbers in the mail are the customer's equipment (a bulk oxygen tank's,
    /// blind set ST), not a patient's device. Searched the first time a serial number asks.
    fn organisation_customer(&self) -> bool {
        *self.organisation_customer.get_or_init(|| {
            let b = self.text.as_bytes();
            CUSTOMER_FIELD.find_iter(b).any(|k| {
                let ls = self.line_start(k);
                let Some(c) = k.checked_sub(1) else {
                    return false;
                };
                if !b[c].eq_ignore_ascii_case(&b'c') || !b[ls..c].iter().all(|&x| x == b' ') {
                    return false;
                }
                let value = self.after_line(k + 8, 120);
                ends_with_legal_form(value)
                    || has_word(
                        value,
                        words![
                            "medical center",
                            "hospital",
                            "clinic",
                            "health",
                            "healthcare",
                            "pharmacy",
                            "practice",
                            "associates",
                            "group",
                            "center",
                            "centre"
                        ],
                    )
            })
        })
    }

    /// The year the message was sent ([`message_year`]), read once.
    fn sent_year(&self) -> Option<u16> {
        *self.sent_year.get_or_init(|| message_year(self.text))
    }

    /// Does the mail speak of a preventive maintenance visit (a service company's, to the
    /// organisation's machines)? Searched the first time a serial number asks.
    fn maintenance_visit(&self) -> bool {
        *self.maintenance_visit.get_or_init(|| {
            let b = self.text.as_bytes();
            // A service company's field service desk confirming a visit to the organisation's
            // machine ("From: Summit Biomedical Field Service <fieldservice@...>", "Subject:
            // Service Confirmation - ... TrueBeam SN H192217"), or its engineer writing
            // ("semi-annual PM on US1 (Logiq E10, SN LE10-221847)" over "Field Service
            // Engineer").
            let field_service = || {
                self.froms.first().is_some_and(|&f| {
                    has_word(self.header_line(f), words!["field service", "fieldservice"])
                })
            };
            PREVENTIVE_MAINTENANCE.find(b).is_some()
                || SERVICE_.find_iter(b).any(|k| {
                    b.get(k + 7..k + 15)
                        .is_some_and(|w| w.eq_ignore_ascii_case(b"engineer"))
                })
                || field_service()
        })
    }

    /// Is the message around `at` written by a member of staff: is the nearest `From:` header
    /// above it (for a `>`-quoted line, the attribution that introduces the quote) an
    /// organisation's mailbox? (Without a header above, nobody knows.)
    fn staff_writes_at(&self, at: usize) -> bool {
        if self.on_quoted_line(at) {
            // A quoted line's writer is the one its attribution names: a colleague when the
            // mailbox is at the domain of the mail's own writer.
            let Some((_, addr)) = self.quoted_attribution(at).and_then(header_mailbox) else {
                // ("> From: Lourdes Villanueva" quoted without a mailbox in staff-to-staff mail:
                // a colleague, blind batch 44's shift swap.)
                return self.internal && self.quoted_attribution(at).is_some();
            };
            let domain = addr.rsplit_once('@').map_or("", |(_, d)| d);
            // (And that writer is staff: "From: Ngozi Eze-Walters <ngozi@ezewalters.org>"
            // quoting herself is a patient at a domain of her own.)
            return self
                .writer_domain
                .is_some_and(|d| !domain.is_empty() && d.eq_ignore_ascii_case(domain))
                && self
                    .froms
                    .first()
                    .is_some_and(|&f| org_mailbox_line(self.header_line(f)));
        }
        // (A voice-mail system's notice is no member of staff's writing: its transcript is the
        // caller's words, "Please call me back at 937-555-0164".)
        self.writer_header_at(at)
            .is_some_and(|l| org_mailbox_line(l) && !voicemail_system_line(l))
    }

    /// Does the writer of the message block around `at` (from its `From:` header to the next;
    /// the whole text without one) speak of their own care ("I had my right leg vein ablation",
    /// "a work note for my colonoscopy")? Then "our HR" in it is the patient's employer's, even
    /// from a work mailbox. Asked only of a number after a fax word, so the block is lower-cased
    /// here, not kept. (Not for a quoted line: its writer is the attribution's.)
    fn writer_speaks_of_own_care(&self, at: usize) -> bool {
        if self.on_quoted_line(at) {
            return false;
        }
        let i = self.froms.partition_point(|&o| o <= at);
        let start = i.checked_sub(1).map_or(0, |k| self.froms[k]);
        let end = self.froms.get(i).copied().unwrap_or(self.text.len());
        // The writer's own lines, not the message they quote.
        let mut own = String::new();
        for line in self.text[start..end].lines() {
            if !line.trim_start().starts_with('>') {
                own.push_str(&line.to_ascii_lowercase());
                own.push('\n');
            }
        }
        // ("My date of birth is 11/30/1989 in case you need it to look me up": blind set QF.)
        writes_of_own_care(&own) || my_one_of(&own, words!["date of birth", "dob"])
    }

    /// Is the text at `at` written by a private person: the `From:` header above it (or, on a
    /// quoted line, the attribution "On ..., Theresa Baird <tbaird.home@yahoo.com> wrote:")
    /// names a personal mailbox? Then "Hi Megan," there greets the practice's staff.
    fn consumer_writes_at(&self, at: usize) -> bool {
        if self.on_quoted_line(at)
            && let Some(attribution) = self.quoted_attribution(at)
        {
            return mentions_consumer_mail(attribution);
        }
        // (Quoted without an attribution: the "> From:" header above, as unquoted.)
        self.writer_header_at(at)
            .is_some_and(mentions_consumer_mail)
    }

    /// Does the line holding `at` start (after spaces) with a quote mark `>`?
    fn on_quoted_line(&self, at: usize) -> bool {
        self.text[self.line_start(at)..at]
            .trim_start()
            .starts_with('>')
    }

    /// The attribution a quoted line at `at` is under ("On Tue, ... Priya Nguyen
    /// <pnguyen@riverbendrecovery.org> wrote:", within 4 KB above): its line up to "wrote:", so
    /// a mailbox in it is the attribution's own, not an "@" further up.
    fn quoted_attribution(&self, at: usize) -> Option<&'a str> {
        let head = &self.text[floor_cb(self.text, at.saturating_sub(4096))..at];
        let w = head.rfind("wrote:")?;
        Some(&head[head[..w].rfind('\n').map_or(0, |k| k + 1)..w])
    }

    /// The `From:` header line of the message block `at` is in (the last one above it).
    fn writer_header_at(&self, at: usize) -> Option<&'a str> {
        let i = self.froms.partition_point(|&o| o < at);
        i.checked_sub(1).map(|k| self.header_line(self.froms[k]))
    }

    /// The header line that starts at `from`, at most its first 300 bytes (a line may be
    /// megabytes, and this is asked once per candidate).
    fn header_line(&self, from: usize) -> &'a str {
        let end = self.line_end(from).min(from + 300);
        self.text[from..floor_cb(self.text, end).max(from)].trim_start()
    }

    /// Offset just after the last line break before `at` (0 on the first line).
    fn line_start(&self, at: usize) -> usize {
        let i = self.line_index(at);
        if i == 0 { 0 } else { self.nl[i - 1] + 1 }
    }

    /// Offset of the first line break at or after `at` (the text length on the last line).
    fn line_end(&self, at: usize) -> usize {
        let i = self.line_index(at);
        self.nl.get(i).copied().unwrap_or(self.text.len())
    }

    /// Up to `n` bytes before `at`, not crossing a line break.
    fn before_line(&self, at: usize, n: usize) -> &'a str {
        let t = self.text;
        let from = floor_cb(t, at.saturating_sub(n)).max(self.line_start(at));
        &t[from..at]
    }

    /// [`Self::before_line`], except that a value opening its line after a line of prose
    /// wrapped mid-sentence ("... is their site superintendent (cell\n330-555-0123)") has that
    /// line's end before it: up to `n` bytes, the line break included.
    fn before_wrapped(&self, at: usize, n: usize) -> &'a str {
        let t = self.text;
        let ls = self.line_start(at);
        let lead = &t[ls..at];
        if ls == 0 || !lead.bytes().all(|c| c == b' ' || c == b'(') {
            // (`before_line`, with the line's start already found.)
            return &t[floor_cb(t, at.saturating_sub(n)).max(ls)..at];
        }
        let prev_ls = self.line_start(ls - 1);
        let prev = &t[prev_ls..ls - 1];
        let prose = prev.len() >= 40
            && prev
                .bytes()
                .last()
                .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b',' | b'('))
            && prev.split_whitespace().count() >= 6
            // (Mostly lower-case words: prose, not a heading or a list of codes.)
            && prev.bytes().filter(u8::is_ascii_lowercase).count() * 2
                > prev.bytes().filter(|c| !c.is_ascii_whitespace()).count()
            && !prev.trim_start().starts_with('>')
            && !prev.contains(['|', '\t']);
        if !prose {
            return &t[floor_cb(t, at.saturating_sub(n)).max(ls)..at];
        }
        &t[floor_cb(t, at.saturating_sub(n)).max(prev_ls)..at]
    }

    /// The text from the start of the `n`th line above the one of `at` up to `at`.
    fn lines_before(&self, at: usize, n: usize) -> &'a str {
        let i = self.line_index(at);
        let from = if i <= n { 0 } else { self.nl[i - n - 1] + 1 };
        &self.text[from..at]
    }

    /// Up to `n` bytes after `at`, not crossing a line break.
    fn after_line(&self, at: usize, n: usize) -> &'a str {
        let t = self.text;
        let to = ceil_cb(t, (at + n).min(t.len())).min(self.line_end(at));
        &t[at..to]
    }

    /// How many line breaks lie before `at` (`nl.partition_point(|&p| p < at)`): the last
    /// answer or the next one when they fit, else a binary search.
    #[inline]
    fn line_index(&self, at: usize) -> usize {
        let nl = &self.nl;
        let fits = |i: usize| {
            (i == 0 || nl.get(i - 1).is_some_and(|&p| p < at)) && nl.get(i).is_none_or(|&p| p >= at)
        };
        let last = self.last_line.get();
        if fits(last) {
            return last;
        }
        if last < nl.len() && fits(last + 1) {
            self.last_line.set(last + 1);
            return last + 1;
        }
        let i = nl.partition_point(|&p| p < at);
        self.last_line.set(i);
        i
    }

    fn in_sig(&self, at: usize) -> bool {
        // `sigs` is sorted and merged: how many start at or before `at`, by the last answer
        // when it still fits (look-ups come in text order), else a binary search.
        let sigs = &self.sigs;
        let fits = |i: usize| {
            (i == 0 || sigs.get(i - 1).is_some_and(|&(a, _)| a <= at))
                && sigs.get(i).is_none_or(|&(a, _)| a > at)
        };
        let mut i = self.last_sig.get();
        if !fits(i) {
            i = sigs.partition_point(|&(a, _)| a <= at);
            self.last_sig.set(i);
        }
        i > 0 && at < sigs[i - 1].1
    }
}

// Once per scan: kept out of line (callgrind: fewer instructions than inlined into `collect`).
#[inline(never)]
fn analyse<'a>(text: &'a str, business: bool, nl: Vec<usize>) -> Doc<'a> {
    let mut sigs = Vec::new();
    let mut has_to_org = false;
    let mut has_consumer = false;
    let mut subject: Option<&str> = None;
    let mut nonclinical_office = false;
    let mut from_consumer = false;
    let mut writer: Option<&'a str> = None;
    let mut writer_domain: Option<&'a str> = None;
    let mut froms = Vec::new();
    let mut tos = Vec::new();
    let mut quoted_heads = Vec::new();
    let mut roll_calls = Vec::new();
    let mut subject_lines = ([0; SUBJECT_LINES], 0);
    let bytes = text.as_bytes();
    let mut line_start = 0;
    for li in 0..=nl.len() {
        let line_end = nl.get(li).copied().unwrap_or(text.len());
        let ls = line_start;
        let off = line_end + 1;
        line_start = off;
        // The first byte that is not ASCII whitespace: when it is ASCII, it starts both the
        // trimmed line and `line.trim_start()`, so most lines are settled by that one byte.
        let Some(lb) = bytes.get(ls..line_end) else {
            continue;
        };
        let k = lb
            .iter()
            .position(|&c| !matches!(c, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r'));
        let Some(k) = k else { continue };
        let fb = lb[k];
        if fb == b'>' {
            let q = text[ls + k..line_end]
                .trim_start_matches(['>', ' '])
                .as_bytes();
            if q.get(..5).is_some_and(|h| h.eq_ignore_ascii_case(b"from:"))
                || q.get(..3).is_some_and(|h| h.eq_ignore_ascii_case(b"to:"))
            {
                quoted_heads.push(ls);
            }
        }
        if let Some(e) = roll_call_label(text, ls) {
            roll_calls.push((ls, e));
        }
        // Most lines: an ASCII first byte that starts no closing, no `--` and no `From:`, `To:`
        // or `Subject:` header, so no test below can hold (the same answers as running them).
        let subject_line = matches!(fb, b's' | b'S')
            && lb
                .get(k..k + 8)
                .is_some_and(|h| h.eq_ignore_ascii_case(b"subject:"));
        if subject_line && subject_lines.1 < SUBJECT_LINES {
            subject_lines.0[subject_lines.1] = ls + k;
            subject_lines.1 += 1;
        }
        // "Tom\n\nThomas J. Keane, Col. USA (Ret.)\nCommandant\n...": a line after a blank one
        // that opens with the writer's given name and holds the surname (from the `From:`
        // header) starts the writer's signature block, closing word or not. (Asked only of
        // lines opening with the given name's first byte.)
        if k == 0
            && let Some(w) = writer
            && w.as_bytes().first() == Some(&fb)
            && ls >= 2
            && bytes[..ls - 1].ends_with(b"\n")
            && writer_line(w, &text[ls..line_end])
        {
            let mut end = line_end + 1;
            let mut lines = 1;
            let mut titled = false;
            for l in text.get(end..).unwrap_or("").split('\n').take(5) {
                if l.trim().is_empty() {
                    break;
                }
                // (The line under the name is a title or an organisation, not a patient's
                // street or phone number: "Amadou Diallo\n308-555-0184" signs a patient's mail.)
                if lines == 1 {
                    titled = !l.bytes().any(|c| c.is_ascii_digit() || c == b'@');
                }
                lines += 1;
                end += l.len() + 1;
            }
            if lines >= 3 && titled {
                sigs.push((ls, end.min(text.len())));
            }
        }
        if fb.is_ascii()
            && !CLOSINGS.first_may(fb)
            && fb != b'-'
            && !matches!(fb, b'f' | b'F' | b't' | b'T')
            // (A line starting with "s" goes on only as a "Subject:" header, one with "D"
            // only as a Spanish "De:" header.)
            && !subject_line
            && (fb != b'D' || lb.get(k..k + 3) != Some(b"De:"))
        {
            continue;
        }
        let line = &text[ls..line_end];
        let t = if fb.is_ascii() && !CLOSINGS.first_may(fb) && fb != b'-'
            || trimmed_longer_than(line, CLOSING_MAX)
        {
            ""
        } else {
            line.trim().trim_end_matches([',', '!', '.', ':']).trim()
        };
        if !t.is_empty() && t.len() <= 24 && (CLOSINGS.eq_any(t) || t == "--" || t == "-- ") {
            // The next few non-empty lines are a signature.
            let mut end = off;
            let mut n = 0;
            let mut signed = "";
            // (The lines after this one, from `nl`: no search for their ends. After a last line
            // with no line break there are none, and the one empty line `split` would give there
            // changes no answer below.)
            let mut rest = (li + 1..=nl.len())
                .map(|j| &text[nl[j - 1] + 1..nl.get(j).copied().unwrap_or(text.len())]);
            for l in rest.by_ref() {
                end += l.len() + 1;
                n += 1;
                if n == 1 {
                    signed = l.trim();
                }
                if n >= 6 || (l.trim().is_empty() && n > 1) {
                    break;
                }
            }
            // "Thanks,\nSharon\n\nSharon Pickett | HR Generalist\n...": a first name under the
            // closing, a blank line, then the full signature block opening with that name.
            if n == 2
                && signed.len() >= 2
                && signed.len() <= 16
                && signed.bytes().all(|c| c.is_ascii_alphabetic())
                && let Some(next) = rest.next()
                && (next
                    .strip_prefix(signed)
                    .is_some_and(|r| r.starts_with(' ') && r.len() > 1)
                    // ("Thanks,\nTom\n\nThomas J. Keane, Col. USA (Ret.)": the writer's
                    // surname, from the `From:` header, on the block's first line.)
                    || writer.is_some_and(|w| writer_line(w, next)))
            {
                end += next.len() + 1;
                for l in rest.by_ref().take(5) {
                    if l.trim().is_empty() {
                        break;
                    }
                    end += l.len() + 1;
                }
            }
            sigs.push((off.min(text.len()), end.min(text.len())));
        }
        if fb.is_ascii() && !matches!(fb, b'f' | b'F' | b't' | b'T' | b's' | b'S' | b'D') {
            continue;
        }
        let lt = line.trim_start();
        if !matches!(
            lt.as_bytes().first(),
            Some(b'f' | b'F' | b't' | b'T' | b's' | b'S' | b'D')
        ) {
            continue;
        }
        // A Spanish mail program's header of a forwarded or quoted message ("-----Mensaje
        // original-----\nDe: Hector Quintanilla <hq72@hotmail.com>\nEnviado: ..."): its
        // writer's block starts there, as at a "From:" (blind batch 86). Only with a mailbox on
        // the line: "De:" also starts Spanish prose.
        if lt.starts_with("De:") && lt.contains('@') {
            froms.push(ls);
            continue;
        }
        if lt.get(..3).is_some_and(|h| h.eq_ignore_ascii_case("to:")) {
            tos.push(ls);
        }
        if lt.get(..5).is_some_and(|h| h.eq_ignore_ascii_case("from:")) {
            froms.push(ls);
            if mentions_consumer_mail(lt) {
                from_consumer = true;
            } else if writer.is_none() {
                // "From: Luis Ortega <lortega@larkfieldeye.com>": the writer, at an
                // organisation's mailbox.
                let name = lt[5..].split('<').next().unwrap_or("");
                let name = name.trim().trim_matches('"').trim();
                if lt[5..].contains('<') && !name.is_empty() && !name.contains('@') {
                    writer = Some(name);
                }
                writer_domain = lt
                    .split_once('@')
                    .map(|(_, d)| {
                        d.split(|c: char| c == '>' || c.is_whitespace())
                            .next()
                            .unwrap_or("")
                    })
                    .filter(|d| d.contains('.'));
            }
        }
        if (lt.get(..3).is_some_and(|h| h.eq_ignore_ascii_case("to:"))
            || lt.get(..5).is_some_and(|h| h.eq_ignore_ascii_case("from:")))
            && nonclinical_mailbox(lt)
        {
            nonclinical_office = true;
        }
        // (Read after the loop, and only in mail with a personal mailbox.)
        if subject.is_none()
            && lt
                .get(..8)
                .is_some_and(|h| h.eq_ignore_ascii_case("subject:"))
        {
            subject = Some(lt);
        }
        if lt.get(..3).is_some_and(|h| h.eq_ignore_ascii_case("to:")) {
            if mentions_consumer_mail(lt) {
                has_consumer = true;
            } else if lt.contains('@') {
                has_to_org = true;
            }
        }
    }
    // One walk over the '@'s: a personal mailbox anywhere (asked until one is found), and the
    // mail domains' first labels.
    // (A personal mailbox in a `From:` or `To:` header is one of them: not asked again.)
    let mut personal_found = from_consumer || has_consumer;
    let mut domains: Vec<(usize, usize)> = Vec::new();
    for at in memchr::memchr_iter(b'@', bytes) {
        if !personal_found && personal_mailbox_at(text, at) {
            personal_found = true;
        }
        let n = bytes[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        let d = (at + 1, at + 1 + n);
        if n >= 6
            && domains.len() < MAX_DOMAINS
            && bytes.get(d.1) == Some(&b'.')
            && !domains.contains(&d)
        {
            domains.push(d);
        }
    }
    if personal_found {
        has_consumer = true;
    }
    // "Subject: Interview confirmation - RN, Cardiac Step-Down (Req 26-04187)": hiring, an
    // office that does not deal with care.
    if has_consumer
        && subject.is_some_and(|l| {
            has_word(
                l,
                words![
                    "interview",
                    "requisition",
                    "applicant",
                    "candidate",
                    "hiring",
                    "job",
                    "position",
                    "resume",
                    "orientation",
                    "onboarding",
                    // "Welcome to ClearChart! Start date + first week": a new hire's.
                    "start date",
                    "first week",
                    // "Welcome to Northgate! Your first day - Monday, June 16".
                    "first day",
                    "new hire"
                ],
            )
        })
    {
        nonclinical_office = true;
    }
    // "MyNorthbridge Security <security-noreply@...>: New sign-in to your MyNorthbridge
    // account ... call our patient portal help line": a patient portal's alert, to a patient.
    // (Asked only of mail from or to such an office: one pass over the text.)
    // "Subject: Interview - RRT candidate Oluwaseun Bakare - Mon 3/17 1:00 PM", "DA interviews -
    // sedation assistant opening (Req #2025-04)": hiring, whoever writes.
    // "Subject: MA interviews Thu 3/12": a post's credential or role right before the word.
    let hiring = subject.is_some_and(|l| {
        // (A 'v' first, one vectorised look: most subjects have none.)
        memchr::memchr2(b'v', b'V', l.as_bytes()).is_some()
            && has_word(l, words!["interview", "interviews"])
            && (has_word(
                l,
                words![
                    "candidate",
                    "candidates",
                    "opening",
                    "req",
                    "applicant",
                    "position",
                    // ("CPE 2026-27 Residency interviews - Dec 4 & 5 schedule": a training
                    // programme's applicants, blind set XX.)
                    "residency",
                    "fellowship",
                    "internship",
                    "externship"
                ],
            ) || {
                let mut prev = "";
                l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                    .filter(|w| !w.is_empty())
                    .any(|w| {
                        // ("CF-SLP interviews": a clinical fellow in speech-language
                        // pathology, the credential after the hyphen.)
                        let post = prev.rsplit('-').next().unwrap_or(prev);
                        let job = words!["interview", "interviews"].eq_any(w)
                            && (CREDENTIALS.eq_any(prev)
                                || STAFF_ROLES.eq_any(prev)
                                || CREDENTIALS.eq_any(post));
                        prev = w;
                        job
                    })
            })
    });
    if hiring {
        nonclinical_office = true;
    }
    // "thank you for your generous gift of $2,500 ... a 501(c)(3) organization": a donor's
    // thank-you letter, from the organisation's giving side.
    // (Two passes over the text at most: see `donor_letter`.)
    let donor = has_consumer && donor_letter(text.as_bytes());
    if donor {
        nonclinical_office = true;
    }
    // (A gift of money, not of blood: "Thank you for your donation ... your hemoglobin was
    // low" is a blood centre's donor, its patient.)
    let donor_receipt = donor && gift_of_money(text.as_bytes());
    // (And a health plan's: "New sign-in to your Kestrel member account".)
    if nonclinical_office
        && text.as_bytes().windows(14).any(|w| {
            w.eq_ignore_ascii_case(b"patient portal") || w.eq_ignore_ascii_case(b"member account")
        })
    {
        nonclinical_office = false;
    }
    // "Subject: Dr. Villanueva - payer enrollment status as of 10/7": a clinician's enrollment
    // with health plans, whose numbers ("ProviderOne 210488102") are the clinician's.
    let enrollment_subject = subject.is_some_and(|l| {
        has_word(
            l,
            words![
                "credentialing",
                "recredentialing",
                "payer enrollment",
                "provider enrollment",
                "payer enrollments"
            ],
        )
    });
    let equipment_subject = subject.is_some_and(|l| {
        has_word(
            l,
            words![
                "calibration",
                "calibrations",
                "recalibration",
                // (Not "inventory": a sleep lab's weekly inventory of home test units lists
                // the one a patient has not brought back.)
                "asset",
                "assets",
                "preventive maintenance",
                // A telehealth cart's service case ("RE: Case 00418823 - Pine Street cart exam
                // camera not detected", blind set TI).
                "cart",
                // An IT desk's tickets ("RE: left monitor flickering - ticket IT-5521").
                "helpdesk",
                "help desk",
                "service desk",
                "workstation",
                "laptop",
                // A dental or surgical office's sterilizers ("Weekly spore test results").
                "spore",
                "sterilizer",
                "sterilizers",
                "autoclave",
                // A service company's visit ("PM visit confirmation - Work Order WO-882415").
                "work order",
                // A laboratory's instrument ("GelStation QC fail this AM", blind batch 44).
                "qc",
                "analyzer",
                "instrument",
                // A medical physicist's yearly survey of a mammography unit ("Annual MQSA
                // survey - Coach 2 unit").
                "mqsa",
                // A maker's service desk ("Service Request SR-2025-118204 updated - VS9 CBCT,
                // S/N VS9-22K0417", blind set RK), device management ("[Ticket #48213] Field
                // tablets not checking in to Intune", blind set RN; not "tablet": a remote
                // monitoring kit's tablet is the patient's).
                "service request",
                "intune",
                "mdm",
                // An imaging unit's accreditation ("Mammography Accreditation Renewal Notice -
                // Facility 210447 - Unit 2", blind set RQ).
                "accreditation",
                // A medication fridge's alarm ("RE: ALERT - Med Fridge 2 (Rm 114) HIGH TEMP").
                "fridge",
                "refrigerator",
                "freezer"
            ],
        ) || {
            // (At each '-': most subjects have none.) An IT ticket's or a facilities work
            // order's number ("RE: rooms 10-12 too warm - WO-10394", blind set TQ).
            let b = l.as_bytes();
            memchr::memchr_iter(b'-', b).any(|j| {
                j >= 2
                    && (&b[j - 2..j] == b"IT" || &b[j - 2..j] == b"WO")
                    && b.get(j + 1).is_some_and(u8::is_ascii_digit)
            }) || {
                // A service desk's incident ("[INC-0048812] Assigned to you: Outreach tablet
                // T-14 not syncing", "INC0048812", blind set UG).
                // (At each 'I' of the short line: a searcher built for "INC" each time cost
                // more than the search, callgrind.)
                memchr::memchr_iter(b'I', b).any(|j| {
                    b[j..].starts_with(b"INC")
                        && (j == 0 || !b[j - 1].is_ascii_alphanumeric())
                        && b.get(j + 3..)
                            .map(|r| r.strip_prefix(b"-").unwrap_or(r))
                            .is_some_and(|r| r.len() >= 5 && r[..5].iter().all(u8::is_ascii_digit))
                })
            }
        }
    });
    let auto_reply = subject.is_some_and(|l| {
        let v = l[8..].trim_start().as_bytes();
        [
            &b"automatic reply:"[..],
            b"auto reply:",
            b"auto-reply:",
            b"autoreply:",
            b"out of office",
        ]
        .iter()
        .any(|p| v.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)))
    });
    // Merge overlapping signature ranges so `in_sig` can binary-search.
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(sigs.len());
    for (a, b) in sigs {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let sigs = merged;
    Doc {
        text,
        nl,
        last_line: std::cell::Cell::new(0),
        sigs,
        last_sig: std::cell::Cell::new(0),
        internal: has_to_org && !has_consumer,
        consumer: has_consumer,
        business,
        from_consumer,
        writer,
        writer_domain,
        nonclinical_office,
        auto_reply,
        donor_receipt,
        hiring,
        enrollment_subject,
        froms,
        quoted_heads,
        tos,
        roll_calls,
        subject_lines,
        domains,
        equipment_subject,
        first_subject: subject,
        security_alert: std::cell::OnceCell::new(),
        maintenance_visit: std::cell::OnceCell::new(),
        sent_year: std::cell::OnceCell::new(),
        organisation_customer: std::cell::OnceCell::new(),
    }
}

/// Does `line` open with the given name of `writer` (a `From:` display name) and hold its
/// surname, in at most 80 bytes ("Thomas J. Keane, Col. USA (Ret.)" for "Thomas Keane")?
fn writer_line(writer: &str, line: &str) -> bool {
    let given = writer.split(' ').next().unwrap_or("");
    let surname = writer.rsplit(' ').next().unwrap_or("");
    line.len() <= 80
        && surname.len() >= 2
        && surname != writer
        && line.strip_prefix(given).is_some_and(|r| r.starts_with(' '))
        && line
            .split(|c: char| !c.is_alphabetic())
            .any(|x| x.eq_ignore_ascii_case(surname))
}

/// Words that say a vehicle is a person's, not the organisation's ("her car, plate ...").
const VEHICLE_OWNERS: &Words = &Words::new(&[
    "his", "her", "patient", "pt", "client", "my", "your", "their",
]);

/// How many mail domains [`Doc`] keeps (a long thread's later ones add little).
const MAX_DOMAINS: usize = 16;

/// Does the capitalised run spell a mail domain's first label of the text, word after word
/// ("Oakview Commons" and `oakviewcommons.com`), or its start before four letters or more
/// ("Laurel Hill" and `laurelhillseniorcare.com`)? Then it names that organisation.
fn run_is_a_domain(text: &str, doc: &Doc<'_>, run: &[Tok]) -> bool {
    let b = text.as_bytes();
    let total: usize = run.iter().map(|t| t.e - t.s).sum();
    doc.domains.iter().any(|&(a, z)| {
        (z - a == total || z - a >= total + 4) && {
            let mut k = a;
            run.iter().all(|t| {
                let ok = b[k..k + (t.e - t.s)].eq_ignore_ascii_case(&b[t.s..t.e]);
                k += t.e - t.s;
                ok
            })
        }
    })
}

/// Is the `From:` line `line` an organisation's mailbox: not a personal one, not a domain of
/// the writer's own ("Walt Abernathy <walt@abernathyfarm.net>"), and not a portal relaying a
/// patient's message?
fn org_mailbox_line(line: &str) -> bool {
    line.contains('@')
        && !mentions_consumer_mail(line)
        && !header_mailbox(line).is_some_and(|(d, a)| personal_domain(d, a))
        && !has_word(line, words!["portal", "myportal", "mychart"])
        && memchr::memmem::find(line.as_bytes(), b"portal@").is_none()
}

/// Does the text before a number end with "call you at", "text you at", "reach you at" or
/// "call you on" (any case)?
fn reader_is_called_at(before: &str) -> bool {
    let t = before.trim_end().as_bytes();
    [
        &b"call you at"[..],
        b"text you at",
        b"reach you at",
        b"call you on",
        b"phone you at",
    ]
    .iter()
    .any(|p| ends_with_word(t, p))
}

/// Is a number a pasted text thread's sender: alone at its line's start after a time stamp
/// ("[03/10 7:52 PM] ", "10:15 PM ", "[Tue 9:15 AM] "; a quote's `>` allowed), and a colon
/// right after it? Or at the line's start with no stamp, when the message after the colon
/// introduces its sender ("+1 (651) 555-0139: Hi this is mei-ling tsao's mom", blind set XM)?
fn chat_sender(line_before: &str, after: &str) -> bool {
    let Some(said) = after.trim_start_matches(' ').strip_prefix(':') else {
        return false;
    };
    let head = line_before.trim_start_matches(['>', ' ', '\t']).trim_end();
    if head.is_empty() {
        return opens_with_introduction(said);
    }
    let stamp = if let Some(inner) = head.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        inner
    } else {
        head
    };
    // (A time in it: digits, a colon, digits.)
    let b = stamp.as_bytes();
    (3..=24).contains(&stamp.len())
        && b.windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit())
        && stamp.bytes().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, b' ' | b':' | b'/' | b'-' | b',' | b'.')
        })
}

/// The greetings before a writer introduces themselves ("hi this is debbie", "hey its jada").
const HELLOS: &Words = words!["hi", "hey", "hello", "hiya"];

/// Does `said` open with its writer introducing themselves: perhaps a greeting ([`HELLOS`], a
/// comma allowed after it), then "this is", "its" or "it's" and more ("Hi this is mei-ling
/// tsao's mom", "hey its jaz")?
fn opens_with_introduction(said: &str) -> bool {
    let r = said.trim_start_matches(' ');
    let hello = r.split([' ', ',']).next().unwrap_or("");
    let r = if HELLOS.eq_any(hello) {
        r[hello.len()..].trim_start_matches([',', ' '])
    } else {
        r
    };
    ["this is ", "its ", "it's "]
        .iter()
        .any(|p| r.len() > p.len() && r.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes()))
}

/// Does the text before a number end with a voice-mail notice's "voicemail from", "voice
/// message from" or "voice mail from" (any case, a colon allowed)?
/// Is `before` (the line before a number) a form's field for the patient's phone: a word for
/// the patient or a relative, "phone", "cell" or "mobile", a colon and spaces ("Claimant
/// phone:", "Patient cell:")?
fn patient_phone_field(before: &str) -> bool {
    let t = before.trim_end().as_bytes();
    let Some(t) = t.strip_suffix(b":") else {
        return false;
    };
    let t = t.trim_ascii_end();
    let (head, kind) = match t.iter().rposition(|&c| c == b' ') {
        Some(k) => (t[..k].trim_ascii_end(), &t[k + 1..]),
        None => return false,
    };
    let who = &head[head
        .iter()
        .rposition(|c| !c.is_ascii_alphabetic())
        .map_or(0, |k| k + 1)..];
    words!["phone", "cell", "mobile", "tel", "telephone"].eq_any_bytes(kind)
        && words![
            // (Not "client": a courier's or a vendor's client is a business.)
            "claimant",
            "examinee",
            "patient",
            "pt",
            "member",
            "debtor",
            "guarantor",
            "subscriber",
            "parent",
            "guardian",
            "beneficiary",
            "applicant",
            "enrollee",
            "participant",
            "insured",
            "resident",
            "injured",
            "employee",
            "worker"
        ]
        .eq_any_bytes(who)
}

fn voicemail_caller_id(before: &str) -> bool {
    let t = before
        .trim_end()
        .trim_end_matches(':')
        .trim_end()
        .as_bytes();
    [
        &b"voicemail from"[..],
        b"voice mail from",
        b"voice message from",
    ]
    .iter()
    .any(|p| ends_with_word(t, p))
}

/// Is a `From:` header line a voice-mail system's ("From: Voicemail <vm-noreply@...>",
/// "Brightwater Phone System <voicemail@...>", "<noreply-vm@...>")? Its mail is a notice whose
/// transcript quotes a caller.
fn voicemail_system_line(line: &str) -> bool {
    let b = line.as_bytes();
    let has = |w: &[u8]| b.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w));
    has(b"voicemail")
        || has(b"voice mail")
        || has(b"phone system")
        || (has(b"-vm@") || has(b"vm-")) && (has(b"noreply") || has(b"no-reply"))
}

/// Does a header line hold an organisation's mailbox for an office that does not deal with
/// care ("careers@", "volunteers@", "foundation@", "facilities@", "security@", "pricing@",
/// "communityrelations@")?
fn nonclinical_mailbox(line: &str) -> bool {
    let b = line.as_bytes();
    memchr::memchr_iter(b'@', b).any(|i| {
        let local = local_part_before(b, i);
        // ("hr@": too short a part to look for inside other names.)
        // ("portal-security@", "Patient Portal <security@...>", "MyChart <security@...>": a
        // patient portal's sign-in alerts, to the patient.)
        let portal = || {
            local.windows(7).any(|w| w.eq_ignore_ascii_case(b"patient"))
                || b.windows(6).any(|w| w.eq_ignore_ascii_case(b"portal"))
                || b.windows(7).any(|w| w.eq_ignore_ascii_case(b"mychart"))
        };
        // (The office first: few mailboxes are one, and the portal test reads the whole line.)
        (local.eq_ignore_ascii_case(b"hr") || NONCLINICAL_OFFICES_AC.is_match(local)) && !portal()
    })
}

/// Does a phrase of a donor's thank-you letter occur in `b` ("a 501(c)(3) organization", "your
/// generous gift", "your donation", "tax-deductible"; as written)? See `analyse`.
fn donor_letter(b: &[u8]) -> bool {
    // Two passes instead of one per phrase (callgrind): one over the rare bytes '(' and 'x',
    // each phrase looked for around them, and one for "your ".
    let at = |k: usize, back: usize, p: &[u8]| {
        k >= back && b.get(k - back..).is_some_and(|r| r.starts_with(p))
    };
    let phrase = memchr::memchr2_iter(b'(', b'x', b).any(|k| match b[k] {
        b'(' => at(k, 3, b"501(c)(3)"),
        _ => at(k, 2, b"tax-deductible"),
    }) || YOUR
        .find_iter(b)
        .any(|k| at(k, 0, b"your generous gift") || at(k, 0, b"your donation"));
    // ("Resident fees are not tax-deductible": a nonprofit's receipt for a fee, a recovery
    // residence's rent, no gift; blind batch 75. Looked for only after a phrase.)
    phrase && memchr::memmem::find(b, b"not tax").is_none()
}

/// Does a donor's letter ([`donor_letter`]) speak of a gift of money: a tax receipt's words
/// ("501(c)(3)", "tax-deductible", "No goods or services were provided") or "your generous
/// gift"? (Not "your donation" alone: a blood centre thanks its donors so.)
fn gift_of_money(b: &[u8]) -> bool {
    [
        &b"501(c)(3)"[..],
        b"tax-deductible",
        b"tax deductible",
        b"goods or services",
        b"your generous gift",
    ]
    .iter()
    .any(|p| memchr::memmem::find(b, p).is_some())
}

/// Finds "preventive maintenance" (a serial number's context; built once: a searcher built per
/// message costs more than the search, callgrind).
static PREVENTIVE_MAINTENANCE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"preventive maintenance"));

/// Finds "ervice " (before "engineer" in any case: "Field Service Engineer", a serial number's
/// context, [`Doc::maintenance_visit`]; built once).
static SERVICE_: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"ervice "));

/// Finds "your " ([`donor_letter`]; built once).
static YOUR: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"your "));

/// Parts of an office mailbox's name that say it does not deal with care (see
/// [`nonclinical_mailbox`]).
static NONCLINICAL_OFFICES_AC: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build([
                "career",
                "jobs",
                "recruit",
                "talent",
                "volunteer",
                "foundation",
                "giving",
                "donat",
                "philanthrop",
                "facilit",
                "security",
                "parking",
                "community",
                "media",
                "press",
                "marketing",
                "pricing",
                "events",
                "humanresources",
                "payroll",
                "onboard",
            ])
            .expect("built-in words are valid")
    });

/// Is `line.trim().trim_end_matches([',', '!', '.', ':']).trim()` certainly longer than `max`
/// bytes? Worked out on bytes; `false` (not certain) when a non-ASCII char sits where Unicode
/// whitespace could be trimmed.
fn trimmed_longer_than(line: &str, max: usize) -> bool {
    let b = line.as_bytes();
    if b.len() <= max {
        return false;
    }
    // ASCII chars that `char::is_whitespace` accepts.
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r');
    let mut end = b.len();
    while end > 0 && ws(b[end - 1]) {
        end -= 1;
    }
    while end > 0 && matches!(b[end - 1], b',' | b'!' | b'.' | b':') {
        end -= 1;
    }
    while end > 0 && ws(b[end - 1]) {
        end -= 1;
    }
    let mut start = 0;
    while start < end && ws(b[start]) {
        start += 1;
    }
    let non_ascii_edge = |i: usize| b.get(i).is_some_and(|c| !c.is_ascii());
    if end == 0 || non_ascii_edge(end - 1) || non_ascii_edge(start) {
        return false;
    }
    end - start > max
}

/// Words and phrases that say a message is about a particular patient's care. Identifiers found
/// only on weak evidence (a name from the name lists, a number after "phone") make a message
/// PHI only next to one of these: without them, such mail is staff, vendor or newsletter mail
/// that names colleagues and volunteers (see [`crate::ScanResult::contains_phi`]).
const PATIENT_CONTEXT_LIST: &[&str] = &[
    "patient",
    "pt",
    "client",
    "dob",
    "d.o.b",
    "date of birth",
    // A workers' compensation claim's ("Claim #: NWM-WC-25-031877\n  Date of injury:
    // 03/07/2025", blind set SS).
    "date of injury",
    "injury date",
    // The same in Spanish, in a family's voice mail or message ("su fecha de nacimiento es dos
    // de mayo", "Tenemos cita el jueves", blind set TD).
    "fecha de nacimiento",
    "cita",
    "paciente",
    // One visit's date of service ("for CSN 210391556, DOS 03/04/2025: note says", blind set
    // ST), only with its date right after it ([`context_word_at`]): "claims with a DOS before
    // 1/1" is a billing rule.
    "dos",
    // ("Earl Messner passed away at home Saturday under hospice care.")
    "hospice care",
    // A diagnosis is one patient's ("Carmen Velez, DOS 02/12/2026, claim ... Dx was L91.0"),
    // not "the dx codes" of a coding tip ([`dx_in_general`]); "DOS" alone is also billing
    // staff's talk about rules ("claims with a DOS before ...").
    "dx",
    "mrn",
    "diagnosed",
    "discharged",
    "admitted",
    "refill",
    // "EMS invoice ... for the transport on 07/14/2025 at 21:10, their run # ...": an
    // ambulance's run with a patient (a camp's camper, blind batch 74).
    "transport on",
    // An occupational health clinic's hearing test of a worker ("Employee: Connor McBride ...
    // Baseline audiogram: 05/16/2019").
    "audiogram",
    "your appointment",
    "your appt",
    "your visit",
    "your follow-up",
    "your procedure",
    "your surgery",
    "your results",
    "your test",
    "your prescription",
    "your medication",
    "your medications",
    "your refill",
    "your bill",
    "your balance",
    "your statement",
    "your claim",
    "your son",
    "your daughter",
    "your child",
    "your mother",
    "your father",
    "your husband",
    "your wife",
    // Second person about one's own care ("check your PICC line", "draw your CBC"); not the
    // generic advice of a flyer ("see your doctor", "ask your pharmacist").
    "your infusion",
    "your picc",
    "your dressing",
    "your wound",
    "your labs",
    "your cbc",
    "your dose",
    "your insulin",
    "your oxygen",
    "your diagnosis",
    "your surgeon",
    "your therapist",
    "your copay",
    "your deductible",
    "your chart",
    "your scan",
    "your biopsy",
    "your referral",
    "your pregnancy",
    "my appointment",
    "my appointments",
    "my treatment",
    "my dose",
    "my doses",
    "my meds",
    "my diagnosis",
    "my surgery",
    "my procedure",
    "my results",
    "my labs",
    "my mother",
    "my father",
    "my son",
    "my daughter",
    "my husband",
    "my wife",
    "my medication",
    "my medications",
    "my prescription",
    "my doctor",
    // Care of someone named, and someone spoken of ("he", "her"): adding these made none of
    // the 126 messages without PHI in the dev and style corpora PHI.
    "appointment",
    "appt",
    "prescribed",
    "meds",
    "surgery",
    "procedure",
    "seen",
    "follow-up",
    "follow up",
    "called about",
    // A front desk's day ("Pham, Linh - hygiene, no-show, 2nd this year"): only patients
    // no-show. (Not "rebooked": "38% of replies were rebooked from the waitlist" is a rate.)
    "no-show",
    "no-showed",
    // A nurse's shorthand for one patient: "wife called 23:40 c/o increased agitation" (not
    // "c/o Beatrice Amankwah-Lowell", care of someone: see `context_word_at`), "Pls have CM
    // f/u today", "pronounced at home 03:52" (not "more pronounced").
    "c/o",
    "f/u",
    // A discharge or a stopped drug ("Ambrose, Walter - d/c planned 3/12", "d/c the
    // lisinopril"): one patient's either way (blind set RL).
    "d/c",
    "pronounced",
    // An outbreak's line list ("Onset 10/09 PM"); in mail to a whole group, like "surgery",
    // the department's daily work (`CARE_IN_GENERAL`). (Not "specimen": "Swift Specimen
    // Courier", "urine specimen collection kit" are a vendor's.)
    "onset",
    // One woman's state ("she is pregnant again, ~18 wks"; not a flyer's "not pregnant or
    // nursing"), and an outreach worker's visit to one household.
    "is pregnant",
    "she's pregnant",
    "pregnant again",
    "home visit",
    // Someone's stay ("was hospitalized 5/26-5/31"; not "the hospitalized elderly") and a
    // trial's participant ("Participant hospitalized out of state", "Participant can come to
    // Suite 118"; not "participant identifiers", "Participant Support").
    "was hospitalized",
    "been hospitalized",
    "is hospitalized",
    "participant hospitalized",
    "participant was",
    "participant is",
    "participant can",
    "participant has",
    "participant had",
    "participant reported",
    "participant called",
    // A health plan's or a ride broker's member ("member only speaks Vietnamese. Mrs. Pham
    // asked if the driver ...", blind set TX).
    "member only",
    "member is",
    "member was",
    "member has",
    "member had",
    "member uses",
    "member called",
    "member states",
    "member stated",
    "member reported",
    // A nursing home's form ("Resident: Mrs. Abernathy, Birchwood\nCurrent: Seroquel
    // (quetiapine) 50 mg PO qHS", a consultant pharmacist's dose reduction, blind set TW): the
    // label only, not a resident physician or a building's residents.
    "resident:",
    // A ride booked for someone ("Rider:  Chukwuemeka Okonkwo ... Mobility: ambulatory, uses
    // cane").
    // (Not "an orthodontia rider", "one other rider for the main corridors".)
    "rider:",
    "rider phone",
    "uses cane",
    "uses a cane",
    "uses a walker",
    "uses walker",
    // An injured worker's return to work ("He is released to FULL DUTY", "light duty in the yard
    // office", "was rechecked today").
    "full duty",
    "light duty",
    "modified duty",
    "work status",
    "rechecked",
    // Instructions to one patient ("keep taking the Biktarvy", "it's in your patient portal
    // under Documents").
    "keep taking",
    "stop taking",
    "your patient portal",
    // A parent's or a caregiver's access to one patient's portal account ("proxy access for
    // Oliver Lindqvist").
    "proxy access",
    // An employee health office's own patients, the staff ("HBsAb 8 (non-immune)", "excluded
    // from work day 5-21"). (Not "titer": "Hep B titer / TB  received" is a credentialing
    // packet's checklist.)
    "non-immune",
    "excluded from work",
    // A death investigation's subject ("CASE  DECEDENT  AGE  DOD", "next of kin notified"): a
    // medical examiner's or a hospital morgue's case. (Not "autopsy": "autopsy volume" is a
    // pathology group's business.)
    "decedent",
    "deceased",
    "cause of death",
    "manner of death",
    "next of kin",
    // ("plan Keshawn's graduated return to work": a rehabilitation programme's patient; 97 of
    // the style corpus's 108 messages that say it have PHI. Blind batch 78.)
    "return to work",
    "he",
    "she",
    "him",
    "his",
    "her",
];

static PATIENT_CONTEXT_AC: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            // (A DFA: fewer instructions a byte than the NFA the builder picks for this many
            // phrases, the same matches; callgrind.)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(PATIENT_CONTEXT_LIST)
            .expect("built-in phrases are valid")
    });

/// Does a [`PATIENT_CONTEXT_LIST`] phrase occur in `text` as whole words?
pub(crate) fn patient_context(text: &str) -> bool {
    let b = text.as_bytes();
    PATIENT_CONTEXT_AC
        .find_iter(text)
        .any(|m| context_word_at(b, m.start(), m.end()))
}

/// [`patient_context`], but only within `reach` bytes before or after one of `near` (byte
/// offsets, ascending). One binary search per phrase found: linear in the text whatever the
/// number of findings. In mail to a whole group ([`addressed_to_a_group`]) "he", "she" and
/// the like are colleagues, so only the other phrases count there.
pub(crate) fn patient_context_near(
    text: &str,
    near: &[usize],
    reach: usize,
    (staff, findings): (&[Span], &[crate::Finding]),
) -> bool {
    let b = text.as_bytes();
    // Asked only when a pronoun is found near weak evidence.
    let mut group: Option<bool> = None;
    // The starts of the names judged staff, ascending (sorted once, when a pronoun asks).
    let mut staff_starts: Option<Vec<usize>> = None;
    // Does the pronoun at `p` speak of a member of staff: is the last name before it one the
    // rules judged staff ("Dr. Okafor joins us March 1. She will see ...", "Her cell is ...",
    // said of a reporter named with her newspaper), within `reach`?
    let mut of_staff = |p: usize| {
        let starts = staff_starts.get_or_insert_with(|| {
            // (Not the correspondents in the headers: the mail calls them "I" and "you".)
            let mut v: Vec<usize> = staff
                .iter()
                .map(|s| s.0)
                .filter(|&x| !on_address_header(text, x) && !chat_speaker(text, x))
                .collect();
            v.sort_unstable();
            v
        });
        let last_staff = starts[..starts.partition_point(|&x| x < p)].last();
        last_staff.is_some_and(|&s| {
            // Any name found after the staff name and before the pronoun? (Findings are in
            // text order; only those between the two are looked at.)
            let from = findings.partition_point(|f| f.start_byte < s);
            let to = findings.partition_point(|f| f.start_byte < p);
            s + reach >= p
                && !findings[from..to.max(from)]
                    .iter()
                    .any(|f| f.label == Label::Person && f.start_byte > s)
        })
    };
    PATIENT_CONTEXT_AC.find_iter(text).any(|m| {
        // The first offset at or after `start - reach`; near enough if it is not past
        // `start + reach`.
        let k = near.partition_point(|&p| p + reach < m.start());
        near.get(k).is_some_and(|&p| p <= m.start() + reach)
            && context_word_at(b, m.start(), m.end())
            // ("No-show .............. 2": a report's row of counts, blind set SI.)
            && !b[m.end()..]
                .iter()
                .skip_while(|&&c| c == b' ')
                .take(2)
                .eq(b"..".iter())
            && !dx_in_general(text, m.start(), m.end())
            && !(PRONOUNS.eq_any(&text[m.start()..m.end()])
                && (*group.get_or_insert_with(|| {
                    addressed_to_a_group(text) || subject_about_staff(text)
                }) || of_staff(m.start())))
            // "a follow-up IM lined up in 90 minutes", "the surgery schedule": in mail to a
            // whole department, words about care in general are its daily work; "bring your
            // child's shot record" in mail to all of a school's families is every reader's.
            && !((CARE_IN_GENERAL.eq_any(&text[m.start()..m.end()])
                || text.as_bytes()[m.start()..].starts_with(b"your ")
                || text.as_bytes()[m.start()..].starts_with(b"Your "))
                && *group.get_or_insert_with(|| {
                    addressed_to_a_group(text) || subject_about_staff(text)
                }))
    })
}

/// The words of [`PATIENT_CONTEXT_LIST`] that speak of care as a department's daily work as
/// often as of one patient's ("the surgery schedule", "patients seen", "a follow-up IM"); in
/// mail to a whole group they do not count ([`patient_context_near`]). (Not "meds" or
/// "appointment": a hospice nurse's note to her team about one patient's comfort meds is PHI.)
const CARE_IN_GENERAL: &Words = words![
    "surgery",
    "procedure",
    "seen",
    "follow-up",
    "follow up",
    "onset"
];

/// Is the context word at `st..en` a "dx" spoken of in general ("the dx codes", "dx
/// pointers"), not one patient's diagnosis ("dx F33.1", "Dx was L91.0")?
fn dx_in_general(text: &str, st: usize, en: usize) -> bool {
    text[st..en].eq_ignore_ascii_case("dx") && {
        let next = text[en..].trim_start_matches([' ', '\t']);
        let w = &next[..next
            .bytes()
            .position(|c| !c.is_ascii_alphabetic())
            .unwrap_or(next.len())];
        ["code", "codes", "coding", "pointer", "pointers"]
            .iter()
            .any(|g| w.eq_ignore_ascii_case(g))
    }
}

/// The text from the start of `at`'s line to `at`, when the line starts at most `reach` bytes
/// back (or the text does).
fn line_head(text: &str, at: usize, reach: usize) -> Option<&str> {
    let head = before(text, at, reach);
    match head.rfind('\n') {
        Some(i) => Some(&head[i + 1..]),
        None if head.len() == at => Some(head),
        None => None,
    }
}

/// Is byte `at` on an address header line ("From:", "> To:", "Cc:")?
fn on_address_header(text: &str, at: usize) -> bool {
    // (At most 300 bytes back, so that many names on one long line cost linear time.)
    let Some(line) = line_head(text, at, 300) else {
        return false;
    };
    let line = line.trim_start_matches(['>', ' ', '\t']).as_bytes();
    [&b"from:"[..], b"to:", b"cc:", b"bcc:", b"reply-to:"]
        .iter()
        .any(|h| line.len() >= h.len() && line[..h.len()].eq_ignore_ascii_case(h))
}

/// Is the name at `at` a chat's speaker, alone on its line after the time in brackets ("[1:24
/// PM] Dana Whitcomb")? What they write below speaks of others: "he lies on that side" is
/// the patient (a pasted Teams chat, blind batch 80).
fn chat_speaker(text: &str, at: usize) -> bool {
    let Some(line) = line_head(text, at, 40) else {
        return false;
    };
    let line = line.trim_start();
    // (The name's line up to 41 bytes: a longer one is no speaker's label.)
    let rest = &text[at..ceil_cb(text, (at + 41).min(text.len()))];
    let end = at + rest.find('\n').unwrap_or(rest.len());
    // (The time in brackets, then the speaker's earlier names: "Whitcomb" is Dana's too.)
    line.starts_with('[')
        && line.find(']').is_some_and(|c| {
            line[..c].bytes().any(|b| b.is_ascii_digit())
                && line[c + 1..]
                    .bytes()
                    .all(|b| b.is_ascii_alphabetic() || matches!(b, b' ' | b'-' | b'\''))
        })
        && text[at..end].len() <= 40
        && !text[at..end].contains([':', ',', '.', '!', '?'])
}

/// Is the message's `Subject:` (in the first 2 KiB) about pay or hiring ("Payroll 12/11 - two
/// changes", "RE: Traveler RN for Medina - Danielle S.")? There "he" and "she" are staff.
fn subject_about_staff(text: &str) -> bool {
    let head = &text[..floor_cb(text, text.len().min(2048))];
    head.split('\n').any(|line| {
        let l = line.trim_start_matches(['>', ' ', '\t']);
        l.len() > 8
            && l.as_bytes()[..8].eq_ignore_ascii_case(b"subject:")
            && has_word(
                &l[8..],
                words![
                    "payroll",
                    "timesheet",
                    "timesheets",
                    "hiring",
                    "interview",
                    "candidate",
                    "applicant",
                    "traveler",
                    "onboarding",
                    "orientation",
                    "requisition",
                    "new hire",
                    // ("Feb QA scorecards - summary": agents' scores and coaching, "flag him
                    // for a side-by-side", blind set SW.)
                    "scorecard",
                    "scorecards",
                    "coaching",
                    // ("Certified Peer Counselor renewal & continuing ed hours": staff's
                    // credentials, blind set SX.)
                    "continuing ed",
                    "continuing education",
                    "ce hours",
                    "cme",
                ],
            )
    })
}

/// The text from `at` to the end of its line.
fn line_from(text: &str, at: usize) -> &str {
    let rest = &text[at..];
    &rest[..memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len())]
}

/// Is the subject line starting at `at` about new members of staff ("Facility clearance
/// request - 2 new hires", "Onboarding - new employees")? Then the names, birth dates and
/// licences in the mail are theirs. Not an occupational or employee health clinic's mail about
/// a new hire, its patient ("RE: new hire drug screen - Melnyk", "Re: vaccine records for
/// onboarding"). Asked by the verdict only of messages such findings would make PHI.
pub(crate) fn subject_about_new_hires(text: &str, at: usize) -> bool {
    let l = line_from(text, at);
    has_word(
        l,
        words![
            "new hire",
            "new hires",
            "new employee",
            "new employees",
            "onboarding",
            "new staff",
        ],
    ) && !has_word(
        l,
        words![
            "screen",
            "screening",
            "physical",
            "exam",
            "result",
            "results",
            "drug",
            "test",
            "tb",
            "titer",
            "fit",
            "injury",
            "vaccine",
            "vaccines",
            "immunization",
            "immunizations",
            "records",
            "health",
        ],
    )
}

/// Is the subject line starting at `at` an applicant's for a post ("RE: Application - EMT-B
/// full time - Tobias Anand", blind set SO)? Not "Medicaid application - ..." nor "Lloyds
/// application - what else do you need?": a word for a job, or a role or a credential in
/// capitals ("what else do you need" is no DO), must be there too. Asked by the verdict only
/// of the private mailboxes and names it would otherwise count.
pub(crate) fn subject_about_a_job_application(text: &str, at: usize) -> bool {
    let l = line_from(text, at);
    has_word(l, words!["application", "applicant", "resume"])
        && (has_word(
            l,
            words![
                "position",
                "job",
                "opening",
                "full time",
                "full-time",
                "part time",
                "part-time",
                "per diem",
                "prn",
                "career",
                "careers",
            ],
        ) || l
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .any(|w| {
                STAFF_ROLES.eq_any(w)
                    || CREDENTIALS.eq_any(w) && !w.bytes().any(|c| c.is_ascii_lowercase())
            }))
}

/// The pronouns of [`PATIENT_CONTEXT_LIST`].
const PRONOUNS: &Words = &Words::new(&["he", "she", "him", "his", "her"]);

/// Is the message addressed to a whole group: a greeting to one ("Hi all,", "Team:", "Good
/// morning everyone!") or a `To:` header naming one ("To: All Mercyvale Staff", "To: 4 West
/// RNs")? Looked for in the first 2 KiB, quoted lines included.
pub(crate) fn addressed_to_a_group(text: &str) -> bool {
    let head = &text[..floor_cb(text, text.len().min(2048))];
    let group_word = |w: &str| {
        words![
            "all",
            "everyone",
            "team",
            "folks",
            "colleagues",
            "friends",
            "y'all"
        ]
        .eq_any(w)
    };
    // (Lines split with `memchr`: this runs on most messages with a birth date or a relative.)
    let mut from = 0;
    let lines = memchr::memchr_iter(b'\n', head.as_bytes())
        .chain(std::iter::once(head.len()))
        .map(|nl| {
            let line = &head[from..nl];
            from = nl + 1;
            line.strip_suffix('\r').unwrap_or(line)
        });
    lines.into_iter().any(|line| {
        let l = line.trim_start_matches(['>', ' ', '\t']).trim_end();
        if l.len() >= 3 && l.as_bytes()[..3].eq_ignore_ascii_case(b"to:") {
            let to = &l[3..];
            return to
                .trim_start()
                .split(' ')
                .next()
                .is_some_and(|w| w.eq_ignore_ascii_case("all"))
                || has_word(
                    to,
                    words![
                        "staff",
                        "nurses",
                        "rns",
                        "physicians",
                        "providers",
                        "residents",
                        "volunteers",
                        "department",
                        "list",
                        "everyone",
                        "team",
                        "unit",
                        // A newsletter's list ("To: Rolling Forward subscribers <...>").
                        "subscribers",
                        "members",
                        // A school's or a practice's mailing to all its families ("To: HVSD
                        // Families <families@...>").
                        "families",
                        "parents",
                        // ("To: Transportation Provider Network <tp-network@...>".)
                        "network",
                    ],
                );
        }
        // A greeting line: at most a greeting word, then the group, then `,`, `!` or `:`.
        // ("Hi everyone!!")
        let body = l.trim_end_matches([',', '!', ':']);
        if body.len() == l.len() {
            return false;
        }
        // "Interpreters and schedulers,", "Parents & guardians:": two groups, named by role.
        let mut roles = body.split_whitespace();
        if let (Some(a), Some(and), Some(b), None) =
            (roles.next(), roles.next(), roles.next(), roles.next())
        {
            let plural = |w: &str| {
                w.len() >= 5
                    && w.ends_with('s')
                    && w.bytes().all(|c| c.is_ascii_alphabetic())
                    && w.bytes().skip(1).all(|c| c.is_ascii_lowercase())
            };
            if (and == "and" || and == "&") && plural(a) && plural(b) {
                return true;
            }
        }
        let mut ws = body.split_whitespace();
        let (Some(first), second, None) = (ws.next(), ws.next(), ws.next()) else {
            // "Good morning everyone": two greeting words.
            let w: Vec<&str> = body.split_whitespace().collect();
            return w.len() == 3 && w[0].eq_ignore_ascii_case("good") && group_word(w[2]);
        };
        match second {
            None => group_word(first),
            Some(g) => {
                words!["hi", "hello", "hey", "dear", "morning", "afternoon"].eq_any(first)
                    && group_word(g)
            }
        }
    })
}

/// A business's legal form, which ends its name ("Riverbend Allergy, Asthma & Immunology,
/// P.C.", "Harborline Billing LLC"). (Not "pc": "the Alaris PC unit".)
const LEGAL_FORMS: &Words = words![
    "p.c.", "p.c", "pllc", "llc", "inc", "inc.", "ltd", "ltd.", "llp"
];

/// Does `line` end with a business's legal form ([`LEGAL_FORMS`])? (Its last word: "(inc
/// 25-004851)" is an incident's number.)
fn ends_with_legal_form(line: &str) -> bool {
    let last = line.trim_end().rsplit([' ', ',']).next().unwrap_or("");
    LEGAL_FORMS.eq_any(last)
}

/// Words that end an organisation's name other than its legal form ("Westbrook FD",
/// "Harborline Medical Group").
const ORGANISATION_WORDS: &Words = words![
    "group",
    "associates",
    "hospital",
    "clinic",
    "township",
    "county",
    "district",
    "fd"
];

/// Is the [`PATIENT_CONTEXT_LIST`] match `b[start..end]` a word of its own (not a credential)?
fn context_word_at(b: &[u8], start: usize, end: usize) -> bool {
    let glued_before = start > 0 && is_word_byte(b[start - 1]);
    let glued_after = b.get(end).is_some_and(|&c| is_word_byte(c));
    // "Derrick Onwuachi, PT, DPT": a physical therapist's credential, not "patient".
    let credential = end - start == 2
        && b[start..end].eq_ignore_ascii_case(b"pt")
        && b.get(start.wrapping_sub(2)..start) == Some(b", ");
    let m = &b[start..end];
    // "patient satisfaction", "patient portal", "patient-facing": a kind of thing, not a person.
    // The letters right after the match and one space or hyphen.
    let next_word = || {
        let j = end + usize::from(matches!(b.get(end), Some(b' ' | b'-')));
        let k = j + b.get(j..).map_or(0, |r| {
            r.iter().take_while(|c| c.is_ascii_alphabetic()).count()
        });
        std::str::from_utf8(&b[j..k]).unwrap_or("")
    };
    // ("Client 4471 - corrections": a business's client number at its payroll service.)
    // ("Client #: 20-88417": a lab's account for the clinic.)
    let client_number = m.eq_ignore_ascii_case(b"client") && {
        let rest = &b[end..b.len().min(end + 16)];
        let rest = rest
            .strip_prefix(b" #:")
            .or_else(|| rest.strip_prefix(b" #"))
            .or_else(|| rest.strip_prefix(b" no.:"))
            .or_else(|| rest.strip_prefix(b" no:"))
            .unwrap_or(rest);
        let gap = rest.iter().take_while(|&&c| c == b' ').count();
        gap >= 1 && rest.get(gap).is_some_and(u8::is_ascii_digit)
    };
    // ("Scribe | Client | Provider", "Client ID: BVD-0318": a business's customers, as a
    // table's column or an account's field.)
    let client_field = m.eq_ignore_ascii_case(b"client") && {
        let rest = &b[end..b.len().min(end + 40)];
        let gap = rest.iter().take_while(|&&c| c == b' ').count();
        rest.get(gap) == Some(&b'|')
            || rest.len() >= 3 && rest[..3].eq_ignore_ascii_case(b" id")
            // ("Client:          Riverbend Allergy, Asthma & Immunology, P.C.": an IT or billing
            // vendor's customer, an organisation, in a ticket's fields.)
            || rest.get(gap) == Some(&b':') && {
                let line = &b[end + gap + 1..b.len().min(end + gap + 120)];
                let line = &line[..memchr::memchr(b'\n', line).unwrap_or(line.len())];
                std::str::from_utf8(line)
                    .is_ok_and(|l| ends_with_legal_form(l) || has_word(l, ORGANISATION_WORDS))
            }
    };
    // ("NO-SHOW RATE", "our no-show policy": a measure or a rule, no one's visit;
    // "Appointment types, templates": a system's.)
    let modifier = (m.eq_ignore_ascii_case(b"patient")
        || m.eq_ignore_ascii_case(b"client")
        || m.eq_ignore_ascii_case(b"no-show")
        || m.eq_ignore_ascii_case(b"appointment"))
        && PATIENT_AS_MODIFIER.eq_any(next_word())
        || client_number
        || client_field;
    // The word just before the match, when it is in `words`.
    let word_before_in = |words: &Words| {
        let before = b[..start].trim_ascii_end();
        let w = before.len()
            - before
                .iter()
                .rev()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
        std::str::from_utf8(&before[w..]).is_ok_and(|w| words.eq_any(w))
    };
    // "HIM" (health information management: "HIM imaging", "the HIM file room") is a
    // department, a pronoun only in text written in capitals ("GAVE HIM 2 MG"). (Not "SHE" or
    // "HER": in mixed case they are a pronoun stressed, "she said SHE is dizzy".)
    let him_department = m == b"HIM" && {
        let (lo, hi) = (start.saturating_sub(16), (end + 16).min(b.len()));
        b[lo..start]
            .iter()
            .chain(&b[end..hi])
            .any(u8::is_ascii_lowercase)
    };
    // "when a client is added late", "each patient gets": anyone, not someone in particular.
    // ("before the first patient", "new patient calls".)
    // ("pharmacies give those vaccines by appointment".)
    // "Our NPI for your referral forms", "your appointment line": the reader's paperwork or an
    // office's, not their care.
    let your_paperwork = m.len() > 5
        && m[..5].eq_ignore_ascii_case(b"your ")
        && words![
            "form",
            "forms",
            "partner",
            "partners",
            "process",
            "packet",
            "packets",
            "team",
            "office",
            "staff",
            "coordinator",
            "coordinators",
            "fax",
            "line",
            "portal",
        ]
        .eq_any(next_word());
    // ("A patient's name together with an appointment date IS PHI": any appointment.)
    let by_appointment = m.eq_ignore_ascii_case(b"appointment")
        && word_before_in(words!["by", "an", "any", "each", "every", "no"]);
    let anyone = (m.eq_ignore_ascii_case(b"patient") || m.eq_ignore_ascii_case(b"client"))
        && word_before_in(words![
            "a", "any", "each", "every", "per", "no", "first", "new", "other"
        ]);
    // "their test patient logins", "a mock patient": no one.
    let pretend = m.eq_ignore_ascii_case(b"patient")
        && word_before_in(words![
            "test",
            "sample",
            "example",
            "mock",
            "dummy",
            "demo",
            "fictitious",
            "standardized"
        ]);
    // "7 am - 6 pm PT", "12:00 PT": Pacific time.
    let time_zone = m.eq_ignore_ascii_case(b"pt") && {
        let before = b[..start].trim_ascii_end();
        let ends = |w: &[u8]| ends_with_word(before, w);
        ends(b"am")
            || ends(b"pm")
            || ends(b"a.m.")
            || ends(b"p.m.")
            || ends(b"noon")
            || matches!(before, [.., b':', d1, d2] if d1.is_ascii_digit() && d2.is_ascii_digit())
    };
    // "Each team member is asked to ...", "a board member has": a colleague, not a plan's
    // or a ride broker's member.
    let colleague_member = m.len() > 7
        && m[..7].eq_ignore_ascii_case(b"member ")
        && word_before_in(words![
            "team",
            "staff",
            "board",
            "committee",
            "crew",
            "faculty",
            "council",
            "panel",
            "each",
            "every",
            "a",
            "any",
            "no",
            "new",
            "union"
        ]);
    // "Patients seen: 1,482": a count.
    let count = m.eq_ignore_ascii_case(b"seen") && {
        let before = b[..start].trim_ascii_end();
        before.len() >= 8 && before[before.len() - 8..].eq_ignore_ascii_case(b"patients")
    };
    // "Procedure masks, ear loop": a product; "Policy & procedure index": a manual.
    let product = m.eq_ignore_ascii_case(b"procedure")
        && (words![
            "mask", "masks", "tray", "trays", "kit", "kits", "gloves", "room", "rooms", "manual",
            "manuals", "pack", "packs", "patients", "suite", "area", "unit"
        ]
        .eq_any(next_word())
            || {
                let before = b[..start].trim_ascii_end();
                let before = before
                    .strip_suffix(b"&")
                    .or_else(|| before.strip_suffix(b"and"))
                    .unwrap_or(b"")
                    .trim_ascii_end();
                before.len() >= 6 && before[before.len() - 6..].eq_ignore_ascii_case(b"policy")
            });
    // "is out for surgery", "off for her dad's surgery": a colleague's leave; "the surgery
    // waiting room", "Same-Day Surgery Center": a place.
    // "Cedar Bluff Dermatology & Skin Surgery": a specialty in an organisation's name.
    // "Managing Anticoagulated Patients for Oral Surgery", "Professor of Oral & Maxillofacial
    // Surgery": after a capitalised word (not "His Surgery"), a specialty's name.
    let in_org_name = m == b"Surgery" && {
        let before = &b[start.saturating_sub(40)..start];
        let mut words = before.split(|c| *c == b' ').rev().filter(|w| !w.is_empty());
        words.next().is_some_and(|w| {
            w[0].is_ascii_uppercase()
                && w.iter().all(u8::is_ascii_alphabetic)
                && !words!["his", "her", "their", "my", "your"].eq_any_bytes(w)
        })
    };
    let leave = (m.eq_ignore_ascii_case(b"surgery") || m.eq_ignore_ascii_case(b"procedure"))
        && (leave_for_surgery(&b[start.saturating_sub(40)..end])
            || names_a_department(&b[start..b.len().min(end + 12)]))
        || in_org_name;
    // "c/o" before a name or an organisation is "care of"; "complains of" goes on in lower
    // case. "Pronounced" is a death's only when the time or place follows.
    let not_shorthand = m.eq_ignore_ascii_case(b"c/o")
        && !b
            .get(end..)
            .and_then(|r| r.iter().find(|c| **c != b' '))
            .is_some_and(u8::is_ascii_lowercase)
        || m.eq_ignore_ascii_case(b"pronounced")
            && !words!["at", "dead", "by", "on"].eq_any(next_word());
    // "Follow-up from last Tuesday's presentation", "follow up on our call": a meeting's, not
    // a visit after care.
    let meeting_follow_up = (m.eq_ignore_ascii_case(b"follow-up")
        || m.eq_ignore_ascii_case(b"follow up"))
        && words!["from", "on", "to", "re", "after"].eq_any(next_word())
        && std::str::from_utf8(&b[end..b.len().min(end + 50)]).is_ok_and(|r| {
            has_word(
                r.split('\n').next().unwrap_or(""),
                words![
                    "meeting",
                    "call",
                    "presentation",
                    "conversation",
                    "demo",
                    "webinar",
                    "session",
                    "discussion",
                    "proposal",
                    "interview",
                    // ("Follow up on action items: AI-14 (delegation log signatures)", a
                    // monitor's visit plan, blind set SZ.)
                    "action items",
                    "action item"
                ],
            )
        });
    // "random pull from active + discharged in last 90 days": charts' status in an audit or a
    // report, no one discharged.
    let records_status = m.eq_ignore_ascii_case(b"discharged") && {
        let before = b[..start].trim_ascii_end();
        let before = [&b"+"[..], b"&", b"and", b"or", b"/"]
            .iter()
            .find_map(|j| before.strip_suffix(*j))
            .unwrap_or(b"")
            .trim_ascii_end();
        before.len() >= 6 && before[before.len() - 6..].eq_ignore_ascii_case(b"active")
    };
    // "agents must confirm TWO identifiers (name + DOB, or name + account)": the kinds of
    // identifier a caller is asked for, no one's birth date (blind set SW).
    let identifier_kind =
        (m.eq_ignore_ascii_case(b"dob") || m.eq_ignore_ascii_case(b"date of birth")) && {
            let before = b[..start].trim_ascii_end();
            let before = [&b"+"[..], b"&", b"and", b"/", b","]
                .iter()
                .find_map(|j| before.strip_suffix(*j))
                .unwrap_or(b"")
                .trim_ascii_end();
            before.len() >= 4
                && before[before.len() - 4..].eq_ignore_ascii_case(b"name")
                && before
                    .len()
                    .checked_sub(5)
                    .is_none_or(|i| !before[i].is_ascii_alphabetic())
                // (Not "name and DOB: Irma Delgado, 3/4/1950": a value follows.)
                && !b[end..b.len().min(end + 24)]
                    .iter()
                    .take_while(|&&c| c != b'\n')
                    .any(u8::is_ascii_digit)
        };
    // "DOS" counts only with its date right after it ("DOS 03/04/2025", "DOS: 3/4").
    let dos_without_date = m.eq_ignore_ascii_case(b"dos")
        && !b[end..]
            .iter()
            .find(|&&c| !matches!(c, b' ' | b':'))
            .is_some_and(u8::is_ascii_digit);
    !glued_before
        && !glued_after
        && !dos_without_date
        && !identifier_kind
        && !records_status
        && !not_shorthand
        && !meeting_follow_up
        && !your_paperwork
        && !credential
        && !in_mailbox_or_domain(b, start, end)
        && !pt_is_not_a_patient(b, start, end)
        && !modifier
        && !time_zone
        && !count
        && !leave
        && !pretend
        && !anyone
        && !by_appointment
        && !him_department
        && !product
        && !colleague_member
}

/// Is the context word at `start..end` part of a mailbox or a host name ("mwhitcombe@
/// keystonemotion-pt.com", "www.patientfirst-pt.org"): a word joined to the rest by `-`, `.`
/// or `@`, in a run of such bytes that holds an `@` or a dot?
fn in_mailbox_or_domain(b: &[u8], start: usize, end: usize) -> bool {
    let host = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'@');
    let joined = |c: Option<&u8>| matches!(c, Some(b'-' | b'.' | b'@'));
    if !(joined(start.checked_sub(1).and_then(|i| b.get(i))) || joined(b.get(end))) {
        return false;
    }
    // (A mailbox is at most 254 bytes: the look stays within that either way.)
    let from = start
        - b[start.saturating_sub(254)..start]
            .iter()
            .rev()
            .take_while(|c| host(c))
            .count();
    let to = end
        + b[end..b.len().min(end + 254)]
            .iter()
            .take_while(|c| host(c))
            .count();
    let run = &b[from..to];
    // (A dot that ends a sentence is not a host name's.)
    run.contains(&b'@')
        || run
            .trim_ascii_end()
            .strip_suffix(b".")
            .unwrap_or(run)
            .contains(&b'.')
}

/// Is a "PT" in capitals the discipline, not a patient: "Keystone Motion PT" (after a
/// capitalised word: a practice's name), "one PT + one PTA", "PT/OT", "PT & Rehab", "PT
/// staff", a rota's "PT" column beside "PTA"? Or a laboratory's proficiency testing or
/// prothrombin time ("CAP PT", "PT data entry", "PT worksheet", "PT/INR")?
fn pt_is_not_a_patient(b: &[u8], start: usize, end: usize) -> bool {
    if &b[start..end] != b"PT" {
        return false;
    }
    let before = &b[..start];
    // ("CAP PT": an accreditor's survey.)
    let after_cap = before.ends_with(b"CAP ");
    let prev_capitalised = before.last() == Some(&b' ') && {
        let w = before[..before.len() - 1]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        let word = &before[before.len() - 1 - w..before.len() - 1];
        w >= 2
            && word[0].is_ascii_uppercase()
            && word[1..].iter().all(u8::is_ascii_lowercase)
            && !words!["the", "a", "per", "if", "when", "and", "but", "so", "re"].eq_any_bytes(word)
    };
    let after = b[end..].trim_ascii_start();
    let next_word = &after[..after
        .iter()
        .position(|c| !c.is_ascii_alphabetic())
        .unwrap_or(after.len())];
    prev_capitalised
        || after_cap
        || matches!(after.first(), Some(b'+' | b'&' | b'/'))
        || words![
            "pta",
            "ot",
            "ota",
            "slp",
            "aide",
            "aides",
            "staff",
            "team",
            "department",
            "dept",
            "clinic",
            "clinics",
            "director",
            "manager",
            "student",
            "students",
            "coverage",
            "rotation",
            "services",
            "and",
            "data",
            "entry",
            "worksheet",
            "event",
            "events",
            "survey",
            "surveys",
            "sample",
            "samples",
            "program",
            "testing",
            "inr"
        ]
        .eq_any_bytes(next_word)
}

/// Words after "patient" (or "client") that make it a modifier of a service, a place, a
/// process or a count ("patient satisfaction scores", "patient registration", "patient
/// lists"), which speaks of no one's care: staff, quality and vendor mail are full of them.
const PATIENT_AS_MODIFIER: &Words = words![
    // ("Patient Scheduling Req   2   0": an in-basket's folder, blind batch 42.)
    "scheduling",
    "intake",
    "request",
    "requests",
    "req",
    "satisfaction",
    "messaging",
    "management",
    "areas",
    "area",
    "safety",
    "experience",
    "experiences",
    "registration",
    "access",
    "portal",
    "portals",
    "lists",
    "list",
    "records",
    "relations",
    "financial",
    "advocate",
    "advocates",
    "advocacy",
    "education",
    "flow",
    "transport",
    "transportation",
    "census",
    "volume",
    "volumes",
    "days",
    "privacy",
    "information",
    "data",
    "engagement",
    "services",
    "service",
    "representative",
    "representatives",
    "rooms",
    "grievance",
    "grievances",
    "complaints",
    // "Never forward patient e-mail" (the letters before the hyphen), "patient names",
    // "patient info": a kind of thing, in a policy reminder. ("Patient Ed committee", "patient
    // ed materials": education.)
    "ed",
    "e",
    "email",
    "emails",
    "mail",
    "names",
    "info",
    "feedback",
    "survey",
    "surveys",
    "scores",
    "scorecard",
    "scorecards",
    "outcomes",
    "population",
    "populations",
    "throughput",
    "identifiers",
    "identification",
    "falls",
    "centered",
    "facing",
    "parking",
    // ("Please don't park in the P1 patient spots.")
    "spots",
    "spot",
    "lounge",
    "meals",
    "handbook",
    "rights",
    "communication",
    "communications",
    "mailings",
    "accounts",
    "billing",
    // ("on the patient phone line": a department's line.)
    "phone",
    "liaison",
    "navigator",
    "navigators",
    "coordinator",
    "coordinators",
    "ambassadors",
    "sitter",
    "sitters",
    "escort",
    "escorts",
    "forms",
    "materials",
    "handouts",
    "wristbands",
    "armbands",
    "labels",
    "charts",
    "visits",
    "encounters",
    "mix",
    "panel",
    "panels",
    "assistance",
    "support",
    "care",
    "names",
    "logins",
    "login",
    "photos",
    "accounting",
    "success",
    "onboarding",
    "manager",
    "managers",
    "team",
    "agreement",
    "directory",
    "contracts",
    "level",
    "special",
    "specials",
    "reviews",
    "acquisition",
    "growth",
    "marketing",
    "recruitment",
    // A laboratory's clients are the offices that order from it ("client update", "client
    // offices", "added it to their client notes"); "a random sample of patient reports".
    "update",
    "updates",
    "offices",
    "notes",
    "reports",
    "rate",
    "rates",
    "policy",
    "policies",
    "fee",
    "fees",
    // Software's clients ("the surescripts client cert expires 4/2", "client ID").
    // A scheduling system's ("patient lookup", "appointment types, templates").
    "lookup",
    "lookups",
    "type",
    "types",
    "template",
    "templates",
    "reminder",
    "reminders",
    "slot",
    "slots",
    "cert",
    "certs",
    "certificate",
    "secret",
    "side",
    "library",
];

/// Is `addr` ("local@domain") a person's own domain, named after them: "Gideon Achebe-Lund
/// <gideon@achebelund.me>", "Tariq Al-Mansouri <tariq@almansouri.family>"? `display` is the
/// display name before it: two or three capitalised words, no title and no organisation word,
/// whose last word (without hyphens) is in the domain's first label, which has no trade in it
/// ("Harborfront Dental <frontdesk@harborfrontdental.com>", "Jordan Pike
/// <jpike@pikeweston-law.com>" are a business's).
pub(crate) fn personal_domain(display: &str, addr: &str) -> bool {
    let Some((_, domain)) = addr.split_once('@') else {
        return false;
    };
    let label: String = domain
        .split('.')
        .next()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let words: Vec<&str> = display
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| c == '"' || c == ','))
        .filter(|w| !w.is_empty())
        .collect();
    if !(2..=3).contains(&words.len())
        || !words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '.')
                && !ORG_WORDS.eq_any(w)
                && !ORG_AFTER.eq_any(w)
                && !TITLES.eq_any(w.trim_end_matches('.'))
                // ("Families List <families@lists.lakeshoreheart.org>": a mailing list.)
                && !words![
                    "list", "lists", "families", "family", "parents", "members", "patients",
                    "staff", "team", "news", "everyone", "friends"
                ]
                .eq_any(w)
        })
    {
        return false;
    }
    let surname: String = words[words.len() - 1]
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const TRADES: &[&str] = &[
        "med",
        "health",
        "care",
        "clinic",
        "dental",
        "dent",
        "pharm",
        "rx",
        "law",
        "legal",
        "group",
        "practice",
        "assoc",
        "ortho",
        "peds",
        "pediatric",
        "hospital",
        "surg",
        "rehab",
        "therapy",
        "lab",
        "imaging",
        "vision",
        "optom",
        "derm",
        "cardio",
        "onc",
        "insur",
        "benefit",
        "consult",
        "supply",
        "supplies",
        "plastics",
        "partners",
        "capital",
        "realty",
    ];
    // The mailbox is the person's own too: their first name, initials, or names
    // ("gideon@", "vb@", "d.achterberg@"), not a role ("hello@", "intake@", "rph@").
    let letters = |w: &str| -> String {
        w.chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let local = letters(addr.split('@').next().unwrap_or(""));
    let first = letters(words[0]);
    let initials: String = words
        .iter()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect();
    let initial = first.chars().next().map(String::from).unwrap_or_default();
    let own_mailbox = !local.is_empty()
        && [
            first.clone(),
            format!("{first}{surname}"),
            format!("{surname}{first}"),
            format!("{initial}{surname}"),
            surname.clone(),
            initials,
        ]
        .contains(&local);
    // The domain is the name, with at most the first name, an initial, a family word or a
    // one-person craft beside it ("achebelund", "okaforfamily", "castellanostudio"). A second
    // surname or a trade makes it a firm's: "nygaardlutz", "hollisdrug".
    let rest = label.replacen(&surname, "", 1);
    let name_only = [
        "",
        first.as_str(),
        initial.as_str(),
        "s",
        "the",
        "family",
        "fam",
        "home",
        "house",
        "studio",
        "design",
        "designs",
        "art",
        "arts",
        "photo",
        "photography",
        "music",
        "writes",
        "books",
    ]
    .contains(&rest.as_str());
    own_mailbox
        && surname.len() >= 4
        && label.contains(&surname)
        && name_only
        && !TRADES.iter().any(|t| label.contains(t))
}

/// The display name and address of a header line's mailbox written "Name <local@domain>", the
/// address ending before `at` or starting at it.
fn header_mailbox(line: &str) -> Option<(&str, &str)> {
    let lt = line.find('<')?;
    let gt = lt + line[lt..].find('>')?;
    let addr = &line[lt + 1..gt];
    let head = &line[..lt];
    // After the header name ("From:", "> To:") when there is one.
    let display = head.rsplit_once(':').map_or(head, |(_, d)| d);
    addr.contains('@').then_some((display.trim(), addr))
}

/// Does a personal mailbox occur in `hay` ([`personal_mailbox_at`] at any `@`)? A consumer
/// domain counts only as a whole domain: "me.com" is Apple's, "acme.com" is not, and
/// "example.org" is nobody's, "clinic.example.org" an organisation's.
fn mentions_consumer_mail(hay: &str) -> bool {
    memchr::memchr_iter(b'@', hay.as_bytes()).any(|i| personal_mailbox_at(hay, i))
}

/// Is the mailbox around the `@` at byte `at` a private person's: on a consumer domain
/// ([`consumer_domain`], the whole domain after the `@`), or with a local part that reads like a
/// person's ([`personal_local`])?
fn personal_mailbox_at(text: &str, at: usize) -> bool {
    let b = text.as_bytes();
    let rest = &b[at + 1..];
    let end = rest
        .iter()
        .position(|&c| !byte_in(c, DOMAIN_BYTE))
        .unwrap_or(rest.len());
    let local = local_part_before(b, at);
    // (ASCII bytes only: the slice ends on a char boundary.)
    let domain = text[at + 1..at + 1 + end].trim_end_matches('.');
    consumer_mailbox(local, domain) || end > 0 && personal_local(local) && !institutional(domain)
}

/// Do the two lines above `at` (at most 240 bytes) describe a clinician being credentialed or
/// insured ("Practitioner: Anjali R. Mehta, MD\nDOB: ...", "Professional liability ...\n
/// Policy #: ...") and name no patient? Their birth date,
/// policy and numbers are the clinician's, in a medical staff office's mail.
fn practitioner_block(doc: &Doc<'_>, at: usize) -> bool {
    // A record that holds a CAQH number, or a DEA registration with a licence and an NPI and
    // no word for a patient or a prescription, is a prescriber's ("DOB .............. 06/19/1984"
    // over "DEA .............. FS2640589" and "PA license ......." in a credentialing file;
    // "Provider DOB:       08/22/1990" under "CAQH ProView ID:", blind sets SY and TA): its
    // paragraph, up to blank lines and 300 bytes either way.
    // (Asked of every birth date: the window is searched for the capitals "DEA" and "CAQH"
    // first, by a vectorised search, and read word by word only when one is there.)
    let text = doc.text;
    let lo = floor_cb(text, at.saturating_sub(300));
    let hi = ceil_cb(text, (at + 300).min(text.len()));
    let wb = &text.as_bytes()[lo..hi];
    let dea = DEA_WORD.find(wb).is_some();
    let caqh = !dea && CAQH_WORD.find(wb).is_some();
    let paragraph = || {
        let b = text.as_bytes();
        let from = memchr::memmem::rfind(&b[lo..at], b"\n\n").map_or(lo, |k| lo + k + 2);
        let to = memchr::memmem::find(&b[at..hi], b"\n\n").map_or(hi, |k| at + k);
        &text[from..to]
    };
    if (dea || caqh) && {
        let para = paragraph();
        has_word(para, words!["caqh"])
            || dea
                && has_word(para, words!["dea"])
                && has_word(para, words!["license", "licence"])
                && has_word(para, words!["npi"])
                && !has_word(
                    para,
                    words![
                        "patient",
                        "pt",
                        "member",
                        "rx",
                        "prescription",
                        "prescriber",
                        "pharmacy",
                        "resident",
                        "client",
                        "child",
                        "mother",
                        "dx"
                    ],
                )
    } {
        return true;
    }
    let two = doc.lines_before(at, 2);
    let two = &two[floor_cb(two, two.len().saturating_sub(240))..];
    // (Not a credential after a name alone: "Dr. Omar Patel, MD\nRe: Jane Ruiz, DOB ..." is a
    // referral letter's heading.)
    has_word(
        two,
        words![
            // (Not "applicant": patients apply for aid, PACE and WIC.)
            "practitioner",
            "credentialing",
            "privileges",
            "malpractice",
            "liability",
        ],
    ) && !has_word(
        two,
        words![
            "patient",
            "pt",
            "member",
            "subscriber",
            "insured",
            "claimant",
            "resident"
        ],
    )
}

/// Is `domain` a university's, a government's or the military's ("osu.edu", "ohio.gov")? Their
/// mailboxes are issued, not chosen: "whitlow.41@osu.edu" is a professor's, not a birth year.
fn institutional(domain: &str) -> bool {
    let d = domain.trim_end_matches('.').as_bytes();
    [&b".edu"[..], b".gov", b".mil"]
        .iter()
        .any(|t| d.len() > t.len() && d[d.len() - t.len()..].eq_ignore_ascii_case(t))
        || d.windows(5).any(|w| w.eq_ignore_ascii_case(b".edu."))
}

/// Is `local@domain` on a personal mailbox provider's domain ([`consumer_domain`])? Not with a
/// physician's credential in the local part ("stretiak.do@gmail.com", a physician's own), nor
/// on one merely named for mail with a clinician's ("trydzewski.md@lumenmail.net", a
/// physician's practice mailbox).
fn consumer_mailbox(local: &[u8], domain: &str) -> bool {
    let clinician = || {
        [&b".md"[..], b"_md", b".do", b".rn", b".np"]
            .iter()
            .any(|c| {
                local.len() > c.len() && local[local.len() - c.len()..].eq_ignore_ascii_case(c)
            })
    };
    // "production@printwellmail.com", "orders@...": a business's role mailbox on a domain that
    // is merely named for mail (a print-and-mail house), not a person's.
    let role = || {
        ROLE_MAILBOXES
            .iter()
            .any(|r| local.eq_ignore_ascii_case(r.as_bytes()))
    };
    // (Nor a physician's own mailbox at a mail provider: "Samuel Tretiak
    // <stretiak.do@gmail.com>" copied on a de-identified peer review, blind batch 67. A
    // nurse's, "jesstran.rn@icloud.com", is as often a patient's or an applicant's.)
    // (Not a veterinarian's or a dentist's, "hkarimi.dvm@gmail.com", "kevin.tran.dds@...":
    // on the style corpus both were patients writing in.)
    let physician = || {
        [&b".md"[..], b"_md", b".do"].iter().any(|c| {
            local.len() > c.len() && local[local.len() - c.len()..].eq_ignore_ascii_case(c)
        })
    };
    consumer_domain(domain) && !(physician() || mail_named(domain) && (clinician() || role()))
}

/// Local parts that name a role or a department, not a person ("orders@", "production@").
const ROLE_MAILBOXES: &[&str] = &[
    "info",
    // (Accounts receivable.)
    "ar",
    "orders",
    "order",
    "production",
    "sales",
    "support",
    "service",
    "services",
    "billing",
    "accounts",
    "invoices",
    "admin",
    "office",
    "contact",
    "hello",
    "help",
    "team",
    "noreply",
    "no-reply",
    "reports",
    "customerservice",
    "scheduling",
    "dispatch",
    "jobs",
    // A hospital's medical staff office ("Dear Ms. Albright," to a practice's manager about a
    // surgeon's reappointment).
    "medstaff",
    "credentialing",
    // A vendor's quotes desk and an association's events office ("Dear Ms. Ventura-Katz," to
    // a hospital's manager about a translation quote, blind set YA).
    "quotes",
    "quote",
    "events",
];

/// The local part of the mailbox whose `@` is at byte `at`: the letters, digits, dots,
/// underscores and hyphens right before it.
fn local_part_before(b: &[u8], at: usize) -> &[u8] {
    let start = b[..at]
        .iter()
        .rposition(|&c| !byte_in(c, LOCAL_BYTE))
        .map_or(0, |k| k + 1);
    &b[start..at]
}

/// Does the local part of a mailbox read like a private person's, whatever the domain: a name
/// with a birth year or a two-digit number ("dmorrow.1958", "gpineda.72", "yoprice62") or with a
/// household word ("lhollister.family", "jwhitaker.home")? An organisation's mailboxes are
/// names, roles and initials; a duplicate's suffix is a single digit ("jsmith2").
fn personal_local(local: &[u8]) -> bool {
    let letters = local
        .iter()
        .take_while(|c| c.is_ascii_alphabetic() || **c == b'.')
        .count();
    if letters < 4 || !local[0].is_ascii_alphabetic() {
        return false;
    }
    let (name, rest) = local.split_at(letters);
    // "lhollister.family": the household word after a dot, the name before it.
    if rest.is_empty() {
        return [&b".family"[..], b".home", b".fam"].iter().any(|w| {
            // (A name of six letters or more: "nicu.family@" is a unit's.)
            name.len() >= w.len() + 6 && name[name.len() - w.len()..].eq_ignore_ascii_case(w)
        });
    }
    let rest = rest.strip_prefix(b"_").unwrap_or(rest);
    // (Two or four digits only: a longer run would overflow the number, and means nothing.)
    if !matches!(rest.len(), 2 | 4) || !rest.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n: u32 = rest.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0'));
    // (A name then a dot ends in a letter: "gpineda." then "72".)
    let name = name.strip_suffix(b".").unwrap_or(name);
    name.len() >= 3
        && match rest.len() {
            2 => n >= 20,
            4 => (1925..=2015).contains(&n),
            _ => false,
        }
}

/// Is `domain` a personal mailbox provider's: one of [`CONSUMER_MAIL`], or a large provider's
/// own name under any suffix ("yahoo.com.au", "hotmail.it", "outlook.example")?
fn consumer_domain(domain: &str) -> bool {
    CONSUMER_MAIL.eq_any(domain) || consumer_brand(domain) || mail_named(domain)
}

/// Is `domain` a large mail provider's name followed by one to three letter-only labels
/// ("gmail.com", "yahoo.co.uk", "hotmail.fr")? Not a subdomain of someone else's
/// ("gmail.acme.com" has its brand second) and not a longer name ("gmailer.com").
fn consumer_brand(domain: &str) -> bool {
    // (Asked of every mailbox near a phone number: the length test rules most out.)
    if !memchr::memchr(b'.', domain.as_bytes()).is_some_and(|d| (3..=10).contains(&d)) {
        return false;
    }

    let Some((brand, suffix)) = domain.split_once('.') else {
        return false;
    };
    // ("mail.de", "email.cz", "mailbox.example": providers named for mail itself, under any
    // one suffix, like the listed "mail.com" and "mailbox.org", blind set TR; "mail.acme.org"
    // is an organisation's mail server.)
    if ["mail", "email", "mailbox"]
        .iter()
        .any(|b| b.eq_ignore_ascii_case(brand))
    {
        return (2..=8).contains(&suffix.len()) && suffix.bytes().all(|c| c.is_ascii_alphabetic());
    }
    MAIL_BRANDS.iter().any(|b| b.eq_ignore_ascii_case(brand))
        && suffix.split('.').count() <= 3
        && suffix
            .split('.')
            .all(|l| (2..=8).contains(&l.len()) && l.bytes().all(|c| c.is_ascii_alphabetic()))
}

/// Large mail providers, by the name before their suffix ("gmail" in "gmail.com").
const MAIL_BRANDS: &[&str] = &[
    "gmail",
    "googlemail",
    "yahoo",
    "ymail",
    "hotmail",
    "outlook",
    "aol",
    "icloud",
    "protonmail",
    "gmx",
    "comcast",
    "sbcglobal",
    "bellsouth",
    "earthlink",
];

/// Is `domain` a provider named for mail under .com or .net, its name ending in "mail",
/// "mailbox" or "mailer" ("fastmail.com", "quickmail.net", "webmailbox.net")? Organisations'
/// domains are their names, and so is a name of parts ("cardiotrace-secure-mail.net": a
/// company's mail system).
fn mail_named(domain: &str) -> bool {
    // The suffix read from the end: the first '.' is the one four bytes from the end exactly
    // when the suffix is three bytes and no '.' comes before (no search for the first '.' of
    // every domain; callgrind).
    let d = domain.as_bytes();
    let Some(dot) = d.len().checked_sub(4) else {
        return false;
    };
    let (brand, suffix) = (&d[..dot], &d[dot + 1..]);
    let named_for =
        |m: &[u8]| brand.len() > m.len() && brand[brand.len() - m.len()..].eq_ignore_ascii_case(m);
    d[dot] == b'.'
        && (suffix.eq_ignore_ascii_case(b"com") || suffix.eq_ignore_ascii_case(b"net"))
        && brand.len() >= 5
        && !brand.iter().any(|&c| c == b'.' || c == b'-')
        && [&b"mail"[..], b"mailbox", b"mailer"].iter().any(|m| named_for(m))
        // (A large provider's own name is [`MAIL_BRANDS`]'s; one with more after it,
        // "gmailer.com", is someone else's.)
        && !MAIL_BRANDS.iter().any(|b| {
            brand.len() >= b.len() && brand[..b.len()].eq_ignore_ascii_case(b.as_bytes())
        })
}

/// The record number after "is", "it's" or "be" later in the sentence that starts at `from`
/// (at most 120 bytes on, up to `.`, `?`, `!` or a line break): [`record_shaped`]
/// ("GCH-00418276", "CC-20417"), not a ticket's or an order's ("INC-0045521").
fn record_number_later(b: &[u8], from: usize, device: bool) -> Option<(usize, usize)> {
    let end = (from + 120).min(b.len());
    // (Two vectorised searches: a byte loop over the 120 bytes cost more.)
    let stop = {
        let w = &b[from..end];
        let marks = memchr::memchr3(b'.', b'?', b'!', w).unwrap_or(w.len());
        from + memchr::memchr(b'\n', &w[..marks]).unwrap_or(marks)
    };
    let s = &b[from..stop];
    // At each space: is a lead word next? (A byte scan of at most 120 bytes.)
    for sp in memchr::memchr_iter(b' ', s) {
        if !matches!(s.get(sp + 1), Some(b'i' | b'b' | b'a' | b's' | b'e')) {
            continue;
        }
        // A serial number also after "as" or "starts" ("the pacemaker serial number as
        // PJN418227S", "serial on the back starts GX4J117205"; not "billed on the same day as
        // 92526").
        let leads: &[&[u8]] = if device {
            &[
                b" is ",
                b" it's ",
                b" it\xe2\x80\x99s ",
                b" be ",
                b" as ",
                b" starts ",
            ]
        } else {
            // (Spanish "es": "el número del kit nuevo es KT-7731882", blind batch 42.)
            &[b" is ", b" it's ", b" it\xe2\x80\x99s ", b" be ", b" es "]
        };
        let Some(lead) = leads.iter().copied().find(|l| s[sp..].starts_with(l)) else {
            continue;
        };
        // "Our Medicaid provider ID is 44001873": the words between cue and value name an
        // organisation's number, not a patient's.
        let between = std::str::from_utf8(&s[..sp]).unwrap_or("");
        // ("Accession on our side is CG24-0311590": the writer's side of a case, not the
        // organisation's own number.)
        let ours =
            has_word(between, words!["our"]) && !has_word(between, words!["our side", "our end"]);
        if ours
            || has_word(
                between,
                words![
                    "provider", "tax", "group", "facility", "agency", "vendor", "npi"
                ],
            )
        {
            return None;
        }
        let vs = from + sp + lead.len();
        let ve = vs
            + b[vs..stop]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                .count();
        let v = &b[vs..ve];
        if !record_shaped(v) {
            continue;
        }
        if !business_id(v, TICKET_PREFIXES) {
            return Some((vs, ve));
        }
    }
    None
}

/// The licence number later in the sentence that starts at `from` (at most 80 bytes on, up to
/// `.`, `?`, `!` or a line break): a [`record_shaped`] token right after `(`, `, `, " is " or
/// " be ", with a letter in it or seven digits or more ("(RT449182)", "you typed, 07719432";
/// not "expired in 2023", not a phone number).
fn licence_number_later(b: &[u8], from: usize) -> Option<(usize, usize)> {
    let end = (from + 80).min(b.len());
    let stop = b[from..end]
        .iter()
        .position(|&c| matches!(c, b'.' | b'?' | b'!' | b'\n'))
        .map_or(end, |i| from + i);
    let mut i = from;
    while i < stop {
        let lead = if b[i] == b'(' {
            1
        } else if b[i..stop].starts_with(b", ") {
            2
        } else if b[i..stop].starts_with(b" is ") || b[i..stop].starts_with(b" be ") {
            4
        } else {
            i += 1;
            continue;
        };
        let vs = i + lead;
        let ve = vs
            + b[vs..stop]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                .count();
        let v = &b[vs..ve];
        let digits = v.iter().filter(|c| c.is_ascii_digit()).count();
        if record_shaped(v)
            && (v.iter().any(u8::is_ascii_alphabetic) || digits >= 7)
            && (ve == b.len() || !b[ve].is_ascii_alphanumeric())
        {
            return Some((vs, ve));
        }
        i = ve.max(i + 1);
    }
    None
}

/// "submitted through CoverMyMeds, key B7KQ4LZR", "PA Determination: DENIED - Key 7QXM4R2B",
/// "Request Key:      BXT4-9KQ2-LM7P": the key a prior authorisation portal gives one
/// patient's request, eight capitals and digits or three groups of four (the style corpus: 20
/// of 24 such values labelled, all in mail about a patient; none found before). Not a
/// software licence's ("license key 4C7D-22A9-81F0") nor "re-key 11 certificates".
fn request_key_after(b: &[u8], ks: usize, ke: usize) -> Option<(usize, usize)> {
    let before = b[..ks].trim_ascii_end();
    let prev = &before[before
        .iter()
        .rposition(|c| !c.is_ascii_alphabetic())
        .map_or(0, |i| i + 1)..];
    if [
        &b"license"[..],
        b"licence",
        b"product",
        b"activation",
        b"software",
        b"api",
        b"re",
    ]
    .iter()
    .any(|w| prev.eq_ignore_ascii_case(w))
    {
        return None;
    }
    let vs = ke
        + b[ke..]
            .iter()
            .take(12)
            .take_while(|c| matches!(c, b':' | b' ' | b'#'))
            .count();
    let n = b[vs..]
        .iter()
        .take(15)
        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || **c == b'-')
        .count();
    let v = &b[vs..vs + n];
    let grouped =
        n == 14 && v[4] == b'-' && v[9] == b'-' && v.iter().filter(|c| **c == b'-').count() == 2;
    let digits = v.iter().filter(|c| c.is_ascii_digit()).count();
    let letters = v.iter().filter(|c| c.is_ascii_uppercase()).count();
    (vs > ke
        && (n == 8 && !v.contains(&b'-') || grouped)
        && digits >= 1
        && letters >= 3
        && !b.get(vs + n).is_some_and(u8::is_ascii_alphanumeric))
    .then_some((vs, vs + n))
}

/// Is `v` (letters, digits and hyphens) shaped like a record number: five digits or more, at
/// most 20 bytes, and not a phone number ("in case the number is 555-0123", "(555-0123)")?
fn record_shaped(v: &[u8]) -> bool {
    let mut groups = v.split(|&c| c == b'-').map(<[u8]>::len);
    let phone_shaped = v.iter().all(|c| c.is_ascii_digit() || *c == b'-')
        && matches!(
            (groups.next(), groups.next(), groups.next(), groups.next()),
            (Some(3), Some(4), None, None) | (Some(3), Some(3), Some(4), None)
        );
    v.iter().filter(|c| c.is_ascii_digit()).count() >= 5
        && v.len() <= 20
        && v.first().is_some_and(u8::is_ascii_alphanumeric)
        && !phone_shaped
        && !clia_shaped(v)
        && !shift_shaped(v)
}

/// A shift written as two 24-hour clock times, "0700-1530", "1900-0730": a staff rota's cell
/// (blind batch 34, a nurses' schedule whose every cell was read as a chart number after the
/// nurse's name). Minutes on the quarter hour, as shifts are.
fn shift_shaped(v: &[u8]) -> bool {
    let clock = |t: &[u8]| {
        t.iter().all(u8::is_ascii_digit)
            && (t[0] - b'0') * 10 + (t[1] - b'0') < 24
            && matches!(&t[2..], b"00" | b"15" | b"30" | b"45")
    };
    v.len() == 9 && v[4] == b'-' && clock(&v[..4]) && clock(&v[5..])
}

/// A laboratory's CLIA certificate number: two digits (the state), "D", seven digits
/// ("50D2098841"). A lab's, never a patient's record (blind set QW, 2026-12-04: "Gig Harbor
/// (50D2104467) isn't due until 2026" was a name and a chart number).
fn clia_shaped(v: &[u8]) -> bool {
    v.len() == 10 && v[2] == b'D' && v[..2].iter().chain(&v[3..]).all(u8::is_ascii_digit)
}

/// A keyword match: byte range and index into [`KEYWORDS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct KwMatch {
    start: usize,
    /// `usize::MAX - end`, so that sorting puts the longest match at a start first.
    rev_end: usize,
    pattern: usize,
}

/// The keyword automaton ([`KEYWORDS`] then [`BUSINESS_WORDS`], ASCII case-insensitive,
/// reporting every overlapping match) as a compact table: the `aho-corasick` DFA's reachable
/// states renumbered densely, match states first, over the DFA's own byte classes. The scan
/// loop is then one class look-up, one table step and one compare per byte.
pub(crate) struct KeywordDfa {
    /// Byte to column.
    classes: [u8; 256],
    /// Columns per state.
    stride: usize,
    /// `trans[row + class]` is the next state's row (`state * stride`: premultiplied, so a
    /// step is one add). The other states' rows are numbered from 0 and the match states'
    /// from [`KW_MATCH`], so the row's top bit says "match": four walks are checked with three
    /// ORs and one test. A fixed power-of-two size, indexed with `& (KW_TRANS - 1)`: the
    /// compiler then needs no bounds check in the scan loop (rows past the table are unused).
    trans: Box<[KwState; KW_TRANS]>,
    start: KwState,
    /// `matches[row / stride]` lists (pattern, length) for the match states (numbered first).
    matches: Box<[KwStateMatches]>,
    /// The longest pattern, in bytes (the deepest state).
    max_len: usize,
}

/// Entries in [`KeywordDfa::trans`]: the match states' and the other states' rows must each
/// fit half (187 and 786 states of 34 columns in session 16 filled 16-bit rows' 32,768-entry
/// halves to 81%; in session 44 the other states' rows filled 65,325 of a 65,536-entry half,
/// so each half now has 131,072). The table is 1 MiB, zeroed lazily by the allocator, of which
/// the states' rows use about 40%, and a scan touches mostly the first few states'.
const KW_TRANS: usize = 1 << 18;

/// The first match state's row, and the bit that marks a match state's row.
const KW_MATCH: KwState = 1 << 17;

/// A [`KeywordDfa`] state: its premultiplied row.
type KwState = u32;

/// A state's row as an index (lossless: `usize` has at least 32 bits wherever this builds).
#[inline(always)]
fn kw_row(sid: KwState) -> usize {
    const _: () = assert!(usize::BITS >= 32);
    sid as usize
}

/// The (pattern, length) pairs a keyword match state reports.
type KwStateMatches = Box<[(u16, u16)]>;

impl KeywordDfa {
    /// Copies the reachable part of `dfa` (an unanchored, `MatchKind::Standard` DFA); `None`
    /// if it does not fit 16-bit rows and a [`KW_TRANS`]-entry table.
    pub(crate) fn new(dfa: &aho_corasick::dfa::DFA) -> Option<KeywordDfa> {
        use aho_corasick::{Anchored, automaton::Automaton};
        // Byte classes: bytes with identical columns in every state share one.
        let start = dfa.start_state(Anchored::No).ok()?;
        let mut ids: Vec<aho_corasick::automaton::StateID> = vec![start];
        let mut seen = std::collections::HashMap::new();
        seen.insert(start, 0usize);
        let mut k = 0;
        while k < ids.len() {
            let sid = ids[k];
            k += 1;
            if dfa.is_dead(sid) {
                continue;
            }
            for b in 0..=255u8 {
                let nx = dfa.next_state(Anchored::No, sid, b);
                if let std::collections::hash_map::Entry::Vacant(v) = seen.entry(nx) {
                    v.insert(ids.len());
                    ids.push(nx);
                }
            }
        }
        if ids.len() >= usize::from(u16::MAX) {
            return None;
        }
        // Columns: bytes whose transitions agree in every state share one.
        let mut classes = [0u8; 256];
        let mut reps: Vec<u8> = Vec::new();
        let mut by_column: std::collections::HashMap<Vec<usize>, u8> =
            std::collections::HashMap::new();
        for b in 0..=255u8 {
            let column: Vec<usize> = ids
                .iter()
                .map(|&sid| {
                    if dfa.is_dead(sid) {
                        0
                    } else {
                        seen[&dfa.next_state(Anchored::No, sid, b)]
                    }
                })
                .collect();
            let class = match by_column.get(&column) {
                Some(&c) => c,
                None => {
                    let c = u8::try_from(reps.len()).ok()?;
                    reps.push(b);
                    by_column.insert(column, c);
                    c
                }
            };
            classes[usize::from(b)] = class;
        }
        // Number match states first.
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&i| !dfa.is_match(ids[i]));
        let mut dense = vec![0u16; ids.len()];
        for (new, &old) in order.iter().enumerate() {
            dense[old] = u16::try_from(new).ok()?;
        }
        let match_states = ids.iter().filter(|&&sid| dfa.is_match(sid)).count();
        let stride = reps.len();
        let half = kw_row(KW_MATCH);
        if match_states * stride > half || (ids.len() - match_states) * stride > half {
            return None;
        }
        let mut trans: Box<[KwState; KW_TRANS]> =
            vec![0; KW_TRANS].into_boxed_slice().try_into().ok()?;
        // Match states are numbered first; their rows start at `KW_MATCH`, the others' at 0.
        let row_of = |d: u16| {
            let d = usize::from(d);
            let row = if d < match_states {
                half + d * stride
            } else {
                (d - match_states) * stride
            };
            KwState::try_from(row)
                .ok()
                .filter(|&r| kw_row(r) < KW_TRANS)
        };
        let mut matches: Vec<Box<[(u16, u16)]>> = vec![Box::default(); match_states];
        for (old, &sid) in ids.iter().enumerate() {
            let row = kw_row(row_of(dense[old])?);
            for (c, &r) in reps.iter().enumerate() {
                // A dead state (never reached unanchored) loops to itself.
                trans[row + c] = row_of(if dfa.is_dead(sid) {
                    dense[old]
                } else {
                    dense[seen[&dfa.next_state(Anchored::No, sid, r)]]
                })?;
            }
            if dfa.is_match(sid) {
                let mut list = Vec::new();
                for i in 0..dfa.match_len(sid) {
                    let pid = dfa.match_pattern(sid, i);
                    list.push((
                        u16::try_from(pid.as_usize()).ok()?,
                        u16::try_from(dfa.pattern_len(pid)).ok()?,
                    ));
                }
                matches[usize::from(dense[old])] = list.into_boxed_slice();
            }
        }
        Some(KeywordDfa {
            classes,
            stride,
            trans,
            start: row_of(dense[0])?,
            matches: matches.into_boxed_slice(),
            max_len: (0..dfa.patterns_len())
                .filter_map(|i| aho_corasick::PatternID::new(i).ok())
                .map(|p| dfa.pattern_len(p))
                .max()
                .unwrap_or(0),
        })
    }
}

/// One automaton pass over `text`: the keyword matches a leftmost-longest search would report,
/// in text order, and whether a [`BUSINESS_WORDS`] entry occurs as a whole word.
// Once per scan: kept out of line (callgrind: fewer instructions than inlined into `collect`).
#[inline(never)]
fn keyword_matches(
    s: &Scanner,
    text: &str,
    all: &mut Vec<KwMatch>,
    parts: &mut [Vec<KwMatch>; 3],
) -> bool {
    let h = text.as_bytes();
    let dfa = &s.keywords;
    let four = h.len() >= 8 * dfa.max_len + 256;
    let business = keyword_walk(dfa, h, all, parts, four);
    // Leftmost-longest, non-overlapping: at each start the longest match (lowest pattern id on
    // a tie), then resume after it.
    // They come in end order, and a match's start is at most `max_len` bytes before its end, so
    // each is out of place by at most the few matches ending just before it: insertion sort is
    // linear here, and cheaper than a general sort. The key is a total order (no two matches
    // share start, end and pattern), so any sort gives this order.
    for i in 1..all.len() {
        let x = all[i];
        let mut j = i;
        while j > 0 && all[j - 1] > x {
            all[j] = all[j - 1];
            j -= 1;
        }
        all[j] = x;
    }
    let mut next = 0;
    all.retain(|m| {
        let keep = m.start >= next;
        if keep {
            next = usize::MAX - m.rev_end;
        }
        keep
    });
    business
}

/// Every (overlapping) keyword match in `h` into `all`, in end order; whether a business word
/// occurs as a whole word. `four`: run four walks side by side (on long texts), else one.
fn keyword_walk(
    dfa: &KeywordDfa,
    h: &[u8],
    all: &mut Vec<KwMatch>,
    parts: &mut [Vec<KwMatch>; 3],
    four: bool,
) -> bool {
    all.clear();
    let mut business = false;
    // Every (overlapping) match, as `find_overlapping_iter` would report them, without its
    // per-byte bookkeeping: match states are the rare case.
    let (trans, classes) = (&*dfa.trans, &dfa.classes);
    let is_match = |sid: KwState| sid & KW_MATCH != 0;
    let step = |sid: KwState, b: u8| {
        trans[kw_row(sid).wrapping_add(usize::from(classes[usize::from(b)])) & (KW_TRANS - 1)]
    };
    // Each step waits for the one before (a table load), so on long texts four walks run side
    // by side, one per quarter. An automaton started anywhere is in the right state once it has
    // read `max_len` bytes (its state is the longest pattern prefix ending there), so each walk
    // after the first starts `max_len` bytes before its quarter and reports only the matches
    // ending inside it: together, every match once.
    let n = h.len();
    let m = dfa.max_len;
    if four && n >= 8 * m + 256 {
        let q = n / 4;
        // Walk `j` reads `h[from[j]..to[j]]` and reports ends in `(q * j, to[j]]`.
        let from = [0, q - m, 2 * q - m, 3 * q - m];
        let to = [q, 2 * q, 3 * q, n];
        let mut sid = [dfa.start; 4];
        // In step: the first `q` bytes of each walk (the shortest walk's length).
        let (w0, w1, w2, w3) = (
            &h[from[0]..from[0] + q],
            &h[from[1]..from[1] + q],
            &h[from[2]..from[2] + q],
            &h[from[3]..from[3] + q],
        );
        // The walks' match handling, out of line: inlined, its values crowded the loop's
        // registers and every step reloaded the tables' addresses (callgrind).
        #[cold]
        #[inline(never)]
        #[allow(clippy::too_many_arguments)]
        fn hits4(
            dfa: &KeywordDfa,
            h: &[u8],
            from: &[usize; 4],
            q: usize,
            k: usize,
            sid: [KwState; 4],
            all: &mut Vec<KwMatch>,
            parts: &mut [Vec<KwMatch>; 3],
            business: &mut bool,
        ) {
            for j in 0..4 {
                let e = from[j] + k + 1;
                if sid[j] & KW_MATCH != 0 && e > q * j {
                    let to = if j == 0 { &mut *all } else { &mut parts[j - 1] };
                    kw_hits(dfa, h, e, sid[j], to, business);
                }
            }
        }
        let [mut s0, mut s1, mut s2, mut s3] = sid;
        for k in 0..q {
            s0 = step(s0, w0[k]);
            s1 = step(s1, w1[k]);
            s2 = step(s2, w2[k]);
            s3 = step(s3, w3[k]);
            if is_match(s0 | s1 | s2 | s3) {
                let sids = [s0, s1, s2, s3];
                hits4(dfa, h, &from, q, k, sids, all, parts, &mut business);
            }
        }
        sid = [s0, s1, s2, s3];
        // Then each walk's rest on its own.
        for j in 1..4 {
            let mut st = sid[j];
            let mut it = h[from[j] + q..to[j]].iter();
            while let Some(&b) = it.next() {
                st = step(st, b);
                if is_match(st) {
                    let e = to[j] - it.as_slice().len();
                    if e > q * j {
                        kw_hits(dfa, h, e, st, &mut parts[j - 1], &mut business);
                    }
                }
            }
        }
        // Quarter by quarter: all the matches in end order.
        for p in parts.iter_mut() {
            all.append(p);
        }
    } else {
        // The end offset zipped with the bytes: one counter for both (a range zipped with a
        // slice needs no overflow check).
        let mut sid = dfa.start;
        for (e, &b) in (1..n + 1).zip(h) {
            sid = step(sid, b);
            if is_match(sid) {
                kw_hits(dfa, h, e, sid, all, &mut business);
            }
        }
    }
    business
}

/// Records what match state `sid`, reached with the byte before `e`, reports: keyword matches
/// into `all`, and whether a business word occurs as a whole word.
#[inline]
fn kw_hits(
    dfa: &KeywordDfa,
    h: &[u8],
    e: usize,
    sid: KwState,
    all: &mut Vec<KwMatch>,
    business: &mut bool,
) {
    let state = kw_row(sid & !KW_MATCH) / dfa.stride;
    for &(id, len) in dfa.matches.get(state).map_or(&[][..], |m| &m[..]) {
        let (i, id) = (e - usize::from(len), usize::from(id));
        if let Some(w) = id.checked_sub(KEYWORDS.len()) {
            // Same test as `has_word(text, BUSINESS_WORDS)`.
            let last = BUSINESS_WORDS[w].as_bytes().last();
            *business |= (i == 0 || !is_word_byte(h[i - 1]) || !is_word_byte(h[i]))
                && (e == h.len() || !is_word_byte(h[e]) || !last.is_some_and(|&b| is_word_byte(b)));
        } else {
            all.push(KwMatch {
                start: i,
                rev_end: usize::MAX - e,
                pattern: id,
            });
        }
    }
}

/// A byte range (start, end).
pub(crate) type Span = (usize, usize);

/// Sorts `spans` by start and merges those that overlap, so that their ends rise too.
pub(crate) fn merge_spans(spans: &mut Vec<Span>) {
    spans.sort_unstable();
    let mut n = 0;
    for i in 0..spans.len() {
        let (a, z) = spans[i];
        if n > 0 && a < spans[n - 1].1 {
            spans[n - 1].1 = spans[n - 1].1.max(z);
        } else {
            spans[n] = (a, z);
            n += 1;
        }
    }
    spans.truncate(n);
}

/// Per-thread buffers reused from one scan to the next (see [`crate::Scanner::scan`]): the
/// keyword matches, the newline index, the tokens, the lower-cased text, the candidates, the
/// name bookkeeping and the pattern regex's lazy-DFA cache. Each scan clears what it uses;
/// nothing carries over but capacity (and the lazy DFA's states, which depend only on the
/// patterns; the cache bounds their memory itself).
#[derive(Default)]
pub(crate) struct Scratch {
    kws: Vec<KwMatch>,
    /// Keyword matches of the second to fourth quarters while the walks run side by side.
    kw_parts: [Vec<KwMatch>; 3],
    nl: Vec<usize>,
    toks: Vec<Tok>,
    /// Indices of the tokens that may be drug names (see [`TokenIndex`]).
    med_cands: Vec<usize>,
    lc: String,
    pub(crate) cands: Vec<Cand>,
    /// Sort keys of the candidates while resolving overlaps (see `crate::resolve`).
    pub(crate) order: Vec<u128>,
    /// Names the person rules judged staff (see `persons`); the verdict asks of them too.
    pub(crate) staff: Vec<Span>,
    /// The last message's [`Doc::nonclinical_office`], for the verdict.
    pub(crate) nonclinical_office: bool,
    /// The last message's [`Doc::auto_reply`], for the verdict.
    pub(crate) auto_reply: bool,
    /// The last message's [`Doc::hiring`], for the verdict.
    pub(crate) hiring: bool,
    /// The last message's [`Doc::donor_receipt`], for the verdict.
    pub(crate) donor_receipt: bool,
    /// Where the last message's first unquoted `Subject:` line starts, for the verdict.
    pub(crate) subject_at: Option<usize>,
    /// The last message's [`Doc::internal`], for the verdict.
    pub(crate) internal: bool,
    /// The last message has a `From:` header and no personal mailbox ([`Doc::consumer`]): mail
    /// among staff or from an organisation, for the verdict.
    pub(crate) staff_headers: bool,
    patient_words: Vec<Span>,
    /// Bytes covered by candidates, then by kept spans, while resolving overlaps, a bit each.
    pub(crate) covered: Vec<u64>,
    /// Bytes covered by two or more candidates while resolving overlaps, a bit each.
    pub(crate) shared: Vec<u64>,
    /// The lazy-DFA cache of [`Scanner::pattern_dfa`], with the [`Scanner::id`] it was made
    /// for (see [`PatternMatches`]).
    pattern_cache: Option<(u64, regex_automata::hybrid::regex::Cache)>,
}

impl Scratch {
    /// The last message's tokens and its ASCII-lower-cased copy (for the person-name model,
    /// which reads the same words after the verdict).
    pub(crate) fn tokens_and_lower(&self) -> (&[Tok], &str) {
        (&self.toks, &self.lc)
    }

    /// Bytes of buffer kept between scans; a larger message's buffers are dropped after it.
    pub(crate) fn retained(&self) -> usize {
        self.lc.capacity()
            + self.nl.capacity() * 8
            + self.toks.capacity() * size_of::<Tok>()
            + self.med_cands.capacity() * 8
            + self.cands.capacity() * size_of::<Cand>()
            + self.covered.capacity() * 8
            + self.shared.capacity() * 8
            + self.order.capacity() * 16
    }
}

/// Collects every candidate in `text` into `sc.cands`.
pub(crate) fn collect(s: &Scanner, text: &str, sc: &mut Scratch) {
    // The tokenizer first: it also lists the line breaks, which `analyse` needs.
    let index = TokenIndex {
        toks: &mut sc.toks,
        med_cands: &mut sc.med_cands,
        nl: &mut sc.nl,
    };
    tokens(text, &s.med_filter, index);
    let business = keyword_matches(s, text, &mut sc.kws, &mut sc.kw_parts);
    let doc = analyse(text, business, std::mem::take(&mut sc.nl));
    sc.nonclinical_office = doc.nonclinical_office;
    sc.auto_reply = doc.auto_reply;
    sc.hiring = doc.hiring;
    sc.donor_receipt = doc.donor_receipt;
    sc.subject_at = (doc.subject_lines.1 > 0).then_some(doc.subject_lines.0[0]);
    sc.internal = doc.internal;
    sc.staff_headers = !doc.froms.is_empty() && !doc.consumer;
    let out = &mut sc.cands;
    out.clear();
    keyword_values(s, text, &sc.kws, &doc, out);
    // Where a state's code follows a comma (rare: no allocation in most mail).
    let mut state_commas: Vec<usize> = Vec::new();
    patterns(s, text, &doc, out, &mut sc.pattern_cache, &mut state_commas);
    // One lower-cased copy per message: dictionary look-ups of ASCII tokens slice it instead
    // of lower-casing each token.
    sc.lc.clear();
    sc.lc.push_str(text);
    sc.lc.make_ascii_lowercase();
    let (lc, toks) = (sc.lc.as_str(), sc.toks.as_slice());
    medications(s, text, lc, toks, &sc.med_cands, out);
    // (Before the name pass: a name in a patient table is a patient's when it comes again.)
    let names_from = out.len();
    table_columns(text, &doc, out);
    persons(
        s,
        text,
        lc,
        toks,
        &doc,
        out,
        (&mut sc.staff, &mut sc.patient_words),
    );
    list_item_names_before_dates(s, text, lc, toks, &doc, out);
    surname_list_items(s, text, &doc, out);
    lower_case_names_before_dob(s, text, lc, toks, out);
    lower_case_child_before_parent(s, text, lc, toks, out);
    spoken_birth_dates(text, lc, &doc, out);
    spoken_phone_numbers(lc, toks, out);
    voicemail_callers(s, text, lc, out);
    line_labels(text, lc, &doc, out);
    subject_surname(s, text, &doc, out);
    subject_care_surname(s, text, &doc, out);
    possessive_surnames(s, text, out);
    household_surnames(s, text, lc, out);
    record_numbers_after_names(text, out, names_from);
    subject_ids(text, &doc, out);
    subject_dates(text, &doc, out);
    aligned_tables(text, &sc.kws, out);
    city_state_places(s, text, &doc, &state_commas, out);
    lower_case_senders(s, text, &doc, out);
    caller_id_names(text, &doc, out);
    lower_case_sign_offs(s, text, &doc, out);
    chat_timestamps(text, &doc, out);
    line_rules(text, &doc, out);
    patient_initials(text, toks, &doc, out);
    initial_and_surname_after_label(text, toks, &doc, out);
    military_addresses(text, &doc, out);
    international_phones(text, &doc, out);
    crate::structured::hl7_segments(text, out);
    crate::structured::json_fields(text, out);
    sc.nl = doc.nl;
}

/// "Athlete:          G. Thibodeaux", "Patient: J. Farrant", "pt M. Okonjo": a patient's
/// initial and surname after a label that says whose they are (a concussion test's report by
/// initial, blind batch 67). The name rules grow a name from a word the lists know; a run that
/// opens with an initial was read only when its surname alone was known after a cue.
fn initial_and_surname_after_label(text: &str, toks: &[Tok], doc: &Doc<'_>, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    for i in 0..toks.len().saturating_sub(1) {
        let (t0, t1) = (toks[i], toks[i + 1]);
        if !(t0.e == t0.s + 1
            && b[t0.s].is_ascii_uppercase()
            && b.get(t0.e) == Some(&b'.')
            && t1.s == t0.e + 2
            && b[t0.e + 1] == b' '
            && t1.cap
            && (t0.s == 0 || matches!(b[t0.s - 1], b' ' | b'\t' | b':')))
        {
            continue;
        }
        let ls = doc.line_start(t0.s);
        let head = &text[floor_cb(text, t0.s.saturating_sub(30).max(ls))..t0.s];
        let label = head.trim_end_matches([' ', '\t']);
        let colon = label.ends_with(':');
        let label = label.trim_end_matches([':', '#']).trim_end();
        let w = last_word(label, b" \t:(,-");
        let whose = colon
            && words![
                "patient",
                "pt",
                "client",
                "athlete",
                "resident",
                "member",
                "participant",
                "student",
                "inmate",
                "claimant",
                "examinee",
                "subscriber"
            ]
            .eq_any(w)
            || words!["patient", "pt"].eq_any(w);
        if !whose || !label.ends_with(w) || doc.in_sig(t0.s) {
            continue;
        }
        // ("Osei-Bonsu": a hyphen joins the surname's parts.)
        let mut end = t1.e;
        let mut k = i + 2;
        while b.get(end) == Some(&b'-') && toks.get(k).is_some_and(|t| t.s == end + 1 && t.cap) {
            end = toks[k].e;
            k += 1;
        }
        let why = "an initial and a surname after a label that says whose they are";
        push(out, Some(Label::Person), t0.s, end, 0.85, "person.cue", why);
    }
}

/// "mi celular es +52 81 555 0193", "+33 6 55 50 12 84", "+82 10-5555-0127": a number dialled
/// from abroad, a plus, a country's code (not North America's "+1", which the phone pattern
/// reads) and two to six groups of digits apart by one space, hyphen or dot, six to twelve
/// digits after the code. Judged like any other phone number ([`phone`]: a signature's, an
/// office's, a patient's by the words around it); the families of a boarding school's, an
/// embassy's and a mission's patients write from abroad (blind batch 65).
fn international_phones(text: &str, doc: &Doc<'_>, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    for plus in memchr::memchr_iter(b'+', b) {
        if plus > 0 && (b[plus - 1].is_ascii_alphanumeric() || b[plus - 1] == b'+') {
            continue;
        }
        let code = b[plus + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if !(2..=3).contains(&code) || b[plus + 1] == b'0' || b[plus + 1] == b'1' {
            continue;
        }
        // The groups after the code: each after one separator.
        let (mut p, mut groups, mut digits) = (plus + 1 + code, 0, 0);
        while groups < 6
            && matches!(b.get(p), Some(b' ' | b'-' | b'.'))
            && b.get(p + 1).is_some_and(u8::is_ascii_digit)
        {
            let n = b[p + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n > 8 {
                break;
            }
            p += 1 + n;
            groups += 1;
            digits += n;
        }
        // (Not a sum or a range: "+20 mg", "+30 - 40".)
        if !(2..=6).contains(&groups)
            || !(6..=12).contains(&digits)
            || b.get(p).is_some_and(|c| c.is_ascii_alphanumeric())
        {
            continue;
        }
        phone(text, doc, plus, p, doc.in_sig(plus), out);
    }
}

/// "my member number is B W H 7 1 0 4 4 8 2 6", "the account number on here is 7 0 0 5 2 0 2 2
/// 3 1": a number said one character at a time, as a voicemail's transcript writes it (on the
/// style corpus 22 such values, none found before). A run of five to twenty single letters or
/// digits, each after one space or hyphen, four or more of them digits: the number the nearest
/// word before it names (an account's, a member's, a phone's, a prescription's or a case's);
/// with no word for a number, nothing. (A surname spelled after it is said, "Pacheco P A C H E
/// C O", is left alone: the corpus's authors labelled about as many such spellings as not,
/// and a spelling found beside its name joined the two into one finding.) Called with `at`, the
/// start of three such digits the patterns found ([`Pat::Spelled`]: the lazy DFA reads every
/// byte anyway, where a scan of each space cost 2.5% of a scan's instructions); returns the
/// run's end, where the patterns' search goes on.
fn spelled_out(text: &str, at: usize, out: &mut Vec<Cand>) -> usize {
    let b = text.as_bytes();
    let alnum = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphanumeric);
    // A single character at `i`: alphanumeric, with no alphanumeric byte on either side (nor
    // an apostrophe before it: "it's 1 0 5 5").
    let single = |i: usize| {
        alnum(i)
            && !(i > 0 && (alnum(i - 1) || matches!(b[i - 1], b'\'' | b'\x99')))
            && !alnum(i + 1)
    };
    // Back to the run's first character, on to its last.
    let mut st = at;
    while st >= 2 && matches!(b[st - 1], b' ' | b'-') && single(st - 2) {
        st -= 2;
    }
    let mut en = at + 1;
    let mut count = 1 + (at - st) / 2;
    while matches!(b.get(en), Some(b' ' | b'-')) && single(en + 1) {
        en += 2;
        count += 1;
    }
    let run_end = en;
    // ("the number on the bottle says 6 0 2 2 7 1 4 I think": the pronoun after it.)
    if matches!(b[en - 1], b'I' | b'i' | b'a' | b'A') && b[en - 2] == b' ' {
        en -= 2;
        count -= 1;
    }
    if !single(st) || !(5..=20).contains(&count) {
        return run_end;
    }
    let digits = b[st..en].iter().filter(|c| c.is_ascii_digit()).count();
    if digits < 4 {
        return run_end;
    }
    let window = &text[floor_cb(text, st.saturating_sub(100))..st];
    let lw = window.to_ascii_lowercase();
    // The kind whose word is nearest before the value ("my member number is", "the case
    // number on it is like").
    let last = |ws: &[&str]| ws.iter().filter_map(|w| lw.rfind(w)).max();
    let phone = (digits == 10 && digits == count)
        .then(|| {
            last(&[
                "call me",
                "call back",
                "phone",
                "cell",
                "reach me",
                "callback",
            ])
        })
        .flatten();
    let kinds = [
        (phone, Label::Phone),
        (last(&["account", "acct"]), Label::Account),
        (
            last(&[
                "member",
                "medicaid",
                "medicare",
                " id ",
                " i d ",
                "card",
                "policy",
                "insurance",
                "subscriber",
            ]),
            Label::MemberId,
        ),
        (
            last(&["reference", "prescription", "rx", "case", "claim", "wic"]),
            Label::OtherId,
        ),
    ];
    if let Some((_, label)) = kinds
        .iter()
        .filter_map(|&(at, label)| Some((at?, label)))
        .max_by_key(|&(at, _)| at)
        .or_else(|| last(&["number", "#"]).map(|at| (at, Label::OtherId)))
    {
        let why = "a number said one character at a time";
        push(out, Some(label), st, en, 0.85, "spelled.number", why);
    }
    run_end
}

/// "Ship to:  Unit 3410 Box 2271, DPO AA 34038": a military or diplomatic post's mail address
/// (a unit or post office's number, the person's box, then "DPO", "APO" or "FPO" and the
/// region), which no street pattern reads; an embassy health unit's patient, blind batch 65.
/// Only with a box (the unit alone, "Unit 3410, DPO AA", is the post's own address) and
/// outside a signature; a street address's weak evidence ("address.street").
fn military_addresses(text: &str, doc: &Doc<'_>, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    for hit in memchr::memmem::find_iter(b, b"PO A") {
        let Some(s) = hit.checked_sub(1) else {
            continue;
        };
        if !matches!(b[s], b'D' | b'A' | b'F')
            || s > 0 && b[s - 1].is_ascii_alphanumeric()
            || !matches!(b.get(hit + 4), Some(b'A' | b'E' | b'P'))
            || b.get(hit + 5).is_some_and(u8::is_ascii_alphanumeric)
        {
            continue;
        }
        // Back over ", " or " ", then a number and a keyword before it ("Box 2271").
        let number_and_word = |end: usize, words: &[&[u8]]| -> Option<usize> {
            let mut p = end;
            while p > 0 && matches!(b[p - 1], b' ' | b',') {
                p -= 1;
            }
            let digits_end = p;
            while p > 0 && b[p - 1].is_ascii_digit() {
                p -= 1;
            }
            if !(1..=5).contains(&(digits_end - p)) || p == 0 || b[p - 1] != b' ' {
                return None;
            }
            p -= 1;
            words.iter().find_map(|w| {
                let ws = p.checked_sub(w.len())?;
                (b[ws..p].eq_ignore_ascii_case(w)
                    && (ws == 0 || !b[ws - 1].is_ascii_alphanumeric()))
                .then_some(ws)
            })
        };
        let Some(box_at) = number_and_word(s, &[b"box"]) else {
            continue;
        };
        let start = number_and_word(box_at, &[b"unit", b"psc", b"cmr"]).unwrap_or(box_at);
        if doc.in_sig(start) {
            continue;
        }
        let end = hit + 5;
        let why = "military or diplomatic post's mail address (a box, then DPO, APO or FPO)";
        push(
            out,
            Some(Label::Address),
            start,
            end,
            0.8,
            "address.street",
            why,
        );
        let zip = b.get(end + 1..end + 6);
        if b.get(end) == Some(&b' ')
            && zip.is_some_and(|z| z.iter().all(u8::is_ascii_digit))
            && !b.get(end + 6).is_some_and(u8::is_ascii_digit)
        {
            push(
                out,
                Some(Label::Zip),
                end + 1,
                end + 6,
                0.8,
                "zip.address",
                why,
            );
        }
    }
}

/// "Patient initials: S.H.", "fyi R.T. in 312 (00571934) had an AD episode", "R.T., 68M, NICM",
/// "Pt in 114 (H.T., MRN 0417729)", "Subject: psych f/u - S.A.": a patient named by initials,
/// two or three capitals each with its dot. Only where the text says whose: a label before
/// them ("initials", "patient", "pt", "client", "identifier", "resident", "member", "re"),
/// or after them a room ("in 312"), an age and sex ("68M", "10 y/o"), a record number or a
/// date of birth (in brackets or after a comma), or the end of a subject line. Staff sign with
/// initials too ("Signature: T.X.P."): nowhere else are they read. (On the style corpus: 16
/// patients' initials the other rules missed, against 2 subject lines' initials left
/// unlabelled.)
fn patient_initials(text: &str, toks: &[Tok], doc: &Doc<'_>, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let initial =
        |t: &Tok| t.e == t.s + 1 && b[t.s].is_ascii_uppercase() && b.get(t.e) == Some(&b'.');
    let mut i = 0;
    while i + 1 < toks.len() {
        let t0 = toks[i];
        // Two or three single capitals, each followed by its dot, nothing between.
        let mut n = 1;
        while n < 3
            && i + n < toks.len()
            && initial(&toks[i + n - 1])
            && toks[i + n].s == toks[i + n - 1].e + 1
            && initial(&toks[i + n])
        {
            n += 1;
        }
        if n < 2 || t0.s > 0 && (b[t0.s - 1].is_ascii_alphanumeric() || b[t0.s - 1] == b'.') {
            i += 1;
            continue;
        }
        let (st, en) = (t0.s, toks[i + n - 1].e + 1);
        i += n;
        // (Not a fourth initial or a word joined to them: "U.S.A.", "A.M.A."; nor a country, a
        // time, a credential or a place written so.)
        if b.get(en)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'.')
            || [
                "U.S.", "U.K.", "A.M.", "P.M.", "D.C.", "P.O.", "E.R.", "O.R.", "M.D.", "D.O.",
                "R.N.", "N.P.", "P.A.", "P.T.", "O.T.", "B.S.", "M.S.", "B.A.", "M.A.", "J.D.",
                "U.N.", "L.A.", "N.Y.", "I.V.", "Q.D.",
            ]
            .contains(&&text[st..en])
        {
            continue;
        }
        let le = doc.line_end(st);
        let ls = doc.line_start(st);
        let label_before = {
            let head = text[floor_cb(text, st.saturating_sub(30).max(ls))..st]
                .trim_end_matches([' ', '\t', ':', '#']);
            let w = last_word(head, b" \t:(,-");
            words![
                "initials",
                "patient",
                "pt",
                "client",
                "identifier",
                "resident",
                "member",
                "re"
            ]
            .eq_any(w)
                && head.ends_with(w)
        };
        let subject_end = text[ls..le]
            .get(..8)
            .is_some_and(|h| h.eq_ignore_ascii_case("subject:"))
            && text[en..le].trim().is_empty();
        let after = &text[en..ceil_cb(text, (en + 50).min(le))];
        // (A record number after them only for two initials: three with a number after are
        // as often a statute, "C.R.S. 25-1-801", "K.S.A. 65-6002".)
        if label_before || subject_end || initials_context_after(after, en - st == 4) {
            let why = "a patient's initials, with what says whose";
            push(
                out,
                Some(Label::Person),
                st,
                en,
                0.8,
                "person.initials",
                why,
            );
        }
    }
}

/// After a patient's initials (`after`, the rest of the line, up to 50 bytes): a room ("in 312",
/// "in rm 4B"), an age and sex (", 68M", " 58F", ", 10 y/o"), a record number or a date of birth
/// ("(MICU 8, MRN 005120388)", ", MRN ...", "(DOB ...)", "(10 y/o, 4th grade)"), or where
/// `record_after`, a bare record number ("J.M. / HL-0071190").
fn initials_context_after(after: &str, record_after: bool) -> bool {
    let a = after.as_bytes();
    // Digits (`min` to three), an optional space, then "M", "F", "y", "yo" or "y/o" ending there.
    let age_sex = |r: &[u8], min: usize| {
        let d = r.iter().take_while(|c| c.is_ascii_digit()).count();
        (min..=3).contains(&d) && {
            let r = &r[d..];
            let r = r.strip_prefix(b" ").unwrap_or(r);
            [&b"y/o"[..], b"yo", b"M", b"F", b"y"]
                .into_iter()
                .find(|u| r.starts_with(u))
                .is_some_and(|u| !r.get(u.len()).is_some_and(u8::is_ascii_alphanumeric))
        }
    };
    if let Some(r) = a.strip_prefix(b" (") {
        let inner = &after[2..2 + r.iter().position(|&c| c == b')').unwrap_or(r.len())];
        return has_word(inner, words!["mrn", "dob", "y/o", "yo"]) || age_sex(inner.as_bytes(), 1);
    }
    if let Some(r) = a.strip_prefix(b", ") {
        return age_sex(r, 1) || r.starts_with(b"MRN");
    }
    // A record number right after them, perhaps after a slash ("1  17:42  J.M. / HL-0071190
    // dtr", a hospice's night call log; "1) J.H. LCH-2190455, 15M", blind sets XI and XJ):
    // letters, digits and hyphens with five digits or more, and no slash or dot in it (not a
    // date: "T.X.P. 03/11/2025").
    let record = |r: &[u8]| {
        let r = r.strip_prefix(b"/ ").unwrap_or(r);
        let n = r
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        n >= 5
            && r[..n].iter().filter(|c| c.is_ascii_digit()).count() >= 5
            && !r.get(n).is_some_and(|&c| {
                c == b'/' || c == b'.' && r.get(n + 1).is_some_and(u8::is_ascii_digit)
            })
    };
    let Some(r) = a.strip_prefix(b" ") else {
        return false;
    };
    if r.starts_with(b"MRN") || age_sex(r, 2) || record_after && record(r) {
        return true;
    }
    let Some(r) = r.strip_prefix(b"in ") else {
        return false;
    };
    let r = [&b"rm "[..], b"room ", b"bed "]
        .into_iter()
        .find_map(|p| r.strip_prefix(p))
        .unwrap_or(r);
    let d = r.iter().take_while(|c| c.is_ascii_digit()).count();
    // (Not a year: "outside the U.S. in 2026".)
    let year = d == 4 && (r.starts_with(b"19") || r.starts_with(b"20"));
    (2..=4).contains(&d)
        && !year
        && !r
            .get(d)
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// The time (and date) a pasted chat or text-message log stamps each line with, at the line's
/// start: "[3/11 7:22 AM] Tomas: ...", "[Text from +1 614-555-0349, 6:48 AM]", "[12:01] +1
/// 570-555-0186: ok thx", "<Clinic> 7:50 AM: Hi Jess", "JC 9:02 AM: ruth u there?". When a
/// message was sent is no date of the patient's care (the style corpus labels none of 279
/// bracketed stamps and 3 of 185 others), though the words around it speak of care: blockers
/// over each such date and time, so that no date rule reads them. (The rest of the line is
/// read as usual: a phone number in the bracket is still found.)
fn chat_timestamps(text: &str, doc: &Doc<'_>, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let why = "a chat log's time stamp";
    for i in 0..=doc.nl.len() {
        let ls = if i == 0 { 0 } else { doc.nl[i - 1] + 1 };
        // (Most lines start with a lower-case letter, a digit or punctuation: one byte read.)
        if !b
            .get(ls)
            .is_some_and(|&c| matches!(c, b'[' | b'<' | b' ' | b'\t' | b'>' | b'A'..=b'Z'))
        {
            continue;
        }
        let le = doc.nl.get(i).copied().unwrap_or(b.len());
        let mut p = ls;
        while p < le && matches!(b[p], b' ' | b'\t' | b'>') {
            p += 1;
        }
        let Some(&c0) = b.get(p).filter(|_| p < le) else {
            continue;
        };
        if c0 == b'[' {
            // A bracket closed within 48 bytes, holding a time.
            let Some(close) = b[p + 1..le.min(p + 49)].iter().position(|&c| c == b']') else {
                continue;
            };
            let (is, ie) = (p + 1, p + 1 + close);
            if !b[is..ie]
                .windows(3)
                .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit())
            {
                continue;
            }
            // Each run of digits, `/`, `:` and AM/PM in it that holds a `/` or a `:`.
            let mut k = is;
            while k < ie {
                if !b[k].is_ascii_digit() {
                    k += 1;
                    continue;
                }
                let st = k;
                while k < ie && (b[k].is_ascii_digit() || matches!(b[k], b'/' | b':')) {
                    k += 1;
                }
                let en = clock_suffix_end(b, k, ie);
                if b[st..k].iter().any(|&c| c == b'/' || c == b':') {
                    push(out, None, st, en, 0.99, "date.chat_stamp", why);
                }
                k = en;
            }
            // ("[Mar 11, 12:04 PM] +1 330-555-0131: hi": the month's name and its day too,
            // blind set YO.)
            let first = b[is..ie]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            if first >= 3 && MONTH_NAMES.eq_any(&text[is..is + first]) {
                push(out, None, is, ie, 0.99, "date.chat_stamp", why);
            }
            continue;
        }
        // "<Clinic> 7:50 AM:", "JC 9:02 AM:", "Ruth 9:05 AM:": a sender's tag, then the time,
        // then a colon.
        let tag_end = if c0 == b'<' {
            match b[p + 1..le.min(p + 33)].iter().position(|&c| c == b'>') {
                Some(k) => p + 2 + k,
                None => continue,
            }
        } else if c0.is_ascii_uppercase() {
            // One or two words of letters, up to 12 each, none a word that times a visit
            // ("Appt 9:05 AM:").
            let mut q = p;
            let mut words = 0;
            loop {
                let ws = q;
                while q < le && b[q].is_ascii_alphabetic() {
                    q += 1;
                }
                if q == ws || q - ws > 12 {
                    words = 0;
                    break;
                }
                words += 1;
                if words == 2
                    || !(b.get(q) == Some(&b' ')
                        && b.get(q + 1).is_some_and(u8::is_ascii_alphabetic))
                {
                    break;
                }
                q += 1;
            }
            if words == 0
                || words![
                    "appt",
                    "appointment",
                    "visit",
                    "arrive",
                    "arrival",
                    "pickup",
                    "surgery",
                    "call",
                    "due",
                    "time",
                    "start",
                    "end",
                    "check",
                    "in",
                    "out",
                    "at",
                    "by",
                    "dose",
                    "given",
                    "seen",
                    "admit",
                    "discharge",
                    "procedure"
                ]
                .eq_any(text[p..q].rsplit(' ').next().unwrap_or(""))
            {
                continue;
            }
            q
        } else {
            continue;
        };
        if b.get(tag_end) != Some(&b' ') {
            continue;
        }
        let st = tag_end + 1;
        let mut k = st;
        while k < le && k < st + 2 && b[k].is_ascii_digit() {
            k += 1;
        }
        if k == st
            || b.get(k) != Some(&b':')
            || !b
                .get(k + 1..k + 3)
                .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        {
            continue;
        }
        let en = clock_suffix_end(b, k + 3, le);
        if b.get(en) == Some(&b':') {
            push(out, None, st, en, 0.99, "date.chat_stamp", why);
        }
    }
}

/// "0412877 - no-showed 3/10, rescheduled thu 3/13 10:30", "- 4401196 - surg consult
/// Thursday": a line of a hand-off or a reply that opens with a bare record number (six to ten
/// digits, perhaps after a bullet), a dash, then a missed visit or an event of care (blind set
/// YG; 4 of the style corpus's 5 such lines, the fifth an NPI). One line, `ls..le`, of
/// [`line_rules`]' pass.
fn record_number_opening(text: &str, ls: usize, le: usize, out: &mut Vec<Cand>) -> bool {
    let b = text.as_bytes();
    let mut p = ls;
    while p < le && p - ls < 6 && matches!(b[p], b' ' | b'\t' | b'-' | b'*') {
        p += 1;
    }
    // (Most lines open with a letter: one byte read.)
    if !b.get(p).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    let n = b[p..le].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(6..=10).contains(&n) {
        return false;
    }
    let rest = &text[p + n..le];
    let Some(after) = rest
        .strip_prefix(" -")
        .or_else(|| rest.strip_prefix(" \u{2013}"))
    else {
        return false;
    };
    if !(no_show_after(after) || care_event_after(after)) || n == 10 && npi_valid(&text[p..p + n]) {
        return false;
    }
    let why = "a record number opening a line before a missed visit or an event of care";
    push(out, Some(Label::Mrn), p, p + n, 0.8, "mrn.line_item", why);
    true
}

/// A list's item that opens with a chart number, bare or after a few capitals and a hyphen,
/// perhaps after a bullet or an item's number, then " - ", ":" or " /" ("00902214 - new pt
/// 10/09 w/ okafor, NSCLC (C34.12)", "- SA-20433917: post-EVT, nicardipine off at 1600", "1)
/// SV-00482917 / acc A25-1010-0337 - BI-RADS 0": a clinical team's hand-off or work list,
/// blind batch 50). The number's span, and whether the rest of the line speaks of care (a
/// dotted ICD-10 code or one of [`CARE_LIST_WORDS`]). [`line_rules`] keeps them only where
/// two lines or more open so and one of them speaks of care.
fn record_list_item(text: &str, ls: usize, le: usize) -> Option<(Span, bool)> {
    let b = text.as_bytes();
    let mut p = ls;
    while p < le && p - ls < 6 && matches!(b[p], b' ' | b'\t' | b'-' | b'*' | b'>') {
        p += 1;
    }
    // (An item's number: "1) ", "2. ".)
    let d = b[p..le].iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=2).contains(&d) && matches!(b.get(p + d..p + d + 2), Some([b')' | b'.', b' '])) {
        p += d + 2;
    }
    let st = p;
    let caps = b[p..le]
        .iter()
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    if caps > 0 {
        if caps > 4 || b.get(p + caps) != Some(&b'-') {
            return None;
        }
        p += caps + 1;
    }
    let n = b[p..le].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(6..=10).contains(&n) || caps == 0 && n == 10 && npi_valid(&text[p..p + n]) {
        return None;
    }
    let en = p + n;
    let rest = &text[en..le];
    let after = rest
        .strip_prefix(" - ")
        .or_else(|| rest.strip_prefix(": "))
        .or_else(|| rest.strip_prefix(" / "))?;
    Some((
        (st, en),
        has_dotted_code(after.as_bytes()) || has_word(after, CARE_LIST_WORDS),
    ))
}

/// Words of a clinical team's work list ([`record_list_item`]).
const CARE_LIST_WORDS: &Words = words![
    "pt",
    "new pt",
    "dx",
    "f/u",
    "appt",
    "post",
    "ct",
    "mri",
    "bi-rads",
    "biopsy",
    "labs",
    "scan",
    "scans",
    "consult",
    "admit",
    "admitted",
    "discharged",
    "surgery",
    "referral",
    "chemo",
    "no-show",
    "no show",
    "eligible",
    "screen",
    "callback",
    // ("[ ] Kutz ... — fitted with light convex + ring today", "[ ] Adeyemi-Cole — add-on
    // 6/13 7:30 AM for rash check": a wound and ostomy team's follow-ups, blind batch 63.)
    "fitted",
    "recheck",
    "rash",
    "wound",
    "stoma",
    "ostomy",
    "rx"
];

/// The rules read line by line, in one pass: a record number opening a line
/// ([`record_number_opening`]) and a pasted text thread's time stamps ([`thread_stamp`]):
/// "(740) 555-0127  Mon 10/14 6:42 PM" or "CVMC Fin Counsel  Mon 10/14 6:50 PM" on a line of
/// their own above each message, "Tue 10/14 7:16 AM  Dwayne P: saw ..." and "12:41  Yesenia:
/// hi its ..." before the sender's name and a colon, "(971) 555-0129 3/10 6:52 PM: hi" (blind
/// sets YB, YC, YD, YI). Like a header's date, a stamp says when a message was sent,
/// not when a visit is. Read only where two lines or more of the message have one of these
/// shapes (a thread), so a form's "Appt  Mon 10/14 6:42 PM" alone is left to the date rules.
fn line_rules(text: &str, doc: &Doc<'_>, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    // (Stamps of the lines read so far: pushed once a second line has one.)
    let mut found: Vec<Span> = Vec::new();
    // (Items of a work list read so far, and whether one spoke of care.)
    let mut items: Vec<Span> = Vec::new();
    let mut items_speak_of_care = false;
    for i in 0..=doc.nl.len() {
        let ls = if i == 0 { 0 } else { doc.nl[i - 1] + 1 };
        let mut le = doc.nl.get(i).copied().unwrap_or(b.len());
        while le > ls && matches!(b[le - 1], b' ' | b'\r' | b'\t') {
            le -= 1;
        }
        if le - ls < 5 {
            continue;
        }
        if !record_number_opening(text, ls, le, out)
            && let Some((span, care)) = record_list_item(text, ls, le)
        {
            items.push(span);
            items_speak_of_care |= care;
        }
        if let Some(span) = thread_stamp(b, ls, le) {
            found.push(span);
        }
    }
    if items.len() >= 2 && items_speak_of_care {
        for (st, en) in items {
            let why = "a chart number opening an item of a clinical work list";
            push(out, Some(Label::Mrn), st, en, 0.8, "mrn.list_item", why);
        }
    }
    if found.len() >= 2 {
        for (st, en) in found {
            push(
                out,
                None,
                st,
                en,
                0.99,
                "date.chat_stamp",
                "a text thread's time stamp",
            );
        }
    }
}

/// The stamp on the line `ls..le` (five bytes or more, trailing spaces cut), in one of
/// [`line_rules`]' three shapes, if it has one.
fn thread_stamp(b: &[u8], ls: usize, le: usize) -> Option<Span> {
    // (Two bytes first: a stamp opening the line has a capital or a separator after its
    // first digit or two; a line ending in one ends in a digit or "M". Most lines of a
    // long body have neither.)
    let (c0, c1, c2) = (b[ls], b[ls + 1], b[ls + 2]);
    let opens = matches!(c0, b'>' | b' ' | b'A'..=b'Z')
        || c0.is_ascii_digit()
            && (matches!(c1, b':' | b'/') || c1.is_ascii_digit() && matches!(c2, b':' | b'/'));
    // (The third shape, "(971) 555-0129 3/10 6:52 PM: hi", opens with a sender: a phone
    // number's first two bytes, "(9", "+1", "97", "5-", or a capitalised word's.)
    let sender_first = match c0 {
        b'(' | b'+' => c1.is_ascii_digit(),
        b'0'..=b'9' => c1.is_ascii_digit() || matches!(c1, b'-' | b'.' | b')' | b' '),
        b'A'..=b'Z' => c1.is_ascii_alphabetic() || c1 == b' ',
        _ => false,
    };
    if !(opens || sender_first || b[le - 1].is_ascii_digit() || matches!(b[le - 1], b'M' | b'm')) {
        return None;
    }
    // (A stamp on its own line ends a short one.)
    stamp_then_sender(b, ls, le)
        .or_else(|| {
            (le - ls <= 90)
                .then(|| sender_then_stamp(b, ls, le))
                .flatten()
        })
        .or_else(|| {
            sender_first
                .then(|| sender_stamp_colon(b, ls, le))
                .flatten()
        })
}

/// A stamp's weekday, date and time read forward from `p` (each part but the time optional:
/// "Mon 10/14 6:42 PM", "Tue 10/14 7:16 AM", "12:41"), up to `le`: where it ends.
fn stamp_forward(b: &[u8], mut p: usize, le: usize) -> Option<usize> {
    let word = b[p..le]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    if word > 0 {
        // (Most lines open with a word of prose: a digit after its space, or nothing, first.)
        if !(3..=9).contains(&word) || !b.get(p + word + 1).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        // (Only a day's name: "Tue", "Thurs", "Monday"; `WEEKDAY_FORMS` leaves out "Tue",
        // "Wed" and the full names, read otherwise by the name rules.)
        let day = |w: &str| {
            WEEKDAY_FORMS.eq_any(w)
                // ("Yesterday 6:52 PM  +1 (406) 555-0142:", a phone's thread, blind batch 35.)
                || words!["tue", "tues", "wed", "thur", "thurs", "yesterday", "today"].eq_any(w)
                || w.len() >= 6
                    && w.as_bytes()[w.len() - 3..].eq_ignore_ascii_case(b"day")
                    && words!["mon", "tues", "wednes", "thurs", "fri", "satur", "sun"]
                        .eq_any(&w[..w.len() - 3])
        };
        // (The space inside the line: `le` is its end without trailing spaces.)
        if !day(std::str::from_utf8(&b[p..p + word]).ok()?)
            || p + word + 1 >= le
            || b[p + word] != b' '
        {
            return None;
        }
        p += word + 1;
        // (Two spaces may part a stamp's pieces.)
        if b[p] == b' ' {
            p += 1;
        }
    }
    // (A date's or a time's separator after one or two digits, else no stamp: most lines of
    // a long body fail here, "1XXXXXXX".)
    let sep = |c: Option<&u8>| c.is_some_and(|&c| c == b':' || c == b'/');
    if !(sep(b.get(p + 1)) || b.get(p + 1).is_some_and(u8::is_ascii_digit) && sep(b.get(p + 2))) {
        return None;
    }
    let run = |p: usize| {
        b[p..le]
            .iter()
            .take_while(|c| c.is_ascii_digit() || matches!(c, b'/' | b':'))
            .count()
    };
    let mut n = run(p);
    let part = &b[p..p + n];
    if part.contains(&b'/') && !part.contains(&b':') && p + n + 1 < le && b[p + n] == b' ' {
        p += n + 1;
        if p + 1 < le && b[p] == b' ' {
            p += 1;
        }
        n = run(p);
    }
    let time = &b[p..p + n];
    let colon = time.iter().position(|&c| c == b':')?;
    if !(1..=2).contains(&colon) || time.len() != colon + 3 {
        return None;
    }
    Some(clock_suffix_end(b, p + n, le))
}

/// "Tue 10/14 7:16 AM  Dwayne P: saw ...", "12:41  Yesenia: hi": the stamp opening the line
/// (after quote marks), two spaces or more, then a sender of one to three words and a colon.
fn stamp_then_sender(b: &[u8], ls: usize, le: usize) -> Option<Span> {
    let mut p = ls;
    while p < le && matches!(b[p], b'>' | b' ') {
        p += 1;
    }
    if !b
        .get(p)
        .is_some_and(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
    {
        return None;
    }
    let st = p;
    let en = stamp_forward(b, p, le)?;
    let gap = b[en..le]
        .iter()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count();
    if gap < 2 {
        return None;
    }
    let rest = &b[en + gap..le.min(en + gap + 40)];
    let colon = rest.iter().position(|&c| c == b':')?;
    let sender = &rest[..colon];
    let words = sender.split(|&c| c == b' ').count();
    // (Or a phone number: "Today 7:15 AM  +1 (406) 555-0142:".)
    let phone = sender.iter().filter(|c| c.is_ascii_digit()).count() >= 10
        && sender
            .iter()
            .all(|c| c.is_ascii_digit() || matches!(c, b' ' | b'+' | b'(' | b')' | b'-' | b'.'));
    (phone
        || rest.first().is_some_and(u8::is_ascii_uppercase)
            && (1..=3).contains(&words)
            && sender
                .iter()
                .all(|c| c.is_ascii_alphabetic() || matches!(c, b' ' | b'.' | b'-' | b'\'')))
    .then_some((st, en))
}

/// "(971) 555-0129 3/10 6:52 PM: hi this is Marisela", "CVMC Billing 3/11 8:14 AM: Hi
/// Marisela": a sender (a phone number or up to 40 bytes of words, no colon), one space, the
/// stamp with its date and time, then a colon and the message (blind set YI).
fn sender_stamp_colon(b: &[u8], ls: usize, le: usize) -> Option<Span> {
    // (A colon after the stamp, within the line's first 70 bytes: most lines have none.)
    let head = &b[ls..le.min(ls + 70)];
    memchr::memchr(b':', head)?;
    let mut q = ls + 1;
    while q < le.min(ls + 42) {
        if b[q - 1] == b' ' && b[q].is_ascii_digit() {
            let sender = b[ls..q - 1].trim_ascii();
            let digits = sender.iter().filter(|c| c.is_ascii_digit()).count();
            let named = digits == 0 && sender.first().is_some_and(u8::is_ascii_uppercase);
            if (digits >= 7 || named) && !sender.contains(&b':') {
                // (With its date, or after a phone number: a time alone after a name is a
                // sentence's, "Kim 2:15 in room 2"; "Jenna K (224-555-0161) 10:02 AM: coil 2
                // threw E-217 again", blind set YM, is a thread's.)
                let date = digits >= 7
                    || b[q..le]
                        .iter()
                        .take_while(|c| c.is_ascii_digit() || **c == b'/')
                        .any(|&c| c == b'/');
                if let Some(en) = stamp_forward(b, q, le).filter(|_| date)
                    && b.get(en) == Some(&b':')
                    && b.get(en + 1).is_none_or(|&c| c == b' ' || c == b'\n')
                {
                    return Some((q, en));
                }
            }
        }
        q += 1;
    }
    None
}

/// "(740) 555-0127  Mon 10/14 6:42 PM", "CVMC Fin Counsel  Mon 10/14 6:50 PM", "+1 (612)
/// 555-0144   Mon 11:52 PM": a sender (a phone number or up to 40 bytes of words, no colon),
/// two spaces or more, then the stamp ending the line.
fn sender_then_stamp(b: &[u8], ls: usize, le: usize) -> Option<Span> {
    // (The line ends with a time, perhaps "AM" or "PM" after it: one byte read.)
    let last = b[le - 1];
    if !(last.is_ascii_digit() || matches!(last, b'M' | b'm')) {
        return None;
    }
    // The gap of two spaces or more nearest the end.
    let line = &b[ls..le];
    // (The first such gap: the stamp may have two spaces inside, "+1 (708) 555-0124  Mon
    // 10/13  11:48 PM", blind set YM.)
    let lead = line.iter().take_while(|&&c| c == b' ' || c == b'>').count();
    let gap_end = lead + line[lead..].windows(2).position(|w| w == b"  ")? + 2;
    let gap_end = gap_end + line[gap_end..].iter().take_while(|&&c| c == b' ').count();
    let head = line[..gap_end].trim_ascii();
    // (One field: not a schedule's "unit 1  Wed 3/12  10:30", nor a quote's ">>   Fri 3/14
    // 10:00".)
    let digits = head.iter().filter(|c| c.is_ascii_digit()).count();
    if head.is_empty()
        || head.len() > 40
        || head.contains(&b':')
        || head.windows(2).any(|w| w == b"  ")
        || !(digits >= 7 || digits == 0 && head.iter().any(u8::is_ascii_alphabetic))
    {
        return None;
    }
    let st = ls + gap_end;
    (stamp_forward(b, st, le)? == le).then_some((st, le))
}

/// The end of a clock time's "AM"/"PM" (after one space at most) at `k`, or `k` (up to `le`).
fn clock_suffix_end(b: &[u8], k: usize, le: usize) -> usize {
    let q = if b.get(k) == Some(&b' ') { k + 1 } else { k };
    if q + 2 <= le
        && matches!(b[q] | 0x20, b'a' | b'p')
        && b[q + 1] | 0x20 == b'm'
        && !b.get(q + 2).is_some_and(u8::is_ascii_alphabetic)
    {
        q + 2
    } else {
        k
    }
}

/// Is the lower-cased word `w` a surname only: one the surname list knows, the given-name list
/// does not, and no everyday word? (The test of the rules that read a surname alone.)
fn surname_only(s: &Scanner, w: &str) -> bool {
    s.surnames.contains(w)
        && !s.first_names.contains(w)
        && !NOT_NAMES_INDEX.contains(w.as_bytes(), word_key(w.as_bytes()))
}

/// Do the bytes `h` end with `w` (any case of ASCII letters), with no letter right before it
/// ("call me" ending "... pls call me", not "recall me"; "pm" ending "12:00pm")?
pub(crate) fn ends_with_word(h: &[u8], w: &[u8]) -> bool {
    h.len() >= w.len()
        && h[h.len() - w.len()..].eq_ignore_ascii_case(w)
        && h.len()
            .checked_sub(w.len() + 1)
            .is_none_or(|i| !h[i].is_ascii_alphabetic())
}

/// Where `word` stands in `b` as a whole word (no letter or digit either side).
fn whole_word_at(b: &[u8], word: &[u8]) -> Vec<usize> {
    memchr::memmem::find_iter(b, word)
        .filter(|&i| {
            (i == 0 || !b[i - 1].is_ascii_alphanumeric())
                && !b.get(i + word.len()).is_some_and(u8::is_ascii_alphanumeric)
        })
        .collect()
}

/// The form fields read from a label that opens a line ("ZIP:", "City / State:", "Town:"):
/// each line's first word after its indent (and a quote's `>`), looked at once, so a text
/// without such labels costs a few bytes a line.
fn line_labels(text: &str, lc: &str, doc: &Doc<'_>, out: &mut Vec<Cand>) {
    let l = lc.as_bytes();
    let starts = std::iter::once(0).chain(doc.nl.iter().map(|&n| n + 1));
    for ls in starts {
        let at = ls
            + l.get(ls..).map_or(0, |r| {
                r.iter()
                    .take_while(|&&c| matches!(c, b' ' | b'\t' | b'>'))
                    .count()
            });
        match l.get(at..at + 4) {
            Some([b'z', b'i', b'p', _]) => zip_field(text, doc, at, out),
            Some(b"city" | b"town") => city_field(text, lc, doc, at, 4, out),
            // ("Hometown:       Abingdon, VA 24210": a sponsored child's family, blind batch
            // 75.)
            Some(b"home") if l.get(at + 4..at + 8) == Some(b"town") => {
                city_field(text, lc, doc, at, 8, out);
            }
            _ => {}
        }
    }
}

/// "City/State:             Dunmore, OR", "City / State / ZIP:   Beavercreek, OH 45431",
/// "Town:              Grove City, OH", "CITY: GAHANNA": a form's town field, its label opening
/// the line (style corpus: all 8 such values were a patient's). The town (and its state) is an
/// address, the ZIP code after it a ZIP code; weak evidence (0.7) that counts only beside words
/// about care, not in a signature. `at`: where the label starts ([`line_labels`]), `len` its
/// first word's length ("city", "hometown").
fn city_field(text: &str, lc: &str, doc: &Doc<'_>, at: usize, len: usize, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let l = lc.as_bytes();
    if doc.in_sig(at) {
        return;
    }
    // The label: "city", "town", then "/ state", "/ zip" or ", state", ", zip" parts.
    let mut k = at + len;
    loop {
        let r = &l[k..l.len().min(k + 10)];
        let sep = r
            .iter()
            .take_while(|&&c| matches!(c, b' ' | b'/' | b','))
            .count();
        if sep > 0 && r[sep..].starts_with(b"state") {
            k += sep + 5;
        } else if sep > 0 && r[sep..].starts_with(b"zip") {
            k += sep + 3;
        } else {
            break;
        }
    }
    // ("City / State ........... Lakewood, CO": an intake form's dotted leader, blind batch
    // 82.)
    if b.get(k) == Some(&b':') {
        k += 1;
    } else if let Some(e) = dotted_leader_end(b, k) {
        k = e;
    } else {
        return;
    }
    let Some(st) = field_value_at(b, k) else {
        return;
    };
    // Up to four capitalised words, then ", " and a state's code or name.
    let mut en = st;
    let mut words = 0;
    while words < 4 && b.get(en).is_some_and(u8::is_ascii_uppercase) {
        let n = b[en..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic() || matches!(c, b'.' | b'\'' | b'-'))
            .count();
        en += n;
        words += 1;
        if b.get(en) == Some(&b' ') && b.get(en + 1).is_some_and(u8::is_ascii_uppercase) {
            en += 1;
        } else {
            break;
        }
    }
    if words == 0 {
        return;
    }
    if b.get(en) == Some(&b',') {
        let r = &b[en..];
        let k2 = 1 + usize::from(r.get(1) == Some(&b' '));
        let n = r[k2..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        if n >= 2 && r[k2].is_ascii_uppercase() {
            en += k2 + n;
        }
    }
    // Then the line's end, a column's gap, or a ZIP code.
    let rest = &b[en..];
    let sp = rest.iter().take(3).take_while(|&&c| c == b' ').count();
    let zip = if sp >= 1 {
        zip_code_end(b, en + sp)
    } else {
        None
    };
    if !(rest.is_empty()
        || matches!(rest[0], b'\n' | b'\r')
        || rest.starts_with(b"  ")
        || zip.is_some())
    {
        return;
    }
    let why = "a form's town field";
    push(out, Some(Label::Address), st, en, 0.7, "address.field", why);
    if let Some(ze) = zip {
        let why = "the ZIP code in a form's town field";
        push(out, Some(Label::Zip), en + sp, ze, 0.7, "zip.field", why);
    }
}

/// "ZIP:                  97233", "Zip Code:   43214": a form's ZIP code field, its label
/// opening the line (style corpus: all 14 such values, each in mail about a patient, were the
/// patient's). Weak evidence (0.7): it counts only beside words about care; not in a
/// signature. `at`: where the label starts, after its line's indent ([`line_labels`]).
fn zip_field(text: &str, doc: &Doc<'_>, at: usize, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    if doc.in_sig(at) {
        return;
    }
    let mut k = at + 3;
    for label in [&b" code"[..], b"code"] {
        if b.get(k..k + label.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(label))
        {
            k += label.len();
            break;
        }
    }
    if b.get(k) == Some(&b':') {
        k += 1;
    } else if let Some(e) = dotted_leader_end(b, k) {
        k = e;
    }
    let Some(st) = field_value_at(b, k) else {
        return;
    };
    let Some(en) = zip_code_end(b, st) else {
        return;
    };
    push(
        out,
        Some(Label::Zip),
        st,
        en,
        0.7,
        "zip.field",
        "a form's ZIP code field",
    );
}

/// Where a dotted leader after a form's label ends ("ZIP .......... 80226"): one space, then
/// at least three dots (at most 60 bytes in all), or `None`.
fn dotted_leader_end(b: &[u8], k: usize) -> Option<usize> {
    let dots = b
        .get(k + 1..)?
        .iter()
        .take(60)
        .take_while(|&&c| c == b'.')
        .count();
    (b.get(k) == Some(&b' ') && dots >= 3).then_some(k + 1 + dots)
}

/// Where a form field's value starts, its label ending at `k`: past one to forty spaces or
/// tabs (`None` with none).
fn field_value_at(b: &[u8], k: usize) -> Option<usize> {
    let gap = b
        .get(k..)?
        .iter()
        .take(40)
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count();
    (gap > 0).then_some(k + gap)
}

/// Where a ZIP code that starts at `st` ends: five digits, and "-" and four more or not, with
/// no letter or digit after it.
fn zip_code_end(b: &[u8], st: usize) -> Option<usize> {
    if !b.get(st..st + 5)?.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut en = st + 5;
    if b.get(en) == Some(&b'-')
        && b.get(en + 1..en + 5)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    {
        en += 5;
    }
    (!b.get(en).is_some_and(u8::is_ascii_alphanumeric)).then_some(en)
}

/// "Subject: Re: hutchins" over "tomas hutchins in med 3 ciwa now 19", "Subject: RE: okafor"
/// over "is okafor still a go for thurs??": staff writing in a hurry name a patient by surname
/// alone, in lower case, in the subject and again in the body (blind sets RV and SH,
/// 2026-12-04). The subject (after "Re:", "Fw:" or "Fwd:") is one lower-case word of four or
/// more letters that the surname list knows, the given-name list does not, and that is no
/// everyday word; each lower-case mention of it is weak evidence (0.7, like the lists' names),
/// so it counts only beside words about care. One pass over the subject lines `analyse` noted;
/// the body is searched only for such a word.
fn subject_surname(s: &Scanner, text: &str, doc: &Doc<'_>, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let (starts, n) = doc.subject_lines;
    let Some(&k) = starts[..n].first() else {
        return;
    };
    let mut v = text[k + 8..doc.line_end(k)].trim();
    if v.contains(" - ") {
        subject_segment_surname(s, text, v, out);
    }
    // (Most subjects end here: a capital, a space or a digit in their last word.)
    if !v
        .bytes()
        .rev()
        .take_while(|&c| c != b' ' && c != b':')
        .all(|c| c.is_ascii_lowercase())
    {
        return;
    }
    while let Some(p) = [&b"re:"[..], b"fw:", b"fwd:"]
        .iter()
        .find(|p| v.len() > p.len() && v.as_bytes()[..p.len()].eq_ignore_ascii_case(p))
    {
        v = v[p.len()..].trim_start();
    }
    if v.len() < 4 || !v.bytes().all(|c| c.is_ascii_lowercase()) {
        return;
    }
    if !surname_only(s, v) {
        return;
    }
    let at = whole_word_at(b, v.as_bytes());
    // (The subject's own, and at least one more in the body or a quoted header.)
    if at.len() < 2 {
        return;
    }
    let why = "a surname in lower case that the subject names alone";
    push_subject_surnames(out, at, v.len(), why);
}

/// "Subject: failed delivery - Okonkwo - Tremfya", "Subject: Tolliver - asset snapshot",
/// "Subject: DME order - Whitlock, Dolores - walker": staff name the patient a message is about
/// in a part of its subject of its own, between dashes, by surname (perhaps with the given name
/// after a comma), and again in the body (blind batch 86, and the style corpus's authors
/// throughout). The part is one capitalised word of four or more letters that the surname list
/// knows, the given-name list does not, and that is no everyday word; each capitalised mention
/// is weak evidence (0.7, like the lists' names), so it counts only beside words about care.
fn subject_segment_surname(s: &Scanner, text: &str, subject: &str, out: &mut Vec<Cand>) {
    let mut v = subject;
    while let Some(p) = [&b"re:"[..], b"fw:", b"fwd:"]
        .iter()
        .find(|p| v.len() > p.len() && v.as_bytes()[..p.len()].eq_ignore_ascii_case(p))
    {
        v = v[p.len()..].trim_start();
    }
    for part in v.split(" - ").map(str::trim) {
        let (surname, given) = match part.split_once(", ") {
            Some((a, b)) => (a, Some(b)),
            None => (part, None),
        };
        let sb = surname.as_bytes();
        if sb.len() < 4
            || !sb[0].is_ascii_uppercase()
            || !sb[1..].iter().all(u8::is_ascii_lowercase)
            || !surname_only(s, &surname.to_ascii_lowercase())
        {
            continue;
        }
        // ("Whitlock, Dolores": the given name after the comma belongs to the span.)
        let len = match given {
            None => surname.len(),
            Some(g)
                if g.len() >= 2
                    && g.as_bytes()[0].is_ascii_uppercase()
                    && g.bytes().all(|c| c.is_ascii_alphabetic())
                    && s.first_names.contains(&g.to_ascii_lowercase()) =>
            {
                part.len()
            }
            // ("Achterberg, Vyvanse": what follows the comma is another field.)
            Some(g) if !g.contains(' ') => surname.len(),
            Some(_) => continue,
        };
        let at = whole_word_at(text.as_bytes(), sb);
        // (The subject's own, and at least one more in the body or a quoted header.)
        if at.len() < 2
            || at
                .iter()
                .any(|&m| staff_or_place_mention(text, m, sb.len()))
        {
            continue;
        }
        let why = "a surname that a part of the subject names alone";
        push_subject_surnames(out, at, surname.len(), why);
        if len > surname.len() {
            // The subject's "Surname, Given" as one name.
            let st = subject.as_ptr() as usize - text.as_ptr() as usize
                + (part.as_ptr() as usize - subject.as_ptr() as usize);
            push(
                out,
                Some(Label::Person),
                st,
                st + len,
                0.7,
                "person.subject_surname",
                why,
            );
        }
    }
}

/// Does the mention of a subject's surname at `at` (`len` bytes) name a member of staff or a
/// place: in an address header, after "Dr.", before a credential ("Okafor, DPM"), or before a
/// capitalised word ("Wooster RNs", "Ridgeway Memorial", "our Kettering office")? Then the
/// subject's part names a surgeon's block or a site, not a patient.
fn staff_or_place_mention(text: &str, at: usize, len: usize) -> bool {
    let b = text.as_bytes();
    let before = &text[floor_cb(text, at.saturating_sub(12))..at];
    let after = &text[at + len..];
    let titled = [&b"dr. "[..], b"dr ", b"doctor ", b"our ", b"your ", b"at "]
        .iter()
        .any(|t| ends_with_word(before.as_bytes(), t));
    let next_capital = after.strip_prefix(' ').is_some_and(|r| {
        r.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
            && r.as_bytes().get(1).is_some_and(u8::is_ascii_lowercase)
    });
    // ("Given Surname" with a credential: "Daniel Okafor, DPM"; and "Okafor, Daniel MD".)
    let credential = credential_after(after)
        || after.strip_prefix(", ").is_some_and(|r| {
            let given_end = r.find([' ', '\n']).unwrap_or(r.len());
            credential_after(&r[given_end..])
        });
    titled
        || next_capital
        || credential
        || on_address_header(text, at) && b.get(at + len) != Some(&b'@')
}

/// Each mention of a surname the subject names (`at`, its starts; `len` bytes long): weak
/// evidence (0.7, like the lists' names), rule `person.subject_surname`.
fn push_subject_surnames(out: &mut Vec<Cand>, at: Vec<usize>, len: usize, why: &'static str) {
    for i in at {
        push(
            out,
            Some(Label::Person),
            i,
            i + len,
            0.7,
            "person.subject_surname",
            why,
        );
    }
}

/// Surnames that name a disease, a sign or an operation before "'s" ("Parkinson's meds",
/// "s/p Hartmann's procedure"): no patient's ([`possessive_surnames`], and a name before "'s"
/// and a visit in [`persons`]).
const EPONYMS: &Words = words![
    "parkinson",
    "alzheimer",
    "crohn",
    "hashimoto",
    "hodgkin",
    "graves",
    "addison",
    "cushing",
    "bell",
    "raynaud",
    "huntington",
    "hartmann",
    "whipple",
    "barrett",
    "kaposi",
    "paget",
    "wilson",
    "tourette",
    "marfan",
    "lyme",
    "meniere",
    "sjogren",
    "baker",
    "osgood"
];

/// "call the Whitaker family", "orient with me on the Whitaker case", "the Soto twins": a
/// household named by its surname after "the" (blind sets XZ, YA; not a plural,
/// "the Gardens", "the Records"). Only a surname the
/// lists know that is no given name and no everyday word ("the Larkspur family" is a unit's
/// name, "the ED family" a department's).
fn household_surnames(s: &Scanner, text: &str, lc: &str, out: &mut Vec<Cand>) {
    let b = lc.as_bytes();
    for k in THE.find_iter(b) {
        if k > 0 && b[k - 1].is_ascii_alphanumeric() {
            continue;
        }
        let st = k + 4;
        let tb = text.as_bytes();
        let n = tb[st..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        if n < 3 || !tb[st].is_ascii_uppercase() || !tb[st + 1].is_ascii_lowercase() {
            continue;
        }
        // (In lower case as written: "the Harbor House shelter", "the Ainsworth Family
        // Foundation" are names of places and organisations.)
        // (Up to " conservatorship" and the byte after it.)
        let after = &text[st + n..ceil_cb(text, (st + n + 18).min(text.len()))];
        let household = [
            "family",
            "case",
            "home",
            "house",
            "household",
            "twins",
            "kids",
            // ("Visited the Pruitt boys Sat (3/8) at the foster home", blind batch 64.)
            "boys",
            "girls",
            "children",
            // ("anyone touched the Nakamura order yet?": a supplier's order for a patient,
            // named by her surname; blind batch 39.)
            "order",
            "chart",
            "referral",
            // ("the hearing in the Vandermolen guardianship matter": a ward's court case,
            // blind batch 61.)
            "guardianship",
            "conservatorship",
            "estate",
        ]
        .iter()
        .find_map(|w| after.strip_prefix(' ')?.strip_prefix(w))
        .is_some_and(|r| !r.as_bytes().first().is_some_and(u8::is_ascii_alphabetic));
        if !household {
            continue;
        }
        let name_end = st + n;
        let w = &lc[st..name_end];
        if !surname_only(s, w) {
            continue;
        }
        let why = "a household named by its surname (\"the Whitaker family\")";
        push(
            out,
            Some(Label::Person),
            st,
            name_end,
            0.7,
            "person.household",
            why,
        );
    }
    // "Hearings: Castellanos sibs moved to 3/19": children in care named as a sibling group by
    // their surname, "the" or not (a CASA program's staff notes, blind batch 64). (One search
    // for " sib", then "s" or "lings" after it.)
    let tb = text.as_bytes();
    for k in memchr::memmem::find_iter(b, b" sib") {
        let rest = &b[k + 4..];
        let tail = if rest.starts_with(b"s") {
            1
        } else if rest.starts_with(b"lings") {
            5
        } else {
            continue;
        };
        if rest.get(tail).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let n = tb[..k]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        let st = k - n;
        if n < 3
            || !tb[st].is_ascii_uppercase()
            || !tb[st + 1].is_ascii_lowercase()
            || st > 0 && tb[st - 1].is_ascii_alphanumeric()
            || !surname_only(s, &lc[st..k])
        {
            continue;
        }
        let why = "a sibling group named by its surname (\"Castellanos sibs\")";
        // (Strong evidence, unlike a family's: siblings named as a group are children in
        // someone's care.)
        push(
            out,
            Some(Label::Person),
            st,
            k,
            0.8,
            "person.household",
            why,
        );
    }
}

/// "Abernathy's dentist appt moved to 10/22 2pm", "mr okafor's daughter is bringing his med
/// list": staff name a patient by surname alone, with "'s" and what is the patient's (an
/// appointment, labs, a dressing, a relative) right after it (blind set TB). The word is one
/// the surname list knows and the given-name list does not, capitalised or after "mr", "mrs"
/// or "ms"; the thing owned is one of a short list, within the next two words. Weak evidence
/// (0.7): it counts only beside words about care. One vectorised search for "'s ".
/// (Not the name pass's [`possessive_care_after`]: that reads any capitalised word, so its list
/// stays narrow; given this list, "Pt's wife" and a site's "Westshore's referral" became names
/// there, 24 false names on the style corpus.)
fn possessive_surnames(s: &Scanner, text: &str, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let owned = words![
        "appt",
        "appointment",
        "dentist",
        "dental",
        "labs",
        "meds",
        "med",
        "medications",
        "bp",
        "dressing",
        "wound",
        "surgery",
        "procedure",
        "visit",
        "chart",
        "pcp",
        "insulin",
        "daughter",
        "son",
        "wife",
        "husband",
        "caregiver",
        "prescription",
        "refill",
        "results",
        "mri",
        "biopsy",
        "infusion",
        "discharge",
        "referral",
        "consult",
        "o2",
        "oxygen",
        "diet",
        "fall"
    ];
    for k in memchr::memmem::find_iter(b, b"'s ") {
        let st = k - b[..k]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        if k - st < 4 || st > 0 && b[st - 1].is_ascii_alphanumeric() {
            continue;
        }
        let w = &text[st..k];
        // The word before: a title in any case lets a lower-case surname through.
        let before = text[..st].trim_end_matches(' ');
        let titled = st > 0
            && b[st - 1] == b' '
            && words!["mr", "mrs", "ms"].eq_any(last_word(before, b" .,(\n"));
        let wb = w.as_bytes();
        if !(titled || wb[0].is_ascii_uppercase() && wb[1..].iter().all(u8::is_ascii_lowercase)) {
            continue;
        }
        // (Not a clinician's, "Dr. Mendez's referral", nor an eponym's, "s/p Hartmann's
        // procedure", "his Parkinson's meds".)
        if words!["dr", "doctor", "np", "pa", "s/p", "nurse"].eq_any(last_word(before, b" .,(\n"))
            || EPONYMS.eq_any(&w.to_ascii_lowercase())
        {
            continue;
        }
        let after = &text[k + 3..ceil_cb(text, (k + 40).min(text.len()))];
        // "Mr. Adeyemi's wife asked that we call her tomorrow": a titled person's relative,
        // named as such, is a patient's family; strong evidence, even in a huddle's notes to
        // all staff (blind batch 78; on the style and dev corpora, 60 such phrases, all in
        // messages with PHI).
        let relative = words![
            "wife",
            "husband",
            "daughter",
            "son",
            "mother",
            "father",
            "mom",
            "dad",
            "sister",
            "brother",
            "niece",
            "nephew",
            "grandson",
            "granddaughter",
            "caregiver",
            "partner",
            "family",
            "children",
            "kids"
        ];
        let first_after = &after[..after
            .find([' ', '\n', ',', '.', ';', ':', ')'])
            .unwrap_or(after.len())];
        if titled && relative.eq_any(first_after) && w.as_bytes()[0].is_ascii_uppercase() && {
            let lower = w.to_ascii_lowercase();
            !NOT_NAMES_INDEX.contains(lower.as_bytes(), word_key(lower.as_bytes()))
        } {
            let why = "a titled name's relative (\"Mr. Adeyemi's wife\")";
            push(
                out,
                Some(Label::Person),
                st,
                k,
                0.92,
                "person.title_family",
                why,
            );
            continue;
        }
        let mut next = after.split([' ', '\n']).filter(|x| !x.is_empty()).take(2);
        if !next.any(|x| owned.eq_any(x.trim_end_matches([',', '.', ':', ';']))) {
            continue;
        }
        // (After a title, any word that is no everyday word: "mr okafor's daughter".)
        let lower = w.to_ascii_lowercase();
        if !(titled && !NOT_NAMES_INDEX.contains(lower.as_bytes(), word_key(lower.as_bytes()))
            || surname_only(s, &lower))
        {
            continue;
        }
        let why = "a surname with what is the patient's after it (\"Abernathy's dentist appt\")";
        push(
            out,
            Some(Label::Person),
            st,
            k,
            0.7,
            "person.possessive",
            why,
        );
    }
}

/// "can u move petrosyan from 2pm to 3:30 thurs?": staff moving a visit name the patient by
/// one word between the verb and the times (blind set TE). After the verb ([`Kw::Reschedule`]:
/// "move", "reschedule", "resched", "bump", ending at `ws`), one word of four or more letters
/// that is no everyday word, then "from" or "to" and a time, a date or a day. Weak evidence
/// (0.7): it counts only beside words about care ("a meeting from 2pm" is no name: "meeting"
/// is an everyday word).
fn rescheduled_name(text: &str, ws: usize, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let we = ws
        + b[ws..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
    let rest = &b[we..];
    let Some(after) = rest
        .strip_prefix(b" from ")
        .or_else(|| rest.strip_prefix(b" to "))
    else {
        return;
    };
    let w = text[ws..we].to_ascii_lowercase();
    let wb = w.as_bytes();
    let when = after.first().is_some_and(u8::is_ascii_digit) || {
        let n = after.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        let day = text[we + (rest.len() - after.len())..][..n].to_ascii_lowercase();
        WEEKDAY_FORMS.eq_any(&day)
            || n > 3 && day.ends_with("day")
            || words!["tomorrow", "today", "next"].eq_any(&day)
    };
    if wb.len() < 4
        || !when
        || NOT_NAMES_INDEX.contains(wb, word_key(wb))
        || words![
            "them",
            "this",
            "that",
            "these",
            "those",
            "everyone",
            "everybody"
        ]
        .eq_any(&w)
    {
        return;
    }
    let why = "one word moved from a time to another (\"move petrosyan from 2pm\")";
    push(
        out,
        Some(Label::Person),
        ws,
        we,
        0.7,
        "person.rescheduled",
        why,
    );
}

/// "peer to peer ... on pt J.W., DOB 12/01/1949", "a final report for patient A.S.", "please
/// d/c the HCTZ for J.M.": a patient named by dotted initials after "pt" or "patient" (0.85), or
/// after "for" or "re" (0.7, weak evidence: "for R.J." is as often a colleague's); `st..en` is
/// [`Pat::Initials`]'s match, the word, a space and the initials (blind sets TK and TZ). Not
/// the dotted abbreviations of places, times and credentials ("U.S.", "P.M.", "R.N."), nor
/// initials a letter or a dot goes on from ("J.M.Tx").
fn cued_initials(b: &[u8], st: usize, en: usize, out: &mut Vec<Cand>) {
    const NOT_INITIALS: &[&[u8]] = &[
        b"U.S.", b"P.O.", b"A.M.", b"P.M.", b"D.C.", b"N.P.", b"R.N.", b"M.D.", b"D.O.", b"P.A.",
        b"L.P.", b"U.K.", b"E.R.", b"O.R.", b"I.V.", b"P.T.", b"O.T.", b"B.S.", b"M.S.", b"B.A.",
        b"M.A.", b"J.D.", b"N.A.", b"T.B.", b"Q.I.", b"I.T.", b"H.R.",
    ];
    let Some(sp) = memchr::memrchr(b' ', &b[st..en]).map(|k| st + k) else {
        return;
    };
    let initials = &b[sp + 1..en];
    if b.get(en)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'.')
        || NOT_INITIALS.contains(&initials)
    {
        return;
    }
    let cue = &b[st..sp];
    let cue = cue.strip_suffix(b":").unwrap_or(cue);
    let (score, rule) = if cue.eq_ignore_ascii_case(b"pt") || cue.eq_ignore_ascii_case(b"patient") {
        (0.85, "person.initials_cue")
    } else {
        (0.7, "person.initials")
    };
    push(
        out,
        Some(Label::Person),
        sp + 1,
        en,
        score,
        rule,
        "dotted initials after a word for a patient",
    );
}

/// "Subject: RE: RE: MRI R knee - Pasternak": a subject that names an exam, a referral or an
/// appointment, then, after a dash, one capitalised word the surname list knows (and the
/// given-name list does not): the patient, by surname (blind set TC). Weak evidence (0.7), in
/// the subject and wherever the body repeats the word.
fn subject_care_surname(s: &Scanner, text: &str, doc: &Doc<'_>, out: &mut Vec<Cand>) {
    let (starts, n) = doc.subject_lines;
    let Some(&k) = starts[..n].first() else {
        return;
    };
    let line_end = doc.line_end(k);
    let v = &text[k + 8..line_end];
    // (Most subjects have no " - " and end otherwise: one search.)
    let Some(dash) = v.rfind(" - ") else {
        return;
    };
    let (head, last) = (&v[..dash], v[dash + 3..].trim_end());
    let lb = last.as_bytes();
    // (Not a day's list at a site: "Procedure list Wed 3/12 - Dublin".)
    if lb.len() < 4
        || has_word(
            head,
            words!["list", "lists", "schedule", "roster", "census", "block"],
        )
        || !lb[0].is_ascii_uppercase()
        || !lb[1..].iter().all(u8::is_ascii_lowercase)
        || !has_word(
            head,
            words![
                "mri",
                "ct",
                "x-ray",
                "xray",
                "ultrasound",
                "echo",
                "mammogram",
                "referral",
                "auth",
                "prior auth",
                "appt",
                "appointment",
                "consult",
                "biopsy",
                "infusion",
                "injection",
                "surgery",
                "procedure",
                "colonoscopy",
                "results",
                "labs",
                "refill",
                // A biller's about one visit's claim ("Subject: Geisinger TF denial - Pruitt",
                // blind set TT).
                "denial",
                "appeal",
                "claim",
                "eob"
            ],
        )
    {
        return;
    }
    if !surname_only(s, &last.to_ascii_lowercase()) {
        return;
    }
    let why = "a surname after an exam or a referral in the subject";
    push_subject_surnames(out, whole_word_at(text.as_bytes(), lb), lb.len(), why);
}

/// A voice-mail system's notice names its caller: by caller ID ("From:      HAROLD BEAUCHAMP
/// (816) 555-0193", "New voicemail from (267) 555-0139 (PRITCHETT H)", "Voicemail from
/// THIBODEAUX A (6145550127)") and in the transcription ("Yeah hi this is Harold Pritchett,
/// that's P-R-I-T-C-H-E-T-T"). Blind sets QX, RE and RH (2026-12-04): every such caller was a
/// patient or a patient's family, and none was found. Weak evidence (0.75): a vendor calls
/// too, so the name counts only beside words about care; "this is Dana from Medline" (a name
/// then "from", "with", "at" or "calling") is someone's staff. Only in mail that says
/// "voicemail" or "voice message": one search of the text otherwise.
fn voicemail_callers(s: &Scanner, text: &str, lc: &str, out: &mut Vec<Cand>) {
    let lb = lc.as_bytes();
    if !VOICE.find_iter(lb).any(|k| {
        let r = &lb[k + 5..];
        r.starts_with(b"mail") || r.starts_with(b" message")
    }) {
        return;
    }
    let b = text.as_bytes();
    let why = "a voice mail's caller";
    // Up to three words of letters (or one initial after the first), each starting with a
    // capital: where the name ends.
    let name_at = |p: usize| -> Option<usize> {
        let mut at = p;
        let mut end = None;
        for n in 0..3 {
            let e = at
                + b[at..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic() || matches!(c, b'-' | b'\''))
                    .count();
            let long = e - at >= 2 && b[at].is_ascii_uppercase();
            let initial = n > 0 && e - at == 1 && b[at].is_ascii_uppercase();
            if !(long || initial) {
                break;
            }
            end = Some(e);
            if b.get(e) != Some(&b' ') || !b.get(e + 1).is_some_and(u8::is_ascii_uppercase) {
                break;
            }
            at = e + 1;
        }
        end
    };
    // A phone number's start: "(816) 555-0193", "816-555-0193", "6145550127" (not "198.51.").
    let phone_at = |p: usize| {
        let r = &b[p.min(b.len())..];
        let digits = |n: usize| r.len() >= n && r[..n].iter().all(u8::is_ascii_digit);
        r.first() == Some(&b'(') && r.get(1).is_some_and(u8::is_ascii_digit)
            || digits(3)
                && matches!(r.get(3), Some(b'-' | b' '))
                && r.get(4).is_some_and(u8::is_ascii_digit)
            || digits(10)
    };
    // ("From:      WIRELESS CALLER (937) 555-0135": the caller ID has no name.)
    let no_name = |p: usize, e: usize| {
        has_word(
            &text[p..e],
            words![
                "caller",
                "wireless",
                "unknown",
                "private",
                "anonymous",
                "unavailable",
                "restricted"
            ],
        )
    };
    // Caller ID: "from" (a line's "From:" or a subject's "voicemail from"), then a name then a
    // phone number, or a phone number then the name in brackets.
    for k in memchr::memmem::find_iter(lb, b"from") {
        if k > 0 && lb[k - 1].is_ascii_alphabetic() || !matches!(lb.get(k + 4), Some(b' ' | b':')) {
            continue;
        }
        let mut p = k + 4;
        if b.get(p) == Some(&b':') {
            p += 1;
        }
        let gap = b[p.min(b.len())..]
            .iter()
            .take_while(|&&c| c == b' ')
            .count();
        if !(1..=12).contains(&gap) {
            continue;
        }
        p += gap;
        if let Some(e) = name_at(p) {
            let sp = b[e..].iter().take_while(|&&c| c == b' ').count();
            if (1..=12).contains(&sp) && phone_at(e + sp) && !no_name(p, e) {
                push(out, Some(Label::Person), p, e, 0.75, "person.caller", why);
            }
        } else if phone_at(p) {
            // The number, then " (NAME)".
            let pe = p + b[p..]
                .iter()
                .take_while(|c| c.is_ascii_digit() || matches!(c, b'(' | b')' | b' ' | b'-'))
                .count();
            // (The scan above stops at the bracket's letter: step back to it.)
            let open = b[p..pe].iter().rposition(|&c| c == b'(').map(|i| p + i + 1);
            if let Some(ns) = open
                && ns == pe
                && let Some(e) = name_at(ns)
                && b.get(e) == Some(&b')')
                && !no_name(ns, e)
            {
                push(out, Some(Label::Person), ns, e, 0.75, "person.caller", why);
            }
        }
    }
    // The transcription: "this is NAME" at the start of what was said.
    for k in memchr::memmem::find_iter(lb, b"this is ") {
        let lead = &lc[lc[..k].rfind(['"', '\n']).map_or(0, |i| i + 1)..k];
        let fillers = words![
            "yeah",
            "yes",
            "hi",
            "hello",
            "hey",
            "um",
            "uh",
            "oh",
            "good",
            "morning",
            "afternoon"
        ];
        if lead.len() > 40
            || !lead
                .split([' ', ','])
                .filter(|w| !w.is_empty())
                .all(|w| fillers.eq_any(w))
        {
            continue;
        }
        let p = k + 8;
        // In lower case ("hi uh this is brandon oakes returning a call", blind set RP): a given
        // name and a surname the lists know.
        let lower_name = || {
            let e1 = letters_end(b, p);
            let e2 = (b.get(e1) == Some(&b' ')).then(|| letters_end(b, e1 + 1))?;
            (e1 > p + 1
                && e2 > e1 + 2
                && s.first_names.contains(&lc[p..e1])
                && s.surnames.contains(&lc[e1 + 1..e2]))
            .then_some(e2)
        };
        let Some(e) = name_at(p).or_else(lower_name) else {
            continue;
        };
        let next = lc[e..].trim_start_matches([' ', ',']);
        if ["from ", "with ", "at ", "calling ", "over ", "in "]
            .iter()
            .any(|w| next.starts_with(w))
        {
            continue;
        }
        push(out, Some(Label::Person), p, e, 0.75, "person.caller", why);
        // The surname spelled out: "Harold Beauchamp, uh, B-E-A-U-C-H-A-M-P".
        let rest = &text[e..floor_cb(text, (e + 24).min(text.len())).max(e)];
        let skip = rest.find(|c: char| c.is_ascii_uppercase()).filter(|&i| {
            rest[..i]
                .split([' ', ','])
                .filter(|w| !w.is_empty())
                .all(|w| words!["uh", "um", "that's", "thats", "spelled", "it's"].eq_any(w))
        });
        if let Some(i) = skip {
            let ss = e + i;
            let mut q = ss;
            let mut letters = 0;
            while b.get(q).is_some_and(u8::is_ascii_uppercase) {
                letters += 1;
                q += 1;
                if b.get(q) == Some(&b'-') && b.get(q + 1).is_some_and(u8::is_ascii_uppercase) {
                    q += 1;
                } else {
                    break;
                }
            }
            if letters >= 3 && q > ss + 1 && b[ss + 1] == b'-' {
                push(out, Some(Label::Person), ss, q, 0.75, "person.caller", why);
            }
        }
    }
}

/// Finds "voice" in the lower-cased text ([`voicemail_callers`]; built once).
static VOICE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"voice"));

/// Finds "the " in the lower-cased text ([`household_surnames`]; built once).
static THE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"the "));

/// Finds "birth" in the lower-cased text ([`spoken_birth_dates`]; built once).
static BIRTH: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"birth"));

/// "My birthday is June third nineteen sixty two", "date of birth is march twenty-first,
/// nineteen fifty": a birth date spoken into a voicemail and transcribed in words. Within 24
/// bytes after "birth" (of "birthday", "date of birth", "birthdate"), a month's name, an
/// ordinal in words and, if given, the year in words; the span is judged by [`date`] like any
/// date after its cue. Linear: one vectorised search, then a few words after each match.
/// "My number is six one four, five five five, zero three seven six", "call my son Terrell at
/// six one four five five five zero nine one two": a phone number read out in a voicemail's
/// transcript, ten digits spoken one at a time (on the style corpus 49 such runs, 46 of them
/// labelled PHONE, the other three an office's call-back number). Whose it is needs words about
/// care, as for a number after "cell" (`phone.spoken` is in the verdict's list of rules that
/// need them). `lc` is the ASCII-lower-cased text, `toks` its tokens.
fn spoken_phone_numbers(lc: &str, toks: &[Tok], out: &mut Vec<Cand>) {
    let b = lc.as_bytes();
    let digit = |t: &Tok| {
        t.ascii
            && (2..=5).contains(&(t.e - t.s))
            && matches!(
                &lc[t.s..t.e],
                "zero"
                    | "oh"
                    | "one"
                    | "two"
                    | "three"
                    | "four"
                    | "five"
                    | "six"
                    | "seven"
                    | "eight"
                    | "nine"
            )
    };
    // (Between two spoken digits: spaces, commas, dots, hyphens and a line break, three bytes
    // at most: a number wrapped at a line's end is one number.)
    let joined = |a: &Tok, z: &Tok| {
        z.s - a.e <= 3
            && b[a.e..z.s]
                .iter()
                .all(|c| matches!(c, b' ' | b',' | b'.' | b'-' | b'\n' | b'\r'))
    };
    // A run of ten holds the token nine after its first: look there first. When it is no
    // spoken digit, no run of ten starts at or before it, and most tokens are looked at once
    // in ten. (No run of spoken digits goes on from before `i` into `i`.)
    let mut i = 0;
    while i + 9 < toks.len() {
        if !digit(&toks[i + 9]) {
            i += 10;
            continue;
        }
        // Back from `i + 9` to the start of its run, not before `i`.
        let mut st = i + 9;
        while st > i && digit(&toks[st - 1]) && joined(&toks[st - 1], &toks[st]) {
            st -= 1;
        }
        if st > i {
            // (Shorter than ten so far: a run of ten can only start at `st` or later.)
            i = st;
            continue;
        }
        let mut j = i + 10;
        while j < toks.len() && digit(&toks[j]) && joined(&toks[j - 1], &toks[j]) {
            j += 1;
        }
        if j - i == 10 {
            let why = "phone number spoken digit by digit";
            push(
                out,
                Some(Label::Phone),
                toks[i].s,
                toks[j - 1].e,
                0.9,
                "phone.spoken",
                why,
            );
        }
        i = j;
    }
}

fn spoken_birth_dates(text: &str, lc: &str, doc: &Doc<'_>, out: &mut Vec<Cand>) {
    const UNITS: [&str; 9] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    ];
    const TEENS: [&str; 11] = [
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
    ];
    const YEAR_TENS: [&str; 10] = [
        "oh", "ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    const ONES: [&str; 9] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    const CARDINAL_TEENS: [&str; 10] = [
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    let b = lc.as_bytes();
    // The word at `p` when it is one of `list`: where it ends.
    let word_in = |p: usize, list: &[&str]| -> Option<usize> {
        let e = p + b
            .get(p..)?
            .iter()
            .take_while(|c| c.is_ascii_lowercase())
            .count();
        // (ASCII letters only: `p..e` is on char boundaries, or empty and not sliced.)
        (e > p && list.contains(&&lc[p..e])).then_some(e)
    };
    // One space or hyphen, then the next word's start.
    let next = |e: usize| matches!(b.get(e), Some(b' ' | b'-')).then_some(e + 1);
    for k in BIRTH.find_iter(b) {
        if k > 0 && b[k - 1].is_ascii_alphabetic() {
            continue;
        }
        // The month: the first word after the cue that names one, within 24 bytes; or, when
        // none does, a month said as a number ("date of birth four twelve ninety nine", "his
        // birthday is four nine two thousand one", blind sets XY, YB, YD), which counts only
        // with a day and a year after it.
        let named = (k + 5..(k + 29).min(b.len())).find_map(|p| {
            (p > 0 && !b[p - 1].is_ascii_alphabetic())
                .then(|| {
                    // (The months' names the date rules know, [`MONTH_NAMES`].)
                    let e = p + b[p..].iter().take_while(|c| c.is_ascii_lowercase()).count();
                    (e > p && MONTH_NAMES.eq_any(&lc[p..e])).then_some((p, e))
                })
                .flatten()
        });
        let numbered = || {
            (k + 5..(k + 29).min(b.len())).find_map(|p| {
                (!b[p - 1].is_ascii_alphabetic())
                    .then(|| {
                        word_in(p, &ONES)
                            .or_else(|| word_in(p, &["ten", "eleven", "twelve"]))
                            .map(|e| (p, e))
                    })
                    .flatten()
            })
        };
        let (ms, me, month_said) = match named {
            Some((ms, me)) => (ms, me, false),
            None => match numbered() {
                Some((ms, me)) => (ms, me, true),
                None => continue,
            },
        };
        // The day: "third", "the third", "twenty first", "twenty-first", "thirtieth"; or said
        // as a number, "one", "twelve", "nineteen", "twenty one".
        let Some(mut p) = next(me) else { continue };
        if lc[p..].starts_with("the ") {
            p += 4;
        }
        let ordinal = word_in(p, &UNITS)
            .or_else(|| word_in(p, &TEENS))
            .or_else(|| {
                let e = word_in(p, &["twenty", "thirty"])?;
                next(e).and_then(|q| word_in(q, &UNITS))
            })
            .or_else(|| word_in(p, &["thirtieth"]));
        let cardinal = || {
            word_in(p, &["twenty", "thirty"])
                .map(|e| next(e).and_then(|q| word_in(q, &ONES)).unwrap_or(e))
                .or_else(|| word_in(p, &ONES))
                .or_else(|| word_in(p, &CARDINAL_TEENS))
        };
        let Some(day_end) = ordinal.or_else(cardinal) else {
            continue;
        };
        // The year: "nineteen sixty two", "nineteen oh five", "two thousand five".
        let mut end = day_end;
        let mut q = day_end;
        if b.get(q) == Some(&b',') {
            q += 1;
        }
        if let Some(q) = next(q) {
            // (A year in digits, "February ninth, 1961", stays outside the span: the date
            // rule reads a month and a year alone as no day.)
            if let Some(e) = word_in(q, &["nineteen"]) {
                if let Some(t) = next(e).and_then(|r| word_in(r, &YEAR_TENS)) {
                    end = next(t).and_then(|r| word_in(r, &ONES)).unwrap_or(t);
                }
            } else if let Some(t) = word_in(q, &YEAR_TENS[2..]) {
                // Two digits said as a number: "april ninth ninety one" (blind set SY); a
                // year of this century, "twenty nineteen", "twenty twenty one", "twenty oh
                // five".
                let century = &lc[q..t] == "twenty";
                end = next(t)
                    .and_then(|r| {
                        if !century {
                            return word_in(r, &ONES);
                        }
                        word_in(r, &CARDINAL_TEENS).or_else(|| {
                            let e = word_in(r, &["twenty", "oh"])?;
                            Some(next(e).and_then(|x| word_in(x, &ONES)).unwrap_or(e))
                        })
                    })
                    .or_else(|| next(t).and_then(|r| word_in(r, &ONES)))
                    .unwrap_or(t);
            } else if let Some(e) = word_in(q, &["two"])
                && let Some(t) = next(e).and_then(|r| word_in(r, &["thousand"]))
            {
                end = next(t)
                    .and_then(|r| {
                        word_in(r, &ONES).or_else(|| word_in(r, &["ten", "eleven", "twelve"]))
                    })
                    .unwrap_or(t);
            }
        }
        // (A month said as a number needs its year: "four nine" alone may be anything.)
        if month_said && end == day_end {
            continue;
        }
        date(text, doc, ms, end, 0.0, out);
    }
}

/// Does the number at `st` open its line (alone there but for a contact label) right under a
/// line that is the writer's name, or its first word (see [`Doc::writer`]), in mail to the
/// writer's own organisation (the `To:` header names a mailbox at the writer's domain)? (A
/// patient writing from a domain of their own to a billing office signs with their own
/// number.)
fn under_the_writers_name(doc: &Doc<'_>, st: usize) -> bool {
    let (Some(writer), Some(domain)) = (doc.writer, doc.writer_domain) else {
        return false;
    };
    let text = doc.text;
    let ls = doc.line_start(st);
    if ls == 0 || !text[ls..st].trim().is_empty() || doc.on_quoted_line(st) {
        return false;
    }
    let above = doc.lines_before(ls - 1, 1);
    let above = above.rsplit('\n').next().unwrap_or("").trim();
    let first = writer.split([' ', ',']).next().unwrap_or("");
    if above.is_empty()
        || !(above.eq_ignore_ascii_case(writer) || above.eq_ignore_ascii_case(first))
    {
        return false;
    }
    // (The headers, up to the first blank line.)
    let head_end = memchr::memmem::find(text.as_bytes(), b"\n\n").unwrap_or(text.len());
    let to_own = text[..head_end].split('\n').any(|l| {
        l.get(..3).is_some_and(|h| h.eq_ignore_ascii_case("to:"))
            && l.split('@').skip(1).any(|d| {
                d.as_bytes()
                    .get(..domain.len())
                    .is_some_and(|x| x.eq_ignore_ascii_case(domain.as_bytes()))
            })
    });
    to_own && doc.staff_writes_at(st)
}

/// Is the line break at `nl` a wrap inside a sentence of prose, whose cue word starts at `ks`:
/// the cue's line is 50 bytes or more, has at least three words before the cue and is no
/// table's row (no `|`, tab or three commas), and the next line starts with a letter or a digit
/// (no blank line, no quote mark, no list)?
fn wrapped_prose_at(text: &str, doc: &Doc<'_>, ks: usize, nl: usize) -> bool {
    let ls = doc.line_start(ks);
    let head = &text[ls..ks];
    let line = &text.as_bytes()[ls..nl];
    // (Cheapest first, and the words counted only up to three: most cues' lines are short or
    // end a paragraph.)
    nl - ls >= 50
        && text
            .as_bytes()
            .get(nl + 1)
            .is_some_and(u8::is_ascii_alphanumeric)
        && head.bytes().any(|c| c.is_ascii_lowercase())
        && memchr::memchr2(b'|', b'\t', line).is_none()
        && line.iter().filter(|&&c| c == b',').count() < 3
        && head.split_whitespace().nth(2).is_some()
}

/// "The last four of the SSN written on the form (4457) does not match", "last 4 of my SS is
/// 5218", "SSN (last 4, per your form): 6072", "SSN on the W-9 ends in 6127": the four digits
/// after "last 4", "last four" or "ends in", in the same sentence (at most 60 bytes on), with
/// "SSN", "SS" or "social" in the 100 bytes before the number. Not a card's, an account's or a
/// phone's ("paid with the card ending in 4417"), not part of a date or a longer number. Span-only
/// (scored under [`crate::PHI_THRESHOLD`]): a pay stub's "last 4 of my SSN" is an employee's.
/// The cue is `text[i..p]` (a [`Kw::LastFour`] keyword); the number's range, if any.
fn ssn_last_four(text: &str, i: usize, p: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let end = b.len().min(p + 60);
    let stop = b[p..end]
        .iter()
        .position(|&c| matches!(c, b'?' | b'!' | b'\n'))
        .map_or(end, |k| p + k);
    // The first run of digits; it must be four long, alone.
    let ds = b[p..stop]
        .iter()
        .position(u8::is_ascii_digit)
        .map(|k| p + k)?;
    let de = ds
        + b[ds..stop]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
    // (A digit, a letter, a slash or a hyphen beside it: a date's or a longer code's.)
    let glued =
        |c: Option<&u8>| c.is_some_and(|&c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'-'));
    if de - ds != 4 || glued(b.get(ds.wrapping_sub(1))) || glued(b.get(de)) {
        return None;
    }
    // (A full stop before the number ends the sentence: "last 4. Call 4417" is not.)
    if b[p..ds].contains(&b'.') && !b[p..ds].windows(3).any(|w| w == b"...") {
        return None;
    }
    let near = &text[floor_cb(text, ds.saturating_sub(100))..ds];
    // (A card named just before the cue: "paid with the card ending in 4417 (last four 4417
    // on the card)"; any account or phone named between cue and number.)
    let before_cue = &text[floor_cb(text, i.saturating_sub(40))..i];
    // ("Veteran Raymond Tso - last 4 4471", "(last 4 7720)", "Last 4:        3318", "my last 4
    // is 4417": "last 4" or "last four" right before the digits says whose digits they are, as
    // veterans' and payers' mail writes a Social Security number's last four; "ends in" and
    // "ending in" need the word.)
    let cue = text[i..p].trim_end();
    let direct = !(cue.eq_ignore_ascii_case("ends in") || cue.eq_ignore_ascii_case("ending in"))
        && {
            let gap = text[p..ds].trim_matches([' ', ':', '(', '#', '=']);
            gap.is_empty()
                || ["is", "are", "was", "of ssn", "ssn", "ss", "social"]
                    .iter()
                    .any(|w| gap.eq_ignore_ascii_case(w))
        };
    let ok = (direct || has_word(near, words!["ssn", "ss", "social"]))
        && !has_word(before_cue, words!["card", "visa", "mastercard", "amex"])
        && !has_word(
            &text[i..ds],
            words![
                "card",
                "account",
                "acct",
                "phone",
                "visa",
                "mastercard",
                "amex",
                "routing",
                "cell"
            ],
        );
    ok.then_some((ds, de))
}

/// Why a date in a message header ("Subject:", "Sent:", "On ... wrote:") is not a patient's.
const HEADER_DATE: &str = "date in a message header";

/// "Subject: Case booking - OSTROWSKI, GERALD - 3/3", "Subject: RE: W/C van - Vandermeer -
/// 3/11 1330": a date in a subject line that also names a patient (a person the rules found
/// there) is that patient's visit, stay or procedure, not the mail's. Runs after the name
/// rules; each subject date is looked up among the lines holding a name (sorted once).
/// How many "Subject:" lines [`Doc`] keeps (a reply chain repeats one per quoted message).
const SUBJECT_LINES: usize = 8;

/// Record numbers in an unquoted "Subject:" line ("Callback result - RB-17342 - volume discrepancy",
/// "Referral outcome - R25-061109 - ruled out"): in mail about a patient, about four in five of
/// them were the patient's chart, claim, case or member number on the style corpus. Never
/// evidence of PHI (scored under [`crate::PHI_THRESHOLD`]), and yielding to any other finding:
/// reported only in a message found to hold PHI on other grounds. Not a quote's, an order's, a
/// ticket's or a bulletin's.
fn subject_ids(text: &str, doc: &Doc<'_>, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    // (The unquoted "Subject:" lines `analyse` noted while reading every line.)
    let (starts, n) = doc.subject_lines;
    for &k in &starts[..n] {
        let le = doc.line_end(k);
        // (Most subjects hold no five digits at all: one counting pass rules them out.)
        if count_digits(&b[k..le]) < 5 {
            continue;
        }
        {
            let from = k + 8;
            let mut i = from;
            while i < le {
                let is_tok = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
                if !is_tok(b[i]) {
                    i += 1;
                    continue;
                }
                let st = i;
                while i < le && is_tok(b[i]) {
                    i += 1;
                }
                let v = b[st..i].strip_suffix(b"-").unwrap_or(&b[st..i]);
                let en = st + v.len();
                let business = || {
                    let w = last_word(&text[from..st], b" :,(-#");
                    words![
                        "quote",
                        "quotation",
                        "order",
                        "invoice",
                        "po",
                        "bulletin",
                        "policy",
                        "ticket",
                        "tracking",
                        "notice",
                        "study",
                        "protocol"
                    ]
                    .eq_any(w)
                };
                if v.first().is_some_and(u8::is_ascii_uppercase)
                    && v.iter().any(u8::is_ascii_digit)
                    && record_shaped(v)
                    && !{
                        // The letters it starts with ("INC0451877", "Q-25-11873").
                        let n = v.iter().take_while(|c| c.is_ascii_alphabetic()).count();
                        let letters = &v[..n];
                        TICKET_PREFIXES
                            .iter()
                            .chain(&[&b"q"[..], b"so", b"fsn", b"study", b"sec", b"esc"])
                            .any(|p| letters.eq_ignore_ascii_case(p))
                    }
                    && !business()
                {
                    let why = "record number in the subject line of mail about a patient";
                    // ("Subject: DME pickup - pt CHP-198852 - deceased": the word before says
                    // it is the patient's own number, blind batch 48.)
                    let label = if words!["pt"].eq_any(last_word(&text[from..st], b" :,(-#")) {
                        Label::Mrn
                    } else {
                        Label::OtherId
                    };
                    push(out, Some(label), st, en, 0.45, "other_id.subject", why);
                }
            }
        }
    }
}

fn subject_dates(text: &str, doc: &Doc<'_>, out: &mut Vec<Cand>) {
    let is_subject_date =
        |c: &Cand| c.label.is_none() && c.rule == "date.nonpatient" && c.reason == HEADER_DATE;
    if !out.iter().any(is_subject_date) {
        return;
    }
    let mut name_lines: Vec<usize> = out
        .iter()
        .filter(|c| c.label == Some(Label::Person) && c.score >= 0.7)
        .map(|c| doc.line_start(c.start))
        .collect();
    if name_lines.is_empty() {
        return;
    }
    name_lines.sort_unstable();
    let found: Vec<(usize, usize)> = out
        .iter()
        .filter(|c| is_subject_date(c))
        .filter_map(|c| {
            let ls = doc.line_start(c.start);
            let head = text[ls..c.start].trim_start_matches(['>', ' ']);
            let subject = head
                .get(..8)
                .is_some_and(|h| h.eq_ignore_ascii_case("subject:"));
            (subject && name_lines.binary_search(&ls).is_ok()).then_some((c.start, c.end))
        })
        .collect();
    for (st, en) in found {
        let why = "date in a subject line that names a patient";
        push(out, Some(Label::Date), st, en, 0.85, "date.subject", why);
    }
}

/// Does a subject line's text before a date end with a procedure or an appointment, a few
/// small words between ("Your colonoscopy on Thursday 5/16", "Ride home requirement -
/// colonoscopy 5/17", "your MRI scheduled for")? Then the date is one patient's visit.
fn procedure_before(head: &str) -> bool {
    // (Small words, and the day of "on Thursday 5/16", "today 5/16": a day's full name ends
    // in "day", its short forms are in `WEEKDAY_FORMS` or here.)
    let skip = |w: &str| {
        words![
            "on",
            "for",
            "the",
            "scheduled",
            "sched",
            "at",
            "is",
            "date",
            "of",
            "tue",
            "tues",
            "wed",
            "thur",
            "thurs"
        ]
        .eq_any(w)
            || w.len() > 3 && w.as_bytes()[w.len() - 3..].eq_ignore_ascii_case(b"day")
            || WEEKDAY_FORMS.eq_any(w)
    };
    let procedures = words![
        "colonoscopy",
        "endoscopy",
        "egd",
        "mri",
        "surgery",
        "procedure",
        "biopsy",
        "infusion",
        "injection",
        "appt",
        "appointment",
        "consult"
    ];
    head.rsplit(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .take(4)
        .find(|w| !skip(w))
        .is_some_and(|w| procedures.eq_any(w))
}

pub(crate) fn push(
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
        seq: 0,
    });
}

fn digits(s: &str) -> impl Iterator<Item = u32> + '_ {
    s.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| u32::from(b - b'0'))
}

/// The ASCII digits of `s` when there are exactly `N` of them (no allocation).
fn exact_digits<const N: usize>(s: &str) -> Option<[u32; N]> {
    let mut d = [0u32; N];
    let mut n = 0;
    for x in digits(s) {
        *d.get_mut(n)? = x;
        n += 1;
    }
    (n == N).then_some(d)
}

/// NPI: Luhn over "80840" + the ten digits.
pub(crate) fn npi_valid(s: &str) -> bool {
    let Some(d) = exact_digits::<10>(s) else {
        return false;
    };
    if !(d[0] == 1 || d[0] == 2) {
        return false;
    }
    let mut sum = 0;
    for (i, &x) in [8, 0, 8, 4, 0].iter().chain(&d).rev().enumerate() {
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

/// Does `text` hold, within 2 KB of `at`, another number of the DEA shape with the same two
/// letters as `v` ("SO2291855" beside "SO2291847") whose check digit fails? Then `v` is one of
/// a series (an order's, a serial's), not a registration. Asked only of numbers that pass the
/// check; the window keeps a long message's many numbers from each searching all of it.
fn failing_sibling(text: &str, at: usize, v: &str) -> bool {
    let lo = at.saturating_sub(2048);
    let b = &text.as_bytes()[lo..(at + 2048).min(text.len())];
    let prefix = &v.as_bytes()[..2];
    memchr::memmem::find_iter(b, prefix).any(|i| {
        let Some(cand) = b.get(i..i + 9) else {
            return false;
        };
        cand != v.as_bytes()
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && b.get(i + 9).is_none_or(|c| !c.is_ascii_alphanumeric())
            && cand[2..].iter().all(u8::is_ascii_digit)
            && !std::str::from_utf8(cand).is_ok_and(dea_valid)
    })
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
    let Some(d) = exact_digits::<7>(&s[2..]) else {
        return false;
    };
    (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]
}

/// VIN check digit (position 9).
pub(crate) fn vin_valid(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 17
        || !b.iter().any(u8::is_ascii_digit)
        || !b.iter().any(u8::is_ascii_alphabetic)
        || va_icn_shaped(b)
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

/// The VA's integration control number: ten digits, "V", six digits ("1013847265V390214").
/// Seventeen characters like a VIN's, which never runs ten digits before its one letter.
fn va_icn_shaped(b: &[u8]) -> bool {
    b.len() == 17
        && b[10] == b'V'
        && b[..10].iter().all(u8::is_ascii_digit)
        && b[11..].iter().all(u8::is_ascii_digit)
}

fn ssn_valid(s: &str) -> bool {
    let Some(d) = exact_digits::<9>(s) else {
        return false;
    };
    let area = d[0] * 100 + d[1] * 10 + d[2];
    let group = d[3] * 10 + d[4];
    let serial = d[5] * 1000 + d[6] * 100 + d[7] * 10 + d[8];
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// Is `d` a date written CCYYMMDD: eight digits, a year 1900-2099, a month and a day that can
/// be?
pub(crate) fn ccyymmdd(d: &[u8]) -> bool {
    if d.len() != 8 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let num =
        |r: std::ops::Range<usize>| d[r].iter().fold(0u32, |n, &c| n * 10 + u32::from(c - b'0'));
    (1900..=2099).contains(&num(0..4))
        && (1..=12).contains(&num(4..6))
        && (1..=31).contains(&num(6..8))
}

/// Is the policy number at `ks` a payer's coverage policy's, a document: the line before
/// gives the policy's title ("Policy: Ophthalmologic VEGF Inhibitors"), or the lines before
/// name a drug, medical or payment policy ("Medical Benefit Drug Policy Update")?
fn payer_policy_document(doc: &Doc<'_>, ks: usize) -> bool {
    let before = doc.lines_before(ks, 1);
    let line_before = before.lines().next().unwrap_or("").trim_start();
    let titled = line_before
        .get(..7)
        .is_some_and(|w| w.eq_ignore_ascii_case("policy:"))
        && !line_before.bytes().any(|c| c.is_ascii_digit());
    titled
        || has_word(
            doc.lines_before(ks, 6),
            words![
                "drug policy",
                "medical policy",
                "payment policy",
                "coverage policy",
                "reimbursement policy",
                "policy bulletin",
            ],
        )
}

/// Keyword-labelled values: "MRN: 12345678", "Claim #: CLM-1", "last four of the SSN are 1234".
// Once per scan: kept out of line (callgrind: fewer instructions than inlined into `collect`).
#[inline(never)]
/// May the value after a bare "reference" (at `ks..ke`) be one person's request's reference
/// ([`keyword_values`])? Not a lab value's range, a purchase order, or the reference of a
/// refund, a booking, a maker's notice, an audit or a maintenance window.
fn patient_reference(text: &str, ks: usize, ke: usize) -> bool {
    let b = text.as_bytes();
    if ks > 0 && b[ks - 1] == b'(' && {
        // "(reference 0.4-4.0)", "(reference <5.7)": a range after a lab value.
        let v = &b[ke..b.len().min(ke + 16)];
        let v = &v[v.iter().take_while(|&&c| c == b' ' || c == b':').count()..];
        v.first()
            .is_some_and(|&c| c.is_ascii_digit() || matches!(c, b'<' | b'>'))
    } {
        return false;
    }
    let value = text[ke..].trim_start_matches([' ', ':', '#', '\t']);
    let first = value
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '.')
        .next()
        .unwrap_or("");
    // A range ("30-100", "12.0-17.5": two numbers of up to four digits, decimals allowed) or
    // a purchase order's "PO".
    let token = value
        .split(|c: char| c.is_ascii_whitespace() || matches!(c, ')' | ',' | ';'))
        .next()
        .unwrap_or("")
        .trim_end_matches('.');
    let number = |n: &str| {
        let (whole, frac) = n.split_once('.').unwrap_or((n, "0"));
        (1..=4).contains(&whole.len())
            && whole.bytes().all(|c| c.is_ascii_digit())
            && !frac.is_empty()
            && frac.bytes().all(|c| c.is_ascii_digit())
    };
    let range = token
        .split_once('-')
        .is_some_and(|(lo, hi)| number(lo) && number(hi));
    if first.eq_ignore_ascii_case("po") || range {
        return false;
    }
    let head = text[..ks].trim_end_matches([' ', '(']);
    let word_start = head
        .bytes()
        .rposition(|c| !(c.is_ascii_alphabetic() || c == b'-'))
        .map_or(0, |i| i + 1);
    let before = &head[word_start..];
    !words![
        "advisory",
        "refund",
        "overpayment",
        "booking",
        "risk",
        "audit",
        "file",
        "complaint",
        "standard",
        "submission",
        "provider-level",
        "maintenance",
        "template",
        "order",
        "invoice",
        "kit",
        "return",
        "shipment",
        "tracking",
        "ticket",
        "incident",
        "change",
        "release",
        "recall",
        "safety",
        "license",
        "key",
        "quote"
    ]
    .eq_any(&before.to_ascii_lowercase())
}

fn keyword_values(s: &Scanner, text: &str, kws: &[KwMatch], doc: &Doc<'_>, out: &mut Vec<Cand>) {
    let bytes = text.as_bytes();
    for m in kws {
        let (ks, ke) = (m.start, usize::MAX - m.rev_end);
        if ks > 0 && is_word_byte(bytes[ks - 1]) {
            continue;
        }
        if ke < bytes.len() && is_word_byte(bytes[ke]) && is_word_byte(bytes[ke - 1]) {
            continue;
        }
        // "Serial in chart: RNB604281S": a device's serial as the chart has it, no chart
        // number.
        if KEYWORDS[m.pattern].1 == Kw::Value(Label::Mrn) && {
            let line = doc.before_line(ks, 24).trim_start().as_bytes();
            line.len() >= 6 && line[..6].eq_ignore_ascii_case(b"serial")
        } {
            continue;
        }
        // "VM-HRN-0031": a part number's middle, no keyword (blind batch 36's "HRN"); not
        // "PA-RX-2502-44091", where the letters name the number that follows.
        if ks >= 2
            && bytes[ks - 1] == b'-'
            && bytes[ks - 2].is_ascii_alphanumeric()
            && bytes.get(ke) == Some(&b'-')
            && {
                let tail = bytes[ke + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .count();
                tail <= 4 && bytes.get(ke + 1 + tail) != Some(&b'-')
            }
        {
            continue;
        }
        let kind = KEYWORDS[m.pattern].1;
        // "PA registration KHT-4072": a car's registration only after its state (not a DEA
        // registration, a patient's registration or a conference's).
        if kind == Kw::Value(Label::Vehicle)
            && bytes[ks..ke].eq_ignore_ascii_case(b"registration")
            && !{
                let w = last_word(&text[..ks], b" ");
                w.len() == 2 && STATES.contains(&w) || STATE_NAMES.eq_any(w)
            }
        {
            continue;
        }
        // "Policy: ID-OPAT-014": "ID" glued by a hyphen to letters is a code's first part, no
        // keyword (blind batch 45's policy number).
        if kind == Kw::GenericId
            && bytes.get(ke) == Some(&b'-')
            && bytes.get(ke + 1).is_some_and(u8::is_ascii_alphabetic)
        {
            continue;
        }
        // "SN-MP 38 deg", "SN-GoGn": a cephalometric angle between two planes (the sella-nasion
        // line), no serial number's "SN" (blind batch 57); "SN-88213" keeps its serial.
        if kind == Kw::Value(Label::Device)
            && bytes[ks..ke].eq_ignore_ascii_case(b"sn")
            && bytes.get(ke) == Some(&b'-')
            && bytes.get(ke + 1).is_some_and(u8::is_ascii_alphabetic)
        {
            continue;
        }
        // "< 100 mg/dL: 15-30 g carbohydrate": a unit's "dL", no driver's licence (blind set
        // YJ).
        if kind == Kw::Value(Label::License) && ks > 0 && bytes[ks - 1] == b'/' {
            continue;
        }
        // "Insurance (Rx BIN 610014 / PCN MEDDPRIME)": a pharmacy plan's routing number, the
        // same for all its members (blind batch 39).
        if bytes[ks..ke].eq_ignore_ascii_case(b"rx")
            && bytes.get(ke..ke + 5).is_some_and(|w| {
                w.eq_ignore_ascii_case(b" bin ") || w.eq_ignore_ascii_case(b" pcn ")
            })
        {
            continue;
        }
        // (A heading's date, "Subscriber DOB:     19890305" written CCYYMMDD too, is the date
        // patterns'.)
        if kind == Kw::Heading {
            continue;
        }
        // (Sliced only here: most matches end above, inside a word or as a heading.)
        let kw_text = &text[ks..ke];
        // "Our policy # is on the card in the glovebox, it's PRG-55190237-01", "Our policy is
        // MPL-OH-0048213": the organisation's own insurance (its vans, its malpractice), no
        // member's (blind set XO).
        if kind == Kw::Value(Label::MemberId)
            && kw_text
                .as_bytes()
                .get(..6)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"policy"))
            && ks >= 4
            && bytes[ks - 4..ks].eq_ignore_ascii_case(b"our ")
            && (ks == 4 || !bytes[ks - 5].is_ascii_alphabetic())
        {
            continue;
        }
        // "Attendee: Anjali Rao, MD ... Member #: NAPOC-M-04418": a professional society's
        // member at its congress, no health plan's (blind batch 62).
        if kind == Kw::Value(Label::MemberId)
            && has_word(
                before(text, ks, 300),
                words![
                    "attendee",
                    "congress",
                    "conference registration",
                    "registering"
                ],
            )
        {
            continue;
        }
        // "FSA plan ID 55120": an employer's spending account plan, the same for every
        // employee (blind batch 43), not a member's number.
        if matches!(kind, Kw::Value(Label::MemberId) | Kw::GenericId) && {
            // (The keyword is "plan ID" or "ID" after "plan".)
            let head = if kw_text
                .as_bytes()
                .get(..4)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"plan"))
            {
                Some(&text[..ks])
            } else if kw_text.eq_ignore_ascii_case("id")
                && ks >= 5
                && bytes[ks - 5..ks].eq_ignore_ascii_case(b"plan ")
            {
                Some(&text[..ks - 5])
            } else {
                None
            };
            head.is_some_and(|h| {
                words!["fsa", "hsa", "hra", "401k", "403b", "retirement", "pension"]
                    .eq_any(last_word(h, b" "))
            })
        } {
            continue;
        }
        // "Reference PA-2025-7730419", "payer reference number PA-26-3309184": a plan's or an
        // office's reference for one person's request (blind batch 86). Not a lab value's range
        // ("(reference 0.4-4.0)"), a purchase order ("reference PO 7700-2214") or the
        // reference of something no patient owns: a refund, a booking, a maker's advisory, an
        // audit, a maintenance window (the style corpus's authors leave those out).
        if kw_text.eq_ignore_ascii_case("reference") && !patient_reference(text, ks, ke) {
            continue;
        }
        // Every message has a "Subject:" header: only one with a digit soon after the word
        // ("Subject:  0412-011", "subject number 1120-044") goes on to `site_subject_shaped`
        // (below).
        // ("SUBJECT:               1042-022": a system's field, padded to line up, blind
        // batch 38.)
        if kw_text.eq_ignore_ascii_case("subject") && {
            let pad = bytes[ke..bytes.len().min(ke + 40)]
                .iter()
                .take_while(|&&c| matches!(c, b':' | b' ' | b'\t'))
                .count();
            !bytes[ke + pad..bytes.len().min(ke + pad + 16)]
                .iter()
                .take_while(|&&c| c != b'\n')
                .any(u8::is_ascii_digit)
        } {
            continue;
        }
        // ("In re Guardianship of Eleanor Voss", "In re the Estate of ...": the matter's kind
        // first; the name comes after "of".)
        if kind == Kw::NameAfter
            && kw_text.eq_ignore_ascii_case("in re")
            && words![
                "guardianship",
                "estate",
                "matter",
                "marriage",
                "adoption",
                "custody",
                "the",
                "application",
                "petition",
                "commitment",
                "conservatorship"
            ]
            .eq_any(
                text[ke..]
                    .trim_start_matches([':', ' '])
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or(""),
            )
        {
            continue;
        }
        if kind == Kw::NameAfter && kw_text.ends_with('(') {
            children_in_brackets(s, text, ke, out);
            continue;
        }
        if kind == Kw::Reschedule {
            rescheduled_name(text, ke, out);
            continue;
        }
        if kind == Kw::RequestKey {
            if let Some((vs, ve)) = request_key_after(bytes, ks, ke) {
                let why = "a prior authorisation request's key";
                push(
                    out,
                    Some(Label::OtherId),
                    vs,
                    ve,
                    0.85,
                    "other_id.request_key",
                    why,
                );
            }
            continue;
        }
        if kind == Kw::LastFour {
            if let Some((ds, de)) = ssn_last_four(text, ks, ke) {
                let why = "last four digits of a Social Security number";
                push(out, Some(Label::Ssn), ds, de, 0.45, "ssn.last_four", why);
            }
            continue;
        }
        // "77 Spring Hollow Rd, Cutler, ID 83238": Idaho and a ZIP code, not an identifier.
        if kw_text == "ID"
            && ks >= 2
            && &bytes[ks - 2..ks] == b", "
            && bytes[..ks - 2].last().is_some_and(u8::is_ascii_alphabetic)
            && bytes.get(ke) == Some(&b' ')
            && bytes.get(ke + 1..ke + 6).is_some_and(|z| z.iter().all(u8::is_ascii_digit))
            && !bytes.get(ke + 6).is_some_and(u8::is_ascii_digit)
            // (After a street number on the line: "Patient: Jones, ID 55123" is an ID.)
            && doc.before_line(ks, 80).bytes().any(|c| c.is_ascii_digit())
        {
            continue;
        }
        // "Pool: CARDIAC REHAB MSG POOL (ID 74200)", "Riverside Clinic (ID 4410)": in
        // brackets after an organisation's or a mailbox's name, its own number (blind batch
        // 42).
        if kw_text.eq_ignore_ascii_case("id") && ks >= 2 && &bytes[ks - 2..ks] == b" (" && {
            // (A name's capitalised word; not a member's "plan (ID 107733590)" or "copay
            // program (ID ...)".)
            let w = last_word(&text[..ks - 2], b" ");
            w.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
                && ORG_AFTER.eq_any(w)
                && !words!["plan", "program", "insurance", "care"].eq_any(w)
        } {
            continue;
        }
        // "my CLL patient (00820013)": a chart number of six characters or more closing the
        // bracket (not a visit's CPT code, "Office visit, new patient (99204)").
        if kw_text.ends_with('(') && kind == Kw::Value(Label::Mrn) && {
            let n = bytes[ke..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                .count();
            n < 6 || !matches!(bytes.get(ke + n), Some(b')' | b','))
        } {
            continue;
        }
        // "in case the number is 555-0123": the idiom, not a case.
        if kw_text.eq_ignore_ascii_case("case")
            && bytes[..ks].trim_ascii_end().len() + 1 == ks
            && ks >= 3
            && bytes[ks - 3..ks - 1].eq_ignore_ascii_case(b"in")
            && (ks == 3 || !bytes[ks - 4].is_ascii_alphanumeric())
        {
            continue;
        }
        // "Opened vendor case with Carestream (Case 02197734)", "support case 118-2207": a
        // vendor's support case about a machine, no patient's (blind batch 58).
        if kw_text.eq_ignore_ascii_case("case")
            // (Not a manufacturer's: "Manufacturer repair case: TW-RPR-5508127" is a
            // patient's hearing aid's.)
            && has_word(doc.before_line(ks, 48), words!["vendor", "support"])
        {
            continue;
        }
        // A link's query parameter ("...view?doc=Lt7Qx92KfA3m&mbr=KB28840631"): the link is
        // the finding.
        // (Only a value's keyword: a negative one, "track?order=SO-6613027", still says the
        // link is a business's.)
        if ks > 0
            && matches!(bytes[ks - 1], b'&' | b'?')
            && bytes.get(ke) == Some(&b'=')
            && matches!(kind, Kw::Value(_) | Kw::GenericId)
        {
            continue;
        }
        // Short all-letter keywords must be written in capitals ("SN", "DEA", "VIN", "Rx").
        // ("mrn", "ssn", "npi", "mbi", "clm", "mbr" and "icn" are no English words: lower case
        // says the same; nor is Spanish "soy", tested where it is read; nor "bib" before a
        // number, a runner's.)
        if kw_text.len() <= 3
            && kw_text.bytes().all(|b| b.is_ascii_alphabetic())
            && kw_text.bytes().all(|b| b.is_ascii_lowercase())
            && !matches!(
                kw_text,
                "rx" | "mrn"
                    | "ssn"
                    | "npi"
                    | "mbi"
                    | "clm"
                    | "mbr"
                    | "icn"
                    | "acc"
                    | "kit"
                    | "bib"
                    | "soy"
            )
        {
            continue;
        }
        // Skip separators and filler words.
        let mut p = ke;
        let limit = (ke + 48).min(text.len());
        let mut words = 0;
        let mut wrapped = false;
        loop {
            while p < limit
                // (Quotes, Markdown emphasis and code marks too: `"mrn": "LR3300917"`,
                // `**MRN:** SHC-2209184`.)
                && matches!(
                    bytes[p],
                    b' ' | b'\t'
                        | b':'
                        | b'#'
                        | b'.'
                        | b'('
                        | b')'
                        | b'-'
                        | b'='
                        | b','
                        | b'"'
                        | b'\''
                        | b'*'
                        | b'_'
                        | b'`'
                )
            {
                p += 1;
            }
            if p >= limit {
                break;
            }
            // "<td><b>MRN:</b></td><td>CR-2239460</td>", "Docket No.:</td><td>CP-38-...": a
            // form's label and its value in cells of an HTML table (blind batches 37 and 38).
            if bytes[p] == b'<'
                && bytes
                    .get(p + 1)
                    .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'/')
                && let Some(c) = bytes[p..limit].iter().take(40).position(|&c| c == b'>')
            {
                p += c + 1;
                continue;
            }
            // "| Member ID          | KSM30771264-02   |": a pasted portal's two-column table of
            // fields and values, the key's cell opening its line (blind batch 54).
            // (The key in the first cell, not a heading's further on: "| Patient | MRN | 911
            // calls (30d) |".)
            if bytes[p] == b'|' && doc.before_line(ks, 64).trim() == "|" {
                p += 1;
                continue;
            }
            // "Your band is an AdjustaBand AP-L, serial number\nABL09-4471-2286.": prose wrapped
            // between the cue and its value. Once, where the cue's line is a long line of prose
            // (words before the cue) and the next line goes on (not a blank line).
            if !wrapped && bytes[p] == b'\n' && wrapped_prose_at(text, doc, ks, p) {
                wrapped = true;
                p += 1;
                continue;
            }
            // "Accession # (from your portal): BOP24-011872", "Your Rx # (per your auto-reply):
            // 2283317-04": an aside in brackets, then a colon, between the cue and its value.
            if bytes[p - 1] == b'(' && words == 0 {
                let close = bytes[p..limit]
                    .iter()
                    .take(32)
                    .position(|&c| c == b')' || c == b'\n')
                    .map(|i| p + i);
                // (Words, not the value itself: "your account (GSR-0051260):"; and not an
                // organisation's acronym naming whose number it is: "Member ID (APC): 118204".)
                // (A record number's facility in capitals is whose record, not whose number:
                // "MRN (NFM):      NF-00418827", blind set YM.)
                let facility = |c: usize| {
                    kind == Kw::Value(Label::Mrn)
                        && (2..=8).contains(&(c - p))
                        && bytes[p..c].iter().all(u8::is_ascii_uppercase)
                };
                if let Some(c) = close.filter(|&c| {
                    bytes[c] == b')'
                        && !bytes[p..c].iter().any(u8::is_ascii_digit)
                        && (bytes[p..c].iter().any(u8::is_ascii_lowercase) || facility(c))
                }) && bytes.get(c + 1) == Some(&b':')
                {
                    p = c + 2;
                    words += 1;
                    continue;
                }
            }
            let w_end = bytes[p..limit]
                .iter()
                .position(|b| !b.is_ascii_alphabetic())
                .map_or(limit, |i| p + i);
            if w_end > p
                && words < 4
                && FILLER.eq_any_bytes(&bytes[p..w_end])
                && (w_end == limit || !bytes[w_end].is_ascii_digit())
            {
                p = w_end;
                words += 1;
                continue;
            }
            // "Serial dictated: RNB604218S", "Serial from remote: RNB604281S", "the recorder
            // serial number is on the back: H3R-0417762": a few words of a label, then its
            // colon, between a serial's cue and its value (the style corpus).
            // (Not "SN visit: 10/22/24", a skilled nursing visit.)
            if kind == Kw::Value(Label::Device)
                && words < 2
                && kw_text.len() >= 6
                && kw_text[..6].eq_ignore_ascii_case("serial")
            {
                let colon = bytes[p..limit]
                    .iter()
                    .take(40)
                    .position(|&c| c == b':' || c == b'\n')
                    .map(|i| p + i);
                if let Some(c) = colon.filter(|&c| {
                    bytes[c] == b':'
                        && c > p
                        && bytes[p..c]
                            .iter()
                            .all(|b| b.is_ascii_lowercase() || *b == b' ')
                        && bytes[p..c]
                            .split(|b| *b == b' ')
                            .filter(|w| !w.is_empty())
                            .count()
                            <= 6
                }) {
                    p = c + 1;
                    words += 1;
                    continue;
                }
            }
            // "CDL: Ohio RT482915", "driver's license on file (OH SR482917)", "NC CDL Class A
            // 000031847562", "State ID: Ohio ID card RK442197": the issuing state and the
            // licence's class come before its number.
            if kind == Kw::Value(Label::License) && words < 4 && w_end < limit {
                let w = &text[p..w_end];
                // (A code before digits alone stays part of the value, as written: "PA
                // 30418872"; "NE530765" is one word.)
                let next_has_letter = || {
                    bytes[w_end + 1..limit]
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                        .any(u8::is_ascii_alphabetic)
                };
                let state = bytes[w_end] == b' '
                    && (w.len() == 2 && STATES.contains(&w) && next_has_letter()
                        || STATE_NAMES.eq_any(w));
                let class = w.eq_ignore_ascii_case("class")
                    && bytes.get(w_end + 1).is_some_and(u8::is_ascii_uppercase)
                    && bytes.get(w_end + 2) == Some(&b' ');
                if state || words!["id", "card"].eq_any(w) {
                    p = w_end;
                    words += 1;
                    continue;
                }
                if class {
                    p = w_end + 2;
                    words += 1;
                    continue;
                }
            }
            // "SSN xxx-xx-4417", "SSN: XXX-XX-6620": a masked number's last four.
            if kind == Kw::Value(Label::Ssn)
                && bytes
                    .get(p..p + 7)
                    .is_some_and(|m| m.eq_ignore_ascii_case(b"xxx-xx-"))
                && bytes.get(p + 7).is_some_and(u8::is_ascii_digit)
            {
                p += 7;
                break;
            }
            // "SSN (last 4): 6630", "last four digits": the count is not the value.
            if text[p..w_end].eq_ignore_ascii_case("last") {
                let rest = &bytes[w_end..limit];
                let skip = [&b" 4"[..], b" four"]
                    .iter()
                    .find(|n| rest.len() > n.len() && rest[..n.len()].eq_ignore_ascii_case(n))
                    .map(|n| n.len());
                if let Some(n) = skip.filter(|&n| !rest[n].is_ascii_alphanumeric()) {
                    p = w_end + n;
                    words += 1;
                    continue;
                }
            }
            break;
        }
        if p >= text.len() {
            continue;
        }
        // "If you want to read that chart before conference, it's GCH-00418276", "the claim #
        // on the letter is 2026277-04419", "her member ID will be BSG447100263-03": the number
        // comes later in the sentence, after "is", "it's" or "be" (when no value follows the
        // cue itself). A case or claim number counts like one right after its cue.
        if let Kw::Value(
            label
            @ (Label::Mrn | Label::MemberId | Label::OtherId | Label::Device | Label::Account),
        ) = kind
            && !bytes[p..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                .any(u8::is_ascii_digit)
            && let Some((vs, ve)) = record_number_later(bytes, ke, label == Label::Device)
        {
            let (score, rule) = match label {
                Label::Mrn => (0.85, "mrn.sentence"),
                Label::MemberId => (0.85, "member_id.sentence"),
                Label::Device => (0.85, "device.sentence"),
                // ("The account number on the bill is 200388147": span-only, a buyer's account
                // reads the same.)
                Label::Account => (0.45, "account.sentence"),
                _ => (0.85, "other_id.context"),
            };
            let why = "record number later in the sentence of its cue";
            push(out, Some(label), vs, ve, score, rule, why);
            continue;
        }
        // "the copy of your driver's license we have on file (RT449182)", "The driver's license
        // number you typed, 07719432, doesn't match": the number later in the sentence, in
        // brackets or after a comma. Span-only (scored under [`crate::PHI_THRESHOLD`]).
        if kind == Kw::Value(Label::License)
            && !bytes[p..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                .any(u8::is_ascii_digit)
            && let Some((vs, ve)) = licence_number_later(bytes, ke)
        {
            let why = "licence number later in the sentence of its cue";
            push(
                out,
                Some(Label::License),
                vs,
                ve,
                0.45,
                "license.sentence",
                why,
            );
            continue;
        }
        if kind == Kw::NameAfter {
            // ("for your injured worker. Employer confirmed": the sentence ended; not a dotted
            // leader, "Injured worker ..... VOLKONSKY, DMITRI A.")
            if memchr::memmem::find_iter(&bytes[ke..p], b". ")
                .any(|i| i == 0 || bytes[ke + i - 1] != b'.')
            {
                continue;
            }
            if words!["this is", "it's", "its "].eq_any(kw_text)
                && !self_introduction(s, text, doc, ks, p)
            {
                continue;
            }
            // "soy" introduces the writer only after a greeting's comma or at a sentence's
            // start ("Hola buenas tardes, soy Guadalupe"), not as a word of a product's name
            // ("Similac Soy Isomil").
            if SPANISH_NAME_CUES.eq_any(kw_text)
                && !bytes.get(p).is_some_and(u8::is_ascii_uppercase)
            {
                continue;
            }
            // (Nor a member of staff introducing themselves: "Soy Kelly, la enfermera de la
            // escuela".)
            if kw_text.eq_ignore_ascii_case("soy")
                && (!bytes[..ks]
                    .trim_ascii_end()
                    .last()
                    .is_none_or(|c| matches!(c, b',' | b'.' | b'\n' | b'!'))
                    || has_word(
                        doc.after_line(p, 60),
                        words![
                            "enfermera",
                            "enfermero",
                            "doctora",
                            "doctor",
                            "coordinadora",
                            "coordinador",
                            "recepcionista",
                            "asistente",
                            "consejera",
                            "consejero",
                            "trabajadora",
                            "trabajador"
                        ],
                    ))
            {
                continue;
            }
            // "MR Technologists", "MRS Scheduling": capitals before a word that is not in
            // capitals are a modality or an acronym, not a title (an all-capitals notice keeps
            // "MR SMITH").
            let capitals = kw_text.bytes().all(|c| !c.is_ascii_lowercase());
            // ("MR  PRODUCT NOT ON FORMULARY": capitals without a dot, then a column's two
            // spaces, a claim's reject code, blind set YE.)
            // (A title's cue, "mr ", ends with its first space.)
            let code = capitals && kw_text.ends_with(' ') && bytes.get(ke) == Some(&b' ');
            let acronym =
                capitals && bytes.get(p + 1).is_some_and(|c| c.is_ascii_lowercase()) || code;
            // ("MR SHOULDER RT WO CONTRAST": a study's order, not a man.)
            let mr_study = capitals
                && kw_text.trim_end().eq_ignore_ascii_case("mr")
                && mr_study_order(doc.after_line(p, 60));
            if !(acronym || mr_study)
                && let Some(en) = name_after_cue(s, text, p)
            {
                let why = "name after a relative or title cue";
                push(out, Some(Label::Person), p, en, 0.85, "person.cue", why);
            }
            continue;
        }
        if kind == Kw::City {
            let town = || {
                // Right after the cue ("moved to the Procedures tab" is no place), and a move
                // only in mail to or from a patient ("Frank Osei, who is moving to Savannah":
                // staff news).
                let moving = kw_text.as_bytes()[..4].eq_ignore_ascii_case(b"movi")
                    || kw_text.as_bytes()[..4].eq_ignore_ascii_case(b"move")
                    || kw_text.as_bytes()[..4].eq_ignore_ascii_case(b"relo");
                (text[ke..p].bytes().all(|c| c == b' ') && (!moving || doc.consumer))
                    .then(|| residence_town(kw_text, text, p))
                    .flatten()
            };
            // ("lives with his parents in Strongsville": up to three lower-case words, then
            // "in" and the town.)
            let with = kw_text.eq_ignore_ascii_case("lives with")
                || kw_text.eq_ignore_ascii_case("staying with");
            let place = if with {
                town_after_company(text, ke)
                    .map(|(ts, te)| (ts, anchored(&s.city, text, ts).unwrap_or(te)))
            } else {
                anchored(&s.city, text, p).or_else(town).map(|ce| (p, ce))
            };
            if let Some((p, ce)) = place {
                // "Location: Gary, Indiana (approximate)": where a sign-in came from, a
                // person's place; any other "Location" is a clinic's or an event's.
                let approximate = || {
                    has_word(
                        &text[ke..doc.after_line(ce, 24).len() + ce],
                        words!["approximate", "approx"],
                    )
                };
                // (Not in mail whose headers name no personal mailbox: a vendor's sign-in
                // alert to a work mailbox locates a member of staff, blind set RA.)
                // (Nor where the line says it is the patient's: "Patient joined  IP ...
                // Location (approx.): Hershey, PA", a telehealth service's session log to the
                // clinic, blind batch 66.)
                let org = kw_text.eq_ignore_ascii_case("location")
                    && !((doc.consumer
                        || doc.froms.is_empty()
                        || has_word(doc.before_line(ks, 100), words!["patient", "client"]))
                        && approximate())
                    || doc.in_sig(p);
                // (A trip's start: span-only, "flying in from Seattle" may be a speaker's.)
                let trip = TRIP_CUES.eq_any(kw_text);
                if !org && trip {
                    let (r, why) = ("address.city_trip", "town a person travels in from");
                    push(out, Some(Label::Address), p, ce, 0.45, r, why);
                } else if !org {
                    let (r, why) = ("address.city", "city-level location of the patient");
                    push(out, Some(Label::Address), p, ce, 0.8, r, why);
                }
            }
            continue;
        }
        let ve = value_end(text, p);
        debug_assert_eq!(
            ve,
            anchored(&s.value, text, p),
            "value_end disagrees with VALUE"
        );
        // "Bulk fill, Chart Perma-Cyl 450 HP": a maker's product (Chart's tank), its name a
        // word in mixed case with no digit before the model's number; a chart number's first
        // part has a digit or is in capitals ("chart GCH 00418276"; blind batch 79).
        if kind == Kw::Value(Label::Mrn)
            && kw_text.eq_ignore_ascii_case("chart")
            && ve.is_some_and(|ve| {
                let first = text[p..ve].split(' ').next().unwrap_or("");
                first.bytes().any(|c| c.is_ascii_lowercase())
                    && !first.bytes().any(|c| c.is_ascii_digit())
            })
        {
            continue;
        }
        // "plate PA KLR-4471": a plate's state before its number is part of it (blind batch
        // 42); the state alone has no digit and would end the value.
        let ve = if kind == Kw::Value(Label::Vehicle)
            && ve == Some(p + 2)
            && STATES.contains(&&text[p..p + 2])
            && bytes.get(p + 2) == Some(&b' ')
        {
            value_end(text, p + 3).or(ve)
        } else {
            ve
        };
        // "Plate:    Colorado BWK-J47": the state's name before the number, which is the
        // value (blind batch 58).
        let (p, ve) = match kind {
            Kw::Value(Label::Vehicle) => {
                let w = bytes[p..]
                    .iter()
                    .take(16)
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count();
                if w >= 4
                    && ve.is_none_or(|e| e == p + w)
                    && bytes.get(p + w) == Some(&b' ')
                    && STATE_NAMES.eq_any(&text[p..p + w])
                {
                    (p + w + 1, value_end(text, p + w + 1))
                } else {
                    (p, ve)
                }
            }
            _ => (p, ve),
        };
        // "MN plate: HXP 418": a plate's letters and digits apart (blind batch 44).
        // (Read for a vehicle's keyword only: the other values pass as found.)
        let letters = if kind == Kw::Value(Label::Vehicle) {
            bytes[p..]
                .iter()
                .take(5)
                .take_while(|c| c.is_ascii_uppercase())
                .count()
        } else {
            0
        };
        let ve = match p + letters {
            e if (2..=4).contains(&letters)
                && ve.is_none_or(|v| v == e)
                && bytes.get(e) == Some(&b' ') =>
            {
                let n = bytes[e + 1..]
                    .iter()
                    .take(6)
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if (2..=5).contains(&n)
                    && !bytes.get(e + 1 + n).is_some_and(u8::is_ascii_alphanumeric)
                {
                    Some(e + 1 + n)
                } else {
                    ve
                }
            }
            _ => ve,
        };
        let Some(ve) = ve else {
            continue;
        };
        let mut ve = ve;
        let v = &text[p..ve];
        // "Donor ID:            XXX-XX-4417": a Social Security number masked to its last four
        // digits, whatever the key (a drug test's medical review officer report, blind batch
        // 62).
        if v.len() == 11
            && v.as_bytes()[7..].iter().all(u8::is_ascii_digit)
            && v.as_bytes()[..7].iter().enumerate().all(|(k, &c)| {
                if k == 3 || k == 6 {
                    c == b'-'
                } else {
                    matches!(c, b'X' | b'x' | b'*')
                }
            })
        {
            let why = "Social Security number masked to its last four digits";
            push(
                out,
                Some(Label::Ssn),
                p + 7,
                p + 11,
                0.95,
                "ssn.masked",
                why,
            );
            continue;
        }
        // "The SSN on the application ends in 4417", "SSN (last 4, per claim):3308": the last
        // four digits of the SSN named before the keyword (`ssn_last_four` reads them), not the
        // application's or the claim's number (blind batches 57 and 60).
        if kind == Kw::Value(Label::OtherId) && {
            let gap = &bytes[ke..p];
            let line = doc.before_line(ks, 24).as_bytes();
            let holds = |t: &[u8], w: &[u8]| t.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w));
            gap.len() <= 16 && (holds(gap, b"ends") || holds(gap, b"ending"))
                || holds(line, b"last 4")
                || holds(line, b"last four")
        } {
            continue;
        }
        // "submit the claim (CMS-1500)": a claim form's name, no claim's number.
        if NUMBER_SHAPED_NAMES.eq_any(v) {
            continue;
        }
        let kb = kw_text.as_bytes();
        let code_kw = kb.len() >= 4 && kb[kb.len() - 4..].eq_ignore_ascii_case(b"code");
        let letters_code = code_kw
            && (5..=10).contains(&v.len())
            && v.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !(v.bytes().any(|b| b.is_ascii_digit()) || letters_code) || v.len() < 3 || v.len() > 28 {
            continue;
        }
        // The value's digits, counted once for the tests below.
        let nd = v.bytes().filter(u8::is_ascii_digit).count();
        // ("the Tuesday trip 11/21", "her trip 0930 pickup": a bare "trip" before a date or a
        // time; a booking's number has a letter or five digits or more.)
        // ("Ohio license no.: OPT.0412877     NPI 1266384019": a licence on the line of an NPI
        // is a clinician's.)
        if kind == Kw::Value(Label::License)
            && has_word(&text[doc.line_start(p)..doc.line_end(p)], words!["npi"])
        {
            continue;
        }
        // ("Order # for our reference: 2025-1014-077": a supply order's, the buyer's own.)
        if kb.eq_ignore_ascii_case(b"our reference:")
            && ends_with_word(bytes[..ks].trim_ascii_end(), b"for")
        {
            continue;
        }
        // ("waiting on Buckeye trip confirmation for 11/21": the same for a confirmation.)
        if (kb.eq_ignore_ascii_case(b"trip ") || kb.eq_ignore_ascii_case(b"trip confirmation"))
            && (v.contains('/') || nd < 5 && !v.bytes().any(|c| c.is_ascii_alphabetic()))
        {
            continue;
        }
        // A decade, an age or an era ("A member in her 80s", "since the 1990s"): no number.
        if matches!(v.len(), 3 | 5)
            && v.ends_with("0s")
            && v.bytes().rev().skip(1).all(|c| c.is_ascii_digit())
        {
            continue;
        }
        // ("serial numbers DP9-2205-xxxxxx through DP9-2209-xxxxxx": a mask for a range of
        // numbers, no one's number; "XXXX-XX7731" still shows the last digits of one.)
        if v.len() >= 3
            && v.as_bytes()[v.len() - 3..]
                .iter()
                .all(|c| matches!(c, b'x' | b'X'))
        {
            continue;
        }
        // A template's dummy value ("member ID XXX00000000", "MRN 0000000"): every digit a zero.
        if nd >= 4 && v.bytes().filter(u8::is_ascii_digit).all(|c| c == b'0') {
            continue;
        }
        // "DL" in capitals, alone ("mg/dL" is a unit, "DL-22014" an item number), before five
        // digits or more.
        if kw_text.eq_ignore_ascii_case("dl")
            && (kw_text != "DL"
                || ks > 0 && matches!(bytes[ks - 1], b'/' | b'-')
                || bytes.get(ke) == Some(&b'-')
                || nd < 5)
        {
            continue;
        }
        if kw_text
            .as_bytes()
            .get(..3)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"fin"))
            && nd < 6
        {
            continue;
        }
        if ve < bytes.len() && is_word_byte(bytes[ve]) {
            continue;
        }
        if (kw_text.eq_ignore_ascii_case("subject")
            || kw_text
                .as_bytes()
                .get(..9)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"screening")))
            && !site_subject_shaped(v.as_bytes())
            && !registry_subject_in_prose(kw_text, v, &text[ve..])
        {
            continue;
        }
        // "had a good chart on the 2025 changes", "ClearScript Rx 2026 formulary changes": a year
        // is no chart, member, account, case or Rx number (an SSN's last four may look like one),
        // but a court's case number may start with one ("case 2025 MH 00612"). "the exclusion
        // chart for the 2025-26 school year": a span of years. "CareSource (Medicaid),9010.00":
        // an amount of money in a payer's row.
        if let Kw::Value(label @ (Label::Mrn | Label::MemberId | Label::Account | Label::OtherId)) =
            kind
        {
            let year = v.len() == 4
                && (v.starts_with("19") || v.starts_with("20"))
                && v.bytes().all(|c| c.is_ascii_digit());
            let years = matches!(v.as_bytes(), [b'1' | b'2', b'0' | b'9', _, _, b'-', _, _]
                if nd == 6);
            let other = label == Label::OtherId;
            if year && !(other && court_case_after(&bytes[ve..]))
                || years && !other
                || money_shaped(v.as_bytes())
            {
                continue;
            }
        }
        // "a new referral (G0270)", "claim line A0427": a capital and four digits is a HCPCS
        // billing code, no one's record; "every application (15271-15278 + ...)": a range of
        // procedure codes.
        if kind == Kw::Value(Label::OtherId)
            && (v.len() == 5
                && v.as_bytes()[0].is_ascii_uppercase()
                && v.as_bytes()[1..].iter().all(u8::is_ascii_digit)
                || code_range(v))
        {
            continue;
        }
        // "chart SpO2/HR manually", "trend the HbA1c": a measurement's name (both cases of
        // letters, a digit or two), not a record number.
        if matches!(
            kind,
            Kw::Value(Label::Mrn | Label::MemberId | Label::OtherId | Label::Account)
        ) && nd <= 2
            && v.bytes().any(|c| c.is_ascii_lowercase())
            && v.bytes().any(|c| c.is_ascii_uppercase())
        {
            continue;
        }
        // "the group NPI stays 1194875740": a lower-case word is prose, not the value's first
        // part (the number on its own is still checked by the patterns).
        let first = v.split(' ').next().unwrap_or(v);
        if v.len() > first.len() && first.bytes().all(|b| b.is_ascii_lowercase()) {
            continue;
        }
        // "The Clear Chart - March 2026": a month and a year, not a chart number.
        if v.len() > first.len()
            && first.bytes().all(|b| b.is_ascii_alphabetic())
            && MONTH_NAMES.eq_any(first)
        {
            continue;
        }
        // The word before the keyword names whose value it is ("PA reference", "report ID",
        // "customer account"): looked up only by the few rules below that ask.
        let owner = || last_word(before(text, ks, 24), b" \t:(#-");
        // "PA reference", "auth ref": a prior-authorisation number, not an order's.
        let kind = if kind == Kw::Negative
            && kw_text.len() >= 3
            && kw_text.as_bytes()[..3].eq_ignore_ascii_case(b"ref")
            && words![
                "pa",
                "auth",
                "authorization",
                "authorisation",
                "referral",
                "claim",
                "prior"
            ]
            .eq_any(owner())
        {
            Kw::Value(Label::OtherId)
        } else {
            kind
        };
        // ("Diagnosis on order:   Q16.1", "Working diagnoses in our chart: T68.XXXA": a dotted
        // code of the ICD-10 list is a diagnosis whatever its key says, blind batches 53 and
        // 54.)
        if v.as_bytes().get(3) == Some(&b'.') && listed_icd10(s, v) {
            continue;
        }
        let label = match kind {
            // "400 Terrace Ave, Room 114, Enola, PA": a room after a street is part of the
            // address (a care home's resident), not a number to set aside (blind batch 48).
            Kw::Negative
                if bytes[ks..ke].eq_ignore_ascii_case(b"room")
                    && text[..ks].ends_with(", ")
                    && words![
                        "st", "street", "ave", "avenue", "rd", "road", "dr", "drive", "ln", "lane",
                        "blvd", "ct", "court", "way", "pl", "place", "pkwy", "pike"
                    ]
                    .eq_any(last_word(&text[..ks - 2], b" ").trim_end_matches('.')) =>
            {
                continue;
            }
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
                // "report ID", "provider ID", "vendor ID", a vendor's "Customer ID": the thing
                // named is not a person;
                // nor is a product's ("CAQH ProView ID"): the word before the owner counts too.
                let named = owner();
                // "Caller ID: 6125550121": a voicemail's caller's phone number, no record's
                // (a fax server's "Caller-ID" is the sending office's fax line).
                if named.eq_ignore_ascii_case("caller") {
                    let digits = v.bytes().filter(u8::is_ascii_digit).count();
                    if (digits == 10 || digits == 11 && v.starts_with(['1', '+']))
                        && !has_word(before(text, ks, 200), words!["fax", "pages", "page"])
                        && !has_word(
                            &text[ve..floor_cb(text, (ve + 120).min(text.len()))],
                            words!["fax", "pages", "page"],
                        )
                    {
                        let why = "phone number after a voicemail's caller ID";
                        push(out, Some(Label::Phone), p, ve, 0.9, "phone.context", why);
                    }
                    continue;
                }
                let named2 = || word_before(text, named, b" \t:(#-");
                let named_words = words![
                    "report",
                    // A scheduled report's ("Run ID: 2209183374", blind batch 35); a vendor
                    // invoice's remittance ("Remit ID: 1720493318", blind batch 36).
                    "run",
                    "remit",
                    "remittance",
                    "meeting",
                    "conference",
                    "tax",
                    "caqh",
                    "group",
                    "employer",
                    "provider",
                    "vendor",
                    "user",
                    "login",
                    "transaction",
                    "batch",
                    "order",
                    "ticket",
                    // A shipment's ("next shipment ordered (Ship ID SHP-771-2040)", blind batch
                    // 79).
                    "ship",
                    "shipment",
                    "lot",
                    "model",
                    "npi",
                    "payer",
                    "product",
                    "job",
                    "site",
                    "facility",
                    "supplier",
                    "submission",
                    "contract",
                    "invoice",
                    "webinar",
                    "zoom",
                    "clinic",
                    "practice",
                    "department",
                    "store",
                    "location",
                    "customer",
                    "merchant",
                    "broker",
                    "agency",
                    "seller",
                    "submitter",
                    // ("Partner: Bridgeway Free Clinic (Partner ID 60-1187)".)
                    "partner",
                    // Staff's own ("Luis Carrasco (Staff ID 4471)", "routed to a different
                    // interpreter (ID HC-0417)").
                    "staff",
                    "interpreter",
                    "interp",
                    "badge",
                    // ("Prescriber ID:   1582047399  (FENNIMORE, THERESA)", a claim's reject,
                    // blind set YE: the prescriber's NPI.)
                    "prescriber",
                    // A managed care plan's own ("Rivergate Community Health Plan (MCP ID
                    // 0419)").
                    "mcp",
                    "mco",
                    "aco",
                    "ipa",
                    // A vendor platform's customer ("Tenant: larkspurchc (Org ID 30417)") and
                    // a webinar's attendee ("Registration ID: 1419061870"), blind batch 57:
                    // none of the style corpus's 33 is a patient's.
                    "org",
                    "organization",
                    "tenant",
                    "registration",
                    // An HL7 message's own number ("MSG CONTROL ID: LFM20251015142701883").
                    "control",
                    // A course's accreditation ("Activity ID 25-GTHS-0418", blind batch 60).
                    "activity",
                    "course",
                ];
                if named_words.eq_any(named) || !named.is_empty() && named_words.eq_any(named2()) {
                    continue;
                }
                let ctx = before(text, ks, 160);
                // "the old payer ID (PVHP1). New ID is 60318": the ID spoken of is the one
                // named just before.
                if has_word(
                    ctx,
                    words!["payer id", "provider id", "vendor id", "tax id"],
                ) {
                    continue;
                }
                // "Your ERA (835) enrollment request has been approved ... Enrollment ID:
                // ENR-55120": a practice's enrollment for electronic remittances or payments.
                if named.eq_ignore_ascii_case("enrollment")
                    && has_word(ctx, words!["era", "eft", "835", "edi", "remittance"])
                {
                    continue;
                }
                if has_word(
                    ctx,
                    words![
                        "member",
                        "insurance",
                        // ("Ins: Lakeshore Mutual PPO, ID LKM448102976", "pls verify elig for
                        // ..., ID TGH884120375-01".)
                        "ins",
                        "elig",
                        "eligibility",
                        "plan",
                        "medicaid",
                        "medicare",
                        "subscriber",
                        "payer",
                        "coverage",
                        "insured",
                        "beneficiary",
                        "policy",
                        "cardholder",
                    ],
                ) || dependent_suffix(v.as_bytes())
                {
                    Label::MemberId
                } else {
                    Label::OtherId
                }
            }
            // "ICN: 1013847265V390214", "Veteran ID: 1017734920V551803": the VA's integration
            // control number, ten digits, "V" and six, names one veteran (blind batch 40; a
            // claim's "ICN" of digits alone stays a claim's number).
            Kw::Value(_) if va_icn_shaped(v.as_bytes()) => Label::MemberId,
            Kw::Value(l) => l,
            Kw::City
            | Kw::NameAfter
            | Kw::Heading
            | Kw::LastFour
            | Kw::Reschedule
            | Kw::RequestKey => continue,
        };
        // Claim, Rx and accession numbers run longer: "policies RX-114" names a policy.
        if label == Label::OtherId && nd < 4 && !letters_code {
            continue;
        }
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
                // ("we'll plate 14/12 per your RSVP list": the kitchen's verb, a count.)
                if v.len() > 17 || nd == v.len() && v.len() > 8 || v.contains('/') {
                    continue;
                }
                // ("Crest anterior cervical plate, 2-level, 37mm": an implant's plate and a
                // count of levels, a word after the hyphen; blind batch 52.)
                if v.split_once('-')
                    .is_some_and(|(_, w)| w.len() >= 3 && w.bytes().all(|c| c.is_ascii_lowercase()))
                {
                    continue;
                }
                // ("Dr. Okafor's TX registration (FO4829137)": a prescriber's controlled
                // substance registration, a DEA number.)
                if dea_valid(v) {
                    continue;
                }
                // "Please add the new van to our commercial auto policy: 2024 Ford Transit,
                // VIN ...": an organisation's vehicle.
                let near = before(text, ks, 200);
                // ("Unit: Van 3 - 2019 Ford Transit ... VIN": a program's van in for repair.)
                let fleet = words![
                    "fleet",
                    "commercial",
                    "company",
                    "agency",
                    "van",
                    "vans",
                    "shuttle",
                    "bus",
                    "ambulance",
                    "unit",
                    "repair",
                    "maintenance",
                    // A traveller's rental car ("Rental (Enterprise, conf ..., plate ...)").
                    "rental",
                    // A mobile clinic's ("2017 Freightliner M2 106 / mobile mammo body VIN
                    // ...": a screening coach).
                    "coach",
                    "coaches",
                    "mobile",
                ];
                // "plate P-1015-A on AmpliQ #2, NTC in H12 is amplifying": a laboratory's
                // 96-well plate in a run, no car (blind batch 58).
                if kw_text.eq_ignore_ascii_case("plate")
                    && has_word(
                        &text[floor_cb(text, ks.saturating_sub(300))
                            ..ceil_cb(text, (ve + 300).min(text.len()))],
                        // (Not "PCR", "Ct", "well" or "extraction": a patient's COVID test,
                        // a CT scan, "as well" and a tooth's beside a car's plate.)
                        words![
                            "ntc",
                            "ntcs",
                            "wells",
                            "qpcr",
                            "amplifying",
                            "amplification",
                            "pipette",
                            "thermocycler",
                            "re-queueing",
                            "96-well",
                            "384-well",
                            "master mix"
                        ],
                    )
                {
                    continue;
                }
                // ("three of your staff vehicles did not match the permit list ... plate WI
                // ABV-2219": a landlord's garage audit of a tenant's staff, whoever "your" is;
                // blind batch 42's plates with their state.)
                if has_word(
                    before(text, ks, 400),
                    words![
                        "staff vehicle",
                        "staff vehicles",
                        "employee vehicle",
                        "employee vehicles",
                        // ("Your leased fleet unit is due for service", blind batch 44.)
                        "fleet unit",
                        "fleet vehicle",
                        "fleet vehicles",
                        "leased vehicle",
                        "company car",
                        "company vehicle"
                    ],
                ) {
                    continue;
                }
                // (Whose first: a vehicle's owner is named near most numbers, and the fleet
                // words are looked for only without one; `vehicle_kept_near` reads 400 bytes.)
                // ("Your regular driver will still be Marcus Delgado (van 14, plate JFK 4821)": a
                // fleet's numbered van, whoever drives it; blind set RN.)
                let numbered = || {
                    let line = doc.before_line(ks, 40).to_ascii_lowercase();
                    ["van ", "truck ", "unit ", "car "].iter().any(|w| {
                        line.match_indices(w).any(|(i, _)| {
                            (i == 0 || !line.as_bytes()[i - 1].is_ascii_alphabetic())
                                && line
                                    .as_bytes()
                                    .get(i + w.len())
                                    .is_some_and(u8::is_ascii_digit)
                        })
                    })
                };
                if numbered() {
                    continue;
                }
                // "and my civic (white, plate HFX 2290) is in the staff lot": a member of
                // staff's own car, in mail they write from the organisation's mailbox (blind
                // set TQ); not "my client's car".
                if nearest_cue(doc, ks, 60, FIRST_PERSON, NOT_THE_WRITERS) == Some(true)
                    && !doc.consumer
                    && doc.staff_writes_at(ks)
                {
                    continue;
                }
                // ("a gray Toyota Highlander, Ohio plate JRK 8305, parked in the ambulance
                // bay": a visitor's car where it should not be, not an ambulance; blind set TQ.)
                let fleet_near = || {
                    has_word(near, fleet)
                        && (!has_word(near, words!["ambulance bay"])
                            || has_word(
                                &near.to_ascii_lowercase().replace("ambulance bay", ""),
                                fleet,
                            ))
                };
                // "(per your itinerary ...) arriving 11:52 AM.\nPickup: Gus Ferreira will meet
                // you ... in the white camp van (Ford Transit, PA plate ZKT-4471": a word that
                // says whose in an earlier sentence owns no vehicle the plate's own sentence
                // names (a camp's van collecting a volunteer doctor, blind batch 74).
                // (Its line's sentence, and the noun in lower case: "Driver: Nguyen Van Minh
                // (brother), Ohio plate" names a brother.)
                let own_sentence = || {
                    let line = doc.before_line(ks, 200);
                    let sentence = &line[last_sentence_start(line.as_bytes())..];
                    // (`whole_word_at` matches case and all.)
                    [&b"van"[..], b"shuttle", b"bus"]
                        .iter()
                        .any(|w| !whole_word_at(sentence.as_bytes(), w).is_empty())
                        && !has_word(sentence, VEHICLE_OWNERS)
                };
                if !has_word(near, VEHICLE_OWNERS)
                    && (fleet_near() || vehicle_kept_near(text, ks, ve))
                    || own_sentence()
                    // ("Fleet vehicles: ... Unit 1 (white Explorer, OH plate TRDA 01)", under a
                    // line about "your home": the number's own line says whose.)
                    || {
                        let line = doc.before_line(ks, 200);
                        has_word(line, words!["fleet", "commercial", "company", "rental"])
                            && !has_word(line, VEHICLE_OWNERS)
                    }
                {
                    continue;
                }
                (0.9, "vehicle.context", "licence plate or VIN keyword")
            }
            // "Louisiana Medicaid LA0091827364", not "Medicaid 2026 changes".
            // ("vitamin D supplement 2000 IU": a dose.)
            Label::MemberId
                if nd < 6
                    && [
                        "medicaid",
                        "medi-cal",
                        "masshealth",
                        "medigap",
                        "supplement",
                    ]
                    .iter()
                    .any(|k| kw_text.eq_ignore_ascii_case(k)) =>
            {
                continue;
            }
            // "Samuel J. Whitcombe, MD\nNPI: ...\nPolicy #: MPL-0448127": a clinician's
            // malpractice policy in a credentialing file.
            Label::MemberId if practitioner_block(doc, ks) || doc.enrollment_subject => {
                continue;
            }
            // "1) 401(k) MATCH INCREASE ... enroll at the Fidelity NetBenefits site ... Plan
            // number 71048": an employer's retirement plan (blind set SP).
            Label::MemberId
                if {
                    // (Not an area code's "401-555-0193".)
                    let near = doc.lines_before(ks, 4);
                    near.contains("40")
                        && (["401(k)", "403(b)", "401(K)", "403(B)"]
                            .iter()
                            .any(|p| near.contains(p))
                            || has_word(near, words!["401k", "403b"]))
                } =>
            {
                continue;
            }
            // "Policy: Ophthalmologic VEGF Inhibitors\nPolicy number: 2025D0071Q": a payer's
            // medical or drug policy, a document with a title, not a member's insurance policy
            // (blind set RZ).
            Label::MemberId
                if kw_text.len() >= 6
                    && kw_text.as_bytes()[..6].eq_ignore_ascii_case(b"policy")
                    && payer_policy_document(doc, ks) =>
            {
                continue;
            }
            Label::MemberId => (
                0.9,
                "member_id.context",
                "member/subscriber/Medicare/Medicaid ID keyword",
            ),
            Label::Mrn => (0.9, "mrn.context", "medical record number keyword"),
            // "Invoice #INV-2025-09-4471 ... Please reference account SB-0098": in a vendor's
            // business mail (orders, invoices) with no personal mailbox, the account is the
            // customer organisation's.
            // "Please ensure EMR access (monitor read-only account MON-0412-02) is active": a
            // user's login to a system (blind set SZ), not a patient's account.
            Label::Account
                if has_word(
                    doc.before_line(ks, 40),
                    words!["read-only", "login", "user", "guest", "service", "admin"],
                ) =>
            {
                continue;
            }
            Label::Account if doc.business && !doc.consumer => {
                continue;
            }
            // "Customer account 300417", "client acct": the practice's account with a vendor;
            // "fleet acct 55-0310", its vans' with a garage.
            Label::Account
                if words![
                    "customer",
                    "client",
                    "vendor",
                    "supplier",
                    "merchant",
                    "wholesaler",
                    "fleet",
                    // ("Shipper account: 84-2217-0093", "IPS Deposit Acct ending 4471": a
                    // courier's customer and a bank's depositor, the organisation; blind batch
                    // 40.)
                    "shipper",
                    "deposit",
                    "operating",
                    "payroll",
                    "lockbox",
                    "escrow"
                ]
                .eq_any(owner()) =>
            {
                continue;
            }
            // "Customer: Ashford Regional Medical Center (acct 100448-ARMC)": the account of the
            // organisation named just before it.
            // (The organisation's name right before the bracket: "your stay from January 14 to
            // January 17, 2025 (account 7100439185)" is the patient's; and a bill for someone:
            // "the hospital already sent a bill for the baby, account HB-90044127".)
            Label::Account
                if {
                    let line = doc.before_line(ks, 80);
                    let head = line.trim_end();
                    has_word(line, ORG_WORDS)
                        && (head.ends_with('(')
                            && ORG_WORDS.eq_any(last_word(head.trim_end_matches('('), b" ,"))
                            || has_word(
                                line,
                                words!["customer", "client", "sold", "bill", "ship", "vendor"],
                            ) && !has_word(
                                line,
                                words![
                                    "patient", "pt", "his", "her", "my", "your", "baby", "mother",
                                    "father", "son", "daughter", "wife", "husband", "mom", "dad"
                                ],
                            ))
                } =>
            {
                continue;
            }
            // "Bill to account 30094-TCPD", "Bill to our account 0074412, Net 30": a buyer's
            // account with its supplier, unless a patient's account is meant ("bill to her
            // account").
            Label::Account
                if {
                    let line = doc.before_line(ks, 40);
                    memchr::memmem::find_iter(line.as_bytes(), b" to ")
                        .any(|k| k >= 4 && line.as_bytes()[k - 4..k].eq_ignore_ascii_case(b"bill"))
                        && !has_word(line, words!["patient", "pt", "his", "her", "their", "my"])
                } =>
            {
                continue;
            }
            // "ACCT XXXXXX4471 (LUMC INTL PATIENT DEPOSITS)", "84-2217-0093 (LAKEMONT UNIV MED
            // CTR - INTL PT SVCS)": the account holder named in brackets after the number, an
            // organisation (blind batch 40).
            Label::Account
                if {
                    let after = doc.after_line(ve, 64);
                    let holder = &after[..after.find(')').unwrap_or(after.len())];
                    // (In capitals, as a bank's or a courier's record writes it; not "(Bariatric
                    // Clinic - 12 mo post-op)", what the encounter was.)
                    after.starts_with(" (")
                        && !holder.bytes().any(|c| c.is_ascii_lowercase())
                        && has_word(
                            holder,
                            words![
                                "deposits", "svcs", "ctr", "univ", "med", "medical", "center",
                                "hospital", "clinic", "inc", "llc", "health", "pharmacy"
                            ],
                        )
                } =>
            {
                continue;
            }
            Label::Account => (0.9, "account.context", "account number keyword"),
            // "Brightwater Home Care, HHA license #1147", "our pharmacy license": the
            // organisation's.
            Label::License
                if has_word(
                    doc.before_line(ks, 60),
                    words![
                        "agency", "facility", "our", "business", "clinic", "pharmacy", "hha"
                    ],
                ) =>
            {
                continue;
            }
            // "Larkspur Home Care & Nursing LLC\n  ODH license # 0617-HHA-2281": an agency's or
            // a pharmacy's licence, under or beside the organisation's name.
            Label::License
                if {
                    let two = doc.lines_before(ks, 1);
                    let two = &two[floor_cb(two, two.len().saturating_sub(160))..];
                    has_word(two, words!["llc", "inc", "agency", "facility", "pharmacy"])
                        && !has_word(
                            two,
                            words![
                                "patient",
                                "pt",
                                "his",
                                "her",
                                "my",
                                "your",
                                "driver",
                                "drivers",
                                "client",
                                "member",
                                "caregiver"
                            ],
                        )
                } =>
            {
                continue;
            }
            // "DEA registration BK7181477 expires 4/30/2025 ... needs your Ohio license #
            // (35.098712)": a prescriber's credentials beside their DEA, NPI or CAQH.
            Label::License
                if has_word(
                    doc.lines_before(ks, 1),
                    words!["dea", "caqh", "credentialing"],
                ) =>
            {
                continue;
            }
            // "Rosa Delgado   Driver's license   04/21/2026": a table of expiry dates, not a
            // licence's number.
            Label::License if date_shaped(v) => continue,
            // "LICENSE NUMBER:       021184420\nLICENSEE:             KESSLER FAMILY PHARMACY
            // LLC": a board's notice of an establishment's licence (blind set SM).
            // (The next line's label only: one compare.)
            Label::License
                if {
                    let le = doc.line_end(ve);
                    text.as_bytes()
                        .get(le + 1..le + 9)
                        .is_some_and(|w| w.eq_ignore_ascii_case(b"licensee"))
                } =>
            {
                continue;
            }
            // ("WI Cert #48821", "CME certificate #": a technician's or a clinician's too.)
            Label::License if SPAN_ONLY_CUES.eq_any(kw_text) => (
                0.45,
                "license.certificate",
                "certificate number: span-only, staff hold certificates too",
            ),
            Label::License => (
                0.9,
                "license.context",
                "licence/state ID/certificate keyword",
            ),
            // "Asset tag: 0017734  Model: Alaris 8100  Serial: 12845503", "loaner ... serial":
            // the hospital's equipment, not a device in a patient. (A loaner that goes home
            // with the patient is theirs meanwhile: "I gave him one of our loaner glucometers,
            // serial GM4-77103852", "the loaner we sent home (Accent 1000, serial ...)".)
            Label::Device
                if has_word(
                    doc.before_line(ks, 80),
                    words![
                        "asset",
                        "hospital-owned",
                        "inventory",
                        "scanner",
                        "router",
                        "switch",
                        "mgmt",
                        "firmware",
                        "server",
                        "printer",
                        "workstation",
                    ],
                ) || has_word(doc.before_line(ks, 80), words!["loaner"])
                    && !has_word(
                        doc.before_line(ks, 80),
                        words!["him", "her", "his", "home", "patient", "pt", "you", "your"],
                    ) =>
            {
                continue;
            }
            // ("TS2-100,TeleSense MCT-2 transmitter,188,31,904": a count in an inventory's
            // row, blind set RH; serial numbers have five characters or more.)
            Label::Device if v.len() < 5 => continue,
            // ("Home health (SN 2x/wk x 4 wks, PT 2x/wk)": skilled nursing's visits a week, no
            // serial number; blind batch 56.)
            Label::Device
                if v.split_once('/').is_some_and(|(_, per)| {
                    !per.is_empty() && per.bytes().all(|c| c.is_ascii_lowercase())
                }) =>
            {
                continue;
            }
            // "demo s/n LG2-DEMO-00817": a vendor's demonstration unit (blind set YP).
            Label::Device
                if v.as_bytes()
                    .windows(4)
                    .any(|w| w.eq_ignore_ascii_case(b"demo")) =>
            {
                continue;
            }
            // "serial numbers AVR330000 - AVR341999": a range in a maker's field notice.
            Label::Device
                if {
                    // The connector, then a serial as long, with the same first two bytes.
                    let after = doc.after_line(ve, 40).trim_start();
                    ["-", "\u{2013}", "to ", "through "]
                        .iter()
                        .find_map(|r| after.strip_prefix(r))
                        .is_some_and(|rest| {
                            let rest = rest.trim_start().as_bytes();
                            let n = rest
                                .iter()
                                .take_while(|c| c.is_ascii_alphanumeric())
                                .count();
                            n == v.len() && n >= 2 && rest[..2] == v.as_bytes()[..2]
                        })
                } =>
            {
                continue;
            }
            // "Pump SN 12894471 (8015 PC unit, pod A) failed the last two pushes, please tag it
            // out and send to biomed": equipment taken out of service (a patient's device is
            // not tagged out), unless the line names whose it is.
            Label::Device
                if has_word(
                    doc.after_line(ve, 160),
                    words!["tag it out", "tagged out", "tag out", "pulled from service"],
                ) && !has_word(
                    doc.before_line(ks, 160),
                    words!["patient", "pt", "his", "her", "your", "home"],
                ) =>
            {
                continue;
            }
            // "... model LX-5000, S/N LX5K-20931, software 4.2.1", "the M11 unit (S/N V2218440,
            // installed 2019)", "the visual field analyzer (S/N HFA-811207)": a practice's
            // equipment, unless the line names a device that goes with a patient.
            Label::Device
                if {
                    // This line and the one above ("Advance XC-800 chemistry analyzer\n  Serial
                    // number: XC8-20417-0093"), at most 160 bytes.
                    let two = doc.lines_before(ks, 1);
                    let line = &two[floor_cb(two, two.len().saturating_sub(160))..];
                    let after = doc.after_line(ve, 40);
                    let equipment = words![
                        "analyzer",
                        "autoclave",
                        "sterilizer",
                        "installed",
                        "software",
                        "instrument",
                        "instruments",
                        // A vaccine fridge's temperature log ("data logger (serial ...)").
                        "logger",
                        "refrigerator",
                        "fridge",
                        "freezer",
                        // A walk-in cooler's service report ("Equipment ..... Walk-in mortuary
                        // cooler ... Serial ........ 2209-44817-B", blind batch 72).
                        // (Not "compressor": a patient's nebuliser has one.)
                        "cooler",
                        // A visit-verification kiosk ("Product: Mobile Connect / Agency kiosk\n
                        // Device: Samsung Galaxy Tab A8, serial ...").
                        "kiosk",
                        "thermometer",
                        // Imaging equipment ("Replaced wireless DR detector (old S/N ...)",
                        // "the S10 in Room 2 (SN 97762SX)").
                        "detector",
                        "recalibrated",
                        "calibrated",
                        "probe",
                        "probes",
                        "room",
                        "machine",
                        "machines",
                        "scanner",
                        // (Not "MRI": "MRI SureScan" is a pacemaker's MRI-safe model.)
                        "oct",
                        "laser",
                        "handpiece",
                        "calibration",
                        "error",
                        "ultrasound",
                        "x-ray",
                        // A therapy gym's ("Woodway treadmill (Millbrook, SN ...)", "force
                        // plate recalibration").
                        "treadmill",
                        "ergometer",
                        "elliptical",
                        "hydrocollator",
                        "whirlpool",
                        "plinth",
                        "recalibration",
                        "maintenance",
                        // An office's emergency kit ("AED (ZOLL AED Plus) SN ...").
                        "aed",
                        // A practice's fleet in a maker's recall ("I checked both of our units.
                        // Grand Haven unit is SN VS3-22D-10457 (not in the affected range)").
                        "our units",
                        "affected range",
                        // A procedure room's scopes ("scope SN 2814577 ... failed its leak
                        // test", "Olympus RMA 80-331962").
                        "scope",
                        "scopes",
                        "endoscope",
                        "cystoscope",
                        "colonoscope",
                        "gastroscope",
                        "bronchoscope",
                        "rma",
                        "leak",
                        // An office's machines ("Model: AltaLink C8155, serial 3TB447182, asset
                        // tag RHO-IT-0219").
                        "asset",
                        "copier",
                        "printer",
                        // A mobile clinic's generator ("Onan QG 7000 diesel, S/N K190584432";
                        // not "generator": a pacemaker's pulse generator is the patient's).
                        "diesel",
                        // An ambulance's stretcher ("Stretcher s/n 190843211 (Medic 7)"), a
                        // clinic's driving simulator, a wound centre's hyperbaric chambers
                        // ("Semiannual PM, monoplace chamber, SN 2500-4471"; not "chamber": a
                        // "dual-chamber pacemaker" is a patient's).
                        "stretcher",
                        "medic",
                        "simulator",
                        "monoplace",
                        "multiplace",
                        "hyperbaric",
                        // A histology lab's ("cryostat service, unit SN CS-7741-0923").
                        "cryostat",
                        "microtome",
                        "centrifuge",
                        "incubator",
                        // Leased equipment ("The base lease for both units (serial UVD-2207").
                        "lease",
                        "leased",
                        // An audiology practice's sound booths and test equipment ("GSI
                        // AudioStar Pro, s/n AS2-118734 (Booth 1)").
                        "booth",
                        "audiometer",
                        "tympanometer",
                        // A service visit's ("Visit: Monthly preventive maintenance").
                        "preventive maintenance",
                        // An infusion centre's chairs ("the footrest on the recliner in bay 4
                        // (model IR-450, S/N CM450-22871)", blind set RD; not "footrest": a
                        // wheelchair's is its rider's).
                        "recliner",
                        "recliners",
                        // A video interpreting cart and the organisation's computers ("Cart:
                        // STA-VRI-07, serial LVC22A004871, app 4.2.9", blind set RA).
                        "cart",
                        "carts",
                        "ipad",
                        "ipads",
                        "laptop",
                        "laptops",
                        "workstation",
                        // A vendor's demonstration units ("two demo kits (scale s/n
                        // VBS2-000418 and VBS2-000419)", blind set SU; not one "demo unit",
                        // which may be loaned to a patient).
                        "demo kit",
                        "demo kits",
                        "demo units",
                        // An orthodontic office's intraoral scanners ("firmware on both scanners
                        // (Kentwood SN 5D-22K04719, ...", blind set TA).
                        "scanner",
                        "scanners",
                        "firmware",
                        // A department's storage ("VitalStim unit (serial VS-20-44817) back from
                        // repair, in the SLP closet", blind set TB).
                        "closet",
                        "storage",
                        "supply room",
                        // A reading station's display ("right screen (SN 2189004417) failed
                        // DICOM GSDF check", blind set TC).
                        "dicom",
                        // A building's heating and cooling ("failed run capacitor on RTU-3
                        // (Carrier 48TC, serial 4419G20871)", blind set TU). (Not "work order":
                        // "I opened work order WO-260318 for your dad's chair"; not
                        // "compressor": a home nebulizer's.)
                        // A nuclear pharmacy's radiation survey meter ("Post-incident survey
                        // (Halvorsen HM-14 SN 220731): package surface 11 mR/h", blind batch
                        // 76).
                        "survey meter",
                        "survey",
                        "dose calibrator",
                        "dosimeter",
                        "hvac",
                        "rtu",
                        "rooftop",
                        "capacitor",
                        "condenser",
                        "chiller",
                        "boiler",
                        "breaker",
                        // ("Your water heater (Rheem, serial Q091812345) is also set to 150F",
                        // a plumber's quote, blind set UM.)
                        "water heater",
                        "furnace",
                        // A sterile compounding room's hoods ("PEC 2 - NuAire NU-543-400 s/n
                        // 198223077", a certifier's report, blind set UC).
                        "pec",
                        "hood",
                        "hoods",
                        "biosafety",
                        "isolator",
                        "cleanroom"
                    ];
                    // Many serial numbers on one line ("   SN LVP4-0021877   SN
                    // LVP4-0021879 ...", a maker's recall of the pumps registered to a
                    // facility, blind set SZ): a fleet's.
                    let several = || {
                        let sn = |h: &str| {
                            memchr::memmem::find_iter(h.as_bytes(), b"SN ").count()
                                + memchr::memmem::find_iter(h.as_bytes(), b"S/N ").count()
                        };
                        // (Four or more: a patient's pacemaker and its two leads are three.)
                        sn(&text[doc.line_start(ks)..doc.line_end(ks)]) >= 4
                    };
                    (doc.equipment_subject
                        // A service company's visit to the organisation's machines, whatever
                        // the subject says ("RE: Annual PM - spirometers both sites" confirming
                        // "annual preventive maintenance and calibration verification for your
                        // two SpiroVue 300 units").
                        || doc.maintenance_visit()
                        || doc.organisation_customer()
                        || several()
                        || has_word(line, equipment)
                        || has_word(after, equipment)
                        // A supplier's invoice line with its price ("Replacement video
                        // laryngoscope handle, S/N VLH22-0419833  $1,240.00", blind set RC).
                        || doc.business && price_on_line(doc, ve)
                        // ("Unit 3 (Storz Modulith SLX-F2, SN 40217-03) route": one of a
                        // fleet's numbered units.)
                        || memchr::memmem::find_iter(line.as_bytes(), b"Unit ").any(|k| {
                            line.as_bytes()
                                .get(k + 5)
                                .is_some_and(u8::is_ascii_digit)
                        }))
                        // (On this line only; not "your": "have your backup analyzer (XC-400,
                        // SN ...)" is a lab's, and "your pacemaker" names the device.)
                        && !has_word(
                            doc.before_line(ks, 80),
                            words![
                                "pacemaker",
                                "defibrillator",
                                "icd",
                                "implant",
                                "implanted",
                                "pump",
                                "cpap",
                                "bipap",
                                "stimulator",
                                "cochlear",
                                "hearing",
                                "prosthesis",
                                "cgm",
                                "patient",
                                "pt",
                                "his",
                                "her",
                            ],
                        )
                        // (A monitor or a sensor may be a patient's, unless the subject is the
                        // organisation's equipment: "Sensor S/N: TG4-22918-0471" in a
                        // medication fridge's alarm, blind set RD.)
                        && (doc.equipment_subject
                            || !has_word(doc.before_line(ks, 80), words!["monitor", "sensor"]))
                } =>
            {
                continue;
            }
            // "Pump 3 (SN MDP2-00417) is still throwing calibration error E-14": one of the
            // organisation's numbered units, whatever kind (blind set SA).
            Label::Device if numbered_equipment_before(doc.before_line(ks, 32)) => continue,
            // A serial number with nobody near it to own it: a vendor's shipment, a service
            // case, an invoice line. It counts only beside words about someone's care.
            Label::Device if !device_owner_near(text, ks, ve) => (
                0.9,
                "device.unowned",
                "serial number keyword, no patient or personal device named near it",
            ),
            Label::Device => (0.9, "device.context", "serial number keyword"),
            // ("HCV RNA, QUANT, REAL-TIME PCR (87522)", "Ref. PCR-2025-0917": a laboratory
            // test's billing code, a reference whose letters the keyword is; a care report's
            // number has a hyphen and stands apart, "PCR 2025-003188".)
            Label::OtherId
                if kw_text.eq_ignore_ascii_case("pcr")
                    && (!v.contains('-') || bytes.get(ke) == Some(&b'-')) =>
            {
                continue;
            }
            Label::OtherId if SPAN_ONLY_CUES.eq_any(kw_text) => (
                0.45,
                "other_id.cue",
                "record number after a specimen, incident, report, trip, docket or record cue",
            ),
            // "Subject:  104-005", "Participant 311-0047", "Screening #: 104-S014": a trial's
            // site-and-subject number names one person enrolled at one site, whatever else the
            // mail speaks of (a data system's query digest, a monitor's letter).
            Label::OtherId
                if STUDY_SUBJECT_CUES.eq_any(kw_text)
                    // A field's value ("Subject:  104-005", "Screening #: 104-S014"), not prose
                    // ("the log for subject 0412-011": an IRB office's instructions).
                    && ((kw_text.ends_with('#') || bytes[ke..p].contains(&b':'))
                        && site_subject_shaped(v.as_bytes())
                        || registry_subject_in_prose(kw_text, v, &text[ve..]))
                    && !matches!(
                        v.as_bytes(),
                        [b'1', b'9', _, _, b'-', ..] | [b'2', b'0', _, _, b'-', ..]
                    ) =>
            {
                (
                    0.85,
                    "other_id.study_subject",
                    "a trial subject's site-and-subject number",
                )
            }
            // "PMMC ED - Pfeiffer, acc 25-CT-118472 - saddle PE", "Accession: PRL25-287-0391":
            // a lab's or an imaging department's accession is one patient's specimen or study,
            // whatever else the mail says (blind set RQ); a case or a claim number may be
            // anyone's and needs words about care (`NEEDS_CARE_CONTEXT`).
            Label::OtherId if words!["accession", "acc", "acc#", "acc #"].eq_any(kw_text) => (
                0.85,
                "other_id.accession",
                "a specimen's or a study's accession number",
            ),
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
        ) && (looks_like_date(v) || looks_like_phone(v) || procedure_codes(v))
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

/// A US phone number's shape, "614-555-0191" or "614.555.0191" ("her cell in chart is
/// 614-555-0191": the chart holds the number, it is not the chart's).
fn looks_like_phone(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 12
        && matches!(b[3], b'-' | b'.')
        && b[7] == b[3]
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 3 || i == 7 || c.is_ascii_digit())
}

/// HCPCS or CDT procedure codes, one or several ("D9222/D9223", "K0856", "E1161-E0986"):
/// "Prior authorization for D9222/D9223" names what is authorised, not the authorisation.
fn procedure_codes(v: &str) -> bool {
    // (Split by bytes: the separators are ASCII, and splitting on chars cost more.)
    v.as_bytes()
        .split(|&c| c == b'/' || c == b'-')
        .all(|b| b.len() == 5 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit))
}

/// Does `after` start with " (" and a five-character procedure code (CPT "36471", HCPCS
/// "E0601") closed by ")"?
fn procedure_code_in_brackets(after: &str) -> bool {
    after.get(7..8) == Some(")")
        && after.get(..2) == Some(" (")
        && after
            .get(2..7)
            .is_some_and(|c| c.bytes().all(|b| b.is_ascii_digit()) || procedure_codes(c))
}

fn looks_like_date(v: &str) -> bool {
    let b = v.as_bytes();
    // ("Case 2025-03": a year and a month, a de-identified case series' number, blind batch
    // 38.)
    if let [b'1' | b'2', _, _, _, b'-', m0, m1] = b
        && b[..4].iter().all(u8::is_ascii_digit)
        && matches!((m0, m1), (b'0', b'1'..=b'9') | (b'1', b'0'..=b'2'))
    {
        return true;
    }
    let seps = b.iter().filter(|&&c| c == b'/').count();
    // ("Thursday conference case (10/16, 7:00 AM)": a month and a day, blind batch 37.)
    seps == 2
        || seps == 1 && {
            let (m, d) = v.split_once('/').unwrap_or_default();
            let num = |x: &str| {
                if (1..=2).contains(&x.len()) && x.bytes().all(|c| c.is_ascii_digit()) {
                    x.parse::<u8>().unwrap_or(0)
                } else {
                    0
                }
            };
            (1..=12).contains(&num(m)) && (1..=31).contains(&num(d))
        }
}

/// The matches of [`PATTERNS`] in `text`, in order: (pattern, start, end), the same as
/// `s.patterns.find_iter(text)` gives. It drives [`Scanner::pattern_dfa`] as
/// `hybrid::regex::Regex::try_search` does (a forward search for the end and pattern, then an
/// anchored reverse search from the end back to where the forward search began, for the
/// leftmost start), except that the reverse search is skipped for the patterns whose start
/// [`known_start`] reads off the text. Should the lazy DFA ever fail (it is not configured to
/// give up), the rest of the text goes to the meta regex.
struct PatternMatches<'a> {
    s: &'a Scanner,
    text: &'a str,
    cache: &'a mut regex_automata::hybrid::regex::Cache,
    /// Where the next search begins (the end of the last match).
    at: usize,
    /// The lazy DFA failed: search with `s.patterns` from here on.
    meta: bool,
}

impl<'a> PatternMatches<'a> {
    fn new(
        s: &'a Scanner,
        text: &'a str,
        slot: &'a mut Option<(u64, regex_automata::hybrid::regex::Cache)>,
    ) -> Self {
        // The cache of this scanner's regex: made once per thread, reset when the thread's
        // last scan used another scanner.
        let (id, cache) = slot.get_or_insert_with(|| (s.id, s.pattern_dfa.create_cache()));
        if *id != s.id {
            cache.reset(&s.pattern_dfa);
            *id = s.id;
        }
        PatternMatches {
            s,
            text,
            cache,
            at: 0,
            meta: false,
        }
    }

    /// Searches on from `at`, inside the match just returned (after its start): that match's
    /// text after its label is searched again ("Age: 02/27/1931" gives the date back).
    fn resume_at(&mut self, at: usize) {
        self.at = at;
    }

    /// The next match by the lazy DFAs; `Err` if they fail.
    fn dfa_next(&mut self) -> Result<Option<(usize, usize, usize)>, ()> {
        use regex_automata::{Anchored, Input};
        let re = &self.s.pattern_dfa;
        let (fc, rc) = self.cache.as_parts_mut();
        let input = Input::new(self.text).span(self.at..self.text.len());
        let Some(end) = re.forward().try_search_fwd(fc, &input).map_err(|_| ())? else {
            return Ok(None);
        };
        let (pid, en) = (end.pattern().as_usize(), end.offset());
        let st = match known_start(self.text.as_bytes(), pid, self.at, en) {
            Some(st) => {
                #[cfg(debug_assertions)]
                {
                    let rev = input
                        .clone()
                        .span(self.at..en)
                        .anchored(Anchored::Yes)
                        .earliest(false);
                    let want = re.reverse().try_search_rev(rc, &rev).ok().flatten();
                    debug_assert_eq!(want.map(|h| h.offset()), Some(st), "{pid} {en}");
                }
                st
            }
            None => {
                let rev = input
                    .span(self.at..en)
                    .anchored(Anchored::Yes)
                    .earliest(false);
                match re.reverse().try_search_rev(rc, &rev) {
                    Ok(Some(start)) => start.offset(),
                    _ => return Err(()),
                }
            }
        };
        // No pattern matches the empty string, so every match moves the search on.
        if en <= self.at {
            return Err(());
        }
        self.at = en;
        Ok(Some((pid, st, en)))
    }
}

impl Iterator for PatternMatches<'_> {
    type Item = (Pat, usize, usize);

    fn next(&mut self) -> Option<(Pat, usize, usize)> {
        if !self.meta {
            match self.dfa_next() {
                Ok(m) => return m.map(|(pid, st, en)| (PATTERNS[pid].0, st, en)),
                Err(()) => self.meta = true,
            }
        }
        if self.at >= self.text.len() {
            return None;
        }
        let input = regex_automata::Input::new(self.text).span(self.at..self.text.len());
        let m = self.s.patterns.find(input)?;
        self.at = m.end().max(self.at + 1);
        while !self.text.is_char_boundary(self.at) {
            self.at += 1;
        }
        Some((PATTERNS[m.pattern().as_usize()].0, m.start(), m.end()))
    }
}

/// The start of the match of pattern `pid` that the forward search found ending at `en`, when
/// it can be read off the text; the search began at `at`. That start is the leftmost `s >= at`
/// from which the pattern matches exactly `text[s..en]` (a match of any pattern starting
/// further left would have been found instead: leftmost first), which is what the reverse
/// search finds. Fixed-length patterns (SSN, DEA, VIN, ten digits) start a fixed distance back;
/// an e-mail address at the first byte of the run of local-part bytes before its `@`; a phone
/// number, an ICD-10 code and a time at the leftmost of their few possible starts that matches.
/// `None` for the other patterns (the reverse search then finds the start). Debug builds check
/// each answer against the reverse search.
fn known_start(b: &[u8], pid: usize, at: usize, en: usize) -> Option<usize> {
    let st = match PATTERNS.get(pid)?.0 {
        Pat::Ssn => en.checked_sub(11)?,
        Pat::Dea => en.checked_sub(9)?,
        Pat::Vin => en.checked_sub(17)?,
        Pat::Digits10 => en.checked_sub(10)?,
        Pat::Spelled => en.checked_sub(5)?,
        Pat::Email => email_start(b, at, en)?,
        Pat::Phone => phone_start(b, at, en)?,
        Pat::Icd => icd_start(b, en)?,
        Pat::Time => time_start(b, at, en)?,
        // (", OH" and one more byte, or ", OH" at the end of the text.)
        Pat::StateCode => {
            if en == b.len() && b.get(en.checked_sub(4)?) == Some(&b',') {
                en - 4
            } else {
                en.checked_sub(5)?
            }
        }
        _ => return None,
    };
    (st >= at && st < en).then_some(st)
}

/// Does the time ending at `en` close a transcript's time stamp at the start of its line
/// ("[Tue 9:15 AM] +1 (206) 555-0185: R", "[9:47 PM] On-call RN: ...")? The stamp says when a
/// message of the chat was sent, like a header's date (none of the style corpus's 60 such
/// stamps was labelled).
fn chat_stamp(text: &str, doc: &Doc<'_>, en: usize) -> bool {
    let b = text.as_bytes();
    let mut e = en;
    while e < b.len() && e - en < 4 && matches!(b[e], b'.' | b' ' | b'M' | b'm') {
        e += 1;
    }
    b.get(e) == Some(&b']') && {
        let head = &text[doc.line_start(en)..en];
        let lead = head.trim_start_matches([' ', '\t', '>']);
        lead.starts_with('[') && !lead[1..].contains(['[', ']']) && lead.len() <= 30
    }
}

/// Is `v` ("T68.XXXA", "I10") a code of the shipped ICD-10-CM list, its dot left out? (The code
/// is copied into a stack buffer: codes are at most 8 bytes, and a longer `v` is none.)
fn listed_icd10(s: &Scanner, v: &str) -> bool {
    let mut buf = [0u8; 8];
    let mut n = 0;
    for &c in v.as_bytes().iter().filter(|&&c| c != b'.') {
        if let Some(slot) = buf.get_mut(n) {
            *slot = c;
        }
        n += 1;
    }
    buf.get(..n)
        .and_then(|c| std::str::from_utf8(c).ok())
        .is_some_and(|c| s.icd10.contains(c))
}

/// Is the date at `st` when a drug lot, a kit or a colleague's credential expires ("Lot
/// GX2611A, exp 08/2028", "DEA: FR5271084 exp 09/30/2027", "BLS exp 03/2027")? Right after
/// "exp", "expires", "expiration" or "expiry", with a lot, a kit, a vial, an NDC or a
/// credential's word in the 40 bytes before it. (Not a licence: a patient's driver's licence
/// expires too; nor a card's, a grant's, a prescription's or a medical certificate's expiry,
/// which is the patient's.)
fn expiry_of_a_lot_or_credential(text: &str, st: usize) -> bool {
    let window = before(text, st, 16);
    // (Trimmed by bytes: the marks are ASCII, and trimming chars cost more.)
    let trimmed = window
        .bytes()
        .rev()
        .take_while(|c| matches!(c, b' ' | b':' | b'.' | b'('))
        .count();
    let head = &window[..window.len() - trimmed];
    let cue = words!["exp", "expires", "expiration", "expiry", "expiring"];
    let w = last_word(head, b"");
    // Where the cue word starts.
    let cue_at = st - window.len() + head.len() - w.len();
    // (`eq_any` ignores case: no lower-cased copy.)
    let after_cue = cue.eq_any(w)
        && has_word(
            before(text, cue_at, 40),
            words![
                "lot",
                "kit",
                "vial",
                "ndc",
                "dea",
                "npi",
                "caqh",
                "board",
                "bls",
                "acls",
                "pals",
                "cpr",
                "badge",
                "agreement",
                "contract",
                "malpractice"
            ],
        );
    after_cue || lot_expiry_column(text, st)
}

/// Is the date at `st` a cell of a supply table's expiry column ("LOT         EXP" over
/// "L2409-1183  2030-09-30", a vendor's consignment restock, blind batch 52)? The date stands
/// after two spaces, and a line at most twelve above has "LOT" and, where the date's column
/// starts, "EXP", "EXPIRES", "EXPIRY", "EXPIRATION" or "EXP DATE".
fn lot_expiry_column(text: &str, st: usize) -> bool {
    let b = text.as_bytes();
    if st < 2 || b[st - 1] != b' ' || b[st - 2] != b' ' {
        return false;
    }
    let ls = memchr::memrchr(b'\n', &b[..st]).map_or(0, |i| i + 1);
    if !b[ls..st].is_ascii() {
        return false;
    }
    let col = st - ls;
    let mut le = ls;
    for _ in 0..12 {
        if le == 0 {
            break;
        }
        let hs = memchr::memrchr(b'\n', &b[..le - 1]).map_or(0, |i| i + 1);
        let head = &text[hs..le - 1];
        le = hs;
        let Some(cell) = head.get(col..) else {
            continue;
        };
        if col > 0 && head.as_bytes()[col - 1] != b' ' {
            continue;
        }
        let word = leading_letters(cell);
        if words!["exp", "expires", "expiry", "expiration"].eq_any(word)
            && has_word(head, words!["lot", "lot #", "lot no"])
        {
            return true;
        }
    }
    false
}

/// Is `v` (at `st`..`en`) the sevenths of a gestational age ("born at 28 4/7 wks", "GA / BW:
/// 30 2/7 wk / 1390 g"): one to six sevenths after a number of weeks and before "wk", "wks",
/// "weeks" or "w"? (None of the style corpus's ten was labelled.)
fn gestational_weeks(text: &str, st: usize, en: usize, v: &str) -> bool {
    let b = text.as_bytes();
    matches!(v.as_bytes(), [b'1'..=b'6', b'/', b'7'])
        && st >= 3
        && b[st - 1] == b' '
        && b[st - 3..st - 1].iter().all(u8::is_ascii_digit)
        && (st == 3 || !b[st - 4].is_ascii_alphanumeric())
        && {
            let after = text[en..].trim_start_matches(' ');
            let unit = after.bytes().take_while(u8::is_ascii_alphabetic).count();
            words!["wk", "wks", "week", "weeks", "w"].eq_any(&after[..unit])
        }
}

/// Is `v` (at `st`) a score out of ten ("8/10", the "7/10" of "6-7/10") after the words of a
/// pain or symptom rating: the word before it is the symptom, a rating word or a linking word
/// ("pain 8/10", "Pain was 6-7/10", "now 3/10", "(NPRS) 7/10"), and a symptom or scale word
/// stands within the 40 bytes before. On the style corpus none of the 53 such scores was a
/// labelled date ("bowel check Tue 6/10" and "DONE 3/10" are, and stay dates).
fn pain_score(text: &str, st: usize, v: &str) -> bool {
    let Some(n) = v.strip_suffix("/10") else {
        return false;
    };
    if n.is_empty()
        || n.len() > 2
        || !n.bytes().all(|c| c.is_ascii_digit())
        || n.parse::<u8>().is_ok_and(|n| n > 10)
    {
        return false;
    }
    let b = text.as_bytes();
    // (Past a range's first number: "6-7/10".)
    let mut k = st;
    if k >= 2 && b[k - 1] == b'-' && b[k - 2].is_ascii_digit() {
        k -= 1;
        while k > 0 && b[k - 1].is_ascii_digit() {
            k -= 1;
        }
    }
    let head = before(text, k, 40);
    let prev = last_word(head, b" \t:()[],");
    let symptom = words![
        "pain",
        "ha",
        "headache",
        "ache",
        "aches",
        "soreness",
        "sore",
        "discomfort",
        "nausea",
        "anxiety",
        "fatigue",
        "itch",
        "itching",
        "severity",
        "nprs",
        "vas",
        "nrs",
        "score",
        "scale",
        "rated",
        "rates",
        "rating"
    ];
    (symptom.eq_any(prev)
        || words!["now", "was", "is", "to", "at", "of", "from", "down", "up"].eq_any(prev)
        || head.trim_end().ends_with("->"))
        && has_word(head, symptom)
}

/// [`known_start`] of an e-mail address ending at `en`: its one `@` is the last one before
/// `en` (the domain has none), and its local part (`[A-Za-z0-9._%+\-]+`) reaches back as far
/// as such bytes go, but not before `at`.
fn email_start(b: &[u8], at: usize, en: usize) -> Option<usize> {
    let a = at + memchr::memrchr(b'@', b.get(at..en)?)?;
    let local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
    let mut s = a;
    // (At most 64 bytes: the pattern's bound.)
    while s > at && a - s < 64 && local(b[s - 1]) {
        s -= 1;
    }
    (s < a).then_some(s)
}

/// [`known_start`] of a phone number ending at `en`: the last eight bytes are
/// `[0-9]{3}[ .\-][0-9]{4}`; before them `\b[0-9]{3}[ .\-]` or `\([0-9]{3}\) ?`, and before that
/// optionally `\+1[ .\-]?` or `\b1[ .\-]`. Every combination that matches is tried; the
/// leftmost start at or after `at` wins.
fn phone_start(b: &[u8], at: usize, en: usize) -> Option<usize> {
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let sep = |i: usize| matches!(b.get(i), Some(b' ' | b'.' | b'-'));
    let is = |i: usize, c: u8| b.get(i) == Some(&c);
    // `\b` before the word byte at `i`.
    let boundary = |i: usize| i == 0 || !is_word_byte(b[i - 1]);
    let three = |i: usize| digit(i) && digit(i + 1) && digit(i + 2);
    let core = en.checked_sub(8)?;
    if !(three(core) && sep(core + 3) && digit(core + 4) && three(core + 5)) {
        return None;
    }
    let mids = [
        core.checked_sub(4)
            .filter(|&m| three(m) && sep(m + 3) && boundary(m)),
        core.checked_sub(5)
            .filter(|&m| is(m, b'(') && three(m + 1) && is(m + 4, b')')),
        core.checked_sub(6)
            .filter(|&m| is(m, b'(') && three(m + 1) && is(m + 4, b')') && is(m + 5, b' ')),
    ];
    let mut best: Option<usize> = None;
    let mut consider = |s: usize| {
        if s >= at && best.is_none_or(|x| s < x) {
            best = Some(s);
        }
    };
    for m in mids.into_iter().flatten() {
        consider(m);
        if let Some(p) = m.checked_sub(2) {
            // `\+1` or `\b1[ .\-]`.
            if is(p, b'+') && is(p + 1, b'1') || is(p, b'1') && sep(p + 1) && boundary(p) {
                consider(p);
            }
        }
        if let Some(p) = m.checked_sub(3) {
            // `\+1[ .\-]`.
            if is(p, b'+') && is(p + 1, b'1') && sep(p + 2) {
                consider(p);
            }
        }
    }
    best
}

/// [`known_start`] of an ICD-10 code ending at `en`: `\b[A-Z][0-9][0-9A-Z]` then optionally a
/// dot and one to four of `[0-9A-Z]`. With a dot, the dot is the last byte before `en` that is
/// not one of those; the leftmost form that matches wins (a start before `at` is refused by the
/// caller).
fn icd_start(b: &[u8], en: usize) -> Option<usize> {
    let tail = |c: u8| c.is_ascii_digit() || c.is_ascii_uppercase();
    let head = |s: usize| {
        b.get(s).is_some_and(u8::is_ascii_uppercase)
            && b.get(s + 1).is_some_and(u8::is_ascii_digit)
            && b.get(s + 2).is_some_and(|&c| tail(c))
            && (s == 0 || !is_word_byte(b[s - 1]))
    };
    // The run of `[0-9A-Z]` bytes before `en`, and the byte before it.
    let mut d = en;
    while d > 0 && en - d < 5 && tail(b[d - 1]) {
        d -= 1;
    }
    let run = en - d;
    if (1..=4).contains(&run)
        && d > 0
        && b[d - 1] == b'.'
        && let Some(s) = (d - 1).checked_sub(3).filter(|&s| head(s))
    {
        return Some(s);
    }
    en.checked_sub(3).filter(|&s| head(s))
}

/// [`known_start`] of a time ending at `en`: `\b[0-9]{1,2}:[0-9]{2}` and an optional am/pm part
/// without a colon, so the colon is the last one before `en`; one or two digits before it,
/// the leftmost that starts at a word boundary.
fn time_start(b: &[u8], at: usize, en: usize) -> Option<usize> {
    let c = at + memchr::memrchr(b':', b.get(at..en)?)?;
    let ok = |s: usize| {
        s >= at && b[s..c].iter().all(u8::is_ascii_digit) && (s == 0 || !is_word_byte(b[s - 1]))
    };
    [c.checked_sub(2), c.checked_sub(1)]
        .into_iter()
        .flatten()
        .find(|&s| ok(s))
}

// Once per scan: kept out of line (callgrind: fewer instructions than inlined into `collect`).
#[inline(never)]
fn patterns(
    s: &Scanner,
    text: &str,
    doc: &Doc<'_>,
    out: &mut Vec<Cand>,
    cache: &mut Option<(u64, regex_automata::hybrid::regex::Cache)>,
    state_commas: &mut Vec<usize>,
) {
    let bytes = text.as_bytes();
    // Codes in the ICD-10 list without a dot or a cue word before them ("hypertension (I10)",
    // "HTN I10" beside "R07.89"), and whether the message holds a dotted code at all: they are
    // decided after the loop (see `undotted_codes`).
    let mut undotted: Vec<(usize, usize)> = Vec::new();
    let mut dotted_seen = false;
    // Whether the line starting at `.0` holds a valid VIN, for the last two lines asked (VINs
    // come in text order, so the VINs of one line ask about the same two lines: each line is
    // read at most a few times, whatever the number of VINs).
    let mut vin_lines: [(usize, bool); 2] = [(usize::MAX, false); 2];
    let mut matches = PatternMatches::new(s, text, cache);
    while let Some((pat, st, mut en)) = matches.next() {
        let v = &text[st..en];
        // The words before the match on its line: only some patterns look at them.
        let ctx = || doc.before_line(st, 60);
        match pat {
            Pat::Email => {
                // After the last `@` (the pattern has exactly one).
                let domain = memchr::memrchr(b'@', v.as_bytes()).map_or(v, |p| &v[p + 1..]);
                // "Gideon Achebe-Lund <gideon@achebelund.me>": a domain of one's own.
                let own_domain = || {
                    if st == 0 || bytes[st - 1] != b'<' || bytes.get(en) != Some(&b'>') {
                        return false;
                    }
                    let from = floor_cb(text, st.saturating_sub(80));
                    let from =
                        memchr::memrchr(b'\n', &bytes[from..st]).map_or(from, |k| from + k + 1);
                    header_mailbox(&text[from..=en]).is_some_and(|(d, a)| personal_domain(d, a))
                };
                let local = v.as_bytes().split(|&c| c == b'@').next().unwrap_or(b"");
                if (consumer_mailbox(local, domain)
                    || own_domain()
                    || personal_local(local) && !institutional(domain))
                    && !doc.in_sig(st)
                    // (In a security team's warning, only the warning's own address headers,
                    // not its indented list of the attack's: "  Reply-To:     invoices.
                    // clearwater@protonmail.com".)
                    && (!doc.security_alert_subject() || {
                        let line = &bytes[doc.line_start(st)..st];
                        !line.first().is_some_and(u8::is_ascii_whitespace)
                            && on_address_header(text, st)
                    })
                {
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
                // ("Track: https://www.benchmarkdental.example.com/track/BDS-5531907" in a
                // supplier's order confirmation: the organisation's order, blind set TD.)
                let order_link = || {
                    doc.business
                        && !doc.consumer
                        && ["/track", "/tracking", "/order", "/orders", "/invoice"]
                            .iter()
                            .any(|p| u.contains(p))
                };
                // ("View ticket: https://servicedesk.stadalbert.org/inc/INC-2025-118734": a
                // service desk's ticket, blind batch 49.)
                // (Or the ticket's number as the link's last query value, its prefix glued on:
                // "nav_to.do?uri=incident.do?sysparm_query=number=INC0048213", blind batch 52.)
                let ticket_link = || {
                    let last = u.trim_end_matches('/').rsplit('/').next().unwrap_or(u);
                    let value = u.rsplit('=').next().unwrap_or(u).as_bytes();
                    last.contains('-')
                        && last.bytes().any(|c| c.is_ascii_digit())
                        && business_id(last.as_bytes(), TICKET_PREFIXES)
                        || TICKET_PREFIXES.iter().any(|p| {
                            value.len() >= p.len() + 5
                                && value[..p.len()].eq_ignore_ascii_case(p)
                                && value[p.len()..].iter().all(u8::is_ascii_digit)
                        })
                };
                // ("How did we do? https://survey.conestogatech.net/csat?t=318-44-7203" below
                // "Your ticket 318-44-7203 has been marked RESOLVED": an IT service desk's
                // satisfaction survey for the ticket, blind batch 65.)
                let named_ticket = || {
                    let value = u.rsplit('=').next().unwrap_or("").as_bytes();
                    value.len() >= 5
                        && value.iter().any(u8::is_ascii_digit)
                        && memchr::memmem::find_iter(&bytes[..st], value).any(|k| {
                            let before = bytes[k.saturating_sub(16)..k].trim_ascii_end();
                            let before =
                                before.strip_suffix(b"#").unwrap_or(before).trim_ascii_end();
                            ["ticket", "incident", "request"].iter().any(|w| {
                                before.len() >= w.len()
                                    && before[before.len() - w.len()..]
                                        .eq_ignore_ascii_case(w.as_bytes())
                            })
                        })
                };
                if personalised_url(u)
                    && !own_system_link(doc, u)
                    && !order_link()
                    && !ticket_link()
                    && !named_ticket()
                {
                    // A meeting's link with its passcode is one telehealth visit's or one
                    // meeting's of staff ("Join Zoom Meeting https://zoom.us/j/84420199317?
                    // pwd=..." for a lunch-and-learn, blind set TT): weak evidence, a patient's
                    // only beside words about care.
                    let (rule, why) = if meeting_link(u) {
                        ("url.meeting", "video meeting link with its passcode")
                    } else {
                        ("url.token", "link carries a personal token")
                    };
                    push(out, Some(Label::Url), st, en, 0.85, rule, why);
                } else {
                    push(out, None, st, en, 0.9, "url.generic", "generic link");
                }
            }
            Pat::Ipv4 => {
                let mut octets = [0u32; 4];
                let mut n = 0;
                for o in v.split('.').filter_map(|o| o.parse().ok()) {
                    if let Some(slot) = octets.get_mut(n) {
                        *slot = o;
                    }
                    n += 1;
                }
                if n != 4 || octets.iter().any(|&o| o > 255) {
                    continue;
                }
                let private = octets[0] == 10
                    || octets[0] == 127
                    || octets[0] == 0
                    || (octets[0] == 192 && octets[1] == 168)
                    || (octets[0] == 172 && (16..=31).contains(&octets[1]))
                    || (octets[0] == 169 && octets[1] == 254);
                if private
                    || doc.security_alert_subject()
                    // ("Subject: [INC0098812] Home reading station - VPN drops": a member of
                    // staff's connection in an IT ticket, "His home router public IP is
                    // 98.51.204.17", blind set TC.)
                    || doc.first_subject.is_some_and(|l| {
                        has_word(l, words!["vpn", "workstation", "reading station"])
                    })
                    || has_word(
                        ctx(),
                        words![
                            "server",
                            "host",
                            "hosts",
                            "hosted",
                            "gateway",
                            "dns",
                            "subnet",
                            "blocked",
                            "block",
                            "blocklist",
                            "firewall",
                            "proxy",
                            "malicious",
                            "attacker",
                            "phishing",
                            "vpn",
                            "allowlist",
                            "allow-list",
                            "nat",
                            "listens",

                        ],
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
                    let starts = |p: &str| {
                        v.as_bytes()
                            .get(..p.len())
                            .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
                    };
                    if starts("fe80") || starts("fc") || starts("fd") || v == "::1" {
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
                // "Van 2 (the white 2020 Transit, plate HXT 5502, VIN ...)", "fleet": the
                // organisation's own vehicle (not "our": "our client's vehicle").
                // ("Medic 4 (2021 Ford F-550 / Type I module)\n  VIN: ...": an ambulance, on
                // the line above.)
                let mut fleet = || {
                    let two = doc.lines_before(st, 1);
                    let line = &two[floor_cb(two, two.len().saturating_sub(160))..];
                    let numbered = |w: &[u8]| {
                        memchr::memmem::find_iter(line.as_bytes(), w).any(|k| {
                            line.as_bytes()
                                .get(k + w.len())
                                .is_some_and(u8::is_ascii_digit)
                        })
                    };
                    has_word(line, words!["fleet", "company", "ambulance"])
                        // ("VIN 1FTBW3XM6HKA58213, plate RSM 2200 (fleet)": said after it.)
                        || has_word(doc.after_line(en, 80), words!["fleet"])
                        || numbered(b"Van ")
                        || numbered(b"Medic ")
                        || vehicle_kept_near(text, st, en)
                        // "KMP-01 2022 Ford Transit 350   1FTBW3XG0NKA31207   ZKT-5520  PASS":
                        // a table of vehicles, a VIN on the line above or below too (a
                        // patient's car is named alone).
                        || {
                            let ls = doc.line_start(st);
                            let le = doc.line_end(en);
                            let mut has_vin = |from: usize, to: usize| {
                                if let Some(&(_, v)) = vin_lines.iter().find(|m| m.0 == from) {
                                    return v;
                                }
                                // (By bytes: the words are ASCII, and splitting chars cost more.)
                                let v = text.as_bytes()[from..to]
                                    .split(|c| !c.is_ascii_alphanumeric())
                                    // (`vin_valid` wants 17 bytes: others are not read.)
                                    .any(|w| {
                                        w.len() == 17 && std::str::from_utf8(w).is_ok_and(vin_valid)
                                    });
                                vin_lines = [vin_lines[1], (from, v)];
                                v
                            };
                            ls > 0 && has_vin(doc.line_start(ls - 1), ls - 1)
                                || le < text.len() && has_vin(le + 1, doc.line_end(le + 1))
                        }
                };
                if vin_valid(v) && fleet() {
                    push(
                        out,
                        None,
                        st,
                        en,
                        0.95,
                        "vehicle.fleet",
                        "the organisation's vehicle",
                    );
                } else if vin_valid(v) {
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
            Pat::Address => address(s, text, doc, st, city_state_end(text, st, en), out),
            // ("R hip pain 8/10", "Pain was 6-7/10 over the weekend, now 3/10", "mild HA 2/10":
            // a pain score out of ten.)
            // (Cheapest first: each test is pure.)
            Pat::Date
                if {
                    // ("readmission rate 14.8% (Jan 17.2%)": a month's figure with decimals.)
                    let b = text.as_bytes();
                    b.get(en) == Some(&b'%')
                        || b.get(en) == Some(&b'.') && b.get(en + 1).is_some_and(u8::is_ascii_digit)
                } || v.len() == 8 && v.bytes().all(|c| c.is_ascii_digit()) && {
                    // ("VX-20251014-2231", "Batch: 20250513-0600", "RPT_20251014.csv": a
                    // number made from a day, a job's or a file's, not a patient's date.)
                    let b = text.as_bytes();
                    st > 0 && matches!(b[st - 1], b'-' | b'_' | b'#' | b'.' | b'/' | b'\\')
                        || matches!(b.get(en), Some(b'-' | b'_' | b'.' | b'/'))
                } || pain_score(text, st, v)
                    || gestational_weeks(text, st, en, v)
                    || expiry_of_a_lot_or_credential(text, st) => {}
            Pat::Date => date(text, doc, st, en, 0.0, out),
            Pat::Time => {
                let has_ampm = v.bytes().any(|b| b == b'm' || b == b'M');
                let ct = ctx().trim_end().as_bytes();
                let at_before = ct.len() >= 3 && ct[ct.len() - 3..].eq_ignore_ascii_case(b" at")
                    || ct.eq_ignore_ascii_case(b"at");
                let tail = doc.before_line(st, 14);
                let after_date = tail.ends_with(' ')
                    && tail.trim_end().ends_with(|c: char| c.is_ascii_digit())
                    && tail.contains(['/', '-', ',']);
                // "I tried him at 267-555-0145 at 2:50, left a vm", "called us at 16:40": the
                // time of a phone call, not of the patient's care (on the style corpus 46 of 49
                // such times were unlabelled).
                let call_time = at_before && !after_date && {
                    let near = doc.before_line(st, 40);
                    has_word(
                        near,
                        words![
                            "called",
                            "call",
                            "calling",
                            "phoned",
                            "vm",
                            "voicemail",
                            "spoke",
                            "texted",
                            "tried",
                            "reached"
                        ],
                    )
                };
                if (has_ampm || at_before || after_date) && !call_time && !chat_stamp(text, doc, en)
                {
                    date(text, doc, st, en, -0.1, out);
                }
            }
            Pat::Age => {
                // "DOB/Age: 02/27/1931 / 94": the number after the label starts a date, no age:
                // the search goes on from it, so that the date is found.
                if bytes.get(en) == Some(&b'/') {
                    let digits = v.bytes().rev().take_while(u8::is_ascii_digit).count();
                    matches.resume_at(en - digits);
                    continue;
                }
                let mut st = st;
                let n: u32 = v
                    .bytes()
                    .filter(u8::is_ascii_digit)
                    .fold(0, |a, d| a * 10 + u32::from(d - b'0'));
                // "she's 91", "died at 93", "at 92 he's very sharp": the number alone, and only
                // when no unit follows ("he's 95% sure", "she is 100 pounds").
                if v.as_bytes()[0].is_ascii_alphabetic()
                    && !v.as_bytes()[..3].eq_ignore_ascii_case(b"age")
                {
                    // (The words after the number in "at 92 he's": not part of the age.)
                    let ds = v.bytes().position(|c| c.is_ascii_digit()).unwrap_or(0);
                    let digits_at = st + ds;
                    en = digits_at + v[ds..].bytes().take_while(u8::is_ascii_digit).count();
                    let next = doc.after_line(en, 12);
                    let unit = next.starts_with('%')
                        || has_word(
                            next.get(..next.len().min(9)).unwrap_or(""),
                            words![
                                "percent", "pounds", "lbs", "kg", "mg", "minutes", "days", "units"
                            ],
                        ) && next.starts_with(' ');
                    if unit {
                        continue;
                    }
                    st = digits_at;
                } else if v.as_bytes()[..3].eq_ignore_ascii_case(b"age")
                    && (v.contains(':') || v.contains("  "))
                {
                    // ("Age:             94": a form's value, without its label; "age 94" in a
                    // sentence stays whole.)
                    st += v.bytes().position(|c| c.is_ascii_digit()).unwrap_or(0);
                }
                // ("su abuela de 91 años": the number alone, as "she's 91".)
                if v.ends_with("años") {
                    en = st + v.bytes().take_while(u8::is_ascii_digit).count();
                }
                // "3 clients were aged 90+": a bracket of ages in a report, no one's age.
                let bracket = text.as_bytes().get(en) == Some(&b'+');
                // "Linh's grandmother turned 94 on Sunday", "My mom (she's 92, don't ask how)
                // is making her famous soup": in mail to all staff, a colleague's relative's
                // age, named by the relation just before it (blind sets UL and UM); not "Opal
                // Henning (Apt 114) -- turning 101!" in a residents' newsletter.
                let colleagues_relative = || {
                    let line = doc.before_line(st, 40);
                    has_word(
                        line,
                        words![
                            "grandmother",
                            "grandfather",
                            "grandma",
                            "grandpa",
                            "mom",
                            "dad",
                            "mother",
                            "father",
                            "aunt",
                            "uncle",
                            "nana",
                            "granny"
                        ],
                    ) && !has_word(
                        line,
                        words!["patient", "pt", "resident", "client", "member", "your"],
                    ) && addressed_to_a_group(text)
                };
                if (90..=125).contains(&n) && !bracket && !colleagues_relative() {
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
                let ctx = ctx();
                if has_word(
                    ctx,
                    words![
                        "order",
                        "invoice",
                        "invoiced",
                        "inv",
                        "ticket",
                        "reference",
                        "confirmation",
                        "conference",
                        "tracking",
                        "shipment",
                        "po",
                        "case",
                        "ref",
                        "incident",
                        // ("Your incident INC 482-19-3307 has been resolved".)
                        "inc",
                        "ritm",
                        "change",
                        "chg",
                        "request",
                        "req",
                        "item",
                        "sku",
                        "batch",
                        "statement",
                        // ("Report ID: 883-20-1147": a scheduled report's, blind batch 36.)
                        "report",
                    ],
                ) || ctx.trim_end().trim_end_matches(':').ends_with('#')
                    // "INC-339-20-4417": a prefix glued on makes it a ticket's number.
                    || st >= 2 && bytes[st - 1] == b'-' && bytes[st - 2].is_ascii_alphanumeric()
                    // "  Invoice        Date       Amount\n  114-28-7730    1/12/26": a table's
                    // first column under an invoice or order heading.
                    || ctx.trim().is_empty() && under_order_heading(doc, st)
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
                    let sc = if has_word(before(text, st, 80), words!["ssn", "social", "ss#"]) {
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
            Pat::Phone => phone(text, doc, st, en, doc.in_sig(st), out),
            Pat::Dea => {
                // "Installed: EverFlo SN EF2204117": a serial number; "...,SO2291855,O2 EXCH"
                // beside "SO2291847" and "SO2291863" that fail the check digit: one of a
                // series of order numbers, of which one in ten passes it (blind set SB).
                let serial = || {
                    has_word(
                        doc.before_line(st, 12),
                        words!["sn", "s/n", "serial", "ser", "lot", "model"],
                    )
                };
                // ("Rx number:        RX7140382": a pharmacy's prescription number, its
                // letters and digits shaped like a DEA number's, blind batch 61.)
                let rx_number = || {
                    v.as_bytes()[..2].eq_ignore_ascii_case(b"rx")
                        && has_word(
                            doc.before_line(st, 24),
                            words!["rx", "rx number", "rx #", "rx no"],
                        )
                };
                if dea_valid(v) && !serial() && !rx_number() && !failing_sibling(text, st, v) {
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
                if listed_icd10(s, v) {
                    let dotted = v.contains('.');
                    // The cue words are only looked for when the code has no dot.
                    let cue = || {
                        has_word(
                            before(text, st, 60),
                            words![
                                "icd",
                                "icd-10",
                                "icd10",
                                "dx",
                                "diagnosis",
                                "diagnoses",
                                "code",
                                "codes",
                            ],
                        )
                    };
                    dotted_seen |= dotted;
                    if dotted || cue() && !code_family_after(doc, en) {
                        push(
                            out,
                            Some(Label::Icd10),
                            st,
                            en,
                            if dotted { 0.9 } else { 0.8 },
                            "icd10.list",
                            "code in the ICD-10-CM list",
                        );
                    } else if !code_family_after(doc, en) {
                        undotted.push((st, en));
                    }
                }
            }
            Pat::StateCode => state_commas.push(st),
            Pat::AgeLoose => {
                // The number alone; not a reading ("HR is 96,", "sats at 92, on 2L", "the bill
                // was 110,"): the word before the verb names what the number measures.
                let ds = st + v.bytes().position(|c| c.is_ascii_digit()).unwrap_or(0);
                let de = ds + text[ds..].bytes().take_while(u8::is_ascii_digit).count();
                let measured = last_word(&text[..st], b" \t\n(:,");
                // ("We know that at 91, getting here is hard": after "at", "that" joins a
                // clause; it names no reading.)
                let at = v.as_bytes()[..2].eq_ignore_ascii_case(b"at");
                let conjunction = at && words!["that", "which"].eq_any(measured);
                if (conjunction || !AGE_LOOSE_NOT_AFTER.eq_any(measured))
                    && !measured.bytes().any(|c| c.is_ascii_digit())
                {
                    let why = "age over 89 after 'is', 'was' or 'at'";
                    push(out, Some(Label::Age), ds, de, 0.45, "age.loose", why);
                }
            }
            Pat::Initials => cued_initials(bytes, st, en, out),
            Pat::Spelled => matches.resume_at(spelled_out(text, st, out)),
            Pat::CaseRef => {
                // "WA license PA61044829": a physician assistant's licence, not a case; "PA HIC
                // #:  PA184422", a home improvement contractor's registration (blind batch 54).
                let licence = || {
                    has_word(
                        doc.before_line(st, 24),
                        words![
                            "license",
                            "licence",
                            "lic",
                            "credential",
                            "certification",
                            "hic",
                            "contractor"
                        ],
                    )
                    // ("Tobias Wendt   PA-C   (blank)   --   PA004412": a prescriber list's
                    // state licence column, the physician assistant's credential before it,
                    // blind batch 60.)
                    || doc.before_line(st, 80).contains("PA-C")
                };
                // "Parts ordered (PA03670-0001 / PA03670-0002)": a supplier's part numbers.
                let parts = || {
                    has_word(
                        doc.before_line(st, 40),
                        words!["part", "parts", "p/n", "pn", "part#"],
                    )
                };
                // ("3   PA03810-B055  Ricoh fi-8170 Document Scanner": a vendor's item in an
                // order, blind batch 45.)
                // ("3  Replacement pick roller kit  PA03670-0001  6  $ 42.50": one priced on its
                // line, blind batch 50.)
                let item =
                    || doc.business && (!v.contains('-') || doc.after_line(en, 80).contains('$'));
                // Five digits at least: "PA-2026" alone is a year, "UM-12" a room.
                if v.bytes().filter(u8::is_ascii_digit).count() >= 5
                    && !licence()
                    && !parts()
                    && !item()
                {
                    // ("the PA (SHH-PA-250306-4471)", "APPROVED (KC-PA-2503-1177420)": a plan's
                    // letters before the prefix are part of the number, blind batch 43.)
                    let mut st = st;
                    if st >= 2 && bytes[st - 1] == b'-' {
                        let head = bytes[..st - 1]
                            .iter()
                            .rev()
                            .take_while(|c| c.is_ascii_uppercase())
                            .count();
                        let from = st - 1 - head;
                        if (1..=6).contains(&head)
                            && (from == 0 || !bytes[from - 1].is_ascii_alphanumeric())
                        {
                            st = from;
                        } else if bytes[..st - 1]
                            .iter()
                            .rev()
                            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                            .take(24)
                            .any(u8::is_ascii_alphabetic)
                        {
                            // ("COURSE ID: LGR-25-PA-03-2291": the tail of a longer code with
                            // letters of its own, a lifeguard course's, blind batch 77; not a
                            // year's, "2025-PA-0813377".)
                            continue;
                        }
                    }
                    push(
                        out,
                        Some(Label::OtherId),
                        st,
                        en,
                        0.85,
                        "other_id.case_ref",
                        "authorisation, appeal or records-request number by its prefix",
                    );
                }
            }
            Pat::Digits10 => {
                let ctx = ctx();
                let wide = before(text, st, 50);
                // ("NPIs for reference: Hollister 1847362914": the NPI cue is nearer than the
                // word that would make it an order number.)
                // ("Our portal confirmation number from the original submission was
                // 1830166133": the cue may stand further back in the same sentence.)
                let sentence = {
                    let w = before(text, st, 100);
                    // (Two vectorised searches back, not a search for four chars.)
                    let wb = w.as_bytes();
                    let mark = memchr::memrchr3(b'.', b'!', b'?', wb);
                    let from = mark.max(memchr::memrchr(b'\n', wb)).map_or(0, |k| k + 1);
                    &w[from..]
                };
                let npi_cue = || {
                    let npi = words!["npi", "npis"];
                    // (Both windows end at `st`: one search.)
                    has_word_either(wide, sentence, st, npi)
                };
                let negative = words![
                    "confirmation",
                    "order",
                    "invoice",
                    "ticket",
                    "tracking",
                    "reference",
                    "conference",
                ];
                if has_word_either(wide, sentence, st, negative) && !(npi_valid(v) && npi_cue()) {
                    push(
                        out,
                        None,
                        st,
                        en,
                        0.9,
                        "digits.negative",
                        "order/confirmation number",
                    );
                } else if npi_valid(v) && !has_word(ctx, CALL_WORDS) {
                    let sc = if npi_cue() { 0.97 } else { 0.7 };
                    push(
                        out,
                        Some(Label::Npi),
                        st,
                        en,
                        sc,
                        "npi.luhn",
                        "10 digits with valid NPI Luhn check",
                    );
                } else if has_word(ctx, CALL_WORDS)
                    || has_word(ctx, words!["telephone", "contact", "number", "at"])
                {
                    phone(text, doc, st, en, doc.in_sig(st), out);
                }
            }
        }
    }
    if dotted_seen {
        undotted_codes(text, doc, &undotted, out);
    }
}

/// Words before ten digits that say they are a phone number: the NPI check is not asked then.
/// A voice-mail system's notice too ("Voice message from 2185550119", "Caller: 2185550119":
/// the caller's number, blind set QX).
const CALL_WORDS: &Words = words![
    "phone",
    "call",
    "fax",
    "tel",
    "mobile",
    "cell",
    "text",
    "reached",
    "message",
    "voicemail",
    "caller",
];

/// The codes of the ICD-10 list found without a dot or a cue word (`spans`), in a message that
/// holds a dotted code: a code in brackets ("a history of hypertension (I10)", "(C61, bone
/// mets C79.51)") or on a line with a dotted code ("chest pain r/o ACS R07.89, HTN I10") is a
/// diagnosis code like its neighbours. Not an HL7 field's coding system ("E87.6^Hypokalemia^
/// I10"; nor a family of codes, [`code_family_after`], which the caller leaves out). On
/// the style corpus such codes were gold codes 33 times and not 12 times.
fn undotted_codes(text: &str, doc: &Doc<'_>, spans: &[(usize, usize)], out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    for &(st, en) in spans {
        let bracketed = st > 0 && b[st - 1] == b'(' && matches!(b.get(en), Some(b')' | b','));
        if st > 0 && b[st - 1] == b'^' {
            continue;
        }
        // ("S25-08812   00944120  DUNKELBERGER, ALICE M ... C18.7": a surgical pathology
        // accession's letters and year, blind batch 38.)
        if b.get(en) == Some(&b'-') && b.get(en + 1).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        // (The line within 200 bytes either way: a line may be megabytes, with a code in
        // every row.)
        let line = &b[doc.line_start(st).max(st.saturating_sub(200))
            ..doc.line_end(st).min(en + 200).max(en)];
        if bracketed || has_dotted_code(line) {
            push(
                out,
                Some(Label::Icd10),
                st,
                en,
                0.8,
                "icd10.list",
                "code in the ICD-10-CM list beside other diagnosis codes",
            );
        }
    }
}

/// Does the code ending at `en` name a family of codes ("the rest of the E11 family", "add the
/// N18 stage code"), not one diagnosis?
fn code_family_after(doc: &Doc<'_>, en: usize) -> bool {
    words![
        "family", "code", "codes", "series", "stage", "range", "category", "block"
    ]
    .eq_any(leading_letters(doc.after_line(en, 16).trim_start()))
}

/// Does `line` hold a dotted code shape (`[A-Z][0-9][0-9A-Z].[0-9A-Z]`, as "R07.89")?
fn has_dotted_code(line: &[u8]) -> bool {
    memchr::memchr_iter(b'.', line).any(|d| {
        d >= 3
            && line[d - 3].is_ascii_uppercase()
            && line[d - 2].is_ascii_digit()
            && (line[d - 1].is_ascii_digit() || line[d - 1].is_ascii_uppercase())
            && line
                .get(d + 1)
                .is_some_and(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
            && (d == 3 || !line[d - 4].is_ascii_alphanumeric())
    })
}

/// Does the line holding `st` (which starts it) belong to a table whose heading names invoices
/// or orders ("  Invoice        Date       Amount\n  114-28-7730    1/12/26 ...")? Looks up
/// through at most eight rows that start the same way (an SSN-shaped number).
fn under_order_heading(doc: &Doc<'_>, st: usize) -> bool {
    let t = doc.text;
    let mut ls = doc.line_start(st);
    for _ in 0..8 {
        if ls == 0 {
            return false;
        }
        let pe = ls - 1;
        let ps = doc.line_start(pe);
        let line = t[ps..pe].trim();
        let b = line.as_bytes();
        let row = b.len() >= 11
            && b[..3].iter().all(u8::is_ascii_digit)
            && b[3] == b'-'
            && b[4..6].iter().all(u8::is_ascii_digit)
            && b[6] == b'-'
            && b[7..11].iter().all(u8::is_ascii_digit);
        if !row {
            return line.len() <= 200 && has_word(line, words!["invoice", "order", "po", "ticket"]);
        }
        ls = ps;
    }
    false
}

/// Is `u` a video meeting's join link ("https://acme.zoom.us/j/84420199317?pwd=...",
/// "https://teams.microsoft.com/l/meetup-join/...", "https://acme.webex.com/...")?
fn meeting_link(u: &str) -> bool {
    let rest = u.split_once("://").map_or(u, |x| x.1);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.as_bytes();
    let on = |d: &[u8]| {
        host.len() >= d.len()
            && host[host.len() - d.len()..].eq_ignore_ascii_case(d)
            && (host.len() == d.len() || host[host.len() - d.len() - 1] == b'.')
    };
    (on(b"zoom.us") || on(b"zoomgov.com")) && (path.starts_with("j/") || path.starts_with("w/"))
        // (A meeting's number and passcode on an organisation's own meeting host,
        // "kiis-health.zoom.example/j/89344102271?pwd=Rr7vQk2", blind batch 60.)
        || path.starts_with("j/") && path.contains("?pwd=")
        || on(b"teams.microsoft.com") && path.starts_with("l/meetup-join/")
        || on(b"webex.com")
        || on(b"meet.google.com")
        // (A webinar's or an event's join link with its registrant's key,
        // "events.lymphtherapyalliance.org/w/8812/join?r=2797600555", blind batch 69.)
        || path.contains("join")
            && [&b"event"[..], b"webinar"].iter().any(|w| {
                host.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w))
                    || path.contains(std::str::from_utf8(w).unwrap_or(""))
            })
}

fn personalised_url(u: &str) -> bool {
    let rest = u.split_once("://").map_or(u, |x| x.1);
    // A password reset is a member of staff's; so is an IT service desk's portal
    // ("https://larchmontsh.service-now.com/survey?inc=INC0094417").
    if rest.contains("password")
        || rest
            .split('/')
            .next()
            .is_some_and(|h| h.contains("service-now"))
    {
        return false;
    }
    let Some((_, path)) = rest.split_once('/') else {
        return false;
    };
    // An advertising campaign's tags alone ("/mental-health?utm_source=meta&utm_campaign=
    // nycy26") are the same for every reader of an advertisement (blind set TH): the page is
    // read without them.
    let path = match path.split_once('?') {
        Some((p, q)) if q.split('&').all(|kv| kv.starts_with("utm_")) => p,
        _ => path,
    };
    // A mailing list's way out ("/unsub?c=SPDS25&r=88412" in a vendor's advertisement, blind
    // set TU) is its subscriber's, a member of staff's; unless it names a private person's
    // mailbox ("/unsub?u=edwin.achterberg%40yahoo.com": a patient's survey).
    if path
        .as_bytes()
        .split(|c| matches!(c, b'/' | b'?' | b'#'))
        .any(|seg| words!["unsub", "unsubscribe", "optout", "opt-out"].eq_any_bytes(seg))
        && !path.contains("%40")
        && !path.contains('@')
    {
        return false;
    }
    // An IT service desk's incident page ("/incident?id=INC0048213", blind batch 36): the
    // path's generic words settle it before its query is read. (Only these: the whole
    // `generic` list below moved up here loses 65 patients' password-reset links in the style
    // corpus, "/reset?u=sokereke&t=9f2Kq7LwX0", which their query makes personal.)
    let path_only = path.split_once('?').map_or(path, |x| x.0);
    if path_only
        .as_bytes()
        .split(|c| matches!(c, b'/' | b'#'))
        .any(|seg| {
            // (A webinar's join link, "/webinar/j/88213?reg=1419061870&k=ad77", is its
            // registrant's, a member of staff's: blind batch 57.)
            words![
                "incident",
                "incidents",
                "ticket",
                "tickets",
                "webinar",
                "webinars"
            ]
            .eq_any_bytes(seg)
        })
    {
        return false;
    }
    // Query parameters naming a person/session, or an opaque token segment.
    if let Some((_, q)) = path.split_once('?') {
        for kv in q.split('&') {
            let (k, val) = kv.split_once('=').unwrap_or((kv, ""));
            // A place's or a machine's event ("/ack?site=RRIC-01&evt=558120": a fridge's
            // temperature alarm to acknowledge), an IT ticket's or a work order's number.
            if words![
                "site", "evt", "event", "sensor", "alarm", "alert", "asset", "unit", "ticket",
                "inc", "wo", "store", "location",
                // A scheduled report's run ("/ncm/central?run=2209183374", blind batch 35).
                "run",
                // A service desk's page to open ("/nav_to.do?uri=incident.do", blind batch 57).
                "uri",
                // A Teams meeting's tenant and organiser ("?context=%7b%22Tid%22%3a..."):
                // the organisation's (blind set TU).
                "context",
            ]
            .eq_any(k)
                || k.starts_with("utm_")
            {
                continue;
            }
            // ("/sp?id=ticket&table=incident": a service desk's page of tickets, blind batch
            // 58.)
            if words!["ticket", "tickets", "incident", "incidents"].eq_any(val) {
                return false;
            }
            // ("?dept=case-management": a word, the same for every reader.)
            let word = val
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c == b'-' || c == b'_');
            if val.len() >= 6 && !word
                || words![
                    "pid", "patient", "token", "t", "id", "uid", "mrn", "member", "code",
                    "session", "sid", "key",
                ]
                .eq_any(k)
                    && !val.is_empty()
            {
                return true;
            }
        }
    }
    // Event, news and job pages are the same for every reader.
    let generic = words![
        "reset",
        "events",
        "event",
        "news",
        "blog",
        "careers",
        "jobs",
        "policies",
        "policy",
        "education",
        "cme",
        "webinar",
        "webinars",
        "conference",
        "newsletter",
        // An IT service desk's tickets ("/ticket/INC0048213") are staff's.
        "ticket",
        "tickets",
        "incident",
        "incidents",
        // So are a facilities department's work orders ("/wo/WO-25-118342").
        "wo",
        "workorder",
        "workorders",
        "work-order",
        "work-orders",
    ];
    // (Segments split by bytes: the separators are ASCII, and splitting on chars cost more.)
    if path
        .as_bytes()
        .split(|c| matches!(c, b'/' | b'?' | b'#'))
        .any(|seg| generic.eq_any_bytes(seg))
    {
        return false;
    }
    // Within one part of a segment: a slug's parts are words or numbers ("2026-q2",
    // "recall-2026-0094"), a token's mix them ("9f3KQ2x7Lm"); a long number is an ID next to
    // letters ("UC-26-0088731"), and on its own a meeting's or a page's ("/j/83120447720").
    // ("/spring2026", "/gala2025": a word and a year are a page's name.)
    // ("/laaa-oe2026": an open enrolment's, two letters and a year, blind set UA.)
    let word_and_year = |p: &[u8]| {
        let year = |y: &[u8]| y.len() == 4 && (y.starts_with(b"19") || y.starts_with(b"20"));
        p.len() >= 6
            && (year(&p[p.len() - 4..])
                && p[..p.len() - 4].iter().all(u8::is_ascii_lowercase)
                && p[p.len() - 4..].iter().all(u8::is_ascii_digit)
                || year(&p[..4])
                    && p[..4].iter().all(u8::is_ascii_digit)
                    && p[4..].iter().all(u8::is_ascii_lowercase))
    };
    // ("/training-fy26", "/budget-fy2026": a fiscal or calendar year.)
    let fiscal_year = |p: &[u8]| {
        p.len() >= 4
            && (p[..2].eq_ignore_ascii_case(b"fy") || p[..2].eq_ignore_ascii_case(b"cy"))
            && matches!(p.len() - 2, 2 | 4)
            && p[2..].iter().all(u8::is_ascii_digit)
    };
    // ("g.page/r/CedarCreekKidsDental/review": words run together, each capitalised and then
    // two lower-case letters or more, name a business; a token's capitals come singly or in
    // pairs among digits, "Lt7Qx92KfA3m".)
    // ("/views/LOCDenials/PayerSummary": an acronym may open them, blind batch 34's
    // dashboard.)
    let camel_words = |p: &[u8]| {
        let acronym = p.iter().take_while(|c| c.is_ascii_uppercase()).count();
        let p = &p[acronym.saturating_sub(1).min(p.len())..];
        p.first().is_some_and(u8::is_ascii_uppercase)
            && p.iter().all(u8::is_ascii_alphabetic)
            && p.split(u8::is_ascii_uppercase)
                .skip(1)
                .all(|w| w.len() >= 2)
    };
    let token_part = |p: &[u8]| {
        let digits = p.iter().filter(|b| b.is_ascii_digit()).count();
        let mixed_case = p.iter().any(u8::is_ascii_uppercase)
            && p.iter().any(u8::is_ascii_lowercase)
            && !camel_words(p);
        // ("donatelife5k": a lower-case word and a digit are a page's name; a token scatters
        // two or more digits among its letters, or is a code in capitals ("KB7Q"), or mixes
        // case.)
        let lower = p.iter().any(u8::is_ascii_lowercase);
        p.len() >= 4
            && ((digits >= 2 || digits == 1 && !lower) && digits < p.len() || mixed_case)
            && !word_and_year(p)
            && !fiscal_year(p)
    };
    path.as_bytes()
        .split(|c| matches!(c, b'/' | b'?' | b'&' | b'=' | b'#'))
        .any(|seg| {
            let parts = || seg.split(|&b| b == b'-' || b == b'_');
            seg.len() >= 6
                && seg
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && (parts().any(token_part)
                    || seg.iter().any(u8::is_ascii_alphabetic)
                        && parts().any(|p| p.len() >= 6 && p.iter().all(u8::is_ascii_digit)))
        })
}

/// The nearest cue word before `at` on the same line: `Some(true)` for a patient cue,
/// `Some(false)` for an organisation cue, `None` if neither occurs within `n` bytes.
/// Is the line ending at `pe` (a line break) a sign-off of one or two words, the first the
/// first word of the name in the `From:` header of its message ("jess" under "From: Jess
/// Coelho <jcoelho@...>"; "Coelho, Jess" read as "Jess")?
fn signed_by_writer(doc: &Doc<'_>, pe: usize) -> bool {
    let sign = doc.text[doc.line_start(pe)..pe].trim();
    let mut words = sign.split_ascii_whitespace();
    let (Some(first), None) = (words.next(), words.nth(1)) else {
        return false;
    };
    if first.len() < 2 || !first.bytes().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let i = doc.froms.partition_point(|&o| o < pe);
    let Some(&from) = i.checked_sub(1).and_then(|k| doc.froms.get(k)) else {
        return false;
    };
    let header = doc.header_line(from);
    // Mail among colleagues: a recipient in the header block at the writer's own domain
    // (not a patient writing from an employer's or a small provider's mailbox).
    let Some(domain) = header_mailbox(header).and_then(|(_, a)| a.rsplit_once('@')) else {
        return false;
    };
    let block = &doc.text[from..];
    let block = &block[..floor_cb(block, block.find("\n\n").unwrap_or(block.len()).min(1200))];
    let at_domain = format!("@{}", domain.1.to_ascii_lowercase());
    if block
        .lines()
        .skip(1)
        .all(|l| !l.to_ascii_lowercase().contains(&at_domain))
    {
        return false;
    }
    let Some(rest) = header
        .trim_start_matches(['>', ' '])
        .get(..5)
        .filter(|h| h.eq_ignore_ascii_case("from:"))
        .map(|_| &header.trim_start_matches(['>', ' '])[5..])
    else {
        return false;
    };
    let name = rest
        .split('<')
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches('"');
    let mut parts = name.split_ascii_whitespace();
    let given = match parts.next() {
        Some(w) if w.ends_with(',') => parts.next().unwrap_or(""),
        Some(w) => w,
        None => "",
    };
    given.eq_ignore_ascii_case(first)
}

fn nearest_cue(doc: &Doc<'_>, at: usize, n: usize, patient: &Words, org: &Words) -> Option<bool> {
    nearest_cue_in(doc.before_line(at, n), patient, org)
}

/// [`nearest_cue`] in `ctx`, the text just before the value.
fn nearest_cue_in(ctx: &str, patient: &Words, org: &Words) -> Option<bool> {
    let cue = |w: &str| {
        if patient.eq_any(w) {
            Some(true)
        } else if org.eq_any(w) {
            Some(false)
        } else {
            None
        }
    };
    if !ctx.is_ascii() {
        return ctx
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '-'))
            .filter(|w| !w.is_empty())
            .find_map(cue);
    }
    // ASCII: walk the words back to front on bytes.
    let mut rest = ctx.as_bytes();
    let cue = |w: &[u8]| {
        if patient.eq_any_bytes(w) {
            Some(true)
        } else if org.eq_any_bytes(w) {
            Some(false)
        } else {
            None
        }
    };
    loop {
        // Drop the bytes after the last word, then split that word off.
        let e = rest
            .iter()
            .rposition(|&c| byte_in(c, CUE_WORD_BYTE))
            .map_or(0, |p| p + 1);
        let Some(head) = rest.get(..e) else { break };
        if head.is_empty() {
            break;
        }
        let s = head
            .iter()
            .rposition(|&c| !byte_in(c, CUE_WORD_BYTE))
            .map_or(0, |p| p + 1);
        let (before, w) = head.split_at(s);
        match cue(w) {
            // "Hearthside House Calls | 614-555-0147": a capitalised word between two others
            // is part of a name, not a word that says whose ("House Calls" is no "house").
            Some(true) if inside_a_name(ctx.as_bytes(), s, e) => {}
            // "him" says whose only as the one to call ("call him at", "tried him at"; not "get
            // him in this week? Happy to talk -", not "HIM", a records department).
            Some(true) if w.eq_ignore_ascii_case(b"him") && !him_to_call(w, before) => {}
            // ("MoveWell PT - 212 Franklin St ... - (718) 555-0115": physical therapy, a
            // business; the patient is "pt" or "Pt".)
            Some(true) if w == b"PT" => {}
            Some(c) => return Some(c),
            None => {}
        }
        rest = before;
    }
    None
}

/// Is `w` ("him") the one a call goes to: in lower case, right after "call", "reach", "text",
/// "tried" or "phone" (`before`: the text before it)?
fn him_to_call(w: &[u8], before: &[u8]) -> bool {
    let prev = before.trim_ascii_end();
    let p = prev
        .iter()
        .rposition(|c| !c.is_ascii_alphabetic())
        .map_or(0, |i| i + 1);
    w == b"him"
        && [&b"call"[..], b"reach", b"text", b"tried", b"phone"]
            .iter()
            .any(|v| prev[p..].eq_ignore_ascii_case(v))
}

/// Is the word at `b[s..e]` capitalised, with a capitalised word right before it and right after
/// it, single spaces between ("Hearthside House Calls")?
fn inside_a_name(b: &[u8], s: usize, e: usize) -> bool {
    let cap = |c: Option<&u8>| c.is_some_and(u8::is_ascii_uppercase);
    cap(b.get(s))
        && s >= 3
        && b[s - 1] == b' '
        && b[s - 2].is_ascii_lowercase()
        && b.get(e) == Some(&b' ')
        && cap(b.get(e + 1))
        && b.get(e + 2).is_some_and(u8::is_ascii_lowercase)
        && {
            // (The word before is capitalised too.)
            let w = &b[..s - 1];
            let p = w
                .iter()
                .rposition(|c| !c.is_ascii_alphabetic())
                .map_or(0, |p| p + 1);
            cap(w.get(p))
        }
}

/// The words before a phone number that say whose it is (a patient's or their family's), then
/// any extra words given: one list written once for [`PHONE_WHOSE_LIST`] and
/// [`PHONE_PATIENT_LIST`].
macro_rules! phone_whose_words {
    ($($extra:literal),*) => {
        &[
            "my", "me", "i", "you", "your", "reached", "mobile", "cell", "home", "patient",
            "prefers", "daughter", "son", "wife", "husband", "mother", "father", "brother",
            "sister", "caregiver", "employer", "hr", "their", "his", "her", "guardian",
            "spouse", "proxy", "cellphone", "evening", "daytime", "parent", "friend", "neighbor",
            "landline", "house",
            // ("I'll call him at 330-555-0188 to schedule", "Can someone call him at ...?")
            "him",
            // ("pls call pt at 513-555-0672", "call mom 614-555-0196": whom the call is to,
            // nearer the number than the "call" that makes an office's.)
            "pt", "mom", "dad", "grandma", "grandpa", $($extra),*
        ]
    };
}
/// Words before a fax number that make it the patient's side: their employer's or their own.
const FAX_PATIENT: &Words = words![
    "employer", "hr", "home", "my", "work", "company", "benefits", "patient"
];
/// Words before a fax number that make it a practice's, a payer's or a lab's.
const FAX_ORG: &Words = words![
    "practice",
    "associates",
    "clinic",
    "pharmacy",
    "hospital",
    "dr",
    "doctor",
    "cardiologist",
    "them",
    "back",
    "us",
    "our",
    "attn"
];

/// "me", "my": the writer's own number (see [`phone`]) ... (not "I": "I called (971)
/// 555-0163" is someone else's) ...
const FIRST_PERSON: &Words = words!["me", "my"];
/// Words that make what follows someone else's than the writer's ("my client's car").
const NOT_THE_WRITERS: &Words = &Words::new(relative_words!(
    "his", "her", "their", "patient", "pt", "him", "them", "she", "he", "your", "you", "client",
    "resident", "member"
));
/// ... unless a word nearer the number names someone else's ("call me or my husband at").
const THIRD_PERSON: &Words = &Words::new(relative_words!(
    "his", "her", "their", "patient", "pt", "him", "them", "she", "he", "your", "you"
));
// ("Best number is 347-555-0129 (her mobile)", "best callback number".)
const PHONE_PATIENT_LIST: &[&str] =
    phone_whose_words!("text", "phone", "telephone", "contact", "best");
const PHONE_PATIENT: &Words = &Words::new(PHONE_PATIENT_LIST);
/// [`PHONE_PATIENT`] without the words that only say "a phone number" ("phone", "text").
const PHONE_WHOSE: &Words = &Words::new(PHONE_WHOSE_LIST);
const PHONE_WHOSE_LIST: &[&str] = phone_whose_words!();
const PHONE_ORG_LIST: &[&str] = staff_role_words!(
    // ("Light dinner provided. RSVP at 804-555-0142": an event's.)
    "rsvp",
    // ("the CAQH profile has (253) 555-0181 but your website says (253) 555-0180".)
    "website",
    "services",
    "service",
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
    "scheduling",
    // ("Schedule an exam: (630) 555-0142", "to schedule, call ...".)
    "schedule",
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
    // "If things change overnight, page 614-555-0188": an on-call pager.
    "page",
    "ext",
    "vendor",
    "sales",
    "dispatch",
    "lab",
    "radiology",
    "triage",
    "on-call",
    "clinics",
    "hospice",
    "health",
    "system",
    "partners",
    "msw",
    // ("Harborline Home Medical | (937) 555-0140": an organisation's name, not a home phone.)
    "medical",
    "healthcare",
    // ("5 - billing / patient accounts, (216) 555-0145", "Patient Relations 555-0199": a
    // department named for patients.)
    "accounts",
    "relations",
    "advocate",
    // Spanish instructions to call the office ("Si necesita cambiar la hora, llame al ...",
    // "llámenos al ...", "comuníquese al ...", "Ana Lucía está disponible en el ...").
    "llame",
    "llámenos",
    "llamenos",
    "comuníquese",
    "comuniquese",
    "disponible",
    // ("llámeme al ..."; French "appelez-nous au", Portuguese "ligue para", Russian
    // "позвоните нам": the office's, in the reader's language. Not "llamar": "le vamos a
    // llamar al ..." is the patient's.)
    "llámeme",
    "llameme",
    "appelez",
    "appelez-nous",
    "ligue",
    "позвоните",
    // "Security escort: building security (614) 555-0177": the building's, not a patient's.
    "security",
    "facilities",
    "maintenance"
);
const PHONE_ORG: &Words = &Words::new(PHONE_ORG_LIST);

/// A value at the start of its line, with an organisation's name on one of the `depth` lines
/// above (a footer: name, then a phone line, then the street). A short label may come first
/// ("Phone ", "Ph ", "c ", "559-555-0195 | fax "), but no word that says whose.
fn org_above(text: &str, st: usize, depth: usize) -> bool {
    // An ASCII byte just before the value that is not whitespace (so not a line break): the
    // value is glued to a word, not a line's or a label's value.
    if text.as_bytes().get(st.wrapping_sub(1)).is_some_and(|&c| {
        c.is_ascii() && !matches!(c, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r')
    }) {
        return false;
    }
    let head = before(text, st, 200);
    let Some(nl) = head.rfind('\n') else {
        return false;
    };
    let label = head[nl + 1..].trim_start_matches(|c: char| c == '>' || c.is_whitespace());
    if label.len() > 40 || has_word(label, PHONE_WHOSE) {
        return false;
    }
    let mut rest = &head[..nl];
    for _ in 0..depth {
        let (above, prev) = match rest.rfind('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => ("", rest),
        };
        // ("Home Health" names an agency: "home" alone does not say whose.)
        if has_word(
            prev,
            words![
                "patient",
                "my",
                "his",
                "her",
                "daughter",
                "son",
                "wife",
                "husband",
                "mother",
                "father",
                "caregiver",
                "cell",
                "mobile",
                "your",
            ],
        ) || prev.trim().is_empty()
        {
            return false;
        }
        if has_word(prev, ORG_WORDS) {
            return true;
        }
        // "Department:  Health Department\nName:  Gary Whitlock\nEmail: ...\nPhone: ...": a
        // form's name field nearer than the organisation's says whose the block is (a county
        // website's contact form, blind batch 74).
        if prev
            .trim_start()
            .split_once(':')
            .is_some_and(|(key, _)| words!["name", "full name", "your name"].eq_any(key.trim()))
        {
            return false;
        }
        rest = above;
    }
    false
}

const ORG_WORDS_LIST: &[&str] = &[
    // ("Linda Ferraro, State Opioid Treatment Authority, (614) 555-0187".)
    // ("Salvation Army, 50 E. King Street": a charity's site, blind batch 81; not "army"
    // alone: "Employer: US Army" over a parent's work phone.)
    "salvation army",
    "authority",
    "facilities",
    "campus",
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
    "laboratory",
    // ("STATE BUREAU OF LABORATORIES, 92 LABORATORY DRIVE": a lab's letterhead, blind batch 57.)
    "laboratories",
    // ("Hargrove Family Eyecare" over its street: an optometrist's letterhead, blind batch 59.)
    "eyecare",
    "optometry",
    "specialists",
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
    "clinics",
    "hospice",
    "payable",
    "receivable",
    "pharmacies",
    "pharmaceuticals",
    "pharma",
    "therapeutics",
    "hospitals",
    "agency",
    "nursing",
    "rehabilitation",
    "rehab",
    "sports",
    "spine",
    "wellness",
    "institute",
    "foundation",
    "university",
    "county",
    "regional",
    "community",
    "rheumatology",
    "dental",
    "dentistry",
    "dialysis",
    "gastroenterology",
    "urology",
    "endocrinology",
    "pulmonology",
    "nephrology",
    "podiatry",
    "optometry",
    "audiology",
    "psychiatry",
    "ophthalmology",
    "obstetrics",
    "gynecology",
    "hematology",
    "allergy",
    "imaging",
    "diagnostics",
    "urgent",
    "program",
    // ("Harborline Optical | (937) 555-0146".)
    "optical",
    // ("Conestoga Tech Partners Solutions, 1840 Columbia Ave": a vendor's footer, blind
    // batch 65.) (Not "logistics": a patient's employer, a warehouse, has its address
    // labelled with the patient's.)
    "solutions",
    "technologies",
    "corporation",
    "corp",
];
const ORG_WORDS: &Words = &Words::new(ORG_WORDS_LIST);

/// Does `line` end with a postal code and a `|` (a letterhead's "City, ST 80210 | " or "SK S7H
/// 0V7 | " before its phone number)?
fn after_postal_code(line: &str) -> bool {
    // ("Dublin, OH 43017 | Westerville: 880 Polaris ...": a site's name before its address.)
    let t = line.trim_end();
    let line = match t.strip_suffix(':') {
        Some(h) => h.trim_end_matches(|c: char| c.is_alphabetic() || c == ' ' || c == '.'),
        None => line,
    };
    let Some(head) = strip_contact_separator(line) else {
        return false;
    };
    let b = head.trim_end().as_bytes();
    let zip =
        b.len() > 5 && b[b.len() - 5..].iter().all(u8::is_ascii_digit) && b[b.len() - 6] == b' ';
    zip || b.len() > 7 && canadian_postal_code(&b[b.len() - 7..])
}

/// The separators a letterhead or footer puts between its name, address and numbers
/// ("Align Well Chiropractic | 22 Oak St", "MoveWell PT - 212 Franklin St - (718) 555-0115").
const CONTACT_SEPARATORS: &[&str] = &["|", " - ", " \u{2013} ", "\u{b7}", "\u{2022}"];

/// [`CONTACT_SEPARATORS`] without their spaces, as a line ends with them (a unit test checks
/// the two agree; trimming each separator at every call cost more than the rest).
const CONTACT_SEPARATORS_TRIMMED: &[&str] = &["|", "-", "\u{2013}", "\u{b7}", "\u{2022}"];

/// Does `line` hold one of [`CONTACT_SEPARATORS`]?
fn has_contact_separator(line: &str) -> bool {
    // By their distinctive bytes, two vectorised searches instead of a substring search for
    // each separator: "|"; the "-" of " - "; and the lead bytes of "\u{b7}" (C2 B7),
    // "\u{2022}" (E2 80 A2) and " \u{2013} " (E2 80 93).
    let b = line.as_bytes();
    let spaced = |i: usize, len: usize| i > 0 && b[i - 1] == b' ' && b.get(i + len) == Some(&b' ');
    memchr::memchr(b'|', b).is_some()
        || memchr::memchr3_iter(b'-', 0xC2, 0xE2, b).any(|i| match b[i] {
            b'-' => spaced(i, 1),
            0xC2 => b.get(i + 1) == Some(&0xB7),
            _ => {
                b.get(i + 1..i + 3) == Some(&[0x80, 0xA2][..])
                    || b.get(i + 1..i + 3) == Some(&[0x80, 0x93][..]) && spaced(i, 3)
            }
        })
}

/// `line` without the contact separator it ends with (and the spaces around it), if it ends
/// with one.
fn strip_contact_separator(line: &str) -> Option<&str> {
    let t = line.trim_end();
    CONTACT_SEPARATORS_TRIMMED
        .iter()
        .find_map(|s| t.strip_suffix(s))
        .filter(|h| h.len() < t.len())
}

/// Is `p` a Canadian postal code: letter digit letter, space, digit letter digit ("L4N 6K2")?
fn canadian_postal_code(p: &[u8]) -> bool {
    p.len() == 7
        && p[0].is_ascii_uppercase()
        && p[1].is_ascii_digit()
        && p[2].is_ascii_uppercase()
        && p[3] == b' '
        && p[4].is_ascii_digit()
        && p[5].is_ascii_uppercase()
        && p[6].is_ascii_digit()
}

/// What may follow the phone number on a letterhead's line: nothing, a fax number, a web or
/// mail address (a table row goes on with more cells).
fn letterhead_tail(rest: &str) -> bool {
    let rest = rest.trim();
    rest.is_empty() || rest.contains('@') || has_word(rest, words!["fax", "f", "www"])
}

/// Does an organisation's name end right before `st`, after "(", ", " or " - " ("Lakeshore
/// Manor (816-555-0128)", "Lakeside Orthopedics, 206-555-0148")? The capitalised words there,
/// at most five within 48 bytes, include an organisation word ([`ORG_WORDS`], [`ORG_AFTER`]).
fn org_name_right_before(doc: &Doc<'_>, st: usize) -> bool {
    let before = doc.before_line(st, 48);
    let Some(name) = before
        .strip_suffix(" (")
        .or_else(|| before.strip_suffix("("))
        .or_else(|| before.strip_suffix(", "))
        .or_else(|| before.strip_suffix(" - "))
        // ("MVMC Laboratory | (330) 555-0177": a signature's last line.)
        .or_else(|| before.strip_suffix(" | "))
        // ("Cascade Hospice & Home Care ........ (253) 555-0160": a directory's dotted
        // leader, blind set RL.)
        .or_else(|| {
            let t = before.strip_suffix(' ')?;
            let dots = t.len() - t.trim_end_matches('.').len();
            (dots >= 3).then(|| t[..t.len() - dots].trim_end())
        })
    else {
        return false;
    };
    name.rsplit(' ')
        .take(5)
        .take_while(|w| {
            w.as_bytes()
                .first()
                .is_some_and(|c| c.is_ascii_uppercase() || *c == b'&')
        })
        .any(|w| {
            let w = w.trim_end_matches([',', '.']);
            ORG_WORDS.eq_any(w) || ORG_AFTER.eq_any(w)
        })
}

/// Is the number at `st..en` on a line of at most 120 bytes that also holds a fax label with a
/// number after it ("Fax 847-555-0191", "| fax (404) 555-0119"), the number itself not being
/// that fax?
fn fax_on_short_line(doc: &Doc<'_>, st: usize, en: usize) -> bool {
    let (ls, le) = (doc.line_start(st), doc.line_end(st));
    if le - ls > 120 {
        return false;
    }
    let line = &doc.text.as_bytes()[ls..le];
    let own = st - ls;
    // (Case-insensitive, on the line's own bytes: no lower-cased copy per number.)
    // (At each "f", found by a vectorised search: a window test at every byte cost more.)
    memchr::memchr2_iter(b'f', b'F', line)
        .filter(|&k| {
            line.get(k..k + 3)
                .is_some_and(|x| x.eq_ignore_ascii_case(b"fax"))
        })
        .any(|k| {
            // A word of its own, then a number within a few bytes ("Fax: ", "fax # ", "fax (").
            let word = (k == 0 || !line[k - 1].is_ascii_alphanumeric())
                && line.get(k + 3).is_none_or(|c| !c.is_ascii_alphanumeric());
            let number = line[k + 3..]
                .iter()
                .take(6)
                .position(|c| c.is_ascii_digit() || *c == b'(')
                .map(|p| k + 3 + p);
            word && number.is_some_and(|n| n != own && !(own..own + (en - st)).contains(&n))
            // (Not the label of this very number: "Fax 847-555-0191".)
            && !(k < own && own - k <= 9)
            // Unless another number shares the line: "Phone 717-555-0121 | Fax 717-555-0128"
            // is a letterhead's pair, the fax included.
            || word && k < own && own - k <= 9 && other_number_on_line(line, own, own + (en - st))
        })
}

/// Does `line` hold a run of seven digits or more (separators allowed) outside `own..own_end`?
fn other_number_on_line(line: &[u8], own: usize, own_end: usize) -> bool {
    let mut run = 0;
    for (i, &c) in line.iter().enumerate() {
        if (own..own_end).contains(&i) {
            run = 0;
        } else if c.is_ascii_digit() {
            run += 1;
            if run >= 7 {
                return true;
            }
        } else if !matches!(c, b'-' | b'.' | b' ' | b'(' | b')') {
            run = 0;
        }
    }
    false
}

/// A toll-free number (800, 833, 844, 855, 866, 877, 888): only organisations have them.
fn toll_free(v: &str) -> bool {
    // (Most numbers fail at once: the area code's "8" is the first digit, or the second after
    // a "1".)
    let mut lead = v.bytes().filter(u8::is_ascii_digit);
    if !matches!(
        (lead.next(), lead.next()),
        (Some(b'8'), _) | (Some(b'1'), Some(b'8'))
    ) {
        return false;
    }
    let mut d = [0u8; 11];
    let mut n = 0;
    for c in v.bytes().filter(u8::is_ascii_digit) {
        if n == d.len() {
            return false;
        }
        d[n] = c;
        n += 1;
    }
    let area = match n {
        10 => &d[..3],
        11 if d[0] == b'1' => &d[1..4],
        _ => return false,
    };
    area[0] == b'8' && area[1] == area[2] && matches!(area[1], b'0' | b'3'..=b'8')
}

/// An organisation's e-mail address just before the number on its line ("Office of CME,
/// cme@example.org, 312-555-0178"): a contact block, not a patient's number.
fn after_org_mailbox(doc: &Doc<'_>, st: usize) -> bool {
    let near = doc.before_line(st, 48);
    near.contains('@') && !mentions_consumer_mail(near)
}

/// Where the last sentence of `w` starts: after its last blank line, or its last `.`, `?` or `!`
/// followed by a space or a line break (a line break alone is a wrapped line); 0 if none.
fn last_sentence_start(w: &[u8]) -> usize {
    // The last mark and the last blank line, each by a vectorised search back (a scan back
    // byte by byte cost more): the later one wins.
    let Some(head) = w.get(..w.len().saturating_sub(1)) else {
        return 0;
    };
    let mark =
        memchr::memrchr3_iter(b'.', b'?', b'!', head).find(|&p| matches!(w[p + 1], b' ' | b'\n'));
    let blank = memchr::memrchr_iter(b'\n', head).find(|&p| w[p + 1] == b'\n');
    // (`p` is the byte before the break: the sentence starts two bytes on.)
    mark.max(blank).map_or(0, |p| p + 2)
}

/// Is the number at `st` where the reader is asked to fax something: "fax" earlier in its
/// sentence (at most 80 bytes back, on its line or the one before) and " to " right before it?
fn fax_destination(text: &str, st: usize) -> bool {
    let b = text.as_bytes();
    let from = floor_cb(text, st.saturating_sub(80));
    let w = &b[from..st];
    if !(w.ends_with(b" to ") || w.ends_with(b" to\n") || w.ends_with(b" to: ")) {
        return false;
    }
    let sentence = &text[from + last_sentence_start(w)..st];
    // (Not "fax a copy to his office, and I have sent it to ...": someone's own.)
    has_word(sentence, words!["fax"])
        && !has_word(sentence, words!["faxed", "my", "me", "his", "her", "their"])
}

/// Does the sentence before `st` ask for a fax to the writer ("fax it to my office at", "fax it
/// back to me at")? Not "fax us", "our fax".
fn writer_fax_before(text: &str, st: usize) -> bool {
    let b = text.as_bytes();
    let from = floor_cb(text, st.saturating_sub(80));
    let w = &b[from..st];
    // ("SEND COPY TO ME BY FAX AT (717) 555-0815": a form in capitals, blind batch 46.)
    if !(w.len() >= 4 && (w[w.len() - 4..].eq_ignore_ascii_case(b" at ") || w.ends_with(b" at\n")))
    {
        return false;
    }
    let sentence = &text[from + last_sentence_start(w)..st];
    has_word(sentence, words!["fax"])
        && has_word(sentence, words!["to my", "to me"])
        && !has_word(sentence, words!["our", "us"])
}

/// "We faxed your FMLA form to your employer's leave administrator at (717) 555-0181", "fax
/// the note to my HR department at Ridgeline Freight, fax (614) 555-0122": a fax number in a
/// sentence that faxes something to the patient's employer (HR, a leave or benefits office,
/// the patient's work) is the employer's, which Safe Harbor counts among the patient's
/// identifiers. On the style corpus 30 of its 48 fax numbers were such; the phone rules took
/// them for an office's. Never evidence of PHI on its own (scored under
/// [`crate::PHI_THRESHOLD`]): an HR office's own mail about a fax line holds none. Not after
/// "our" or "us" ("fax us at"): the writer's own.
fn employer_fax(doc: &Doc<'_>, st: usize, en: usize) -> bool {
    let text = doc.text;
    let from = floor_cb(text, st.saturating_sub(120));
    // (Most numbers have no "fax" before them: one byte search rules them out.)
    let b = &text.as_bytes()[from..st];
    let fax_before = memchr::memchr2_iter(b'x', b'X', b)
        .any(|i| i >= 2 && b[i - 2..i].eq_ignore_ascii_case(b"fa"));
    if !fax_before || doc.in_sig(st) {
        return false;
    }
    // The sentence before the number, up to 120 bytes; with the sentence before it when this
    // one only says whose fax it is ("My HR says the leave company needs them. Their fax is").
    let mut w = &b[last_sentence_start(b)..];
    if fax_is_tail(w) == Some(true) && w.len() <= 24 {
        let earlier = &b[..b.len() - w.len()];
        let earlier = earlier.strip_suffix(b" ").unwrap_or(earlier);
        w = &b[last_sentence_start(&earlier[..earlier.len().saturating_sub(1)])..];
    }
    // (A toll-free number is a leave administrator's only when the sentence sends it there.)
    let toll = toll_free(&text[st..en]);
    // ("Office (440) 555-0129 | Fax ...": a letterhead's contact line.)
    if w.contains(&b'|') {
        return false;
    }
    // Where the first fax word and the last word naming the employer stand. The fax goes to
    // the employer when the employer comes after it ("faxed it to your HR department at");
    // "if your employer needs something different they can fax a request to" sends it the other
    // way. "Work" names the employer only as someone's ("my work", "from work": not "Social
    // Work", "the work status request").
    let consumer = || doc.consumer_writes_at(st);
    // (A patient writing from a work mailbox: "please fax the note to our HR department at".)
    let own_care_answer = std::cell::OnceCell::new();
    let own_care = || *own_care_answer.get_or_init(|| doc.writer_speaks_of_own_care(st));
    let (mut fax, mut employer, mut fax_label) = (None, None, false);
    // The word before names whose work it is, or where from.
    let mut whose = false;
    let is =
        |word: &[u8], list: &[&str]| list.iter().any(|x| word.eq_ignore_ascii_case(x.as_bytes()));
    for (i, word) in w
        .split(|c| !c.is_ascii_alphanumeric())
        .filter(|x| !x.is_empty())
        .enumerate()
    {
        // ("Fax us at", "our fax": the writer's. "You asked us to fax it to your employer's HR
        // office at" still sends it to the employer; and a patient's "please fax to our HR
        // benefits team" is the patient's employer.)
        if fax.is_some() && is(word, &["our", "us"]) && !consumer() && !own_care() {
            return false;
        }
        let is_fax = is(word, &["fax", "faxed", "faxing"]);
        if is_fax && fax.is_none() {
            fax = Some(i);
        }
        fax_label = is_fax;
        if is(
            word,
            &[
                "employer",
                "employers",
                "hr",
                "leave",
                "benefits",
                "company",
                "job",
            ],
        ) || whose && word.eq_ignore_ascii_case(b"work")
        {
            employer = Some(i);
        }
        whose = is(word, &["my", "his", "her", "your", "their", "from", "at"]);
    }
    // "Her employer's HR office wants it faxed directly to", "their fax is": the employer named
    // first, then the number it is to be faxed to.
    let tail = fax_is_tail(w);
    // "Per your request I also faxed it to", "A signed copy was also faxed to your office at",
    // in mail to an employer's HR or leave office: the writer sent the reader a copy, and the
    // reader is the employer.
    if let (Some(f), None) = (fax, employer) {
        return !toll && faxed_to_the_reader(w, f) && to_employer_office(doc);
    }
    match (fax, employer) {
        (Some(f), Some(e)) if f < e || fax_label || tail.is_some() => {
            !toll || f < e || tail.is_some()
        }
        _ => false,
    }
}

/// Does the sentence `w` (its first fax word the `f`-th word) say the writer faxed something to
/// the reader: "faxed" after "I", "we", "also", "been", "was" and the like ("I also faxed it
/// to", "has also been faxed to"), or "your" after the fax word ("faxed to your office at")?
/// ("Please fax the form to" asks the reader to send it, to the writer.)
fn faxed_to_the_reader(w: &[u8], f: usize) -> bool {
    let words: Vec<&[u8]> = w
        .split(|c| !c.is_ascii_alphanumeric())
        .filter(|x| !x.is_empty())
        .collect();
    let is =
        |word: &[u8], list: &[&str]| list.iter().any(|x| word.eq_ignore_ascii_case(x.as_bytes()));
    words.iter().enumerate().any(|(i, word)| {
        is(word, &["faxed"])
            && i > 0
            && is(
                words[i - 1],
                &[
                    "i", "we", "also", "been", "was", "were", "just", "already", "have",
                ],
            )
    }) || words
        .get(f + 1..)
        .is_some_and(|rest| rest.iter().any(|x| is(x, &["your"])))
}

/// Is the mail addressed to an employer's human resources, leave, benefits or onboarding office:
/// the first `To:` header (among the header lines at the top) names one ("HR Benefits - Tri-County
/// Logistics <hrleave@...>", "<leavecoordinator@...>", "Stillwater Valley Freight HR
/// <onboarding@...>"), at another domain than the writer's and not a personal mailbox?
fn to_employer_office(doc: &Doc<'_>) -> bool {
    let head = &doc.text[..ceil_cb(doc.text, doc.text.len().min(1200))];
    let Some(line) = head
        .split('\n')
        .take_while(|l| !l.trim().is_empty())
        .find(|l| l.get(..3).is_some_and(|h| h.eq_ignore_ascii_case("to:")))
    else {
        return false;
    };
    let Some((display, addr)) = header_mailbox(line).or_else(|| {
        let a = line[3..].trim();
        a.contains('@').then_some(("", a))
    }) else {
        return false;
    };
    let Some((local, domain)) = addr.split_once('@') else {
        return false;
    };
    if mentions_consumer_mail(line)
        || doc
            .writer_domain
            .is_some_and(|d| d.eq_ignore_ascii_case(domain))
    {
        return false;
    }
    let l = local.to_ascii_lowercase();
    l.starts_with("hr")
        || l.ends_with("hr")
        || [
            "leave",
            "onboarding",
            "benefits",
            "humanresources",
            "payroll",
            "absence",
        ]
        .iter()
        .any(|p| l.contains(p))
        || has_word(
            display,
            words!["hr", "benefits", "leave", "payroll", "onboarding"],
        )
        || display.to_ascii_lowercase().contains("human resources")
}

/// Does the sentence `w` end where a fax number is given: "faxed to", "faxed directly to",
/// "fax is", "fax # is", "fax number:"? `Some(true)` when it only says whose fax it is ("their
/// fax is", "the fax # is"), `Some(false)` when it sends something ("wants it faxed directly
/// to"), `None` otherwise ("they can fax a request to" sends it the other way).
fn fax_is_tail(w: &[u8]) -> Option<bool> {
    let mut words = w
        .rsplit(|c| !c.is_ascii_alphanumeric() && *c != b'#')
        .filter(|x| !x.is_empty());
    let is =
        |word: &[u8], list: &[&str]| list.iter().any(|x| word.eq_ignore_ascii_case(x.as_bytes()));
    let mut last = words.next()?;
    if is(last, &["to", "at"]) {
        let mut before = words.next()?;
        if is(before, &["directly", "right", "straight", "over", "back"]) {
            before = words.next()?;
        }
        return is(before, &["faxed"]).then_some(false);
    }
    if is(last, &["is", "#", "number", "no"]) {
        if is(last, &["is"]) {
            last = words.next()?;
        }
        if is(last, &["#", "number", "no"]) {
            last = words.next()?;
        }
        return is(last, &["fax"]).then_some(true);
    }
    is(last, &["fax"]).then_some(true)
}

/// The Spanish cues of [`KEYWORDS`] before a name: only a capitalised word after them is one.
const SPANISH_NAME_CUES: &Words = words![
    "soy",
    "hermana de",
    "hermano de",
    "hija de",
    "hijo de",
    "esposa de",
    "esposo de",
    "madre de",
    "padre de"
];

/// The searchers of [`practitioner_block`], built once (building one for each birth date cost
/// more than the search, callgrind).
static DEA_WORD: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"DEA"));
static CAQH_WORD: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"CAQH"));

/// Finds "ustomer:" (after its "C", checked by [`Doc::organisation_customer`]; built once).
static CUSTOMER_FIELD: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"ustomer:"));

/// The searcher for "rror" of [`phone`]'s confidentiality-notice test, built once (building it
/// for each number cost more than the search, callgrind).
static RROR: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"rror"));

fn phone(text: &str, doc: &Doc<'_>, st: usize, en: usize, sig: bool, out: &mut Vec<Cand>) {
    // Where the rules below would take an employer's fax for an office's number, it is the
    // employer's (and where they find it a patient's, their score stands).
    let employer = employer_fax(doc, st, en);
    // The line's start, found once: the tests below look back along the line a dozen times
    // (`Doc::before_line` with it).
    let ls = doc.line_start(st);
    let before_line = |n: usize| &text[floor_cb(text, st.saturating_sub(n)).max(ls)..st];
    // An office's number, whatever the employer test said.
    let office =
        |why: &'static str, out: &mut Vec<Cand>| push(out, None, st, en, 0.9, "phone.org", why);
    // "Please fax the consult note back to (740) 555-0111", "fax updated labs at renewal to
    // 937-555-0199": where the reader is asked to fax something, the writer's office.
    if !employer && fax_destination(text, st) {
        return office("a fax number the reader is asked to send to", out);
    }
    // "You can fax it to my office at (717) 555-0122", "fax it back to me at\n(717) 555-0186":
    // in a patient's or a relative's own writing, the writer's fax (blind batch 44).
    if doc.consumer && writer_fax_before(text, st) && !doc.staff_writes_at(st) {
        let why = "the fax number a patient or a relative asks to be sent to";
        push(out, Some(Label::Fax), st, en, 0.8, "fax.writer", why);
        return;
    }
    let org = |why: &'static str, out: &mut Vec<Cand>| {
        if employer {
            let why = "fax number of the patient's employer";
            push(out, Some(Label::Fax), st, en, 0.45, "fax.employer", why);
        } else {
            push(out, None, st, en, 0.9, "phone.org", why);
        }
    };
    if toll_free(&text[st..en]) {
        return org("toll-free number", out);
    }
    // "EFT trace number:   9295225029", "Subject: 835 Remittance Available - EFT 9295225029": a
    // payer's funds transfer to the practice, ten digits run together (blind batch 64).
    if text.as_bytes()[st..en].iter().all(u8::is_ascii_digit) && {
        let key = before_line(32)
            .trim_end_matches([' ', ':', '#', '.'])
            .as_bytes();
        [&b"trace number"[..], b"trace no", b"trace", b"eft"]
            .iter()
            .any(|k| ends_with_word(key, k))
    } {
        let why = "a funds transfer's trace number";
        push(out, None, st, en, 0.9, "phone.not", why);
        return;
    }
    // "Claimant phone:    (717) 555-0163", "Examinee phone:", "Debtor phone:": a form's
    // field names whose number it is (blind batches 34 and 35: a claim's, an independent
    // medical examination's and a collection agency's forms, with employers' and offices'
    // numbers on the lines around).
    if patient_phone_field(before_line(40)) {
        let why = "a form's phone field named for the patient";
        push(out, Some(Label::Phone), st, en, 0.9, "phone.context", why);
        return;
    }
    // "[03/10 7:52 PM] +1 (224) 555-0126: hi its Ashley Brennan mom of Liam": a pasted text
    // thread's sender, named by number (the clinic's side is named by its line's name: "[03/10
    // 7:58 PM] Surgery Line: Hi Ashley"). Style corpus: 83 of 87 such numbers, all in mail about
    // a patient, were the patient's or a relative's. Weak evidence (0.75).
    if chat_sender(&text[doc.line_start(st)..st], &text[en..]) {
        let why = "a pasted text thread's sender";
        push(
            out,
            Some(Label::Phone),
            st,
            en,
            0.75,
            "phone.chat_sender",
            why,
        );
        return;
    }
    // "If it drops again, Dr. Halvorsen will call you at (513) 555-0125", "our front desk will
    // call you at 555-718-2256": in mail to or from a patient, the number the reader is called
    // at is the patient's own (not the doctor's or the office's the words before it name).
    if doc.consumer && !doc.internal && reader_is_called_at(before_line(24)) {
        let why = "the number the patient is called at";
        push(out, Some(Label::Phone), st, en, 0.9, "phone.context", why);
        return;
    }
    // "Subject: New voicemail from (330) 555-0183 (0:52)": a phone system's notice names its
    // caller by number (style corpus: 113 of 115 such numbers in mail about a patient were the
    // caller's own; the two others named a business after the number: "(WALGREENS #07712)").
    if voicemail_caller_id(before_line(40))
        && !has_word(
            doc.after_line(en, 40),
            words![
                "pharmacy",
                "walgreens",
                "cvs",
                "supply",
                "medical",
                "clinic",
                "hospital",
                "insurance"
            ],
        )
    {
        let why = "a voice-mail notice's caller";
        push(out, Some(Label::Phone), st, en, 0.9, "phone.context", why);
        return;
    }
    // "One tap mobile: +13125550199,,84420199317#", "+1 580-555-0100,,771204338# United
    // States": a conference bridge, the commas the phone's pauses before the meeting's code
    // (blind set TT). No one's own number is dialled with a code after it.
    // (Not a CSV row's empty cells after a number: ",,,NEEDS APPT".)
    let bridge = {
        let tail = &text.as_bytes()[en..];
        let code = tail
            .get(2..)
            .map_or(0, |c| c.iter().take_while(|d| d.is_ascii_digit()).count());
        tail.starts_with(b",,") && code >= 4 && tail.get(2 + code) == Some(&b'#')
    };
    if bridge {
        return office("a conference bridge's number with its meeting code", out);
    }
    // "Main numbers don't change: Northside (330) 555-0140, Riverbend (330) 555-0150,
    // Eastfield\n(330) 555-0160": the next in a list of the organisation's numbers, each after
    // a place's name, is the organisation's too (blind set SV), whatever the line's wrap hides.
    if !employer
        && out.last().is_some_and(|c| {
            c.rule == "phone.org" && c.end <= st && st - c.end <= 32 && {
                let gap = &text[c.end..st];
                // (Capitalised words only: not "..., or I can call her at".)
                gap.starts_with(", ")
                    && gap[2..]
                        .bytes()
                        .all(|b| b.is_ascii_alphabetic() || matches!(b, b' ' | b'\n' | b'-'))
                    && gap[2..]
                        .split_ascii_whitespace()
                        .all(|w| w.as_bytes()[0].is_ascii_uppercase())
                    && gap[2..].trim().len() > 1
            }
        })
    {
        return office("the next of a list of the organisation's numbers", out);
    }
    // "can anyone cover the tower front desk 2-4 today? ... text me 262-555-0186": in mail
    // among staff (written from the organisation's mailbox, or to a team), the writer's own
    // number, whatever else the mail says of their family (blind set TB).
    if !employer
        && {
            // (Bytes: the window may cut a char.)
            let near = before_line(16).trim_end_matches([' ', ':']).as_bytes();
            // ("you can reach me at 262-555-0186".)
            [&b"text me"[..], b"call me", b"call me at", b"reach me at"]
                .iter()
                .any(|w| ends_with_word(near, w))
        }
        && !doc.on_quoted_line(st)
        && (doc.staff_writes_at(st) || !doc.consumer && addressed_to_a_group(text))
    {
        return office("a member of staff's own number, in mail among staff", out);
    }
    // "Our number is 262-555-0187" from a private person's mailbox: the household's.
    // (Asked of many numbers: one pass over the bytes for "our " first, no allocation.)
    let household = || {
        let near = before_line(24);
        let b = near.as_bytes();
        // (At each "o", found by a vectorised search: a window test at every byte cost more.)
        memchr::memchr2_iter(b'o', b'O', b).any(|i| {
            b.get(i..i + 4)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"our "))
                && (i == 0 || !b[i - 1].is_ascii_alphabetic())
                && words!["number", "phone", "home", "cell", "landline"]
                    .eq_any(leading_letters(&near[i + 4..]))
        }) && doc.consumer_writes_at(st)
    };
    // (Across a line wrapped mid-sentence: "call us 24/7 at\n404-555-0115".)
    let cue = match nearest_cue_in(doc.before_wrapped(st, 48), PHONE_PATIENT, PHONE_ORG) {
        Some(false) if household() => Some(true),
        cue => cue,
    };
    if cue == Some(false) {
        return org("organisation phone/fax", out);
    }
    // "Pay by phone: (937) 555-0146", "pay online, by phone at ...", "like to pay -- we can
    // take a card over the phone at ...": the number a bill is paid at is the biller's.
    // ("You can pay online at https://pay.example.org/p/W7KD-2291-XQ or by phone at ...": the
    // sentence, up to 160 bytes.)
    if cue == Some(true) && has_word(before_line(48), words!["phone"]) && {
        let w = before_line(160);
        has_word(
            &w[last_sentence_start(w.as_bytes())..],
            words!["pay", "payment", "payments"],
        )
    } {
        return org("a number to pay a bill at", out);
    }
    // A word that says whose ("my", "her daughter's", "cell"), or only that it is a number
    // ("phone", "text", "contact"): the second says no more than no word at all.
    let whose = cue == Some(true)
        && (nearest_cue(doc, st, 48, PHONE_WHOSE, PHONE_ORG) == Some(true) || household());
    // "You can reach me directly at (314) 555-0121", "My cell is 406-555-0189": the writer's
    // own number, a member of staff's when they write from the organisation's mailbox.
    if whose
        && {
            // (In the same sentence: "before I post? Phone on file is ..." is someone else's.)
            let line = before_line(48);
            let sentence = line.len()
                - memchr::memrchr3(b'.', b'?', b'!', line.as_bytes()).map_or(0, |i| i + 1);
            nearest_cue(doc, st, sentence, FIRST_PERSON, THIRD_PERSON) == Some(true)
        }
        && doc.staff_writes_at(st)
    {
        return org("the number of a writer at an organisation's mailbox", out);
    }
    // "call 804-555-0142 and press 3 to reach the hematologist on call": a phone tree's
    // options are an organisation's.
    {
        let next = doc.after_line(en, 24).trim_start_matches([',', ' ']);
        let next = next.strip_prefix("and ").unwrap_or(next);
        if next.starts_with("press ") || next.starts_with("option ") {
            return org("a number with a phone tree's options after it", out);
        }
    }
    // "Home health (Bright Path Home Care, 614-555-0138)", "Peak County EMS (970-555-0152)",
    // "Sloane & Ruiz LLP, ..., 614-555-0159": the number right after an organisation's name is
    // the organisation's.
    // (Whatever word says whose: "Home health: Lindenwood Home Care (215-555-0182)".)
    if org_name_right_before(doc, st) {
        return org("the number right after an organisation's name", out);
    }
    // "Phone 847-555-0190   Fax 847-555-0191", "404-555-0115 | fax 404-555-0119": a short line
    // that gives a fax number too is a letterhead's or a signature's (a patient who mentions a
    // fax does it in a sentence).
    if !whose && fax_on_short_line(doc, st, en) {
        return org("a letterhead's phone beside its fax", out);
    }
    let line_before = before_line(60);
    // "Danielle Ferris, RN\ncell (937) 555-0193": a number alone on the line under a name
    // with a credential is that member of staff's.
    // ("Jill Brandauer, RN\nNurse Home Visitor | First Steps\nCell (440) 555-0171": or under
    // the job title below it.)
    if line_before.trim().len() <= 12 && ls > 0 && {
        let credentialed = |pe: usize| {
            let above = doc.text[doc.line_start(pe)..pe].trim_end();
            above.len() <= 80
                && above
                    .rsplit_once(", ")
                    .is_some_and(|(_, c)| CREDENTIALS.eq_any(c.trim_end_matches('.')))
        };
        let pe = ls - 1;
        credentialed(pe) || {
            let ls = doc.line_start(pe);
            let title = doc.text[ls..pe].trim();
            ls > 0
                && !title.is_empty()
                && title.len() <= 80
                && !title.bytes().any(|c| c.is_ascii_digit())
                && title.as_bytes()[0].is_ascii_uppercase()
                && credentialed(ls - 1)
        }
    } {
        return org("number under a signature line with a credential", out);
    }
    // "Data Quality Specialist\nCommonwealth Immunization Registry\n(717) 555-0400",
    // "Denise Kowalczyk | Hearing Coordinator | OMFH\n614-555-0143": a number opening its line
    // under a job title (one of the two lines above, each short, neither naming a relative or a
    // patient) is the signer's.
    // (Before the number on its line, nothing or a contact label alone: "Pt cell 630 555 0132"
    // and "We have 470-555-0142" are a patient's.)
    let label_only = || {
        let lead = line_before
            .trim_start_matches(['>', ' ', '\t'])
            .trim_end_matches([' ', ':', '.']);
        lead.is_empty()
            || words![
                "ph", "phone", "cell", "c", "m", "mobile", "office", "o", "tel", "t", "direct",
                "main", "work", "desk", "p"
            ]
            .eq_any(lead)
    };
    // "jess\ncell 419-555-0136" under a message from "Jess Coelho <jcoelho@...>" at the
    // organisation's mailbox: the signer's own number, signed with the first word of the
    // writer's name (blind set TQ).
    if line_before.trim().len() <= 12
        && ls > 0
        && label_only()
        && !doc.on_quoted_line(st)
        && signed_by_writer(doc, ls - 1)
        && doc.staff_writes_at(st)
    {
        return org(
            "number under the sign-off of a writer at the organisation",
            out,
        );
    }
    if line_before.trim_start_matches(['>', ' ']).len() <= 12 && ls > 0 && label_only() && {
        let above = doc.lines_before(ls - 1, 1);
        above.len() <= 200
            && above.split('\n').all(|l| l.len() <= 90)
            && has_word(above, STAFF_ROLES)
            && !has_word(above, RELATIVES)
            && !has_word(
                above,
                words![
                    "patient", "pt", "my", "his", "her", "mom", "dad", "client", "member"
                ],
            )
    } {
        return org("number under a job title in a signature", out);
    }
    if !whose {
        // "(216) 555-0140 x207", "... ext. 4410": an extension is an office's switchboard.
        let ext = doc.after_line(en, 8).as_bytes();
        let prefixed = |p: &[u8]| {
            ext.get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p))
                .then(|| &ext[p.len()..])
        };
        if prefixed(b" ext")
            .or_else(|| prefixed(b" x"))
            .is_some_and(|r| {
                r.iter()
                    .find(|c| !matches!(c, b'.' | b' '))
                    .is_some_and(u8::is_ascii_digit)
            })
        {
            return org("phone with an extension", out);
        }
        if org_above(text, st, 3) {
            return org("phone on a contact line under an organisation name", out);
        }
        if after_org_mailbox(doc, st) {
            return org("phone after an organisation's mailbox", out);
        }
        // ("Suite 300, Denver CO 80210 | 303-555-0140": a letterhead's address line.)
        if has_contact_separator(line_before)
            && (has_word(line_before, ORG_WORDS)
                // "Trinh Nguyen, RN | 5 West Med-Surg | 440-555-0131": a signature line (the
                // credential after a comma: "Rd" and "MA" alone are a road and a state).
                || line_before.split(", ").skip(1).any(|seg| {
                    CREDENTIALS.eq_any(
                        seg.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '/'))
                            .next()
                            .unwrap_or(""),
                    )
                })
                || has_word(line_before, PHONE_ORG)
                || has_word(line_before, words!["suite", "ste", "floor", "blvd", "pkwy"])
                // "Case Manager, ACT Team 2\nRiverbend CMHC | 740-555-0134": under a job title
                // (not a table's row under its headings: "| client phone | aide |").
                || ls > 0 && !line_before.bytes().any(|c| c.is_ascii_digit()) && {
                    let above = doc.lines_before(ls - 1, 1);
                    above.len() <= 120
                        && !above.contains('|')
                        && has_word(above, STAFF_ROLES)
                        && !has_word(above, RELATIVES)
                        && !has_word(above, words!["patient", "pt", "my", "his", "her"])
                }
                // "Grace Sutherland, APRN-CNP\nHearthside House Calls | 614-555-0147": under a
                // name with its credential.
                || ls > 0 && {
                    let pe = ls - 1;
                    let above = doc.text[doc.line_start(pe)..pe].trim_end();
                    above.len() <= 80
                        && above.rsplit_once(", ").is_some_and(|(_, c)| {
                            c.split(['-', '/']).all(|p| CREDENTIALS.eq_any(p.trim_end_matches('.')))
                        })
                }
                || after_postal_code(line_before) && letterhead_tail(doc.after_line(en, 60)))
        {
            return org("phone in an organisation's contact line", out);
        }
    }
    // "4410 Harmon Parkway, Suite 200, Columbus, OH 43219\n    (614) 555-0142", "2200 Linden
    // Street, Suite 140, Port Alder, WA 98366   (360) 555-0142": a letterhead's number, after
    // or under an office's address (a suite or a floor, then a ZIP code).
    if !whose && {
        let office_zip = |l: &str| {
            let t = l.trim_end().as_bytes();
            t.len() > 6
                && t[t.len() - 5..].iter().all(u8::is_ascii_digit)
                && t[t.len() - 6] == b' '
                && has_word(l, words!["suite", "ste", "floor", "fl"])
        };
        let lead = line_before.trim_start_matches(['>', ' ', '\t']);
        lead.ends_with("  ") && office_zip(lead)
            || lead.is_empty()
                && ls > 0
                && doc.after_line(en, 4).trim().is_empty()
                && office_zip(doc.lines_before(ls - 1, 0))
    } {
        return org("a letterhead's number after an office's address", out);
    }
    // "Director, Garnet County EMS / 406-555-0150 | cell 406-555-0185", "Lumetrix Imaging
    // Systems / Cell 612-555-0157 | Service Desk 1-888-555-0104": a number on a contact line
    // (another number before or after it, past a separator) under a job title or an
    // organisation's name is the signer's own.
    if whose
        && (line_before.bytes().filter(u8::is_ascii_digit).count() >= 7
            && has_contact_separator(line_before)
            || {
                let rest = doc.after_line(en, 40);
                rest.bytes().filter(u8::is_ascii_digit).count() >= 7
                    && CONTACT_SEPARATORS
                        .iter()
                        .any(|sep| rest.starts_with(sep) || rest.trim_start().starts_with(sep))
            })
        && {
            // The line above: a job title or an organisation's name.
            let head = before(text, st, 200);
            let above = head.rfind('\n').map_or("", |nl| {
                let h = &head[..nl];
                &h[h.rfind('\n').map_or(0, |i| i + 1)..]
            });
            let above = above.trim_start_matches(['>', ' ']);
            has_word(above, ORG_WORDS) || has_word(above, STAFF_ROLES)
        }
    {
        return org("a number on a signature's contact line", out);
    }
    // "On-call mobile", "office cell": a colleague's or the organisation's; "12/4 - 12/10
    // Dr. Okafor   419-555-0161" on an on-call list: a physician's.
    let near = before_line(32);
    // ("my work is 720-555-0152", "her work cell": a patient's own work number.)
    let own_work = || {
        let l = before_line(24).to_ascii_lowercase();
        [
            "my work",
            "his work",
            "her work",
            "their work",
            "wife's work",
            "husband's work",
        ]
        .iter()
        .any(|p| l.contains(p))
            // ("Dariush Rahimi (husband) cell 614-555-0173, work 614-555-0179": the work line of
            // the person whose cell the number before it was.)
            || out.last().is_some_and(|c| {
                c.label == Some(Label::Phone)
                    && c.end <= st
                    && st - c.end <= 12
                    && {
                        let gap = text[c.end..st].trim_start_matches([',', ';', ' ', '/']);
                        gap.trim_end_matches([' ', ':', '#']).eq_ignore_ascii_case("work")
                    }
            })
    };
    // ("I have POA and signed the paper your office sent. My cell is 414-555-0139": with a
    // word that says whose, only the number's own sentence counts.)
    let near24 = before_line(24);
    let near24 = if whose {
        near24.rfind(". ").map_or(near24, |i| &near24[i + 2..])
    } else {
        near24
    };
    if has_word(
        near24,
        words!["on-call", "office", "work", "business", "direct", "desk"],
    ) && !own_work()
        || has_word(near, words!["dr"])
            && !has_word(near, RELATIVES)
            && !has_word(near, words!["patient", "pt", "my", "his", "her"])
        || line_before.contains('|')
            && has_word(line_before, words!["direct", "office", "main", "desk"])
    {
        return org("work or on-call number", out);
    }
    if sig && !doc.from_consumer {
        return org("phone/fax in a signature block", out);
    }
    // Phone or fax: only asked here, where the label is used.
    // The label word nearest the number says which ("by phone 406-555-0112, fax
    // 406-555-0119": the second is a fax).
    let near = before_line(28);
    // (By bytes: a non-ASCII char separates words like any other non-alphanumeric one.)
    let label_word = |near: &str, short: bool| {
        near.as_bytes()
            .rsplit(|c| !c.is_ascii_alphanumeric())
            .find_map(|w| {
                if words!["fax", "faxed"].eq_any_bytes(w) || short && w.eq_ignore_ascii_case(b"f") {
                    Some(true)
                } else if words!["phone", "call", "tel", "cell", "text"].eq_any_bytes(w)
                    || short && w.eq_ignore_ascii_case(b"p")
                {
                    Some(false)
                } else {
                    None
                }
            })
    };
    let near_label = label_word(near, true);
    let fax = near_label.unwrap_or(false);
    // Without a label word that close, the sentence's, up to 96 bytes, names the number's kind,
    // but only its kind: the tests above and below read `fax` ("asked that we also fax a copy
    // to his office, and I have sent it to (724) 555-0133"; "La mandé por fax a la oficina de
    // Valley Crest Farms al 509-555-0171"). (Not past another number: "The fax listed (503)
    // 555-0119 for you and I still have (503) 555-0175 for Mrs. Al-Sayed". The last "fax"
    // first, found by a vectorised search for its "x": most numbers have none.)
    let fax_in_sentence = || {
        if near_label.is_some() {
            return false;
        }
        let w = before_line(96);
        let b = w.as_bytes();
        let Some(k) = memchr::memrchr2_iter(b'x', b'X', b)
            .find(|&i| i >= 2 && b[i - 2..i].eq_ignore_ascii_case(b"fa"))
            .map(|i| i - 2)
        else {
            return false;
        };
        k >= last_sentence_start(b)
            && !b[k..].iter().any(u8::is_ascii_digit)
            && label_word(&w[k..], false) == Some(true)
    };
    // "lead tech Marcus Albee, cell 617-555-0147": a job title earlier on the line, and no
    // patient or relative, makes it a member of staff's number.
    let line48 = before_line(48);
    // ("Sub RN contact: Lucy Abernathy, (360) 555-0154": a nurse's or a doctor's credential
    // in capitals does too.)
    // (By bytes, as `fax` above: splitting chars cost more than the staff-role search.)
    let credential_word = || {
        let b = line48.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let s = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if matches!(
                &b[s..i],
                b"RN" | b"LPN" | b"LVN" | b"NP" | b"MD" | b"APRN" | b"CNA" | b"LCSW"
            ) {
                return true;
            }
            i += 1;
        }
        false
    };
    if (has_word(line48, STAFF_ROLES) || credential_word())
        && !has_word(
            line48,
            words![
                "patient",
                "pt",
                "my",
                "his",
                "her",
                "their",
                "daughter",
                "son",
                "wife",
                "husband",
                "mother",
                "father",
                "mom",
                "dad",
                "caregiver",
                "home",
            ],
        )
    {
        return org("number of a member of staff named with a job title", out);
    }
    // "(Renee Kowalski RN, 603-555-0175)": a number after a credential is the clinician's;
    // "774-555-0133 (work cell)" says so itself.
    if CREDENTIALS.eq_any(last_word(before_line(16), b" ,:;"))
        || has_word(
            doc.after_line(en, 14).get(..7).unwrap_or(""),
            words!["work", "office", "desk"],
        ) && doc.after_line(en, 3).starts_with(" (")
    {
        return org("number of a clinician or a work line", out);
    }
    // (The three tests below come last, where only a patient's number is left: every test
    // above also ends in `org`.)
    // "If you received this in error, please notify the sender at (614) 555-0140 and delete
    // it": a confidentiality footer's number is the sender's.
    // (Most numbers have no "error" before them: one substring search rules them out.)
    let sentence = before_line(120);
    if RROR.find(sentence.as_bytes()).is_some() && {
        let sentence = &sentence[last_sentence_start(sentence.as_bytes())..];
        has_word(sentence, words!["error"]) && has_word(sentence, words!["received", "notify"])
    } {
        return org("a confidentiality notice's number", out);
    }
    // "DID (717) 555-0149 was routing to the failover node": a fax server's inbound line (in
    // capitals: "since he did tmrw's. cb 401-555-0187" is a patient's).
    if before_line(8).trim_end().ends_with(" DID") || before_line(8).trim_end() == "DID" {
        return org("a fax server's inbound number", out);
    }
    // "Rebecca\n(614) 555-0144" at the end of mail from "Rebecca Lindqvist" at an
    // organisation's mailbox: the writer's own number under their name.
    if under_the_writers_name(doc, st) {
        return org("the writer's number under their name", out);
    }
    // Patients do not have fax machines; their employers' HR offices and a few homes do.
    // Any other fax number is a practice's, a payer's or a lab's.
    // The nearest word that says whose decides: "my work fax", "fax the note to my HR
    // department at Ridgeline Freight, fax" are the patient's side ("your" is anyone's); "Dr.
    // Grace Kim at Inland Northwest Family Practice, fax", "If his records turn up, please fax
    // them to" are not.
    // ("Cascade Hospice & Home Care ........ (253) 555-0160  fax (253) 555-0163": "home" in
    // a home-care agency's name says nothing of whose.)
    let home_agency = || {
        let line = doc.before_line(st, 64).to_ascii_lowercase();
        ["home care", "home health", "home infusion"]
            .iter()
            .any(|n| line.contains(n))
            && !has_word(
                &line,
                words!["employer", "hr", "my", "work", "company", "patient"],
            )
    };
    if fax && (nearest_cue(doc, st, 64, FAX_PATIENT, FAX_ORG) != Some(true) || home_agency()) {
        return org("fax number without an employer or home cue", out);
    }
    // "Paper forms can be faxed to HR at (614) 555-0148" in mail among staff: the
    // organisation's own human resources, not a patient's employer.
    // (Not where the writer speaks of their own care: "You can fax it to our HR at", from a
    // patient's work mailbox, blind set PO.)
    if fax
        && doc.internal
        && {
            // (Whose, anywhere on the line: "Employer ..... Tillamook Freight (HR fax", "your
            // benefits fax".)
            let line = doc.before_wrapped(st, 64);
            has_word(
                &line[last_sentence_start(line.as_bytes())..],
                words!["hr", "benefits", "payroll"],
            ) && !has_word(
                line,
                words![
                    "my",
                    "his",
                    "her",
                    "their",
                    "your",
                    "employer",
                    "employer's",
                    "patient",
                    "client",
                    "member"
                ],
            )
        }
        && !doc.writer_speaks_of_own_care(st)
    {
        return office("the organisation's own HR fax in mail among staff", out);
    }
    let label = if fax || employer || fax_in_sentence() {
        Label::Fax
    } else {
        Label::Phone
    };
    // "sons cell is 520-555-0139 (Hamza)", "Mom's cell from the chart: (937) 555-0146": a
    // relative's number is a patient's family's. (On the style and dev corpora each of 72 such
    // numbers is a patient's family's; blind set RW.)
    if label == Label::Phone && !employer && relatives_number_before(before_line(48)) {
        let why = "a relative's phone number (\"son's cell\", \"Mom's phone\")";
        push(out, Some(label), st, en, 0.9, "phone.relative", why);
        return;
    }
    let sc = match cue {
        Some(true) if whose => 0.9,
        Some(true) => 0.75,
        _ => 0.6,
    };
    push(
        out,
        Some(label),
        st,
        en,
        sc,
        if label == Label::Fax {
            "fax.context"
        } else {
            "phone.context"
        },
        "phone number in a patient context",
    );
}

/// Does `line` (the bytes before a phone number on its line) end with a relative's number:
/// a relative with "'s" (or a bare "s": "moms cell"), a word for a phone, then at most 24
/// bytes without a digit ("is ", ": ", " from the chart: ", " in Epic is ")? Not "my" or
/// "our" before the relative: a writer's own family.
fn relatives_number_before(line: &str) -> bool {
    let b = line.as_bytes();
    // The word for a phone ends at most 24 bytes before the number: only the spaces of the
    // last 40 bytes can be the one after "son's" (no allocation, no search of the whole line).
    let lo = b.len().saturating_sub(40);
    memchr::memrchr_iter(b' ', &b[lo..]).any(|k| {
        let p = lo + k;
        if p == 0 || !matches!(b[p - 1], b's' | b'S') {
            return false;
        }
        let mut rest = &b[p + 1..];
        if rest.len() > 5 && rest[..5].eq_ignore_ascii_case(b"home ") {
            rest = &rest[5..];
        }
        let Some(n) = [&b"cell"[..], b"phone", b"number", b"mobile", b"#"]
            .iter()
            .find(|n| {
                rest.len() >= n.len()
                    && rest[..n.len()].eq_ignore_ascii_case(n)
                    && rest.get(n.len()).is_none_or(|c| !c.is_ascii_alphanumeric())
            })
            .map(|n| n.len())
        else {
            return false;
        };
        let tail = &rest[n..];
        if tail.len() > 24 || tail.iter().any(u8::is_ascii_digit) {
            return false;
        }
        // "son's", "son’s" or "sons".
        let head = &line[..p - 1];
        let who = head
            .strip_suffix('\'')
            .or_else(|| head.strip_suffix('\u{2019}'))
            .unwrap_or(head);
        let w = last_word(who, b" (,;:");
        let before_w = &who[..w.as_ptr() as usize - who.as_ptr() as usize];
        RELATIVES.eq_any(w) && !words!["my", "our"].eq_any(last_word(before_w, b" (,;:"))
    })
}

const DATE_PATIENT_LIST: &[&str] = &[
    // Dates of service, injury and loss, and a home-health start of care: billers', adjusters'
    // and agencies' names for one patient's date ("Corrected claim - Tomas Ibarra DOS 10/14").
    "dos",
    "doi",
    "dol",
    "soc",
    "exam",
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
const DATE_PATIENT: &Words = &Words::new(DATE_PATIENT_LIST);
// Not here: "through", "until", "since", "starting", "order(ed)", "delivery", "expected",
// "reported". In mail about a patient they date the patient's authorisation, onset, start of
// care or equipment ("approved 12/14 through 03/13/2027", "pain since 11/20"): on the style
// corpus about seven in eight such dates were the patient's. A date found without a cue is
// never evidence of PHI on its own (see `ScanResult::contains_phi`), so a newsletter's "closed
// through December 31" still leaves the newsletter without PHI.
const DATE_NONPATIENT_LIST: &[&str] = &[
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
    // A form's revision ("Form PRS-112 rev 03/2025"; none of 90 in the style corpus is a
    // patient's) and a report's print time ("Printed 10/14/2025 10:09").
    "rev",
    "printed",
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
    "invoice",
    "clinics",
    "workshop",
    "fair",
    "cases",
    "outbreak",
    "alert",
    "advisory",
    "beginning",
    "launch",
    "launched",
    "opens",
    "sent",
    "wrote",
    "forwarded",
    "pay",
    "payroll",
    "timesheet",
    "timesheets",
    "lunch",
    "dinner",
    "register",
    "registration",
    "rsvp",
    "program",
    "swap",
    "swaps",
    "trade",
    "shift",
    "shifts",
    "orientation",
    "met",
    "effect",
    "pulled",
    "joins",
    "joining",
    "received",
    "created",
    "generated",
    "hours",
    "live",
    "expire",
    "eta",
    "postmarked",
    "backordered",
];
const DATE_NONPATIENT: &Words = &Words::new(DATE_NONPATIENT_LIST);
/// Words for a birth date, then any extra words given: one list written once for
/// [`DATE_STRONG_LIST`] and [`BIRTH_WORDS`].
/// ("Fecha de nacimiento:  02/06/2022", "Date de naissance", "Data de nascimento": a Spanish,
/// French or Portuguese form's birth date, blind batch 65.)
macro_rules! birth_words {
    ($($extra:expr),*) => {
        &[
            "dob",
            "birth",
            "born",
            "d.o.b",
            "nacimiento",
            "naissance",
            "nascimento",
            $($extra),*
        ]
    };
}

/// Words that make the date after them a birth date.
const BIRTH_WORDS: &Words = &Words::new(birth_words!());

const DATE_STRONG_LIST: &[&str] = birth_words!(
    // A visit after care ("she DID agree to keep her cardiology f/u on 6/26", blind set SU):
    // the clinical shorthand only, not "follow-up", which also follows up a meeting.
    "f/u",
    "birthday",
    "bday",
    "admitted",
    "admission",
    "discharge",
    "discharged",
    "surgery",
    "procedure",
    "performed",
    "died",
    "death",
    "deceased",
    "dod",
    "passed away"
);
const DATE_STRONG: &Words = &Words::new(DATE_STRONG_LIST);

/// Is the time `v` (a clock time, no day in it) one of an office's hours: a range of weekdays
/// ("Monday-Friday", "Mon - Fri", "M-F", "Monday through Friday", "weekdays") earlier on its
/// line (`line` gives the bytes before it, asked only of a clock time)?
fn business_hours<'a>(v: &str, line: impl FnOnce() -> &'a str) -> bool {
    let vb = v.as_bytes();
    let ends =
        |h: &[u8], w: &[u8]| h.len() >= w.len() && h[h.len() - w.len()..].eq_ignore_ascii_case(w);
    // (Cheapest first: most dates are not clock times, and most lines name no day.)
    if vb.contains(&b'/') {
        return false;
    }
    let t = v.trim_end_matches('.').as_bytes();
    // (Each am/pm form ends in "m": tried only then.)
    let clock = (vb.contains(&b':')
        || t.last().is_some_and(|c| c.eq_ignore_ascii_case(&b'm'))
            && [&b"am"[..], b"pm", b"a.m", b"p.m"]
                .iter()
                .any(|w| ends(t, w)))
        && !vb
            .iter()
            .take_while(|c| !c.is_ascii_digit())
            .any(u8::is_ascii_alphabetic);
    if !clock {
        return false;
    }
    let lb = line().as_bytes();
    if lb.len() < 3 {
        return false;
    }
    // Each word of the line: a day's name ("Mon", "Monday", "Fri."), then a dash, "to" or
    // "through", then another; or "weekdays", or "M-F".
    let is_day = |w: &[u8]| {
        (3..=9).contains(&w.len())
            && [&b"mon"[..], b"tue", b"wed", b"thu", b"fri", b"sat", b"sun"]
                .iter()
                .any(|d| w[..3].eq_ignore_ascii_case(d))
    };
    let word_end = |k: usize| {
        k + lb[k..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count()
    };
    let mut i = 0;
    while i < lb.len() {
        if !lb[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let e = word_end(i);
        let w = &lb[i..e];
        if w.eq_ignore_ascii_case(b"weekdays")
            || w.eq_ignore_ascii_case(b"m")
                && lb
                    .get(e..e + 2)
                    .is_some_and(|r| r.eq_ignore_ascii_case(b"-f"))
        {
            return true;
        }
        if is_day(w) {
            let mut k = e;
            while lb.get(k).is_some_and(|&c| c == b'.' || c == b' ') {
                k += 1;
            }
            let rest = &lb[k..];
            let sep = [
                &b"-"[..],
                "\u{2013}".as_bytes(),
                b"to ",
                b"through ",
                b"thru ",
            ]
            .iter()
            .find(|w| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w))
            .map_or(0, |w| w.len());
            if sep > 0 {
                k += sep;
                while lb.get(k) == Some(&b' ') {
                    k += 1;
                }
                if k < lb.len() && is_day(&lb[k..word_end(k)]) {
                    return true;
                }
            }
        }
        i = e;
    }
    false
}

/// Numeric dates must be plausible and use one separator ("4.5-11" is a lab range).
fn date_plausible(v: &str) -> bool {
    let b = v.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) || !b.last().is_some_and(u8::is_ascii_digit) {
        return true;
    }
    // One pass over the bytes (this runs for every date): whether a letter or a colon occurs
    // (then it is no numeric date), whether two different separators do, and the numeric
    // parts between `/`, `-` and `.`, each read as `str::parse::<u32>` would (at most four are
    // needed to tell the shapes apart).
    let (mut word, mut mixed, mut too_many) = (false, false, false);
    let mut sep: Option<u8> = None;
    let mut parts = [0u32; 4];
    let mut n = 0;
    // The part being read: its value (`None` once it is no number), its bytes and its digits.
    let mut value: Option<u32> = Some(0);
    let (mut seen, mut digits) = (0usize, 0usize);
    for i in 0..=b.len() {
        if let Some(&c) = b.get(i) {
            if c.is_ascii_digit() {
                value = value.and_then(|x| x.checked_mul(10)?.checked_add(u32::from(c - b'0')));
                (seen, digits) = (seen + 1, digits + 1);
                continue;
            }
            word |= c.is_ascii_alphabetic() || c == b':';
            mixed |= sep.is_some_and(|s| s != c);
            sep.get_or_insert(c);
            if !matches!(c, b'/' | b'-' | b'.') {
                // (A `+` may open a part, as `parse` reads it; any other byte spoils it.)
                if c != b'+' || seen > 0 {
                    value = None;
                }
                seen += 1;
                continue;
            }
        }
        // A part ends (at a separator or the end).
        if let Some(p) = value.filter(|_| digits > 0) {
            if n == parts.len() {
                too_many = true;
            } else {
                parts[n] = p;
                n += 1;
            }
        }
        (value, seen, digits) = (Some(0), 0, 0);
    }
    if word {
        return true;
    }
    if mixed || too_many {
        return false;
    }
    match &parts[..n] {
        [y, m, d] if *y >= 1000 => (1..=12).contains(m) && (1..=31).contains(d),
        // A month and a year ("08/2026").
        [m, y] if *y >= 1000 => (1..=12).contains(m),
        [m, d] => (1..=12).contains(m) && (1..=31).contains(d),
        // Written CCYYMMDD ("DATE OF SERVICE:   20260312": an eligibility response's, an HL7
        // message's).
        [_] => ccyymmdd(b),
        // A four-digit year no calendar here has ("Quote #: Q-25-06-0392": a quote's number).
        [_, _, y] if (100..1800).contains(y) => false,
        [m, d, _] => {
            (1..=12).contains(m) && (1..=31).contains(d)
                || (1..=12).contains(d) && (1..=31).contains(m)
        }
        _ => false,
    }
}

/// Is `v` a month and a year and nothing more ("08/2026", "Feb 2025", "March, 2026")?
fn month_and_year(v: &str) -> bool {
    let b = v.as_bytes();
    let n = b.len();
    if n < 6 || !b[n - 4..].iter().all(u8::is_ascii_digit) {
        return false;
    }
    // A month's name, then the year; or one or two digits, a slash and the year. (The digits
    // are counted only for those shapes.)
    let digits = || b.iter().filter(|c| c.is_ascii_digit()).count();
    b[0].is_ascii_alphabetic() && digits() == 4 || n <= 7 && b[n - 5] == b'/' && digits() == n - 1
}

/// Does `w` say someone is away for an operation: "out for", "off for" or "leave for", then
/// "surgery" or "procedure" within 25 bytes ("out for surgery", "off for her dad's surgery")?
fn leave_for_surgery(w: &[u8]) -> bool {
    // (Most windows have no "for": one vectorised search rules them out.)
    memchr::memchr2_iter(b'f', b'F', w).any(|i| {
        w.get(i..i + 4)
            .is_some_and(|r| r.eq_ignore_ascii_case(b"for "))
            && [&b"out "[..], b"off ", b"leave "]
                .iter()
                .any(|lead| i >= lead.len() && w[i - lead.len()..i].eq_ignore_ascii_case(lead))
            && {
                let after = &w[i + 4..w.len().min(i + 4 + 25)];
                [&b"surgery"[..], b"procedure"]
                    .iter()
                    .any(|p| after.windows(p.len()).any(|x| x.eq_ignore_ascii_case(p)))
            }
    })
}

/// Does `w` name a department or a place by a care word ("Birth Center", "surgery waiting
/// room", "Admissions Office")?
fn names_a_department(w: &[u8]) -> bool {
    // Only at word starts that hold a phrase's first letter, one table look-up a byte (this
    // runs for every date with a strong cue).
    (0..w.len()).any(|i| {
        DEPARTMENT_FIRST[usize::from(w[i])]
            && (i == 0 || !w[i - 1].is_ascii_alphabetic())
            && department_at(w, i)
    })
}

/// [`names_a_department`] of two windows of the text that end at the same offset (one is the
/// end of the other): every word start of the shorter is one of the longer, with the same
/// bytes after it, except its first byte when that continues a word in the longer one.
fn names_a_department_either(a: &[u8], b: &[u8]) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    names_a_department(long)
        || short
            .first()
            .is_some_and(|&c| DEPARTMENT_FIRST[usize::from(c)] && department_at(short, 0))
}

/// The first letters of [`department_at`]'s phrases, either case.
static DEPARTMENT_FIRST: [bool; 256] = {
    let mut t = [false; 256];
    let letters = *b"bsadBSAD";
    let mut k = 0;
    while k < letters.len() {
        t[letters[k] as usize] = true;
        k += 1;
    }
    t
};

/// Does a department's or a place's phrase start at `w[i]`, a word start?
fn department_at(w: &[u8], i: usize) -> bool {
    // "Confirming Hearthstone Birth Collective for booth B-14 on Saturday Nov 1": "Birth"
    // inside a capitalised name (not "Birth Date" or "Birth Day").
    if w[i] == b'B'
        && w.get(i..i + 6) == Some(&b"Birth "[..])
        && w.get(i + 6).is_some_and(u8::is_ascii_uppercase)
        && !w
            .get(i + 6..)
            .is_some_and(|r| r.starts_with(b"Date") || r.starts_with(b"Day"))
    {
        return true;
    }
    // (A phrase with a new first letter needs that letter in [`DEPARTMENT_FIRST`] too: the
    // callers look only at word starts it holds.)
    let phrases: &[&[u8]] = match w[i] | 0x20 {
        b'b' => &[b"birth center", b"birth centre", b"birthing center"],
        b's' => &[
            b"surgery waiting",
            b"surgery center",
            b"surgery department",
            b"surgery desk",
            b"surgery scheduling",
            b"surgery suite",
        ],
        b'a' => &[b"admissions office", b"admission office"],
        b'd' => &[b"discharge lounge"],
        _ => return false,
    };
    phrases.iter().any(|p| {
        w.get(i..i + p.len())
            .is_some_and(|x| x.eq_ignore_ascii_case(p))
    })
}

fn date(text: &str, doc: &Doc<'_>, st: usize, en: usize, adj: f32, out: &mut Vec<Cand>) {
    if !date_plausible(&text[st..en]) {
        return;
    }
    // The line's start, found once for the windows below (`Doc::before_line` with it).
    let ls = doc.line_start(st);
    let before_line = |n: usize| &text[floor_cb(text, st.saturating_sub(n)).max(ls)..st];
    let not_a_patients = |why: &'static str, out: &mut Vec<Cand>| {
        push(out, None, st, en, 0.8, "date.nonpatient", why);
    };
    // "HIV-1/2 + O AB": a test's virus types after its name and a hyphen (blind batch 53); "TO:
    // 7175550149   P.1/2": a fax's page of pages (blind batch 55).
    if st >= 2
        && matches!(text.as_bytes()[st - 1], b'-' | b'.')
        && text.as_bytes()[st - 2].is_ascii_alphabetic()
        && (text.as_bytes()[st - 1] == b'-'
            || text.as_bytes()[st - 2] == b'P'
                && text
                    .as_bytes()
                    .get(st.wrapping_sub(3))
                    .is_none_or(|c| !c.is_ascii_alphanumeric()))
    {
        not_a_patients("types after a test's name, or a fax's page", out);
        return;
    }
    // "Sharps containers no more than 3/4 full", "1/2 tab", "3/4 mile": a fraction.
    if text[st..en].bytes().filter(|&c| c == b'/').count() == 1
        && !text[st..en].bytes().any(|c| c.is_ascii_alphabetic())
        && (words![
            "full", "inch", "inches", "cup", "cups", "tab", "tabs", "tablet", "tablets",
            "strength", "mile", "miles", "tsp", "tbsp", "teaspoon", "empty", "pill", "days",
            "sets", "bottles", "hp"
        ]
        .eq_any(leading_letters(doc.after_line(en, 12).trim_start()))
            // "31g 5/16\" 1cc syringes": inches (blind set YG); not a quoted cell's or
            // sentence's closing mark ("\"warfarin - INR 2.4 on 3/7\"": an odd count of quote
            // marks before it on the line).
            || text.as_bytes().get(en) == Some(&b'"')
                && text.as_bytes().get(en + 1).is_none_or(|c| !c.is_ascii_alphanumeric())
                && memchr::memchr_iter(b'"', &text.as_bytes()[ls..st]).count().is_multiple_of(2)
            // "headache > 5/10", "pain <3/10": a score on a scale (not a reply's quote mark:
            // "> 12/25  Increase estradiol").
            || {
                let head = before_line(24).trim_end();
                matches!(head.as_bytes().last(), Some(b'>' | b'<' | b'='))
                    && head[..head.len() - 1].bytes().any(|c| c.is_ascii_alphabetic())
            })
    {
        not_a_patients("a fraction", out);
        return;
    }
    // "October 14, 2025" alone on its line above "Mr. Harold J. Fenwick" or "Dear ...": the
    // day a letter was written.
    if letter_date_line(text, doc, st, en) {
        not_a_patients("a letter's date line", out);
        return;
    }
    // "Report: IP_ISO_DAILY_V3   Run: 03/12/2025 05:00", "Exported: 10/14/2025": a report's
    // run or export stamp, with the time after it (a lower-case "run" is a lab's, a delivery's
    // or an ambulance's: "crossmatch negative (run 2/18)").
    let b = text.as_bytes();
    if report_stamp_label(before_line(40)) {
        let t = &b[en..];
        let k = usize::from(t.first() == Some(&b' '));
        let hh_mm = t.get(k..k + 5).is_some_and(|w| {
            w[..2].iter().all(u8::is_ascii_digit)
                && w[2] == b':'
                && w[3..].iter().all(u8::is_ascii_digit)
        });
        let time = if hh_mm { k + 5 } else { 0 };
        push(
            out,
            None,
            st,
            en + time,
            0.8,
            "date.nonpatient",
            "a report's run stamp",
        );
        return;
    }
    // "16:52:07": seconds are a system's timestamp, not an appointment; and so is the date
    // before them, "2025-02-10 19:42:11  SUCCESS  192.0.2.145" (a sign-in log, blind set YK).
    let seconds_after = || {
        let t = b.get(en..).unwrap_or(&[]);
        t.len() >= 9
            && t[0] == b' '
            && t[1..3].iter().all(u8::is_ascii_digit)
            && t[3] == b':'
            && t[4..6].iter().all(u8::is_ascii_digit)
            && t[6] == b':'
            && t[7..9].iter().all(u8::is_ascii_digit)
    };
    // "Patient joined:     03/11/2025 09:27:14", "SESSION ENDED ..... 2025-10-14 12:19:02": a
    // visit's own record, to the second (all 36 such stamps on the style corpus are labelled;
    // a fax's "Received:" or a report's "Generated:" stamp is not).
    if seconds_after() && session_event_label(before_line(40)) {
        let why = "a visit session's joined or ended stamp";
        // ("09:57:41 AM": with its half of the day.)
        let half = b
            .get(en + 9..en + 12)
            .is_some_and(|t| t[0] == b' ' && matches!(t[1], b'A' | b'P') && t[2] == b'M');
        push(
            out,
            Some(Label::Date),
            st,
            en + 9 + if half { 3 } else { 0 },
            0.65,
            "date.session",
            why,
        );
        return;
    }
    if b.get(en) == Some(&b':') && b.get(en + 1).is_some_and(u8::is_ascii_digit) || seconds_after()
    {
        let why = "timestamp with seconds";
        not_a_patients(why, out);
        return;
    }
    let wide = before(text, st, 40);
    let line = before_line(70);
    // Quoted header lines ("> Sent: ...", ">> On ... wrote:") are headers all the same.
    let head = line.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
    let starts = |p: &str| {
        head.as_bytes()
            .get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
    };
    // "Date: Tue, 11 Mar 2025 15:12:44" dates the message whatever the words around it say
    // ("To: preprocedure-rn@..." just above is a mailbox, not a procedure).
    // (Or a Spanish mail client's: "Date: mar, 3 feb 2026 a las 10:31", "Enviado: lunes, 11 de
    // marzo de 2024 19:02"; blind batch 53. Not a letter's "Fecha:", an appointment's day.)
    if starts("date:")
        && (has_word(
            head,
            words![
                "mon", "tue", "wed", "thu", "fri", "sat", "sun", "lun", "mié", "mie", "jue", "vie",
                "sáb", "sab", "dom"
            ],
        ) || head.contains("mar, "))
        || starts("enviado:")
    {
        not_a_patients("the message's Date: header", out);
        return;
    }
    // "Received:    03/03/2026 06:57 AM EST" in a fax's or a voicemail's notice, "Run time:
    // 03/03/2026 4:15 PM" in a scheduled report: when a system took something in or ran, with
    // its clock time. Not a lab's "Received: 03/11/2025 07:20" beside "Collected:" (the
    // specimen's), nor a health plan's request received for a member.
    if [
        "received:",
        "run:",
        "run time:",
        "report run:",
        "generated:",
        "created:",
    ]
    .iter()
    .any(|p| starts(p))
        && {
            let l = &text.as_bytes()[doc.line_start(st)..doc.line_end(st)];
            l.windows(4).any(|w| {
                w[0].is_ascii_digit()
                    && w[1] == b':'
                    && w[2].is_ascii_digit()
                    && w[3].is_ascii_digit()
            })
        }
        && !has_word(
            &text
                [floor_cb(text, st.saturating_sub(300))..ceil_cb(text, (en + 300).min(text.len()))],
            words![
                "collected",
                "specimen",
                "reported",
                "accession",
                "result",
                "results",
                "determination",
                "member"
            ],
        )
    {
        not_a_patients("a system's time stamp", out);
        return;
    }
    // "Monday-Friday, 8:30 AM to 4:30 PM", "Mon-Fri 6:00am-8:00pm": a time after a range of
    // weekdays is an office's hours, not an appointment.
    if business_hours(&text[st..en], || before_line(48)) {
        not_a_patients("opening hours", out);
        return;
    }
    // A month and a year name no day: "testing performed in February 2025" is a billing
    // period, not a procedure's date. Such a date is the patient's only by its context.
    // "On Mon, Oct 20, 2025 at 3:10 PM Kyle Brightman <...> wrote:" dates the quoted mail,
    // whatever the signature just above it says ("Cardiothoracic Surgery").
    let attribution = (starts("on ") || starts("el ")) && attribution_after(text, en);
    // "NEMT discharge rides - meeting 3/11", "huddle 3/20 at 07:15": the word right before the
    // date names a meeting, whatever care word came earlier (not a patient's "family meeting
    // 3/12", nor "attended church potluck 3/5", an exposure).
    {
        let head = line.trim_end_matches([' ', ':', ',']);
        let w = last_word(head, b" \t(-");
        if words![
            "meeting",
            "meetings",
            "huddle",
            "huddles",
            "webinar",
            "conference",
            "training",
            "seminar",
            "workshop",
            "orientation"
        ]
        .eq_any(w)
            && !words!["family", "care"].eq_any(last_word(&head[..head.len() - w.len()], b" \t(-"))
        {
            not_a_patients("the date of a meeting", out);
            return;
        }
    }
    // A strong cue counts in the date's own sentence: "for anyone 6 weeks to 1 year after
    // birth. Babies welcome! Thursdays 5:30-6:30 PM starting April 24" is no birth date. (A
    // sentence ends at ". ", "! " or "? " after two lower-case letters: "D.O.B. 03/04" and
    // "DOB. 3/4" go on.)
    let (wide, line) = {
        let lb = line.as_bytes();
        // (The marks found by one vectorised search from the end: a byte-by-byte scan back
        // cost more than the rest of this function, callgrind.)
        let cut = memchr::memrchr3_iter(b'.', b'!', b'?', &lb[..lb.len().saturating_sub(1)])
            .take_while(|&i| i >= 2)
            .find(|&i| {
                // (Or after a closing bracket or quote: "(same last name, DOB one day apart).
                // Reportable - notification letter sent 2/21", blind set UF; "section 4
                // (\"Health history of birth relatives\"). Draft by Friday 3/14", batch 75.)
                let closing = lb[i - 2..i]
                    .iter()
                    .rev()
                    .take_while(|&&c| matches!(c, b')' | b'"' | b'\''))
                    .count();
                lb[i + 1] == b' '
                    && if closing == 0 {
                        lb[i - 1].is_ascii_lowercase() && lb[i - 2].is_ascii_lowercase()
                    } else {
                        i > closing && lb[i - closing - 1].is_ascii_lowercase()
                    }
            })
            .map_or(0, |i| i + 2);
        let line = &line[cut..];
        // (`wide` and `line` both end at `st`: `wide` is cut where `line` was, if later.)
        let (from, wide_from) = (st - line.len(), st - wide.len());
        let wide = if cut > 0 && from > wide_from {
            &wide[from - wide_from..]
        } else {
            wide
        };
        (wide, line)
    };
    let strong = !month_and_year(&text[st..en])
        && !attribution
        && has_word_either(wide, line, st, DATE_STRONG);
    // A strong cue settles it; only without one do the header test and the nearest cue matter.
    if !strong {
        // Message headers ("Subject:", "Sent:") date the mail, not care.
        let subject = starts("subject:") || starts("sent:") || attribution;
        // "Subject: Re: Your colonoscopy on Thursday 5/16": a procedure's date, one patient's
        // (weak evidence: words about care must be near, see `NEEDS_CARE_CONTEXT`).
        if starts("subject:") && procedure_before(&text[doc.line_start(st)..st]) {
            let why = "date in a subject line right after a procedure";
            push(out, Some(Label::Date), st, en, 0.85, "date.subject", why);
            return;
        }
        // "the family meeting for Mr. Mykola Bondarenko tomorrow, 10/9 at 3:00 PM": a
        // patient's family meets the care team (a meeting, but about someone's care).
        let cue = match nearest_cue(doc, st, 70, DATE_PATIENT, DATE_NONPATIENT) {
            Some(false)
                if {
                    let w = before(text, st, 70);
                    meeting_or_conference(w.as_bytes())
                        && has_word(
                            w,
                            words!["family meeting", "family conference", "care conference"],
                        )
                } =>
            {
                Some(true)
            }
            cue => cue,
        };
        // "at its April 29 meeting": the word after names an event.
        let event_after = || {
            let next = doc.after_line(en, 24).trim_start_matches([' ', ',', ')']);
            let w = leading_letters(next);
            words![
                "meeting",
                "deadline",
                "webinar",
                "event",
                "lunch",
                "dinner",
                "conference",
                "training",
                "seminar",
                "huddle",
                "workshop",
                "orientation",
                "newsletter",
            ]
            .eq_any(w)
        };
        if cue == Some(false) || cue.is_none() && event_after() {
            not_a_patients("newsletter/event/business date", out);
            return;
        }
        if subject && cue != Some(true) {
            // (Unless the subject line names a patient: see `subject_dates`.)
            not_a_patients(HEADER_DATE, out);
            return;
        }
    }
    // "Our MA lead is out for surgery 3/9 - 3/27", "Janelle is off for her dad's surgery": a
    // colleague's leave, not a patient's stay.
    if strong && leave_for_surgery(wide.as_bytes()) {
        not_a_patients("a colleague's leave", out);
        return;
    }
    // "Birth Center. Renovation starts January 5", "Surgery waiting Thu 10/16": a department
    // or a place, not a birth or an operation.
    let strong = strong && !names_a_department_either(wide.as_bytes(), line.as_bytes());
    let sc = if strong { 0.92 } else { 0.65 } + adj;
    let sc = if doc.in_sig(st) { sc * 0.5 } else { sc };
    // A birth date, or the date of a stay or procedure ("discharged 3/2", "surgery on 4/1"):
    // the second is a patient's only in mail about care (see `NEEDS_CARE_CONTEXT`).
    let mut age_after = None;
    let rule = if !strong {
        "date.context"
    } else if has_word_either(wide, line, st, BIRTH_WORDS) {
        if practitioner_block(doc, st) {
            not_a_patients("a practitioner's date of birth", out);
            return;
        }
        // ("dates earlier than 01/01/1900 ... will be rejected": a record system's placeholder
        // or limit, no one's birth date; blind set UG.)
        if matches!(
            &text[st..en],
            "01/01/1900" | "1/1/1900" | "1900-01-01" | "01-01-1900" | "1/1/00"
        ) {
            not_a_patients("a placeholder birth date", out);
            return;
        }
        // A date later than the message was sent is no one's birth date: "EDD: 01/18/2026"
        // under a birth date, "(TEST, PATIENT ZZ / DOB 01/01/1900 / VIAL 1:1000 / BUD
        // 12/31/2099)", a vial's beyond-use date on a test label (blind batch 79). A date of
        // care at most, which counts only in mail about care.
        if let (Some(born), Some(sent)) = (four_digit_year(&text[st..en]), doc.sent_year())
            && born > sent
        {
            "date.event"
        } else {
            // "DOB / Age / Sex:   07/04/1932 / 92 / F": the age after the birth date, under a
            // label that names both (pushed after the date).
            age_after = age_after_birth_date(text, line, en);
            "date.dob"
        }
    } else if has_word_either(wide, line, st, words!["birthday", "bday"]) {
        // A birthday wished in a newsletter is a colleague's (see `ScanResult::contains_phi`).
        "date.birthday"
    } else if has_word_either(
        wide,
        line,
        st,
        words!["died", "death", "deceased", "dod", "passed away"],
    ) {
        // A date of death: a patient's in a bereavement letter, a colleague's in a memorial
        // notice ("our colleague Marlys Fenske, RN, died on ...", "Dr. Walter Emmerich ...
        // died peacefully at home on ..."), which names them as staff just before (and names
        // no patient: "your patient Eudora Pennington, who died ...").
        let window = before(text, st, 200);
        if !has_word(window, words!["patient", "pt", "resident", "client"])
            && has_word(
                window,
                words![
                    "dr",
                    "colleague",
                    "coworker",
                    "md",
                    "rn",
                    "lpn",
                    "emeritus",
                    "retired",
                    "physician"
                ],
            )
        {
            not_a_patients("a colleague's date", out);
            return;
        }
        "date.death"
    } else {
        "date.event"
    };
    push(
        out,
        Some(Label::Date),
        st,
        en,
        sc,
        rule,
        "date in a patient context",
    );
    if let Some((age_start, age_end)) = age_after {
        push(
            out,
            Some(Label::Age),
            age_start,
            age_end,
            0.9,
            "age.over89",
            "age over 89",
        );
    }
}

/// Where an age over 89 lies right after a birth date ending at `en`, " / 92" or "/94", when
/// the line before the date labels an age too ("DOB / Age / Sex:", "DOB/Age:").
fn age_after_birth_date(text: &str, line: &str, en: usize) -> Option<(usize, usize)> {
    if !has_word(line, words!["age"]) {
        return None;
    }
    let rest = text.as_bytes().get(en..)?;
    let mut k = usize::from(rest.first() == Some(&b' '));
    if rest.get(k) != Some(&b'/') {
        return None;
    }
    k += 1;
    k += usize::from(rest.get(k) == Some(&b' '));
    let n = rest[k..].iter().take_while(|c| c.is_ascii_digit()).count();
    let age: u32 = std::str::from_utf8(&rest[k..k + n]).ok()?.parse().ok()?;
    ((2..=3).contains(&n)
        && (90..=125).contains(&age)
        && !rest.get(k + n).is_some_and(u8::is_ascii_alphanumeric))
    .then_some((en + k, en + k + n))
}

/// Does the text before a date on its line end with a report's run or export label ("Run:",
/// "Run date:", "Report run:", "Exported:", "Exported on")? Capitalised, and with its colon
/// unless "on" follows.
/// Does `before` (the line up to a date) end with a visit session's field label: "Patient
/// joined:", "Provider joined", "Session ended", "Left", "Event onset" (then a colon, a
/// dotted leader or spaces)?
fn session_event_label(before: &str) -> bool {
    let t = before.trim_end_matches([' ', '\t', ':', '.']);
    // ("Joined (claimant):": who joined, in brackets.)
    let t = match t
        .strip_suffix(')')
        .and_then(|h| h.rfind('(').map(|i| &h[..i]))
    {
        Some(h) if t.len() - h.len() <= 16 => h.trim_end(),
        _ => t,
    }
    .as_bytes();
    [
        &b"joined"[..],
        b"ended",
        b"left",
        b"event onset",
        b"session start",
        b"session end",
    ]
    .iter()
    .any(|l| ends_with_word(t, l))
}

fn report_stamp_label(before: &str) -> bool {
    let t = before.trim_end();
    let t = t
        .strip_suffix(':')
        .or_else(|| t.strip_suffix(" on"))
        .unwrap_or("")
        .trim_end();
    [
        "Run",
        "Run date",
        "Run Date",
        "Report run",
        "Exported",
        "Export date",
        "Extracted",
    ]
    .iter()
    .any(|l| {
        t.strip_suffix(l)
            .is_some_and(|h| h.is_empty() || h.ends_with([' ', '\t', '|']))
    })
}

/// Does `w` hold "meeting" or "conference" (either case)? Asked before looking for "family
/// meeting" and the like: at each "g" and each "f", found by vectorised searches, instead of
/// at every word start (callgrind).
fn meeting_or_conference(w: &[u8]) -> bool {
    let is = |from: usize, to: usize, s: &[u8]| {
        w.get(from..to).is_some_and(|x| x.eq_ignore_ascii_case(s))
    };
    memchr::memchr2_iter(b'g', b'G', w).any(|j| j >= 6 && is(j - 6, j, b"meetin"))
        || memchr::memchr2_iter(b'f', b'F', w)
            .any(|j| j >= 3 && is(j - 3, j, b"con") && is(j + 1, j + 7, b"erence"))
}

/// Is the date at `st..en` a letter's date line: alone on its line (spaces around it), with a
/// blank line or the text's start above it, and a title and a name ("Mr. Harold J. Fenwick",
/// "Mrs. Eleanor R. Whitcombe") or "Dear" opening one of the next three non-blank lines?
fn letter_date_line(text: &str, doc: &Doc<'_>, st: usize, en: usize) -> bool {
    // (A month's name in it: "DOB\n03/04/1950" is a form's value under its label. Asked
    // first: most dates are digits only.)
    if !text[st..en].bytes().any(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let ls = doc.line_start(st);
    let le = memchr::memchr(b'\n', &text.as_bytes()[en..]).map_or(text.len(), |i| en + i);
    if !text[ls..st].trim().is_empty() || !text[en..le].trim().is_empty() {
        return false;
    }
    let above_blank = ls == 0 || {
        let prev = &text[..ls - 1];
        let pls = memchr::memrchr(b'\n', prev.as_bytes()).map_or(0, |i| i + 1);
        prev[pls..].trim().is_empty()
    };
    above_blank
        && text[le.min(text.len())..]
            .split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(3)
            .any(|l| {
                let w = l.split([' ', ',']).next().unwrap_or("");
                TITLES.eq_any(w.trim_end_matches('.')) || w.eq_ignore_ascii_case("dear")
            })
}

/// USPS state and territory codes.
/// The months' names and abbreviations.
const MONTH_NAMES: &Words = words![
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december"
];

/// The states' names, for a licence's issuing state ("CDL: Michigan M 620 184 557 913").
const STATE_NAMES: &Words = words![
    "alabama",
    "alaska",
    "arizona",
    "arkansas",
    "california",
    "colorado",
    "connecticut",
    "delaware",
    "florida",
    "georgia",
    "hawaii",
    "idaho",
    "illinois",
    "indiana",
    "iowa",
    "kansas",
    "kentucky",
    "louisiana",
    "maine",
    "maryland",
    "massachusetts",
    "michigan",
    "minnesota",
    "mississippi",
    "missouri",
    "montana",
    "nebraska",
    "nevada",
    "ohio",
    "oklahoma",
    "oregon",
    "pennsylvania",
    "tennessee",
    "texas",
    "utah",
    "vermont",
    "virginia",
    "washington",
    "wisconsin",
    "wyoming"
];

const STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP",
];

/// The end of an address match (`st..en`): a city and state written without the comma ("Madison
/// WI") count only when the two capitals are a state code; otherwise the match ends before the
/// city ("12 Oak St, Door AB" is a street).
fn city_state_end(text: &str, st: usize, en: usize) -> usize {
    let m = &text[st..en];
    let b = m.as_bytes();
    if b.len() < 4
        || b[b.len() - 4] == b','
        || b[b.len() - 3] != b' '
        || !b[b.len() - 2..].iter().all(u8::is_ascii_uppercase)
    {
        return en;
    }
    let Some(sep) = m.rfind([',', '\n']) else {
        return en;
    };
    // The comma form's separator sits right before the state; here it precedes the city.
    if STATES.contains(&&m[m.len() - 2..]) || sep >= b.len() - 4 {
        en
    } else {
        st + sep
    }
}

/// "lives with his parents in Strongsville, OH", "Location: near Dayton, OH (approximate)",
/// "moved from Ohio to Bozeman, MT": one to three capitalised words and a state's two-letter
/// code after "in", "near", "from" or "to", in running text, are a town where someone lives,
/// stays or comes from. On the style corpus 38 of the 43 such towns (with no ZIP code after
/// them) were a patient's; the others were "to Nathan Lindqvist, MD", a name and a credential
/// that is also a state's code. With a ZIP code after it, a town is a street address's or a
/// letterhead's (the address rules' business), and in a signature block an organisation's.
/// Never evidence of PHI on its own (scored under [`crate::PHI_THRESHOLD`]): a colleague
/// "joins us from Cleveland, OH"; over a name the dictionary guessed, only as weak as that guess
/// was. Looks back from each comma the pattern pass found before a state's code.
fn city_state_places(
    s: &Scanner,
    text: &str,
    doc: &Doc<'_>,
    state_commas: &[usize],
    out: &mut Vec<Cand>,
) {
    let b = text.as_bytes();
    // (start, end, raised: over a name the dictionary rules guessed, or after a form's key for
    // a home), in text order.
    let mut towns: Vec<(usize, usize, bool)> = Vec::new();
    // (The pattern pass found each ", OH" followed by a space, a stop or the end.)
    for &c in state_commas {
        let state = &text[c + 2..c + 4];
        // A ZIP code after the state: an address the street and letterhead rules weigh.
        let rest = &b[c + 4..b.len().min(c + 12)];
        let spaces = rest.iter().take_while(|&&x| x == b' ').count();
        if spaces > 0
            && rest[spaces..]
                .iter()
                .take_while(|x| x.is_ascii_digit())
                .count()
                >= 5
        {
            continue;
        }
        // Back over one to three capitalised words ("Cherry Hill", "St. Louis",
        // "Winston-Salem"), each one space from the next, until the word before them is a
        // preposition.
        let prepositions = words!["in", "near", "from", "to"];
        let (mut st, mut first, mut after_preposition) = (c, c, false);
        for _ in 0..3 {
            let mut w = st;
            while w > 0
                && (b[w - 1].is_ascii_alphabetic() || matches!(b[w - 1], b'.' | b'-' | b'\''))
            {
                w -= 1;
            }
            let word = &b[w..st];
            if word.len() < 2
                || !word[0].is_ascii_uppercase()
                || word[1..].iter().any(u8::is_ascii_uppercase)
                || w == 0
                || b[w - 1] != b' '
            {
                break;
            }
            first = w;
            st = w - 1;
            let mut v = st;
            while v > 0 && b[v - 1].is_ascii_alphabetic() {
                v -= 1;
            }
            if prepositions.eq_any(&text[v..st]) {
                after_preposition = true;
                break;
            }
        }
        // "Home:                 Asheville, NC": a form's key for where the patient lives,
        // alone before the town (a cruise ship's death report, blind batch 53).
        let home_key = !after_preposition && {
            let ls = memchr::memrchr(b'\n', &b[..first]).map_or(0, |i| i + 1);
            let head = text[ls..first].trim_end();
            head.strip_suffix(':').is_some_and(|k| {
                words![
                    "home",
                    "home address",
                    "residence",
                    "hometown",
                    "home town",
                    "domicilio"
                ]
                .eq_any(k.trim_start_matches(['>', ' ']))
            })
        };
        if !after_preposition && !home_key {
            continue;
        }
        // "Welcome to Nathan Lindqvist, MD", "from Kevin Hollis, PA": a name and a credential.
        if matches!(state, "MD" | "PA" | "MA")
            && s.first_names
                .contains(&text[first..letters_end(b, first)].to_ascii_lowercase())
        {
            continue;
        }
        if doc.in_sig(first) {
            continue;
        }
        towns.push((first, c + 4, home_key));
    }
    if towns.is_empty() {
        return;
    }
    // "to Cherry Hill, NJ": a town the name lists also know ("Cherry", "Hill") was taken for a
    // person by a dictionary rule; the state after it says otherwise, so the town outbids that
    // guess (not a cue's: "Dr. Tyler, TX" is still a person). One pass over the candidates,
    // each looked up among the towns (in text order) by binary search.
    for c in out.iter() {
        if c.label != Some(Label::Person) || c.score >= crate::PHI_STRONG {
            continue;
        }
        let k = towns.partition_point(|t| t.1 <= c.start);
        if let Some(t) = towns.get_mut(k).filter(|t| t.0 < c.end) {
            t.2 = true;
        }
    }
    let why = "town and state after 'in', 'near', 'from' or 'to', or a home's key";
    for (st, en, raised) in towns {
        // (Over a name: above the dictionary's 0.7, and like it weak evidence of PHI.)
        let score = if raised { 0.75 } else { 0.45 };
        push(
            out,
            Some(Label::Address),
            st,
            en,
            score,
            "address.city_state",
            why,
        );
    }
}

/// `From: "dorothy mae pruitt" <dotpruitt1932@aol.com>`, `From: joseph kuznetsov
/// <bigjoe.kuz62@aol.com>`: a display name written in lower case (two to four words of letters)
/// before a personal mailbox is the private person writing, as a capitalised one is (the name
/// rules read capitalised names only). Only on the `From:` lines [`Doc`] noted.
/// "for tyrese holloway dob 7/30/98", "pt is le thi hoa mrn 8842207", "this is kwame mensah,
/// dob 7/19/84": a name typed in a hurry in lower case, right before the "dob" or "mrn" that
/// gives the person's birth date or chart number. Two or three lower-case words, the first a
/// given name and the last a surname the lists know (neither an everyday word), joined by
/// single spaces; then "dob" or "mrn" (after a space or ", ") and a digit. Linear: each "dob"
/// or "mrn" token looks back at most three tokens.
/// "Household: pt + 2 children (Zainab 8, Tobi 5)", "applicant + 2 children (Jaylen, 6; Nia,
/// 3)": a household's children, each a given name and an age, in the brackets after
/// "children" or "kids". Every item must read so; a name is a word the given-name list knows or
/// no ordinary word ("children (Grades 3, 5)" names none). `at`: just after the bracket (the
/// keyword pass finds "children (").
fn children_in_brackets(s: &Scanner, text: &str, at: usize, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let not_names = &*NOT_NAMES_INDEX;
    let mut p = at;
    let mut names: Vec<(usize, usize)> = Vec::new();
    let closed = loop {
        let ns = p;
        if !b.get(p).is_some_and(u8::is_ascii_uppercase) {
            break false;
        }
        p += 1;
        while b.get(p).is_some_and(u8::is_ascii_lowercase) {
            p += 1;
        }
        let ne = p;
        if b.get(p) == Some(&b',') {
            p += 1;
        }
        if b.get(p) != Some(&b' ') {
            break false;
        }
        p += 1;
        let digits = b[p..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=2).contains(&digits) || ne - ns < 3 {
            break false;
        }
        p += digits;
        let w = text[ns..ne].to_ascii_lowercase();
        let key = word_key(w.as_bytes());
        if !s.first_names.contains(&w) && not_names.contains(w.as_bytes(), key) {
            break false;
        }
        names.push((ns, ne));
        match b.get(p) {
            Some(b')') => break true,
            Some(b',' | b';') if b.get(p + 1) == Some(&b' ') => p += 2,
            _ => break false,
        }
    };
    if closed {
        for (ns, ne) in names {
            let why = "a child's name with an age after \"children (\"";
            push(out, Some(Label::Person), ns, ne, 0.85, "person.cue", why);
        }
    }
}

/// "hi its jess, wyatts mom", "kayleigh, isla's mom", "this is marcus kenzies dad": in a
/// parent's note written in lower case, the child's given name, possessive (with or without its
/// apostrophe), right before "mom" or "dad" (blind batch 53). The name lists must know the
/// name; the finding is the name without its "s".
fn lower_case_child_before_parent(
    s: &Scanner,
    text: &str,
    lc: &str,
    toks: &[Tok],
    out: &mut Vec<Cand>,
) {
    let b = text.as_bytes();
    // (Keys compared first, as for "dob" in `lower_case_names_before_dob`: most tokens are
    // passed over on one compare.)
    let keys = [b"mom".as_slice(), b"dad", b"mum", b"mommy", b"daddy"].map(|w| word_key(w) as u32);
    for k in 1..toks.len() {
        let t = toks[k];
        let parent = keys.contains(&t.key)
            && t.ascii
            && matches!(&lc[t.s..t.e], "mom" | "dad" | "mum" | "mommy" | "daddy");
        if !parent {
            continue;
        }
        // The word before, or before a possessive's "'s" (the tokenizer splits "isla's" at its
        // apostrophe), or with a bare "s" ("wyatts").
        let mut p = toks[k - 1];
        if !gap_is(text, p.e, t.s, b" ") {
            continue;
        }
        let mut marked = false;
        if k >= 2 && &b[p.s..p.e] == b"s" {
            let q = toks[k - 2];
            if gap_is(text, q.e, p.s, b"'") || gap_is(text, q.e, p.s, "\u{2019}".as_bytes()) {
                p = q;
                marked = true;
            }
        }
        if !p.ascii || !b[p.s].is_ascii_lowercase() {
            continue;
        }
        let name_end = if marked {
            p.e
        } else if p.e - p.s >= 4 && b[p.e - 1] == b's' {
            p.e - 1
        } else {
            continue;
        };
        let name = &lc.as_bytes()[p.s..name_end];
        // (Without its apostrophe, not an everyday word with its "s" taken off: "this dad",
        // "sees mom".)
        if name.len() >= 3
            && !NOT_NAMES_INDEX.contains(name, word_key(name))
            && !(!marked && (s.weak_model.knows(&b[p.s..p.e]) || s.weak_model.knows(name)))
            && s.first_names.get_any_case(name, word_key(name)).is_some()
        {
            let why = "lower-case given name before a parent's \"mom\" or \"dad\"";
            push(
                out,
                Some(Label::Person),
                p.s,
                name_end,
                0.85,
                "person.child_of",
                why,
            );
        }
    }
}

fn lower_case_names_before_dob(
    s: &Scanner,
    text: &str,
    lc: &str,
    toks: &[Tok],
    out: &mut Vec<Cand>,
) {
    let b = text.as_bytes();
    let not_names = &*NOT_NAMES_INDEX;
    let mut buf = String::new();
    // The tokens whose key is that of "dob" or "mrn", found by a loop that compares nothing
    // else (a look at every token's bytes cost more: callgrind).
    let (dob, mrn) = (word_key(b"dob") as u32, word_key(b"mrn") as u32);
    let mut next = 0;
    while let Some(at) = toks[next..]
        .iter()
        .position(|t| t.key == dob || t.key == mrn)
    {
        let k = next + at;
        next = k + 1;
        let t = &toks[k];
        if !(t.ascii && t.e - t.s == 3 && matches!(&lc[t.s..t.e], "dob" | "mrn")) {
            continue;
        }
        // A digit soon after ("dob 7/30/98", "DOB: 02/09/1997", "mrn 8842207").
        if !b[t.e..(t.e + 4).min(b.len())]
            .iter()
            .any(u8::is_ascii_digit)
        {
            continue;
        }
        let lower = |t: &Tok| {
            t.ascii && !t.cap && b[t.s].is_ascii_lowercase() && {
                let w = &lc.as_bytes()[t.s..t.e];
                !not_names.contains(w, t.key as usize)
            }
        };
        let Some(last) = k.checked_sub(1).map(|j| toks[j]) else {
            continue;
        };
        if !lower(&last)
            || !(gap_is(text, last.e, t.s, b" ") || gap_is(text, last.e, t.s, b", "))
            || !s.surnames.has_token(text, lc, last, &mut buf)
        {
            continue;
        }
        // The given name one or two words before the surname ("le thi hoa").
        let mut first = None;
        let mut j = k - 1;
        while j > 0 && k - j < 3 {
            let prev = toks[j - 1];
            if !lower(&prev) || !gap_is(text, prev.e, toks[j].s, b" ") {
                break;
            }
            j -= 1;
            if s.first_names.has_token(text, lc, prev, &mut buf) {
                first = Some(prev);
            }
        }
        if let Some(f) = first {
            let why = "lower-case name right before a date of birth or chart number";
            push(
                out,
                Some(Label::Person),
                f.s,
                last.e,
                0.85,
                "person.id_after",
                why,
            );
        }
    }
}

/// "From: harold z <hzimm48@yahoo.com>", "To: vern halfmoon <vhalfmoon61@gmail.com>": a
/// display name in lower case before a personal mailbox is its owner's (and the owner writes
/// to or hears from a clinic: a patient or family). Two to four words, the last perhaps an
/// initial (blind batch 35).
fn lower_case_senders(s: &Scanner, text: &str, doc: &Doc<'_>, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    for &ls in doc.froms.iter().chain(&doc.tos).chain(&doc.quoted_heads) {
        let le = doc.line_end(ls);
        // (`Doc` noted the line because it starts "from:" or "to:" after any whitespace, or
        // after quote marks: "> From: bri coles <bcoles_94@yahoo.com>", blind batch 63.)
        let lt = text[ls..le].trim_start().trim_start_matches(['>', ' ']);
        let label = if lt.get(..5).is_some_and(|h| h.eq_ignore_ascii_case("from:")) {
            5
        } else if lt.get(..3).is_some_and(|h| h.eq_ignore_ascii_case("to:")) {
            3
        } else {
            continue;
        };
        let mut p = le - lt.len() + label;
        while p < le && b[p] == b' ' {
            p += 1;
        }
        let quoted = b.get(p) == Some(&b'"');
        if quoted {
            p += 1;
        }
        let st = p;
        let mut words = 0;
        loop {
            let we = p + b[p..le]
                .iter()
                .take_while(|c| c.is_ascii_lowercase() || matches!(c, b'\'' | b'-'))
                .count();
            // (A last initial: "harold z".)
            let initial = words > 0
                && we - p == 1
                && matches!(b.get(we), Some(b' ' | b'"'))
                && !b.get(we + 1).is_some_and(u8::is_ascii_lowercase);
            if we - p < 2 && !initial {
                break;
            }
            words += 1;
            p = we;
            if b.get(p) == Some(&b' ') && b.get(p + 1).is_some_and(u8::is_ascii_lowercase) {
                p += 1;
            } else {
                break;
            }
        }
        let en = p;
        // ("To: jay <jaylen.marsh97@gmail.com>": one word when it is a given name, blind batch
        // 39.)
        if !((2..=4).contains(&words) || words == 1 && s.first_names.contains(&text[st..en]))
            || !b[st].is_ascii_lowercase()
        {
            continue;
        }
        if quoted {
            if b.get(p) != Some(&b'"') {
                continue;
            }
            p += 1;
        }
        let rest = &text[p..le];
        if !rest.trim_start().starts_with('<') || !mentions_consumer_mail(rest) {
            continue;
        }
        let why = "display name of a personal mailbox";
        push(out, Some(Label::Person), st, en, 0.8, "person.header", why);
    }
    // "On Mon, Mar 10, 2025 at 6:02 PM gary ostrowski <gary.ostrowski@comcast.net> wrote:": a
    // reply's attribution gives the personal mailbox's display name as written, in lower case
    // too (blind batch 37). Only in mail with a personal mailbox; one search for the "wrote:".
    if !doc.consumer {
        return;
    }
    // (In the reader's language too: "El lun, 17 nov 2025 a las 7:41 p. m., yesenia carrasco
    // <...> escribió:", blind batch 63; Portuguese "escreveu:", French "a écrit :".)
    let attributions = ["> wrote:", "> escribió:", "> escreveu:", "> a écrit"];
    let ends = attributions
        .iter()
        .flat_map(|a| memchr::memmem::find_iter(b, a.as_bytes()));
    for k in ends {
        let ls = doc.line_start(k);
        let Some(lt) = text[ls..k].rfind('<').map(|i| ls + i) else {
            continue;
        };
        if !mentions_consumer_mail(&text[lt..=k]) {
            continue;
        }
        let head = text[ls..lt].trim_end_matches(' ');
        let hb = head.as_bytes();
        let en = ls + head.len();
        // The lower-case words before the mailbox, last first; "pm", "at" and "on" belong to
        // the date and time before the name.
        let mut st = hb.len();
        let mut words = 0;
        loop {
            let ws = hb[..st]
                .iter()
                .rposition(|c| !(c.is_ascii_lowercase() || matches!(c, b'\'' | b'-')))
                .map_or(0, |i| i + 1);
            let w = &head[ws..st];
            let initial = words == 0 && w.len() == 1;
            if w.len() < 2 && !initial || matches!(w, "am" | "pm" | "at" | "on") || words == 4 {
                break;
            }
            words += 1;
            st = ws;
            if st >= 2 && hb[st - 1] == b' ' && hb[st - 2].is_ascii_lowercase() {
                st -= 1;
            } else {
                break;
            }
        }
        // (Back over a space the loop stepped onto before a word it did not take.)
        if hb.get(st) == Some(&b' ') {
            st += 1;
        }
        if words < 2 && !(words == 1 && s.first_names.contains(&head[st..]))
            || hb.get(st + 1) == Some(&b' ')
            || st > 0 && !matches!(hb[st - 1], b' ' | b',')
        {
            continue;
        }
        let why = "display name of a personal mailbox in a reply's attribution";
        push(
            out,
            Some(Label::Person),
            ls + st,
            en,
            0.8,
            "person.header",
            why,
        );
    }
}

/// Is `text[ls..at]` a chat's time stamp and nothing else ("[8:02 AM] ", "[Tue 7:02 AM] ",
/// "[10:41] ")?
fn chat_stamp_before(text: &str, ls: usize, at: usize) -> bool {
    // ("13:22:31 Trevor M: Hi Amber": a live chat's transcript stamps its lines without
    // brackets, blind batch 43.)
    let bare = text[ls..at].strip_suffix(' ').is_some_and(|h| {
        (4..=8).contains(&h.len())
            && h.bytes().all(|c| c.is_ascii_digit() || c == b':')
            && h.as_bytes()[h.len() - 3] == b':'
    });
    if bare {
        return true;
    }
    let Some(inner) = text[ls..at]
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix("] "))
    else {
        return false;
    };
    let inner = inner
        .strip_suffix(" AM")
        .or_else(|| inner.strip_suffix(" PM"))
        .unwrap_or(inner);
    let clock = inner.rsplit(' ').next().unwrap_or("");
    inner.len() <= 16
        && matches!(clock.len(), 4 | 5)
        && clock.as_bytes()[clock.len() - 3] == b':'
        && clock
            .bytes()
            .filter(|&c| c != b':')
            .all(|c| c.is_ascii_digit())
}

/// "Brianna Teller  9:41 AM": a chat export's speaker alone at a line's start, then a gap and
/// the time the message was sent (blind batch 43's Teams export).
fn chat_stamp_after(text: &str, ls: usize, start: usize, end: usize) -> bool {
    if start != ls {
        return false;
    }
    let rest = &text[end..text[end..].find('\n').map_or(text.len(), |k| end + k)];
    // ("Becca Lindgren (Charge RN 1st floor) 2:48 PM", "Dana Kowalczyk 2:49 PM": the role in
    // brackets, and one space before a time with its AM or PM; blind batch 44.)
    let rest = match rest.strip_prefix(" (").and_then(|r| r.split_once(')')) {
        Some((role, r)) if role.len() <= 40 => r,
        _ => rest,
    };
    let two = rest.starts_with("  ");
    let Some(stamp) = rest.strip_prefix(' ').map(str::trim) else {
        return false;
    };
    let meridian = stamp
        .strip_suffix(" AM")
        .or_else(|| stamp.strip_suffix(" PM"));
    if !two && meridian.is_none() {
        return false;
    }
    let clock = meridian.unwrap_or(stamp);
    matches!(clock.len(), 4 | 5)
        && clock.as_bytes()[clock.len() - 3] == b':'
        && clock
            .bytes()
            .filter(|&c| c != b':')
            .all(|c| c.is_ascii_digit())
}

/// "From: (717) 555-0139  EBERHARDT ROSALIND", "From: (717) 555-0186  QUINTANILLA M": a voice
/// mail system's notice gives the caller's number and, after a gap, the name the phone company
/// has for it, surname first in capitals (blind batches 37 and 39). Only on a `From:` line whose
/// value is a phone number, in mail that speaks of a voice message.
fn caller_id_names(text: &str, doc: &Doc<'_>, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    // (Asked once, and only when a `From:` line holds a number and a name.)
    let mut voice = None;
    for &ls in &doc.froms {
        let le = doc.line_end(ls);
        let line = text[ls..le].trim_end();
        let lead = line.len() - line.trim_start().len();
        // ("From:      (717) 555-0139  EBERHARDT ROSALIND": the value padded to line up.)
        let Some(value) = line[lead..].get(5..).map(str::trim_start) else {
            continue;
        };
        let Some(gap) = value.find("  ") else {
            continue;
        };
        let number = value[..gap].trim();
        let name = value[gap..].trim_start();
        let digits = number.bytes().filter(u8::is_ascii_digit).count();
        if !(10..=11).contains(&digits)
            || !number
                .bytes()
                .all(|c| c.is_ascii_digit() || matches!(c, b'(' | b')' | b'-' | b'.' | b' ' | b'+'))
        {
            continue;
        }
        // One to three words in capitals, the first of two letters or more; not
        // ("WIRELESS CALLER", "UNKNOWN NAME", "HARRISBURG PA") what the phone company shows
        // without a subscriber's name.
        let mut count = 0;
        let shaped = name.split(' ').all(|w| {
            count += 1;
            w.len() >= if count == 1 { 2 } else { 1 }
                && w.bytes()
                    .all(|c| c.is_ascii_uppercase() || matches!(c, b'-' | b'\'' | b','))
        });
        if !shaped
            || count > 3
            || name.split(' ').any(|w| {
                words![
                    "caller",
                    "wireless",
                    "unknown",
                    "private",
                    "unavailable",
                    "restricted",
                    "anonymous",
                    "name",
                    "cell",
                    "phone",
                    "mobile",
                    "toll",
                    "free",
                    "blocked",
                    "area",
                    "number"
                ]
                .eq_any(w)
            })
            || name
                .rsplit(' ')
                .next()
                .is_some_and(|w| w.len() == 2 && STATES.contains(&w))
        {
            continue;
        }
        if !*voice.get_or_insert_with(|| {
            memchr::memmem::find_iter(b, b"oice").any(|k| k > 0 && b[k - 1] | 0x20 == b'v')
        }) {
            continue;
        }
        let st = ls + line.len() - name.len();
        let why = "caller's name after the number in a voice mail notice";
        push(
            out,
            Some(Label::Person),
            st,
            st + name.len(),
            0.8,
            "person.caller",
            why,
        );
    }
}

/// "thank you\nkaren\nSent from my iPhone", "thx\njess", "> gary" closing a quoted mail: a
/// patient or a relative signs mail from a personal mailbox with a given name in lower case
/// (blind batch 37), which the capitalised runs of [`persons`] never see. A line of one or two
/// lower-case words, the first a given name the lists know, after a closing or before the mail
/// program's "Sent from", or last in its mail; in text a personal mailbox wrote.
fn lower_case_sign_offs(s: &Scanner, text: &str, doc: &Doc<'_>, out: &mut Vec<Cand>) {
    if !doc.consumer {
        return;
    }
    let b = text.as_bytes();
    let nl = &doc.nl;
    // Line `li`'s text after its quote marks and spaces, without trailing spaces.
    let content = |li: usize| {
        let ls = li.checked_sub(1).map_or(0, |k| nl[k] + 1);
        let le = nl.get(li).copied().unwrap_or(b.len());
        let mut a = ls;
        while a < le && matches!(b[a], b'>' | b' ' | b'\t') {
            a += 1;
        }
        let mut z = le;
        while z > a && matches!(b[z - 1], b' ' | b'\t' | b'\r') {
            z -= 1;
        }
        (a, z)
    };
    let starts_with = |(a, z): (usize, usize), w: &[u8]| {
        z - a >= w.len() && b[a..a + w.len()].eq_ignore_ascii_case(w)
    };
    let lines = nl.len() + 1;
    for i in 0..lines {
        // (Most lines are longer than a signature's, quote marks and all: passed over by
        // their length alone.)
        let raw = nl.get(i).copied().unwrap_or(b.len()) - i.checked_sub(1).map_or(0, |k| nl[k] + 1);
        if !(3..=40).contains(&raw) {
            continue;
        }
        let (a, z) = content(i);
        // ("thx\nMeg\n\nSent from my iPhone": a capitalised given name alone too, read below
        // only after a patient's closing word or above the mail program's line; blind batch
        // 84.)
        let capital = b[a].is_ascii_uppercase();
        if !(3..=24).contains(&(z - a)) || !(b[a].is_ascii_lowercase() || capital) {
            continue;
        }
        let line = &text[a..z];
        let mut parts = line.split(' ');
        let first = parts.next().unwrap_or("");
        let second = parts.next();
        if parts.next().is_some()
            || !line
                .bytes()
                .skip(usize::from(capital))
                .all(|c| c.is_ascii_lowercase() || c == b' ')
            || first.len() < 3
            || second.is_some_and(str::is_empty)
            || capital && second.is_some()
            || !(if capital {
                s.first_names.contains(&first.to_ascii_lowercase())
            } else {
                s.first_names.contains(first)
            })
        {
            continue;
        }
        // The lines around it that hold text, at most two lines away.
        let prev = (i.saturating_sub(2)..i)
            .rev()
            .map(content)
            .find(|(x, y)| y > x);
        let next = (i + 1..lines.min(i + 3)).map(content).find(|(x, y)| y > x);
        // (The shared `CLOSINGS` start a signature block for the `Doc`; the words patients
        // type alone on a line before their name are read only here.)
        let closing = prev.is_some_and(|(x, y)| {
            let p = text[x..y]
                .trim_end_matches([',', '!', '.', ' ', '-'])
                .to_ascii_lowercase();
            CLOSINGS.eq_any(&p)
                || words![
                    "thx",
                    "ty",
                    "tks",
                    "thank u",
                    "thanks so much",
                    "love",
                    "god bless",
                    "gracias",
                    "muchas gracias"
                ]
                .eq_any(&p)
        });
        // ("lupita\n\nEnviado desde Outlook para Android"; "teresa v\n717.555.0172": the mail
        // program's line, or the writer's phone number under the name; blind batch 39.)
        let sent_from = next.is_some_and(|l| {
            starts_with(l, b"sent from")
                || starts_with(l, b"enviado desde")
                || (10..=16).contains(&(l.1 - l.0))
                    && b[l.0..l.1].iter().all(|c| {
                        c.is_ascii_digit() || matches!(c, b'.' | b'-' | b' ' | b'(' | b')')
                    })
                    && b[l.0..l.1].iter().filter(|c| c.is_ascii_digit()).count() == 10
        });
        // Last in its mail: nothing after it, or a reply's attribution or a quoted header.
        let last = next.is_none_or(|(x, y)| {
            starts_with((x, y), b"on ") && text[x..y].ends_with("wrote:")
                || starts_with((x, y), b"-----")
                || starts_with((x, y), b"from:")
        }) && prev.is_some();
        if !(closing || sent_from || last && !capital) || !doc.consumer_writes_at(a) {
            continue;
        }
        let why = "given name in lower case signing mail from a personal mailbox";
        push(out, Some(Label::Person), a, z, 0.8, "person.signature", why);
    }
}

/// A table column's heading and the label of its cells ("claim_no,patient_name,dob,member_id").
pub(crate) fn column_label(heading: &str) -> Option<Label> {
    // "SSN last 4", "Last 4 SSN", "SSN (last 4)": the digit is the count.
    let hb = heading.as_bytes();
    let holds = |w: &[u8]| hb.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w));
    if hb.len() <= 16 && holds(b"ssn") && (holds(b"last") || holds(b"l4")) {
        return Some(Label::Ssn);
    }
    // ("referral_no,vet_last,vet_first,last4,specialty": the last four digits of each
    // veteran's SSN, blind set XK.)
    let bare = heading
        .trim()
        .trim_matches('"')
        .trim_end_matches([':', '#', ' ']);
    // ("| Referral #  | Veteran  | L4  |": a veterans' office's shorthand, blind batch 50.)
    if ["last4", "last 4", "ssn4", "last_4", "l4"]
        .iter()
        .any(|h| bare.eq_ignore_ascii_case(h))
    {
        return Some(Label::Ssn);
    }
    // An HL7 interface's report names each column by its segment and field, then says what it
    // is: "PID-3 (MRN)", "OBR-7 COLLECT DT" (an interface engine's rejected results, blind
    // batch 71). The field reference is read past, and a heading in parentheses read inside.
    if let Some((field, rest)) = bare.split_once(' ')
        && let Some((segment, number)) = field.split_once('-')
        && segment.len() == 3
        && segment
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && segment.as_bytes()[0].is_ascii_uppercase()
        && (1..=2).contains(&number.len())
        && number.bytes().all(|c| c.is_ascii_digit())
    {
        let rest = rest.trim();
        let rest = rest
            .strip_prefix('(')
            .and_then(|r| r.strip_suffix(')'))
            .unwrap_or(rest);
        return column_label(rest);
    }
    // Headings are short words: prose between commas is passed over without lower-casing it.
    if heading.len() > 24 || heading.bytes().any(|c| c.is_ascii_digit()) {
        return None;
    }
    // (Words run together in camel case are split: "MemberID", "PatientName", blind set YP.)
    let mut h = String::with_capacity(heading.len() + 4);
    let mut prev_lower = false;
    for c in heading.trim().trim_matches('"').chars() {
        if c == '_' || c == '-' || c == '.' {
            h.push(' ');
        } else {
            if prev_lower && c.is_ascii_uppercase() {
                h.push(' ');
            }
            h.push(c.to_ascii_lowercase());
        }
        prev_lower = c.is_ascii_lowercase();
    }
    let numbered = h.trim_end_matches([':', ' ']).ends_with('#');
    let h = h.trim_end_matches(['#', ':', ' ']).trim();
    // ("REQ#  SUBMITTED  INMATE#  NAME": a jail's booking number, not the inmate's name, blind
    // batch 63.)
    if numbered && words!["inmate", "offender", "booking", "detainee"].eq_any(h) {
        return Some(Label::OtherId);
    }
    // ("NAME (LAST, FIRST MI)": the name column, with the order of its parts in brackets;
    // a processing station's roster, blind batch 69.)
    let h = if h.starts_with("name (") && h.ends_with(')') && h.contains("last") {
        "name"
    } else {
        h
    };
    // ("mrn,payer,auth_num,sessions_auth": "num" for "no", blind batch 42.)
    let renamed;
    let h = match h.strip_suffix(" num") {
        Some(head) => {
            renamed = format!("{head} no");
            renamed.as_str()
        }
        None => h,
    };
    Some(match h {
        "patient" | "patient name" | "pt" | "pt name" | "member name" | "name" | "patient nm"
        // (Not "client": a billing company's clients are practices.)
        | "claimant" | "resident" | "resident name" | "appellant" | "enrollee" | "beneficiary"
        | "insured" | "subscriber" | "subscriber name" | "student" | "student name"
        // A hospice's bereavement list: the patient who died and the family member to call.
        | "deceased" | "bereaved" | "bereaved contact"
        // A prison's patients ("| Appt | Inmate | DOC # |", blind batch 51).
        | "inmate" | "inmate name" | "offender" | "offender name"
        // A name split in two columns ("referral_no,patient_last,patient_first,dob"); a
        // pre-placement exam's candidate, a drug test's donor (beside a date of service or a
        // record column: a staff roster has neither).
        | "patient last" | "patient first" | "patient last name" | "patient first name"
        | "pt last" | "pt first" | "last name" | "first name" | "candidate" | "donor"
        // ("time,last,first,dob,mrn", an IME's "examinee", a medical examiner's "decedent",
        // a counselling service's "client_name".)
        | "last" | "first" | "examinee" | "decedent" | "client name"
        // A child advocacy center's case review ("| # | Child | DOB | CAC # |", blind batch
        // 43).
        | "child" | "child name" | "minor" | "victim"
        // A drug screen's donor ("donor_name,ssn_last4,specimen_id,collection_date", blind
        // batch 47).
        | "donor name"
        // ("MOTHER_MAIDEN": a mother's maiden name on a birth record.)
        | "mother maiden" | "mothers maiden" | "maiden name" | "mother maiden name"
        // A cord blood bank's intake of each unit's mother ("SITE  DONOR ID  MATERNAL MRN
        // MATERNAL NAME  DELIVERY DT/TM", blind batch 53).
        | "maternal name" | "mother name" | "mother's name"
        // A Spanish-speaking partner clinic's list ("| Exp. | Paciente | Edad | Cirugía |",
        // a medical mission's follow-up, blind batch 65).
        | "paciente" | "nombre del paciente" | "nombre paciente"
        // A quitline's pharmacy's returned shipments ("order_id,enrollee_name,ship_address,
        // city,st,zip", blind batch 72).
        | "enrollee name" | "beneficiary name" | "claimant name" | "insured name" => Label::Person,
        // A patient's hearing aids, chairs and pumps, listed by serial number.
        "serial" | "serials" | "serial(s)" | "serial no" | "serial number" | "s/n" | "sn" => {
            Label::Device
        }
        // Whose serial first: a home INR service's "meter_sn", a "device serial", a
        // "pump_serial_no" (blind set QW).
        h if [" sn", " s/n", " serial", " serial no", " serial number"]
            .iter()
            .any(|w| h.ends_with(w)) =>
        {
            Label::Device
        }
        // A service's own number for the patient ("acuvia_pt_id", "Pt ID", "Patient ID").
        // ("client,client_id,visit_date": a home care agency's number for its client, blind
        // set XZ.)
        "pt id" | "patient id" | "client id" | "client no" => Label::Mrn,
        // A recovery residence's residents ("resident_id,last_name,first_name,house,test_date",
        // a random drug test's selection, blind batch 55).
        "resident id" | "resident no" => Label::Mrn,
        // ("session_id,provider,patient_ref,...": a telehealth audit's reference to the
        // patient's record, blind batch 43.)
        "patient ref" | "pt ref" => Label::Mrn,
        h if h.ends_with(" pt id") || h.ends_with(" patient id") => Label::Mrn,
        "dob" | "d o b" | "birth date" | "date of birth" | "birthdate" | "dos"
        | "date of service" | "service date" | "admit date" | "discharge date" | "visit date"
        | "appt date" | "date of procedure" | "procedure date" | "surgery date"
        | "date of surgery" | "dod" | "date of death" | "exam date" | "date of exam"
        | "delivery date" | "delivery dt/tm" | "date of delivery"
        // A patient table's appointment times ("| 08:00 | Lindqvist-Hart, Ebba | RNE-0061102").
        | "time" | "appt time" | "appointment time" | "appt" | "appointment" => Label::Date,
        // ("case_no,subject_name,subject_dob", "member_dob": whose birth date, then "dob".)
        h if h.ends_with(" dob") && h.bytes().all(|c| c.is_ascii_lowercase() || c == b' ') => {
            Label::Date
        }
        // A pharmacy's medication profile ("Rx #   Drug / Strength   Sig   Last fill").
        "last fill" | "fill date" | "date filled" | "last filled" | "filled" => Label::Date,
        "collection date" | "collected" | "date collected" | "collect dt" | "collection dt"
        | "collect date" => Label::Date,
        // ("emp_id,last_name,first_name,station,shift,last_physical,due_by": a fire
        // department's members due for their annual physicals, blind batch 68.)
        "last physical" | "physical date" | "last exam" | "last exam date" => Label::Date,
        // ("visit_id,mrn,patient_name,visit_date,visit_time", "slot,mrn,patient,dob,study":
        // a patient table's visit times and slots, blind sets XI and XJ.)
        "visit time" | "slot" | "appt datetime" | "start time" | "arrival time" => Label::Date,
        "expediente" | "no expediente" | "num expediente" => Label::Mrn,
        "fecha de nacimiento" | "fecha nacimiento" | "fecha nac" => Label::Date,
        "mrn" | "medical record" | "medical record number" | "chart" | "chart no" | "hrn"
        | "health record" | "health record no" | "health record number" => Label::Mrn,
        "member id" | "member" | "member no" | "subscriber id" | "policy" | "policy no"
        | "medicaid id" | "mbi"
        // Medical Assistance, Pennsylvania's Medicaid ("client_last,client_first,ma_id,mco",
        // a home care agency's authorisations, blind batch 59).
        | "ma id" | "ma no" | "medicaid no" | "medicaid number" => Label::MemberId,
        // ("patient_name,dob,mrn,plan_member_id,...": a health centre's no-show list for a
        // health plan, blind batch 48.)
        // ("last_name,first_name,dob,clinic_mrn", "| SVMC MRN |": an organisation's chart
        // number, blind batch 49.)
        h if h.ends_with(" mrn") && h.bytes().all(|c| c.is_ascii_lowercase() || c == b' ') => {
            Label::Mrn
        }
        h if (h.ends_with(" member id") || h.ends_with(" subscriber id"))
            && h.bytes().all(|c| c.is_ascii_lowercase() || c == b' ') =>
        {
            Label::MemberId
        }
        "claim" | "claim id" | "claim no" | "claim number" | "auth" | "auth no" | "rx"
        | "rx no" | "rx number" | "rx id" | "prescription number" | "trip" | "trip no"
        | "trip number" | "accession" | "accession no" | "acc" | "acc no" | "encounter" | "case"
        | "referral" | "icn" | "docket" | "docket no" | "appeal" | "appeal no"
        | "case no" | "case number" | "case id" | "enc id" | "encounter id" | "encounter no"
        | "referral no" | "referral id" | "run no" | "trip id" | "student id" | "request id"
        // ("visit_id,mrn,patient_name,visit_date": a home care agency's visit, blind set XJ.)
        | "visit id" | "visit no" | "visit number"
        // An ambulance service's run ("Incident #   DOS   Patient").
        | "incident" | "incident no" | "incident number"
        | "auth number" | "pa number" | "pa ref"
        // ("pt_name,mrn,dob,payer,member_id,cpt,auth_ref": a bariatric program's pending
        // authorisations, blind set QZ.)
        | "auth ref" | "auth id" | "authorization" | "authorization no" | "pa id"
        // A prior authorisation's number ("PA #" beside a "Patient" column).
        | "pa" | "pa no" | "prior auth" | "prior auth no"
        // A teledermatology service's consult, a consent's number, a state's death or birth
        // record ("consult_id,mrn,patient_name", "consent_id,consent_exp",
        // "STATE_FILE_NO,LAST,FIRST,DOB,DOD": blind batch 38).
        | "consult id" | "consult no" | "consent id" | "consent no" | "state file no"
        | "state file number" | "offender no" | "offender id" | "doc" | "doc no" | "doc number"
        | "inmate no" | "inmate id"
        // A forensic exam's evidence kit, a newborn screen's card ("MRN,Exam date,Kit #").
        | "kit" | "kit no" | "kit number"
        // A reminder run's appointments, a telehealth service's sessions, a child protective
        // service's intakes ("appt_id,appt_datetime,child_first,...", blind batch 43).
        | "appt id" | "appointment id" | "session id" | "intake" | "intake no" | "intake id"
        // ("ref_id,patient,dob,primary_payer,...": a rehabilitation hospital's referrals,
        // blind batch 45.)
        | "ref id" | "ref no" | "rqid" | "subject id" | "donor id"
        // An occupational clinic's pre-placement applicants ("applicant_id,
        // last_name,first_name,exam_date", blind batch 53).
        | "applicant id"
        // An immigration attorney's clients ("client_name,a_number,court,hearing_date", blind
        // batch 55).
        | "a number" | "a no" | "alien number"
        | "specimen id" | "specimen no" | "specimen"
        // An eye bank's grafts, each one recipient's ("TISSUE ID  SURGERY DATE  SURGEON",
        // blind batch 75).
        | "tissue id" | "tissue no" | "graft id"
        // A draw's requisition ("| Time | Patient | Address | Tests | Req # |", blind batch 42).
        | "req" | "req no" | "requisition" | "requisition no" | "requisition number"
        // A prior authorisation portal's export ("key,patient_name,patient_dob,drug,payer,
        // member_id,submitted,status,payer_ref", blind batch 86): the request's key and the
        // plan's reference for it.
        | "key" | "pa key" | "request key" | "payer ref" | "payer reference" | "plan ref" => {
            Label::OtherId
        }
        // ("kvh_accession,last_name,first_name,dob": a laboratory's own accession, its name
        // first, blind batch 86.)
        h if (h.ends_with(" accession") || h.ends_with(" accession no"))
            && h.bytes().all(|c| c.is_ascii_lowercase() || c == b' ') =>
        {
            Label::OtherId
        }
        // "guarantor_last,guarantor_first", "member_name", "debtor_first": a person's role,
        // then the part of the name.
        h if h.split_once(' ').is_some_and(|(role, part)| {
            words![
                "guarantor",
                "debtor",
                "member",
                "subscriber",
                "insured",
                "claimant",
                "resident",
                "student",
                "parent",
                "guardian",
                "enrollee",
                "beneficiary",
                "patient",
                "pt",
                "vet",
                "veteran",
                // ("STATE_FILE_NO  CHILD_LAST  CHILD_FIRST  DOB": a birth record's, blind set XT.)
                "child",
                "infant",
                "baby",
                "newborn",
                "mother",
                "father",
                // ("case_no,subject_name,subject_dob": an adoption agency's records requests;
                // "donor_id,nok_first,nok_last,relationship,donor_first": an eye bank's donor
                // families, the next of kin and the donor; blind batch 75.)
                "subject",
                "nok",
                "donor",
                "decedent"
            ]
            .eq_any(role)
                && words!["last", "first", "last name", "first name", "name", "middle"]
                    .eq_any(part)
        }) =>
        {
            Label::Person
        }
        "account" | "acct" | "account no" | "acct no" | "har" | "fin" | "fin no" => Label::Account,
        // "Student Acct #", "Patient Account", "Guarantor acct no": whose account, then the word.
        h if [" acct", " account", " acct no", " account no"]
            .iter()
            .any(|w| h.ends_with(w)) =>
        {
            Label::Account
        }
        "ssn" => Label::Ssn,
        // (Only a cell over 89 is an identifier: see `cell_fits`.)
        "age" | "age/sex" | "age sex" | "age/gender" | "edad" | "edad/sexo" => Label::Age,
        "phone" | "home phone" | "cell" | "cell phone" | "mobile" | "parent phone"
        | "guardian phone" | "callback" | "callback phone" | "phone number" => Label::Phone,
        "address" | "street" | "home address" | "city" | "town" | "domicilio" | "dirección"
        | "direccion" => Label::Address,
        // A search and rescue team's log of its subjects ("| Mission | Date | Subject | Age |
        // Home |", blind batch 54).
        // ("ahs_id,last_name,first_name,dob,home_city": a boarding school's new students,
        // blind batch 65.)
        "home" | "hometown" | "home town" | "home city" => Label::Address,
        "mission" | "mission no" | "mission number" => Label::OtherId,
        // A race medical team's runners ("ENCOUNTER  BIB  RUNNER", blind batch 66).
        "bib" | "bib no" | "bib number" => Label::OtherId,
        "zip" | "zip code" | "zipcode" => Label::Zip,
        // "acct,guarantor,old_address,old_zip,ncoa_new_address,new_zip": a billing service's
        // returned statements with their forwarding addresses (blind batch 58).
        "guarantor" | "guarantor name" => Label::Person,
        h if h.rsplit_once(' ').is_some_and(|(whose, what)| {
            words!["address", "zip"].eq_any(what)
                && words![
                    "old",
                    "new",
                    "prior",
                    "previous",
                    "current",
                    "mailing",
                    "forwarding",
                    "ship",
                    "shipping",
                    "ncoa new",
                    "ncoa"
                ]
                .eq_any(whose)
        }) =>
        {
            if h.ends_with("zip") {
                Label::Zip
            } else {
                Label::Address
            }
        }
        "email" | "e mail" => Label::Email,
        // "patient_mrn", "pt_dob", "patient_phone": a patient's column, named with whose it is
        // (an equipment vendor's kit list, blind batch 37).
        _ => {
            return h
                .strip_prefix("patient ")
                .or_else(|| h.strip_prefix("pt "))
                .and_then(column_label)
                .filter(|&l| l != Label::Person);
        }
    })
}

/// A column only a patient table has (dates, record, member, claim and account numbers, SSNs,
/// ages):
/// a table needs one before its cells are read as identifiers.
fn patient_only_column(l: Label) -> bool {
    // (An "Age/Sex" column: a census's residents, not a roster's staff.)
    matches!(
        l,
        Label::Date
            | Label::Mrn
            | Label::MemberId
            | Label::OtherId
            | Label::Account
            | Label::Ssn
            | Label::Age
    )
}

/// Does a table cell look like a value of its column's label: a name has letters and no
/// digits, an address or e-mail some length, an identifier or date digits?
fn cell_fits(label: Label, v: &str) -> bool {
    // (Three spaces inside: the cell ran on into the next column of a row that drifted, "3/12
    // 9:45 EGD / Feld            22".)
    if v.contains("   ") {
        return false;
    }
    let digits = v.bytes().any(|c| c.is_ascii_digit());
    match label {
        // (Not a schedule's free slot: "open", "(open)", "OPEN - hold for add-on".)
        Label::Person => {
            !digits
                && v.len() >= 3
                && v.bytes().any(|c| c.is_ascii_alphabetic())
                && !words![
                    "open",
                    "none",
                    "tbd",
                    "n/a",
                    "blocked",
                    "block",
                    "lunch",
                    "hold",
                    "held",
                    "available",
                    "cancelled",
                    "canceled",
                    "vacant",
                    "empty",
                    "free",
                    "closed"
                ]
                .eq_any(leading_letters(v.trim_start_matches(['(', '*', ' '])))
        }
        // ("same as above": prose, not an address.)
        Label::Address => {
            v.len() >= 5
                && v.bytes()
                    .any(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        }
        Label::Email => v.len() >= 5,
        // ("91 F", "93"): an age over 89, the sex after it.
        Label::Age => {
            let d = v.bytes().take_while(u8::is_ascii_digit).count();
            (2..=3).contains(&d)
                && v[..d].parse::<u32>().is_ok_and(|n| (90..=125).contains(&n))
                && !v[d..].trim_start().starts_with(['%', '.', '/'])
        }
        // (An identifier's cell may say instead where it stands: "submitted 3/10".)
        // (Not "08/05/2025 - not picked up, RTS 08/15/2025": a last column's note.)
        Label::Date => digits && v.len() >= 4 && !has_lower_word(v, 4),
        _ => digits && v.len() >= 4 && !has_lower_word(v, 4),
    }
}

/// Where a ZIP code (five digits, perhaps "-" and four more) ends `cell` after a space, if it
/// does.
fn trailing_zip(cell: &str) -> Option<usize> {
    let b = cell.as_bytes();
    let k = b.iter().rposition(|&c| c == b' ')? + 1;
    let z = &b[k..];
    let five = |d: &[u8]| d.len() == 5 && d.iter().all(u8::is_ascii_digit);
    (k > 1 && (five(z) || z.len() == 10 && five(&z[..5]) && z[5] == b'-')).then_some(k)
}

/// Does a table cell read as a person's name: two or three words, each starting with a capital
/// ("Brenneman, H.", "Carrasco Ruiz, Mateo", "Ana Ruiz")?
fn name_shaped_cell(v: &str) -> bool {
    let n = v.split([' ', ',']).filter(|w| !w.is_empty()).count();
    (2..=4).contains(&n)
        && v.split([' ', ','])
            .filter(|w| !w.is_empty())
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// Does `v` hold a run of at least `n` lower-case ASCII letters (a word of prose)?
fn has_lower_word(v: &str, n: usize) -> bool {
    let mut run = 0;
    v.bytes().any(|c| {
        run = if c.is_ascii_lowercase() { run + 1 } else { 0 };
        run >= n
    })
}

/// Cells of one table row split at `sep`; with commas, double quotes group a cell ("Nassar,
/// Layla"). Each cell as its byte range inside the row, quotes and spaces trimmed.
fn table_cells(row: &str, sep: u8, cells: &mut Vec<(usize, usize)>) {
    cells.clear();
    let b = row.as_bytes();
    let (mut start, mut quoted) = (0, false);
    for (i, &c) in b.iter().enumerate() {
        if c == b'"' && sep == b',' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            cells.push((start, i));
            start = i + 1;
        }
    }
    cells.push((start, b.len()));
    for c in cells.iter_mut() {
        while c.0 < c.1 && matches!(b[c.0], b' ' | b'"' | b'\t') {
            c.0 += 1;
        }
        while c.1 > c.0 && matches!(b[c.1 - 1], b' ' | b'"' | b'\t' | b'\r') {
            c.1 -= 1;
        }
        // ("| *Ferrante, Luca* | *2917406* |": a chat tool's bold row, its cells between
        // asterisks, blind batch 48.)
        if c.1 - c.0 > 2 && b[c.0] == b'*' && b[c.1 - 1] == b'*' {
            c.0 += 1;
            c.1 -= 1;
        }
    }
}

/// "Patient (MRN)" as ("Patient", "MRN"), "Hartsock, M. (CR-00355102)" as ("Hartsock, M.",
/// "CR-00355102"): a cell or a heading that ends with one bracketed part after a space.
fn bracketed(cell: &str) -> Option<(&str, &str)> {
    let body = cell.strip_suffix(')')?;
    let k = body.rfind(" (")?;
    let (outer, within) = (body[..k].trim_end(), &body[k + 2..]);
    (!outer.is_empty()
        && !within.is_empty()
        && !within.contains(['(', ')'])
        && !outer.contains(['(', ')']))
    .then_some((outer, within))
}

/// Is `v` an amount of money ("9010.00", "18860.25"): digits, a point and two digits?
fn money_shaped(v: &[u8]) -> bool {
    let n = v.len();
    n >= 4
        && v[n - 3] == b'.'
        && v[n - 2..].iter().all(u8::is_ascii_digit)
        && v[..n - 3].iter().all(u8::is_ascii_digit)
}

/// Does a number end in a plan's two-digit person code ("TBA1904562-01", "-02" a spouse or a
/// child), after six digits or more? Then an "ID:" is a member's.
fn dependent_suffix(v: &[u8]) -> bool {
    let n = v.len();
    n >= 9
        && v[n - 3] == b'-'
        && v[n - 2] == b'0'
        && v[n - 1].is_ascii_digit()
        && v[..n - 3].iter().filter(|c| c.is_ascii_digit()).count() >= 6
        // (One hyphen: "TS-25-0311-07" is a consult's number.)
        && !v[..n - 3].contains(&b'-')
}

/// Does a court case number's docket and number follow its year (" MH 00612", " GDN 00417")?
fn court_case_after(b: &[u8]) -> bool {
    let code = b
        .iter()
        .skip(1)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    b.first() == Some(&b' ')
        && (1..=4).contains(&code)
        && b.get(code + 1) == Some(&b' ')
        && b.get(code + 2).is_some_and(u8::is_ascii_digit)
}

/// Tables whose heading row names identifier columns (a claims list, a visit schedule: CSV,
/// `|` or tab separated): each cell under such a heading is that identifier. A table counts
/// only with a column that only a patient has (birth date, record, member, claim or account
/// number, SSN), so a staff roster's names and phones are left alone.
// Once per scan: most lines hold fewer than three separators and are passed over quickly.
#[inline(never)]
fn table_columns(text: &str, doc: &Doc<'_>, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let mut cells = Vec::new();
    let mut labels: Vec<Option<Label>> = Vec::new();
    let mut inner: Vec<Option<(Label, Label)>> = Vec::new();
    // The index in `doc.nl` of the first line break at or after the separator: separators
    // are found in text order, so it only moves on (no search of the text for line ends).
    let mut line = 0;
    // `p` is always a line start: each search finds the first separator of a line.
    let mut p = 0;
    while p < b.len() {
        let Some(k) = memchr::memchr3(b',', b'|', b'\t', &b[p..]) else {
            break;
        };
        let pos = p + k;
        while doc.nl.get(line).is_some_and(|&n| n < pos) {
            line += 1;
        }
        let le = doc.nl.get(line).copied().unwrap_or(b.len());
        p = le + 1;
        // A heading's first cell is a short word, perhaps padded with spaces to line up with
        // the rows ("Pt                          | MRN"): at most 24 bytes of text before the
        // first separator (most lines with a comma are passed over here). (Within 64 bytes
        // of the separator, its line's start, else the line is passed over.)
        let from = pos.saturating_sub(64);
        let ls = match line.checked_sub(1).map(|j| doc.nl[j]) {
            Some(n) if n >= from => n + 1,
            None if from == 0 => 0,
            _ => continue,
        };
        if pos - ls > 25 && b[ls..pos].trim_ascii().len() > 24 {
            continue;
        }
        let sep = b[pos];
        if le - ls > 400 || memchr::memchr_iter(sep, &b[pos + 1..le]).nth(1).is_none() {
            continue;
        }
        let line = &text[ls..le];
        table_cells(line, sep, &mut cells);
        labels.clear();
        labels.extend(cells.iter().map(|&(a, z)| column_label(&line[a..z])));
        // "| Patient (MRN) |" over "| Hartsock, M. (CR-00355102) |": a heading that names a
        // second field in brackets, each cell holding both (an infusion board, blind batch
        // 57). The column is read by the heading before the bracket, the bracket's part of
        // each cell by the heading's bracket.
        inner.clear();
        inner.extend(cells.iter().map(|&(a, z)| {
            // (A patient's name and a number only a patient has: not "Time (PT)", a time
            // zone, over a candidate's test time.)
            let (outer, within) = bracketed(&line[a..z])?;
            let l = column_label(within).filter(|&l| l != Label::Date && patient_only_column(l))?;
            column_label(outer)
                .filter(|&o| o == Label::Person)
                .map(|o| (o, l))
        }));
        for (l, i) in labels.iter_mut().zip(&inner) {
            if let Some((o, _)) = i {
                *l = Some(*o);
            }
        }
        // "| Patient            | ASHBY-MOORE, CAROLYN  |": a row of a two-column table of
        // fields and their values, no heading (a payer portal's claim status, blind batch 54).
        // (A "|" row's cells include the empty ones outside its first and last bar.)
        let mut filled = (0..cells.len()).filter(|&k| cells[k].1 > cells[k].0);
        if let (Some(k0), Some(k1), None) = (filled.next(), filled.next(), filled.next())
            && labels[k0].is_some()
            && labels[k1].is_none()
        {
            let v = &line[cells[k1].0..cells[k1].1];
            if v.bytes().any(|c| c.is_ascii_digit()) || v.contains(", ") {
                continue;
            }
        }
        // A "Client" column: a home-care agency's or a therapy provider's clients are its
        // patients, a billing company's are practices ("Lakeside Pediatrics"); its cells count
        // only when they look like a person's name and hold no organisation word.
        // ("Participant | Medicaid ID | DOS", "Participant | Pickup address": an adult day
        // centre's or a program's patients, when another column holds a record number or an
        // address; a training roster's participants are staff.)
        // The first column whose heading is one of `ws` (any case, without "#" or ":").
        // ("client_name": an underscore for the space.)
        let column_of = |ws: &[&str]| {
            cells.iter().position(|&(a, z)| {
                let h = line[a..z].trim().trim_end_matches(['#', ':', ' ']);
                ws.iter().any(|w| {
                    h.len() == w.len()
                        && h.bytes().zip(w.bytes()).all(|(x, y)| {
                            (if x == b'_' { b' ' } else { x }).eq_ignore_ascii_case(&y)
                        })
                })
            })
        };
        let client_column = column_of(&["client", "client name"]);
        let client_column = client_column.or_else(|| {
            (labels
                .iter()
                .flatten()
                // (Not a date: "Participant | Date completed | Score" is a training roster.)
                .any(|&l| l != Label::Date && patient_only_column(l) || l == Label::Address)
                // "participant,table,diet,texture,liquids,allergies": an adult day centre's
                // kitchen list; a roster lists no one's allergies or diagnoses.
                || column_of(&["allergies", "allergy", "diagnosis", "dx", "diet"]).is_some())
            .then(|| column_of(&["participant", "participant name"]))
            .flatten()
        });
        if let Some(c) = client_column
            && labels[c].is_none()
        {
            labels[c] = Some(Label::Person);
        }
        // "#  | Subject | Finding": a monitor's letter lists a trial's subjects by their
        // site-and-subject numbers ("104-003"); a ticket list's "Subject" column holds prose,
        // which `site_subject_shaped` passes over.
        let subject_column = column_of(&["subject", "subject id", "subj", "subject no"]);
        if let Some(c) = subject_column
            && labels[c].is_none()
        {
            labels[c] = Some(Label::OtherId);
        }
        // "Unit | Room | Name | Notes": a ward's round by unit and room lists its patients (a
        // staff directory gives a department and an extension, not a unit and a room).
        let ward_round = labels.contains(&Some(Label::Person))
            && column_of(&["room", "rm", "room/bed", "rm/bed", "bed"]).is_some()
            && column_of(&["unit", "floor", "ward"]).is_some();
        // "line,service_date,employee,service,cpt,amount", "EMP_ID,LAST,FIRST,POSITION,VESSEL,
        // TEST": an occupational clinic's invoice to an employer for the workers it examined,
        // a drug testing consortium's random selection of workers to test (blind batch 66). A
        // column of billing codes or of tests makes a table of names one of patients (not a
        // staff roster's department or "Service"), and its "Employee" column their names.
        let care_column = column_of(&[
            "cpt",
            "cpt code",
            "test",
            "test type",
            "panel",
            "reason for test",
            "exam type",
            "diagnosis",
            "dx",
        ])
        .is_some();
        if care_column
            && let Some(c) = column_of(&["employee", "employee name", "emp name"])
            && labels[c].is_none()
        {
            labels[c] = Some(Label::Person);
        }
        // (A "Patient" column lists patients; a "Name" column may list staff.)
        let patient_column = care_column && labels.contains(&Some(Label::Person))
            || client_column.is_some()
            || subject_column.is_some()
            || ward_round
            || column_of(&["patient", "patient name", "pt", "pt name"]).is_some()
            // A program's enrollees and a plan's beneficiaries are its patients
            // ("order_id,enrollee_name,ship_address,...": a quitline's returned shipments,
            // blind batch 72).
            || column_of(&[
                "enrollee",
                "enrollee name",
                "beneficiary",
                "beneficiary name",
                "claimant",
                "claimant name",
            ])
            .is_some();
        let patient_only = patient_column
            || labels.iter().flatten().any(|&l| patient_only_column(l))
            || inner.iter().flatten().any(|&(_, l)| patient_only_column(l));
        // A "Patient" or "Pt" column is a table of patients on its own ("| Pt | Item | Clin |
        // Status |", a fabrication queue), its cells read as names only when they look like
        // one ("Brenneman, H."; not "Yes" or "new").
        // (A record number's column alone is one: "date,start,end,mrn,location", an
        // interpreter's encounter log, blind set YA.)
        let names_only = labels.iter().filter(|l| l.is_some()).count() < 2
            && !labels.contains(&Some(Label::Mrn))
            && !inner.iter().flatten().any(|&(_, l)| l == Label::Mrn);
        if !patient_only || names_only && !patient_column {
            continue;
        }
        // "| Child | DOB | CAC # | LE / CPS # |": in a table of patients by name, a column
        // whose heading ends with "#" numbers each one's case (blind batch 43). (Not a row's
        // own count, "#", nor a room, a bed, a line or a page.)
        // ("| Patient | Hub ID |", "enrollment_id,last_name,first_name,dob", "MRN,Trauma_No",
        // "LastName,FirstName,DoDID": the same with "ID" or "No" for "#", in a table of
        // patients by name or by chart number, blind batch 59.)
        if labels.contains(&Some(Label::Person)) || labels.contains(&Some(Label::Mrn)) {
            for (k, &(a, z)) in cells.iter().enumerate() {
                let h = line[a..z].trim();
                let numbered = h.ends_with('#')
                    || h.len() >= 4 && h.ends_with("ID") && h.as_bytes()[h.len() - 3] != b' '
                    || h.rsplit([' ', '_']).next().is_some_and(|w| {
                        // (Not "number": "to_number" is a text message's phone.)
                        words!["id", "no"].eq_any(w) && h.len() > w.len() + 1
                    });
                if labels[k].is_none()
                    && h.len() >= 3
                    && numbered
                    // (These words turn away only an "ID" or "No" heading: "Run#" over a
                    // transport team's runs was read before them.)
                    && (h.ends_with('#') || !has_word(
                        &h.replace('_', " "),
                        words![
                            "npi",
                            "provider",
                            "staff",
                            "employee",
                            "emp",
                            "group",
                            "tax",
                            "payer",
                            "order",
                            "invoice",
                            "po",
                            "ticket",
                            "vendor",
                            "user",
                            "batch",
                            "run",
                            "lot",
                            "model",
                            "serial",
                            "plan",
                            "job",
                            "site",
                            "store",
                            "location",
                            "facility",
                            "clinic",
                            "tracking",
                            "ref",
                            "reference",
                            "confirmation",
                            "badge",
                            "license",
                            "licence",
                            "dea",
                            "ncpdp",
                            "bin",
                            "pcn",
                            "message",
                            "msg",
                            "control",
                            "file",
                            "document",
                            "doc",
                            "call",
                            "phone",
                            "fax",
                            "ext"
                        ],
                    ))
                    && !has_word(
                        h,
                        words![
                            "room",
                            "rm",
                            "bed",
                            "ext",
                            "line",
                            "item",
                            "seq",
                            "chair",
                            "bay",
                            "unit",
                            "page",
                            "pages",
                            "qty",
                            "van",
                            "route",
                            "stop",
                            "slot",
                            "phone",
                            "fax",
                            "cell",
                            "pager",
                            "callback",
                            "contact",
                            "tel",
                            // ("| Tx # |" over "33/40": a course's count of treatments.)
                            "tx",
                            "session",
                            "sessions",
                            "dive",
                            "treatment",
                            "visit",
                            "fx",
                            "fraction",
                            "cycle",
                            "dose",
                            "week",
                            "wk",
                            "day",
                            "count",
                            "enc",
                            "sess",
                            "best"
                        ],
                    )
                {
                    labels[k] = Some(Label::OtherId);
                }
            }
        }
        // "student_id,last_name,first_name,...,preceptor_pref": learners' shifts, each with
        // a preceptor (blind set UD); "date,day,site,address,time,provider": the sites of a
        // clinic's schedule (blind set UG). Neither lists patients.
        // (No column of names or record numbers: those are patients' whatever else.)
        let records = labels.iter().flatten().any(|&l| {
            matches!(
                l,
                Label::Person
                    | Label::Mrn
                    | Label::Account
                    | Label::MemberId
                    | Label::Ssn
                    | Label::OtherId
                    | Label::Email
            )
        });
        if !patient_column
            && (column_of(&["preceptor", "preceptor_pref", "preceptor pref"]).is_some()
                || !records
                    // ("DATE | HOST / SITE | ADDRESS | TIME | BUS": a blood centre's mobile
                    // drives, blind set XS.)
                    && column_of(&[
                        "site",
                        "site name",
                        "location",
                        "host / site",
                        "host/site",
                        "host",
                        "host site",
                        // ("| Date | Time | Facility | Address | Main phone | Who |": an
                        // ombudsman's visits to nursing homes, blind batch 61.)
                        "facility",
                        "facility name",
                        "venue",
                    ])
                    .is_some()
                    && column_of(&["provider", "providers", "staff", "rn", "time"]).is_some())
        {
            continue;
        }
        // The headings' text, for the rows' cells to be read against (`cells` is reused).
        let headings: Vec<&str> = cells.iter().map(|&(a, z)| &line[a..z]).collect();
        // The rows under the heading, up to a blank line or a row of another shape.
        while p < b.len() {
            let row_end = doc.line_end(p);
            let row = &text[p..row_end];
            if row.trim().is_empty() {
                break;
            }
            // A rule under the heading ("----|----|:---", "-----+-----+---"): no values, the
            // rows follow. (Looked at before the cells: a "+" rule has no "|" to cut at.)
            if row
                .bytes()
                .all(|c| matches!(c, b'-' | b'=' | b':' | b'+' | b' ' | b'\t' | b'|' | b'\r'))
            {
                p = row_end + 1;
                continue;
            }
            table_cells(row, sep, &mut cells);
            // A comma inside an unquoted cell ("AHS-26-0043,Brennan-Ortiz,Maeve,2011-11-03,
            // Providence, RI,...": a home city, blind batch 65) shifts the cells after it: the
            // row is read up to the cell before the first one a space opens (", RI"; a
            // separator has none after it), the cell the comma split.
            let read = if cells.len() > labels.len() && sep == b',' {
                let rb = row.as_bytes();
                cells
                    .iter()
                    .position(|&(a, _)| a >= 2 && rb[a - 1] == b' ' && rb[a - 2] == b',')
                    .map_or(0, |k| k.saturating_sub(1))
            } else if cells.len() == labels.len() {
                labels.len()
            } else {
                break;
            };
            // ("K-HR-027,VBH3-22A70388,VBC2-229511,,,,RETURNED - IN CLEANING": a kit list's
            // row with its patient's cells empty is the vendor's stock, blind batch 37.)
            let whose = |l: &Option<Label>| {
                matches!(
                    l,
                    Some(Label::Person | Label::Mrn | Label::MemberId | Label::Ssn)
                )
            };
            if labels.iter().any(whose)
                && cells
                    .iter()
                    .zip(&labels)
                    .all(|(&(a, z), l)| !whose(l) || row[a..z].trim().is_empty())
            {
                p = row_end + 1;
                continue;
            }
            // ("Lakeside Orthopaedic Assoc.", "Northgate Cardiology": a scribe company's
            // clients.)
            let client_is_person = |cell: &str| {
                name_shaped_cell(cell)
                    // (An initial's dot is a name's: "Mateo R.".)
                    && !cell
                        .split([' ', ','])
                        .any(|w| w.len() > 2 && w.ends_with('.'))
                    && !has_word(cell, ORG_WORDS)
                    && !has_word(cell, ORG_AFTER)
            };
            // "client_id,client_name,current,31_60 ... C-10218,Willow Street Internal Med": a
            // row whose client is a business is a business's, its client number too (a lab's
            // receivables, blind batch 41).
            // (Only where the client is the table's one column of names: a lab's error list
            // with its patients beside the ordering client, "mrn,patient_name,...,client", is
            // a list of patients.)
            if let Some(c) = client_column
                && labels[c] == Some(Label::Person)
                && labels
                    .iter()
                    .enumerate()
                    .all(|(k, l)| k == c || *l != Some(Label::Person))
                && {
                    let cell = &row[cells[c].0..cells[c].1];
                    has_word(cell, ORG_WORDS)
                        || has_word(cell, ORG_AFTER)
                        || has_word(
                            cell,
                            words!["med", "pediatrics", "ob/gyn", "obgyn", "assoc"],
                        )
                }
            {
                p = row_end + 1;
                continue;
            }
            for (col, (&(a, z), label)) in cells.iter().zip(&labels).enumerate().take(read) {
                let Some(label) = *label else { continue };
                let why = "cell under an identifier column heading";
                if client_column == Some(col) && !client_is_person(&row[a..z]) {
                    continue;
                }
                if subject_column == Some(col) && !site_subject_shaped(row[a..z].trim().as_bytes())
                {
                    continue;
                }
                // ("LPD 25-018833", "KCCS 2025-KCCS-04418": the agency's letters before a case
                // number are whose it is, not part of it; blind batch 43.)
                let a = if label == Label::OtherId {
                    let c = &row.as_bytes()[a..z];
                    let head = c.iter().take_while(|x| x.is_ascii_uppercase()).count();
                    // (Not the heading's own letters: "PA 26-0047719" under "PA #" is written
                    // whole.)
                    let acronym = &row[a..a + head];
                    if (2..=5).contains(&head)
                        && c.get(head) == Some(&b' ')
                        && c.get(head + 1).is_some_and(u8::is_ascii_alphanumeric)
                        && c[head + 1..].iter().any(u8::is_ascii_digit)
                        && !c[head + 1..].contains(&b' ')
                        && !headings[col]
                            .split(|c: char| !c.is_ascii_alphanumeric())
                            .any(|w| w.eq_ignore_ascii_case(acronym))
                    {
                        a + head + 1
                    } else {
                        a
                    }
                } else {
                    a
                };
                // ("2301H1Z8A / 2301H1Z8B": a pair of hearing aids, two serial numbers.)
                let cell = &row[a..z];
                if let Some((_, within_label)) = inner[col]
                    && let Some((outer, within)) = bracketed(cell)
                {
                    if cell_fits(label, outer) {
                        push(
                            out,
                            Some(label),
                            p + a,
                            p + a + outer.len(),
                            0.85,
                            "table.column",
                            why,
                        );
                    }
                    if cell_fits(within_label, within) {
                        let x = p + a + cell.len() - 1 - within.len();
                        push(
                            out,
                            Some(within_label),
                            x,
                            x + within.len(),
                            0.85,
                            "table.column",
                            why,
                        );
                    }
                } else if label != Label::Date && cell.contains(" / ") {
                    let mut k = a;
                    for part in cell.split(" / ") {
                        if cell_fits(label, part.trim()) {
                            let (x, y) = (k, k + part.trim_end().len());
                            push(out, Some(label), p + x, p + y, 0.85, "table.column", why);
                        }
                        k += part.len() + 3;
                    }
                } else if cell_fits(label, cell)
                    && (!names_only || subject_column == Some(col) || name_shaped_cell(cell))
                {
                    // ("418 Quail Run Ct, Ocala, FL 34472": the ZIP code is a span of its own.)
                    let zip = (label == Label::Address)
                        .then(|| trailing_zip(cell))
                        .flatten();
                    if let Some(k) = zip {
                        let street = cell[..k].trim_end();
                        push(
                            out,
                            Some(label),
                            p + a,
                            p + a + street.len(),
                            0.85,
                            "table.column",
                            why,
                        );
                        push(
                            out,
                            Some(Label::Zip),
                            p + a + k,
                            p + z,
                            0.85,
                            "table.column",
                            why,
                        );
                    } else {
                        // (A phone column's cell outranks a department's word in the cells
                        // before it, "Keizer,OR,97303,503-555-0182": Oregon, not the
                        // operating room's line, blind set YI.)
                        let score = if label == Label::Phone { 0.91 } else { 0.85 };
                        push(out, Some(label), p + a, p + z, score, "table.column", why);
                    }
                }
            }
            p = row_end + 1;
        }
    }
}

/// Tables pasted from a spreadsheet as text, their columns aligned with runs of spaces ("Name
/// DOB  Gr  Physical" over "Ava Thibodeaux  2009-05-12  11  2026-02-21"). A heading line is
/// looked for only where the keyword pass found "DOB" or "MRN" (no extra pass over the text);
/// it needs three or more cells apart by two or more spaces, two with identifier headings,
/// one of them a column only a patient has. Each row below, up to a blank line, is cut at the
/// heading's column starts; a row whose cells do not start there ends the table.
fn aligned_tables(text: &str, kws: &[KwMatch], out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let mut done_to = 0;
    for m in kws {
        let kind = KEYWORDS[m.pattern].1;
        // (A record-number keyword may be a heading too: "Patient   Date   Rx #   Drug"; as one
        // it is followed, after at most "#" or ":", by two spaces, a tab or the line's end.)
        let heading_like = || {
            let ke = usize::MAX - m.rev_end;
            let after = &b[ke..b.len().min(ke + 6)];
            // ("SSN-L4  SVC  COMP": the last four's heading, a processing station's roster,
            // blind batch 69.)
            let after = after.strip_prefix(b"-L4").unwrap_or(after);
            // ("CLAIM NO         VOL ID          CLAIMANT", a claims engine's report, blind
            // batch 70: the keyword "claim", then the heading's "NO".)
            // (Not a device's "Serial No.": an equipment schedule's "Site  Date  Equipment
            // Serial No." lists the organisation's machines.)
            let after = if kind == Kw::Value(Label::OtherId) {
                [&b" NO"[..], b" No", b" no"]
                    .iter()
                    .find_map(|w| after.strip_prefix(*w))
                    .unwrap_or(after)
            } else {
                after
            };
            let after = after
                .strip_prefix(b" #")
                .or_else(|| after.strip_prefix(b"#"))
                .or_else(|| after.strip_prefix(b":"))
                // ("Case no.       Patient        Date issued".)
                .or_else(|| after.strip_prefix(b"."))
                .unwrap_or(after);
            after.is_empty()
                || after.starts_with(b"  ")
                || matches!(after.first(), Some(b'\t' | b'\n' | b'\r'))
        };
        let trigger = match kind {
            Kw::Heading | Kw::Value(Label::Mrn) => true,
            Kw::Value(
                Label::OtherId | Label::MemberId | Label::Account | Label::Device | Label::Ssn,
            ) => heading_like(),
            _ => false,
        };
        if !trigger || m.start < done_to {
            continue;
        }
        let ls = memchr::memrchr(b'\n', &b[..m.start]).map_or(0, |i| i + 1);
        let le = memchr::memchr(b'\n', &b[m.start..]).map_or(b.len(), |i| m.start + i);
        done_to = le;
        let head = &b[ls..le];
        if head.len() > 400 || !head.windows(2).any(|w| w == b"  ") || !head.is_ascii() {
            continue;
        }
        // Heading cells: runs of non-space bytes joined by single spaces.
        let mut cols: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < head.len() {
            while i < head.len() && head[i] == b' ' {
                i += 1;
            }
            if i >= head.len() {
                break;
            }
            let st = i;
            while i < head.len() && !(head[i] == b' ' && head.get(i + 1).is_none_or(|&c| c == b' '))
            {
                i += 1;
            }
            cols.push((st, i));
        }
        // A report's underline of dashes, one run a column ("CASE START PATIENT   MRN" over
        // "---- ----- ------------  ---------", blind batch 63), says where each column is even
        // where the headings stand one space apart.
        if let Some(under) = b
            .get(le + 1..)
            .map(|r| &r[..memchr::memchr(b'\n', r).unwrap_or(r.len())])
            .filter(|u| {
                u.len() >= 8
                    && u.iter().all(|&c| matches!(c, b'-' | b' ' | b'\r'))
                    && u.windows(2).filter(|w| w == b"- ").count() >= 2
            })
        {
            let mut runs: Vec<(usize, usize)> = Vec::new();
            let mut i = 0;
            while i < under.len() {
                if under[i] == b'-' {
                    let st = i;
                    while i < under.len() && under[i] == b'-' {
                        i += 1;
                    }
                    runs.push((st, i));
                } else {
                    i += 1;
                }
            }
            // (Each run's heading text: from the run's start, its spaces off the end.)
            let heads: Vec<(usize, usize)> = runs
                .iter()
                .filter(|&&(st, _)| st < head.len() && head[st] != b' ')
                .map(|&(st, e)| {
                    let e = e.min(head.len());
                    (st, st + head[st..e].trim_ascii_end().len())
                })
                .collect();
            if heads.len() == runs.len() && heads.len() > cols.len() {
                cols = heads;
            }
        }
        if cols.len() < 3 || cols.iter().any(|&(s, e)| head[s..e].contains(&b'\t')) {
            continue;
        }
        let line = &text[ls..le];
        let labels: Vec<Option<Label>> = cols
            .iter()
            .map(|&(s, e)| column_label(&line[s..e]))
            .collect();
        // (One identifier column is enough when it is the first and holds specimens or
        // prescriptions, each one patient's: "ACCESSION   CONTAINERS   TEMP   STATUS", a
        // laboratory's receipt of a day's draws, blind batch 42.)
        // (Nor when it is the first and holds chart numbers: "MRN   VISIT   STOP   DX   ACTION",
        // a mobile clinic's follow-up list, blind batch 49.)
        let first = line[cols[0].0..cols[0].1].trim_end_matches([' ', '#', ':']);
        let specimen_list = labels[0] == Some(Label::OtherId)
            && words!["accession", "accession no", "acc", "acc no", "rx", "rx no"].eq_any(first)
            || labels[0] == Some(Label::Mrn) && words!["mrn", "mrn no"].eq_any(first);
        // "Item   Model   Serial" over a spinal cord stimulator trial's leads, "Component
        // Model  Serial  Location" on an implant's tracking form, "Qty  HCPCS  ...  Model
        // Serial No." on a delivery ticket: one patient's devices (blind batches 48 and 49,
        // the style corpus). Not a biomedical team's inventory, whose rows are assets, rooms
        // and sites ("Asset tag  Model  Serial  Location", "Unit  Model  Serial  Issue").
        let cell = |k: usize| {
            cols.get(k)
                .map_or("", |&(s, e)| line[s..e].trim_end_matches([' ', '#', ':']))
        };
        let device_list = labels.contains(&Some(Label::Device))
            && (words!["item", "device", "component", "side", "hcpcs"].eq_any(cell(0))
                || cell(0).eq_ignore_ascii_case("qty") && words!["item", "hcpcs"].eq_any(cell(1)))
            && (0..cols.len()).any(|k| cell(k).eq_ignore_ascii_case("model"))
            && !(0..cols.len()).any(|k| {
                words![
                    "asset",
                    "asset tag",
                    "tag",
                    "last pm",
                    "next pm",
                    "result",
                    "status",
                    "firmware",
                    "room",
                    "site"
                ]
                .eq_any(cell(k))
            });
        if !(labels.iter().flatten().any(|&l| patient_only_column(l)) || device_list)
            || labels.iter().filter(|l| l.is_some()).count() < 2 && !specimen_list && !device_list
        {
            continue;
        }
        // (A device list's serials alone are weak evidence: words about care decide.)
        let device_score = if labels.iter().flatten().any(|&l| patient_only_column(l)) {
            0.85
        } else {
            0.75
        };
        let key_column = |l: Label| patient_only_column(l) || device_list && l == Label::Device;
        // "Patient:      VOLKOV, DMITRI A          Accession:   LT25-0981423": a report's
        // "Key:  value" pairs side by side, not a row of headings (a key with a colon, then a
        // cell that is no heading).
        if cols.windows(2).zip(labels.windows(2)).any(|(c, l)| {
            line[c[0].0..c[0].1].ends_with(':')
                && l[1].is_none()
                && !line[c[1].0..c[1].1].ends_with(':')
        }) {
            continue;
        }
        let mut p = le + 1;
        // A row's char columns as byte offsets, for rows with accented names ("Ferreyra,
        // Lucía"): the heading's columns count chars.
        let mut char_at: Vec<usize> = Vec::new();
        while p < b.len() {
            let re = memchr::memchr(b'\n', &b[p..]).map_or(b.len(), |i| p + i);
            let row = &text[p..re];
            if row.trim().is_empty() {
                break;
            }
            let rb = row.as_bytes();
            // (A rule of dashes under the headings: "REQ#  SUBMITTED  INMATE#  NAME" over
            // "------...", a jail kiosk's export, blind batch 63.)
            if p == le + 1 && rb.iter().all(|&c| matches!(c, b'-' | b'=' | b' ' | b'\r')) {
                p = re + 1;
                continue;
            }
            let ascii = row.is_ascii();
            char_at.clear();
            if !ascii {
                char_at.extend(row.char_indices().map(|(i, _)| i));
                char_at.push(row.len());
            }
            let width = if ascii { rb.len() } else { char_at.len() - 1 };
            let at = |c: usize| if ascii { c } else { char_at[c.min(width)] };
            // (The first byte of the char in column `c`: a non-ASCII char is never a space.)
            let byte = |c: usize| (c < width).then(|| rb[at(c)]);
            // A column is aligned when the row ends before it, or a space comes before it and
            // either its text starts right there or the cell is empty (spaces on); text one
            // space off is a form's "Key:  value", not this table.
            let exactly = |s: usize| {
                s >= width
                    || byte(s - 1) == Some(b' ')
                        && (byte(s) != Some(b' ') || byte(s + 1).is_none_or(|c| c == b' '))
            };
            // Where the row's cell under the heading at `s` starts: right there, or one column
            // early or late after a run of spaces, the way a report's fixed-width date column
            // sits one off its heading ("MATERNAL NAME              DELIVERY DT/TM" over
            // "OKONKWO, ADAEZE           03/11/2024 19:42", blind batch 53).
            let start_of = |s: usize| -> Option<usize> {
                if exactly(s) {
                    Some(s)
                } else if s >= 3
                    && byte(s - 1).is_some_and(|c| c != b' ')
                    && byte(s - 2) == Some(b' ')
                    && byte(s - 3) == Some(b' ')
                {
                    Some(s - 1)
                } else if byte(s) == Some(b' ')
                    && byte(s - 1) == Some(b' ')
                    && byte(s + 1).is_some_and(|c| c != b' ')
                {
                    Some(s + 1)
                } else {
                    None
                }
            };
            let aligned = |s: usize| start_of(s).is_some();
            // A row belongs to the table when every column of a patient-only identifier is
            // aligned and at least half of the others are: a writer's hand-aligned table drifts by a
            // few spaces in a free-text column ("3/12 7:30 colon / Ostrowski    717-...").
            let misaligned = cols.iter().skip(1).filter(|&&(s, _)| !aligned(s)).count();
            let key_aligned = cols
                .iter()
                .zip(&labels)
                .skip(1)
                .all(|(&(s, _), l)| !l.is_some_and(key_column) || aligned(s));
            // (At most half of the others off: "Rx #  Fill date  Member ID  Drug  Finding
            // Recoup", whose last two columns' free text drifts, blind set TO.)
            // (A list keyed by its first column holds that column's number on every row,
            // however the drug's or the note's text drifts after it: "Rx#  Drug  Sig  Pack slot"
            // over "6633019    Entresto 24-26 mg                  1 tab BID", blind batch 52.)
            if !key_aligned || misaligned * 2 > cols.len() - 1 && !specimen_list {
                break;
            }
            for (k, (&(s, _), label)) in cols.iter().zip(&labels).enumerate() {
                let Some(label) = *label else { continue };
                if s >= width || k > 0 && !aligned(s) {
                    continue;
                }
                let s = if k > 0 { start_of(s).unwrap_or(s) } else { s };
                // (The next cell may start one early too.)
                let e = cols
                    .get(k + 1)
                    .map_or(width, |&(n, _)| start_of(n).unwrap_or(n).min(width));
                let cell = row[at(s)..at(e)].trim_end();
                let (mut cs, ce) = (p + at(s), p + at(s) + cell.len());
                // ("Rx#  ...  RX 6630418": a cell that repeats its heading's letters before
                // the number; the number is the value.)
                let mut cell = cell;
                let head_word = line[cols[k].0..cols[k].1].trim_end_matches([' ', '#', ':', '.']);
                if let Some(rest) = cell
                    .get(..head_word.len())
                    .filter(|w| !w.is_empty() && w.eq_ignore_ascii_case(head_word))
                    .filter(|w| matches!(cell.as_bytes().get(w.len()), Some(b' ' | b'#')))
                    .map(|w| cell[w.len()..].trim_start_matches(['#', ' ']))
                    .filter(|r| r.as_bytes().first().is_some_and(u8::is_ascii_digit))
                {
                    cs = ce - rest.len();
                    cell = rest;
                }
                if !cell.starts_with(' ') && cell_fits(label, cell) {
                    let why = "cell under an identifier heading of a space-aligned table";
                    let score = if label == Label::Device {
                        device_score
                    } else {
                        0.85
                    };
                    push(out, Some(label), cs, ce, score, "table.aligned", why);
                }
            }
            p = re + 1;
        }
        done_to = p;
    }
}

/// The letter without its accent, for the Spanish and Portuguese names the lists spell without
/// one ("í" of "Solís" -> "i").
fn without_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        c => c,
    }
}

/// The end of the name that starts at `p` after a [`Kw::NameAfter`] cue: up to three words
/// (a one-letter middle initial allowed), each in the first-name or surname lists; a
/// capitalised first word counts without them (a relative's name right after "my son").
fn name_after_cue(s: &Scanner, text: &str, p: usize) -> Option<usize> {
    let b = text.as_bytes();
    if test_patient_at(text, p) {
        return None;
    }
    let mut at = p;
    let mut end = None;
    for n in 0..3 {
        // (A word may hold accented letters, "Solís", "Ramírez": looked up without the
        // accents, as the name lists spell them.)
        let e = text[at..]
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_alphabetic() || !c.is_ascii() && c.is_alphabetic()))
            .map_or(b.len(), |(k, _)| at + k);
        let w = &text[at..e];
        if w.is_empty() {
            break;
        }
        let lower = if w.is_ascii() {
            w.to_ascii_lowercase()
        } else {
            w.chars()
                .flat_map(char::to_lowercase)
                .map(without_accent)
                .collect()
        };
        let known = s.first_names.contains(&lower) || s.surnames.contains(&lower);
        // ("New applicant - Psychiatric Mental Health Nurse Practitioner": an adjective or a
        // noun by its ending is no unknown name.)
        let capital = n == 0 && b[at].is_ascii_uppercase() && w.len() >= 3 && !word_shaped(w);
        let initial = n > 0 && w.len() == 1;
        // Lower-case words that are names and everyday words ("her husband will call").
        let everyday = || {
            words![
                "will", "can", "may", "might", "must", "shall", "would", "could", "should", "is",
                "was", "has", "had", "have", "does", "did", "just", "also", "still", "says",
                "said", "called", "calls", "went", "goes", "got", "gets", "needs", "wants", "and",
                "or", "but", "not", "who", "here", "home", "too", "gave", "took", "takes", "drove",
                "brought", "picked", "asked", "told", "wanted", "see", "saw", "seen", "mark",
                "bill", "rich", "sue", "pat", "guy", "art", "dawn", "joy", "hope", "faith",
                "grace", "rose", "june", "april", "august", "major", "king", "young", "long",
                "gray", "brown", "white", "black", "green", "hall", "ward", "bell", "price",
                "cook", "love", "lane",
            ]
            .eq_any(&lower)
        };
        if !(known || capital || initial)
            || NOT_NAMES_INDEX.contains(lower.as_bytes(), word_key(lower.as_bytes()))
            || !capital && everyday()
        {
            break;
        }
        if !initial {
            end = Some(e);
        }
        // One space, then the next word (after an initial, its dot may come first: "Jesús A.
        // Contreras").
        if initial && b.get(e) == Some(&b'.') && b.get(e + 1) == Some(&b' ') {
            at = e + 2;
            continue;
        }
        if b.get(e) != Some(&b' ') {
            break;
        }
        at = e + 1;
    }
    end
}

/// "SATURDAY 3/16\n  PT:  Lauren Pak (lead), Mike Dorsey\n  OT:  Shauna Big Crow": is the
/// name at `at` on a line that opens with "PT:" next to a line that opens with another
/// therapy's label? Then "PT" is physical therapy's row in a staffing list, not "patient"
/// (blind set RV).
fn therapy_staffing_row(doc: &Doc<'_>, at: usize) -> bool {
    let text = doc.text;
    let ls = doc.line_start(at);
    if text[ls..at].trim() != "PT:" {
        return false;
    }
    let other = |line: &str| {
        let l = line.trim_start();
        ["OT:", "SLP:", "ST:", "PTA:", "COTA:", "OT/", "RT:"]
            .iter()
            .any(|p| l.starts_with(p))
    };
    let before = ls.checked_sub(1).map(|e| &text[doc.line_start(e)..e]);
    let le = doc.line_end(at);
    let after = (le < text.len()).then(|| &text[le + 1..doc.line_end(le + 1)]);
    before.is_some_and(other) || after.is_some_and(other)
}

/// Is someone named near a serial number (the keyword at `ks`, its value ending at `ve`) who
/// could own the device: a patient, a relative, "his" or "her", a title, an implant, a device
/// worn or carried by a person? Read from 400 bytes before the keyword to 300 after the value.
/// (Not the equipment rule's "pump", "stimulator" or "hearing", which it reads only on the
/// serial's line: over this wider window they make a dialysis machine's "Pump module serial"
/// a person's, one false alarm more on the style corpus.)
fn device_owner_near(text: &str, ks: usize, ve: usize) -> bool {
    let near =
        &text[floor_cb(text, ks.saturating_sub(400))..ceil_cb(text, (ve + 300).min(text.len()))];
    has_word(
        near,
        words![
            "patient",
            "patients",
            "patient's",
            "pt",
            "pt's",
            "client",
            "resident",
            "member",
            "veteran",
            "child",
            "caller",
            "end user",
            "his",
            "her",
            "he",
            "she",
            "him",
            "mr",
            "mrs",
            "ms",
            "son",
            "daughter",
            "wife",
            "husband",
            "mom",
            "dad",
            "mother",
            "father",
            "dob",
            "implant",
            "implanted",
            "explant",
            "explanted",
            "pacemaker",
            "defibrillator",
            "icd",
            "crt-d",
            "leads",
            "cgm",
            "insulin",
            "hearing aid",
            "hearing aids",
            "cochlear",
            "prosthesis",
            "prosthetic",
            "wheelchair",
            "cpap",
            "bipap",
        ],
    )
}

fn numbered_equipment_before(line: &str) -> bool {
    let t = line.trim_end_matches([' ', '(', ',', ':', '-']);
    let digits = t.bytes().rev().take_while(u8::is_ascii_digit).count();
    if !(1..=3).contains(&digits) {
        return false;
    }
    let head = &t[..t.len() - digits];
    let Some(head) = head.strip_suffix(' ') else {
        return false;
    };
    let w = last_word(head, b"");
    w.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
        && words![
            "unit",
            "pump",
            "cart",
            "scanner",
            "printer",
            "fridge",
            "refrigerator",
            "freezer",
            "analyzer",
            "station",
            "machine",
            "workstation",
            "laptop",
            "tablet",
            "ipad",
            "kiosk",
        ]
        .eq_any(w)
}

/// Is the "this is" / "it's" at `ks` a writer introducing themselves, with a name in lower case
/// at `p`? In mail to or from a patient, the cue opens its line, after at most a greeting and
/// the reader's name ("hi this is grace brannigan", "hey its jada w.", "hi dr raghunathan its
/// bernadette"). Staff introduce themselves in capitals ("Hi Karen, this is Dana from
/// scheduling"), and "this is an indeterminate result", "it's in the tray" or "It's fine to
/// keep the melatonin" name nobody: the first word must be a given name.
fn self_introduction(s: &Scanner, text: &str, doc: &Doc<'_>, ks: usize, p: usize) -> bool {
    let b = text.as_bytes();
    if !doc.consumer || !b.get(p).is_some_and(u8::is_ascii_lowercase) {
        return false;
    }
    let we = letters_end(b, p);
    if !s.first_names.contains(&text[p..we]) {
        return false;
    }
    let lead = text[doc.line_start(ks)..ks].trim_start_matches(['>', ' ', '\t']);
    if lead.is_empty() {
        return true;
    }
    let mut ws = lead.split([' ', ',']).filter(|w| !w.is_empty());
    lead.len() <= 32 && ws.next().is_some_and(|w| HELLOS.eq_any(w)) && ws.count() <= 3
}

/// A surname alone at the start of a list item, as a front desk or a charge nurse writes the
/// day's patients ("- Fenwick ch 6 - ANC 0.9, held", "- Castellanos (9am no-show): reached her",
/// "  Yoshida (1:00) - insurance termed"): the token is in the surname list and not in the
/// first-name list (a colleague is listed by first name), the line before it holds only a
/// bullet, a number or a time, and a bracket, a dash, "ch" or a colon follows it. The reason,
/// when it is one.
fn surname_list_item(
    s: &Scanner,
    text: &str,
    lc: &str,
    doc: &Doc<'_>,
    t: Tok,
    after: &str,
    buf: &mut String,
) -> Option<&'static str> {
    // Cheapest first: most lone capitalised words are followed by none of these.
    let follows = [" (", " - ", " \u{2013} ", ": ", " ch "]
        .iter()
        .any(|f| after.starts_with(f))
        || initial_after(after).is_some()
        || age_sex_after(after);
    if !follows || t.e - t.s < 4 || is_upper(text, t) {
        return None;
    }
    let lead = text[doc.line_start(t.s)..t.s].trim();
    let bullet = matches!(lead, "-" | "*" | "\u{2022}" | "\u{2013}")
        || !lead.is_empty()
            && lead.len() <= 8
            && lead
                .bytes()
                .all(|c| c.is_ascii_digit() || matches!(c, b':' | b'.' | b')'))
            && lead.bytes().any(|c| c.is_ascii_digit())
        || room_lead(lead)
        || {
            // "- 8:00  Okafor - new consult", "* 11:00 Pruett - delivery": a bullet, then the
            // slot's time (a dental practice's huddle notes, blind batch 75).
            let rest = lead.trim_start_matches(['-', '*', '\u{2022}', '\u{2013}']);
            let time = rest.trim_start();
            rest.len() < lead.len()
                && (1..=8).contains(&time.len())
                && time.as_bytes()[0].is_ascii_digit()
                && time.contains(':')
                && time.bytes().all(|c| c.is_ascii_digit() || c == b':')
        }
        || {
            // "- 512A Kowalczyk - shield weaned", "- 4W 411 Wojcik - SW saw her": a bullet,
            // then the room's code (one or two short codes with digits, the first starting
            // with one), then the surname.
            let rest = lead.trim_start_matches(['-', '*', '\u{2022}', '\u{2013}']);
            rest.len() < lead.len() && {
                let mut codes = rest.split_ascii_whitespace();
                let first = codes.next().unwrap_or("");
                let room_code = |w: &str| {
                    (1..=5).contains(&w.len())
                        && w.bytes().all(|c| c.is_ascii_alphanumeric())
                        && w.bytes().any(|c| c.is_ascii_digit())
                };
                first.as_bytes().first().is_some_and(u8::is_ascii_digit)
                    && room_code(first)
                    && codes.clone().count() <= 1
                    && codes.all(room_code)
                    || room_lead(rest.trim_start())
            }
        };
    if !bullet {
        return None;
    }
    // ("- Wed-Sun: 2.5 mg": days, not a double-barrelled name.)
    let days = text[t.s..t.e].split('-').any(|p| {
        let l = p.to_ascii_lowercase();
        WEEKDAY_FORMS.eq_any(&l) || NOT_NAMES_INDEX.contains(l.as_bytes(), word_key(l.as_bytes()))
    });
    // ("2. Price: the enoxaparin came in at the old price", "- Freight: billed twice": an
    // order's or an invoice's item label.)
    let label = after.starts_with(": ")
        && words![
            "price", "cost", "rate", "fee", "freight", "shipping", "credit", "total"
        ]
        .eq_any(&text[t.s..t.e]);
    (!days
        && !label
        && (s.surnames.has_token(text, lc, t, buf) || hyphenated_surname(s, text, lc, t))
        && !s.first_names.has_token(text, lc, t, buf))
    .then_some("surname alone at the start of a list item")
}

/// Where a roll-call label ([`ROLL_CALL`]) at the start of the line at `ls` ends, if the line
/// starts with one ("Attendees: Dr. Raman, ..."; spaces, bullets and quote marks before it).
fn roll_call_label(text: &str, ls: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = ls;
    while i < b.len() && i - ls < 8 && matches!(b[i], b' ' | b'\t' | b'*' | b'-' | b'>') {
        i += 1;
    }
    // (The first two letters of a label, one table look-up: most lines are passed over by
    // them.)
    let pairs = b.get(i).map_or(0, |&c| ROLL_CALL_PAIRS[usize::from(c)]);
    // The second byte's letter, 0-25 in either case (26 or more when it is no letter).
    let second = b.get(i + 1).map_or(u32::MAX, |&c| {
        u32::from(c | 0x20).wrapping_sub(u32::from(b'a'))
    });
    if second >= 26 || pairs >> second & 1 == 0 {
        return None;
    }
    let h = &b[i..b.len().min(i + 20)];
    // (Most lines have no colon near their start: one look, no comparisons.)
    let end = match memchr::memchr(b':', h) {
        Some(c) => c + 1,
        None if h.len() >= 11 && h[..11].eq_ignore_ascii_case(b"attendees -") => 11,
        None => return None,
    };
    ROLL_CALL
        .iter()
        .any(|l| l.len() == end && h[..end].eq_ignore_ascii_case(l.as_bytes()))
        .then_some(i + end)
}

/// The labels of a meeting's roll call: the names after them on their line are staff.
const ROLL_CALL: &[&str] = &[
    "attendees:",
    "attendees -",
    "attending:",
    "in attendance:",
    "present:",
    "members present:",
    "staff present:",
    "absent:",
    "excused:",
    "regrets:",
    "participants:",
    "facilitator:",
    "note taker:",
    "scribe:",
    "presenters:",
    "presenter:",
    "speakers:",
    "panelists:",
];

/// `ROLL_CALL_PAIRS[c]`: bit `d - b'a'` is set when a label of [`ROLL_CALL`] starts with byte
/// `c` (either case) and then the letter `d`.
static ROLL_CALL_PAIRS: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < ROLL_CALL.len() {
        let l = ROLL_CALL[i].as_bytes();
        assert!(l[0].is_ascii_lowercase() && l[1].is_ascii_lowercase());
        let bit = 1u32 << (l[1] - b'a');
        t[l[0] as usize] |= bit;
        t[l[0].to_ascii_uppercase() as usize] |= bit;
        i += 1;
    }
    t
};

/// Does a list line start with a room or a bed ("Rm 12A", "Room 4", "Bed 3B") before the name:
/// a unit's shift report ("Rm 7B Stolz: Vivitrol 380mg IM given 1030")?
pub(crate) fn room_lead(lead: &str) -> bool {
    let Some((word, num)) = lead.split_once(' ') else {
        return false;
    };
    // ("bed 2 - Hofmeister 88F", "Rm 14: Yoder": the room's number, then a dash or a colon.)
    let num = num
        .trim_start()
        .trim_end_matches([' ', '-', ':', '\u{2013}'])
        .as_bytes();
    ["rm", "rm.", "room", "bed"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
        && (1..=5).contains(&num.len())
        && num[0].is_ascii_digit()
        && num.iter().all(u8::is_ascii_alphanumeric)
}

/// `rest` after at most `n` record numbers or room codes (" 00648127", " 5W-221": a space and
/// two to `max_len` letters, digits and hyphens with a digit among them).
pub(crate) fn skip_codes(mut rest: &str, n: usize, max_len: usize) -> &str {
    for _ in 0..n {
        let b = rest.as_bytes();
        if b.first() != Some(&b' ') {
            break;
        }
        let k = b[1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        if !(2..=max_len).contains(&k) || !b[1..=k].iter().any(u8::is_ascii_digit) {
            break;
        }
        rest = &rest[1 + k..];
    }
    rest
}

/// "15271-15278", "99202-99205": two five-digit codes, the second a little above the first, a
/// range of procedure codes.
fn code_range(v: &str) -> bool {
    let Some((a, z)) = v.split_once('-') else {
        return false;
    };
    let five = |x: &str| x.len() == 5 && x.bytes().all(|c| c.is_ascii_digit());
    five(a)
        && five(z)
        && matches!((a.parse::<u32>(), z.parse::<u32>()), (Ok(a), Ok(z)) if a < z && z - a < 100)
}

/// "Hofmeister 88F UTI/AMS", "Yoder 74 M": an age and a sex right after a name, the way a
/// bed board lists its patients.
fn age_sex_after(after: &str) -> bool {
    let b = after.as_bytes();
    let Some(r) = b.strip_prefix(b" ") else {
        return false;
    };
    let n = r.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=3).contains(&n) {
        return false;
    }
    let rest = &r[n..];
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    matches!(rest.first(), Some(b'F' | b'M')) && !rest.get(1).is_some_and(u8::is_ascii_alphanumeric)
}

/// Does a body weight follow a surname after a dash: " - 248 lb", " - 73.5 kg"?
fn weight_after(after: &str) -> bool {
    let Some(r) = after
        .strip_prefix(" - ")
        .or_else(|| after.strip_prefix(" \u{2013} "))
    else {
        return false;
    };
    let r = r.as_bytes();
    let n = r.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(2..=3).contains(&n) {
        return false;
    }
    let mut rest = &r[n..];
    // (A decimal's digits: "73.5 kg".)
    if rest.first() == Some(&b'.') {
        let d = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        rest = &rest[1 + d..];
    }
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    [&b"lbs"[..], b"lb", b"kg"].iter().any(|u| {
        rest.starts_with(u) && !rest.get(u.len()).is_some_and(u8::is_ascii_alphanumeric) && {
            // ("Stryker - 500 lb capacity", "Hoyer - 400 lb max": equipment's limit.)
            let next = rest[u.len()..].trim_ascii_start();
            let w = next.iter().take_while(|c| c.is_ascii_alphabetic()).count();
            !words!["capacity", "max", "limit", "rated", "maximum", "load"].eq_any_bytes(&next[..w])
        }
    })
}

/// After a surname in a day's list, its first initial and what follows it: "Kaminski, L -
/// back 1540 via medivan", "7:00   Raman, P.   stim 9", "Yoder, E. + Yoder, M.". The length
/// of ", L" or ", L." when a dash, a bracket, a colon, a plus or a column gap follows.
fn initial_after(after: &str) -> Option<usize> {
    let r = after.strip_prefix(", ")?.as_bytes();
    if !r.first().is_some_and(u8::is_ascii_uppercase)
        || r.get(1).is_some_and(u8::is_ascii_alphanumeric)
    {
        return None;
    }
    let n = 3 + usize::from(r.get(1) == Some(&b'.'));
    let rest = &after.as_bytes()[n..];
    [&b" ("[..], b" - ", b": ", b"  ", b" + ", b" \xe2\x80\x93 "]
        .iter()
        .any(|f| rest.starts_with(f))
        .then_some(n)
}

/// Is `w` a brand's word, with a capital inside ("CareFill", "MyChart", "NorthPoint")? Not a
/// name with a capital inside ("McDonald", "MacKenzie", "DeShawn", "LaToya", "O'Brien").
fn brand_shaped(w: &str) -> bool {
    let b = w.as_bytes();
    // (Mixed case only: "LINDQVIST" is a name in capitals.)
    if !b.iter().any(u8::is_ascii_lowercase) {
        return false;
    }
    let inner = b.iter().skip(1).position(u8::is_ascii_uppercase);
    inner.is_some_and(|i| {
        let head = &w[..=i];
        ![
            "Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "St", "O'", "D'",
        ]
        .contains(&head)
            && b[i] != b'\''
            && b[i] != b'-'
    })
}

/// Is `w` (not in the name lists) an adjective or a noun by its ending ("Psychiatric",
/// "Mental", "Behavioral", "Residential")? Such words after a cue are no unknown name.
fn word_shaped(w: &str) -> bool {
    let l = w.as_bytes();
    let n = l.len();
    if n < 6 {
        return false;
    }
    let ends = |suf: &[u8]| l[n - suf.len()..].eq_ignore_ascii_case(suf);
    // By the last letter first: one or two endings to compare, not fourteen (callgrind).
    // (Not "-ic" or "-ist" alone: "Petrovic", "Lindqvist" are surnames.)
    match l[n - 1] | 0x20 {
        b'l' => {
            ends(b"ical")
                || ends(b"ntal")
                || ends(b"ial")
                || ends(b"ioral")
                || ends(b"ional")
                || ends(b"ital")
        }
        b'c' => ends(b"iatric") || ends(b"istic"),
        b'e' => ends(b"ive"),
        b'y' => ends(b"ary") || ends(b"ology") || ends(b"icity") || ends(b"ility"),
        b's' => ends(b"ous"),
        b't' => ends(b"ment"),
        b'n' => ends(b"tion"),
        _ => false,
    }
}

/// Does a reply's attribution ("On Tue, Mar 3, 2026 at 9:14 AM, Kelly Brennan <...> wrote:")
/// go on after a date at `en`? Mail clients wrap it, so the next line counts too.
fn attribution_after(text: &str, en: usize) -> bool {
    let rest = &text[en..ceil_cb(text, (en + 160).min(text.len()))];
    let mut lines = rest.splitn(3, '\n');
    lines.by_ref().take(2).any(|l| {
        let l = l.trim_end().trim_end_matches(':').trim_end();
        // (Gmail's Spanish: "El mar, 14 oct 2025 a las 2:05 p.m., Guadalupe Quispe <...>
        // escribió:".)
        l.ends_with("wrote") || l.ends_with("escribió")
    })
}

/// Words on an address's line that make it a place of business or an event's ("Location:",
/// "held", "our office", "visit us", "6 p.m., The Grandview Ballroom"); "at" too, except before
/// a home's apartment (see [`address`]).
/// (Not "ship": in mail about a patient, "Ship to:" is the patient's home; a clinic's ship-to
/// line names the clinic, which the organisation words catch.)
const ADDRESS_PLACE_WORDS: &Words = words![
    "location",
    "located",
    "our",
    "office",
    "clinic",
    "held",
    "visit us",
    "hospital",
    "center",
    "remit",
    "mail payments",
    "send payments",
    "headquarters",
    "lobby",
    "parking",
    // ("The Holloway Garage (1455 NE Holloway St) Level P2 will be closed": a parking garage's;
    // blind set RX.)
    "garage",
    "site",
    "sites",
    // Event venues ("6 p.m., The Grandview Ballroom, 800 River Rd").
    "ballroom",
    "church",
    "armory",
    "steakhouse",
    "restaurant",
    "pavilion",
    "auditorium",
    "hotel",
    "chapel",
    "library",
    "venue",
    "conference",
    "convention",
    "room",
    "theater",
    "theatre",
    "museum",
    "campus",
    "a.m.",
    "p.m.",
];

/// Words of a lower-case match of the street pattern that say it is no street ("3 days on the
/// road", "2 blocks down main st").
const NOT_IN_A_STREET: &[&str] = &[
    "the", "a", "an", "on", "in", "of", "to", "at", "and", "for", "my", "your", "his", "her",
    "our", "their", "down", "up", "from", "by", "off", "days", "weeks", "hours", "times", "miles",
    "blocks", "minutes", "mins", "more", "other", "same", "main",
];

/// Is `h` a person's name and nothing else: two or three capitalised words (a middle initial
/// allowed), the first in the first-name list and the last in the surname list, none of them an
/// organisation word ("Margaret Kowalski", "Ramesh K. Iyengar"; not "Bloom Birth & Lactation",
/// "Jordan Valley Clinic")?
fn person_name_alone(s: &Scanner, h: &str) -> bool {
    let words: Vec<&str> = h.split(' ').filter(|w| !w.is_empty()).collect();
    let [first, .., last] = words[..] else {
        return false;
    };
    words.len() <= 3
        && words.iter().all(|w| {
            let b = w.as_bytes();
            b[0].is_ascii_uppercase()
                && b[1..]
                    .iter()
                    .all(|&c| c.is_ascii_alphabetic() || matches!(c, b'\'' | b'-' | b'.'))
                && !ORG_WORDS.eq_any(w)
        })
        && s.first_names.contains(&first.to_ascii_lowercase())
        && s.surnames.contains(&last.to_ascii_lowercase())
}

/// Does `line` (the text before an address on its line) open a numbered list's item with a
/// person's name alone before a comma ("1. Terrence Vail, approx 29 y/o M, ")? The address
/// is that person's, whatever heading is above the list ("Partners:" in an STI clinic's
/// field record, blind batch 74).
fn person_listed(s: &Scanner, line: &str) -> bool {
    let l = line.trim_start();
    let n = l.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&n)
        && l[n..].starts_with(['.', ')'])
        && l[n + 1..]
            .split_once(',')
            .is_some_and(|(name, _)| person_name_alone(s, name.trim()))
}

/// Is `line` (the text before an address on its line) a form's key that names a place of
/// business ("Site Address:", "Office address:", "Clinic Location:")?
fn place_of_business_key(line: &str) -> bool {
    let Some(key) = line.trim().strip_suffix(':') else {
        return false;
    };
    let mut words = key.rsplit(' ');
    words!["address", "location", "addr"].eq_any(words.next().unwrap_or(""))
        && words![
            "site",
            "office",
            "clinic",
            "practice",
            "business",
            "company",
            "store",
            "vendor",
            "warehouse",
            "plant",
            "lab",
            "pharmacy",
            "hospital",
            "branch",
            "campus"
        ]
        .eq_any(words.next().unwrap_or(""))
}

/// The length of " in Town" (one to three capitalised words, then no more letters or digits of
/// the line's words: "in New Cumberland, it's", not "in Room 4" or "in Building C") at the start
/// of `after`, or 0.
fn town_after_in(after: &str) -> usize {
    let Some(rest) = after.strip_prefix(" in ") else {
        return 0;
    };
    let b = rest.as_bytes();
    let mut k = 0;
    let mut end = 0;
    for _ in 0..3 {
        if !b.get(k).is_some_and(u8::is_ascii_uppercase) {
            break;
        }
        let w = k + b[k..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        if w - k < 3
            || words!["room", "suite", "building", "bldg", "unit", "apt", "the"].eq_any(&rest[k..w])
        {
            return 0;
        }
        end = w;
        if b.get(w) != Some(&b' ') {
            break;
        }
        k = w + 1;
    }
    if end == 0 || b.get(end).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return 0;
    }
    " in ".len() + end
}

fn address(s: &Scanner, text: &str, doc: &Doc<'_>, st: usize, en: usize, out: &mut Vec<Cand>) {
    // "on the FL/GA block from 9 ET. Dr. Kowalczyk ...": a time and its zone, then a title.
    let second = text[st..en].split(' ').nth(1).unwrap_or("");
    if words![
        "et", "pt", "ct", "mt", "est", "pst", "cst", "mst", "edt", "pdt", "cdt", "mdt", "am", "pm"
    ]
    .eq_any(second.trim_end_matches('.'))
    {
        return;
    }
    // Written in lower case ("addr is 1184 s kedzie ave apt 2r"): a text message's street, not
    // "3 days on the road" or "2 blocks down main st".
    let lower = text.as_bytes()[st..en]
        .iter()
        .all(|c| !c.is_ascii_uppercase());
    if lower
        && text[st..en]
            .split(' ')
            .any(|w| NOT_IN_A_STREET.contains(&w))
    {
        return;
    }
    // "62 orchard view dr apt 3 elizabethtown pa 17022", "1562 glenrock dr, millbrook 17040":
    // a lower-case street matched with its town and ZIP code (blind batch 57). The street and
    // town end before the ZIP code, which is read after them below. The suffixes that are also
    // everyday shorthand ("2 specialist dr appts", "the 3 way call") count only with an
    // apartment or a ZIP code.
    let zip_matched = en - st > 6
        && text.as_bytes()[en - 5..en].iter().all(u8::is_ascii_digit)
        && text.as_bytes()[en - 6] == b' ';
    let en = if lower && zip_matched {
        text[..en - 5].trim_end_matches(' ').len()
    } else {
        if lower
            && !has_word(&text[st..en], words!["apt", "unit"])
            && words![
                "dr", "ct", "pl", "cir", "way", "ter", "court", "place", "circle", "terrace",
                "pkwy", "parkway"
            ]
            .eq_any(last_word(&text[st..en], b" "))
        {
            return;
        }
        en
    };
    // In capitals ("305 W LOCUST ST APT 2\nMILLBROOK, OH"): a street only with its city and
    // state, not "3 NEW DR ORDERS" or "HAD 2 HEAD CT".
    let m = &text.as_bytes()[st..en];
    let street_end = m
        .iter()
        .position(|&c| c == b',' || c == b'\n')
        .unwrap_or(m.len());
    if !m[..street_end].iter().any(u8::is_ascii_lowercase) && street_end == m.len() {
        return;
    }
    let ctx = before(text, st, 50);
    let line = doc.before_line(st, 50);
    // Offices have suites; homes have apartments and units.
    let suite = has_word(&text[st..en], words!["suite", "ste"]);
    // ("Dwayne Kessler (...) at 1187 Larch Ave Apt 3", "at 62 Orchard Ct, Unit B": a home,
    // when nothing but "at" on the line says otherwise; "Location: 585 Pine Street Apt. 232"
    // and "clinics will be held ... at 112 Solis Pkwy, Apt 395" stay a place of business.)
    let apartment = !suite && has_word(&text[st..en], words!["apt", "unit", "lot", "trlr"]);
    // "Bloom Birth & Lactation | 88 Loockerman Plaza": a footer's or letterhead's name, then the
    // address (a table row has more cells before it, and a patient's line says whose it is).
    // (Not an indented list's item: "DIET CHANGE:\n  Walter Szymanski - 2604 Riverview Dr, ...".)
    let indented = line.starts_with("  ") || line.starts_with('\t');
    // ("Harold Dietrich        | 1420 Brantwood Ave", "1. Clarence Huebner - 2274 Marlowe Ct":
    // a padded table cell and a numbered list's item name people, a letterhead has neither.)
    let listed = {
        let l = line.trim_start().as_bytes();
        let n = l.iter().take_while(|c| c.is_ascii_digit()).count();
        (1..=2).contains(&n) && matches!(l.get(n..n + 2), Some([b'.' | b')', b' ']))
            || line.trim_end().ends_with("  |")
    };
    let footer = !indented
        && !listed
        && strip_contact_separator(line).is_some_and(|h| {
            // (The name starts the line or the sentence: "Late fee $35. MoveWell PT - 212 ...".)
            let h = h.rsplit(". ").next().unwrap_or(h).trim();
            h.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
                && !h.bytes().any(|c| c.is_ascii_digit())
                && !has_contact_separator(h)
                && !h.contains(':')
                && !has_word(
                    h,
                    words!["patient", "home", "lives", "resides", "address", "mailing"],
                )
                // ("STOP B - POC swap\nMargaret Kowalski - 118 Glenheath Dr, ...": a person's
                // name before the separator, not a business's.)
                && !person_name_alone(s, h)
        });
    // A signature's address is the organisation's, unless a personal mailbox sent the mail and
    // no line above names an organisation (a clinic's reply quotes the patient's mailbox).
    let org = doc.in_sig(st)
        && (!doc.from_consumer || {
            // (The three lines above, at most 400 bytes of them: a line may be megabytes.)
            let above = doc.lines_before(st, 3);
            has_word(&above[floor_cb(above, above.len().saturating_sub(400))..], ORG_WORDS)
        })
        || footer
        // "Larkfield Eye Associates | 2200 Orchard Hill Dr, ..., WI 53187 | 615 W. Mill Rd":
        // a letterhead's second site.
        || after_postal_code(line)
        // "Site Address:       800 Riverside Drive, ...": a form's key names a place of
        // business (a field service notice, blind batch 49).
        || place_of_business_key(line)
        // "walk in Mon/Wed mornings at the 3850 Parsons Ave clinic": the word after names a
        // place of business.
        || words![
            "clinic", "office", "location", "site", "campus", "building", "branch", "center",
            "centre", "hospital", "pharmacy", "lab"
        ]
        .eq_any(leading_letters(doc.after_line(en, 24).trim_start()))
        || suite && !has_word(ctx, words!["home", "patient", "lives", "resides"])
        || (has_word(line, ORG_WORDS) || org_above(text, st, 2) && !person_listed(s, line))
            && !has_word(
                ctx,
                words![
                    "patient",
                    "lives",
                    "resides",
                    "address",
                    "dob",
                    // "Service setting: in home, 1918 SW Western Ave", "It will be shipped to
                    // your home at", "A home health nurse will come to the house at".
                    "in home",
                    "your home",
                    "her home",
                    "his home",
                    "the house",
                    "letter to",
                    // ("Plan/ID: Cedar Kids Health Plan / CKH-60338417" over "Ship to:  418 W
                    // Lemon St Apt 2": a specialty pharmacy's delivery to the patient, blind
                    // batch 56.)
                    "ship to"
                ]
            )
            // ("Employer:   Tri-County Packaging, 1150 Industrial Pkwy": a patient's employer,
            // which the label definitions count with the patient.)
            && !line.trim_start().starts_with("Employer")
            // ("96 y/o, lives at Maple Terrace Personal Care Home, 400 Terrace Ave, Room 114":
            // a care home named after "lives at" is the patient's home, blind batch 48.)
            && !has_word(
                doc.before_line(st, 120),
                words!["lives at", "resides at", "living at", "residing at"],
            )
        || (has_word(line, ADDRESS_PLACE_WORDS) || !apartment && has_word(line, words!["at"]))
            && !has_word(
            ctx,
            words![
                "home",
                "patient",
                "lives",
                "resides",
                "residence",
                "mailing address",
                "address",
                // "mail it to you at", "staying at", "past the elevator at": a person's place.
                "live",
                // "residing at", "she lived at", "send anything to me at", "mailed ... to her
                // at", "to the foster parents at", "found in the bedroom at".
                "residing",
                "lived",
                "me at",
                "her at",
                "them at",
                "parents",
                "bedroom",
                // "our letter to 5520 Brantley Ave, Apt 3F ... came back".
                "letter to",
                "you",
                "him",
                "staying",
                "living",
                "moving",
                "moved",
                "past",
                "mom",
                "dad",
                "mother",
                "father",
                "daughter",
                "son",
                "sister",
                "brother",
                "wife",
                "husband",
                // "in front of my house at", "our tenant Tamika Boone at", "Pickup: Tue 8:10
                // AM at", "Mr. Lyle Dempsey at": a home, a ride's pick-up, a named person.
                "house",
                "tenant",
                "pickup",
                "pick-up",
                "mr",
                "mrs",
                "ms",
                // "we are at 3309 Pleasant Acres Dr, York PA", "at stop 6 Yingling, 1184 Peach
                // Glen Rd": a family's own place, a delivery route's stop (blind batch 48).
                "we are",
                "we're",
                "at stop",
            ],
        );
    // ZIP right after the state.
    let zip = doc.after_line(en, 40);
    let zb = zip.as_bytes();
    let mut zip_end = None;
    // (One space, or a form's two or three: "Lockport, IL  60441"; perhaps a form's label
    // between, "Cedar Bluff, NE   ZIP: 68823", blind sets XY, YE, YF, YG.)
    let spaces = |from: usize, max: usize| {
        zb.get(from..).map_or(0, |r| {
            r.iter().take(max).take_while(|&&c| c == b' ').count()
        })
    };
    let lead = spaces(0, 4);
    let sp = match zb.get(lead..lead + 3) {
        Some(w) if w.eq_ignore_ascii_case(b"zip") => {
            let after = lead + 3 + usize::from(zb.get(lead + 3) == Some(&b':'));
            // (No space after the label, no ZIP code: `sp` 0 is refused below.)
            match spaces(after, 3) {
                0 => 0,
                k => after + k,
            }
        }
        // (Or a table's column gap: "2216 Furnace Hills Pike, Lititz, PA         17543  1230-1430",
        // a delivery route, blind batch 35.)
        _ => match spaces(0, 24) {
            k if k > 3 && zb.get(k + 5).is_none_or(|&c| c == b' ' || c == b'\r') => k,
            _ => spaces(0, 3),
        },
    };
    let mut zip_start = en + 1;
    if sp >= 1
        && zb.len() >= sp + 5
        && zb[sp..sp + 5].iter().all(u8::is_ascii_digit)
        && zb.get(sp + 5).is_none_or(|c| !c.is_ascii_digit())
    {
        let mut e = sp + 5;
        if zb.get(e) == Some(&b'-')
            && zb
                .get(e + 1..e + 5)
                .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        {
            e += 5;
        }
        zip_start = en + sp;
        zip_end = Some(en + e);
    } else if zb.len() >= 8
        && zb[0] == b' '
        && canadian_postal_code(&zb[1..8])
        && zb.get(8).is_none_or(|c| !c.is_ascii_alphanumeric())
    {
        // A Canadian postal code ("Barrie, ON L4N 6K2").
        zip_end = Some(en + 8);
    }
    // "118 Beech Grove Ln, Apt 2, Honesdale, PA\n18431 per her daughter": the ZIP code wrapped
    // onto the next line, perhaps under a quote's "> " (blind batch 50).
    if zip_end.is_none() && zb.iter().all(|&c| c == b' ' || c == b'\r') {
        let b = text.as_bytes();
        let nl = en + zb.len();
        if b.get(nl) == Some(&b'\n') {
            let mut k = nl + 1;
            while k < b.len() && k - nl <= 20 && matches!(b[k], b' ' | b'>' | b'\t') {
                k += 1;
            }
            if b.get(k..k + 5)
                .is_some_and(|z| z.iter().all(u8::is_ascii_digit))
                && b.get(k + 5).is_none_or(|c| !c.is_ascii_alphanumeric())
            {
                zip_start = k;
                zip_end = Some(k + 5);
            }
        }
    }
    // "14 Birch Ct, Millbrook 17052" (a delivery sheet's town without its state): the ZIP code
    // after the town.
    if zip_end.is_none()
        && let Some(town) = doc.after_line(en, 48).strip_prefix(", ")
    {
        let tb = town.as_bytes();
        let mut k = 0;
        let mut words = 0;
        while words < 3 && tb.get(k).is_some_and(u8::is_ascii_uppercase) {
            k += 1 + tb[k + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic() || **c == b'.')
                .count();
            words += 1;
            if tb.get(k) != Some(&b' ') {
                break;
            }
            k += 1;
        }
        if words > 0
            && tb.get(k.saturating_sub(1)) == Some(&b' ')
            && tb
                .get(k..k + 5)
                .is_some_and(|z| z.iter().all(u8::is_ascii_digit))
            && tb.get(k + 5).is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            zip_start = en + 2 + k;
            zip_end = Some(zip_start + 5);
        }
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
        // "We're at 1142 Pinecrest Drive in Lancaster so maybe": the town said after "in" is
        // part of a home's address (blind batch 48, the style corpus).
        let en = if zip_end.is_none() {
            en + town_after_in(doc.after_line(en, 48))
        } else {
            en
        };
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
                zip_start,
                ze,
                0.8,
                "zip.address",
                "ZIP code after a patient address",
            );
        }
    }
}

/// [`Scanner::med_words`] flag: the word is a drug name on its own.
pub(crate) const MED_NAME: u8 = 1;
/// [`Scanner::med_words`] flag: the word starts a multi-word drug name.
pub(crate) const MED_FIRST: u8 = 2;

/// Is bit `k` of the filter set?
#[inline]
pub(crate) fn bit(filter: &[u64], k: usize) -> bool {
    filter[k / 64] & (1 << (k % 64)) != 0
}

/// Builds a [`word_key2`] bit filter (no false negatives for ASCII words of the set).
pub(crate) fn key_filter2<'a>(words: impl Iterator<Item = &'a str>) -> Box<[u64]> {
    let mut f = vec![0u64; WORD_KEY_BITS / 64].into_boxed_slice();
    for w in words {
        let k = word_key2(w.as_bytes());
        f[k / 64] |= 1 << (k % 64);
    }
    f
}

/// A second cheap key, independent of [`word_key`]: length, third, middle and third-last bytes.
#[inline]
pub(crate) fn word_key2(w: &[u8]) -> usize {
    word_key2_of::<false>(w)
}

/// [`word_key2`]; `LOWER`: `w` has no ASCII upper-case letter (a slice of the lower-cased
/// text), so the bytes are used as they are (the same key).
#[inline]
fn word_key2_of<const LOWER: bool>(w: &[u8]) -> usize {
    let n = w.len();
    let at = |i: usize| {
        u32::from(
            w.get(i)
                .map_or(0, |&c| if LOWER { c } else { c.to_ascii_lowercase() }),
        )
    };
    let last = |i: usize| if n > i { at(n - 1 - i) } else { 0 };
    let h = (n as u32)
        .wrapping_mul(0x27D4_EB2F)
        .wrapping_add(at(2).wrapping_mul(0x9E37_79B9))
        .wrapping_add(at(n / 2).wrapping_mul(0x85EB_CA6B))
        .wrapping_add(last(2).wrapping_mul(0xC2B2_AE35));
    ((h ^ (h >> 13)).wrapping_mul(0x1656_67B1) >> 16) as usize % WORD_KEY_BITS
}

/// Size of the [`word_key`] bit filter.
pub(crate) const WORD_KEY_BITS: usize = 1 << 16;

/// A cheap key for a word, case-insensitive over ASCII letters: length, first two and last two
/// bytes. Equal words up to the case of their ASCII letters get equal keys, so a filter built from
/// a set has no false negatives for tokens (letters, `'`, `-`) or for lower-cased words.
#[inline]
pub(crate) fn word_key(w: &[u8]) -> usize {
    // `| 0x20` lower-cases ASCII letters and leaves `'`, `-`, digits and space alone.
    let lo = |c: u8| u32::from(c | 0x20);
    // First, second, second-last and last bytes (0 for the missing ones of a one-byte word).
    let (f0, f1, l1, l0) = match *w {
        [] => return 0,
        [a] => (lo(a), 0, 0, lo(a)),
        [a, b] => (lo(a), lo(b), lo(a), lo(b)),
        [a, b, c] => (lo(a), lo(b), lo(b), lo(c)),
        [a, b, .., c, d] => (lo(a), lo(b), lo(c), lo(d)),
    };
    word_key_mix(f0 | f1 << 8 | l0 << 16 | l1 << 24, w.len())
}

/// [`word_key`] of the word of `n` bytes (1 to 7) at the start of the eight bytes `chunk`
/// (little-endian), without slicing: the tokenizer has these bytes in a register already.
#[inline(always)]
fn word_key_in_chunk(chunk: u64, n: usize) -> usize {
    let lower = chunk | 0x2020_2020_2020_2020;
    // First two bytes; a one-byte word has no second.
    let first = lower & if n >= 2 { 0xffff } else { 0xff };
    // Last and second-last bytes: shifted up one byte first, so a one-byte word reads a zero
    // second-last byte (the byte pushed out at the top is past any word of seven bytes).
    let last = ((lower << 8) >> (8 * (n - 1))) as u16;
    word_key_mix(first as u32 | u32::from(last.swap_bytes()) << 16, n)
}

/// The hash step of [`word_key`]: the four case-folded bytes `x` and the length `n`.
#[inline(always)]
fn word_key_mix(x: u32, n: usize) -> usize {
    let h = (x ^ (n as u32).wrapping_mul(0x9E37_79B9)).wrapping_mul(0x2C1B_3C6D);
    (h ^ (h >> 15)) as usize % WORD_KEY_BITS
}

/// A fixed set of words with a flag byte each (the name and drug dictionaries): an
/// open-addressing table probed from [`word_key`], which the tokenizer has already computed for
/// ASCII tokens, so a look-up is a few compares instead of hashing the word and calling
/// `memcmp`. Exact: a word is found only when its bytes equal an entry's.
pub(crate) struct WordSet {
    /// `slots[i]` is an index into `words` plus one, or 0 for an empty slot (a power of two
    /// long, at least twice the word count: probes stay short and a free slot ends them).
    slots: Box<[u32]>,
    words: Vec<(&'static str, u8)>,
}

impl WordSet {
    /// The set of `words` (each with its flags; a repeated word keeps its first flags).
    pub(crate) fn new(words: impl IntoIterator<Item = (&'static str, u8)>) -> WordSet {
        let mut words: Vec<(&'static str, u8)> = words.into_iter().collect();
        // Sorted, so the table does not depend on the order the words came in.
        words.sort_by(|a, b| a.0.cmp(b.0));
        words.dedup_by(|a, b| a.0 == b.0);
        let n = (words.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![0u32; n].into_boxed_slice();
        for (i, (w, _)) in words.iter().enumerate() {
            let mut k = word_key(w.as_bytes()) & (n - 1);
            while slots[k] != 0 {
                k = (k + 1) & (n - 1);
            }
            slots[k] = u32::try_from(i + 1).unwrap_or(u32::MAX);
        }
        WordSet { slots, words }
    }

    /// The flags of `w` when it is in the set; `key` is `word_key(w)`.
    #[inline]
    pub(crate) fn get(&self, w: &[u8], key: usize) -> Option<u8> {
        // A byte loop: the words are short, and `==` on slices calls `memcmp`.
        self.probe(key, |x| {
            x.len() == w.len() && x.bytes().zip(w).all(|(a, &b)| a == b)
        })
    }

    /// [`Self::get`] for a word of ASCII letters, apostrophes and hyphens in any case (the set's
    /// words are lower case): `key` is `word_key(w)`, which reads it in lower case too.
    #[inline]
    pub(crate) fn get_any_case(&self, w: &[u8], key: usize) -> Option<u8> {
        self.probe(key, |x| {
            x.len() == w.len() && x.bytes().zip(w).all(|(a, &b)| a == b | 0x20)
        })
    }

    /// The flags of the first word from slot `key` on that `is` accepts.
    #[inline]
    fn probe(&self, key: usize, is: impl Fn(&str) -> bool) -> Option<u8> {
        let mask = self.slots.len() - 1;
        let mut k = key & mask;
        loop {
            let i = usize::try_from(*self.slots.get(k)?).ok()?;
            let &(x, f) = self.words.get(i.checked_sub(1)?)?;
            if is(x) {
                return Some(f);
            }
            k = (k + 1) & mask;
        }
    }

    /// Is `w` in the set?
    #[inline]
    pub(crate) fn contains(&self, w: &str) -> bool {
        self.get(w.as_bytes(), word_key(w.as_bytes())).is_some()
    }

    /// Is the lower-case form of token `t` in the set? (See [`low`]; an ASCII token's key is
    /// its [`Tok::key`], which is the key of its lower-case form.)
    #[inline]
    fn has_token(&self, text: &str, lc: &str, t: Tok, buf: &mut String) -> bool {
        let w = low(text, lc, t, buf).as_bytes();
        let key = if t.ascii { t.key as usize } else { word_key(w) };
        self.get(w, key).is_some()
    }
}

/// [`drug_before_modifier`] for the token `t` (`lower`, its lower-cased text): pushes the drug
/// name's finding and says whether it did. Only for words of eleven bytes or more: five, a
/// hyphen and five.
fn drug_before_modifier_at(
    s: &Scanner,
    text: &str,
    t: Tok,
    lower: &str,
    out: &mut Vec<Cand>,
) -> bool {
    if t.e - t.s < 11 {
        return false;
    }
    let after = &text[t.e..ceil_cb(text, (t.e + 32).min(text.len()))];
    let Some(k) = drug_before_modifier(s, &text[t.s..t.e], lower, after) else {
        return false;
    };
    let why = "drug name before a hyphen and a word about it";
    push(
        out,
        Some(Label::Medication),
        t.s,
        t.s + k,
        0.85,
        "medication.dictionary",
        why,
    );
    true
}

/// "mostly fentanyl-naive", "warfarin-induced bleeding", "an Emicizumab-calibrated assay":
/// where a hyphenated word (`word`, as written; `lower`, lower-cased) opens with a drug name
/// and goes on with a word in lower case that is no drug, the length of the drug name (the
/// corpora's authors label the drug alone; 45 such in the style corpus).
fn drug_before_modifier(s: &Scanner, word: &str, lower: &str, after: &str) -> Option<usize> {
    let k = word.find('-')?;
    let rest = &word[k + 1..];
    // (Not a biosimilar's four-letter suffix, "bevacizumab-awwb"; nor a drug's name going on,
    // "norgestimate-ethinyl estradiol"; nor a class of products, "dextrose-containing IV
    // fluids", which the corpora's authors leave unlabelled.)
    let drug_word = |w: &str| {
        s.med_words
            .get(w.as_bytes(), word_key(w.as_bytes()))
            .is_some()
    };
    // (Asked last, of the few words that open with a drug's name: it builds the two words.)
    let goes_on = || {
        let next = after
            .strip_prefix(' ')
            .map(|a| {
                a.split(|c: char| !c.is_ascii_alphabetic())
                    .next()
                    .unwrap_or("")
            })
            .unwrap_or("");
        !next.is_empty()
            && s.meds.contains(&format!(
                "{} {}",
                &lower[k + 1..],
                next.to_ascii_lowercase()
            ))
    };
    (k >= 5
        && rest.len() >= 5
        && rest.bytes().all(|c| c.is_ascii_lowercase())
        && !matches!(rest, "containing" | "treated")
        && s.meds.contains(&lower[..k])
        && !drug_word(&lower[k + 1..])
        && !goes_on())
    .then_some(k)
}

/// Drug names: one hash lookup per word token; multi-word names only after a known first word.
/// An ASCII token whose [`word_key`] bit is clear is in neither dictionary and is skipped.
// Once per scan: kept out of line (callgrind: fewer instructions than inlined into `collect`).
#[inline(never)]
fn medications(
    s: &Scanner,
    text: &str,
    lc: &str,
    toks: &[Tok],
    cands: &[usize],
    out: &mut Vec<Cand>,
) {
    let mut one = String::new();
    // The token after the last drug name found: a name's later words are not looked up again.
    let mut next = 0;
    // Only the tokens that passed the first bit filter while tokenising (the others are in
    // neither dictionary), in order.
    for &i in cands {
        if i < next {
            continue;
        }
        let t = toks[i];
        if t.ascii
            && !bit(
                &s.med_filter2,
                word_key2_of::<true>(&lc.as_bytes()[t.s..t.e]),
            )
        {
            // Not a drug name as a whole; a hyphenated word may still be a combination, and a
            // word with a generic name's stem is a drug the dictionary does not know yet.
            let word = &lc[t.s..t.e];
            let found = if usan_stem(word) {
                Some(("medication.stem", "a generic drug name's stem"))
            } else if word.contains('-') && combination(s, word) {
                Some(("medication.dictionary", "combination of drug names"))
            } else {
                None
            };
            if let Some((rule, why)) = found {
                push(out, Some(Label::Medication), t.s, t.e, 0.85, rule, why);
                next = i + 1;
            } else if drug_before_modifier_at(s, text, t, word, out) {
                next = i + 1;
            }
            continue;
        }
        let one = low(text, lc, toks[i], &mut one);
        let key = if t.ascii {
            t.key as usize
        } else {
            word_key(one.as_bytes())
        };
        let flags = s.med_words.get(one.as_bytes(), key).unwrap_or(0);
        let mut hit = None;
        if flags & MED_FIRST != 0 {
            for n in (2..=s.med_max_words.min(toks.len() - i)).rev() {
                let run = &toks[i..i + n];
                if run.windows(2).any(|w| !gap_is(text, w[0].e, w[1].s, b" ")) {
                    continue;
                }
                // Tokens joined by single spaces: the ASCII-lower-cased text is the joined name.
                if s.meds.contains(&lc[run[0].s..run[n - 1].e]) {
                    hit = Some(n);
                    break;
                }
            }
        }
        if hit.is_none() && flags & MED_NAME != 0 {
            hit = Some(1);
        }
        // The filter let a hyphenated word through that is no entry (its bit is another
        // word's): it may still be a combination.
        if hit.is_none() && t.ascii && one.contains('-') && combination(s, one) {
            hit = Some(1);
        }
        // (Or a drug name and a word about it: "fentanyl-naive".)
        if hit.is_none() && t.ascii && drug_before_modifier_at(s, text, t, one, out) {
            next = i + 1;
            continue;
        }
        let stem = hit.is_none() && t.ascii && usan_stem(one);
        if stem {
            hit = Some(1);
        }
        if let Some(n) = hit {
            let (st, en) = (toks[i].s, toks[i + n - 1].e);
            let (rule, why) = if stem {
                ("medication.stem", "a generic drug name's stem")
            } else {
                ("medication.dictionary", "drug name in the dictionary")
            };
            push(out, Some(Label::Medication), st, en, 0.85, rule, why);
            next = i + n;
        }
    }
}

/// Does the lower-case `word` end in a stem the USAN Council gives only to generic drug names
/// ("erenumab", "ofatumumab", "velpatasvir", "ribociclib")? Newer drugs than the dictionary
/// (monoclonal antibodies above all) are found by their stem; no English word ends in one.
/// Seven letters at least, so the stem has a name before it.
fn usan_stem(word: &str) -> bool {
    // (The last byte first: asked of most words the drug filter turns away, and it ends no
    // stem for most of them; callgrind.)
    word.len() >= 7
        && USAN_STEM_LAST[usize::from(word.as_bytes()[word.len() - 1])]
        && word.bytes().all(|c| c.is_ascii_lowercase())
        && USAN_STEMS.iter().any(|stem| word.ends_with(stem))
}

/// The stems of [`usan_stem`].
const USAN_STEMS: &[&str] = &[
    "mab", "tinib", "ciclib", "parib", "rafenib", "lisib", "degib", "zomib", "asvir", "buvir",
    "previr", "navir", "gravir",
];

/// `USAN_STEM_LAST[c]`: some stem of [`USAN_STEMS`] ends in byte `c`.
static USAN_STEM_LAST: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < USAN_STEMS.len() {
        let w = USAN_STEMS[i].as_bytes();
        t[w[w.len() - 1] as usize] = true;
        i += 1;
    }
    t
};

/// Is the lower-case hyphenated `word` a combination drug ("sulfamethoxazole-trimethoprim",
/// "hydrocodone-acetaminophen")? One part is a prescription drug, every part is a drug name or
/// reads like one, and the first part does.
fn combination(s: &Scanner, word: &str) -> bool {
    let drug = |p: &str| {
        s.med_words
            .get(p.as_bytes(), word_key(p.as_bytes()))
            .is_some_and(|f| f & MED_NAME != 0)
    };
    let parts = || word.split('-');
    let first = parts().next().unwrap_or("");
    // Most hyphenated words ("follow-up") have no part the drug filter lets through.
    let filtered = |p: &str| bit(&s.med_filter2, word_key2_of::<true>(p.as_bytes()));
    parts().any(filtered)
        && (drug(first) || drug_like(first))
        && parts().any(drug)
        && parts().all(|p| drug(p) || drug_like(p))
}

/// Does a lower-case word read like a drug ingredient (an over-the-counter one, or a generic
/// name's stem ending)? Only asked of the other parts of a hyphenated word with a drug in it.
fn drug_like(p: &str) -> bool {
    p.len() >= 5
        && (OTC_INGREDIENTS.contains(&p)
            || [
                "azole", "prim", "phen", "ine", "ol", "one", "ide", "ate", "cillin", "mycin",
                "cycline", "pril", "sartan", "statin", "oxacin", "vir", "mab", "nib", "pam", "lam",
                "fen", "zide",
            ]
            .iter()
            .any(|suf| p.ends_with(suf)))
}

/// Over-the-counter ingredients that appear in prescription combinations.
const OTC_INGREDIENTS: &[&str] = &[
    "acetaminophen",
    "ibuprofen",
    "aspirin",
    "caffeine",
    "guaifenesin",
    "dextromethorphan",
    "pseudoephedrine",
    "naproxen",
];

/// A word token: letters with internal `'`/`-`; byte offsets.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok {
    pub(crate) s: usize,
    pub(crate) e: usize,
    /// Every byte is ASCII (so the ASCII-lower-cased text holds its lower-case form).
    pub(crate) ascii: bool,
    /// Capitalised: an upper-case first letter and at least two letters.
    cap: bool,
    /// [`word_key`] of the token when `ascii` (computed once, while tokenising).
    pub(crate) key: u32,
}

/// Where [`tokens`] writes: the tokens, the indices of those [`medications`] looks at, and the
/// line breaks.
struct TokenIndex<'a> {
    toks: &'a mut Vec<Tok>,
    /// The offset of every `\n` of the text, ascending (for [`analyse`]): the tokenizer steps
    /// over each of them anyway.
    nl: &'a mut Vec<usize>,
    /// The tokens that may be drug names: not ASCII, or with their [`word_key`] bit set in the
    /// drug filter ([`Scanner::med_filter`]); [`medications`] looks at no others.
    med_cands: &'a mut Vec<usize>,
}

// Once per scan: kept out of line (callgrind: fewer instructions than inlined into `collect`).
#[inline(never)]
// (The filter as an array: its look-ups then need no bounds check, a key being below its size.)
fn tokens(text: &str, med_filter: &KeyFilter, index: TokenIndex<'_>) {
    let b = text.as_bytes();
    // Filled as local vectors and put back: the compiler then keeps their lengths in registers
    // instead of storing them to the scratch buffers after every push.
    let mut toks = std::mem::take(index.toks);
    let mut med_cands = std::mem::take(index.med_cands);
    let mut nl = std::mem::take(index.nl);
    toks.clear();
    med_cands.clear();
    nl.clear();
    let mut i = 0;
    'text: loop {
        // Skip ASCII non-letters, one table look-up a byte, noting line breaks. (No line break
        // is stepped over anywhere else: words hold only letters, apostrophes and hyphens, and
        // the other path skips non-ASCII chars.)
        let c0 = loop {
            let Some(&c) = b.get(i) else { break 'text };
            if STOPS_SKIP[usize::from(c)] {
                if c != b'\n' {
                    break c;
                }
                nl.push(i);
            }
            i += 1;
        };
        // The common case: an ASCII word ended by an ASCII byte that cannot join it to more
        // letters (not `'` or `-`), read eight bytes at a time; a word of up to seven letters
        // is one chunk, which also gives its key and its end byte. Anything else (and a word
        // in the last seven bytes) takes the general path, kept out of line (a smaller loop
        // here).
        'general: {
            let Some(&chunk) = b[i..].first_chunk::<8>() else {
                break 'general;
            };
            let chunk = u64::from_le_bytes(chunk);
            // (A non-ASCII first byte is not a letter: `n` is then 0.)
            let n = (!ascii_letters(chunk) & LETTER_HIGH).trailing_zeros() as usize / 8;
            // The end, the key, and whether the word has the two letters a capitalised one
            // needs.
            let (e, key, two) = match n {
                0 => break 'general,
                1..=7 => {
                    if joins_word((chunk >> (8 * n)) as u8) {
                        break 'general;
                    }
                    (i + n, word_key_in_chunk(chunk, n), n >= 2)
                }
                _ => {
                    let e = long_letters_end(b, i + 8);
                    if b.get(e).is_some_and(|&d| joins_word(d)) {
                        break 'general;
                    }
                    (e, word_key(&b[i..e]), true)
                }
            };
            if bit(med_filter, key) || stem_tail(&b[i..e]) {
                med_cands.push(toks.len());
            }
            toks.push(Tok {
                s: i,
                e,
                ascii: true,
                cap: c0.is_ascii_uppercase() && two,
                key: key as u32,
            });
            i = e;
            continue 'text;
        }
        // (The vectors are pushed to here, not passed: passed, they would live in memory.)
        match general_token(text, i, med_filter) {
            Ok((t, med)) => {
                if med {
                    med_cands.push(toks.len());
                }
                toks.push(t);
                i = t.e;
            }
            Err(next) => i = next,
        }
    }
    *index.toks = toks;
    *index.med_cands = med_cands;
    *index.nl = nl;
}

/// May the ASCII byte after a run of letters join the word to more (an apostrophe or a
/// hyphen), or may it be a non-ASCII letter or apostrophe? Then [`word_end`] decides.
#[inline(always)]
fn joins_word(d: u8) -> bool {
    d == b'\'' || d == b'-' || !d.is_ascii()
}

/// The token at byte `i` of `text` (an ASCII letter or a non-ASCII char) that [`tokens`]'s
/// fast path did not take, and whether it may be a drug name; or, for a non-ASCII char that
/// is not a letter, where to go on.
#[inline(never)]
fn general_token(text: &str, i: usize, med_filter: &[u64]) -> Result<(Tok, bool), usize> {
    let b = text.as_bytes();
    let c0 = b[i];
    // A word joined by a hyphen may be a combination drug ("hydrocodone-acetaminophen"),
    // which the whole word's filter bit cannot tell: the drug pass looks at its parts.
    let mut hyphen = false;
    let (e, ascii) = if c0.is_ascii() {
        let e = letters_end(b, i + 1);
        match b.get(e) {
            Some(&d) if joins_word(d) => {
                // (Ingredient names are long: a short first part is a prefix or a word.)
                hyphen = d == b'-' && e - i >= 5;
                word_end(text, e, true)
            }
            _ => (e, true),
        }
    } else {
        let Some(c) = text[i..].chars().next() else {
            return Err(b.len());
        };
        if !c.is_alphabetic() {
            return Err(i + c.len_utf8());
        }
        word_end(text, i + c.len_utf8(), false)
    };
    let cap = if c0.is_ascii() {
        c0.is_ascii_uppercase() && e - i >= 2
    } else {
        text[i..]
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() && e - i > c.len_utf8())
    };
    let t = Tok {
        s: i,
        e,
        ascii,
        cap,
        key: if ascii { word_key(&b[i..e]) as u32 } else { 0 },
    };
    let med = key_maybe(med_filter, t) || hyphen || ascii && stem_tail(&b[i..e]);
    Ok((t, med))
}

/// May an ASCII word carry a generic drug name's stem ([`usan_stem`])? Seven letters or more
/// ending in "ab", "ib" or "vir" ("-mab", "-tinib", "-asvir"): few English words do, so few
/// tokens become drug candidates this way.
#[inline]
fn stem_tail(w: &[u8]) -> bool {
    let n = w.len();
    n >= 7
        && match w[n - 1] | 0x20 {
            b'b' => matches!(w[n - 2] | 0x20, b'a' | b'i'),
            b'r' => w[n - 3..n - 1].eq_ignore_ascii_case(b"vi"),
            _ => false,
        }
}

/// "V11 is back from the body shop, plate ZKR-8810", "(2019 Ford Escape, ..., VIN ...) goes
/// to the shop Thursday", "plate ..., odometer 88,412", "Rose City Fleet can take it
/// Thurs": a vehicle being kept, named within 200
/// bytes before or after its number (`st..en`). No patient's plate in the style corpus had
/// these words near it.
fn vehicle_kept_near(text: &str, st: usize, en: usize) -> bool {
    has_word(
        &text[floor_cb(text, st.saturating_sub(200))..ceil_cb(text, en + 200)],
        words![
            "shop",
            "mileage",
            "odometer",
            "tires",
            "brakes",
            "oil",
            "dealership",
            "fleet",
            // ("the Onan generator on MU-2 (2019 Freightliner, plate C48217K) ... covered under
            // the extended warranty").
            "warranty",
            "repair",
            "repairs",
            "mechanic"
        ],
    )
}

/// The bytes that end the tokenizer's skipping between words: ASCII letters, non-ASCII bytes
/// and the line break (noted, then stepped over). The rest, ASCII bytes that are not letters,
/// cost one test each (callgrind).
static STOPS_SKIP: [bool; 256] = {
    let mut t = [true; 256];
    let mut c = 0;
    while c < 128 {
        t[c] = (c as u8).is_ascii_alphabetic() || c == b'\n' as usize;
        c += 1;
    }
    t
};

/// The end of the word whose letters continue at `j` (just after its first char), and whether
/// it is all ASCII (`ascii`: so far): letters, with internal apostrophes and hyphens.
fn word_end(text: &str, mut j: usize, mut ascii: bool) -> (usize, bool) {
    let b = text.as_bytes();
    // The char at byte `i` (a char boundary) and its length; ASCII without decoding.
    let char_at = |i: usize| -> Option<(char, usize)> {
        match b.get(i) {
            None => None,
            Some(&c) if c.is_ascii() => Some((char::from(c), 1)),
            Some(_) => text[i..].chars().next().map(|c| (c, c.len_utf8())),
        }
    };
    // After an internal `'`/`’`/`-` of `dl` bytes at `j`: is the next char a letter, and not
    // the `s` of a possessive `'s`?
    let joins = |j: usize, dl: usize, hyphen: bool| -> bool {
        let n1 = char_at(j + dl);
        let n2 = n1.and_then(|(_, l1)| char_at(j + dl + l1));
        let possessive = !hyphen
            && matches!(n1, Some(('s', _)))
            && !n2.is_some_and(|(c2, _)| c2.is_alphabetic());
        n1.is_some_and(|(c1, _)| c1.is_alphabetic()) && !possessive
    };
    // Letters, with internal apostrophes and hyphens; ASCII letters without decoding.
    loop {
        j = letters_end(b, j);
        let Some(&d0) = b.get(j) else { break };
        if d0.is_ascii() {
            if (d0 == b'\'' || d0 == b'-') && joins(j, 1, d0 == b'-') {
                j += 1;
                continue;
            }
            break;
        }
        let Some((d, dl)) = char_at(j) else { break };
        if d.is_alphabetic() || d == '\u{2019}' && joins(j, dl, false) {
            ascii = false;
            j += dl;
        } else {
            break;
        }
    }
    (j, ascii)
}

/// The first index at or after `j` whose byte is not an ASCII letter (`b.len()` if none),
/// eight bytes at a time.
#[inline]
pub(crate) fn letters_end(b: &[u8], mut j: usize) -> usize {
    while let Some(chunk) = b.get(j..j + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let other = !ascii_letters(u64::from_le_bytes(bytes)) & LETTER_HIGH;
        if other != 0 {
            return j + (other.trailing_zeros() / 8) as usize;
        }
        j += 8;
    }
    b.get(j..).map_or(j, |r| {
        j + r
            .iter()
            .position(|c| !c.is_ascii_alphabetic())
            .unwrap_or(r.len())
    })
}

/// [`letters_end`] kept out of line, for [`tokens`]'s words of eight letters or more: its
/// loop's constants then stay in registers (inlined there, they were loaded again for every
/// eight bytes).
#[inline(never)]
fn long_letters_end(b: &[u8], j: usize) -> usize {
    letters_end(b, j)
}

/// How many ASCII digits `v` holds, eight bytes at a time (a byte loop cost eight
/// instructions a byte, its checked count included: callgrind).
fn count_digits(v: &[u8]) -> usize {
    let (chunks, tail) = v.as_chunks::<8>();
    let mut n = 0;
    for &chunk in chunks {
        // Per byte, with the high bit cleared: adding 0x50 sets it from 0x30 ('0') up and
        // adding 0x46 from 0x3a (past '9') up, with no carry between bytes.
        let x = u64::from_le_bytes(chunk);
        let low7 = x & !LETTER_HIGH;
        let from_0 = low7.wrapping_add(0x5050_5050_5050_5050);
        let past_9 = low7.wrapping_add(0x4646_4646_4646_4646);
        n += (from_0 & !past_9 & !x & LETTER_HIGH).count_ones() as usize;
    }
    n + tail.iter().filter(|c| c.is_ascii_digit()).count()
}

/// The high bit of each byte: where [`ascii_letters`] marks letters.
const LETTER_HIGH: u64 = 0x8080_8080_8080_8080;

/// The ASCII letters of eight bytes (little-endian): the high bit of each letter byte set,
/// every other bit clear.
#[inline(always)]
fn ascii_letters(chunk: u64) -> u64 {
    // Per byte: `| 0x20` folds case (a letter lands in 0x61..=0x7a, nothing else does); with
    // the high bit cleared, adding 0x1f sets it from 0x61 up and adding 0x05 from 0x7b up,
    // with no carry between bytes.
    let l = chunk | 0x2020_2020_2020_2020;
    let low7 = l & !LETTER_HIGH;
    let from_a = low7.wrapping_add(0x1f1f_1f1f_1f1f_1f1f) & LETTER_HIGH;
    let past_z = low7.wrapping_add(0x0505_0505_0505_0505) & LETTER_HIGH;
    from_a & !past_z & !(l & LETTER_HIGH)
}

/// Is `text[a..b]` exactly `g`? (Byte compare; `a..b` lies between two tokens.)
#[inline]
fn gap_is(text: &str, a: usize, b: usize, g: &[u8]) -> bool {
    b.checked_sub(a) == Some(g.len()) && text.as_bytes().get(a..b) == Some(g)
}

fn is_upper(text: &str, t: Tok) -> bool {
    if t.ascii {
        // (Bytes: a token's ends are char boundaries, no need to check them again.)
        return !text.as_bytes()[t.s..t.e].iter().any(u8::is_ascii_lowercase);
    }
    text[t.s..t.e].chars().all(|c| !c.is_lowercase())
}

/// [`is_upper`], settled without the call when the token's second byte is a lower-case ASCII
/// letter (most words: it is a whole char of the token).
#[inline(always)]
fn upper_quick(text: &str, t: Tok) -> bool {
    !(t.e - t.s >= 2 && text.as_bytes()[t.s + 1].is_ascii_lowercase()) && is_upper(text, t)
}

/// The token in lower case: a slice of `lc` (the ASCII-lower-cased text) for ASCII tokens, else
/// Unicode lower-casing into `buf`.
#[inline(always)]
fn low<'b>(text: &str, lc: &'b str, t: Tok, buf: &'b mut String) -> &'b str {
    if t.ascii {
        return &lc[t.s..t.e];
    }
    lower(text, t, buf);
    buf.as_str()
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

/// `s.trim_end()`, bytes first: ASCII white space (the chars `char::is_whitespace` takes below
/// 128) goes a byte at a time; only a non-ASCII last byte, perhaps Unicode white space, falls
/// back to `trim_end`.
#[inline]
fn trim_end_ascii_first(s: &str) -> &str {
    let b = s.as_bytes();
    // (`\t` to `\r` are 9 to 13.)
    match b
        .iter()
        .rposition(|&c| c != b' ' && c.wrapping_sub(b'\t') > 4)
    {
        Some(k) if !b[k].is_ascii() => s[..=k].trim_end(),
        Some(k) => &s[..=k],
        None => "",
    }
}

/// The tokens of a candidate name (at most four): always consecutive tokens, so a length over
/// the token slice from the first one (nothing is copied).
struct Run<'t> {
    /// The tokens from the run's first one on.
    toks: &'t [Tok],
    len: usize,
}

impl Run<'_> {
    /// Extends the run by its next token (`t`, which is `toks[len]`).
    fn push(&mut self, t: Tok) {
        debug_assert_eq!(self.toks.get(self.len).map(|x| x.s), Some(t.s));
        self.len += 1;
    }

    fn pop(&mut self) {
        self.len -= 1;
    }
}

impl std::ops::Deref for Run<'_> {
    type Target = [Tok];

    fn deref(&self) -> &[Tok] {
        &self.toks[..self.len]
    }
}

/// Bits in the filter over the names `persons` looks for again (a multiple of 64).
const NAME_BITS: usize = 4096;

/// A greeted name held back until the whole message is read: (start, end, its word spans).
type Greeting = (usize, usize, Vec<(usize, usize)>);

// Once per scan: kept out of line (callgrind: fewer instructions than inlined into `collect`).
#[inline(never)]
fn persons(
    s: &Scanner,
    text: &str,
    lc: &str,
    toks: &[Tok],
    doc: &Doc<'_>,
    out: &mut Vec<Cand>,
    (staff, patient_words): (&mut Vec<Span>, &mut Vec<Span>),
) {
    let mut buf = String::new();
    // Whether the mail speaks to its reader of their own care (asked once, when needed).
    let mut own_care: Option<bool> = None;
    staff.clear();
    patient_words.clear();
    // The words of the names in a patient table's cells ([`table_columns`] ran before): a
    // name-shaped cell's words that are not ordinary words, places, organisations or headings
    // ("Two Bulls, Jaxon" gives "Bulls" and "Jaxon").
    for c in out.iter() {
        let cell = &text[c.start..c.end];
        // (A one-word cell, a name split in two columns, when the name lists know it.)
        let known = || {
            let w = &lc[c.start..c.end];
            cell.is_ascii()
                && cell.bytes().all(|b| b.is_ascii_alphabetic())
                && (s.first_names.contains(w) || s.surnames.contains(w))
        };
        if c.label == Some(Label::Person)
            && c.rule == "table.column"
            && (name_shaped_cell(cell) || known())
        {
            let from = toks.partition_point(|t| t.s < c.start);
            patient_words.extend(
                toks[from..]
                    .iter()
                    .take_while(|t| t.e <= c.end)
                    .filter(|&&t| plain_name_word(lc, t) && !NUMBER_WORDS.eq_any(&lc[t.s..t.e]))
                    .map(|t| (t.s, t.e)),
            );
        }
    }
    let first_cand = out.len();
    let mut greetings: Vec<Greeting> = Vec::new();
    // The surnames of staff named with a credential ("Simone Achebe, PT, DPT"), in text order.
    let mut credentialed: Vec<Span> = Vec::new();
    let not_names = &*NOT_NAMES_INDEX;
    let prev_words = &*PREV_WORDS;
    let everyday_first_names: &[u64] = &**EVERYDAY_FIRST_NAMES;
    // Inlined at each use: as a call it cost about a fifth of the look-ups (callgrind).
    #[inline(always)]
    fn name_ok(not_names: &NotNames, text: &str, lc: &str, t: Tok, buf: &mut String) -> bool {
        if t.ascii {
            return !not_names.contains(&lc.as_bytes()[t.s..t.e], t.key as usize);
        }
        let w = low(text, lc, t, buf).as_bytes();
        !not_names.contains(w, word_key(w))
    }
    // How many line breaks lie before the last candidate (see `Doc::line_index`).
    let nl = doc.nl.as_slice();
    let mut line = 0;
    let mut i = 0;
    while i < toks.len() {
        // Most tokens are not capitalised: step over them before anything is set up.
        if !toks[i].cap {
            i += 1;
            continue;
        }
        let t0 = toks[i];
        // "Baby Boy Adeyemi": the words before a newborn's surname are no name (the surname
        // is read after them, `newborn` below).
        // (Three or four letters first: most capitalised words are longer.)
        // (The words' bytes in `lc`, ASCII-lower-cased: the same as comparing them up to ASCII
        // case, without a word list's look-up.)
        let word = |k: usize| toks.get(k).map_or(&b""[..], |t| &lc.as_bytes()[t.s..t.e]);
        if matches!(t0.e - t0.s, 3 | 4)
            && matches!(lc.as_bytes()[t0.s], b'b' | b'g')
            && (word(i) == b"baby" && matches!(word(i + 1), b"boy" | b"girl")
                || i > 0 && matches!(word(i), b"boy" | b"girl") && word(i - 1) == b"baby")
        {
            i += 1;
            continue;
        }
        // Cheap gates first: most tokens are not capitalised, and most capitalised ones are
        // not in the not-a-name list; the title look-back only runs for the rest.
        let after_title = || {
            // The last word within 8 bytes before the token, on its line, after trimming
            // spaces and dots: bytes only, unless a non-ASCII char is in the way.
            let b = text.as_bytes();
            // Every title ends in `r`, `s` or `x`: look at the byte before the spaces and dots
            // first (the same stop as below: neither a line break nor a char cut by the 8-byte
            // window is a space or a dot).
            let mut p = t0.s;
            while p > t0.s.saturating_sub(8) && matches!(b[p - 1], b' ' | b'.') {
                p -= 1;
            }
            // (And every title's second-last letter is `m`, `r` or `s`: "is", "for", "was" and
            // "yours" end here.)
            if p < 2
                || !matches!(b[p - 1] | 0x20, b'r' | b's' | b'x')
                || !matches!(b[p - 2] | 0x20, b'm' | b'r' | b's')
            {
                return false;
            }
            let lo = floor_cb(text, t0.s.saturating_sub(8));
            // At most 8 bytes: a plain loop beats a vectorised search here.
            let lo = b[lo..t0.s]
                .iter()
                .rposition(|&c| c == b'\n')
                .map_or(lo, |k| lo + k + 1);
            let mut p = t0.s;
            while p > lo && matches!(b[p - 1], b' ' | b'.') {
                p -= 1;
            }
            let mut q = p;
            while q > lo && b[q - 1].is_ascii_alphanumeric() {
                q -= 1;
            }
            if q > lo && !b[q - 1].is_ascii() {
                let w = text[lo..p]
                    .rsplit(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("");
                return TITLES.eq_any(w);
            }
            // ("the MR Conditional labelling": capitals without a dot before a word that is no
            // name are an acronym, not a title.)
            let acronym = text.as_bytes()[q..p].iter().all(u8::is_ascii_uppercase)
                && text.as_bytes().get(p) != Some(&b'.');
            TITLES.eq_any(&text[q..p]) && !acronym
        };
        // "Patient name:    PARK, HYUN-WOO", "Linked participant:  Park, Hyun-woo": a surname
        // that is also a word ("park", "price"), as a field's value in "Last, First" form.
        let field_last_first = || {
            toks.get(i + 1).is_some_and(|t| {
                t.cap
                    && gap_is(text, t0.e, t.s, b", ")
                    && name_ok(not_names, text, lc, *t, &mut String::new())
            }) && s.surnames.has_token(text, lc, t0, &mut String::new())
                && {
                    let lead = text[doc.line_start(t0.s)..t0.s].trim_end_matches([' ', '\t']);
                    lead.ends_with(':') || lead.is_empty()
                }
        };
        // ("ADA Oyelaran-Kim already has the request": three capitals before a name in mixed
        // case are an office or a title's acronym, an assistant district attorney's, not
        // "Ada".)
        // ("the current roster for ELNEC Core": an unknown word in capitals before a word in
        // mixed case names a course or a product.)
        // (The token's own capitals before the next word's: most capitalised words are in
        // mixed case, and that ends it.)
        let acronym_before = t0.cap
            && t0.e - t0.s >= 3
            && toks.get(i + 1).is_some_and(|t| {
                t.cap
                    && gap_is(text, t0.e, t.s, b" ")
                    && upper_quick(text, t0)
                    && !upper_quick(text, *t)
            })
            && if s.first_names.has_token(text, lc, t0, &mut buf) {
                t0.e - t0.s == 3
            } else {
                // ("Re: AHA Sessions", "ELNEC Core"; not "CNA Latisha Greer", a credential
                // before a given name.)
                !s.surnames.has_token(text, lc, t0, &mut buf)
                    && !s.first_names.has_token(text, lc, toks[i + 1], &mut buf)
            };
        let named = t0.cap
            && !acronym_before
            && (name_ok(not_names, text, lc, t0, &mut buf)
                || after_title() && !is_upper(text, t0)
                || key_maybe(everyday_first_names, t0)
                    && toks.get(i + 1).is_some_and(|t| t.cap)
                    && everyday_name_after_cue(s, text, lc, toks, i, prev_words, &mut buf));
        // Found only as a field's "Last, First".
        let word_surname = !named;
        if word_surname && !(t0.cap && field_last_first()) {
            i += 1;
            continue;
        }
        // Grow a run: Cap ( Cap | X. ){0,3}, single spaces, same line.
        let mut run = Run {
            toks: &toks[i..],
            len: 1,
        };
        let mut j = i + 1;
        let mut end = t0.e;
        while j < toks.len() && run.len() < 4 {
            let t = toks[j];
            let single_space = gap_is(text, end, t.s, b" ");
            let initial = t.e - t.s == 1
                && text[t.s..].chars().next().is_some_and(char::is_uppercase)
                && text.as_bytes().get(t.e) == Some(&b'.');
            if !single_space {
                break;
            }
            if initial {
                run.push(t);
                end = t.e + 1;
                // Next must follow the initial's ". "
                if j + 1 < toks.len() && gap_is(text, end, toks[j + 1].s, b" ") {
                    j += 1;
                    continue;
                }
                break;
            }
            // ("Subject: Noor EEG appointment": three capitals or fewer after a name in mixed
            // case are an acronym, not its surname, unless the lists know a surname so.)
            let acronym = t.e - t.s <= 3
                && is_upper(text, t)
                && !is_upper(text, run[run.len() - 1])
                && !s.surnames.has_token(text, lc, t, &mut buf);
            // ("Elena Lopez APRN (ML9853979)": a credential in capitals ends the name; the
            // credential test below then finds it.)
            // (Capitals first: most words after a name's first are in mixed case.)
            let credential =
                t.e - t.s <= 7 && upper_quick(text, t) && CREDENTIALS.eq_any(&text[t.s..t.e]);
            if t.cap && !acronym && !credential && name_ok(not_names, text, lc, t, &mut buf) {
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
        // ... starting a numbered or bulleted item (see `list_item` below).
        let mut comma_list_item = false;
        if run.len() == 1 {
            let k = i + 1;
            if k < toks.len()
                && gap_is(text, end, toks[k].s, b", ")
                && toks[k].cap
                && name_ok(not_names, text, lc, toks[k], &mut buf)
            {
                // "PT, DPT, ATC": credentials in a row are not "LAST, FIRST".
                let credential_pair = CREDENTIALS.eq_any(&text[t0.s..t0.e])
                    || CREDENTIALS.eq_any(&text[toks[k].s..toks[k].e]);
                // ("active patients in OH, PA, MI, IN, KY": states, not Ms. Pa Oh.)
                let states = || {
                    STATES.contains(&&text[t0.s..t0.e])
                        && STATES.contains(&&text[toks[k].s..toks[k].e])
                };
                let both_upper = is_upper(text, t0) && is_upper(text, toks[k]) && !credential_pair;
                let sur = s.surnames.has_token(text, lc, t0, &mut buf)
                    || hyphenated_surname(s, text, lc, t0);
                let first = s.first_names.has_token(text, lc, toks[k], &mut buf);
                // "3 vegetarian (Jenna, Carlos, Beth)", "Service locations: Clearwater, Largo,
                // Brandon": after a capitalised word and a comma, a list of three or more, not
                // "LAST, FIRST".
                // ("3. TALK, READ, SING": in capitals, a list of three in capitals.)
                let list_of_three = i > 0
                    && gap_is(text, toks[i - 1].e, t0.s, b", ")
                    && toks[i - 1].cap
                    && (!is_upper(text, toks[i - 1]) || both_upper);
                // "Merritt, Keshawn  BK24-017655  Wed 3/12": a record number right after says
                // name, when the name lists know one of the two ("Acme, Supply CV-0053021" is
                // a vendor's line).
                let record_next = || {
                    let e = toks[k].e;
                    let after = &text[e..ceil_cb(text, (e + 40).min(text.len()))];
                    record_after(after) || labelled_record_after(after)
                };
                // "1. Adjei-Mensah, Kwame (BOT, wk 5) - gr 3 mucositis", "- Tsai, Hui-Min -
                // not on tx yet": a numbered or bulleted item that starts with the name and
                // goes on with a bracket or a dash, the way a hand-off lists its patients.
                let list_item = || {
                    let e = toks[k].e;
                    // ("- Whitcomb, Gerald 5W-214 - resp failure query": a room's code may come
                    // first.)
                    let rest = skip_codes(&text[e..], 1, 8);
                    bulleted_line_start(text, doc.line_start(t0.s), t0.s)
                        && [" (", " - ", " \u{2013} "]
                            .iter()
                            .any(|p| rest.starts_with(p))
                };
                // "1130  Lindqvist, Beatrice    Lake Oswego    PCN G bag chg": a day's visit
                // list, a time and two spaces before the name, and a column's gap (or the
                // line's end) after it.
                let timed_slot = || {
                    let ls = doc.line_start(t0.s);
                    let head = text[ls..t0.s].trim_start_matches(['>', ' ']).as_bytes();
                    let rest = &text[toks[k].e..doc.line_end(toks[k].e)];
                    let Some(time) = head.strip_suffix(b"  ") else {
                        return false;
                    };
                    let time = time.trim_ascii_end();
                    let time = time
                        .strip_suffix(b"AM")
                        .or_else(|| time.strip_suffix(b"PM"))
                        .map_or(time, <[u8]>::trim_ascii_end);
                    // ("1130", "9:45", "10:30".)
                    let clock = match time {
                        [_, _, _, _] if time.iter().all(u8::is_ascii_digit) => true,
                        [_, b':', _, _] | [_, _, b':', _, _] => {
                            time.iter().filter(|&&c| c != b':').all(u8::is_ascii_digit)
                        }
                        _ => false,
                    };
                    clock && (rest.trim().is_empty() || rest.starts_with("  "))
                };
                let in_list_item = (sur || first) && (list_item() || timed_slot());
                // "Pt:       Okonkwo, Chidinma": a patient label opens the line and the two
                // words fill the rest of it, the way an order form names its patient. ("PT:
                // Ocasio, Varga" in capitals lists physical therapists.)
                let labelled = || {
                    let ls = doc.line_start(t0.s);
                    let lead = text[ls..t0.s].trim_start_matches(['>', ' ']).trim_end();
                    // (The name fills its cell: the line ends, or two spaces and the next
                    // cell follow, "Patient: Birkeland, Noah     DOB: 05/02/2014".)
                    let rest = &text[toks[k].e..doc.line_end(toks[k].e)];
                    words!["pt:", "patient:", "pt name:", "patient name:"].eq_any(lead)
                        && !lead.starts_with("PT")
                        && (rest.trim().is_empty() || rest.starts_with("  "))
                };
                // "(Sidney, Anna, Botkins)": a third capitalised item after, a list of towns.
                let list_ahead = || {
                    k + 1 < toks.len()
                        && gap_is(text, toks[k].e, toks[k + 1].s, b", ")
                        && toks[k + 1].cap
                        && (both_upper || !is_upper(text, toks[k + 1]))
                        && !CREDENTIALS.eq_any(&text[toks[k + 1].s..toks[k + 1].e])
                        // (The third item ends as a list's does: "Botkins)", "Tom, Luis,
                        // Amara.", not "Rx 6620418" or "Jr."; a heading in capitals ends its
                        // line: "3. TALK, READ, SING".)
                        && {
                            let r = &text[toks[k + 1].e..];
                            [")", ",", ".", " and ", " or "].iter().any(|p| r.starts_with(p))
                                || both_upper && (r.is_empty() || r.starts_with(['\n', '\r']))
                        }
                        && !words!["jr", "sr"].eq_any(&text[toks[k + 1].s..toks[k + 1].e])
                };
                // "stroke/TIA, VTE within 3 months": two abbreviations in capitals, no name
                // (unless the lists know a surname and a given name: "LEE, ANN").
                // ("Permobil M3 Corpus, SN PM-Q6E-24110387": two capitals after a word in mixed
                // case, a serial number's label or a state's code.)
                let abbreviations =
                    both_upper && t0.e - t0.s <= 3 && toks[k].e - toks[k].s <= 3 && !(sur && first)
                        || toks[k].e - toks[k].s == 2
                            && is_upper(text, toks[k])
                            && !is_upper(text, t0)
                            // ("Westfield, MA", "Dana, OK to send"; not "Wozniak, ED".)
                            && (!first || STATES.contains(&&text[toks[k].s..toks[k].e]));
                if (both_upper
                    || (sur && first)
                    || (sur || first) && record_next()
                    || in_list_item
                    || labelled())
                    && !list_of_three
                    && !abbreviations
                    && !states()
                    && !list_ahead()
                    // ("starts 10/27 as PRN COTA, Rosa is her mentor": a credential in
                    // capitals, then a colleague's given name.)
                    && !(credential_pair && is_upper(text, t0) && !is_upper(text, toks[k]))
                {
                    comma_form = true;
                    comma_list_item = in_list_item;
                    run.push(toks[k]);
                    end = toks[k].e;
                    // Optional middle name/initial (not the letters of a chart number:
                    // "BEGUM, NASRIN HR00544390"). A single capital counts on its own
                    // ("KEMPER, DOLORES A": the word lists read it as the article, blind batch
                    // 37), before a line's or a cell's end or a dot.
                    let initial = |t: Tok| {
                        t.e - t.s == 1
                            && text.as_bytes()[t.s].is_ascii_uppercase()
                            && matches!(
                                text.as_bytes().get(t.e),
                                None | Some(
                                    b' ' | b'\n'
                                        | b'\r'
                                        | b'\t'
                                        | b','
                                        | b')'
                                        | b'<'
                                        | b'|'
                                        | b';'
                                        | b'.'
                                )
                            )
                    };
                    if k + 1 < toks.len()
                        && gap_is(text, end, toks[k + 1].s, b" ")
                        && (initial(toks[k + 1])
                            || toks[k + 1].cap
                                && !text
                                    .as_bytes()
                                    .get(toks[k + 1].e)
                                    .is_some_and(u8::is_ascii_digit)
                                && name_ok(not_names, text, lc, toks[k + 1], &mut buf)
                                // ("Ordering:    ACHTERBERG, SAMUEL MD   NPI ...": a credential
                                // ends the name, and the credential test below then finds it.)
                                && !CREDENTIALS.eq_any(&text[toks[k + 1].s..toks[k + 1].e]))
                    {
                        let t = toks[k + 1];
                        if t.e - t.s == 1 && text.as_bytes().get(t.e) == Some(&b'.') {
                            end = t.e + 1;
                        } else if t.e - t.s == 1 || is_upper(text, t) == is_upper(text, toks[k]) {
                            end = t.e;
                        }
                    }
                }
            }
        }
        // One line look-up serves every window below (a run never crosses a line break).
        // Candidates come in text order: step the count of line breaks before `start` forward
        // (`doc.line_start(start)` and `doc.line_end(start)` without a search).
        while nl.get(line).is_some_and(|&p| p < start) {
            line += 1;
        }
        let ls = line
            .checked_sub(1)
            .and_then(|k| nl.get(k))
            .map_or(0, |&p| p + 1);
        let le = nl.get(line).copied().unwrap_or(text.len());
        // `floor_cb(text, start - n).max(ls)`: the line start itself when the window reaches
        // back to it (a char boundary), without stepping to a boundary first.
        let win = |n: usize| {
            let from = start.saturating_sub(n);
            if from <= ls { ls } else { floor_cb(text, from) }
        };
        // Display names in address headers: a patient when the address on that line is a
        // personal mailbox, otherwise staff.
        // An ASCII first byte that is not whitespace starts `head` too: most lines are settled
        // by it without trimming (or slicing).
        let head_from = win(200);
        let quick_no = text.as_bytes()[head_from..start].first().is_none_or(|&c| {
            c.is_ascii()
                && !matches!(c, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' | b'>')
                && !matches!(
                    c.to_ascii_lowercase(),
                    b'f' | b't' | b'c' | b'b' | b'r' | b's'
                )
        });
        // Quoted headers ("> From: ...") too.
        let head = if quick_no {
            ""
        } else {
            text[head_from..start].trim_start_matches(|c: char| c == '>' || c.is_whitespace())
        };
        let header = !quick_no
            && matches!(
                head.as_bytes().first().map(u8::to_ascii_lowercase),
                Some(b'f' | b't' | b'c' | b'b' | b'r' | b's')
            )
            && ["from:", "to:", "cc:", "bcc:", "reply-to:", "sent:"]
                .iter()
                .any(|h| {
                    head.get(..h.len())
                        .is_some_and(|x| x.eq_ignore_ascii_case(h))
                });
        if header {
            let rest = doc.after_line(end, 120);
            let own_domain = || {
                rest.trim_start().starts_with('<')
                    && header_mailbox(&text[start..end + rest.len()])
                        .is_some_and(|(_, a)| personal_domain(&text[start..end], a))
            };
            // ("To: Rolling Forward subscribers <rollingforward@lists...>": a mailing list.)
            let group = GROUP_WORDS.eq_any(first_word(rest))
                // (A group's or an organisation's own name: "Second Chance Liver Support".)
                || run.len() >= 2 && run.iter().any(|t| ORG_AFTER.eq_any(&text[t.s..t.e]));
            // (Its own mailbox, up to the '>': "Cc: Carla Montes <cmontes@...org>; Owen Tatum
            // <otatum@gmail.com>" gives Carla a work address, blind batch 77.)
            let own = rest.find('>').map_or(rest, |k| &rest[..=k]);
            let personal =
                own.contains('@') && !group && (mentions_consumer_mail(own) || own_domain());
            // (Not a patient's name for the rest of the message: "Hi Luis," below still greets
            // him, and the same name in a quoted header at the same work mailbox is no other
            // patient.)
            let at_work = !personal
                && rest.contains('@')
                && !group
                && run.len() >= 2
                && patient_at_work(doc, lc, head, start, rest);
            if personal || at_work {
                let why = if personal {
                    "display name of a personal mailbox"
                } else {
                    "display name of a patient writing from or written to at work"
                };
                push(
                    out,
                    Some(Label::Person),
                    start,
                    end,
                    0.8,
                    "person.header",
                    why,
                );
                if personal {
                    for t in run.iter() {
                        patient_words.push((t.s, t.e));
                    }
                }
            } else {
                for t in run.iter() {
                    staff.push((t.s, t.e));
                }
            }
            i = next_i;
            continue;
        }
        // "HERONRIS_TO_EPIC ORM REJECTED": words joined to an interface's channel name by an
        // underscore are the channel's (blind batch 37).
        if start > 0 && text.as_bytes()[start - 1] == b'_' {
            i = next_i;
            continue;
        }
        let prev_from = win(40);
        let prev_line = &text[prev_from..start];
        let after = after_name(text, doc, end, le);
        // A lone word with no letter before it on its line within the 40 bytes read below (the
        // token before ends before them: every letter is in a token), so no title, cue,
        // greeting, job title or credential before it, a number at most; then nothing any rule
        // for a lone word reads after it (a space, a comma, a colon, a possessive's quote, "at
        // ext" or "ext"), most often its line's end: outside a signature and a roll call,
        // nothing below can make it a name or a member of staff. (A relay's test body, lines of
        // a digit and 77 capitals, spent a quarter of its scan below: callgrind.)
        if run.len() == 1
            && !comma_form
            && (i == 0 || toks[i - 1].e <= prev_from)
            && !matches!(
                after.as_bytes().first(),
                Some(b' ' | b',' | b':' | b'\'' | 0xE2 | b'a' | b'A' | b'e' | b'E')
            )
            && doc.roll_calls.is_empty()
            && !doc.in_sig(start)
        {
            i = next_i;
            continue;
        }
        // `prev_line.trim_end()`, asked by several rules below: once, bytes first.
        let prev_trim = trim_end_ascii_first(prev_line);
        // (Markdown emphasis too: "husband **Gary**".) (A byte loop: `trim_end_matches` with
        // a char array cost more than the look-up after it, callgrind.)
        // (And HTML tags: "<tr><td>Patient:</td><td>Jillian Farrant</td>", a label and its
        // value in a pasted table's cells, blind batch 65.)
        let unemphasised = {
            let b = prev_line.as_bytes();
            let mut p = b.len();
            loop {
                if p > 0 && matches!(b[p - 1], b'*' | b'_') {
                    p -= 1;
                } else if p > 0
                    && b[p - 1] == b'>'
                    && let Some(lt) = memchr::memrchr(b'<', &b[p.saturating_sub(12)..p - 1])
                        .map(|i| p.saturating_sub(12) + i)
                    && b.get(lt + 1)
                        .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'/')
                {
                    p = lt;
                } else {
                    break;
                }
            }
            &prev_line[..p]
        };
        let prev_word = last_word(unemphasised, b" :,(\t-.");
        let credential = credential_after(after);
        // "12:45 PT. One CE hour": Pacific time after a time, not a patient.
        let pacific = prev_word.eq_ignore_ascii_case("pt") && {
            let before_pt = prev_line.trim_end_matches(['.', ' ']);
            let before_pt = before_pt
                .get(..before_pt.len().saturating_sub(2))
                .unwrap_or("");
            let before_pt = before_pt.trim_end();
            // (A time's zone: "12:45 PT", "2 pm pt"; not a room's "5N-512 pt Pettiford".)
            before_pt.ends_with(['m', 'M'])
                || before_pt.ends_with(|c: char| c.is_ascii_digit())
                    && (prev_word == "PT"
                        || before_pt.len() >= 3
                            && before_pt.as_bytes()[before_pt.len() - 3] == b':')
        };
        // "Newborn elig - Baby Boy Adeyemi", "BABY GIRL OKAFOR": a newborn's name until the
        // family names the child, the mother's surname after "Baby Boy" or "Baby Girl".
        let newborn = words!["boy", "girl"].eq_any(prev_word)
            && word_before(text, prev_word, b" ").eq_ignore_ascii_case("baby");
        // "Unit,Day,Discipline,Therapist,...\n2N,Sat,PT,Gutierrez Paolo,0700-1530": a CSV
        // row's discipline cell, the therapist's in the next (blind set TS).
        let csv_discipline = prev_word == "PT" && prev_line.ends_with(",PT,");
        // "covers the records of Luca Marchetti for his treatment", "medical records for
        // Ana Ruiz": whose records a request or a subpoena is for (blind set UF).
        let records_of = words!["of", "for"].eq_any(prev_word)
            && words!["records", "record", "chart", "charts"]
                .eq_any(word_before(text, prev_word, b" "));
        // "Rider:             Farrukh Nazarov": a ride broker's form names whom it carries
        // (a label only: not "one other rider for the main corridors").
        // (And "Head of household:", "Index child:", "Family:", a loaner's "Issued to:":
        // whom a case, a visit or a device is for, blind batch 34.)
        let rider_label = (words!["rider", "passenger", "household", "child", "family"]
            .eq_any(prev_word)
            || prev_word.eq_ignore_ascii_case("to")
                && word_before(text, prev_word, b" :").eq_ignore_ascii_case("issued"))
            && prev_trim.ends_with(':')
            && prev_trim[..prev_trim.len() - 1]
                .trim_end()
                .ends_with(prev_word);
        // "Patient reference:    STRAND, PHILIPPA": a vendor's credit memo names whose return
        // it was (a hearing aid maker's, blind batch 70).
        let patient_ref = words!["reference", "ref"].eq_any(prev_word)
            && words!["patient", "pt"].eq_any(word_before(text, prev_word, b" "))
            && prev_trim.ends_with(':');
        let pw = if pacific || csv_discipline {
            0
        } else if newborn || records_of || rider_label || patient_ref {
            PW_CUE
        } else {
            prev_words.flags(prev_word)
        };
        // "a registered SafeStep partner. Manage subscriptions": a cue word ends its sentence,
        // not a name's (abbreviations such as "Pt." and "dtr." excepted).
        // (One stop after a word: dot leaders, "Patient ........ Ashworth", are no sentence end.)
        let sentence_end = || {
            let t = prev_trim.as_bytes();
            t.len() >= 2
                && matches!(t[t.len() - 1], b'.' | b'!' | b'?')
                && t[t.len() - 2].is_ascii_alphanumeric()
        };
        // "Sam Okoro, PT     Lupe Herrera": a physical therapist's credential, not "patient".
        let pt_credential = || {
            prev_word.eq_ignore_ascii_case("pt")
                && prev_trim
                    .strip_suffix(prev_word)
                    .is_some_and(|h| h.ends_with(", "))
        };
        // "a retail lab or pharmacy partner (Everlab)": a business's partner, not a spouse.
        let business_partner = || {
            words!["partner", "partners"].eq_any(prev_word)
                && words![
                    "pharmacy",
                    "lab",
                    "laboratory",
                    "retail",
                    "business",
                    "channel",
                    "technology",
                    "vendor",
                    "network",
                    "referral",
                    "community",
                    "industry",
                    "preferred",
                    "clinical",
                    "delivery",
                ]
                .eq_any(word_before(text, prev_word, b" :,(-"))
        };
        // "Account name: Blackstone Valley Dermatology", "Practice name:": a business's name.
        let business_name_label = || {
            prev_word.eq_ignore_ascii_case("name")
                && words![
                    "account",
                    "practice",
                    "company",
                    "business",
                    "facility",
                    "client",
                    "customer",
                    "vendor",
                    "organization",
                    "organisation",
                    "group",
                    "site",
                    "clinic",
                    "payer",
                    "plan",
                    "employer",
                    "agency",
                    "pharmacy",
                    "program",
                    // ("Job name: TCHD SHC Doxy-PEP Trifold": a print shop's job, a file's, a
                    // product's or a project's name; blind batch 39.)
                    "job",
                    "file",
                    "product",
                    "project",
                    "campaign",
                    "event",
                    "course",
                    "host",
                    "device",
                    "study"
                ]
                .eq_any(word_before(text, prev_word, b" :,(-"))
        };
        let pw = if pw & PW_CUE != 0
            // (Not "PT." in capitals: "Troy still posting for a front desk PT. Dwayne out
            // 3/31": part-time, then the next sentence; blind set UK.)
            && (sentence_end()
                && !(words!["pt", "dtr", "dau", "husb", "wf", "sis", "bro"].eq_any(prev_word)
                    && prev_word != "PT")
                || pt_credential()
                || prev_word == "PT" && therapy_staffing_row(doc, run[0].s)
                || business_partner()
                || business_name_label()
                // ("by phone to Gus only (937-555-0310, ask for Tony Ruiz)": whom to ask for
                // at an office, blind set UN.)
                || prev_word.eq_ignore_ascii_case("for")
                    && word_before(text, prev_word, b" ").eq_ignore_ascii_case("ask")
                // ("pituitary-dependent Cushing's", "self-insured, NW Indiana": the cue word
                // ends a compound adjective, blind batch 71; "half-brother Jamari" and
                // "Student-athlete: Siosaia T. Fifita" are still cues.)
                || words!["dependent", "insured"].eq_any(prev_word) && {
                    let o = (prev_word.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
                    o >= 2
                        && o <= text.len()
                        && text.as_bytes()[o - 1] == b'-'
                        && text.as_bytes()[o - 2].is_ascii_alphabetic()
                }) {
            pw & !PW_CUE
        } else {
            pw
        };
        // `ORGANIZER;CN="Hughes, Patricia":mailto:` in a pasted calendar invitation.
        // "Legal contact: Rachel Dunmore", "Billing contact": an organisation's contact, not the
        // patient's (an emergency contact still is).
        let org_contact = || {
            prev_word.eq_ignore_ascii_case("contact") && {
                words![
                    "legal",
                    "billing",
                    "technical",
                    "it",
                    "vendor",
                    "media",
                    "press",
                    "sales",
                    "support",
                    "project",
                    "security",
                    "privacy",
                    "compliance",
                    "account",
                ]
                .eq_any(word_before(text, prev_word, b" :-"))
            }
        };
        // "Case management (Dawn Pereira)", "the CNO on call (Will Hartley, 785-555-0112)": a
        // department or role, then its person in brackets.
        let dept_in_brackets = || {
            prev_trim.ends_with('(')
                && (STAFF_ROLES.eq_any(prev_word)
                    || ORG_WORDS.eq_any(prev_word)
                    || words![
                        "management",
                        "scheduling",
                        "registration",
                        "admissions",
                        "billing",
                        "coding",
                        "pharmacy",
                        "radiology",
                        "lab",
                        "laboratory",
                        "security",
                        "facilities",
                        "maintenance",
                        "housekeeping",
                        "nutrition",
                        "transport",
                        "informatics",
                        "call",
                        "desk",
                        "office",
                        "team",
                        "services",
                        "quality",
                        "compliance",
                        "hr",
                        "payroll",
                        "education",
                        "marketing",
                        "foundation",
                        "chaplaincy",
                        "cno",
                        "cmo",
                        "ceo",
                        "coo",
                        "cfo",
                        "cio",
                        "cmio",
                        "it",
                    ]
                    .eq_any(prev_word))
        };
        // "Attendees: Dr. Raman, Dr. Okafor, Megan Sills, Luis Ortega": a meeting's roll call
        // names staff (when the line's start is within 200 bytes).
        // (Also on the lines a long roll call wraps onto, up to the paragraph's end and 400
        // bytes: "Attendees: Dana Whitfield (WCBH), ...\n(WCSO), Corinne Blackwell (St.
        // Ignatius)", blind set SX.)
        let roll_call = || {
            let k = doc.roll_calls.partition_point(|r| r.0 <= ls);
            let Some(&(rs, e)) = k.checked_sub(1).map(|k| &doc.roll_calls[k]) else {
                return false;
            };
            let wrapped = rs < ls && start - rs <= 400 && !text[rs..ls].contains("\n\n") && {
                // (Every line between ends mid-list, not with a sentence's or a label's end.)
                text[rs..ls - 1]
                    .lines()
                    .all(|l| !l.trim_end().ends_with(['.', ':', '!', '?']))
            };
            (rs == ls && e <= start && start - ls <= 200 || wrapped) && {
                let h = &text[rs..start];
                // (Not a family meeting's: "Present: patient, daughter Angela, son ...")
                !has_word(h, RELATIVES)
                    && !has_word(after, RELATIVES)
                    && !has_word(h, words!["patient", "pt", "family", "resident", "client"])
            }
        };
        // "STAFF SPOTLIGHT\nCongratulations to Luis Ordonez, who marks 15 years": staff news.
        let staff_news = || {
            // (Every phrase ends in "to": most names are ruled out by one compare.)
            if !prev_word.eq_ignore_ascii_case("to") {
                return false;
            }
            let t = prev_trim.as_bytes();
            [
                &b"congratulations to"[..],
                b"congrats to",
                b"kudos to",
                b"shout-out to",
            ]
            .iter()
            .any(|p| t.len() >= p.len() && t[t.len() - p.len()..].eq_ignore_ascii_case(p))
        };
        // "Driver: Dennis J. Albrecht\nDOB: 11/05/1979", "Employee: ...\nDOB: ...": a form's
        // label and the birth date on the next line make the person its subject, whatever the
        // label's word.
        let record_subject = || {
            text[..t0.s].trim_end_matches(' ').ends_with(':') && {
                let le = doc.line_end(end);
                let next = text.get(le + 1..).unwrap_or("");
                let n = next.trim_start_matches(['>', ' ']).as_bytes();
                [&b"dob"[..], b"d.o.b", b"date of birth", b"birth date"]
                    .iter()
                    .any(|p| n.len() >= p.len() && n[..p.len()].eq_ignore_ascii_case(p))
            }
        };
        // ("Driver:   Owen Strickler (resource parent)": the relation in brackets says whose
        // household, whatever the label, blind batch 64.)
        let staff_before = pw & PW_STAFF != 0 && !record_subject() && !relative_in_brackets_after(after)
            || staff_news()
            // "Maria Okonkwo was promoted to charge nurse", "Dana Ruiz joins us as": a
            // colleague's news.
            || run.len() >= 2
                && [
                    " was promoted",
                    " has been promoted",
                    " was hired",
                    " has been hired",
                    " joins us",
                    " joins our",
                    " has joined our",
                    " has joined the team",
                    " is retiring",
                    " will be retiring",
                ]
                .iter()
                .any(|p| after.starts_with(p))
            || prev_line.ends_with("CN=\"")
            || prev_line.ends_with("CN=")
            || org_contact()
            || dept_in_brackets()
            || !doc.roll_calls.is_empty() && roll_call()
            // "Reply from Marcus Tillery, 11:31 AM:", "Assigned to     : Jess Kuhlmann": a
            // portal thread's answer from the organisation, a ticket's assignee (blind batches
            // 43 and 45).
            || {
                // (A ticket's field with its colon only: "the care manager assigned to Raymond
                // Brubaker" is the patient.)
                let field = prev_trim.ends_with(':');
                let pb = prev_trim.trim_end_matches([':', ' ']).as_bytes();
                // "Logged by: Joanne Pettibone", "Owner ... Reviewed by: Eric Pruett": who did
                // the organisation's work on a record (none of the style corpus's 600 names
                // after these fields is a patient's; "Received by:", "Requested by:", "Signed
                // by:" and "Authorized by:" often name a relative, and stay out).
                let cues: &[&[u8]] = if field {
                    &[
                        b"reply from",
                        b"assigned to",
                        b"ordered by",
                        b"added by",
                        b"approved by",
                        b"updated by",
                        b"submitted by",
                        b"recorded by",
                        b"reviewed by",
                        b"prepared by",
                        b"completed by",
                        b"verified by",
                        b"entered by",
                        b"logged by",
                        b"performed by",
                        b"interpreted by",
                        b"dictated by",
                        b"transcribed by",
                        b"created by",
                        b"modified by",
                        b"edited by",
                        b"documented by",
                        b"scheduled by",
                        b"booked by",
                        b"resolved by",
                        b"closed by",
                        b"processed by",
                        b"handled by",
                        b"administered by",
                        // "Provider Name: Priyanka Venkataraman", "Ordering provider: ...",
                        // "PCP: ...": a clinician's field (none of the style corpus's 2,300 is
                        // a patient's name).
                        b"provider",
                        b"physician",
                        b"prescriber",
                        b"pcp",
                        b"doctor",
                        b"provider name",
                        b"physician name",
                        b"prescriber name",
                        b"pcp name",
                        b"doctor name",
                    ]
                } else {
                    &[b"reply from"]
                };
                cues.iter().any(|w| ends_with_word(pb, w)) && !relative_in_brackets_after(after)
            };
        // A lone capitalised word outside a signature is a name only after a title, greeting or
        // patient/relative cue; without one, only the credential rule below can apply to it.
        if run.len() == 1
            && !comma_form
            && !staff_before
            && pw & (PW_TITLE | PW_GREET | PW_CUE) == 0
            && !doc.in_sig(start)
        {
            if credential || extension_after(after) {
                staff.push((t0.s, t0.e));
            } else if bed_before(&text[..t0.s])
                && !is_upper(text, t0)
                && s.first_names.has_token(text, lc, t0, &mut buf)
            {
                // "heads up, MICU bed 7, Gloria. family decided this morning": a unit's patient
                // by bed and given name (blind batch 63).
                let why = "given name after a bed number";
                push(
                    out,
                    Some(Label::Person),
                    t0.s,
                    t0.e,
                    0.85,
                    "person.bed",
                    why,
                );
                patient_words.push((t0.s, t0.e));
            } else if matches!(
                after.as_bytes().first(),
                Some(b' ' | b',' | b':' | b'\'' | 0xE2)
            ) {
                // (Every rule below reads a space, a comma, a colon or a possessive's quote
                // right after the word: the rest are passed over at once.)
                // "Jordan has been seen at Counseling Services since ...", "Jordan was
                // hospitalized at ...": what happened to them says patient. A surname alone at
                // the start of a list item: weak evidence (a list of patients speaks of their
                // care, a list of staff does not); "Kaminski, L": the initial is part of it.
                // "fyi Jayden P (CR0051177), 15yo": a first name and an initial before a record
                // number in brackets.
                let ab = after.as_bytes();
                // ("- Kaylee B. (20391455): new button delivered": the initial's dot too, blind
                // batch 47.)
                let dot = usize::from(ab.get(2) == Some(&b'.'));
                let initial_then_record = ab.len() > 3 + dot
                    && ab[0] == b' '
                    && ab[1].is_ascii_uppercase()
                    && after.is_char_boundary(2 + dot)
                    && record_in_brackets_after(&after[2 + dot..]);
                let found = if record_in_brackets_after(after)
                    && !is_upper(text, t0)
                    && !code_range_in_brackets(after)
                    // ("- Sclerotherapy (36471): ...": a procedure and its CPT code.)
                    && !procedure_code_in_brackets(after)
                    && (bulleted_line_start(text, doc.line_start(t0.s), t0.s)
                        || initial_opens_line(text, doc.line_start(t0.s), t0.s))
                {
                    // "- Whitcombe (NGC-120937) - waiting on Dr. Voss for 2 blanks": a hand-off's
                    // item by surname and chart number.
                    let why = "surname starting a list item, before a record number";
                    Some((t0.e, 0.85, "person.id_after", why))
                } else if (digits_in_brackets_after(after)
                    // ("07:30  ER  Kessler (LC-0048801)  10/13 19:30": or a record number with
                    // its letters, blind batch 51.)
                    // (Not a product after an article: "We ordered the Pierce (CV-2240088)
                    // reagent kit".)
                    || chart_number_with_letters_in_brackets(after)
                        && !words!["the", "a", "an", "our", "this", "that", "their"]
                            .eq_any(last_word(&text[..t0.s], b" \t\n(")))
                    && !is_upper(text, t0)
                    && s.surnames.has_token(text, lc, t0, &mut buf)
                    && !s.first_names.has_token(text, lc, t0, &mut buf)
                {
                    // "HD late start, Pritchett (00517736) - 29 min late": a surname the lists
                    // know, anywhere, before a chart number of digits alone in brackets.
                    let why = "surname before a chart number in brackets";
                    Some((t0.e, 0.85, "person.id_after", why))
                } else if initial_then_record && s.first_names.has_token(text, lc, t0, &mut buf) {
                    let why = "first name and initial before a record number";
                    Some((t0.e + 2, 0.85, "person.id_after", why))
                } else if caller_about_after(after)
                    && t0.e - t0.s >= 4
                    && !is_upper(text, t0)
                    && sentence_opener(text, doc.line_start(t0.s), t0.s)
                    && s.surnames.has_token(text, lc, t0, &mut buf)
                    && !s.first_names.has_token(text, lc, t0, &mut buf)
                {
                    // "Moss called back re deductible on the L&D", "Briggs called upset about the
                    // 2nd statement": an office's note names the caller by surname (a colleague
                    // goes by first name).
                    let why = "surname opening a note on what the caller called about";
                    Some((t0.e, 0.8, "person.caller", why))
                } else if care_event_after(after)
                    && s.first_names.has_token(text, lc, t0, &mut buf)
                    // ("ED admitted holds ..... 19": a department in capitals, not Ed.)
                    && !(is_upper(text, t0) && t0.e - t0.s <= 3)
                {
                    let why = "name before a hospital stay, a diagnosis or a visit";
                    Some((t0.e, 0.85, "person.event_after", why))
                } else if no_show_after(after)
                    && !is_upper(text, t0)
                    && t0.e - t0.s >= 4
                    && s.surnames.has_token(text, lc, t0, &mut buf)
                    && !s.first_names.has_token(text, lc, t0, &mut buf)
                {
                    // "Delgado no-showed again (3/11 9am), that's 3 in 60 days": a surname the
                    // lists know, before a missed visit (blind set TK; weak evidence).
                    let why = "surname before a missed visit";
                    Some((t0.e, 0.7, "person.no_show", why))
                } else if (after.starts_with("'s ") || after.starts_with("\u{2019}s "))
                    && possessive_care_after(doc.after_line(t0.e, 64))
                    && !is_upper(text, t0)
                    && !EPONYMS.eq_any(&lc[t0.s..t0.e])
                {
                    // "Reminder: Mateo's speech session Thursday", "Ava's insurance
                    // benefits": a child named to a parent by what is theirs (weak: an
                    // organisation has sessions too).
                    let why = "name before 's and a visit, a therapy or a record";
                    Some((t0.e, 0.75, "person.possessive_care", why))
                } else if weight_after(after)
                    && !is_upper(text, t0)
                    && t0.e - t0.s >= 4
                    && text[doc.line_start(t0.s)..t0.s]
                        .trim_start_matches(['-', '*', ' ', '\t', '>'])
                        .is_empty()
                    && (s.surnames.has_token(text, lc, t0, &mut buf)
                        || hyphenated_surname(s, text, lc, t0))
                    && !s.first_names.has_token(text, lc, t0, &mut buf)
                {
                    // "Brubaker - 248 lb - rest 0715": a line opens with a surname and a body
                    // weight, a patient's (a nuclear pharmacy's add-on doses, blind batch 76;
                    // not "Hoyer lift - 400 lb capacity", see `weight_after`).
                    let why = "surname opening a line before a body weight";
                    Some((t0.e, 0.85, "person.weight", why))
                } else {
                    surname_list_item(s, text, lc, doc, t0, after, &mut buf).map(|why| {
                        let e = t0.e + initial_after(after).unwrap_or(0);
                        (e, 0.7, "person.list_surname", why)
                    })
                };
                if let Some((e, score, rule, why)) = found {
                    push(out, Some(Label::Person), t0.s, e, score, rule, why);
                    for t in run.iter() {
                        patient_words.push((t.s, t.e));
                    }
                }
            }
            i = next_i;
            continue;
        }
        // A patient signs with a name, not an acronym ("CPC") or a department line ("Patient
        // Financial Services | Oak Park Pediatrics" in the practice's quoted reply).
        let own_signature = doc.from_consumer
            && doc.in_sig(start)
            // (The signature's own block: "Take care,\nMegan" above a patient's quoted mail
            // is the practice's.)
            && doc.consumer_writes_at(start)
            && !(credential
                || staff_before
                || run.len() == 1 && is_upper(text, t0)
                // (Around the name, at most 120 bytes either way: a line may be megabytes.)
                || has_word(
                    &text[floor_cb(text, start.saturating_sub(120)).max(ls)
                        ..ceil_cb(text, (end + 120).min(le))],
                    ORG_WORDS,
                ));
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
            for t in run.iter() {
                patient_words.push((t.s, t.e));
            }
            i = next_i;
            continue;
        }
        let is_writer = run.len() >= 2
            && doc.writer.is_some_and(|w| {
                let name = &text[start..end];
                w.len() >= name.len()
                    && w.as_bytes()[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            });
        let colleague_mailbox = matches!(after.as_bytes(), [b' ', b'(' | b'<', ..])
            && doc.writer_domain.is_some_and(|d| {
                // (`after` is cut at 24 bytes: a mailbox runs longer.)
                let tail = doc.after_line(end, 80);
                let inner = tail
                    .strip_prefix(" (")
                    .or_else(|| tail.strip_prefix(" <"))
                    .unwrap_or("");
                let mailbox = inner.split([')', '>', ' ', ',']).next().unwrap_or("");
                mailbox
                    .split_once('@')
                    .is_some_and(|(_, md)| md.eq_ignore_ascii_case(d))
            });
        // "Two of us will be there (me and Carmen Villalobos)", "Priya Natarajan and I will
        // visit": someone working beside the writer (not after a cue: "my husband Joe and I").
        let with_writer = run.len() >= 2 && pw & PW_CUE == 0 && {
            let pl = prev_trim.as_bytes();
            pl.len() >= 6
                && pl[pl.len() - 6..].eq_ignore_ascii_case(b"me and")
                && pl
                    .get(pl.len().wrapping_sub(7))
                    .is_none_or(|c| !c.is_ascii_alphanumeric())
                || after.starts_with(" and I ")
                || after.starts_with(" and me")
        };
        // "[8:02 AM] Priya Venkataraman": a speaker in a team chat pasted into mail between the
        // organisation's own mailboxes that says it is a Teams thread (blind batches 37 and
        // 40); a patient's text thread comes from a personal mailbox or a phone.
        let team_chat_speaker = run.len() >= 2
            && !doc.consumer
            && (chat_stamp_before(text, ls, start) || chat_stamp_after(text, ls, start, end))
            // ("FW: chat from this morning ... [9:20 AM] Brandon Ruiz: anyone seen ...", blind
            // batch 43.)
            && (memchr::memmem::find(text.as_bytes(), b"Teams").is_some()
                || has_word(text, words!["chat"]));
        let is_staff = staff_before
            || credential
            || doc.in_sig(start)
            || is_writer
            || colleague_mailbox
            || with_writer
            || team_chat_speaker
            || start == ls && staff_roster_row(text, ls)
            || payroll_table_row(text, ls, start);
        if is_staff {
            for t in run.iter() {
                staff.push((t.s, t.e));
            }
            if credential && let Some(last) = run.last() {
                credentialed.push((last.s, last.e));
            }
            i = next_i;
            continue;
        }
        let possessive = after.starts_with("'s") || after.starts_with("\u{2019}s");
        // (Only spaces or the title's dot between: "CT/MR (RR1)" is a scanner and a room.)
        // "Estimado Sr. Quispe Mamani:": "Sr." is a title after a greeting (elsewhere as often
        // "Senior", "Sr. Claims Adjuster", or a name's end, "Declan Byrne Sr.").
        let greeted_sr = prev_word == "Sr"
            && prev_words.flags(word_before(text, prev_word, b" ,")) & PW_GREET != 0;
        let title_before = (pw & PW_TITLE != 0 || greeted_sr)
            // ("I really don't want to miss IOP": the verb, in lower case.)
            && prev_word != "miss"
            // ("1. MR SHOULDER RT WO/W CONTRAST": a magnetic resonance study's order.)
            && !(prev_word == "MR" && mr_study_order(doc.after_line(start, 60)))
            // ("Tomasz: Harlow MS AM, Birchwood PM": a middle school in the morning.)
            && !matches!(&text[run[0].s..run[0].e], "AM" | "PM")
            && prev_line.trim_end_matches([' ', '.']).ends_with(prev_word)
            && prev_trim.len() >= prev_word.len()
            // ("Cascade MS            Hawthorne Elem": a column gap, not a title's space; nor
            // two spaces after a title without its dot, "MR  PRODUCT NOT ON FORMULARY", a
            // claim's reject code, blind set YE.)
            && {
                let gap = &prev_line[prev_line.trim_end_matches([' ', '.']).len()..];
                gap.len() <= 1 || gap.len() == 2 && gap.starts_with('.')
            }
            // ("switch to LC-MS/MS. Results ...": a method's name, not "Ms. Results".)
            && {
                let tl = prev_line.trim_end_matches([' ', '.']).as_bytes();
                !matches!(tl.len().checked_sub(prev_word.len() + 1).map(|k| tl[k]), Some(b'/' | b'-'))
            }
            // ("the MS Cool-Down class": multiple sclerosis, in capitals with no dot, before
            // a hyphenated word; blind batch 77. "MS JONES" is a title in capitals.)
            && !(prev_line.trim_end().ends_with(" MS")
                && text[run[0].s..run[run.len() - 1].e].contains('-')
                && !run.iter().all(|&t| is_upper(text, t)));
        // "Simone Achebe, PT, DPT ... Ms. Achebe started with us March 9": the surname of a
        // member of staff named earlier with a credential.
        if title_before
            && run.len() == 1
            // (The last 16 only: a long message keeps the look-up bounded.)
            && credentialed
                .iter()
                .rev()
                .take(16)
                .any(|&(a, b)| text[a..b] == text[run[0].s..run[0].e])
        {
            staff.push((run[0].s, run[0].e));
            i = next_i;
            continue;
        }
        // "From: SecureMed Pharmacy Services - Billing <ar@...>\nTo: Denise Wachowski
        // <dwachowski@kesslercountyoh.gov>\n...\nDear Ms. Wachowski,": mail between two
        // organisations greets its reader, a member of the other's staff.
        // ("Mr. Paik,\n\nThis is to confirm the routine announced inspection": the title
        // alone opens the salutation's line, blind batch 76.)
        if title_before
            && run.len() == 1
            && (words!["dear", "hi", "hello"]
                .eq_any(prev_line.split_whitespace().next().unwrap_or(""))
                // (The comma first, and the line's start at most 8 bytes back: a line may be
                // megabytes of "Mr. Aaaa, ".)
                || text[end..].starts_with(",\n")
                    && start - doc.line_start(start) <= 8
                    && text[doc.line_start(start)..start].split_whitespace().count() == 1)
            && addressee_at_an_organisation(doc, &text[run[0].s..run[0].e])
        {
            staff.push((run[0].s, run[0].e));
            i = next_i;
            continue;
        }
        let org_after = || {
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
            // ("My wife Ruth and I": a couple, not a firm.)
            let couple = after_first == "and"
                && after[after.find("and").map_or(0, |k| k + 3)..]
                    .trim_start()
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .is_some_and(|w| matches!(w, "I" | "me" | "my" | "her" | "his"));
            // "Maple Creek Family Medicine": up to two more capitalised words, then the
            // organisation word.
            let org_later = || {
                after
                    .split(' ')
                    .skip(1)
                    .take(3)
                    .take_while(|w| w.as_bytes().first().is_some_and(u8::is_ascii_uppercase))
                    .skip(1)
                    .any(|w| ORG_AFTER.eq_any(w.trim_end_matches(|c: char| !c.is_alphanumeric())))
            };
            after.starts_with(' ') && (ORG_AFTER.eq_any(after_first) || org_later()) && !couple
                || possessive && ORG_AFTER.eq_any(after_word)
        };
        // ("Wife Rosa and son Daniel": after a relative, "and" joins people, not a firm.)
        // ("Dear Tobenna and Leah," greets two people.)
        let greeted_pair = pw & PW_GREET != 0 && after.starts_with(" and ");
        // ("roster update for Loma Clara Community Health Center": "for", "about" and the
        // like also come before an organisation.)
        let weak_cue = words!["for", "about", "re", "regarding", "saw", "seeing"].eq_any(prev_word);
        // ("Client: Calloway Valley Medical Center (Client #4471-OH)": a vendor's client is a
        // business.)
        let org_cue = weak_cue || words!["client", "customer"].eq_any(prev_word);
        // "Called Farid Haidari this am for Zainab (WH-0004128, E88.40)": one word, then a
        // chart number opening a bracket.
        let bracket_record = || run.len() == 1 && record_opening_brackets_after(after, true);
        if !title_before && (pw & PW_CUE == 0 || org_cue) && !greeted_pair && org_after()
            // ("next steps for Oakview Commons", mail to jfortier@oakviewcommons.com.)
            || run.len() >= 2 && !title_before && run_is_a_domain(text, doc, &run)
            // ("St. Agnes Manor", "Saint Luke Medical": a saint's name is a place's.)
            || matches!(prev_word, "St" | "Saint") && !title_before
            // "(Mon Raman, Tue Adeyemi, Wed Lindqvist, Thu Marsh; ...)": a rota of weekdays and
            // surnames ("Thu" and "Sun" are given names too; not in such a list).
            || run.len() == 2 && weekday_rota(text, doc, run[0])
            // ("Courier schedule for Veterans Day": a holiday.)
            || run.len() == 2
                && &text[run[1].s..run[1].e] == "Day"
                && words![
                    "veterans", "memorial", "labor", "labour", "independence", "presidents",
                    "columbus", "thanksgiving", "christmas", "election", "juneteenth", "boxing",
                    "remembrance", "flag", "patriots"
                ]
                .eq_any(&text[run[0].s..run[0].e])
            // "1 implant pt (Eklund views, +15 min)", "a Valsalva maneuver": an eponym before
            // the view, manoeuvre or technique it names, after a cue word or not (blind batch
            // 37).
            || run.len() == 1
                && !title_before
                && words!["views", "maneuver", "maneuvers", "manoeuvre", "technique", "criteria"]
                    .eq_any(first_word(after))
            // ("Reports > Client Bill Detail": a report's title after "Client", a word the
            // lists say is no name after the given name; blind batch 38.)
            || run.len() == 1 && words!["client", "customer"].eq_any(prev_word) && {
                let w = first_word(after);
                let lw = w.to_ascii_lowercase();
                w.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
                    && NOT_NAMES_INDEX.contains(lw.as_bytes(), word_key(lw.as_bytes()))
            }
        {
            i = next_i;
            continue;
        }
        // "PO Box 6620, Columbus OH 43216": a city, its state and a ZIP code.
        let ab = after.as_bytes();
        if ab.len() >= 6
            && ab[0] == b' '
            && ab[1].is_ascii_digit()
            && run.len() >= 2
            && ab[2..6].iter().all(u8::is_ascii_digit)
            && STATES.contains(&&text[run[run.len() - 1].s..run[run.len() - 1].e])
        {
            i = next_i;
            continue;
        }
        let greet = pw & PW_GREET != 0;
        // (The title itself, "Estimado Sr.", is no name: the run after it is.)
        if greet && run.len() == 1 && &text[run[0].s..run[0].e] == "Sr" {
            i = next_i;
            continue;
        }
        let cue = pw & PW_CUE != 0;
        let form_label =
            cue && prev_word.eq_ignore_ascii_case("name") && form_name_label(prev_trim);
        // The dictionaries only matter after a cue word or for a run of two or more words.
        let need_dict = !title_before && !greet && (cue || run.len() >= 2 || comma_form);
        let first_in = need_dict && {
            let t = run[0];
            // ("Reports > Downtime > ED Board": two capitals before a word that is not in
            // capitals are an acronym, not "Ed".)
            let acronym =
                t.e - t.s == 2 && run.len() >= 2 && is_upper(text, t) && !is_upper(text, run[1]);
            !acronym
                && (s.first_names.has_token(text, lc, t, &mut buf)
                    || comma_form && s.surnames.has_token(text, lc, t, &mut buf))
        };
        let last_in = need_dict && {
            let t = run[run.len() - 1];
            s.surnames.has_token(text, lc, t, &mut buf)
                || comma_form && s.first_names.has_token(text, lc, t, &mut buf)
                || hyphenated_surname(s, text, lc, t)
                || apostrophe_surname(s, text, lc, t)
        };
        let any_in = first_in || last_in;
        let all_upper = run.iter().all(|&t| upper_quick(text, t));
        // "Client: ... Oral Surgery, Harlow Springs, OH", "doesn't do femto at Tillman Creek",
        // "the Brennan Hall RA", "numbers for Sand Creek ED only": a given name before a
        // place's last word names a town, a building or a street after "the", "at", "on" or
        // "in", or before a state's code or a unit's acronym.
        let place_named = || {
            let a = after.as_bytes();
            // Two to four capitals after `a[..k]`, then no letter.
            let caps_at = |k: usize| {
                let n = a.get(k..).map_or(0, |r| {
                    r.iter().take_while(|c| c.is_ascii_uppercase()).count()
                });
                (2..=4).contains(&n) && a.get(k + n).is_none_or(|c| !c.is_ascii_alphabetic())
            };
            // "returned from rural Sierra Leone", "Hong Kong": a country whose two words
            // are also a given name and a surname (blind batch 78).
            run.len() == 2 && {
                let (w0, w1) = (&text[run[0].s..run[0].e], &text[run[1].s..run[1].e]);
                TWO_WORD_COUNTRIES.iter().any(|(a, b)| {
                    eq_lower(w0.as_bytes(), a.as_bytes()) && eq_lower(w1.as_bytes(), b.as_bytes())
                })
            } || run.len() == 2
                && !comma_form
                && PLACE_WORDS.eq_any(&text[run[1].s..run[1].e])
                // ("for Granite Creek", "Re: Cold Creek Thursday": a first word that is no
                // given name makes it a place wherever it stands, before a word only a place
                // ends with; "Olena House" may be a person the lists do not know.)
                && (!first_in
                    && words![
                        "creek", "springs", "hollow", "ridge", "heights", "valley", "falls",
                        "lakes", "woods", "meadows", "hills", "knoll", "crossing", "commons",
                        "estates", "gardens", "acres", "farms", "pines", "oaks", "shores",
                        "cove", "glen", "landing", "terrace", "vista"
                    ]
                    .eq_any(&text[run[1].s..run[1].e])
                    || words!["the", "at", "on", "in", "near"].eq_any(prev_word)
                    // ("driving up from Marlow Springs": travel from or to a place; not "Woods"
                    // or "Hall", common surnames, "a letter from Dana Woods".)
                    || words!["from", "to"].eq_any(prev_word)
                        && words![
                            "creek", "springs", "hollow", "ridge", "heights", "valley", "falls",
                            "lakes", "meadows", "knoll", "crossing", "commons", "estates", "acres",
                            "pines", "oaks", "shores", "cove", "glen", "landing", "terrace", "vista"
                        ]
                        .eq_any(&text[run[1].s..run[1].e])
                    || a.len() >= 4
                        && a.starts_with(b", ")
                        && a[2..4].iter().all(u8::is_ascii_uppercase)
                        && STATES.contains(&&after[2..4])
                        && a.get(4).is_none_or(|c| !c.is_ascii_alphabetic())
                    || a.starts_with(b" ") && caps_at(1))
        };
        let (score, rule, reason): (f32, &'static str, &'static str) = if title_before {
            (
                0.9,
                "person.title",
                "Mr./Ms./Mrs. title before a capitalised name",
            )
        } else if greet {
            // "Dear Eastbrook families,", "Hi Cardiology team": a group, named by its place.
            // ("Dear Tenants,": the group's own name.)
            // ("Dear Outreach Client,", "Dear Valued Member,": a role, not a name.)
            let role = words![
                "client",
                "customer",
                "partner",
                "provider",
                "member",
                "colleague",
                "neighbor",
                "neighbour",
                "friend",
                "parent",
                "guardian",
                "vendor",
                "supplier",
                "tenant",
                "student",
                "resident",
                "patient",
                "applicant",
                "candidate",
                // ("Dear Manager,": a learning system's reminder to each manager of staff.)
                "manager",
                "supervisor",
                "director",
                "coordinator",
                "administrator",
                "employee",
                "sir",
                "madam",
                // ("Dear School Immunization Contact,": a mailing list's role, blind batch 39.)
                "contact",
                "representative",
                "liaison",
            ];
            // ("Dear Calder Ridge students,": the group word may follow a place's other words.)
            let group = after
                .split([',', '!', ':', '\n'])
                .next()
                .unwrap_or("")
                .split(' ')
                .filter(|w| !w.is_empty())
                .take(3)
                .any(|w| GROUP_WORDS.eq_any(w))
                || run.len() == 1 && GROUP_WORDS.eq_any(&text[run[0].s..run[0].e])
                // ("Dear Facility Leaders,": a group's word ends the run.)
                || run.len() > 1 && GROUP_WORDS.eq_any(&text[run[run.len() - 1].s..run[run.len() - 1].e])
                || role.eq_any(&text[run[run.len() - 1].s..run[run.len() - 1].e])
                // ("Dear Outreach Client,": a role word the name rules do not read as a name.)
                || role.eq_any(first_word(after));
            // Mail between two organisations' mailboxes greets a colleague, unless it speaks
            // to the reader of their own care ("your labs ... are back": an onsite clinic's
            // patient at the employer's mailbox).
            let colleague =
                doc.internal && !*own_care.get_or_insert_with(|| speaks_of_readers_care(lc));
            if colleague || doc.business || group || doc.consumer_writes_at(start) {
                (0.0, "", "")
            } else {
                (0.8, "person.greeting", "greeting in patient-facing mail")
            }
        } else if cue
            && !place_named()
            && (run.len() >= 2
                || any_in
                // (Where the name ends: a cell's or a line's end, punctuation, or what the
                // child did or has, not "Baby Boy Blues class".)
                || newborn
                    && (after.is_empty()
                        || after.starts_with(['\n', '\r', ',', '.', ';', ':', ')', '('])
                        || after.starts_with("  ")
                        || person_verb_after(after)
                        || [" was ", " is ", " has ", " had ", " born", " (", " DOB", " MRN"]
                            .iter()
                            .any(|p| after.starts_with(p)))
                || RELATIVES.eq_any(prev_word)
                // "First Name:            Priyanka", "Last Name:   Venkataraman": a form's name
                // field holds a name the lists may not know, alone on its line or before the
                // next column, unless it says there is none yet ("Name: Pending", "Unknown").
                || run.len() == 1
                    && form_label
                    && (after.is_empty()
                        || after.starts_with(['\n', '\r'])
                        || after.starts_with("  ")
                        || after.starts_with('\t'))
                    && !NO_NAME_YET.eq_any(&text[run[0].s..run[0].e])
                    && !NOT_NAMES_INDEX.contains(
                        &lc.as_bytes()[run[0].s..run[0].e],
                        word_key(&lc.as_bytes()[run[0].s..run[0].e]),
                    )
                // "still waiting on CT A/P for Okafor acc LK2503120031": a chart or accession
                // number right after (after a cue only: "Riverbend MRN" is a hospital's).
                || run.len() == 1 && record_cue_after(after)
                || bracket_record()
                // "5N-512 pt Pettiford is using her own BiPAP": a surname the lists lack after
                // "pt" or "patient", then what the person does.
                || words!["pt", "patient"].eq_any(prev_word)
                    // (Right after it: "new pt, Lindqvist wants her in" is the doctor.)
                    && prev_trim.ends_with(prev_word)
                    && !word_shaped(&text[run[0].s..run[0].e])
                    && (person_verb_after(after)
                        || [" is ", " was ", " has ", " had "]
                            .iter()
                            .any(|p| after.starts_with(p))))
            // "9 new Patient Access Reps", "Patient Financial Counselor": "patient" before a
            // word that makes it a kind of thing is a department's or a job's name.
            && !((prev_word.eq_ignore_ascii_case("patient")
                || prev_word.eq_ignore_ascii_case("client"))
                && PATIENT_AS_MODIFIER.eq_any(&text[run[0].s..run[0].e]))
            // ("Attn: Child Life", "Child Protective Services": a department, not a child.)
            && !(prev_word.eq_ignore_ascii_case("child")
                && words!["life", "protective", "development", "psychiatry", "services", "care"]
                    .eq_any(&text[run[0].s..run[0].e]))
            // "Talent Acquisition Partner, Riverbend Health": a cue word inside a title (after
            // another capitalised word) is a job's, not a relative. (Not a form's label,
            // "Patient Name:", "First Name:".)
            && (form_label
                || !(prev_word.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
                && !newborn
                && {
                    // (`prev_word` is a slice of `prev_line`, and its last occurrence there:
                    // only delimiters follow it. Where it starts, without a search.)
                    let k = prev_word.as_ptr() as usize - prev_line.as_ptr() as usize;
                    let head = prev_line[..k].trim_end();
                    last_word(head, b" \t")
                        .as_bytes()
                        .first()
                        .is_some_and(u8::is_ascii_uppercase)
                }))
            // ("New applicant - Psychiatric Mental Health Nurse Practitioner"; "our mail-order
            // partner CareFill": a brand.)
            && (any_in
                || !run
                    .iter()
                    .any(|t| word_shaped(&text[t.s..t.e]) || brand_shaped(&text[t.s..t.e])))
            // ("Patient:           CHAVARRIA, J": a field's surname in capitals and an initial,
            // blind set SO.)
            // ("Member last name:  HALVORSEN": the label asks for the surname alone, blind
            // batch 43.)
            && !(all_upper
                && !comma_form
                && run.len() == 1
                && !(form_label && has_word(doc.before_line(run[0].s, 40), words!["last name"]))
                && !(text[..run[0].s].trim_end().as_bytes().last() == Some(&b':')
                    && !prev_word.eq_ignore_ascii_case("re")
                    && after.starts_with(", ")
                    && after.as_bytes().get(2).is_some_and(u8::is_ascii_uppercase)
                    && !after.as_bytes().get(3).is_some_and(u8::is_ascii_alphabetic)))
            // "CALL ANY PATIENT BOOKED AFTER 2:00 PM": in capitals, words are a name only when
            // the name lists know one of them, or a label says so ("PATIENT: DE JESÚS").
            // ("CALL DISPATCH FOR VAN PICKUP": after a weak cue, a given name the lists know
            // before a word that is no surname is two words in capitals, blind batch 34;
            // "SISTER MAE KORNELSEN" is a name.)
            && (!all_upper
                || comma_form
                || if run.len() >= 2 && weak_cue { last_in } else { any_in }
                // (Not a reply's "RE: PAST DUE", nor an alert's "CONTACT: DUTY OFFICER LT.".)
                || text[..run[0].s].trim_end().as_bytes().last() == Some(&b':')
                    && !prev_word.eq_ignore_ascii_case("re")
                    && (any_in || !prev_word.eq_ignore_ascii_case("contact")))
            // "Patient Access Specialist", "Patient Financial Services": a job or a department;
            // "scheduled for Thu AM": a time.
            && !matches!(&text[run[run.len() - 1].s..run[run.len() - 1].e], "AM" | "PM")
            // ("Records of Mo-99 breakthrough testing": an isotope, its mass number after a
            // hyphen; blind batch 76.)
            && !(after.starts_with('-') && after.as_bytes().get(1).is_some_and(u8::is_ascii_digit))
            // "Deadline for April MEC is 3/21", "the June P&T": a month and a committee's
            // letters name a meeting.
            && !(run.len() == 2
                && MONTH_NAMES.eq_any(&text[run[0].s..run[0].e])
                && is_upper(text, run[1])
                && run[1].e - run[1].s <= 5)
            && !(STAFF_ROLES.eq_any(&text[run[run.len() - 1].s..run[run.len() - 1].e])
                || ORG_AFTER.eq_any(&text[run[run.len() - 1].s..run[run.len() - 1].e]))
            // "our sports medicine partner Ridgeline Sports Medicine": a capitalised
            // organisation word right after the run names an organisation (blind set RU).
            && !(after.starts_with(' ')
                && after.as_bytes().get(1).is_some_and(u8::is_ascii_uppercase)
                && ORG_AFTER.eq_any(first_word(after)))
            // "Client: Brightwater Plastic & Reconstructive Surgery": words joined by "&" to a
            // practice's or a firm's name (blind set SI); not a couple, "John & Mary Smith".
            && !(after.starts_with(" & ")
                && has_word(
                    doc.after_line(end, 60),
                    words![
                        "surgery", "associates", "partners", "medicine", "medical", "health",
                        "clinic", "group", "dental", "dermatology", "orthopedics", "pediatrics",
                        "services", "llc", "inc", "pllc", "pc", "co", "company", "sons",
                        // ("Client: Hollow Brook Therapeutic Riding & Hippotherapy Center": a
                        // vet's client, a riding centre, blind batch 77.)
                        "center", "centre", "hospital", "institute", "foundation", "program",
                        "therapy", "rehabilitation",
                    ],
                ))
            // A weak cue ("for", "regarding") before words the name lists do not know says
            // nothing: the rules below decide ("regarding Deepak Raghunathan, DOB 05/29/1987").
            && !(weak_cue
                && !(run.len() >= 2 && any_in || comma_form)
                && !(run.len() == 1
                    && (record_cue_after(after)
                        || words!["saw", "seeing"].eq_any(prev_word) && visit_day_after(after)))
                && !bracket_record())
            // ("agreeable to seeing Leah Brightwater for therapy": the clinician; "seeing" says
            // patient only before a visit's day.)
            && (!prev_word.eq_ignore_ascii_case("seeing") || visit_day_after(after))
        {
            // "please contact Lorraine Gish at 717-555-0188": a member of staff to write to;
            // "Name     Degree   Specialty": a table's column headings.
            // ("Sub RN contact: Lucy Abernathy": a post's contact is that member of staff.)
            let staff_contact = prev_word.eq_ignore_ascii_case("contact")
                && (has_word(prev_line, words!["please", "questions", "question"]) || {
                    let w = word_before(text, prev_word, b" :");
                    CREDENTIALS.eq_any(w) && w.bytes().all(|c| c.is_ascii_uppercase())
                        || STAFF_ROLES.eq_any(w)
                });
            let heading = prev_word.eq_ignore_ascii_case("name")
                && text[..run[0].s].ends_with("  ")
                && !text[..run[0].s].trim_end().ends_with(':');
            // ("RE: PAST DUE - Invoice 20931": a reply's subject in capitals.)
            let reply_caps = prev_word.eq_ignore_ascii_case("re") && all_upper && !comma_form;
            // ("Client:          Riverbend Allergy, Asthma & Immunology, P.C.": a business,
            // by its legal form further on the line.)
            let business = ends_with_legal_form(doc.after_line(end, 80));
            // ("use the test patient ZZTEST, CCMONE": a record system's test patient.)
            let test_patient = test_patient_at(text, run[0].s);
            // ("NAME (LAST, FIRST):  PETRENKO, OKSANA": the form's own words for the order of
            // the name, blind batch 64.)
            let order_words = run.iter().all(|t| {
                words!["last", "first", "middle", "mi", "given", "family"].eq_any(&text[t.s..t.e])
            });
            if staff_contact || heading || reply_caps || business || test_patient || order_words {
                (0.0, "", "")
            } else if prev_word.eq_ignore_ascii_case("contact") {
                // "Customer: Brightwater Dental Group ... Contact: Lorraine Pettigrew": a form's
                // contact is as often a business's as a patient's family's; weak evidence.
                (0.75, "person.cue", "name after a contact label")
            } else {
                (
                    0.85,
                    "person.cue",
                    "patient/relative cue word before a name",
                )
            }
        } else if (run.len() >= 2 || comma_form) && any_in && relative_in_brackets_after(after) {
            // "ADD:   Luz Delgado (maternal grandmother), ph 937-555-0128", "Marisol Ruiz
            // (mother/guardian)": a patient's family, named with the relation.
            // (A rule of its own: a relative named so is a patient's family even in mail to a
            // team, unlike a cue word's name in group news.)
            (
                0.85,
                "person.relative",
                "name before a family relation in brackets",
            )
        } else if (run.len() >= 2 || comma_form) && any_in && patient_apposition_after(after) {
            (
                0.85,
                "person.patient_after",
                "name before words that call the person a patient",
            )
        } else if (run.len() >= 2 || comma_form) && any_in && care_event_after(after) {
            (
                0.85,
                "person.event_after",
                "name before a hospital stay, a diagnosis or a visit",
            )
        } else if (run.len() >= 2 || comma_form)
            // ("Brannock University Medical Center Institutional Review Board (IRB00004417)": a
            // body's name before its registration number, blind batch 63.)
            && !ORG_AFTER.eq_any(&text[run[run.len() - 1].s..run[run.len() - 1].e])
            // ("Subject: Packing List PL-2025-3381": a document's kind before its number, a
            // donor's shipment, blind batch 65.)
            && !words![
                "list", "slip", "manifest", "sheet", "log", "invoice", "receipt", "roster", "order"
            ]
            .eq_any(&text[run[run.len() - 1].s..run[run.len() - 1].e])
            && (patient_id_after(after)
                // ("Update on Amir Haddad (2210394)", "Dr V - Declan Moss CRG-0039754 labs": a
                // surname the lists know is enough before a chart number.)
                || first_in && record_in_brackets_after(after)
                || last_in && record_in_brackets_after(after) && {
                    // (Six digits or more: "Fluzone High-Dose (90662)" is a product's code.)
                    let inner = after.trim_start_matches([' ', '(']);
                    inner
                        .bytes()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-')
                        .filter(u8::is_ascii_digit)
                        .count()
                        >= 6
                }
                // (Not a product's name and serial in an equipment list: "Alice NightOne
                // 7A-220417", blind batch 35.)
                // (Nor a vendor's priced line: "09/04/25   Camp Hill   KBW-0904-1187   Sharps
                // container ... $138.00", a site and a manifest, blind batch 56.)
                || (comma_form || run.len() == 2)
                    && any_in
                    && record_after(after)
                    && !run.iter().any(|t| brand_shaped(&text[t.s..t.e]))
                    && !(run.len() == 2
                        && (PLACE_WORDS.eq_any(&text[run[1].s..run[1].e])
                            || text[run[1].s..run[1].e].eq_ignore_ascii_case("hill"))
                        && doc.business
                        && price_on_line(doc, end))
                // "before i drop BEGUM, NASRIN HR00544390 (icu 10/6-10/11)": "LAST, FIRST" in
                // capitals, then a chart number of a few letters and six digits or more.
                || comma_form && all_upper && chart_number_after(after)
                // "FYI Ifeoma Okonjo (PLA-0052310) had a large local": two words the lists
                // lack, a chart number in brackets with a letter prefix and six digits or
                // more, and what happened to the person after it.
                || run.len() == 2
                    && !all_upper
                    && !run.iter().any(|t| {
                        word_shaped(&text[t.s..t.e]) || brand_shaped(&text[t.s..t.e])
                    })
                    && record_in_brackets_after(after)
                    && {
                        let inner = after.trim_start_matches([' ', '(']);
                        let code = &inner[..inner
                            .bytes()
                            .position(|c| !(c.is_ascii_alphanumeric() || c == b'-'))
                            .unwrap_or(inner.len())];
                        code.as_bytes()[0].is_ascii_alphabetic()
                            && code.bytes().filter(u8::is_ascii_digit).count() >= 6
                            && [" had ", " has ", " was ", " is ", " called", " came"]
                                .iter()
                                .any(|v| inner[code.len() + 1..].starts_with(v))
                    })
                // "Result for Kateryna Melnyk (collected 03/10/2025, specimen ID ...)": two
                // words the lists lack, then when the person's specimen was collected; "the
                // anesthesia record for Olumide Bankole (acct 2214087, DOS 10/10/2024": then
                // the person's account or chart number, birth date or date of service.
                || run.len() == 2
                    && !all_upper
                    && !run.iter().any(|t| {
                        word_shaped(&text[t.s..t.e]) || brand_shaped(&text[t.s..t.e])
                    })
                    && run.iter().all(|&t| plain_name_word(lc, t))
                    && record_cue_in_brackets(after)
                // "member\nRosalind Achterberg (SHP ID SHP0038845210, DOB 04/02/1959)": a
                // bracket right after the name that gives a birth date.
                || (run.len() == 2 || comma_form) && any_in && {
                    let rest = doc.after_line(end, 64);
                    rest.starts_with(" (")
                        && has_word(
                            &rest[..rest.find(')').unwrap_or(rest.len())],
                            words!["dob", "d.o.b", "born"],
                        )
                }
        {
            (
                0.85,
                "person.id_after",
                "name right before a date of birth or record number",
            )
        } else if run.len() >= 2
            && first_in
            && last_in
            && !all_upper
            && !place_named()
            // ("Grace Church, 50 E. King Street": a church, though "Church" is a surname too;
            // blind batch 81.)
            && !ORG_AFTER.eq_any(&text[run[run.len() - 1].s..run[run.len() - 1].e])
            // ("our new midwife Tess Vandermolen needs the Nexplanon training": a colleague.
            // Not "employee" or "driver": an occupational health clinic's patients.)
            && (!colleague_word(prev_word) || words!["employee", "driver"].eq_any(prev_word))
            || comma_form && first_in && last_in
            // "OKONJO, CHIDI E" on a worklist or in a subject: the capitals and the comma
            // order say name; one of the two in the lists is enough.
            // ("SPASTICITY, TONE AND GAIT": a title's words, blind batch 36.)
            || comma_form
                && all_upper
                && (first_in || last_in)
                && !word_shaped(&text[run[0].s..run[0].e])
            // So does a hand-off's item: "1. Adjei-Mensah, Kwame (BOT, wk 5) - ...".
            || comma_form && comma_list_item && (first_in || last_in)
            // And "3. Rachel Lindqvist - recurrent UTI on nitrofurantoin": a given name and a
            // surname the lists lack, starting a numbered or bulleted item that goes on with a
            // dash or a bracket.
            || run.len() == 2
                && !comma_form
                && first_in
                && !all_upper
                && [" (", " - ", " \u{2013} "].iter().any(|p| after.starts_with(p))
                && bulleted_line_start(text, doc.line_start(run[0].s), run[0].s)
                && {
                    // ("- Austin Office - closed Friday", "2. Jordan Hall (room 2)": a place.)
                    let w = &text[run[1].s..run[1].e];
                    !(ORG_AFTER.eq_any(w)
                        || ORG_WORDS.eq_any(w)
                        || STAFF_ROLES.eq_any(w)
                        || word_shaped(w))
                }
            // "Maya Delacroix completed step 5 of the RTP progression": a given name and a
            // surname the lists lack, then what the person did (a verb in the past tense or
            // an auxiliary). Weak evidence like the lists' names.
            || run.len() == 2
                && !comma_form
                && first_in
                && !all_upper
                && person_verb_after(after)
                && {
                    let w = &text[run[1].s..run[1].e];
                    w.len() >= 3
                        && !(ORG_AFTER.eq_any(w)
                            || ORG_WORDS.eq_any(w)
                            || STAFF_ROLES.eq_any(w)
                            || PLACE_WORDS.eq_any(w)
                            || word_shaped(w)
                            || brand_shaped(w))
                }
                // ("our new midwife Tess Vandermolen needs the training": a colleague.)
                && !colleague_word(prev_word)
        {
            (
                0.7,
                "person.dictionary",
                "first name and surname from Census lists",
            )
        } else {
            (0.0, "", "")
        };
        // A possessive is an eponym's ("Parkinson's", "Hodgkin's") unless a title, a cue or
        // both name lists say person ("any word on Kendall Brennan's arthrogram?"; an eponym
        // before "disease" or "syndrome" was passed over above).
        let full_name = run.len() >= 2
            && first_in
            && last_in
            && !(possessive && {
                // "check Paige Kerr's timesheet": a colleague's things.
                let w = after
                    .trim_start_matches(['\'', '\u{2019}', 's', ' '])
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("");
                STAFF_THINGS.eq_any(w)
            });
        if score > 0.0 && !(possessive && !title_before && !cue && !full_name) {
            // A job title after the name: staff (looked for only here, where it matters).
            if role_after(text, end, le, after) {
                for t in run.iter() {
                    staff.push((t.s, t.e));
                }
                i = next_i;
                continue;
            }
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
            // "RIDER ... MORALES PAREDES, ADRIAN": a two-word surname in capitals, then the
            // given name after a comma, the lists' (blind batch 52).
            let end = if run.len() == 2
                && !comma_form
                && is_upper(text, run[0])
                && is_upper(text, run[1])
            {
                let k = next_i;
                if k < toks.len()
                    && gap_is(text, end, toks[k].s, b", ")
                    && is_upper(text, toks[k])
                    && toks[k].e - toks[k].s >= 3
                    && s.first_names.has_token(text, lc, toks[k], &mut buf)
                {
                    toks[k].e
                } else {
                    end
                }
            } else {
                end
            };
            push(out, Some(Label::Person), start, end, score, rule, reason);
            // ("Member: CROSS, MICHAEL" names no one in "Blue Cross Blue Shield": a surname
            // that is also a word is found only where it was.)
            for t in run.iter().skip(usize::from(word_surname)) {
                patient_words.push((t.s, t.e));
            }
            if let Some((ns, ne)) = nickname_after(text, end) {
                let why = "nickname in quotes after a patient's name";
                push(out, Some(Label::Person), ns, ne, score, rule, why);
            }
            if let Some((as_, ae)) = age_after_name(after, end) {
                let why = "age over 89 right after a patient's name";
                push(out, Some(Label::Age), as_, ae, 0.85, "age.after_name", why);
            }
        }
        i = next_i;
    }
    // "Hi Sam," in mail without a personal mailbox: the patient, unless the message goes on to
    // name another patient (then Sam is a colleague).
    // Lower-cased words borrow the lower-cased text when ASCII; only others allocate.
    let lower_span = |(a, b): (usize, usize)| -> Cow<'_, str> {
        // (Bytes: a word's span is on char boundaries; the `lc` slice checks them once.)
        if text.as_bytes()[a..b].is_ascii() {
            Cow::Borrowed(&lc[a..b])
        } else {
            Cow::Owned(text[a..b].to_lowercase())
        }
    };
    let patient_lower: FastSet<Cow<'_, str>> = if greetings.is_empty() {
        FastSet::default()
    } else {
        patient_words.iter().copied().map(lower_span).collect()
    };
    for (gs, ge, words) in greetings {
        let greeted: FastSet<Cow<'_, str>> = words.iter().copied().map(lower_span).collect();
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
    let mut names: Vec<Cow<'_, str>> = patient_words
        .iter()
        .copied()
        .map(lower_span)
        // At least three chars: never with fewer bytes, exactly the bytes when ASCII (as a
        // borrowed word is).
        .filter(|w| {
            w.len() >= 3
                && (matches!(w, Cow::Borrowed(_)) || w.is_ascii() || w.chars().count() >= 3)
        })
        .collect();
    if names.is_empty() {
        return;
    }
    let staff_words = SmallSet::new(staff.iter().copied().map(lower_span).collect());
    names.retain(|w| !staff_words.contains::<str>(w));
    // A name found by the name lists alone whose words all turn out to be staff's elsewhere
    // in the message ("Gwen Talbot" in the body, "Gwen at ext. 4-3310" and "Gwen Talbot,
    // CPMSM" below) is staff here too.
    let staff_only = |c: &Cand| {
        c.rule == "person.dictionary"
            && text[c.start..c.end]
                .split([' ', ','])
                .filter(|w| !w.is_empty())
                .all(|w| {
                    // (`w` is a slice of `text`: its lower-cased form borrowed when ASCII.)
                    let a = w.as_ptr() as usize - text.as_ptr() as usize;
                    staff_words.contains::<str>(&lower_span((a, a + w.len())))
                })
    };
    // (This pass's candidates are looked at first: most messages drop none, and `retain` would
    // visit every candidate of every pass.)
    if !staff_words.is_empty() && out[first_cand..].iter().any(staff_only) {
        let mut k = 0;
        out.retain(|c| {
            k += 1;
            !(k > first_cand && staff_only(c))
        });
    }
    let names = SmallSet::new(names);
    if names.is_empty() {
        return;
    }
    // A [`word_key`] bit filter over the names, for ASCII tokens: most capitalised tokens fail
    // it without a hash look-up. 4096 bits, so that it stays sparse when a long message names
    // many patients. Names that are not ASCII (in lower case) are left out: they cannot equal an
    // ASCII token, and tokens that are not ASCII skip the filter.
    let mut name_bits = [0u64; NAME_BITS / 64];
    for w in names.iter().filter(|w| w.is_ascii()) {
        let k = word_key(w.as_bytes()) % NAME_BITS;
        name_bits[k / 64] |= 1 << (k % 64);
    }
    let already = SmallSet::new(patient_words.iter().map(|&(a, _)| a).collect());
    let coref = |out: &mut Vec<Cand>, t: Tok, why: &'static str| {
        push(
            out,
            Some(Label::Person),
            t.s,
            t.e,
            0.75,
            "person.coref",
            why,
        );
    };
    for &t in toks {
        if !t.cap {
            continue;
        }
        if t.ascii && !bit(&name_bits, t.key as usize % NAME_BITS) {
            // "Raymond Ferreira <rferreira.home@yahoo.com>" signing off "Ray" alone on a line
            // ("Ray\n\nSent from my iPhone"): a short form of a patient's given name (its first
            // three to five letters) is the patient too (14 names against 4 false ones on the
            // style corpus, two of them unlabelled sign-offs of a writing husband and son).
            // (Where a patient or their family writes: a colleague signing "Priya" under mail
            // about a patient Priyanka is someone else.)
            if (3..=5).contains(&(t.e - t.s))
                && doc.line_start(t.s) == t.s
                && doc.line_end(t.s) == t.e
                && doc.consumer_writes_at(t.s)
            {
                let w = &lc[t.s..t.e];
                if names
                    .iter()
                    .any(|n| n.len() >= w.len() + 2 && n.starts_with(w))
                {
                    coref(
                        out,
                        t,
                        "a short form of a patient's name, alone on its line",
                    );
                }
            }
            continue;
        }
        if !names.contains::<str>(low(text, lc, t, &mut buf)) || already.contains(&t.s) {
            continue;
        }
        let prev = doc.before_line(t.s, 12).trim_end_matches(['.', ' ']);
        let pw = prev
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if STAFF_TITLES.eq_any(pw) || doc.in_sig(t.s) {
            continue;
        }
        let after = doc.after_line(t.e, 16);
        if after.starts_with("'s") && !TITLES.eq_any(pw) {
            let aw = after[2..]
                .trim_start()
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            if ORG_AFTER.eq_any(aw) {
                continue;
            }
        }
        coref(
            out,
            t,
            "repeats a patient's name found elsewhere in the message",
        );
    }
}

/// Does a job title follow the name that ends at `end` (line end `le`; `after` from
/// [`after_name`])? On its line after a separator ("Bethany Kroll, CE Coordinator", "Phil
/// Ostrander | Account Rep"), or on the next line when the name ends its line (a signature
/// without a closing word: "Rhonda Kaminski" over "Practice Manager").
// Rare (once per name kept): out of line, so `persons` stays small enough for its hot
// closures to be inlined.
#[inline(never)]
fn role_after(text: &str, end: usize, le: usize, after: &str) -> bool {
    // "Maria Gutierrez (ext 3-4410)", "Shanice Ward (Coliseum Nephrology)": an extension or an
    // organisation in brackets after the name.
    if let Some(inner) = after.strip_prefix(" (") {
        let inner = &inner[..inner.find(')').unwrap_or(inner.len())];
        let ib = inner.as_bytes();
        // (An organisation's name: capitalised, ending in an organisation word; "(healthcare
        // proxy)" and "(Medical record # 0412)" are about the person.)
        let org_name = ib.first().is_some_and(u8::is_ascii_uppercase)
            && !ib.iter().any(u8::is_ascii_digit)
            && ORG_WORDS.eq_any(last_word(inner, b" "));
        // ("Kayla Dunn (EE #1047)": a payroll's employee number; not "(employee ID E40288)",
        // which an employer's leave office writes of its own staff who are patients.)
        let employee = [&b"ee #"[..], b"ee#"]
            .iter()
            .any(|p| ib.len() >= p.len() && ib[..p.len()].eq_ignore_ascii_case(p));
        // ("Ben Tran (pharmacy) confirmed it was a documentation error", "Yaneli Ortiz (Member
        // Services)": a department alone in the bracket, blind set SX. Not "(HR)": an
        // "Employer contact:    Dale Hutchins (HR)" is the patient's employer's.)
        let department = words![
            "pharmacy",
            "it",
            "billing",
            "finance",
            "payroll",
            "facilities",
            "security",
            "compliance",
            "registration",
            "scheduling",
            "member services",
            "customer service",
            "front desk",
            "admin",
            "legal",
            "purchasing",
            "materials management",
            "informatics",
            "quality"
        ]
        .eq_any(inner.trim());
        if ib.len() >= 3 && ib[..3].eq_ignore_ascii_case(b"ext")
            || ib.len() >= 2 && ib[0] == b'x' && ib[1].is_ascii_digit()
            || org_name
            || employee
            || department
        {
            return true;
        }
    }
    if extension_after(after) {
        return true;
    }
    // "Grace Liang, our music therapy intern", "Tasha Greenlee from our education team will
    // present": one of ours (unless "our patient", "from our patient portal").
    // ("New keys will come from Hector Villanueva on our IT team", blind set YC.)
    if let Some(rest) = after
        .strip_prefix(", our ")
        .or_else(|| after.strip_prefix(" from our "))
        .or_else(|| after.strip_prefix(" on our "))
        .or_else(|| after.strip_prefix(" of our "))
    {
        let w = rest
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        return !words![
            "patient",
            "patients",
            "client",
            "clients",
            "resident",
            "residents",
            "member",
            "members",
            "guest",
            "guests",
            "mother",
            "father",
            "son",
            "daughter",
            "family",
            "families",
        ]
        .eq_any(w);
    }
    // "The CRA is Tobias Renwick from Allegheny Lakes Clinical Research Network": a company's
    // representative, named with the company (capitalised words up to a business's last word;
    // not "from Mercy Hospital", where a patient may come from; blind batch 79).
    // (`after` is 24 bytes: the line's rest, up to 120.)
    let line_rest = if after.starts_with(" from ") && end <= le {
        &text[end..ceil_cb(text, le.min(end + 120))]
    } else {
        ""
    };
    if let Some(rest) = line_rest.strip_prefix(" from ") {
        let name = &rest[..rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, ' ' | '&' | '-' | '\'')))
            .unwrap_or(rest.len())];
        let ws: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
        if (2..=7).contains(&ws.len())
            && ws
                .iter()
                .all(|w| w.starts_with(|c: char| c.is_ascii_uppercase()) || *w == "&")
            && words![
                "network",
                "research",
                "inc",
                "llc",
                "corp",
                "corporation",
                "company",
                "pharmaceuticals",
                "pharma",
                "solutions",
                "laboratories",
                "consulting",
                "technologies",
                "biosciences",
                "therapeutics",
                "scientific",
                "medical devices"
            ]
            .eq_any(ws[ws.len() - 1])
        {
            return true;
        }
    }
    // "Olivia Brandt (new peds RDN) starts 10/20", "the new BMET I (Caleb Sorensen) starts
    // 6/2": a new hire, and the day they start.
    // ("Ava Schultz (new Maple Grove referral, ...)" is a new patient: the bracket names a
    // job.)
    let a = after.strip_prefix(')').unwrap_or(after);
    let new_role = a.strip_prefix(" (new ").is_some_and(|r| {
        r[..r.find(')').unwrap_or(r.len())]
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| {
                STAFF_ROLES.eq_any(w)
                    || CREDENTIALS.eq_any(w)
                    || words!["hire", "grad", "nurse", "employee", "staff"].eq_any(w)
            })
    });
    if new_role
        || ["starts ", "starts on ", "will start "].iter().any(|p| {
            a.strip_prefix(' ')
                .and_then(|r| r.strip_prefix(p))
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        })
    {
        return true;
    }
    let b = after.as_bytes();
    let sep = matches!(b.first(), Some(b',' | b';'))
        || b.len() >= 3 && b[0] == b' ' && matches!(b[1], b'|' | b'-' | b'/') && b[2] == b' ';
    let (from, to) = if sep {
        (end, le)
    } else if after.trim().is_empty() && end <= le && le < text.len() {
        let next = le + 1;
        let next_end = text[next..].find('\n').map_or(text.len(), |k| next + k);
        (next, next_end)
    } else {
        return false;
    };
    let to = ceil_cb(text, to.min(from + 48));
    // The role is in the words right after the name ("Kim Dole, charge nurse", "Raul Ortiz -
    // Director of Nursing"), not later in a sentence about them ("Frank Hollister, slipped at
    // the end of chair yoga").
    // (Byte loops: the delimiters are ASCII, and a search by a char array costs more than the
    // look-up after it, callgrind.)
    let seg = &text[from..to];
    let lead = seg
        .bytes()
        .position(|c| !matches!(c, b',' | b';' | b' ' | b'|' | b'-' | b'/'))
        .unwrap_or(seg.len());
    let seg = &seg[lead..];
    // ("Patient:  Wendell Ashcroft\nExaminer:  Helen Marsh, MD": the next line is a form's
    // next field, its key a role, not the title of the name above; blind batch 74. Not
    // "Candidate: Samira Haddadin\n  Position: Patient Access Rep": that key is the job.)
    if !sep
        && seg.find(':').is_some_and(|k| {
            k <= 24
                && seg.as_bytes()[..k]
                    .iter()
                    .all(|&c| c.is_ascii_alphabetic() || c == b' ')
                && !words![
                    "position",
                    "title",
                    "job title",
                    "role",
                    "job",
                    "department",
                    "dept"
                ]
                .eq_any(&seg[..k])
        })
    {
        return false;
    }
    // On the next line, a title opens it ("Practice Manager", "charge nurse"), not a sentence
    // that goes on in lower case ("(interpreter on the call). Mrs. Pham\nasked if the driver
    // can ...", blind set TX).
    if !sep
        && seg.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
        && !STAFF_ROLES.eq_any(leading_letters(seg))
        && !words![
            "charge",
            "staff",
            "head",
            "lead",
            "senior",
            "assistant",
            "associate"
        ]
        .eq_any(leading_letters(seg))
    {
        return false;
    }
    let clause = &seg[..seg
        .bytes()
        .position(|c| matches!(c, b',' | b';' | b'.' | b'(' | b')'))
        .unwrap_or(seg.len())];
    // Up to the end of the clause's fourth word.
    let (mut words, mut in_word, mut head_end) = (0, false, clause.len());
    for (i, c) in clause.bytes().enumerate() {
        if c == b' ' {
            words += usize::from(in_word);
            in_word = false;
            if words == 4 {
                head_end = i;
                break;
            }
        } else {
            in_word = true;
        }
    }
    has_word(&clause[..head_end], STAFF_ROLES)
}

/// Number words, which a few surnames begin with ("Two Bulls", "Eight Horses").
const NUMBER_WORDS: &Words = words![
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"
];

/// Does the mail (`lc`: lower-cased) speak to its reader of their own care: "your labs",
/// "your results", "your a1c", "your prescription"? Then "Hi Tyrone," greets a patient even
/// between two organisations' mailboxes (an employer's onsite clinic writes to employees at
/// work). Not "your visit" or "your appointment" alone, which staff mail uses for meetings.
fn speaks_of_readers_care(lc: &str) -> bool {
    // The reader's own words, quoted below a reply: "can I move my appt?", "I have my follow
    // up w/ Dr O on Mon" (an employee who is a patient writes from work).
    let own = words![
        "appt",
        "appointment",
        "follow up",
        "follow-up",
        "refill",
        "prescription",
        "meds",
        // ("is my inhaler still covered next month?")
        "inhaler"
    ];
    my_one_of(lc, own) || speaks_to_reader_of_care(lc)
}

/// Does "my" stand before one of `words` in `lc` (lower-cased): "my appt", "my colonoscopy"?
fn my_one_of(lc: &str, words: &Words) -> bool {
    let b = lc.as_bytes();
    memchr::memmem::find_iter(b, b"my ")
        .any(|k| (k == 0 || !b[k - 1].is_ascii_alphabetic()) && word_at(b, k + 3, words))
}

/// Does the mail (`lc`: lower-cased) speak to its reader of their own care: "your labs", "your
/// a1c", "your work note" ([`speaks_of_readers_care`] without the reader's quoted words)?
fn speaks_to_reader_of_care(lc: &str) -> bool {
    // A letter for the reader's employer: "Harpreet Sandhu is under our care for a right
    // thumb condition".
    if has_word(lc, words!["under our care", "under my care"]) {
        return true;
    }
    // What "your" is about, right after it or a word or two on ("your baseline labs", "your
    // recent blood work").
    let care = words![
        "labs",
        "lab results",
        "test results",
        "blood work",
        "bloodwork",
        "a1c",
        "prescription",
        "medication",
        // ("it's in your patient portal under Documents": not a vendor's "client portal".)
        "patient portal",
        // A monitoring service's or a hospital's patient at work: "Your readings this week
        // look good", "I've removed your work number from your chart" (not "your chart of
        // accounts", "your chart review").
        "readings",
        "blood pressure",
        "chart",
        // ("He'll check your sugars log", "keep taking your insulin"; not "your wound care
        // team" or "your infusion suite", a clinic's.)
        "sugar",
        "sugars",
        "insulin",
        "dose",
        "symptoms",
        "meds",
        "medications",
        "inhaler",
        // ("Your work note is attached": an employee's visit, answered at work.)
        "work note",
        "work excuse"
    ];
    let not_care = |r: &[u8]| {
        [&b"chart of "[..], b"chart review", b"chart audit"]
            .iter()
            .any(|w| r.starts_with(w))
    };
    let b = lc.as_bytes();
    memchr::memmem::find_iter(b, b"your ").any(|k| {
        if k > 0 && b[k - 1].is_ascii_alphabetic() {
            return false;
        }
        let mut p = k + 5;
        for _ in 0..3 {
            if p >= b.len() {
                return false;
            }
            if word_at(b, p, care) && !not_care(&b[p..]) {
                return true;
            }
            // On to the next word: letters, then one space ("your order, labs" stops).
            let w = b[p..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            if w == 0 || b.get(p + w) != Some(&b' ') {
                return false;
            }
            p += w + 1;
        }
        false
    })
}

/// Is the correspondent named in an address header at `start` (`head`: the line from its
/// header name, `rest`: the line after the name) a patient writing from, or written to at, a
/// work mailbox? The writer of a `From:` header's message speaks of their own care ("I need a
/// work note for my colonoscopy on 5/9"), or the message a `To:` header heads speaks to its
/// reader of theirs ("Your work note is attached") from another organisation's mailbox (not a
/// colleague's at the same domain). Only for a full name (`run.len() >= 2` at the caller) and
/// one mailbox on the line. Blind sets PM and PO (2026-12-03): an employee asking a clinic for
/// a work note, answered at work.
fn patient_at_work(doc: &Doc<'_>, lc: &str, head: &str, start: usize, rest: &str) -> bool {
    let h = head.as_bytes();
    let from = h.get(..5).is_some_and(|x| x.eq_ignore_ascii_case(b"from:"));
    let to = !from && h.get(..3).is_some_and(|x| x.eq_ignore_ascii_case(b"to:"));
    // One mailbox, a person's full name (not a mailing list's or a newsletter's sender).
    if !(from || to) || memchr::memchr_iter(b'@', rest.as_bytes()).count() != 1 {
        return false;
    }
    // The message block the header belongs to: from its `From:` line to the next one.
    let i = doc.froms.partition_point(|&o| o <= start);
    let Some(block_start) = i.checked_sub(1).map(|k| doc.froms[k]) else {
        return false;
    };
    let block_end = doc.froms.get(i).copied().unwrap_or(lc.len());
    let block = &lc[block_start..block_end];
    if from {
        // (Not to all of the organisation's staff: "To: PCRC-AllStaff <...>" over a forms
        // policy's "work excuse letter", a coordinator's reminder, blind batch 67.)
        let heads = &block[..floor_cb(block, block.len().min(400))];
        return writes_of_own_care(block)
            && !["allstaff", "all-staff", "all staff", "all_staff"]
                .iter()
                .any(|w| heads.contains(w));
    }
    let Some((_, reader)) = header_mailbox(rest) else {
        return false;
    };
    let writer_line = doc.header_line(block_start);
    fn domain(a: &str) -> &str {
        a.rsplit_once('@').map_or("", |(_, d)| d)
    }
    org_mailbox_line(writer_line)
        && header_mailbox(writer_line)
            .is_some_and(|(_, w)| !domain(w).eq_ignore_ascii_case(domain(reader)))
        && speaks_to_reader_of_care(block)
}

/// Does the writer (`lc`: their message, lower-cased) speak of their own care: "my
/// colonoscopy", "my surgery", "my prescription"? (Not "my appointment", which a vendor's rep
/// has with an office manager.)
fn writes_of_own_care(lc: &str) -> bool {
    let own = words![
        "colonoscopy",
        "endoscopy",
        "surgery",
        "procedure",
        "biopsy",
        "mri",
        "infusion",
        "infusions",
        "injection",
        "injections",
        "allergy shots",
        "prescription",
        "refill",
        "meds",
        "medication",
        "medications",
        "inhaler",
        "labs",
        "lab results",
        "test results",
        "diagnosis",
        // ("My PCP said she would write the prescription if I found a pharmacy", blind set RE.)
        // (Not "doctor": a patient's "my doctor started me on insulin" quoted under an
        // examiner's reply made the examiner the patient.)
        "pcp"
    ];
    my_one_of(lc, own)
        // ("Could I get a short note for work saying I can still type": the writer's visit.)
        || has_word(lc, words!["note for work", "work excuse"])
}

/// Does an internal extension follow the name ("Gwen at ext. 4-3310", "Dustin Albright, ext
/// 7721")? `after` as from [`after_name`].
#[inline]
fn extension_after(after: &str) -> bool {
    // Bytes only: this runs for every lone capitalised word.
    let b = after.as_bytes();
    let mut i = 0;
    while i < b.len() && matches!(b[i], b' ' | b',') {
        i += 1;
    }
    if b[i..].starts_with(b"at ") {
        i += 3;
    }
    // ("Mr. Babcock, extend the LOC?": the word "ext", "ext." or "extension", not any word
    // starting with it.)
    b.len() >= i + 3
        && b[i..i + 3].eq_ignore_ascii_case(b"ext")
        && (!b.get(i + 3).is_some_and(u8::is_ascii_alphabetic)
            || b[i..].len() >= 9 && b[i..i + 9].eq_ignore_ascii_case(b"extension"))
        // ("WFM know (Brendan O'Shea, x4120)": an extension written "x" and its digits.)
        || i > 0 && b.get(i) == Some(&b'x') && b.get(i + 1).is_some_and(u8::is_ascii_digit)
}

/// A double-barrelled surname ("Okoro-Bennett", "Vance-Whitcombe"): one part is in the
/// surname list (which holds single names only) and every part is a capitalised word of two or
/// more letters.
fn hyphenated_surname(s: &Scanner, text: &str, lc: &str, t: Tok) -> bool {
    if !t.ascii {
        return false;
    }
    let w = &lc[t.s..t.e];
    w.contains('-')
        && w.split('-').any(|p| s.surnames.contains(p))
        && text[t.s..t.e].split('-').all(|p| {
            p.len() >= 2
                && p.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
                && p.bytes().all(|c| c.is_ascii_alphabetic() || c == b'\'')
        })
}

/// Is the token `t` an Irish or Italian surname written with its apostrophe ("O'Brien",
/// "D'Angelo") that the lists know without it ("obrien", "dangelo")?
fn apostrophe_surname(s: &Scanner, text: &str, lc: &str, t: Tok) -> bool {
    let b = text.as_bytes();
    t.ascii
        && t.e - t.s >= 4
        && b[t.s + 1] == b'\''
        && matches!(b[t.s], b'O' | b'D')
        && b[t.s + 2].is_ascii_uppercase()
        && s.surnames
            .contains(&format!("{}{}", &lc[t.s..t.s + 1], &lc[t.s + 2..t.e]))
}

/// An age over 89 right after a name ("Augustin Velasquez (94)", "Mrs. Halverson is 94,"):
/// the number's span. `after` starts at the name's end `end`.
fn age_after_name(after: &str, end: usize) -> Option<(usize, usize)> {
    // " (93)", " (96, end-stage ...)", ", 91)" (in "your mom (Edna, 91)"), " is 94".
    let (lead, bracket) = if after.starts_with(" (") {
        (2, true)
    } else if after.starts_with(", ") {
        (2, false)
    } else if after.starts_with(" is ") {
        (4, false)
    } else {
        return None;
    };
    let rest = after.as_bytes().get(lead..)?;
    let n = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    let closes = match rest.get(n) {
        None => false,
        Some(&c) if bracket => c == b')' || c == b',',
        Some(&c) if lead == 2 => c == b')',
        Some(&c) => matches!(c, b',' | b'.' | b';' | b' ') && !rest[n..].starts_with(b" y"),
    };
    let age: u32 = std::str::from_utf8(&rest[..n]).ok()?.parse().ok()?;
    ((2..=3).contains(&n) && closes && (90..=120).contains(&age))
        .then_some((end + lead, end + lead + n))
}

/// A nickname in quotes right after a name (`Eleanor Krueger ("Nell")`, `Henrietta "Hattie"`):
/// its span, when there is one.
fn nickname_after(text: &str, end: usize) -> Option<(usize, usize)> {
    let rest = text.get(end..)?;
    let lead = rest.len() - rest.trim_start_matches([' ', '(']).len();
    if lead > 3 {
        return None;
    }
    let r = &rest[lead..];
    let open = r
        .chars()
        .next()
        .filter(|&c| matches!(c, '"' | '\u{201c}'))?;
    let inner = &r[open.len_utf8()..];
    let close = inner.find(['"', '\u{201d}'])?;
    let nick = &inner[..close];
    let ok = (2..=20).contains(&nick.len())
        && nick.chars().next().is_some_and(char::is_uppercase)
        && nick
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'');
    let st = end + lead + open.len_utf8();
    ok.then_some((st, st + nick.len()))
}

/// Up to 24 bytes after a candidate name that ends at `end`, not crossing its line's end `le`.
fn after_name<'a>(text: &'a str, doc: &Doc<'a>, end: usize, le: usize) -> &'a str {
    if end <= le {
        // (Where the line ends within the 24 bytes, no char boundary need be found.)
        let cut = if end + 24 >= le {
            le
        } else {
            ceil_cb(text, end + 24)
        };
        &text[end..cut]
    } else {
        doc.after_line(end, 24)
    }
}

/// What a form's name field holds when it holds no name.
const NO_NAME_YET: &Words = words![
    "pending",
    "unknown",
    "none",
    "test",
    "tbd",
    "unk",
    "redacted",
    "anonymous",
    "same",
    "yes",
    "no",
    "blank",
    "other",
    "see",
    "required",
    "optional",
    "declined",
    "unnamed"
];

/// Does `head` (the text before a name, trimmed at its end) end with a form's label for a
/// patient's name on a line of its own: "Patient Name:", "First Name:", "Pt Last Name:",
/// "Legal name:", "Guarantor Name:"? Words before "name" that say whose name it is or which
/// part, at most three; not a provider's, a practice's or an employee's ("Provider Name:").
fn form_name_label(head: &str) -> bool {
    let Some(label) = head.strip_suffix(':') else {
        return false;
    };
    let line = label.rsplit('\n').next().unwrap_or(label);
    let line = line.trim_start_matches([' ', '\t', '>', '|', '*', '-']);
    let mut words = line.split([' ', '\t']).filter(|w| !w.is_empty());
    let Some(last) = words.next_back() else {
        return false;
    };
    if !last.eq_ignore_ascii_case("name") {
        return false;
    }
    let whose = words![
        "patient",
        "patient's",
        "pt",
        "pt's",
        "member",
        "member's",
        "resident",
        "client",
        "guarantor",
        "subscriber",
        "insured",
        "child",
        "child's",
        "student",
        "caller",
        "parent",
        "guardian",
        "applicant",
        "participant",
        "first",
        "last",
        "middle",
        "full",
        "legal",
        "preferred",
        "given",
        "family",
        "maiden",
        "mother's",
        "father's",
        "your",
        "baby's",
        "newborn",
        "infant"
    ];
    let mut n = 0;
    for w in words {
        n += 1;
        if n > 3 || !whose.eq_any(w) {
            return false;
        }
    }
    true
}

/// The ASCII letters `s` starts with ("session" of "session Thursday", "" of "4:00").
fn leading_letters(s: &str) -> &str {
    &s[..s
        .bytes()
        .position(|c| !c.is_ascii_alphabetic())
        .unwrap_or(s.len())]
}

/// The first word of `after` (see [`after_name`]) when it follows one space, else "".
fn first_word(after: &str) -> &str {
    after.strip_prefix(' ').map_or("", |a| {
        a.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("")
    })
}

/// A [`key_filter`] of the [`NOT_NAMES`] words that are also first names ("hope", "will"):
/// only they can be [`everyday_name_after_cue`].
static EVERYDAY_FIRST_NAMES: std::sync::LazyLock<Box<KeyFilter>> = std::sync::LazyLock::new(|| {
    let first: FastSet<&str> = crate::FIRST_NAMES.lines().map(str::trim).collect();
    key_filter(NOT_NAMES.iter().copied().filter(|w| first.contains(w)))
});

/// Is `toks[i]`, a capitalised everyday word that is also a first name ("Hope", "Grace",
/// "Will"), a first name here: right after a patient or relative cue and before a capitalised
/// word that may be a name ("your patient Hope Delacroix", "daughter Faith Okoro")? Asked only
/// of the tokens [`NOT_NAMES`] turned away.
#[cold]
fn everyday_name_after_cue(
    s: &Scanner,
    text: &str,
    lc: &str,
    toks: &[Tok],
    i: usize,
    prev_words: &WordTable,
    buf: &mut String,
) -> bool {
    let t0 = toks[i];
    let Some(&t1) = toks.get(i + 1) else {
        return false;
    };
    if !t1.cap
        || !gap_is(text, t0.e, t1.s, b" ")
        || is_upper(text, t0)
        || t1.ascii && NOT_NAMES_INDEX.contains(&lc.as_bytes()[t1.s..t1.e], t1.key as usize)
        || !s.first_names.has_token(text, lc, t0, buf)
    {
        return false;
    }
    let lo = floor_cb(text, t0.s.saturating_sub(40));
    let before = &text[lo..t0.s];
    let before = before.rsplit('\n').next().unwrap_or(before);
    prev_words.flags(last_word(before, b" :,(\t-.")) & PW_CUE != 0
}

/// Does `after` (see [`after_name`]) start with a patient's date of birth or record number
/// ("Farhad Rahimi, DOB 1/1/1988", "Amara Nwachukwu-Bell (MRN M7730914)")? Whoever the name
/// lists know or not, what follows says whose it is.
fn patient_id_after(after: &str) -> bool {
    let rest = after.trim_start_matches([',', ' ', '(', '[', '-', '\u{2013}']);
    if rest.len() == after.len() {
        return false;
    }
    let word = rest
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .next()
        .unwrap_or("")
        .trim_end_matches('.');
    words!["dob", "d.o.b", "mrn", "hrn", "born"].eq_any(word)
        // ("Fluzone High-Dose (age 65+)": the ages a product is for, not a person's age, blind
        // batch 63.)
        || word.eq_ignore_ascii_case("age") && !{
            let n = rest[3..].trim_start_matches([' ', ':']);
            let digits = n.bytes().take_while(u8::is_ascii_digit).count();
            let more = n[digits..].trim_start();
            digits > 0
                && (more.starts_with('+')
                    || more
                        .strip_prefix(['-', '\u{2013}'])
                        .is_some_and(|r| r.trim_start().starts_with(|c: char| c.is_ascii_digit()))
                    // ("(age 65 and older)".)
                    || leading_letters(more).eq_ignore_ascii_case("and"))
        }
        || rest.len() >= 13 && rest.as_bytes()[..13].eq_ignore_ascii_case(b"date of birth")
        // "incident NF25-000612, Hodan Warsame, DOS 3/14": a date of service, in capitals,
        // with its date.
        || word == "DOS"
            && rest[3..]
                .trim_start_matches([' ', ':'])
                .starts_with(|c: char| c.is_ascii_digit())
}

/// Does `after` (see [`after_name`]) start with "'s" and a word for one person's care ("'s
/// appointment", "'s session", "'s pediatrician")? (Not "therapy", "speech" or "insurance":
/// "Brightwater's therapy gym" is a clinic's.)
fn possessive_care_after(after: &str) -> bool {
    let Some(rest) = after
        .strip_prefix("'s ")
        .or_else(|| after.strip_prefix("\u{2019}s "))
    else {
        return false;
    };
    // ("Tyrell's new seizure medicine", "Brody's EpiPen": up to two words saying which.)
    let mut rest = rest;
    for _ in 0..2 {
        let w = leading_letters(rest);
        if !words![
            "new",
            "next",
            "daily",
            "rescue",
            "seizure",
            "asthma",
            "allergy",
            "emergency",
            "school",
            "updated",
            "quarterly",
            "annual",
            "graduated",
            "gradual",
            "phased"
        ]
        .eq_any(w)
            || !rest[w.len()..].starts_with(' ')
        {
            // ("Isabella's 2-year visit", "his 6-month follow-up": an age or an interval.)
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let unit = leading_letters(rest[digits..].strip_prefix('-').unwrap_or(""));
            if w.is_empty()
                && (1..=2).contains(&digits)
                && words!["year", "month", "week", "day"].eq_any(unit)
                && rest[digits + 1 + unit.len()..].starts_with(' ')
            {
                rest = &rest[digits + 1 + unit.len() + 1..];
                continue;
            }
            break;
        }
        rest = &rest[w.len() + 1..];
    }
    let word = leading_letters(rest);
    // "plan Keshawn's graduated return to work": a rehabilitation programme's patient going
    // back to work, school or sport (blind batch 78). (Not "Jim's return from leave".)
    if word == "return"
        && rest[word.len()..].strip_prefix(" to ").is_some_and(|r| {
            words![
                "work", "school", "play", "sport", "sports", "duty", "learn", "class"
            ]
            .eq_any(leading_letters(r))
        })
    {
        return true;
    }
    words![
        "medicine",
        "medicines",
        "inhaler",
        "epipen",
        "epipens",
        "insulin",
        "appointment",
        "appt",
        "visit",
        "visits",
        "session",
        "sessions",
        "evaluation",
        "eval",
        "surgery",
        "labs",
        "results",
        "discharge",
        "diagnosis",
        "medication",
        "medications",
        "meds",
        "prescription",
        "pediatrician",
        "teacher",
        "mom",
        "dad",
        "grandmother",
        "chart",
        "flu",
        "strep",
        // ("Kenji's quarterly care plan review", "leave for Zuri's therapy and clinic visits".)
        "care",
        "therapy",
        "therapies",
        "treatment",
        "infusion",
        "infusions",
        // ("Hank's pump is throwing BLOCKAGE every 20 min": a wound vac's patient, named to
        // colleagues by a given name, blind batch 80.)
        "pump",
        "wound",
        "dressing",
        "cpap",
        "catheter",
    ]
    .eq_any(word)
        // ("Brightwater's appointment line", "Oakview's discharge team": an organisation's.)
        && !words![
            "line",
            "desk",
            "center",
            "centre",
            "team",
            "office",
            "policy",
            "program",
            "hours",
            "system",
            "portal",
            "staff",
            "coordinator",
            "coordinators",
            "managers",
            "navigators",
            // ("Brightwater's therapy gym", "Mercy's infusion suite".)
            "gym",
            "suite",
            "services",
            "lounge",
            "clinic",
            // ("Lilly's insulin savings card", "Novo's new insulin pens": a maker's product.)
            "savings",
            "pens",
            "pricing",
            "prices",
            "coupon",
            "card",
            "supply",
            "rebate",
            "samples",
            "rep",
            "recall",
        ]
        .eq_any(
            leading_letters(rest[word.len()..].trim_start()),
        )
}

/// Does `after` (see [`after_name`]) say what happened to someone as a patient: " was
/// hospitalized", " has been seen", " was diagnosed", " passed away"? (Not " was seen": "Lena
/// was seen at the front desk at 9" is as often a colleague.)
/// Does `after` (see [`after_name`]) open with a verb a person is the subject of ("completed",
/// "was", "called", "missed")? Only past tenses and auxiliaries: "Grace Notes offers" and
/// "Jordan Valley runs" are a business's present tense.
fn person_verb_after(after: &str) -> bool {
    // (Not "will" or "would": "Fatima Yusuf will be her regular aide" is a colleague's plan;
    // not "was", "is", "has" or "had": "Maria Okonkwo was promoted to charge nurse".)
    let Some(rest) = after.strip_prefix(' ') else {
        return false;
    };
    // "Samuel Osei no show for his 8:00 road test", "... no-showed again".
    if [&b"no show"[..], b"no-show", b"noshow"]
        .iter()
        .any(|p| rest.len() >= p.len() && rest.as_bytes()[..p.len()].eq_ignore_ascii_case(p))
    {
        return true;
    }
    words![
        "completed",
        "called",
        "came",
        "went",
        "returned",
        "presented",
        "reported",
        "stated",
        "denied",
        "denies",
        "missed",
        "arrived",
        "failed",
        "tested",
        "started",
        "finished",
        "requested",
        "asked",
        "wants",
        "needs",
        "did",
        "does",
        "cannot",
        "can't",
        "didn't",
        "doesn't",
        "hasn't",
    ]
    .eq_any(
        rest.split(|c: char| !(c.is_ascii_alphabetic() || c == '\''))
            .next()
            .unwrap_or(""),
    )
}

/// Does `after` (the text after a name) say the person missed a visit: " no-showed", " no
/// showed", " was a no-show", " did not show"?
fn no_show_after(after: &str) -> bool {
    // (Asked of many lone capitalised words: the second byte rules most out.)
    if !matches!(after.as_bytes(), [b' ', b'n' | b'N' | b'w' | b'd', ..]) {
        return false;
    }
    let rest = &after[1..];
    let rest = rest.strip_prefix("was a ").unwrap_or(rest);
    [
        "no-showed",
        "no showed",
        "no-show",
        "noshowed",
        "did not show",
        "didn't show",
    ]
    .iter()
    .any(|p| rest.len() >= p.len() && rest.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes()))
}

fn care_event_after(after: &str) -> bool {
    // (Asked of many lone capitalised words: the second byte rules most out.)
    if !matches!(
        after.as_bytes(),
        [
            b' ',
            b'w' | b'h' | b'i' | b'a' | b'r' | b'd' | b's' | b'p',
            ..
        ]
    ) {
        return false;
    }
    let rest = &after[1..];
    let rest = rest
        .strip_prefix("was ")
        .or_else(|| rest.strip_prefix("has been "))
        .or_else(|| rest.strip_prefix("is "))
        .or_else(|| rest.strip_prefix("had been "))
        .unwrap_or(rest);
    // ("Mae in 233A signed the hospice election": a resident by her room and bed, blind batch
    // 39; not a year, "in 2025".)
    if let Some(r) = rest.strip_prefix("in ") {
        let rb = r.as_bytes();
        let d = rb.iter().take_while(|c| c.is_ascii_digit()).count();
        if (3..=4).contains(&d)
            && rb.get(d).is_some_and(|c| (b'A'..=b'F').contains(c))
            && !rb.get(d + 1).is_some_and(u8::is_ascii_alphanumeric)
        {
            return true;
        }
    }
    let word = leading_letters(rest);
    words![
        "hospitalized",
        "hospitalised",
        "admitted",
        "readmitted",
        "discharged",
        "diagnosed",
        "intubated",
        "seen",
        "passed",
        "died",
    ]
    .eq_any(word)
        && (word != "seen" || after.starts_with(" has been seen"))
        && (word != "passed" || rest.starts_with("passed away"))
}

/// The prefixes of a service desk's, a purchasing office's or a billing system's numbers
/// ("INC-0045521", "PO-26-1187", "INV-2026-00412").
const TICKET_PREFIXES: &[&[u8]] = &[
    b"inc", b"req", b"chg", b"ritm", b"tkt", b"po", b"inv", b"ord",
    // A laboratory's quality records: a nonconformance report ("NCR-2025-019") and a
    // corrective action (blind batch 58).
    b"ncr", b"capa",
];

/// Does the record-shaped `id` start with one of `prefixes` before its first hyphen?
fn business_id(id: &[u8], prefixes: &[&[u8]]) -> bool {
    let prefix = id.split(|&c| c == b'-').next().unwrap_or(id);
    prefixes.iter().any(|p| prefix.eq_ignore_ascii_case(p))
}

/// Does `after` start with a range of codes in brackets, two halves of one shape (" (A7030-
/// A7039)": a supply list's HCPCS codes, not a record number)?
pub(crate) fn code_range_in_brackets(after: &str) -> bool {
    let Some(r) = after.strip_prefix(" (") else {
        return false;
    };
    let id = r.split(')').next().unwrap_or("");
    // (Digits where digits are, letters where letters are.)
    let same_shape = |a: &str, b: &str| {
        a.len() == b.len()
            && a.bytes()
                .zip(b.bytes())
                .all(|(x, y)| x.is_ascii_digit() == y.is_ascii_digit())
    };
    matches!(id.split_once('-'), Some((a, b)) if !a.is_empty() && same_shape(a, b))
}

/// Is the text of the line at `ls` before `at` a bullet (perhaps) and one initial ("Y. Pierce
/// (CV-2240088) desatted to 84%": a note opening on a patient's initial and surname)?
fn initial_opens_line(text: &str, ls: usize, at: usize) -> bool {
    let head = text.as_bytes()[ls..at].trim_ascii_start();
    let head = head.strip_prefix(b"- ").unwrap_or(head);
    matches!(head, [c, b'.', b' '] if c.is_ascii_uppercase())
}

/// Does `after` (the text after a name) say the person called about something ("called back re
/// deductible", "called about her bill", "called upset")? Not "called back," alone: a lab's
/// colleague "called back, result read back".
fn caller_about_after(after: &str) -> bool {
    let Some(rest) = after.strip_prefix(" called ") else {
        return false;
    };
    let rest = rest.strip_prefix("back ").unwrap_or(rest);
    [
        "re ", "re: ", "about ", "upset", "asking ", "wanting ", "to ask ",
    ]
    .iter()
    .any(|w| rest.starts_with(w))
}

/// Does the word at `at` open a sentence of the line starting at `ls` (nothing but a bullet
/// before it on the line, or the end of a sentence)?
fn sentence_opener(text: &str, ls: usize, at: usize) -> bool {
    let head = text[ls..at].trim_end();
    head.is_empty() || bulleted_line_start(text, ls, at) || head.ends_with(['.', '!', '?'])
}

/// Is `text[ls..at]` (from a line's start to a word) only a bullet or an item number ("- ",
/// "* ", "• ", "1. ", "12) ")?
fn bulleted_line_start(text: &str, ls: usize, at: usize) -> bool {
    let head = text.as_bytes()[ls..at].trim_ascii();
    matches!(head, [b'-' | b'*'] | [0xe2, 0x80, 0xa2])
        || matches!(head, [d, b'.' | b')'] | [_, d, b'.' | b')'] if d.is_ascii_digit())
            && head[0].is_ascii_digit()
}

/// Can the ASCII token `t` be a word of a person's name (`lc`: the lower-cased text)? Not an
/// ordinary word, an organisation's or a place's word, or a table heading.
fn plain_name_word(lc: &str, t: Tok) -> bool {
    let w = &lc[t.s..t.e];
    t.ascii
        && !NOT_NAMES_INDEX.contains(w.as_bytes(), t.key as usize)
        && !ORG_WORDS.eq_any(w)
        && !ORG_AFTER.eq_any(w)
        && !PLACE_WORDS.eq_any(w)
        && !PLACE_SECOND_WORDS.eq_any(w)
        && column_label(w).is_none()
}

/// " * Lindqvist -- Rm 14 at Harbor Light confirmed", " * Alvarado -- MATP van no-show today",
/// "- Achterberg: POD1 scope": a hand-off's or a navigator's list, one patient an item, each
/// named by a surname alone before a dash or a colon (blind batches 52 and 55). Two items or
/// more, each opening with a bullet or an item's number and a surname the lists know (not an
/// everyday word, not a given name), and words about care in one of them at least.
fn surname_list_items(s: &Scanner, text: &str, doc: &Doc<'_>, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let mut items: Vec<Span> = Vec::new();
    let mut care = false;
    let mut ls = 0;
    for le in doc.nl.iter().copied().chain(std::iter::once(b.len())) {
        let line = &b[ls..le];
        let from = ls;
        ls = le + 1;
        let mut p = line
            .iter()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count();
        // The bullet or the item's number.
        match line.get(p..p + 2) {
            Some([b'*' | b'-', b' ']) => p += 2,
            // (A checklist's box: " [ ] Alcott — hernia belt fitting", blind batch 63.)
            Some([b'[', b' ' | b'x' | b'X']) if line.get(p + 2..p + 4) == Some(b"] ") => p += 4,
            Some([d, _]) if d.is_ascii_digit() => {
                let n = line[p..].iter().take_while(|c| c.is_ascii_digit()).count();
                if n > 2 || !matches!(line.get(p + n..p + n + 2), Some([b'.' | b')', b' '])) {
                    continue;
                }
                p += n + 2;
            }
            _ => continue,
        }
        let n = line[p..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic() || **c == b'-' || **c == b'\'')
            .count();
        let word = &line[p..p + n];
        if n < 3 || !word[0].is_ascii_uppercase() || word[1..].iter().any(u8::is_ascii_uppercase) {
            continue;
        }
        let rest = &line[p + n..];
        let Some(after) = [
            &b" -- "[..],
            b" - ",
            b": ",
            " \u{2013} ".as_bytes(),
            " \u{2014} ".as_bytes(),
        ]
        .iter()
        .find_map(|sep| rest.strip_prefix(*sep)) else {
            continue;
        };
        let lower = word.to_ascii_lowercase();
        let key = word_key(&lower);
        let Ok(w) = std::str::from_utf8(&lower) else {
            continue;
        };
        if !s.surnames.contains(w)
            || s.first_names.contains(w)
            || s.weak_model.knows(word)
            || NOT_NAMES_INDEX.contains(&lower, key)
        {
            continue;
        }
        let after = std::str::from_utf8(after).unwrap_or("");
        care |= has_dotted_code(after.as_bytes()) || has_word(after, CARE_LIST_WORDS);
        items.push((from + p, from + p + n));
    }
    if items.len() >= 2 && care {
        for (st, en) in items {
            let why = "surname opening an item of a list of patients";
            push(
                out,
                Some(Label::Person),
                st,
                en,
                0.85,
                "person.list_item",
                why,
            );
        }
    }
}

/// "- Olga Kuznetsova, 10/8 10:40 AM - E05.00, methimazole titration": a list item that opens
/// with two capitalised words, one of them in the name lists, then a comma and a date or a
/// number. A coder's or a nurse's list of visits names one patient an item (weak evidence:
/// a list of meetings or places says no more than that, see `NEEDS_CARE_CONTEXT`). Not a
/// title's ("- Dr. Okafor, 10/8"), an organisation's or a place's words, and not where a
/// candidate already stands.
fn list_item_names_before_dates(
    s: &Scanner,
    text: &str,
    lc: &str,
    toks: &[Tok],
    doc: &Doc<'_>,
    out: &mut Vec<Cand>,
) {
    let b = text.as_bytes();
    let known = |t: &Tok| {
        let w = &lc[t.s..t.e];
        s.first_names.contains(w) || s.surnames.contains(w)
    };
    let plain = |t: &Tok| {
        let w = &lc[t.s..t.e];
        t.cap && plain_name_word(lc, *t) && !TITLES.eq_any(w) && !STAFF_TITLES.eq_any(w)
    };
    let mut found: Vec<(usize, usize)> = Vec::new();
    // At each ", " before a digit (commas are far fewer than words), the two words before it.
    for c in memchr::memchr_iter(b',', b) {
        if b.get(c + 1) != Some(&b' ') || !b.get(c + 2).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        // (A list item's line: it opens with a bullet or an item number, looked at before the
        // words are.)
        let ls = memchr::memrchr(b'\n', &b[..c]).map_or(0, |i| i + 1);
        let lead = b[ls..c].trim_ascii_start();
        if !matches!(lead.first(), Some(b'-' | b'*' | 0xe2 | b'0'..=b'9')) {
            continue;
        }
        let k = toks.partition_point(|t| t.e < c);
        if k == 0 || toks.get(k).is_none_or(|t| t.e != c) {
            continue;
        }
        let (t1, t2) = (&toks[k - 1], &toks[k]);
        // The second word right after the first.
        if t2.s != t1.e + 1 || b.get(t1.e) != Some(&b' ') {
            continue;
        }
        let ls = doc.line_start(t1.s);
        if !bulleted_line_start(text, ls, t1.s)
            || !plain(t1)
            || !plain(t2)
            || !(known(t1) || known(t2))
            || doc.in_sig(t1.s)
        {
            continue;
        }
        found.push((t1.s, t2.e));
    }
    for (st, en) in found {
        if out.iter().any(|c| c.start < en && st < c.end) {
            continue;
        }
        let why = "a list item opening with a name, then a date";
        push(
            out,
            Some(Label::Person),
            st,
            en,
            0.7,
            "person.list_item",
            why,
        );
    }
}

/// A record number right after a name the person rules found (candidates from `from` on):
/// "Tamika Harmon (CH-204918)", "Kevin Tran, 7734402, 58M", a roster's "Mendoza Ruiz,
/// Alejandra    LV00745518   08/30/1983". Next to a patient's name such a number is the
/// patient's chart number (the style corpus's gold labels: about three in four MRN, the rest
/// member and other IDs, none unlabelled). Weak evidence, like the name (`NEEDS_CARE_CONTEXT`).
///
/// Also an age over 89 in the same place ("Harold Pettibone (93)", "Patient: Bernice Albright,
/// 91", "Bellweather, Clara (90F)"), or in brackets after a birth date ("DOB 02/11/1932 (94)"):
/// the patient's age.
fn record_numbers_after_names(text: &str, out: &mut Vec<Cand>, from: usize) {
    let b = text.as_bytes();
    let mut last_end = 0;
    // The start of the last line whose leading time was looked at.
    let mut timed_line = usize::MAX;
    for k in 0..out.len() {
        let (label, rule, end) = (out[k].label, out[k].rule, out[k].end);
        let name = k >= from && label == Some(Label::Person);
        if name {
            let ls = memchr::memrchr(b'\n', &b[..out[k].start]).map_or(0, |i| i + 1);
            if ls != timed_line {
                timed_line = ls;
                if let Some((st, en)) = leading_time(b, ls, out[k].start) {
                    push(
                        out,
                        Some(Label::Date),
                        st,
                        en,
                        0.55,
                        "date.schedule",
                        "time starting a schedule's line that names a patient",
                    );
                } else if let Some((st, en)) = leading_record(b, ls, out[k].start) {
                    push(
                        out,
                        Some(Label::OtherId),
                        st,
                        en,
                        0.8,
                        "other_id.before_name",
                        "record number starting a list's line that names a patient",
                    );
                }
            }
        }
        if !(name || rule == "date.dob") || end < last_end {
            continue;
        }
        if let Some((st, en)) = record_number_at(b, end)
            .or_else(|| skip_age(b, end).and_then(|p| record_number_at(b, p)))
            .filter(|_| name)
        {
            last_end = en;
            // ("OGUNBIYI, DARNELL BK25-11655": a jail's booking number; "PA-..." a prior
            // authorisation's, "REF-..." a referral's: no chart's.)
            let prefix = &b[st..en][..b[st..en]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count()];
            let label = if [
                &b"bk"[..],
                b"pa",
                b"ref",
                b"rf",
                b"um",
                b"rx",
                b"apl",
                b"grv",
                b"roi",
                b"enc",
            ]
            .iter()
            .any(|p| prefix.eq_ignore_ascii_case(p))
            {
                Label::OtherId
            } else {
                Label::Mrn
            };
            push(
                out,
                Some(label),
                st,
                en,
                0.8,
                "mrn.after_name",
                "record number right after a patient's name",
            );
        } else if let Some((st, en)) = age_at(b, end, name) {
            last_end = en;
            push(
                out,
                Some(Label::Age),
                st,
                en,
                0.9,
                "age.after_name",
                "age over 89 right after a patient's name or birth date",
            );
        }
    }
}

/// "CP26-0448812 Hartley, Simone   08/30/1955", "| 311-0038 | Harold Jennings | ...": a record
/// number opening a line (after spaces, a bullet or a bar) right before the name at `name`, only
/// spaces, tabs, bars or a bracket between. An accession's, a specimen's or a case's number in a
/// list of patients (on the style corpus 48 such numbers were missed, all labelled, against 8
/// unlabelled residents' unit numbers). Seven to 25 bytes with four digits or more, not a date
/// and not a ticket's or an order's number.
fn leading_record(b: &[u8], ls: usize, name: usize) -> Option<(usize, usize)> {
    let mut i = ls;
    while i < name && matches!(b[i], b' ' | b'\t' | b'-' | b'*' | b'|') {
        i += 1;
    }
    let st = i;
    let en = st
        + b[st..name]
            .iter()
            .take_while(|&&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'/' | b'#'))
            .count();
    let v = &b[st..en];
    let gap = &b[en..name];
    let digits = v.iter().filter(|c| c.is_ascii_digit()).count();
    let date_like = v
        .split(|&c| matches!(c, b'/' | b'.' | b'-'))
        .all(|p| (1..=4).contains(&p.len()) && p.iter().all(u8::is_ascii_digit));
    ((7..=25).contains(&v.len())
        && v[0].is_ascii_alphanumeric()
        && digits >= 4
        && !date_like
        && !business_id(v, TICKET_PREFIXES)
        && (1..=20).contains(&gap.len())
        && gap.iter().all(|&c| matches!(c, b' ' | b'\t' | b'|' | b'(')))
    .then_some((st, en))
}

/// "08:30  | Rosa Delgado | CR-0048213", "  9:40   Emily Carrasco - LBP f/u", "3:30 | Sofia
/// Ballesteros | #17,32 ext": a time opening a line (after spaces, a bullet or a quote mark) and
/// ending before the name at `name`, then a space, a tab or a bar. A schedule's time of a
/// patient's visit; on the style corpus about four in five such times were labelled dates.
/// Never evidence of PHI on its own.
fn leading_time(b: &[u8], ls: usize, name: usize) -> Option<(usize, usize)> {
    let mut i = ls;
    while i < name && matches!(b[i], b' ' | b'\t' | b'>' | b'-' | b'*') {
        i += 1;
    }
    let st = i;
    let h = b[i..name].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&h) || b.get(i + h) != Some(&b':') {
        return None;
    }
    let m = &b[i + h + 1..name];
    if m.len() < 2
        || !m[..2].iter().all(u8::is_ascii_digit)
        || m.get(2).is_some_and(u8::is_ascii_digit)
    {
        return None;
    }
    let hour = b[i..i + h]
        .iter()
        .fold(0, |a, &c| a * 10 + u32::from(c - b'0'));
    let minute = u32::from(m[0] - b'0') * 10 + u32::from(m[1] - b'0');
    if hour > 23 || minute > 59 {
        return None;
    }
    let mut en = i + h + 3;
    // "9:00 am", "10:30AM".
    let rest = &b[en..name];
    let sp = usize::from(rest.first() == Some(&b' '));
    if rest.len() >= sp + 2
        && (rest[sp..sp + 2].eq_ignore_ascii_case(b"am")
            || rest[sp..sp + 2].eq_ignore_ascii_case(b"pm"))
        && rest.get(sp + 2).is_none_or(|c| !c.is_ascii_alphanumeric())
    {
        en += sp + 2;
    }
    matches!(b.get(en), Some(b' ' | b'\t' | b'|'))
        .then_some((st, en))
        .filter(|&(_, e)| e < name)
}

/// An age over 89 that starts the text at `at`: " (93)", " (90F)", " (96, end-stage ..."; after
/// a name also ", 91" then a comma or the line's end. The digits' span.
fn age_at(b: &[u8], at: usize, name: bool) -> Option<(usize, usize)> {
    let r = b.get(at..)?;
    let bracket = r.starts_with(b" (");
    if !(bracket || name && r.starts_with(b", ")) {
        return None;
    }
    let d = &r[2..];
    let n = d.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(2..=3).contains(&n) {
        return None;
    }
    let age: u32 = d[..n].iter().fold(0, |a, &c| a * 10 + u32::from(c - b'0'));
    let mut rest = &d[n..];
    if bracket && matches!(rest.first(), Some(b'F' | b'M')) {
        rest = &rest[1..];
    }
    let ends = if bracket {
        matches!(rest.first(), Some(b')' | b','))
    } else {
        matches!(rest.first(), Some(b',' | b'\n' | b'\r') | None)
    };
    ((90..=125).contains(&age) && ends).then_some((at + 2, at + 2 + n))
}

/// "Donna Whitaker, 52, LC-0050188", "Harold Voss, 67 y/o M (AR-0387760, DOB ...)": past an
/// age (and sex) written right after a name, where a record number may follow as it does right
/// after the name. The offset after the age, if one is there.
fn skip_age(b: &[u8], at: usize) -> Option<usize> {
    let r = b.get(at..)?.strip_prefix(b", ")?;
    let n = r.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=3).contains(&n) {
        return None;
    }
    let mut k = n;
    for unit in [&b" y/o"[..], b" yo", b"yo", b" y.o.", b"y", b" years old"] {
        if r[k..].starts_with(unit) {
            k += unit.len();
            break;
        }
    }
    if let Some(&c) = r.get(k)
        && matches!(c, b'M' | b'F')
    {
        k += 1;
    } else if r[k..].starts_with(b" M") || r[k..].starts_with(b" F") {
        k += 2;
    }
    // Then what a record number after a name starts with: ", " or " (".
    let p = at + 2 + k;
    (b[p..].starts_with(b", ") || b[p..].starts_with(b" (")).then_some(p)
}

/// The record number that starts the text at `at` (just after a name), as
/// [`record_numbers_after_names`] reads it: " (ID)" or " (ID,"; ", ID" then a comma, a bracket
/// or the line's end; or a table's gap of one to four spaces, then the ID and a space or the
/// line's end. The ID: letters, digits and hyphens, [`record_shaped`], not a date, not ten
/// bare digits (a phone number) and not a ticket's or an order's.
fn record_number_at(b: &[u8], at: usize) -> Option<(usize, usize)> {
    let r = b.get(at..)?;
    let (skip, bracket, comma) = if r.starts_with(b" (") {
        (2, true, false)
    } else if r.starts_with(b", ") {
        (2, false, true)
    } else {
        // (A table's column gap too: "Ortiz-Ramos, Ana      LV00620177   54".)
        let gap = r.iter().take_while(|&&c| c == b' ').count();
        if !(1..=12).contains(&gap) {
            return None;
        }
        (gap, false, false)
    };
    let id = &r[skip..];
    let n = id
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
        .count();
    let v = &id[..n];
    let next = id.get(n).copied();
    let ends = if bracket {
        matches!(next, Some(b')' | b','))
    } else if comma {
        // ("Mrs Yoder, 00958836. 63F new L breast IDC": a sentence's end too, blind batch 38.)
        matches!(next, Some(b',' | b')' | b'\n' | b'\r') | None)
            || next == Some(b'.') && matches!(id.get(n + 1), Some(b' ' | b'\n' | b'\r') | None)
    } else {
        matches!(next, Some(b' ' | b'\n' | b'\r' | b'\t') | None)
    };
    // Digit groups shaped like a date ("2010-01-30", "1-30-2010").
    let (mut lens, mut groups, mut digits_only) = ([0usize; 3], 0, true);
    for g in v.split(|&c| c == b'-') {
        if let Some(l) = lens.get_mut(groups) {
            *l = g.len();
        }
        groups += 1;
        digits_only &= g.iter().all(u8::is_ascii_digit);
    }
    let date_shaped =
        groups == 3 && digits_only && matches!(lens, [4, 1 | 2, 1 | 2] | [1 | 2, 1 | 2, 2 | 4]);
    let phone_digits = v.len() == 10 && v.iter().all(u8::is_ascii_digit);
    (ends
        && v.last().is_none_or(|&c| c != b'-')
        && record_shaped(v)
        && !date_shaped
        && !phone_digits
        && !business_id(v, TICKET_PREFIXES))
    .then_some((at + skip, at + skip + n))
}

/// Does `after` start with one to four spaces and a record number with letters and a hyphen
/// ("CV-00530217", [`record_shaped`]), then a comma, a space, a bracket or the end?
fn record_after(after: &str) -> bool {
    // (One space, or a table's column gap: "MERRITT, Keshawn  BK24-017655  Wed 3/12",
    // "Deshmukh, Anjali        BR-102871    Aetna".)
    let b = after.as_bytes();
    let gap = b.iter().take_while(|&&c| c == b' ').count();
    if !(1..=12).contains(&gap) {
        return false;
    }
    let r = &b[gap..];
    let n = r
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
        .count();
    let id = &r[..n];
    // (Not an invoice's, an order's or a ticket's: "Smith, Jones INV-2026-00412".)
    id.contains(&b'-')
        && !business_id(id, TICKET_PREFIXES)
        && !business_id(id, &[b"so", b"wo", b"ref", b"est", b"q"])
        && id.iter().any(u8::is_ascii_alphabetic)
        && record_shaped(id)
        && matches!(r.get(n), Some(b',' | b' ' | b')') | None)
}

/// Does `after` start, past one to four spaces, with a record's label and its number: "MRN
/// HR00203398", "HAR 700193204455", "CSN: 1188204417", "Acct# 7104412" (the label in capitals,
/// or "Acct"; five digits or more in the number)?
fn labelled_record_after(after: &str) -> bool {
    let b = after.as_bytes();
    let gap = b.iter().take_while(|&&c| c == b' ').count();
    let r = &b[gap..];
    let n = r.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let label = &r[..n];
    let r = &r[n..];
    let r = &r[r
        .iter()
        .take_while(|c| matches!(c, b'#' | b':' | b' '))
        .count()..];
    let id = &r[..r
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
        .count()];
    (1..=4).contains(&gap)
        && [&b"MRN"[..], b"HAR", b"FIN", b"CSN", b"Acct", b"ACCT"].contains(&label)
        && id.iter().filter(|c| c.is_ascii_digit()).count() >= 5
}

/// Is `v` a clinical trial's subject number: a site's three or four digits, a hyphen, then two
/// to four digits, the first maybe a letter ("0412-011", "117-0081", "0412-G07")? Not a span of
/// years ("2024-25").
/// "Subject LMN-0287 consented at her 10/02/2025 clinic visit": a registry's or a study's
/// subject numbered by its letters and digits (two to five capitals, a hyphen, three to five
/// digits), named in prose by "subject" and followed by what the subject did (blind batch 81).
/// (Not "Subject: PO-4471 delivery": a header or a field may name anything.)
fn registry_subject_in_prose(kw_text: &str, v: &str, after: &str) -> bool {
    let vb = v.as_bytes();
    let letters = vb.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let digits = vb.len().saturating_sub(letters + 1);
    kw_text.eq_ignore_ascii_case("subject")
        && (2..=5).contains(&letters)
        && vb.get(letters) == Some(&b'-')
        && (3..=5).contains(&digits)
        && vb[letters + 1..].iter().all(u8::is_ascii_digit)
        && after.strip_prefix(' ').is_some_and(|r| {
            words![
                "consented",
                "reconsented",
                "enrolled",
                "randomized",
                "randomised",
                "screened",
                "withdrew",
                "completed",
                "missed",
                "reported",
                "experienced",
                "discontinued",
                "was",
                "had",
                "has"
            ]
            .eq_any(leading_letters(r))
        })
}

fn site_subject_shaped(v: &[u8]) -> bool {
    let Some(h) = v.iter().position(|&c| c == b'-') else {
        return false;
    };
    let (site, rest) = (&v[..h], &v[h + 1..]);
    // ("301-0417-011": a protocol's number before the site's and the subject's, blind batch
    // 50; its last part is two or three digits, never a phone number's or an SSN's four.)
    if site.len() == 3
        && site.iter().all(u8::is_ascii_digit)
        && let Some(k) = rest.iter().position(|&c| c == b'-')
        && site_subject_shaped(rest)
        && (2..=3).contains(&(rest.len() - k - 1))
    {
        return true;
    }
    // ("S0417-019": a screening number, the site's after a letter.)
    let site = match site.split_first() {
        Some((c, digits)) if c.is_ascii_uppercase() && digits.len() >= 3 => digits,
        _ => site,
    };
    let rest_digits = match rest.first() {
        Some(c) if c.is_ascii_uppercase() => &rest[1..],
        _ => rest,
    };
    let years = site.len() == 4 && (site.starts_with(b"19") || site.starts_with(b"20"));
    (3..=4).contains(&site.len())
        && site.iter().all(u8::is_ascii_digit)
        && (2..=4).contains(&rest_digits.len())
        && rest_digits.iter().all(u8::is_ascii_digit)
        && !(years && rest.len() == 2)
}

/// Does `after` start, past one to twelve spaces, with a chart number of one to three letters
/// and six to ten digits ("HR00544390"), not an order's, an invoice's or a ticket's ("PO1234567")?
fn chart_number_after(after: &str) -> bool {
    let b = after.as_bytes();
    let gap = b.iter().take_while(|&&c| c == b' ').count();
    let r = &b[gap.min(b.len())..];
    let letters = r.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let digits = r[letters..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    (1..=12).contains(&gap)
        && (1..=3).contains(&letters)
        && (6..=10).contains(&digits)
        && matches!(
            r.get(letters + digits),
            Some(b',' | b' ' | b')' | b'\n') | None
        )
        && !business_id(&r[..letters], TICKET_PREFIXES)
        && !business_id(
            &r[..letters],
            &[b"so", b"wo", b"ref", b"est", b"q", b"sn", b"lot"],
        )
}

/// Does `after` (see [`after_name`]) start with a record number in brackets ("Travis Koenig
/// (RCB-0038825)", [`record_shaped`])? Asked only of a name the name lists know ("MedRoute Scheduling (VRM-2026-0142)" is a vendor's ticket).
/// Does `after` open with " (", one to four capitals, a hyphen, six to ten digits and ")"
/// ("Kessler (LC-0048801)": a chart number with its letters; not a DEA number, "(FC4789321)",
/// nor an extension, "(x4-0170)", nor a fax's "(200x200)")?
fn chart_number_with_letters_in_brackets(after: &str) -> bool {
    let Some(r) = after.as_bytes().strip_prefix(b" (") else {
        return false;
    };
    let caps = r.iter().take_while(|c| c.is_ascii_uppercase()).count();
    // ("Haddad (JP-24-1187)": a probation case's year and number, groups of digits joined by
    // hyphens; blind batch 85.)
    let body = r.get(caps + 1..).map_or(&[][..], |d| {
        &d[..d
            .iter()
            .take(16)
            .take_while(|c| c.is_ascii_digit() || **c == b'-')
            .count()]
    });
    let digits = body.iter().filter(|c| c.is_ascii_digit()).count();
    (1..=4).contains(&caps)
        && r.get(caps) == Some(&b'-')
        && (6..=10).contains(&digits)
        && body.first().is_some_and(u8::is_ascii_digit)
        && body.last().is_some_and(u8::is_ascii_digit)
        && !body.windows(2).any(|w| w == b"--")
        && r.get(caps + 1 + body.len()) == Some(&b')')
}

fn record_in_brackets_after(after: &str) -> bool {
    record_opening_brackets_after(after, false)
}

/// Is the word at `p` a record system's test patient's surname, "ZZ" to sort last and "TEST"
/// ("Patient: ZZTEST, CCMONE", "ZZZTEST"), no one (blind set RG)? Not a trauma alias
/// ("ZZTRAUMA, SIERRA"): an unidentified patient's temporary name is a real patient's.
fn test_patient_at(text: &str, p: usize) -> bool {
    let b = text.as_bytes();
    let n = letters_end(b, p) - p;
    let w = &b[p..p + n];
    w.len() >= 6
        && w[..2].eq_ignore_ascii_case(b"zz")
        && w.windows(4).any(|x| x.eq_ignore_ascii_case(b"test"))
}

/// Is `url` on the host of an organisation writing to its own people: the first `From:` and
/// `To:` mailboxes share a domain and the link's host is in it ("From: ClaimCenter Reports
/// <reports-noreply@bellmontrisk.com>", "To: Gwen Abernathy <gabernathy@bellmontrisk.com>",
/// "https://reports.bellmontrisk.com/rs/view?run=RPT-20250311-88213": a scheduled report; blind
/// set RT)? Such a link's token is the organisation's system's, not a patient's personal link.
fn own_system_link(doc: &Doc<'_>, url: &str) -> bool {
    let Some(&from) = doc.froms.first() else {
        return false;
    };
    let head = &doc.text[from..];
    let head = &head[..floor_cb(head, head.find("\n\n").unwrap_or(head.len()).min(2048))];
    let domain = |line: &str| {
        header_mailbox(line).map(|(_, a)| a.rsplit_once('@').map_or("", |(_, d)| d).to_string())
    };
    let from_line = head.lines().next().unwrap_or("");
    let Some(writer) = domain(from_line) else {
        return false;
    };
    // A system's own mailbox writes ("reports-noreply@", "mastercontrol-noreply@"), or the mail
    // goes to a whole group ("SHCS-AllStaff"): a member of staff passing a patient's join link
    // to a colleague is not the organisation's system.
    let system = header_mailbox(from_line).is_some_and(|(_, a)| {
        let local = a.split('@').next().unwrap_or("").to_ascii_lowercase();
        [
            "noreply",
            "no-reply",
            "donotreply",
            "do-not-reply",
            "notification",
            "reports",
            "alerts",
        ]
        .iter()
        .any(|w| local.contains(w))
    });
    if !system && !addressed_to_a_group(doc.text) {
        return false;
    }
    // (Mail to lists named without a mailbox, "To: All Clinical Operations", "To: UM Nurses;
    // CM-Complex-Team-East": the group is the writer's own, blind set SU.)
    let reader = match head.lines().find(|l| l.starts_with("To:")) {
        Some(to) => match domain(to) {
            Some(d) => d,
            None if !to.contains('@') && addressed_to_a_group(doc.text) => writer.clone(),
            None => return false,
        },
        None => return false,
    };
    let host = url
        .split_once("://")
        .map_or(url, |(_, r)| r)
        .split(['/', '?', ':'])
        .next()
        .unwrap_or("");
    !writer.is_empty()
        && writer.eq_ignore_ascii_case(&reader)
        && (host.eq_ignore_ascii_case(&writer)
            || host.len() > writer.len()
                && host.as_bytes()[host.len() - writer.len() - 1] == b'.'
                && host
                    .get(host.len() - writer.len()..)
                    .is_some_and(|h| h.eq_ignore_ascii_case(&writer)))
}

/// Does the rest of the line after `at` hold a price ("$1,240.00")?
fn price_on_line(doc: &Doc<'_>, at: usize) -> bool {
    let rest = doc.after_line(at, 120).as_bytes();
    memchr::memchr_iter(b'$', rest).any(|k| rest.get(k + 1).is_some_and(u8::is_ascii_digit))
        // A CSV line's price field, without a currency sign ("3,SN-0064580,Santyl ... 30g,EA,
        // 12,131.20,1574.40", blind set ST): digits, a dot and two digits between commas.
        || memchr::memchr_iter(b',', rest).any(|k| {
            let field = &rest[k + 1..];
            let field = &field[..memchr::memchr(b',', field).unwrap_or(field.len())];
            let field = field.trim_ascii_end();
            field.len() >= 4
                && field[field.len() - 3] == b'.'
                && field[..field.len() - 3].iter().all(u8::is_ascii_digit)
                && field[field.len() - 2..].iter().all(u8::is_ascii_digit)
        })
}

/// Does `after` open a bracket with a word that says whose record follows, then a number
/// (" (collected 03/10/2025", " (acct 2214087", " (MRN: 40192264", " (DOB 4/2/1959")?
fn record_cue_in_brackets(after: &str) -> bool {
    let Some(r) = after.strip_prefix(" (") else {
        return false;
    };
    let b = r.as_bytes();
    let word = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let cue = &r[..word];
    let mut rest = b[word..]
        .iter()
        .skip_while(|&&c| matches!(c, b' ' | b'#' | b':' | b'.'));
    let patient_only = words!["collected", "mrn", "dob", "dos"];
    // An account's number alone may be a business's ("Main Kitchen (Acct 30-118847)"): with a
    // date of service, a birth date or a chart number in the same bracket, a patient's.
    let account = || {
        words!["acct", "account", "fin", "har"].eq_any(cue) && {
            let inside = &r[..memchr::memchr(b')', b).unwrap_or(b.len()).min(120)];
            has_word(inside, words!["mrn", "dob", "dos"])
        }
    };
    (patient_only.eq_any(cue) || account()) && rest.next().is_some_and(u8::is_ascii_digit)
}

/// [`record_in_brackets_after`], or with `more`, a record number that opens a bracket with
/// more in it ("Zainab (WH-0004128, E88.40)").
fn record_opening_brackets_after(after: &str, more: bool) -> bool {
    after.starts_with(" (") && {
        let id = &after.as_bytes()[2..];
        let n = id
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        (id.get(n) == Some(&b')') || more && id.get(n) == Some(&b',')) && record_shaped(&id[..n])
    }
}

/// Is the mail's first block from an organisation's mailbox to one of another organisation,
/// whose `To:` line names `surname`?
fn addressee_at_an_organisation(doc: &Doc<'_>, surname: &str) -> bool {
    let Some(&from) = doc.froms.first() else {
        return false;
    };
    let from_line = doc.header_line(from);
    // (From an office's role mailbox only, "ar@", "billing@", "support@": a person writing
    // "Dear Mr. Hatfield" to a work address may be telling a patient his results.)
    // (Or from a government office: "Mr. Paik," from a state's radiation inspector to a
    // pharmacy's manager about a licence, blind batch 76.)
    let role = header_mailbox(from_line)
        .and_then(|(_, a)| a.rsplit_once('@'))
        .is_some_and(|(local, domain)| {
            ROLE_MAILBOXES.iter().any(|r| local.eq_ignore_ascii_case(r))
                || domain.to_ascii_lowercase().ends_with(".gov")
        });
    if !role || !org_mailbox_line(from_line) {
        return false;
    }
    // The `To:` line of the same header block: the lines after `From:`, up to a blank one.
    let head = &doc.text[from..ceil_cb(doc.text, (from + 1500).min(doc.text.len()))];
    let Some(to) = head
        .split('\n')
        .take_while(|l| !l.trim().is_empty())
        .find(|l| l.starts_with("To:"))
    else {
        return false;
    };
    let domain = |l: &str| {
        header_mailbox(l)
            .and_then(|(_, a)| a.rsplit_once('@'))
            .map(|(_, d)| d.to_ascii_lowercase())
    };
    // (Not at a domain of the person's own: "vb@bellweather-vineyards.co".)
    let to_domain = domain(to);
    org_mailbox_line(to)
        && to_domain != domain(from_line)
        && !to_domain.is_some_and(|d| d.contains(&surname.to_ascii_lowercase()))
        && to
            .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
            .any(|w| w == surname)
}

/// Is the token `t` a weekday's abbreviation ("Thu") in a line that pairs another weekday
/// with a capitalised word ("Mon Raman, Tue Adeyemi, Wed Lindqvist, Thu Marsh")?
fn weekday_rota(text: &str, doc: &Doc<'_>, t: Tok) -> bool {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let day = &text[t.s..t.e];
    if !DAYS.contains(&day) {
        return false;
    }
    let line = &text[doc.line_start(t.s)..doc.line_end(t.s)];
    DAYS.iter().filter(|d| **d != day).any(|d| {
        line.match_indices(d).any(|(k, _)| {
            let after = line.as_bytes().get(k + 3..k + 5);
            (k == 0 || !line.as_bytes()[k - 1].is_ascii_alphabetic())
                && after.is_some_and(|a| a[0] == b' ' && a[1].is_ascii_uppercase())
        })
    })
}

/// Is `v` a date in digits and slashes ("04/21/2026", "4/21/26")?
fn date_shaped(v: &str) -> bool {
    let mut parts = v.split('/');
    let (Some(m), Some(d), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let digits =
        |p: &str, lens: &[usize]| lens.contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit());
    digits(m, &[1, 2]) && digits(d, &[1, 2]) && digits(y, &[2, 4])
}

/// Does `after` start with a chart or accession cue and its number ("Okafor acc
/// LK2503120031", "Smith MRN 250312003", "Reyes MRN# 00417731")?
fn record_cue_after(after: &str) -> bool {
    let Some(r) = after.strip_prefix(' ') else {
        return false;
    };
    let cue = leading_letters(r);
    if !(words!["mrn", "acc", "accession"].eq_any(cue)
        // (In lower case only as typed in a hurry: "Acc" opens a sentence, "MRN" is written
        // in capitals.)
        && (cue == "MRN" || cue.bytes().all(|c| c.is_ascii_lowercase())))
    {
        return false;
    }
    let id = r[cue.len()..]
        .trim_start_matches(['#', ':', ' '])
        .as_bytes();
    let n = id
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
        .count();
    id.get(n).is_none_or(|c| !c.is_ascii_alphanumeric()) && record_shaped(&id[..n])
}

/// Is the line at `ls` a row of a CSV roster of staff: a block of comma-separated lines whose
/// heading's first cell names staff ("Volunteer,PATCH,Child Abuse History,FBI Fingerprint", a
/// volunteer program's clearances, blind batch 64; "Provider,NPI,Specialty")? Each row's
/// first cell is then a member of staff, not a patient.
fn staff_roster_row(text: &str, ls: usize) -> bool {
    let b = text.as_bytes();
    let commas = |s: usize, e: usize| memchr::memchr_iter(b',', &b[s..e]).take(2).count() == 2;
    let le = memchr::memchr(b'\n', &b[ls..]).map_or(b.len(), |i| ls + i);
    if !commas(ls, le) {
        return false;
    }
    // Up over the block's rows to its first line (at most 80 rows).
    let mut head = ls;
    for _ in 0..80 {
        if head < 2 {
            break;
        }
        let ps = memchr::memrchr(b'\n', &b[..head - 1]).map_or(0, |i| i + 1);
        if !commas(ps, head - 1) {
            break;
        }
        head = ps;
    }
    if head == ls {
        return false;
    }
    let first = text[head..].split([',', '\n']).next().unwrap_or("");
    let first = first.trim().trim_matches('"').to_ascii_lowercase();
    let first = first.trim_end_matches(" name").trim_end_matches("_name");
    // (Not "employee" or "applicant": an occupational clinic's lists of those it examines are
    // its patients.)
    words![
        "volunteer",
        "volunteers",
        "staff",
        "staff member",
        "provider",
        "clinician",
        "preceptor",
        "instructor"
    ]
    .eq_any(first)
}

/// Is the line at `ls` a row of a table of employees' hours or pay: a block of lines whose
/// heading opens with an employee's column and names hours, a department or pay, and no
/// test, code or service ("EMPLOYEE  EMP ID  DEPT  REG HRS  OT HRS  EXCEPTIONS", a payroll
/// service's timesheet approvals, blind batch 80)? Each row's first cell is then a member of
/// staff. (An occupational clinic's invoice lists employees with the tests it did: patients.)
/// The name at `start` is in the employee's column: the first, or in a row of cells split by
/// commas, bars or tabs ("2,2026-01-13,Rommel Bautista,Front desk,4410,38.5") the one the
/// heading names so.
fn payroll_table_row(text: &str, ls: usize, start: usize) -> bool {
    let b = text.as_bytes();
    // (The cheap test first: at a line's start, or right after a cell's separator within 200
    // bytes; a name in prose is neither, and costs no walk up.)
    let row = text[ls..start].trim_start_matches(['|', ' ']);
    let column = if row.is_empty() {
        0
    } else if row.len() <= 200 && row.trim_end_matches(' ').ends_with([',', '|', '\t']) {
        row.bytes()
            .filter(|c| matches!(c, b',' | b'|' | b'\t'))
            .count()
    } else {
        return false;
    };
    // Up over the block's lines to its first (at most 40 rows of at most 1 KB each: a table's
    // rows are short, and a long line costs no search back through it).
    let mut head = ls;
    for _ in 0..40 {
        if head < 2 || b[head - 2] == b'\n' {
            break;
        }
        let from = (head - 1).saturating_sub(1024);
        match memchr::memrchr(b'\n', &b[from..head - 1]) {
            Some(i) => head = from + i + 1,
            None if from == 0 => head = 0,
            None => return false,
        }
    }
    if head == ls {
        return false;
    }
    // The heading's first 300 bytes; its first cell before anything is copied.
    let le = memchr::memchr(b'\n', &b[head..ls]).map_or(ls, |i| head + i);
    let heading = text[head..floor_cb(text, le.min(head + 300))].trim_start_matches(['|', ' ']);
    let first = if column == 0 {
        heading
            .split(['\t', '|', ','])
            .next()
            .and_then(|c| c.split("  ").next())
            .unwrap_or("")
    } else {
        heading.split(['\t', '|', ',']).nth(column).unwrap_or("")
    }
    .trim();
    if !words![
        "employee",
        "employee name",
        "emp name",
        "staff",
        "staff member",
        "worker"
    ]
    .eq_any(first)
    {
        return false;
    }
    let cells = heading
        .to_ascii_lowercase()
        .replace(['\t', '|', ',', '_', '/'], " ");
    has_word(
        &cells,
        words![
            "hrs",
            "hours",
            "dept",
            "department",
            "pto",
            "overtime",
            "ot",
            "shift",
            "pay",
            "rate",
            "wage",
            "timesheet"
        ],
    ) && !has_word(
        &cells,
        words![
            "cpt",
            "test",
            "tests",
            "panel",
            "exam",
            "diagnosis",
            "dx",
            "service",
            "result",
            "results",
            "vaccine",
            "dose",
            "dob"
        ],
    )
}

/// Does `before` (the text before a word) end with a bed or a bay and its number, then a
/// comma, a dash or a colon ("MICU bed 7, ", "bed 12 - ", "Bay 3A: ")?
fn bed_before(before: &str) -> bool {
    let t = before.trim_end_matches(' ');
    let Some(t) = t
        .strip_suffix(',')
        .or_else(|| t.strip_suffix(" -"))
        .or_else(|| t.strip_suffix(':'))
    else {
        return false;
    };
    let b = t.as_bytes();
    // (A number of up to three digits, a letter after it: "7", "12", "3A".)
    let mut n = b.len();
    if n > 0 && b[n - 1].is_ascii_uppercase() {
        n -= 1;
    }
    let digits = b[..n]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    (1..=3).contains(&digits)
        && b[..n - digits].ends_with(b" ")
        // (Not a room: "Room 214, Morton Grove, IL" is an address, "conf rm 4B - Owen" a
        // meeting.)
        && words!["bed", "bay", "pod", "cubicle", "stretcher"]
            .eq_any(last_word(&t[..n - digits - 1], b" \t\n(,"))
}

/// Does `after` (see [`after_name`]) name the day of a visit: " on 11/17", " on Tuesday", " on
/// Nov 17", " today", " yesterday", " this morning"? ("after seeing Nia on 11/17", "saw Kiran
/// yesterday": the person seen is a patient; "seeing Leah Brightwater for therapy" is the
/// clinician.)
fn visit_day_after(after: &str) -> bool {
    let Some(r) = after.strip_prefix(' ') else {
        return false;
    };
    let w = leading_letters(r);
    if w == "on" {
        let next = r[2..].trim_start_matches(' ');
        let day = leading_letters(next);
        return next.starts_with(|c: char| c.is_ascii_digit())
            || MONTH_NAMES.eq_any(day)
            || words![
                "mon",
                "monday",
                "tue",
                "tues",
                "tuesday",
                "wed",
                "wednesday",
                "thu",
                "thur",
                "thurs",
                "thursday",
                "fri",
                "friday",
                "sat",
                "saturday",
                "sun",
                "sunday"
            ]
            .eq_any(day);
    }
    words!["today", "yesterday"].eq_any(w)
        || w == "this"
            && words!["morning", "afternoon", "week"].eq_any(leading_letters(r[4..].trim_start()))
}

/// Does `after` start with " (", at most one word (maternal, paternal, step, ...) and a family
/// relation ("Luz Delgado (maternal grandmother)", "Marisol Ruiz (mother/guardian)", "Hector
/// Ruiz (father)")?
/// "MR SHOULDER RT WO/W CONTRAST", "MR BRAIN WO CONTRAST": the capitals after "MR" (`after`,
/// the rest of its line) name a body part or the study's side and contrast, not a man.
fn mr_study_order(after: &str) -> bool {
    let mut words = after
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(6);
    let Some(first) = words.next() else {
        return false;
    };
    first.bytes().all(|c| !c.is_ascii_lowercase())
        && (words![
            "brain",
            "head",
            "orbits",
            "face",
            "neck",
            "spine",
            "cervical",
            "thoracic",
            "lumbar",
            "sacrum",
            "pelvis",
            "abdomen",
            "chest",
            "breast",
            "cardiac",
            "heart",
            "shoulder",
            "elbow",
            "wrist",
            "hand",
            "hip",
            "knee",
            "ankle",
            "foot",
            "femur",
            "tibia",
            "humerus",
            "forearm",
            "lower",
            "upper",
            "extremity",
            "prostate",
            "liver",
            "pituitary",
            "iac",
            "angio",
            "mra",
            "mrcp",
            "enterography"
        ]
        .eq_any(first)
            || words.any(|w| words!["wo", "wwo", "contrast"].eq_any(w)))
}

/// A staff role or a word for a colleague right before a name: "our new midwife Tess
/// Vandermolen", "new hire Dana Ruiz".
fn colleague_word(prev_word: &str) -> bool {
    STAFF_ROLES.eq_any(prev_word)
        || words![
            "midwife",
            "nurse",
            "doctor",
            "np",
            "rn",
            "lpn",
            "cna",
            "hire",
            "colleague",
            "coworker",
            "employee",
            "intern"
        ]
        .eq_any(prev_word)
}

fn relative_in_brackets_after(after: &str) -> bool {
    let Some(r) = after.strip_prefix(" (") else {
        return false;
    };
    // (`after` is a short window already; at most 40 bytes of it, cut at a char boundary.)
    let inner = &r[..floor_cb(r, r.find(')').unwrap_or(r.len()).min(40))];
    let mut words = inner
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty());
    // The relatives a cue word names, and the elders and guardians a family lists; not
    // "partner" or "child" alone, which name a firm's partner or a program.
    let relative = |w: &str| {
        (RELATIVES.eq_any(w) && !words!["partner", "child"].eq_any(w))
            || words!["grandmother", "grandfather", "guardian"].eq_any(w)
    };
    match (words.next(), words.next()) {
        (Some(a), _) if relative(a) => true,
        (Some(a), Some(b)) => {
            // ("Owen Strickler (resource parent)", "(kinship caregiver)": a foster child's
            // household, blind batch 64.)
            words![
                "maternal", "paternal", "legal", "foster", "adoptive", "resource", "kinship"
            ]
            .eq_any(a)
                && (relative(b) || words!["parent", "parents", "caregiver"].eq_any(b))
        }
        _ => false,
    }
}

/// Does `after` (see [`after_name`]) call the person just named a patient: a bracket or a
/// comma, then "pt" or "patient" after a word that says whose or which ("Svetlana Petrenko
/// (your PI pt, I see her tues/thurs)", "Ana Ruiz, a new patient, called", "Tomas Grey (pt
/// of Dr. Raman)")? Not "Sam Okoro, PT" (a credential), not "Hannah Cho, our patient
/// coordinator" (a job: [`PATIENT_AS_MODIFIER`]), not "your patients" or "the patient's".
fn patient_apposition_after(after: &str) -> bool {
    let Some(r) = after
        .strip_prefix(" (")
        .or_else(|| after.strip_prefix(", "))
        .or_else(|| after.strip_prefix(" - "))
    else {
        return false;
    };
    let bracket = after.starts_with(" (");
    // "filed 10/09/2025 by J. Baptiste, inmate 2025-014455": a jail's patient and the number
    // it books him under (blind batch 63).
    let w = leading_letters(r);
    if words!["inmate", "detainee"].eq_any(w)
        && r[w.len()..]
            .trim_start_matches([' ', '#', ':'])
            .starts_with(|c: char| c.is_ascii_digit())
    {
        return true;
    }
    let mut rest = r;
    // Up to three words before "pt" or "patient": the first says whose or which.
    for k in 0..4 {
        let w = leading_letters(rest);
        if w.is_empty() {
            return false;
        }
        let tail = &rest[w.len()..];
        if words!["pt", "patient"].eq_any(w) {
            // In lower case unless it opens the bracket ("(Pt of Dr. Raman)"); ", PT" after a
            // name is a physical therapist's credential.
            let lower = w.bytes().all(|c| c.is_ascii_lowercase());
            // (Not "PT" in capitals: "Bridget O'Rourke (RT), Paolo Gutierrez (PT, SCI)" names
            // new staff by discipline, blind set TS.)
            let opens = k == 0 && bracket && w != "PT";
            let next = tail.as_bytes().first().copied();
            // (What follows: the bracket's or the phrase's end, or "of"; not "'s" or a job.)
            let ends = match next {
                None | Some(b')' | b',' | b';' | b'.') => true,
                Some(b' ') => {
                    let n = leading_letters(&tail[1..]);
                    // (A word cut by the window's end may be a job's: "patient coordinato".)
                    !n.is_empty()
                        && n.len() < tail.len() - 1
                        && !PATIENT_AS_MODIFIER.eq_any(n)
                        && !n.ends_with("ist")
                }
                _ => false,
            };
            return (lower || opens) && (k > 0 || bracket) && ends;
        }
        if k == 0
            && !words![
                "your",
                "my",
                "our",
                "his",
                "her",
                "their",
                "a",
                "an",
                "the",
                "new",
                "established",
                "former",
                "hospice",
                "home"
            ]
            .eq_any(w)
        {
            return false;
        }
        // (Words of letters and one space: "PI", "new", "post-op" is no word of its own.)
        let Some(t) = tail.strip_prefix(' ') else {
            return false;
        };
        rest = t;
    }
    false
}

/// Does `after` start with " (" and six to twelve digits and ")" ("Pritchett (00517736)",
/// a state Medicaid recipient ID "Ostrowski (100663190278)")?
fn digits_in_brackets_after(after: &str) -> bool {
    after.strip_prefix(" (").is_some_and(|r| {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        (6..=12).contains(&n) && r.as_bytes().get(n) == Some(&b')')
    })
}

/// Does `after` (see [`after_name`]) start with a credential (", RN", " MD")?
fn credential_after(after: &str) -> bool {
    (after.starts_with(", ") || after.starts_with(" ")) && {
        // Delimiters are ASCII, so byte positions are char boundaries. ("Whitney Cole   |
        // PA-C | Otolaryngology": a roster table's next cell.)
        let ab = after.as_bytes();
        // ("Marcus Delgado (SW)   37   84%": a credential in brackets, closed right after.)
        let bracketed = after.starts_with(" (");
        let mut k = ab
            .iter()
            .position(|&c| c != b',' && c != b' ' && c != b'|' && !(bracketed && c == b'('))
            .unwrap_or(ab.len());
        // ("Lucy Abernathy, sub RN (PM)", "Dana Ruiz, travel RN": the kind of post before the
        // credential.) (Each kind starts with a letter of its own: one compare at most.)
        let kind: &[u8] = match ab.get(k).map(|&c| c | 0x20) {
            Some(b's') => b"sub ",
            Some(b'f') => b"float ",
            Some(b't') => b"travel ",
            Some(b'a') => b"agency ",
            Some(b'c') => b"charge ",
            Some(b'r') => b"relief ",
            _ => b"",
        };
        if !kind.is_empty()
            && ab.len() > k + kind.len()
            && ab[k..k + kind.len()].eq_ignore_ascii_case(kind)
        {
            k += kind.len();
        }
        // A credential found below starts at `k` and shares its first two bytes with the text
        // there (a one-byte one is followed by a delimiter, a dot or the end): when no list
        // word does, the answer is no without finding the word's end.
        let Some(&first) = ab.get(k) else {
            return false;
        };
        // ("Renata Sokolowski     | CT(ASCP)", "MLS(ASCP)CM": a laboratory credential with
        // its certifying board in brackets, blind batch 65.)
        let letters = ab[k..]
            .iter()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        if (2..=5).contains(&letters) && ab.get(k + letters) == Some(&b'(') {
            let board = &ab[k + letters + 1..];
            let n = board.iter().take_while(|c| c.is_ascii_uppercase()).count();
            if board.get(n) == Some(&b')')
                && [&b"ASCP"[..], b"ASCPI", b"AMT", b"ARRT", b"NRCC", b"AAB"].contains(&&board[..n])
            {
                return true;
            }
        }
        if !CREDENTIALS.may_start(first, ab.get(k + 1).copied()) {
            return false;
        }
        // Where the word ends, and its last hyphen (one pass; `hyphen` is from `k`).
        let (mut m, mut hyphen) = (k, None);
        while m < ab.len() && !matches!(ab[m], b',' | b';' | b' ' | b'|' | b'\n' | b')') {
            if ab[m] == b'-' {
                hyphen = Some(m - k);
            }
            m += 1;
        }
        // (Markdown emphasis closes after it: "*Lucy Abernathy, sub RN*".)
        let word = {
            let mut e = m;
            while e > k && matches!(ab[e - 1], b'.' | b'*' | b'_') {
                e -= 1;
            }
            // ("Lena Fujimoto DPT's is 1330718424": a credential's possessive, in capitals.)
            if e >= k + 4
                && &ab[e - 2..e] == b"'s"
                && ab[k..e - 2].iter().all(u8::is_ascii_uppercase)
            {
                e -= 2;
            }
            &after[k..e]
        };
        // ("PMHNP-BC", "FNP-C", "AGACNP-BC": a credential and its certifying board's suffix.)
        // (Found above: no trimmed byte is a hyphen.)
        let word = match hyphen.map(|h| (&word[..h], &word[h + 1..])) {
            Some((cred, board))
                if !CREDENTIALS.eq_any(word)
                    // ("APRN-CNP", "APRN-CNM": a nurse's role after the licence, blind set SQ.)
                    && (words!["bc", "c", "cns"].eq_any(board) || CREDENTIALS.eq_any(board))
                    && CREDENTIALS.eq_any(cred) =>
            {
                cred
            }
            _ => word,
        };
        // ("For Mr. Babcock, do we extend": a credential that is also an English word counts
        // only with a capital.)
        CREDENTIALS.eq_any(word)
            && !(word.bytes().all(|c| c.is_ascii_lowercase())
                && words!["do", "pa", "ma", "ms", "ot", "pt", "od", "dc", "mt", "rd"].eq_any(word))
            && (!bracketed || ab.get(m) == Some(&b')'))
            // ("Kayla Ostrowski   MA 8804472930   PU 7:40 AM": letters before a long number
            // are the number's program, Medical Assistance, not a credential; after a comma
            // they are one: "Colleen Mabry, MD        1601131422   OB/GYN", a provider's
            // NPI in a report's row, blind set SD.)
            && (after.starts_with(", ")
                || ab[m..]
                    .iter()
                    .skip_while(|&&c| c == b' ')
                    .take_while(|c| c.is_ascii_digit())
                    .count()
                    < 6)
    }
}

/// Most items a [`SmallSet`] compares one by one before it hashes them.
const SMALL_SET: usize = 16;

/// Membership in a collection that is usually tiny (the few patient names, staff words and name
/// positions of one message): compared one by one up to [`SMALL_SET`] items, which is cheaper
/// than building a hash set; hashed beyond that, so a look-up stays constant time.
enum SmallSet<T> {
    List(Vec<T>),
    Hashed(FastSet<T>),
}

impl<T: Eq + std::hash::Hash> SmallSet<T> {
    fn new(items: Vec<T>) -> SmallSet<T> {
        if items.len() <= SMALL_SET {
            SmallSet::List(items)
        } else {
            SmallSet::Hashed(items.into_iter().collect())
        }
    }

    fn contains<Q>(&self, q: &Q) -> bool
    where
        T: std::borrow::Borrow<Q>,
        Q: Eq + std::hash::Hash + ?Sized,
    {
        match self {
            SmallSet::List(v) => v.iter().any(|x| x.borrow() == q),
            SmallSet::Hashed(s) => s.contains(q),
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            SmallSet::List(v) => v.is_empty(),
            SmallSet::Hashed(s) => s.is_empty(),
        }
    }

    /// Every item (a list may hold one more than once).
    fn iter(&self) -> impl Iterator<Item = &T> {
        let (list, hashed) = match self {
            SmallSet::List(v) => (Some(v.iter()), None),
            SmallSet::Hashed(s) => (None, Some(s.iter())),
        };
        list.into_iter()
            .flatten()
            .chain(hashed.into_iter().flatten())
    }
}

/// After "lives with" or "staying with" at `ke`: one to three lower-case words ("us", "his
/// parents", "a cousin"), then "in" and a town ([`town_at`]); where the town starts and ends.
fn town_after_company(text: &str, ke: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut i = ke;
    for _ in 0..4 {
        if b.get(i) != Some(&b' ') {
            return None;
        }
        let we = letters_end(b, i + 1);
        let w = &b[i + 1..we];
        if w.is_empty() || !w.iter().all(u8::is_ascii_lowercase) {
            return None;
        }
        if w == b"in" && i > ke {
            return town_at(text, we + 1).map(|e| (we + 1, e));
        }
        i = we;
    }
    None
}

/// After "lives in", "moved to" and the like, a town without its state: "Pt lives in Powell
/// with his wife", "has moved to Cutler". One or two capitalised words, ended by the end of the
/// clause; not a place that is an organisation or a kind of home ("lives in Assisted Living",
/// "moved to Maple Terrace Senior Living", "moving to Epic").
fn residence_town(kw: &str, text: &str, p: usize) -> Option<usize> {
    // Every town cue in [`KEYWORDS`] but those read otherwise: a sign-in's "Location" and a
    // form's "City of residence" (a field's value), "lives with" and "staying with" (the
    // company first, `town_after_company`).
    if words![
        "location",
        "approximate location",
        "approx. location",
        "city of residence",
        "lives with",
        "staying with"
    ]
    .eq_any(kw)
    {
        return None;
    }
    // (Not a state alone: "I live in Texas and cant get there until the weekend".)
    town_at(text, p).filter(|&e| !STATE_NAMES.eq_any(&text[p..e]))
}

/// The town cues that say where a person travels in from ("coming from", "each way from"),
/// not where they live: span-only ([`residence_town`]).
const TRIP_CUES: &Words = words![
    "coming from",
    "coming in from",
    "drive him in from",
    "drive her in from",
    "drives him up from",
    "drives her up from",
    "each way from",
    "flying in from",
    "driving up from",
    "driving down from",
    "driving from",
    "driving her up from",
    "driving him up from",
    "pick me up in",
    "pick him up in",
    "pick her up in",
    "drives herself from",
    "drives himself from",
    "bring him from",
    "bring her from"
];

/// Where the town at `p` ends ([`residence_town`]'s reading, whatever the cue before it).
fn town_at(text: &str, p: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut e = p;
    let mut n = 0;
    loop {
        if !b.get(e).is_some_and(u8::is_ascii_uppercase) {
            break;
        }
        let we = letters_end(b, e + 1);
        let w = &text[e..we];
        // ("Harlan Falls", "Gig Harbor", "Cuyahoga Falls": a town's second word may be a
        // common noun.)
        let place_word = n == 1 && PLACE_SECOND_WORDS.eq_any(w);
        // The capitalised word after this one, when one space comes between.
        let next_word = || {
            (b.get(we) == Some(&b' ') && b.get(we + 1).is_some_and(u8::is_ascii_uppercase))
                .then(|| &text[we + 1..letters_end(b, we + 2)])
        };
        // "La Pine", "Le Mars", "De Soto": a short first word of a town's name ("St Brendan" is
        // as often a hospital); "Christmas Valley", "Cottage Grove": an everyday word before a
        // town's common noun.
        // ("New Cumberland", "Fort Loudon", "North Canton": a compass point's or a fort's word
        // first, blind batch 38; "Camp Hill", batch 74.)
        let town_head = n == 0
            && (words![
                "la", "le", "el", "de", "du", "new", "north", "south", "east", "west", "fort",
                "port", "mount", "camp"
            ]
            .eq_any(w)
                && next_word().is_some_and(|x| x.len() >= 3)
                || next_word().is_some_and(|x| PLACE_SECOND_WORDS.eq_any(x))
                    && !ORG_WORDS.eq_any(w)
                    && !WEEKDAY_FORMS.eq_any(w)
                    // (Nor a day's or a month's name: "Monday Creek" is no town here.)
                    && !w.to_ascii_lowercase().ends_with("day")
                    && !MONTH_NAMES.eq_any(w));
        if !place_word
            && !town_head
            && (w.len() < 3
            // ("NorthPoint", "MyChart": a brand.)
            || w.bytes().skip(1).any(|c| c.is_ascii_uppercase())
            || ORG_WORDS.eq_any(w)
            || ORG_AFTER.eq_any(w)
            || {
                let lw = w.to_ascii_lowercase();
                NOT_NAMES_INDEX.contains(lw.as_bytes(), word_key(lw.as_bytes()))
            }
            || WEEKDAY_FORMS.eq_any(w))
        {
            return None;
        }
        n += 1;
        e = we;
        if n == 2 || b.get(e) != Some(&b' ') || !b.get(e + 1).is_some_and(u8::is_ascii_uppercase) {
            break;
        }
        e += 1;
    }
    // The clause ends: punctuation, a line break, or a lower-case word ("with his wife").
    let ends = match b.get(e) {
        None => true,
        Some(&c) => {
            matches!(c, b'.' | b',' | b';' | b'\n' | b'\r' | b')')
                || c == b' ' && b.get(e + 1).is_some_and(u8::is_ascii_lowercase)
        }
    };
    (n > 0 && ends).then_some(e)
}

/// Second words of town names that are also common nouns ("Harlan Falls", "Gig Harbor",
/// "Colorado Springs"), accepted after a first word that is a name.
const PLACE_SECOND_WORDS: &Words = words![
    "falls", "springs", "heights", "city", "park", "beach", "harbor", "creek", "valley", "lake",
    "hills", "point", "ridge", "junction", "grove", "rapids", "bluffs", "village", "mills",
];

/// Short and plural names of the days ("moved to Thursdays", "moving to Sun") that are not
/// in [`NOT_NAMES`] (the full names and "tue", "wed", "thur" are): "Thu" and "Sun" are also
/// given names and surnames, read as days only where a town or a list item is looked for.
const WEEKDAY_FORMS: &Words = words![
    "mon",
    "thu",
    "fri",
    "sat",
    "sun",
    "mondays",
    "tuesdays",
    "wednesdays",
    "thursdays",
    "fridays",
    "saturdays",
    "sundays"
];

/// "City, ST" (one to four capitalised words, a comma, a two-letter state or a state's full
/// name: "Gary, Indiana").
pub(crate) const CITY: &str = r"[A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*){0,3}, (?:[A-Z]{2}|Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming)\b";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_contact_separator_is_a_search_for_each_separator() {
        let mut rng = Rng(0x5eed_c0de);
        let atoms = [
            "|",
            " - ",
            "-",
            " ",
            "\u{2013}",
            " \u{2013} ",
            "\u{b7}",
            "\u{2022}",
            "a",
            "\u{e9}",
            "\u{2014}",
        ];
        for _ in 0..20_000 {
            let line = rng.text(&atoms, 6);
            let want = CONTACT_SEPARATORS.iter().any(|s| line.contains(s));
            assert_eq!(has_contact_separator(&line), want, "{line:?}");
        }
    }

    #[test]
    fn contact_separators_trimmed_are_the_separators_without_spaces() {
        let trimmed: Vec<&str> = CONTACT_SEPARATORS.iter().map(|s| s.trim()).collect();
        assert_eq!(trimmed, CONTACT_SEPARATORS_TRIMMED);
    }

    /// A small deterministic generator for the randomised tests below.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }

        /// Up to `max` pieces of `atoms`, joined.
        fn text(&mut self, atoms: &[&str], max: usize) -> String {
            let n = self.below(max + 1);
            (0..n).map(|_| atoms[self.below(atoms.len())]).collect()
        }
    }

    #[test]
    fn word_bytes_marks_exactly_the_word_bytes() {
        for v in 0..=255u8 {
            for pos in 0..8 {
                let mut a = *b"x_ 9-Z.\xff";
                a[pos] = v;
                let m = word_bytes(u64::from_le_bytes(a));
                for (i, &c) in a.iter().enumerate() {
                    assert_eq!(m >> (8 * i) & 0xff, if is_word_byte(c) { 0x80 } else { 0 });
                }
            }
        }
    }

    /// `has_word` as it was written before the word-start scan: every byte position.
    fn has_word_bytewise(hay: &str, words: &Words) -> bool {
        let h = hay.as_bytes();
        (0..h.len()).any(|i| {
            words.first_may(h[i])
                && !(i > 0 && is_word_byte(h[i - 1]) && is_word_byte(h[i]))
                && word_at(h, i, words)
        })
    }

    #[test]
    fn has_word_agrees_with_a_bytewise_search() {
        let atoms = [
            "dob",
            "DOB",
            "birth",
            "d.o.b",
            "xdob",
            "dobx",
            "_dob",
            "9dob",
            " ",
            "  ",
            ".",
            ",",
            "-",
            "#",
            "\n",
            "a",
            "Z",
            "1",
            "\u{e9}",
            "\u{2019}",
            "ss#",
            "po",
            "case",
            "call us",
            "thank you",
            "regards",
            "best regards",
        ];
        let lists: [&Words; 5] = [
            DATE_STRONG,
            CLOSINGS,
            PHONE_ORG,
            words!["ss#", "po", "case", "#x"],
            words!["thank you", "call us", "d.o.b"],
        ];
        let mut r = Rng(0x1234_5678);
        for _ in 0..20_000 {
            let t = r.text(&atoms, 24);
            for w in lists {
                assert_eq!(has_word(&t, w), has_word_bytewise(&t, w), "{t:?}");
            }
            // Two windows ending at the same offset, one search.
            let end = floor_cb(&t, r.below(t.len() + 1));
            let a = floor_cb(&t, r.below(end + 1));
            let b = floor_cb(&t, r.below(end + 1));
            let (wa, wb) = (&t[a..end], &t[b..end]);
            for w in lists {
                assert_eq!(
                    has_word_either(wa, wb, end, w),
                    has_word(wa, w) || has_word(wb, w),
                    "{t:?} {a} {b} {end}"
                );
            }
        }
    }

    #[test]
    fn four_keyword_walks_find_what_one_walk_finds() {
        let s = Scanner::new();
        let atoms = [
            "MRN",
            "mrn",
            "medical record number",
            "Member ID",
            "id:",
            "claim",
            "rx",
            "Rx",
            "invoice",
            "purchase order",
            "social security number",
            "driver\u{2019}s license",
            "order number",
            " ",
            "\n",
            "x",
            "ab",
            "1234",
            ":",
            "#",
            "-",
            "\u{e9}",
        ];
        let mut r = Rng(0x9e37_79b9);
        for _ in 0..300 {
            let t = r.text(&atoms, 400);
            let (mut one, mut four) = (Vec::new(), Vec::new());
            let mut parts: [Vec<KwMatch>; 3] = Default::default();
            let b1 = keyword_walk(&s.keywords, t.as_bytes(), &mut one, &mut parts, false);
            let b4 = keyword_walk(&s.keywords, t.as_bytes(), &mut four, &mut parts, true);
            one.sort_unstable();
            four.sort_unstable();
            assert_eq!((b1, one), (b4, four), "{t:?}");
        }
    }

    #[test]
    fn line_index_agrees_with_a_binary_search() {
        let mut r = Rng(0x5555_1234);
        for _ in 0..200 {
            let t = r.text(&["a", "bc", "\n", "\n\n", " "], 200);
            let doc = analyse(
                &t,
                false,
                memchr::memchr_iter(b'\n', t.as_bytes()).collect(),
            );
            for _ in 0..50 {
                // Mostly forward, sometimes back, as the rules ask.
                let at = r.below(t.len() + 1);
                let want = doc.nl.partition_point(|&p| p < at);
                assert_eq!(doc.line_index(at), want, "{t:?} at {at}");
            }
        }
    }

    #[test]
    fn tokens_agree_with_the_general_word_path() {
        // Every word measured by `word_end` from its first char, as the tokenizer did before
        // its ASCII fast path; and the drug candidates are the tokens the filter lets through.
        let general = |text: &str| {
            let mut v = Vec::new();
            let mut i = 0;
            while let Some(c) = text[i..].chars().next() {
                if !c.is_alphabetic() {
                    i += c.len_utf8();
                    continue;
                }
                let (e, ascii) = word_end(text, i + c.len_utf8(), c.is_ascii());
                v.push((i, e, ascii, c.is_uppercase() && e - i > c.len_utf8()));
                i = e;
            }
            v
        };
        let atoms = [
            "a", "Zq", "Mr", "'", "-", "\u{2019}", "s", "é", "É", "1", " ", ".", "\n", "x-y", "O'",
            "’s", "ß", "\u{2003}", "abcde-", "umab", "vir", "iB", "VIR",
        ];
        let filter = key_filter(["zq", "a", "o'zq", "mr"].into_iter());
        let mut r = Rng(0x7a3c_19e5);
        let (mut toks, mut cands, mut nl) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..20_000 {
            let t = r.text(&atoms, 12);
            let index = TokenIndex {
                toks: &mut toks,
                med_cands: &mut cands,
                nl: &mut nl,
            };
            tokens(&t, &filter, index);
            let want_nl: Vec<usize> = memchr::memchr_iter(b'\n', t.as_bytes()).collect();
            assert_eq!(nl, want_nl, "{t:?}");
            let got: Vec<_> = toks.iter().map(|k| (k.s, k.e, k.ascii, k.cap)).collect();
            assert_eq!(got, general(&t), "{t:?}");
            for k in &toks {
                assert_eq!(k.ascii, t[k.s..k.e].is_ascii(), "{t:?}");
                if k.ascii {
                    assert_eq!(k.key as usize, word_key(&t.as_bytes()[k.s..k.e]), "{t:?}");
                }
            }
            // And words whose first ASCII letter run (five or more) ends at a hyphen: possible
            // combination drugs.
            let hyphenated = |k: Tok| {
                let b = &t.as_bytes()[k.s..];
                let run = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
                run >= 5 && b.get(run) == Some(&b'-')
            };
            // And ASCII words of seven bytes or more ending in "ab", "ib" or "vir": possible
            // generic names with a drug stem.
            let stem_shaped = |k: Tok| {
                let w = t[k.s..k.e].to_ascii_lowercase();
                k.ascii
                    && w.len() >= 7
                    && (w.ends_with("ab") || w.ends_with("ib") || w.ends_with("vir"))
            };
            let want: Vec<usize> = (0..toks.len())
                .filter(|&i| {
                    key_maybe(&*filter, toks[i]) || hyphenated(toks[i]) || stem_shaped(toks[i])
                })
                .collect();
            assert_eq!(cands, want, "{t:?}");
        }
    }

    #[test]
    fn small_set_answers_as_a_hash_set() {
        let mut r = Rng(0x0bad_cafe);
        for _ in 0..2_000 {
            let n = r.below(3 * SMALL_SET);
            let items: Vec<usize> = (0..n).map(|_| r.below(40)).collect();
            let set = SmallSet::new(items.clone());
            let hashed: FastSet<usize> = items.iter().copied().collect();
            assert_eq!(set.is_empty(), hashed.is_empty());
            for q in 0..45 {
                assert_eq!(set.contains(&q), hashed.contains(&q));
            }
            let mut seen: Vec<usize> = set.iter().copied().collect();
            seen.sort_unstable();
            seen.dedup();
            let mut want: Vec<usize> = hashed.into_iter().collect();
            want.sort_unstable();
            assert_eq!(seen, want);
        }
    }

    #[test]
    fn word_key_in_chunk_agrees_with_word_key() {
        let mut r = Rng(0x51de_7a11);
        for _ in 0..50_000 {
            let bytes: [u8; 8] = std::array::from_fn(|_| r.below(256) as u8);
            let chunk = u64::from_le_bytes(bytes);
            for n in 1..8 {
                assert_eq!(
                    word_key_in_chunk(chunk, n),
                    word_key(&bytes[..n]),
                    "{bytes:?} {n}"
                );
            }
        }
    }

    #[test]
    fn count_digits_agrees_with_a_byte_loop() {
        let mut r = Rng(0x0d16_1755);
        for _ in 0..20_000 {
            let n = r.below(40);
            let v: Vec<u8> = (0..n).map(|_| r.below(256) as u8).collect();
            let want = v.iter().filter(|c| c.is_ascii_digit()).count();
            assert_eq!(count_digits(&v), want, "{v:?}");
        }
    }

    #[test]
    fn letters_end_agrees_with_a_byte_loop() {
        let naive = |b: &[u8], j: usize| {
            (j..b.len())
                .find(|&k| !b[k].is_ascii_alphabetic())
                .unwrap_or(b.len())
        };
        // Every byte value at every position of a run of letters, from every start.
        for len in 0..20 {
            for pos in 0..len {
                for v in 0..=255u8 {
                    let mut b: Vec<u8> = (0..len).map(|i| b"aZqM"[i % 4]).collect();
                    b[pos] = v;
                    for j in 0..=len {
                        assert_eq!(letters_end(&b, j), naive(&b, j), "{b:?} from {j}");
                    }
                }
            }
        }
    }

    #[test]
    fn pattern_matches_equal_the_meta_regex() {
        // Matches found by driving the lazy DFAs with starts read off the text (`known_start`)
        // against the meta regex's `find_iter`: random strings of pieces of every pattern the
        // starts are read off for, and of what can sit next to them.
        let s = Scanner::new();
        let atoms = [
            "+1",
            "+1 ",
            "1 ",
            "1-",
            "1.",
            "(555) ",
            "(555)",
            "555-",
            "555 ",
            "555.",
            "123-4567",
            "123 4567",
            "867.5309",
            "a@b.co",
            "x.y+z@mail.example.org",
            "@",
            "%",
            "-",
            ".",
            "E11.9",
            "A1C",
            "Z99.89",
            "J45.909X",
            "B2",
            ".",
            "12:30",
            "9:05",
            " pm",
            "am",
            "P.M.",
            ":",
            "123-45-6789",
            "AB1234563",
            "1HGCM82633A004352",
            "1234567893",
            "0",
            "7",
            "42",
            " ",
            "\n",
            "x",
            "Dr",
            "_",
            "é",
            "’",
            "12/05/2024",
            "Mar 3",
            "10.0.0.1",
        ];
        let mut rng = Rng(0x5eed_1234_abcd_0001);
        let mut slot = None;
        for _ in 0..20_000 {
            let t = rng.text(&atoms, 12);
            let ours: Vec<(Pat, usize, usize)> = PatternMatches::new(&s, &t, &mut slot).collect();
            let meta: Vec<(Pat, usize, usize)> = s
                .patterns
                .find_iter(&t)
                .map(|m| (PATTERNS[m.pattern().as_usize()].0, m.start(), m.end()))
                .collect();
            assert_eq!(ours, meta, "{t:?}");
        }
    }
}
