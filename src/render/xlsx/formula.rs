//! Derivations as Excel formulas: a set of cells becomes the shortest exact list of ranges
//! (`C6:C8,C10`), and a [`Derivation`] becomes `=SUM(C6:C8,C10)` or `=C7-D7-E7-F7`.
//!
//! Works on sheet coordinates (zero-based row and column); the table sheet maps a table's
//! [`CellRef`](crate::render::table::CellRef)s to those before calling in here.

use std::collections::BTreeMap;

use rust_xlsxwriter::utility::{column_number_to_name, row_col_to_cell};

/// A cell of the sheet: zero-based row and column.
pub(crate) type SheetCell = (u32, u16);

/// A rectangle of cells, inclusive on both ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Area {
    first_row: u32,
    first_col: u16,
    last_row: u32,
    last_col: u16,
}

impl Area {
    fn cells(self) -> usize {
        (self.last_row - self.first_row + 1) as usize
            * usize::from(self.last_col - self.first_col + 1)
    }

    /// A1 notation: `C6` for one cell, `C6:C8` or `D6:F11` for a range.
    fn a1(self) -> String {
        let first = row_col_to_cell(self.first_row, self.first_col);
        if self.first_row == self.last_row && self.first_col == self.last_col {
            first
        } else {
            format!("{first}:{}", row_col_to_cell(self.last_row, self.last_col))
        }
    }
}

/// Excel accepts at most 255 arguments per function.
const MAX_ARGUMENTS: usize = 255;

/// Compacts cells into the fewest rectangles this simple rule finds, exactly: runs of
/// consecutive rows per column, then equal runs in adjacent columns joined. Duplicates count
/// once. The result is ordered by first column, then first row.
pub(crate) fn areas(cells: &[SheetCell]) -> Vec<Area> {
    // column -> sorted, deduplicated rows
    let mut by_column: BTreeMap<u16, Vec<u32>> = BTreeMap::new();
    for &(row, col) in cells {
        by_column.entry(col).or_default().push(row);
    }
    let mut runs: Vec<Area> = Vec::new();
    for (col, mut rows) in by_column {
        rows.sort_unstable();
        rows.dedup();
        let mut iter = rows.into_iter();
        let Some(first) = iter.next() else { continue };
        let (mut start, mut end) = (first, first);
        for row in iter {
            if row == end + 1 {
                end = row;
            } else {
                runs.push(Area {
                    first_row: start,
                    first_col: col,
                    last_row: end,
                    last_col: col,
                });
                start = row;
                end = row;
            }
        }
        runs.push(Area {
            first_row: start,
            first_col: col,
            last_row: end,
            last_col: col,
        });
    }
    // join a run with an equal run (same rows) in the next column
    let mut joined: Vec<Area> = Vec::new();
    for run in runs {
        if let Some(area) = joined.iter_mut().find(|a| {
            a.first_row == run.first_row
                && a.last_row == run.last_row
                && a.last_col + 1 == run.first_col
        }) {
            area.last_col = run.last_col;
        } else {
            joined.push(run);
        }
    }
    joined
}

/// `SUM(...)` over the areas, nested when there are more than Excel's 255 arguments.
fn sum(areas: &[Area]) -> String {
    if areas.len() <= MAX_ARGUMENTS {
        let list: Vec<String> = areas.iter().map(|a| a.a1()).collect();
        return format!("SUM({})", list.join(","));
    }
    let parts: Vec<String> = areas.chunks(MAX_ARGUMENTS).map(sum).collect();
    sum_of(&parts)
}

fn sum_of(parts: &[String]) -> String {
    if parts.len() <= MAX_ARGUMENTS {
        return format!("SUM({})", parts.join(","));
    }
    let nested: Vec<String> = parts.chunks(MAX_ARGUMENTS).map(sum_of).collect();
    sum_of(&nested)
}

/// Subtractions written cell by cell up to this many cells (`=C7-D7-E7-F7`); more become
/// `-SUM(...)`.
const MAX_SINGLE_SUBTRACTIONS: usize = 4;

