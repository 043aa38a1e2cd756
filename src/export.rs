//! Exports for other tools: definitions and references.
//!
//! In: a parsed document. Out: bytes. References: `json` (the list) or `tsv` (one row
//! per reference: `from start end kind relation resolved targets text law readings`,
//! tabs and line breaks inside fields replaced by spaces, list fields joined by `,`).
//! Definitions, in one of four formats:
//! - `json`: the list, pretty-printed (the objects of the parse JSON's `definitions`);
//! - `jsonl`: one definition object per line;
//! - `csv`: RFC 4180 (CRLF line ends, quotes only where needed), UTF-8, a header row,
//!   `used_in` as space-separated IDs; optionally with a BOM for spreadsheet programs;
//!   cells that a spreadsheet would run as a formula get a leading `'` ([`cell`]);
//! - `tbx`: TBX-Basic (ISO 30042:2019, DCA style), `xml:lang="ja"`, one `conceptEntry`
//!   per definition with its term and its definition. Characters XML 1.0 forbids (C0
//!   controls other than tab, newline and CR) are left out of the XML.

use crate::tree::{Definition, Document};
use quick_xml::escape::escape;

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefsFormat {
    Json,
    Jsonl,
    Csv,
    Tbx,
}

/// How CSV (and TSV) cells are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Start with a UTF-8 byte order mark (for spreadsheet programs).
    pub bom: bool,
    /// Keep cells that start like a formula as they are (for programs). By default they
    /// are neutralised: see [`cell`].
    pub keep_formulas: bool,
}

/// A cell as a spreadsheet will show it: one that starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return (or their full-width forms `＝＋－＠`) gets a leading `'`,
/// so that a spreadsheet shows it as text instead of running it as a formula (OWASP's
/// rule against CSV injection). The JSON outputs keep the text exactly.
pub fn cell(s: &str, keep_formulas: bool) -> std::borrow::Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']);
    if risky && !keep_formulas {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Renders the definitions of `doc` (`opts` apply to CSV).
pub fn definitions(doc: &Document, format: DefsFormat, opts: CsvOptions) -> Vec<u8> {
    let defs = &doc.definitions;
    match format {
        DefsFormat::Json => {
            let mut s = serde_json::to_string_pretty(defs).expect("plain data");
            s.push('\n');
            s.into_bytes()
        }
        DefsFormat::Jsonl => defs
            .iter()
            .flat_map(|d| {
                let mut line = serde_json::to_vec(d).expect("plain data");
                line.push(b'\n');
                line
            })
            .collect(),
        DefsFormat::Csv => csv(defs, opts),
        DefsFormat::Tbx => tbx(doc).into_bytes(),
    }
}

fn csv(defs: &[Definition], opts: CsvOptions) -> Vec<u8> {
    let mut out = Vec::new();
    if opts.bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let header = [
        "id",
        "term",
        "definition",
        "kind",
        "scope",
        "defined_in",
        "line",
        "used_in",
    ];
    w.write_record(header).expect("writing to memory");
    for d in defs {
        let kind = serde_json::to_value(d.kind).expect("plain enum");
        let scope = serde_json::to_value(d.scope).expect("plain enum");
        let text = |s| cell(s, opts.keep_formulas);
        w.write_record([
            d.id.as_str(),
            &text(&d.term),
            &text(&d.definition),
            kind.as_str().unwrap_or_default(),
            scope.as_str().unwrap_or_default(),
            &d.defined_in,
            &d.line.to_string(),
            &d.used_in.join(" "),
        ])
        .expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

/// Text safe for XML 1.0: escaped, without the control characters XML forbids.
fn xml(s: &str) -> String {
    let allowed: String = s
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        })
        .collect();
    escape(allowed.as_str()).into_owned()
}

fn tbx(doc: &Document) -> String {
    let title = doc.meta.title.as_deref().unwrap_or("yakkan definitions");
    let source = match &doc.meta.as_of {
        Some(date) => format!("{title} ({date})"),
        None => title.to_string(),
    };
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<tbx style=\"dca\" type=\"TBX-Basic\" xml:lang=\"ja\" xmlns=\"urn:iso:std:iso:30042:ed-2\">\n");
    s.push_str("  <tbxHeader>\n    <fileDesc>\n      <sourceDesc>\n");
    s.push_str(&format!("        <p>{}</p>\n", xml(&source)));
    s.push_str("      </sourceDesc>\n    </fileDesc>\n  </tbxHeader>\n  <text>\n    <body>\n");
    for d in &doc.definitions {
        s.push_str(&format!("      <conceptEntry id=\"{}\">\n", xml(&d.id)));
        s.push_str("        <langSec xml:lang=\"ja\">\n");
        if !d.definition.is_empty() {
            s.push_str(&format!(
                "          <descrip type=\"definition\">{}</descrip>\n",
                xml(&d.definition)
            ));
        }
        s.push_str(&format!(
            "          <termSec>\n            <term>{}</term>\n          </termSec>\n",
            xml(&d.term)
        ));
        s.push_str("        </langSec>\n      </conceptEntry>\n");
    }
    s.push_str("    </body>\n  </text>\n</tbx>\n");
    s
}

/// The references of `doc` as a pretty JSON list.
pub fn references_json(doc: &Document) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(&doc.references).expect("plain data");
    s.push('\n');
    s.into_bytes()
}

fn tsv_field(s: &str, keep_formulas: bool) -> String {
    cell(s, keep_formulas).replace(['\t', '\n', '\r'], " ")
}

/// The references of `doc` as TSV with a header row; text fields are neutralised as
/// CSV cells are ([`cell`]) unless `keep_formulas`.
pub fn references_tsv(doc: &Document, keep_formulas: bool) -> Vec<u8> {
    let mut s =
        String::from("from\tstart\tend\tkind\trelation\tresolved\ttargets\ttext\tlaw\treadings\n");
    for r in &doc.references {
        let kind = serde_json::to_value(r.kind).expect("plain enum");
        let relation = serde_json::to_value(r.relation).expect("plain enum");
        let law = r.law.as_ref().map_or(String::new(), |l| {
            let mut v = l.name.clone();
            if let Some(n) = &l.number {
                v.push_str(&format!("（{n}）"));
            }
            if let Some(p) = &l.path {
                v.push_str(&format!(" {p}"));
            }
            v
        });
        let readings: Vec<String> = r
            .readings
            .iter()
            .map(|x| format!("{}→{}", x.from, x.to))
            .collect();
        let row = [
            r.from.clone(),
            r.start.to_string(),
            r.end.to_string(),
            kind.as_str().unwrap_or_default().to_string(),
            relation.as_str().unwrap_or_default().to_string(),
            r.resolved.to_string(),
            r.targets.join(","),
            tsv_field(&r.text, keep_formulas),
            tsv_field(&law, keep_formulas),
            tsv_field(&readings.join(","), keep_formulas),
        ];
        s.push_str(&row.join("\t"));
        s.push('\n');
    }
    s.into_bytes()
}
