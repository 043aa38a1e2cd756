//! The 附則: a lone `附則` line before dated blocks is the section's heading; each dated
//! line (`平成16年7月1日変更`) or further `附則` line starts an entry `suppl_N`, whose date is
//! converted exactly (an impossible date is an `invalid-date` error). An entry whose
//! heading has no date (`附則` alone, as statutes and many 約款 write it) takes the date
//! of its first `…から実施/施行/適用` clause: `この約款は、令和6年4月1日から実施します。`

use super::*;

impl Builder<'_> {
    pub(super) fn suppl(&mut self, i: usize, rest: &str) {
        let line = &self.lines[i];
        self.close_to(0);
        let first = !self.in_suppl;
        self.in_suppl = true;
        let next_dated = self
            .lines
            .get(i + 1)
            .is_some_and(|l| matches!(classify(&l.text), Class::Dated { .. }));
        if first && rest.is_empty() && next_dated {
            let s = self
                .doc
                .supplementary
                .get_or_insert_with(Supplementary::default);
            s.heading = Some(line.text.to_string());
            s.line = line.line;
            return;
        }
        let date = era_dates(rest).next().map(|(d, printed, _)| (d, printed));
        self.entry(line, date);
    }

    /// Whether the 附則 is a list of dated blocks (a lone `附則` heading before them).
    pub(super) fn dated_blocks(&self) -> bool {
        self.doc
            .supplementary
            .as_ref()
            .is_some_and(|s| s.heading.is_some())
    }

    /// Dates undated entries from their effective-date clause.
    pub(super) fn effective_dates(&mut self) {
        let Some(mut s) = self.doc.supplementary.take() else {
            return;
        };
        for e in s.entries.iter_mut().filter(|e| e.date_text.is_none()) {
            let found = e.walk().into_iter().find_map(|n| {
                era_dates(n.text.as_deref()?).find_map(|(d, printed, rest)| {
                    let effective = ["から実施", "から施行", "から適用"]
                        .iter()
                        .any(|w| rest.trim_start().starts_with(w));
                    effective.then(|| (d, printed.to_string(), n.line))
                })
            });
            if let Some((d, text, line)) = found {
                e.date = self.iso(d, &text, line);
                e.date_text = Some(text);
            }
        }
        self.doc.supplementary = Some(s);
    }

    pub(super) fn entry(&mut self, line: &Line, date: Option<(era::EraDate, &str)>) {
        self.close_to(0);
        self.in_suppl = true;
        let s = self
            .doc
            .supplementary
            .get_or_insert_with(Supplementary::default);
        if s.line == 0 {
            s.line = line.line;
        }
        let n = s.entries.len() + 1;
        let num = decimal(n);
        let id = self.unique(["suppl_", &num].concat(), line.line);
        let mut node = Node::new(Kind::Supplement, id, line.line);
        node.num = Some(num);
        node.end_line = line.end_line;
        node.heading = Some(line.text.to_string());
        if let Some((d, text)) = date {
            node.date = self.iso(d, text, line.line);
            node.date_text = Some(text.to_string());
        }
        self.open(node);
    }
}

/// Every era date in `text`, left to right: the date, as printed, and the text after it.
fn era_dates(text: &str) -> impl Iterator<Item = (era::EraDate, &str, &str)> {
    text.char_indices().filter_map(move |(p, _)| {
        let (rest, d) = era::era_date(&text[p..]).ok()?;
        Some((d, &text[p..text.len() - rest.len()], rest))
    })
}
