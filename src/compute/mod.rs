//! Compute: every total and remainder from the model's lines, and every stated value checked.
//!
//! Takes a [`Werkplan`] and a peildatum, returns a [`Report`]: the figures the renderers print
//! and the [`Finding`]s. Stated values (`Totaal` rows, parent rows, stated remainders) are
//! never used as figures; each is compared with the computed one.

pub mod changes;
mod ledger;

use std::collections::HashMap;

use serde::Serialize;

pub use ledger::{Realisation, RealisationLine};

/// Findings live in the model (ingest reports them too); compute re-exports them.
pub use crate::model::{Finding, FindingKind, Severity};

use crate::model::{
    Alliantie, Amount, BudgetTable, ColumnKind, Date, Instrument, LeftOut, Line, Money, Place,
    Section, SourceFile, Stated, StatedTarget, Theme, TotalScope, Werkplan,
};

/// The computed report of one werkplan.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The werkplan's year.
    pub year: i32,
    /// The reporting date.
    pub peildatum: Date,
    /// The themes, in number order.
    pub themes: Vec<Theme>,
    /// `Reguliere middelen`.
    pub regulier: TableReport,
    /// `Drenthe-brede projecten`.
    pub drenthe_breed: TableReport,
    /// The alliantie projects.
    pub alliantie: AlliantieReport,
    /// Every finding, in the order of the tables and their rows.
    pub findings: Vec<Finding>,
    /// How many checks were made and how many passed.
    pub checks: Checks,
    /// The input files.
    pub sources: Vec<SourceFile>,
    /// What the peildatum left out of the ledger, per instrument (monthly run only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<LeftOut>,
    /// What the peildatum left out of the register, per instrument (monthly run only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub left_out_commitments: Vec<LeftOut>,
    /// Spending per month through the peildatum's year, per instrument (monthly run only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub realisation: Vec<Realisation>,
    /// What changed against the basis (`--basis`, the actualisatie); `None` without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<changes::Changes>,
}

impl Report {
    /// The findings with severity `fout`.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        Finding::with_severity(&self.findings, Severity::Fout)
    }

    /// The findings with severity `waarschuwing`.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        Finding::with_severity(&self.findings, Severity::Waarschuwing)
    }

    /// The theme with this number.
    pub fn theme(&self, number: u32) -> Option<&Theme> {
        self.themes.iter().find(|t| t.number == number)
    }
}

/// Counts of the checks made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Checks {
    /// Stated values compared and remainders checked for over-commitment.
    pub total: usize,
    /// Of those, how many were in order.
    pub passed: usize,
}

/// What a column of a computed table holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "soort", content = "bron", rename_all = "kebab-case")]
pub enum ReportColumnKind {
    /// An amount column of the sheet.
    Input(ColumnKind),
    /// Remaining: total budget minus all spending minus committed (computed).
    Remaining,
    /// A year's spending from the ledger where the sheet has no column for that year
    /// (`Uitgaven 2022 t/m 30 september 2022`).
    LedgerSpending(i32),
    /// What is left of a year's budget: `Budget JJJJ` minus that year's spending from the
    /// ledger (`Restant budget 2022`).
    RemainingBudget(i32),
}

/// A column of a computed table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportColumn {
    /// The header as printed.
    pub label: String,
    /// What it holds.
    pub kind: ReportColumnKind,
}

/// A footnote of a table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Footnote {
    /// The marker printed beside the figures (`*`, `**`, ...).
    pub marker: String,
    /// The text printed under the table.
    pub text: String,
}

/// A part of a line, computed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartReport {
    /// Description.
    pub description: String,
    /// One value per report column (remaining included where the table has it).
    pub values: Vec<Money>,
    /// The footnote marker of this part, if it has a footnote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub footnote_marker: Option<String>,
    /// Per report column: whether the marker is printed beside that figure.
    pub marked: Vec<bool>,
}

