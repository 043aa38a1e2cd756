//! Line classification: one logical line → what it is.
//!
//! In: a logical line from [`crate::layout`]. Out: a [`Class`] borrowing from the line.
//! Classification looks at one line only; what a line means in context (a paragraph
//! number that does not fit the sequence, a table header outside a definitions
//! paragraph) is decided by [`crate::build`].
//!
//! Grammar (nom), `ws` = any Unicode whitespace, `num` = ASCII, full-width or kanji
//! numeral, `open`/`close` = `（`/`）` or `(`/`)`:
//!
//! ```text
//! heading   = "第" ws* num ws* unit branch* (ws+ title | EOL)     unit = 編 章 節 款 目
//! article   = "第" ws* num ws* "条" branch* ws* caption? (ws+ body | EOL)
//!           | "第" ws* num ws* "条" branch* ws+ bare_caption EOL
//! bare_caption = a short phrase (≤ 30 characters, no 。 or inner space, not ending like
//!                a predicate, not 削除): 第1条　目的
//! branch    = ws* "の" ws* num                                  (第36条の2, 第四章の二)
//! caption   = open … close          (balanced; text directly after it means the line is
//!                                     prose that starts with a reference: 第13条（…）の規定は)
//! caption_line = open … close EOL   (statute style: the caption above 第一条; any length)
//! paragraph = digits ws+ body       (ASCII or full-width digits: "2 …", "２　…"; a
//!                                    counter word after an ASCII space is a quantity)
//!           | digits ("." | "．") ws* body   (a list entry: build decides paragraph or
//!                                    item; no space needed unless a digit or Latin follows)
//!           | "第"? num "項" caption? EOL      (一項, 第２項, 一項（総会）: the text follows)
//! item      = open digits branch* close ws* body | circled ws* body
//!           | kanji-num branch* ws+ body      (五の二: an item of its own, 5-2)
//!           | kana (ws+ | close ws*) body | open kana close ws* body
//!           | latin ("." | ")") ws* body | open latin close ws* body
//! suppl     = "附" ws* "則" (ws* open … close)? (ws+ rest)? EOL
//! dated     = era-date ws* suffix EOL    (suffix: at most 12 characters, no 。: 変更, 現在)
//! table_header = 2–6 cells separated by ws, each ≤ 12 characters, no digits, Latin
//!                letters or punctuation (用語 用語の意味)
//! text      = anything else
//! ```

use crate::era::{era_date, EraDate};
use crate::normalize::{self, circled, is_numeral_char, trim_start};
use nom::{
    branch::alt,
    bytes::complete::{tag, take_while1},
    character::complete::satisfy,
    combinator::{map_opt, opt, recognize},
    multi::fold_many0,
    sequence::preceded,
    IResult, Parser,
};

/// Levels above the article, outermost first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Part,
    Chapter,
    Section,
    Subsection,
    Division,
}

/// A number with branch numbers: 第36条の2 → `36` + `[2]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Num {
    pub main: u32,
    pub branches: Vec<u32>,
}

impl Num {
    /// The normalized form used in `num` and IDs: `36-2`.
    pub fn to_id(&self) -> String {
        let mut s = String::new();
        self.write_id(&mut s);
        s
    }

    /// [`Num::to_id`] appended to `out`.
    pub fn write_id(&self, out: &mut String) {
        // (itoa, not `write!`: the formatting machinery showed in profiles of building)
        let mut digits = itoa::Buffer::new();
        out.push_str(digits.format(self.main));
        for &b in &self.branches {
            out.push('-');
            out.push_str(digits.format(b));
        }
    }
}

/// How an item (号) or sub-item is marked; numbering restarts per family and level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// (1) （１）
    ParenDigit,
    /// （一） （二）
    ParenKanji,
    /// ①
    Circled,
    /// 一　二　（statutes: 号）
    Kanji,
    /// イ　ロ / ア　イ (the order is fixed by the first marker of a list)
    Kana,
    /// (イ) （ア）
    ParenKana,
    /// a.  a)
    Latin,
    /// (a)
    ParenLatin,
    /// 1.  １．  (Markdown-style lists: items when nested under a paragraph)
    DotDigit,
    /// no marker: a line indented under its paragraph (a list whose bullets are gone)
    Unmarked,
}

