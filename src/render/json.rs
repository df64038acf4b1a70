//! The JSON output: the normalised model, every computed figure, and the findings.
//!
//! The stable machine interface for downstream publishing. Amounts are decimal strings with
//! two decimals (`"1537933.56"`); places are `{file, sheet, cell}`. The monthly run's ledger
//! and register appear as aggregates per line, year and month with their number of rows,
//! never as bookings. Written compact (one line): a model of a hundred thousand lines stays
//! a third of its pretty size, and the bytes are as stable (fields in declaration order,
//! lists in model order).

use serde::Serialize;

use crate::compute::Report;
use crate::model::{Date, LedgerSource, LedgerSums, LeftOut, LineRef, Money, Werkplan};
use crate::render::table::ReportTable;

/// The version of the JSON layout; raised on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema: u32,
    werkplan_version: &'static str,
    year: i32,
    peildatum: String,
    model: &'a Werkplan,
    report: &'a Report,
    tables: &'a [ReportTable],
    #[serde(skip_serializing_if = "Option::is_none")]
    ledger: Option<LedgerJson<'a>>,
}

/// The ledger and register as the JSON shows them.
#[derive(Serialize)]
struct LedgerJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    bookings: Option<SumsJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commitments: Option<SumsJson<'a>>,
}

/// One kind's sources, sums per line and month up to the peildatum, and what it left out.
#[derive(Serialize)]
struct SumsJson<'a> {
    sources: &'a [LedgerSource],
    lines: Vec<LineMonths>,
    left_out: Vec<LeftOut>,
}

/// A line's sums per month.
#[derive(Serialize)]
struct LineMonths {
    #[serde(flatten)]
    line: LineRef,
    months: Vec<Month>,
}

/// One month's sum of a line; year and month absent for undated commitments.
#[derive(Serialize)]
struct Month {
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<u32>,
    amount: Money,
    rows: u64,
}

impl<'a> SumsJson<'a> {
    fn new(sums: &'a LedgerSums, peildatum: Date) -> SumsJson<'a> {
        let lines = sums
            .up_to(peildatum)
            .lines
            .into_iter()
            .map(|line| {
                let mut months: Vec<Month> = Vec::new();
                for day in &line.days {
                    let (year, month) = (day.date.map(|d| d.year), day.date.map(|d| d.month));
                    match months.last_mut() {
                        Some(m) if m.year == year && m.month == month => {
                            m.amount += day.amount;
                            m.rows += day.rows;
                        }
                        _ => months.push(Month {
                            year,
                            month,
                            amount: day.amount,
                            rows: day.rows,
                        }),
                    }
                }
                LineMonths {
                    line: line.line,
                    months,
                }
            })
            .collect();
        SumsJson {
            sources: &sums.sources,
            lines,
            left_out: sums.after(peildatum),
        }
    }
}

/// The JSON document, compact, ending in a newline.
///
/// # Errors
/// Only if serialisation fails, which the types here do not.
pub fn render(
    werkplan: &Werkplan,
    report: &Report,
    tables: &[ReportTable],
) -> serde_json::Result<Vec<u8>> {
    let document = Document {
        schema: SCHEMA_VERSION,
        werkplan_version: env!("CARGO_PKG_VERSION"),
        year: report.year,
        peildatum: report.peildatum.to_string(),
        model: werkplan,
        report,
        tables,
        ledger: (!werkplan.ledger.is_empty()).then(|| LedgerJson {
            bookings: werkplan
                .ledger
                .bookings
                .as_ref()
                .map(|s| SumsJson::new(s, report.peildatum)),
            commitments: werkplan
                .ledger
                .commitments
                .as_ref()
                .map(|s| SumsJson::new(s, report.peildatum)),
        }),
    };
    let mut bytes = serde_json::to_vec(&document)?;
    bytes.push(b'\n');
    Ok(bytes)
}