/// A line, computed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineReport {
    /// The line's letter.
    pub code: String,
    /// Description or project.
    pub description: String,
    /// One value per report column; for a line with parts, the sums of the parts.
    pub values: Vec<Money>,
    /// The parts.
    pub parts: Vec<PartReport>,
    /// The footnote marker of this line, if it has a footnote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub footnote_marker: Option<String>,
    /// Per report column: whether the marker is printed beside that figure.
    pub marked: Vec<bool>,
}

/// A theme's part of a computed table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SectionReport {
    /// Theme number.
    pub theme: u32,
    /// The heading as printed (`Algemeen`, `1 Leefbaarheid en bereikbaarheid`).
    pub heading: String,
    /// Notes printed in place of the lines.
    pub notes: Vec<String>,
    /// The lines.
    pub lines: Vec<LineReport>,
    /// The theme's totals per report column.
    pub totals: Vec<Money>,
}

/// A computed budget table (`Reguliere middelen`, `Drenthe-brede projecten`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TableReport {
    /// Which instrument.
    pub instrument: Instrument,
    /// The columns: the sheet's amount columns, then `Remaining` where the table has a total
    /// budget.
    pub columns: Vec<ReportColumn>,
    /// One section per theme in the sheet.
    pub sections: Vec<SectionReport>,
    /// The table's totals per column.
    pub totals: Vec<Money>,
    /// The footnotes, in marker order.
    pub footnotes: Vec<Footnote>,
    /// How the remaining column follows from the others, where the table has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining: Option<RemainingRule>,
    /// How each `Restant budget JJJJ` column follows from its budget and spending columns.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub year_remaining: Vec<RemainingRule>,
    /// The columns whose figures come from the ledger or the register, not the sheet.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub from_ledger: Vec<usize>,
}

/// Remaining = the budget column minus every spending and committed column; the one
/// definition that compute uses and the XLSX writes as a formula.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RemainingRule {
    /// The remaining column (index into the report columns).
    pub column: usize,
    /// The total budget column.
    pub budget: usize,
    /// The spending and committed columns subtracted from it.
    pub minus: Vec<usize>,
}

impl RemainingRule {
    /// Remaining for one row of values (in report column order).
    pub fn apply(&self, values: &[Money]) -> Money {
        let budget = values.get(self.budget).copied().unwrap_or_default();
        self.minus.iter().fold(budget, |acc, &i| {
            acc - values.get(i).copied().unwrap_or_default()
        })
    }
}

impl TableReport {
    /// The index of the first column of this kind.
    pub fn column(&self, kind: &ReportColumnKind) -> Option<usize> {
        self.columns.iter().position(|c| &c.kind == kind)
    }
}

/// One award round, computed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoundReport {
    /// Round number.
    pub number: u32,
    /// Column header (`1e ronde`).
    pub label: String,
    /// Sum of the round's awards.
    pub total: Money,
    /// Number of projects awarded in the round.
    pub projects: usize,
}

/// One awarded project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AwardReport {
    /// Letter within the theme.
    pub code: String,
    /// Project name.
    pub project: String,
    /// Index into [`AlliantieReport::rounds`].
    pub round: usize,
    /// Amount awarded.
    pub amount: Money,
    /// Pending procedure, if any (`ovb voorhangprocedure`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voorbehoud: Option<String>,
    /// Paid on the award up to the peildatum (the ledger's bookings on it), in a monthly run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid: Option<Money>,
}

/// One theme of the alliantie table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AlliantieThemeReport {
    /// Theme number.
    pub theme: u32,
    /// Heading as printed.
    pub heading: String,
    /// The theme's budget.
    pub budget: Money,
    /// Sum of the theme's awards per round.
    pub per_round: Vec<Money>,
    /// Sum of the theme's awards.
    pub awarded: Money,
    /// Budget minus awards.
    pub remaining: Money,
    /// The awards, in sheet order.
    pub awards: Vec<AwardReport>,
    /// Notes for the theme (`Geen aanvragen ontvangen`).
    pub notes: Vec<String>,
    /// Paid on the theme's awards up to the peildatum, in a monthly run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid: Option<Money>,
}

