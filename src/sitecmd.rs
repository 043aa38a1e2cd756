//! `yakkan site`: the IO around [`yakkan::site`] (part of the binary).
//!
//! Finds the documents of a corpus folder (a folder holding `.txt` revisions, with an
//! optional `document.json` giving `title` and `publisher`), renders them in parallel
//! with a progress bar, writes everything into a staging folder next to OUT_DIR and
//! swaps it into place in one step only when complete ([`crate::staging`]), so a failed
//! or killed build leaves the previous site as it was. OUT_DIR must be new, empty, or a
//! site yakkan built (it holds `.yakkan-site`), and must not hold the corpus or any of
//! its revisions: the swap never deletes a folder it did not make, nor an input.
//! `--serve` then serves the site on 127.0.0.1 ([`crate::serve`]).

use crate::corpus;
use crate::output;
use crate::staging::{self, Staging};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use yakkan::site::search::{self, IndexBuilder};
use yakkan::site::{self, DocumentInput, RevisionInput};

const MARKER: &str = ".yakkan-site";

/// What a build did, for the summary line.
pub struct Summary {
    pub documents: usize,
    pub revisions: usize,
    pub pages: usize,
    pub index_bytes: u64,
    pub provisions: u32,
    pub skipped: usize,
    pub seconds: f64,
}

#[derive(serde::Deserialize, Default)]
struct DocumentJson {
    title: Option<String>,
    publisher: Option<String>,
}

/// The documents of a corpus: folder (relative, `/`-separated) → its revision files.
fn documents(dir: &Path, problems: &mut Vec<String>) -> BTreeMap<String, Vec<PathBuf>> {
    let mut docs: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let mut unread = Vec::new();
    let files = corpus::revisions(dir, &mut unread);
    problems.extend(unread.into_iter().map(|p| format!("yakkan: {p}")));
    for file in files {
        let parent = file.parent().unwrap_or(dir);
        let rel = parent.strip_prefix(dir).unwrap_or(parent);
        let key = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        docs.entry(key).or_default().push(file);
    }
    docs
}

/// Writes a file of the staged site (nothing once a signal is ending the process).
fn write(root: &Path, rel: &str, content: &[u8]) -> Result<(), String> {
    let path = root.join(rel);
    output::guarded(|| {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, content)
    })
    .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn load(dir: &Path, rel: &str, files: &[PathBuf], problems: &mut Vec<String>) -> DocumentInput {
    let folder = if rel.is_empty() {
        dir.to_path_buf()
    } else {
        dir.join(rel)
    };
    let meta: DocumentJson = std::fs::read(folder.join("document.json"))
        .ok()
        .and_then(|b| match serde_json::from_slice(&b) {
            Ok(m) => Some(m),
            Err(e) => {
                problems.push(format!(
                    "yakkan: {}: document.json ignored: {e}\n",
                    folder.display()
                ));
                None
            }
        })
        .unwrap_or_default();
    let mut revisions = Vec::new();
    for f in files {
        match std::fs::read(f) {
            Ok(bytes) => revisions.push(RevisionInput {
                date: f
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                bytes,
            }),
            Err(e) => problems.push(crate::check_line(
                &f.display().to_string(),
                &corpus::unreadable(&e),
            )),
        }
    }
    DocumentInput {
        path: rel.to_string(),
        title: meta.title,
        publisher: meta.publisher,
        revisions,
    }
}

/// Refuses to replace a folder that yakkan did not build (`out` resolved, `shown` as
/// the user wrote it).
fn check_target(out: &Path, shown: &Path) -> Result<(), String> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(format!("{} exists and is not a folder", shown.display()));
    }
    let empty = std::fs::read_dir(out)
        .map_err(|e| format!("cannot read {}: {e}", shown.display()))?
        .next()
        .is_none();
    if empty || out.join(MARKER).exists() {
        Ok(())
    } else {
        Err(format!(
            "{} is not empty and is not a site built by yakkan; choose another folder",
            shown.display()
        ))
    }
}

/// Refuses a site folder that would replace the corpus or any of its revisions.
fn check_inputs(corpus: &Path, out: &Path, files: &[&PathBuf]) -> Result<(), String> {
    let corpus = std::fs::canonicalize(corpus).unwrap_or_else(|_| corpus.to_path_buf());
    if corpus.starts_with(out) {
        return Err(format!(
            "refusing to write {}: it holds the corpus {}",
            out.display(),
            corpus.display()
        ));
    }
    for f in files {
        if std::fs::canonicalize(f).is_ok_and(|f| f.starts_with(out)) {
            return Err(format!(
                "refusing to write {}: it holds {}, an input of this run",
                out.display(),
                f.display()
            ));
        }
    }
    Ok(())
}

