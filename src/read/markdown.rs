//! Markdown → logical lines, through pulldown-cmark (CommonMark, GFM tables, YAML front
//! matter).
//!
//! Each block becomes one logical line, with the source line of its first character:
//! - a heading: its text (`### 第1条(目的)` → `第1条(目的)`), so the heading grammar reads
//!   it as it reads a text line;
//! - a paragraph: its text, soft line breaks joined as layout joins wraps (a space only
//!   between two Latin letters or digits); a hard break starts a new line;
//! - a list item: an ordered item gets its number back as printed (`1.`; build numbers
//!   `1.` lists by position, as Markdown does), a bullet item loses its `-`; the nesting is
//!   the line's indent, the marker's column in the source (a tab one step of the
//!   document's narrowest indent), as its writer meant it: `  1.` under `1. …` is a
//!   sub-item, where CommonMark makes it a sibling; a bullet stands two columns deeper
//!   than its marker (its entries are items of the paragraph above);
//! - a table row: its cells (and the text of them joined by an ideographic space),
//!   marked as a row (`Line::row`), so build puts it in a table;
//! - a code block: one line per line.
//!
//! Emphasis, links, code spans and images keep their text; their markup is dropped.
//! The front matter's `title:` and `date:` (`updated:`, `lastmod:`) are the document's
//! title and date; the rest of it, and HTML comments, are dropped with their text in a
//! diagnostic (`markup-dropped`); `<br>` is a line break; other HTML stays as written, and a
//! table's delimiter row stays as a row of its alignment marks.

use crate::diag::Diagnostic;
use crate::layout::{Cell, Layout, Line};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use tinyvec::TinyVec;

/// The logical lines of a Markdown document.
pub fn layout(text: &str) -> Layout<'_> {
    let newlines: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
    let line_of = |offset: usize| newlines.partition_point(|&nl| nl < offset) + 1;
    let step = indent_step(text);
    // the leading whitespace of the source line holding `offset`, in columns
    let column = |offset: usize| {
        let n = newlines.partition_point(|&nl| nl < offset);
        let start = if n == 0 { 0 } else { newlines[n - 1] + 1 };
        let lead = &text[start..];
        let lead = &lead[..lead.len() - lead.trim_start_matches([' ', '\t']).len()];
        lead.bytes()
            .map(|b| if b == b'\t' { step } else { 1 })
            .sum::<u16>()
    };
    let mut r = Reader {
        lines: Vec::new(),
        diagnostics: Vec::new(),
        buf: String::new(),
        start: None,
        end: 0,
        indent: 0,
        lists: Vec::new(),
        detached: Vec::new(),
        after_rule: false,
        items: Vec::new(),
        cells: Vec::new(),
        in_cell: false,
        in_meta: false,
        marker: false,
        column: 0,
        row: None,
        heading: 0,
        numbers: Vec::new(),
        after_soft: false,
        meta: String::new(),
        meta_line: 0,
        title: None,
        date: None,
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let (from, to) = (
            line_of(range.start),
            line_of(range.end.saturating_sub(1).max(range.start)),
        );
        if matches!(event, Event::Text(_)) && r.after_soft {
            r.column = column(range.start);
        }
        if matches!(event, Event::Start(Tag::Item)) {
            r.column = column(range.start);
            // the number as printed (Markdown renumbers by position; build does too)
            let at = text[range.start..].trim_start_matches([' ', '\t']);
            let digits = at.len() - at.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            r.numbers.clear();
            if digits > 0 && at[digits..].starts_with(['.', ')']) {
                r.numbers.push(at[..=digits].to_string());
            }
        }
        let head_end = matches!(event, Event::End(TagEnd::TableHead));
        r.event(event, from, to);
        if head_end {
            // the delimiter row (`|:-|-:|`) stands on the line after the head: kept as
            // a row of its alignment marks, so no character of the table is dropped
            let n = to; // the head's last line; the delimiter is the next one
            let start = if n == 0 {
                0
            } else {
                newlines.get(n - 1).map_or(text.len(), |&nl| nl + 1)
            };
            let end = newlines.get(n).copied().unwrap_or(text.len());
            let cells: Vec<&str> = text[start.min(end)..end]
                .split('|')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            r.buf = cells.join("\u{3000}");
            r.start = Some(n + 1);
            r.end = n + 1;
            r.row = Some(cells.into_iter().map(Cell::new).collect());
            r.flush();
        }
    }
    r.flush();
    Layout {
        lines: r.lines,
        doc_code: None,
        wrap_width: None,
        title: r.title,
        date: r.date,
        diagnostics: r.diagnostics,
    }
}

