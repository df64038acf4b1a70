//! Reading a basis: the JSON of an earlier report (`financien-werkplan-<jaar>.json`), for the
//! actualisatie's comparison (`--basis`).
//!
//! The JSON's `model` becomes a [`Werkplan`] again (its places completed: the JSON writes a
//! figure's place as its cell only, inside its table's place), its `ledger` becomes the
//! model's sums again, and its `report.findings` are kept as reported; compute then
//! recomputes its figures with the same rules as this run's. A basis that cannot be used is a
//! [`BasisError`] naming the file and what is wrong; nothing else is read of it.

use std::fs;
use std::io::Read;
use std::path::Path;

use serde::Deserialize;
use serde::de::IgnoredAny;

pub use crate::model::{Basis, LineSpent};
use crate::model::{
    Date, DaySum, Finding, Ledger, LedgerSource, LedgerSums, LineRef, LineSums, MonthSum, Place,
    StatedTarget, Werkplan,
};

/// The JSON layout this program reads, the one it writes (`render::json::SCHEMA_VERSION`;
/// a test keeps them equal).
pub const SCHEMA: u32 = 1;

/// The largest basis read, in bytes: 256 MiB. The 2022 report's JSON is some 60 KiB; a
/// monthly run's with a hundred thousand lines a few tens of MiB.
pub const MAX_BASIS_BYTES: u64 = 256 << 20;

/// Why a basis cannot be used. Each message names the file (as given) and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum BasisError {
    /// The file does not exist.
    #[error("basis {path}: bestaat niet")]
    Missing {
        /// The path as given.
        path: String,
    },
    /// The path is a folder or something else that is not a regular file.
    #[error("basis {path}: is geen gewoon bestand")]
    NotAFile {
        /// The path as given.
        path: String,
    },
    /// The file is larger than [`MAX_BASIS_BYTES`].
    #[error(
        "basis {path}: is groter dan {} MiB; een rapport in JSON is hoogstens zo groot",
        MAX_BASIS_BYTES >> 20
    )]
    TooLarge {
        /// The path as given.
        path: String,
    },
    /// The file cannot be read (permissions, a read error).
    #[error("basis {path}: kan niet gelezen worden: {source}")]
    Unreadable {
        /// The path as given.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is not JSON (or not UTF-8).
    #[error("basis {path}: is geen JSON (regel {line}, kolom {column}: {reason})")]
    NotJson {
        /// The path as given.
        path: String,
        /// The line of the first error, from 1.
        line: usize,
        /// The column of the first error, from 1.
        column: usize,
        /// What the parser found there.
        reason: String,
    },
    /// The JSON stops before its end: the file was cut off (a copy or a write that did not
    /// finish).
    #[error(
        "basis {path}: is afgebroken: het JSON-document houdt op bij regel {line}, kolom {column}"
    )]
    Truncated {
        /// The path as given.
        path: String,
        /// Where it stops.
        line: usize,
        /// Where it stops.
        column: usize,
    },
    /// The JSON is of another layout than this program reads.
    #[error(
        "basis {path}: heeft JSON-schema {found}; deze versie van werkplan leest schema {SCHEMA}"
    )]
    OtherSchema {
        /// The path as given.
        path: String,
        /// The `schema` it has.
        found: String,
    },
    /// The JSON is not a report of this program: no `schema`, no `model`, or a `model` that is
    /// not a werkplan.
    #[error("basis {path}: is geen rapport van werkplan: {reason}")]
    NotAReport {
        /// The path as given.
        path: String,
        /// What is missing or wrong.
        reason: String,
    },
}

/// The first look: is it JSON, which schema, is there a model.
#[derive(Deserialize)]
struct Probe {
    schema: Option<serde_json::Value>,
    model: Option<IgnoredAny>,
}

/// The fields of the report JSON the comparison reads (the rest is ignored).
#[derive(Deserialize)]
struct Document {
    werkplan_version: String,
    year: i32,
    peildatum: Date,
    model: Werkplan,
    report: ReportPart,
    #[serde(default)]
    ledger: Option<LedgerPart>,
}

#[derive(Deserialize)]
struct ReportPart {
    findings: Vec<Finding>,
}

