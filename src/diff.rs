//! Structural diff of two revisions.
//!
//! In: two parsed documents. Out: a [`Comparison`]: the aligned articles (with aligned
//! paragraphs and items inside) for the 新旧対照表, and the flat list of [`Change`]s.
//!
//! Alignment comes before text comparison, so that an inserted article that renumbers
//! the rest is one insertion plus renumberings, not a cascade of changed articles:
//! 1. Nodes are compared by their content without their numbers (caption and text of
//!    the whole subtree, NFKC, no spaces). Equal contents are paired by a Patience diff
//!    of the two sequences (`similar`), which keeps the order.
//! 2. Between those anchors, the remaining nodes are paired by the best order-keeping
//!    alignment of their similarity (Dice coefficient of character bigrams ≥ 0.5).
//!    (Steps 1 and 2 are [`crate::align`], with its bounds for very long lists.)
//! 3. A removed and an added article that are ≥ 90% similar are one `moved` article
//!    (each removed article is compared with the added ones up to 500 places before and
//!    after it in the list of changes: all of them in any real revision).
//!
//! Then, per pair: a different number is `renumbered`, a different caption or text
//! `changed` (with word-level edits from [`crate::textdiff`]), and the children are aligned
//! the same way (paragraphs in articles and 附則 entries, items in paragraphs, sub-items in
//! items). Definitions are compared by term, the 附則 history by entry date, metadata by
//! field.

use crate::align::{align, content, similarity, Bigrams};
use crate::normalize::key;
use crate::textdiff::{self, Edit};
use crate::tree::{Document, Kind, Node};
use serde::{Deserialize, Serialize};
use similar::DiffTag;
use std::collections::HashMap;

/// What happened to a provision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
    Moved,
    Renumbered,
}

/// Where a change is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Meta,
    Chapter,
    Article,
    Paragraph,
    Item,
    Definition,
    Supplement,
}

/// One change between the revisions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub level: Level,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_id: Option<String>,
    /// what changed in a `changed`: `text`, `caption`, `title`, `definition`, `as_of`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// labels as printed (`第 10 条`, `2`, `(1)`, a term, a date)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_text: Option<String>,
    /// word-level edits of a `changed` text
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<Edit>,
}

/// A pair of aligned nodes (either side may be missing) with aligned children.
#[derive(Clone, Debug)]
pub struct Pair<'a> {
    pub old: Option<&'a Node>,
    pub new: Option<&'a Node>,
    pub children: Vec<Pair<'a>>,
}

impl Pair<'_> {
    /// Whether anything in this pair differs.
    pub fn differs(&self) -> bool {
        match (self.old, self.new) {
            (Some(a), Some(b)) => {
                a.num != b.num
                    || a.title != b.title
                    || a.text != b.text
                    || a.heading != b.heading
                    || self.children.iter().any(Pair::differs)
            }
            _ => true,
        }
    }
}

/// The result of comparing two revisions.
#[derive(Clone, Debug)]
pub struct Comparison<'a> {
    pub old: &'a Document,
    pub new: &'a Document,
    /// aligned articles (body) and 附則 entries, in new-document order
    pub articles: Vec<Pair<'a>>,
    pub changes: Vec<Change>,
}

fn kids<'a>(n: &'a Node, kinds: &[Kind]) -> Vec<&'a Node> {
    n.children
        .iter()
        .filter(|c| kinds.contains(&c.kind))
        .collect()
}

fn articles(nodes: &[Node]) -> Vec<&Node> {
    let mut out = Vec::new();
    for n in nodes {
        if matches!(n.kind, Kind::Article | Kind::Appendix) {
            out.push(n);
        } else {
            out.extend(articles(&n.children));
        }
    }
    out
}

fn level_of(kind: Kind) -> Option<Level> {
    match kind {
        Kind::Part | Kind::Chapter | Kind::Section | Kind::Subsection | Kind::Division => {
            Some(Level::Chapter)
        }
        // (an appendix is compared as an article is, its table as its paragraph)
        Kind::Article | Kind::Appendix => Some(Level::Article),
        Kind::Paragraph => Some(Level::Paragraph),
        Kind::Item | Kind::Subitem => Some(Level::Item),
        Kind::Supplement => Some(Level::Supplement),
        // Table rows are compared as definitions.
        Kind::Table | Kind::Row | Kind::Preamble | Kind::Toc => None,
    }
}

