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
