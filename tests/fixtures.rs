//! One snapshot per fixture: the JSON tree (the contract) and the clean text.
//! Every snapshot was read against its fixture before it was accepted.

mod common;

#[test]
fn fixture_snapshots() {
    insta::glob!("../fixtures", "*.*", |path: &std::path::Path| {
        let bytes = common::fixture_bytes(path);
        let (doc, diags) = common::parse_fixture(path, &bytes);
        let text = yakkan::text::render(&doc);
        let json = yakkan::to_json(&doc, &diags, true);
        insta::assert_snapshot!("text", text);
        insta::assert_snapshot!("json", json);
    });
}

#[test]
fn nothing_lost_in_any_fixture() {
    for path in common::fixtures() {
        let bytes = common::fixture_bytes(&path);
        let (doc, diags) = common::parse_fixture(&path, &bytes);
        match yakkan::read::Format::of_name(&path.to_string_lossy()) {
            yakkan::read::Format::Markdown => {
                common::assert_markdown_text_kept(&bytes, &doc, &diags)
            }
            yakkan::read::Format::Html => common::assert_html_text_kept(&bytes, &doc, &diags),
            yakkan::read::Format::EgovXml => common::assert_xml_text_kept(&bytes, &doc, &diags),
            _ => common::assert_nothing_lost(&bytes, &doc, &diags),
        }
    }
}

#[test]
fn fixture_ids_are_unique() {
    for path in common::fixtures() {
        let (doc, _) = common::parse_fixture(&path, &common::fixture_bytes(&path));
        common::assert_ids_unique(&doc, &path.display().to_string());
    }
}