/// The alliantie projects, computed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AlliantieReport {
    /// The rounds.
    pub rounds: Vec<RoundReport>,
    /// One entry per theme with a budget or awards, in theme order.
    pub themes: Vec<AlliantieThemeReport>,
    /// Sum of the theme budgets.
    pub budget: Money,
    /// Sum of all awards.
    pub awarded: Money,
    /// Budget minus awards.
    pub remaining: Money,
    /// Number of projects awarded.
    pub projects: usize,
    /// Paid on all awards up to the peildatum, in a monthly run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid: Option<Money>,
}

/// Computes the report: totals, remainders, and a finding for every stated value that
/// differs and every remainder below zero.
///
/// The typed figures are checked first, as the sheets state them; a monthly run then lays
/// the ledger's spending and the register's commitments over them (see `ledger`).
pub fn report_for(werkplan: &Werkplan, peildatum: Date) -> Report {
    let mut checker = Checker::default();
    let regulier = table_report(werkplan, &werkplan.regulier, &mut checker);
    let drenthe_breed = table_report(werkplan, &werkplan.drenthe_breed, &mut checker);
    let alliantie = alliantie_report(werkplan, &mut checker);
    let mut report = Report {
        year: werkplan.year,
        peildatum,
        themes: werkplan.themes.clone(),
        regulier,
        drenthe_breed,
        alliantie,
        findings: Vec::new(),
        checks: Checks::default(),
        sources: werkplan.sources.clone(),
        left_out: Vec::new(),
        left_out_commitments: Vec::new(),
        realisation: Vec::new(),
        changes: None,
    };
    ledger::apply(werkplan, &mut report, &mut checker);
    report.findings = checker.findings;
    report.checks = checker.checks;
    report
}

/// Collects findings and counts checks.
#[derive(Default)]
struct Checker {
    findings: Vec<Finding>,
    checks: Checks,
}

impl Checker {
    /// Compares a stated value with the computed one.
    fn compare(&mut self, stated: &Amount, computed: Money, subject: impl FnOnce() -> String) {
        self.checks.total += 1;
        if stated.value == computed {
            self.checks.passed += 1;
        } else {
            self.findings.push(Finding::mismatch(
                stated.place.clone(),
                stated.value,
                computed,
                &subject(),
            ));
        }
    }

    /// Records a remainder: below zero is a finding (with the stated value, if any, so one
    /// over-commitment is one finding).
    fn remaining(
        &mut self,
        place: Place,
        stated: Option<&Amount>,
        computed: Money,
        what: String,
        how: String,
    ) {
        if !computed.is_negative() {
            match stated {
                Some(stated) => {
                    self.compare(stated, computed, || format!("{what}, nog te besteden"))
                }
                None => {
                    self.count(true);
                }
            }
            return;
        }
        self.count(false);
        let stated_value = stated.map(|s| s.value);
        let stated_text = stated_value
            .map(|s| format!(", vermeld {}", s.to_dutch()))
            .unwrap_or_default();
        let message = format!(
            "{what} is overbesteed met {}: berekend {} ({how}){stated_text}",
            computed.abs().to_dutch(),
            computed.to_dutch(),
        );
        self.findings.push(Finding {
            stated: stated_value,
            difference: stated_value.map(|s| computed - s),
            ..Finding::overspent(
                stated.map(|s| s.place.clone()).unwrap_or(place),
                computed,
                message,
            )
        });
    }

    /// Counts one check, in order or not; returns `passed`.
    fn count(&mut self, passed: bool) -> bool {
        self.checks.total += 1;
        if passed {
            self.checks.passed += 1;
        }
        passed
    }
}

