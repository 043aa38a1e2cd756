//! Tree building: classified lines → [`Document`].
//!
//! In: the logical lines of [`crate::layout`], each classified by [`crate::classify`].
//! Out: the [`Document`] and diagnostics for every decision worth a human's look.
//!
//! A stack of open nodes, outermost first: containers (編 章 節 款 目), then an article
//! or a 附則 entry, a paragraph, items and sub-items, or a table. A line of a given rank
//! closes every open node of the same or a deeper rank, then opens its own node.
//!
//! - Lines before the first heading are front matter: the title, the `…現在` date, the
//!   publisher; anything else becomes a `preamble` node.
//! - Text right after an article heading is paragraph 1, which always exists.
//! - A paragraph number is accepted when it is greater than the last one (a jump is a
//!   `numbering-gap`); otherwise the line stays text of the open node (`unparsed-line`).
//! - Items take the marker family of the first item in the paragraph; a line of another
//!   family opens a sub-item level under the open item.
//! - A table header line (`用語 用語の意味`) after a paragraph ending in `。` or `：`
//!   opens a table; every following line up to the next structural line is a row.
//! - A paragraph or item that announces a table (`次の表`) opens a grid table: one row
//!   per line, cells at ideographic spaces, up to the line that continues the numbering
//!   outside it (`tables.rs`). `別表…` starts an appendix, whose lines are its rows.
//! - A line without a number after a finished sentence, in an article whose paragraphs
//!   print none, is the next paragraph; after a lead announcing a list, bare lines are
//!   its items, nested by indentation (`bare_line`).
//! - With no 第N条 in the whole document, its outermost `1.` list numbers the articles.
//! - Rows displaced by PDF extraction: when, after a table, an article heading is
//!   followed by several unnumbered lines that are all narrower than 80% of the body's
//!   wrap width (table-column text), before a last line that is wider (the paragraph),
//!   those lines are rows of the last table; they are moved back (`row-moved`).
//! - After `附則`, each dated line (`平成16年7月1日変更`) or further `附則` line starts an
//!   entry `suppl_N`; the lone `附則` before dated blocks is the section's heading.

use crate::classify::{classify, Class, Family, Level, Num};
use crate::diag::Diagnostic;
use crate::era;
use crate::layout::{Layout, Line};
use crate::normalize;
use crate::table;
use crate::tree::{Document, Kind, Meta, Node, Supplementary};
use rustc_hash::FxHashMap as HashMap;
use std::collections::VecDeque;
use std::fmt;

mod front;
mod ids;
mod items;
mod numbering;
mod paragraphs;
mod supplementary;
mod tables;

use numbering::{gap, LastNumbers};

/// Rank on the stack: lower ranks enclose higher ones.
fn rank(kind: Kind) -> u8 {
    match kind {
        Kind::Part => 0,
        Kind::Chapter => 1,
        Kind::Section => 2,
        Kind::Subsection => 3,
        Kind::Division => 4,
        Kind::Supplement => 4,
        Kind::Article | Kind::Preamble | Kind::Toc | Kind::Appendix => 5,
        Kind::Paragraph => 6,
        Kind::Table => 7,
        Kind::Item => 7,
        Kind::Subitem => 8,
        Kind::Row => 20,
    }
}

fn level_kind(level: Level) -> Kind {
    match level {
        Level::Part => Kind::Part,
        Level::Chapter => Kind::Chapter,
        Level::Section => Kind::Section,
        Level::Subsection => Kind::Subsection,
        Level::Division => Kind::Division,
    }
}

/// An open node and what its next child must look like.
struct Open {
    /// the node's kind (the node itself is in `Builder::done`)
    kind: Kind,
    /// where the node is in `Builder::done`: its finished children follow it
    at: usize,
    /// sub-item depth (0 for items); rank is `rank(kind) + depth`
    depth: u8,
    /// the family and kana order of this node's own marker (items, sub-items)
    family: Option<(Family, Option<&'static str>)>,
    /// last number of each child kind opened under this node
    last_child: LastNumbers,
    tables: u32,
    /// (articles) the indent of the `1.` list that numbers this article's paragraphs
    list_indent: Option<u16>,
    /// (paragraphs, items) the indent of the line that opened the node
    indent: u16,
}

impl Open {
    fn rank(&self) -> u8 {
        rank(self.kind) + self.depth
    }

