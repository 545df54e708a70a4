//! Property tests: the parsers and sanitizers never panic on arbitrary input, and what
//! they return stays within its limits.

use proptest::prelude::*;

use portal::content::{self, MAX_ATTACHMENTS, MAX_FILENAME_CHARS, MAX_SUBJECT_CHARS};
use portal::i18n::Catalogs;
use portal::sanitize::{sanitize_html, text_to_html};
use portal::secrets::{mask_address, normalise_code, token_hash};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parse_message_never_panics_and_respects_limits(raw in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(v) = content::parse_message(&raw) {
            prop_assert!(v.subject.chars().count() <= MAX_SUBJECT_CHARS);
            prop_assert!(v.attachments.len() <= MAX_ATTACHMENTS);
            for a in &v.attachments {
                prop_assert!(a.filename.chars().count() <= MAX_FILENAME_CHARS);
                prop_assert!(!a.filename.contains(['/', '\\']));
                prop_assert!(!a.filename.chars().any(char::is_control));
            }
        }
        let _ = content::attachment(&raw, 0);
    }

    #[test]
    fn header_shaped_messages_parse(subject in "\\PC{0,200}", name in "\\PC{0,80}") {
        let raw = format!(
            "From: a@example.org\r\nSubject: {subject}\r\nContent-Type: multipart/mixed; \
             boundary=z\r\n\r\n--z\r\nContent-Disposition: attachment; filename=\"{name}\"\r\n\r\nx\r\n--z--\r\n"
        );
        let _ = content::parse_message(raw.as_bytes());
    }

    #[test]
    fn sanitizers_never_panic(html in "\\PC{0,400}") {
        let out = sanitize_html(&html, false);
        prop_assert!(!out.html.to_ascii_lowercase().contains("<script"));
        let text = text_to_html(&html);
        prop_assert!(!text.contains('<') || text.contains("<br>"));
    }

    #[test]
    fn small_parsers_never_panic(s in "\\PC{0,100}") {
        let _ = token_hash(&s);
        let _ = normalise_code(&s);
        let _ = mask_address(&s);
        let c = Catalogs::builtin();
        let l = c.negotiate(Some(&s), Some(&s));
        prop_assert!(l.code() == "en" || l.code() == "es");
        let _ = c.with_extra(&s, &s);
    }
}
