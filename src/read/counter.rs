//! Counter styles: the numbers a format displays without their being in the text (an
//! HTML `<ol>`'s markers, Word's automatic numbering), written as the reader sees them.
//!
//! In: a number and a style (an HTML `type`/`list-style-type`, a Word `w:numFmt`).
//! Out: the marker text (`3`, `三`, `ウ`, `③`); a number the style cannot write (zero,
//! past the end of a kana sequence's cycle is fine, past ⑳) is written in decimal, as
//! Word does.

/// A way of writing a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    /// 1, 2, 3
    Decimal,
    /// 01, 02 … 10
    DecimalZero,
    /// １, ２, ３
    DecimalFullWidth,
    /// a, b … z, aa
    LowerAlpha,
    UpperAlpha,
    /// i, ii, iii
    LowerRoman,
    UpperRoman,
    /// 一, 十, 十一, 二十三, 百 (Word's japaneseCounting, CSS cjk-ideographic)
    Kanji,
    /// 一, 一〇, 一一 (CSS cjk-decimal, Word's ideographDigital)
    KanjiDigits,
    /// ア, イ, ウ (aiueoFullWidth, CSS katakana)
    Aiueo,
    /// ｱ, ｲ, ｳ (Word's aiueo)
    AiueoHalfWidth,
    /// イ, ロ, ハ (irohaFullWidth, CSS katakana-iroha)
    Iroha,
    /// ｲ, ﾛ, ﾊ (Word's iroha)
    IrohaHalfWidth,
    /// あ, い, う (CSS hiragana)
    Hiragana,
    /// い, ろ, は (CSS hiragana-iroha)
    HiraganaIroha,
    /// ①, ② … ⑳ (decimalEnclosedCircle)
    Circled,
    /// no number at all (`none`, bullets)
    None,
}

const AIUEO: &str =
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン";
const AIUEO_HALF: &str = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝ";
const IROHA: &str = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス";
const IROHA_HALF: &str = "ｲﾛﾊﾆﾎﾍﾄﾁﾘﾇﾙｦﾜｶﾖﾀﾚｿﾂﾈﾅﾗﾑｳｲﾉｵｸﾔﾏｹﾌｺｴﾃｱｻｷﾕﾒﾐｼｴﾋﾓｾｽ";
const HIRAGANA: &str =
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん";
const HIRAGANA_IROHA: &str = "いろはにほへとちりぬるをわかよたれそつねならむうゐのおくやまけふこえてあさきゆめみしゑひもせす";
const KANJI_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

impl Counter {
    /// The style an HTML `type` attribute or CSS `list-style-type` names.
    pub fn of_css(name: &str) -> Option<Counter> {
        Some(match name.trim() {
            "1" | "decimal" => Counter::Decimal,
            "decimal-leading-zero" => Counter::DecimalZero,
            "a" | "lower-alpha" | "lower-latin" => Counter::LowerAlpha,
            "A" | "upper-alpha" | "upper-latin" => Counter::UpperAlpha,
            "i" | "lower-roman" => Counter::LowerRoman,
            "I" | "upper-roman" => Counter::UpperRoman,
            "cjk-ideographic" | "japanese-informal" | "japanese-formal" => Counter::Kanji,
            "cjk-decimal" => Counter::KanjiDigits,
            "katakana" => Counter::Aiueo,
            "katakana-iroha" => Counter::Iroha,
            "hiragana" => Counter::Hiragana,
            "hiragana-iroha" => Counter::HiraganaIroha,
            "none" | "disc" | "circle" | "square" => Counter::None,
            _ => return None,
        })
    }

    /// The style a Word `w:numFmt` names (unknown formats read as decimal, as Word
    /// falls back).
    pub fn of_word(name: &str) -> Counter {
        match name {
            "decimalZero" => Counter::DecimalZero,
            "decimalFullWidth" | "decimalFullWidth2" => Counter::DecimalFullWidth,
            "lowerLetter" => Counter::LowerAlpha,
            "upperLetter" => Counter::UpperAlpha,
            "lowerRoman" => Counter::LowerRoman,
            "upperRoman" => Counter::UpperRoman,
            "japaneseCounting"
            | "japaneseLegal"
            | "chineseCounting"
            | "chineseCountingThousand"
            | "taiwaneseCounting"
            | "taiwaneseCountingThousand" => Counter::Kanji,
            "ideographDigital" | "japaneseDigitalTenThousand" => Counter::KanjiDigits,
            "aiueoFullWidth" => Counter::Aiueo,
            "aiueo" => Counter::AiueoHalfWidth,
            "irohaFullWidth" => Counter::Iroha,
            "iroha" => Counter::IrohaHalfWidth,
            "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => Counter::Circled,
            "none" | "bullet" => Counter::None,
            _ => Counter::Decimal,
        }
    }

