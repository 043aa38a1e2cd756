//! Reference grammar: finds pointers in a text and parses them into paths.
//!
//! In: the text of one node. Out: [`RawRef`]s with character offsets, for
//! [`crate::refs`] to resolve.
//!
//! Grammar (nom), `ws` any whitespace, `num` ASCII/full-width/kanji numeral:
//!
//! ```text
//! list    = path (joiner path)* | path "から" path "まで"
//! joiner  = ws* ("又は" | "及び" | "若しくは" | "並びに" | "、") ws*   (only when a path follows)
//! path    = "本規程" | "この規程" | "本約款" | "この約款"                 → this document
//!         | "個別規程"                                                 → another document
//!         | article ws* paragraph? ws* item? | paragraph ws* item? | item
//! article = "第" ws* num ws* "条" ("の" num)* caption? | 前条 | 前 num 条 | 次条 | 同条 | 本条
//! caption = （ … ）                         (a check on the target, not part of it)
//! paragraph = "第" ws* num ws* "項" | 前項 | 前 num 項 | 次項 | 同項 | 本項
//! item    = "第" ws* num ws* "号" | 前各号 | 前号 | 次号 | 同号 | 各号
//! ```
//!
//! Not references: anything inside 「…」 quotes, and law numbers such as
//! `平成 11年法律第 52号` (they are recorded as part of a law citation). A law name right
//! before a path (`電気通信事業法第 8条`, `…法（昭和 59年法律第 86号）第 4条`, `同法第 8条`)
//! makes the reference external. Law numbers and names are read in `laws.rs`.

mod laws;

use laws::law_numbers;
pub use laws::{law_mentions, law_name_before};

use crate::classify::{branches, num, ws0, Num};
use crate::needle::Needle;
use aho_corasick::{AhoCorasick, Input, MatchKind};
use nom::{
    branch::alt,
    bytes::complete::tag,
    combinator::{map, map_opt, opt, value},
    sequence::preceded,
    IResult, Parser,
};
use std::sync::OnceLock;

/// A relative or numbered pointer at one level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rel {
    Num(Num),
    /// 前条 前項 前号
    Prev,
    /// 前二条 前三項: the N preceding ones (N ≥ 2)
    PrevN(u32),
    /// 次条 次項 次号
    Next,
    /// 同条 同項 同号: the one named last
    Same,
    /// 本条 本項
    This,
    /// 各号: all items
    Each,
    /// 前各号: all earlier items
    PrevEach,
}

/// One parsed path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Path {
    pub article: Option<Rel>,
    /// the caption given in brackets after the article, as printed
    pub caption: Option<String>,
    pub paragraph: Option<Rel>,
    pub item: Option<Rel>,
    /// 本規程 / この約款
    pub document: bool,
    /// 個別規程
    pub other_document: bool,
}

/// A law a reference points into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LawCite {
    /// the name as printed, or `None` for 同法 (the law named last)
    pub name: Option<String>,
    pub number: Option<String>,
}

/// A reference as found: text span (character offsets), paths, law.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRef {
    /// the exact source text
    pub text: String,
    /// character offsets in the node's text
    pub start: usize,
    pub end: usize,
    pub paths: Vec<Path>,
    /// `から…まで`: the paths are the two ends of a range
    pub range: bool,
    pub law: Option<LawCite>,
    /// a numeral in it cannot be read (too large, or malformed such as 十十): `paths`
    /// is empty, and the text runs to the end of that numeral
    pub unreadable: bool,
}

fn numbered<'a>(
    unit: &'static str,
) -> impl Parser<&'a str, Output = Num, Error = nom::error::Error<&'a str>> {
    move |i: &'a str| {
        let (i, (_, _, main, _, _)) = (tag("第"), ws0, strict_num, ws0, tag(unit)).parse(i)?;
        let (i, branches) = if unit == "条" {
            branches(i)?
        } else {
            (i, Vec::new())
        };
        Ok((i, Num { main, branches }))
    }
}

