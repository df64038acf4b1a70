//! Findings: what the pipeline has to say about the input, each pointing at a place.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Money, Place};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be processed: the run stops and writes nothing (exit 1).
    Fout,
    /// Reported; the run goes on (with `--strict` it stops, exit 3).
    Waarschuwing,
}

impl Severity {
    /// The Dutch word.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Fout => "fout",
            Severity::Waarschuwing => "waarschuwing",
        }
    }
}

/// What kind of finding it is; stable identifiers for the JSON and the logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A stated value (a `Totaal` row, a parent row, a stated remaining) differs from the
    /// computed one.
    AfwijkendTotaal,
    /// A line or theme has spent and committed more than its budget.
    Overbesteed,
    /// The input cannot be read or does not follow INPUT.md.
    Invoer,
    /// A text holds a character the PDF's font lacks; the PDF draws a substitute.
    Lettertype,
}

/// One finding: a place, what was stated, what was computed, and a Dutch message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// How serious.
    pub severity: Severity,
    /// What kind.
    pub kind: FindingKind,
    /// Where: file, sheet, cell.
    pub place: Place,
    /// The value the spreadsheet states, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stated: Option<Money>,
    /// The value the pipeline computed, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed: Option<Money>,
    /// `computed - stated`, if both are there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<Money>,
    /// The message in Dutch, without the place.
    pub message: String,
}

impl Finding {
    /// The findings of one severity, in their order: the one way findings are counted
    /// (`Finding::with_severity(&findings, Severity::Fout).count()`) or looked for
    /// (`.next().is_some()`).
    pub fn with_severity(
        findings: &[Finding],
        severity: Severity,
    ) -> impl Iterator<Item = &Finding> {
        findings.iter().filter(move |f| f.severity == severity)
    }

    /// An input error (severity `fout`).
    pub fn input_error(place: Place, message: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Fout,
            kind: FindingKind::Invoer,
            place,
            stated: None,
            computed: None,
            difference: None,
            message: message.into(),
        }
    }

    /// A remark about the input that does not stop the run (severity `waarschuwing`).
    pub fn warning(place: Place, message: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Waarschuwing,
            ..Finding::input_error(place, message)
        }
    }

    /// A text with characters the PDF's font lacks (severity `waarschuwing`): the PDF draws
    /// a substitute in their place.
    pub fn font(place: Place, message: impl Into<String>) -> Finding {
        Finding {
            kind: FindingKind::Lettertype,
            ..Finding::warning(place, message)
        }
    }

    /// A stated value that differs from the computed one (severity `waarschuwing`).
    /// `subject` says what the value is (`Totaal, Uitgaven 2021`).
    pub fn mismatch(place: Place, stated: Money, computed: Money, subject: &str) -> Finding {
        let difference = computed - stated;
        Finding {
            severity: Severity::Waarschuwing,
            kind: FindingKind::AfwijkendTotaal,
            place,
            stated: Some(stated),
            computed: Some(computed),
            difference: Some(difference),
            message: format!(
                "vermeld {}, berekend {} (verschil {}) bij {subject}",
                stated.to_dutch(),
                computed.to_dutch(),
                difference.to_dutch()
            ),
        }
    }

    /// A remainder below zero (severity `waarschuwing`): over-spent or over-paid by
    /// `computed`, which `message` explains.
    pub fn overspent(place: Place, computed: Money, message: String) -> Finding {
        Finding {
            severity: Severity::Waarschuwing,
            kind: FindingKind::Overbesteed,
            place,
            stated: None,
            computed: Some(computed),
            difference: None,
            message,
        }
    }
}

impl fmt::Display for Finding {
    /// `input/werkplan-2022.xlsx › Reguliere middelen › F31: vermeld € 3.365.646,84, ...`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}
