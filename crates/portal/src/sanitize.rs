//! Turning a message body into HTML that is safe to put inside a portal page.
//!
//! HTML bodies go through ammonia (an allow-list sanitizer on html5ever, the same HTML5 parser
//! browsers follow), configured more strictly than its defaults: only http, https and mailto
//! links; no relative URLs (they would point at the portal itself); no `style`, `class` or
//! `id` attributes (the page's CSP forbids inline styles anyway, and classes or ids could
//! borrow the portal's own look to fake its controls); remote images removed unless the
//! reader asks for them; `data:` images only as PNG, JPEG or GIF. The page's CSP
//! (`script-src 'self'`, `img-src 'self' data:`) is the second line of defence.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ammonia::{Builder, UrlRelative};

use crate::content::MessageView;

/// The `rel` every link gets.
pub const LINK_REL: &str = "noopener noreferrer nofollow";

/// HTML that came out of [`sanitize_html`] or [`text_to_html`]; the only HTML the templates
/// insert unescaped.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SanitizedHtml {
    /// The safe HTML fragment.
    pub html: String,
    /// How many remote images were removed (0 when `allow_remote` was set, except plain
    /// `http:` images, which are always removed: the page is served over HTTPS).
    pub remote_blocked: usize,
}

impl std::fmt::Debug for SanitizedHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SanitizedHtml")
            .field("html", &"[redacted]")
            .field("remote_blocked", &self.remote_blocked)
            .finish()
    }
}

/// Sanitizes an HTML message body. With `allow_remote`, `https:` images are kept (the reader
/// asked for them; the adapter must then send [`crate::headers::security_headers`]`(true)`).
pub fn sanitize_html(html: &str, allow_remote: bool) -> SanitizedHtml {
    let blocked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&blocked);

    let mut b = Builder::default();
    b.rm_tags(["map", "area"]) // image maps add links we would have to vet twice
        .add_tags(["font", "center"])
        .add_tag_attributes("font", ["color", "face", "size"])
        .add_tag_attributes(
            "table",
            ["width", "border", "cellpadding", "cellspacing", "bgcolor"],
        )
        .add_tag_attributes("td", ["width", "bgcolor", "valign"])
        .add_tag_attributes("th", ["width", "bgcolor", "valign"])
        .add_tag_attributes("tr", ["bgcolor", "valign"])
        .url_schemes(HashSet::from(["http", "https", "mailto", "data"]))
        .url_relative(UrlRelative::Deny)
        .link_rel(Some(LINK_REL))
        .set_tag_attribute_values(HashMap::from([(
            "a",
            HashMap::from([("target", "_blank")]),
        )]))
        .strip_comments(true)
        .attribute_filter(move |element, attribute, value| {
            filter_attribute(element, attribute, value, allow_remote, &counter)
        });
    let html = b.clean(html).to_string();
    SanitizedHtml {
        html,
        remote_blocked: blocked.load(Ordering::Relaxed),
    }
}

/// Escapes a plain-text body for HTML, keeping line breaks (`<br>`); the stylesheet keeps
/// runs of spaces (`white-space: pre-wrap`).
pub fn text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("<br>");
                }
            }
            '\n' => out.push_str("<br>"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The body to show for a message: sanitized HTML when there is an HTML part, else the
/// escaped text, else an empty fragment.
pub fn body_html(view: &MessageView, allow_remote: bool) -> SanitizedHtml {
    match (&view.html, &view.text) {
        (Some(h), _) => sanitize_html(h, allow_remote),
        (None, Some(t)) => SanitizedHtml {
            html: text_to_html(t),
            remote_blocked: 0,
        },
        (None, None) => SanitizedHtml::default(),
    }
}

fn filter_attribute<'u>(
    element: &str,
    attribute: &str,
    value: &'u str,
    allow_remote: bool,
    blocked: &AtomicUsize,
) -> Option<Cow<'u, str>> {
    let url = normalised_url(value);
    match (element, attribute) {
        ("a", "href") => {
            let ok = ["http://", "https://", "mailto:"]
                .iter()
                .any(|p| url.starts_with(p));
            ok.then_some(Cow::Borrowed(value))
        }
        ("img", "src") => {
            if url.starts_with("data:") {
                let ok = [
                    "data:image/png",
                    "data:image/jpeg",
                    "data:image/jpg",
                    "data:image/gif",
                ]
                .iter()
                .any(|p| {
                    url.strip_prefix(p)
                        .is_some_and(|rest| rest.starts_with(';') || rest.starts_with(','))
                });
                ok.then_some(Cow::Borrowed(value))
            } else if url.starts_with("https://") && allow_remote {
                Some(Cow::Borrowed(value))
            } else if url.starts_with("https://") || url.starts_with("http://") {
                blocked.fetch_add(1, Ordering::Relaxed);
                None
            } else {
                None // cid:, relative, anything else
            }
        }
        // Other URL-valued attributes (cite, longdesc, …) are never needed to read a message.
        (_, "cite" | "longdesc" | "background" | "poster" | "action" | "formaction") => None,
        _ => Some(Cow::Borrowed(value)),
    }
}

