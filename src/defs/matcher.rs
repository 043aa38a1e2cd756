//! Leftmost-longest matching of a document's terms in the keys of its texts.
//!
//! In: the terms' keys (NFKC, no whitespace) as UTF-8 and as UTF-16 code units, then any
//! number of texts' keys in UTF-16. Out: per text, the matches left to right, none
//! overlapping, each the longest term starting at the leftmost place a term starts.
//!
//! A document's terms are usually a few hundred: for those a table from the first two
//! units to the terms starting with them is built in microseconds, and scans faster than
//! building an Aho-Corasick automaton takes. The terms under one key are tried longest
//! first, except where many share a longer prefix: there they are grouped again by the
//! unit after it. Larger sets use the automaton.

use crate::normalize::has;
use aho_corasick::{AhoCorasick, MatchKind};
use rustc_hash::FxHashMap as HashMap;

/// A term: its pattern index and its units.
type Term<'p> = (usize, &'p [u16]);

/// The terms starting with given units, as [`Cands::find`] searches them.
enum Cands<'p> {
    /// a few, longest first: each is tried
    List(Vec<Term<'p>>),
    /// many sharing their first `depth` units (as a document's `IIJ…` service names do:
    /// 84 of the seed's 157 terms): grouped by the unit after those, and `short`, those
    /// of `depth` units or fewer (one at most, as the terms differ)
    Split {
        depth: usize,
        next: HashMap<u16, Cands<'p>>,
        short: Vec<Term<'p>>,
    },
}

/// Up to this many terms are tried one by one (a lookup per unit of a tree cost more
/// than comparing a few ends).
const LIST_MAX: usize = 8;

impl<'p> Cands<'p> {
    fn new(mut terms: Vec<Term<'p>>) -> Self {
        if terms.len() <= LIST_MAX {
            terms.sort_by_key(|t| std::cmp::Reverse(t.1.len()));
            return Cands::List(terms);
        }
        // (distinct terms share at most the shortest one's units)
        let first = terms[0].1;
        let depth = terms
            .iter()
            .map(|t| t.1.iter().zip(first).take_while(|(a, b)| a == b).count())
            .min()
            .unwrap_or(0);
        let (mut short, mut by_unit) = (Vec::new(), HashMap::<u16, Vec<Term>>::default());
        for t in terms {
            match t.1.get(depth) {
                Some(&u) => by_unit.entry(u).or_default().push(t),
                None => short.push(t),
            }
        }
        short.sort_by_key(|t| std::cmp::Reverse(t.1.len()));
        let next = by_unit
            .into_iter()
            .map(|(u, g)| (u, Cands::new(g)))
            .collect();
        Cands::Split { depth, next, short }
    }

    /// The longest term that `text` starts with.
    fn find(&self, text: &[u16]) -> Option<&Term<'p>> {
        // (the last unit first: most terms differ there)
        let starts = |ts: &'_ [Term<'p>]| -> Option<usize> {
            ts.iter()
                .position(|(_, p)| text.get(p.len() - 1) == p.last() && text.starts_with(p))
        };
        match self {
            Cands::List(ts) => starts(ts).map(|i| &ts[i]),
            // (a longer term, under `next`, wins over one of `short`)
            Cands::Split { depth, next, short } => text
                .get(*depth)
                .and_then(|u| next.get(u))
                .and_then(|c| c.find(text))
                .or_else(|| starts(short).map(|i| &short[i])),
        }
    }
}

/// The terms by their first and second code unit (none for one-unit terms).
type ByStart<'p> = HashMap<(u16, Option<u16>), Cands<'p>>;

/// A match of a term in a normalized text (offsets in code units).
pub(super) struct Match {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) pattern: usize,
}

/// A set of code units: a test that spares most units of a text a table lookup.
struct UnitBits(Box<[u64; 1024]>);

impl UnitBits {
    fn new() -> Self {
        UnitBits(Box::new([0; 1024]))
    }

