//! Attachment documents (PDF, DOCX, XLSX, PPTX) through `extract_text`: text comes out, and
//! every hostile or unreadable file gets a verdict, promptly.
//!
//! All fixtures are built here from synthetic data (no binary blobs, no real PHI): OOXML with
//! the `zip` writer, PDFs with `lopdf`'s writer or by hand, bombs from a hand-made deflate
//! stream so building them is cheap.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use base64::Engine as _;
use flate2::{Compress, Compression, FlushCompress};
use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};
use message::extract::{ExtractLimits, Extracted, Origin, UnscannableReason, extract_text};
use proptest::prelude::any;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const MRN: &str = "MRN 00012345";
const NAME: &str = "Jane Testpatient";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

// ── helpers ────────────────────────────────────────────────────────────────────────────────

/// A message with a short body and one base64 attachment.
fn message_with(ctype: &str, filename: &str, data: &[u8]) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(data);
    let mut lines = String::new();
    for chunk in b64.as_bytes().chunks(76) {
        lines.push_str(std::str::from_utf8(chunk).expect("base64 is ascii"));
        lines.push_str("\r\n");
    }
    format!(
        "From: clinic@example.test\r\nTo: lab@example.test\r\nSubject: results\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n\
--b\r\nContent-Type: {ctype}; name=\"{filename}\"\r\n\
Content-Disposition: attachment; filename=\"{filename}\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\n{lines}--b--\r\n"
    )
    .into_bytes()
}

fn extract(ctype: &str, filename: &str, data: &[u8]) -> Extracted {
    extract_with(ctype, filename, data, &ExtractLimits::default())
}

fn extract_with(ctype: &str, filename: &str, data: &[u8], limits: &ExtractLimits) -> Extracted {
    extract_text(&message_with(ctype, filename, data), limits)
}

/// The attachment's text (part 2), asserting nothing was unscannable.
fn text_of(e: &Extracted) -> &str {
    assert!(e.unscannable.is_empty(), "{:?}", e.unscannable);
    let p = e
        .parts
        .iter()
        .find(|p| p.origin == Origin::Attachment { index: 2 })
        .unwrap_or_else(|| panic!("no attachment text: {e:?}"));
    &p.text
}

/// The single verdict on the attachment.
fn verdict(e: &Extracted) -> UnscannableReason {
    assert_eq!(e.unscannable.len(), 1, "{e:?}");
    assert_eq!(e.unscannable[0].index, 2, "{e:?}");
    assert!(
        !e.parts
            .iter()
            .any(|p| p.origin == Origin::Attachment { index: 2 }),
        "{e:?}"
    );
    e.unscannable[0].reason
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).expect("start entry");
        w.write_all(data).expect("write entry");
    }
    w.finish().expect("finish zip").into_inner()
}

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

fn docx(body_xml: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document {W}><w:body>{body_xml}</w:body></w:document>"
    );
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", document.as_bytes()),
        (
            "word/styles.xml",
            b"<w:styles><w:t>STYLE-NOT-TEXT</w:t></w:styles>",
        ),
    ];
    entries.extend_from_slice(extra);
    zip_of(&entries)
}

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// Raw deflate data for `mib` MiB of zeros, built from one compressed MiB repeated, so a
/// gigabyte bomb costs a few milliseconds to make.
fn deflated_zeros(mib: usize) -> Vec<u8> {
    let zeros = vec![0u8; 1024 * 1024];
    let mut c = Compress::new(Compression::best(), false);
    let mut chunk = Vec::with_capacity(8 * 1024);
    c.compress_vec(&zeros, &mut chunk, FlushCompress::Sync)
        .expect("compress");
    assert!(chunk.len() < 8 * 1024, "{}", chunk.len());
    let mut out = Vec::with_capacity(chunk.len() * mib + 16);
    for _ in 0..mib {
        out.extend_from_slice(&chunk);
    }
    let mut fin = Compress::new(Compression::best(), false);
    let mut tail = Vec::with_capacity(64);
    fin.compress_vec(&[], &mut tail, FlushCompress::Finish)
        .expect("finish");
    out.extend_from_slice(&tail);
    out
}

/// A zip with one deflated entry whose sizes we choose (to lie, if we like).
fn raw_zip(name: &str, deflated: &[u8], declared_size: u32) -> Vec<u8> {
    raw_zip_flags(name, deflated, declared_size, 0)
}

