//! HTML → logical lines, through html5ever (the HTML5 parsing algorithm) into
//! [`super::dom`]'s tree.
//!
//! Decoding: a byte-order mark wins; then the charset a `<meta>` declares in the first
//! 1024 bytes (`shift_jis`, `euc-jp`; a declared UTF-16 means UTF-8, as the HTML
//! standard says); then the text reader's own sniffing.
//!
//! Each block becomes one logical line, with the source line where its text began:
//! - a block element (`p`, `div`, `h1`–`h6`, `dt`, `dd`, `li`, `blockquote`, `caption` …)
//!   and `<br>` end a line; whitespace collapses as a browser collapses it (a line
//!   break between two wide characters is no space, per CSS Text's segment-break rule);
//!   `<pre>` keeps its lines;
//! - a list item of an `<ol>` gets the number a browser shows before it (`type`,
//!   `start`, `value`, `reversed`, and a `list-style-type` in its `style`: `1.`, `a.`,
//!   `一、`, `イ、`), as the Markdown reader keeps a printed `1.`; the nesting is the
//!   line's indent (four columns a level; a `<ul>` item two more, without its bullet);
//! - a table row (`<tr>`): its cells, with their `colspan` and `rowspan` (`Line::row`);
//!   a cell's own blocks are joined like wrapped lines; a nested table's cells stay text
//!   of the outer cell;
//! - `<ruby>`: the base text is the text; the readings (`<rt>`, `<rp>`) are recorded in a
//!   `ruby` diagnostic, not lost.
//!
//! Dropped, each with a `markup-dropped` diagnostic holding the text: `<head>` (the
//! page's `<title>` included), navigation and page chrome (`<nav>`, `<aside>`, a page's
//! own `<header>`/`<footer>`, ARIA landmarks other than `main`, elements whose `id` or
//! `class` names navigation: `nav`, `menu`, `sidebar`, `secondary`, `breadcrumb`, `toc`),
//! hidden elements (`hidden`, `display:none`, `aria-hidden`), form controls, and
//! everything outside `<main>` when a page has one. Scripts, styles and comments are
//! not text; they are counted in one diagnostic.

use super::counter::Counter;
use super::dom::{self, Data, Id, Node};
use super::Lines;
use crate::diag::Diagnostic;
use crate::layout::{Cell, Layout};
use unicode_width::UnicodeWidthChar;

/// The text of an HTML file's bytes, decoded by its declared charset.
pub fn decode(bytes: Vec<u8>) -> (String, Vec<Diagnostic>) {
    let declared = if encoding_rs::Encoding::for_bom(&bytes).is_some() {
        None
    } else {
        declared_charset(&bytes[..bytes.len().min(1024)])
    };
    let Some(enc) = declared.filter(|e| *e != encoding_rs::UTF_8) else {
        return crate::decode::decode_owned(bytes);
    };
    match enc.decode_without_bom_handling_and_without_replacement(&bytes) {
        Some(text) => {
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            let note = Diagnostic::info(
                "encoding",
                0,
                format!("read as {}, the charset the page declares", enc.name()),
            );
            (text, vec![note])
        }
        None => {
            let (text, mut diags) = crate::decode::decode_owned(bytes);
            diags.insert(
                0,
                Diagnostic::warning(
                    "encoding",
                    0,
                    format!(
                        "the page declares {} but is not valid in it; read by its bytes",
                        enc.name()
                    ),
                ),
            );
            (text, diags)
        }
    }
}

/// The encoding a `<meta charset=…>` or `<meta http-equiv content="…; charset=…">`
/// declares (UTF-16 read as UTF-8, as the HTML standard's prescan does).
fn declared_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&lower[from..], b"<meta") {
        let tag_start = from + at;
        let tag_end =
            memchr::memchr(b'>', &lower[tag_start..]).map_or(lower.len(), |e| tag_start + e);
        let tag = &lower[tag_start..tag_end];
        if let Some(c) = memchr::memmem::find(tag, b"charset") {
            let rest = &tag[c + 7..];
            let rest = rest
                .trim_ascii_start()
                .strip_prefix(b"=")?
                .trim_ascii_start();
            let rest = rest
                .strip_prefix(b"\"")
                .or_else(|| rest.strip_prefix(b"'"))
                .unwrap_or(rest);
            let end = rest
                .iter()
                .position(|b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
                .unwrap_or(rest.len());
            let enc = encoding_rs::Encoding::for_label(&rest[..end])?;
            return Some(
                if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                    encoding_rs::UTF_8
                } else {
                    enc
                },
            );
        }
        from = tag_end;
    }
    None
}

