//! Text of Office Open XML documents (DOCX, XLSX, PPTX): a zip archive of XML parts.
//!
//! Reads only the parts that hold document text (body, headers, footers, notes, comments,
//! shared strings and sheets, slides, document properties), each through the attachment's
//! [`Budget`] and a compression-ratio check, and never opens archives nested inside (embedded
//! objects, images): those are skipped. Encrypted OOXML is not a zip at all but a CFB container
//! (see [`is_encrypted_ooxml`]).

use std::borrow::Cow;
use std::io::{Cursor, Read};

use memchr::memmem;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use zip::ZipArchive;
use zip::result::ZipError;

use super::{Budget, ExtractLimits, UnscannableReason};

/// Magic of a Compound File Binary container (legacy `.doc`/`.xls`, and encrypted OOXML).
pub(super) const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// Magic of a zip local file header.
pub(super) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Magic of an end-of-central-directory record (what an empty zip starts with).
const ZIP_EMPTY_MAGIC: &[u8] = b"PK\x05\x06";
/// Magic of a central directory file header.
const CENTRAL_MAGIC: &[u8] = b"PK\x01\x02";

/// An entry must inflate past this many bytes before the ratio check applies, so that small,
/// very repetitive XML parts (an empty sheet, a styles part) are not refused.
const RATIO_GRACE_BYTES: u64 = 1024 * 1024;
/// Read granularity when inflating an entry.
const CHUNK: usize = 64 * 1024;

/// `true` for a zip archive (by magic).
pub(super) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(ZIP_EMPTY_MAGIC)
}

/// `true` for a CFB container holding an `EncryptionInfo` stream: how Office stores a
/// password-protected DOCX/XLSX/PPTX (MS-OFFCRYPTO 2.1). The stream name is in the CFB
/// directory as UTF-16LE.
pub(super) fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    const NAME: &[u8] = b"E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o\0";
    bytes.starts_with(CFB_MAGIC) && memmem::find(bytes, NAME).is_some()
}

/// What an archive turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Docx,
    Xlsx,
    Pptx,
}

/// Which part of a document an entry is, in reading order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    /// `xl/sharedStrings.xml`: read first, the sheets refer to it.
    SharedStrings,
    /// `xl/workbook.xml`: sheet names.
    Workbook,
    /// Body, sheet or slide.
    Main,
    /// Headers, footers, notes, comments.
    Aside,
    /// `docProps/core.xml`: title, subject, author, keywords.
    Properties,
}

/// Extracts the text of an OOXML document. `Err(Binary)` when the zip is not a document we
/// know (a plain `.zip`, ODF, ...).
pub(super) fn ooxml_text(
    bytes: &[u8],
    limits: &ExtractLimits,
    budget: &mut Budget,
) -> Result<String, UnscannableReason> {
    // The central directory is parsed whole when the archive is opened, one allocation per
    // entry, so count first. Every entry the parser can accept starts with a central-header
    // signature, so their number bounds the entries, whatever the (zip64) count fields claim.
    if memmem::find_iter(bytes, CENTRAL_MAGIC)
        .nth(limits.max_archive_entries)
        .is_some()
    {
        return Err(UnscannableReason::TooManyEntries);
    }
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
    if archive.len() > limits.max_archive_entries {
        return Err(UnscannableReason::TooManyEntries);
    }
    let names: Vec<(usize, String)> = (0..archive.len())
        .filter_map(|i| archive.name_for_index(i).map(|n| (i, n.to_string())))
        .collect();
    let kind = if names.iter().any(|(_, n)| n == "word/document.xml") {
        Kind::Docx
    } else if names.iter().any(|(_, n)| n == "xl/workbook.xml") {
        Kind::Xlsx
    } else if names.iter().any(|(_, n)| n == "ppt/presentation.xml") {
        Kind::Pptx
    } else {
        return Err(UnscannableReason::Binary);
    };
    let mut wanted: Vec<(Role, usize, &str)> = names
        .iter()
        .filter_map(|(i, n)| role(kind, n).map(|r| (r, *i, n.as_str())))
        .collect();
    // Reading order: role, then numeric order of names (`sheet2` before `sheet10`).
    wanted.sort_by(|a, b| (a.0, a.2.len(), a.2).cmp(&(b.0, b.2.len(), b.2)));

    let mut out = Text::new(limits.max_part_bytes);
    let mut shared: Vec<String> = Vec::new();
    let mut used: Vec<bool> = Vec::new();
    for (role, index, _) in wanted {
        let xml = read_entry(&mut archive, index, limits, budget)?;
        match (kind, role) {
            (Kind::Xlsx, Role::SharedStrings) => {
                shared = shared_strings(&xml)?;
                used = vec![false; shared.len()];
            }
            (Kind::Xlsx, Role::Workbook) => sheet_names(&xml, &mut out)?,
            (Kind::Xlsx, Role::Main) => sheet_text(&xml, &shared, &mut used, &mut out)?,
            (_, Role::Properties) => all_text(&xml, &mut out)?,
            _ => run_text(&xml, &mut out)?,
        }
    }
    // Strings no cell refers to any more are still in the file, and may still be PHI.
    for (s, _) in shared.iter().zip(&used).filter(|(_, u)| !**u) {
        out.push_str(s)?;
        out.newline();
    }
    Ok(out.finish())
}

