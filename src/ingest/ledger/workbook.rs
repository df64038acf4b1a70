//! The reader of a workbook's ledger sheets: the sheet-XML scanner for `.xlsx`/`.xlsm`
//! ([`super::xlsx`]), calamine's ranges for `.xls`/`.ods` adapted to [`LedgerCell`] rows
//! (calamine materialises such a sheet whole: slower, and subject to `--max-cellen` like
//! any sheet).

use calamine::{Data, Reader, Sheets};

use super::xlsx::LedgerWorkbook;
use super::{CellAt, LedgerCell, RowSink, ScanError};
use crate::ingest::limits::{Limits, dutch_count};
use crate::ingest::read::{SHEET_BROKEN, Source};
use crate::model::Date;

/// The reader of one workbook's ledger sheets.
pub enum LedgerReader<'f> {
    /// An xlsx through the sheet-XML scanner.
    Xlsx(LedgerWorkbook<'f>),
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
            LedgerReader::Xlsx(workbook) => workbook.scan(sheet, sink),
            LedgerReader::Range(workbook, limits) => scan_range(workbook, sheet, limits, sink),
        }
    }
}

/// A cell owned for the length of one row.
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
        message: SHEET_BROKEN.to_string(),
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
