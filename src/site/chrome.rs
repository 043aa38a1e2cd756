//! The parts of the site around the documents: the page frame (header with the search
//! form, table of contents, content), the home page, the search page, a document's
//! timeline, and the assets.
//!
//! In: summaries and parsed revisions from [`super::render_document`]. Out: HTML text.
//! Document text is escaped here as everywhere ([`html_escape`]).

use super::{page, slug_date, time, DocumentSummary};
use crate::markdown::html_escape;
use crate::tree::Document;
use crate::Diagnostic;
use std::fmt::Write;

const CSS: &str = include_str!("site.css");
const SITE_JS: &str = include_str!("site.js");
const SEARCH_JS: &str = include_str!("search.js");

/// `../` back to the site root from a page at `path`.
pub(super) fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The page frame: header with the search form, optional table of contents, content.
pub(super) fn frame(
    path: &str,
    title: &str,
    crumbs: &[(String, String)],
    toc: Option<&str>,
    main: &str,
    extra_css: &str,
) -> String {
    let root = root_of(path);
    let mut nav = String::new();
    for (i, (href, label)) in crumbs.iter().enumerate() {
        if i > 0 {
            nav.push_str(" › ");
        }
        if href.is_empty() {
            let _ = write!(nav, "<span>{}</span>", html_escape(label));
        } else {
            let _ = write!(nav, "<a href=\"{href}\">{}</a>", html_escape(label));
        }
    }
    let toc = toc
        .map(|t| format!("<nav class=\"toc\" aria-label=\"目次\"><details open><summary>目次</summary>\n{t}</details></nav>\n"))
        .unwrap_or_default();
    let style = if extra_css.is_empty() {
        String::new()
    } else {
        format!("<style>{extra_css}</style>\n")
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"{root}assets/site.css\">\n{style}<script src=\"{root}assets/site.js\" defer></script>\n</head>\n<body>\n<header class=\"site\"><a class=\"home\" href=\"{root}index.html\">yakkan</a> <nav class=\"crumbs\">{nav}</nav>\n<form class=\"search\" action=\"{root}search.html\" method=\"get\" role=\"search\"><input type=\"search\" name=\"q\" placeholder=\"約款を検索\" aria-label=\"検索語\"> <button>検索</button></form></header>\n<div class=\"layout\">\n{toc}<main>\n{main}</main>\n</div>\n</body>\n</html>\n",
        html_escape(title)
    )
}

pub(super) fn timeline(
    title: &str,
    parsed: &[(String, Document, Vec<Diagnostic>)],
    changes: &[Option<String>],
) -> String {
    let mut out = format!(
        "<h1>{}</h1>\n<h2>版の一覧</h2>\n<ol class=\"timeline\" reversed>\n",
        html_escape(title)
    );
    for (i, (date, doc, diags)) in parsed.iter().enumerate().rev() {
        let _ = write!(
            out,
            "<li><a href=\"{}.html\">{}</a>",
            slug_date(date),
            time(date)
        );
        if let Some(t) = &doc.meta.as_of_text {
            let _ = write!(out, "（{}）", html_escape(t));
        }
        if i + 1 == parsed.len() {
            out.push_str(" <strong>最新</strong>");
        }
        if let Some(Some(c)) = changes.get(i) {
            let _ = write!(
                out,
                " — <a href=\"{}_{}.html\">新旧対照表</a>（{}）",
                slug_date(&parsed[i - 1].0),
                slug_date(date),
                html_escape(c)
            );
        }
        let (e, w) = crate::diag::counts(diags);
        if e + w > 0 {
            let _ = write!(out, " <span class=\"diag\">解析の注意 {} 件</span>", e + w);
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
    if let Some((date, doc, _)) = parsed.last() {
        if let Some(s) = &doc.supplementary {
            let _ = write!(
                out,
                "<h2>改正履歴（{} 版の附則）</h2>\n<table class=\"history\"><thead><tr><th>施行日</th><th>附則</th></tr></thead><tbody>\n",
                html_escape(date)
            );
            for e in s.entries.iter().rev() {
                let when = match (&e.date, &e.date_text) {
                    (Some(iso), Some(t)) => format!("{}（{}）", time(iso), html_escape(t)),
                    (Some(iso), None) => time(iso),
                    (None, Some(t)) => html_escape(t),
                    (None, None) => "—".to_string(),
                };
                let _ = writeln!(
                    out,
                    "<tr><td>{when}</td><td><a href=\"{}.html#{}\">{}</a></td></tr>",
                    slug_date(date),
                    e.id,
                    html_escape(&page::one_line(e.heading.as_deref().unwrap_or("附則")))
                );
            }
            out.push_str("</tbody></table>\n");
        }
    }
    out
}

/// The home page, the search page and the assets.
pub fn common_files(docs: &[DocumentSummary]) -> Vec<(String, String)> {
    let mut main = String::from("<h1>約款一覧</h1>\n");
    if docs.is_empty() {
        main.push_str("<p>文書がありません。</p>\n");
    } else {
        main.push_str("<table class=\"docs\"><thead><tr><th>文書</th><th>発行者</th><th>最新版</th><th>版数</th></tr></thead><tbody>\n");
        for d in docs {
            let latest = match d.revisions.last() {
                Some(date) => format!(
                    "<a href=\"d/{}/{}.html\">{}</a>",
                    d.slug,
                    slug_date(date),
                    time(date)
                ),
                None => "—".to_string(),
            };
            let _ = writeln!(
                main,
                "<tr><td><a href=\"d/{0}/index.html\">{1}</a></td><td>{2}</td><td>{latest}</td><td>{3}</td></tr>",
                d.slug,
                html_escape(&d.title),
                html_escape(d.publisher.as_deref().unwrap_or("")),
                d.revisions.len()
            );
        }
        main.push_str("</tbody></table>\n");
    }
    let home = frame(
        "index.html",
        "約款一覧",
        &[(String::new(), "ホーム".to_string())],
        None,
        &main,
        "",
    );
    let search_main = "<h1>検索</h1>\n<form class=\"search-page\" action=\"search.html\" method=\"get\" role=\"search\">\
<input type=\"search\" name=\"q\" id=\"q\" aria-label=\"検索語\" placeholder=\"例：解約\"> \
<select name=\"doc\" id=\"doc\" aria-label=\"文書\"><option value=\"\">すべての文書</option></select> \
<select name=\"rev\" id=\"rev\" aria-label=\"版\"><option value=\"latest\">最新版のみ</option><option value=\"all\">すべての版</option></select> \
<button>検索</button></form>\n<noscript><p>検索には JavaScript が必要です。文書はホームから読めます。</p></noscript>\n\
<p id=\"status\" role=\"status\"></p>\n<ol id=\"results\" class=\"results\"></ol>\n<p><button id=\"more\" hidden>さらに表示</button></p>\n\
<script src=\"assets/search.js\" defer></script>\n";
    let search = frame(
        "search.html",
        "検索",
        &[
            ("index.html".to_string(), "ホーム".to_string()),
            (String::new(), "検索".to_string()),
        ],
        None,
        search_main,
        "",
    );
    vec![
        ("index.html".to_string(), home),
        ("search.html".to_string(), search),
        ("assets/site.css".to_string(), CSS.to_string()),
        ("assets/site.js".to_string(), SITE_JS.to_string()),
        ("assets/search.js".to_string(), SEARCH_JS.to_string()),
    ]
}
