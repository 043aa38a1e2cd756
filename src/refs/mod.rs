//! Cross-references: every pointer in the tree, resolved to node IDs.
//!
//! In: a built [`Document`]. Out: `Document::references`, `Node::referenced_by`
//! (backlinks) and diagnostics (`unresolved-reference`, `caption-mismatch`).
//!
//! Resolution follows Japanese legal drafting:
//! - `第N条` is an article of this document; inside a 附則 entry an article of that entry
//!   (`suppl_3__art_1`) is tried first. A caption after it (`第13条（申込の拒絶）`) is checked
//!   against the target's caption.
//! - `第N項` without an article is a paragraph of the current article (or 附則 entry); `第N号`
//!   without a paragraph is an item of the current paragraph (of paragraph 1 when only an
//!   article is named).
//! - 前条/次条 are the previous/next article, 前二条/前三項 the N preceding ones; 前項/次項 and 前号/次号 the neighbouring
//!   paragraph or item; 本条/本項 the current ones; 同条/同項/同号 the one named last in the
//!   same article; 各号 all items of the paragraph named (or the current one); 前各号 the
//!   items before the current item.
//! - In a list (`第1号及び第2号`) a path without its higher levels takes them from the path
//!   before it; `第1項から第3項まで` covers every number in between.
//! - A law name before the path makes it `external` (同法: the law named last); `個別規程` is
//!   `other_document`; 本規程/この約款 point at this document and carry no targets.
//! - A reference in a sentence that contains 準用 has relation `applies`; the replacement
//!   pairs of a 読み替え sentence (`「申込」とあるのは「変更の請求」と`) are added to the
//!   `applies` references it rewrites: those since the previous 読み替え sentence of the
//!   same text whose targets the sentence names (`同条中…`), or all of those when it
//!   names none of their targets.

mod paths;

use crate::diag::Diagnostic;
use crate::needle::Needle;
use crate::normalize::key;
use crate::refparse::{self, Path, Rel};
use crate::tree::{Document, Kind, Node};
use paths::{expand_range, index, resolve_path, Index, Last};
use regex::Regex;
use rustc_hash::FxHashSet as HashSet;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// What a reference points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefKind {
    Internal,
    External,
    OtherDocument,
}

/// How the source relates to the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    Refers,
    /// 準用: the target's rules apply to the source's case
    Applies,
}

/// The law an external reference points into.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Law {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// the article path inside the law, normalized: `8`, `8/2/2` (article/paragraph/item)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// A 読み替え pair: 「from」とあるのは「to」と.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub from: String,
    pub to: String,
}

/// One reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// the node whose text holds it
    pub from: String,
    /// the exact source text
    pub text: String,
    /// character offsets in the node's text (an appendix's: in its heading)
    pub start: usize,
    pub end: usize,
    pub kind: RefKind,
    pub relation: Relation,
    pub targets: Vec<String>,
    pub resolved: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub law: Option<Law>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<Reading>,
}

/// Where a text-bearing node sits.
/// (Borrows the tree's IDs: one is made for every node.)
#[derive(Clone, Copy, Default)]
struct Ctx<'a> {
    /// the article, or the 附則 entry when there is no article
    provision: Option<&'a str>,
    article: Option<&'a str>,
    suppl: Option<&'a str>,
    para: Option<&'a str>,
    /// the outermost item the node is in
    item: Option<&'a str>,
}

fn readings_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"「([^「」]+)」とあるのは「([^「」]+)」と").unwrap())
}

/// The sentences of `text` (each ends with `。`; the last may not): (start, end) in
/// characters, and the sentence. (Found by one memmem search, characters counted per
/// sentence: decoding every character was most of the cost.)
fn sentences(text: &str) -> Vec<(usize, usize, &str)> {
    static MARU: Needle = Needle::new("。");
    let mut out = Vec::new();
    let (mut start_c, mut start_b) = (0, 0);
    for b in MARU.find_iter(text) {
        let end_b = b + '。'.len_utf8();
        let sentence = &text[start_b..end_b];
        let end_c = start_c + sentence.chars().count();
        out.push((start_c, end_c, sentence));
        (start_c, start_b) = (end_c, end_b);
    }
    if start_b < text.len() {
        out.push((start_c, usize::MAX, &text[start_b..]));
    }
    out
}

struct Resolver<'a> {
    ix: Index<'a>,
    refs: Vec<Reference>,
    diags: Vec<Diagnostic>,
    last_law: Option<String>,
    /// where IDs are built for lookup (one buffer for the whole walk)
    buf: String,
}

