//! Table rows: the logical lines of a two-column table → rows of cells.
//!
//! In: the lines of one table (as laid out after layout recovery; displaced lines already
//! appended). Out: [`RowCells`], each `[term, definition]` (or one cell when a line
//! cannot be split), with the indices of the lines it was made of.
//!
//! The evidence is the layout, not a list of terms:
//! - **Column widths.** `D`, the definition column, is the widest piece that wrapped;
//!   `T`, the term column, is the widest wrapped piece no wider than `D/2` (a term cell
//!   that wrapped), or 45% of `D` when no term cell wrapped. A line is *narrow* when every
//!   piece is at most `T + 2` columns wide: term-column text.
//! - **A row starts** with narrow lines (the term, the definition starting on the next
//!   line) or with a wide line holding both cells, split at its first space that lies
//!   within the term column and is not between two Latin characters (`SEIL 当社の…`,
//!   `IPアドレス IPv4アドレス及び…`).
//! - **Wraps at a space.** A hard line end after a Latin word (`… for`, `「Azure AD`) is
//!   a wrap, not a cell end, when the next word would not have fit in the column: the
//!   last piece's width + 1 + the next line's first word's width exceeds the column
//!   width. The cells are then joined with that one space (`IIJディレクトリサービス for
//!   Microsoft`). Japanese text wraps without spaces, so a hard end after a Japanese
//!   character always ends a cell.

use crate::layout::Line;
use crate::normalize::{width, width_bound};
use std::ops::Range;
use tinyvec::TinyVec;

/// One recovered row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowCells {
    pub cells: Vec<String>,
    /// indices (into the table's lines) of the lines this row was made of: a row is a
    /// run of consecutive lines
    pub lines: Range<usize>,
}

/// The column widths of a table, from its wrapped pieces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Columns {
    term: usize,
    definition: usize,
}

/// A table line with the display width of each piece that wrapped, measured once; its
/// last piece is measured only when a decision needs its width. (The column widths come
/// from the wrapped pieces; whether a line is narrow is mostly settled by a wrapped piece
/// or by the last piece's upper bound. Measuring every piece was the largest part of
/// building the tree of the 100× benchmark document.)
struct Measured<'a> {
    text: &'a str,
    wrapped: TinyVec<[usize; 2]>,
    last: &'a str,
}

impl<'a> Measured<'a> {
    fn new(line: &'a Line) -> Self {
        let (mut wrapped, mut last) = (TinyVec::new(), None);
        for piece in line.pieces() {
            if let Some(done) = last.replace(piece) {
                wrapped.push(width(done));
            }
        }
        Measured {
            text: &line.text,
            wrapped,
            last: last.unwrap_or(""),
        }
    }

    fn max_width(&self) -> usize {
        self.wrapped
            .iter()
            .copied()
            .fold(width(self.last), usize::max)
    }

    fn last_width(&self) -> usize {
        width(self.last)
    }
}

/// Estimates the column widths from the pieces that wrapped.
fn columns(lines: &[Measured]) -> Columns {
    let wrapped = || lines.iter().flat_map(|l| l.wrapped.iter().copied());
    let all_max = || lines.iter().map(Measured::max_width).max().unwrap_or(0);
    let definition = wrapped().max().unwrap_or_else(all_max).max(1);
    let term = wrapped()
        .filter(|&w| w * 2 <= definition)
        .max()
        .unwrap_or(definition * 45 / 100);
    Columns { term, definition }
}

/// Whether no piece of `line` is wider than the term column (+2).
fn narrow(line: &Measured, cols: Columns) -> bool {
    let limit = cols.term + 2;
    line.wrapped.iter().all(|&w| w <= limit)
        && (width_bound(line.last) <= limit || width(line.last) <= limit)
}

fn first_word(s: &str) -> &str {
    s.split(char::is_whitespace).next().unwrap_or("")
}

/// Whether the hard end of `prev` is a wrap at a space in a column `col` wide.
fn wrapped_at_space(prev: &Measured, next: &Measured, col: usize) -> bool {
    let ends_latin = prev
        .text
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_graphic());
    ends_latin && prev.last_width() + 1 + width(first_word(next.text)) > col
}

/// Splits a line holding both cells: at the first space within the term column that
/// is not between two Latin characters.
fn split_cells(text: &str, cols: Columns) -> Option<(&str, &str)> {
    let mut prev: Option<char> = None;
    for (pos, c) in text.char_indices() {
        if c.is_whitespace() {
            let left = &text[..pos];
            if width(left) > cols.term + 2 {
                return None;
            }
            let right = text[pos..].trim_start();
            let next = right.chars().next();
            let latin_both = prev.is_some_and(|p| p.is_ascii_alphanumeric())
                && next.is_some_and(|n| n.is_ascii_alphanumeric());
            if !left.is_empty() && !right.is_empty() && !latin_both {
                return Some((left, right));
            }
        }
        prev = Some(c);
    }
    None
}

