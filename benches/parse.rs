//! Throughput of the pipeline (parse = decode, layout, build, definitions, references) on the seed document and on synthetic documents 10× and
//! 100× its size (the seed's articles repeated with fresh numbers).
//! Run: `cargo bench` (divan prints MB/s per benchmark).
//!
//! The benchmarks run with the allocator of the `yakkan` command (mimalloc), so they
//! measure what a user of the command gets; a library user's allocator is their own.

use divan::counter::BytesCount;
use divan::Bencher;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

const SEED: &str = include_str!("../corpus/iij/general-provisions/2025-07-18.txt");

/// The seed's body repeated `n` times, articles renumbered so IDs stay unique.
fn synthetic(n: usize) -> String {
    synthetic_from(SEED, n)
}

fn synthetic_from(text: &str, n: usize) -> String {
    let body_end = text.find("附則").expect("has 附則");
    let (body, suppl) = text.split_at(body_end);
    let mut out = String::with_capacity(text.len() * n);
    for k in 0..n {
        let shifted = body.replace("第 ", &format!("第 {k}0"));
        out.push_str(if k == 0 { body } else { &shifted });
    }
    out.push_str(suppl);
    out
}

fn input(scale: usize) -> String {
    if scale == 1 {
        SEED.to_string()
    } else {
        synthetic(scale)
    }
}

#[divan::bench(args = [1, 10, 100])]
fn decode_and_layout(bencher: Bencher, scale: usize) {
    let text = input(scale);
    bencher.counter(BytesCount::of_str(&text)).bench(|| {
        // UTF-8 is decoded in place, so the layout borrows `text` and can be returned
        // (divan drops it outside the timed run, as it does the parse benchmark's tree)
        let (t, _) = yakkan::decode::decode(divan::black_box(text.as_bytes()));
        let std::borrow::Cow::Borrowed(t) = t else {
            panic!("UTF-8 input is borrowed, not copied")
        };
        yakkan::layout::layout(t)
    });
}

#[divan::bench(args = [1, 10, 100])]
fn parse(bencher: Bencher, scale: usize) {
    let text = input(scale);
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| yakkan::parse(divan::black_box(text.as_bytes())));
}

/// One resolve stage alone, on an already built tree (a fresh copy per run).
fn resolve_stage(
    bencher: Bencher,
    scale: usize,
    stage: fn(&mut yakkan::Document) -> Vec<yakkan::Diagnostic>,
) {
    let text = input(scale);
    let layout = yakkan::layout::layout(&text);
    let (doc, _) = yakkan::build::build(&layout);
    bencher
        .counter(BytesCount::of_str(&text))
        .with_inputs(|| doc.clone())
        .bench_local_values(|mut doc| stage(&mut doc));
}

/// Definitions alone (table, inline, use tracking).
#[divan::bench(args = [1, 10])]
fn definitions(bencher: Bencher, scale: usize) {
    resolve_stage(bencher, scale, yakkan::defs::resolve);
}

/// Cross-references alone (find, resolve, backlinks).
#[divan::bench(args = [1, 10])]
fn references(bencher: Bencher, scale: usize) {
    resolve_stage(bencher, scale, yakkan::refs::resolve);
}

/// Structural diff of two revisions (the seed and the seed with an article inserted),
/// both parsed beforehand; 10× and 100× repeat the body on both sides.
#[divan::bench(args = [1, 10, 100], sample_count = 10)]
fn diff(bencher: Bencher, scale: usize) {
    const NEW: &str = include_str!("../fixtures/revisions/insert-article/new.txt");
    let (old_text, new_text) = (synthetic_from(SEED, scale), synthetic_from(NEW, scale));
    let (old, _) = yakkan::parse(old_text.as_bytes());
    let (new, _) = yakkan::parse(new_text.as_bytes());
    bencher.counter(BytesCount::of_str(&old_text)).bench(|| {
        yakkan::diff::compare(divan::black_box(&old), &new)
            .changes
            .len()
    });
}

#[divan::bench(args = [1, 10, 100])]
fn render_json(bencher: Bencher, scale: usize) {
    let text = input(scale);
    let (doc, diags) = yakkan::parse(text.as_bytes());
    let out_len = yakkan::to_json(&doc, &diags, true).len();
    bencher
        .counter(BytesCount::new(out_len))
        .bench(|| yakkan::to_json(divan::black_box(&doc), &diags, true));
}

#[divan::bench]
fn render_text(bencher: Bencher) {
    let (doc, _) = yakkan::parse(SEED.as_bytes());
    let out_len = yakkan::text::render(&doc).len();
    bencher
        .counter(BytesCount::new(out_len))
        .bench(|| yakkan::text::render(divan::black_box(&doc)));
}

/// One document's share of `yakkan site`: parse, page, search records and grams.
#[divan::bench]
fn site_document(bencher: Bencher) {
    bencher.counter(BytesCount::new(SEED.len())).bench(|| {
        yakkan::site::render_document(
            yakkan::site::DocumentInput {
                path: "iij/general-provisions".into(),
                title: None,
                publisher: None,
                revisions: vec![yakkan::site::RevisionInput {
                    date: "2025-07-18".into(),
                    bytes: SEED.as_bytes().to_vec(),
                }],
            },
            0,
        )
    });
}

/// Inputs that were once quadratic (issue 22), each benchmarked as a parse and as the
/// stage that was slow, with the same byte counter: each stage should run within 3× a
/// parse of the same input.
mod worst {
    use std::fmt::Write;