/// A numeral after 第; one that cannot be read (beyond `u32`, or malformed such as 十十)
/// fails the whole reference (a nom failure, which no alternative overrides): a range
/// to such a number is not read as its first end alone.
fn strict_num(i: &str) -> IResult<&str, u32> {
    let (rest, numeral) = nom::bytes::complete::take_while1(crate::normalize::is_numeral_char)(i)?;
    match crate::normalize::number(numeral) {
        Some(n) => Ok((rest, n)),
        None => Err(nom::Err::Failure(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Digit,
        ))),
    }
}

/// 前二条, 前三項: `前` + a numeral of at least 2 + the unit.
fn prev_n<'a>(
    unit: &'static str,
) -> impl Parser<&'a str, Output = Rel, Error = nom::error::Error<&'a str>> {
    map_opt((tag("前"), num, tag(unit)), |(_, n, _)| {
        (n >= 2).then_some(Rel::PrevN(n))
    })
}

fn caption(i: &str) -> IResult<&str, &str> {
    let (rest, _) = ws0(i)?;
    let open_len = match rest.chars().next() {
        Some('（') => '（'.len_utf8(),
        Some('(') => 1,
        _ => {
            return Err(nom::Err::Error(nom::error::Error::new(
                i,
                nom::error::ErrorKind::Char,
            )))
        }
    };
    let inner = &rest[open_len..];
    let close = inner
        .find(['）', ')'])
        .filter(|&p| !inner[..p].contains(['（', '(', '。']) && p <= 60 * 3)
        .ok_or_else(|| nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Char)))?;
    let close_len = inner[close..].chars().next().map_or(1, char::len_utf8);
    Ok((&inner[close + close_len..], &inner[..close]))
}

fn article(i: &str) -> IResult<&str, (Rel, Option<&str>)> {
    let (i, rel) = alt((
        map(numbered("条"), Rel::Num),
        value(Rel::Prev, tag("前条")),
        prev_n("条"),
        value(Rel::Next, tag("次条")),
        value(Rel::Same, tag("同条")),
        value(Rel::This, tag("本条")),
    ))
    .parse(i)?;
    let (i, cap) = opt(caption).parse(i)?;
    Ok((i, (rel, cap)))
}

fn paragraph(i: &str) -> IResult<&str, Rel> {
    alt((
        map(numbered("項"), Rel::Num),
        value(Rel::Prev, tag("前項")),
        prev_n("項"),
        value(Rel::Next, tag("次項")),
        value(Rel::Same, tag("同項")),
        value(Rel::This, tag("本項")),
    ))
    .parse(i)
}

fn item(i: &str) -> IResult<&str, Rel> {
    alt((
        map(numbered("号"), Rel::Num),
        value(Rel::PrevEach, tag("前各号")),
        value(Rel::Prev, tag("前号")),
        value(Rel::Next, tag("次号")),
        value(Rel::Same, tag("同号")),
        value(Rel::Each, tag("各号")),
    ))
    .parse(i)
}

fn path(i: &str) -> IResult<&str, Path> {
    if let Ok((r, _)) = alt((
        tag::<_, _, nom::error::Error<&str>>("本規程"),
        tag("この規程"),
        tag("本約款"),
        tag("この約款"),
    ))
    .parse(i)
    {
        return Ok((
            r,
            Path {
                document: true,
                ..Path::default()
            },
        ));
    }
    if let Ok((r, _)) = tag::<_, _, nom::error::Error<&str>>("個別規程").parse(i) {
        return Ok((
            r,
            Path {
                other_document: true,
                ..Path::default()
            },
        ));
    }
    let (i, art) = opt(article).parse(i)?;
    let (i, para) = opt(preceded(ws0, paragraph)).parse(i)?;
    let (i, itm) = opt(preceded(ws0, item)).parse(i)?;
    if art.is_none() && para.is_none() && itm.is_none() {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Alt,
        )));
    }
    let (article, caption) = match art {
        Some((a, c)) => (Some(a), c.map(str::to_string)),
        None => (None, None),
    };
    Ok((
        i,
        Path {
            article,
            caption,
            paragraph: para,
            item: itm,
            ..Path::default()
        },
    ))
}

