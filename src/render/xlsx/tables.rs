//! One worksheet per report table, laid out like the werkplan's tables.
//!
//! Row 1 holds the title, row 2 the group headers (`Toegekend` over the award rounds, centred
//! across its columns without merging), row 3 the column headers: `Code`, the label header
//! (`Uitgaven werkplan 2022`) and one header per amount column. The table's rows follow, then
//! its footnotes. Cells with a derivation are formulas with the computed figure as cached
//! result; all other amounts are numbers; every text is written as text.

use rust_xlsxwriter::{Formula, Workbook, Worksheet};

use super::formula::{self, SheetCell};
use super::style::{self, Suffix};
use super::{HeaderName, XlsxError, column_number, defined_name, row_number};
use crate::render::table::{CellRef, Derivation, ReportTable, RowStyle, Rule, TableRow};

/// The title's row.
const TITLE_ROW: u32 = 0;
/// The row of group headers (may stay empty).
const GROUP_ROW: u32 = 1;
/// The row of column headers; rows up to here repeat on every printed page.
pub(crate) const HEADER_ROW: u32 = 2;
/// The first row of the table's rows.
const FIRST_DATA_ROW: u32 = 3;
/// [`FIRST_DATA_ROW`] as an index.
const FIRST_DATA_INDEX: usize = 3;
/// The code column (`a`, `b`, ...).
const CODE_COL: u16 = 0;
/// The label column.
const LABEL_COL: u16 = 1;
/// The first amount column.
const FIRST_AMOUNT_COL: u16 = 2;
/// Labels wider than this wrap onto more lines.
const MAX_LABEL_PX: u32 = 520;
/// Extra height above a theme heading, in points.
const HEADING_SPACE_POINTS: f64 = 6.0;
/// Pixels one indent level takes.
const INDENT_PX: u32 = 20;
/// The printed page footer.
pub(crate) const FOOTER: &str = "&CPagina &P van &N";
/// Excel's paper size code for A4.
pub(crate) const A4: u8 = 9;

/// Writes `table` on a new sheet named after its instrument and returns the name of its
/// header row.
///
/// # Errors
/// A derivation that refers outside the table, a table larger than a sheet, or a value
/// rust_xlsxwriter refuses.
pub(crate) fn write(
    workbook: &mut Workbook,
    table: &ReportTable,
    active: bool,
) -> Result<HeaderName, XlsxError> {
    let name = table.instrument.name();
    let last_col = column_number(name, usize::from(FIRST_AMOUNT_COL) + table.columns.len())?
        .saturating_sub(1)
        .max(LABEL_COL);
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    if active {
        sheet.set_active(true);
    }
    let label_width = label_width(table);
    let at = Spot {
        sheet: name,
        top: 0,
    };
    write_at(sheet, table, at, label_width)?;
    sheet.set_column_width_pixels(CODE_COL, code_width(table))?;
    sheet.set_column_width_pixels(LABEL_COL, label_width)?;
    for i in 0..table.columns.len() {
        sheet.set_column_width_pixels(amount_col(name, i)?, amount_width(table, i))?;
    }
    sheet.set_freeze_panes(FIRST_DATA_ROW, FIRST_AMOUNT_COL)?;
    print_setup(sheet);
    sheet.set_repeat_rows(TITLE_ROW, HEADER_ROW)?;

    Ok(HeaderName {
        name: defined_name(name, "_kop"),
        range: formula::absolute_range(name, (HEADER_ROW, CODE_COL), (HEADER_ROW, last_col)),
    })
}

/// Where a table is written: its sheet and the sheet row of its title.
#[derive(Clone, Copy)]
pub(crate) struct Spot<'a> {
    /// The sheet's name.
    pub(crate) sheet: &'a str,
    /// The sheet row (zero-based) of the table's title.
    pub(crate) top: usize,
}

impl Spot<'_> {
    /// The sheet row of a row of the table's head (`TITLE_ROW`, `GROUP_ROW`, `HEADER_ROW`).
    fn head(self, row: u32) -> Result<u32, XlsxError> {
        row_number(self.sheet, self.top + row as usize)
    }
}

/// The sheet rows a table takes from its title to its last footnote.
pub(crate) fn height(table: &ReportTable) -> usize {
    FIRST_DATA_INDEX
        + table.rows.len()
        + usize::from(!table.footnotes.is_empty())
        + table.footnotes.len()
}

