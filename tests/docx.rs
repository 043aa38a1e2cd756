//! The Word reader: automatic numbering as LibreOffice displays it, tracked changes read
//! as accepted, a .docx parsing to the tree of the same content as text, and bad files.

mod common;

use std::path::PathBuf;
use yakkan::read::Format;
use yakkan::Document;

fn fixture(name: &str) -> PathBuf {
    common::root().join("fixtures/docx").join(name)
}

fn parse(name: &str) -> (Document, Vec<yakkan::Diagnostic>) {
    let bytes = std::fs::read(fixture(name)).expect("fixture");
    let format = Format::detect(name, &bytes);
    yakkan::parse_as(bytes, format)
}

#[test]
fn numbers_are_those_libreoffice_displays() {
    let lo = std::fs::read_to_string(fixture("numbering.lo.txt")).unwrap();
    let want: Vec<&str> = lo
        .trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    for name in ["numbering.docx", "numbering.lo.docx"] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let layout = yakkan::read::docx::layout(&bytes);
        let got: Vec<&str> = layout.lines.iter().map(|l| l.text.as_ref()).collect();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn a_docx_parses_to_the_tree_of_its_text() {
    let (text, _) = parse("numbering.lo.txt");
    assert_eq!(text.nodes().len(), 25, "the text's tree");
    for name in ["numbering.docx", "numbering.lo.docx"] {
        let (doc, diags) = parse(name);
        assert_eq!(
            common::signature(&doc, true),
            common::signature(&text, true),
            "{name}"
        );
        assert_eq!(doc.meta.title.as_deref(), Some("サンプル就業規則"));
        assert!(
            !diags.iter().any(|d| d.code == "unparsed-line"),
            "{name}: {diags:?}"
        );
    }
}

#[test]
fn tracked_changes_are_read_as_accepted() {
    let (text, _) = parse("tracked.txt");
    for name in ["tracked.docx", "tracked.lo.docx"] {
        let (doc, diags) = parse(name);
        assert_eq!(
            common::signature(&doc, true),
            common::signature(&text, true),
            "{name}"
        );
        let tracked = diags
            .iter()
            .find(|d| d.code == "tracked-changes")
            .unwrap_or_else(|| panic!("{name}: {diags:?}"));
        let deleted = tracked.dropped.as_deref().unwrap_or("");
        assert!(
            deleted.contains("社員") && deleted.contains("旧規則は、廃止する。"),
            "{deleted}"
        );
    }
}

#[test]
fn bad_docx_files_get_a_diagnostic() {
    let good = std::fs::read(fixture("numbering.docx")).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("not a zip", b"PK\x03\x04 not really a zip".to_vec()),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("empty", Vec::new()),
        ("text", "第1条　本文".as_bytes().to_vec()),
    ];
    for (what, bytes) in cases {
        let (doc, diags) = yakkan::parse_as(bytes, Format::Docx);
        assert!(doc.nodes().is_empty(), "{what}");
        assert!(
            diags.iter().any(|d| d.code == "docx-unreadable"),
            "{what}: {diags:?}"
        );
    }
}

#[test]
fn a_zip_without_a_document_is_not_word() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("readme.txt", stored).unwrap();
    std::io::Write::write_all(&mut zip, b"hello").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let (_, diags) = yakkan::parse_as(bytes, Format::Docx);
    let d = diags
        .iter()
        .find(|d| d.code == "docx-unreadable")
        .expect("a diagnostic");
    assert!(d.message.contains("word/document.xml"), "{}", d.message);
}

/// `numbering.docx` with one sentence reworded, as a new revision.
fn reworded_docx() -> Vec<u8> {
    use std::io::{Read, Write};
    let bytes = std::fs::read(fixture("numbering.docx")).unwrap();
    let mut old = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut new = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..old.len() {
        let mut file = old.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut data = String::new();
        file.read_to_string(&mut data).unwrap();
        if name == "word/document.xml" {
            data = data.replace("1日8時間", "1日7時間30分");
        }
        new.start_file(name, stored).unwrap();
        new.write_all(data.as_bytes()).unwrap();
    }
    new.finish().unwrap().into_inner()
}

fn yakkan(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_yakkan"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

#[test]
fn a_docx_revision_against_a_text_one_gives_only_the_real_change() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("numbering.lo.txt"), dir.path().join("old.txt")).unwrap();
    std::fs::write(dir.path().join("new.docx"), reworded_docx()).unwrap();
    let o = yakkan(
        dir.path(),
        &["diff", "--format", "json", "old.txt", "new.docx"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let diff: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let changes = diff["changes"].as_array().unwrap();
    let ids: Vec<&str> = changes
        .iter()
        .filter_map(|c| c["new_id"].as_str())
        .collect();
    assert_eq!(ids, ["art_3__para_1"], "{diff}");
    assert_eq!(
        changes[0]["new_text"],
        "勤務時間は、1日7時間30分、1週40時間とする。"
    );
}

#[test]
fn a_corpus_mixing_formats_builds_a_site() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("corpus/kisoku");
    std::fs::create_dir_all(&doc).unwrap();
    std::fs::copy(fixture("numbering.lo.txt"), doc.join("2024-04-01.txt")).unwrap();
    std::fs::write(doc.join("2024-10-01.docx"), reworded_docx()).unwrap();
    let o = yakkan(dir.path(), &["site", "corpus", "-o", "site"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let site = dir.path().join("site");
    let pages: Vec<String> = walk(&site)
        .into_iter()
        .filter_map(|p| p.strip_prefix(&site).ok().map(|p| p.display().to_string()))
        .collect();
    assert!(
        pages.iter().any(|p| p.contains("2024-10-01"))
            && pages.iter().any(|p| p.contains("2024-04-01")),
        "{pages:?}"
    );
    let all: String = walk(&site)
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(
        all.contains("7時間30分"),
        "the .docx revision's text is on the site"
    );
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn nothing_of_the_documents_text_is_lost() {
    use std::io::Read;
    for name in [
        "numbering.docx",
        "numbering.lo.docx",
        "tracked.docx",
        "tracked.lo.docx",
    ] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        // (read here by roxmltree: every w:t and w:delText)
        let tree = roxmltree::Document::parse(&xml).unwrap();
        let content: String = tree
            .descendants()
            .filter(|n| matches!(n.tag_name().name(), "t" | "delText"))
            .filter_map(|n| n.text())
            .collect();
        let (doc, diags) = yakkan::parse_as(bytes, Format::Docx);
        // what is added is Word's numbering: 第…条, 第…章, ２, 一, ア, （1）
        common::assert_text_kept(&content, &doc, &diags, |c| {
            c.is_ascii_digit()
                || "第条章（）０１２３４５６７８９一二三四五六七八九十アイウエオ".contains(c)
        });
    }
}