fn column_subject(table: &BudgetTable, target: &StatedTarget, remaining_label: &str) -> String {
    match target {
        StatedTarget::Column(i) => table
            .columns
            .get(*i)
            .map(|c| c.label.clone())
            .unwrap_or_default(),
        StatedTarget::Remaining => remaining_label.to_string(),
        StatedTarget::Round(_) | StatedTarget::Awarded | StatedTarget::Budget => String::new(),
    }
}

fn line_name(theme: u32, line: &Line) -> String {
    format!("{} ({}{})", line.description, theme, line.code)
}

/// The footnote markers: `*`, `**`, `***`, then `4)`, `5)`, ...
fn footnote_marker(index: usize) -> String {
    if index < 3 {
        "*".repeat(index + 1)
    } else {
        format!("{})", index + 1)
    }
}

/// A table's footnotes in marker order, with an index by text so that a table with a
/// note on every one of its lines stays linear.
#[derive(Default)]
struct Notes {
    list: Vec<Footnote>,
    by_text: HashMap<String, usize>,
}

/// The marker of a footnote text: the same text keeps one marker.
fn note(footnotes: &mut Notes, text: &str) -> String {
    if let Some(&i) = footnotes.by_text.get(text) {
        return footnotes.list[i].marker.clone();
    }
    let marker = footnote_marker(footnotes.list.len());
    footnotes
        .by_text
        .insert(text.to_string(), footnotes.list.len());
    footnotes.list.push(Footnote {
        marker: marker.clone(),
        text: text.to_string(),
    });
    marker
}

/// Which figures carry a footnote marker, for `width` report columns.
fn marks(amounts: &[Amount], width: usize) -> Vec<bool> {
    let mut marked: Vec<bool> = amounts.iter().map(|a| a.footnote_marker).collect();
    marked.resize(width, false);
    marked
}

/// A budget table's columns as compute lays them out: the input columns, then the remaining
/// column when the table has a total budget.
struct TableShape<'a> {
    /// The table.
    table: &'a BudgetTable,
    /// The rule of the remaining column, for a table with a total budget.
    rule: Option<RemainingRule>,
    /// The remaining column's header (`Nog te besteden` unless the sheet names it).
    remaining_label: String,
    /// The report columns.
    columns: Vec<ReportColumn>,
}

impl<'a> TableShape<'a> {
    /// The shape of `table`.
    fn new(table: &'a BudgetTable) -> TableShape<'a> {
        let rule = remaining_rule(table);
        let remaining_label = table
            .remaining_label
            .clone()
            .unwrap_or_else(|| "Nog te besteden".to_string());
        let mut columns: Vec<ReportColumn> = table
            .columns
            .iter()
            .map(|c| ReportColumn {
                label: c.label.clone(),
                kind: ReportColumnKind::Input(c.kind.clone()),
            })
            .collect();
        if rule.is_some() {
            columns.push(ReportColumn {
                label: remaining_label.clone(),
                kind: ReportColumnKind::Remaining,
            });
        }
        TableShape {
            table,
            rule,
            remaining_label,
            columns,
        }
    }

    /// The number of report columns.
    fn width(&self) -> usize {
        self.columns.len()
    }

    /// The input values with the remaining appended, when the table has one.
    fn with_remaining(&self, mut values: Vec<Money>) -> Vec<Money> {
        if let Some(rule) = &self.rule {
            let r = rule.apply(&values);
            values.push(r);
        }
        values
    }

    /// The column a stated value names, for a message.
    fn subject(&self, target: &StatedTarget) -> String {
        column_subject(self.table, target, &self.remaining_label)
    }
}

/// The one rule of a table with a total budget: its remaining column is the budget minus
/// every spending and commitment column.
fn remaining_rule(table: &BudgetTable) -> Option<RemainingRule> {
    let budget = table
        .columns
        .iter()
        .position(|c| c.kind == ColumnKind::TotaalBudget)?;
    let minus = table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.kind, ColumnKind::Uitgaven(_) | ColumnKind::Verplicht))
        .map(|(i, _)| i)
        .collect();
    Some(RemainingRule {
        column: table.columns.len(),
        budget,
        minus,
    })
}

