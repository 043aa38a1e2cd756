//! The PDF reader: test PDFs made by two producers (see `fixtures/pdf/README.md`) parse to
//! the tree of their source text, with nothing lost but the running headers and footers
//! (recorded), and bad PDFs get a diagnostic.
#![cfg(feature = "pdf")]

mod common;

use yakkan::read::Format;
use yakkan::{Diagnostic, Document};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(common::root().join("fixtures/pdf").join(name)).expect("fixture")
}

fn parse(name: &str) -> (Document, Vec<Diagnostic>) {
    let bytes = fixture(name);
    let format = Format::detect(name, &bytes);
    yakkan::parse_as(bytes, format)
}

#[test]
fn chromium_pdf_parses_to_the_tree_of_its_text() {
    let (text, _) = parse("statute.txt");
    let (pdf, diags) = parse("statute.chromium.pdf");
    assert!(text.nodes().len() > 30);
    assert_eq!(
        common::signature(&pdf, true),
        common::signature(&text, true)
    );
    // the running header and footer of both pages (date and title; URL and page number)
    let dropped = diags.iter().filter(|d| d.code == "footer-dropped").count();
    assert_eq!(dropped, 4, "{diags:?}");
    assert!(
        !diags.iter().any(|d| d.code == "unparsed-line"),
        "{diags:?}"
    );
}

#[test]
fn libreoffice_pdf_parses_to_the_tree_of_its_text() {
    // (LibreOffice draws an ideographic space as a gap: the whitespace differs)
    let (text, _) = parse("statute.txt");
    let (pdf, diags) = parse("statute.libreoffice.pdf");
    assert_eq!(
        common::signature(&pdf, false),
        common::signature(&text, false)
    );
    assert!(
        !diags.iter().any(|d| d.code == "unparsed-line"),
        "{diags:?}"
    );
}

#[test]
fn nothing_is_lost_but_the_recorded_headers_and_footers() {
    let source = String::from_utf8(fixture("statute.txt")).unwrap();
    for name in ["statute.chromium.pdf", "statute.libreoffice.pdf"] {
        let (doc, diags) = parse(name);
        let dropped: String = diags
            .iter()
            .filter(|d| d.code == "footer-dropped")
            .filter_map(|d| d.dropped.as_deref())
            .collect();
        let mut have = common::content_chars(&yakkan::text::render(&doc));
        for c in common::content_chars(&source) {
            let at = have
                .binary_search(&c)
                .unwrap_or_else(|_| panic!("{name}: {c:?} of the source is lost"));
            have.remove(at);
        }
        assert!(have.is_empty(), "{name}: added {have:?}");
        // (Chromium's header and footer: the date, the title, the URL, the page numbers)
        if name.contains("chromium") {
            assert!(
                dropped.contains("file://") && dropped.contains("1/2"),
                "{dropped}"
            );
        }
    }
}

#[test]
fn bad_pdfs_get_a_diagnostic() {
    let good = fixture("statute.chromium.pdf");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("header only", b"%PDF-1.7\n".to_vec()),
        (
            "garbage",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF".to_vec(),
        ),
        ("truncated", good[..good.len() / 3].to_vec()),
        ("empty", Vec::new()),
    ];
    for (what, bytes) in cases {
        let (doc, diags) = yakkan::parse_as(bytes, Format::Pdf);
        assert!(doc.nodes().is_empty() || what == "truncated", "{what}");
        assert!(
            diags
                .iter()
                .any(|d| d.code.starts_with("pdf-") || d.code == "empty-input"),
            "{what}: {diags:?}"
        );
    }
}
