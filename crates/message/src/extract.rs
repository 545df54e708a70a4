//! Text extraction for the PHI detector: turns a whole message into the pieces of text a
//! scanner can read (decoded Subject, text/plain bodies, HTML converted to text, text and CSV
//! attachments, PDF text layers, DOCX/XLSX/PPTX text, nested `message/rfc822`), and lists the
//! parts it could not read, each with a reason policy can act on.
//!
//! **Does:** parse with `mail-parser` (which decodes transfer encodings and charsets; anything
//! not valid UTF-8 is decoded lossily; a message of one plain-text part has only its header
//! block parsed, its body taken as the parser would take it, see `plain_text_message`), walk the
//! MIME tree without recursion, convert HTML with a
//! small converter of our own ([`html_to_text`]), and read documents, recognised by their content
//! rather than their label:
//! - PDF (the private `pdf` module): the text layer, via `lopdf`'s object model and our own
//!   bounded page walk. No layout analysis; a PDF without text is
//!   [`UnscannableReason::NoTextLayer`].
//!   A PDF that opens with the empty user password (owner-password "protection") is read; one
//!   that needs a password is [`UnscannableReason::Encrypted`].
//! - DOCX, XLSX, PPTX (the private `office` module): `zip` + `quick-xml` over the parts that hold
//!   text (body, headers, footers, notes, comments, tracked deletions, shared strings, cells,
//!   sheet names, slides, document properties). Encrypted OOXML (a CFB container with an
//!   `EncryptionInfo` stream) is [`UnscannableReason::Encrypted`].
//!
//! Every input is bounded by [`ExtractLimits`]: depth, part count, per-part and total size, and
//! for documents the archive entry count, the bytes inflated per document and per message, and
//! the compression ratio. Inflated bytes are counted as they are produced, so a zip or PDF bomb
//! becomes [`UnscannableReason::DecompressionBomb`] after a bounded amount of work, never a hang
//! or a huge allocation. PDF object and cross-reference streams in encodings other than Flate
//! are refused ([`UnscannableReason::Undecodable`]), because `lopdf` expands them while loading,
//! before they can be counted. Anything over a limit, encrypted, corrupt, or of a type we cannot
//! read (images, legacy `.doc`/`.xls`, plain `.zip`) becomes an [`Unscannable`] entry. Never
//! panics on hostile input (document parsers run under `catch_unwind` as a last line). Our code
//! never recurses on input structure; `lopdf`'s parser does, to a fixed depth. Synchronous and
//! CPU-bound: run it on a blocking thread.
//!
//! **Does not:** log anything itself (`lopdf` emits `log` warnings about malformed PDFs, which
//! can quote PDF objects: filter the `lopdf` target out), read images (no OCR), open archives
//! nested inside documents (embedded workbooks, attached `.zip` files), read legacy binary
//! Office formats or ODF, or decide what to do. XLSX dates come out as the serial numbers the
//! file stores.
//!
//! **PHI:** [`TextPart::text`] is patient text. `Debug` of [`TextPart`] and [`Extracted`] prints
//! lengths only, never text.

use std::fmt;

use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders, PartType};

mod office;
mod pdf;

/// Limits on what [`extract_text`] will do with one message.
///
/// The document limits (archive entries, decompressed bytes, compression ratio) are what turn a
/// zip or PDF bomb into a prompt verdict: every byte inflated from a DOCX/XLSX/PPTX entry or a
/// PDF stream is counted against them as it is produced, whatever sizes the file declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtractLimits {
    /// Deepest MIME nesting walked (multipart and `message/rfc822` levels). Default 8.
    pub max_depth: usize,
    /// Most MIME parts visited. Default 500.
    pub max_parts: usize,
    /// Most decoded text returned in total, in bytes. Default 20 MiB.
    pub max_total_bytes: usize,
    /// Largest single decoded part, in bytes: a text part, an attachment as sent (a PDF or
    /// DOCX file), and the text extracted from one document. Default 10 MiB.
    pub max_part_bytes: usize,
    /// Most entries in one DOCX/XLSX/PPTX archive (counted from the central directory, before
    /// anything is inflated). Real documents have tens to a few hundred. Default 2 000.
    pub max_archive_entries: usize,
    /// Most bytes inflated for one document attachment: zip entries read, PDF streams (with
    /// small fixed charges per PDF page, font and stream so work without output is bounded
    /// too). Default 64 MiB.
    pub max_decompressed_bytes: usize,
    /// Most bytes inflated for all the documents of one message. Default 256 MiB.
    pub max_total_decompressed_bytes: usize,
    /// Largest compression ratio (inflated / stored) of a zip entry, applied once the entry has
    /// inflated past 1 MiB. Default 100, Apache POI's `ZipSecureFile` default; real XML parts
    /// stay well under it.
    pub max_compression_ratio: u32,
}

impl Default for ExtractLimits {
    fn default() -> Self {
        ExtractLimits {
            max_depth: 8,
            max_parts: 500,
            max_total_bytes: 20 * 1024 * 1024,
            max_part_bytes: 10 * 1024 * 1024,
            max_archive_entries: 2_000,
            max_decompressed_bytes: 64 * 1024 * 1024,
            max_total_decompressed_bytes: 256 * 1024 * 1024,
            max_compression_ratio: 100,
        }
    }
}

/// Where a piece of text came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A (decoded) `Subject:` header, of the message or of a nested message.
    Subject,
    /// A `text/plain` body part.
    BodyText,
    /// A `text/html` body part, converted to text.
    BodyHtml,
    /// An attachment (or a part of an attached message); `index` is the part number (1-based,
    /// leaf parts in message order).
    Attachment { index: usize },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Subject => f.write_str("subject"),
            Origin::BodyText => f.write_str("body text"),
            Origin::BodyHtml => f.write_str("body html"),
            Origin::Attachment { index } => write!(f, "attachment {index}"),
        }
    }
}

