//! Laws around references: bracketed law numbers, law names, and the laws a text
//! mentions.
//!
//! In: the text of one node. Out: byte spans of law numbers (a reference's path never
//! starts inside one), the law name that ends where a path starts (which makes the
//! reference external), and the names 同法 can point back to.

use super::{parse_at, CharOffsets};
use crate::classify::ws0;
use nom::{
    branch::alt,
    bytes::complete::{tag, take_while1},
    character::complete::one_of,
    IResult, Parser,
};

/// `（平成11年法律第151号）`: the bracketed number of a law, and what the brackets hold.
///
/// `[（(] ws ERA ws (元|DIGITS) ws 年 ws KIND ws 第 ws DIGITS ws 号 ws [）)]`, where KIND is
/// 法律, 政令, 内閣府令, one to six characters + 省令, or up to eight + 規則 (names hold no
/// space, bracket or 第), tried in that order until the rest reads.
fn law_number(i: &str) -> IResult<&str, &str> {
    let digit = |c: char| {
        c.is_ascii_digit() || ('０'..='９').contains(&c) || "〇一二三四五六七八九十百".contains(c)
    };
    let (inner, _) = (one_of("（("), ws0).parse(i)?;
    let era = alt((
        tag("明治"),
        tag("大正"),
        tag("昭和"),
        tag("平成"),
        tag("令和"),
    ));
    let year = alt((tag("元"), take_while1(digit)));
    let (kind, _) = (era, ws0, year, ws0, tag("年"), ws0).parse(inner)?;
    // After the kind: the number, then the closing bracket (where the holding ends).
    let tail = |r: &'_ str| -> Option<(usize, usize)> {
        let mut number = (
            ws0,
            tag("第"),
            ws0,
            take_while1(|c| digit(c) || c == '千'),
            ws0,
            tag("号"),
        );
        let (held, _) = number.parse(r).ok()?;
        let (rest, _) = (ws0, one_of("）)")).parse(held).ok()?;
        Some((held.len(), rest.len()))
    };
    let fixed = |name: &str| kind.strip_prefix(name).and_then(tail);
    // A name of `min..=max` characters (no space, bracket or 第) before `suffix`: the
    // ministry of 総務省令, the commission of 国家公安委員会規則.
    let named = |suffix: &str, min: usize, max: usize| {
        let ends = kind
            .char_indices()
            .take_while(|&(_, c)| !(c.is_whitespace() || "（）()第".contains(c)))
            .take(max)
            .map(|(p, c)| p + c.len_utf8());
        let ends: Vec<usize> = std::iter::once(0).chain(ends).skip(min).collect();
        ends.into_iter()
            .rev()
            .find_map(|end| kind[end..].strip_prefix(suffix).and_then(tail))
    };
    let found = fixed("法律")
        .or_else(|| fixed("政令"))
        .or_else(|| fixed("内閣府令"))
        .or_else(|| named("省令", 1, 6))
        .or_else(|| named("規則", 0, 8));
    match found {
        Some((held, rest)) => Ok((&i[i.len() - rest..], &inner[..inner.len() - held])),
        None => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Alt,
        ))),
    }
}

/// Every bracketed law number in `text`, left to right: (start, end, what the brackets
/// hold). Tried at each bracket (one memchr pass for `(` and the lead byte of `（`).
pub(super) fn law_numbers(text: &str) -> Vec<(usize, usize, &str)> {
    let brackets = memchr::memchr2_iter(b'(', 0xEF, text.as_bytes())
        .filter(|&at| text.as_bytes()[at] == b'(' || text[at..].starts_with('（'));
    parse_at(text, brackets, law_number)
}

const LAW_SUFFIXES: [&str; 6] = ["法律", "法", "政令", "省令", "規則", "条例"];
const NOT_LAWS: [&str; 12] = [
    "方法",
    "手法",
    "用法",
    "文法",
    "作法",
    "療法",
    "製法",
    "技法",
    "寸法",
    "論法",
    "便法",
    "憲法上",
];

