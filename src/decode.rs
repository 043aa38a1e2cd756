//! Decode: bytes → text.
//!
//! In: the raw bytes of a file. Out: the text with `\n` line endings (borrowed from the
//! bytes when they are UTF-8 already), plus diagnostics saying how it was read.
//!
//! Order of evidence: a UTF-16 BOM wins; a UTF-8 BOM wins when the rest is UTF-8 (a
//! UTF-8 BOM before Shift_JIS or EUC-JP text is reported as `mixed-encoding` and the
//! text read in its real encoding); then valid UTF-8; then NUL bytes that read as UTF-16
//! text; then Shift_JIS (CP932) and EUC-JP, accepted only when they decode without a
//! single error; then line by line (UTF-8 lines and Shift_JIS or EUC-JP lines in one
//! file: `mixed-encoding`, naming the first line that is not UTF-8); otherwise lossy
//! UTF-8 with an error. A file cut inside its last character (UTF-8, Shift_JIS or
//! EUC-JP) loses only that character, with a `truncated-input` warning.
//!
//! Control characters: a text that is mostly not text (more than 10% control
//! characters, NULs or undecodable bytes) is `binary-input` and gives an empty text.
//! Otherwise stray NUL bytes are dropped (`nul-bytes`) and other control characters
//! kept (`control-characters`), each with the lines where they stand; tab, newline, CR
//! and form feed are ordinary. Parsing never fails, it reports.

use crate::diag::Diagnostic;
use encoding_rs::{Encoding, EUC_JP, SHIFT_JIS, UTF_16BE, UTF_16LE};
use std::borrow::Cow;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Like [`decode`], taking the bytes: UTF-8 input without a BOM or CR becomes the text
/// without a copy (large files need half the memory).
pub fn decode_owned(bytes: Vec<u8>) -> (String, Vec<Diagnostic>) {
    let plain = !bytes.starts_with(UTF8_BOM) && !bytes.contains(&b'\r') && !bytes.is_empty();
    if plain {
        match String::from_utf8(bytes) {
            Ok(text) if !suspicious(&text) && !text.trim().is_empty() => return (text, Vec::new()),
            Ok(text) => return owned(decode(text.as_bytes())),
            Err(e) => return owned(decode(e.as_bytes())),
        }
    }
    owned(decode(&bytes))
}

fn owned((text, diags): (Cow<'_, str>, Vec<Diagnostic>)) -> (String, Vec<Diagnostic>) {
    (text.into_owned(), diags)
}

/// The decoded text and what was noticed on the way. UTF-8 input without a BOM or CR is
/// the text itself, not a copy.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let text = controls(decode_inner(bytes, &mut diags), &mut diags);
    if bytes.is_empty() || (text.trim().is_empty() && diags.is_empty()) {
        diags.push(Diagnostic::error(
            "empty-input",
            0,
            "the input holds no text; the document is empty",
        ));
    }
    (normalize_newlines(text), diags)
}

fn decode_inner<'a>(bytes: &'a [u8], diags: &mut Vec<Diagnostic>) -> Cow<'a, str> {
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        if let Ok(s) = simdutf8::basic::from_utf8(rest) {
            return Cow::Borrowed(s);
        }
        let before = diags.len();
        let text = decode_unmarked(rest, diags);
        if let Some(d) = diags[before..]
            .iter()
            .find(|d| d.code.starts_with("decoded-") || d.code == "mixed-encoding")
        {
            let line = d.line;
            diags.push(Diagnostic::warning(
                "mixed-encoding",
                line,
                "the input starts with a UTF-8 byte order mark but is not UTF-8 throughout; it was read as the text says",
            ));
        }
        return text;
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let name = enc.name();
        diags.push(Diagnostic::info(
            "decoded-utf16",
            0,
            format!("the input is {name} (byte order mark); decoded to UTF-8"),
        ));
        if had_errors {
            diags.push(Diagnostic::error(
                "invalid-encoding",
                0,
                format!(
                    "the input has bytes that are not valid {name}; they were replaced by U+FFFD"
                ),
            ));
        }
        return text;
    }
    decode_unmarked(bytes, diags)
}

