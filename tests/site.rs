//! `yakkan site` without a browser: the files it writes, their anchors and links, escaping,
//! and the swap into place (a failed build leaves the previous site as it was).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn site(corpus: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yakkan"))
        .arg("site")
        .arg(corpus)
        .arg("-o")
        .arg(out)
        .output()
        .expect("yakkan runs")
}

fn files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn fixture_corpus() -> PathBuf {
    common::root().join("fixtures/site-corpus")
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The values of `attr="…"` in an HTML text.
fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    html.match_indices(&pat)
        .map(|(i, _)| {
            let rest = &html[i + pat.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn fixture_corpus_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = site(&fixture_corpus(), &out);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stderr.contains("2 documents, 3 revisions, 8 pages,"),
        "{stderr}"
    );
    insta::assert_snapshot!("site_files", files(&out).join("\n"));
    insta::assert_snapshot!(
        "site_two_revisions_page",
        read(&out, "d/example/two-revisions/2025-04-01.html")
    );
    insta::assert_snapshot!(
        "site_two_revisions_timeline",
        read(&out, "d/example/two-revisions/index.html")
    );
    insta::assert_snapshot!(
        "site_two_revisions_taisho",
        read(&out, "d/example/two-revisions/2024-04-01_2025-04-01.html")
    );
    insta::assert_snapshot!("site_xss_page", read(&out, "d/example/xss/2025-01-01.html"));
    insta::assert_snapshot!("site_home", read(&out, "index.html"));
    insta::assert_snapshot!("site_search_meta", read(&out, "search/meta.json"));
}

#[test]
fn document_text_never_becomes_markup() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert!(site(&fixture_corpus(), &out).status.success());
    for f in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let html = read(&out, f);
        assert!(!html.contains("<script>window"), "{f}");
        assert!(!html.contains("<img"), "{f}");
        assert!(!html.contains("<a href=\"javascript"), "{f}");
        assert!(!html.contains("onerror=\""), "{f}");
        assert!(!html.contains("<b onmouseover"), "{f}");
        for href in attrs(&html, "href") {
            assert!(!href.contains("javascript"), "{f}: {href}");
        }
    }
    let page = read(&out, "d/example/xss/2025-01-01.html");
    assert!(page.contains("&lt;script&gt;window.__pwned=&#39;chapter&#39;&lt;/script&gt;"));
    assert!(page.contains("&quot;&gt;&lt;img src=x onerror=&quot;"));
}

/// Every node of the seed is an anchor on its page, and every in-page link has a target.
#[test]
fn seed_page_anchors_and_links() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = site(&common::root().join("corpus"), &out);
    assert!(run.status.success());
    let html = read(&out, "d/iij/general-provisions/2025-07-18.html");
    let ids: std::collections::HashSet<&str> = attrs(&html, "id").into_iter().collect();
    let (doc, _) = yakkan::parse(&common::seed_bytes());
    let nodes = doc.nodes();
    assert!(nodes.len() > 500);
    for n in nodes {
        assert!(ids.contains(n.id.as_str()), "{} has no anchor", n.id);
    }
    for d in &doc.definitions {
        assert!(
            ids.contains(d.id.as_str()),
            "{} has no glossary entry",
            d.id
        );
    }
    let links: Vec<&str> = attrs(&html, "href")
        .into_iter()
        .filter_map(|h| h.strip_prefix('#'))
        .collect();
    assert!(links.len() > 500, "{}", links.len());
    for l in links {
        assert!(ids.contains(l), "#{l} has no target");
    }
    // Reference links, term links and backlinks are there.
    assert!(html.contains("<a class=\"ref\" href=\"#art_13\">前条（申込の拒絶）</a>"));
    assert!(html.contains("<a class=\"term\" href=\"#def_"));
    assert!(html.contains("<aside class=\"backlinks\">"));
    // The 附則 history has ISO dates.
    assert!(html.contains("<time datetime=\"2025-07-18\">"));
}

#[test]
fn a_failed_build_leaves_the_previous_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert!(site(&fixture_corpus(), &out).status.success());
    let before = files(&out);
    let home = read(&out, "index.html");
    // A missing corpus fails before anything is written.
    let run = site(&tmp.path().join("missing"), &out);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(files(&out), before);
    assert_eq!(read(&out, "index.html"), home);
    // A rebuild replaces the site (it is marked as built by yakkan).
    let run = site(&common::root().join("corpus"), &out);
    assert!(run.status.success());
    assert!(out
        .join("d/iij/general-provisions/2025-07-18.html")
        .exists());
    assert!(!out.join("d/example").exists());
    // No temporary or set-aside folders are left next to it.
    let left: Vec<String> = files(tmp.path())
        .into_iter()
        .filter(|f| !f.starts_with("site/"))
        .collect();
    assert_eq!(left, Vec::<String>::new());
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_build() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("mine");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "keep me").unwrap();
    let run = site(&fixture_corpus(), &out);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("not a site built by yakkan"), "{err}");
    assert_eq!(files(&out), ["notes.txt"]);
    assert_eq!(files(tmp.path()), ["mine/notes.txt"]);
}

