//! XSS corpus: every payload in `xss_corpus.txt`, as message HTML (through `sanitize_html`)
//! and as every untrusted string a page shows (through the templates). Outputs are parsed
//! with html5ever's tokenizer, the HTML5 tokenizer ammonia itself uses, in two ways: the
//! way a browser switches into raw-text states after `<noscript>`, `<style>`, `<title>` … and
//! with no switching at all, so a payload that is harmless only under one reading still
//! fails. Test data is synthetic.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use portal::content::{AttachmentInfo, MessageView};
use portal::i18n::Catalogs;
use portal::pages::{self, Brand, Ctx, ReplyView};
use portal::sanitize::{SanitizedHtml, body_html, sanitize_html};

const CORPUS: &str = include_str!("xss_corpus.txt");

fn corpus() -> Vec<&'static str> {
    CORPUS
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect()
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct T {
    name: String,
    attrs: Vec<(String, String)>,
}

struct Sink {
    browser_states: bool,
    tags: RefCell<Vec<T>>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(Tag {
            kind: TagKind::StartTag,
            name,
            attrs,
            ..
        }) = token
        {
            let name = name.to_string();
            self.tags.borrow_mut().push(T {
                name: name.clone(),
                attrs: attrs
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect(),
            });
            if self.browser_states {
                return match name.as_str() {
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                        TokenSinkResult::RawData(RawKind::Rawtext)
                    }
                    "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "plaintext" => TokenSinkResult::Plaintext,
                    _ => TokenSinkResult::Continue,
                };
            }
        }
        TokenSinkResult::Continue
    }
}

/// Start tags as a browser-like tokenizer and as a plain one see them.
fn readings(html: &str) -> [Vec<T>; 2] {
    [true, false].map(|browser_states| {
        let sink = Sink {
            browser_states,
            tags: RefCell::new(Vec::new()),
        };
        let tok = Tokenizer::new(sink, TokenizerOpts::default());
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(html));
        let _ = tok.feed(&input);
        tok.end();
        tok.sink.tags.take()
    })
}

const BODY_TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

const BODY_ATTRS: &[&str] = &[
    "href",
    "src",
    "alt",
    "title",
    "lang",
    "width",
    "height",
    "align",
    "rel",
    "target",
    "colspan",
    "rowspan",
    "headers",
    "abbr",
    "scope",
    "span",
    "char",
    "charoff",
    "summary",
    "start",
    "dir",
    "datetime",
    "valign",
    "bgcolor",
    "border",
    "cellpadding",
    "cellspacing",
    "color",
    "face",
    "size",
    "hreflang",
    "open",
    "value",
    "reversed",
    "type",
];

fn scheme_ok(tag: &str, attr: &str, value: &str) -> bool {
    let v: String = value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match (tag, attr) {
        ("a", "href") => {
            v.starts_with("https://") || v.starts_with("http://") || v.starts_with("mailto:")
        }
        ("img", "src") => {
            [
                "data:image/png",
                "data:image/jpeg",
                "data:image/jpg",
                "data:image/gif",
            ]
            .iter()
            .any(|p| v.starts_with(p))
                || v.starts_with("https://")
        }
        _ => !v.contains("javascript:") && !v.contains("vbscript:") && !v.contains("data:"),
    }
}

/// The sanitised body contains only allowed tags and attributes, safe URLs, and every link
/// carries the right rel/target.
fn assert_body_safe(payload: &str, out: &SanitizedHtml) {
    for reading in readings(&out.html) {
        for t in reading {
            assert!(
                BODY_TAGS.contains(&t.name.as_str()),
                "tag <{}> survived\n payload: {payload}\n output: {}",
                t.name,
                out.html
            );
            for (a, v) in &t.attrs {
                assert!(
                    BODY_ATTRS.contains(&a.as_str()) && !a.starts_with("on"),
                    "attribute {a} survived on <{}>\n payload: {payload}\n output: {}",
                    t.name,
                    out.html
                );
                assert!(
                    scheme_ok(&t.name, a, v),
                    "unsafe {a}={v:?}\n payload: {payload}\n output: {}",
                    out.html
                );
            }
            if t.name == "a" && t.attrs.iter().any(|(a, _)| a == "href") {
                let get = |n: &str| {
                    t.attrs
                        .iter()
                        .find(|(a, _)| a == n)
                        .map(|(_, v)| v.as_str())
                };
                assert_eq!(
                    get("rel"),
                    Some("noopener noreferrer nofollow"),
                    "{payload}"
                );
                assert_eq!(get("target"), Some("_blank"), "{payload}");
            }
        }
    }
    let lower = out.html.to_ascii_lowercase();
    for needle in [
        "<script", "<iframe", "<object", "<embed", "<form", "<base", "<meta", "<svg",
    ] {
        assert!(
            !lower.contains(needle),
            "{needle} in output of {payload}: {}",
            out.html
        );
    }
}

