//! Parsing never fails: arbitrary bytes never panic, and on text built from the
//! characters terms documents are made of, nothing is lost and IDs stay unique (as text,
//! and wrapped in Markdown markup, through the Markdown reader).

mod common;

use proptest::prelude::*;

/// Lines made of the pieces that trip the grammar: headings, numbers in every script,
/// brackets, dates, spaces of both widths, footers and page-break marks.
fn terms_text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "第",
        "1",
        "13",
        "十三",
        "３",
        "条",
        "章",
        "節",
        "の",
        "2",
        "（",
        "）",
        "(",
        ")",
        "用語",
        "附則",
        "附　則",
        "平成",
        "令和",
        "元",
        "年",
        "月",
        "日",
        "変更",
        "現在",
        "一",
        "イ",
        "ア",
        "①",
        "a.",
        "。",
        "、",
        " ",
        "　",
        "当社は",
        "契約者",
        "IIJ",
        "ABC-001",
        "- 2 -",
        "用語の意味",
        "株式会社",
        "\t",
    ]);
    let line = prop::collection::vec(piece, 0..8).prop_map(|p| p.concat());
    prop::collection::vec((line, prop::bool::ANY, prop::bool::ANY), 0..40).prop_map(|lines| {
        let mut s = String::new();
        for (l, lead, spacer) in lines {
            if lead {
                s.push(' ');
            }
            s.push_str(&l);
            s.push('\n');
            if spacer {
                s.push('\n');
            }
        }
        s
    })
}

/// Markdown made of terms text and the markup around it: headings, lists at several
/// indents, tables, emphasis, code spans, comments, front-matter fences.
fn markdown_text() -> impl Strategy<Value = String> {
    let markup = prop::sample::select(vec![
        "",
        "# ",
        "### ",
        "- ",
        "1. ",
        "  1. ",
        "\t- ",
        "    ",
        "| ",
        " | ",
        "|---|---|",
        "**",
        "`",
        "<!-- ",
        " -->",
        "<br>",
        "<a href=\"x\">",
        "---",
        "> ",
    ]);
    prop::collection::vec((markup, terms_text()), 0..12).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(m, t)| format!("{m}{t}"))
            .collect::<String>()
    })
}

/// Terms text as an HTML page: each line in a block of some kind (a paragraph, a list
/// item, a table row, a heading, a `<div>` with a `<br>`, a ruby, bare text).
fn html_text() -> impl Strategy<Value = String> {
    (terms_text(), prop::collection::vec(0u8..7, 1..40)).prop_map(|(text, kinds)| {
        let esc = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        };
        let mut html = String::from("<!DOCTYPE html><html><body>\n");
        for (i, line) in text.lines().enumerate() {
            let l = esc(line);
            let block = match kinds[i % kinds.len()] {
                0 => format!("<p>{l}</p>"),
                1 => format!("<ol><li>{l}</li></ol>"),
                2 => format!("<table><tr><td>{l}</td><td>備考</td></tr></table>"),
                3 => format!("<h3>{l}</h3>"),
                4 => format!("<div>{l}<br>続き</div>"),
                5 => format!("<p><ruby>{l}<rt>よみ</rt></ruby></p>"),
                _ => l,
            };
            html.push_str(&block);
            html.push('\n');
        }
        html.push_str("</body></html>\n");
        html
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn html_keeps_its_text_and_ids_unique(html in html_text()) {
        let (doc, diags) = yakkan::parse_as(html.clone().into_bytes(), yakkan::read::Format::Html);
        common::assert_html_text_kept(html.as_bytes(), &doc, &diags);
        common::assert_ids_unique(&doc, &html);
    }

    #[test]
    fn arbitrary_bytes_in_every_format_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..2000),
        format in 0usize..6,
    ) {
        use yakkan::read::Format;
        let format = [Format::Text, Format::Markdown, Format::Html, Format::EgovXml, Format::Docx, Format::Pdf][format];
        let (doc, diags) = yakkan::parse_as(bytes, format);
        let _ = yakkan::to_json(&doc, &diags, false);
        let _ = yakkan::text::render(&doc);
        common::assert_ids_unique(&doc, "arbitrary bytes");
    }

    #[test]
    fn markdown_keeps_its_text_and_ids_unique(text in markdown_text()) {
        let (doc, diags) = yakkan::parse_as(text.clone().into_bytes(), yakkan::read::Format::Markdown);
        common::assert_markdown_text_kept(text.as_bytes(), &doc, &diags);
        common::assert_ids_unique(&doc, &text);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let (doc, diags) = yakkan::parse(&bytes);
        let _ = yakkan::to_json(&doc, &diags, false);
        let _ = yakkan::text::render(&doc);
    }

    #[test]
    fn nothing_lost_and_ids_unique(text in terms_text()) {
        let (doc, diags) = yakkan::parse(text.as_bytes());
        common::assert_nothing_lost(text.as_bytes(), &doc, &diags);
        common::assert_ids_unique(&doc, &text);
    }
}

#[test]
fn long_lines_and_many_headings_stay_fast_enough_to_finish() {
    // Not a timing assertion (that lives in the benchmarks): these inputs must simply
    // complete, which a quadratic path would not do in a test run's time.
    let long = "あ".repeat(2_000_000);
    let (doc, _) = yakkan::parse(long.as_bytes());
    assert_eq!(doc.meta.title, None);
    let many = "第1条\n".repeat(50_000);
    let (doc, diags) = yakkan::parse(many.as_bytes());
    assert_eq!(doc.body.len(), 50_000);
    assert_eq!(
        diags.iter().filter(|d| d.code == "duplicate-id").count(),
        49_999
    );
}
