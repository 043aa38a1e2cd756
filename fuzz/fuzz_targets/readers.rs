//! Any bytes read as HTML, e-Gov XML, .docx or PDF (the first byte chooses): the readers and
//! the parser behind them must finish without panicking, with unique IDs, and the
//! renderers must take the tree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yakkan::read::Format;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let format = [Format::Html, Format::EgovXml, Format::Docx, Format::Pdf][usize::from(first) % 4];
    let (doc, diags) = yakkan::parse_as(rest.to_vec(), format);
    let _ = yakkan::to_json(&doc, &diags, false);
    let _ = yakkan::text::render(&doc);
    let _ = yakkan::markdown::render_html(&doc);
    let mut ids: Vec<&str> = doc.nodes().iter().map(|n| n.id.as_str()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "IDs are unique");
});
