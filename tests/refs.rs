//! Cross-references on the shared document and on the reference fixtures, and the
//! graph outputs checked with real tools where they exist.

mod common;

use yakkan::{Document, RefKind, Reference, Relation};

fn seed() -> Document {
    yakkan::parse(&common::seed_bytes()).0
}

fn fixture(name: &str) -> (Document, Vec<yakkan::Diagnostic>) {
    yakkan::parse(&common::fixture_bytes(
        &common::root().join("fixtures").join(name),
    ))
}

fn refs_from<'a>(doc: &'a Document, from: &str) -> Vec<&'a Reference> {
    doc.references.iter().filter(|r| r.from == from).collect()
}

fn find<'a>(doc: &'a Document, from: &str, text: &str) -> &'a Reference {
    refs_from(doc, from)
        .into_iter()
        .find(|r| r.text == text)
        .unwrap_or_else(|| panic!("no `{text}` in {from}"))
}

#[test]
fn acceptance_examples_on_the_seed() {
    let doc = seed();
    let r = find(&doc, "art_14__para_2", "前条（申込の拒絶）");
    assert_eq!(
        (r.targets.as_slice(), r.relation),
        (&["art_13".to_string()][..], Relation::Applies)
    );
    let pairs: Vec<(&str, &str)> = r
        .readings
        .iter()
        .map(|p| (p.from.as_str(), p.to.as_str()))
        .collect();
    assert_eq!(pairs, [("申込", "変更の請求"), ("申込者", "契約者")]);
    assert_eq!(
        find(&doc, "art_27__para_1__item_1", "同条第 1項第 1号").targets,
        ["art_25__para_1__item_1"]
    );
    let prev_each = find(&doc, "art_46__para_1__item_10", "前各号");
    assert_eq!(
        prev_each.targets,
        (1..=9)
            .map(|k| format!("art_46__para_1__item_{k}"))
            .collect::<Vec<_>>()
    );
    let art35: Vec<&Reference> = refs_from(&doc, "art_35__para_1");
    assert!(art35.iter().all(|r| r.relation == Relation::Applies));
    let targets: Vec<&str> = art35
        .iter()
        .flat_map(|r| r.targets.iter().map(String::as_str))
        .collect();
    assert_eq!(targets, ["art_32", "art_33", "art_34"]);
    assert_eq!(
        find(&doc, "art_34__para_1", "次項").targets,
        ["art_34__para_2"]
    );
    let law = find(&doc, "art_23__para_1", "電気通信事業法第 8条");
    assert_eq!(law.kind, RefKind::External);
    assert!(law.targets.is_empty());
    assert_eq!(law.law.as_ref().unwrap().name, "電気通信事業法");
    assert_eq!(law.law.as_ref().unwrap().path.as_deref(), Some("8"));
    let suppl = doc.supplementary.as_ref().unwrap();
    let dec_2018 = suppl
        .entries
        .iter()
        .find(|e| e.date.as_deref() == Some("2018-12-01"))
        .unwrap();
    let r = find(
        &doc,
        &dec_2018.children[0].id,
        "第 45条（サイバー攻撃への対処）第 1項第 1号及び第 2号",
    );
    assert_eq!(
        r.targets,
        ["art_45__para_1__item_1", "art_45__para_1__item_2"]
    );
}