/// The same, with general-purpose flags (bit 0: encrypted).
fn raw_zip_flags(name: &str, deflated: &[u8], declared_size: u32, flags: u16) -> Vec<u8> {
    let mut z = Vec::new();
    let n = name.len() as u16;
    let csize = deflated.len() as u32;
    let crc = 0u32;
    // Local file header.
    z.extend_from_slice(b"PK\x03\x04");
    z.extend_from_slice(&20u16.to_le_bytes()); // version needed
    z.extend_from_slice(&flags.to_le_bytes());
    z.extend_from_slice(&8u16.to_le_bytes()); // deflate
    z.extend_from_slice(&[0, 0, 0x21, 0]); // time, date
    z.extend_from_slice(&crc.to_le_bytes());
    z.extend_from_slice(&csize.to_le_bytes());
    z.extend_from_slice(&declared_size.to_le_bytes());
    z.extend_from_slice(&n.to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z.extend_from_slice(name.as_bytes());
    z.extend_from_slice(deflated);
    let cd = z.len() as u32;
    // Central directory header.
    z.extend_from_slice(b"PK\x01\x02");
    z.extend_from_slice(&20u16.to_le_bytes()); // made by
    z.extend_from_slice(&20u16.to_le_bytes()); // needed
    z.extend_from_slice(&flags.to_le_bytes());
    z.extend_from_slice(&8u16.to_le_bytes());
    z.extend_from_slice(&[0, 0, 0x21, 0]);
    z.extend_from_slice(&crc.to_le_bytes());
    z.extend_from_slice(&csize.to_le_bytes());
    z.extend_from_slice(&declared_size.to_le_bytes());
    z.extend_from_slice(&n.to_le_bytes());
    z.extend_from_slice(&[0; 12]); // extra, comment, disk, internal attrs, external attrs
    z.extend_from_slice(&0u32.to_le_bytes()); // local header offset
    z.extend_from_slice(name.as_bytes());
    let cd_len = z.len() as u32 - cd;
    // End of central directory.
    z.extend_from_slice(b"PK\x05\x06");
    z.extend_from_slice(&[0; 4]);
    z.extend_from_slice(&1u16.to_le_bytes());
    z.extend_from_slice(&1u16.to_le_bytes());
    z.extend_from_slice(&cd_len.to_le_bytes());
    z.extend_from_slice(&cd.to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z
}

/// A PDF from numbered object bodies (object `i + 1` is `objects[i]`), with a correct xref
/// table. Object 1 must be the catalog.
fn pdf_of(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra}>>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A one-page PDF whose page content is `content` (a stream object body given whole).
fn one_page_pdf(content_stream: Vec<u8>, trailer_extra: &str, extra: &[Vec<u8>]) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
/Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        content_stream,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    objects.extend_from_slice(extra);
    pdf_of(&objects, trailer_extra)
}

fn plain_stream(content: &[u8]) -> Vec<u8> {
    let mut s = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
    s.extend_from_slice(content);
    s.extend_from_slice(b"\nendstream");
    s
}

fn flate_stream(zlib: &[u8]) -> Vec<u8> {
    let mut s = format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
        zlib.len()
    )
    .into_bytes();
    s.extend_from_slice(zlib);
    s.extend_from_slice(b"\nendstream");
    s
}

/// A PDF written by `lopdf` (compressed content stream), showing `lines`.
fn lopdf_pdf(lines: &[&str]) -> Vec<u8> {
    let mut doc = lopdf_doc(lines);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save pdf");
    out
}

/// The same, encrypted (RC4-128) with these passwords.
fn lopdf_pdf_encrypted(lines: &[&str], user_password: &str) -> Vec<u8> {
    let mut doc = lopdf_doc(lines);
    let id = Object::string_literal(b"0123456789abcdef".to_vec());
    doc.trailer.set("ID", vec![id.clone(), id]);
    let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner-secret",
        user_password,
        key_length: 128,
        permissions: lopdf::Permissions::PRINTABLE,
    })
    .expect("encryption state");
    doc.encrypt(&state).expect("encrypt");
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save pdf");
    out
}

fn lopdf_doc(lines: &[&str]) -> Document {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Courier",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 12.into()]),
        Operation::new("Td", vec![72.into(), 700.into()]),
    ];
    for line in lines {
        ops.push(Operation::new("Tj", vec![Object::string_literal(*line)]));
        ops.push(Operation::new("T*", vec![]));
    }
    ops.push(Operation::new("ET", vec![]));
    let content = Content { operations: ops };
    let content_id = doc.add_object(Stream::new(
        dictionary! {},
        content.encode().expect("encode content"),
    ));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    doc
}

