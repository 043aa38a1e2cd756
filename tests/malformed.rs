//! Bad input of every kind: each ends with a clear diagnostic and the documented exit
//! code of `yakkan check` (0 nothing wrong, 1 an error-severity diagnostic), never a
//! panic. The large inputs are here to catch non-linear paths (a quadratic step would not
//! finish); their speed is measured in the benchmarks, not here.

mod common;

use std::process::{Command, Stdio};
use yakkan::Severity;

fn codes(bytes: &[u8]) -> Vec<String> {
    let (doc, diags) = yakkan::parse(bytes);
    let _ = yakkan::to_json(&doc, &diags, false);
    let _ = yakkan::markdown::render_html(&doc);
    diags.into_iter().map(|d| d.code).collect()
}

fn check_exit(bytes: &[u8]) -> i32 {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input.txt");
    std::fs::write(&path, bytes).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_yakkan"))
        .arg("check")
        .arg(&path)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.status.code().unwrap()
}

#[test]
fn empty_and_whitespace_only() {
    assert_eq!(codes(b""), ["empty-input"]);
    assert!(codes(b"  \n\t\n\xE3\x80\x80\n").contains(&"empty-input".to_string()));
    assert_eq!(check_exit(b""), 1);
}

#[test]
fn binary_and_invalid_utf8() {
    assert!(
        codes(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])
            .contains(&"binary-input".to_string())
    );
    // Bytes that are neither UTF-8 nor Shift_JIS nor EUC-JP.
    let bad = b"\xE7\xAC\xAC1\xE6\x9D\xA1\n\xFF\xFE\xFD text \x80\x81\n";
    let c = codes(bad);
    assert!(c.contains(&"invalid-encoding".to_string()), "{c:?}");
    assert_eq!(check_exit(bad), 1);
}

#[test]
fn truncated_mid_character() {
    let mut bytes = "第1条（目的）\nこの約款は".as_bytes().to_vec();
    bytes.pop();
    assert_eq!(codes(&bytes), ["truncated-input"]);
    assert_eq!(check_exit(&bytes), 0, "a warning, not an error");
}

#[test]
fn a_ten_megabyte_single_line() {
    let line = "当社は、契約者に対し、（以下「サービス」といいます。）".repeat(10_000_000 / 81 + 1);
    assert!(line.len() >= 10_000_000);
    let (doc, _) = yakkan::parse(line.as_bytes());
    assert_eq!(doc.body.len(), 1, "one preamble node");
    assert_eq!(doc.body[0].text.as_deref().map(str::len), Some(line.len()));
}

#[test]
fn two_hundred_thousand_article_headings() {
    let text = "第1条\n".repeat(200_000);
    let (doc, diags) = yakkan::parse(text.as_bytes());
    assert_eq!(doc.body.len(), 200_000);
    assert_eq!(
        diags.iter().filter(|d| d.code == "duplicate-id").count(),
        199_999
    );
    assert_eq!(doc.body[199_999].id, "art_1_dup200000");
}

#[test]
fn a_definitions_table_of_a_hundred_thousand_rows() {
    // (definitions of varied length, so that layout does not take the rows for text
    // wrapped at a fixed width; one term, so that matching stays small)
    let mut text = String::from(
        "第1条（用語の定義）\nこの約款において、次の用語はそれぞれ次の意味で使用します。\n用語 用語の意味\n",
    );
    for i in 0..100_000 {
        text.push_str(&format!("甲 {}。\n", "定".repeat(i % 53 + 1)));
    }
    let (doc, _) = yakkan::parse(text.as_bytes());
    let table = doc.find("art_1__para_1__table_1").expect("the table");
    assert!(table.children.len() > 50_000, "{}", table.children.len());
    // every row of a 用語 table is a definition (each row used to search back for its table)
    assert_eq!(doc.definitions.len(), table.children.len());
}