/// The kinds of children aligned under a node of this kind.
fn child_kinds(kind: Kind) -> &'static [Kind] {
    match kind {
        Kind::Article => &[Kind::Paragraph],
        Kind::Supplement => &[Kind::Article, Kind::Paragraph],
        Kind::Paragraph => &[Kind::Item, Kind::Table],
        Kind::Item | Kind::Subitem => &[Kind::Subitem],
        Kind::Table => &[Kind::Row],
        Kind::Appendix => &[Kind::Table],
        _ => &[],
    }
}

fn pair<'a>(old: Option<&'a Node>, new: Option<&'a Node>) -> Pair<'a> {
    let children = match (old, new) {
        (Some(a), Some(b)) => {
            let kinds = child_kinds(b.kind);
            align(&kids(a, kinds), &kids(b, kinds))
                .into_iter()
                .map(|(x, y)| pair(x, y))
                .collect()
        }
        _ => Vec::new(),
    };
    Pair { old, new, children }
}

fn change(kind: ChangeKind, level: Level, old: Option<&Node>, new: Option<&Node>) -> Change {
    Change {
        kind,
        level,
        old_id: old.map(|n| n.id.clone()),
        new_id: new.map(|n| n.id.clone()),
        field: None,
        old_label: old.and_then(|n| n.label.clone().or_else(|| n.heading.clone())),
        new_label: new.and_then(|n| n.label.clone().or_else(|| n.heading.clone())),
        old_text: None,
        new_text: None,
        edits: Vec::new(),
    }
}

fn text_change(level: Level, field: &str, a: &Node, b: &Node, old: &str, new: &str) -> Change {
    let mut c = change(ChangeKind::Changed, level, Some(a), Some(b));
    c.field = Some(field.to_string());
    c.old_text = Some(old.to_string());
    c.new_text = Some(new.to_string());
    c.edits = textdiff::diff(old, new);
    c
}

fn changes_of(p: &Pair, out: &mut Vec<Change>) {
    let kind = p.new.or(p.old).expect("a pair has a side").kind;
    let Some(level) = level_of(kind) else { return };
    match (p.old, p.new) {
        (None, Some(b)) => out.push(change(ChangeKind::Added, level, None, Some(b))),
        (Some(a), None) => out.push(change(ChangeKind::Removed, level, Some(a), None)),
        (Some(a), Some(b)) => {
            if a.num != b.num {
                out.push(change(ChangeKind::Renumbered, level, Some(a), Some(b)));
            }
            if a.title != b.title {
                let field = if kind == Kind::Article {
                    "caption"
                } else {
                    "title"
                };
                out.push(text_change(
                    level,
                    field,
                    a,
                    b,
                    a.title.as_deref().unwrap_or(""),
                    b.title.as_deref().unwrap_or(""),
                ));
            }
            if a.text != b.text {
                out.push(text_change(
                    level,
                    "text",
                    a,
                    b,
                    a.text.as_deref().unwrap_or(""),
                    b.text.as_deref().unwrap_or(""),
                ));
            }
            for c in &p.children {
                changes_of(c, out);
            }
        }
        (None, None) => {}
    }
}