/// The attachment got either text or exactly one verdict.
fn answered(e: &Extracted) -> bool {
    let text = e
        .parts
        .iter()
        .any(|p| p.origin == Origin::Attachment { index: 2 });
    text != (e.unscannable.len() == 1)
}

fn timed<T>(bound: Duration, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    assert!(t.elapsed() < bound, "took {:?}", t.elapsed());
    r
}

// ── DOCX ──────────────────────────────────────────────────────────────────────────────────

#[test]
fn docx_text_comes_out_with_headers_tables_and_tracked_deletions() {
    let body = format!(
        "{}{}<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>\
<w:p><w:r><w:t>Dose</w:t><w:tab/><w:t>5 mg</w:t><w:br/><w:t>next line</w:t></w:r></w:p>\
<w:p><w:del><w:r><w:delText>deleted {NAME}</w:delText></w:r></w:del></w:p>\
<w:p><w:r><w:t>Tom &amp; Jerry &#65;&#x42;</w:t></w:r></w:p>",
        para(&format!("Patient: {NAME}")),
        para(MRN),
        para("cell one"),
        para("cell two"),
    );
    let header = format!("<w:hdr {W}>{}</w:hdr>", para("Header: Clinic"));
    let core = "<cp:coreProperties xmlns:cp=\"c\" xmlns:dc=\"d\"><dc:title>Lab for Jane</dc:title>\
<dc:creator>Dr Synthetic</dc:creator></cp:coreProperties>";
    let data = docx(
        &body,
        &[
            ("word/header1.xml", header.as_bytes()),
            ("docProps/core.xml", core.as_bytes()),
            ("word/media/image1.png", b"\x89PNG not really"),
        ],
    );
    let e = extract(DOCX, "letter.docx", &data);
    let t = text_of(&e);
    assert!(t.contains(&format!("Patient: {NAME}\n{MRN}")), "{t}");
    assert!(t.contains("cell one\ncell two"), "{t}");
    assert!(t.contains("Dose\t5 mg\nnext line"), "{t}");
    assert!(t.contains(&format!("deleted {NAME}")), "{t}");
    assert!(t.contains("Tom & Jerry AB"), "{t}");
    assert!(t.contains("Header: Clinic"), "{t}");
    assert!(t.contains("Lab for Jane\nDr Synthetic"), "{t}");
    assert!(!t.contains("STYLE-NOT-TEXT"), "{t}");
    // Body before header before properties.
    let body_at = t.find(MRN).expect("mrn");
    assert!(body_at < t.find("Header: Clinic").expect("header"));
    // Debug prints lengths, never text.
    assert!(!format!("{e:?}").contains(NAME));
}

#[test]
fn docx_is_read_whatever_it_is_labelled() {
    let data = docx(&para(MRN), &[]);
    for (ctype, name) in [
        ("application/octet-stream", "scan.docx"),
        ("application/octet-stream", "noextension"),
        ("image/png", "picture.png"),
    ] {
        let e = extract(ctype, name, &data);
        assert!(text_of(&e).contains(MRN), "{ctype} {name}");
    }
}

#[test]
fn docx_in_utf16_and_with_invalid_utf8_is_read() {
    let xml = format!(
        "<w:document {W}><w:body>{}</w:body></w:document>",
        para(MRN)
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for u in xml.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let data = zip_of(&[("word/document.xml", &utf16)]);
    assert!(text_of(&extract(DOCX, "a.docx", &data)).contains(MRN));

    let mut bad = format!("<w:document {W}><w:body><w:p><w:r><w:t>caf").into_bytes();
    bad.extend_from_slice(b"\xE9 \xFF\xFE ");
    bad.extend_from_slice(format!("{MRN}</w:t></w:r></w:p></w:body></w:document>").as_bytes());
    let data = zip_of(&[("word/document.xml", &bad)]);
    let t = text_of(&extract(DOCX, "a.docx", &data)).to_string();
    assert!(t.contains(MRN), "{t}");
    assert!(t.contains('\u{FFFD}'), "{t}");
}

#[test]
fn docx_entity_expansion_is_not_performed() {
    // "Billion laughs": quick-xml does no DTD processing, so the entities stay unexpanded.
    let mut dtd = String::from("<!DOCTYPE w:document [<!ENTITY a0 \"lol\">");
    for i in 1..10 {
        let refs = format!("&a{};", i - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY a{i} \"{refs}\">"));
    }
    dtd.push_str("]>");
    let xml = format!(
        "{dtd}<w:document {W}><w:body>{}<w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>",
        para(MRN)
    );
    let data = zip_of(&[("word/document.xml", xml.as_bytes())]);
    let e = timed(Duration::from_secs(5), || extract(DOCX, "a.docx", &data));
    let t = text_of(&e);
    assert!(t.contains(MRN), "{t}");
    assert!(!t.contains("lollol"), "{t}");
}

