//! Word-level diff for Japanese text.
//!
//! In: two texts. Out: [`Edit`]s (equal / delete / insert runs) that read well in Japanese.
//!
//! Character diffs of Japanese produce chaff from coincidental one-character matches, and
//! generic semantic cleanups only look at ASCII. So the texts are cut into tokens first:
//! runs of one script (kanji, hiragana, katakana, Latin letters, digits, whitespace), each
//! punctuation mark alone, and three kinds kept whole: article references (`第 13条`,
//! `第36条の2`), numbers, and 「…」 quotes. The token sequences are diffed with `similar`
//! (Patience); then equal runs of at most two characters between two changes are folded
//! into the change (`…の…` between two replaced phrases is not worth showing as kept).

use serde::{Deserialize, Serialize};
use similar::DiffTag;

/// What a run of text does between the old and the new version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Equal,
    Delete,
    Insert,
}

/// A run of text with its operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub op: Op,
    pub text: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Kanji,
    Hiragana,
    Katakana,
    Latin,
    Digit,
    Space,
    Other,
}

fn script(c: char) -> Script {
    match c {
        '\u{4E00}'..='\u{9FFF}' | '々' | '〆' | 'ヶ' => Script::Kanji,
        '\u{3041}'..='\u{309F}' => Script::Hiragana,
        '\u{30A0}'..='\u{30FF}' | '\u{FF66}'..='\u{FF9F}' => Script::Katakana,
        c if c.is_ascii_alphabetic()
            || ('Ａ'..='Ｚ').contains(&c)
            || ('ａ'..='ｚ').contains(&c) =>
        {
            Script::Latin
        }
        c if c.is_ascii_digit() || ('０'..='９').contains(&c) => Script::Digit,
        c if c.is_whitespace() => Script::Space,
        _ => Script::Other,
    }
}

/// Byte length of a token kept whole at the start of `s`: 第N条(のM)?/第N項/第N号, or a
/// 「…」 quote of at most 60 characters.
fn whole_token(s: &str) -> Option<usize> {
    if s.starts_with('「') {
        let close = s.find('」')?;
        let len = close + '」'.len_utf8();
        return (s[..len].chars().count() <= 60 && !s[3..close].contains('「')).then_some(len);
    }
    if s.starts_with('第') {
        let refs = crate::refparse::find(s);
        let r = refs
            .first()
            .filter(|r| r.start == 0 && r.law.is_none() && r.paths.len() == 1)?;
        // The reference's character length → byte length.
        return Some(s.char_indices().nth(r.end).map_or(s.len(), |(b, _)| b));
    }
    None
}

/// Cuts a text into diff tokens.
pub fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let rest = &text[pos..];
        if let Some(len) = whole_token(rest) {
            out.push(&rest[..len]);
            pos += len;
            continue;
        }
        let first = rest.chars().next().expect("not at end");
        let s = script(first);
        let len = if s == Script::Other {
            first.len_utf8()
        } else {
            rest.char_indices()
                .find(|&(_, c)| script(c) != s || c == '第' || c == '「')
                .map_or(rest.len(), |(i, _)| i)
                .max(first.len_utf8())
        };
        out.push(&rest[..len]);
        pos += len;
    }
    out
}

/// The word-level diff of two texts.
pub fn diff(old: &str, new: &str) -> Vec<Edit> {
    let (a, b) = (tokens(old), tokens(new));
    let mut runs: Vec<(Op, String)> = Vec::new();
    let mut push = |op: Op, s: &str| match runs.last_mut() {
        _ if s.is_empty() => {}
        Some((last, text)) if *last == op => text.push_str(s),
        _ => runs.push((op, s.to_string())),
    };
    for (tag, old_range, new_range) in crate::seqdiff::ops(&a, &b) {
        match tag {
            DiffTag::Equal => push(Op::Equal, &a[old_range].concat()),
            DiffTag::Delete => push(Op::Delete, &a[old_range].concat()),
            DiffTag::Insert => push(Op::Insert, &b[new_range].concat()),
            DiffTag::Replace => {
                let (x, y) = (&a[old_range], &b[new_range]);
                let (x, y) = (x.concat(), y.concat());
                if x.chars().chain(y.chars()).all(plain) {
                    // Japanese words are not segmented: keep the characters the two
                    // phrases share at their ends (技術上[-著しく-]困難).
                    let pre = common_prefix(&x, &y);
                    let suf = common_suffix(&x[pre..], &y[pre..]);
                    push(Op::Equal, &x[..pre]);
                    push(Op::Delete, &x[pre..x.len() - suf]);
                    push(Op::Insert, &y[pre..y.len() - suf]);
                    push(Op::Equal, &x[x.len() - suf..]);
                } else {
                    push(Op::Delete, &x);
                    push(Op::Insert, &y);
                }
            }
        }
    }
    cleanup(runs)
}

/// Kana, kanji and Japanese punctuation: text whose characters may be compared one by
/// one (digits, Latin words, references and quotes are kept whole instead).
fn plain(c: char) -> bool {
    matches!(
        script(c),
        Script::Kanji | Script::Hiragana | Script::Katakana
    ) || "、・".contains(c)
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .take_while(|((_, x), y)| x == y)
        .last()
        .map_or(0, |((i, x), _)| i + x.len_utf8())
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum()
}