impl<'a> Resolver<'a> {
    fn walk(&mut self, nodes: &'a [Node], ctx: &Ctx<'a>, last: &mut Last<'a>) {
        for n in nodes {
            let mut c = *ctx;
            match n.kind {
                Kind::Article => {
                    c.article = Some(&n.id);
                    c.provision = Some(&n.id);
                    c.para = None;
                    c.item = None;
                    *last = Last::default();
                }
                Kind::Supplement => {
                    c = Ctx {
                        suppl: Some(&n.id),
                        provision: Some(&n.id),
                        ..Ctx::default()
                    };
                    *last = Last::default();
                }
                Kind::Paragraph => {
                    c.para = Some(&n.id);
                    c.item = None;
                }
                Kind::Item | Kind::Subitem if c.item.is_none() => c.item = Some(&n.id),
                _ => {}
            }
            if matches!(
                n.kind,
                Kind::Paragraph | Kind::Item | Kind::Subitem | Kind::Preamble
            ) {
                if let Some(text) = n.text.as_deref() {
                    self.node(n, text, &c, last);
                }
            }
            // an appendix names the articles it relates to in its heading
            // (`別表第一（第一条、第六条関係）`): offsets count in the heading
            // (after its label: `様式第一号` names no item)
            if n.kind == Kind::Appendix {
                if let Some(heading) = n.heading.as_deref() {
                    let label = n.label.as_deref().filter(|l| heading.starts_with(l));
                    let masked;
                    let text = match label {
                        Some(l) => {
                            masked = format!(
                                "{}{}",
                                "\u{3000}".repeat(l.chars().count()),
                                &heading[l.len()..]
                            );
                            masked.as_str()
                        }
                        None => heading,
                    };
                    self.node(n, text, &c, last);
                }
            }
            self.walk(&n.children, &c, last);
        }
    }

    fn node(&mut self, n: &Node, text: &str, ctx: &Ctx<'a>, last: &mut Last<'a>) {
        let first = self.refs.len();
        static HOU: Needle = Needle::new("法");
        let mentions = if HOU.is_in(text) {
            refparse::law_mentions(text)
        } else {
            Vec::new()
        };
        for raw in refparse::find(text) {
            if raw.unreadable {
                self.diags.push(Diagnostic::warning(
                    "invalid-number",
                    n.line,
                    format!(
                        "`{}` in `{}`: a number cannot be read (too large or malformed); no reference was made",
                        raw.text, n.id
                    ),
                ));
                continue;
            }
            // (a function: only external references need the law, and cloning its name
            // for every reference was an allocation each)
            let law_before = || {
                mentions
                    .iter()
                    .rev()
                    .find(|(pos, _)| *pos < raw.start)
                    .map(|(_, name)| name.clone())
                    .or_else(|| self.last_law.clone())
            };
            let mut r = Reference {
                from: n.id.clone(),
                text: raw.text,
                start: raw.start,
                end: raw.end,
                kind: RefKind::Internal,
                relation: Relation::Refers,
                targets: Vec::new(),
                resolved: true,
                law: None,
                readings: Vec::new(),
            };
            if let Some(cite) = raw.law {
                r.kind = RefKind::External;
                let name = cite.name.or_else(law_before);
                r.resolved = name.is_some();
                r.law = Some(Law {
                    name: name.unwrap_or_else(|| "同法".into()),
                    number: cite.number,
                    path: raw.paths.first().map(law_path),
                });
                if !r.resolved {
                    self.unresolved(n, &r, "同法 with no law named before it");
                }
            } else if raw.paths.iter().any(|p| p.other_document) {
                r.kind = RefKind::OtherDocument;
            } else if !raw.paths.iter().any(|p| p.document) {
                let (targets, failed) = self.internal(ctx, last, &raw.paths, raw.range);
                r.targets = targets;
                if let Some(why) = failed {
                    r.resolved = false;
                    self.unresolved(n, &r, &why);
                }
                for (p, t) in raw.paths.iter().zip(&r.targets) {
                    self.check_caption(n, p, t);
                }
            }
            self.refs.push(r);
        }
        if let Some((_, name)) = mentions.last() {
            self.last_law = Some(name.clone());
        }
        self.relations(text, first);
    }

