//! Normalized forms for matching, and numerals.
//!
//! In: original text. Out: keys and numbers used only for matching, numbering
//! and IDs; text fields of the tree never hold these forms.
//!
//! - [`key`]: NFKC with all whitespace removed (`ＩＩＪ インターネット` → `IIJインターネット`);
//!   [`push_key16`] writes the same form as UTF-16 code units, for the term scan.
//! - [`number`]: a numeral as printed, in ASCII (`13`), full-width (`１３`), kanji with
//!   multipliers (`十三`, `三十六`, `百二`), kanji digit by digit (`一五一`, as in law
//!   numbers), or circled (`⑬`).
//! - [`width`]: display columns (full-width characters count 2), used by layout.

use unicode_normalization::UnicodeNormalization;
use unicode_width::UnicodeWidthChar;

/// NFKC form without whitespace: the form every matcher and search uses.
pub fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    key_into(s, &mut out);
    out
}

/// [`key`] written into `out` (cleared first), so a loop can reuse one buffer.
pub fn key_into(s: &str, out: &mut String) {
    out.clear();
    push_key(s, out);
}

/// An ASCII byte that `char::is_whitespace` accepts: space, tab, LF, VT, FF, CR.
/// (`u8::is_ascii_whitespace` leaves out VT, U+000B.)
pub(crate) fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// `char::is_whitespace`, deciding ASCII, and everything from U+3001 up (kana, kanji,
/// full-width forms: none is whitespace), without the Unicode table.
pub fn is_space(c: char) -> bool {
    if c.is_ascii() {
        is_ascii_space(c as u8)
    } else {
        c < '\u{3001}' && c.is_whitespace()
    }
}

/// `str::trim_start`, byte by byte over ASCII. (Layout trims every physical line and
/// classify every logical one: the table lookup of std's test for their Japanese first
/// and last characters cost more than the rest of trimming.)
pub fn trim_start(s: &str) -> &str {
    trim_side(s, true)
}

/// `str::trim_end`, as [`trim_start`].
pub fn trim_end(s: &str) -> &str {
    trim_side(s, false)
}

/// `s` without the whitespace at its start or at its end. (Inlined into both callers,
/// where `start` is a constant.)
#[inline(always)]
fn trim_side(s: &str, start: bool) -> &str {
    let mut rest = s;
    loop {
        let bytes = rest.as_bytes();
        let edge = if start { bytes.first() } else { bytes.last() };
        let len = match edge.copied() {
            None => break,
            Some(b) if b < 0x80 => {
                if !is_ascii_space(b) {
                    break;
                }
                1
            }
            Some(_) => {
                let c = if start {
                    rest.chars().next()
                } else {
                    rest.chars().next_back()
                };
                match c {
                    Some(c) if is_space(c) => c.len_utf8(),
                    _ => break,
                }
            }
        };
        rest = if start {
            &rest[len..]
        } else {
            &rest[..rest.len() - len]
        };
    }
    rest
}

/// `str::trim`, as [`trim_start`].
pub fn trim(s: &str) -> &str {
    trim_end(trim_start(s))
}

/// [`key`] appended to `out`.
fn push_key(s: &str, out: &mut String) {
    let base = out.len();
    // Fast path, by bytes, for the characters terms documents are made of (ASCII, kana,
    // CJK ideographs and common punctuation are NFKC-stable; full-width ASCII maps to
    // ASCII); anything else sends the whole text through the full normalizer. Runs of
    // stable characters are copied whole. Profiling showed NFKC, then the decoding of
    // every character, dominating definition tracking before this.
    let b = s.as_bytes();
    let (mut i, mut run) = (0, 0);
    while i < b.len() {
        let x = b[i];
        // Printable ASCII and CJK ideographs (most characters) in one table lookup.
        let plain = PLAIN[usize::from(x)];
        if plain != 0 {
            i += usize::from(plain);
            continue;
        }
        let len = match x {
            // U+3000–U+30FF (E3 80–83 xx): CJK punctuation and kana, by a bitmap
            0xE3 if b[i + 1] <= 0x83 => {
                let k = u32::from(b[i + 1] & 0x03) << 6 | u32::from(b[i + 2] & 0x3F);
                if has(&KANA_PUNCT, k) {
                    i += 3;
                    continue;
                }
                if k != 0 {
                    return full_key(s, base, out);
                }
                3 // U+3000 ideographic space
            }
            x if is_ascii_space(x) => 1,
            // the rest of U+4E00–U+9FFF (E4 B8 80 and up)
            0xE4 if b[i + 1] >= 0xB8 => {
                i += 3;
                continue;
            }
            // (valid UTF-8: a lead byte is followed by its whole sequence)
            0xEF => match three_byte(b[i], b[i + 1], b[i + 2]) {
                c @ 0xFF01..=0xFF5E => {
                    out.push_str(&s[run..i]);
                    out.push(char::from_u32(c - 0xFEE0).expect("maps into ASCII"));
                    i += 3;
                    run = i;
                    continue;
                }
                _ => return full_key(s, base, out),
            },
            _ => return full_key(s, base, out),
        };
        // whitespace: dropped
        out.push_str(&s[run..i]);
        i += len;
        run = i;
    }
    out.push_str(&s[run..]);
}

