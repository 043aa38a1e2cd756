//! Ruled tables of a PDF page, from its rules and the text spans inside them.
//!
//! In: a page's paths and text spans. Out: its tables, each a list of rows of cells
//! (with their column and row spans), and the spans no table took.
//! - a rule is a thin horizontal or vertical stroke: a filled rectangle under 2 pt
//!   across (how Chromium draws a cell border), a stroked line, or an edge of a
//!   stroked rectangle; rules that touch or cross (within 2 pt) form one table;
//! - a table needs two rows of rules across and two down, and two cells or more (one
//!   ruled box around a paragraph is a frame, not a table);
//! - its grid is cut at every rule position; two neighbouring grid cells are one cell
//!   when no rule separates them (a column or row span);
//! - a span belongs to the cell its centre falls in; a cell's spans are laid out in
//!   lines by baseline, and its lines are joined as wrapped lines are (a space only
//!   between two Latin letters or digits): a cell that wraps stays one cell.
//!
//! A table without rules (columns aligned by spaces alone) is not rebuilt: its rows
//! stay lines whose cells are separated by the spaces the gaps give.

use crate::layout::Cell;
use pdf_oxide::elements::{PathContent, PathOperation};
use pdf_oxide::layout::TextSpan;

/// Rules closer than this (points) touch.
const TOUCH: f32 = 2.0;
/// Past this many rules on a page (a drawing, not a table), no table is read from it.
const MAX_RULES: usize = 4000;

/// A horizontal (`at` = y, from..to along x) or vertical (`at` = x, along y) rule.
#[derive(Clone, Copy, Debug)]
struct Rule {
    at: f32,
    from: f32,
    to: f32,
}

impl Rule {
    fn new(at: f32, a: f32, b: f32) -> Rule {
        Rule {
            at,
            from: a.min(b),
            to: a.max(b),
        }
    }

    fn covers(&self, v: f32) -> bool {
        v >= self.from - TOUCH && v <= self.to + TOUCH
    }
}

/// One row of a table: where it starts (the y of its top rule) and its cells.
pub(super) struct TableRow {
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
    pub size: f32,
    pub cells: Vec<Cell>,
    /// the room left at the end of each cell's last line (inside its padding): a row
    /// cut by a page break has a cell whose text had no room to go on
    pub room: Vec<f32>,
}

/// The rules of a page's paths: (horizontal, vertical).
fn rules(paths: &[PathContent]) -> (Vec<Rule>, Vec<Rule>) {
    let (mut across, mut down) = (Vec::new(), Vec::new());
    let thin = |x: f32, y: f32, w: f32, h: f32, across: &mut Vec<Rule>, down: &mut Vec<Rule>| {
        let (w, h) = (w.abs(), h.abs());
        if h < TOUCH && w > 5.0 {
            across.push(Rule::new(y + h / 2.0, x, x + w));
            true
        } else if w < TOUCH && h > 5.0 {
            down.push(Rule::new(x + w / 2.0, y, y + h));
            true
        } else {
            false
        }
    };
    for p in paths {
        let stroked = p.stroke_color.is_some();
        if !stroked {
            // a filled shape counts when it is a thin bar
            if p.fill_color.is_some() {
                thin(
                    p.bbox.x,
                    p.bbox.y,
                    p.bbox.width,
                    p.bbox.height,
                    &mut across,
                    &mut down,
                );
            }
            continue;
        }
        let (mut at, mut start) = ((0.0f32, 0.0f32), (0.0f32, 0.0f32));
        let segment =
            |a: (f32, f32), b: (f32, f32), across: &mut Vec<Rule>, down: &mut Vec<Rule>| {
                if (a.1 - b.1).abs() < 1.0 && (a.0 - b.0).abs() > 5.0 {
                    across.push(Rule::new((a.1 + b.1) / 2.0, a.0, b.0));
                } else if (a.0 - b.0).abs() < 1.0 && (a.1 - b.1).abs() > 5.0 {
                    down.push(Rule::new((a.0 + b.0) / 2.0, a.1, b.1));
                }
            };
        for op in &p.operations {
            match *op {
                PathOperation::MoveTo(x, y) => {
                    at = (x, y);
                    start = at;
                }
                PathOperation::LineTo(x, y) => {
                    segment(at, (x, y), &mut across, &mut down);
                    at = (x, y);
                }
                PathOperation::CurveTo(.., x, y) => at = (x, y),
                PathOperation::ClosePath => {
                    segment(at, start, &mut across, &mut down);
                    at = start;
                }
                PathOperation::Rectangle(x, y, w, h) => {
                    if !thin(x, y, w, h, &mut across, &mut down) {
                        let (x1, y1) = (x + w, y + h);
                        across.push(Rule::new(y, x, x1));
                        across.push(Rule::new(y1, x, x1));
                        down.push(Rule::new(x, y, y1));
                        down.push(Rule::new(x1, y, y1));
                    }
                    at = (x, y);
                    start = at;
                }
            }
        }
    }
    (across, down)
}

