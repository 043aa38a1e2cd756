//! Layout recovery: text → logical lines.
//!
//! In: decoded text. Out: [`Line`]s, one per heading, paragraph, item or table cell run,
//! each with its first and last source line, plus the document code read off the page
//! footers and a diagnostic for every artefact dropped.
//!
//! Artefacts of PDF extraction, and what is done with them:
//! - **Wrap points.** A line is *wrapped* (continues on the next content line) when the
//!   document marks hard line ends with trailing whitespace (the *trailing-space
//!   convention*, detected when at least 20% of content lines end in whitespace, but not
//!   all of them: then the mark tells nothing) and this line has none. Without that convention, a line is wrapped when its display width is
//!   within 3 columns of the document's wrap width and the next line does not start a new
//!   block (nor, after a line ending in `。`, an opening bracket: a caption, wrapped or
//!   not). The wrap width is the width shared (±3 columns) by at least a quarter of the
//!   lines, provided almost no line (≤ 2%) is wider: text wrapped at a fixed width.
//!   Joined pieces are concatenated as printed: no space is inserted between Japanese
//!   characters; a space is inserted only between two Latin letters or digits when no
//!   trailing-space convention says where the spaces were. A wrap *at a space* (a hard
//!   end after a Latin word in a narrow column) is left to the table stage, which has the
//!   column widths to judge it.
//! - **Blank spacer lines** (a blank line after every line) never end a logical line
//!   when at least 30% of all lines are blank; otherwise a blank line ends one. They
//!   are counted in one `spacer-lines` diagnostic.
//! - **Page-break marks**: under the trailing-space convention, a line that starts with
//!   exactly one ASCII space. The space is dropped (`page-break`).
//! - **Page footers**: a document code such as `IIJ-REG001-0040` alone on a line and
//!   seen at least twice, or a page number like `- 3 -`. Dropped with its text kept in
//!   the diagnostic (`footer-dropped`), so no character goes unaccounted for.
//! - Other leading whitespace is indentation and is dropped.

use crate::classify;
use crate::diag::Diagnostic;
use crate::normalize::{trim_end, trim_start, width, width_bound};
use regex::Regex;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use tinyvec::TinyVec;

/// A logical line: wrapped pieces joined, artefacts removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line<'a> {
    /// the input's own text when the line is one piece, else the pieces joined (copying
    /// the one-piece lines too, 439 of the seed's 705, was one allocation in fifteen of a
    /// parse)
    pub text: Cow<'a, str>,
    /// 1-based source line of the first piece.
    pub line: usize,
    /// 1-based source line of the last piece.
    pub end_line: usize,
    /// Where each joined physical line (piece) ends in `text`, as byte offsets in order.
    /// The next piece starts there, or one byte later when a space joins two Latin words
    /// (pieces are trimmed, so a space at a piece boundary is always that one). Pieces
    /// are layout evidence for tables (column widths) and for wraps at a space; their
    /// widths are measured when asked, as only tables need them. (Almost every line has
    /// at most six pieces, held inline: a vector per line was half of this stage's
    /// allocations, and with three inline a tenth of the seed's lines still took one.)
    pub ends: TinyVec<[usize; 6]>,
    /// Display columns of the first piece's leading whitespace (dropped from `text`):
    /// the nesting of Markdown-style lists (`1.` paragraphs, indented `1.` items).
    pub indent: u16,
    /// The first piece started with one ideographic space and nothing else (字下げ, the
    /// indent of a Japanese paragraph's first line; its `indent` is 0): in an old law,
    /// whose paragraphs are unnumbered, a new paragraph.
    pub jisage: bool,
    /// A reader says the line is a table row (a Markdown, HTML, XML or Word table's):
    /// its cells, with their spans (`text` holds them joined by ideographic spaces);
    /// build makes it a row of a table.
    pub row: Option<Box<[Cell]>>,
    /// A reader says the line is a heading of this level (Markdown `#`…, HTML `<h1>`…),
    /// 0 when not: in a document without 第N条, unnumbered headings are its articles.
    pub heading: u8,
}

/// A table cell a reader read: its text and how many columns and rows it spans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub colspan: u16,
    pub rowspan: u16,
}

impl Cell {
    /// A cell of one column and one row.
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            colspan: 1,
            rowspan: 1,
        }
    }
}

