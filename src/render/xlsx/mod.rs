//! The XLSX output: the appendix as a workbook a finance officer can check and reuse.
//!
//! Reads only the format-neutral [`Appendix`]. One sheet per table (`Reguliere middelen`,
//! `Drenthe-brede projecten`, `Alliantieprojecten`) laid out like the werkplan, where every
//! total and remainder is a formula with the pipeline's figure as its cached result; a
//! `Grafieken` sheet with one native bar chart per table and the cells it draws from; a
//! `Realisatie per maand` sheet in a monthly run; a `Wijzigingen` sheet when compared with a
//! basis (the actualisatie); a `Toelichting` sheet with the texts and
//! what the file is. The control report ([`render_control`]) is a workbook of its own:
//! `Controle`, `Bevindingen` and `Bronnen`. Text from the input is always written as text, never as a formula.
//!
//! The output is byte-identical for identical input: the creation date is the peildatum and
//! nothing reads the clock.

mod changes;
mod charts;
mod formula;
mod package;
mod realisation;
mod sheets;
mod style;
mod tables;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

use crate::model::Date;
use crate::render::Appendix;

/// The workbook could not be made.
#[derive(Debug, thiserror::Error)]
pub enum XlsxError {
    /// rust_xlsxwriter refused a value or could not assemble the file.
    #[error("XLSX kan niet worden gemaakt: {0}")]
    Writer(#[from] rust_xlsxwriter::XlsxError),
    /// A computed cell refers to a cell its table does not have.
    #[error(
        "XLSX, tabel {table}: rij {row} verwijst naar rij {target_row}, kolom {target_column}, die de tabel niet heeft"
    )]
    Reference {
        /// The table's title.
        table: String,
        /// The row (index into the table's rows) of the computed cell.
        row: usize,
        /// The row referred to.
        target_row: usize,
        /// The amount column referred to.
        target_column: usize,
    },
    /// A table or list has more rows or columns than a worksheet holds.
    #[error("XLSX, blad {sheet}: te groot voor een werkblad ({what})")]
    TooLarge {
        /// The sheet.
        sheet: String,
        /// What overflowed.
        what: String,
    },
    /// An amount that is not a number (cannot happen for a valid [`Money`]).
    ///
    /// [`Money`]: crate::model::Money
    #[error("XLSX: bedrag {0} is geen getal")]
    Amount(String),
    /// The written workbook could not be finished (its document properties and chart
    /// language corrected); names the part and the cause.
    #[error("XLSX kan niet worden afgemaakt: {0}")]
    Package(String),
    /// The peildatum cannot be a document date (Excel knows years 1900 to 9999).
    #[error("XLSX: peildatum {0} kan geen documentdatum zijn")]
    Peildatum(Date),
}

/// The workbook as bytes.
///
/// # Errors
/// A table whose computed cells refer outside it, a table larger than a worksheet, a
/// peildatum outside Excel's years, or rust_xlsxwriter failing to assemble the file.
pub fn render(appendix: &Appendix) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(appendix, &appendix.title, &appendix.subject)?);
    for (i, table) in appendix.tables.iter().enumerate() {
        let header = tables::write(&mut workbook, table, i == 0)?;
        workbook.define_name(header.name, &header.range)?;
    }
    if !appendix.charts.is_empty() {
        for header in charts::write(&mut workbook, &appendix.charts)? {
            workbook.define_name(header.name, &header.range)?;
        }
    }
    realisation::write(&mut workbook, &appendix.realisation, appendix.peildatum)?;
    if let Some(section) = &appendix.changes {
        changes::write(&mut workbook, section)?;
    }
    sheets::toelichting(&mut workbook, appendix)?;
    package::finish(&workbook.save_to_buffer()?, &appendix.version)
}

/// The control report as a workbook, for the finance department: a `Controle` sheet (the
/// Controle text and the run's facts), `Bevindingen` (every finding: place in the input
/// folder, stated, computed, difference, message) and `Bronnen` (the input files with their
/// SHA-256).
///
/// # Errors
/// More findings than a sheet has rows, a peildatum outside Excel's years, or
/// rust_xlsxwriter failing to assemble the file.
pub fn render_control(appendix: &Appendix) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(
        appendix,
        &appendix.control.title,
        &appendix.control.subject,
    )?);
    sheets::controle(&mut workbook, appendix)?;
    sheets::findings(&mut workbook, &appendix.control.findings)?;
    if let Some(changes) = &appendix.control.changes {
        changes::write_control(&mut workbook, changes)?;
    }
    sheets::sources(&mut workbook, appendix)?;
    package::finish(&workbook.save_to_buffer()?, &appendix.version)
}

/// Title, subject, company, keywords and the creation date (the peildatum, at midnight).
fn properties(appendix: &Appendix, title: &str, subject: &str) -> Result<DocProperties, XlsxError> {
    let date = appendix.peildatum;
    let created = u16::try_from(date.year)
        .ok()
        .zip(u8::try_from(date.month).ok())
        .zip(u8::try_from(date.day).ok())
        .and_then(|((y, m), d)| ExcelDateTime::from_ymd(y, m, d).ok())
        .ok_or(XlsxError::Peildatum(date))?;
    Ok(DocProperties::new()
        .set_title(title)
        .set_subject(subject)
        .set_company(&appendix.publisher)
        .set_author(&appendix.publisher)
        .set_category("Financiën")
        .set_keywords(format!(
            "Sociale Agenda; werkplan {}; financiën; Drenthe",
            appendix.year
        ))
        .set_comment(format!(
            "Gemaakt door werkplan {}, peildatum {}",
            appendix.version,
            date.to_dutch()
        ))
        .set_custom_property("Peildatum", date.to_string().as_str())
        .set_creation_datetime(&created))
}

/// The definition of a sheet's header row, as a workbook-level name.
pub(crate) struct HeaderName {
    /// The defined name (`Reguliere_middelen_kop`).
    pub(crate) name: String,
    /// The absolute range (`'Reguliere middelen'!$A$3:$F$3`).
    pub(crate) range: String,
}

/// A defined name from a sheet name: letters and digits kept, anything else `_`, then
/// `suffix` (`Drenthe-brede projecten` + `_kop` is `Drenthe_brede_projecten_kop`).
pub(crate) fn defined_name(sheet: &str, suffix: &str) -> String {
    let mut name: String = sheet
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    if name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name.push_str(suffix);
    name
}

/// A row index from a count, or [`XlsxError::TooLarge`].
pub(crate) fn row_number(sheet: &str, row: usize) -> Result<u32, XlsxError> {
    u32::try_from(row)
        .ok()
        .filter(|&r| r < 1_048_576)
        .ok_or_else(|| XlsxError::TooLarge {
            sheet: sheet.to_string(),
            what: format!("rij {row}"),
        })
}

/// A column index from a count, or [`XlsxError::TooLarge`].
pub(crate) fn column_number(sheet: &str, column: usize) -> Result<u16, XlsxError> {
    u16::try_from(column)
        .ok()
        .filter(|&c| c < 16_384)
        .ok_or_else(|| XlsxError::TooLarge {
            sheet: sheet.to_string(),
            what: format!("kolom {column}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defined_names_from_sheet_names() {
        assert_eq!(
            defined_name("Reguliere middelen", "_kop"),
            "Reguliere_middelen_kop"
        );
        assert_eq!(
            defined_name("Drenthe-brede projecten", "_kop"),
            "Drenthe_brede_projecten_kop"
        );
        assert_eq!(defined_name("2022", "_kop"), "_2022_kop");
    }
}
