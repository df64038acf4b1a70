//! Render: the computed report as JSON, XLSX, PDF and a web page (HTML), in two editions.
//!
//! Renderers return bytes; only `app` writes files. The PDF, XLSX and HTML all read one
//! [`Appendix`]: the format-neutral tables, the rendered texts and the chart data of the
//! **publication** (for Provinciale Staten: computed figures only, no findings, no file
//! names, cells or hashes), and in [`Appendix::control`] what the **control report** for the
//! finance department prints (the Controle text, every finding with its place, the sources
//! with their SHA-256). One value feeds both editions, so they can never tell different
//! stories.

pub mod changes;
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

/// The province that publishes the werkplan.
const PUBLISHER: &str = "Provincie Drenthe";

/// Everything the PDF and XLSX print, built once from the report.
#[derive(Clone, Debug, Serialize)]
pub struct Appendix {
    /// The document title: `Financiën werkplan 2022 Sociale Agenda`.
    pub title: String,
    /// The document's subject, in every format's properties: `Financiële bijlage bij het
    /// werkplan 2022 van de Sociale Agenda`.
    pub subject: String,
    /// Who publishes it, the documents' author and company: `Provincie Drenthe`.
    pub publisher: String,
    /// The sender line of every page (PDF footer, web page header): `Provincie Drenthe ·
    /// Sociale Agenda`.
    pub sender: String,
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
    /// The monthly run's spending per month and line, per instrument (empty without a
    /// ledger).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub realisation: Vec<Realisation>,
    /// The section `Wijzigingen ten opzichte van ...` (the actualisatie), when the run was
    /// compared with a basis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<changes::ChangesSection>,
    /// The version of werkplan that made it.
    pub version: String,
    /// What only the control report prints.
    pub control: Control,
}

/// The control report's own content: for the finance department, never in the publication.
#[derive(Clone, Debug, Serialize)]
pub struct Control {
    /// The control report's title: `Controle werkplan 2022 Sociale Agenda`.
    pub title: String,
    /// Its subject, in the documents' properties.
    pub subject: String,
    /// The Controle text (template `controle`): what was checked, the counts, what the
    /// peildatum left out, the peildatum and the version.
    pub text: Vec<Block>,
    /// What the peildatum left out of the ledger (template `peildatum`, which `controle`
    /// includes); empty when nothing was left out. The log prints it as well.
    pub left_out: Vec<Block>,
    /// The check counts.
    pub checks: Checks,
    /// Every finding, each at its place relative to the input folder.
    pub findings: Vec<Finding>,
    /// The input files (names in the input folder) with their SHA-256.
    pub sources: Vec<SourceFile>,
    /// The findings new and gone since the basis and the source cells of the changed
    /// figures, when the run was compared with a basis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<changes::ChangesControl>,
}

impl Appendix {
    /// Builds the appendix from the report, rendering the texts with `texts`.
    ///
    /// # Errors
    /// A template that does not render.
    pub fn build(report: &Report, texts: &Texts) -> Result<Appendix, TextError> {
        let tables = table::report_tables(report);
        let charts = chart::report_charts(report);
        let section = match &report.changes {
            Some(found) => Some(changes::ChangesSection {
                text: texts.render_changes(report.year, found)?,
                tables: changes::change_tables(found),
            }),
            None => None,
        };
        Ok(Appendix {
            title: format!("Financiën werkplan {} Sociale Agenda", report.year),
            year: report.year,
            peildatum: report.peildatum,
            intro: texts.render("financien", report)?,
            tables,
            charts,
            realisation: report.realisation.clone(),
            changes: section,
            version: env!("CARGO_PKG_VERSION").to_string(),
            subject: format!(
                "Financiële bijlage bij het werkplan {} van de Sociale Agenda",
                report.year
            ),
            publisher: PUBLISHER.to_string(),
            sender: format!("{PUBLISHER} · Sociale Agenda"),
            control: Control {
                title: format!("Controle werkplan {} Sociale Agenda", report.year),
                subject: format!(
                    "Controle van de financiële bijlage bij het werkplan {} van de Sociale Agenda",
                    report.year
                ),
                text: texts.render("controle", report)?,
                left_out: texts.render("peildatum", report)?,
                checks: report.checks,
                findings: report.findings.clone(),
                sources: report.sources.clone(),
                changes: report.changes.as_ref().map(changes::control),
            },
        })
    }
}
