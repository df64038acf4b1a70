//! The format-neutral report table: built once from the computed report, read by both the
//! PDF and the XLSX renderer, so the two outputs cannot drift apart.
//!
//! A table has amount columns, rows of a few kinds, cells with their value, footnote marker
//! and (for totals and remainders) the [`Derivation`] that the XLSX writes as a formula.

use serde::Serialize;

use crate::compute::{
    AlliantieReport, AlliantieThemeReport, LineReport, Report, ReportColumnKind, SectionReport,
    TableReport,
};
use crate::model::{Instrument, Money};

/// One table of the appendix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportTable {
    /// Which instrument.
    pub instrument: Instrument,
    /// The title above the table (`Reguliere middelen (begroting)`).
    pub title: String,
    /// The header of the label column (`Uitgaven werkplan 2022`).
    pub label_header: String,
    /// The amount columns.
    pub columns: Vec<TableColumn>,
    /// The rows, top to bottom.
    pub rows: Vec<TableRow>,
    /// Footnotes printed under the table.
    pub footnotes: Vec<TableFootnote>,
}

/// An amount column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TableColumn {
    /// The header (`Uitgaven 2021`, `1e ronde`).
    pub label: String,
    /// A header over several adjacent columns (`Toegekend` over the rounds), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Whether the column shows cents: true when any value in it has cents. One rule per
    /// column.
    pub cents: bool,
    /// Whether the column is computed by the pipeline rather than read (remaining).
    pub computed: bool,
}

/// The kind of a row, which decides its style.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowKind {
    /// A theme heading (`1 Leefbaarheid en bereikbaarheid`); bold. May carry theme figures
    /// (the alliantie table's budget and remaining per theme).
    ThemeHeading,
    /// A budget line with its letter.
    Line,
    /// A part of a line, indented under it.
    Part,
    /// The total of a line's parts (`Totaal`), under the parts.
    LineTotal,
    /// A note in place of a theme's lines (`Niet van toepassing binnen Sociale Agenda`);
    /// italic.
    Note,
    /// The table's total; bold, with a rule above.
    Total,
}

/// How a row is drawn: decided here once, so the PDF, XLSX and HTML only draw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RowStyle {
    /// Bold text: theme headings and every total.
    pub bold: bool,
    /// Italic text: notes.
    pub italic: bool,
    /// The label indented one step: parts and the total of their line.
    pub indented: bool,
    /// A bullet before the label: parts, as the werkplan prints them.
    pub bullet: bool,
    /// A shaded band behind the row: theme headings.
    pub band: bool,
    /// The rules of the row.
    pub rule: Rule,
    /// The row stays on the page of the row before it: parts and totals stay with their
    /// line, and nothing is separated from the theme heading above it.
    pub keep_with_previous: bool,
}

/// The rules drawn on a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// No rule.
    None,
    /// A thin rule above the figures only: the total of a line's parts.
    AboveFigures,
    /// A rule above and a double rule below the whole row: the table's total.
    TableTotal,
}

impl RowKind {
    /// The style of a row of this kind.
    pub fn style(self) -> RowStyle {
        let plain = RowStyle {
            bold: false,
            italic: false,
            indented: false,
            bullet: false,
            band: false,
            rule: Rule::None,
            keep_with_previous: false,
        };
        match self {
            RowKind::ThemeHeading => RowStyle {
                bold: true,
                band: true,
                ..plain
            },
            RowKind::Line => plain,
            RowKind::Part => RowStyle {
                indented: true,
                bullet: true,
                keep_with_previous: true,
                ..plain
            },
            RowKind::LineTotal => RowStyle {
                bold: true,
                indented: true,
                rule: Rule::AboveFigures,
                keep_with_previous: true,
                ..plain
            },
            RowKind::Note => RowStyle {
                italic: true,
                ..plain
            },
            RowKind::Total => RowStyle {
                bold: true,
                rule: Rule::TableTotal,
                keep_with_previous: true,
                ..plain
            },
        }
    }
}

/// A header over adjacent amount columns (`Toegekend` over the rounds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ColumnGroup {
    /// The header text.
    pub label: String,
    /// The first amount column under it.
    pub first: usize,
    /// The last amount column under it (inclusive).
    pub last: usize,
}