/// The logical lines of an HTML document.
pub fn layout(text: &str) -> Layout<'static> {
    let nodes = dom::parse(text);
    let mut r = Reader {
        nodes: &nodes,
        out: Lines::default(),
        space: Space::None,
        pre: 0,
        lists: Vec::new(),
        indents: Vec::new(),
        marker: None,
        row: None,
        cell_depth: 0,
        scripts: 0,
        comments: 0,
        readings: Vec::new(),
        main: None,
    };
    r.main = find(&nodes, |n| {
        n.name() == "main"
            || n.attr("role")
                .is_some_and(|v| v.eq_ignore_ascii_case("main"))
    });
    r.walk();
    r.flush();
    let mut out = r.out;
    for (line, base, reading) in std::mem::take(&mut r.readings) {
        let mut d = Diagnostic::info(
            "ruby",
            line,
            format!("the reading of 「{base}」 kept out of the text"),
        );
        d.dropped = Some(reading);
        out.diagnostics.push(d);
    }
    let counted = [
        (r.scripts, "scripts, styles and links"),
        (r.comments, "comments"),
    ];
    let counted: Vec<String> = counted
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    if !counted.is_empty() {
        out.diagnostics.push(Diagnostic::info(
            "markup-dropped",
            0,
            format!("{} dropped (not text)", counted.join(" and ")),
        ));
    }
    out.into_layout()
}

/// The first node (in document order) that `pred` accepts.
fn find(nodes: &[Node], pred: impl Fn(&Node) -> bool) -> Option<Id> {
    let mut stack = vec![0];
    while let Some(id) = stack.pop() {
        if pred(&nodes[id]) {
            return Some(id);
        }
        stack.extend(nodes[id].children.iter().rev());
    }
    None
}

/// Whitespace seen and not yet written: none, a space, or a run holding a line break.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Space {
    None,
    Blank,
    Break,
}

/// An open `<ol>` (with its style and next number) or `<ul>`.
struct List {
    counter: Counter,
    next: i64,
    step: i64,
    ordered: bool,
}

struct Reader<'n> {
    nodes: &'n [Node],
    out: Lines,
    space: Space,
    /// inside `<pre>` (or `<textarea>`, `<listing>`)
    pre: usize,
    lists: Vec<List>,
    /// the indent of each open list item
    indents: Vec<u16>,
    /// an `<ol>` item's number, written when its text begins
    marker: Option<String>,
    /// the cells of the table row being read
    row: Option<Vec<Cell>>,
    /// how many table cells are open
    cell_depth: usize,
    scripts: usize,
    comments: usize,
    /// (line, base text, annotation: `<rt>` and `<rp>` text) of each ruby
    readings: Vec<(usize, String, String)>,
    /// the page's `<main>`, if it has one
    main: Option<Id>,
}

enum Step {
    Enter(Id),
    Leave(Id),
}

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "ul",
    "xmp",
    "plaintext",
];

/// id and class words that name navigation or page chrome, within a name
/// (`joubun-toc`, `global_nav`)
const CHROME_PARTS: &[&str] = &[
    "nav",
    "navi",
    "navbar",
    "navigation",
    "gnav",
    "sidebar",
    "breadcrumb",
    "breadcrumbs",
    "pankuzu",
    "topicpath",
    "toc",
    "skiplink",
];

/// id and class names that name page chrome only as a whole name (`text-secondary` and
/// `menu-item-text` are content's styles; `id="secondary"` is a sidebar)
const CHROME_NAMES: &[&str] = &["menu", "secondary", "skip"];

