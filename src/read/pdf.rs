//! PDF → logical lines, from the page geometry (text spans read with `pdf_oxide`).
//!
//! In: the bytes of a PDF. Out: one logical line per paragraph, item or heading as
//! printed, each with its source position (the physical line's number, counted over
//! the whole document), and diagnostics for what was dropped:
//! - a physical line is the spans on one baseline (within half a font size), in
//!   reading order; a gap between two spans wider than a third of the font size is a
//!   space (the PDF draws no character there);
//! - its indent is its left edge's distance from the text block's, in columns of
//!   half the body font size (the text block: the lines in the body's font size, on
//!   every page);
//! - a wrap: a line continues on the next when the next line's first unbreakable unit
//!   (a Latin word, or a character with the punctuation that may not start a line) would
//!   not have fitted before the right edge of the text block, unless the next starts a block (a heading, an article, a
//!   number: the text parser's own `starts_block`); wrapped lines are joined as layout
//!   joins them (a space only between two Latin letters or digits);
//! - a row of a ruled table (`pdf_table`) is a line of cells, never joined to a text
//!   line; a row cut by a page break (the next page opens with a row of as many cells,
//!   and each cell that goes on had no room left where it was cut) is one row;
//! - page headers and footers: a line in the top or bottom eighth of a page whose text,
//!   each run of digits read as one (page 9 and page 10), recurs there on half the
//!   pages or more (at least two), is dropped with a `footer-dropped` diagnostic
//!   holding its text;
//! - a page with no text (a scanned image) is reported (`pdf-no-text`); a PDF that
//!   cannot be read gives an error (`pdf-unreadable`), one that is encrypted or ends
//!   without `%%EOF` (cut short) a warning of that code, with what could be read.
//!
//! A table without rules (columns by alignment alone) is read as lines, its cells
//! separated by the spaces the gaps give.

use super::{pdf_table, Lines};
use crate::diag::Diagnostic;
use crate::layout::{Cell, Layout};
use std::collections::HashMap;

/// Whether the bytes are a PDF (its header within the first 1024 bytes).
pub fn sniff(bytes: &[u8]) -> bool {
    memchr::memmem::find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some()
}

/// One physical line of a page, or one row of a ruled table.
pub(super) struct Row {
    page: usize,
    /// baseline height from the page's bottom (a table row: its top rule's)
    y: f32,
    /// the lowest point: the baseline (a table row: its bottom rule)
    bottom: f32,
    pub left: f32,
    pub right: f32,
    size: f32,
    pub text: String,
    /// a table row's cells
    cells: Option<Vec<Cell>>,
    /// a table row's room at the end of each cell (`TableRow::room`)
    room: Vec<f32>,
}