/// Removed and added articles that are nearly the same text are one move.
fn find_moves(changes: &mut Vec<Change>, old: &Document, new: &Document) {
    let of_kind = |kind| -> Vec<usize> {
        (0..changes.len())
            .filter(|&i| changes[i].kind == kind && changes[i].level == Level::Article)
            .collect()
    };
    let (removed, added) = (of_kind(ChangeKind::Removed), of_kind(ChangeKind::Added));
    if removed.is_empty() || added.is_empty() {
        return;
    }
    // The nodes by ID and the added articles' bigrams, made once (a search of the tree
    // and new bigrams for every pair made this cubic).
    let (old_nodes, new_nodes) = (old.by_id(), new.by_id());
    let bigrams = |nodes: &rustc_hash::FxHashMap<&str, &Node>, id: Option<&String>| {
        nodes.get(id?.as_str()).map(|n| Bigrams::of(&content(n)))
    };
    let added_bigrams: Vec<Option<Bigrams>> = added
        .iter()
        .map(|&i| bigrams(&new_nodes, changes[i].new_id.as_ref()))
        .collect();
    let mut taken = vec![false; added.len()];
    for r in removed {
        let Some(ba) = bigrams(&old_nodes, changes[r].old_id.as_ref()) else {
            continue;
        };
        // The added articles nearest in the list of changes: all of them in any real
        // revision; a bound for two documents that share nothing.
        let near = added.partition_point(|&i| i < r);
        let window = near.saturating_sub(MOVE_WINDOW)..(near + MOVE_WINDOW).min(added.len());
        let best = window
            .filter(|&k| !taken[k])
            .filter_map(|k| Some((k, similarity(&ba, added_bigrams[k].as_ref()?))))
            .filter(|&(_, s)| s >= 0.9)
            .max_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((k, _)) = best {
            let i = added[k];
            let moved = Change {
                kind: ChangeKind::Moved,
                new_id: changes[i].new_id.clone(),
                new_label: changes[i].new_label.clone(),
                ..changes[r].clone()
            };
            changes[r] = moved;
            taken[k] = true;
        }
    }
    let mut dropped = vec![false; changes.len()];
    for (k, &i) in added.iter().enumerate() {
        dropped[i] = taken[k];
    }
    let mut i = 0;
    changes.retain(|_| {
        i += 1;
        !dropped[i - 1]
    });
}

/// How many added articles on each side of a removed one [`find_moves`] compares it with.
const MOVE_WINDOW: usize = 500;

fn meta_changes(old: &Document, new: &Document, out: &mut Vec<Change>) {
    let (a, b) = (&old.meta, &new.meta);
    let fields = [
        ("title", &a.title, &b.title),
        ("as_of", &a.as_of_text, &b.as_of_text),
        ("publisher", &a.publisher, &b.publisher),
        ("doc_code", &a.doc_code, &b.doc_code),
    ];
    for (field, x, y) in fields {
        if x != y {
            let (x, y) = (x.as_deref().unwrap_or(""), y.as_deref().unwrap_or(""));
            out.push(Change {
                kind: ChangeKind::Changed,
                level: Level::Meta,
                old_id: None,
                new_id: None,
                field: Some(field.to_string()),
                old_label: None,
                new_label: None,
                old_text: Some(x.to_string()),
                new_text: Some(y.to_string()),
                edits: textdiff::diff(x, y),
            });
        }
    }
}

fn definition_changes(old: &Document, new: &Document, out: &mut Vec<Change>) {
    use crate::tree::Definition;
    // A term may be defined more than once: the n-th definition of a term in the old
    // revision is compared with its n-th definition in the new one.
    let by_term = |d: &Document| -> HashMap<String, Vec<usize>> {
        let mut m: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, x) in d.definitions.iter().enumerate() {
            m.entry(key(&x.term)).or_default().push(i);
        }
        m
    };
    let (ka, kb) = (by_term(old), by_term(new));
    let def_change = |kind: ChangeKind, a: Option<&Definition>, b: Option<&Definition>| Change {
        kind,
        level: Level::Definition,
        old_id: a.map(|d| d.defined_in.clone()),
        new_id: b.map(|d| d.defined_in.clone()),
        field: None,
        old_label: a.map(|d| d.term.clone()),
        new_label: b.map(|d| d.term.clone()),
        old_text: a.map(|d| d.definition.clone()),
        new_text: b.map(|d| d.definition.clone()),
        edits: Vec::new(),
    };
    // The position of each definition among the definitions of its term.
    let occurrences = |defs: &[Definition]| -> Vec<usize> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        defs.iter()
            .map(|d| {
                let n = seen.entry(key(&d.term)).or_insert(0);
                *n += 1;
                *n - 1
            })
            .collect()
    };
    for (d, pos) in old.definitions.iter().zip(occurrences(&old.definitions)) {
        match kb.get(&key(&d.term)).and_then(|l| l.get(pos)) {
            None => out.push(def_change(ChangeKind::Removed, Some(d), None)),
            Some(&j) => {
                let e = &new.definitions[j];
                if key(&d.definition) != key(&e.definition) {
                    let mut c = def_change(ChangeKind::Changed, Some(d), Some(e));
                    c.field = Some("definition".into());
                    c.edits = textdiff::diff(&d.definition, &e.definition);
                    out.push(c);
                }
            }
        }
    }
    for (e, pos) in new.definitions.iter().zip(occurrences(&new.definitions)) {
        if ka.get(&key(&e.term)).and_then(|l| l.get(pos)).is_none() {
            out.push(def_change(ChangeKind::Added, None, Some(e)));
        }
    }
}