#[test]
fn unreadable_revisions_are_skipped_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus/acme/terms");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("2024-01-01.txt"),
        "第1条（目的）\nこの約款は目的を定めます。\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("2025-01-01.txt"),
        [0u8, 159, 146, 150, 0, 0, 1, 2],
    )
    .unwrap();
    // A document with no usable revision at all still gets its (empty) timeline.
    let broken = tmp.path().join("corpus/acme/broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("2025-01-01.txt"), [0u8, 1, 2, 3]).unwrap();
    let out = tmp.path().join("site");
    let run = site(&tmp.path().join("corpus"), &out);
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("terms/2025-01-01.txt:0: error: the input is not text"),
        "{err}"
    );
    assert!(err.contains("[binary-input]"), "{err}");
    assert!(out.join("d/acme/terms/2024-01-01.html").exists());
    assert!(!out.join("d/acme/terms/2025-01-01.html").exists());
    assert!(out.join("d/acme/broken/index.html").exists());
    let home = read(&out, "index.html");
    assert!(
        home.contains("<a href=\"d/acme/broken/index.html\">acme/broken</a></td><td></td><td>—</td><td>0</td>"),
        "{home}"
    );
}

/// Lines of terms-document structure mixed with markup, quotes and script text.
fn hostile_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop::sample::select(vec![
        "第1章 ",
        "第1条",
        "第2条",
        "（目的）",
        "2 ",
        "(1) ",
        "附則",
        "この約款は、令和6年4月1日から実施します。",
        "以下「",
        "」といいます。",
        "前条",
        "第1条第2項",
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "javascript:alert(1)",
        "<a href=\"javascript:x\">",
        "'",
        "\"",
        "&amp;",
        "<",
        ">",
        "&",
        "用語",
        "当社は",
        "　",
    ]);
    let line = prop::collection::vec(piece, 0..6).prop_map(|p| p.concat());
    prop::collection::vec(line, 0..25).prop_map(|lines| lines.join("\n"))
}

/// Every tag is one the site writes, and every attribute value is made of characters
/// that no document text can smuggle in (or is one of the site's own fixed labels).
fn assert_only_site_markup(html: &str) {
    const TAGS: &[&str] = &[
        "html", "head", "meta", "title", "link", "style", "script", "body", "header", "nav",
        "form", "input", "button", "div", "main", "section", "h1", "h2", "h3", "h4", "a", "p",
        "span", "ol", "li", "ul", "table", "thead", "tbody", "tr", "th", "td", "aside", "dl", "dt",
        "dd", "details", "summary", "pre", "time", "strong", "u", "select", "option", "noscript",
    ];
    const LABELS: &[&str] = &["約款を検索", "検索語", "目次", "文書", "版", "例：解約"];
    let tag_re =
        regex::Regex::new(r#"<(/?)([a-z0-9]+)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>"#).unwrap();
    let attr_re = regex::Regex::new(r#"([a-z-]+)(?:="([^"]*)")?"#).unwrap();
    let safe = regex::Regex::new(r"^[A-Za-z0-9_#./:,;=~\- ]*$").unwrap();
    let html = html.strip_prefix("<!DOCTYPE html>").expect("a doctype");
    let mut rest = String::new();
    let mut last = 0;
    for m in tag_re.captures_iter(html) {
        let whole = m.get(0).unwrap();
        rest.push_str(&html[last..whole.start()]);
        last = whole.end();
        let tag = &m[2];
        assert!(
            TAGS.contains(&tag),
            "unexpected tag <{tag}> in {}",
            whole.as_str()
        );
        for a in attr_re.captures_iter(&m[3]) {
            let value = a.get(2).map_or("", |v| v.as_str());
            assert!(
                safe.is_match(value) || LABELS.contains(&value),
                "unsafe attribute {}={value:?}",
                &a[1]
            );
        }
    }
    rest.push_str(&html[last..]);
    // Outside tags, `<` and `>` only ever appear escaped (style sheets hold none).
    assert!(
        !rest.contains('<') && !rest.contains('>'),
        "raw markup left: {rest}"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]

    #[test]
    fn pages_hold_only_site_markup(old in hostile_text(), new in hostile_text()) {
        let input = yakkan::site::DocumentInput {
            path: "x/<script>".into(),
            title: None,
            publisher: Some("\"><script>alert(1)</script>".into()),
            revisions: vec![
                yakkan::site::RevisionInput { date: "2024-01-01".into(), bytes: old.into_bytes() },
                yakkan::site::RevisionInput { date: "2025-<b>".into(), bytes: new.into_bytes() },
            ],
        };
        let out = yakkan::site::render_document(input, 0);
        let summaries = [out.summary.clone()];
        for (path, html) in out.files.iter().chain(&yakkan::site::common_files(&summaries)) {
            if path.ends_with(".html") {
                assert_only_site_markup(html);
            }
        }
    }
}

#[test]
fn every_document_gets_pages_of_its_own_whatever_its_folder_name() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let text = std::fs::read(common::root().join("fixtures/references.txt")).unwrap();
    let long = "電気通信事業法施行規則第二十二条の二の二十四に定める事項に関する規程"; // 33 kanji
    let odd = "x".repeat(40) + &"!".repeat(80); // 280 bytes once escaped
    for folder in ["", "document", "~root", long, &odd] {
        let dir = corpus.join(folder);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("2024-01-01.txt"), &text).unwrap();
    }
    let out = tmp.path().join("site");
    let run = site(&corpus, &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let home = read(&out, "index.html");
    let mut links: Vec<&str> = attrs(&home, "href")
        .into_iter()
        .filter(|h| h.starts_with("d/") && h.ends_with("/index.html"))
        .collect();
    links.sort();
    links.dedup();
    assert_eq!(links.len(), 5, "five documents, five timelines: {links:?}");
    for l in &links {
        assert!(out.join(l).is_file(), "{l}");
        for part in l.split('/') {
            assert!(part.len() <= 255, "{part}");
        }
    }
    assert!(
        links.iter().any(|l| l.contains(long)),
        "a Japanese folder name stays readable: {links:?}"
    );
}