impl Line<'_> {
    /// The joined physical lines, in order.
    pub fn pieces(&self) -> impl Iterator<Item = &str> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let piece = &self.text[start..end];
            start = end + usize::from(self.text[end..].starts_with(' '));
            piece
        })
    }

    /// The display width of each piece, in order.
    pub fn widths(&self) -> impl Iterator<Item = usize> + '_ {
        self.pieces().map(width)
    }

    /// The widest piece.
    pub fn max_width(&self) -> usize {
        self.widths().max().unwrap_or(0)
    }

    /// The width of the last piece.
    pub fn last_width(&self) -> usize {
        self.pieces().last().map_or(0, width)
    }
}

/// The result of layout recovery.
#[derive(Clone, Debug, Default)]
pub struct Layout<'a> {
    pub lines: Vec<Line<'a>>,
    /// The document code printed in the page footers, if any.
    pub doc_code: Option<String>,
    /// The widest physical line that continued on the next one: the body's wrap width.
    pub wrap_width: Option<usize>,
    /// The title and date a reader found in the format's metadata (Markdown front
    /// matter), as written; text has none.
    pub title: Option<String>,
    pub date: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

fn doc_code_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+$").unwrap())
}

fn page_number_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:[-‐－—–]\s*[0-9０-９]+\s*[-‐－—–]|[0-9]+\s*/\s*[0-9]+)$").unwrap()
    })
}

/// Which physical lines are page footers (by 0-based index).
fn find_footers<'a>(trimmed: &[&'a str]) -> (Vec<bool>, Option<String>) {
    let mut counts: HashMap<&'a str, usize> = HashMap::default();
    for &t in trimmed {
        // (cheap tests first: a code starts with a Latin letter and holds a hyphen)
        let maybe_code = t.len() <= 40
            && t.starts_with(|c: char| c.is_ascii_alphabetic())
            && t.contains('-')
            && t.bytes().any(|b| b.is_ascii_digit());
        if maybe_code && doc_code_re().is_match(t) {
            *counts.entry(t).or_default() += 1;
        }
    }
    let doc_code = counts
        .iter()
        .filter(|(_, &n)| n >= 2)
        .max_by_key(|(code, &n)| (n, std::cmp::Reverse(**code)))
        .map(|(code, _)| code.to_string());
    let is_footer = trimmed
        .iter()
        .map(|&t| {
            !t.is_empty()
                && ((t.len() <= 40 && counts.get(t).is_some_and(|&n| n >= 2))
                    || (t.len() <= 24
                        && t.starts_with(|c: char| c.is_ascii_digit() || !c.is_alphanumeric())
                        && page_number_re().is_match(t)))
        })
        .collect();
    (is_footer, doc_code)
}

/// The width most wrapped lines share, when text was wrapped at a fixed width: the
/// `w` with the most lines in `[w-3, w]`, if those are at least a quarter of all lines
/// and at most 2% of the lines are wider than `w`.
fn dominant_wrap_width(widths: &[usize]) -> Option<usize> {
    let mut hist: BTreeMap<usize, usize> = BTreeMap::new();
    for &w in widths.iter().filter(|&&w| w >= 20) {
        *hist.entry(w).or_default() += 1;
    }
    let (mut best, mut best_n) = (0usize, 0usize);
    for &w in hist.keys() {
        let n: usize = hist.range(w.saturating_sub(3)..=w).map(|(_, n)| n).sum();
        if n >= best_n {
            (best, best_n) = (w, n);
        }
    }
    let wider: usize = hist.range(best + 1..).map(|(_, n)| n).sum();
    (best_n >= 5 && best_n * 4 >= widths.len() && wider * 50 <= widths.len()).then_some(best)
}

/// What trimming took from a physical line's ends (see [`physical_lines`]), as read for
/// a line with content (a blank line's whitespace all counts as leading).
#[derive(Clone, Copy)]
struct Cut {
    /// the line started with exactly one ASCII space (a page-break mark, under the
    /// trailing-space convention)
    one_space: bool,
    /// the line ended in whitespace (a hard line end, under that convention)
    hard_end: bool,
    /// display columns of the leading whitespace but its tabs
    indent: u16,
    /// tabs in the leading whitespace (each one indentation step of the document)
    tabs: u16,
    /// the leading whitespace was one ideographic space
    jisage: bool,
}

