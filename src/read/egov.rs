//! e-Gov 法令標準XML → logical lines, as e-Gov prints the law.
//!
//! In: the XML of a law: a bare `<Law>`, the API v1 `<DataRoot>` wrapper, the API v2
//! `<law_data_response>` wrapper, or a bare `<MainProvision>`. Out: one line per
//! provision as the law is printed, so the text parser (the one place where Japanese
//! numbering is understood) builds the tree it builds from e-Gov's text:
//! - the title, the law number in brackets (`（昭和三十九年法律第百七十号）`), the
//!   enacting statement and the table of contents (each title with its article range);
//! - `<Part>` … `<Division>`: the title line (`第一章　総則`);
//! - `<Article>`: the caption line, then the article title and its first paragraph's
//!   sentences on one line (`第一条　この法律は…`); a later paragraph is its number and
//!   sentences (`２　前項の…`), after its caption if it has one;
//! - `<Item>`, `<Subitem1>` … `<Subitem10>`: title and sentence (`一　小売供給　一般の…`:
//!   a sentence's columns are joined by an ideographic space, as e-Gov prints them);
//! - `<TableStruct>`: one row line per `<TableRow>` (`Line::row`: its cells with their
//!   `colspan` and `rowspan`); its title and remarks as lines;
//! - `<SupplProvision>`: `附　則　（平成十一年十二月八日法律第百五十一号）　抄` from its
//!   label, `AmendLawNum` and `Extract`, then its provisions;
//! - `<AppdxTable>` and the other appendices: the title with its related articles
//!   (`別表第一　（第二条関係）`), then their tables, items and remarks.
//!
//! Ruby readings (`<Rt>`) are kept out of the text and recorded (`ruby`); a figure has no
//! text and is reported (`figure`); the API wrappers' status and metadata are dropped
//! with their text (`markup-dropped`). An XML error ends the reading where it stands,
//! with a warning: the provisions read before it are kept.

use super::xml::{self, Id, Tree};
use super::Lines;
use crate::diag::Diagnostic;
use crate::layout::{Cell, Layout};

const FW: &str = "\u{3000}";

/// Whether `text` looks like e-Gov law XML (its root, after an XML declaration).
pub fn sniff(text: &str) -> bool {
    let head = &text[..text.len().min(2048)];
    [
        "<Law ",
        "<Law>",
        "<DataRoot",
        "<law_data_response",
        "<MainProvision",
    ]
    .iter()
    .any(|root| head.contains(root))
}

/// The logical lines of an e-Gov law XML.
pub fn layout(text: &str) -> Layout<'static> {
    let tree = xml::parse(text);
    let mut r = Reader {
        tree: &tree,
        out: Lines::default(),
        depth: 0,
    };
    if let Some((line, why)) = &tree.error {
        r.out.diagnostics.push(Diagnostic::warning(
            "xml-error",
            *line,
            format!("the XML is not well formed ({why}); read up to line {line}"),
        ));
    }
    let law = tree
        .find(0, "Law")
        .or_else(|| tree.find(0, "MainProvision"));
    match law {
        Some(law) => {
            r.wrapper(0, law);
            if tree.nodes[law].name == "Law" {
                r.law(law);
            } else {
                r.block(law);
            }
        }
        None => {
            r.out.diagnostics.push(Diagnostic::error(
                "not-a-law",
                0,
                "the XML holds no <Law> or <MainProvision>: not e-Gov law XML",
            ));
            let all = tree.text(0);
            r.out.drop_text("the XML's text", &all, 1);
        }
    }
    r.readings(law.unwrap_or(0));
    r.out.into_layout()
}

struct Reader<'t> {
    tree: &'t Tree,
    out: Lines,
    depth: usize,
}

/// Elements that group provisions, with their title element.
const GROUPS: &[&str] = &["Part", "Chapter", "Section", "Subsection", "Division"];

