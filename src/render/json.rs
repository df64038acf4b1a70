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
use crate::model::{Date, LedgerSource, LedgerSums, LeftOut, LineRef, MonthSum, Werkplan};
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
    left_out: &'a [LeftOut],
}

/// A line's sums per month.
#[derive(Serialize)]
struct LineMonths {
    #[serde(flatten)]
    line: LineRef,
    months: Vec<MonthSum>,
}

impl<'a> SumsJson<'a> {
    /// The sums up to the peildatum per line and month; `left_out` is what compute found
    /// after it.
    fn new(sums: &'a LedgerSums, peildatum: Date, left_out: &'a [LeftOut]) -> SumsJson<'a> {
        let lines = sums
            .up_to(peildatum)
            .lines
            .into_iter()
            .map(|line| LineMonths {
                months: line.months(),
                line: line.line,
            })
            .collect();
        SumsJson {
            sources: &sums.sources,
            lines,
            left_out,
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
                .map(|s| SumsJson::new(s, report.peildatum, &report.left_out)),
            commitments: werkplan
                .ledger
                .commitments
                .as_ref()
                .map(|s| SumsJson::new(s, report.peildatum, &report.left_out_commitments)),
        }),
    };
    let mut bytes = serde_json::to_vec(&document)?;
    bytes.push(b'\n');
    Ok(bytes)
}