/// Bytes without a byte order mark.
fn decode_unmarked<'a>(bytes: &'a [u8], diags: &mut Vec<Diagnostic>) -> Cow<'a, str> {
    // simdutf8 validates several times faster than std on Japanese text (3-byte
    // characters); std's error is needed only to tell a cut file from a bad one.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Cow::Borrowed(s);
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        if e.error_len().is_none() {
            // Valid up to an incomplete final character: the file was cut.
            let valid = &bytes[..e.valid_up_to()];
            diags.push(truncated(valid, bytes.len() - valid.len(), "UTF-8"));
            return String::from_utf8_lossy(valid);
        }
    }
    if bytes.contains(&0) {
        if let Some(text) = utf16_without_bom(bytes) {
            diags.push(Diagnostic::info(
                "decoded-utf16",
                0,
                "the input is UTF-16 without a byte order mark; decoded to UTF-8",
            ));
            return Cow::Owned(text);
        }
    }
    if let Some((text, enc, cut)) = legacy(bytes) {
        let code = if enc == SHIFT_JIS {
            "decoded-shift-jis"
        } else {
            "decoded-euc-jp"
        };
        diags.push(Diagnostic::info(
            code,
            0,
            format!("the input is not UTF-8; it was read as {}", enc.name()),
        ));
        if cut > 0 {
            diags.push(truncated(&bytes[..bytes.len() - cut], cut, enc.name()));
        }
        return text;
    }
    if let Some(text) = by_lines(bytes, diags) {
        return Cow::Owned(text);
    }
    let text = String::from_utf8_lossy(bytes);
    let first_bad = text
        .split('\n')
        .position(|l| l.contains('\u{FFFD}'))
        .unwrap_or(0);
    diags.push(Diagnostic::error(
        "invalid-encoding",
        first_bad + 1,
        "the input is neither UTF-8 nor Shift_JIS/EUC-JP; invalid bytes were replaced by U+FFFD",
    ));
    text
}

/// The bytes read as Shift_JIS or EUC-JP without a single error, whole or cut inside
/// their last character (one or two bytes missing): the encoding, and the bytes cut.
/// EUC-JP bytes often read as Shift_JIS too, as half-width katakana and private-use
/// characters that Japanese text does not hold; of the readings, the one with fewest
/// such characters is taken (the whole file before a cut one).
fn legacy(bytes: &[u8]) -> Option<(Cow<'_, str>, &'static Encoding, usize)> {
    let odd = |t: &str| {
        t.chars()
            .filter(|c| matches!(c, '\u{ff61}'..='\u{ff9f}' | '\u{e000}'..='\u{f8ff}'))
            .count()
    };
    let mut best: Option<(usize, Cow<'_, str>, &'static Encoding, usize)> = None;
    for cut in 0..=2.min(bytes.len()) {
        for enc in [SHIFT_JIS, EUC_JP] {
            let whole = &bytes[..bytes.len() - cut];
            let Some(text) = enc.decode_without_bom_handling_and_without_replacement(whole) else {
                continue;
            };
            let score = odd(&text);
            if score == 0 {
                return Some((text, enc, cut));
            }
            if best.as_ref().is_none_or(|b| score < b.0) {
                best = Some((score, text, enc, cut));
            }
        }
    }
    best.map(|(_, text, enc, cut)| (text, enc, cut))
}

/// The `truncated-input` warning for a text cut `missing` bytes into its last character.
fn truncated(kept: &[u8], missing: usize, encoding: &str) -> Diagnostic {
    Diagnostic::warning(
        "truncated-input",
        line_of(kept),
        format!(
            "the input ends inside a {encoding} character; the last {missing} byte(s) were dropped"
        ),
    )
}

/// A file whose lines are in two encodings: each line UTF-8, or else Shift_JIS (or
/// EUC-JP) without an error. `None` when a line is neither.
fn by_lines(bytes: &[u8], diags: &mut Vec<Diagnostic>) -> Option<String> {
    let mut out = String::with_capacity(bytes.len() * 3 / 2);
    let mut first: Option<(usize, &str)> = None;
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if let Ok(s) = std::str::from_utf8(line) {
            out.push_str(s);
            continue;
        }
        let (text, name) = [SHIFT_JIS, EUC_JP].iter().find_map(|enc| {
            enc.decode_without_bom_handling_and_without_replacement(line)
                .map(|t| (t, enc.name()))
        })?;
        first.get_or_insert((i + 1, name));
        out.push_str(&text);
    }
    let (line, name) = first?;
    diags.push(Diagnostic::warning(
        "mixed-encoding",
        line,
        format!("line {line} is {name} while other lines are UTF-8; each line was read in its own encoding"),
    ));
    Some(out)
}