/// One row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TableRow {
    /// What kind of row.
    pub kind: RowKind,
    /// The line's letter (`a`), for lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The text of the label column, without the code.
    pub label: String,
    /// A remark printed after the label (`(ovb voorhangprocedure)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// The theme number the row belongs to.
    pub theme: u32,
    /// One cell per amount column.
    pub cells: Vec<TableCell>,
}

/// One amount cell.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TableCell {
    /// The value; `None` is an empty cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Money>,
    /// A footnote marker printed after the value (`*`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// How the value follows from other cells of the table; the XLSX writes it as a formula.
    /// Not in the JSON: it lists every row a total adds up, which for a large table is most
    /// of the file, and the JSON states the computed figures themselves.
    #[serde(skip)]
    pub derivation: Option<Derivation>,
}

/// A computed cell: the sum of `plus` minus the sum of `minus`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Derivation {
    /// Cells added.
    pub plus: Vec<CellRef>,
    /// Cells subtracted.
    pub minus: Vec<CellRef>,
}

/// A cell of the same table: row index into `rows`, column index into `columns`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CellRef {
    /// Row index.
    pub row: usize,
    /// Amount column index.
    pub column: usize,
}

/// A footnote under a table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TableFootnote {
    /// The marker (`*`).
    pub marker: String,
    /// The text.
    pub text: String,
}

impl ReportTable {
    /// The value of a cell, if the cell exists and has one.
    pub fn value(&self, at: CellRef) -> Option<Money> {
        self.rows.get(at.row)?.cells.get(at.column)?.value
    }

    /// The column groups: each run of adjacent amount columns with the same `group`, left
    /// to right. Columns without a group belong to none.
    pub fn column_groups(&self) -> Vec<ColumnGroup> {
        let mut groups: Vec<ColumnGroup> = Vec::new();
        for (i, column) in self.columns.iter().enumerate() {
            let Some(label) = &column.group else { continue };
            match groups.last_mut() {
                Some(last) if last.last + 1 == i && &last.label == label => last.last = i,
                _ => groups.push(ColumnGroup {
                    label: label.clone(),
                    first: i,
                    last: i,
                }),
            }
        }
        groups
    }

    /// The style of row `row` in its place: its kind's style, kept with the row before it
    /// also when that row is a theme heading (a heading never ends a page). The plain style
    /// for a row the table does not have.
    pub fn row_style(&self, row: usize) -> RowStyle {
        let Some(this) = self.rows.get(row) else {
            return RowKind::Line.style();
        };
        let mut style = this.kind.style();
        let after_heading = row
            .checked_sub(1)
            .and_then(|previous| self.rows.get(previous))
            .is_some_and(|previous| previous.kind.style().band);
        style.keep_with_previous |= after_heading;
        style
    }

    /// Whether the row after `row` carries a rule above (a line total, the table total):
    /// the row then ends without a hairline of its own.
    pub fn ruled_below(&self, row: usize) -> bool {
        self.rows
            .get(row + 1)
            .is_some_and(|next| next.kind.style().rule != Rule::None)
    }

    /// Whether any column has a group header (the header is then two rows high).
    pub fn grouped(&self) -> bool {
        self.columns.iter().any(|c| c.group.is_some())
    }

    /// The text of an amount cell as every format prints it: Dutch notation, with cents
    /// exactly when the column shows cents (`€ 1.537.933,56`, `€ 400.000`); `None` for an
    /// empty cell.
    pub fn amount_text(&self, row: usize, column: usize) -> Option<String> {
        let cents = self.columns.get(column)?.cents;
        let value = self.rows.get(row)?.cells.get(column)?.value?;
        Some(value.to_dutch_with(cents))
    }
}

/// The three tables of the appendix, in report order.
pub fn report_tables(report: &Report) -> Vec<ReportTable> {
    vec![
        budget_table(report, &report.regulier),
        budget_table(report, &report.drenthe_breed),
        alliantie_table(report, &report.alliantie),
    ]
}

fn label_header(report: &Report) -> String {
    format!("Uitgaven werkplan {}", report.year)
}