    /// `n` articles with distinct texts.
    pub fn articles(n: usize) -> String {
        let mut s = String::new();
        for i in 1..=n {
            let _ = writeln!(s, "第{i}条（事項{i}）\n当社は、第{i}号の事項を定めます。");
        }
        s
    }

    /// `n` copies of one article, `第1条`.
    pub fn duplicates(n: usize, text: &str) -> String {
        format!("第1条（目的）\n{text}\n").repeat(n)
    }

    /// `n` chapters of one article each.
    pub fn chapters(n: usize) -> String {
        let mut s = String::new();
        for i in 1..=n {
            let _ = writeln!(
                s,
                "第{i}章 総則{i}\n第{i}条（目的{i}）\n前条の規定は、第{}条に準用します。",
                i.max(2) - 1
            );
        }
        s
    }

    /// One article and `n` dated 附則 entries in era `era` (lines ended by a space, as
    /// the seed's hard line ends are, so that no line reads as wrapped).
    pub fn entries(n: usize, era: &str) -> String {
        let mut s = String::from("第1条（目的） \nこの約款は適用します。 \n附則 \n");
        for i in 0..n {
            let (y, m, d) = (2 + i % 29, 1 + i % 12, 1 + i % 28);
            let _ = writeln!(
                s,
                "{era}{y}年{m}月{d}日変更 \nこの契約約款は、{era}{y}年{m}月{d}日から実施します。 "
            );
        }
        s
    }

    pub fn parsed(text: &str) -> yakkan::Document {
        yakkan::parse(text.as_bytes()).0
    }
}

#[divan::bench(args = ["articles_64k", "duplicates_128k", "chapters_40k", "entries_40k"], sample_count = 10)]
fn worst_parse(bencher: Bencher, input: &str) {
    let text = match input {
        "articles_64k" => worst::articles(64_000),
        "duplicates_128k" => worst::duplicates(128_000, "この約款は適用します。"),
        "chapters_40k" => worst::chapters(40_000),
        _ => worst::entries(40_000, "平成"),
    };
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| yakkan::parse(divan::black_box(text.as_bytes())));
}

/// The diffs that were quadratic: one article against 64,000; 128,000 copies of 第1条
/// against 128,000 reworded ones; 40,000 附則 entries against 40,000 others. The
/// counter is the larger side's bytes, as in `worst_parse`.
#[divan::bench(args = ["articles_64k", "duplicates_128k", "entries_40k"], sample_count = 10)]
fn worst_diff(bencher: Bencher, input: &str) {
    let (old, new) = match input {
        "articles_64k" => (worst::articles(1), worst::articles(64_000)),
        "duplicates_128k" => (
            worst::duplicates(128_000, "この約款は適用します。"),
            worst::duplicates(128_000, "この約款は全ての契約に適用します。"),
        ),
        _ => (
            worst::entries(40_000, "平成"),
            worst::entries(40_000, "令和"),
        ),
    };
    let (a, b) = (worst::parsed(&old), worst::parsed(&new));
    bencher
        .counter(BytesCount::new(old.len().max(new.len())))
        .bench(|| {
            yakkan::diff::compare(divan::black_box(&a), &b)
                .changes
                .len()
        });
}

/// The reference graph of 40,000 chapters, built and drawn in both formats that
/// cluster by chapter (a scan of every node per chapter was quadratic).
#[divan::bench(sample_count = 10)]
fn worst_graph(bencher: Bencher) {
    let text = worst::chapters(40_000);
    let doc = worst::parsed(&text);
    bencher.counter(BytesCount::of_str(&text)).bench(|| {
        let g = yakkan::graph::build(divan::black_box(&doc), yakkan::graph::Level::Article);
        yakkan::graph::to_dot(&g).len() + yakkan::graph::to_mermaid(&g).len()
    });
}

/// The 10× document in another format (Markdown and HTML as yakkan renders it, .docx
/// with one paragraph per logical line), and the largest statute of `../shared/real` as
/// e-Gov XML when it is there: each reader and the parse behind it, per input byte.
fn formatted(format: &str) -> Option<(Vec<u8>, yakkan::read::Format)> {
    use yakkan::read::Format;
    let (doc, _) = yakkan::parse(input(10).as_bytes());
    Some(match format {
        "markdown" => (
            yakkan::markdown::render(&doc).into_bytes(),
            Format::Markdown,
        ),
        "html" => (
            yakkan::markdown::render_html(&doc).into_bytes(),
            Format::Html,
        ),
        "egov_xml" => {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../shared/real/raw/st-kaisha-2017.xml"
            );
            (std::fs::read(path).ok()?, Format::EgovXml)
        }
        _ => {
            use std::io::Write;
            let text = yakkan::text::render(&doc);
            let esc = |s: &str| {
                s.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
            };
            let body: String = text
                .lines()
                .map(|l| {
                    format!(
                        "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                        esc(l)
                    )
                })
                .collect();
            let xml = format!(
                "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
            );
            let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            zip.start_file(
                "word/document.xml",
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            zip.write_all(xml.as_bytes()).unwrap();
            (zip.finish().unwrap().into_inner(), Format::Docx)
        }
    })
}

#[divan::bench(args = ["markdown", "html", "egov_xml", "docx"], sample_count = 20)]
fn read_format(bencher: Bencher, format: &str) {
    let Some((bytes, format)) = formatted(format) else {
        return;
    };
    bencher
        .counter(BytesCount::new(bytes.len()))
        .bench(|| yakkan::parse_as(divan::black_box(bytes.clone()), format));
}