#[test]
fn everything_internal_resolves_and_nothing_is_invented() {
    let (doc, diags) = yakkan::parse(&common::seed_bytes());
    let unresolved: Vec<&str> = doc
        .references
        .iter()
        .filter(|r| !r.resolved)
        .map(|r| r.text.as_str())
        .collect();
    assert!(unresolved.is_empty(), "{unresolved:?}");
    assert!(!diags
        .iter()
        .any(|d| d.code == "unresolved-reference" || d.code == "caption-mismatch"));
    // Law numbers are part of law citations, never items: 平成 11年法律第 52号.
    let r = find(&doc, "art_23__para_2", "児童買春、児童ポルノに係る行為等の処罰及び児童の保護等に関する法律（平成 11年法律第 52号）");
    assert_eq!(r.kind, RefKind::External);
    assert_eq!(
        r.law.as_ref().unwrap().number.as_deref(),
        Some("平成 11年法律第 52号")
    );
    assert!(doc
        .references
        .iter()
        .all(|r| !r.targets.iter().any(|t| t.contains("item_52"))));
    // 同法 is the law named last: 国立研究開発法人情報通信研究機構法.
    let r = doc
        .references
        .iter()
        .find(|r| r.text == "同法第 8条第 2項第 2号")
        .unwrap();
    assert_eq!(
        r.law.as_ref().unwrap().name,
        "国立研究開発法人情報通信研究機構法"
    );
    assert_eq!(r.law.as_ref().unwrap().path.as_deref(), Some("8/2/2"));
    // Offsets are character offsets into the node's text.
    for r in &doc.references {
        let text = doc.find(&r.from).unwrap().text.as_deref().unwrap();
        let slice: String = text.chars().skip(r.start).take(r.end - r.start).collect();
        assert_eq!(slice, r.text);
    }
    // 個別規程 is another document of the tariff.
    assert!(doc
        .references
        .iter()
        .filter(|r| r.text == "個別規程")
        .all(|r| r.kind == RefKind::OtherDocument));
}

#[test]
fn backlinks() {
    let doc = seed();
    let art13 = doc.find("art_13").unwrap();
    assert_eq!(
        art13.referenced_by,
        ["art_12__para_1", "art_14__para_2", "art_17__para_2"]
    );
    let item = doc.find("art_45__para_1__item_1").unwrap();
    assert!(item.referenced_by.iter().any(|f| f.starts_with("suppl_")));
}

#[test]
fn ascii_fixture() {
    let (doc, diags) = fixture("references.txt");
    assert_eq!(
        find(&doc, "art_2__para_1__item_3", "前各号").targets,
        ["art_2__para_1__item_1", "art_2__para_1__item_2"]
    );
    assert_eq!(
        find(&doc, "art_2__para_2", "前項第1号及び第2号").targets,
        ["art_2__para_1__item_1", "art_2__para_1__item_2"]
    );
    assert_eq!(
        find(&doc, "art_4__para_1", "第2条第1項から第3項まで").targets,
        ["art_2__para_1", "art_2__para_2", "art_2__para_3"]
    );
    let r = find(&doc, "art_3__para_2", "前条");
    assert_eq!(
        (
            r.relation,
            r.readings[0].from.as_str(),
            r.readings[0].to.as_str()
        ),
        (Relation::Applies, "契約者", "申込者")
    );
    let r = find(&doc, "art_4__para_3", "同条第2項及び第9条");
    assert_eq!(
        (r.resolved, r.targets.as_slice()),
        (false, &["art_4__para_2".to_string()][..])
    );
    assert!(diags
        .iter()
        .any(|d| d.code == "unresolved-reference" && d.message.contains("art_9")));
    assert!(diags
        .iter()
        .any(|d| d.code == "caption-mismatch" && d.message.contains("（承諾）")));
    let r = find(&doc, "art_5__para_1", "同法第8条第2項");
    assert_eq!(r.law.as_ref().unwrap().name, "電気通信事業法");
    assert_eq!(
        find(&doc, "suppl_1__para_2", "前項").targets,
        ["suppl_1__para_1"]
    );
    assert_eq!(
        find(&doc, "suppl_1__para_2", "第4条第2項").targets,
        ["art_4__para_2"]
    );
}

