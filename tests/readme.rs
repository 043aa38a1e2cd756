//! The README is part of the product: every example in a `console` block runs as printed
//! on a fresh clone, and prints what the README shows.
//!
//! Each `$ command` line runs with `sh` in a scratch folder that holds the repository's
//! `corpus/` and `fixtures/`, with the `yakkan` under test first on `PATH`; standard
//! output and standard error together must match the lines shown under it, where a line
//! `…` stands for any number of lines and a time such as `0.02 s` for any time.
//! `$ echo $?` prints the exit status of the command before it.

mod common;

use std::path::Path;
use std::process::Command;

/// The examples of the README: (command, the output lines shown under it).
fn examples(readme: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut in_block = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_block = line == "```console";
            continue;
        }
        if !in_block {
            continue;
        }
        match line.strip_prefix("$ ") {
            Some(cmd) => out.push((cmd.to_string(), Vec::new())),
            None => out
                .last_mut()
                .expect("a console block starts with a command")
                .1
                .push(line.to_string()),
        }
    }
    out
}

/// A line as compared: without trailing white space (a TSV row ends in tabs, a README
/// line does not), a time such as `0.02 s` as `N s`, and `…` alone when it is one.
fn untimed(line: &str) -> String {
    let re = regex::Regex::new(r"\d+(\.\d+)? s\b").unwrap();
    let line = line.trim_end();
    if line.trim() == "…" {
        return "…".to_string();
    }
    re.replace_all(line, "N s").into_owned()
}

/// Whether `actual` shows `expected`: the segments between `…` lines in order, the
/// first at the start.
fn shows(actual: &[String], expected: &[String]) -> bool {
    let mut at = 0;
    for (k, segment) in expected.split(|l| l == "…").enumerate() {
        if segment.is_empty() {
            continue;
        }
        let found = (at..=actual.len().saturating_sub(segment.len()))
            .find(|&i| actual[i..].starts_with(segment));
        match found {
            Some(i) if k > 0 || i == 0 => at = i + segment.len(),
            _ => return false,
        }
    }
    // Without a final `…`, nothing more may follow.
    expected.last().is_some_and(|l| l == "…") || at == actual.len()
}

#[test]
fn every_readme_example_runs_as_printed() {
    let root = common::root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(examples.len() >= 15, "the README shows its examples");
    let work = tempfile::tempdir().unwrap();
    for dir in ["corpus", "fixtures"] {
        std::os::unix::fs::symlink(root.join(dir), work.path().join(dir)).unwrap();
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_yakkan")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut last_status = 0;
    let mut failures = Vec::new();
    for (cmd, expected) in &examples {
        let actual = if cmd == "echo $?" {
            last_status.to_string()
        } else {
            // (a minute at most: an example that waits for input or serves forever
            // fails instead of hanging the suite)
            let o = Command::new("timeout")
                .args(["60", "sh", "-c"])
                .arg(format!("( {cmd} ) 2>&1"))
                .current_dir(work.path())
                .env("PATH", &path)
                .env_remove("NO_COLOR")
                .output()
                .unwrap();
            last_status = o.status.code().unwrap_or(-1);
            if !o.status.success() && !expected.iter().any(|l| l.contains(": error:")) {
                failures.push(format!("`{cmd}` exited with {last_status}"));
            }
            String::from_utf8_lossy(&o.stdout).into_owned()
        };
        let actual: Vec<String> = actual.lines().map(untimed).collect();
        let expected: Vec<String> = expected.iter().map(|l| untimed(l)).collect();
        if !shows(&actual, &expected) {
            failures.push(format!(
                "`{cmd}` printed:\n{}\nthe README shows:\n{}",
                actual.join("\n"),
                expected.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_matcher_reads_ellipses() {
    let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert!(shows(&v(&["a", "b", "c"]), &v(&["a", "…"])));
    assert!(shows(&v(&["a", "b", "c"]), &v(&["a", "…", "c"])));
    assert!(!shows(&v(&["a", "b", "c"]), &v(&["b", "…"])));
    assert!(!shows(&v(&["a", "b"]), &v(&["a"])));
    assert!(shows(&v(&[]), &v(&[])));
    assert_eq!(untimed("indexed, 0.02 s → site"), "indexed, N s → site");
}