/// [`key`] as UTF-16 code units, appended to `out`. (The key of a text is the keys of its
/// parts one after another, except where NFKC composes across a cut: a combining mark
/// right after it.)
///
/// The term scan of [`crate::defs`] reads keys unit by unit: in UTF-16, kana and kanji
/// take one unit each and need no decoding, which made building and scanning the keys
/// of a document about 40% faster than over UTF-8. Like [`key`], a fast path handles the
/// characters terms documents are made of, and anything else sends the whole text
/// through the full normalizer.
// (not inlined: inlined into the definitions stage, its loop took 4M more of the 524M
// instructions of a parse of the 100× benchmark document once that stage changed shape)
#[inline(never)]
pub fn push_key16(s: &str, out: &mut Vec<u16>) {
    let base = out.len();
    // (matched as slice patterns, the bytes are read without bounds checks: over the
    // seed's lines, about a tenth faster than indexing them; and three-byte characters,
    // most of a Japanese text, are tried first: 74–75 µs where ASCII first took 87–88)
    let mut b = s.as_bytes();
    loop {
        match *b {
            // two stable three-byte characters at once: runs of them are most of a text
            // (over the seed's lines, 70–73 µs where one at a time took 75–77; pushing
            // them one by one took 77–80)
            [x @ 0xE0..=0xEF, y, z, p @ 0xE0..=0xEF, q, r, ref rest @ ..]
                if has(&STABLE, three_byte(x, y, z)) && has(&STABLE, three_byte(p, q, r)) =>
            {
                out.extend_from_slice(&[three_byte(x, y, z) as u16, three_byte(p, q, r) as u16]);
                b = rest;
            }
            [x @ 0xE0..=0xEF, y, z, ref rest @ ..] => {
                let c = three_byte(x, y, z);
                b = rest;
                if has(&STABLE, c) {
                    out.push(c as u16);
                    continue;
                }
                match c {
                    0xFF01..=0xFF5E => out.push((c - 0xFEE0) as u16),
                    0x3000 => {} // ideographic space
                    _ => return full_key16(s, base, out),
                }
            }
            [x, ref rest @ ..] if x < 0x80 => {
                // ASCII is NFKC-stable; whitespace is dropped
                if !is_ascii_space(x) {
                    out.push(u16::from(x));
                }
                b = rest;
            }
            [] => return,
            _ => return full_key16(s, base, out),
        }
    }
}

/// `s` through the full normalizer, in place of what was appended to `out` after `base`.
fn full_key16(s: &str, base: usize, out: &mut Vec<u16>) {
    out.truncate(base);
    let mut units = [0u16; 2];
    for c in s.nfkc().filter(|c| !c.is_whitespace()) {
        out.extend_from_slice(c.encode_utf16(&mut units));
    }
}

/// The three-byte characters (U+0800–U+FFFF) both fast paths copy into a key unchanged:
/// 、。〃 々〆〇 「」『』【】, hiragana, katakana and the CJK ideographs U+4E00–U+9FFF.
const FAST_RANGES: [(u32, u32); 6] = [
    (0x3001, 0x3003),
    (0x3005, 0x3007),
    (0x300C, 0x3011),
    (0x3041, 0x3096),
    (0x30A1, 0x30FC),
    (0x4E00, 0x9FFF),
];