#[derive(Deserialize)]
struct LedgerPart {
    #[serde(default)]
    bookings: Option<SumsPart>,
    #[serde(default)]
    commitments: Option<SumsPart>,
}

#[derive(Deserialize)]
struct SumsPart {
    sources: Vec<LedgerSource>,
    lines: Vec<LineMonths>,
}

#[derive(Deserialize)]
struct LineMonths {
    #[serde(flatten)]
    line: LineRef,
    months: Vec<MonthSum>,
}

/// Reads the JSON of an earlier report as the basis of a comparison.
///
/// # Parameters
/// - `path`: the JSON file, as the user gave it (messages name it so).
///
/// # Errors
/// Every way the file can be unusable, each a [`BasisError`] naming it: missing, not a regular
/// file, too large, unreadable, not JSON, truncated, another `schema`, not a werkplan report.
///
/// # Examples
/// ```no_run
/// let basis = werkplan::ingest::basis::read_basis(std::path::Path::new(
///     "output/financien-werkplan-2022.json",
/// ))?;
/// assert_eq!(basis.year, 2022);
/// # Ok::<(), werkplan::ingest::basis::BasisError>(())
/// ```
pub fn read_basis(path: &Path) -> Result<Basis, BasisError> {
    let shown = path.display().to_string();
    let bytes = read_bounded(path, &shown)?;
    parse_basis(&bytes, &shown, file_name(path))
}

/// [`read_basis`] on bytes already read; `shown` names the file in messages, `file` is its
/// name for [`Basis::file`].
///
/// # Errors
/// As [`read_basis`], for the kinds that concern the contents.
pub fn parse_basis(bytes: &[u8], shown: &str, file: String) -> Result<Basis, BasisError> {
    let path = || shown.to_string();
    let probe: Probe = serde_json::from_slice(bytes).map_err(|e| json_error(&e, shown))?;
    let schema = probe.schema.ok_or_else(|| BasisError::NotAReport {
        path: path(),
        reason: "het veld ‘schema’ ontbreekt".to_string(),
    })?;
    if schema.as_u64() != Some(u64::from(SCHEMA)) {
        return Err(BasisError::OtherSchema {
            path: path(),
            found: schema.to_string(),
        });
    }
    if probe.model.is_none() {
        return Err(BasisError::NotAReport {
            path: path(),
            reason: "het veld ‘model’ ontbreekt".to_string(),
        });
    }
    let document: Document = serde_json::from_slice(bytes).map_err(|e| BasisError::NotAReport {
        path: path(),
        reason: format!(
            "{} (regel {}, kolom {})",
            strip_position(&e.to_string()),
            e.line(),
            e.column()
        ),
    })?;
    Ok(basis_from(document, file))
}

