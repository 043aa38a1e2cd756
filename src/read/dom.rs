//! The HTML reader's document tree: html5ever's tree builder fills it (the HTML5
//! parsing algorithm, implied end tags, misnested markup and all), and the reader walks it.
//!
//! In: html5ever's tree-building calls. Out: an arena of nodes (indices, no reference
//! counting), each element with the source line of its start tag and each text with the
//! line where it began, so every logical line of an HTML page says where it came from.
//! (markup5ever's own `RcDom` keeps no line numbers.)

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::{ns, Attribute, ExpandedName, QualName};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// A node's index in the arena (the document is 0).
pub type Id = usize;

/// What a node is.
pub enum Data {
    Document,
    Element {
        name: Rc<QualName>,
        attrs: Vec<Attribute>,
        /// a `<template>`'s contents (a fragment of its own, not its children)
        template: Option<Id>,
    },
    Text(String),
    /// comments, processing instructions: not text
    Comment,
}

/// One node of the tree.
pub struct Node {
    pub data: Data,
    pub parent: Option<Id>,
    pub children: Vec<Id>,
    /// 1-based source line where the node began
    pub line: usize,
}

impl Node {
    /// The element's local name (`p`, `td`), or "" for other nodes.
    pub fn name(&self) -> &str {
        match &self.data {
            Data::Element { name, .. } => &name.local,
            _ => "",
        }
    }

    /// The value of attribute `name`, if the element has it.
    pub fn attr(&self, name: &str) -> Option<&str> {
        match &self.data {
            Data::Element { attrs, .. } => attrs
                .iter()
                .find(|a| &*a.name.local == name)
                .map(|a| &*a.value),
            _ => None,
        }
    }
}

/// A handle the tree builder holds: the node's index, and an element's name (the
/// builder asks for names while it changes the tree, so they live outside the arena).
#[derive(Clone)]
pub struct Handle {
    id: Id,
    name: Option<Rc<QualName>>,
}

/// The tree builder's sink: the arena being filled.
pub struct Dom {
    nodes: RefCell<Vec<Node>>,
    line: Cell<u64>,
}

impl Dom {
    pub fn new() -> Dom {
        Dom {
            nodes: RefCell::new(vec![Node {
                data: Data::Document,
                parent: None,
                children: Vec::new(),
                line: 1,
            }]),
            line: Cell::new(1),
        }
    }

    fn push(&self, data: Data) -> Id {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            data,
            parent: None,
            children: Vec::new(),
            line: self.line.get() as usize,
        });
        nodes.len() - 1
    }

    fn detach(nodes: &mut [Node], id: Id) {
        if let Some(parent) = nodes[id].parent.take() {
            nodes[parent].children.retain(|&c| c != id);
        }
    }

    /// Inserts `child` into `parent` at `at` (its children's index), merging text into
    /// a text node just before it.
    fn insert(&self, parent: Id, at: usize, child: NodeOrText<Handle>) {
        let text = match child {
            NodeOrText::AppendText(t) => t,
            NodeOrText::AppendNode(h) => {
                let mut nodes = self.nodes.borrow_mut();
                Self::detach(&mut nodes, h.id);
                let at = at.min(nodes[parent].children.len());
                nodes[parent].children.insert(at, h.id);
                nodes[h.id].parent = Some(parent);
                return;
            }
        };
        {
            let mut nodes = self.nodes.borrow_mut();
            let at = at.min(nodes[parent].children.len());
            if let Some(&before) = at
                .checked_sub(1)
                .and_then(|i| nodes[parent].children.get(i))
            {
                if let Data::Text(s) = &mut nodes[before].data {
                    s.push_str(&text);
                    return;
                }
            }
        }
        // (the builder hears of a text once the tokenizer has read past it: its line
        // is the current one less the line breaks inside it)
        let id = self.push(Data::Text(text.to_string()));
        let breaks = text.bytes().filter(|&b| b == b'\n').count();
        {
            let mut nodes = self.nodes.borrow_mut();
            nodes[id].line = nodes[id].line.saturating_sub(breaks).max(1);
        }
        let mut nodes = self.nodes.borrow_mut();
        let at = at.min(nodes[parent].children.len());
        nodes[parent].children.insert(at, id);
        nodes[id].parent = Some(parent);
    }

    fn position(&self, id: Id) -> Option<(Id, usize)> {
        let nodes = self.nodes.borrow();
        let parent = nodes[id].parent?;
        let at = nodes[parent].children.iter().position(|&c| c == id)?;
        Some((parent, at))
    }
}

impl TreeSink for Dom {
    type Handle = Handle;
    type Output = Vec<Node>;
    type ElemName<'a> = ExpandedName<'a>;

    fn finish(self) -> Vec<Node> {
        self.nodes.into_inner()
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        Handle { id: 0, name: None }
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> ExpandedName<'a> {
        // (the builder asks only for elements' names; a name-less handle reads as a
        // `<none>` element rather than a panic)
        static NONE: std::sync::OnceLock<QualName> = std::sync::OnceLock::new();
        match &target.name {
            Some(name) => name.expanded(),
            None => NONE
                .get_or_init(|| QualName::new(None, ns!(), "none".into()))
                .expanded(),
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        let name = Rc::new(name);
        let template = flags.template.then(|| self.push(Data::Document));
        let id = self.push(Data::Element {
            name: name.clone(),
            attrs,
            template,
        });
        Handle {
            id,
            name: Some(name),
        }
    }

    fn create_comment(&self, text: StrTendril) -> Handle {
        let _ = text;
        let id = self.push(Data::Comment);
        Handle { id, name: None }
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        let id = self.push(Data::Comment);
        Handle { id, name: None }
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.insert(parent.id, usize::MAX, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        if self.nodes.borrow()[element.id].parent.is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Handle) -> Handle {
        let id = match &self.nodes.borrow()[target.id].data {
            Data::Element {
                template: Some(t), ..
            } => *t,
            _ => target.id,
        };
        Handle { id, name: None }
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        x.id == y.id
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        if let Some((parent, at)) = self.position(sibling.id) {
            // (a node moved here leaves its old place first; the sibling's index is
            // taken again after that)
            if let NodeOrText::AppendNode(h) = &new_node {
                Self::detach(&mut self.nodes.borrow_mut(), h.id);
            }
            let at = self.position(sibling.id).map_or(at, |(_, at)| at);
            self.insert(parent, at, new_node);
        }
    }

    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        if let Data::Element { attrs: have, .. } = &mut self.nodes.borrow_mut()[target.id].data {
            for a in attrs {
                if !have.iter().any(|h| h.name == a.name) {
                    have.push(a);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &Handle) {
        Self::detach(&mut self.nodes.borrow_mut(), target.id);
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        let mut nodes = self.nodes.borrow_mut();
        let children = std::mem::take(&mut nodes[node.id].children);
        for &c in &children {
            nodes[c].parent = Some(new_parent.id);
        }
        nodes[new_parent.id].children.extend(children);
    }

    fn set_current_line(&self, line_number: u64) {
        self.line.set(line_number);
    }
}

/// Parses `html` into the arena; node 0 is the document.
pub fn parse(html: &str) -> Vec<Node> {
    use html5ever::tendril::TendrilSink;
    html5ever::parse_document(Dom::new(), Default::default()).one(html)
}
