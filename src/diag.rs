//! Diagnostics: what the pipeline noticed, decided or could not do.
//!
//! In: nothing (a plain data type every stage produces).
//! Out: [`Diagnostic`] values, serialised as `{code, severity, message, line}`
//! plus `dropped` when a layout artefact (a page footer) was removed, so that
//! every removed character stays accounted for.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How much a diagnostic matters. `yakkan check` exits 1 when any is `Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A layout decision recorded for review (a page break, a footer dropped).
    Info,
    /// Something a human should look at (a numbering gap, a row moved).
    Warning,
    /// The input could not be read as intended (binary, invalid date).
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding, tied to a 1-based source line (0 when it concerns the whole input).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable kebab-case identifier, e.g. `footer-dropped`.
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub line: usize,
    /// Content characters removed from the text (page footers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dropped: Option<String>,
}

impl Diagnostic {
    pub fn new(code: &str, severity: Severity, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.to_string(),
            severity,
            message: message.into(),
            line,
            dropped: None,
        }
    }
    pub fn info(code: &str, line: usize, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Info, line, message)
    }
    pub fn warning(code: &str, line: usize, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, line, message)
    }
    pub fn error(code: &str, line: usize, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, line, message)
    }
}

/// The diagnostic saying the input was not a document at all (binary or empty), if any:
/// corpus runs skip such files.
pub fn unusable(diags: &[Diagnostic]) -> Option<&Diagnostic> {
    diags.iter().find(|d| {
        d.severity == Severity::Error && matches!(d.code.as_str(), "binary-input" | "empty-input")
    })
}

/// How many error- and warning-severity diagnostics there are.
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let of = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    (of(Severity::Error), of(Severity::Warning))
}
