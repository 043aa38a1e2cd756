//! Any bytes: parsing, every renderer and every export must finish without panicking,
//! and the text output must keep every character (nothing lost).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (doc, diags) = yakkan::parse(data);
    let _ = yakkan::to_json(&doc, &diags, false);
    let text = yakkan::text::render(&doc);
    let _ = yakkan::markdown::render_html(&doc);
    for f in [yakkan::export::DefsFormat::Csv, yakkan::export::DefsFormat::Tbx] {
        let _ = yakkan::export::definitions(&doc, f, Default::default());
    }
    let _ = yakkan::export::references_tsv(&doc, false);
    let g = yakkan::graph::build(&doc, yakkan::graph::Level::Paragraph);
    let _ = (yakkan::graph::to_dot(&g), yakkan::graph::to_mermaid(&g));
    // Nothing lost: the input's non-space characters, minus dropped footers, are in the text.
    if !diags.iter().any(|d| d.severity == yakkan::Severity::Error) {
        let (input, _) = yakkan::decode::decode(data);
        let count = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
        let dropped: usize = diags.iter().filter_map(|d| d.dropped.as_deref()).map(count).sum();
        assert_eq!(count(&input) - dropped, count(&text));
    }
});