/// [`FAST_RANGES`] as a bitmap over U+0000–U+FFFF.
static STABLE: [u64; 1024] = bitmap(&FAST_RANGES);

/// A bitmap over U+0000–U+FFFF of the code points in `ranges`.
const fn bitmap(ranges: &[(u32, u32)]) -> [u64; 1024] {
    let mut t = [0u64; 1024];
    let mut r = 0;
    while r < ranges.len() {
        let mut c = ranges[r].0 as usize;
        while c <= ranges[r].1 as usize {
            t[c >> 6] |= 1 << (c & 63);
            c += 1;
        }
        r += 1;
    }
    t
}

/// For a lead byte whose character is copied into a key unchanged without looking
/// further, the character's length: printable ASCII, and E5–E9 (U+5000–U+9FFF, CJK
/// ideographs); 0 for the rest.
static PLAIN: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut x = 0x21;
    while x <= 0x7E {
        t[x] = 1;
        x += 1;
    }
    let mut x = 0xE5;
    while x <= 0xE9 {
        t[x] = 3;
        x += 1;
    }
    t
};

/// The characters of [`FAST_RANGES`] in U+3000–U+30FF, by offset from U+3000.
static KANA_PUNCT: [u64; 4] = {
    let mut t = [0u64; 4];
    let mut k = 0;
    while k < 4 {
        t[k] = STABLE[(0x3000 >> 6) + k];
        k += 1;
    }
    t
};

/// The code point of the three-byte UTF-8 sequence `x y z`.
fn three_byte(x: u8, y: u8, z: u8) -> u32 {
    (u32::from(x & 0x0F) << 12) | (u32::from(y & 0x3F) << 6) | u32::from(z & 0x3F)
}

/// `s` through the full normalizer, in place of what was appended to `out` after `base`.
fn full_key(s: &str, base: usize, out: &mut String) {
    out.truncate(base);
    out.extend(s.nfkc().filter(|c| !c.is_whitespace()));
}

/// Display width in terminal columns; control characters count 0.
pub fn width(s: &str) -> usize {
    // Byte-wise for printable ASCII and the two-column characters of [`WIDE_RANGES`]
    // (matched as slice patterns, as in `push_key16`); anything else one character at a
    // time through unicode-width. (Decoding every character with `chars()` and testing
    // ranges took 51M of the 576M instructions of a parse of the 100× benchmark document;
    // over the seed's lines, this takes 53–54 µs where that took 87–95, and 57–58 with
    // ASCII tried first.)
    let (mut w, mut b) = (0, s.as_bytes());
    loop {
        match *b {
            // (two at once, as in `push_key16`: over the seed's lines, 43.8–44.0 µs where
            // one at a time took 47.3–47.4)
            [x @ 0xE0..=0xEF, y, z, p @ 0xE0..=0xEF, q, r, ref rest @ ..]
                if is_wide(three_byte(x, y, z)) && is_wide(three_byte(p, q, r)) =>
            {
                w += 4;
                b = rest;
            }
            [x @ 0xE0..=0xEF, y, z, ref rest @ ..] if is_wide(three_byte(x, y, z)) => {
                w += 2;
                b = rest;
            }
            [x, ref rest @ ..] if (0x20..0x7F).contains(&x) => {
                w += 1;
                b = rest;
            }
            [] => return w,
            _ => {
                // (`b` always starts a character: only whole characters are skipped)
                let c = s[s.len() - b.len()..].chars().next().expect("not empty");
                w += c.width().unwrap_or(0);
                b = &b[c.len_utf8()..];
            }
        }
    }
}

/// Three-byte characters two columns wide that [`width`] counts without a table lookup:
/// CJK symbols and punctuation (not U+302A–U+302F, combining, nor U+303F, one column),
/// hiragana and katakana (not the combining U+3099–U+309A), CJK ideographs, full-width
/// forms.
const WIDE_RANGES: [(u32, u32); 7] = [
    (0x3000, 0x3029),
    (0x3030, 0x303E),
    (0x3041, 0x3096),
    (0x309B, 0x30FF),
    (0x4E00, 0x9FFF),
    (0xFF01, 0xFF60),
    (0xFFE0, 0xFFE6),
];

