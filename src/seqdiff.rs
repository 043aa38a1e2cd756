//! An order-keeping diff of two sequences that stays linear on any input.
//!
//! In: two slices of comparable items (node contents, 附則 headings, word tokens). Out:
//! [`Op`]s in order, as `similar` gives them: equal runs, deletions, insertions and
//! replacements, each with its ranges in the two slices.
//!
//! `similar`'s Patience diff falls back to Myers between its anchors, and Myers takes
//! time proportional to the lengths times the number of differences: quadratic for two
//! long sequences that share little (one article against 64,000, 128,000 equal
//! headings). So the work is bounded by size, not by a deadline:
//!
//! 1. the common prefix and suffix are equal runs;
//! 2. a middle of at most [`LIMIT`] items (both sides together) goes to Patience, whose
//!    Myers fallback then costs at most `LIMIT²` steps;
//! 3. a longer middle is cut at its unique anchors (items found exactly once in each
//!    side, the longest run of them in the same order, found by patience sorting);
//!    each gap between anchors goes to Patience when it is within [`LIMIT`], and is
//!    one replacement otherwise (its caller pairs its items in linear time, or shows
//!    it as replaced).
//!
//! Time: linear in the items (hashing, plus `LIMIT` steps per item at most in the
//! gaps), whatever the input.

use rustc_hash::FxHashMap as HashMap;
use similar::{capture_diff_slices, Algorithm, DiffTag};
use std::hash::Hash;
use std::ops::Range;

/// One step of a diff: what happened to `a[.0]` and `b[.1]`.
pub type Op = (DiffTag, Range<usize>, Range<usize>);

/// The most items (both sides together) diffed by Patience and Myers at once.
pub const LIMIT: usize = 2000;

/// The diff of `a` and `b` (see the module doc).
pub fn ops<T: Hash + Ord>(a: &[T], b: &[T]) -> Vec<Op> {
    let mut out = Vec::new();
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    if pre > 0 {
        out.push((DiffTag::Equal, 0..pre, 0..pre));
    }
    let (ra, rb) = (pre..a.len() - suf, pre..b.len() - suf);
    if ra.len() + rb.len() <= LIMIT {
        gap(a, b, ra, rb, &mut out);
    } else {
        let (mut i0, mut j0) = (ra.start, rb.start);
        for (i, j) in unique_anchors(&a[ra.clone()], &b[rb.clone()]) {
            let (i, j) = (i + ra.start, j + rb.start);
            gap(a, b, i0..i, j0..j, &mut out);
            out.push((DiffTag::Equal, i..i + 1, j..j + 1));
            (i0, j0) = (i + 1, j + 1);
        }
        gap(a, b, i0..ra.end, j0..rb.end, &mut out);
    }
    if suf > 0 {
        out.push((
            DiffTag::Equal,
            a.len() - suf..a.len(),
            b.len() - suf..b.len(),
        ));
    }
    out
}

/// A stretch without anchors: Patience within [`LIMIT`], else one replacement.
fn gap<T: Hash + Ord>(a: &[T], b: &[T], ra: Range<usize>, rb: Range<usize>, out: &mut Vec<Op>) {
    match (ra.is_empty(), rb.is_empty()) {
        (true, true) => {}
        (false, true) => out.push((DiffTag::Delete, ra, rb)),
        (true, false) => out.push((DiffTag::Insert, ra, rb)),
        _ if ra.len() + rb.len() > LIMIT => out.push((DiffTag::Replace, ra, rb)),
        _ => {
            let (i0, j0) = (ra.start, rb.start);
            for op in capture_diff_slices(Algorithm::Patience, &a[ra], &b[rb]) {
                let (tag, x, y) = op.as_tag_tuple();
                out.push((tag, x.start + i0..x.end + i0, y.start + j0..y.end + j0));
            }
        }
    }
}

/// The items found exactly once in each slice, paired, as many as keep their order
/// (the longest increasing run of their positions in `b`): Patience diff's anchors.
pub fn unique_anchors<T: Hash + Ord>(a: &[T], b: &[T]) -> Vec<(usize, usize)> {
    let mut count: HashMap<&T, (u32, u32, usize, usize)> = HashMap::default();
    for (i, s) in a.iter().enumerate() {
        let e = count.entry(s).or_default();
        (e.0, e.2) = (e.0.saturating_add(1), i);
    }
    for (j, s) in b.iter().enumerate() {
        let e = count.entry(s).or_default();
        (e.1, e.3) = (e.1.saturating_add(1), j);
    }
    let mut pairs: Vec<(usize, usize)> = count
        .into_values()
        .filter(|&(na, nb, _, _)| na == 1 && nb == 1)
        .map(|(_, _, i, j)| (i, j))
        .collect();
    pairs.sort_unstable();
    // Longest increasing subsequence of the positions in `b` (patience sorting).
    let mut tops: Vec<usize> = Vec::new(); // index into `pairs` of each pile's top
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for k in 0..pairs.len() {
        let pile = tops.partition_point(|&t| pairs[t].1 < pairs[k].1);
        prev[k] = pile.checked_sub(1).map(|p| tops[p]);
        if pile == tops.len() {
            tops.push(k);
        } else {
            tops[pile] = k;
        }
    }
    let mut run = Vec::with_capacity(tops.len());
    let mut k = tops.last().copied();
    while let Some(x) = k {
        run.push(pairs[x]);
        k = prev[x];
    }
    run.reverse();
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies the ops to `a` with `b`'s items: must give `b`, and cover both in order.
    fn check(a: &[u32], b: &[u32]) -> Vec<Op> {
        let ops = ops(a, b);
        let (mut i, mut j) = (0, 0);
        for (tag, x, y) in &ops {
            assert_eq!((x.start, y.start), (i, j), "ops are contiguous");
            if *tag == DiffTag::Equal {
                assert_eq!(a[x.clone()], b[y.clone()]);
            }
            (i, j) = (x.end, y.end);
        }
        assert_eq!((i, j), (a.len(), b.len()));
        ops
    }

    #[test]
    fn small_inputs_are_diffed_as_patience_does() {
        let ops = check(&[1, 2, 3, 4], &[1, 3, 4, 5]);
        let tags: Vec<DiffTag> = ops.iter().map(|o| o.0).collect();
        assert_eq!(
            tags,
            [
                DiffTag::Equal,
                DiffTag::Delete,
                DiffTag::Equal,
                DiffTag::Insert
            ]
        );
    }

    #[test]
    fn long_inputs_are_cut_at_unique_anchors() {
        let a: Vec<u32> = (0..5000).collect();
        let mut b = a.clone();
        b.remove(2500);
        b.insert(100, 99_999);
        let ops = check(&a, &b);
        let changed: usize = ops
            .iter()
            .filter(|o| o.0 != DiffTag::Equal)
            .map(|o| o.1.len() + o.2.len())
            .sum();
        assert_eq!(changed, 2, "one deletion and one insertion: {ops:?}");
    }

    #[test]
    fn a_long_gap_without_anchors_is_one_replacement() {
        let a = vec![7u32; 3000];
        let b = vec![8u32; 4000];
        assert_eq!(check(&a, &b), [(DiffTag::Replace, 0..3000, 0..4000)]);
        let ops = check(&[1], &(2..64_002).collect::<Vec<u32>>());
        assert_eq!(ops, [(DiffTag::Replace, 0..1, 0..64_000)]);
    }
}