/// What a logical line is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Class<'a> {
    Heading {
        level: Level,
        num: Num,
        label: &'a str,
        title: &'a str,
    },
    Article {
        num: Num,
        label: &'a str,
        /// label and caption as printed: `第 13 条（申込の拒絶）`
        heading: &'a str,
        caption: Option<&'a str>,
        /// paragraph-1 text on the same line (statute style), or empty
        body: &'a str,
    },
    Caption {
        title: &'a str,
    },
    Paragraph {
        num: u32,
        label: &'a str,
        body: &'a str,
    },
    Item {
        family: Family,
        /// the marker without brackets or dot: `1`, `イ`, `a`
        marker: &'a str,
        label: &'a str,
        body: &'a str,
    },
    Suppl {
        /// what follows 附則 on the line, e.g. `（平成一一年一二月八日法律第一五一号）　抄`
        rest: &'a str,
    },
    /// `第五条　削除`, `第四条及び第五条　削除`, `第百二十一条から第百二十二条まで　削除`:
    /// deleted articles, by the numbers printed (`range`: the two ends of a range)
    Deleted {
        nums: Vec<Num>,
        range: bool,
        /// the first article's label as printed: `第四条`
        label: &'a str,
        /// the numbers as printed: `第四条及び第五条`
        heading: &'a str,
        /// `削除`: the text of the first article's paragraph, as e-Gov writes it
        body: &'a str,
    },
    Dated {
        date: EraDate,
        date_text: &'a str,
        suffix: &'a str,
    },
    /// `別表第一　危険物　（第一条、第六条関係）`, `別表1 料金表`, `別表`, `様式第一号`, `別記様式`: an
    /// appendix (a table or a form)
    Appendix {
        /// absent for a lone `別表`
        num: Option<Num>,
        /// `別表第一`
        label: &'a str,
        /// `危険物`; empty when none
        title: &'a str,
    },
    TableHeader,
    Text,
}

/// Any whitespace, possibly none: what [`trim_start`] takes.
pub(crate) fn ws0(i: &str) -> IResult<&str, &str> {
    let rest = trim_start(i);
    Ok((rest, &i[..i.len() - rest.len()]))
}

/// At least one whitespace character. (Not built on [`ws0`]: it is asked where whitespace
/// usually stands, often U+3000, and that version took 0.9M more instructions over 20
/// parses of the seed.)
fn ws1(i: &str) -> IResult<&str, &str> {
    take_while1(char::is_whitespace)(i)
}

/// A numeral in any script (`13`, `１３`, `十三`, `⑬`).
pub(crate) fn num(i: &str) -> IResult<&str, u32> {
    map_opt(take_while1(is_numeral_char), normalize::number).parse(i)
}

fn digits(i: &str) -> IResult<&str, u32> {
    map_opt(
        take_while1(|c| normalize::digit(c).is_some()),
        normalize::number,
    )
    .parse(i)
}

fn open(i: &str) -> IResult<&str, char> {
    satisfy(|c| c == '（' || c == '(').parse(i)
}

fn close(i: &str) -> IResult<&str, char> {
    satisfy(|c| c == '）' || c == ')').parse(i)
}

/// A balanced bracket group; returns the inner text.
fn bracketed(i: &str) -> IResult<&str, &str> {
    let (after_open, _) = open(i)?;
    let mut depth = 1usize;
    for (pos, c) in after_open.char_indices() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => {
                depth -= 1;
                if depth == 0 {
                    let end = pos + c.len_utf8();
                    return Ok((&after_open[end..], &after_open[..pos]));
                }
            }
            _ => {}
        }
    }
    Err(nom::Err::Error(nom::error::Error::new(
        i,
        nom::error::ErrorKind::Char,
    )))
}

/// Branch numbers, `の2の3` (folded into a vector that stays unallocated when there are
/// none, as most numbers have: `many0` reserves room up front).
pub(crate) fn branches(i: &str) -> IResult<&str, Vec<u32>> {
    let branch = preceded((ws0, tag("の"), ws0), num);
    fold_many0(branch, Vec::new, |mut v, n| {
        v.push(n);
        v
    })
    .parse(i)
}