fn amount_cells(values: &[Money]) -> Vec<TableCell> {
    values
        .iter()
        .map(|v| TableCell {
            value: Some(*v),
            ..TableCell::default()
        })
        .collect()
}

fn empty_cells(n: usize) -> Vec<TableCell> {
    vec![TableCell::default(); n]
}

fn refs(rows: &[usize], column: usize) -> Vec<CellRef> {
    rows.iter().map(|&row| CellRef { row, column }).collect()
}

/// The precision rule of every column of figures, in every table and format: a column
/// shows cents when any figure in it has cents, and then every figure in it shows them.
pub fn column_cents<'a>(values: impl IntoIterator<Item = &'a Money>) -> bool {
    values.into_iter().any(|v| v.has_cents())
}

/// Sets each amount column's `cents` from its values.
pub(crate) fn set_column_cents(columns: &mut [TableColumn], rows: &[TableRow]) {
    for (i, column) in columns.iter_mut().enumerate() {
        column.cents = column_cents(
            rows.iter()
                .filter_map(|r| r.cells.get(i).and_then(|c| c.value.as_ref())),
        );
    }
}

/// A budget table (`Reguliere middelen`, `Drenthe-brede projecten`): per theme its heading,
/// notes and lines, lines with parts followed by their `Totaal`, then the table's `Totaal`.
fn budget_table(report: &Report, table: &TableReport) -> ReportTable {
    let mut columns = budget_columns(table);
    let mut rows = BudgetRows {
        table,
        rows: Vec::new(),
        total_rows: Vec::new(),
    };
    for section in &table.sections {
        rows.push_heading(section);
        for line in &section.lines {
            if line.parts.is_empty() {
                rows.push_line(section.theme, line);
            } else {
                rows.push_line_with_parts(section.theme, line);
            }
        }
    }
    rows.push_total();
    let rows = rows.rows;
    set_column_cents(&mut columns, &rows);
    ReportTable {
        instrument: table.instrument,
        title: table.instrument.title(),
        label_header: label_header(report),
        columns,
        rows,
        footnotes: table
            .footnotes
            .iter()
            .map(|f| TableFootnote {
                marker: f.marker.clone(),
                text: f.text.clone(),
            })
            .collect(),
    }
}

/// A budget table's amount columns, as compute laid them out; remainders are computed.
fn budget_columns(table: &TableReport) -> Vec<TableColumn> {
    table
        .columns
        .iter()
        .map(|c| TableColumn {
            label: c.label.clone(),
            group: None,
            cents: false,
            computed: matches!(
                c.kind,
                ReportColumnKind::Remaining | ReportColumnKind::RemainingBudget(_)
            ),
        })
        .collect()
}

/// The rows of a budget table as they are built, top to bottom.
struct BudgetRows<'a> {
    /// The computed table.
    table: &'a TableReport,
    /// The rows so far.
    rows: Vec<TableRow>,
    /// The rows whose values make up the table total (lines and line totals).
    total_rows: Vec<usize>,
}