#[test]
fn encrypted_zip_entry_is_encrypted() {
    let data = raw_zip_flags("word/document.xml", &deflated_zeros(1), 1 << 20, 1);
    assert_eq!(
        verdict(&extract(DOCX, "a.docx", &data)),
        UnscannableReason::Encrypted
    );
}

#[test]
fn nested_archive_inside_docx_is_not_opened() {
    // An embedded workbook that is itself a bomb: skipped, the letter is still read.
    let bomb = raw_zip("xl/worksheets/sheet1.xml", &deflated_zeros(1024), 1 << 30);
    let data = docx(
        &para(MRN),
        &[
            ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", &bomb),
            (
                "word/embeddings/inner.docx",
                &docx(&para("inner text"), &[]),
            ),
        ],
    );
    let e = timed(Duration::from_secs(5), || extract(DOCX, "a.docx", &data));
    let t = text_of(&e);
    assert!(t.contains(MRN), "{t}");
    assert!(!t.contains("inner text"), "{t}");
}

// ── XLSX / PPTX ───────────────────────────────────────────────────────────────────────────

#[test]
fn xlsx_cells_shared_strings_and_sheet_names_come_out() {
    let shared = format!(
        "<sst xmlns=\"s\"><si><t>Name</t></si><si><t>{NAME}</t></si>\
<si><r><t>M</t></r><r><t>RN</t></r><rPh><t>PHONETIC</t></rPh></si>\
<si><t>orphan string nobody uses</t></si></sst>"
    );
    let sheet = "<worksheet xmlns=\"s\"><sheetData>\
<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>2</v></c></row>\
<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\"><v>12345678</v></c>\
<c r=\"C2\" t=\"inlineStr\"><is><t>inline note</t></is></c><c r=\"D2\"><f>SUM(B2)</f><v>12345678</v></c>\
<c r=\"E2\" t=\"s\"><v>999</v></c></row></sheetData></worksheet>";
    let workbook = "<workbook xmlns=\"s\"><sheets><sheet name=\"Smith &amp; co\" sheetId=\"1\"/></sheets></workbook>";
    let data = zip_of(&[
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ("xl/sharedStrings.xml", shared.as_bytes()),
        ("xl/styles.xml", b"<styleSheet><t>STYLE</t></styleSheet>"),
    ]);
    let e = extract(XLSX, "labs.xlsx", &data);
    let t = text_of(&e);
    assert!(t.contains("Smith & co"), "{t}");
    assert!(t.contains("Name\tMRN\n"), "{t}");
    assert!(
        t.contains(&format!("{NAME}\t12345678\tinline note\t12345678")),
        "{t}"
    );
    assert!(!t.contains("SUM"), "{t}");
    assert!(!t.contains("PHONETIC"), "{t}");
    assert!(!t.contains("STYLE"), "{t}");
    assert!(t.ends_with("orphan string nobody uses"), "{t}");
}

#[test]
fn pptx_slides_come_out() {
    let slide = format!(
        "<p:sld xmlns:p=\"p\" xmlns:a=\"a\"><p:txBody><a:p><a:r><a:t>{NAME}</a:t></a:r></a:p>\
<a:p><a:r><a:t>{MRN}</a:t></a:r></a:p></p:txBody></p:sld>"
    );
    let data = zip_of(&[
        ("ppt/presentation.xml", b"<p:presentation xmlns:p=\"p\"/>"),
        ("ppt/slides/slide1.xml", slide.as_bytes()),
    ]);
    let t = text_of(&extract(PPTX, "deck.pptx", &data)).to_string();
    assert_eq!(t, format!("{NAME}\n{MRN}"));
}