/// The lines of `text` without their `\n`, trimmed, and what trimming took from each; a
/// final newline ends the last line (as `split_terminator`). memchr's iterator finds the
/// newlines of the whole text in one vectorized pass, where a search per line paid its
/// setup on every short line; the vectors are sized by memchr's count first (growing
/// them copied them a dozen times). (Trimmed as they are split: a vector of the raw
/// lines and a pass of its own to trim them were 3 MB and a read of every line of the
/// 100× benchmark document.)
fn physical_lines<'a>(text: &'a str) -> (Vec<&'a str>, Vec<Cut>) {
    let n = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
    let (mut lines, mut cuts) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let mut push = |raw: &'a str| {
        let from_start = trim_start(raw);
        let t = trim_end(from_start);
        lines.push(t);
        let lead = &raw[..raw.len() - from_start.len()];
        cuts.push(Cut {
            one_space: lead.len() == 1 && raw.starts_with(' '),
            hard_end: t.len() < from_start.len(),
            indent: if lead.is_empty() { 0 } else { indent_of(lead) },
            tabs: lead.bytes().filter(|&b| b == b'\t').count().min(99) as u16,
            jisage: lead == "\u{3000}",
        });
    };
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', text.as_bytes()) {
        push(&text[start..nl]);
        start = nl + 1;
    }
    if start < text.len() {
        push(&text[start..]);
    }
    (lines, cuts)
}

/// Display columns of leading whitespace but its tabs: a wide space 2, others 1. A lone
/// ideographic space is the indent (字下げ) that starts a Japanese paragraph, not a
/// nesting: 0 (an old law's unnumbered paragraph is a line that starts with one).
fn indent_of(lead: &str) -> u16 {
    if lead == "\u{3000}" {
        return 0;
    }
    let cols: usize = lead
        .chars()
        .map(|c| match c {
            '\t' => 0,
            '\u{3000}' => 2,
            _ => 1,
        })
        .sum();
    cols.min(u16::MAX as usize) as u16
}

/// The document's indentation step, what one tab stands for: the narrowest indent of
/// two columns or more made of spaces alone (`  1.` nested two spaces deep: a tab is
/// one such level, as documents that mix the two mean it), 4 when there is none.
fn indent_step(cuts: &[Cut]) -> u16 {
    cuts.iter()
        .filter(|c| c.tabs == 0 && c.indent >= 2)
        .map(|c| c.indent)
        .min()
        .unwrap_or(4)
        .min(8)
}