/// One piece of text to scan. `Debug` never prints the text.
#[derive(Clone, PartialEq, Eq)]
pub struct TextPart {
    /// Where it came from.
    pub origin: Origin,
    /// The attachment file name, when there is one.
    pub name: Option<String>,
    /// The decoded text (PHI).
    pub text: String,
}

impl fmt::Debug for TextPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TextPart")
            .field("origin", &self.origin)
            .field("name", &self.name)
            .field("text_len", &self.text.len())
            .finish()
    }
}

/// Why a part was not scanned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnscannableReason {
    /// A type we cannot read (images, legacy `.doc`/`.xls`, plain `.zip`, other binary).
    Binary,
    /// Encrypted content: S/MIME, PGP, a password-protected PDF or Office document, an
    /// encrypted zip entry.
    Encrypted,
    /// Over the per-part or total size limit (including the message's decompression budget).
    TooLarge,
    /// Nested deeper than the depth limit.
    TooDeep,
    /// Over the part-count limit (the rest of the message was not walked).
    TooManyParts,
    /// The transfer encoding or charset could not be decoded, or the document is corrupt (or
    /// uses an encoding we refuse to expand, see [`extract_text`]).
    Undecodable,
    /// A document that inflates past the per-document decompression limit or the compression
    /// ratio limit: a zip or PDF bomb, or something indistinguishable from one.
    DecompressionBomb,
    /// An archive with more entries than the limit.
    TooManyEntries,
    /// A PDF without a text layer: most likely a scan, whose image may well be PHI.
    NoTextLayer,
}

impl UnscannableReason {
    /// A short phrase for reports (`"not readable yet"`).
    pub fn as_str(self) -> &'static str {
        match self {
            UnscannableReason::Binary => "not readable yet",
            UnscannableReason::Encrypted => "encrypted",
            UnscannableReason::TooLarge => "too large",
            UnscannableReason::TooDeep => "nested too deep",
            UnscannableReason::TooManyParts => "too many parts",
            UnscannableReason::Undecodable => "could not be decoded",
            UnscannableReason::DecompressionBomb => "decompression bomb",
            UnscannableReason::TooManyEntries => "too many archive entries",
            UnscannableReason::NoTextLayer => "no text layer (scanned image?)",
        }
    }

    /// A stable identifier for JSON (`"binary"`, `"too_deep"`, ...).
    pub fn code(self) -> &'static str {
        match self {
            UnscannableReason::Binary => "binary",
            UnscannableReason::Encrypted => "encrypted",
            UnscannableReason::TooLarge => "too_large",
            UnscannableReason::TooDeep => "too_deep",
            UnscannableReason::TooManyParts => "too_many_parts",
            UnscannableReason::Undecodable => "undecodable",
            UnscannableReason::DecompressionBomb => "decompression_bomb",
            UnscannableReason::TooManyEntries => "too_many_entries",
            UnscannableReason::NoTextLayer => "no_text_layer",
        }
    }
}

/// A part that was not scanned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unscannable {
    /// Part number (1-based, leaf parts in message order; 0 for the message as a whole).
    pub index: usize,
    /// The file name, when there is one.
    pub name: Option<String>,
    /// `type/subtype` as declared.
    pub content_type: String,
    /// Why.
    pub reason: UnscannableReason,
}

/// The result of [`extract_text`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The message's own `From:`, `To:`, `Cc:` and `Date:` header lines, decoded, one a line
    /// ("From: Harold Mitchell <hmitchell@example.net>\n"), at most [`MAX_HEADER_LINES`] bytes:
    /// who writes to whom tells a scanner whose a name or a mailbox is (PHI: a patient's name
    /// and mailbox). Empty when the text is not a message or has none of them.
    pub header_lines: String,
    /// Text to scan, in message order.
    pub parts: Vec<TextPart>,
    /// Parts that were not scanned.
    pub unscannable: Vec<Unscannable>,
}

/// Most bytes of [`Extracted::header_lines`] (a longer list of recipients is cut at a line).
pub const MAX_HEADER_LINES: usize = 4096;

/// The message's `From:`, `To:`, `Cc:` and `Date:` lines, decoded (see
/// [`Extracted::header_lines`]). Control characters in names become spaces, so each header
/// stays one line.
fn header_lines(m: &Message<'_>) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for (name, list) in [("From", m.from()), ("To", m.to()), ("Cc", m.cc())] {
        let Some(list) = list else { continue };
        line.clear();
        line.push_str(name);
        line.push(':');
        for (i, a) in list.iter().take(100).enumerate() {
            line.push_str(if i == 0 { " " } else { ", " });
            match (a.name(), a.address()) {
                (Some(n), Some(addr)) => {
                    line.push_str(n);
                    line.push_str(" <");
                    line.push_str(addr);
                    line.push('>');
                }
                (Some(n), None) => line.push_str(n),
                (None, Some(addr)) => line.push_str(addr),
                (None, None) => {}
            }
        }
        push_header_line(&mut out, &line);
    }
    if let Some(date) = m.header_raw("Date") {
        push_header_line(&mut out, &format!("Date: {}", date.trim()));
    }
    out
}

/// Appends `line` and a line break, control characters replaced, unless the result would
/// pass [`MAX_HEADER_LINES`].
fn push_header_line(out: &mut String, line: &str) {
    if out.len() + line.len() + 1 > MAX_HEADER_LINES {
        return;
    }
    out.extend(line.chars().map(|c| if c.is_control() { ' ' } else { c }));
    out.push('\n');
}

/// `true` when `raw` starts with an RFC 5322 header block (so it should be parsed as a message);
/// a plain-text file is not.
pub fn looks_like_message(raw: &[u8]) -> bool {
    let first = raw.split(|&b| b == b'\n').next().unwrap_or_default();
    let Some(colon) = first.iter().position(|&b| b == b':') else {
        return false;
    };
    let name = &first[..colon];
    if name.is_empty() || !name.iter().all(|&b| (33..=126).contains(&b)) {
        return false;
    }
    // At least one header a message would have, in the leading header block.
    const KNOWN: [&str; 9] = [
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "content-type",
        "received",
        "return-path",
    ];
    raw.split(|&b| b == b'\n')
        .take_while(|l| !l.is_empty() && *l != b"\r")
        .take(1000)
        .any(|l| {
            l.iter().position(|&b| b == b':').is_some_and(|c| {
                let n = String::from_utf8_lossy(&l[..c]).to_ascii_lowercase();
                KNOWN.contains(&n.trim())
            })
        })
}