/// `第 N unit の M …` → (num, unit, rest)
fn numbered_label(i: &str) -> IResult<&str, (Num, char)> {
    let (i, (_, _, main, _, unit, branches)) = (
        tag("第"),
        ws0,
        num,
        ws0,
        satisfy(|c| "編章節款目条".contains(c)),
        branches,
    )
        .parse(i)?;
    Ok((i, (Num { main, branches }, unit)))
}

/// The numeral of a line shaped like a heading or an article (`第 N 条`, `第 N 章` …)
/// whose number cannot be read (beyond `u32`, or malformed such as 十十): such a line is
/// no heading, and build says why.
pub fn unreadable_number(line: &str) -> Option<&str> {
    let (i, _) = ws0(line).ok()?;
    let (i, _) = (tag("第"), ws0).parse(i).ok()?;
    let (rest, numeral) = take_while1::<_, _, nom::error::Error<&str>>(is_numeral_char)(i).ok()?;
    if normalize::number(numeral).is_some() {
        return None;
    }
    // A heading had the number been readable (not prose such as 第十十条の規定は).
    let as_one = format!("第1{rest}");
    matches!(
        classify(&as_one),
        Class::Heading { .. } | Class::Article { .. } | Class::Deleted { .. }
    )
    .then_some(numeral)
}

/// A caption printed without brackets after `第N条`: a short phrase (at most 30
/// characters, no 。, no inner space) that does not end like a predicate (a verb's
/// u-row ending, する, ある, よる; ない; た) and is not `削除` (a deleted article).
/// Nominal endings stay captions: 目的, 取扱い, 非常時払い, …について.
pub(crate) fn bare_caption(body: &str) -> bool {
    let mut n = 0;
    for c in body.chars() {
        n += 1;
        if n > 30 || c == '。' || c.is_whitespace() {
            return false;
        }
    }
    let last = body.chars().next_back();
    n > 0
        && body != "削除"
        && !body.ends_with("ない")
        && !last.is_some_and(|c| "うくぐすつぬぶむるたださ".contains(c))
}

/// Particles that cannot start a sentence.
const PARTICLES: [char; 9] = ['は', 'が', 'を', 'に', 'の', 'で', 'と', 'も', 'へ'];

fn heading(line: &str) -> Option<Class<'_>> {
    let (rest, (num, unit)) = numbered_label(line).ok()?;
    let label = &line[..line.len() - rest.len()];
    if unit == '条' {
        if let Some(class) = deleted(num.clone(), line, label, rest) {
            return Some(class);
        }
        let (after_ws, _) = ws0(rest).ok()?;
        let (after_cap, caption) = match bracketed(after_ws) {
            Ok((r, c)) => (r, Some(c)),
            Err(_) => (rest, None),
        };
        let heading = &line[..line.len() - after_cap.len()];
        if after_cap.is_empty() {
            return Some(Class::Article {
                num,
                label,
                heading,
                caption,
                body: "",
            });
        }
        let (body, _) = ws1(after_cap).ok()?;
        // `第六条 は、…`, `第二十二条 に定める…`: a reference that starts a sentence (code
        // spans stripped from Markdown leave it spaced), not a heading: no article's
        // text starts with a particle
        if caption.is_none() && body.starts_with(PARTICLES) {
            return None;
        }
        // `第1条 目的`: a heading line that holds nothing but a short phrase names the
        // article; a sentence is the first paragraph.
        if caption.is_none() && bare_caption(body) {
            return Some(Class::Article {
                num,
                label,
                heading: line,
                caption: Some(body),
                body: "",
            });
        }
        return Some(Class::Article {
            num,
            label,
            heading,
            caption,
            body,
        });
    }
    let level = match unit {
        '編' => Level::Part,
        '章' => Level::Chapter,
        '節' => Level::Section,
        '款' => Level::Subsection,
        _ => Level::Division,
    };
    let title = if rest.is_empty() {
        rest
    } else {
        let (title, _) = ws1(rest).ok()?;
        if title.ends_with('。') || title.chars().count() > 60 {
            return None;
        }
        title
    };
    Some(Class::Heading {
        level,
        num,
        label,
        title,
    })
}