/// Aligns 附則 entries by their heading (the date line), in order.
fn align_entries<'a>(old: &'a Document, new: &'a Document) -> Vec<Pair<'a>> {
    let entries = |d: &'a Document| -> Vec<&'a Node> {
        d.supplementary
            .iter()
            .flat_map(|s| s.entries.iter())
            .collect()
    };
    let (a, b) = (entries(old), entries(new));
    let ka: Vec<String> = a
        .iter()
        .map(|n| key(n.heading.as_deref().unwrap_or("")))
        .collect();
    let kb: Vec<String> = b
        .iter()
        .map(|n| key(n.heading.as_deref().unwrap_or("")))
        .collect();
    let mut out = Vec::new();
    for (tag, ra, rb) in crate::seqdiff::ops(&ka, &kb) {
        match tag {
            DiffTag::Equal => out.extend(ra.zip(rb).map(|(i, j)| pair(Some(a[i]), Some(b[j])))),
            _ => {
                out.extend(a[ra].iter().map(|n| pair(Some(n), None)));
                out.extend(b[rb].iter().map(|n| pair(None, Some(n))));
            }
        }
    }
    out
}

/// Compares two revisions.
pub fn compare<'a>(old: &'a Document, new: &'a Document) -> Comparison<'a> {
    let mut changes = Vec::new();
    meta_changes(old, new, &mut changes);
    let chapters = |d: &'a Document| -> Vec<&'a Node> {
        d.body
            .iter()
            .filter(|n| level_of(n.kind) == Some(Level::Chapter))
            .collect()
    };
    for (a, b) in align(&chapters(old), &chapters(new)) {
        match (a, b) {
            (Some(a), Some(b)) => {
                if a.num != b.num {
                    changes.push(change(
                        ChangeKind::Renumbered,
                        Level::Chapter,
                        Some(a),
                        Some(b),
                    ));
                }
                if a.title != b.title {
                    changes.push(text_change(
                        Level::Chapter,
                        "title",
                        a,
                        b,
                        a.title.as_deref().unwrap_or(""),
                        b.title.as_deref().unwrap_or(""),
                    ));
                }
            }
            (a, b) => changes.push(change(
                if a.is_some() {
                    ChangeKind::Removed
                } else {
                    ChangeKind::Added
                },
                Level::Chapter,
                a,
                b,
            )),
        }
    }
    let articles: Vec<Pair<'a>> = align(&articles(&old.body), &articles(&new.body))
        .into_iter()
        .map(|(a, b)| pair(a, b))
        .collect();
    let mut article_changes = Vec::new();
    for p in &articles {
        changes_of(p, &mut article_changes);
    }
    find_moves(&mut article_changes, old, new);
    changes.extend(article_changes);
    definition_changes(old, new, &mut changes);
    let entries = align_entries(old, new);
    for p in &entries {
        changes_of(p, &mut changes);
    }
    let mut all = articles;
    all.extend(entries);
    Comparison {
        old,
        new,
        articles: all,
        changes,
    }
}

/// Revision information for reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of_text: Option<String>,
}

/// The JSON form of a comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub old: Revision,
    pub new: Revision,
    /// how many changes of each kind
    pub summary: std::collections::BTreeMap<String, usize>,
    pub changes: Vec<Change>,
}

impl Comparison<'_> {
    pub fn report(&self) -> Report {
        let rev = |d: &Document| Revision {
            title: d.meta.title.clone(),
            as_of: d.meta.as_of.clone(),
            as_of_text: d.meta.as_of_text.clone(),
        };
        let mut summary = std::collections::BTreeMap::new();
        for c in &self.changes {
            let kind = serde_json::to_value(c.kind).expect("plain enum");
            *summary
                .entry(kind.as_str().unwrap_or_default().to_string())
                .or_insert(0) += 1;
        }
        Report {
            old: rev(self.old),
            new: rev(self.new),
            summary,
            changes: self.changes.clone(),
        }
    }
}
