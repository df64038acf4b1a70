//! The JSON output: the normalised model, every computed figure, and the findings.
//!
//! The stable machine interface for downstream publishing. Amounts are decimal strings with
//! two decimals (`"1537933.56"`); places are `{file, sheet, cell}`.

use serde::Serialize;

use crate::compute::Report;
use crate::model::Werkplan;
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
}

/// The JSON document, pretty-printed, ending in a newline.
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
    };
    let mut bytes = serde_json::to_vec_pretty(&document)?;
    bytes.push(b'\n');
    Ok(bytes)
}
