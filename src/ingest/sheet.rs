//! Finding a sheet's header row and reading its records.
//!
//! The header row is the first row among the first [`HEADER_SEARCH_ROWS`] that holds all the
//! sheet's required headers; rows above it are titles and are ignored. Columns are matched by
//! header, in any order; unknown columns are ignored. Blank rows are skipped.

use std::collections::HashMap;

use crate::ingest::grid::{Grid, RawCell};
use crate::ingest::header::{self, Field, Rank, SheetKind};
use crate::model::Finding;
use crate::model::{ColumnKind, Place, a1};

/// How many rows from the top the header row is looked for in.
pub const HEADER_SEARCH_ROWS: usize = 20;

/// A column the pipeline reads, as found in the header row.
#[derive(Clone, Debug)]
pub struct FoundColumn {
    /// What it holds.
    pub field: Field,
    /// Index into the grid's rows.
    pub index: usize,
    /// The header as written, white space tidied (for the report's column labels).
    pub label: String,
    /// The header cell.
    pub place: Place,
}

/// One data row: the cells of the found columns.
#[derive(Clone, Debug)]
pub struct Record {
    /// Index into the grid's rows.
    pub row: usize,
    /// One cell per found column, in column order.
    pub cells: Vec<RawCell>,
}

/// A sheet with its header found and its records read.
#[derive(Clone, Debug)]
pub struct SheetTable {
    /// The sheet's grid, for places in messages; its cells are released once the records
    /// are read (they moved into the records).
    pub grid: Grid,
    /// The columns found, in sheet order.
    pub columns: Vec<FoundColumn>,
    /// The non-blank rows below the header.
    pub records: Vec<Record>,
    /// Warnings about the sheet (merged amount cells).
    pub warnings: Vec<Finding>,
    by_field: HashMap<Field, usize>,
}

impl SheetTable {
    /// The position in `columns` (and in each record's cells) of a field.
    pub fn column(&self, field: &Field) -> Option<usize> {
        self.by_field.get(field).copied()
    }

    /// A record's cell for a field; `Empty` when the sheet has no such column.
    pub fn cell<'a>(&self, record: &'a Record, field: &Field) -> &'a RawCell {
        const EMPTY: RawCell = RawCell::Empty;
        self.column(field)
            .and_then(|i| record.cells.get(i))
            .unwrap_or(&EMPTY)
    }

    /// A record's cell as trimmed text, `None` when blank.
    pub fn text(&self, record: &Record, field: &Field) -> Option<String> {
        self.cell(record, field).text()
    }

    /// The place of a record's cell for a field; the record's first column when the sheet
    /// has no such column.
    pub fn place(&self, record: &Record, field: &Field) -> Place {
        let col = self
            .column(field)
            .and_then(|i| self.columns.get(i))
            .map(|c| c.index)
            .unwrap_or(0);
        self.grid.cell_place(record.row, col)
    }

    /// The amount columns, in sheet order, with their index into `columns`.
    pub fn amount_columns(&self) -> impl Iterator<Item = (usize, &FoundColumn, &ColumnKind)> {
        self.columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match &c.field {
                Field::Amount(kind) => Some((i, c, kind)),
                _ => None,
            })
    }
}

/// Tidies a header for printing: line breaks and runs of spaces as one space.
pub fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Finds the header row and reads the records.
///
/// # Errors
/// A missing required column (the message lists the headers that were found), a column
/// that occurs twice, or no amount column where one is needed.
pub fn read(grid: Grid) -> Result<SheetTable, Vec<Finding>> {
    let header_row = find_header_row(&grid).map_err(|finding| vec![*finding])?;
    let (columns, mut warnings) = choose_columns(&grid, header_row)?;
    let by_field: HashMap<Field, usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.field.clone(), i))
        .collect();
    let mut grid = grid;
    warnings.extend(unmerge(&mut grid, header_row, &columns));
    let mut records = take_records(&mut grid, header_row, &columns);
    let errors = check_text_cells(&grid, &columns, &mut records);
    if !errors.is_empty() {
        return Err(errors);
    }
    // only the sheet's place is needed from here on (messages), not its cells
    grid.release_cells();
    Ok(SheetTable {
        grid,
        columns,
        records,
        by_field,
        warnings,
    })
}

