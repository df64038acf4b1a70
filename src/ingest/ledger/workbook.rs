//! Ledger sheets of workbooks through calamine, adapted to [`LedgerCell`] rows: the
//! streaming cell reader for `.xlsx`/`.xlsm` (until the sheet-XML scanner replaces it,
//! see [`scan_xlsx`]) and calamine's ranges for `.xls`/`.ods` (which calamine materialises
//! whole: slower, and subject to `--max-cellen` like any sheet).

use calamine::{Data, DataRef, Reader, Sheets, Xlsx};

use super::{CellAt, LedgerCell, MergedArea, RowSink, ScanError};
use crate::ingest::limits::{Limits, dutch_count};
use crate::ingest::read::Source;
use crate::model::Date;

const BROKEN: &str = "het blad kan niet worden gelezen: de gegevens van het blad zijn beschadigd of onvolledig; open het werkboek in Excel of LibreOffice, sla het opnieuw op en probeer opnieuw";

/// The reader of one workbook's ledger sheets.
pub enum LedgerReader<'f> {
    /// An xlsx through calamine's cell reader.
    Xlsx(&'f mut Xlsx<Source>, &'f Limits),
    /// Another format (`.xls`, `.ods`) through calamine's ranges.
    Range(&'f mut Sheets<Source>, &'f Limits),
}

impl LedgerReader<'_> {
    /// Streams one sheet into `sink`; returns the rows read.
    ///
    /// # Errors
    /// A sheet that cannot be read further, with the cell where known.
    pub fn scan(&mut self, sheet: &str, sink: &mut dyn RowSink) -> Result<u64, ScanError> {
        match self {
            LedgerReader::Xlsx(xlsx, limits) => scan_xlsx(xlsx, sheet, limits, sink),
            LedgerReader::Range(workbook, limits) => scan_range(workbook, sheet, limits, sink),
        }
    }
}

/// A cell owned for the length of one row (calamine lends its values one at a time).
enum Owned {
    Text(String),
    Float(f64),
    Date(Date),
    Bool(bool),
    Error(String),
}

/// Collects one row's cells and hands them to the sink when the row changes.
struct RowBuffer {
    row: Option<u32>,
    cells: Vec<(u32, Owned)>,
    rows: u64,
}

impl RowBuffer {
    fn new() -> RowBuffer {
        RowBuffer {
            row: None,
            cells: Vec::new(),
            rows: 0,
        }
    }

    fn push(&mut self, row: u32, col: u32, cell: Owned, sink: &mut dyn RowSink) {
        if self.row != Some(row) {
            self.flush(sink);
            self.row = Some(row);
        }
        self.cells.push((col, cell));
    }

    fn flush(&mut self, sink: &mut dyn RowSink) {
        let Some(row) = self.row.take() else {
            return;
        };
        let cells: Vec<CellAt<'_>> = self
            .cells
            .iter()
            .map(|(col, cell)| CellAt {
                col: *col,
                value: match cell {
                    Owned::Text(t) => LedgerCell::Text(t),
                    Owned::Float(f) => LedgerCell::Float(*f),
                    Owned::Date(d) => LedgerCell::Date(*d),
                    Owned::Bool(b) => LedgerCell::Bool(*b),
                    Owned::Error(e) => LedgerCell::Error(e),
                },
            })
            .collect();
        sink.row(row, &cells);
        self.rows += 1;
        self.cells.clear();
    }
}

/// A calamine date as a calendar date (the time of day dropped).
fn date(value: &calamine::ExcelDateTime) -> Option<Date> {
    let (year, month, day, ..) = value.to_ymd_hms_milli();
    Date::new(i32::from(year), u32::from(month), u32::from(day))
}

fn owned(data: &Data) -> Option<Owned> {
    Some(match data {
        Data::Empty => return None,
        Data::String(s) => Owned::Text(s.clone()),
        Data::Float(f) => Owned::Float(*f),
        Data::Int(i) => Owned::Float(*i as f64),
        Data::Bool(b) => Owned::Bool(*b),
        Data::DateTime(d) => match date(d) {
            Some(d) => Owned::Date(d),
            None => Owned::Float(d.as_f64()),
        },
        Data::DateTimeIso(d) | Data::DurationIso(d) => Owned::Text(d.clone()),
        Data::Error(e) => Owned::Error(e.to_string()),
    })
}

