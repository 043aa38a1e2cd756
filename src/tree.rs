//! The document tree: plain serde data, the contract every renderer reads.
//!
//! In: built by [`crate::build`]. Out: serialised as JSON by `yakkan parse`.
//!
//! Every node has a [`Kind`], a stable `id` (Akoma Ntoso style, see ARCHITECTURE.md),
//! the 1-based source `line` where it starts and `end_line` where its content ends.
//! Text fields hold the original characters (wrapped lines joined, nothing normalized).
//! Optional fields that do not apply are left out of the JSON rather than set to null.

pub use crate::defs::{DefKind, Definition, Scope};
pub use crate::refs::{Law, Reading, RefKind, Reference, Relation};
use serde::{Deserialize, Serialize};

/// The kinds of node; the same names are used in code, JSON and docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// 編
    Part,
    /// 章
    Chapter,
    /// 節
    Section,
    /// 款
    Subsection,
    /// 目
    Division,
    /// 条
    Article,
    /// 項 (paragraph 1 exists even when unnumbered)
    Paragraph,
    /// 号
    Item,
    /// イ, (ア), a … under an item (and under a sub-item, for deeper levels)
    Subitem,
    /// a table inside a paragraph (the 用語の定義 table); `heading` is its header row
    Table,
    /// one row of a table, as laid out in the source
    Row,
    /// text before the first structural heading that is not metadata
    Preamble,
    /// a table of contents (目次): `heading` is the 目次 line, `text` its entries
    Toc,
    /// one block of the 附則 (amendment history): `suppl_N`
    Supplement,
    /// an appendix table (別表): `label` `別表第一`, `title`, `heading` the whole line
    /// (with the articles it relates to, `（第一条、第六条関係）`); its rows in a table
    Appendix,
}

impl Kind {
    /// How many kinds there are (`kind as usize` is below this).
    pub const COUNT: usize = 15;

    /// The kind's name: the same as in the JSON (`"article"`), and the CSS class of its
    /// element on a site page.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Part => "part",
            Kind::Chapter => "chapter",
            Kind::Section => "section",
            Kind::Subsection => "subsection",
            Kind::Division => "division",
            Kind::Article => "article",
            Kind::Paragraph => "paragraph",
            Kind::Item => "item",
            Kind::Subitem => "subitem",
            Kind::Table => "table",
            Kind::Row => "row",
            Kind::Preamble => "preamble",
            Kind::Toc => "toc",
            Kind::Supplement => "supplement",
            Kind::Appendix => "appendix",
        }
    }

    /// The ID segment prefix for this kind.
    pub fn id_prefix(self) -> &'static str {
        match self {
            Kind::Part => "part",
            Kind::Chapter => "chp",
            Kind::Section => "sec",
            Kind::Subsection => "subsec",
            Kind::Division => "div",
            Kind::Article => "art",
            Kind::Paragraph => "para",
            Kind::Item => "item",
            Kind::Subitem => "subitem",
            Kind::Table => "table",
            Kind::Row => "row",
            Kind::Preamble => "preamble",
            Kind::Toc => "toc",
            Kind::Supplement => "suppl",
            Kind::Appendix => "appdx",
        }
    }
}

