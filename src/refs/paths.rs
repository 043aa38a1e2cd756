//! Path resolution: one parsed path (`第13条第2項`, `前条`, `同項第1号`, `各号`) to the IDs
//! of the nodes it names, through an index of the tree.
//!
//! In: the built [`Document`] (indexed once: every node a path can name, by ID and by
//! place in document order; the children of every parent by kind; the articles of the
//! body and of each 附則 entry in order) and, per path, where its text stands ([`Ctx`])
//! and what was named before ([`Last`]). Out: the targets, borrowed from the tree, or
//! why the path does not resolve. IDs a path builds (`art_13__para_2`) are made in one
//! reused buffer and looked up; only those of nodes that do not exist are allocated, for
//! the message.

use super::Ctx;
use crate::classify::Num;
use crate::refparse::{Path, Rel};
use crate::tree::{Document, Kind, Node};
use hashbrown::HashTable;
use rustc_hash::{FxBuildHasher, FxHashMap as HashMap};
use std::borrow::Cow;
use std::hash::BuildHasher;

/// The tree's structure, for moving between siblings (borrowing the tree's IDs).
pub(super) struct Index<'a> {
    /// every node a path can name (all but tables and rows), in document order: a node's
    /// *place* is its number among them
    entries: Vec<Entry<'a>>,
    /// the place of each ID: four bytes a node (a map from IDs to entries was 4.3 MB for
    /// the 100× benchmark document, a cache miss on almost every insert)
    places: HashTable<u32>,
    /// the children of every parent, grouped by kind: one list for the whole tree (a list
    /// per parent and kind was an allocation each)
    grouped: Vec<&'a str>,
    /// where the ordered children of a given kind under a parent lie in `grouped`:
    /// (parent's place, kind) → start..end
    children: HashMap<(u32, Kind), (u32, u32)>,
    /// the articles of the body (or of one 附則 entry) in order
    articles: HashMap<&'a str, Vec<&'a str>>,
}

/// What the index knows of one node.
struct Entry<'a> {
    id: &'a str,
    title: Option<&'a str>,
    /// the parent's place
    parent: Option<u32>,
    /// position among its parent's children of its kind, or among its articles
    position: Option<u32>,
}

/// Whether a path can name nodes of this kind: tables and their rows have no number a
/// reference could give, so the index leaves them out (they were two nodes in five of
/// the 100× benchmark document, each a hash and an insert).
pub(super) fn named(kind: Kind) -> bool {
    !matches!(kind, Kind::Table | Kind::Row)
}

fn hash(id: &str) -> u64 {
    FxBuildHasher.hash_one(id)
}

/// A count or position within the tree, as the index keeps it: a tree of 2³² nodes (of
/// 288 bytes each) cannot be held in memory, so none is truncated.
fn small(n: usize) -> u32 {
    n as u32
}

/// The index of `doc`, a tree of `total` nodes.
pub(super) fn index(doc: &Document, total: usize) -> Index<'_> {
    let suppl: &[Node] = doc.supplementary.as_ref().map_or(&[], |s| &s.entries);
    let mut ix = Index {
        entries: Vec::with_capacity(total),
        places: HashTable::with_capacity(total),
        grouped: Vec::with_capacity(total),
        children: HashMap::default(),
        articles: HashMap::default(),
    };
    fn walk<'a>(ix: &mut Index<'a>, nodes: &'a [Node], parent: Option<u32>, scope: &'a str) {
        if let Some(p) = parent {
            // each kind's children together, kinds in order of first appearance
            let mut done = [false; Kind::COUNT];
            for (i, n) in nodes.iter().enumerate() {
                if !named(n.kind) {
                    continue;
                }
                if !std::mem::replace(&mut done[n.kind as usize], true) {
                    let start = small(ix.grouped.len());
                    let same = nodes[i..].iter().filter(|m| m.kind == n.kind);
                    ix.grouped.extend(same.map(|m| m.id.as_str()));
                    let end = small(ix.grouped.len());
                    ix.children.insert((p, n.kind), (start, end));
                }
            }
        }
        let mut seen = [0u32; Kind::COUNT];
        for n in nodes.iter().filter(|n| named(n.kind)) {
            let id = n.id.as_str();
            let mut position = None;
            if parent.is_some() && n.kind != Kind::Article {
                position = Some(seen[n.kind as usize]);
            }
            seen[n.kind as usize] += 1;
            if n.kind == Kind::Article {
                let list = ix.articles.entry(scope).or_default();
                position = Some(small(list.len()));
                list.push(id);
            }
            let place = small(ix.entries.len());
            ix.entries.push(Entry {
                id,
                title: n.title.as_deref(),
                parent,
                position,
            });
            // (IDs are unique: the tree builder made them so)
            let entries = &ix.entries;
            let rehash = |&p: &u32| hash(entries[p as usize].id);
            ix.places.insert_unique(hash(id), place, rehash);
            let scope = if n.kind == Kind::Supplement {
                id
            } else {
                scope
            };
            walk(ix, &n.children, Some(place), scope);
        }
    }
    walk(&mut ix, &doc.body, None, "body");
    walk(&mut ix, suppl, None, "body");
    ix
}

