//! Writes every portal page, in English and Spanish, to a directory for a visual check:
//! `cargo run -p portal --example render_pages -- /tmp/portal-pages`, then open the files in
//! a browser (or screenshot them with headless Chromium). All data is invented.

use std::path::PathBuf;

use portal::content::{AttachmentInfo, MessageView};
use portal::i18n::Catalogs;
use portal::pages::{self, Brand, CodeProblem, Ctx, Notice, ReplyView};
use portal::sanitize::sanitize_html;

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "portal-pages".into()),
    );
    std::fs::create_dir_all(&dir)?;
    let brand = Brand::new("Sunny Vale Family Clinic", "#f4b400");
    std::fs::write(dir.join("portal.css"), pages::stylesheet(&brand))?;
    let cats = Catalogs::builtin();
    let view = MessageView {
        subject: "Your lab results from 24 November".into(),
        from: "Dr. Ada Quill <ada.quill@sunnyvale.example>".into(),
        date: Some("2026-11-29T20:00:00Z".into()),
        text: None,
        html: Some(
            "<p>Hello Pat,</p><p>Your results are <b>all normal</b>. See \
             <a href=\"https://sunnyvale.example/results\">the portal</a>.</p>\
             <img src=\"https://tracker.example/open.gif\">"
                .into(),
        ),
        attachments: vec![AttachmentInfo {
            index: 0,
            filename: "lab-results-2026-11-24.pdf".into(),
            content_type: "application/pdf".into(),
            size: 248_000,
        }],
        message_id: None,
    };
    let body = sanitize_html(view.html.as_deref().unwrap_or(""), false);
    let replies = vec![ReplyView {
        when: "2026-11-30 09:12 UTC".into(),
        text: "Thank you, doctor.\nSee you on Tuesday.".into(),
        attachments: vec!["insurance-card.jpg".into()],
    }];
    for code in ["en", "es"] {
        let lang = cats.negotiate(Some(code), None);
        let ctx = Ctx {
            lang: &lang,
            brand: &brand,
            csrf: "example-csrf",
            path: "/p/example",
        };
        let all = [
            (
                "landing",
                pages::landing_page(&ctx, "tok", "p•••@e•••.org", true),
            ),
            (
                "code",
                pages::code_page(&ctx, "tok", "p•••@e•••.org", Some(CodeProblem::Wrong)),
            ),
            (
                "landing-sms",
                pages::landing_page_with_sms(&ctx, "tok", "p•••@e•••.org", false, Some("23")),
            ),
            (
                "code-sms",
                pages::code_page_with_options(
                    &ctx,
                    "tok",
                    "p•••@e•••.org",
                    None,
                    pages::CodeOptions {
                        sms_digits: Some("23"),
                        sent_by_sms: true,
                        ..pages::CodeOptions::default()
                    },
                ),
            ),
            (
                "message",
                pages::message_page(&ctx, "copy-1", &view, &body, &replies, false, true),
            ),
            ("print", pages::print_page(&ctx, &view, &body)),
            ("expired", pages::notice_page(&ctx, Notice::Expired)),
        ];
        for (name, html) in all {
            let html = html.replace(pages::PORTAL_CSS_PATH, "portal.css");
            std::fs::write(dir.join(format!("{name}-{code}.html")), html)?;
        }
    }
    Ok(())
}
