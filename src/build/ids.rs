//! Node IDs: a child's ID from its parent's, and the IDs given so far in one document,
//! for making each new one unique (`_dupN`, with a `duplicate-id` warning).
//!
//! The IDs are copied into one buffer and the set holds their spans: a `String` per ID
//! in a `HashSet` was a sixth of the allocations of building the tree.

use super::*;
use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

#[derive(Default)]
pub(super) struct IdSet {
    /// every ID given, one after another
    text: String,
    /// byte spans of `text`, one per ID
    spans: HashTable<(usize, usize)>,
}

impl IdSet {
    /// A set with room for about `n` IDs.
    pub(super) fn with_capacity(n: usize) -> Self {
        IdSet {
            text: String::with_capacity(n * 16),
            spans: HashTable::with_capacity(n),
        }
    }

    /// How many IDs were given: one per node.
    pub(super) fn len(&self) -> usize {
        self.spans.len()
    }

    /// Adds `id`; false (and nothing added) when it was given already.
    pub(super) fn insert(&mut self, id: &str) -> bool {
        let hash = FxBuildHasher.hash_one(id);
        let text = &self.text;
        if self.spans.find(hash, |&(s, e)| &text[s..e] == id).is_some() {
            return false;
        }
        let start = self.text.len();
        self.text.push_str(id);
        let text = &self.text;
        let rehash = |&(s, e): &(usize, usize)| FxBuildHasher.hash_one(&text[s..e]);
        self.spans.insert_unique(hash, (start, text.len()), rehash);
        true
    }
}

impl Builder<'_> {
    /// The unique ID of a new `kind` node numbered `num`: under the innermost open node,
    /// except for an article of the body, whose ID stands alone (`art_13`).
    pub(super) fn child_id(&mut self, kind: Kind, num: &str, line: usize) -> String {
        let parent = match (kind, self.stack.last()) {
            (Kind::Article, _) if !self.in_suppl => None,
            (_, parent) => parent.map(|o| self.done[o.at].id.as_str()),
        };
        // Concatenated by hand: `format!` here was a tenth of building the tree.
        let prefix = kind.id_prefix();
        let mut base =
            String::with_capacity(parent.map_or(0, |p| p.len() + 2) + prefix.len() + 1 + num.len());
        if let Some(p) = parent {
            base.push_str(p);
            base.push_str("__");
        }
        base.push_str(prefix);
        base.push('_');
        base.push_str(num);
        self.unique(base, line)
    }

    /// `base`, or when it is taken `base_dupN` with a `duplicate-id` warning.
    pub(super) fn unique(&mut self, base: String, line: usize) -> String {
        if self.ids.insert(&base) {
            return base;
        }
        let k = self.dups.entry(base.clone()).or_insert(1);
        loop {
            *k += 1;
            let id = format!("{base}_dup{k}");
            if self.ids.insert(&id) {
                self.diags.push(Diagnostic::warning(
                    "duplicate-id",
                    line,
                    format!("`{base}` is used already; this node is `{id}`"),
                ));
                return id;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_id_is_taken_once() {
        let mut ids = IdSet::default();
        // (prefixes of one another: spans, not the buffer's tail, are compared)
        for id in ["art_1", "art_1__para_1", "art_10", "art_1__para_10"] {
            assert!(ids.insert(id), "{id}");
        }
        for id in ["art_1", "art_1__para_1", "art_10", "art_1__para_10"] {
            assert!(!ids.insert(id), "{id}");
        }
        // many, so that the table grows and rehashes from the buffer
        for k in 0..1000 {
            assert!(ids.insert(&format!("row_{k}")));
        }
        assert!((0..1000).all(|k| !ids.insert(&format!("row_{k}"))));
        assert!(ids.insert("row_1000"));
    }
}
