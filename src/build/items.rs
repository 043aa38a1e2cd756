//! Items (号) and sub-items: the first item of a paragraph fixes the item family; a line of
//! another family opens a deeper level under the open item; kana markers count in イロハ
//! or アイウ order, whichever the list starts with.

use super::*;

const IROHA: &str = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス";
const AIUEO: &str =
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン";

impl Builder<'_> {
    pub(super) fn item(
        &mut self,
        line: &Line,
        family: Family,
        marker: &str,
        label: &str,
        body: &str,
    ) {
        if !self.provision(line) {
            return self.text(line);
        }
        self.ensure_paragraph(line);
        // Find the open level with this family: a sibling there; else a new deeper level.
        let para_pos = self
            .stack
            .iter()
            .rposition(|o| o.kind == Kind::Paragraph)
            .expect("ensured");
        let same = if matches!(family, Family::Unmarked | Family::DotDigit) {
            self.indented_level(para_pos, family, line.indent)
        } else {
            (para_pos + 1..self.stack.len())
                .rev()
                .find(|&p| self.stack[p].is(family))
        };
        let (depth, order) = match same {
            Some(p) => {
                let (_, order) = self.stack[p].family.expect("found by family");
                let depth = self.stack[p].depth;
                let r = self.stack[p].rank();
                self.close_to(r);
                (depth, order)
            }
            None => {
                while let Some(table) = self.stack.last().filter(|o| o.kind == Kind::Table) {
                    self.grid = None;
                    self.close_to(table.rank());
                }
                let depth = match self.stack.last() {
                    Some(o) if matches!(o.kind, Kind::Item | Kind::Subitem) => o.depth + 1,
                    _ => 0,
                };
                let order =
                    matches!(family, Family::Kana | Family::ParenKana).then(|| kana_order(marker));
                (depth, order)
            }
        };
        let kind = if depth == 0 {
            Kind::Item
        } else {
            Kind::Subitem
        };
        // A branch item (五の二, (5の2)) follows its main number: numbered `5-2`, and
        // outside the sequence check (六 still follows 五).
        let (main, branch) = match marker.split_once('の') {
            Some((m, b)) => (m, Some(b)),
            None => (marker, None),
        };
        let last = self.stack.last().and_then(|o| o.last_child.get(kind));
        let n = match family {
            // (unmarked entries are numbered by position)
            Family::Unmarked => last.unwrap_or(0) + 1,
            // (Markdown numbers its lists by position: `1.` `1.` `1.` is 1, 2, 3)
            Family::DotDigit => last.unwrap_or(0) + 1,
            _ => marker_value(family, main, order).unwrap_or(0),
        };
        let num = match branch {
            None => {
                self.check_sequence(kind, n, format_args!("item {label}"), line.line);
                decimal(n)
            }
            Some(b) => {
                let mut num = decimal(n);
                for part in b.split('の') {
                    num.push('-');
                    num.push_str(&decimal(normalize::number(part.trim()).unwrap_or(0)));
                }
                num
            }
        };
        let mut node = self.numbered(kind, num, line.line, line);
        node.label = (!label.is_empty()).then(|| label.to_string());
        node.text = Some(body.to_string());
        let open = self.open(node);
        open.indent = line.indent;
        open.depth = depth;
        open.family = Some((family, order));
    }
}

impl Builder<'_> {
    /// The open level of `family` that an entry at `indent` is a sibling of, for the
    /// families whose nesting is their indentation (unmarked entries, Markdown's `1.`
    /// lists). A deeper entry opens a level under the nearest shallower one (whose
    /// deeper levels are closed); a shallower one than every level is a sibling of the
    /// outermost.
    fn indented_level(&mut self, para_pos: usize, family: Family, indent: u16) -> Option<usize> {
        let same = |o: &Open| o.is(family);
        let levels: Vec<usize> = (para_pos + 1..self.stack.len())
            .filter(|&p| same(&self.stack[p]))
            .collect();
        // (a `1.` list right after an unmarked entry at its indent continues that list:
        // the entry was a bullet whose `-` is gone)
        let unmarked = |o: &Open| o.is(Family::Unmarked);
        if levels.is_empty() {
            if let Some(p) = (para_pos + 1..self.stack.len())
                .rev()
                .find(|&p| unmarked(&self.stack[p]) && self.stack[p].indent == indent)
            {
                return Some(p);
            }
        }
        match levels
            .iter()
            .rev()
            .find(|&&p| self.stack[p].indent <= indent)
        {
            Some(&p) if self.stack[p].indent == indent => Some(p),
            Some(&p) => {
                let r = self.stack[p].rank();
                self.close_to(r + 1);
                None
            }
            None => levels.first().copied(),
        }
    }
}

fn kana_order(first: &str) -> &'static str {
    if first == "イ" {
        IROHA
    } else {
        AIUEO
    }
}

/// The value of an item marker within its family, a kana marker read in the order its
/// letter starts (イ: iroha).
pub(super) fn value(family: Family, marker: &str) -> Option<u32> {
    let order = matches!(family, Family::Kana | Family::ParenKana).then(|| kana_order(marker));
    marker_value(family, marker.split('の').next().unwrap_or(marker), order)
}

/// The value of an item marker within its family.
fn marker_value(family: Family, marker: &str, order: Option<&str>) -> Option<u32> {
    match family {
        Family::ParenDigit
        | Family::ParenKanji
        | Family::Kanji
        | Family::Circled
        | Family::DotDigit => normalize::number(marker.trim_end_matches(['.', '．'])),
        Family::Unmarked => None,
        Family::Latin | Family::ParenLatin => {
            marker.chars().next().map(|c| c as u32 - 'a' as u32 + 1)
        }
        Family::Kana | Family::ParenKana => {
            let c = marker.chars().next()?;
            order?.chars().position(|k| k == c).map(|p| p as u32 + 1)
        }
    }
}
