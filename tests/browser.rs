//! The 新旧対照表 in a real browser: headless Chromium (Debian package `chromium`) loads the
//! page and a DOM query lists the underlined words of each column. Reported `ignored`,
//! with the reason, when Chromium is not installed (a failure under CI).

mod common;

use std::path::Path;
use std::process::Command;

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// The page with a script that writes the underlined words of each column into the DOM.
fn underlined_words(browser: &str, html: &str, dir: &Path) -> serde_json::Value {
    let probe = "<script>document.body.insertAdjacentHTML('beforeend','<pre id=\"probe\"></pre>');\
        const cols=[0,1].map(i=>[...document.querySelectorAll('table.taisho tbody tr')].flatMap(tr=>[...tr.children[i].querySelectorAll('u.chg')].map(u=>u.textContent)));\
        document.getElementById('probe').textContent=JSON.stringify({left:cols[0],right:cols[1],renumbered:document.querySelectorAll('u.renumbered').length});</script>";
    let page = html.replace("</body>", &format!("{probe}</body>"));
    let file = dir.join("taisho.html");
    std::fs::write(&file, page).unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    if !dom.contains("probe") {
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    }
    // The last match: the first is the probe script's own source text.
    let start = dom.rfind("<pre id=\"probe\">").expect("probe in DOM") + "<pre id=\"probe\">".len();
    let end = dom[start..].find("</pre>").unwrap() + start;
    let json = dom[start..end]
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"");
    serde_json::from_str(&json).unwrap()
}

fn taisho(name: &str) -> String {
    let (old, _) = yakkan::parse(&common::seed_bytes());
    let new_path = common::root()
        .join("fixtures/revisions")
        .join(name)
        .join("new.txt");
    let (new, _) = yakkan::parse(&std::fs::read(new_path).unwrap());
    let cmp = yakkan::diff::compare(&old, &new);
    yakkan::taisho::html(&cmp, yakkan::taisho::TableOptions::default())
}

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let missing = || {
        chromium()
            .is_none()
            .then(|| "Chromium is not installed (Debian package chromium)".to_string())
    };
    let tests = vec![
        common::tool_test(
            "underlines_sit_exactly_on_the_changed_words",
            missing,
            underlines_sit_exactly_on_the_changed_words,
        ),
        common::tool_test(
            "mermaid_shows_document_text_as_text",
            common::missing_browser_tools,
            mermaid_shows_document_text_as_text,
        ),
    ];
    libtest_mimic::run(&args, tests).exit();
}

/// A document whose captions hold a Mermaid directive and markup, drawn by
/// `graph --format mermaid` and rendered by the real Mermaid: the labels show the text,
/// no element comes from it, and the directive changes nothing.
fn mermaid_shows_document_text_as_text() {
    let text = "第1章 %%{init: {\"theme\": \"forest\"}}%% 総則\n第1条（<img src=x onerror=alert(1)>目的）\nこの約款は適用します。\n第2条（\"引用\" #quot; `**太字**` a|b）\n前条の規定を準用します。\n";
    let (doc, _) = yakkan::parse(text.as_bytes());
    let diagram =
        yakkan::graph::to_mermaid(&yakkan::graph::build(&doc, yakkan::graph::Level::Article));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("graph.mmd");
    std::fs::write(&file, &diagram).unwrap();
    let v = common::browser_script("mermaid.mjs", &[file.as_os_str()]);
    assert!(v.get("renderError").is_none(), "{v}\n{diagram}");
    assert_eq!(v["errors"], serde_json::json!([]), "{v}");
    assert_eq!(v["dialogs"], serde_json::json!([]), "{v}");
    let elements: Vec<&str> = v["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    for tag in ["img", "b", "strong", "em"] {
        assert!(!elements.contains(&tag), "<{tag}> from document text: {v}");
    }
    assert_ne!(
        v["theme"], "forest",
        "the caption's directive was obeyed: {v}"
    );
    let labels = v["labels"].to_string();
    for shown in [
        "%%{init: {\\\"theme\\\": \\\"forest\\\"}}%%",
        "<img src=x onerror=alert(1)>",
        "#quot;",
        "`**太字**`",
        "a|b",
    ] {
        assert!(
            labels.contains(shown),
            "{shown} not shown as text: {labels}"
        );
    }
}

fn underlines_sit_exactly_on_the_changed_words() {
    let browser = chromium().expect("checked before");
    let dir = tempfile::tempdir().unwrap();
    let v = underlined_words(browser, &taisho("reword-item"), dir.path());
    assert_eq!(v["left"], serde_json::json!(["困難"]), "改正後");
    assert_eq!(v["right"], serde_json::json!(["著しく困難"]), "改正前");
    let v = underlined_words(browser, &taisho("caption"), dir.path());
    assert_eq!(
        (v["left"].clone(), v["right"].clone()),
        (
            serde_json::json!(["責任の制限"]),
            serde_json::json!(["当社の免責"])
        )
    );
    let v = underlined_words(browser, &taisho("insert-article"), dir.path());
    assert_eq!(
        v["renumbered"], 10,
        "five renumbered articles, labels underlined on both sides"
    );
    assert_eq!(
        v["right"].as_array().unwrap().len(),
        5,
        "改正前: only the old labels"
    );
    assert_eq!(
        v["left"][0], "第 42 条",
        "改正後: the new article, underlined whole"
    );
}