impl BudgetRows<'_> {
    /// The number of amount columns.
    fn width(&self) -> usize {
        self.table.columns.len()
    }

    /// How a remaining cell follows from its row: the same rules compute used (remaining,
    /// each year's remainder), written as formulas. `None` for other columns.
    fn remaining_derivation(&self, row: usize, column: usize) -> Option<Derivation> {
        let rule = self
            .table
            .remaining
            .iter()
            .chain(&self.table.year_remaining)
            .find(|rule| rule.column == column)?;
        Some(Derivation {
            plus: vec![CellRef {
                row,
                column: rule.budget,
            }],
            minus: rule
                .minus
                .iter()
                .map(|&column| CellRef { row, column })
                .collect(),
        })
    }

    /// A row without figures.
    fn push_empty(&mut self, kind: RowKind, code: Option<String>, label: &str, theme: u32) {
        let cells = empty_cells(self.width());
        self.rows.push(TableRow {
            kind,
            code,
            label: label.to_string(),
            remark: None,
            theme,
            cells,
        });
    }

    /// A theme's heading and the notes in place of its lines.
    fn push_heading(&mut self, section: &SectionReport) {
        self.push_empty(RowKind::ThemeHeading, None, &section.heading, section.theme);
        for note in &section.notes {
            self.push_empty(RowKind::Note, None, note, section.theme);
        }
    }

    /// A line without parts: its figures, remainders as formulas; part of the table total.
    fn push_line(&mut self, theme: u32, line: &LineReport) {
        let row = self.push_figures(
            (
                RowKind::Line,
                Some(line.code.clone()),
                &line.description,
                theme,
            ),
            &line.values,
            &line.marked,
            &line.footnote_marker,
        );
        self.total_rows.push(row);
    }

    /// A row of a line or part's own figures, its remainders as formulas; returns its index.
    fn push_figures(
        &mut self,
        (kind, code, label, theme): (RowKind, Option<String>, &str, u32),
        values: &[Money],
        marked: &[bool],
        footnote_marker: &Option<String>,
    ) -> usize {
        let row = self.rows.len();
        let mut cells = marked_cells(values, marked, footnote_marker);
        for (i, cell) in cells.iter_mut().enumerate() {
            cell.derivation = self.remaining_derivation(row, i);
        }
        self.rows.push(TableRow {
            kind,
            code,
            label: label.to_string(),
            remark: label_marker(footnote_marker, marked),
            theme,
            cells,
        });
        row
    }

    /// A line with parts: the line's row without figures, a row per part, then the line's
    /// `Totaal` adding up its parts (part of the table total).
    fn push_line_with_parts(&mut self, theme: u32, line: &LineReport) {
        self.push_empty(
            RowKind::Line,
            Some(line.code.clone()),
            &line.description,
            theme,
        );
        let mut part_rows = Vec::new();
        for part in &line.parts {
            let row = self.push_figures(
                (RowKind::Part, None, &part.description, theme),
                &part.values,
                &part.marked,
                &part.footnote_marker,
            );
            part_rows.push(row);
        }
        let row = self.rows.len();
        let mut cells = marked_cells(&line.values, &line.marked, &line.footnote_marker);
        for (i, cell) in cells.iter_mut().enumerate() {
            cell.derivation = Some(Derivation {
                plus: refs(&part_rows, i),
                minus: Vec::new(),
            });
        }
        self.rows.push(TableRow {
            kind: RowKind::LineTotal,
            code: None,
            label: "Totaal".to_string(),
            remark: None,
            theme,
            cells,
        });
        self.total_rows.push(row);
    }

    /// The table's `Totaal`: the sum of its lines and line totals.
    fn push_total(&mut self) {
        let mut cells = amount_cells(&self.table.totals);
        for (i, cell) in cells.iter_mut().enumerate() {
            cell.derivation = Some(Derivation {
                plus: refs(&self.total_rows, i),
                minus: Vec::new(),
            });
        }
        self.rows.push(TableRow {
            kind: RowKind::Total,
            code: None,
            label: "Totaal".to_string(),
            remark: None,
            theme: 0,
            cells,
        });
    }
}

/// Amount cells with the footnote marker after each marked figure.
fn marked_cells(values: &[Money], marked: &[bool], marker: &Option<String>) -> Vec<TableCell> {
    let mut cells = amount_cells(values);
    for (i, cell) in cells.iter_mut().enumerate() {
        if marked.get(i).copied().unwrap_or(false) {
            cell.marker = marker.clone();
        }
    }
    cells
}

/// A footnote without a marked figure is marked after the label.
fn label_marker(marker: &Option<String>, marked: &[bool]) -> Option<String> {
    marker.clone().filter(|_| !marked.iter().any(|m| *m))
}

/// The alliantie table's column of the theme budgets; the rounds follow it.
const ALLIANCE_BUDGET_COLUMN: usize = 0;

/// The alliantie table: per theme its heading with budget and remaining, its notes and its
/// awards per round, then the `Totaal`; the monthly run adds the payments.
fn alliantie_table(report: &Report, alliantie: &AlliantieReport) -> ReportTable {
    let mut columns = alliantie_columns(alliantie);
    let mut rows = Vec::new();
    let mut theme_rows = Vec::new();
    let mut award_rows = Vec::new();
    for theme in &alliantie.themes {
        theme_rows.push(rows.len());
        award_rows.extend(push_alliantie_theme(
            &mut rows,
            theme,
            alliantie.rounds.len(),
        ));
    }
    let total = alliantie_total(alliantie, &theme_rows, &award_rows);
    rows.push(total);
    if alliantie.paid.is_some() {
        add_payments(report, alliantie, &mut columns, &mut rows);
    }
    set_column_cents(&mut columns, &rows);
    ReportTable {
        instrument: Instrument::Alliantieprojecten,
        title: Instrument::Alliantieprojecten.title(),
        label_header: label_header(report),
        columns,
        rows,
        footnotes: Vec::new(),
    }
}