fn starts_latin(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Recovers logical lines from decoded text.
pub fn layout(text: &str) -> Layout<'_> {
    // Each line trimmed once: most of the checks below look at the trimmed line.
    let (trimmed, cuts) = physical_lines(text);
    let (is_footer, doc_code) = find_footers(&trimmed);
    let mut diagnostics = Vec::new();

    let is_content = |i: usize| !is_footer[i] && !trimmed[i].is_empty();
    let content = (0..trimmed.len()).filter(|&i| is_content(i));
    let blank = trimmed.iter().filter(|l| l.is_empty()).count();
    let (mut n, mut trailing) = (0, 0);
    for i in content.clone() {
        n += 1;
        trailing += usize::from(cuts[i].hard_end);
    }
    // (When every content line ends in whitespace, the mark tells nothing: a renderer
    // that pads every line. Wraps are then found by width.)
    let trailing_convention = trailing * 5 >= n.max(1) && trailing < n;
    let spacer_blanks = blank * 10 >= trimmed.len() * 3;
    let step = indent_step(&cuts);
    // Without the trailing-space convention, wraps are found by width: the display
    // width of every content line, computed once. (Width is about a tenth of a parse's
    // instructions: under the convention only the widest wrapped piece is measured, and
    // tables measure their own lines.)
    let widths: Vec<usize> = if trailing_convention {
        Vec::new()
    } else {
        content.map(|i| width(trimmed[i])).collect()
    };
    let wrap_width = if trailing_convention {
        None
    } else {
        dominant_wrap_width(&widths)
    };

    // The pieces of the logical line being read are gathered, and the line is made when
    // the next one starts: its text in one allocation of its final size (growing it piece
    // by piece showed up in profiles as reallocations). (Every piece of the document in
    // one vector was 3 MB for the 100× benchmark document.)
    let mut lines: Vec<Line> = Vec::with_capacity(n);
    let mut group: Vec<Piece> = Vec::new();
    let mut k = 0; // the content line's number among them (for `widths`)
    let mut widest_wrapped = Widest::default();
    let mut open = false; // the last piece continues on the next content line
    let mut last_char: Option<char> = None; // the last character of the previous piece
    for (i, cut) in cuts.iter().enumerate() {
        let lineno = i + 1;
        if is_footer[i] {
            let mut d = Diagnostic::info(
                "footer-dropped",
                lineno,
                format!("page footer `{}` dropped", trimmed[i]),
            );
            d.dropped = Some(trimmed[i].to_string());
            diagnostics.push(d);
            continue;
        }
        if trimmed[i].is_empty() {
            if !spacer_blanks {
                open = false;
            }
            continue;
        }
        if trailing_convention && cut.one_space {
            diagnostics.push(Diagnostic::info(
                "page-break",
                lineno,
                "page-break mark (leading space) dropped",
            ));
        }
        // (a page-break mark is leading whitespace: trimming drops it with the indent)
        let piece = trimmed[i];
        // (every content line becomes one piece, in order)
        let w = widths.get(k).copied();
        k += 1;
        let joined = open && !group.is_empty();
        if !joined && !group.is_empty() {
            lines.push(joined_line(&group));
            group.clear();
        }
        group.push(Piece {
            text: piece,
            line: lineno,
            indent: cut.indent.saturating_add(cut.tabs * step),
            jisage: cut.jisage,
            space: joined
                && !trailing_convention
                && last_char.is_some_and(|c| c.is_ascii_alphanumeric())
                && starts_latin(piece),
        });
        last_char = piece.chars().next_back();
        open = if trailing_convention {
            !cut.hard_end
        } else if let (Some(ww), Some(w)) = (wrap_width, w) {
            w + 3 >= ww
                && next_content(&trimmed, &is_footer, i).is_some_and(|next| {
                    // (a sentence that ends at the wrap width, before a bracket: a
                    // caption wrapped itself, `（…に係る基` + `準）`, starts there)
                    let caption = piece.ends_with('。') && next.starts_with(['（', '(']);
                    !(caption || classify::starts_block(next))
                })
        } else {
            false
        };
        if open {
            widest_wrapped.offer(piece, w);
        }
    }
    if !group.is_empty() {
        lines.push(joined_line(&group));
    }
    if blank > 0 {
        diagnostics.push(Diagnostic::info(
            "spacer-lines",
            0,
            format!("{blank} blank line(s) dropped"),
        ));
    }
    diagnostics.sort_by_key(|d| d.line);
    Layout {
        lines,
        doc_code,
        wrap_width: widest_wrapped.0,
        title: None,
        date: None,
        diagnostics,
    }
}

/// One physical line's content, on its way into a logical line.
struct Piece<'a> {
    text: &'a str,
    line: usize,
    indent: u16,
    jisage: bool,
    /// a space goes before it (two Latin words joined without the trailing-space convention)
    space: bool,
}

/// The logical line of `group`'s pieces (at least one): the input's own text when it is
/// one piece.
fn joined_line<'a>(group: &[Piece<'a>]) -> Line<'a> {
    let mut ends = TinyVec::new();
    let text = if let [one @ Piece { space: false, .. }] = group {
        ends.push(one.text.len());
        Cow::Borrowed(one.text)
    } else {
        let len = group
            .iter()
            .map(|p| p.text.len() + usize::from(p.space))
            .sum();
        let mut text = String::with_capacity(len);
        for p in group {
            if p.space {
                text.push(' ');
            }
            text.push_str(p.text);
            ends.push(text.len());
        }
        Cow::Owned(text)
    };
    Line {
        text,
        line: group[0].line,
        end_line: group[group.len() - 1].line,
        ends,
        indent: group[0].indent,
        jisage: group[0].jisage,
        row: None,
        heading: 0,
    }
}

/// The widest of the pieces offered, each measured only when it could be wider than
/// the widest so far (most wrapped pieces are as wide as the first full one).
#[derive(Default)]
struct Widest(Option<usize>);

impl Widest {
    /// Offers a piece, with its width when known.
    fn offer(&mut self, piece: &str, known: Option<usize>) {
        let w = match known {
            Some(w) => w,
            None if self.0.is_some_and(|best| width_bound(piece) <= best) => return,
            None => width(piece),
        };
        self.0 = self.0.max(Some(w));
    }
}

