//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use yakkan::{Diagnostic, Document};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub const SEED: &str = "corpus/iij/general-provisions/2025-07-18.txt";

pub fn seed_bytes() -> Vec<u8> {
    std::fs::read(root().join(SEED)).expect("the seed document is in the repo")
}

/// A fixture's bytes without its first line, the `# what it tests` comment. UTF-8
/// fixtures keep an empty first line instead, so that diagnostics and node lines match
/// the line numbers of the fixture file; other encodings lose the line entirely.
pub fn fixture_bytes(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).expect("fixture readable");
    assert!(
        bytes.starts_with(b"# "),
        "{} must start with a `# ` comment line",
        path.display()
    );
    let nl = bytes
        .iter()
        .position(|&b| b == b'\n')
        .expect("comment line ends");
    let rest = &bytes[nl + 1..];
    let utf8 = std::str::from_utf8(rest).is_ok_and(|s| !s.starts_with('\u{feff}'));
    if utf8 && !rest.is_empty() {
        bytes[nl..].to_vec()
    } else {
        rest.to_vec()
    }
}

pub fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures"))
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// Non-whitespace characters, sorted: the multiset the nothing-lost check compares.
pub fn content_chars(s: &str) -> Vec<char> {
    let mut v: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    v.sort_unstable();
    v
}

/// Checks that the text output holds exactly the input's characters minus the dropped
/// artefacts recorded in the diagnostics.
pub fn assert_nothing_lost(bytes: &[u8], doc: &Document, diags: &[Diagnostic]) {
    let (input, _) = yakkan::decode::decode(bytes);
    let mut expected = content_chars(&input);
    for d in diags {
        for c in d
            .dropped
            .as_deref()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
        {
            let pos = expected
                .binary_search(&c)
                .expect("a dropped character was in the input");
            expected.remove(pos);
        }
    }
    let output = yakkan::text::render(doc);
    let got = content_chars(&output);
    assert_eq!(got.len(), expected.len(), "character count differs");
    assert!(got == expected, "characters differ");
}

/// Every node's kind, ID, number, title, text and cells, in order: the tree's shape
/// and content, for comparing two parses. `spaces` false drops whitespace from titles,
/// texts and cells (a producer that draws a space as a gap).
pub fn signature(doc: &Document, spaces: bool) -> Vec<String> {
    let keep = |s: &str| -> String {
        if spaces {
            s.to_string()
        } else {
            s.chars().filter(|c| !c.is_whitespace()).collect()
        }
    };
    doc.nodes()
        .iter()
        .map(|n| {
            let title = n.title.as_deref().map(keep);
            let text = n.text.as_deref().map(keep);
            let cells: Vec<String> = n.cells.iter().map(|c| keep(c)).collect();
            format!(
                "{:?} {} {:?} {title:?} {text:?} {cells:?}",
                n.kind, n.id, n.num
            )
        })
        .collect()
}

/// Every node ID of the tree is unique (`what` names the input in the message).
pub fn assert_ids_unique(doc: &Document, what: &str) {
    let mut ids: Vec<&str> = doc.nodes().iter().map(|n| n.id.as_str()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "{what}");
}

/// Parses a fixture in the format its name says.
pub fn parse_fixture(path: &Path, bytes: &[u8]) -> (Document, Vec<Diagnostic>) {
    let format = yakkan::read::Format::of_name(&path.to_string_lossy());
    yakkan::parse_as(bytes.to_vec(), format)
}

/// For Markdown input: every character of the document's text (what pulldown-cmark
/// reads as text, code and HTML but `<br>`) is in the text output or in a diagnostic's
/// `dropped`, and nothing is added but the numbers of ordered list items and a table's
/// delimiter row (`-`, `:`), which the reader keeps as a row.
pub fn assert_markdown_text_kept(bytes: &[u8], doc: &Document, diags: &[Diagnostic]) {
    use pulldown_cmark::{Event, Options, Parser};
    let (input, _) = yakkan::decode::decode(bytes);
    let mut content = String::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    for event in Parser::new_ext(&input, options) {
        match event {
            Event::Text(t) | Event::Code(t) => content.push_str(&t),
            // (comments go to a diagnostic, `<br>` is a line break, other HTML is kept)
            Event::Html(h) | Event::InlineHtml(h) if !h.trim_start().starts_with("<br") => {
                content.push_str(&h)
            }
            _ => {}
        }
    }
    assert_text_kept(&content, doc, diags, |c| {
        c.is_ascii_digit() || matches!(c, '.' | ')' | '-' | ':')
    });
}

/// Every non-whitespace character of `content` is in the text output of `doc` or in a
/// diagnostic's `dropped`, and the only characters added are those `added` allows.
pub fn assert_text_kept(
    content: &str,
    doc: &Document,
    diags: &[Diagnostic],
    added: fn(char) -> bool,
) {
    let mut got = yakkan::text::render(doc);
    for d in diags {
        got.push_str(d.dropped.as_deref().unwrap_or(""));
    }
    let (mut want, mut have) = (content_chars(content), content_chars(&got));
    for c in want.drain(..) {
        let pos = have
            .binary_search(&c)
            .unwrap_or_else(|_| panic!("{c:?} of the document's text is lost"));
        have.remove(pos);
    }
    assert!(have.iter().all(|&c| added(c)), "added: {have:?}");
}

