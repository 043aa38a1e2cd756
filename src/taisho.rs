//! The 新旧対照表 (comparison table of a revision) as HTML, and the text and Markdown
//! forms of a diff.
//!
//! In: a [`Comparison`]. Out: HTML / text / Markdown.
//!
//! The 新旧対照表 has one two-column table (default 改正後 | 改正前), one block of rows per
//! article or 附則 entry that changed: its heading row, then a row per paragraph and item.
//! Changed words are underlined (`<u class="chg">`) on both sides; an added provision is
//! underlined whole with （新設） on the other side, a removed one with （削る）; a
//! renumbered label is underlined on both sides. Runs of unchanged articles collapse to
//! one （略） row unless all provisions are asked for. The page prints on A4 (portrait or
//! landscape), repeating the column headers on every page. All document text is escaped.

use crate::diff::{ChangeKind, Comparison, Level, Pair};
use crate::markdown::{escape as md_escape, html_escape, page};
use crate::text::printable;
use crate::textdiff::{self, Edit, Op};
use crate::tree::{Kind, Node};
use rustc_hash::FxHashMap as HashMap;

/// Options for the 新旧対照表.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableOptions {
    /// 改正後 on the left (the usual order); false puts 改正前 first
    pub new_first: bool,
    /// show unchanged articles instead of （略）
    pub show_unchanged: bool,
    pub landscape: bool,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions {
            new_first: true,
            show_unchanged: false,
            landscape: false,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Old,
    New,
}

fn u(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("<u class=\"chg\">{}</u>", html_escape(s))
    }
}

/// The edits as seen from one side: equal text plain, this side's changes underlined.
fn side_edits(edits: &[Edit], side: Side) -> String {
    edits
        .iter()
        .map(|e| match (e.op, side) {
            (Op::Equal, _) => html_escape(&e.text),
            (Op::Delete, Side::Old) | (Op::Insert, Side::New) => u(&e.text),
            _ => String::new(),
        })
        .collect()
}

fn node_of<'a>(p: &Pair<'a>, side: Side) -> Option<&'a Node> {
    match side {
        Side::Old => p.old,
        Side::New => p.new,
    }
}

/// A label, underlined when the two sides number it differently.
fn label(p: &Pair, side: Side) -> String {
    let Some(n) = node_of(p, side) else {
        return String::new();
    };
    let l = n.label.as_deref().unwrap_or("");
    match (p.old, p.new) {
        (Some(a), Some(b)) if a.num != b.num => {
            format!("<u class=\"chg renumbered\">{}</u>", html_escape(l))
        }
        _ => html_escape(l),
    }
}

/// One cell: the provision on one side (or the mark for a missing one).
fn cell(p: &Pair, side: Side) -> String {
    let Some(n) = node_of(p, side) else {
        let mark = match side {
            Side::Old => "（新設）",
            Side::New => "（削る）",
        };
        return format!("<span class=\"mark\">{mark}</span>");
    };
    let whole = p.old.is_none() || p.new.is_none();
    let both = |a: Option<&str>, b: Option<&str>| -> String {
        let (a, b) = (a.unwrap_or(""), b.unwrap_or(""));
        if whole {
            let own = if side == Side::Old { a } else { b };
            return u(own);
        }
        if a == b {
            return html_escape(a);
        }
        side_edits(&textdiff::widen(&textdiff::diff(a, b)), side)
    };
    let (o, nw) = (p.old, p.new);
    match n.kind {
        Kind::Article | Kind::Supplement => {
            let caption = n.title.as_ref().map(|_| {
                both(
                    o.and_then(|x| x.title.as_deref()),
                    nw.and_then(|x| x.title.as_deref()),
                )
            });
            let head = match (n.kind, caption) {
                (Kind::Article, Some(c)) => {
                    let l = if whole {
                        u(n.label.as_deref().unwrap_or(""))
                    } else {
                        label(p, side)
                    };
                    format!("{l}（{c}）")
                }
                _ => both(
                    o.and_then(|x| x.heading.as_deref()),
                    nw.and_then(|x| x.heading.as_deref()),
                ),
            };
            format!("<span class=\"heading\">{head}</span>")
        }
        Kind::Row => {
            let text = n.cells.join(" ");
            let other = |x: Option<&Node>| x.map(|x| x.cells.join(" "));
            let t = both(other(o).as_deref(), other(nw).as_deref());
            if whole {
                u(&text)
            } else {
                t
            }
        }
        Kind::Table => html_escape(n.heading.as_deref().unwrap_or("")),
        _ => {
            let l = if whole {
                u(n.label.as_deref().unwrap_or(""))
            } else {
                label(p, side)
            };
            let t = both(
                o.and_then(|x| x.text.as_deref()),
                nw.and_then(|x| x.text.as_deref()),
            );
            if l.is_empty() {
                t
            } else {
                format!("{l}　{t}")
            }
        }
    }
}

