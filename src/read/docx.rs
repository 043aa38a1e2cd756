//! Word (.docx) → logical lines: the zip's `word/document.xml`, with `numbering.xml` and
//! `styles.xml` for the automatic numbering ([`super::wordnum`]).
//!
//! Each paragraph (`w:p`) is one logical line, its source position the paragraph's index
//! in the document (tables' paragraphs counted), its indent the paragraph's left indent
//! (from the paragraph, its numbering level or its style; 105 twips, half a 10.5 pt
//! character, a column). Its text is its runs' text (`w:t`; `w:tab` a tab; `w:br` and
//! `w:cr` a line break, but for page and column breaks; `w:noBreakHyphen` a hyphen;
//! `w:sym` its character), after the number Word displays for it, if its numbering
//! (its own `w:numPr` or its style's) gives one, and that number's tab or space.
//! A table row (`w:tr`) is a row line (`Line::row`): its cells, a cell's paragraphs
//! joined as wrapped lines, with the columns it spans (`w:gridSpan`) and the rows
//! (`w:vMerge`: a continuation is no cell of its own, it adds a row to the cell above).
//!
//! Tracked changes are read as accepted: insertions (`w:ins`, `w:moveTo`) in, deletions
//! (`w:del`, `w:moveFrom`) out, a deleted paragraph mark joins its paragraph to the next;
//! a `tracked-changes` diagnostic counts them and holds the deleted text. Hidden text
//! (`w:vanish`) is dropped with its text (`markup-dropped`). Field instructions, comments'
//! anchors and the alternate rendering of a drawing (`mc:Fallback`) are not text; a text
//! box's paragraphs are lines after their paragraph. Headers, footers, footnotes and
//! comments live in other parts and are not read. A file that is not a zip, or has no
//! `word/document.xml`, or is encrypted, gives an error diagnostic and no lines.

use super::wordnum::{Marker, Numbering};
use super::xml::{self, Id, Tree};
use super::Lines;
use crate::diag::Diagnostic;
use crate::layout::{Cell, Layout};
use std::io::Read;

/// The largest part read (a zip that expands past it is cut there, with a warning).
const PART_LIMIT: u64 = 256 << 20;

/// Whether the bytes are a zip (a .docx is one).
pub fn sniff(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") && memchr::memmem::find(bytes, b"word/").is_some()
}

fn failed(code: &str, message: String) -> Layout<'static> {
    let mut out = Lines::default();
    out.diagnostics.push(Diagnostic::error(code, 0, message));
    out.into_layout()
}

/// The logical lines of a .docx file's bytes.
pub fn layout(bytes: &[u8]) -> Layout<'static> {
    let mut zip = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(z) => z,
        Err(e) => return failed("docx-unreadable", format!("not a .docx (zip) file: {e}")),
    };
    let mut diagnostics = Vec::new();
    let mut part = |name: &str| -> Option<String> {
        let file = zip.by_name(name).ok()?;
        let mut bytes = Vec::new();
        let mut limited = file.take(PART_LIMIT);
        if let Err(e) = limited.read_to_end(&mut bytes) {
            diagnostics.push(Diagnostic::error(
                "docx-unreadable",
                0,
                format!("{name} cannot be read: {e}"),
            ));
            return None;
        }
        if bytes.len() as u64 >= PART_LIMIT {
            diagnostics.push(Diagnostic::warning(
                "docx-unreadable",
                0,
                format!(
                    "{name} is larger than {} MiB; read up to there",
                    PART_LIMIT >> 20
                ),
            ));
        }
        let (text, _) = crate::decode::decode(&bytes);
        Some(text.into_owned())
    };
    let Some(document) = part("word/document.xml") else {
        let mut l = failed(
            "docx-unreadable",
            "no word/document.xml in the zip (not a Word document, or encrypted)".to_string(),
        );
        l.diagnostics.extend(diagnostics);
        return l;
    };
    let numbering = part("word/numbering.xml").map(|t| xml::parse(&t));
    let styles = part("word/styles.xml").map(|t| xml::parse(&t));
    let tree = xml::parse(&document);
    let mut r = Reader {
        tree: &tree,
        numbering: Numbering::new(numbering.as_ref(), styles.as_ref()),
        out: Lines::default(),
        paragraph: 0,
        inserted: 0,
        deleted: String::new(),
        deletions: 0,
        hidden: String::new(),
        carry: String::new(),
        marker: None,
        indent: 0,
    };
    r.out.diagnostics = diagnostics;
    if let Some((line, why)) = &tree.error {
        r.out.diagnostics.push(Diagnostic::warning(
            "xml-error",
            *line,
            format!("word/document.xml is not well formed ({why}); read up to there"),
        ));
    }
    if let Some(body) = tree.find(0, "body") {
        r.blocks(body);
    }
    r.finish()
}