/// `14条(特別休暇)`, `14条`: an article heading printed without 第, when the line holds
/// nothing else (`2条件…` and `14条の規定により…` are text).
fn article_without_dai(line: &str) -> Option<Class<'_>> {
    let (rest, (main, _, _, branches)) = (digits, ws0, tag("条"), branches).parse(line).ok()?;
    let label = &line[..line.len() - rest.len()];
    let (after, _) = ws0(rest).ok()?;
    let caption = match bracketed(after) {
        Ok(("", c)) => Some(c),
        Ok(_) => return None,
        Err(_) if after.is_empty() => None,
        Err(_) => return None,
    };
    Some(Class::Article {
        num: Num { main, branches },
        label,
        heading: line,
        caption,
        body: "",
    })
}

fn paragraph(line: &str) -> Option<Class<'_>> {
    if let Some(article) = article_without_dai(line) {
        return Some(article);
    }
    // `1. …` / `１．…`: a numbered list entry (build decides: paragraph or item)
    // (no space is needed before Japanese text: `1.当社は`, `１．土曜日`; before a
    // digit or a Latin letter it is a number such as 1.5, not a list entry)
    if let Ok((rest, (n, _, ws))) = (digits, satisfy(|c| c == '.' || c == '．'), ws0).parse(line) {
        let spaced = !ws.is_empty()
            || !rest
                .starts_with(|c: char| c.is_ascii_alphanumeric() || normalize::digit(c).is_some());
        if spaced && !rest.is_empty() {
            return Some(Class::Paragraph {
                num: n,
                label: line[..line.len() - rest.len()].trim_end(),
                body: rest,
            });
        }
    }
    let (rest, (n, _)) = (digits, ws1).parse(line).ok()?;
    let label_end = line.find(char::is_whitespace)?;
    // "30 日" or "2 ヶ月" at a line start is a wrapped quantity, not a paragraph number;
    // after an ideographic space (`２　日本に…`, as statutes print every paragraph
    // number) any word follows.
    let ideographic = line[label_end..].starts_with('\u{3000}');
    if rest.is_empty()
        || (!ideographic
            && rest.starts_with(['年', '月', '日', 'ヶ', 'か', '箇', '個', '%', '％', '分']))
    {
        return None;
    }
    Some(Class::Paragraph {
        num: n,
        label: &line[..label_end],
        body: rest,
    })
}

/// `○２　…`: a paragraph number as older e-Gov data prints it (a `○` title line, such as
/// `○かつらぎ町表彰規程`, has no number after the mark).
fn old_paragraph(line: &str) -> Option<Class<'_>> {
    let (rest, (_, n, _)) = (tag("○"), digits, ws1).parse(line).ok()?;
    let label = line[..line.len() - rest.len()].trim_end();
    (!rest.is_empty()).then_some(Class::Paragraph {
        num: n,
        label,
        body: rest,
    })
}

/// The rest of `第四条及び第五条　削除` or `…から第百二十二条まで　削除` after the first
/// article's label, or `　削除` alone.
fn deleted<'a>(first: Num, line: &'a str, label: &'a str, rest: &'a str) -> Option<Class<'a>> {
    // (the same `第 N 条` label as the line's first, by `numbered_label`)
    let article = |i| {
        let (r, (n, unit)) = numbered_label(i)?;
        match unit {
            '条' => Ok((r, n)),
            _ => Err(nom::Err::Error(nom::error::Error::new(
                i,
                nom::error::ErrorKind::Tag,
            ))),
        }
    };
    let mut nums = vec![first];
    let mut range = false;
    let mut rest = rest;
    if let Ok((r, (_, _, to, _))) = (tag("から"), ws0, article, tag("まで")).parse(rest) {
        nums.push(to);
        range = true;
        rest = r;
    } else {
        let joiner = |i| (ws0, alt((tag("及び"), tag("、"), tag("・"))), ws0).parse(i);
        while let Ok((r, n)) = preceded(joiner, article).parse(rest) {
            nums.push(n);
            rest = r;
        }
    }
    let (body, _) = ws1(rest).ok()?;
    (body.trim_end() == "削除").then_some(Class::Deleted {
        nums,
        range,
        label,
        heading: &line[..line.len() - rest.len()],
        body,
    })
}

/// A paragraph number alone on its line (`一項`, `第１項`): the paragraph's text
/// follows on the next lines.
fn paragraph_heading(line: &str) -> Option<Class<'_>> {
    let (rest, (_, _, n, _, _)) = (opt(tag("第")), ws0, num, ws0, tag("項"))
        .parse(line)
        .ok()?;
    // (with a caption of its own: 一項（総会の種類）)
    let rest = match bracketed(trim_start(rest)) {
        Ok((r, _)) => r,
        Err(_) => rest,
    };
    rest.trim().is_empty().then_some(Class::Paragraph {
        num: n,
        label: line.trim_end(),
        body: "",
    })
}