/// The alliantie table's amount columns: the budget, one per round under `Toegekend`, and
/// the remaining budget (computed).
fn alliantie_columns(alliantie: &AlliantieReport) -> Vec<TableColumn> {
    let mut columns = vec![TableColumn {
        label: "Totaal budget".to_string(),
        group: None,
        cents: false,
        computed: false,
    }];
    for round in &alliantie.rounds {
        columns.push(TableColumn {
            label: round.label.clone(),
            group: Some("Toegekend".to_string()),
            cents: false,
            computed: false,
        });
    }
    columns.push(TableColumn {
        label: "Resterend budget".to_string(),
        group: None,
        cents: false,
        computed: true,
    });
    columns
}

/// A theme of the alliantie table: its heading with the theme's budget and remaining (the
/// budget minus its awards, as a formula), its notes and a row per award in its round's
/// column. Returns the award rows.
fn push_alliantie_theme(
    rows: &mut Vec<TableRow>,
    theme: &AlliantieThemeReport,
    n_rounds: usize,
) -> Vec<usize> {
    let width = n_rounds + 2;
    let remaining_col = n_rounds + 1;
    let heading_row = rows.len();
    let mut cells = empty_cells(width);
    cells[ALLIANCE_BUDGET_COLUMN].value = Some(theme.budget);
    rows.push(TableRow {
        kind: RowKind::ThemeHeading,
        code: None,
        label: theme.heading.clone(),
        remark: None,
        theme: theme.theme,
        cells,
    });
    for note in &theme.notes {
        rows.push(TableRow {
            kind: RowKind::Note,
            code: None,
            label: note.clone(),
            remark: None,
            theme: theme.theme,
            cells: empty_cells(width),
        });
    }
    let mut award_rows = Vec::new();
    for award in &theme.awards {
        let mut cells = empty_cells(width);
        cells[1 + award.round.min(n_rounds.saturating_sub(1))].value = Some(award.amount);
        award_rows.push(rows.len());
        rows.push(TableRow {
            kind: RowKind::Line,
            code: Some(award.code.clone()),
            label: award.project.clone(),
            remark: award.voorbehoud.as_ref().map(|v| format!("({v})")),
            theme: theme.theme,
            cells,
        });
    }
    if theme.awards.is_empty() {
        // a theme without awards shows zero in each round, as the werkplan does
        for r in 0..n_rounds {
            rows[heading_row].cells[1 + r].value = Some(Money::ZERO);
        }
    }
    let minus: Vec<CellRef> = award_rows
        .iter()
        .flat_map(|&row| (1..=n_rounds).map(move |column| CellRef { row, column }))
        .collect();
    rows[heading_row].cells[remaining_col] = TableCell {
        value: Some(theme.remaining),
        marker: None,
        derivation: Some(Derivation {
            plus: vec![CellRef {
                row: heading_row,
                column: ALLIANCE_BUDGET_COLUMN,
            }],
            minus,
        }),
    };
    award_rows
}

/// The alliantie table's `Totaal`: the budget and remaining as sums of the theme headings,
/// each round as the sum of the award rows.
fn alliantie_total(
    alliantie: &AlliantieReport,
    theme_rows: &[usize],
    award_rows: &[usize],
) -> TableRow {
    let n_rounds = alliantie.rounds.len();
    let remaining_col = n_rounds + 1;
    let sum = |value: Money, rows: &[usize], column: usize| TableCell {
        value: Some(value),
        marker: None,
        derivation: Some(Derivation {
            plus: refs(rows, column),
            minus: Vec::new(),
        }),
    };
    let mut cells = empty_cells(n_rounds + 2);
    cells[ALLIANCE_BUDGET_COLUMN] = sum(alliantie.budget, theme_rows, ALLIANCE_BUDGET_COLUMN);
    for (r, round) in alliantie.rounds.iter().enumerate() {
        cells[1 + r] = sum(round.total, award_rows, 1 + r);
    }
    cells[remaining_col] = sum(alliantie.remaining, theme_rows, remaining_col);
    TableRow {
        kind: RowKind::Total,
        code: None,
        label: "Totaal".to_string(),
        remark: None,
        theme: 0,
        cells,
    }
}

