//! yakkan: Japanese terms documents (約款) as a structured tree.
//!
//! The pipeline, one module per stage (see ARCHITECTURE.md):
//!
//! ```text
//! bytes ─decode→ text ─layout→ logical lines ─classify→ classes ─build→ Document
//!                                                 resolve (defs) ←┘
//!                                                                  └→ render (json, text)
//! ```
//!
//! The library does no IO and never fails: [`parse`] always returns a [`Document`] and
//! the [`Diagnostic`]s that say what was decided or could not be read.
//!
//! ```
//! let (doc, diags) = yakkan::parse("第1章 総則\n第1条（目的）\nこの約款は…適用します。\n".as_bytes());
//! assert_eq!(doc.body[0].children[0].id, "art_1");
//! assert!(diags.iter().all(|d| d.severity != yakkan::Severity::Error));
//! ```

pub mod align;
pub mod build;
pub mod classify;
pub mod decode;
pub mod defs;
pub mod diag;
pub mod diff;
pub mod era;
pub mod export;
pub mod graph;
pub mod layout;
pub mod markdown;
mod needle;
pub mod normalize;
pub mod read;
pub mod refparse;
pub mod refs;
pub mod seqdiff;
pub mod site;
pub mod table;
pub mod taisho;
pub mod text;
pub mod textdiff;
pub mod tree;

pub use diag::{unusable, Diagnostic, Severity};
pub use tree::{
    DefKind, Definition, Document, Kind, Law, Meta, Node, Reading, RefKind, Reference, Relation,
    Scope, Supplementary,
};

use serde::Serialize;

/// Parses the bytes of a terms document (UTF-8, Shift_JIS/CP932, EUC-JP or UTF-16).
/// UTF-8 bytes are read in place, not copied.
pub fn parse(bytes: &[u8]) -> (Document, Vec<Diagnostic>) {
    parse_decoded(decode::decode(bytes))
}

/// Like [`parse`], taking the bytes, so that UTF-8 input is not copied (large files).
pub fn parse_vec(bytes: Vec<u8>) -> (Document, Vec<Diagnostic>) {
    parse_decoded(decode::decode_owned(bytes))
}

fn parse_decoded(
    (text, mut diags): (impl AsRef<str>, Vec<Diagnostic>),
) -> (Document, Vec<Diagnostic>) {
    let (doc, found, nodes) = built(layout::layout(text.as_ref()));
    // The tree holds its own copies: the decoded text (which the lines borrowed) is not
    // needed any more, and dropping it before resolving keeps peak memory down on large
    // inputs.
    drop(text);
    let (doc, found) = resolved(doc, found, nodes);
    diags.extend(found);
    (doc, diags)
}

/// Parses the bytes of a document in `format` (see [`read::Format::detect`]): text,
/// Markdown and HTML are decoded first (HTML by the charset it declares), e-Gov XML as
/// text, a .docx is read from its zip.
pub fn parse_as(bytes: Vec<u8>, format: read::Format) -> (Document, Vec<Diagnostic>) {
    if matches!(format, read::Format::Docx | read::Format::Pdf) {
        let layout = match format {
            read::Format::Docx => read::docx::layout(&bytes),
            _ => read::pdf_layout(&bytes),
        };
        drop(bytes);
        let (doc, found, nodes) = built(layout);
        return resolved(doc, found, nodes);
    }
    let (text, mut diags) = match format {
        read::Format::Html => read::html::decode(bytes),
        _ => decode::decode_owned(bytes),
    };
    let (doc, found, nodes) = built(read::layout(text.as_ref(), format));
    drop(text);
    let (doc, found) = resolved(doc, found, nodes);
    diags.extend(found);
    (doc, diags)
}

/// Parses already decoded text.
pub fn parse_text(text: &str) -> (Document, Vec<Diagnostic>) {
    let (doc, diags, nodes) = built(layout::layout(text));
    resolved(doc, diags, nodes)
}

/// The tree, with the diagnostics of layout and build and how many nodes it holds.
fn built(layout: layout::Layout) -> (Document, Vec<Diagnostic>, usize) {
    let (doc, mut diags, nodes) = build::build_counted(&layout);
    let mut all = layout.diagnostics;
    all.append(&mut diags);
    (doc, all, nodes)
}

/// Resolves definitions and references in a tree of `nodes` nodes; the diagnostics in
/// line order.
fn resolved(
    mut doc: Document,
    mut all: Vec<Diagnostic>,
    nodes: usize,
) -> (Document, Vec<Diagnostic>) {
    let (defs, refs) = (
        defs::resolve_sized(&mut doc, nodes),
        refs::resolve_sized(&mut doc, nodes),
    );
    // (room made once: the list grew twice, copying 1.4 MB on the 100× benchmark document)
    all.reserve(defs.len() + refs.len());
    all.extend(defs);
    all.extend(refs);
    all.sort_by_key(|d| d.line);
    (doc, all)
}

/// The JSON form: the tree with its diagnostics.
#[derive(Serialize)]
struct JsonOut<'a> {
    #[serde(flatten)]
    document: &'a Document,
    diagnostics: &'a [Diagnostic],
}

/// Writes the tree and diagnostics as JSON to `w`, without building the whole text in
/// memory first (large documents).
pub fn write_json(
    w: impl std::io::Write,
    doc: &Document,
    diags: &[Diagnostic],
    pretty: bool,
) -> std::io::Result<()> {
    let out = JsonOut {
        document: doc,
        diagnostics: diags,
    };
    let r = if pretty {
        serde_json::to_writer_pretty(w, &out)
    } else {
        serde_json::to_writer(w, &out)
    };
    // Keep the kind of an IO error (a closed pipe is not worth reporting).
    r.map_err(|e| match e.io_error_kind() {
        Some(kind) => std::io::Error::new(kind, e),
        None => std::io::Error::other(e),
    })
}

/// Renders the tree and diagnostics as JSON (pretty or one line).
pub fn to_json(doc: &Document, diags: &[Diagnostic], pretty: bool) -> String {
    let out = JsonOut {
        document: doc,
        diagnostics: diags,
    };
    let s = if pretty {
        serde_json::to_string_pretty(&out)
    } else {
        serde_json::to_string(&out)
    };
    s.expect("the tree holds only strings, numbers and lists")
}