fn is_kana_marker(c: char) -> bool {
    ('ア'..='ン').contains(&c) && !"ァィゥェォッャュョヮヵヶー".contains(c)
}

/// Whether an item marker can start with `c`: a bracket, a circled number, a Latin
/// letter, a kanji digit (or 十 百) or a kana marker. Most text lines start with none of
/// these, and are spared trying every marker family.
fn may_start_item(c: char) -> bool {
    matches!(c, '（' | '(' | '十' | '百')
        || c.is_ascii_lowercase()
        || circled(c).is_some()
        || normalize::kanji_digit(c).is_some()
        || is_kana_marker(c)
}

fn item(line: &str) -> Option<Class<'_>> {
    if line.starts_with(may_start_item) {
        marked_item(line)
    } else {
        None
    }
}

/// An item line, trying every marker family.
fn marked_item(line: &str) -> Option<Class<'_>> {
    type P<'a> = IResult<&'a str, (Family, &'a str)>;
    let paren_digit = |i| -> P {
        let (r, m) = preceded(open, recognize((digits, branches))).parse(i)?;
        let (r, _) = close(r)?;
        Ok((r, (Family::ParenDigit, m)))
    };
    let paren_kanji = |i| -> P {
        let (r, m) = preceded(open, recognize((num, branches))).parse(i)?;
        let (r, _) = close(r)?;
        if !m
            .chars()
            .all(|c| normalize::kanji_digit(c).is_some() || "十百の".contains(c))
        {
            return Err(nom::Err::Error(nom::error::Error::new(
                i,
                nom::error::ErrorKind::Digit,
            )));
        }
        Ok((r, (Family::ParenKanji, m)))
    };
    let paren_kana = |i| -> P {
        let (r, m) = preceded(open, recognize(satisfy(is_kana_marker))).parse(i)?;
        let (r, _) = close(r)?;
        Ok((r, (Family::ParenKana, m)))
    };
    let paren_latin = |i| -> P {
        let (r, m) = preceded(open, recognize(satisfy(|c| c.is_ascii_lowercase()))).parse(i)?;
        let (r, _) = close(r)?;
        Ok((r, (Family::ParenLatin, m)))
    };
    let circ = |i| -> P {
        let (r, m) = recognize(satisfy(|c| circled(c).is_some())).parse(i)?;
        Ok((r, (Family::Circled, m)))
    };
    let latin = |i| -> P {
        let (r, m) = recognize(satisfy(|c| c.is_ascii_lowercase())).parse(i)?;
        let (r, _) = satisfy(|c| c == '.' || c == ')').parse(r)?;
        let (r, _) = ws1(r)?;
        Ok((r, (Family::Latin, m)))
    };
    let kanji = |i| -> P {
        // (with branch numbers: 五の二 is an item of its own, after 五)
        let (r, m) = recognize((num, branches)).parse(i)?;
        if !m
            .chars()
            .all(|c| normalize::kanji_digit(c).is_some() || "十百の".contains(c))
        {
            return Err(nom::Err::Error(nom::error::Error::new(
                i,
                nom::error::ErrorKind::Digit,
            )));
        }
        let (r, _) = ws1(r)?;
        Ok((r, (Family::Kanji, m)))
    };
    let kana = |i| -> P {
        let (r, m) = recognize(satisfy(is_kana_marker)).parse(i)?;
        // `ア　…`, or `イ）…` with a closing bracket and any space
        let (r, _) = alt((ws1, recognize((close, ws0)))).parse(r)?;
        Ok((r, (Family::Kana, m)))
    };
    let (rest, (family, marker)) = nom::branch::alt((
        paren_digit,
        paren_kanji,
        paren_kana,
        paren_latin,
        circ,
        latin,
        kanji,
        kana,
    ))
    .parse(line)
    .ok()?;
    let (body, _) = ws0(rest).ok()?;
    let label = line[..line.len() - rest.len()].trim_end();
    Some(Class::Item {
        family,
        marker,
        label,
        body,
    })
}