/// Extracts every piece of readable text from a raw message. Never panics; see the module docs.
pub fn extract_text(raw: &[u8], limits: &ExtractLimits) -> Extracted {
    let message = plain_text_message(raw).or_else(|| MessageParser::default().parse(raw));
    walk_parsed(message, limits)
}

/// What the walk makes of a parsed message (`None`: it did not parse).
fn walk_parsed(message: Option<Message<'_>>, limits: &ExtractLimits) -> Extracted {
    let mut out = Extracted::default();
    let Some(message) = message else {
        out.unscannable.push(Unscannable {
            index: 0,
            name: None,
            content_type: "message/rfc822".into(),
            reason: UnscannableReason::Undecodable,
        });
        return out;
    };
    Walker {
        limits,
        out: &mut out,
        total: 0,
        visited: 0,
        leaf: 0,
        decompressed: 0,
    }
    .walk(&message);
    out
}

/// A message of one `text/plain` part, as `mail-parser` would parse it, without its walk of the
/// body. `mail-parser` looks at every byte of a body for a boundary even where there can be none,
/// and decodes it with `String::from_utf8_lossy`, which has no fast path for ASCII: together
/// about 20 instructions a byte, as much as the PHI detector spends on plain text. This is the
/// shape of much machine-sent mail (an EHR's or a monitoring system's notice, a script's
/// report) and of the relay benchmark's. Only the header block goes through the parser; the
/// body is taken as it stands (no transfer encoding to undo) and checked as UTF-8 once.
///
/// `None` (the caller parses the whole message) unless the header block ends at a blank line,
/// the parser agrees where it ends, and the part is `text/plain` (declared or by default), not
/// named or marked as an attachment, without a base64 or quoted-printable encoding, in a
/// charset the parser would read as UTF-8 (none, an unknown one, `utf-8`) or `us-ascii` with an
/// all-ASCII body. For such a message the parser's own result is this one (tests compare the
/// two on every shape at the edges of these conditions).
fn plain_text_message(raw: &[u8]) -> Option<Message<'_>> {
    let header_end = header_block_end(raw)?;
    let body = &raw[header_end..];
    let mut message = MessageParser::default().parse(&raw[..header_end])?;
    let [part] = message.parts.as_mut_slice() else {
        return None;
    };
    let empty_text = matches!(&part.body, PartType::Text(t) if t.is_empty());
    if !empty_text
        || part.is_encoding_problem
        || part.offset_body as usize != header_end
        || content_type(part) != "text/plain"
        || part.attachment_name().is_some()
        || is_attachment(part)
        || part.content_transfer_encoding().is_some_and(|e| {
            e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("quoted-printable")
        })
    {
        return None;
    }
    let charset = part.content_type().and_then(|ct| ct.attribute("charset"));
    if let Some(charset) = charset
        && mail_parser::decoders::charsets::map::charset_decoder(charset.as_bytes()).is_some()
    {
        // A named single-byte charset: identical to UTF-8 only for ASCII (`us-ascii` maps to
        // windows-1252, which leaves 0x00-0x7F as they are).
        let ascii =
            charset.eq_ignore_ascii_case("us-ascii") || charset.eq_ignore_ascii_case("ascii");
        if !(ascii && body.is_ascii()) {
            return None;
        }
    }
    let text = match std::str::from_utf8(body) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(body),
    };
    part.body = PartType::Text(text);
    part.offset_end = raw.len() as u32;
    message.raw_message = raw.into();
    Some(message)
}

/// Where the header block ends: just after the first empty line (`\n\n` or `\n\r\n`).
fn header_block_end(raw: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'\n', raw).find_map(|i| match raw.get(i + 1..) {
        Some([b'\n', ..]) => Some(i + 2),
        Some([b'\r', b'\n', ..]) => Some(i + 3),
        _ => None,
    })
}

struct Walker<'l, 'o> {
    limits: &'l ExtractLimits,
    out: &'o mut Extracted,
    total: usize,
    visited: usize,
    leaf: usize,
    /// Bytes inflated so far for the documents of this message.
    decompressed: usize,
}

/// One entry of the walk stack.
struct Item<'m, 'x> {
    msg: &'m Message<'x>,
    part: usize,
    depth: usize,
    /// Inside an attached message: every text part counts as an attachment.
    attached: bool,
}

