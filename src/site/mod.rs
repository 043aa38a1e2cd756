//! The static site over a corpus of documents and their revisions.
//!
//! In: documents, each with its revisions' bytes (read by the binary). Out: the site's
//! files as `(path, content)` pairs; the binary writes them. The library does no IO.
//!
//! Work is done one document at a time ([`render_document`], which the binary runs in
//! parallel), so memory holds one document's revisions, not the corpus; the search
//! postings ([`search::IndexBuilder`]) are drained into run files by the caller as they
//! pile up, so they do not grow with the corpus either.
//!
//! Layout of the site (paths relative to its root):
//!
//! - `index.html`: the documents with their latest revision;
//! - `search.html`: full-text search (needs JavaScript; everything else reads without it);
//! - `d/<slug>/index.html`: a document's timeline: its revisions, the 新旧対照表 between
//!   consecutive ones, and the amendment history (附則) of the latest revision;
//! - `d/<slug>/<date>.html`: a revision: table of contents, body, glossary, 附則;
//! - `d/<slug>/<old>_<new>.html`: the 新旧対照表 of two consecutive revisions;
//! - `assets/`: style sheet and scripts; `search/`: the index (see [`search`]).
//!
//! A slug is the document's folder path in the corpus (`~root` for revisions at the
//! corpus's top): letters and digits of any script, `-`, `_` and `/` stay as they are,
//! every other character is written as its UTF-8 bytes in `~XX` hex, and a name longer
//! than 200 bytes is cut and ends with `~~` and a hash of the whole name, so that slugs
//! are injective (two documents never share a page) and fit any file system. Every text
//! taken from a document is HTML-escaped.

mod chrome;
pub mod page;
pub mod search;

pub use chrome::common_files;
use chrome::{frame, root_of, timeline};

use crate::diff;
use crate::markdown::html_escape;
use crate::taisho;
use crate::tree::Document;
use crate::Diagnostic;
use search::{DocumentEntry, IndexBuilder, Record, RevisionEntry};
use std::fmt::Write;

/// One document of the corpus.
pub struct DocumentInput {
    /// its folder, relative to the corpus, with `/` separators: `iij/general-provisions`
    pub path: String,
    /// from `document.json`, else the title of the latest revision
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub revisions: Vec<RevisionInput>,
}

/// One revision: its date (the file name without `.txt`) and its bytes.
pub struct RevisionInput {
    pub date: String,
    pub bytes: Vec<u8>,
}

/// What a document contributes to the site.
pub struct DocumentOutput {
    /// the pages, paths relative to the site root
    pub files: Vec<(String, String)>,
    pub summary: DocumentSummary,
    /// per revision (oldest first), the grams of each provision
    pub grams: Vec<Vec<Vec<u64>>>,
    /// revisions left out because they are not text: (date, reason)
    pub skipped: Vec<(String, Diagnostic)>,
}

/// A document as the home page and the search index see it.
#[derive(Clone, Debug)]
pub struct DocumentSummary {
    pub slug: String,
    pub title: String,
    pub publisher: Option<String>,
    /// the dates of its rendered revisions, oldest first
    pub revisions: Vec<String>,
}

/// The file-name-safe form of a corpus path (see the module doc): injective, so two
/// documents never share a page.
pub fn slug(path: &str) -> String {
    let path = path.trim_matches('/');
    if path.is_empty() {
        // (`~r` is no `~XX` escape: no folder's slug can be this)
        return "~root".to_string();
    }
    let parts: Vec<String> = path.split('/').map(|p| slug_part(p, "-_")).collect();
    parts.join("/")
}

/// The most bytes of one slugged folder or file name; a longer one is cut and given a
/// hash of the whole name (file systems allow 255 bytes).
const MAX_PART: usize = 200;

/// One path component: ASCII letters and digits, the ASCII characters in `keep`, and
/// letters and digits of other scripts (漢字, かな) as they are; every other byte as
/// `~XX`. A result longer than [`MAX_PART`] bytes keeps its first 176 bytes and ends
/// with `~~` and 16 hex digits of the name's FNV-1a hash (`~~` is no escape either).
fn slug_part(part: &str, keep: &str) -> String {
    let mut out = String::new();
    for c in part.chars() {
        if c.is_ascii_alphanumeric() || keep.contains(c) || (!c.is_ascii() && c.is_alphanumeric()) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "~{b:02X}");
            }
        }
    }
    if out.is_empty() {
        out.push_str("~~");
    }
    if out.len() > MAX_PART {
        let mut cut = 176;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        // A cut never splits an escape: back up to before an unfinished `~XX`.
        if let Some(t) = out[..cut].rfind('~').filter(|&t| cut - t < 3) {
            cut = t;
        }
        let hash = part.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        out.truncate(cut);
        let _ = write!(out, "~~{hash:016x}");
    }
    out
}

