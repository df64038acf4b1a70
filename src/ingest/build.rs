//! From read sheets to the validated model: themes resolved, lines with their parts, stated
//! totals kept apart, every rule of INPUT.md checked. All errors are collected.

use std::collections::{BTreeSet, HashMap};

use crate::ingest::amount::{self, AmountError};
use crate::ingest::grid::RawCell;
use crate::ingest::header::{Field, normalize};
use crate::ingest::kind::SheetKind;
use crate::ingest::sheet::{Record, SheetTable};
use crate::model::{
    Alliantie, AlliantieBudget, Amount, Award, BudgetTable, Column, ColumnKind, Instrument, Ledger,
    Line, Money, Part, Place, Round, Section, SourceFile, Stated, StatedTarget, StatedTotal, Theme,
    ThemeNote, TotalScope, Werkplan,
};
use crate::model::{Finding, Severity};

/// The five budget sheets, read: one typed field per table of the model (see
/// [`crate::ingest::kind`] for why the tables stay typed).
pub struct BudgetSheets {
    /// `Thema's`.
    pub themas: SheetTable,
    /// `Reguliere middelen`.
    pub regulier: SheetTable,
    /// `Drenthe-brede projecten`.
    pub drenthe_breed: SheetTable,
    /// `Alliantiebudget`.
    pub alliantiebudget: SheetTable,
    /// `Alliantieprojecten`.
    pub alliantieprojecten: SheetTable,
}

impl BudgetSheets {
    /// The five budget tables, taken from the tables read by their kind; `None` when one
    /// is missing (the caller reports it as missing, or as unreadable).
    pub fn take(tables: &mut Vec<(SheetKind, SheetTable)>) -> Option<BudgetSheets> {
        let mut take = |kind| {
            tables
                .iter()
                .position(|(k, _)| *k == kind)
                .map(|i| tables.swap_remove(i).1)
        };
        let themas = take(SheetKind::Themas);
        let regulier = take(SheetKind::ReguliereMiddelen);
        let drenthe_breed = take(SheetKind::DrentheBredeProjecten);
        let alliantiebudget = take(SheetKind::Alliantiebudget);
        let alliantieprojecten = take(SheetKind::Alliantieprojecten);
        Some(BudgetSheets {
            themas: themas?,
            regulier: regulier?,
            drenthe_breed: drenthe_breed?,
            alliantiebudget: alliantiebudget?,
            alliantieprojecten: alliantieprojecten?,
        })
    }
}

/// Collects input errors and warnings.
#[derive(Default)]
pub struct InputFindings {
    /// Everything found, in reading order.
    pub findings: Vec<Finding>,
}

impl InputFindings {
    /// Records an input error (severity `fout`).
    pub fn error(&mut self, place: Place, message: impl Into<String>) {
        self.findings.push(Finding::input_error(place, message));
    }

    /// Records a warning about the input (severity `waarschuwing`).
    pub fn warning(&mut self, place: Place, message: impl Into<String>) {
        let finding = Finding::warning(place, message);
        self.findings.push(finding);
    }

    /// Whether any error (severity `fout`) was found.
    pub fn has_errors(&self) -> bool {
        Finding::with_severity(&self.findings, Severity::Fout)
            .next()
            .is_some()
    }
}

/// Builds the model. Returns the werkplan, or `None` when errors were found (they are in
/// `problems`, with any warnings).
pub fn werkplan(
    sheets: &BudgetSheets,
    sources: Vec<SourceFile>,
    problems: &mut InputFindings,
) -> Option<Werkplan> {
    let themes = themes(&sheets.themas, problems);
    let resolver = ThemeResolver::new(&themes);
    // a table is never silently empty
    for sheet in [
        &sheets.regulier,
        &sheets.drenthe_breed,
        &sheets.alliantiebudget,
    ] {
        if sheet.records.is_empty() {
            problems.error(sheet.grid.place(), "het blad heeft onder de kopregel geen enkele regel; verwacht de regels van de tabel");
        }
    }
    if sheets.alliantieprojecten.records.is_empty() {
        problems.warning(sheets.alliantieprojecten.grid.place(), "het blad heeft onder de kopregel geen enkele regel: er zijn geen alliantieprojecten toegekend");
    }
    let regulier = budget_table(
        Instrument::ReguliereMiddelen,
        &sheets.regulier,
        &resolver,
        problems,
    );
    let drenthe_breed = budget_table(
        Instrument::DrentheBredeProjecten,
        &sheets.drenthe_breed,
        &resolver,
        problems,
    );
    let alliantie = alliantie(
        &sheets.alliantiebudget,
        &sheets.alliantieprojecten,
        &resolver,
        problems,
    );
    for (place, message) in year_order(&regulier.columns)
        .into_iter()
        .chain(year_order(&drenthe_breed.columns))
    {
        problems.error(place, message);
    }
    let year = werkplan_year(&regulier, &drenthe_breed);
    if let Some(year) = year
        && !problems.has_errors()
    {
        for (place, message) in year_across_sheets(&regulier.columns, year)
            .into_iter()
            .chain(year_across_sheets(&drenthe_breed.columns, year))
        {
            problems.error(place, message);
        }
    }
    if year.is_none() {
        problems.error(sheets.regulier.grid.place(), "het jaar van het werkplan is niet te bepalen: geen kolom ‘Budget JJJJ’ of ‘Uitgaven JJJJ’");
    }
    if problems.has_errors() {
        return None;
    }
    Some(Werkplan {
        year: year?,
        themes,
        regulier,
        drenthe_breed,
        alliantie,
        sources,
        ledger: Ledger::default(),
    })
}

/// A line's letter as people type it: `a`, `a.`, `a)`, `(a)` are all `a`.
pub(crate) fn clean_code(code: String) -> Option<String> {
    let cleaned =
        code.trim_matches(|c: char| matches!(c, '(' | ')' | '.' | ':') || c.is_whitespace());
    (!cleaned.is_empty()).then(|| cleaned.to_string())
}

/// The row number of a place's cell: `C6` -> `6`.
fn row_of(place: &Place) -> &str {
    place
        .cell
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
}

/// The error for a code used twice in one theme (a line or an award), at its second cell
/// `here`, naming the first.
fn code_twice(here: Place, earlier: &Place, code: &str, theme: u32, problems: &mut InputFindings) {
    let first = same_column(&here, earlier);
    problems.error(
        here,
        format!("code ‘{code}’ komt in thema {theme} twee keer voor (ook in {first}); een code is uniek per thema"),
    );
}

/// The cell in `column_of`'s column and `row_of`'s row: the code cell of an earlier row.
fn same_column(column_of: &Place, row_of_place: &Place) -> String {
    let letters: String = column_of
        .cell
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    format!("{letters}{}", row_of(row_of_place))
}

/// The werkplan's year: the first budget year; else the year after the last spending year.
fn werkplan_year(regulier: &BudgetTable, drenthe_breed: &BudgetTable) -> Option<i32> {
    let columns = || regulier.columns.iter().chain(&drenthe_breed.columns);
    let first_budget = columns().filter_map(|c| c.kind.budget_year()).min();
    let last_spending = columns().filter_map(|c| c.kind.spending_year()).max();
    first_budget.or(last_spending.map(|y| y + 1))
}