/// The pair and its descendants as rows; one-sided pairs bring their whole subtree.
fn rows(p: &Pair, out: &mut Vec<(String, String, &'static str)>, depth: usize, all: bool) {
    let class = match depth {
        0 => "provision",
        1 => "para",
        _ => "item",
    };
    out.push((cell(p, Side::New), cell(p, Side::Old), class));
    if p.old.is_some() && p.new.is_some() {
        let mut skipped = false;
        for c in &p.children {
            if c.differs() || all {
                rows(c, out, depth + 1, all);
                skipped = false;
            } else if !skipped {
                let class = if depth == 0 { "para" } else { "item" };
                out.push(("（略）".into(), "（略）".into(), class));
                skipped = true;
            }
        }
    } else {
        let n = p.new.or(p.old).expect("a side");
        for c in &n.children {
            let sub = if p.new.is_some() {
                Pair {
                    old: None,
                    new: Some(c),
                    children: vec![],
                }
            } else {
                Pair {
                    old: Some(c),
                    new: None,
                    children: vec![],
                }
            };
            rows(&sub, out, depth + 1, all);
        }
    }
}

/// The 新旧対照表 style sheet (A4, column headers repeated on every printed page).
pub const CSS: &str = "body{font-family:'Noto Sans CJK JP','Hiragino Mincho ProN','Yu Mincho',serif;margin:1.5em;color:#000}\
h1{font-size:1.4em;margin:0 0 .3em}p.dates{margin:0 0 1em}\
table.taisho{border-collapse:collapse;width:100%;table-layout:fixed}\
table.taisho th,table.taisho td{border:1px solid #000;padding:.3em .5em;vertical-align:top;width:50%;line-height:1.6;word-break:break-all}\
table.taisho th{background:#eee}thead{display:table-header-group}tr{break-inside:avoid}\
td.para{padding-left:1.5em}td.item{padding-left:2.5em}.heading{font-weight:bold}\
u.chg{text-decoration:underline;text-decoration-thickness:1px;text-underline-offset:2px}\
.mark{color:#333}tr.omitted td{text-align:center;color:#555}\
@page{size:A4;margin:12mm}@media print{body{margin:0}}";

/// The 新旧対照表 as an HTML page.
pub fn html(cmp: &Comparison, opts: TableOptions) -> String {
    let css = if opts.landscape {
        format!("{CSS}@page{{size:A4 landscape}}")
    } else {
        CSS.to_string()
    };
    page(
        &format!("{} 新旧対照表", title(cmp)),
        &css,
        &fragment(cmp, opts),
    )
}

fn title<'a>(cmp: &'a Comparison) -> &'a str {
    cmp.new
        .meta
        .title
        .as_deref()
        .or(cmp.old.meta.title.as_deref())
        .unwrap_or("")
}

