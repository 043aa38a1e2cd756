//! Literals searched for in many texts.
//!
//! In: a `&'static str`. Out: [`Needle::find`] and [`Needle::find_iter`] over any text,
//! with one memchr `memmem` searcher built on first use and kept for the process. (`str`'s
//! own `contains` builds its searcher on every call, which showed in profiles for short
//! texts searched many times.)

use memchr::memmem::{FindIter, Finder};
use std::sync::OnceLock;

/// A literal with its searcher.
pub struct Needle {
    literal: &'static str,
    finder: OnceLock<Finder<'static>>,
}

impl Needle {
    pub const fn new(literal: &'static str) -> Self {
        Needle {
            literal,
            finder: OnceLock::new(),
        }
    }

    fn finder(&self) -> &Finder<'static> {
        self.finder.get_or_init(|| Finder::new(self.literal))
    }

    /// The byte offset of the first occurrence in `text`.
    pub fn find(&self, text: &str) -> Option<usize> {
        self.finder().find(text.as_bytes())
    }

    /// Whether `text` holds the literal.
    pub fn is_in(&self, text: &str) -> bool {
        self.find(text).is_some()
    }

    /// The byte offsets of the occurrences in `text`, left to right, not overlapping.
    pub fn find_iter<'h>(&'static self, text: &'h str) -> FindIter<'h, 'static> {
        self.finder().find_iter(text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_literals_by_byte_offset() {
        static MARU: Needle = Needle::new("。");
        assert_eq!(MARU.find("甲。乙。"), Some(3));
        assert_eq!(MARU.find_iter("甲。乙。").collect::<Vec<_>>(), [3, 9]);
        assert!(!MARU.is_in("甲乙"));
    }
}