/// The year columns of one table must tell one story: the spending years follow each other
/// in sheet order, so do the budget years, and the budget years come after the spending
/// years (the current year may have both: its budget and its spending so far), without a
/// gap. A typo (`Budget 2019` among 2020, 2021 and 2023) would otherwise silently make
/// another year's report. Each problem names the header cell that breaks the order.
fn year_order(columns: &[Column]) -> Vec<(Place, String)> {
    let spending: Vec<(i32, &Column)> = columns
        .iter()
        .filter_map(|c| c.kind.spending_year().map(|y| (y, c)))
        .collect();
    let budget: Vec<(i32, &Column)> = columns
        .iter()
        .filter_map(|c| c.kind.budget_year().map(|y| (y, c)))
        .collect();
    let mut problems = Vec::new();
    let cell = |c: &Column| c.place.cell.clone();
    if let Some((last_spent, last_column)) = spending.iter().max_by_key(|(y, _)| *y) {
        for (year, column) in &budget {
            if year < last_spent {
                problems.push((
                    column.place.clone(),
                    format!(
                        "de kolom ‘{}’ ligt vóór de uitgavenjaren (‘{}’ in {}); een budgetjaar komt na de jaren met uitgaven. Is het jaartal een tikfout?",
                        column.label, last_column.label, cell(last_column)
                    ),
                ));
            }
        }
    }
    if !problems.is_empty() {
        return problems;
    }
    for list in [&spending, &budget] {
        for pair in list.windows(2) {
            let [(before, first), (year, column)] = pair else {
                continue;
            };
            if *year != before + 1 {
                let why = if year <= before {
                    "staat niet in volgorde"
                } else {
                    "sluit niet aan (een jaar ontbreekt)"
                };
                problems.push((
                    column.place.clone(),
                    format!(
                        "de kolom ‘{}’ {why} na ‘{}’ in {}; verwacht ‘{}’: de jaren van de kolommen volgen op elkaar, van links naar rechts. Is een jaartal een tikfout?",
                        column.label,
                        first.label,
                        cell(first),
                        year_label(&column.kind, before + 1)
                    ),
                ));
            }
        }
    }
    if let (Some((last_spent, last_column)), Some((first_budget, first_column))) = (
        spending.iter().max_by_key(|(y, _)| *y),
        budget.iter().min_by_key(|(y, _)| *y),
    ) && *first_budget > last_spent + 1
    {
        problems.push((
            first_column.place.clone(),
            format!(
                "de kolom ‘{}’ sluit niet aan op ‘{}’ in {}: het jaar {} ontbreekt. Is een jaartal een tikfout?",
                first_column.label,
                last_column.label,
                cell(last_column),
                last_spent + 1
            ),
        ));
    }
    problems
}

/// A year column's label for another year: `Budget 2023` for `Budget 2022`'s kind.
fn year_label(kind: &ColumnKind, year: i32) -> String {
    match kind {
        ColumnKind::Uitgaven(_) => format!("Uitgaven {year}"),
        _ => format!("Budget {year}"),
    }
}

/// Whether one table's years agree with the werkplan's year (from both tables): no
/// spending after it, and a table with spending only reaches the year before it.
fn year_across_sheets(columns: &[Column], year: i32) -> Vec<(Place, String)> {
    let last_spending = columns
        .iter()
        .filter_map(|c| c.kind.spending_year().map(|y| (y, c)))
        .max_by_key(|(y, _)| *y);
    let has_budget = columns.iter().any(|c| c.kind.budget_year().is_some());
    match last_spending {
        Some((last, column)) if last > year => vec![(
            column.place.clone(),
            format!(
                "de kolom ‘{}’ ligt na het jaar van het werkplan ({year}, het eerste budgetjaar); is het jaartal een tikfout?",
                column.label
            ),
        )],
        Some((last, column)) if !has_budget && last < year - 1 => vec![(
            column.place.clone(),
            format!(
                "de laatste uitgavenkolom ‘{}’ sluit niet aan op het werkplan {year}: verwacht ook ‘Uitgaven {}’. Is een jaartal een tikfout?",
                column.label,
                year - 1
            ),
        )],
        _ => Vec::new(),
    }
}

/// A whole number from a cell (a theme number, a round number).
fn whole_number(cell: &RawCell) -> Option<u32> {
    match cell {
        RawCell::Int(i) => u32::try_from(*i).ok(),
        RawCell::Float(f) if f.fract() == 0.0 && (0.0..1e6).contains(f) => Some(*f as u32),
        RawCell::Text(t) => t.trim().trim_end_matches('.').parse().ok(),
        _ => None,
    }
}

fn themes(sheet: &SheetTable, problems: &mut InputFindings) -> Vec<Theme> {
    let mut themes: Vec<Theme> = Vec::new();
    let mut numbers: HashMap<u32, usize> = HashMap::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    for record in &sheet.records {
        let nr_cell = sheet.cell(record, &Field::Nr);
        let place = sheet.place(record, &Field::Nr);
        let Some(number) = whole_number(nr_cell) else {
            problems.error(
                place,
                format!(
                    "{} is geen themanummer; verwacht 0 (Algemeen), 1, 2, ...",
                    nr_cell.describe()
                ),
            );
            continue;
        };
        let Some(name) = sheet.text(record, &Field::Thema) else {
            problems.error(
                sheet.place(record, &Field::Thema),
                format!("thema {number} heeft geen naam"),
            );
            continue;
        };
        if let Some(earlier) = numbers.get(&number).and_then(|&i| themes.get(i)) {
            problems.error(
                place,
                format!(
                    "themanummer {number} komt twee keer voor (ook in rij {})",
                    row_of(&earlier.place)
                ),
            );
            continue;
        }
        if let Some(earlier) = names.get(&normalize(&name)).and_then(|&i| themes.get(i)) {
            problems.error(
                sheet.place(record, &Field::Thema),
                format!(
                    "de themanaam ‘{name}’ komt twee keer voor (ook in rij {})",
                    row_of(&earlier.place)
                ),
            );
            continue;
        }
        numbers.insert(number, themes.len());
        names.insert(normalize(&name), themes.len());
        themes.push(Theme {
            number,
            name,
            place: sheet.place(record, &Field::Thema),
        });
    }
    if themes.is_empty() && !problems.has_errors() {
        problems.error(sheet.grid.place(), "het blad bevat geen thema's");
    }
    themes.sort_by_key(|t| t.number);
    themes
}

pub(crate) struct ThemeResolver<'a> {
    themes: &'a [Theme],
    by_number: HashMap<u32, &'a Theme>,
    by_name: HashMap<String, u32>,
}

