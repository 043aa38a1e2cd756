//! Paragraphs: numbered (`２`, `1.` lists, `一項`), unnumbered (one per line, an old
//! law's 字下げ lines), the captions of 附則 paragraphs; lines with no number (a new
//! paragraph, an item of a list whose markers are gone, or more text); the `1.` list
//! that numbers the articles of a document without 第N条.

use super::*;

impl Builder<'_> {
    /// Where the innermost open article or 附則 entry stands on the stack.
    pub(super) fn provision_at(&self) -> Option<usize> {
        self.stack
            .iter()
            .rposition(|o| matches!(o.kind, Kind::Article | Kind::Supplement))
    }

    /// Whether a `1.` entry at line `i` is an article: in a document with no 第N条
    /// heading at all, the outermost `1.` list (outside any article, or at the indent of
    /// the entries read so far) numbers its articles.
    pub(super) fn list_article_here(&mut self, i: usize, label: &str) -> bool {
        if !label.ends_with(['.', '．']) || self.in_suppl {
            return false;
        }
        let indent = self.lines[i].indent;
        let outside = self.provision_at().is_none();
        let here = match self.list_articles {
            Some(at) => indent <= at,
            None => outside,
        };
        if !here {
            return false;
        }
        // (once the list numbers the articles, the body holds them: no scan)
        self.list_articles.is_some()
            || (!self.has_articles(i) && self.doc.body.iter().all(|n| n.kind != Kind::Article))
    }

    /// Whether the document has 第N条 articles from line `i` on (looked for once, from
    /// the first line that asks on: a linear scan; a heading behind markup, `### 第1条`,
    /// `**第1条**`, counts too).
    fn has_articles(&mut self, i: usize) -> bool {
        let lines = self.lines;
        *self.has_articles.get_or_insert_with(|| {
            lines[i..].iter().any(|l| {
                let t = l
                    .text
                    .trim_start_matches(|c: char| c.is_whitespace() || "#*_>【[".contains(c));
                (t.starts_with('第') || t.starts_with(|c| normalize::digit(c).is_some()))
                    && matches!(classify(t), Class::Article { .. })
            })
        })
    }

    /// Whether line `i`, a heading a reader marked, is an article of a document without
    /// 第N条: its headings of the deepest level used more than once (the document's
    /// sections; a lone `#` above them is its title) are its articles.
    pub(super) fn heading_article_here(&mut self, i: usize) -> bool {
        let level = self.lines[i].heading;
        if level == 0 || self.in_suppl || self.list_articles.is_some() {
            return false;
        }
        let lines = self.lines;
        let article_level = *self.heading_articles.get_or_insert_with(|| {
            let mut counts = [0usize; 7];
            for l in &lines[i..] {
                counts[usize::from(l.heading.min(6))] += 1;
            }
            (1..7u8)
                .rev()
                .find(|&h| counts[usize::from(h)] >= 2)
                .unwrap_or(0)
        });
        level == article_level && !self.has_articles(i)
    }

    /// The number after the last article's: an unnumbered article's, by position.
    fn next_article_num(&self) -> Num {
        let n = self.last_article.as_ref().map_or(0, |(num, ..)| num.main) + 1;
        Num {
            main: n,
            branches: Vec::new(),
        }
    }

    /// Opens an article for an unnumbered heading (numbered by position, the heading its
    /// caption); the text below it is its paragraphs.
    pub(super) fn heading_article(&mut self, i: usize) -> usize {
        let line = &self.lines[i];
        if self.last_article.is_none() {
            self.diags.push(Diagnostic::info(
                "heading-articles",
                line.line,
                "no 第N条 heading in the document: its section headings are read as its articles",
            ));
        }
        let num = self.next_article_num();
        let text = line.text.as_ref();
        let next = self.article(i, None, num, "", text, Some(text), "");
        if let Some(open) = self.stack.last() {
            self.done[open.at].label = None;
        }
        // (entries right under the heading, bullets whose markers are gone: the items
        // of a paragraph with no text of its own)
        let entries = self.lines.get(next).is_some_and(|l| {
            l.indent > 0 && l.heading == 0 && matches!(classify(&l.text), Class::Text)
        });
        if entries {
            self.open_paragraph(&self.lines[i], 1, None, "");
        }
        next
    }

    /// Opens an article for a `1.` entry of a document without 第N条 (numbered by
    /// position, as Markdown numbers its lists); a short phrase is its caption, a
    /// sentence its first paragraph.
    pub(super) fn list_article(&mut self, i: usize, label: &str, body: &str) -> usize {
        let line = &self.lines[i];
        if self.list_articles.is_none() {
            self.list_articles = Some(line.indent);
            self.diags.push(Diagnostic::info(
                "list-articles",
                line.line,
                "no 第N条 heading in the document: its outermost `1.` list is read as its articles",
            ));
        }
        let num = self.next_article_num();
        let (heading, caption, body) = if crate::classify::bare_caption(body) {
            (line.text.as_ref(), Some(body), "")
        } else {
            (label, None, body)
        };
        let (heading, label) = (heading.to_string(), label.to_string());
        self.article(i, None, num, &label, &heading, caption, body)
    }

    pub(super) fn open_paragraph(
        &mut self,
        line: &Line,
        num: u32,
        label: Option<&str>,
        body: &str,
    ) {
        self.close_to(6);
        let caption = self.caption.take();
        let start = caption.as_ref().map_or(line.line, |c| c.0);
        let mut node = self.numbered(Kind::Paragraph, decimal(num), start, line);
        // (as an article's: the caption line and the number, `（施行期日）\n１`)
        if let Some((_, mut heading, title)) = caption {
            heading.push('\n');
            heading.push_str(label.unwrap_or(""));
            node.heading = Some(heading);
            node.title = Some(title);
        }
        node.label = label.map(str::to_string);
        node.text = Some(body.to_string());
        if let Some(parent) = self.stack.last_mut() {
            parent.last_child.insert(Kind::Paragraph, num);
        }
        self.open(node).indent = line.indent;
    }

    /// The innermost open article or 附則 entry, creating an entry inside 附則 if needed.
    pub(super) fn provision(&mut self, line: &Line) -> bool {
        if self.provision_at().is_none() {
            if !self.in_suppl {
                return false;
            }
            self.entry(line, None);
        }
        true
    }

    pub(super) fn paragraph(&mut self, line: &Line, num: u32, label: &str, body: &str) {
        if !self.provision(line) {
            return self.text(line);
        }
        let provision = self.provision_at().expect("provision() made sure");
        if label.ends_with(['.', '．']) {
            return self.list_entry(line, provision, label, body);
        }
        if label.ends_with('項') {
            // `一項` alone on a line: paragraphs by position (lead text before the first
            // is paragraph 1 of its own)
            let num = self.next_paragraph(provision);
            return self.open_paragraph(line, num, Some(label), body);
        }
        let last = self.stack[provision].last_child.get(Kind::Paragraph);
        match last {
            Some(last) if num <= last => {
                let msg = format!("`{label}` does not continue the paragraph numbering (last {last}); kept as text");
                self.append_text(line, msg);
            }
            _ => {
                let expected = last.unwrap_or(0) + 1;
                if num > expected && !(last.is_none() && num == 2) {
                    self.diags.push(Diagnostic::warning(
                        "numbering-gap",
                        line.line,
                        format!(
                            "paragraph {label} follows paragraph {}; {} missing",
                            expected - 1,
                            gap(expected, num)
                        ),
                    ));
                }
                self.open_paragraph(line, num, Some(label), body);
            }
        }
    }

    /// The number of the next paragraph of the provision at `provision` on the stack, by
    /// position (for paragraphs whose printed number does not count: `1. 1. 1.`, `一項`).
    /// Whether a numbered paragraph line (`２　…`, not a `1.` list entry or `一項`) would
    /// open a paragraph here: in a provision (or the 附則), continuing its numbering.
    pub(super) fn opens_paragraph(&self, num: u32, label: &str) -> bool {
        if label.ends_with(['.', '．', '項']) {
            return false;
        }
        let provision = self.provision_at();
        match provision {
            Some(p) => self.stack[p]
                .last_child
                .get(Kind::Paragraph)
                .is_none_or(|last| num > last),
            None => self.in_suppl,
        }
    }

    pub(super) fn next_paragraph(&self, provision: usize) -> u32 {
        self.stack[provision]
            .last_child
            .get(Kind::Paragraph)
            .unwrap_or(0)
            + 1
    }

    /// A `1.` list entry in a provision. The list that opens an article without lead
    /// text numbers its paragraphs, by position (Markdown's `1. 1. 1.` counts too); an
    /// entry indented deeper than that list, or a list after lead text, is an item.
    pub(super) fn list_entry(&mut self, line: &Line, provision: usize, label: &str, body: &str) {
        let list_indent = self.stack[provision].list_indent;
        let is_paragraph = match list_indent {
            Some(indent) => line.indent <= indent,
            None => {
                // lead text: an open paragraph with text of its own
                let lead = self.stack.iter().rev().any(|o| {
                    o.kind == Kind::Paragraph
                        && self.done[o.at]
                            .text
                            .as_deref()
                            .is_some_and(|t| !t.is_empty())
                });
                !lead
            }
        };
        if !is_paragraph {
            return self.item(line, Family::DotDigit, label, label, body);
        }
        self.stack[provision].list_indent.get_or_insert(line.indent);
        let num = self.next_paragraph(provision);
        self.open_paragraph(line, num, Some(label), body);
    }

    pub(super) fn ensure_paragraph(&mut self, line: &Line) {
        if !self.stack.iter().any(|o| o.kind == Kind::Paragraph) {
            self.close_to(6);
            self.open_paragraph(line, 1, None, "");
        }
    }

    /// A line that is only text: front matter, paragraph 1, or a continuation.
    pub(super) fn text(&mut self, line: &Line) {
        if self.is_front() {
            return self.front(line);
        }
        if self.in_suppl && self.stack.is_empty() {
            self.entry(line, None);
            self.open_paragraph(line, 1, None, &line.text);
            return;
        }
        let in_provision = self.provision_at().is_some();
        let top = self.stack.last().map(|o| o.kind);
        if in_provision && matches!(top, Some(Kind::Article | Kind::Supplement)) {
            return self.open_paragraph(line, 1, None, &line.text);
        }
        // A paragraph or item whose number stood alone on its line (`一項`, `（一）`)
        // takes this line as its text.
        let numbered = |o: &&Open| matches!(o.kind, Kind::Paragraph | Kind::Item | Kind::Subitem);
        if let Some(o) = self.stack.last().filter(numbered) {
            let node = &mut self.done[o.at];
            if node.text.as_deref().is_some_and(str::is_empty) && node.label.is_some() {
                node.text = Some(line.text.to_string());
                node.end_line = node.end_line.max(line.end_line);
                return;
            }
        }
        // A line indented (two columns or more) deeper than its paragraph, with no
        // marker, is an entry of a list whose bullets are gone (`- ` stripped from
        // Markdown): an item.
        if let Some(para) = self.stack.iter().rposition(|o| o.kind == Kind::Paragraph) {
            let under = self.stack[para + 1..]
                .iter()
                .all(|o| o.is(Family::Unmarked));
            if in_provision && under && line.indent >= self.stack[para].indent + 2 {
                return self.item(line, Family::Unmarked, "", "", &line.text);
            }
        }
        if in_provision {
            match self.bare_line(line) {
                Bare::Paragraph => {
                    let provision = self.provision_at().expect("in a provision");
                    let num = self.next_paragraph(provision);
                    return self.open_paragraph(line, num, None, &line.text);
                }
                Bare::Item => return self.item(line, Family::Unmarked, "", "", &line.text),
                Bare::Text => {}
            }
        }
        let msg = format!("line `{}` kept as text", short(&line.text));
        self.append_text(line, msg);
    }

    /// What a text line in a provision starts when it has no number. Old laws print
    /// no paragraph numbers, and many 規程 write one paragraph per line: layout has
    /// joined the wrapped lines already, so a line is a hard break. It starts a
    /// paragraph when the text before it ended a sentence and it stands no deeper than
    /// its paragraph, whose number was not printed (after `２` or `一項`, a line is more
    /// text of that paragraph). After a lead that announces a list (`次のとおりとする。`,
    /// `…：`), such lines are the entries of a list whose markers are gone: items.
    pub(super) fn bare_line(&self, line: &Line) -> Bare {
        let Some(para) = self.stack.iter().rposition(|o| o.kind == Kind::Paragraph) else {
            return Bare::Text;
        };
        let paragraph = &self.done[self.stack[para].at];
        if paragraph.label.is_some() || line.indent > self.stack[para].indent {
            return Bare::Text;
        }
        // inside a list of unmarked entries: another entry, unless the line stands
        // left of the list (a paragraph after it)
        let above = &self.stack[para + 1..];
        let unmarked = |o: &Open| o.is(Family::Unmarked);
        if let Some(list) = above.first().filter(|_| above.iter().all(unmarked)) {
            // (a sentence after entries that are not sentences closes the list)
            let entry = self.done[self.stack[self.stack.len() - 1].at]
                .text
                .as_deref();
            let closes = ends_sentence(&line.text) && !entry.is_some_and(ends_sentence);
            return if line.indent >= list.indent && !closes {
                Bare::Item
            } else if is_sentence(&line.text) {
                Bare::Paragraph
            } else {
                Bare::Text
            };
        }
        let last = self.stack.last().expect("a paragraph is open");
        let before = self.done[last.at].text.as_deref().unwrap_or("");
        // (an old law's paragraph starts with 字下げ, after items too)
        if line.jisage && is_sentence(&line.text) {
            return Bare::Paragraph;
        }
        if !ends_sentence(before) {
            return Bare::Text;
        }
        if last.kind == Kind::Paragraph && announces_list(before) {
            return Bare::Item;
        }
        if is_sentence(&line.text) {
            Bare::Paragraph
        } else {
            Bare::Text
        }
    }

    /// Appends a line to the text of the innermost open node, with a warning.
    pub(super) fn append_text(&mut self, line: &Line, message: String) {
        let Some(at) = self.stack.last().map(|o| o.at) else {
            return self.preamble(line);
        };
        let node = &mut self.done[at];
        let text = node.text.get_or_insert_with(String::new);
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&line.text);
        node.end_line = node.end_line.max(line.end_line);
        let msg = format!("{message} of `{}`", node.id);
        self.diags
            .push(Diagnostic::warning("unparsed-line", line.line, msg));
    }
}