impl Reader<'_> {
    fn name(&self, id: Id) -> &str {
        &self.tree.nodes[id].name
    }

    fn line_of(&self, id: Id) -> usize {
        self.tree.nodes[id].line
    }

    /// The text of `id` as printed: ruby readings out, the XML's own line breaks and
    /// indentation removed.
    fn text(&self, id: Option<Id>) -> String {
        let Some(id) = id else {
            return String::new();
        };
        squash(&self.tree.text_except(id, &["Rt"]))
    }

    /// A sentence element's text: its columns joined by an ideographic space.
    fn sentence(&self, id: Option<Id>) -> String {
        let Some(id) = id else {
            return String::new();
        };
        let columns: Vec<Id> = self.tree.children(id, "Column").collect();
        if columns.is_empty() {
            return self.text(Some(id));
        }
        columns
            .iter()
            .map(|&c| self.text(Some(c)))
            .collect::<Vec<_>>()
            .join(FW)
    }

    fn line(&mut self, text: &str, at: usize) {
        self.out.push(text, at);
        self.out.flush(0);
    }

    /// Drops what a wrapper holds besides the law (API status, metadata), with its text.
    fn wrapper(&mut self, root: Id, law: Id) {
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            if id == law {
                continue;
            }
            let node = &self.tree.nodes[id];
            if node.is_text() {
                if !node.text.trim().is_empty() {
                    let (t, at) = (node.text.clone(), node.line);
                    self.out.drop_text("the API wrapper's metadata", &t, at);
                }
                continue;
            }
            stack.extend(node.children.iter().rev());
        }
    }

    fn law(&mut self, law: Id) {
        let tree = self.tree;
        let num = tree.child(law, "LawNum");
        let body = tree.child(law, "LawBody");
        let title = body.and_then(|b| tree.child(b, "LawTitle"));
        if let Some(t) = title {
            let text = self.text(Some(t));
            self.line(&text, self.line_of(t));
        }
        if let Some(n) = num {
            let text = self.text(Some(n));
            if !text.is_empty() {
                self.line(&format!("（{text}）"), self.line_of(n));
            }
        }
        let Some(body) = body else {
            return;
        };
        for &c in &tree.nodes[body].children {
            if !tree.nodes[c].is_text() && self.name(c) != "LawTitle" {
                self.block(c);
            }
        }
    }

    /// One element at the level of provisions.
    fn block(&mut self, id: Id) {
        // (law XML nests a dozen levels; a file nesting thousands is read flat)
        if self.depth > 64 {
            let (t, at) = (self.text(Some(id)), self.line_of(id));
            self.line(&t, at);
            return;
        }
        self.depth += 1;
        self.block_inner(id);
        self.depth -= 1;
    }

    fn block_inner(&mut self, id: Id) {
        let tree = self.tree;
        let node = &tree.nodes[id];
        let at = node.line;
        let name = node.name.as_str();
        match name {
            "" => {
                let t = squash(&node.text);
                if !t.is_empty() {
                    self.line(&t, at);
                }
            }
            "TOC" => self.toc(id),
            "Article" => self.article(id),
            "Paragraph" => self.paragraph(id, None),
            "SupplProvision" => {
                let label = self.text(tree.child(id, "SupplProvisionLabel"));
                let mut head = label;
                if let Some(amend) = node.attr("AmendLawNum").filter(|a| !a.is_empty()) {
                    head = format!("{head}{FW}（{amend}）");
                }
                if node.attr("Extract") == Some("true") {
                    head = format!("{head}{FW}抄");
                }
                self.line(&head, at);
                self.rest(id, &["SupplProvisionLabel"]);
            }
            "TableStruct" => self.titled(id, "TableStructTitle"),
            "Table" => {
                for &row in &node.children {
                    if matches!(self.name(row), "TableRow" | "TableHeaderRow") {
                        self.row(row);
                    }
                }
            }
            "Remarks" => self.titled(id, "RemarksLabel"),
            "Fig" => {
                let src = node.attr("src").unwrap_or("");
                self.out.diagnostics.push(Diagnostic::info(
                    "figure",
                    at,
                    format!("a figure ({src}) has no text"),
                ));
            }
            "Sentence" => {
                let t = self.text(Some(id));
                self.line(&t, at);
            }
            _ if GROUPS.contains(&name) => self.titled(id, &format!("{name}Title")),
            _ if name == "Item" || is_subitem(name) => self.item(id),
            _ if name.starts_with("Appdx") || name.starts_with("SupplProvisionAppdx") => {
                let title_name = format!("{name}Title");
                let title = self.text(tree.child(id, &title_name));
                let related = self.text(tree.child(id, "RelatedArticleNum"));
                self.line(&spaced(title, related), at);
                self.rest(id, &[&title_name, "RelatedArticleNum"]);
            }
            _ if name.ends_with("Sentence")
                || name.ends_with("Title")
                || name.ends_with("Label") =>
            {
                let t = self.sentence(Some(id));
                if !t.is_empty() {
                    self.line(&t, at);
                }
            }
            _ => self.rest(id, &[]),
        }
    }

    /// The line of `id`'s child `title` (a title or label; none when it is empty), then
    /// the rest of `id`.
    fn titled(&mut self, id: Id, title: &str) {
        let text = self.text(self.tree.child(id, title));
        self.line(&text, self.line_of(id));
        self.rest(id, &[title]);
    }

    /// The children of `id` as blocks, but those named in `skip` (already printed).
    fn rest(&mut self, id: Id, skip: &[&str]) {
        for &c in &self.tree.nodes[id].children {
            let node = &self.tree.nodes[c];
            if skip.contains(&node.name.as_str()) || (node.is_text() && node.text.trim().is_empty())
            {
                continue;
            }
            self.block(c);
        }
    }

    fn toc(&mut self, id: Id) {
        let tree = self.tree;
        let mut stack: Vec<Id> = tree.nodes[id].children.iter().rev().copied().collect();
        while let Some(c) = stack.pop() {
            let name = self.name(c).to_string();
            if name == "TOCLabel" || name == "TOCPreambleLabel" {
                let t = self.text(Some(c));
                self.line(&t, self.line_of(c));
            } else if name.starts_with("TOC") {
                // a title (`第一章　総則`, `附則`) with its article range on one line
                let mut head = String::new();
                for &part in &tree.nodes[c].children {
                    let n = self.name(part);
                    if n.ends_with("Title") || n.ends_with("Label") || n == "ArticleRange" {
                        head.push_str(&self.text(Some(part)));
                    }
                }
                if !head.is_empty() {
                    self.line(&format!("{FW}{head}"), self.line_of(c));
                }
                for &sub in tree.nodes[c].children.iter().rev() {
                    if self.name(sub).starts_with("TOC") {
                        stack.push(sub);
                    }
                }
            }
        }
    }

    fn article(&mut self, id: Id) {
        let tree = self.tree;
        if let Some(cap) = tree.child(id, "ArticleCaption") {
            let t = self.text(Some(cap));
            self.line(&t, self.line_of(cap));
        }
        let title = self.text(tree.child(id, "ArticleTitle"));
        let mut first = true;
        for &c in &tree.nodes[id].children {
            match self.name(c) {
                "ArticleCaption" | "ArticleTitle" | "" => {}
                "Paragraph" if first => {
                    first = false;
                    self.paragraph(c, Some(&title));
                }
                _ => self.block(c),
            }
        }
        if first {
            // (an article without paragraphs: its title alone)
            self.line(&title, self.line_of(id));
        }
    }

    /// A paragraph; the first of an article starts with the article's title instead of
    /// its (empty) number.
    fn paragraph(&mut self, id: Id, article: Option<&str>) {
        let tree = self.tree;
        if let Some(cap) = tree.child(id, "ParagraphCaption") {
            let t = self.text(Some(cap));
            self.line(&t, self.line_of(cap));
        }
        let num = self.text(tree.child(id, "ParagraphNum"));
        let head = match article {
            Some(title) if !title.is_empty() => title.to_string(),
            _ => num,
        };
        let sentence = self.sentence(tree.child(id, "ParagraphSentence"));
        let line = spaced(head, sentence);
        let at = tree
            .child(id, "ParagraphSentence")
            .map_or(self.line_of(id), |s| self.line_of(s));
        self.line(&line, at);
        self.rest(
            id,
            &["ParagraphCaption", "ParagraphNum", "ParagraphSentence"],
        );
    }

    /// An item or sub-item: its title and sentence, then what it holds.
    fn item(&mut self, id: Id) {
        let tree = self.tree;
        let name = self.name(id).to_string();
        let (title_name, sentence_name) = (format!("{name}Title"), format!("{name}Sentence"));
        let title = self.text(tree.child(id, &title_name));
        let sentence = self.sentence(tree.child(id, &sentence_name));
        let line = spaced(title, sentence);
        self.line(&line, self.line_of(id));
        self.rest(id, &[&title_name, &sentence_name]);
    }

    /// A table row: its cells, with their `colspan` and `rowspan`.
    fn row(&mut self, id: Id) {
        let tree = self.tree;
        let span = |c: Id, name: &str| {
            let n = tree.nodes[c].attr(name).and_then(|v| v.trim().parse().ok());
            n.unwrap_or(1u16).max(1)
        };
        let cells: Vec<Cell> = tree.nodes[id]
            .children
            .iter()
            .filter(|&&c| matches!(self.name(c), "TableColumn" | "TableHeaderColumn"))
            .map(|&c| Cell {
                text: self.cell(c),
                colspan: span(c, "colspan"),
                rowspan: span(c, "rowspan"),
            })
            .collect();
        self.out.row(cells, self.line_of(id), 0);
    }

    /// A cell's text: its sentences, columns and items run together.
    fn cell(&self, id: Id) -> String {
        let tree = self.tree;
        let parts: Vec<String> = tree.nodes[id]
            .children
            .iter()
            .filter(|&&c| !tree.nodes[c].is_text())
            .map(|&c| match self.name(c) {
                "Column" => self.text(Some(c)),
                _ => self.sentence(Some(c)),
            })
            .collect();
        if parts.is_empty() {
            return self.text(Some(id));
        }
        let column_parts = tree.children(id, "Column").count() == parts.len();
        parts.join(if column_parts { FW } else { "" })
    }

    /// Records each ruby's reading.
    fn readings(&mut self, root: Id) {
        let tree = self.tree;
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            if self.name(id) == "Ruby" {
                let base = squash(&tree.text_except(id, &["Rt"]));
                let reading: String = tree.children(id, "Rt").map(|r| tree.text(r)).collect();
                let mut d = Diagnostic::info(
                    "ruby",
                    self.line_of(id),
                    format!("the reading of 「{base}」 kept out of the text"),
                );
                d.dropped = Some(reading);
                self.out.diagnostics.push(d);
                continue;
            }
            stack.extend(tree.nodes[id].children.iter().rev());
        }
    }
}