/// The law name ending at byte `end`: a run of kanji/katakana ending in 法, 法律, 政令 ….
/// A run that starts with `法律` (`…に関する法律`, `…に関する法律施行規則`) extends back
/// over kana too, through a 、
/// that follows a kanji, up to a sentence or clause start (a 、 after a particle), and
/// starts after a last 又は/若しくは (those join items, not words of a name).
pub fn law_name_before(text: &str, end: usize) -> Option<&str> {
    let before = &text[..end];
    if before.ends_with("同法") {
        return Some(&before[before.len() - "同法".len()..]);
    }
    if !LAW_SUFFIXES.iter().any(|s| before.ends_with(s))
        || NOT_LAWS.iter().any(|s| before.ends_with(s))
    {
        return None;
    }
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_name_char(c))
        .last()
        .map(|(i, _)| i)?;
    if !before[start..].starts_with("法律") {
        let name = &before[start..];
        return (name.chars().count() >= 2).then_some(name);
    }
    let chars: Vec<(usize, char)> = before[..start].char_indices().collect();
    let mut k = chars.len();
    while k > 0 {
        let c = chars[k - 1].1;
        let after_kanji = k >= 2 && is_name_char(chars[k - 2].1);
        if matches!(c, '。' | '「' | '」' | '（' | '）' | '(' | ')')
            || c.is_whitespace()
            || (c == '、' && !after_kanji)
        {
            break;
        }
        k -= 1;
    }
    let mut from = chars.get(k).map_or(start, |&(i, _)| i);
    for conj in ["又は", "若しくは"] {
        if let Some(p) = before[from..start].rfind(conj) {
            from += p + conj.len();
        }
    }
    Some(&before[from..])
}

fn is_name_char(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{30A0}'..='\u{30FF}' | '々')
}

/// Law names mentioned in `text` (a run of kanji/katakana ending in 法 or 法律 not
/// followed by more kanji), with the character offset where each ends: what 同法 points back to.
pub fn law_mentions(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut chars = CharOffsets::new(text);
    for (i, c) in text.match_indices('法') {
        let mut end = i + c.len();
        if text[end..].starts_with('律') {
            end += '律'.len_utf8();
        }
        if text[end..].chars().next().is_some_and(is_name_char) {
            continue;
        }
        if let Some(name) = law_name_before(text, end).filter(|n| *n != "同法") {
            out.push((chars.at(end), name.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn law_number_forms() {
        fn held(t: &str) -> Vec<&str> {
            law_numbers(t).into_iter().map(|x| x.2).collect()
        }
        assert_eq!(
            held("法（平成元年法律第一五一号）と令（ 令和２年 総務省令 第 ３号 ）"),
            ["平成元年法律第一五一号", "令和２年 総務省令 第 ３号"]
        );
        // Each kind; a ministry of one to six characters before 省令, up to eight before 規則.
        for kind in [
            "法律",
            "政令",
            "内閣府令",
            "総務省令",
            "国家公安委員会規則",
            "規則",
        ] {
            let t = format!("(昭和63年{kind}第108号)");
            assert_eq!(held(&t).len(), 1, "{t}");
        }
        assert_eq!(held("(平成1年公安委員会省令第1号)").len(), 1);
        assert!(held("(平成1年国家公安委員会省令第1号)").is_empty());
        assert!(held("(平成1年省令第1号)").is_empty());
        assert!(held("(平成1年国家公安委員会特別規則第1号)").is_empty());
        // Not law numbers: no era, no 号, no closing bracket, 元 among digits.
        for t in [
            "(1年法律第1号)",
            "(平成1年法律第1)",
            "（平成1年法律第1号",
            "(平成元1年法律第1号)",
        ] {
            assert!(held(t).is_empty(), "{t}");
        }
        // A kind whose number does not read gives way to the next that does.
        assert_eq!(held("(平成1年法律X省令第1号)"), ["平成1年法律X省令第1号"]);
    }
}