/// Writes `table` on `sheet` from row `at.top`: title, group headers, column headers, rows
/// and footnotes; column widths and page setup are the caller's.
///
/// # Errors
/// As [`write`].
pub(crate) fn write_at(
    sheet: &mut Worksheet,
    table: &ReportTable,
    at: Spot<'_>,
    label_width: u32,
) -> Result<(), XlsxError> {
    let name = at.sheet;
    sheet.write_string_with_format(at.head(TITLE_ROW)?, CODE_COL, &table.title, &style::title())?;
    sheet.set_row_height(at.head(TITLE_ROW)?, 21)?;
    write_groups(sheet, table, at)?;
    let header_row = at.head(HEADER_ROW)?;
    sheet.write_string_with_format(header_row, CODE_COL, "Code", &style::header(false))?;
    sheet.write_string_with_format(
        header_row,
        LABEL_COL,
        &table.label_header,
        &style::header(false),
    )?;
    for (i, column) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(
            header_row,
            amount_col(name, i)?,
            &column.label,
            &style::header(true),
        )?;
    }

    // each column's marker once per table, not once per cell: rescanning every row for
    // every cell made a table of n lines cost n² (minutes at 100.000 lines)
    let markers: Vec<Option<&str>> = (0..table.columns.len().max(widest_row(table)))
        .map(|c| column_marker(table, c))
        .collect();
    for (r, row) in table.rows.iter().enumerate() {
        write_row(sheet, table, at, r, row, label_width, &markers)?;
    }
    write_footnotes(sheet, table, at, label_width)
}

/// A4 landscape, one page wide, page numbers in the footer.
pub(crate) fn print_setup(sheet: &mut Worksheet) {
    sheet.set_landscape();
    sheet.set_paper_size(A4);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_footer(FOOTER);
}

/// The sheet column of amount column `i`.
pub(crate) fn amount_col(sheet: &str, i: usize) -> Result<u16, XlsxError> {
    column_number(sheet, usize::from(FIRST_AMOUNT_COL) + i)
}

/// The sheet row of table row `r`.
fn data_row(at: Spot<'_>, r: usize) -> Result<u32, XlsxError> {
    row_number(at.sheet, at.top + FIRST_DATA_INDEX + r)
}

/// The sheet cell of a table cell, checked against the table's size.
fn sheet_cell(
    table: &ReportTable,
    spot: Spot<'_>,
    from_row: usize,
    at: CellRef,
) -> Result<SheetCell, XlsxError> {
    if at.row >= table.rows.len() || at.column >= table.columns.len() {
        return Err(XlsxError::Reference {
            table: table.title.clone(),
            row: from_row,
            target_row: at.row,
            target_column: at.column,
        });
    }
    Ok((data_row(spot, at.row)?, amount_col(spot.sheet, at.column)?))
}

/// The formula of a derivation, in sheet coordinates.
fn derivation_formula(
    table: &ReportTable,
    spot: Spot<'_>,
    row: usize,
    derivation: &Derivation,
) -> Result<String, XlsxError> {
    let plus = derivation
        .plus
        .iter()
        .map(|&at| sheet_cell(table, spot, row, at))
        .collect::<Result<Vec<_>, _>>()?;
    let minus = derivation
        .minus
        .iter()
        .map(|&at| sheet_cell(table, spot, row, at))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(formula::formula(&plus, &minus))
}

/// Group headers over the table's column groups, centred across their columns.
fn write_groups(sheet: &mut Worksheet, table: &ReportTable, at: Spot<'_>) -> Result<(), XlsxError> {
    let name = at.sheet;
    let group_row = at.head(GROUP_ROW)?;
    let format = style::group_header();
    for group in table.column_groups() {
        sheet.write_string_with_format(
            group_row,
            amount_col(name, group.first)?,
            &group.label,
            &format,
        )?;
        for i in group.first + 1..=group.last {
            sheet.write_blank(group_row, amount_col(name, i)?, &format)?;
        }
    }
    Ok(())
}

/// The longest footnote marker of an amount column, if it has any: figures without a marker
/// leave that much space, so that all figures line up.
fn column_marker(table: &ReportTable, column: usize) -> Option<&str> {
    table
        .rows
        .iter()
        .filter_map(|r| r.cells.get(column)?.marker.as_deref())
        .max_by_key(|m| m.chars().count())
}

/// The most cells any row has (rows normally have one per column).
fn widest_row(table: &ReportTable) -> usize {
    table.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0)
}

/// The text of a row's label cell: the label and its remark (`(ovb voorhangprocedure)`).
fn label_text(row: &TableRow) -> String {
    match &row.remark {
        Some(remark) => format!("{} {remark}", row.label),
        None => row.label.clone(),
    }
}

/// Pixels the label of a row is indented by.
fn indent_px(style: RowStyle) -> u32 {
    if style.indented { INDENT_PX } else { 0 }
}

