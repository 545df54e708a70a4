//! One good case and one bad case per detector (STYLE.md: every security property has a pair).

use dlp::{Label, Scanner};

fn labels(s: &Scanner, text: &str) -> Vec<(Label, String)> {
    s.scan(text)
        .findings
        .iter()
        .map(|f| (f.label, text[f.start_byte..f.end_byte].to_string()))
        .collect()
}

fn has(s: &Scanner, text: &str, label: Label, value: &str) -> bool {
    labels(s, text)
        .iter()
        .any(|(l, v)| *l == label && v == value)
}

fn has_label(s: &Scanner, text: &str, label: Label) -> bool {
    labels(s, text).iter().any(|(l, _)| *l == label)
}

#[test]
fn ssn_with_context_is_found_and_an_order_number_is_not() {
    let s = Scanner::new();
    assert!(has(
        &s,
        "Patient SSN: 123-45-6789.",
        Label::Ssn,
        "123-45-6789"
    ));
    assert!(has(
        &s,
        "last four digits of the SSN on file are 6789",
        Label::Ssn,
        "6789"
    ));
    assert!(!has_label(
        &s,
        "Order #123-45-6789 shipped today.",
        Label::Ssn
    ));
    assert!(!s.scan("Ticket reference: 858075937").contains_phi);
}

#[test]
fn npi_needs_a_valid_luhn_check() {
    let s = Scanner::new();
    assert!(has(
        &s,
        "Rendering provider NPI: 1234567893",
        Label::Npi,
        "1234567893"
    ));
    assert!(!has_label(
        &s,
        "Confirmation number: 1234567890",
        Label::Npi
    ));
    // Clinical items alone do not make a message PHI.
    assert!(!s.scan("Rendering provider NPI: 1234567893").contains_phi);
}

#[test]
fn dea_needs_a_valid_check_digit() {
    let s = Scanner::new();
    assert!(has(&s, "DEA: AB1234563", Label::Dea, "AB1234563"));
    assert!(!has_label(&s, "DEA: AB1234564", Label::Dea));
}

#[test]
fn vin_needs_a_valid_check_digit() {
    let s = Scanner::new();
    assert!(has(
        &s,
        "the car 1M8GDM9AXKP042788 was hit",
        Label::Vehicle,
        "1M8GDM9AXKP042788"
    ));
    assert!(!has_label(
        &s,
        "the car 1M8GDM9A1KP042788 was hit",
        Label::Vehicle
    ));
}

#[test]
fn icd10_codes_come_from_the_code_list() {
    let s = Scanner::new();
    assert!(has(
        &s,
        "Diagnosis: E11.9 type 2 diabetes",
        Label::Icd10,
        "E11.9"
    ));
    assert!(!has_label(
        &s,
        "Part number E99.7 is back-ordered",
        Label::Icd10
    ));
}

#[test]
fn prescription_drugs_are_found_and_otc_drugs_are_not() {
    let s = Scanner::new();
    assert!(has(
        &s,
        "Start metformin 500 mg twice daily.",
        Label::Medication,
        "metformin"
    ));
    assert!(!has_label(
        &s,
        "You may take ibuprofen for mild pain.",
        Label::Medication
    ));
}

#[test]
fn patient_phone_is_phi_and_clinic_phone_is_not() {
    let s = Scanner::new();
    assert!(has(
        &s,
        "Her daughter can be reached at (312) 555-0199.",
        Label::Phone,
        "(312) 555-0199"
    ));
    let clinic = "To reschedule, please call our office at (312) 555-0100.";
    assert!(!has_label(&s, clinic, Label::Phone));
}

#[test]
fn titled_patient_is_a_person_and_a_doctor_sign_off_is_not() {
    let s = Scanner::new();
    assert!(has(
        &s,
        "I saw Mr. Gonzales today.",
        Label::Person,
        "Gonzales"
    ));
    let staff = "Your results were reviewed.\n\nThanks,\nDr. Maria Lopez\nCardiology";
    assert!(!has_label(&s, staff, Label::Person));
    assert!(!s.scan(staff).contains_phi);
}

#[test]
fn eponyms_are_not_people() {
    let s = Scanner::new();
    assert!(!has_label(
        &s,
        "Patient is 70 years old with Parkinson's disease.",
        Label::Person
    ));
}

#[test]
fn public_ip_is_phi_and_private_ip_is_not() {
    let s = Scanner::new();
    assert!(has(
        &s,
        "the patient connected from IP 93.184.216.34",
        Label::Ip,
        "93.184.216.34"
    ));
    assert!(!has_label(
        &s,
        "hosts 10.1.2.3 and 192.168.1.5 will be down",
        Label::Ip
    ));
}

#[test]
fn only_ages_over_89_are_identifiers() {
    let s = Scanner::new();
    assert!(has(
        &s,
        "Patient is a 92-year-old woman.",
        Label::Age,
        "92-year-old"
    ));
    assert!(!has_label(
        &s,
        "Patient is a 45-year-old woman.",
        Label::Age
    ));
}

