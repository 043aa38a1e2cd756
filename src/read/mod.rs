//! Reading formats: bytes and a format → the logical lines the classifier reads.
//!
//! In: the bytes of a document and its [`Format`] (chosen by the file's name, or forced).
//! Out: a [`Layout`]: one logical line per block the format states (a heading, a
//! paragraph, a list item, a table row), each with its source line, and diagnostics for
//! what was dropped. Plain text goes through [`crate::layout`], which has to recover
//! the blocks from wraps and spacing; a structured format says where they are, and its
//! reader passes that on (a list item's nesting as its indent). The text parser stays
//! the one place where Japanese numbering is understood.

pub mod counter;
pub mod docx;
mod dom;
pub mod egov;
pub mod html;
pub mod markdown;
#[cfg(feature = "pdf")]
pub mod pdf;
#[cfg(feature = "pdf")]
mod pdf_table;
mod wordnum;
mod xml;

use crate::diag::Diagnostic;
use crate::layout::{Cell, Layout, Line};
use std::borrow::Cow;
use tinyvec::TinyVec;

/// An input format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// plain text, as extracted from a PDF or typed (the default)
    Text,
    /// Markdown (CommonMark with GFM tables), read with pulldown-cmark
    Markdown,
    /// HTML, read with html5ever
    Html,
    /// e-Gov 法令標準XML (a law), read with quick-xml
    EgovXml,
    /// Word (.docx), read with zip and quick-xml, its automatic numbering evaluated
    Docx,
    /// PDF, read with pdf_oxide, its layout taken from the page geometry (the `pdf`
    /// feature; without it, a PDF gives a diagnostic)
    Pdf,
}

impl Format {
    /// The format a file's name says: `.md` and `.markdown` are Markdown; anything
    /// else is text.
    pub fn of_name(name: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".md") || lower.ends_with(".markdown") {
            Format::Markdown
        } else if lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".xhtml") {
            Format::Html
        } else if lower.ends_with(".xml") {
            Format::EgovXml
        } else if lower.ends_with(".docx") {
            Format::Docx
        } else if lower.ends_with(".pdf") {
            Format::Pdf
        } else {
            Format::Text
        }
    }

    /// The format of a file named `name` holding `bytes`: its name's, unless its content
    /// says otherwise (a `.txt` that is an HTML page is read as HTML).
    pub fn detect(name: &str, bytes: &[u8]) -> Format {
        let by_name = Format::of_name(name);
        match (by_name, Format::sniff(bytes)) {
            (Format::Text, Some(found)) => found,
            _ => by_name,
        }
    }

    /// The format the content shows, if it shows one: an HTML page (a doctype or an
    /// `<html>` element first, after a BOM and whitespace), e-Gov law XML (its root), a
    /// Word document (a zip holding `word/`).
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        if docx::sniff(bytes) {
            return Some(Format::Docx);
        }
        if bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
        {
            return Some(Format::Pdf);
        }
        let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let head = start[..start.len().min(512)].trim_ascii_start();
        let lower = head.to_ascii_lowercase();
        if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
            return Some(Format::Html);
        }
        if lower.starts_with(b"<?xml") || lower.starts_with(b"<") {
            let text = String::from_utf8_lossy(&start[..start.len().min(2048)]);
            if egov::sniff(&text) {
                return Some(Format::EgovXml);
            }
        }
        None
    }

    /// The format named on the command line (`--input-format markdown`).
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "text" | "txt" => Some(Format::Text),
            "markdown" | "md" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "xml" | "egov" | "egov-xml" => Some(Format::EgovXml),
            "docx" | "word" => Some(Format::Docx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }
}

/// The logical lines of decoded `text` in `format`. (A .docx is bytes, not text: read it
/// with [`docx::layout`], as [`crate::parse_as`] does; decoded text is no zip, and gives
/// a `docx-unreadable` diagnostic.)
pub fn layout(text: &str, format: Format) -> Layout<'_> {
    match format {
        Format::Text => crate::layout::layout(text),
        Format::Markdown => markdown::layout(text),
        Format::Html => html::layout(text),
        Format::EgovXml => egov::layout(text),
        Format::Docx => docx::layout(text.as_bytes()),
        Format::Pdf => pdf_layout(text.as_bytes()),
    }
}