/// Whether an id or class value names navigation or page chrome.
fn names_chrome(value: &str) -> bool {
    value.split_whitespace().any(|name| {
        CHROME_NAMES.iter().any(|c| name.eq_ignore_ascii_case(c))
            || name
                .split(['-', '_'])
                .any(|w| CHROME_PARTS.iter().any(|c| w.eq_ignore_ascii_case(c)))
    })
}

impl Reader<'_> {
    fn walk(&mut self) {
        let mut stack = vec![Step::Enter(0)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Enter(id) => {
                    let node = &self.nodes[id];
                    match &node.data {
                        Data::Text(t) => self.text(t, node.line),
                        Data::Comment => self.comments += 1,
                        Data::Document => {
                            stack.extend(node.children.iter().rev().map(|&c| Step::Enter(c)))
                        }
                        Data::Element { template, .. } => {
                            if template.is_some() {
                                self.scripts += 1;
                                continue;
                            }
                            if self.enter(id) {
                                stack.push(Step::Leave(id));
                                stack.extend(node.children.iter().rev().map(|&c| Step::Enter(c)));
                            }
                        }
                    }
                }
                Step::Leave(id) => self.leave(id),
            }
        }
    }

    /// Opens element `id`; false when its content is not read (dropped or recorded).
    fn enter(&mut self, id: Id) -> bool {
        let node = &self.nodes[id];
        let name = node.name();
        if matches!(name, "script" | "style" | "noscript" | "link" | "meta") {
            self.scripts += 1;
            return false;
        }
        if let Some(why) = self.dropped(id) {
            let text = self.text_of(id);
            self.out.drop_text(why, &text, node.line);
            return false;
        }
        if name == "ruby" {
            self.ruby(id);
        }
        if matches!(name, "rt" | "rp") {
            return false;
        }
        if name == "br" {
            self.block_break();
            return false;
        }
        if BLOCKS.contains(&name) {
            self.block_break();
        }
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.out.heading = name.as_bytes()[1] - b'0',
            "pre" | "listing" | "xmp" | "plaintext" => self.pre += 1,
            "ol" | "ul" | "menu" | "dir" => self.open_list(node, name == "ol"),
            "li" => self.open_item(node),
            "tr" if self.row.is_none() => {
                self.flush();
                self.row = Some(Vec::new());
            }
            "td" | "th" if self.cell_depth == 0 => {
                if let Some(row) = &mut self.row {
                    let span = |name: &str| {
                        let n = node.attr(name).and_then(|v| v.trim().parse().ok());
                        n.unwrap_or(1u16).max(1)
                    };
                    row.push(Cell {
                        text: String::new(),
                        colspan: span("colspan"),
                        rowspan: span("rowspan"),
                    });
                }
                self.cell_depth += 1;
                self.space = Space::None;
            }
            "td" | "th" => {
                self.cell_depth += 1;
                self.space = self.space.max(Space::Blank);
            }
            _ => {}
        }
        true
    }

    fn leave(&mut self, id: Id) {
        let node = &self.nodes[id];
        let name = node.name();
        if BLOCKS.contains(&name) {
            self.block_break();
        }
        match name {
            "pre" | "listing" | "xmp" | "plaintext" => self.pre = self.pre.saturating_sub(1),
            "ol" | "ul" | "menu" | "dir" => {
                self.lists.pop();
            }
            "li" => {
                self.indents.pop();
                self.marker = None;
            }
            "td" | "th" => self.cell_depth = self.cell_depth.saturating_sub(1),
            "tr" if self.cell_depth == 0 => {
                if let Some(cells) = self.row.take() {
                    let indent = self.indent();
                    self.out.row(cells, node.line, indent);
                }
            }
            _ => {}
        }
    }

    /// Why element `id`'s content is left out of the lines, if it is.
    fn dropped(&self, id: Id) -> Option<&'static str> {
        let node = &self.nodes[id];
        let name = node.name();
        if name == "head" {
            return Some("the page's head");
        }
        if let Some(main) = self.main {
            if !self.related(id, main) {
                return Some("text outside the page's <main>");
            }
        }
        if node.attr("hidden").is_some()
            || node
                .attr("aria-hidden")
                .is_some_and(|v| v.eq_ignore_ascii_case("true"))
            || node.attr("style").is_some_and(|s| {
                let s: String = s.to_ascii_lowercase().split_whitespace().collect();
                s.contains("display:none") || s.contains("visibility:hidden")
            })
        {
            return Some("hidden element");
        }
        if matches!(name, "nav" | "aside")
            || node.attr("role").is_some_and(|r| {
                matches!(
                    r.to_ascii_lowercase().as_str(),
                    "navigation" | "banner" | "contentinfo" | "complementary" | "search"
                )
            })
        {
            return Some("navigation");
        }
        if matches!(name, "header" | "footer") && !self.inside_content(id) {
            return Some("page header or footer");
        }
        let mut names = node.attr("id").into_iter().chain(node.attr("class"));
        if names.any(names_chrome) {
            return Some("navigation");
        }
        if matches!(
            name,
            "button"
                | "select"
                | "textarea"
                | "input"
                | "iframe"
                | "object"
                | "svg"
                | "math"
                | "canvas"
        ) {
            return Some("embedded or form element");
        }
        None
    }

    /// Whether `a` is `b`, or one is inside the other.
    fn related(&self, a: Id, b: Id) -> bool {
        self.ancestor(a, b) || self.ancestor(b, a)
    }

    /// Whether `outer` is `inner` or one of its ancestors.
    fn ancestor(&self, outer: Id, inner: Id) -> bool {
        let mut at = Some(inner);
        while let Some(id) = at {
            if id == outer {
                return true;
            }
            at = self.nodes[id].parent;
        }
        false
    }

    /// Whether element `id` stands inside an article, section or main (a header there
    /// belongs to the text; a page's own is chrome).
    fn inside_content(&self, id: Id) -> bool {
        let mut at = self.nodes[id].parent;
        while let Some(p) = at {
            if matches!(self.nodes[p].name(), "article" | "section" | "main") {
                return true;
            }
            at = self.nodes[p].parent;
        }
        false
    }

    /// The text content of element `id`, whitespace collapsed (for diagnostics).
    fn text_of(&self, id: Id) -> String {
        let mut out = String::new();
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            match &self.nodes[n].data {
                Data::Text(t) => {
                    for w in t.split_ascii_whitespace() {
                        if !out.is_empty() {
                            out.push(' ');
                        }
                        out.push_str(w);
                    }
                }
                Data::Element { .. } if matches!(self.nodes[n].name(), "script" | "style") => {}
                _ => stack.extend(self.nodes[n].children.iter().rev()),
            }
        }
        out
    }

    /// Records a ruby's reading (its `<rt>` and `<rp>` text) with its base text.
    fn ruby(&mut self, id: Id) {
        let node = &self.nodes[id];
        let (mut base, mut reading) = (String::new(), String::new());
        for &c in &node.children {
            match self.nodes[c].name() {
                "rt" | "rp" => reading.push_str(&self.text_of(c)),
                _ => base.push_str(&self.text_of(c)),
            }
        }
        if !reading.is_empty() {
            self.readings.push((node.line, base, reading));
        }
    }

    fn open_list(&mut self, node: &Node, ordered: bool) {
        let style = node
            .attr("style")
            .and_then(list_style)
            .or_else(|| node.attr("type").and_then(Counter::of_css));
        let counter = style.unwrap_or(if ordered {
            Counter::Decimal
        } else {
            Counter::None
        });
        let reversed = node.attr("reversed").is_some();
        let start = node.attr("start").and_then(|s| s.trim().parse().ok());
        let count = node
            .children
            .iter()
            .filter(|&&c| self.nodes[c].name() == "li")
            .count() as i64;
        self.lists.push(List {
            counter,
            next: start.unwrap_or(if reversed { count } else { 1 }),
            step: if reversed { -1 } else { 1 },
            ordered,
        });
    }

    fn open_item(&mut self, node: &Node) {
        let depth = self.lists.len().max(1) as u16;
        let Some(list) = self.lists.last_mut() else {
            self.indents.push(0);
            return;
        };
        let indent = (depth - 1) * 4 + if list.ordered { 0 } else { 2 };
        self.indents.push(indent);
        if let Some(v) = node.attr("value").and_then(|v| v.trim().parse().ok()) {
            list.next = v;
        }
        let counter = node
            .attr("style")
            .and_then(list_style)
            .unwrap_or(list.counter);
        let n = list.next;
        list.next += list.step;
        let number = counter.format(n);
        self.marker = (!number.is_empty()).then(|| {
            let wide = number.chars().all(|c| c.width() == Some(2));
            if wide {
                format!("{number}、")
            } else {
                format!("{number}. ")
            }
        });
    }

    fn indent(&self) -> u16 {
        self.indents.last().copied().unwrap_or(0)
    }

    /// A block boundary: ends the line, or inside a table cell, separates like a wrap.
    fn block_break(&mut self) {
        if self.cell_depth > 0 {
            self.space = self.space.max(Space::Break);
        } else {
            self.flush();
        }
    }

    fn flush(&mut self) {
        self.space = Space::None;
        if self.row.is_some() && self.cell_depth == 0 && self.out.buf.trim().is_empty() {
            // (between a row's cells: nothing to end)
            self.out.buf.clear();
            return;
        }
        let indent = self.indent();
        self.out.flush(indent);
    }

    /// Text of the page, from source line `at`.
    fn text(&mut self, t: &str, at: usize) {
        if self.pre > 0 && self.cell_depth == 0 {
            let mut lines = t.split('\n').peekable();
            let mut line = at;
            while let Some(piece) = lines.next() {
                self.write(piece, line);
                if lines.peek().is_some() {
                    self.flush();
                    line += 1;
                }
            }
            return;
        }
        let mut word = String::new();
        for c in t.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C') {
                if !word.is_empty() {
                    self.write(&std::mem::take(&mut word), at);
                }
                let seen = if c == '\n' {
                    Space::Break
                } else {
                    Space::Blank
                };
                self.space = self.space.max(seen);
            } else {
                word.push(c);
            }
        }
        if !word.is_empty() {
            self.write(&word, at);
        }
    }

    /// Writes a run of text with no collapsible whitespace, after the whitespace pending.
    fn write(&mut self, word: &str, at: usize) {
        let space = std::mem::replace(&mut self.space, Space::None);
        let target = match (&mut self.row, self.cell_depth) {
            (Some(row), 1..) => match row.last_mut() {
                Some(cell) => &mut cell.text,
                None => &mut self.out.buf,
            },
            _ => &mut self.out.buf,
        };
        if let Some(last) = target.chars().next_back().filter(|c| !c.is_whitespace()) {
            let first = word.chars().next();
            let wide = |c: char| c.width() == Some(2);
            let joined = space == Space::Break && wide(last) && first.is_some_and(wide);
            if space != Space::None && !joined {
                target.push(' ');
            }
        }
        let in_cell = self.row.is_some() && self.cell_depth > 0;
        if in_cell {
            if let Some(cell) = self.row.as_mut().and_then(|r| r.last_mut()) {
                cell.text.push_str(word);
            }
            return;
        }
        if let Some(marker) = self.marker.take() {
            self.out.push(&marker, at);
        }
        self.out.push(word, at);
    }
}