/// Binary input, stray NULs and control characters (see the module doc).
fn controls<'a>(text: Cow<'a, str>, diags: &mut Vec<Diagnostic>) -> Cow<'a, str> {
    if !suspicious(&text) {
        return text;
    }
    let (mut total, mut odd) = (0usize, 0usize);
    let (mut nul_lines, mut control_lines) = (Vec::new(), Vec::new());
    let (mut nuls, mut others) = (0usize, 0usize);
    for (i, line) in text.split('\n').enumerate() {
        for c in line.chars() {
            total += 1;
            if c == '\0' {
                nuls += 1;
                push_line(&mut nul_lines, i + 1);
            } else if stray_control(c) {
                others += 1;
                push_line(&mut control_lines, i + 1);
            } else if c == '\u{FFFD}' {
                odd += 1;
            }
        }
    }
    if (nuls + others + odd) * 10 > total {
        diags.push(Diagnostic::error(
            "binary-input",
            0,
            "the input is not text (mostly NUL, control or undecodable bytes); nothing was parsed",
        ));
        return Cow::Borrowed("");
    }
    if others > 0 {
        diags.push(Diagnostic::warning(
            "control-characters",
            control_lines[0],
            format!(
                "{others} control character(s) kept in the text, on line(s) {}",
                lines_list(&control_lines)
            ),
        ));
    }
    if nuls == 0 {
        return text;
    }
    diags.push(Diagnostic::warning(
        "nul-bytes",
        nul_lines[0],
        format!(
            "{nuls} NUL byte(s) dropped, on line(s) {}",
            lines_list(&nul_lines)
        ),
    ));
    Cow::Owned(text.replace('\0', ""))
}

/// A control character that ordinary text does not hold (C0 but tab, newline, CR and
/// form feed; DEL; C1).
fn stray_control(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r' | '\x0c')) || ('\u{7f}'..='\u{9f}').contains(&c)
}

/// Records a line once (consecutive characters on one line are one line).
fn push_line(lines: &mut Vec<usize>, line: usize) {
    if lines.last() != Some(&line) {
        lines.push(line);
    }
}

/// `3, 17, 40` or, for many, the first ten and how many more.
fn lines_list(lines: &[usize]) -> String {
    let shown: Vec<String> = lines.iter().take(10).map(|l| l.to_string()).collect();
    match lines.len() {
        n if n > 10 => format!("{} and {} more", shown.join(", "), n - 10),
        _ => shown.join(", "),
    }
}

/// UTF-16 without BOM: NULs concentrated on one byte parity and a clean decode.
fn utf16_without_bom(bytes: &[u8]) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let nul_even = bytes.iter().step_by(2).filter(|&&b| b == 0).count();
    let nul_odd = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let enc = if nul_odd > nul_even * 4 {
        UTF_16LE
    } else if nul_even > nul_odd * 4 {
        UTF_16BE
    } else {
        return None;
    };
    let text = enc.decode_without_bom_handling_and_without_replacement(bytes)?;
    text.contains('\n').then(|| text.into_owned())
}

