//! Text layer of a PDF, with `lopdf` for the object model and our own bounded walk over the
//! pages.
//!
//! PDF is a hostile format for a scanner: a small file can hold streams that inflate a
//! thousandfold, object streams that `lopdf` inflates while loading, page trees whose pages
//! share one huge content stream, and fonts whose `ToUnicode` maps are streams too. So:
//!
//! 1. [`prescan`] inflates, with a running total against the attachment's [`Budget`], every
//!    Flate stream in the file before `lopdf` sees it (images excepted, which are never
//!    decoded), and refuses object and cross-reference streams in the other encodings `lopdf`
//!    would expand at load time (LZW, Brotli, ...). What loading can inflate is then bounded.
//! 2. The page walk charges every content stream and `ToUnicode` map it decodes, so shared
//!    streams are paid for at each use, plus a fixed cost per page and per font entry.
//!
//! Text comes out in content-stream order (`Tj`, `TJ`, `'`, `"`): a new line per text object
//! and per vertical move, a space per horizontal move (so "Name:" and the value placed after
//! it stay apart); no layout analysis beyond that. A PDF with no text at all is
//! [`UnscannableReason::NoTextLayer`]: likely a scan, and an image of a lab report is PHI we
//! cannot see.
//!
//! Encrypted PDFs: `lopdf` tries the empty user password, as any viewer does. A PDF protected
//! only by an owner password ("no printing") therefore opens and is scanned, since anyone who
//! receives it can read it. One that needs a user password is
//! [`UnscannableReason::Encrypted`].

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use flate2::{Decompress, FlushDecompress, Status};
use lopdf::content::Content;
use lopdf::{
    DecompressError, Dictionary, Document, Encoding, Error as PdfError, LoadOptions, Object,
};
use memchr::memmem;

use super::{Budget, ExtractLimits, UnscannableReason};

/// Where the header may start (ISO 32000-1 Annex H allows leading junk; readers look in the
/// first 1024 bytes).
const HEADER_WINDOW: usize = 1024;
/// Budget charged per page visited and per font entry resolved, so a page tree with many pages
/// sharing one content stream or one font table of thousands of entries cannot loop for long.
const FIXED_COST: usize = 256;
/// Largest `ToUnicode` map decoded. Real ones are a few KiB.
const MAX_CMAP_BYTES: usize = 1024 * 1024;
/// How far back from a `stream` keyword to look for an image dictionary.
const DICT_WINDOW: usize = 512;
/// Budget charged per `stream` keyword: the dictionary look-up and the inflate attempt.
const STREAM_COST: usize = 256;

/// `true` when the data carries a PDF header.
pub(super) fn is_pdf(bytes: &[u8]) -> bool {
    memmem::find(&bytes[..bytes.len().min(HEADER_WINDOW)], b"%PDF-").is_some()
}

/// Extracts the text layer of a PDF.
pub(super) fn pdf_text(
    bytes: &[u8],
    limits: &ExtractLimits,
    budget: &mut Budget,
) -> Result<String, UnscannableReason> {
    if !is_pdf(bytes) {
        return Err(UnscannableReason::Undecodable);
    }
    let per_stream = prescan(bytes, budget)?;
    let options = LoadOptions {
        max_decompressed_size: Some(per_stream.max(1)),
        ..LoadOptions::default()
    };
    let doc = match Document::load_mem_with_options(bytes, options) {
        Ok(doc) => doc,
        Err(e) => return Err(load_error(&e, bytes, budget)),
    };
    if doc.trailer.has(b"Encrypt") && !doc.was_encrypted() {
        // Declared encrypted and the empty user password did not open it.
        return Err(UnscannableReason::Encrypted);
    }
    let text = page_text(&doc, limits, budget)?;
    if text.chars().all(|c| c.is_whitespace() || c.is_control()) {
        return Err(UnscannableReason::NoTextLayer);
    }
    Ok(text)
}

fn load_error(e: &PdfError, bytes: &[u8], budget: &Budget) -> UnscannableReason {
    match e {
        PdfError::Decompress(DecompressError::MemoryLimitExceeded { .. }) => budget.exhausted(),
        PdfError::InvalidPassword => UnscannableReason::Encrypted,
        // An encryption dictionary `lopdf` could not make sense of.
        _ if memmem::find(bytes, b"/Encrypt").is_some() => UnscannableReason::Encrypted,
        _ => UnscannableReason::Undecodable,
    }
}

fn is_limit(e: &PdfError) -> bool {
    matches!(
        e,
        PdfError::Decompress(DecompressError::MemoryLimitExceeded { .. })
    )
}