#[test]
fn personal_mailbox_is_phi_and_clinic_mailbox_is_not() {
    let s = Scanner::new();
    assert!(has(
        &s,
        "To: jane.doe88@gmail.com",
        Label::Email,
        "jane.doe88@gmail.com"
    ));
    assert!(!has_label(
        &s,
        "From: billing@riverbendclinic.org",
        Label::Email
    ));
}

#[test]
fn birth_dates_are_phi_and_newsletter_dates_are_not() {
    let s = Scanner::new();
    assert!(has(&s, "DOB: 04/17/1938", Label::Date, "04/17/1938"));
    assert!(!has_label(
        &s,
        "Our office will be closed on July 4.",
        Label::Date
    ));
}

#[test]
fn code_point_offsets_count_characters_not_bytes() {
    let s = Scanner::new();
    let text = "Señora Núñez, SSN: 123-45-6789";
    let f = s
        .scan(text)
        .findings
        .into_iter()
        .find(|f| f.label == Label::Ssn)
        .expect("ssn");
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(
        chars[f.start_char..f.end_char].iter().collect::<String>(),
        "123-45-6789"
    );
}

/// Fails with every finding when `value` is not found as `label`.
fn assert_has(s: &Scanner, text: &str, label: Label, value: &str) {
    assert!(has(s, text, label, value), "{:?}", labels(s, text));
}

/// Fails with every finding when `value` is found as `label`.
fn assert_lacks(s: &Scanner, text: &str, label: Label, value: &str) {
    assert!(!has(s, text, label, value), "{:?}", labels(s, text));
}

#[test]
fn reply_attribution_dates_are_not_phi_but_a_quoted_birth_date_is() {
    let s = Scanner::new();
    let t = "Thanks!\n\nOn Tue, Mar 3, 2026 at 9:14 AM Kelly Brennan <kbrennan@example.org> wrote:\n\
             > Your mother (DOB 04/17/1938) can pick it up tomorrow.\n\
             >> On Mon, Mar 2, 2026, Chinedu Okafor <c.okafor77@gmail.com>\n>> wrote:\n";
    assert_lacks(&s, t, Label::Date, "Mar 3, 2026");
    assert_lacks(&s, t, Label::Date, "Mar 2, 2026");
    assert_has(&s, t, Label::Date, "04/17/1938");
    // A quoted Outlook header dates the mail too.
    let t = "> From: Intake\n> Sent: Monday, April 21, 2025 5:40 PM\n> Subject: referral";
    assert!(!has_label(&s, t, Label::Date), "{:?}", labels(&s, t));
}

#[test]
fn a_name_with_a_job_title_is_staff_and_a_patient_name_is_not() {
    let s = Scanner::new();
    let t = "Questions to Wanda Pryor, Credentialing Specialist.\n\nThx,\nRhonda\n\nRhonda Kaminski\nPractice Manager\n";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    let t = "Please schedule Marisol Gutierrez for a knee injection; she prefers mornings.";
    assert_has(&s, t, Label::Person, "Marisol Gutierrez");
}

#[test]
fn an_organisation_footer_is_not_phi_and_a_patient_address_is() {
    let s = Scanner::new();
    let t = "Thank you for attending.\n\nLakeshore Health System | 1400 N Lake Shore Dr, Chicago, IL 60610\n\
             Regional Medical Center\nPhone 563-555-0170 | Fax 563-555-0171\n\
             Employee Assistance Program: 1-800-555-0122";
    let r = s.scan(t);
    assert!(!r.contains_phi, "{:?}", labels(&s, t));
    let t = "Patient address: 417 Jenifer St, Madison WI 53703. Cell (608) 555-0161.";
    assert_has(&s, t, Label::Address, "417 Jenifer St, Madison WI");
    assert_has(&s, t, Label::Zip, "53703");
    assert!(s.scan(t).contains_phi);
    // Two capitals that are not a state do not make a city.
    let t = "Lives at 12 Oak St, Door AB";
    assert_has(&s, t, Label::Address, "12 Oak St");
}

#[test]
fn names_alone_make_phi_only_in_mail_about_someones_care() {
    let s = Scanner::new();
    let newsletter = "Volunteer news\n\nSpotlight: Ray and Colleen Sutter have volunteered for ten years. \
                      Colleen runs the Thursday coffee cart.";
    let r = s.scan(newsletter);
    assert!(r.weak_phi, "{:?}", labels(&s, newsletter));
    assert!(!r.contains_phi, "{:?}", labels(&s, newsletter));
    let reminder = "Hello Colleen Sutter,\n\nThis is a reminder of your appointment on June 25.";
    assert!(s.scan(reminder).contains_phi, "{:?}", labels(&s, reminder));
    assert!(dlp::mentions_patient_care(reminder));
    let message =
        "Dr. Lee - Colleen Sutter called about the swelling in her knee, please call back.";
    assert!(s.scan(message).contains_phi, "{:?}", labels(&s, message));
    assert!(!dlp::mentions_patient_care(newsletter));
}

