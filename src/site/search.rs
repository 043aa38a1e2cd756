//! The site's search index: NFKC character grams with provision-level postings.
//!
//! In: the provisions (articles and 附則 entries) of every revision. Out: static JSON files
//! that `assets/search.js` reads.
//!
//! Why not Pagefind: with the seed indexed one article per record, its unquoted search
//! returns articles that hold the query's pieces apart (契約者 → 38 articles, 3 without
//! 契約者; 個人情報 → also 第17条), and its exact mode misses real hits. Japanese readers
//! expect substring hits, so the index is built here and every candidate is verified.
//!
//! - A provision's search text is its heading and all its text, then [`search_key`]:
//!   NFKC, no whitespace, ASCII lowercase (the script applies the same to the query).
//! - Its grams are every character and every pair of adjacent characters of that text.
//!   A query of one character looks up that character; a longer one looks up all its
//!   pairs; the provisions holding all of them are candidates.
//! - Candidates are verified in the browser by a substring check of the query against
//!   the provision's search text, so results are exactly the provisions that contain it.
//! - Provisions are numbered in corpus order (document, revision, document order);
//!   `meta.json` gives each revision its first number (`base`) and its text file.
//! - Postings are stored as differences between successive numbers, in
//!   `p/<shard>.json`, a gram's shard being its FNV-1a hash (over code points) modulo
//!   the shard count. `t/<doc>_<rev>.json` holds `[id, heading, text]` per
//!   provision (original characters) for verification and snippets.

use crate::normalize::key;
use crate::tree::{Document, Kind, Node};
use serde::Serialize;
use std::collections::HashMap;

/// The search form of a text: NFKC, without whitespace, ASCII letters in lower case.
pub fn search_key(s: &str) -> String {
    let mut k = key(s);
    k.make_ascii_lowercase();
    k
}

/// One searchable provision of a revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub id: String,
    /// the heading as one line (with its date for a 附則 entry)
    pub title: String,
    /// the heading and all the text, original characters, parts separated by a space
    /// (whitespace is not part of the search text, so the spaces only help snippets)
    pub text: String,
}

fn gather(n: &Node, out: &mut String) {
    for part in [&n.heading, &n.text].into_iter().flatten().chain(&n.cells) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    for c in &n.children {
        gather(c, out);
    }
}

/// The provisions of a revision: every article of the body (and text outside articles
/// as its own record) and every 附則 entry.
pub fn records(doc: &Document) -> Vec<Record> {
    fn walk(nodes: &[Node], out: &mut Vec<Record>) {
        for n in nodes {
            match n.kind {
                Kind::Article | Kind::Supplement | Kind::Preamble => {
                    let mut text = String::new();
                    gather(n, &mut text);
                    let mut title = super::page::one_line(n.heading.as_deref().unwrap_or(""));
                    if n.kind == Kind::Preamble {
                        title = "前文".to_string();
                    }
                    if let Some(d) = &n.date {
                        title = format!("{title}（{d}）");
                    }
                    out.push(Record {
                        id: n.id.clone(),
                        title,
                        text,
                    });
                }
                Kind::Toc => {}
                _ => walk(&n.children, out),
            }
        }
    }
    let mut out = Vec::new();
    walk(&doc.body, &mut out);
    if let Some(s) = &doc.supplementary {
        walk(&s.entries, &mut out);
    }
    out
}

/// A gram: one or two characters packed into a number (0 for "no second character").
type Gram = u64;

fn pack(a: char, b: Option<char>) -> Gram {
    ((a as u64) << 32) | b.map_or(0, |b| b as u64)
}

fn unpack(g: Gram) -> String {
    let mut s = String::new();
    s.extend(char::from_u32((g >> 32) as u32));
    if g & 0xffff_ffff != 0 {
        s.extend(char::from_u32((g & 0xffff_ffff) as u32));
    }
    s
}

