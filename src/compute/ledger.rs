//! The monthly run in compute: the ledger's spending and the register's commitments laid over
//! the tables, after the typed figures were checked as the sheets state them.
//!
//! Only the sums up to the peildatum count ([`LedgerSums::up_to`]); what falls after it is
//! reported per instrument ([`LedgerSums::after`]). For every year the ledger covers, a
//! typed `Uitgaven JJJJ` becomes a stated value: compared per cell, the ledger's figure is
//! used. A covered year without a spending column gets one (`Uitgaven 2022 t/m 30 september
//! 2022`), and in `Reguliere middelen` what is left of that year's budget (`Restant budget
//! 2022`). The register replaces `Verplicht` the same way. The sheets' `Totaal` rows and
//! parent rows were checked against the typed figures before: they check the sheet's own
//! arithmetic, so one line that differs from the ledger is one finding, at its typed cell.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{
    AlliantieReport, Checker, Finding, LineReport, RemainingRule, Report, ReportColumn,
    ReportColumnKind, TableReport,
};
use crate::model::{
    Amount, BudgetTable, ColumnKind, Date, Instrument, LedgerSums, Line, LineRef, LineSums, Money,
    Werkplan,
};

/// Spending per month in the peildatum's year for one instrument: what the realisation
/// chart and the `Realisatie per maand` sheet show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Realisation {
    /// The instrument.
    pub instrument: Instrument,
    /// The year (the peildatum's).
    pub year: i32,
    /// The year's budget (`Budget JJJJ` of the table), where the table has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<Money>,
    /// Spending per month, January up to the peildatum's month.
    pub months: Vec<Money>,
    /// How many bookings made it.
    pub bookings: u64,
    /// Per line that has bookings in the year, in line order.
    pub lines: Vec<RealisationLine>,
}

impl Realisation {
    /// Spending up to and including each month.
    pub fn cumulative(&self) -> Vec<Money> {
        self.months
            .iter()
            .scan(Money::ZERO, |acc, m| {
                *acc += *m;
                Some(*acc)
            })
            .collect()
    }

    /// Spending in the year up to the peildatum.
    pub fn spent(&self) -> Money {
        self.months.iter().sum()
    }

    /// The spending as a whole percentage of the budget, rounded half away from zero;
    /// `None` without a budget above zero.
    pub fn share(&self) -> Option<i64> {
        let budget = self.budget.filter(|b| !b.is_zero() && !b.is_negative())?;
        let share = (self.spent().decimal() * rust_decimal::Decimal::ONE_HUNDRED
            / budget.decimal())
        .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        i64::try_from(share).ok()
    }
}

/// One line of a [`Realisation`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RealisationLine {
    /// The line as the sheet `Realisatie per maand` labels it (`1a Wonen`).
    pub label: String,
    /// Spending per month, as [`Realisation::months`].
    pub months: Vec<Money>,
}

/// The line a table row stands for, as the sums name it.
fn line_ref(instrument: Instrument, theme: u32, code: &str, part: Option<usize>) -> LineRef {
    LineRef {
        instrument,
        theme,
        code: code.to_string(),
        part,
    }
}

/// An amount and how many rows made it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Sum {
    amount: Money,
    rows: u64,
}

/// The kept sums by line, remembering which lines the tables asked for.
struct Index<'a> {
    lines: BTreeMap<&'a LineRef, &'a LineSums>,
    used: BTreeSet<&'a LineRef>,
}

