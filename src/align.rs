//! Order-keeping alignment of two node lists: which old node became which new one.
//!
//! In: the old and the new nodes of one level (articles, paragraphs, items). Out: pairs
//! in order, one side absent for a removed or an added node. Used by [`crate::diff`].
//!
//! 1. Nodes are compared by their [`content`] without their numbers. Equal contents are
//!    paired by a diff of the two sequences that keeps the order and stays linear
//!    ([`crate::seqdiff`]: Patience where small enough, unique anchors beyond).
//! 2. Between those anchors, the remaining nodes are paired by the best order-keeping
//!    alignment of their [`similarity`] (≥ 0.5), by dynamic programming over every
//!    pair of the block. A block of more than [`FULL_BLOCK`] pairs (two documents
//!    revised throughout) is aligned greedily instead, so that the work stays linear:
//!    each old node is paired with the most similar of the next [`WINDOW`] new ones
//!    unless a later old node (within [`WINDOW`]) is more similar to that one.
//!
use crate::normalize::key;
use crate::seqdiff;
use crate::tree::Node;
use rustc_hash::FxHashMap as HashMap;
use similar::DiffTag;
use std::cell::OnceCell;
use std::ops::Range;

/// The most pairs of a block aligned exactly (a 200 × 200 block).
pub const FULL_BLOCK: usize = 40_000;

/// How many new nodes ahead a greedy alignment looks for each old one.
pub const WINDOW: usize = 32;

/// A pairing: old node, new node; one of them absent for a removal or an addition.
pub type Aligned<'a> = (Option<&'a Node>, Option<&'a Node>);

/// The content of a subtree without numbers: what alignment compares.
pub fn content(n: &Node) -> String {
    let mut s = String::new();
    fn add(s: &mut String, n: &Node) {
        for part in [&n.title, &n.text].into_iter().flatten() {
            s.push_str(&key(part));
        }
        for c in n.cells.iter() {
            s.push_str(&key(c));
        }
        for c in &n.children {
            add(s, c);
        }
    }
    add(&mut s, n);
    s
}

/// The character bigrams of a text with their counts.
#[derive(Clone)]
pub struct Bigrams {
    counts: HashMap<(char, char), u32>,
    total: u32,
}

impl Bigrams {
    pub fn of(s: &str) -> Self {
        let mut counts: HashMap<(char, char), u32> = HashMap::default();
        let mut chars = s.chars();
        let mut prev = chars.next();
        let mut total = 0;
        for c in chars {
            if let Some(p) = prev {
                *counts.entry((p, c)).or_insert(0) += 1;
                total += 1;
            }
            prev = Some(c);
        }
        Bigrams { counts, total }
    }
}

/// The Dice coefficient of two bigram multisets: 1 for equal texts (and for two texts
/// without bigrams), 0 for texts with none in common.
pub fn similarity(a: &Bigrams, b: &Bigrams) -> f64 {
    if a.total + b.total == 0 {
        return 1.0;
    }
    let common: u32 = a
        .counts
        .iter()
        .map(|(k, v)| (*v).min(*b.counts.get(k).unwrap_or(&0)))
        .sum();
    2.0 * f64::from(common) / f64::from(a.total + b.total)
}

/// Order-keeping alignment of two node lists (see the module doc).
pub fn align<'a>(old: &[&'a Node], new: &[&'a Node]) -> Vec<Aligned<'a>> {
    let ca: Vec<String> = old.iter().map(|n| content(n)).collect();
    let cb: Vec<String> = new.iter().map(|n| content(n)).collect();
    let lists = Lists {
        old,
        new,
        ca: &ca,
        cb: &cb,
    };
    let mut out = Vec::with_capacity(old.len().max(new.len()));
    for (tag, ra, rb) in seqdiff::ops(&ca, &cb) {
        match tag {
            DiffTag::Equal => out.extend(ra.zip(rb).map(|(i, j)| (Some(old[i]), Some(new[j])))),
            _ => out.extend(lists.block(ra, rb).by_similarity()),
        }
    }
    out
}

/// Two node lists with their contents: a whole level, or a block of one.
#[derive(Clone, Copy)]
struct Lists<'a, 's> {
    old: &'s [&'a Node],
    new: &'s [&'a Node],
    ca: &'s [String],
    cb: &'s [String],
}