impl<'a> ThemeResolver<'a> {
    pub(crate) fn new(themes: &'a [Theme]) -> ThemeResolver<'a> {
        ThemeResolver {
            themes,
            by_number: themes.iter().map(|t| (t.number, t)).collect(),
            by_name: themes
                .iter()
                .map(|t| (normalize(&t.name), t.number))
                .collect(),
        }
    }

    /// Resolves a theme reference: a number (`4`), a name (`Gezondheid en vitaliteit`) or
    /// both (`4 Gezondheid en vitaliteit`).
    pub(crate) fn resolve(&self, cell: &RawCell) -> Result<u32, String> {
        let known = || {
            let mut list: Vec<String> = self
                .themes
                .iter()
                .take(12)
                .map(|t| format!("{} {}", t.number, t.name))
                .collect();
            if self.themes.len() > 12 {
                list.push(format!("en nog {}", self.themes.len() - 12));
            }
            list.join(", ")
        };
        let unknown = || {
            format!(
                "{} verwijst naar geen bekend thema; bekend zijn: {}",
                cell.describe(),
                known()
            )
        };
        if let Some(n) = match cell {
            RawCell::Int(_) | RawCell::Float(_) => Some(whole_number(cell).ok_or_else(unknown)?),
            _ => None,
        } {
            return self.by_number(n).ok_or_else(unknown);
        }
        let Some(text) = cell.text() else {
            return Err(unknown());
        };
        let lowered = normalize(&text);
        let rest = lowered.strip_prefix("thema ").unwrap_or(&lowered);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            return self.by_name.get(&lowered).copied().ok_or_else(unknown);
        }
        let number: u32 = digits.parse().map_err(|_| unknown())?;
        let theme = *self.by_number.get(&number).ok_or_else(unknown)?;
        let name = rest[digits.len()..]
            .trim_start_matches(['.', ')', ':', ' ', '-'])
            .trim();
        // the name may be shortened (`Thema 1: Leefbaarheid`), not another theme's
        let full = normalize(&theme.name);
        if !name.is_empty() && name != full && !(name.len() >= 4 && full.starts_with(name)) {
            return Err(format!(
                "‘{}’: thema {number} heet ‘{}’; nummer en naam spreken elkaar tegen",
                text, theme.name
            ));
        }
        Ok(number)
    }

    fn by_number(&self, number: u32) -> Option<u32> {
        self.by_number.contains_key(&number).then_some(number)
    }
}

/// Reads an amount cell; blank is zero. Errors name what was found.
fn read_amount(cell: &RawCell, place: Place, problems: &mut InputFindings) -> Option<Amount> {
    let result: Result<(Money, bool), String> = match cell {
        RawCell::Empty => Ok((Money::ZERO, false)),
        RawCell::Text(t) => amount::parse_text(t)
            .map(|p| (p.value, p.footnote_marker))
            .map_err(|e| e.to_string()),
        RawCell::Float(f) => amount::from_float(*f)
            .map(|m| (m, false))
            .map_err(|e| e.to_string()),
        RawCell::Int(i) => amount::from_int(*i)
            .map(|m| (m, false))
            .map_err(|e: AmountError| e.to_string()),
        RawCell::Bool(_) | RawCell::Date(_) => Err(format!(
            "{} staat in een bedragkolom; verwacht een bedrag",
            cell.describe()
        )),
        RawCell::Percent(_) => Err(format!(
            "{} staat in een bedragkolom (de cel is opgemaakt als percentage); verwacht een bedrag: geef de cel de opmaak getal of valuta en controleer het bedrag",
            cell.describe()
        )),
        RawCell::Error(e) => Err(format!(
            "de cel bevat de foutwaarde {e}; verwacht een bedrag (herstel de formule of typ het bedrag)"
        )),
        RawCell::FormulaWithoutValue(f) => Err(format!(
            "de formule ={f} heeft geen berekende waarde (het bestand is niet door een rekenprogramma opgeslagen); open en bewaar het in Excel of LibreOffice, of typ het bedrag"
        )),
    };
    match result {
        Ok((value, footnote_marker)) => Some(Amount {
            value,
            place,
            footnote_marker,
        }),
        Err(message) => {
            problems.error(place, message);
            None
        }
    }
}

/// Whether a description marks a `Totaal` row (also `Subtotaal`, `Totalen`).
fn is_total(description: &str) -> bool {
    total_subject(description).is_some()
}

/// What a `Totaal` row names after the word: `Totaal Wonen` -> `Wonen`, `Totaal` -> ``;
/// `None` when the description is not a total.
fn total_subject(description: &str) -> Option<String> {
    let d = normalize(description);
    let rest = ["subtotaal", "totalen", "totaal"]
        .iter()
        .find_map(|w| d.strip_prefix(w))?;
    if !(rest.is_empty() || rest.starts_with([' ', ':', '-'])) {
        return None; // `Totaalbudget project` is a line, not a total
    }
    let rest = rest.trim_start_matches([' ', ':', '-']).trim();
    let rest = rest.strip_prefix("thema ").unwrap_or(rest);
    Some(if matches!(rest, "generaal" | "alle themas" | "werkplan") {
        String::new()
    } else {
        rest.to_string()
    })
}

/// The error for a table sheet whose rows are only totals or notes: a table is never
/// silently empty.
const ONLY_TOTALS: &str = "het blad heeft onder de kopregel geen enkele regel van de tabel, alleen een Totaal-regel of toelichting; verwacht de regels van de tabel (met een code)";

/// The error for a `Totaal` row that carries a code: it is neither a line nor a total.
fn total_with_code(description: &str, code: &str) -> String {
    format!(
        "de regel ‘{description}’ is een totaalregel maar heeft de code ‘{code}’; een Totaal-regel is nooit een regel van de tabel en heeft geen code (maak de cel leeg, of geef de regel een andere omschrijving)"
    )
}

/// The theme a `Totaal <theme>` row names, if its words resolve to one.
fn total_theme(description: &str, themes: &ThemeResolver) -> Option<u32> {
    let subject = total_subject(description)?;
    (!subject.is_empty())
        .then(|| themes.resolve(&RawCell::Text(subject.into())).ok())
        .flatten()
}

/// The printed header of an amount column: year columns and the total budget in one
/// spelling (`Realisatie ’21` is printed `Uitgaven 2021`); other headers as written.
fn column_label(kind: &ColumnKind, written: &str) -> String {
    match kind {
        ColumnKind::Uitgaven(year) => format!("Uitgaven {year}"),
        ColumnKind::Budget(year) => format!("Budget {year}"),
        ColumnKind::TotaalBudget => "Totaal budget".to_string(),
        ColumnKind::Verplicht => written.to_string(),
    }
}

/// Reads a budget table (`Reguliere middelen`, `Drenthe-brede projecten`): each row is
/// classified and handled by [`BudgetRows::row`], then the named post-passes run (parts to
/// their lines, parent amounts as stated totals, footnotes, sections by theme).
fn budget_table(
    instrument: Instrument,
    sheet: &SheetTable,
    themes: &ThemeResolver,
    problems: &mut InputFindings,
) -> BudgetTable {
    let mut rows = BudgetRows::new(sheet, themes);
    for record in &sheet.records {
        rows.row(record, problems);
    }
    if !sheet.records.is_empty() && !rows.a_line_row {
        problems.error(sheet.grid.place(), ONLY_TOTALS);
    }
    rows.attach_parts(problems);
    rows.parent_amounts_stated();
    rows.settle_footnotes(problems);
    let remaining_label = sheet
        .column(&Field::Resterend)
        .and_then(|i| sheet.columns.get(i))
        .map(|c| c.label.clone());
    let sections = sections(rows.lines, rows.notes);
    BudgetTable {
        instrument,
        place: sheet.grid.place(),
        columns: rows.amount_columns.into_iter().map(|(_, c)| c).collect(),
        remaining_label,
        sections,
        stated_totals: rows.stated_totals,
    }
}

