//! The policy parser never panics; a document it accepts can be evaluated and explained.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(doc) = policy::PolicyDocument::parse(text) {
        let policy = policy::Policy::new(doc, 1);
        let facts = policy::CopyFacts {
            categories: vec![policy::CategoryHit {
                label: dlp::Label::Ssn,
                count: 1,
                max_score: 0.9,
            }],
            phi: true,
            phi_in_subject: data.len() % 2 == 0,
            unscannable: vec!["encrypted".into()],
            attachment_types: vec!["pdf".into()],
            size_bytes: data.len() as u64,
            sender: model_address("frontdesk@clinic.example"),
            sender_groups: vec!["front-desk".into()],
            recipient: model_address("someone@mail.example"),
            recipient_internal: false,
        };
        let decision = policy.evaluate(&facts);
        let _ = decision.explain();
    }
});

fn model_address(s: &str) -> model::EmailAddress {
    model::EmailAddress::parse(s).expect("static address")
}
