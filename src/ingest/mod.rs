//! Ingest: the finance workbooks of the input folder, read into the validated model.
//!
//! [`read`] lists the workbooks and reads their recognised sheets into [`grid::Grid`]s with
//! every cell's place; [`sheet`] finds each sheet's header and records; [`build`] turns the
//! records into the [`Werkplan`]. Every problem is collected as a [`Finding`] naming file,
//! sheet and cell, so one run reports them all.
//!
//! The ledger (`Boekingen...`) and commitments (`Verplichtingen...`) sheets of the monthly
//! run are recognised by [`header::SheetKind`] already; reading them comes in a later version
//! and they are ignored until then.

pub mod amount;
pub mod build;
pub mod grid;
pub mod header;
pub mod limits;
pub mod read;
pub mod sheet;

#[cfg(test)]
mod fuzz;

use std::path::Path;

use crate::compute::{Finding, Severity};
use crate::model::{Place, Werkplan};

use build::{BudgetSheets, Problems};
use header::SheetKind;
use limits::Limits;
use sheet::SheetTable;

/// The result of ingest: the model and any warnings, or every error found.
pub struct Ingested {
    /// The validated model.
    pub werkplan: Werkplan,
    /// Warnings found while reading (severity `waarschuwing`).
    pub warnings: Vec<Finding>,
}

/// Reads every workbook in `dir` (shown in messages as `shown_dir`) into the model.
///
/// # Errors
/// Every finding (errors and warnings) when any error was found.
pub fn ingest(dir: &Path, shown_dir: &str, limits: &Limits) -> Result<Ingested, Vec<Finding>> {
    let files = read::list_files(dir, shown_dir).map_err(|f| vec![*f])?;
    let mut problems = Problems::default();
    let mut sources = Vec::new();
    let mut grids = Vec::new();
    for file in &files {
        match read::open(file, limits) {
            Ok(opened) => {
                if let Some(twin) = sources
                    .iter()
                    .find(|s: &&crate::model::SourceFile| s.sha256 == opened.source.sha256)
                {
                    problems.findings.push(Finding::input(
                        Place::file(file.shown.clone()),
                        format!("dit bestand is hetzelfde werkboek als {}; laat er één in de invoermap staan", twin.path),
                    ));
                    continue;
                }
                sources.push(opened.source);
                grids.extend(opened.grids);
                problems.findings.extend(opened.errors);
            }
            Err(findings) => problems.findings.extend(findings),
        }
    }
    let mut by_kind: Vec<(SheetKind, grid::Grid)> = Vec::new();
    for grid in grids {
        let kind = grid.kind;
        if !kind.may_repeat()
            && let Some((_, first)) = by_kind.iter().find(|(k, _)| *k == kind)
        {
            problems.findings.push(Finding::input(
                grid.place(),
                format!("het blad ‘{}’ staat twee keer in de invoer: ook in {}; elk blad mag maar één keer voorkomen", kind.name(), first.place()),
            ));
            continue;
        }
        by_kind.push((kind, grid));
    }
    let mut tables: Vec<(SheetKind, SheetTable)> = Vec::new();
    for (kind, grid) in by_kind {
        if kind.may_repeat() {
            continue; // the monthly run's sheets: not read in this version
        }
        match sheet::read(grid) {
            Ok(mut table) => {
                problems.findings.append(&mut table.warnings);
                tables.push((kind, table));
            }
            Err(findings) => problems.findings.extend(findings),
        }
    }
    // a file that could not be opened may hold the missing sheets: say only that it failed
    let a_file_failed = problems
        .findings
        .iter()
        .any(|f| f.severity == Severity::Fout && f.place.sheet.is_empty());
    let mut take = |kind: SheetKind, problems: &mut Problems| -> Option<SheetTable> {
        let position = tables.iter().position(|(k, _)| *k == kind);
        match position {
            Some(i) => Some(tables.swap_remove(i).1),
            None => {
                if !a_file_failed
                    && !problems.findings.iter().any(|f| {
                        !f.place.sheet.is_empty()
                            && SheetKind::recognise(&f.place.sheet) == Some(kind)
                    })
                {
                    let names: Vec<&str> = files.iter().map(|f| f.shown.as_str()).collect();
                    problems.findings.push(Finding::input(
                        Place::file(shown_dir.to_string()),
                        format!(
                            "het verplichte blad ‘{}’ ontbreekt; gelezen: {}",
                            kind.name(),
                            names.join(", ")
                        ),
                    ));
                }
                None
            }
        }
    };
    let sheets = (|| {
        let themas = take(SheetKind::Themas, &mut problems);
        let regulier = take(SheetKind::ReguliereMiddelen, &mut problems);
        let drenthe_breed = take(SheetKind::DrentheBredeProjecten, &mut problems);
        let alliantiebudget = take(SheetKind::Alliantiebudget, &mut problems);
        let alliantieprojecten = take(SheetKind::Alliantieprojecten, &mut problems);
        Some(BudgetSheets {
            themas: themas?,
            regulier: regulier?,
            drenthe_breed: drenthe_breed?,
            alliantiebudget: alliantiebudget?,
            alliantieprojecten: alliantieprojecten?,
        })
    })();
    let werkplan = sheets.and_then(|sheets| build::build(&sheets, sources, &mut problems));
    match werkplan {
        Some(werkplan) if !problems.has_errors() => Ok(Ingested {
            werkplan,
            warnings: problems
                .findings
                .into_iter()
                .filter(|f| f.severity == Severity::Waarschuwing)
                .collect(),
        }),
        _ => Err(problems.findings),
    }
}
