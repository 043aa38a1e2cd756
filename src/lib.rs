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
pub mod normalize;
pub mod refparse;
pub mod refs;
pub mod table;
pub mod taisho;
pub mod text;
pub mod textdiff;
pub mod tree;

pub use diag::{Diagnostic, Severity};
pub use tree::{
    DefKind, Definition, Document, Kind, Law, Meta, Node, Reading, RefKind, Reference, Relation,
    Scope, Supplementary,
};

use serde::Serialize;

/// Parses the bytes of a terms document (UTF-8, Shift_JIS/CP932, EUC-JP or UTF-16).
pub fn parse(bytes: &[u8]) -> (Document, Vec<Diagnostic>) {
    let (text, mut diags) = decode::decode(bytes);
    let (doc, more) = parse_text(&text);
    diags.extend(more);
    (doc, diags)
}

/// Parses already decoded text.
pub fn parse_text(text: &str) -> (Document, Vec<Diagnostic>) {
    let layout = layout::layout(text);
    let (mut doc, mut diags) = build::build(&layout);
    let mut all = layout.diagnostics;
    all.append(&mut diags);
    all.extend(defs::resolve(&mut doc));
    all.extend(refs::resolve(&mut doc));
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
