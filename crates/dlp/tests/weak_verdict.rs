//! The weak-verdict model: it takes back a PHI verdict that rests on weak evidence in mail
//! whose words speak of staff work, and leaves one that speaks of a patient; it gives a PHI
//! verdict the rules did not to mail whose words plainly speak of a patient, and not to staff
//! mail.

use dlp::{
    GIVE_AT, GIVE_MIN_WORDS, STRONG_FINDINGS_JUDGED, Scanner, VETO_BELOW, VETO_STRONG_BELOW,
};

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
fn strong_evidence_is_taken_back_only_when_the_model_is_ten_times_surer() {
    let s = Scanner::new();
    // The same schedule with a patient's MRN in it: strong evidence, and words about staff
    // work that would take weak evidence back do not take this back.
    let text = format!("{OPEN_SHIFTS}\nPatient MRN: 00482913 needs a ride on Sat.\n");
    let r = s.scan(&text);
    let v = r.weak_verdict.expect("every message is judged");
    assert!(v.strong_evidence && v.rules_say_phi, "{v:?}");
    let p = v.model_probability.expect("judged");
    assert!(p >= VETO_STRONG_BELOW, "model probability {p}");
    assert!(!v.taken_back());
    assert!(r.contains_phi);
}

/// Pasted texts about a patient named only by a surname that no rule knows ("Okwuosa chest
/// pain"): no identifier counts, the words are a patient's.
const ED_TEXTS: &str = "From: Marisol Quintana <mquintana@eastgatemc.org>\n\
To: Interpreter Desk <interp@eastgatemc.org>\n\
Date: Tue, 18 Nov 2025 07:58:12 -0800\n\
Subject: Fw: texts from ED\n\n\
[07:41] Charge RN: need portuguese interp rm 6 asap, Okwuosa chest pain, wife not here yet\n\
[07:42] Me: on my way\n\
[07:55] Charge RN: rm 6 done, dr wants you back for dispo when troponin is back\n\n\
M\n";

/// A nurse to her charge nurse about the supply room: IV catheters, flushes, the med room, and
/// no patient.
const SUPPLY_ROOM: &str = "From: Brianna Soto <bsoto@lakeshoremed.org>\n\
To: Night Charge <nightcharge@lakeshoremed.org>\n\
Date: Wed, 12 Nov 2025 02:14:09 -0600\n\
Subject: supply room\n\n\
the supply room is out of 20g IV catheters and saline flushes again. I borrowed a box from 4 \
West, can you put in an order with central supply before day shift. also the badge reader on \
the med room door is sticking.\n\n\
Bri\n";

/// All-staff mail about the staff flu clinic: a titled name (weak evidence) and dates, no
/// patient.
const FLU_CLINIC: &str = "From: Tamsin Wardlow <twardlow@maplecrestliving.com>\n\
To: All Staff <allstaff@maplecrestliving.com>\n\
Date: Thu, 20 Nov 2025 08:40:10 -0500\n\
Subject: flu clinic\n\n\
Reminder that the staff flu shot clinic is Friday 11/21 from 7 to 10 in the training room. Bring \
your badge. If you already had your shot elsewhere, please send a photo of the card to Mr. \
Abernathy in HR by 12/1.\n\n\
Tamsin Wardlow, LPN\n\
Maplecrest Senior Living | 937-555-0162\n";

#[test]
fn words_about_a_patient_get_a_phi_verdict_the_rules_did_not_give() {
    let s = Scanner::new();
    let r = s.scan(ED_TEXTS);
    assert!(
        !r.findings.iter().any(|f| f.label.is_identifier()),
        "no identifier found: {:?}",
        r.findings
    );
    let v = r.weak_verdict.expect("no strong evidence");
    assert!(!v.rules_say_phi && !v.weak_evidence);
    let p = v.model_probability.expect("the model judged it");
    assert!(p >= GIVE_AT, "model probability {p}");
    assert!(v.given() && !v.taken_back());
    assert!(r.contains_phi);
}

#[test]
fn staff_mail_without_strong_evidence_gets_no_phi_verdict() {
    let s = Scanner::new();
    for (name, text, weak) in [
        ("supply room", SUPPLY_ROOM, false),
        ("flu clinic", FLU_CLINIC, true),
        (
            "lunch",
            "Subject: lunch\n\nPizza in the break room at noon.\n",
            false,
        ),
    ] {
        let r = s.scan(text);
        let v = r.weak_verdict.expect("no strong evidence");
        assert_eq!(v.weak_evidence, weak, "{name}");
        assert!(!v.rules_say_phi, "{name}");
        let p = v.model_probability.expect("the model judged it");
        assert!(p < GIVE_AT, "{name}: model probability {p}");
        assert!(!v.given(), "{name}");
        assert!(!r.contains_phi, "{name}");
    }
}