fn next_content<'a>(trimmed: &[&'a str], is_footer: &[bool], i: usize) -> Option<&'a str> {
    (i + 1..trimmed.len())
        .find(|&j| !is_footer[j] && !trimmed[j].is_empty())
        .map(|j| trimmed[j])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(l: &'a Layout) -> Vec<&'a str> {
        l.lines.iter().map(|l| l.text.as_ref()).collect()
    }

    #[test]
    fn trailing_space_convention_joins_wrapped_lines() {
        let t = "第 1条（目的） \n\nこの約款は、当社が提供するサー\n\nビスに適用します。 \n\n2 当社は \n";
        let l = layout(t);
        assert_eq!(
            texts(&l),
            [
                "第 1条（目的）",
                "この約款は、当社が提供するサービスに適用します。",
                "2 当社は"
            ]
        );
        assert_eq!((l.lines[1].line, l.lines[1].end_line), (3, 5));
        let pieces: Vec<&str> = l.lines[1].pieces().collect();
        assert_eq!(
            pieces,
            ["この約款は、当社が提供するサー", "ビスに適用します。"]
        );
        assert_eq!((l.lines[1].max_width(), l.lines[1].last_width()), (30, 18));
        // (under the convention, only wrapped pieces are measured for the wrap width)
        assert_eq!(l.wrap_width, Some(30));
    }

    #[test]
    fn pieces_skip_the_space_that_joined_two_latin_words() {
        let mut line = Line {
            text: "IIJ for Microsoft".into(),
            line: 1,
            end_line: 2,
            ends: Default::default(),
            indent: 0,
            jisage: false,
            row: None,
            heading: 0,
        };
        line.ends.extend([7, 17]);
        assert_eq!(line.pieces().collect::<Vec<_>>(), ["IIJ for", "Microsoft"]);
        assert_eq!(line.widths().collect::<Vec<_>>(), [7, 9]);
    }

    #[test]
    fn the_widest_wrapped_piece_is_measured_only_when_it_may_be_wider() {
        let mut w = Widest::default();
        w.offer("用語", None);
        assert_eq!(w.0, Some(4));
        w.offer("①②", None); // bound 4: not measured, cannot be wider
        w.offer("IIJ", Some(3));
        assert_eq!(w.0, Some(4));
        w.offer("IIJ用語", None);
        assert_eq!(w.0, Some(7));
    }

    #[test]
    fn page_break_and_footer_are_dropped_and_recorded() {
        let t =
            "甲は乙に \n\n本文の途中で改ペ\n\nDOC-001 \n\n ージする。 \n\nDOC-001 \n\n 次の文。 \n";
        let l = layout(t);
        assert_eq!(
            texts(&l),
            ["甲は乙に", "本文の途中で改ページする。", "次の文。"]
        );
        assert_eq!(l.doc_code.as_deref(), Some("DOC-001"));
        let codes: Vec<_> = l.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "spacer-lines",
                "footer-dropped",
                "page-break",
                "footer-dropped",
                "page-break"
            ]
        );
    }

    #[test]
    fn physical_lines_split_as_split_terminator_does() {
        for t in ["", "\n", "a", "a\n", "a\nb", "a\n\nb\n", "\n\n", "甲\r\n乙"] {
            let want: Vec<&str> = t.split_terminator('\n').map(str::trim).collect();
            assert_eq!(physical_lines(t).0, want, "{t:?}");
        }
    }

    #[test]
    fn physical_lines_tell_what_trimming_took() {
        let t = " 甲\n  乙\n \u{3000}丙\n\t丁\n戊 \n己\u{3000}\n庚\r\n辛";
        let (lines, cuts) = physical_lines(t);
        assert_eq!(lines, ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"]);
        let one_space: Vec<bool> = cuts.iter().map(|c| c.one_space).collect();
        let hard_end: Vec<bool> = cuts.iter().map(|c| c.hard_end).collect();
        // (only a single ASCII space is a page-break mark; a tab or a wider indent is not)
        assert_eq!(
            one_space,
            [true, false, false, false, false, false, false, false]
        );
        assert_eq!(
            hard_end,
            [false, false, false, false, true, true, true, false]
        );
    }

    #[test]
    fn clean_text_keeps_each_line() {
        let t = "第一条　この法律は、目的を定める。\n２　前項の規定は適用しない。\n";
        assert_eq!(
            texts(&layout(t)),
            [
                "第一条　この法律は、目的を定める。",
                "２　前項の規定は適用しない。"
            ]
        );
    }
}
