//! The actualisatie: what changed against an earlier report (the basis), line by line.
//!
//! [`Changes`] is what the comparison finds; the renderers print it (publication: the
//! section `Wijzigingen ten opzichte van ...`, the XLSX sheet `Wijzigingen`, the web page;
//! the control report: the findings that are new and those that are gone; the JSON:
//! `changes`). The comparison itself lives beside it; the rules of line identity are in the
//! README.

use serde::Serialize;

use super::{ReportColumnKind, TableReport};
use crate::compute::Report;
use crate::model::{
    Basis, BudgetTable, ColumnKind, Date, Finding, Instrument, Money, Place, Werkplan,
};

/// Everything that changed against the basis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// The basis's werkplan year (may differ from this report's: the next werkplan against
    /// the last one).
    pub basis_year: i32,
    /// The basis's peildatum.
    pub basis_peildatum: Date,
    /// Per instrument, in report order (all three, also those without changes).
    pub instruments: Vec<InstrumentChanges>,
    /// Findings of this run that the basis did not have (control report only).
    pub new_findings: Vec<Finding>,
    /// Findings of the basis that this run no longer has (control report only).
    pub gone_findings: Vec<Finding>,
}

/// The changes within one instrument and their effect on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InstrumentChanges {
    /// Which instrument.
    pub instrument: Instrument,
    /// Every change of a line, project or award, in table order (themes, then codes).
    pub changes: Vec<Change>,
    /// The instrument's total budget before and after.
    pub budget: ValueChange,
    /// The instrument's remaining budget before and after (`Nog te besteden`, the alliantie's
    /// `Resterend budget`); `None` for an instrument without one (Reguliere middelen).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining: Option<ValueChange>,
    /// Spending up to each peildatum, when both reports have spending up to a peildatum
    /// (monthly runs): the difference is what was spent since the basis's peildatum.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spent: Option<ValueChange>,
}

/// One changed line, project or award.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What happened to it.
    pub kind: ChangeKind,
    /// The theme number it has now (for a removed line or withdrawn award: had).
    pub theme: u32,
    /// Its code now (removed: then): `a`, `6a`.
    pub code: String,
    /// Its description or project name now (removed: then).
    pub description: String,
    /// The figures that differ, each with before and after. An added line lists its
    /// figures with no `before`, a removed one with no `after`.
    pub values: Vec<ValueChange>,
}

/// What happened to a line, project or award.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "soort", rename_all = "kebab-case")]
pub enum ChangeKind {
    /// The same line (instrument, theme, code and description) with other figures.
    Changed,
    /// A line that the basis did not have.
    Added,
    /// A line that is gone.
    Removed,
    /// The same instrument, theme and code under another description.
    Renamed {
        /// The description in the basis.
        from: String,
    },
    /// The same description under another theme or code.
    Moved {
        /// The theme in the basis.
        from_theme: u32,
        /// The code in the basis.
        from_code: String,
    },
    /// An alliantie award that the basis did not have (a new round included).
    AwardAdded {
        /// The round's label (`4e ronde`).
        round: String,
    },
    /// An alliantie award that is gone.
    AwardWithdrawn {
        /// The round's label in the basis.
        round: String,
    },
}

/// One figure before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ValueChange {
    /// The column or figure (`Budget 2022`, `Totaal budget`, `3e ronde`,
    /// `Nog te besteden ’22 en ’23`).
    pub label: String,
    /// The value in the basis; `None` when it had none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Money>,
    /// The value now; `None` when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Money>,
    /// The source cell of the new value, when it was read (not computed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
}

impl ValueChange {
    /// After minus before, a missing value counting as zero.
    pub fn difference(&self) -> Money {
        self.after.unwrap_or_default() - self.before.unwrap_or_default()
    }
}

impl InstrumentChanges {
    /// Whether the changes within the instrument are a shift of budget from one line to
    /// another: some lines' budget figures (those under the instrument's budget label, such as
    /// `Totaal budget` or `Budget 2022`) changed, and their differences add up to nothing.
    /// `false` without such figures: awards added or withdrawn change what is left of the
    /// alliantie's budget, not the budget itself, and are no shift.
    pub fn budget_neutral(&self) -> bool {
        let mut shifted = self
            .changes
            .iter()
            .flat_map(|c| &c.values)
            .filter(|v| v.label == self.budget.label)
            .peekable();
        if shifted.peek().is_none() {
            return false;
        }
        let sum = shifted.fold(Money::ZERO, |sum, v| sum + v.difference());
        sum == Money::ZERO && self.budget.difference() == Money::ZERO
    }
}

/// How many changes of each kind, for the ten-second summary
/// (`3 regels gewijzigd, 2 toegevoegd, 1 toekenning ingetrokken; totaal budget +25.000`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ChangeCounts {
    /// Lines with other figures.
    pub changed: usize,
    /// Lines added.
    pub added: usize,
    /// Lines removed.
    pub removed: usize,
    /// Lines renamed.
    pub renamed: usize,
    /// Lines moved.
    pub moved: usize,
    /// Awards added.
    pub awards_added: usize,
    /// Awards withdrawn.
    pub awards_withdrawn: usize,
}

