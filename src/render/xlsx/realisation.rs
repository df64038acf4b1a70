//! The `Realisatie per maand` sheet of a monthly run: per instrument, every line that has
//! bookings in the peildatum's year by month, the month totals, the spending up to and
//! including each month and the year's budget. Every sum is a formula with the pipeline's
//! figure as its cached result.

use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{Formula, Workbook, Worksheet};

use super::style;
use super::tables::print_setup;
use super::{XlsxError, column_number, row_number};
use crate::compute::{Realisation, RealisationLine};
use crate::model::{Date, Money};
use crate::render::chart::MONTHS;
use crate::render::table;

/// The sheet's name.
pub(crate) const SHEET: &str = "Realisatie per maand";
/// The label column's narrowest width.
const LABEL_PX: u32 = 200;
/// A month column's width.
const MONTH_PX: u32 = 105;

/// Writes the sheet; nothing without realisation figures.
///
/// # Errors
/// More lines than a sheet has rows, or a value rust_xlsxwriter refuses.
pub(crate) fn write(
    workbook: &mut Workbook,
    realisation: &[Realisation],
    peildatum: Date,
) -> Result<(), XlsxError> {
    if realisation.is_empty() {
        return Ok(());
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET)?;
    sheet.write_string_with_format(0, 0, SHEET, &style::title())?;
    sheet.set_row_height(0, 21)?;
    sheet.write_string(
        1,
        0,
        format!(
            "Uitgaven per regel en maand tot en met de peildatum {}; de totalen zijn formules.",
            peildatum.to_dutch()
        ),
    )?;
    let mut row = 3usize;
    let mut most_months = 0;
    for block in realisation {
        row = write_block(sheet, block, row)? + 2;
        most_months = most_months.max(block.months.len());
    }
    let label_px = realisation
        .iter()
        .flat_map(|r| &r.lines)
        .map(|l| style::width_px(&l.label, false))
        .fold(LABEL_PX, u32::max);
    sheet.set_column_width_pixels(0, label_px)?;
    for c in 1..=most_months + 1 {
        sheet.set_column_width_pixels(column_number(SHEET, c)?, MONTH_PX)?;
    }
    sheet.set_freeze_panes(0, 1)?;
    print_setup(sheet);
    Ok(())
}

/// A formula cell with its cached result.
fn formula(
    sheet: &mut Worksheet,
    at: (u32, u16),
    text: String,
    value: Money,
    cents: bool,
    bold: bool,
) -> Result<(), XlsxError> {
    let mut format = style::plain_amount(cents);
    if bold {
        format = format.set_bold();
    }
    let formula = Formula::new(text).set_result(style::result_text(value));
    sheet.write_formula_with_format(at.0, at.1, formula, &format)?;
    Ok(())
}

/// Whether each column of a block shows cents (the months, then the year's total), by the
/// report tables' rule: a column shows cents when any figure in it has cents.
fn column_cents(block: &Realisation) -> Vec<bool> {
    let n = block.months.len();
    let running = block.cumulative();
    let mut cents: Vec<bool> = (0..n)
        .map(|m| {
            let lines = block.lines.iter().filter_map(|l| l.months.get(m));
            table::column_cents(lines.chain(block.months.get(m)).chain(running.get(m)))
        })
        .collect();
    let line_sums: Vec<Money> = block.lines.iter().map(|l| l.months.iter().sum()).collect();
    let spent = block.spent();
    cents.push(table::column_cents(
        line_sums
            .iter()
            .chain([&spent])
            .chain(block.budget.as_ref()),
    ));
    cents
}

/// One instrument from `top`; returns the last row written.
fn write_block(sheet: &mut Worksheet, block: &Realisation, top: usize) -> Result<usize, XlsxError> {
    let n = block.months.len();
    let cents = column_cents(block);
    write_header(sheet, block, top)?;
    let first_line = top + 2;
    for (i, line) in block.lines.iter().enumerate() {
        let r = row_number(SHEET, first_line + i)?;
        write_line(sheet, (r, n), line, &cents)?;
    }
    let totals = row_number(SHEET, first_line + block.lines.len())?;
    let first = row_number(SHEET, first_line)?;
    let cumulative = write_totals(sheet, block, (first, totals), &cents)?;
    let mut last = cumulative;
    if let Some(budget) = block.budget {
        last += 1;
        sheet.write_string_with_format(
            last,
            0,
            format!("Budget {}", block.year),
            &style::bold(),
        )?;
        sheet.write_number_with_format(
            last,
            column_number(SHEET, 1 + n)?,
            style::number(budget)?,
            &style::plain_amount(cents[n]),
        )?;
    }
    Ok(last as usize)
}

