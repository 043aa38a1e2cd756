//! Two arbitrary documents (the input split at its first NUL byte): the structural diff and
//! its renderers must finish without panicking, and a document compared with itself has
//! no change.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len() / 2);
    let (a, b) = (&data[..split], &data[(split + 1).min(data.len())..]);
    let (old, _) = yakkan::parse(a);
    let (new, _) = yakkan::parse(b);
    let cmp = yakkan::diff::compare(&old, &new);
    let _ = yakkan::taisho::text(&cmp, true);
    let _ = yakkan::taisho::markdown(&cmp);
    let _ = yakkan::taisho::html(&cmp, Default::default());
    let _ = serde_json::to_string(&cmp.report());
    assert!(yakkan::diff::compare(&old, &old).changes.is_empty());
});