/// Folds short equal runs between changes into the change; orders each change as
/// delete then insert; merges neighbours.
fn cleanup(runs: Vec<(Op, String)>) -> Vec<Edit> {
    let mut out: Vec<Edit> = Vec::new();
    let n = runs.len();
    let mut i = 0;
    while i < n {
        // A change block: consecutive non-equal runs, absorbing short equal runs that
        // sit between two changes.
        if runs[i].0 == Op::Equal {
            out.push(Edit {
                op: Op::Equal,
                text: runs[i].1.clone(),
            });
            i += 1;
            continue;
        }
        let (mut del, mut ins) = (String::new(), String::new());
        while i < n {
            match runs[i].0 {
                Op::Delete => del.push_str(&runs[i].1),
                Op::Insert => ins.push_str(&runs[i].1),
                Op::Equal => {
                    let short = runs[i].1.chars().count() <= 2;
                    let change_follows = runs.get(i + 1).is_some_and(|r| r.0 != Op::Equal);
                    if short && change_follows && !runs[i].1.trim().is_empty() {
                        del.push_str(&runs[i].1);
                        ins.push_str(&runs[i].1);
                    } else {
                        break;
                    }
                }
            }
            i += 1;
        }
        if !del.is_empty() {
            out.push(Edit {
                op: Op::Delete,
                text: del,
            });
        }
        if !ins.is_empty() {
            out.push(Edit {
                op: Op::Insert,
                text: ins,
            });
        }
    }
    out
}

/// For a 新旧対照表: a pure deletion or insertion takes the next word (or the previous
/// one, at the end) into the change on both sides, so that each side underlines
/// something where the text changed (`技術上<u>著しく困難</u>` ↔ `技術上<u>困難</u>`).
pub fn widen(edits: &[Edit]) -> Vec<Edit> {
    let mut out: Vec<Edit> = edits.to_vec();
    let mut i = 0;
    while i < out.len() {
        let lone = out[i].op != Op::Equal
            && out.get(i + 1).is_none_or(|e| e.op == Op::Equal)
            && (i == 0 || out[i - 1].op == Op::Equal);
        if !lone {
            i += 1;
            continue;
        }
        let changed = out[i].clone();
        let (del, ins, pos) = if let Some(next) = out.get(i + 1).filter(|e| e.op == Op::Equal) {
            let word = tokens(&next.text).first().map_or("", |w| *w).to_string();
            out[i + 1].text = next.text[word.len()..].to_string();
            let (d, n) = if changed.op == Op::Delete {
                (changed.text.clone() + &word, word)
            } else {
                (word.clone(), changed.text.clone() + &word)
            };
            (d, n, i)
        } else if i > 0 {
            let prev = out[i - 1].text.clone();
            let word = tokens(&prev).last().map_or("", |w| *w).to_string();
            out[i - 1].text = prev[..prev.len() - word.len()].to_string();
            let (d, n) = if changed.op == Op::Delete {
                (word.clone() + &changed.text, word)
            } else {
                (word.clone(), word + &changed.text)
            };
            (d, n, i)
        } else {
            i += 1;
            continue;
        };
        out.splice(
            pos..=pos,
            [
                Edit {
                    op: Op::Delete,
                    text: del,
                },
                Edit {
                    op: Op::Insert,
                    text: ins,
                },
            ],
        );
        i += 2;
    }
    out.retain(|e| !e.text.is_empty());
    out
}

/// The changed parts only, for messages: `[-old-]{+new+}`.
pub fn inline(edits: &[Edit]) -> String {
    edits
        .iter()
        .map(|e| match e.op {
            Op::Equal => e.text.clone(),
            Op::Delete => format!("[-{}-]", e.text),
            Op::Insert => format!("{{+{}+}}", e.text),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_references_numbers_and_quotes_whole() {
        assert_eq!(
            tokens("前条第1項の規定は、第 13条（申込）に「申込」とあるのは30日"),
            [
                "前条",
                "第1項",
                "の",
                "規定",
                "は",
                "、",
                "第 13条（申込）",
                "に",
                "「申込」",
                "とあるのは",
                "30",
                "日"
            ]
        );
        assert_eq!(tokens("IIJインターネット"), ["IIJ", "インターネット"]);
    }

    #[test]
    fn diffs_read_as_words() {
        let e = diff(
            "前条第1項の規定により",
            "第13条（申込の拒絶）第2項の規定により",
        );
        assert_eq!(
            inline(&e),
            "[-前条第1項-]{+第13条（申込の拒絶）第2項+}の規定により"
        );
        let e = diff(
            "速やかに届け出るものとします。",
            "30日以内に届け出るものとします。",
        );
        assert_eq!(
            inline(&e),
            "[-速やかに-]{+30日以内に+}届け出るものとします。"
        );
        assert_eq!(
            diff("同じ", "同じ"),
            [Edit {
                op: Op::Equal,
                text: "同じ".into()
            }]
        );
        let e = diff("保守が技術上著しく困難なとき", "保守が技術上困難なとき");
        assert_eq!(inline(&e), "保守が技術上[-著しく-]困難なとき");
        let w = widen(&diff(
            "保守が技術上著しく困難なとき",
            "保守が技術上困難なとき",
        ));
        assert_eq!(inline(&w), "保守が技術上[-著しく困難-]{+困難+}なとき");
        let w = widen(&diff("料金を支払う", "料金を速やかに支払う"));
        assert_eq!(inline(&w), "料金を[-支払-]{+速やかに支払+}う");
        let e = diff("30日以内", "31日以内");
        assert_eq!(inline(&e), "[-30-]{+31+}日以内");
    }
}
