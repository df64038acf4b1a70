//! The actualisatie in the workbooks. The publication's `Wijzigingen` sheet: the text of
//! template `wijzigingen` (heading, summary, effect per instrument), then per instrument its
//! change table with `Voor`, `Na` and `Verschil`, the difference a formula (`=D6-C6`) with
//! the computed figure as its cached result. The control report's sheets `Nieuwe
//! bevindingen`, `Vervallen bevindingen` and `Herkomst wijzigingen` (the source cell of each
//! changed figure).

use rust_xlsxwriter::{Format, FormatAlign, Table, TableColumn, TableStyle, Workbook};

use super::sheets::{self, finding_sheet};
use super::style;
use super::tables::{self, Spot, print_setup};
use super::{XlsxError, column_number, row_number};
use crate::render::changes::{ChangesControl, ChangesSection};

/// The publication's sheet of changes.
pub(crate) const WIJZIGINGEN: &str = "Wijzigingen";
/// The control report's sheet of findings new since the basis.
const NIEUWE_BEVINDINGEN: &str = "Nieuwe bevindingen";
/// The control report's sheet of findings gone since the basis.
const VERVALLEN_BEVINDINGEN: &str = "Vervallen bevindingen";
/// The control report's sheet of the changed figures' cells.
const HERKOMST: &str = "Herkomst wijzigingen";
/// The columns of [`HERKOMST`].
const PLACE_HEADERS: [&str; 7] = [
    "Instrument",
    "Regel",
    "Bedrag",
    "Nu",
    "Bestand",
    "Blad",
    "Cel",
];

/// Writes the `Wijzigingen` sheet.
///
/// # Errors
/// A derivation that refers outside its table, more rows than a sheet has, or a value
/// rust_xlsxwriter refuses.
pub(crate) fn write(workbook: &mut Workbook, section: &ChangesSection) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(WIJZIGINGEN)?;
    let mut row = 0usize;
    for block in &section.text {
        row = sheets::write_block(sheet, WIJZIGINGEN, row, block)?;
    }
    let label_width = section
        .tables
        .iter()
        .map(tables::label_width)
        .max()
        .unwrap_or(0)
        .max(sheets::TEXT_PX / 2);
    for table in &section.tables {
        row += 1;
        let at = Spot {
            sheet: WIJZIGINGEN,
            top: row,
        };
        tables::write_at(sheet, table, at, label_width)?;
        row += tables::height(table);
    }
    let widest = |f: &dyn Fn(&crate::render::ReportTable) -> u32| {
        section.tables.iter().map(f).max().unwrap_or(80)
    };
    sheet.set_column_width_pixels(0, widest(&tables::code_width))?;
    sheet.set_column_width_pixels(1, label_width)?;
    for i in 0..3 {
        let width = widest(&|t| tables::amount_width(t, i));
        sheet.set_column_width_pixels(tables::amount_col(WIJZIGINGEN, i)?, width)?;
    }
    print_setup(sheet);
    Ok(())
}

/// Writes the control report's sheets of the actualisatie.
///
/// # Errors
/// More rows than a sheet has, or a value rust_xlsxwriter refuses.
pub(crate) fn write_control(
    workbook: &mut Workbook,
    changes: &ChangesControl,
) -> Result<(), XlsxError> {
    finding_sheet(
        workbook,
        NIEUWE_BEVINDINGEN,
        &format!(
            "De bevindingen die er ten opzichte van {} bij zijn gekomen: ernst, soort, plaats, vermeld, berekend, verschil en melding.",
            changes.basis
        ),
        &changes.new_findings,
    )?;
    finding_sheet(
        workbook,
        VERVALLEN_BEVINDINGEN,
        &format!(
            "De bevindingen van {} die er niet meer zijn: ernst, soort, plaats, vermeld, berekend, verschil en melding.",
            changes.basis
        ),
        &changes.gone_findings,
    )?;
    let sheet = workbook.add_worksheet();
    sheet.set_name(HERKOMST)?;
    let mut widths: [u32; 7] = PLACE_HEADERS.map(|h| style::width_px(h, true) + 20);
    let top = Format::new().set_align(FormatAlign::Top);
    let amount = style::plain_amount(true);
    for (i, place) in changes.places.iter().enumerate() {
        let row = row_number(HERKOMST, 1 + i)?;
        let texts: [(usize, &str); 6] = [
            (0, &place.instrument),
            (1, &place.line),
            (2, &place.figure),
            (4, &place.place.file),
            (5, &place.place.sheet),
            (6, &place.place.cell),
        ];
        for (c, text) in texts {
            sheet.write_string_with_format(row, column_number(HERKOMST, c)?, text, &top)?;
            widths[c] = widths[c].max(style::width_px(text, false) + 8);
        }
        if let Some(value) = place.after {
            sheet.write_number_with_format(row, 3, style::number(value)?, &amount)?;
            widths[3] = widths[3].max(style::width_px(&value.to_dutch(), false) + 28);
        }
    }
    let columns: Vec<TableColumn> = PLACE_HEADERS
        .iter()
        .enumerate()
        .map(|(c, h)| {
            TableColumn::new()
                .set_header(*h)
                .set_header_format(style::header(c == 3))
        })
        .collect();
    let table = Table::new()
        .set_name(super::defined_name(HERKOMST, ""))
        .set_style(TableStyle::Light1)
        .set_columns(&columns)
        .set_alt_text_title(HERKOMST)
        .set_alt_text(format!(
            "De cel waaruit elk gewijzigd bedrag ten opzichte van {} nu komt: instrument, regel, bedrag, de waarde nu, bestand, blad en cel.",
            changes.basis
        ));
    let last_row = row_number(HERKOMST, changes.places.len().max(1))?;
    sheet.add_table(0, 0, last_row, 6, &table)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_repeat_rows(0, 0)?;
    for (c, width) in widths.into_iter().enumerate() {
        sheet.set_column_width_pixels(column_number(HERKOMST, c)?, width)?;
    }
    print_setup(sheet);
    Ok(())
}
