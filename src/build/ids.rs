//! Node IDs: a child's ID from its parent's, and the IDs given so far in one document,
//! for making each new one unique (`_dupN`, with a `duplicate-id` warning).
//!
//! The IDs are copied into one buffer, each followed by a NUL (no ID holds one: they are
//! made of numbers and kind prefixes), and the set holds where each starts: a `String`
//! per ID in a `HashSet` was a sixth of the allocations of building the tree, and with
//! four-byte entries the table of the 100× benchmark document's 30,783 IDs is 330 KB
//! (16-byte spans made it 1.1 MB, a cache miss on almost every insert).

use super::*;
use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

#[derive(Default)]
pub(super) struct IdSet {
    /// every ID given, one after another, each ended by a NUL
    text: String,
    /// where each ID starts in `text`
    starts: HashTable<u32>,
}

impl IdSet {
    /// A set with room for about `n` IDs.
    pub(super) fn with_capacity(n: usize) -> Self {
        IdSet {
            // (IDs with their NUL average 17 bytes in the seed, 24 in the 100× benchmark
            // document)
            text: String::with_capacity(n * 24),
            starts: HashTable::with_capacity(n),
        }
    }

    /// How many IDs were given: one per node.
    pub(super) fn len(&self) -> usize {
        self.starts.len()
    }

    /// The ID starting at `start` in `text`.
    fn at(text: &str, start: u32) -> &str {
        let rest = &text[start as usize..];
        &rest[..rest.find('\0').unwrap_or(rest.len())]
    }

    /// Adds `id`; false (and nothing added) when it was given already.
    pub(super) fn insert(&mut self, id: &str) -> bool {
        let hash = FxBuildHasher.hash_one(id);
        let text = &self.text;
        let same = |&s: &u32| {
            // (the ID's bytes, then its end: no prefix of a longer ID matches)
            text.as_bytes()
                .get(s as usize..)
                .is_some_and(|t| t.starts_with(id.as_bytes()) && t.get(id.len()) == Some(&0))
        };
        if self.starts.find(hash, same).is_some() {
            return false;
        }
        // (a document of 4 GiB of IDs is beyond any input: parsing stays total, and
        // past that the set stops finding duplicates rather than failing)
        let Ok(start) = u32::try_from(self.text.len()) else {
            return true;
        };
        self.text.push_str(id);
        self.text.push('\0');
        let text = &self.text;
        let rehash = |&s: &u32| FxBuildHasher.hash_one(Self::at(text, s));
        self.starts.insert_unique(hash, start, rehash);
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
