//! Where definitions are made in text: the inline clauses and statute definition items.
//!
//! In: one node's text. Out: the definitions it makes ([`Found`]: term, definition,
//! scope, and the byte offset after which uses count). The forms are listed in the
//! module doc of [`super`]; the two 以下 forms are small nom grammars tried at each 以下
//! (one memchr search per text), the 併せて form one tried at each を併せて「. The
//! definition of an inline clause is the phrase it annotates ([`phrase_before`]).

use super::{DefKind, Found, Scope};
use crate::classify::ws0;
use crate::needle::Needle;
use crate::refparse::parse_at;
use nom::{
    branch::alt,
    bytes::complete::{tag, take_till1},
    character::complete::one_of,
    combinator::{opt, verify},
    sequence::preceded,
    IResult, Parser,
};

/// The scope a clause's word gives (`以下この条において…`).
fn scope_of(word: Option<&str>) -> Scope {
    match word {
        Some("本条" | "この条") => Scope::Article,
        Some("この項" | "本項" | "この号") => Scope::Paragraph,
        _ => Scope::Document,
    }
}

fn comma(i: &str) -> IResult<&str, Option<char>> {
    opt(one_of("、，,")).parse(i)
}

/// `と(いいます|いう|します|する)`
fn naming(i: &str) -> IResult<&str, &str> {
    preceded(
        tag("と"),
        alt((tag("いいます"), tag("いう"), tag("します"), tag("する"))),
    )
    .parse(i)
}

/// The quoted form from its 以下: the scope word and the term.
fn quoted_clause(i: &str) -> IResult<&str, (Option<&str>, &str)> {
    let scope = alt((
        tag("本約款"),
        tag("この約款"),
        tag("本規程"),
        tag("この規程"),
        tag("本契約"),
        tag("本条"),
        tag("この条"),
        tag("この項"),
        tag("本項"),
        tag("この号"),
    ));
    let (i, (_, _, _, scope, _, _, _, _, _, term, _, _, _)) = (
        tag("以下"),
        comma,
        ws0,
        opt(scope),
        ws0,
        opt(tag("において")),
        comma,
        ws0,
        tag("「"),
        quoted,
        tag("」"),
        ws0,
        naming,
    )
        .parse(i)?;
    Ok((i, (scope, term)))
}

/// The unquoted form after its `をいいます。`/`をいう。`, from 以下: the scope word.
fn unquoted_clause(i: &str) -> IResult<&str, Option<&str>> {
    let scope = alt((
        tag("本約款"),
        tag("この約款"),
        tag("本規程"),
        tag("本条"),
        tag("この条"),
        tag("この項"),
        tag("本項"),
        tag("この号"),
    ));
    let (i, (_, _, scope, _, _, _, _, _, _, _)) = (
        tag("以下"),
        ws0,
        opt(scope),
        ws0,
        opt(tag("において")),
        ws0,
        tag("同じ"),
        opt(alt((tag("とします"), tag("とする")))),
        opt(tag("。")),
        one_of("）)"),
    )
        .parse(i)?;
    Ok((i, scope))
}

/// Where 以下 stands in `text`: every inline clause but one form starts there.
fn ika(text: &str) -> Vec<usize> {
    static IKA: Needle = Needle::new("以下");
    IKA.find_iter(text).collect()
}

/// The 併せて form from its を併せて: the term.
fn together_clause(i: &str) -> IResult<&str, &str> {
    let (i, (_, term, _, _)) = (tag("を併せて「"), quoted, tag("」"), naming).parse(i)?;
    Ok((i, term))
}

/// A quoted term: up to 60 characters, no quotes.
fn quoted(i: &str) -> IResult<&str, &str> {
    verify(take_till1(|c| c == '「' || c == '」'), |t: &str| {
        t.chars().count() <= 60
    })
    .parse(i)
}

/// The 併せて clauses of `text`, left to right and not overlapping: (where を併せて
/// stands, where the clause ends, the term). The phrase before it must have a character
/// that is not a bracket or 、。 between the clause before and を併せて.
fn together(text: &str) -> Vec<(usize, usize, &str)> {
    static TOGETHER: Needle = Needle::new("を併せて「");
    let mut out = Vec::new();
    let mut done = 0;
    for at in TOGETHER.find_iter(text) {
        let phrase = text.get(done..at).and_then(|t| t.chars().next_back());
        if !phrase
            .is_some_and(|c| !matches!(c, '、' | '。' | '「' | '」' | '（' | '）' | '(' | ')'))
        {
            continue;
        }
        if let Ok((rest, term)) = together_clause(&text[at..]) {
            done = text.len() - rest.len();
            out.push((at, done, term));
        }
    }
    out
}