/// The monthly run's columns of the alliantie table: paid up to the peildatum and still to be
/// paid (awarded minus paid), per award, per theme (on its heading row) and in total.
fn add_payments(
    report: &Report,
    alliantie: &AlliantieReport,
    columns: &mut Vec<TableColumn>,
    rows: &mut [TableRow],
) {
    let n_rounds = alliantie.rounds.len();
    let paid_col = columns.len();
    let open_col = paid_col + 1;
    columns.push(TableColumn {
        label: format!("Uitgaven t/m {}", report.peildatum.to_dutch()),
        group: None,
        cents: false,
        computed: false,
    });
    columns.push(TableColumn {
        label: "Nog te betalen".to_string(),
        group: None,
        cents: false,
        computed: true,
    });
    let cell = |value: Money, derivation: Derivation| TableCell {
        value: Some(value),
        marker: None,
        derivation: Some(derivation),
    };
    let mut theme_rows = Vec::new();
    let mut themes = alliantie.themes.iter();
    let mut current: Option<(usize, &AlliantieThemeReport)> = None;
    let mut award_rows: Vec<usize> = Vec::new();
    let mut awards = [].iter();
    for r in 0..rows.len() {
        match rows[r].kind {
            RowKind::ThemeHeading => {
                finish_theme(rows, current, &award_rows, paid_col, open_col);
                current = themes.next().map(|t| (r, t));
                awards = current.map(|(_, t)| t.awards.iter()).unwrap_or([].iter());
                award_rows.clear();
                theme_rows.push(r);
                rows[r].cells.extend(empty_cells(2));
            }
            RowKind::Line => {
                let award = awards.next();
                let paid = award.and_then(|a| a.paid).unwrap_or_default();
                let amount = award.map(|a| a.amount).unwrap_or_default();
                let round = 1 + award.map_or(0, |a| a.round.min(n_rounds.saturating_sub(1)));
                rows[r].cells.push(TableCell {
                    value: Some(paid),
                    ..TableCell::default()
                });
                rows[r].cells.push(cell(
                    amount - paid,
                    Derivation {
                        plus: vec![CellRef {
                            row: r,
                            column: round,
                        }],
                        minus: vec![CellRef {
                            row: r,
                            column: paid_col,
                        }],
                    },
                ));
                award_rows.push(r);
            }
            RowKind::Total => {
                finish_theme(rows, current.take(), &award_rows, paid_col, open_col);
                let paid = alliantie.paid.unwrap_or_default();
                rows[r].cells.push(cell(
                    paid,
                    Derivation {
                        plus: refs(&theme_rows, paid_col),
                        minus: Vec::new(),
                    },
                ));
                rows[r].cells.push(cell(
                    alliantie.awarded - paid,
                    Derivation {
                        plus: refs(&theme_rows, open_col),
                        minus: Vec::new(),
                    },
                ));
            }
            _ => rows[r].cells.extend(empty_cells(2)),
        }
    }
}