#[test]
fn corpus_is_large_enough() {
    assert!(corpus().len() >= 80, "only {} payloads", corpus().len());
}

#[test]
fn corpus_as_message_html_is_neutralised() {
    for p in corpus() {
        for allow_remote in [false, true] {
            assert_body_safe(p, &sanitize_html(p, allow_remote));
            // Wrapped in a realistic e-mail document too.
            let doc = format!(
                "<html><head><title>x</title></head><body><p>Hi</p>{p}<p>Bye</p></body></html>"
            );
            assert_body_safe(p, &sanitize_html(&doc, allow_remote));
        }
    }
}

#[test]
fn corpus_as_plain_text_body_is_inert() {
    for p in corpus() {
        let view = MessageView {
            text: Some(p.to_string()),
            ..MessageView::default()
        };
        let out = body_html(&view, false);
        for reading in readings(&out.html) {
            assert!(reading.iter().all(|t| t.name == "br"), "{p} → {}", out.html);
        }
    }
}

/// Shape of a page: tag names and attribute names (values may differ).
fn shape(html: &str) -> [Vec<(String, Vec<String>)>; 2] {
    readings(html).map(|r| {
        r.into_iter()
            .map(|t| (t.name, t.attrs.into_iter().map(|(a, _)| a).collect()))
            .collect()
    })
}

fn view_with(s: &str) -> MessageView {
    MessageView {
        subject: s.to_string(),
        from: format!("{s} <sender@clinic.example>"),
        date: Some("2026-11-29T20:00:00Z".into()),
        text: Some("Hello".into()),
        html: None,
        attachments: vec![AttachmentInfo {
            index: 0,
            filename: s.to_string(),
            content_type: s.to_string(),
            size: 1234,
        }],
        message_id: None,
    }
}

/// Every page rendered with `s` in every untrusted slot.
fn pages_with(s: &str) -> Vec<String> {
    let cats = Catalogs::builtin();
    let mut out = Vec::new();
    for code in ["en", "es"] {
        let lang = cats.negotiate(Some(code), None);
        let brand = Brand::new(s, "#1f4e79");
        let ctx = Ctx {
            lang: &lang,
            brand: &brand,
            csrf: "csrf-token-value",
            path: "/m/copy-1",
        };
        let view = view_with(s);
        let body = SanitizedHtml {
            html: portal::sanitize::text_to_html(s),
            remote_blocked: 1,
        };
        let replies = [ReplyView {
            when: s.to_string(),
            text: s.to_string(),
            attachments: vec![s.to_string()],
        }];
        out.push(pages::landing_page(&ctx, "tok", &format!("{s}@x"), true));
        out.push(pages::code_page(
            &ctx,
            "tok",
            s,
            Some(pages::CodeProblem::Wrong),
        ));
        out.push(pages::message_page(
            &ctx, "copy-1", &view, &body, &replies, false, true,
        ));
        out.push(pages::print_page(&ctx, &view, &body));
        out.push(pages::notice_page(&ctx, pages::Notice::Revoked));
        // The digits come from a validated number; escaped all the same.
        out.push(pages::landing_page_with_sms(
            &ctx,
            "tok",
            &format!("{s}@x"),
            false,
            Some(s),
        ));
        out.push(pages::code_page_with_options(
            &ctx,
            "tok",
            s,
            Some(pages::CodeProblem::Wrong),
            pages::CodeOptions {
                ask_passcode: true,
                sms_digits: Some(s),
                sent_by_sms: true,
            },
        ));
    }
    out
}

#[test]
fn corpus_in_subject_sender_filename_and_org_cannot_change_page_structure() {
    let reference: Vec<_> = pages_with("Plain Text").iter().map(|p| shape(p)).collect();
    for p in corpus() {
        let rendered = pages_with(p);
        for (i, page) in rendered.iter().enumerate() {
            assert_eq!(
                shape(page),
                reference[i],
                "payload changed the structure of page {i}: {p}"
            );
            for reading in readings(page) {
                for t in reading {
                    for (a, v) in &t.attrs {
                        assert!(!a.starts_with("on"), "{a} on <{}> for {p}", t.name);
                        let v = v.to_ascii_lowercase();
                        if matches!(a.as_str(), "href" | "src" | "action") {
                            assert!(v.starts_with('/') || v == "#main", "{a}={v} for {p}");
                        }
                    }
                    if t.name == "script" {
                        assert_eq!(
                            t.attrs,
                            vec![
                                ("src".to_string(), pages::PASSKEY_JS_PATH.to_string()),
                                ("defer".to_string(), String::new())
                            ]
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn template_syntax_in_content_is_shown_literally() {
    for p in ["{{7*7}}", "${7*7}", "{% raw %}{{ 7*7 }}{% endraw %}"] {
        for page in pages_with(p) {
            assert!(!page.contains(">49<"), "{p} was evaluated");
        }
    }
    let page = &pages_with("{{7*7}}")[2];
    assert!(page.contains("<h1>{{7*7}}</h1>"));
}
