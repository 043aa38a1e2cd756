//! The IDs given so far in one document, for making each new one unique.
//!
//! The IDs are copied into one buffer and the set holds their spans: a `String` per ID
//! in a `HashSet` was a sixth of the allocations of building the tree.

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
