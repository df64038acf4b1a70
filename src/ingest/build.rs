//! From read sheets to the validated model: themes resolved, lines with their parts, stated
//! totals kept apart, every rule of INPUT.md checked. All errors are collected.

use std::collections::{BTreeSet, HashMap};

use crate::ingest::amount::{self, AmountError};
use crate::ingest::grid::RawCell;
use crate::ingest::header::{Field, normalize};
use crate::ingest::sheet::SheetTable;
use crate::model::{
    Alliance, AllianceBudget, Amount, Award, BudgetTable, Column, ColumnKind, Instrument, Ledger,
    Line, Money, Part, Place, Round, Section, SourceFile, Stated, StatedTarget, StatedTotal, Theme,
    ThemeNote, TotalScope, Werkplan,
};
use crate::model::{Finding, Severity};

/// The five budget sheets, read.
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

/// Collects input errors and warnings.
#[derive(Default)]
pub struct Problems {
    /// Everything found, in reading order.
    pub findings: Vec<Finding>,
}

impl Problems {
    /// Records an input error (severity `fout`).
    pub fn error(&mut self, place: Place, message: impl Into<String>) {
        self.findings.push(Finding::input(place, message));
    }

    /// Records a warning about the input (severity `waarschuwing`).
    pub fn warning(&mut self, place: Place, message: impl Into<String>) {
        let finding = Finding::warning(place, message);
        self.findings.push(finding);
    }

    /// Whether any error (severity `fout`) was found.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Fout)
    }
}