fn suppl(line: &str) -> Option<Class<'_>> {
    // (付則 is the other spelling: 就業規則 and 会則 use it)
    let (rest, _) = (alt((tag("附"), tag("付"))), ws0, tag("則"))
        .parse(line)
        .ok()?;
    if rest.is_empty() {
        return Some(Class::Suppl { rest });
    }
    let (r, _) = ws0(rest).ok()?;
    if r.starts_with(['（', '(']) || rest.starts_with(char::is_whitespace) {
        if r.contains('。') {
            return None;
        }
        return Some(Class::Suppl { rest: r });
    }
    None
}

fn dated(line: &str) -> Option<Class<'_>> {
    let (rest, date) = era_date(line).ok()?;
    let date_text = &line[..line.len() - rest.len()];
    let (suffix, _) = ws0(rest).ok()?;
    if suffix.contains('。') || suffix.chars().count() > 12 {
        return None;
    }
    Some(Class::Dated {
        date,
        date_text,
        suffix,
    })
}

fn caption_line(line: &str) -> Option<Class<'_>> {
    let (rest, title) = bracketed(line).ok()?;
    // Any length: statutes have captions of 40 characters and more. (Build takes it as a
    // caption only when an article without one follows.)
    (rest.is_empty() && !title.is_empty() && !title.contains('。'))
        .then_some(Class::Caption { title })
}

fn table_header(line: &str) -> bool {
    // At most 6 cells of 12 characters: anything longer is prose. One pass, stopping
    // at the first character a header cannot hold (most prose has 、 or 。 early).
    if line.len() > 6 * 13 * 3 {
        return false;
    }
    let (mut cells, mut cell_chars) = (0, 0);
    for ch in line.chars() {
        if ch.is_whitespace() {
            cell_chars = 0;
            continue;
        }
        if ch.is_ascii_alphanumeric()
            || normalize::digit(ch).is_some()
            || matches!(
                ch,
                '。' | '、'
                    | '，'
                    | '．'
                    | '「'
                    | '」'
                    | '『'
                    | '』'
                    | '（'
                    | '）'
                    | '('
                    | ')'
                    | '・'
                    | '：'
                    | ':'
            )
        {
            return false;
        }
        if cell_chars == 0 {
            cells += 1;
        }
        cell_chars += 1;
        if cell_chars > 12 || cells > 6 {
            return false;
        }
    }
    cells >= 2
}

/// Classifies a logical line (leading whitespace ignored).
pub fn classify(line: &str) -> Class<'_> {
    let line = trim_start(line);
    let first = match line.chars().next() {
        Some(c) => c,
        None => return Class::Text,
    };
    let found = match first {
        '第' => heading(line).or_else(|| paragraph_heading(line)),
        '附' | '付' => suppl(line).or_else(|| appendix(line)),
        '別' => appendix(line),
        '様' => appendix(line).or_else(|| item(line).or_else(|| paragraph_heading(line))),
        '（' | '(' => item(line).or_else(|| caption_line(line)),
        '明' | '大' | '昭' | '平' | '令' => dated(line),
        c if normalize::digit(c).is_some() => paragraph(line),
        '○' => old_paragraph(line),
        _ => item(line).or_else(|| paragraph_heading(line)),
    };
    match found {
        Some(c) => c,
        None if table_header(line) => Class::TableHeader,
        None => Class::Text,
    }
}

