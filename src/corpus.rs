//! Corpus folders for the command line (part of the binary, not the library: it does IO).
//!
//! A corpus folder holds documents, one folder each, one file per revision named by its
//! date (`corpus/iij/general-provisions/2025-07-18.txt`). Every `.txt` file found under the
//! folder is a revision; other files are metadata and left alone. Files are processed in
//! parallel (rayon) with a progress bar on a terminal (indicatif). A file that cannot be
//! read or is not text is reported and skipped; the run goes on.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use yakkan::{Diagnostic, Document};

/// Every `.txt` file under `dir`, sorted; unreadable folders are reported in `problems`.
/// Symbolic links are followed, but each real folder and file is read once (by device
/// and inode): a link back up the tree (`ln -s .. loop`) adds nothing and never loops.
pub fn revisions(dir: &Path, problems: &mut Vec<String>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut seen: HashSet<(u64, u64)> = HashSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        match std::fs::metadata(&d) {
            Ok(m) if !seen.insert((m.dev(), m.ino())) => continue,
            _ => {}
        }
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                problems.push(format!("{}: cannot read folder: {e}", d.display()));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let txt = path.extension().is_some_and(|x| x == "txt");
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => stack.push(path),
                Ok(m) if txt && seen.insert((m.dev(), m.ino())) => out.push(path),
                // (a dangling link: listed, so that reading it reports why)
                Err(_) if txt => out.push(path),
                _ => {}
            }
        }
    }
    out.sort();
    out
}

/// What happened to one file.
pub enum Outcome {
    Parsed {
        doc: Box<Document>,
        diags: Vec<Diagnostic>,
    },
    /// unreadable (`unreadable-input`), or not text (`empty-input`, `binary-input`):
    /// the error-severity diagnostic that says so
    Skipped(Diagnostic),
}

/// A progress bar on standard error when it is a terminal, hidden otherwise.
pub fn progress(len: usize, template: &str) -> ProgressBar {
    use std::io::IsTerminal;
    let bar = ProgressBar::new(len as u64);
    if std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::stderr());
        bar.set_style(ProgressStyle::with_template(template).expect("valid template"));
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar
}

/// Parses every file in parallel and hands each outcome, with the file's index, to
/// `f` in the worker that parsed it: the tree is dropped there, so memory holds one
/// document per worker, not the corpus. The results come back in the files' order.
pub fn parse_each<T: Send>(files: &[PathBuf], f: impl Fn(usize, Outcome) -> T + Sync) -> Vec<T> {
    let bar = progress(files.len(), "{bar:40} {pos}/{len} {msg}");
    let out = files
        .par_iter()
        .enumerate()
        .map(|(i, path)| {
            let outcome = match std::fs::read(path) {
                Err(e) => Outcome::Skipped(Diagnostic::error(
                    "unreadable-input",
                    0,
                    format!("cannot read: {e}"),
                )),
                Ok(bytes) => {
                    let (doc, diags) = yakkan::parse_vec(bytes);
                    match yakkan::unusable(&diags) {
                        Some(d) => Outcome::Skipped(d.clone()),
                        None => Outcome::Parsed {
                            doc: Box::new(doc),
                            diags,
                        },
                    }
                }
            };
            let r = f(i, outcome);
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();
    out
}