/// The role of an entry, or `None` for parts without text (styles, themes, media, embedded
/// objects, relationships).
fn role(kind: Kind, name: &str) -> Option<Role> {
    if name == "docProps/core.xml" {
        return Some(Role::Properties);
    }
    let xml = name.ends_with(".xml");
    let file = name.rsplit('/').next().unwrap_or(name);
    match kind {
        Kind::Docx => {
            let dir = name.strip_prefix("word/")?;
            if !xml || dir.contains('/') {
                // Subfolders: _rels, theme, media, embeddings, glossary.
                return None;
            }
            match file {
                "document.xml" => Some(Role::Main),
                _ if ["header", "footer", "footnotes", "endnotes", "comments"]
                    .iter()
                    .any(|p| file.starts_with(p)) =>
                {
                    Some(Role::Aside)
                }
                _ => None,
            }
        }
        Kind::Xlsx => match name {
            "xl/sharedStrings.xml" => Some(Role::SharedStrings),
            "xl/workbook.xml" => Some(Role::Workbook),
            _ if xml && one_level(name, "xl/worksheets/") => Some(Role::Main),
            _ if xml && one_level(name, "xl/") && file.starts_with("comments") => Some(Role::Aside),
            _ => None,
        },
        Kind::Pptx => {
            if xml && one_level(name, "ppt/slides/") {
                Some(Role::Main)
            } else if xml
                && (one_level(name, "ppt/notesSlides/") || one_level(name, "ppt/comments/"))
            {
                Some(Role::Aside)
            } else {
                None
            }
        }
    }
}

/// `name` is a file directly inside `dir` (which ends with `/`).
fn one_level(name: &str, dir: &str) -> bool {
    name.strip_prefix(dir)
        .is_some_and(|rest| !rest.contains('/'))
}

fn zip_error(e: ZipError) -> UnscannableReason {
    match e {
        ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED) | ZipError::InvalidPassword => {
            UnscannableReason::Encrypted
        }
        _ => UnscannableReason::Undecodable,
    }
}

/// Inflates one entry through the budget and the ratio check, and decodes it as text.
fn read_entry(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
    limits: &ExtractLimits,
    budget: &mut Budget,
) -> Result<String, UnscannableReason> {
    let entry = archive.by_index(index).map_err(zip_error)?;
    if entry.encrypted() {
        return Err(UnscannableReason::Encrypted);
    }
    let compressed = entry.compressed_size().max(1);
    let ratio = u64::from(limits.max_compression_ratio);
    // Cheap checks on the declared sizes first; the reads below enforce the real ones, since a
    // hostile archive can declare anything.
    let declared = entry.size();
    if declared > budget.remaining() as u64 {
        return Err(budget.exhausted());
    }
    if declared > RATIO_GRACE_BYTES && declared / compressed > ratio {
        return Err(UnscannableReason::DecompressionBomb);
    }
    let mut reader = entry.take(budget.remaining() as u64 + 1);
    let mut data = Vec::with_capacity(declared.min(CHUNK as u64) as usize);
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(UnscannableReason::Undecodable),
        };
        budget.charge(n)?;
        data.extend_from_slice(&chunk[..n]);
        let produced = data.len() as u64;
        if produced > RATIO_GRACE_BYTES && produced / compressed > ratio {
            return Err(UnscannableReason::DecompressionBomb);
        }
    }
    Ok(decode_xml_bytes(data))
}

/// XML parts are UTF-8, or UTF-16 with a byte-order mark. Anything invalid is decoded lossily.
fn decode_xml_bytes(data: Vec<u8>) -> String {
    let utf16 = |le: bool| {
        let units = data[2..].chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect()
    };
    if data.starts_with(&[0xFF, 0xFE]) {
        utf16(true)
    } else if data.starts_with(&[0xFE, 0xFF]) {
        utf16(false)
    } else {
        match String::from_utf8(data) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    }
}