impl<'a> Lists<'a, '_> {
    /// Nodes `ra` of the old list and `rb` of the new one.
    fn block(self, ra: Range<usize>, rb: Range<usize>) -> Self {
        Lists {
            old: &self.old[ra.clone()],
            new: &self.new[rb.clone()],
            ca: &self.ca[ra],
            cb: &self.cb[rb],
        }
    }

    /// Step 2: pairs the nodes of a block without anchors by similarity.
    fn by_similarity(self) -> Vec<Aligned<'a>> {
        let Lists { old, new, ca, cb } = self;
        // (made when first needed: the greedy pass compares few nodes of a long block)
        let (ba, bb): (Vec<OnceCell<Bigrams>>, Vec<OnceCell<Bigrams>>) = (
            vec![OnceCell::new(); ca.len()],
            vec![OnceCell::new(); cb.len()],
        );
        let sim = |i: usize, j: usize| {
            let a = ba[i].get_or_init(|| Bigrams::of(&ca[i]));
            let b = bb[j].get_or_init(|| Bigrams::of(&cb[j]));
            let s = similarity(a, b);
            // The same kind and number is a hint when texts are short.
            if old[i].num == new[j].num
                && old[i].kind == new[j].kind
                && ca[i].is_empty()
                && cb[j].is_empty()
            {
                1.0
            } else {
                s
            }
        };
        if old.len() * new.len() <= FULL_BLOCK {
            best_alignment(old, new, sim)
        } else {
            greedy_alignment(old, new, (ca, cb), sim)
        }
    }
}

/// The order-keeping pairing (similarity ≥ 0.5) with the highest total similarity.
fn best_alignment<'a>(
    old: &[&'a Node],
    new: &[&'a Node],
    sim: impl Fn(usize, usize) -> f64,
) -> Vec<Aligned<'a>> {
    let (n, m) = (old.len(), new.len());
    let mut score = vec![vec![0.0f64; m + 1]; n + 1];
    let sims: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..m).map(|j| sim(i, j)).collect())
        .collect();
    for i in 1..=n {
        for j in 1..=m {
            let s = sims[i - 1][j - 1];
            let diag = if s >= 0.5 {
                score[i - 1][j - 1] + s
            } else {
                f64::MIN
            };
            score[i][j] = score[i - 1][j].max(score[i][j - 1]).max(diag);
        }
    }
    let (mut i, mut j) = (n, m);
    let mut rev = Vec::new();
    while i > 0 || j > 0 {
        if i > 0
            && j > 0
            && sims[i - 1][j - 1] >= 0.5
            && score[i][j] == score[i - 1][j - 1] + sims[i - 1][j - 1]
        {
            rev.push((Some(old[i - 1]), Some(new[j - 1])));
            i -= 1;
            j -= 1;
        } else if j > 0 && (i == 0 || score[i][j] == score[i][j - 1]) {
            rev.push((None, Some(new[j - 1])));
            j -= 1;
        } else {
            rev.push((Some(old[i - 1]), None));
            i -= 1;
        }
    }
    rev.reverse();
    rev
}

