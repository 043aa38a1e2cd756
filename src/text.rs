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
    let (main, after) = doc.body_parts();
    for n in main {
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
    for n in after {
        node(&mut out, n);
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
        // (a heading holds the label: `（施行期日）\n１`)
        (Kind::Paragraph | Kind::Item | Kind::Subitem, Some(label)) if n.heading.is_none() => {
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

/// `s` as it may be shown on a terminal: control characters (C0 but tab, DEL, C1) and
/// the bidirectional overrides and isolates shown as escapes (`\u{1b}`, `\u{202e}`),
/// so that document text cannot move the cursor, set a window title or reorder what is
/// shown. For human-facing output only: the JSON keeps the text exactly.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    fn escaped(c: char) -> bool {
        (c < ' ' && c != '\t')
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }
    if !s.chars().any(escaped) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if escaped(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_sequences_are_shown_not_obeyed() {
        assert_eq!(
            printable("a\u{1b}]0;PWNED\u{7}b"),
            "a\\u{1b}]0;PWNED\\u{7}b"
        );
        assert_eq!(printable("\u{202e}txt.exe"), "\\u{202e}txt.exe");
        assert_eq!(printable("\u{9b}31m"), "\\u{9b}31m");
        assert!(matches!(
            printable("第1条\t（目的）"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