/// A theme's heading row: the sums of its awards' payments and of what is still to be paid.
fn finish_theme(
    rows: &mut [TableRow],
    theme: Option<(usize, &AlliantieThemeReport)>,
    award_rows: &[usize],
    paid_col: usize,
    open_col: usize,
) {
    let Some((row, theme)) = theme else { return };
    let paid = theme.paid.unwrap_or_default();
    let Some(heading) = rows.get_mut(row) else {
        return;
    };
    heading.cells.truncate(paid_col);
    heading.cells.push(TableCell {
        value: Some(paid),
        marker: None,
        derivation: Some(Derivation {
            plus: refs(award_rows, paid_col),
            minus: Vec::new(),
        }),
    });
    heading.cells.push(TableCell {
        value: Some(theme.awarded - paid),
        marker: None,
        derivation: Some(Derivation {
            plus: refs(award_rows, open_col),
            minus: Vec::new(),
        }),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(label: &str, group: Option<&str>, cents: bool) -> TableColumn {
        TableColumn {
            label: label.to_string(),
            group: group.map(str::to_string),
            cents,
            computed: false,
        }
    }

    fn table(columns: Vec<TableColumn>, values: &[Option<i64>]) -> ReportTable {
        ReportTable {
            instrument: Instrument::Alliantieprojecten,
            title: "Alliantieprojecten".to_string(),
            label_header: "Uitgaven werkplan 2022".to_string(),
            columns,
            rows: vec![TableRow {
                kind: RowKind::Line,
                code: Some("a".to_string()),
                label: "Project".to_string(),
                remark: None,
                theme: 1,
                cells: values
                    .iter()
                    .map(|v| TableCell {
                        value: v.map(Money::from_cents),
                        ..TableCell::default()
                    })
                    .collect(),
            }],
            footnotes: Vec::new(),
        }
    }

    #[test]
    fn adjacent_columns_of_one_group_make_one_group() {
        let t = table(
            vec![
                column("Totaal budget", None, false),
                column("1e ronde", Some("Toegekend"), false),
                column("2e ronde", Some("Toegekend"), false),
                column("Resterend budget", None, false),
                column("Extra", Some("Toegekend"), false),
            ],
            &[None; 5],
        );
        let groups = t.column_groups();
        assert_eq!(
            groups,
            vec![
                ColumnGroup {
                    label: "Toegekend".to_string(),
                    first: 1,
                    last: 2
                },
                // not adjacent to the first run: a group of its own
                ColumnGroup {
                    label: "Toegekend".to_string(),
                    first: 4,
                    last: 4
                },
            ]
        );
        assert!(t.grouped());
    }

    #[test]
    fn amounts_follow_their_column_precision() {
        let t = table(
            vec![column("a", None, true), column("b", None, false)],
            &[Some(40_000_000), Some(72_981_100)],
        );
        assert_eq!(t.amount_text(0, 0).as_deref(), Some("€ 400.000,00"));
        assert_eq!(t.amount_text(0, 1).as_deref(), Some("€ 729.811"));
        assert_eq!(t.amount_text(0, 2), None);
    }

    #[test]
    fn nothing_is_separated_from_the_theme_heading_above_it() {
        let mut t = table(vec![column("a", None, false)], &[None]);
        let row = |kind| TableRow {
            kind,
            code: None,
            label: String::new(),
            remark: None,
            theme: 1,
            cells: Vec::new(),
        };
        t.rows = [
            RowKind::ThemeHeading,
            RowKind::Line,
            RowKind::Line,
            RowKind::ThemeHeading,
            RowKind::Note,
            RowKind::Line,
            RowKind::Part,
            RowKind::LineTotal,
            RowKind::Total,
        ]
        .into_iter()
        .map(row)
        .collect();
        let kept: Vec<bool> = (0..t.rows.len())
            .map(|r| t.row_style(r).keep_with_previous)
            .collect();
        assert_eq!(
            kept,
            [false, true, false, false, true, false, true, true, true]
        );
        // rows followed by a ruled row end without a hairline
        let ruled: Vec<bool> = (0..t.rows.len()).map(|r| t.ruled_below(r)).collect();
        assert_eq!(
            ruled,
            [false, false, false, false, false, false, true, true, false]
        );
    }

    #[test]
    fn a_column_shows_cents_when_any_figure_has_cents() {
        let whole = [Money::from_cents(100), Money::from_cents(200)];
        assert!(!column_cents(&whole));
        let mixed = [Money::from_cents(100), Money::from_cents(250)];
        assert!(column_cents(&mixed));
        assert!(!column_cents(&[]));
    }

    #[test]
    fn totals_are_bold_in_every_format() {
        for kind in [RowKind::ThemeHeading, RowKind::LineTotal, RowKind::Total] {
            assert!(kind.style().bold, "{kind:?}");
        }
        assert!(RowKind::Note.style().italic);
        assert!(!RowKind::Line.style().bold);
        assert!(RowKind::Part.style().keep_with_previous);
    }
}