/// `[附則]別表 [第] N [の M] [title] [（…関係）]`, or `別表` alone: the heading of an
/// appendix table; likewise a form's, `様式第N号`, `別記様式`, `別紙`. After the number
/// comes the end of the line, a space or a bracket (`別表第二に掲げる…` is a sentence);
/// the rest holds no `。` and its title (before the bracket) is a short name.
fn appendix(line: &str) -> Option<Class<'_>> {
    // (`附則別表第一`: an appendix of a 附則 entry)
    // (and forms: `様式第一号`, `別記様式第２号の２`, `別紙`)
    let after = line.strip_prefix("附則").unwrap_or(line);
    let rest = ["別表", "別記様式", "様式", "別紙"]
        .iter()
        .find_map(|kind| after.strip_prefix(kind))?;
    let numbered = (ws0, opt(tag("第")), ws0, num, opt(tag("号")), branches).parse(rest);
    let (mut rest, num) = match numbered {
        Ok((r, (_, _, _, main, _, branches))) => (r, Some(Num { main, branches })),
        Err(_) => (rest, None),
    };
    // (`附則別表第三及び附則別表第四　削除`, `別表第二から別表第四まで　削除`: deleted
    // appendices, labelled by the numbers printed; the first one's number is the node's)
    if num.is_some() {
        if let Ok((r, _)) = more_appendices(rest) {
            rest = r;
        }
    }
    let label = line[..line.len() - rest.len()].trim_end();
    let (after, _) = ws0(rest).ok()?;
    let spaced = after.len() < rest.len();
    if !(after.is_empty() || spaced || after.starts_with(['（', '('])) || after.contains('。') {
        return None;
    }
    let title = match after.find(['（', '(']) {
        Some(at) => after[..at].trim_end(),
        None => after.trim_end(),
    };
    (title.chars().count() <= 40).then_some(Class::Appendix { num, label, title })
}

/// `及び附則別表第四`, `から別表第四まで`: the other end of a list or range of appendices.
fn more_appendices(i: &str) -> IResult<&str, ()> {
    let (i, _) = (
        alt((tag("及び"), tag("から"))),
        opt(tag("附則")),
        tag("別表"),
    )
        .parse(i)?;
    let (i, _) = (opt(tag("第")), num, branches, opt(tag("まで"))).parse(i)?;
    Ok((i, ()))
}

