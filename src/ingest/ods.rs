//! Counting the cells an `.ods` would unfold into, before calamine reads it.
//!
//! An OpenDocument sheet may say "this row 100.000 times" (`table:number-rows-repeated`) or
//! "this cell 16.384 times" (`table:number-columns-repeated`): a file of a few KB can stand
//! for billions of cells, and calamine unfolds every sheet into a dense range when the
//! workbook is opened. So `content.xml` is streamed once here and the cells calamine would
//! materialise are counted, for all sheets together, against `--max-cellen`. Trailing empty
//! repeated cells and rows (how LibreOffice writes the rest of a sheet) do not count, as
//! calamine does not unfold them; empty cells and rows between values do.
//!
//! The same pass notes the cells whose value type is `percentage` (0,15 shown as 15%):
//! calamine reads them as the plain number, and an amount column must refuse them, as it
//! refuses a date ([`PercentCells`], marked as `RawCell::Percent` when the sheet is read).

use std::io::{BufReader, Cursor, Read};
use std::ops::Range;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::ingest::limits::Limits;

/// Calamine's caps on an ods sheet's rows and columns.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// The cells of an `.ods` with value type `percentage`, per sheet, as (row, column) from
/// the sheet's top-left cell, zero-based (calamine's positions).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct PercentCells {
    /// Per sheet (in workbook order): its name and its percent cells in reading order.
    sheets: Vec<(String, Vec<(u32, u32)>)>,
}

impl PercentCells {
    /// Percent cells found by another reader (`xls`): per sheet, in reading order.
    pub(crate) fn from_sheets(sheets: Vec<(String, Vec<(u32, u32)>)>) -> PercentCells {
        PercentCells { sheets }
    }

    /// The percent cells of `sheet`, in reading order (row by row, left to right).
    pub(crate) fn of(&self, sheet: &str) -> &[(u32, u32)] {
        self.sheets
            .iter()
            .find(|(name, _)| name == sheet)
            .map_or(&[], |(_, cells)| cells.as_slice())
    }
}

/// The extent of one sheet's values, in unfolded rows and columns.
#[derive(Default)]
struct Extent {
    /// Unfolded rows read so far.
    rows: u64,
    /// First and last-plus-one row holding a value.
    first_row: Option<u64>,
    end_row: u64,
    /// First and last-plus-one column holding a value, over all rows.
    first_col: Option<u64>,
    end_col: u64,
}

impl Extent {
    /// The cells calamine's dense range holds for this sheet.
    fn cells(&self) -> u64 {
        match (self.first_row, self.first_col) {
            (Some(r), Some(c)) => self.end_row.saturating_sub(r) * self.end_col.saturating_sub(c),
            _ => 0,
        }
    }
}

/// A repeat count attribute, 1 when absent; an unreadable one counts as 1 (calamine then
/// refuses the file itself).
fn repeats(element: &BytesStart, name: &str) -> u64 {
    element
        .try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

/// Whether a cell element holds a value (or may: one with content is counted).
fn has_value(element: &BytesStart, has_content: bool) -> bool {
    has_content
        || ["office:value-type", "table:formula"]
            .iter()
            .any(|name| element.try_get_attribute(name).ok().flatten().is_some())
}

/// Whether a cell element's value type is a percentage.
fn is_percentage(element: &BytesStart) -> bool {
    element
        .try_get_attribute("office:value-type")
        .ok()
        .flatten()
        .is_some_and(|a| a.value.trim() == "percentage")
}

/// Refuses an `.ods` whose sheets together would unfold into more than `limits.max_cells`
/// cells, and notes its percent cells. Returns no percent cells for archives without
/// `content.xml` (xlsx).
///
/// # Errors
/// The sheet at which the count passes the limit, and a Dutch message naming the limit.
pub(crate) fn check_cells(
    bytes: &[u8],
    limits: &Limits,
) -> Result<PercentCells, (Option<String>, String)> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(PercentCells::default()); // check_zip has reported it
    };
    let Ok(content) = archive.by_name("content.xml") else {
        return Ok(PercentCells::default());
    };
    // check_zip has bounded what the entry unpacks to; bound it again for safety
    check_content(
        content.take(limits.max_unpacked_bytes.saturating_add(1)),
        limits,
    )
}

/// [`check_cells`] on the text of `content.xml`.
fn check_content(
    content: impl Read,
    limits: &Limits,
) -> Result<PercentCells, (Option<String>, String)> {
    let mut reader = Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut total: u64 = 0;
    let mut sheet = String::new();
    let mut extent = Extent::default();
    let mut percent = PercentCells::default();
    // the row being read: its repeats, columns so far, and its percent cells' columns
    let (mut row_repeats, mut col, mut row_first, mut row_end) = (1u64, 0u64, None, 0u64);
    let mut row_percent: Vec<Range<u64>> = Vec::new();
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break, // calamine reports a broken file
            Ok(event) => event,
        };
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    extent = Extent::default();
                    sheet = e
                        .try_get_attribute("table:name")
                        .ok()
                        .flatten()
                        .and_then(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .ok()
                                .map(|v| v.into_owned())
                        })
                        .unwrap_or_default();
                }
                "table:table-row" => {
                    let left = MAX_ROWS.saturating_sub(extent.rows);
                    row_repeats = repeats(e, "table:number-rows-repeated").min(left);
                    (col, row_first, row_end) = (0, None, 0);
                    row_percent.clear();
                    if matches!(event, Event::Empty(_)) {
                        extent.rows += row_repeats;
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let n = repeats(e, "table:number-columns-repeated")
                        .min(MAX_COLUMNS.saturating_sub(col));
                    if has_value(e, matches!(event, Event::Start(_))) && n > 0 {
                        row_first.get_or_insert(col);
                        row_end = col + n;
                        if is_percentage(e) {
                            row_percent.push(col..col + n);
                        }
                    }
                    col += n;
                }
                _ => {}
            },
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                if let Some(first) = row_first {
                    extent.first_row.get_or_insert(extent.rows);
                    extent.end_row = extent.rows + row_repeats;
                    extent.first_col = Some(extent.first_col.map_or(first, |c| c.min(first)));
                    extent.end_col = extent.end_col.max(row_end);
                }
                let first_row = extent.rows;
                extent.rows += row_repeats;
                if total.saturating_add(extent.cells()) > limits.max_cells {
                    return Err((Some(sheet), too_many(limits)));
                }
                // within the limit: the percent cells are among the cells counted
                note_percent(&mut percent, &sheet, first_row..extent.rows, &row_percent);
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                total = total.saturating_add(extent.cells());
                extent = Extent::default();
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(percent)
}