/// What a line with no number starts (see [`Builder::bare_line`]).
pub(super) enum Bare {
    Paragraph,
    Item,
    Text,
}

/// Whether a text ends a sentence or leads into a list: `。` or `：`, before closing
/// brackets.
pub(super) fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(['）', '」', '』', ')'])
        .ends_with(['。', '．', '：', ':'])
}

/// Whether a line reads as (the start of) a paragraph's sentence: it ends at a sentence
/// or clause end (`。`, `、`, `：`), and is not a bracketed note (`【2023年1月25日制定】…`)
/// or a `label：value` line (`発効日：2019年9月20日`).
pub(super) fn is_sentence(text: &str) -> bool {
    let text = text.trim_end();
    !text.starts_with(['【', '［', '[', '〔'])
        && (ends_sentence(text)
            || text
                .trim_end_matches(['）', '」', ')'])
                .ends_with(['、', '，']))
}

/// Whether a paragraph's text announces a list: its last sentence ends with `：`, or
/// speaks of what follows (`次の`, `以下の`, `下記の`, `…のとおり`).
pub(super) fn announces_list(text: &str) -> bool {
    let text = text.trim_end();
    if text.ends_with(['：', ':']) {
        return true;
    }
    let body = text.trim_end_matches(['。', '．']);
    let last = body.rsplit_once(['。', '．']).map_or(body, |(_, s)| s);
    !tables::announces_table(text)
        && ["次の", "以下の", "下記の", "とおり", "通り"]
            .iter()
            .any(|w| last.contains(w))
}