/// Whether the text holds any byte that could be a control character (C0 but tab,
/// newline, CR and form feed; DEL; `C2`, which starts C1 controls; undecodable bytes
/// count towards binary input only beside them). Most text has none: checked 512 bytes at a
/// time, the comparisons combined without branches into one byte per chunk (the
/// compiler vectorizes that).
fn suspicious(text: &str) -> bool {
    let odd = |b: u8| {
        let control = (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') & (b != 0x0c);
        u8::from(control | (b == 0x7F) | (b == 0xC2))
    };
    text.as_bytes()
        .chunks(512)
        .any(|c| c.iter().fold(0u8, |acc, &b| acc | odd(b)) != 0)
}

fn line_of(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count() + 1
}

/// CRLF and lone CR become LF.
fn normalize_newlines(text: Cow<'_, str>) -> Cow<'_, str> {
    // (memchr's vectorized search: `str::contains` looked at every byte of the text)
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text;
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let (t, d) = decode("第1条\r\n本文".as_bytes());
        assert_eq!(t, "第1条\n本文");
        assert!(d.is_empty());
        let (t, d) = decode(b"\xEF\xBB\xBFabc");
        assert_eq!(t, "abc");
        assert!(d.is_empty());
    }

    #[test]
    fn owned_decoding_agrees() {
        for input in [
            &b"abc\n"[..],
            b"\xEF\xBB\xBFabc",
            b"a\r\nb",
            b"",
            b" \n",
            b"\x82\xa0",
            &[0x7f, 0, 1],
        ] {
            assert_eq!(
                decode_owned(input.to_vec()),
                owned(decode(input)),
                "{input:?}"
            );
        }
    }

    #[test]
    fn utf8_is_read_in_place() {
        let text = "第1条\n本文".as_bytes();
        assert!(matches!(decode(text).0, Cow::Borrowed(t) if t.as_ptr() == text.as_ptr()));
        assert!(matches!(decode(b"a\r\nb").0, Cow::Owned(_)));
    }

    #[test]
    fn shift_jis_is_detected() {
        let (bytes, _, _) = SHIFT_JIS.encode("第１条（目的）\nこの約款は…");
        let (t, d) = decode(&bytes);
        assert_eq!(t, "第１条（目的）\nこの約款は…");
        assert_eq!(codes(&d), ["decoded-shift-jis"]);
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let units: Vec<u16> = "第1条\n本文".encode_utf16().collect();
        let le: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend(&le);
        for input in [with_bom, le, be] {
            let (t, d) = decode(&input);
            assert_eq!(t, "第1条\n本文");
            assert_eq!(codes(&d), ["decoded-utf16"]);
        }
    }

    #[test]
    fn truncated_binary_and_empty() {
        let mut cut = "第1条".as_bytes().to_vec();
        cut.pop();
        let (t, d) = decode(&cut);
        assert_eq!(t, "第1");
        assert_eq!(codes(&d), ["truncated-input"]);
        let (t, d) = decode(&[0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]);
        assert_eq!(t, "");
        assert!(codes(&d).contains(&"binary-input"));
        let (_, d) = decode(b"");
        assert_eq!(codes(&d), ["empty-input"]);
        let (_, d) = decode(b" \n\n ");
        assert_eq!(codes(&d), ["empty-input"]);
    }

    #[test]
    fn cut_legacy_encodings_keep_what_decodes() {
        for enc in [SHIFT_JIS, EUC_JP] {
            let mut bytes = enc
                .encode("第１条（目的）\nこの約款は適用します。")
                .0
                .into_owned();
            bytes.pop();
            let (t, d) = decode(&bytes);
            assert_eq!(t, "第１条（目的）\nこの約款は適用します", "{}", enc.name());
            assert!(codes(&d).contains(&"truncated-input"), "{d:?}");
            assert_eq!(
                d.iter().find(|d| d.code == "truncated-input").unwrap().line,
                2
            );
        }
    }

    #[test]
    fn a_utf8_bom_before_shift_jis_is_read_as_shift_jis() {
        let (sjis, _, _) = SHIFT_JIS.encode("第１条（目的）\nこの約款は…");
        let mut bytes = UTF8_BOM.to_vec();
        bytes.extend_from_slice(&sjis);
        let (t, d) = decode(&bytes);
        assert_eq!(t, "第１条（目的）\nこの約款は…");
        assert_eq!(codes(&d), ["decoded-shift-jis", "mixed-encoding"]);
    }

    #[test]
    fn lines_in_two_encodings_are_each_read_in_theirs() {
        let mut bytes = "第1条（目的）\n".as_bytes().to_vec();
        bytes.extend_from_slice(&SHIFT_JIS.encode("この約款は…\n").0);
        bytes.extend_from_slice("第2条（定義）".as_bytes());
        let (t, d) = decode(&bytes);
        assert_eq!(t, "第1条（目的）\nこの約款は…\n第2条（定義）");
        assert_eq!(codes(&d), ["mixed-encoding"]);
        assert_eq!(d[0].line, 2);
    }

    #[test]
    fn a_few_stray_control_bytes_are_text_with_a_warning() {
        let mut text = "第1条（目的）\nこの約款は適用します。\n".repeat(200);
        text.insert(text.find('\n').unwrap() + 1, '\0');
        text.push_str("末尾\u{1b}]0;x\u{7}です。\n");
        let (t, d) = decode(text.as_bytes());
        assert!(!t.contains('\0') && t.contains('\u{1b}'));
        assert_eq!(codes(&d), ["control-characters", "nul-bytes"]);
        assert_eq!(d[1].line, 2);
        assert_eq!(d[0].line, 401);
        let owned = decode_owned(text.into_bytes());
        assert_eq!(codes(&owned.1), ["control-characters", "nul-bytes"]);
    }
}