#[test]
fn many_references_to_one_article_and_in_one_paragraph() {
    // 20,000 articles that all point at 第1条: its backlinks were checked for repeats
    // by searching the whole list
    let mut text = String::from("第1条（目的）\n本文です。\n");
    for i in 2..20_002 {
        text.push_str(&format!("第{i}条（規定）\n第1条の規定による。\n"));
    }
    let (doc, _) = yakkan::parse(text.as_bytes());
    assert_eq!(doc.find("art_1").unwrap().referenced_by.len(), 20_000);

    // 50,000 references in one paragraph: each one's sentence and character offset
    // were found by searching from the start of the text
    let text = format!(
        "第1条（目的）\n本文です。\n第2条（参照）\n{}\n",
        "第1条による。".repeat(50_000)
    );
    let (doc, _) = yakkan::parse(text.as_bytes());
    assert_eq!(doc.references.len(), 50_000);
    let last = doc.references.last().unwrap();
    assert_eq!((last.start, last.end), (49_999 * 7, 49_999 * 7 + 3));

    // 20,000 references in one sentence (no 。): the sentence was searched for 準用
    // once per reference
    let text = format!(
        "第1条（目的）\n本文です。\n第2条（参照）\n{}\n",
        "「甲」と第1条".repeat(20_000)
    );
    let (doc, _) = yakkan::parse(text.as_bytes());
    assert_eq!(doc.references.len(), 20_000);
}

#[test]
fn five_thousand_readings_in_one_paragraph() {
    // each 読み替え used to add its pair to every earlier 準用 of the text: the output
    // itself grew with the square of the sentences
    let sentence = "第1条の規定を準用する。この場合において、「甲」とあるのは「乙」と読み替える。";
    let text = format!(
        "第1条（目的）\n本文。\n第2条（準用）\n{}\n",
        sentence.repeat(5_000)
    );
    let (doc, _) = yakkan::parse(text.as_bytes());
    assert_eq!(doc.references.len(), 5_000);
    assert!(doc.references.iter().all(|r| r.readings.len() == 1));
}

#[test]
fn fifty_thousand_lines_of_front_matter() {
    // each line asked whether the front matter goes on, by checking the whole body
    let text = "令和6年4月1日\n（目的）\n".repeat(25_000);
    let (doc, _) = yakkan::parse(text.as_bytes());
    assert_eq!(
        doc.body.len(),
        49_999,
        "all but the title line are preambles"
    );
    assert!(doc.body.iter().all(|n| n.kind == yakkan::Kind::Preamble));
}

#[test]
fn two_revisions_of_three_thousand_articles_that_differ_throughout() {
    // every article reworded, so no article is equal to its counterpart: the alignment
    // compared every pair (and Myers ran between Patience's anchors)
    let revision = |verb: &str| {
        (1..=3_000)
            .map(|i| format!("第{i}条（規定）\n当社は第{i}の事項を{verb}。\n"))
            .collect::<String>()
    };
    let (old, _) = yakkan::parse(revision("定めます").as_bytes());
    let (new, _) = yakkan::parse(revision("定めるものとします").as_bytes());
    let cmp = yakkan::diff::compare(&old, &new);
    assert_eq!(
        cmp.articles.len(),
        3_000,
        "each article paired with its counterpart"
    );
    assert_eq!(cmp.changes.len(), 3_000, "one changed text per article");
    let text = yakkan::taisho::text(&cmp, false);
    assert!(text.contains("changed paragraph text art_3000__para_1"));
}

#[test]
fn deeply_nested_parentheses() {
    let text = format!(
        "第1条（目的）\n当社は、{}契約者{}とします。\n",
        "（".repeat(50_000),
        "）".repeat(50_000)
    );
    let (doc, diags) = yakkan::parse(text.as_bytes());
    assert!(diags.iter().all(|d| d.severity != Severity::Error));
    assert_eq!(
        doc.find("art_1__para_1")
            .unwrap()
            .text
            .as_deref()
            .map(|t| t.chars().count()),
        Some(100_012)
    );
}

#[test]
fn heading_without_body_duplicates_and_disorder() {
    let text = "第1章 総則\n第1条（目的）\n第3条（申込）\n当社は承諾します。\n第2条（変更）\n当社は変更します。\n第2条（重複）\n当社は重複します。\n第2章\n";
    let c = codes(text.as_bytes());
    for code in ["numbering-gap", "numbering-order", "duplicate-id"] {
        assert!(c.contains(&code.to_string()), "{code} missing in {c:?}");
    }
    let (doc, _) = yakkan::parse(text.as_bytes());
    let art1 = doc.find("art_1").unwrap();
    assert!(
        art1.children.is_empty(),
        "a heading with no body has no paragraph to invent"
    );
    assert!(doc.find("chp_2").unwrap().children.is_empty());
    assert_eq!(check_exit(text.as_bytes()), 0, "warnings only");
}