/// Whether text starts like an ordered list item: `1. `, `12) `.
fn starts_numbered(t: &str) -> bool {
    let rest = t.trim_start_matches(|c: char| c.is_ascii_digit());
    rest.len() < t.len() && (rest.starts_with(". ") || rest.starts_with(") "))
}

/// Whether text starts with a paragraph or item number the text parser reads (`(1)`,
/// `２`, `イ`): not an article or heading, as a wrapped sentence may start with a
/// reference (`第8条の…`).
fn starts_entry(t: &str) -> bool {
    use crate::classify::{classify, Class};
    matches!(classify(t), Class::Paragraph { .. } | Class::Item { .. })
}

/// What a tab stands for: the narrowest indent of two spaces or more before a list
/// marker (documents that mix tabs and spaces mean one level by each), 4 when none.
fn indent_step(text: &str) -> u16 {
    text.lines()
        .filter_map(|l| {
            let body = l.trim_start_matches(' ');
            let n = l.len() - body.len();
            let marker =
                body.starts_with(['-', '*', '+']) || body.starts_with(|c: char| c.is_ascii_digit());
            (n >= 2 && marker).then_some(n as u16)
        })
        .min()
        .unwrap_or(4)
        .min(8)
}

/// An open list: its next number (ordered) or `None` (bullets).
type List = Option<u64>;

struct Reader {
    lines: Vec<Line<'static>>,
    diagnostics: Vec<Diagnostic>,
    /// the logical line being gathered
    buf: String,
    /// its first source line, once it has content
    start: Option<usize>,
    end: usize,
    indent: u16,
    lists: Vec<List>,
    /// for each open list, whether a thematic break (`---`) stood before it: its bullets
    /// are not the entries of the text above
    detached: Vec<bool>,
    /// the last block was a thematic break
    after_rule: bool,
    /// the indent of each open list item
    items: Vec<u16>,
    /// the cells of the table row being read
    cells: Vec<String>,
    in_cell: bool,
    in_meta: bool,
    /// the line holds only an ordered item's number so far (its paragraph follows)
    marker: bool,
    /// the source column of the list item being opened
    column: u16,
    /// the line being read is a table row: its cells
    row: Option<Box<[Cell]>>,
    /// the line being read is a heading of this level (0: not)
    heading: u8,
    /// the number printed before the list item being opened (`1.`, `3)`), if ordered
    numbers: Vec<String>,
    /// the last event was a soft line break
    after_soft: bool,
    /// the front matter's text, and the title and date read from it
    meta: String,
    meta_line: usize,
    title: Option<String>,
    date: Option<String>,
}