/// The URL as a browser would read its scheme: ASCII whitespace and control characters
/// removed (browsers drop tabs and newlines inside URLs), lower-cased.
fn normalised_url(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_ordinary_formatting() {
        let s = sanitize_html("<p>Hello <b>Pat</b></p><ul><li>one</li></ul>", false);
        assert_eq!(s.html, "<p>Hello <b>Pat</b></p><ul><li>one</li></ul>");
        assert_eq!(s.remote_blocked, 0);
    }

    #[test]
    fn removes_scripts_handlers_and_styles() {
        let s = sanitize_html(
            "<script>alert(1)</script><p onclick=\"x()\" style=\"background:url(x)\" \
             class=\"btn\" id=\"signout\">hi</p><style>p{}</style>",
            false,
        );
        assert_eq!(s.html, "<p>hi</p>");
    }

    #[test]
    fn links_get_rel_and_target_and_only_safe_schemes() {
        let s = sanitize_html("<a href=\"https://example.org/x\">x</a>", false);
        assert_eq!(
            s.html,
            "<a href=\"https://example.org/x\" target=\"_blank\" \
             rel=\"noopener noreferrer nofollow\">x</a>"
        );
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "&#106;avascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "/portal/sign-out",
            "//evil.example/",
            "ftp://example.org/",
        ] {
            let s = sanitize_html(&format!("<a href=\"{bad}\">x</a>"), false);
            assert!(!s.html.contains("href"), "{bad} kept: {}", s.html);
        }
        let s = sanitize_html("<a href=\"mailto:front.desk@clinic.example\">x</a>", false);
        assert!(s.html.contains("href=\"mailto:"));
    }

    #[test]
    fn remote_images_are_blocked_and_counted_unless_allowed() {
        let html = "<img src=\"https://tracker.example/p.gif\"><img src=\"http://x.example/a.png\">\
                    <img src=\"cid:logo@x\"><img src=\"data:image/png;base64,iVBORw0K\">";
        let s = sanitize_html(html, false);
        assert_eq!(s.remote_blocked, 2);
        assert!(!s.html.contains("tracker"));
        assert!(!s.html.contains("cid:"));
        assert!(s.html.contains("data:image/png;base64,iVBORw0K"));

        let s = sanitize_html(html, true);
        assert!(s.html.contains("https://tracker.example/p.gif"));
        assert!(
            !s.html.contains("http://x.example"),
            "plain http is never loaded"
        );
        assert_eq!(s.remote_blocked, 1);
    }

    #[test]
    fn only_raster_data_images_are_kept() {
        for ok in [
            "data:image/png;base64,AA",
            "data:image/jpeg;base64,AA",
            "data:image/gif,AA",
        ] {
            assert!(
                sanitize_html(&format!("<img src=\"{ok}\">"), false)
                    .html
                    .contains("src")
            );
        }
        for bad in [
            "data:image/svg+xml;base64,PHN2Zz4=",
            "data:text/html;base64,PHNjcmlwdD4=",
            "data:image/pngx,AA",
        ] {
            let s = sanitize_html(&format!("<img src=\"{bad}\">"), false);
            assert!(!s.html.contains("src"), "{bad}: {}", s.html);
        }
    }

    #[test]
    fn text_is_escaped_with_line_breaks() {
        assert_eq!(
            text_to_html("a < b & \"c\"\r\nline2\nline3\r'x'"),
            "a &lt; b &amp; &quot;c&quot;<br>line2<br>line3<br>&#39;x&#39;"
        );
    }

    #[test]
    fn body_html_prefers_html_then_text() {
        let mut v = MessageView {
            text: Some("plain <i>".into()),
            ..MessageView::default()
        };
        assert_eq!(body_html(&v, false).html, "plain &lt;i&gt;");
        v.html = Some("<i>rich</i><script>x</script>".into());
        assert_eq!(body_html(&v, false).html, "<i>rich</i>");
        assert_eq!(body_html(&MessageView::default(), false).html, "");
    }
}