impl Changes {
    /// The counts of each kind over all instruments.
    pub fn counts(&self) -> ChangeCounts {
        let mut counts = ChangeCounts::default();
        for change in self.instruments.iter().flat_map(|i| &i.changes) {
            let slot = match change.kind {
                ChangeKind::Changed => &mut counts.changed,
                ChangeKind::Added => &mut counts.added,
                ChangeKind::Removed => &mut counts.removed,
                ChangeKind::Renamed { .. } => &mut counts.renamed,
                ChangeKind::Moved { .. } => &mut counts.moved,
                ChangeKind::AwardAdded { .. } => &mut counts.awards_added,
                ChangeKind::AwardWithdrawn { .. } => &mut counts.awards_withdrawn,
            };
            *slot += 1;
        }
        counts
    }

    /// Whether nothing changed: no line, project or award, and no total.
    pub fn is_empty(&self) -> bool {
        self.instruments.iter().all(|i| {
            i.changes.is_empty()
                && i.budget.difference() == Money::ZERO
                && i.remaining
                    .as_ref()
                    .is_none_or(|r| r.difference() == Money::ZERO)
        })
    }

    /// The total budget over all instruments, before and after.
    pub fn total_budget(&self) -> ValueChange {
        let sum = |f: fn(&ValueChange) -> Option<Money>| -> Option<Money> {
            self.instruments
                .iter()
                .map(|i| f(&i.budget))
                .reduce(|a, b| Some(a.unwrap_or_default() + b.unwrap_or_default()))
                .flatten()
        };
        ValueChange {
            label: "Totaal budget".to_string(),
            before: sum(|v| v.before),
            after: sum(|v| v.after),
            place: None,
        }
    }
}

/// Compares this run with its basis: every change of a line, project or award per
/// instrument, the instruments' budgets and remaining budgets before and after, spending
/// since the basis's peildatum (when both have a ledger), and the findings new and gone.
///
/// The basis's figures are recomputed from its model with the same rules as this run's
/// ([`super::report_for`]). Lines are identified by instrument, theme and code, with the
/// description as the fallback that recognises renames and moves (README, "Which line is
/// which"):
/// 1. the same theme, code and description is the same line (`Changed` when a budget
///    column differs, else no change);
/// 2. of the rest, the same description under another theme or code is the line `Moved`;
/// 3. of the rest, the same theme and code under another description is the line `Renamed`;
/// 4. what is left is `Added` (this run) or `Removed` (the basis); for awards
///    `AwardAdded` and `AwardWithdrawn`.
///
/// Compared per line: the budget columns (`Budget JJJJ`, `Totaal budget`), by what they
/// hold, not their header; a line with parts by the sums of its parts. Per award: the amount
/// per round (another round shows as the old round's amount gone and the new one's come).
/// Per alliantie theme: its budget.
///
/// # Examples
/// ```no_run
/// # fn f(basis: &werkplan::model::Basis, loaded: &werkplan::app::Loaded) {
/// let changes = werkplan::compute::changes::compare(basis, &loaded.werkplan, &loaded.report);
/// println!("{} regels gewijzigd", changes.counts().changed);
/// # }
/// ```
pub fn compare(basis: &Basis, werkplan: &Werkplan, report: &Report) -> Changes {
    let before = super::report_for(&basis.werkplan, basis.peildatum);
    let (old, new) = (&basis.werkplan, werkplan);
    let spent = |instrument: Instrument| -> Option<ValueChange> {
        let now = new.ledger.bookings.as_ref()?.up_to(report.peildatum);
        let after: Money = now
            .lines
            .iter()
            .filter(|l| l.line.instrument == instrument)
            .flat_map(|l| &l.days)
            .map(|d| d.amount)
            .sum();
        Some(ValueChange {
            label: format!("Uitgaven tot en met {}", report.peildatum.to_dutch()),
            before: Some(basis.spent_on(instrument)?),
            after: Some(after),
            place: None,
        })
    };
    let mut instruments = vec![
        compare_table(
            (&old.regulier, &before.regulier),
            (&new.regulier, &report.regulier),
            (before.year, report.year),
        ),
        compare_table(
            (&old.drenthe_breed, &before.drenthe_breed),
            (&new.drenthe_breed, &report.drenthe_breed),
            (before.year, report.year),
        ),
        compare_alliantie(old, &before, new, report),
    ];
    for changes in &mut instruments {
        changes.spent = spent(changes.instrument);
    }
    Changes {
        basis_year: basis.year,
        basis_peildatum: basis.peildatum,
        instruments,
        new_findings: findings_not_in(&report.findings, &basis.findings),
        gone_findings: findings_not_in(&basis.findings, &report.findings),
    }
}

/// The findings of `findings` that `others` do not have, each finding of `others` matching
/// at most one. A finding is the same when its kind, file, sheet and message are: not its cell,
/// which moves when rows are inserted above it (the message names the line or total).
fn findings_not_in(findings: &[Finding], others: &[Finding]) -> Vec<Finding> {
    let same = |a: &Finding, b: &Finding| {
        a.kind == b.kind
            && a.place.file == b.place.file
            && a.place.sheet == b.place.sheet
            && a.message == b.message
    };
    let mut used = vec![false; others.len()];
    findings
        .iter()
        .filter(|finding| {
            let found = (0..others.len()).find(|&i| !used[i] && same(finding, &others[i]));
            if let Some(i) = found {
                used[i] = true;
            }
            found.is_none()
        })
        .cloned()
        .collect()
}

/// A line, project, award or alliantie theme as the comparison sees it.
struct Item {
    theme: u32,
    code: String,
    description: String,
    /// The figures compared, each under a key that identifies it across reports.
    figures: Vec<Figure>,
    /// An award's round label.
    round: Option<String>,
}

/// One compared figure of an item.
struct Figure {
    key: String,
    label: String,
    value: Money,
    place: Option<Place>,
}

