//! The monthly run's input: ledger (`Boekingen...`) and commitments register
//! (`Verplichtingen...`) sheets and CSV files, streamed row by row into sums per line and day
//! ([`crate::model::Ledger`]); a booking is never stored.
//!
//! A reader (the sheet-XML scanner for xlsx, the CSV reader, calamine for `.xls`/`.ods`)
//! hands each row to a [`RowSink`] and forgets it. The sink finds the header, reads the
//! row's date, line and amount, and adds the amount to its bucket ([`sink`]).

pub mod csv;
mod row;
mod styles;
pub mod xlsx;
mod xml;

use crate::model::Date;

/// One cell of a row as a reader found it, borrowed from the reader's buffer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LedgerCell<'a> {
    /// Text (a shared or inline string, or a CSV field), unescaped, untrimmed.
    Text(&'a str),
    /// A number as the file writes it (`1234.5`, `-12`, `1.5E-3`): read to cents straight
    /// from its digits, never through a float.
    Number(&'a str),
    /// A number the reader only has as a float (calamine, for `.xls`/`.ods`).
    Float(f64),
    /// A date cell (a number with a date format), converted with the workbook's date system;
    /// the time of day, if any, is dropped.
    Date(Date),
    /// A boolean.
    Bool(bool),
    /// An error value (`#REF!`, ...), or a formula without a cached value (`=SUM(A1:A3)`).
    Error(&'a str),
}

/// A non-empty cell of a row: its zero-based column and value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellAt<'a> {
    /// Zero-based column (A = 0).
    pub col: u32,
    /// The value.
    pub value: LedgerCell<'a>,
}

/// What a reader feeds: rows in order, each with its non-empty cells in column order.
pub trait RowSink {
    /// One row: its zero-based absolute row number and non-empty cells, in column order.
    /// Rows come in increasing order; blank rows may be left out.
    fn row(&mut self, row: u32, cells: &[CellAt<'_>]);

    /// The merged areas of the sheet, reported once after the last row (xlsx writes them
    /// after the data).
    fn merged(&mut self, _areas: &[MergedArea]) {}
}

/// A merged area, zero-based and inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MergedArea {
    /// First row and column.
    pub start: (u32, u32),
    /// Last row and column.
    pub end: (u32, u32),
}

/// Why a reader stopped: the sheet or file cannot be read further.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanError {
    /// The cell where it went wrong (zero-based row and column), if known.
    pub cell: Option<(u32, u32)>,
    /// The reason, in Dutch, for the user.
    pub message: String,
}

pub mod sink;
pub mod workbook;

pub use sink::{LedgerInput, SheetSink};

/// What a long read reports as it goes, so that the application can show progress; ingest
/// itself draws nothing.
pub trait Progress {
    /// A ledger sheet (or CSV file) starts.
    fn start(&mut self, file: &str, sheet: &str);
    /// Rows read so far in the current sheet (called every few thousand rows).
    fn rows(&mut self, rows: u64);
    /// The sheet is done: its rows.
    fn finish(&mut self, file: &str, sheet: &str, rows: u64);
}

/// Nobody to tell: a run without a progress display.
pub struct Silent;

impl Progress for Silent {
    fn start(&mut self, _file: &str, _sheet: &str) {}
    fn rows(&mut self, _rows: u64) {}
    fn finish(&mut self, _file: &str, _sheet: &str, _rows: u64) {}
}

/// How many rows pass between two [`Progress::rows`] calls.
const PROGRESS_EVERY: u32 = 1 << 14;

/// A [`RowSink`] that passes rows on and tells a [`Progress`] how far it got.
pub struct ProgressSink<'a> {
    /// Where the rows go.
    pub inner: &'a mut dyn RowSink,
    /// Who is told.
    pub progress: &'a mut dyn Progress,
    rows: u64,
    countdown: u32,
}

impl<'a> ProgressSink<'a> {
    /// Wraps `inner`.
    pub fn new(inner: &'a mut dyn RowSink, progress: &'a mut dyn Progress) -> ProgressSink<'a> {
        ProgressSink {
            inner,
            progress,
            rows: 0,
            countdown: PROGRESS_EVERY,
        }
    }
}

impl RowSink for ProgressSink<'_> {
    fn row(&mut self, row: u32, cells: &[CellAt<'_>]) {
        self.inner.row(row, cells);
        self.rows += 1;
        self.countdown -= 1;
        if self.countdown == 0 {
            self.countdown = PROGRESS_EVERY;
            self.progress.rows(self.rows);
        }
    }

    fn merged(&mut self, areas: &[MergedArea]) {
        self.inner.merged(areas);
    }
}