#[test]
fn plain_zip_is_binary_not_scanned() {
    let data = zip_of(&[("notes.txt", MRN.as_bytes())]);
    assert_eq!(
        verdict(&extract("application/zip", "files.zip", &data)),
        UnscannableReason::Binary
    );
}

// ── PDF ───────────────────────────────────────────────────────────────────────────────────

#[test]
fn pdf_text_layer_comes_out() {
    let data = lopdf_pdf(&[&format!("Patient: {NAME}"), MRN]);
    let e = extract("application/pdf", "report.pdf", &data);
    let t = text_of(&e);
    assert!(t.contains(&format!("Patient: {NAME}\n{MRN}")), "{t}");

    // A hand-written one: uncompressed, TJ with kerning, ' operator, hex string.
    let content = b"BT /F1 12 Tf 72 700 Td [(MR) -20 (N) -300 (00012345)] TJ \
(second line) ' <4A616E65> Tj ET";
    let data = one_page_pdf(plain_stream(content), "", &[]);
    let t = text_of(&extract("application/pdf", "r.pdf", &data)).to_string();
    assert_eq!(t, "MRN 00012345\nsecond lineJane");
}

#[test]
fn pdf_moves_become_spaces_and_new_lines() {
    let content = b"BT /F1 12 Tf 72 700 Td (Patient:) Tj 60 0 Td (Jane) Tj 0 -14 Td (MRN) Tj \
1 0 0 1 72 600 Tm (A) Tj 1 0 0 1 100 600 Tm (B) Tj 1 0 0 1 72 580 Tm (C) Tj ET";
    let data = one_page_pdf(plain_stream(content), "", &[]);
    let t = text_of(&extract("application/pdf", "r.pdf", &data)).to_string();
    assert_eq!(t, "Patient: Jane\nMRN\nA B\nC");
}

#[test]
fn pdf_type0_font_text_is_mapped_through_its_to_unicode_cmap() {
    // What Word and browsers write: glyph ids under Identity-H, text only via /ToUnicode.
    let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n\
1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
4 beginbfchar <0001> <004D> <0002> <0052> <0003> <004E> <0004> <0020> endbfchar\n\
1 beginbfrange <0010> <0019> <0030> endbfrange\n\
endcmap CMapName currentdict /CMap defineresource pop end end";
    let mut compressed = flate2::write::ZlibEncoder::new(Vec::new(), Compression::default());
    compressed.write_all(cmap).expect("zlib");
    let compressed = compressed.finish().expect("zlib");
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
/Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        plain_stream(
            b"BT /F1 11 Tf 72 700 Td <000100020003000400100010001000110012001300140015> Tj ET",
        ),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Synthetic /Encoding /Identity-H \
/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Synthetic \
/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>"
            .to_vec(),
        flate_stream(&compressed),
    ];
    let data = pdf_of(&objects, "");
    assert_eq!(text_of(&extract("application/pdf", "r.pdf", &data)), MRN);
}

#[test]
fn pdf_with_only_an_owner_password_is_read_and_one_with_a_user_password_is_not() {
    // "Protected" against printing or copying, but anyone can open it: so can we.
    let data = lopdf_pdf_encrypted(&[MRN], "");
    assert!(text_of(&extract("application/pdf", "r.pdf", &data)).contains(MRN));
    let data = lopdf_pdf_encrypted(&[MRN], "user-secret");
    assert_eq!(
        verdict(&extract("application/pdf", "r.pdf", &data)),
        UnscannableReason::Encrypted
    );
}

#[test]
fn pdf_is_read_when_mislabelled_and_refused_when_sent_as_text() {
    let data = lopdf_pdf(&[MRN]);
    let e = extract("image/jpeg", "photo.jpg", &data);
    assert!(text_of(&e).contains(MRN));

    let raw = "From: a@example.test\r\nSubject: s\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n\
--b\r\nContent-Type: text/plain; name=\"r.pdf\"\r\nContent-Disposition: attachment; filename=\"r.pdf\"\r\n\r\n\
%PDF-1.4\r\n1 0 obj << >> endobj\r\n--b--\r\n";
    let e = extract_text(raw.as_bytes(), &ExtractLimits::default());
    assert_eq!(verdict(&e), UnscannableReason::Undecodable);
}

#[test]
fn pdf_without_text_is_no_text_layer() {
    // A "scan": the page only paints an image and a rectangle.
    let content = b"q 612 0 0 792 0 0 cm /Im1 Do Q 0 0 10 10 re f";
    let data = one_page_pdf(plain_stream(content), "", &[]);
    assert_eq!(
        verdict(&extract("application/pdf", "scan.pdf", &data)),
        UnscannableReason::NoTextLayer
    );
}