/// Adds `values` into `totals`, column by column.
fn add_into(totals: &mut [Money], values: &[Money]) {
    for (t, v) in totals.iter_mut().zip(values) {
        *t += *v;
    }
}

/// One budget table: each section's lines computed and checked, then the stated totals.
fn table_report(werkplan: &Werkplan, table: &BudgetTable, checker: &mut Checker) -> TableReport {
    let shape = TableShape::new(table);
    let mut footnotes = Notes::default();
    let mut sections = Vec::new();
    let mut table_totals = vec![Money::ZERO; shape.width()];
    for section in &table.sections {
        let report = section_report(werkplan, &shape, section, &mut footnotes, checker);
        add_into(&mut table_totals, &report.totals);
        sections.push(report);
    }
    check_stated_totals(&shape, &sections, &table_totals, checker);
    TableReport {
        instrument: table.instrument,
        columns: shape.columns,
        sections,
        totals: table_totals,
        footnotes: footnotes.list,
        remaining: shape.rule,
        year_remaining: Vec::new(),
        from_ledger: Vec::new(),
    }
}

/// One theme's section: its lines, each computed and checked, and their totals.
fn section_report(
    werkplan: &Werkplan,
    shape: &TableShape,
    section: &Section,
    footnotes: &mut Notes,
    checker: &mut Checker,
) -> SectionReport {
    let heading = werkplan
        .theme(section.theme)
        .map(Theme::heading)
        .unwrap_or_default();
    let mut totals = vec![Money::ZERO; shape.width()];
    let mut lines = Vec::new();
    for line in &section.lines {
        let report = line_report(shape, section.theme, line, footnotes, checker);
        add_into(&mut totals, &report.values);
        lines.push(report);
    }
    SectionReport {
        theme: section.theme,
        heading,
        notes: section.notes.clone(),
        lines,
        totals,
    }
}

/// One line: its parts, its values (the sum of its parts, if it has any) and its remaining,
/// with the line's stated values checked.
fn line_report(
    shape: &TableShape,
    theme: u32,
    line: &Line,
    footnotes: &mut Notes,
    checker: &mut Checker,
) -> LineReport {
    let width = shape.width();
    // the parts' footnotes are numbered before the line's own
    let parts: Vec<PartReport> = line
        .parts
        .iter()
        .map(|p| PartReport {
            description: p.description.clone(),
            values: shape.with_remaining(p.amounts.iter().map(|a| a.value).collect()),
            footnote_marker: p.footnote.as_ref().map(|text| note(footnotes, text)),
            marked: marks(&p.amounts, width),
        })
        .collect();
    let input_values: Vec<Money> = if line.parts.is_empty() {
        line.amounts.iter().map(|a| a.value).collect()
    } else {
        (0..shape.table.columns.len())
            .map(|i| line.parts.iter().map(|p| p.amounts[i].value).sum())
            .collect()
    };
    let values = shape.with_remaining(input_values);
    check_line(
        shape,
        &line_name(theme, line),
        line,
        &parts,
        &values,
        checker,
    );
    LineReport {
        code: line.code.clone(),
        description: line.description.clone(),
        footnote_marker: line.footnote.as_ref().map(|text| note(footnotes, text)),
        marked: marks(&line.amounts, width),
        values,
        parts,
    }
}

