//! Numbering checks: each number against the last one of its kind under the same parent
//! (`numbering-gap`, `numbering-order`), and the articles of the body against each other;
//! the document's numbering scheme, as read, in one `numbering-scheme` diagnostic.

use super::*;

/// The last number seen per kind (a map without allocation: one is kept per open node).
#[derive(Default)]
pub(super) struct LastNumbers([Option<u32>; Kind::COUNT]);

impl LastNumbers {
    /// Records `n` for `kind`, returning the number recorded before.
    pub(super) fn insert(&mut self, kind: Kind, n: u32) -> Option<u32> {
        self.0[kind as usize].replace(n)
    }

    pub(super) fn get(&self, kind: Kind) -> Option<u32> {
        self.0[kind as usize]
    }
}

impl Builder<'_> {
    /// Checks `n` against the last number of `kind` under the current parent.
    /// `what` names the node in a diagnostic (formatted only when there is one).
    pub(super) fn check_sequence(&mut self, kind: Kind, n: u32, what: fmt::Arguments, line: usize) {
        let last = match self.stack.last_mut() {
            Some(o) => o.last_child.insert(kind, n),
            None => self.top_last.insert(kind, n),
        };
        let expected = last.unwrap_or(0) + 1;
        if n > expected {
            self.diags.push(Diagnostic::warning(
                "numbering-gap",
                line,
                match last {
                    Some(last) => {
                        format!("{what} follows number {last}; {} missing", gap(expected, n))
                    }
                    None => format!(
                        "{what} is the first of its kind here; {} missing",
                        gap(expected, n)
                    ),
                },
            ));
        } else if n < expected && last.is_some() {
            self.diags.push(Diagnostic::warning(
                "numbering-order",
                line,
                format!("{what} follows number {}", expected - 1),
            ));
        }
    }

    /// Articles of the body: numbers must grow; a jump in the main number is a gap.
    pub(super) fn check_article_order(&mut self, num: &Num, label: &str, line: usize) {
        let prev_main = match &self.last_article {
            Some((prev, prev_label, prev_line)) if num <= prev => {
                let msg = format!("{label} comes after {prev_label} (line {prev_line}) but does not number higher");
                self.diags
                    .push(Diagnostic::warning("numbering-order", line, msg));
                return;
            }
            Some((prev, ..)) => prev.main,
            None => 0,
        };
        if num.branches.is_empty() && num.main > prev_main + 1 {
            let msg = match &self.last_article {
                Some((_, prev_label, _)) => format!(
                    "{label} follows {prev_label}; {} missing",
                    gap(prev_main + 1, num.main)
                ),
                None => format!("{label} is the first article; {} missing", gap(1, num.main)),
            };
            self.diags
                .push(Diagnostic::warning("numbering-gap", line, msg));
        }
    }
}

pub(super) fn gap(from: u32, to: u32) -> String {
    if from + 1 == to {
        format!("{from} is")
    } else {
        format!("{from}–{} are", to - 1)
    }
}

/// How the document's paragraphs (after the first of an article) and items were marked,
/// as the tree reads them: one `numbering-scheme` diagnostic saying which marker was
/// taken for which level (`(1)` is a paragraph number in one 規程 and an item in
/// another), with how often; none for a document with neither.
pub(super) fn scheme(body: &[Node]) -> Option<Diagnostic> {
    let mut paras: Vec<(&'static str, usize)> = Vec::new();
    let mut items: Vec<(&'static str, usize)> = Vec::new();
    let mut first = None;
    let count = |list: &mut Vec<(&'static str, usize)>, what: &'static str| match list
        .iter_mut()
        .find(|(w, _)| *w == what)
    {
        Some((_, n)) => *n += 1,
        None => list.push((what, 1)),
    };
    let mut stack: Vec<&Node> = body.iter().rev().collect();
    while let Some(n) = stack.pop() {
        match n.kind {
            Kind::Article => {
                first.get_or_insert(n.line);
                for p in n
                    .children
                    .iter()
                    .filter(|p| p.kind == Kind::Paragraph)
                    .skip(1)
                {
                    count(&mut paras, paragraph_marker(p.label.as_deref()));
                }
            }
            Kind::Item => count(&mut items, item_marker(n.label.as_deref())),
            _ => {}
        }
        stack.extend(n.children.iter().rev());
    }
    let line = first?;
    if paras.is_empty() && items.is_empty() {
        return None;
    }
    let list = |l: &[(&str, usize)]| {
        if l.is_empty() {
            return "none".to_string();
        }
        l.iter()
            .map(|(w, n)| format!("{w} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let msg = format!(
        "paragraphs numbered {}; items marked {}",
        list(&paras),
        list(&items)
    );
    Some(Diagnostic::info("numbering-scheme", line, msg))
}

/// The shape of a paragraph's number.
fn paragraph_marker(label: Option<&str>) -> &'static str {
    match label {
        None => "by line (no number)",
        Some(l) if l.ends_with(['.', '．']) => "`1.`",
        Some(l) if l.contains('項') => "`一項`",
        Some(l) if l.starts_with('○') => "`○２`",
        Some(_) => "`２`",
    }
}

/// The shape of an item's marker.
fn item_marker(label: Option<&str>) -> &'static str {
    let Some(l) = label else {
        return "unmarked";
    };
    if l.ends_with(['.', '．']) {
        return "`1.`";
    }
    let probe = format!("{l} x");
    match crate::classify::classify(&probe) {
        Class::Item { family, .. } => match family {
            Family::ParenDigit => "`(1)`",
            Family::ParenKanji => "`（一）`",
            Family::Circled => "`①`",
            Family::Kanji => "`一`",
            Family::Kana => "`イ`",
            Family::ParenKana => "`(ア)`",
            Family::Latin => "`a.`",
            Family::ParenLatin => "`(a)`",
            Family::DotDigit => "`1.`",
            Family::Unmarked => "unmarked",
        },
        _ => "other",
    }
}
