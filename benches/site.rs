//! `yakkan site` on a synthetic corpus of 1,000 documents, generated here (not in git):
//! variants of the seed with their own titles, publishers and wording, every tenth with a
//! second revision (so 100 新旧対照表 pages). Runs the release binary and reports wall
//! time, peak memory (the child's maximum resident set) and the size of what it wrote.
//! Run: `cargo bench --bench site` (set `YAKKAN_SITE_DOCS` for another corpus size).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

const SEED: &str = include_str!("../corpus/iij/general-provisions/2025-07-18.txt");

fn dir_size(dir: &Path) -> (u64, usize) {
    let mut total = (0, 0);
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            let (b, n) = dir_size(&p);
            total.0 += b;
            total.1 += n;
        } else {
            total.0 += e.metadata().unwrap().len();
            total.1 += 1;
        }
    }
    total
}

/// The peak resident set of the finished children, in KB.
fn children_max_rss_kb() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a rusage struct into the pointer it is given.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()) };
    assert_eq!(rc, 0);
    // SAFETY: initialised by the successful call above.
    unsafe { usage.assume_init() }.ru_maxrss
}

fn variant(i: usize) -> String {
    SEED.replace("インターネットイニシアティブ", &format!("サンプル通信{i}"))
        .replace("IIJ", &format!("S{i}"))
        .replace("一般規程", &format!("一般規程{i}"))
        .replace(
            "契約者",
            if i.is_multiple_of(3) {
                "利用者"
            } else {
                "契約者"
            },
        )
}

fn main() {
    let docs: usize = std::env::var("YAKKAN_SITE_DOCS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let mut input_bytes = 0;
    let mut revisions = 0;
    for i in 0..docs {
        let dir = corpus.join(format!("provider{:02}/terms-{i:04}", i % 50));
        std::fs::create_dir_all(&dir).unwrap();
        let text = variant(i);
        input_bytes += text.len();
        revisions += 1;
        std::fs::write(dir.join("2025-07-18.txt"), &text).unwrap();
        if i % 10 == 0 {
            let old = text.replace("速やかに", "直ちに").replace("30日", "14日");
            input_bytes += old.len();
            revisions += 1;
            std::fs::write(dir.join("2024-04-01.txt"), old).unwrap();
        }
    }
    let out = tmp.path().join("site");
    let start = Instant::now();
    let run = Command::new(env!("CARGO_BIN_EXE_yakkan"))
        .arg("site")
        .arg(&corpus)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("yakkan runs");
    let secs = start.elapsed().as_secs_f64();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let rss_mb = children_max_rss_kb() as f64 / 1024.0;
    let (site_bytes, files) = dir_size(&out);
    let (index_bytes, _) = dir_size(&out.join("search"));
    let mb = |b: f64| b / 1_048_576.0;
    println!(
        "site: {docs} documents, {revisions} revisions, {:.1} MB input",
        mb(input_bytes as f64)
    );
    println!(
        "      {secs:.1} s wall ({:.1} MB/s) on {} threads",
        mb(input_bytes as f64) / secs,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "      peak memory {rss_mb:.0} MB ({:.2}× the input)",
        rss_mb / mb(input_bytes as f64)
    );
    println!(
        "      wrote {files} files, {:.1} MB (search index {:.1} MB)",
        mb(site_bytes as f64),
        mb(index_bytes as f64)
    );
    print!("      {}", String::from_utf8_lossy(&run.stderr));
}
