//! Numbering checks: each number against the last one of its kind under the same parent
//! (`numbering-gap`, `numbering-order`), and the articles of the body against each other.

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