    fn insert(&mut self, u: u16) {
        let k = usize::from(u);
        self.0[k >> 6] |= 1 << (k & 63);
    }

    fn holds(&self, u: u16) -> bool {
        has(&self.0, u32::from(u))
    }
}

/// Two code units hashed to one, for a set of unit pairs that may hold false positives.
fn pair(u: u16, n: u16) -> u16 {
    u.wrapping_mul(0x9E37) ^ n
}

/// Leftmost-longest matching of all terms at once, over UTF-16 keys. A document's terms
/// are usually a few hundred: for those, a table from the first two code units to the
/// terms starting with them (longest first) is built in microseconds and scans faster
/// than building an Aho-Corasick automaton takes; larger sets use the automaton, whose
/// time does not depend on how many terms share a prefix.
enum Strategy<'p> {
    Small {
        by_start: ByStart<'p>,
        /// the terms' first units
        starts: UnitBits,
        /// the one-unit terms (most first units have none: one lookup saved)
        singles: UnitBits,
        /// the terms' first two units, hashed to one unit ([`pair`]): most places where a
        /// term's first unit stands start no term, and most are told so here rather than
        /// by a table lookup
        pairs: UnitBits,
    },
    /// (over UTF-8, as aho-corasick searches bytes: each text is converted)
    Automaton(AhoCorasick),
}

/// The matcher of one document's terms.
pub(super) struct Matcher<'p>(Strategy<'p>);

impl<'p> Matcher<'p> {
    /// The matcher of `patterns`, each given as UTF-8 and as UTF-16.
    pub(super) fn new(patterns: &[&str], units: &'p [Vec<u16>]) -> Self {
        if patterns.len() > 512 {
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(patterns)
                .expect("terms are short literal patterns");
            return Matcher(Strategy::Automaton(ac));
        }
        let mut grouped: HashMap<(u16, Option<u16>), Vec<Term>> = HashMap::default();
        let (mut starts, mut singles, mut pairs) =
            (UnitBits::new(), UnitBits::new(), UnitBits::new());
        for (i, p) in units.iter().enumerate() {
            if let Some(&first) = p.first() {
                starts.insert(first);
                let second = p.get(1).copied();
                match second {
                    Some(n) => pairs.insert(pair(first, n)),
                    None => singles.insert(first),
                }
                grouped.entry((first, second)).or_default().push((i, p));
            }
        }
        let by_start = grouped
            .into_iter()
            .map(|(k, g)| (k, Cands::new(g)))
            .collect();
        Matcher(Strategy::Small {
            by_start,
            starts,
            singles,
            pairs,
        })
    }

