//! Corpus folders for the command line (part of the binary, not the library: it does IO).
//!
//! A corpus folder holds documents, one folder each, one file per revision named by its
//! date (`corpus/iij/general-provisions/2025-07-18.txt`). Every `.txt` file found under the
//! folder is a revision; other files are metadata and left alone. Files are processed in
//! parallel (rayon) with a progress bar on a terminal (indicatif). A file that cannot be
//! read or is not text is reported and skipped; the run goes on. `parse DIR -o OUT` and
//! `check` over folders live here.

use crate::{check_line, emit, output, read_input, write_parsed, Failure, Format};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use yakkan::text::printable;
use yakkan::{Diagnostic, Document, Severity};

/// Extensions of revision files besides `.txt`, read when the name starts with a date.
const REVISION_EXTENSIONS: &[&str] = &["md", "markdown", "html", "htm", "xml", "docx", "pdf"];

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
            // (a Markdown, HTML … revision is named by its date: a folder's README.md or
            // index.html is not one)
            let dated = || {
                path.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
            };
            let txt = path
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| x == "txt" || (REVISION_EXTENSIONS.contains(&x) && dated()));
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

/// The diagnostic of a revision file that cannot be read.
pub fn unreadable(e: &std::io::Error) -> Diagnostic {
    Diagnostic::error("unreadable-input", 0, format!("cannot read: {e}"))
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
                Err(e) => Outcome::Skipped(unreadable(&e)),
                Ok(bytes) => {
                    let format = crate::format_of(&path.to_string_lossy(), &bytes);
                    let (doc, diags) = yakkan::parse_as(bytes, format);
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

/// `check FILE…`: every diagnostic of every file (folders revision by revision) at
/// `min` or above, in order; exit 1 when any file has an error.
pub fn check(files: &[String], min: Severity) -> Result<ExitCode, Failure> {
    let mut problems = Vec::new();
    let mut paths = Vec::new();
    let mut stdin = None;
    for f in files {
        let p = Path::new(f);
        if f == "-" {
            if stdin.is_some() {
                return Err("check: standard input (`-`) can be given only once".into());
            }
            stdin = Some(read_input(f)?);
        } else if p.is_dir() {
            paths.extend(revisions(p, &mut problems));
        } else if p.exists() {
            paths.push(p.to_path_buf());
        } else {
            return Err(format!("cannot read {f}: no such file or folder").into());
        }
    }
    let mut failed = !problems.is_empty();
    let mut report = String::new();
    for p in &problems {
        report.push_str(&printable(p));
        report.push('\n');
    }
    let mut add = |name: &str, diags: &[Diagnostic]| {
        failed |= diags.iter().any(|d| d.severity == Severity::Error);
        for d in diags.iter().filter(|d| d.severity >= min) {
            report.push_str(&check_line(name, d));
        }
    };
    if let Some(bytes) = stdin {
        let format = crate::format_of("-", &bytes);
        add("-", &yakkan::parse_as(bytes, format).1);
    }
    // Each worker keeps only its file's diagnostics, not the tree.
    let found = parse_each(&paths, |_, outcome| match outcome {
        Outcome::Parsed { diags, .. } => diags,
        Outcome::Skipped(d) => vec![d],
    });
    for (path, diags) in paths.iter().zip(found) {
        add(&path.display().to_string(), &diags);
    }
    emit(None, report.as_bytes())?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `parse FOLDER -o OUT_DIR`: one file per revision, mirroring the folder, and
/// index.json. Each revision is written as soon as it is parsed and dropped, so memory
/// holds a few documents (one per worker), not the corpus.
pub fn parse_folder(
    dir: &Path,
    format: Format,
    compact: bool,
    output: Option<PathBuf>,
) -> Result<ExitCode, Failure> {
    let out_dir = output.ok_or("parsing a folder needs -o OUT_DIR")?;
    let ext = match format {
        Format::Json => "json",
        Format::Text => "txt",
    };
    let mut problems = Vec::new();
    let files = revisions(dir, &mut problems);
    let rel = |path: &Path| path.strip_prefix(dir).unwrap_or(path).to_path_buf();
    let targets: Vec<PathBuf> = files
        .iter()
        .map(|f| out_dir.join(rel(f)).with_extension(ext))
        .collect();
    let index_path = out_dir.join("index.json");
    // Nothing is written before every output is known not to be an input.
    let mut inputs = output::Inputs::default();
    for f in &files {
        inputs.add(f);
    }
    for t in targets.iter().chain([&index_path]) {
        inputs.check(t)?;
    }
    make_output_dir(&out_dir)?;
    let mut skipped = problems.len();
    for p in &problems {
        eprintln!("yakkan: {}", printable(p));
    }
    let entries = parse_each(&files, |i, outcome| {
        let path = &files[i];
        let source = rel(path).display().to_string();
        match outcome {
            Outcome::Parsed { doc, diags } => {
                let target = &targets[i];
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                }
                output::write_with(target, |w| write_parsed(w, format, compact, &doc, &diags))?;
                let (errors, warnings) = yakkan::diag::counts(&diags);
                Ok(serde_json::json!({
                    "source": source,
                    "output": target.strip_prefix(&out_dir).unwrap_or(target).display().to_string(),
                    "title": doc.meta.title,
                    "as_of": doc.meta.as_of,
                    "errors": errors,
                    "warnings": warnings,
                }))
            }
            Outcome::Skipped(d) => {
                eprint!("{}", check_line(&path.display().to_string(), &d));
                Ok(serde_json::json!({ "source": source, "skipped": d.message, "code": d.code }))
            }
        }
    });
    let mut index = Vec::with_capacity(entries.len());
    for e in entries {
        let e: serde_json::Value = e.map_err(Failure::Usage)?;
        skipped += usize::from(e.get("skipped").is_some());
        index.push(e);
    }
    let index = serde_json::to_string_pretty(&serde_json::json!({ "revisions": index }))
        .map_err(|e| e.to_string())?
        + "\n";
    output::write(&index_path, index.as_bytes())?;
    Ok(if skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Creates a folder output (its parent must exist, like every output's folder).
fn make_output_dir(dir: &Path) -> Result<(), String> {
    let parent = output::parent_of(dir);
    if !parent.is_dir() {
        return Err(format!(
            "cannot write {}: the folder {} does not exist",
            dir.display(),
            parent.display()
        ));
    }
    match std::fs::create_dir(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
            Err(format!("cannot create {}: {e}", dir.display()))
        }
        _ if !dir.is_dir() => Err(format!("{} exists and is not a folder", dir.display())),
        _ => Ok(()),
    }
}
