//! PDF → logical lines, from the page geometry (text spans read with `pdf_oxide`).
//!
//! In: the bytes of a PDF. Out: one logical line per paragraph, item or heading as
//! printed, each with its source position (the physical line's number, counted over
//! the whole document), and diagnostics for what was dropped:
//! - a physical line is the spans on one baseline (within half a font size), in
//!   reading order; a gap between two spans wider than a third of the font size is a
//!   space (the PDF draws no character there);
//! - its indent is its left edge's distance from the page's text block, in columns of
//!   half the body font size;
//! - a wrap: a line that reaches the right edge of the text block (the lines set in the
//!   body's font size; within one character) continues on the next, unless the next starts a block (a heading, an
//!   article, a number: the text parser's own `starts_block`); wrapped lines are joined
//!   as layout joins them (a space only between two Latin letters or digits);
//! - page headers and footers: a line in the top or bottom eighth of a page whose text,
//!   digits aside, recurs there on half the pages or more (at least two), is dropped
//!   with a `footer-dropped` diagnostic holding its text;
//! - a page with no text (a scanned image) is reported (`pdf-no-text`); a PDF that
//!   cannot be read gives an error (`pdf-unreadable`), one that is encrypted or ends
//!   without `%%EOF` (cut short) a warning of that code, with what could be read.
//!
//! Tables are not rebuilt from columns yet: a row is a line, its cells separated by the
//! spaces the gaps give.

use super::Lines;
use crate::diag::Diagnostic;
use crate::layout::Layout;
use std::collections::HashMap;

/// Whether the bytes are a PDF (its header within the first 1024 bytes).
pub fn sniff(bytes: &[u8]) -> bool {
    memchr::memmem::find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some()
}

/// One physical line of a page.
struct Row {
    page: usize,
    /// baseline height from the page's bottom
    y: f32,
    left: f32,
    right: f32,
    size: f32,
    text: String,
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
                page_rows(page, spans, &mut rows);
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

/// The spans of one page as physical lines, top to bottom.
fn page_rows(page: usize, spans: Vec<pdf_oxide::layout::TextSpan>, rows: &mut Vec<Row>) {
    let mut spans: Vec<_> = spans
        .into_iter()
        .filter(|s| !s.text.trim().is_empty())
        .collect();
    // top to bottom, then left to right
    spans.sort_by(|a, b| {
        b.bbox
            .y
            .partial_cmp(&a.bbox.y)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(
                a.bbox
                    .x
                    .partial_cmp(&b.bbox.x)
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
    });
    let mut line: Vec<pdf_oxide::layout::TextSpan> = Vec::new();
    let mut flush = |line: &mut Vec<pdf_oxide::layout::TextSpan>| {
        if line.is_empty() {
            return;
        }
        line.sort_by(|a, b| {
            a.bbox
                .x
                .partial_cmp(&b.bbox.x)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let size = line
            .iter()
            .map(|s| s.font_size)
            .fold(0.0, f32::max)
            .max(1.0);
        let mut text = String::new();
        let mut right = f32::MIN;
        for s in line.iter() {
            if right > f32::MIN && s.bbox.x - right > size / 3.0 {
                text.push(' ');
            }
            text.push_str(&s.text);
            right = right.max(s.bbox.x + s.bbox.width);
        }
        rows.push(Row {
            page,
            y: line[0].bbox.y,
            left: line[0].bbox.x,
            right,
            size,
            text,
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
}

/// Which rows are running headers or footers: in a page's top or bottom eighth, with a
/// text (digits aside) that recurs there on half the pages or more, and at least two.
fn running_heads(rows: &[Row], heights: &[f32], pages: usize) -> Vec<bool> {
    let key = |r: &Row| -> Option<String> {
        let h = heights.get(r.page).copied().unwrap_or(842.0);
        let edge = r.y > h * 7.0 / 8.0 || r.y < h / 8.0;
        edge.then(|| {
            r.text
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| if c.is_ascii_digit() { '#' } else { c })
                .collect()
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
    // each page's text block, from the lines in the body size: its left and right edges
    let mut block: HashMap<usize, (f32, f32)> = HashMap::new();
    for (_, r) in rows.iter().filter(|(_, r)| (r.size - body).abs() < 0.5) {
        let b = block.entry(r.page).or_insert((f32::MAX, f32::MIN));
        b.0 = b.0.min(r.left);
        b.1 = b.1.max(r.right);
    }
    let indent_of = |r: &Row| {
        let left = block.get(&r.page).map_or(r.left, |b| b.0);
        ((r.left - left) / (r.size / 2.0)).round().clamp(0.0, 400.0) as u16
    };
    let mut open: Option<(&Row, u16)> = None;
    for &(i, r) in rows {
        let indent = indent_of(r);
        let continues = open.is_some_and(|(prev, _)| {
            // (a page with no line in the body's size has no text block to reach)
            let Some(&(_, right)) = block.get(&prev.page) else {
                return false;
            };
            prev.right >= right - prev.size * 1.2 && !crate::classify::starts_block(&r.text)
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
}