/// A node ID met while resolving: the tree's own (borrowed from the index) when the node
/// exists, else the ID as built, kept for the message that says it does not exist.
pub(super) type Id<'a> = Cow<'a, str>;

impl<'a> Index<'a> {
    /// The place of the node `id`, if it exists.
    pub(super) fn place(&self, id: &str) -> Option<u32> {
        let entries = &self.entries;
        let found = self
            .places
            .find(hash(id), |&p| entries[p as usize].id == id);
        found.copied()
    }

    fn entry(&self, id: &str) -> Option<&Entry<'a>> {
        self.place(id).map(|p| &self.entries[p as usize])
    }

    /// The caption of the node `id`.
    pub(super) fn title(&self, id: &str) -> Option<&'a str> {
        self.entry(id)?.title
    }

    fn sibling(&self, id: &str, kind: Kind, step: isize) -> Option<&'a str> {
        let entry = self.entry(id)?;
        let list = self.children_of(entry.parent?, kind);
        let pos = entry.position? as isize + step;
        usize::try_from(pos).ok().and_then(|p| list.get(p)).copied()
    }

    /// The children of one kind under `parent`, in order.
    fn kind_of(&self, parent: &str, kind: Kind) -> &[&'a str] {
        self.place(parent)
            .map_or(&[], |p| self.children_of(p, kind))
    }

    /// The children of one kind under the node at `place`, in order.
    fn children_of(&self, place: u32, kind: Kind) -> &[&'a str] {
        self.children
            .get(&(place, kind))
            .map_or(&[], |&(start, end)| {
                &self.grouped[start as usize..end as usize]
            })
    }

    fn article_step(&self, ctx: &Ctx, step: isize) -> Option<&'a str> {
        let art = ctx.article?;
        let list = self.articles.get(ctx.suppl.unwrap_or("body"))?;
        let pos = self.entry(art)?.position? as isize + step;
        usize::try_from(pos).ok().and_then(|p| list.get(p)).copied()
    }

    /// The tree's own copy of `id`, if that node exists.
    fn lookup(&self, id: &str) -> Option<&'a str> {
        self.entry(id).map(|e| e.id)
    }

    /// The ID made of `parts` and the number `n` (as IDs write it: `36-2`), built in
    /// `buf`, if that node exists.
    fn existing(&self, buf: &mut String, parts: &[&str], n: Option<&Num>) -> Option<&'a str> {
        buf.clear();
        for p in parts {
            buf.push_str(p);
        }
        if let Some(n) = n {
            n.write_id(buf);
        }
        self.lookup(buf)
    }

    /// [`Index::existing`], else the ID as built (allocated only then, for the message).
    fn id(&self, buf: &mut String, parts: &[&str], n: Option<&Num>) -> Id<'a> {
        match self.existing(buf, parts, n) {
            Some(id) => Cow::Borrowed(id),
            None => Cow::Owned(buf.clone()),
        }
    }
}

/// Resolution state carried through one article: the ones named last.
#[derive(Default, Clone)]
pub(super) struct Last<'a> {
    pub(super) article: Option<Id<'a>>,
    pub(super) para: Option<Id<'a>>,
    pub(super) item: Option<Id<'a>>,
}

fn need<T>(x: Option<T>, what: &str) -> Result<T, String> {
    x.ok_or_else(|| format!("no {what} to refer to"))
}

