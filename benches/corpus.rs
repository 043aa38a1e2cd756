//! `yakkan parse DIR -o OUT` on generated corpora of 100 and 1,000 revisions (variants of
//! the first quarter of the seed, about 23 KB each, ten revisions per document): wall
//! time and the peak memory of the release binary for each. Peak memory must not grow
//! with the number of documents: each revision is written as soon as it is parsed and
//! dropped. Run: `cargo bench --bench corpus` (`YAKKAN_BIN` runs another build).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

const SEED: &str = include_str!("../corpus/iij/general-provisions/2025-07-18.txt");

/// Writes `n` revisions: `n / 10` documents of ten revisions each.
fn corpus(dir: &Path, n: usize) -> u64 {
    let quarter = &SEED[..SEED.char_indices().nth(SEED.chars().count() / 4).unwrap().0];
    let mut bytes = 0;
    for i in 0..n {
        let doc = dir.join(format!("p{}/doc{}", i / 100, i / 10));
        std::fs::create_dir_all(&doc).unwrap();
        let text = quarter.replace("インターネットイニシアティブ", &format!("サンプル通信{i}"));
        bytes += text.len() as u64;
        std::fs::write(doc.join(format!("2025-{:02}-01.txt", i % 10 + 1)), text).unwrap();
    }
    bytes
}

/// Runs the command and returns (seconds, the child's peak resident set in KB).
// (the child is reaped by wait4, which also gives its own peak memory)
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command) -> (f64, i64) {
    let start = Instant::now();
    let child = cmd.spawn().expect("yakkan runs");
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: wait4 writes the exit status and a rusage struct into the pointers given;
    // the pid is our own child's.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, usage.as_mut_ptr()) };
    assert_eq!(pid, child.id() as i32);
    let secs = start.elapsed().as_secs_f64();
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
    // SAFETY: initialised by the successful call above.
    (secs, unsafe { usage.assume_init() }.ru_maxrss)
}

fn main() {
    let bin = std::env::var("YAKKAN_BIN").unwrap_or_else(|_| {
        let status = Command::new("cargo")
            .args(["build", "--release", "--quiet"])
            .status()
            .expect("cargo runs");
        assert!(status.success());
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/yakkan").to_string()
    });
    for n in [100, 1000] {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("corpus");
        let bytes = corpus(&input, n);
        let out = tmp.path().join("out");
        let (secs, kb) = measure(
            Command::new(&bin)
                .arg("parse")
                .arg(&input)
                .arg("-o")
                .arg(&out),
        );
        println!(
            "parse DIR, {n:>5} revisions ({:.1} MB): {secs:.2} s, {:.1} MB/s, peak {:.1} MB",
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / secs,
            kb as f64 / 1024.0
        );
    }
}