    /// Whether the node is an item or sub-item of marker family `family`.
    fn is(&self, family: Family) -> bool {
        self.family.is_some_and(|(f, _)| f == family)
    }
}

/// The lines of one table, collected while building; rows are recovered at the end,
/// once rows displaced after a later heading have been added back.
struct TableLines {
    id: String,
    /// the header line, where the table node starts
    line: usize,
    lines: Vec<usize>,
    /// displaced line index → label of the article it stood after
    displaced: HashMap<usize, String>,
}

struct Builder<'a> {
    lines: &'a [Line<'a>],
    /// the widest piece that continued on the next line: the body text width
    wrap_width: Option<usize>,
    doc: Document,
    diags: Vec<Diagnostic>,
    stack: Vec<Open>,
    /// The open nodes and the finished nodes whose parent is still open, in document
    /// order: each open node is followed by its finished children, then by its open
    /// child, if any. A node's children are moved into a vector of their exact number
    /// when it closes. (Pushed one by one into a growing vector, nodes were copied again
    /// at every growth: building took ~7% longer. Kept on the stack itself, an open node
    /// was copied into the stack, out of it, and into this vector before its parent's.)
    done: Vec<Node>,
    ids: ids::IdSet,
    /// the last `_dupN` suffix given per base ID
    dups: HashMap<String, u32>,
    /// last number per kind at top level (articles, containers without parent, entries)
    top_last: LastNumbers,
    /// number, label and line of the last article of the body
    last_article: Option<(Num, String, usize)>,
    in_suppl: bool,
    tables: Vec<TableLines>,
    preambles: u32,
    /// how many nodes at the start of the body are preambles (see `is_front`)
    leading_preambles: std::cell::Cell<usize>,
    /// the open table of contents and the heading that ends it (its first entry
    /// without the bracketed article range)
    toc: Option<(Node, String)>,
    /// classes of lines ahead of the one being read, computed by a look ahead
    /// (`displaced_rows`), in line order: each line is classified once
    peeked: VecDeque<(usize, Class<'a>)>,
    /// the open grid table (`次の表…` and one row per line), when the innermost open
    /// node is one
    grid: Option<tables::Grid>,
    /// appendices (別表) so far
    appendices: u32,
    /// date lines of the front matter read before the title
    dated_front: u32,
    /// (documents without 第N条) the indent of the `1.` entries read as articles, once
    /// they are; whether the document has article headings, once looked for
    list_articles: Option<u16>,
    has_articles: Option<bool>,
    /// the heading level whose headings are the articles of a document without 第N条
    /// (0: none), once asked
    heading_articles: Option<u8>,
    /// a caption line (line, as printed, title) for the paragraph about to open
    caption: Option<(usize, String, String)>,
}

/// Builds the tree from recovered lines.
pub fn build(layout: &Layout) -> (Document, Vec<Diagnostic>) {
    let (doc, diags, _) = build_counted(layout);
    (doc, diags)
}

/// [`build`], with how many nodes the tree holds (the resolve stages size their lists
/// and index by it: counting them again took two walks of the whole tree).
pub(crate) fn build_counted(layout: &Layout) -> (Document, Vec<Diagnostic>, usize) {
    let mut b = Builder {
        lines: &layout.lines,
        wrap_width: layout.wrap_width,
        doc: Document {
            meta: Meta {
                doc_code: layout.doc_code.clone(),
                title: layout.title.clone(),
                // (an ISO date as Markdown front matter writes it: `2022-02-01`)
                as_of: layout.date.as_deref().and_then(era::written_iso),
                as_of_text: layout.date.clone(),
                ..Meta::default()
            },
            ..Document::default()
        },
        diags: Vec::new(),
        stack: Vec::new(),
        done: Vec::new(),
        // (most lines make one node; rows and items can make more, and the set grows)
        ids: ids::IdSet::with_capacity(layout.lines.len()),
        dups: HashMap::default(),
        top_last: LastNumbers::default(),
        last_article: None,
        in_suppl: false,
        tables: Vec::new(),
        preambles: 0,
        leading_preambles: Default::default(),
        toc: None,
        peeked: VecDeque::new(),
        grid: None,
        appendices: 0,
        caption: None,
        dated_front: 0,
        list_articles: None,
        has_articles: None,
        heading_articles: None,
    };
    let mut i = 0;
    while i < b.lines.len() {
        i = b.line(i);
    }
    if let Some((node, _)) = b.toc.take() {
        b.doc.body.push(node);
    }
    b.close_to(0);
    b.assemble_tables();
    b.effective_dates();
    b.diags.extend(numbering::scheme(&b.doc.body));
    (b.doc, b.diags, b.ids.len())
}

