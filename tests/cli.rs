//! The `yakkan` binary as a user runs it: output formats, exit codes, atomic writes.

mod common;

use std::process::{Command, Output, Stdio};

fn yakkan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yakkan"))
        .args(args)
        .current_dir(common::root())
        .stdin(Stdio::null())
        .output()
        .expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn parse_prints_pretty_json_by_default_and_compact_on_request() {
    let o = yakkan(&["parse", common::SEED]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.starts_with("{\n  \"meta\": {"));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["body"][0]["children"][0]["id"], "art_1");
    assert_eq!(v["supplementary"]["entries"][138]["date"], "2025-07-18");
    let o = yakkan(&["parse", "--compact", common::SEED]);
    assert_eq!(stdout(&o).lines().count(), 1);
}

#[test]
fn parse_text_is_the_clean_text() {
    let o = yakkan(&["parse", "--format", "text", common::SEED]);
    assert!(o.status.success());
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..4],
        [
            "一般規程",
            "令和 7年 7月 18日現在",
            "株式会社インターネットイニシアティブ",
            "第 1 章 総則"
        ]
    );
    assert_eq!(
        lines.last(),
        Some(&"この契約約款は、令和 7年 7月 18日から実施します。")
    );
}

#[test]
fn parse_reads_standard_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yakkan"))
        .args(["parse", "--format", "text", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("第1条（目的）\n本文です。\n".as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(stdout(&o), "第1条（目的）\n本文です。\n");
}

#[test]
fn output_file_is_written_whole_and_replaced_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seed.json");
    std::fs::write(&out, "old").unwrap();
    let o = yakkan(&["parse", common::SEED, "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&written).is_ok());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
    // A failed run (missing input) leaves the previous output untouched.
    let o = yakkan(&["parse", "no/such/file.txt", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), written);
    // An unwritable destination is a one-line error, exit 2.
    let o = yakkan(&["parse", common::SEED, "-o", "/nonexistent-dir/x.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).lines().count(), 1);
}

#[test]
fn check_reports_diagnostics_and_exits_by_severity() {
    let o = yakkan(&["check", common::SEED]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains(&format!(
        "{}:458: info: page footer `IIJ-REG001-0040` dropped [footer-dropped]",
        common::SEED
    )));
    assert!(out.lines().all(|l| l.starts_with(common::SEED)));
    // An error-severity diagnostic (a date outside its era) makes check exit 1.
    let o = yakkan(&["check", common::SEED, "fixtures/era-dates.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("fixtures/era-dates.txt:12: error: `平成 31年 5月 1日`"));
    let o = yakkan(&["check", "fixtures/binary.bin"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn usage_and_io_errors_exit_2_with_one_line() {
    for args in [
        &["parse", "missing.txt"][..],
        &["parse", "fixtures"],
        &["check", "missing.txt"],
    ] {
        let o = yakkan(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("yakkan: "), "{err}");
    }
    let o = yakkan(&["parse"]);
    assert_eq!(o.status.code(), Some(2));
    let o = yakkan(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn corpus_metadata_matches_the_document() {
    let dir = common::root().join("corpus/iij/general-provisions");
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("document.json")).unwrap()).unwrap();
    let (doc, _) = yakkan::parse(&std::fs::read(dir.join("2025-07-18.txt")).unwrap());
    assert_eq!(meta["title"], doc.meta.title.unwrap());
    assert_eq!(meta["publisher"], doc.meta.publisher.unwrap());
    assert_eq!(meta["revisions"][0]["date"], doc.meta.as_of.unwrap());
}

#[test]
fn defs_exports_every_format() {
    let o = yakkan(&["defs", common::SEED]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v[0]["term"], "加入者専用回線");
    let o = yakkan(&["defs", "--format", "jsonl", common::SEED]);
    assert_eq!(stdout(&o).lines().count(), v.as_array().unwrap().len());
    let o = yakkan(&["defs", "--format", "csv", "--bom", common::SEED]);
    assert!(o.stdout.starts_with(b"\xEF\xBB\xBFid,term,definition,"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("terms.tbx");
    let o = yakkan(&[
        "defs",
        "--format",
        "tbx",
        common::SEED,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("<term>元契約者</term>"));
    let o = yakkan(&["defs", "--format", "xml", common::SEED]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn refs_and_graph_commands() {
    let o = yakkan(&["refs", common::SEED]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v.as_array().unwrap().iter().any(|r| r["text"] == "前各号"));
    let o = yakkan(&["refs", "--format", "tsv", common::SEED]);
    let out = stdout(&o);
    assert!(out
        .starts_with("from\tstart\tend\tkind\trelation\tresolved\ttargets\ttext\tlaw\treadings\n"));
    assert!(out.lines().skip(1).all(|l| l.split('\t').count() == 10));
    assert!(out.contains("art_14__para_2\t0\t9\tinternal\tapplies\ttrue\tart_13\t前条（申込の拒絶）\t\t申込→変更の請求,申込者→契約者\n"));
    let o = yakkan(&["graph", "--format", "dot", common::SEED]);
    assert!(stdout(&o).starts_with("digraph yakkan {"));
    let o = yakkan(&[
        "graph",
        "--format",
        "mermaid",
        "--level",
        "paragraph",
        common::SEED,
    ]);
    assert!(stdout(&o).starts_with("flowchart LR\n"));
    let o = yakkan(&["graph", common::SEED]);
    let g: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["from"] == "art_35" && e["to"] == "art_32" && e["relation"] == "applies"));
}

#[test]
fn render_and_diff_commands() {
    let o = yakkan(&["render", common::SEED]);
    assert!(stdout(&o).starts_with("# 一般規程 {#top}\n"));
    let o = yakkan(&["render", "--format", "html", common::SEED]);
    assert!(stdout(&o).contains("<h4 id=\"art_13\">第 13 条（申込の拒絶）</h4>"));
    let new = "fixtures/revisions/caption/new.txt";
    let o = yakkan(&["diff", common::SEED, new]);
    assert!(o.status.success());
    assert!(
        stdout(&o).contains("[-当社の免責-]{+責任の制限+}"),
        "plain when piped"
    );
    let o = yakkan(&["diff", "--format", "json", common::SEED, new]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["summary"]["changed"], 1);
    let o = yakkan(&["diff", "--format", "html", "--old-first", common::SEED, new]);
    assert!(stdout(&o).contains("<thead><tr><th>改正前</th><th>改正後</th></tr></thead>"));
    // Revisions of one corpus document, by date.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::root().join(common::SEED),
        dir.path().join("2025-07-18.txt"),
    )
    .unwrap();
    std::fs::copy(common::root().join(new), dir.path().join("2025-09-01.txt")).unwrap();
    let d = dir.path().to_str().unwrap();
    let o = yakkan(&[
        "diff",
        "--doc",
        d,
        "--from",
        "2025-07-18",
        "--to",
        "2025-09-01",
        "--format",
        "md",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("<u>責任の制限</u>"));
    let o = yakkan(&[
        "diff",
        "--doc",
        d,
        "--from",
        "2025-07-18",
        "--to",
        "2030-01-01",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = yakkan(&["diff", common::SEED]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn folders_are_parsed_in_parallel_and_bad_files_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let doc = corpus.join("iij/general-provisions");
    std::fs::create_dir_all(&doc).unwrap();
    std::fs::copy(
        common::root().join(common::SEED),
        doc.join("2025-07-18.txt"),
    )
    .unwrap();
    std::fs::copy(
        common::root().join("fixtures/revisions/caption/new.txt"),
        doc.join("2025-09-01.txt"),
    )
    .unwrap();
    std::fs::write(doc.join("document.json"), "{}").unwrap();
    let bad = corpus.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(bad.join("binary.txt"), [0x7f, b'E', b'L', b'F', 0, 0, 0, 1]).unwrap();
    std::os::unix::fs::symlink(bad.join("missing"), bad.join("dangling.txt")).unwrap();
    let out = dir.path().join("out");
    let o = yakkan(&[
        "parse",
        corpus.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "files were skipped");
    let err = stderr(&o);
    assert!(
        err.contains("binary.txt:0: error: the input is not text"),
        "{err}"
    );
    assert!(
        err.contains("dangling.txt:0: error: cannot read: No such file or directory (os error 2) [unreadable-input]"),
        "{err}"
    );
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    let revs = index["revisions"].as_array().unwrap();
    assert_eq!(revs.len(), 4);
    let parsed: Vec<&serde_json::Value> =
        revs.iter().filter(|r| r.get("output").is_some()).collect();
    assert_eq!(parsed.len(), 2);
    let one: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.join("iij/general-provisions/2025-09-01.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(one["meta"]["title"], "一般規程");
    assert!(!out.join("bad/binary.json").exists());
    // check walks the folder the same way and keeps going past bad files.
    let o = yakkan(&["check", corpus.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let report = stdout(&o);
    assert!(report.contains("2025-09-01.txt:1154: warning:"));
    assert!(report.contains("binary.txt:0: error:"));
    // A folder needs an output folder.
    let o = yakkan(&["parse", corpus.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

/// Runs the binary with `input` on standard input.
fn yakkan_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_yakkan"))
        .args(args)
        .current_dir(common::root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn an_input_that_is_not_text_is_one_error_with_one_exit_status_in_every_command() {
    for (input, code) in [
        (&b""[..], "empty-input"),
        (&[0x7f, b'E', 0, 0, 1, 2][..], "binary-input"),
    ] {
        for args in [
            &["parse", "-"][..],
            &["check", "-"],
            &["defs", "-"],
            &["refs", "-"],
            &["graph", "-"],
            &["render", "-"],
        ] {
            let o = yakkan_stdin(args, input);
            assert_eq!(o.status.code(), Some(1), "{args:?} {code}");
            let line = if args[0] == "check" {
                stdout(&o)
            } else {
                stderr(&o)
            };
            assert!(line.starts_with("-:0: error: "), "{args:?}: {line}");
            assert!(
                line.trim_end().ends_with(&format!("[{code}]")),
                "{args:?}: {line}"
            );
            if args[0] != "check" {
                assert!(o.stdout.is_empty(), "{args:?} wrote output");
            }
        }
    }
}

#[test]
fn diff_reads_standard_input_once_and_reports_differences_on_request() {
    let o = yakkan(&["diff", "-", "-"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("standard input"), "{}", stderr(&o));
    let new = "fixtures/revisions/reword-item/new.txt";
    let o = yakkan(&["diff", common::SEED, new]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "differences are no failure by default"
    );
    let o = yakkan(&["diff", "--exit-code", common::SEED, new]);
    assert_eq!(o.status.code(), Some(1));
    let o = yakkan(&["diff", "--exit-code", common::SEED, common::SEED]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn document_text_never_reaches_the_terminal_as_control_sequences() {
    let doc = "第1条（目的）\nこの約款は\u{1b}]0;PWNED-TITLE\u{7}適用します。\n".repeat(40);
    let o = yakkan_stdin(&["check", "-"], doc.as_bytes());
    let out = stdout(&o);
    assert!(out.contains("control-characters"), "{out}");
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.txt");
    std::fs::write(&old, "第1条（目的）\nこの約款は適用します。\n").unwrap();
    let new = dir.path().join("new.txt");
    std::fs::write(
        &new,
        "第1条（目的）\nこの約款は\u{1b}]0;PWNED-TITLE\u{7}適用します。\n",
    )
    .unwrap();
    let o = yakkan(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(out.contains("\\u{1b}]0;PWNED-TITLE\\u{7}"), "{out}");
    assert!(!o.stdout.contains(&0x1b) && !o.stdout.contains(&0x07));
    // The JSON keeps the text exactly.
    let o = yakkan(&["parse", "--compact", new.to_str().unwrap()]);
    assert!(stdout(&o).contains("\\u001b]0;PWNED-TITLE\\u0007"));
}

#[test]
fn check_prints_only_what_reaches_the_chosen_severity() {
    let files = [common::SEED, "fixtures/era-dates.txt"];
    let all = stdout(&yakkan(&["check", files[0], files[1]]));
    assert!(all.contains(": info: "));
    let o = yakkan(&["check", "--min-severity", "warning", files[0], files[1]]);
    assert!(!stdout(&o).contains(": info: ") && stdout(&o).contains(": warning: "));
    let o = yakkan(&["check", "-q", files[0], files[1]]);
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains(": error: "));
    assert_eq!(
        o.status.code(),
        Some(1),
        "the error still sets the exit status"
    );
}

#[test]
fn a_symlink_loop_in_a_corpus_adds_nothing_and_ends() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("corpus/doc");
    std::fs::create_dir_all(&doc).unwrap();
    std::fs::copy(
        common::root().join(common::SEED),
        doc.join("2025-07-18.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink("..", doc.join("loop")).unwrap();
    std::os::unix::fs::symlink("../..", doc.join("loop2")).unwrap();
    let corpus = dir.path().join("corpus");
    let out = dir.path().join("out");
    let o = yakkan(&[
        "parse",
        corpus.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    assert_eq!(index["revisions"].as_array().unwrap().len(), 1, "{index}");
}

#[test]
fn markdown_is_read_by_its_name_or_by_input_format() {
    let dir = tempfile::tempdir().unwrap();
    let md = "### 第1条（目的）\n\n1. 本規程は、手続を定める。\n1. 細則は別に定める。\n";
    let file = dir.path().join("kitei.md");
    std::fs::write(&file, md).unwrap();
    let articles = |o: &Output| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(&stdout(o)).unwrap();
        v["body"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                format!(
                    "{} {}",
                    n["id"],
                    n["children"].as_array().map_or(0, Vec::len)
                )
            })
            .collect()
    };
    // by the name: one article with two paragraphs
    let by_name = yakkan(&["parse", file.to_str().unwrap()]);
    assert!(by_name.status.success(), "{}", stderr(&by_name));
    assert_eq!(articles(&by_name), ["\"art_1\" 2"]);
    // standard input is text unless told: `### 第1条` is then no heading
    let as_text = yakkan_stdin(&["parse", "-"], md.as_bytes());
    assert_ne!(articles(&as_text), ["\"art_1\" 2"]);
    let told = yakkan_stdin(&["parse", "-", "--input-format", "markdown"], md.as_bytes());
    assert_eq!(articles(&told), ["\"art_1\" 2"]);
}