/// One row: code, label and amounts; `markers` holds each column's longest marker.
fn write_row(
    sheet: &mut Worksheet,
    table: &ReportTable,
    at: Spot<'_>,
    r: usize,
    row: &TableRow,
    label_width: u32,
    markers: &[Option<&str>],
) -> Result<(), XlsxError> {
    let name = at.sheet;
    let sr = data_row(at, r)?;
    let row_style = table.row_style(r);
    // rules and bands run over blank cells too
    let blanks_drawn = row_style.rule != Rule::None || row_style.band;
    match &row.code {
        Some(code) => {
            sheet.write_string_with_format(sr, CODE_COL, code, &style::code(row_style))?;
        }
        None if row_style.rule == Rule::TableTotal || row_style.band => {
            sheet.write_blank(sr, CODE_COL, &style::code(row_style))?;
        }
        None => {}
    }
    let text = label_text(row);
    let text_px = label_px(row, row_style);
    let wrap = text_px > label_width;
    sheet.write_string_with_format(sr, LABEL_COL, &text, &style::label(row_style, wrap))?;
    let lines = if wrap {
        style::lines(&text, label_width.saturating_sub(indent_px(row_style)))
    } else {
        1
    };
    if row_style.band {
        sheet.set_row_height(sr, style::height(lines) + HEADING_SPACE_POINTS)?;
    } else if lines > 1 {
        sheet.set_row_height(sr, style::height(lines))?;
    }
    for (c, cell) in row.cells.iter().enumerate() {
        let col = amount_col(name, c)?;
        let cents = table.columns.get(c).is_some_and(|column| column.cents);
        let suffix = match (&cell.marker, markers.get(c).copied().flatten()) {
            (Some(marker), _) => Suffix::Marker(marker),
            (None, Some(marker)) => Suffix::Space(marker),
            (None, None) => Suffix::None,
        };
        let format = style::amount(row_style, cents, suffix);
        match (&cell.derivation, cell.value) {
            (Some(derivation), value) => {
                let mut formula = Formula::new(derivation_formula(table, at, r, derivation)?);
                if let Some(value) = value {
                    formula = formula.set_result(style::result_text(value));
                }
                sheet.write_formula_with_format(sr, col, formula, &format)?;
            }
            (None, Some(value)) => {
                sheet.write_number_with_format(sr, col, style::number(value)?, &format)?;
            }
            (None, None) if blanks_drawn => {
                sheet.write_blank(sr, col, &format)?;
            }
            (None, None) => {}
        }
    }
    Ok(())
}

/// The footnotes under the table, one blank row below it: marker, then the wrapped text.
fn write_footnotes(
    sheet: &mut Worksheet,
    table: &ReportTable,
    at: Spot<'_>,
    label_width: u32,
) -> Result<(), XlsxError> {
    let wrapped = style::wrapped();
    let marker_format = rust_xlsxwriter::Format::new()
        .set_align(rust_xlsxwriter::FormatAlign::Right)
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    for (i, footnote) in table.footnotes.iter().enumerate() {
        let row = data_row(at, table.rows.len() + 1 + i)?;
        sheet.write_string_with_format(row, CODE_COL, &footnote.marker, &marker_format)?;
        sheet.write_string_with_format(row, LABEL_COL, &footnote.text, &wrapped)?;
        sheet.set_row_height(
            row,
            style::height(style::lines(&footnote.text, label_width)),
        )?;
    }
    Ok(())
}

/// The code column fits `Code` and every code.
pub(crate) fn code_width(table: &ReportTable) -> u32 {
    table
        .rows
        .iter()
        .filter_map(|r| r.code.as_deref())
        .chain(table.footnotes.iter().map(|f| f.marker.as_str()))
        .map(|c| style::width_px(c, false))
        .chain([style::width_px("Code", true)])
        .max()
        .unwrap_or(40)
}

/// The label column fits the header and every label, up to [`MAX_LABEL_PX`].
pub(crate) fn label_width(table: &ReportTable) -> u32 {
    table
        .rows
        .iter()
        .map(|r| label_px(r, r.kind.style()))
        .chain([style::width_px(&table.label_header, true)])
        .max()
        .unwrap_or(200)
        .min(MAX_LABEL_PX)
}

/// The width of a row's label as drawn: text, bullet and indent.
fn label_px(row: &TableRow, row_style: RowStyle) -> u32 {
    let bullet = if row_style.bullet {
        style::width_px("• ", false).saturating_sub(7)
    } else {
        0
    };
    style::width_px(&label_text(row), row_style.bold) + indent_px(row_style) + bullet
}

/// An amount column fits its header and every figure as Dutch notation shows it.
pub(crate) fn amount_width(table: &ReportTable, i: usize) -> u32 {
    let header = table
        .columns
        .get(i)
        .map(|c| style::width_px(&c.label, true))
        .unwrap_or(0);
    table
        .rows
        .iter()
        .enumerate()
        .filter_map(|(r, row)| {
            let cell = row.cells.get(i)?;
            let shown = format!(
                "{}{}",
                table.amount_text(r, i)?,
                cell.marker.as_deref().unwrap_or("")
            );
            Some(style::width_px(&shown, row.kind.style().bold))
        })
        .chain([header])
        .max()
        .unwrap_or(80)
        + 8
}