impl<'a> Index<'a> {
    /// Indexes the sums by line.
    fn new(sums: &'a LedgerSums) -> Index<'a> {
        let lines = sums.lines.iter().map(|l| (&l.line, l)).collect();
        Index {
            lines,
            used: BTreeSet::new(),
        }
    }

    /// The sum of one line, in one year or (`None`) over all days.
    fn sum(&mut self, key: &LineRef, year: Option<i32>) -> Sum {
        let Some((&line_ref, &line)) = self.lines.get_key_value(key) else {
            return Sum::default();
        };
        self.used.insert(line_ref);
        line.days
            .iter()
            .filter(|d| year.is_none() || d.date.map(|date| date.year) == year)
            .fold(Sum::default(), |acc, d| Sum {
                amount: acc.amount + d.amount,
                rows: acc.rows + d.rows,
            })
    }

    /// An input finding for every line no table asked for: its sums would otherwise be
    /// silently dropped. `without` names the instruments whose table has no column for
    /// these sums (a commitment on a table without `Verplicht`).
    fn unused(&self, what: &str, without: &[Instrument]) -> Vec<Finding> {
        self.lines
            .iter()
            .filter(|(key, _)| !self.used.contains(*key))
            .map(|(_, line)| {
                let r = &line.line;
                let why = if without.contains(&r.instrument) {
                    ": die tabel heeft geen kolom Verplicht"
                } else {
                    ", een regel die de begrotingsbladen niet kennen"
                };
                let message = format!(
                    "{what} op {} {}{}{why}",
                    r.instrument.name(),
                    r.theme,
                    r.code
                );
                Finding::input_error(line.first.clone(), message)
            })
            .collect()
    }
}

/// What the overlay needs: the peildatum, the covered years and the two indexes.
struct Ctx<'a> {
    peildatum: Date,
    years: Vec<i32>,
    spent: Option<Index<'a>>,
    committed: Option<Index<'a>>,
}

/// Lays the ledger and the register over the report; without either, does nothing.
pub(super) fn apply(werkplan: &Werkplan, report: &mut Report, checker: &mut Checker) {
    let ledger = &werkplan.ledger;
    if ledger.is_empty() {
        return;
    }
    let peildatum = report.peildatum;
    let bookings = ledger.bookings.as_ref().map(|b| b.up_to(peildatum));
    let commitments = ledger.commitments.as_ref().map(|c| c.up_to(peildatum));
    report.left_out_commitments = ledger
        .commitments
        .as_ref()
        .map(|c| c.after(peildatum))
        .unwrap_or_default();
    report.left_out = ledger
        .bookings
        .as_ref()
        .map(|b| b.after(peildatum))
        .unwrap_or_default();
    let years: BTreeSet<i32> = bookings
        .iter()
        .flat_map(|b| &b.lines)
        .flat_map(|l| l.days.iter().filter_map(|d| d.date.map(|date| date.year)))
        .collect();
    let mut ctx = Ctx {
        peildatum,
        years: years.into_iter().collect(),
        spent: bookings.as_ref().map(Index::new),
        committed: commitments.as_ref().map(Index::new),
    };
    overlay_table(&mut ctx, &werkplan.regulier, &mut report.regulier, checker);
    overlay_table(
        &mut ctx,
        &werkplan.drenthe_breed,
        &mut report.drenthe_breed,
        checker,
    );
    overlay_alliantie(&mut ctx, werkplan, &mut report.alliantie, checker);
    if let Some(index) = &ctx.spent {
        checker.findings.extend(index.unused("boekingen", &[]));
    }
    if let Some(index) = &ctx.committed {
        let has_verplicht = |table: &BudgetTable| {
            table
                .columns
                .iter()
                .any(|c| c.kind == ColumnKind::Verplicht)
        };
        let mut without = vec![Instrument::Alliantieprojecten];
        for table in [&werkplan.regulier, &werkplan.drenthe_breed] {
            if !has_verplicht(table) {
                without.push(table.instrument);
            }
        }
        checker
            .findings
            .extend(index.unused("verplichtingen", &without));
    }
    if let Some(bookings) = &bookings {
        report.realisation = realisation(werkplan, report, bookings);
    }
}

/// How a table's columns change: which typed columns the ledger replaces, which it adds.
struct Plan {
    /// The sheet's columns.
    n_input: usize,
    /// Typed spending columns the ledger replaces, with their year.
    spending: Vec<(usize, i32)>,
    /// The typed `Verplicht` column the register replaces.
    verplicht: Option<usize>,
    /// Covered years without a spending column: new columns from `n_input` on.
    new_years: Vec<i32>,
    /// `Restant budget JJJJ` columns after those.
    restant: Vec<RemainingRule>,
    /// The remaining column, last, with the new spending columns subtracted too.
    remaining: Option<RemainingRule>,
    /// All columns.
    width: usize,
}

