//! Revision diffs: every fixture pair reports exactly its manifest's changes, and each
//! output format is snapshotted.

mod common;

use yakkan::diff::{compare, Change};

fn revision_dirs() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(common::root().join("fixtures/revisions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

fn key(c: &Change) -> serde_json::Value {
    let mut v = serde_json::json!({
        "kind": serde_json::to_value(c.kind).unwrap(),
        "level": serde_json::to_value(c.level).unwrap(),
    });
    for (k, x) in [("old_id", &c.old_id), ("new_id", &c.new_id)] {
        if let Some(x) = x {
            v[k] = x.clone().into();
        }
    }
    if let Some(f) = &c.field {
        v["field"] = f.clone().into();
    }
    v
}

#[test]
fn every_fixture_pair_reports_exactly_its_manifest() {
    let (old, _) = yakkan::parse(&common::seed_bytes());
    let dirs = revision_dirs();
    assert_eq!(dirs.len(), 7);
    for dir in dirs {
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        let (new, _) = yakkan::parse(&std::fs::read(dir.join("new.txt")).unwrap());
        let cmp = compare(&old, &new);
        let mut got: Vec<String> = cmp.changes.iter().map(|c| key(c).to_string()).collect();
        let mut want: Vec<String> = manifest["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{}", dir.display());
    }
}

#[test]
fn a_document_against_itself_has_no_change() {
    let (doc, _) = yakkan::parse(&common::seed_bytes());
    let cmp = compare(&doc, &doc);
    assert!(cmp.changes.is_empty(), "{:?}", cmp.changes);
    assert!(cmp.articles.iter().all(|p| !p.differs()));
}

#[test]
fn output_snapshots() {
    let (old, _) = yakkan::parse(&common::seed_bytes());
    for dir in revision_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let (new, _) = yakkan::parse(&std::fs::read(dir.join("new.txt")).unwrap());
        let cmp = compare(&old, &new);
        insta::assert_snapshot!(format!("{name}.text"), yakkan::taisho::text(&cmp, false));
        insta::assert_json_snapshot!(format!("{name}.json"), cmp.report());
        insta::assert_snapshot!(format!("{name}.md"), yakkan::taisho::markdown(&cmp));
        insta::assert_snapshot!(
            format!("{name}.html"),
            yakkan::taisho::html(&cmp, yakkan::taisho::TableOptions::default())
        );
    }
}

#[test]
fn table_options() {
    let (old, _) = yakkan::parse(&common::seed_bytes());
    let (new, _) = yakkan::parse(
        &std::fs::read(common::root().join("fixtures/revisions/caption/new.txt")).unwrap(),
    );
    let cmp = compare(&old, &new);
    let default = yakkan::taisho::html(&cmp, Default::default());
    assert!(default.find("<th>改正後</th>").unwrap() < default.find("<th>改正前</th>").unwrap());
    // 略 rows (two cells each): the articles before and after 第22条, and its unchanged paragraph.
    assert_eq!(default.matches("（略）").count(), 6);
    let opts = yakkan::taisho::TableOptions {
        new_first: false,
        show_unchanged: true,
        landscape: true,
    };
    let full = yakkan::taisho::html(&cmp, opts);
    assert!(full.find("<th>改正前</th>").unwrap() < full.find("<th>改正後</th>").unwrap());
    assert!(!full.contains("（略）"));
    assert!(full.contains("第 46 条（カスタマーハラスメント）"));
    assert!(full.contains("size:A4 landscape"));
}

#[test]
fn markdown_and_html_reports_parse() {
    let (old, _) = yakkan::parse(&common::seed_bytes());
    let (new, _) = yakkan::parse(
        &std::fs::read(common::root().join("fixtures/revisions/reword-item/new.txt")).unwrap(),
    );
    let cmp = compare(&old, &new);
    let md = yakkan::taisho::markdown(&cmp);
    let html = yakkan::markdown::to_html_fragment(&md);
    assert!(
        html.contains("<u>著しく困難</u>") && html.contains("<u>困難</u>"),
        "{html}"
    );
    assert_eq!(html.matches("<tr>").count(), 2, "header and one change");
}

#[test]
fn fuzz_crashes_stay_fixed() {
    // Found by `cargo fuzz run diff`: a term defined twice with different definitions
    // made a document differ from itself.
    let data =
        std::fs::read(common::root().join("fixtures/fuzz/diff-term-defined-twice.bin")).unwrap();
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len() / 2);
    for part in [&data[..split], &data[(split + 1).min(data.len())..]] {
        let (doc, _) = yakkan::parse(part);
        assert!(compare(&doc, &doc).changes.is_empty());
    }
}

#[test]
fn an_article_moved_elsewhere_is_one_move() {
    // 第9条 and 第10条 swap places and numbers. A swap has two readings; the alignment
    // keeps 権利義務の譲渡制限 as the anchor (renumbered 9 → 10) and reports 本約款の優先 as
    // the article that moved (from 10 to 9) — one move, not two changed articles.
    let seed = String::from_utf8(common::seed_bytes()).unwrap();
    let start = seed.find("第 9条（権利義務の譲渡制限）").unwrap();
    let end = seed.find("第 10 条（本約款の優先）").unwrap();
    let ch2 = seed.find("第 2 章 申込及び承諾等").unwrap();
    let art9 = seed[start..end].replace("第 9条", "第 10 条");
    let art10 = seed[end..ch2].replace("第 10 条", "第 9条");
    let new = format!("{}{}{}{}", &seed[..start], art10, art9, &seed[ch2..]);
    let (old, _) = yakkan::parse(seed.as_bytes());
    let (new, _) = yakkan::parse(new.as_bytes());
    let changes: Vec<String> = compare(&old, &new)
        .changes
        .iter()
        .map(|c| key(c).to_string())
        .collect();
    assert_eq!(
        changes,
        [
            r#"{"kind":"renumbered","level":"article","new_id":"art_10","old_id":"art_9"}"#,
            r#"{"kind":"moved","level":"article","new_id":"art_9","old_id":"art_10"}"#,
        ]
    );
}