#[test]
fn a_short_note_is_too_few_words_for_the_model_to_give_a_verdict() {
    let s = Scanner::new();
    // A regional contact's name and number: the model, trained on whole e-mails, reads the
    // rules that fired as a patient's, but the note has too few words for it to judge.
    // (Retraining moves the probability: "contacts" fell to 0.698 with batch 54, "contact"
    // reads 0.87. The note must be one the model would give a verdict on.)
    let note = "Regional contact: Gina Albrecht, 503-555-0144. Hours 7 am - 6 pm PT.";
    let r = s.scan(note);
    let v = r.weak_verdict.expect("no strong evidence");
    assert!(v.model_probability.expect("judged") >= GIVE_AT, "{v:?}");
    assert!(v.model_words < GIVE_MIN_WORDS, "{v:?}");
    assert!(!v.given() && !r.contains_phi, "{v:?}");
    // The pasted texts about a patient have enough.
    let v = s.scan(ED_TEXTS).weak_verdict.expect("no strong evidence");
    assert!(v.model_words >= GIVE_MIN_WORDS, "{v:?}");
}

/// An orthopaedic practice's ops huddle minutes: "clinic hours for Ingrid Solberg" is a cue the
/// rules read as a patient's name (strong evidence, one finding); the words are a huddle's.
const HUDDLE: &str = "From: Lorraine Beckett <lbeckett@cedarvaleortho.com>\n\
To: Cedarvale Leads <leads@cedarvaleortho.com>\n\
Date: Tue, 2 Dec 2025 12:05:44 -0600\n\
Subject: Minutes - ops huddle 12/2\n\
\n\
Attendees: Lorraine, Dr. Abara, Dr. Whitcomb, Janelle, Terrence, Mina, Rosalie\n\
Absent: Dr. Fenwick (in surgery)\n\
\n\
1. OR block utilization (Nov): main campus 83% (goal 85), surgery center 90%. Dr. Whitcomb is giving back his 12/19 afternoon block; Janelle to offer it to Dr. Fenwick first.\n\
2. Prior authorization backlog: 11 open, 4 older than 30 days. Terrence will start calling payers at day 20 instead of day 30.\n\
3. New patient lead time: sports medicine 3 weeks out, joint replacement consults 5 weeks. Discussed opening Saturday morning clinic hours for Ingrid Solberg starting 1/10.\n\
4. Imaging: the second x-ray room is back in service after the tube replacement; the vendor invoice goes to Mina.\n\
5. Front desk: the new check-in kiosks go live Monday. Rosalie will staff the lobby the first two days.\n\
6. Holiday party 12/18: all hands, Mina coordinating.\n\
\n\
Next huddle: Tuesday 12/16, 7:30 AM, conference room.\n\
\n\
Lorraine\n\
";

/// The same minutes with item 3 about a patient of that name: the same one strong finding.
fn huddle_about_a_patient() -> String {
    let staff_item = "New patient lead time: sports medicine 3 weeks out, joint replacement \
                      consults 5 weeks. Discussed opening Saturday morning clinic hours for \
                      Ingrid Solberg starting 1/10.";
    assert!(HUDDLE.contains(staff_item));
    HUDDLE.replace(
        staff_item,
        "Patient Ingrid Solberg (right knee replacement 11/20) called the nurse line: the \
         incision is red and draining. Dr. Abara wants her seen Thursday and a wound culture.",
    )
}

#[test]
fn a_huddles_minutes_are_taken_back_on_strong_evidence_and_a_patients_item_is_not() {
    let s = Scanner::new();
    let r = s.scan(HUDDLE);
    let v = r.weak_verdict.expect("every message is judged");
    assert!(v.strong_evidence && v.rules_say_phi, "{v:?}");
    assert!(v.strong_findings <= STRONG_FINDINGS_JUDGED, "{v:?}");
    let p = v.model_probability.expect("judged");
    assert!(p < VETO_STRONG_BELOW, "model probability {p}");
    assert!(v.taken_back() && !r.contains_phi);
    // The findings stay (screening tallies their categories for the policy).
    assert!(r.findings.iter().any(|f| f.label.is_identifier()));

    let r = s.scan(&huddle_about_a_patient());
    let v = r.weak_verdict.expect("every message is judged");
    assert!(
        v.strong_evidence && v.strong_findings <= STRONG_FINDINGS_JUDGED,
        "{v:?}"
    );
    let p = v.model_probability.expect("judged");
    assert!(p >= VETO_STRONG_BELOW, "model probability {p}");
    assert!(!v.taken_back() && r.contains_phi);
}

#[test]
fn a_message_with_more_strong_findings_than_judged_is_not_put_to_the_model() {
    let s = Scanner::new();
    let text = format!("{HUDDLE}\nPatient MRN: 00482913, DOB 04/12/1951, SSN 219-09-9999\n");
    let r = s.scan(&text);
    let v = r.weak_verdict.expect("every message is judged");
    assert!(v.strong_findings > STRONG_FINDINGS_JUDGED, "{v:?}");
    assert_eq!(v.model_probability, None);
    assert!(!v.taken_back() && r.contains_phi);
}