/// The logical lines of a PDF's bytes (with the `pdf` feature). The PDF library is
/// young: a panic inside it becomes a `pdf-unreadable` error, not a failed parse.
pub fn pdf_layout(bytes: &[u8]) -> Layout<'static> {
    #[cfg(feature = "pdf")]
    return std::panic::catch_unwind(|| pdf::layout(bytes)).unwrap_or_else(|_| {
        let mut out = Lines::default();
        out.diagnostics.push(Diagnostic::error(
            "pdf-unreadable",
            0,
            "the PDF reader failed on this file (a malformed PDF)",
        ));
        out.into_layout()
    });
    #[cfg(not(feature = "pdf"))]
    {
        let _ = bytes;
        let mut out = Lines::default();
        out.diagnostics.push(Diagnostic::error(
            "pdf-unreadable",
            0,
            "this build of yakkan reads no PDF (built without the `pdf` feature)",
        ));
        out.into_layout()
    }
}

/// Gathers the logical lines of a structured format: text is added piece by piece,
/// each with its source position, and a line ends when the format's block ends.
#[derive(Default)]
pub(crate) struct Lines {
    pub lines: Vec<Line<'static>>,
    pub diagnostics: Vec<Diagnostic>,
    /// the line being gathered
    pub buf: String,
    /// its first source position, once it has text
    start: Option<usize>,
    end: usize,
    /// the line being gathered is a heading of this level (0: not)
    pub heading: u8,
}

impl Lines {
    /// Adds text from source position `at` to the line being gathered.
    pub fn push(&mut self, t: &str, at: usize) {
        if t.is_empty() {
            return;
        }
        self.buf.push_str(t);
        self.start.get_or_insert(at);
        self.end = self.end.max(at);
    }

    /// Ends the line being gathered, at `indent` (a line of whitespace only is no line).
    pub fn flush(&mut self, indent: u16) {
        self.end_line(indent, None);
    }

    /// A table row of `cells` from source position `at` (a row of empty cells is none).
    pub fn row(&mut self, cells: Vec<Cell>, at: usize, indent: u16) {
        self.row_to(cells, at, at, indent);
    }

    /// A table row of `cells` from source positions `at` to `end`.
    pub fn row_to(&mut self, mut cells: Vec<Cell>, at: usize, end: usize, indent: u16) {
        self.flush(indent);
        for c in &mut cells {
            let trimmed = c.text.trim();
            if trimmed.len() < c.text.len() {
                c.text = trimmed.to_string();
            }
        }
        if cells.iter().all(|c| c.text.trim().is_empty()) {
            return;
        }
        let text: Vec<&str> = cells.iter().map(|c| c.text.as_str()).collect();
        self.push(&text.join("\u{3000}"), at);
        self.end = self.end.max(end);
        self.end_line(indent, Some(cells.into_boxed_slice()));
    }

    fn end_line(&mut self, indent: u16, row: Option<Box<[Cell]>>) {
        let heading = std::mem::take(&mut self.heading);
        let start = self.start.take();
        let end = std::mem::take(&mut self.end);
        let text = self.buf.trim();
        if let Some(line) = start.filter(|_| !text.is_empty()) {
            let mut ends = TinyVec::new();
            ends.push(text.len());
            self.lines.push(Line {
                text: Cow::Owned(text.to_string()),
                line,
                end_line: end.max(line),
                ends,
                indent,
                jisage: false,
                row,
                heading,
            });
        }
        self.buf.clear();
    }

    /// The lines as a layout, diagnostics in line order.
    pub fn into_layout(mut self) -> Layout<'static> {
        self.diagnostics.sort_by_key(|d| d.line);
        Layout {
            lines: self.lines,
            doc_code: None,
            wrap_width: None,
            title: None,
            date: None,
            diagnostics: self.diagnostics,
        }
    }

    /// Records text the reader leaves out of the lines, and why (`markup-dropped`).
    pub fn drop_text(&mut self, what: &str, t: &str, at: usize) {
        if t.trim().is_empty() {
            return;
        }
        let mut d = Diagnostic::info("markup-dropped", at, format!("{what} dropped"));
        d.dropped = Some(t.trim().to_string());
        self.diagnostics.push(d);
    }
}
