//! A sheet as a grid of raw cells with their absolute positions, independent of calamine.
//!
//! The reader fills it; [`crate::ingest::sheet`] finds the header and the records in it.
//! Keeping it plain lets tests (and the property test) feed any grid without a workbook.

use std::fmt;

use crate::ingest::header::{SheetKind, is_invisible};
use crate::model::{Name, Place};

/// One raw cell value, as the workbook holds it. 16 bytes: a sheet of millions of numbers
/// costs 24 bytes a cell with its column (issue 9), text lives behind one thin pointer.
#[derive(Clone, Debug, PartialEq)]
pub enum RawCell {
    /// Nothing.
    Empty,
    /// Text.
    Text(CellText),
    /// A number (spreadsheets store numbers as binary floats).
    Float(f64),
    /// An integer (some formats store whole numbers as such).
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A date or time, as text for messages.
    Date(CellText),
    /// A number formatted as a percentage (0,15 shown as `15%`): never an amount.
    Percent(f64),
    /// An error value (`#REF!`, `#DIV/0!`, ...).
    Error(CellText),
    /// A formula whose result was never calculated (files written by scripts).
    FormulaWithoutValue(CellText),
}

/// A cell's text behind one thin pointer (8 bytes, where a `String` takes 24), so that
/// [`RawCell`] stays 16 bytes; the rare text cell pays one extra allocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellText(Box<Box<str>>);

impl std::ops::Deref for CellText {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CellText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl From<String> for CellText {
    fn from(text: String) -> CellText {
        CellText(Box::new(text.into_boxed_str()))
    }
}

impl From<&str> for CellText {
    fn from(text: &str) -> CellText {
        CellText(Box::new(text.into()))
    }
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

    /// The cell as text: text trimmed and its apostrophes normalised
    /// ([`quotes::normalise`](super::quotes::normalise)), numbers in their shortest form; `None` for blank,
    /// error, formula-without-value, boolean and date cells.
    pub fn text(&self) -> Option<String> {
        match self {
            RawCell::Text(t) => {
                let t =
                    t.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || is_invisible(c));
                // the one place text enters the model: its apostrophes as the report prints them
                (!t.is_empty()).then(|| super::quotes::normalise(t).into_owned())
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
            RawCell::Text(t) => format!("de tekst ‘{}’", super::quotes::normalise(t.trim())),
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
    /// The file as the user named it (shared by the places of its cells).
    pub file: Name,
    /// The sheet's name as written (shared by the places of its cells).
    pub sheet: Name,
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
    /// Starts a grid filled cell by cell, in reading order (see [`GridBuilder`]).
    pub fn builder(file: impl Into<Name>, sheet: impl Into<Name>, kind: SheetKind) -> GridBuilder {
        GridBuilder {
            grid: Grid {
                file: file.into(),
                sheet: sheet.into(),
                kind,
                origin: (0, 0),
                rows: Vec::new(),
                merged: Vec::new(),
            },
            first_row: None,
            first_col: u32::MAX,
            cells: 0,
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

    /// Lets go of the cells once the records are read: the sheet's place stays, for
    /// messages; a sheet of millions of cells beside the table costs nothing afterwards.
    pub fn release_cells(&mut self) {
        self.rows = Vec::new();
    }

    /// Every cell with its absolute (row, column), mutable (to mark percent cells).
    pub fn cells_mut(&mut self) -> impl Iterator<Item = ((u32, u32), &mut RawCell)> {
        let (row0, col0) = self.origin;
        self.rows.iter_mut().enumerate().flat_map(move |(r, row)| {
            row.iter_mut().map(move |(c, cell)| {
                let at = (
                    row0.saturating_add(r as u32),
                    col0.saturating_add(*c as u32),
                );
                (at, cell)
            })
        })
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

/// Builds a [`Grid`] from cells streamed in reading order (row by row, left to right), with
/// no intermediate list: memory follows the filled cells, never a claimed dimension or a far
/// column, and each row is trimmed to its cells.
pub struct GridBuilder {
    grid: Grid,
    first_row: Option<u32>,
    first_col: u32,
    cells: u64,
}

impl GridBuilder {
    /// Adds a cell at absolute (row, column). Cells must come in reading order (the reader
    /// checks it: a cell at or before the previous one is an error there).
    pub fn push(&mut self, row: u32, col: u32, value: RawCell) {
        let first_row = *self.first_row.get_or_insert(row);
        let index = row.saturating_sub(first_row) as usize;
        if index >= self.grid.rows.len() {
            if let Some(last) = self.grid.rows.last_mut() {
                last.shrink_to_fit();
            }
            self.grid.rows.resize_with(index + 1, Vec::new);
        }
        self.first_col = self.first_col.min(col);
        // absolute columns until the first column is known
        self.grid.rows[index].push((col as usize, value));
        self.cells += 1;
    }

    /// How many cells were added.
    pub fn cells(&self) -> u64 {
        self.cells
    }

    /// The grid, with its merged ranges; columns made relative to the first filled one.
    pub fn finish(self, merged: Vec<((u32, u32), (u32, u32))>) -> Grid {
        let mut grid = self.grid;
        let first_col = if self.cells == 0 { 0 } else { self.first_col };
        if let Some(last) = grid.rows.last_mut() {
            last.shrink_to_fit();
        }
        grid.rows.shrink_to_fit();
        for row in &mut grid.rows {
            for (c, _) in row.iter_mut() {
                *c -= first_col as usize;
            }
        }
        grid.origin = (self.first_row.unwrap_or(0), first_col);
        grid.merged = merged;
        grid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_16_bytes() {
        assert_eq!(std::mem::size_of::<RawCell>(), 16);
    }

    #[test]
    fn a_grid_is_built_in_reading_order() {
        let mut builder = Grid::builder("f.xlsx", "Blad", SheetKind::Themas);
        builder.push(3, 4, RawCell::Int(1));
        builder.push(3, 9, RawCell::Text("x".into()));
        builder.push(6, 2, RawCell::Float(2.5));
        let mut grid = builder.finish(Vec::new());
        assert_eq!(grid.origin, (3, 2));
        assert_eq!(grid.rows.len(), 4);
        assert_eq!(grid.get(0, 2), &RawCell::Int(1));
        assert_eq!(grid.get(0, 7), &RawCell::Text("x".into()));
        assert_eq!(grid.get(3, 0), &RawCell::Float(2.5));
        assert_eq!(grid.get(1, 0), &RawCell::Empty);
        assert_eq!(grid.cell_place(3, 0).cell, "C7");
        let at: Vec<(u32, u32)> = grid.cells_mut().map(|(at, _)| at).collect();
        assert_eq!(at, [(3, 4), (3, 9), (6, 2)]);
        grid.release_cells();
        assert_eq!(grid.get(0, 2), &RawCell::Empty);
        assert_eq!(grid.place().to_string(), "f.xlsx › Blad");
    }

    #[test]
    fn a_percentage_reads_as_shown() {
        assert_eq!(RawCell::Percent(0.15).describe(), "het percentage 15%");
        assert_eq!(RawCell::Percent(0.125).text().as_deref(), Some("12,5%"));
        assert_eq!(RawCell::Percent(1.0).text().as_deref(), Some("100%"));
    }
}
