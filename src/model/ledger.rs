//! The monthly run's aggregates: spending per line and day from the ledger (`Boekingen...`),
//! commitments per line and day from the register (`Verplichtingen...`).
//!
//! Never the bookings themselves: a reader streams each row into a sum of its line and day
//! and forgets it, so memory grows with lines × days, not with the number of bookings. The
//! peildatum is applied later (compute), which is why sums are kept per day: a booking on the
//! peildatum counts, the day after does not, and the report says what was left out.

use serde::{Deserialize, Serialize};

use super::{Date, Instrument, Money, Place};

/// The line a booking or commitment is on, resolved against the werkplan's tables.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LineRef {
    /// The table: for the alliantie projects, the award is the line.
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineSums {
    /// The line.
    pub line: LineRef,
    /// Per day.
    pub days: Vec<DaySum>,
    /// The first row that booked on this line (its `Code` cell), for findings.
    pub first: Place,
}

/// What was booked (or committed) on one line in one month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthSum {
    /// The year; `None` only for undated commitments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The month, 1..=12; `None` only for undated commitments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<u32>,
    /// The sum.
    pub amount: Money,
    /// How many rows made it.
    pub rows: u64,
}

impl LineSums {
    /// The sums per month, in date order (undated first), from the days.
    pub fn months(&self) -> Vec<MonthSum> {
        let mut months: Vec<MonthSum> = Vec::new();
        for day in &self.days {
            let (year, month) = (day.date.map(|d| d.year), day.date.map(|d| d.month));
            match months.last_mut() {
                Some(m) if m.year == year && m.month == month => {
                    m.amount += day.amount;
                    m.rows += day.rows;
                }
                _ => months.push(MonthSum {
                    year,
                    month,
                    amount: day.amount,
                    rows: day.rows,
                }),
            }
        }
        months
    }
}

/// One ledger or register sheet (or CSV file) that was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerSource {
    /// File and sheet (a CSV file's sheet is its file name).
    pub place: Place,
    /// Data rows read (header and blank rows not counted).
    pub rows: u64,
}

/// The ledger or the register: sums per line and day, and what was read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerSums {
    /// Per line, in [`LineRef`] order.
    pub lines: Vec<LineSums>,
    /// The sheets and files read, in reading order.
    pub sources: Vec<LedgerSource>,
}

/// What a peildatum leaves out of one instrument's sums.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    /// The instrument.
    pub instrument: Instrument,
    /// Rows dated after the peildatum.
    pub rows: u64,
    /// Their sum.
    pub amount: Money,
}

impl LedgerSums {
    /// The sums up to and including `peildatum` (undated rows count): a row on the
    /// peildatum counts, one the day after does not. Lines left without days are dropped.
    pub fn up_to(&self, peildatum: Date) -> LedgerSums {
        let lines = self
            .lines
            .iter()
            .filter_map(|line| {
                let days: Vec<DaySum> = line
                    .days
                    .iter()
                    .filter(|d| d.date.is_none_or(|date| date <= peildatum))
                    .copied()
                    .collect();
                (!days.is_empty()).then(|| LineSums {
                    line: line.line.clone(),
                    days,
                    first: line.first.clone(),
                })
            })
            .collect();
        LedgerSums {
            lines,
            sources: self.sources.clone(),
        }
    }

    /// What falls after `peildatum`, per instrument in instrument order; instruments with
    /// nothing left out are not listed.
    pub fn after(&self, peildatum: Date) -> Vec<LeftOut> {
        let mut out: Vec<LeftOut> = Vec::new();
        for line in &self.lines {
            for day in line
                .days
                .iter()
                .filter(|d| d.date.is_some_and(|date| date > peildatum))
            {
                let instrument = line.line.instrument;
                match out.iter_mut().find(|l| l.instrument == instrument) {
                    Some(left) => {
                        left.rows += day.rows;
                        left.amount += day.amount;
                    }
                    None => out.push(LeftOut {
                        instrument,
                        rows: day.rows,
                        amount: day.amount,
                    }),
                }
            }
        }
        out.sort_by_key(|l| l.instrument);
        out
    }

    /// The latest date of any row.
    pub fn latest(&self) -> Option<Date> {
        self.lines
            .iter()
            .flat_map(|l| l.days.iter().filter_map(|d| d.date))
            .max()
    }
}

/// The monthly run's input: `None` where the input folder has no such sheet or file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sums(days: &[(Option<Date>, i64)]) -> LedgerSums {
        LedgerSums {
            lines: vec![LineSums {
                line: LineRef {
                    instrument: Instrument::ReguliereMiddelen,
                    theme: 1,
                    code: "a".into(),
                    part: None,
                },
                days: days
                    .iter()
                    .map(|&(date, cents)| DaySum {
                        date,
                        amount: Money::from_cents(cents),
                        rows: 2,
                    })
                    .collect(),
                first: Place::cell("in/b.csv", "b.csv", 1, 3),
            }],
            sources: Vec::new(),
        }
    }

    #[test]
    fn a_row_on_the_peildatum_counts_the_day_after_does_not() {
        let peil = Date::new(2022, 9, 30).unwrap();
        let next = Date::new(2022, 10, 1).unwrap();
        let all = sums(&[(None, 5), (Some(peil), 100), (Some(next), 7)]);
        let kept = all.up_to(peil);
        let kept_cents: Vec<Money> = kept.lines[0].days.iter().map(|d| d.amount).collect();
        assert_eq!(
            kept_cents,
            vec![Money::from_cents(5), Money::from_cents(100)]
        );
        assert_eq!(
            all.after(peil),
            vec![LeftOut {
                instrument: Instrument::ReguliereMiddelen,
                rows: 2,
                amount: Money::from_cents(7),
            }]
        );
        assert_eq!(all.latest(), Some(next));
        assert!(
            all.up_to(Date::new(2021, 1, 1).unwrap()).lines[0]
                .days
                .len()
                == 1
        );
        assert!(all.after(next).is_empty());
    }
}