/// Parses a document's revisions and renders its pages: one per revision, one
/// 新旧対照表 per pair of consecutive revisions, and the timeline.
pub fn render_document(input: DocumentInput, doc_index: usize) -> DocumentOutput {
    let slug = slug(&input.path);
    let base = format!("d/{slug}");
    let mut revisions = input.revisions;
    revisions.sort_by(|a, b| a.date.cmp(&b.date));
    let mut parsed: Vec<(String, Document, Vec<Diagnostic>)> = Vec::new();
    let mut skipped = Vec::new();
    for r in revisions {
        let (doc, diags) = crate::parse_vec(r.bytes);
        match crate::unusable(&diags) {
            Some(d) => skipped.push((r.date, d.clone())),
            None => parsed.push((r.date, doc, diags)),
        }
    }
    let title = input
        .title
        .or_else(|| parsed.last().and_then(|p| p.1.meta.title.clone()))
        .unwrap_or_else(|| input.path.clone());
    let home = root_of(&format!("{base}/x"));
    let timeline_crumbs = |extra: Option<(String, String)>| {
        let mut v = vec![
            (format!("{home}index.html"), "ホーム".to_string()),
            ("index.html".to_string(), title.clone()),
        ];
        v.extend(extra);
        v
    };
    let mut files = Vec::new();
    // Consecutive revisions first: their 新旧対照表 pages, the change summaries for the
    // timeline, and which provisions of each revision changed (marked on its page).
    let mut changes: Vec<Option<String>> = vec![None];
    let mut marks: Vec<page::Marks> = vec![page::Marks::default()];
    for w in parsed.windows(2) {
        let (old, new) = (&w[0], &w[1]);
        let cmp = diff::compare(&old.1, &new.1);
        marks.push(page::Marks::of(
            &cmp,
            format!("{}_{}.html", slug_date(&old.0), slug_date(&new.0)),
        ));
        let report = cmp.report();
        let summary: Vec<String> = report
            .summary
            .iter()
            .map(|(k, n)| format!("{} {n}", change_word(k)))
            .collect();
        changes.push(Some(if summary.is_empty() {
            "変更なし".to_string()
        } else {
            summary.join("・")
        }));
        let path = format!("{base}/{}_{}.html", slug_date(&old.0), slug_date(&new.0));
        let main = format!(
            "<p class=\"revs\">全文：<a href=\"{0}.html\">改正前（{1}）</a>　<a href=\"{2}.html\">改正後（{3}）</a></p>\n{4}",
            slug_date(&old.0),
            html_escape(&old.0),
            slug_date(&new.0),
            html_escape(&new.0),
            taisho::fragment(&cmp, taisho::TableOptions::default())
        );
        files.push((
            path.clone(),
            frame(
                &path,
                &format!("{title} 新旧対照表 {} → {}", old.0, new.0),
                &timeline_crumbs(Some((
                    String::new(),
                    format!("新旧対照表 {} → {}", old.0, new.0),
                ))),
                None,
                &main,
                taisho_css(),
            ),
        ));
    }
    let mut grams = Vec::new();
    let mut summaries = Vec::new();
    for (i, (date, doc, _)) in parsed.iter().enumerate() {
        let path = format!("{base}/{}.html", slug_date(date));
        let records: Vec<Record> = search::records(doc);
        files.push((
            format!("search/t/{doc_index}_{i}.json"),
            search::text_file(&records),
        ));
        grams.push(records.iter().map(|r| search::grams(&r.text)).collect());
        let mut main = format!(
            "<div class=\"doc-head\"><h1>{}</h1>\n<p class=\"rev\">",
            html_escape(doc.meta.title.as_deref().unwrap_or(&title))
        );
        let _ = write!(main, "版：{}", time(date));
        if let Some(t) = &doc.meta.as_of_text {
            let _ = write!(main, "（{}）", html_escape(t));
        }
        if let Some(p) = &doc.meta.publisher {
            let _ = write!(main, "　{}", html_escape(p));
        }
        main.push_str("</p>\n<p class=\"revs\">");
        if i > 0 {
            let _ = write!(
                main,
                "<a href=\"{}_{}.html\">新旧対照表（{} からの改正）</a>　",
                slug_date(&parsed[i - 1].0),
                slug_date(date),
                html_escape(&parsed[i - 1].0)
            );
        }
        let _ = write!(
            main,
            "<a href=\"index.html\">改正の経過（全 {} 版）</a>",
            parsed.len()
        );
        if i + 1 < parsed.len() {
            let _ = write!(
                main,
                "　<strong class=\"old\">この版は最新ではありません：<a href=\"{}.html\">最新版</a></strong>",
                slug_date(&parsed[parsed.len() - 1].0)
            );
        }
        main.push_str("</p></div>\n");
        main.push_str(&page::main(doc, &marks[i]));
        files.push((
            path.clone(),
            frame(
                &path,
                &format!("{title} {date}"),
                &timeline_crumbs(Some((String::new(), date.clone()))),
                Some(&page::toc(doc)),
                &main,
                "",
            ),
        ));
        summaries.push(date.clone());
    }
    let path = format!("{base}/index.html");
    let main = timeline(&title, &parsed, &changes);
    files.push((
        path.clone(),
        frame(&path, &title, &timeline_crumbs(None), None, &main, ""),
    ));
    DocumentOutput {
        files,
        summary: DocumentSummary {
            slug,
            title,
            publisher: input.publisher,
            revisions: summaries,
        },
        grams,
        skipped,
    }
}