/// The problem was recorded in [`InputFindings`]; the row it concerns is skipped.
struct Reported;

/// The theme a row's theme cell names: `None` when the cell is blank (the row belongs to
/// the theme above it). A cell that names no known theme is reported.
fn row_theme(
    sheet: &SheetTable,
    record: &Record,
    themes: &ThemeResolver,
    problems: &mut InputFindings,
) -> Result<Option<u32>, Reported> {
    let cell = sheet.cell(record, &Field::Thema);
    if cell.is_blank() {
        return Ok(None);
    }
    match themes.resolve(cell) {
        Ok(theme) => Ok(Some(theme)),
        Err(message) => {
            problems.error(sheet.place(record, &Field::Thema), message);
            Err(Reported)
        }
    }
}

/// A budget table being read row by row: what the rows so far have given.
struct BudgetRows<'a, 't> {
    /// The sheet read.
    sheet: &'a SheetTable,
    /// The themes of the `Thema's` sheet.
    themes: &'a ThemeResolver<'t>,
    /// The amount columns: index into the sheet's columns, and the model's column.
    amount_columns: Vec<(usize, Column)>,
    /// The theme of the rows below the last theme cell.
    current_theme: Option<u32>,
    /// The lines, with their theme, in sheet order.
    lines: Vec<(u32, Line)>,
    /// (theme, code) -> index into `lines`.
    line_index: HashMap<(u32, String), usize>,
    /// Per line: which amount cells were filled.
    typed_cells: Vec<Vec<bool>>,
    /// The notes (text rows without amounts), with their theme.
    notes: Vec<(u32, String)>,
    /// The parts: theme, the parent's code, the part, the `Onderdeel van` cell.
    parts: Vec<(u32, String, Part, Place)>,
    /// The `Totaal` rows.
    stated_totals: Vec<StatedTotal>,
    /// Footnote texts typed as rows (`* Indien ...`), in order.
    footnote_rows: Vec<String>,
    /// Whether the rows are below the sheet's total (source or signature lines).
    after_sheet_total: bool,
    /// Whether a row with a code was seen: the table is more than a total.
    a_line_row: bool,
    /// Notes below the sheet's total, kept in case lines follow after all.
    pending_notes: Vec<(u32, String)>,
}

/// The cells of one budget-table row that decide what the row is.
struct BudgetRow<'r> {
    /// The row.
    record: &'r Record,
    /// The `Thema` cell.
    theme_cell: &'r RawCell,
    /// The line's letter, cleaned.
    code: Option<String>,
    /// The `Omschrijving`.
    description: Option<String>,
    /// The code in `Onderdeel van`, cleaned.
    parent: Option<String>,
    /// Whether any amount cell is filled.
    has_amounts: bool,
    /// The `Omschrijving` cell: where messages about the row point.
    place: Place,
}

impl<'a, 't> BudgetRows<'a, 't> {
    /// Nothing read yet.
    fn new(sheet: &'a SheetTable, themes: &'a ThemeResolver<'t>) -> Self {
        let amount_columns = sheet
            .amount_columns()
            .map(|(i, c, kind)| {
                let label = column_label(kind, &c.label);
                let place = c.place.clone();
                (
                    i,
                    Column {
                        kind: kind.clone(),
                        label,
                        place,
                    },
                )
            })
            .collect();
        BudgetRows {
            sheet,
            themes,
            amount_columns,
            current_theme: None,
            lines: Vec::new(),
            line_index: HashMap::new(),
            typed_cells: Vec::new(),
            notes: Vec::new(),
            parts: Vec::new(),
            stated_totals: Vec::new(),
            footnote_rows: Vec::new(),
            after_sheet_total: false,
            a_line_row: false,
            pending_notes: Vec::new(),
        }
    }

    /// Classifies one row and handles it: a footnote, a trailer below the total, a
    /// `Totaal` row, a part, a line, a note or a heading.
    fn row(&mut self, record: &'a Record, problems: &mut InputFindings) {
        let sheet = self.sheet;
        let code = sheet.text(record, &Field::Code).and_then(clean_code);
        let description = sheet.text(record, &Field::Omschrijving);
        let parent = sheet
            .text(record, &Field::OnderdeelVan)
            .and_then(clean_code);
        let theme_cell = sheet.cell(record, &Field::Thema);
        // a footnote typed in the first column: `* Indien het geraamd budget ...`
        if let Some(text) = theme_cell.text().filter(|t| t.starts_with('*'))
            && code.is_none()
            && description.is_none()
        {
            self.footnote_rows.push(footnote_text(&text));
            return;
        }
        let has_amounts = self
            .amount_columns
            .iter()
            .any(|(i, _)| !record.cells[*i].is_blank());
        let row = BudgetRow {
            record,
            theme_cell,
            code,
            description,
            parent,
            has_amounts,
            place: sheet.place(record, &Field::Omschrijving),
        };
        if self.after_sheet_total && row.code.is_none() && row.parent.is_none() && !has_amounts {
            self.trailer(&row);
            return;
        }
        let Ok(row_theme) = row_theme(sheet, record, self.themes, problems) else {
            return;
        };
        let is_total_row = row.description.as_deref().is_some_and(is_total);
        if is_total_row && let Some(code) = &row.code {
            // a `Totaal` row is never a line: counted as one it would double every total
            problems.error(
                sheet.place(record, &Field::Code),
                total_with_code(row.description.as_deref().unwrap_or_default(), code),
            );
            return;
        }
        if is_total_row {
            self.total_row(&row, row_theme, problems);
            return;
        }
        if row_theme.is_some() {
            self.current_theme = row_theme;
        }
        match (&row.code, &row.parent) {
            (Some(code), Some(_)) => problems.error(
                sheet.place(record, &Field::Code),
                format!("de regel heeft een eigen code ‘{code}’ én is onderdeel van een andere regel; een onderdeel heeft geen code"),
            ),
            (None, Some(_)) => self.part_row(row, problems),
            (Some(_), None) => self.line_row(row, problems),
            (None, None) => self.loose_row(row, problems),
        }
    }

    /// A row below the sheet's total: a source or signature line, whatever column it is in;
    /// kept aside in case lines follow after all (a total typed at the top).
    fn trailer(&mut self, row: &BudgetRow) {
        match row.description.as_ref() {
            Some(text) if text.starts_with('*') => self.footnote_rows.push(footnote_text(text)),
            Some(text) => {
                let theme = row
                    .theme_cell
                    .text()
                    .and_then(|_| self.themes.resolve(row.theme_cell).ok())
                    .or(self.current_theme);
                if let Some(theme) = theme {
                    self.pending_notes.push((theme, text.clone()));
                }
            }
            None => {}
        }
    }

