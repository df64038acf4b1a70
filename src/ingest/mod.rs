//! Ingest: the finance workbooks of the input folder, read into the validated model.
//!
//! [`read`] lists the workbooks and reads their recognised sheets into [`grid::Grid`]s with
//! every cell's place; [`sheet`] finds each sheet's header and records; [`build`] turns the
//! records into the [`Werkplan`]. Every problem is collected as a [`Finding`] naming file,
//! sheet and cell, so one run reports them all.
//!
//! The ledger (`Boekingen...`) and commitments (`Verplichtingen...`) sheets of the monthly
//! run are recognised by [`header::SheetKind`] already; reading them comes in a later version.
//! Until then such sheets, and `Boekingen*.csv` / `Verplichtingen*.csv` files in the input
//! folder, give a warning that they are not read.

pub mod amount;
pub mod build;
pub mod grid;
pub mod header;
pub mod ledger;
pub mod limits;
mod ods;
pub mod read;
pub mod sheet;
mod xls;

#[cfg(test)]
mod fuzz;

use std::path::Path;

use crate::model::{Finding, Severity};
use crate::model::{Place, SourceFile, Werkplan};

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

/// The recognised sheets read so far: their tables, and where each kind was first seen.
#[derive(Default)]
struct SheetsSeen {
    tables: Vec<(SheetKind, SheetTable)>,
    first_place: Vec<(SheetKind, Place)>,
}

impl SheetsSeen {
    /// Reads a sheet's header and records; a ledger sheet, or a second sheet of one kind,
    /// is reported instead.
    fn add(&mut self, grid: grid::Grid, problems: &mut Problems) {
        let kind = grid.kind;
        if kind.may_repeat() {
            problems.warning(
                grid.place(),
                "boekingen en verplichtingen worden in deze versie nog niet verwerkt; de bedragen komen uit de budgetbladen",
            );
            return;
        }
        if let Some((_, first)) = self.first_place.iter().find(|(k, _)| *k == kind) {
            problems.error(
                grid.place(),
                format!("het blad ‘{}’ staat twee keer in de invoer: ook in {first}; elk blad mag maar één keer voorkomen", kind.name()),
            );
            return;
        }
        self.first_place.push((kind, grid.place()));
        match sheet::read(grid) {
            Ok(mut table) => {
                problems.findings.append(&mut table.warnings);
                self.tables.push((kind, table));
            }
            Err(findings) => problems.findings.extend(findings),
        }
    }
}

/// Reads every workbook in `dir` (shown in messages as `shown_dir`) into the model.
///
/// # Errors
/// Every finding (errors and warnings) when any error was found.
pub fn ingest(dir: &Path, shown_dir: &str, limits: &Limits) -> Result<Ingested, Vec<Finding>> {
    let listing = read::list_files(dir, shown_dir).map_err(|f| vec![*f])?;
    let files = listing.files;
    let mut problems = Problems::default();
    problems.findings.extend(listing.warnings);
    let mut sources: Vec<SourceFile> = Vec::new();
    let mut seen_sheets: Vec<String> = Vec::new();
    let mut a_file_failed = false;
    // sheets that are there but could not be read: reported as such, not as missing
    let mut failed_kinds: Vec<SheetKind> = Vec::new();
    // what the sheets say, reported after everything about the files (reading order)
    let mut sheet_problems = Problems::default();
    let mut sheets = SheetsSeen::default();
    for file in &files {
        let mut opened = match read::open(file, limits) {
            Ok(opened) => opened,
            Err(findings) => {
                a_file_failed = true;
                problems.findings.extend(findings);
                continue;
            }
        };
        if let Some(twin) = sources.iter().find(|s| s.sha256 == opened.source.sha256) {
            problems.error(
                Place::file(file.shown.clone()),
                format!(
                    "dit bestand is hetzelfde werkboek als {}; laat er één in de invoermap staan",
                    twin.path
                ),
            );
            continue;
        }
        sources.push(opened.source.clone());
        // one sheet's cells in memory at a time: its records are read, then its cells go
        while let Some(read) = opened.next_sheet() {
            match read {
                Ok(grid) => sheets.add(grid, &mut sheet_problems),
                Err(finding) => {
                    failed_kinds.extend(SheetKind::recognise(&finding.place.sheet));
                    problems.findings.push(finding);
                }
            }
        }
        seen_sheets.push(format!(
            "{} (bladen: {})",
            file.shown,
            opened.sheet_names.join(", ")
        ));
    }
    problems.findings.append(&mut sheet_problems.findings);
    let SheetsSeen {
        mut tables,
        first_place,
    } = sheets;

    // a required sheet that is not there; unless its file failed, or it is there but broken
    for kind in SheetKind::REQUIRED {
        let present = first_place.iter().any(|(k, _)| *k == kind) || failed_kinds.contains(&kind);
        if !present && !a_file_failed {
            problems.error(
                Place::file(shown_dir.to_string()),
                format!(
                    "het verplichte blad ‘{}’ ontbreekt; gelezen: {}",
                    kind.name(),
                    seen_sheets.join("; ")
                ),
            );
        }
    }
    let mut take = |kind| {
        tables
            .iter()
            .position(|(k, _)| *k == kind)
            .map(|i| tables.swap_remove(i).1)
    };
    let sheets = match (
        take(SheetKind::Themas),
        take(SheetKind::ReguliereMiddelen),
        take(SheetKind::DrentheBredeProjecten),
        take(SheetKind::Alliantiebudget),
        take(SheetKind::Alliantieprojecten),
    ) {
        (
            Some(themas),
            Some(regulier),
            Some(drenthe_breed),
            Some(alliantiebudget),
            Some(alliantieprojecten),
        ) => Some(BudgetSheets {
            themas,
            regulier,
            drenthe_breed,
            alliantiebudget,
            alliantieprojecten,
        }),
        _ => None,
    };
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