/// Sorted distinct positions, those within `TOUCH` of each other merged.
fn positions(rules: &[&Rule], descending: bool) -> Vec<f32> {
    let mut v: Vec<f32> = rules.iter().map(|r| r.at).collect();
    v.sort_by(f32::total_cmp);
    v.dedup_by(|b, a| (*b - *a).abs() < TOUCH);
    if descending {
        v.reverse();
    }
    v
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (a, b) = (find(parent, a), find(parent, b));
    if a != b {
        parent[a] = b;
    }
}

/// The page's ruled tables; the spans they take are removed from `spans`.
pub(super) fn tables(paths: &[PathContent], spans: &mut Vec<TextSpan>) -> Vec<TableRow> {
    let (across, down) = rules(paths);
    let n = across.len() + down.len();
    if across.len() < 2 || down.len() < 2 || n > MAX_RULES {
        return Vec::new();
    }
    // rules that touch form one table
    let mut parent: Vec<usize> = (0..n).collect();
    let rule = |i: usize| -> (bool, &Rule) {
        if i < across.len() {
            (true, &across[i])
        } else {
            (false, &down[i - across.len()])
        }
    };
    for i in 0..n {
        for j in i + 1..n {
            let ((hi, a), (hj, b)) = (rule(i), rule(j));
            let touch = if hi == hj {
                (a.at - b.at).abs() < TOUCH && a.from <= b.to + TOUCH && b.from <= a.to + TOUCH
            } else {
                a.covers(b.at) && b.covers(a.at)
            };
            if touch {
                union(&mut parent, i, j);
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut root_of: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        let r = find(&mut parent, i);
        let g = *root_of[r].get_or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    let mut rows = Vec::new();
    for g in groups {
        let (h, v): (Vec<&Rule>, Vec<&Rule>) = {
            let (mut h, mut v) = (Vec::new(), Vec::new());
            for &i in &g {
                match rule(i) {
                    (true, r) => h.push(r),
                    (false, r) => v.push(r),
                }
            }
            (h, v)
        };
        if h.len() >= 2 && v.len() >= 2 {
            table(&h, &v, spans, &mut rows);
        }
    }
    rows.sort_by(|a, b| b.top.total_cmp(&a.top));
    rows
}

/// One table's rows, from its rules across (`h`) and down (`v`).
fn table(h: &[&Rule], v: &[&Rule], spans: &mut Vec<TextSpan>, out: &mut Vec<TableRow>) {
    let ys = positions(h, true);
    let xs = positions(v, false);
    let (bands, cols) = (ys.len() - 1, xs.len() - 1);
    if bands == 0 || cols == 0 || bands * cols < 2 {
        return;
    }
    // grid cells joined where no rule separates them
    let mut parent: Vec<usize> = (0..bands * cols).collect();
    for k in 0..bands {
        let mid_y = (ys[k] + ys[k + 1]) / 2.0;
        for j in 0..cols {
            let mid_x = (xs[j] + xs[j + 1]) / 2.0;
            let ruled_right = v
                .iter()
                .any(|r| (r.at - xs[j + 1]).abs() < TOUCH && r.covers(mid_y));
            if j + 1 < cols && !ruled_right {
                union(&mut parent, k * cols + j, k * cols + j + 1);
            }
            let ruled_below = h
                .iter()
                .any(|r| (r.at - ys[k + 1]).abs() < TOUCH && r.covers(mid_x));
            if k + 1 < bands && !ruled_below {
                union(&mut parent, k * cols + j, (k + 1) * cols + j);
            }
        }
    }
    let roots: Vec<usize> = (0..bands * cols).map(|i| find(&mut parent, i)).collect();
    if roots.iter().all(|&r| r == roots[0]) {
        return;
    }
    // the spans inside, to their cell (by the cell's root); a span drawn across a
    // column rule (one run of text over two cells) is cut there first
    let (top, bottom, left, right) = (ys[0], ys[bands], xs[0], xs[cols]);
    let inner = &xs[1..cols];
    let mut k = 0;
    while k < spans.len() {
        let s = &spans[k];
        let cy = s.bbox.y + s.bbox.height / 2.0;
        let (x0, x1) = (s.bbox.x, s.bbox.x + s.bbox.width);
        let crosses =
            cy < top && cy > bottom && inner.iter().any(|&x| x0 < x - TOUCH && x1 > x + TOUCH);
        if crosses {
            let pieces = cut(&spans[k], inner);
            let n = pieces.len();
            spans.splice(k..=k, pieces);
            k += n;
        } else {
            k += 1;
        }
    }
    let mut inside: Vec<Vec<TextSpan>> = (0..bands * cols).map(|_| Vec::new()).collect();
    let mut k = 0;
    while k < spans.len() {
        let s = &spans[k];
        let (cx, cy) = (
            s.bbox.x + s.bbox.width / 2.0,
            s.bbox.y + s.bbox.height / 2.0,
        );
        if cx > left && cx < right && cy < top && cy > bottom {
            let band = ys.iter().skip(1).position(|&y| cy > y).unwrap_or(bands - 1);
            let col = xs.iter().skip(1).position(|&x| cx < x).unwrap_or(cols - 1);
            inside[roots[band * cols + col]].push(spans.swap_remove(k));
        } else {
            k += 1;
        }
    }
    for band in 0..bands {
        let mut cells = Vec::new();
        let mut size = 0.0f32;
        // (each cell's text, its first line's left edge and its last line's right)
        let mut edges = Vec::new();
        for col in 0..cols {
            let i = band * cols + col;
            let r = roots[i];
            // a cell starts at its top-left grid cell
            let starts = (band == 0 || roots[i - cols] != r) && (col == 0 || roots[i - 1] != r);
            if !starts {
                continue;
            }
            let colspan = (col..cols)
                .take_while(|&c| roots[band * cols + c] == r)
                .count();
            let rowspan = (band..bands)
                .take_while(|&b| roots[b * cols + col] == r)
                .count();
            let spans = std::mem::take(&mut inside[r]);
            size = spans.iter().map(|s| s.font_size).fold(size, f32::max);
            let (text, first, last) = cell_text(spans);
            edges.push((xs[col], first, last, xs[col + colspan]));
            let mut cell = Cell::new(text);
            cell.colspan = colspan as u16;
            cell.rowspan = rowspan as u16;
            cells.push(cell);
        }
        // (the padding: the least distance from a cell's rule to its text)
        let pad = edges
            .iter()
            .filter(|e| e.1.is_finite())
            .map(|e| e.1 - e.0)
            .fold(f32::INFINITY, f32::min);
        let room = edges
            .iter()
            .map(|e| e.3 - e.2 - if pad.is_finite() { pad } else { 0.0 })
            .collect();
        out.push(TableRow {
            top: ys[band],
            bottom: ys[band + 1],
            left,
            right,
            size,
            cells,
            room,
        });
    }
}

/// A cell's text (its lines by baseline, joined as wrapped lines are), its first
/// line's left edge and its last line's right edge (infinite for an empty cell).
fn cell_text(spans: Vec<TextSpan>) -> (String, f32, f32) {
    let mut text = String::new();
    let lines = super::pdf::lines_of(spans);
    for line in &lines {
        wrap_join(&mut text, &line.text);
    }
    match (lines.first(), lines.last()) {
        (Some(first), Some(last)) => (text, first.left, last.right),
        _ => (text, f32::INFINITY, f32::INFINITY),
    }
}

/// Appends the next line of a wrapped text: a space only between two Latin letters or
/// digits.
pub(super) fn wrap_join(text: &mut String, next: &str) {
    let next = next.trim();
    let joins_words = text.ends_with(|c: char| c.is_ascii_alphanumeric())
        && next.starts_with(|c: char| c.is_ascii_alphanumeric());
    if joins_words {
        text.push(' ');
    }
    text.push_str(next);
}

/// A span cut at the column rules `at` it crosses, by its characters' positions.
fn cut(span: &TextSpan, at: &[f32]) -> Vec<TextSpan> {
    let mut pieces: Vec<TextSpan> = Vec::new();
    let mut column = None;
    for c in span.to_chars() {
        let centre = c.bbox.x + c.bbox.width / 2.0;
        let col = at.iter().take_while(|&&x| centre > x).count();
        match pieces.last_mut() {
            Some(p) if column == Some(col) => {
                p.text.push(c.char);
                p.bbox.width = c.bbox.x + c.bbox.width - p.bbox.x;
            }
            _ => {
                let mut p = span.clone();
                p.text = c.char.to_string();
                p.bbox.x = c.bbox.x;
                p.bbox.width = c.bbox.width;
                p.char_widths.clear();
                p.char_x_offsets.clear();
                pieces.push(p);
                column = Some(col);
            }
        }
    }
    pieces.retain(|p| !p.text.trim().is_empty());
    pieces
}
