//! Decode: bytes → text.
//!
//! In: the raw bytes of a file. Out: the text with `\n` line endings (borrowed from the
//! bytes when they are UTF-8 already), plus diagnostics saying how it was read.
//!
//! Order of evidence: a BOM (UTF-8, UTF-16LE/BE) wins; then valid UTF-8; then NUL bytes
//! that read as UTF-16 text; then Shift_JIS (CP932) and EUC-JP, accepted only when they
//! decode without a single error; otherwise lossy UTF-8 with an error. A UTF-8 file cut
//! inside its last character loses only that character, with a diagnostic. Bytes that are
//! not text (NULs or many control characters) give an empty text and an error: parsing
//! never fails, it reports.

use crate::diag::Diagnostic;
use encoding_rs::{Encoding, EUC_JP, SHIFT_JIS, UTF_16BE, UTF_16LE};
use std::borrow::Cow;

/// Like [`decode`], taking the bytes: UTF-8 input without a BOM or CR becomes the text
/// without a copy (large files need half the memory).
pub fn decode_owned(bytes: Vec<u8>) -> (String, Vec<Diagnostic>) {
    let plain = !bytes.starts_with(b"\xEF\xBB\xBF") && !bytes.contains(&b'\r') && !bytes.is_empty();
    if plain {
        match String::from_utf8(bytes) {
            Ok(text) if !looks_binary(&text) && !text.trim().is_empty() => {
                return (text, Vec::new())
            }
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
    let text = decode_inner(bytes, &mut diags);
    let text = match text {
        Some(t) if looks_binary(&t) => {
            diags.push(Diagnostic::error(
                "binary-input",
                0,
                "the input is not text (NUL or control characters); nothing was parsed",
            ));
            Cow::Borrowed("")
        }
        Some(t) => t,
        None => Cow::Borrowed(""),
    };
    if bytes.is_empty() || (text.trim().is_empty() && diags.is_empty()) {
        diags.push(Diagnostic::error(
            "empty-input",
            0,
            "the input holds no text; the document is empty",
        ));
    }
    (normalize_newlines(text), diags)
}

fn decode_inner<'a>(bytes: &'a [u8], diags: &mut Vec<Diagnostic>) -> Option<Cow<'a, str>> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let name = enc.name();
        if enc != encoding_rs::UTF_8 {
            diags.push(Diagnostic::info(
                "decoded-utf16",
                0,
                format!("the input is {name} (byte order mark); decoded to UTF-8"),
            ));
        }
        if had_errors {
            diags.push(Diagnostic::error(
                "invalid-encoding",
                0,
                format!(
                    "the input has bytes that are not valid {name}; they were replaced by U+FFFD"
                ),
            ));
        }
        return Some(text);
    }
    // simdutf8 validates several times faster than std on Japanese text (3-byte
    // characters); std's error is needed only to tell a cut file from a bad one.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Some(Cow::Borrowed(s));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => return Some(Cow::Borrowed(s)),
        Err(e) if e.error_len().is_none() => {
            // Valid up to an incomplete final character: the file was cut.
            let valid = &bytes[..e.valid_up_to()];
            diags.push(Diagnostic::warning(
                "truncated-input",
                line_of(valid),
                format!(
                    "the input ends inside a UTF-8 character; the last {} byte(s) were dropped",
                    bytes.len() - valid.len()
                ),
            ));
            return Some(String::from_utf8_lossy(valid));
        }
        Err(_) => {}
    }
    if bytes.contains(&0) {
        if let Some(text) = utf16_without_bom(bytes) {
            diags.push(Diagnostic::info(
                "decoded-utf16",
                0,
                "the input is UTF-16 without a byte order mark; decoded to UTF-8",
            ));
            return Some(Cow::Owned(text));
        }
        diags.push(Diagnostic::error(
            "binary-input",
            0,
            "the input is not text (NUL bytes); nothing was parsed",
        ));
        return None;
    }
    for (enc, code) in [(SHIFT_JIS, "decoded-shift-jis"), (EUC_JP, "decoded-euc-jp")] {
        if let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
            diags.push(Diagnostic::info(
                code,
                0,
                format!("the input is not UTF-8; it was read as {}", enc.name()),
            ));
            return Some(text);
        }
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
    Some(text)
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
    (text.contains('\n') && !looks_binary(&text)).then(|| text.into_owned())
}

/// More than 1% control characters (other than tab, newline, CR, form feed), or any NUL.
/// Counted on the UTF-8 bytes: C0 controls and DEL are single bytes, C1 controls are
/// `C2 80`–`C2 9F`; characters are the bytes that do not continue a sequence.
fn looks_binary(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Most text has no byte that could count: check that first, 512 bytes at a time,
    // with byte comparisons combined without branches into one byte per chunk (the
    // compiler vectorizes that; a `bool` per byte in 64-byte chunks took more
    // instructions).
    let suspicious = |b: u8| {
        let control = (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') & (b != 0x0c);
        u8::from(control | (b == 0x7F) | (b == 0xC2))
    };
    if !bytes
        .chunks(512)
        .any(|c| c.iter().fold(0u8, |acc, &b| acc | suspicious(b)) != 0)
    {
        return false;
    }
    let (mut total, mut control) = (0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        if b & 0xC0 != 0x80 {
            total += 1;
        }
        match b {
            0 => return true,
            b'\t' | b'\n' | b'\r' | 0x0c => {}
            0x01..=0x1F | 0x7F => control += 1,
            0xC2 if bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)) => control += 1,
            _ => {}
        }
    }
    control > 0 && control * 100 > total
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
}