impl<'a> Builder<'a> {
    /// Handles line `i`; returns the index of the next line to handle.
    fn line(&mut self, i: usize) -> usize {
        let line = &self.lines[i];
        let class = self.class_of(i);
        if matches!(class, Class::Text) {
            if let Some(numeral) = crate::classify::unreadable_number(&line.text) {
                let msg = format!(
                    "`{}`: the number {numeral} cannot be read (too large or malformed); the line is not a heading",
                    short(&line.text)
                );
                self.diags
                    .push(Diagnostic::warning("invalid-number", line.line, msg));
            }
        }
        if self.toc_line(line, &class) {
            return i + 1;
        }
        // (a row a reader marked: a table wherever it stands under a provision)
        if line.row.is_some() {
            if self.grid.is_some() {
                self.grid_row(line);
                return i + 1;
            }
            if self.grid_may_open_here(line.indent) {
                // (a first row that text would read as a table's header line,
                // `用語　用語の意味` under a paragraph announcing no 表, is the table's
                // heading, as it is in text)
                let header = matches!(class, Class::TableHeader)
                    && self.table_may_start()
                    && !self.grid_may_start(line, &class);
                self.open_grid(line, header);
                return i + 1;
            }
        }
        if self.grid.as_ref().is_some_and(|g| g.marked) {
            self.close_grid();
        }
        if self.grid.is_some() {
            if self.is_grid_row(&class) {
                self.grid_row(line);
                return i + 1;
            }
            self.close_grid();
        } else if !self.table_open() && self.grid_may_start(line, &class) {
            self.open_grid(line, false);
            return i + 1;
        }
        if self.table_open() && !is_structural(&class) {
            self.tables
                .last_mut()
                .expect("a table is open")
                .lines
                .push(i);
            return i + 1;
        }
        match class {
            // `第8章 附則`: a chapter named 附則 is the 附則
            Class::Heading { title, .. } if !self.in_suppl && is_suppl_title(title) => {
                self.suppl(i, "")
            }
            Class::Heading {
                level,
                num,
                label,
                title,
            } if !self.in_suppl => self.heading(line, level, num, label, title),
            Class::Article {
                num,
                label,
                heading,
                caption,
                body,
            } => {
                return self.article(i, None, num, label, heading, caption, body);
            }
            Class::Caption { title } => {
                if let Some(next) = self.lines.get(i + 1) {
                    match classify(&next.text) {
                        Class::Article {
                            num,
                            label,
                            heading,
                            caption: None,
                            body,
                        } => {
                            return self.article(
                                i + 1,
                                Some((line, title)),
                                num,
                                label,
                                heading,
                                None,
                                body,
                            );
                        }
                        // (a 附則's paragraphs carry captions of their own: `（施行期日）`
                        // above `１　この政令は…`)
                        Class::Paragraph { num, label, body }
                            if self.opens_paragraph(num, label) =>
                        {
                            self.caption =
                                Some((line.line, line.text.to_string(), title.to_string()));
                            self.paragraph(next, num, label, body);
                            debug_assert!(self.caption.is_none(), "the paragraph took its caption");
                            return i + 2;
                        }
                        _ => {}
                    }
                }
                self.text(line);
            }
            Class::Paragraph { label, body, .. } if self.list_article_here(i, label) => {
                return self.list_article(i, label, body);
            }
            Class::Text if self.heading_article_here(i) => {
                return self.heading_article(i);
            }
            Class::Paragraph { num, label, body } => self.paragraph(line, num, label, body),
            Class::Item {
                family,
                marker,
                label,
                body,
            } => self.item(line, family, marker, label, body),
            Class::Suppl { rest } => self.suppl(i, rest),
            Class::Appendix { num, label, title } => self.appendix(line, num, label, title),
            Class::Deleted {
                nums,
                range,
                label,
                heading,
                body,
            } => self.deleted(line, nums, range, (label, heading, body)),
            // (a date alone, with no 変更 or 施行 after it, starts an entry only where
            // the 附則 is a list of dated blocks; elsewhere it is a signature's date)
            Class::Dated {
                date,
                date_text,
                suffix,
            } if self.in_suppl && (!suffix.is_empty() || self.dated_blocks()) => {
                self.entry(line, Some((date, date_text)))
            }
            Class::Dated {
                date,
                date_text,
                suffix,
            } if self.is_front() && suffix.contains("現在") => {
                self.doc.meta.as_of_text = Some(line.text.to_string());
                self.doc.meta.as_of = self.iso(date, date_text, line.line);
            }
            Class::TableHeader if self.table_may_start() => self.open_table(line),
            _ => self.text(line),
        }
        i + 1
    }

