//! The weak-verdict model: it takes back a PHI verdict that rests on weak evidence in mail
//! whose words speak of staff work, and leaves one that speaks of a patient.

use dlp::{Scanner, VETO_BELOW};

/// A group home's open shifts: dates and a house phone near "med-passer" (words about care),
/// no patient anywhere. The rules call it PHI on the dates alone; the model takes it back.
const OPEN_SHIFTS: &str = "From: Renata Okoye <rokoye@harborviewgh.org>\n\
To: Group Home Leads <leads@harborviewgh.org>\n\
Date: Thu, 6 Nov 2025 09:12:40 -0500\n\
Subject: weekend coverage - 2 open shifts\n\n\
hi all\n\n\
still two open shifts on the weekend schedule, can anyone spare staff? OT approved by Delphine.\n\n\
Sat 11/8  7a-3p   Birch House  (need med-passer)\n\
Sun 11/9  3p-11p  Birch House  (need med-passer + driver)\n\n\
Marcus said he can take Sunday if someone covers his Friday. Tamsin is on PTO. If nobody by \
Wednesday noon I'll post to the float pool.\n\n\
Renata\n\
Birch House | (614) 555-0190\n";

/// A school nurse to a parent about her child's inhaler: a titled name (weak) beside a drug and
/// the child's use of it. The rules call it PHI; the model agrees.
const INHALER: &str = "Subject: inhaler at school\n\n\
Hi Mrs. Castellanos,\n\n\
Just letting you know that Mateo's albuterol inhaler in the nurse's office runs out at the end \
of the month. Could you send a new one when you pick up the refill? He used it twice this week \
at recess.\n\n\
Thank you,\n\
Glenda Pruitt, RN\n\
Sycamore Elementary Health Office\n\
602-555-0117\n";

#[test]
fn a_staff_schedule_with_weak_evidence_is_taken_back_and_a_parents_note_is_not() {
    let s = Scanner::new();

    let shifts = s.scan(OPEN_SHIFTS);
    let v = shifts.weak_verdict.expect("weak evidence only");
    assert!(v.rules_say_phi, "the rules alone call it PHI");
    let p = v.model_probability.expect("the model judged it");
    assert!(p < VETO_BELOW, "model probability {p}");
    assert!(v.taken_back());
    assert!(!shifts.contains_phi);
    assert!(shifts.weak_phi, "the weak evidence is still reported");

    let inhaler = s.scan(INHALER);
    let v = inhaler.weak_verdict.expect("weak evidence only");
    assert!(v.rules_say_phi);
    assert!(v.model_probability.expect("judged") > 0.5);
    assert!(!v.taken_back());
    assert!(inhaler.contains_phi);
}

#[test]
fn strong_evidence_is_never_put_to_the_model() {
    let s = Scanner::new();
    // The same schedule with a patient's MRN in it: strong evidence settles it.
    let text = format!("{OPEN_SHIFTS}\nPatient MRN: 00482913 needs a ride on Sat.\n");
    let r = s.scan(&text);
    assert!(r.contains_phi);
    assert_eq!(r.weak_verdict, None);
}

#[test]
fn mail_without_weak_evidence_has_no_weak_verdict() {
    let s = Scanner::new();
    let r = s.scan("Subject: lunch\n\nPizza in the break room at noon.\n");
    assert!(!r.contains_phi);
    assert_eq!(r.weak_verdict, None);
}
