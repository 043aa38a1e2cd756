//! Front matter: the title, the `…現在` date, the publisher and other preamble lines
//! before the first heading, and a table of contents (目次) kept as one `toc` node.

use super::*;

impl Builder<'_> {
    /// The 目次: from a line `目次` to the heading that repeats its first entry (or the first
    /// article), every line is an entry of the table of contents, not a heading.
    pub(super) fn toc_line(&mut self, line: &Line, class: &Class) -> bool {
        if self.toc.is_none() {
            // (where no 目次 can start, the line is not read: trimming every line of the
            // body took 1.7% of the time of a parse of the 100× benchmark document)
            if !self.stack.is_empty() || self.in_suppl {
                return false;
            }
            let text = line.text.trim_start();
            let is_toc = text.starts_with('目')
                && text
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .eq("目次".chars());
            if !is_toc {
                return false;
            }
            let mut node = Node::new(Kind::Toc, self.unique("toc".into(), line.line), line.line);
            node.heading = Some(line.text.to_string());
            self.toc = Some((node, String::new()));
            return true;
        }
        let (node, first) = self.toc.as_mut().expect("checked");
        let text = line.text.trim();
        let entry = toc_key(text);
        let ends = matches!(
            class,
            Class::Article { .. } | Class::Caption { .. } | Class::Paragraph { .. }
        ) || (!first.is_empty() && entry == *first && !text.ends_with(['）', ')']));
        if !ends {
            if first.is_empty() {
                *first = entry;
            }
            let t = node.text.get_or_insert_with(String::new);
            if !t.is_empty() {
                t.push('\n');
            }
            t.push_str(&line.text);
            node.end_line = line.end_line;
            return true;
        }
        let (node, _) = self.toc.take().expect("checked");
        self.doc.body.push(node);
        false
    }

    pub(super) fn front(&mut self, line: &Line) {
        let t = line.text.as_ref();
        let short_line = t.chars().count() <= 40 && !t.contains('。');
        // (a date line, `最終更新日：2022/02/01`, may stand above the title)
        if self.doc.meta.title.is_none() && is_date_line(t) {
            self.dated_front += 1;
            return self.preamble(line);
        }
        let meta = &mut self.doc.meta;
        if meta.title.is_none() && self.preambles == self.dated_front && short_line {
            meta.title = Some(t.to_string());
        } else if meta.publisher.is_none()
            && short_line
            && ["株式会社", "有限会社", "合同会社", "法人", "協会", "組合"]
                .iter()
                .any(|k| t.contains(k))
        {
            meta.publisher = Some(t.to_string());
        } else {
            self.preamble(line);
        }
    }

    pub(super) fn preamble(&mut self, line: &Line) {
        self.preambles += 1;
        let id = ["preamble_", itoa::Buffer::new().format(self.preambles)].concat();
        let id = self.unique(id, line.line);
        let mut node = Node::new(Kind::Preamble, id, line.line);
        node.end_line = line.end_line;
        node.text = Some(line.text.to_string());
        self.doc.body.push(node);
    }
}

/// Whether a front-matter line is a date line, not a title: `最終更新日：2022/02/01`,
/// `2019年3月8日制定`, `制定日 2020.4.1`.
fn is_date_line(t: &str) -> bool {
    let words = [
        "更新日",
        "制定日",
        "改定日",
        "改正日",
        "施行日",
        "発効日",
        "更新：",
        "更新:",
    ];
    if words.iter().any(|w| t.contains(w)) {
        return true;
    }
    // a four-digit year followed by a date separator
    let chars: Vec<char> = t.chars().collect();
    chars.windows(5).any(|w| {
        w[..4].iter().all(|&c| normalize::digit(c).is_some())
            && matches!(w[4], '/' | '／' | '年' | '.' | '．' | '-' | '－')
    })
}

/// A TOC entry or heading as compared: NFKC, no spaces, without a trailing bracketed
/// article range (`第一章総則（第一条―第三条）` → `第一章総則`).
pub(super) fn toc_key(text: &str) -> String {
    let k = normalize::key(text);
    match (k.ends_with(')'), k.rfind('(')) {
        (true, Some(p)) if p > 0 => k[..p].to_string(),
        _ => k,
    }
}
