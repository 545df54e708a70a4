//! HTTP response headers for portal pages and downloads. The adapter sends exactly these.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::content::sanitize_filename;

/// RFC 8187 `attr-char`: everything else in `filename*` is percent-encoded.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// Headers for every portal HTML page. `remote_images` widens `img-src` to `https:` for a
/// message page whose reader chose "show the pictures"; nothing else changes.
pub fn security_headers(remote_images: bool) -> Vec<(&'static str, String)> {
    let img = if remote_images {
        "img-src 'self' data: https:"
    } else {
        "img-src 'self' data:"
    };
    vec![
        (
            "Content-Security-Policy",
            format!(
                "default-src 'none'; script-src 'self'; style-src 'self'; {img}; \
                 form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'"
            ),
        ),
        (
            "Strict-Transport-Security",
            "max-age=63072000; includeSubDomains".to_string(),
        ),
        ("X-Frame-Options", "DENY".to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
        ("Referrer-Policy", "no-referrer".to_string()),
        ("Cache-Control", "no-store".to_string()),
        (
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), interest-cohort=()".to_string(),
        ),
        ("Cross-Origin-Opener-Policy", "same-origin".to_string()),
        ("Cross-Origin-Resource-Policy", "same-origin".to_string()),
    ]
}

/// Headers for an attachment download: always a download (never rendered by the browser,
/// whatever the sender declared), sandboxed if it ever were.
pub fn download_headers(filename: &str, size: usize) -> Vec<(&'static str, String)> {
    let name = sanitize_filename(filename, 0);
    vec![
        ("Content-Type", "application/octet-stream".to_string()),
        ("Content-Length", size.to_string()),
        ("Content-Disposition", content_disposition(&name)),
        ("X-Content-Type-Options", "nosniff".to_string()),
        (
            "Content-Security-Policy",
            "sandbox; default-src 'none'".to_string(),
        ),
        ("Cache-Control", "no-store".to_string()),
        ("Referrer-Policy", "no-referrer".to_string()),
        ("Cross-Origin-Resource-Policy", "same-origin".to_string()),
    ]
}

/// `attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>` (RFC 6266, 8187).
fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' && c != '%' && c != ';' => c,
            _ => '_',
        })
        .collect();
    let encoded = utf8_percent_encode(name, ATTR_CHAR);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(h: &'a [(&'static str, String)], name: &str) -> &'a str {
        h.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("missing {name}"))
    }

    #[test]
    fn csp_allows_remote_images_only_when_asked() {
        let strict = security_headers(false);
        let csp = get(&strict, "Content-Security-Policy");
        assert_eq!(
            csp,
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'"
        );
        assert!(!csp.contains("https:"));
        assert!(!csp.contains("unsafe"));
        let open = security_headers(true);
        assert!(get(&open, "Content-Security-Policy").contains("img-src 'self' data: https:;"));
        assert_eq!(get(&strict, "X-Frame-Options"), "DENY");
        assert_eq!(get(&strict, "Cache-Control"), "no-store");
        assert_eq!(get(&strict, "Referrer-Policy"), "no-referrer");
        assert_eq!(strict.len(), 9);
    }

    #[test]
    fn downloads_are_octet_stream_attachments_with_safe_names() {
        let h = download_headers("Résultats \"final\";.pdf", 1234);
        assert_eq!(get(&h, "Content-Type"), "application/octet-stream");
        assert_eq!(get(&h, "Content-Length"), "1234");
        assert_eq!(
            get(&h, "Content-Disposition"),
            "attachment; filename=\"R_sultats _final__.pdf\"; \
             filename*=UTF-8''R%C3%A9sultats%20%22final%22%3B.pdf"
        );
        assert_eq!(
            get(&h, "Content-Security-Policy"),
            "sandbox; default-src 'none'"
        );
        assert_eq!(get(&h, "X-Content-Type-Options"), "nosniff");
        let h = download_headers("../x\r\nSet-Cookie: a=b", 1);
        let cd = get(&h, "Content-Disposition");
        assert!(!cd.contains('\r') && !cd.contains('\n') && !cd.contains('/'));
    }
}