/// The distinct grams of a text's [`search_key`], sorted.
pub fn grams(text: &str) -> Vec<Gram> {
    let text = search_key(text);
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(pack(c, None));
        if let Some(&n) = chars.peek() {
            out.push(pack(c, Some(n)));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// FNV-1a over the code points of a gram; `search.js` computes the same.
fn shard_of(gram: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in gram.chars() {
        h ^= c as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards
}

/// A revision as `meta.json` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct RevisionEntry {
    /// index into `docs`
    pub doc: usize,
    pub date: String,
    /// the revision's page, relative to the site root
    pub url: String,
    /// its text file, relative to `search/`
    pub text: String,
    /// number of its first provision
    pub base: u32,
    pub count: u32,
    /// the newest revision of its document
    pub latest: bool,
}

/// A document as `meta.json` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct DocumentEntry {
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    shards: u32,
    docs: &'a [DocumentEntry],
    revs: &'a [RevisionEntry],
}

#[derive(Default)]
struct Postings {
    /// differences between successive provision numbers, as LEB128 varints
    deltas: Vec<u8>,
    last: u32,
    count: u32,
}

/// Collects postings revision by revision, in corpus order.
#[derive(Default)]
pub struct IndexBuilder {
    postings: HashMap<Gram, Postings>,
    docs: Vec<DocumentEntry>,
    revs: Vec<RevisionEntry>,
    next: u32,
}

impl IndexBuilder {
    pub fn add_document(&mut self, entry: DocumentEntry) -> usize {
        self.docs.push(entry);
        self.docs.len() - 1
    }

    /// Adds a revision's provisions, given as their grams (see [`grams`]).
    pub fn add_revision(&mut self, mut entry: RevisionEntry, provisions: &[Vec<Gram>]) {
        entry.base = self.next;
        entry.count = provisions.len() as u32;
        for gs in provisions {
            let n = self.next;
            for &g in gs {
                let p = self.postings.entry(g).or_default();
                let mut d = if p.count == 0 { n } else { n - p.last };
                loop {
                    let b = (d & 0x7f) as u8;
                    d >>= 7;
                    if d == 0 {
                        p.deltas.push(b);
                        break;
                    }
                    p.deltas.push(b | 0x80);
                }
                p.last = n;
                p.count += 1;
            }
            self.next += 1;
        }
        self.revs.push(entry);
    }

    /// Number of provisions indexed.
    pub fn len(&self) -> u32 {
        self.next
    }

    pub fn is_empty(&self) -> bool {
        self.next == 0
    }

    /// The index files, paths relative to `search/`: `meta.json` and the shards.
    pub fn finish(self) -> Vec<(String, String)> {
        let total: usize = self.postings.values().map(|p| p.deltas.len()).sum();
        // About 64 KB of JSON per shard (a varint byte is about three JSON bytes).
        let shards = ((total / 20_000).max(1) as u32)
            .next_power_of_two()
            .min(4096);
        let mut by_shard: Vec<Vec<(String, &Postings)>> = (0..shards).map(|_| Vec::new()).collect();
        for (g, p) in &self.postings {
            let gram = unpack(*g);
            by_shard[shard_of(&gram, shards) as usize].push((gram, p));
        }
        let mut files = Vec::with_capacity(shards as usize + 1);
        for (i, mut list) in by_shard.into_iter().enumerate() {
            list.sort_by(|a, b| a.0.cmp(&b.0));
            let mut out = String::from("{");
            for (j, (gram, p)) in list.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(gram).expect("a string"));
                out.push_str(":[");
                let mut v: u32 = 0;
                let mut shift = 0;
                let mut first = true;
                for &b in &p.deltas {
                    v |= ((b & 0x7f) as u32) << shift;
                    shift += 7;
                    if b & 0x80 == 0 {
                        if !first {
                            out.push(',');
                        }
                        first = false;
                        out.push_str(&v.to_string());
                        v = 0;
                        shift = 0;
                    }
                }
                out.push(']');
            }
            out.push('}');
            files.push((format!("p/{i}.json"), out));
        }
        let meta = Meta {
            version: 1,
            shards,
            docs: &self.docs,
            revs: &self.revs,
        };
        files.push((
            "meta.json".to_string(),
            serde_json::to_string(&meta).expect("plain data"),
        ));
        files
    }
}

/// The text file of a revision: `[[id, heading, text], …]`; the script normalizes the
/// text as [`search_key`] does to verify a candidate, and shows the original around the
/// match.
pub fn text_file(records: &[Record]) -> String {
    let rows: Vec<[&str; 3]> = records
        .iter()
        .map(|r| [r.id.as_str(), r.title.as_str(), r.text.as_str()])
        .collect();
    serde_json::to_string(&rows).expect("plain strings")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_are_characters_and_pairs() {
        let g: Vec<String> = grams("解約解").into_iter().map(unpack).collect();
        assert_eq!(g.len(), 4);
        for s in ["解", "約", "解約", "約解"] {
            assert!(g.contains(&s.to_string()), "{s}");
        }
    }

    #[test]
    fn search_key_folds_width_case_and_space() {
        assert_eq!(search_key("ＩＩＪ　ﾄﾞｺﾓ Ab"), "iijドコモab");
    }

    #[test]
    fn postings_round_trip_as_differences() {
        let mut b = IndexBuilder::default();
        let doc = b.add_document(DocumentEntry {
            title: "t".into(),
            url: "u".into(),
        });
        let entry = |date: &str| RevisionEntry {
            doc,
            date: date.into(),
            url: String::new(),
            text: String::new(),
            base: 0,
            count: 0,
            latest: false,
        };
        // 200 provisions, every one holding 約, so numbers above 127 need two bytes.
        let provs: Vec<Vec<Gram>> = (0..200).map(|_| grams("約")).collect();
        b.add_revision(entry("a"), &provs);
        b.add_revision(entry("b"), &[grams("解約")]);
        let files = b.finish();
        let meta: serde_json::Value =
            serde_json::from_str(&files.iter().find(|f| f.0 == "meta.json").unwrap().1).unwrap();
        assert_eq!(meta["revs"][1]["base"], 200);
        let shards = meta["shards"].as_u64().unwrap() as u32;
        let shard = |g: &str| -> serde_json::Value {
            let name = format!("p/{}.json", shard_of(g, shards));
            serde_json::from_str(&files.iter().find(|f| f.0 == name).unwrap().1).unwrap()
        };
        let deltas: Vec<u64> = shard("約")["約"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        let mut n = 0;
        let numbers: Vec<u64> = deltas
            .iter()
            .enumerate()
            .map(|(i, d)| {
                n = if i == 0 { *d } else { n + d };
                n
            })
            .collect();
        assert_eq!(numbers, (0..=200).collect::<Vec<u64>>());
        assert_eq!(shard("解約")["解約"], serde_json::json!([200]));
    }
}