/// Plans a table's columns from the covered years, the register and its typed columns.
fn plan(ctx: &Ctx, table: &BudgetTable, report: &TableReport) -> Plan {
    let n_input = table.columns.len();
    let year_column = |kind: ColumnKind| table.columns.iter().position(|c| c.kind == kind);
    let spending = if ctx.spent.is_some() {
        ctx.years
            .iter()
            .filter_map(|&y| year_column(ColumnKind::Uitgaven(y)).map(|i| (i, y)))
            .collect()
    } else {
        Vec::new()
    };
    let new_years: Vec<i32> = ctx
        .years
        .iter()
        .copied()
        .filter(|&y| year_column(ColumnKind::Uitgaven(y)).is_none())
        .collect();
    let verplicht = ctx
        .committed
        .as_ref()
        .and_then(|_| year_column(ColumnKind::Verplicht));
    let mut next = n_input + new_years.len();
    let mut restant = Vec::new();
    if table.instrument == Instrument::ReguliereMiddelen {
        for (k, &y) in new_years.iter().enumerate() {
            if let Some(budget) = year_column(ColumnKind::Budget(y)) {
                restant.push(RemainingRule {
                    column: next,
                    budget,
                    minus: vec![n_input + k],
                });
                next += 1;
            }
        }
    }
    let remaining = report.remaining.as_ref().map(|old| RemainingRule {
        column: next,
        budget: old.budget,
        minus: old
            .minus
            .iter()
            .copied()
            .chain(n_input..n_input + new_years.len())
            .collect(),
    });
    let width = next + usize::from(remaining.is_some());
    Plan {
        n_input,
        spending,
        verplicht,
        new_years,
        restant,
        remaining,
        width,
    }
}

/// The new columns of a planned table, in order.
fn plan_columns(plan: &Plan, report: &TableReport, peildatum: Date) -> Vec<ReportColumn> {
    let mut columns: Vec<ReportColumn> =
        report.columns.iter().take(plan.n_input).cloned().collect();
    // a typed column of the peildatum's year now holds the spending up to the peildatum
    let year_end = peildatum.month == 12 && peildatum.day == 31;
    for &(i, y) in &plan.spending {
        if let Some(column) = columns
            .get_mut(i)
            .filter(|_| y == peildatum.year && !year_end)
        {
            column.label = format!("{} t/m {}", column.label, peildatum.to_dutch());
        }
    }
    for &y in &plan.new_years {
        let label = if y == peildatum.year {
            format!("Uitgaven {y} t/m {}", peildatum.to_dutch())
        } else {
            format!("Uitgaven {y}")
        };
        columns.push(ReportColumn {
            label,
            kind: ReportColumnKind::LedgerSpending(y),
        });
    }
    for rule in &plan.restant {
        let year = rule
            .minus
            .first()
            .and_then(|i| i.checked_sub(plan.n_input))
            .and_then(|k| plan.new_years.get(k).copied())
            .unwrap_or(peildatum.year);
        columns.push(ReportColumn {
            label: format!("Restant budget {year}"),
            kind: ReportColumnKind::RemainingBudget(year),
        });
    }
    if let Some(old) = report
        .columns
        .get(plan.n_input)
        .filter(|_| plan.remaining.is_some())
    {
        columns.push(old.clone());
    }
    columns
}