/// `head` and `body` as e-Gov prints them on one line: an ideographic space between them
/// when both are there.
fn spaced(head: String, body: String) -> String {
    match (head.is_empty(), body.is_empty()) {
        (true, _) => body,
        (false, true) => head,
        (false, false) => format!("{head}{FW}{body}"),
    }
}

fn is_subitem(name: &str) -> bool {
    name.strip_prefix("Subitem")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Text without the XML's own line breaks and the indentation after them.
fn squash(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut lines = t.split('\n');
    if let Some(first) = lines.next() {
        out.push_str(first.trim_end_matches([' ', '\t', '\r']));
    }
    for l in lines {
        out.push_str(
            l.trim_start_matches([' ', '\t', '\u{3000}'])
                .trim_end_matches([' ', '\t', '\r']),
        );
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(xml: &str) -> Vec<String> {
        layout(xml)
            .lines
            .iter()
            .map(|l| l.text.to_string())
            .collect()
    }

    #[test]
    fn a_law_is_printed_as_e_gov_prints_it() {
        let xml = r#"<Law><LawNum>平成十年法律第一号</LawNum><LawBody><LawTitle>テスト法</LawTitle>
<MainProvision><Chapter Num="1"><ChapterTitle>第一章　総則</ChapterTitle>
<Article Num="1"><ArticleCaption>（定義）</ArticleCaption><ArticleTitle>第一条</ArticleTitle>
<Paragraph Num="1"><ParagraphNum/><ParagraphSentence><Sentence>次に定める。</Sentence></ParagraphSentence>
<Item Num="1"><ItemTitle>一</ItemTitle><ItemSentence><Column><Sentence>電気</Sentence></Column><Column><Sentence>電気をいう。</Sentence></Column></ItemSentence>
<Subitem1><Subitem1Title>イ</Subitem1Title><Subitem1Sentence><Sentence><Ruby>埠<Rt>ふ</Rt></Ruby>頭</Sentence></Subitem1Sentence></Subitem1></Item></Paragraph>
<Paragraph Num="2"><ParagraphNum>２</ParagraphNum><ParagraphSentence><Sentence>前項の</Sentence><Sentence>ただし書</Sentence></ParagraphSentence></Paragraph>
</Article></Chapter></MainProvision>
<SupplProvision AmendLawNum="平成十一年法律第二号" Extract="true"><SupplProvisionLabel>附　則</SupplProvisionLabel>
<Paragraph Num="1"><ParagraphNum/><ParagraphSentence><Sentence>公布の日から施行する。</Sentence></ParagraphSentence></Paragraph></SupplProvision>
<AppdxTable><AppdxTableTitle>別表第一</AppdxTableTitle><RelatedArticleNum>（第一条関係）</RelatedArticleNum>
<TableStruct><Table><TableRow><TableColumn><Sentence>甲</Sentence></TableColumn><TableColumn><Sentence>乙</Sentence></TableColumn></TableRow></Table></TableStruct></AppdxTable>
</LawBody></Law>"#;
        assert_eq!(
            texts(xml),
            [
                "テスト法",
                "（平成十年法律第一号）",
                "第一章　総則",
                "（定義）",
                "第一条　次に定める。",
                "一　電気　電気をいう。",
                "イ　埠頭",
                "２　前項のただし書",
                "附　則　（平成十一年法律第二号）　抄",
                "公布の日から施行する。",
                "別表第一　（第一条関係）",
                "甲　乙",
            ]
        );
        let l = layout(xml);
        assert!(l.lines.last().unwrap().row.is_some());
        let ruby = l.diagnostics.iter().find(|d| d.code == "ruby").unwrap();
        assert_eq!(ruby.dropped.as_deref(), Some("ふ"));
    }

    #[test]
    fn wrappers_are_dropped_with_their_text() {
        let xml = "<DataRoot><Result><Code>0</Code><Message>OK</Message></Result><ApplData><LawFullText><Law><LawBody><LawTitle>法</LawTitle></LawBody></Law></LawFullText></ApplData></DataRoot>";
        let l = layout(xml);
        assert_eq!(l.lines.len(), 1);
        let dropped: Vec<_> = l
            .diagnostics
            .iter()
            .filter_map(|d| d.dropped.as_deref())
            .collect();
        assert_eq!(dropped, ["0", "OK"]);
        assert!(sniff(xml));
        // API v2: the law's metadata beside the law
        let v2 = "<law_data_response><law_info><law_id>339AC0000000170</law_id></law_info>\
                  <revision_info><law_title>電気事業法</law_title></revision_info>\
                  <law_full_text><Law><LawBody><LawTitle>電気事業法</LawTitle></LawBody></Law></law_full_text>\
                  </law_data_response>";
        let l = layout(v2);
        assert_eq!(l.lines.len(), 1);
        assert_eq!(l.diagnostics.len(), 2, "{:?}", l.diagnostics);
        // a bare MainProvision
        let bare = "<MainProvision><Article><ArticleTitle>第一条</ArticleTitle><Paragraph><ParagraphNum/><ParagraphSentence><Sentence>本文</Sentence></ParagraphSentence></Paragraph></Article></MainProvision>";
        assert_eq!(texts(bare), ["第一条　本文"]);
    }
}