/// The file's bytes, when it is a regular file of at most [`MAX_BASIS_BYTES`] (read with a
/// bound too: it may grow between the look and the read).
fn read_bounded(path: &Path, shown: &str) -> Result<Vec<u8>, BasisError> {
    let path_s = || shown.to_string();
    let unreadable = |source: std::io::Error| {
        if source.kind() == std::io::ErrorKind::NotFound {
            BasisError::Missing { path: path_s() }
        } else {
            BasisError::Unreadable {
                path: path_s(),
                source,
            }
        }
    };
    let meta = fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(BasisError::NotAFile { path: path_s() });
    }
    if meta.len() > MAX_BASIS_BYTES {
        return Err(BasisError::TooLarge { path: path_s() });
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(MAX_BASIS_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_BASIS_BYTES {
        return Err(BasisError::TooLarge { path: path_s() });
    }
    Ok(bytes)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A parse error as not JSON, or truncated when the text simply stops.
fn json_error(error: &serde_json::Error, shown: &str) -> BasisError {
    let (line, column) = (error.line(), error.column());
    match error.classify() {
        serde_json::error::Category::Eof => BasisError::Truncated {
            path: shown.to_string(),
            line,
            column,
        },
        serde_json::error::Category::Data => BasisError::NotAReport {
            path: shown.to_string(),
            reason: format!(
                "{} (regel {line}, kolom {column})",
                strip_position(&error.to_string())
            ),
        },
        _ => BasisError::NotJson {
            path: shown.to_string(),
            line,
            column,
            reason: strip_position(&error.to_string()),
        },
    }
}

/// serde_json's message without its ` at line L column C` (the message gives them in Dutch).
fn strip_position(message: &str) -> String {
    message
        .find(" at line ")
        .map_or(message, |i| &message[..i])
        .to_string()
}

/// The basis from its document: places completed, the ledger rebuilt from its months.
fn basis_from(document: Document, file: String) -> Basis {
    let mut werkplan = document.model;
    complete_places(&mut werkplan);
    let (bookings, commitments) = document
        .ledger
        .map(|l| (l.bookings, l.commitments))
        .unwrap_or_default();
    let spent = bookings.as_ref().map(|sums| {
        sums.lines
            .iter()
            .map(|l| LineSpent {
                line: l.line.clone(),
                amount: l.months.iter().map(|m| m.amount).sum(),
            })
            .collect()
    });
    werkplan.ledger = Ledger {
        bookings: bookings.map(ledger_sums),
        commitments: commitments.map(ledger_sums),
    };
    Basis {
        file,
        werkplan_version: document.werkplan_version,
        year: document.year,
        peildatum: document.peildatum,
        werkplan,
        findings: document.report.findings,
        spent,
    }
}

/// The sums per line and day again, from the JSON's sums per month (each on the month's
/// first day, so they stay within the basis's peildatum).
fn ledger_sums(part: SumsPart) -> LedgerSums {
    let first = part
        .sources
        .first()
        .map(|s| Place::file(s.place.file.clone()))
        .unwrap_or_else(|| Place::file(""));
    let lines = part
        .lines
        .into_iter()
        .map(|l| LineSums {
            days: l
                .months
                .iter()
                .map(|m| DaySum {
                    date: m.year.zip(m.month).and_then(|(y, m)| Date::new(y, m, 1)),
                    amount: m.amount,
                    rows: m.rows,
                })
                .collect(),
            line: l.line,
            first: first.clone(),
        })
        .collect();
    LedgerSums {
        lines,
        sources: part.sources,
    }
}

/// Completes every place the JSON wrote as its cell only with its table's file and sheet.
fn complete_places(werkplan: &mut Werkplan) {
    for table in [&mut werkplan.regulier, &mut werkplan.drenthe_breed] {
        let sheet = table.place.clone();
        for column in &mut table.columns {
            column.place.within(&sheet);
        }
        for line in table.sections.iter_mut().flat_map(|s| &mut s.lines) {
            line.place.within(&sheet);
            line.amounts.iter_mut().for_each(|a| a.place.within(&sheet));
            line.stated
                .iter_mut()
                .for_each(|s| s.amount.place.within(&sheet));
            for part in &mut line.parts {
                part.place.within(&sheet);
                part.amounts.iter_mut().for_each(|a| a.place.within(&sheet));
                part.stated
                    .iter_mut()
                    .for_each(|s| s.amount.place.within(&sheet));
            }
        }
        for total in &mut table.stated_totals {
            total.place.within(&sheet);
            total
                .values
                .iter_mut()
                .for_each(|s| s.amount.place.within(&sheet));
        }
    }
    let alliantie = &mut werkplan.alliantie;
    let (budgets, awards) = (
        alliantie.budget_place.clone(),
        alliantie.awards_place.clone(),
    );
    for budget in &mut alliantie.budgets {
        budget.place.within(&budgets);
        budget.budget.place.within(&budgets);
        if let Some(remaining) = &mut budget.stated_remaining {
            remaining.place.within(&budgets);
        }
    }
    for award in &mut alliantie.awards {
        award.place.within(&awards);
        award.amount.place.within(&awards);
    }
    for note in &mut alliantie.notes {
        note.place.within(&awards);
    }
    // a stated total of the awards sheet states rounds or the total awarded; of the budget
    // sheet, the budget and the remaining
    for total in &mut alliantie.stated_totals {
        let sheet = match total.values.first().map(|s| &s.target) {
            Some(StatedTarget::Round(_) | StatedTarget::Awarded) => &awards,
            _ => &budgets,
        };
        total.place.within(sheet);
        total
            .values
            .iter_mut()
            .for_each(|s| s.amount.place.within(sheet));
    }
}
