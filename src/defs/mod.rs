//! Definitions: the 用語の定義 table, statute-style definition items and inline
//! definitions, each with its scope and the nodes that use it.
//!
//! In: a built [`Document`]. Out: [`Definition`]s (stored in `Document::definitions`)
//! and diagnostics (`unused-definition`, `used-before-definition`).
//!
//! Where definitions come from:
//! - **Table rows** of a table in a definitions article (caption containing 定義, or a
//!   header containing 用語): `cells = [term, definition]`, scope `document`.
//! - **Definition items** of a definitions article, statute style: `一　法令　法律、…をいう。`
//!   (the term is the item text up to its first space), scope `document`.
//! - **Inline, quoted**: `以下[、]?[SCOPE において][、]?「X」と(いいます|いう|します|する)`, and
//!   `…を併せて「X」とします`. SCOPE is 本約款/この約款/本規程 (document), 本条/この条
//!   (article), この項/本項/この号 (paragraph); none means document. The definition is the
//!   phrase the clause annotates: the text before the enclosing bracket back to the
//!   previous 、。「」 or bracket, without a leading conjunction (及び, 並びに, …).
//! - **Inline, unquoted**: `Y（…をいいます。以下[SCOPE において]同じとします。）`: the term is
//!   the run before the bracket that holds no hiragana or punctuation (`SIM カード`,
//!   `VPN機器`), the definition the bracket's text up to をいいます/をいう.
//!
//! The clauses are read by small nom grammars (`clauses.rs`), tried only where one memmem
//! search finds 以下 or を併せて「.
//!
//! Use tracking matches NFKC forms without whitespace (so `IIJ インターネットサービス`
//! still counts), read as UTF-16 code units, leftmost-longest over all terms at once
//! (so `IIJインターネットサービス契約` is not counted as `IIJインターネットサービス`), and
//! a Latin term only between non-Latin neighbours (`ID` is not found in `IDS`). A node
//! uses a term when the match lies inside the definition's scope and after the
//! definition itself; when a term is defined more than once, a use belongs to the latest
//! definition before it.

mod clauses;
mod matcher;

use crate::diag::Diagnostic;
use crate::needle::Needle;
use crate::normalize::{key_into, push_key16};
use crate::tree::{Document, Kind, Node};
use clauses::{definition_item, inline};
use matcher::Matcher;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Where a definition comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DefKind {
    /// a row of the definitions table, or a definition item of a definitions article
    Table,
    /// a definition inside running text
    Inline,
}

/// How far a definition reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Document,
    Article,
    Paragraph,
}

/// One defined term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    /// `def_1`, `def_2`, … in document order
    pub id: String,
    pub term: String,
    /// original characters; empty when an inline clause names no phrase
    pub definition: String,
    pub kind: DefKind,
    pub scope: Scope,
    /// the node holding the definition
    pub defined_in: String,
    pub line: usize,
    /// the nodes that use the term within its scope, in document order
    pub used_in: Vec<String>,
}

/// A definition found in one node, before IDs and uses are assigned.
struct Found {
    term: String,
    definition: String,
    kind: DefKind,
    scope: Scope,
    /// byte offset in the node's scanned text after which uses count
    after: usize,
}

/// The text of a node that can use terms: its caption, its text, a row's definition
/// (borrowed when it is one of them alone, as for most nodes, every titled article and
/// every table row).
fn scanned(n: &Node) -> Cow<'_, str> {
    match (&n.title, &n.text, n.cells.get(1)) {
        (None, text, None) => return Cow::Borrowed(text.as_deref().unwrap_or("")),
        (Some(title), None, None) => return Cow::Borrowed(title),
        (None, None, Some(def)) => return Cow::Borrowed(def), // a table row
        _ => {}
    }
    let mut s = String::new();
    for part in [&n.title, &n.text].into_iter().flatten() {
        s.push_str(part);
        s.push('\n');
    }
    if let Some(def) = n.cells.get(1) {
        s.push_str(def);
    }
    Cow::Owned(s)
}

/// What marks a definitions article (its caption) and a definitions table (its header).
/// (`str::contains` built a searcher on every call.)
static TEIGI: Needle = Needle::new("定義");
static YOUGO: Needle = Needle::new("用語");

/// A node in document order with the article and paragraph it lies in.
struct Place<'a> {
    node: &'a Node,
    /// the node's [`scanned`] text (taken as the walk meets the node: a pass of its own
    /// over the list read every node a second time, in cache misses at 100×)
    text: Cow<'a, str>,
    /// the places of the article (or 附則 entry) and of the paragraph holding the node:
    /// scopes compare these, not the IDs, whose bytes were cache misses
    article: Option<usize>,
    paragraph: Option<usize>,
    in_definitions_article: bool,
}

