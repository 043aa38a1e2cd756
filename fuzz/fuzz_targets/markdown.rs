//! Any bytes read as Markdown: the reader and the parser behind it must finish without
//! panicking, with unique IDs, and every renderer must take the tree.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (doc, diags) = yakkan::parse_as(data.to_vec(), yakkan::read::Format::Markdown);
    let _ = yakkan::to_json(&doc, &diags, false);
    let _ = yakkan::text::render(&doc);
    let _ = yakkan::markdown::render_html(&doc);
    let mut ids: Vec<&str> = doc.nodes().iter().map(|n| n.id.as_str()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "IDs are unique");
});