#[test]
fn more_identifier_cues_are_read_and_named_things_are_not() {
    let s = Scanner::new();
    let t = "Insurance: Quartz, ID QZ44017235\nIowa DL: 482KD7731\nEnc #: E-4410298\nCase KRB-2506-118942";
    assert_has(&s, t, Label::MemberId, "QZ44017235");
    assert_has(&s, t, Label::License, "482KD7731");
    assert_has(&s, t, Label::OtherId, "E-4410298");
    assert_has(&s, t, Label::OtherId, "KRB-2506-118942");
    let t = "See report ID 1209485736 and CAQH ID: 16622093; policies RX-114 and RX-122; incident 412-07-3388.";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    assert!(!s.scan(t).weak_phi, "{:?}", labels(&s, t));
}

#[test]
fn table_columns_label_patients_but_not_a_staff_roster() {
    let s = Scanner::new();
    let claims = "Pended claims:\nclaim_no,patient_name,dob,member_id,status\n\
                  BM25-0091844,\"Reyes, Ana\",2019-03-11,BMH771204553,PEND\n\
                  BM25-0091871,\"Reyes, Luis\",2021-08-30,BMH771204554,PEND\n";
    assert_has(&s, claims, Label::OtherId, "BM25-0091844");
    assert_has(&s, claims, Label::MemberId, "BMH771204554");
    assert_has(&s, claims, Label::Person, "Reyes, Luis");
    let roster = "On call this week:\nname|shift|phone\nDana Whitfield|days|555-0101\nOmar Haddad|nights|555-0102\n";
    assert!(!s.scan(roster).contains_phi, "{:?}", labels(&s, roster));
    // (Its names may still be read as names; the table rule adds nothing.)
    let r = s.scan(roster);
    assert!(
        r.findings.iter().all(|f| f.rule != "table.column"),
        "{:?}",
        labels(&s, roster)
    );
}

#[test]
fn hurried_lower_case_names_after_a_cue_are_found_and_everyday_words_are_not() {
    let s = Scanner::new();
    let t = "cant do the 230 w/ mr delgado tmrw, call his son tony";
    assert_has(&s, t, Label::Person, "delgado");
    assert_has(&s, t, Label::Person, "tony");
    let t = "her son will call back and mrs may be late";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
}

#[test]
fn combination_drugs_are_one_medication_and_hyphenated_words_are_not() {
    let s = Scanner::new();
    let t = "Rx: sulfamethoxazole-trimethoprim DS; no hydrocodone-acetaminophen; follow-up in a well-known clinic";
    assert_has(&s, t, Label::Medication, "sulfamethoxazole-trimethoprim");
    assert_has(&s, t, Label::Medication, "hydrocodone-acetaminophen");
    assert_eq!(
        labels(&s, t)
            .iter()
            .filter(|(l, _)| *l == Label::Medication)
            .count(),
        2,
        "{:?}",
        labels(&s, t)
    );
}

#[test]
fn double_barrelled_surnames_and_quoted_nicknames_are_names() {
    let s = Scanner::new();
    let t = "Please call Maria Vance-Whitcombe (\"Mimi\") about her refill.";
    assert_has(&s, t, Label::Person, "Maria Vance-Whitcombe");
    assert_has(&s, t, Label::Person, "Mimi");
    // A hyphenated word with a surname in it is not a name unless every part is capitalised.
    let t = "Please call Maria about the walk-in hours.";
    assert_lacks(&s, t, Label::Person, "walk-in");
}

#[test]
fn work_numbers_vendor_accounts_resets_and_timestamps_are_not_phi() {
    let s = Scanner::new();
    let t = "Kelly Moss, Sales\nDirect +1 (360) 555-0112 ext. 208 | Mobile 360.555.0114\nOn-call mobile: (613) 555-0146\n\
             Customer account 300417 ships Friday.\nReset: https://password.example-pharmacy.com/reset?rid=7Hd02kQx\n\
             Created 2025-04-03 16:52:07\nDerrick Onwuachi, PT, DPT, ATC leads the course.";
    let r = s.scan(t);
    assert!(!r.contains_phi, "{:?}", labels(&s, t));
    for label in [
        Label::Phone,
        Label::Fax,
        Label::Account,
        Label::Url,
        Label::Date,
        Label::Person,
    ] {
        assert!(
            !labels(&s, t)
                .iter()
                .any(|(l, v)| *l == label && v != "Kelly Moss"),
            "{label:?}: {:?}",
            labels(&s, t)
        );
    }
    // The same kinds of value, the patient's.
    let t = "Her mobile is 360.555.0114 and her account 300417; seen 2025-04-03 at 16:52.";
    assert_has(&s, t, Label::Phone, "360.555.0114");
    assert_has(&s, t, Label::Account, "300417");
}