/// [`WIDE_RANGES`] as a bitmap over U+0000–U+FFFF.
static WIDE: [u64; 1024] = bitmap(&WIDE_RANGES);

fn is_wide(c: u32) -> bool {
    has(&WIDE, c)
}

/// Whether bit `c` of `map` (64 to a word) is set.
pub(crate) fn has<const N: usize>(map: &[u64; N], c: u32) -> bool {
    map[c as usize >> 6] >> (c & 63) & 1 == 1
}

/// An upper bound of [`width`], counted on the bytes: a column per ASCII byte and two
/// per other character, but three per character of U+1000–U+1FFF (lead byte `E1`),
/// where one (U+17D8, a Khmer sign) is three columns wide.
pub fn width_bound(s: &str) -> usize {
    // (summed in a byte per chunk of 64, at most 3 × 64: the compiler vectorizes it)
    s.as_bytes()
        .chunks(64)
        .map(|chunk| {
            let sum = chunk.iter().fold(0u8, |sum, &b| {
                sum + u8::from(b < 0x80) + 2 * u8::from(b >= 0xC0) + u8::from(b == 0xE1)
            });
            usize::from(sum)
        })
        .sum()
}

/// The value of an ASCII or full-width decimal digit.
pub fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// The value of a kanji digit (`〇`/`零` … `九`).
pub fn kanji_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn kanji_multiplier(c: char) -> Option<u32> {
    match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    }
}

/// Whether `c` can be part of a numeral that [`number`] reads.
pub fn is_numeral_char(c: char) -> bool {
    digit(c).is_some() || kanji_digit(c).is_some() || kanji_multiplier(c).is_some()
}

/// The value of a circled number (`①` … `⑳`, `㉑` … `㊿`).
pub fn circled(c: char) -> Option<u32> {
    let u = c as u32;
    match u {
        0x2460..=0x2473 => Some(u - 0x2460 + 1),
        0x3251..=0x325F => Some(u - 0x3251 + 21),
        0x32B1..=0x32BF => Some(u - 0x32B1 + 36),
        _ => None,
    }
}