/// The 新旧対照表 without its page: title, dates and table (styled by [`CSS`]).
pub fn fragment(cmp: &Comparison, opts: TableOptions) -> String {
    let title = title(cmp);
    let date = |d: &crate::tree::Document| {
        let m = &d.meta;
        match (&m.as_of_text, &m.as_of) {
            (Some(t), Some(iso)) => format!("{}（{}）", html_escape(t), html_escape(iso)),
            (Some(t), None) => html_escape(t),
            _ => "—".to_string(),
        }
    };
    let (left, right) = if opts.new_first {
        ("改正後", "改正前")
    } else {
        ("改正前", "改正後")
    };
    let mut body = format!(
        "<h1>{} 新旧対照表</h1>\n<p class=\"dates\">改正後：{}　／　改正前：{}</p>\n<table class=\"taisho\">\n<thead><tr><th>{left}</th><th>{right}</th></tr></thead>\n<tbody>\n",
        html_escape(title),
        date(cmp.new),
        date(cmp.old)
    );
    let mut omitted = false;
    for p in &cmp.articles {
        if !p.differs() && !opts.show_unchanged {
            if !omitted {
                body.push_str("<tr class=\"omitted\"><td>（略）</td><td>（略）</td></tr>\n");
                omitted = true;
            }
            continue;
        }
        omitted = false;
        let mut r = Vec::new();
        rows(p, &mut r, 0, opts.show_unchanged);
        for (new, old, class) in r {
            let (a, b) = if opts.new_first {
                (new, old)
            } else {
                (old, new)
            };
            body.push_str(&format!(
                "<tr><td class=\"{class}\">{a}</td><td class=\"{class}\">{b}</td></tr>\n"
            ));
        }
    }
    body.push_str("</tbody>\n</table>\n");
    body
}

fn kind_word(k: ChangeKind) -> &'static str {
    match k {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
        ChangeKind::Moved => "moved",
        ChangeKind::Renumbered => "renumbered",
    }
}