/// For HTML input: every character of the page's text (outside tags, comments, scripts
/// and styles, with character references decoded: read here by a naive scan, not by
/// the reader's parser) is in the text output or in a diagnostic's `dropped`, and
/// nothing is added but list numbers (`1.`, `一、`).
pub fn assert_html_text_kept(bytes: &[u8], doc: &Document, diags: &[Diagnostic]) {
    let (input, _) = yakkan::read::html::decode(bytes.to_vec());
    let mut content = String::new();
    let mut rest = input.as_str();
    while let Some(lt) = rest.find(['<', '&']) {
        content.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
        rest = if rest.starts_with("<!--") {
            skip_to(rest, "-->")
        } else if lower.starts_with("<script") {
            skip_to(rest, "</script>")
        } else if lower.starts_with("<style") {
            skip_to(rest, "</style>")
        } else if rest.starts_with('<') {
            skip_to(rest, ">")
        } else {
            let end = rest.find(';').filter(|&e| e < 10).unwrap_or(0);
            let name = &rest[1..end.max(1)];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            match c {
                Some(c) => {
                    content.push(c);
                    &rest[end + 1..]
                }
                None => {
                    content.push('&');
                    &rest[1..]
                }
            }
        };
    }
    content.push_str(rest);
    assert_text_kept(&content, doc, diags, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '.' | '、') || yakkan_numeral(c)
    });
}

/// For e-Gov law XML: every character of the XML's text (read here by roxmltree, not
/// by the reader's quick-xml) is in the text output or in a diagnostic's `dropped`;
/// what is added is what e-Gov prints around the text: the brackets around the law
/// number, a 附則's amending law number (an attribute) in brackets and its `抄`.
pub fn assert_xml_text_kept(bytes: &[u8], doc: &Document, diags: &[Diagnostic]) {
    let (input, _) = yakkan::decode::decode(bytes);
    let xml = roxmltree::Document::parse(input.trim_start()).expect("the fixture is XML");
    let mut content = String::new();
    for node in xml.descendants() {
        if let Some(t) = node.text().filter(|_| node.is_text()) {
            content.push_str(t);
        }
        if let Some(amend) = node.attribute("AmendLawNum") {
            content.push_str(amend);
        }
    }
    assert_text_kept(&content, doc, diags, |c| matches!(c, '（' | '）' | '抄'));
}

/// What follows the first `end` in `rest` (nothing when there is none).
fn skip_to<'a>(rest: &'a str, end: &str) -> &'a str {
    rest.find(end).map_or("", |e| &rest[e + end.len()..])
}

fn yakkan_numeral(c: char) -> bool {
    "〇一二三四五六七八九十百千万アイウエオカキクケコイロハニホヘト①②③④⑤".contains(c)
}

/// A test that needs a tool outside Rust (a browser, Graphviz), for a test file run by
/// libtest-mimic (`harness = false`): when `missing` names what is not installed, the
/// test is reported `ignored` with that reason in the default `cargo test` output, and
/// under CI (`CI` set) it fails instead, since CI must run it.
pub fn tool_test(name: &str, missing: fn() -> Option<String>, body: fn()) -> libtest_mimic::Trial {
    libtest_mimic::Trial::ignorable_test(name, move || {
        if let Some(why) = missing() {
            if std::env::var_os("CI").is_some() {
                return Err(format!("CI must run this test: {why}").into());
            }
            return Ok(libtest_mimic::Completion::ignored_with(why));
        }
        body();
        Ok(libtest_mimic::Completion::Completed)
    })
}

/// What is missing for the scripts of `tests/browser` (Node.js, Chromium, the npm
/// packages `.ci/run` installs with `npm ci --prefix tests/browser`), if anything.
pub fn missing_browser_tools() -> Option<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let modules = root().join("tests/browser/node_modules");
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        Some("node is not installed".into())
    } else if !Path::new(&chromium).exists() {
        Some(format!("{chromium} is not installed"))
    } else if !["playwright-core", "mermaid"]
        .iter()
        .all(|m| modules.join(m).exists())
    {
        Some("tests/browser/node_modules is missing (npm ci --prefix tests/browser)".into())
    } else {
        None
    }
}

/// Runs `tests/browser/SCRIPT` with Node.js and returns the JSON object it prints.
pub fn browser_script(script: &str, args: &[&std::ffi::OsStr]) -> serde_json::Value {
    let dir = root().join("tests/browser");
    let out = std::process::Command::new("node")
        .arg(dir.join(script))
        .args(args)
        .current_dir(&dir)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{script} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("JSON from {script}: {e}"))
}