    /// Resolves every path of a list; returns the targets found and, if any path failed,
    /// why (the reference then stays unresolved with the targets it did find).
    fn internal(
        &mut self,
        ctx: &Ctx<'a>,
        last: &mut Last<'a>,
        paths: &[Path],
        range: bool,
    ) -> (Vec<String>, Option<String>) {
        let (ix, buf) = (&self.ix, &mut self.buf);
        let owned = |t: Vec<&str>| t.into_iter().map(str::to_string).collect();
        let mut targets = Vec::new();
        let mut inherit = Last::default();
        let mut ends = Vec::new();
        let mut failed = None;
        for p in paths {
            let (t, named) = match resolve_path(ix, buf, ctx, last, p, &inherit) {
                Ok(x) => x,
                Err(why) => {
                    failed.get_or_insert(why);
                    continue;
                }
            };
            inherit = Last {
                article: named.article.clone().or(inherit.article),
                para: named.para.clone().or(inherit.para),
                item: None,
            };
            if named.article.is_some() {
                last.article = named.article;
                last.para = None;
                last.item = None;
            }
            if named.para.is_some() {
                last.para = named.para;
            }
            if named.item.is_some() {
                last.item = named.item;
            }
            if range {
                ends.push(t.clone()); // (a range needs the targets of its two ends)
            }
            targets.extend(t);
        }
        if range && failed.is_none() {
            if let (Some([a]), Some([b])) = (
                ends.first().map(Vec::as_slice),
                ends.last().map(Vec::as_slice),
            ) {
                return match expand_range(ix, buf, a, b) {
                    Some(all) => (owned(all), None),
                    None => (owned(targets), Some(format!("`{a}`…`{b}` is not a range"))),
                };
            }
        }
        (owned(targets), failed)
    }

    fn check_caption(&mut self, n: &Node, p: &Path, target: &str) {
        let (Some(cap), Some(Rel::Num(_) | Rel::Prev | Rel::Next | Rel::Same | Rel::This)) =
            (&p.caption, &p.article)
        else {
            return;
        };
        let article = target.split("__para_").next().unwrap_or(target);
        if let Some(title) = self.ix.title(article) {
            if key(title) != key(cap) {
                self.diags.push(Diagnostic::warning(
                    "caption-mismatch",
                    n.line,
                    format!(
                        "`{}` names the caption （{cap}） but `{article}` is （{title}）",
                        n.id
                    ),
                ));
            }
        }
    }

    fn unresolved(&mut self, n: &Node, r: &Reference, why: &str) {
        self.diags.push(Diagnostic::warning(
            "unresolved-reference",
            n.line,
            format!("`{}` in `{}` is not resolved: {why}", r.text, n.id),
        ));
    }

    /// 準用 sentences make `applies`; 読み替え sentences add their pairs.
    fn relations(&mut self, text: &str, first: usize) {
        static APPLY: Needle = Needle::new("準用");
        static READ_AS: Needle = Needle::new("読み替え");
        // (most texts with references have neither: their sentences are not needed)
        if first == self.refs.len() || !(APPLY.is_in(text) || READ_AS.is_in(text)) {
            return;
        }
        let sents = sentences(text);
        let refs = &mut self.refs[first..];
        // Each reference's sentence, by binary search (the sentences are in order and do
        // not overlap): a search through them for every reference made a text with many
        // references quadratic.
        let of: Vec<Option<usize>> = refs
            .iter()
            .map(|r| {
                let k = sents.partition_point(|&(s, _, _)| s <= r.start);
                (k > 0 && r.start < sents[k - 1].1).then(|| k - 1)
            })
            .collect();
        // (each sentence searched once: searched for every reference, one long sentence
        // with many references was quadratic)
        let applying: Vec<bool> = sents.iter().map(|s| APPLY.is_in(s.2)).collect();
        for (r, of) in refs.iter_mut().zip(&of) {
            if r.kind == RefKind::Internal && of.is_some_and(|k| applying[k]) {
                r.relation = Relation::Applies;
            }
        }
        // The references of sentence `k`: a run of `refs` (both are in text order).
        let first_of = |k: usize| of.partition_point(|o| *o < Some(k));
        // The first sentence after the last 読み替え sentence: a 読み替え rewrites the
        // 準用 since then (bounding it keeps many of them in one text linear).
        let mut since = 0;
        for (k, &(_, _, sent)) in sents.iter().enumerate() {
            if !READ_AS.is_in(sent) {
                continue;
            }
            let pairs: Vec<Reading> = readings_re()
                .captures_iter(sent)
                .map(|c| Reading {
                    from: c[1].to_string(),
                    to: c[2].to_string(),
                })
                .collect();
            if pairs.is_empty() {
                continue;
            }
            let (group, own) = (first_of(since)..first_of(k), first_of(k)..first_of(k + 1));
            let named: HashSet<&str> = refs[own]
                .iter()
                .flat_map(|r| r.targets.iter().map(String::as_str))
                .collect();
            let applies: Vec<usize> = group
                .filter(|&i| refs[i].relation == Relation::Applies)
                .collect();
            let names = |&i: &usize| refs[i].targets.iter().any(|t| named.contains(t.as_str()));
            let matching: Vec<usize> = applies.iter().copied().filter(names).collect();
            let chosen = if matching.is_empty() {
                applies
            } else {
                matching
            };
            for i in chosen {
                refs[i].readings.extend(pairs.iter().cloned());
            }
            since = k + 1;
        }
    }
}

