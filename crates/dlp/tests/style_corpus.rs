//! Scores the detector on `testdata/styles.jsonl`: 510 e-mails written for this test by thirteen
//! other authors, in styles the dev corpus does not have (reply chains with quoted attribution lines
//! and Outlook headers, forwards, lab and claims tables, typos and text-speak, long staff
//! signatures, Spanish-English, elderly patients' rambling letters, system notifications, fax
//! cover sheets, voicemail transcripts, dental, therapy, school-nurse and workers'-compensation
//! mail, a set D of forty more senders, a set E of forty more (EMS hand-offs, HL7 and JSON
//! pasted by analysts, calendar invitations, Markdown notes, ...), a set F of forty more
//! (NICU updates, occupational health, blood bank, travel medicine, peer review, ...) and a set
//! G of forty more (pre-op calls, billing disputes, memory care, vendor security questionnaires,
//! grant reports, ...) and a set H of forty more (dialysis, transplant, audiology, lactation, chaplaincy,
//! immigration exams, nursing rotations, union bulletins, ...) and a set I of forty more (ICU
//! family meetings, hospital at home, TB and refugee clinics, wheelchair-van dispatch, sterile
//! processing, supply backorders, ...) and a set J of forty more (mail-order pharmacy, hospital
//! police, lost property, adult protective services, doulas, malpractice insurers, DOT exams,
//! camp forms, newborn screening, ...) and a set K of forty of the most ordinary kinds (reminders,
//! referrals, refills, billing questions, shift swaps, newsletters, recruiting) and a set L of
//! forty more, many of them staff mail that speaks of patients in general or of colleagues in the
//! third person), 189 of them with no patient
//! identifier at all (staff, vendor, IT, newsletter and public-health mail full of staff names,
//! clinic numbers and event dates). Sources with inline labels: `testdata/styles/` (see its
//! FORMAT.md; `convert.py` writes the JSONL).
//!
//! Each set was measured before the rules were generalised against it (see BENCHMARKS.md,
//! section 3; D to L were written blind, scored once, then generalised against; M, the last, is not yet); all thirteen
//! count here. Floors are below the dev-corpus targets (new styles from new authors
//! score lower); they keep what was won from slipping back. Run with
//! `cargo test -p dlp --test style_corpus -- --nocapture` to see the table.

mod common;

/// Below the dev-corpus targets in typed F1 and FPR (a handful of spans per label is
/// too few for a per-label floor); measured 0.996, 0.132 and 0.890 when set (0.997, 0.126, 0.890 with set M).
const FLOORS: common::Floors = common::Floors {
    doc_recall: 0.99,
    doc_fpr: 0.15,
    typed_f1: 0.88,
    label_f1: None,
};

#[test]
fn other_authors_styles_keep_their_floors() {
    let r = common::score(include_str!("../testdata/styles.jsonl"));
    assert_eq!(r.docs, 510, "corpus line count changed");
    // Labels under the dev corpus's per-label floor here: where other authors' mail is still
    // read worse (printed, not failed).
    let weak: Vec<String> = r
        .label_f1
        .iter()
        .filter(|&(_, &f)| f < 0.85)
        .map(|(l, f)| format!("{l} {f:.2}"))
        .collect();
    println!("labels under 0.85: {weak:?}");
    common::assert_floors(&r, &FLOORS);
}