impl Walker<'_, '_> {
    fn walk(&mut self, root: &Message<'_>) {
        self.out.header_lines = header_lines(root);
        if let Some(s) = root.subject() {
            self.push_text(Origin::Subject, None, s.to_string(), "text/plain", 0);
        }
        let mut stack = vec![Item {
            msg: root,
            part: 0,
            depth: 0,
            attached: false,
        }];
        while let Some(item) = stack.pop() {
            let Some(part) = item.msg.parts.get(item.part) else {
                continue;
            };
            self.visited += 1;
            let ctype = content_type(part);
            if self.visited > self.limits.max_parts {
                self.unscannable(0, None, "multipart/mixed", UnscannableReason::TooManyParts);
                return;
            }
            let name = part.attachment_name().map(str::to_string);
            if item.depth > self.limits.max_depth {
                self.leaf += 1;
                self.unscannable(self.leaf, name, &ctype, UnscannableReason::TooDeep);
                continue;
            }
            if is_encrypted(&ctype) {
                self.leaf += 1;
                self.unscannable(self.leaf, name, &ctype, UnscannableReason::Encrypted);
                continue;
            }
            match &part.body {
                PartType::Multipart(children) => {
                    // Reverse so the stack pops them in message order.
                    for &child in children.iter().rev() {
                        stack.push(Item {
                            msg: item.msg,
                            part: child as usize,
                            depth: item.depth + 1,
                            attached: item.attached,
                        });
                    }
                }
                PartType::Message(nested) => {
                    self.leaf += 1;
                    if item.depth + 1 > self.limits.max_depth {
                        self.unscannable(self.leaf, name, &ctype, UnscannableReason::TooDeep);
                        continue;
                    }
                    if let Some(s) = nested.subject() {
                        self.push_text(Origin::Subject, None, s.to_string(), &ctype, self.leaf);
                    }
                    stack.push(Item {
                        msg: nested,
                        part: 0,
                        depth: item.depth + 1,
                        attached: true,
                    });
                }
                PartType::Text(text) | PartType::Html(text) => {
                    self.leaf += 1;
                    if part.is_encoding_problem {
                        self.unscannable(self.leaf, name, &ctype, UnscannableReason::Undecodable);
                        continue;
                    }
                    if looks_like_document(text.as_bytes()) {
                        // A PDF or zip sent as text/*: it was decoded as (lossy) text, so the
                        // document itself is lost. Say so rather than scan the noise.
                        self.unscannable(self.leaf, name, &ctype, UnscannableReason::Undecodable);
                        continue;
                    }
                    let html = matches!(part.body, PartType::Html(_));
                    let body = !item.attached && name.is_none() && !is_attachment(part);
                    let origin = match (body, html) {
                        (true, true) => Origin::BodyHtml,
                        (true, false) => Origin::BodyText,
                        _ => Origin::Attachment { index: self.leaf },
                    };
                    if text.len() > self.limits.max_part_bytes {
                        self.unscannable(self.leaf, name, &ctype, UnscannableReason::TooLarge);
                        continue;
                    }
                    let text = if html {
                        html_to_text(text)
                    } else {
                        text.to_string()
                    };
                    self.push_text(origin, name, text, &ctype, self.leaf);
                }
                PartType::Binary(bytes) | PartType::InlineBinary(bytes) => {
                    self.leaf += 1;
                    if let Some(kind) = document_kind(&ctype, name.as_deref(), bytes) {
                        let result = self.document(kind, bytes);
                        match result {
                            Ok(text) => {
                                let origin = Origin::Attachment { index: self.leaf };
                                self.push_text(origin, name, text, &ctype, self.leaf);
                            }
                            Err(reason) => self.unscannable(self.leaf, name, &ctype, reason),
                        }
                        continue;
                    }
                    if !is_texty(&ctype, name.as_deref()) {
                        self.unscannable(self.leaf, name, &ctype, UnscannableReason::Binary);
                        continue;
                    }
                    if bytes.len() > self.limits.max_part_bytes {
                        self.unscannable(self.leaf, name, &ctype, UnscannableReason::TooLarge);
                        continue;
                    }
                    let text = String::from_utf8_lossy(bytes).into_owned();
                    let origin = Origin::Attachment { index: self.leaf };
                    self.push_text(origin, name, text, &ctype, self.leaf);
                }
            }
        }
    }

    /// Extracts a document's text within the per-document and per-message budgets.
    fn document(&mut self, kind: DocKind, bytes: &[u8]) -> Result<String, UnscannableReason> {
        if bytes.len() > self.limits.max_part_bytes {
            return Err(UnscannableReason::TooLarge);
        }
        let left = self
            .limits
            .max_total_decompressed_bytes
            .saturating_sub(self.decompressed);
        let mut budget = if self.limits.max_decompressed_bytes <= left {
            Budget::new(
                self.limits.max_decompressed_bytes,
                UnscannableReason::DecompressionBomb,
            )
        } else {
            // The message's budget binds: running out of it is "too large", not a bomb.
            Budget::new(left, UnscannableReason::TooLarge)
        };
        let limits = self.limits;
        // Parsers of hostile formats are where a panic would come from, ours or a dependency's
        // (release builds keep overflow checks). Contain it to this attachment.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match kind {
            DocKind::Pdf => pdf::pdf_text(bytes, limits, &mut budget),
            DocKind::Zip => office::ooxml_text(bytes, limits, &mut budget),
            DocKind::EncryptedOoxml => Err(UnscannableReason::Encrypted),
            DocKind::Declared => Err(UnscannableReason::Undecodable),
        }))
        .unwrap_or(Err(UnscannableReason::Undecodable));
        self.decompressed = self.decompressed.saturating_add(budget.used());
        result
    }

    fn push_text(
        &mut self,
        origin: Origin,
        name: Option<String>,
        text: String,
        ctype: &str,
        index: usize,
    ) {
        if text.len() > self.limits.max_part_bytes
            || self.total.saturating_add(text.len()) > self.limits.max_total_bytes
        {
            self.unscannable(index, name, ctype, UnscannableReason::TooLarge);
            return;
        }
        self.total += text.len();
        self.out.parts.push(TextPart { origin, name, text });
    }

    fn unscannable(
        &mut self,
        index: usize,
        name: Option<String>,
        ctype: &str,
        reason: UnscannableReason,
    ) {
        self.out.unscannable.push(Unscannable {
            index,
            name,
            content_type: ctype.to_string(),
            reason,
        });
    }
}

/// `type/subtype`, lower case (`text/plain` when absent).
fn content_type(part: &MessagePart<'_>) -> String {
    match part.content_type() {
        Some(ct) => {
            let mut s = ct.ctype().to_ascii_lowercase();
            if let Some(sub) = ct.subtype() {
                s.push('/');
                s.push_str(&sub.to_ascii_lowercase());
            }
            s
        }
        None => "text/plain".into(),
    }
}

fn is_attachment(part: &MessagePart<'_>) -> bool {
    part.content_disposition()
        .is_some_and(|d| d.ctype().eq_ignore_ascii_case("attachment"))
}

fn is_encrypted(ctype: &str) -> bool {
    matches!(
        ctype,
        "multipart/encrypted"
            | "application/pkcs7-mime"
            | "application/x-pkcs7-mime"
            | "application/pgp-encrypted"
    )
}