    /// A `Totaal` row: its stated amounts, for the theme, line or sheet it totals.
    fn total_row(&mut self, row: &BudgetRow, row_theme: Option<u32>, problems: &mut InputFindings) {
        let scope = match (&row.parent, row_theme.or(self.current_theme)) {
            (Some(p), Some(theme)) => TotalScope::Line {
                theme,
                code: p.clone(),
            },
            (Some(_), None) => {
                problems.error(
                    row.place.clone(),
                    "een Totaal-regel van een onderdeel zonder thema",
                );
                return;
            }
            (None, _) => match row_theme.or_else(|| {
                row.description
                    .as_deref()
                    .and_then(|d| total_theme(d, self.themes))
            }) {
                Some(theme) => TotalScope::Theme { theme },
                None => TotalScope::Sheet,
            },
        };
        self.after_sheet_total |= scope == TotalScope::Sheet;
        let mut values = Vec::new();
        for (n, (i, _)) in self.amount_columns.iter().enumerate() {
            let cell = &row.record.cells[*i];
            if cell.is_blank() {
                continue;
            }
            let place = self.cell_place(row.record, *i);
            if let Some(amount) = read_amount(cell, place, problems) {
                unprinted_marker(
                    &amount,
                    problems,
                    "een vermeld totaal wordt niet afgedrukt maar berekend; zet de voetnoot bij een regel",
                );
                values.push(Stated {
                    target: StatedTarget::Column(n),
                    amount,
                });
            }
        }
        values.extend(self.stated_remaining(row.record, problems));
        self.stated_totals.push(StatedTotal {
            scope,
            values,
            place: row.place.clone(),
        });
    }

    /// A part (`Onderdeel van` filled, no code): kept until every line is read.
    fn part_row(&mut self, row: BudgetRow, problems: &mut InputFindings) {
        let (sheet, record) = (self.sheet, row.record);
        let Some(parent) = row.parent else { return };
        let Some(description) = row.description else {
            problems.error(
                row.place,
                format!("een onderdeel van ‘{parent}’ zonder omschrijving"),
            );
            return;
        };
        let Some(theme) = self.current_theme else {
            problems.error(
                sheet.place(record, &Field::Thema),
                "een onderdeel zonder thema",
            );
            return;
        };
        if let Some(amounts) = self.read_amounts(record, problems) {
            let stated = self
                .stated_remaining(record, problems)
                .into_iter()
                .collect();
            let footnote = sheet.text(record, &Field::Voetnoot);
            let part = Part {
                description,
                amounts,
                stated,
                footnote,
                place: row.place,
            };
            let parent_place = sheet.place(record, &Field::OnderdeelVan);
            self.parts.push((theme, parent, part, parent_place));
        }
    }

    /// A line (a code, no `Onderdeel van`): unique per theme.
    fn line_row(&mut self, row: BudgetRow, problems: &mut InputFindings) {
        let (sheet, record) = (self.sheet, row.record);
        let Some(code) = row.code else { return };
        self.a_line_row = true;
        let Some(description) = row.description else {
            problems.error(row.place, format!("regel ‘{code}’ heeft geen omschrijving"));
            return;
        };
        let Some(theme) = self.current_theme else {
            problems.error(
                sheet.place(record, &Field::Thema),
                format!("regel ‘{code}’ heeft geen thema"),
            );
            return;
        };
        let key = (theme, normalize(&code));
        if let Some((_, earlier)) = self.line_index.get(&key).and_then(|&i| self.lines.get(i)) {
            code_twice(
                sheet.place(record, &Field::Code),
                &earlier.place,
                &code,
                theme,
                problems,
            );
            return;
        }
        let Some(amounts) = self.read_amounts(record, problems) else {
            return;
        };
        let stated: Vec<Stated> = self
            .stated_remaining(record, problems)
            .into_iter()
            .collect();
        let footnote = sheet.text(record, &Field::Voetnoot);
        let typed = self
            .amount_columns
            .iter()
            .map(|(i, _)| !record.cells[*i].is_blank())
            .collect();
        self.typed_cells.push(typed);
        // a line after the total: the total was not the last row, the text was notes
        self.notes.append(&mut self.pending_notes);
        self.after_sheet_total = false;
        self.line_index.insert(key, self.lines.len());
        let line = Line {
            code,
            description,
            amounts,
            parts: Vec::new(),
            stated,
            footnote,
            place: row.place,
        };
        self.lines.push((theme, line));
    }

    /// A row with neither code nor `Onderdeel van`: a footnote or note text, or a heading;
    /// amounts on it are an error.
    fn loose_row(&mut self, row: BudgetRow, problems: &mut InputFindings) {
        match (row.description, row.has_amounts) {
            (Some(text), false) if text.starts_with('*') => {
                self.footnote_rows.push(footnote_text(&text));
            }
            (Some(text), false) => match self.current_theme {
                Some(theme) => self.notes.push((theme, text)),
                None => problems.error(
                    row.place,
                    format!("de tekst ‘{text}’ staat bij geen thema"),
                ),
            },
            (Some(text), true) => problems.error(
                self.sheet.place(row.record, &Field::Code),
                format!("de regel ‘{text}’ heeft bedragen maar geen code; verwacht een letter (a, b, ...), of ‘Totaal’ als omschrijving"),
            ),
            (None, true) => problems.error(row.place, "bedragen zonder omschrijving en zonder code"),
            (None, false) => {} // a theme heading row, or a row with only ignored columns
        }
    }

    /// The place of a record's cell in the `i`th found column.
    fn cell_place(&self, record: &Record, i: usize) -> Place {
        self.sheet
            .grid
            .cell_place(record.row, self.sheet.columns[i].index)
    }

