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

/// Collects postings revision by revision, in corpus order, and hands them out in runs
/// (one per shard) whenever the caller wants to bound memory: the caller stores the runs
/// and turns each shard's runs into its file with [`shard_file`]. The shard count is
/// fixed up front from the corpus size ([`shards_for`]).
pub struct IndexBuilder {
    shards: u32,
    /// postings since the last [`IndexBuilder::drain`]: gram → provision numbers
    pending: HashMap<Gram, Vec<u32>>,
    pending_len: usize,
    docs: Vec<DocumentEntry>,
    revs: Vec<RevisionEntry>,
    next: u32,
}

/// A shard count for a corpus of `input_bytes`: about 64 KB of postings JSON per shard.
pub fn shards_for(input_bytes: u64) -> u32 {
    ((input_bytes / 100_000).max(1) as u32)
        .next_power_of_two()
        .min(4096)
}

impl IndexBuilder {
    pub fn new(shards: u32) -> Self {
        IndexBuilder {
            shards: shards.max(1),
            pending: HashMap::new(),
            pending_len: 0,
            docs: Vec::new(),
            revs: Vec::new(),
            next: 0,
        }
    }

    pub fn shards(&self) -> u32 {
        self.shards
    }

    pub fn add_document(&mut self, entry: DocumentEntry) -> usize {
        self.docs.push(entry);
        self.docs.len() - 1
    }

    /// Adds a revision's provisions, given as their grams (see [`grams`]).
    pub fn add_revision(&mut self, mut entry: RevisionEntry, provisions: &[Vec<Gram>]) {
        entry.base = self.next;
        entry.count = provisions.len() as u32;
        for gs in provisions {
            for &g in gs {
                self.pending.entry(g).or_default().push(self.next);
            }
            self.pending_len += gs.len();
            self.next += 1;
        }
        self.revs.push(entry);
    }

    /// Postings held since the last drain.
    pub fn pending(&self) -> usize {
        self.pending_len
    }

    /// Number of provisions indexed.
    pub fn len(&self) -> u32 {
        self.next
    }

    pub fn is_empty(&self) -> bool {
        self.next == 0
    }

    /// The pending postings as runs, one per shard that has any: `(shard, bytes)`. A run
    /// is a sequence of `gram (u64 LE), count (u32 LE), count × number (u32 LE)`; runs
    /// of one shard are to be kept in the order they were drained.
    pub fn drain(&mut self) -> Vec<(u32, Vec<u8>)> {
        let mut runs: HashMap<u32, Vec<u8>> = HashMap::new();
        for (g, numbers) in self.pending.drain() {
            let run = runs.entry(shard_of(&unpack(g), self.shards)).or_default();
            run.extend_from_slice(&g.to_le_bytes());
            run.extend_from_slice(&(numbers.len() as u32).to_le_bytes());
            for n in numbers {
                run.extend_from_slice(&n.to_le_bytes());
            }
        }
        self.pending_len = 0;
        let mut out: Vec<(u32, Vec<u8>)> = runs.into_iter().collect();
        out.sort_by_key(|r| r.0);
        out
    }

    /// `meta.json`: the shard count, documents and revisions.
    pub fn meta_file(&self) -> String {
        let meta = Meta {
            version: 1,
            shards: self.shards,
            docs: &self.docs,
            revs: &self.revs,
        };
        serde_json::to_string(&meta).expect("plain data")
    }
}

/// A shard's file from its runs, concatenated in drain order: `{"gram":[first, delta, …]}`
/// with each gram's provision numbers as differences from the one before. Bytes that do
/// not form a whole run are ignored.
pub fn shard_file(runs: &[u8]) -> String {
    let mut by_gram: HashMap<Gram, Vec<u32>> = HashMap::new();
    let mut pos = 0;
    let u32_at = |p: usize| {
        runs.get(p..p + 4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
    };
    while let Some(g) = runs.get(pos..pos + 8) {
        let gram = u64::from_le_bytes(g.try_into().expect("8 bytes"));
        let Some(count) = u32_at(pos + 8) else { break };
        pos += 12;
        let v = by_gram.entry(gram).or_default();
        for _ in 0..count {
            let Some(n) = u32_at(pos) else { break };
            v.push(n);
            pos += 4;
        }
    }
    let mut grams: Vec<(String, Vec<u32>)> =
        by_gram.into_iter().map(|(g, v)| (unpack(g), v)).collect();
    grams.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = String::from("{");
    for (j, (gram, numbers)) in grams.iter().enumerate() {
        if j > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(gram).expect("a string"));
        out.push_str(":[");
        let mut last = 0;
        for (i, &n) in numbers.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&(n - last).to_string());
            last = n;
        }
        out.push(']');
    }
    out.push('}');
    out
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
        let mut b = IndexBuilder::new(4);
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
        // 200 provisions holding 約, then one holding 解約, drained in two runs.
        let provs: Vec<Vec<Gram>> = (0..200).map(|_| grams("約")).collect();
        b.add_revision(entry("a"), &provs);
        // Drained runs and pending postings end up in the same file, in order.
        let mut runs: Vec<Vec<u8>> = vec![Vec::new(); 4];
        for (shard, run) in b.drain() {
            runs[shard as usize].extend(run);
        }
        b.add_revision(entry("b"), &[grams("解約")]);
        for (shard, run) in b.drain() {
            runs[shard as usize].extend(run);
        }
        let mut files: Vec<(String, String)> = runs
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("p/{i}.json"), shard_file(r)))
            .collect();
        files.push(("meta.json".into(), b.meta_file()));
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