/// The block's title at `top` and its header row below it: `Regel`, the months, `Totaal`.
fn write_header(sheet: &mut Worksheet, block: &Realisation, top: usize) -> Result<(), XlsxError> {
    let n = block.months.len();
    let title = format!("{}: realisatie {}", block.instrument.name(), block.year);
    let r = row_number(SHEET, top)?;
    sheet.write_string_with_format(r, 0, &title, &style::bold().set_font_size(12))?;
    let header = row_number(SHEET, top + 1)?;
    sheet.write_string_with_format(header, 0, "Regel", &style::header(false))?;
    for (m, name) in MONTHS.iter().take(n).enumerate() {
        sheet.write_string_with_format(
            header,
            column_number(SHEET, 1 + m)?,
            *name,
            &style::header(true),
        )?;
    }
    let total_col = column_number(SHEET, 1 + n)?;
    sheet.write_string_with_format(header, total_col, "Totaal", &style::header(true))?;
    Ok(())
}

/// One line's row `r`: its label, its spending per month, and their sum over the block's
/// `n` months as a formula.
fn write_line(
    sheet: &mut Worksheet,
    (r, n): (u32, usize),
    line: &RealisationLine,
    cents: &[bool],
) -> Result<(), XlsxError> {
    sheet.write_string(r, 0, &line.label)?;
    for (m, value) in line.months.iter().enumerate() {
        sheet.write_number_with_format(
            r,
            column_number(SHEET, 1 + m)?,
            style::number(*value)?,
            &style::plain_amount(cents.get(m).copied().unwrap_or(true)),
        )?;
    }
    let sum = format!(
        "=SUM({}:{})",
        row_col_to_cell(r, 1),
        row_col_to_cell(r, column_number(SHEET, n)?)
    );
    formula(
        sheet,
        (r, column_number(SHEET, 1 + n)?),
        sum,
        line.months.iter().sum(),
        cents.get(n).copied().unwrap_or(true),
        false,
    )
}

/// The month totals in row `totals` (of the line rows `first..totals`), then the spending
/// up to and including each month in the row below; returns that row.
fn write_totals(
    sheet: &mut Worksheet,
    block: &Realisation,
    (first, totals): (u32, u32),
    cents: &[bool],
) -> Result<u32, XlsxError> {
    let n = block.months.len();
    let cumulative = totals + 1;
    sheet.write_string_with_format(totals, 0, "Totaal", &style::bold())?;
    sheet.write_string_with_format(cumulative, 0, "Tot en met de maand", &style::bold())?;
    let running = block.cumulative();
    for c in 1..=n + 1 {
        let col = column_number(SHEET, c)?;
        let value = block
            .months
            .get(c - 1)
            .copied()
            .unwrap_or_else(|| block.spent());
        let sum = if block.lines.is_empty() {
            "=0".to_string()
        } else {
            format!(
                "=SUM({}:{})",
                row_col_to_cell(first, col),
                row_col_to_cell(totals - 1, col)
            )
        };
        formula(sheet, (totals, col), sum, value, cents[c - 1], true)?;
        if c > n {
            continue;
        }
        let up_to = if c == 1 {
            format!("={}", row_col_to_cell(totals, col))
        } else {
            format!(
                "={}+{}",
                row_col_to_cell(cumulative, col - 1),
                row_col_to_cell(totals, col)
            )
        };
        let value = running.get(c - 1).copied().unwrap_or_default();
        formula(sheet, (cumulative, col), up_to, value, cents[c - 1], true)?;
    }
    Ok(cumulative)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::RealisationLine;
    use crate::model::Instrument;

    #[test]
    fn each_column_decides_its_own_cents() {
        let block = Realisation {
            instrument: Instrument::ReguliereMiddelen,
            year: 2022,
            lines: vec![RealisationLine {
                label: "a Adviescommissie".to_string(),
                months: vec![Money::from_cents(10_000), Money::from_cents(25_050)],
            }],
            months: vec![Money::from_cents(10_000), Money::from_cents(25_050)],
            budget: Some(Money::from_cents(100_000)),
            bookings: 2,
        };
        // januari whole; februari, and the year's total, with cents
        assert_eq!(column_cents(&block), vec![false, true, true]);
    }
}