#[test]
fn pdf_needing_a_password_is_encrypted() {
    // A standard security handler whose user password is not empty (O and U are arbitrary, so
    // the empty password does not authenticate).
    let o = "<".to_string() + &"AB".repeat(32) + ">";
    let u = "<".to_string() + &"CD".repeat(32) + ">";
    let enc = format!("<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O {o} /U {u} >>");
    let data = one_page_pdf(
        plain_stream(b"BT /F1 12 Tf (ciphertext) Tj ET"),
        "/Encrypt 6 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>] ",
        &[enc.into_bytes()],
    );
    assert_eq!(
        verdict(&extract("application/pdf", "locked.pdf", &data)),
        UnscannableReason::Encrypted
    );
}

#[test]
fn corrupt_documents_are_undecodable() {
    let pdf = lopdf_pdf(&[MRN]);
    let docx = docx(&para(MRN), &[]);
    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        (
            "application/pdf",
            "a.pdf",
            b"%PDF-1.7\nthis is not a pdf at all".to_vec(),
        ),
        ("application/pdf", "a.pdf", b"not even a header".to_vec()),
        ("application/pdf", "a.pdf", pdf[..pdf.len() / 3].to_vec()),
        (DOCX, "a.docx", docx[..docx.len() / 2].to_vec()),
        (DOCX, "a.docx", b"random bytes, no zip".to_vec()),
        (
            DOCX,
            "a.docx",
            zip_of(&[(
                "word/document.xml",
                b"<w:document><w:body><w:p><w:t>x</w:t><w:p",
            )]),
        ),
    ];
    for (ctype, name, data) in cases {
        let e = timed(Duration::from_secs(5), || extract(ctype, name, &data));
        let r = verdict(&e);
        assert!(
            matches!(r, UnscannableReason::Undecodable),
            "{ctype} {name} {} bytes: {r:?}",
            data.len()
        );
    }
}

#[test]
fn unterminated_xml_still_yields_a_verdict() {
    // quick-xml reports the unclosed element at EOF either as an error (undecodable) or as
    // the end of input (text); both are verdicts, neither hangs.
    let data = zip_of(&[(
        "word/document.xml",
        format!("<w:document {W}><w:body>{}<w:p><w:r><w:t>open", para(MRN)).as_bytes(),
    )]);
    let e = extract(DOCX, "a.docx", &data);
    assert!(
        e.unscannable.len() == 1 || e.parts.iter().any(|p| p.text.contains(MRN)),
        "{e:?}"
    );
}

// ── encrypted Office ──────────────────────────────────────────────────────────────────────

/// The start of a CFB container, optionally naming an `EncryptionInfo` stream.
fn cfb(encrypted: bool) -> Vec<u8> {
    let mut d = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    d.resize(512, 0);
    let name = if encrypted {
        "EncryptionInfo"
    } else {
        "WordDocument"
    };
    for u in name.encode_utf16() {
        d.extend_from_slice(&u.to_le_bytes());
    }
    d.resize(2048, 0);
    d
}

#[test]
fn encrypted_office_documents_are_encrypted() {
    for (ctype, name) in [
        (DOCX, "locked.docx"),
        (XLSX, "locked.xlsx"),
        ("application/octet-stream", "x.bin"),
    ] {
        assert_eq!(
            verdict(&extract(ctype, name, &cfb(true))),
            UnscannableReason::Encrypted,
            "{name}"
        );
    }
    // A legacy .doc (CFB without encryption) is not readable, but not corrupt either.
    assert_eq!(
        verdict(&extract("application/msword", "old.doc", &cfb(false))),
        UnscannableReason::Binary
    );
    assert_eq!(
        verdict(&extract(DOCX, "renamed.docx", &cfb(false))),
        UnscannableReason::Binary
    );
}

// ── bombs and limits ──────────────────────────────────────────────────────────────────────

#[test]
fn gigabyte_zip_bomb_is_refused_promptly() {
    let zeros = deflated_zeros(1024);
    // Honest sizes: refused from the header.
    let honest = raw_zip("word/document.xml", &zeros, 1 << 30);
    // Lying sizes (declares 1 KiB): refused while reading, at the budget.
    let lying = raw_zip("word/document.xml", &zeros, 1024);
    for (label, data) in [("honest", honest), ("lying", lying)] {
        let e = timed(Duration::from_secs(10), || {
            extract(DOCX, "bomb.docx", &data)
        });
        assert_eq!(verdict(&e), UnscannableReason::DecompressionBomb, "{label}");
    }
}