/// The 新旧対照表 style, scoped to the table so that the site's page style stays.
fn taisho_css() -> &'static str {
    "table.taisho{border-collapse:collapse;width:100%;table-layout:fixed;font-family:'Noto Serif CJK JP','Hiragino Mincho ProN','Yu Mincho',serif}\
table.taisho th,table.taisho td{border:1px solid #000;padding:.3em .5em;vertical-align:top;width:50%;line-height:1.6;word-break:break-all}\
table.taisho th{background:#eee}thead{display:table-header-group}tr{break-inside:avoid}\
td.para{padding-left:1.5em}td.item{padding-left:2.5em}.heading{font-weight:bold}\
u.chg{text-decoration:underline;text-decoration-thickness:1px;text-underline-offset:2px}\
tr.omitted td{text-align:center;color:#555}@page{size:A4;margin:12mm}"
}

fn change_word(kind: &str) -> &str {
    match kind {
        "added" => "新設",
        "removed" => "削除",
        "changed" => "改正",
        "moved" => "移動",
        "renumbered" => "番号変更",
        other => other,
    }
}

/// A date for display: `<time datetime>` when it is an ISO date (`2025-07-18`), else the
/// escaped text (a revision file may be named otherwise).
pub(crate) fn time(date: &str) -> String {
    let b = date.as_bytes();
    let iso = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if iso {
        format!("<time datetime=\"{date}\">{date}</time>")
    } else {
        html_escape(date)
    }
}

/// A revision's file name (without `.html`): its date when plain, else the date's slug,
/// with `_` escaped too (it joins the two dates of a 新旧対照表 page's name); never
/// `index`, the timeline's name.
fn slug_date(date: &str) -> String {
    let s = slug_part(date, "-");
    if s == "index" {
        "index~".to_string()
    } else {
        s
    }
}

/// Adds a rendered document to the search index, in corpus order.
pub fn index_document(index: &mut IndexBuilder, out: &DocumentOutput) {
    let s = &out.summary;
    let doc = index.add_document(DocumentEntry {
        title: s.title.clone(),
        url: format!("d/{}/index.html", s.slug),
    });
    let n = s.revisions.len();
    for (i, (date, grams)) in s.revisions.iter().zip(&out.grams).enumerate() {
        index.add_revision(
            RevisionEntry {
                doc,
                date: date.clone(),
                url: format!("d/{}/{}.html", s.slug, slug_date(date)),
                text: format!("t/{doc}_{i}.json"),
                base: 0,
                count: 0,
                latest: i + 1 == n,
            },
            grams,
        );
    }
}