fn joiner(i: &str) -> IResult<&str, &str> {
    let (i, _) = ws0(i)?;
    let (i, j) = alt((
        tag("又は"),
        tag("及び"),
        tag("若しくは"),
        tag("並びに"),
        tag("、"),
    ))
    .parse(i)?;
    let (i, _) = ws0(i)?;
    Ok((i, j))
}

/// A list or range of paths.
fn list(i: &str) -> IResult<&str, (Vec<Path>, bool)> {
    let (mut rest, first) = path(i)?;
    match (tag("から"), path, tag("まで")).parse(rest) {
        Ok((r, (_, second, _))) => return Ok((r, (vec![first, second], true))),
        Err(e @ nom::Err::Failure(_)) => return Err(e),
        Err(_) => {}
    }
    let mut paths = vec![first];
    loop {
        match preceded(joiner, path).parse(rest) {
            Ok((_, p)) if p.document || p.other_document => break,
            Ok((r, p)) => {
                paths.push(p);
                rest = r;
            }
            Err(e @ nom::Err::Failure(_)) => return Err(e),
            Err(_) => break,
        }
    }
    Ok((rest, (paths, false)))
}

/// What `parse` reads at each of the byte offsets `at` (ascending), left to right and
/// not overlapping: (where it starts, where it ends, what it gave). An offset inside
/// the last match is skipped.
pub(crate) fn parse_at<'t, T>(
    text: &'t str,
    at: impl IntoIterator<Item = usize>,
    parse: impl Fn(&'t str) -> IResult<&'t str, T>,
) -> Vec<(usize, usize, T)> {
    let mut out = Vec::new();
    for at in at {
        if out.last().is_some_and(|&(_, done, _)| at < done) {
            continue;
        }
        if let Ok((rest, found)) = parse(&text[at..]) {
            out.push((at, text.len() - rest.len(), found));
        }
    }
    out
}

/// Where a path can start: the first characters of its grammar, and for こ and 個 the
/// whole document words (こ and 個 begin far more words than references: こと, これ,
/// 個人). A SIMD literal search finds them; scanning every character was most of the
/// time of this stage.
fn starts() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        let words = [
            "第",
            "前",
            "次",
            "同",
            "本",
            "各",
            "この規程",
            "この約款",
            "個別規程",
        ];
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(words)
            .expect("literal words")
    })
}

/// Character offsets of byte offsets in one text, asked for in increasing order.
struct CharOffsets<'t> {
    text: &'t str,
    byte: usize,
    char: usize,
}

impl<'t> CharOffsets<'t> {
    fn new(text: &'t str) -> Self {
        CharOffsets {
            text,
            byte: 0,
            char: 0,
        }
    }

    /// The character offset of byte offset `b` (not below the one asked before).
    fn at(&mut self, b: usize) -> usize {
        self.char += self.text[self.byte..b].chars().count();
        self.byte = b;
        self.char
    }
}

/// Byte spans that hold no references: 「…」 quotes and law numbers.
fn quiet_spans(text: &str, law_numbers: &[(usize, usize, &str)]) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = law_numbers.iter().map(|&(s, e, _)| (s, e)).collect();
    static QUOTE: Needle = Needle::new("「");
    if !QUOTE.is_in(text) {
        return spans;
    }
    let mut depth = 0usize;
    let mut open = 0;
    for (i, c) in text.char_indices() {
        match c {
            '「' => {
                if depth == 0 {
                    open = i;
                }
                depth += 1;
            }
            '」' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    spans.push((open, i + c.len_utf8()));
                }
            }
            _ => {}
        }
    }
    spans.sort_unstable();
    spans
}