/// Checks a line's stated values: the parent amounts on its row, then the remaining of
/// each part and of the line itself (a part can be over-committed while its line is not).
fn check_line(
    shape: &TableShape,
    name: &str,
    line: &Line,
    parts: &[PartReport],
    values: &[Money],
    checker: &mut Checker,
) {
    let stated_remaining = line
        .stated
        .iter()
        .find(|s| s.target == StatedTarget::Remaining);
    for stated in line
        .stated
        .iter()
        .filter(|s| s.target != StatedTarget::Remaining)
    {
        if let StatedTarget::Column(i) = stated.target {
            checker.compare(&stated.amount, values[i], || {
                format!("{name}, {}", shape.subject(&stated.target))
            });
        }
    }
    let Some(rule) = &shape.rule else {
        if let Some(stated) = stated_remaining {
            checker.findings.push(Finding::input_error(
                stated.amount.place.clone(),
                "een resterend bedrag zonder kolom Totaal budget kan niet worden berekend",
            ));
        }
        return;
    };
    let last = shape.width() - 1;
    for (part, report) in line.parts.iter().zip(parts) {
        let stated = part
            .stated
            .iter()
            .find(|s| s.target == StatedTarget::Remaining);
        checker.remaining(
            part.place.clone(),
            stated.map(|s| &s.amount),
            report.values[last],
            format!("{} (onderdeel van {name})", part.description),
            remaining_formula(shape.table, &report.values, rule),
        );
    }
    checker.remaining(
        line.place.clone(),
        stated_remaining.map(|s| &s.amount),
        values[last],
        name.to_string(),
        remaining_formula(shape.table, values, rule),
    );
}

/// Checks the table's stated totals (`Totaal`, `Totaal thema 1`, a line's `Totaal`) against
/// the computed ones. A remaining total below zero is its own finding only when no line
/// explains it.
fn check_stated_totals(
    shape: &TableShape,
    sections: &[SectionReport],
    table_totals: &[Money],
    checker: &mut Checker,
) {
    for total in &shape.table.stated_totals {
        let (computed, scope_name) = scope_totals(&total.scope, sections, table_totals);
        let Some(computed) = computed else {
            checker.findings.push(Finding::input_error(
                total.place.clone(),
                format!("{scope_name}: deze regel telt iets op dat in het blad niet voorkomt"),
            ));
            continue;
        };
        for stated in &total.values {
            compare_stated(checker, stated, computed, shape.rule.is_some(), || {
                format!("{scope_name}, {}", shape.subject(&stated.target))
            });
        }
    }
}

/// The computed figures a stated total's scope adds up (`None` when the table has no such
/// theme or line), with the scope's name for a message.
fn scope_totals<'r>(
    scope: &TotalScope,
    sections: &'r [SectionReport],
    table_totals: &'r [Money],
) -> (Option<&'r [Money]>, String) {
    match scope {
        TotalScope::Sheet => (Some(table_totals), "Totaal".to_string()),
        TotalScope::Theme { theme } => (
            sections
                .iter()
                .find(|s| s.theme == *theme)
                .map(|s| s.totals.as_slice()),
            format!("Totaal thema {theme}"),
        ),
        TotalScope::Line { theme, code } => (
            sections
                .iter()
                .find(|s| s.theme == *theme)
                .and_then(|s| {
                    s.lines
                        .iter()
                        .find(|l| l.code.trim().eq_ignore_ascii_case(code.trim()))
                })
                .map(|l| l.values.as_slice()),
            format!("Totaal van {theme}{code}"),
        ),
    }
}

fn compare_stated(
    checker: &mut Checker,
    stated: &Stated,
    computed: &[Money],
    has_remaining: bool,
    subject: impl FnOnce() -> String,
) {
    let index = match stated.target {
        StatedTarget::Column(i) => Some(i),
        StatedTarget::Remaining if has_remaining => computed.len().checked_sub(1),
        _ => None,
    };
    match index.and_then(|i| computed.get(i)) {
        Some(value) => checker.compare(&stated.amount, *value, subject),
        None => checker.findings.push(Finding::input_error(
            stated.amount.place.clone(),
            "dit vermelde bedrag hoort bij geen berekende kolom",
        )),
    }
}

