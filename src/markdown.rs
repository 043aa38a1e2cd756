//! The Markdown renderer, and HTML through pulldown-cmark.
//!
//! In: a parsed [`Document`]. Out: CommonMark with heading attributes (`{#id}`, enabled in
//! pulldown-cmark by `ENABLE_HEADING_ATTRIBUTES`), or that Markdown rendered to a small,
//! print-friendly HTML page.
//!
//! - The title is `#`; parts and chapters `##`, sections and below `###`; articles
//!   `####`, each with its node ID as anchor: `#### 第 13 条（申込の拒絶） {#art_13}`.
//! - Paragraphs keep their printed number (`2 …`); items are list entries (`- (1) …`),
//!   sub-items nested lists. Paragraphs, items and table rows start with an empty
//!   `<span id="…"></span>` so that every node ID is an anchor.
//! - Resolved internal references become links to their first target (`[前条](#art_13)`).
//! - The definitions table is a Markdown table; the 附則 history a dated list.
//! - Document text is escaped: Markdown punctuation gets a backslash (so `<script>` is
//!   text, never markup), and `|` inside table cells too.

use crate::refs::{RefKind, Reference};
use crate::tree::{Document, Kind, Node};
use pulldown_cmark::{html, Options, Parser};
use std::collections::HashMap;

/// The pulldown-cmark options our Markdown needs.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Escapes Markdown punctuation so that text stays text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_{}[]()<>#+-.!|~&".contains(c) {
            out.push('\\');
        }
        if c == '\n' {
            out.push(' ');
            continue;
        }
        out.push(c);
    }
    out
}

fn anchor(id: &str) -> String {
    format!("<span id=\"{id}\"></span>")
}

/// Text with its resolved internal references as links.
fn linked(text: &str, refs: &[&Reference]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut pos = 0;
    for r in refs {
        if r.start < pos || r.end > chars.len() {
            continue;
        }
        out.push_str(&escape(&chars[pos..r.start].iter().collect::<String>()));
        let label: String = chars[r.start..r.end].iter().collect();
        match (r.kind, r.targets.first()) {
            (RefKind::Internal, Some(t)) if r.resolved || !r.targets.is_empty() => {
                out.push_str(&format!("[{}](#{t})", escape(&label)));
            }
            _ => out.push_str(&escape(&label)),
        }
        pos = r.end;
    }
    out.push_str(&escape(
        &chars[pos.min(chars.len())..].iter().collect::<String>(),
    ));
    out
}

struct Writer<'a> {
    out: String,
    refs: HashMap<&'a str, Vec<&'a Reference>>,
}

impl<'a> Writer<'a> {
    fn text(&self, n: &Node) -> String {
        let text = n.text.as_deref().unwrap_or("");
        match self.refs.get(n.id.as_str()) {
            Some(refs) => linked(text, refs),
            None => escape(text),
        }
    }

    fn node(&mut self, n: &Node, indent: usize) {
        let pad = " ".repeat(indent);
        match n.kind {
            Kind::Part | Kind::Chapter | Kind::Appendix => self.heading(2, n),
            Kind::Section | Kind::Subsection | Kind::Division => self.heading(3, n),
            Kind::Article => self.heading(4, n),
            Kind::Paragraph => {
                if let Some(h) = &n.heading {
                    self.out.push_str(&format!("{pad}{}\n\n", escape(h)));
                }
                let label = n
                    .label
                    .as_deref()
                    .filter(|_| n.heading.is_none())
                    .map(|l| format!("{} ", escape(l)))
                    .unwrap_or_default();
                let text = self.text(n);
                if !label.is_empty() || !text.is_empty() {
                    self.out
                        .push_str(&format!("{pad}{}{label}{text}\n\n", anchor(&n.id)));
                } else {
                    self.out.push_str(&format!("{pad}{}\n\n", anchor(&n.id)));
                }
            }
            Kind::Item | Kind::Subitem => {
                let label = escape(n.label.as_deref().unwrap_or(""));
                let text = self.text(n);
                self.out
                    .push_str(&format!("{pad}- {}{label} {text}\n", anchor(&n.id)));
                if n.children.is_empty() {
                    // The list ends before the next block.
                }
                for c in &n.children {
                    self.node(c, indent + 2);
                }
                if indent == 0 && !n.children.is_empty() {
                    self.out.push('\n');
                }
                return;
            }
            Kind::Table => {
                self.table(n);
                return;
            }
            Kind::Preamble => self
                .out
                .push_str(&format!("{}\n\n", escape(n.text.as_deref().unwrap_or("")))),
            Kind::Toc => {
                self.heading(2, n);
                for entry in n.text.as_deref().unwrap_or("").lines() {
                    self.out.push_str(&format!("- {}\n", escape(entry.trim())));
                }
                self.out.push('\n');
            }
            Kind::Row | Kind::Supplement => {}
        }
        let mut in_list = false;
        for c in &n.children {
            let is_item = matches!(c.kind, Kind::Item | Kind::Subitem);
            if in_list && !is_item {
                self.out.push('\n');
            }
            in_list = is_item;
            self.node(c, indent);
        }
        if in_list {
            self.out.push('\n');
        }
    }