/// Notes the percent cells of `rows` (one row element, repeated) at `columns`.
fn note_percent(percent: &mut PercentCells, sheet: &str, rows: Range<u64>, columns: &[Range<u64>]) {
    if columns.is_empty() {
        return;
    }
    if percent.sheets.last().is_none_or(|(name, _)| name != sheet) {
        percent.sheets.push((sheet.to_string(), Vec::new()));
    }
    let Some((_, cells)) = percent.sheets.last_mut() else {
        return;
    };
    let at = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    for row in rows {
        for column in columns {
            cells.extend(column.clone().map(|c| (at(row), at(c))));
        }
    }
}

fn too_many(limits: &Limits) -> String {
    format!(
        "het blad bevat, met zijn herhaalde rijen en kolommen uitgevouwen, meer dan {} cellen, de grens voor alle bladen van een werkboek samen (--max-cellen); zo'n groot werkboek wordt niet gelezen",
        crate::ingest::limits::dutch_count(limits.max_cells)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const CELL: &str = r#"<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#;

    fn content(sheets: &[&str]) -> String {
        sheets
            .iter()
            .enumerate()
            .map(|(i, rows)| format!(r#"<table:table table:name="Blad {i}">{rows}</table:table>"#))
            .collect()
    }

    fn limit(cells: u64) -> Limits {
        Limits {
            max_cells: cells,
            ..Limits::DEFAULT
        }
    }

    #[test]
    fn trailing_empty_repeats_do_not_count() {
        // how LibreOffice writes a sheet: values, then the rest of the row and sheet empty
        let rows = format!(
            r#"<table:table-row>{CELL}{CELL}<table:table-cell table:number-columns-repeated="16382"/></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#
        );
        assert!(check_content(content(&[&rows]).as_bytes(), &limit(10)).is_ok());
    }

    #[test]
    fn repeated_values_and_the_gaps_between_them_count_for_all_sheets_together() {
        // 600 rows of 2 cells with 400 empty rows in between: 1.000 rows × 2 columns
        let rows = format!(
            r#"<table:table-row table:number-rows-repeated="300">{CELL}{CELL}</table:table-row><table:table-row table:number-rows-repeated="400"><table:table-cell/></table:table-row><table:table-row table:number-rows-repeated="300">{CELL}{CELL}</table:table-row>"#
        );
        assert!(check_content(content(&[&rows]).as_bytes(), &limit(2_000)).is_ok());
        assert!(check_content(content(&[&rows]).as_bytes(), &limit(1_999)).is_err());
        let (sheet, message) =
            check_content(content(&[&rows, &rows]).as_bytes(), &limit(3_000)).unwrap_err();
        assert_eq!(sheet.as_deref(), Some("Blad 1"));
        assert!(
            message.contains("3.000") && message.contains("--max-cellen"),
            "{message}"
        );
    }

    #[test]
    fn percent_cells_are_noted_per_sheet_with_their_repeats() {
        const PERCENT: &str = r#"<table:table-cell office:value-type="percentage" office:value="0.15"><text:p>15%</text:p></table:table-cell>"#;
        // Blad 0: row 1 a number and a percentage; rows 2-3 (one element, repeated) an
        // empty cell and a percentage said three times; an empty percent-styled cell
        // holds nothing
        let first = format!(
            r#"<table:table-row>{CELL}{PERCENT}</table:table-row><table:table-row table:number-rows-repeated="2"><table:table-cell/><table:table-cell table:number-columns-repeated="3" office:value-type="percentage" office:value="1"/><table:table-cell table:style-name="procent"/></table:table-row>"#
        );
        // Blad 1: numbers only; Blad 2: a percentage in its second row
        let second = format!(r#"<table:table-row>{CELL}{CELL}</table:table-row>"#);
        let third = format!(
            r#"<table:table-row>{CELL}</table:table-row><table:table-row>{PERCENT}</table:table-row>"#
        );
        let percent =
            check_content(content(&[&first, &second, &third]).as_bytes(), &limit(100)).unwrap();
        assert_eq!(
            percent.of("Blad 0"),
            &[(0, 1), (1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)]
        );
        assert_eq!(percent.of("Blad 1"), &[]);
        assert_eq!(percent.of("Blad 2"), &[(1, 0)]);
        assert_eq!(percent.of("Blad 3"), &[]);
    }
}