/// The diff as text: a header with both revisions, then one line per change with the
/// changed words marked — in colour (red deleted, green inserted) on a terminal, as
/// `[-deleted-]{+inserted+}` otherwise. Control characters of the documents are shown as
/// escapes ([`printable`]), never sent to the terminal.
pub fn text(cmp: &Comparison, color: bool) -> String {
    let rev = |d: &crate::tree::Document| {
        format!(
            "{} {}",
            d.meta.title.as_deref().unwrap_or(""),
            d.meta.as_of_text.as_deref().unwrap_or("")
        )
        .trim()
        .to_string()
    };
    // Every piece of document text is shown, not obeyed (see `printable`).
    let p = |s: &str| printable(s).into_owned();
    let mut out = format!("--- {}\n+++ {}\n", p(&rev(cmp.old)), p(&rev(cmp.new)));
    if cmp.changes.is_empty() {
        out.push_str("no changes\n");
        return out;
    }
    // (looked up once: a search of the tree for every change was quadratic)
    let (old_nodes, new_nodes) = (cmp.old.by_id(), cmp.new.by_id());
    let marked = |edits: &[Edit]| -> String {
        edits
            .iter()
            .map(|e| match (e.op, color) {
                (Op::Equal, _) => p(&e.text),
                (Op::Delete, true) => format!("\x1b[31;9m{}\x1b[0m", p(&e.text)),
                (Op::Insert, true) => format!("\x1b[32;4m{}\x1b[0m", p(&e.text)),
                (Op::Delete, false) => format!("[-{}-]", p(&e.text)),
                (Op::Insert, false) => format!("{{+{}+}}", p(&e.text)),
            })
            .collect()
    };
    for c in &cmp.changes {
        let level = serde_json::to_value(c.level).expect("plain enum");
        let id = match (&c.old_id, &c.new_id) {
            (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
            (Some(a), _) => a.clone(),
            (None, Some(b)) => b.clone(),
            (None, None) => String::new(),
        };
        let what = match (c.kind, &c.old_label, &c.new_label) {
            (ChangeKind::Renumbered | ChangeKind::Moved, Some(a), Some(b)) => format!("{a} → {b}"),
            (_, _, Some(l)) | (_, Some(l), None) => l.clone(),
            _ => String::new(),
        };
        let field = c
            .field
            .as_deref()
            .map(|f| format!(" {f}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "@@ {} {}{field} {} {}\n",
            kind_word(c.kind),
            level.as_str().unwrap_or_default(),
            p(&id),
            p(&what)
        ));
        let node = |nodes: &HashMap<&str, &Node>, id: &Option<String>| {
            id.as_deref()
                .and_then(|id| nodes.get(id))
                .map(|n| crate::text::render_node(n))
        };
        let whole = match (c.kind, c.level) {
            (
                ChangeKind::Added | ChangeKind::Removed,
                Level::Article
                | Level::Paragraph
                | Level::Item
                | Level::Supplement
                | Level::Chapter,
            ) => {
                if c.kind == ChangeKind::Added {
                    node(&new_nodes, &c.new_id).map(|t| ('+', t))
                } else {
                    node(&old_nodes, &c.old_id).map(|t| ('-', t))
                }
            }
            _ => None,
        };
        if let Some((sign, t)) = whole {
            for line in t.lines() {
                out.push_str(&format!("{sign} {}\n", p(line)));
            }
        } else if !c.edits.is_empty() {
            out.push_str(&format!("~ {}\n", marked(&c.edits)));
        } else {
            if let Some(t) = &c.old_text {
                out.push_str(&format!("- {}\n", p(t)));
            }
            if let Some(t) = &c.new_text {
                out.push_str(&format!("+ {}\n", p(t)));
            }
        }
    }
    out
}

/// The diff as Markdown: a summary, then one table row per change.
pub fn markdown(cmp: &Comparison) -> String {
    let title = cmp.new.meta.title.as_deref().unwrap_or("");
    let mut out = format!(
        "# {} 新旧対照\n\n- 改正前: {}\n- 改正後: {}\n\n",
        md_escape(title),
        md_escape(cmp.old.meta.as_of_text.as_deref().unwrap_or("—")),
        md_escape(cmp.new.meta.as_of_text.as_deref().unwrap_or("—"))
    );
    if cmp.changes.is_empty() {
        out.push_str("変更はありません。\n");
        return out;
    }
    out.push_str("| 種別 | 箇所 | 改正後 | 改正前 |\n|---|---|---|---|\n");
    let cell = |edits: &[Edit], text: &Option<String>, side: Side| -> String {
        if edits.is_empty() {
            return text.as_deref().map(md_escape).unwrap_or_default();
        }
        textdiff::widen(edits)
            .iter()
            .map(|e| match (e.op, side) {
                (Op::Equal, _) => md_escape(&e.text),
                (Op::Delete, Side::Old) | (Op::Insert, Side::New) => {
                    format!("<u>{}</u>", md_escape(&e.text))
                }
                _ => String::new(),
            })
            .collect()
    };
    for c in &cmp.changes {
        let level = serde_json::to_value(c.level).expect("plain enum");
        let place = match (c.level, &c.new_id, &c.old_id) {
            (Level::Meta, ..) => c.field.clone().unwrap_or_default(),
            (_, Some(id), _) | (_, None, Some(id)) => id.clone(),
            _ => String::new(),
        };
        let (new, old) = match c.kind {
            ChangeKind::Renumbered | ChangeKind::Moved => (
                c.new_label.as_deref().map(md_escape).unwrap_or_default(),
                c.old_label.as_deref().map(md_escape).unwrap_or_default(),
            ),
            ChangeKind::Added => (
                c.new_label.as_deref().map(md_escape).unwrap_or_default()
                    + " "
                    + &cell(&[], &c.new_text, Side::New),
                "（新設）".to_string(),
            ),
            ChangeKind::Removed => (
                "（削る）".to_string(),
                c.old_label.as_deref().map(md_escape).unwrap_or_default()
                    + " "
                    + &cell(&[], &c.old_text, Side::Old),
            ),
            ChangeKind::Changed => (
                cell(&c.edits, &c.new_text, Side::New),
                cell(&c.edits, &c.old_text, Side::Old),
            ),
        };
        out.push_str(&format!(
            "| {} {} | {} | {} | {} |\n",
            kind_word(c.kind),
            level.as_str().unwrap_or_default(),
            md_escape(&place),
            new.trim(),
            old.trim()
        ));
    }
    out
}