impl Reader {
    fn event(&mut self, event: Event, from: usize, to: usize) {
        let after_soft = std::mem::replace(&mut self.after_soft, matches!(event, Event::SoftBreak));
        // `  1. 女子社員が…` + `    1. 産前…`: CommonMark reads the deeper line as more text
        // of the item (too far in for a sibling, not far enough for a child); its writer
        // meant a sub-item, so a line that starts with a number and a dot after a soft
        // break starts a line of its own, at its source indent
        // Likewise `(1) …` lines under a sentence, and `    - …` lines too deep to be a
        // list: CommonMark joins them into the paragraph; their writer listed them.
        let mut event = event;
        if let (true, Event::Text(t)) = (after_soft, &event) {
            let bullet = t
                .strip_prefix(['-', '*', '+'])
                .filter(|r| r.starts_with(' '));
            if !self.in_cell && (starts_numbered(t) || bullet.is_some() || starts_entry(t)) {
                self.buf.truncate(self.buf.trim_end().len());
                self.flush();
                self.indent = self.column;
                if let Some(rest) = bullet {
                    // (CommonMark's text, its writer's bullet: dropped as markup, said so)
                    self.indent += 2;
                    let what = "a bullet CommonMark reads as text (too deep for a list)";
                    self.drop_text(what, &t[..1], from);
                    event = Event::Text(rest.trim_start().to_string().into());
                }
            }
        }
        match event {
            Event::Start(tag) => self.start(tag, from),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) => {
                if self.in_meta {
                    if self.meta.is_empty() {
                        self.meta_line = from;
                    }
                    self.meta.push_str(&t);
                } else {
                    self.push(&t, from, to);
                }
            }
            Event::SoftBreak => self.soft_break(),
            Event::HardBreak => self.flush(),
            Event::Html(h) | Event::InlineHtml(h) => self.html(&h, from, to),
            Event::Rule => {
                self.flush();
                self.after_rule = true;
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag, from: usize) {
        match tag {
            Tag::Heading { .. } | Tag::Paragraph | Tag::CodeBlock(_) | Tag::BlockQuote(_) => {
                if !self.marker {
                    self.flush();
                }
                if self.lists.is_empty() {
                    self.indent = 0;
                    self.after_rule = false;
                }
                if let Tag::Heading { level, .. } = tag {
                    self.heading = level as u8;
                }
            }
            Tag::List(first) => {
                self.flush();
                self.lists.push(first);
                self.detached.push(std::mem::take(&mut self.after_rule));
            }
            Tag::Item => {
                self.flush();
                // (nesting by the source's indentation, not CommonMark's: `  1.` under
                // `1. …` is a sub-item to its writer, a sibling to CommonMark)
                let bullet = matches!(self.lists.last(), Some(None));
                // (two deeper than a text at its own column; a bullet already deeper
                // than the item it stands in is that item's entry as it is)
                let under_text = !self.detached.last().copied().unwrap_or(false)
                    && self.column <= self.items.last().copied().unwrap_or(0);
                self.indent = self.column + if bullet && under_text { 2 } else { 0 };
                self.items.push(self.indent);
                if let Some(Some(n)) = self.lists.last_mut() {
                    let printed = self.numbers.pop().unwrap_or_else(|| format!("{n}."));
                    self.buf.push_str(&printed);
                    self.buf.push(' ');
                    self.start = Some(from);
                    self.marker = true;
                    *n += 1;
                }
            }
            Tag::Table(_) => {
                self.flush();
                if self.lists.is_empty() {
                    self.indent = 0;
                }
            }
            Tag::TableHead | Tag::TableRow => {
                self.flush();
                self.cells.clear();
            }
            Tag::TableCell => {
                self.cells.push(String::new());
                self.in_cell = true;
            }
            Tag::MetadataBlock(_) => self.in_meta = true,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::CodeBlock => self.flush(),
            TagEnd::Item => {
                self.flush();
                self.items.pop();
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                self.detached.pop();
            }
            TagEnd::TableCell => self.in_cell = false,
            TagEnd::TableHead | TagEnd::TableRow => {
                let cells = std::mem::take(&mut self.cells);
                self.buf = cells.join("\u{3000}");
                self.row = Some(cells.into_iter().map(Cell::new).collect());
                self.flush();
            }
            TagEnd::MetadataBlock(_) => {
                self.in_meta = false;
                self.front_matter();
            }
            _ => {}
        }
    }

    /// Adds text to the line (or to the table cell) being read.
    fn push(&mut self, t: &str, from: usize, to: usize) {
        self.marker = false;
        if self.in_cell {
            if let Some(cell) = self.cells.last_mut() {
                cell.push_str(t);
            }
        } else {
            // (a code block's text holds its lines, one source line each)
            let mut pieces = t.split('\n').enumerate().peekable();
            while let Some((k, piece)) = pieces.next() {
                self.buf.push_str(piece);
                self.start.get_or_insert(from + k);
                self.end = self.end.max(from + k);
                if pieces.peek().is_some() {
                    self.flush();
                }
            }
            return;
        }
        self.start.get_or_insert(from);
        self.end = self.end.max(to);
    }

    /// A soft line break: joined as layout joins a wrap.
    fn soft_break(&mut self) {
        if self.buf.ends_with(|c: char| c.is_ascii_alphanumeric()) {
            self.buf.push(' ');
        }
    }

    fn html(&mut self, h: &str, from: usize, to: usize) {
        let t = h.trim();
        if t.starts_with("<!--") {
            self.drop_text("HTML comment", t, from);
        } else if t.starts_with("<br") {
            self.flush();
        } else if !t.is_empty() {
            // other HTML stays as written (`<a href="…">` inside a sentence), as it
            // reads in the text; an HTML reader is where tags are understood
            self.push(t, from, to);
        }
    }

    /// The front matter: `title:` and `date:` (or `updated:`, `lastmod:`) give the
    /// document's title and date; the rest is dropped into a diagnostic (the values
    /// taken are in the meta, not there as well).
    fn front_matter(&mut self) {
        let meta = std::mem::take(&mut self.meta);
        let mut rest = String::new();
        for line in meta.lines() {
            let value = |key: &str| {
                let v = line.strip_prefix(key)?.strip_prefix(':')?.trim();
                let v = v.trim_matches(|c| c == '"' || c == '\'');
                (!v.is_empty()).then(|| v.to_string())
            };
            let taken = if let (None, Some(v)) = (&self.title, value("title")) {
                self.title = Some(v.clone());
                Some(v)
            } else if let (None, Some(v)) = (
                &self.date,
                value("date")
                    .or_else(|| value("updated"))
                    .or_else(|| value("lastmod")),
            ) {
                self.date = Some(v.clone());
                Some(v)
            } else {
                None
            };
            rest.push_str(&match taken {
                Some(v) => line.replacen(&v, "", 1),
                None => line.to_string(),
            });
            rest.push('\n');
        }
        let line = self.meta_line;
        self.drop_text("front matter", &rest, line);
    }

    fn drop_text(&mut self, what: &str, t: &str, line: usize) {
        if t.trim().is_empty() {
            return;
        }
        let mut d = Diagnostic::info("markup-dropped", line, format!("{what} dropped"));
        d.dropped = Some(t.to_string());
        self.diagnostics.push(d);
    }

    /// Ends the line being read (a line of whitespace only is no line).
    fn flush(&mut self) {
        let heading = std::mem::take(&mut self.heading);
        if std::mem::take(&mut self.marker) {
            // an empty list item: its number is markup
            self.buf.clear();
            self.start = None;
            return;
        }
        let text = std::mem::take(&mut self.buf);
        let start = self.start.take();
        let text = text.trim();
        let Some(line) = start.filter(|_| !text.is_empty()) else {
            return;
        };
        let mut ends = TinyVec::new();
        ends.push(text.len());
        self.lines.push(Line {
            text: Cow::Owned(text.to_string()),
            line,
            end_line: self.end.max(line),
            ends,
            indent: self.indent,
            jisage: false,
            row: std::mem::take(&mut self.row),
            heading,
        });
        self.end = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(md: &str) -> Vec<(String, usize, u16)> {
        layout(md)
            .lines
            .iter()
            .map(|l| (l.text.to_string(), l.line, l.indent))
            .collect()
    }

    #[test]
    fn front_matter_gives_the_title_and_date_and_drops_the_rest() {
        let l = layout("---\ntitle: \"就業規則\"\ndate: 2022-02-01\nauthor: 人事部\n---\n\n### 第1条（目的）\n");
        assert_eq!(l.title.as_deref(), Some("就業規則"));
        assert_eq!(l.date.as_deref(), Some("2022-02-01"));
        let dropped = l.diagnostics[0].dropped.as_deref().unwrap();
        assert!(
            dropped.contains("人事部") && !dropped.contains("就業規則"),
            "{dropped}"
        );
        assert_eq!(l.diagnostics[0].line, 2);
        assert_eq!(l.lines[0].text, "第1条（目的）");
    }

    #[test]
    fn list_items_keep_their_printed_number_and_source_indent() {
        // (`  1.` under `1. …` is a sibling to CommonMark, a sub-item to its writer)
        let md = "1. 社員は届け出る。\n  1. 氏名\n    1. 姓\n    1. 名\n- 備考\n";
        assert_eq!(
            lines(md),
            [
                ("1. 社員は届け出る。".to_string(), 1, 0),
                ("1. 氏名".to_string(), 2, 2),
                ("1. 姓".to_string(), 3, 4),
                ("1. 名".to_string(), 4, 4),
                ("備考".to_string(), 5, 2),
            ]
        );
    }

    #[test]
    fn a_code_block_keeps_every_line_with_its_own_number() {
        assert_eq!(
            lines("本文\n\n    第一行\n    第二行\n"),
            [
                ("本文".to_string(), 1, 0),
                ("第一行".to_string(), 3, 0),
                ("第二行".to_string(), 4, 0),
            ]
        );
    }
}