/// Whether a line starts a new block (heading, article, paragraph, item, 附則):
/// used by layout to avoid joining a full-width line with the next block.
pub fn starts_block(line: &str) -> bool {
    !matches!(
        classify(line),
        Class::Text | Class::TableHeader | Class::Dated { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ws0_takes_what_is_whitespace_takes() {
        let slow = |s: &str| s.len() - s.trim_start_matches(char::is_whitespace).len();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for s in [format!("{c}第"), format!(" {c}\u{3000}{c}x")] {
                let (rest, taken) = ws0(&s).unwrap();
                assert_eq!(taken.len(), slow(&s), "U+{:04X}", c as u32);
                assert_eq!(rest, &s[taken.len()..]);
            }
        }
        assert_eq!(ws0(""), Ok(("", "")));
    }

    #[test]
    fn item_markers_start_only_where_the_precheck_allows() {
        // (the precheck must not hide any marker: try every character of the Basic
        // Multilingual Plane as one, where all marker characters lie)
        for c in (0..=0xFFFF).filter_map(char::from_u32) {
            for line in [
                format!("{c}　本文"),
                format!("{c}. 本文"),
                format!("{c}) 本文"),
            ] {
                let found = marked_item(&line).is_some();
                assert!(!found || may_start_item(c), "{c:?} starts an item");
            }
        }
    }

    #[test]
    fn headings_in_both_styles() {
        match classify("第 1 章 総則") {
            Class::Heading {
                level: Level::Chapter,
                num,
                label,
                title,
            } => {
                assert_eq!(
                    (num.to_id().as_str(), label, title),
                    ("1", "第 1 章", "総則")
                )
            }
            c => panic!("{c:?}"),
        }
        match classify("第四章の二　雑則") {
            Class::Heading { num, .. } => assert_eq!(num.to_id(), "4-2"),
            c => panic!("{c:?}"),
        }
        match classify("第 13 条（申込の拒絶）") {
            Class::Article {
                num,
                label,
                heading,
                caption,
                body,
            } => {
                assert_eq!(num.to_id(), "13");
                assert_eq!(
                    (label, heading, caption, body),
                    ("第 13 条", "第 13 条（申込の拒絶）", Some("申込の拒絶"), "")
                );
            }
            c => panic!("{c:?}"),
        }
        match classify("第三十六条の二　この法律は、公布の日から施行する。")
        {
            Class::Article {
                num,
                body,
                caption: None,
                ..
            } => {
                assert_eq!(num.to_id(), "36-2");
                assert_eq!(body, "この法律は、公布の日から施行する。");
            }
            c => panic!("{c:?}"),
        }
    }

    #[test]
    fn references_at_line_start_are_text() {
        assert_eq!(
            classify("第 32条（料金の支払方法）の規定は、第 33条に準用します。"),
            Class::Text
        );
        assert_eq!(classify("第 1項のほか、当社は"), Class::Text);
        // deleted articles, alone, listed or as a range
        for (line, count, range) in [
            ("第五条　削除", 1, false),
            ("第四条及び第五条　削除", 2, false),
            ("第百二十一条から第百二十二条まで　削除", 2, true),
        ] {
            match classify(line) {
                Class::Deleted { nums, range: r, .. } => {
                    assert_eq!((nums.len(), r), (count, range))
                }
                c => panic!("{line}: {c:?}"),
            }
        }
        // a caption printed without brackets: a short nominal phrase
        for (line, want) in [
            ("第1条 目的", "目的"),
            ("第32条　超過時間の取扱い", "超過時間の取扱い"),
            (
                "第１２条　ID・パスワードの停止・解約等について",
                "ID・パスワードの停止・解約等について",
            ),
        ] {
            match classify(line) {
                Class::Article {
                    caption,
                    body,
                    heading,
                    ..
                } => {
                    assert_eq!((caption, body, heading), (Some(want), "", line))
                }
                c => panic!("{line}: {c:?}"),
            }
        }
        // a sentence, a predicate or 削除 is the first paragraph's text
        for (line, body) in [
            (
                "第2条 会員は、規約を守らなければならない",
                "会員は、規約を守らなければならない",
            ),
            (
                "第3条　この規則は全社員に適用する",
                "この規則は全社員に適用する",
            ),
            (
                "第6条 本規約は、令和5年4月1日から施行します。",
                "本規約は、令和5年4月1日から施行します。",
            ),
        ] {
            match classify(line) {
                Class::Article {
                    caption: None,
                    body: b,
                    ..
                } => assert_eq!(b, body),
                c => panic!("{line}: {c:?}"),
            }
        }
        assert_eq!(classify("第13条の規定により"), Class::Text);
    }

    #[test]
    fn paragraphs_and_items() {
        assert!(matches!(
            classify("2 この約款を変更するときは"),
            Class::Paragraph { num: 2, .. }
        ));
        assert!(matches!(
            classify("２　前項の場合"),
            Class::Paragraph {
                num: 2,
                label: "２",
                ..
            }
        ));
        assert_eq!(classify("30 日以内に"), Class::Text);
        for (line, fam, marker, label) in [
            ("(1) IIJ インターネット", Family::ParenDigit, "1", "(1)"),
            ("（１０）　前各号", Family::ParenDigit, "１０", "（１０）"),
            ("① 甲", Family::Circled, "①", "①"),
            ("一　法令　法律をいう。", Family::Kanji, "一", "一"),
            ("十二　前各号", Family::Kanji, "十二", "十二"),
            ("イ　乙", Family::Kana, "イ", "イ"),
            ("(ア) 丙", Family::ParenKana, "ア", "(ア)"),
            ("a. 丁", Family::Latin, "a", "a."),
        ] {
            match classify(line) {
                Class::Item {
                    family,
                    marker: m,
                    label: l,
                    ..
                } => {
                    assert_eq!((family, m, l), (fam, marker, label), "{line}")
                }
                c => panic!("{line}: {c:?}"),
            }
        }
        assert_eq!(classify("一の種類の一の IIJ"), Class::Text);
        assert_eq!(classify("(以下「X」といいます。)"), Class::Text);
    }

    #[test]
    fn supplementary_dates_captions_and_tables() {
        assert_eq!(classify("附則"), Class::Suppl { rest: "" });
        assert_eq!(
            classify("附　則　（平成一一年一二月八日法律第一五一号）　抄"),
            Class::Suppl {
                rest: "（平成一一年一二月八日法律第一五一号）　抄"
            }
        );
        assert_eq!(classify("附則の規定により、"), Class::Text);
        match classify("平成 16年 7月 1日変更") {
            Class::Dated {
                date_text, suffix, ..
            } => {
                assert_eq!((date_text, suffix), ("平成 16年 7月 1日", "変更"))
            }
            c => panic!("{c:?}"),
        }
        assert_eq!(classify("平成 16年 7月 1日から実施します。"), Class::Text);
        assert_eq!(classify("（目的等）"), Class::Caption { title: "目的等" });
        assert_eq!(classify("用語 用語の意味"), Class::TableHeader);
        assert_eq!(classify("IIJ Media Sphereサービス"), Class::Text);
    }
}
