//! The DOT graph rendered by Graphviz (`dot`, Debian package graphviz). Reported
//! `ignored`, with the reason, when `dot` is not installed (a failure under CI).

mod common;

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let missing = || {
        let dot = std::process::Command::new("dot").arg("-V").output();
        dot.is_err()
            .then(|| "Graphviz `dot` is not installed (Debian package graphviz)".to_string())
    };
    let tests = vec![common::tool_test(
        "dot_renders_with_graphviz",
        missing,
        dot_renders_with_graphviz,
    )];
    libtest_mimic::run(&args, tests).exit();
}

fn dot_renders_with_graphviz() {
    let (doc, _) = yakkan::parse(&common::seed_bytes());
    let dot = yakkan::graph::to_dot(&yakkan::graph::build(&doc, yakkan::graph::Level::Article));
    assert!(dot.contains("subgraph \"cluster_chp_2\""));
    assert!(dot.contains(
        "\"art_14\" -> \"art_13\" [label=\"準用 (申込→変更の請求, 申込者→契約者)\", style=bold];"
    ));
    let mut child = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("dot runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = String::from_utf8(out.stdout).unwrap();
    assert!(svg.contains("<svg") && svg.contains("第 13 条 申込の拒絶"));
}