/// The figures of one row the sheet types (a part, or a line without parts): the typed
/// amounts with the ledger's figures in their place, then the new spending columns. Each
/// replaced typed cell is compared with the ledger's figure.
fn leaf_values(
    ctx: &mut Ctx,
    plan: &Plan,
    key: &LineRef,
    typed: &[Amount],
    name: &str,
    table: &BudgetTable,
    checker: &mut Checker,
) -> Vec<Money> {
    let mut values: Vec<Money> = typed.iter().map(|a| a.value).collect();
    values.resize(plan.n_input, Money::ZERO);
    if let Some(index) = ctx.spent.as_mut() {
        for &(i, year) in &plan.spending {
            let sum = index.sum(key, Some(year));
            if let Some(stated) = typed.get(i) {
                compare(
                    checker,
                    stated,
                    sum,
                    name,
                    &table.columns[i].label,
                    "boeking",
                );
            }
            values[i] = sum.amount;
        }
        for &year in &plan.new_years {
            values.push(index.sum(key, Some(year)).amount);
        }
    }
    if let (Some(i), Some(index)) = (plan.verplicht, ctx.committed.as_mut()) {
        let sum = index.sum(key, None);
        if let Some(stated) = typed.get(i) {
            compare(
                checker,
                stated,
                sum,
                name,
                &table.columns[i].label,
                "verplichting",
            );
        }
        values[i] = sum.amount;
    }
    values
}

/// Compares a typed figure with the ledger's: the finding names the typed cell and how
/// many rows made the computed figure.
fn compare(checker: &mut Checker, stated: &Amount, sum: Sum, name: &str, label: &str, row: &str) {
    let rows = if sum.rows == 1 {
        format!("1 {row}")
    } else {
        format!("{} {row}en", sum.rows)
    };
    checker.compare(stated, sum.amount, || {
        format!("{name}, {label} (berekend uit {rows})")
    });
}

/// Appends the year remainders and the remaining to a row's figures.
fn with_rules(plan: &Plan, mut values: Vec<Money>) -> Vec<Money> {
    for rule in &plan.restant {
        let r = rule.apply(&values);
        values.push(r);
    }
    if let Some(rule) = &plan.remaining {
        let r = rule.apply(&values);
        values.push(r);
    }
    values
}

/// Over-spending of a row: a year's budget (`Restant budget`) or the project's budget
/// (remaining) below zero. A remaining that the typed figures already made negative was
/// reported by the typed check; only a new one is reported here.
fn overspending(
    checker: &mut Checker,
    plan: &Plan,
    values: &[Money],
    old_remaining: Option<Money>,
    row: (&crate::model::Place, &[Amount]),
    name: &str,
    columns: &[ReportColumn],
) {
    let (place, typed) = row;
    let label = |i: usize| {
        columns
            .get(i)
            .map(|c| c.label.to_lowercase())
            .unwrap_or_default()
    };
    let how = |rule: &RemainingRule| {
        let value = |i: usize| values.get(i).copied().unwrap_or_default().to_dutch();
        let mut text = format!("{} {}", label(rule.budget), value(rule.budget));
        for &i in &rule.minus {
            text.push_str(&format!(" − {} {}", label(i), value(i)));
        }
        text
    };
    for rule in plan.restant.iter().chain(&plan.remaining) {
        let value = values.get(rule.column).copied().unwrap_or_default();
        let is_remaining = Some(rule) == plan.remaining.as_ref();
        if is_remaining && old_remaining == Some(value) {
            continue;
        }
        if checker.count(!value.is_negative()) {
            continue;
        }
        // a year's budget is over-spent at its typed budget cell; a project at its line
        let at = match typed.get(rule.budget) {
            Some(budget) if !is_remaining => budget.place.clone(),
            _ => place.clone(),
        };
        let message = format!(
            "{name} is overbesteed met {}: {} {} ({})",
            value.abs().to_dutch(),
            label(rule.column),
            value.to_dutch(),
            how(rule)
        );
        checker
            .findings
            .push(Finding::overspent(at, value, message));
    }
}