/// Text accumulated for one document, capped at the per-part limit.
struct Text {
    s: String,
    max: usize,
}

impl Text {
    fn new(max: usize) -> Self {
        Text {
            s: String::new(),
            max,
        }
    }

    fn push_str(&mut self, t: &str) -> Result<(), UnscannableReason> {
        if self.s.len().saturating_add(t.len()) > self.max {
            return Err(UnscannableReason::TooLarge);
        }
        self.s.push_str(t);
        Ok(())
    }

    fn push(&mut self, c: char) -> Result<(), UnscannableReason> {
        let mut b = [0u8; 4];
        self.push_str(c.encode_utf8(&mut b))
    }

    fn newline(&mut self) {
        if !self.s.is_empty() && !self.s.ends_with('\n') {
            self.s.push('\n');
        }
    }

    fn finish(mut self) -> String {
        let end = self.s.trim_end().len();
        self.s.truncate(end);
        self.s
    }
}

fn xml_reader(xml: &str) -> Reader<&[u8]> {
    let mut r = Reader::from_str(xml);
    // Be lenient about structure: text is what we want, and a mismatched tag in a hostile file
    // should not hide the rest of it.
    r.config_mut().check_end_names = false;
    r.config_mut().allow_unmatched_ends = true;
    r
}

/// Element local names the text walkers look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Name {
    T,
    DelText,
    Tab,
    Br,
    Cr,
    P,
    Si,
    RPh,
    Sheet,
    Row,
    C,
    V,
    Other,
}

impl Name {
    fn of(qname: &str) -> Name {
        let local = qname.rsplit(':').next().unwrap_or(qname);
        match local {
            "t" => Name::T,
            "delText" => Name::DelText,
            "tab" => Name::Tab,
            "br" => Name::Br,
            "cr" => Name::Cr,
            "p" => Name::P,
            "si" => Name::Si,
            "rPh" => Name::RPh,
            "sheet" => Name::Sheet,
            "row" => Name::Row,
            "c" => Name::C,
            "v" => Name::V,
            _ => Name::Other,
        }
    }
}

/// One XML event reduced to what the text walkers need.
enum Ev<'a> {
    /// A start tag, with the tag for attribute look-ups.
    Start(Name, BytesStart<'a>),
    /// An empty-element tag.
    Empty(Name, BytesStart<'a>),
    End(Name),
    /// Text, with references resolved.
    Text(Cow<'a, str>),
    Eof,
    Other,
}

/// Reads the next event. Entity and character references come back as text; unknown entity
/// names (there is no DTD processing, so no entity expansion) are dropped.
fn next<'a>(r: &mut Reader<&'a [u8]>) -> Result<Ev<'a>, UnscannableReason> {
    let ev = r.read_event().map_err(|_| UnscannableReason::Undecodable)?;
    Ok(match ev {
        Event::Start(s) => Ev::Start(Name::of(s.name().into_inner()), s),
        Event::Empty(s) => Ev::Empty(Name::of(s.name().into_inner()), s),
        Event::End(e) => Ev::End(Name::of(e.name().into_inner())),
        Event::Text(t) => Ev::Text(t.xml10_content()),
        Event::CData(t) => Ev::Text(t.into_inner()),
        Event::GeneralRef(g) => {
            let c = match g.resolve_char_ref() {
                Ok(Some(c)) => Some(c.to_string()),
                Ok(None) => quick_xml::escape::resolve_predefined_entity(&g).map(str::to_string),
                Err(_) => Some('\u{FFFD}'.to_string()),
            };
            match c {
                Some(c) => Ev::Text(Cow::Owned(c)),
                None => Ev::Other,
            }
        }
        Event::Eof => Ev::Eof,
        _ => Ev::Other,
    })
}

/// DOCX and PPTX bodies: text runs (`w:t`, `a:t`, and tracked deletions `w:delText`, which the
/// file still carries), with tabs, line breaks and a new line per paragraph.
fn run_text(xml: &str, out: &mut Text) -> Result<(), UnscannableReason> {
    let mut r = xml_reader(xml);
    let mut in_text = 0usize;
    loop {
        match next(&mut r)? {
            Ev::Start(Name::T | Name::DelText, _) => in_text += 1,
            Ev::End(Name::T | Name::DelText) => in_text = in_text.saturating_sub(1),
            Ev::Text(t) if in_text > 0 => out.push_str(&t)?,
            Ev::Empty(Name::Tab, _) | Ev::Start(Name::Tab, _) => out.push('\t')?,
            Ev::Empty(Name::Br | Name::Cr, _) => out.push('\n')?,
            Ev::End(Name::P) => out.newline(),
            Ev::Eof => break,
            _ => {}
        }
    }
    out.newline();
    Ok(())
}