/// Builds the model. Returns the werkplan, or `None` when errors were found (they are in
/// `problems`, with any warnings).
pub fn build(
    sheets: &BudgetSheets,
    sources: Vec<SourceFile>,
    problems: &mut Problems,
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
    let alliantie = alliance(
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

fn themes(sheet: &SheetTable, problems: &mut Problems) -> Vec<Theme> {
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
fn read_amount(cell: &RawCell, place: Place, problems: &mut Problems) -> Option<Amount> {
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

fn budget_table(
    instrument: Instrument,
    sheet: &SheetTable,
    themes: &ThemeResolver,
    problems: &mut Problems,
) -> BudgetTable {
    let amount_columns: Vec<(usize, Column)> = sheet
        .amount_columns()
        .map(|(i, c, kind)| {
            (
                i,
                Column {
                    kind: kind.clone(),
                    label: column_label(kind, &c.label),
                    place: c.place.clone(),
                },
            )
        })
        .collect();
    let remaining_label = sheet
        .column(&Field::Resterend)
        .and_then(|i| sheet.columns.get(i))
        .map(|c| c.label.clone());
    let mut current_theme: Option<u32> = None;
    let mut lines: Vec<(u32, Line)> = Vec::new();
    let mut line_index: HashMap<(u32, String), usize> = HashMap::new(); // (theme, code) -> index into lines
    let mut typed_cells: Vec<Vec<bool>> = Vec::new(); // per line: which amount cells were filled
    let mut notes: Vec<(u32, String)> = Vec::new();
    let mut parts: Vec<(u32, String, Part, Place)> = Vec::new();
    let mut stated_totals = Vec::new();
    let mut footnote_rows: Vec<String> = Vec::new();

    let mut after_sheet_total = false;
    let mut a_line_row = false; // a row with a code: the table is more than a total
    let mut pending_notes: Vec<(u32, String)> = Vec::new();
    for record in &sheet.records {
        let theme_cell = sheet.cell(record, &Field::Thema);
        let code = sheet.text(record, &Field::Code).and_then(clean_code);
        let description = sheet.text(record, &Field::Omschrijving);
        let parent = sheet
            .text(record, &Field::OnderdeelVan)
            .and_then(clean_code);
        // a footnote typed in the first column: `* Indien het geraamd budget ...`
        if let Some(text) = theme_cell.text().filter(|t| t.starts_with('*'))
            && code.is_none()
            && description.is_none()
        {
            footnote_rows.push(text.trim_start_matches('*').trim().to_string());
            continue;
        }
        let has_amounts = amount_columns
            .iter()
            .any(|(i, _)| !record.cells[*i].is_blank());
        // below the sheet's total: a source or signature line, whatever column it is in;
        // kept aside in case lines follow after all (a total typed at the top)
        if after_sheet_total && code.is_none() && parent.is_none() && !has_amounts {
            match description.as_ref() {
                Some(text) if text.starts_with('*') => {
                    footnote_rows.push(text.trim_start_matches('*').trim().to_string())
                }
                Some(text) => {
                    let theme = theme_cell
                        .text()
                        .and_then(|_| themes.resolve(theme_cell).ok())
                        .or(current_theme);
                    if let Some(theme) = theme {
                        pending_notes.push((theme, text.clone()));
                    }
                }
                None => {}
            }
            continue;
        }
        let remaining_cell = sheet.cell(record, &Field::Resterend);
        let row_place = sheet.place(record, &Field::Omschrijving);

        let row_theme = if theme_cell.is_blank() {
            None
        } else {
            match themes.resolve(theme_cell) {
                Ok(n) => Some(n),
                Err(message) => {
                    problems.error(sheet.place(record, &Field::Thema), message);
                    continue;
                }
            }
        };
        let is_total_row = description.as_deref().is_some_and(is_total);
        if is_total_row && let Some(code) = &code {
            // a `Totaal` row is never a line: counted as one it would double every total
            problems.error(
                sheet.place(record, &Field::Code),
                total_with_code(description.as_deref().unwrap_or_default(), code),
            );
            continue;
        }
        if !is_total_row && row_theme.is_some() {
            current_theme = row_theme;
        }
        let read_amounts = |problems: &mut Problems| -> Option<Vec<Amount>> {
            let mut out = Vec::new();
            let mut ok = true;
            for (i, _) in &amount_columns {
                let place = sheet.grid.cell_place(record.row, sheet.columns[*i].index);
                match read_amount(&record.cells[*i], place, problems) {
                    Some(a) => out.push(a),
                    None => ok = false,
                }
            }
            ok.then_some(out)
        };
        let stated_remaining = |problems: &mut Problems| -> Option<Stated> {
            if remaining_cell.is_blank() {
                return None;
            }
            let amount = read_amount(
                remaining_cell,
                sheet.place(record, &Field::Resterend),
                problems,
            )?;
            Some(Stated {
                target: StatedTarget::Remaining,
                amount,
            })
        };

        if is_total_row {
            let scope = match (&parent, row_theme.or(current_theme)) {
                (Some(p), Some(theme)) => TotalScope::Line {
                    theme,
                    code: p.clone(),
                },
                (Some(_), None) => {
                    problems.error(row_place, "een Totaal-regel van een onderdeel zonder thema");
                    continue;
                }
                (None, _) => match row_theme
                    .or_else(|| description.as_deref().and_then(|d| total_theme(d, themes)))
                {
                    Some(theme) => TotalScope::Theme { theme },
                    None => TotalScope::Sheet,
                },
            };
            after_sheet_total |= scope == TotalScope::Sheet;
            let mut values = Vec::new();
            for (n, (i, _)) in amount_columns.iter().enumerate() {
                if record.cells[*i].is_blank() {
                    continue;
                }
                let place = sheet.grid.cell_place(record.row, sheet.columns[*i].index);
                if let Some(amount) = read_amount(&record.cells[*i], place, problems) {
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
            values.extend(stated_remaining(problems));
            stated_totals.push(StatedTotal {
                scope,
                values,
                place: row_place,
            });
            continue;
        }

        match (code, parent) {
            (Some(code), Some(_)) => {
                problems.error(
                    sheet.place(record, &Field::Code),
                    format!("de regel heeft een eigen code ‘{code}’ én is onderdeel van een andere regel; een onderdeel heeft geen code"),
                );
            }
            (None, Some(parent)) => {
                let Some(description) = description else {
                    problems.error(row_place, format!("een onderdeel van ‘{parent}’ zonder omschrijving"));
                    continue;
                };
                let Some(theme) = current_theme else {
                    problems.error(sheet.place(record, &Field::Thema), "een onderdeel zonder thema");
                    continue;
                };
                if let Some(amounts) = read_amounts(problems) {
                    let stated = stated_remaining(problems).into_iter().collect();
                    let footnote = sheet.text(record, &Field::Voetnoot);
                    let part = Part { description, amounts, stated, footnote, place: row_place };
                    parts.push((theme, parent.clone(), part, sheet.place(record, &Field::OnderdeelVan)));
                }
            }
            (Some(code), None) => {
                a_line_row = true;
                let Some(description) = description else {
                    problems.error(row_place, format!("regel ‘{code}’ heeft geen omschrijving"));
                    continue;
                };
                let Some(theme) = current_theme else {
                    problems.error(sheet.place(record, &Field::Thema), format!("regel ‘{code}’ heeft geen thema"));
                    continue;
                };
                let key = (theme, normalize(&code));
                if let Some((_, earlier)) = line_index.get(&key).and_then(|&i| lines.get(i)) {
                    let here = sheet.place(record, &Field::Code);
                    let first = same_column(&here, &earlier.place);
                    problems.error(
                        here,
                        format!("code ‘{code}’ komt in thema {theme} twee keer voor (ook in {first}); een code is uniek per thema"),
                    );
                    continue;
                }
                let Some(amounts) = read_amounts(problems) else { continue };
                let stated: Vec<Stated> = stated_remaining(problems).into_iter().collect();
                let footnote = sheet.text(record, &Field::Voetnoot);
                typed_cells.push(amount_columns.iter().map(|(i, _)| !record.cells[*i].is_blank()).collect());
                // a line after the total: the total was not the last row, the text was notes
                notes.append(&mut pending_notes);
                after_sheet_total = false;
                line_index.insert(key, lines.len());
                lines.push((theme, Line { code, description, amounts, parts: Vec::new(), stated, footnote, place: row_place }));
            }
            (None, None) => match (description, has_amounts) {
                (Some(text), false) if text.starts_with('*') => {
                    footnote_rows.push(text.trim_start_matches('*').trim().to_string());
                }
                (Some(text), false) => match current_theme {
                    Some(theme) => notes.push((theme, text)),
                    None => problems.error(row_place, format!("de tekst ‘{text}’ staat bij geen thema")),
                },
                (Some(text), true) => problems.error(
                    sheet.place(record, &Field::Code),
                    format!("de regel ‘{text}’ heeft bedragen maar geen code; verwacht een letter (a, b, ...), of ‘Totaal’ als omschrijving"),
                ),
                (None, true) => problems.error(row_place, "bedragen zonder omschrijving en zonder code"),
                (None, false) => {} // a theme heading row, or a row with only ignored columns
            },
        }
    }

    if !sheet.records.is_empty() && !a_line_row {
        problems.error(sheet.grid.place(), ONLY_TOTALS);
    }
    // parts to their lines
    for (theme, parent, part, parent_place) in parts {
        match line_index.get(&(theme, normalize(&parent))).and_then(|&i| lines.get_mut(i)) {
            Some((_, line)) => line.parts.push(part),
            None => problems.error(parent_place, format!("‘Onderdeel van’ noemt regel ‘{parent}’, maar thema {theme} heeft geen regel met die code")),
        }
    }
    for ((_, line), typed) in lines.iter_mut().zip(&typed_cells) {
        if line.parts.is_empty() {
            continue;
        }
        // amounts typed on a parent row are stated totals of its parts
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
    // footnotes: a marked line or part without its own text takes the footnote rows in order
    let mut spare = footnote_rows.into_iter();
    let mut settle = |amounts: &[Amount],
                      footnote: &mut Option<String>,
                      problems: &mut Problems| {
        let Some(marked) = amounts.iter().find(|a| a.footnote_marker) else {
            return;
        };
        if footnote.is_none() {
            *footnote = spare.next();
        }
        if footnote.is_none() {
            problems.warning(
                marked.place.clone(),
                "het bedrag is gemarkeerd met * maar er is geen voetnoottekst (kolom ‘Voetnoot’ of een regel die met * begint)",
            );
        }
    };
    for (_, line) in &mut lines {
        settle(&line.amounts, &mut line.footnote, problems);
        for part in &mut line.parts {
            settle(&part.amounts, &mut part.footnote, problems);
        }
    }
    let unused: Vec<String> = spare.collect();
    if !unused.is_empty() {
        problems.warning(
            sheet.grid.place(),
            format!(
                "{} voetnoottekst(en) zonder bedrag met * erbij; niet afgedrukt: ‘{}’",
                unused.len(),
                unused.join("’, ‘")
            ),
        );
    }

    let mut theme_order: BTreeSet<u32> = lines.iter().map(|(t, _)| *t).collect();
    theme_order.extend(notes.iter().map(|(t, _)| *t));
    let mut by_theme: HashMap<u32, Section> = theme_order
        .iter()
        .map(|&t| {
            (
                t,
                Section {
                    theme: t,
                    lines: Vec::new(),
                    notes: Vec::new(),
                },
            )
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
    let sections = theme_order
        .iter()
        .filter_map(|t| by_theme.remove(t))
        .collect();
    BudgetTable {
        instrument,
        place: sheet.grid.place(),
        columns: amount_columns.into_iter().map(|(_, c)| c).collect(),
        remaining_label,
        sections,
        stated_totals,
    }
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
fn unprinted_marker(amount: &Amount, problems: &mut Problems, why: &str) {
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

fn alliance(
    budget_sheet: &SheetTable,
    award_sheet: &SheetTable,
    themes: &ThemeResolver,
    problems: &mut Problems,
) -> Alliance {
    let mut budgets: Vec<AllianceBudget> = Vec::new();
    let mut stated_totals = Vec::new();
    let mut a_budget_row = false;
    for record in &budget_sheet.records {
        let theme_cell = budget_sheet.cell(record, &Field::Thema);
        let theme_place = budget_sheet.place(record, &Field::Thema);
        let budget_place = budget_sheet.place(record, &Field::Amount(ColumnKind::TotaalBudget));
        let remaining_cell = budget_sheet.cell(record, &Field::Resterend);
        let remaining = if remaining_cell.is_blank() {
            None
        } else {
            read_amount(
                remaining_cell,
                budget_sheet.place(record, &Field::Resterend),
                problems,
            )
        };
        let budget = read_amount(
            budget_sheet.cell(record, &Field::Amount(ColumnKind::TotaalBudget)),
            budget_place,
            problems,
        );
        if let Some(amount) = &budget {
            unprinted_marker(amount, problems, "de alliantietabel heeft geen voetnoten");
        }
        if theme_cell.text().is_some_and(|t| is_total(&t)) {
            let mut values: Vec<Stated> = budget
                .filter(|_| {
                    !budget_sheet
                        .cell(record, &Field::Amount(ColumnKind::TotaalBudget))
                        .is_blank()
                })
                .map(|amount| Stated {
                    target: StatedTarget::Budget,
                    amount,
                })
                .into_iter()
                .collect();
            values.extend(remaining.map(|amount| Stated {
                target: StatedTarget::Remaining,
                amount,
            }));
            stated_totals.push(StatedTotal {
                scope: TotalScope::Sheet,
                values,
                place: theme_place,
            });
            continue;
        }
        a_budget_row = true;
        if theme_cell.is_blank() {
            problems.error(theme_place, "een budgetregel zonder thema");
            continue;
        }
        let theme = match themes.resolve(theme_cell) {
            Ok(t) => t,
            Err(message) => {
                problems.error(theme_place, message);
                continue;
            }
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
            budgets.push(AllianceBudget {
                theme,
                budget,
                stated_remaining: remaining,
                place: theme_place,
            });
        }
    }
    if !budget_sheet.records.is_empty() && !a_budget_row {
        problems.error(
            budget_sheet.grid.place(),
            "het blad heeft onder de kopregel geen enkele regel met een thema, alleen een Totaal-regel; verwacht een budgetregel per thema",
        );
    }
    budgets.sort_by_key(|b| b.theme);

    let mut awards: Vec<(Award, u32)> = Vec::new();
    let mut award_index: HashMap<(u32, String), usize> = HashMap::new();
    let mut notes: Vec<ThemeNote> = Vec::new();
    let mut current_theme = None;
    let mut stated_rounds: Vec<(StatedTotal, Option<(u32, usize)>)> = Vec::new();
    let mut an_award_row = false;
    for record in &award_sheet.records {
        let theme_cell = award_sheet.cell(record, &Field::Thema);
        let code = award_sheet.text(record, &Field::Code).and_then(clean_code);
        let project = award_sheet.text(record, &Field::Omschrijving);
        let amount_cell = award_sheet.cell(record, &Field::Toegekend);
        let amount_place = award_sheet.place(record, &Field::Toegekend);
        let round_cell = award_sheet.cell(record, &Field::Ronde);
        let project_place = award_sheet.place(record, &Field::Omschrijving);
        let row_theme = if theme_cell.is_blank() {
            None
        } else {
            match themes.resolve(theme_cell) {
                Ok(n) => Some(n),
                Err(message) => {
                    problems.error(award_sheet.place(record, &Field::Thema), message);
                    continue;
                }
            }
        };
        let is_total_row = project.as_deref().is_some_and(is_total);
        if is_total_row && let Some(code) = &code {
            problems.error(
                award_sheet.place(record, &Field::Code),
                total_with_code(project.as_deref().unwrap_or_default(), code),
            );
            continue;
        }
        if is_total_row {
            let subject = project
                .as_deref()
                .and_then(total_subject)
                .unwrap_or_default();
            let subject_theme = project.as_deref().and_then(|p| total_theme(p, themes));
            let scope = row_theme
                .or(subject_theme)
                .map(|theme| TotalScope::Theme { theme })
                .unwrap_or(TotalScope::Sheet);
            if amount_cell.is_blank() {
                continue;
            }
            let Some(amount) = read_amount(amount_cell, amount_place, problems) else {
                continue;
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
                        problems.error(
                            award_sheet.place(record, &Field::Ronde),
                            format!(
                                "{} is geen ronde; verwacht 1, 2, 3 of ‘1e ronde’",
                                round_cell.describe()
                            ),
                        );
                        continue;
                    }
                }
            };
            let total = StatedTotal {
                scope,
                values: vec![Stated {
                    target: StatedTarget::Awarded,
                    amount,
                }],
                place: project_place,
            };
            stated_rounds.push((total, round.map(|r| (r, record.row))));
            continue;
        }
        if row_theme.is_some() {
            current_theme = row_theme;
        }
        let Some(code) = code else {
            if !amount_cell.is_blank() {
                problems.error(award_sheet.place(record, &Field::Code), "een toekenning zonder code; verwacht een letter (a, b, ...), of ‘Totaal’ als project");
            } else if let Some(text) = project {
                match (text.starts_with('*'), current_theme) {
                    (true, _) => problems.warning(
                        project_place,
                        "voetnoten in het blad Alliantieprojecten worden niet afgedrukt; zet de toelichting in de kolom Voorbehoud",
                    ),
                    (false, Some(theme)) => notes.push(ThemeNote { theme, text, place: project_place }),
                    (false, None) => problems.error(project_place, format!("de tekst ‘{text}’ staat bij geen thema")),
                }
            }
            continue; // a theme heading, or a note
        };
        an_award_row = true;
        let Some(project) = project else {
            problems.error(
                project_place,
                format!("toekenning ‘{code}’ heeft geen projectnaam"),
            );
            continue;
        };
        let Some(theme) = current_theme else {
            problems.error(
                award_sheet.place(record, &Field::Thema),
                format!("project ‘{project}’ heeft geen thema"),
            );
            continue;
        };
        let Some(round) = round_number(round_cell) else {
            problems.error(
                award_sheet.place(record, &Field::Ronde),
                format!(
                    "{} is geen ronde; verwacht 1, 2, 3 of ‘1e ronde’",
                    round_cell.describe()
                ),
            );
            continue;
        };
        if amount_cell.is_blank() {
            problems.error(
                amount_place,
                format!("bij project ‘{project}’ is geen bedrag toegekend"),
            );
            continue;
        }
        let Some(amount) = read_amount(amount_cell, amount_place, problems) else {
            continue;
        };
        unprinted_marker(
            &amount,
            problems,
            "de alliantietabel heeft geen voetnoten; zet de toelichting in de kolom Voorbehoud",
        );
        let key = (theme, normalize(&code));
        if let Some((earlier, _)) = award_index.get(&key).and_then(|&i| awards.get(i)) {
            let here = award_sheet.place(record, &Field::Code);
            let first = same_column(&here, &earlier.place);
            problems.error(
                here,
                format!("code ‘{code}’ komt in thema {theme} twee keer voor (ook in {first}); een code is uniek per thema"),
            );
            continue;
        }
        let voorbehoud = voorbehoud(award_sheet.cell(record, &Field::Voorbehoud));
        award_index.insert(key, awards.len());
        awards.push((
            Award {
                theme,
                code,
                project,
                round: 0,
                amount,
                voorbehoud,
                place: project_place,
            },
            round,
        ));
    }
    if !award_sheet.records.is_empty() && !an_award_row {
        problems.warning(
            award_sheet.grid.place(),
            "het blad heeft onder de kopregel geen enkele toekenning, alleen een Totaal-regel of toelichting: er zijn geen alliantieprojecten toegekend",
        );
    }
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
            match index_of(number) {
                Some(i) => {
                    for v in &mut total.values {
                        v.target = StatedTarget::Round(i);
                    }
                }
                None => {
                    problems.error(total.place.clone(), format!("een totaal van ronde {number}, maar geen project is in die ronde toegekend"));
                    continue;
                }
            }
        }
        stated_totals.push(total);
    }
    Alliance {
        budget_place: budget_sheet.grid.place(),
        awards_place: award_sheet.grid.place(),
        budgets,
        rounds,
        awards,
        stated_totals,
        notes,
    }
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
