//! The `yakkan` command: thin glue over the library. All IO lives here; every file it
//! writes goes through [`output`] (or [`staging`] for a folder).
//!
//! Exit codes: 0 success; 1 `check` found an error-severity diagnostic, an input is not
//! text (empty or binary; the same `file:0: error: … [code]` line in every command), a
//! folder run skipped a file it could not read, or `diff --exit-code` found differences;
//! 2 usage or IO error, or a refused output (one line on stderr, never a backtrace).

mod corpus;
mod output;
mod serve;
mod sitecmd;
mod staging;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use yakkan::text::printable;
use yakkan::{Diagnostic, Severity};

/// The allocator of the command. A parse makes thousands of small allocations (IDs,
/// labels, texts); with mimalloc a parse of the seed takes about 13% less time than with the
/// system allocator. (Its v2 line: v3 held about 12× the input at peak on the 100×
/// benchmark document, v2 and the system allocator about 7×.) `benches/parse.rs`
/// measures with the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "yakkan",
    version,
    about = "Japanese terms documents (約款) as a structured tree"
)]
struct Cli {
    /// The input format, instead of the one the file's name and content say (`.md`,
    /// `.markdown`: markdown; `.html`, `.htm`, or a page starting `<!DOCTYPE html>`: html;
    /// `.xml`, or a `<Law>` root: egov-xml; `.docx`, or a zip holding `word/`: docx;
    /// `.pdf`, or `%PDF-` at the start: pdf; anything else, and standard input: text). (Not `--from`: `diff --doc`
    /// takes that for a revision's date.)
    #[arg(long, global = true, value_enum)]
    input_format: Option<InputFormat>,
    #[command(subcommand)]
    command: Command,
}

/// Input formats for `--input-format`.
#[derive(Clone, Copy, ValueEnum)]
enum InputFormat {
    Text,
    Markdown,
    Html,
    /// e-Gov 法令標準XML
    #[value(name = "egov-xml", alias = "xml")]
    EgovXml,
    /// Word .docx
    Docx,
    /// PDF
    Pdf,
}

/// The format `--input-format` forces, if given.
static FROM: std::sync::OnceLock<yakkan::read::Format> = std::sync::OnceLock::new();

/// The format of input `file` holding `bytes`: `--input-format`, else what its name and
/// content say.
pub(crate) fn format_of(file: &str, bytes: &[u8]) -> yakkan::read::Format {
    FROM.get()
        .copied()
        .unwrap_or_else(|| yakkan::read::Format::detect(file, bytes))
}

