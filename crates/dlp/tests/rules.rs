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
    assert_phi(&s, reminder);
    assert!(dlp::mentions_patient_care(reminder));
    let message =
        "Dr. Lee - Colleen Sutter called about the swelling in her knee, please call back.";
    assert_phi(&s, message);
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

#[test]
fn venues_letterheads_and_offices_have_addresses_a_patient_has_a_home() {
    let s = Scanner::new();
    for t in [
        "Snowflake Gala, 6 p.m., The Grandview Ballroom, 800 River Rd, Cortland, NY 13045.",
        "Whitcomb Cancer Pavilion | 460 W 10th Ave, Columbus, OH 43210",
        "Cary Hearing\n1120 Walnut St, Suite 3, Cary NC 27511",
    ] {
        let r = s.scan(t);
        assert!(
            !r.findings
                .iter()
                .any(|f| matches!(f.label, Label::Address | Label::Zip)),
            "{t}: {:?}",
            labels(&s, t)
        );
    }
    // A person's place, even after "at".
    let t = "I still live at 117 Locust Grove Rd, Shepherdsville, KY 40165 in case you need it.";
    assert_has(
        &s,
        t,
        Label::Address,
        "117 Locust Grove Rd, Shepherdsville, KY",
    );
    assert_has(&s, t, Label::Zip, "40165");
    let t = "Our home address is 27 Birchgrove Crescent, Barrie, ON L4N 6K2.";
    assert_has(&s, t, Label::Zip, "L4N 6K2");
    let t = "Delivery address: 1180 W Calle Serena, Las Cruces, NM 88011";
    assert_has(&s, t, Label::Zip, "88011");
}

#[test]
fn greeted_groups_products_and_scanners_are_not_people() {
    let s = Scanner::new();
    for (t, v) in [
        (
            "Dear Colleague,\n\nYou are invited to our dinner program.",
            "Colleague",
        ),
        (
            "Hello Meridian administrators,\n\nRelease 24.3 goes live.",
            "Meridian",
        ),
        ("Day | Body CT/MR (RR1) | Neuro (RR2)", "RR"),
        (
            "Adoption day with the Denver Dumb Friends League.",
            "Dumb Friends League",
        ),
    ] {
        assert!(
            !labels(&s, t)
                .iter()
                .any(|(l, x)| *l == Label::Person && x.contains(v)),
            "{t}: {:?}",
            labels(&s, t)
        );
    }
    // A title right before a name still makes it one.
    assert_has(
        &s,
        "Please call Mr. Tran about his refill.",
        Label::Person,
        "Tran",
    );
}

#[test]
fn relatives_written_with_a_capital_and_couples_are_people() {
    let s = Scanner::new();
    let t = "Grip is better. Husband Arturo present and helpful.";
    assert_has(&s, t, Label::Person, "Arturo");
    let t = "My wife Ruth and I are moving to Spokane.";
    assert_has(&s, t, Label::Person, "Ruth");
    let t = "Present: daughter/HCPOA Angela Esposito-Marchetti and the chaplain.";
    assert_has(&s, t, Label::Person, "Angela Esposito-Marchetti");
    // "and" after a name with no relative before it still joins a firm's partners.
    let t = "Employer: Johnston, Best and Bennett, fax 814-745-6001";
    assert_lacks(&s, t, Label::Person, "Best");
}

#[test]
fn staff_named_with_an_extension_an_organisation_or_in_a_calendar_are_not_patients() {
    let s = Scanner::new();
    for (t, v) in [
        (
            "For monitor supply issues, contact Maria Gutierrez (ext 3-4410).",
            "Maria Gutierrez",
        ),
        (
            "Booked by: Shanice Ward (Coliseum Nephrology)",
            "Shanice Ward",
        ),
        (
            "ORGANIZER;CN=\"Hughes, Patricia\":mailto:phughes@stmarks.example",
            "Hughes, Patricia",
        ),
    ] {
        assert_lacks(&s, t, Label::Person, v);
    }
    // A bracket that is about the person keeps the name.
    let t = "Her husband, Kyle Banks (healthcare proxy) can be reached after 5.";
    assert_has(&s, t, Label::Person, "Kyle Banks");
}

#[test]
fn an_age_over_89_right_after_a_patients_name() {
    let s = Scanner::new();
    let t = "Referral for Mr. Augustin Velasquez (94), admitted Sunday.";
    assert_has(&s, t, Label::Age, "94");
    let t = "The one to eyeball: Mrs. Halverson is 94, fell at her facility.";
    assert_has(&s, t, Label::Age, "94");
    // 89 and under is not an identifier; nor is a count after a name.
    let t = "Referral for Mr. Augustin Velasquez (84), admitted Sunday.";
    assert_lacks(&s, t, Label::Age, "84");
    let t = "Mrs. Halverson is 94 years into her... no: room 94.";
    assert!(
        !labels(&s, t).iter().any(|(l, _)| *l == Label::Age),
        "{:?}",
        labels(&s, t)
    );
}

#[test]
fn clinicians_work_lines_and_organisation_faxes_are_not_the_patients() {
    let s = Scanner::new();
    for (t, v) in [
        (
            "Next visit: Thu 3/12 at 3 pm (Renee Kowalski RN, 603-555-0175)",
            "603-555-0175",
        ),
        (
            "If you see redness call or text me at 774-555-0133 (work cell).",
            "774-555-0133",
        ),
        (
            "Contractor: lead tech Marcus Albee, cell 617-555-0147.",
            "617-555-0147",
        ),
        (
            "Results to Dr. Ngozi Abara at fax 814-555-0193 and to us.",
            "814-555-0193",
        ),
        (
            "Harborfront Dental | 1700 Thames St, Baltimore, MD 21231 | 410-555-0109",
            "410-555-0109",
        ),
    ] {
        assert!(
            !labels(&s, t)
                .iter()
                .any(|(l, x)| matches!(l, Label::Phone | Label::Fax) && x == v),
            "{t}: {:?}",
            labels(&s, t)
        );
    }
    // The patient's own: an employer's HR fax, a cell after a relative, a table row.
    assert_has(
        &s,
        "Their HR fax is (419) 555-0179.",
        Label::Fax,
        "(419) 555-0179",
    );
    assert_has(
        &s,
        "Patient's daughter Jane, cell 617-555-0148, will drive.",
        Label::Phone,
        "617-555-0148",
    );
    let row =
        "5 | Mbeki, Samuel | 7414 W Good Hope Rd, Milwaukee WI 53223 | 414 555 0127 | D. Yusuf";
    assert_has(&s, row, Label::Phone, "414 555 0127");
}

#[test]
fn ids_named_after_organisations_and_products_are_not_the_patients() {
    let s = Scanner::new();
    let t = "Customer: Ashford Regional Medical Center (acct 100448-ARMC)";
    assert_lacks(&s, t, Label::Account, "100448-ARMC");
    let t = "CAQH ProView ID: 11846223";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    let t = "Attacker page hosted at 185.220.101.47; we blocked 185.220.101.48 too.";
    assert!(
        !labels(&s, t).iter().any(|(l, _)| *l == Label::Ip),
        "{:?}",
        labels(&s, t)
    );
    // The patient's: an account with a patient cue, a sign-in address.
    assert_has(&s, "Patient account #: 4471902", Label::Account, "4471902");
    let t = "New sign-in to your portal from 73.209.114.56 (Chrome).";
    assert_has(&s, t, Label::Ip, "73.209.114.56");
}

#[test]
fn identifier_cues_in_json_markdown_lower_case_and_new_words() {
    let s = Scanner::new();
    for (t, label, v) in [
        ("**MRN:** SHC-2209184", Label::Mrn, "SHC-2209184"),
        ("dob 2 9 35 mrn 4471093 tele clean", Label::Mrn, "4471093"),
        (
            "Louisiana Medicaid LA0091827364",
            Label::MemberId,
            "LA0091827364",
        ),
        (
            "Request no. ............ ROI-2025-004418",
            Label::OtherId,
            "ROI-2025-004418",
        ),
        ("Run no.: 26-004718", Label::OtherId, "26-004718"),
        (
            "Application 88-LF-2291034 for Simon",
            Label::OtherId,
            "88-LF-2291034",
        ),
    ] {
        assert_has(&s, t, label, v);
    }
    // "Medicaid 2026" is a year; lower-case "id" and "sn" are still words.
    assert!(!s.scan("Medicaid 2026 changes are coming.").contains_phi);
}

#[test]
fn hl7_segments_pasted_into_mail_label_the_patients_fields() {
    let s = Scanner::new();
    let t = "Interface error, message below:\n\
             MSH|^~\\&|LAB|LRH|EHR|LRH|202603120700||ORU^R01|MSG00418823|P|2.5.1\n\
             PID|1||LR2281406^^^LRH^MR~WXU889143201^^^BCBS^HC||NAKAMURA^KENJI^T||19570214|M|||41 Orchard Ln^^Groton^CT^06340||(860)555-0198|||||A90017724|912-40-6613\n\
             OBR|1||26LRH-CH-004418|80048^BASIC METABOLIC PANEL^CPT\n";
    for (label, v) in [
        (Label::Mrn, "LR2281406"),
        (Label::MemberId, "WXU889143201"),
        (Label::Person, "NAKAMURA^KENJI^T"),
        (Label::Date, "19570214"),
        (Label::Address, "41 Orchard Ln^^Groton^CT"),
        (Label::Zip, "06340"),
        (Label::Phone, "(860)555-0198"),
        (Label::Account, "A90017724"),
        (Label::Ssn, "912-40-6613"),
        (Label::OtherId, "26LRH-CH-004418"),
    ] {
        assert_has(&s, t, label, v);
    }
    // Without a patient segment, pipes are a table's, and the header is no patient's.
    let t = "MSH|^~\\&|LAB|LRH|EHR|LRH|202603120700||ORU^R01|MSG00418823|P|2.5.1\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
}

#[test]
fn json_records_label_values_under_identifier_keys_only_in_patient_records() {
    let s = Scanner::new();
    let t = "{\n  \"patient\": {\n    \"mrn\": \"LR3300917\",\n    \"name\": {\"family\": \"Abernathy\", \"given\": \"Quinn\"},\n    \"birthDate\": \"1996-11-08\",\n    \"address\": {\"city\": \"Ledyard\", \"zip\": \"06339\"},\n    \"phone\": \"+18605550132\"\n  }\n}";
    for (label, v) in [
        (Label::Mrn, "LR3300917"),
        (Label::Person, "Abernathy"),
        (Label::Person, "Quinn"),
        (Label::Date, "1996-11-08"),
        (Label::Address, "Ledyard"),
        (Label::Zip, "06339"),
        (Label::Phone, "+18605550132"),
    ] {
        assert_has(&s, t, label, v);
    }
    // A clinic directory: no key only a patient record has.
    let t = "[{\"name\": {\"family\": \"Okafor\"}, \"city\": \"Ledyard\", \"phone\": \"+18605550100\"}]";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
}

#[test]
fn a_message_that_is_not_phi_reports_only_its_clinical_items() {
    let s = Scanner::new();
    // A staff rota: names and dates, no care of anyone; and a drug named in passing.
    let t = "Rota for the week of 12/14: Orlov covers Monday 12/14, Baptiste Tuesday 12/15.\n\
             Heparin stock is low.";
    let r = s.scan(t);
    assert!(!r.contains_phi);
    let reported: Vec<Label> = r.phi_findings().map(|f| f.label).collect();
    assert!(reported.iter().all(|l| !l.is_identifier()), "{reported:?}");
    assert!(reported.contains(&Label::Medication), "{reported:?}");
    // PHI: every finding is reported.
    let t = "Patient Jane Okafor, DOB 04/17/1938, is on heparin.";
    let r = s.scan(t);
    assert!(r.contains_phi);
    assert_eq!(r.phi_findings().count(), r.findings.len());
}

#[test]
fn staff_at_an_extension_hospital_equipment_and_venues_are_not_patients() {
    let s = Scanner::new();
    let t = "Reviewers: please return your forms to Gwen Talbot by Monday. Questions go to Gwen at ext. 4-3310.\n\nGwen Talbot, CPMSM\nManager, Medical Staff Services";
    assert_lacks(&s, t, Label::Person, "Gwen Talbot");
    let t = "Asset tag: 0017734   Model: Alaris 8100 LVP   Serial: 12845503 (hospital-owned)";
    assert_lacks(&s, t, Label::Device, "12845503");
    let t = "Tue 4/7    9am-4pm   Grace AME Church, 2200 E 55th St, Cleveland";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // A device in a patient, and a name with no extension, still are.
    let t = "Our records show that your pacemaker, serial number 5599R7758, is affected.";
    assert_has(&s, t, Label::Device, "5599R7758");
}

#[test]
fn candidates_licences_last_four_and_relatives_outside_the_name_lists() {
    let s = Scanner::new();
    let t = "Candidate: Garrett Lindqvist-Mohr\nExam date: 03/03/2026\nSSN (last 4): 6630\nCDL PA 30418872 verified.";
    let r = s.scan(t);
    assert!(r.contains_phi, "{:?}", labels(&s, t));
    assert_has(&s, t, Label::Person, "Garrett Lindqvist-Mohr");
    assert_has(&s, t, Label::Ssn, "6630");
    assert_has(&s, t, Label::Date, "03/03/2026");
    let t = "Your sister Katalin and your daughter Reka each have a 50% chance.";
    assert_has(&s, t, Label::Person, "Katalin");
    assert_has(&s, t, Label::Person, "Reka");
    let t = "Dear Tobenna and Leah,\n\nHere is this week's update on your daughter.";
    assert_has(&s, t, Label::Person, "Tobenna");
    // "for" alone does not make an unknown capitalised word a name.
    let t = "Thanks for Tuesday's huddle.";
    assert_lacks(&s, t, Label::Person, "Tuesday");
}

#[test]
fn an_age_over_89_after_a_pronoun_but_not_a_percentage() {
    let s = Scanner::new();
    let t = "Mrs. Abernathy-Lowe, she's 91 and sharp as a tack.";
    assert_has(&s, t, Label::Age, "91");
    let t = "My mother is Rosa, she is 91 years old and cannot manage the bills.";
    assert!(
        labels(&s, t)
            .iter()
            .any(|(l, v)| *l == Label::Age && v.contains("91")),
        "{:?}",
        labels(&s, t)
    );
    for t in [
        "He's 95% sure the form went out.",
        "She is 100 pounds lighter.",
        "He's 45 and fit.",
    ] {
        assert!(
            !labels(&s, t).iter().any(|(l, _)| *l == Label::Age),
            "{t}: {:?}",
            labels(&s, t)
        );
    }
}

#[test]
fn a_spreadsheet_pasted_with_aligned_columns_labels_the_patients_cells() {
    let s = Scanner::new();
    let t = "Pasted from my spreadsheet:\n\nName                  DOB          Gr   Physical     Cleared\n\
             Ava Thibodeaux        2009-05-12   11   2026-02-21   Y\n\
             Sophie Brandvold      2008-11-03   12   2025-08-02   EXPIRED\n";
    assert_has(&s, t, Label::Person, "Ava Thibodeaux");
    assert_has(&s, t, Label::Date, "2008-11-03");
    // A staff rota aligned the same way has no column only a patient has.
    let t =
        "Name          Shift     Ext\nAnn Lee       Day       4410\nBo Chan       Night     4411\n";
    let r = s.scan(t);
    assert!(
        !r.findings.iter().any(|f| f.rule == "table.aligned"),
        "{:?}",
        labels(&s, t)
    );
    assert!(!r.contains_phi, "{:?}", labels(&s, t));
}

#[test]
fn organisation_contacts_modalities_equipment_and_network_addresses_are_not_patients() {
    let s = Scanner::new();
    let t = "3. Signed BAA on our template. Legal contact: Rachel Dunmore, 720-555-0148.";
    assert_lacks(&s, t, Label::Person, "Rachel Dunmore");
    let t = "To: Meridian Imaging - MR Technologists; Radiology Schedulers";
    assert_lacks(&s, t, Label::Person, "Technologists");
    let t = "Our new 3T scanner (room MR3, serial 175904) passed phantom testing.";
    assert_lacks(&s, t, Label::Device, "175904");
    let t = "Our interface engine listens on 10.22.4.60 behind NAT 198.51.100.77.";
    assert_lacks(&s, t, Label::Ip, "198.51.100.77");
    let t = "ABIM MOC points reported on 03/09/2026, submission ID 26-880213.";
    assert_lacks(&s, t, Label::OtherId, "26-880213");
    // The patient's: an emergency contact, a title before a name.
    let t = "Emergency contact: Rachel Dunmore, 720-555-0148.";
    assert_has(&s, t, Label::Person, "Rachel Dunmore");
    assert_has(&s, "Patient: Mr Tran", Label::Person, "Tran");
}

#[test]
fn a_mailbox_is_personal_only_on_a_whole_consumer_domain() {
    let s = Scanner::new();
    // Bare reserved names stand for a private person's mailbox in made-up mail; a subdomain of
    // them, or a domain that merely ends in a consumer one ("acme.com" is not "me.com"), is an
    // organisation's.
    let t = "To: tomas.echeverria82@example.net\nYour visit summary is ready.";
    assert_has(&s, t, Label::Email, "tomas.echeverria82@example.net");
    let t = "From: Spiritual Care <spiritualcare@mercyvale.example.org>\nTo: all staff";
    assert!(!has_label(&s, t, Label::Email), "{:?}", labels(&s, t));
    let t = "Questions: orders@acme.com";
    assert!(!has_label(&s, t, Label::Email), "{:?}", labels(&s, t));
}

#[test]
fn addresses_phones_and_case_numbers_make_a_message_phi_only_when_it_speaks_of_care() {
    let s = Scanner::new();
    // A facilities notice: an address, a staff member's cell, a vendor's case number.
    let t = "Garage B closes Friday. Day staff park in Lot F, 1200 Orchard Blvd.\n\
             Questions: Jerome, cell 614-555-0130. Vendor case SR-7731-0092 is open.";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // The same kinds of finding in a message about a patient's care.
    let t = "The patient moved to 1200 Orchard Blvd. Her cell is 614-555-0130 for the \
             appointment reminders.";
    assert_phi(&s, t);
}

#[test]
fn a_footer_address_and_number_are_the_organisations() {
    let s = Scanner::new();
    let t = "Thanks for visiting!\nBloom Birth & Lactation | 88 Loockerman Plaza, Dover, DE 19901 | (302) 555-0170\n";
    assert!(!has_label(&s, t, Label::Address), "{:?}", labels(&s, t));
    let t =
        "Late cancel fee $35. MoveWell PT - 212 Franklin St, Brooklyn, NY 11222 - (718) 555-0115\n";
    assert!(!has_label(&s, t, Label::Address), "{:?}", labels(&s, t));
    assert!(!has_label(&s, t, Label::Phone), "{:?}", labels(&s, t));
    // A patient's line says whose address it is.
    let t = "Patient lives at 88 Loockerman Plaza, Dover, DE 19901 with her daughter.";
    assert_has(&s, t, Label::Address, "88 Loockerman Plaza, Dover, DE");
}

#[test]
fn a_circular_greets_a_role_and_a_patient_is_named_before_a_birth_date() {
    let s = Scanner::new();
    let t =
        "Dear Prescriber,\n\nThe formulary changes on April 1. Your patient's plan is unchanged.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    // Names the name lists do not know, told apart by what follows them.
    let t = "Family screening:\n1. Farhad Rahimi, DOB 1/1/1988, needs MMR.\n\
             2. Amara Nwachukwu-Bell (MRN M7730914) is in the NICU.";
    assert_has(&s, t, Label::Person, "Farhad Rahimi");
    assert_has(&s, t, Label::Person, "Amara Nwachukwu-Bell");
    // A capitalised phrase before a date that is no birth date stays a phrase.
    let t = "Quality Council, March 3, 2026: minutes attached.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
}

#[test]
fn links_with_a_personal_token_are_phi_and_slugs_are_not() {
    let s = Scanner::new();
    let t = "Your results: https://portal.example-clinic.org/v/9f3KQ2x7Lm";
    assert_has(
        &s,
        t,
        Label::Url,
        "https://portal.example-clinic.org/v/9f3KQ2x7Lm",
    );
    let t = "Your visit record: https://portal.example-clinic.org/r/UC-26-0088731";
    assert_has(
        &s,
        t,
        Label::Url,
        "https://portal.example-clinic.org/r/UC-26-0088731",
    );
    let t = "The full list is at https://www.meridianrx.example.com/formulary/2026-q2 for you.";
    assert!(!has_label(&s, t, Label::Url), "{:?}", labels(&s, t));
    let t = "Join: https://lakeshorehealth.zoom.us/j/83120447720";
    assert!(!has_label(&s, t, Label::Url), "{:?}", labels(&s, t));
}

#[test]
fn british_dates_and_ages_after_an_event_word_are_found() {
    let s = Scanner::new();
    assert_has(
        &s,
        "PATIENT: Rafael Soto\nDOB: 3rd of May 1957\n",
        Label::Date,
        "3rd of May 1957",
    );
    assert_has(
        &s,
        "Patient Tomas Briain, admitted 10 March with pancreatic cancer.",
        Label::Date,
        "10 March",
    );
    assert_has(
        &s,
        "Subject ID: HF-031\nAge at event:      91\n",
        Label::Age,
        // (A form's value: the number, without its label.)
        "91",
    );
    assert_has(
        &s,
        "Our patient died at home. She was 96.",
        Label::Age,
        "96",
    );
    // Lower-case "may" after a number is a verb; ages of 89 and under are not identifiers.
    assert!(!has_label(&s, "Take 2 may help with sleep.", Label::Date));
    assert!(!has_label(&s, "Age at onset: 45", Label::Age));
    assert!(!has_label(&s, "She was 96 pounds at intake.", Label::Age));
}

#[test]
fn words_about_care_count_only_near_the_weak_evidence() {
    let s = Scanner::new();
    // A foundation's gala notice names its emcee; "patients" comes paragraphs later.
    let filler = "The evening raises funds for the new pediatric wing and its playroom. ".repeat(6);
    let t = format!(
        "Join us for the Rose Garden Gala. Tickets from Kendra Voss in the Foundation office.\n\n\
         {filler}\n\nEvery dollar goes to care for our patients."
    );
    assert!(!s.scan(&t).contains_phi, "{:?}", labels(&s, &t));
    // The same name next to words about someone's care.
    let t = format!("{filler}\n\nKendra Voss was seen today; her appointment is moved.");
    assert!(s.scan(&t).contains_phi, "{:?}", labels(&s, &t));
}

#[test]
fn a_greeted_group_is_no_person_and_an_everyday_first_name_after_a_cue_is() {
    let s = Scanner::new();
    let t = "Dear Eastbrook families,\n\nSports physicals are on Saturday.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    let t =
        "We are passing along a follow-up for your patient Hope Delacroix. She called Saturday.";
    assert_has(&s, t, Label::Person, "Hope Delacroix");
    // "Hope" opening a sentence is still a word.
    let t = "Hope Delacroix Ward reopens next week.";
    assert_lacks(&s, t, Label::Person, "Hope Delacroix");
}

#[test]
fn hospital_drugs_and_combinations_are_medications() {
    let s = Scanner::new();
    let t = "Pressors: norepinephrine 8 mcg/min, vasopressin 0.03 units/min; propofol held.";
    for d in ["norepinephrine", "vasopressin", "propofol"] {
        assert_has(&s, t, Label::Medication, d);
    }
    assert_has(
        &s,
        "Start nirmatrelvir-ritonavir today.",
        Label::Medication,
        "nirmatrelvir-ritonavir",
    );
    // Over-the-counter vitamins are not.
    assert!(!has_label(
        &s,
        "Take riboflavin with food.",
        Label::Medication
    ));
}

#[test]
fn staff_named_by_role_or_department_and_cues_that_end_a_sentence_are_not_patients() {
    let s = Scanner::new();
    let t = "Huddle: case management (Dawn Pereira) is chasing 4 SNF placements; divert discussion \
             with the CNO on call (Will Hartley, 785-555-0112).";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    let t = "Please welcome Grace Liang, our music therapy intern, to the unit.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    let t = "You get this because your agency is a registered SafeStep partner. Manage \
             subscriptions online.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    let t = "Keisha Barnwell, CPhT\nPatient Access Specialist | Meridian Specialty Pharmacy";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    let t = "Seun Adebayo, FNP-BC\nAdolescent Medicine | Maple Leaf Pediatrics";
    assert_lacks(&s, t, Label::Person, "Maple Leaf");
    let t = "> Trinh Nguyen, RN | 5 West Med-Surg | 440-555-0131";
    assert!(!has_label(&s, t, Label::Phone), "{:?}", labels(&s, t));
    // A patient's: "our patient", a cue in dot leaders, "Pt." as the abbreviation.
    let t = "Please welcome back Grace Liang, our patient from 5 West.";
    assert_has(&s, t, Label::Person, "Grace Liang");
    let t = "Patient ........ Ashworth-Lindqvist, Marguerite E.\nChart no. ...... BWD-204477";
    assert!(has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
}

#[test]
fn birth_dates_with_dots_and_mailboxes_abroad_are_found() {
    let s = Scanner::new();
    let t = "my info:\nname: Jun-ho Baek\ndob: 1988.05.23\n";
    assert_has(&s, t, Label::Date, "1988.05.23");
    let t = "From: Jun-ho Baek <junho.baek.1988@naver.com>\nSubject: FMLA form";
    assert_has(&s, t, Label::Email, "junho.baek.1988@naver.com");
    // A version number is no date.
    assert!(!has_label(
        &s,
        "Upgrade to release 2026.4.1 tonight.",
        Label::Date
    ));
}

#[test]
fn a_stay_or_procedure_date_counts_only_in_mail_about_care_and_a_birth_date_always() {
    let s = Scanner::new();
    let t = "Approval for STUDY00021457, \"Remote monitoring with a wearable patch after \
             discharge\", expires on April 30, 2026. Please submit continuing review.";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    let t = "Your father was discharged 3/2/2026; his follow-up appointment is next week.";
    assert_phi(&s, t);
    let t = "Re: records request. DOB 03/04/1950.";
    assert_phi(&s, t);
}

#[test]
fn organisations_named_like_people_and_committees_after_a_cue_are_not_people() {
    let s = Scanner::new();
    let t = "Jill Brandt, CMA\nMaple Creek Family Medicine | (517) 555-0100";
    assert_lacks(&s, t, Label::Person, "Maple Creek");
    let t = "Invitation: Quality & Patient Safety Committee @ Wed Jan 13, 7:30am";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    // After a physical therapist's credential, the next name is a colleague's, not a patient's
    // named by the "Pt" cue.
    let t = "East Lansing   48823   Sam Okoro, PT     Lupe Herrera";
    let r = s.scan(t);
    assert!(
        !r.findings.iter().any(|f| f.rule == "person.cue"),
        "{:?}",
        labels(&s, t)
    );
    // A patient named after the cue still is.
    assert_has(
        &s,
        "Pt. Lupe Herrera was seen today.",
        Label::Person,
        "Lupe Herrera",
    );
}

#[test]
fn in_mail_to_a_whole_group_he_and_she_are_colleagues() {
    let s = Scanner::new();
    let t = "To: All 4 West Staff\nSubject: schedule\n\nHi all,\n\nTrinh Le and Patty Dunn \
             swapped nights; she will cover Tuesday.\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // The same words in a nurse's note about someone's mother.
    let t = "Subject: callback\n\nSpoke with Patty Dunn; she will bring her mother in Tuesday.\n";
    assert_phi(&s, t);
    // Words about a patient's care still count in group mail.
    let t = "Hi all,\n\nPatty Dunn was admitted overnight; her DOB is on the board.\n";
    assert_phi(&s, t);
}

#[test]
fn ages_told_by_family_and_tickets_shaped_like_ssns() {
    let s = Scanner::new();
    assert_has(
        &s,
        "hi, mom is 94 and her ankles are swollen",
        Label::Age,
        "94",
    );
    assert_has(
        &s,
        "I am 95 now and I do not expect to travel.",
        Label::Age,
        "95",
    );
    assert_has(
        &s,
        "DOB: 02/11/1935 (91 y)   Acct: V00734512",
        Label::Age,
        "91 y",
    );
    assert!(!has_label(
        &s,
        "I am 95% sure the fax went out.",
        Label::Age
    ));
    // A prefix glued to an SSN-shaped number makes it a ticket's.
    let t = "Open incidents: INC-339-20-4417 (label printer margins).";
    assert!(!has_label(&s, t, Label::Ssn), "{:?}", labels(&s, t));
    assert_has(
        &s,
        "Patient SSN 339-20-4417 on file.",
        Label::Ssn,
        "339-20-4417",
    );
}

#[test]
fn birthdays_wished_to_a_team_are_colleagues_and_a_patients_birthday_is_not() {
    let s = Scanner::new();
    let t = "To: PICU Team\nSubject: January birthdays!\n\nHappy birthday this month to:\n  \
             Jan 3  - Destiny Fairweather (RT)\n  Jan 17 - Sunny Patel (unit clerk)\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    let t = "Subject: party\n\nMarisol's birthday is March 3; she turns 7 and can't eat nuts.";
    assert_phi(&s, t);
}

#[test]
fn a_mailbox_on_a_domain_named_after_its_owner_is_personal_and_a_business_is_not() {
    let s = Scanner::new();
    let t = "From: Gideon Achebe-Lund <gideon@achebelund.me>\nTo: billing@riverside.org\n\n\
             My statement is wrong.";
    assert_has(&s, t, Label::Email, "gideon@achebelund.me");
    assert_has(&s, t, Label::Person, "Gideon Achebe-Lund");
    for t in [
        "From: Glow Aesthetic Studio <hello@glowaestheticstudio.com>\nSubject: spring offers",
        "Cc: Jordan Pike <jpike@pikeweston-law.com>\nSubject: subpoena",
        "Cc: Law Office of Brenda Kwon <intake@kwon-immigration.com>\nSubject: exam",
    ] {
        assert!(!has_label(&s, t, Label::Email), "{:?}", labels(&s, t));
    }
    // Odd edges: no closing bracket, a bracket at the very start or end.
    for t in [
        "<gideon@achebelund.me>",
        "Gideon Achebe-Lund <gideon@achebelund.me",
        "x <",
    ] {
        let _ = s.scan(t);
    }
}

/// None of `texts` is PHI.
fn assert_not_phi(s: &Scanner, texts: &[&str]) {
    for t in texts {
        assert!(!s.scan(t).contains_phi, "{:?}", labels(s, t));
    }
}

/// `text` contains PHI (the findings are printed if not).
fn assert_phi(s: &Scanner, text: &str) {
    assert!(s.scan(text).contains_phi, "{:?}", labels(s, text));
}

/// None of `texts` has a finding labelled `label`.
fn assert_no_label(s: &Scanner, label: Label, texts: &[&str]) {
    for t in texts {
        assert!(!has_label(s, t, label), "{:?}", labels(s, t));
    }
}

/// Each `(text, value)` has `value` labelled `label`.
fn assert_all_have(s: &Scanner, label: Label, cases: &[(&str, &str)]) {
    for (t, v) in cases {
        assert_has(s, t, label, v);
    }
}

#[test]
fn a_firm_named_after_its_partners_is_no_one_and_a_large_providers_mailbox_abroad_is_personal() {
    let s = Scanner::new();
    assert_no_label(
        &s,
        Label::Email,
        &[
            "To: Gene Hollis <gene@hollisdrug.com>\nSubject: invoice\n\nBackorder notice.",
            "To: Jesse Lutz <jesse@nygaardlutz.com>\nSubject: invoice\n\nYour invoice is ready.",
        ],
    );
    // A one-person craft beside the surname is still the person's own.
    let t = "From: Wren Castellano <wren@castellanostudio.art>\nSubject: my records\n\nHi.";
    assert_has(&s, t, Label::Email, "wren@castellanostudio.art");
    // A large provider's mailbox under a country's suffix.
    assert_all_have(
        &s,
        Label::Email,
        &[
            (
                "Reply to margie.t@yahoo.com.au about the crown.",
                "margie.t@yahoo.com.au",
            ),
            ("My e-mail is k.berg@hotmail.it", "k.berg@hotmail.it"),
        ],
    );
    // Not a longer name, nor a provider's name as someone else's subdomain.
    assert_no_label(
        &s,
        Label::Email,
        &[
            "Write to ops@gmailer.com",
            "Write to ops@gmail.acme-clinic.com",
        ],
    );
}

#[test]
fn patient_as_a_modifier_a_time_zone_and_a_test_patient_speak_of_no_ones_care() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            "Regional contacts: Gina Albrecht, 503-555-0144. Hours 7 am - 6 pm PT.",
            "Patient satisfaction rose to 4.7. Thanks to Gina Albrecht, 503-555-0144.",
            "Gina Albrecht (503-555-0144) will check that the test patient logins work.",
        ],
    );
    // The same name and number about a patient.
    let t = "The patient, Gina Albrecht, asked us to call 503-555-0144.";
    assert_phi(&s, t);
}

#[test]
fn a_colleagues_new_baby_or_family_in_group_mail_is_news_and_a_patients_is_phi() {
    let s = Scanner::new();
    let t = "Hi everyone,\n\nPlease join us in congratulating Dr. Meera Iyer and her husband Rohan \
             on the arrival of their daughter, Anika Rose, born March 2.\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    let t = "Interpreters and schedulers,\n\nHector Villanueva starts Monday; she will shadow \
             him, cell 612-555-0132.\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // Group mail about a patient's care is still PHI.
    let t = "Hi everyone,\n\nOur patient Ruth Ames was born March 2, 1931; her husband Don \
             will visit.\n";
    assert_phi(&s, t);
}

#[test]
fn a_patients_date_of_death_is_phi_and_a_colleagues_memorial_is_not() {
    let s = Scanner::new();
    let t = "Dear Arlene,\n\nIt was an honor to care for him at home. It has been eleven weeks \
             since he died on September 14.\n";
    assert_has(&s, t, Label::Date, "September 14");
    assert_phi(&s, t);
    let t = "Dr. Walter Emmerich, who practiced in Marrow Creek for 41 years, died at home on \
             November 12, 2026. He was 84.\n";
    assert!(!has_label(&s, t, Label::Date), "{:?}", labels(&s, t));
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // A colleague's leave for surgery is not a patient's stay.
    let t = "Our MA lead, Fatima Zahir, is out for surgery 3/9 - 3/27.";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
}

#[test]
fn capitals_customer_ids_and_a_signers_cell_are_not_patients() {
    let s = Scanner::new();
    let t = "FRONT DESK: PLEASE CALL ANY PATIENT BOOKED AFTER 2:00 PM ON THE 25TH.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    assert_has(
        &s,
        "PATIENT: MARIA GONZALEZ  DOB 03/04/1950",
        Label::Person,
        "MARIA GONZALEZ",
    );
    let t = "Invoice number: 552-31-0487\nCustomer ID:      NL-004127\n";
    assert!(!has_label(&s, t, Label::MemberId), "{:?}", labels(&s, t));
    assert_has(&s, "Member ID: NL-004127", Label::MemberId, "NL-004127");
    let t = "Chief Wade Lasko\nDirector, Garnet County EMS\n406-555-0150 | cell 406-555-0185\n";
    assert!(!has_label(&s, t, Label::Phone), "{:?}", labels(&s, t));
    assert_has(
        &s,
        "We have 470-555-0142 as your cell for the nurse visit.",
        Label::Phone,
        "470-555-0142",
    );
}

#[test]
fn he_and_she_after_a_staff_name_are_the_colleague_and_after_a_patient_the_patient() {
    let s = Scanner::new();
    // The last name before "she" is a nurse's (a credential): she is the colleague.
    let t = "Janet Ruiz called. Dale Fontaine, RN, took the message: she will call back; her \
             cell is 503-555-0161.\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // The last name before "she" is the caller's: she may be a patient.
    let t = "Dale Fontaine, RN, took the message. Janet Ruiz called: she will call back; her \
             cell is 503-555-0161.\n";
    assert_phi(&s, t);
}

#[test]
fn a_record_number_later_in_the_sentence_is_found_and_a_phone_or_ticket_is_not() {
    let s = Scanner::new();
    let t = "If you want to read that chart before conference, it's GCH-00418276; the family \
             agreed.";
    assert_has(&s, t, Label::Mrn, "GCH-00418276");
    let t = "Her member ID will be BSG447100263-03 within ten days.";
    assert_has(&s, t, Label::MemberId, "BSG447100263-03");
    for t in [
        "Call the chart room in case the number is 555-0123.",
        "The chart audit ticket is INC-0045521.",
        "Please chart before noon; the room is 4120.",
    ] {
        assert!(
            !has_label(&s, t, Label::Mrn) && !has_label(&s, t, Label::OtherId),
            "{:?}",
            labels(&s, t)
        );
    }
}

#[test]
fn a_mailbox_with_a_birth_year_or_household_word_is_personal_and_a_units_is_not() {
    let s = Scanner::new();
    assert_all_have(
        &s,
        Label::Email,
        &[
            ("To: dmorrow.1958@mailhost.net", "dmorrow.1958@mailhost.net"),
            (
                "From: Jen Whitaker <jwhitaker.home@mailhost.net>",
                "jwhitaker.home@mailhost.net",
            ),
            ("reply to yoprice62@mailhost.net", "yoprice62@mailhost.net"),
        ],
    );
    assert_no_label(
        &s,
        Label::Email,
        &[
            "From: NICU Family Support <nicu.family@mercyrivers.org>",
            "Cc: jsmith2@riverside-health.org",
            "Contact billing2024@riverside-health.org",
        ],
    );
}

#[test]
fn a_role_right_after_a_name_is_staff_and_a_role_word_later_in_the_sentence_is_not() {
    let s = Scanner::new();
    let t = "Your father, Frank Hollister, slipped at the end of chair yoga this morning.";
    assert_has(&s, t, Label::Person, "Frank Hollister");
    let t = "Present: Gail Sorensen, Chair of the Board; Harold Voss, Treasurer.";
    assert!(
        !has(&s, t, Label::Person, "Gail Sorensen"),
        "{:?}",
        labels(&s, t)
    );
}

#[test]
fn departments_and_a_colleagues_leave_are_no_ones_care_and_turning_101_is_an_age() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            "Birth Center. Renovation starts January 5. Thanks to Carol Benning, 309-555-0142.",
            "Volunteers this week: Carol Benning, Surgery waiting Thu 10/16 6-10 am.",
            "Fri 3/20 Night: 1 LPN (Janelle Ortiz is off for a family member's surgery)\nSat 3/21 Day: 2 \
             CNA. Text me at 612-555-0188.",
        ],
    );
    // The same words about a patient's own stay.
    let t = "Carol Benning had her surgery on 10/16; call her at 309-555-0142.";
    assert_phi(&s, t);
    assert_has(
        &s,
        "3/2  Opal Henning (Apt 114) -- turning 101!",
        Label::Age,
        "101",
    );
    assert!(!has_label(
        &s,
        "Our clinic is turning 25 this year.",
        Label::Age
    ));
    // An organisation after "for" is not a person.
    let t = "Invoices past 45 days for Golden Plains Nursing Home:";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
}

#[test]
fn a_practices_equipment_a_vendors_signature_and_a_greeted_group_are_no_patients() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            "Service report from yesterday's visit on the M11 unit (S/N V2218440, installed 2019).",
            "Unit: OCT, model LX-5000, S/N LX5K-20931, software 4.2.1.",
            "Brandon Kowalczyk\nField Service Engineer\nLumetrix Imaging Systems\nCell 612-555-0157 | \
             Service Desk 1-888-555-0104\n\nThe autoclave is fixed.",
            "Dear Tenants,\n\nWater will be off Saturday 8 am - noon in Building A.",
        ],
    );
    // A patient's device and a patient's contact line stay identifiers.
    assert_has(
        &s,
        "Her CPAP is a ResMed AirSense, model 37207, serial 23B0117446.",
        Label::Device,
        "23B0117446",
    );
    let t = "Patient: Ruth Ames\n14 Elm St, Decatur, GA 30030\nPh 678-555-0121 | Cell \
             678-555-0129 | Fax 678-555-0122";
    assert_has(&s, t, Label::Phone, "678-555-0129");
}

#[test]
fn a_private_person_writing_to_an_office_that_does_not_deal_with_care_is_not_a_patient() {
    let s = Scanner::new();
    let t = "From: Tanisha Greer <tanisha.greer@outlook.com>\nTo: careers@northpointhealth.org\n\
             Subject: Application - Medical Assistant\n\nDear Hiring Manager,\n\nI am applying \
             for the posting.\n\nTanisha Greer\n(480) 555-0157";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // The same writer to the same office about her own care is PHI.
    let t = "From: Tanisha Greer <tanisha.greer@outlook.com>\nTo: careers@northpointhealth.org\n\
             Subject: interview\n\nI had surgery on 3/4 and my appointment with Dr. Lee is \
             Friday, so could we move the interview?\n\nTanisha Greer\n(480) 555-0157";
    assert_phi(&s, t);
    // And to a clinic's front desk the greeted writer is a patient (the dev corpus's rule).
    let t = "From: Tanisha Greer <tanisha.greer@outlook.com>\nTo: frontdesk@northpointhealth.org\n\
             Subject: question\n\nDo you have Saturday hours?\n\nTanisha Greer";
    assert_phi(&s, t);
}

#[test]
fn an_agencys_own_numbers_licence_and_van_are_not_a_patients() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            "Our Medicaid provider ID is 44001873 if you need it to look us up.",
            "License renewal - Brightwater Home Care, HHA license #1147.",
            "Please add the new van to our commercial auto policy:\n  2024 Ford Transit 350, VIN \
             1FTBW3XG5RKA21437, plate BWC-7720",
            "Order for our account 77120: 3 boxes of procedure masks, ear loop.",
        ],
    );
    // A patient's Medicaid number later in the sentence, a patient's car.
    assert_has(
        &s,
        "Her Medicaid number on the card is 44001873.",
        Label::MemberId,
        "44001873",
    );
    assert_has(
        &s,
        "His daughter picks him up; her car's plate BWC-7720.",
        Label::Vehicle,
        "BWC-7720",
    );
}

#[test]
fn a_staff_contact_a_column_heading_a_greeted_role_and_a_recruiter_are_not_patients() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            "For urgent billing questions please contact Lorraine Gish at 717-555-0188.",
            "Roster attached.\n\nName                 Degree  Specialty          NPI\n",
            "Dear Outreach Client,\n\nStarting Monday the courier leaves at 3 pm.",
            "From: Stephanie Rhoads <srhoads@laurelvalleyhealth.org>\nTo: \
             brianna.kemp.rn@gmail.com\nSubject: Interview confirmation - RN (Req 26-04187)\n\nHi \
             Brianna,\n\nSee you Thursday.",
        ],
    );
    // A patient's emergency contact and a named value under a "Name:" label stay.
    assert_has(
        &s,
        "Emergency contact Maria Lopez, her daughter, 717-555-0140.",
        Label::Person,
        "Maria Lopez",
    );
    assert_has(
        &s,
        "Patient name:  Walter Igwe",
        Label::Person,
        "Walter Igwe",
    );
}

#[test]
fn a_replys_subject_in_capitals_is_no_name_and_a_patient_after_a_colon_label_is() {
    let s = Scanner::new();
    let t = "Subject: RE: PAST DUE - Invoice 20931 - KVMG Orthopedics\n\nPaid by ACH today.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    assert_has(
        &s,
        "PATIENT: MARIA GONZALEZ  DOB 03/04/1950",
        Label::Person,
        "MARIA GONZALEZ",
    );
}

#[test]
fn a_record_number_in_brackets_after_a_name_is_a_patients_and_a_vendors_ticket_is_not() {
    let s = Scanner::new();
    let t = "Dr K - confirmatory results came back on Travis Koenig (RCB-0038825) from the 3/2 \
             collection.";
    assert_phi(&s, t);
    assert_has(&s, t, Label::Person, "Travis Koenig");
    assert_not_phi(
        &s,
        &[
            "Vendor security questionnaire - MedRoute Scheduling (VRM-2026-0142) - due 3/20",
            "Call Travis Koenig (555-0123) about the lunch order.",
        ],
    );
}

#[test]
fn a_patients_street_in_a_sentence_lower_case_or_signed_is_an_address_and_a_venue_is_not() {
    let s = Scanner::new();
    assert_all_have(
        &s,
        Label::Address,
        &[
            (
                "Ride for the patient. Pickup: Tue Mar 31, 8:10 AM at 1503 Pecan Grove Ln, \
                 Macon, GA 31206",
                "1503 Pecan Grove Ln, Macon, GA",
            ),
            (
                "Patient slipped on the ice in front of my house at 1406 W 7th St, Grand \
                 Island, NE 68801.",
                "1406 W 7th St, Grand Island, NE",
            ),
            (
                "pt can't come tmrw. addr is 1184 s kedzie ave apt 2r chicago 60623",
                "1184 s kedzie ave apt 2r chicago",
            ),
            // A lower-case "dr" with its town, state and ZIP code (blind batch 57).
            (
                "hi its tanya. address is 62 orchard view dr apt 3 elizabethtown pa 17022 \
                 thx",
                "62 orchard view dr apt 3 elizabethtown pa",
            ),
            (
                "From: Gloria Esposito <gesposito58@gmail.com>\nSubject: my bill\n\nPlease \
                 fix my balance.\n\nSincerely,\n\nGloria A. Esposito\n41 Laurel Ridge Drive, \
                 Camp Hill, PA 17011\n",
                "41 Laurel Ridge Drive, Camp Hill, PA",
            ),
        ],
    );
    assert_no_label(
        &s,
        Label::Address,
        &[
            // A lower-case distance, a venue, and a clinic's signature in a reply to a patient.
            "the patient drove 3 days on the road to get here",
            // "dr" is a doctor's here: no apartment and no ZIP code after it.
            "pt says she has 2 specialist dr appts next week",
            "Patient education night: 6 p.m., Grandview Ballroom, 800 River Rd, Macon, GA",
            "From: Front Desk <frontdesk@ridgewaymed.example>\nTo: Fernando Alcaraz \
             <falcaraz.home@gmail.com>\n\nHi Fernando, yes we take new patients.\n\nBest,\n\
             Annika Lund\nNew Patient Coordinator, Ridgeway Medical Clinic\n211 Main Street, \
             Ridgeway, WI 53582\n",
        ],
    );
}

#[test]
fn a_sign_in_location_by_state_name_is_a_place_and_a_meeting_location_is_not() {
    let s = Scanner::new();
    let t = "We noticed a new sign-in to your patient account.\n  Location: Gary, Indiana \
             (approximate)\n  IP: 73.162.48.219";
    assert_has(&s, t, Label::Address, "Gary, Indiana");
    assert_no_label(
        &s,
        Label::Address,
        &["Board retreat\nLocation: Springfield, Illinois\nAgenda attached."],
    );
}

#[test]
fn a_diagnosis_in_billing_mail_makes_a_name_a_patients_and_a_payer_id_is_not_a_member() {
    let s = Scanner::new();
    let t = "Hi Lorraine, a few injection claims came back. Example: Carmen Velez, DOS \
             02/12/2026, claim 2026043310822 - J3301 denied for missing NDC. Dx was L91.0.";
    assert_phi(&s, t);
    assert_not_phi(
        &s,
        &[
            "Penn Valley is still rejecting claims sent with the old payer ID (PVHP1). New ID \
             is 60318, effective 3/1. Re-bill whatever hit the rejection queue.",
            "Team: the DOS rules changed for Medicare timely filing. Greg Palmer will cover it \
             at the quarterly review.",
            "Coding tip from Greg Palmer: list the dx codes in the order they were addressed \
             at the visit.",
        ],
    );
}

#[test]
fn a_mailbox_at_a_provider_named_for_mail_is_personal_but_not_a_clinicians() {
    let s = Scanner::new();
    let t = "From: Ben Albright <balbright@larkfieldrp.example>\nTo: \
             lorna.castellano@tmail.net\nSubject: RE: Estate of Albert Castellano\n\nHi Lorna, \
             the final statement is attached.";
    assert_has(&s, t, Label::Email, "lorna.castellano@tmail.net");
    let clinician = "From: Garrett Lindqvist <glindqvist@summitlocums.example>\nTo: Dr. Tomasz \
                     Rydzewski <trydzewski.md@lumenmail.net>\nSubject: Assignment at Three \
                     Rivers\n\nHospitalist, 7-on/7-off, days, Apr 6 - Apr 19, 2026.";
    assert_not_phi(&s, &[clinician]);
    assert_no_label(&s, Label::Email, &[clinician]);
}

#[test]
fn a_reference_or_grievance_number_is_a_patients_case_and_a_bare_reference_word_is_not() {
    let s = Scanner::new();
    assert_all_have(
        &s,
        Label::OtherId,
        &[
            (
                "Member Services Representative\nReference #: CS-261208-004471",
                "CS-261208-004471",
            ),
            (
                "Dear Ms. Potts, we resolved your grievance GRV-26-04412 today.",
                "GRV-26-04412",
            ),
        ],
    );
    assert_no_label(
        &s,
        Label::OtherId,
        &["For reference # see the attached policy manual, chapter 4."],
    );
}

#[test]
fn a_name_after_for_is_a_patients_unless_an_organisation_word_follows() {
    let s = Scanner::new();
    let t = "Patient called to reschedule. Please book a follow-up for Maria Lopez next week.";
    assert_has(&s, t, Label::Person, "Maria Lopez");
    assert_not_phi(
        &s,
        &[
            "Please see below, submitting a roster update for Loma Clara Community Health \
             Center, group NPI 2960308247.",
            "Do we need 1099s for Kettle Creek IT and the hairdresser this year?",
        ],
    );
}

#[test]
fn a_clinics_reply_to_a_mail_named_provider_is_a_patients_and_its_office_mail_is_not() {
    let s = Scanner::new();
    // A provider named for mail with a long name (the domain test used to stop at the length
    // of the large providers' names).
    let t = "From: Angela Brandt, RN <abrandt@millbrookfamilymed.example>\nTo: \
             lgreer.ashby@northwoodmail.net\nSubject: Your lab results\n\nHi Linda,\n\nDr. \
             Okafor reviewed your labs from 11/24. Your cholesterol is much better since \
             starting the atorvastatin.";
    assert_phi(&s, t);
    assert_has(&s, t, Label::Email, "lgreer.ashby@northwoodmail.net");
    assert_not_phi(
        &s,
        &[
            // A payroll service's client number, an on-call list, a fridge's data logger, a
            // job applicant and a vendor's patient-messaging module.
            "From: Teresa Vogel <tvogel@millbrookfamilymed.example>\nTo: Monique Barrett \
             <mbarrett@heartlandpayroll.example>\nSubject: Client 4471 - corrections\n\nHi \
             Monique,\n\n1. Tyler Nguyen - add 3.5 hrs OT for Sat 11/21\n2. Josie Marsh - 8 \
             hrs holiday pay for 11/26\n\nThanks!\nTeresa",
            "On-call schedule, December\n\nWeek          On call         Cell\n12/4 - 12/10  \
             Dr. Okafor      419-555-0161\n12/11 - 12/17 Dr. Reinholt    419-555-0162\n\n\
             Script for the answering service: if a patient is calling about a refill, \
             please take a message.",
            "To the county VFC program: a temperature excursion in our VFC refrigerator \
             overnight. The data logger (serial 2240-118374) showed a max of 9.1 C.",
            "From: Teresa Vogel <tvogel@millbrookfamilymed.example>\nTo: Brianna Voss \
             <bvoss.cma@lakeviewmail.com>\nSubject: RE: Medical Assistant position\n\nHi \
             Brianna,\n\nThank you for your interest in the MA opening. Could you come in \
             Tuesday at 4?",
            "Sue, Miguel -\n\nAgenda for Monday: the EHR vendor wants $14k/yr for the patient \
             messaging module.",
        ],
    );
}

#[test]
fn a_reply_to_a_patient_at_a_phone_companys_mail_is_phi_and_a_suppliers_is_not() {
    let s = Scanner::new();
    let t = "From: Josie Marsh <frontdesk@millbrookfamilymed.example>\nTo: \
             hstoltz@frontiernet.net\nSubject: RE: handicap placard form\n\nHi Helen,\n\nDr. \
             Serrano signed the BMV disability placard application today. It is at the front \
             desk in an envelope with your name on it.";
    assert_has(&s, t, Label::Person, "Helen");
    assert_not_phi(
        &s,
        &[
            "From: Josie Marsh <frontdesk@millbrookfamilymed.example>\nTo: \
           bwallace@acmemedicalsupply.net\nSubject: RE: invoice 2231\n\nHi Bob,\n\nThe \
           invoice is paid. Please ship the gloves on Friday.",
        ],
    );
}

#[test]
fn an_aide_new_hire_and_an_hr_welcome_are_staff_and_a_shipping_label_in_capitals_is_an_address() {
    let s = Scanner::new();
    let label = "Your order has shipped! The patient's supplies:\n\nShip to:\nLORRAINE PETTIT\n305 W \
                 LOCUST ST APT 2\nMILLBROOK, OH 43756\n";
    assert_has(
        &s,
        label,
        Label::Address,
        "305 W LOCUST ST APT 2\nMILLBROOK, OH",
    );
    assert_no_label(
        &s,
        Label::Address,
        &["PLEASE SEE THE 3 NEW DR ORDERS AND THE PATIENT'S 2 HEAD CT REPORTS"],
    );
    assert_not_phi(
        &s,
        &[
            "To: All Staff\n\nKUDOS: A family wrote in to thank Latoya Simms, HHA, for \
             \"treating my father like he was her own grandpa.\"",
            "From: Human Resources <hr@tworivers-hhh.example>\nTo: Tonya Reed \
             <tonyareed.hha@outlook.com>\nSubject: Welcome to Two Rivers! Orientation \
             details\n\nHi Tonya,\n\nWelcome aboard! Orientation: Monday, December 14, 8:30 \
             AM. Please bring your TB test result.",
        ],
    );
}

#[test]
fn a_payrolls_employee_numbers_and_a_submitter_id_are_no_patients_but_an_employees_leave_is() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            "Hi Renee,\n\nThree corrections for the pay period ending 1/9:\n\n1. Kayla Dunn \
             (EE #1047) - missing 4.5 hrs from the Saturday flu clinic. She was already at 40 \
             for the week so those should be OT.\n2. Brianna Cole (EE #1012) - 1/6 should be \
             PTO. Her manager approved it late.",
            "Two issues on our account with Scioto Family Health Plan (Tamarack Run \
             Pediatrics, submitter ID TRP0419): no 835 files since the 12/28 check run.",
        ],
    );
    let leave = "Subject: Return to work - FMLA\n\nI am confirming that Ashley Merriweather \
                 (employee ID E40288) may return to work on 3/16 after her surgery.";
    assert_phi(&s, leave);
}

#[test]
fn imaging_equipment_serials_an_invoice_number_and_a_payers_city_are_not_a_patients() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            "Confirming what was done:\n- Replaced wireless DR detector (old S/N 2213K0419, new \
             S/N 2307K1188)\n- Recalibrated, QC phantom passed 12/6",
            "The S10 in Room 2 (SN 97762SX) is PM-only. The probe replaced in September was \
             invoiced $2,140 (inv 402-77-1936).",
            "Reminder: if the patient says it happened at work, register it as WC. Paper \
             bills go to PO Box 6620, Columbus OH 43216.",
        ],
    );
    // A patient's device, and an SSN after its cue, still count.
    assert_has(
        &s,
        "Patient's insulin pump serial number: 2213K0419, replaced 12/6.",
        Label::Device,
        "2213K0419",
    );
    assert_has(&s, "Patient SSN: 402-77-1936", Label::Ssn, "402-77-1936");
}

#[test]
fn a_full_name_before_a_possessive_is_a_person_but_a_colleagues_timesheet_and_a_manual_are_not() {
    let s = Scanner::new();
    let t = "Doc - any word on Kendall Brennan's arthrogram? Coach is asking about her for the \
             tournament.";
    assert_has(&s, t, Label::Person, "Kendall Brennan");
    assert_phi(&s, t);
    assert_not_phi(
        &s,
        &[
            "Payroll: add 2.75 hrs at OT rate, and check Paige Kerr's timesheet (emp #2210) \
             for 11/14. She said she clocked out at 7.",
            "Owners and drafts due:\nPolicy & procedure index (annual review signoffs)  \
             Gretchen   12/15\nPatient management program description   Dana   12/22",
        ],
    );
}

#[test]
fn staff_in_pay_and_hiring_mail_the_writer_and_a_second_site_are_not_patients_but_a_death_is() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            "Subject: Payroll 12/11 - two changes\n\nHi Renee,\n\n1. Luis Ortega - rate change \
             to $24.50/hr effective this pay period (he passed his COT exam).",
            "Subject: RE: Traveler RN for Medina\n\nGreat, we'd like to move forward with \
             Danielle Shultz. Start Mon 11/30 works. She'll do 2 days orientation at Wooster.",
            "From: Luis Ortega <lortega@larkfieldeye.example>\nTo: service@optitech.example\n\
             Subject: Service request - OCT scan head error\n\nDevice: Cirrus HD-OCT 5000, SN \
             5000-14872\n\nContact: Luis Ortega, (414) 555-0142 x231, or my cell 414-555-0188",
            "Our on-call doctor is available for patient emergencies.\n\nLarkfield Eye \
             Associates | 2200 Orchard Hill Dr, Suite 100, Larkfield, WI 53187 | 615 W. Mill \
             Rd, Brookton, WI",
            "To: All Staff\n\nFlu vaccine proof is due by 11/30. Staff who decline must mask in \
             patient areas. Recerts due: Darnell Hicks (East) - 12/31, Tom Vance (Medina) - \
             01/31.",
        ],
    );
    let death = "To: North RNs; North PCTs\nSubject: Earl Messner\n\nHi all,\n\nSad news - \
                 Earl Messner passed away at home Saturday 11/14 under hospice care. His wife \
                 Joyce called this morning.";
    assert_phi(&s, death);
}

#[test]
fn a_specialty_in_an_organisations_name_a_lasers_serial_and_a_colleagues_mailbox_are_no_patients() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            "Payroll corrections:\n1. Shayla Greene (emp 1142) - missed punch out on 3/3.\n\n\
             Dana Whitcomb\nCedar Bluff Dermatology & Skin Surgery\n(555) 318-4400",
            "Units to be seen:\n  2. Solara Nd:YAG 1064 (hair removal), SN NDY-1807-00932 - \
             error E-114 came up twice last week.",
            "From: Maria Echeverria <mecheverria@cedarbluffdermatology.example>\nTo: Heather \
             Vance <hvance@meridianrx.example>\n\nPlease set up portal logins for me and for \
             Kim Tran (ktran@cedarbluffdermatology.example), she covers when I am out.",
        ],
    );
    // A patient's operation still counts, and so does a patient at another domain.
    let t = "Patient Shayla Greene is scheduled for knee surgery on 3/3.";
    assert_phi(&s, t);
}

#[test]
fn a_case_number_is_known_by_its_prefix_but_a_state_and_a_year_are_not() {
    let s = Scanner::new();
    assert_all_have(
        &s,
        Label::OtherId,
        &[
            (
                "Subject: RE: PA request PA-27-0331907 - Prolia\n\nAdditional information is \
                 needed.",
                "PA-27-0331907",
            ),
            (
                "Please reference request number ROI-2027-0288 on all correspondence.",
                "ROI-2027-0288",
            ),
            (
                "The auth is there (UM26-1129874, 12 visits).",
                "UM26-1129874",
            ),
            (
                "Subject: CONCURRENT REVIEW REQUESTED - Ref# IP26-0310-88412",
                "IP26-0310-88412",
            ),
            (
                "Written follow-up to the phone report I made 3/9 (intake #APS-26-00418).",
                "APS-26-00418",
            ),
            (
                "1. Farhad Rahimi, DOB 1/1/1988, A# A-221-774-013\n   - IGRA positive",
                "A-221-774-013",
            ),
            (
                "Subject: ADR response - DCN 22631900457104WIA",
                "22631900457104WIA",
            ),
            (
                "Name:       WHITAKER, Jerome L.\nBooking #:  HCDC-2025-11402",
                "HCDC-2025-11402",
            ),
        ],
    );
    assert_no_label(
        &s,
        Label::OtherId,
        &[
            "Brandvold Law, 88 W. Market St, York, PA 17401",
            "Policy PA-2026 replaces the 2019 version.",
        ],
    );
}

#[test]
fn the_writers_own_number_is_staffs_at_an_organisations_mailbox_but_a_patients_at_their_own() {
    let s = Scanner::new();
    let staff = "From: Nadia Karimi <nkarimi@harbourlight.example>\nTo: Intake \
                 <intake@lakeside.example>\nSubject: arrivals\n\nThe dates above are as on the \
                 I-94s. Call me at 612-555-0144 or our main line 612-555-0140.";
    assert_no_label(&s, Label::Phone, &[staff]);
    let patient = "From: Tomas Eriksen <tomas.eriksen@gmail.com>\nTo: Billing \
                   <billing@willowcreek.example>\n\nI'll pay the rent portion today. Please call \
                   me at (612) 555-0103 after 4, I'm on jobs all day.";
    assert_all_have(&s, Label::Phone, &[(patient, "(612) 555-0103")]);
    // A portal relays the patient's own words; the sentence before a number decides whose.
    let portal = "From: Patient Portal <portal@maplecreek.example>\nTo: Refills \
                  <refills@maplecreek.example>\n\nMessage: can i take the allergy pill with my \
                  thyroid pill? you can call me at 517 555 0119 after 3";
    assert_all_have(&s, Label::Phone, &[(portal, "517 555 0119")]);
    let work = "yeah hi this is Lupe, you can call me back on this number or my work is \
                720-555-0152 extension 31, I have my appointment tomorrow";
    assert_all_have(&s, Label::Phone, &[(work, "720-555-0152")]);
}

#[test]
fn a_town_after_lives_in_is_a_patients_but_a_tab_a_weekday_and_a_colleagues_move_are_not() {
    let s = Scanner::new();
    assert_all_have(
        &s,
        Label::Address,
        &[
            (
                "Likely d/c Monday if cultures stay clear. Pt lives in Powell with his wife.",
                "Powell",
            ),
            (
                "From: Walt Ames <waltames1948@gmail.com>\n\nMy wife Ruth and I are moving to \
                 Spokane to be near our daughter.",
                "Spokane",
            ),
        ],
    );
    assert_no_label(
        &s,
        Label::Address,
        &[
            "Mohs map templates moved to the Procedures tab.",
            "Tuesday bingo moved to Thursdays.",
            "From: Gail Hendricks <ghendricks@kvmg.example>\nTo: Staff <staff@kvmg.example>\n\n\
             Frank Osei, who is moving to Savannah, trains his successor this week.",
            "The employer plan is moving to NorthPoint as its specialty pharmacy.",
        ],
    );
}

#[test]
fn a_therapy_practices_pt_its_gym_and_a_generic_client_are_no_patients_but_a_pt_note_is() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            "From: Megan Whitcombe <mwhitcombe@keystonemotion-pt.example>\nTo: Millbrook Team \
             <millbrook@keystonemotion-pt.example>\nSubject: Saturday rota\n\n  Date    PT        \
             PTA\n  Mar 14  Arjun Rao  Dana Kowalczyk\n  Mar 21  Lauren Fitzgerald  Jess Albers",
            "Marcus Feeney\nIT Manager, Keystone Motion PT & Rehab\nAfter hours: 717-555-0105",
            "Woodway treadmill (Millbrook, SN WW4F-118273): the belt and deck are fine.",
            "Bug fix: group-note attendance no longer duplicates when a client is added late.\n\
             Your account ID: PRV-004471",
            "Enrollments: Simone Achebe, PT, DPT, WCS.\n\nCan you tell me the expected effective \
             date? Ms. Achebe started with us March 9 and she has patients on her schedule.",
            "Subject: FW: New applicant - Psychiatric Mental Health Nurse Practitioner\n\n\
             She has five years of experience; phone screen Thursday 3/19 at 1:00?",
        ],
    );
    assert_phi(
        &s,
        "Tasha called: pt Dana Kowalczyk can't make her 4:15, car trouble. She wants Friday.",
    );
    assert_phi(
        &s,
        "The client missed her appointment today, account PRV-004471 is past due.",
    );
    assert_phi(
        &s,
        "Hi, Ms. Achebe called about her appointment and her knee.",
    );
    let pump = "His insulin pump, serial PX4-7710385, alarms at night.";
    assert_all_have(&s, Label::Device, &[(pump, "PX4-7710385")]);
}

#[test]
fn staff_news_a_job_link_and_a_phishing_sender_are_no_patients_but_a_team_note_about_one_is() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            "From: CM-UR Newsletter <cmnews@lakeshorech.example>\nTo: CM-UR All Staff \
             <cm-ur-all@lakeshorech.example>\nSubject: The Discharge Planner - March\n\nKUDOS\n \
             * To Carla Mendes, who got a wheelchair van, a SNF bed and a follow-up IM lined up \
             in 90 minutes on a Friday.\n * To Tomas Arriaga for precepting two students.",
            "We are hiring two RN case managers. Please share the link with anyone you know: \
             https://careers.lakeshorech.example/jobs?dept=case-management\n\nJessica Moore\n\
             Talent Acquisition Partner, Human Resources",
            "How to spot it:\n  - Sender is \"reports@cardiotrace-secure-mail.net\" (the real \
             one ends in cardiotrace-ms.com)",
        ],
    );
    assert_phi(
        &s,
        "From: Odalys Ferrer, RN <oferrer@tidewaterhospice.example>\nTo: \
         IDG-Team-B@tidewaterhospice.example\n\nTeam B,\n\nSaw Jasper Thornquist at home this \
         afternoon. Comfort meds: morphine used 3x in 24h per wife.\n\nWife's cell: \
         757-555-0198.",
    );
    let link = "Your secure message: https://portal.example/msg?id=9b21c44e0a";
    assert!(has_label(&s, link, Label::Url), "{:?}", labels(&s, link));
    let mailbox = "You can write to me at lindab@quickmail.net about my refill.";
    assert_all_have(&s, Label::Email, &[(mailbox, "lindab@quickmail.net")]);
    let partner = "Her partner Dana Whitfield will drive her home after the procedure.";
    assert_all_have(&s, Label::Person, &[(partner, "Dana Whitfield")]);
}

#[test]
fn an_age_over_89_beside_a_name_or_a_pronoun_but_not_a_street_number_or_a_rate() {
    let s = Scanner::new();
    assert_all_have(
        &s,
        Label::Age,
        &[
            (
                "One note for your team: at 92 he's very sharp but hard of hearing.",
                "92",
            ),
            (
                "We saw Margaret Ellison (96, end-stage Parkinson's disease) at home today.",
                "96",
            ),
        ],
    );
    assert_no_label(
        &s,
        Label::Age,
        &[
            "Meet us at 100 Main St, Suite 2.",
            "The unit ran at 95% of capacity; at 92 beds she is full.",
            "We saw Margaret Ellison (12, a new patient) today.",
        ],
    );
}

#[test]
fn a_drivers_licence_after_dl_and_an_employers_fax_but_not_a_unit_a_flight_or_a_practices_fax() {
    let s = Scanner::new();
    assert_all_have(
        &s,
        Label::License,
        &[
            (
                "Photo ID on file:  WI DL B231-5583-9061-02",
                "B231-5583-9061-02",
            ),
            ("and my DL is 31847205 (texas). dob 8-14-1988", "31847205"),
        ],
    );
    assert_no_label(
        &s,
        Label::License,
        &[
            "Creatinine        1.02 mg/dL  0.70-1.30",
            "Qty  Item#       Description\n10   DL-22014    Lidocaine 2%, 50 carpules/box",
            "He flies home on DL 1234 Friday.",
        ],
    );
    let practice = "My cardiologist, Dr. Imani Castellanos, Cascade Heart Associates, fax \
                    207-555-0177.";
    assert_no_label(&s, Label::Fax, &[practice]);
    let records = "We dosed him by the sheet we sent home. If his records turn up, please fax \
                   them to (919) 555-0171 and we'll adjust.";
    assert_no_label(&s, Label::Fax, &[records]);
    let employer = "Please fax the completed form to my employer, Ridgeline Freight, fax (614) \
                    555-0122. Thanks, my appointment was Tuesday.";
    assert_all_have(&s, Label::Fax, &[(employer, "(614) 555-0122")]);
}

#[test]
fn a_laboratorys_clients_proficiency_testing_and_analyzers_are_no_patients() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            "From: KVCL Client Update <clientupdate@kvclabs.example>\nTo: Client Offices \
             <client-offices@kvclabs.example>\nSubject: KVCL Client Update - October\n\n7. Staff \
             spotlight\nOwen Fry, our hematology lead, celebrates 12 years this month. Patient \
             service center hours: Phone (717) 555-0195.",
            "Subject: CAP PT 2025 C-B chemistry results - 1 unacceptable\n\nTwo-person \
             verification of PT data entry was not done. Dr. Achterberg needs to sign the \
             investigation by 10/24.\n\nMark Stoltzfus\nQuality Supervisor\n(717) 555-0140",
            "Confirming the visit for Thursday, October 16 at 08:00.\n\n  Instrument:  Advance \
             XC-800 chemistry analyzer\n  Serial number:  XC8-20417-0093\n\nPlease have your \
             backup analyzer (XC-400, SN XC4-19002-0311) calibrated.",
            "Zoll service case 00917734 is open; field tech is scheduled for Thu AM to swap the \
             board.",
        ],
    );
    // A patient's device, and a patient named Thu, still count.
    let pump = "Her insulin pump, serial PX4-7710385, alarms at night.";
    assert_all_have(&s, Label::Device, &[(pump, "PX4-7710385")]);
    let thu = "Her daughter Thu Nguyen will bring her to the appointment.";
    assert_all_have(&s, Label::Person, &[(thu, "Thu Nguyen")]);
}

#[test]
fn a_dental_offices_specialty_vendors_kit_and_lunch_list_are_no_patients_but_a_no_show_is() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            "CENTRAL OHIO DENTAL STUDY CLUB\n\n\"Managing Anticoagulated Patients for Oral \
             Surgery\"\nSpeaker: Renata Vasquez-Ilori, DDS, MD, Professor of Oral & \
             Maxillofacial Surgery\n\nThursday, November 12, 2026 | 5:30 PM\nBrookside Country \
             Club, 4100 Brookside Blvd, Columbus, OH 43221",
            "SERVICE REPORT - WORK ORDER WO-88214\nCustomer: Brightwater Dental Group & Oral \
             Surgery, 2140 Kessler Avenue, Suite 200\nContact: Lorraine Pettigrew\nDate: \
             10/13/2026",
            "Emergency kit check:\nAED (ZOLL AED Plus) SN X09K221740 - self-test OK",
            "Lunch: Giuseppe's, 16 people\n    - 3 vegetarian (Jenna, Carlos, Beth)\n\nI'll \
             arrive at 11:45 to set up before the first patient.",
            "5. NO-SHOW RATE. Our November target is under 2%. Network average last month was \
             3.4%.\n\nThank you, Dana Kowalczyk",
        ],
    );
    assert_phi(
        &s,
        "No-shows / late cancels:\n  2:00  Pham, Linh      hygiene (Marisol)  no-show, 2nd \
         this year.",
    );
    assert_phi(&s, "Dana Kowalczyk - Surgery moved to Friday.");
    let list = "Patients: Castellanos, Ruben";
    assert_all_have(&s, Label::Person, &[(list, "Castellanos, Ruben")]);
}

#[test]
fn a_record_number_heading_opens_an_aligned_table_but_a_supply_list_has_no_identifiers() {
    let s = Scanner::new();
    let history = "Here is the 2025 prescription history for you and for Carol.\n\n\
                   Patient          Date         Rx #      Drug                  Qty\n\
                   Raymond Acheson  01/06/2025   6030418   Rosuvastatin 10 mg    90\n\
                   Carol Acheson    03/22/2025   6032087   Azithromycin 250 mg   6\n";
    assert_all_have(&s, Label::OtherId, &[(history, "6030418")]);
    assert_all_have(&s, Label::OtherId, &[(history, "6032087")]);
    let supplies = "Reorder list:\n\nItem             Lot #       Exp        Qty\n\
                    Gauze 4x4        GZ-22014    06/2027    10\n\
                    Lidocaine 2%     LD-22207    04/2028     4\n";
    assert_no_label(&s, Label::OtherId, &[supplies]);
}

#[test]
fn a_zip_code_after_a_patients_town_without_its_state_but_not_after_an_offices() {
    let s = Scanner::new();
    let route = "ROUTE A - Luis\nStop  Patient               Address\n1     Walter Greaves        \
                 14 Birch Ct, Millbrook 17052               717-555-3018";
    assert_all_have(&s, Label::Zip, &[(route, "17052")]);
    let office = "Visit our office at 14 Birch Ct, Millbrook 17052 for flu shots.";
    assert_no_label(&s, Label::Zip, &[office]);
}

#[test]
fn invoices_shaped_like_ssns_a_brand_states_and_a_client_cert_are_no_patients() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            "Subject: RE: Past due notice\n\nWe're not disputing the whole invoice, just the \
             custom procedure packs.\n\n  Invoice        Date       Amount\n  114-28-7730    \
             1/12/26    $14,226.80\n  114-28-7902    1/19/26    $ 8,904.15",
            "Pharmacy search now lists our mail-order partner CareFill first. She said it \
             ships in 2 days.",
            "[9:16 AM] Sam Whitaker: surescripts client cert expires 4/2, renewal ticket \
             assigned to you",
        ],
    );
    let states = "Audience: active patients in OH, PA, MI, IN, KY (~184,200), excluding \
                  anyone seen in the last 14 days.";
    assert_no_label(&s, Label::Person, &[states]);
    // An SSN in a patient's table, and names with a capital inside, still count.
    let ssn = "Patient  SSN\nMaria Lopez  219-09-9999 (on file)";
    assert_all_have(&s, Label::Ssn, &[(ssn, "219-09-9999")]);
    let mc = "Her son Connor McAllister will pick her up after the procedure.";
    assert_all_have(&s, Label::Person, &[(mc, "Connor McAllister")]);
}

#[test]
fn a_records_department_its_vendors_and_a_plus_ruled_table() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            "Ticket INC-2231: 3 HIM imaging -- paper jams\nAssigned to: Brandon Ecklund\nWork \
             notes: scanner in the HIM file room, call him-news@riverbendrmc.example",
            "Remit to: Keystone Shred\nStatement #: 214-60-3387\nPeriod: 02/01/2026 - \
             02/28/2026",
            "Members $95; non-members $165. Register at \
             https://www.tricountyhima.example/spring2026",
        ],
    );
    // A stressed pronoun is still one, and so is "HIM" in a note written in capitals.
    assert_phi(
        &s,
        "Left a message for Mrs. Okafor; SHE is dizzy since Tuesday",
    );
    assert_phi(
        &s,
        "LVM FOR MRS. OKAFOR - GAVE HIM THE NEW DOSE, DIZZY SINCE TUESDAY",
    );
    let table = "Provider: Meena Castellanos, MD\n\n MRN         | Account    | Disch Date | \
                 Deficiency\n ------------+------------+------------+-----------\n \
                 RB00295518  | 300884120  | 02/11/2026 | Operative report";
    assert_all_have(&s, Label::Mrn, &[(table, "RB00295518")]);
}

#[test]
fn a_patient_access_centres_names_for_itself_and_its_systems_are_no_patients() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            "Class 2026-03 is confirmed: 9 new Patient Access Reps, all scheduling. Welcome to \
             Darnell Hughes, Emily Chao and Trevor Banks.",
            "Tamara Quinn\nTalent Acquisition Partner, Riverbend Health",
            "Training week: Compass navigation, patient lookup & two-identifier verification; \
             Wed: Appointment types, templates, overbooks. Trainers: Darnell Hughes, Emily Chao",
            "Riverbend pharmacies now give those vaccines by appointment, usually within a few \
             days. Ask Darnell Hughes at 614-555-0290.",
        ],
    );
    // A relative named after "Mom", and a patient's appointment, still count.
    assert_phi(
        &s,
        "Mom (Shreya) called, she wants to move Maya's appointment.",
    );
    assert_phi(
        &s,
        "Darnell Hughes called about his appointment; he wants Friday at 614-555-0290.",
    );
}

#[test]
fn a_surname_alone_in_a_days_list_is_a_patient_but_a_colleague_a_site_and_days_are_not() {
    let s = Scanner::new();
    let day = "Holds / changes\n- Fenwick ch 6 - ANC 0.9, held, no-show last week\n- Castellanos \
               (9am no-show): reached her at 3:45, she's ok";
    assert_all_have(&s, Label::Person, &[(day, "Fenwick")]);
    assert_phi(&s, day);
    for t in [
        "Coverage:\n- Marcus (out Tuesday)\n- Lauren - front desk until noon",
        "Step up for 1-2 weeks:\n - Body (arms, legs, trunk): triamcinolone 0.1% ointment",
        "New plan:\n  - Wed-Sun: 2.5 mg each evening",
    ] {
        assert_no_label(&s, Label::Person, &[t]);
    }
}

#[test]
fn colleagues_numbers_in_quotes_signatures_and_bulletins_but_a_patients_stay_phi() {
    let s = Scanner::new();
    let swap = "From: Danielle Ferris <dferris@riverbendrecovery.example>\nTo: Tom Reinholt \
                <treinholt@riverbendrecovery.example>\nSubject: RE: swap Sat 3/21?\n\nTom - \
                Priya and I worked it out. I'll take her Sat 3/21 window and she takes my Sat \
                4/4.\n\nThx\nD\n\nDanielle Ferris, RN\ncell (937) 555-0193\n\nOn Tue, Mar 10, \
                2026 at 12:51 PM Priya Nguyen <pnguyen@riverbendrecovery.example> wrote:\n> Any \
                chance you'd trade your Sat 4/4 for my Sat 3/21? My cell is 937-555-0168 if \
                easier.\n";
    assert_no_label(&s, Label::Phone, &[swap]);
    assert_not_phi(
        &s,
        &[
            swap,
            "Questions: contact Linda Ferraro, State Opioid Treatment Authority, (614) \
             555-0187, or reply to this list. Do not send patient information to this list.",
            "Free valet at the main entrance from 6:30 AM; use the elevator marked \"Procedure \
             Patients\" until 9:00 AM. Questions: Dana Kowalczyk, ext 4410.",
        ],
    );
    // A patient quoting herself from a domain of her own, and a number a colleague called.
    let quoted = "From: Ngozi Eze-Walters <ngozi@ezewalters.example>\nTo: Rehab Scheduling \
                  <rehabsched@lakeshore.example>\n\nthe 22nd works, thank u!\n\n>> On Dec 7, \
                  2026, at 9:03 PM, Ngozi Eze-Walters <ngozi@ezewalters.example> wrote:\n>> hi \
                  can i move my tuesday appt? my knee is worse, my cell is 616 555 0174\n";
    assert_all_have(&s, Label::Phone, &[(quoted, "616 555 0174")]);
    let called = "From: Marcus Lee <mlee@riverbendbh.example>\nTo: Front Desk \
                  <desk@riverbendbh.example>\n\nRenee Castellanos didn't log in for her 9:00 \
                  video visit. I called (971) 555-0163 at 9:12, went straight to VM.";
    assert_all_have(&s, Label::Phone, &[(called, "(971) 555-0163")]);
}

#[test]
fn a_nurses_shorthand_makes_a_team_list_about_care_but_care_of_and_more_pronounced_do_not() {
    let s = Scanner::new();
    let head = "From: Rachel Ostrander <rostrander@cedarhollow.example>\nTo: Team West RNs \
                <teamwest@cedarhollow.example>\nSubject: overnight\n\n";
    for body in [
        "- Consuelo Arredondo - dtr called 01:15 c/o constipation x4 days.",
        "- Consuelo Arredondo - dtr called 01:15, needs RN f/u today.",
        "- Consuelo Arredondo, pronounced at home 03:52 by me.",
    ] {
        assert_phi(&s, &format!("{head}{body}"));
    }
    let quilters = format!(
        "{head}Please mail the thank-you letter to the Tuesday Quilters, c/o Consuelo \
         Arredondo, for the donated lap quilts."
    );
    let volunteer = format!(
        "{head}Welcome Consuelo Arredondo to the volunteer team! Her laugh is even more \
         pronounced than her love of quilting."
    );
    assert_not_phi(&s, &[&quilters, &volunteer]);
}

#[test]
fn a_messages_date_header_is_not_a_patients_date_whatever_the_mailbox_above_it_says() {
    let s = Scanner::new();
    // ("Procedure" in the To: line is within the date rule's look-back.)
    let memo = "From: Karen Mbeki RN <kmbeki@gi.example>\nTo: Procedure <p@gi.example>\nDate: \
                Tue, 11 Mar 2025 15:12:44 -0400\nSubject: reminder - diabetic pts on prep \
                day\n\nHi all, when you do the pre-procedure call for a diabetic pt: metformin \
                is held the day of the procedure.\n";
    assert_no_label(&s, Label::Date, &[memo]);
    assert_not_phi(&s, &[memo]);
    // A procedure's date in the body is still one.
    let letter = format!("{memo}\nHarold Kowalski's procedure is on Tue, 18 Mar 2025.");
    assert_all_have(&s, Label::Date, &[(&letter, "18 Mar 2025")]);
}

#[test]
fn a_role_mailbox_on_a_domain_named_for_mail_is_a_business_but_a_named_one_is_a_person() {
    let s = Scanner::new();
    let vendor = "From: Jasmine Cole <jcole@tallgrassmb.example>\nTo: Production Team \
                  <production@printshopmail.net>\nSubject: March statement file\n\nThe \
                  statement file is on the SFTP. Please send the proof to me by 3/14.";
    assert_no_label(&s, Label::Email, &[vendor]);
    assert_no_label(&s, Label::Person, &[vendor]);
    assert_not_phi(&s, &[vendor]);
    let patient = "From: Jen Lane <jen.lane0412@printshopmail.net>\nTo: Billing \
                   <billing@tallgrassmb.example>\nSubject: my statement\n\nI was billed twice \
                   for my visit.";
    assert_all_have(
        &s,
        Label::Email,
        &[(patient, "jen.lane0412@printshopmail.net")],
    );
}

#[test]
fn home_in_an_organisations_name_is_not_a_home_phone_but_a_patients_home_phone_is() {
    let s = Scanner::new();
    let team = "Hi team,\n\nIf the patient says the modem shows low usage, transfer to the RT \
                line.\n\nShelby\n\nShelby Tran | Customer Service Lead | Harborline Home \
                Medical | (937) 555-0140 x220\n";
    assert_no_label(&s, Label::Phone, &[team]);
    let home = "The patient's home phone is (937) 555-0188; she asked us to call after 5.";
    assert_all_have(&s, Label::Phone, &[(home, "(937) 555-0188")]);
}

#[test]
fn contrast_agents_and_bowel_preps_are_medications_but_otc_pain_relievers_are_not() {
    let s = Scanner::new();
    let t = "Contrast: 75 mL Omnipaque 350 IV, no reaction. Your SUPREP prescription was sent; \
             MRI next week with Gadavist. Take Tylenol for the headache.";
    assert_all_have(
        &s,
        Label::Medication,
        &[(t, "Omnipaque"), (t, "SUPREP"), (t, "Gadavist")],
    );
    assert_lacks(&s, t, Label::Medication, "Tylenol");
}

#[test]
fn a_date_of_service_in_a_subject_is_a_patients_but_a_webinar_date_is_not() {
    let s = Scanner::new();
    let claim = "From: Ana Ruiz <aruiz@tallgrass.example>\nTo: Claims <claims@payer.example>\n\
                 Subject: Corrected claim - Tomas Ibarra DOS 10/14/2026\n\nAttached.";
    let injury = "Subject: [SECURE] Work Status - Dustin Kohler - DOI 12/4/26\n\nSee attached.";
    assert_all_have(
        &s,
        Label::Date,
        &[(claim, "10/14/2026"), (injury, "12/4/26")],
    );
    let webinar = "From: Ana Ruiz <aruiz@tallgrass.example>\nTo: Billing Team \
                   <billing@tallgrass.example>\nSubject: DOS rules webinar 10/14/2026\n\nPlease \
                   join.";
    assert_no_label(&s, Label::Date, &[webinar]);
}

#[test]
fn an_npi_cue_outweighs_reference_but_a_reference_number_alone_is_not_an_npi() {
    let s = Scanner::new();
    let t = "NPIs for reference: Hollister 1847362914, Reyes 1458209362.";
    assert_all_have(&s, Label::Npi, &[(t, "1847362914"), (t, "1458209362")]);
    assert_no_label(&s, Label::Npi, &["Order reference: 1847362914"]);
}

#[test]
fn office_hours_after_a_range_of_days_are_not_appointments_but_an_appointment_time_is() {
    let s = Scanner::new();
    let letter = "Client Services (717) 555-0142 | Fax (717) 555-0149\nMon-Fri 6:00am-8:00pm, \
                  Sat 7:00am-12:00pm\n\nHarold Kowalski, DOB 04/17/1938: your appointment is \
                  Tue 3/18 at 10:15 AM with Dr. Lee.";
    for hours in ["6:00am", "8:00pm", "7:00am", "12:00pm"] {
        assert_lacks(&s, letter, Label::Date, hours);
    }
    assert_has(&s, letter, Label::Date, "10:15 AM");
    let billing = "Your colonoscopy is at 9:30 AM on 3/20. Questions? Call our billing office, \
                   Monday-Friday, 8:30 AM to 4:30 PM, or weekdays 8:00-5:00.";
    for hours in ["8:30 AM", "4:30 PM", "8:00"] {
        assert_lacks(&s, billing, Label::Date, hours);
    }
}

#[test]
fn the_number_a_bill_is_paid_at_is_the_billers_but_the_patients_cell_is_theirs() {
    let s = Scanner::new();
    let t = "Dear Ms. Foley,\n\nYour balance is $42.16. Pay online or by phone: (937) 555-0146, \
             Mon-Fri.\nIf you want us to call you back, your cell on file is (937) 555-0188.";
    assert_lacks(&s, t, Label::Phone, "(937) 555-0146");
    assert_has(&s, t, Label::Phone, "(937) 555-0188");
}

#[test]
fn a_patients_greeting_names_staff_and_staffs_sign_off_above_it_is_staffs() {
    let s = Scanner::new();
    let t = "From: Megan Pruitt <mpruitt@tallgrassmb.example>\nTo: Theresa Baird \
             <tbaird.home@yahoo.com>\nSubject: RE: payment plan\n\nHi Theresa,\n\nHere is the \
             plan.\n\nTake care,\nMegan\n\n-----Original Message-----\nFrom: Theresa Baird \
             <tbaird.home@yahoo.com>\nSent: Monday, March 10, 2025 4:10 PM\nTo: Megan Pruitt \
             <mpruitt@tallgrassmb.example>\nSubject: payment plan\n\nHi Megan, can we do $50 a \
             month?\n\nThanks,\nTheresa";
    assert_lacks(&s, t, Label::Person, "Megan");
    assert_has(&s, t, Label::Person, "Theresa");
    // The patient's own sign-off below her message is hers.
    let found = person_starts(&s, t);
    let sign_off = t.rfind("Theresa").expect("the text signs off");
    assert!(found.contains(&sign_off), "{found:?}");
}

#[test]
fn a_list_of_patients_orders_is_about_care_but_a_list_of_reps_or_colleagues_is_not() {
    let s = Scanner::new();
    let orders = "From: Sandy Roth <sroth@lakeshoredialysis.example>\nTo: Angela Price \
                  <aprice@lakeshoredialysis.example>\nSubject: RE: labs\n\nAngela, Dr. Feeney \
                  reviewed. Orders:\n- Gatewood: d/c Renvela, start Velphoro 500 mg TID w/ \
                  meals\n- Lemaster: change to 2K bath, diet ed\nThanks, Sandy";
    let overnight = "From: Rachel Ostrander <rostrander@cedarhollow.example>\nTo: Team West RNs \
                     <teamwest@cedarhollow.example>\nSubject: overnight\n\n- Consuelo Arredondo \
                     - dtr called 01:15, already on senna. Advised lactulose 20 g from home \
                     supply.";
    assert_phi(&s, orders);
    assert_phi(&s, overnight);
    let reps = "From: Denise Albright <dalbright@cvheart.example>\nTo: Providers \
                <providers@cvheart.example>\nSubject: Samples dropped off today\n\nTwo reps \
                stopped by today:\n\n- Lauren Beck (Novartis) left Entresto 24/26 mg starter \
                packs.\n- Victor Amani (Lilly) left Jardiance 10 mg samples.\n\nDenise";
    let actions = "From: Rosa Delgado <rdelgado@rbcancer.example>\nTo: Financial Counseling \
                   <fc-team@rbcancer.example>\nSubject: FC team notes\n\nAction items\n  - \
                   Brent: call the Lakeshore rep about the site-of-care denials for Enhertu\n  - \
                   Janelle: statements reprinted\n\nRosa";
    assert_not_phi(&s, &[reps, actions]);
}

#[test]
fn common_hormones_antibiotics_vaccines_and_fertility_drugs_are_medications() {
    let s = Scanner::new();
    let t = "She stays on estradiol 2 mg and progesterone in oil; Menopur 150 IU with Gonal-f, \
             then Ovidrel. Allergy: penicillin. Gardasil dose 2 today; paclitaxel on day 1; \
             induction BCG #3 held.";
    assert_all_have(
        &s,
        Label::Medication,
        &[
            (t, "estradiol"),
            (t, "progesterone"),
            (t, "Menopur"),
            (t, "Gonal-f"),
            (t, "Ovidrel"),
            (t, "penicillin"),
            (t, "Gardasil"),
            (t, "paclitaxel"),
            (t, "BCG"),
        ],
    );
    // Not the words around them.
    assert_lacks(&s, t, Label::Medication, "Allergy");
}

#[test]
fn a_date_in_a_subject_that_names_a_patient_is_theirs_but_a_meetings_is_not() {
    let s = Scanner::new();
    let booking = "From: Jen Park <jpark@asc.example>\nTo: Scheduling <sched@asc.example>\n\
                   Subject: Case booking - OSTROWSKI, GERALD - 3/3 Feld\n\nPlease book.";
    assert_all_have(&s, Label::Date, &[(booking, "3/3")]);
    let meeting = "From: Jen Park <jpark@asc.example>\nTo: All Staff <staff@asc.example>\n\
                   Subject: Staff meeting 3/14 - agenda\n\nSee you there.";
    let budget = "From: Jen Park <jpark@asc.example>\nTo: Dana Ruiz <druiz@asc.example>\n\
                  Subject: RE: budget draft 3/14\n\nDana, thanks.";
    assert_no_label(&s, Label::Date, &[meeting, budget]);
}

#[test]
fn a_name_before_a_hospital_stay_is_a_patients_but_before_a_promotion_it_is_not() {
    let s = Scanner::new();
    let seen = "Rachel,\n\nJordan has been seen at Counseling Services since February 3, 2025.\n\n\
                Helen";
    let stay = "Rachel,\n\nMaria Okonkwo was hospitalized at Riverside from August 29 to \
                September 5.\n\nHelen";
    assert_all_have(
        &s,
        Label::Person,
        &[(seen, "Jordan"), (stay, "Maria Okonkwo")],
    );
    assert_phi(&s, seen);
    let team = "Team,\n\nLena was seen at the front desk at 9 asking about parking. Maria Okonkwo \
                was promoted to charge nurse.\n\nHelen";
    assert_no_label(&s, Label::Person, &[team]);
}

#[test]
fn a_surname_and_initial_in_a_shift_list_with_a_drug_is_a_patient_but_a_rota_is_not() {
    let s = Scanner::new();
    let shift = "Shift report\n\n- Kaminski, L - back 1540 via medivan. Incision R hip C/D/I, \
                 oxycodone 2.5 given 1900.\n";
    assert_all_have(&s, Label::Person, &[(shift, "Kaminski, L")]);
    assert_phi(&s, shift);
    let rota = "Coverage\n\n- Kaminski, L - out Tuesday, Beth covers\n- Abbott, R: on call\n";
    assert_not_phi(&s, &[rota]);
}

#[test]
fn a_policy_reminder_names_patients_in_general_and_a_department_line_is_the_offices() {
    let s = Scanner::new();
    let training = "From: Ivan P <ip@ln.example>\nTo: All Staff <allstaff@ln.example>\nSubject: \
                    training\n\nNot started: Andre Lewis, Elena Ortiz, Kyle Whitman.\n\n- Never \
                    forward patient e-mail to a personal account.\n- A patient's name together \
                    with an appointment date IS PHI.\n";
    assert_not_phi(&s, &[training]);
    let menu = "Menu:\n  5 - billing / patient accounts, (216) 555-0145\n  6 - my cell \
                216-555-0190\nCall about the patient.";
    assert_lacks(&s, menu, Label::Phone, "(216) 555-0145");
    assert_has(&s, menu, Label::Phone, "216-555-0190");
    let signature = "Questions about the patient? Farah Siddiqui\nCredentialing Specialist\n(216) \
                     555-0140 x207\nHis cell is (216) 555-0188.";
    assert_lacks(&s, signature, Label::Phone, "(216) 555-0140");
    assert_has(&s, signature, Label::Phone, "(216) 555-0188");
}

#[test]
fn a_programs_van_in_for_repair_is_not_a_patients_vehicle_but_a_patients_truck_is() {
    let s = Scanner::new();
    let van = "Subject: WO-88123 Van 3 lift fault\n\nUnit:     Van 3 - 2019 Ford Transit 350 HD\n\
               VIN:      1FDVU4XG5KKA40921\n";
    assert_no_label(&s, Label::Vehicle, &[van]);
    let truck = "Subject: his truck\n\nThe patient sleeps in his truck, VIN 1FDVU4XG5KKA40921.";
    assert_all_have(&s, Label::Vehicle, &[(truck, "1FDVU4XG5KKA40921")]);
}

#[test]
fn a_procedure_rooms_scope_is_not_a_patients_device_but_a_pacemaker_is() {
    let s = Scanner::new();
    let scope = "Also, heads up: scope SN 2814577 (CYF-VH, the one with the blue tag) failed its \
                 leak test Monday and has gone out for repair (Olympus RMA 80-331962).";
    assert_no_label(&s, Label::Device, &[scope]);
    let pacemaker = "Pt: Harold Jensen. Her pacemaker SN PJN7790366 is MRI conditional.";
    assert_all_have(&s, Label::Device, &[(pacemaker, "PJN7790366")]);
}

#[test]
fn a_meetings_roll_call_names_staff_but_a_family_meetings_does_not() {
    let s = Scanner::new();
    let minutes = "From: Ann Lee <alee@lsb.example>\nTo: Sleep Lab Staff <lab@lsb.example>\n\
                   Subject: QI minutes\n\nAttendees: Dr. Raman, Dr. Okafor, Megan Sills, Luis \
                   Ortega, Dana Whitcomb\n\n1. CPAP adherence at 30 days 69%. Luis will call \
                   each patient on day 14.";
    assert_no_label(&s, Label::Person, &[minutes]);
    let family = "Family meeting\n\nPresent: Grace Fairbanks-Lowe (daughter, HCPOA), William \
                  Fairbanks (son), Dr. Lee\n\nThe patient was admitted after a fall.";
    assert_all_have(
        &s,
        Label::Person,
        &[
            (family, "Grace Fairbanks-Lowe"),
            (family, "William Fairbanks"),
        ],
    );
}

#[test]
fn your_referral_forms_are_paperwork_but_your_referral_is_care() {
    let s = Scanner::new();
    let newsletter = "MAKING A REFERRAL\nPhone 937-555-0142 | Fax 937-555-0149\nCedarline Home \
                      Infusion, 2250 Commerce Park Dr, Suite 110, Dayton, OH 45414\nOur NPI for \
                      your referral forms: 1184603953";
    assert_not_phi(&s, &[newsletter]);
    let letter = "Hi Mr. Dunn,\nYour referral to cardiology was sent today.\nCall me at \
                  937-555-0142 if your referral has not been scheduled by Friday.";
    assert_phi(&s, letter);
}

#[test]
fn a_portals_sign_in_alert_to_a_proxy_is_phi_but_a_security_offices_notice_is_not() {
    let s = Scanner::new();
    let alert = "From: Cedar Ridge Patient Portal <portal-security@cedarridgefoot.example>\nTo: \
                 sharon.reich.pa@aol.com\nSubject: New sign-in to your proxy account\n\nHello \
                 Sharon Kauffman-Reich,\n\nWe noticed a new sign-in to the patient portal using \
                 your proxy access for Dolores Kauffman.\n\n  IP:       73.171.48.209\n";
    assert_phi(&s, alert);
    let badge = "From: Hospital Security <security@cedarridge.example>\nTo: \
                 ella.m.ortiz@gmail.com\nSubject: Your visitor badge\n\nHello Ella Ortiz,\n\n\
                 Your contractor badge for the loading dock is ready at the security desk.\n";
    assert_not_phi(&s, &[badge]);
}

#[test]
fn an_outbreak_line_list_with_onset_dates_is_phi_but_flu_season_onset_is_not() {
    let s = Scanner::new();
    let list = "Janelle,\n\nCan you check the rows marked ??\n\n #  Resident/Staff        Rm    \
                Age   Onset       Sx\n 1  Whitfield, Eleanor    112   93    10/09 PM    V, D\n \
                2  Pacheco, Ramon        118   84    10/10 AM    D\n";
    assert_phi(&s, list);
    let thanks = "From: Ann Lee <alee@cc.example>\nTo: All Staff <staff@cc.example>\nSubject: \
                  flu\n\nWith the onset of flu season, thanks to Eleanor Whitfield and Ramon \
                  Pacheco for running the clinic.";
    assert_not_phi(&s, &[thanks]);
}

#[test]
fn a_page_named_with_a_number_is_no_token_but_a_payment_code_is() {
    let s = Scanner::new();
    let t = "DONATE LIFE 5K\nRegistration: www.mvhealth.org/donatelife5k\nPay your bill: \
             https://pay.cedarridgesc.com/e/KB7Q-20461";
    assert_lacks(&s, t, Label::Url, "www.mvhealth.org/donatelife5k");
    assert_has(
        &s,
        t,
        Label::Url,
        "https://pay.cedarridgesc.com/e/KB7Q-20461",
    );
}

#[test]
fn patient_ed_is_education_but_her_husband_ed_is_a_person() {
    let s = Scanner::new();
    let t = "Please send edits by Monday. Patient Ed committee reviews on 3/24.\nHer husband Ed \
             called about her appointment.";
    let eds = person_starts(&s, t);
    let husband = t.rfind("Ed called").expect("the text names him");
    assert_eq!(eds, vec![husband]);
}

/// The byte offsets where the names found in `text` start.
fn person_starts(s: &Scanner, text: &str) -> Vec<usize> {
    s.scan(text)
        .findings
        .iter()
        .filter(|f| f.label == Label::Person)
        .map(|f| f.start_byte)
        .collect()
}

#[test]
fn a_university_mailbox_with_a_number_is_issued_but_a_gmail_one_with_a_year_is_personal() {
    let s = Scanner::new();
    let faculty = "From: Priya Raman <praman@brightwaterpeds.example>\nTo: Dr. Karen Whitlow \
                   <whitlow.41@osu.edu>\nSubject: fieldwork placement\n\nKaren, we can take one \
                   OT student this spring.";
    assert_no_label(&s, Label::Email, &[faculty]);
    assert_not_phi(&s, &[faculty]);
    let parent = "From: Priya Raman <praman@brightwaterpeds.example>\nTo: Camila Ruiz \
                  <cruiz.1984@gmail.com>\nSubject: schedule\n\nHi Camila, see you Thursday.";
    assert_all_have(&s, Label::Email, &[(parent, "cruiz.1984@gmail.com")]);
}

#[test]
fn a_childs_name_before_their_session_is_a_person_but_a_clinics_gym_is_not() {
    let s = Scanner::new();
    let reminder = "Hi Camila,\n\nJust a friendly reminder: Mateo's speech session is Thursday.\n\n\
         Ava's appointment is Friday.\n\nDana";
    assert_all_have(&s, Label::Person, &[(reminder, "Ava")]);
    let gym = "Hi team,\n\nBrightwater's therapy gym reopens Monday; Brightwater's appointment \
               line is open at 8.";
    assert_no_label(&s, Label::Person, &[gym]);
}

#[test]
fn an_agencys_licence_under_its_name_is_not_phi_but_a_patients_drivers_licence_is() {
    let s = Scanner::new();
    let agency = "Agency identifiers for the binder:\n\n  Larkspur Home Care & Nursing LLC\n  ODH \
                  license # 0617-HHA-2281 (exp 6/30/2025)\n";
    assert_no_label(&s, Label::License, &[agency]);
    let patient = "Patient: Harold Kowalski\nHis driver's license # D412-5590-2281 was scanned \
                   at check-in.";
    assert_all_have(&s, Label::License, &[(patient, "D412-5590-2281")]);
}

#[test]
fn a_trial_subjects_number_is_an_identifier_but_a_race_participant_count_is_not() {
    let s = Scanner::new();
    let query = "> Q#20931 Subj 117-0081, Visit Wk 8: Visit date 14-Feb-2026 falls on a Saturday.";
    let deviation =
        "Description: Participant 311-0047 was re-consented on March 5, 2026 using ICF 3.1.";
    assert_all_have(
        &s,
        Label::OtherId,
        &[(query, "117-0081"), (deviation, "311-0047")],
    );
    assert_no_label(
        &s,
        Label::OtherId,
        &["Thanks to every participant in the 5K: 240 runners!"],
    );
}

#[test]
fn a_practitioners_birth_date_in_a_credentialing_request_is_not_phi_but_a_patients_is() {
    let s = Scanner::new();
    let verification = "Our original request was faxed on 2/19/2025.\n\nPractitioner: Anjali R. \
                        Mehta, MD\nDOB: 04/02/1986\nNPI: 1860605165";
    assert_lacks(&s, verification, Label::Date, "04/02/1986");
    assert_not_phi(&s, &[verification]);
    let referral = "Re: Jane Ruiz\nDr. Omar Patel, MD\nDOB: 04/02/1986\nShe was seen for chest \
                    pain.";
    assert_all_have(&s, Label::Date, &[(referral, "04/02/1986")]);
}

#[test]
fn a_units_report_by_room_is_about_patients_but_a_list_of_room_repairs_is_not() {
    let s = Scanner::new();
    let report = "Evening report\n\nRm 7B Stolz: Vivitrol 380mg IM L glute given 1030, site \
                  benign.\nRm 3A Marroquin: c/o no sleep x3 nights, trazodone increased to 100 \
                  HS.";
    assert_all_have(&s, Label::Person, &[(report, "Stolz")]);
    assert_phi(&s, report);
    let repairs = "Rooms\n\nRm 7B Stolz: painted Tuesday\nRm 3A Marroquin: new blinds";
    assert_not_phi(&s, &[repairs]);
}

#[test]
fn last_first_before_a_record_number_is_a_patient_but_before_an_invoice_it_is_not() {
    let s = Scanner::new();
    let transport =
        "Transport list\n\n  MERRITT, Keshawn  BK24-017655  Wed 3/12 0930  Calder Neurology\n";
    assert_all_have(&s, Label::Person, &[(transport, "MERRITT, Keshawn")]);
    assert_phi(&s, transport);
    assert_not_phi(
        &s,
        &[
            "Invoice: Smith, Jones INV-2026-00412, net 30.",
            "Vendors: Acme, Supply CV-00530217 shipped.",
        ],
    );
}

#[test]
fn dates_after_through_since_or_starting_are_a_patients_in_mail_about_care_only() {
    let s = Scanner::new();
    // An authorisation's range, an onset and a start of care: the patient's dates.
    let auth = "Re: Dale Voss, DOB 03/02/1950\n\nAuthorized: 12/14/2026 through 03/13/2027 \
                (18 PT visits). He has had chest pain since 11/20 and skilled nursing \
                continues starting 01/05/2027. Walker ordered 11/02/2026, delivery expected \
                11/05/2026.";
    assert_all_have(
        &s,
        Label::Date,
        &[
            (auth, "12/14/2026"),
            (auth, "03/13/2027"),
            (auth, "11/20"),
            (auth, "01/05/2027"),
            (auth, "11/05/2026"),
        ],
    );
    // The same words in a newsletter date the office's news: no PHI, and no date reported.
    let news = "Maple Clinic News\n\nOur Elm Street office is closed through December 31. \
                The flu clinic runs starting October 6, and the lobby has been open since \
                11/20. Effective 10/01/2025, our Saturday hours change.";
    assert_not_phi(&s, &[news]);
    assert_eq!(s.scan(news).phi_findings().count(), 0);
    // "Effective" still dates an office's change, even in a letter to a patient.
    let letter = "Dear Ms. Jones,\n\nEffective 10/01/2025, our Saturday hours change.";
    assert_lacks(&s, letter, Label::Date, "10/01/2025");
}

#[test]
fn a_month_and_year_is_a_patients_date_by_context_and_never_evidence_alone() {
    let s = Scanner::new();
    let care = "Re: Dale Voss, DOB 03/02/1950\n\nHis last MRI was 01/2025 and he stopped \
                methotrexate in Feb 2025; the knee was replaced in March, 2019.";
    assert_all_have(
        &s,
        Label::Date,
        &[(care, "01/2025"), (care, "Feb 2025"), (care, "March, 2019")],
    );
    // Not a month: "13/2025" is a fraction or a count.
    assert_lacks(
        &s,
        care.replace("01/2025", "13/2025").as_str(),
        Label::Date,
        "13/2025",
    );
    // A lab's invoice for the month's testing names a billing period, not a procedure.
    let invoice = "Dear Client,\n\nPlease find attached your invoice for client-billed testing \
                   performed in February 2025.\n\nInvoice date: 03/10/2025\nDue date: \
                   04/09/2025 (Net 30)\n\nThank you for your business.";
    assert_not_phi(&s, &[invoice]);
}

#[test]
fn a_ship_to_home_is_the_patients_address_and_a_ship_to_clinic_is_not() {
    let s = Scanner::new();
    let cpap = "CPAP resupply for patient Darnell Foster, DOB 04/11/1961\n\n  Ship to:   2680 \
                Juniper Hollow Rd, Flagstaff, AZ 86004\n  Items:     mask cushions x2, filters";
    assert_all_have(
        &s,
        Label::Address,
        &[(cpap, "2680 Juniper Hollow Rd, Flagstaff, AZ")],
    );
    assert_all_have(&s, Label::Zip, &[(cpap, "86004")]);
    let supplies = "Order 44120 confirmed\n\n  Ship to:   Maple Family Clinic, 100 Main St, \
                    Flagstaff, AZ 86001\n  Items:     exam gloves (L) x 10 cases";
    assert_no_label(&s, Label::Address, &[supplies]);
    assert_not_phi(&s, &[supplies]);
}

#[test]
fn a_record_number_right_after_a_patients_name_is_an_mrn_and_a_date_or_phone_is_not() {
    let s = Scanner::new();
    let triage = "FYI - Tamika Harmon (CH-204918), 34w1d, called at 10:40 c/o decreased fetal \
                  movement since last night. Sent to L&D triage.";
    let ed = "ED consult: Kevin Tran, 7734402, 58M, chest pain since 0600, troponin pending.";
    let roster = "Tumor board\n\n1  Mendoza, Alejandra    LV00745518   08/30/1983   C50.911\n2  \
                  Boyer, Patricia    LV00698127   06/19/1952   D05.11\n";
    assert_all_have(
        &s,
        Label::Mrn,
        &[
            (triage, "CH-204918"),
            (ed, "7734402"),
            (roster, "LV00745518"),
        ],
    );
    // A birth date or a phone number in the same place is not a record number, nor is an
    // invoice's number after a vendor's contact.
    let dates = "Team roster\n\n  Mariela Quintanilla   2010-01-30   10   U12\n  Harper \
                 Nguyen-Cole    2009-03-25   11   U12\n";
    let phone = "Please call the patient's wife, Rania Haddad 7855550134, after 5.";
    assert_no_label(&s, Label::Mrn, &[dates, phone]);
    assert_lacks(
        &s,
        "Billing contact: Maria Lopez (INV-2026-00412) for the March statement.",
        Label::Mrn,
        "INV-2026-00412",
    );
}

#[test]
fn claim_control_numbers_custody_forms_and_requisitions_are_a_patients_other_ids() {
    let s = Scanner::new();
    let claim = "Corrected claim for Darnell Foster, DOB 04/11/1961\nOriginal ICN: \
                 2026330118842\nDx: S39.012A";
    let drug_test = "Donor Tyler Brandvold, pre-employment (DOT) collection 11/30/2026, CCF # \
                     0418837215, result negative.";
    let lab = "Patient: Kendra Lassiter, DOB 1987-06-30\nRequisition NSD-40418836 was \
               received without the ordering provider's signature.";
    assert_all_have(
        &s,
        Label::OtherId,
        &[
            (claim, "2026330118842"),
            (drug_test, "0418837215"),
            (lab, "NSD-40418836"),
        ],
    );
    // A purchase requisition for supplies is the clinic's paperwork, not a patient's.
    let supplies = "Purchase requisition PR-2026-0931 for exam gloves and sharps containers \
                    is approved; the order ships Friday.";
    assert_not_phi(&s, &[supplies]);
}

#[test]
fn a_patient_portals_sign_in_alert_is_phi_and_campus_security_mail_is_not() {
    let s = Scanner::new();
    let alert = "From: Pinebrook CVS Patient Portal <security@pinebrookcvs.com>\nTo: \
                 pnwosu.home@comcast.net\nSubject: New sign-in to your patient portal \
                 account\n\nHi Patricia Nwosu,\n\nWe noticed a new sign-in to your portal \
                 account.\n  IP address:  73.22.190.45\n\nIf this wasn't you, reset your \
                 password: https://portal.pinebrookcvs.com/reset?token=f83Kd02LpQz7Wm\n";
    assert_phi(&s, alert);
    let permit = "From: Campus Security <security@pinebrookcvs.com>\nTo: \
                  dana.whitlock77@gmail.com\nSubject: Your parking permit\n\nHi Dana \
                  Whitlock,\n\nYour volunteer parking permit for Lot C is ready at the \
                  security desk.\n";
    assert_not_phi(&s, &[permit]);
}

#[test]
fn an_outreach_workers_home_visit_is_about_care_and_a_flyers_eligibility_list_is_not() {
    let s = Scanner::new();
    let visit = "To: Perinatal Team <perinatal@cvchc.org>\nSubject: home visit - Dominguez \
                 household\n\nhi all, did the home visit yesterday for Lupe Domínguez\n\n- new \
                 address: 1133 Calle Cuarta Apt B, Merriton CA 93905\n- new phone (831) \
                 555-0187\n- kids doing ok, school sends the older one to dental for a cavity \
                 and she says the bus passes ran out last month so transport is a problem \
                 again this spring\n- she is pregnant again, no care yet\n";
    assert_phi(&s, visit);
    let flyer = "Mammo Van - March stops\n\nWho can use the van: age 40-74, not pregnant or \
                 nursing, no new lump.\n\nImages are read by Dr. Yvette Moreau, our breast \
                 radiologist. Kim Harlow, Outreach Coordinator";
    assert_not_phi(&s, &[flyer]);
}

#[test]
fn names_lists_and_quoted_headers_are_read_for_what_they_are() {
    let s = Scanner::new();
    // A known first name and a record number in brackets: a patient, and the chart number.
    let lab = "Priscilla Oyelaran (CR-0104556) in the lab today for her annual PFTs, FEV1 down.";
    assert_all_have(&s, Label::Person, &[(lab, "Priscilla Oyelaran")]);
    assert_all_have(&s, Label::Mrn, &[(lab, "CR-0104556")]);
    assert_no_label(
        &s,
        Label::Person,
        &["Ticket from MedRoute Scheduling (VRM-2026-0142) about the van."],
    );
    // Three places in a row are a list, not "LAST, FIRST".
    let enrol = "Provider: Matthew Kowalczyk, DC\nService locations: Clearwater, Largo, \
                 Brandon\nCAQH: attested 10/01/2025";
    assert_lacks(&s, enrol, Label::Person, "Largo, Brandon");
    // A quoted reply's "On ..., X wrote:" dates the mail, even under a surgeon's signature.
    let reply = "Thanks,\nTom\n\nThomas Renwick, MD\nCardiothoracic Surgery\n(614) 555-0142\n\n\
                 > On Mon, Oct 20, 2025 at 3:10 PM Kyle Brightman <kb@corvale.example> wrote:\n\
                 > Would the team be open to a 45-min in-service?";
    assert_no_label(&s, Label::Date, &[reply]);
    assert_not_phi(&s, &[reply]);
    // A street followed by "clinic" is the clinic's; where someone lives is theirs.
    let voucher = "Emergency extractions: client can walk in Mon/Wed mornings with a voucher \
                   number, 3850 Parsons Ave clinic.";
    assert_no_label(&s, Label::Address, &[voucher]);
    let home = "Patient Rosa Delgado, DOB 10/08/1974, now lives at 3850 Parsons Ave with her \
                sister.";
    assert_all_have(&s, Label::Address, &[(home, "3850 Parsons Ave")]);
}

#[test]
fn an_undotted_code_beside_dotted_codes_is_a_diagnosis_and_a_code_family_is_not() {
    let s = Scanner::new();
    let note = "He has a history of hypertension (I10) and hyperlipidemia (E78.5).";
    let admit = "Admitted overnight for chest pain r/o ACS R07.89, HTN I10, troponin x3 neg.";
    assert_all_have(&s, Label::Icd10, &[(note, "I10"), (admit, "I10")]);
    let family = "Approval requires a diagnosis in the E11 family (e.g., E11.9 or E11.65).";
    assert_lacks(&s, family, Label::Icd10, "E11");
    let hl7 = "DG1|1||E87.6^Hypokalemia^I10\nOBX|1|NM|K^Potassium||2.9|mmol/L";
    assert_lacks(&s, hl7, Label::Icd10, "I10");
    // Without a dotted code in the message, a bare list code needs a cue word.
    assert_no_label(
        &s,
        Label::Icd10,
        &["Staff parking moves to level C20 (B20 is closed) on Monday."],
    );
}

#[test]
fn last_first_starting_a_hand_off_item_or_before_a_wide_table_gap_is_a_patient() {
    let s = Scanner::new();
    let handoff = "On-call list:\n\n1. Villanueva-Ortiz, Teresa (HDR #1 today) - sent home on \
                   oxycodone.\n2. Tsai, Hui-Min - not on tx yet (starts Mon), on keppra/dex.\n";
    let table = "Re-evals due\n\nSzymanski, Brittany     BR-104410    PIP (Progressive)\n\
                 Okafor, Brittany        BR-104411    Aetna\n";
    assert_all_have(
        &s,
        Label::Person,
        &[
            (handoff, "Villanueva-Ortiz, Teresa"),
            (handoff, "Tsai, Hui-Min"),
            (table, "Okafor, Brittany"),
        ],
    );
    // A department's item in the same shape names no one.
    assert_no_label(
        &s,
        Label::Person,
        &["Openings:\n\n1. Oncology, Radiation (new wing) - opens Monday.\n"],
    );
}

#[test]
fn an_age_over_89_after_a_name_or_birth_date_is_found_and_a_lab_value_is_not() {
    let s = Scanner::new();
    let stop = "Deliveries today\n\nMr. Harold Pettibone (93) - hospital bed, 4410 Far Hills \
                Ave, Kettering, OH 45429";
    let referral = "Patient:   Bernice Albright, 91\nDOB:       04/17/1935\nPlease call her \
                    daughter.";
    let hospice = "Patient: Ruth M. Abernathy\nDOB: 02/11/1932 (94)\nBenefit period 3";
    let letter = "It's understandable that he's frustrated. At 91 and after a stroke this is a \
                  lot for him.";
    assert_all_have(
        &s,
        Label::Age,
        &[
            (stop, "93"),
            (referral, "91"),
            (hospice, "94"),
            (letter, "91"),
        ],
    );
    assert_no_label(
        &s,
        Label::Age,
        &[
            "Harold Pettibone (42) - 4410 Far Hills Ave, Kettering, OH 45429",
            "Glucose (92) and potassium (4.1) were normal this morning.",
            "At 100 mg daily the tremor improved.",
        ],
    );
}

#[test]
fn rural_grid_highway_and_spanish_street_addresses_are_read_and_a_road_sign_is_not() {
    let s = Scanner::new();
    let texts = [
        (
            "Patient: Bernice Albright, DOB 04/17/1935\nAddress: N2291 State Hwy 14, Marsden, \
             WI 53611",
            "N2291 State Hwy 14, Marsden, WI",
            "53611",
        ),
        (
            "Patient Carl Dubois, DOB 11/02/1951\nHome: 4187 County Road 12, Pell Lake, MI \
             49336",
            "4187 County Road 12, Pell Lake, MI",
            "49336",
        ),
        (
            "Mi dirección sigue igual, 3120 Calle del Sol SW, Albuquerque NM 87121. Patient \
             Graciela Ortiz, DOB 05/05/1949",
            "3120 Calle del Sol SW, Albuquerque NM",
            "87121",
        ),
        (
            "Patient: Joan Mulcahy, DOB 10-06-1968\n1522 Wealthy St SE, Eastbrook, MI 49506",
            "1522 Wealthy St SE, Eastbrook, MI",
            "49506",
        ),
    ];
    for (t, street, zip) in texts {
        assert_all_have(&s, Label::Address, &[(t, street)]);
        assert_all_have(&s, Label::Zip, &[(t, zip)]);
    }
    // A road named without a town is directions, not an address.
    assert_no_label(
        &s,
        Label::Address,
        &["Patient John Smith was late: exit 12 Route 9 is closed for paving."],
    );
}

#[test]
fn staff_and_business_look_alikes_from_the_third_batch_are_not_phi() {
    let s = Scanner::new();
    let credentialing = "Roster change for Brightwater Plastic Surgery\n\nADD\n  Priya Raman, \
                         PA-C\n  WA license PA61044829 (Physician Assistant, Surgical)\n";
    let lab_notes = "RIDGELINE LAB NOTES | March 2025\n\nOn March 24 we switch 25-OH vitamin D \
                     to LC-MS/MS. Results before that date stay valid for patient care.\n\nSTAFF \
                     SPOTLIGHT\nCongratulations to Luis Ordonez, who marks 15 years with \
                     Ridgeline this month!";
    let coverage = "Coverage: Dr. Hale on the CO/UT/WY block, Dr. Kowalczyk on the FL/GA block \
                    from 9 ET. Dr. Okafor covers patient messages after 5.";
    let bulletin = "1) SORE THROAT: test, don't guess. Patients can get a rapid strep at a \
                    retail lab or pharmacy partner (Everlab) the same day.";
    let copier = "Need a tech out for the copier at registration, same jam as last month.\n\n\
                  Model: AltaLink C8155, serial 3TB447182, asset tag RHO-IT-0219\nContact: me, \
                  (937) 555-0141";
    assert_not_phi(&s, &[credentialing, lab_notes, coverage, bulletin, copier]);
    assert_no_label(&s, Label::Person, &[lab_notes, bulletin]);
    assert_no_label(&s, Label::Address, &[coverage]);
    assert_no_label(&s, Label::Device, &[copier]);
    // The same shapes where they are a patient's still are.
    assert_all_have(
        &s,
        Label::Person,
        &[(
            "Ms. Results? No: Ms. Delgado called about her results.",
            "Delgado",
        )],
    );
    assert_all_have(
        &s,
        Label::Device,
        &[(
            "Patient Carl Dubois: CPAP model AirSense 11, serial 23221847569.",
            "23221847569",
        )],
    );
}

#[test]
fn a_claim_number_for_your_records_is_the_patients() {
    let s = Scanner::new();
    let plan = "Dr. Lindqvist saw Trevor on 3/10 and released him to modified duty.\n\nClaim # \
                for your records: CR-25-004471.";
    assert_all_have(&s, Label::OtherId, &[(plan, "CR-25-004471")]);
}

#[test]
fn a_claimant_column_and_a_clm_number_are_the_injured_workers() {
    let s = Scanner::new();
    let caseload = "Open files\n\nClaimant,Claim #,DOI,Status\nDonna Petrakis,CR-25-005377,\
                    03/07/25,TTD\nLoretta Banks,SM-0392-71146,01/17/25,MMI\n";
    assert_all_have(
        &s,
        Label::Person,
        &[(caseload, "Donna Petrakis"), (caseload, "Loretta Banks")],
    );
    let call = "Angela Tillman (wife) called at 7:40, he had a bad night.\n\nclm \
                BG-WC-25-0100388, neuro appt is 3/13 @ 1:15";
    assert_all_have(&s, Label::OtherId, &[(call, "BG-WC-25-0100388")]);
    // A billing company's client list names practices, not people.
    assert_no_label(
        &s,
        Label::Person,
        &["Client,Invoice,Amount\nBrightwater Dental Group,INV-2026-0041,$1200\n"],
    );
}

#[test]
fn a_licence_after_its_state_and_a_masked_ssns_last_four_are_read() {
    let s = Scanner::new();
    let dot = "Driver: Kenneth R. Marsh\nDOB: 5/19/1977\nCDL: Michigan M 620 184 557 913\n\
               Diagnosis: obstructive sleep apnea";
    let intake = "Patient Lupe Ortiz, DOB 03/02/1981\nDriver's license: OH TK883105\nSSN: \
                  xxx-xx-6120";
    assert_all_have(
        &s,
        Label::License,
        &[(dot, "M 620 184 557 913"), (intake, "TK883105")],
    );
    assert_all_have(&s, Label::Ssn, &[(intake, "6120")]);
    // A licence written as one word keeps its letters; a code before digits alone stays.
    let nebraska = "Patient Dana Ruiz, DOB 01/02/1970, driver's license NE530765.";
    let pa = "Patient Dana Ruiz, DOB 01/02/1970, driver's license PA 30418872.";
    assert_all_have(
        &s,
        Label::License,
        &[(nebraska, "NE530765"), (pa, "PA 30418872")],
    );
}

#[test]
fn a_phone_beside_a_fax_on_a_short_line_is_a_letterhead_and_a_patients_phone_is_not() {
    let s = Scanner::new();
    let letter = "Re: Beatrice Lowell, DOB 02/19/1941\nPlease call her at (847) 555-0123 about \
                  the results.\n\n  PHYSICIAN: Dr. Amy Stone   Acct 40-1187\n   Phone \
                  847-555-0190   Fax 847-555-0191\n";
    let signature = "Patient Edith Vanderhoek, DOB 07/30/1932, admitted today.\n\nDevon Marsh\n\
                     Clinical Pharmacist, Crestline Home Infusion\n404-555-0115 | fax \
                     404-555-0119\n";
    assert_all_have(&s, Label::Phone, &[(letter, "(847) 555-0123")]);
    assert_lacks(&s, letter, Label::Phone, "847-555-0190");
    assert_lacks(&s, signature, Label::Phone, "404-555-0115");
    // A patient who names a fax in a sentence still gives their own number.
    let patient = "My name is Joseph Kuznetsov, birthday 8-21-62. Please call me at (216) \
                   555-0127 or fax anything to my office at 216-555-0199 about my records.";
    assert_all_have(&s, Label::Phone, &[(patient, "(216) 555-0127")]);
}

#[test]
fn a_serial_number_later_in_its_sentence_is_the_patients_device_and_a_cpt_code_is_not() {
    let s = Scanner::new();
    let letter = "My name is Hedda Lindqvist and I was a patient of Dr. Liang. The little card in \
                  my purse gives the pacemaker serial number as PJN418227S, if that is of use.";
    let pump = "Patient Maya Ortiz called: insulin pump alarm. Serial of the broken one is \
                NG2914573H. Replacement arrives Thursday.";
    assert_all_have(
        &s,
        Label::Device,
        &[(letter, "PJN418227S"), (pump, "NG2914573H")],
    );
    let coding = "Two Medicaid plans will now deny 92507 billed on the same day as 92526 unless \
                  modifier 59 is used.";
    assert_no_label(&s, Label::MemberId, &[coding]);
    assert_not_phi(&s, &[coding]);
}

#[test]
fn a_business_client_a_new_hire_and_a_chart_newsletter_are_not_phi_and_a_hand_off_item_is() {
    let s = Scanner::new();
    let grid = "Coverage today\n\nScribe            | Client                   | Provider\n\
                Tasha Greene      | Maple Family Medicine    | Dr. Raghavan\nBrendan Howe      \
                | Lakeside Ortho           | Dr. Feld\n";
    let new_hire = "From: Jenna Whitfield <jwhitfield@clearchartscribe.com>\nTo: Priscilla \
                    Nguyen <priscilla.nguyen.work@gmail.com>\nSubject: Welcome to ClearChart! \
                    Start date + first week\n\nHi Priscilla,\n\nWelcome aboard! Start date: \
                    Monday, March 16, 2026, 8:00 AM.";
    let newsletter = "Subject: The Clear Chart - March 2026\n\nTHE CLEAR CHART | Staff \
                      newsletter | March 2026\nPlease welcome Priscilla Nguyen and Jordan \
                      Ellis.";
    assert_not_phi(&s, &[grid, new_hire, newsletter]);
    assert_no_label(&s, Label::Mrn, &[newsletter]);
    let handoff = "open items:\n\n- Whitcombe (NGC-120937) - waiting on Dr. Voss for 2 blanks\n\
                   - Resupply (A7030-A7039) - order placed\n";
    assert_all_have(&s, Label::Person, &[(handoff, "Whitcombe")]);
    assert_lacks(&s, handoff, Label::Person, "Resupply");
}

#[test]
fn a_fraction_a_quality_measure_and_a_generators_serial_are_not_phi() {
    let s = Scanner::new();
    let survey = "Survey readiness reminders\n - Patient identifiers: name and date of birth\n - \
                  Sharps containers no more than 3/4 full\n";
    let report = "Quality report, February\n\n  - Falls ........... 2 (both under review)\n  - \
                  CLABSI ........... 0\nThanks to every patient care unit.";
    let unit = "Mobile Unit 2 service\nGenerator: Onan QG 7000 diesel, S/N K190584432\nOil \
                change due at 500 hours.";
    assert_not_phi(&s, &[survey, report, unit]);
    assert_no_label(&s, Label::Date, &[survey]);
    assert_no_label(&s, Label::Person, &[report]);
    assert_no_label(&s, Label::Device, &[unit]);
    // A date is still a date, and a pacemaker's generator the patient's.
    let visit = "Patient Rosa Delgado, DOB 10/08/1974: her next visit is 3/4 at 10 am.";
    assert_all_have(&s, Label::Date, &[(visit, "3/4")]);
}

#[test]
fn spanish_dates_are_dates_and_a_day_count_is_not() {
    let s = Scanner::new();
    let letter = "Sra. Rosa Delgado, fecha de nacimiento 5 de mayo de 1949: lamentamos lo que \
                  pasó en su cita del 27 de febrero. Su próxima cita es el 20 de marzo.";
    assert_all_have(
        &s,
        Label::Date,
        &[
            (letter, "5 de mayo de 1949"),
            (letter, "27 de febrero"),
            (letter, "20 de marzo"),
        ],
    );
    assert_no_label(
        &s,
        Label::Date,
        &["Patient Rosa Delgado: tome 2 de las pastillas cada mañana."],
    );
}

#[test]
fn a_staff_signature_a_classroom_a_school_column_and_a_fleet_van_are_not_phi() {
    let s = Scanner::new();
    let pto = "From: Jill Brandauer <jbrandauer@firststeps.org>\nTo: Theresa Okafor \
               <tokafor@firststeps.org>\nSubject: PTO request\n\nHi Theresa,\n\nPutting in for PTO \
               Thursday 3/20. Dana said she can take my two \
               postpartum weight checks.\n\nThanks!\nJill\n\nJill Brandauer, RN\nNurse Home \
               Visitor | First Steps\nCell (440) 555-0171\n";
    let lice = "Subject: Room 12 - head lice notice\n\nDear Room 12 families,\n\nA case of head \
                lice was found in your child's classroom. Please check your child tonight.";
    let stock = "Stock meds by school:\n\n                      Cascade MS            Hawthorne \
                 Elem\nStock epinephrine 0.3   2 (exp 04/2026)       0\n";
    let van = "Van 2 (the white 2020 Transit, plate HXT 5502, VIN 1FTBW3XK5LKA41877) is back \
               from the body shop. The warranty on the ramp ends 6/30.";
    assert_not_phi(&s, &[pto, lice, stock, van]);
    assert_no_label(&s, Label::Phone, &[pto]);
    assert_no_label(&s, Label::Person, &[lice, stock]);
    // A client's car named by a law firm is still the client's.
    let crash = "For identification of the incident, our client's vehicle was a 2020 Ford F-150, \
                 VIN 1FTEW1EP0LKD48213. Patient: Dale Voss, DOB 03/02/1950.";
    assert_all_have(&s, Label::Vehicle, &[(crash, "1FTEW1EP0LKD48213")]);
}

#[test]
fn a_first_name_and_initial_before_a_chart_number_is_a_patient_and_fleet_gear_is_not() {
    let s = Scanner::new();
    let flag = "Dr O -\n\nfyi Michael P (CR0051177), 15yo. Passive SI disclosed today, safety plan \
                done.";
    assert_all_have(&s, Label::Person, &[(flag, "Michael P")]);
    assert_all_have(&s, Label::Mrn, &[(flag, "CR0051177")]);
    let rig = "Fleet status\n\nMedic 4 (2021 Ford F-550 / Type I module)\n  VIN:      \
               1FDUF5GN6MED37520\n  Due: brakes 3/19";
    let stretchers = "Battery replacement (your serials):\n  Stretcher s/n 190843211 (Medic 7)\n  \
                      Stretcher s/n 190843296 (Medic 11)";
    let travel = "Per diem costs:\n\n  Rental (Enterprise, conf 4410283375, plate TXR 8812): \
                  $61.18\n  Total reimbursement: $145.18";
    let conference = "Registration type: Member - Full Conference\nMember ID (APC): 118204";
    assert_not_phi(&s, &[rig, stretchers, travel, conference]);
    assert_no_label(&s, Label::Vehicle, &[rig, travel]);
    assert_no_label(&s, Label::Device, &[stretchers]);
}

#[test]
fn mri_labelling_and_a_region_are_not_names_and_a_titled_patient_is() {
    let s = Scanner::new();
    let inservice = "In-service: reading a pacemaker/ICD ID card and finding the MR Conditional \
                     labelling before any patient goes to the scanner.";
    let metrics = "Weekly remote monitoring numbers for Central OH, week ending 3/9: 412 \
                   transmissions, 3 red alerts.";
    assert_no_label(&s, Label::Person, &[inservice, metrics]);
    assert_not_phi(&s, &[inservice, metrics]);
    assert_all_have(
        &s,
        Label::Person,
        &[("MR SMITH called about his MRI results.", "SMITH")],
    );
}

#[test]
fn a_complication_log_by_mrn_is_phi_and_a_mailing_list_or_a_simulator_is_not() {
    let s = Scanner::new();
    let log = "February log for your sign-off.\n\n#  MRN       Date of procedure  Type          \
               Code\n1  40701188  02/03/2025         labor epid    O89.4\n2  40712645  \
               02/09/2025         CSE           O74.6\n";
    assert_all_have(&s, Label::Mrn, &[(log, "40701188"), (log, "40712645")]);
    assert_phi(&s, log);
    let newsletter = "From: Lakeshore Heart News <news@lakeshoreheart.org>\nTo: Families List \
                      <families@lists.lakeshoreheart.org>\nSubject: Heart Beats - March 2025\n\n\
                      MEDICATION CORNER\n * If your child takes warfarin, ask us before \
                      starting any new medicine.";
    let simulator = "Service visit confirmed\n\nEquipment:    RS-400 3-screen driving simulator\n  \
                     Unit S/N:     RS4-22-00791\n  Date/time:    Thursday 3/26, 8:00 AM";
    let wellness = "Staff wellness fair: grip strength bands and the QR code sign-up for Balance \
                    Check are at the front desk.";
    assert_not_phi(&s, &[newsletter, simulator, wellness]);
    assert_no_label(&s, Label::Email, &[newsletter]);
}

#[test]
fn a_census_row_by_name_and_a_residents_id_give_chart_numbers() {
    let s = Scanner::new();
    let census = "Unit census\n\n512  Delgado, Carmen       LV00188342   91   RLL PNA, delirium \
                  clearing\n516  Nguyen, Thi Hoa       LV00701255   47   lap chole POD1\n";
    let facesheet = "Name:          OVERTON, HAROLD J\nDOB:           06/02/1938\nResident ID:   \
                     MH-10482\nAttending:     Erik Lindqvist, MD";
    let letter = "Your procedure is planned for 7:30 AM. Patient reference: MDH-0048213.";
    assert_all_have(
        &s,
        Label::Mrn,
        &[
            (census, "LV00188342"),
            (facesheet, "MH-10482"),
            (letter, "MDH-0048213"),
        ],
    );
    // A column gap before a number that is no record number (a room, an age) gives none.
    assert_no_label(
        &s,
        Label::Mrn,
        &["Unit census\n\n512  Delgado, Carmen       Rm 512       91   RLL PNA\n"],
    );
}

#[test]
fn a_record_number_in_a_subject_is_reported_with_phi_but_is_no_evidence_of_it() {
    let s = Scanner::new();
    let callback = "Subject: Callback result - RB-17342 - volume discrepancy\n\nDr V,\n\nPatient \
                    Alisha Pennington, DOB 11/18/1985, was called back today about her dose.";
    assert_all_have(&s, Label::OtherId, &[(callback, "RB-17342")]);
    // Alone it makes no message PHI, and a quote's or a ticket's number is never one.
    let vendor = "Subject: Quotation Q-25-11873 - Brightwater Family Dental\n\nAttached is the \
                  quote you asked for.";
    let it = "Subject: INC0451877 - portal lockout\n\nReset done, the user can sign in again.";
    let bare = "Subject: Batch RB-17342 - volume discrepancy\n\nThe nightly export was short \
                by 12 rows; rerun scheduled.";
    assert_not_phi(&s, &[vendor, it, bare]);
    assert_no_label(&s, Label::OtherId, &[vendor, it]);
}

#[test]
fn an_account_or_practice_name_is_a_business_and_a_patients_name_label_is_not() {
    let s = Scanner::new();
    let setup = "Welcome to Harborline!\n\n  Account name:      Blackstone Valley Dermatology (2 \
                 sites)\n  Client ID:         BVD-0318\nTablets ship Thursday.";
    assert_no_label(&s, Label::Person, &[setup]);
    assert_not_phi(&s, &[setup]);
    let intake = "Referral intake\n\n  Patient name:   Rosa Delgado\n  DOB:            10/08/1974";
    assert_all_have(&s, Label::Person, &[(intake, "Rosa Delgado")]);
}

#[test]
fn a_number_right_after_an_organisations_name_is_the_organisations() {
    let s = Scanner::new();
    let discharge = "Patient Rosa Delgado, DOB 10/08/1974, going home 3/17.\n  - Home health: \
                     Lindenwood Home Care (215-555-0182), start of care 3/17\n  - Patient \
                     contact: (215) 555-0196 (daughter)";
    assert_lacks(&s, discharge, Label::Phone, "215-555-0182");
    assert_all_have(&s, Label::Phone, &[(discharge, "(215) 555-0196")]);
    let bill = "Patient Rosa Delgado, DOB 10/08/1974: the ambulance ride is billed separately by \
                Peak County EMS (970-555-0152).";
    assert_lacks(&s, bill, Label::Phone, "970-555-0152");
}

#[test]
fn a_patient_naming_themselves_in_lower_case_is_a_person_and_its_fine_is_not() {
    let s = Scanner::new();
    let text = "From: d.kowal77@gmail.com\nSubject: my mom - swelling again??\n\nhi this is \
                debbie, stanislawa kowalczyks daughter. her ankles are big again since \
                tuesday.";
    let sms = "From: t.hollins@yahoo.com\nSubject: sensor\n\nhi kelsey its tamika hollins, i \
               got the grant letter but my sensor fell off again";
    assert_all_have(
        &s,
        Label::Person,
        &[(text, "debbie"), (sms, "tamika hollins")],
    );
    // A clinician's reply in the same kind of mail: "It's fine" and "this is an" name nobody,
    // and a cue in the middle of a sentence introduces no one.
    let reply = "To: d.kowal77@gmail.com\nSubject: RE: sleep\n\nIt's fine to keep the melatonin \
                 for now.\nthis is an indeterminate result, we will repeat it.\nThe form says \
                 this is walter's copy.";
    assert_no_label(&s, Label::Person, &[reply]);
}

#[test]
fn a_patients_town_after_at_home_in_or_driving_in_from_is_an_address() {
    let s = Scanner::new();
    let hospice = "Pastor Kim,\n\nOur patient Leonard Haas was admitted to hospice on 12/4 and \
                   is at home in Harlan Falls. His wife asked for a visit.";
    let family = "From: rhaddad@gmail.com\nSubject: visit\n\nPatient Rania Haddad, DOB \
                  4/2/1950. Can it be Thursday? I'm driving in from Wichita.";
    assert_all_have(
        &s,
        Label::Address,
        &[(hospice, "Harlan Falls"), (family, "Wichita")],
    );
    // A colleague relocating (staff news) and a meeting at home base are no patient's town.
    let staff = "Team,\n\nDr. Frank Osei is relocating to Savannah in May; his patients move to \
                 Dr. Haddad. Lunch is at home in Conference Room B.";
    assert_no_label(&s, Label::Address, &[staff]);
}

#[test]
fn a_buyers_account_after_bill_to_is_the_buyers_and_a_patients_account_is_not() {
    let s = Scanner::new();
    let order = "Hi,\n\nPlease process PO 7736, ship ground to our Lancaster office:\n\n  4    \
                 UG-5L    Ultrasound gel, 5 L refill\n\nBill to account 30094-TCPD. Please \
                 substitute the closest equivalent wipes.";
    assert_not_phi(&s, &[order]);
    assert_no_label(&s, Label::Account, &[order]);
    let statement = "Patient Rosa Delgado, DOB 10/08/1974.\nBill to her account 30094-4471, \
                     not the plan.";
    assert_all_have(&s, Label::Account, &[(statement, "30094-4471")]);
}

#[test]
fn a_plate_beside_a_body_shop_or_an_odometer_is_a_fleets_and_a_patients_is_not() {
    let s = Scanner::new();
    let fleet = "Morning all,\n\n- V11 is back from the body shop, plate ZKR-8810. Push the lift \
                 gate up before you pull the latch.\n- Fuel cards: receipts to Kendra by Friday.";
    assert_no_label(&s, Label::Vehicle, &[fleet]);
    assert_not_phi(&s, &[fleet]);
    let security = "Patient Rosa Delgado, DOB 10/08/1974, left her car in the garage: her \
                    plate ZKR-8810, a gray Malibu. Please call her daughter.";
    assert_all_have(&s, Label::Vehicle, &[(security, "ZKR-8810")]);
}

#[test]
fn a_name_whose_next_table_cell_is_a_credential_is_staff() {
    let s = Scanner::new();
    let roster = "Please update our group roster:\n\nAction | Provider         | Credential | \
                  Specialty\nADD    | Samira Haddad    | MD         | Audiology\nUPDATE | \
                  Whitney Cole     | PA-C       | Otolaryngology";
    assert_no_label(&s, Label::Person, &[roster]);
    // A patient's row names the visit, not a credential.
    let list = "Today's add-ons:\n\nPatient          | Visit      | Time\nRosa Delgado     | \
                post-op    | 10:30\nWhitney Cole     | new pt     | 11:15";
    assert_all_have(&s, Label::Person, &[(list, "Rosa Delgado")]);
}

#[test]
fn a_generic_name_with_a_usan_stem_is_a_medication_and_a_word_that_merely_ends_alike_is_not() {
    let s = Scanner::new();
    let note = "Preventive options: erenumab (Aimovig), fremanezumab and galcanezumab. For \
                hepatitis C, sofosbuvir-velpatasvir; she also asked about ofatumumab.";
    assert_all_have(
        &s,
        Label::Medication,
        &[
            (note, "erenumab"),
            (note, "fremanezumab"),
            (note, "galcanezumab"),
            (note, "ofatumumab"),
        ],
    );
    // Shorter words, and words with the letters elsewhere, are no drugs.
    let lunch = "Lunch order: kebab and Punjab curry for the team from Mabelle's; the navigator \
                 meeting moved to December.";
    assert_no_label(&s, Label::Medication, &[lunch]);
}

#[test]
fn blood_products_and_newer_brands_are_in_the_drug_list() {
    let s = Scanner::new();
    let plan = "Recommendation: Kcentra 50 units/kg with protamine on standby; Neulasta on day 2; \
                Lomotil for the diarrhoea; IVIG if the platelets stay low.";
    assert_all_have(
        &s,
        Label::Medication,
        &[
            (plan, "Kcentra"),
            (plan, "protamine"),
            (plan, "Neulasta"),
            (plan, "Lomotil"),
            (plan, "IVIG"),
        ],
    );
    // Over-the-counter drugs stay out, as before.
    let otc = "Take ibuprofen or acetaminophen for the soreness after the blood draw.";
    assert_no_label(&s, Label::Medication, &[otc]);
}

#[test]
fn a_hand_aligned_table_is_read_past_accents_and_a_drifting_free_text_column() {
    let s = Scanner::new();
    let chairs = "Chairs today:\n\nTime   Chair  Patient                       MRN          \
                  Drug / dose                    Notes\n07:45  1      Haldane, Rosalind        \
                  \x20    CVN-0033418  labs only (IgG)                in/out\n08:00  2      \
                  Ferreyra, Lucía               CVN-0052906  natalizumab 300 mg IV            \
                  TOUCH done\n08:30  3      Petrakis, Stavros             CVN-0019975  \
                  ocrelizumab 600 mg IV (2 hr)     wife drives";
    assert_all_have(
        &s,
        Label::Mrn,
        &[(chairs, "CVN-0052906"), (chairs, "CVN-0019975")],
    );
    let dependants = "Roster:\n\n  Name                    DOB          Rel     SSN last 4\n  \
                      Derek Lund              02/11/1988   EE      3391\n  Hailey Lund        \
                      \x20    06/29/1989   SP      7720";
    assert_all_have(
        &s,
        Label::Ssn,
        &[(dependants, "3391"), (dependants, "7720")],
    );
    // A row whose record-number column is out of line is not read as the table's.
    let drifted = "Chairs today:\n\nTime   Chair  Patient                       MRN          \
                   Drug / dose                    Notes\n08:00  2      Room 4 cleaning          \
                   \x20       4471-2203 lot    natalizumab stock           none";
    assert_no_label(&s, Label::Mrn, &[drifted]);
}

#[test]
fn an_accession_after_acc_and_a_claim_under_an_icn_heading_are_identifiers() {
    let s = Scanner::new();
    let workups = "PENDING WORKUPS\n1. PRUITT, HAROLD T  MRN 60418273  acc BB25-070288\n   screen \
                   pos I and II.\n\nPrior exams: 11/18/2024  CXR 1v   Acc RX2411180213";
    let denials = "Patient | MBI | DOS | ICN | Code\nRuth Kessler | 3QW8EK5TA19 | 02/03/2025 | \
                   2225055004112 | CO-16";
    assert_all_have(
        &s,
        Label::OtherId,
        &[
            (workups, "BB25-070288"),
            (workups, "RX2411180213"),
            (denials, "2225055004112"),
        ],
    );
    // "acc" is no keyword inside a word, and a guideline body's name is no accession.
    let staff = "The accountant sent the 2025 budget. Per the ACC/AHA 2025 guideline, no change.";
    assert_no_label(&s, Label::OtherId, &[staff]);
}

#[test]
fn a_hand_off_item_starting_with_a_given_name_and_an_unlisted_surname_is_a_person() {
    let s = Scanner::new();
    let handoff = "Ones to watch:\n\n1. Rachel Lindqvist - recurrent UTI on nitrofurantoin, \
                   culture pending.\n2. Tamara Oyelaran (32 wks) - BP 150/96 at triage.";
    assert_all_have(
        &s,
        Label::Person,
        &[(handoff, "Rachel Lindqvist"), (handoff, "Tamara Oyelaran")],
    );
    // The same shape with a place or a product after a given name is no person, and a name in
    // running text needs more than this.
    let notes = "Agenda:\n\n1. Austin Office - closed Friday for the move.\n2. Madison Center (room \
                 2) - booked for the huddle.\n3. Victoria Pharmacy - new courier times.";
    assert_no_label(&s, Label::Person, &[notes]);
}

#[test]
fn a_hcpcs_code_after_referral_and_an_invoice_items_label_are_nobodys() {
    let s = Scanner::new();
    let cheat = "Cheat sheet for scheduling:\n - Covered dx: diabetes and chronic kidney disease.\n \
                 - 3 hours the first year, 2 each year after; more needs a new referral (G0270).";
    assert_not_phi(&s, &[cheat]);
    assert_no_label(&s, Label::OtherId, &[cheat]);
    let credit = "Hi,\n\n1. Short 2 cases of enoxaparin 40 mg; we were billed for 8.\n\n2. Price: the \
                  enoxaparin came in above contract price. Please issue a credit.";
    assert_not_phi(&s, &[credit]);
    // A referral number with more to it, and a patient listed by surname, still count.
    let referral = "Patient Rosa Delgado, DOB 10/08/1974: new referral (G027014) on file.";
    assert_all_have(&s, Label::OtherId, &[(referral, "G027014")]);
    let list = "Today:\n- Castellanos: d/c Renvela, start Velphoro 500 mg TID\n- Fenwick: held.";
    assert_phi(&s, list);
}

#[test]
fn a_value_after_an_aside_in_brackets_and_a_prior_auth_number_are_found() {
    let s = Scanner::new();
    let path = "Patient: Walter Vanderslice\nDOB: 02/11/1931\nAccession # (from your portal): \
                BOP24-011872\nPA ref A25-0931-88420 - DENIED 04/08/2025";
    assert_all_have(
        &s,
        Label::OtherId,
        &[(path, "BOP24-011872"), (path, "A25-0931-88420")],
    );
    // The bracket holding the value is the value, and an organisation's acronym in brackets
    // names a professional body's member number, no patient's.
    let account = "Hi Tyler,\n\nHere's what happened on your account (GSR-0051260): the auto \
                   pay ran twice.";
    assert_all_have(&s, Label::Account, &[(account, "GSR-0051260")]);
    let conference = "Registration for the annual conference.\n  Member ID (APC): 118204\n  \
                      Registration type: Member - Full Conference";
    assert_not_phi(&s, &[conference]);
}

#[test]
fn a_time_opening_a_schedule_line_that_names_a_patient_is_a_date() {
    let s = Scanner::new();
    let list = "Testing list Tuesday:\n\n08:30  | Rosa Delgado      | CR-0048213  | 33w2d\n09:15  \
                | Courtney Bell     | CR-0052988  | 24w1d";
    assert_all_have(&s, Label::Date, &[(list, "08:30"), (list, "09:15")]);
    // A staff agenda's times name no patient.
    let agenda = "Tuesday:\n\n08:30  Staff huddle in the break room\n12:00  Lunch-and-learn on \
                  the new pumps";
    assert_no_label(&s, Label::Date, &[agenda]);
}

#[test]
fn a_paramedics_cell_a_fleet_car_at_the_shop_and_an_auto_reply_are_no_patients() {
    let s = Scanner::new();
    let swap = "Hey,\nKayla and I want to swap - I'd take her Sat 10/18 day and she takes my Thurs \
                10/16 day.\nthx\nLuis\n\nLuis Ortega, NRP, CP-C\nCommunity Paramedic | Lakeshore \
                Hospital at Home\ncell 419-555-0148";
    let car = "Fleet note: HAH-3 (2019 Ford Escape, plate OH JKT-4471, VIN 1FMCU9GD1KUB73418) \
               goes to the shop Thursday 10/16 for brakes.";
    let away = "Subject: Automatic reply: Quality committee - agenda\n\nThank you for your \
                message. I am out of the office Wednesday 10/15 through Friday 10/17. For \
                patient-related social work needs, please contact Marisol Vega at 419-555-0159.";
    assert_not_phi(&s, &[swap, car, away]);
    // A patient's own number and car are still found, and so is a patient's message that is
    // no automatic reply.
    let patient = "Subject: Re: visit\n\nPatient Rosa Delgado, DOB 10/08/1974, drove her car \
                   (VIN 1FMCU9GD1KUB73418) to the visit; her cell is 419-555-0148.";
    assert_all_have(&s, Label::Vehicle, &[(patient, "1FMCU9GD1KUB73418")]);
    assert_phi(&s, patient);
}

#[test]
fn a_surname_after_a_bed_number_and_before_an_age_and_sex_is_a_patient() {
    let s = Scanner::new();
    let board = "Subject: bed board 1645\n\nED:\n bed 2 - Hofmeister 88F UTI/AMS (N39.0, R41.82) - \
                 Dr O admitting obs, started ceftriaxone 1g.";
    assert_all_have(&s, Label::Person, &[(board, "Hofmeister")]);
    assert_phi(&s, board);
    // A bed count and a ward's name are no patient.
    let census = "Census 1645:\n bed 2 - Pediatrics 4 open\n bed 4 - Cardiology 12 total";
    assert_no_label(&s, Label::Person, &[census]);
}

#[test]
fn a_birth_cue_in_the_sentence_before_is_no_birth_date() {
    let s = Scanner::new();
    let class = "NEW: \"Strong Floor\" class for new parents\nSix-week group class for anyone 6 \
                 weeks to 1 year after birth. Babies welcome! Thursdays 5:30-6:30 PM starting \
                 April 24, 2025, in our PT gym. Call 612-555-0147 to register.";
    assert_not_phi(&s, &[class]);
    // "DOB." with capitals, and a cue in the date's own sentence, still say birth date.
    let intake = "Patient Rosa Delgado. DOB. 03/04/1950. She was born on 3/4/1950 in Ohio.";
    assert_all_have(
        &s,
        Label::Date,
        &[(intake, "03/04/1950"), (intake, "3/4/1950")],
    );
}

#[test]
fn a_hand_off_item_with_a_record_number_and_a_room_before_its_dash_is_a_patients() {
    let s = Scanner::new();
    let eod = "Quick EOD for whoever covers my units:\n\nOPEN\n- Kowalczyk, Irene 00648127 5W-221 \
               - new admit tonight, hip fx s/p fall, Na 124 on hydrochlorothiazide, on apixaban.";
    assert_phi(&s, eod);
    let closed = "CLOSED today\n- Oyelaran, Samuel 5W-214 - resp failure query answered.";
    assert_all_have(&s, Label::Person, &[(closed, "Oyelaran, Samuel")]);
    // A colleague's line in a schedule, a room's code and a meeting, names no patient.
    let rota = "Coverage:\n- Kowalczyk, Irene 5W-221 - covering the unit huddle, then the \
                sepsis committee.";
    assert_not_phi(&s, &[rota]);
}

#[test]
fn a_pipe_tables_padded_heading_and_its_town_column_are_read() {
    let s = Scanner::new();
    let census = "Census:\n\nPt                          | MRN      | Town        | Dx\n\
                  ----------------------------+----------+-------------+--------\n\
                  Brzezinski, Harold          | 70418826 | Sylvania    | I50.23\n";
    assert_all_have(&s, Label::Mrn, &[(census, "70418826")]);
    assert_all_have(&s, Label::Address, &[(census, "Sylvania")]);
    // A list item's address under a person's name is no letterhead's.
    let meals = "DIET CHANGE:\n  Walter Szymanski - 2604 Riverview Dr, Rossford, OH 43460\n  change \
                 to 2 g sodium, patient is on the CHF pathway.";
    assert_all_have(
        &s,
        Label::Address,
        &[(meals, "2604 Riverview Dr, Rossford, OH")],
    );
    // A first cell of prose before a bar is no heading, and a letterhead's address is the
    // organisation's.
    let prose = "We moved the quarterly review of every open chart to next week | MRN | Town | \
                 Dx\nsee you there | 70418826 | Sylvania | I50.23";
    assert_no_label(&s, Label::Mrn, &[prose]);
    let letterhead = "Bloom Birth & Lactation - 88 Loockerman Plaza, Dover, DE 19901\n\nClass \
                      schedule attached.";
    assert_no_label(&s, Label::Address, &[letterhead]);
}

#[test]
fn a_procedure_code_range_and_a_hyperbaric_chambers_serial_are_nobodys() {
    let s = Scanner::new();
    let coding = "Recap from the MAC webinar: for every application (15271-15278 + the product \
                  Q-code), the note needs the wound size. Dx pairing must be specific, e.g. \
                  E11.621 + L97.412.";
    let invoice = "Invoice 88213\n1     Semiannual PM, monoplace chamber, SN 2500-4471     \
                   $1,450.00\n2     Semiannual PM, monoplace chamber, SN 2500-4472     $1,450.00";
    assert_not_phi(&s, &[coding, invoice]);
    // A patient's application number, and a pacemaker's serial, still count.
    let medicaid = "Patient Rosa Delgado, DOB 10/08/1974: her Medicaid application \
                    (2025-118822) is pending.";
    assert_all_have(&s, Label::OtherId, &[(medicaid, "2025-118822")]);
    let device = "Patient: Chidi Okafor\nDOB: 1958-02-27\nDevice: Veritas DR 2240 dual-chamber \
                  pacemaker\nSerial: VDR224-118830K";
    assert_all_have(&s, Label::Device, &[(device, "VDR224-118830K")]);
}

#[test]
fn a_name_after_grandma_or_stepdad_is_a_relatives() {
    let s = Scanner::new();
    let summary = "> | NL-25-108847 | Khloe Danvers | 2019-07-14 | grandma Patrice Danvers \
                   614-555-0196 | vomiting x6 since last eve |";
    assert_all_have(&s, Label::Person, &[(summary, "Patrice Danvers")]);
    let note = "Pt came in with her stepdad Ray Colton, who has the consent.";
    assert_all_have(&s, Label::Person, &[(note, "Ray Colton")]);
    // The words alone name nobody.
    let flyer = "Grandma and grandpa days are back: bring the kids to the lobby on Friday.";
    assert_no_label(&s, Label::Person, &[flyer]);
}

#[test]
fn test_starting_an_instruction_list_item_is_no_surname() {
    let s = Scanner::new();
    let alert = "Pertussis alert for all sites:\n - Think pertussis for any prolonged cough.\n - \
                 Test: NP swab for Bordetella PCR (lab has the swabs). Send-out, results 24-48 \
                 hr.\n - Droplet precautions + mask the patient at triage.\n - Treatment per CDC: \
                 azithromycin first line.";
    // No list item's first word is read as a name, nor a bacterium's genus ("Bordetella"). (The
    // verdict on this alert, which names no one, is the weak-verdict model's: retrained in
    // session 54 it gives it PHI at 0.71 to 0.73, as it does to 21 of the style corpus's 10,179
    // messages without PHI or evidence, against 244 of the 339 with PHI the rules find no
    // evidence in, cross-validated by author.)
    assert!(
        !has_label(&s, alert, Label::Person),
        "{:?}",
        labels(&s, alert)
    );
    // A patient listed by surname still is one.
    let list = "Today:\n- Castellanos: d/c Renvela, start Velphoro 500 mg TID";
    assert_phi(&s, list);
}

#[test]
fn a_letterheads_fax_beside_its_phone_and_a_number_after_an_orgs_bar_are_the_orgs() {
    let s = Scanner::new();
    let letter = "Patient Rosa Delgado, DOB 10/08/1974: records attached.\n\nDana Pruitt\n\
                  Keystone Meridian Medicare Advantage\nPhone 717-555-0121 | Fax 717-555-0128";
    assert_lacks(&s, letter, Label::Phone, "717-555-0128");
    assert_lacks(&s, letter, Label::Fax, "717-555-0128");
    let lab = "Patient Rosa Delgado, DOB 10/08/1974: culture attached.\n\nAmy Roeder, MLT\nSVCH \
               Laboratory | 308-555-0124";
    assert_lacks(&s, lab, Label::Phone, "308-555-0124");
    // A patient's own fax, alone on its line, is still the patient's.
    let own = "Patient Rosa Delgado, DOB 10/08/1974, asks us to send her records to her home \
               fax: 509-555-0179.";
    assert!(
        !s.scan(own)
            .phi_findings()
            .all(|f| &own[f.start_byte..f.end_byte] != "509-555-0179"),
        "the patient's fax is reported"
    );
}

#[test]
fn a_score_after_a_comparison_and_a_count_of_days_or_sets_are_no_dates() {
    let s = Scanner::new();
    let plan = "Patient Rosa Delgado, DOB 10/08/1974.\n  3. Rest breaks if headache > 5/10.\n  \
                Food log 5/7 days. BCx x2: MRSA 2/2 sets.";
    for v in ["5/10", "5/7", "2/2"] {
        assert_lacks(&s, plan, Label::Date, v);
    }
    // A quoted schedule's date after a reply's quote mark is still a date.
    let quoted = "Patient Rosa Delgado, DOB 10/08/1974.\n> 12/25          Increase estradiol to 2 \
                  mg twice a day.";
    assert_all_have(&s, Label::Date, &[(quoted, "12/25")]);
}

#[test]
fn a_surname_before_a_chart_number_in_brackets_is_a_patient_and_a_year_is_no_chart() {
    let s = Scanner::new();
    let log = "Exceptions:\n1. HD late start, Pritchett (00517736) - 29 min late, re-queue bug.";
    assert_all_have(&s, Label::Person, &[(log, "Pritchett")]);
    assert_phi(&s, log);
    let budget = "Trainings we'll fund this year: the Elder Law Institute, Dec 11. Last year's \
                  materials had a good chart on the 2025 changes.";
    let lease = "Attached your October invoice. The base lease for both units (serial UVD-2207 \
                 and UVD-2211) renews 1/1.";
    assert_not_phi(&s, &[budget, lease]);
    // A court case's number that starts with its year is still one.
    let court = "Patient Rosa Delgado, DOB 10/08/1974: probate case 2025 MH 00612 is set for \
                 hearing.";
    assert_phi(&s, court);
}

#[test]
fn a_date_right_after_meeting_is_the_meetings_and_a_family_meetings_is_not() {
    let s = Scanner::new();
    let vendor = "Subject: Follow-up: NEMT discharge rides - meeting 3/11\n\nThanks for meeting with \
                  us. You'll extend the window to 6 PM starting 4/1 and send a plan by 3/28.";
    assert_not_phi(&s, &[vendor]);
    let hospice = "Patient Rosa Delgado, DOB 10/08/1974: her daughter asked for a family meeting \
                   3/12 about discharge.";
    assert_all_have(&s, Label::Date, &[(hospice, "3/12")]);
}

#[test]
fn an_account_in_a_vendors_invoice_mail_is_the_customer_organisations() {
    let s = Scanner::new();
    let linen = "Good morning Denise,\n\nYour par levels remain as contracted:\n  Patient gowns \
                 ........ 3,100\n\nInvoice #INV-2025-09-4471 for September is attached. Please \
                 reference account SB-0098 on any correspondence.";
    assert_not_phi(&s, &[linen]);
    // A patient's account in mail with the patient is still the patient's.
    let statement = "From: rdelgado@gmail.com\nSubject: my bill\n\nHi, I got an invoice for my \
                     visit on 3/4. My account is SB-0098, DOB 10/08/1974.";
    assert_all_have(&s, Label::Account, &[(statement, "SB-0098")]);
}

#[test]
fn a_name_before_a_family_relation_in_brackets_is_a_patients_relative() {
    let s = Scanner::new();
    let visitors = "Hi front desk / C team,\n\nMom returned the visitor form, please update the \
                    approved list:\n\n ADD:   Luz Delgado (maternal grandmother), ph 937-555-0128\n \
                    KEEP:  Marisol Ruiz (mother/guardian)";
    assert_all_have(
        &s,
        Label::Person,
        &[(visitors, "Luz Delgado"), (visitors, "Marisol Ruiz")],
    );
    assert_phi(&s, visitors);
    // A bracket naming a role or a place is no relation.
    let staff = "Hi team,\n\nPlease welcome Luz Delgado (front desk) and Marisol Ruiz (Lancaster \
                 office) to the schedule.";
    assert_not_phi(&s, &[staff]);
}

#[test]
fn a_hearing_dockets_appellant_and_docket_columns_are_read() {
    let s = Scanner::new();
    let docket = "Docket for Wed 3/12:\n\nTime     | HO        | Docket #         | Appellant          \
                  | Medicaid ID    | Issue\n---------+-----------+------------------+----------\
                  ----------+----------------+------\n9:00 AM  | Takahashi | MFH-2025-029904  | \
                  Hostetler, Linda   | 104477210385   | Rx denied";
    assert_all_have(&s, Label::Person, &[(docket, "Hostetler, Linda")]);
    assert_all_have(&s, Label::OtherId, &[(docket, "MFH-2025-029904")]);
    // A table of hearing officers and rooms has no patient column.
    let rooms = "Rooms:\n\nTime | HO | Room | Format\n9:00 AM | Takahashi | 2B | Video";
    assert_not_phi(&s, &[rooms]);
}

#[test]
fn a_contraction_of_i_after_a_greeting_is_no_name() {
    let s = Scanner::new();
    let quoted = "Hi Erik,\n\nGood question.\n\nOn 3/10/2025 6:02 PM, Erik Thorsen wrote:\n> hi, \
                  I'm the one doing Kilimanjaro in April. is it safe? my DOB is 3/4/1980";
    assert_lacks(&s, quoted, Label::Person, "I'm");
    // The writer's own name after "this is" in the same mail is still one.
    let named = "From: erik.t@gmail.com\nSubject: diamox\n\nhi, I'm Erik Thorsen, the one doing \
                 Kilimanjaro in April. my DOB is 3/4/1980";
    assert_all_have(&s, Label::Person, &[(named, "Erik Thorsen")]);
}

#[test]
fn a_newsletters_caregiver_corner_names_nobody() {
    let s = Scanner::new();
    let news = "Subject: Caregiver Corner - October 2025\n\nCAREGIVER CORNER | October\n\nFalls: check \
                shoes and slippers for worn soles. Sleep aids such as zolpidem raise the risk.";
    assert_not_phi(&s, &[news]);
    // A caregiver named after the word is still a person.
    let note = "Patient Rosa Delgado, DOB 10/08/1974: her caregiver Ana Corrales will bring the \
                forms.";
    assert_all_have(&s, Label::Person, &[(note, "Ana Corrales")]);
}

#[test]
fn a_number_to_page_is_the_on_call_pagers() {
    let s = Scanner::new();
    let plan = "Family meeting went well; she wants home BiPAP and a prescription for her \
                albuterol. If things change overnight, page 614-555-0188 and the fellow will \
                call regardless.";
    assert_no_label(&s, Label::Phone, &[plan]);
    assert_not_phi(&s, &[plan]);
    // A patient's own number a page later is still the patient's.
    let callback = "Patient Rosa Delgado, DOB 10/08/1974, asked for a call back at her cell \
                    614-555-0177 about page 2 of the form.";
    assert_all_have(&s, Label::Phone, &[(callback, "614-555-0177")]);
}

#[test]
fn a_town_and_state_after_in_near_from_or_to_is_an_address() {
    let s = Scanner::new();
    let t = "Pt Maria Lopez, DOB 3/4/1950, lives with her parents in Strongsville, OH and is not \
             driving. Sister may take her to Cherry Hill, NJ for 4-6 weeks.";
    assert!(has(&s, t, Label::Address, "Strongsville, OH"));
    assert!(has(&s, t, Label::Address, "Cherry Hill, NJ"));
    let t = "New sign-in to Wanda Pruitt's portal account, DOB 01/02/1948.\n  Location:  near \
             Muskegon, MI (approximate)";
    assert!(has(&s, t, Label::Address, "Muskegon, MI"));
    // A comma after the state, and the state at the end of the text.
    let t = "Pt Maria Lopez, DOB 3/4/1950, is from Elverton, PA, and her son lives in Dayton, OH";
    assert!(has(&s, t, Label::Address, "Elverton, PA"));
    assert!(has(&s, t, Label::Address, "Dayton, OH"));
    // A name and a credential that is also a state's code; a code with a hyphen; a town with
    // its ZIP code (the street-address rules' business); a town alone is no evidence of PHI.
    let t = "Pt Maria Lopez, DOB 3/4/1950. Questions may go to Helena Marsh, MD, or to the \
             PA-C in Midas, PR-C-0211. Records from Dayton, OH 45402.";
    assert!(!has_label(&s, t, Label::Address));
    assert!(has(&s, t, Label::Person, "Maria Lopez") || has_label(&s, t, Label::Person));
    let t = "Please welcome Dr. Aisha Grant, who joins us from Cleveland, OH next month.";
    assert!(!s.scan(t).contains_phi);
}

#[test]
fn an_employers_fax_is_the_patients_and_an_offices_is_not() {
    let s = Scanner::new();
    let t = "Dear Ms. Greenlee (DOB 1/2/1980),\n\nWe completed your FMLA form today and faxed it to \
             your employer's leave administrator at (717) 555-0181, with your leave claim number.";
    assert!(has(&s, t, Label::Fax, "(717) 555-0181"));
    let t = "Hi, this is Tasha Greenlee, DOB 1/2/1980. Could you fax the note to my HR department \
             at Ridgeline Freight, fax (614) 555-0122, attention Human Resources?";
    assert!(has(&s, t, Label::Fax, "(614) 555-0122"));
    // The writer's own; a letterhead whose department is "Social Work"; and never evidence of
    // PHI on its own.
    let t = "Dear Ms. Greenlee (DOB 1/2/1980), your employer's HR office can fax us at \
             555-310-2212.\n\nAlexis";
    assert!(!has_label(&s, t, Label::Fax));
    let t = "Reviewed with Ms. Greenlee (DOB 1/2/1980) today.\n\nDana Holt, LSW\nSocial Work | \
             Cedar Ridge Maternal-Fetal Medicine\n614-555-0156 | Fax 614-555-0149";
    assert!(!has_label(&s, t, Label::Fax));
    let t = "Reminder to all staff: when an employer asks for a work note, fax it to the number \
             HR gives you, e.g. 614-555-0149. Thanks!";
    assert!(!s.scan(t).contains_phi);
}

#[test]
fn an_employers_fax_given_after_the_employer_or_a_sentence_later_is_the_patients() {
    let s = Scanner::new();
    // The employer named first, then the number it wants things faxed to; "us" before the fax
    // word; a leave administrator's toll-free fax, in this sentence or the one before.
    for (t, v) in [
        (
            "Re: Jon Baxter (DOB 4/5/1971). His employer's HR office needs the work-status \
             notes for his claim; their fax is 319-555-0196.",
            "319-555-0196",
        ),
        (
            "Ana Ruiz, DOB 3/4/1950: her employer (Millbrook City Schools, HR benefits office) \
             wants it faxed directly to 740-555-0177.",
            "740-555-0177",
        ),
        (
            "Dear Ms. Greenlee (DOB 1/2/1980), you asked us to fax it to your employer's HR \
             office at 614-555-0188 - that has been done.",
            "614-555-0188",
        ),
        (
            "Dear Ms. Greenlee (DOB 1/2/1980), I faxed it to your employer's leave \
             administrator at (866) 555-0134 at 12:58 PM.",
            "(866) 555-0134",
        ),
        (
            "Tasha Greenlee, DOB 1/2/1980. My HR says the leave company needs them by friday. \
             Their fax is 866-555-0134 and my claim number is C2504-118830.",
            "866-555-0134",
        ),
    ] {
        assert!(has(&s, t, Label::Fax, v), "{t}");
    }
    // The other way: the employer may fax a request to the writer ("they can fax a request
    // to"), "fax us at" names the writer's own, and a toll-free number without a sentence that
    // sends the fax to the employer is no employer's.
    for t in [
        "Dear Ms. Greenlee (DOB 1/2/1980), if your employer needs something different they can \
         fax a request to 614-555-0149.",
        "Dear Ms. Greenlee (DOB 1/2/1980), your employer's HR office can fax us at 614-555-0149.",
        "Dear Ms. Greenlee (DOB 1/2/1980), your employer's HR office can fax questions to \
         1-800-555-0149.",
    ] {
        assert!(!has_label(&s, t, Label::Fax), "{t}");
    }
}

#[test]
fn the_organisations_own_hr_fax_in_staff_mail_is_no_patients() {
    let s = Scanner::new();
    // Staff mail: forms go to our own HR.
    let t = "From: Yolanda Petrakis <ypetrakis@riverbendaac.org>\nTo: All Staff \
             <allstaff@riverbendaac.org>\nSubject: Open enrollment\n\nStaff flu shots are \
             Wednesday in the shot room. Questions, call ext. 108. Paper forms can be faxed to \
             HR at (614) 555-0148.\n\nYolanda";
    assert!(!has_label(&s, t, Label::Fax));
    assert!(!s.scan(t).contains_phi);
    // The same words about a patient's employer stay the patient's.
    let t = "From: Rosa Delgado <rdelgado@riverbendaac.org>\nTo: Front Desk \
             <frontdesk@riverbendaac.org>\nSubject: FMLA\n\nPt Ana Ruiz, DOB 3/4/1950: her \
             employer's HR fax is (614) 555-0148.\n\nRosa";
    assert!(has(&s, t, Label::Fax, "(614) 555-0148"));
}

#[test]
fn a_greeting_between_two_organisations_names_a_patient_when_the_mail_speaks_of_their_care() {
    let s = Scanner::new();
    let t = "From: Amara Chukwu <achukwu@lakeshoreohg.net>\nTo: Tyrone McAllister \
             <tyrone.mcallister@harlancreek.net>\nSubject: RE: labs??\n\nHi Tyrone,\n\nYes, \
             your labs from Thursday (10/9) are back and they are good news overall.\n\nAmara";
    assert!(has(&s, t, Label::Person, "Tyrone"));
    // A vendor's "your results" is no one's care.
    let t = "From: Colleen Ames <cames@surveyvendor.com>\nTo: Priya Rao \
             <prao@riverbendhealth.org>\nSubject: RE: sample file\n\nHi Priya,\n\nWe had a late \
             file in January that pushed your results back a week.\n\nColleen";
    assert!(!has_label(&s, t, Label::Person));
}

#[test]
fn a_patient_table_names_its_patients_for_later_lines_too() {
    let s = Scanner::new();
    // A name split in two columns; a first name from the table named again below it.
    let t = "Referrals this week:\n\nreferral_no,patient_last,patient_first,dob,status\n\
             SVPC-R-118843,Chen,Li Wei,1983-07-11,Scheduled\nSVPC-R-118910,Noor,Fatima,1994-03-08,\
             Pending auth\n\nFatima needs an interpreter.\n";
    for v in ["Chen", "Li Wei", "Noor", "Fatima"] {
        assert!(has(&s, t, Label::Person, v), "{v}");
    }
    assert_eq!(
        labels(&s, t)
            .iter()
            .filter(|(l, v)| *l == Label::Person && v == "Fatima")
            .count(),
        2
    );
    // A pre-placement exam's candidates beside their dates of service.
    let t = "Candidate,DOS,Plant,Amount\n\"Castillo, Brenda\",10/01/2025,DEL,$185.00\n\
             \"Okafor, Chinedu\",10/01/2025,DEL,$185.00\n";
    assert!(has(&s, t, Label::Person, "Castillo, Brenda"));
    // A place in a name column gives no name to later lines, and a staff roster with first
    // and last names but no patient column is no patient table.
    let t = "Site | Patient | MRN\nNorth | Pine Ridge | RB-0044807\n\nAlso: Pine Ridge router \
             stalled again.\n";
    assert!(!has(&s, t, Label::Person, "Pine"));
    let t = "last name,first name,extension,shift\nNoor,Fatima,4410,days\n\nFatima covers \
             the front desk.\n";
    assert!(!has_label(&s, t, Label::Person));
}

#[test]
fn a_time_opening_a_table_row_whose_name_only_the_table_gives_is_an_appointment() {
    let s = Scanner::new();
    let t = "Time  | Patient                   | DOB        | MRN\n\
             ------+---------------------------+------------+------------\n\
             10:45 | Ferreira, Joaquim         | 06/22/1971 | RB-0044807\n";
    assert!(has(&s, t, Label::Date, "10:45"));
    // A time on a line without a name is left alone.
    let t = "Time  | Room | Note\n10:45 | OR 2 | turnover\n";
    assert!(!has_label(&s, t, Label::Date));
}

#[test]
fn a_fleet_vehicle_is_the_organisations() {
    let s = Scanner::new();
    let t = "bridget - van 2 (the Ford Transit, plate E 338 219, VIN 1FTBW3XM0HKA48213) threw \
             the check engine light again on the way back from St Vincent. generator for the \
             fridge still works so the vaccines are fine.\n\nRose City Fleet can take it Thurs \
             11/20 8am, work order WO-88214.";
    assert!(!has_label(&s, t, Label::Vehicle));
    let t = "Patient Ana Ruiz, DOB 3/4/1950, was hit in her car (VIN 1FTBW3XM0HKA48213); the \
             claim is with her insurer.";
    assert!(has(&s, t, Label::Vehicle, "1FTBW3XM0HKA48213"));
}

#[test]
fn a_value_wrapped_onto_the_next_line_of_prose_still_follows_its_cue() {
    let s = Scanner::new();
    let t = "Dear Mr. Fenwick,\n\nWe placed your gastric band at our hospital in 2009. Your band \
             is an AdjustaBand AP-L, serial number\nABL09-4471-2286.\n\nDr. Okafor";
    assert!(has(&s, t, Label::Device, "ABL09-4471-2286"));
    // A table's row ending in a cue is no wrapped sentence: the next row is its own.
    let t = "claim,patient,dob,payer,member,issue\nC-1,\"Okonjo, Adaeze\",12/30/1987,Medicare,\
             7CN3T64AP29,subscriber name does not match MBI\nRPT-22141,\"Okonjo, Adaeze\",\
             12/30/1987\n";
    assert!(!has(&s, t, Label::MemberId, "RPT-22141"));
    let t = "Bed | Patient | Note\n4E-401 | OYELARAN, BERNICE A | SNF placement pending - auth\n\
             4E-402 | OKAFOR, JAMES | home today\n";
    assert!(!labels(&s, t).iter().any(|(_, v)| v == "4E-402"));
}

#[test]
fn ssn_ending_in_and_ages_said_to_the_reader() {
    let s = Scanner::new();
    let t = "Ana Ruiz, DOB 3/4/1950: the authorization lists her SSN as ending in 4471.";
    assert!(has(&s, t, Label::Ssn, "4471"));
    // A card's last four is not an SSN's.
    let t = "Ana Ruiz, DOB 3/4/1950, paid with the card ending in 4471.";
    assert!(!has_label(&s, t, Label::Ssn));
    let t = "Dear Mr. Fenwick,\n\nWe know that at 91 years of age, coming in takes real effort. \
             Dr. Okafor asked me to tell you that at 93 you are our most senior patient.";
    assert!(has(&s, t, Label::Age, "91 years of age"));
    assert!(has(&s, t, Label::Age, "93"));
    // Eighty-nine and under is no identifier.
    let t = "Dear Mr. Fenwick,\n\nAt 85 you are doing well, and at 80 years of age so was I.";
    assert!(!has_label(&s, t, Label::Age));
}

#[test]
fn the_buildings_security_line_in_a_facilities_notice_is_no_patients() {
    let s = Scanner::new();
    let t = "From: Denise Halvorsen <dhalvorsen@crspine-pain.com>\nTo: All Staff \
             <allstaff@crspine-pain.com>\nSubject: Parking\n\nThe spaces by the doors are for \
             patients only; patient pick-up after sedation uses the drop-off lane. Until the \
             light is fixed, walk out in pairs. Security escort: building security \
             (614) 555-0177.\n\nDenise";
    assert!(!s.scan(t).contains_phi);
    let t = "Pt Ana Ruiz, DOB 3/4/1950, asked us to call her at (614) 555-0177 after 3.";
    assert!(has(&s, t, Label::Phone, "(614) 555-0177"));
}

#[test]
fn a_letters_date_line_a_spanish_attribution_and_a_confidentiality_footer_are_no_patients() {
    let s = Scanner::new();
    // The day the letter was written, above the addressee; the visit date in it is the
    // patient's.
    let t = "Cedar Ridge Spine & Pain\n4410 Harmon Creek Parkway, Westerville, OH 43081\n\n\
             April 8, 2025\n\nMr. Harold J. Fenwick\n38 Old Orchard Lane, Sunbury, OH 43074\n\n\
             Dear Mr. Fenwick,\n\nYour next injection is on April 15, 2025 at 9:00.\n";
    assert!(!has(&s, t, Label::Date, "April 8, 2025"));
    assert!(has(&s, t, Label::Date, "April 15, 2025"));
    // A date of birth under its label on a line of its own stays one.
    let t = "Patient: Harold Fenwick\nDOB\n03/04/1950\n\nMr. Fenwick called.";
    assert!(has(&s, t, Label::Date, "03/04/1950"));
    // Gmail's Spanish attribution dates the quoted mail.
    let t = "Hola Guadalupe, su cita es el jueves 16 de octubre a las 2:00.\n\nEl mar, 14 oct \
             2025 a las 2:05 p.m., Guadalupe Quispe <gquispe@gmail.com> escribió:\n> Si ahi \
             estaremos.\n";
    assert!(!has(&s, t, Label::Date, "14 oct 2025"));
    // The sender's number in a confidentiality footer; a patient's own number stays.
    let t = "Dear Ms. Ruiz (DOB 3/4/1950), your results are normal.\n\nThis message may contain \
             PHI. If you received this in error, please notify the sender at (614) 555-0140 and \
             delete it.";
    assert!(!has_label(&s, t, Label::Phone));
    let t = "Dear Ms. Ruiz (DOB 3/4/1950), we will call you at (614) 555-0140 with the results.";
    assert!(has(&s, t, Label::Phone, "(614) 555-0140"));
}

#[test]
fn a_reports_key_value_pairs_side_by_side_are_no_table() {
    let s = Scanner::new();
    let t = "Patient:      VOLKOV, DMITRI A          Accession:   LT25-0981423\n\
             DOB:          07/23/1969                Collected:   04/03/2025 09:52\n\
             Client MRN:   CR-0044097                Received:    04/04/2025\n";
    for v in ["DOB:", "Client MRN:"] {
        assert!(!labels(&s, t).iter().any(|(_, x)| x == v), "{v}");
    }
    assert!(has(&s, t, Label::Date, "07/23/1969"));
    // A real space-aligned table still reads.
    let t = "Name              DOB          MRN\nAva Thibodeaux    2009-05-12   RB-0044807\n";
    assert!(has(&s, t, Label::Person, "Ava Thibodeaux"));
}

#[test]
fn the_writers_number_under_their_name_is_theirs_not_a_patients() {
    let s = Scanner::new();
    // Staff signing with a first name over their number; a patient doing the same from their
    // own mailbox gives their own number.
    let t = "From: Rebecca Lindqvist <rlindqvist@ridgelineneuro.org>\nTo: All Staff \
             <allstaff@ridgelineneuro.org>\nSubject: Staff flu shots\n\nHi all,\n\nEmployee \
             flu shots are Wed Oct 22 in Conference Room B. Flu vaccination is required for \
             everyone with patient contact.\n\nRebecca\n(614) 555-0144\n";
    assert!(!has_label(&s, t, Label::Phone));
    assert!(!s.scan(t).contains_phi);
    let t = "From: Rebecca Lindqvist <rlindqvist77@gmail.com>\nTo: Front Desk \
             <frontdesk@ridgelineneuro.org>\nSubject: my appointment\n\nHi, I need to move my \
             appointment on Oct 22 for my MRI follow-up.\n\nRebecca\n(614) 555-0144\n";
    assert!(has(&s, t, Label::Phone, "(614) 555-0144"));
}

#[test]
fn an_employees_care_and_an_it_ticket_link() {
    let s = Scanner::new();
    // An employee health clinic writing to a member of staff about their own care.
    let t = "From: Tomasz Sobczak <tsobczak@calderstate.edu>\nTo: Ruth Okonkwo \
             <rokonkwo@chem.calderstate.edu>\nSubject: RE: needle stick in lab\n\nHi Ruth,\n\n\
             Yes, keep taking the Biktarvy, one tablet daily. Your baseline labs from 10/13 are \
             all normal.\n\nDr. Sobczak";
    assert!(has(&s, t, Label::Person, "Ruth"));
    assert!(s.scan(t).contains_phi);
    // A service desk's ticket link is the same for staff as for anyone: no personal token.
    let t = "Ticket INC0048213 has been updated.\n\nComment by Pavel Dunaway - 03/11/2025 \
             07:31\nPlease reboot before you log in.\n\nView: \
             https://servicedesk.bluestemchc.org/ticket/INC0048213\n";
    assert!(!has_label(&s, t, Label::Url));
    let t = "Dear Ms. Ruiz, view your results: https://portal.example.org/r/9xQ2vT7LmcA4\n";
    assert!(has_label(&s, t, Label::Url));
}

#[test]
fn a_patient_tables_time_column_holds_appointments_and_a_free_slot_is_no_one() {
    let s = Scanner::new();
    let t = "| Time  | Patient              | MRN          | Study       |\n\
             |-------|----------------------|--------------|-------------|\n\
             | 08:00 | Lindqvist-Hart, Ebba | RNE-0061102  | routine EEG |\n\
             | 09:00 | open                 |              |             |\n";
    assert!(has(&s, t, Label::Date, "08:00"));
    assert!(has(&s, t, Label::Person, "Lindqvist-Hart, Ebba"));
    assert!(!has(&s, t, Label::Person, "open"));
    // A staff rota's times are no one's appointment: no patient column.
    let t = "| Time  | Staff        | Room |\n|-------|--------------|------|\n\
             | 08:00 | Bao Nguyen   | 2    |\n";
    assert!(!has_label(&s, t, Label::Date));
}

#[test]
fn an_it_desks_portal_a_fax_servers_line_and_a_counselors_credential_are_staffs() {
    let s = Scanner::new();
    let t = "Hello Kyle,\n\nYour incident INC0094417 has been resolved. Rate us: \
             https://larchmontsh.service-now.com/survey?inc=INC0094417\n";
    assert!(!has_label(&s, t, Label::Url));
    let t = "Dear Ms. Ruiz, your video visit: https://visit.example.org/join?inc=Q7x9TT2k4\n";
    assert!(has_label(&s, t, Label::Url));
    let t = "Work notes: the referral fax queue hung. DID (717) 555-0149 was routing to the \
             failover node; patient referral faxes are re-released.";
    assert!(!has_label(&s, t, Label::Phone));
    let t = "Pt Ana Ruiz, DOB 3/4/1950: Ahmed interpreted since he did tmrw's. cb 401-555-0187 \
             after 3pm.";
    assert!(has(&s, t, Label::Phone, "401-555-0187"));
    let t = "Your intake is Friday, June 13 at 10:30 AM with Allison Brandt, LPCC. Bring your \
             insurance card, Ms. Ruiz (DOB 3/4/1950).";
    assert!(!has(&s, t, Label::Person, "Allison Brandt"));
}

#[test]
fn a_coders_list_of_visits_names_its_patients_and_a_hospital_account_is_an_account() {
    let s = Scanner::new();
    let t = "Hi Dr. Whitfield,\n\nThree of your visits are holding in my work queue:\n\n \
             - Olga Kuznetsova, 10/8 10:40 AM - E05.00, methimazole titration\n \
             - Benjamin Whitehorse, 10/8 2:15 PM - E11.22, insulin glargine\n";
    assert!(has(&s, t, Label::Person, "Olga Kuznetsova"));
    assert!(has(&s, t, Label::Person, "Benjamin Whitehorse"));
    assert!(s.scan(t).contains_phi);
    // A list of meetings is no list of patients.
    let t = "Agenda:\n - Board Meeting, 10/8 at noon\n - Staff Retreat, 10/9\n - Dr. Okafor, 10/10 \
             grand rounds\n";
    assert!(!has_label(&s, t, Label::Person));
    let t = "Subject: Re: 2nd level review - PDx - FELDMAN, RUTH E HAR 4100386092\n\nagree, \
             sepsis first.";
    assert!(has(&s, t, Label::Account, "4100386092"));
    // A word "har" in lower case is no cue.
    let t = "har har, very funny 4100386092 times.";
    assert!(!has_label(&s, t, Label::Account));
}

#[test]
fn a_facilitys_name_and_the_verb_miss_are_no_ones() {
    let s = Scanner::new();
    let t = "Summit's P&T committee approved the following formulary changes for Laurel Bend \
             facilities, effective November 1, 2025. Admissions: please screen incoming \
             referrals.";
    assert!(!has_label(&s, t, Label::Person));
    let t = "hi, can I switch to the Tuesday group? I really don't want to miss IOP, it's been \
             helping. thanks, Jasmine";
    assert!(!has(&s, t, Label::Person, "IOP"));
    let t = "Patient seen today: Miss Harper, DOB 3/4/2010, with her mother.";
    assert!(has(&s, t, Label::Person, "Harper"));
}

#[test]
fn a_form_left_in_the_readers_patient_portal_is_about_their_care() {
    let s = Scanner::new();
    let t = "From: Jordan Castellanos <jcastellanos@willowbrookedp.org>\nTo: Jasmine Oyelaran \
             <joyelaran@meridianlogistics.com>\nSubject: RE: FMLA form\n\nHi Jasmine,\n\nThe \
             form is in your patient portal under Documents.\n\nJordan";
    assert!(has(&s, t, Label::Person, "Jasmine"));
    assert!(s.scan(t).contains_phi);
    // A vendor's client portal is an organisation's.
    let t = "From: Meridian Recovery <clientservices@meridianrecovery.com>\nTo: Priya Natarajan \
             <pnatarajan@willowcresthrc.com>\nSubject: Monthly summary\n\nHi Priya,\n\nDetail \
             is in your client portal.\n\nMeridian";
    assert!(!s.scan(t).contains_phi);
}

#[test]
fn an_offices_number_wrapped_onto_its_own_line_keeps_its_cue() {
    let s = Scanner::new();
    let t = "Dear Ms. Ruiz (DOB 3/4/1950), if you have a fever over 100.4 or redness at the PICC \
             site, call us 24/7 at\n404-555-0115 and press 1 for the on-call nurse.";
    assert!(!has_label(&s, t, Label::Phone));
    // A patient's own number wrapped the same way stays hers.
    let t = "Dear Ms. Ruiz (DOB 3/4/1950), we have your new cell phone number on file now as\n\
             404-555-0115 and will text reminders there.";
    assert!(has(&s, t, Label::Phone, "404-555-0115"));
    // A table's previous row is no sentence.
    let t = "Pt Ana Ruiz, DOB 3/4/1950. Contacts:\n| Office | Clinic main line at\n404-555-0115\n";
    assert!(!labels(&s, t).is_empty());
}

#[test]
fn an_age_over_89_after_at_and_in_a_patient_tables_age_column() {
    let s = Scanner::new();
    let t = "Dear Mrs. Lindqvist,\n\nWe know that at 91, getting to appointments is not always \
             easy. At 92, your sister still calls you every week.";
    assert!(has(&s, t, Label::Age, "91"));
    assert!(has(&s, t, Label::Age, "92"));
    // A reading after "at" is no age.
    let t = "Pt Ana Ruiz, DOB 3/4/1950: sats at 92, on 2L.";
    assert!(!has_label(&s, t, Label::Age));
    let t = "| Bed | Patient            | MRN         | Age |\n|-----|--------------------|-------------|-----|\n\
             | 4A  | Haskins, Mildred   | 00-218-7764 | 94  |\n| 4B  | Pruitt, Vernon     | \
             00-218-7765 | 71  |\n";
    assert!(has(&s, t, Label::Age, "94"));
    assert!(!has(&s, t, Label::Age, "71"));
}

#[test]
fn a_census_table_with_an_age_column_lists_patients() {
    let s = Scanner::new();
    let t = "| Rm    | Resident                | Age/Sex | Payer      |\n\
             | 108-A | ESQUIVEL ORTIZ, RAMON   | 77 M    | Medicare A |\n";
    assert!(has(&s, t, Label::Person, "ESQUIVEL ORTIZ, RAMON"));
    // A residency program's rota has no ages: no column is read.
    let t = "| Day   | Resident                | Service    |\n| Mon   | PRUITT, ELEANOR        | \
             Medicine   |\n";
    assert!(!s.scan(t).findings.iter().any(|f| f.rule == "table.column"));
}

#[test]
fn a_medicaid_recipient_number_and_a_home_health_episode() {
    let s = Scanner::new();
    let t = "Dear Mr. Qureshi, her Medical Assistance recipient number on file is 4418203357 and \
             the HH episode #: ECH-25-001487 closes Friday.";
    assert!(has(&s, t, Label::MemberId, "4418203357"));
    assert!(has(&s, t, Label::OtherId, "ECH-25-001487"));
    // A delivery's recipient and an episode of a podcast are no one's identifiers.
    let t = "Package recipient: loading dock B. Listen to episode 14 of our podcast.";
    assert!(!has_label(&s, t, Label::MemberId));
    assert!(!has_label(&s, t, Label::OtherId));
}

#[test]
fn two_capitals_before_a_word_are_an_acronym_not_a_first_name() {
    let s = Scanner::new();
    let t = "Pt Ana Ruiz, DOB 3/4/1950, was moved from the ED Bay 14 to 5W. Print the census \
             (Reports > Downtime > ED Board) before the window.";
    assert!(!labels(&s, t).iter().any(|(_, v)| v.starts_with("ED")));
    // A name in capitals stays a name.
    let t = "Pt ED SMITH, DOB 3/4/1950, called about her refill.";
    assert!(has_label(&s, t, Label::Person));
}

#[test]
fn a_portal_sign_in_alert_for_a_parents_proxy_access_is_about_a_patient() {
    let s = Scanner::new();
    let t = "From: BrightwaterConnect <security@brightwaterconnect-mail.com>\nTo: \
             megan.lindqvist@yahoo.com\nSubject: New sign-in to your account\n\nHi Megan,\n\nWe \
             noticed a new sign-in to your BrightwaterConnect account (proxy access for Oliver \
             Lindqvist).\n\n  When:      Oct 14, 2025, 11:19 AM EDT\n  IP:        73.144.208.19\n\n\
             If this was you, you don't need to do anything.\n";
    assert!(s.scan(t).contains_phi);
    // Staff training on how proxy access works names no patient.
    let t = "From: Lina Ortiz <lortiz@brightwaterpeds.org>\nTo: All Staff \
             <allstaff@brightwaterpeds.org>\nSubject: Portal training\n\nHi all,\n\nTraining on \
             setting up proxy access is Thursday 3/5 at noon in Room B.\n\nLina";
    assert!(!s.scan(t).contains_phi);
}

#[test]
fn a_sterilizers_serial_under_a_spore_test_subject_is_the_offices() {
    let s = Scanner::new();
    let t = "Subject: Weekly spore test results - all PASS (wk of 10/6)\n\
             \n\
             Results back from the mail-in lab for last week. All passed.\n\
             \n\
             Sterilizer                    Serial           Test date   Strip lot   Result   Lab ref\n\
             ----------------------------  ---------------  ----------  ----------  -------  ------------\n\
             Knox - Statim 5000 (OR side)  SN 5110-22871    10/06/2025  BI-25-0831  PASS     SP-77310482\n\
             Knox - Midmark M11 #1         SN V4482019      10/07/2025  BI-25-0831  PASS     SP-77310483\n\
             Knox - Midmark M11 #2         SN V4482655      10/07/2025  BI-25-0831  PASS     SP-77310484\n\
             Maryville - Midmark M9        SN V3317201      10/08/2025  BI-25-0831  PASS     SP-77310485\n\
             \n\
             Printed certificates are in the OSHA binder. Control vials were positive as expected.\n\
             \n\
             Heads up: Midmark #2 is due for annual PM on 11/4. Service tech (Bill) confirmed 8:00 AM so it'll be down until ~10. We'll run everything through #1 and the Statim that morning.\n\
             \n\
             ";
    assert!(!has_label(&s, t, Label::Device));
    let t = "Subject: CPAP for Ana Ruiz (DOB 3/4/1950)\n\nHer machine is a ResMed AirSense 10, \
             SN 23171438592, due for a new filter.";
    assert!(has(&s, t, Label::Device, "23171438592"));
}

#[test]
fn a_patients_our_benefits_center_is_their_employers() {
    let s = Scanner::new();
    let t = "From: Kara Lindell <kara.lindell@gmail.com>\nTo: Front Desk \
             <frontdesk@lakepeds.org>\nSubject: FMLA form\n\nHi, Dr. Lee needs to sign my FMLA \
             form for Harper's operation. Can you fax it right to our benefits center? The fax # \
             is 815-555-0108. Thank you!";
    assert!(has(&s, t, Label::Fax, "815-555-0108"));
    // Staff writing "fax it to our benefits office" give their own.
    let t = "From: Dana Holt <dholt@lakepeds.org>\nTo: Kara Lindell <kara.lindell@gmail.com>\n\
             Subject: FMLA form\n\nHi Kara, Harper's FMLA form is done. If your employer needs \
             more, they can fax it to our benefits office. The fax # is 815-555-0108.";
    assert!(!has_label(&s, t, Label::Fax));
}

#[test]
fn a_record_number_after_a_specimen_or_incident_cue_is_an_identifier_but_no_evidence() {
    let s = Scanner::new();
    let t = "Pt Maria Lopez, DOB 3/4/1950: two units crossmatched. Specimen BB26-030411 good \
             through 3/7; new sample needed after that.";
    assert!(has(&s, t, Label::OtherId, "BB26-030411"));
    let t = "Patient: Castellanos, Ruben  DOB 02/11/1951\nRun / incident # ...... TC25-031907\n";
    assert!(has(&s, t, Label::OtherId, "TC25-031907"));
    // A courier's police report in a message about no one's care; "Incident INC0048290" is
    // still an IT ticket.
    let t = "Minor accident at the light on S Front St. No one hurt. Police came, report # \
             24-SPD-06612. Cargo is fine, logger still in range.";
    assert!(!s.scan(t).contains_phi);
    let t = "Pt Maria Lopez, DOB 3/4/1950, could not join her visit. Incident INC0048290 has \
             been opened for the video platform.";
    assert!(!has_label(&s, t, Label::OtherId));
}

#[test]
fn a_licence_number_later_in_its_sentence_and_a_birth_record_number_are_licences() {
    let s = Scanner::new();
    let t = "Hi Ms. Ortega (DOB 4/9/1961), the copy of your driver's license we have on file \
             (RT449182) expired in March, so we need a new copy.";
    assert!(has(&s, t, Label::License, "RT449182"));
    let t = "Baby girl Reyes, DOB 9/21/2024. Proof of ID: crib card + birth cert #136-2024-018832";
    assert!(has(&s, t, Label::License, "136-2024-018832"));
    let t = "Decedent: Frances Yvonne Albright, DOB 1/2/1931\n  State file no.:    2024-0318776\n";
    assert!(has(&s, t, Label::License, "2024-0318776"));
    // A year and a phone number later in the sentence are no licence; a technician's
    // certificate is no evidence of PHI.
    let t = "Hi Ms. Ortega (DOB 4/9/1961), your driver's license expired in 2023, call \
             614-555-0188.";
    assert!(!has_label(&s, t, Label::License));
    let t = "Quarterly pest control report\nTechnician: Luis Mendoza, WI Cert #48821\nVisits \
             this quarter: 13 scheduled";
    assert!(!s.scan(t).contains_phi);
}

#[test]
fn a_loaner_sent_home_a_transmitter_and_serial_numbers_are_devices_and_a_range_is_not() {
    let s = Scanner::new();
    let t = "Visited Mr. Ruiz (DOB 3/4/1950) today. I gave him one of our loaner glucometers, \
             serial GM4-77103852, and strips.";
    assert!(has(&s, t, Label::Device, "GM4-77103852"));
    let t = "Student: Maya Ortiz, DOB 2/2/2012\nCGM: Dexcom G6, transmitter ID 8RX4KD - shares to \
             mom's phone";
    assert!(has(&s, t, Label::Device, "8RX4KD"));
    let t = "Mrs. Ruiz (DOB 3/4/1950) lost her hearing aids, serial numbers 2214L0937 (left) and \
             2214R0941 (right).";
    assert!(has(&s, t, Label::Device, "2214L0937"));
    // A maker's field notice names a range of serials; a loaner on the shelf is the clinic's.
    let t = "Dear Physician, a subset of Arcturo VR ICDs (serial numbers AVR330000 - AVR341999) \
             may charge slowly. Enable the Charge Time Alert at each patient's next follow-up.";
    assert!(!has_label(&s, t, Label::Device));
    let t = "Biomed: the loaner infusion pump, serial LP4-22104, is back on the shelf in room 2.";
    assert!(!has_label(&s, t, Label::Device));
}

#[test]
fn an_age_over_89_after_is_or_at_is_an_age_and_a_reading_is_not() {
    let s = Scanner::new();
    let t = "Visited Mr. Ruiz (DOB 3/4/1950). Client is 93, A&O x2, pleasant. His mother is now \
             94) and lives with them.";
    assert!(has(&s, t, Label::Age, "93"));
    let t = "Ms. Ruiz (DOB 3/4/1934): at 91 and with the knee, that trip isn't worth it.";
    assert!(has(&s, t, Label::Age, "91"));
    // Readings, counts and prices after "is" or "at".
    let t = "Mr. Ruiz (DOB 3/4/1950): HR is 96, sats at 92, on 2L; the bill was 110, paid.";
    assert!(!has_label(&s, t, Label::Age));
}

#[test]
fn a_lot_a_one_letter_direction_and_idaho_do_not_break_an_address_and_its_zip() {
    let s = Scanner::new();
    let t = "Patient: Ann Pruitt\nDOB: 12/19/1950\nAddress: 1407 Tillman Rd, Lot 22, East \
             Calder, OH 44873\nPhone: none working";
    assert!(has(&s, t, Label::Zip, "44873"));
    let t = "Ann Pruitt, DOB 11-02-1990\nNew address: 3320 Bryant Ave S, Apt 4, Minneapolis, MN \
             55408";
    assert!(has(&s, t, Label::Zip, "55408"));
    let t = "Ann Pruitt, DOB 12/19/1950\nAddress:   77 Spring Hollow Rd, Cutler, ID 83238";
    assert!(has(&s, t, Label::Zip, "83238"));
    assert!(!has_label(&s, t, Label::OtherId));
    // A name, then an ID: the identifier stays one.
    let t = "Patient: Jones, ID 55123, seen today for follow-up of her diabetes.";
    assert!(!has_label(&s, t, Label::Zip));
}

#[test]
fn the_last_four_of_an_ssn_are_an_ssn_and_a_cards_are_not() {
    let s = Scanner::new();
    let t = "Re: Margaret Oduya, DOB 3/11/1961. The last four of the SSN written on the form \
             (4457) does not match our registration record.";
    assert!(has(&s, t, Label::Ssn, "4457"));
    let t = "My account # is 100482719 and last 4 of my SS is 5218 if you need it. Call me at \
             home 440-555-0106. Pt DOB 3/11/1961.";
    assert!(has(&s, t, Label::Ssn, "5218"));
    let t = "Patricia Ng\nDOB: 06/02/1987     SSN (last 4, per your intake form): 6630\n";
    assert!(has(&s, t, Label::Ssn, "6630"));
    // A card's last four beside an SSN mention; a date after "last"; never evidence alone.
    let t = "Pt DOB 3/11/1961 declined to give her SSN; she paid with the card ending in 4417 \
             (last four 4417 on the card).";
    assert!(!has_label(&s, t, Label::Ssn));
    let t = "Dear Ms. Ng, your SSN is not needed. Your last 4 visits were on 3/11/2025.";
    assert!(!has_label(&s, t, Label::Ssn));
}

#[test]
fn a_patients_account_later_in_the_sentence_or_in_brackets_is_an_account() {
    let s = Scanner::new();
    let t = "I got a bill for my wife Dorothy M. Fossum (DOB 3/4/1950). The account number on the \
             bill is 200388147. She was in your emergency room on October 3rd.";
    assert!(has(&s, t, Label::Account, "200388147"));
    let t = "Dear Ms. Fossum (DOB 3/4/1950), about your hospital stay from January 14 to January \
             17, 2025 (account 7100439185): the diagnosis was corrected.";
    assert!(has(&s, t, Label::Account, "7100439185"));
    let t = "Dorothy Fossum, DOB 3/4/1950: the hospital already sent a bill for the baby, account \
             HB-90044127, saying insurance denied it.";
    assert!(has(&s, t, Label::Account, "HB-90044127"));
    // An organisation's account with its supplier, named right before the bracket.
    let t = "Shipped 3/4/2026 for Pt Dorothy Fossum (DOB 3/4/1950).\nCustomer: Ashford Regional \
             Medical Center (acct 100448-ARMC)";
    assert!(!has_label(&s, t, Label::Account));
}

#[test]
fn an_office_number_to_fax_or_call_back_is_not_the_patients() {
    let s = Scanner::new();
    let t = "Referral for Ana Ruiz (DOB 3/4/1950) attached. Please fax the consult note back to \
             (740) 555-0111 or reply here.";
    assert!(!has_label(&s, t, Label::Phone) && !has_label(&s, t, Label::Fax));
    let t = "Sra. Ruiz (DOB 3/4/1950): Si necesita cambiar la hora, llame al (937) 555-0140, \
             opción 2.";
    assert!(!has_label(&s, t, Label::Phone));
    // Someone's own office, and the patient's own number, stay.
    let t = "Dear Ms. Ruiz (DOB 3/4/1950), your son Paulo asked that we also fax a copy to his \
             office, and I have sent it to (724) 555-0133 this morning.";
    assert!(has_label(&s, t, Label::Fax) || has_label(&s, t, Label::Phone));
    let t = "Ana Ruiz, DOB 3/4/1950, says her new cell is 614-555-0147.";
    assert!(has(&s, t, Label::Phone, "614-555-0147"));
}

#[test]
fn a_number_under_a_job_title_is_the_signers_and_a_patients_stays() {
    let s = Scanner::new();
    let t = "Record for Ana Ruiz (DOB 3/4/1950) updated in the registry.\n\nDana Pruitt\nData \
             Quality Specialist\nCommonwealth Immunization Registry\n(717) 555-0400 | Mon-Fri\n";
    assert!(!has_label(&s, t, Label::Phone));
    let t = "Ana Ruiz (DOB 3/4/1950) is scheduled.\n\nDenise\n\nDenise Kowalczyk | Hearing \
             Coordinator | OMFH\n614-555-0143\n";
    assert!(!has_label(&s, t, Label::Phone));
    // The patient's own number after a label under a line that names a job.
    let t = "Claim for Ana Ruiz (DOB 3/4/1950)\nAdjuster: Carla Benning, 630-555-0177 ext 412\n\
             Pt cell 630 555 0132\n";
    assert!(has(&s, t, Label::Phone, "630 555 0132"));
}

#[test]
fn the_time_of_a_phone_call_is_not_a_date_of_care() {
    let s = Scanner::new();
    let t = "Pt Ana Ruiz (DOB 3/4/1950) on prednisone. I tried him at 267-555-0145 at 2:50, left a \
             vm to call back.";
    assert!(!has(&s, t, Label::Date, "2:50"));
    // A time of care stays.
    let t = "Pt Ana Ruiz (DOB 3/4/1950) fell at 2:50 and was seen in the ED.";
    assert!(has(&s, t, Label::Date, "2:50"));
}

#[test]
fn a_lower_case_display_name_before_a_personal_mailbox_is_a_person() {
    let s = Scanner::new();
    let t = "Subject: my pills\nFrom: \"dorothy mae pruitt\" <dotpruitt1932@aol.com>\nTo: Lakeside \
             Internal Medicine <frontdesk@lakesideim.com>\n\ni need a refill of my lisinopril";
    assert!(has(&s, t, Label::Person, "dorothy mae pruitt"));
    // After wide Unicode spaces (the offsets are the line's, not the bytes').
    let t = "Subject: x\n\u{2003}\u{2003}From: joseph kuznetsov <bigjoe.kuz62@aol.com>\n\nrefill \
             my lisinopril";
    assert!(has(&s, t, Label::Person, "joseph kuznetsov"));
    // An office's mailbox: its lower-case name is no one's.
    let t = "From: scheduling desk <scheduling@lakesideim.com>\nTo: Dana <dana@lakesideim.com>\n\n\
             Tuesday's clinic is full.";
    assert!(!has_label(&s, t, Label::Person));
}

#[test]
fn a_record_number_after_a_name_and_an_age_is_the_patients() {
    let s = Scanner::new();
    let t = "Jenna, free for a warm handoff in room 4? Donna Whitaker, 52, LC-0050188, tearful, PHQ \
             16, recently lost her job.";
    assert!(has(&s, t, Label::Mrn, "LC-0050188"));
    let t = "Sat night I saw Harold Voss, 67 y/o M (AR-0387760, DOB 2/18/1959), with 2 days of \
             chest pain.";
    assert!(has(&s, t, Label::Mrn, "AR-0387760"));
    // An age and then a date or a phone number is no record number.
    let t = "Donna Whitaker, 52, 614-555-0199, called about her refill.";
    assert!(!has_label(&s, t, Label::Mrn));
}

#[test]
fn a_plans_name_or_an_insurance_line_before_an_id_makes_it_a_member_id() {
    let s = Scanner::new();
    let t = "Pt: Ana Ruiz, DOB 3/4/1950\nMedicare: 4TR7-JK2-MX19\nSecondary: AARP supplement \
             39172840611\n";
    assert!(has(&s, t, Label::MemberId, "39172840611"));
    let t = "Pt: Ana Ruiz, DOB 3/4/1950\nIns: Lakeshore Mutual PPO, ID LKM448102976\n";
    assert!(has(&s, t, Label::MemberId, "LKM448102976"));
    // A supplement's dose is no one's number.
    let t = "Pt: Ana Ruiz, DOB 3/4/1950. Start vitamin D supplement 2000 IU daily.";
    assert!(!has_label(&s, t, Label::MemberId));
}

#[test]
fn a_weak_cue_before_unknown_names_leaves_the_name_to_the_birth_date_after_it() {
    let s = Scanner::new();
    let t = "Following up on your fax this morning regarding Deepak Raghunathan, DOB 05/29/1987, \
             Rx# 4410287.";
    assert!(has(&s, t, Label::Person, "Deepak Raghunathan"));
    let t = "Thank you for the referral for Anjali Deshmukh, DOB 1/23/1991, for a power mobility \
             evaluation.";
    assert!(has(&s, t, Label::Person, "Anjali Deshmukh"));
    // A weak cue before a place or a programme with nothing after it names no one.
    let t = "Thanks again for Bright Horizons Daycare and the coffee.";
    assert!(!has_label(&s, t, Label::Person));
}

#[test]
fn a_health_record_number_is_a_chart_number() {
    let s = Scanner::new();
    let t = "Client: Loren D. Wolfchild\nDOB: Dec 8, 1990\nKBTHS HRN: KB-011962\nDx: F11.20";
    assert!(has(&s, t, Label::Mrn, "KB-011962"));
    let t = "Referring Raymond Whitecalf (DOB 8/25/1972, Health Record #: KB-007340) for \
             debridement.";
    assert!(has(&s, t, Label::Mrn, "KB-007340"));
    let t = "Hi Maxine,\n\n  Name                 HRN          Last retinal    Slot\n  Gilbert Ropes        \
             KB-001573    05/2022         9:00\n  Harold Bearchild     KB-002287    11/2023         \
             9:40\n\nThanks";
    assert!(has(&s, t, Label::Mrn, "KB-001573"));
    assert!(has(&s, t, Label::Person, "Harold Bearchild"));
    // The word alone, with no number, is no record.
    let t = "The HRN lookup screen moves to the new menu on Tuesday.";
    assert!(!has_label(&s, t, Label::Mrn));
}

#[test]
fn table_columns_read_prior_auth_serial_and_whose_account_headings() {
    let s = Scanner::new();
    let t = "Team - where things stand.\n\nPatient             | Payer        | PA #            | \
             Status\nRUIZ, HECTOR        | Lakeshore HP | PA 26-0047719   | approved\nWHITLOCK, \
             TERRENCE   | Lakeshore HP | submitted 3/10  | expedite requested\n";
    assert!(has(&s, t, Label::OtherId, "PA 26-0047719"));
    // A cell that says where the number stands holds none.
    assert!(!has(&s, t, Label::OtherId, "submitted 3/10"));
    let t = "Patient             | Acct    | What                    | Serial(s)             | \
             Amt\nNowak, Irene        | A-51102 | Phonak Audeo L90-R pair | 2301H1Z8A / 2301H1Z8B | \
             5980.00\nAlbright, Margaret  | A-49903 | replacement charger     | -                     | \
             150.00\n";
    assert!(has(&s, t, Label::Device, "2301H1Z8A"));
    assert!(has(&s, t, Label::Device, "2301H1Z8B"));
    assert!(!has(&s, t, Label::Device, "-"));
    let t = "Student          | Student Acct # | DOS        | Amount\nMoreau, Juliette | \
             SA-40021877    | 10/06/2025 | $45.00\n";
    assert!(has(&s, t, Label::Account, "SA-40021877"));
    assert!(has(&s, t, Label::Person, "Moreau, Juliette"));
}

#[test]
fn a_signature_block_under_a_first_name_and_a_blank_line_is_the_writers() {
    let s = Scanner::new();
    let sig = "Thanks,\nSharon\n\nSharon Pickett | HR Generalist\nKettle Butte Tribal Health \
               Services\nPO Box 410, Kettle Butte, MT 59427\n406-555-0102 | HR fax 406-555-0103\n";
    let t = format!("Supervisors,\n\nThe CHR positions close 03/27/2026. Please share.\n\n{sig}");
    assert!(!has_label(&s, &t, Label::Fax));
    assert!(!s.scan(&t).contains_phi);
    // A patient's employer's fax above the closing is still the patient's side.
    let t = format!(
        "Patient: Ana Ruiz, DOB 3/4/1950. Please fax her work note to her employer's HR \
         department at 406-555-0177.\n\n{sig}"
    );
    assert!(has(&s, &t, Label::Fax, "406-555-0177"));
}

#[test]
fn a_mailing_list_or_a_greeted_group_is_no_person() {
    let s = Scanner::new();
    let t = "From: Riverbend Seating <news@riverbendseating.org>\nTo: Rolling Forward subscribers \
             <rollingforward@lists.riverbendseating.org>\nSubject: Spring newsletter\n\nCheck \
             your tire pressure this spring.";
    assert!(!has(&s, t, Label::Person, "Rolling Forward"));
    // Mail to the list: a name after a cue word in it is no patient's without words of care.
    let t = format!("{t} You get this because you signed up for Rolling Forward.");
    assert!(!s.scan(&t).contains_phi);
    let t = "From: CRU Student Health <insurance@shc.example.edu>\nTo: undisclosed-recipients:;\n\
             Subject: Waiver deadline\n\nDear Calder Ridge students,\n\nSubmit your waiver by \
             October 31.";
    assert!(!has_label(&s, t, Label::Person));
    // One person greeted in mail to their own mailbox is that person.
    let t = "From: CRU Student Health <insurance@shc.example.edu>\nTo: Maya Delacroix \
             <maya.delacroix@gmail.com>\nSubject: Your waiver\n\nDear Maya Delacroix,\n\nYour \
             waiver needs a copy of your insurance card.";
    assert!(has(&s, t, Label::Person, "Maya Delacroix"));
}

#[test]
fn the_label_nearest_a_number_says_phone_or_fax() {
    let s = Scanner::new();
    let t = "When a patient receives emergency care without a referral, the patient must notify \
             us within 72 hours. Notification can be made by phone 406-555-0112, fax 406-555-0119, \
             or in person.";
    assert!(!has(&s, t, Label::Phone, "406-555-0119"));
    assert!(!has(&s, t, Label::Fax, "406-555-0119"));
    // The patient's own number after "phone" is still found.
    let t = "Patient Ana Ruiz, DOB 3/4/1950, best phone 406-555-0188.";
    assert!(has(&s, t, Label::Phone, "406-555-0188"));
}

#[test]
fn equipment_under_a_calibration_subject_and_a_fleet_van_are_the_organisations() {
    let s = Scanner::new();
    let t = "Subject: Annual calibration - Cedar Ridge (2 locations)\n\nEquipment list:\n- GSI \
             AudioStar Pro, s/n AS2-118734 (Booth 1)\n- Interacoustics AD629, s/n 3318207\n";
    assert!(!has_label(&s, t, Label::Device));
    assert!(!s.scan(t).contains_phi);
    let t = "Subject: Repair update\n\nMs. Nowak, your hearing aid s/n 2301H1Z8A is back from \
             Phonak.";
    assert!(has(&s, t, Label::Device, "2301H1Z8A"));
    let t = "The clinic van is due for inspection:\n   2017 Ford Transit 350, white, VIN \
             1FTBW3XM6HKA58213, plate RSM 2200 (fleet)\n";
    assert!(!has_label(&s, t, Label::Vehicle));
    let t = "Claim for Ana Ruiz, DOB 3/4/1950: her car, VIN 1FTBW3XM6HKA58213, was rear-ended.";
    assert!(has(&s, t, Label::Vehicle, "1FTBW3XM6HKA58213"));
}

#[test]
fn a_phone_number_after_a_record_word_is_a_phone_number() {
    let s = Scanner::new();
    let t = "Patient Ana Ruiz missed her session. Her cell in chart is 614-555-0191.";
    assert!(!has_label(&s, t, Label::Mrn));
    assert!(has(&s, t, Label::Phone, "614-555-0191"));
    let t = "Patient Ana Ruiz missed her session. Chart 00412345.";
    assert!(has(&s, t, Label::Mrn, "00412345"));
}

#[test]
fn a_given_name_and_an_unknown_surname_before_what_the_person_did_is_a_name() {
    let s = Scanner::new();
    let t = "Bri -\n\nMaya Delacroix completed step 5 of the RTP progression this morning, \
             asymptomatic throughout. Cleared for practice as of 10/14/2025.\n\nDx S06.0X0D";
    assert!(has(&s, t, Label::Person, "Maya Delacroix"));
    assert!(s.scan(t).contains_phi);
    // A care home after a given name, and a colleague after her role, are not patients.
    let t = "Maple Terrace is expecting her Thursday; the hospital is on track.";
    assert!(!has(&s, t, Label::Person, "Maple Terrace"));
    let t = "Also our new midwife Tess Vandermolen needs the Nexplanon training before she starts.";
    assert!(!has(&s, t, Label::Person, "Tess Vandermolen"));
}

#[test]
fn a_surname_after_a_bullet_and_a_room_code_is_a_patients() {
    let s = Scanner::new();
    let t = "Hannah - handing off.\n\nInpt:\n- 512A Kowalczyk - shield weaned, latching w/o it \
             since lunch. D/c tmrw.\n- 4W 411 Wojcik - SW saw her this afternoon. WIC referral \
             sent.\n";
    assert!(has(&s, t, Label::Person, "Kowalczyk"));
    assert!(has(&s, t, Label::Person, "Wojcik"));
    // A room's supplies are no one.
    let t = "Restock:\n- 512A Linens - two carts\n- 4W 411 Gloves - size M\n";
    assert!(!has_label(&s, t, Label::Person));
}

#[test]
fn a_pt_column_is_a_table_of_patients_on_its_own() {
    let s = Scanner::new();
    let t = "queue as of this am\n\n| Pt             | Item                    | Status       |\n\
             |----------------|-------------------------|--------------|\n| Brenneman, H.  | R \
             TT definitive socket    | trimming     |\n| Kuzniak, W.    | pin lock repair         \
             | waiting      |\n";
    assert!(has(&s, t, Label::Person, "Brenneman, H."));
    assert!(has(&s, t, Label::Person, "Kuzniak, W."));
    // A cell that is no name is not read as one.
    let t = "| Pt  | Item   | Status |\n| new | socket | done   |\n";
    assert!(!has_label(&s, t, Label::Person));
}

#[test]
fn someone_from_our_team_or_an_organisation_spelled_like_its_domain_is_no_patient() {
    let s = Scanner::new();
    let t = "Confirming Thursday for the in-service on referral of a ventilated patient. Tasha \
             Greenlee from our education team will present with me.";
    assert!(!has_label(&s, t, Label::Person));
    let t = "Patient list: Ana Ruiz, DOB 3/4/1950, from our clinic's panel.";
    assert!(has(&s, t, Label::Person, "Ana Ruiz"));
    let t = "From: Greg Halvorsen <ghalvorsen@brightwaterltc.com>\nTo: Janelle Fortier \
             <jfortier@oakviewcommons.com>\nSubject: next steps\n\nHere's what we'd bring to \
             Oakview Commons: daily deliveries for your patients.";
    assert!(!has(&s, t, Label::Person, "Oakview Commons"));
    let t = "  Facility                   Census cutoff\n  St. Agnes Manor            Mar 19\n";
    assert!(!has_label(&s, t, Label::Person));
    // A person whose surname is also a domain's word is still a person.
    let t = "To: Janelle Fortier <jfortier@oakviewcommons.com>\n\nPatient Ana Oakview, DOB \
             3/4/1950, moves in Friday.";
    assert!(has(&s, t, Label::Person, "Ana Oakview"));
}

#[test]
fn a_fleet_or_rental_plate_is_the_organisations_on_its_own_line() {
    let s = Scanner::new();
    let t = "- Personal vehicle: start from your home or the office.\n- Fleet vehicles: log the \
             odometer every trip. Unit 1 (white Explorer, OH plate TRDA 01).\n";
    assert!(!has_label(&s, t, Label::Vehicle));
    let t = "Since your flight moved we'll cover the extra day:\n  Rental (Enterprise, conf \
             4410283375, plate TXR 8812): extra day $61.18\n";
    assert!(!has_label(&s, t, Label::Vehicle));
    let t = "Patient Ana Ruiz, DOB 3/4/1950, parks in lot B: her car, OH plate TRDA 01.";
    assert!(has(&s, t, Label::Vehicle, "TRDA 01"));
}

#[test]
fn a_table_address_cell_keeps_its_zip_apart_and_prose_is_no_address() {
    let s = Scanner::new();
    let t = "new admits\n\ndob | patient | address | mi\n03/04/1950 | Harriet Olmstead | 418 \
             Quail Run Ct, Ocala, FL 34472 | 14.2\n05/06/1941 | Bill Szymanski | same as above | \
             14.2\n";
    assert!(has(&s, t, Label::Address, "418 Quail Run Ct, Ocala, FL"));
    assert!(has(&s, t, Label::Zip, "34472"));
    assert!(!has(&s, t, Label::Address, "same as above"));
}

#[test]
fn procedure_codes_after_an_authorisation_cue_are_no_identifier() {
    let s = Scanner::new();
    let t = "1. Prior authorization for D9222/D9223 in a hospital setting must include a behavior \
             rating.";
    assert!(!has_label(&s, t, Label::OtherId));
    let t = "Patient Ana Ruiz: prior authorization PA-26-0039125 approved.";
    assert!(has(&s, t, Label::OtherId, "PA-26-0039125"));
}

#[test]
fn someone_beside_the_writer_is_staff_but_a_husband_is_family() {
    let s = Scanner::new();
    let t = "Confirming our booth. Two of us will be there (me and Carmen Villalobos) from 9:30. \
             We'll have info on doula coverage for patients.";
    assert!(!has_label(&s, t, Label::Person));
    let t = "Patient Ana Ruiz, DOB 3/4/1950: my husband Joe Martinez and I will come Friday.";
    assert!(has(&s, t, Label::Person, "Joe Martinez"));
}

#[test]
fn the_writers_own_name_block_is_a_signature_without_a_closing_word() {
    let s = Scanner::new();
    let head = "From: Thomas Keane <tkeane@aldercreekvh.org>\nTo: ACSVH All Staff \
                <allstaff@aldercreekvh.org>\nSubject: items\n\nTeam,\n\nCall bells within reach of \
                every patient at all times.\n\nTom\n\n";
    let t = format!(
        "{head}Thomas J. Keane, Col. USA (Ret.)\nCommandant\nAlder Creek State Veterans Home\n\
         (717) 555-0102 | 1500 Veterans Memorial Hwy, Harlan Springs, PA 17361\n"
    );
    assert!(!has_label(&s, &t, Label::Phone));
    assert!(!has_label(&s, &t, Label::Address));
    assert!(!s.scan(&t).contains_phi);
    // A patient's name over their own number is no staff signature.
    let t = "From: Amadou Diallo <amadou.diallo@bluewren.page>\nTo: Billing Office \
             <billing@sandhillsems.net>\nSubject: I dispute this charge\n\nI never went to the \
             hospital after my fall; please look at the run report again.\n\nAmadou Diallo\n\
             308-555-0184\n";
    assert!(has(&s, t, Label::Phone, "308-555-0184"));
}

#[test]
fn an_age_bracket_and_a_list_of_towns_or_abbreviations_are_no_one() {
    let s = Scanner::new();
    let t = "Average client age 78; 71% live alone; 3 clients were aged 90+.";
    assert!(!has_label(&s, t, Label::Age));
    let t = "Patient Ana Ruiz, aged 90, lives alone.";
    assert!(has(&s, t, Label::Age, "aged 90"));
    let t = "to cover the north end of the service area (Sidney, Anna, Botkins) for home safety \
             evaluations of clients";
    assert!(!has_label(&s, t, Label::Person));
    let t = "bridging for high risk only (recent stroke/TIA, VTE within 3 months) in patients on \
             warfarin";
    assert!(!has_label(&s, t, Label::Person));
    // A name in capitals with a keyword after it, or a short name the lists know, stays one.
    let t = "Your shipment for patient PEARCE, LORETTA, Rx 6620418, ships today.";
    assert!(has(&s, t, Label::Person, "PEARCE, LORETTA"));
    let t = "Worklist:\nLEE, ANN  MRN 00412345  room 4\n";
    assert!(has(&s, t, Label::Person, "LEE, ANN"));
}

#[test]
fn birth_inside_an_organisations_name_is_no_birth_date() {
    let s = Scanner::new();
    let t = "Hi Trina,\n\nConfirming Hearthstone Birth Collective for booth B-14 on Saturday Nov 1. \
             Two of us will be there.";
    assert!(!s.scan(t).contains_phi);
    let t = "Intake for Ana Ruiz\nBirth Date: 11/01/1950\nPlan: OHP";
    assert!(has(&s, t, Label::Date, "11/01/1950"));
    assert!(s.scan(t).contains_phi);
}

#[test]
fn saw_before_a_name_and_a_surname_after_pt_then_a_verb_are_patients() {
    let s = Scanner::new();
    let t = "Saw Simon Achterberg today for psych f/u.\n\n- PHQ-9 17, denies SI.";
    assert!(has(&s, t, Label::Person, "Simon Achterberg"));
    let t = "Open stuff:\n- 5N-512 pt Pettiford is using her own BiPAP tonight (we cleared it this \
             am).";
    assert!(has(&s, t, Label::Person, "Pettiford"));
    // The doctor after "new pt," is not the patient.
    let t = "Denise, new pt, Lindqvist wants her in w/in 2 wks for cysto.";
    assert!(!has(&s, t, Label::Person, "Lindqvist"));
}

#[test]
fn a_client_column_lists_patients_when_its_cells_are_names() {
    let s = Scanner::new();
    let t = "Schedule for Tue 3/11\n\nTech        | Client              | Time        | Location\n\
             ------------|---------------------|-------------|---------\nKelsey T.   | Mateo Ruiz  \
             | 8:30-11:30  | home\nJordan A.   | Jayden Brooks       | 9:00-12:00  | home\n";
    assert!(has(&s, t, Label::Person, "Mateo Ruiz"));
    assert!(has(&s, t, Label::Person, "Jayden Brooks"));
    // A scribe company's clients are practices.
    let t = "Scribe            | Client                        | Provider\nTasha Greene      | \
             Lakeside Orthopaedic Assoc.   | Dr. Feld\nOmar Haddad       | Cumberland Pediatrics    \
             | Dr. Grant\n";
    assert!(!has(&s, t, Label::Person, "Lakeside Orthopaedic Assoc."));
    assert!(!has(&s, t, Label::Person, "Cumberland Pediatrics"));
}

#[test]
fn a_plated_count_is_no_licence_plate() {
    let s = Scanner::new();
    let t = "Menu: herb-roasted salmon OR chicken marsala (we'll plate 14/12 per your RSVP list).";
    assert!(!has_label(&s, t, Label::Vehicle));
    let t = "Patient Ana Ruiz, DOB 3/4/1950: her car, OH plate TRDA 01, is in lot B.";
    assert!(has(&s, t, Label::Vehicle, "TRDA 01"));
}

#[test]
fn a_new_hire_and_the_day_they_start_are_staff_news() {
    let s = Scanner::new();
    let t = "The allergen module was updated after the near-miss review of a patient's tray. Also, \
             Olivia Brandt (new peds RDN) starts 10/20; her badge request is in.";
    assert!(!has_label(&s, t, Label::Person));
    let t = "fyi HR said the new BMET I (Caleb Sorensen) starts 6/2, his badge photo is Friday. \
             The patient's pump is in the cage.";
    assert!(!has_label(&s, t, Label::Person));
    // A new patient in brackets is still one.
    let t = "- Ava Schultz (new Maple Grove referral, speech + feeding): co-eval 3/27 at 9:00.";
    assert!(has(&s, t, Label::Person, "Ava Schultz"));
}

#[test]
fn a_known_surname_before_a_long_chart_number_in_brackets_is_a_patient() {
    let s = Scanner::new();
    let t = "Hi team,\n\nUpdate on Amir Haddad (2210394) since he missed his last 2 visits.";
    assert!(has(&s, t, Label::Person, "Amir Haddad"));
    // A product and its five-digit code are no one.
    let t = "DOS 10/09/2024\nProduct: Fluzone High-Dose (90662) + G0008 admin\n";
    assert!(!has_label(&s, t, Label::Person));
    assert!(has(&s, t, Label::Medication, "Fluzone"));
}

#[test]
fn a_fleets_numbered_unit_and_a_preventive_maintenance_visit_are_the_organisations() {
    let s = Scanner::new();
    let t = "Subject: Invoice 482917365 - Preventive Maintenance Q3 - Unit 2 mammography system\n\n\
             Equipment: Hologic Selenia Dimensions 3D, System S/N SD4-18822 (Mobile Unit 2)\n";
    assert!(!has_label(&s, t, Label::Device));
    let t = "Good afternoon,\n\nUnit 3 (Storz Modulith SLX-F2, SN 40217-03) route for the week \
             of 10/13.";
    assert!(!has_label(&s, t, Label::Device));
    // A patient's home equipment is still theirs.
    let t = "Patient: Ana Ruiz, DOB 3/4/1950\nEquipment: Pride Jazzy 600 ES, serial # \
             J6E2214087\n";
    assert!(has(&s, t, Label::Device, "J6E2214087"));
}

#[test]
fn a_makers_return_number_a_lab_instrument_and_a_heading_in_capitals_are_no_ones() {
    let s = Scanner::new();
    let t = "We received invoice INV-2025-0387 for cryostat service, unit SN CS-7741-0923. The \
             specimen head seal should be under warranty (your RMA 300-52-8817).";
    assert!(!has_label(&s, t, Label::Ssn));
    assert!(!has_label(&s, t, Label::Device));
    assert!(!s.scan(t).contains_phi);
    let t = "Patient Ana Ruiz, DOB 3/4/1950, SSN 300-52-8817.";
    assert!(has(&s, t, Label::Ssn, "300-52-8817"));
    let t = "3. TALK, READ, SING\nNarrate what you do while cooking together.";
    assert!(!has_label(&s, t, Label::Person));
}

#[test]
fn a_birthday_among_colleagues_is_no_patients() {
    let s = Scanner::new();
    let t = "From: Clinical Pharmacy <clinpharm-all@pbhealthplan.org>\nTo: Clinical Pharmacy \
             <clinpharm-all@pbhealthplan.org>\nSubject: Rx Desk Digest\n\nCRITERIA CORNER\n- \
             Zepbound for sleep apnea (G47.33) is now covered.\n\nHAPPY BIRTHDAY\nMei-Lin (10/19) \
             and Derek from IT (10/30) - cake in the break room Friday!\n";
    assert!(!s.scan(t).contains_phi);
    // Beside words about care, the birthday is a patient's.
    let t = "From: Gina Soderberg <gsoderberg@tamarackvalleyems.org>\nTo: \
             billing@tamarackvalleyems.org\nSubject: transport\n\nThe patient we transported to \
             the ED last night gave birthday 3/13; please fix the run report.";
    assert!(s.scan(t).contains_phi);
}

#[test]
fn procedure_codes_credentials_holidays_and_a_second_site_are_no_patients() {
    let s = Scanner::new();
    let t = "Coding reminders for patients' claims:\n- Sclerotherapy (36471): one session per \
             leg per day.\n";
    assert!(!has_label(&s, t, Label::Person));
    let t = "Hand-off:\n- Kowalski (4471902) - waiting on Dr. Voss for 2 blanks.\n";
    assert!(has(&s, t, Label::Person, "Kowalski"));
    let t = "1. DEA registration BK7181477 expires 4/30/2025. The renewal needs your Ohio license \
             # (35.098712) and the Dublin address.";
    assert!(!has_label(&s, t, Label::License));
    let t = "Patient Ana Ruiz, DOB 3/4/1950, driver's license # D4471902 on file.";
    assert!(has(&s, t, Label::License, "D4471902"));
    let t = "Subject: Courier schedule for Veterans Day (Tue 11/11)\n\nThe lab is open for \
             specimens from newborn patients.";
    assert!(!has_label(&s, t, Label::Person));
    let t = "2. Anticoagulation protocol\n- Current: apixaban 5 mg BID x 2 wks then repeat duplex \
             for patients.\n";
    assert!(!has_label(&s, t, Label::Person));
    let t = "Welcome to Tasha Greene, MA, who joins our wound clinic caring for patients.";
    assert!(!has_label(&s, t, Label::Address));
    let t = "Tell your doctor about blood thinners before a procedure.\n\nRiverbend Vein Center\n\
             Dublin: 4410 Meridian Pkwy, Suite 200, Dublin, OH 43017 | Westerville: 880 Polaris \
             Crossing Blvd, Westerville, OH 43081\n";
    assert!(!has_label(&s, t, Label::Address));
}

#[test]
fn a_patient_label_names_the_patient_last_name_first_and_a_discipline_label_does_not() {
    let s = Scanner::new();
    let t =
        "Remake please.\n\nJob:      B-33019\nPt:       Okonkwo, Chidinma\nLens:     Varilux X\n";
    assert!(has(&s, t, Label::Person, "Okonkwo, Chidinma"));
    assert!(s.scan(t).contains_phi);
    let t = "Rehab coverage this weekend:\n  PT: Ocasio, Varga\n  OT: Greer, Tran\n";
    assert!(!has(&s, t, Label::Person, "Ocasio, Varga"));
}

#[test]
fn a_month_and_a_committee_and_a_coffee_hour_are_no_names() {
    let s = Scanner::new();
    let t = "Priya, still missing for reappointment. Deadline for April MEC is 3/21.";
    assert!(!has_label(&s, t, Label::Person));
    let t = "Support Groups (all at the center, free)\n- Caregiver Coffee Hour: every Friday, \
             3:30 PM\n";
    assert!(!has_label(&s, t, Label::Person));
    assert!(!s.scan(t).contains_phi);
    // A name after the same cue still is one.
    let t = "Caller re: April Moreno, she asked about her son's visit.";
    assert!(has(&s, t, Label::Person, "April Moreno"));
}

#[test]
fn a_name_with_a_drug_and_its_dose_in_brackets_is_a_patient_even_among_colleagues() {
    let s = Scanner::new();
    let t = "From: Dana Okafor <dokafor@riverbendcmhc.org>\nTo: ACT Team 2 \
             <act2@riverbendcmhc.org>\nSubject: Tues huddle board\n\nFIELD\n- Kevin / Tamika: \
             LAI run. Dwayne Kessler (Invega Sustenna 156 mg, due today) at 1187 Larch Ave Apt \
             3 - buzzer is broken.\n";
    let r = s.scan(t);
    assert!(r.contains_phi);
    assert!(has(&s, t, Label::Address, "1187 Larch Ave Apt 3"));
    // A sales representative's bracket names the maker, no dose.
    let t = "From: Dana Okafor <dokafor@riverbendcmhc.org>\nTo: ACT Team 2 \
             <act2@riverbendcmhc.org>\nSubject: lunch\n\nLauren Beck (Novartis, Entresto) is \
             bringing lunch Thursday at noon.\n";
    assert!(!s.scan(t).contains_phi);
}

#[test]
fn an_apartment_after_at_is_a_home_unless_the_line_says_the_place_is_a_business() {
    let s = Scanner::new();
    let t = "Field today: insulin check at 62 Orchard Ct, Unit B, Corliss at 10:00.";
    assert!(has(&s, t, Label::Address, "62 Orchard Ct, Unit B"));
    let t = "Walk-in flu clinics will be held on July 23 at 112 Solis Pkwy, Apt 395, South Penny, \
             ME 04627.";
    assert!(!has_label(&s, t, Label::Address));
    let t = "Location: 585 Pine Street Apt. 232, Portland, OR 97184\nPlease arrive early.";
    assert!(!has_label(&s, t, Label::Address));
}

#[test]
fn a_writers_own_number_in_its_own_sentence_and_a_households_number() {
    let s = Scanner::new();
    let t = "I have POA and signed the paper your office sent. My cell is 414-555-0139.";
    assert!(has(&s, t, Label::Phone, "414-555-0139"));
    let t = "Please call the front office at 414-555-0139 with questions.";
    assert!(!has_label(&s, t, Label::Phone));
    let t = "From: Bernice Kowalczyk <bernie.kowalczyk@comcast.net>\nTo: Driver Rehab \
             <driverrehab@lakeshorehealth.org>\nSubject: road test\n\nHe is anxious to get his \
             license back. Our number is 262-555-0187.\n\nBernice\n";
    assert!(has(&s, t, Label::Phone, "262-555-0187"));
    let t = "From: Janelle Ortiz <jortiz@lakeshorehealth.org>\nTo: Bernice Kowalczyk \
             <bernie.kowalczyk@comcast.net>\nSubject: road test\n\nQuestions? Our number is \
             262-555-0187.\n\nJanelle\n";
    assert!(!has_label(&s, t, Label::Phone));
}

#[test]
fn a_participant_column_lists_patients_beside_a_record_number_not_in_a_training_roster() {
    let s = Scanner::new();
    let t = "The 3/7 remittance posted.\n\nParticipant     | Medicaid ID  | DOS        | Claim \
             ICN\nThornbury, Mae  | 104227390581 | 02/11/2025 | 2225042118830\n";
    assert!(has(&s, t, Label::Person, "Thornbury, Mae"));
    let t = "Fire safety module results:\n\nParticipant     | Unit   | Date completed | Score\n\
             Thornbury, Mae  | 4 West | 03/04/2025     | 92\n";
    assert!(!has(&s, t, Label::Person, "Thornbury, Mae"));
}

#[test]
fn a_forms_subject_above_a_birth_date_and_a_no_show() {
    let s = Scanner::new();
    let t = "To the Medical Review Unit,\n\nDriver: Dennis J. Albrecht\nDOB: 11/05/1979\n";
    assert!(has(&s, t, Label::Person, "Dennis J. Albrecht"));
    // A driver named without a birth date is a colleague.
    let t = "Route B today.\n\nDriver: Dennis Smith\nVan: 2\n";
    assert!(!has_label(&s, t, Label::Person));
    // (A surname no list has: the no-show says person, not the lists.)
    let t = "Samuel Adjepong no show for his 8:00 road test. Waited 25 min.";
    assert!(has(&s, t, Label::Person, "Samuel Adjepong"));
    let t = "Samuel Adjepong said the show starts at 8:00 tonight.";
    assert!(!has_label(&s, t, Label::Person));
}

#[test]
fn a_serial_under_an_it_ticket_is_equipment_and_a_surname_before_an_accession_is_a_patient() {
    let s = Scanner::new();
    let t = "Subject: RE: left monitor flickering - ticket IT-5521\n\nBarco approved the warranty \
             swap. Please send the old unit (serial B2219X0442) back within 10 days.";
    assert!(!has_label(&s, t, Label::Device));
    let t = "Subject: your loaner\n\nPlease send the old unit (serial B2219X0442) back within \
             10 days.";
    assert!(has(&s, t, Label::Device, "B2219X0442"));
    let t = "Lakeshore ED still waiting on CT A/P for Okafor acc LK2503120031 - its been 52 min.";
    assert!(has(&s, t, Label::Person, "Okafor"));
    assert!(s.scan(t).contains_phi);
    let t = "Patient: Dolores Quintanilla   DOB 07/07/1960\nRiverbend MRN: RB-00482913\n";
    assert!(!has(&s, t, Label::Person, "Riverbend"));
}

#[test]
fn numbers_of_staff_under_a_title_of_an_examiner_and_of_a_biller_are_no_patients() {
    let s = Scanner::new();
    let t = "Thanks,\nSam\n\nSam Whitlock, MSW\nCase Manager, ACT Team 2\nRiverbend CMHC | \
             740-555-0134\n";
    assert!(!has_label(&s, t, Label::Phone));
    let t = "See you soon,\nLuis\nHarborline Optical | (937) 555-0146\n";
    assert!(!has_label(&s, t, Label::Phone));
    let t = "Your claim stays open with your claims examiner, Sandra Liu ((916) 555-0126).";
    assert!(!has_label(&s, t, Label::Phone));
    assert!(!has_label(&s, t, Label::Person));
    let t = "Your balance is $325. You can pay online at \
             https://pay.lakeshorehealth.org/p/W7KD-2291-XQ or by phone at (262) 555-0160.";
    assert!(!has_label(&s, t, Label::Phone));
    // A table's row under its headings keeps the client's number.
    let t = "# | start | client | client phone | aide\n1 | 8:00 | WOZNIAK, HELEN | 414-555-0162 | \
             K. Freeman\n";
    assert!(has(&s, t, Label::Phone, "414-555-0162"));
}

#[test]
fn a_suppliers_greeting_return_number_and_expiry_table_are_no_patients() {
    let s = Scanner::new();
    let t = "From: SecureMed Pharmacy Services - Billing <ar@securemedrx.com>\nTo: Denise Wachowski \
             <dwachowski@kesslercountyoh.gov>\nSubject: Invoice 880417352 - February 2025\n\n\
             Dear Ms. Wachowski,\n\nPlease find attached invoice 880417352 for patient-specific \
             blister cards for 02/01/2025 - 02/28/2025.\n";
    assert!(!has_label(&s, t, Label::Person));
    assert!(!s.scan(t).contains_phi);
    // A person writing to a work address may be telling a patient their results.
    let t = "From: Dana Whitfield <dwhitfield@keystonewh.com>\nTo: Wade Hatfield \
             <whatfield@brennickmfg.com>\nSubject: Hearing test results\n\nDear Mr. Hatfield,\n\n\
             Your audiogram of April 2, 2025 shows a standard threshold shift.\n";
    assert!(has(&s, t, Label::Person, "Hatfield"));
    let t = "Please return affected product with the enclosed return authorization RA-77120; \
             credit will be issued.";
    assert!(!has_label(&s, t, Label::OtherId));
    let t = "Aide               Item                 Expires\nRosa Delgado       Driver's \
             license     04/21/2026\n";
    assert!(!has_label(&s, t, Label::License));
    let t = "Patient Ana Ruiz, DOB 3/4/1950, driver's license # D4471902 on file.";
    assert!(has(&s, t, Label::License, "D4471902"));
}

#[test]
fn a_fridges_logger_and_a_kiosk_tablet_are_equipment() {
    let s = Scanner::new();
    let t = "Unit             | Current  | Min     | Logger\nFridge A (VFC)   | 4.6 C    | 3.9 C   | \
             SN 24117785\nFridge B (priv)  | 4.9 C    | 4.1 C   | SN 24117792\n";
    assert!(!has_label(&s, t, Label::Device));
    let t = "Product: Mobile Connect / Agency kiosk\nDevice: Samsung Galaxy Tab A8, serial \
             R9TX40BZ12K (registered to agency account HARBORLIGHT-OH-2290)\n";
    assert!(!has_label(&s, t, Label::Device));
    let t = "Patient: Ana Ruiz, DOB 3/4/1950\nDevice: Samsung Galaxy Tab A8 for her telehealth \
             visits, serial R9TX40BZ12K\n";
    assert!(has(&s, t, Label::Device, "R9TX40BZ12K"));
}

#[test]
fn two_unknown_names_before_a_chart_number_and_what_happened_are_a_patient() {
    let s = Scanner::new();
    let t = "Dr R -\n\nFYI Ifeoma Okonjo (PLA-0052310) had a large local after her 0.30 mL \
             yesterday.";
    assert!(has(&s, t, Label::Person, "Ifeoma Okonjo"));
    assert!(s.scan(t).contains_phi);
    // A product's code in brackets is no chart number.
    let t = "We switched to Fluzone Quadrivalent (FLU-2025) for the clinics this fall.";
    assert!(!has_label(&s, t, Label::Person));
}

#[test]
fn an_injured_workers_return_to_work_speaks_of_their_care() {
    let s = Scanner::new();
    let t = "From: Kyle Brandvold <kbrandvold@tamarackfallsuc.com>\nTo: Brad Sundquist \
             <bsundquist@northwoodslumber.com>\nSubject: Work status\n\nBrad,\n\nLuis Ortega was \
             rechecked today by Dr. Ahlquist. He is released to FULL DUTY with no restrictions \
             effective Friday 10/17/2025.\n";
    assert!(s.scan(t).contains_phi);
    // A safety memo that names its trainer speaks of nobody's care.
    let t = "From: Kyle Brandvold <kbrandvold@tamarackfallsuc.com>\nTo: Brad Sundquist \
             <bsundquist@northwoodslumber.com>\nSubject: Forklift class\n\nBrad,\n\nLuis Ortega \
             teaches the forklift safety class on Friday 10/17/2025 at 9.\n";
    assert!(!s.scan(t).contains_phi);
}

#[test]
fn a_rota_of_weekdays_and_surnames_names_no_patient() {
    let s = Scanner::new();
    let t = "Weeknights follow the usual rotation (Mon Raman, Tue Adeyemi, Wed Lindqvist, Thu \
             Marsh; Whitfield takes phone triage).";
    assert!(!has_label(&s, t, Label::Person));
    let t = "Patient Thu Marsh called about her refill.";
    assert!(has(&s, t, Label::Person, "Thu Marsh"));
}

#[test]
fn a_surname_opening_a_note_on_what_the_caller_called_about_is_a_patient() {
    let s = Scanner::new();
    let t = "Moss called back re deductible on the L&D - wants to pay by card. 614-555-0187 \
             after 1pm.";
    assert!(has(&s, t, Label::Person, "Moss"));
    assert!(s.scan(t).contains_phi);
    // A colleague calling back with a result is not the caller this rule means.
    let t = "Moss called back, result read back. Thanks all.";
    assert!(!has_label(&s, t, Label::Person));
}

#[test]
fn an_open_house_is_an_event() {
    let s = Scanner::new();
    let t = "Subject: RE: Open House postcard proof v2\n\nProof v2 looks good with two changes.";
    assert!(!has_label(&s, t, Label::Person));
    let t = "Subject: RE: Olena House referral\n\nHi Jess,\n\nChart attached.";
    assert!(has(&s, t, Label::Person, "Olena House"));
}

#[test]
fn equipment_tagged_out_of_service_is_the_facilitys() {
    let s = Scanner::new();
    let t = "Pumps in use after 2200 will pick it up on next power cycle. Pump SN 12894471 (8015 \
             PC unit, pod A) failed the last two pushes, please tag it out and send to biomed.";
    assert!(!has_label(&s, t, Label::Device));
    let t = "Patient Ana Ruiz, DOB 3/4/1950: her pump SN 12894471 failed twice at home, she \
             tagged out the old tubing.";
    assert!(has(&s, t, Label::Device, "12894471"));
}

#[test]
fn an_english_word_after_a_name_is_no_credential_or_extension() {
    let s = Scanner::new();
    let t = "For Mr. Babcock, do we extend the current LOC 30 days?";
    assert!(has(&s, t, Label::Person, "Babcock"));
    let t = "Mr. Babcock, extend the LOC 30 days?";
    assert!(has(&s, t, Label::Person, "Babcock"));
    // A credential in capitals and a phone extension still mark a colleague.
    let t = "Please call Mary Babcock, DO with questions.";
    assert!(!has_label(&s, t, Label::Person));
    let t = "Mr. Babcock ext. 4410 handles the contracts.";
    assert!(!has_label(&s, t, Label::Person));
}

#[test]
fn a_surname_before_a_twelve_digit_medicaid_id_in_brackets_is_a_patient() {
    let s = Scanner::new();
    let t = "Dan - Ostrowski (100663190278) still no MDS for the 2/18 and 3/20 assessments.";
    assert!(has(&s, t, Label::Person, "Ostrowski"));
    assert!(s.scan(t).contains_phi);
    // Thirteen digits are no such ID.
    let t = "Dan - Ostrowski (1006631902781) still no MDS for the assessments.";
    assert!(!has_label(&s, t, Label::Person));
}

#[test]
fn an_incident_number_shaped_like_an_ssn_is_a_ticket() {
    let s = Scanner::new();
    let t = "Subject: [Resolved] INC 482-19-3307 - Softphone drops calls after 20 min";
    assert!(!has_label(&s, t, Label::Ssn));
    let t = "Patient Ana Ruiz, SSN 482-19-3307, called about her bill.";
    assert!(has(&s, t, Label::Ssn, "482-19-3307"));
}

#[test]
fn an_initial_and_a_surname_opening_a_note_before_a_chart_number_are_a_patient() {
    let s = Scanner::new();
    let t = "Y. Pierce (CV-2240088) desatted to 84% on NuStep at 6 min on RA.";
    assert!(has(&s, t, Label::Person, "Pierce"));
    assert!(s.scan(t).contains_phi);
    // Inside a sentence, a surname before a product's code is not such a note.
    let t = "We ordered the Pierce (CV-2240088) reagent kit for the lab.";
    assert!(!has_label(&s, t, Label::Person));
}

#[test]
fn a_measurements_name_after_chart_is_no_record_number() {
    let s = Scanner::new();
    let t = "Workaround in the meantime: chart SpO2/HR manually in the rehab flowsheet.";
    assert!(!has_label(&s, t, Label::Mrn));
    let t = "Patient Ana Ruiz, chart CV-2240088, seen today.";
    assert!(has(&s, t, Label::Mrn, "CV-2240088"));
}

#[test]
fn a_table_row_or_a_numbered_item_naming_a_person_before_an_address_is_no_letterhead() {
    let s = Scanner::new();
    let t =
        "Patients on the route:\nHarold Dietrich        | 1420 Brantwood Ave, Dayton, OH 45406\n";
    assert!(has(&s, t, Label::Address, "1420 Brantwood Ave, Dayton, OH"));
    let t = "Home visits today:\n1. Clarence Huebner - 2274 Marlowe Ct, Reynoldsburg, OH 43068\n";
    assert!(has(
        &s,
        t,
        Label::Address,
        "2274 Marlowe Ct, Reynoldsburg, OH"
    ));
    // A letterhead's name and address.
    let t = "Bloom Birth & Lactation | 88 Loockerman Plaza, Dover, DE 19901\n";
    assert!(!has_label(&s, t, Label::Address));
}

#[test]
fn a_patients_employers_address_is_theirs() {
    let s = Scanner::new();
    let t = "Injured worker: Luis Ortega, DOB 3/4/1980\nEmployer:        Tri-County Packaging, \
             1150 Industrial Pkwy, Brook Park, OH 44142\n";
    assert!(has(
        &s,
        t,
        Label::Address,
        "1150 Industrial Pkwy, Brook Park, OH"
    ));
    let t = "Vendor:          Tri-County Packaging, 1150 Industrial Pkwy, Brook Park, OH 44142\n";
    assert!(!has_label(&s, t, Label::Address));
}

#[test]
fn an_address_a_person_lived_at_or_is_mailed_at_is_a_home() {
    let s = Scanner::new();
    let t = "Her date of birth was May 2, 1932 and she lived at 39 Cedar Ridge Court, \
             Dallastown, PA 17313.";
    assert!(has(
        &s,
        t,
        Label::Address,
        "39 Cedar Ridge Court, Dallastown, PA"
    ));
    let t = "He is handling his estate. Please send anything to me at 4418 Walnut St, Kansas \
             City, MO 64111.";
    assert!(has(
        &s,
        t,
        Label::Address,
        "4418 Walnut St, Kansas City, MO"
    ));
    let t = "A paper copy is also being mailed to the foster parents at 2209 Sumner Rd, Orrin \
             Creek, WA 98412.";
    assert!(has(
        &s,
        t,
        Label::Address,
        "2209 Sumner Rd, Orrin Creek, WA"
    ));
    // A meeting at an address is still a place of business.
    let t = "The board meets at 3850 Parsons Ave, Columbus, OH 43207 on Thursday.";
    assert!(!has_label(&s, t, Label::Address));
}

#[test]
fn an_address_in_home_or_at_the_house_is_a_home_even_beside_a_home_health_agency() {
    let s = Scanner::new();
    let t = "Service setting: in home, 1918 SW Western Ave, Topeka, KS 66604, and at the clinic";
    assert!(has(
        &s,
        t,
        Label::Address,
        "1918 SW Western Ave, Topeka, KS"
    ));
    let t = "Referral sent to Allegheny Valley Home Health, 615 Baker Ave, Monroeville, PA 15146.";
    assert!(!has_label(&s, t, Label::Address));
}

#[test]
fn a_town_after_lives_alone_in_or_staying_with_someone_in_is_the_patients() {
    let s = Scanner::new();
    let t = "Prior living: lives alone in Oakmere, independent with cane before the fall.";
    assert!(has(&s, t, Label::Address, "Oakmere"));
    let t = "Pt is staying with her sister in Springfield, OH until the surgery.";
    assert!(has(&s, t, Label::Address, "Springfield, OH"));
    let t = "He lives with his parents in Strongsville and drives himself.";
    assert!(has(&s, t, Label::Address, "Strongsville"));
    // Not a town: a day after the cue.
    let t = "The float nurse is staying with us in Tuesday clinic.";
    assert!(!has_label(&s, t, Label::Address));
}

#[test]
fn ten_digits_after_a_confirmation_number_earlier_in_the_sentence_are_no_phone() {
    let s = Scanner::new();
    let t = "Our portal confirmation number from the original submission was 1830166133, in \
             case that helps locate the file.";
    assert!(!has_label(&s, t, Label::Phone));
    let t = "Patient Ana Ruiz asked us to call her back at home, her number is 6145550187 after \
             five.";
    assert!(has(&s, t, Label::Phone, "6145550187"));
}

#[test]
fn a_practices_units_checked_against_a_recall_range_are_its_equipment() {
    let s = Scanner::new();
    let t = "FYI - I checked both of our units. Grand Haven unit is SN VS3-22D-10457 (not in the \
             affected range).";
    assert!(!has_label(&s, t, Label::Device));
    let t = "Patient Ana Ruiz, DOB 3/4/1950: her bone stimulator SN VS3-22D-10457 arrived today.";
    assert!(has(&s, t, Label::Device, "VS3-22D-10457"));
}

#[test]
fn a_pain_score_out_of_ten_is_no_date() {
    let s = Scanner::new();
    let t = "Fall in bathroom approx 0530, found by daughter. R hip pain 8/10, R leg shortened.";
    assert!(!has_label(&s, t, Label::Date));
    let t = "Pain was 6-7/10 over the weekend, now 3/10 after increasing the morphine.";
    assert!(!has_label(&s, t, Label::Date));
    // A day of the month after a weekday stays a date, even near the word "pain".
    let t = "Patient Ana Ruiz: pain reassess, bowel check Tue 6/10.";
    assert!(has(&s, t, Label::Date, "6/10"));
}

#[test]
fn a_chat_transcripts_time_stamps_are_no_dates() {
    let s = Scanner::new();
    let t = "Text thread with the patient's husband, Mr. Ruiz:\n[Tue 9:15 AM] +1 (206) 555-0185: \
             cant do 17th, work\n[Tue 9:31 AM] Eastside Family Med: we have Fri 6/20 4:10P.\n";
    assert!(!has(&s, t, Label::Date, "9:15 AM"));
    assert!(!has(&s, t, Label::Date, "9:31 AM"));
    // A visit's time in the text of a message still counts.
    let t =
        "[Tue 9:31 AM] Eastside Family Med: Mr. Ruiz, your appointment is Fri 6/20 at 4:10 PM, ok?";
    assert!(has(&s, t, Label::Date, "4:10 PM"));
}

#[test]
fn the_sevenths_of_a_gestational_age_are_no_date() {
    let s = Scanner::new();
    let t = "Sofia Marquez Lindo, DOB: 06/02/2025 (born at 28 4/7 wks, corrected age approx. 6 mo)";
    assert!(!has(&s, t, Label::Date, "4/7"));
    // A day of a month after a number of a different kind stays a date.
    let t = "Patient Ana Ruiz: room 28 4/7 visit was moved.";
    assert!(has(&s, t, Label::Date, "4/7"));
}

#[test]
fn when_a_drug_lot_or_a_colleagues_credential_expires_is_no_patients_date() {
    let s = Scanner::new();
    let t = "Patient Ana Ruiz, IVIG q4wk. Drug: Gamunex-C 40 g (Lot GX2611A, exp 08/2028), Rx \
             4473318.";
    assert!(!has(&s, t, Label::Date, "08/2028"));
    let t = "Patient Ana Ruiz seen by Dr. Shah (DEA: FR5271084 exp 09/30/2027) on 3/4/2026.";
    assert!(!has(&s, t, Label::Date, "09/30/2027"));
    // The patient's own card expires on a date of theirs.
    let t = "Patient Ana Ruiz: your card expires 12/07/2027, keep it with you.";
    assert!(has(&s, t, Label::Date, "12/07/2027"));
}

#[test]
fn a_full_name_whose_possessive_is_a_dosed_drug_is_a_patient() {
    let s = Scanner::new();
    let t = "Shift change count this morning at Cedar came up one short on Anthony Bucci's \
             clonazepam 0.5 mg card.";
    assert!(s.scan(t).contains_phi);
    // A colleague's possessive before anything else is no patient's drug.
    let t = "Shift change count this morning at Cedar: Anthony Bucci's badge 0.5 mg scale.";
    assert!(!s.scan(t).contains_phi);
}

#[test]
fn a_span_of_school_years_after_chart_is_no_record_number() {
    let s = Scanner::new();
    let t = "Attached is the updated exclusion chart for the 2025-26 school year.";
    assert!(!has_label(&s, t, Label::Mrn));
    let t = "Patient Ana Ruiz, chart 2025-268841, seen today.";
    assert!(has(&s, t, Label::Mrn, "2025-268841"));
}

#[test]
fn a_record_number_opening_a_line_before_a_patients_name_is_theirs() {
    let s = Scanner::new();
    let t = "Held specimens:\nCP26-0448812 Hartley, Simone        08/30/1955  03/02/2026  lipid \
             panel\n";
    assert!(has(&s, t, Label::OtherId, "CP26-0448812"));
    // A ticket's number before a name is the service desk's, and a date is a date.
    let t = "Open tickets:\nINC-20260412 Hartley, Simone   laptop will not boot\n";
    assert!(!has_label(&s, t, Label::OtherId));
    let t = "Visits:\n03/02/2026 Hartley, Simone   lipid panel\n";
    assert!(!has_label(&s, t, Label::OtherId));
}

#[test]
fn a_hospices_bereavement_list_names_the_deceased_and_their_family() {
    let s = Scanner::new();
    let t = "Deceased              DOD           Bereaved contact         Rel.       Phone\nBetty \
             Jennings        10/02/2024    Carl Jennings            husband    614-555-0114\n";
    assert!(has(&s, t, Label::Person, "Betty Jennings"));
    assert!(has(&s, t, Label::Date, "10/02/2024"));
    assert!(s.scan(t).contains_phi);
    // "DoD" in prose is no heading.
    let t = "The DoD contract for the new radios was signed on 10/02/2024 by facilities.";
    assert!(!s.scan(t).contains_phi);
}

#[test]
fn an_acronym_after_a_given_name_is_not_its_surname() {
    let s = Scanner::new();
    let t = "Subject: RE: Maria EEG appointment\n\nHello, my daughter Maria Haddad has EEG on \
             March 12 but I have work then.";
    assert!(has(&s, t, Label::Person, "Maria Haddad"));
    assert!(
        !labels(&s, t).iter().any(|(_, v)| v.contains("EEG")),
        "{:?}",
        labels(&s, t)
    );
    // A surname the lists know stays a surname in capitals.
    let t = "Patient: Maria LEE, DOB 3/4/1950, seen today.";
    assert!(has(&s, t, Label::Person, "Maria LEE"));
}

#[test]
fn a_given_name_before_a_places_last_word_is_a_town_or_a_building() {
    let s = Scanner::new();
    let town =
        "Client: Brightwater Dental Group & Oral Surgery, Marion Springs, OH\nKit #: 26-7731";
    let unit = "Here are February numbers for Marion Creek ED only.";
    assert_not_phi(&s, &[town, unit]);
    // The same words as a person's name are still one.
    assert!(has(
        &s,
        "Maria Hall was seen today for her asthma.",
        Label::Person,
        "Maria Hall"
    ));
    assert!(has(
        &s,
        "Patient: Lisa Hall, DOB 3/4/1950, seen today.",
        Label::Person,
        "Lisa Hall"
    ));
}

#[test]
fn given_names_born_since_1990_are_known() {
    // The Census 1990 lists lacked the names of today's children and young adults; the SSA's
    // birth counts since 1920 fill them in.
    let s = Scanner::new();
    for (t, name) in [
        (
            "Mateo Alvarez was seen today for his asthma follow-up.",
            "Mateo Alvarez",
        ),
        (
            "Jaden Morales was bouncing off the walls after lunch; he missed his dose.",
            "Jaden Morales",
        ),
        ("Aaliyah Brooks called about her refill.", "Aaliyah Brooks"),
    ] {
        assert!(has(&s, t, Label::Person, name), "{t}: {:?}", labels(&s, t));
    }
}

#[test]
fn letters_before_a_long_number_are_its_program_not_a_credential() {
    let s = Scanner::new();
    let t = "Both standing orders are set for daily dosing rides.\n\n  Kayla Ostrowski       MA \
             8804472930   PU 7:40 AM  29 Elm Ave, Middletown PA 17057\n";
    assert!(
        has(&s, t, Label::Person, "Kayla Ostrowski"),
        "{:?}",
        labels(&s, t)
    );
    // A medical assistant is staff.
    let t = "Kayla Ostrowski, MA will room your patients today at the Elm Ave clinic.";
    assert!(!has_label(&s, t, Label::Person));
}

#[test]
fn baby_boy_or_baby_girl_before_a_surname_names_a_newborn() {
    let s = Scanner::new();
    let t = "5  Valley Crest NICU      Newborn elig - Baby Boy Adeyemi      Tomas      Temp auth \
             issued";
    assert!(has(&s, t, Label::Person, "Adeyemi"), "{:?}", labels(&s, t));
    let t = "Baby Girl Okafor was admitted to the NICU last night.";
    assert!(has(&s, t, Label::Person, "Okafor"));
    assert_not_phi(&s, &["Our Baby Boy Blues class meets Tuesday."]);
}

#[test]
fn your_child_in_a_mailing_to_all_families_is_every_readers() {
    let s = Scanner::new();
    let body = "Subject: Free vaccine clinic\n\nWHEN: Saturday, November 8, 2025, 9:00 AM - 1:00 \
                PM\nWHERE: Harmon Valley High School Commons, 1400 Meridian Street, Harmon \
                Valley\nBring your child's shot record if you have it.";
    let to_all = format!(
        "From: Health Services <healthservices@hvsd317.example>\nTo: HVSD Families \
         <families@hvsd317.example>\n{body}"
    );
    assert_not_phi(&s, &[&to_all]);
    // The same letter to one parent is about her child.
    let to_one = format!(
        "From: Health Services <healthservices@hvsd317.example>\nTo: Maria Lopez \
         <maria.lopez88@gmail.com>\n{body}"
    );
    assert!(s.scan(&to_one).contains_phi);
}

#[test]
fn a_substitute_nurse_named_with_her_post_is_staff() {
    let s = Scanner::new();
    let t = "From: Mariana Delgado-Reyes <mdelgadoreyes@hvsd317.example>\nTo: School Nurses \
             <hvsd-nurses@hvsd317.example>\nSubject: coverage this week\n\nThu 10/23  Ironwood MS   \
             *Lucy Abernathy, sub RN*   all day\nSub RN contact: Lucy Abernathy, (360) 555-0154 \
             (district sub cell). Please leave a handoff for Lucy: who gets scheduled meds.";
    assert_not_phi(&s, &[t]);
    // A patient's number after her name is still hers.
    let t = "Pt Lucy Abernathy, (360) 555-0154, called about her meds.";
    assert!(s.scan(t).contains_phi);
}

#[test]
fn a_table_of_vehicles_is_a_fleet() {
    let s = Scanner::new();
    let t = "Unit  Year/Make/Model          VIN                  Plate\nKMP-01 2022 Ford Transit \
             350   1FTBW3XG0NKA31207    ZKT-5520\nKMP-02 2022 Ford Transit 350   \
             1FTBW3XG2NKA31208    ZKT-5521\n";
    assert!(!has_label(&s, t, Label::Vehicle));
    let t = "Patient John Baker was in a crash; his car (VIN 1FTBW3XG0NKA31207) was towed.";
    assert!(has(&s, t, Label::Vehicle, "1FTBW3XG0NKA31207"));
}

#[test]
fn a_credential_with_its_boards_suffix_or_in_brackets_is_staffs() {
    let s = Scanner::new();
    let nps = "Credentialing complete. Name: Rafael Reyes-Ortiz, PMHNP-BC\nNPI: 1197181476\nStart \
               date: Monday, October 27, 2025";
    let roster = "Marcus Delgado (SW)        37              84%            n/a        housing \
                  referrals up 40%\nTamika Jefferson (CHW)     49              97%            \
                  n/a        most home visits again!";
    assert_not_phi(&s, &[nps]);
    assert!(
        !has_label(&s, roster, Label::Person),
        "{:?}",
        labels(&s, roster)
    );
    // A patient's name before a bracket is still a name.
    let t = "Marcus Delgado (DOB 3/4/1950) was seen today.";
    assert!(has(&s, t, Label::Person, "Marcus Delgado"));
}

#[test]
fn a_vendors_client_is_a_business_and_a_months_figure_is_no_date() {
    let s = Scanner::new();
    let t = "Client: Calloway Valley Medical Center (Client #4471-OH)   Survey: Inpatient HCAHPS";
    assert!(!has_label(&s, t, Label::Person));
    let t = "Client: Maria Lopez, DOB 3/4/1950, seen today.";
    assert!(has(&s, t, Label::Person, "Maria Lopez"));
    let t = "Team totals:\n  30-day readmission rate ........ 14.8%  (Jan 17.2%)";
    assert!(!has_label(&s, t, Label::Date));
    let t = "Patient seen Jan 17. Follow up in two weeks.";
    assert!(has(&s, t, Label::Date, "Jan 17"));
}

#[test]
fn medical_assistance_and_providerone_numbers_are_member_ids_and_a_ride_has_a_trip_number() {
    let s = Scanner::new();
    let t = "Name:        Wanda J. Holloway\nDOB:         11-23-1968\nMA ID:       2201867439\n";
    assert!(
        has(&s, t, Label::MemberId, "2201867439"),
        "{:?}",
        labels(&s, t)
    );
    let t = "Jaylen Carter\nDOB: 10/05/2017\nProviderOne ID:     108442317WA\n";
    assert!(
        has(&s, t, Label::MemberId, "108442317WA"),
        "{:?}",
        labels(&s, t)
    );
    let t = "Hello Dolores Moreno,\n\nYour ride has been booked.\n\n  Trip number:       \
             T25-1015-48823\n  Pickup date:       Thursday 10/16\n";
    assert!(
        has(&s, t, Label::OtherId, "T25-1015-48823"),
        "{:?}",
        labels(&s, t)
    );
}

#[test]
fn a_name_before_a_bracket_with_a_birth_date_or_filling_a_patient_cell_is_a_patients() {
    let s = Scanner::new();
    let t = "Our claims match found 6 round trips billed for member\nRosalind Achterberg (SHP ID \
             SHP0038845210, DOB 04/02/1959) while she was admitted.";
    assert!(
        has(&s, t, Label::Person, "Rosalind Achterberg"),
        "{:?}",
        labels(&s, t)
    );
    let t = ">   Patient: Birkeland, Noah     DOB: 05/02/2014     MRN: CCD-0071835";
    assert!(
        has(&s, t, Label::Person, "Birkeland, Noah"),
        "{:?}",
        labels(&s, t)
    );
    let t = "  Case no.:        25CR001482\n  Defendant:       RAGHUNATHAN, VIKRAM S.\n  DOB:    \
             07/07/1989";
    assert!(
        labels(&s, t)
            .iter()
            .any(|(l, v)| *l == Label::Person && v.starts_with("RAGHUNATHAN")),
        "{:?}",
        labels(&s, t)
    );
    // A bracket without a birth date says nothing ("Rosalind Achterberg (Finance) will
    // present").
    let t = "Rosalind Achterberg (Finance) will present the budget at the all-staff meeting.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
}

#[test]
fn a_given_name_before_s_and_a_childs_medicine_is_a_patient_but_a_makers_product_is_not() {
    let s = Scanner::new();
    let t = "Subject: Tyrell's new seizure medicine at school\n\nDear Mrs. Whitfield, the \
             neurologist changed his rescue medicine.";
    assert!(has(&s, t, Label::Person, "Tyrell"), "{:?}", labels(&s, t));
    for t in [
        "Lilly's insulin savings card now covers patients with commercial insurance.",
        "Novo's new insulin pens arrive Monday for the diabetes clinic.",
        "Reminder: Walgreens's emergency inhaler program is open to all patients.",
    ] {
        assert!(!has_label(&s, t, Label::Person), "{t}: {:?}", labels(&s, t));
    }
}

#[test]
fn a_word_that_is_no_given_name_before_a_places_last_word_is_a_place() {
    let s = Scanner::new();
    let t = "From: Gloria Ruiz <gruiz@tchd.example>\nTo: WIC staff <wic@tchd.example>\nSubject: Re: \
             Cold Creek Thursday - need one more\n\nCan someone switch with me for Cold Creek? \
             I'm out sick, my daughter's school called.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    // A given name before the same word is still a name ("for Sandra Hall").
    let t = "Patient: Sandra Hall, DOB 3/4/1950, seen today.";
    assert!(has(&s, t, Label::Person, "Sandra Hall"));
}

#[test]
fn a_name_opening_a_dispensing_line_with_a_dosed_drug_is_a_patients() {
    let s = Scanner::new();
    let t = "From: Priya Raghunathan <praghunathan@brightwaterrx.example>\nTo: Simone Laurent \
             <slaurent@stbrigid.example>\nSubject: RE: count off on 2 North\n\nFrom our side both \
             were dispensed and signed for:\n\n  Resident             Rx #      Drug                  \
             Qty\n  Pemberton, Ada      7031190   Lorazepam 0.5 mg tab      30\n";
    assert!(s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // A staff rota with a drug clinic named on the line is no dispensing record.
    let t = "From: Priya Raghunathan <praghunathan@brightwaterrx.example>\nTo: Pharmacy team \
             <rx@brightwaterrx.example>\nSubject: coverage\n\n  Dana Ruiz        Monday    \
             anticoagulation clinic\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
}

#[test]
fn a_name_spelling_the_start_of_a_mail_domain_is_that_organisation() {
    let s = Scanner::new();
    let t = "From: Grace Ellis <gellis@brightwaterrx.example>\nTo: Robert Achterberg \
             <rachterberg@laurelhillseniorcare.com>\nSubject: Pharmacy services for Laurel \
             Hill\n\nA short summary of how we'd work with Laurel Hill's 120 skilled beds.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
}

#[test]
fn a_fiscal_year_or_a_work_order_in_a_link_is_no_personal_token() {
    let s = Scanner::new();
    for t in [
        "Sign up here: https://forms.fairmontnhc.org/training-fy26",
        "View or comment: https://facilities.larkspurvalley.org/wo/WO-25-118342",
    ] {
        assert!(!has_label(&s, t, Label::Url), "{t}: {:?}", labels(&s, t));
    }
    let t = "Your results: https://portal.example.org/r/9f3KQ2x7Lm";
    assert!(has_label(&s, t, Label::Url));
}

#[test]
fn a_medical_examiners_decedents_and_an_employee_health_offices_staff_are_patients() {
    let s = Scanner::new();
    let t = "From: Tomas Echeverria <tomas@calderco-me.example>\nTo: ME Pathologists \
             <pathologists@calderco-me.example>\nSubject: Overnight intake\n\nCASE         DECEDENT  \
             AGE  DOD / TIME     LOCATION\nME25-02241   FITZHUGH, Gerald W.   67   11/17 18:50    \
             residence, 1147 Tannery Hill Rd, Millbrook, PA\n";
    assert!(s.scan(t).contains_phi, "{:?}", labels(&s, t));
    let t = "From: Aisha Rahman <arahman@lrmc.example>\nTo: Priscilla Nwosu \
             <pnwosu@lrmc.example>\nSubject: residents\n\nMaria Lopez   Int Med   HBsAb 8 \
             (non-immune)   Heplisav-B dose 10/16 8:00\n";
    assert!(s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // A pathology group's business and a credentialing checklist are not.
    let t = "From: Greg Abernathy <gabernathy@ridgelinepath.example>\nTo: Karen Holt \
             <kholt@ridgelinepath.example>\nSubject: Agenda\n\n3. PD-L1 go-live 11/1 - validation \
             summary (Janelle, Helen)\n6. Santiam Valley autopsy volume and private autopsies";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
}

#[test]
fn a_masked_range_of_serials_and_an_inspectors_number_are_no_ones() {
    let s = Scanner::new();
    let t = "WAREHOUSE: quarantine all DreamPort 9 units with serial numbers DP9-2205-xxxxxx \
             through DP9-2209-xxxxxx.";
    assert!(!has_label(&s, t, Label::Device), "{:?}", labels(&s, t));
    let t = "Guarantor:          Yuki Tanaka\nAccount number:     XXXX-XX7731\n";
    assert!(
        has(&s, t, Label::Account, "XXXX-XX7731"),
        "{:?}",
        labels(&s, t)
    );
    let t = "Our annual fire inspection is Thursday 5/22 at 9:00 AM (Inspector Darnell Hughes, \
             937-555-0106). The patient oxygen storage room must be clear.";
    assert!(!has_label(&s, t, Label::Phone), "{:?}", labels(&s, t));
}

#[test]
fn a_patient_portals_sign_in_alert_is_to_a_patient() {
    let s = Scanner::new();
    let body = "Subject: New sign-in to your MyNorthbridge account\n\nHi Darnell,\n\nWe noticed a \
                new sign-in to your account.\n  IP:        73.148.211.96\n\nIf this wasn't you, \
                reset your password.";
    let portal = format!(
        "From: MyNorthbridge Security <security-noreply@mynorthbridge.example.org>\nTo: \
         dwhitfield.91@hotmail.com\n{body}\nor call our patient portal help line at (614) \
         555-0145."
    );
    assert!(s.scan(&portal).contains_phi, "{:?}", labels(&s, &portal));
    // The same alert from a staff sign-on service is a colleague's.
    let staff = format!(
        "From: Northbridge IT Security <security-noreply@northbridge.example.org>\nTo: \
         dwhitfield.91@hotmail.com\n{body}"
    );
    assert!(!s.scan(&staff).contains_phi, "{:?}", labels(&s, &staff));
}

#[test]
fn child_life_is_a_department_and_new_staffs_plates_are_theirs() {
    let s = Scanner::new();
    let t = "Ship to: Willow Harbor Hospice, Attn: Child Life, 1840 Kettering Park Drive, Suite \
             210, Westbrook, OH 43085.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    let t = "From: Rosa Delgado <rdelgado@larkspurvalleymc.example>\nTo: Security & Parking \
             <parking@larkspurvalleymc.example>\nSubject: Physician parking hangtags\n\nDr. Ahmed \
             Aziz       - 2019 Honda Pilot, blue, WA plate CHR4471        - start 4/21\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    let t = "The Onan generator on MU-2 (2019 Freightliner, plate C48217K) needed a new voltage \
             regulator; the pump was covered under the extended warranty.";
    assert!(!has_label(&s, t, Label::Vehicle), "{:?}", labels(&s, t));
    // A patient's car is still hers.
    let t = "Patient Maria Lopez was hit in the lot; her car, plate C48217K, was towed.";
    assert!(has(&s, t, Label::Vehicle, "C48217K"), "{:?}", labels(&s, t));
}

#[test]
fn a_wards_round_by_unit_and_room_lists_patients() {
    let s = Scanner::new();
    let t = "Unit | Room | Name | Notes\n---- | ---- | ---- | -----\n4W | 4103 | Patricia O'Dwyer \
             | celiac - low-gluten host\n5E | 5310 | Zainab Haidari | hard of hearing\n";
    assert!(
        has(&s, t, Label::Person, "Zainab Haidari"),
        "{:?}",
        labels(&s, t)
    );
    // A staff directory gives a department and an extension.
    let t = "Dept | Room | Name | Ext\n---- | ---- | ---- | ---\nHR | 210 | Patricia O'Dwyer | \
             4412\nIT | 115 | Bernard Lafleur | 4415\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
}

#[test]
fn one_name_before_a_bracket_opening_with_a_chart_number_is_a_patients() {
    let s = Scanner::new();
    let t = "Called the dad this am for Zainab (WH-0004128, E88.40). Per dad 4 seizures overnight.";
    assert!(has(&s, t, Label::Person, "Zainab"), "{:?}", labels(&s, t));
    let t = "Thanks for Friday (Room 4B) - the lunch was great.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
}

#[test]
fn a_phone_trees_number_and_an_rsvp_line_are_the_organisations() {
    let s = Scanner::new();
    for t in [
        "For your appointment questions after hours, call 804-555-0142 and press 3 to reach the \
         hematologist on call.",
        "Gene therapy info night for patients and families. Light dinner provided. RSVP at \
         804-555-0142.",
    ] {
        assert!(!has_label(&s, t, Label::Phone), "{t}: {:?}", labels(&s, t));
    }
    let t = "Patient Maria Lopez asked us to call her at 804-555-0142 after 5.";
    assert!(has(&s, t, Label::Phone, "804-555-0142"));
}

#[test]
fn a_record_numbers_twin_of_the_same_shape_is_found_too() {
    let s = Scanner::new();
    let t = "Trip ID T25-1016-50139 for member Irene Kowalczyk, DOB 03/04/1948, pickup 13:20.\n\
             Notes:\n- T25-1016-50140: stretcher, 2 attendants\n- T25-1016-501: cancelled\n";
    assert!(
        has(&s, t, Label::OtherId, "T25-1016-50140"),
        "{:?}",
        labels(&s, t)
    );
    // Another shape is not a twin.
    assert!(
        !has(&s, t, Label::OtherId, "T25-1016-501"),
        "{:?}",
        labels(&s, t)
    );
    // No record number found, no twins; a phone number's shape has none.
    let t = "Hi all, the contractor starts Monday on project FAC-25-0193 (MICU rooms 12-14); \
             FAC-25-0194 follows in May.";
    assert!(labels(&s, t).is_empty(), "{:?}", labels(&s, t));
}

#[test]
fn a_monitoring_services_patient_greeted_at_work_is_a_patient() {
    let s = Scanner::new();
    let mail = |body: &str, quoted_to: &str| {
        format!(
            "From: Marta Ruiz <mruiz@heartlinkrpm.com>\nTo: Luis Ocampo \
             <locampo@tristatefreight.com>\nSubject: RE: calls at work\n\nHi Luis,\n\n{body}\n\n\
             Marta Ruiz, RN\n\n-----Original Message-----\nFrom: Ocampo, Luis \
             <locampo@tristatefreight.com>\nTo: {quoted_to}\nSubject: calls at work\n\nPlease \
             stop calling my desk.\n"
        )
    };
    let t = mail(
        "Done - I took your desk number off your chart. Your readings this week look steady.",
        "nurses@heartlinkrpm.com",
    );
    assert!(has(&s, &t, Label::Person, "Luis"), "{:?}", labels(&s, &t));
    // A supplier's colleague: "your chart of accounts" is no one's care.
    let t = mail(
        "The code in your chart of accounts is fixed on our side now.",
        "billing@heartlinkrpm.com",
    );
    assert!(!has_label(&s, &t, Label::Person), "{:?}", labels(&s, &t));
}

#[test]
fn an_exam_date_a_kit_and_a_participants_allergies_make_a_table_of_patients() {
    let s = Scanner::new();
    let t = "Cases for Friday review:\n\nMRN,Exam date,Kit #,Examiner\n51230987,04/02/2025,\
             FX-K-25-0311,J. Moreau\n51244410,04/06/2025,FX-K-25-0317,P. Osei\n";
    assert!(has(&s, t, Label::Mrn, "51244410"), "{:?}", labels(&s, t));
    assert!(
        has(&s, t, Label::OtherId, "FX-K-25-0317"),
        "{:?}",
        labels(&s, t)
    );
    let t = "Kitchen list, updated:\n\nparticipant,table,diet,allergies\n\"Nakamura, Hiro\",\
             Blue,Diabetic,none\n\"Oyelowo, Grace\",Green,Renal,penicillin\n";
    assert!(
        has(&s, t, Label::Person, "Oyelowo, Grace"),
        "{:?}",
        labels(&s, t)
    );
    // A training sign-in sheet's participants are staff.
    let t = "Training sign-in:\n\nparticipant,department,shift\n\"Nakamura, Hiro\",Dietary,Day\n\
             \"Oyelowo, Grace\",Nursing,Night\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
}

#[test]
fn a_year_after_rx_is_no_number_but_a_court_cases_may_start_with_one() {
    let s = Scanner::new();
    let t = "Members will see the ScriptWell Rx 2026 formulary changes on January 1.";
    assert!(!has_label(&s, t, Label::OtherId), "{:?}", labels(&s, t));
    let t = "Hearing set: Lopez, Ana (case 2025 GD 00418) on 11/4.";
    assert!(has_label(&s, t, Label::OtherId), "{:?}", labels(&s, t));
}

#[test]
fn a_fields_last_first_and_a_participant_are_names() {
    let s = Scanner::new();
    let t = "Claim reprocessed.\n\n  Patient name:   PRICE, TOMASZ\n  Member ID:      \
             QX4408731-01\n";
    assert!(
        has(&s, t, Label::Person, "PRICE, TOMASZ"),
        "{:?}",
        labels(&s, t)
    );
    let t = "Authorization approved.\n\n  Participant:   Agnes O'Keeffe\n  Program:       adult \
             day services\n";
    assert!(
        has(&s, t, Label::Person, "Agnes O'Keeffe"),
        "{:?}",
        labels(&s, t)
    );
    // The word alone is no name: "the price, Tomasz" is not written as a field.
    let t = "We agreed on the price, Tomasz said the order ships Monday.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
}

#[test]
fn a_newborn_screens_kit_number_is_found_and_a_water_test_kit_makes_no_phi() {
    let s = Scanner::new();
    let t = "Baby Girl Ruiz, DOB 10/10/25: kit 25-283-0951 collected 0610, repeat kit \
             25-290-0112 pending.";
    assert!(
        has(&s, t, Label::OtherId, "25-290-0112"),
        "{:?}",
        labels(&s, t)
    );
    let t = "The waterline test kit 26-7731 came back within limits for all six operatories.";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
}

#[test]
fn a_best_number_is_the_patients_and_an_indented_city_line_ends_the_address() {
    let s = Scanner::new();
    let t = "Patient Rosa Diaz, DOB 02/03/1961, wants a call back about her refill. Best number \
             is 347-555-0129.";
    assert!(
        has(&s, t, Label::Phone, "347-555-0129"),
        "{:?}",
        labels(&s, t)
    );
    let t = "Refund check mailed today to:\n\n    Gloria Szymanski\n    8820 W. Bluemound Rd, \
             Unit 314\n    Wauwatosa, WI 53226\n";
    assert!(has(&s, t, Label::Zip, "53226"), "{:?}", labels(&s, t));
    // A ZIP code alone under a name is no address.
    let t = "Refund check mailed today to:\n\n    Gloria Szymanski\n    Wauwatosa 53226\n";
    assert!(!has_label(&s, t, Label::Zip), "{:?}", labels(&s, t));
}

#[test]
fn an_id_with_a_plans_person_code_is_a_member_id() {
    let s = Scanner::new();
    let t = "Pt: Villasenor, Arturo\nDOB: 7/2/68\nID: TBA1904562-01\n";
    assert!(
        has(&s, t, Label::MemberId, "TBA1904562-01"),
        "{:?}",
        labels(&s, t)
    );
    let t = "Pt: Villasenor, Arturo\nDOB: 7/2/68\nConsult ID: TS-25-0311-07\n";
    assert!(
        has(&s, t, Label::OtherId, "TS-25-0311-07"),
        "{:?}",
        labels(&s, t)
    );
}

#[test]
fn a_family_meetings_date_and_a_spanish_time_are_a_patients() {
    let s = Scanner::new();
    let t = "We set up a family meeting for Mr. Arturo Villasenor on Thursday, 10/16 at 2:00 PM \
             in the 7E family room.";
    assert!(has(&s, t, Label::Date, "10/16"), "{:?}", labels(&s, t));
    let t = "Staff meeting Thursday 10/16 at 2:00 PM in the 7E conference room.";
    assert!(!has_label(&s, t, Label::Date), "{:?}", labels(&s, t));
    let t = "Recordatorio: su cita es el jueves 16 de octubre a las 9:00 a. m. con la Dra. Ruiz. \
             Paciente: Ana Perez.";
    assert!(has(&s, t, Label::Date, "9:00 a. m."), "{:?}", labels(&s, t));
    let t = "Hi team, the new job hours are 6a-2:30p M-F starting 3/24.";
    assert!(!has_label(&s, t, Label::Date), "{:?}", labels(&s, t));
}

#[test]
fn a_childs_care_therapy_or_dated_visit_after_a_possessive_name_is_a_patients() {
    let s = Scanner::new();
    let t = "Dear Mrs. Watanabe,\n\nIsabella's 2-year visit is next week.";
    assert!(has(&s, t, Label::Person, "Isabella"), "{:?}", labels(&s, t));
    let t = "I know Aarav's care has been a lot for your family this month.";
    assert!(has(&s, t, Label::Person, "Aarav"), "{:?}", labels(&s, t));
    let t = "Thank you for trusting Cedar Hollow with our community's care programs.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
}

#[test]
fn an_office_number_in_spanish_and_a_detective_and_an_ada_are_no_patients() {
    let s = Scanner::new();
    let t = "Paciente: Ana Perez, DOB 01/02/1950. Si tiene preguntas, llámeme al 717-555-0142.";
    assert!(!has_label(&s, t, Label::Phone), "{:?}", labels(&s, t));
    let t = "Paciente: Ana Perez, DOB 01/02/1950. Le vamos a llamar al 717-555-0142.";
    assert!(
        has(&s, t, Label::Phone, "717-555-0142"),
        "{:?}",
        labels(&s, t)
    );
    let t = "Patient: Ana Ruiz, DOB 01/02/1990.\nLaw enforcement:    Det. Sgt. Colin Ferraro, \
             Cedar Hollow PD\n";
    assert!(
        !has(&s, t, Label::Person, "Colin Ferraro"),
        "{:?}",
        labels(&s, t)
    );
    let t = "Patient: Ana Ruiz, DOB 01/02/1990. The report goes through the DA's office; ADA \
             Oyelaran-Kim already has the request.";
    assert!(
        labels(&s, t).iter().all(|(_, v)| !v.contains("Oyelaran")),
        "{:?}",
        labels(&s, t)
    );
    let t = "Patient: ADA LOPEZ, DOB 01/02/1990.";
    assert!(
        has(&s, t, Label::Person, "ADA LOPEZ"),
        "{:?}",
        labels(&s, t)
    );
}

#[test]
fn a_colleague_who_asked_to_move_my_appt_is_a_patient_but_one_moving_a_demo_is_not() {
    let s = Scanner::new();
    let mail = |subject: &str, body: &str| {
        format!(
            "From: Jolene Baptiste RN <jbaptiste@brightwaterhealth.org>\nTo: Lakshmi \
             Venkataraman <lvenkataraman@brightwaterhealth.org>\nSubject: RE: {subject}\n\nHi \
             Lakshmi,\n\n{body}\n\nJolene\n"
        )
    };
    let t = mail(
        "can I move my appt?",
        "Yes, I moved you from 10/20 to Thursday 10/23 at 4:15 PM with Dr. Okonkwo.",
    );
    assert!(s.scan(&t).contains_phi, "{:?}", labels(&s, &t));
    let t = mail(
        "room for the vendor demo",
        "Yes, I moved the demo from 10/20 to Thursday 10/23 at 4:15 PM in room 2.",
    );
    assert!(!s.scan(&t).contains_phi, "{:?}", labels(&s, &t));
}

#[test]
fn a_course_in_capitals_an_amount_and_a_lot_number_are_no_ones() {
    let s = Scanner::new();
    let t = "Here is the current roster for ELNEC Core, pasted from the signup form.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    let t = "payer,billed,paid\nCareSource (Medicaid),9010.00,3200.00\n";
    assert!(!has_label(&s, t, Label::MemberId), "{:?}", labels(&s, t));
    let t = "Patient: Ana Ruiz, MRN 12903300.\nAdmin set lot 25061719 kept; MRN 12903301 too.\n";
    assert!(has(&s, t, Label::Mrn, "12903301"), "{:?}", labels(&s, t));
    assert!(
        labels(&s, t).iter().all(|(_, v)| v != "25061719"),
        "{:?}",
        labels(&s, t)
    );
}

#[test]
fn a_lower_case_name_before_dob_is_a_patient_and_a_credential_ends_a_name() {
    let s = Scanner::new();
    let t = "hi - still need the last office note + most recent a1c for tyrese holloway dob \
             7/30/98, medicaid 6155023918.";
    assert!(
        has(&s, t, Label::Person, "tyrese holloway"),
        "{:?}",
        labels(&s, t)
    );
    let t = "hi - call rosa at the desk before 5 about the toner order.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    // A prescriber with a credential in capitals after the name, a colleague's given name after
    // a credential and a comma: staff.
    for t in [
        "Fills: 03/11/2025  alprazolam 1 mg  60  Elena Lopez APRN (ML9853979)  1940495975",
        "- new hire: Amara starts 10/27 as PRN COTA, Rosa is her mentor",
    ] {
        assert!(!has_label(&s, t, Label::Person), "{t}: {:?}", labels(&s, t));
    }
}

#[test]
fn a_paramedic_greeting_a_patient_at_work_about_her_sugars_and_a_conference_in_capitals() {
    let s = Scanner::new();
    let mail = |body: &str| {
        format!(
            "From: Marcus Bell <mbell@riverbendcp.org>\nTo: Anjali Raghunathan \
             <araghunathan@keystonelogistics.com>\nSubject: RE: evening visit?\n\nHi Anjali,\n\n\
             {body}\n\nMarcus\n"
        )
    };
    let t = mail("Jorge can come Thursday 10/16 at 5:45 pm. He will check your sugars log.");
    assert!(has(&s, &t, Label::Person, "Anjali"), "{:?}", labels(&s, &t));
    let t = mail("Jorge can come Thursday 10/16 at 5:45 pm. He will check your loading dock.");
    assert!(!has_label(&s, &t, Label::Person), "{:?}", labels(&s, &t));
    let t = "Subject: Re: AHA Sessions\n\nCan one of you cover my EP reads Mon 11/10? Sessions is \
             New Orleans, Nov 7.\n";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
}

#[test]
fn a_jails_booking_number_is_found() {
    let s = Scanner::new();
    let t = "Patient:        GUTIERREZ, JOSE LUIS\nBooking:        BK25-11519\nHousing:        \
             M-UNIT / M-9\n";
    assert!(
        has(&s, t, Label::OtherId, "BK25-11519"),
        "{:?}",
        labels(&s, t)
    );
    let t = "Booking of the conference room for the staff retreat is confirmed for Friday.";
    assert!(!has_label(&s, t, Label::OtherId), "{:?}", labels(&s, t));
}

#[test]
fn a_fax_sent_to_the_reader_of_mail_to_an_employers_hr_office_is_the_patients() {
    let s = Scanner::new();
    let to_hr = "From: Sam Fairbanks, DO <sfairbanks@cvfm.example.org>\nTo: HR Benefits - \
                 Tri-County Logistics <hrleave@tricountylogistics.example.com>\nSubject: Return \
                 to work - Marcus Elwood\n\nMarcus Elwood (DOB 9/19/1985) may return to work on \
                 May 20. ";
    for (t, v) in [
        (
            format!("{to_hr}A signed copy was also faxed to your office at (740) 555-0186."),
            "(740) 555-0186",
        ),
        (
            format!("{to_hr}Per your request I also faxed it to (757) 555-0114 this morning."),
            "(757) 555-0114",
        ),
    ] {
        assert!(has(&s, &t, Label::Fax, v), "{t}");
    }
    // The reader asked to fax the writer, the writer's own fax, and the same sentence in mail
    // to a colleague: no employer's.
    let to_colleague = to_hr.replace(
        "HR Benefits - Tri-County Logistics <hrleave@tricountylogistics.example.com>",
        "Dana Holt <dholt@cvfm.example.org>",
    );
    for t in [
        format!("{to_hr}Please fax the signed form to (740) 555-0186."),
        format!("{to_hr}Our fax is (740) 555-0186 if you need anything else."),
        format!("{to_colleague}A signed copy was also faxed to your office at (740) 555-0186."),
    ] {
        assert!(!has_label(&s, &t, Label::Fax), "{t}");
    }
}

#[test]
fn a_name_under_its_credential_owns_the_number_on_the_next_line_and_house_calls_is_no_house() {
    let s = Scanner::new();
    let letter = "From: Grace Sutherland <gsutherland@hearthside.example.com>\nTo: Tanya Kowalski \
                  <tkowalski@brightwater.example.com>\nSubject: Re: Fairclough wound\n\nTanya,\n\n\
                  Mrs. Fairclough (DOB 3/4/1941) can stay on the current dressing. ";
    // A signature: the name with its credential, then the practice's line with its number; a
    // practice whose name holds "House" is still a practice.
    for sig in [
        "Grace Sutherland, APRN-CNP\nHearthside House Calls | 614-555-0147",
        "Maribel Ochoa, LSW\nDischarge Planner | 614-555-0147",
        "Jolene Pruitt | Care Coordinator\nHearthside House Calls | 614-555-0147 x209",
    ] {
        let t = format!("{letter}\n\n{sig}\n");
        assert!(!has(&s, &t, Label::Phone, "614-555-0147"), "{t}");
    }
    // A household's number is still the patient's.
    let t = format!("{letter}Her daughter asked that we use the house phone 614-555-0188.");
    assert!(has(&s, &t, Label::Phone, "614-555-0188"));
}

#[test]
fn last_first_in_capitals_before_a_chart_number_is_a_patient_and_sn_is_no_given_name() {
    let s = Scanner::new();
    // Names the lists lack, "LAST, FIRST" in capitals, then a chart number; the letters of the
    // chart number are no middle name.
    let t = "sanjay - quick one before i drop BEGUM, NASRIN HR00544390 (icu 10/6-10/11).";
    assert!(has(&s, t, Label::Person, "BEGUM, NASRIN"));
    assert!(has(&s, t, Label::Mrn, "HR00544390"));
    let t = "sanjay - quick one before i drop PATEL, NASRIN HR00544390 (icu 10/6-10/11).";
    assert!(has(&s, t, Label::Person, "PATEL, NASRIN"));
    // A jail's booking number after the name is no chart number.
    let t = "Subject: Step-down - OGUNBIYI, DARNELL BK25-11655\n\nSaw him today.";
    assert!(has(&s, t, Label::OtherId, "BK25-11655"));
    // A purchase order after two words in capitals, a serial number's label and a state's code
    // after a word: no names.
    for t in [
        "sanjay - quick one before i book ACMEWORKS, TOOLING PO1234567 for the lab.",
        "Chair: Permobil M3 Corpus, SN PM-Q6E-24110387 (weight 390 lb).",
        "Hope she feels better!\nRosa, MA\n(419) 555-0140",
    ] {
        assert!(!has_label(&s, t, Label::Person), "{t}");
    }
}

#[test]
fn a_new_hires_first_day_and_an_everyone_greeting_are_no_patients_mail() {
    let s = Scanner::new();
    let t = "From: Oksana Hrytsenko <ohrytsenko@northgate.example.org>\nTo: \
             hamza.siddiqui.crc@gmail.com\nSubject: Welcome to Northgate! Your first day - \
             Monday, June 16\n\nHi Hamza,\n\nHere's what to expect on your first day, Monday, \
             June 16:\n\n  8:30 AM   Check in at reception\n  10:00 AM  Badge photo & IT setup \
             with Darnell Hughes\n\nOksana";
    assert!(!s.scan(t).contains_phi);
    // A patient's first day of treatment is the patient's.
    let t = "From: Oksana Hrytsenko <ohrytsenko@northgate.example.org>\nTo: \
             hamza.siddiqui@gmail.com\nSubject: Your first day of radiation - Monday, June 16\n\n\
             Hi Hamza,\n\nYour appointment is Monday, June 16 at 8:30 AM. Your MRN is \
             NG-0048213.\n\nOksana";
    assert!(s.scan(t).contains_phi);
    // A retirement party: "Hi everyone!!" greets a group.
    let t = "From: Lena Ortiz <lortiz@harbor.example.org>\nTo: Ken Li <kli@harbor.example.org>\n\
             Subject: Celebrating Dolores!\n\nHi everyone!!\n\nAfter 34 years (she started in \
             medical records), Dolores Fairbanks is retiring. Lunch Friday, October 31.";
    assert!(!s.scan(t).contains_phi);
}

#[test]
fn a_trial_subject_number_after_subject_is_an_identifier_and_a_subject_header_is_not() {
    let s = Scanner::new();
    for (t, v) in [
        (
            "Protocol:        NGX-DM-2207 (DM-ASCEND)\n  Subject:         0412-011\n  Deviation: \
             Week 16 visit performed outside window",
            "0412-011",
        ),
        (
            "Participant:       Kwame Asante-Mensah (Subject 0412-019)\nScheduled: 06/10/2025",
            "0412-019",
        ),
        (
            "Reporting a device malfunction for the pivotal study:\n\n  Subject:   0412-G07\n  \
             Device model: GT-3 CGM sensor",
            "0412-G07",
        ),
    ] {
        assert!(has(&s, t, Label::OtherId, v), "{t}");
    }
    // An e-mail's subject line, a span of years and a phone number's shape are no subject
    // numbers.
    for t in [
        "Subject: 2024-25 budget for the research office\n\nAll, the draft is attached.",
        "Subject: 10/14 batch (4 adds, 2 terms)\n\nHi portal team,",
        "Subject: Site 117 monitoring visit - 3 weeks out\n\nHi Dana,",
    ] {
        assert!(!has_label(&s, t, Label::OtherId), "{t}");
    }
}

#[test]
fn a_households_children_with_ages_and_last_first_before_a_labelled_record_are_names() {
    let s = Scanner::new();
    let t = "Phone: 717.555.0171\nHousehold: pt + 2 children (Zainab 8, Tobi 5), lost job 8/2025";
    assert!(has(&s, t, Label::Person, "Zainab") && has(&s, t, Label::Person, "Tobi"));
    let t = "Household:          applicant + 2 children (Jaylen, 6; Nia, 3)";
    assert!(has(&s, t, Label::Person, "Jaylen") && has(&s, t, Label::Person, "Nia"));
    // Grades, and a list that is not all names and ages, are none.
    for t in [
        "Household: 2 children (Grades 3, 5), both at Lincoln Elementary.",
        "Household: 2 children (Zainab 8, and a baby due in May).",
    ] {
        assert!(!has_label(&s, t, Label::Person), "{t}");
    }
    let t = "Dr V -\n\nKowalczyk, Marek MRN SH-0072419, seen 10/9 by Dr. Lee";
    assert!(has(&s, t, Label::Person, "Kowalczyk, Marek"));
    // A label without a number after it is no record.
    let t = "Dr V -\n\nKowalczyk, Marek MRN pending, seen 10/9 by Dr. Lee";
    assert!(!has(&s, t, Label::Person, "Kowalczyk, Marek"));
}

#[test]
fn a_ride_booked_for_a_rider_speaks_of_someones_care_and_a_policy_rider_does_not() {
    let s = Scanner::new();
    let t = "Please book a round trip under our account:\n\nRider:            Chukwuemeka \
             Okonkwo\nRider phone:      720-555-0152\nAlt contact:      Adaeze Okonkwo \
             (daughter) 303-555-0114\nPickup time:      Tue 06/17/2025 7:15 AM\nMobility:         \
             ambulatory, uses cane";
    assert!(s.scan(t).contains_phi);
    let t = "What's changing:\n  * Dental: adding an orthodontia rider for adults\n\nOur broker, \
             Dwayne Ashcroft, will walk through the plans at 555-310-2212.";
    assert!(!s.scan(t).contains_phi);
}

#[test]
fn a_trial_participants_stay_speaks_of_care_and_participant_counts_do_not() {
    let s = Scanner::new();
    let t = "Drafting the deviation for the IRB portal:\n\n  Subject:   0412-011\n  Window:    \
             05/27/2025 - 06/02/2025\n  Cause:     Participant hospitalized out of state \
             5/26-5/31";
    assert!(s.scan(t).contains_phi);
    let t = "Your submission needs:\n  - enrolment to date (counts only - no participant \
             identifiers)\n  - the log for subject 0412-011 by 05/27/2025\n\nGrand rounds: \
             \"Delirium in the hospitalized elderly\" - 3/13.";
    assert!(!s.scan(t).contains_phi);
}

#[test]
fn a_name_above_a_diagnosis_in_a_certification_block_is_a_patients() {
    let s = Scanner::new();
    let t = "Attached is the completed certification for the employee below.\n\nEmployee:       \
             Patrick K. Yamamoto\nLeave type:     Intermittent\nCondition:      Chronic migraine \
             (G43.709), under treatment since 04/2023\nTreatment:      topiramate daily";
    assert!(s.scan(t).contains_phi);
    // A grant report's row of counts by diagnosis names no one's.
    let t = "Dear Ms. Abernathy,\n\nKey figures:\n\n  Measure                              Q2    \
             YTD\n  New diagnoses, type 2 diabetes (E11.9)   84    171\n  New diagnoses, \
             hypertension (I10)      212   398";
    assert!(!s.scan(t).contains_phi);
}

#[test]
fn a_plans_own_id_a_scheduling_line_and_a_plant_are_nobodys() {
    let s = Scanner::new();
    for t in [
        "Please find the corrected Q4 measures for Rivergate Community Health Plan (MCP ID \
         0419). The original submission on 2/14 double-counted members.",
        "IME Insights - March 2025\n\nSchedule an exam: (630) 555-0142 | referrals@crestmark.example.com\nYou are receiving this because you are a Crestmark client.",
        "Rachel,\n\nSeptember numbers for Lakeshore Works below; everything is aggregate.",
    ] {
        assert!(!s.scan(t).contains_phi, "{t}");
    }
    // A member ID after an insurer is still a member's, and a patient's own number to call.
    let t = "Pt Dana Ruiz, DOB 2/3/1960, Ins: Lakeshore Mutual PPO, ID LKM448102976";
    assert!(has(&s, t, Label::MemberId, "LKM448102976"));
}

#[test]
fn a_reader_at_work_who_asks_about_my_inhaler_is_a_patient() {
    let s = Scanner::new();
    let t = "From: Keisha Holloway <kholloway@rivergate.example.org>\nTo: \
             ravi.chandrasekaran@toledoschools.example.org\nSubject: Re: question\n\nHi Ravi,\n\n\
             I moved your visit with Dr. Okafor to Tuesday 4/1 at 4:30 pm.\n\nKeisha\n\n> Hi \
             Keisha, is my inhaler still covered next month?\n> Ravi";
    assert!(s.scan(t).contains_phi);
    let t = t.replace("is my inhaler still covered", "is the budget still covered");
    assert!(!s.scan(&t).contains_phi);
}

#[test]
fn a_firms_own_file_number_and_a_complaint_intake_are_someones_and_our_referral_stays_one() {
    let s = Scanner::new();
    for (t, l, v) in [
        (
            "Claimant:   WHITAKER, DEAN\nAppt:       03/20/2025 1:00 pm\nOur file:   CMK-25-03318",
            Label::OtherId,
            "CMK-25-03318",
        ),
        (
            "Ms. Solberg,\n\nPlease find our response to complaint intake 2025-11873 about your \
             mother's stay.",
            Label::OtherId,
            "2025-11873",
        ),
        (
            "Aaliyah Brooks (DOB 12/05/1988). Our referral # is RF-0092314; her plan needs it.",
            Label::OtherId,
            "RF-0092314",
        ),
        (
            "Bring your Medicare card (your number on our file is 7QW4-TR2-MK81), Ms. Lopez.",
            Label::MemberId,
            "7QW4-TR2-MK81",
        ),
    ] {
        assert!(has(&s, t, l, v), "{t}");
    }
}

#[test]
fn a_csv_exports_case_referral_and_parent_phone_columns_are_read() {
    let s = Scanner::new();
    let t = "Attached as text:\n\nstudent_id,last_name,first_name,dob,grade,missing,parent_phone\n\
             S-220417,Okafor,Chidi,2015-03-02,4,MMR #2,614-555-0142\nS-220418,Larsen,Brooke,\
             2014-11-30,5,Tdap,614-555-0177\n";
    for v in ["S-220417", "614-555-0142", "Okafor", "Chidi"] {
        assert!(labels(&s, t).iter().any(|(_, x)| x == v), "{v}");
    }
    let t =
        "case_no,decedent,dod,pathologist\nME25-01698,\"SUTTER, BRIAN K\",08/30/2025,NAKAMURA\n";
    assert!(has(&s, t, Label::OtherId, "ME25-01698"));
    // A staff roster with no column only a patient table has is read as no one's.
    let t = "last,first,unit,role,phone_number\nOkafor,Chidi,4W,RN,614-555-0142\n";
    assert!(!has_label(&s, t, Label::Phone) && !has_label(&s, t, Label::Person));
}

#[test]
fn a_nickname_after_goes_by_and_the_patient_after_wife_of_are_names() {
    let s = Scanner::new();
    for (t, v) in [
        (
            "Name:       Thu Ha Nguyen (goes by \"Hannah\")\nDOB:        1984-11-03",
            "Hannah",
        ),
        (
            "Client:     Luis Alberto Fajardo Jr.   (goes by Beto)\nMember ID: RG70119041",
            "Beto",
        ),
        (
            "ric - mrs okafor called (wife of Chidi Okafor, the 2pm tmrw w dr sharma).",
            "Chidi Okafor",
        ),
    ] {
        assert!(has(&s, t, Label::Person, v), "{t}");
    }
    // What goes by is no name.
    let t = "The shuttle goes by the north entrance every 20 minutes.";
    assert!(!has_label(&s, t, Label::Person));
}

#[test]
fn mbr_is_a_member_number_and_a_links_query_parameter_is_the_links() {
    let s = Scanner::new();
    let t = "two stuck in the COB queue:\n\n1) NGUYEN, THI MAI  mbr KVB710044982  clm \
             2025052-207731  dos 2/18/25";
    assert!(has(&s, t, Label::MemberId, "KVB710044982"));
    let t = "Dana Ruiz (DOB 2/3/1960): view and pay your statement at\n\
             https://mychart.example.org/Billing/GuestPay?acct=70041829&tk=Zk83hQw2Vn";
    assert!(has(
        &s,
        t,
        Label::Url,
        "https://mychart.example.org/Billing/GuestPay?acct=70041829&tk=Zk83hQw2Vn"
    ));
    assert!(!has_label(&s, t, Label::Account));
}

#[test]
fn a_health_plans_member_account_sign_in_alert_is_the_members() {
    let s = Scanner::new();
    let t = "From: Kestrel Member Account <security@notify.kestrel.example.com>\nTo: \
             tamsin.holloway@icloud.com\nSubject: New sign-in to your Kestrel member account\n\n\
             Hi Tamsin,\n\nWe noticed a new sign-in to your Kestrel Vision Benefits account.\n\n  \
             When:       March 11, 2025, 9:41 AM ET\n  IP address: 73.212.48.109\n";
    assert!(s.scan(t).contains_phi);
    // A hospital's careers site is no care.
    let t = t
        .replace("member account", "careers account")
        .replace("Member Account", "Careers")
        .replace("Vision Benefits", "Careers");
    assert!(!s.scan(&t).contains_phi);
}

#[test]
fn a_number_to_call_him_at_is_the_patients_and_him_elsewhere_says_nothing() {
    let s = Scanner::new();
    let t = "Mr. Okafor (DOB 1/2/1950) is set for phase II. Once we have those I'll call him at \
             330-555-0188 to schedule.";
    assert!(has(&s, t, Label::Phone, "330-555-0188"));
    for t in [
        "Mr. Okafor (DOB 1/2/1950): could your office get him in this week? Happy to talk - \
         (740) 555-0120.\n\nRachel Abernathy, MD",
        "Mr. Okafor (DOB 1/2/1950) asked for his records: or call HIM at (740) 555-0150.",
    ] {
        assert!(!has_label(&s, t, Label::Phone), "{t}");
    }
}

#[test]
fn a_donors_thank_you_and_a_partners_id_are_no_patients_mail() {
    let s = Scanner::new();
    let t = "From: Grace Whitfield <gwhitfield@bridgeway.example.org>\nTo: \
             hkowalski.family@comcast.net\nSubject: Thank you, Kowalski family!\n\nDear Henry and \
             Barbara,\n\nThank you for your generous gift of $2,500 received October 10, 2025. \
             Bridgeway Free Clinic is a 501(c)(3) organization.\n\nGrace";
    assert!(!s.scan(t).contains_phi);
    // A patient's own mail to the same office still is.
    let t = t.replace(
        "Thank you for your generous gift of $2,500 received October 10, 2025. Bridgeway Free \
         Clinic is a 501(c)(3) organization.",
        "Your appointment is October 10, 2025 and your MRN is BW-0041187.",
    );
    assert!(s.scan(&t).contains_phi);
    let t = "Order confirmed.\nPartner: Bridgeway Free Clinic (Partner ID 60-1187)\nShip to: our \
             pharmacy room. Questions about the patient assistance program? Call us.";
    assert!(!has_label(&s, t, Label::OtherId) && !has_label(&s, t, Label::MemberId));
}

#[test]
fn a_list_of_diagnosis_codes_and_a_vendors_tracking_link_are_nobodys() {
    let s = Scanner::new();
    // A referral office's instructions name its coordinator and a list of codes to choose from.
    let t = "Dear colleagues,\n\nRSVP to Colleen McAllister at (614) 555-0142 ext 201.\n\nWhen \
             ordering, please include your NPI, the diagnosis (R06.83 snoring, G47.33 suspected \
             OSA, or G47.10 hypersomnia) and the last office note.";
    assert!(!s.scan(t).contains_phi);
    // An order's tracking link after "order=" is the vendor's.
    let t = "Your order has shipped.\nShip to: Riverton Pediatrics ED, Bldg C Rm 312\nEst. \
             delivery: Friday, March 14, 2025\n\nTrack at \
             https://www.medlinq.example.com/track?order=SO-6613027";
    assert!(!s.scan(t).contains_phi);
}

#[test]
fn a_business_review_link_an_interview_and_a_case_no_table() {
    let s = Scanner::new();
    // A business's review link (its name run together) is no one's; a token still is.
    let t = "Review request text: \"Thanks for visiting! Leave us a review: \
             https://g.page/r/CedarCreekKidsDental/review\"";
    assert!(!has_label(&s, t, Label::Url));
    let t = "Dana Ruiz (DOB 2/3/1960), your results are ready: \
             https://portal.example.org/r/Lt7Qx92KfA3m";
    assert!(has_label(&s, t, Label::Url));
    // A hiring interview names a candidate, not a patient.
    let t = "From: Colleen Fitz <cf@restwell.example.com>\nTo: Darnell Whit \
             <dw@restwell.example.com>\nSubject: Interview - RRT candidate Oluwaseun Bakare - Mon \
             3/17 1:00 PM\n\nHe has 4 years of home sleep testing.\n";
    assert!(!s.scan(t).contains_phi);
    // "Case no." heads a table of patients.
    let t = "Here is the September reconciliation.\n\nCase no.       Patient                  \
             Date issued   Reason\nTB-2025-0098   Chen, Wei-Ling           09/05/2025    4 wks \
             DOT completed\nTB-2025-0131   Osei-Bonsu, Samuel       09/19/2025    4 wks DOT \
             completed\n";
    assert!(has(&s, t, Label::Person, "Chen, Wei-Ling"));
    assert!(has(&s, t, Label::OtherId, "TB-2025-0131"));
}

#[test]
fn a_number_after_an_offices_suite_and_zip_is_a_letterheads_and_a_fleet_account_a_garages() {
    let s = Scanner::new();
    let letter = "Re: Mrs. Dorothy Pruitt (DOB 3/4/1941)\n\n";
    for head in [
        "RESTWELL RESPIRATORY\n        4410 Harmon Parkway, Suite 200, Columbus, OH 43219\n    \
         (614) 555-0142\n",
        "  2200 Linden Street, Suite 140, Port Alder, WA 98366   (614) 555-0142\n",
    ] {
        let t = format!("{letter}Michael Osei, Esq.\n{head}\nPlease call with questions.");
        assert!(!has(&s, &t, Label::Phone, "(614) 555-0142"), "{t}");
    }
    // A patient's own address and number, with an apartment, are still hers.
    let t = format!(
        "{letter}Mailing address:\n118 Linwood Ave, Apt 2, Columbus, OH 43219\n(614) 555-0142\n"
    );
    assert!(has(&s, &t, Label::Phone, "(614) 555-0142"));
    let t = "van 3 in the shop - front brakes. est $1,240. fleet acct 55-0310. Pt Ruiz DOB 2/3/1960 rides on van 2.";
    assert!(!has_label(&s, t, Label::Account));
}

#[test]
fn a_templates_dummy_member_id_and_ed_in_a_capacity_alert_are_nobodys() {
    let s = Scanner::new();
    for t in [
        "Proofs use our standard dummy data (JOHN Q SAMPLE / 123 ANY STREET / member ID \
         XXX00000000), so no live data was used. Proofs due 6/13.",
        "Subject: CAPACITY ALERT\n\n  ED admitted holds .............. 19\n  ICU beds open \
         ................... 2",
    ] {
        assert!(!s.scan(t).contains_phi, "{t}");
    }
    // A real member ID and a patient named Ed still count.
    let t = "Member ID XKH482917356, DOB 2/3/1960: prior auth for the ablation.";
    assert!(has(&s, t, Label::MemberId, "XKH482917356"));
    let t = "Ed Morales admitted overnight with chest pain; DOB 2/3/1960.";
    assert!(has_label(&s, t, Label::Person));
}

#[test]
fn a_patient_at_a_work_mailbox_who_asks_for_a_work_note_or_is_sent_one() {
    let s = Scanner::new();
    // The writer speaks of their own care from their employer's mailbox.
    let asks = "From: Priya Venkataraman <pvenkataraman@lakesideeng.example.com>\nTo: Kendra \
                Ostrowski <kostrowski@riverbendgi.example.com>\nSubject: work note\n\nHi Kendra,\n\n\
                I need a work note for my colonoscopy on 5/9. HR says it has to say I was under \
                sedation.\n\nThank you!\nPriya\n";
    let r = s.scan(asks);
    assert!(r.contains_phi);
    assert!(has(&s, asks, Label::Person, "Priya Venkataraman"));
    assert!(!has(&s, asks, Label::Person, "Kendra Ostrowski"));
    // The clinic answers the reader, at another organisation's mailbox, about theirs.
    let sent = "From: Brianna Yost <byost@riverbendallergy.example.com>\nTo: Samuel Oyelaran \
                <soyelaran@hbgfreight.example.com>\nSubject: RE: work excuse\n\nHi Samuel,\n\nYour \
                work note is attached as a PDF.\n\nBrianna Yost\nPatient Services\n";
    assert!(s.scan(sent).contains_phi);
    assert!(has(&s, sent, Label::Person, "Samuel Oyelaran"));
    // A colleague at the same domain, a vendor's rep with "my appointment", a mailing list:
    // nobody's care.
    for t in [
        "From: Brianna Yost <byost@riverbendallergy.example.com>\nTo: Samuel Oyelaran \
         <soyelaran@riverbendallergy.example.com>\nSubject: RE: forms\n\nHi Samuel,\n\nYour work \
         note template is in the shared drive.\n",
        "From: Gary Pham <gpham@harborline.example.com>\nTo: Kendra Ostrowski \
         <kostrowski@riverbendgi.example.com>\nSubject: visit\n\nI have my appointment with your \
         office manager on 5/9 to go over the proposal.\n",
        "From: Brianna Yost <byost@riverbendallergy.example.com>\nTo: Samuel Oyelaran \
         <soyelaran@hbgfreight.example.com>\nSubject: RE: quote\n\nHi Samuel,\n\nThe freight \
         quote for the exam tables is attached.\n",
    ] {
        assert!(!s.scan(t).contains_phi, "{t}");
    }
}

#[test]
fn a_tickets_client_field_a_meetings_follow_up_and_a_new_hires_town_are_no_patients() {
    let s = Scanner::new();
    for t in [
        // An IT vendor's ticket: the client is the practice.
        "From: Keystone IT <support@keystone.example.com>\nSubject: [Ticket #KMIT-208341] eFax\n\n\
         Client:          Riverbend Allergy, Asthma & Immunology, P.C.\nContact:         Denise \
         Kowalczyk, (717) 555-0140 x201\nInbound faxes to (717) 555-0141 not arriving since \
         03/10.\n",
        // A sales follow-up after a board's work session.
        "Subject: Follow-up from last Tuesday's presentation - proposal\n\nTrustee Marchetti, Mr. \
         Szabo, Chief Ingersoll,\n\nThank you again for having us at the March 11 work session.\n",
        // A new colleague's town, announced to all staff.
        "From: Renee Castellanos <rc@harborline.example.com>\nTo: All Staff \
         <allstaff@harborline.example.com>\nSubject: Welcome Tatiana\n\nHi all,\n\nTatiana will \
         be working on the patient phone line and payment plans. She lives in Hilliard with \
         her husband.\n",
    ] {
        assert!(!s.scan(t).contains_phi, "{t}");
    }
    // A patient who is a client, a follow-up visit, a patient's town: still care.
    let t = "Client:   Dana Ruiz\nContact:  Dana Ruiz, (717) 555-0140\nShe missed her visit on \
             03/10.\n";
    assert!(s.scan(t).contains_phi, "{t}");
    let t = "Subject: Follow-up from your colonoscopy\n\nMr. Szabo, your biopsy results are \
             back.\n";
    assert!(s.scan(t).contains_phi, "{t}");
    let t = "Hi Renee,\n\nPatient Dana Ruiz (DOB 2/3/1960) lives in Hilliard with her husband.\n";
    assert!(has_label(&s, t, Label::Address), "{t}");
}

#[test]
fn serial_numbers_in_a_preventive_maintenance_visit_are_machines() {
    let s = Scanner::new();
    for t in [
        "Subject: RE: Annual PM - spirometers both sites\n\nConfirming annual preventive \
         maintenance and calibration verification for your two units:\n\n  Camp Hill - \
         SpiroVue 300, S/N SV3-004417 - Tuesday 3/25, 7:30 AM\n",
        "Subject: PM visit confirmation - Work Order WO-882415\n\nEquipment:     AquaClear \
         AER Model DSD-4   S/N DSD4-17720441  (Bay 1)\n",
    ] {
        assert!(!has_label(&s, t, Label::Device), "{t}");
    }
    // A patient's device still is.
    let t = "Pt Dana Ruiz (DOB 2/3/1960): her CPAP S/N SV3-004417 was swapped at the visit.";
    assert!(has_label(&s, t, Label::Device), "{t}");
}

#[test]
fn a_guarantors_name_columns_a_debtor_an_incident_column_and_a_compact_date_of_birth() {
    let s = Scanner::new();
    let t = "Placement file below.\n\nplacement_id,client,hlb_acct,guarantor_last,guarantor_first,\
             dos,curr_bal\nHLB25030B-01,LAKEVIEW,4417-291553,DECKER,SHANE,2024-10-04,1612.00\n\
             HLB25030B-02,LAKEVIEW,4417-293870,MWANGI,PETER,2024-10-19,1148.50\n";
    assert!(has(&s, t, Label::Person, "DECKER"), "{:?}", labels(&s, t));
    assert!(has(&s, t, Label::Person, "SHANE"), "{:?}", labels(&s, t));
    // A vendor's contact columns are no one's name here.
    let t = "Vendor file below.\n\nvendor_id,vendor_last,vendor_first,invoice,amount\n\
             V-01,DECKER,SHANE,88120,1612.00\nV-02,MWANGI,PETER,88121,1148.50\n";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    let t = "Debtor Tyrone Baskerville called in disputing the balance on the ambulance bill.";
    assert!(
        has(&s, t, Label::Person, "Tyrone Baskerville"),
        "{:?}",
        labels(&s, t)
    );
    let t = "Debtor letters go out Monday from the Columbus office.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    let t = "Incident #   DOS          Patient                  Unit\n\
             25-004417    03/10/2025   Whitaker, Loretta        M21\n";
    assert!(
        has(&s, t, Label::OtherId, "25-004417"),
        "{:?}",
        labels(&s, t)
    );
    let t = "Ticket #     Opened       Tech\n25-004417    03/10/2025   Brett Hollis\n";
    assert!(!has_label(&s, t, Label::OtherId), "{:?}", labels(&s, t));
    let t = "Subscriber:         CHU, MEI-LING\nSubscriber DOB:     19890305\nMember ID:          \
             102993847166\n";
    assert!(has(&s, t, Label::Date, "19890305"), "{:?}", labels(&s, t));
    // Not a date: a month 13, or no label before it.
    let t = "Subscriber DOB:     19891305\n";
    assert!(!has_label(&s, t, Label::Date), "{:?}", labels(&s, t));
    let t = "Invoice 20241101 is paid.";
    assert!(!has_label(&s, t, Label::Date), "{:?}", labels(&s, t));
}

#[test]
fn a_subject_date_right_after_a_procedure_is_the_patients() {
    let s = Scanner::new();
    let t = "From: Graciela Montoya <gmontoya62@gmail.com>\nTo: Pre-procedure Nurses \
             <preop@riverbendgi.example.com>\nSubject: Re: Your colonoscopy on Thursday 5/16 - \
             prep instructions\n\nMy arrival time says 7:15. Do I take my metformin the day of \
             the prep?\n";
    assert!(has(&s, t, Label::Date, "5/16"), "{:?}", labels(&s, t));
    let t = "From: Dana Whitcomb <dwhitcomb@riverbendgi.example.com>\nTo: Nurses \
             <rn@riverbendgi.example.com>\nSubject: Staff meeting on Thursday 5/16 - agenda\n\n\
             We will go over the new prep instructions.\n";
    assert!(!has_label(&s, t, Label::Date), "{:?}", labels(&s, t));
}

#[test]
fn a_name_before_its_date_of_service_an_injured_worker_and_a_cue_before_a_sentence_end() {
    let s = Scanner::new();
    let t = "Yes - that's incident NF25-000612, Hodan Warsame, DOS 3/14. It went out to Ohio \
             Medicaid yesterday.";
    assert!(
        has(&s, t, Label::Person, "Hodan Warsame"),
        "{:?}",
        labels(&s, t)
    );
    // "DOS" without a date, or a word that says an operating system: no one's visit.
    let t = "Harlan Brightwater, DOS version of the billing software, is retired next month.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    let t = "BWC claim no.:     25-118724\n  Injured worker:    Sunil Chaudhary\n  Date of \
             injury:    03/02/2025\n";
    assert!(has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    // The cue ends its sentence: the next one's first word is no name.
    let t = "Attached is our bill and PCR for your injured worker. Employer confirmed the claim \
             number to us by phone.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
}

#[test]
fn an_alarms_acknowledgement_link_and_a_letter_for_a_patients_employer() {
    let s = Scanner::new();
    // A fridge's temperature alarm: the link names a site and an event, no one's session.
    let t = "Sensor:          MED-FRIDGE-02\nAcknowledge: \
             https://portal.temptrak.example.net/ack?site=RRIC-01&evt=558120\n";
    assert!(!has_label(&s, t, Label::Url), "{:?}", labels(&s, t));
    // A patient's token still is one.
    let t = "Your results are ready: https://portal.example.org/r?token=Lt7Qx92KfA3m";
    assert!(has_label(&s, t, Label::Url), "{:?}", labels(&s, t));
    // The clinic's letter for the reader's employer, and the reader's request quoted below.
    let t = "From: Priya Raghunathan <praghunathan@ridgelinehand.example.com>\nTo: Harpreet \
             Sandhu <harpreet.sandhu@meridianlabs.example.com>\nSubject: RE: note for work\n\n\
             Hi Harpreet,\n\nLetter is attached. It says: \"Harpreet Sandhu is under our care and \
             may continue full duty.\"\n\nPriya\n";
    assert!(s.scan(t).contains_phi, "{:?}", labels(&s, t));
    let t = "From: Harpreet Sandhu <harpreet.sandhu@meridianlabs.example.com>\nTo: Priya \
             Raghunathan <praghunathan@ridgelinehand.example.com>\nSubject: note\n\nHi Priya, \
             could I get a short note for work saying I can still type?\n\nHarpreet\n";
    assert!(s.scan(t).contains_phi, "{:?}", labels(&s, t));
    assert!(!has(&s, t, Label::Person, "Priya"), "{:?}", labels(&s, t));
    // An employee health policy ("a return-to-work note") and an IT ticket's "work note" are
    // no one's visit.
    let t = "From: Employee Health <eh@larch.example.org>\nTo: Dana Whitcomb \
             <dwhitcomb@larch.example.org>\nSubject: RE: returns\n\nHi Dana,\n\nThey bring a \
             return-to-work note to us before their first shift back.\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
}

#[test]
fn a_name_before_words_that_call_the_person_a_patient() {
    let s = Scanner::new();
    // A given name the lists know and a surname they lack, then "your ... pt" in brackets.
    let t = "Hi Dr. R,\n\nQuick q on Svetlana Petrenko (your PI pt, I see her tues/thurs). At \
             her session this morning she mentioned a new blood thinner.\n";
    assert!(
        has(&s, t, Label::Person, "Svetlana Petrenko"),
        "{:?}",
        labels(&s, t)
    );
    assert!(s.scan(t).contains_phi, "{:?}", labels(&s, t));
    let t = "Can you fit in Svetlana Petrenko, a new patient, on Thursday?";
    assert!(
        has(&s, t, Label::Person, "Svetlana Petrenko"),
        "{:?}",
        labels(&s, t)
    );
    // A job ("our patient coordinator") and a credential (", PT") say staff.
    let t = "Please welcome Svetlana Petrenko, our patient liaison, to the front office.";
    assert!(
        !has(&s, t, Label::Person, "Svetlana Petrenko"),
        "{:?}",
        labels(&s, t)
    );
    let t = "Covering today: Svetlana Petrenko, PT, DPT in the Gresham gym.";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
}

#[test]
fn a_field_service_visit_a_company_van_and_words_that_are_no_names() {
    let s = Scanner::new();
    // A service company's confirmation: the serial number is the organisation's machine.
    let t = "From: Summit Biomedical Field Service <fieldservice@summitbiomed.example.com>\nTo: \
             Kevin Strand <kstrand@tamarackrad.example.org>\nSubject: Service Confirmation - \
             Ticket 418-77-2093 - TrueBeam SN H192217 (TB1)\n\nWork: Replace MLC leaf motor \
             B34; leaf calibration\n";
    assert!(!has_label(&s, t, Label::Device), "{:?}", labels(&s, t));
    // A patient's device, by a clinic's nurse, still is one.
    let t = "From: Tess Okafor <tokafor@clinic.example.org>\nTo: Ana Ruiz \
             <ana.ruiz62@gmail.com>\nSubject: your pump\n\nYour pump SN H192217 is due for its \
             check.\n";
    assert!(has_label(&s, t, Label::Device), "{:?}", labels(&s, t));
    // The words before a VIN: "this morning" holds no "his" even where a window cuts it.
    let t = "Van 14 wouldn't start this morning, same as last Wed. Gahanna Fleet Service is \
             sending a tow at 8. They think it's the starter this time not the battery.\n\nUnit: \
             Van 14 - 2021 Ford Transit 250 high roof\nPlate: PLX 7731 (OH)\nVIN: \
             1FTBR1Y84MKA40317\n";
    assert!(!has_label(&s, t, Label::Vehicle), "{:?}", labels(&s, t));
    let t = "Her son hit the van in the lot this morning. His plate and VIN for the claim: VIN: \
             1FTBR1Y84MKA40317\n";
    assert!(has_label(&s, t, Label::Vehicle), "{:?}", labels(&s, t));
    // "Your Client's Chart" in a talk's title, "Thrush:" heading an order set's item, and
    // "Dear Outreach Client,": no one's name.
    let t = "You're invited:\n\n  \"What Adjusters Look For and How Your Client's Chart Should \
             Read\"\n\nThursday, December 4, 2025, 12:00 - 1:15 PM\n";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    let t = "Changes to the order set:\n- Sucralfate slurry 1 g QID for esophagitis.\n- Thrush: \
             fluconazole first line, nystatin suspension if on interacting meds.\n";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    let t = "From: LVH Laboratory Outreach <laboutreach@laurelvalley.example.org>\nTo: Outreach \
             Client Offices\nSubject: Courier routes\n\nDear Outreach Client,\n\nStarting \
             Monday, December 14, several courier routes change.\n";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
}

#[test]
fn interviews_a_credentials_possessive_parking_spots_and_a_medical_staff_office() {
    let s = Scanner::new();
    // Interviews for a post: the names are applicants'.
    let t = "From: Sam Petrakis <spetrakis@rosewood.example.com>\nTo: Hannah Cho \
             <hcho@rosewood.example.com>\nSubject: MA interviews Thu 3/12\n\nTwo medical \
             assistant candidates for the recon clinic on Thursday 3/12:\n\n12:15  Destiny \
             Harmon - 3 yrs at a dermatology office, phlebotomy cert\n1:00   Mateus Oliveira - \
             new grad, did his externship in ortho\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // Strong evidence still counts there: a patient's birth date.
    let t = "From: Sam Petrakis <spetrakis@rosewood.example.com>\nTo: Hannah Cho \
             <hcho@rosewood.example.com>\nSubject: MA interviews Thu 3/12\n\nTwo medical \
             assistant candidates on Thursday 3/12. One was our patient (DOB 04/11/1990): \
             please keep her chart out of it.\n";
    assert!(s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // "Lena Fujimoto DPT's is 1330718424": a therapist's credential, possessive.
    let t = "Also for your records, Dr. Tillman's individual NPI is 1648273054 and Lena Fujimoto \
             DPT's is 1330718424. He can't see any Cascade patients until then.\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    let t = "Our patient Lena Fujimoto's PT referral is attached.\n";
    assert!(s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // Parking spots for patients speak of no one's care.
    let t = "Hi everyone,\n\nPlease don't park in the P1 patient spots. Welcome to Carla Jimenez, \
             who started last week!\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    let t = "Hi everyone,\n\nOur patient Carla Jimenez fell in the P1 lot this morning.\n";
    assert!(s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // A hospital's medical staff office writes to the practice's manager.
    let t = "From: SBMC Medical Staff Services <medstaff@stbrendan.example.org>\nTo: Denise \
             Albright <dalbright@rosewood.example.com>\nSubject: Reappointment packet due\n\n\
             Dear Ms. Albright,\n\nDr. Menon's appointment expires May 31, 2026. Please send \
             the case log (procedure counts only, no patient identifiers please).\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
}

#[test]
fn towns_with_a_short_first_word_or_a_common_noun_and_a_trips_start() {
    let s = Scanner::new();
    let t = "Pt Marvin Eddings, DOB 01/02/1950. He lives in La Pine and is very hard of hearing.";
    assert!(has(&s, t, Label::Address, "La Pine"), "{:?}", labels(&s, t));
    let t = "Pt Marvin Eddings, DOB 01/02/1950. She lives out in Christmas Valley, 100+ mi each \
             way.";
    assert!(
        has(&s, t, Label::Address, "Christmas Valley"),
        "{:?}",
        labels(&s, t)
    );
    // A day's name before a common noun is no town.
    let t = "Pt Marvin Eddings, DOB 01/02/1950. He lives in Monday Creek now.";
    assert!(!has_label(&s, t, Label::Address), "{:?}", labels(&s, t));
    // Where a patient travels in from: the town's span, not a verdict of its own.
    let t = "Pt Marvin Eddings, DOB 01/02/1950. He's 91 and the daughter drives him up from \
             Salem, so late morning works better.";
    assert!(has(&s, t, Label::Address, "Salem"), "{:?}", labels(&s, t));
    let t = "Hi all,\n\nOur speaker Dr. Ama Owusu is flying in from Seattle for grand rounds \
             on Thursday.\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // "coming from St Brendan": a hospital.
    let t = "Pt Marvin Eddings, DOB 01/02/1950, coming from St Brendan, may arrive late.";
    assert!(!has_label(&s, t, Label::Address), "{:?}", labels(&s, t));
}

#[test]
fn a_name_in_a_days_visit_list_after_its_time() {
    let s = Scanner::new();
    // One of the two words in the lists is enough after a visit's time and before a column.
    let t = "Schedule for today:\n\n0800  Pruitt, Wendell        Milwaukie      wkly CBC\n1130  \
             Lindqvist, Beatrice    Lake Oswego    PCN G bag chg\n11:30  Rao, Sunita            \
             West Linn      PICC sluggish\n";
    assert!(
        has(&s, t, Label::Person, "Lindqvist, Beatrice"),
        "{:?}",
        labels(&s, t)
    );
    assert!(
        has(&s, t, Label::Person, "Rao, Sunita"),
        "{:?}",
        labels(&s, t)
    );
    // Not without the time, nor after a room's number.
    let t = "Schedule for today:\n\nLindqvist, Beatrice    Lake Oswego    PCN G bag chg\n";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    let t = "Schedule for today:\n\nRoom 1130  Lindqvist, Beatrice    Lake Oswego\n";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
}

#[test]
fn a_systems_time_stamp_is_no_patients_date_but_a_specimens_is() {
    let s = Scanner::new();
    let t = "You have received a new fax.\n\n  Received:    03/03/2026 06:57 AM EST\n  Caller ID:   \
             6145550177\n  Pages:       4\n\nPatient Marvin Eddings, DOB 01/02/1950.\n";
    assert!(
        !has(&s, t, Label::Date, "03/03/2026"),
        "{:?}",
        labels(&s, t)
    );
    assert!(has(&s, t, Label::Date, "01/02/1950"), "{:?}", labels(&s, t));
    let t = "Report: Capped rentals\nRun time: 03/03/2026 4:15 PM   Rows: 6\n\nPatient Marvin \
             Eddings, DOB 01/02/1950, rental month 13.\n";
    assert!(
        !has(&s, t, Label::Date, "03/03/2026"),
        "{:?}",
        labels(&s, t)
    );
    // A lab's received time, beside the collection time, is the specimen's.
    let t = "Patient: Marvin Eddings   DOB: 01/02/1950\nCollected:  03/11/2025 06:40\nReceived:   \
             03/11/2025 07:20\nReported:   03/11/2025 09:02\n";
    assert!(has(&s, t, Label::Date, "03/11/2025"), "{:?}", labels(&s, t));
    let received = s
        .scan(t)
        .findings
        .iter()
        .filter(|f| f.label == Label::Date && &t[f.start_byte..f.end_byte] == "03/11/2025")
        .count();
    assert_eq!(received, 3, "{:?}", labels(&s, t));
}

#[test]
fn charts_active_and_discharged_speak_of_no_ones_discharge() {
    let s = Scanner::new();
    let t = "Assignments (10 charts each, random pull from active + discharged in last 90 days):\n  \
             Carla Benavides   intake packet completeness, insurance verification\n  Angela \
             Fuentes    billing forms\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    let t = "Carla Benavides was discharged home yesterday; first infusion visit tomorrow.\n";
    assert!(s.scan(t).contains_phi, "{:?}", labels(&s, t));
}

#[test]
fn a_birthday_with_its_year_a_group_greeting_an_era_enrollment_and_a_service_engineer() {
    let s = Scanner::new();
    // A caller's birthday with its year, in a voicemail's transcript to staff, is a DOB.
    let t = "From: Phone System <voicemail@ridgeline.example.com>\nTo: Billing \
             <billing@ridgeline.example.com>\nSubject: New voicemail\n\nTranscription: hi \
             this is about my bill. my birthday is June 3rd 1958. thank you.\n";
    assert!(s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // A colleague's birthday, without a year, is not.
    let t = "From: Sam Petrakis <spetrakis@ridgeline.example.com>\nTo: All Staff \
             <allstaff@ridgeline.example.com>\nSubject: cake\n\nCarla's out this afternoon. Her \
             birthday is Thursday 3/13 - cake in the break room!\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // "Dear Facility Leaders,": a group.
    let t = "From: Great Lakes ESRD Network <qi@greatlakesesrd.example.org>\nTo: Facility \
             Administrators and Home Program Managers\nSubject: March 20 webinar\n\nDear \
             Facility Leaders,\n\nJoin us on March 20, 2025.\n";
    assert!(!has_label(&s, t, Label::Person), "{:?}", labels(&s, t));
    // A practice's enrollment for electronic remittances, and a field service engineer's
    // visit to the practice's ultrasound machines.
    let t = "Your ERA (835) enrollment request has been approved by the payer.\n\nEnrollment \
             ID:       ENR-55120\nProvider:            TIDEFLATS PHYSICAL THERAPY LLC\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    let t = "Your plan enrollment is confirmed.\n\nEnrollment ID:       ENR-55120\nMember: \
             Ana Ruiz\n";
    assert!(has_label(&s, t, Label::MemberId), "{:?}", labels(&s, t));
    let t = "While I'm there I'll do the semi-annual PM on US3 (Philips\n  Affiniti 50, SN \
             US71904622) so we don't need a second trip.\n\nJared Kimball\nField Service \
             Engineer\n";
    assert!(!has_label(&s, t, Label::Device), "{:?}", labels(&s, t));
}

#[test]
fn a_clinicians_payer_enrollment_a_labs_client_number_a_workers_audiogram_and_a_specimen() {
    let s = Scanner::new();
    // A clinician's enrollment with health plans: the plan's number is the clinician's.
    let t = "From: Leilani Kahale <lkahale@ridgelinebilling.example.com>\nTo: Yolanda Pierce \
             <ypierce@lakewoodbh.example.org>\nSubject: Dr. Villanueva - payer enrollment \
             status as of 10/7\n\nPayer                     Submitted    Ref #\nWA Apple Health \
             (HCA)     08/29/2025   ProviderOne 210488102\n";
    assert!(!has_label(&s, t, Label::MemberId), "{:?}", labels(&s, t));
    let t = "From: Leilani Kahale <lkahale@ridgelinebilling.example.com>\nTo: Yolanda Pierce \
             <ypierce@lakewoodbh.example.org>\nSubject: eligibility\n\nPatient Ana Ruiz, \
             ProviderOne 210488102WA, is eligible.\n";
    assert!(has_label(&s, t, Label::MemberId), "{:?}", labels(&s, t));
    // "your website says (253) 555-0180": an office's number.
    let t = "Please confirm the number to list - the CAQH profile has (253) 555-0181 but your \
             website says (253) 555-0180.\n";
    assert!(
        !has(&s, t, Label::Phone, "(253) 555-0180"),
        "{:?}",
        labels(&s, t)
    );
    let t = "Please confirm the number to list - your cell says (253) 555-0180.\n";
    assert!(
        has(&s, t, Label::Phone, "(253) 555-0180"),
        "{:?}",
        labels(&s, t)
    );
    // A lab's account number for the clinic ("Client #: 20-88417") speaks of no one's care.
    let t = "Effective 3/17, courier pickup moves to 3:30 PM.\n\nClient #: 20-88417\n\nPacific \
             Toxicology Laboratories\n2600 NW Industrial Pkwy, Portland, OR 97210\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // A worker's hearing test, reported to the employer.
    let t = "Employee: Connor McBride\nEmployee ID: AMF-1184\nBaseline audiogram: \
             05/16/2019\nAnnual audiogram: 03/04/2025\n";
    assert!(s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // Two words the lists lack, then when the person's specimen was collected.
    let t = "Hi Tanya,\n\nResult for Kateryna Melnyk (collected 03/10/2025, specimen ID \
             RO1104873) came back NEGATIVE.\n";
    assert!(
        has(&s, t, Label::Person, "Kateryna Melnyk"),
        "{:?}",
        labels(&s, t)
    );
    let t = "Hi Tanya,\n\nResults for Spokane Plant (collected 03/10/2025) are in the portal.\n";
    assert!(
        !has(&s, t, Label::Person, "Spokane Plant"),
        "{:?}",
        labels(&s, t)
    );
}

#[test]
fn a_spoken_birth_date_an_apostrophe_surname_an_x_extension_and_a_screening_coach() {
    let s = Scanner::new();
    // A birth date spoken into a voicemail, year and all.
    let t = "From: Phone System <voicemail@mammo.example.org>\nTo: \
             scheduling@mammo.example.org\nSubject: New voicemail\n\nTranscription: \"Hi this \
             is Rosalind Pettaway calling. My birthday is June third nineteen sixty two. Call me \
             back.\"\n";
    assert!(
        has(&s, t, Label::Date, "June third nineteen sixty two"),
        "{:?}",
        labels(&s, t)
    );
    assert!(s.scan(t).contains_phi, "{:?}", labels(&s, t));
    let t = "my date of birth is march twenty-first, nineteen fifty and I need a refill";
    assert!(
        has(&s, t, Label::Date, "march twenty-first, nineteen fifty"),
        "{:?}",
        labels(&s, t)
    );
    // Not a month alone after "birth", nor text with accents around the cue.
    let t = "The Birth Center is closed in June for the remodel.";
    assert!(!has_label(&s, t, Label::Date), "{:?}", labels(&s, t));
    let t = "fecha de nacimiento / date of birth: señora Jiménez é 6/1/1940";
    let _ = s.scan(t);
    // "Peggy O'Brien": the lists know "obrien".
    let t = "Priya - evaluated Peggy O'Brien yesterday (3/10).\n\nDx: s/p L TKA 3/5/25\n";
    assert!(
        has(&s, t, Label::Person, "Peggy O'Brien"),
        "{:?}",
        labels(&s, t)
    );
    // "(Brendan O'Shea, x4120)": a colleague at an extension.
    let t = "Route it to the queue and let WFM know (Brendan O'Shea, x4120) so the patient \
             callbacks get covered.\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // Interviews for a clinical fellow's post.
    let t = "From: Marisol Venegas <mv@kestrel.example.com>\nTo: Greg Haldorsen \
             <gh@kestrel.example.com>\nSubject: CF-SLP interviews - Thurs/Fri\n\nHi both,\n\nThree \
             candidates for the fall CF position said yes to interviews. Schedule:\n\n  Thu \
             3/13  8:00 AM   Olivia Brennan (Portland State, graduating June '25)     - in \
             person\n  Fri 3/14  10:30 AM  Jae-won Park (Pacific University, graduating May \
             '25)    - Zoom\n  Fri 3/14  1:00 PM   Esperanza Morales (Univ. of Oregon '24, \
             currently CF at a school district) - in person\n\nPriya - can you do the case \
             scenario piece (20 min) for Olivia and Esperanza? Use the made-up 4yo w/ \
             phonological disorder vignette, not a real kid.\nGreg - please have the pay range \
             printed. Esperanza asked about relocation help, her cell is (541) 555-0193 if you \
             want to call her directly about that.\n";
    assert!(!s.scan(t).contains_phi, "{:?}", labels(&s, t));
    // A screening coach's VIN and its mammography unit's serial number are the service's.
    let t = "Coach 1: 2017 Freightliner M2 106 / mobile mammo body   VIN 1FVACWDT3HHJB5520   NC \
             plate EFR-4417\n";
    assert!(!has_label(&s, t, Label::Vehicle), "{:?}", labels(&s, t));
    let t = "From: Ray Physics <ray@physics.example.com>\nTo: Marisol <m@mammo.example.org>\n\
             Subject: RE: Annual MQSA survey - Coach 2 unit - proposed dates\n\n> Coach 2's \
             Selenia Dimensions (SN 80321-DM-1174) is due.\n";
    assert!(!has_label(&s, t, Label::Device), "{:?}", labels(&s, t));
}

#[test]
fn a_trial_subjects_number_is_strong_evidence_and_a_ticket_number_is_not() {
    let s = Scanner::new();
    // A data system's query digest names subjects only by number; nothing else in it is a
    // patient's, yet the subject is one person enrolled at one site.
    let digest = "Medidata Rave - Daily Query Digest\nStudy: KRX-2207 (Prod)\n\n\
Subject:  218-014\nFolder:   Cycle 3 Day 1\nForm:     Vital Signs\n\
Query:    Please verify the value.\n\nScreening #:    218-S031\n";
    let r = s.scan(digest);
    assert!(r.contains_phi, "{:?}", r.findings);
    assert!(has(&s, digest, Label::OtherId, "218-014"));
    assert!(has(&s, digest, Label::OtherId, "218-S031"));
    // A year and a sequence ("Subject: 2025-014") is a document's number, not a subject's;
    // "Screening #" before a plain number is an event's.
    let memo = "Subject:  2025-014\nPolicy memo on badge access.\n\nScreening #: 4471 (hearing, staff fair)\n";
    let r = s.scan(memo);
    assert!(!r.contains_phi, "{:?}", r.findings);
    assert!(
        r.findings
            .iter()
            .all(|f| f.rule != "other_id.study_subject")
    );
}

#[test]
fn a_subject_column_lists_trial_subjects_and_a_ticket_lists_subjects_of_mail() {
    let s = Scanner::new();
    let letter = "#  | Subject | Finding                               | Status\n\
1  | 218-009 | AE onset 14-Jan-2025 not entered on CRF  | Open\n\
2  | 218-011 | Con med start date does not match source | Open\n\
3  | N/A     | Temperature log missing entries          | Open\n";
    assert!(has(&s, letter, Label::OtherId, "218-009"));
    assert!(has(&s, letter, Label::OtherId, "218-011"));
    let tickets = "Ticket | Subject | Status\n4471 | Password reset for 2025-114 | Open\n\
4472 | printer on 3 | Closed\n";
    assert!(!has_label(&s, tickets, Label::OtherId));
    assert!(!s.scan(tickets).contains_phi);
}

#[test]
fn a_labs_clia_number_is_no_chart_number_and_a_record_after_a_name_is() {
    let s = Scanner::new();
    let clia = "From: Harriet Kwan <hk@clinic.example.org>\nTo: Yvonne <y@clinic.example.org>\n\
Subject: CLIA waiver renewal\n\nCLIA #:           50D2098841\nCurrent expiry:   05/31/2025\n\n\
Gig Harbor (50D2104467) isn't due until 2026.\n";
    let r = s.scan(clia);
    assert!(!r.contains_phi, "{:?}", labels(&s, clia));
    assert!(!has_label(&s, clia, Label::Mrn), "{:?}", labels(&s, clia));
    // The same sentence with a chart number of another shape names a patient.
    let chart = "Patient list for the INR clinic:\n\n- Whitcombe (NGC-120937) - INR 3.4, \
                 hold one dose\n";
    assert!(
        has(&s, chart, Label::Person, "Whitcombe"),
        "{:?}",
        labels(&s, chart)
    );
    assert!(s.scan(chart).contains_phi);
}

#[test]
fn a_podiatrist_on_a_credentials_file_is_staff_and_a_patient_by_name_is_not() {
    let s = Scanner::new();
    let staff = "Dr. Okafor,\n\nWe have the following on file:\n\n  Name:             Thomas C. \
                 Okafor, DPM\n  NPI:              1659412070\n\nRegards\n";
    assert!(!s.scan(staff).contains_phi, "{:?}", labels(&s, staff));
    let patient = "Dr. Okafor,\n\nWe have the following on file:\n\n  Name:             Thomas C. \
                   Okafor\n  DOB:              04/12/1961\n\nRegards\n";
    assert!(s.scan(patient).contains_phi, "{:?}", labels(&s, patient));
}

#[test]
fn a_sign_in_place_is_a_patients_in_their_mailbox_and_not_in_a_work_mailbox() {
    let s = Scanner::new();
    let alert = |to: &str| {
        format!(
            "From: SchedulePro Security <security@schedulepro.example.com>\nTo: {to}\n\
Subject: New sign-in to your account\n\nWe noticed a new sign-in to your account.\n\n  Device:    \
Chrome 131 on Windows 11\n  Location:  Beaverton, OR, US (approximate)\n\nIf this was you, \
you don't need to do anything.\n"
        )
    };
    let work = alert("Hye-jin Park <hpark@bridgeway.example.com>");
    assert!(
        !has_label(&s, &work, Label::Address),
        "{:?}",
        labels(&s, &work)
    );
    let home = alert("hyejin.park88@gmail.com");
    assert!(
        has(&s, &home, Label::Address, "Beaverton, OR"),
        "{:?}",
        labels(&s, &home)
    );
}

#[test]
fn an_interpreting_carts_serial_is_equipment_and_a_pacemakers_is_the_patients() {
    let s = Scanner::new();
    let cart = "Quick summary:\n\n- Cart: STA-VRI-07, serial LVC22A004871, app 4.2.9\n- Sessions \
                both show packet loss before disconnect\n";
    assert!(
        !has_label(&s, cart, Label::Device),
        "{:?}",
        labels(&s, cart)
    );
    let implant = "Quick summary:\n\n- Pacemaker: Azure XT DR, serial RNB204887S, implanted \
                   2023\n- Remote transmissions show no arrhythmia\n";
    assert!(
        has_label(&s, implant, Label::Device),
        "{:?}",
        labels(&s, implant)
    );
}

#[test]
fn a_meter_serial_column_lists_patients_devices_and_a_printer_inventory_does_not() {
    let s = Scanner::new();
    let results = "acuvia_pt_id,last_name,first_name,dob,meter_sn,test_datetime,inr\n\
AC-561977,Kahale,Leilani,1962-10-30,UY08290117,2025-03-10 18:05,2.6\n\
AC-563412,Sandhu,Rajinder,1958-12-12,UY08411039,2025-03-10 19:40,2.2\n";
    assert!(
        has(&s, results, Label::Device, "UY08290117"),
        "{:?}",
        labels(&s, results)
    );
    assert!(
        has(&s, results, Label::Mrn, "AC-563412"),
        "{:?}",
        labels(&s, results)
    );
    // An office's printers by serial: no column only a patient table has.
    let printers = "location,model,printer_sn,toner\n2nd floor,AltaLink C8155,UY08290117,low\n\
Front desk,AltaLink C8155,UY08411039,ok\n";
    assert!(
        !has_label(&s, printers, Label::Device),
        "{:?}",
        labels(&s, printers)
    );
}

#[test]
fn a_voice_mail_callers_number_is_found_and_counts_only_beside_care() {
    let s = Scanner::new();
    let care = "Subject: Message from 2185550119 (2185550119)\n\nVoice message from 2185550119 \
                received Tuesday.\n\nTranscription: my husband was discharged Sunday and nobody \
                gave us the paper for his blood thinner.\n";
    assert!(
        has(&s, care, Label::Phone, "2185550119"),
        "{:?}",
        labels(&s, care)
    );
    assert!(s.scan(care).contains_phi);
    let payroll = "Subject: Message from 2185550119 (2185550119)\n\nVoice message from 2185550119 \
                   received Tuesday.\n\nTranscription: hi it's Dana from payroll, timesheets for \
                   the holiday week are due Friday.\n";
    assert!(!s.scan(payroll).contains_phi, "{:?}", labels(&s, payroll));
}

#[test]
fn a_claim_control_number_and_an_auth_ref_column_are_a_patients_and_a_control_panel_is_not() {
    let s = Scanner::new();
    let remit = "Beneficiary: RAYMOND TSOSIE\nMBI: 2QF9M31PA68\nClaim Control Number: \
                 25042800317000\n";
    assert!(
        has(&s, remit, Label::OtherId, "25042800317000"),
        "{:?}",
        labels(&s, remit)
    );
    let pending = "pt_name,mrn,dob,payer,auth_ref,status\n\"POKORNY, GERALD\",NBM-0047766,\
11/02/1971,MEDICAL MUTUAL,MMO-7714092,IN REVIEW\n";
    assert!(
        has(&s, pending, Label::OtherId, "MMO-7714092"),
        "{:?}",
        labels(&s, pending)
    );
    // A building's fire alarm "control panel number" is no claim's.
    let panel = "Fire alarm control panel number: 25042800317000, tested Tuesday.\n";
    assert!(
        !has_label(&s, panel, Label::OtherId),
        "{:?}",
        labels(&s, panel)
    );
}

#[test]
fn a_name_the_lists_lack_before_an_account_and_a_date_of_service_is_a_patients() {
    let s = Scanner::new();
    let query = "Hi,\n\nThe anesthesia record for Olumide Bankole (acct 2214087, DOS 10/10/2024, \
                 HMH Endo) has no end time.\n";
    assert!(
        has(&s, query, Label::Person, "Olumide Bankole"),
        "{:?}",
        labels(&s, query)
    );
    assert!(s.scan(query).contains_phi);
    // A business's account alone in the bracket: a kitchen, not a person.
    let service = "Site:           Calloway Valley Medical Center, Main Kitchen (Acct 30-118847)\n\
                   Visit date:     10/14/2025\n";
    assert!(
        !has_label(&s, service, Label::Person),
        "{:?}",
        labels(&s, service)
    );
}

#[test]
fn equipment_serials_in_alarms_invoices_and_chairs_are_the_organisations() {
    let s = Scanner::new();
    let fridge = "Subject: RE: ALERT - Med Fridge 2 (Rm 114) HIGH TEMP\n\nSensor:       Med Fridge \
                  2 (Rm 114)\nSensor S/N:   TG4-22918-0471\nReading:      8.9 C\n";
    assert!(
        !has_label(&s, fridge, Label::Device),
        "{:?}",
        labels(&s, fridge)
    );
    let cgm = "Subject: your Dexcom\n\nHi Mr. Lund, your sensor S/N TG4-22918-0471 failed early; \
               a replacement sensor ships today.\n";
    assert!(has_label(&s, cgm, Label::Device), "{:?}", labels(&s, cgm));
    let recliner = "ComfortMed is coming Friday to fix the recliner in bay 4 (model IR-450, S/N \
                    CM450-22871).\n";
    assert!(
        !has_label(&s, recliner, Label::Device),
        "{:?}",
        labels(&s, recliner)
    );
    let wheelchair = "Mobility Plus picked up his own chair for the footrest and brake repair \
                      (Invacare Tracer SX5, serial 04HG118392).\n";
    assert!(
        has_label(&s, wheelchair, Label::Device),
        "{:?}",
        labels(&s, wheelchair)
    );
    let invoice = "Subject: Invoice 40028817 - PO MAP-2024-1187\n\nQty  Item        Description \
                   Ext\n1    MAS-VLH-02  Replacement video laryngoscope handle, S/N \
                   VLH22-0419833  $1,240.00\n";
    assert!(
        !has_label(&s, invoice, Label::Device),
        "{:?}",
        labels(&s, invoice)
    );
    let inventory = "model,description,ready,reprocessing\nTS2-100,TeleSense MCT-2 \
                     transmitter,188,31\n";
    assert!(
        !has_label(&s, inventory, Label::Device),
        "{:?}",
        labels(&s, inventory)
    );
}

#[test]
fn a_record_systems_test_patient_is_no_one_and_a_trauma_alias_is_a_patient() {
    let s = Scanner::new();
    let test = "Log in to CarePath TST and use the test patient ZZTEST, CCMONE. Please don't use \
                real patients in TST.\n";
    assert!(!s.scan(test).contains_phi, "{:?}", labels(&s, test));
    let trauma = "Patient:        ZZTRAUMA, SIERRA\nMRN:            RB00418822\nArrived by \
                  ambulance 02:14, level 1 activation.\n";
    assert!(
        has_label(&s, trauma, Label::Person),
        "{:?}",
        labels(&s, trauma)
    );
}

#[test]
fn a_hospital_stays_fin_is_an_account_and_a_short_fin_is_not() {
    let s = Scanner::new();
    let query = "Pt: Fatima Al-Hashimi, FIN 50021880127, MRN 01204478, admitted 3/9.\n";
    assert!(
        has(&s, query, Label::Account, "50021880127"),
        "{:?}",
        labels(&s, query)
    );
    let list = "Unit,Room,Patient,FIN,Admit\n5E,512,\"Kowalczyk, Bernard\",50021874436,3/9/2025\n";
    assert!(
        has(&s, list, Label::Account, "50021874436"),
        "{:?}",
        labels(&s, list)
    );
    // A swim team's fin size is no account.
    let fins = "Team order: fin 9 for the juniors, fin 11 for the seniors.\n";
    assert!(
        !has_label(&s, fins, Label::Account),
        "{:?}",
        labels(&s, fins)
    );
}

#[test]
fn a_voice_mails_caller_is_found_and_a_vendor_or_an_unnamed_line_is_not() {
    let s = Scanner::new();
    let vm = "Subject: New voicemail from (267) 555-0139 (PRITCHETT H) - 1:42\n\nYou have a new \
              voicemail.\n\nFrom:      HAROLD BEAUCHAMP (816) 555-0193\n\nTranscription:\n\"Yeah \
              hi this is Harold Beauchamp, uh, B-E-A-U-C-H-A-M-P, date of birth April twelfth, \
              calling about my refill.\"\n";
    for name in [
        "PRITCHETT H",
        "HAROLD BEAUCHAMP",
        "Harold Beauchamp",
        "B-E-A-U-C-H-A-M-P",
    ] {
        assert!(
            has(&s, vm, Label::Person, name),
            "{name}: {:?}",
            labels(&s, vm)
        );
    }
    let vendor = "Subject: New voicemail from WIRELESS CALLER (937) 555-0135\n\nYou have a new \
                  voicemail.\n\nFrom:      WIRELESS CALLER (937) 555-0135\n\nTranscription:\n\"Hi \
                  this is Dana from Medline, your glove order ships Friday.\"\n";
    assert!(
        !has_label(&s, vendor, Label::Person),
        "{:?}",
        labels(&s, vendor)
    );
}

#[test]
fn a_writer_at_a_work_mailbox_speaking_of_their_pcp_is_a_patient() {
    let s = Scanner::new();
    let mail = |line: &str| {
        format!(
            "From: Dana Whitfield <dwhitfield@bluestemrx.example.com>\nTo: Brandon Achterberg \
<b.achterberg@midplainslogistics.example.com>\nSubject: RE: do you guys do semaglutide?\n\n\
Hi Brandon,\n\nThanks for reaching out. We don't compound semaglutide.\n\nDana\n\n\
From: Brandon Achterberg <b.achterberg@midplainslogistics.example.com>\nTo: \
info@bluestemrx.example.com\nSubject: do you guys do semaglutide?\n\nHello, {line} Do you \
make it and how much?\n\nThanks,\nBrandon Achterberg\nDispatch Supervisor | Mid-Plains \
Logistics\n"
        )
    };
    let own = mail("My PCP said she would write the prescription if I found a pharmacy.");
    assert!(s.scan(&own).contains_phi, "{:?}", labels(&s, &own));
    let trade = mail("Our drivers ask about it and we are pricing a wellness benefit.");
    assert!(!s.scan(&trade).contains_phi, "{:?}", labels(&s, &trade));
}

#[test]
fn a_directorys_agency_numbers_are_the_agencies_and_a_forms_home_phone_is_the_patients() {
    let s = Scanner::new();
    let list = "HOSPICE AGENCIES (intake)\nCascade Hospice & Home Care ........ (253) 555-0160  \
                fax (253) 555-0163\nRainier Valley Hospice ............. (253) 555-0191\n";
    assert!(!s.scan(list).contains_phi, "{:?}", labels(&s, list));
    assert!(!has_label(&s, list, Label::Phone) && !has_label(&s, list, Label::Fax));
    let form = "Patient intake\nHome phone ........ (253) 555-0160\nDOB ........ 04/02/1961\n";
    assert!(
        has(&s, form, Label::Phone, "(253) 555-0160"),
        "{:?}",
        labels(&s, form)
    );
}

#[test]
fn a_fleets_numbered_van_and_a_service_desks_unit_are_the_organisations() {
    let s = Scanner::new();
    let courier = "Your regular driver will still be Marcus Delgado (van 14, plate JFK 4821 - \
                   white Transit w/ our logo).\n";
    assert!(
        !has_label(&s, courier, Label::Vehicle),
        "{:?}",
        labels(&s, courier)
    );
    let visitor = "Your daughter can park in lot B; her car's plate JFK 4821 is on the list.\n";
    assert!(
        has_label(&s, visitor, Label::Vehicle),
        "{:?}",
        labels(&s, visitor)
    );
    let service = "Subject: Service Request SR-2025-118204 updated - VS9 CBCT, S/N VS9-22K0417\n\n\
                   Unit:  VistaScan VS9 CBCT/Pano, S/N VS9-22K0417\n";
    assert!(
        !has_label(&s, service, Label::Device),
        "{:?}",
        labels(&s, service)
    );
    let mdm = "Subject: [Ticket #48213] Field tablets not checking in to Intune\n\n  RMP-TAB-03  \
               (S/N R52T40XKQ9M)\n";
    assert!(!has_label(&s, mdm, Label::Device), "{:?}", labels(&s, mdm));
    let kit = "Subject: RPM kit for Mr. Lund\n\n  Tablet        S/N VLT8-40027716\n  BP cuff       \
               S/N VLBP-1193380\n";
    assert!(has_label(&s, kit, Label::Device), "{:?}", labels(&s, kit));
}

#[test]
fn a_name_beside_a_planned_discharge_is_a_patients_and_an_adc_part_is_not_care() {
    let s = Scanner::new();
    let referral = "Subject: RE: Hospice referral - Ambrose, Walter - d/c planned 3/12\n\nHi \
                    Shauna,\n\nGood news - we can accept Mr. Ambrose.\n";
    assert!(s.scan(referral).contains_phi, "{:?}", labels(&s, referral));
    let parts = "Hi team,\n\nWalter Ambrose will bring the AD/CD converter to the lab on \
                 Friday.\n";
    assert!(!s.scan(parts).contains_phi, "{:?}", labels(&s, parts));
}

#[test]
fn an_accession_number_is_a_patients_and_a_case_number_needs_care_words() {
    let s = Scanner::new();
    let handoff = "Things for days:\n\n1. PMMC ED - Pfeiffer, acc 25-CT-118472 - saddle PE w/ RV \
                   strain, called to Dr. Morrow.\n";
    let r = s.scan(handoff);
    assert!(r.contains_phi, "{:?}", labels(&s, handoff));
    assert!(has(&s, handoff, Label::OtherId, "25-CT-118472"));
    let ticket = "Things for days:\n\n1. PACS - case 25-CT-118472 - the worklist froze again, \
                  called the vendor.\n";
    assert!(!s.scan(ticket).contains_phi, "{:?}", labels(&s, ticket));
}

#[test]
fn mohs_is_a_procedure_and_an_accredited_units_serial_is_the_facilitys() {
    let s = Scanner::new();
    let template = "From: Eleanor Whitcombe MD <ewhitcombe@derm.example.com>\nTo: Lorraine \
                    Pacheco <lpacheco@derm.example.com>\nSubject: RE: April Mohs template - adding \
                    Wed AM?\n\nFine with me.\n";
    assert!(
        !has_label(&s, template, Label::Person),
        "{:?}",
        labels(&s, template)
    );
    let patient = "From: Eleanor Whitcombe MD <ewhitcombe@derm.example.com>\nTo: Lorraine \
                   Pacheco <lpacheco@derm.example.com>\nSubject: RE: April Lindqvist - Mohs \
                   Wed AM?\n\nShe is fine for Wednesday, DOB 04/12/1961.\n";
    assert!(
        has_label(&s, patient, Label::Person),
        "{:?}",
        labels(&s, patient)
    );
    let unit = "Subject: Mammography Accreditation Renewal Notice - Facility 210447 - Unit 2\n\n\
                Unit:               Unit 2\nManufacturer/Model: Hologic 3Dimensions (DBT)\n\
                Serial number:      3DM-41877\n";
    assert!(
        !has_label(&s, unit, Label::Device),
        "{:?}",
        labels(&s, unit)
    );
}

#[test]
fn an_own_systems_link_to_its_staff_is_no_personal_link_and_a_patients_join_link_is() {
    let s = Scanner::new();
    let report = "From: ClaimCenter Reports <reports-noreply@bellmontrisk.example.com>\nTo: Gwen \
                  Abernathy <gabernathy@bellmontrisk.example.com>\nSubject: Your scheduled report \
                  is ready\n\nView or download:\nhttps://reports.bellmontrisk.example.com/rs/view?\
                  run=RPT-20250311-88213\n";
    assert!(!s.scan(report).contains_phi, "{:?}", labels(&s, report));
    assert!(
        !has_label(&s, report, Label::Url),
        "{:?}",
        labels(&s, report)
    );
    let forward = "From: Dana Whitfield <dwhitfield@lakemont.example.org>\nTo: IT Desk \
                   <itdesk@lakemont.example.org>\nSubject: video visit link\n\nThe link we sent \
                   him for Thursday is:\n  https://virtualvisit.lakemont.example.org/join?\
                   appt=VV-2025-0313-5517&tok=7fa9c2e1b48d\n";
    assert!(
        has_label(&s, forward, Label::Url),
        "{:?}",
        labels(&s, forward)
    );
}

#[test]
fn a_voice_mails_caller_in_lower_case_is_found_and_lower_case_words_are_not() {
    let s = Scanner::new();
    let vm = "You have a new voicemail.\n\nTranscription:\n\"hi uh this is brandon oakes \
              returning a call from the crisis team.\"\n";
    assert!(
        has(&s, vm, Label::Person, "brandon oakes"),
        "{:?}",
        labels(&s, vm)
    );
    let chatter = "You have a new voicemail.\n\nTranscription:\n\"hi uh this is about the \
                   delivery for the loading dock.\"\n";
    assert!(
        !has_label(&s, chatter, Label::Person),
        "{:?}",
        labels(&s, chatter)
    );
}

#[test]
fn a_payers_drug_policy_number_is_a_document_and_a_members_policy_number_is_not() {
    let s = Scanner::new();
    let bulletin = "Subject: UHC Drug Policy Update - Ophthalmologic VEGF Inhibitors\n\nMEDICAL \
                    BENEFIT DRUG POLICY BULLETIN\n\nPolicy: Ophthalmologic VEGF Inhibitors\n\
                    Policy number: 2025D0071Q\nEffective date: May 1, 2025\n";
    assert!(
        !has_label(&s, bulletin, Label::MemberId),
        "{:?}",
        labels(&s, bulletin)
    );
    let member = "Subject: eligibility\n\nPatient: Harold Quince\nPlan: Cascade Mutual PPO\n\
                  Policy number: CMP4471902\nplease verify coverage for his MRI.\n";
    assert!(
        has(&s, member, Label::MemberId, "CMP4471902"),
        "{:?}",
        labels(&s, member)
    );
}

#[test]
fn an_organisation_after_a_relative_cue_is_no_relative() {
    let s = Scanner::new();
    let policy = "Coaches, parents and boosters,\n\nA reminder of the district policy, developed \
                  with our sports medicine partner Ridgeline Sports Medicine:\n";
    assert!(!s.scan(policy).contains_phi, "{:?}", labels(&s, policy));
    let spouse = "Mr. Abernathy called back; he will come with his partner Mark Ellison on \
                  Friday for the surgery consult.\n";
    assert!(
        has(&s, spouse, Label::Person, "Mark Ellison"),
        "{:?}",
        labels(&s, spouse)
    );
}

#[test]
fn a_parking_garages_address_is_the_organisations_and_a_homes_is_not() {
    let s = Scanner::new();
    let garage = "Hello Holloway Building staff,\n\nThe Holloway Garage (1455 NE Holloway St) \
                  Level P2 will be closed Monday, March 17. Level P1 patient/family parking is \
                  NOT affected.\n";
    assert!(
        !has_label(&s, garage, Label::Address),
        "{:?}",
        labels(&s, garage)
    );
    let home = "Pt discharged today. Home address: 1455 NE Holloway St, Portland, OR 97232\n";
    assert!(
        has(
            &s,
            home,
            Label::Address,
            "1455 NE Holloway St, Portland, OR"
        ),
        "{:?}",
        labels(&s, home)
    );
}

#[test]
fn a_relatives_phone_number_is_a_patients_familys_and_a_writers_own_family_is_not() {
    let s = Scanner::new();
    let son = "stuck behind a wreck, can someone call the farah family and let them know ill be \
               there closer to 10:45? sons cell is 520-555-0139 (Hamza). thx\n";
    let r = s.scan(son);
    assert!(r.contains_phi, "{:?}", labels(&s, son));
    assert!(
        r.findings.iter().any(|f| f.rule == "phone.relative"),
        "{:?}",
        labels(&s, son)
    );
    let own = "From: Dana Ruiz <druiz@larkspurhousecalls.com>\nTo: Front Desk \
               <frontdesk@larkspurhousecalls.com>\n\nPhone is dead today, my wife's cell is \
               520-555-0177 if you need me.\n";
    assert!(
        !s.scan(own)
            .findings
            .iter()
            .any(|f| f.rule == "phone.relative"),
        "{:?}",
        labels(&s, own)
    );
}

#[test]
fn pt_in_a_therapy_staffing_list_is_physical_therapy_not_a_patient() {
    let s = Scanner::new();
    let roster = "From: Dana Kirkpatrick <dkirkpatrick@larkspurrehab.org>\nTo: Therapy Staff \
                  <therapy@larkspurrehab.org>\nSubject: Weekend therapy staffing\n\nSATURDAY \
                  3/16\n  PT:  Lauren Pak (lead), Mike Dorsey\n  OT:  Shauna Big Crow\n";
    assert!(
        !s.scan(roster)
            .findings
            .iter()
            .any(|f| f.rule == "person.cue"),
        "{:?}",
        labels(&s, roster)
    );
    let sign_out = "Sign-out 3/16\n  PT:  Lauren Pak, 4B-12, fall risk\n  Plan: CT head \
                    tonight\n";
    assert!(
        s.scan(sign_out)
            .findings
            .iter()
            .any(|f| f.rule == "person.cue"),
        "{:?}",
        labels(&s, sign_out)
    );
}

#[test]
fn a_numbered_pumps_serial_is_equipment_and_a_patients_pump_is_not() {
    let s = Scanner::new();
    let it = "Confirming tonight's maintenance window:\n  - Restart of the pump interface service \
              for pumps 1 and 2. Pump 3 (SN MDP2-00417) is still throwing calibration error \
              E-14, vendor tech is scheduled Thursday.\n";
    assert!(!has_label(&s, it, Label::Device), "{:?}", labels(&s, it));
    let patient = "Mr. Alvarez came in today, his insulin pump (SN MDP2-00417) alarmed twice \
                   overnight.\n";
    assert!(
        has(&s, patient, Label::Device, "MDP2-00417"),
        "{:?}",
        labels(&s, patient)
    );
}

#[test]
fn a_suppliers_part_numbers_are_no_authorisation_numbers() {
    let s = Scanner::new();
    let parts = "Brake roller and pick roller are past the replacement interval. Parts ordered \
                 (PA03670-0001 / PA03670-0002). On-site visit scheduled Thursday.\n";
    assert!(
        !has_label(&s, parts, Label::OtherId),
        "{:?}",
        labels(&s, parts)
    );
    let appeal = "Appeal for Mr. Alvarez filed, ref PA-0367012, denial upheld.\n";
    assert!(
        has(&s, appeal, Label::OtherId, "PA-0367012"),
        "{:?}",
        labels(&s, appeal)
    );
}

#[test]
fn ms_before_am_is_a_middle_school_in_the_morning_not_a_title() {
    let s = Scanner::new();
    let coverage = "Coverage for today:\n- Tomasz: Harlow MS AM, Birchwood PM as usual.\n";
    assert!(
        !has_label(&s, coverage, Label::Person),
        "{:?}",
        labels(&s, coverage)
    );
    let caps = "Spoke with MS JONES about her refill.\n";
    assert!(
        has(&s, caps, Label::Person, "JONES"),
        "{:?}",
        labels(&s, caps)
    );
}

#[test]
fn a_credential_after_a_comma_stands_before_a_providers_npi() {
    let s = Scanner::new();
    let report = "Provider                 NPI          Dept          Delinq  Status\nColleen \
                  Mabry, MD        1601131422   OB/GYN          3      1st notice\n";
    assert!(
        !has_label(&s, report, Label::Person),
        "{:?}",
        labels(&s, report)
    );
    let program = "PU list\nKayla Ostrowski   MA 8804472930   PU 7:40 AM\n";
    assert!(
        has(&s, program, Label::Person, "Kayla Ostrowski"),
        "{:?}",
        labels(&s, program)
    );
}

#[test]
fn a_writer_speaking_of_my_appointments_speaks_of_their_own_care() {
    let s = Scanner::new();
    let head = "From: Marcus Whitlow <mwhitlow@stillwaterctc.org>\nTo: Jesus Ortega \
                <jortega@kettlerfab.com>\nSubject: RE: FMLA paperwork\n\nGot it. Dr. V will \
                complete the provider section.\n\nOn Tue, Mar 11, 2025 at 2:47 PM Jesus Ortega \
                <jortega@kettlerfab.com> wrote:\n> HR at work sent me the FMLA certification \
                form for intermittent leave for ";
    let tail = ". They need it back by March 21.\n>\n> Jesus Ortega\n> Cell 937-555-0153\n";
    let own = format!("{head}my appointments{tail}");
    assert!(s.scan(&own).contains_phi, "{:?}", labels(&s, &own));
    // The rules do not count the writer's leave for audits as their care. (The weak-verdict
    // model reads an FMLA certification's words as someone's health and gives the verdict
    // anyway: the rules' own decision is what this test pins.)
    let audits = format!("{head}the vendor audits{tail}");
    let r = s.scan(&audits);
    assert!(
        r.weak_verdict.is_some_and(|v| !v.rules_say_phi),
        "{:?}",
        labels(&s, &audits)
    );
}

#[test]
fn a_dea_shaped_serial_or_order_number_is_no_registration_and_a_prescribers_is() {
    let s = Scanner::new();
    let orders = "order,address,phone,so,type\n1,5610 Bigger Rd,937-555-0145,SO2291855,O2 \
                  EXCH\n2,304 Shroyer Rd,937-555-0187,SO2291847,SETUP\n";
    assert!(
        !has_label(&s, orders, Label::Dea),
        "{:?}",
        labels(&s, orders)
    );
    let serial = "Swapped the concentrator (ours went back to the shop)\nInstalled: EverFlo SN \
                  EF2204117 - 93% @ 2 LPM\n";
    assert!(
        !has_label(&s, serial, Label::Dea),
        "{:?}",
        labels(&s, serial)
    );
    let prescriber = "Prescriber: Dr. Ana Ruiz, AR1234563, Riverside Family Medicine\n";
    assert!(
        has(&s, prescriber, Label::Dea, "AR1234563"),
        "{:?}",
        labels(&s, prescriber)
    );
}

#[test]
fn a_lower_case_surname_the_subject_names_alone_is_a_person_and_a_word_is_not() {
    let s = Scanner::new();
    let detox = "From: Kiana Mahoe <kmahoe@cchp-health.com>\nTo: Tomas Echeverria \
                 <techeverria@cchp-health.com>\nSubject: Re: hutchins\n\ntomas hutchins in med \
                 3 ciwa now 19, tremors bad. gave the 50 of librium already this am. do u want \
                 another dose or send him out??\n";
    assert!(
        has(&s, detox, Label::Person, "hutchins"),
        "{:?}",
        labels(&s, detox)
    );
    assert!(s.scan(detox).contains_phi, "{:?}", labels(&s, detox));
    let budget = "From: Kiana Mahoe <kmahoe@cchp-health.com>\nTo: Tomas Echeverria \
                  <techeverria@cchp-health.com>\nSubject: Re: budget\n\nthe budget for med 3 \
                  is due friday, send him the numbers\n";
    assert!(
        !has_label(&s, budget, Label::Person),
        "{:?}",
        labels(&s, budget)
    );
}

#[test]
fn new_hires_papers_are_staffs_and_an_employers_new_hire_at_a_clinic_is_a_patient() {
    let s = Scanner::new();
    let clearance = "From: Tanisha Greer <tgreer@cchp-health.com>\nTo: MCSO Jail Clearance \
                     <jailclearance@co.marlow.or.us>\nSubject: Facility clearance request - 2 new \
                     hires, start date 3/24\n\nHi Deputy Lund,\n\n1) Kevin Matsuda\n   Position: \
                     RN, full time, NOC\n   DOB: 12/21/1985\n   OR DL#: 7124409\n\nBoth passed \
                     our background screen; TB and immunization records are on file with HR.\n";
    assert!(
        !s.scan(clearance).contains_phi,
        "{:?}",
        labels(&s, clearance)
    );
    let clinic = "From: Kayla Nguyen <knguyen@ridgelineoh.com>\nTo: Tanya Whitehorse \
                  <twhitehorse@columbiabasinfoods.com>\nSubject: RE: new hire drug screen - \
                  Melnyk\n\nResult for Kateryna Melnyk (DOB 04/11/1996, collected 03/10/2025) \
                  came back NEGATIVE. Her physical was also done yesterday.\n";
    assert!(s.scan(clinic).contains_phi, "{:?}", labels(&s, clinic));
}

#[test]
fn a_practice_joined_by_an_ampersand_is_no_client_and_a_couple_is() {
    let s = Scanner::new();
    let ticket = "*** This is an automated notification from TriCounty IT Service Desk ***\n\n\
                  Client: Brightwater Plastic & Reconstructive Surgery\nTicket: T-5582\n";
    assert!(
        !has_label(&s, ticket, Label::Person),
        "{:?}",
        labels(&s, ticket)
    );
    let couple = "Client: Marisol Vega & Daniel Vega\nDOB 3/4/1960\n";
    assert!(
        has(&s, couple, Label::Person, "Marisol Vega"),
        "{:?}",
        labels(&s, couple)
    );
}

#[test]
fn a_reports_no_show_count_is_no_word_about_care_and_a_patients_no_show_is() {
    let s = Scanner::new();
    let head = "From: NexaChart Reports <reports@nexachart.com>\nTo: Lorraine Beaulieu \
                <lbeaulieu@brightwaterplastics.com>\nSubject: Daily Close-Out Summary\n\n\
                Run by: Garrett Fenwick\n";
    let report =
        format!("{head}APPOINTMENTS\n  Scheduled ............ 48\n  No-show .............. 2\n");
    assert!(!s.scan(&report).contains_phi, "{:?}", labels(&s, &report));
    let patient = format!("{head}Garrett Fenwick was a no-show again today.\n");
    assert!(s.scan(&patient).contains_phi, "{:?}", labels(&s, &patient));
}

#[test]
fn a_fields_surname_in_capitals_with_an_initial_is_a_person_and_a_reply_is_not() {
    let s = Scanner::new();
    let pcr = "The following patient care report is incomplete.\n\nIncident #:        25-118204\n\
               Patient:           CHAVARRIA, J\nUnit:              M12\n";
    assert!(
        has(&s, pcr, Label::Person, "CHAVARRIA"),
        "{:?}",
        labels(&s, pcr)
    );
    let reply = "RE: BILLING, Q\nsee the note below\n";
    assert!(
        !has_label(&s, reply, Label::Person),
        "{:?}",
        labels(&s, reply)
    );
}

#[test]
fn a_nurse_practitioners_licence_and_role_is_a_credential_and_a_patients_name_is_not() {
    let s = Scanner::new();
    let privileges = "The board approved provisional privileges for Ana Lucia Ferreira, \
                      APRN-CNP on 10/9/2025.\n";
    assert!(
        !has_label(&s, privileges, Label::Person),
        "{:?}",
        labels(&s, privileges)
    );
    let patient = "Ultrasound scheduled for Ana Lucia Ferreira, DOB 04/02/1961, on 10/9.\n";
    assert!(
        has_label(&s, patient, Label::Person),
        "{:?}",
        labels(&s, patient)
    );
}

#[test]
fn an_establishments_licence_and_a_retirement_plan_are_no_patients() {
    let s = Scanner::new();
    let board = "THIS IS AN AUTOMATED NOTIFICATION FROM THE STATE BOARD OF PHARMACY.\n\nLICENSE \
                 TYPE:         TERMINAL DISTRIBUTOR OF DANGEROUS DRUGS\nLICENSE NUMBER:       \
                 021184420\nLICENSEE:             KESSLER FAMILY PHARMACY LLC\n";
    assert!(
        !has_label(&s, board, Label::License),
        "{:?}",
        labels(&s, board)
    );
    let plan = "1) 401(k) MATCH INCREASE\nIf you are not enrolled, you can enroll any time at \
                the Fidelity NetBenefits site. Plan number 71048.\n";
    assert!(
        !has_label(&s, plan, Label::MemberId),
        "{:?}",
        labels(&s, plan)
    );
    let member = "Call his daughter at 401-555-0193 if he doesn't pick up.\nMedicaid: \
                  RI40021877\n";
    assert!(
        has(&s, member, Label::MemberId, "RI40021877"),
        "{:?}",
        labels(&s, member)
    );
    let driver = "Pickup for Mr. Alvarez: his driver's license number is 021184420, expires \
                  2027.\n";
    assert!(
        has_label(&s, driver, Label::License),
        "{:?}",
        labels(&s, driver)
    );
}

#[test]
fn an_applicant_writing_about_a_post_is_no_patient_and_a_patients_application_is() {
    let s = Scanner::new();
    let head = "From: Maya Whitlow <mwhitlow@harborpointambulance.com>\nTo: Tobias Anand \
                <tobias.anand92@gmail.com>\nSubject: RE: ";
    let body = "\n\nHi Tobias,\n\nThanks for following up. Can you come in Tue 10/21 at 10:00 \
                AM?\n";
    let applicant = format!("{head}Application - EMT-B full time - Tobias Anand{body}");
    assert!(
        !s.scan(&applicant).contains_phi,
        "{:?}",
        labels(&s, &applicant)
    );
    let lloyd = format!("{head}Lloyds application - what else do you need?{body}");
    assert!(s.scan(&lloyd).contains_phi, "{:?}", labels(&s, &lloyd));
}

#[test]
fn a_patient_writing_from_work_sends_a_form_to_their_employers_hr_fax() {
    let s = Scanner::new();
    let mail = |care: &str| {
        format!(
            "From: Aaron Szymanski <aszymanski@redforkenergy.com>\nTo: Kendra Ostrowski \
             <kostrowski@redforkenergy.com>\nSubject: work note\n\nHi Kendra,\n\n{care}\n\nYou \
             can fax it to our HR at 425-555-0179 or just email it back to me here.\n\nThanks\n"
        )
    };
    // The writer's own procedure, or their date of birth given to be looked up: the patient.
    for care in [
        "I need a work note for my colonoscopy on Friday.",
        "My date of birth is 11/30/1989 in case you need it to look me up.",
    ] {
        let m = mail(care);
        assert!(
            has(&s, &m, Label::Fax, "425-555-0179"),
            "{:?}",
            labels(&s, &m)
        );
    }
    // A colleague at the same company on the staff's own HR: the organisation's fax.
    let m = mail("The new badge forms are ready for the Tuesday hires.");
    assert!(
        !has(&s, &m, Label::Fax, "425-555-0179"),
        "{:?}",
        labels(&s, &m)
    );
    // Quoted, the patient's words are not the writer's.
    let quoted = mail("> I need a work note for my colonoscopy on Friday.");
    assert!(
        !has(&s, &quoted, Label::Fax, "425-555-0179"),
        "{:?}",
        labels(&s, &quoted)
    );
}

#[test]
fn a_fax_word_earlier_in_the_sentence_labels_the_number_a_fax() {
    let s = Scanner::new();
    let text = "From: Leonor Acosta <leonor.acosta58@yahoo.com>\nSubject: formulario\n\nMi \
                fecha de nacimiento es 22/10/1983. La mandé por fax a la oficina de mi hija \
                Marisol Acosta al 509-555-0171 como usted pidió.\n";
    assert!(
        !has(&s, text, Label::Phone, "509-555-0171"),
        "{:?}",
        labels(&s, text)
    );
    // Past another number, the fax word belongs to that one: the second stays a phone.
    let two = "From: Tomas Reyes <treyes.family@gmail.com>\nSubject: Amira\n\nHi, Amira \
               Al-Sayed (DOB 03/14/2013) has a new inhaler. The fax listed (503) 555-0119 for \
               you and I still have (503) 555-0175 for her mother.\n";
    assert!(
        has(&s, two, Label::Phone, "(503) 555-0175"),
        "{:?}",
        labels(&s, two)
    );
}

#[test]
fn a_security_alerts_mailboxes_and_addresses_are_the_attackers() {
    let s = Scanner::new();
    let mail = |subject: &str| {
        format!(
            "From: Riverbend Information Security <infosec@riverbendmed.org>\nTo: All Riverbend \
             Workforce\nSubject: {subject}\n\nIndicators:\n  Reply-To:     \
             invoices.clearwater@protonmail.com\n  Sending IP:   203.0.113.47\n\nMarisa Cole\n"
        )
    };
    let alert = mail("ALERT: Fake invoice e-mails - do not open");
    assert!(!s.scan(&alert).contains_phi, "{:?}", labels(&s, &alert));
    assert!(!has_label(&s, &alert, Label::Email) && !has_label(&s, &alert, Label::Ip));
    // Without the warning, a personal mailbox is still someone's.
    let other = mail("Invoices");
    assert!(
        has_label(&s, &other, Label::Email),
        "{:?}",
        labels(&s, &other)
    );
}

#[test]
fn a_customers_equipment_is_no_patients_device() {
    let s = Scanner::new();
    // A CSV invoice line with its prices, without a currency sign.
    let invoice = |price: &str| {
        format!(
            "From: AR Dept <ar@clearwatermedsupply.com>\nSubject: Invoice INV-2025-118430\n\n\
             line,item_no,description,uom,qty,unit_price\n3,SN-0064580,collagenase ointment \
             30g,EA,12,{price}\n"
        )
    };
    let priced = invoice("131.20");
    assert!(
        !has_label(&s, &priced, Label::Device),
        "{:?}",
        labels(&s, &priced)
    );
    let unpriced = invoice("see note");
    assert!(
        has_label(&s, &unpriced, Label::Device),
        "{:?}",
        labels(&s, &unpriced)
    );
    // A bulk tank at a customer that is an organisation.
    let delivery = |customer: &str| {
        format!(
            "Confirming your delivery:\n\n  Customer:        {customer}\n  Tank:            \
             VHR-3000 vertical, serial CT-0419-7762\n"
        )
    };
    let hospital = delivery("Riverbend Medical Center - Wound/HBO building");
    assert!(
        !has_label(&s, &hospital, Label::Device),
        "{:?}",
        labels(&s, &hospital)
    );
    let person = delivery("Harold Pettibone");
    assert!(
        has_label(&s, &person, Label::Device),
        "{:?}",
        labels(&s, &person)
    );
    // A vendor's demo kits, not a unit loaned to a patient.
    let demo = "We have two demo kits (scale s/n VBS2-000418 and VBS2-000419) I can drop off.";
    assert!(
        !has_label(&s, demo, Label::Device),
        "{:?}",
        labels(&s, demo)
    );
    let loaned = "The scale s/n VBS2-000418 was loaned to her on 6/2.";
    assert!(
        has_label(&s, loaned, Label::Device),
        "{:?}",
        labels(&s, loaned)
    );
}

#[test]
fn a_link_to_the_organisations_system_in_mail_to_a_named_group_is_no_patients() {
    let s = Scanner::new();
    let mail = |to: &str| {
        format!(
            "From: IT Service Desk <servicedesk@riverbendchp.example>\nTo: {to}\nSubject: \
             Planned maintenance\n\nDetails: https://intranet.riverbendchp.example/it/changes/\
             CHG0031877\n"
        )
    };
    let group = mail("All Clinical Operations");
    assert!(
        !has_label(&s, &group, Label::Url),
        "{:?}",
        labels(&s, &group)
    );
    let patient = mail("Dolores Whitcombe <dwhitcombe@gmail.com>");
    assert!(
        has_label(&s, &patient, Label::Url),
        "{:?}",
        labels(&s, &patient)
    );
}

#[test]
fn the_next_of_a_list_of_the_organisations_numbers_is_the_organisations() {
    let s = Scanner::new();
    let text = "Hi, the refill line moves Monday. Main numbers don't change: Northside (330) \
                555-0140, Riverbend (330) 555-0150, Eastfield\n(330) 555-0160.\n";
    assert!(!has_label(&s, text, Label::Phone), "{:?}", labels(&s, text));
    let patient = "Ana Ruiz (DOB 3/4/1950) can call me directly at 937-555-0112, or I can call \
                   her at 937-555-0192 if that's easier.";
    assert!(
        has(&s, patient, Label::Phone, "937-555-0192"),
        "{:?}",
        labels(&s, patient)
    );
}

#[test]
fn a_decade_is_no_member_id() {
    let s = Scanner::new();
    let text = "MEMBER WIN: A member in her 80s with heart failure had 5 admissions last year.";
    assert!(
        !has_label(&s, text, Label::MemberId),
        "{:?}",
        labels(&s, text)
    );
    let id = "Hi, a member in her plan, member 80S4471902, called about her refill.";
    assert!(has_label(&s, id, Label::MemberId), "{:?}", labels(&s, id));
}

#[test]
fn agents_scores_and_the_kinds_of_identifier_they_ask_for_are_no_patients() {
    let s = Scanner::new();
    let mail = |subject: &str, rule: &str| {
        format!(
            "From: Marcus Oyelaran <moyelaran@riverbendhealth.org>\nTo: Renee Castellanos \
             <rcastellanos@riverbendhealth.org>\nSubject: {subject}\n\n  Agent            \
             Overall\n  Beth Ann Stroud    98%\n  Derrick Okonkwo    86%\n\n  - Verification: \
             agents must confirm TWO identifiers ({rule}) before discussing balances.\n  - \
             Derrick quoted the old cutoff on 2 calls; please flag him for a side-by-side.\n"
        )
    };
    let qa = mail(
        "Feb QA scorecards - summary",
        "name + DOB, or name + account",
    );
    assert!(!s.scan(&qa).contains_phi, "{:?}", labels(&s, &qa));
    // A birth date given after the same words is a caller's.
    let dob = mail(
        "Feb QA scorecards - summary",
        "name + DOB 03/04/1950 for Ana Ruiz",
    );
    assert!(s.scan(&dob).contains_phi, "{:?}", labels(&s, &dob));
}

#[test]
fn a_name_with_its_department_in_brackets_or_on_a_roll_calls_next_line_is_staff() {
    let s = Scanner::new();
    let huddle = |who: &str| {
        format!(
            "huddle notes 3/11\n\n* CSU census 12/16, 2 d/c planned today\n* med room: lorazepam \
             count discrepancy resolved, {who} confirmed it was a documentation error\n"
        )
    };
    let staff = huddle("Ben Tran (pharmacy)");
    assert!(
        !has_label(&s, &staff, Label::Person),
        "{:?}",
        labels(&s, &staff)
    );
    let patient = huddle("Ben Tran (patient)");
    assert!(
        has_label(&s, &patient, Label::Person),
        "{:?}",
        labels(&s, &patient)
    );
    let minutes = |sep: &str| {
        format!(
            "Meeting minutes - March 10\n\nAttendees: Dana Whitfield (WCBH), Priya Raman \
             (WCBH), Sgt. Owen Pruitt{sep}(WCSO), Corinne Blackwell (St. Ignatius)\n\n3. \
             Hospital hand-offs: Corinne noted ED boarding for youth averaging 2.5 days.\n"
        )
    };
    let wrapped = minutes("\n");
    assert!(
        !has_label(&s, &wrapped, Label::Person),
        "{:?}",
        labels(&s, &wrapped)
    );
    // A new paragraph is no longer the roll call.
    let apart = minutes(".\n\n");
    assert!(
        has_label(&s, &apart, Label::Person),
        "{:?}",
        labels(&s, &apart)
    );
}

#[test]
fn an_injury_a_date_of_service_and_a_follow_up_speak_of_one_patients_care() {
    let s = Scanner::new();
    let claim = |field: &str| {
        format!(
            "From: Priya Raman <praman@lakevieweye.com>\nTo: Rosa Delgado \
             <rdelgado@lakevieweye.com>\nSubject: WC case\n\nRosa,\n\n  Claim #:        \
             NWM-WC-25-031877\n  {field}:  03/07/2025\n  Employer addr:  4500 Industrial Dr, \
             Fairhaven, WI 53718\n\nThanks!\nPriya\n"
        )
    };
    let injury = claim("Date of injury");
    assert!(s.scan(&injury).contains_phi, "{:?}", labels(&s, &injury));
    let opened = claim("Date opened");
    assert!(!s.scan(&opened).contains_phi, "{:?}", labels(&s, &opened));
    let query = |dos: &str| {
        format!(
            "From: Rachel Ostrowski <rostrowski@riverbendmed.org>\nTo: Tomasz Kowalczyk \
             <tkowalczyk@riverbendmed.org>\nSubject: Query - CSN 210391556\n\nDr. K - for CSN \
             210391556, {dos}: note says \"excisional debridement to bone\" but depth is \
             missing. Pls addend in Epic.\n"
        )
    };
    // (The rules' verdict: the encounter number alone is for the weak-verdict model to weigh,
    // which since session 40's retraining calls both PHI.)
    let rules_say = |t: &str| s.scan(t).weak_verdict.is_some_and(|v| v.rules_say_phi);
    let one_visit = query("DOS 03/04/2025");
    assert!(rules_say(&one_visit), "{:?}", labels(&s, &one_visit));
    let a_rule = query("claims with a DOS before go-live");
    assert!(!rules_say(&a_rule), "{:?}", labels(&s, &a_rule));
    let follow_up = |what: &str| {
        format!(
            "Had a hard call this morning with one of my HF folks. She's up 4 lb since Friday \
             and she DID agree to keep her cardiology {what} on 6/26.\n"
        )
    };
    let visit = follow_up("f/u");
    assert!(
        has(&s, &visit, Label::Date, "6/26"),
        "{:?}",
        labels(&s, &visit)
    );
    let meeting = follow_up("huddle");
    assert!(
        !has(&s, &meeting, Label::Date, "6/26"),
        "{:?}",
        labels(&s, &meeting)
    );
}

#[test]
fn spanish_relatives_and_self_introductions_name_the_family() {
    let s = Scanner::new();
    let pasted = |intro: &str| {
        format!(
            "From: Ruben Ortega <rortega@wexlercounty.gov>\nTo: Priya Raman \
             <praman@wexlercounty.gov>\nSubject: msg from family\n\nPriya, can you put the \
             translation in his chart?\n\n---\nHola buenas tardes, {intro}. Ya no quiere tomar la \
             risperidona. Mi número es +1 360 555 0198. Gracias.\n---\n"
        )
    };
    let family = pasted("soy Guadalupe Ibarra Solís, hermana de Rogelio");
    assert!(s.scan(&family).contains_phi, "{:?}", labels(&s, &family));
    assert!(
        has(&s, &family, Label::Person, "Guadalupe Ibarra Solís"),
        "{:?}",
        labels(&s, &family)
    );
    // A nurse introducing herself, and a product's name, are no one's family.
    let nurse = pasted("soy Kelly, la enfermera de la escuela");
    assert!(
        !has(&s, &nurse, Label::Person, "Kelly"),
        "{:?}",
        labels(&s, &nurse)
    );
    let formula = "Infant formula: Similac Advance 12.4 oz, Similac Soy Isomil 12.4 oz";
    assert!(
        !has_label(&s, formula, Label::Person),
        "{:?}",
        labels(&s, formula)
    );
    // An initial with its dot inside a name after a cue.
    let worker = "Injured worker:  Curtis R. Blankenship\nDOB:             04/22/1986\n";
    assert!(
        has(&s, worker, Label::Person, "Curtis R. Blankenship"),
        "{:?}",
        labels(&s, worker)
    );
}

#[test]
fn a_birth_date_spoken_with_a_two_word_year_is_a_callers() {
    let s = Scanner::new();
    let vm = |year: &str| {
        format!(
            "From: PhoneSystem <voicemail@tallgrassuc.com>\nTo: frontdesk@tallgrassuc.com\n\
             Subject: New voicemail\n\nTranscription:\n\"Hi this is Trevor, birthday is april \
             ninth{year}. Nobody called me back yet. Okay thanks bye.\"\n"
        )
    };
    let with_year = vm(" ninety one");
    assert!(
        s.scan(&with_year).contains_phi,
        "{:?}",
        labels(&s, &with_year)
    );
    assert!(has(&s, &with_year, Label::Date, "april ninth ninety one"));
    // "august twenty first" is a day, not a year ("august" ends like an ordinal).
    let day = "From: HR <hr@tallgrassuc.com>\nTo: All Staff <allstaff@tallgrassuc.com>\n\
               Subject: birthdays\n\nKim's birthday is august twenty first - cake at 3!";
    assert!(!s.scan(day).contains_phi, "{:?}", labels(&s, day));
}

#[test]
fn a_surname_after_an_exam_in_the_subject_or_with_an_appointment_is_a_patients() {
    let s = Scanner::new();
    let mail = |subject: &str| {
        format!(
            "From: Kelsey Marr <kmarr@prairieridgeimaging.com>\nTo: Jenna Castillo \
             <jcastillo@riversideortho.com>\nSubject: RE: {subject}\n\nJenna - done, she's on \
             for Mon 3/17 at 2:45 pm, Westgate MR1.\n"
        )
    };
    let exam = mail("MRI R knee - Pasternak");
    assert!(
        has(&s, &exam, Label::Person, "Pasternak"),
        "{:?}",
        labels(&s, &exam)
    );
    let site = mail("Procedure list Wed 3/12 - Pasternak");
    assert!(
        !has_label(&s, &site, Label::Person),
        "{:?}",
        labels(&s, &site)
    );
    let staff = "Subject: Re: dentist\n\nAbernathy's dentist appt moved to 10/22 2pm (office \
                 called). same escort.";
    assert!(s.scan(staff).contains_phi, "{:?}", labels(&s, staff));
    let lower = "one thing for the AM: mr okafor's daughter is bringing his med list in before 9 \
                 fri 3/14 -- he's on something for AFib.";
    assert!(
        has(&s, lower, Label::Person, "okafor"),
        "{:?}",
        labels(&s, lower)
    );
    // A clinician's referral and an eponym are no patient's.
    let dr = "We received Dr. Mendez's referral for your clinic. Pls call 3/14.";
    assert!(!has_label(&s, dr, Label::Person), "{:?}", labels(&s, dr));
    let eponym = "s/p Hartmann's procedure 11/03, re-look 11/06; Parkinson's meds held.";
    assert!(
        !has_label(&s, eponym, Label::Person),
        "{:?}",
        labels(&s, eponym)
    );
}

#[test]
fn a_spanish_voicemail_about_an_appointment_speaks_of_care() {
    let s = Scanner::new();
    let vm = |words: &str| {
        format!(
            "From: Phone System <vm-noreply@arroyoverdechc.org>\nTo: Call Center \
             <callcenter@arroyoverdechc.org>\nSubject: New voicemail\n\n\"Buenos dias, habla \
             Guadalupe Santiago. {words} Gracias.\"\n"
        )
    };
    let cita = vm("Tenemos cita el jueves con la doctora pero no vamos a poder.");
    assert!(s.scan(&cita).contains_phi, "{:?}", labels(&s, &cita));
    let other = vm("Llamo por el anuncio del periodico sobre el puesto de trabajo.");
    assert!(!s.scan(&other).contains_phi, "{:?}", labels(&s, &other));
}

#[test]
fn a_practitioners_credentialing_record_and_a_staff_members_own_number_are_no_patients() {
    let s = Scanner::new();
    let file = |extra: &str| {
        format!(
            "Hi Janelle,\n\n  Name ............. Nadia K. Sorensen, MD\n  DOB .............. \
             06/19/1984\n  NPI .............. 1953068420\n  DEA .............. FS2640589\n  PA \
             license ....... MD481207{extra}\n"
        )
    };
    let credentialing = file("");
    assert!(
        !s.scan(&credentialing).contains_phi,
        "{:?}",
        labels(&s, &credentialing)
    );
    let rx = file("\n  Rx ............... oxycodone 5 mg #20 for her knee");
    assert!(s.scan(&rx).contains_phi, "{:?}", labels(&s, &rx));
    let cover = |cue: &str| {
        format!(
            "From: Cherise Lamb\nTo: Front Desk Team\nSubject: cover 2-4??\n\ncan anyone cover \
             the tower front desk 2-4 today? I have to take my son to the dentist. {cue} \
             262-555-0186. - Cherise\n"
        )
    };
    let own = cover("text me");
    assert!(!s.scan(&own).contains_phi, "{:?}", labels(&s, &own));
    let sons = cover("his cell is");
    assert!(s.scan(&sons).contains_phi, "{:?}", labels(&s, &sons));
}

#[test]
fn an_organisations_fleet_logins_tickets_and_orders_are_no_patients() {
    let s = Scanner::new();
    let recall = "Affected serial numbers registered to your facility:\n\n   SN LVP4-0021877   SN \
                  LVP4-0021879   SN LVP4-0021902   SN LVP4-0022015\n";
    assert!(
        !has_label(&s, recall, Label::Device),
        "{:?}",
        labels(&s, recall)
    );
    let pacer = "Pt: Lucille Danforth  DOB 12/03/1955\nDevice: Arcturo VR SN AVR362815S, RV lead \
                 SN TLD6003391, RA lead SN RA227819\n";
    assert!(
        has_label(&s, pacer, Label::Device),
        "{:?}",
        labels(&s, pacer)
    );
    let closet = "- VitalStim unit (serial VS-20-44817) back from repair, in the SLP closet.";
    assert!(
        !has_label(&s, closet, Label::Device),
        "{:?}",
        labels(&s, closet)
    );
    let login = "Please ensure EMR access (monitor read-only account MON-0412-02) is active.";
    assert!(
        !has_label(&s, login, Label::Account),
        "{:?}",
        labels(&s, login)
    );
    let patients = "Please post the payment to her account MON-0412-02 today.";
    assert!(
        has_label(&s, patients, Label::Account),
        "{:?}",
        labels(&s, patients)
    );
    let ticket = |subject: &str| {
        format!(
            "From: PRI IT Service Desk <itsupport@prairieridgeimaging.com>\nTo: Rahul \
             Venkataraman MD <rvenkataraman@prairieridgeimaging.com>\nSubject: {subject}\n\n\
             03/11 10:20  BO  Called Dr. V. His home router public IP is 98.51.204.17 (Comcast).\n"
        )
    };
    let vpn = ticket("[INC0098812] Home reading station - VPN drops");
    assert!(!has_label(&s, &vpn, Label::Ip), "{:?}", labels(&s, &vpn));
    let portal = ticket("MyChart sign-in problem");
    assert!(
        has_label(&s, &portal, Label::Ip),
        "{:?}",
        labels(&s, &portal)
    );
    let order = |path: &str| {
        format!(
            "From: Benchmark Dental Supply <orders@benchmarkdental.example.com>\nTo: Dental Front \
             Desk <dentalfd@arroyoverdechc.org>\nSubject: Order Confirmation #BDS-5531907\n\n\
             Order #:       BDS-5531907\nSubtotal $1,486.30\n\nTrack: https://www.benchmarkdental.\
             example.com/{path}/BDS-5531907\n"
        )
    };
    let track = order("track");
    assert!(
        !has_label(&s, &track, Label::Url),
        "{:?}",
        labels(&s, &track)
    );
    let pay = order("pay");
    assert!(has_label(&s, &pay, Label::Url), "{:?}", labels(&s, &pay));
}

#[test]
fn a_carts_camera_a_supply_company_and_an_advertisements_link_are_no_patients() {
    let s = Scanner::new();
    let case = |subject: &str| {
        format!(
            "Subject: RE: Case 00418823 - {subject}\n\nWe've issued an advance replacement:\n\n  \
             Replacement:     HDX exam camera, serial HDX4-24107-1149 (ships today)\n"
        )
    };
    let cart = case("Pine Street cart exam camera not detected");
    assert!(
        !has_label(&s, &cart, Label::Device),
        "{:?}",
        labels(&s, &cart)
    );
    let home = case("Mrs. Okafor's home camera not detected");
    assert!(
        has_label(&s, &home, Label::Device),
        "{:?}",
        labels(&s, &home)
    );
    let supplier = "Notify your home patients. Corvessa's distribution partner (Meridian Renal \
                    Supply) will replace home stock at no charge.";
    assert!(
        !has_label(&s, supplier, Label::Person),
        "{:?}",
        labels(&s, supplier)
    );
    let ad = |q: &str| {
        format!(
            "From: Harborlight Health <marketing@harborlighthealth.com>\nTo: Dana Whitfield \
             <dwhitfield@harborlighthealth.com>\nSubject: Q1 ads\n\nLanding page: \
             https://harborlighthealth.com/mental-health?{q}\n"
        )
    };
    let campaign = ad("utm_source=meta&utm_medium=paid_social&utm_campaign=nycy26");
    assert!(
        !has_label(&s, &campaign, Label::Url),
        "{:?}",
        labels(&s, &campaign)
    );
    let token = ad("utm_source=meta&t=Kq9vXz2LmP4wNb8R");
    assert!(
        has_label(&s, &token, Label::Url),
        "{:?}",
        labels(&s, &token)
    );
}

#[test]
fn an_e164_number_without_separators_is_a_phone_number() {
    let s = Scanner::new();
    let batch = "WIC reminder batch - 2 undelivered\n\nto               | message\n\
                 +18315550139     | Hi Dayana, your appt is Wed 10/15 at 1:30pm. Bring your \
                 baby + WIC card.\n";
    assert!(
        has(&s, batch, Label::Phone, "+18315550139"),
        "{:?}",
        labels(&s, batch)
    );
    assert!(s.scan(batch).contains_phi, "{:?}", labels(&s, batch));
    // Ten digits without the country code are no such number ("order 8315550139").
    let order = "Hi Dayana, your appt is Wed 10/15. Order 8315550139 shipped.";
    assert!(
        !has_label(&s, order, Label::Phone),
        "{:?}",
        labels(&s, order)
    );
}

#[test]
fn a_word_moved_from_one_time_to_another_is_a_patients_name() {
    let s = Scanner::new();
    let mail = |what: &str| {
        format!(
            "From: Lupe Araujo <laraujo@riverbendhd.example>\nTo: Shawna Pruitt \
             <spruitt@riverbendhd.example>\nSubject: thurs sched\n\nshawna - can u move {what} \
             from 2pm to 3:30 thurs? im taking colleen's home visit at 1 so wont be back in time. \
             ty!!\n"
        )
    };
    let patient = mail("petrosyan");
    assert!(
        has(&s, &patient, Label::Person, "petrosyan"),
        "{:?}",
        labels(&s, &patient)
    );
    assert!(s.scan(&patient).contains_phi);
    let meeting = mail("the huddle");
    assert!(!s.scan(&meeting).contains_phi, "{:?}", labels(&s, &meeting));
}

#[test]
fn an_aligned_table_whose_free_text_columns_drift_still_gives_its_identifiers() {
    let s = Scanner::new();
    let table = |finding: &str| {
        format!(
            "Audit findings:\n\n Rx #      Fill date   Member ID         Drug                    \
             Finding                      Recoup\n --------  ----------  ----------------  \
             ----------------------  ---------------------------  -------\n 0917644   10/03/24    \
             CVH302280917      Trulicity 1.5 mg    {finding}\n"
        )
    };
    // The last two columns' text drifts by a few spaces: the member number still counts.
    let drift = table("Days supply 28 vs 56 billed  $498.12");
    assert!(
        has(&s, &drift, Label::MemberId, "CVH302280917"),
        "{:?}",
        labels(&s, &drift)
    );
    // A row whose member number stands off its column is no row of the table.
    let off = "Audit findings:\n\n Rx #      Fill date   Member ID         Drug                    \
               Finding                      Recoup\n --------  ----------  ----------------  \
               ----------------------  ---------------------------  -------\n 0917644   10/03/24 \
                  CVH302280917    Trulicity 1.5 mg    Days supply 28 vs 56 billed  $498.12\n";
    assert!(
        !has_label(&s, off, Label::MemberId),
        "{:?}",
        labels(&s, off)
    );
}

#[test]
fn a_surname_before_a_missed_visit_is_a_patients() {
    let s = Scanner::new();
    let mail = |what: &str| {
        format!(
            "From: Jordan Whitfield <jwhitfield@cedarhollowbh.org>\nTo: Keisha Morrow \
             <kmorrow@cedarhollowbh.org>\nSubject: NS\n\nKeisha - Delgado {what} again (3/11 \
             9am), that's 3 in 60 days. Pls send the standard attendance letter. I'll try \
             calling her tonight.\n-J\n"
        )
    };
    let missed = mail("no-showed");
    assert!(
        has(&s, &missed, Label::Person, "Delgado"),
        "{:?}",
        labels(&s, &missed)
    );
    assert!(s.scan(&missed).contains_phi);
    let won = mail("won the raffle");
    assert!(
        !has_label(&s, &won, Label::Person),
        "{:?}",
        labels(&s, &won)
    );
}

#[test]
fn a_conference_bridge_is_no_ones_phone_but_a_number_in_a_csv_row_still_is() {
    let s = Scanner::new();
    let invite = "Join the coding huddle:\nOne tap mobile: +16145550123,,93310044217# US\n\
                  Dial by your location: +1 614-555-0124,,93310044217#\n";
    assert!(
        !has_label(&s, invite, Label::Phone),
        "{:?}",
        labels(&s, invite)
    );
    // Empty cells after a number in a CSV row are no meeting code.
    let row = "MRN,NAME,PHONE,FU_APPT,STATUS\nQX0048812,\"LOCKRIDGE, ANNA\",614.555.0117,,,\
               NEEDS APPT\n";
    assert!(
        has(&s, row, Label::Phone, "614.555.0117"),
        "{:?}",
        labels(&s, row)
    );
}

#[test]
fn a_video_meeting_link_is_a_patients_only_beside_words_about_care() {
    let s = Scanner::new();
    let link = "https://riverbendclinic.zoom.us/j/84120593317?pwd=Tk9rQ2hWa1pPZ3Nm";
    let lunch = format!(
        "From: Education <education@riverbendclinic.org>\nTo: All Providers \
         <providers@riverbendclinic.org>\nSubject: Lunch & learn: modifier 25\n\nWhen: \
         Wednesday, March 27, 2024, 12:00 - 1:00 PM\n\nJoin Zoom Meeting\n{link}\nMeeting ID: \
         841 2059 3317\n"
    );
    assert!(!s.scan(&lunch).contains_phi, "{:?}", labels(&s, &lunch));
    let visit = format!(
        "Hi Mr. Ashcroft,\n\nYour appointment with Dr. Lee is a video visit on 3/14 at 2:30 \
         PM. Join here a few minutes early:\n{link}\n\nRiverbend Clinic\n"
    );
    assert!(
        has(&s, &visit, Label::Url, link),
        "{:?}",
        labels(&s, &visit)
    );
    assert!(s.scan(&visit).contains_phi);
    // A Teams meeting's tenant in its `context` parameter is the organisation's.
    let teams = "Microsoft Teams meeting\nJoin: https://teams.microsoft.com/l/meetup-join/\
                 19%3ameeting_NzQ1ZmE2YjEt%40thread.v2/0?context=%7b%22Tid%22%3a%22c1a7%22%7d\n";
    assert!(!has_label(&s, teams, Label::Url), "{:?}", labels(&s, teams));
}

#[test]
fn an_unsubscribe_link_is_the_subscribers_unless_it_names_a_private_mailbox() {
    let s = Scanner::new();
    let ad = "You are receiving this because you attended our summit. Unsubscribe: \
              https://go.glucovendor.com/unsub?c=SPDS25&r=88412\n";
    assert!(!has_label(&s, ad, Label::Url), "{:?}", labels(&s, ad));
    let survey = "How was your visit? Stop these surveys: \
                  https://feedback.riverbend.org/unsub?u=anna.lockridge%40yahoo.com&t=Q7ZK2M9R\n";
    assert!(
        has_label(&s, survey, Label::Url),
        "{:?}",
        labels(&s, survey)
    );
}

#[test]
fn a_buildings_heating_unit_serial_is_no_patients_device() {
    let s = Scanner::new();
    let hvac = "02/17 10:30  LA  Found failed run capacitor on RTU-2 (Trane YSC, serial \
                5512K88231). Replaced, unit cooling.\n";
    assert!(
        !has_label(&s, hvac, Label::Device),
        "{:?}",
        labels(&s, hvac)
    );
    let cpap = "02/17 10:30  Spoke with his wife: his CPAP (ResMed AirSense, serial \
                5512K88231) is blowing warm air.\n";
    assert!(has_label(&s, cpap, Label::Device), "{:?}", labels(&s, cpap));
}

#[test]
fn pt_in_capitals_beside_a_new_colleagues_name_is_a_discipline() {
    let s = Scanner::new();
    let welcome = "WELCOME!\nPlease welcome Marisa Quintero (PT, ortho) and Devin Holt (RT). \
                   Say hi in the cafeteria!\n";
    assert!(
        !has(&s, welcome, Label::Person, "Marisa Quintero")
            || s.scan(welcome)
                .findings
                .iter()
                .all(|f| f.rule != "person.patient_after"),
        "{:?}",
        labels(&s, welcome)
    );
    let patient = "Marisa Quintero (pt of Dr. Lee) called about her refill.\n";
    assert!(
        has(&s, patient, Label::Person, "Marisa Quintero"),
        "{:?}",
        labels(&s, patient)
    );
}

#[test]
fn a_csv_rows_discipline_cell_is_no_cue_for_the_therapist_after_it() {
    let s = Scanner::new();
    let rota = "Unit,Day,Discipline,Therapist,Hours,Ext\n2N,Sat,PT,Quintero Marisa,0700-1530,4181\n\
                3W,Sat,OT,Holt Devin,0800-1630,4183\n";
    assert!(
        s.scan(rota).findings.iter().all(|f| f.rule != "person.cue"),
        "{:?}",
        labels(&s, rota)
    );
    let cue = "Pt: Quintero Marisa, 0700 arrival, NPO since midnight.\n";
    assert!(
        s.scan(cue).findings.iter().any(|f| f.rule == "person.cue"),
        "{:?}",
        labels(&s, cue)
    );
}

#[test]
fn a_provider_named_for_mail_itself_is_a_personal_mailbox() {
    let s = Scanner::new();
    let reply = "From: Riverbend Device Clinic <devices@riverbendheart.org>\nTo: \
                 dana.ashcroft@mail.de\nSubject: RE: work note\n\nHi Ms. Ashcroft,\nDr. \
                 Lee signed your work note.\n";
    assert!(
        has(&s, reply, Label::Email, "dana.ashcroft@mail.de"),
        "{:?}",
        labels(&s, reply)
    );
    // A mail server under an organisation's own domain is the organisation's.
    let server = "Bounce from postmaster@mail.riverbendheart.org: relay denied.\n";
    assert!(
        !has_label(&s, server, Label::Email),
        "{:?}",
        labels(&s, server)
    );
}

#[test]
fn a_surname_after_a_denial_in_the_subject_is_the_patients() {
    let s = Scanner::new();
    let mail = |subject: &str| {
        format!(
            "From: Tomas Ibarra <tibarra@claimspartners.com>\nTo: Gail Svoboda \
             <gsvoboda@harborfm.com>\nSubject: {subject}\n\nHi Gail,\n\nAetna denied the \
             11/27/23 visit for Pemberton as CO-29 (timely filing). Do you still have the \
             clearinghouse acceptance report?\n\nTomas\n"
        )
    };
    let denial = mail("Aetna TF denial - Pemberton");
    assert!(
        has(&s, &denial, Label::Person, "Pemberton"),
        "{:?}",
        labels(&s, &denial)
    );
    let trends = mail("Aetna denial trends - Quarterly");
    assert!(
        !has_label(&s, &trends, Label::Person),
        "{:?}",
        labels(&s, &trends)
    );
}

#[test]
fn a_plate_in_the_ambulance_bay_is_a_visitors_and_an_ambulances_is_the_fleets() {
    let s = Scanner::new();
    let visitor = "Subject: car in the ambulance bay\n\nThere is a gray Toyota Highlander, Ohio \
                   plate KRJ 5038, parked in the ambulance bay since 5:30.\n";
    assert!(
        has(&s, visitor, Label::Vehicle, "KRJ 5038"),
        "{:?}",
        labels(&s, visitor)
    );
    let fleet = "Subject: ambulance 4 to the shop\n\nAmbulance 4 (Ford E-450, plate KRJ 5038) \
                 goes in for brakes Monday.\n";
    assert!(
        !has_label(&s, fleet, Label::Vehicle),
        "{:?}",
        labels(&s, fleet)
    );
}

#[test]
fn a_member_of_staffs_own_car_and_sign_off_number_are_not_a_patients() {
    let s = Scanner::new();
    let staff = "From: Jess Coelho <jcoelho@cedarhospice.org>\nTo: Priya Raman \
                 <praman@cedarhospice.org>\nSubject: RE: swap sat\n\nok deal, i'll take your \
                 sat. and my civic (white, plate HFX 2290) is in the staff lot til thurs, dont \
                 let them tow it\n\njess\ncell 419-555-0136\n";
    assert!(
        !has_label(&s, staff, Label::Vehicle) && !has_label(&s, staff, Label::Phone),
        "{:?}",
        labels(&s, staff)
    );
    // A private person writing to the clinic: their car and their number.
    let patient = "From: Jess Coelho <jess.coelho@gmail.com>\nTo: Front Desk \
                   <frontdesk@cedarhospice.org>\nSubject: parking for my visit\n\nmy civic \
                   (white, plate HFX 2290) will be in the lot during my appointment \
                   thursday\n\njess\ncell 419-555-0136\n";
    assert!(
        has(&s, patient, Label::Vehicle, "HFX 2290"),
        "{:?}",
        labels(&s, patient)
    );
    assert!(
        has(&s, patient, Label::Phone, "419-555-0136"),
        "{:?}",
        labels(&s, patient)
    );
    // From a work mailbox to the clinic at another domain: still the writer's own number.
    let employer = "From: Priya Iyer <priya.iyer@lanecountycu.org>\nTo: Bethany Lindqvist \
                    <blindqvist@ridgeviewpc.org>\nSubject: travel letter for my son\n\nCould \
                    the doctor write the letter after his echo?\n\nPriya\ncell 541-555-0107\n";
    assert!(
        has(&s, employer, Label::Phone, "541-555-0107"),
        "{:?}",
        labels(&s, employer)
    );
}

#[test]
fn a_table_row_with_a_name_and_a_diagnosis_code_is_a_patients() {
    let s = Scanner::new();
    let report = "All,\nWeekly wound report below.\n\n| Resident | Unit | Site | ICD-10 | \
                  Trend |\n|---|---|---|---|---|\n| Lockridge, Anna | Birch | Sacrum PI stage \
                  4 | L89.154 | improving |\n\nDale\n";
    assert!(s.scan(report).contains_phi, "{:?}", labels(&s, report));
    // A coding tip's table: codes and their words, no one's name.
    let tip = "All,\nCoding reminders below.\n\n| Site | Stage | ICD-10 | Note |\n\
               |---|---|---|---|\n| Sacrum | PI stage 4 | L89.154 | document depth |\n\nDale\n";
    assert!(!s.scan(tip).contains_phi, "{:?}", labels(&s, tip));
}

#[test]
fn a_nursing_homes_resident_label_speaks_of_care() {
    let s = Scanner::new();
    let gdr = |label: &str| {
        format!(
            "From: Lionel Osterhaus <losterhaus@keystonerxconsult.com>\nTo: Sylvia Obuya \
             <sobuya@maplehollow.org>\nSubject: GDR rec\n\nDr. Obuya,\n\n{label} Mrs. \
             Ashcroft, Birchwood\nBehavior monitoring: 2 episodes in Sept.\n\nLionel\n"
        )
    };
    let resident = gdr("Resident:");
    assert!(
        s.scan(&resident).contains_phi,
        "{:?}",
        labels(&s, &resident)
    );
    let speaker = gdr("Speaker:");
    assert!(!s.scan(&speaker).contains_phi, "{:?}", labels(&s, &speaker));
}

#[test]
fn a_jails_booking_number_after_bk_is_an_identifier() {
    let s = Scanner::new();
    let text = "Quintero: 10-4. his bk# is B25-002971 for ur paperwork\n";
    assert!(
        has(&s, text, Label::OtherId, "B25-002971"),
        "{:?}",
        labels(&s, text)
    );
    let book = "Quintero: see bk 3 of the policy manual, page 12\n";
    assert!(
        !has_label(&s, book, Label::OtherId),
        "{:?}",
        labels(&s, book)
    );
}

#[test]
fn a_plan_members_doings_speak_of_care_but_a_team_members_do_not() {
    let s = Scanner::new();
    let mail = |who: &str| {
        format!(
            "Hi dispatch, {who} only speaks Vietnamese. Mrs. Pham asked if the driver can \
             have the card with the address ready.\nAaliyah\n"
        )
    };
    let member = mail("member");
    assert!(s.scan(&member).contains_phi, "{:?}", labels(&s, &member));
    let team = mail("our new team member");
    assert!(!s.scan(&team).contains_phi, "{:?}", labels(&s, &team));
}

#[test]
fn a_sentence_going_on_under_a_name_is_no_job_title() {
    let s = Scanner::new();
    let sentence = "Interpreter was on the call. Mrs. Pham\nasked if the driver can speak \
                    Vietnamese for her ride.\n";
    assert!(
        has(&s, sentence, Label::Person, "Pham"),
        "{:?}",
        labels(&s, sentence)
    );
    let signature = "Thanks for the update. Mrs. Pham\nDriver Supervisor, Show-Me Rides\n";
    assert!(
        !has(&s, signature, Label::Person, "Pham"),
        "{:?}",
        labels(&s, signature)
    );
}

#[test]
fn a_page_named_by_two_letters_and_a_year_is_no_token() {
    let s = Scanner::new();
    let page = "Virtual session: Tue 11/4 5:30 PM https://meet.heartlandbenefits.com/laaa-oe2026\n";
    assert!(!has_label(&s, page, Label::Url), "{:?}", labels(&s, page));
    let token = "Your results: https://portal.heartlandlab.com/r/Xk29Qa7Lm2\n";
    assert!(has_label(&s, token, Label::Url), "{:?}", labels(&s, token));
}

#[test]
fn dotted_initials_after_a_word_for_a_patient_are_a_person() {
    let s = Scanner::new();
    let pt = "Requesting a peer to peer for the denial on pt J.W., DOB 12/01/1949.\n";
    assert!(has(&s, pt, Label::Person, "J.W."), "{:?}", labels(&s, pt));
    let dc = "please d/c the HCTZ for J.M. and start amlodipine 5 mg daily\n";
    assert!(has(&s, dc, Label::Person, "J.M."), "{:?}", labels(&s, dc));
    let not = "Approved per J.M. for the U.S. office; call after 3 P.M. for R.N. coverage\n";
    assert!(!has_label(&s, not, Label::Person), "{:?}", labels(&s, not));
}

#[test]
fn a_learners_shift_list_and_a_clinics_site_schedule_are_no_patients_tables() {
    let s = Scanner::new();
    let shifts = "Shifts below.\n\nstudent_id,last_name,first_name,year,shift_date,shift,\
                  preceptor_pref\nF2026-0148,Lockridge,Anna,MS3,2024-11-05,Tue PM,Hakimi\n\
                  F2027-0311,Pemberton,Devin,MS2,2024-11-07,Thu PM,Brennan\n";
    assert!(
        s.scan(shifts)
            .findings
            .iter()
            .all(|f| f.rule != "table.column"),
        "{:?}",
        labels(&s, shifts)
    );
    let sites = "Schedule below.\n\ndate,day,site,address,time,provider\n2025-05-19,Mon,Harbor \
                 Light Shelter,1120 NW Pier Ave Portland OR 97209,09:00-12:00,M. Kellerman MD\n\
                 2025-05-20,Tue,St. Brendan's Shelter,330 SE 6th Ave Portland OR 97214,\
                 13:00-16:00,H. Baek NP\n";
    assert!(
        s.scan(sites)
            .findings
            .iter()
            .all(|f| f.rule != "table.column")
            && !s.scan(sites).contains_phi,
        "{:?}",
        labels(&s, sites)
    );
    // A table of patients with their record numbers still gives them.
    let patients = "List below.\n\nmrn,last_name,first_name,site,time,provider\nQX0048812,\
                    Lockridge,Anna,Harbor Light,09:00,M. Kellerman MD\nQX0048813,Pemberton,\
                    Devin,Harbor Light,09:30,M. Kellerman MD\n";
    assert!(
        has(&s, patients, Label::Mrn, "QX0048812"),
        "{:?}",
        labels(&s, patients)
    );
}

#[test]
fn a_compounding_hoods_and_a_service_desk_incidents_serials_are_the_organisations() {
    let s = Scanner::new();
    let hood = "ROOM / PEC   CLASS   RESULT\nPEC 2 - NuAire NU-543-400 s/n 198223077    ISO 5   \
                PASS\n";
    assert!(
        !has_label(&s, hood, Label::Device),
        "{:?}",
        labels(&s, hood)
    );
    let pump = "His infusion pump (CADD Solis, s/n 198223077) alarmed twice overnight.\n";
    assert!(has_label(&s, pump, Label::Device), "{:?}", labels(&s, pump));
    let ticket = |subject: &str| {
        format!(
            "From: ServiceDesk <servicedesk@riverbendch.org>\nTo: Owen Mackey \
             <omackey@riverbendch.org>\nSubject: {subject}\n\n  Model:        Samsung Galaxy \
             Tab Active5\n  Serial:       R52W80ZKQ3M\n"
        )
    };
    let incident = ticket("[INC-0048812] Assigned to you: tablet T-14 not syncing");
    assert!(
        !has_label(&s, &incident, Label::Device),
        "{:?}",
        labels(&s, &incident)
    );
    let home = ticket("her home monitoring tablet not syncing");
    assert!(
        has_label(&s, &home, Label::Device),
        "{:?}",
        labels(&s, &home)
    );
}

#[test]
fn a_hospital_account_record_and_a_clinics_patient_ref_are_identifiers() {
    let s = Scanner::new();
    let har = "HAR: 7200184533  Disch Date 02/14/2025  Signature required\n";
    assert!(
        has(&s, har, Label::Account, "7200184533"),
        "{:?}",
        labels(&s, har)
    );
    let report = "The HAR report for March is late again, 7200184533 rows.\n";
    assert!(
        !has_label(&s, report, Label::Account),
        "{:?}",
        labels(&s, report)
    );
    let ref_ = "  Clinic patient ref: ODC-11057\n  Exam: US ABDOMEN COMPLETE\n";
    assert!(
        has(&s, ref_, Label::Mrn, "ODC-11057"),
        "{:?}",
        labels(&s, ref_)
    );
    let doc_ref = "  Policy ref: ODC-11057\n  Owner: Compliance\n";
    assert!(
        !has_label(&s, doc_ref, Label::Mrn),
        "{:?}",
        labels(&s, doc_ref)
    );
}

#[test]
fn a_placeholder_birth_date_is_no_ones_and_a_sentence_ends_after_a_bracket() {
    let s = Scanner::new();
    let rule = |date: &str| {
        format!("Date of Birth validation: dates earlier than {date} will be rejected.\n")
    };
    let placeholder = rule("01/01/1900");
    assert!(
        s.scan(&placeholder)
            .findings
            .iter()
            .all(|f| f.rule != "date.dob"),
        "{:?}",
        labels(&s, &placeholder)
    );
    let real = "Pt DOB 01/02/1950, MRN on file.\n";
    assert!(
        s.scan(real).findings.iter().any(|f| f.rule == "date.dob"),
        "{:?}",
        labels(&s, real)
    );
    let minutes = "Two patients mixed up (same last name, DOB one day apart). Reportable - \
                   notification letter sent 2/21.\n";
    assert!(
        s.scan(minutes)
            .findings
            .iter()
            .all(|f| f.rule != "date.dob"),
        "{:?}",
        labels(&s, minutes)
    );
}

#[test]
fn a_misspelt_personal_mailbox_in_a_bounce_is_still_personal() {
    let s = Scanner::new();
    let bounce = "<santiago.familia@gmial.com>: host gmial.com said: 550 5.1.1 User unknown\n";
    assert!(
        has(&s, bounce, Label::Email, "santiago.familia@gmial.com"),
        "{:?}",
        labels(&s, bounce)
    );
    let org = "<santiago.familia@riverbendkids.com>: host said: 550 5.1.1 User unknown\n";
    assert!(!has_label(&s, org, Label::Email), "{:?}", labels(&s, org));
}

#[test]
fn a_table_row_with_a_name_and_a_drug_is_a_patients() {
    let s = Scanner::new();
    let row = |who: &str| {
        format!(
            "Team, who we need to see first:\n\n| who | spot | why |\n|---|---|---|\n| {who} | \
             blue tarp, east end | wound check, on doxycycline since Fri |\n\nLuis\n"
        )
    };
    let named = row("Anna Lockridge");
    assert!(s.scan(&named).contains_phi, "{:?}", labels(&s, &named));
    let unnamed = row("tent 4");
    assert!(!s.scan(&unnamed).contains_phi, "{:?}", labels(&s, &unnamed));
}

#[test]
fn whose_records_a_request_is_for_names_a_patient() {
    let s = Scanner::new();
    let request =
        "Please send the medical records of Anna Lockridge for her treatment since June.\n";
    assert!(
        s.scan(request)
            .findings
            .iter()
            .any(|f| f.rule == "person.cue"),
        "{:?}",
        labels(&s, request)
    );
    let owners = "The records of Riverbend Health are kept for seven years.\n";
    assert!(
        !has_label(&s, owners, Label::Person),
        "{:?}",
        labels(&s, owners)
    );
}

#[test]
fn a_persons_own_drug_near_a_name_speaks_of_their_care() {
    let s = Scanner::new();
    let mail = |what: &str| {
        format!(
            "From: Tamika Greer <tgreer@oakviewliving.com>\nTo: Dispatch \
             <dispatch@mobiledraw.com>\nSubject: STAT add\n\nGood morning, can your team add a \
             STAT CBC for Mr. Ashcroft in 212? Dr. Kessler wants it before {what}.\nThanks!\n"
        )
    };
    let his = mail("restarting his Eliquis");
    assert!(s.scan(&his).contains_phi, "{:?}", labels(&s, &his));
    let stock = mail("the Eliquis order goes in");
    assert!(!s.scan(&stock).contains_phi, "{:?}", labels(&s, &stock));
}

#[test]
fn a_plate_in_an_ambulance_bay_named_in_capitals_is_still_a_visitors() {
    let s = Scanner::new();
    let visitor = "Subject: re: WHO IS IN THE AMBULANCE BAY\n\nthe silver Subaru Outback in the \
                   ambulance bay (NC plate PKW-4418) is Mr. Petrosyan's.\n";
    assert!(
        has(&s, visitor, Label::Vehicle, "PKW-4418"),
        "{:?}",
        labels(&s, visitor)
    );
    let fleet = "Subject: AMBULANCE 4 TO THE SHOP\n\nUnit goes in Monday (NC plate PKW-4418).\n";
    assert!(
        !has_label(&s, fleet, Label::Vehicle),
        "{:?}",
        labels(&s, fleet)
    );
}

#[test]
fn part_time_in_capitals_and_whom_to_ask_for_are_no_cues() {
    let s = Scanner::new();
    let cue = |text: &str| s.scan(text).findings.iter().any(|f| f.rule == "person.cue");
    let part_time = "Troy still posting for a front desk PT. Dwayne out 3/31-4/4.\n";
    assert!(!cue(part_time), "{:?}", labels(&s, part_time));
    let patient = "Transport for pt. Dwayne Okafor from 4B at 3 pm.\n";
    assert!(cue(patient), "{:?}", labels(&s, patient));
    let ask = "Lockbox combos by phone only (937-555-0310, ask for Tony Ruiz).\n";
    assert!(!cue(ask), "{:?}", labels(&s, ask));
}

#[test]
fn a_water_heaters_serial_is_the_buildings() {
    let s = Scanner::new();
    let heater = "> Your water heater (Rheem, serial Q091812345) is also set to 150F.\n";
    assert!(
        !has_label(&s, heater, Label::Device),
        "{:?}",
        labels(&s, heater)
    );
    let pump = "> Her insulin pump (Tandem, serial Q091812345) alarmed overnight.\n";
    assert!(has_label(&s, pump, Label::Device), "{:?}", labels(&s, pump));
}

#[test]
fn a_colleagues_relatives_great_age_in_mail_to_all_staff_is_not_a_patients() {
    let s = Scanner::new();
    let mail = |line: &str| {
        format!(
            "From: Ben Castellanos <bcastellanos@willowmere.org>\nTo: All Staff \
             <allstaff@willowmere.org>\nSubject: Friday potluck\n\nHi all,\n{line}\n\nBen\n"
        )
    };
    let mom = mail("My mom (she's 92, don't ask how) is making her famous soup.");
    assert!(!has_label(&s, &mom, Label::Age), "{:?}", labels(&s, &mom));
    let resident = mail("3/2  Opal Henning (Apt 114) -- turning 101!");
    assert!(
        has_label(&s, &resident, Label::Age),
        "{:?}",
        labels(&s, &resident)
    );
}

#[test]
fn a_forms_name_fields_hold_names_the_lists_lack_and_a_providers_field_does_not() {
    let s = Scanner::new();
    // A website's consultation form: one word a field, neither in the name lists.
    let form = "A new consultation request was submitted.\n\nFirst Name:            Priyanka\n\
                Last Name:             Venkataraman\nDate of Birth:         03/14/1988\n";
    assert!(
        has(&s, form, Label::Person, "Priyanka"),
        "{:?}",
        labels(&s, form)
    );
    assert!(
        has(&s, form, Label::Person, "Venkataraman"),
        "{:?}",
        labels(&s, form)
    );
    // A label of two capitalised words is a form's, not a job title's.
    let intake = "Intake\nPatient Name: Priyanka Venkataraman\nDOB: 03/14/1988\n";
    assert!(
        has(&s, intake, Label::Person, "Priyanka Venkataraman"),
        "{:?}",
        labels(&s, intake)
    );
    // Whose name the field holds decides: a provider's is staff; an empty field holds none.
    let provider = "Intake\nProvider Name: Priyanka Venkataraman\nDOB: 03/14/1988\n";
    assert!(
        !has_label(&s, provider, Label::Person),
        "{:?}",
        labels(&s, provider)
    );
    // (Without a date of birth: in a message called PHI the person-name model reads
    // "Pending" too, and may call it a name; this checks the field's rule.)
    let pending = "Intake\nFirst Name: Pending\nLast Name: Unknown\n";
    assert!(
        !has_label(&s, pending, Label::Person),
        "{:?}",
        labels(&s, pending)
    );
}

#[test]
fn spanish_greetings_and_titles_name_the_reader_and_a_job_title_is_not_one() {
    let s = Scanner::new();
    let reminder = "Estimada Graciela Montoya de la Cruz:\n\nLe recordamos su cita de \
                    rehabilitación pulmonar el martes 15 de abril a las 9:00.\n";
    assert!(
        has(&s, reminder, Label::Person, "Graciela Montoya"),
        "{:?}",
        labels(&s, reminder)
    );
    let hola = "Hola Graciela,\n\nYour appointment is on 4/15 at 9am.\n";
    assert!(
        has(&s, hola, Label::Person, "Graciela"),
        "{:?}",
        labels(&s, hola)
    );
    // (Every greeting word starts no name, in either language.)
    let hey = "Hey Graciela,\n\nYour appointment is on 4/15 at 9am.\n";
    assert!(
        has(&s, hey, Label::Person, "Graciela"),
        "{:?}",
        labels(&s, hey)
    );
    let sr = "Estimado Sr. Quispe Mamani:\n\nSu cita es el 4/15 a las 9:00.\n";
    assert!(
        has(&s, sr, Label::Person, "Quispe Mamani"),
        "{:?}",
        labels(&s, sr)
    );
    assert!(!has(&s, sr, Label::Person, "Sr"), "{:?}", labels(&s, sr));
    let sra = "Hablé con la Sra. Ixcoy sobre su cita del 4/15.\n";
    assert!(
        has(&s, sra, Label::Person, "Ixcoy"),
        "{:?}",
        labels(&s, sra)
    );
    // "Sr." before a job title is "Senior".
    let job = "Please welcome our new Sr. Claims Adjuster, who starts Monday.\n";
    assert!(!has_label(&s, job, Label::Person), "{:?}", labels(&s, job));
}

#[test]
fn a_ride_forms_rider_is_a_person_and_a_riders_plan_is_not() {
    let s = Scanner::new();
    let ride = "Your driver did not pick up our patient.\n\n  Rider:             Farrukh Nazarov\n\
                \x20 DOB:               01/17/1961\n";
    assert!(
        has(&s, ride, Label::Person, "Farrukh Nazarov"),
        "{:?}",
        labels(&s, ride)
    );
    let benefit = "The vision rider for the Gold Plan covers one exam a year.\n";
    assert!(
        !has_label(&s, benefit, Label::Person),
        "{:?}",
        labels(&s, benefit)
    );
}

#[test]
fn a_chat_logs_time_stamps_are_no_dates_and_a_visits_time_in_it_is() {
    let s = Scanner::new();
    let log = "Pasting the clinic text line for the chart:\n\n\
               [3/11 7:22 AM] Tomas: can u book the ultrasound for her, shes 24wks\n\
               [Text from +1 614-555-0349, 6:48 AM]\nmy incision is red, pt Kendra Ruiz\n\
               <Clinic> 7:50 AM: Hi Kendra, let me check with the nurse.\n\
               JC 9:02 AM: her appt is 3/14 at 9:40am\n";
    for stamp in ["3/11", "7:22 AM", "6:48 AM", "7:50 AM", "9:02 AM"] {
        assert!(
            !has(&s, log, Label::Date, stamp),
            "{stamp}: {:?}",
            labels(&s, log)
        );
    }
    // The appointment the messages speak of is a date; the number in a stamp is still a phone.
    assert!(has(&s, log, Label::Date, "3/14"), "{:?}", labels(&s, log));
    assert!(
        has(&s, log, Label::Phone, "+1 614-555-0349"),
        "{:?}",
        labels(&s, log)
    );
    // A line that starts with a visit's time is a schedule, not a chat.
    let schedule = "Pt Kendra Ruiz, DOB 04/02/1988\nAppt 9:05 AM: post-op check\n";
    assert!(
        has(&s, schedule, Label::Date, "9:05 AM"),
        "{:?}",
        labels(&s, schedule)
    );
}

#[test]
fn a_forms_revision_and_a_reports_print_date_are_no_patients_dates() {
    let s = Scanner::new();
    let form = "Bellwether Plastic Surgery   Form PRS-112 rev 03/2025\n\n\
                Patient name: Yuki Matsuda-Harlan   DOB 04/02/1988\n\
                Surgery scheduled 6/6.\n";
    assert!(
        !has(&s, form, Label::Date, "03/2025"),
        "{:?}",
        labels(&s, form)
    );
    assert!(has(&s, form, Label::Date, "6/6"), "{:?}", labels(&s, form));
    let report = "STATE IIS - CLIENT IMMUNIZATION HISTORY   Printed 10/14/2025 10:09\n\
                  Client: ASANTE-BOATENG, KWAME   DOB 07/30/1994\nMMR given 09/02/2025\n";
    assert!(
        !has(&s, report, Label::Date, "10/14/2025"),
        "{:?}",
        labels(&s, report)
    );
    assert!(
        has(&s, report, Label::Date, "09/02/2025"),
        "{:?}",
        labels(&s, report)
    );
}

#[test]
fn a_writing_patients_short_name_alone_on_a_line_is_theirs_and_a_colleagues_is_not() {
    let s = Scanner::new();
    let reply = "From: Raymond Ferreira <rferreira.home@yahoo.com>\nTo: Billing \
                 <billing@bellwetherprs.com>\nSubject: RE: Your statement\n\n\
                 I already paid $200 on 5/30 for my surgery, please call me at 614-555-0932.\n\n\
                 Ray\n\nSent from my iPhone\n";
    assert!(
        has(&s, reply, Label::Person, "Ray"),
        "{:?}",
        labels(&s, reply)
    );
    // A colleague who signs "Priya" under a note about a patient Priyanka is not her.
    let note = "From: Priya Natarajan <pnatarajan@clinic.example>\nTo: Front Desk \
                <frontdesk@clinic.example>\nSubject: complaint\n\n\
                Patient: Priyanka Deshmukh  MRN BWH-00902268, seen 3/14.\n\nThanks,\nPriya\n";
    assert!(
        !has(&s, note, Label::Person, "Priya"),
        "{:?}",
        labels(&s, note)
    );
}

#[test]
fn a_patients_initials_with_what_says_whose_are_a_name_and_a_signatures_are_not() {
    let s = Scanner::new();
    for (text, initials) in [
        (
            "Subject: 312 tonight\nfyi R.T. in 312 (00571934) had an AD episode in PT this am.\n",
            "R.T.",
        ),
        (
            "Lab requisition\nPatient initials: S.H.\nMissing: gestational age at collection\n",
            "S.H.",
        ),
        (
            "Marcus, quick curbside. R.T., 68M, NICM, EF 25% despite 6 months of GDMT.\n",
            "R.T.",
        ),
        (
            "Pt in 114 (H.T., MRN 0417729), Spravato 56 mg given at 10:00.\n",
            "H.T.",
        ),
        (
            "Subject: psych f/u - S.A.\n\nSaw him today for follow-up, doing better.\n",
            "S.A.",
        ),
    ] {
        assert!(
            has(&s, text, Label::Person, initials),
            "{text:?}: {:?}",
            labels(&s, text)
        );
    }
    // A member of staff's initials, and a country's, say nothing of a patient.
    let sig = "Slides for the in-service are attached.\nSignature:                 T.X.P.\n";
    assert!(!has_label(&s, sig, Label::Person), "{:?}", labels(&s, sig));
    let usa = "Travel vaccines are not covered for trips outside the U.S. in 2026.\n";
    assert!(!has_label(&s, usa, Label::Person), "{:?}", labels(&s, usa));
}

#[test]
fn a_patients_voucher_and_transfer_numbers_are_identifiers_and_an_it_ticket_is_not() {
    let s = Scanner::new();
    let ride = "Pt Rosalba Tzul needs a ride to the ultrasound Fri 3/14. Done: voucher \
                TV-25-0288, Glades Taxi, $38 round trip.\n";
    assert!(
        has(&s, ride, Label::OtherId, "TV-25-0288"),
        "{:?}",
        labels(&s, ride)
    );
    let transfer = "ACCEPTED TRANSFER SUMMARY\nTransfer #:         25-08817\n\
                    Patient: 44M, toxic alcohol ingestion, DOB 02/11/1981\n";
    assert!(
        has(&s, transfer, Label::OtherId, "25-08817"),
        "{:?}",
        labels(&s, transfer)
    );
    let it = "The printer on 3 West is fixed, ticket INC-0048812 closed.\n";
    assert!(!has_label(&s, it, Label::OtherId), "{:?}", labels(&s, it));
}

#[test]
fn a_callers_number_in_a_voicemail_transcript_is_theirs_and_a_staff_writers_is_not() {
    let s = Scanner::new();
    let voicemail = "From: Voicemail <vm-noreply@larkhavenhealth.example>\n\
                     To: Infection Prevention Line\nSubject: New voicemail\n\n\
                     Transcription (may not be accurate):\n\
                     \"Hi this is Tasha Greenleaf, my son Micah was in the ER on the 11th. \
                     He has a little cough from daycare. Please call me back at 937-555-0164. \
                     Thank you bye.\"\n";
    assert!(
        has(&s, voicemail, Label::Phone, "937-555-0164"),
        "{:?}",
        labels(&s, voicemail)
    );
    // The same words from a member of staff's own work mailbox: the writer's number.
    let staff = "From: Dana Ruiz <druiz@larkhavenhealth.example>\nTo: 5E Charge RNs\n\
                 Subject: exposure list\n\nPt Micah Greenleaf was in the ER on the 11th. \
                 Please call me back at 937-555-0164 with the list.\n";
    assert!(
        !has(&s, staff, Label::Phone, "937-555-0164"),
        "{:?}",
        labels(&s, staff)
    );
}

#[test]
fn a_persons_name_before_a_street_address_makes_it_theirs_and_a_business_name_does_not() {
    let s = Scanner::new();
    let stop = "STOP B - POC swap\nMargaret Kowalski - 118 Glenheath Dr, Centerville, OH \
                45459\nher concentrator is alarming, DOB 3/2/1941\n";
    assert!(
        has(
            &s,
            stop,
            Label::Address,
            "118 Glenheath Dr, Centerville, OH"
        ),
        "{:?}",
        labels(&s, stop)
    );
    let letterhead = "Thanks,\nBloom Birth Center - 88 Loockerman Plaza, Dover, DE 19901\n\
                      Pt Ana Ruiz, DOB 3/2/1991, is due 4/1.\n";
    assert!(
        !has_label(&s, letterhead, Label::Address),
        "{:?}",
        labels(&s, letterhead)
    );
}

#[test]
fn an_age_after_a_birth_date_under_a_dob_and_age_label_is_found_and_a_young_one_is_not() {
    let s = Scanner::new();
    let transfer = "Patient:           HOLLOWAY, EUNICE R\n\
                    DOB / Age / Sex:   07/04/1932 / 92 / F\n";
    assert_has(&s, transfer, Label::Date, "07/04/1932");
    assert_has(&s, transfer, Label::Age, "92");
    // A label's first number that starts a date is the date's, not an age of 2.
    let tight = "Resident: Rosalind Feeney\nDOB/Age: 02/27/1931 / 94\n";
    assert_has(&s, tight, Label::Date, "02/27/1931");
    assert_has(&s, tight, Label::Age, "94");
    // A form's age field, however far its value is padded.
    let padded = "Emergency contact: grandmother\nAge:             94\nDOB 3/3/1931\n";
    assert_has(&s, padded, Label::Age, "94");
    // Ages of 89 and under are no identifiers.
    let young = "Patient: Rosalind Feeney\nDOB/Age: 02/27/1961 / 64\n";
    assert_has(&s, young, Label::Date, "02/27/1961");
    assert!(!has_label(&s, young, Label::Age), "{:?}", labels(&s, young));
}

#[test]
fn a_reports_run_stamp_is_no_patients_date_and_a_labs_run_is() {
    let s = Scanner::new();
    let census = "Subject: Daily Isolation Census\n\nReport: IP_ISO_DAILY_V3   Run: 03/12/2025 05:00   \
                  Rows: 2\n\nUNIT | ROOM | PATIENT | MRN\n6N | 02 | BRZEZINSKI, W | 00688041\n";
    assert_lacks(&s, census, Label::Date, "03/12/2025");
    assert_lacks(&s, census, Label::Date, "05:00");
    assert_has(&s, census, Label::Mrn, "00688041");
    let lab = "Pt Rosa Delgado, DOB 4/4/1961: final crossmatch negative (run 2/18), OR on 2/27.\n";
    assert_has(&s, lab, Label::Date, "2/18");
}

#[test]
fn an_encounters_bare_number_and_a_residents_incident_report_are_identifiers() {
    let s = Scanner::new();
    let enc = "Dr. A -- coding kicked back enc 5518203 (Keystone claim) for Darnell Okafor, \
               DOB 2/2/1980. The note says laceration but no repair.\n";
    assert_has(&s, enc, Label::OtherId, "5518203");
    // An encounter number that carries its own prefix keeps it.
    let prefixed = "Pt Darnell Okafor, DOB 2/2/1980, enc ENC-25-0310-1187 needs an addendum.\n";
    assert_has(&s, prefixed, Label::OtherId, "ENC-25-0310-1187");
    let fall = "Bernard Oyelaran, DOB 5/5/1938, was found on the floor of his room at 7:15 pm.\n\
                Incident report IR-2025-1183 is in CareVantage.\n";
    assert_has(&s, fall, Label::OtherId, "IR-2025-1183");
    // Enclosures are no encounter.
    let letter = "Thank you for your donation to the foundation.\nEnc 2\n";
    assert!(
        !has_label(&s, letter, Label::OtherId),
        "{:?}",
        labels(&s, letter)
    );
}

#[test]
fn a_role_before_a_name_is_no_part_of_it() {
    let s = Scanner::new();
    let claim = "Subject: RE: Claimant WHITFIELD, BRANDON / Clm# KMW-25-0418833\n\n\
                 Claimant:  Whitfield, Brandon J.\nDOB:       02/09/1988\n";
    assert_has(&s, claim, Label::Person, "WHITFIELD, BRANDON");
    assert!(
        !labels(&s, claim)
            .iter()
            .any(|(l, v)| *l == Label::Person && v.contains("Claimant")),
        "{:?}",
        labels(&s, claim)
    );
    let partner = "Pt Ana Ruiz, DOB 3/2/1991, 16w. Partner Luca Marchetti will come to the \
                   results visit. Partner's cell for results: 614-555-0272.\n";
    assert_has(&s, partner, Label::Person, "Luca Marchetti");
    assert_lacks(&s, partner, Label::Person, "Partner");
}

#[test]
fn a_last_first_name_with_a_credential_after_it_is_a_clinicians() {
    let s = Scanner::new();
    let lab = "Patient:     KIM, JOON\nDOB:         03/03/1990\n\
               Ordering:    ACHTERBERG, SAMUEL MD   NPI 1748293051\n\
               Ordering 2:  TRAN, LISA FNP-C   NPI 1618995827\n";
    assert_has(&s, lab, Label::Person, "KIM, JOON");
    for clinician in ["ACHTERBERG", "TRAN"] {
        assert!(
            !labels(&s, lab)
                .iter()
                .any(|(l, v)| *l == Label::Person && v.contains(clinician)),
            "{clinician}: {:?}",
            labels(&s, lab)
        );
    }
    // A middle name in capitals is still the patient's.
    let middle = "Patient:     WHITFIELD, BRANDON JAMES\nDOB:         02/09/1988\n";
    assert_has(&s, middle, Label::Person, "WHITFIELD, BRANDON JAMES");
}

#[test]
fn a_voicemail_notices_caller_number_is_the_callers_and_a_pharmacys_is_not() {
    let s = Scanner::new();
    let vm = "From: Brightwater Phone System <voicemail@brightwaterpeds.example>\n\
              To: frontdesk@brightwaterpeds.example\n\
              Subject: New voicemail from (425) 555-0163 - Mailbox 100 (Main Line) - 1:14\n\n\
              Transcription (may contain errors):\n\"Hi this is Daniela Ruiz, I'm the mom of \
              Ximena, her birthday is February 11 2022. You can call me back at 425-555-0163 \
              or text is better. Okay thank you bye.\"\n";
    assert_has(&s, vm, Label::Phone, "(425) 555-0163");
    assert_has(&s, vm, Label::Phone, "425-555-0163");
    let pharmacy = "From: Phone System <voicemail@clinic.example>\n\
                    Subject: New voicemail from (737) 555-0193 (WALGREENS #07712) - 0:52\n\n\
                    \"Hi, calling about a prior authorization for Ximena Alcaraz, DOB 2/11/2022.\"\n";
    assert_lacks(&s, pharmacy, Label::Phone, "(737) 555-0193");
}

#[test]
fn a_relatives_work_number_after_their_cell_is_theirs_and_an_office_line_is_not() {
    let s = Scanner::new();
    let contact = "Patient: Shirin Rahimi, DOB 4/2/1958\nEmergency contact ... Dariush Rahimi \
                   (husband) cell 614-555-0173, work 614-555-0179\n";
    assert_has(&s, contact, Label::Phone, "614-555-0173");
    assert_has(&s, contact, Label::Phone, "614-555-0179");
    let office = "Patient: Shirin Rahimi, DOB 4/2/1958, seen today.\n\
                  Questions: call our office, work line 614-555-0100.\n";
    assert_lacks(&s, office, Label::Phone, "614-555-0100");
}

#[test]
fn a_rides_trip_number_written_any_way_is_an_identifier_and_a_trips_date_is_not() {
    let s = Scanner::new();
    for (text, id) in [
        (
            "7:41 AM: 3N, pt OKONKWO, trach collar 40%, RT to accompany? Trip# MX-250318-0419\n",
            "MX-250318-0419",
        ),
        (
            "Subject: Trip Confirmation #MRT-5583021 - ROUND TRIP\n\nMember: Denise Holloway, \
             DOB 2/2/1950\n",
            "MRT-5583021",
        ),
        (
            "D. Holloway, DOB 2/2/1950: PCP f/u Fri 3/21, ride booked, MedRide trip MRT-5590447.\n",
            "MRT-5590447",
        ),
    ] {
        assert_has(&s, text, Label::OtherId, id);
    }
    let date = "Pt Denise Holloway, DOB 2/2/1950, cancelled the Tuesday trip 11/21.\n";
    assert!(
        !has_label(&s, date, Label::OtherId),
        "{:?}",
        labels(&s, date)
    );
}

#[test]
fn a_zip_code_a_form_pads_after_the_state_is_found() {
    let s = Scanner::new();
    let form = "Patient:             PRUITT, WENDELL J\n\
                Address:             907 Linden Ave, Lockport, IL  60441\n\
                Phone:               (815) 555-0149\n";
    assert_has(&s, form, Label::Zip, "60441");
    assert_has(&s, form, Label::Address, "907 Linden Ave, Lockport, IL");
    // A clinic's letterhead keeps its ZIP code, however it is padded.
    let letterhead = "Thanks,\nLockport Family Clinic - 88 State St, Lockport, IL  60441\n\
                      Pt Wendell Pruitt, DOB 3/2/1951, is due 4/1.\n";
    assert_lacks(&s, letterhead, Label::Zip, "60441");
}

#[test]
fn a_forms_zip_code_field_is_found_and_a_zip_in_prose_is_not() {
    let s = Scanner::new();
    let form = "NEW PATIENT INTAKE\nName:           Ellen Nakamura\nDOB:            04/02/1959\n\
                Street address: 16522 SE Stark St Apt 14, Portland, OR\n\
                ZIP:                  97233\nPhone:          (503) 555-0172\n";
    assert_has(&s, form, Label::Zip, "97233");
    let code = "Patient: Ellen Nakamura, DOB 04/02/1959\nZip Code:              43214\n";
    assert_has(&s, code, Label::Zip, "43214");
    // Not a label opening its line: "the zip 97233 area" is no form's field.
    let prose = "We now serve the zip 97233 area on Tuesdays.\n";
    assert!(!has_label(&s, prose, Label::Zip), "{:?}", labels(&s, prose));
}

#[test]
fn a_forms_town_field_is_an_address_and_a_town_hall_is_not() {
    let s = Scanner::new();
    let form = "Patient:            Ada Whitlock, DOB 3/3/1944\n\
                Address:            2741 Wexford Hollow Dr\n\
                City / State / ZIP:   Beavercreek, OH 45431\nCell: 937-555-0101\n";
    assert_has(&s, form, Label::Address, "Beavercreek, OH");
    assert_has(&s, form, Label::Zip, "45431");
    let town = "Patient:  Ada Whitlock, DOB 3/3/1944\nTown:              Grove City, OH\n";
    assert_has(&s, town, Label::Address, "Grove City, OH");
    // No label's colon: a heading, not a field.
    let hall = "TOWN HALLS (all members welcome)\nCity of Millbrook IT | 100 Municipal Way\n";
    assert!(
        !has_label(&s, hall, Label::Address),
        "{:?}",
        labels(&s, hall)
    );
}

#[test]
fn a_pasted_text_threads_sender_number_is_theirs_and_a_number_in_a_message_is_read_as_before() {
    let s = Scanner::new();
    let thread = "Dr O - pasting the texts from the surgery text line.\n\n\
                  ----- SMS log, Surgery Line -----\n\
                  [03/10 7:52 PM] +1 (224) 555-0126: hi its Ashley Brennan mom of Liam. hes \
                  having the ear tubes thurs??\n\
                  [03/10 7:58 PM] Surgery Line: Hi Ashley, Liam is scheduled Thursday 3/13 at \
                  Lakeshore Surgery Center.\n\
                  [03/10 8:03 PM] +1 (224) 555-0126: ok. can he have his amoxicillin still?\n";
    let found = labels(&s, thread)
        .iter()
        .filter(|(l, v)| *l == Label::Phone && v.contains("555-0126"))
        .count();
    assert_eq!(found, 2, "{:?}", labels(&s, thread));
    // Not a sender: no time stamp before it, or no colon after it.
    assert!(!chat_like(
        &s,
        "Lakeshore Surgery Center\n+1 (224) 555-0100 main line\n"
    ));
}

/// Whether `text` has a phone number found as a text thread's sender.
fn chat_like(s: &Scanner, text: &str) -> bool {
    s.scan(text)
        .findings
        .iter()
        .any(|f| f.rule == "phone.chat_sender")
}

#[test]
fn the_number_a_patient_is_called_at_is_theirs_and_a_colleagues_is_not() {
    let s = Scanner::new();
    let letter = "From: Riverside Cardiology <info@riversidecardio.example>\n\
                  To: Ann Lee <annlee55@gmail.com>\nSubject: your INR\n\n\
                  Hi Ann, your INR was 3.4 on 3/2. If it drops again, Dr. Halvorsen will call \
                  you at (513) 555-0125 and finish by noon.\n";
    assert_has(&s, letter, Label::Phone, "(513) 555-0125");
    // Between colleagues, the one called is a member of staff.
    let staff = "From: Dana Ruiz <druiz@riversidecardio.example>\n\
                 To: Tom Berg <tberg@riversidecardio.example>\nSubject: INR clinic\n\n\
                 Tom - pt Ann Lee's INR was 3.4 on 3/2. Dr. Halvorsen will call you at \
                 (513) 555-0125 about it.\n";
    assert_lacks(&s, staff, Label::Phone, "(513) 555-0125");
}

#[test]
fn a_reference_that_says_whose_case_is_an_identifier_and_a_supply_orders_is_not() {
    let s = Scanner::new();
    for (text, id) in [
        (
            "Re: Walter Benning, DOB 3/3/1950, seen on March 11 (our reference 25-004455).\n",
            "25-004455",
        ),
        (
            "Patient: Walter Benning, DOB 3/3/1950\nUR Reference:          UR-2603-54471\n",
            "UR-2603-54471",
        ),
        (
            "Member: Walter Benning, DOB 3/3/1950\nClaim ref:     260309M448102\n",
            "260309M448102",
        ),
        (
            "Walter Benning, DOB 3/3/1950: reported to the state at 15:45, case reference \
             NEDSS-25-0419377.\n",
            "NEDSS-25-0419377",
        ),
    ] {
        assert_has(&s, text, Label::OtherId, id);
    }
    let order = "Gowns, cloth-like, blue   3 cs\n\nOrder # for our reference: 2025-1014-077. \
                 Please confirm the delivery date.\n";
    assert!(
        !has_label(&s, order, Label::OtherId),
        "{:?}",
        labels(&s, order)
    );
}

#[test]
fn last_four_digits_right_after_last_4_are_an_ssns_and_a_cards_are_not() {
    let s = Scanner::new();
    for (text, digits) in [
        (
            "Subject: admission notification - Veteran Raymond Tso - last 4 4471\n\n\
             Admitted 3/11 with CHF.\n",
            "4471",
        ),
        (
            "Veteran:       Earl D. Whitaker\nDOB:           2/9/1944\nLast 4:        3318\n",
            "3318",
        ),
        (
            "Hi, this is Dana Pruitt, DOB 4/4/1970. If you need to verify me my last 4 is 4417.\n",
            "4417",
        ),
    ] {
        assert_has(&s, text, Label::Ssn, digits);
    }
    let card = "Dana Pruitt, DOB 4/4/1970, paid today with the visa, last 4 4417.\n";
    assert_lacks(&s, card, Label::Ssn, "4417");
    let phone = "Dana Pruitt, DOB 4/4/1970 - the cell ending in 4417 is hers.\n";
    assert_lacks(&s, phone, Label::Ssn, "4417");
}

#[test]
fn a_drivers_licence_written_short_is_found_and_a_clinicians_licence_beside_an_npi_is_not() {
    let s = Scanner::new();
    let intake = "Patient:      Earl Whitaker, DOB 2/9/1944\nDriver lic:   OH RS482917\n";
    assert_has(&s, intake, Label::License, "RS482917");
    let cdl = "Pt Darnell Okafor, DOB 2/2/1980: his CDL is Indiana license no. 2841-55-9067, \
               class A.\n";
    assert_has(&s, cdl, Label::License, "2841-55-9067");
    let exam = "Patient: Earl Whitaker, DOB 2/9/1944\nExaminer:   Tom Huang, OD\n\
                Ohio license no.: OPT.0412877     NPI 1266384019\n";
    assert_lacks(&s, exam, Label::License, "OPT.0412877");
}

#[test]
fn a_colleagues_birthday_without_its_year_in_staff_mail_is_no_patients_and_a_patients_is() {
    let s = Scanner::new();
    let cake = "From: Jolene Fischbach\nTo: Marcus Tillman; Priya Ramaswamy\n\
                Subject: RE: Denise's 25 yr anniversary lunch\n\n\
                ok final count is 9. Portillo's catering, $14.50/pp. also Priya's bday is 10/21 \
                so we're doing a combo cake lol. DON'T tell Denise!!!\n";
    assert!(!s.scan(cake).contains_phi, "{:?}", labels(&s, cake));
    // A patient's own birth date with a two-digit year, in a text relayed by a phone system.
    let sms = "From: TextLine <sms@footandanklegroup.example>\nTo: front desk\n\
               Subject: New SMS from (541) 555-0119\n\n\
               hi its maureen, i had the ingrown toenail thing done tues 3/3. the toe is still \
               red and theres yellowish stuff coming out. my bday is 2/14/67 if u need it.\n";
    assert!(s.scan(sms).contains_phi, "{:?}", labels(&s, sms));
}

#[test]
fn a_serial_number_with_nobody_near_to_own_it_needs_words_about_care_and_an_implants_does_not() {
    let s = Scanner::new();
    // A vendor's shipment of the practice's recorders: no patient, no personal device.
    let shipment = "From: Greg Pallister <gpallister@cardiotrace.example>\n\
                    To: Kwame Mensah <kmensah@heartclinic.example>\n\
                    Subject: RE: missing recorders\n\n\
                    Here's where your 3 units are:\n\
                    \x20 S/N CT3H-0047702   shipped back to you 3/7, delivered to your dock 3/10\n\
                    \x20 S/N CT3H-0047715   in repair, back ~3/18\n";
    let r = s.scan(shipment);
    assert!(!r.contains_phi, "{:?}", labels(&s, shipment));
    // A maker's returned-product report on an explanted defibrillator: the patient's device.
    let report = "From: CRM Returned Goods <rga@devicemaker.example>\nTo: Dr. Rao\n\
                  Subject: Returned Product Analysis - RPA 2024-118405\n\n\
                  Product:        Gallant HF CRT-D\nSerial number:  8107731\n\
                  Implant date:   02/06/2023\nExplant date:   04/23/2024\n";
    assert!(s.scan(report).contains_phi, "{:?}", labels(&s, report));
    assert_has(&s, report, Label::Device, "8107731");
    // A patient's hearing aid, named in the line before its serial.
    let aid = "Mrs. Okafor's left hearing aid stopped working.\nSerial: HA-2207-41183\n";
    assert!(s.scan(aid).contains_phi, "{:?}", labels(&s, aid));
}

#[test]
fn a_role_greeted_like_a_person_is_no_name_and_a_patient_greeted_by_name_is() {
    let s = Scanner::new();
    let reminder = "From: Learning & Development <learning@hospital.example>\n\
                    To: Whitfield, Dana\nSubject: ACTION REQUIRED: annual competencies\n\n\
                    Dear Manager,\n\nThe following employees have incomplete 2025 annual \
                    requirements. Please remind staff to finish by 03/31/2025.\n";
    assert_lacks(&s, reminder, Label::Person, "Manager");
    let portal = "From: MyChart <mychart-noreply@hospital.example>\nTo: [patient]\n\
                  Subject: New message from Lien Tran, PharmD\n\n\
                  Dear Marguerite,\n\nYour INR from today was 2.4, in your goal range.\n";
    assert_has(&s, portal, Label::Person, "Marguerite");
}

#[test]
fn a_last4_column_beside_veterans_names_holds_ssns_and_a_card_last4_column_does_not() {
    let s = Scanner::new();
    let export = "Here's the export for the escalation memo.\n\n\
                  referral_no,vet_last,vet_first,last4,specialty,status,days_open\n\
                  VA0051466120,Bynum,Clifton,0412,CARDIOLOGY,NOT SCHEDULED,52\n\
                  VA0051480933,Ruiz-Salgado,Ernesto,7759,CARDIOLOGY,SCHEDULED,48\n";
    assert_has(&s, export, Label::Ssn, "0412");
    assert_has(&s, export, Label::Ssn, "7759");
    assert_has(&s, export, Label::Person, "Clifton");
    let cards = "Declined payments this week:\n\n\
                 patient_last,patient_first,card_last4,amount\n\
                 Bynum,Clifton,0412,45.00\nRuiz-Salgado,Ernesto,7759,120.00\n";
    assert_lacks(&s, cards, Label::Ssn, "0412");
}

#[test]
fn a_visit_id_column_of_a_patient_table_holds_record_numbers_and_a_staff_roster_has_none() {
    let s = Scanner::new();
    let visits = "Attachment: missed_visits_prior_day.csv (inline copy below)\n\n\
                  visit_id,mrn,patient_name,visit_date,status\n\
                  V-3381042,HL-0063318,\"Okonjo, Peter\",03/10/2025,CANCELLED\n\
                  V-3381057,HL-0079021,\"Vasquez-Olmedo, Ana\",03/10/2025,NO SHOW\n";
    assert_has(&s, visits, Label::OtherId, "V-3381042");
    // Without a patient's column the numbers are read as nobody's.
    let roster = "visit_id,clinician,discipline,shift\n\
                  V-3381042,R. Okafor,NP,days\nV-3381057,L. Ferreira,SW,evenings\n";
    assert_lacks(&s, roster, Label::OtherId, "V-3381042");
}

#[test]
fn the_town_a_patient_or_relative_lives_in_is_an_address_and_a_state_alone_is_not() {
    let s = Scanner::new();
    for (text, town) in [
        (
            "Re: Kevin's father, admitted March 6. Please call me 917-555-0143. I live in \
             Stamford and cannot be there every day.\n",
            "Stamford",
        ),
        (
            "Visited Sione Tupou and the family this morning at the home in Beaverton. His \
             pain is better on the new dose.\n",
            "Beaverton",
        ),
        (
            "Pt Owen Halvorsen, DOB 4/4/1948: moving his INR checks to the satellite, closer \
             to home in Westerville.\n",
            "Westerville",
        ),
    ] {
        assert_has(&s, text, Label::Address, town);
    }
    let state = "I am Carmen Delgado's son, I live in Texas and cant get there until the \
                 weekend. Her DOB is 2/2/1941.\n";
    assert_lacks(&s, state, Label::Address, "Texas");
}

#[test]
fn two_initials_before_a_record_number_name_a_patient_and_a_statute_does_not() {
    let s = Scanner::new();
    let log = "After-hours calls\n\n#  Time   Patient / ID            Caller     Issue\n\
               1  17:42  J.M. / HL-0071190       dtr        pain 7/10, hydromorphone prn\n\
               2  19:20  R.D. / HL-0069934       wife       constipation\n";
    assert_has(&s, log, Label::Person, "J.M.");
    assert_has(&s, log, Label::Person, "R.D.");
    let statute = "Patient Darnell Okafor, DOB 2/2/1980: a minor's consent is governed by \
                   C.R.S. 25-1-801 and we release nothing without it.\n";
    assert_lacks(&s, statute, Label::Person, "C.R.S.");
}

#[test]
fn a_slot_or_visit_time_column_of_a_patient_table_holds_dates_and_a_staff_schedule_has_none() {
    let s = Scanner::new();
    let hookups = "Tomorrow's Holter hookups:\n\nslot,mrn,patient,dob,study\n\
                   07:30,LCH-2244901,\"Pham, Bao\",2013-04-22,24h\n\
                   08:00,LCH-2176318,\"Sandoval-Ortiz, Camila\",2010-12-05,48h\n";
    assert_has(&s, hookups, Label::Date, "07:30");
    let rota = "Front desk cover:\n\nslot,staff,desk\n07:30,Renata,main\n08:00,Luis,east\n";
    assert_lacks(&s, rota, Label::Date, "07:30");
}

#[test]
fn a_phone_number_spoken_digit_by_digit_is_found_and_seven_digits_or_a_count_are_not() {
    let s = Scanner::new();
    let vm = "Voicemail from (614) 555-0376, 0:41\n\n\"Hi this is uh Delores Pruitt, I'm on the \
              warfarin with you all. My INR was high. My number is six one four, five five five, \
              zero three seven six. Or you can call my son at six one four five five five zero \
              nine one\ntwo. Okay thank you, bye.\"\n";
    assert_has(
        &s,
        vm,
        Label::Phone,
        "six one four, five five five, zero three seven six",
    );
    assert_has(
        &s,
        vm,
        Label::Phone,
        "six one four five five five zero nine one\ntwo",
    );
    let short = "Hi this is Delores Pruitt about my warfarin, call me at five five five zero one \
                 eight eight, we have one two three four five six seven eight nine pills.\n";
    assert_lacks(
        &s,
        short,
        Label::Phone,
        "five five five zero one eight eight",
    );
}

#[test]
fn an_age_after_an_age_and_sex_label_is_read_and_one_under_90_is_no_identifier() {
    let s = Scanner::new();
    let old = "Patient name:        VOSKUIJLEN, MARGARETHA\nAge / Sex:           93 / F\n";
    assert_has(&s, old, Label::Age, "93");
    let young = "Patient name:        VOSKUIJLEN, MARGARETHA\nAge / Sex:           63 / F\n";
    assert_lacks(&s, young, Label::Age, "63");
}

#[test]
fn our_policy_number_is_the_organisations_insurance_and_a_members_policy_number_is_not() {
    let s = Scanner::new();
    let van = "Gary - do you want me to call Progressive or will you? Our policy # is on the card \
               in the glovebox, it's PRG-55190237-01. They'll want the claim started within 48h.\n";
    assert_lacks(&s, van, Label::MemberId, "PRG-55190237-01");
    let member = "Pt Darnell Okafor, DOB 2/2/1980. His policy # is on the card, it's \
                  PRG-55190237-01.\n";
    assert_has(&s, member, Label::MemberId, "PRG-55190237-01");
}

#[test]
fn a_number_that_starts_a_pasted_text_and_introduces_its_sender_is_a_phone_and_a_desk_line_is_not()
{
    let s = Scanner::new();
    let thread = "Pasted from Textline (front desk) 3/11 8:41a - Janelle\n\n\
                  +1 (651) 555-0139: Hi this is mei-ling tsao's mom, she can't make the 3:30 \
                  travel consult, her fever is back\n";
    assert_has(&s, thread, Label::Phone, "+1 (651) 555-0139");
    let desk = "Pasted from Textline (front desk) 3/11 8:41a - Janelle\n\n\
                +1 (651) 555-0100: front desk line, forwards to the nurse after 5\n";
    assert_lacks(&s, desk, Label::Phone, "+1 (651) 555-0100");
}

#[test]
fn a_training_programmes_interview_subject_says_its_names_are_applicants() {
    let s = Scanner::new();
    // A clinical pastoral education programme's interview grid (blind set XX).
    let interviews = "From: Kim Tran\n\
         To: Olusegun Adeyemi; Miriam Achterberg; Tomas Reyes-Whitfield\n\
         Subject: CPE 2026-27 Residency interviews - Dec 4 & 5 schedule\n\
         Date: Tue, 18 Nov 2025 12:05\n\
         \n\
         Hi all - here's the interview grid. All in G-44 unless Zoom. Applicants have been sent the ACPE materials and the parking map.\n\
         \n\
         Thu 12/4\n\
         \x20 09:00  Rev. Kwame Asante-Boateng   (Methodist Theological School in Ohio, MDiv '25)  Zoom   cell 614-555-0188\n\
         \x20 10:30  Hadley Brooks               (Vanderbilt Div, MTS)                             in person\n\
         \x20 13:00  Noor Siddiqui               (Hartford Intl Univ, Islamic Chaplaincy)          Zoom\n\
         \x20 14:30  Fr. Tadeusz Wiśniewski      (Pontifical College Josephinum)                   in person\n\
         \n\
         Fri 12/5\n\
         \x20 09:00  Caleb J. Yoder              (Anabaptist Mennonite Biblical Sem)               in person\n\
         \x20 10:30  Ama Serwaa Darko            (Trinity Lutheran, MDiv '24, 2 units CPE done)    in person\n\
         \x20 13:00  Rabbi-cand. Eliana Roth     (HUC-JIR Cincinnati)                              Zoom   email eroth.huc@example.org\n\
         \n\
         Panel: Olu (all), Miriam (Thu AM), Tomas (Fri), one current resident per slot (Grace/Marcus/Sunita/Jonah - please sign up).\n\
         Scoring rubric and ACPE Std 309 notes are on the S: drive \\\\hvmc-fs02\\SpiritualCare\\CPE\\Admissions\\2026.\n\
         \n\
         Stipend letter template still has last year's rate ($38,500) - Olu please confirm the new number before offers go out 12/15.\n\
         \n\
         Kim\n\
         ";
    assert!(interviews.contains("Residency interviews"));
    assert!(
        !s.scan(interviews).contains_phi,
        "{:?}",
        labels(&s, interviews)
    );
    // Without the subject's word for the post, the applicant's cell number is a person's.
    let plain = interviews.replace("Residency interviews", "plans");
    assert!(s.scan(&plain).contains_phi, "{:?}", labels(&s, &plain));
}

#[test]
fn a_birth_records_child_and_mothers_maiden_name_columns_hold_names_and_a_facility_column_not() {
    let s = Scanner::new();
    let linkage = "Automated linkage run 2025-03-12 06:00. 2 birth records did not match.\n\n\
                   STATE_FILE_NO     CHILD_LAST    CHILD_FIRST   DOB          SEX  FACILITY               MOTHER_MAIDEN\n\
                   2025-WI-0048813   LAFFERTY      (blank)       2025-03-01   F    HOME BIRTH - ATTENDED  BERGERON\n\
                   2025-WI-0049027   ABDI          MOHAMED       2025-03-04   M    LAKEVIEW REGIONAL MC   YUSUF\n";
    assert_has(&s, linkage, Label::Person, "LAFFERTY");
    assert_has(&s, linkage, Label::Person, "MOHAMED");
    assert_has(&s, linkage, Label::Person, "YUSUF");
    assert_lacks(&s, linkage, Label::Person, "LAKEVIEW REGIONAL MC");
}

#[test]
fn a_mobile_drives_host_sites_are_no_patients_addresses_and_a_patients_address_column_is() {
    let s = Scanner::new();
    let drives = "FINAL schedule below.\n\n\
                  DATE  | HOST / SITE                  | ADDRESS                                 | TIME      | BUS\n\
                  ------|------------------------------|-----------------------------------------|-----------|----\n\
                  3/17  | Susquehanna Mutual Insurance | 600 Corporate Cir, Harrisburg PA 17110  | 0900-1500 | 3\n\
                  3/17  | Grace Lutheran Church        | 212 Bridge St, New Cumberland PA 17070  | 1400-1900 | 5\n";
    assert!(!s.scan(drives).contains_phi, "{:?}", labels(&s, drives));
    let visits = "Home visits:\n\n\
                  TIME  | PATIENT           | ADDRESS                                 | MRN\n\
                  0900  | Pruitt, Dale      | 212 Bridge St, New Cumberland PA 17070  | 0048213\n";
    assert_has(
        &s,
        visits,
        Label::Address,
        "212 Bridge St, New Cumberland PA",
    );
}

#[test]
fn incident_cause_application_confirmation_and_payment_numbers_are_a_patients_ids() {
    let s = Scanner::new();
    for (text, value) in [
        (
            "Pt Wade Holcomb, DOB 01/02/1970, crisis call.\nINC#: 250313-0217     PRI: 2\n",
            "250313-0217",
        ),
        (
            "Respondent Esteban Martinez, DOB 02/03/1988.\nSuperior Court, Cause No. 25-6-00213-37\n",
            "25-6-00213-37",
        ),
        (
            "Patient Dana Whitfield applied yesterday, app # FA-24-118362, income pending.\n",
            "FA-24-118362",
        ),
        (
            "I applied for my son Mateo Ruiz online and got a confirmation number OB-2024-7725518.\n",
            "OB-2024-7725518",
        ),
        (
            "Patient Lena Okafor paid twice.\n  Payment txn IDs: PLX-99018831, PLX-99018832\n",
            "PLX-99018831",
        ),
        (
            "Video visit for Liliana Petrova, DOB 03/04/2019.\n  Appt #:      E-88412907\n",
            "E-88412907",
        ),
    ] {
        assert_has(&s, text, Label::OtherId, value);
    }
    // Without the cue, the same numbers are nobody's.
    assert_lacks(
        &s,
        "Pt Wade Holcomb, DOB 01/02/1970, crisis call.\nrouted 250313-0217 PRI 2\n",
        Label::OtherId,
        "250313-0217",
    );
}

#[test]
fn a_staff_members_or_interpreters_id_is_no_patients_and_a_patients_id_is() {
    let s = Scanner::new();
    for (text, value) in [
        (
            "Spoke with pt Rosa Delgado via Language Line (Spanish, interpreter ID 40712).\n",
            "40712",
        ),
        (
            "Patient Ana Ruiz, DOB 04/05/1960.\n  Interpreter ....... Luis Carrasco (Staff ID 4471, CHI)\n",
            "4471",
        ),
        (
            "Patient Ana Ruiz was routed to a different interpreter (ID HC-0417) who finished.\n",
            "HC-0417",
        ),
    ] {
        assert_lacks(&s, text, Label::OtherId, value);
    }
    assert_has(
        &s,
        "Patient Ana Ruiz, DOB 04/05/1960, ID HC-0417, seen today.\n",
        Label::OtherId,
        "HC-0417",
    );
}

#[test]
fn a_date_with_a_year_no_calendar_has_is_no_date() {
    let s = Scanner::new();
    let quote = "Patient Jane Roe asked for it.\nQuote #: Q-25-06-0392     Valid until soon\n";
    assert_lacks(&s, quote, Label::Date, "25-06-0392");
    let visit = "Patient Jane Roe was seen 25-06-2025 in clinic.\n";
    assert_has(&s, visit, Label::Date, "25-06-2025");
}

#[test]
fn a_record_number_column_alone_and_a_client_id_column_hold_record_numbers() {
    let s = Scanner::new();
    let log = "Here is my morning log.\n\n\
               date,start,end,mrn,location,encounter_type,minutes,modality\n\
               2025-04-28,10:05,11:00,RB01077480,HV Family Med,OB follow-up,55,in-person\n\
               2025-06-10,08:02,08:40,RB00288315,4 West 412,discharge teaching,38,in-person\n";
    assert_has(&s, log, Label::Mrn, "RB01077480");
    assert_has(&s, log, Label::Mrn, "RB00288315");
    // The same table with no record column lists nobody's numbers.
    let plain = log.replace(",mrn,", ",ref,");
    assert_lacks(&s, &plain, Label::Mrn, "RB01077480");
    let schedule = "Your scheduled report is below.\n\n\
                    client,client_id,visit_date,start,end,caregiver,service,status\n\
                    \"STRAND, EMMETT\",C-10322,2024-10-20,19:00,07:00,\"Adeyemi, Femi\",T1000-TD,Confirmed\n";
    assert_has(&s, schedule, Label::Mrn, "C-10322");
}

#[test]
fn a_text_threads_time_stamps_are_no_visit_times_and_an_appointment_time_is() {
    let s = Scanner::new();
    let thread = "Texts with patient Tee Brooks-Marr, acct 40019107733.\n\n\
                  (740) 555-0127  Mon 10/14 6:42 PM\n\
                  hey this is tee, u called me today abt my bill\n\n\
                  CVMC Fin Counsel  Mon 10/14 6:50 PM\n\
                  Hi, thanks for texting back. Your balance is $1,240.\n";
    assert_lacks(&s, thread, Label::Date, "6:42 PM");
    assert_lacks(&s, thread, Label::Date, "6:50 PM");
    let log = "Texts exported from county phone, patient Iggy Oyelaran.\n\n\
               Tue 10/14 7:16 AM  Dwayne P: saw him at his work, all pills swallowed\n\
               Tue 10/14 7:18 AM  Marisol V: ok thx\n";
    assert_lacks(&s, log, Label::Date, "7:16 AM");
    // One such line is no thread: a patient's appointment stays a date.
    let one = "Patient Tee Brooks-Marr, acct 40019107733.\n\n\
               Follow-up visit  Mon 10/14 6:42 PM\n\
               Please bring your card.\n";
    assert_has(&s, one, Label::Date, "6:42 PM");
}

#[test]
fn a_weekday_and_date_ending_a_line_before_its_trailing_spaces_is_read_without_a_panic() {
    let s = Scanner::new();
    // (The thread-stamp reader once stepped past a line's end over its trailing space.)
    for text in [
        "Mon 10/14 \n",
        "Tue \nx",
        "Wed 3/4 \t\r\nTue 3/5  \n",
        "12:41  \n",
    ] {
        let _ = s.scan(text);
    }
}

#[test]
fn a_name_the_rules_judged_staff_is_no_candidate_of_the_name_model() {
    let s = Scanner::new();
    // (dev-00304 of the dev corpus, synthetic.)
    let letter = "Subject: After your pacemaker implantation\nFrom: bryan@valleycare.net\n\n\
                  Dear Mr. Bailey,\n\n\
                  We hope you are recovering well after your pacemaker implantation on May 15, \
                  2025. Dr. Brandon Ryan asked me to check in and review a few instructions.\n\n\
                  Diagnosis: ICD-10: G43.909 (migraine)\n\n\
                  Medications:\n- metoprolol 25 mg once daily\n- cyclobenzaprine 75 mcg once daily\n\
                  - venlafaxine 0.25 mg twice daily\n\n\
                  Your follow-up visit is on 06/08/2025 with Dr. Ryan.\n\
                  We will call you at 901-569-1057 in the next few days to see how you are doing.\n\
                  If you develop a fever over 101F, increasing redness, or bleeding, call 510 750 \
                  6522 or go to the nearest emergency room.\n\n\
                  Thanks,\nAnthony Garcia, PA-C\nHome Health RN\nValley Urgent Care\n510 750 6522\n";
    assert_has(&s, letter, Label::Person, "Bailey");
    // (The title makes the doctor staff; before, the model read "Ryan" as a patient's name.)
    let r = s.scan(letter);
    assert!(
        !r.findings
            .iter()
            .any(|f| f.label == Label::Person && letter[f.start_byte..f.end_byte].contains("Ryan")),
        "{:?}",
        labels(&s, letter)
    );
}

#[test]
fn a_spoken_birth_date_with_its_month_said_as_a_number_or_its_day_as_a_cardinal_is_a_date() {
    let s = Scanner::new();
    for (text, value) in [
        (
            "Voicemail: \"hi um his birthday is four nine two thousand one if you need that\"\n",
            "four nine two thousand one",
        ),
        (
            "Voicemail: \"this is Keisha, date of birth four twelve ninety nine. So the\"\n",
            "four twelve ninety nine",
        ),
        (
            "Voicemail: \"Her birthday is January one nineteen fifty eight if you need it.\"\n",
            "January one nineteen fifty eight",
        ),
        (
            "Voicemail: \"his birthday is three fourteen twenty nineteen if you need it\"\n",
            "three fourteen twenty nineteen",
        ),
    ] {
        assert_has(&s, text, Label::Date, value);
    }
    // A month said as a number needs its year: "four nine" alone is no date.
    assert_lacks(
        &s,
        "Voicemail: \"his birthday party is four nine people, call me\"\n",
        Label::Date,
        "four nine",
    );
}

#[test]
fn a_vendors_quotes_desk_greeting_its_customers_manager_names_no_patient() {
    let s = Scanner::new();
    let quote = "From: Ines Fairweather <quotes@polyglotdocs.com>\n\
                 To: Marisol Ventura-Katz <mventura-katz@riverbendrmc.org>\n\
                 Subject: Quote Q-25-06-0392 - consent templates (5 languages)\n\n\
                 Dear Ms. Ventura-Katz,\n\n\
                 Thank you for the request. Please find the quote below.\n";
    assert_lacks(&s, quote, Label::Person, "Ventura-Katz");
    // From a person's own mailbox, the title still names whoever it greets.
    let personal = quote.replace("quotes@polyglotdocs.com", "ifairweather@polyglotdocs.com");
    assert_has(&s, &personal, Label::Person, "Ventura-Katz");
}

#[test]
fn a_name_on_our_team_is_staff_and_a_name_on_our_list_of_patients_is_not_read_so() {
    let s = Scanner::new();
    let notice = "Patient statements go out Friday.\n\
                  New keys will come from Hector Villanueva on our IT team.\n";
    assert_lacks(&s, notice, Label::Person, "Hector Villanueva");
    let plain = "Patient statements go out Friday.\n\
                 New keys will come from Hector Villanueva today.\n";
    assert_has(&s, plain, Label::Person, "Hector Villanueva");
}

#[test]
fn a_household_named_by_its_surname_after_the_is_a_person_and_a_place_named_so_is_not() {
    let s = Scanner::new();
    let shifts = "Hi Abby, welcome aboard! After the trach lab you'll orient with me on the \
                  Whitaker case: Sat 7a-7p.\n";
    assert_has(&s, shifts, Label::Person, "Whitaker");
    let call = "Please call the Fitzgerald family about the vent settings.\n";
    assert_has(&s, call, Label::Person, "Fitzgerald");
    // A place or a foundation written with capitals is named, not a household.
    let shelter = "She is staying at the Harbor House shelter on Canal St.\n";
    assert_lacks(&s, shelter, Label::Person, "Harbor");
    let gala = "On Giving Tuesday the Ainsworth Family Foundation will match every gift.\n";
    assert_lacks(&s, gala, Label::Person, "Ainsworth");
}

#[test]
fn a_units_dl_is_no_drivers_licence_and_a_drivers_dl_is() {
    let s = Scanner::new();
    let policy =
        "Patient Ana Ruiz, hypoglycemia protocol:\n   - < 100 mg/dL: 15-30 g carbohydrate\n";
    assert!(
        !has_label(&s, policy, Label::License),
        "{:?}",
        labels(&s, policy)
    );
    let id = "Patient Ana Ruiz brought her ID.\n   DL: WDL7QF3K81N2\n";
    assert_has(&s, id, Label::License, "WDL7QF3K81N2");
}

#[test]
fn a_fraction_before_an_inch_mark_is_no_date_and_a_quoted_date_is() {
    let s = Scanner::new();
    let order = "Patient Ana Ruiz asked.\nvan is out of 31g 5/16\" 1cc syringes, reorder pls\n";
    assert_lacks(&s, order, Label::Date, "5/16");
    let note = "Patient Ana Ruiz, \"warfarin - INR 2.4 on 3/7\", recheck.\n";
    assert_has(&s, note, Label::Date, "3/7");
}

#[test]
fn a_record_number_opening_a_line_before_a_missed_visit_is_a_record_number() {
    let s = Scanner::new();
    let reply =
        "Subject: Re: 10:30\n\n0412877 - no-showed 3/10, rescheduled thu 3/13 10:30. left vm.\n";
    assert_has(&s, reply, Label::Mrn, "0412877");
    let order = "Subject: Re: order\n\n0412877 - boxes arrived, thanks.\n";
    assert_lacks(&s, order, Label::Mrn, "0412877");
}

#[test]
fn a_prescription_number_and_a_trip_number_column_hold_a_patients_ids() {
    let s = Scanner::new();
    let refills = "Three we could not reach.\n\n\
                   patient,dob,rx_number,product,last_fill,next_due,status\n\
                   \"Alvarez-Ruiz, Mateo\",2016-02-11,4418820-03,Advate 1500,2025-04-14,2025-05-12,SHIPPED\n";
    assert_has(&s, refills, Label::OtherId, "4418820-03");
    let trips = "Disputed trips:\n\n\
                 trip,dos,member,reason\n\
                 TRP-25111804412,11/18/2025,\"Hostetter, Vera\",member cancelled before dispatch\n";
    assert_has(&s, trips, Label::OtherId, "TRP-25111804412");
    // Under a heading that names no identifier, the same cell is nobody's.
    let plain = trips.replace("trip,dos", "code,dos");
    assert_lacks(&s, &plain, Label::OtherId, "TRP-25111804412");
}

#[test]
fn a_reject_codes_mr_is_no_title_and_a_prescribers_id_is_no_patients() {
    let s = Scanner::new();
    let reject = "CLAIM RESPONSE - REJECTED\n\
                  Patient:         MELNYK, OKSANA     DOB: 11/30/1962\n\
                  Prescriber ID:   1582047399  (FENNIMORE, THERESA)\n\
                  Reject code(s):  75  PRIOR AUTHORIZATION REQUIRED\n\
                  \x20                MR  PRODUCT NOT ON FORMULARY - PREFERRED: XARELTO\n";
    assert_has(&s, reject, Label::Person, "MELNYK, OKSANA");
    assert_lacks(&s, reject, Label::Person, "PRODUCT");
    assert_lacks(&s, reject, Label::OtherId, "1582047399");
    // With its dot, the title names whoever follows.
    let letter = "Patient visit today.\nMr. Fennimore asked about his refill.\n";
    assert_has(&s, letter, Label::Person, "Fennimore");
}

#[test]
fn a_text_threads_sender_stamp_and_colon_is_no_visit_time() {
    let s = Scanner::new();
    let thread = "Account 3378120, patient Rosa Delgado.\n\n[Texts with (971) 555-0129]\n\n\
                  (971) 555-0129 3/10 6:52 PM: hi this is Marisela, Rosa Delgados daughter\n\
                  CVAA Billing 3/11 8:14 AM: Hi Marisela, yes we offer payment plans\n";
    assert_lacks(&s, thread, Label::Date, "6:52 PM");
    assert_lacks(&s, thread, Label::Date, "3/11");
    // One such line is no thread: its date stays a date.
    let note = "Patient Rosa Delgado.\nKim 3/11 8:14 AM: surgery moved, pt ate\n";
    assert_has(&s, note, Label::Date, "3/11");
}

#[test]
fn a_zip_code_after_a_forms_zip_label_is_a_zip_code() {
    let s = Scanner::new();
    let form = "Patient: Ana Ruiz, DOB 01/02/1970\n\
                Street address: 416 N Pine St, Apt 2, Cedar Bluff, NE   ZIP: 68823\n";
    assert_has(&s, form, Label::Zip, "68823");
    // A word that is no ZIP label before the digits: no ZIP code.
    let other = form.replace("ZIP: 68823", "Box: 68823");
    assert_lacks(&s, &other, Label::Zip, "68823");
}

#[test]
fn a_phone_columns_cell_is_a_patients_phone_whatever_department_word_is_in_the_row() {
    let s = Scanner::new();
    let balances = "Balances:\n\n\
                    guarantor_last,dob,st,phone,dos\n\
                    Hollister,1979-11-04,OR,503-555-0182,2024-08-19\n\
                    Tuivaga,1995-03-22,OR,503-555-0137,2024-09-02\n";
    assert_has(&s, balances, Label::Phone, "503-555-0182");
    assert_has(&s, balances, Label::Phone, "503-555-0137");
}

#[test]
fn a_drug_name_before_a_hyphen_and_a_word_about_it_is_a_drug_and_a_class_of_product_is_not() {
    let s = Scanner::new();
    for (text, value) in [
        (
            "Three doses on someone who is mostly fentanyl-naive is a lot.\n",
            "fentanyl",
        ),
        (
            "She had warfarin-induced bleeding last spring.\n",
            "warfarin",
        ),
        (
            "The lab runs an Emicizumab-calibrated FVIII assay.\n",
            "Emicizumab",
        ),
        (
            "The hemophilia clinic stocks Humate-P and BeneFIX.\n",
            "Humate-P",
        ),
    ] {
        assert_has(&s, text, Label::Medication, value);
    }
    let fluids = "NO dextrose-containing IV fluids unless hypoglycemic.\n";
    assert_lacks(&s, fluids, Label::Medication, "dextrose");
    // A biosimilar's suffix is part of its name.
    let biosimilar = "Mvasi (bevacizumab-awwb) is on formulary.\n";
    assert_lacks(&s, biosimilar, Label::Medication, "bevacizumab");
}

#[test]
fn a_demo_units_serial_number_is_no_patients_device() {
    let s = Scanner::new();
    let kit = "Patient Ana Ruiz asked for a trial.\nIn the case:\n  Lumena Go 2 magnifier   demo s/n LG2-DEMO-00817\n";
    assert_lacks(&s, kit, Label::Device, "LG2-DEMO-00817");
    let own = kit.replace("demo s/n LG2-DEMO-00817", "her s/n LG2-88421-00817");
    assert_has(&s, &own, Label::Device, "LG2-88421-00817");
}

#[test]
fn a_thread_senders_phone_then_a_time_and_a_colon_is_a_stamp() {
    let s = Scanner::new();
    let thread = "Patient Ana Ruiz's session moved.\n\n\
                  Jenna K (224-555-0161) 10:02 AM: coil 2 threw E-217 again lol\n\
                  Luis O (847-555-0193) 10:03 AM: of course it did\n";
    assert_lacks(&s, thread, Label::Date, "10:02 AM");
    assert_lacks(&s, thread, Label::Date, "10:03 AM");
}

#[test]
fn camel_case_headings_and_a_record_numbers_facility_in_brackets_are_read() {
    let s = Scanner::new();
    let roster = "Eligibility run:\n\n\
                  PatientName,DOB,Payer,MemberID,ApptDateTime,Status\n\
                  \"Marchetti, Elijah\",06/14/2016,Molina Apple Health,108472936WA,03/12/2025 08:00,ACTIVE\n";
    assert_has(&s, roster, Label::MemberId, "108472936WA");
    assert_has(&s, roster, Label::Person, "Marchetti, Elijah");
    let form = "Patient: Chidinma Okafor\nMRN (NFM):      NF-00418827\n";
    assert_has(&s, form, Label::Mrn, "NF-00418827");
}

#[test]
fn a_date_before_a_time_with_seconds_is_a_systems_stamp_and_a_visit_date_is_not() {
    let s = Scanner::new();
    let log = "Patient portal lockout for Ana Ruiz, MRN 00412877.\n\
               Sign-in log:\n  2025-02-10 19:42:11  SUCCESS  192.0.2.145     iPad / Safari\n";
    assert_lacks(&s, log, Label::Date, "2025-02-10");
    let visit = "Patient Ana Ruiz, MRN 00412877, was seen 2025-02-10 19:42 in clinic.\n";
    assert_has(&s, visit, Label::Date, "2025-02-10");
}

#[test]
fn a_bracketed_chat_stamp_with_a_months_name_is_no_date() {
    let s = Scanner::new();
    let thread = "Fwd text from the on-call phone, patient Kendra Ruiz:\n\n\
                  [Mar 11, 12:04 PM] +1 330-555-0131: hi this is Kendra, my dad needs his meds\n\
                  [Mar 11, 12:09 PM] Ridgeway On-Call: Hi Kendra, on the 4pm run\n";
    assert_lacks(&s, thread, Label::Date, "Mar 11");
}

#[test]
fn a_thread_stamp_with_two_spaces_inside_is_a_stamp() {
    let s = Scanner::new();
    let thread = "Texts, patient Kayla Dunn:\n\n\
                  +1 (708) 555-0124  Mon 10/13  11:48 PM\n> hey its kayla d. i missed my session\n\n\
                  Lakeshore On-Call  Tue 10/14  7:05 AM\n> Hi Kayla\n";
    assert_lacks(&s, thread, Label::Date, "10/13");
    assert_lacks(&s, thread, Label::Date, "11:48 PM");
}

#[test]
fn a_lab_reports_ordering_clinician_is_staff() {
    let s = Scanner::new();
    let report = "Patient: Ana Ruiz, DOB 01/02/1960\n  Ordering:   RAHIMI, LEILA APRN-CNP\n";
    assert_lacks(&s, report, Label::Person, "RAHIMI, LEILA APRN-CNP");
    assert_lacks(&s, report, Label::Person, "RAHIMI, LEILA");
    let contact = "Patient: Ana Ruiz, DOB 01/02/1960\n  Contact:   RAHIMI, LEILA\n";
    assert_has(&s, contact, Label::Person, "RAHIMI, LEILA");
}

#[test]
fn a_shift_after_a_nurses_name_is_no_chart_number() {
    let s = Scanner::new();
    let rota = "Name              Mon 3/17   Tue 3/18   Wed 3/19\n\
                Jenna Kowalski    0700-1530  0700-1530  PTO\n\
                Darnell Hughes    0700-1530  OFF        0700-1530\n\
                Tiffany Nguyen    0730-1600  0730-1600  0730-1600\n";
    assert!(!has_label(&s, rota, Label::Mrn), "{:?}", labels(&s, rota));
    // A patient's chart number after the name still is one.
    let list = "Patient list for the INR clinic:\n\n- Whitcombe (NGC-120937) - INR 3.4\n";
    assert_has(&s, list, Label::Mrn, "NGC-120937");
}

#[test]
fn words_in_capitals_after_a_cue_are_a_name_only_with_a_surname() {
    let s = Scanner::new();
    let alert = "***** EXTREME WEATHER ACTIVATION *****\n\
                 OUTREACH TEAMS CAN CALL DISPATCH (510) 555-0111 FOR VAN PICKUP UP TO 10PM.\n\
                 CONTACT: DUTY OFFICER LT. GREG HALVORSEN, (510) 555-0105\n";
    assert_lacks(&s, alert, Label::Person, "VAN PICKUP");
    assert_lacks(&s, alert, Label::Person, "DUTY OFFICER LT");
    let form = "PATIENT: DE LA CRUZ, MARISOL\nREFERRAL FOR MARISOL GUTIERREZ, DOB 02/11/1951\n";
    assert_has(&s, form, Label::Person, "MARISOL GUTIERREZ");
}

#[test]
fn a_dashboards_acronym_and_words_are_no_token_and_a_token_is() {
    let s = Scanner::new();
    let report = "All - Feb numbers are final.\n\n\
                  Dashboard: https://tableau.stbrendanrmc.org/#/views/LOCDenials/PayerSummary\n";
    assert!(
        !has_label(&s, report, Label::Url),
        "{:?}",
        labels(&s, report)
    );
    let portal = "Hi Ana, your results are ready: https://portal.example.org/r/LOCq7Zx9Tk\n";
    assert_has(
        &s,
        portal,
        Label::Url,
        "https://portal.example.org/r/LOCq7Zx9Tk",
    );
}

#[test]
fn a_prior_authorisation_portals_key_is_the_patients_and_a_licence_key_is_not() {
    let s = Scanner::new();
    let pa = "Ana Ruiz, DOB 03/14/1961: the PA for her Dupixent was submitted through \
              CoverMyMeds, key B7KQ4LZR. Request Key:      BXT4-9KQ2-LM7P\n";
    assert_has(&s, pa, Label::OtherId, "B7KQ4LZR");
    assert_has(&s, pa, Label::OtherId, "BXT4-9KQ2-LM7P");
    let seats = "Patient Ana Ruiz, DOB 03/14/1961, asked about the portal. The seat is tied to \
                 license key 4C7D-22A9-81F0, and Priya had to re-key 11 certificates.\n";
    assert!(
        !has_label(&s, seats, Label::OtherId),
        "{:?}",
        labels(&s, seats)
    );
}

#[test]
fn a_voicemails_caller_id_is_a_phone_number() {
    let s = Scanner::new();
    let vm = "New voicemail (0 min 38 sec) - Mailbox 2201 Nurse Triage\n\nCaller ID: 6125550121\n\
              Transcription: hi this is Ana Ruiz, my daughter Sofia has a fever of 103\n";
    assert_has(&s, vm, Label::Phone, "6125550121");
    assert!(!has_label(&s, vm, Label::OtherId), "{:?}", labels(&s, vm));
}

#[test]
fn a_products_name_and_serial_in_an_asset_list_and_a_reports_run_are_nobodys() {
    let s = Scanner::new();
    let audit = "Lab-owned HST units currently on the shelf:\n\n\
                 Asset tag       Model          Serial         Status\n\
                 HV-HST-0104     Alice NightOne 7A-220417      In service\n\
                 HV-HST-0105     Alice NightOne 7A-220452      In service\n";
    assert!(!s.scan(audit).contains_phi, "{:?}", labels(&s, audit));
    assert_lacks(&s, audit, Label::Person, "Alice NightOne");
    let report = "NCM CASELOAD SNAPSHOT\nRun ID: 2209183374   Generated: 03/11/2025 06:00:09\n\n\
                  View in browser: https://reports.example.com/ncm/central?run=2209183374\n";
    assert!(
        !has_label(&s, report, Label::OtherId),
        "{:?}",
        labels(&s, report)
    );
    assert!(
        !has_label(&s, report, Label::Url),
        "{:?}",
        labels(&s, report)
    );
}

#[test]
fn an_age_in_spanish_or_after_a_line_break_is_read() {
    let s = Scanner::new();
    let es = "Sobre su abuela de 91 años: no es necesario hacerle la prueba. Paciente: Ana Ruiz.\n";
    assert_has(&s, es, Label::Age, "91");
    let vm = "hi this is about my mother Delores Kaminski, she's\n91, she saw the doctor Friday\n";
    assert_has(&s, vm, Label::Age, "91");
    let young = "Sobre su hijo de 12 años: Ana Ruiz, DOB 01/02/2013.\n";
    assert!(!has_label(&s, young, Label::Age), "{:?}", labels(&s, young));
}

#[test]
fn a_lower_case_display_name_before_a_personal_mailbox_is_its_owner_in_to_and_from() {
    let s = Scanner::new();
    let mail = "From: Lauren Pruitt, CRNP <lpruitt@footankle.example.com>\n\
                To: harold z <hzimm48@yahoo.com>\nSubject: RE: the bandage thing\n\n\
                Thanks for sending the picture of your toe wound. Keep it dry.\n";
    assert_has(&s, mail, Label::Person, "harold z");
    let staff = "From: Lauren Pruitt <lpruitt@footankle.example.com>\n\
                 To: front desk <frontdesk@footankle.example.com>\nSubject: supplies\n\nThanks.\n";
    assert!(
        !has_label(&s, staff, Label::Person),
        "{:?}",
        labels(&s, staff)
    );
}

#[test]
fn a_phones_thread_stamped_today_and_yesterday_is_no_visit_date() {
    let s = Scanner::new();
    let thread = "Pasted from the CHR work phone, patient Lyle Birdsall:\n\n\
                  Yesterday 6:52 PM  +1 (406) 555-0142:\n  hi lyle its shawna. grandpa fell\n\n\
                  Yesterday 7:03 PM  Me:\n  Hi Shawna. Did he hit his head?\n\n\
                  Today 7:15 AM  +1 (406) 555-0142:\n  morning. ankle is pretty swollen\n";
    assert_lacks(&s, thread, Label::Date, "6:52 PM");
    assert_lacks(&s, thread, Label::Date, "7:15 AM");
    let visit = "Patient Lyle Birdsall: home visit today 7:15 AM, then labs.\n";
    assert_has(&s, visit, Label::Date, "7:15 AM");
}

#[test]
fn a_forms_phone_field_named_for_the_patient_is_the_patients() {
    let s = Scanner::new();
    let referral = "Claimant:          Raymond J. Kowalczyk\nDOB:               08/22/1978\n\
                    Employer addr:     1150 Distribution Dr, Carlisle, PA 17013\n\
                    Occupation:        Order selector (heavy, up to 75 lb)\n\
                    Claimant phone:    (717) 555-0163 (cell, OK to text)\n";
    assert_has(&s, referral, Label::Phone, "(717) 555-0163");
    let courier = "MOBILE DRAW & COURIER\nClient Phone:  937-555-0140          Client Fax: 937-555-0141\n\
                   Patient: Ana Ruiz, DOB 01/02/1960\n";
    assert_lacks(&s, courier, Label::Phone, "937-555-0140");
}

#[test]
fn a_reports_id_a_part_numbers_letters_a_remit_id_and_an_incident_page_are_nobodys() {
    let s = Scanner::new();
    let report = "DAILY PRODUCTION SUMMARY\nReport date: 10/14/2025     Report ID: 883-20-1147\n";
    assert!(
        !has_label(&s, report, Label::Ssn),
        "{:?}",
        labels(&s, report)
    );
    let order = "Line  Part            Description                 Qty\n\
                 6     VM-HRN-0031     Wiring harness, seat module  1\n";
    assert!(!has_label(&s, order, Label::Mrn), "{:?}", labels(&s, order));
    let invoice = "INVOICE\nInvoice #:      INV-2025-09-7731\nRemit ID:       1720493318\n";
    assert!(
        !has_label(&s, invoice, Label::OtherId),
        "{:?}",
        labels(&s, invoice)
    );
    let ticket = "Caller: Bridget Thal (Employee Health)\n\
                  https://servicedesk.example.org/incident?id=INC0048213\n";
    assert!(
        !has_label(&s, ticket, Label::Url),
        "{:?}",
        labels(&s, ticket)
    );
    // The letters of a prior authorisation's number still name it.
    let pa =
        "Patient Ana Ruiz, DOB 01/02/1960: PA request PA-RX-2502-44091 received for Suboxone\n";
    assert!(has_label(&s, pa, Label::OtherId), "{:?}", labels(&s, pa));
}

#[test]
fn a_titles_words_in_capitals_with_a_comma_are_no_name() {
    let s = Scanner::new();
    let invite = "You're invited\n\nSPASTICITY, TONE & SEATING: WHAT THE PRESCRIBER NEEDS\n\
                  Wednesday, December 10, 2025 | 12:00 - 1:00 PM ET | Live online\n";
    assert!(
        !has_label(&s, invite, Label::Person),
        "{:?}",
        labels(&s, invite)
    );
    let worklist = "Add-on today:\nGUTIERREZ, MARISOL  MRN 00412877  colonoscopy\n";
    assert_has(&s, worklist, Label::Person, "GUTIERREZ, MARISOL");
}

#[test]
fn a_serials_label_of_a_few_words_then_a_colon_is_read_and_no_chart_number() {
    let s = Scanner::new();
    let record = "Patient Ana Ruiz, DOB 01/02/1960, dual-chamber pacemaker\n\
                  Serial dictated:   RNB604218S\nSerial in chart:   RNB604281S\n";
    assert_has(&s, record, Label::Device, "RNB604218S");
    assert_has(&s, record, Label::Device, "RNB604281S");
    assert!(
        !has_label(&s, record, Label::Mrn),
        "{:?}",
        labels(&s, record)
    );
    let visit =
        "Patient Ana Ruiz, DOB 01/02/1960, doing well.\nNext scheduled SN visit: 10/22/24\n";
    assert!(
        !has_label(&s, visit, Label::Device),
        "{:?}",
        labels(&s, visit)
    );
}

#[test]
fn a_lower_case_sign_off_and_attribution_from_a_personal_mailbox_name_the_writer() {
    let s = Scanner::new();
    let reply = "From: Front Desk <frontdesk@laurelcreekclinic.org>\n\
                 To: gary <gary.ostrowski@comcast.net>\nSubject: RE: bill\n\n\
                 Hi Gary, the statement was corrected.\n\n\
                 On Mon, Mar 10, 2025, 6:02 PM gary ostrowski <gary.ostrowski@comcast.net> wrote:\n\
                 > i got a bill for the emg but insurance said it was paid\n> thanks\n> gary\n";
    assert_has(&s, reply, Label::Person, "gary ostrowski");
    assert_has(&s, reply, Label::Person, "gary");
    let patient = "From: jess t <jtruitt88@yahoo.com>\nTo: Willow Creek <info@willowcreekbirth.com>\n\
                   Subject: appt\n\nmy cell is 717-555-0193 if easier to text\n\nthx\njess\n\n\
                   Sent from Yahoo Mail for iPhone\n";
    assert_has(&s, patient, Label::Person, "jess");
    // Staff mail signed in lower case, and a lower-case line that is no given name, are not
    // a patient's name.
    let staff = "From: Carla Mendoza <cmendoza@willowcreekbirth.com>\n\
                 To: Front Desk <frontdesk@willowcreekbirth.com>\nSubject: gloves\n\n\
                 we r out of gloves size L again\n\nthx\ncarla\n";
    assert!(
        !has_label(&s, staff, Label::Person),
        "{:?}",
        labels(&s, staff)
    );
    let ok = "From: jess t <jtruitt88@yahoo.com>\nTo: Willow Creek <info@willowcreekbirth.com>\n\
              Subject: appt\n\nsee you then\n\nthx\nok\n";
    assert!(
        !labels(&s, ok)
            .iter()
            .any(|(l, v)| *l == Label::Person && v == "ok"),
        "{:?}",
        labels(&s, ok)
    );
}

#[test]
fn a_patients_column_named_with_whose_it_is_and_a_row_without_a_patient() {
    let s = Scanner::new();
    let kits = "kit_id,hub_serial,patient_mrn,patient_last,status\n\
                K-HR-031,VBH3-22A71904,7039554,KEMPER,ACTIVE\n\
                K-HR-027,VBH3-22A70388,,,RETURNED - IN CLEANING\n";
    assert_has(&s, kits, Label::Mrn, "7039554");
    assert_has(&s, kits, Label::Person, "KEMPER");
    assert_has(&s, kits, Label::Device, "VBH3-22A71904");
    // The vendor's stock, with no patient in its row.
    assert!(
        !labels(&s, kits)
            .iter()
            .any(|(_, v)| v.contains("VBH3-22A70388")),
        "{:?}",
        labels(&s, kits)
    );
}

#[test]
fn a_month_and_day_after_a_case_word_an_eponyms_view_and_a_channels_words_are_nobodys() {
    let s = Scanner::new();
    let conference = "Subject: Thursday conference case (10/16, 7:00 AM, Conf Rm B)\n\n\
                      A teaching case, de-identified.\n";
    assert!(
        !has_label(&s, conference, Label::OtherId),
        "{:?}",
        labels(&s, conference)
    );
    let van = "EOD Heron 1\n- 1 implant pt (Eklund views, +15 min)\n";
    assert!(!has_label(&s, van, Label::Person), "{:?}", labels(&s, van));
    let alert = "Subject: [ALERT][SEV3] HERONRIS_TO_EPIC ORM REJECTED - MRN NOT FOUND\n";
    assert!(
        !has_label(&s, alert, Label::Person),
        "{:?}",
        labels(&s, alert)
    );
    // A case number is still one.
    let case = "Patient Ana Ruiz, DOB 01/02/1960: case # 2025-00418 opened for her appeal\n";
    assert!(
        has_label(&s, case, Label::OtherId),
        "{:?}",
        labels(&s, case)
    );
    // And a name before its chart number after a cue still is a name.
    let pt = "1 implant pt (Kemper, 7039554), +15 min\n";
    assert!(has_label(&s, pt, Label::Person), "{:?}", labels(&s, pt));
}

#[test]
fn an_offenders_docket_consent_and_pathology_numbers_are_read_in_fields_and_html_cells() {
    let s = Scanner::new();
    let referral = "Re: Kessinger, Wade\n  DOB: 01/30/1995\n  Offender #: MCAP-59204\n\
                    Docket: CP-38-CR-0000712-2023\n  Consent # ........ CNS-2024-08817\n";
    assert_has(&s, referral, Label::OtherId, "MCAP-59204");
    assert_has(&s, referral, Label::OtherId, "CP-38-CR-0000712-2023");
    assert_has(&s, referral, Label::OtherId, "CNS-2024-08817");
    let path = "Patient: Ana Ruiz, DOB 01/02/1960\nPathology #:             S25-08511\n";
    assert_has(&s, path, Label::OtherId, "S25-08511");
    let html = "<table><tr><td><b>Patient:</b></td><td>Ana Ruiz</td></tr>\n\
                <tr><td><b>MRN:</b></td><td>CR-2239460</td></tr></table>\n";
    assert_has(&s, html, Label::Mrn, "CR-2239460");
    let irt = "*** RANDOMIZATION CONFIRMATION ***\nSTUDY:                 VRD-301\n\
               SUBJECT:               1042-022\nTREATMENT:             BLINDED\n";
    assert_has(&s, irt, Label::OtherId, "1042-022");
    // A pathology accession's letters are no diagnosis code beside one.
    let list = "ACCESSION   MRN       PATIENT                 DOB\n\
                S25-08812   00944120  DUNKELBERGER, ALICE M   03/27/1957  C18.7\n";
    assert!(
        !has_label(&s, list, Label::Icd10)
            || !labels(&s, list)
                .iter()
                .any(|(l, v)| *l == Label::Icd10 && v == "S25"),
        "{:?}",
        labels(&s, list)
    );
    // A heading's tag is no value, and a case series' year and month no case number.
    let series = "Subject: Thursday case review - de-identified summary (Case 2025-03)\n";
    assert!(
        !has_label(&s, series, Label::OtherId),
        "{:?}",
        labels(&s, series)
    );
}

#[test]
fn a_column_named_for_a_consult_a_consent_or_a_state_file_and_a_town_after_a_compass_word() {
    let s = Scanner::new();
    let log = "consult_id,mrn,patient_name,dob,status\n\
               TC-25-1002967,6039145,\"Pelletier, Anne\",1958-07-22,AWAITING PHOTOS\n";
    assert_has(&s, log, Label::OtherId, "TC-25-1002967");
    let consents = "mrn,last_name,first_name,dob,consent_id,consent_exp\n\
                    CCR-0048213,Dunleavy,Kyle,1993-07-22,CNS-2024-06114,2025-08-31\n";
    assert_has(&s, consents, Label::OtherId, "CNS-2024-06114");
    let patient = "From: jay t <jaytrout22@icloud.com>\nTo: info@svclinres.com\n\
                   Subject: study\n\nis there pay for this?? i live in New Cumberland so not to far.\n";
    assert_has(&s, patient, Label::Address, "New Cumberland");
    // A name before its chart number and a sentence's end.
    let board = "can we squeeze one more in? Mrs Yoder, 00958836. 63F new L breast IDC\n";
    assert_has(&s, board, Label::Mrn, "00958836");
    // Not a staff member's move in staff news.
    let news = "From: HR <hr@svclinres.com>\nTo: All Staff <all@svclinres.com>\n\
                Subject: farewell\n\nDana has moved up to New Hope to be near family.\n";
    assert!(
        !has_label(&s, news, Label::Address),
        "{:?}",
        labels(&s, news)
    );
}

#[test]
fn a_chart_number_in_brackets_after_patient_is_one_and_a_visits_code_or_a_report_is_not() {
    let s = Scanner::new();
    let board = "Renata - please pull the PET case to next week. Put my CLL patient (00820013) \
                 in that slot instead.\n";
    assert_has(&s, board, Label::Mrn, "00820013");
    let statement = "10/13/2025    Office visit, new patient (99204)    310.00    221.10\n";
    assert!(
        !has_label(&s, statement, Label::Mrn),
        "{:?}",
        labels(&s, statement)
    );
    let invoice = "A patient-level detail report is available in the client portal under\n\
                   Reports > Client Bill Detail. For privacy, it is not attached.\n";
    assert!(
        !has_label(&s, invoice, Label::Person),
        "{:?}",
        labels(&s, invoice)
    );
    // A client named after the cue is still one.
    let intake = "Client Maria Delgado called about her 3/14 intake, DOB 02/11/1961.\n";
    assert!(
        has_label(&s, intake, Label::Person),
        "{:?}",
        labels(&s, intake)
    );
}

#[test]
fn a_caller_ids_name_a_residents_room_and_a_single_lower_case_given_name_are_read() {
    let s = Scanner::new();
    let voicemail = "You have a new voice message.\n\nFrom: (717) 555-0139  EBERHARDT ROSALIND\n\
                     To:   Mailbox 4122 (ACT On-Call)\nReceived: Tue 10/14/2025 6:02 AM\n";
    assert_has(&s, voicemail, Label::Person, "EBERHARDT ROSALIND");
    // (The value padded to line up with the next header's.)
    let padded = "You have a new voicemail.\n\n  From:      (717) 555-0188  LINDQVIST T\n\
                  Received:  Tue 10/14/2025 2:14 PM\n";
    assert_has(&s, padded, Label::Person, "LINDQVIST T");
    // What the phone company shows without a subscriber's name is no one's.
    let wireless = "You have a new voice message.\n\nFrom: (717) 555-0187  WIRELESS CALLER\n\
                    Received: Thursday, March 13, 2025\n";
    assert!(
        !has_label(&s, wireless, Label::Person),
        "{:?}",
        labels(&s, wireless)
    );
    let hospice = "Quick update: Mae in 233A signed the hospice election with her daughter \
                   present yesterday.\n";
    assert_has(&s, hospice, Label::Person, "Mae");
    let reply = "From: Keisha Moultrie, RN <kmoultrie@tallowcountyhealth.org>\n\
                 To: jay <jaylen.marsh97@gmail.com>\nSubject: RE: results\n\n\
                 Please call us back.\n\n\
                 On Mon, Mar 10, 2025 at 11:47 PM jay <jaylen.marsh97@gmail.com> wrote:\n\
                 > hi i came in last week\n";
    assert_has(&s, reply, Label::Person, "jay");
    let signed = "From: teresa v <tvelez61@yahoo.com>\nTo: Device Clinic <devices@ridgeviewheart.org>\n\
                  Subject: transmitter\n\ni drive for the cafeteria deliveries\n\nteresa v\n717.555.0172\n";
    assert_has(&s, signed, Label::Person, "teresa v");
}

#[test]
fn a_dockets_petitions_and_eligibility_traces_number_and_a_role_greeted_are_read_so() {
    let s = Scanner::new();
    let report = "Treatment status report for Darnell Whitaker (Docket CP-57-CR-0001432-2024, \
                  DOB 05/22/1988) ahead of his status hearing.\n";
    assert_has(&s, report, Label::OtherId, "CP-57-CR-0001432-2024");
    let eligibility = "ELIGIBILITY & BENEFITS RESPONSE\nTrace #:            2026021108455102\n\
                       Subscriber: Ana Ruiz  DOB 01/02/1960\n";
    assert_has(&s, eligibility, Label::OtherId, "2026021108455102");
    let mammo = "Patient: Ana Ruiz\nDate of birth:  06/02/1938\nRecord number:  PRM-0052214\n";
    assert_has(&s, mammo, Label::Mrn, "PRM-0052214");
    let reminder = "From: Division of School Immunizations <school.imm.reports@doh-state.example.gov>\n\
                    To: School Immunization Contacts List\nSubject: REMINDER: report due October 31\n\n\
                    Dear School Immunization Contact,\n\nThis is a reminder that the report is due.\n";
    assert!(
        !has_label(&s, reminder, Label::Person),
        "{:?}",
        labels(&s, reminder)
    );
    let print = "Order confirmation #: 1048837265\nJob name: TCHD SHC Doxy-PEP Trifold EN/ES v3\n";
    assert!(
        !has_label(&s, print, Label::Person),
        "{:?}",
        labels(&s, print)
    );
}

#[test]
fn an_officer_of_the_court_by_title_and_a_pharmacy_plans_routing_number_are_nobodys() {
    let s = Scanner::new();
    let court = "Treatment status report ahead of the status hearing on 10/21/2025. Short \
                 version for Judge Marsh's pre-court staffing: attendance 6 of 6.\n";
    assert!(
        !labels(&s, court)
            .iter()
            .any(|(l, v)| *l == Label::Person && v.contains("Marsh")),
        "{:?}",
        labels(&s, court)
    );
    let card = "Patient Ana Ruiz, DOB 01/02/1960. Insurance (Rx BIN 610014 / PCN MEDDPRIME) \
                rejecting with 76 - plan limitations exceeded.\n";
    assert!(
        !labels(&s, card)
            .iter()
            .any(|(l, v)| *l == Label::OtherId && v.contains("610014")),
        "{:?}",
        labels(&s, card)
    );
    // A prescription's number after "Rx" still is one.
    let refill = "Patient Ana Ruiz, DOB 01/02/1960: refill Rx 6620418 for lisinopril\n";
    assert!(
        has_label(&s, refill, Label::OtherId),
        "{:?}",
        labels(&s, refill)
    );
}

#[test]
fn an_organisations_shipper_and_deposit_accounts_and_a_team_chats_speakers_are_nobodys() {
    let s = Scanner::new();
    let wires = "Subject: Daily Incoming Wire Report - IPS Deposit Acct ending 4471\n\n\
                 INCOMING WIRES - VALUE DATE 03/10/2025 - ACCT XXXXXX4471 (LUMC INTL PATIENT DEPOSITS)\n";
    assert!(
        !has_label(&s, wires, Label::Account),
        "{:?}",
        labels(&s, wires)
    );
    let pickup = "Shipper account:          84-2217-0093 (LAKEMONT UNIV MED CTR - INTL PT SVCS)\n";
    assert!(
        !has_label(&s, pickup, Label::Account),
        "{:?}",
        labels(&s, pickup)
    );
    // A patient's account is still one, and so is an encounter's description in brackets.
    let statement = "Patient: Ana Ruiz, DOB 01/02/1960\nAccount 7100439185 (Bariatric Clinic - 12 mo \
                     post-op)\n";
    assert!(
        has_label(&s, statement, Label::Account),
        "{:?}",
        labels(&s, statement)
    );
    let chat = "From: Tasha Whitcomb <twhitcomb@littlebitesfeeding.org>\n\
                To: Renee Albrecht <ralbrecht@littlebitesfeeding.org>\n\
                Subject: FW: room swap chat\n\nRenee - pasting the Teams thread for the room log.\n\n\
                [8:02 AM] Priya Venkataraman\n  Feeding Room 2 high chair strap is torn again\n\n\
                [8:05 AM] Colleen Marsh\n  Room 1 is free 11-1, use that.\n";
    assert!(
        !has_label(&s, chat, Label::Person),
        "{:?}",
        labels(&s, chat)
    );
}

#[test]
fn a_veterans_integration_control_number_is_a_member_id_and_no_vin() {
    let s = Scanner::new();
    let referral = "Veteran:        RHODES-BELL, TAMIKA\n  Veteran ID:     1017734920V551803\n\
                    ICN:            1013847265V390214\n";
    assert_has(&s, referral, Label::MemberId, "1017734920V551803");
    assert_has(&s, referral, Label::MemberId, "1013847265V390214");
    assert!(
        !has_label(&s, referral, Label::Vehicle),
        "{:?}",
        labels(&s, referral)
    );
    // A VIN with its check digit is still a vehicle's.
    let car = "Patient Ana Ruiz, DOB 01/02/1960, her car: VIN 1HGCV1F35LA048213\n";
    assert_has(&s, car, Label::Vehicle, "1HGCV1F35LA048213");
}

#[test]
fn a_business_clients_row_and_a_conference_rate_are_nobodys() {
    let s = Scanner::new();
    let aging = "September client billing is closed. Client AR summary:\n\n\
                 client_id,client_name,current,31_60,61_90,over_90,total,last_payment\n\
                 C-10218,Willow Street Internal Med,2814.50,0.00,0.00,0.00,2814.50,2025-10-03\n\
                 C-10377,Brickerville Pediatrics,565.15,412.80,0.00,0.00,977.95,2025-10-02\n";
    assert!(
        !has_label(&s, aging, Label::Person) && !has_label(&s, aging, Label::Mrn),
        "{:?}",
        labels(&s, aging)
    );
    // A home care agency's clients are its patients.
    let visits = "client_id,client_name,visit_date,discipline\n\
                  CL-20417,Marisol Ortega,2025-10-03,PT\n";
    assert_has(&s, visits, Label::Person, "Marisol Ortega");
    let registration = "Confirmation number:   9118625276\n\
                        Registration type:     Member - Early Bird (Full Conference)\n";
    assert!(
        !has_label(&s, registration, Label::Person),
        "{:?}",
        labels(&s, registration)
    );
}

#[test]
fn a_plates_state_a_requisitions_column_and_a_lone_accession_column_are_read_so() {
    let s = Scanner::new();
    let bay = "Unattended vehicle in the patient drop-off bay.\n  Plate:  PA KLR-4471\n\
               That's our patient, Mr. Wrobel.\n";
    assert_has(&s, bay, Label::Vehicle, "PA KLR-4471");
    // A garage's audit of a tenant's staff cars is nobody's care.
    let audit = "Three of your staff vehicles did not match the permit list:\n\
                 - Permit 40211, plate WI ABV-2219 (registered to Helen Osei)\n";
    assert!(
        !has_label(&s, audit, Label::Vehicle),
        "{:?}",
        labels(&s, audit)
    );
    let route = "| Time  | Patient              | Tests  | Req #           |\n\
                 |-------|----------------------|--------|-----------------|\n\
                 | 06:45 | Kreiser, Walter      | CMP    | CRL-2603-104471 |\n";
    assert_has(&s, route, Label::OtherId, "CRL-2603-104471");
    let export =
        "mrn,payer,auth_num,sessions_auth\nSV00438756,Allegheny Mutual MA,AM-CR-771042,36\n";
    assert_has(&s, export, Label::OtherId, "AM-CR-771042");
    let receipt = "CLIENT: C-20417 VENACARE MOBILE PHLEBOTOMY\n\n\
                   ACCESSION         CONTAINERS                 TEMP     STATUS\n\
                   ---------------   ------------------------   ------   --------\n\
                   26-069-00412      1 SST, 1 LAV               AMB      ACCEPTED\n";
    assert_has(&s, receipt, Label::OtherId, "26-069-00412");
    // A cell that repeats its heading's letters: the number alone.
    let profile = "Pt is Gul Pacha Ahmadzai, DOB 07/01/1949.\n\n\
                   Rx#            Drug / strength          Last fill\n\
                   RX 6630418     Eliquis 5 mg tab         02/24/2026\n";
    assert_has(&s, profile, Label::OtherId, "6630418");
    assert_has(&s, profile, Label::Date, "02/24/2026");
}

#[test]
fn a_kit_in_spanish_the_writers_side_and_a_claim_form_are_read_so() {
    let s = Scanner::new();
    let kit = "Hola, mi hijo no puede escupir en el tubo. el numero del kit es KT-7730955. \
               que hago? mi telefono es 919-555-0193\n";
    assert_has(&s, kit, Label::OtherId, "KT-7730955");
    let side = "The patient's result is pending. Accession on our side is CG24-0311590.\n";
    assert_has(&s, side, Label::OtherId, "CG24-0311590");
    let ours = "Our provider ID is 44001873 for all claims.\n";
    assert!(
        !has_label(&s, ours, Label::OtherId),
        "{:?}",
        labels(&s, ours)
    );
    let billing = "For reimbursement, submit the primary EOB and the claim (CMS-1500) within \
                   365 days of the date of service.\n";
    assert!(
        !has_label(&s, billing, Label::OtherId),
        "{:?}",
        labels(&s, billing)
    );
}

#[test]
fn an_in_baskets_pool_and_its_folders_are_nobodys() {
    let s = Scanner::new();
    let digest = "Subject: SVMC Connect: daily In Basket summary for CARDIAC REHAB MSG POOL\n\n\
                  Pool: CARDIAC REHAB MSG POOL (ID 74200)\n\n\
                  Folder                         New   Overdue\n\
                  Patient Medical Advice Req       4        1\n\
                  Patient Scheduling Req           2        0\n";
    let r = s.scan(digest);
    assert!(
        !r.contains_phi
            && !has_label(&s, digest, Label::Person)
            && !has_label(&s, digest, Label::OtherId),
        "{:?}",
        labels(&s, digest)
    );
    // A member's plan's ID in brackets is still the member's.
    let plan = "Patient: Ana Ruiz, DOB 01/02/1960. She is on her husband's plan (ID 107733590).\n";
    assert_has(&s, plan, Label::MemberId, "107733590");
}

#[test]
fn a_case_reviews_child_and_its_case_numbers_and_a_forms_surname_alone_are_read_so() {
    let s = Scanner::new();
    let agenda = "Agenda for tomorrow's case review.\n\n\
                  | #  | Child           | DOB        | CAC #      | LE / CPS #    | Presenter |\n\
                  |----|-----------------|------------|------------|---------------|-----------|\n\
                  | 1  | Coleman, Aniyah | 02/19/2018 | HV-25-0619 | LPD 25-018833 | Lund      |\n";
    assert_has(&s, agenda, Label::Person, "Coleman, Aniyah");
    assert_has(&s, agenda, Label::OtherId, "HV-25-0619");
    // The agency's letters say whose number it is; the number is the value.
    assert_has(&s, agenda, Label::OtherId, "25-018833");
    assert!(s.scan(agenda).contains_phi);
    // A course's count of treatments under "Sess #" is no number of anyone's.
    let roster = "| Time  | Patient          | MRN        | Sess # | Notes |\n\
                  |-------|------------------|------------|--------|-------|\n\
                  | 09:00 | Whitfield, Earl  | SV00449281 | 20/36  | ok    |\n";
    assert_lacks(&s, roster, Label::OtherId, "20/36");
    let notice = "COVERAGE DETERMINATION: APPROVED\nCase #:            PA-2025-1003-447219\n\
                  Member last name:  HALVORSEN\nDrug:              DUPIXENT 300 MG/2 ML PEN\n";
    assert_has(&s, notice, Label::Person, "HALVORSEN");
    let export = "session_id,provider,patient_ref,scheduled\n\
                  VL-7Q4K-22918,okafor.meredith,BVH-0039460,2026-03-11 09:00\n";
    assert_has(&s, export, Label::OtherId, "VL-7Q4K-22918");
    assert_has(&s, export, Label::Mrn, "BVH-0039460");
    let tracker = "1. Arceneaux - Rinvoq PA APPROVED (KC-PA-2503-1177420). Copay card activated.\n";
    assert_has(&s, tracker, Label::OtherId, "KC-PA-2503-1177420");
}

#[test]
fn chat_speakers_a_program_and_an_employers_plan_are_nobodys() {
    let s = Scanner::new();
    let inline = "From: Keisha Donnelly <keisha.donnelly@meridiancrestrx.com>\n\
                  To: Dana Whitcomb <dana.whitcomb@meridiancrestrx.com>\n\
                  Subject: FW: chat from this morning\n\n\
                  [9:12 AM] Keisha Donnelly: quick q - 54yo F, Crohn's, failed Humira per notes\n\
                  [9:20 AM] Brandon Ruiz: anyone seen the new Dexcom G7 on the CGM list yet?\n";
    assert!(
        !has_label(&s, inline, Label::Person) && !s.scan(inline).contains_phi,
        "{:?}",
        labels(&s, inline)
    );
    let export = "From: Brianna Teller <bteller@harborvalleycac.org>\n\
                  To: Nadia Okonkwo <nokonkwo@harborvalleycac.org>\n\
                  Subject: Teams chat export\n\n\
                  Brianna Teller  9:41 AM\n  quick one on the refill schedule\n";
    assert_lacks(&s, export, Label::Person, "Brianna Teller");
    let audit = "Please send the organizational chart for the 340B program and the committee \
                 minutes.\n";
    assert!(!has_label(&s, audit, Label::Mrn), "{:?}", labels(&s, audit));
    let hr = "Dear Colleagues,\n\nClaims for 2024 expenses are due March 31. FSA plan ID 55120.\n";
    assert!(!has_label(&s, hr, Label::MemberId), "{:?}", labels(&s, hr));
    // A member's own plan ID is still the member's.
    let member = "Patient: Ana Ruiz, DOB 01/02/1960. Her plan ID 88201746 is on the card.\n";
    assert!(
        has_label(&s, member, Label::MemberId),
        "{:?}",
        labels(&s, member)
    );
}

#[test]
fn a_fleet_car_an_instruments_serial_and_a_chat_exports_speakers_are_nobodys() {
    let s = Scanner::new();
    let fleet = "Hello Gloria,\n\nYour leased fleet unit is due for service.\n\n\
                 Unit:           #3 - 2023 midsize sedan, silver\n  Plate:          PA KMT-2290\n";
    assert!(
        !has_label(&s, fleet, Label::Vehicle),
        "{:?}",
        labels(&s, fleet)
    );
    let qc = "Subject: FW: chat re swap + GelStation QC fail this AM\n\n\
              Kelsey Boyd  7:02 AM\n  GelStation #2 (SN GS6-44871) failed daily QC\n";
    assert!(!has_label(&s, qc, Label::Device), "{:?}", labels(&s, qc));
    let huddle = "From: Dana Kowalczyk <dkowalczyk@cedarforkhealth.org>\n\
                  To: Dana Kowalczyk <dkowalczyk@cedarforkhealth.org>\n\
                  Subject: note to self - bed huddle chat (pasted from Teams)\n\n\
                  Becca Lindgren (Charge RN 1st floor) 2:48 PM\n  settled in 114\n\
                  Marcy Tollefson (DON) 3:01 PM\n  Yes per grid.\n";
    assert_lacks(&s, huddle, Label::Person, "Marcy Tollefson");
}

#[test]
fn a_relatives_own_fax_and_a_plates_letters_apart_from_its_digits_are_theirs() {
    let s = Scanner::new();
    let husband = "From: Nate Pryor <npryor1960@gmail.com>\nTo: billing@harrowcreekmc.org\n\
                   Subject: my wife's bill\n\nPlease send an itemized bill for my wife, Dana \
                   Pryor. You can fax it to my office at (717) 555-0122 or mail it.\n";
    assert_has(&s, husband, Label::Fax, "(717) 555-0122");
    // The office asking to be faxed gives its own number.
    let office = "Please fax the signed form back to us at (717) 555-0140.\n";
    assert!(
        !has_label(&s, office, Label::Fax),
        "{:?}",
        labels(&s, office)
    );
    let lot = "The patient's son parked in the visitor lot.\nMN plate: HXP 418\n\
               Owner/driver: Mark Roskopf, son\n";
    assert_has(&s, lot, Label::Vehicle, "HXP 418");
}

#[test]
fn a_policys_code_a_vendors_item_and_an_antigen_test_are_nobodys() {
    let s = Scanner::new();
    let policy = "The following policy has been revised and published.\n\n\
                  Policy:            ID-OPAT-014 OPAT Laboratory Monitoring\n";
    assert!(
        !has_label(&s, policy, Label::MemberId),
        "{:?}",
        labels(&s, policy)
    );
    let order = "From: Orders <orders@officeworx-supply.com>\nSubject: Order confirmation 55120\n\n\
                 Qty  Item #        Description                          Unit\n\
                 ---  ------------  -----------------------------------  --------\n \
                 3   PA03810-B055  Ricoh fi-8170 Document Scanner       $1,195.00\n";
    assert!(
        !has_label(&s, order, Label::OtherId),
        "{:?}",
        labels(&s, order)
    );
    let lab =
        "Subject: RESULT AVAILABLE - HLA ANTIBODY SCREEN - MRN 00396204\n\nTEST: HLA CLASS I/II\n";
    assert!(!has_label(&s, lab, Label::Person), "{:?}", labels(&s, lab));
    let portal = "Mr. Okafor wrote: I will mail it.\n\n--\nReply from Marcus Tillery, 11:31 AM:\n\n\
                  Mr. Okafor, I've processed your request.\n";
    assert_lacks(&s, portal, Label::Person, "Marcus Tillery");
    // The care manager assigned to a patient names the patient.
    let assigned =
        "I am the RN care manager assigned to Raymond Brubaker, member ID LHP553018264.\n";
    assert_has(&s, assigned, Label::Person, "Raymond Brubaker");
}

#[test]
fn an_age_in_capitals_or_at_the_age_of_a_cars_registration_and_a_request_are_read_so() {
    let s = Scanner::new();
    let caps = "MY SON CANNOT DRIVE ME AFTER ALL. I AM 91 YEARS OLD AND I DO NOT DRIVE ANYMORE.\n";
    assert!(has_label(&s, caps, Label::Age), "{:?}", labels(&s, caps));
    let estate =
        "My father passed away on February 8, 2025 at the age of 91. I need his records.\n";
    assert!(
        has_label(&s, estate, Label::Age),
        "{:?}",
        labels(&s, estate)
    );
    let crash = "Our client drove a 2020 Honda Accord, Pennsylvania registration KZR-4471, when \
                 she was injured.\n";
    assert_has(&s, crash, Label::Vehicle, "KZR-4471");
    // A prescriber's registration under a state is a DEA number, no car's.
    let dea = "Please match it with Dr. Okafor's TX registration (FO4829137) on the slide.\n";
    assert!(!has_label(&s, dea, Label::Vehicle), "{:?}", labels(&s, dea));
    let conf = "Your conference registration 55120 is confirmed.\n";
    assert!(
        !has_label(&s, conf, Label::Vehicle),
        "{:?}",
        labels(&s, conf)
    );
    let disc = "The patient's studies are in a sealed envelope labeled with your request number \
                R-25-031588.\n";
    assert_has(&s, disc, Label::OtherId, "R-25-031588");
    let sheet = "ref_id,patient,dob,primary_payer\nSAM-REF-2025-118734,\"Lindqvist, Walter\",1947-02-11,MA\n";
    assert_has(&s, sheet, Label::OtherId, "SAM-REF-2025-118734");
}

#[test]
fn a_surveillance_case_a_town_in_spanish_a_birthplace_and_a_fax_in_capitals_are_theirs() {
    let s = Scanner::new();
    let case = "Pelletier (CDRSS 24-118802) is a confirmed acute hepatitis A case.\n";
    assert_has(&s, case, Label::OtherId, "24-118802");
    let spanish = "From: Rosa <rosa.alvarenga@hotmail.com>\n\nmi hijo tiene cita el martes. \
                   vivimos en Lebanon entonces salimos temprano.\n";
    assert_has(&s, spanish, Label::Address, "Lebanon");
    let record = "Veteran: Walter A. Szymanski\nDate of Birth:      08/22/1932\n\
                  Place of Birth:     GETTYSBURG, PA\n";
    assert!(
        has_label(&s, record, Label::Address),
        "{:?}",
        labels(&s, record)
    );
    let form = "From: Tom Kleinfelter <tkleinfelter@comcast.net>\n\n\
                RELEASE FOR MY SON'S RECORDS.\nSEND COPY TO ME BY FAX AT (717) 555-0815 OR EMAIL.\n";
    assert_has(&s, form, Label::Fax, "(717) 555-0815");
}

#[test]
fn a_drug_screens_donors_a_courts_caption_and_a_handoffs_initial_are_read_so() {
    let s = Scanner::new();
    let screen = "donor_name,ssn_last4,specimen_id,collection_date,result\n\
                  \"Carrow, Shanice\",4471,0049217735,03/06/2025,NEGATIVE\n";
    assert_has(&s, screen, Label::Person, "Carrow, Shanice");
    assert_has(&s, screen, Label::OtherId, "0049217735");
    assert!(s.scan(screen).contains_phi);
    let court = "COURT OF COMMON PLEAS\nMENTAL HEALTH REVIEW OFFICE\n\n\
                 IN RE: JEROME A. CASTELLANOS\nDocket No.: MH-2025-0318\n";
    assert!(
        has_label(&s, court, Label::Person),
        "{:?}",
        labels(&s, court)
    );
    // The matter's kind is no name: the name follows "of".
    let guardianship = "Subject: In re Guardianship of Eleanor Voss\n";
    assert_lacks(&s, guardianship, Label::Person, "Guardianship");
    let handoff = "After-hours handoff, Tue 2/10.\n\n\
                   - Kaylee B. (20391455): new 14Fr button delivered today.\n";
    assert!(
        has_label(&s, handoff, Label::Person),
        "{:?}",
        labels(&s, handoff)
    );
}

#[test]
fn a_care_homes_room_a_town_after_in_and_a_plans_member_column_are_read_so() {
    let s = Scanner::new();
    let home = "Ms. Pruitt, 96 y/o, lives at Maple Terrace Personal Care Home, 400 Terrace Ave, \
                Room 114, Enola, PA 17025. Hospice dx adult failure to thrive.\n";
    assert_has(
        &s,
        home,
        Label::Address,
        "400 Terrace Ave, Room 114, Enola, PA",
    );
    assert_has(&s, home, Label::Zip, "17025");
    // A town starting "Ste" is no suite: the unit's word ends where the word does.
    let town = "DOB:      10/02/1933\nAddress:  39 Locust Ave, Apt 2, Steelton, PA 17113\n";
    assert_has(
        &s,
        town,
        Label::Address,
        "39 Locust Ave, Apt 2, Steelton, PA",
    );
    let family = "He was supposed to get the event monitor mailed to the house for my son Jaylen. \
                  We're at 1142 Pinecrest Drive in Lancaster so maybe it went to the old address.\n";
    assert_has(
        &s,
        family,
        Label::Address,
        "1142 Pinecrest Drive in Lancaster",
    );
    // "in Room 4" is no town, and a clinic's own street stays the clinic's.
    let room = "My mother Ruth Ambler, DOB 3/4/1931, lives at 88 Orchard Lane in Room 4 now.\n";
    assert_lacks(&s, room, Label::Address, "88 Orchard Lane in Room 4");
    let clinic = "Walk-ins are welcome: we are at 3850 Parsons Ave clinic on Mondays.\n";
    assert!(
        !has_label(&s, clinic, Label::Address),
        "{:?}",
        labels(&s, clinic)
    );
    let csv = "patient_name,dob,mrn,plan_member_id,appt_datetime\n\
               \"Haskins, Marcus\",1979-04-16,HS00482177,RC29930571,2025-03-03 08:40\n";
    assert_has(&s, csv, Label::MemberId, "RC29930571");
    let spanish = "Su tarjeta nueva llegará por correo. Su número de miembro es RC55310428.\n";
    assert_has(&s, spanish, Label::MemberId, "RC55310428");
    let subject = "Subject: DME pickup - pt CHP-198852 - deceased\n\n\
                   Please schedule pickup of all equipment, patient died 03/10/2025.\n\
                   Pickup address: 88 Bent Creek Rd, Newville, PA 17241\n";
    assert_has(&s, subject, Label::Mrn, "CHP-198852");
    // A chat tool's bold row: the cell is the number, not its asterisks.
    let bold = "| Time | Patient | MRN | DOB |\n|---|---|---|---|\n\
                | *1230* | *Ferrante, Luca* | *2917406* | *08/02/2024* |\n";
    assert_has(&s, bold, Label::Mrn, "2917406");
}

#[test]
fn a_patients_device_list_a_clinics_chart_column_and_a_service_desks_ticket_are_read_so() {
    let s = Scanner::new();
    let trial = "Kit is pulled and bagged with Kowalczyk's name for tomorrow's trial:\n\n\
                 \x20 Item                             Model        Serial\n\
                 \x20 -------------------------------  -----------  ----------------\n\
                 \x20 SureLead 8-contact perc lead     SL-8P-60     VX3L-0087421\n\
                 \x20 Patient remote                   PR-40        PR40-662018\n";
    assert_has(&s, trial, Label::Device, "VX3L-0087421");
    assert_has(&s, trial, Label::Device, "PR40-662018");
    // A biomedical team's inventory: assets, not a patient's devices.
    let inventory = "PM due this month:\n\n\
                     \x20 Asset tag   Model          Serial          Location\n\
                     \x20 0017734     Alaris 8100    12845503        4 West\n";
    assert!(
        !has_label(&s, inventory, Label::Device),
        "{:?}",
        labels(&s, inventory)
    );
    let csv = "last_name,first_name,dob,clinic_mrn,phone\n\
               Bautista,Crescencio,02/09/1968,VA-0039526,509-555-0612\n";
    assert_has(&s, csv, Label::Mrn, "VA-0039526");
    let letter = "Fecha del examen: 7 de octubre de 2025\n\
                  Número de historia clínica: SV-00601385\n\nEstimada Sra. Ocasio:\n";
    assert_has(&s, letter, Label::Mrn, "SV-00601385");
    let chat =
        "[7/15/25, 10:54] Efraín Solís: la grúa se llevó su troca, la gris, placas CBX4417\n";
    assert_has(&s, chat, Label::Vehicle, "CBX4417");
    // A service desk's ticket link names no patient.
    let ticket = "Incident INC-2025-118734 has been assigned to you.\n\
                  View ticket: https://servicedesk.stadalbert.org/inc/INC-2025-118734\n";
    assert!(
        !has_label(&s, ticket, Label::Url),
        "{:?}",
        labels(&s, ticket)
    );
    let portal = "Your results are ready: https://portal.example-health.org/r/7f3kQ9zLm2Xw8Pt4\n";
    assert!(
        has_label(&s, portal, Label::Url),
        "{:?}",
        labels(&s, portal)
    );
    // A field service notice's site is the customer's place of business.
    let service = "Case Number:        219-44-7083\n\
                   Site Address:       800 Riverside Drive, Harrisburg, PA 17110\n";
    assert!(
        !has_label(&s, service, Label::Address),
        "{:?}",
        labels(&s, service)
    );
    let home = "Patient: Ruth Ambler, DOB 03/04/1931\n\
                Home address:       800 Riverside Drive, Harrisburg, PA 17110\n";
    assert!(
        has_label(&s, home, Label::Address),
        "{:?}",
        labels(&s, home)
    );
}

#[test]
fn a_first_name_the_model_finds_takes_the_surname_after_it() {
    let s = Scanner::new();
    let form = "ELIGIBILITY RESPONSE\n  Case number:      EV-2503-448172\n\
                \x20 Member:           PATRICIA L GINGRICH\n  Member ID:        CKH-55019372\n";
    assert_has(&s, form, Label::Person, "PATRICIA L GINGRICH");
    // An everyday word after the name is no surname.
    let clinic = "Member:           PATRICIA MEDICAL\n  Member ID:        CKH-55019372\n";
    assert!(
        !labels(&s, clinic)
            .iter()
            .any(|(l, v)| *l == Label::Person && v.contains("MEDICAL")),
        "{:?}",
        labels(&s, clinic)
    );
}

#[test]
fn a_work_lists_chart_numbers_a_wrapped_zip_and_a_trials_subject_are_read_so() {
    let s = Scanner::new();
    let list = "clinic lists for this wk. my notes, not vetted yet:\n\n\
                00902214 - new pt 10/09 w/ okafor, NSCLC (C34.12), needs brain MRI\n\
                00877135 - mCRC (C18.7) finishing FOLFOX, f/u 11/03 scans\n";
    assert_has(&s, list, Label::Mrn, "00902214");
    assert_has(&s, list, Label::Mrn, "00877135");
    let handoff = "open items:\n- SA-20435520: 24h post-TNK CT due 0615\n\
                   - SA-20433917: post-EVT, nicardipine off at 1600\n";
    assert_has(&s, handoff, Label::Mrn, "SA-20433917");
    // One such line is no list; nor are order numbers with no word about care.
    let one = "open items:\n- SA-20433917: post-EVT, nicardipine off at 1600\n";
    assert_lacks(&s, one, Label::Mrn, "SA-20433917");
    let orders = "Shipped today:\n- 40022918: 2 cases of gloves\n- 40022919: 1 case of gowns\n";
    assert!(
        !has_label(&s, orders, Label::Mrn),
        "{:?}",
        labels(&s, orders)
    );
    let wrapped = "Her new address is 118 Beech Grove Ln, Apt 2, Honesdale, PA\n\
                   18431 per her daughter Renee, so send the insulin there.\n";
    assert_has(&s, wrapped, Label::Zip, "18431");
    let table = "| Referral #     | Veteran   | L4   | Provider      |\n\
                 |----------------|-----------|------|---------------|\n\
                 | VA0050812276   | Quintero  | 3391 | Keystone Ortho |\n";
    assert_has(&s, table, Label::Ssn, "3391");
    let trial = "Study: HALV-301    Site: 0417\n\n  Subject:            301-0417-011\n\
                 Previous device:      S/N R58W31KQ7PM\n";
    assert_has(&s, trial, Label::OtherId, "301-0417-011");
    // A vendor's priced item is no authorisation.
    let invoice = "From: Accounts Receivable <ar@docupointfederal.example>\n\
                   Subject: Invoice 311-48-2207 - Scanner maintenance - PO 36C24426P0183\n\n\
                   Please find attached invoice 311-48-2207 for quarterly maintenance.\n\n\
                   \x20 Line  Item                           Model          Qty  Unit\n\
                   \x20 3     Replacement pick roller kit    PA03670-0001   6    $ 42.50\n\n\
                   Remit within Net 30.\n";
    assert!(!s.scan(invoice).contains_phi, "{:?}", labels(&s, invoice));
}

#[test]
fn a_surname_before_a_lettered_chart_number_and_an_inmates_doc_number_are_read_so() {
    let s = Scanner::new();
    let board = "Final for tomorrow. Triggers all confirmed with patients by phone tonight.\n\n\
                 \x20 07:30  ER    Kessler (LC-0048801)           10/13 19:30       Okafor\n";
    assert_has(&s, board, Label::Person, "Kessler");
    // A fax's resolution and an extension in brackets are no chart numbers.
    let fax = "Pages: 9\n  Resolution:    Fine (200x200)\n\nCall Stroke Clinic Main (x4-0170).\n";
    assert!(!has_label(&s, fax, Label::Person), "{:?}", labels(&s, fax));
    let referral = "Please schedule the following:\n\nPatient:      PETTIBONE, Dwayne A.\n\
                    DOC #:        KT4829\nDOB:          06/22/1961\n";
    assert_has(&s, referral, Label::OtherId, "KT4829");
    let table = "| Appt       | Inmate        | DOC #   | From         |\n\
                 |------------|---------------|---------|--------------|\n\
                 | 11/06 0730 | Kulchesky, R. | GX2281  | Hollow Creek |\n";
    assert_has(&s, table, Label::Person, "Kulchesky, R.");
    assert_has(&s, table, Label::OtherId, "GX2281");
}

#[test]
fn a_fixed_width_column_one_off_its_heading_is_still_read() {
    let s = Scanner::new();
    // The delivery column sits one column left of its heading on every row.
    let intake = "SITE  DONOR ID     MATERNAL MRN   MATERNAL NAME              DELIVERY DT/TM\n\
                  ----  -----------  -------------  -------------------------  --------------\n\
                  RWP   D-24-01187   RW00481733     OKONKWO, ADAEZE           03/11/2024 19:42\n\
                  SCM   D-24-01188   SC-7719024     PHAM, LINH                03/11/2024 22:05\n";
    assert_has(&s, intake, Label::Mrn, "RW00481733");
    assert_has(&s, intake, Label::Person, "OKONKWO, ADAEZE");
    assert_has(&s, intake, Label::Date, "03/11/2024 19:42");
    assert_has(&s, intake, Label::OtherId, "D-24-01188");
    // A list keyed by its Rx number keeps every row, however the drug's text drifts.
    let profile = "Current profile:\n\n  Rx#        Drug                              Sig                  Pack slot\n\
                   \x20 6633018    furosemide 40 mg                  1 tab BID            AM / PM\n\
                   \x20 6633019    Entresto 24-26 mg                  1 tab BID            AM / PM\n";
    assert_has(&s, profile, Label::OtherId, "6633019");
    // A staff mileage sheet's employee numbers are no patient's.
    let mileage = "employee_id,name,miles,rate,amount\n2231,\"Cho, Mei-Lin\",142.6,0.70,99.82\n";
    assert!(
        !has_label(&s, mileage, Label::OtherId),
        "{:?}",
        labels(&s, mileage)
    );
}

#[test]
fn a_supply_tables_expiry_an_implants_plate_and_a_ticket_link_are_not_phi() {
    let s = Scanner::new();
    let order = "Sales Order:      SO-7730418\n\n\
                 LINE  ITEM #        DESCRIPTION                                   QTY  LOT         EXP\n\
                 1     ORN-5545-PS   Orion 5.5 x 45mm polyaxial pedicle screw       6   L2409-1183  2030-09-30\n\
                 4     CRV-ACP-2L    Crest anterior cervical plate, 2-level, 37mm    1   L2412-2210  2030-12-31\n";
    assert_not_phi(&s, &[order]);
    assert_no_label(&s, Label::Vehicle, &[order]);
    let ticket = "Camera MICU-07 offline.\nTicket: https://servicedesk.example.org/nav_to.do?uri=incident.do?sysparm_query=number=INC0048213\n";
    assert_no_label(&s, Label::Url, &[ticket]);
    // A licence plate is still a plate.
    let car = "Patient Rosa Delgado's car, a gray Toyota, plate HFX 2290, is in the ED lot.";
    assert_has(&s, car, Label::Vehicle, "HFX 2290");
}

#[test]
fn a_childs_name_before_a_parents_mom_or_dad_is_a_name() {
    let s = Scanner::new();
    let note =
        "hi its jess, wyatts mom. he had his palate repair 3/6 with dr okafor and he wont eat";
    assert_has(&s, note, Label::Person, "wyatt");
    let other = "hi laura its kayleigh, isla's mom. she had her palate repair 3/6";
    assert_has(&s, other, Label::Person, "isla");
    // Everyday words with their "s" taken off are no names.
    let task = "Priya can u call this dad back? new formula question, palate repair 3/6";
    assert_lacks(&s, task, Label::Person, "thi");
}

#[test]
fn spanish_mail_headers_a_tests_virus_types_and_a_home_key_are_read_so() {
    let s = Scanner::new();
    let quoted = "Patient Rosa Delgado, DOB 10/08/1974.\n\n> Enviado: lunes, 11 de marzo de 2024 19:02\n\
                  > Para: info@example.org\n";
    assert_lacks(&s, quoted, Label::Date, "11 de marzo de 2024");
    let result = "DONOR: ASHWORTH, KIMBERLY  DOB 03/02/1991\nHIV-1/2 + O AB      NONREACTIVE\n";
    assert_lacks(&s, result, Label::Date, "1/2");
    let report =
        "Deceased:  Dolores Whitcombe  DOB 09/11/1933\nHome:                 Asheville, NC\n";
    assert_has(&s, report, Label::Address, "Asheville, NC");
    let order = "Patient: Jo Doe  DOB 1/2/1950\nDiagnosis on order:   Q16.1, Q17.2\n";
    assert_has(&s, order, Label::Icd10, "Q16.1");
    let decedent = "Decedent: Margarethe Lindqvist\nAge / DOB:         94 / 03/02/1931\n";
    assert_has(&s, decedent, Label::Age, "94");
}

#[test]
fn a_portals_field_and_value_table_and_a_code_after_a_charts_key_are_read_so() {
    let s = Scanner::new();
    let status = "| Field              | Value                                   |\n\
                  |--------------------|-----------------------------------------|\n\
                  | Claim #            | 2026041788120                           |\n\
                  | Patient            | ASHBY-MOORE, CAROLYN                    |\n\
                  | Member ID          | KSM30771264-02                          |\n";
    assert_has(&s, status, Label::MemberId, "KSM30771264-02");
    // The field's name is no patient under a "Patient" heading.
    assert_lacks(&s, status, Label::Person, "Member ID");
    // A heading row's key reads no value from the next heading.
    let roster = "| Patient                  | MRN          | 911 calls (30d) | Last call     |\n\
                  |--------------------------|--------------|-----------------|---------------|\n\
                  | Ostrowski, Renata        | KV-2201937   | 4               | 10/12         |\n";
    assert_lacks(&s, roster, Label::Mrn, "911");
    let note =
        "Patient: Jo Doe DOB 1/2/1950\nWorking diagnoses in our chart: T68.XXXA, T33.821A.\n";
    assert_has(&s, note, Label::Icd10, "T68.XXXA");
    assert_lacks(&s, note, Label::Mrn, "T68.XXXA");
}

#[test]
fn a_bulletin_a_contractors_registration_and_a_drive_in_from_a_town_are_read_so() {
    let s = Scanner::new();
    let bulletin = "Subject: HCAM 4 Partner Bulletin: winter LZ list, night-vision ops\n\n\
                    Pre-surveyed landing zones were updated. TXA and ketamine stock checks are due.";
    assert_no_label(&s, Label::Person, &[bulletin]);
    let vendor =
        "Ridgeway Access Builders, LLC\n  Contact:   Tobias Wren (owner)\n  PA HIC #:  PA184422\n";
    assert_no_label(&s, Label::OtherId, &[vendor]);
    let family = "My husband Doug and I are driving up from Marlow Springs, we'll be at the trailhead \
                  by 9. Dad (Gerald Amsel, 71) has diabetes and his insulin is in the truck.";
    assert_has(&s, family, Label::Address, "Marlow Springs");
}

#[test]
fn a_hand_offs_surname_items_and_a_residents_list_are_patients() {
    let s = Scanner::new();
    let handoff = "Navigator handoff:\n * Alvarado -- MATP van no-show today. I called MATP.\n \
                   * Teague -- mask done at 1. Dental extractions Thu.\n";
    assert_has(&s, handoff, Label::Person, "Alvarado");
    assert_has(&s, handoff, Label::Person, "Teague");
    // A list of departments is no list of patients.
    let agenda =
        "Agenda:\n - Pharmacy -- formulary update\n - Facilities -- parking garage closure\n";
    assert_no_label(&s, Label::Person, &[agenda]);
    let selection = "resident_id,last_name,first_name,house,test_date,window\n\
                     R-1042,Mullen,Travis,Maple,2025-03-12,06:00-08:00\n";
    assert_has(&s, selection, Label::Mrn, "R-1042");
    // A job's hyphenated code is no name.
    let job = "JOB NAME        : RR-DAILY-0311-B\nMember phone (614) 555-0142 failed, patient \
               refill reminder not sent; pharmacist callback queued for Rx 7718054.";
    assert_lacks(&s, job, Label::Person, "RR-DAILY");
}

#[test]
fn a_vendors_site_a_studys_title_and_skilled_nursings_visits_are_no_patients() {
    let s = Scanner::new();
    let invoice = "From: Keystone BioWaste Services <billing@keystonebiowaste.com>\n\
                   Subject: Invoice 207-66-4410 - Service period September 2025\n\n\
                   Date       Site        Manifest #      Description                       Qty   Amount\n\
                   09/04/25   Camp Hill   KBW-0904-1187   Sharps container 8 gal, mail-back  6    $138.00\n";
    assert_no_label(&s, Label::Person, &[invoice]);
    let notice = "Study: AALL2421 - A Risk-Stratified Trial for Newly Diagnosed Standard- and \
                  High-Risk B-ALL\nAmendment: #3";
    assert_no_label(&s, Label::Person, &[notice]);
    let auth = "Patient Ruth Harkavy, DOB 04/11/1933: home health (SN 2x/wk x 4 wks, PT 2x/wk) \
                is approved.";
    assert_no_label(&s, Label::Device, &[auth]);
    // An employer's invoice for its workers' physicals still names patients.
    let physicals = "Employee              ID        Date         Service                    Amount\n\
                     Terrence Bolling      KF-20417  09/03/2025   DOT physical               $95.00\n";
    assert_has(&s, physicals, Label::Person, "Terrence Bolling");
}

#[test]
fn a_deliverys_ship_to_and_a_spanish_home_town_are_the_patients() {
    let s = Scanner::new();
    let delivery = "Patient:        Sofia Reyes  DOB 02/11/2016\n\
                    Plan/ID:        Cedar Kids Health Plan / CKH-60338417\n\
                    Ship to:        418 W Lemon St Apt 2, Lancaster, PA 17603\n";
    assert_has(
        &s,
        delivery,
        Label::Address,
        "418 W Lemon St Apt 2, Lancaster, PA",
    );
    let spanish = "hola soy la mama de Sofia Reyes, fecha de nacimiento 02/11/2016, mi telefono \
                   (717) 555-0157. vivo en Steelton.";
    assert_has(&s, spanish, Label::Address, "Steelton");
}

#[test]
fn a_patient_column_with_its_record_number_in_brackets_is_read_as_both() {
    let s = Scanner::new();
    // "| Patient (MRN) |" over "| Hartsock, M. (CR-00355102) |": an infusion board (blind batch
    // 57).
    let board = "Board for today:\n\n\
        | Chair | Time  | Patient (MRN)                | Drug                  |\n\
        |-------|-------|------------------------------|-----------------------|\n\
        | 1     | 08:00 | Hartsock, M. (CR-00355102)   | infliximab 10 mg/kg   |\n\
        | 2     | 08:30 | Yoder, L. (CR-00410876)      | vedolizumab 300 mg    |\n";
    assert_has(&s, board, Label::Person, "Hartsock, M.");
    assert_has(&s, board, Label::Mrn, "CR-00355102");
    assert_has(&s, board, Label::Person, "Yoder, L.");
    assert_has(&s, board, Label::Mrn, "CR-00410876");
    // "Time (PT)" is a time zone, no patient: a candidate's test schedule stays unread.
    let tests = "Confirmed:\n\n\
        Candidate            | Language(s)     | Test date | Time (PT) | Proctor\n\
        ---------------------+-----------------+-----------+-----------+-----------\n\
        Faisal Haidari       | Pashto          | 12/05/25  | 9:00 AM   | M. Sadozai\n\
        Chukwuemeka Obi      | Igbo            | 12/08/25  | 1:00 PM   | A. Nwachukwu\n";
    assert_not_phi(&s, &[tests]);
}

#[test]
fn orthodontic_classes_and_planes_and_platform_ids_are_no_patients() {
    let s = Scanner::new();
    // A de-identified study club case (blind batch 57): "Class III", "Le Fort I", "SN-MP".
    assert_not_phi(
        &s,
        &[
            "Subject: study club case\n\nRecords are de-identified.\n- 16-year-old male, skeletal \
             Class III, Angle Class III molar bilaterally\n- ANB -3.5 deg, SN-MP 38 deg\n- \
             Family history: father had a Le Fort I at age 19; mother Class I\n",
            "Tenant:            larkspurchc (Org ID 30417)\nSession:  scheduled 10/14",
            "You are registered.\n  Registration ID: 1419061870\n  Your join link: \
             https://tbtrainingcenter.org/webinar/j/88213?reg=1419061870&k=ad77\n",
            "Work notes: pumps docked.\nTo view or update this ticket, go to \
             https://servicedesk.larkmontregional.org/nav_to.do?uri=incident.do\n",
        ],
    );
    // A serial number's "SN" with digits after the hyphen is still one.
    assert_has(
        &s,
        "Pt's home concentrator SN-88213470 alarms at night.",
        Label::Device,
        "88213470",
    );
    // A patient's own link with a token stays a patient's.
    assert_has(
        &s,
        "Dear Ms. Farouk, your visit link: https://portal.example.org/visit?token=9f2Kq7LwX0ab",
        Label::Url,
        "https://portal.example.org/visit?token=9f2Kq7LwX0ab",
    );
}

#[test]
fn misspelt_licence_keys_an_alien_number_and_an_ssns_last_four_after_a_form() {
    let s = Scanner::new();
    assert_has(
        &s,
        "> my drivers liscense # is 31 882 406 (PA) exp 2028",
        Label::License,
        "31 882 406",
    );
    assert_has(
        &s,
        "NAME: RAHIMI, SAMIRA\nALIEN NUMBER........: A215448902\nVISA TYPE...........: IR1",
        Label::OtherId,
        "A215448902",
    );
    // "the application ends in 4417": the SSN's last four, no application number.
    let recert =
        "Hi Denise, the SSN on the application ends in 4417; I checked it against his card.";
    assert_has(&s, recert, Label::Ssn, "4417");
    assert_lacks(&s, recert, Label::OtherId, "4417");
    // An application's own number is still one.
    assert_has(
        &s,
        "Pt's Medicaid application APP-25-0091834 is pending.",
        Label::OtherId,
        "APP-25-0091834",
    );
}

#[test]
fn a_billing_services_returned_statements_and_claim_keys_are_read() {
    let s = Scanner::new();
    // A statement vendor's NCOA matches (blind batch 58): the guarantor, the old and new
    // addresses and their ZIP codes, by their headings.
    let ncoa = "NCOA matches below.\n\n\
        acct,guarantor,old_address,old_zip,ncoa_new_address,new_zip,move_eff\n\
        SV-2204417,\"HOLLOWAY, TRENT\",\"55 Poplar St Apt 3, Steelton PA\",17113,\"2910 N 6th St, Harrisburg PA\",17110,2025-08\n\
        CRR-40011263,\"NAKAMURA-REID, AIKO\",\"7 Fox Run Ct, Hummelstown PA\",17036,\"440 Market Sq Apt 12B, York PA\",17401,2025-09\n";
    assert_has(&s, ncoa, Label::Account, "SV-2204417");
    assert_has(&s, ncoa, Label::Zip, "17113");
    assert_has(&s, ncoa, Label::Zip, "17401");
    // A 277CA rejection's patient control number, and Spanish "cuenta".
    assert_has(
        &s,
        "PATIENT........: OYELARAN, FUNMILAYO A\nPAT CTRL NO....: SVI-3387120\n",
        Label::Account,
        "SVI-3387120",
    );
    assert_has(
        &s,
        "Subject: RE: cuenta SV-2291845 - plan de pagos\n\nBuenos días Sra. Quintanilla,",
        Label::Account,
        "SV-2291845",
    );
    // A plate after its state's name.
    assert_has(
        &s,
        "Patient's car, towed from lot B:\n  Plate:    Colorado BWK-J47\n",
        Label::Vehicle,
        "BWK-J47",
    );
}

#[test]
fn a_labs_plate_a_vendor_case_and_a_research_core_are_no_patients() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            // A qPCR plate in a run (blind batch 58).
            "[8:52 AM] Tamara Moreno\nplate P-1015-A on AmpliQ #2, NTC in H12 is amplifying at \
             Ct 34 on the CNV target\n[8:57 AM] Dwayne Shah\nok. re-queueing all 92 on P-1016-A",
            // A service desk's incident list and a vendor's support case about a machine.
            "Reset AE title. Opened vendor case with Carestream (Case 02197734).\nTo view this \
             incident, log in: https://servicedesk.example.org/sp?id=ticket&table=incident\n",
            // A research core's staff certifications, and an away message about grand rounds.
            "Our records show certifications for Biobank Core staff will expire soon. Cost is \
             covered by EHS for Biobank Core (cost center 64-1182).",
            "Subject: Automatic reply: ROR slide for Grand Rounds\n\nI am out of the office.",
            // A laboratory's nonconformance report.
            "Subject: NCR-2025-019 opened: identifier mismatch at accessioning\n\n\
             NONCONFORMANCE REPORT NCR-2025-019\nStatus: OPEN",
        ],
    );
    // A car's plate in a patient's note is still one; so is a patient's case number.
    assert_has(
        &s,
        "Pt's daughter parked in the ED bay, plate KHT-4127, please move it.",
        Label::Vehicle,
        "KHT-4127",
    );
    assert_has(
        &s,
        "Mr. Haskell's appeal, case 2025-APL-00417, is with the plan.",
        Label::OtherId,
        "2025-APL-00417",
    );
}

#[test]
fn an_id_or_no_column_in_a_table_of_patients_is_a_record_number() {
    let s = Scanner::new();
    // "| Patient | Hub ID |", "enrollment_id,last_name,...", "MRN,Trauma_No" (blind batch 59).
    let visits = "Nurse visits this week:\n\n\
        | Date/Time        | Patient               | Hub ID          | Phone           |\n\
        |------------------|-----------------------|-----------------|-----------------|\n\
        | Thu 10/16 9:30a  | Harold Mbeki-Sloane   | HCC-PT-0091583  | (717) 555-0161  |\n";
    assert_has(&s, visits, Label::OtherId, "HCC-PT-0091583");
    let readmits = "Rows returned: 2\n\n\
        MRN,Trauma_No,Index_Disch,Readmit_Date,Readmit_Dx\n\
        KR00482210,2026-001401,08/17/2026,08/29/2026,T81.41XA\n\
        KR00479931,2026-001388,08/21/2026,09/04/2026,J18.9\n";
    assert_has(&s, readmits, Label::OtherId, "2026-001401");
    // Pennsylvania's Medicaid ("Medical Assistance") number by its heading.
    let auths = "Auths expiring:\n\n\
        client_last,client_first,ma_id,mco,auth_no,service,hrs_wk\n\
        Abernathy,Chester,4255081967,KCHP,PA-2025-1021877,W1793,21\n";
    assert_has(&s, auths, Label::MemberId, "4255081967");
    // A staff roster's ID column and a text log's "to_number" stay unread.
    let roster = "Roster:\n\nName,Employee ID,Unit,Phone\nDana Whitcomb,E-20417,3 West,x4412\n";
    assert_lacks(&s, roster, Label::OtherId, "E-20417");
    let sms = "Failed reminders:\n\nsent_time,to_number,first_name,order_id,status\n\
        2025-03-11 09:00,+17175550318,Marta,SO-88123,failed\n";
    assert_lacks(&s, sms, Label::OtherId, "+17175550318");
}

#[test]
fn a_soldiers_rank_is_a_title_and_a_background_checks_clearance_no_name() {
    let s = Scanner::new();
    assert_has(
        &s,
        "Subject: LOD - SPC Brannigan - ankle injury during ACFT 1 Mar\n\nSir, SPC Brannigan \
         rolled his ankle at drill and was seen at urgent care.",
        Label::Person,
        "Brannigan",
    );
    // "LTC" is long-term care and a police "Cpl." no patient.
    assert_lacks(
        &s,
        "Please fax documents to (717) 555-0320, attention LTC Unit, or upload them.",
        Label::Person,
        "Unit",
    );
    assert_not_phi(
        &s,
        &[
            "Invoice for March screening services.\n\nDate       Order #      Applicant             \
           Package\n03/03/26   603118845    Samuel Okonkwo        PA Criminal + FBI + Child \
           Abuse\n",
        ],
    );
}

#[test]
fn a_schools_name_a_meeting_passcode_a_pa_licence_and_an_hl7_date_are_no_patients() {
    let s = Scanner::new();
    assert_not_phi(
        &s,
        &[
            // A high school's blood drive (blind batch 60).
            "Subject: RE: Cedar Knoll HS winter blood drive - January date options\n\nHi \
             Angela, I held Wednesday, January 14, 2026 for Cedar Knoll High School.",
            // A webinar's join link on an organisation's own meeting host, and its course ID.
            "Thank you for registering.\n   Wednesday, October 29, 2025 12:00 PM\nJOIN: \
             https://kiis-health.zoom.example/j/89344102271?pwd=Rr7vQk2\nAccreditation: \
             Activity ID 25-GTHS-0418.",
            // A physician assistant's state licence in a prescriber list.
            "Prescriber   Cred.   NPI       State Lic.   Status\nTobias Wendt PA-C    (blank)   \
             PA004412     NPI missing\n",
        ],
    );
    // A prior authorisation's number is still one.
    assert_has(
        &s,
        "Mr. Feltner's auth came back approved, ref PA-2025-1021877, through 12/31.",
        Label::OtherId,
        "PA-2025-1021877",
    );
    // "SSN (last 4, per claim):3308": the SSN's last four, no claim number.
    let claim = "Patient: Dennis Nagle\nClaim: 40598861\nSSN (last 4, per claim):3308\n";
    assert_has(&s, claim, Label::Ssn, "3308");
    assert_lacks(&s, claim, Label::OtherId, "3308");
    // An HL7 segment's CCYYMMDD date is no twin of an eight-digit chart number.
    let vxu = "PID|1||40844120^^^SFHC^MR||NGUYEN^ANH^T||20190412|F\n\
               RXA|0|1|20251013||141^Influenza, seasonal^CVX|0.5|mL\n";
    assert_lacks(&s, vxu, Label::Mrn, "20251013");
}

#[test]
fn a_wards_guardianship_an_rx_number_and_a_facility_visit_table() {
    let s = Scanner::new();
    // "the Vandermolen guardianship matter": a ward named by surname (blind batch 61).
    assert_has(
        &s,
        "Please be advised that the hearing in the Whitaker guardianship matter, No. \
         OC-2024-0388, has been continued.",
        Label::Person,
        "Whitaker",
    );
    // A prescription number shaped like a DEA number is the prescription's.
    let rx = "Fill history:\nRx number:        RX7140382\nPrescriber:       ALCOTT, TERESA CRNP\n";
    assert_lacks(&s, rx, Label::Dea, "RX7140382");
    // An ombudsman's routine visits to nursing homes: their addresses are the facilities'.
    assert_not_phi(
        &s,
        &["Here's next week.\n\n\
           | Date      | Time  | Facility                     | Address                         | Main phone     | Who          |\n\
           |-----------|-------|------------------------------|---------------------------------|----------------|--------------|\n\
           | Tue 10/22 | 09:30 | St. Adalbert Manor           | 312 Church St, Fenwick 17340    | (717) 555-0700 | R. Vos       |\n\
           | Thu 10/24 | 10:00 | Larkspur Glen Nursing        | 1250 Glenwood Pike, Beck's Mill 17368 | (717) 555-0800 | R. Vos |\n"],
    );
    // A misspelt licence after "my".
    assert_has(
        &s,
        "> my lisence is PA 29 418 735 and the car is plate KZT-4471",
        Label::License,
        "PA 29 418 735",
    );
}

#[test]
fn a_masked_ssn_a_societys_member_number_and_a_callers_town() {
    let s = Scanner::new();
    // A medical review officer's report: the donor's SSN masked to its last four (blind batch
    // 62).
    let mro = "Donor Name:          WOJCIK, KAYLA M\nDonor ID:            XXX-XX-4417\n\
               Specimen ID:         2083417\n";
    assert_has(&s, mro, Label::Ssn, "4417");
    assert_lacks(&s, mro, Label::OtherId, "XXX-XX-4417");
    // A professional society's member number at its congress is no health plan's.
    assert_not_phi(
        &s,
        &[
            "Thank you for registering for the Congress 2026.\n\nConfirmation #:   9266529688\n\
           Attendee:         Anjali Rao, MD - Cedar Ridge Pediatric Orthopaedics\n\
           Member #:         NAPOC-M-04418\n",
        ],
    );
    // A plan's member number is still one.
    assert_has(
        &s,
        "Pt's insurance: Keystone Health Plan, Member #: KHP-55120394, group 8841.",
        Label::MemberId,
        "KHP-55120394",
    );
    // "We're in Camp Hill": where a caller lives.
    assert_has(
        &s,
        "Voicemail: \"Hi, this is about my husband's appointment, his number is 717-555-0188. \
         We're in Camp Hill. Thank you.\"",
        Label::Address,
        "Camp Hill",
    );
}

#[test]
fn a_bed_a_visit_day_quoted_headers_and_checklists_name_patients() {
    let s = Scanner::new();
    // A given name after a bed number (blind batch 63); a room in an address is no bed.
    assert_has(
        &s,
        "hey - heads up, MICU bed 7, Gloria. family decided this morning on compassionate \
         extubation",
        Label::Person,
        "Gloria",
    );
    assert_lacks(
        &s,
        "Mom moved last month to Bethany Terrace, 8425 Waukegan Rd, Room 214, Morton Grove, IL \
         60053. The staff there are lovely.",
        Label::Person,
        "Morton",
    );
    // "seeing" a given name on a visit's day; "seeing" a therapist for therapy is no patient.
    assert_has(
        &s,
        "Thanks for your patience - here's my update after seeing Nia on 11/17 (parent release \
         on file).",
        Label::Person,
        "Nia",
    );
    assert_lacks(
        &s,
        "She's agreeable to seeing Leah Brightwater\nfor therapy; med management stays with us.",
        Label::Person,
        "Leah Brightwater",
    );
    // A quoted header's lower-case display name at a personal mailbox, and a Spanish reply's
    // attribution.
    assert_has(
        &s,
        "Called her at 11:20.\n\n> From: bri coles <bcoles_94@yahoo.com>\n> Sent: Wednesday, \
         May 14, 2025 10:31 AM\n> Subject: fever + red spot\n",
        Label::Person,
        "bri coles",
    );
    assert_has(
        &s,
        "Saludos.\n\nEl lun, 17 nov 2025 a las 7:41 p. m., yesenia carrasco \
         <yesi.carrasco23@hotmail.com> escribió:\n> buenas noches\n",
        Label::Person,
        "yesenia carrasco",
    );
    // A checklist's boxes are a list's bullets.
    let list = "Quick list from huddle.\n\n [ ] Szabo — stoma marking booked 6/19 at 8:30.\n \
                [ ] Alcott — hernia belt fitting; get abdominal measurements.\n";
    assert_has(&s, list, Label::Person, "Alcott");
    assert_has(&s, list, Label::Person, "Szabo");
}

#[test]
fn dashed_underlines_jail_numbers_and_bodies_before_numbers() {
    let s = Scanner::new();
    // A report's underline of dashes gives the columns where headings stand one space apart.
    let schedule = "CASE START PATIENT                     MRN       AGE/SEX\n\
                    ---- ----- --------------------------- --------- --------\n\
                    03   14:00 OYELARAN, FUNMILAYO         40198433  38/F\n";
    assert_has(&s, schedule, Label::Person, "OYELARAN, FUNMILAYO");
    // "INMATE#" heads a column of booking numbers, under a rule of dashes.
    let kiosk = "REQ#      SUBMITTED         INMATE#       NAME                  POD\n\
                 ----------------------------------------------------------------------\n\
                 MR-77310  10/14/25 05:12    2025-014455   BAPTISTE, JEAN-ROBERT  A-07\n";
    assert_has(&s, kiosk, Label::OtherId, "2025-014455");
    assert_has(
        &s,
        "He states he doses with you daily. Inmate 2025-017902. Signed consent attached.",
        Label::OtherId,
        "2025-017902",
    );
    // An IRB's registration number after its name, a vaccine before the ages it is for.
    assert_not_phi(
        &s,
        &[
            "Brannock University Medical Center Institutional Review Board (IRB00004417)\n\n\
           NOTICE OF APPROVAL - CONTINUING REVIEW\n",
        ],
    );
    assert_not_phi(
        &s,
        &[
            "Available: Flucelvax, Fluzone High-Dose (age 65+), and the 2025-2026 Comirnaty \
           vaccine while supplies last.",
        ],
    );
    // A person's age in brackets after the name still is one.
    assert_has(
        &s,
        "Update on Harold Drummond (age 72), post-op day 1, doing well.",
        Label::Person,
        "Harold Drummond",
    );
}

#[test]
fn trace_numbers_sibling_groups_donors_and_foster_households() {
    let s = Scanner::new();
    // A payer's funds transfer trace number is no phone (blind batch 64); a phone after
    // "Phone:" still is one.
    let era = "Payment method:     ACH / EFT\nEFT trace number:   9295225029\nPayment date:       \
               03/17/2026\n";
    assert_lacks(&s, era, Label::Phone, "9295225029");
    assert_has(
        &s,
        "Patient: Dolores Abernathy\nPhone:   9295225029\nDOB: 03/17/1950",
        Label::Phone,
        "9295225029",
    );
    // Children in care named as a sibling group by their surname.
    assert_has(
        &s,
        "2. Hearings: Castellanos sibs moved to 3/19 (was 3/25). Beatriz to finalize health \
         section by Thurs.",
        Label::Person,
        "Castellanos",
    );
    // A donor's number at a sperm bank; a donor drive's year is no number.
    assert_has(
        &s,
        "Abnormal result below on donor 3318 from his routine quarterly panel.",
        Label::OtherId,
        "3318",
    );
    // A foster child's resource parent, named with the relation in brackets.
    assert_has(
        &s,
        "Driver:            Owen Strickler (resource parent)\nDriver's license: PA 31 882 406",
        Label::Person,
        "Owen Strickler",
    );
    // A form's words for the order of a name are no name.
    assert_lacks(
        &s,
        "ALIEN NUMBER:        A-208551947\nNAME (LAST, FIRST):  PETRENKO, OKSANA\n",
        Label::Person,
        "LAST, FIRST",
    );
    // A radiopharmaceutical is a drug.
    assert_has(
        &s,
        "Cycle 3 of Pluvicto is set for 10/21; Thyrogen injections the two days before.",
        Label::Medication,
        "Pluvicto",
    );
    // A CSV roster of volunteers names staff; the same rows under "Patient" name patients.
    let roster = |head: &str| {
        format!(
            "Where we are with the spring cohort.\n\n{head},PATCH,FBI Fingerprint,Notes\n\
             Christine Hallberg,Cleared 02/21,Pending,CAH submitted 02/24\n\
             Dennis Whitcomb,Cleared 02/19,Cleared 02/26,appt 03/14\n"
        )
    };
    assert_lacks(&s, &roster("Volunteer"), Label::Person, "Dennis Whitcomb");
    assert_has(&s, &roster("Patient"), Label::Person, "Dennis Whitcomb");
}

#[test]
fn numbers_from_abroad_post_boxes_spanish_forms_and_html_cells() {
    let s = Scanner::new();
    // A number dialled from abroad, in a parent's mail; a dose change or a range is none.
    assert_has(
        &s,
        "mi celular es +52 81 555 0193, pueden llamarme a cualquier hora. es sobre mi hijo",
        Label::Phone,
        "+52 81 555 0193",
    );
    assert_lacks(
        &s,
        "Titrate +20 mg daily; target +30 - 40 units.",
        Label::Phone,
        "+20 mg",
    );
    assert_no_label(
        &s,
        Label::Phone,
        &["Score moved +12 3 points over the quarter."],
    );
    // A military or diplomatic post's mail address with the person's box; the post's own
    // unit alone is its address.
    assert_has(
        &s,
        "Refill for the patient.\n  Ship to:     Unit 3410 Box 2271, DPO AA 34038 (patient pouch)",
        Label::Address,
        "Unit 3410 Box 2271, DPO AA",
    );
    assert_lacks(
        &s,
        "Refill for the patient.\n  Ship to:     Unit 3410, DPO AA 34038",
        Label::Address,
        "Unit 3410, DPO AA",
    );
    // A Spanish report's patient and birth date.
    let eco = "  No. de estudio:       ECO-2025-1187\n  Paciente:             Génesis Valeska Rayo \
               Montenegro\n  Fecha de nacimiento:  02/06/2022\n";
    assert_has(&s, eco, Label::Person, "Génesis Valeska Rayo Montenegro");
    assert_has(&s, eco, Label::Date, "02/06/2022");
    // A label and its value in an HTML table's cells.
    assert_has(
        &s,
        "<table>\n<tr><td>Patient:</td><td>Jillian Farrant</td></tr>\n<tr><td>Provider:</td><td>\
         Marcus Eley</td></tr>\n</table>",
        Label::Person,
        "Jillian Farrant",
    );
}

#[test]
fn split_csv_cells_lab_credentials_packing_lists_surveys_and_donor_receipts() {
    let s = Scanner::new();
    // A comma inside an unquoted cell: the row is read up to the cell it split, and the
    // rows after it are read too.
    let csv = "Here's the export for the January starters.\n\n\
               ahs_id,last_name,first_name,dob,home_city,missing_items\n\
               AHS-26-0041,Nwachukwu,Chidera,2010-02-14,Abuja,\"physical exam\"\n\
               AHS-26-0043,Brennan-Ortiz,Maeve,2011-11-03,Providence, RI,\"med authorization\"\n\
               AHS-26-0044,Haddad,Yousef,2010-06-21,Amman,\"allergy plan\"\n";
    assert_has(&s, csv, Label::Person, "Brennan-Ortiz");
    assert_has(&s, csv, Label::Person, "Haddad");
    assert_lacks(&s, csv, Label::Address, "RI");
    // A cytotechnologist's credential with its board: a schedule of staff, no patients.
    let schedule = "Our proficiency testing kits arrived.\n\n\
                    | Participant           | Role          | Date  | Time     | Kit set |\n\
                    |-----------------------|---------------|-------|----------|---------|\n\
                    | Renata Sokolowski     | CT(ASCP)      | 10/20 | 8:00 AM  | PT-4471 |\n\
                    | Yuki Hollander        | CT(ASCP)      | 10/22 | 1:00 PM  | PT-4473 |\n";
    assert_lacks(&s, schedule, Label::Person, "Renata Sokolowski");
    assert_has(
        &s,
        "| Participant | Role | Date |\n| Renata Sokolowski | grandmother | 10/20 |\n",
        Label::Person,
        "Renata Sokolowski",
    );
    // A document's kind before its number is no name.
    assert_lacks(
        &s,
        "Subject: Packing List PL-2025-3381 / In-Kind Invoice 418-27-0093",
        Label::Person,
        "Packing List",
    );
    // A satisfaction survey for the ticket the message names; a token of its own is a
    // personal link.
    let ticket = |token: &str| {
        format!(
            "Subject: [Ticket 318-44-7203] MFA re-registration - RESOLVED\n\nYour ticket \
             318-44-7203 has been marked RESOLVED.\n\nHow did we do? \
             https://survey.conestogatech.net/csat?t={token}\n"
        )
    };
    assert_no_label(&s, Label::Url, &[&ticket("318-44-7203")]);
    assert_has(
        &s,
        &ticket("7Fq2Kx9Lm3Pz"),
        Label::Url,
        "https://survey.conestogatech.net/csat?t=7Fq2Kx9Lm3Pz",
    );
    // A donor's receipt: the names and the care it speaks of are no patient's; the same
    // names beside a visit in a patient's mail are.
    let receipt = "From: Lamplight Medical Missions via GiveLight <receipts@givelight.org>\n\
                   To: haroldjweaver@comcast.net\nSubject: Thank you for your gift\n\n\
                   Dear Harold and June,\n\nThank you for your generous gift. A child will have \
                   her cleft palate repaired this fall.\n\n  Tribute:   In memory of Ruth A. \
                   Weaver\n\nLamplight Medical Missions is a 501(c)(3) tax-exempt organisation.\n";
    assert_not_phi(&s, &[receipt]);
    assert_phi(
        &s,
        "From: Harold Weaver <haroldjweaver@comcast.net>\nTo: clinic@lamplightmissions.org\n\
         Subject: my appointment\n\nDear team, my wife June had her cleft palate repair \
         follow-up visit moved, can you call me?\n",
    );
}

#[test]
fn invoices_for_examined_workers_bibs_mariner_files_and_session_logs() {
    let s = Scanner::new();
    // An occupational clinic's invoice to an employer names the workers it examined; the
    // same table without a billing code or a test lists staff.
    let invoice = |heads: &str| {
        format!(
            "Attached is the January invoice.\n\n{heads}\n\
             1,2026-01-07,Pham Quoc Bao,USCG medical exam,99455,185.00\n\
             2,2026-01-13,Rommel Bautista,Visual acuity screen,99173,15.00\n"
        )
    };
    assert_has(
        &s,
        &invoice("line,service_date,employee,service,cpt,amount"),
        Label::Person,
        "Rommel Bautista",
    );
    assert_lacks(
        &s,
        &invoice("line,start_date,employee,department,extension,hours"),
        Label::Person,
        "Rommel Bautista",
    );
    // A drug testing consortium's random selection: workers to test.
    assert_has(
        &s,
        "Selected (primary):\nEMP_ID,LAST,FIRST,POSITION,VESSEL,TEST\n\
         TWO-20418,HOLLIS,TREMAINE,AB,COASTAL ENDEAVOR,DRUG\n\
         TWO-20977,VUKOVICH,ANTON,OS,COASTAL ENDEAVOR,DRUG\n",
        Label::Person,
        "VUKOVICH",
    );
    // A runner's bib; a mariner's file at the National Maritime Center; a passport.
    assert_has(
        &s,
        "my husband collapsed after mile 23, his bib was 4471. he is at the hospital",
        Label::OtherId,
        "4471",
    );
    assert_has(
        &s,
        "Mariner: OKAFOR, JOSEPH\nMariner Reference Number:   4417209\nDate of Birth: 04/11/1971",
        Label::OtherId,
        "4417209",
    );
    assert_has(
        &s,
        "Patient: Amara Diallo   DOB 03/02/1990\nPassport no.:  A03318872",
        Label::OtherId,
        "A03318872",
    );
    // A court's licence field.
    assert_has(
        &s,
        "DEFENDANT ............. HOLLOWAY, DALE\nOPERATOR LIC NO ....... 28417093   STATE: PA",
        Label::License,
        "28417093",
    );
    // A telehealth service's session log locates the patient; a staff sign-in alert from a
    // vendor to a work mailbox does not.
    let log = |who: &str| {
        format!(
            "From: VisitLink Telehealth <no-reply@visitlink-health.com>\n\
             To: chartigan@clearslateskin.com\nSubject: Session record\n\n\
             CONNECTION LOG\n  11:02:47  {who} joined    IP 73.152.218.46   Safari 17   \
             Location (approx.): Hershey, PA\n"
        )
    };
    assert_has(&s, &log("Patient"), Label::Address, "Hershey, PA");
    assert_lacks(&s, &log("Provider"), Label::Address, "Hershey, PA");
    // A price list after "Client", a half marathon after "for": no names.
    assert_lacks(
        &s,
        "Subject: 2026 Client Bill Fee Schedule - effective April 1, 2026",
        Label::Person,
        "Bill",
    );
    assert_no_label(
        &s,
        Label::Person,
        &["Subject: CAAC after-action numbers + draft staffing for Spring Half 4/12/26"],
    );
}

#[test]
fn initials_before_surnames_all_staff_reminders_physicians_mail_and_pilot_files() {
    let s = Scanner::new();
    // An initial and a surname after a label that says whose: the whole name.
    let report = "  Test ID:          NB-7731-0042\n  Athlete:          G. Thibodeaux\n  \
                  Test date:        07/08/2025 14:06\n";
    assert_has(&s, report, Label::Person, "G. Thibodeaux");
    assert_has(
        &s,
        "Subject: [secure] shared pt R. Tillman - confusion, elevated ammonia",
        Label::Person,
        "R. Tillman",
    );
    // Not after a label for staff.
    assert_lacks(
        &s,
        "  Proctor:          L. Brandvold\n  Comparison:       Baseline",
        Label::Person,
        "L. Brandvold",
    );
    // A coordinator's reminder to all staff about forms ("work excuse letter") is no
    // patient writing of their own care; a patient's own note for work is.
    let reminder = |to: &str| {
        format!(
            "From: Devin Marsh <dmarsh@harlowvalleyhealth.org>\nTo: {to}\n\
             Subject: Reminder: forms policy\n\nSchool / work excuse letter   $0   3 days\n"
        )
    };
    assert_lacks(
        &s,
        &reminder("PCRC-AllStaff <pcrc-allstaff@harlowvalleyhealth.org>"),
        Label::Person,
        "Devin Marsh",
    );
    assert_has(
        &s,
        &reminder("Forms Desk <forms@harlowvalleyhealth.org>"),
        Label::Person,
        "Devin Marsh",
    );
    // A physician's own mailbox at a mail provider is no patient's; a nurse's may be.
    let cc = |mailbox: &str| {
        format!(
            "From: Priya Nandakumar <pnandakumar@crestlinehair.com>\nCc: Samuel Tretiak \
             <{mailbox}>\nSubject: Case for Thursday peer review (de-identified)\n\n46M, \
             Crohn's on adalimumab.\n"
        )
    };
    assert_lacks(
        &s,
        &cc("stretiak.do@gmail.com"),
        Label::Email,
        "stretiak.do@gmail.com",
    );
    assert_has(
        &s,
        &cc("stretiak.rn@gmail.com"),
        Label::Email,
        "stretiak.rn@gmail.com",
    );
    // A pilot's FAA file number.
    assert_has(
        &s,
        "Airman: Anne Solberg\nDOB: 09/22/1981\nFAA PI #: 5520614\n",
        Label::OtherId,
        "5520614",
    );
}

#[test]
fn a_blood_centres_donor_is_its_patient_a_money_donor_is_not() {
    let s = Scanner::new();
    // "Thank you for your donation" from a blood centre, with a deferral: the donor's care.
    assert_phi(
        &s,
        "From: Keystone Rivers Blood Centers <noreply@krbloodcenters.org>\n\
         To: gtillman77@fastmail.com\nSubject: About your recent visit\n\n\
         Dear Gregory Tillman,\n\nThank you for your donation visit at our York Donor Center on \
         03/08/2025. During your mini-physical your hemoglobin was below our minimum, so you \
         are deferred; you are eligible to donate again on or after 04/07/2025.\n",
    );
    // The same thanks for a gift of money, with a tax receipt's words: no one's care.
    assert_not_phi(
        &s,
        &[
            "From: Keystone Rivers Blood Centers <noreply@krbloodcenters.org>\n\
           To: gtillman77@fastmail.com\nSubject: Your gift\n\nDear Gregory Tillman,\n\n\
           Thank you for your generous gift of $100 to our patient assistance fund. No goods \
           or services were provided in exchange for this contribution.\n",
        ],
    );
}

#[test]
fn members_due_for_physicals_and_care_report_numbers() {
    let s = Scanner::new();
    // A fire department's members due for their annual physicals: patients by name.
    let due = "Here's the Battalion 2 list for scheduling coverage.\n\n\
               emp_id,last_name,first_name,station,shift,last_physical,due_by,scheduled\n\
               E-17720,Halvorsen,Eric,9,B,2024-08-29,2025-08-29,2025-10-21 07:00\n\
               E-19154,Moreau-Diallo,Celeste,9,A,2024-09-10,2025-09-10,NOT SCHEDULED\n";
    assert_has(&s, due, Label::Person, "Moreau-Diallo");
    assert_has(&s, due, Label::Date, "2024-09-10");
    // The same roster by shift alone lists staff.
    assert_lacks(
        &s,
        "Here's the Battalion 2 roster.\n\nemp_id,last_name,first_name,station,shift\n\
         E-17720,Halvorsen,Eric,9,B\nE-19154,Moreau-Diallo,Celeste,9,A\n",
        Label::Person,
        "Moreau-Diallo",
    );
    // A patient care report's number; a PCR test's billing code is none.
    assert_has(
        &s,
        "Thread for the chart. PCR KSM-25-10876. he was the B-cam operator, felt dizzy at wrap",
        Label::OtherId,
        "KSM-25-10876",
    );
    assert_lacks(
        &s,
        "HCV RNA, QUANT, REAL-TIME PCR (87522) 1,840,000 IU/mL",
        Label::OtherId,
        "87522",
    );
}

#[test]
fn last_four_shorthand_rosters_webinar_links_and_notification_ids() {
    let s = Scanner::new();
    // "L4" before four digits: a Social Security number's last four; a vertebra is none.
    assert_has(
        &s,
        "rm 5, Truong, L4 5164 - hCG POS, repeated on second sample",
        Label::Ssn,
        "5164",
    );
    assert_no_label(
        &s,
        Label::Ssn,
        &["MRI shows a disc bulge at L4-L5 and L5-S1, 2025 study"],
    );
    // A processing station's roster: the name column and the last four.
    let roster = "SEQ  NAME (LAST, FIRST MI)        SSN-L4  SVC  COMP  PROC TYPE\n\
                  ---  ---------------------------  ------  ---  ----  ------------\n\
                  001  PRYCE, DEVONTAE H            4471    A    RA    FULL PHYS\n";
    assert_has(&s, roster, Label::Ssn, "4471");
    assert_has(&s, roster, Label::Person, "PRYCE, DEVONTAE H");
    // A webinar's join link is a meeting's (weak: words about care decide); a portal's
    // token link is a person's.
    let webinar = "Your registration is confirmed for Thursday, May 8, 2025.\n\
                   Join: https://events.lymphtherapyalliance.org/w/8812/join?r=2797600555\n";
    assert_not_phi(&s, &[webinar]);
    // A system's notification number is no one's.
    assert_lacks(
        &s,
        "To protect patient privacy, message content is not included.\n\
         Notification ID 2291-88-4730 - Brightwater Children's Orthopaedics - Do not reply",
        Label::OtherId,
        "2291-88-4730",
    );
}

#[test]
fn a_vendors_patient_reference_and_a_claims_report_by_claim_no() {
    let s = Scanner::new();
    // A hearing aid maker's credit memo names whose return it was.
    let memo = |label: &str| {
        format!(
            "Return authorization: RA 771920\n{label}:    STRAND, PHILIPPA\n\
             Fit date:             09/15/2025\n"
        )
    };
    // (By the label: the name lists alone find it too, as weak evidence.)
    let by_label = |label: &str| {
        let text = memo(label);
        s.scan(&text).findings.iter().any(|f| {
            f.rule == "person.cue" && &text[f.start_byte..f.end_byte] == "STRAND, PHILIPPA"
        })
    };
    assert!(by_label("Patient reference"));
    assert!(!by_label("Sales reference"));
    // A claims engine's report: "CLAIM NO" heads a column of claims, "CLAIMANT" of names.
    let report = "CLAIM NO         VOL ID          CLAIMANT                DOS         CPT\n\
                  PSC-2024-06631   HSC-V-109832    VILLANUEVA, HECTOR R    02/19/2025  73721\n";
    assert_has(&s, report, Label::OtherId, "PSC-2024-06631");
    assert_has(&s, report, Label::Person, "VILLANUEVA, HECTOR R");
    // An equipment schedule's "Serial No." column is the organisation's machines.
    assert_no_label(
        &s,
        Label::Device,
        &[
            "Site            Date       Time         Equipment                         Serial No.\n\
           Brookmere       03/21/25   8:00-11:00   GSI AudioStar Pro (Booth 1)       AS2-041177\n",
        ],
    );
}

#[test]
fn hl7_field_headings_compact_dates_and_numbers_said_one_character_at_a_time() {
    let s = Scanner::new();
    // An interface engine's rejected results: "PID-3 (MRN)" heads the chart numbers, "OBR-7
    // COLLECT DT" the collection times.
    let alert = "MSG CTRL ID     PID-3 (MRN)       ACCESSION       OBR-7 COLLECT DT        ERROR\n\
                 --------------  ----------------  --------------  ----------------------  -----\n\
                 ANDRO0019382    LMH-0052274       SA-26-01192     202603021106            AE: DOB\n";
    assert_has(&s, alert, Label::Mrn, "LMH-0052274");
    assert_has(&s, alert, Label::Date, "202603021106");
    // A column of ticket numbers under an HL7-looking heading that names no identifier.
    assert_no_label(
        &s,
        Label::Mrn,
        &["MSG CTRL ID     MSH-10 (CONTROL)  STATUS\n\
           --------------  ----------------  ------\n\
           ANDRO0019382    CTL-0052274       SENT\n"],
    );
    // A date written CCYYMMDD after a label, whatever the leader; not inside a job's number.
    assert_has(
        &s,
        "MEMBER: KOWALSKI, PETER\nDOB ................. 19510417        Gender: M\n",
        Label::Date,
        "19510417",
    );
    assert_has(
        &s,
        "SUBSCRIBER: HALE, ROGER M\nDATE OF SERVICE:   20260312\nSERVICE TYPE 30\n",
        Label::Date,
        "20260312",
    );
    assert_no_label(
        &s,
        Label::Date,
        &[
            "Batch: 20250513-0600   Records received: 412",
            "Saved to \\\\bw-fs01\\reports\\rejects\\20251014.csv for the billing team",
            "QA review - call VX-20251014-2231-0457 (nice work)",
        ],
    );
    // A voicemail's numbers, said one character at a time: the nearest word says whose.
    let vm = "\"Hi, this is Dorothy Lindgren, my member number is B W H 7 1 0 4 4 8 2 6, and the \
              account number on the letter is 4 0 0 1 8 8 7 2 6 5 9 I think. Thanks.\"";
    assert_has(&s, vm, Label::MemberId, "B W H 7 1 0 4 4 8 2 6");
    assert_has(&s, vm, Label::Account, "4 0 0 1 8 8 7 2 6 5 9");
    // Letters alone, a list of grades, or a number no word names are left alone.
    assert_no_label(
        &s,
        Label::OtherId,
        &[
            "Grades by quarter: A B B A C B, then the final.",
            "Row 3 of the plate: 1 0 1 1 0 0 1 (controls in wells 1 and 5).",
        ],
    );
    // "pituitary-dependent Cushing's": the compound adjective is no cue for a name.
    assert_lacks(
        &s,
        "11-year-old mixed-breed dog, 28 kg, pituitary-dependent Cushing's, on trilostane",
        Label::Person,
        "Cushing",
    );
}

#[test]
fn enrollee_columns_and_a_walk_in_coolers_serial() {
    let s = Scanner::new();
    // A pharmacy's returned shipments for a quitline: the enrollee column lists its patients,
    // the shipping address column their homes.
    let report = "order_id,enrollee_name,ship_address,city,st,zip,items,carrier_status\n\
                  NRT-2025-0193384,Sharon Kettering,88 Lamplighter Ln,Fulton,NY,13069,PATCH21x28,RTS\n\
                  NRT-2025-0192876,Terrence Boyd,412 W Genesee St Apt 3R,Auburn,NY,13021,GUM4x100,RTS\n";
    assert_has(&s, report, Label::Person, "Sharon Kettering");
    assert_has(&s, report, Label::Address, "88 Lamplighter Ln");
    // A supply order's shipping addresses, with no column of people, are the clinics': no
    // table of patients.
    let order = "order_id,ship_address,city,st,zip,items\n\
                 PO-2025-0193384,88 Industrial Park Rd,Fulton,NY,13069,PATCH21x28\n\
                 PO-2025-0192876,412 W Genesee St,Auburn,NY,13021,GUM4x100\n";
    assert!(
        !s.scan(order)
            .findings
            .iter()
            .any(|f| f.rule == "table.column")
    );
    assert_not_phi(&s, &[order]);
    // A walk-in cooler's service report: its serial number is the equipment's, and a motor's
    // "1/3 HP" no date.
    let ticket = "SERVICE REPORT  PT-118402\n\
                  Equipment ..... Walk-in mortuary cooler, 8' x 10', Norlake condensing unit\n\
                  Serial ........ 2209-44817-B\n\
                  Work performed: Replaced condenser fan motor (1/3 HP, 1075 RPM) and fan blade.\n";
    assert_lacks(&s, ticket, Label::Device, "2209-44817-B");
    assert_lacks(&s, ticket, Label::Date, "1/3");
    // A patient's nebuliser compressor still has its serial number.
    assert_has(
        &s,
        "Patient: Ruth Anstey. Home unit: PARI Vios compressor, serial PV2207-118345 (owned by \
         the resident), cleaned weekly.",
        Label::Device,
        "PV2207-118345",
    );
}

#[test]
fn a_number_to_call_the_patient_or_a_parent_at_is_theirs() {
    let s = Scanner::new();
    // "call" alone makes an office's number; "pt" or "mom" nearer the number says whose.
    assert_has(
        &s,
        "TR25-031388 swabs failed quant x2. pls call pt at 513-555-0672, best after 5.",
        Label::Phone,
        "513-555-0672",
    );
    assert_has(
        &s,
        "Strep culture positive for Liam, DOB 04/02/2019. Call mom 614-555-0196 with results.",
        Label::Phone,
        "614-555-0196",
    );
    assert_no_label(
        &s,
        Label::Phone,
        &["Questions about the new schedule? Please call our front desk at 513-555-0100."],
    );
}

#[test]
fn a_form_field_below_a_name_and_a_listed_partners_home() {
    let s = Scanner::new();
    // "Examiner:" on the next line is the form's next field, not the patient's job title.
    let report = "Examinee:          Wendell Ashcroft-Pike\nExaminer:          Helen Marsh, MD\n";
    assert_has(&s, report, Label::Person, "Wendell Ashcroft-Pike");
    // A title on the line under a name is still a signature, and "Position:" under a job
    // candidate names the job.
    let sig = "Thanks,\nRhonda Kaminski\nPractice Manager\n";
    assert_lacks(&s, sig, Label::Person, "Rhonda Kaminski");
    assert_not_phi(
        &s,
        &[
            "Onboarding checklist:\n\n  Candidate: Samira Haddadin\n  Position: Patient Access Rep\n  Start date: Monday, April 7\n",
        ],
    );
    // A numbered item that opens with a person's name: the address is theirs, under any
    // heading ("Partners:" in an STI clinic's field record).
    let field = "Partners:\n 1. Terrence Vail, approx 29 y/o M, 1412 Marigold Lane, Harwick, PA 17404, cell (717) 555-0186.\n";
    assert_has(&s, field, Label::Address, "1412 Marigold Lane, Harwick, PA");
    // A numbered list of community partners stays theirs.
    assert_no_label(
        &s,
        Label::Address,
        &[
            "Community partners:\n 1. Harbor Family Clinic, 1412 Marigold Lane, Harwick, PA 17404.\n",
        ],
    );
    // A contact form's phone under its "Name:" field is the writer's, though the
    // department's name is above.
    let form = "Department:     Health Department\nName:           Gary Whitlock\n\
                Email:          gwhitlock61@aol.com\nPhone:          717-555-0172\n";
    assert_has(&s, form, Label::Phone, "717-555-0172");
    // An organisation's footer: name, then its phone.
    assert_no_label(
        &s,
        Label::Phone,
        &["Thanks for coming.\n\nTamarack County Health Department\nPhone:  717-555-0110\n"],
    );
}

#[test]
fn a_camps_van_a_town_called_camp_and_an_ambulance_transport() {
    let s = Scanner::new();
    // The camp's van collects a volunteer doctor: "your itinerary" a sentence before owns no
    // vehicle.
    let pickup = "Flight: American 4471 (per your itinerary) arriving 11:52 AM.\n\
                  Pickup: Gus Ferreira will meet you at baggage claim in the white camp van (Ford Transit, PA plate ZKT-4471).";
    assert_lacks(&s, pickup, Label::Vehicle, "ZKT-4471");
    // A patient's own van, and a brother driving, keep their plates.
    assert_has(
        &s,
        "Patient will drive himself. His van is a gray Odyssey, PA plate HXR-2290.",
        Label::Vehicle,
        "HXR-2290",
    );
    assert_has(
        &s,
        "Mileage reimbursement instead of the van this time, since her brother can drive \
         her.\n\nMember: Nguyen Thi Lan\nDriver: Nguyen Van Minh (brother), Ohio plate JKM 4471\n",
        Label::Vehicle,
        "JKM 4471",
    );
    // "Camp Hill" after "re:" or "for" is a town, and still the patient's town after "We're in".
    assert_not_phi(
        &s,
        &["Subject: re: Camp Hill coverage\n\nDo we have anyone for Camp Hill front desk Thurs?"],
    );
    assert_has(
        &s,
        "Hi, this is about my mom's appointment. We're in Camp Hill. Thank you.",
        Label::Address,
        "Camp Hill",
    );
    // An EMS bill for a transport on a date is a patient's run.
    assert_phi(
        &s,
        "County EMS invoice came for the transport on 07/14/2025 at 21:10, their run # PCEMS-25-11873. $1,140.",
    );
    assert_not_phi(
        &s,
        &[
            "County EMS invoice came for the fleet's annual inspection, invoice # PCEMS-25-11873. $1,140.",
        ],
    );
}

#[test]
fn a_huddles_timed_bullets_and_a_fee_receipt_from_a_nonprofit() {
    let s = Scanner::new();
    // "- 11:00 Pruett - delivery": a bullet, the slot's time, then the patient's surname.
    let huddle = "Quick notes from huddle:\n\n\
                  - 9:20  Delgado-Pruitt - titration #3, bring the George Gauge, she's at 6 mm.\n\
                  - 11:00 Pruett - delivery, lab case arrived yesterday, his BP meds to check.\n";
    assert_has(&s, huddle, Label::Person, "Pruett");
    assert_has(&s, huddle, Label::Person, "Delgado-Pruitt");
    // A bullet and a count or a price is no slot.
    assert_no_label(
        &s,
        Label::Person,
        &["Order summary:\n- 12 Walker - gauze rolls\n- $4.00 Walker - shipping\n"],
    );
    // A recovery residence's rent receipt names its resident: a nonprofit's fee ("not
    // tax-deductible") is no donor's gift.
    let receipt = "To: tgaddis1979@att.net\nSubject: Payment received\n\n\
                   Resident:          Terrence Gaddis\nResident account:  RR-10382\n\
                   Payment date:      03/10/2026\nApplied to:        Weekly fee\n\n\
                   Cedar Path Recovery is a 501(c)(3) nonprofit. Resident fees are not tax-deductible.\n";
    assert_phi(&s, receipt);
    // A donor's thank-you letter still is one.
    assert_not_phi(
        &s,
        &[
            "To: tgaddis1979@att.net\nSubject: Thank you\n\nDear Terrence Gaddis,\n\n\
           Thank you for your generous gift of $145.00 received 03/10/2026. Cedar Path Recovery \
           is a 501(c)(3) nonprofit; no goods or services were provided.\n",
        ],
    );
}

#[test]
fn a_birth_word_in_a_quoted_heading_and_columns_naming_whose() {
    let s = Scanner::new();
    // The sentence with "birth" ends at the quote's bracket: the deadline after it is no
    // birth date.
    assert_not_phi(
        &s,
        &[
            "Please propose wording for section 4 (\"Health history of birth relatives\"). Draft by Friday 3/14 please.",
        ],
    );
    assert_has(
        &s,
        "Health history of birth relatives: mother born 3/14/1961, diabetic.",
        Label::Date,
        "3/14/1961",
    );
    // "subject_name", "subject_dob", "case_no": an adoption agency's records requests.
    let requests = "case_no,subject_name,subject_dob,record_type,status\n\
                    CH-19-0208,\"Brandt, Elijah\",08/22/2019,non-identifying med hx,pending\n\
                    CH-22-0311,\"Kowalczyk, Lily\",01/15/2021,immunization record,new\n";
    assert_has(&s, requests, Label::OtherId, "CH-19-0208");
    assert_has(&s, requests, Label::Date, "08/22/2019");
    // "nok_first", "nok_last": an eye bank's donor families.
    let families = "donor_id,nok_first,nok_last,relationship,donor_first,address,city,state,zip\n\
                    CEB-25-0411,Patrice,Oduya,wife,Samuel,218 Kettle Run Rd,Mechanicsburg,PA,17050\n\
                    CEB-25-0419,Gary,Lutz,son,Dorothy,1190 Sawmill Hollow Dr,Dillsburg,PA,17019\n";
    assert_has(&s, families, Label::Person, "Lutz");
    // A course's roster of subjects taught has none of these.
    assert_no_label(
        &s,
        Label::Person,
        &["subject_code,subject_title,room\nBIO-101,Anatomy,Hall B\nCHM-110,Chemistry,Lab 2\n"],
    );
    // "Hometown:" is a form's town field, like "City:".
    let intake = "Sponsored child intake\n  Child:          Josh Abernathy\n  Hometown:       Abingdon, VA 24210\n  Admission:      Monday 10/20, cleft palate repair\n";
    assert_has(&s, intake, Label::Address, "Abingdon, VA");
}

#[test]
fn a_surname_and_a_weight_an_isotope_and_a_regulators_salutation() {
    let s = Scanner::new();
    // A cardiology lab's add-on doses by surname and body weight.
    let order = "Priya - sorry, two more for tomorrow. Both 1-day rest/stress with Lexiscan.\n\n\
                 Brubaker - 248 lb - rest 0715\nNguyen-Tran - 162 lb - rest 0745\n";
    assert_has(&s, order, Label::Person, "Brubaker");
    assert_phi(&s, order);
    // A lift's or a bed's rated load is no patient's weight.
    assert_no_label(
        &s,
        Label::Person,
        &[
            "Equipment for the new bay:\n\nStryker - 500 lb capacity, rental\nHoyer - 400 lb max, owned\n",
        ],
    );
    // "Mo-99" is molybdenum's isotope after "Records of", no name.
    assert_no_label(
        &s,
        Label::Person,
        &[" 7. Records of Mo-99 breakthrough testing for each elution\n"],
    );
    assert_has(
        &s,
        "Please send the records of Maria Delgado to her new cardiologist.",
        Label::Person,
        "Maria Delgado",
    );
    // A state inspector greets the pharmacy's manager: "Mr. Paik," is the reader, at work.
    let inspection = "From: Darren Whitsel <dwhitsel@brp-commonwealth.gov>\n\
                      To: Gregory Paik <gpaik@ridgelinenp.com>\n\
                      Subject: Announced inspection - Radioactive Materials License PA-0712\n\n\
                      Mr. Paik,\n\nThis is to confirm the routine announced inspection on Tuesday, November 4, 2025.\n";
    assert_lacks(&s, inspection, Label::Person, "Paik");
    // A clinic writing to a patient's own mailbox still names its patient.
    assert_has(
        &s,
        "From: Dana Whitcomb <dwhitcomb@ridgelinenp.com>\nTo: Gregory Paik <gpaik1961@gmail.com>\n\n\
         Mr. Paik,\n\nYour stress test is Tuesday, November 4, 2025 at 7:15.\n",
        Label::Person,
        "Paik",
    );
    // A radiation survey meter's serial number is the pharmacy's instrument.
    let survey = "Post-incident survey (Halvorsen HM-14 SN 220731): package surface 11 mR/h, cargo floor background.";
    assert_no_label(&s, Label::Device, &[survey]);
}

#[test]
fn a_cc_lines_mailboxes_a_practice_after_an_ampersand_and_codes_inside_codes() {
    let s = Scanner::new();
    // Each display name on a Cc line has its own mailbox: Carla's is at work.
    let cc = "From: Priya Hallman <phallman@steadfastcompanions.org>\n\
              To: Dana Whitcomb <dwhitcomb@steadfastcompanions.org>\n\
              Cc: Carla Montes <cmontes@steadfastcompanions.org>; Owen Tatum <otatum@gmail.com>\n\
              Subject: count\n\nAll counts reconcile.\n";
    assert_lacks(&s, cc, Label::Person, "Carla Montes");
    assert_has(&s, cc, Label::Person, "Owen Tatum");
    // A client that is a centre, its name joined by "&".
    assert_no_label(
        &s,
        Label::Person,
        &[
            "INVOICE: CEV-20931\nClient: Hollow Brook Therapeutic Riding & Hippotherapy Center\nDate of service: 05/02/2025\n",
        ],
    );
    assert_has(
        &s,
        "Client: Marisol Vega & Daughter\nDate of service: 05/02/2025, home visit",
        Label::Person,
        "Marisol Vega",
    );
    // "PA-03-2291" inside a course's code is no prior authorisation; after a year it is.
    assert_no_label(
        &s,
        Label::OtherId,
        &[
            "COURSE: Lifeguarding Review\nCOURSE ID: LGR-25-PA-03-2291\nDATES: Saturday, March 29, 2025",
        ],
    );
    assert_has(
        &s,
        "Prior authorization approved for the patient. Approval #: 2025-PA-0813377, valid 90 days.",
        Label::OtherId,
        "PA-0813377",
    );
    // "MS" in capitals before a hyphenated class name is multiple sclerosis.
    assert_no_label(
        &s,
        Label::Person,
        &["Program pages for Arthritis Warm Water Swim and the MS Cool-Down class\n"],
    );
    assert_has(
        &s,
        "Spoke with Ms. Reyes-Whitt about her MRI on 3/14.",
        Label::Person,
        "Reyes-Whitt",
    );
}

#[test]
fn a_two_word_country_a_titled_names_relative_and_a_return_to_work() {
    let s = Scanner::new();
    // "Sierra" is a given name and "Leone" a surname, but together they are a country.
    let travel = "34-year-old man, returned from rural Sierra Leone 10 days ago; \
                  dengue less likely in Sierra Leone. Earlier trips: Costa Rica, Hong Kong.";
    assert_no_label(&s, Label::Person, &[travel]);
    assert_has(
        &s,
        "Patient: Sierra Leonard, seen 3/14 for fever after travel.",
        Label::Person,
        "Sierra Leonard",
    );
    // A titled name's relative is a patient's family, even in a huddle's notes to all staff.
    let huddle = "From: Dana Whitcombe <dwhitcombe@brightwatertravelmed.com>\n\
                  To: Clinical Staff <clinical@brightwatertravelmed.com>\n\
                  Subject: Huddle notes 4/14\n\n\
                  Present: Varga, Reilly, Castellanos, Whitcombe\n\n\
                  Numbers today: 21 visits, 38 vaccine doses given.\n\n\
                  Clinical follow-ups:\n \
                  - Returned traveler sent to the ED this AM, being admitted. Dr. Reilly following. \
                  Mr. Adeyemi's wife asked that we call her tomorrow; Dana will.\n\n\
                  Supply / ops:\n - Fridge #2 excursion: 47 doses quarantined.\n \
                  - ICVP booklets ordered (2 packs), arriving ~4/24.\n\n\
                  Reminders:\n - HIPAA training due 4/30.\n - Don't text patients from personal phones.\n";
    assert!(s.scan(huddle).contains_phi, "{:?}", labels(&s, huddle));
    let office = huddle.replace(
        "Mr. Adeyemi's wife asked that we call her tomorrow; Dana will.",
        "Mr. Adeyemi's office asked that we call tomorrow; Dana will.",
    );
    // (Strong for the relative alone: an office's call is the title's weak evidence.)
    let rules_of =
        |t: &str| -> Vec<&'static str> { s.scan(t).findings.iter().map(|f| f.rule).collect() };
    assert!(rules_of(huddle).contains(&"person.title_family"));
    assert!(!rules_of(&office).contains(&"person.title_family"));
    assert!(rules_of(&office).contains(&"person.title"));
    // A rehabilitation patient's return to work, named by a given name alone.
    let visit = "Hi Sandra,\n\nWith the signed release we have on file, I'd like to schedule the \
                 job site analysis at your distribution center so we can plan Keshawn's graduated \
                 return to work.\n\nProposed: Wednesday, March 19, 2025, 1:30-3:30 PM\n";
    assert_has(&s, visit, Label::Person, "Keshawn");
    assert_lacks(
        &s,
        "Welcome back! Keshawn's return from leave is Monday; HR has the badge.",
        Label::Person,
        "Keshawn",
    );
}

#[test]
fn a_birth_date_after_sending_a_makers_chart_a_companys_representative_and_a_shipment() {
    let s = Scanner::new();
    // A date later than the message was sent is no birth date: a test label's beyond-use date.
    let label = "From: Service Desk <desk@bluestoneit.com>\nTo: Dana Whitcomb <dwhitcomb@svallergy.com>\n\
                 Date: Tue, 16 Sep 2025 08:12:47 -0400\nSubject: printer\n\n\
                 Test label printed using the built-in dummy record (TEST, PATIENT ZZ / DOB \
                 01/01/1900 / VIAL 1:1000 GREEN / BUD 12/31/2099).\n";
    let rule_of = |t: &str, v: &str| -> Option<&'static str> {
        s.scan(t)
            .findings
            .iter()
            .find(|f| &t[f.start_byte..f.end_byte] == v)
            .map(|f| f.rule)
    };
    assert_ne!(rule_of(label, "12/31/2099"), Some("date.dob"));
    let dob = label.replace("01/01/1900", "03/14/1961");
    assert_eq!(rule_of(&dob, "03/14/1961"), Some("date.dob"));
    // (With no Date header, nothing says when the message was sent.)
    assert_eq!(rule_of("DOB 03/14/2061", "03/14/2061"), Some("date.dob"));
    // Chart Industries' tank is no chart number; a chart number still is.
    let tank = "Liquid nitrogen    Bulk fill, Chart Perma-Cyl 450 HP  1     ~420 L\n";
    assert_no_label(&s, Label::Mrn, &[tank]);
    assert_has(
        &s,
        "Patient seen today, chart GCH-00418276, follow up in 2 weeks.",
        Label::Mrn,
        "GCH-00418276",
    );
    // A company's representative named with the company is no patient; a patient from a
    // hospital may be.
    let cra = "Enrolled to date 38. The CRA is Tobias Renwick from Allegheny Lakes Clinical \
               Research Network. One patient withdrew.";
    assert!(
        s.staff_names(cra)
            .iter()
            .any(|&(a, b)| &cra[a..b] == "Tobias"),
        "{:?}",
        s.staff_names(cra)
    );
    let transfer = "The patient Tobias Renwick from Allegheny Lakes Hospital arrives 3/14.";
    assert!(
        !s.staff_names(transfer)
            .iter()
            .any(|&(a, b)| &transfer[a..b] == "Tobias")
    );
    // A shipment's ID is no patient's.
    assert_no_label(
        &s,
        Label::OtherId,
        &["Placebo kits: next shipment ordered (Ship ID SHP-771-2040) for the patients."],
    );
    assert_has(
        &s,
        "Patient ID SHP-771-2040 was enrolled on 3/14.",
        Label::Mrn,
        "SHP-771-2040",
    );
}

#[test]
fn a_pump_named_by_its_patient_a_chats_speakers_and_a_payroll_table() {
    let s = Scanner::new();
    // A given name before "'s pump" in a pasted chat; the speaker's "he" below is the patient.
    let chat = "From: Marcus Oyelaran <moyelaran@svhomemed.com>\n\
                To: Dana Whitcomb <dwhitcomb@svhomemed.com>; Tom Kerchner <tkerchner@svhomemed.com>\n\
                Subject: pump swap - chat copy\n\n\
                Pasting our Teams chat so it goes in the account notes.\n\n\
                [1:22 PM] Tom Kerchner\n  Hank's pump is throwing BLOCKAGE every 20 min even \
                with new canister and tubing.\n\n\
                [1:24 PM] Dana Whitcomb\n  did you check the tubing for a kink under the \
                dressing? he lies on that side\n";
    assert_has(&s, chat, Label::Person, "Hank");
    assert!(s.scan(chat).contains_phi, "{:?}", labels(&s, chat));
    // (A given name before what is no one's care is no patient's: "Hank's truck".)
    assert_lacks(
        &s,
        "[1:22 PM] Tom Kerchner\n  Hank's truck is blocking dock B again.\n",
        Label::Person,
        "Hank",
    );
    // A payroll service's timesheet table lists staff, not patients.
    let payroll = "From: PayLedger Workforce <notifications@payledger.com>\n\
                   To: Keisha Brandt <kbrandt@summitridgevision.com>\n\
                   Subject: 3 timesheets pending approval\n\n\
                   The following timesheets are awaiting your approval.\n\n\
                   EMPLOYEE            EMP ID    DEPT          REG HRS   OT HRS   EXCEPTIONS\n\
                   Okafor, Tamsin      E-10422   Clinical      80.00     3.50     Missed punch 10/07 out\n\
                   Santiago, Lupe      E-10468   Front Office  64.00     0.00     PTO 8.00 pending\n";
    assert!(!s.scan(payroll).contains_phi, "{:?}", labels(&s, payroll));
    // An occupational clinic's table of the employees it tested lists patients.
    let tested = payroll
        .replace(
            "DEPT          REG HRS   OT HRS   EXCEPTIONS",
            "TEST          RESULT",
        )
        .replace(
            "Clinical      80.00     3.50     Missed punch 10/07 out",
            "UDS 10-panel  negative",
        )
        .replace(
            "Front Office  64.00     0.00     PTO 8.00 pending",
            "UDS 10-panel  positive",
        );
    assert!(s.scan(&tested).contains_phi, "{:?}", labels(&s, &tested));
}

#[test]
fn a_church_a_charitys_site_and_a_registry_subject_in_prose() {
    let s = Scanner::new();
    // "Church" ends a church's name, though it is a surname too; a van's stop at a charity.
    let stops = "Confirmed June dates for our nurse to ride along:\n  \
                 Tue 6/10  1:00-4:00 PM   Salvation Army, 50 E. King Street\n  \
                 Tue 6/17  1:00-4:00 PM   Grace Church, 212 N. Duke Street\n\
                 People tested (HCV Ab rapid): 47. Reactive: 19.\n";
    assert_no_label(&s, Label::Person, &[stops]);
    assert_no_label(&s, Label::Address, &[stops]);
    assert!(!s.scan(stops).contains_phi, "{:?}", labels(&s, stops));
    assert_has(
        &s,
        "Mrs. Church called about her hepatitis C results from 3/14.",
        Label::Person,
        "Church",
    );
    // A registry's subject, named by its letters and digits in prose, is one person.
    let registry = "Subject LMN-0287 consented at her 10/02/2025 clinic visit, but the ICF is \
                    not in the binder.";
    assert_has(&s, registry, Label::OtherId, "LMN-0287");
    assert_no_label(
        &s,
        Label::OtherId,
        &[
            "Re the subject PO-4471 delivery: the carton arrived dented.",
            "Subject: PO-4471 delivery\n",
        ],
    );
}

#[test]
fn a_forms_town_and_zip_code_behind_a_dotted_leader() {
    let s = Scanner::new();
    let intake = "DONOR INTAKE - Kaylee Morrow (patient)\n\
                  City / State ........... Lakewood, CO\n\
                  ZIP .................... 80226\n\
                  Phone .................. (720) 555-0193\n";
    assert_has(&s, intake, Label::Address, "Lakewood, CO");
    assert_has(&s, intake, Label::Zip, "80226");
    // (Not a dotted line of prose: "ZIP ... we'll mail it" has no code.)
    assert_no_label(
        &s,
        Label::Zip,
        &["Patient asked about the ZIP ....... we will mail the kit to the clinic."],
    );
    assert_no_label(
        &s,
        Label::Address,
        &["Patient asked about the City / State ........... form; none given."],
    );
}

#[test]
fn surnames_the_1990_census_undercounted_are_names() {
    let s = Scanner::new();
    // Surnames at least 1,000 Americans bore in 2010 that the 1990 list lacks: a caller's
    // surname alone opens the note.
    for name in ["Okafor", "Mensah", "Shrestha", "Diallo"] {
        let note = format!(
            "Subject: cb pls\n\n{name} called back re the deductible, wants to pay by card \
             over the phone."
        );
        assert_has(&s, &note, Label::Person, name);
    }
    // (A made-up word in the same place is not a name.)
    assert_no_label(
        &s,
        Label::Person,
        &[
            "Subject: cb pls\n\nZorblatt called back re the deductible, wants to pay by card \
           over the phone.",
        ],
    );
}

#[test]
fn a_name_after_a_record_keepers_field_is_staff() {
    let s = Scanner::new();
    // Who did the organisation's work on a record: a member of staff.
    assert_no_label(
        &s,
        Label::Person,
        &[
            "Report: CLINIC_WEEKLY_v2\nPrepared by: Janelle Okafor\nReviewed by: Joanne \
             Pettibone\nQuestions: (717) 555-0198",
            "Call received: 04/08/2025 10:41\nTotal consult: 17 min | Logged by: Joanne \
             Pettibone\n",
            "Also our new midwife Tess Vandermolen needs the Nexplanon training before May.",
        ],
    );
    // A relative named in such a field is still one; a patient after "Received by" too.
    assert_has(
        &s,
        "Consent form\nCompleted by: Rosa Kaur (mother)\n",
        Label::Person,
        "Rosa Kaur",
    );
    // An occupational health clinic's employee or driver is its patient.
    assert_has(
        &s,
        "FMLA certification - employee Tamika Rowe - case LV-2025-118406",
        Label::Person,
        "Tamika Rowe",
    );
}

#[test]
fn a_magnetic_resonance_order_in_capitals_is_no_mans_name() {
    let s = Scanner::new();
    assert_no_label(
        &s,
        Label::Person,
        &[
            "Studies received:\n  1. MR SHOULDER RT WO/W CONTRAST   study date 02/11/2026\n  \
             2. MR KNEE LT WO CONTRAST\n",
            "Protocol note: MR BRAIN WO CONTRAST for all new seizure referrals.",
            "MR PELVIS W/WO for staging is now a 60-minute slot.",
        ],
    );
    // A title in capitals before a surname stays one.
    assert_has(
        &s,
        "MR JONES called about his bill.",
        Label::Person,
        "JONES",
    );
}

#[test]
fn a_visit_sessions_joined_and_ended_stamps_are_the_patients_dates() {
    let s = Scanner::new();
    let log = "VIRTUCARE SESSION SUMMARY\nPatient joined:     03/11/2025 09:27:14\n\
               SESSION ENDED ..... 2025-10-14 12:19:02 EDT\n";
    assert_has(&s, log, Label::Date, "03/11/2025 09:27:14");
    assert_has(&s, log, Label::Date, "2025-10-14 12:19:02");
    // A fax's received stamp and a report's run stamp, to the second, are a system's.
    assert_no_label(
        &s,
        Label::Date,
        &[
            "Fax received:       03/11/2025 09:27:14\nPages: 3",
            "Report generated: 2025-10-14 12:19:02\nRows: 41",
        ],
    );
}

#[test]
fn a_capitalised_given_name_signs_a_patients_mail_after_a_closing_word() {
    let s = Scanner::new();
    let mail = |closing: &str| {
        format!(
            "From: cmorrow88@gmail.com\nTo: scheduling@brookclinic.org\nSubject: appt\n\n\
             hi i need to move my results appointment, my sister cant drive me that day\n\n\
             {closing}\nMeg\n\nSent from my iPhone\n"
        )
    };
    assert_has(&s, &mail("thx"), Label::Person, "Meg");
    // (The clinic's own reply, signed by a colleague, is not a patient's.)
    assert_no_label(
        &s,
        Label::Person,
        &[
            "From: Scheduling <scheduling@brookclinic.org>\nTo: Front desk \
           <frontdesk@brookclinic.org>\nSubject: room change\n\nRoom 4 is ready again.\n\nthx\n\
           Meg\n",
        ],
    );
}

#[test]
fn a_staff_tables_employee_column_and_a_trip_from_a_town() {
    let s = Scanner::new();
    // The employee's column of a staff table, wherever it stands, lists colleagues.
    assert_no_label(
        &s,
        Label::Person,
        &[
            "Attached is the January roster.\n\nline,start_date,employee,department,extension,hours\n\
           1,2026-01-07,Pham Quoc Bao,Front desk,4410,38.5\n\
           2,2026-01-13,Rommel Bautista,Front desk,4411,40\n",
        ],
    );
    // A town one drives up from is a place, though its first word is a given name.
    let trip = "My husband Doug and I are driving up from Marlow Springs, we'll be at the \
                trailhead by 9.";
    assert_lacks(&s, trip, Label::Person, "Marlow Springs");
    assert_has(&s, trip, Label::Person, "Doug");
}

#[test]
fn a_surname_before_a_case_number_of_hyphenated_digit_groups_and_who_joined_in_brackets() {
    let s = Scanner::new();
    let note = "Hi Denise,\n\nQuick one. Haddad (JP-24-1187) is on the list for the detention \
                review hearing Thursday 3/20 at 1:30.\n";
    assert_has(&s, note, Label::Person, "Haddad");
    // (A product's code in brackets after a maker's name is no patient's.)
    assert_lacks(
        &s,
        "We ordered the Pierce (CV-22-4088) reagent kit for the lab.",
        Label::Person,
        "Pierce",
    );
    let log = "Session\n  Joined (claimant):    03/11/2025 09:57:41 AM\n  Ended:                \
               03/11/2025 10:41:02 AM\n";
    assert_has(&s, log, Label::Date, "03/11/2025 09:57:41 AM");
    assert_has(&s, log, Label::Date, "03/11/2025 10:41:02 AM");
}

#[test]
fn a_spanish_quoted_header_starts_the_patients_own_block() {
    let s = Scanner::new();
    let reply = |quoted_from: &str| {
        format!(
            "From: Lab Billing - Teresa Vela <tvela@kvhealth.org>\nTo: Hector Quintero \
             <hquintero72@hotmail.com>\nSubject: RE: factura\n\nBuenos dias Sr. Quintero,\n\n\
             Ya volvi a enviar el reclamo.\n\nTeresa Vela\nBilling Specialist\nTel. (717) \
             555-0188\n\n-----Mensaje original-----\n{quoted_from}\nEnviado: lunes, 13 de \
             octubre de 2025 19:05\nPara: billing-lab@kvhealth.org\nAsunto: factura\n\n\
             Recibi una factura. If is easier you can call me at (717) 555-0194 after 5 pm.\n\n\
             Gracias,\nHector Quintero\n"
        )
    };
    // The quoted writer is the patient: "call me at" gives the patient's number.
    let quoted = reply("De: Hector Quintero <hquintero72@hotmail.com>");
    assert_has(&s, &quoted, Label::Phone, "(717) 555-0194");
    assert_lacks(&s, &quoted, Label::Phone, "(717) 555-0188");
    // Without a mailbox, "De:" is prose and the reply's writer (staff) still speaks.
    assert_lacks(
        &s,
        &reply("De: parte de Hector Quintero"),
        Label::Phone,
        "(717) 555-0194",
    );
}

#[test]
fn a_plans_reference_and_an_exports_key_are_one_persons_request() {
    let s = Scanner::new();
    let denial = "Member: Jane Whitlock, DOB 07/18/1996\nYour request was not approved. You may \
                  appeal within 60 calendar days of this notice. Reference PA-2025-7730419.\n";
    assert_has(&s, denial, Label::OtherId, "PA-2025-7730419");
    // A lab value's range, a purchase order and a vendor's refund are no one's request.
    let labs = "Jane Whitlock, DOB 07/18/1996\nTSH: 5.6 mIU/L (reference 0.4-4.0)\n\
                Hemoglobin: 13.4 g/dL (reference 12.0-17.5)\n";
    assert_no_label(&s, Label::OtherId, &[labs]);
    assert_no_label(
        &s,
        Label::OtherId,
        &[
            "Please send the invoice to our billing contact; reference PO 7700-2214.",
            "Your card was refunded. Refund reference RF-00731944; allow 5-10 business days.",
        ],
    );
    // Alone, a reference does not make a vendor's maintenance notice PHI.
    let notice = "Subject: Scheduled maintenance\n\nThe portal is down Sunday from 1:00 AM to \
                  3:30 AM.\n  Reference: MNT-2025-1019\n";
    assert!(!s.scan(notice).contains_phi);
    let export = "key,patient_name,patient_dob,drug,payer,member_id,status,payer_ref\n\
                  AB7K2QX9,Delacroix Renee,1979-07-22,Zepbound 5mg,Buckeye,BMH771204389,DENIED,\
                  PA-26-0310-884172\n\
                  AB7M4RT2,Nakamura Jun,1983-01-30,Wegovy 2.4mg,Great Lakes,GLM337810265,\
                  APPROVED,PA-GL-7731902\n";
    assert_has(&s, export, Label::OtherId, "AB7K2QX9");
    assert_has(&s, export, Label::OtherId, "PA-GL-7731902");
    let manifest = "kvh_accession,last_name,first_name,dob,sex,test_code\n\
                    CG25-041698,Whitlock,Genevieve,1996-07-18,F,CHR\n";
    assert_has(&s, manifest, Label::OtherId, "CG25-041698");
}

#[test]
fn an_employee_number_an_appointment_id_and_an_accession_in_prose() {
    let s = Scanner::new();
    let mail = "From: Nicole Hart <nhart77@gmail.com>\n\nPlease send the work note to my HR. \
                My employee number there is HL-0047731 if they need it.\n";
    assert_has(&s, mail, Label::OtherId, "HL-0047731");
    let reminder = "Patient: Jane Whitlock\n  Visit: follow-up (video), 20 min\n  Appt ID:  \
                    APT-5520918\n";
    assert_has(&s, reminder, Label::OtherId, "APT-5520918");
    let lab = "The amniotic fluid for Mrs. Whitlock arrived at room temp. Accessioned as \
               CG25-041811. We've set up tissue culture.";
    assert_has(&s, lab, Label::OtherId, "CG25-041811");
}

#[test]
fn drugs_the_package_lists_by_their_drugbank_name_are_found() {
    let s = Scanner::new();
    let note = "Patient Jane Whitlock is not on ketoconazole or metyrapone. Options: lanreotide \
                vs pasireotide LAR; cosyntropin stim at 8:00; Solu-Cortef 100 mg IM if vomiting.";
    for drug in ["metyrapone", "pasireotide", "cosyntropin", "Solu-Cortef"] {
        assert_has(&s, note, Label::Medication, drug);
    }
    // (Endogenous hormones and sweeteners the package also lists are no drugs here.)
    assert_no_label(
        &s,
        Label::Medication,
        &["Aldosterone and renin were drawn at 8 am; the drink had sucralose in it."],
    );
}

#[test]
fn a_surname_alone_in_a_part_of_the_subject_is_the_patients() {
    let s = Scanner::new();
    let mail = "From: Lonnie Park <lpark@stonewaterrx.com>\nTo: Tasha Bell <tbell@stonewaterrx.com>\n\
                Subject: failed delivery - Okonkwo - Tremfya\n\nJavi was at the door at 2:10, no \
                answer. Okonkwo needs the injection before Friday; please call to reschedule.\n";
    assert_has(&s, mail, Label::Person, "Okonkwo");
    // A surgeon's block and a dialysis unit's town are named the same way.
    let block = "From: Gina Ross <gross@keelwater.com>\nTo: OR Scheduling <or@keelwater.com>\n\
                 Subject: Case request - Mercer - 11/12/2025\n\nPlease book the following for Dr. \
                 Mercer's Wednesday OR block: cataract surgery, right eye.\n";
    assert_lacks(&s, block, Label::Person, "Mercer");
    let site = "From: Kim Lutz <klutz@harborkidney.com>\nTo: Unit RNs <rns@harborkidney.com>\n\
                Subject: Wooster - November monthly labs\n\nNovember monthlies for your Wooster \
                patients are below; two hemoglobins under 9.\n";
    assert_lacks(&s, site, Label::Person, "Wooster");
}

#[test]
fn a_screening_logs_initials_and_a_chart_number_after_the_name_in_the_subject() {
    let s = Scanner::new();
    let log = "screen_id,mrn,initials,dob,study,status\n\
               2291-114-S012,00644102,R.T.,1958-04-21,ALD-NO-2291,ENROLLED\n\
               2291-114-S013,00601377,D.W.K.,1971-11-09,ALD-NO-2291,SCREEN FAIL\n";
    assert_has(&s, log, Label::Person, "R.T.");
    assert_has(&s, log, Label::Person, "D.W.K.");
    // (A staff table's initials column is no patient's: no chart number or birth date in it.)
    assert_lacks(
        &s,
        "shift,nurse,initials,unit\nnight,Dana Ruiz,D.R.,4W\nday,Kim Lutz,K.L.,4W\n",
        Label::Person,
        "D.R.",
    );
    let mail = "From: Carla Voss <cvoss@brightwater.org>\nTo: Keto RN <keto@brightwater.org>\n\
                Subject: RE: quarterly keto labs - Adebayo, Zuri 20501163\n\nBooked. Fasting \
                draw Thursday at 7:30.\n\n> Subject: quarterly keto labs - Adebayo, Zuri \
                20501163\n> Please schedule the fasting labs.\n";
    assert_has(&s, mail, Label::Mrn, "20501163");
    // (A number after a part that is no name stays a number.)
    assert_lacks(
        &s,
        "Subject: RE: invoice - Supplies, March 20501163\n\nPaid.\n\n> Subject: invoice - \
         Supplies, March 20501163\n",
        Label::Mrn,
        "20501163",
    );
}

#[test]
fn a_system_link_with_a_patient_in_its_query_is_the_patients() {
    let s = Scanner::new();
    let mail = |link: &str| {
        format!(
            "From: Virtual Care <virtualcare-alerts@kvuhealth.org>\nTo: Tobias Lind, MD \
             <tlind@kvuhealth.org>\nSubject: Connection quality alert\n\nPATIENT ...... \
             DELACROIX-BANE, MARGUERITE\nSESSION ENDED ... 02/11/2025 10:50:33 (PATIENT \
             DISCONNECTED)\n\nREJOIN LINK (VALID 60 MIN):\n  {link}\n"
        )
    };
    let patient = "https://visit.kvuhealth.org/j/7Rk2xQ9mWv?pid=553018";
    assert_has(&s, &mail(patient), Label::Url, patient);
    // (The same system's link to its own report, no patient in its query, is the system's.)
    let report = "https://visit.kvuhealth.org/reports/view?run=RPT-20250211-88213";
    assert_lacks(&s, &mail(report), Label::Url, report);
}

#[test]
fn a_claims_patient_control_number_written_with_a_hash_is_an_account() {
    let s = Scanner::new();
    let remit = "PATIENT:         WHITLOCK, DOLORES\n  MBI:             4TK9-WR2-HN57\n  PAT CTRL #:      \
                 400198342\n  ICN:             2202528144\n";
    assert_has(&s, remit, Label::Account, "400198342");
    // (A purchase order's control number is no patient's account.)
    assert_no_label(
        &s,
        Label::Account,
        &["Supplies received.\nPO control #: 400198342\nInvoice due 30 days."],
    );
}

#[test]
fn a_biologic_with_its_makers_four_letter_suffix_is_one_drug() {
    let s = Scanner::new();
    for (text, drug) in [
        (
            "Non-preferred: adalimumab-aaty (Yuflyma) for new starts.",
            "adalimumab-aaty",
        ),
        (
            "Copay Assistance - bimekizumab-bkzx (BIMZELX) approved.",
            "bimekizumab-bkzx",
        ),
        (
            "Drug: Vyvgart (efgartigimod alfa-fcab) 10 mg/kg IV",
            "efgartigimod alfa-fcab",
        ),
        // A name the dictionary lacks, with a generic name's stem.
        ("switched to ravolimab-kxtn last month", "ravolimab-kxtn"),
    ] {
        assert!(has(&s, text, Label::Medication, drug), "{text}");
    }
    // A drug's name and an English word of four letters: no biologic.
    let text = "heparin-free flush and insulin-like growth factor";
    assert!(!has(&s, text, Label::Medication, "heparin-free"));
    assert!(!has(&s, text, Label::Medication, "insulin-like"));
    // No drug before the suffix.
    assert!(!has_label(
        &s,
        "see ticket ABC-wxyz and order-aaty",
        Label::Medication
    ));
}

#[test]
fn a_spanish_writers_accents_on_a_drugs_name() {
    let s = Scanner::new();
    let text = "Sigue tomando losartán 50 mg y ondansetrón si tiene náuseas.";
    assert!(has(&s, text, Label::Medication, "losartán"));
    assert!(has(&s, text, Label::Medication, "ondansetrón"));
    // Accented words that are no drug once folded.
    assert!(!has_label(
        &s,
        "Mañana a las tres, después de la sesión.",
        Label::Medication
    ));
}

#[test]
fn how_long_a_drive_is_is_no_street() {
    let s = Scanner::new();
    for text in [
        "i live in dothan so its about a 6 hrs drive to yall",
        "it's a 45 minute drive for us each way",
        "about 2 hour drive, can we do telehealth",
        "she is 20 min drive away",
    ] {
        assert!(!has_label(&s, text, Label::Address), "{text}");
    }
    assert!(has(
        &s,
        "Patient lives at 6 Hollow Drive, Camp Hill, PA 17011.",
        Label::Address,
        "6 Hollow Drive, Camp Hill, PA"
    ));
}

#[test]
fn a_number_someone_will_call_or_is_asked_to_call_back_is_the_patients() {
    let s = Scanner::new();
    for (text, phone) in [
        (
            "Patient: Elias Georgiou\nDelivery window: 10/14/2025 4:00-7:00 PM (driver will call (717) 555-0904 30 min ahead)",
            "(717) 555-0904",
        ),
        (
            "Re: Ann Lee. Someone must be home to let our tech in, he will call 440-555-3021 first.",
            "440-555-3021",
        ),
        (
            "Mrs. Lee called about her MRI and wants a call back at 614.555.0186 after 3.",
            "614.555.0186",
        ),
        (
            "INTERPRETER REQUEST\nPatient:   TRAN, MINH\nFamily contact:       (717) 555-0827\n",
            "(717) 555-0827",
        ),
    ] {
        assert!(has(&s, text, Label::Phone, phone), "{text}");
    }
    // The reader, the patients or a patient writing call the office; a transport form's
    // "WILL CALL" is a pick-up on request; a bare "Call back" is the office's line.
    for (text, phone) in [
        (
            "Ann Lee, DOB 01/02/1950: you will call 717-555-0140 to confirm the time.",
            "717-555-0140",
        ),
        (
            "Ann Lee, DOB 01/02/1950\nRETURN ............. WILL CALL  (717) 555-0300",
            "(717) 555-0300",
        ),
        (
            "hi its ann lee dob 1/2/1950, I will call (717) 555-0140 tomorrow",
            "(717) 555-0140",
        ),
        (
            "Rx clarification needed for Ann Lee, DOB 01/02/1950. Call back 620-555-0117.",
            "620-555-0117",
        ),
    ] {
        assert!(!has(&s, text, Label::Phone, phone), "{text}");
    }
}

#[test]
fn a_day_named_by_its_weekday_and_ordinal_is_a_date() {
    let s = Scanner::new();
    for (text, day) in [
        (
            "hi its brenda, my son had his skull surgery with Doctor Kettering on Friday the 7th and his eyes are swollen",
            "Friday the 7th",
        ),
        (
            "Voicemail: this is Carl Haines, I'm having my knee replacement on Thursday the twelfth and nobody called me",
            "Thursday the twelfth",
        ),
        (
            "Ms. Ortiz asked to move her infusion to Monday the twenty-third, same time.",
            "Monday the twenty-third",
        ),
    ] {
        assert!(has(&s, text, Label::Date, day), "{:?}", labels(&s, text));
    }
    assert!(has(
        &s,
        "my dad Walter Greer has the heart cath on Friday, the fourteenth, and nobody called",
        Label::Date,
        "Friday, the fourteenth"
    ));
    // A weekday with no ordinal after it, an ordinal that counts something.
    for text in [
        "Holiday the 4th floor will be closed for Ms. Ortiz's unit.",
        "Ms. Ortiz: Thursday the infusion room is closed.",
    ] {
        assert!(
            !labels(&s, text)
                .iter()
                .any(|(l, v)| *l == Label::Date && v.contains("the ")),
            "{:?}",
            labels(&s, text)
        );
    }
}

#[test]
fn a_writers_cell_after_a_clause_about_work_and_a_relatives_power_of_attorney() {
    let s = Scanner::new();
    let text = "From: Tomasz W <t.wierzbicki77@outlook.com>\nTo: billing@coldwaterridgedental.com\n\n\
                I want someone to call me about my crown. I'm at work until 5, cell is 412-555-0164.";
    assert!(
        has(&s, text, Label::Phone, "412-555-0164"),
        "{:?}",
        labels(&s, text)
    );
    let poa = "Voicemail: my name is Deshawn Tillery, I'm calling for my father, Eugene Tillery. I'm \
               his power of attorney so please call me at 717-555-0455 before you schedule.";
    assert!(
        has(&s, poa, Label::Phone, "717-555-0455"),
        "{:?}",
        labels(&s, poa)
    );
    // A work line is still the office's.
    let office = "Patient Ann Lee, DOB 01/02/1950. Reach Dr. Patel at the office, direct line \
                  717-555-0190.";
    assert!(
        !has(&s, office, Label::Phone, "717-555-0190"),
        "{:?}",
        labels(&s, office)
    );
}

#[test]
fn a_link_carrying_a_staff_recipients_mailbox_name_is_theirs() {
    let s = Scanner::new();
    let course = "From: SwallowEd Learning <registrations@swallowed-learning.com>\n\
                  To: Jonah Ellery <jellery@harrowcreekswallow.com>\nSubject: You're registered\n\n\
                  Join link (unique to you, do not share): \
                  https://swallowed-learning.com/live/join?r=jellery-82F1\n";
    assert!(
        !has_label(&s, course, Label::Url),
        "{:?}",
        labels(&s, course)
    );
    // A patient's link in mail to the same member of staff is still the patient's, and so is a
    // link the line calls the patient's though the provider's name is in it.
    let patient = "From: Portal <noreply@visitbridge-health.com>\n\
                   To: Priya Raman <praman@hbtrc.org>\nSubject: visit for Ann Lee, DOB 01/02/1950\n\n\
                   Patient join link: https://visit.visitbridge-health.com/j/hbtrc-praman?t=Qm4x7KpA2vR9\n";
    assert!(
        has_label(&s, patient, Label::Url),
        "{:?}",
        labels(&s, patient)
    );
}

#[test]
fn a_business_or_systems_id_field_is_no_phone_number() {
    let s = Scanner::new();
    let notice = "CareBridge Patient Lending - Provider Decision Notice\n\
                  Merchant: Coldwater Ridge Prosthodontics   Merchant ID: 400-118-7730\n\
                  Applicant: Maureen A. Tillotson, DOB 12/11/1959\n";
    assert!(
        !has(&s, notice, Label::Phone, "400-118-7730"),
        "{:?}",
        labels(&s, notice)
    );
    // A patient's ID shaped like a phone number still counts, and so does a caller's number.
    let member = "Patient: Ann Lee DOB 1/2/1950\nMember ID: 717-555-0123";
    assert!(
        labels(&s, member).iter().any(|(_, v)| v == "717-555-0123"),
        "{:?}",
        labels(&s, member)
    );
    let vm = "New voicemail for Ann Lee, DOB 1/2/1950\nCaller ID: (717) 555-0188";
    assert!(
        has(&s, vm, Label::Phone, "(717) 555-0188"),
        "{:?}",
        labels(&s, vm)
    );
}

#[test]
fn a_spanish_weekday_and_the_days_number_is_a_date() {
    let s = Scanner::new();
    for (text, day) in [
        (
            "hola buenos dias, soy la hija de Lucía Marroquín, ella tiene cita el jueves 16 con el Dr Adeyemi",
            "jueves 16",
        ),
        (
            "esta semana no puede venir el miércoles 4 ni el viernes 6, ¿puede mandar a otra persona?",
            "miércoles 4",
        ),
    ] {
        assert!(has(&s, text, Label::Date, day), "{:?}", labels(&s, text));
    }
    // Office hours and times are no visit's day.
    for text in [
        "Horario: lunes a viernes 8-5, sábado 9-1. Llame al 717-555-0100.",
        "La clínica abre el viernes 9:30 y el sábado 10 am.",
    ] {
        assert!(!has_label(&s, text, Label::Date), "{:?}", labels(&s, text));
    }
}

#[test]
fn a_spanish_writers_cell_and_a_writers_number_after_paying_by_phone() {
    let s = Scanner::new();
    let es = "Mi hija tiene dolor desde ayer, ¿pueden verla hoy? Mi celular es 717-555-0817, hablo \
              poco inglés.\n\nGracias,\nRosaura";
    assert!(
        has(&s, es, Label::Phone, "717-555-0817"),
        "{:?}",
        labels(&s, es)
    );
    let pay = "From: Jake Morrow <jmorrow88@gmail.com>\n\nIs there a fee for the FMLA form? I can \
               pay over the phone, my number is (717) 555-0738.";
    assert!(
        has(&s, pay, Label::Phone, "(717) 555-0738"),
        "{:?}",
        labels(&s, pay)
    );
    // The biller's number to pay at stays the biller's; a Michigan address's "MI" is no "my".
    let bill = "Statement for Ann Lee, DOB 01/02/1950. To pay by phone, call (717) 555-0180.";
    assert!(
        !has(&s, bill, Label::Phone, "(717) 555-0180"),
        "{:?}",
        labels(&s, bill)
    );
    let mi = "Referral for Ann Lee, DOB 01/02/1950.\nLakeline Pharmacy #14, 1190 Henry St, Muskegon, \
              MI   (231) 555-0170   Fax (231) 555-0171";
    assert!(
        !has(&s, mi, Label::Phone, "(231) 555-0170"),
        "{:?}",
        labels(&s, mi)
    );
}

#[test]
fn a_days_ordinal_in_a_sentence_about_a_visit_is_a_date() {
    let s = Scanner::new();
    for (text, day) in [
        (
            "From: Ann Lee <annlee62@gmail.com>\n\nshould i bring her in or just wait for her appt on the 17th? she has no fever",
            "17th",
        ),
        (
            "Mrs. Ortiz, DOB 02/03/1961: I'd like to see you sooner than your follow-up on the 25th.",
            "25th",
        ),
    ] {
        assert!(has(&s, text, Label::Date, day), "{:?}", labels(&s, text));
    }
    // No visit in the sentence, a floor, a dose, a month's day named with its month (the date
    // patterns read that one whole).
    for (text, not) in [
        (
            "From: Ann Lee <annlee62@gmail.com>\n\nI get paid on the 15th, can I pay then?",
            "15th",
        ),
        (
            "Mrs. Ortiz, DOB 02/03/1961: check in for your appointment on the 2nd floor.",
            "2nd",
        ),
        (
            "Mrs. Ortiz, DOB 02/03/1961: the infusion was stopped before the 3rd dose.",
            "3rd",
        ),
    ] {
        assert!(!has(&s, text, Label::Date, not), "{:?}", labels(&s, text));
    }
    let month = "My appointment is the 19th of June at 10 o clock, my date of birth is 4/5/1950";
    assert!(
        labels(&s, month)
            .iter()
            .any(|(l, v)| *l == Label::Date && v.starts_with("19th of June")),
        "{:?}",
        labels(&s, month)
    );
}

#[test]
fn a_word_and_a_short_number_in_a_link_and_a_title_after_a_relative_cue_are_no_patients() {
    let s = Scanner::new();
    let flyer = "Research study: TRAIL-21, walking and balance in adults with fragile X.\n\
                 Principal investigator: Alan Okonkwo-Reyes, MD\n\
                 Call (412) 555-0122 or visit https://www.ridgefield.edu/trail21";
    assert!(!has_label(&s, flyer, Label::Url), "{:?}", labels(&s, flyer));
    let class = "Dear families and care partners,\n\nOur spring Caregiver Skills Workshop is free.";
    assert!(
        !has_label(&s, class, Label::Person),
        "{:?}",
        labels(&s, class)
    );
    // A token in a link and a relative's name after the cue still count.
    let link = "Your survey, Ann Lee: https://survey.example.org/s/RVAC/7Hk29QmXv3";
    assert!(has_label(&s, link, Label::Url), "{:?}", labels(&s, link));
    let son = "Pt lives with her son Tavio, who drives her to dialysis.";
    assert!(
        has(&s, son, Label::Person, "Tavio"),
        "{:?}",
        labels(&s, son)
    );
}

#[test]
fn a_spanish_weekday_before_a_las_and_enzyme_replacement_drugs() {
    let s = Scanner::new();
    let es =
        "hola, soy la mamá de Mateo, él tiene su infusión el lunes 14 a las 10 pero tiene examen";
    assert!(has(&s, es, Label::Date, "lunes 14"), "{:?}", labels(&s, es));
    let range = "Horario de la clínica: lunes 2 a viernes 6, de 8 a 5. Llame al 717-555-0100.";
    assert!(
        !has_label(&s, range, Label::Date),
        "{:?}",
        labels(&s, range)
    );
    let ert = "Compare ERT (imiglucerase, velaglucerase alfa, taliglucerase alfa) and agalsidase \
               beta (Fabrazyme) or pegunigalsidase alfa (Elfabrio).";
    for drug in [
        "velaglucerase alfa",
        "taliglucerase alfa",
        "agalsidase beta",
        "Fabrazyme",
        "pegunigalsidase alfa",
        "Elfabrio",
    ] {
        assert!(
            has(&s, ert, Label::Medication, drug),
            "{drug}: {:?}",
            labels(&s, ert)
        );
    }
}

#[test]
fn colleagues_greeted_with_a_doctor_and_a_vendors_stock_and_footer_are_no_patients() {
    let s = Scanner::new();
    let invitation = "From: Ashley Brenneman <abrenneman@meridianwoundtech.com>\n\
                      To: araman@svlsc-foot.org; cbrandt@svlsc-foot.org\n\n\
                      Dr. Raman, Dr. Lindqvist and Ms. Brandt,\n\n\
                      I'd love to have your team join us for an evening program on NPWT.";
    assert!(
        !has_label(&s, invitation, Label::Person),
        "{:?}",
        labels(&s, invitation)
    );
    // A patient greeted alone is still named.
    let reply = "From: Tess Yoder <tyoder@svlsc-foot.org>\nTo: Nora Brandt <nbrandt62@gmail.com>\n\n\
                 Dear Ms. Brandt,\n\nYour wound looks better. Keep the dressing dry until 10/21.";
    assert!(
        has(&s, reply, Label::Person, "Brandt"),
        "{:?}",
        labels(&s, reply)
    );
    let count = "Subject: Q1 consignment count - Camp Hill\n\n\
                 MN-3220    Helix 32 Rechargeable IPG    SN HX3220-77120 06/30/2027  1\n\
                 MN-1180    Vantage lead, 60 cm          LT24-09912      08/31/2026  6";
    assert!(
        !has_label(&s, count, Label::Device),
        "{:?}",
        labels(&s, count)
    );
    // A patient's pump: the serial number ends before the next column's date.
    let pump = "Mr. Abel Ruiz had his pump exchanged; pump SN HX3220-77120 06/30/2027 per the log.";
    assert!(
        has(&s, pump, Label::Device, "HX3220-77120"),
        "{:?}",
        labels(&s, pump)
    );
    let release = "Customer: Susquehanna Valley Pain & Spine (Site ID CP-PA-05521)\n\
                   Scheduled deployment: 03/15/2025 22:00 ET";
    assert!(
        !has_label(&s, release, Label::OtherId),
        "{:?}",
        labels(&s, release)
    );
    let auth = "Prior auth for Ms. Lee approved (KC-PA-2503-1177420).";
    assert!(
        has(&s, auth, Label::OtherId, "KC-PA-2503-1177420"),
        "{:?}",
        labels(&s, auth)
    );
    let lots =
        "Recall: Lots: HCQ24117A (exp 10/2026), HCQ24122B. Patients on HCQ 200 mg were called.";
    let found: Vec<_> = labels(&s, lots)
        .into_iter()
        .filter(|(l, _)| *l == Label::Medication)
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    let footer = "Thanks for riding with us.\n\n\
                  KeyRide NEMT, 610 Transit Center Blvd, Lancaster Fields, PA 17601";
    assert!(
        !has_label(&s, footer, Label::Address),
        "{:?}",
        labels(&s, footer)
    );
    let home = "Pt Dolores Fenn, DOB 3/4/1950, pickup at home.\n\
                Residence, 87 Millrace Ln, New Cumberland, PA 17070";
    assert!(
        has_label(&s, home, Label::Address),
        "{:?}",
        labels(&s, home)
    );
}

#[test]
fn an_unknown_surname_in_a_list_of_known_ones_is_a_patient() {
    let s = Scanner::new();
    let eod = "EOD loose ends:\n\
               - Mellinger - admitted PVG, rm 5 West, wife asking about shoes.\n\
               - Weidman - VM about odor, sent to ED for IV abx.\n\
               - Kachmar - pharmacy hold: changed to celecoxib.";
    assert!(
        has(&s, eod, Label::Person, "Kachmar"),
        "{:?}",
        labels(&s, eod)
    );
    // Unknown words opening a list with one known surname are no one's.
    let agenda = "Agenda:\n- Budget - review the numbers.\n- Quarterly - staffing plans.\n\
                  - Weidman - VM about odor, sent to ED for IV abx.\n- Kachmar - new permits.\n\
                  - Zorbly - nothing.";
    assert!(
        !has(&s, agenda, Label::Person, "Kachmar"),
        "{:?}",
        labels(&s, agenda)
    );
}

#[test]
fn a_voicemail_callers_number_then_name_and_a_labelled_surname_alone() {
    let s = Scanner::new();
    let vm = "Subject: New voicemail from (570) 555-0129 - HALLORAN T - 1 min 42 sec\n\n\
              You received a new voicemail.\n\n\
              From:      (717) 555-0193  HALVORSEN D\n\
              Mailbox:   50143 HTC Nurse Line\n\
              Transcription: hi it's about my daughter's factor refill, she bled again.";
    for (label, value) in [
        (Label::Person, "HALLORAN T"),
        (Label::Person, "HALVORSEN D"),
        (Label::Phone, "(570) 555-0129"),
        (Label::Phone, "(717) 555-0193"),
    ] {
        assert!(has(&s, vm, label, value), "{value}: {:?}", labels(&s, vm));
    }
    // A carrier's town and state, a business's name: no caller's name.
    for text in [
        "You have a new voice message.\n\nFrom:       (307) 555-0128  CHEYENNE WY\n\
         Transcription: calling about the invoice for the exam tables.",
        "You have a new voice message.\n\nFrom:       (717) 555-0122 HARLOW VALLEY PE\n\
         Transcription: calling about the invoice.",
    ] {
        assert!(
            !has_label(&s, text, Label::Person),
            "{:?}",
            labels(&s, text)
        );
    }
    let letter =
        "Enrollment hold through 04/15/2026 per Dear Investigator letter dated 02/26/2026.";
    assert!(
        !has_label(&s, letter, Label::Person),
        "{:?}",
        labels(&s, letter)
    );
    let shipment = "Shipment confirmation.\n\nPatient: VANTONGEREN\n\
                    Delivery window: 02/10/2026 4:00-7:00 PM";
    assert!(
        has(&s, shipment, Label::Person, "VANTONGEREN"),
        "{:?}",
        labels(&s, shipment)
    );
    for text in [
        "Patient: Stable\nVitals reviewed, no changes.",
        "Patient: DECEASED\nDOB: 02/10/1940",
        "Patient: JUNIPER  (Canine, Labrador Retriever, F, 14 wk)",
    ] {
        assert!(
            !has_label(&s, text, Label::Person),
            "{:?}",
            labels(&s, text)
        );
    }
    let drugs =
        "Opdualag (nivolumab and relatlimab-rmbw) and Amtagvi; Lymphazurin (isosulfan blue).";
    for drug in ["Opdualag", "Amtagvi", "Lymphazurin", "isosulfan blue"] {
        assert!(
            has(&s, drugs, Label::Medication, drug),
            "{drug}: {:?}",
            labels(&s, drugs)
        );
    }
}

#[test]
fn a_caller_field_a_quoted_caller_id_a_footers_sender_and_a_prosthetists_credential() {
    let s = Scanner::new();
    let care = "Transcription: hi, my son's blood test results, can the doctor call me about his \
                medication.";
    let caller =
        format!("You have a new voicemail.\n\nCaller:     (717) 555-0119  LUTZ KAREN\n{care}");
    assert!(
        has(&s, &caller, Label::Person, "LUTZ KAREN"),
        "{:?}",
        labels(&s, &caller)
    );
    let quoted = format!("You have a new voicemail.\n\nFrom: (717) 555-0288  \"PRUITT D\"\n{care}");
    assert!(
        has(&s, &quoted, Label::Person, "PRUITT D"),
        "{:?}",
        labels(&s, &quoted)
    );
    for caller_id in ["(LAKEPORT WI)", "ST BRENDANS SHLT"] {
        let text =
            format!("You have a new voicemail.\n\nCaller: (608) 555-0152  {caller_id}\n{care}");
        assert!(
            !has(&s, &text, Label::Person, caller_id.trim_matches(['(', ')'])),
            "{:?}",
            labels(&s, &text)
        );
    }
    let footer = "Pt Dolores Fenn, DOB 3/4/1950, asked for her records.\n\n\
                  CONFIDENTIALITY: If you are not the intended recipient, please notify the \
                  sender at (920) 555-0186 and destroy all copies.";
    assert!(
        !has_label(&s, footer, Label::Phone),
        "{:?}",
        labels(&s, footer)
    );
    // A patient's own number in the same message still counts.
    let own = "Pt Dolores Fenn, DOB 3/4/1950, asked for her records; her cell is (920) 555-0143.";
    assert!(
        has(&s, own, Label::Phone, "(920) 555-0143"),
        "{:?}",
        labels(&s, own)
    );
    let hire = "Subject: New hire onboarding - Elliot Vance, CPO (start Mon 12/1)\n\n\
                Name:                 Elliot Vance, CPO\n\
                Start date:           Monday, December 1, 2025";
    assert!(
        !has_label(&s, hire, Label::Person),
        "{:?}",
        labels(&s, hire)
    );
    let drugs = "Non-preferred: Humatrope, Zomacton, Nutropin AQ; ritlecitinib (Litfulo).";
    for drug in ["Humatrope", "Zomacton", "Nutropin AQ", "Litfulo"] {
        assert!(
            has(&s, drugs, Label::Medication, drug),
            "{drug}: {:?}",
            labels(&s, drugs)
        );
    }
}

#[test]
fn a_paralegal_or_an_adjuster_greeted_by_surname_is_no_patient() {
    let s = Scanner::new();
    let law = "From: Tamsin Greer <tgreer@cvhealth.org>\n\
               To: Monique Tran <mtran@brennancastellano-law.com>\n\
               Subject: RE: Records Request - Donna Vukovich - Your File BC-25-0419\n\n\
               Ms. Tran,\n\nWe received your request and the HIPAA authorization for Ms. \
               Vukovich, DOB 11/17/1969.";
    assert!(
        !has(&s, law, Label::Person, "Tran"),
        "{:?}",
        labels(&s, law)
    );
    assert!(
        has(&s, law, Label::Person, "Vukovich"),
        "{:?}",
        labels(&s, law)
    );
    let adjuster = "From: Gus Harlow <gharlow@talusridgemed.com>\n\
                    To: Marcy Ellender <mellender@cdcompins.com>\n\
                    Subject: RE: Records request - Claim WC-24-558107 - Delacroix\n\n\
                    Ms. Ellender,\n\nOffice notes for DOS 05/02/2024 were sent to your fax.";
    assert!(
        !has(&s, adjuster, Label::Person, "Ellender"),
        "{:?}",
        labels(&s, adjuster)
    );
    // A patient greeted at her own mailbox stays a patient.
    let patient = "From: Tamsin Greer <tgreer@cvhealth.org>\n\
                   To: Donna Vukovich <dvukovich@gmail.com>\n\
                   Subject: your results\n\n\
                   Ms. Vukovich,\n\nYour MRI from 10/02/2025 is normal.";
    assert!(
        has(&s, patient, Label::Person, "Vukovich"),
        "{:?}",
        labels(&s, patient)
    );
}

#[test]
fn a_spanish_doctors_title_names_staff_and_antidotes_are_drugs() {
    let s = Scanner::new();
    let letter = "Cita confirmada / Appointment confirmed\n  Fecha: 15 de octubre de 2025\n  \
                  Doctora: Dra. Anjali Rao-Whitfield\n  Paciente: Marisol Ybarra, DOB 03/02/1980";
    assert!(
        !has(&s, letter, Label::Person, "Anjali Rao-Whitfield"),
        "{:?}",
        labels(&s, letter)
    );
    assert!(
        has(&s, letter, Label::Person, "Marisol Ybarra"),
        "{:?}",
        labels(&s, letter)
    );
    let kit = "Antidote kit: hydroxocobalamin (Cyanokit), methylene blue (ProvayBlue), Anascorp \
               and Calcium Disodium Versenate.";
    for drug in [
        "Cyanokit",
        "ProvayBlue",
        "Anascorp",
        "Calcium Disodium Versenate",
    ] {
        assert!(
            has(&s, kit, Label::Medication, drug),
            "{drug}: {:?}",
            labels(&s, kit)
        );
    }
}

#[test]
fn a_weekly_template_and_a_vendors_contract_name_no_patient() {
    let s = Scanner::new();
    let template = "Template changes go live Monday.\n\n\
                    | Day | Time        | Provider     | Block              | Slot   |\n\
                    |-----|-------------|--------------|--------------------|--------|\n\
                    | Mon | 8:00-12:00  | Dr. Lindgren | New neuro-ophth    | 60 min |\n\
                    | Thu | 13:00-17:00 | Dr. Okafor   | Toxin block        | 15 min |\n";
    assert!(
        !has_label(&s, template, Label::Date),
        "{:?}",
        labels(&s, template)
    );
    // A day's list of patients keeps its times, weekday column or not.
    let list = "Tomorrow's chairs:\n\n\
                | Day | Time  | Patient        | MRN      |\n\
                |-----|-------|----------------|----------|\n\
                | Wed | 08:15 | Hollis, Renata | 00482913 |\n";
    assert!(
        has(&s, list, Label::Date, "08:15"),
        "{:?}",
        labels(&s, list)
    );
    let contract = "Our engineer will check in at Suite 310.\n\n\
                    Service contract: SC-PA-00917 (Platinum, expires 06/30/2026)";
    assert!(
        !has_label(&s, contract, Label::OtherId),
        "{:?}",
        labels(&s, contract)
    );
    let auth = "Re: Maren Holt - the insurer approved it, reference SC-PA-00917.";
    assert!(
        has(&s, auth, Label::OtherId, "SC-PA-00917"),
        "{:?}",
        labels(&s, auth)
    );
}

#[test]
fn plates_in_two_groups_a_familys_van_and_a_held_slot() {
    let s = Scanner::new();
    let permit = "Parking permit for baby Greer's parents.\n  \
                  Vehicle:   2016 Nissan Altima, silver, FL plate QJX M47\n  Permit:    NICU";
    assert!(
        has(&s, permit, Label::Vehicle, "QJX M47"),
        "{:?}",
        labels(&s, permit)
    );
    // A second group of letters is a word, not the plate's.
    let word = "Parking for her parents: FL plate QJX MAIN lot.";
    assert!(
        !has(&s, word, Label::Vehicle, "QJX MAIN"),
        "{:?}",
        labels(&s, word)
    );
    let family = "From: shawna pruett <shawnap_1988@yahoo.com>\nTo: NICU <nicu@kidshealth.org>\n\
                  Subject: parking\n\nthe garage charged us. our van plate is JKT 4829 (ohio).";
    assert!(
        has(&s, family, Label::Vehicle, "JKT 4829"),
        "{:?}",
        labels(&s, family)
    );
    // The clinic's own van, in its own mail, is no one's.
    let clinic = "From: Dana Reyes <dreyes@kidshealth.org>\nTo: Staff <staff@kidshealth.org>\n\
                  Subject: parking\n\nour van plate is JKT 4829, please keep the bay clear.";
    assert!(
        !has_label(&s, clinic, Label::Vehicle),
        "{:?}",
        labels(&s, clinic)
    );
    let towed = "A vehicle was towed from the fire/ambulance lane after two warnings.\n\n\
                 Vehicle: silver Toyota RAV4, PA plate KLM-4827\n\n\
                 The owner said she had been in your office for her appointment.";
    assert!(
        has(&s, towed, Label::Vehicle, "KLM-4827"),
        "{:?}",
        labels(&s, towed)
    );
    let slot = "Hi Ms. Pruett,\n\nI held a nurse-visit slot for you on Thursday 8/14 at 3:20 pm.";
    assert!(has(&s, slot, Label::Date, "8/14"), "{:?}", labels(&s, slot));
    let meeting = "Hi all,\n\nThe quality meeting was held 8/14 in room 2.";
    assert!(
        !has(&s, meeting, Label::Date, "8/14"),
        "{:?}",
        labels(&s, meeting)
    );
    let subject = "From: Lia Grant <lgrant@kidshealth.org>\nTo: Language Services \
                   <language@kidshealth.org>\nSubject: Interpreter needed Fri 3/14 09:00 - \
                   Retina clinic - MRN P00469927\n\nPlease book Haitian Creole.";
    assert!(
        has(&s, subject, Label::Date, "3/14"),
        "{:?}",
        labels(&s, subject)
    );
    let staff = "From: Lia Grant <lgrant@kidshealth.org>\nTo: Staff <staff@kidshealth.org>\n\
                 Subject: Interpreter in-service Fri 3/14 09:00 - Retina clinic\n\nAll welcome.";
    assert!(
        !has(&s, staff, Label::Date, "3/14"),
        "{:?}",
        labels(&s, staff)
    );
    let drugs = "Options: trientine tetrahydrochloride (Cuvrior), penicillamine (Depen) or zinc \
                 acetate.";
    for drug in ["Cuvrior", "Depen", "zinc acetate"] {
        assert!(
            has(&s, drugs, Label::Medication, drug),
            "{drug}: {:?}",
            labels(&s, drugs)
        );
    }
}

#[test]
fn an_employers_phone_after_its_fax_and_a_cell_under_a_driving_licence() {
    let s = Scanner::new();
    let leave = "Derek's employer HR wants it faxed directly, Attn: Leave Administration, fax (717) \
                 555-0622, phone (717) 555-0620, employer address 1900 Steel Way, Lititz, PA \
                 17543.";
    assert!(
        has(&s, leave, Label::Phone, "(717) 555-0620"),
        "{:?}",
        labels(&s, leave)
    );
    assert!(
        !has(&s, leave, Label::Phone, "(717) 555-0622"),
        "{:?}",
        labels(&s, leave)
    );
    let request = "From: Kendra V <kendra.vashti@gmail.com>\nSubject: send my records\n\n\
                   Name: Kendra Louise Vashti\nDOB: 03/28/1987\n\
                   PA driver's license: 31884207\n\
                   New address: 3318 Birchmont Lane, Dublin, OH 43017\n\
                   Cell: (614) 555-0137\n\nThank you!!";
    assert!(
        has(&s, request, Label::Phone, "(614) 555-0137"),
        "{:?}",
        labels(&s, request)
    );
    // A driver's own number under a transport company's signature is still no patient's.
    let driver = "The van will be at the entrance at 9.\n\nMarcus Delgado\nLead driver\n\
                  Cell: (614) 555-0137\n";
    assert!(
        !has_label(&s, driver, Label::Phone),
        "{:?}",
        labels(&s, driver)
    );
}

#[test]
fn a_received_faxs_sender_is_an_office_and_visit_numbers_are_identifiers() {
    let s = Scanner::new();
    let notice = "From: eFax <efax@kidshealth.org>\nTo: Intake <intake@kidshealth.org>\n\
                  Subject: eFax received from (614) 555-0119 - 6 pages\n\n\
                  New referral for Mr. Hale, DOB 01/02/1950, sleep study.";
    assert!(
        !has(&s, notice, Label::Fax, "(614) 555-0119")
            && !has(&s, notice, Label::Phone, "(614) 555-0119"),
        "{:?}",
        labels(&s, notice)
    );
    // The same number again on the cover sheet a patient faxed: then it is theirs.
    let own = "Subject: Inbound fax from (406) 555-0171 - 3 pages\n\n\
               Inbound fax received 07/08/2025 15:33 MDT, 3 pages, from 406-555-0171.\n\n\
               FAX\nTo:      Medical Records\nFrom:    Dominic Fierro\n\
               Fax:     406-555-0171     Phone: 406-555-0170\n\nRe: Request for my records\n\n\
               I am requesting copies of ALL my records for my injuries from this year. My \
               DOB is 03/04/1980.";
    assert!(
        has(&s, own, Label::Fax, "406-555-0171") || has(&s, own, Label::Phone, "406-555-0171"),
        "{:?}",
        labels(&s, own)
    );
    let visit = "Your video visit with Ashley Tran, NP:\n  When:   Thursday 3:00 PM\n  \
                 Visit:  V-48213997\n  Log: visit=VV-2603-118427 client_ip=73.162.44.219";
    for id in ["V-48213997", "VV-2603-118427"] {
        assert!(
            has(&s, visit, Label::OtherId, id),
            "{id}: {:?}",
            labels(&s, visit)
        );
    }
    let kind = "Study reminder for Ella:\n  Visit:      24-month corrected age\n  \
                Link: https://example.org/s?session=88a1f0";
    assert!(
        !has_label(&s, kind, Label::OtherId),
        "{:?}",
        labels(&s, kind)
    );
    let medicaid = "Member: Rosa Tate\nMedicaid Recipient #: 5720418836\nDOB: 11/09/1996";
    assert!(
        has(&s, medicaid, Label::MemberId, "5720418836"),
        "{:?}",
        labels(&s, medicaid)
    );
    let lens = "Warranty claim for Chidi Okonkwo\nLens serial OD:       NS-2419-77301\n";
    assert!(
        has(&s, lens, Label::Device, "NS-2419-77301"),
        "{:?}",
        labels(&s, lens)
    );
    let counsel = "Very truly yours,\n\nMonica Ferreira\nLitigation Paralegal to Jonathan R. \
                   Hallworth, Esq.\nHallworth & Pryce, LLC";
    assert!(
        !labels(&s, counsel)
            .iter()
            .any(|(l, v)| *l == Label::Person && v.contains("Hallworth")),
        "{:?}",
        labels(&s, counsel)
    );
    let practice = "Questions? Call us.\n\nLaurel Ford Hand & Wrist Institute | 1725 Harrowgate \
                    Drive, Suite 200";
    assert!(
        !has_label(&s, practice, Label::Person),
        "{:?}",
        labels(&s, practice)
    );
    let patient = "Hi team,\n\nLaurel Ford & her daughter came in for the splint check today.";
    assert!(
        has(&s, patient, Label::Person, "Laurel Ford"),
        "{:?}",
        labels(&s, patient)
    );
}

#[test]
fn an_approvals_effective_period_is_the_patients_and_enteral_levodopa_is_a_drug() {
    let s = Scanner::new();
    let approval = "PRIOR AUTHORIZATION - APPROVED\nMember: Harold Tate  DOB 02/14/1951\n\
                    Drug: Duodopa (carbidopa and levodopa enteral suspension)\n\
                    EFFECTIVE:             03/09/2026 THROUGH 03/08/2027\n";
    for date in ["03/09/2026", "03/08/2027"] {
        assert!(
            has(&s, approval, Label::Date, date),
            "{date}: {:?}",
            labels(&s, approval)
        );
    }
    assert!(
        has(&s, approval, Label::Medication, "Duodopa"),
        "{:?}",
        labels(&s, approval)
    );
    let privileges = "Welcome aboard, Dr. Lindgren.\n\n\
                      Privileges effective:    03/15/2025 - 06/30/2025\n";
    assert!(
        !has_label(&s, privileges, Label::Date),
        "{:?}",
        labels(&s, privileges)
    );
    let spanish = "Sí, puede tomar su mesalamina como siempre; el glicopirrolato también.";
    for drug in ["mesalamina", "glicopirrolato"] {
        assert!(
            has(&s, spanish, Label::Medication, drug),
            "{drug}: {:?}",
            labels(&s, spanish)
        );
    }
}

#[test]
fn a_date_between_header_lines_dates_the_message() {
    let s = Scanner::new();
    let forward = "Please send her records.\n\n----- Original message -----\n\
                   From: Kendra V <kendra.vashti@gmail.com>\nDate: 10/13/2025 8:22 PM\n\
                   To: him-roi@harrowgatehealth.org\nSubject: send my records\n\n\
                   Name: Kendra Louise Vashti\nDOB: 03/28/1987\nLast visit 09/30/2025.";
    assert!(
        !has(&s, forward, Label::Date, "10/13/2025"),
        "{:?}",
        labels(&s, forward)
    );
    assert!(
        has(&s, forward, Label::Date, "03/28/1987"),
        "{:?}",
        labels(&s, forward)
    );
    // A visit's "Date:" field among a form's fields is the visit's.
    let form = "Patient: Kendra Vashti\nDate: 10/13/2025\nProcedure: flexible laryngoscopy\n";
    assert!(
        has(&s, form, Label::Date, "10/13/2025"),
        "{:?}",
        labels(&s, form)
    );
}

#[test]
fn a_texting_threads_number_and_a_prescriber_before_a_valid_npi() {
    let s = Scanner::new();
    let export = "From: TextDesk Messaging <export@textdesk.example.com>\n\
                  Subject: Conversation export: +1 717-555-0161\n\n\
                  Conversation with +1 (717) 555-0161 (\"Kat\")\nOffice line: (717) 555-0140\n";
    assert!(
        has(&s, export, Label::Phone, "+1 (717) 555-0161"),
        "{:?}",
        labels(&s, export)
    );
    assert!(
        !has(&s, export, Label::Phone, "(717) 555-0140"),
        "{:?}",
        labels(&s, export)
    );
    let report = "DAILY TEMPLATE UTILIZATION REPORT\n\
                  PROVIDER                 NPI          SLOTS  BOOKED\n\
                  VOSS, HELENA MD          1473571432     18     17\n";
    assert!(
        !has_label(&s, report, Label::Person),
        "{:?}",
        labels(&s, report)
    );
    // Letters before a number that is no NPI are a program's: a Medical Assistance number.
    let rides = "Rides tomorrow:\nKayla Ostrowski   MA 8804472930   PU 7:40 AM\n";
    assert!(
        has(&s, rides, Label::Person, "Kayla Ostrowski"),
        "{:?}",
        labels(&s, rides)
    );
}

#[test]
fn a_relatives_age_in_a_hurried_note_and_a_fax_servers_caller_id() {
    let s = Scanner::new();
    let note = "also can my grandma fill out the form? shes 92 but sharp as a tack lol.";
    assert!(has(&s, note, Label::Age, "92"), "{:?}", labels(&s, note));
    let score = "his HR was 96 but came down after the fluids.";
    assert!(!has_label(&s, score, Label::Age), "{:?}", labels(&s, score));
    let fax = "From: Fax Server <fax@lanternhill.org>\nSubject: New fax - 4 pages\n\n\
               You have received a 4-page fax.\nCaller ID: (717) 555-0260 HARMONY PEDS\n\
               Received: 10/14/2025 09:43\n\nReferral for Brody Kessler, DOB 03/02/2016.";
    assert!(
        !has(&s, fax, Label::Phone, "(717) 555-0260")
            && !has(&s, fax, Label::Fax, "(717) 555-0260"),
        "{:?}",
        labels(&s, fax)
    );
    // A voice mail's caller ID stays the caller's.
    let voicemail = "New voicemail (0:48)\nCaller ID: (717) 555-0260\n\n\"hi this is Dana Pruitt, \
                     calling about my son's appointment\"";
    assert!(
        has(&s, voicemail, Label::Phone, "(717) 555-0260"),
        "{:?}",
        labels(&s, voicemail)
    );
}

#[test]
fn the_party_across_a_texting_line_and_a_monitors_imei() {
    let s = Scanner::new();
    let thread = "--- Text conversation | Solstice Main (717) 555-0142 <-> +1 717-555-0158 ---\n\
                  [Mon 10/13 5:00 PM] SOLSTICE: Hi, reminder of your appt tomorrow.\n";
    assert!(
        has(&s, thread, Label::Phone, "+1 717-555-0158"),
        "{:?}",
        labels(&s, thread)
    );
    assert!(
        !has(&s, thread, Label::Phone, "(717) 555-0142"),
        "{:?}",
        labels(&s, thread)
    );
    let alert = "RPM alert for Dolores Haddad, DOB 04/02/1958\nDevice serial: 2024091504487K\n\
                 Cellular hub IMEI:     356938035643809\n";
    assert!(
        has(&s, alert, Label::Device, "356938035643809"),
        "{:?}",
        labels(&s, alert)
    );
}

#[test]
fn a_labs_client_line_and_a_provider_by_npi() {
    let s = Scanner::new();
    let report = "KEYSTONE REFERENCE LABORATORIES\n\
                  415 N DUKE ST, LANCASTER PA 17602   CLIENT SVCS (717) 555-0166\n\n\
                  PATIENT:  SHEPARD, KAYLA J            SEX: F   DOB: 03/14/1990\n";
    assert!(
        !has(&s, report, Label::Phone, "(717) 555-0166"),
        "{:?}",
        labels(&s, report)
    );
    let patient = "PATIENT:  SHEPARD, KAYLA J   DOB: 03/14/1990\nHome phone (717) 555-0166\n";
    assert!(
        has(&s, patient, Label::Phone, "(717) 555-0166"),
        "{:?}",
        labels(&s, patient)
    );
    let claim = "Claim for Darnell Price, DOB 02/02/1980\nDate(s) of svc:   09/22/2025\n\
                 Rendering:        RAMAN, PRIYA  NPI 1720943814\n";
    assert!(
        !labels(&s, claim)
            .iter()
            .any(|(l, v)| *l == Label::Person && v.contains("RAMAN")),
        "{:?}",
        labels(&s, claim)
    );
    assert!(
        has(&s, claim, Label::Person, "Darnell Price"),
        "{:?}",
        labels(&s, claim)
    );
}

#[test]
fn when_a_members_cover_began_is_their_date_and_a_bulletins_is_not() {
    let s = Scanner::new();
    let eligibility = "Patient: Dennis Batiste   DOB 05/19/1971\n\
                       Member ID: KMC771045821\nCoverage effective:   11/01/2025\n\
                       PART A EFFECTIVE: 12/01/2004\n";
    assert!(
        has(&s, eligibility, Label::Date, "11/01/2025"),
        "{:?}",
        labels(&s, eligibility)
    );
    assert!(
        has(&s, eligibility, Label::Date, "12/01/2004"),
        "{:?}",
        labels(&s, eligibility)
    );
    let bulletin = "Patient: Dennis Batiste   DOB 05/19/1971\n\
                    Provider Bulletin PB-2025-017: PAP device coverage criteria update, \
                    effective 05/01/2025\n";
    assert!(
        !has(&s, bulletin, Label::Date, "05/01/2025"),
        "{:?}",
        labels(&s, bulletin)
    );
}

#[test]
fn a_title_that_ends_the_line_before_a_name() {
    let s = Scanner::new();
    let wrapped = "Everything moves to Dr. V's cysto block. The one that matters most is Mrs.\n\
                   Delacroix - her stent pull is now Thursday 10/16 at 1:00 with Dr. V.\n";
    assert!(
        has(&s, wrapped, Label::Person, "Delacroix"),
        "{:?}",
        labels(&s, wrapped)
    );
    let imaging = "Patient: Rosa Delgado, DOB 04/02/1958. Start prednisone or consider MR.\n\
                   Reported by: the radiology desk\n";
    assert!(
        !has(&s, imaging, Label::Person, "Reported"),
        "{:?}",
        labels(&s, imaging)
    );
    let millis = "Patient: Rosa Delgado, DOB 04/02/1958. Jitter 86 ms.\n\
                  Media relay used: turn-east-2\n";
    assert!(
        !has(&s, millis, Label::Person, "Media"),
        "{:?}",
        labels(&s, millis)
    );
}

#[test]
fn a_spanish_mail_clients_from_line() {
    let s = Scanner::new();
    let personal = "Gracias.\n\n-----Mensaje original-----\n\
                    De: Yoli Batista <yoli.batista77@hotmail.com>\n\
                    Enviado: lunes, 13 de octubre de 2025 21:37\nPara: info@summitcrestrx.com\n\
                    Asunto: cambio de direccion\n\nmandan el tacrolimus a la nueva direccion\n";
    assert!(
        has(&s, personal, Label::Person, "Yoli Batista"),
        "{:?}",
        labels(&s, personal)
    );
    let staff = "Gracias.\n\n-----Mensaje original-----\n\
                 De: Dana Whitcomb <dwhitcomb@svclinic.org>\n\
                 Para: Front Desk <frontdesk@svclinic.org>\nAsunto: horario\n\n\
                 La clinica abre a las 8.\n";
    assert!(
        !has_label(&s, staff, Label::Person),
        "{:?}",
        labels(&s, staff)
    );
}

#[test]
fn the_numbered_side_of_a_pasted_texting_thread() {
    let s = Scanner::new();
    let thread = "----- On-call phone (717) 555-0149, Mon 10/13 -----\n\
                  +1 (484) 555-0109 9:47 PM: hi this is kevin ostrowski kidney pt. missed my tacro\n\
                  On-call 9:52 PM: Hi Kevin, this is Kelsey, the on-call nurse at Summit Crest.\n\
                  On-call 10:01 PM: Can you get to Capital Valley Labs tomorrow at 8:30?\n\
                  +1 (484) 555-0109 10:03 PM: yes. tues 830 works\n";
    let found = labels(&s, thread);
    assert_eq!(
        found
            .iter()
            .filter(|(l, v)| *l == Label::Phone && v == "+1 (484) 555-0109")
            .count(),
        2,
        "{found:?}"
    );
    assert!(!found.iter().any(|(_, v)| v.contains("9:52")), "{found:?}");
    let letterhead = "Capital Valley Laboratories\n(484) 555-0109 8:00 AM to 5:00 PM\n\
                      Patient: Kevin Ostrowski, DOB 02/02/1980\n";
    assert!(
        !has(&s, letterhead, Label::Phone, "(484) 555-0109"),
        "{:?}",
        labels(&s, letterhead)
    );
}

#[test]
fn initials_with_a_record_number_in_brackets() {
    let s = Scanner::new();
    let handoff =
        "HOLDS / FLAGS\n- G.L. (HV-14877) - hospital hold, WSMH 4W. Dr F spoke w/ unit.\n";
    assert!(
        has(&s, handoff, Label::Person, "G.L."),
        "{:?}",
        labels(&s, handoff)
    );
    assert!(
        has(&s, handoff, Label::Mrn, "HV-14877"),
        "{:?}",
        labels(&s, handoff)
    );
    // A statute's letters with a section number, or a bracket with more than a number.
    let statute = "See C.R.S. (25-1-801) for the records rule.\nA.B. (see note 1234) is fine.\n";
    assert!(
        !has_label(&s, statute, Label::Person),
        "{:?}",
        labels(&s, statute)
    );
}

#[test]
fn a_time_that_is_someones_slot() {
    let s = Scanner::new();
    let visit = "Subject: telehealth kept dropping\n\nMy 10:15 video visit (Haddad, testosterone \
                 follow-up) kept freezing. Read the fluid from your 9:30 aspiration on Beatriz \
                 (10/14, L knee).\n";
    assert!(
        has(&s, visit, Label::Date, "10:15"),
        "{:?}",
        labels(&s, visit)
    );
    assert!(
        has(&s, visit, Label::Date, "9:30"),
        "{:?}",
        labels(&s, visit)
    );
    // Not a surgeon's case, nor a time no visit follows.
    let other = "Patient: Omar Haddad, DOB 02/02/1980\nCan you advise before your 8:00 case? \
                 My 12:30 works for lunch.\n";
    assert!(
        !has(&s, other, Label::Date, "8:00") && !has(&s, other, Label::Date, "12:30"),
        "{:?}",
        labels(&s, other)
    );
}

#[test]
fn a_pharmacys_shipping_notice_greets_its_patient() {
    let s = Scanner::new();
    let shipped = "From: Summit Crest Pharmacy <noreply@summitcrestrx.com>\n\
                   To: renata.szabo@outlook.com\nSubject: Your order has shipped\n\n\
                   Hi Renata,\n\nGood news - your order is on the way.\n\
                   Tacrolimus 1 mg capsule   Qty 180\n";
    assert!(
        has(&s, shipped, Label::Person, "Renata"),
        "{:?}",
        labels(&s, shipped)
    );
    // A vendor's order mail between two organisations greets a buyer.
    let supplies = "From: Medline Orders <orders@medline.com>\n\
                    To: Purchasing <purchasing@summitclinic.org>\nSubject: Your order has shipped\n\n\
                    Hi Renata,\n\nYour order of 40 boxes of gloves is on the way. Invoice attached.\n";
    assert!(
        !has(&s, supplies, Label::Person, "Renata"),
        "{:?}",
        labels(&s, supplies)
    );
}

#[test]
fn over_the_counter_drugs_vaccines_and_analytes_are_no_medication() {
    let s = Scanner::new();
    let plan = "Continue docusate and MiraLAX as needed; no Imodium until the clinic OKs it. \
                Flu vaccine clinic Friday. Start tacrolimus 2 mg BID.\n";
    let found = labels(&s, plan);
    assert!(
        found
            .iter()
            .any(|(l, v)| *l == Label::Medication && v == "tacrolimus"),
        "{found:?}"
    );
    for otc in ["docusate", "MiraLAX", "Imodium", "Flu vaccine"] {
        assert!(
            !found
                .iter()
                .any(|(l, v)| *l == Label::Medication && v.contains(otc)),
            "{otc}: {found:?}"
        );
    }
    let lab = "Subject: ** CRITICAL ** ORTIZ-HANLON, DENISE R - NA, CORTISOL\n\n\
               CORTISOL, AM     1.1   L\nURIC ACID        9.8   H\n";
    let found = labels(&s, lab);
    assert!(
        !found
            .iter()
            .any(|(l, v)| *l == Label::Person && (v.contains("CORTISOL") || v.contains("URIC"))),
        "{found:?}"
    );
}

#[test]
fn a_pediatric_clinics_list_of_children_by_family() {
    let s = Scanner::new();
    let rsvp = "Hi both - here's the RSVP list for the Saturday class.\n\n\
                family,child,child_age,adults,kids,phone,notes\n\
                Marrone,Luca,2,2,2,412-555-0106,sibling is 5\n\
                Okafor,Chidera,15,1,1,412-555-0112,teen wants to cook herself\n";
    for v in ["Marrone", "Luca", "412-555-0106", "Chidera"] {
        assert!(
            labels(&s, rsvp).iter().any(|(_, x)| x == v),
            "{v}: {:?}",
            labels(&s, rsvp)
        );
    }
    // A staff roster by name and phone is no list of patients.
    let roster = "On-call list\n\nname,role,phone\nMarrone Luca,RN,412-555-0106\n";
    assert!(
        !has(&s, roster, Label::Phone, "412-555-0106"),
        "{:?}",
        labels(&s, roster)
    );
}

#[test]
fn an_event_a_law_a_fax_job_a_forms_version_and_a_lab_fraction_are_no_identifiers() {
    let s = Scanner::new();
    let lions = "Thank you for speaking. We'd love to have you back for our Caregiver Resource \
                 Fair on Saturday. Please send the NPIs for Sunshine Act reporting.\n";
    assert!(
        !has_label(&s, lions, Label::Person),
        "{:?}",
        labels(&s, lions)
    );
    let fax = "Subject: FAX DELIVERY FAILED - Job 1941921063 to 17175550178\n\n\
               COVER SUBJECT .... Updated IV Iron Referral Form v03-2026 + criteria\n";
    let found = labels(&s, fax);
    assert!(
        !found
            .iter()
            .any(|(_, v)| v == "1941921063" || v == "v03-2026"),
        "{found:?}"
    );
    let lab = "Patient: Rosa Delgado  DOB 04/02/1958\nCK, TOTAL      88   U/L\n\
               VITAMIN D, 25-OH, TOTAL   18  L\n";
    assert!(
        !labels(&s, lab)
            .iter()
            .any(|(l, v)| *l == Label::Person && v.contains("TOTAL")),
        "{:?}",
        labels(&s, lab)
    );
    // A referral's own number still counts.
    let referral = "Patient: Rosa Delgado  DOB 04/02/1958\nReferral #: RF-25-0088231\n";
    assert!(
        has(&s, referral, Label::OtherId, "RF-25-0088231"),
        "{:?}",
        labels(&s, referral)
    );
}

#[test]
fn an_age_after_a_line_break_and_a_drug_after_a_prefix() {
    let s = Scanner::new();
    let estate = "My mother passed away at your hospital on September 27, 2025 at\n\
                  the age of 94. I am the executor of her estate.\n";
    assert!(
        has(&s, estate, Label::Age, "94"),
        "{:?}",
        labels(&s, estate)
    );
    let young = "My mother passed away on September 27, 2025 at\nthe age of 64.\n";
    assert!(!has_label(&s, young, Label::Age), "{:?}", labels(&s, young));
    let plan = "Monitor for post-artesunate delayed hemolysis; pre-Ocrevus labs drawn.\n";
    assert!(
        has(&s, plan, Label::Medication, "artesunate"),
        "{:?}",
        labels(&s, plan)
    );
    assert!(
        has(&s, plan, Label::Medication, "Ocrevus"),
        "{:?}",
        labels(&s, plan)
    );
    assert!(
        !has(
            &s,
            "post-operative and pre-printed forms\n",
            Label::Medication,
            "operative"
        ),
        "a prefix before a word that is no drug"
    );
}

#[test]
fn when_a_thread_line_or_a_note_was_written_is_no_date_of_care() {
    let s = Scanner::new();
    let thread = "Patient: Samir Haddad  DOB 02/02/1980\n--- pasted ---\n\
                  10/13 9:41 PM - (463) 555-0134: hey its shawn, my incision is red\n\
                  10/13 9:58 PM - Briarwood On-Call: Hi Shawn, any fever?\n";
    let found = labels(&s, thread);
    assert!(
        !found
            .iter()
            .any(|(l, v)| *l == Label::Date && (v.contains("9:41") || v.contains("9:58"))),
        "{found:?}"
    );
    let note = "Patient: Samir Haddad  DOB 02/02/1980\n\n\
                -- Note added by Greta Solberg, CRNP, 12:52 PM --\nApproved x 90 days.\n";
    assert!(
        !labels(&s, note)
            .iter()
            .any(|(l, v)| *l == Label::Date && v.contains("12:52")),
        "{:?}",
        labels(&s, note)
    );
    // A visit's time in a note is still the patient's.
    let booked = "Patient: Samir Haddad  DOB 02/02/1980\n\
                  (note added by J. Pruitt): pt scheduled 10/16 2:30 PM MRI L knee\n";
    assert!(
        labels(&s, booked)
            .iter()
            .any(|(l, v)| *l == Label::Date && v.contains("2:30")),
        "{:?}",
        labels(&s, booked)
    );
}

#[test]
fn a_csv_rows_unquoted_last_first_name() {
    let s = Scanner::new();
    let report = "RemindrLink daily exceptions report\n\n\
                  patient_name,mobile,appt_date,appt_time,location,provider,error_code\n\
                  Bautista, Marisol,7175550121,2025-11-07,08:00,Camp Hill,Ramaswamy,30007\n\
                  Nguyen-Pratt, Owen,7175550198,2025-11-07,09:20,Carlisle,Halvorsen,21614\n";
    for v in [
        "Bautista, Marisol",
        "7175550121",
        "Nguyen-Pratt, Owen",
        "7175550198",
    ] {
        assert!(
            labels(&s, report).iter().any(|(_, x)| x == v),
            "{v}: {:?}",
            labels(&s, report)
        );
    }
    // A split city is no name: the row is read up to it, as before.
    let roster = "mrn,patient,dob,city,phone\n\
                  AHS-0043,Brennan-Ortiz,2011-11-03,Providence, RI,4015550123\n";
    assert!(
        !labels(&s, roster)
            .iter()
            .any(|(l, v)| *l == Label::Person && v.contains("RI")),
        "{:?}",
        labels(&s, roster)
    );
}

#[test]
fn a_staff_roster_and_a_studys_irb_number_are_no_patients() {
    let s = Scanner::new();
    let fit = "From: Pruitt, Deanna <dpruitt@bellmontridge.org>\n\
               To: GI-All-Staff <gi-allstaff@bellmontridge.org>\n\
               Subject: Action needed: N95 fit testing slots\n\n\
               Hi GI team,\n\nTwo items from HR / Employee Health:\n\n\
               N95 FIT TESTING (required annually)\n\n\
               Time    Name                     Dept                 Employee ID\n\
               08:00   Carla Benitez, RN        Motility/Endo        E-204417\n\
               08:15   Derek Osei, CCT          Motility Lab         E-231906\n";
    assert!(!has_label(&s, fit, Label::Person), "{:?}", labels(&s, fit));
    // A patients' list in the same layout is still read.
    let clinic = "Time    Patient                  MRN          DOB\n\
                  08:00   Carla Benitez            00418822     03/14/1961\n";
    assert!(
        has(&s, clinic, Label::Mrn, "00418822"),
        "{:?}",
        labels(&s, clinic)
    );
    let irb = "NOTICE OF APPROVAL\nInvestigator:  Tomasz Wieczorek, MD\n\
               IRB ID:              STUDY00021457\n";
    assert!(!has_label(&s, irb, Label::OtherId), "{:?}", labels(&s, irb));
}

#[test]
fn a_list_items_name_before_its_chart_fields_in_brackets() {
    let s = Scanner::new();
    let handoff = "Night team - open items:\n\n\
                   - Aumann (92, MRN 00219847): admitted 5W. APS referral made.\n";
    assert!(
        has(&s, handoff, Label::Person, "Aumann"),
        "{:?}",
        labels(&s, handoff)
    );
    // A procedure's code in brackets is no chart field.
    let menu = "Fee schedule:\n\n- Sclerotherapy (36471): $180 per session\n";
    assert!(
        !has_label(&s, menu, Label::Person),
        "{:?}",
        labels(&s, menu)
    );
}

#[test]
fn a_senders_stamp_in_brackets_and_a_thread_dividers_date_are_no_care() {
    let s = Scanner::new();
    let chat = "---------- pasted from Messages ----------\n\
                Beth Andrade SRMC (10:14 AM): you here? im at the desk by bed 7\n\
                Dale K (10:15 AM): yep walking in now\n";
    assert!(!has_label(&s, chat, Label::Date), "{:?}", labels(&s, chat));
    // A visit's time in brackets is still one.
    let visit = "Hi Mrs. Quist,\n\nYour biopsy is booked for Thursday 3/19 (10:30 AM): \
                 please arrive early.\n";
    assert!(
        has(&s, visit, Label::Date, "10:30 AM"),
        "{:?}",
        labels(&s, visit)
    );
    let thread = "Patient portal thread\n\n\
                  ---- Reply from Jill Brandt, CMA (12/07/2026 10:12 AM) ----\n\
                  Hi Sandra, the refill went to your pharmacy.\n";
    assert!(
        !has(&s, thread, Label::Date, "12/07/2026"),
        "{:?}",
        labels(&s, thread)
    );
    // A divider that names a record's pages or a visit dates the patient's care.
    let record = "Records attached for Mr. Halvorsen, DOB 04/11/1950.\n\n\
                  --- pages 2-3: office note 02/26/2026, medication list ---\n";
    assert!(
        has(&s, record, Label::Date, "02/26/2026"),
        "{:?}",
        labels(&s, record)
    );
}

#[test]
fn a_hand_off_items_surname_before_a_room_or_a_chart_number() {
    let s = Scanner::new();
    let handoff = "IN HOUSE\n\
                   - Rawlings 2W-218 - admitted today, auth thru 10/21.\n\
                   - LAMOUREUX 40078845 - labs ordered (BMP, hepatic panel).\n\
                   - Venable -> Willow Bend Fri 10/17, trip booked.\n";
    for name in ["Rawlings", "LAMOUREUX", "Venable"] {
        assert!(
            has(&s, handoff, Label::Person, name),
            "{name}: {:?}",
            labels(&s, handoff)
        );
    }
    // A unit's name in capitals before a room's code is no one.
    let units = "Bed board\n- MICU 2W-218 - closed for cleaning\n- PACU 3E-04 - open\n";
    assert!(
        !has_label(&s, units, Label::Person),
        "{:?}",
        labels(&s, units)
    );
}

#[test]
fn a_state_programs_member_number_a_few_words_on() {
    let s = Scanner::new();
    for (text, v) in [
        (
            "the new insurance card came. His Medicaid ID is now 100482736 and the old one \
             doesn't work.",
            "100482736",
        ),
        (
            "Member name:  Darius Whitlock\nMA ID (ACCESS):   8841275306\n",
            "8841275306",
        ),
        (
            "Ella tiene Medicare y Medical Assistance (numero 4401928376) no se si lo tienen.",
            "4401928376",
        ),
    ] {
        assert!(
            has(&s, text, Label::MemberId, v),
            "{v}: {:?}",
            labels(&s, text)
        );
    }
    // An organisation's number under the program, or a letter's reference, is no member's.
    for text in [
        "Our Medicaid provider ID is 44001873 if you need it.",
        "Checklist:\n  8. [x] Medicaid denial letter (reference MH-DN-5521804)\n",
        "Su solicitud de Medical Assistance, numero de caso 440-2917-38, sigue pendiente.",
    ] {
        assert!(
            !has_label(&s, text, Label::MemberId),
            "{:?}",
            labels(&s, text)
        );
    }
}

#[test]
fn hemin_is_a_drug_and_porphobilinogen_an_analyte() {
    let s = Scanner::new();
    let order = "Pharmacy please note two hemin preps before 8 AM for the infusion suite.";
    assert!(
        has(&s, order, Label::Medication, "hemin"),
        "{:?}",
        labels(&s, order)
    );
    let lab = "Send STAT spot urine porphobilinogen (PBG) with creatinine.";
    assert!(
        !has_label(&s, lab, Label::Medication),
        "{:?}",
        labels(&s, lab)
    );
}

#[test]
fn a_callers_or_a_relatives_number_at_work() {
    let s = Scanner::new();
    for (text, v) in [
        (
            "Voicemail transcript:\n\"Hi, it's Renee Ostrowski, you can call me back at \
             570-555-0192, that's my cell, or at work at 570-555-0117 till 3. Thank you, bye.\"",
            "570-555-0117",
        ),
        (
            "Mom's cell 614 555 0172, dad's work line 614-555-0109 ext 3301 (he's at the plant).",
            "614-555-0109",
        ),
    ] {
        assert!(
            has(&s, text, Label::Phone, v),
            "{v}: {:?}",
            labels(&s, text)
        );
    }
    // A colleague's work cell, in a signature or in mail among staff, is the organisation's.
    let sig = "Thanks,\nDwayne Pruitt\nSafeSteps Coordinator\nCrestline Valley Area Agency on Aging\n\
               Work cell (937) 555-0146 | Office (937) 555-0140\n";
    assert!(!has_label(&s, sig, Label::Phone), "{:?}", labels(&s, sig));
    let fax = "Please have the corrected statement faxed to her work at (937) 555-0189.";
    assert!(!has_label(&s, fax, Label::Phone), "{:?}", labels(&s, fax));
}

#[test]
fn a_csv_row_under_a_row_of_the_same_shape_is_no_heading() {
    let s = Scanner::new();
    let formulary = "Here's the draft formulary comparison. No patient data in the file.\n\n\
                     category,product,type,unit,2025_cost,2026_cost,status,notes\n\
                     Cadexomer iodine,Iodosorb,gel,40 g,Rx,Rx,Non-formulary,WOC approval\n\
                     Foam,Allevyn Life,bordered foam,12.9 cm,$8.80,$8.45,Formulary,\n";
    assert!(
        !has_label(&s, formulary, Label::OtherId),
        "{:?}",
        labels(&s, formulary)
    );
    // A heading under a sentence with commas is still one.
    let list = "Hi team, the refills, by patient:\n\n\
                patient,rx,drug,qty\n\
                Marisol Ybarra,6620186,lisinopril 10 mg,30\n";
    assert!(
        has(&s, list, Label::OtherId, "6620186"),
        "{:?}",
        labels(&s, list)
    );
}

#[test]
fn a_visit_verification_reports_client_numbers_and_a_bed_lists_surnames() {
    let s = Scanner::new();
    let evv = "THE FOLLOWING VISITS HAVE EXCEPTIONS.\n\n\
               CLIENT ID     PAYER ID         VISIT DATE   SCHED      CLINICIAN\n\
               ------------  ---------------  -----------  ---------  ---------------\n\
               LR-2203314    4410837265       11/17/2025   0900-1000  OYELARAN, M\n\
               LR-2214087    MCR              11/17/2025   1400-1500  HALVORSEN, T\n";
    assert!(
        has(&s, evv, Label::Mrn, "LR-2203314"),
        "{:?}",
        labels(&s, evv)
    );
    let beds = "Evening handoff:\n\n\
                bed 03  Okafor      - did the newborn add-on. OR Fri.\n\
                bed 12  Brandt      - room opens tonight, ground floor for great-grandma Fri.\n";
    assert!(
        has(&s, beds, Label::Person, "Okafor"),
        "{:?}",
        labels(&s, beds)
    );
    // A weekday's short form is no one's name.
    assert!(
        !labels(&s, beds)
            .iter()
            .any(|(l, v)| *l == Label::Person && v == "Fri"),
        "{:?}",
        labels(&s, beds)
    );
}

#[test]
fn a_days_ordinal_after_a_doctor_a_study_or_going_home() {
    let s = Scanner::new();
    for text in [
        "From: Rosa Quintero <rosaq1961@yahoo.com>\nTo: Front Desk <frontdesk@lakesidegi.org>\n\
         Subject: Re: Elena Quintero\n\nmy mother sees dr castellanos on the 13th, i cant \
         take her that day\n\nRosa",
        "From: Judy Nyquist <jnyquist54@gmail.com>\nTo: Front Desk <frontdesk@svch.org>\n\
         Subject: Re: Arvid Nyquist - swing bed\n\nthank u. also is he still going home on \
         the 17th?? nobody told me anything\n\njudy",
    ] {
        assert!(has_label(&s, text, Label::Date), "{:?}", labels(&s, text));
    }
    // A floor's or a dose's ordinal is none.
    let lounge = "Our family lounge is on the 2nd floor, next to the chapel.";
    assert!(
        !has_label(&s, lounge, Label::Date),
        "{:?}",
        labels(&s, lounge)
    );
}

#[test]
fn a_texting_logs_dated_stamp_before_a_senders_name_and_one_space() {
    let s = Scanner::new();
    let log = "Texts with the family, pasted:\n\n\
               Tue 10/15 10:02 PM Me: Yes, the second exam is planned for about 8 AM.\n\
               Wed 10/16 10:47 AM Destiny: mom wants to know when the surgery is\n\
               Tue 3/11 11:52 AM  SVH Route 2: Hi Don, we can swap the pump Thursday\n";
    assert!(
        !labels(&s, log)
            .iter()
            .any(|(l, v)| *l == Label::Date && (v == "10/16" || v == "10:47 AM" || v == "3/11")),
        "{:?}",
        labels(&s, log)
    );
    // A visit's line keeps its date: "Colonoscopy" is no sender, nor a room's number.
    let visits = "Your visits:\n\nThu 3/12 9:00 AM Colonoscopy: arrive by 8:00\n\
                  Fri 3/13 10:00 AM  Room 3: follow-up with Dr. Haddad\n";
    assert!(
        has(&s, visits, Label::Date, "3/12"),
        "{:?}",
        labels(&s, visits)
    );
}

#[test]
fn a_school_nurses_table_by_student_number() {
    let s = Scanner::new();
    let table = "Letters went home. Please confirm who goes on the exclusion letter.\n\n\
                 | Bldg | Stu ID    | Student                | Gr | Missing  | Parent phone   |\n\
                 |------|-----------|------------------------|----|----------|----------------|\n\
                 | CRMS | 203190044 | Okonkwo, Daniel        | 7  | Tdap     | (717) 555-0107 |\n";
    assert!(
        has(&s, table, Label::OtherId, "203190044"),
        "{:?}",
        labels(&s, table)
    );
}

#[test]
fn a_three_character_code_in_a_column_of_dotted_codes() {
    let s = Scanner::new();
    for (text, code) in [
        (
            "Referral\nDiagnoses:         H25.9 Age-related cataract, unspecified\n\
             \x20                  I10 Essential (primary) hypertension\nUrgency: routine",
            "I10",
        ),
        (
            "Qualifying findings:\n  - E11.42  Type 2 diabetes mellitus with polyneuropathy\n\
             \x20 - L84     Pre-ulcerative callus, plantar 1st met head\n",
            "L84",
        ),
    ] {
        assert!(
            has(&s, text, Label::Icd10, code),
            "{code}: {:?}",
            labels(&s, text)
        );
    }
    // Not a code at another place on the line, nor at another place than the dotted code's.
    for text in [
        "Seen today:\n  E11.9 Type 2 diabetes\n  Room I10 is closed for cleaning\n",
        "Seen today:\n  E11.9 Type 2 diabetes\n      I10 Essential hypertension\n",
    ] {
        assert!(
            !has(&s, text, Label::Icd10, "I10"),
            "{:?}",
            labels(&s, text)
        );
    }
}

#[test]
fn a_households_address_and_numbers_listed_after_a_keywords() {
    let s = Scanner::new();
    let household = "Grace,\n\nVemlidy PA came through for Esperance this morning. Can you \
                     set up household contact\ntesting? Per the family, the household at 605 \
                     Hummel Street, Harrisburg, PA 17104 is:\n";
    assert!(
        has_label(&s, household, Label::Address),
        "{:?}",
        labels(&s, household)
    );
    let rx = "All three are filled and bagged under Rx 6104482, 6104483 and 6104484. He can \
              pick up at the counter.";
    for n in ["6104482", "6104483", "6104484"] {
        assert!(has(&s, rx, Label::OtherId, n), "{n}: {:?}", labels(&s, rx));
    }
    // A number of another length after the list is not one of them.
    let count = "Filled under Rx 6104482, 14 films, and 7 days.";
    assert!(
        !has(&s, count, Label::OtherId, "14"),
        "{:?}",
        labels(&s, count)
    );
}

#[test]
fn a_jails_booking_number_a_respondent_and_a_spanish_writers_phone() {
    let s = Scanner::new();
    let booking = "Supervisors,\n\nEffective now (1600), BK 2025-011733 (D-Pod, cell D-108) \
                   steps down from constant observation to close observation.";
    assert!(
        has(&s, booking, Label::OtherId, "2025-011733"),
        "{:?}",
        labels(&s, booking)
    );
    // The BK virus's load is no booking.
    let load = "Renal transplant follow-up: BK 1200 copies/mL, down from 4500; continue \
                tacrolimus.";
    assert!(
        !has_label(&s, load, Label::OtherId),
        "{:?}",
        labels(&s, load)
    );
    // Letters inside an item's or a file's number are no booking's keyword.
    let file = "Subject: Request for records - our file BK-2025-0417\n\nPlease send the chart.";
    assert!(
        !has(&s, file, Label::OtherId, "2025-0417"),
        "{:?}",
        labels(&s, file)
    );
    let survey = "LOW SCORE ALERT\n\nSurvey code:      CV7Q4K-22918\n\
                  Respondent:       Bev (bev.kreiner55@att.net)\nOverall (0-10):   4\n";
    assert!(
        has(&s, survey, Label::Person, "Bev"),
        "{:?}",
        labels(&s, survey)
    );
    let phone = "From: Mari Quintanilla <mari.quintanilla61@hotmail.com>\n\
                 Subject: pregunta sobre la maquina CPAP\n\nla maquina dice mask fit. \
                 mi telefono es 484-555-0117. gracias";
    assert!(
        has(&s, phone, Label::Phone, "484-555-0117"),
        "{:?}",
        labels(&s, phone)
    );
    let ssn = "I have the suspension record for Amber L. Szymanski, DOB 12/30/1988.\n\
               Her last four on file is 4471 - please confirm that matches what you have.";
    assert!(has(&s, ssn, Label::Ssn, "4471"), "{:?}", labels(&s, ssn));
}

#[test]
fn an_age_over_89_said_in_words() {
    let s = Scanner::new();
    for (text, age) in [
        (
            "Hi, this is Ruth Achterberg's daughter, her birthday is March 3rd 1934. She's \
             ninety-one and she's been on the CPAP since August.",
            "ninety-one",
        ),
        (
            "he's ninety one, he'll be ninety two this spring, so mornings are better",
            "ninety two",
        ),
        (
            "Mom turned a hundred and two in May and still does her own shopping.",
            "a hundred and two",
        ),
    ] {
        assert!(
            has(&s, text, Label::Age, age),
            "{age}: {:?}",
            labels(&s, text)
        );
    }
    // A temperature, a weight, a speaker's correction, a day count: no age.
    for text in [
        "She doesn't have a fever I think, she's ninety-nine point four this morning.",
        "um she's ninety-- no, she's eighty-nine, sorry",
        "Disp #120 (one hundred twenty), 1 refill; he's at one ninety now.",
        "The form turns ninety days old on Friday.",
    ] {
        assert!(!has_label(&s, text, Label::Age), "{:?}", labels(&s, text));
    }
}

#[test]
fn a_record_number_found_once_is_found_again_and_in_a_file_name() {
    let s = Scanner::new();
    let text = "Attachments: Label_6620418.pdf\n\n\
                Hi Devon, Rx 6620418 for Mr. Pearce shipped today by courier. The box \
                says 6620418 on its side.";
    let found = labels(&s, text)
        .iter()
        .filter(|(l, v)| *l == Label::OtherId && v == "6620418")
        .count();
    assert_eq!(found, 3, "{:?}", labels(&s, text));
    // Not inside a longer number, nor glued to letters.
    let longer = "Hi Devon, Rx 6620418 for Mr. Pearce shipped.\nRefill 6620418-02 and \
                  lot X6620418 are the pharmacy's.";
    assert!(
        !labels(&s, longer)
            .iter()
            .any(|(_, v)| v.contains("-02") || v.starts_with('X')),
        "{:?}",
        labels(&s, longer)
    );
    assert_eq!(
        labels(&s, longer)
            .iter()
            .filter(|(_, v)| v == "6620418")
            .count(),
        1,
        "{:?}",
        labels(&s, longer)
    );
}

#[test]
fn a_case_number_before_a_surname_in_a_list_a_diagnosis_and_a_specimen() {
    let s = Scanner::new();
    let list = "L - quick list, I'm out till noon tomorrow.\n\n\
                - LC25-0309 Delgado: mom called 3:20 re fever 101, ROI on file.\n\
                - LC25-0318 Marsh: spoke w/ mom, EI home visit Mon 10/20 10:30.\n";
    assert!(
        has(&s, list, Label::Person, "Marsh"),
        "{:?}",
        labels(&s, list)
    );
    let summary = "DISCHARGE DIAGNOSES\n1. Lead poisoning, accidental (T56.0X1A)\n\
                   2. Iron deficiency anemia (D50.9)\n3. Pica (F98.3)\n";
    assert!(
        !has_label(&s, summary, Label::Person),
        "{:?}",
        labels(&s, summary)
    );
    let lab = "MEMBER ID LHP40388127-02\n\nTEST ............... LEAD, BLOOD (VENOUS)   \
               LOINC 77307-7   CPT 83655\nRESULT ............. 14.2 ug/dL";
    assert!(!has_label(&s, lab, Label::Person), "{:?}", labels(&s, lab));
    let town = "He really looks forward to it. We live out in Mechanicsburg so the 1:00 time \
                works much better for us.";
    assert!(
        has(&s, town, Label::Address, "Mechanicsburg"),
        "{:?}",
        labels(&s, town)
    );
}

#[test]
fn a_relatives_age_after_a_comma_a_dotted_name_label_a_floor_and_a_serial_that_says() {
    let s = Scanner::new();
    for (text, age) in [
        (
            "Family hx note for your chart: her maternal grandmother, 94, is living and well.",
            "94",
        ),
        (
            "Notes for you:\n - lives w/ his dad, 93, who uses a walker -> check the stairs",
            "93",
        ),
        (
            "Breast cancer at 44; maternal grandmother, now 91, with breast cancer at 63.",
            "91",
        ),
    ] {
        assert!(
            has(&s, text, Label::Age, age),
            "{age}: {:?}",
            labels(&s, text)
        );
    }
    // A relative's weight or a reading is none.
    let weight = "Her father, 95 kg at the last visit, is stable.";
    assert!(
        !has_label(&s, weight, Label::Age),
        "{:?}",
        labels(&s, weight)
    );
    let report = "RESULT NOTIFICATION\nPATIENT NAME ........: OYELARAN, FOLASADE A\n\
                  DATE OF BIRTH .......: 07/22/1979\n";
    assert!(
        has(&s, report, Label::Person, "OYELARAN, FOLASADE A"),
        "{:?}",
        labels(&s, report)
    );
    let route = "STOP  PU     PARTICIPANT           ADDRESS\n\
                 4     07:51  QUINONES, RAFAEL     330 BRIDGE ST FL 1, NEW CUMBERLAND, PA 17070\n";
    assert!(
        has(
            &s,
            route,
            Label::Address,
            "330 BRIDGE ST FL 1, NEW CUMBERLAND, PA"
        ),
        "{:?}",
        labels(&s, route)
    );
    // Florida after a street is a state, not a floor.
    let florida = "Mail it to 1200 Brickell Ave, Miami, FL 33131 please.";
    assert!(
        !labels(&s, florida).iter().any(|(_, v)| v.contains("FL 33")),
        "{:?}",
        labels(&s, florida)
    );
    let member = "From: angela <angela.r1951@yahoo.com>\n\nhe got a bill for 3 months?? his \
                  medicade # is 7704518826 and the last 4 of his social is 6621";
    assert!(
        has(&s, member, Label::MemberId, "7704518826"),
        "{:?}",
        labels(&s, member)
    );
    let serial = "my cpap stopped blowing air last nite. serial on the bottom says 22151093378 if \
                  that helps";
    assert!(
        has(&s, serial, Label::Device, "22151093378"),
        "{:?}",
        labels(&s, serial)
    );
}

#[test]
fn a_makers_advisory_number_is_no_prior_authorisation() {
    let s = Scanner::new();
    let advisory = "Subject: Product Advisory PA-2025-03 - Specimen collection cards\n\n\
                    Dear Newborn Screening Program Partner, lots 903-2409A to 903-2409F absorb \
                    slowly; no recall is required.";
    // (The subject's number is still a weak finding, as any subject's: no evidence.)
    assert!(
        !labels(&s, advisory)
            .iter()
            .any(|(l, v)| *l == Label::OtherId && v == "PA-2025-03")
            || !s.scan(advisory).contains_phi,
        "{:?}",
        labels(&s, advisory)
    );
    let body = "Dear Newborn Screening Program Partner, Meridian is issuing Product Advisory \
                PA-2025-03 for lots 903-2409A to 903-2409F; no recall is required.";
    assert!(
        !has_label(&s, body, Label::OtherId),
        "{:?}",
        labels(&s, body)
    );
    let approval = "Subject: Determination: APPROVED - Ref PA-2025-10-0884617\n\n\
                    Prior authorization approved for Marisol Vega, DOB 04/12/1988.";
    assert!(
        has(&s, approval, Label::OtherId, "PA-2025-10-0884617"),
        "{:?}",
        labels(&s, approval)
    );
}

#[test]
fn a_court_docket_and_an_age_a_relative_will_be() {
    let s = Scanner::new();
    let docket = "Subject: RE: Commonwealth v. Ahrens, CP-36-CR-0004417-2025 - report status\n\n\
                  Ms. Voss,\n\nI can confirm that the evaluation report is final.";
    assert!(
        has(&s, docket, Label::OtherId, "CP-36-CR-0004417-2025"),
        "{:?}",
        labels(&s, docket)
    );
    // A form's number of the same letters is no docket.
    let form = "Please use form CP-36-CR for the request; the fee is $25.";
    assert!(
        !has_label(&s, form, Label::OtherId),
        "{:?}",
        labels(&s, form)
    );
    let age = "Also just to say, Mum's birthday is March 22 - she'll be 91. Would it be all \
               right to bring a cake?";
    assert!(has(&s, age, Label::Age, "91"), "{:?}", labels(&s, age));
    let days = "The refill will be ready in two days; he'll be 90 days supplied after that.";
    assert!(!has_label(&s, days, Label::Age), "{:?}", labels(&s, days));
}

#[test]
fn a_states_identification_card_is_a_licence() {
    let s = Scanner::new();
    for (text, id) in [
        (
            "Applicant: Oksana Melnyk\n  SSN (last 4):    6612\n  PA ID card:      33 918 402\n",
            "33 918 402",
        ),
        (
            "ID verified:   PA photo ID 29 418 337\n2nd contact:   Great-aunt Bea",
            "29 418 337",
        ),
    ] {
        assert!(
            has(&s, text, Label::License, id),
            "{id}: {:?}",
            labels(&s, text)
        );
    }
    // A plan's member number after the plan's state is a member's.
    let plan = "Patient: Dana Fisk   DOB 07/14/1986\nAnthem BCBS OH  ID YRK884512093  Group \
                00219847\n";
    assert!(
        !has(&s, plan, Label::License, "YRK884512093"),
        "{:?}",
        labels(&s, plan)
    );
}