/// Reads an xlsx ledger sheet through calamine's streaming cell reader (until the
/// sheet-XML scanner replaces it, see [`crate::ingest::read::OpenedFile::ledger_reader`]).
/// Returns the rows read.
///
/// # Errors
/// A sheet that cannot be read further, with the cell where known.
pub fn scan_xlsx(
    xlsx: &mut Xlsx<Source>,
    sheet: &str,
    limits: &Limits,
    sink: &mut dyn RowSink,
) -> Result<u64, ScanError> {
    let broken = |cell| ScanError {
        cell,
        message: BROKEN.to_string(),
    };
    let merged: Vec<MergedArea> = match xlsx.merge_cells_by_sheet_name(sheet) {
        Ok(regions) => regions
            .iter()
            .map(|d| MergedArea {
                start: d.start,
                end: d.end,
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    let mut reader = xlsx
        .worksheet_cells_reader(sheet)
        .map_err(|_| broken(None))?;
    let mut rows = RowBuffer::new();
    let mut previous: Option<(u32, u32)> = None;
    let mut cells: u64 = 0;
    let max_cells = limits.max_ledger_cells();
    while let Some(cell) = reader
        .next_cell_with_formula()
        .map_err(|_| broken(previous))?
    {
        let (row, col) = cell.pos;
        if previous.is_some_and(|p| p >= (row, col)) {
            return Err(ScanError {
                cell: Some((row, col)),
                message: "de cellen van het blad staan niet op volgorde of een celverwijzing is ongeldig; open het werkboek in Excel of LibreOffice, sla het opnieuw op en probeer opnieuw".into(),
            });
        }
        previous = Some((row, col));
        cells += 1;
        if cells > max_cells {
            return Err(ScanError {
                cell: Some((row, col)),
                message: format!(
                    "het boekingenblad heeft meer dan {} cellen (--max-boekingen-mib); zo'n groot blad wordt niet gelezen",
                    dutch_count(max_cells)
                ),
            });
        }
        let value = match &cell.value {
            DataRef::SharedString(s) => Some(Owned::Text((*s).to_string())),
            other => owned(&Data::from(other.clone())),
        };
        let value = match (value, &cell.formula) {
            (None, Some(f)) if !f.is_empty() && !matches!(cell.value, DataRef::String(_)) => {
                Some(Owned::Error(format!("={f}")))
            }
            (value, _) => value,
        };
        if let Some(value) = value {
            rows.push(row, col, value, sink);
        }
    }
    rows.flush(sink);
    sink.merged(&merged);
    Ok(rows.rows)
}

/// Reads a ledger sheet of another format (`.xls`, `.ods`) through calamine's range.
///
/// # Errors
/// A sheet that cannot be read.
pub fn scan_range(
    workbook: &mut Sheets<Source>,
    sheet: &str,
    limits: &Limits,
    sink: &mut dyn RowSink,
) -> Result<u64, ScanError> {
    let range = workbook.worksheet_range(sheet).map_err(|_| ScanError {
        cell: None,
        message: BROKEN.to_string(),
    })?;
    let cells = range.get_size().0 as u64 * range.get_size().1 as u64;
    if cells > limits.max_area {
        return Err(ScanError {
            cell: None,
            message: format!(
                "het blad beslaat {} cellen, meer dan de toegestane {} (--max-bereik)",
                dutch_count(cells),
                dutch_count(limits.max_area)
            ),
        });
    }
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows = RowBuffer::new();
    for (row, col, data) in range.used_cells() {
        if let Some(value) = owned(data) {
            rows.push(r0 + row as u32, c0 + col as u32, value, sink);
        }
    }
    rows.flush(sink);
    Ok(rows.rows)
}