#[test]
fn high_ratio_entry_is_a_bomb_even_under_the_budget() {
    // 4 MiB of spaces is ~4 KiB deflated: a ratio near 1000:1.
    let data = docx(
        &para(MRN),
        &[("word/footer1.xml", &vec![b' '; 4 * 1024 * 1024])],
    );
    assert_eq!(
        verdict(&extract(DOCX, "a.docx", &data)),
        UnscannableReason::DecompressionBomb
    );
    // With the ratio limit lifted it is just a big, empty footer.
    let limits = ExtractLimits {
        max_compression_ratio: u32::MAX,
        ..ExtractLimits::default()
    };
    assert!(text_of(&extract_with(DOCX, "a.docx", &data, &limits)).contains(MRN));
}

#[test]
fn pdf_bomb_is_refused_promptly() {
    // A content stream inflating to 1 GiB.
    let mut z = vec![0x78, 0x9C];
    z.extend_from_slice(&deflated_zeros(1024));
    z.extend_from_slice(&[0, 0, 0, 0]);
    let data = one_page_pdf(flate_stream(&z), "", &[]);
    let e = timed(Duration::from_secs(10), || {
        extract("application/pdf", "bomb.pdf", &data)
    });
    assert_eq!(verdict(&e), UnscannableReason::DecompressionBomb);

    // Many pages sharing one 8 MiB content stream: each use is charged.
    let mut z = vec![0x78, 0x9C];
    z.extend_from_slice(&deflated_zeros(8));
    z.extend_from_slice(&[0, 0, 0, 0]);
    let kids: Vec<String> = (0..200).map(|i| format!("{} 0 R", 6 + i)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{}] /Count 200 >>", kids.join(" ")).into_bytes(),
        b"<< >>".to_vec(),
        flate_stream(&z),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    for _ in 0..200 {
        objects.push(
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
                .to_vec(),
        );
    }
    let data = pdf_of(&objects, "");
    let e = timed(Duration::from_secs(10), || {
        extract("application/pdf", "pages.pdf", &data)
    });
    assert_eq!(verdict(&e), UnscannableReason::DecompressionBomb);
}

#[test]
fn pdf_object_stream_in_lzw_is_refused() {
    let data = one_page_pdf(
        plain_stream(b"BT /F1 12 Tf (x) Tj ET"),
        "",
        &[b"<< /Type /ObjStm /N 1 /First 4 /Filter /LZW#44ecode /Length 3 >>\nstream\nabc\nendstream"
            .to_vec()],
    );
    assert_eq!(
        verdict(&extract("application/pdf", "a.pdf", &data)),
        UnscannableReason::Undecodable
    );
}

#[test]
fn hostile_pdf_structures_get_a_verdict_promptly() {
    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
    // No xref: lopdf rebuilds it by scanning every object.
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut i = 1;
    while pdf.len() < 3 << 20 {
        pdf.extend_from_slice(format!("{i} 0 obj\n<< /Type /Page >>\nendobj\n").as_bytes());
        i += 1;
    }
    cases.push(("objects without xref", pdf));
    for (label, open) in [
        ("arrays", &b"["[..]),
        ("strings", b"("),
        ("dicts", b"<< /A "),
    ] {
        let mut pdf = b"%PDF-1.4\n1 0 obj\n".to_vec();
        while pdf.len() < 2 << 20 {
            pdf.extend_from_slice(open);
        }
        cases.push((label, pdf));
    }
    // Hundreds of thousands of `stream` keywords, bare and with zlib headers.
    for item in [
        &b"stream\n"[..],
        b"<< /Filter /FlateDecode >>\nstream\nx\x9c\0\0\0\xff\xff",
    ] {
        let mut pdf = b"%PDF-1.4\n".to_vec();
        while pdf.len() < 8 << 20 {
            pdf.extend_from_slice(item);
        }
        cases.push(("stream keywords", pdf));
    }
    for (label, data) in cases {
        let e = timed(Duration::from_secs(10), || {
            extract("application/pdf", "x.pdf", &data)
        });
        assert!(answered(&e), "{label}: {e:?}");
        assert!(!e.unscannable.is_empty(), "{label}: {e:?}");
    }
}

