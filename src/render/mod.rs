//! Render: the computed report as JSON, XLSX, PDF and a web page (HTML).
//!
//! Renderers return bytes; only `app` writes files. The PDF, XLSX and HTML all read one
//! [`Appendix`]: the format-neutral tables, the rendered texts, the chart data and the
//! findings, so the two can never tell different stories.

pub mod chart;
pub mod html;
pub mod json;
pub mod pdf;
pub mod table;
pub mod text;
pub mod xlsx;

use serde::Serialize;

use crate::compute::{Checks, Finding, Realisation, Report};
use crate::model::{Date, SourceFile};

pub use chart::Chart;
pub use table::ReportTable;
pub use text::{Block, TextError, Texts};

/// Everything the PDF and XLSX print, built once from the report.
#[derive(Clone, Debug, Serialize)]
pub struct Appendix {
    /// The document title: `Financiën werkplan 2022 Sociale Agenda`.
    pub title: String,
    /// The werkplan's year.
    pub year: i32,
    /// The reporting date; also the documents' creation date.
    pub peildatum: Date,
    /// The chapter text before the tables (template `financien`).
    pub intro: Vec<Block>,
    /// The three tables, in report order.
    pub tables: Vec<ReportTable>,
    /// One chart per table, in the same order.
    pub charts: Vec<Chart>,
    /// The text of the Controle section (template `controle`).
    pub controle_text: Vec<Block>,
    /// The monthly run's spending per month and line, per instrument (empty without a
    /// ledger).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub realisation: Vec<Realisation>,
    /// The check counts.
    pub checks: Checks,
    /// What the peildatum left out of the ledger, in a sentence (monthly run only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_out: Option<String>,
    /// Every finding.
    pub findings: Vec<Finding>,
    /// The input files with their SHA-256.
    pub sources: Vec<SourceFile>,
    /// The version of werkplan that made it.
    pub version: String,
}

impl Appendix {
    /// Builds the appendix from the report, rendering the texts with `texts`.
    ///
    /// # Errors
    /// A template that does not render.
    pub fn build(report: &Report, texts: &Texts) -> Result<Appendix, TextError> {
        let tables = table::tables(report);
        let charts = chart::charts(report);
        Ok(Appendix {
            title: format!("Financiën werkplan {} Sociale Agenda", report.year),
            year: report.year,
            peildatum: report.peildatum,
            intro: texts.render("financien", report)?,
            tables,
            charts,
            controle_text: texts.render("controle", report)?,
            realisation: report.realisation.clone(),
            checks: report.checks,
            left_out: left_out_sentence(report),
            findings: report.findings.clone(),
            sources: report.sources.clone(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        })
    }
}

/// `Na de peildatum 30 september 2022 geboekt en niet meegeteld: Reguliere middelen
/// 12 boekingen, samen € 1.234,56.`, and the same for the register's commitments; `None`
/// when nothing was left out.
pub fn left_out_sentence(report: &Report) -> Option<String> {
    let list = |left_out: &[crate::model::LeftOut], one: &str, more: &str| -> String {
        left_out
            .iter()
            .map(|l| {
                format!(
                    "{} {}, samen {}",
                    l.instrument.name(),
                    text::with_count(l.rows, one, more),
                    l.amount.to_dutch()
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let date = report.peildatum.to_dutch();
    let mut sentences = Vec::new();
    if !report.left_out.is_empty() {
        sentences.push(format!(
            "Na de peildatum {date} geboekt en niet meegeteld: {}.",
            list(&report.left_out, "boeking", "boekingen")
        ));
    }
    if !report.left_out_commitments.is_empty() {
        sentences.push(format!(
            "Verplichtingen met een datum na de peildatum, niet meegeteld: {}.",
            list(
                &report.left_out_commitments,
                "verplichting",
                "verplichtingen"
            )
        ));
    }
    (!sentences.is_empty()).then(|| sentences.join(" "))
}