    /// The class of line `i`, from the look ahead when it got there.
    fn class_of(&mut self, i: usize) -> Class<'a> {
        // (lines the look ahead passed and a table took are never read)
        while self.peeked.front().is_some_and(|&(j, _)| j < i) {
            self.peeked.pop_front();
        }
        match self.peeked.front() {
            Some(&(j, _)) if j == i => self.peeked.pop_front().expect("front exists").1,
            _ => classify(&self.lines[i].text),
        }
    }

    /// Whether the front matter goes on: nothing open, not in the 附則, and only
    /// preambles in the body so far.
    fn is_front(&self) -> bool {
        // The body only grows, so its leading run of preambles is extended from where
        // the last call stopped (checking the whole body each time was quadratic).
        let body = &self.doc.body;
        let mut run = self.leading_preambles.get();
        while run < body.len() && body[run].kind == Kind::Preamble {
            run += 1;
        }
        self.leading_preambles.set(run);
        self.stack.is_empty() && run == body.len() && !self.in_suppl
    }

    fn table_open(&self) -> bool {
        self.stack.last().is_some_and(|o| o.kind == Kind::Table)
    }

    fn table_may_start(&self) -> bool {
        self.stack.last().is_some_and(|o| {
            o.kind == Kind::Paragraph
                && o.at + 1 == self.done.len() // no child yet
                && self.done[o.at]
                    .text
                    .as_deref()
                    .is_some_and(|t| t.ends_with(['。', '：', ':']))
        })
    }

    fn iso(&mut self, date: era::EraDate, text: &str, line: usize) -> Option<String> {
        match date.to_iso() {
            Ok(iso) => Some(iso),
            Err(why) => {
                self.diags.push(Diagnostic::error(
                    "invalid-date",
                    line,
                    format!("`{text}`: {why}"),
                ));
                None
            }
        }
    }

    /// Opens `node` under the innermost open node; returns its entry on the stack.
    fn open(&mut self, node: Node) -> &mut Open {
        self.stack.push(Open {
            kind: node.kind,
            at: self.done.len(),
            depth: 0,
            family: None,
            last_child: LastNumbers::default(),
            tables: 0,
            list_indent: None,
            indent: 0,
        });
        self.done.push(node);
        self.stack.last_mut().expect("just pushed")
    }

    /// Pops every open node whose rank is `r` or deeper, attaching each to its parent.
    fn close_to(&mut self, r: u8) {
        while self.stack.last().is_some_and(|o| o.rank() >= r) {
            let open = self.stack.pop().expect("checked non-empty");
            let children: Vec<Node> = self.done.drain(open.at + 1..).collect();
            let node = &mut self.done[open.at];
            // A node ends where its last-ending child ends (the children are closed, so
            // their end lines are final; rows placed later extend them, see `tables`).
            let children_end = children.iter().map(|c| c.end_line).max();
            node.end_line = node.end_line.max(children_end.unwrap_or(0));
            node.children = children;
            // (a node under an open parent stays where it is, among that parent's children)
            if self.stack.is_empty() {
                let node = self.done.pop().expect("the node just closed");
                debug_assert!(self.done.is_empty(), "only open nodes' children wait");
                match node.kind {
                    Kind::Supplement => self
                        .doc
                        .supplementary
                        .get_or_insert_with(Supplementary::default)
                        .entries
                        .push(node),
                    _ => self.doc.body.push(node),
                }
            }
        }
    }

    /// A node numbered `num`, starting on source line `start` and ending where `line` ends,
    /// with its unique ID under the innermost open node.
    fn numbered(&mut self, kind: Kind, num: String, start: usize, line: &Line) -> Node {
        let mut node = Node::new(kind, self.child_id(kind, &num, start), start);
        node.end_line = line.end_line;
        node.num = Some(num);
        node
    }

    fn heading(&mut self, line: &Line, level: Level, num: Num, label: &str, title: &str) {
        let kind = level_kind(level);
        self.close_to(rank(kind));
        if num.branches.is_empty() {
            self.check_sequence(kind, num.main, format_args!("{label}"), line.line);
        }
        let mut node = self.numbered(kind, num.to_id(), line.line, line);
        node.label = Some(label.to_string());
        node.title = (!title.is_empty()).then(|| title.to_string());
        node.heading = Some(line.text.to_string());
        self.open(node);
    }

    #[allow(clippy::too_many_arguments)]
    fn article(
        &mut self,
        i: usize,
        caption_line: Option<(&Line, &str)>,
        num: Num,
        label: &str,
        heading: &str,
        caption: Option<&str>,
        body: &str,
    ) -> usize {
        let line = &self.lines[i];
        self.close_to(5);
        if self.in_suppl {
            if num.branches.is_empty() {
                self.check_sequence(Kind::Article, num.main, format_args!("{label}"), line.line);
            }
        } else {
            self.check_article_order(&num, label, line.line);
            self.last_article = Some((num.clone(), label.to_string(), line.line));
        }
        let start = caption_line.map_or(line.line, |(l, _)| l.line);
        let mut node = self.numbered(Kind::Article, num.to_id(), start, line);
        node.label = Some(label.to_string());
        node.title = caption.or(caption_line.map(|(_, t)| t)).map(str::to_string);
        node.heading = Some(match caption_line {
            Some((l, _)) => format!("{}\n{heading}", l.text),
            None => heading.to_string(),
        });
        self.open(node);
        if !body.is_empty() {
            self.open_paragraph(line, 1, None, body);
        }
        i + 1 + self.displaced_rows(i + 1)
    }

    /// Deleted articles: one node per number (a range's numbers in between too, at most
    /// [`MAX_DELETED_RANGE`]), each marked `deleted`. The first holds the numbers as its
    /// heading and `削除` as its paragraph, as e-Gov writes a deleted article.
    fn deleted(&mut self, line: &Line, nums: Vec<Num>, range: bool, printed: (&str, &str, &str)) {
        let (label, heading, body) = printed;
        let nums = match (range, &nums[..]) {
            (true, [from, to])
                if from.branches.is_empty()
                    && to.branches.is_empty()
                    && from.main < to.main
                    && to.main - from.main <= MAX_DELETED_RANGE =>
            {
                (from.main..=to.main)
                    .map(|main| Num {
                        main,
                        branches: Vec::new(),
                    })
                    .collect()
            }
            (true, _) => {
                self.diags.push(Diagnostic::warning(
                    "invalid-number",
                    line.line,
                    format!(
                        "`{}`: the range cannot be expanded (backwards, branch numbers or over {MAX_DELETED_RANGE} articles); its two ends are kept",
                        short(&line.text)
                    ),
                ));
                nums
            }
            _ => nums,
        };
        for (k, num) in nums.into_iter().enumerate() {
            self.close_to(5);
            let shown = if k == 0 {
                label.to_string()
            } else {
                format!("第{}条", num.to_id())
            };
            if self.in_suppl {
                if num.branches.is_empty() {
                    self.check_sequence(
                        Kind::Article,
                        num.main,
                        format_args!("{shown}"),
                        line.line,
                    );
                }
            } else {
                self.check_article_order(&num, &shown, line.line);
                self.last_article = Some((num.clone(), shown, line.line));
            }
            let mut node = self.numbered(Kind::Article, num.to_id(), line.line, line);
            if k == 0 {
                node.label = Some(label.to_string());
                node.heading = Some(heading.to_string());
            }
            node.deleted = true;
            self.open(node);
            if k == 0 {
                self.open_paragraph(line, 1, None, body);
            }
        }
    }
}

/// Whether a heading's title names the 附則 (`第8章 附則`, `第8章　付則`).
fn is_suppl_title(title: &str) -> bool {
    let mut chars = title.chars().filter(|c| !c.is_whitespace());
    matches!(chars.next(), Some('附' | '付'))
        && chars.next() == Some('則')
        && chars.next().is_none()
}

/// The most articles a deleted range (`第一条から第千条まで　削除`) is expanded to.
const MAX_DELETED_RANGE: u32 = 1000;

fn is_structural(class: &Class) -> bool {
    !matches!(
        class,
        Class::Text | Class::TableHeader | Class::Dated { .. }
    )
}

/// A number as decimal digits. (`to_string` goes through the formatting machinery, which
/// was most of the cost of a 附則 entry's number and ID.)
fn decimal(n: impl itoa::Integer) -> String {
    itoa::Buffer::new().format(n).to_string()
}

/// The first 20 characters of a line, for messages.
fn short(s: &str) -> String {
    let mut out: String = s.chars().take(20).collect();
    if s.chars().count() > 20 {
        out.push('…');
    }
    out
}