/// The remaining in words, for a message: `totaal budget € 500.000,00 − uitgaven 2020 ...`.
fn remaining_formula(table: &BudgetTable, values: &[Money], rule: &RemainingRule) -> String {
    let term = |i: usize| {
        let label = table
            .columns
            .get(i)
            .map(|c| c.label.to_lowercase())
            .unwrap_or_default();
        format!(
            "{label} {}",
            values.get(i).copied().unwrap_or_default().to_dutch()
        )
    };
    let mut text = term(rule.budget);
    for &i in &rule.minus {
        text.push_str(&format!(" − {}", term(i)));
    }
    text
}

/// The alliantie table: each theme's awards per round and its remaining budget, then the
/// stated totals.
fn alliantie_report(werkplan: &Werkplan, checker: &mut Checker) -> AlliantieReport {
    let alliantie = &werkplan.alliantie;
    let theme_numbers = alliantie_theme_numbers(alliantie);
    let mut rounds: Vec<RoundReport> = alliantie
        .rounds
        .iter()
        .map(|r| RoundReport {
            number: r.number,
            label: r.label(),
            total: Money::ZERO,
            projects: 0,
        })
        .collect();
    let themes: Vec<AlliantieThemeReport> = theme_numbers
        .iter()
        .map(|&number| alliantie_theme_report(werkplan, number, &mut rounds, checker))
        .collect();
    warn_notes_without_theme(alliantie, &theme_numbers, checker);
    let budget: Money = themes.iter().map(|t| t.budget).sum();
    let awarded: Money = themes.iter().map(|t| t.awarded).sum();
    let report = AlliantieReport {
        projects: alliantie.awards.len(),
        rounds,
        themes,
        budget,
        awarded,
        remaining: budget - awarded,
        paid: None,
    };
    check_alliantie_totals(alliantie, &report, checker);
    report
}