/// Finds every reference in `text`.
pub fn find(text: &str) -> Vec<RawRef> {
    // Every path, and every law number (…第…号), holds a start: a text without one needs
    // no other search (192 of the seed's 275 texts).
    let Some(first) = starts().find(text) else {
        return Vec::new();
    };
    // A law number always holds 号: most texts need no search for one at all.
    static GO: Needle = Needle::new("号");
    let law_numbers = if GO.is_in(text) {
        law_numbers(text)
    } else {
        Vec::new()
    };
    let quiet = quiet_spans(text, &law_numbers);
    let mut out = Vec::new();
    let mut pos = first.start();
    let mut cited_numbers = Vec::new();
    let mut q = 0; // the first quiet span that does not end before `pos`
    while let Some(m) = starts().find(Input::new(text).span(pos..text.len())) {
        pos = m.start();
        let c = text[pos..]
            .chars()
            .next()
            .expect("a match starts a character");
        while q < quiet.len() && quiet[q].1 <= pos {
            q += 1;
        }
        let in_quiet = quiet[q..]
            .iter()
            .take_while(|&&(s, _)| s <= pos)
            .any(|&(_, e)| pos < e);
        if in_quiet {
            pos += c.len_utf8();
            continue;
        }
        let (rest, (paths, range)) = match list(&text[pos..]) {
            Ok(found) => found,
            Err(nom::Err::Failure(e)) => {
                // The reference up to the end of the numeral that cannot be read.
                let at = text.len() - e.input.len();
                let numeral = e
                    .input
                    .find(|c| !crate::normalize::is_numeral_char(c))
                    .unwrap_or(e.input.len());
                out.push(RawRef {
                    text: String::new(),
                    start: pos,
                    end: at + numeral,
                    paths: Vec::new(),
                    range: false,
                    law: None,
                    unreadable: true,
                });
                pos = at + numeral;
                continue;
            }
            Err(_) => {
                pos += c.len_utf8();
                continue;
            }
        };
        let end = text.len() - rest.len();
        // A law before the path (possibly with its number in brackets) makes it external.
        let (mut start, mut law) = (pos, None);
        let number = law_numbers.iter().find(|&&(_, e, _)| e == pos);
        let name_end = number.map_or(pos, |&(s, _, _)| s);
        if let Some(name) = law_name_before(text, name_end) {
            start = name_end - name.len();
            law = Some(LawCite {
                name: (name != "同法").then(|| name.to_string()),
                number: number.map(|&(_, _, n)| n.to_string()),
            });
            if let Some(&(s, ..)) = number {
                cited_numbers.push(s);
            }
        }
        out.push(RawRef {
            text: String::new(),
            start,
            end,
            paths,
            range,
            law,
            unreadable: false,
        });
        pos = end;
    }
    // Law citations by number alone (消費税法（昭和 63年法律第 108号）).
    for &(s, e, n) in &law_numbers {
        if cited_numbers.contains(&s) {
            continue;
        }
        if let Some(name) = law_name_before(text, s) {
            out.push(RawRef {
                text: String::new(),
                start: s - name.len(),
                end: e,
                paths: Vec::new(),
                range: false,
                unreadable: false,
                law: Some(LawCite {
                    name: Some(name.to_string()),
                    number: Some(n.to_string()),
                }),
            });
        }
    }
    out.sort_by_key(|r| r.start);
    // Byte offsets → character offsets (counted on from the reference before: counting
    // from the start of the text for each one made a long text quadratic), and the
    // exact source text.
    let mut chars = CharOffsets::new(text);
    for r in &mut out {
        r.text = text[r.start..r.end].to_string();
        r.start = chars.at(r.start);
        r.end = r.start + r.text.chars().count();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<String> {
        find(t).into_iter().map(|r| r.text).collect()
    }

    #[test]
    fn document_words_are_found_among_words_with_the_same_start() {
        assert_eq!(
            texts(
                "ここに定めることは、この約款及び個別規程によるものとし、個人にこれを通知します。"
            ),
            ["この約款", "個別規程"]
        );
        assert_eq!(texts("この規程の第2条"), ["この規程", "第2条"]);
    }

    #[test]
    fn finds_paths_lists_and_ranges() {
        assert_eq!(
            texts("第 25条（利用の停止等）第 1項各号の事由"),
            ["第 25条（利用の停止等）第 1項各号"]
        );
        assert_eq!(
            texts("第 23条（利用の制限）又は第 24条（利用の中止）第 1項の事由"),
            ["第 23条（利用の制限）又は第 24条（利用の中止）第 1項"]
        );
        assert_eq!(texts("第1項から第3項までの規定"), ["第1項から第3項まで"]);
        let r = &find("第一号及び第二号に掲げる")[0];
        assert_eq!((r.text.as_str(), r.paths.len()), ("第一号及び第二号", 2));
        assert_eq!(
            texts("前条（申込の拒絶）の規定は、前項の請求"),
            ["前条（申込の拒絶）", "前項"]
        );
        assert_eq!(texts("第三十六条の二の規定"), ["第三十六条の二"]);
        assert_eq!(
            find("前二条の規定")[0].paths[0].article,
            Some(Rel::PrevN(2))
        );
        assert_eq!(
            find("前三項に定める")[0].paths[0].paragraph,
            Some(Rel::PrevN(3))
        );
        assert_eq!(
            find("第３６条の２")[0].paths[0].article,
            Some(Rel::Num(Num {
                main: 36,
                branches: vec![2]
            }))
        );
    }

    #[test]
    fn not_references() {
        assert!(texts("第三者に開示し、第一審の裁判所").is_empty());
        assert!(texts("「第 1条」とあるのは").is_empty());
        let r = find("児童の保護等に関する法律（平成 11年法律第 52号）において定める");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].paths.len(), 0);
        assert_eq!(
            r[0].law.as_ref().unwrap().number.as_deref(),
            Some("平成 11年法律第 52号")
        );
    }

    #[test]
    fn external_laws() {
        let r = &find("当社は、電気通信事業法第 8条の規定に基づき")[0];
        assert_eq!(r.text, "電気通信事業法第 8条");
        assert_eq!(
            r.law.as_ref().unwrap().name.as_deref(),
            Some("電気通信事業法")
        );
        let r = &find("電気通信事業法（昭和 59年法律第 86号）第 4条を遵守")[0];
        assert_eq!(r.text, "電気通信事業法（昭和 59年法律第 86号）第 4条");
        assert_eq!(
            r.law.as_ref().unwrap().number.as_deref(),
            Some("昭和 59年法律第 86号")
        );
        let r = &find("同法第 8条第 2項第 2号に係る業務")[0];
        assert_eq!(r.law.as_ref().unwrap().name, None);
        assert!(find("電磁的方法第 1条").iter().all(|r| r.law.is_none()));
        let name = |t: &str| find(t)[0].law.clone().unwrap().name.unwrap();
        assert_eq!(
            name("当社は、児童買春、児童ポルノに係る行為等の処罰及び児童の保護等に関する法律（平成 11年法律第 52号）において"),
            "児童買春、児童ポルノに係る行為等の処罰及び児童の保護等に関する法律"
        );
        assert_eq!(
            name("法令に基づく請求又は特定電気通信役務提供者の損害賠償責任の制限及び発信者情報の開示に関する法律（平成 13年法律第 137号）第 4条"),
            "特定電気通信役務提供者の損害賠償責任の制限及び発信者情報の開示に関する法律"
        );
        // a regulation under such a law keeps the law's whole name
        assert_eq!(
            name("当社は、個人情報の保護に関する法律施行規則第 3条に従い"),
            "個人情報の保護に関する法律施行規則"
        );
    }
}
