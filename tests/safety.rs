//! Outputs never destroy data: one regression test per way an output once could (the
//! audit of issue 22). Each runs the binary as a user would.

mod common;

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn yakkan_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yakkan"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A temporary folder holding a copy of the seed as `corpus/iij/gp/2025-07-18.txt`.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let doc = tmp.path().join("corpus/iij/gp");
    std::fs::create_dir_all(&doc).unwrap();
    let seed = doc.join("2025-07-18.txt");
    std::fs::copy(common::root().join(common::SEED), &seed).unwrap();
    (tmp, seed)
}

/// Asserts a refusal: exit 2, one line on standard error naming `file`.
fn assert_refused(o: &Output, file: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(file), "{err}");
}

#[test]
fn a_folder_run_never_writes_over_its_inputs() {
    let (tmp, seed) = workspace();
    let before = std::fs::read(&seed).unwrap();
    let o = yakkan_in(
        tmp.path(),
        &["parse", "corpus", "--format", "text", "-o", "corpus"],
    );
    assert_refused(&o, "corpus/iij/gp/2025-07-18.txt");
    assert_eq!(std::fs::read(&seed).unwrap(), before);
    assert!(
        !tmp.path().join("corpus/index.json").exists(),
        "nothing written"
    );
    // An earlier run's text output inside the corpus is an input of the next run.
    let o = yakkan_in(
        tmp.path(),
        &["parse", "corpus", "--format", "text", "-o", "corpus/out"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = yakkan_in(
        tmp.path(),
        &["parse", "corpus", "--format", "text", "-o", "corpus/out"],
    );
    assert_refused(&o, "corpus/out/iij/gp/2025-07-18.txt");
}

#[test]
fn a_file_output_never_writes_over_an_input() {
    let (tmp, seed) = workspace();
    let before = std::fs::read(&seed).unwrap();
    std::os::unix::fs::symlink(&seed, tmp.path().join("link.txt")).unwrap();
    std::fs::hard_link(&seed, tmp.path().join("hard.txt")).unwrap();
    let src = "corpus/iij/gp/2025-07-18.txt";
    for args in [
        &["parse", src, "-o", src][..],
        &["parse", "link.txt", "--format", "text", "-o", src],
        &["render", src, "-o", "hard.txt"],
        &["diff", src, "link.txt", "-o", "hard.txt"],
        &[
            "defs",
            "--format",
            "csv",
            src,
            "-o",
            "./corpus/iij/../iij/gp/2025-07-18.txt",
        ],
    ] {
        let o = yakkan_in(tmp.path(), args);
        assert_refused(&o, args[args.len() - 1]);
    }
    assert_eq!(std::fs::read(&seed).unwrap(), before);
}

#[test]
fn a_site_never_replaces_its_corpus() {
    let (tmp, seed) = workspace();
    let corpus = tmp.path().join("corpus");
    for out in [".", "corpus", "corpus/iij"] {
        let o = yakkan_in(tmp.path(), &["site", "corpus", "-o", out]);
        assert_eq!(o.status.code(), Some(2), "{out}: {}", stderr(&o));
        assert!(stderr(&o).contains("refusing to write"), "{}", stderr(&o));
    }
    assert!(seed.exists());
    // A site inside the corpus folder holds no input: allowed.
    let o = yakkan_in(&corpus, &["site", ".", "-o", "site"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A corpus kept inside a site yakkan built: replacing the site would delete it.
    let o = yakkan_in(tmp.path(), &["site", "corpus", "-o", "web"]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::rename(&corpus, tmp.path().join("web/corpus")).unwrap();
    let o = yakkan_in(tmp.path(), &["site", "web/corpus", "-o", "web"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(tmp.path().join("web/corpus/iij/gp/2025-07-18.txt").exists());
}

#[test]
fn a_fifo_is_written_to_not_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let o = yakkan_in(
        &common::root(),
        &["parse", common::SEED, "-o", fifo.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let t = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(t.is_fifo(), "the FIFO is still a FIFO");
    let got = reader.join().unwrap();
    assert!(got.starts_with(b"{\n  \"meta\""));
    // A character device likewise (written to; /dev/null stays what it is).
    let o = yakkan_in(&common::root(), &["parse", common::SEED, "-o", "/dev/null"]);
    assert!(o.status.success());
    let t = std::fs::symlink_metadata("/dev/null").unwrap().file_type();
    assert!(t.is_char_device());
}

#[test]
fn a_symlink_output_replaces_its_target_and_stays_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("real")).unwrap();
    std::os::unix::fs::symlink("real/out.json", tmp.path().join("link.json")).unwrap();
    let seed = common::root().join(common::SEED);
    for _ in 0..2 {
        // (first through a dangling link, then over the file it made)
        let o = yakkan_in(
            tmp.path(),
            &["parse", seed.to_str().unwrap(), "-o", "link.json"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let link = std::fs::symlink_metadata(tmp.path().join("link.json")).unwrap();
        assert!(link.file_type().is_symlink());
        let out = std::fs::read(tmp.path().join("real/out.json")).unwrap();
        assert!(out.starts_with(b"{"));
    }
    let names: Vec<_> = std::fs::read_dir(tmp.path().join("real"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names,
        ["out.json"],
        "no temporary file left beside the target"
    );
}

#[test]
fn outputs_get_the_usual_permissions_and_keep_an_existing_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let seed = common::root().join(common::SEED);
    let run = |umask: &str, out: &str| {
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask {umask} && exec \"$0\" parse \"$1\" -o \"$2\""
            ))
            .arg(env!("CARGO_BIN_EXE_yakkan"))
            .arg(&seed)
            .arg(out)
            .current_dir(tmp.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::metadata(tmp.path().join(out))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(run("022", "a.json"), 0o644);
    assert_eq!(run("002", "b.json"), 0o664);
    std::fs::set_permissions(
        tmp.path().join("a.json"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    assert_eq!(
        run("022", "a.json"),
        0o640,
        "an existing file keeps its mode"
    );
    // A folder output too.
    let o = Command::new("sh")
        .arg("-c")
        .arg("umask 022 && exec \"$0\" site \"$1\" -o site")
        .arg(env!("CARGO_BIN_EXE_yakkan"))
        .arg(common::root().join("fixtures/site-corpus"))
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let mode = std::fs::metadata(tmp.path().join("site"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755, "a web server can read the site");
}

#[test]
fn write_errors_name_the_users_file() {
    // /proc takes no new files, even from root.
    let o = yakkan_in(
        &common::root(),
        &["parse", common::SEED, "-o", "/proc/version"],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("yakkan: cannot write /proc/version: "),
        "{err}"
    );
    assert!(!err.contains(".tmp") && !err.contains(".yakkan-"), "{err}");
}

#[test]
fn missing_parent_folders_are_refused_by_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    let seed = common::root().join(common::SEED);
    let seed = seed.to_str().unwrap();
    let corpus = common::root().join("fixtures/site-corpus");
    let corpus = corpus.to_str().unwrap();
    for args in [
        &["parse", seed, "-o", "nodir/x.json"][..],
        &["render", seed, "-o", "nodir/x.md"],
        &["parse", corpus, "-o", "nodir/out"],
        &["site", corpus, "-o", "nodir/site"],
    ] {
        let o = yakkan_in(tmp.path(), args);
        assert_refused(&o, "nodir");
        assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
    }
    assert!(!tmp.path().join("nodir").exists(), "no folder was made");
}

#[test]
fn a_later_run_removes_what_a_killed_run_left() {
    let tmp = tempfile::tempdir().unwrap();
    // What a run killed by SIGKILL leaves: a temporary file (its lock died with it) and
    // a staging folder of a site build.
    std::fs::write(tmp.path().join(".yakkan-4242-0.tmp"), "half").unwrap();
    std::fs::create_dir_all(tmp.path().join(".yakkan-site-4242-0/d")).unwrap();
    let seed = common::root().join(common::SEED);
    let o = yakkan_in(
        tmp.path(),
        &["parse", seed.to_str().unwrap(), "-o", "x.json"],
    );
    assert!(o.status.success());
    assert!(!tmp.path().join(".yakkan-4242-0.tmp").exists());
    let corpus = common::root().join("fixtures/site-corpus");
    let o = yakkan_in(
        tmp.path(),
        &["site", corpus.to_str().unwrap(), "-o", "site"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["site", "x.json"]);
}

/// A corpus of `n` small documents, big enough that a debug build takes a while.
fn many_documents(dir: &Path, n: usize) -> PathBuf {
    let corpus = dir.join("many");
    let text = std::fs::read_to_string(common::root().join("fixtures/references.txt")).unwrap();
    for i in 0..n {
        let d = corpus.join(format!("doc{i}"));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("2024-01-01.txt"), &text).unwrap();
        std::fs::write(d.join("2025-01-01.txt"), text.replace("第", "第 ")).unwrap();
    }
    corpus
}

/// Starts `site CORPUS -o OUT` in `dir` and waits until its staging folder exists.
fn site_until_staged(dir: &Path, corpus: &Path) -> Option<Child> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yakkan"))
        .arg("site")
        .arg(corpus)
        .args(["-o", "site"])
        .current_dir(dir)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        let staged = std::fs::read_dir(dir).unwrap().any(|e| {
            let name = e.unwrap().file_name();
            let name = name.to_string_lossy();
            name.starts_with(".yakkan-site-") && !name.ends_with(".old")
        });
        if staged {
            return Some(child);
        }
        if child.try_wait().unwrap().is_some() {
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("no staging folder appeared");
}

fn staging_left(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn an_interrupted_site_build_leaves_nothing_and_the_old_site_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = many_documents(tmp.path(), 300);
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let old = yakkan_in(&work, &["site", corpus.to_str().unwrap(), "-o", "site"]);
    assert!(old.status.success());
    for signal in ["TERM", "INT", "KILL"] {
        let Some(mut child) = site_until_staged(&work, &corpus) else {
            panic!("the build finished before it could be interrupted");
        };
        let pid = child.id().to_string();
        assert!(Command::new("kill")
            .args(["-s", signal, &pid])
            .status()
            .unwrap()
            .success());
        let status = child.wait().unwrap();
        assert!(!status.success());
        assert!(
            work.join("site/index.html").exists(),
            "{signal}: the old site stays"
        );
        if signal != "KILL" {
            assert_eq!(staging_left(&work), Vec::<String>::new(), "{signal}");
        }
    }
    // The next build removes what SIGKILL left.
    let o = yakkan_in(&work, &["site", corpus.to_str().unwrap(), "-o", "site"]);
    assert!(o.status.success());
    assert_eq!(staging_left(&work), Vec::<String>::new());
}

#[test]
fn concurrent_site_builds_take_turns() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = many_documents(tmp.path(), 20);
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let start = || {
        Command::new(env!("CARGO_BIN_EXE_yakkan"))
            .arg("site")
            .arg(&corpus)
            .args(["-o", "site"])
            .current_dir(&work)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // Another build holds the folder: this one waits, says so, and goes on after it.
    let held = std::fs::File::open(&work).unwrap();
    held.lock().unwrap();
    let waiting = start();
    std::thread::sleep(Duration::from_millis(500));
    assert!(!work.join("site").exists(), "the second build waited");
    drop(held);
    let o = waiting.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("waiting for another yakkan build"),
        "{}",
        stderr(&o)
    );
    // Several at once all succeed and leave one site.
    let builds: Vec<Child> = (0..4).map(|_| start()).collect();
    for child in builds {
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert!(work.join("site/index.html").exists());
    assert_eq!(staging_left(&work), Vec::<String>::new());
}

#[test]
fn a_site_can_be_built_into_the_current_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let here = tmp.path().join("here");
    std::fs::create_dir(&here).unwrap();
    let corpus = common::root().join("fixtures/site-corpus");
    for _ in 0..2 {
        let o = yakkan_in(&here, &["site", corpus.to_str().unwrap(), "-o", "."]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(here.join("index.html").exists());
    }
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["here"], "nothing stranded beside it");
}

#[test]
fn a_stalled_client_does_not_freeze_the_preview_server() {
    use std::io::{BufRead, Read, Write};
    use std::net::TcpStream;
    let tmp = tempfile::tempdir().unwrap();
    let corpus = common::root().join("fixtures/site-corpus");
    let o = yakkan_in(
        tmp.path(),
        &["site", corpus.to_str().unwrap(), "-o", "site"],
    );
    assert!(o.status.success());
    // A page far larger than the socket buffers, so that a client that never reads
    // blocks the write that serves it.
    std::fs::write(tmp.path().join("site/big.json"), vec![b' '; 64 << 20]).unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_yakkan"))
        .args([
            "site",
            corpus.to_str().unwrap(),
            "-o",
            "site",
            "--serve",
            "--port",
            "0",
        ])
        .current_dir(tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The site is rebuilt before serving: write the big page again once it is up.
    let mut line = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line.split("http://").nth(1).unwrap();
    let addr = addr.split('/').next().unwrap().to_string();
    std::fs::write(tmp.path().join("site/big.json"), vec![b' '; 64 << 20]).unwrap();
    let stalled: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut s = TcpStream::connect(&addr).unwrap();
            s.write_all(b"GET /big.json HTTP/1.1\r\nHost: x\r\n\r\n")
                .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let start = Instant::now();
    let mut c = TcpStream::connect(&addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    c.write_all(b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut reply = String::new();
    let got = c.read_to_string(&mut reply);
    let _ = server.kill();
    let _ = server.wait();
    drop(stalled);
    assert!(got.is_ok(), "no answer while two clients stall: {got:?}");
    assert!(reply.starts_with("HTTP/1.1 200 OK"), "{reply}");
    assert!(start.elapsed() < Duration::from_secs(5));
}