/// Reads a whole numeral; `None` when `s` is empty, mixes scripts, or overflows.
pub fn number(s: &str) -> Option<u32> {
    let mut chars = s.chars();
    let first = chars.next()?;
    if digit(first).is_some() {
        return s
            .chars()
            .try_fold(0u32, |acc, c| acc.checked_mul(10)?.checked_add(digit(c)?));
    }
    if let (Some(n), None) = (circled(first), chars.next()) {
        return Some(n);
    }
    if s.chars().any(|c| kanji_multiplier(c).is_some()) {
        // 三十六 = 3×10 + 6; 百二 = 100 + 2; 十 = 10. Multipliers fall (千 百 十):
        // 十十 or 十百 is no numeral.
        let (mut total, mut pending, mut last) = (0u32, None::<u32>, u32::MAX);
        for c in s.chars() {
            if let Some(d) = kanji_digit(c) {
                if pending.is_some() {
                    return None; // 二三十: two digits before a multiplier
                }
                pending = Some(d);
            } else {
                let m = kanji_multiplier(c)?;
                if m >= last {
                    return None;
                }
                last = m;
                total = total.checked_add(pending.take().unwrap_or(1).checked_mul(m)?)?;
            }
        }
        return total.checked_add(pending.unwrap_or(0));
    }
    // Digit by digit: 一五一 = 151 (law numbers, e-Gov dates).
    s.chars().try_fold(0u32, |acc, c| {
        acc.checked_mul(10)?.checked_add(kanji_digit(c)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_in_every_script() {
        assert_eq!(number("13"), Some(13));
        assert_eq!(number("１３"), Some(13));
        assert_eq!(number("十三"), Some(13));
        assert_eq!(number("三十六"), Some(36));
        assert_eq!(number("十"), Some(10));
        assert_eq!(number("百二"), Some(102));
        assert_eq!(number("二千二十五"), Some(2025));
        assert_eq!(number("一五一"), Some(151));
        assert_eq!(number("一一"), Some(11));
        assert_eq!(number("⑬"), Some(13));
        assert_eq!(number("㉑"), Some(21));
        assert_eq!(number(""), None);
        assert_eq!(number("1a"), None);
        assert_eq!(number("二三十"), None);
        assert_eq!(number("99999999999"), None);
        assert_eq!(number("十十十十十十"), None);
        assert_eq!(number("十百"), None);
        assert_eq!(number("百十"), Some(110));
    }

    #[test]
    fn key_is_nfkc_without_spaces() {
        assert_eq!(
            key("ＩＩＪ インターネット　サービス"),
            "IIJインターネットサービス"
        );
        assert_eq!(key("第 13 条"), "第13条");
    }

    #[test]
    fn push_key16_appends_on_either_path() {
        // the fast path, and the full normalizer (① is not NFKC-stable): what was in
        // the buffer before stays
        for (s, want) in [
            ("ＩＩＪ の", "前IIJの"),
            ("ＩＩＪ ①", "前IIJ1"),
            ("𠮷 野", "前𠮷野"),
        ] {
            let mut out: Vec<u16> = "前".encode_utf16().collect();
            push_key16(s, &mut out);
            assert_eq!(String::from_utf16(&out).unwrap(), want);
        }
    }

    #[test]
    fn width_counts_full_width_as_two() {
        assert_eq!(width("IIJ"), 3);
        assert_eq!(width("用語"), 4);
        assert_eq!(width("第 1条"), 6);
        // The fast path agrees with unicode-width.
        for sample in [
            "当社は、ＩＩＪ（ｱｲ）ーア・ぁ〜 x",
            "\t§é𠮷😀\u{3000}㈱①\u{7f}\u{ff61}\u{ff60}\u{3040}\u{3097}ゟ\u{9fff}\u{a000}",
        ] {
            let slow: usize = sample.chars().map(|c| c.width().unwrap_or(0)).sum();
            assert_eq!(width(sample), slow, "{sample}");
        }
        // …and on every character, between others (on either side of a pair of wide ones).
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = format!("第{c}第a");
            let slow: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
            assert_eq!(width(&s), slow, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn trimming_agrees_with_std() {
        assert_eq!(trim(" \u{3000}第1条\t \u{3000}"), "第1条");
        assert_eq!(trim("\u{b}a\u{85}"), "a");
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_space(c), c.is_whitespace(), "U+{:04X}", c as u32);
            for s in [format!("{c}a{c}"), format!(" {c}{c} ")] {
                assert_eq!(trim(&s), s.trim(), "U+{:04X}", c as u32);
                assert_eq!(trim_start(&s), s.trim_start(), "U+{:04X}", c as u32);
                assert_eq!(trim_end(&s), s.trim_end(), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn width_bound_is_never_below_the_width() {
        assert_eq!(width_bound("IIJ用語、"), 9);
        assert_eq!(width_bound("①"), 2); // one column wide: the bound is not exact
        assert_eq!((width("\u{17d8}"), width_bound("\u{17d8}")), (3, 3));
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = c.to_string();
            assert!(width_bound(&s) >= width(&s), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn key_fast_path_agrees_with_the_normalizer() {
        let full = |s: &str| -> String { s.nfkc().filter(|c| !c.is_whitespace()).collect() };
        for sample in [
            "第 13 条（申込の拒絶）　IIJ・ＩＩＪ－ｘ、「本約款」〔注〕",
            "ア\u{3099}か\u{309a}ｶﾞ①㈱ﾊﾟ\u{2026}\u{30fb}\u{30fc}\u{30fd}",
            "\u{21}\u{7e}\u{3001}\u{3003}\u{3005}\u{3007}\u{300c}\u{3011}\u{3041}\u{3096}\u{30a1}\u{4e00}\u{9fff}\u{ff01}\u{ff5e}",
        ] {
            assert_eq!(key(sample), full(sample), "{sample}");
        }
        // Every character of the Basic Multilingual Plane, alone and between others, and
        // the UTF-16 form alike.
        let mut units = Vec::new();
        for c in (0..=0xFFFF).filter_map(char::from_u32) {
            let s = format!("a{c}第 1条{c}");
            let want = full(&s);
            assert_eq!(key(&s), want, "U+{:04X}", c as u32);
            units.clear();
            push_key16(&s, &mut units);
            assert!(
                units.iter().copied().eq(want.encode_utf16()),
                "U+{:04X}",
                c as u32
            );
        }
    }
}