struct Reader<'t> {
    tree: &'t Tree,
    numbering: Numbering,
    out: Lines,
    /// paragraphs read so far (the source position)
    paragraph: usize,
    inserted: usize,
    deletions: usize,
    deleted: String,
    hidden: String,
    /// the text of paragraphs whose mark was deleted, for the next paragraph
    carry: String,
    /// the number of the paragraph being read, until its text begins
    marker: Option<String>,
    indent: u16,
}

impl Reader<'_> {
    fn name(&self, id: Id) -> &str {
        &self.tree.nodes[id].name
    }

    fn finish(mut self) -> Layout<'static> {
        let carried = std::mem::take(&mut self.carry);
        self.out.push(&carried, self.paragraph);
        self.out.flush(self.indent);
        if self.inserted + self.deletions > 0 {
            let mut d = Diagnostic::warning(
                "tracked-changes",
                0,
                format!(
                    "the document has tracked changes, read as accepted: {} insertions in, {} deletions out",
                    self.inserted, self.deletions
                ),
            );
            d.dropped = (!self.deleted.is_empty()).then(|| self.deleted.clone());
            self.out.diagnostics.push(d);
        }
        if !self.hidden.is_empty() {
            let hidden = std::mem::take(&mut self.hidden);
            self.out.drop_text("hidden text (w:vanish)", &hidden, 0);
        }
        self.out.into_layout()
    }

    /// The block-level children of `id`: paragraphs, tables, content controls.
    fn blocks(&mut self, id: Id) {
        for &c in &self.tree.nodes[id].children {
            match self.name(c) {
                "p" => self.paragraph(c),
                "tbl" => self.table(c),
                "sdt" => {
                    if let Some(content) = self.tree.child(c, "sdtContent") {
                        self.blocks(content);
                    }
                }
                "customXml" | "ins" | "moveTo" => {
                    if self.name(c) != "customXml" {
                        self.inserted += 1;
                    }
                    self.blocks(c);
                }
                "del" | "moveFrom" => {
                    self.deletions += 1;
                    let t = self.tree.text_except(c, &["instrText"]);
                    self.deleted.push_str(&t);
                }
                _ => {}
            }
        }
    }

    fn paragraph(&mut self, p: Id) {
        let tree = self.tree;
        self.paragraph += 1;
        let ppr = tree.child(p, "pPr");
        let style = ppr
            .and_then(|x| tree.child(x, "pStyle"))
            .and_then(|s| tree.nodes[s].attr("val"));
        let numpr = ppr.and_then(|x| tree.child(x, "numPr"));
        let num = numpr
            .and_then(|n| tree.child(n, "numId"))
            .and_then(|n| tree.nodes[n].attr("val"));
        let ilvl = numpr
            .and_then(|n| tree.child(n, "ilvl"))
            .and_then(|n| tree.nodes[n].attr("val"))
            .and_then(|v| v.parse().ok());
        let own_indent = ppr
            .and_then(|x| tree.child(x, "ind"))
            .and_then(|i| {
                let n = &tree.nodes[i];
                n.attr("left").or_else(|| n.attr("start"))
            })
            .and_then(|v| v.parse::<i64>().ok());
        // a deleted paragraph mark: accepted, the paragraph's text runs on into the next
        // paragraph, which keeps its own properties (numbering) as in Word
        let mark_deleted = ppr
            .and_then(|x| tree.child(x, "rPr"))
            .is_some_and(|r| tree.child(r, "del").is_some());
        let mut boxes = Vec::new();
        if mark_deleted {
            self.deletions += 1;
            let saved = std::mem::take(&mut self.out);
            self.runs(p, &mut boxes);
            let got = std::mem::replace(&mut self.out, saved);
            self.carry.push_str(&got.buf);
            self.out.lines.extend(got.lines);
        } else {
            let marker = self.numbering.next(num, ilvl, style);
            let twips = own_indent
                .or(marker.as_ref().and_then(|m| m.indent))
                .or_else(|| self.numbering.style_indent(style))
                .unwrap_or(0);
            self.out.flush(self.indent);
            self.indent = (twips.max(0) / 105).min(400) as u16;
            // (written when text follows: an empty numbered paragraph is no line)
            self.marker = marker
                .filter(|m| !m.text.is_empty())
                .map(|Marker { text, suffix, .. }| text + suffix);
            let carried = std::mem::take(&mut self.carry);
            self.push(&carried, self.paragraph, false);
            self.runs(p, &mut boxes);
        }
        for b in boxes {
            self.out.flush(self.indent);
            self.blocks(b);
        }
    }

    /// The text of a paragraph's runs (and of hyperlinks, fields, insertions in it).
    fn runs(&mut self, id: Id, boxes: &mut Vec<Id>) {
        let tree = self.tree;
        for &c in &tree.nodes[id].children {
            match self.name(c) {
                "r" => self.run(c, boxes),
                "del" | "moveFrom" => {
                    self.deletions += 1;
                    let t = tree.text_except(c, &["instrText", "delInstrText"]);
                    self.deleted.push_str(&t);
                }
                "ins" | "moveTo" => {
                    self.inserted += 1;
                    self.runs(c, boxes);
                }
                "pPr" | "Fallback" => {}
                _ => self.runs(c, boxes),
            }
        }
    }

    fn run(&mut self, r: Id, boxes: &mut Vec<Id>) {
        let tree = self.tree;
        let hidden = tree
            .child(r, "rPr")
            .and_then(|p| tree.child(p, "vanish"))
            .is_some_and(|v| !matches!(tree.nodes[v].attr("val"), Some("0" | "false" | "off")));
        let at = self.paragraph;
        let mut text = String::new();
        for &c in &tree.nodes[r].children {
            match self.name(c) {
                "t" => text.push_str(&tree.text(c)),
                "tab" | "ptab" => text.push('\t'),
                "br" => {
                    let kind = tree.nodes[c].attr("type");
                    if !matches!(kind, Some("page" | "column")) {
                        self.push(&std::mem::take(&mut text), at, hidden);
                        self.out.flush(self.indent);
                    }
                }
                "cr" => {
                    self.push(&std::mem::take(&mut text), at, hidden);
                    self.out.flush(self.indent);
                }
                "noBreakHyphen" => text.push('-'),
                "sym" => {
                    let code = tree.nodes[c]
                        .attr("char")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(char::from_u32);
                    text.extend(code);
                }
                _ => {
                    if let Some(b) = tree.find(c, "txbxContent") {
                        boxes.push(b);
                    }
                }
            }
        }
        self.push(&text, at, hidden);
    }

    fn push(&mut self, text: &str, at: usize, hidden: bool) {
        if hidden {
            self.hidden.push_str(text);
        } else if !text.is_empty() {
            if let Some(marker) = self.marker.take() {
                self.out.push(&marker, at);
            }
            self.out.push(text, at);
        }
    }

    /// A table: one row line per `w:tr`, its cells with their spans: `w:gridSpan`
    /// columns, and rows as far down as `w:vMerge` continues the cell.
    fn table(&mut self, tbl: Id) {
        let tree = self.tree;
        self.out.flush(self.indent);
        // per row: its first paragraph's position and its cells, each with the grid
        // column it starts at
        let mut rows: Vec<(usize, Vec<(usize, Cell)>)> = Vec::new();
        for tr in tree.children(tbl, "tr").collect::<Vec<_>>() {
            let first = self.paragraph + 1;
            let mut cells = Vec::new();
            let mut column = 0;
            for tc in tree.children(tr, "tc").collect::<Vec<_>>() {
                let pr = tree.child(tc, "tcPr");
                let prop = |name: &str| pr.and_then(|p| tree.child(p, name));
                let colspan = prop("gridSpan")
                    .and_then(|g| tree.nodes[g].attr("val"))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1u16)
                    .max(1);
                // (the cell's paragraphs, read on their own and joined)
                let saved = std::mem::take(&mut self.out.lines);
                self.blocks(tc);
                self.out.flush(0);
                let lines = std::mem::replace(&mut self.out.lines, saved);
                let texts: Vec<&str> = lines.iter().map(|l| l.text.as_ref()).collect();
                let text = join_wrapped(&texts);
                let merge = prop("vMerge").map(|m| tree.nodes[m].attr("val").unwrap_or("continue"));
                let above = rows.iter_mut().rev().find_map(|(_, r)| {
                    r.iter_mut()
                        .find(|(c, _)| *c == column)
                        .map(|(_, cell)| cell)
                });
                match (merge, above) {
                    // a continuation: the cell above spans this row too (its text, if
                    // any, joins that cell's)
                    (Some("continue"), Some(cell)) => {
                        cell.rowspan = cell.rowspan.saturating_add(1);
                        if !text.is_empty() {
                            cell.text = join_wrapped(&[&cell.text, &text]);
                        }
                    }
                    _ => cells.push((
                        column,
                        Cell {
                            text,
                            colspan,
                            rowspan: 1,
                        },
                    )),
                }
                column += usize::from(colspan);
            }
            rows.push((first, cells));
        }
        for (at, cells) in rows {
            self.out
                .row(cells.into_iter().map(|(_, c)| c).collect(), at, 0);
        }
    }
}