    /// A row's amounts, one per amount column; `None` when one could not be read (reported).
    fn read_amounts(&self, record: &Record, problems: &mut InputFindings) -> Option<Vec<Amount>> {
        let mut out = Vec::new();
        let mut ok = true;
        for (i, _) in &self.amount_columns {
            let place = self.cell_place(record, *i);
            match read_amount(&record.cells[*i], place, problems) {
                Some(a) => out.push(a),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// A row's stated remaining amount (`Nog te besteden`), when filled.
    fn stated_remaining(&self, record: &Record, problems: &mut InputFindings) -> Option<Stated> {
        let cell = self.sheet.cell(record, &Field::Resterend);
        if cell.is_blank() {
            return None;
        }
        let place = self.sheet.place(record, &Field::Resterend);
        let amount = read_amount(cell, place, problems)?;
        Some(Stated {
            target: StatedTarget::Remaining,
            amount,
        })
    }

    /// Post-pass: the parts to their lines, by theme and the parent's code.
    fn attach_parts(&mut self, problems: &mut InputFindings) {
        for (theme, parent, part, parent_place) in std::mem::take(&mut self.parts) {
            let index = self.line_index.get(&(theme, normalize(&parent)));
            match index.and_then(|&i| self.lines.get_mut(i)) {
                Some((_, line)) => line.parts.push(part),
                None => problems.error(parent_place, format!("‘Onderdeel van’ noemt regel ‘{parent}’, maar thema {theme} heeft geen regel met die code")),
            }
        }
    }

    /// Post-pass: amounts typed on a parent row are stated totals of its parts; the line's
    /// own amounts become zero (its parts carry them).
    fn parent_amounts_stated(&mut self) {
        for ((_, line), typed) in self.lines.iter_mut().zip(&self.typed_cells) {
            if line.parts.is_empty() {
                continue;
            }
            for (n, amount) in line.amounts.iter_mut().enumerate() {
                if typed.get(n).copied().unwrap_or(false) {
                    line.stated.push(Stated {
                        target: StatedTarget::Column(n),
                        amount: amount.clone(),
                    });
                }
                amount.value = Money::ZERO;
            }
        }
    }

    /// Post-pass: a marked line or part without its own footnote text takes the footnote
    /// rows in order; a marker without text, and a text without marker, are warned about.
    fn settle_footnotes(&mut self, problems: &mut InputFindings) {
        let mut unclaimed = std::mem::take(&mut self.footnote_rows).into_iter();
        for (_, line) in &mut self.lines {
            claim_footnote(&line.amounts, &mut line.footnote, &mut unclaimed, problems);
            for part in &mut line.parts {
                claim_footnote(&part.amounts, &mut part.footnote, &mut unclaimed, problems);
            }
        }
        let unused: Vec<String> = unclaimed.collect();
        if !unused.is_empty() {
            problems.warning(
                self.sheet.grid.place(),
                format!(
                    "{} voetnoottekst(en) zonder bedrag met * erbij; niet afgedrukt: ‘{}’",
                    unused.len(),
                    unused.join("’, ‘")
                ),
            );
        }
    }
}

/// A footnote row's text without its `*`.
fn footnote_text(text: &str) -> String {
    text.trim_start_matches('*').trim().to_string()
}

/// Gives a line or part whose amounts carry a `*` and that has no footnote text of its own
/// the next unclaimed footnote row; warns when there is none.
fn claim_footnote(
    amounts: &[Amount],
    footnote: &mut Option<String>,
    unclaimed: &mut impl Iterator<Item = String>,
    problems: &mut InputFindings,
) {
    let Some(marked) = amounts.iter().find(|a| a.footnote_marker) else {
        return;
    };
    if footnote.is_none() {
        *footnote = unclaimed.next();
    }
    if footnote.is_none() {
        problems.warning(
            marked.place.clone(),
            "het bedrag is gemarkeerd met * maar er is geen voetnoottekst (kolom ‘Voetnoot’ of een regel die met * begint)",
        );
    }
}

/// The lines and notes in one section per theme, in theme order.
fn sections(lines: Vec<(u32, Line)>, notes: Vec<(u32, String)>) -> Vec<Section> {
    let mut theme_order: BTreeSet<u32> = lines.iter().map(|(t, _)| *t).collect();
    theme_order.extend(notes.iter().map(|(t, _)| *t));
    let mut by_theme: HashMap<u32, Section> = theme_order
        .iter()
        .map(|&theme| {
            let section = Section {
                theme,
                lines: Vec::new(),
                notes: Vec::new(),
            };
            (theme, section)
        })
        .collect();
    for (theme, line) in lines {
        if let Some(s) = by_theme.get_mut(&theme) {
            s.lines.push(line);
        }
    }
    for (theme, note) in notes {
        if let Some(s) = by_theme.get_mut(&theme) {
            s.notes.push(note);
        }
    }
    theme_order
        .iter()
        .filter_map(|t| by_theme.remove(t))
        .collect()
}

/// The remark of an award subject to a procedure: the text as written (`ovb
/// voorhangprocedure`); a checkbox or yes/no answer gives `onder voorbehoud` or nothing.
fn voorbehoud(cell: &RawCell) -> Option<String> {
    match cell {
        RawCell::Bool(true) => Some("onder voorbehoud".to_string()),
        RawCell::Bool(false) => None,
        RawCell::Float(f) if *f == 0.0 => None,
        RawCell::Int(0) => None,
        RawCell::Float(_) | RawCell::Int(_) => Some("onder voorbehoud".to_string()),
        _ => {
            let text = cell.text()?;
            match normalize(&text).as_str() {
                "nee" | "n" | "-" | "–" | "0" | "onwaar" | "false" | "geen" => None,
                "ja" | "j" | "x" | "waar" | "true" | "1" | "v" | "✓" => {
                    Some("onder voorbehoud".to_string())
                }
                _ => Some(text),
            }
        }
    }
}

/// A footnote marker (`*`) where the report prints no footnote: said, not silently lost.
fn unprinted_marker(amount: &Amount, problems: &mut InputFindings, why: &str) {
    if amount.footnote_marker {
        problems.warning(
            amount.place.clone(),
            format!("de * bij dit bedrag wordt niet afgedrukt: {why}"),
        );
    }
}

/// A round number from `1`, `1e ronde`, `ronde 2`, `eerste ronde`, `3e`.
fn round_number(cell: &RawCell) -> Option<u32> {
    if let RawCell::Float(_) | RawCell::Int(_) = cell {
        return whole_number(cell).filter(|n| *n > 0);
    }
    let text = normalize(&cell.text()?);
    const WORDS: [&str; 10] = [
        "eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste", "negende",
        "tiende",
    ];
    // `3`, `3e`, `3de`, `3e ronde`, `ronde 3`, `derde ronde`, `derde`; nothing else
    let words: Vec<&str> = text
        .split(' ')
        .filter(|w| *w != "ronde" && !w.is_empty())
        .collect();
    let [word] = words.as_slice() else {
        return None;
    };
    if let Some(i) = WORDS.iter().position(|w| w == word) {
        return Some(i as u32 + 1);
    }
    let digits = word
        .trim_end_matches("ste")
        .trim_end_matches("de")
        .trim_end_matches('e');
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 3 {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0)
}

/// Reads the alliantie: the budget per theme (`Alliantiebudget`), then the awards
/// (`Alliantieprojecten`) row by row, then the post-pass that numbers the rounds.
fn alliantie(
    budget_sheet: &SheetTable,
    award_sheet: &SheetTable,
    themes: &ThemeResolver,
    problems: &mut InputFindings,
) -> Alliantie {
    let (budgets, mut stated_totals) = alliantie_budgets(budget_sheet, themes, problems);
    let mut rows = AwardRows::default();
    for record in &award_sheet.records {
        rows.row(award_sheet, record, themes, problems);
    }
    if !award_sheet.records.is_empty() && !rows.an_award_row {
        problems.warning(
            award_sheet.grid.place(),
            "het blad heeft onder de kopregel geen enkele toekenning, alleen een Totaal-regel of toelichting: er zijn geen alliantieprojecten toegekend",
        );
    }
    let (rounds, awards) = number_rounds(
        rows.awards,
        rows.stated_rounds,
        &mut stated_totals,
        problems,
    );
    Alliantie {
        budget_place: budget_sheet.grid.place(),
        awards_place: award_sheet.grid.place(),
        budgets,
        rounds,
        awards,
        stated_totals,
        notes: rows.notes,
    }
}

/// The `Alliantiebudget` sheet: one budget per theme, and its `Totaal` rows.
fn alliantie_budgets(
    sheet: &SheetTable,
    themes: &ThemeResolver,
    problems: &mut InputFindings,
) -> (Vec<AlliantieBudget>, Vec<StatedTotal>) {
    let mut budgets: Vec<AlliantieBudget> = Vec::new();
    let mut stated_totals = Vec::new();
    let mut a_budget_row = false;
    for record in &sheet.records {
        let theme_cell = sheet.cell(record, &Field::Thema);
        let theme_place = sheet.place(record, &Field::Thema);
        let budget_field = Field::Amount(ColumnKind::TotaalBudget);
        let budget_cell = sheet.cell(record, &budget_field);
        let remaining_cell = sheet.cell(record, &Field::Resterend);
        let remaining = if remaining_cell.is_blank() {
            None
        } else {
            read_amount(
                remaining_cell,
                sheet.place(record, &Field::Resterend),
                problems,
            )
        };
        let budget = read_amount(budget_cell, sheet.place(record, &budget_field), problems);
        if let Some(amount) = &budget {
            unprinted_marker(amount, problems, "de alliantietabel heeft geen voetnoten");
        }
        if theme_cell.text().is_some_and(|t| is_total(&t)) {
            let budget = budget.filter(|_| !budget_cell.is_blank());
            let values = [
                budget.map(|amount| Stated {
                    target: StatedTarget::Budget,
                    amount,
                }),
                remaining.map(|amount| Stated {
                    target: StatedTarget::Remaining,
                    amount,
                }),
            ];
            stated_totals.push(StatedTotal {
                scope: TotalScope::Sheet,
                values: values.into_iter().flatten().collect(),
                place: theme_place,
            });
            continue;
        }
        a_budget_row = true;
        if theme_cell.is_blank() {
            problems.error(theme_place, "een budgetregel zonder thema");
            continue;
        }
        let Ok(Some(theme)) = row_theme(sheet, record, themes, problems) else {
            continue;
        };
        if let Some(earlier) = budgets.iter().find(|b| b.theme == theme) {
            problems.error(
                theme_place,
                format!(
                    "thema {theme} heeft twee budgetregels (ook in rij {})",
                    row_of(&earlier.place)
                ),
            );
            continue;
        }
        if let Some(budget) = budget {
            let stated_remaining = remaining;
            let place = theme_place;
            budgets.push(AlliantieBudget {
                theme,
                budget,
                stated_remaining,
                place,
            });
        }
    }
    if !sheet.records.is_empty() && !a_budget_row {
        problems.error(
            sheet.grid.place(),
            "het blad heeft onder de kopregel geen enkele regel met een thema, alleen een Totaal-regel; verwacht een budgetregel per thema",
        );
    }
    budgets.sort_by_key(|b| b.theme);
    (budgets, stated_totals)
}

/// The `Alliantieprojecten` sheet being read row by row: what the rows so far have given.
#[derive(Default)]
struct AwardRows {
    /// The awards, each with its round number as written (numbered in a post-pass).
    awards: Vec<(Award, u32)>,
    /// (theme, code) -> index into `awards`.
    award_index: HashMap<(u32, String), usize>,
    /// Text rows without an amount, with their theme.
    notes: Vec<ThemeNote>,
    /// The theme of the rows below the last theme cell.
    current_theme: Option<u32>,
    /// The `Totaal` rows, with the round they total (its number and row) if any.
    stated_rounds: Vec<(StatedTotal, Option<(u32, usize)>)>,
    /// Whether a row with a code was seen.
    an_award_row: bool,
}

/// The message for a round cell that is no round.
fn not_a_round(cell: &RawCell) -> String {
    format!(
        "{} is geen ronde; verwacht 1, 2, 3 of ‘1e ronde’",
        cell.describe()
    )
}

impl AwardRows {
    /// Classifies one row and handles it: a `Totaal` row, an award, a note or a heading.
    fn row(
        &mut self,
        sheet: &SheetTable,
        record: &Record,
        themes: &ThemeResolver,
        problems: &mut InputFindings,
    ) {
        let code = sheet.text(record, &Field::Code).and_then(clean_code);
        let project = sheet.text(record, &Field::Omschrijving);
        let Ok(row_theme) = row_theme(sheet, record, themes, problems) else {
            return;
        };
        let is_total_row = project.as_deref().is_some_and(is_total);
        if is_total_row && let Some(code) = &code {
            problems.error(
                sheet.place(record, &Field::Code),
                total_with_code(project.as_deref().unwrap_or_default(), code),
            );
            return;
        }
        if is_total_row {
            let description = project.as_deref().unwrap_or_default();
            self.total_row(sheet, record, description, row_theme, themes, problems);
            return;
        }
        if row_theme.is_some() {
            self.current_theme = row_theme;
        }
        match code {
            Some(code) => self.award_row(sheet, record, code, project, problems),
            None => self.loose_row(sheet, record, project, problems),
        }
    }

    /// A `Totaal` row: the stated amount awarded in a theme, a round or the sheet.
    fn total_row(
        &mut self,
        sheet: &SheetTable,
        record: &Record,
        description: &str,
        row_theme: Option<u32>,
        themes: &ThemeResolver,
        problems: &mut InputFindings,
    ) {
        let amount_cell = sheet.cell(record, &Field::Toegekend);
        let round_cell = sheet.cell(record, &Field::Ronde);
        let subject = total_subject(description).unwrap_or_default();
        let subject_theme = total_theme(description, themes);
        let scope = row_theme
            .or(subject_theme)
            .map(|theme| TotalScope::Theme { theme })
            .unwrap_or(TotalScope::Sheet);
        if amount_cell.is_blank() {
            return;
        }
        let amount_place = sheet.place(record, &Field::Toegekend);
        let Some(amount) = read_amount(amount_cell, amount_place, problems) else {
            return;
        };
        let round = if round_cell.is_blank() {
            // `Totaal 1e ronde` names its round in the description
            (!subject.is_empty() && subject_theme.is_none())
                .then(|| round_number(&RawCell::Text(subject.as_str().into())))
                .flatten()
        } else {
            match round_number(round_cell) {
                Some(n) => Some(n),
                None => {
                    let place = sheet.place(record, &Field::Ronde);
                    problems.error(place, not_a_round(round_cell));
                    return;
                }
            }
        };
        let total = StatedTotal {
            scope,
            values: vec![Stated {
                target: StatedTarget::Awarded,
                amount,
            }],
            place: sheet.place(record, &Field::Omschrijving),
        };
        self.stated_rounds
            .push((total, round.map(|r| (r, record.row))));
    }

    /// A row without a code: amounts on it are an error; its text is a note of its theme
    /// (a footnote is warned about: this table prints none); else it is a theme heading.
    fn loose_row(
        &mut self,
        sheet: &SheetTable,
        record: &Record,
        project: Option<String>,
        problems: &mut InputFindings,
    ) {
        let project_place = sheet.place(record, &Field::Omschrijving);
        if !sheet.cell(record, &Field::Toegekend).is_blank() {
            problems.error(sheet.place(record, &Field::Code), "een toekenning zonder code; verwacht een letter (a, b, ...), of ‘Totaal’ als project");
        } else if let Some(text) = project {
            match (text.starts_with('*'), self.current_theme) {
                (true, _) => problems.warning(
                    project_place,
                    "voetnoten in het blad Alliantieprojecten worden niet afgedrukt; zet de toelichting in de kolom Voorbehoud",
                ),
                (false, Some(theme)) => self.notes.push(ThemeNote { theme, text, place: project_place }),
                (false, None) => problems.error(project_place, format!("de tekst ‘{text}’ staat bij geen thema")),
            }
        }
    }

    /// An award (a row with a code): project, theme, round and amount required; the code
    /// unique per theme.
    fn award_row(
        &mut self,
        sheet: &SheetTable,
        record: &Record,
        code: String,
        project: Option<String>,
        problems: &mut InputFindings,
    ) {
        self.an_award_row = true;
        let project_place = sheet.place(record, &Field::Omschrijving);
        let amount_cell = sheet.cell(record, &Field::Toegekend);
        let amount_place = sheet.place(record, &Field::Toegekend);
        let round_cell = sheet.cell(record, &Field::Ronde);
        let Some(project) = project else {
            let message = format!("toekenning ‘{code}’ heeft geen projectnaam");
            problems.error(project_place, message);
            return;
        };
        let Some(theme) = self.current_theme else {
            problems.error(
                sheet.place(record, &Field::Thema),
                format!("project ‘{project}’ heeft geen thema"),
            );
            return;
        };
        let Some(round) = round_number(round_cell) else {
            problems.error(sheet.place(record, &Field::Ronde), not_a_round(round_cell));
            return;
        };
        if amount_cell.is_blank() {
            let message = format!("bij project ‘{project}’ is geen bedrag toegekend");
            problems.error(amount_place, message);
            return;
        }
        let Some(amount) = read_amount(amount_cell, amount_place, problems) else {
            return;
        };
        unprinted_marker(
            &amount,
            problems,
            "de alliantietabel heeft geen voetnoten; zet de toelichting in de kolom Voorbehoud",
        );
        let key = (theme, normalize(&code));
        if let Some((earlier, _)) = self.award_index.get(&key).and_then(|&i| self.awards.get(i)) {
            code_twice(
                sheet.place(record, &Field::Code),
                &earlier.place,
                &code,
                theme,
                problems,
            );
            return;
        }
        let voorbehoud = voorbehoud(sheet.cell(record, &Field::Voorbehoud));
        self.award_index.insert(key, self.awards.len());
        let award = Award {
            theme,
            code,
            project,
            round: 0,
            amount,
            voorbehoud,
            place: project_place,
        };
        self.awards.push((award, round));
    }
}

/// Post-pass: the rounds in which projects were awarded, numbered in order; each award and
/// each round's stated total points at its round (a total of a round without awards is an
/// error). The totals are added to `stated_totals`.
fn number_rounds(
    awards: Vec<(Award, u32)>,
    stated_rounds: Vec<(StatedTotal, Option<(u32, usize)>)>,
    stated_totals: &mut Vec<StatedTotal>,
    problems: &mut InputFindings,
) -> (Vec<Round>, Vec<Award>) {
    let numbers: BTreeSet<u32> = awards.iter().map(|(_, r)| *r).collect();
    let rounds: Vec<Round> = numbers.iter().map(|&number| Round { number }).collect();
    let index_of = |n: u32| rounds.iter().position(|r| r.number == n);
    let awards = awards
        .into_iter()
        .map(|(mut award, number)| {
            award.round = index_of(number).unwrap_or(0);
            award
        })
        .collect();
    for (mut total, round) in stated_rounds {
        if let Some((number, _)) = round {
            let Some(i) = index_of(number) else {
                problems.error(
                    total.place.clone(),
                    format!(
                        "een totaal van ronde {number}, maar geen project is in die ronde toegekend"
                    ),
                );
                continue;
            };
            for v in &mut total.values {
                v.target = StatedTarget::Round(i);
            }
        }
        stated_totals.push(total);
    }
    (rounds, awards)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Year columns from headers in sheet order, in columns E, F, G, ...
    fn columns(kinds: &[ColumnKind]) -> Vec<Column> {
        kinds
            .iter()
            .enumerate()
            .map(|(i, kind)| Column {
                kind: kind.clone(),
                label: column_label(kind, ""),
                place: Place::cell("w.xlsx", "Blad", 4, 4 + i as u32),
            })
            .collect()
    }

    fn cells(problems: &[(Place, String)]) -> Vec<String> {
        problems.iter().map(|(p, _)| p.cell.clone()).collect()
    }

    use ColumnKind::{Budget, TotaalBudget, Uitgaven};

    #[test]
    fn years_that_follow_each_other_are_fine() {
        for kinds in [
            vec![Uitgaven(2020), Uitgaven(2021), Budget(2022), Budget(2023)],
            vec![TotaalBudget, Uitgaven(2020), Uitgaven(2021)],
            vec![Budget(2022)],
            vec![Uitgaven(2021), Uitgaven(2022), Budget(2022), Budget(2023)],
        ] {
            assert!(year_order(&columns(&kinds)).is_empty(), "{kinds:?}");
        }
    }

    #[test]
    fn a_budget_year_before_the_spending_years() {
        let problems = year_order(&columns(&[
            Uitgaven(2020),
            Uitgaven(2021),
            Budget(2019),
            Budget(2023),
        ]));
        assert_eq!(cells(&problems), ["G5"]);
        assert!(problems[0].1.contains("Uitgaven 2021"), "{}", problems[0].1);
    }

    #[test]
    fn a_gap_or_a_reversed_order() {
        let gap = year_order(&columns(&[Uitgaven(2019), Uitgaven(2021), Budget(2022)]));
        assert_eq!(cells(&gap), ["F5"]);
        let reversed = year_order(&columns(&[Uitgaven(2021), Budget(2023), Budget(2022)]));
        assert_eq!(cells(&reversed), ["G5"]);
        let between = year_order(&columns(&[Uitgaven(2020), Budget(2022)]));
        assert_eq!(cells(&between), ["F5"]);
        assert!(between[0].1.contains("2021"), "{}", between[0].1);
    }

    #[test]
    fn a_table_that_disagrees_with_the_werkplan_year() {
        let stale = columns(&[Uitgaven(2018), Uitgaven(2019)]);
        assert_eq!(cells(&year_across_sheets(&stale, 2022)), ["F5"]);
        let later = columns(&[Uitgaven(2022), Uitgaven(2023)]);
        assert_eq!(cells(&year_across_sheets(&later, 2022)), ["F5"]);
        let fine = columns(&[Uitgaven(2020), Uitgaven(2021)]);
        assert!(year_across_sheets(&fine, 2022).is_empty());
    }
}
