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
