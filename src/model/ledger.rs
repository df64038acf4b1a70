//! The monthly run's aggregates: spending per line and day from the ledger (`Boekingen...`),
//! commitments per line and day from the register (`Verplichtingen...`).
//!
//! Never the bookings themselves: a reader streams each row into a sum of its line and day
//! and forgets it, so memory grows with lines × days, not with the number of bookings. The
//! peildatum is applied later (compute), which is why sums are kept per day: a booking on the
//! peildatum counts, the day after does not, and the report says what was left out.

use serde::Serialize;

use super::{Date, Instrument, Money, Place};

/// The line a booking or commitment is on, resolved against the werkplan's tables.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct LineRef {
    /// The table: for the alliance projects, the award is the line.
    pub instrument: Instrument,
    /// Theme number.
    pub theme: u32,
    /// The line's (or award's) code.
    pub code: String,
    /// For a part: its index in [`super::Line::parts`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<usize>,
}

/// What was booked (or committed) on one line on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DaySum {
    /// The day; `None` only for an undated commitment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// The sum, corrections (negative amounts) included.
    pub amount: Money,
    /// How many rows made it.
    pub rows: u64,
}

/// Everything booked or committed on one line, per day in date order (undated first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineSums {
    /// The line.
    pub line: LineRef,
    /// Per day.
    pub days: Vec<DaySum>,
    /// The first row that booked on this line (its `Code` cell), for findings.
    pub first: Place,
}

/// One ledger or register sheet (or CSV file) that was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LedgerSource {
    /// File and sheet (a CSV file's sheet is its file name).
    pub place: Place,
    /// Data rows read (header and blank rows not counted).
    pub rows: u64,
}

/// The ledger or the register: sums per line and day, and what was read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LedgerSums {
    /// Per line, in [`LineRef`] order.
    pub lines: Vec<LineSums>,
    /// The sheets and files read, in reading order.
    pub sources: Vec<LedgerSource>,
}

impl LedgerSums {
    /// The latest date of any row.
    pub fn latest(&self) -> Option<Date> {
        self.lines
            .iter()
            .flat_map(|l| l.days.iter().filter_map(|d| d.date))
            .max()
    }
}

/// The monthly run's input: `None` where the input folder has no such sheet or file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Ledger {
    /// Actual spending (`Boekingen...`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bookings: Option<LedgerSums>,
    /// Commitments (`Verplichtingen...`); where present, the source of `Verplicht`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitments: Option<LedgerSums>,
}

impl Ledger {
    /// Whether the run read a ledger or a register at all.
    pub fn is_empty(&self) -> bool {
        self.bookings.is_none() && self.commitments.is_none()
    }
}