fn law_path(p: &Path) -> String {
    [&p.article, &p.paragraph, &p.item]
        .iter()
        .map_while(|r| match r {
            Some(Rel::Num(n)) => Some(n.to_id()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Finds and resolves every reference; fills `references` and `referenced_by`.
pub fn resolve(doc: &mut Document) -> Vec<Diagnostic> {
    resolve_sized(doc, doc.node_count())
}

/// [`resolve`] of a tree of `nodes` nodes.
pub(crate) fn resolve_sized(doc: &mut Document, nodes: usize) -> Vec<Diagnostic> {
    // Resolution only reads the tree (its index borrows the IDs); backlinks are written after.
    let (refs, diags, back) = {
        let mut res = Resolver {
            ix: index(doc, nodes),
            // (room guessed from the tree's size: the seed has a reference for every 6
            // nodes, the 100× benchmark document one for every 3.6; growing the list
            // from empty copied the latter's 192-byte references 3 MB, 1% of a parse)
            refs: Vec::with_capacity(nodes / 2),
            diags: Vec::new(),
            last_law: None,
            buf: String::new(),
        };
        let mut last = Last::default();
        res.walk(&doc.body, &Ctx::default(), &mut last);
        if let Some(s) = &doc.supplementary {
            res.walk(&s.entries, &Ctx::default(), &mut last);
        }
        // Each backlink by its target's place (its number among the nodes a path can
        // name, in document order), so that they are written by a walk that counts the
        // nodes: looking up every node's ID took a hash and a cache miss each.
        let mut back: Vec<(u32, usize)> = Vec::new();
        for (k, r) in res.refs.iter().enumerate() {
            back.extend(
                r.targets
                    .iter()
                    .filter_map(|t| res.ix.place(t))
                    .map(|p| (p, k)),
            );
        }
        back.sort_by_key(|&(place, _)| place); // (stable: a node's references stay in order)
        (res.refs, res.diags, back.into_iter().peekable())
    };
    /// The backlinks still to write, and the place of the next node the walk meets.
    struct Backlinks<'r> {
        links: std::iter::Peekable<std::vec::IntoIter<(u32, usize)>>,
        refs: &'r [Reference],
        place: u32,
    }
    // (the walk meets the nodes in the index's order; it ends with the last backlink)
    fn set(nodes: &mut [Node], b: &mut Backlinks) {
        for n in nodes.iter_mut().filter(|n| paths::named(n.kind)) {
            if b.links.peek().is_none() {
                return;
            }
            while let Some((_, k)) = b.links.next_if(|&(p, _)| p == b.place) {
                let from = &b.refs[k].from;
                // (a node's references are consecutive: a repeat can only be the last
                // one, and searching the whole list made a much-referenced node quadratic)
                if n.referenced_by.last() != Some(from) {
                    n.referenced_by.push(from.clone());
                }
            }
            b.place += 1;
            set(&mut n.children, b);
        }
    }
    let mut b = Backlinks {
        links: back,
        refs: &refs,
        place: 0,
    };
    set(&mut doc.body, &mut b);
    if let Some(s) = doc.supplementary.as_mut() {
        set(&mut s.entries, &mut b);
    }
    doc.references = refs;
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_character_spans() {
        assert_eq!(
            sentences("第1条を準用。同条中。残り"),
            [
                (0, 7, "第1条を準用。"),
                (7, 11, "同条中。"),
                (11, usize::MAX, "残り")
            ]
        );
        assert_eq!(sentences("終わり。"), [(0, 4, "終わり。")]);
        assert!(sentences("").is_empty());
    }
}