/// Builds the site of `corpus_dir` into `out`.
pub fn build(corpus_dir: &Path, out: &Path) -> Result<(Summary, Vec<String>), String> {
    let start = Instant::now();
    if !corpus_dir.is_dir() {
        return Err(format!("{} is not a folder", corpus_dir.display()));
    }
    let target = staging::resolve(out)?;
    let mut problems = Vec::new();
    let docs = documents(corpus_dir, &mut problems);
    check_inputs(
        corpus_dir,
        &target,
        &docs.values().flatten().collect::<Vec<_>>(),
    )?;
    check_target(&target, out)?;
    let staging = Staging::new(&target)?;
    let root = staging.path();
    let bar = corpus::progress(docs.len(), "{bar:40} {pos}/{len} documents {msg}");
    let list: Vec<(&String, &Vec<PathBuf>)> = docs.iter().collect();
    let input_bytes: u64 = docs
        .values()
        .flatten()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let mut index = IndexBuilder::new(search::shards_for(input_bytes));
    // Postings go to run files per shard as they pile up, so the index does not hold
    // the corpus's postings in memory.
    let runs = root.join(".runs");
    std::fs::create_dir(&runs).map_err(|e| format!("cannot create {}: {e}", runs.display()))?;
    let mut summaries = Vec::new();
    let mut pages = 0;
    let mut revisions = 0;
    let mut skipped = 0;
    // Documents are rendered in parallel a batch at a time and their pages written at
    // once, so memory holds a batch of documents, not the corpus.
    let batch = rayon::current_num_threads() * 4;
    for (b, chunk) in list.chunks(batch).enumerate() {
        type Done = (site::DocumentOutput, Vec<String>, usize);
        let results: Vec<Result<Done, String>> = chunk
            .par_iter()
            .enumerate()
            .map(|(i, (rel, files))| {
                let mut problems = Vec::new();
                let input = load(corpus_dir, rel, files, &mut problems);
                let unreadable = files.len() - input.revisions.len();
                let mut output = site::render_document(input, b * batch + i);
                for (path, content) in std::mem::take(&mut output.files) {
                    write(root, &path, content.as_bytes())?;
                }
                for (date, d) in &output.skipped {
                    let file = corpus_dir.join(rel).join(format!("{date}.txt"));
                    problems.push(crate::check_line(&file.display().to_string(), d));
                }
                bar.inc(1);
                let skipped = unreadable + output.skipped.len();
                Ok((output, problems, skipped))
            })
            .collect();
        for r in results {
            let (output, more, n_skipped) = r?;
            problems.extend(more);
            skipped += n_skipped;
            let n = output.summary.revisions.len();
            revisions += n;
            pages += 1 + n + n.saturating_sub(1);
            site::index_document(&mut index, &output);
            summaries.push(output.summary);
        }
        if index.pending() > SPILL_POSTINGS {
            spill(&mut index, &runs)?;
        }
    }
    spill(&mut index, &runs)?;
    bar.finish_and_clear();
    let provisions = index.len();
    write(root, "search/meta.json", index.meta_file().as_bytes())?;
    (0..index.shards()).into_par_iter().try_for_each(|shard| {
        let path = runs.join(format!("{shard}.bin"));
        let run = match std::fs::read(&path) {
            Ok(run) => run,
            // No gram fell into this shard.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        write(
            root,
            &format!("search/p/{shard}.json"),
            search::shard_file(&run).as_bytes(),
        )
    })?;
    std::fs::remove_dir_all(&runs).map_err(|e| format!("cannot remove {}: {e}", runs.display()))?;
    let index_bytes = dir_size(&root.join("search"));
    for (path, content) in site::common_files(&summaries) {
        if path.ends_with(".html") {
            pages += 1;
        }
        write(root, &path, content.as_bytes())?;
    }
    write(root, MARKER, b"built by yakkan site\n")?;
    staging.commit()?;
    Ok((
        Summary {
            documents: summaries.len(),
            revisions,
            pages,
            index_bytes,
            provisions,
            skipped,
            seconds: start.elapsed().as_secs_f64(),
        },
        problems,
    ))
}

/// Postings held in memory before they go to the run files (4 bytes each).
const SPILL_POSTINGS: usize = 4_000_000;

/// Appends the pending postings to the run file of each shard.
fn spill(index: &mut IndexBuilder, dir: &Path) -> Result<(), String> {
    use std::io::Write;
    for (shard, run) in index.drain() {
        let path = dir.join(format!("{shard}.bin"));
        output::guarded(|| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .and_then(|mut f| f.write_all(&run))
        })
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Bytes of the files under `dir`.
fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|it| {
            it.flatten()
                .map(|e| match e.file_type() {
                    Ok(t) if t.is_dir() => dir_size(&e.path()),
                    _ => e.metadata().map_or(0, |m| m.len()),
                })
                .sum()
        })
        .unwrap_or(0)
}