/// Recovers the rows of a two-column table.
pub fn rows(lines: &[&Line]) -> Vec<RowCells> {
    let lines: Vec<Measured> = lines.iter().map(|l| Measured::new(l)).collect();
    let cols = columns(&lines);
    let mut out = Vec::with_capacity(lines.len()); // (a row takes one line or more)
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        let (term, mut definition, mut last) = if narrow(&lines[i], cols) {
            let mut term = lines[i].text.to_string();
            i += 1;
            while i < lines.len()
                && narrow(&lines[i], cols)
                && wrapped_at_space(&lines[i - 1], &lines[i], cols.term)
            {
                term.push(' ');
                term.push_str(lines[i].text);
                i += 1;
            }
            if i < lines.len() {
                i += 1;
                (term, Some(lines[i - 1].text.to_string()), Some(i - 1))
            } else {
                (term, None, None)
            }
        } else {
            let text = lines[i].text;
            i += 1;
            match split_cells(text, cols) {
                Some((t, d)) => (t.to_string(), Some(d.to_string()), Some(i - 1)),
                None => (text.to_string(), None, Some(i - 1)),
            }
        };
        while let (Some(d), Some(l)) = (definition.as_mut(), last) {
            if i < lines.len() && wrapped_at_space(&lines[l], &lines[i], cols.definition) {
                d.push(' ');
                d.push_str(lines[i].text);
                last = Some(i);
                i += 1;
            } else {
                break;
            }
        }
        let mut cells = Vec::with_capacity(2);
        cells.push(term);
        cells.extend(definition.take());
        out.push(RowCells {
            cells,
            lines: start..i,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line joined from physical lines wrapped without spaces.
    fn line(pieces: &[&str]) -> Line<'static> {
        let mut text = String::new();
        let ends = pieces
            .iter()
            .map(|p| {
                text.push_str(p);
                text.len()
            })
            .collect();
        Line {
            text: text.into(),
            line: 1,
            end_line: 1,
            ends,
            indent: 0,
            jisage: false,
            row: None,
            heading: 0,
        }
    }

    #[test]
    fn splits_combined_lines_at_the_column_not_inside_latin_terms() {
        let cols = Columns {
            term: 30,
            definition: 68,
        };
        assert_eq!(
            split_cells("IPアドレス IPv4アドレス及び IPv6アドレスの総称", cols),
            Some(("IPアドレス", "IPv4アドレス及び IPv6アドレスの総称"))
        );
        assert_eq!(
            split_cells("IIJ IDサービス 当社が指定する", cols),
            Some(("IIJ IDサービス", "当社が指定する"))
        );
        assert_eq!(
            split_cells(
                "当社が定める仕様に基づくサービスであって、利用可能となるもの",
                cols
            ),
            None
        );
    }

    #[test]
    fn joins_wraps_at_a_space_in_either_column() {
        // (widths in brackets)
        let lines = [
            line(&["IIJディレクトリサービス for"]), // [27]
            line(&["Microsoft"]),
            line(&["Microsoft Corporation又はその関連会社が提供する「Azure AD"]), // [57]
            line(&["Connect」の機能を提供する、当社が定める仕様に基づくサービス"]),
            line(&["IIJモバイルサービス/タイプ K"]), // [28]
            line(&["KDDI株式会社が提供する SC-FDMA方式を用いたサービス"]),
            // the term column: the widest wrapped piece at most half the widest
            line(&["ネットワークオペレーションセ", "ンタ"]), // [28, 4]
            // the definition column: the widest wrapped piece
            line(&[
                "ルータの集積される当社の管理する場所であって、有人監視が行われ",
                "るもの",
            ]), // [62, 6]
            line(&["ルータ データの蓄積・交換・中継を行うネットワーク接続装置"]), // [57]
        ];
        let refs: Vec<&Line> = lines.iter().collect();
        let widths: Vec<Vec<usize>> = lines.iter().map(|l| l.widths().collect()).collect();
        assert_eq!(widths[0], [27]);
        assert_eq!(widths[6], [28, 4]);
        assert_eq!(widths[7], [62, 6]);
        let rows = rows(&refs);
        let cells: Vec<Vec<&str>> = rows
            .iter()
            .map(|r| r.cells.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(
            cells,
            [
                vec!["IIJディレクトリサービス for Microsoft", "Microsoft Corporation又はその関連会社が提供する「Azure AD Connect」の機能を提供する、当社が定める仕様に基づくサービス"],
                vec!["IIJモバイルサービス/タイプ K", "KDDI株式会社が提供する SC-FDMA方式を用いたサービス"],
                vec!["ネットワークオペレーションセンタ", "ルータの集積される当社の管理する場所であって、有人監視が行われるもの"],
                vec!["ルータ", "データの蓄積・交換・中継を行うネットワーク接続装置"],
            ]
        );
        assert_eq!(rows[0].lines, 0..4);
    }
}