/// The documents [`Walker::document`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DocKind {
    /// `%PDF-` header.
    Pdf,
    /// A zip: DOCX, XLSX or PPTX if its entries say so.
    Zip,
    /// A CFB container with an `EncryptionInfo` stream.
    EncryptedOoxml,
    /// Declared a PDF or OOXML document, but it is neither: corrupt (or mislabelled).
    Declared,
}

/// What to do with a binary part. The content decides (a PDF labelled `image/png` is still
/// read); the declared type only turns a mismatch into a verdict. `None`: not a document.
fn document_kind(ctype: &str, name: Option<&str>, bytes: &[u8]) -> Option<DocKind> {
    if pdf::is_pdf(bytes) {
        return Some(DocKind::Pdf);
    }
    if office::is_zip(bytes) {
        return Some(DocKind::Zip);
    }
    if office::is_encrypted_ooxml(bytes) {
        return Some(DocKind::EncryptedOoxml);
    }
    let ext = name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase());
    let declared = matches!(ctype, "application/pdf" | "application/x-pdf")
        || ctype.starts_with("application/vnd.openxmlformats-officedocument.")
        || matches!(
            ext.as_deref(),
            Some("pdf" | "docx" | "docm" | "xlsx" | "xlsm" | "pptx" | "pptm")
        );
    // A legacy CFB file (`.doc`, `.xls`) named `.docx` is not corrupt, just not readable.
    (declared && !bytes.starts_with(office::CFB_MAGIC)).then_some(DocKind::Declared)
}

/// `true` when text starts like a PDF or a zip (a document mislabelled as `text/*`).
fn looks_like_document(text: &[u8]) -> bool {
    text.starts_with(b"%PDF-") || text.starts_with(office::ZIP_MAGIC)
}

/// Bytes that one document may still inflate. Charged as bytes are produced.
struct Budget {
    limit: usize,
    used: usize,
    /// The verdict when it runs out.
    exhausted: UnscannableReason,
}

impl Budget {
    fn new(limit: usize, exhausted: UnscannableReason) -> Self {
        Budget {
            limit,
            used: 0,
            exhausted,
        }
    }

    fn remaining(&self) -> usize {
        self.limit - self.used
    }

    fn used(&self) -> usize {
        self.used
    }

    fn exhausted(&self) -> UnscannableReason {
        self.exhausted
    }

    /// Charges `n` bytes; `Err` (the verdict) once over the limit.
    fn charge(&mut self, n: usize) -> Result<(), UnscannableReason> {
        if n > self.remaining() {
            self.used = self.limit;
            return Err(self.exhausted);
        }
        self.used += n;
        Ok(())
    }
}

/// Binary parts we can still read as text (CSV and friends sent as `application/*`).
fn is_texty(ctype: &str, name: Option<&str>) -> bool {
    if ctype.starts_with("text/")
        || matches!(
            ctype,
            "application/csv"
                | "application/x-csv"
                | "application/json"
                | "application/xml"
                | "application/x-ndjson"
        )
    {
        return true;
    }
    let generic = matches!(
        ctype,
        "application/octet-stream" | "application/vnd.ms-excel"
    );
    let ext = name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase());
    generic && matches!(ext.as_deref(), Some("csv" | "tsv" | "txt"))
}

