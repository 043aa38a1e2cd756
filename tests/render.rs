//! Markdown and HTML rendering, checked by parsing the Markdown back with pulldown-cmark.

mod common;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use std::collections::HashSet;

fn seed() -> yakkan::Document {
    yakkan::parse(&common::seed_bytes()).0
}

#[test]
fn headings_anchors_tables_and_links_are_where_expected() {
    let doc = seed();
    let md = yakkan::markdown::render(&doc);
    let mut headings: Vec<(HeadingLevel, String)> = Vec::new();
    let mut links = Vec::new();
    let mut rows = 0;
    let mut in_table = false;
    for e in Parser::new_ext(&md, yakkan::markdown::options()) {
        match e {
            Event::Start(Tag::Heading { level, id, .. }) => {
                headings.push((level, id.map(|s| s.to_string()).unwrap_or_default()))
            }
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::Start(Tag::Table(_)) => in_table = true,
            Event::End(TagEnd::Table) => in_table = false,
            Event::Start(Tag::TableRow) if in_table => rows += 1,
            _ => {}
        }
    }
    let ids = |l: HeadingLevel| {
        headings
            .iter()
            .filter(|(x, _)| *x == l)
            .map(|(_, id)| id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(HeadingLevel::H2).len(), 11, "10 chapters and 附則");
    assert_eq!(ids(HeadingLevel::H2)[0], "chp_1");
    let arts = ids(HeadingLevel::H4);
    assert_eq!(arts.len(), 46);
    assert_eq!(arts[12], "art_13");
    assert_eq!(
        rows, 117,
        "every definition row (the header row is separate)"
    );
    // Every link points at an anchor that exists: a heading id or a span id.
    let mut anchors: HashSet<String> = headings.iter().map(|(_, id)| id.clone()).collect();
    for cap in md.split("<span id=\"").skip(1) {
        anchors.insert(cap.split('"').next().unwrap().to_string());
    }
    assert!(links.len() > 50);
    for l in &links {
        assert!(
            anchors.contains(l.trim_start_matches('#')),
            "{l} has no anchor"
        );
    }
    assert!(links.contains(&"#art_13".to_string()));
}

#[test]
fn html_escapes_document_text() {
    let text = "第1条（<script>alert(1)</script>）\n当社は、\"><img src=x onerror=alert(1)>及び javascript:alert(1) を定めます。\n";
    let (doc, _) = yakkan::parse(text.as_bytes());
    let html = yakkan::markdown::render_html(&doc);
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("&lt;script&gt;"));
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"ja\">"));
}

#[test]
fn markdown_snapshot_of_a_fixture() {
    let bytes = common::fixture_bytes(&common::root().join("fixtures/references.txt"));
    let (doc, _) = yakkan::parse(&bytes);
    insta::assert_snapshot!(yakkan::markdown::render(&doc));
}
