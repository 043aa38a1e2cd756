//! The `text` renderer: the clean text of a document.
//!
//! In: a [`Document`]. Out: one line per heading, paragraph, item or table row, in
//! document order, wrapped lines joined, with exactly the characters of the tree: the
//! front matter, then the body, then the 附則. A label and its text are separated by one
//! space. Nothing is added but line breaks and those spaces.

use crate::tree::{Document, Kind, Node};

/// Renders the clean text.
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    let m = &doc.meta;
    for line in [&m.title, &m.as_of_text, &m.publisher]
        .into_iter()
        .flatten()
    {
        push_line(&mut out, line);
    }
    for n in &doc.body {
        node(&mut out, n);
    }
    if let Some(s) = &doc.supplementary {
        if let Some(h) = &s.heading {
            push_line(&mut out, h);
        }
        for n in &s.entries {
            node(&mut out, n);
        }
    }
    out
}

/// The clean text of one node and its descendants.
pub fn render_node(n: &Node) -> String {
    let mut out = String::new();
    node(&mut out, n);
    out
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

fn node(out: &mut String, n: &Node) {
    if let Some(h) = &n.heading {
        push_line(out, h);
    }
    let text = n.text.as_deref().unwrap_or("");
    match (n.kind, &n.label) {
        (Kind::Paragraph | Kind::Item | Kind::Subitem, Some(label)) => {
            push_line(out, &format!("{label} {text}"))
        }
        _ if !n.cells.is_empty() => push_line(out, &n.cells.join(" ")),
        _ if !text.is_empty() => push_line(out, text),
        _ => {}
    }
    for c in &n.children {
        node(out, c);
    }
}