/// Converts HTML to readable text: drops tags, comments, `<script>`, `<style>` and `<head>`
/// content; decodes character references; starts a new line at block elements; collapses runs
/// of white space. Linear in the input, never panics.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut pending_space = false;
    let mut i = 0;
    let b = html.as_bytes();
    while i < b.len() {
        match b[i] {
            b'<' => {
                // Comment.
                if html[i..].starts_with("<!--") {
                    i = match html[i + 4..].find("-->") {
                        Some(e) => i + 4 + e + 3,
                        None => b.len(),
                    };
                    continue;
                }
                let Some(end) = tag_end(b, i + 1) else {
                    // A lone '<': keep it as text.
                    push_char(&mut out, &mut pending_space, '<');
                    i += 1;
                    continue;
                };
                let inner = &html[i + 1..end];
                let closing = inner.starts_with('/');
                let name: String = inner
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .take(16)
                    .collect::<String>()
                    .to_ascii_lowercase();
                i = end + 1;
                if !closing && matches!(name.as_str(), "script" | "style" | "head" | "title") {
                    // Skip to the matching close tag (case-insensitive).
                    let close = format!("</{name}");
                    i = match find_ci(&b[i..], close.as_bytes()) {
                        Some(p) => match tag_end(b, i + p + 1) {
                            Some(e) => e + 1,
                            None => b.len(),
                        },
                        None => b.len(),
                    };
                    if name == "title" {
                        newline(&mut out, &mut pending_space);
                    }
                    continue;
                }
                if is_block(&name) {
                    newline(&mut out, &mut pending_space);
                } else if matches!(name.as_str(), "td" | "th") {
                    pending_space = true;
                }
            }
            b'&' => {
                let (c, len) = entity(&html[i..]);
                match c {
                    Some(c) if c.is_whitespace() => pending_space = true,
                    // Soft hyphen and zero-width joiners: drop (they would split words).
                    Some('\u{AD}') => {}
                    Some(c) => push_char(&mut out, &mut pending_space, c),
                    None => push_char(&mut out, &mut pending_space, '&'),
                }
                i += len;
            }
            c if c.is_ascii_whitespace() => {
                pending_space = true;
                i += 1;
            }
            _ => {
                let ch = html[i..].chars().next().unwrap_or('\u{FFFD}');
                push_char(&mut out, &mut pending_space, ch);
                i += ch.len_utf8();
            }
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// Index of the `>` closing a tag whose name starts at `from`, honouring quoted attribute values.
fn tag_end(b: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    let mut i = from;
    while i < b.len() {
        match (quote, b[i]) {
            (None, b'"' | b'\'') => quote = Some(b[i]),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// ASCII case-insensitive search.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&p| hay[p..p + needle.len()].eq_ignore_ascii_case(needle))
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "br"
            | "div"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "hr"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "address"
            | "dd"
            | "dt"
            | "dl"
            | "body"
            | "html"
            | "caption"
            | "thead"
            | "tbody"
            | "form"
            | "nav"
            | "main"
            | "aside"
            | "figure"
            | "figcaption"
    )
}

fn push_char(out: &mut String, pending_space: &mut bool, c: char) {
    if *pending_space {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push(' ');
        }
        *pending_space = false;
    }
    out.push(c);
}

fn newline(out: &mut String, pending_space: &mut bool) {
    *pending_space = false;
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Decodes a character reference at the start of `s` (which starts with `&`). Returns the
/// character (None when it is not a reference) and how many bytes to consume.
fn entity(s: &str) -> (Option<char>, usize) {
    let body: String = s[1..]
        .chars()
        .take(12)
        .take_while(|&c| c != ';' && (c.is_ascii_alphanumeric() || c == '#'))
        .collect();
    let has_semi = s[1 + body.len()..].starts_with(';');
    let len = 1 + body.len() + usize::from(has_semi);
    let c = if let Some(num) = body.strip_prefix('#') {
        let v = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse::<u32>().ok(),
        };
        v.map(|v| {
            char::from_u32(v)
                .filter(|&c| c != '\0')
                .unwrap_or('\u{FFFD}')
        })
    } else {
        match body.as_str() {
            "amp" | "AMP" => Some('&'),
            "lt" | "LT" => Some('<'),
            "gt" | "GT" => Some('>'),
            "quot" | "QUOT" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            "ndash" => Some('\u{2013}'),
            "mdash" => Some('\u{2014}'),
            "hellip" => Some('\u{2026}'),
            "copy" => Some('\u{A9}'),
            "reg" => Some('\u{AE}'),
            "lsquo" => Some('\u{2018}'),
            "rsquo" => Some('\u{2019}'),
            "ldquo" => Some('\u{201C}'),
            "rdquo" => Some('\u{201D}'),
            "middot" => Some('\u{B7}'),
            "bull" => Some('\u{2022}'),
            "shy" | "zwnj" | "zwj" => Some('\u{AD}'),
            _ => None,
        }
    };
    match c {
        Some(c) => (Some(c), len),
        None => (None, 1),
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    fn ex(raw: &str) -> Extracted {
        extract_text(raw.as_bytes(), &ExtractLimits::default())
    }

    #[test]
    fn header_lines_give_who_writes_to_whom_decoded_and_one_a_line() {
        let e = ex(
            "From: =?utf-8?q?In=C3=A9s_Valderrama?= <ines@example.net>\r\n\
To: Front Desk <desk@clinic.example>, billing@clinic.example\r\n\
Cc: \"Ortiz,\r\n Mateo\" <mo@example.org>\r\nDate: Wed, 5 Nov 2025 08:14:09 -0800\r\n\
Subject: friday\r\nX-Other: not this\r\n\r\nbody\r\n",
        );
        assert_eq!(
            e.header_lines,
            "From: In\u{e9}s Valderrama <ines@example.net>\n\
To: Front Desk <desk@clinic.example>, billing@clinic.example\n\
Cc: Ortiz, Mateo <mo@example.org>\n\
Date: Wed, 5 Nov 2025 08:14:09 -0800\n"
        );
        // A plain text that is no message has none; a long list is cut at a whole line.
        assert_eq!(ex("just text\n").header_lines, "");
        let many: Vec<String> = (0..100).map(|i| format!("person{i}@example.org")).collect();
        let raw = format!(
            "From: a@example.org\r\nTo: {}\r\nCc: {}\r\nSubject: x\r\n\r\nbody\r\n",
            many.join(", "),
            many.join(", ")
        );
        let e = ex(&raw);
        assert!(e.header_lines.len() <= MAX_HEADER_LINES);
        assert!(
            e.header_lines
                .starts_with("From: a@example.org\nTo: person0@")
        );
        assert!(e.header_lines.ends_with('\n'));
    }

    /// The extraction with and without the one-part shortcut, and whether the shortcut was taken.
    fn both_ways(raw: &[u8]) -> (Extracted, Extracted, bool) {
        let limits = ExtractLimits::default();
        let full = walk_parsed(MessageParser::default().parse(raw), &limits);
        (
            extract_text(raw, &limits),
            full,
            plain_text_message(raw).is_some(),
        )
    }

    #[test]
    fn one_plain_part_read_without_the_body_walk_as_the_parser_reads_it() {
        let body = "Hi,\r\nMaria Lopez (DOB 03/14/1962) is due for labs.\r\n--b1\r\n.\r\nx\r\n";
        // (header block, whether the shortcut applies)
        let cases: [(&str, bool); 14] = [
            ("From: a@example.test\r\nSubject: Labs\r\n", true),
            ("From: a@example.test\nSubject: Labs\n", true),
            (
                "From: a@example.test\r\nContent-Type: text/plain; charset=UTF-8\r\n",
                true,
            ),
            (
                "From: a@example.test\r\nContent-Type: TEXT/PLAIN; charset=\"utf-8\"; format=flowed\r\n",
                true,
            ),
            (
                "From: a@example.test\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n",
                true,
            ),
            (
                "From: a@example.test\r\nContent-Type: text/plain; charset=x-unknown\r\n",
                true,
            ),
            (
                "From: a@example.test\r\nSubject: =?utf-8?q?Lab_results?=\r\n Continued\r\n",
                true,
            ),
            (
                "From: a@example.test\r\nContent-Transfer-Encoding: quoted-printable\r\n",
                false,
            ),
            (
                "From: a@example.test\r\nContent-Transfer-Encoding: base64\r\n",
                false,
            ),
            ("From: a@example.test\r\nContent-Type: text/html\r\n", false),
            (
                "From: a@example.test\r\nContent-Disposition: attachment; filename=labs.txt\r\n",
                false,
            ),
            (
                "From: a@example.test\r\nContent-Type: multipart/mixed; boundary=b1\r\n",
                false,
            ),
            (
                "From: a@example.test\r\nContent-Type: text/plain; name=labs.txt\r\n",
                false,
            ),
            // A line that is no header field: the parser steps over it, and the block still
            // ends at the blank line.
            (
                "From: a@example.test\r\nnot a field\r\nSubject: Labs\r\n",
                true,
            ),
        ];
        for (head, shortcut) in cases {
            for body in [body, "", "%PDF-1.7\r\n", "line\n\nafter a blank line\n"] {
                let raw = format!("{head}\r\n{body}");
                let (fast, full, taken) = both_ways(raw.as_bytes());
                assert_eq!(taken, shortcut, "{head:?}");
                assert_eq!(fast.parts, full.parts, "{head:?} {body:?}");
                assert_eq!(fast.unscannable, full.unscannable, "{head:?} {body:?}");
            }
        }
        // Bytes that are not UTF-8: read lossily either way; under a named single-byte
        // charset only the parser decodes them.
        for (head, shortcut) in [
            ("From: a@example.test\r\n", true),
            (
                "From: a@example.test\r\nContent-Type: text/plain; charset=us-ascii\r\n",
                false,
            ),
            (
                "From: a@example.test\r\nContent-Type: text/plain; charset=iso-8859-1\r\n",
                false,
            ),
        ] {
            let mut raw = format!("{head}\r\nJos").into_bytes();
            raw.extend_from_slice(b"\xe9 Garc\xeda\r\n\xff\xfe end\r\n");
            let (fast, full, taken) = both_ways(&raw);
            assert_eq!(taken, shortcut, "{head:?}");
            assert_eq!(fast, full, "{head:?}");
        }
        // No blank line after the header block: the parser decides.
        let (fast, full, taken) = both_ways(b"From: a@example.test\r\nSubject: x");
        assert!(!taken);
        assert_eq!(fast, full);
    }

    proptest::proptest! {
        #[test]
        fn the_one_part_shortcut_reads_any_body_as_the_parser_does(
            head in proptest::sample::select(vec![
                "From: a@example.test\r\n",
                "From: a@example.test\r\nContent-Type: text/plain; charset=utf-8\r\n",
                "From: a@example.test\r\nContent-Type: text/plain; charset=us-ascii\r\n",
                "From: a@example.test\nSubject: s\n",
            ]),
            body in proptest::collection::vec(proptest::sample::select(
                b"ab-\r\n.:\xc3\xa9\xff0 ".to_vec()), 0..200),
        ) {
            let mut raw = format!("{head}\r\n").into_bytes();
            raw.extend_from_slice(&body);
            let (fast, full, _) = both_ways(&raw);
            proptest::prop_assert_eq!(fast, full);
        }
    }

    #[test]
    fn alternative_text_and_html() {
        let raw = "From: a@example.test\r\nSubject: Lab results\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n\
--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain body line\r\n\
--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Html <b>body</b></p><p>second</p>\r\n\
--b1--\r\n";
        let e = ex(raw);
        assert!(e.unscannable.is_empty(), "{:?}", e.unscannable);
        assert_eq!(e.parts.len(), 3, "{:?}", e.parts);
        assert_eq!(e.parts[0].origin, Origin::Subject);
        assert_eq!(e.parts[0].text, "Lab results");
        assert_eq!(e.parts[1].origin, Origin::BodyText);
        assert!(e.parts[1].text.contains("Plain body line"));
        assert_eq!(e.parts[2].origin, Origin::BodyHtml);
        assert_eq!(e.parts[2].text, "Html body\nsecond");
    }

    #[test]
    fn base64_quoted_printable_and_latin1() {
        let raw = "From: a@example.test\r\nSubject: =?iso-8859-1?Q?R=E9sultats?=\r\n\
Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n\
SGVsbG8gYmFzZTY0\r\n\
--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
soft=\r\nbreak =3D equals\r\n\
--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
caf=E9 na=EFve\r\n\
--b--\r\n";
        let e = ex(raw);
        let texts: Vec<&str> = e.parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts[0], "Résultats");
        assert!(texts[1].contains("Hello base64"), "{texts:?}");
        assert!(texts[2].contains("softbreak = equals"), "{texts:?}");
        assert!(texts[3].contains("café naïve"), "{texts:?}");
    }

    #[test]
    fn html_drops_script_style_and_decodes_entities() {
        let html = "<html><head><title>T</title><style>p{color:red}</style></head><body>\
<script type=\"text/javascript\">var ssn = 'x';</script><!-- hidden comment -->\
<div>Tom &amp; Jerry &lt;ok&gt; &#65;&#x42; caf&eacute;&nbsp;x</div><table><tr><td>a</td><td>b</td></tr></table>\
<SCRIPT>alert(1)</SCRIPT>line<br>next</body></html>";
        let t = html_to_text(html);
        assert!(!t.contains("color"), "{t}");
        assert!(!t.contains("ssn"), "{t}");
        assert!(!t.contains("alert"), "{t}");
        assert!(!t.contains("hidden"), "{t}");
        assert!(t.contains("Tom & Jerry <ok> AB caf&eacute; x"), "{t}");
        assert!(t.contains("a b"), "{t}");
        assert!(t.contains("line\nnext"), "{t}");
        // Hostile fragments do not panic.
        for s in [
            "<",
            "&",
            "&#xFFFFFFFF;",
            "<scr",
            "<script>",
            "<a href='>",
            "&#0;",
            "é<é>é",
        ] {
            let _ = html_to_text(s);
        }
    }

    #[test]
    fn csv_attachment_is_text_and_truncated_pdf_is_undecodable() {
        let raw = "From: a@example.test\r\nSubject: s\r\n\
Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n\
--b\r\nContent-Type: text/csv; name=\"labs.csv\"\r\nContent-Disposition: attachment; filename=\"labs.csv\"\r\n\r\n\
name,value\r\nglucose,99\r\n\
--b\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\nContent-Disposition: attachment; filename=\"report.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
JVBERi0xLjQKJcfs\r\n\
--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"more.csv\"\r\n\r\n\
a,b\r\n\
--b--\r\n";
        let e = ex(raw);
        let csv = e
            .parts
            .iter()
            .find(|p| p.name.as_deref() == Some("labs.csv"))
            .expect("csv");
        assert_eq!(csv.origin, Origin::Attachment { index: 2 });
        assert!(csv.text.contains("glucose,99"));
        assert!(
            e.parts
                .iter()
                .any(|p| p.name.as_deref() == Some("more.csv"))
        );
        assert_eq!(e.unscannable.len(), 1, "{:?}", e.unscannable);
        let u = &e.unscannable[0];
        assert_eq!(u.index, 3);
        assert_eq!(u.name.as_deref(), Some("report.pdf"));
        assert_eq!(u.content_type, "application/pdf");
        // Nine bytes of header are not a PDF (documents are read: tests/extract_documents.rs).
        assert_eq!(u.reason, UnscannableReason::Undecodable);
        // Debug never prints text.
        let dbg = format!("{e:?}");
        assert!(!dbg.contains("glucose"), "{dbg}");
    }

    #[test]
    fn nested_message_is_walked() {
        let raw = "From: a@example.test\r\nSubject: Fwd: note\r\n\
Content-Type: multipart/mixed; boundary=\"o\"\r\n\r\n\
--o\r\nContent-Type: text/plain\r\n\r\nforwarding\r\n\
--o\r\nContent-Type: message/rfc822\r\n\r\n\
From: b@example.test\r\nSubject: inner subject\r\nContent-Type: text/plain\r\n\r\ninner body text\r\n\
--o--\r\n";
        let e = ex(raw);
        assert!(e.unscannable.is_empty(), "{:?}", e.unscannable);
        let texts: Vec<&str> = e.parts.iter().map(|p| p.text.as_str()).collect();
        assert!(texts.contains(&"inner subject"), "{texts:?}");
        let inner = e
            .parts
            .iter()
            .find(|p| p.text.contains("inner body text"))
            .expect("inner body");
        assert!(matches!(inner.origin, Origin::Attachment { .. }));
    }

    #[test]
    fn deep_nesting_is_too_deep_and_fast() {
        let mut raw = String::from("From: a@example.test\r\nSubject: deep\r\n");
        for d in 0..50 {
            raw.push_str(&format!(
                "Content-Type: multipart/mixed; boundary=\"b{d}\"\r\n\r\n--b{d}\r\n"
            ));
        }
        raw.push_str("Content-Type: text/plain\r\n\r\nbottom\r\n");
        for d in (0..50).rev() {
            raw.push_str(&format!("--b{d}--\r\n"));
        }
        let t = Instant::now();
        let e = ex(&raw);
        assert!(t.elapsed() < Duration::from_secs(2));
        assert!(
            e.unscannable
                .iter()
                .any(|u| u.reason == UnscannableReason::TooDeep),
            "{e:?}"
        );
        assert!(!e.parts.iter().any(|p| p.text.contains("bottom")));

        // Nested message/rfc822, 50 deep.
        let mut raw = String::new();
        for _ in 0..50 {
            raw.push_str("From: a@example.test\r\nContent-Type: message/rfc822\r\n\r\n");
        }
        raw.push_str("From: a@example.test\r\nContent-Type: text/plain\r\n\r\nbottom\r\n");
        let t = Instant::now();
        let e = ex(&raw);
        assert!(t.elapsed() < Duration::from_secs(2));
        assert!(!e.parts.iter().any(|p| p.text.contains("bottom")), "{e:?}");
    }

    #[test]
    fn ten_thousand_parts_is_too_many_and_fast() {
        let mut raw = String::from(
            "From: a@example.test\r\nSubject: many\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n",
        );
        for i in 0..10_000 {
            raw.push_str(&format!(
                "--b\r\nContent-Type: text/plain\r\n\r\npart {i}\r\n"
            ));
        }
        raw.push_str("--b--\r\n");
        let t = Instant::now();
        let e = ex(&raw);
        assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
        assert!(e.parts.len() <= 501);
        assert_eq!(
            e.unscannable.last().map(|u| u.reason),
            Some(UnscannableReason::TooManyParts)
        );
    }

    #[test]
    fn size_limits() {
        let raw = format!(
            "From: a@example.test\r\nSubject: s\r\nContent-Type: text/plain\r\n\r\n{}\r\n",
            "x".repeat(2000)
        );
        let limits = ExtractLimits {
            max_part_bytes: 1000,
            ..ExtractLimits::default()
        };
        let e = extract_text(raw.as_bytes(), &limits);
        assert_eq!(e.unscannable[0].reason, UnscannableReason::TooLarge);
        let limits = ExtractLimits {
            max_total_bytes: 1000,
            ..ExtractLimits::default()
        };
        let e = extract_text(raw.as_bytes(), &limits);
        assert_eq!(e.unscannable[0].reason, UnscannableReason::TooLarge);
    }

    #[test]
    fn plain_text_is_not_a_message() {
        assert!(!looks_like_message(b"Patient SSN: 123-45-6789\n"));
        assert!(!looks_like_message(b"hello there\n"));
        assert!(looks_like_message(
            b"From: a@example.test\r\nSubject: x\r\n\r\nbody"
        ));
    }

    proptest::proptest! {
        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2000)) {
            let _ = extract_text(&bytes, &ExtractLimits::default());
            let _ = looks_like_message(&bytes);
            let _ = html_to_text(&String::from_utf8_lossy(&bytes));
        }

        #[test]
        fn mime_like_garbage_never_panics(s in "(From: a\r\n|Content-Type: (multipart/mixed; boundary=b|message/rfc822|text/html)\r\n|\r\n|--b\r\n|--b--\r\n|<p>|&#x41;|=3D|x)*") {
            let _ = extract_text(s.as_bytes(), &ExtractLimits::default());
        }
    }
}