/// How an item of the basis and one of this run belong together.
enum Pairing {
    Same(usize, usize),
    Moved(usize, usize),
    Renamed(usize, usize),
    Added(usize),
    Removed(usize),
}

/// Whether an item of the basis and one of this run are the same by one rule.
type Rule = fn(&Item, &Item) -> bool;

/// What a rule makes of the pair it finds.
type Pairs = fn(usize, usize) -> Pairing;

/// Pairs the items by the rules of [`compare`], in that order.
fn pair(old: &[Item], new: &[Item]) -> Vec<Pairing> {
    let mut old_used = vec![false; old.len()];
    let mut new_used = vec![false; new.len()];
    let mut pairs = Vec::new();
    let rules: [(Rule, Pairs); 3] = [
        (
            |a, b| a.theme == b.theme && a.code == b.code && a.description == b.description,
            Pairing::Same,
        ),
        (|a, b| a.description == b.description, Pairing::Moved),
        (
            |a, b| a.theme == b.theme && a.code == b.code,
            Pairing::Renamed,
        ),
    ];
    for (matches, pairing) in rules {
        for (j, item) in new.iter().enumerate() {
            if new_used[j] {
                continue;
            }
            let found = old
                .iter()
                .enumerate()
                .position(|(i, o)| !old_used[i] && matches(o, item));
            if let Some(i) = found {
                old_used[i] = true;
                new_used[j] = true;
                pairs.push(pairing(i, j));
            }
        }
    }
    pairs.extend((0..new.len()).filter(|&j| !new_used[j]).map(Pairing::Added));
    pairs.extend(
        (0..old.len())
            .filter(|&i| !old_used[i])
            .map(Pairing::Removed),
    );
    pairs
}

/// The changes of paired items, in table order (theme, then code; a removed item at the
/// place it had).
fn item_changes(old: &[Item], new: &[Item], award: bool) -> Vec<Change> {
    let mut changes: Vec<Change> = pair(old, new)
        .into_iter()
        .filter_map(|pairing| match pairing {
            Pairing::Same(i, j) => {
                let values = differences(&old[i], &new[j]);
                (!values.is_empty()).then(|| change(ChangeKind::Changed, &new[j], values))
            }
            Pairing::Moved(i, j) => Some(change(
                ChangeKind::Moved {
                    from_theme: old[i].theme,
                    from_code: old[i].code.clone(),
                },
                &new[j],
                differences(&old[i], &new[j]),
            )),
            Pairing::Renamed(i, j) => Some(change(
                ChangeKind::Renamed {
                    from: old[i].description.clone(),
                },
                &new[j],
                differences(&old[i], &new[j]),
            )),
            Pairing::Added(j) => {
                let kind = match (&new[j].round, award) {
                    (Some(round), true) => ChangeKind::AwardAdded {
                        round: round.clone(),
                    },
                    _ => ChangeKind::Added,
                };
                let values = new[j].figures.iter().map(came).collect();
                Some(change(kind, &new[j], values))
            }
            Pairing::Removed(i) => {
                let kind = match (&old[i].round, award) {
                    (Some(round), true) => ChangeKind::AwardWithdrawn {
                        round: round.clone(),
                    },
                    _ => ChangeKind::Removed,
                };
                let values = old[i].figures.iter().map(went).collect();
                Some(change(kind, &old[i], values))
            }
        })
        .collect();
    changes.sort_by(|a, b| (a.theme, a.code.len(), &a.code).cmp(&(b.theme, b.code.len(), &b.code)));
    changes
}

fn change(kind: ChangeKind, item: &Item, values: Vec<ValueChange>) -> Change {
    Change {
        kind,
        theme: item.theme,
        code: item.code.clone(),
        description: item.description.clone(),
        values,
    }
}

fn came(figure: &Figure) -> ValueChange {
    ValueChange {
        label: figure.label.clone(),
        before: None,
        after: Some(figure.value),
        place: figure.place.clone(),
    }
}

fn went(figure: &Figure) -> ValueChange {
    ValueChange {
        label: figure.label.clone(),
        before: Some(figure.value),
        after: None,
        place: None,
    }
}

/// The figures that differ between two paired items, in this run's order, then those only
/// the basis had.
fn differences(old: &Item, new: &Item) -> Vec<ValueChange> {
    let mut values: Vec<ValueChange> = new
        .figures
        .iter()
        .filter_map(|f| match old.figures.iter().find(|o| o.key == f.key) {
            Some(o) if o.value == f.value => None,
            Some(o) => Some(ValueChange {
                before: Some(o.value),
                ..came(f)
            }),
            None => Some(came(f)),
        })
        .collect();
    values.extend(
        old.figures
            .iter()
            .filter(|o| !new.figures.iter().any(|f| f.key == o.key))
            .map(went),
    );
    values
}

/// Whether a report column is a budget column (`Budget JJJJ`, `Totaal budget`).
fn is_budget(kind: &ReportColumnKind) -> bool {
    matches!(
        kind,
        ReportColumnKind::Input(ColumnKind::Budget(_) | ColumnKind::TotaalBudget)
    )
}