/// Lines joined as layout joins wrapped lines: a space only between two Latin letters
/// or digits.
fn join_wrapped(parts: &[&str]) -> String {
    let mut out = String::new();
    for p in parts {
        if out.ends_with(|c: char| c.is_ascii_alphanumeric())
            && p.starts_with(|c: char| c.is_ascii_alphanumeric())
        {
            out.push(' ');
        }
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn docx(body: &str) -> Vec<u8> {
        let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
        let xml = format!("<w:document xmlns:w=\"{w}\"><w:body>{body}</w:body></w:document>");
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("word/document.xml", stored).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    fn cell(text: &str, pr: &str) -> String {
        format!("<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
    }

    #[test]
    fn merged_cells_span_columns_and_rows() {
        let span = "<w:gridSpan w:val=\"2\"/>";
        let (start, cont) = ("<w:vMerge w:val=\"restart\"/>", "<w:vMerge/>");
        let body = format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
            cell("区分", span),
            cell("月額", ""),
            cell("個人", start),
            cell("基本", ""),
            cell("1,100円", ""),
            cell("", cont),
            cell("学割", ""),
            cell("550円", ""),
        );
        let layout = layout(&docx(&body));
        let rows: Vec<Vec<(String, u16, u16)>> = layout
            .lines
            .iter()
            .map(|l| {
                let cells = l.row.as_deref().expect("a row");
                cells
                    .iter()
                    .map(|c| (c.text.clone(), c.colspan, c.rowspan))
                    .collect()
            })
            .collect();
        let c = |t: &str, cs, rs| (t.to_string(), cs, rs);
        assert_eq!(
            rows,
            [
                vec![c("区分", 2, 1), c("月額", 1, 1)],
                vec![c("個人", 1, 2), c("基本", 1, 1), c("1,100円", 1, 1)],
                vec![c("学割", 1, 1), c("550円", 1, 1)],
            ]
        );
    }

    #[test]
    fn hidden_text_is_dropped_with_a_diagnostic() {
        let body = "<w:p><w:r><w:t>本文</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隠し</w:t></w:r></w:p>";
        let l = layout(&docx(body));
        assert_eq!(l.lines[0].text, "本文");
        assert!(l
            .diagnostics
            .iter()
            .any(|d| d.dropped.as_deref() == Some("隠し")));
    }
}