/// The themes of the alliantie table: every theme with a budget or an award, in number order.
fn alliantie_theme_numbers(alliantie: &Alliantie) -> Vec<u32> {
    let mut numbers: Vec<u32> = alliantie
        .budgets
        .iter()
        .map(|b| b.theme)
        .chain(alliantie.awards.iter().map(|a| a.theme))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// One theme of the alliantie table: its awards, added into their rounds, and its remaining
/// budget checked (a theme with awards but no budget row is a finding).
fn alliantie_theme_report(
    werkplan: &Werkplan,
    number: u32,
    rounds: &mut [RoundReport],
    checker: &mut Checker,
) -> AlliantieThemeReport {
    let alliantie = &werkplan.alliantie;
    let heading = werkplan
        .theme(number)
        .map(Theme::heading)
        .unwrap_or_default();
    let awards: Vec<AwardReport> = alliantie
        .awards
        .iter()
        .filter(|a| a.theme == number)
        .map(|a| AwardReport {
            code: a.code.clone(),
            project: a.project.clone(),
            round: a.round,
            amount: a.amount.value,
            voorbehoud: a.voorbehoud.clone(),
            paid: None,
        })
        .collect();
    let mut per_round = vec![Money::ZERO; alliantie.rounds.len()];
    for award in &awards {
        if let Some(slot) = per_round.get_mut(award.round) {
            *slot += award.amount;
        }
        if let Some(round) = rounds.get_mut(award.round) {
            round.total += award.amount;
            round.projects += 1;
        }
    }
    let awarded: Money = per_round.iter().sum();
    let budget_row = alliantie.budgets.iter().find(|b| b.theme == number);
    let budget = budget_row.map(|b| b.budget.value).unwrap_or_default();
    let remaining = budget - awarded;
    match budget_row {
        Some(row) => checker.remaining(
            row.place.clone(),
            row.stated_remaining.as_ref(),
            remaining,
            format!("Alliantiebudget {heading}"),
            format!(
                "budget {} − toegekend {}",
                budget.to_dutch(),
                awarded.to_dutch()
            ),
        ),
        None => {
            let place = alliantie
                .awards
                .iter()
                .find(|a| a.theme == number)
                .map(|a| a.place.clone())
                .unwrap_or_else(|| alliantie.budget_place.clone());
            checker.findings.push(Finding::input_error(
                place,
                format!(
                    "thema {heading} heeft toekenningen maar geen regel in het blad Alliantiebudget"
                ),
            ));
        }
    }
    AlliantieThemeReport {
        theme: number,
        heading,
        budget,
        per_round,
        awarded,
        remaining,
        awards,
        notes: alliantie
            .notes
            .iter()
            .filter(|n| n.theme == number)
            .map(|n| n.text.clone())
            .collect(),
        paid: None,
    }
}

/// A warning for each note of a theme without alliantie budget: it is not printed.
fn warn_notes_without_theme(alliantie: &Alliantie, theme_numbers: &[u32], checker: &mut Checker) {
    for note in alliantie
        .notes
        .iter()
        .filter(|n| !theme_numbers.contains(&n.theme))
    {
        let mut place = alliantie.awards_place.clone();
        place.cell = note.place.cell.clone();
        let finding = Finding::warning(
            place,
            format!(
                "de tekst ‘{}’ hoort bij een thema zonder alliantiebudget en wordt niet afgedrukt",
                note.text
            ),
        );
        checker.findings.push(finding);
    }
}

/// Checks the alliantie table's stated totals (`Totaal`, a theme's `Totaal`) against the
/// computed ones.
fn check_alliantie_totals(alliantie: &Alliantie, report: &AlliantieReport, checker: &mut Checker) {
    for total in &alliantie.stated_totals {
        let theme = match &total.scope {
            TotalScope::Theme { theme } => report.themes.iter().find(|t| t.theme == *theme),
            _ => None,
        };
        let scope_name = match (&total.scope, theme) {
            (TotalScope::Theme { .. }, Some(t)) => format!("Totaal {}", t.heading),
            _ => "Totaal".to_string(),
        };
        if matches!(total.scope, TotalScope::Theme { .. }) && theme.is_none()
            || matches!(total.scope, TotalScope::Line { .. })
        {
            checker.findings.push(Finding::input_error(
                total.place.clone(),
                format!("{scope_name}: deze regel telt iets op dat in het blad niet voorkomt"),
            ));
            continue;
        }
        for stated in &total.values {
            match alliantie_figure(report, theme, &stated.target) {
                (Some(value), what) => {
                    checker.compare(&stated.amount, value, || format!("{scope_name}, {what}"))
                }
                (None, _) => checker.findings.push(Finding::input_error(
                    stated.amount.place.clone(),
                    "dit vermelde bedrag hoort bij geen berekend totaal",
                )),
            }
        }
    }
}

/// The computed figure a stated alliantie total names, in the total's scope (one theme, or
/// the whole table), with its name for a message; `None` for a column the alliantie table
/// does not have.
fn alliantie_figure(
    report: &AlliantieReport,
    theme: Option<&AlliantieThemeReport>,
    target: &StatedTarget,
) -> (Option<Money>, String) {
    let (budget, remaining, awarded) = match theme {
        Some(t) => (t.budget, t.remaining, t.awarded),
        None => (report.budget, report.remaining, report.awarded),
    };
    match target {
        StatedTarget::Budget => (Some(budget), "totaal budget".to_string()),
        StatedTarget::Remaining => (Some(remaining), "resterend budget".to_string()),
        StatedTarget::Awarded => (Some(awarded), "toegekend".to_string()),
        StatedTarget::Round(r) => (
            match theme {
                Some(t) => t.per_round.get(*r).copied(),
                None => report.rounds.get(*r).map(|round| round.total),
            },
            report
                .rounds
                .get(*r)
                .map(|r| r.label.clone())
                .unwrap_or_default(),
        ),
        StatedTarget::Column(_) => (None, String::new()),
    }
}

#[cfg(test)]
mod tests;
