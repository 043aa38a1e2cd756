//! Definitions exports: one snapshot per format, and the formats checked with real
//! parsers (roxmltree for TBX, the csv crate for CSV).

mod common;

use yakkan::export::{definitions, DefsFormat};

fn fixture_doc(name: &str) -> yakkan::Document {
    let bytes = common::fixture_bytes(&common::root().join("fixtures").join(name));
    yakkan::parse(&bytes).0
}

fn export(name: &str, format: DefsFormat) -> String {
    String::from_utf8(definitions(&fixture_doc(name), format, Default::default())).unwrap()
}

#[test]
fn export_snapshots() {
    for format in [
        DefsFormat::Json,
        DefsFormat::Jsonl,
        DefsFormat::Csv,
        DefsFormat::Tbx,
    ] {
        let name = format!("{format:?}").to_lowercase();
        insta::assert_snapshot!(
            format!("inline-definitions.{name}"),
            export("inline-definitions.txt", format)
        );
    }
}

#[test]
fn tbx_is_well_formed_tbx_basic() {
    let (doc, _) = yakkan::parse(&common::seed_bytes());
    let xml = String::from_utf8(definitions(&doc, DefsFormat::Tbx, Default::default())).unwrap();
    let tree = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = tree.root_element();
    assert_eq!(root.tag_name().name(), "tbx");
    assert_eq!(
        root.tag_name().namespace(),
        Some("urn:iso:std:iso:30042:ed-2")
    );
    assert_eq!(root.attribute("type"), Some("TBX-Basic"));
    assert_eq!(
        root.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("ja")
    );
    let entries: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("conceptEntry"))
        .collect();
    assert_eq!(entries.len(), doc.definitions.len());
    for (entry, def) in entries.iter().zip(&doc.definitions) {
        let term = entry
            .descendants()
            .find(|n| n.has_tag_name("term"))
            .unwrap();
        assert_eq!(term.text(), Some(def.term.as_str()));
        let text = entry
            .descendants()
            .find(|n| n.has_tag_name("descrip") && n.attribute("type") == Some("definition"))
            .and_then(|n| n.text());
        assert_eq!(text.unwrap_or(""), def.definition);
    }
}

#[test]
fn tbx_escapes_markup_and_drops_forbidden_characters() {
    let text =
        "第1条（目的）\n当社が提供する機器（以下「<A&B>\u{FFFF}」といいます。）を用います。\n";
    let (doc, _) = yakkan::parse(text.as_bytes());
    let xml = String::from_utf8(definitions(&doc, DefsFormat::Tbx, Default::default())).unwrap();
    let tree = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let term = tree.descendants().find(|n| n.has_tag_name("term")).unwrap();
    assert_eq!(term.text(), Some("<A&B>"));
}

#[test]
fn csv_is_rfc_4180_and_round_trips() {
    let (doc, _) = yakkan::parse(&common::seed_bytes());
    let bytes = definitions(&doc, DefsFormat::Csv, Default::default());
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.starts_with("id,term,definition,kind,scope,defined_in,line,used_in\r\n"));
    let mut r = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), doc.definitions.len());
    for (row, def) in rows.iter().zip(&doc.definitions) {
        assert_eq!(&row[1], def.term);
        assert_eq!(&row[2], def.definition);
        assert_eq!(row[7].split_whitespace().collect::<Vec<_>>(), def.used_in);
    }
    let with_bom = definitions(
        &doc,
        DefsFormat::Csv,
        yakkan::export::CsvOptions {
            bom: true,
            ..Default::default()
        },
    );
    assert_eq!(&with_bom[..3], b"\xEF\xBB\xBF");
    assert_eq!(&with_bom[3..], bytes.as_slice());
}

#[test]
fn jsonl_has_one_definition_per_line() {
    let (doc, _) = yakkan::parse(&common::seed_bytes());
    let text = String::from_utf8(definitions(&doc, DefsFormat::Jsonl, Default::default())).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), doc.definitions.len());
    let first: yakkan::Definition = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first, doc.definitions[0]);
}

#[test]
fn longest_match_and_normalized_matching() {
    let text = "第1条（用語の定義）\nこの約款においては、次の用語はそれぞれ次の意味で使用します。\n用語 用語の意味\nサービス 当社が提供するサービス\nサービス契約 サービスの利用に関する契約\n第2条（契約）\n契約者は、サービス契約を締結します。\n第3条（提供）\n当社は、ｻｰﾋﾞｽを提供します。\n";
    let (doc, _) = yakkan::parse(text.as_bytes());
    let used = |term: &str| {
        doc.definitions
            .iter()
            .find(|d| d.term == term)
            .unwrap()
            .used_in
            .clone()
    };
    assert_eq!(used("サービス契約"), ["art_2__para_1"]);
    // Half-width katakana matches after NFKC; 第2条 only says サービス契約.
    assert_eq!(
        used("サービス"),
        ["art_1__para_1__table_1__row_2", "art_3__para_1"]
    );
}

#[test]
fn csv_cells_that_would_run_as_formulas_are_neutralised() {
    let text = "第1条（定義）\n当社は、外部へのリンク（以下「=HYPERLINK(\"http://evil.example/\",\"開く\")」といいます。）を定めます。\n";
    let (doc, _) = yakkan::parse(text.as_bytes());
    assert_eq!(doc.definitions.len(), 1, "{:?}", doc.definitions);
    let csv = String::from_utf8(definitions(&doc, DefsFormat::Csv, Default::default())).unwrap();
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let row = rows.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "'=HYPERLINK(\"http://evil.example/\",\"開く\")");
    let keep = yakkan::export::CsvOptions {
        keep_formulas: true,
        ..Default::default()
    };
    let csv = String::from_utf8(definitions(&doc, DefsFormat::Csv, keep)).unwrap();
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let row = rows.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "=HYPERLINK(\"http://evil.example/\",\"開く\")");
    for cell in ["+1", "-1", "@SUM(A1)", "\tx", "\rx", "＝1"] {
        assert!(
            yakkan::export::cell(cell, false).starts_with('\''),
            "{cell}"
        );
    }
    assert_eq!(yakkan::export::cell("第1条", false), "第1条");
}