/// The formula for `sum(plus) - sum(minus)`, with the leading `=`.
///
/// One cell added and a few subtracted read as the werkplan's arithmetic (`=C7-D7-E7-F7`);
/// otherwise ranges are summed (`=SUM(C6:C8,C10)`, `=C5-SUM(D6:F11)`). No cells at all is
/// `=0`.
pub(crate) fn formula(plus: &[SheetCell], minus: &[SheetCell]) -> String {
    let plus_areas = areas(plus);
    let minus_areas = areas(minus);
    let mut text = String::from("=");
    match plus_areas.as_slice() {
        [] => text.push('0'),
        [one] if one.cells() == 1 => text.push_str(&one.a1()),
        many => text.push_str(&sum(many)),
    }
    let minus_cells: usize = minus_areas.iter().map(|a| a.cells()).sum();
    if minus_cells == 0 {
        // nothing to subtract
    } else if minus_cells <= MAX_SINGLE_SUBTRACTIONS {
        let mut singles: Vec<SheetCell> = minus.to_vec();
        singles.sort_unstable_by_key(|&(row, col)| (col, row));
        singles.dedup();
        for (row, col) in singles {
            text.push('-');
            text.push_str(&row_col_to_cell(row, col));
        }
    } else {
        text.push('-');
        text.push_str(&sum(&minus_areas));
    }
    text
}

/// An absolute A1 range on a named sheet, for defined names and chart ranges:
/// `'Reguliere middelen'!$A$3:$F$3`.
pub(crate) fn absolute_range(sheet: &str, first: SheetCell, last: SheetCell) -> String {
    format!(
        "'{}'!${}${}:${}${}",
        sheet.replace('\'', "''"),
        column_number_to_name(first.1),
        first.0 + 1,
        column_number_to_name(last.1),
        last.0 + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sheet cell from A1-ish parts: column letter index and one-based row.
    fn c(col: u16, row: u32) -> SheetCell {
        (row - 1, col)
    }

    const C: u16 = 2;
    const D: u16 = 3;
    const E: u16 = 4;
    const F: u16 = 5;

    #[test]
    fn a_run_of_rows_is_one_range() {
        assert_eq!(formula(&[c(C, 6), c(C, 7), c(C, 8)], &[]), "=SUM(C6:C8)");
    }

    #[test]
    fn a_gap_splits_the_range() {
        assert_eq!(
            formula(&[c(C, 6), c(C, 7), c(C, 8), c(C, 10)], &[]),
            "=SUM(C6:C8,C10)"
        );
    }

    #[test]
    fn order_and_duplicates_do_not_matter() {
        assert_eq!(
            formula(&[c(C, 10), c(C, 7), c(C, 6), c(C, 8), c(C, 7)], &[]),
            "=SUM(C6:C8,C10)"
        );
    }

    #[test]
    fn a_single_cell_sum_is_still_a_sum() {
        assert_eq!(formula(&[c(C, 6), c(C, 9)], &[]), "=SUM(C6,C9)");
    }

    #[test]
    fn remaining_is_budget_minus_each_cell() {
        assert_eq!(
            formula(&[c(C, 7)], &[c(D, 7), c(E, 7), c(F, 7)]),
            "=C7-D7-E7-F7"
        );
    }

    #[test]
    fn many_subtractions_become_a_sum_of_a_rectangle() {
        let minus: Vec<SheetCell> = (6..=11)
            .flat_map(|row| [D, E, F].into_iter().map(move |col| c(col, row)))
            .collect();
        assert_eq!(formula(&[c(C, 5)], &minus), "=C5-SUM(D6:F11)");
    }

    #[test]
    fn equal_runs_join_across_columns_only_when_adjacent() {
        let cells = [c(C, 6), c(C, 7), c(D, 6), c(D, 7), c(F, 6), c(F, 7)];
        assert_eq!(formula(&cells, &[]), "=SUM(C6:D7,F6:F7)");
    }

    #[test]
    fn unequal_runs_stay_apart() {
        let cells = [c(C, 6), c(C, 7), c(D, 6)];
        assert_eq!(formula(&cells, &[]), "=SUM(C6:C7,D6)");
    }

    #[test]
    fn budget_alone_is_a_reference() {
        assert_eq!(formula(&[c(C, 20)], &[]), "=C20");
        assert_eq!(formula(&[], &[]), "=0");
    }

    #[test]
    fn more_than_255_ranges_nest() {
        let cells: Vec<SheetCell> = (0..600).map(|i| (i * 2, C)).collect();
        let text = formula(&cells, &[]);
        assert!(text.starts_with("=SUM(SUM(C1,C3,"), "{text}");
        assert_eq!(text.matches("SUM(").count(), 4);
    }

    #[test]
    fn absolute_ranges_quote_the_sheet() {
        assert_eq!(
            absolute_range("Reguliere middelen", (2, 0), (2, 5)),
            "'Reguliere middelen'!$A$3:$F$3"
        );
        assert_eq!(
            absolute_range("O'Brien", (0, 1), (3, 1)),
            "'O''Brien'!$B$1:$B$4"
        );
    }
}