/// Byte offset of the bracket that encloses `pos`, if any.
fn enclosing_open(text: &str, pos: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text[..pos].char_indices().rev() {
        match c {
            '）' | ')' => depth += 1,
            '（' | '(' if depth == 0 => return Some(i),
            '（' | '(' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Byte offset of the bracket that opens the group closing just before `end`.
fn group_start(text: &str, end: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text[..end].char_indices().rev() {
        match c {
            '）' | ')' | '」' => depth += 1,
            '（' | '(' | '「' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The phrase that ends at byte `end` (what a definition clause annotates): bracket
/// groups right before `end` are taken whole (`合同会社（旧…）`, `「A」、「B」又は「C」`)
/// unless they are themselves definition clauses; from there back to the previous
/// 、 。 or bracket; without a leading conjunction or particle (及び, 並びに, と, …).
fn phrase_before(text: &str, end: usize) -> &str {
    let mut k = end;
    loop {
        let before = text[..k].trim_end();
        if !before.ends_with(['）', ')', '」']) {
            break;
        }
        let Some(open) = group_start(text, before.len()) else {
            break;
        };
        if text[open..before.len()].contains("以下") {
            break;
        }
        k = open;
        // A list of quoted names: 「A」、「B」又は「C」
        let head = text[..k].trim_end();
        let list = LIST_JOINERS.iter().find_map(|j| head.strip_suffix(j));
        match list {
            Some(h) if h.trim_end().ends_with('」') => k = h.trim_end().len(),
            _ => {}
        }
    }
    let start = text[..k]
        .char_indices()
        .rev()
        .find(|&(_, c)| matches!(c, '、' | '。' | '「' | '」' | '（' | '）' | '(' | ')'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let mut p = text[start..end].trim();
    while let Some(rest) = LEADING.iter().find_map(|c| p.strip_prefix(c)) {
        p = rest.trim_start();
    }
    p
}

const LIST_JOINERS: [&str; 5] = ["、", "又は", "及び", "並びに", "若しくは"];

const LEADING: [&str; 7] = ["並びに", "及び", "又は", "若しくは", "かつ", "と", "、"];

/// The run of non-hiragana, non-punctuation characters (spaces allowed inside) that
/// ends at byte `end`: the unquoted term before its bracket.
fn term_before(text: &str, end: usize) -> &str {
    let mut start = end;
    for (i, c) in text[..end].char_indices().rev() {
        let hiragana = ('\u{3041}'..='\u{309F}').contains(&c);
        if hiragana
            || matches!(
                c,
                '、' | '。' | '「' | '」' | '（' | '）' | '(' | ')' | '・'
            )
        {
            break;
        }
        start = i;
    }
    text[start..end].trim()
}

/// Inline definitions in one text.
pub(super) fn inline(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let from = ika(text);
    for (at, end, (scope, term)) in parse_at(text, from.iter().copied(), quoted_clause) {
        let definition = enclosing_open(text, at)
            .map(|open| phrase_before(text, open))
            .unwrap_or("");
        out.push(Found {
            term: term.to_string(),
            definition: definition.to_string(),
            kind: DefKind::Inline,
            scope: scope_of(scope),
            after: end,
        });
    }
    for (at, end, term) in together(text) {
        // the phrase is what stands before を併せて
        out.push(Found {
            term: term.to_string(),
            definition: phrase_before(text, at).to_string(),
            kind: DefKind::Inline,
            scope: Scope::Document,
            after: end,
        });
    }
    for (at, end, scope) in parse_at(text, from.iter().copied(), unquoted_clause) {
        let before = &text[..at];
        let Some(verb) = ["をいいます。", "をいう。"]
            .into_iter()
            .find(|v| before.ends_with(v))
        else {
            continue;
        };
        let start = at - verb.len();
        let Some(open) = enclosing_open(text, start) else {
            continue;
        };
        let term = term_before(text, open);
        if term.is_empty() {
            continue;
        }
        let open_len = text[open..].chars().next().map_or(1, char::len_utf8);
        out.push(Found {
            term: term.to_string(),
            definition: text[open + open_len..start].to_string(),
            kind: DefKind::Inline,
            scope: scope_of(scope),
            after: end,
        });
    }
    out.sort_by_key(|f| f.after);
    out
}

/// A statute-style definition item: `法令　法律、…をいう。`, or one that goes on after
/// its definition: `一般送配電事業　…を行う事業をいい、…を含むものとする。`
pub(super) fn definition_item(text: &str) -> Option<(&str, &str)> {
    let (term, rest) = text.split_once(char::is_whitespace)?;
    let rest = rest.trim_start();
    let ok = !term.is_empty()
        && term.chars().count() <= 30
        && !term.contains(['、', '。'])
        && (rest.ends_with("をいう。")
            || rest.ends_with("をいいます。")
            || rest.contains("をいう。")
            || rest.contains("をいい、"));
    ok.then_some((term, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<(String, String, Scope)> {
        inline(text)
            .into_iter()
            .map(|f| (f.term, f.definition, f.scope))
            .collect()
    }

    #[test]
    fn quoted_forms_and_scopes() {
        assert_eq!(
            terms("契約者である個人(以下この項において「元契約者」といいます。)が死亡したときは"),
            [(
                "元契約者".into(),
                "契約者である個人".into(),
                Scope::Paragraph
            )]
        );
        assert_eq!(
            terms("当社に対し、当社が障害通知を連絡する場合の連絡先(以下本条において「障害時連絡先」といいます。)を通知"),
            [("障害時連絡先".into(), "当社が障害通知を連絡する場合の連絡先".into(), Scope::Article)]
        );
        assert_eq!(
            terms("株式会社 NTT ドコモ（以下、本約款において「ドコモ」とします。）が提供"),
            [(
                "ドコモ".into(),
                "株式会社 NTT ドコモ".into(),
                Scope::Document
            )]
        );
        assert_eq!(
            terms("分散型サービス妨害攻撃（以下「DDoS攻撃」という。）を識別"),
            [(
                "DDoS攻撃".into(),
                "分散型サービス妨害攻撃".into(),
                Scope::Document
            )]
        );
        assert_eq!(
            terms("電子データ(以下、本約款において、「配信コンテンツ」といいます。)"),
            [(
                "配信コンテンツ".into(),
                "電子データ".into(),
                Scope::Document
            )]
        );
        assert_eq!(
            terms("とします。NTT東日本及び NTT西日本の両社を併せて「NTT」とします。)が提供"),
            [(
                "NTT".into(),
                "NTT東日本及び NTT西日本の両社".into(),
                Scope::Document
            )]
        );
    }

    #[test]
    fn quoted_clause_bounds() {
        // A term of 60 characters is one; of 61, or with a quote inside, it is none.
        let term = "あ".repeat(60);
        let found = terms(&format!("料金（以下「{term}」といいます。）"));
        assert_eq!(found.len(), 1);
        assert!(terms(&format!("料金（以下「{term}い」といいます。）")).is_empty());
        assert!(terms("料金（以下「あ「い」といいます。）").is_empty());
        // 以下 that opens no clause, then one that does: the second is found.
        assert_eq!(
            terms("次の各号（以下の表を含む。）の料金（以下　「基本料」　という。）")
                .iter()
                .map(|t| t.0.as_str())
                .collect::<Vec<_>>(),
            ["基本料"]
        );
    }

    #[test]
    fn together_clause_bounds() {
        fn found(t: &str) -> Vec<(&str, &str, &str)> {
            together(t)
                .into_iter()
                .map(|(at, end, term)| (&t[..at], term, &t[end..]))
                .collect()
        }
        // The phrase needs a character that is not a bracket or 、。 right before を併せて.
        assert_eq!(
            found("AとBを併せて「本サービス」といいます。"),
            [("AとB", "本サービス", "。")]
        );
        for before in ["", "、", "。", "「", "」", "（", "）", "(", ")"] {
            assert!(
                found(&format!("{before}を併せて「X」という")).is_empty(),
                "{before}"
            );
        }
        // Each verb ends the clause; a clause with none is not one, nor a term of 61.
        for verb in ["いいます", "いう", "します", "する"] {
            assert_eq!(found(&format!("Aを併せて「X」と{verb}。"))[0].2, "。");
        }
        assert!(found("Aを併せて「X」とある").is_empty());
        assert!(found(&format!("Aを併せて「{}」という", "あ".repeat(61))).is_empty());
        // Clauses do not overlap: the next needs its own phrase after the one before.
        assert_eq!(
            found("Aを併せて「X」というを併せて「Y」といい、Bを併せて「Z」という")
                .iter()
                .map(|f| f.1)
                .collect::<Vec<_>>(),
            ["X", "Z"]
        );
    }

    #[test]
    fn unquoted_forms() {
        assert_eq!(
            terms("移動端末設備及び SIM カード（当社の…ICカードをいいます。以下同じとします。）を用いて"),
            [("SIM カード".into(), "当社の…ICカード".into(), Scope::Document)]
        );
        assert_eq!(
            terms("当社が VPN機器（VPNの構築のために必要な機器で、当社が提供するものをいいます。以下同じとします。）を提供"),
            [("VPN機器".into(), "VPNの構築のために必要な機器で、当社が提供するもの".into(), Scope::Document)]
        );
        assert_eq!(
            terms("送信型対電気通信設備サイバー攻撃（情報通信ネットワーク…をいいます。以下本条において同じとします。）の送信先"),
            [("送信型対電気通信設備サイバー攻撃".into(), "情報通信ネットワーク…".into(), Scope::Article)]
        );
    }

    #[test]
    fn statute_definition_items() {
        assert_eq!(
            definition_item("法令　法律、法律に基づく命令をいう。"),
            Some(("法令", "法律、法律に基づく命令をいう。"))
        );
        assert_eq!(
            definition_item(
                "一般送配電事業　託送供給を行う事業をいい、小売供給を行う事業を含むものとする。"
            ),
            Some((
                "一般送配電事業",
                "託送供給を行う事業をいい、小売供給を行う事業を含むものとする。"
            ))
        );
        assert_eq!(
            definition_item("当社の電気通信設備の保守又は工事のためやむを得ないとき"),
            None
        );
    }
}