/// Lays the ledger and the register over one budget table: figures, new columns, rules,
/// totals, and the findings of every replaced typed cell and every over-spending.
fn overlay_table(
    ctx: &mut Ctx,
    table: &BudgetTable,
    report: &mut TableReport,
    checker: &mut Checker,
) {
    let plan = plan(ctx, table, report);
    let old_remaining_col = report.remaining.as_ref().map(|r| r.column);
    let columns = plan_columns(&plan, report, ctx.peildatum);
    let overlay = Overlay {
        plan: &plan,
        table,
        old_remaining_col,
        columns: &columns,
    };
    let mut table_totals = vec![Money::ZERO; plan.width];
    for (section, section_report) in table.sections.iter().zip(&mut report.sections) {
        let mut totals = vec![Money::ZERO; plan.width];
        for (line, line_report) in section.lines.iter().zip(&mut section_report.lines) {
            overlay_line(ctx, &overlay, section.theme, line, line_report, checker);
            for (t, v) in totals.iter_mut().zip(&line_report.values) {
                *t += *v;
            }
        }
        for (t, v) in table_totals.iter_mut().zip(&totals) {
            *t += *v;
        }
        section_report.totals = totals;
    }
    report.totals = table_totals;
    report.columns = columns;
    report.remaining = plan.remaining.clone();
    report.year_remaining = plan.restant.clone();
    report.from_ledger = plan
        .spending
        .iter()
        .map(|&(i, _)| i)
        .chain(plan.verplicht)
        .chain(plan.n_input..plan.n_input + plan.new_years.len())
        .collect();
    report.from_ledger.sort_unstable();
}

/// What laying the ledger over one table's rows needs.
struct Overlay<'a> {
    /// The table's new columns.
    plan: &'a Plan,
    /// The sheet.
    table: &'a BudgetTable,
    /// The remaining column before the overlay (the typed figures').
    old_remaining_col: Option<usize>,
    /// The new columns, for messages.
    columns: &'a [ReportColumn],
}

/// One line (and its parts): the ledger's figures, the new columns, over-spending.
fn overlay_line(
    ctx: &mut Ctx,
    overlay: &Overlay,
    theme: u32,
    line: &Line,
    report: &mut LineReport,
    checker: &mut Checker,
) {
    let Overlay {
        plan,
        table,
        old_remaining_col,
        columns,
    } = *overlay;
    let name = super::line_name(theme, line);
    let instrument = table.instrument;
    // the rules applied to a row's values, its over-spending reported
    let apply_rules_and_check = |checker: &mut Checker, values, old: &[Money], row, name: &str| {
        let values = with_rules(plan, values);
        let old_remaining = old_remaining_col.and_then(|i| old.get(i).copied());
        overspending(checker, plan, &values, old_remaining, row, name, columns);
        values
    };
    if line.parts.is_empty() {
        let key = line_ref(instrument, theme, &line.code, None);
        let values = leaf_values(ctx, plan, &key, &line.amounts, &name, table, checker);
        let row = (&line.place, line.amounts.as_slice());
        report.values = apply_rules_and_check(checker, values, &report.values, row, &name);
    } else {
        let mut sums = vec![Money::ZERO; plan.n_input + plan.new_years.len()];
        for (p, (part, part_report)) in line.parts.iter().zip(&mut report.parts).enumerate() {
            let key = line_ref(instrument, theme, &line.code, Some(p));
            let part_name = format!("{} (onderdeel van {name})", part.description);
            let values = leaf_values(ctx, plan, &key, &part.amounts, &part_name, table, checker);
            for (s, v) in sums.iter_mut().zip(&values) {
                *s += *v;
            }
            let row = (&part.place, part.amounts.as_slice());
            part_report.values =
                apply_rules_and_check(checker, values, &part_report.values, row, &part_name);
            part_report.marked.resize(plan.width, false);
        }
        let row = (&line.place, line.amounts.as_slice());
        report.values = apply_rules_and_check(checker, sums, &report.values, row, &name);
    }
    report.marked.resize(plan.width, false);
}

