//! Ingest: the finance workbooks of the input folder, read into the validated model.
//!
//! [`kind::KINDS`] is the one table of sheet kinds (names, required headers, reader).
//! [`read`] lists the workbooks and reads their recognised sheets into [`grid::Grid`]s with
//! every cell's place; [`sheet`] finds each sheet's header and records; [`build`] turns the
//! records into the [`Werkplan`]. Every problem is collected as a [`Finding`] naming file,
//! sheet and cell, so one run reports them all.
//!
//! The ledger (`Boekingen...`) and commitments (`Verplichtingen...`) sheets of the monthly
//! run, and `Boekingen*.csv` / `Verplichtingen*.csv` files in the input folder, never become
//! grids: they are streamed row by row into [`ledger::LedgerInput`], whose sums are resolved
//! against the built werkplan once every file is read.

pub mod amount;
pub mod basis;
pub mod build;
pub mod grid;
pub mod header;
pub mod kind;
pub mod ledger;
pub mod limits;
mod merged;
mod ods;
pub mod quotes;
pub mod read;
pub mod sheet;
mod xls;

#[cfg(test)]
mod fuzz;

use std::path::Path;

use crate::model::{Finding, Severity};
use crate::model::{Name, Place, SourceFile, Werkplan};

use build::{BudgetSheets, InputFindings};
use header::SheetKind;
use ledger::{LedgerInput, Progress, ProgressSink, ScanError};
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
    /// Reads a sheet's header and records; a second sheet of one kind is reported instead.
    fn add(&mut self, grid: grid::Grid, problems: &mut InputFindings) {
        let kind = grid.kind;
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

/// Reports each required kind of sheet (see [`kind::KINDS`]) that was neither read nor
/// found broken, listing the sheets each file has.
fn report_missing(
    first_place: &[(SheetKind, Place)],
    failed_kinds: &[SheetKind],
    shown_dir: &str,
    seen_sheets: &[String],
    problems: &mut InputFindings,
) {
    for kind in SheetKind::required_kinds() {
        let present = first_place.iter().any(|(k, _)| *k == kind) || failed_kinds.contains(&kind);
        if !present {
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
}

/// What the workbooks read so far have given.
#[derive(Default)]
struct FilesRead {
    /// InputFindings with the files and sheets themselves, in reading order.
    problems: InputFindings,
    /// What the sheets say, reported after everything about the files (reading order).
    sheet_problems: InputFindings,
    /// The files read, with their SHA-256.
    sources: Vec<SourceFile>,
    /// Per file, the sheets it has (for the message about a missing sheet).
    seen_sheets: Vec<String>,
    /// Whether a file could not be opened: its sheets are then not reported as missing.
    a_file_failed: bool,
    /// Sheets that are there but could not be read: reported as such, not as missing.
    failed_kinds: Vec<SheetKind>,
    /// The budget sheets read.
    sheets: SheetsSeen,
    /// The ledger and register sheets, streamed.
    ledgers: LedgerInput,
}

impl FilesRead {
    /// Opens one workbook (a second copy of a workbook is refused), reads its budget
    /// sheets one at a time and streams its ledger sheets.
    fn workbook(&mut self, file: &read::InputFile, limits: &Limits, progress: &mut dyn Progress) {
        let mut opened = match read::open(file, limits) {
            Ok(opened) => opened,
            Err(findings) => {
                self.a_file_failed = true;
                self.problems.findings.extend(findings);
                return;
            }
        };
        let sha256 = &opened.source.sha256;
        if let Some(twin) = self.sources.iter().find(|s| s.sha256 == *sha256) {
            self.problems.error(
                Place::file(file.shown.clone()),
                format!(
                    "dit bestand is hetzelfde werkboek als {}; laat er één in de invoermap staan",
                    twin.path
                ),
            );
            return;
        }
        self.sources.push(opened.source.clone());
        // one sheet's cells in memory at a time: its records are read, then its cells go
        while let Some(read) = opened.next_sheet() {
            match read {
                Ok(grid) => self.sheets.add(grid, &mut self.sheet_problems),
                Err(finding) => {
                    self.failed_kinds
                        .extend(SheetKind::recognise(&finding.place.sheet));
                    self.problems.findings.push(finding);
                }
            }
        }
        scan_ledger_sheets(&mut opened, &mut self.ledgers, progress);
        self.seen_sheets.push(format!(
            "{} (bladen: {})",
            file.shown,
            opened.sheet_names.join(", ")
        ));
    }
}

/// Reads every workbook in `dir` (shown in messages as `shown_dir`) into the model.
///
/// # Errors
/// Every finding (errors and warnings) when any error was found.
pub fn read_folder(dir: &Path, shown_dir: &str, limits: &Limits) -> Result<Ingested, Vec<Finding>> {
    read_folder_with(dir, shown_dir, limits, None)
}

/// Streams the ledger and register sheets of an opened workbook into `ledgers`.
fn scan_ledger_sheets(
    opened: &mut read::OpenedFile,
    ledgers: &mut LedgerInput,
    progress: &mut dyn Progress,
) {
    let sheets = std::mem::take(&mut opened.ledger_sheets);
    if sheets.is_empty() {
        return;
    }
    let file = opened.shown().clone();
    let mut reader = match opened.ledger_reader() {
        Ok(reader) => reader,
        Err(e) => {
            ledgers.error(Finding::input_error(Place::file(file), e.message));
            return;
        }
    };
    for (sheet, kind) in sheets {
        let sheet = Name::from(sheet);
        let mut sink = ledgers.sheet(kind, file.clone(), sheet.clone());
        let result = scan_reported(
            progress,
            &file,
            &sheet,
            &mut sink,
            |rows| *rows,
            |sink| reader.scan(&sheet, sink),
        );
        sink.finish();
        if let Err(e) = result {
            ledgers.error(scan_finding(file.clone(), sheet, e));
        }
    }
}

/// Streams one sheet (or CSV file) through `scan` into `sink`, telling `progress` when it
/// starts, how far it got and how many rows it read.
fn scan_reported<T>(
    progress: &mut dyn Progress,
    file: &str,
    sheet: &str,
    sink: &mut dyn ledger::RowSink,
    rows: impl Fn(&T) -> u64,
    scan: impl FnOnce(&mut dyn ledger::RowSink) -> Result<T, ScanError>,
) -> Result<T, ScanError> {
    progress.start(file, sheet);
    let result = scan(&mut ProgressSink::new(sink, &mut *progress));
    progress.finish(file, sheet, result.as_ref().map_or(0, rows));
    result
}

/// A reader's error as a finding at its cell, else at its sheet.
fn scan_finding(file: Name, sheet: Name, error: ScanError) -> Finding {
    let place = match error.cell {
        Some((row, col)) => Place::cell(file, sheet, row, col),
        None => Place::sheet(file, sheet),
    };
    Finding::input_error(place, error.message)
}

/// Reads one `Boekingen*.csv` / `Verplichtingen*.csv` file into `ledgers` (its file name is
/// its sheet name in messages).
///
/// Returns the file as a source of the report (with its SHA-256), when it could be read.
fn read_csv_ledger(
    file: &read::InputFile,
    kind: SheetKind,
    ledgers: &mut LedgerInput,
    progress: &mut dyn Progress,
) -> Option<SourceFile> {
    let shown = Name::from(&file.shown);
    let name = Name::from(file.shown.rsplit('/').next().unwrap_or(&file.shown));
    let mut sink = ledgers.sheet(kind, shown.clone(), name.clone());
    let result = scan_reported(
        progress,
        &shown,
        &name,
        &mut sink,
        |read: &(u64, String)| read.0,
        |sink| ledger::csv::scan_csv_hashed(&file.path, sink),
    );
    sink.finish();
    match result {
        Ok((_, sha256)) => Some(SourceFile {
            path: file.shown.clone(),
            sha256,
        }),
        Err(e) => {
            ledgers.error(scan_finding(shown, name, e));
            None
        }
    }
}

/// [`read_folder`], telling `progress` how the ledger sheets go.
///
/// # Errors
/// Every finding (errors and warnings) when any error was found.
pub fn read_folder_with(
    dir: &Path,
    shown_dir: &str,
    limits: &Limits,
    progress: Option<&mut (dyn Progress + '_)>,
) -> Result<Ingested, Vec<Finding>> {
    let mut silent = ledger::Silent;
    let progress: &mut dyn Progress = match progress {
        Some(progress) => progress,
        None => &mut silent,
    };
    let mut listing = read::list_files(dir, shown_dir).map_err(|f| vec![*f])?;
    let mut read = FilesRead::default();
    read.problems.findings.append(&mut listing.warnings);
    for file in &listing.files {
        read.workbook(file, limits, &mut *progress);
    }
    let FilesRead {
        mut problems,
        mut sheet_problems,
        mut sources,
        seen_sheets,
        a_file_failed,
        failed_kinds,
        sheets,
        mut ledgers,
    } = read;
    for (file, kind) in &listing.ledger_files {
        sources.extend(read_csv_ledger(file, *kind, &mut ledgers, &mut *progress));
    }
    // the report lists every file read, workbooks and CSV exports, in name order
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    problems.findings.append(&mut sheet_problems.findings);
    let SheetsSeen {
        mut tables,
        first_place,
    } = sheets;
    // a required sheet that is not there; unless its file failed, or it is there but broken
    if !a_file_failed {
        report_missing(
            &first_place,
            &failed_kinds,
            shown_dir,
            &seen_sheets,
            &mut problems,
        );
    }
    let sheets = BudgetSheets::take(&mut tables);
    let mut werkplan = sheets.and_then(|sheets| build::werkplan(&sheets, sources, &mut problems));
    match werkplan.as_mut() {
        Some(werkplan) => match ledgers.resolve(werkplan) {
            Ok(ledger) => werkplan.ledger = ledger,
            Err(findings) => problems.findings.extend(findings),
        },
        None => problems.findings.extend(ledgers.into_findings()),
    }
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