/// The lines of a budget table as items: their budget columns, from the computed table (a
/// line with parts: the sums), each with its cell when it was read.
fn table_items(table: &BudgetTable, computed: &TableReport) -> Vec<Item> {
    let mut items = Vec::new();
    for (section, section_report) in table.sections.iter().zip(&computed.sections) {
        for (line, line_report) in section.lines.iter().zip(&section_report.lines) {
            let figures = computed
                .columns
                .iter()
                .enumerate()
                .filter(|(_, c)| is_budget(&c.kind))
                .map(|(i, c)| Figure {
                    key: format!("{:?}", c.kind),
                    label: c.label.clone(),
                    value: line_report.values.get(i).copied().unwrap_or_default(),
                    place: line
                        .parts
                        .is_empty()
                        .then(|| line.amounts.get(i).map(|a| a.place.clone()))
                        .flatten(),
                })
                .collect();
            items.push(Item {
                theme: section.theme,
                code: line.code.clone(),
                description: line.description.clone(),
                figures,
                round: None,
            });
        }
    }
    items
}

/// A table's total budget: its `Totaal budget`, else the budget of the werkplan's year (else
/// its first budget column).
fn table_budget(computed: &TableReport, year: i32) -> Option<(String, Money)> {
    let column = computed
        .column(&ReportColumnKind::Input(ColumnKind::TotaalBudget))
        .or_else(|| computed.column(&ReportColumnKind::Input(ColumnKind::Budget(year))))
        .or_else(|| computed.columns.iter().position(|c| is_budget(&c.kind)))?;
    Some((
        computed.columns[column].label.clone(),
        computed.totals.get(column).copied().unwrap_or_default(),
    ))
}

/// A table's remaining budget (`Nog te besteden`), when it has one.
fn table_remaining(computed: &TableReport) -> Option<(String, Money)> {
    let rule = computed.remaining.as_ref()?;
    Some((
        computed.columns.get(rule.column)?.label.clone(),
        computed
            .totals
            .get(rule.column)
            .copied()
            .unwrap_or_default(),
    ))
}

/// Before and after of a figure that either side may lack; `None` when neither has it.
fn both(before: Option<(String, Money)>, after: Option<(String, Money)>) -> Option<ValueChange> {
    let label = after.as_ref().or(before.as_ref())?.0.clone();
    Some(ValueChange {
        label,
        before: before.map(|b| b.1),
        after: after.map(|a| a.1),
        place: None,
    })
}

/// The changes within a budget table.
fn compare_table(
    (old, old_report): (&BudgetTable, &TableReport),
    (new, new_report): (&BudgetTable, &TableReport),
    (old_year, new_year): (i32, i32),
) -> InstrumentChanges {
    let budget = both(
        table_budget(old_report, old_year),
        table_budget(new_report, new_year),
    )
    .unwrap_or_else(|| ValueChange {
        label: "Totaal budget".to_string(),
        before: None,
        after: None,
        place: None,
    });
    InstrumentChanges {
        instrument: new.instrument,
        changes: item_changes(
            &table_items(old, old_report),
            &table_items(new, new_report),
            false,
        ),
        budget,
        remaining: both(table_remaining(old_report), table_remaining(new_report)),
        spent: None,
    }
}

/// The alliantie's awards and theme budgets as items.
fn alliantie_items(werkplan: &Werkplan) -> (Vec<Item>, Vec<Item>) {
    let alliantie = &werkplan.alliantie;
    let awards = alliantie
        .awards
        .iter()
        .map(|award| {
            let round = alliantie
                .rounds
                .get(award.round)
                .map(|r| r.label())
                .unwrap_or_default();
            Item {
                theme: award.theme,
                code: award.code.clone(),
                description: award.project.clone(),
                figures: vec![Figure {
                    key: round.clone(),
                    label: round.clone(),
                    value: award.amount.value,
                    place: Some(award.amount.place.clone()),
                }],
                round: Some(round),
            }
        })
        .collect();
    let budgets = alliantie
        .budgets
        .iter()
        .map(|b| Item {
            theme: b.theme,
            code: String::new(),
            description: werkplan
                .theme(b.theme)
                .map(|t| t.heading())
                .unwrap_or_else(|| b.theme.to_string()),
            figures: vec![Figure {
                key: "budget".to_string(),
                label: "Totaal budget".to_string(),
                value: b.budget.value,
                place: Some(b.budget.place.clone()),
            }],
            round: None,
        })
        .collect();
    (awards, budgets)
}