/// Each old node in turn is paired with the nearest of the next [`WINDOW`] unpaired new
/// nodes with the same content, else with the most similar (≥ 0.5) of them (the
/// nearest on a tie), unless one of the next [`WINDOW`] old nodes is more similar to
/// that new node: then it is removed, and the new node waits for the better match. The
/// new nodes a pairing skips are additions. Linear in the block's length. A node whose
/// content equals its neighbour's has the same similarity, which is not computed again
/// (a block of repeated provisions costs one similarity per node, not 64).
fn greedy_alignment<'a>(
    old: &[&'a Node],
    new: &[&'a Node],
    (ca, cb): (&[String], &[String]),
    sim: impl Fn(usize, usize) -> f64,
) -> Vec<Aligned<'a>> {
    let mut out = Vec::with_capacity(old.len() + new.len());
    let mut j = 0;
    for (i, &o) in old.iter().enumerate() {
        let window = j..new.len().min(j + WINDOW);
        // An equal content first: the best possible match, found by comparing texts
        // without computing any similarity (long unchanged runs, insertions among them).
        if let Some(k) = window.clone().find(|&k| ca[i] == cb[k]) {
            out.extend(new[j..k].iter().map(|&n| (None, Some(n))));
            out.push((Some(o), Some(new[k])));
            j = k + 1;
            continue;
        }
        let mut best: Option<(usize, f64)> = None;
        let mut last: Option<(usize, f64)> = None;
        for k in window {
            let s = match last {
                Some((p, s)) if cb[p] == cb[k] => s,
                _ => sim(i, k),
            };
            last = Some((k, s));
            if s >= 0.5 && best.is_none_or(|(_, b)| s > b) {
                best = Some((k, s));
            }
        }
        let mutual = best.filter(|&(k, s)| {
            (i + 1..old.len().min(i + 1 + WINDOW))
                .all(|later| ca[later] == ca[i] || sim(later, k) <= s)
        });
        match mutual {
            Some((k, _)) => {
                out.extend(new[j..k].iter().map(|&n| (None, Some(n))));
                out.push((Some(o), Some(new[k])));
                j = k + 1;
            }
            None => out.push((Some(o), None)),
        }
    }
    out.extend(new[j..].iter().map(|&n| (None, Some(n))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Kind;

    fn node(num: usize, text: &str) -> Node {
        let mut n = Node::new(Kind::Article, format!("art_{num}"), num);
        n.num = Some(num.to_string());
        n.text = Some(text.to_string());
        n
    }

    fn ids(pairs: &[Aligned]) -> Vec<(Option<String>, Option<String>)> {
        let id = |n: Option<&Node>| n.map(|n| n.id.clone());
        pairs.iter().map(|&(a, b)| (id(a), id(b))).collect()
    }

    #[test]
    fn similarity_is_the_dice_coefficient_of_bigrams() {
        let s = |a: &str, b: &str| similarity(&Bigrams::of(a), &Bigrams::of(b));
        assert_eq!(s("abcd", "abcd"), 1.0);
        assert_eq!(s("", ""), 1.0);
        assert_eq!(s("abcd", "wxyz"), 0.0);
        // ab bc cd against ab bc ce: two of three in common
        assert!((s("abcd", "abce") - 2.0 * 2.0 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn anchors_are_the_unique_contents_in_order() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        // x y z unique in both, z out of order; d twice in the new list
        let a = v(&["x", "d", "y", "z", "w"]);
        let b = v(&["z", "x", "d", "d", "y", "q"]);
        assert_eq!(seqdiff::unique_anchors(&a, &b), [(0, 1), (2, 4)]);
    }

    #[test]
    fn long_lists_align_by_anchors_as_patience_does() {
        // 2,100 articles, one inserted and one removed: beyond seqdiff::LIMIT
        let old: Vec<Node> = (1..=2100)
            .map(|i| node(i, &format!("第{i}の事項。")))
            .collect();
        let mut new: Vec<Node> = (1..=2100)
            .filter(|&i| i != 700)
            .map(|i| node(i, &format!("第{i}の事項。")))
            .collect();
        new.insert(100, node(9999, "新しい事項。"));
        let (old, new): (Vec<&Node>, Vec<&Node>) = (old.iter().collect(), new.iter().collect());
        assert!(old.len() + new.len() > seqdiff::LIMIT);
        let content = |v: &[&Node]| v.iter().map(|n| content(n)).collect::<Vec<_>>();
        let (ca, cb) = (content(&old), content(&new));
        let fast = align(&old, &new);
        let lists = Lists {
            old: &old,
            new: &new,
            ca: &ca,
            cb: &cb,
        };
        // what a Patience diff of the whole lists gives
        let mut patience = Vec::new();
        for op in similar::capture_diff_slices(similar::Algorithm::Patience, &ca, &cb) {
            let (tag, ra, rb) = op.as_tag_tuple();
            match tag {
                DiffTag::Equal => {
                    patience.extend(ra.zip(rb).map(|(i, j)| (Some(old[i]), Some(new[j]))))
                }
                _ => patience.extend(lists.block(ra, rb).by_similarity()),
            }
        }
        assert_eq!(ids(&fast), ids(&patience));
        assert_eq!(
            fast.iter()
                .filter(|p| p.0.is_none() || p.1.is_none())
                .count(),
            2
        );
    }

    #[test]
    fn greedy_and_exact_alignment_agree_on_a_renumbered_list() {
        // an article inserted at the front, every text reworded a little
        let old: Vec<Node> = (1..=300)
            .map(|i| node(i, &format!("当社は第{i}の事項を定めます。")))
            .collect();
        let mut new = vec![node(1, "新しい条を設けます。")];
        new.extend(
            (1..=300).map(|i| node(i + 1, &format!("当社は第{i}の事項を定めるものとします。"))),
        );
        let (old, new): (Vec<&Node>, Vec<&Node>) = (old.iter().collect(), new.iter().collect());
        assert!(
            old.len() * new.len() > FULL_BLOCK,
            "the block is aligned greedily"
        );
        let greedy = align(&old, &new);
        let exact = best_alignment(&old, &new, |i, j| {
            similarity(
                &Bigrams::of(&content(old[i])),
                &Bigrams::of(&content(new[j])),
            )
        });
        assert_eq!(ids(&greedy), ids(&exact));
        assert_eq!(ids(&greedy)[0], (None, Some("art_1".into())));
        assert_eq!(
            ids(&greedy)[1],
            (Some("art_1".into()), Some("art_2".into()))
        );
    }
}