/// Walks the pages in order, decoding each one's content stream against the budget.
fn page_text(
    doc: &Document,
    limits: &ExtractLimits,
    budget: &mut Budget,
) -> Result<String, UnscannableReason> {
    let mut out = String::new();
    // Font dictionaries are shared between pages: resolve each once. Keyed by address, which is
    // stable because `doc` is not modified during the walk.
    let mut encodings: HashMap<*const Dictionary, Option<Encoding<'_>>> = HashMap::new();
    for page_id in doc.page_iter() {
        budget.charge(FIXED_COST)?;
        let mut fonts: HashMap<Vec<u8>, *const Dictionary> = HashMap::new();
        if let Ok(page_fonts) = doc.get_page_fonts(page_id) {
            for (name, font) in page_fonts {
                budget.charge(FIXED_COST)?;
                let key: *const Dictionary = font;
                if let Entry::Vacant(slot) = encodings.entry(key) {
                    slot.insert(font_encoding(doc, font, budget)?);
                }
                fonts.insert(name, key);
            }
        }
        let content = match doc.get_page_content_with_limit(page_id, budget.remaining()) {
            Ok(c) => c,
            Err(e) if is_limit(&e) => return Err(budget.exhausted()),
            // A page we cannot read; the others may still have text.
            Err(_) => continue,
        };
        budget.charge(content.len())?;
        let Ok(content) = Content::decode(&content) else {
            continue;
        };
        let mut current: Option<&Encoding<'_>> = None;
        let mut line_y: Option<f32> = None;
        for op in &content.operations {
            match op.operator.as_str() {
                "Tf" => {
                    current = op
                        .operands
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|n| fonts.get(n))
                        .and_then(|k| encodings.get(k))
                        .and_then(Option::as_ref);
                }
                "Tj" | "TJ" => show(&mut out, current, &op.operands),
                "'" => {
                    newline(&mut out);
                    show(&mut out, current, &op.operands);
                }
                "\"" => {
                    newline(&mut out);
                    show(&mut out, current, op.operands.get(2..).unwrap_or_default());
                }
                "T*" | "ET" => newline(&mut out),
                // Moves: a vertical one starts a new line; a horizontal one separates fields
                // placed apart (table cells, "Name:" and its value) with a space.
                "Td" | "TD" => {
                    let ty = op.operands.get(1).and_then(|o| o.as_float().ok());
                    if ty.is_some_and(|y| y != 0.0) {
                        newline(&mut out);
                    } else {
                        space(&mut out);
                    }
                }
                "Tm" => {
                    let y = op.operands.get(5).and_then(|o| o.as_float().ok());
                    if y != line_y {
                        newline(&mut out);
                        line_y = y;
                    } else {
                        space(&mut out);
                    }
                }
                _ => {}
            }
            if out.len() > limits.max_part_bytes {
                return Err(UnscannableReason::TooLarge);
            }
        }
        newline(&mut out);
    }
    let end = out.trim_end().len();
    out.truncate(end);
    Ok(out)
}

/// Resolves a font's encoding, charging its `ToUnicode` map. `None` when the font cannot be
/// decoded (its text is then skipped).
fn font_encoding<'d>(
    doc: &'d Document,
    font: &'d Dictionary,
    budget: &mut Budget,
) -> Result<Option<Encoding<'d>>, UnscannableReason> {
    let limit = budget.remaining().min(MAX_CMAP_BYTES);
    if let Ok(stream) = font
        .get_deref(b"ToUnicode", doc)
        .and_then(Object::as_stream)
    {
        match stream.decompressed_content_with_limit(limit) {
            Ok(data) => budget.charge(data.len())?,
            Err(e) if is_limit(&e) && limit == budget.remaining() => {
                return Err(budget.exhausted());
            }
            // Over the map limit, or undecodable: treat the font as unreadable.
            Err(_) => return Ok(None),
        }
    }
    Ok(font.get_font_encoding_with_limit(doc, limit).ok())
}

