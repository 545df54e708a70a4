//! The person-name model (`src/person_model.rs`): it reads words as its training script does,
//! finds names the rules have no cue for in mail about a patient, and never changes a verdict.

use std::collections::HashMap;

use dlp::{Label, Scanner, person_model};

/// The words `testdata/train_person_model.py` calls names in 300 messages of the style corpus
/// (computed in Python from the weights file, `--cases`): the Rust model must call the same
/// ones. Fails when a feature is read differently here (a gap's characters, a word's ends, a
/// line's start), or when the rules or the weights change without the cases being regenerated.
#[test]
fn the_model_calls_the_same_words_names_as_its_training_script() {
    let texts: HashMap<String, String> = include_str!("../testdata/styles.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("corpus line is JSON");
            (
                v["id"].as_str().expect("id").to_string(),
                v["text"].as_str().expect("text").to_string(),
            )
        })
        .collect();
    let scanner = Scanner::new();
    let mut with_names = 0;
    for line in include_str!("../testdata/person_model_cases.jsonl").lines() {
        let case: serde_json::Value = serde_json::from_str(line).expect("case is JSON");
        let id = case["id"].as_str().expect("id");
        let expected: Vec<(usize, usize)> = case["names"]
            .as_array()
            .expect("names")
            .iter()
            .map(|n| {
                (
                    n[0].as_u64().expect("start") as usize,
                    n[1].as_u64().expect("end") as usize,
                )
            })
            .collect();
        let r = scanner.scan(&texts[id]);
        // A name the model finds beside another finding of a name ("CONSTANCE" then "L
        // ALBRIGHT") is joined with it into one finding (`join_split_names`), which keeps
        // the better-scored part's rule: each name the script calls one lies inside a
        // finding of a name, and each finding the model's rule names holds one of them.
        // (A rule's finding joined with the model's may end a name before its possessive:
        // "Vernon" by the model, then "Stately" of "Stately's" by a rule, joined as "Vernon
        // Stately", where the script reads the word "Stately's".)
        let chars: Vec<char> = texts[id].chars().collect();
        for &(s, e) in &expected {
            let possessive = e >= s + 2 && chars.get(e - 2..e) == Some(&['\'', 's'][..]);
            let e_name = if possessive { e - 2 } else { e };
            assert!(
                r.findings
                    .iter()
                    .any(|f| f.label == Label::Person && f.start_char <= s && e_name <= f.end_char),
                "{id}: the script's name at {s}..{e} is not found"
            );
        }
        for f in r.findings.iter().filter(|f| f.rule == person_model::RULE) {
            assert!(
                expected
                    .iter()
                    .any(|&(s, e)| f.start_char <= s && e <= f.end_char),
                "{id}: the model names {}..{}, the script does not",
                f.start_char,
                f.end_char
            );
        }
        with_names += usize::from(!expected.is_empty());
    }
    assert!(with_names >= 100, "{with_names} cases with names");
}

const RIDE: &str = "Trip confirmation\n\nTrip #:         MR-7731904\nRider:          \
Delacroix, Amari\nMedicaid ID:    107734519826\nEscort:         1 adult (Simone Delacroix)\n\
Mobility:       Wheelchair van\nPickup:         3/12 at 07:15 from home\n";

#[test]
fn a_name_without_a_cue_is_found_in_mail_about_a_patient() {
    let r = Scanner::new().scan(RIDE);
    assert!(r.contains_phi, "{r:?}");
    let amari = RIDE.find("Amari").expect("in the text");
    let f = r
        .findings
        .iter()
        .find(|f| f.start_byte == amari)
        .unwrap_or_else(|| panic!("no finding at the rider's given name: {r:?}"));
    assert_eq!(f.label, Label::Person);
    assert_eq!(f.rule, person_model::RULE);
    assert!(f.score >= person_model::THRESHOLD, "{f:?}");
    assert_eq!(&RIDE[f.start_byte..f.end_byte], "Amari");
    assert_eq!(f.end_char - f.start_char, 5);
    assert!(r.categories.contains(&Label::Person), "{r:?}");
    // Findings stay in text order and do not overlap.
    assert!(
        r.findings
            .windows(2)
            .all(|w| w[0].end_byte <= w[1].start_byte),
        "{r:?}"
    );
}

#[test]
fn the_model_reads_no_message_that_is_not_phi_and_changes_no_verdict() {
    // The same two names in a room booking: no PHI, and nothing for the model to read.
    let booking = "hi all, the Delacroix Room is booked for the quarterly staff meeting on \
Tuesday. Amari from facilities will set up the chairs and the projector. Thanks!\n";
    let r = Scanner::new().scan(booking);
    assert!(!r.contains_phi, "{r:?}");
    assert!(
        !r.findings.iter().any(|f| f.rule == person_model::RULE),
        "{r:?}"
    );
}

#[test]
fn offsets_count_code_points_before_a_name() {
    // Non-ASCII text before the name: its code-point offsets differ from its byte offsets.
    let text = format!("Résumé – café notes ✓\n{RIDE}");
    let r = Scanner::new().scan(&text);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == person_model::RULE)
        .unwrap_or_else(|| panic!("{r:?}"));
    assert_eq!(&text[f.start_byte..f.end_byte], "Amari");
    assert_eq!(text[..f.start_byte].chars().count(), f.start_char);
    assert_eq!(f.end_char, f.start_char + 5);
}

#[test]
fn a_long_list_of_names_costs_the_model_a_bounded_number_of_words() {
    // Mail about a patient, then thousands of lines the model reads as a caller naming herself:
    // it reads the first `MAX_CANDIDATES` words only.
    let unit = "hey its amari\n";
    let text = format!("{RIDE}{}", unit.repeat(3 * person_model::MAX_CANDIDATES));
    let r = Scanner::new().scan(&text);
    assert!(r.contains_phi);
    let model: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule == person_model::RULE)
        .collect();
    assert!(
        model.len() > 100,
        "the lines are read as names: {}",
        model.len()
    );
    let limit_byte = RIDE.len() + person_model::MAX_CANDIDATES * unit.len();
    assert!(
        model.iter().all(|f| f.start_byte < limit_byte),
        "{} findings, the last at {:?}",
        model.len(),
        model.last()
    );
}

#[test]
fn a_name_takes_the_rest_of_its_word_past_ascii() {
    // The model reads a word's ASCII letters, as its training script does: a name found so
    // takes its letters outside ASCII with it ("Sofía", not "Sof").
    let text = RIDE.replace("Amari", "Amariá");
    let r = Scanner::new().scan(&text);
    let at = text.find("Amariá").expect("in the text");
    let f = r
        .findings
        .iter()
        .find(|f| f.start_byte == at && f.rule == person_model::RULE)
        .unwrap_or_else(|| panic!("no finding at the rider's given name: {r:?}"));
    assert_eq!(&text[f.start_byte..f.end_byte], "Amariá");
    assert_eq!(text[..f.start_byte].chars().count(), f.start_char);
    assert_eq!(f.end_char, f.start_char + 6);
}
