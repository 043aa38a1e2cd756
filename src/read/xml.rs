//! A small XML tree for the readers of XML formats (e-Gov law XML, Word's parts), read
//! with quick-xml.
//!
//! In: XML text. Out: an arena of elements (local names: namespace prefixes dropped,
//! attributes by local name too) and texts, each with its source line, plus the
//! well-formedness error that stopped the reading, if any: what was read before it is
//! kept, so a truncated file still gives its text.

use quick_xml::events::Event;
use quick_xml::Reader;

/// A node's index in the arena; 0 is the root (a document node holding the elements).
pub type Id = usize;

/// One node.
pub struct Node {
    /// the element's local name (`Article`, `p` for `w:p`); empty for text,
    /// `#document` for the root
    pub name: String,
    /// attributes by local name (`val` for `w:val`), values unescaped
    pub attrs: Vec<(String, String)>,
    /// the text, for a text node (references resolved)
    pub text: String,
    pub children: Vec<Id>,
    /// 1-based source line where the node starts
    pub line: usize,
}

impl Node {
    /// The value of attribute `name` (local name), if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the node is text.
    pub fn is_text(&self) -> bool {
        self.name.is_empty()
    }
}

/// A parsed XML document.
pub struct Tree {
    pub nodes: Vec<Node>,
    /// why reading stopped early, with the line
    pub error: Option<(usize, String)>,
}

impl Tree {
    /// The children of `id` that are elements named `name`.
    pub fn children<'a>(&'a self, id: Id, name: &'a str) -> impl Iterator<Item = Id> + 'a {
        self.nodes[id]
            .children
            .iter()
            .copied()
            .filter(move |&c| self.nodes[c].name == name)
    }

    /// The first child of `id` named `name`.
    pub fn child(&self, id: Id, name: &str) -> Option<Id> {
        self.children(id, name).next()
    }

    /// The first element named `name` at or under `id`, in document order.
    pub fn find(&self, id: Id, name: &str) -> Option<Id> {
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            if self.nodes[n].name == name {
                return Some(n);
            }
            stack.extend(self.nodes[n].children.iter().rev());
        }
        None
    }

    /// All the text at or under `id`, in order, except under elements `skip` names.
    pub fn text_except(&self, id: Id, skip: &[&str]) -> String {
        let mut out = String::new();
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            let node = &self.nodes[n];
            if node.is_text() {
                out.push_str(&node.text);
            } else if !skip.contains(&node.name.as_str()) {
                stack.extend(node.children.iter().rev());
            }
        }
        out
    }

    /// All the text at or under `id`.
    pub fn text(&self, id: Id) -> String {
        self.text_except(id, &[])
    }
}

fn local(name: &[u8]) -> String {
    let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
    String::from_utf8_lossy(local).into_owned()
}

/// Parses `text` into a tree (never fails: an error ends the reading and is reported).
pub fn parse(text: &str) -> Tree {
    let newlines: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
    let line_of = |offset: u64| newlines.partition_point(|&nl| (nl as u64) < offset) + 1;
    let mut nodes = vec![Node {
        name: "#document".to_string(),
        attrs: Vec::new(),
        text: String::new(),
        children: Vec::new(),
        line: 1,
    }];
    let mut open: Vec<Id> = vec![0];
    let mut reader = Reader::from_str(text);
    let mut error = None;
    let add = |nodes: &mut Vec<Node>, open: &[Id], node: Node| {
        let id = nodes.len();
        nodes.push(node);
        let parent = *open.last().unwrap_or(&0);
        nodes[parent].children.push(id);
        id
    };
    let push_text = |nodes: &mut Vec<Node>, open: &[Id], t: &str, line: usize| {
        let parent = *open.last().unwrap_or(&0);
        if let Some(&last) = nodes[parent].children.last() {
            if nodes[last].is_text() {
                nodes[last].text.push_str(t);
                return;
            }
        }
        let node = Node {
            name: String::new(),
            attrs: Vec::new(),
            text: t.to_string(),
            children: Vec::new(),
            line,
        };
        let id = nodes.len();
        nodes.push(node);
        nodes[parent].children.push(id);
    };
    loop {
        let at = line_of(reader.buffer_position());
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let node = element(&e, at);
                let id = add(&mut nodes, &open, node);
                open.push(id);
            }
            Ok(Event::Empty(e)) => {
                add(&mut nodes, &open, element(&e, at));
            }
            Ok(Event::End(_)) => {
                if open.len() > 1 {
                    open.pop();
                }
            }
            Ok(Event::Text(t)) => {
                let t = t.decode().map(|c| c.into_owned()).unwrap_or_default();
                push_text(&mut nodes, &open, &t, at);
            }
            Ok(Event::CData(t)) => {
                let t = String::from_utf8_lossy(&t).into_owned();
                push_text(&mut nodes, &open, &t, at);
            }
            Ok(Event::GeneralRef(r)) => {
                let name = String::from_utf8_lossy(&r).into_owned();
                let c = match name.as_str() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                let t = c.map_or_else(|| format!("&{name};"), String::from);
                push_text(&mut nodes, &open, &t, at);
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                error = Some((line_of(reader.error_position()), e.to_string()));
                break;
            }
        }
    }
    Tree { nodes, error }
}

fn element(e: &quick_xml::events::BytesStart, line: usize) -> Node {
    let attrs = e
        .attributes()
        .flatten()
        .map(|a| {
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
            (local(a.key.as_ref()), value)
        })
        .collect();
    Node {
        name: local(e.name().as_ref()),
        attrs,
        text: String::new(),
        children: Vec::new(),
        line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_texts_and_references() {
        let t = parse("<?xml version=\"1.0\"?>\n<w:p a:val=\"x&amp;y\">\n<w:t>第&#x4E00;条 &amp; 項</w:t></w:p>");
        assert!(t.error.is_none());
        let p = t.find(0, "p").unwrap();
        assert_eq!(t.nodes[p].attr("val"), Some("x&y"));
        assert_eq!(t.nodes[p].line, 2);
        assert_eq!(t.text(t.child(p, "t").unwrap()), "第一条 & 項");
    }

    #[test]
    fn a_truncated_file_keeps_what_was_read() {
        let t = parse("<Law><Sentence>本文</Sentence><Sentence>途中");
        assert_eq!(t.text(0), "本文途中");
        let t = parse("<a><b>x</a>");
        assert!(t.error.is_some());
        assert_eq!(t.text(0), "x");
    }
}
