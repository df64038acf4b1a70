//! The basis of an actualisatie: an earlier report read back (its JSON), with what the
//! comparison needs. Ingest reads it (`ingest::basis`), compute compares with it
//! (`compute::changes::compare`).

use super::{Date, Finding, Instrument, LineRef, Money, Werkplan};

/// An earlier report, read back from its JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Basis {
    /// The basis file's name (without its folder), for messages.
    pub file: String,
    /// The version of the program that wrote it (`werkplan_version`).
    pub werkplan_version: String,
    /// Its werkplan year.
    pub year: i32,
    /// Its peildatum.
    pub peildatum: Date,
    /// Its model, places complete (file, sheet and cell) and, when it was a monthly run, its
    /// ledger and register sums up to its peildatum (one sum per month, on the month's
    /// first day), so `compute::report_for(&werkplan, peildatum)` gives its figures again.
    pub werkplan: Werkplan,
    /// Its findings, as it reported them (ingest's warnings included).
    pub findings: Vec<Finding>,
    /// Spending per line up to its peildatum, when it had a ledger; `None` without one.
    pub spent: Option<Vec<LineSpent>>,
}

/// What one line had spent up to a peildatum, from the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineSpent {
    /// The line (or part).
    pub line: LineRef,
    /// The sum of its bookings.
    pub amount: Money,
}

impl Basis {
    /// The spending up to its peildatum of one instrument, when it had a ledger.
    pub fn spent_on(&self, instrument: Instrument) -> Option<Money> {
        self.spent.as_ref().map(|lines| {
            lines
                .iter()
                .filter(|l| l.line.instrument == instrument)
                .map(|l| l.amount)
                .sum()
        })
    }
}
