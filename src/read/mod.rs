//! Reading formats: bytes and a format → the logical lines the classifier reads.
//!
//! In: the bytes of a document and its [`Format`] (chosen by the file's name, or forced).
//! Out: a [`Layout`]: one logical line per block the format states (a heading, a
//! paragraph, a list item, a table row), each with its source line, and diagnostics for
//! what was dropped. Plain text goes through [`crate::layout`], which has to recover
//! the blocks from wraps and spacing; a structured format says where they are, and its
//! reader passes that on (a list item's nesting as its indent). The text parser stays
//! the one place where Japanese numbering is understood.

pub mod markdown;

use crate::layout::Layout;

/// An input format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// plain text, as extracted from a PDF or typed (the default)
    Text,
    /// Markdown (CommonMark with GFM tables), read with pulldown-cmark
    Markdown,
}

impl Format {
    /// The format a file's name says: `.md` and `.markdown` are Markdown; anything
    /// else is text.
    pub fn of_name(name: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".md") || lower.ends_with(".markdown") {
            Format::Markdown
        } else {
            Format::Text
        }
    }

    /// The format named on the command line (`--input-format markdown`).
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "text" | "txt" => Some(Format::Text),
            "markdown" | "md" => Some(Format::Markdown),
            _ => None,
        }
    }
}

/// The logical lines of decoded `text` in `format`.
pub fn layout(text: &str, format: Format) -> Layout<'_> {
    match format {
        Format::Text => crate::layout::layout(text),
        Format::Markdown => markdown::layout(text),
    }
}
