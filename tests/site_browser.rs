//! The static site in a real browser: `yakkan site … --serve` serves the bundled corpus
//! and the fixture corpus, and `tests/browser/site.mjs` drives Debian's Chromium through
//! them with playwright-core (no browser download). Checked here: the search
//! queries return exactly the provisions containing them, a cross-reference click lands
//! on its anchor, previews show the target and the definition, the 新旧対照表 of the
//! fixture shows its changes, and the XSS fixture stays inert.
//!
//! Needs `node`, `/usr/bin/chromium` and `tests/browser/node_modules` (`.ci/run`
//! installs them). Without them the test is reported `ignored` with the reason, except
//! under CI (`CI` set), where it fails: CI must run it.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use yakkan::site::search::{records, search_key};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Builds the site of `corpus` into `out` and serves it; returns the server and its URL.
fn serve(corpus: &Path, out: &Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yakkan"))
        .arg("site")
        .arg(corpus)
        .arg("-o")
        .arg(out)
        .args(["--serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("yakkan runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .trim_end_matches('/')
        .to_string();
    (Server(child), url)
}

/// The queries, then one whose character pairs all occur in 5 provisions but
/// which only 3 contain (第29条 and 第34条 hold 料金, の and 支払 apart): without the
/// substring check it would return too much.
const QUERIES: [&str; 7] = [
    "解約",
    "契約者",
    "カスタマーハラスメント",
    "ドコモ",
    "遅延損害金",
    "個人情報",
    "料金の支払",
];

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let tests = vec![common::tool_test(
        "site_in_chromium",
        common::missing_browser_tools,
        site_in_chromium,
    )];
    libtest_mimic::run(&args, tests).exit();
}

fn site_in_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let (_a, corpus_url) = serve(&common::root().join("corpus"), &tmp.path().join("corpus"));
    let (_b, fixture_url) = serve(
        &common::root().join("fixtures/site-corpus"),
        &tmp.path().join("fixture"),
    );
    let shots: PathBuf = std::env::var_os("YAKKAN_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    let mut args: Vec<&std::ffi::OsStr> =
        vec![corpus_url.as_ref(), fixture_url.as_ref(), shots.as_os_str()];
    args.extend(QUERIES.iter().map(std::ffi::OsStr::new));
    let v = common::browser_script("site.mjs", &args);
    assert_eq!(v["errors"], serde_json::json!([]), "script errors");
    assert_eq!(v["dialogs"], serde_json::json!([]), "dialogs opened");

    // Search: exactly the provisions whose text contains the query, on the first page.
    let (doc, _) = yakkan::parse(&common::seed_bytes());
    let recs = records(&doc);
    for q in QUERIES {
        let key = search_key(q);
        let mut expected: Vec<&str> = recs
            .iter()
            .filter(|r| search_key(&r.text).contains(&key))
            .map(|r| r.id.as_str())
            .collect();
        let got = v["search"][q]["results"].as_array().unwrap();
        let mut ids: Vec<&str> = got.iter().map(|r| r["id"].as_str().unwrap()).collect();
        // The first result holds the query most often (or in its heading).
        let first = ids[0];
        let count = |id: &str| {
            let r = recs.iter().find(|r| r.id == id).unwrap();
            search_key(&r.text).matches(&key).count()
        };
        let best = expected.iter().map(|id| count(id)).max().unwrap();
        assert!(
            count(first) == best
                || recs
                    .iter()
                    .any(|r| r.id == first && search_key(&r.title).contains(&key)),
            "{q}: first result {first} is not the best match"
        );
        ids.sort();
        expected.sort();
        assert_eq!(ids, expected, "{q}: results");
        let marks = v["search"][q]["marks"].as_array().unwrap();
        assert_eq!(marks.len(), expected.len(), "{q}: one snippet each");
        assert!(marks.iter().all(|m| search_key(m.as_str().unwrap()) == key));
    }
    // The examples, as read off the source text.
    let ids = |q: &str| -> Vec<String> {
        let mut v: Vec<String> = v["search"][q]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids("解約"), ["art_28", "art_29", "art_3"]);
    assert_eq!(ids("カスタマーハラスメント"), ["art_46"]);
    assert_eq!(ids("ドコモ"), ["art_3"]);
    assert_eq!(ids("遅延損害金"), ["art_34", "art_35"]);
    assert_eq!(ids("個人情報"), ["art_39"]);
    assert_eq!(ids("契約者").len(), 36);
    assert_eq!(ids("料金の支払").len(), 3);

    // A click on 第14条第2項's 前条 lands on 第13条.
    assert_eq!(v["afterClick"]["hash"], "#art_13");
    assert_eq!(v["afterClick"]["targetMatches"], "art_13");
    assert_eq!(v["afterClick"]["inView"], true, "{}", v["afterClick"]);
    let preview = v["refPreview"].as_str().unwrap();
    assert!(preview.starts_with("第 13 条（申込の拒絶）"), "{preview}");
    assert!(
        preview.contains("当社は、IIJインターネットサービスの申込者が次の各号"),
        "{preview}"
    );

    // The term preview shows the definition of the linked term.
    let def_id = v["termHref"].as_str().unwrap().trim_start_matches('#');
    let def = doc.definitions.iter().find(|d| d.id == def_id).unwrap();
    assert_eq!(v["termText"].as_str().unwrap(), def.term);
    let preview = v["termPreview"].as_str().unwrap();
    assert!(!def.definition.is_empty());
    assert_eq!(preview, format!("{}{}", def.term, def.definition));

    // The 新旧対照表: 改正後 | 改正前, the reworded period, the new article, the deleted
    // paragraph, and the renumbered article.
    let t = &v["taisho"];
    assert_eq!(t["headers"], serde_json::json!(["改正後", "改正前"]));
    let left: Vec<&str> = t["left"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    let right: Vec<&str> = t["right"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert!(left.iter().any(|s| s.contains("１４")), "{left:?}");
    assert!(right.iter().any(|s| s.contains('７')), "{right:?}");
    assert!(left.iter().any(|s| s.contains("契約の変更")), "{left:?}");
    assert!(
        right.iter().any(|s| s.contains("申込書の記載に不備")),
        "{right:?}"
    );
    let text = t["text"].as_str().unwrap();
    assert!(
        text.contains("（新設）") && text.contains("（削る）"),
        "{text}"
    );
    // Search filters: 申込書 is in 第3条 of both revisions and in the old 第4条, renumbered
    // 第5条 in the new one.
    let f = &v["filters"];
    assert_eq!(
        f["latest"],
        serde_json::json!(["2025-04-01.html#art_3", "2025-04-01.html#art_5"])
    );
    assert_eq!(
        f["all"],
        serde_json::json!([
            "2024-04-01.html#art_3",
            "2024-04-01.html#art_4",
            "2025-04-01.html#art_3",
            "2025-04-01.html#art_5"
        ])
    );
    assert_eq!(
        f["old"],
        serde_json::json!(["2024-04-01.html#art_3", "2024-04-01.html#art_4"])
    );
    assert_eq!(f["xssOnly"], serde_json::json!([]));
    let timeline = v["timeline"].as_str().unwrap();
    assert!(timeline.contains("2025-04-01") && timeline.contains("新旧対照表"));

    // XSS: nothing ran, nothing became markup, and the text is shown as text.
    for page in v["xss"].as_array().unwrap() {
        assert_eq!(page["pwned"], serde_json::Value::Null, "{page}");
        assert_eq!(page["imgs"], 0, "{page}");
        assert_eq!(page["foreignScripts"], 0, "{page}");
        assert_eq!(page["jsLinks"], 0, "{page}");
    }
    let shown = v["xss"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["shownAsText"] == true)
        .count();
    assert!(
        shown >= 5,
        "the fixture's markup is shown as text: {}",
        v["xss"]
    );
    let searched: Vec<u64> = v["xss"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["results"].as_u64())
        .collect();
    assert!(
        searched.iter().all(|&n| n > 0),
        "XSS text is searchable: {searched:?}"
    );
}