/// The changes within the alliantie: its theme budgets (code empty, the theme as the
/// description) and its awards.
fn compare_alliantie(
    old: &Werkplan,
    old_report: &Report,
    new: &Werkplan,
    new_report: &Report,
) -> InstrumentChanges {
    let (old_awards, old_budgets) = alliantie_items(old);
    let (new_awards, new_budgets) = alliantie_items(new);
    // a theme budget is identified by its theme only: rule 1 or 3 pairs it
    let mut changes = item_changes(&old_budgets, &new_budgets, false);
    changes.extend(item_changes(&old_awards, &new_awards, true));
    changes.sort_by_key(|c| (c.theme, c.code.len(), c.code.clone()));
    let value = |label: &str, before: Money, after: Money| ValueChange {
        label: label.to_string(),
        before: Some(before),
        after: Some(after),
        place: None,
    };
    InstrumentChanges {
        instrument: Instrument::Alliantieprojecten,
        changes,
        budget: value(
            "Totaal budget",
            old_report.alliantie.budget,
            new_report.alliantie.budget,
        ),
        remaining: Some(value(
            "Resterend budget",
            old_report.alliantie.remaining,
            new_report.alliantie.remaining,
        )),
        spent: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(before: Option<i64>, after: Option<i64>) -> ValueChange {
        ValueChange {
            label: "Budget 2022".to_string(),
            before: before.map(Money::from_cents),
            after: after.map(Money::from_cents),
            place: None,
        }
    }

    fn change(kind: ChangeKind, before: i64, after: i64) -> Change {
        Change {
            kind,
            theme: 1,
            code: "a".to_string(),
            description: "Burgerparticipatie".to_string(),
            values: vec![value(Some(before), Some(after))],
        }
    }

    #[test]
    fn a_shift_between_lines_is_budget_neutral() {
        let shift = InstrumentChanges {
            instrument: Instrument::DrentheBredeProjecten,
            changes: vec![
                change(ChangeKind::Changed, 5_000_000, 0),
                change(ChangeKind::Added, 0, 5_000_000),
            ],
            budget: value(Some(316_000_000), Some(316_000_000)),
            remaining: None,
            spent: None,
        };
        assert!(shift.budget_neutral());
        let raise = InstrumentChanges {
            budget: value(Some(316_000_000), Some(318_500_000)),
            ..shift.clone()
        };
        assert!(!raise.budget_neutral());
        assert_eq!(raise.budget.difference(), Money::from_cents(2_500_000));
        let mut awards = InstrumentChanges {
            instrument: Instrument::Alliantieprojecten,
            ..shift.clone()
        };
        for change in &mut awards.changes {
            change.values[0].label = "3e ronde".to_string();
        }
        // awards withdrawn and added leave the budget as it was, but shift nothing
        assert!(!awards.budget_neutral());
        let none = InstrumentChanges {
            changes: Vec::new(),
            ..shift
        };
        assert!(!none.budget_neutral());
    }

    #[test]
    fn counts_and_totals_over_instruments() {
        let changes = Changes {
            basis_year: 2022,
            basis_peildatum: Date {
                year: 2021,
                month: 12,
                day: 31,
            },
            instruments: vec![
                InstrumentChanges {
                    instrument: Instrument::ReguliereMiddelen,
                    changes: vec![change(ChangeKind::Changed, 1_000_000, 3_500_000)],
                    budget: value(Some(100), Some(2_500_100)),
                    remaining: None,
                    spent: None,
                },
                InstrumentChanges {
                    instrument: Instrument::Alliantieprojecten,
                    changes: vec![change(
                        ChangeKind::AwardWithdrawn {
                            round: "2e ronde".to_string(),
                        },
                        1_600_000,
                        0,
                    )],
                    budget: value(Some(375_000_000), Some(375_000_000)),
                    remaining: Some(value(Some(1), Some(1_600_001))),
                    spent: None,
                },
            ],
            new_findings: Vec::new(),
            gone_findings: Vec::new(),
        };
        let counts = changes.counts();
        assert_eq!((counts.changed, counts.awards_withdrawn), (1, 1));
        assert_eq!(
            changes.total_budget().difference(),
            Money::from_cents(2_500_000)
        );
        assert!(!changes.is_empty());
    }
}

/// The comparison's rules, each on a hand-built pair of models.
#[cfg(test)]
mod compare_tests {
    use super::*;
    use crate::model::{
        Alliantie, Amount, Award, Column, DaySum, Ledger, LedgerSums, Line, LineRef, LineSpent,
        LineSums, Round, Section, Theme,
    };

    const FILE: &str = "werkplan.xlsx";

    fn peil(month: u32) -> Date {
        Date::new(2022, month, 1).unwrap()
    }

    fn euros(amount: i64) -> Money {
        Money::from_cents(amount * 100)
    }

    fn amount(value: i64, sheet: &str, row: u32, col: u32) -> Amount {
        Amount {
            value: euros(value),
            place: Place::cell(FILE, sheet, row, col),
            footnote_marker: false,
        }
    }

    /// A line as `(theme, code, description, amounts per column)`.
    type L<'a> = (u32, &'a str, &'a str, &'a [i64]);

    fn table(instrument: Instrument, columns: &[(ColumnKind, &str)], lines: &[L]) -> BudgetTable {
        let sheet = instrument.name();
        let mut sections: Vec<Section> = Vec::new();
        for (row, &(theme, code, description, values)) in lines.iter().enumerate() {
            let row = row as u32 + 1;
            let line = Line {
                code: code.to_string(),
                description: description.to_string(),
                amounts: (0..columns.len())
                    .map(|c| amount(values[c], sheet, row, 3 + c as u32))
                    .collect(),
                parts: Vec::new(),
                stated: Vec::new(),
                footnote: None,
                place: Place::cell(FILE, sheet, row, 2),
            };
            match sections.iter_mut().find(|s| s.theme == theme) {
                Some(section) => section.lines.push(line),
                None => sections.push(Section {
                    theme,
                    lines: vec![line],
                    notes: Vec::new(),
                }),
            }
        }
        sections.sort_by_key(|s| s.theme);
        BudgetTable {
            instrument,
            place: Place::sheet(FILE, sheet),
            columns: columns
                .iter()
                .enumerate()
                .map(|(c, (kind, label))| Column {
                    kind: kind.clone(),
                    label: label.to_string(),
                    place: Place::cell(FILE, sheet, 0, 3 + c as u32),
                })
                .collect(),
            remaining_label: None,
            sections,
            stated_totals: Vec::new(),
        }
    }

    /// A model: Reguliere middelen (Budget 2022, Budget 2023), Drenthe-brede projecten
    /// (Totaal budget, Uitgaven 2021), alliantie awards `(theme, code, project, round, amount)`
    /// on a budget of 100.000 for themes 1 and 2.
    fn model(regulier: &[L], projecten: &[L], awards: &[(u32, &str, &str, u32, i64)]) -> Werkplan {
        let mut rounds: Vec<u32> = awards.iter().map(|a| a.3).collect();
        rounds.sort_unstable();
        rounds.dedup();
        let alliantie = "Alliantieprojecten";
        Werkplan {
            year: 2022,
            themes: (0..3)
                .map(|number| Theme {
                    number,
                    name: format!("Thema {number}"),
                    place: Place::sheet(FILE, "Thema's"),
                })
                .collect(),
            regulier: table(
                Instrument::ReguliereMiddelen,
                &[
                    (ColumnKind::Budget(2022), "Budget 2022"),
                    (ColumnKind::Budget(2023), "Budget 2023"),
                ],
                regulier,
            ),
            drenthe_breed: table(
                Instrument::DrentheBredeProjecten,
                &[
                    (ColumnKind::TotaalBudget, "Totaal budget"),
                    (ColumnKind::Uitgaven(2021), "Uitgaven 2021"),
                ],
                projecten,
            ),
            alliantie: Alliantie {
                budget_place: Place::sheet(FILE, "Alliantiebudget"),
                awards_place: Place::sheet(FILE, alliantie),
                budgets: (1..3)
                    .map(|theme| crate::model::AlliantieBudget {
                        theme,
                        budget: amount(100_000, "Alliantiebudget", theme, 1),
                        stated_remaining: None,
                        place: Place::cell(FILE, "Alliantiebudget", theme, 0),
                    })
                    .collect(),
                rounds: rounds.iter().map(|&number| Round { number }).collect(),
                awards: awards
                    .iter()
                    .enumerate()
                    .map(|(row, &(theme, code, project, round, value))| Award {
                        theme,
                        code: code.to_string(),
                        project: project.to_string(),
                        round: rounds.iter().position(|&r| r == round).unwrap(),
                        amount: amount(value, alliantie, row as u32 + 1, 4),
                        voorbehoud: None,
                        place: Place::cell(FILE, alliantie, row as u32 + 1, 2),
                    })
                    .collect(),
                stated_totals: Vec::new(),
                notes: Vec::new(),
            },
            sources: Vec::new(),
            ledger: Ledger::default(),
        }
    }

    fn basis(werkplan: &Werkplan) -> Basis {
        let report = crate::compute::report_for(werkplan, peil(1));
        Basis {
            file: "financien-werkplan-2022.json".to_string(),
            werkplan_version: "0.1.0".to_string(),
            year: werkplan.year,
            peildatum: peil(1),
            werkplan: werkplan.clone(),
            findings: report.findings,
            spent: None,
        }
    }

    fn changes_of(old: &Werkplan, new: &Werkplan) -> Changes {
        compare(&basis(old), new, &crate::compute::report_for(new, peil(1)))
    }

    fn of(changes: &Changes, instrument: Instrument) -> &InstrumentChanges {
        changes
            .instruments
            .iter()
            .find(|i| i.instrument == instrument)
            .unwrap()
    }

    fn kinds(changes: &InstrumentChanges) -> Vec<(ChangeKind, String)> {
        changes
            .changes
            .iter()
            .map(|c| {
                (
                    c.kind.clone(),
                    format!("{}{} {}", c.theme, c.code, c.description),
                )
            })
            .collect()
    }

    const REGULIER: &[L] = &[
        (1, "a", "Adviescommissie", &[10_000, 10_000]),
        (1, "b", "Subsidies", &[40_000, 20_000]),
        (2, "a", "Convenant dementie", &[5_000, 5_000]),
    ];
    const PROJECTEN: &[L] = &[
        (1, "a", "Burgerparticipatie", &[550_000, 39_000]),
        (2, "a", "Podium Platteland", &[110_000, 0]),
    ];
    const AWARDS: &[(u32, &str, &str, u32, i64)] = &[
        (1, "a", "Kwiekstee", 1, 20_000),
        (1, "b", "Drenthe Deelt", 2, 16_000),
    ];

    #[test]
    fn a_basis_equal_to_the_input_gives_no_changes() {
        let werkplan = model(REGULIER, PROJECTEN, AWARDS);
        let changes = changes_of(&werkplan, &werkplan);
        assert!(changes.is_empty(), "{changes:#?}");
        assert_eq!(changes.counts(), ChangeCounts::default());
        assert!(changes.instruments.iter().all(|i| !i.budget_neutral()));
        assert_eq!(changes.instruments.len(), 3);
    }

    #[test]
    fn a_changed_budget_column_shows_only_that_column_with_its_cell() {
        let old = model(REGULIER, PROJECTEN, AWARDS);
        let new = model(
            &[
                REGULIER[0],
                (1, "b", "Subsidies", &[40_000, 45_000]),
                REGULIER[2],
            ],
            PROJECTEN,
            AWARDS,
        );
        let changes = changes_of(&old, &new);
        let regulier = of(&changes, Instrument::ReguliereMiddelen);
        assert_eq!(
            kinds(regulier),
            [(ChangeKind::Changed, "1b Subsidies".into())]
        );
        let value = &regulier.changes[0].values;
        assert_eq!(value.len(), 1);
        assert_eq!(
            (value[0].label.as_str(), value[0].before, value[0].after),
            ("Budget 2023", Some(euros(20_000)), Some(euros(45_000)))
        );
        assert_eq!(
            value[0].place.as_ref().unwrap().to_string(),
            "werkplan.xlsx › Reguliere middelen › E3"
        );
        // the total budget is the werkplan year's: Budget 2022 did not change
        assert_eq!(regulier.budget.label, "Budget 2022");
        assert_eq!(regulier.budget.difference(), Money::ZERO);
        assert!(
            of(&changes, Instrument::DrentheBredeProjecten)
                .changes
                .is_empty()
        );
    }

    #[test]
    fn a_spending_column_is_not_a_budget_change() {
        let old = model(REGULIER, PROJECTEN, AWARDS);
        let new = model(
            REGULIER,
            &[
                (1, "a", "Burgerparticipatie", &[550_000, 45_000]),
                PROJECTEN[1],
            ],
            AWARDS,
        );
        let changes = changes_of(&old, &new);
        let projecten = of(&changes, Instrument::DrentheBredeProjecten);
        assert!(projecten.changes.is_empty());
        // but the remaining budget moves
        let remaining = projecten.remaining.as_ref().unwrap();
        assert_eq!(remaining.difference(), euros(-6_000));
        assert!(!changes.is_empty());
    }

    #[test]
    fn a_shift_to_a_new_line_is_added_and_budget_neutral() {
        let old = model(REGULIER, PROJECTEN, AWARDS);
        let new = model(
            REGULIER,
            &[
                (1, "a", "Burgerparticipatie", &[500_000, 39_000]),
                (1, "b", "Taal op de werkvloer", &[50_000, 0]),
                PROJECTEN[1],
            ],
            AWARDS,
        );
        let changes = changes_of(&old, &new);
        let projecten = of(&changes, Instrument::DrentheBredeProjecten);
        assert_eq!(
            kinds(projecten),
            [
                (ChangeKind::Changed, "1a Burgerparticipatie".into()),
                (ChangeKind::Added, "1b Taal op de werkvloer".into()),
            ]
        );
        let added = &projecten.changes[1].values[0];
        assert_eq!((added.before, added.after), (None, Some(euros(50_000))));
        assert!(projecten.budget_neutral());
        assert_eq!(changes.counts().added, 1);
    }

    #[test]
    fn a_removed_line_keeps_its_amounts_and_place_in_the_table() {
        let old = model(REGULIER, PROJECTEN, AWARDS);
        let new = model(&[REGULIER[0], REGULIER[2]], PROJECTEN, AWARDS);
        let changes = changes_of(&old, &new);
        let regulier = of(&changes, Instrument::ReguliereMiddelen);
        assert_eq!(
            kinds(regulier),
            [(ChangeKind::Removed, "1b Subsidies".into())]
        );
        let values: Vec<_> = regulier.changes[0]
            .values
            .iter()
            .map(|v| (v.before, v.after, v.place.is_none()))
            .collect();
        assert_eq!(
            values,
            [
                (Some(euros(40_000)), None, true),
                (Some(euros(20_000)), None, true)
            ]
        );
        assert_eq!(regulier.budget.difference(), euros(-40_000));
    }

    #[test]
    fn the_same_code_with_another_description_is_renamed() {
        let old = model(REGULIER, PROJECTEN, AWARDS);
        let new = model(
            &[
                REGULIER[0],
                (1, "b", "Subsidies sociaal domein", &[40_000, 25_000]),
                REGULIER[2],
            ],
            PROJECTEN,
            AWARDS,
        );
        let changes = changes_of(&old, &new);
        let regulier = of(&changes, Instrument::ReguliereMiddelen);
        assert_eq!(
            kinds(regulier),
            [(
                ChangeKind::Renamed {
                    from: "Subsidies".into()
                },
                "1b Subsidies sociaal domein".into()
            )]
        );
        // with the figures that changed too
        assert_eq!(regulier.changes[0].values.len(), 1);
        assert_eq!(changes.counts().renamed, 1);
    }

    #[test]
    fn the_same_description_under_another_theme_or_code_is_moved() {
        let old = model(REGULIER, PROJECTEN, AWARDS);
        // a new 1a pushes the others down a letter; Convenant dementie moves to theme 1
        let new = model(
            &[
                (1, "a", "Nieuwe regel", &[1_000, 0]),
                (1, "b", "Adviescommissie", &[10_000, 10_000]),
                (1, "c", "Subsidies", &[40_000, 20_000]),
                (1, "d", "Convenant dementie", &[5_000, 5_000]),
            ],
            PROJECTEN,
            AWARDS,
        );
        let changes = changes_of(&old, &new);
        let regulier = of(&changes, Instrument::ReguliereMiddelen);
        let moved = |theme, code: &str| ChangeKind::Moved {
            from_theme: theme,
            from_code: code.into(),
        };
        assert_eq!(
            kinds(regulier),
            [
                (ChangeKind::Added, "1a Nieuwe regel".into()),
                (moved(1, "a"), "1b Adviescommissie".into()),
                (moved(1, "b"), "1c Subsidies".into()),
                (moved(2, "a"), "1d Convenant dementie".into()),
            ]
        );
        assert!(regulier.changes[1..].iter().all(|c| c.values.is_empty()));
        assert_eq!(regulier.budget.difference(), euros(1_000));
    }

    #[test]
    fn awards_added_in_a_new_round_and_withdrawn() {
        let old = model(REGULIER, PROJECTEN, AWARDS);
        let new = model(
            REGULIER,
            PROJECTEN,
            &[
                AWARDS[0],
                (2, "a", "Samen wonen", 4, 60_000),
                (1, "c", "Opzetten zorgketen", 4, 15_000),
            ],
        );
        let changes = changes_of(&old, &new);
        let alliantie = of(&changes, Instrument::Alliantieprojecten);
        let added = ChangeKind::AwardAdded {
            round: "4e ronde".into(),
        };
        assert_eq!(
            kinds(alliantie),
            [
                (
                    ChangeKind::AwardWithdrawn {
                        round: "2e ronde".into()
                    },
                    "1b Drenthe Deelt".into()
                ),
                (added.clone(), "1c Opzetten zorgketen".into()),
                (added, "2a Samen wonen".into()),
            ]
        );
        assert_eq!(alliantie.budget.difference(), Money::ZERO);
        // the awards changed what is left of the budget, not the budget: no shift
        assert!(!alliantie.budget_neutral());
        let remaining = alliantie.remaining.as_ref().unwrap();
        assert_eq!(
            (remaining.label.as_str(), remaining.difference()),
            ("Resterend budget", euros(16_000 - 75_000))
        );
        let counts = changes.counts();
        assert_eq!((counts.awards_added, counts.awards_withdrawn), (2, 1));
    }

    #[test]
    fn an_award_in_another_round_shows_both_rounds() {
        let old = model(REGULIER, PROJECTEN, AWARDS);
        let new = model(
            REGULIER,
            PROJECTEN,
            &[AWARDS[0], (1, "b", "Drenthe Deelt", 3, 16_000)],
        );
        let changes = changes_of(&old, &new);
        let alliantie = of(&changes, Instrument::Alliantieprojecten);
        assert_eq!(
            kinds(alliantie),
            [(ChangeKind::Changed, "1b Drenthe Deelt".into())]
        );
        let values: Vec<_> = alliantie.changes[0]
            .values
            .iter()
            .map(|v| (v.label.as_str(), v.before, v.after))
            .collect();
        assert_eq!(
            values,
            [
                ("3e ronde", None, Some(euros(16_000))),
                ("2e ronde", Some(euros(16_000)), None)
            ]
        );
    }

    #[test]
    fn findings_new_and_gone_by_kind_file_sheet_and_message_not_cell() {
        let werkplan = model(REGULIER, PROJECTEN, AWARDS);
        let mut basis = basis(&werkplan);
        let finding = |cell: u32, subject: &str| {
            Finding::mismatch(
                Place::cell(FILE, "Reguliere middelen", cell, 5),
                euros(1),
                euros(2),
                subject,
            )
        };
        basis.findings = vec![
            finding(30, "Totaal, Budget 2022"),
            finding(8, "Totaal van 0c"),
        ];
        let mut report = crate::compute::report_for(&werkplan, peil(1));
        // the total moved a row down (a line inserted above it): the same finding
        report.findings = vec![
            finding(31, "Totaal, Budget 2022"),
            finding(9, "Totaal, Budget 2023"),
        ];
        let changes = compare(&basis, &werkplan, &report);
        assert_eq!(changes.new_findings, [finding(9, "Totaal, Budget 2023")]);
        assert_eq!(changes.gone_findings, [finding(8, "Totaal van 0c")]);
    }

    #[test]
    fn spending_since_the_basis_peildatum_when_both_have_a_ledger() {
        let line = LineRef {
            instrument: Instrument::ReguliereMiddelen,
            theme: 1,
            code: "a".into(),
            part: None,
        };
        let mut basis = basis(&model(REGULIER, PROJECTEN, AWARDS));
        let mut new = model(REGULIER, PROJECTEN, AWARDS);
        let report = crate::compute::report_for(&new, peil(6));
        // without a ledger in the basis: nothing to say
        let changes = compare(&basis, &new, &report);
        assert!(changes.instruments.iter().all(|i| i.spent.is_none()));

        basis.spent = Some(vec![LineSpent {
            line: line.clone(),
            amount: euros(1_500),
        }]);
        let day = |month, amount| DaySum {
            date: Some(Date::new(2022, month, 15).unwrap()),
            amount: euros(amount),
            rows: 1,
        };
        new.ledger.bookings = Some(LedgerSums {
            lines: vec![LineSums {
                line,
                // the day after the peildatum does not count
                days: vec![day(1, 1_500), day(3, 2_000), day(7, 9_999)],
                first: Place::file("Boekingen.csv"),
            }],
            sources: Vec::new(),
        });
        let report = crate::compute::report_for(&new, Date::new(2022, 6, 30).unwrap());
        let changes = compare(&basis, &new, &report);
        let spent = of(&changes, Instrument::ReguliereMiddelen)
            .spent
            .clone()
            .unwrap();
        assert_eq!(
            (spent.before, spent.after, spent.difference()),
            (Some(euros(1_500)), Some(euros(3_500)), euros(2_000))
        );
        assert_eq!(spent.label, "Uitgaven tot en met 30 juni 2022");
        assert_eq!(
            of(&changes, Instrument::DrentheBredeProjecten)
                .spent
                .as_ref()
                .map(|s| s.after),
            Some(Some(Money::ZERO))
        );
    }

    #[test]
    fn a_basis_of_another_year_compares_the_budget_of_each_year() {
        let mut old = model(REGULIER, PROJECTEN, AWARDS);
        old.year = 2021;
        let new = model(REGULIER, PROJECTEN, AWARDS);
        let mut basis = basis(&old);
        basis.year = 2021;
        let changes = compare(&basis, &new, &crate::compute::report_for(&new, peil(1)));
        assert_eq!(changes.basis_year, 2021);
        // 2021's werkplan budget is its first budget column (Budget 2022 here: no 2021)
        let regulier = of(&changes, Instrument::ReguliereMiddelen);
        assert_eq!(regulier.budget.difference(), Money::ZERO);
        assert!(regulier.changes.is_empty());
    }
}