/// The logical lines of a PDF.
pub fn layout(bytes: &[u8]) -> Layout<'static> {
    let mut out = Lines::default();
    let doc = match pdf_oxide::document::PdfDocument::from_bytes(bytes.to_vec()) {
        Ok(d) => d,
        Err(e) => {
            out.diagnostics.push(Diagnostic::error(
                "pdf-unreadable",
                0,
                format!("the PDF cannot be read: {e}"),
            ));
            return out.into_layout();
        }
    };
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    if memchr::memmem::find(tail, b"%%EOF").is_none() {
        out.diagnostics.push(Diagnostic::warning(
            "pdf-unreadable",
            0,
            "the PDF ends without its end marker (%%EOF): it may be cut short; its text is read as far as it can be"
                .to_string(),
        ));
    }
    if doc.is_encrypted() {
        out.diagnostics.push(Diagnostic::warning(
            "pdf-unreadable",
            0,
            "the PDF is encrypted; its text is read as far as it can be".to_string(),
        ));
    }
    let pages = doc.page_count().unwrap_or(0);
    let mut rows = Vec::new();
    let mut heights = Vec::with_capacity(pages);
    for page in 0..pages {
        let height = doc
            .get_page_media_box(page)
            .map_or(842.0, |(_, y0, _, y1)| (y1 - y0).abs());
        heights.push(height);
        match doc.extract_spans(page) {
            Ok(spans) => {
                let before = rows.len();
                // (a page whose drawing cannot be read has no tables)
                let paths = doc.extract_paths(page).unwrap_or_default();
                page_rows(page, spans, &paths, &mut rows);
                if rows.len() == before {
                    out.diagnostics.push(Diagnostic::warning(
                        "pdf-no-text",
                        0,
                        format!(
                            "page {} has no text (a scanned image needs OCR first)",
                            page + 1
                        ),
                    ));
                }
            }
            Err(e) => out.diagnostics.push(Diagnostic::error(
                "pdf-unreadable",
                0,
                format!("page {} cannot be read: {e}", page + 1),
            )),
        }
    }
    if rows.is_empty() && pages == 0 {
        out.diagnostics.push(Diagnostic::warning(
            "pdf-no-text",
            0,
            "the PDF has no pages with text".to_string(),
        ));
    }
    let dropped = running_heads(&rows, &heights, pages);
    let kept: Vec<(usize, &Row)> = rows
        .iter()
        .enumerate()
        .filter(|(i, _)| !dropped[*i])
        .collect();
    for (i, row) in rows.iter().enumerate().filter(|(i, _)| dropped[*i]) {
        let mut d = Diagnostic::info(
            "footer-dropped",
            i + 1,
            format!(
                "a running header or footer on page {} was dropped",
                row.page + 1
            ),
        );
        d.dropped = Some(row.text.clone());
        out.diagnostics.push(d);
    }
    join(&kept, &mut out);
    out.into_layout()
}

/// The spans of one page as physical lines and table rows, top to bottom.
fn page_rows(
    page: usize,
    spans: Vec<pdf_oxide::layout::TextSpan>,
    paths: &[pdf_oxide::elements::PathContent],
    rows: &mut Vec<Row>,
) {
    let mut spans = spans;
    let tables = pdf_table::tables(paths, &mut spans);
    let mut lines = lines_of(spans);
    for t in tables {
        let text: Vec<&str> = t.cells.iter().map(|c| c.text.as_str()).collect();
        lines.push(Row {
            page,
            y: t.top,
            bottom: t.bottom,
            left: t.left,
            right: t.right,
            size: t.size,
            text: text.join("\u{3000}"),
            cells: Some(t.cells),
            room: t.room,
        });
    }
    // (stable: a table row stays after the line it was placed after)
    lines.sort_by(|a, b| b.y.total_cmp(&a.y));
    for mut l in lines {
        l.page = page;
        rows.push(l);
    }
}

/// Spans as physical lines, top to bottom: spans on one baseline (within half a font
/// size) are one line, in reading order, with a space for each gap wider than a third
/// of the font size.
pub(super) fn lines_of(mut spans: Vec<pdf_oxide::layout::TextSpan>) -> Vec<Row> {
    // top to bottom, then left to right
    spans.sort_by(|a, b| {
        b.bbox
            .y
            .total_cmp(&a.bbox.y)
            .then(a.bbox.x.total_cmp(&b.bbox.x))
    });
    let mut rows = Vec::new();
    let mut line: Vec<pdf_oxide::layout::TextSpan> = Vec::new();
    let mut flush = |line: &mut Vec<pdf_oxide::layout::TextSpan>| {
        if line.is_empty() {
            return;
        }
        line.sort_by(|a, b| a.bbox.x.total_cmp(&b.bbox.x));
        let size = line
            .iter()
            .map(|s| s.font_size)
            .fold(0.0, f32::max)
            .max(1.0);
        let mut text = String::new();
        let mut right = f32::MIN;
        // (a space drawn as a glyph is a span of its own)
        let mut spaced = false;
        for s in line.iter() {
            if s.text.trim().is_empty() {
                spaced = right > f32::MIN;
                continue;
            }
            let gap = s.bbox.x - right > size / 3.0;
            if right > f32::MIN && (spaced || gap) && !text.ends_with(' ') {
                text.push(' ');
            }
            spaced = false;
            text.push_str(&s.text);
            right = right.max(s.bbox.x + s.bbox.width);
        }
        if text.trim().is_empty() {
            line.clear();
            return;
        }
        let left = line
            .iter()
            .find(|s| !s.text.trim().is_empty())
            .map_or(line[0].bbox.x, |s| s.bbox.x);
        rows.push(Row {
            page: 0,
            y: line[0].bbox.y,
            bottom: line[0].bbox.y,
            left,
            right,
            size,
            text,
            cells: None,
            room: Vec::new(),
        });
        line.clear();
    };
    for s in spans {
        let same = line
            .first()
            .is_some_and(|f| (f.bbox.y - s.bbox.y).abs() <= f.font_size.max(s.font_size) / 2.0);
        if !same {
            flush(&mut line);
        }
        line.push(s);
    }
    flush(&mut line);
    rows
}