/// Every text node, one per line (document properties).
fn all_text(xml: &str, out: &mut Text) -> Result<(), UnscannableReason> {
    let mut r = xml_reader(xml);
    loop {
        match next(&mut r)? {
            Ev::Text(t) => out.push_str(&t)?,
            Ev::End(_) => out.newline(),
            Ev::Eof => break,
            _ => {}
        }
    }
    out.newline();
    Ok(())
}

/// `xl/sharedStrings.xml`: one string per `si`, rich-text runs joined, phonetic guides
/// (`rPh`) skipped. The table is bounded by the entry's size, itself within the budget.
fn shared_strings(xml: &str) -> Result<Vec<String>, UnscannableReason> {
    let mut r = xml_reader(xml);
    let mut strings = Vec::new();
    let mut cur: Option<String> = None;
    let (mut in_t, mut in_rph) = (0usize, 0usize);
    loop {
        match next(&mut r)? {
            Ev::Start(Name::Si, _) => cur = Some(String::new()),
            Ev::Empty(Name::Si, _) => strings.push(String::new()),
            Ev::End(Name::Si) => strings.push(cur.take().unwrap_or_default()),
            Ev::Start(Name::RPh, _) => in_rph += 1,
            Ev::End(Name::RPh) => in_rph = in_rph.saturating_sub(1),
            Ev::Start(Name::T, _) => in_t += 1,
            Ev::End(Name::T) => in_t = in_t.saturating_sub(1),
            Ev::Text(t) if in_t > 0 && in_rph == 0 => {
                if let Some(c) = cur.as_mut() {
                    c.push_str(&t);
                }
            }
            Ev::Eof => break,
            _ => {}
        }
    }
    Ok(strings)
}

/// `xl/workbook.xml`: the sheet names (a tab named after a patient is PHI too).
fn sheet_names(xml: &str, out: &mut Text) -> Result<(), UnscannableReason> {
    let mut r = xml_reader(xml);
    loop {
        match next(&mut r)? {
            Ev::Start(Name::Sheet, s) | Ev::Empty(Name::Sheet, s) => {
                if let Some(name) = attr(&s, "name") {
                    out.push_str(&name)?;
                    out.newline();
                }
            }
            Ev::Eof => break,
            _ => {}
        }
    }
    Ok(())
}

/// A worksheet: cells as text, a tab between cells and a new line per row. Shared-string
/// cells (`t="s"`) are looked up, inline strings read, other values (numbers, booleans,
/// formula results) kept as written. Formulas themselves are skipped.
fn sheet_text(
    xml: &str,
    shared: &[String],
    used: &mut [bool],
    out: &mut Text,
) -> Result<(), UnscannableReason> {
    let mut r = xml_reader(xml);
    let mut cell_type: Option<String> = None;
    let mut first_in_row = true;
    let (mut in_v, mut in_t) = (false, 0usize);
    let mut value = String::new();
    loop {
        match next(&mut r)? {
            Ev::Start(Name::Row, _) => first_in_row = true,
            Ev::End(Name::Row) => out.newline(),
            Ev::Start(Name::C, s) => {
                cell_type = attr(&s, "t");
                value.clear();
            }
            Ev::End(Name::C) => {
                let text = match cell_type.as_deref() {
                    Some("s") => match value.trim().parse::<usize>().ok() {
                        Some(i) if i < shared.len() => {
                            used[i] = true;
                            shared[i].as_str()
                        }
                        _ => "",
                    },
                    _ => value.as_str(),
                };
                if !text.is_empty() {
                    if !first_in_row {
                        out.push('\t')?;
                    }
                    out.push_str(text)?;
                    first_in_row = false;
                }
                value.clear();
            }
            Ev::Start(Name::V, _) => in_v = true,
            Ev::End(Name::V) => in_v = false,
            Ev::Start(Name::T, _) => in_t += 1,
            Ev::End(Name::T) => in_t = in_t.saturating_sub(1),
            Ev::Text(t) if in_v || in_t > 0 => {
                if value.len().saturating_add(t.len()) > out.max {
                    return Err(UnscannableReason::TooLarge);
                }
                value.push_str(&t);
            }
            Ev::Eof => break,
            _ => {}
        }
    }
    out.newline();
    Ok(())
}

/// An attribute's unescaped value, by local name.
fn attr(s: &BytesStart<'_>, name: &str) -> Option<String> {
    s.attributes()
        .flatten()
        .find(|a| a.key.local_name().into_inner() == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}