/// Resolves one path; `inherit` holds the article and paragraph of the previous path of
/// a list. Returns the targets and what the path named at each level. IDs are built in
/// `buf`; only those of nodes that do not exist are allocated (for the message).
pub(super) fn resolve_path<'a>(
    ix: &Index<'a>,
    buf: &mut String,
    ctx: &Ctx<'a>,
    last: &Last<'a>,
    path: &Path,
    inherit: &Last<'a>,
) -> Result<(Vec<&'a str>, Last<'a>), String> {
    let mut named = Last::default();
    // 前二条 / 前三項: the N preceding articles or paragraphs, in document order.
    match (&path.article, &path.paragraph, &path.item) {
        (Some(Rel::PrevN(n)), None, None) => {
            let all = (1..=*n as isize)
                .rev()
                .map(|k| need(ix.article_step(ctx, -k), "preceding articles"));
            return all.collect::<Result<Vec<_>, _>>().map(|t| (t, named));
        }
        (None, Some(Rel::PrevN(n)), None) => {
            let para = need(ctx.para, "current paragraph")?;
            let all = (1..=*n as isize).rev().map(|k| {
                need(
                    ix.sibling(para, Kind::Paragraph, -k),
                    "preceding paragraphs",
                )
            });
            return all.collect::<Result<Vec<_>, _>>().map(|t| (t, named));
        }
        (Some(Rel::PrevN(_)), ..) | (_, Some(Rel::PrevN(_)), _) => {
            return Err("前N条/前N項 followed by a lower level is not supported".into());
        }
        _ => {}
    }
    let article: Option<Id<'a>> = match &path.article {
        None => None,
        Some(Rel::Num(n)) => {
            // inside a 附則 entry, its own article first
            let local = ctx
                .suppl
                .and_then(|e| ix.existing(buf, &[e, "__art_"], Some(n)))
                .map(Cow::Borrowed);
            Some(local.unwrap_or_else(|| ix.id(buf, &["art_"], Some(n))))
        }
        Some(Rel::Prev) => Some(need(ix.article_step(ctx, -1), "previous article")?.into()),
        Some(Rel::Next) => Some(need(ix.article_step(ctx, 1), "next article")?.into()),
        Some(Rel::Same) => Some(need(last.article.clone(), "article named before (同条)")?),
        Some(_) => Some(need(ctx.article, "current article")?.into()),
    };
    named.article = article.clone();
    let base = article
        .clone()
        .or_else(|| inherit.article.clone())
        .or_else(|| ctx.provision.map(Cow::Borrowed));
    let para: Option<Id<'a>> = match &path.paragraph {
        None => None,
        Some(Rel::Num(n)) => {
            let base = need(base, "article")?;
            Some(ix.id(buf, &[&base, "__para_"], Some(n)))
        }
        Some(Rel::Prev) => Some(
            need(
                ctx.para.and_then(|p| ix.sibling(p, Kind::Paragraph, -1)),
                "previous paragraph",
            )?
            .into(),
        ),
        Some(Rel::Next) => Some(
            need(
                ctx.para.and_then(|p| ix.sibling(p, Kind::Paragraph, 1)),
                "next paragraph",
            )?
            .into(),
        ),
        Some(Rel::Same) => Some(need(last.para.clone(), "paragraph named before (同項)")?),
        Some(_) => Some(need(ctx.para, "current paragraph")?.into()),
    };
    named.para = para.clone();
    let item_base: Option<Id<'a>> = match (&para, &article) {
        (Some(p), _) => Some(p.clone()),
        (None, Some(a)) => Some(ix.id(buf, &[a, "__para_1"], None)),
        (None, None) => inherit.para.clone().or_else(|| ctx.para.map(Cow::Borrowed)),
    };
    let items: Option<Vec<Id<'a>>> = match &path.item {
        None => None,
        Some(Rel::Num(n)) => {
            let base = need(item_base, "paragraph")?;
            Some(vec![ix.id(buf, &[&base, "__item_"], Some(n))])
        }
        Some(Rel::Prev) => Some(vec![need(
            ctx.item.and_then(|i| ix.sibling(i, Kind::Item, -1)),
            "previous item",
        )?
        .into()]),
        Some(Rel::Next) => Some(vec![need(
            ctx.item.and_then(|i| ix.sibling(i, Kind::Item, 1)),
            "next item",
        )?
        .into()]),
        Some(Rel::Same) => Some(vec![need(last.item.clone(), "item named before (同号)")?]),
        Some(Rel::Each) => {
            let base = need(item_base, "paragraph")?;
            let all = ix.kind_of(&base, Kind::Item);
            Some(all.iter().map(|&i| Cow::Borrowed(i)).collect())
        }
        Some(Rel::PrevEach) => {
            let all = ix.kind_of(need(ctx.para, "current paragraph")?, Kind::Item);
            let upto = ctx
                .item
                .and_then(|i| all.iter().position(|&x| x == i))
                .unwrap_or(all.len());
            Some(all[..upto].iter().map(|&i| Cow::Borrowed(i)).collect())
        }
        Some(Rel::This | Rel::PrevN(_)) => None,
    };
    if let Some(items) = &items {
        if items.len() == 1 {
            named.item = Some(items[0].clone());
        }
    }
    let targets = match (items, para, article) {
        (Some(items), ..) => items,
        (None, Some(p), _) => vec![p],
        (None, None, Some(a)) => vec![a],
        (None, None, None) => Vec::new(),
    };
    if targets.is_empty() {
        return Err("no items to refer to".into());
    }
    // Every target must be a node: one found in the index is borrowed from it (an ID
    // taken from `last` or built may not be).
    let mut found = Vec::with_capacity(targets.len());
    for t in &targets {
        match ix.lookup(t) {
            Some(id) => found.push(id),
            None => return Err(format!("`{t}` does not exist")),
        }
    }
    Ok((found, named))
}

/// Every number between the ends of a range (same prefix, numeric last segment).
pub(super) fn expand_range<'a>(
    ix: &Index<'a>,
    buf: &mut String,
    from: &str,
    to: &str,
) -> Option<Vec<&'a str>> {
    let (pa, a) = from.rsplit_once('_')?;
    let (pb, b) = to.rsplit_once('_')?;
    let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
    (pa == pb && a <= b).then(|| {
        (a..=b)
            .filter_map(|k| {
                let n = Num {
                    main: k,
                    branches: Vec::new(),
                };
                ix.existing(buf, &[pa, "_"], Some(&n))
            })
            .collect()
    })
}