/// The counter style a `style` attribute's `list-style(-type)` names.
fn list_style(style: &str) -> Option<Counter> {
    style.split(';').find_map(|decl| {
        let (prop, value) = decl.split_once(':')?;
        let prop = prop.trim().to_ascii_lowercase();
        if prop != "list-style-type" && prop != "list-style" {
            return None;
        }
        value.split_whitespace().find_map(Counter::of_css)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(html: &str) -> Vec<(String, usize, u16, bool)> {
        layout(html)
            .lines
            .iter()
            .map(|l| (l.text.to_string(), l.line, l.indent, l.row.is_some()))
            .collect()
    }

    fn texts(html: &str) -> Vec<String> {
        lines(html).into_iter().map(|l| l.0).collect()
    }

    #[test]
    fn blocks_are_lines_and_whitespace_collapses_as_a_browser_does() {
        let html = "<html><head><title>規程 | 町</title></head><body>\n<h3>第１条\n<span> </span>（目的）</h3>\n<p>この規程は、\n町の表彰について\n定める。Terms\nof use</p><p>二行目<br>三行目</p></body></html>";
        assert_eq!(
            texts(html),
            [
                "第１条（目的）",
                "この規程は、町の表彰について定める。Terms of use",
                "二行目",
                "三行目"
            ]
        );
        let l = layout(html);
        assert_eq!(l.lines[0].line, 2);
        assert!(l
            .diagnostics
            .iter()
            .any(|d| d.dropped.as_deref() == Some("規程 | 町")));
    }

    #[test]
    fn ordered_lists_get_the_numbers_a_browser_shows() {
        let html = "<ol><li>氏名</li><li>住所<ol type=\"a\"><li>都道府県</li></ol></li></ol>\
                    <ol start=3 style=\"list-style-type: cjk-ideographic\"><li>三番</li></ol>\
                    <ul><li>備考</li></ul>";
        assert_eq!(
            lines(html),
            [
                ("1. 氏名".to_string(), 1, 0, false),
                ("2. 住所".to_string(), 1, 0, false),
                ("a. 都道府県".to_string(), 1, 4, false),
                ("三、三番".to_string(), 1, 0, false),
                ("備考".to_string(), 1, 2, false),
            ]
        );
    }

    #[test]
    fn table_rows_are_rows_of_cells() {
        let html = "<p>次の表</p><table><tr><th>用語</th><th>意味</th></tr>\n<tr><td>本<br>サービス</td><td>当社が\n提供する<b>もの</b></td></tr></table>";
        assert_eq!(
            lines(html),
            [
                ("次の表".to_string(), 1, 0, false),
                ("用語\u{3000}意味".to_string(), 1, 0, true),
                (
                    "本サービス\u{3000}当社が提供するもの".to_string(),
                    2,
                    0,
                    true
                ),
            ]
        );
    }

    #[test]
    fn navigation_hidden_and_outside_main_are_dropped_with_their_text() {
        let html = "<body><div id=\"secondary\"><ul><li>第1条</li></ul></div>\
                    <div style=\"display: none\">e0001</div><nav>目次</nav>\
                    <p>第1条　目的</p><script>var x = '第2条';</script></body>";
        let l = layout(html);
        let t: Vec<&str> = l.lines.iter().map(|l| l.text.as_ref()).collect();
        assert_eq!(t, ["第1条　目的"]);
        let dropped: Vec<&str> = l
            .diagnostics
            .iter()
            .filter_map(|d| d.dropped.as_deref())
            .collect();
        assert_eq!(dropped, ["第1条", "e0001", "目次"]);
        let main = "<body><p>サイト名</p><main><p>本文</p></main><p>著作権</p></body>";
        // (a style named like chrome is not chrome)
        let styled = "<p class=\"text-secondary\">第1条　本文</p><p class=\"menu\">メニュー</p>";
        assert_eq!(texts(styled), ["第1条　本文"]);
        assert_eq!(texts(main), ["本文"]);
    }

    #[test]
    fn ruby_readings_are_recorded_not_text() {
        let l = layout("<p><ruby>約款<rp>(</rp><rt>やっかん</rt><rp>)</rp></ruby>の定め</p>");
        assert_eq!(l.lines[0].text, "約款の定め");
        let d = l.diagnostics.iter().find(|d| d.code == "ruby").unwrap();
        assert_eq!(d.dropped.as_deref(), Some("(やっかん)"));
        assert!(d.message.contains("約款"));
    }

    #[test]
    fn the_declared_charset_is_read() {
        let (sjis, _, _) =
            encoding_rs::SHIFT_JIS.encode("<meta charset=\"Shift_JIS\"><p>第1条　目的</p>");
        let (text, diags) = decode(sjis.into_owned());
        assert!(text.contains("第1条　目的"), "{text}");
        assert_eq!(diags[0].code, "encoding");
        // Word's `charset=unicode` is UTF-16 by name, UTF-8 in fact
        let (text, _) = decode(
            "<meta http-equiv=Content-Type content=\"text/html; charset=unicode\"><p>約款</p>"
                .as_bytes()
                .to_vec(),
        );
        assert!(text.contains("約款"));
    }
}