#[test]
fn kanji_and_full_width_fixture() {
    let (doc, diags) = fixture("references-kanji.txt");
    assert!(
        !diags.iter().any(|d| d.code == "unresolved-reference"),
        "{diags:?}"
    );
    assert_eq!(
        find(&doc, "art_2__para_2", "前項第二号").targets,
        ["art_2__para_1__item_2"]
    );
    assert_eq!(
        find(&doc, "art_2__para_2", "第三十六条の二").targets,
        ["art_36-2"]
    );
    assert_eq!(
        find(&doc, "art_2__para_3", "第一項第一号及び第二号").targets,
        ["art_2__para_1__item_1", "art_2__para_1__item_2"]
    );
    assert_eq!(
        find(&doc, "art_3__para_1", "同条第三項").targets,
        ["art_2__para_3"]
    );
    assert_eq!(find(&doc, "art_36-2__para_1", "第３条").targets, ["art_3"]);
    assert_eq!(
        find(&doc, "art_36-2__para_1", "第１項").targets,
        ["art_36-2__para_1"]
    );
    // Inside the 附則, 前条 is the 附則's own article; 第三条 falls back to the body.
    assert_eq!(
        find(&doc, "suppl_1__art_2__para_1", "前条").targets,
        ["suppl_1__art_1"]
    );
    assert_eq!(
        find(&doc, "suppl_1__art_2__para_1", "第三条").targets,
        ["art_3"]
    );
}

#[test]
fn mermaid_is_structurally_valid() {
    let doc = seed();
    for level in [
        yakkan::graph::Level::Article,
        yakkan::graph::Level::Paragraph,
    ] {
        let g = yakkan::graph::build(&doc, level);
        let m = yakkan::graph::to_mermaid(&g);
        let mut lines = m.lines();
        assert_eq!(lines.next(), Some("flowchart LR"));
        let mut declared = std::collections::HashSet::new();
        let mut depth = 0i32;
        let mut edges = 0;
        for line in lines.map(str::trim) {
            if line.starts_with("%%") {
                continue;
            } else if let Some(rest) = line.strip_prefix("subgraph ") {
                assert!(rest.contains("[\""), "{line}");
                depth += 1;
            } else if line == "end" {
                depth -= 1;
                assert!(depth >= 0);
            } else if line.contains("-->") || line.contains("==>") {
                let parts: Vec<&str> = line.split_whitespace().collect();
                let (from, to) = (parts[0], parts[parts.len() - 1]);
                assert!(declared.contains(from) && declared.contains(to), "{line}");
                edges += 1;
            } else {
                let (id, label) = line.split_once("[\"").expect("node line");
                assert!(id.chars().all(|c| c.is_ascii_alphanumeric()), "{id}");
                assert!(
                    label.ends_with("\"]") && !label[..label.len() - 2].contains('"'),
                    "{line}"
                );
                declared.insert(id.to_string());
            }
        }
        assert_eq!(depth, 0);
        assert_eq!(edges, g.edges.len());
    }
}

#[test]
fn preceding_n_articles() {
    let (doc, diags) = fixture("statute-egov.txt");
    assert!(
        !diags.iter().any(|d| d.code == "unresolved-reference"),
        "{diags:?}"
    );
    assert_eq!(
        find(&doc, "art_5-2__para_1", "前二条").targets,
        ["art_4", "art_5"]
    );
}

#[test]
fn a_reading_rewrites_the_application_since_the_previous_reading() {
    let text =
        "第1条（目的）\n本文。\n第2条（規定）\n本文。\n第3条（規定）\n本文。\n第4条（準用）\n\
        第2条の規定を準用します。この場合において、「甲」とあるのは「乙」と読み替えます。\
        第3条の規定を準用します。この場合において、「丙」とあるのは「丁」と読み替えます。\n";
    let (doc, _) = yakkan::parse(text.as_bytes());
    let pairs = |t: &str| {
        let r = find(&doc, "art_4__para_1", t);
        assert_eq!(r.relation, Relation::Applies);
        let p: Vec<(&str, &str)> = r
            .readings
            .iter()
            .map(|p| (p.from.as_str(), p.to.as_str()))
            .collect();
        p
    };
    // (each 読み替え names no target: it rewrites the 準用 just before it, not every
    // earlier one of the paragraph)
    assert_eq!(pairs("第2条"), [("甲", "乙")]);
    assert_eq!(pairs("第3条"), [("丙", "丁")]);
}