    /// `n` written in this style.
    pub fn format(self, n: i64) -> String {
        let pick = |set: &str| {
            let count = set.chars().count() as i64;
            if n < 1 {
                return n.to_string();
            }
            set.chars()
                .nth(((n - 1) % count) as usize)
                .map_or_else(|| n.to_string(), String::from)
        };
        match self {
            Counter::None => String::new(),
            Counter::Decimal => n.to_string(),
            Counter::DecimalZero if (0..10).contains(&n) => format!("0{n}"),
            Counter::DecimalZero => n.to_string(),
            Counter::DecimalFullWidth => n
                .to_string()
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
                    '-' => '－',
                    _ => c,
                })
                .collect(),
            Counter::LowerAlpha => alpha(n).to_ascii_lowercase(),
            Counter::UpperAlpha => alpha(n),
            Counter::LowerRoman => roman(n).to_ascii_lowercase(),
            Counter::UpperRoman => roman(n),
            Counter::Kanji if n >= 1 => kanji(n),
            Counter::KanjiDigits if n >= 0 => n
                .to_string()
                .bytes()
                .map(|b| KANJI_DIGITS[(b - b'0') as usize])
                .collect(),
            Counter::Kanji | Counter::KanjiDigits => n.to_string(),
            Counter::Aiueo => pick(AIUEO),
            Counter::AiueoHalfWidth => pick(AIUEO_HALF),
            Counter::Iroha => pick(IROHA),
            Counter::IrohaHalfWidth => pick(IROHA_HALF),
            Counter::Hiragana => pick(HIRAGANA),
            Counter::HiraganaIroha => pick(HIRAGANA_IROHA),
            Counter::Circled if (1..=20).contains(&n) => char::from_u32('①' as u32 + n as u32 - 1)
                .map_or_else(|| n.to_string(), String::from),
            Counter::Circled => n.to_string(),
        }
    }
}

/// a … z, aa … zz (Word and CSS repeat or extend differently past z; this is CSS's)
fn alpha(n: i64) -> String {
    if n < 1 {
        return n.to_string();
    }
    let mut n = n;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn roman(n: i64) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, letters) in table {
        while n >= value {
            out.push_str(letters);
            n -= value;
        }
    }
    out
}

/// 一, 十, 十一, 二十, 百二十三, 千, 一万二千 (a 1 before 十, 百, 千 is not written; before
/// 万 and above it is).
pub fn kanji(n: i64) -> String {
    fn below_10000(n: i64, out: &mut String) {
        for (unit, mark) in [(1000, '千'), (100, '百'), (10, '十')] {
            let d = n / unit % 10;
            if d > 1 {
                out.push(KANJI_DIGITS[d as usize]);
            }
            if d > 0 {
                out.push(mark);
            }
        }
        if n % 10 > 0 {
            out.push(KANJI_DIGITS[(n % 10) as usize]);
        }
    }
    if n < 1 {
        return n.to_string();
    }
    let mut out = String::new();
    for (unit, mark) in [
        (1_0000_0000_0000, "兆"),
        (1_0000_0000, "億"),
        (1_0000, "万"),
    ] {
        let part = n / unit % 1_0000;
        if part > 0 {
            below_10000(part, &mut out);
            out.push_str(mark);
        }
    }
    below_10000(n % 1_0000, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_and_css_styles() {
        let f = |c: Counter, n| c.format(n);
        assert_eq!(f(Counter::Kanji, 1), "一");
        assert_eq!(f(Counter::Kanji, 10), "十");
        assert_eq!(f(Counter::Kanji, 23), "二十三");
        assert_eq!(f(Counter::Kanji, 110), "百十");
        assert_eq!(f(Counter::Kanji, 12345), "一万二千三百四十五");
        assert_eq!(f(Counter::KanjiDigits, 10), "一〇");
        assert_eq!(f(Counter::DecimalFullWidth, 12), "１２");
        assert_eq!(f(Counter::Aiueo, 3), "ウ");
        assert_eq!(f(Counter::Iroha, 3), "ハ");
        assert_eq!(f(Counter::Iroha, 48), "イ");
        assert_eq!(f(Counter::Circled, 3), "③");
        assert_eq!(f(Counter::Circled, 21), "21");
        assert_eq!(f(Counter::LowerAlpha, 28), "ab");
        assert_eq!(f(Counter::UpperRoman, 14), "XIV");
        assert_eq!(f(Counter::DecimalZero, 7), "07");
        assert_eq!(f(Counter::None, 7), "");
        assert_eq!(Counter::of_word("japaneseCounting"), Counter::Kanji);
        assert_eq!(Counter::of_css("katakana-iroha"), Some(Counter::Iroha));
    }
}
