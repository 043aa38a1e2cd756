//! Corpus folders for the command line (part of the binary, not the library: it does IO).
//!
//! A corpus folder holds documents, one folder each, one file per revision named by its
//! date (`corpus/iij/general-provisions/2025-07-18.txt`). Every `.txt` file found under the
//! folder is a revision; other files are metadata and left alone. Files are processed in
//! parallel (rayon) with a progress bar on a terminal (indicatif). A file that cannot be
//! read or is not text is reported and skipped; the run goes on.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use yakkan::{Diagnostic, Document};

/// Every `.txt` file under `dir`, sorted; unreadable folders are reported in `problems`.
pub fn revisions(dir: &Path, problems: &mut Vec<String>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                problems.push(format!("{}: cannot read folder: {e}", d.display()));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "txt") {
                out.push(path);
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
    /// unreadable, or not text: the reason
    Skipped(String),
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

/// Parses every file in parallel.
pub fn parse_all(files: &[PathBuf]) -> Vec<Outcome> {
    let bar = progress(files.len(), "{bar:40} {pos}/{len} {msg}");
    let out = files
        .par_iter()
        .map(|path| {
            let outcome = match std::fs::read(path) {
                Err(e) => Outcome::Skipped(format!("cannot read: {e}")),
                Ok(bytes) => {
                    let (doc, diags) = yakkan::parse_vec(bytes);
                    match yakkan::unusable(&diags) {
                        Some(d) => Outcome::Skipped(d.message.clone()),
                        None => Outcome::Parsed {
                            doc: Box::new(doc),
                            diags,
                        },
                    }
                }
            };
            bar.inc(1);
            outcome
        })
        .collect();
    bar.finish_and_clear();
    out
}