/// Alliantie projects: bookings on an award are its payments; paying more than was awarded
/// is a finding at the award's amount.
fn overlay_alliantie(
    ctx: &mut Ctx,
    werkplan: &Werkplan,
    report: &mut AlliantieReport,
    checker: &mut Checker,
) {
    let Some(index) = ctx.spent.as_mut() else {
        return;
    };
    let mut total = Money::ZERO;
    for theme in &mut report.themes {
        let mut paid_theme = Money::ZERO;
        for award in &mut theme.awards {
            let key = line_ref(
                Instrument::Alliantieprojecten,
                theme.theme,
                &award.code,
                None,
            );
            let paid = index.sum(&key, None).amount;
            paid_theme += paid;
            award.paid = Some(paid);
            let open = award.amount - paid;
            if checker.count(!open.is_negative()) {
                continue;
            }
            let place = werkplan
                .alliantie
                .awards
                .iter()
                .find(|a| a.theme == theme.theme && a.code == award.code)
                .map(|a| a.amount.place.clone())
                .unwrap_or_else(|| werkplan.alliantie.awards_place.clone());
            let message = format!(
                "{} ({}{}) is overbetaald met {}: toegekend {} − betaald {}",
                award.project,
                theme.theme,
                award.code,
                open.abs().to_dutch(),
                award.amount.to_dutch(),
                paid.to_dutch()
            );
            checker
                .findings
                .push(Finding::overspent(place, open, message));
        }
        theme.paid = Some(paid_theme);
        total += paid_theme;
    }
    report.paid = Some(total);
}

/// The realisation per instrument in the peildatum's year: every instrument with bookings
/// in that year or a budget for it.
fn realisation(werkplan: &Werkplan, report: &Report, bookings: &LedgerSums) -> Vec<Realisation> {
    let year = report.peildatum.year;
    let n_months = report.peildatum.month as usize;
    let budget_of = |table: &TableReport| {
        table
            .column(&ReportColumnKind::Input(ColumnKind::Budget(year)))
            .and_then(|i| table.totals.get(i).copied())
    };
    let instruments = [
        (Instrument::ReguliereMiddelen, budget_of(&report.regulier)),
        (
            Instrument::DrentheBredeProjecten,
            budget_of(&report.drenthe_breed),
        ),
        (Instrument::Alliantieprojecten, None),
    ];
    let labels = line_labels(werkplan);
    let mut out = Vec::new();
    for (instrument, budget) in instruments {
        let mut months = vec![Money::ZERO; n_months];
        let mut rows = 0;
        let mut lines = Vec::new();
        for line in bookings
            .lines
            .iter()
            .filter(|l| l.line.instrument == instrument)
        {
            let mut per_month = vec![Money::ZERO; n_months];
            let mut any = false;
            for sum in line.months().iter().filter(|m| m.year == Some(year)) {
                let slot = sum.month.and_then(|m| per_month.get_mut(m as usize - 1));
                if let Some(slot) = slot {
                    *slot += sum.amount;
                    rows += sum.rows;
                    any = true;
                }
            }
            if any {
                for (m, v) in months.iter_mut().zip(&per_month) {
                    *m += *v;
                }
                lines.push(RealisationLine {
                    label: labels
                        .get(&line.line)
                        .cloned()
                        .unwrap_or_else(|| format!("{}{}", line.line.theme, line.line.code)),
                    months: per_month,
                });
            }
        }
        if rows > 0 || budget.is_some() {
            out.push(Realisation {
                instrument,
                year,
                budget,
                months,
                bookings: rows,
                lines,
            });
        }
    }
    out
}

/// The labels of every line, part and award for the realisation sheet, by line: `1a
/// Description`, a part's `1c Part`, an award's `1a Project`. Built once, so a werkplan with
/// many lines stays linear.
fn line_labels(werkplan: &Werkplan) -> BTreeMap<LineRef, String> {
    let mut labels = BTreeMap::new();
    for table in [&werkplan.regulier, &werkplan.drenthe_breed] {
        for section in &table.sections {
            for line in &section.lines {
                let key = |part| line_ref(table.instrument, section.theme, &line.code, part);
                let prefix = format!("{}{}", section.theme, line.code);
                labels.insert(key(None), format!("{prefix} {}", line.description));
                for (p, part) in line.parts.iter().enumerate() {
                    labels.insert(key(Some(p)), format!("{prefix} {}", part.description));
                }
            }
        }
    }
    for award in &werkplan.alliantie.awards {
        let key = line_ref(
            Instrument::Alliantieprojecten,
            award.theme,
            &award.code,
            None,
        );
        labels.insert(
            key,
            format!("{}{} {}", award.theme, award.code, award.project),
        );
    }
    labels
}
