//! A sheet as a grid of raw cells with their absolute positions, independent of calamine.
//!
//! The reader fills it; [`crate::ingest::sheet`] finds the header and the records in it.
//! Keeping it plain lets tests (and the property test) feed any grid without a workbook.

use crate::ingest::header::SheetKind;
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
                .trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}')
                .is_empty(),
            _ => false,
        }
    }

    /// The cell as text: text trimmed, numbers in their shortest form; `None` for blank,
    /// error, formula-without-value, boolean and date cells.
    pub fn text(&self) -> Option<String> {
        match self {
            RawCell::Text(t) => {
                let t = t.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}');
                (!t.is_empty()).then(|| t.to_string())
            }
            RawCell::Float(f) => Some(format!("{f}")),
            RawCell::Int(i) => Some(i.to_string()),
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
            RawCell::Error(e) => format!("de foutwaarde {e}"),
            RawCell::FormulaWithoutValue(f) => format!("de formule ={f} zonder berekende waarde"),
        }
    }
}

/// A recognised sheet, read into memory.
#[derive(Clone, Debug)]
pub struct Grid {
    /// The file as the user named it.
    pub file: String,
    /// The sheet's name as written.
    pub sheet: String,
    /// What kind of sheet.
    pub kind: SheetKind,
    /// Absolute (row, column) of `rows[0][0]`, zero-based.
    pub origin: (u32, u32),
    /// The cells, row by row.
    pub rows: Vec<Vec<RawCell>>,
    /// Merged ranges, absolute ((first row, first column), (last row, last column)). Only
    /// the top-left cell of a merged range holds a value.
    pub merged: Vec<((u32, u32), (u32, u32))>,
}

impl Grid {
    /// Builds a grid from sparse cells (absolute row, column, value). Rows are only as long
    /// as their last cell, so memory follows the cells, never a claimed dimension.
    pub fn from_cells(
        file: String,
        sheet: String,
        kind: SheetKind,
        cells: Vec<(u32, u32, RawCell)>,
        merged: Vec<((u32, u32), (u32, u32))>,
    ) -> Grid {
        let first_row = cells.iter().map(|c| c.0).min().unwrap_or(0);
        let first_col = cells.iter().map(|c| c.1).min().unwrap_or(0);
        let last_row = cells.iter().map(|c| c.0).max().unwrap_or(0);
        let mut rows: Vec<Vec<RawCell>> =
            vec![Vec::new(); (last_row - first_row) as usize + usize::from(!cells.is_empty())];
        for (r, c, value) in cells {
            let row = &mut rows[(r - first_row) as usize];
            let col = (c - first_col) as usize;
            if row.len() <= col {
                row.resize(col + 1, RawCell::Empty);
            }
            row[col] = value;
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

    /// The cell at indices into `rows`, `Empty` beyond the grid.
    pub fn get(&self, row: usize, col: usize) -> &RawCell {
        const EMPTY: RawCell = RawCell::Empty;
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }
}