    fn heading(&mut self, level: usize, n: &Node) {
        let text = n.heading.as_deref().unwrap_or("").replace('\n', " ");
        self.out.push_str(&format!(
            "{} {} {{#{}}}\n\n",
            "#".repeat(level),
            escape(&text),
            n.id
        ));
    }

    fn table(&mut self, t: &Node) {
        let header: Vec<String> = t
            .heading
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .map(escape)
            .collect();
        let cols = header
            .len()
            .max(t.children.iter().map(|r| r.cells.len()).max().unwrap_or(1))
            .max(1);
        let mut head = header;
        head.resize(cols, String::new());
        self.out.push_str(&format!(
            "{}\n\n| {} |\n|{}\n",
            anchor(&t.id),
            head.join(" | "),
            "---|".repeat(cols)
        ));
        for r in &t.children {
            let mut cells: Vec<String> = r.cells.iter().map(|c| escape(c)).collect();
            if cells.is_empty() {
                cells.push(escape(r.text.as_deref().unwrap_or("")));
            }
            cells.resize(cols, String::new());
            cells[0] = format!("{}{}", anchor(&r.id), cells[0]);
            self.out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        self.out.push('\n');
    }

    fn supplementary(&mut self, doc: &Document) {
        let Some(s) = &doc.supplementary else { return };
        let title = s.heading.as_deref().unwrap_or("附則");
        self.out
            .push_str(&format!("## {} {{#suppl}}\n\n", escape(title)));
        for e in &s.entries {
            let date = e
                .date
                .as_deref()
                .map(|d| format!("（{d}）"))
                .unwrap_or_default();
            self.out.push_str(&format!(
                "- {}**{}**{date}\n\n",
                anchor(&e.id),
                escape(e.heading.as_deref().unwrap_or(""))
            ));
            for c in &e.children {
                self.node(c, 2);
            }
        }
    }
}

/// Renders the document as Markdown.
pub fn render(doc: &Document) -> String {
    let mut refs: HashMap<&str, Vec<&Reference>> = HashMap::new();
    for r in &doc.references {
        refs.entry(r.from.as_str()).or_default().push(r);
    }
    let mut w = Writer {
        out: String::new(),
        refs,
    };
    let m = &doc.meta;
    w.out.push_str(&format!(
        "# {} {{#top}}\n\n",
        escape(m.title.as_deref().unwrap_or("(untitled)"))
    ));
    let front: Vec<String> = [&m.as_of_text, &m.publisher]
        .into_iter()
        .flatten()
        .map(|s| escape(s))
        .collect();
    if !front.is_empty() {
        w.out.push_str(&format!("{}\n\n", front.join("  \n")));
    }
    let (body, appendices) = doc.body_parts();
    for n in body {
        w.node(n, 0);
    }
    w.supplementary(doc);
    for n in appendices {
        w.node(n, 0);
    }
    w.out
}

/// Markdown → an HTML fragment.
pub fn to_html_fragment(markdown: &str) -> String {
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(markdown, options()));
    out
}

/// Escapes text for HTML.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const PAGE_CSS: &str = "body{font-family:'Noto Sans CJK JP','Hiragino Sans','Yu Gothic',sans-serif;line-height:1.7;max-width:48em;margin:2em auto;padding:0 1em;color:#111}\
h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:1px solid #999;margin-top:2em}h4{margin-bottom:.3em}\
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.25em .5em;vertical-align:top}\
a{color:#0645ad}@media print{body{max-width:none;margin:0}a{color:inherit;text-decoration:none}h2,h4{break-after:avoid}}";

/// A whole HTML page around `body`, with an escaped title.
pub fn page(title: &str, css: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{css}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        html_escape(title)
    )
}

/// Renders the document as an HTML page (pulldown-cmark's rendering of the Markdown).
pub fn render_html(doc: &Document) -> String {
    let md = render(doc);
    page(
        doc.meta.title.as_deref().unwrap_or("yakkan"),
        PAGE_CSS,
        &to_html_fragment(&md),
    )
}