/// Which rows are running headers or footers: in a page's top or bottom eighth, with a
/// text (each run of digits read as one) that recurs there on half the pages or more,
/// and on two at least.
fn running_heads(rows: &[Row], heights: &[f32], pages: usize) -> Vec<bool> {
    let key = |r: &Row| -> Option<String> {
        let h = heights.get(r.page).copied().unwrap_or(842.0);
        let edge = r.y > h * 7.0 / 8.0 || r.y < h / 8.0;
        edge.then(|| {
            // (a run of digits is one `#`: page 9 and page 10 have one footer)
            let mut key = String::new();
            for c in r.text.chars().filter(|c| !c.is_whitespace()) {
                let c = if c.is_ascii_digit() { '#' } else { c };
                if !(c == '#' && key.ends_with('#')) {
                    key.push(c);
                }
            }
            key
        })
    };
    let mut seen: HashMap<String, Vec<usize>> = HashMap::new();
    for r in rows {
        if let Some(k) = key(r) {
            let on = seen.entry(k).or_default();
            if on.last() != Some(&r.page) {
                on.push(r.page);
            }
        }
    }
    let needed = pages.div_ceil(2).max(2);
    rows.iter()
        .map(|r| key(r).is_some_and(|k| seen.get(&k).is_some_and(|p| p.len() >= needed)))
        .collect()
}