/// The header row: the first of the top [`HEADER_SEARCH_ROWS`] rows with every required
/// header (and a year column where one is needed). Else the error names what is missing
/// from the row that came closest.
fn find_header_row(grid: &Grid) -> Result<usize, Box<Finding>> {
    let kind = grid.kind;
    let required = kind.required_fields();
    let mut best: Option<(usize, usize)> = None; // (row, number of required headers found)
    for (r, row) in grid.rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let fields: Vec<Field> = row
            .iter()
            .filter_map(|(_, c)| c.text())
            .filter_map(|t| header::classify(kind, &t))
            .collect();
        let found = required.iter().filter(|f| fields.contains(f)).count();
        if found == required.len() && !lacks_year_column(kind, &fields) {
            return Ok(r);
        }
        if found > 0 && best.is_none_or(|(_, n)| found > n) {
            best = Some((r, found));
        }
    }
    Err(Box::new(missing_columns(grid, best.map(|(r, _)| r))))
}

/// The columns of the header row the pipeline reads, in sheet order, with warnings about
/// amount-like columns without a readable year. Where two columns name one field, a
/// primary name outranks an alias (which is then ignored); two of equal rank, or two for
/// one year whatever their names, are an error.
fn choose_columns(
    grid: &Grid,
    header_row: usize,
) -> Result<(Vec<FoundColumn>, Vec<Finding>), Vec<Finding>> {
    let kind = grid.kind;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut chosen: Vec<(FoundColumn, Rank)> = Vec::new();
    for (c, cell) in grid.rows[header_row].iter().map(|(c, cell)| (*c, cell)) {
        let Some(text) = cell.text() else { continue };
        let place = grid.cell_place(header_row, c);
        let Some((field, rank)) = header::classify_ranked(kind, &text) else {
            if header::looks_like_amount(kind, &text) {
                warnings.push(Finding::warning(
                    place,
                    format!(
                        "de kolom ‘{}’ lijkt een bedragkolom, maar er staat geen jaar in dat te lezen is; de kolom wordt niet gelezen (verwacht bijvoorbeeld ‘Uitgaven 2021’ of ‘Budget 2022’)",
                        tidy(&text)
                    ),
                ));
            }
            continue;
        };
        let found = FoundColumn {
            field,
            index: c,
            label: tidy(&text),
            place,
        };
        // two columns for one year are ambiguous whatever their names
        let year = matches!(
            found.field,
            Field::Amount(ColumnKind::Uitgaven(_) | ColumnKind::Budget(_))
        );
        match chosen.iter_mut().find(|(col, _)| col.field == found.field) {
            None => chosen.push((found, rank)),
            Some(earlier) if rank < earlier.1 && !year => *earlier = (found, rank),
            Some(earlier) if rank > earlier.1 && !year => {}
            Some(earlier) => errors.push(Finding::input_error(
                found.place.clone(),
                format!(
                    "de kolom ‘{}’ staat twee keer in de kopregel (ook in {}, ‘{}’); verwacht één kolom per soort",
                    found.label, earlier.0.place.cell, earlier.0.label
                ),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut columns: Vec<FoundColumn> = chosen.into_iter().map(|(col, _)| col).collect();
    columns.sort_by_key(|c| c.index);
    Ok((columns, warnings))
}

/// The non-blank rows below the header, with the cells of the found columns. The cells
/// move into the records: the grid lets go of its cells below the header.
fn take_records(grid: &mut Grid, header_row: usize, columns: &[FoundColumn]) -> Vec<Record> {
    grid.rows
        .iter_mut()
        .enumerate()
        .skip(header_row + 1)
        .filter_map(|(r, row)| {
            let cells: Vec<RawCell> = columns
                .iter()
                .map(|c| {
                    row.binary_search_by_key(&c.index, |(col, _)| *col)
                        .map(|i| std::mem::replace(&mut row[i].1, RawCell::Empty))
                        .unwrap_or(RawCell::Empty)
                })
                .collect();
            (!cells.iter().all(RawCell::is_blank)).then_some(Record { row: r, cells })
        })
        .collect()
}

/// Texts longer than a cell may hold, and error values and formulas without a value where
/// text is expected: each an error, the cell emptied. Amount cells are read, and reported,
/// by the model builder.
fn check_text_cells(grid: &Grid, columns: &[FoundColumn], records: &mut [Record]) -> Vec<Finding> {
    let mut errors = Vec::new();
    for record in records {
        for (i, column) in columns.iter().enumerate() {
            if let RawCell::Text(text) = &record.cells[i]
                && text.chars().count() > MAX_TEXT_CHARS
            {
                errors.push(Finding::input_error(
                    grid.cell_place(record.row, column.index),
                    format!("de tekst is langer dan {MAX_TEXT_CHARS} tekens, het meeste dat een cel in Excel kan bevatten; verkort hem"),
                ));
                record.cells[i] = RawCell::Empty;
                continue;
            }
            if is_amount(&column.field) {
                continue;
            }
            if let RawCell::Error(_) | RawCell::FormulaWithoutValue(_) = &record.cells[i] {
                errors.push(Finding::input_error(
                    grid.cell_place(record.row, column.index),
                    format!(
                        "de cel bevat {}; verwacht {}",
                        record.cells[i].describe(),
                        column.field.name()
                    ),
                ));
                record.cells[i] = RawCell::Empty;
            }
        }
    }
    errors
}

/// The longest text a cell may hold: Excel's own limit, which the XLSX report must respect.
const MAX_TEXT_CHARS: usize = 32_767;

/// How many cells merged values are spread into, at most, per sheet: bounds the work of a
/// sheet with thousands of overlapping merged ranges.
const MAX_MERGE_SPREAD: usize = 1_000_000;

/// Whether a field holds amounts.
fn is_amount(field: &Field) -> bool {
    matches!(
        field,
        Field::Amount(_) | Field::Resterend | Field::Toegekend
    )
}

/// Merged cells: the value stands in the top-left cell only. A theme, round, parent code or
/// voorbehoud merged over several rows applies to every row of the range; other text (a
/// description over two rows) stays one value; an amount merged over several cells counts
/// once, and a warning names the range.
fn unmerge(grid: &mut Grid, header_row: usize, columns: &[FoundColumn]) -> Vec<Finding> {
    let mut warnings = Vec::new();
    let mut spread = 0usize;
    let (row0, col0) = grid.origin;
    for ((first_row, first_col), (last_row, last_col)) in grid.merged.clone() {
        if first_row < row0 || first_col < col0 || (first_row, first_col) == (last_row, last_col) {
            continue;
        }
        let top = (first_row - row0) as usize;
        if top <= header_row {
            continue; // titles and headers
        }
        let (left, right) = ((first_col - col0) as usize, (last_col - col0) as usize);
        let bottom = ((last_row - row0) as usize).min(grid.rows.len().saturating_sub(1));
        let inside: Vec<&FoundColumn> = columns
            .iter()
            .filter(|c| (left..=right).contains(&c.index))
            .collect();
        if inside.is_empty() {
            continue;
        }
        if inside.iter().any(|c| is_amount(&c.field)) {
            let mut place = grid.place();
            let range = format!("{}:{}", a1(first_row, first_col), a1(last_row, last_col));
            place.cell = range.clone();
            let warning = Finding::warning(
                place,
                format!(
                    "samengevoegde cellen {range} in een bedragkolom: alleen de waarde van {} telt, de andere cellen tellen als leeg; maak de samenvoeging ongedaan",
                    a1(first_row, first_col)
                ),
            );
            warnings.push(warning);
            continue;
        }
        // only a group's attributes apply to every row they are merged over; a description
        // merged over two rows is one description
        let groups_rows = inside.iter().any(|c| {
            c.index == left
                && matches!(
                    c.field,
                    Field::Thema | Field::Ronde | Field::OnderdeelVan | Field::Voorbehoud
                )
        });
        if !groups_rows {
            continue;
        }
        let value = grid.get(top, left).clone();
        for row in top + 1..=bottom {
            if spread >= MAX_MERGE_SPREAD {
                break;
            }
            grid.set(row, left, value.clone());
            spread += 1;
        }
    }
    warnings
}

/// Whether a sheet that needs a year column (`Uitgaven 2021`, `Budget 2022`) has none among
/// these fields.
fn lacks_year_column(kind: SheetKind, fields: &[Field]) -> bool {
    kind.needs_year_column()
        && !fields.iter().any(|f| {
            matches!(
                f,
                Field::Amount(ColumnKind::Uitgaven(_) | ColumnKind::Budget(_))
            )
        })
}

/// The error for a sheet without a complete header row: what is missing and what was found.
fn missing_columns(grid: &Grid, best_row: Option<usize>) -> Finding {
    let kind = grid.kind;
    let row = best_row.unwrap_or(0);
    let fields: Vec<Field> = grid
        .rows
        .get(row)
        .map(|r| {
            r.iter()
                .filter_map(|(_, c)| c.text())
                .filter_map(|t| header::classify(kind, &t))
                .collect()
        })
        .unwrap_or_default();
    let mut missing: Vec<String> = kind
        .required_fields()
        .iter()
        .filter(|f| !fields.contains(f))
        .map(Field::name)
        .collect();
    if lacks_year_column(kind, &fields) {
        missing.push("een bedragkolom zoals ‘Uitgaven 2021’ of ‘Budget 2022’".to_string());
    }
    let found: Vec<String> = grid
        .rows
        .get(row)
        .map(|r| {
            r.iter()
                .filter_map(|(_, c)| c.text())
                .map(|t| format!("‘{}’", tidy(&t)))
                .collect()
        })
        .unwrap_or_default();
    if best_row.is_none() {
        return Finding::input_error(
            grid.place(),
            format!(
                "geen kopregel gevonden: {}; verwacht een rij met de kolommen {}",
                not_in_window(grid),
                kind.required_fields()
                    .iter()
                    .map(|f| format!("‘{}’", f.name()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    let found_text = if found.is_empty() {
        format!("geen kopregel gevonden in de eerste {HEADER_SEARCH_ROWS} rijen")
    } else {
        format!(
            "gevonden kopregel (rij {}): {}",
            u64::from(grid.origin.0) + row as u64 + 1,
            found.join(", ")
        )
    };
    Finding::input_error(
        grid.place(),
        format!(
            "verplichte kolom ontbreekt: {}; {found_text}",
            missing
                .iter()
                .map(|m| if m.starts_with("een ") {
                    m.clone()
                } else {
                    format!("‘{m}’")
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

/// Where the header was looked for, when none of the first rows holds a required header;
/// and the row below that window that holds the header, if one does.
fn not_in_window(grid: &Grid) -> String {
    let first = u64::from(grid.origin.0) + 1;
    let window = format!(
        "de kopregel wordt gezocht in de eerste {HEADER_SEARCH_ROWS} rijen van het blad (rij {first} t/m {}) en staat daar niet",
        first + HEADER_SEARCH_ROWS as u64 - 1
    );
    let required = grid.kind.required_fields();
    let below = grid
        .rows
        .iter()
        .enumerate()
        .skip(HEADER_SEARCH_ROWS)
        .take(10_000)
        .find(|(_, row)| {
            let fields: Vec<Field> = row
                .iter()
                .filter_map(|(_, c)| c.text())
                .filter_map(|t| header::classify(grid.kind, &t))
                .collect();
            required.iter().all(|f| fields.contains(f))
        });
    match below {
        Some((r, _)) => format!(
            "{window}; rij {} lijkt de kopregel: verwijder de lege rijen of titels erboven",
            first + r as u64
        ),
        None => window,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::header::SheetKind;

    fn text(t: &str) -> RawCell {
        RawCell::Text(t.into())
    }

    fn grid(kind: SheetKind, rows: Vec<Vec<RawCell>>) -> Grid {
        Grid::from_dense("in/x.xlsx", "Blad", kind, rows)
    }

    #[test]
    fn header_below_titles_and_columns_in_any_order() {
        let g = grid(
            SheetKind::ReguliereMiddelen,
            vec![
                vec![text("Reguliere middelen 2022")],
                vec![],
                vec![
                    text("Opmerking"),
                    text("Budget 2022"),
                    text("Omschrijving"),
                    text("Thema"),
                    text("Code"),
                ],
                vec![
                    text(""),
                    RawCell::Float(10.0),
                    text("Adviescommissie"),
                    text("Algemeen"),
                    text("a"),
                ],
                vec![],
            ],
        );
        let table = read(g).unwrap();
        assert_eq!(table.columns.len(), 4);
        assert_eq!(table.records.len(), 1);
        assert_eq!(table.records[0].row, 3);
        assert_eq!(
            table.place(&table.records[0], &Field::Omschrijving).cell,
            "C4"
        );
        assert_eq!(
            table.text(&table.records[0], &Field::Code).as_deref(),
            Some("a")
        );
    }

    #[test]
    fn a_missing_column_lists_what_was_found() {
        let g = grid(
            SheetKind::ReguliereMiddelen,
            vec![vec![
                text("Thema"),
                text("Omschrijving"),
                text("Uitgaven 2021"),
            ]],
        );
        let errors = read(g).unwrap_err();
        let message = errors[0].to_string();
        assert!(message.contains("‘Code’"), "{message}");
        assert!(
            message.contains("‘Thema’, ‘Omschrijving’, ‘Uitgaven 2021’"),
            "{message}"
        );
    }

    #[test]
    fn a_column_twice_is_an_error() {
        let g = grid(
            SheetKind::ReguliereMiddelen,
            vec![vec![
                text("Thema"),
                text("Code"),
                text("Omschrijving"),
                text("Uitgaven 2021"),
                text("Realisatie 2021"),
            ]],
        );
        let errors = read(g).unwrap_err();
        assert!(errors[0].to_string().contains("E1"), "{}", errors[0]);
    }
}