    /// Calls `f` with every match in `text`, left to right.
    pub(super) fn each_match(&self, text: &[u16], mut f: impl FnMut(Match)) {
        match &self.0 {
            Strategy::Automaton(ac) => {
                // (keys hold whole characters; were a surrogate alone, U+FFFD would take
                // its one unit, so offsets would still agree)
                let utf8 = String::from_utf16_lossy(text);
                // byte offsets to unit offsets, counted as the matches go right
                let (mut byte, mut unit) = (0, 0);
                let mut to_units = |to: usize| {
                    unit += utf8[byte..to].chars().map(char::len_utf16).sum::<usize>();
                    byte = to;
                    unit
                };
                for m in ac.find_iter(&utf8) {
                    f(Match {
                        start: to_units(m.start()),
                        end: to_units(m.end()),
                        pattern: m.pattern().as_usize(),
                    });
                }
            }
            Strategy::Small {
                by_start,
                starts,
                singles,
                pairs,
            } => {
                let mut pos = 0;
                // (to the next unit that starts a term: an iterator's search reads the
                // units without bounds checks)
                while let Some(skip) = text[pos..].iter().position(|&u| starts.holds(u)) {
                    pos += skip;
                    let rest = &text[pos..];
                    let u = rest[0];
                    let find = |key| by_start.get(&key).and_then(|c: &Cands| c.find(rest));
                    // Two-unit keys first: a longer term wins over a one-unit one.
                    let hit = rest
                        .get(1)
                        .filter(|&&n| pairs.holds(pair(u, n)))
                        .and_then(|&n| find((u, Some(n))))
                        .or_else(|| singles.holds(u).then(|| find((u, None)))?);
                    match hit {
                        Some(&(i, p)) => {
                            f(Match {
                                start: pos,
                                end: pos + p.len(),
                                pattern: i,
                            });
                            pos += p.len(); // matches do not overlap
                        }
                        None => pos += 1,
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The terms `pats` finds in `text` through the table and through the automaton,
    /// checked to agree (offsets in units, each match the units of its term), and the
    /// table itself.
    fn both_find<'p>(pats: &[&'p str], units: &[Vec<u16>], text: &str) -> Vec<&'p str> {
        let text: Vec<u16> = text.encode_utf16().collect();
        let ac = Matcher(Strategy::Automaton(
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(pats)
                .unwrap(),
        ));
        let small = Matcher::new(pats, units);
        let collect = |m: &Matcher| {
            let mut v = Vec::new();
            m.each_match(&text, |x| {
                assert_eq!(text[x.start..x.end], units[x.pattern], "offsets in units");
                v.push((x.start, x.end, x.pattern))
            });
            v
        };
        let got = collect(&small);
        assert_eq!(got, collect(&ac));
        got.iter().map(|x| pats[x.2]).collect()
    }

    fn units_of(pats: &[&str]) -> Vec<Vec<u16>> {
        pats.iter().map(|p| p.encode_utf16().collect()).collect()
    }

    #[test]
    fn both_matchers_find_the_same_leftmost_longest_terms() {
        let pats = [
            "IIJ",
            "IIJインターネットサービス",
            "IIJインターネットサービス契約",
            "契約者",
            "契",
            "ID",
            "D",
            "𠮷野",
        ];
        // (𠮷 takes two UTF-16 units and four UTF-8 bytes: offsets after it differ)
        let text = "𠮷野のIIJインターネットサービス契約の契約者はIDとIIJを使う。契IIJインターネットサービス";
        assert_eq!(
            both_find(&pats, &units_of(&pats), text),
            [
                "𠮷野",
                "IIJインターネットサービス契約",
                "契約者",
                "ID",
                "IIJ",
                "契",
                "IIJインターネットサービス"
            ]
        );
    }

    #[test]
    fn terms_sharing_a_long_prefix_are_grouped_and_still_longest_first() {
        // (more than LIST_MAX terms under one first-two-unit key, nested: IIJ, IIJイ…)
        let mut pats: Vec<String> = vec!["IIJ".into(), "II".into(), "IIJイ".into()];
        for s in ["インターネット", "モバイル", "イン", "xSP", "DDoS", "イ"] {
            for t in ["", "サービス", "サービス契約", "契約"] {
                pats.push(format!("IIJ{s}{t}"));
            }
        }
        pats.sort();
        pats.dedup();
        let pats: Vec<&str> = pats.iter().map(String::as_str).collect();
        let units = units_of(&pats);
        assert!(
            matches!(&Matcher::new(&pats, &units).0, Strategy::Small { by_start, .. }
                if by_start.values().any(|c| matches!(c, Cands::Split { .. }))),
            "the IIJ terms are grouped"
        );
        let text = "IIJインターネットサービス契約とIIJモバイルサービス、IIJイとIIJイン、\
                    IIJxSPのIIJDDoS契約、IIとIIJ、IIJモバイ、IIJインターネットサービ";
        assert_eq!(
            both_find(&pats, &units, text),
            [
                "IIJインターネットサービス契約",
                "IIJモバイルサービス",
                "IIJイ",
                "IIJイン",
                "IIJxSP",
                "IIJDDoS契約",
                "II",
                "IIJ",
                "IIJ",
                "IIJインターネット"
            ]
        );
    }
}