/// Appends the strings of a text-showing operator. A large negative kerning inside `TJ`
/// usually stands for a space.
fn show(out: &mut String, enc: Option<&Encoding<'_>>, operands: &[Object]) {
    for o in operands {
        match o {
            Object::String(bytes, _) => match enc {
                Some(enc) => {
                    // Undecodable strings are skipped; the rest of the page still counts.
                    let _ = enc.write_to_string(bytes, out);
                }
                // No font selected or not decodable: best effort, as Latin-1.
                None => out.extend(bytes.iter().map(|&b| char::from(b))),
            },
            Object::Array(items) => {
                // Nested arrays are not valid in `TJ`; flatten one level only.
                for item in items {
                    match item {
                        Object::String(..) => show(out, enc, std::slice::from_ref(item)),
                        Object::Integer(i) if *i < -100 => out.push(' '),
                        Object::Real(r) if *r < -100.0 => out.push(' '),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

fn space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(char::is_whitespace) {
        out.push(' ');
    }
}

fn newline(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Inflates every Flate stream of the raw file against the budget (output discarded), so that
/// whatever `lopdf` inflates while loading has already been paid for. Returns the per-stream
/// limit to load with. See the module docs.
fn prescan(bytes: &[u8], budget: &mut Budget) -> Result<usize, UnscannableReason> {
    // Filter names must be direct names in a stream dictionary, and stream dictionaries are
    // never inside object streams, so a search of the raw file (with `#xx` escapes decoded)
    // finds every filter `lopdf` could apply.
    let norm = unescape_names(bytes);
    let has = |n: &[u8]| memmem::find(&norm, n).is_some();
    if has(b"ObjStm") || has(b"/XRef") {
        // `lopdf` expands object and cross-reference streams while loading, before we can
        // charge them; we can only pre-pay for plain Flate, so refuse the other encodings
        // (rare since PDF 1.2, and object streams are PDF 1.5).
        const OTHER: [&[u8]; 5] = [
            b"LZWDecode",
            b"BrotliDecode",
            b"ASCII85Decode",
            b"ASCIIHexDecode",
            b"RunLengthDecode",
        ];
        if OTHER.iter().any(|f| has(f)) {
            return Err(UnscannableReason::Undecodable);
        }
    }
    let encrypted = has(b"/Encrypt");
    drop(norm);

    let mut sink = vec![0u8; 64 * 1024];
    // One inflater, reset per stream: a fresh one per candidate would cost tens of KiB of
    // set-up each.
    let mut z = Decompress::new(true);
    let mut streams = 0usize;
    for hit in memmem::find_iter(bytes, b"stream") {
        if hit >= 3 && &bytes[hit - 3..hit] == b"end" {
            continue;
        }
        let rest = &bytes[hit + 6..];
        let start = if rest.starts_with(b"\r\n") {
            2
        } else if rest.starts_with(b"\n") || rest.starts_with(b"\r") {
            1
        } else {
            continue;
        };
        streams += 1;
        // Every candidate costs something, so a file of nothing but `stream` keywords is
        // bounded too.
        budget.charge(STREAM_COST)?;
        inflate_count(
            &rest[start..],
            &mut z,
            budget,
            || is_image(bytes, hit),
            &mut sink,
        )?;
    }
    if encrypted {
        // Encrypted streams cannot be inflated here (they are ciphertext until `lopdf` decrypts
        // them), so bound each one instead: all of them together within four budgets.
        Ok((budget.remaining().saturating_mul(4) / streams.max(1)).min(budget.remaining()))
    } else {
        Ok(budget.remaining())
    }
}

/// The dictionary before a `stream` keyword (back to its `obj` keyword) says `/Image`.
fn is_image(bytes: &[u8], hit: usize) -> bool {
    let window = &bytes[hit.saturating_sub(DICT_WINDOW)..hit];
    let start = memmem::rfind(window, b"obj").unwrap_or(0);
    memmem::find(&unescape_names(&window[start..]), b"/Image").is_some()
}

/// Decodes `#xx` escapes (ISO 32000-1 7.3.5) and drops white space, so `/Type /Obj#53tm` and
/// `/Subtype/Image` read as written by any other producer.
fn unescape_names(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if b == b'#'
            && let Some(h) = raw.get(i + 1..i + 3)
            && let Ok(s) = std::str::from_utf8(h)
            && let Ok(v) = u8::from_str_radix(s, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        if !b.is_ascii_whitespace() {
            out.push(b);
        }
        i += 1;
    }
    out
}

/// Inflates zlib (or, without a zlib header, raw deflate) data from the start of `data` until
/// the deflate stream ends, charging every output byte. Corrupt data just stops the count.
///
/// Images are never decoded for text; they are charged at a quarter so a PDF of large Flate
/// images is not taken for a bomb. A stream that only looks like an image is still charged, so
/// what loading can inflate stays bounded (by four budgets). `image` is asked only once the
/// data has inflated to something.
fn inflate_count(
    data: &[u8],
    z: &mut Decompress,
    budget: &mut Budget,
    image: impl FnOnce() -> bool,
    sink: &mut [u8],
) -> Result<(), UnscannableReason> {
    let zlib_header = data.len() >= 2 && (u16::from(data[0]) << 8 | u16::from(data[1])) % 31 == 0;
    z.reset(zlib_header);
    let mut image = Some(image);
    let mut rate = 1;
    loop {
        let (before_in, before_out) = (z.total_in(), z.total_out());
        let input = &data[(before_in as usize).min(data.len())..];
        let status = z.decompress(input, sink, FlushDecompress::None);
        let produced = (z.total_out() - before_out) as usize;
        let consumed = (z.total_in() - before_in) as usize;
        if produced > 0
            && let Some(image) = image.take()
            && image()
        {
            rate = 4;
        }
        // Input is charged too (an eighth), or empty deflate blocks could be walked for free
        // from every one of many overlapping `stream` keywords.
        budget.charge(produced.div_ceil(rate) + consumed / 8)?;
        match status {
            Ok(Status::StreamEnd) | Err(_) => return Ok(()),
            Ok(_) if produced == 0 && consumed == 0 => return Ok(()),
            Ok(_) => {}
        }
    }
}