#[test]
fn too_many_entries_is_refused() {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    w.start_file("word/document.xml", opts).expect("entry");
    w.write_all(para(MRN).as_bytes()).expect("write");
    for i in 0..2_100 {
        w.start_file(format!("word/media/{i}.bin"), opts)
            .expect("entry");
    }
    let data = w.finish().expect("finish").into_inner();
    let e = timed(Duration::from_secs(10), || {
        extract(DOCX, "many.docx", &data)
    });
    assert_eq!(verdict(&e), UnscannableReason::TooManyEntries);
}

#[test]
fn per_message_budget_makes_later_documents_too_large() {
    let data = docx(&para(MRN), &[]);
    let b64 = base64::engine::general_purpose::STANDARD.encode(&data);
    let mut raw = String::from(
        "From: a@example.test\r\nSubject: s\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n",
    );
    for i in 0..3 {
        raw.push_str(&format!(
            "--b\r\nContent-Type: {DOCX}\r\nContent-Disposition: attachment; filename=\"{i}.docx\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\n{b64}\r\n"
        ));
    }
    raw.push_str("--b--\r\n");
    let one = {
        let e = extract_text(raw.as_bytes(), &ExtractLimits::default());
        assert!(e.unscannable.is_empty(), "{e:?}");
        assert_eq!(e.parts.len(), 4, "{e:?}");
        // Enough for the first document only.
        para(MRN).len() + 200
    };
    let limits = ExtractLimits {
        max_total_decompressed_bytes: one,
        ..ExtractLimits::default()
    };
    let e = extract_text(raw.as_bytes(), &limits);
    assert_eq!(e.parts.len(), 2, "{e:?}");
    assert!(
        e.unscannable
            .iter()
            .all(|u| u.reason == UnscannableReason::TooLarge),
        "{e:?}"
    );
}

#[test]
fn document_text_over_the_part_limit_is_too_large() {
    let big = para(&"x".repeat(5000));
    let data = docx(&big, &[]);
    let limits = ExtractLimits {
        max_part_bytes: 4000,
        ..ExtractLimits::default()
    };
    assert_eq!(
        verdict(&extract_with(DOCX, "a.docx", &data, &limits)),
        UnscannableReason::TooLarge
    );
}

// ── never panics ──────────────────────────────────────────────────────────────────────────

const TYPES: [(&str, &str); 4] = [
    ("application/pdf", "a.pdf"),
    (DOCX, "a.docx"),
    (XLSX, "a.xlsx"),
    ("application/octet-stream", "a.bin"),
];

/// Magic numbers, so random data gets past the sniffing into each parser.
const PREFIXES: [&[u8]; 4] = [
    b"",
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
];

fn small_xlsx() -> Vec<u8> {
    zip_of(&[
        (
            "xl/workbook.xml",
            b"<workbook><sheets><sheet name=\"s\"/></sheets></workbook>",
        ),
        ("xl/sharedStrings.xml", b"<sst><si><t>a</t></si></sst>"),
        (
            "xl/worksheets/sheet1.xml",
            b"<worksheet><sheetData><row><c t=\"s\"><v>0</v></c></row></sheetData></worksheet>",
        ),
    ])
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    #[test]
    fn random_bytes_as_each_document_type_never_panic(
        bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..4000),
        prefix in 0usize..4,
    ) {
        let mut data = PREFIXES[prefix].to_vec();
        data.extend_from_slice(&bytes);
        for (ctype, name) in TYPES {
            let e = extract(ctype, name, &data);
            // Every attachment gets text or a verdict.
            proptest::prop_assert!(answered(&e), "{:?}", e);
        }
    }

    #[test]
    fn mutated_documents_never_panic(
        which in 0usize..3,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..20),
        cut in proptest::num::usize::ANY,
    ) {
        let docs = [lopdf_pdf(&[MRN, NAME]), docx(&para(MRN), &[]), small_xlsx()];
        let mut data = docs[which].clone();
        for (at, byte) in edits {
            let i = at % data.len();
            data[i] = byte;
        }
        if cut % 4 == 0 {
            data.truncate(cut % data.len().max(1));
        }
        let (ctype, name) = TYPES[which];
        let e = extract(ctype, name, &data);
        proptest::prop_assert!(answered(&e), "{:?}", e);
    }
}