/// Joins wrapped physical lines into logical lines.
fn join(rows: &[(usize, &Row)], out: &mut Lines) {
    // the body's font size: the one most of the text is set in
    let mut sizes: HashMap<u32, usize> = HashMap::new();
    for (_, r) in rows {
        *sizes.entry((r.size * 10.0).round() as u32).or_default() += r.text.len();
    }
    let body = sizes
        .iter()
        .max_by_key(|(size, n)| (**n, **size))
        .map_or(0.0, |(size, _)| *size as f32 / 10.0);
    // the text block, from the lines in the body size, on every page: its left and
    // right edges (a page's own lines may all be short, or all indented)
    let (mut left, mut right) = (f32::MAX, f32::MIN);
    for (_, r) in rows
        .iter()
        .filter(|(_, r)| r.cells.is_none() && (r.size - body).abs() < 0.5)
    {
        left = left.min(r.left);
        right = right.max(r.right);
    }
    // the foot of the text block: the lowest line or table row on any page
    let foot = rows.iter().map(|(_, r)| r.bottom).fold(f32::MAX, f32::min);
    let indent_of = |r: &Row| {
        ((r.left - left.min(r.left)) / (r.size / 2.0))
            .round()
            .clamp(0.0, 400.0) as u16
    };
    let mut open: Option<(&Row, u16)> = None;
    // the last table row, held back while the next page may continue it
    let mut held: Option<Held> = None;
    let mut last_page = usize::MAX;
    for &(i, r) in rows {
        let indent = indent_of(r);
        let first_on_page = r.page != last_page;
        last_page = r.page;
        if let Some(cells) = &r.cells {
            if let Some((_, at)) = open.take() {
                out.flush(at);
            }
            // a row cut by a page break goes on at the next page's top: every cell
            // that goes on had no room left for its next text where it was cut, and
            // the row's first cell is empty or the cut row ends at the foot of the
            // text block
            let continues = first_on_page
                && held.as_ref().is_some_and(|h| {
                    let full =
                        h.room.iter().zip(cells).all(|(room, c)| {
                            c.text.is_empty() || *room < first_unit(&c.text, r.size)
                        });
                    h.page < r.page
                        && h.cells.len() == cells.len()
                        && full
                        && (cells[0].text.is_empty() || h.bottom < foot + r.size * 1.5)
                });
            if continues {
                let h = held.as_mut().expect("checked");
                for (into, c) in h.cells.iter_mut().zip(cells) {
                    pdf_table::wrap_join(&mut into.text, &c.text);
                }
                (h.page, h.end, h.room, h.bottom) = (r.page, i + 1, r.room.clone(), r.bottom);
                continue;
            }
            if let Some(h) = held.take() {
                out.row_to(h.cells, h.at, h.end, h.indent);
            }
            held = Some(Held {
                cells: cells.clone(),
                room: r.room.clone(),
                bottom: r.bottom,
                at: i + 1,
                end: i + 1,
                indent,
                page: r.page,
            });
            continue;
        }
        if let Some(h) = held.take() {
            out.row_to(h.cells, h.at, h.end, h.indent);
        }
        let continues = open.is_some_and(|(prev, _)| {
            prev.right + first_unit(&r.text, r.size) > right - prev.size * 0.3
                && !crate::classify::starts_block(&r.text)
        });
        if continues {
            let joins_words = out.buf.ends_with(|c: char| c.is_ascii_alphanumeric())
                && r.text.starts_with(|c: char| c.is_ascii_alphanumeric());
            if joins_words {
                out.push(" ", i + 1);
            }
            out.push(r.text.trim(), i + 1);
            open = Some((r, open.map_or(indent, |o| o.1)));
        } else {
            if let Some((_, at)) = open {
                out.flush(at);
            }
            out.push(r.text.trim(), i + 1);
            open = Some((r, indent));
        }
    }
    if let Some((_, at)) = open {
        out.flush(at);
    }
    if let Some(h) = held {
        out.row_to(h.cells, h.at, h.end, h.indent);
    }
}

/// A table row not yet given out: the next page may go on with it.
struct Held {
    cells: Vec<Cell>,
    room: Vec<f32>,
    bottom: f32,
    at: usize,
    end: usize,
    indent: u16,
    page: usize,
}

/// The width of a line's first unbreakable unit: a Latin word, or one character with
/// the opening brackets before it and the closing punctuation after it that may not
/// end or start a line (「…、。」…). A wrap is a line whose next line's first unit
/// would not have fitted after it.
fn first_unit(text: &str, size: f32) -> f32 {
    let width = |c: char| if c.is_ascii() { size * 0.5 } else { size };
    let mut chars = text.trim_start().chars().peekable();
    // (an opening bracket may not end a line: it goes with the character after it)
    let mut open = 0.0;
    while let Some(c) = chars.next_if(|c| "「『（(【〔〈《［".contains(*c)) {
        open += width(c);
    }
    let Some(first) = chars.next() else {
        return open;
    };
    let rest: f32 = if first.is_ascii_alphanumeric() {
        chars
            .take_while(|c| c.is_ascii() && !c.is_ascii_whitespace())
            .map(width)
            .sum()
    } else {
        chars
            .take_while(|c| {
                "、。，．）」』】〕〉》,.)!?！？ーぁぃぅぇぉっゃゅょァィゥェォッャュョ".contains(*c)
            })
            .map(width)
            .sum()
    };
    open + width(first) + rest
}