#[derive(Subcommand)]
enum Command {
    /// Parse a document and print its tree (JSON) or its clean text; a folder is parsed
    /// revision by revision into OUT_DIR (one file per revision and index.json).
    Parse {
        /// The document, a corpus folder, or `-` for standard input.
        file: String,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// JSON on one line instead of pretty-printed.
        #[arg(long)]
        compact: bool,
        /// Write here (atomically) instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Export the defined terms (table rows and inline definitions) for other tools.
    Defs {
        /// The document; `-` reads standard input.
        file: String,
        #[arg(long, value_enum, default_value_t = DefsFormat::Json)]
        format: DefsFormat,
        /// Start CSV output with a UTF-8 byte order mark (for spreadsheet programs).
        #[arg(long)]
        bom: bool,
        /// CSV: keep cells that start with `=`, `+`, `-`, `@`, a tab or CR as they are
        /// (for programs; by default they get a leading `'` so that a spreadsheet shows
        /// them as text instead of running them as formulas).
        #[arg(long)]
        keep_formulas: bool,
        /// Write here (atomically) instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// List every reference with its resolved targets.
    Refs {
        /// The document; `-` reads standard input.
        file: String,
        #[arg(long, value_enum, default_value_t = RefsFormat::Json)]
        format: RefsFormat,
        /// TSV: keep fields that start with `=`, `+`, `-`, `@`, a tab or CR as they are
        /// (by default they get a leading `'`, as in `defs --format csv`).
        #[arg(long)]
        keep_formulas: bool,
        /// Write here (atomically) instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Draw the reference graph.
    Graph {
        /// The document; `-` reads standard input.
        file: String,
        #[arg(long, value_enum, default_value_t = GraphFormat::Json)]
        format: GraphFormat,
        #[arg(long, value_enum, default_value_t = GraphLevel::Article)]
        level: GraphLevel,
        /// Write here (atomically) instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Render a document as Markdown or as an HTML page.
    Render {
        /// The document; `-` reads standard input.
        file: String,
        #[arg(long, value_enum, default_value_t = RenderFormat::Md)]
        format: RenderFormat,
        /// Write here (atomically) instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Compare two revisions: text, JSON, Markdown, or the 新旧対照表 as HTML.
    Diff {
        /// The old revision (or use --doc with --from/--to).
        old: Option<String>,
        /// The new revision.
        new: Option<String>,
        /// A corpus document folder holding revisions named by date (`2025-07-18.txt`).
        #[arg(long, requires_all = ["from", "to"], conflicts_with_all = ["old", "new"])]
        doc: Option<PathBuf>,
        /// The old revision's date, with --doc.
        #[arg(long)]
        from: Option<String>,
        /// The new revision's date, with --doc.
        #[arg(long)]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// 新旧対照表: put 改正前 in the left column (default 改正後 | 改正前).
        #[arg(long)]
        old_first: bool,
        /// 新旧対照表: show unchanged articles instead of （略）.
        #[arg(long)]
        full: bool,
        /// 新旧対照表: print on A4 landscape.
        #[arg(long)]
        landscape: bool,
        /// Exit with 1 when the revisions differ and 0 when they do not (as `git diff
        /// --exit-code`); without it, a successful comparison exits 0.
        #[arg(long)]
        exit_code: bool,
        /// Write here (atomically) instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Build a static, searchable site of a corpus folder into OUT_DIR (swapped into
    /// place only when complete); with --serve, preview it on 127.0.0.1.
    Site {
        /// The corpus folder: one folder per document, one `.txt` file per revision.
        corpus: PathBuf,
        /// The site folder (new, empty, or a site yakkan built before).
        #[arg(short, long)]
        output: PathBuf,
        /// Serve the site on 127.0.0.1 after building it.
        #[arg(long)]
        serve: bool,
        /// The port for --serve (0 picks a free one).
        #[arg(long, default_value_t = 8000)]
        port: u16,
    },
    /// Print the diagnostics of documents as `file:line: severity: message`.
    Check {
        /// The documents or corpus folders; `-` reads standard input.
        #[arg(required = true)]
        files: Vec<String>,
        /// Print only diagnostics of this severity or higher (the exit status still
        /// counts every error).
        #[arg(long, value_enum, default_value_t = MinSeverity::Info)]
        min_severity: MinSeverity,
        /// Print errors only (`--min-severity error`).
        #[arg(short, long, conflicts_with = "min_severity")]
        quiet: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum MinSeverity {
    Info,
    Warning,
    Error,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Json,
    Text,
}

#[derive(Clone, Copy, ValueEnum)]
enum DefsFormat {
    Json,
    Jsonl,
    Csv,
    Tbx,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Text,
    Json,
    Md,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum RenderFormat {
    Md,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum RefsFormat {
    Json,
    Tsv,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    Json,
    Dot,
    Mermaid,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphLevel {
    Article,
    Paragraph,
}

impl From<DefsFormat> for yakkan::export::DefsFormat {
    fn from(f: DefsFormat) -> Self {
        match f {
            DefsFormat::Json => Self::Json,
            DefsFormat::Jsonl => Self::Jsonl,
            DefsFormat::Csv => Self::Csv,
            DefsFormat::Tbx => Self::Tbx,
        }
    }
}

/// Why a run stopped early.
pub(crate) enum Failure {
    /// Usage, IO or refused output: `yakkan: message` on standard error, exit 2.
    Usage(String),
    /// The input is not usable text (empty or binary): the `file:0: error: … [code]`
    /// line that `check` prints for it, exit 1, in every command.
    Unusable(String),
}

impl From<String> for Failure {
    fn from(msg: String) -> Self {
        Failure::Usage(msg)
    }
}

impl From<&str> for Failure {
    fn from(msg: &str) -> Self {
        Failure::Usage(msg.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(from) = cli.input_format {
        let _ = FROM.set(match from {
            InputFormat::Text => yakkan::read::Format::Text,
            InputFormat::Markdown => yakkan::read::Format::Markdown,
            InputFormat::Html => yakkan::read::Format::Html,
            InputFormat::EgovXml => yakkan::read::Format::EgovXml,
            InputFormat::Docx => yakkan::read::Format::Docx,
            InputFormat::Pdf => yakkan::read::Format::Pdf,
        });
    }
    output::remove_temporaries_on_signals();
    match run(cli.command) {
        Ok(code) => code,
        Err(Failure::Usage(msg)) => {
            eprintln!("yakkan: {}", printable(&msg));
            ExitCode::from(2)
        }
        Err(Failure::Unusable(line)) => {
            eprint!("{line}");
            ExitCode::from(1)
        }
    }
}

fn run(command: Command) -> Result<ExitCode, Failure> {
    match command {
        Command::Site {
            corpus,
            output,
            serve,
            port,
        } => {
            let (s, problems) = sitecmd::build(&corpus, &output)?;
            // (each a whole line: `file:0: error: … [code]` for a skipped revision)
            for p in &problems {
                eprintln!("{}", printable(p.trim_end()));
            }
            eprintln!(
                "yakkan: site: {}, {}, {}, {} indexed ({:.1} KB search index), {:.2} s → {}",
                count(s.documents, "document"),
                count(s.revisions, "revision"),
                count(s.pages, "page"),
                count(s.provisions as usize, "provision"),
                s.index_bytes as f64 / 1024.0,
                s.seconds,
                printable(&output.display().to_string())
            );
            if serve {
                serve::serve(&output, port)?;
            }
            Ok(if s.skipped > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Parse {
            file,
            format,
            compact,
            output,
        } => {
            if Path::new(&file).is_dir() {
                return corpus::parse_folder(Path::new(&file), format, compact, output);
            }
            refuse_overwrite(&[&file], output.as_deref())?;
            let (doc, diags) = parse_file(&file)?;
            emit_with(output.as_deref(), |w| {
                write_parsed(w, format, compact, &doc, &diags)
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Defs {
            file,
            format,
            bom,
            keep_formulas,
            output,
        } => render_file(&file, output, |doc| {
            let opts = yakkan::export::CsvOptions { bom, keep_formulas };
            yakkan::export::definitions(doc, format.into(), opts)
        }),
        Command::Refs {
            file,
            format,
            keep_formulas,
            output,
        } => render_file(&file, output, |doc| match format {
            RefsFormat::Json => yakkan::export::references_json(doc),
            RefsFormat::Tsv => yakkan::export::references_tsv(doc, keep_formulas),
        }),
        Command::Graph {
            file,
            format,
            level,
            output,
        } => {
            let level = match level {
                GraphLevel::Article => yakkan::graph::Level::Article,
                GraphLevel::Paragraph => yakkan::graph::Level::Paragraph,
            };
            render_file(&file, output, |doc| {
                let g = yakkan::graph::build(doc, level);
                match format {
                    GraphFormat::Json => {
                        serde_json::to_string_pretty(&g).expect("plain data") + "\n"
                    }
                    GraphFormat::Dot => yakkan::graph::to_dot(&g),
                    GraphFormat::Mermaid => yakkan::graph::to_mermaid(&g),
                }
                .into_bytes()
            })
        }
        Command::Render {
            file,
            format,
            output,
        } => render_file(&file, output, |doc| {
            match format {
                RenderFormat::Md => yakkan::markdown::render(doc),
                RenderFormat::Html => yakkan::markdown::render_html(doc),
            }
            .into_bytes()
        }),
        Command::Diff {
            old,
            new,
            doc,
            from,
            to,
            format,
            old_first,
            full,
            landscape,
            exit_code,
            output,
        } => {
            let (old, new) = match (doc, old, new) {
                (Some(dir), _, _) => {
                    let file = |date: Option<String>| {
                        dir.join(format!("{}.txt", date.unwrap_or_default()))
                    };
                    (
                        file(from).display().to_string(),
                        file(to).display().to_string(),
                    )
                }
                (None, Some(a), Some(b)) => (a, b),
                _ => {
                    return Err("diff needs OLD and NEW, or --doc DIR --from DATE --to DATE".into())
                }
            };
            if old == "-" && new == "-" {
                return Err("diff: standard input (`-`) can be only one of OLD and NEW".into());
            }
            refuse_overwrite(&[&old, &new], output.as_deref())?;
            let (a, _) = parse_file(&old)?;
            let (b, _) = parse_file(&new)?;
            let cmp = yakkan::diff::compare(&a, &b);
            let out = match format {
                DiffFormat::Text => {
                    use std::io::IsTerminal;
                    let color = output.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none();
                    yakkan::taisho::text(&cmp, color)
                }
                DiffFormat::Json => {
                    let mut s =
                        serde_json::to_string_pretty(&cmp.report()).map_err(|e| e.to_string())?;
                    s.push('\n');
                    s
                }
                DiffFormat::Md => yakkan::taisho::markdown(&cmp),
                DiffFormat::Html => {
                    let opts = yakkan::taisho::TableOptions {
                        new_first: !old_first,
                        show_unchanged: full,
                        landscape,
                    };
                    yakkan::taisho::html(&cmp, opts)
                }
            };
            emit(output.as_deref(), out.as_bytes())?;
            Ok(if exit_code && !cmp.changes.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Check {
            files,
            min_severity,
            quiet,
        } => {
            let min = match (quiet, min_severity) {
                (true, _) | (_, MinSeverity::Error) => Severity::Error,
                (_, MinSeverity::Warning) => Severity::Warning,
                (_, MinSeverity::Info) => Severity::Info,
            };
            corpus::check(&files, min)
        }
    }
}

/// Writes a parsed document as `parse` prints it: JSON, streamed (a large tree is never
/// held as one string), or the clean text.
pub(crate) fn write_parsed(
    w: &mut dyn Write,
    format: Format,
    compact: bool,
    doc: &yakkan::Document,
    diags: &[Diagnostic],
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            yakkan::write_json(&mut *w, doc, diags, !compact).and_then(|_| w.write_all(b"\n"))
        }
        Format::Text => w.write_all(yakkan::text::render(doc).as_bytes()),
    }
}

/// Refuses an output file that is one of the inputs.
fn refuse_overwrite(inputs: &[&str], output: Option<&Path>) -> Result<(), String> {
    let Some(out) = output else { return Ok(()) };
    let mut set = output::Inputs::default();
    for i in inputs {
        set.add(Path::new(i));
    }
    set.check(out)
}

/// Reads and parses one document; an input that is not usable text stops the command.
fn parse_file(file: &str) -> Result<(yakkan::Document, Vec<Diagnostic>), Failure> {
    let bytes = read_input(file)?;
    let format = format_of(file, &bytes);
    let (doc, diags) = yakkan::parse_as(bytes, format);
    if let Some(d) = yakkan::unusable(&diags) {
        return Err(Failure::Unusable(check_line(file, d)));
    }
    Ok((doc, diags))
}

/// Parses one document, renders it with `f`, and writes the result.
fn render_file(
    file: &str,
    output: Option<PathBuf>,
    f: impl FnOnce(&yakkan::Document) -> Vec<u8>,
) -> Result<ExitCode, Failure> {
    refuse_overwrite(&[file], output.as_deref())?;
    let (doc, _) = parse_file(file)?;
    emit(output.as_deref(), &f(&doc))?;
    Ok(ExitCode::SUCCESS)
}

/// `1 page`, `2 pages`.
fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Writes to the output file (see [`output`]) or to standard output.
pub(crate) fn emit(output: Option<&Path>, bytes: &[u8]) -> Result<(), String> {
    emit_with(output, |w| w.write_all(bytes))
}

/// Like [`emit`], with the content written by `write` into a buffered writer.
fn emit_with(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), String> {
    match output {
        Some(path) => output::write_with(path, write),
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match write(&mut out).and_then(|_| out.flush()) {
                // A closed pipe (`yakkan parse … | head`) is not an error worth reporting.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.map_err(|e| format!("cannot write standard output: {e}")),
            }
        }
    }
}

/// `file:line: severity: message [code]`, with control characters escaped (document
/// text and file names reach a terminal).
pub(crate) fn check_line(file: &str, d: &Diagnostic) -> String {
    format!(
        "{}:{}: {}: {} [{}]\n",
        printable(file),
        d.line,
        d.severity,
        printable(&d.message),
        d.code
    )
}

pub(crate) fn read_input(file: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    if file == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
    } else {
        let path = Path::new(file);
        if path.is_dir() {
            return Err(format!("{file} is a directory"));
        }
        bytes = std::fs::read(path).map_err(|e| format!("cannot read {file}: {e}"))?;
    }
    Ok(bytes)
}