/// One node of the tree.
///
/// (`repr(C)` lays the fields out in the order declared, which is also the JSON's: `kind`
/// and `id`, which every walk of the tree reads, share the node's first cache line instead
/// of `kind` going last. On the 100× benchmark document that took 2.6% of the simulated
/// L2 read misses of a parse away.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[repr(C)]
pub struct Node {
    pub kind: Kind,
    pub id: String,
    /// normalized number: `"13"`, `"36-2"`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num: Option<String>,
    /// the number as printed: `第 13 条`, `2`, `(1)`; absent for an unnumbered paragraph
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// chapter title, article caption without its brackets (a paragraph's, in a 附則:
    /// `施行期日`), appendix title
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// the heading line(s) exactly as printed: `第 13 条（申込の拒絶）`; for a statute
    /// article whose caption stands on the line above: `（目的）\n第一条`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// the node's own text, original characters, wrapped lines joined
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// the cells of a table row, original characters: `[term, definition]`
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<String>,
    /// the columns and rows each cell spans, `[[2, 1], [1, 1]]`, when a reader's table
    /// (HTML `colspan`/`rowspan`, e-Gov XML, Word `gridSpan`/`vMerge`) has a cell
    /// spanning more than one
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<[u16; 2]>,
    /// ISO date of a 附則 entry: `2004-07-01`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// the date as printed: `平成 16年 7月 1日`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_text: Option<String>,
    /// (articles) `第五条　削除`: the article was deleted and only its number stands; one
    /// node per number of `第四条及び第五条　削除` or `第百二十一条から第百二十二条まで　削除`
    #[serde(default, skip_serializing_if = "is_false")]
    pub deleted: bool,
    pub line: usize,
    pub end_line: usize,
    /// IDs of the nodes whose references point here (backlinks)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referenced_by: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

fn is_false(b: &bool) -> bool {
    !b
}

impl Node {
    pub fn new(kind: Kind, id: String, line: usize) -> Self {
        Node {
            kind,
            id,
            num: None,
            label: None,
            title: None,
            heading: None,
            text: None,
            cells: Vec::new(),
            spans: Vec::new(),
            date: None,
            date_text: None,
            deleted: false,
            line,
            end_line: line,
            referenced_by: Vec::new(),
            children: Vec::new(),
        }
    }

    /// This node and all its descendants, depth first, in document order.
    pub fn walk(&self) -> Vec<&Node> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.walk());
        }
        out
    }
}

/// Document metadata read from the front matter and page footers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// ISO date the document is current as of: `2025-07-18`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// as printed: `令和 7年 7月 18日現在`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// document code from the page footers: `IIJ-REG001-0040`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_code: Option<String>,
}

/// The 附則: an optional heading line (`附則`) and its entries in document order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supplementary {
    /// the lone `附則` line as printed, when the entries follow it as dated blocks
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    pub line: usize,
    pub entries: Vec<Node>,
}

/// A parsed terms document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub meta: Meta,
    pub body: Vec<Node>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplementary: Option<Supplementary>,
    /// defined terms, in document order (see `defs`)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub definitions: Vec<Definition>,
    /// every reference, in document order (see `refs`)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
}

impl Document {
    /// How many nodes the body and the 附則 hold (to size what is collected per node).
    pub fn node_count(&self) -> usize {
        fn count(nodes: &[Node]) -> usize {
            nodes.iter().map(|n| 1 + count(&n.children)).sum()
        }
        let suppl = self.supplementary.as_ref().map_or(0, |s| count(&s.entries));
        count(&self.body) + suppl
    }

    /// The body split where the 附則 starts: the main provisions, and what is printed
    /// after the 附則 (the appendices, 別表, of a statute). Shown in the document's order:
    /// the first part, the 附則, the second part.
    pub fn body_parts(&self) -> (&[Node], &[Node]) {
        let at = match &self.supplementary {
            Some(s) => self.body.partition_point(|n| n.line < s.line),
            None => self.body.len(),
        };
        self.body.split_at(at)
    }

    /// Every node of the body and the 附則, depth first, in document order.
    pub fn nodes(&self) -> Vec<&Node> {
        let (main, after) = self.body_parts();
        let suppl = self.supplementary.iter().flat_map(|s| s.entries.iter());
        main.iter()
            .chain(suppl)
            .chain(after)
            .flat_map(|n| n.walk())
            .collect()
    }

    /// The node with this ID. (A walk of the tree: to look up many, use [`Self::by_id`].)
    pub fn find(&self, id: &str) -> Option<&Node> {
        self.nodes().into_iter().find(|n| n.id == id)
    }

    /// Every node by its ID.
    pub fn by_id(&self) -> rustc_hash::FxHashMap<&str, &Node> {
        self.nodes()
            .into_iter()
            .map(|n| (n.id.as_str(), n))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_are_the_json_names() {
        use Kind::*;
        let all = [
            Part, Chapter, Section, Subsection, Division, Article, Paragraph, Item, Subitem, Table,
            Row, Preamble, Toc, Supplement, Appendix,
        ];
        assert_eq!(all.len(), Kind::COUNT);
        for k in all {
            assert_eq!(serde_json::to_value(k).unwrap(), k.name());
            assert!((k as usize) < Kind::COUNT);
        }
    }
}
