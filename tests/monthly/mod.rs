//! The 2022 werkplan in a monthly run: a ledger generated from its own tables, so the
//! monthly-run columns, findings and charts can be rendered without a ledger reader.
//!
//! Reguliere middelen: every line (part) books a share of its `Budget 2022` in each month
//! from January to October, corrections included; the peildatum 30 September leaves October
//! out. Drenthe-brede projecten: every line books `€ 1.000,00` in March. Alliantieprojecten:
//! every award gets half its amount paid in May.

#![allow(dead_code)]

use std::path::Path;

use rust_decimal::Decimal;
use werkplan::compute::{self, Report};
use werkplan::model::{
    ColumnKind, Date, DaySum, Instrument, LedgerSums, LineRef, LineSums, Money, Place, Werkplan,
};
use werkplan::render::{Appendix, Texts};

/// The peildatum of the monthly run.
pub fn peildatum() -> Date {
    Date::new(2022, 9, 30).unwrap()
}

fn sums_on(line: LineRef, days: Vec<DaySum>) -> LineSums {
    LineSums {
        line,
        days,
        first: Place::cell("input/Boekingen 2022.csv", "Boekingen 2022.csv", 1, 2),
    }
}

fn cents(value: Decimal) -> Money {
    Money::from_decimal(value.round_dp(2)).unwrap()
}

/// Ten months of bookings on one line: `share` % of `budget` a month, in two rows a day,
/// and in April a correction of a tenth of that.
fn monthly(budget: Money, share: i64) -> Vec<DaySum> {
    let month = cents(budget.decimal() * Decimal::new(share, 2));
    (1..=10)
        .flat_map(|m| {
            let date = Date::new(2022, m, 15);
            let mut days = vec![DaySum {
                date,
                amount: month,
                rows: 2,
            }];
            if m == 4 {
                days.push(DaySum {
                    date: Date::new(2022, 4, 20),
                    amount: cents(-month.decimal() / Decimal::TEN),
                    rows: 1,
                });
            }
            days
        })
        .collect()
}

/// The ledger for `werkplan`'s tables.
pub fn ledger(werkplan: &Werkplan) -> LedgerSums {
    let mut lines = Vec::new();
    let regulier = &werkplan.regulier;
    let budget = regulier
        .columns
        .iter()
        .position(|c| c.kind == ColumnKind::Budget(2022))
        .unwrap();
    let mut k = 0;
    for section in &regulier.sections {
        for line in &section.lines {
            let mut book = |part: Option<usize>, value: Money| {
                k += 1;
                let line_ref = LineRef {
                    instrument: Instrument::ReguliereMiddelen,
                    theme: section.theme,
                    code: line.code.clone(),
                    part,
                };
                lines.push(sums_on(line_ref, monthly(value, 3 + k % 9)));
            };
            if line.parts.is_empty() {
                book(None, line.amounts[budget].value);
            } else {
                for (p, part) in line.parts.iter().enumerate() {
                    book(Some(p), part.amounts[budget].value);
                }
            }
        }
    }
    for section in &werkplan.drenthe_breed.sections {
        for line in &section.lines {
            let line_ref = LineRef {
                instrument: Instrument::DrentheBredeProjecten,
                theme: section.theme,
                code: line.code.clone(),
                part: None,
            };
            let day = DaySum {
                date: Date::new(2022, 3, 10),
                amount: Money::from_cents(100_000),
                rows: 1,
            };
            lines.push(sums_on(line_ref, vec![day]));
        }
    }
    for award in &werkplan.alliantie.awards {
        let line_ref = LineRef {
            instrument: Instrument::Alliantieprojecten,
            theme: award.theme,
            code: award.code.clone(),
            part: None,
        };
        let day = DaySum {
            date: Date::new(2022, 5, 2),
            amount: cents(award.amount.value.decimal() / Decimal::TWO),
            rows: 1,
        };
        lines.push(sums_on(line_ref, vec![day]));
    }
    lines.sort_by(|a, b| a.line.cmp(&b.line));
    LedgerSums {
        lines,
        sources: Vec::new(),
    }
}

/// The 2022 werkplan with its generated ledger, computed at the peildatum, and its appendix.
pub fn monthly_2022() -> (Werkplan, Report, Appendix) {
    let mut werkplan = werkplan::app::load(Path::new("input"), None, None)
        .unwrap_or_else(|e| panic!("2022 laden: {e:?}"))
        .werkplan;
    werkplan.ledger.bookings = Some(ledger(&werkplan));
    let report = compute::report_for(&werkplan, peildatum());
    let texts = Texts::load(None).unwrap_or_else(|e| panic!("{e:?}"));
    let appendix = Appendix::build(&report, &texts).unwrap_or_else(|e| panic!("{e:?}"));
    (werkplan, report, appendix)
}