fn places<'a>(
    nodes: &'a [Node],
    article: Option<usize>,
    paragraph: Option<usize>,
    in_definitions_article: bool,
    out: &mut Vec<Place<'a>>,
) {
    for n in nodes {
        let here = Some(out.len());
        let (article, paragraph, defs_article) = match n.kind {
            Kind::Article | Kind::Supplement => (
                here,
                None,
                n.title.as_deref().is_some_and(|t| TEIGI.is_in(t)),
            ),
            Kind::Paragraph => (article, here, in_definitions_article),
            _ => (article, paragraph, in_definitions_article),
        };
        out.push(Place {
            node: n,
            text: scanned(n),
            article,
            paragraph,
            in_definitions_article: defs_article,
        });
        places(&n.children, article, paragraph, defs_article, out);
    }
}

/// Finds every definition, assigns IDs, tracks uses and reports unused terms.
pub fn resolve(doc: &mut Document) -> Vec<Diagnostic> {
    resolve_sized(doc, doc.node_count())
}

/// [`resolve`] of a tree of `nodes` nodes.
pub(crate) fn resolve_sized(doc: &mut Document, nodes: usize) -> Vec<Diagnostic> {
    let mut list = Vec::with_capacity(nodes);
    let suppl = doc
        .supplementary
        .as_ref()
        .map(|s| s.entries.as_slice())
        .unwrap_or(&[]);
    places(&doc.body, None, None, false, &mut list);
    places(suppl, None, None, false, &mut list);

    // 1. Definitions, in document order, with the place index where each was made.
    // (room for one a place: the seed makes one for every 3.7 places, the 100× benchmark
    // document one for every 2; growing the list copied the latter's 1.2 MB)
    let mut found: Vec<(usize, Found)> = Vec::with_capacity(list.len());
    // the last table before the node (a row's own table): kept as the walk goes, as a
    // search back from every row made a long table quadratic
    let mut table: Option<&Node> = None;
    for (i, p) in list.iter().enumerate() {
        let n = p.node;
        if n.kind == Kind::Table {
            table = Some(n);
        }
        if n.kind == Kind::Row && n.cells.len() == 2 {
            let is_defs = p.in_definitions_article
                || table.is_some_and(|t| t.heading.as_deref().is_some_and(|h| YOUGO.is_in(h)));
            if is_defs {
                found.push((
                    i,
                    Found {
                        term: n.cells[0].clone(),
                        definition: n.cells[1].clone(),
                        kind: DefKind::Table,
                        scope: Scope::Document,
                        // the row is the definition: its own text is not a use
                        after: usize::MAX,
                    },
                ));
            }
        }
        if matches!(n.kind, Kind::Item) && p.in_definitions_article {
            if let Some(text) = n.text.as_deref() {
                if let Some((term, def)) = definition_item(text) {
                    found.push((
                        i,
                        Found {
                            term: term.to_string(),
                            definition: def.to_string(),
                            kind: DefKind::Table,
                            scope: Scope::Document,
                            // the term itself opens the item: uses count after it
                            after: text.len() - def.len(),
                        },
                    ));
                }
            }
        }
        for f in inline(&p.text) {
            found.push((i, f));
        }
    }

    // 2. Uses: one leftmost-longest automaton over the NFKC keys of all terms.
    // The definitions grouped by key, one pattern per group (patterns in the order of
    // their first definition, each group in document order). (Sorting the definitions
    // by key took ~2% of the instructions of a parse of the 100× benchmark document,
    // where each term is defined 100 times; matching does not depend on pattern order.
    // Each key is made in one buffer, kept only when it is new: a key per definition
    // was a tenth of this stage's allocations there.)
    let (mut patterns, mut defs_by_pattern) = (Vec::<String>::new(), Vec::<Vec<usize>>::new());
    let mut pattern_of: HashMap<String, usize> = HashMap::default();
    let mut k = String::new();
    for (d, (_, f)) in found.iter().enumerate() {
        key_into(&f.term, &mut k);
        if k.is_empty() {
            continue;
        }
        let p = match pattern_of.get(k.as_str()) {
            Some(&p) => p,
            None => {
                patterns.push(k.clone());
                defs_by_pattern.push(Vec::new());
                pattern_of.insert(k.clone(), patterns.len() - 1);
                patterns.len() - 1
            }
        };
        defs_by_pattern[p].push(d);
    }
    let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
    let units: Vec<Vec<u16>> = patterns
        .iter()
        .map(|p| p.encode_utf16().collect())
        .collect();
    let matcher = Matcher::new(&patterns, &units);
    let mut used: Vec<Vec<String>> = vec![Vec::new(); found.len()];
    // The place of each definition's latest use, and where each definition was made and
    // how far it reaches: small arrays the match loop reads instead of the IDs and the
    // definitions themselves. (Comparing the last use's ID with the node's took 1.5% of
    // the time of a parse of the 100× benchmark document, in cache misses.)
    let mut last_use = vec![usize::MAX; found.len()];
    let made: Vec<(usize, Scope)> = found.iter().map(|(at, f)| (*at, f.scope)).collect();
    let mut early: Vec<Option<usize>> = vec![None; found.len()];
    let mut diags = Vec::new();
    // Where, in the normalized text of its own node, each definition ends: the text's key
    // is made piece by piece, cut where its definitions end.
    let mut after_key = vec![usize::MAX; found.len()];
    let (mut norm, mut order) = (Vec::new(), Vec::new()); // (reused from node to node)

    // How many of each pattern's definitions precede the current match: uses are met in
    // document order, so the count only grows (a binary search per use read the
    // definitions' places at random: 1.6% of a parse of the 100× benchmark document).
    let mut preceding = vec![0usize; patterns.len()];
    let mut next_def = 0; // the first definition made at or after the current place
    for (i, p) in list.iter().enumerate() {
        let text = &p.text;
        order.clear();
        while next_def < found.len() && found[next_def].0 == i {
            order.push(next_def);
            next_def += 1;
        }
        if text.is_empty() {
            continue;
        }
        order.sort_by_key(|&e| found[e].1.after);
        norm.clear();
        let mut done = 0;
        for &e in &order {
            let after = found[e].1.after;
            if after <= text.len() && text.is_char_boundary(after) && after >= done {
                push_key16(&text[done..after], &mut norm);
                done = after;
                after_key[e] = norm.len();
            }
        }
        push_key16(&text[done..], &mut norm);
        matcher.each_match(&norm, |m| {
            // Latin terms match whole words only.
            let (pat, text) = (&units[m.pattern], &norm);
            let latin = |u: Option<&u16>| {
                u.is_some_and(|&u| u8::try_from(u).is_ok_and(|b| b.is_ascii_alphanumeric()))
            };
            let before = m.start.checked_sub(1).and_then(|i| text.get(i));
            if (latin(pat.first()) && latin(before))
                || (latin(pat.last()) && latin(text.get(m.end)))
            {
                return;
            }
            // The use belongs to the latest definition of the term that precedes it and
            // whose scope holds the node (a redefinition shadows the earlier one).
            let defs_of = &defs_by_pattern[m.pattern];
            let in_scope = |d: usize| {
                let (at, scope) = made[d];
                let def_place = &list[at];
                match scope {
                    Scope::Document => true,
                    Scope::Article => p.article.is_some() && p.article == def_place.article,
                    Scope::Paragraph => p.paragraph.is_some() && p.paragraph == def_place.paragraph,
                }
            };
            let precedes = |d: usize| {
                let at = made[d].0;
                at < i || (at == i && m.start >= after_key[d])
            };
            // Definitions of a term are in document order, so those before the use are
            // a prefix of the list.
            let before = &mut preceding[m.pattern];
            while defs_of.get(*before).is_some_and(|&d| precedes(d)) {
                *before += 1;
            }
            let before = *before;
            match defs_of[..before]
                .iter()
                .rev()
                .copied()
                .find(|&d| in_scope(d))
            {
                Some(d) => {
                    if last_use[d] != i {
                        last_use[d] = i;
                        used[d].push(p.node.id.clone());
                    }
                }
                None => {
                    // Used before any definition: report against the first inline one.
                    if let Some(&d) = defs_of.first() {
                        let (at, f) = &found[d];
                        let def_id = &list[*at].node.id;
                        if i < *at
                            && f.kind == DefKind::Inline
                            && early[d].is_none()
                            && in_scope(d)
                            && !def_id.starts_with(&format!("{}__", p.node.id))
                        {
                            early[d] = Some(i);
                        }
                    }
                }
            }
        });
    }

    // 3. The list, with diagnostics.
    let mut defs = Vec::with_capacity(found.len());
    for (d, (at, f)) in found.into_iter().enumerate() {
        let node = list[at].node;
        // (concatenated: `format!` for every definition and message showed in profiles)
        let id = ["def_", itoa::Buffer::new().format(d + 1)].concat();
        if let Some(e) = early[d] {
            let n = list[e].node;
            diags.push(Diagnostic::warning(
                "used-before-definition",
                n.line,
                format!(
                    "「{}」 is used in `{}` before it is defined in `{}` (line {})",
                    f.term, n.id, node.id, node.line
                ),
            ));
        }
        if used[d].is_empty() {
            let msg = [
                "「",
                &f.term,
                "」 (",
                &id,
                ") is defined in `",
                &node.id,
                "` but not used within its scope",
            ];
            diags.push(Diagnostic::info(
                "unused-definition",
                node.line,
                msg.concat(),
            ));
        }
        defs.push(Definition {
            id,
            term: f.term,
            definition: f.definition,
            kind: f.kind,
            scope: f.scope,
            defined_in: node.id.clone(),
            line: node.line,
            used_in: std::mem::take(&mut used[d]),
        });
    }
    doc.definitions = defs;
    diags
}

#[cfg(test)]
mod tests {
    #[test]
    fn latin_terms_are_used_as_whole_words_only() {
        let text =
            "第1条（定義）\nこの約款において、通信規約（以下「IP」といいます。）を定めます。\n\
                    第2条（対象外）\nIPv6及びSIPは対象外とします。\n\
                    第3条（利用）\nIP通信のみ、IPを用います。\n";
        let (doc, _) = crate::parse(text.as_bytes());
        let ip = doc
            .definitions
            .iter()
            .find(|d| d.term == "IP")
            .expect("IP is defined");
        assert_eq!(ip.used_in, ["art_3__para_1"]);
    }
}
