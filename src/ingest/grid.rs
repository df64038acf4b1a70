//! A sheet as a grid of raw cells with their absolute positions, independent of calamine.
//!
//! The reader fills it; [`crate::ingest::sheet`] finds the header and the records in it.
//! Keeping it plain lets tests (and the property test) feed any grid without a workbook.

use crate::ingest::header::{SheetKind, is_invisible};
use crate::model::Place;

/// One raw cell value, as the workbook holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum RawCell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A number (spreadsheets store numbers as binary floats).
    Float(f64),
    /// An integer (some formats store whole numbers as such).
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A date or time, as text for messages.
    Date(String),
    /// A number formatted as a percentage (0,15 shown as `15%`): never an amount.
    Percent(f64),
    /// An error value (`#REF!`, `#DIV/0!`, ...).
    Error(String),
    /// A formula whose result was never calculated (files written by scripts).
    FormulaWithoutValue(String),
}

impl RawCell {
    /// Whether the cell holds nothing (empty, or only white space).
    pub fn is_blank(&self) -> bool {
        match self {
            RawCell::Empty => true,
            RawCell::Text(t) => t
                .trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || is_invisible(c))
                .is_empty(),
            _ => false,
        }
    }

    /// The cell as text: text trimmed, numbers in their shortest form; `None` for blank,
    /// error, formula-without-value, boolean and date cells.
    pub fn text(&self) -> Option<String> {
        match self {
            RawCell::Text(t) => {
                let t =
                    t.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || is_invisible(c));
                (!t.is_empty()).then(|| t.to_string())
            }
            RawCell::Float(f) => Some(format!("{f}")),
            RawCell::Int(i) => Some(i.to_string()),
            RawCell::Percent(f) => Some(percent_text(*f)),
            _ => None,
        }
    }

    /// A short Dutch description of what the cell holds, for messages.
    pub fn describe(&self) -> String {
        match self {
            RawCell::Empty => "een lege cel".to_string(),
            RawCell::Text(t) => format!("de tekst ‘{}’", t.trim()),
            RawCell::Float(f) => format!("het getal {f}"),
            RawCell::Int(i) => format!("het getal {i}"),
            RawCell::Bool(b) => {
                format!("de waarheidswaarde {}", if *b { "WAAR" } else { "ONWAAR" })
            }
            RawCell::Date(d) => format!("de datum {d}"),
            RawCell::Percent(f) => format!("het percentage {}", percent_text(*f)),
            RawCell::Error(e) => format!("de foutwaarde {e}"),
            RawCell::FormulaWithoutValue(f) => format!("de formule ={f} zonder berekende waarde"),
        }
    }
}

/// A fraction as the spreadsheet shows it with a percent format: `0.15` -> `15%`,
/// `0.125` -> `12,5%`.
fn percent_text(fraction: f64) -> String {
    let shortest = format!("{fraction}");
    let shown = rust_decimal::Decimal::from_str_exact(&shortest)
        .ok()
        .and_then(|d| d.checked_mul(rust_decimal::Decimal::ONE_HUNDRED))
        .map(|d| d.normalize().to_string())
        .unwrap_or_else(|| format!("{shortest} × 100"));
    format!("{}%", shown.replace('.', ","))
}

/// One row: its filled cells as (column index from the grid's origin, value), in column
/// order. Sparse, so a stray cell in column XFD costs one cell.
pub type Row = Vec<(usize, RawCell)>;

/// A recognised sheet, read into memory.
#[derive(Clone, Debug)]
pub struct Grid {
    /// The file as the user named it.
    pub file: String,
    /// The sheet's name as written.
    pub sheet: String,
    /// What kind of sheet.
    pub kind: SheetKind,
    /// Absolute (row, column) of row 0, column 0, zero-based.
    pub origin: (u32, u32),
    /// The filled cells, row by row.
    pub rows: Vec<Row>,
    /// Merged ranges, absolute ((first row, first column), (last row, last column)). Only
    /// the top-left cell of a merged range holds a value.
    pub merged: Vec<((u32, u32), (u32, u32))>,
}

impl Grid {
    /// Builds a grid from sparse cells (absolute row, column, value): memory follows the
    /// cells, never a claimed dimension or a far column.
    pub fn from_cells(
        file: String,
        sheet: String,
        kind: SheetKind,
        mut cells: Vec<(u32, u32, RawCell)>,
        merged: Vec<((u32, u32), (u32, u32))>,
    ) -> Grid {
        let first_row = cells.iter().map(|c| c.0).min().unwrap_or(0);
        let first_col = cells.iter().map(|c| c.1).min().unwrap_or(0);
        let last_row = cells.iter().map(|c| c.0).max().unwrap_or(0);
        cells.sort_by_key(|c| (c.0, c.1));
        let mut rows: Vec<Row> =
            vec![Vec::new(); (last_row - first_row) as usize + usize::from(!cells.is_empty())];
        for (r, c, value) in cells {
            rows[(r - first_row) as usize].push(((c - first_col) as usize, value));
        }
        Grid {
            file,
            sheet,
            kind,
            origin: (first_row, first_col),
            rows,
            merged,
        }
    }

    /// Builds a grid from dense rows at the top-left of a sheet (tests and fuzzing).
    pub fn from_dense(file: &str, sheet: &str, kind: SheetKind, rows: Vec<Vec<RawCell>>) -> Grid {
        let rows = rows
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .enumerate()
                    .filter(|(_, c)| *c != RawCell::Empty)
                    .collect()
            })
            .collect();
        Grid {
            file: file.into(),
            sheet: sheet.into(),
            kind,
            origin: (0, 0),
            rows,
            merged: Vec::new(),
        }
    }

    /// The place of the whole sheet.
    pub fn place(&self) -> Place {
        Place::sheet(self.file.clone(), self.sheet.clone())
    }

    /// The place of a cell, from indices into `rows`.
    pub fn cell_place(&self, row: usize, col: usize) -> Place {
        Place::cell(
            self.file.clone(),
            self.sheet.clone(),
            self.origin.0.saturating_add(row as u32),
            self.origin.1.saturating_add(col as u32),
        )
    }

    /// The cell at indices into `rows`, `Empty` where nothing is.
    pub fn get(&self, row: usize, col: usize) -> &RawCell {
        const EMPTY: RawCell = RawCell::Empty;
        self.rows
            .get(row)
            .and_then(|r| {
                r.binary_search_by_key(&col, |(c, _)| *c)
                    .ok()
                    .map(|i| &r[i].1)
            })
            .unwrap_or(&EMPTY)
    }

    /// Sets a cell (used to spread a merged value over its range).
    pub fn set(&mut self, row: usize, col: usize, value: RawCell) {
        if let Some(r) = self.rows.get_mut(row) {
            match r.binary_search_by_key(&col, |(c, _)| *c) {
                Ok(i) => r[i].1 = value,
                Err(i) => r.insert(i, (col, value)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_percentage_reads_as_shown() {
        assert_eq!(RawCell::Percent(0.15).describe(), "het percentage 15%");
        assert_eq!(RawCell::Percent(0.125).text().as_deref(), Some("12,5%"));
        assert_eq!(RawCell::Percent(1.0).text().as_deref(), Some("100%"));
    }
}
