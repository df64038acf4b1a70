//! The actualisatie: what changed against an earlier report (the basis), line by line.
//!
//! [`Changes`] is what the comparison finds; the renderers print it (publication: the
//! section `Wijzigingen ten opzichte van ...`, the XLSX sheet `Wijzigingen`, the web page;
//! the control report: the findings that are new and those that are gone; the JSON:
//! `changes`). The comparison itself lives beside it; the rules of line identity are in the
//! README.

use serde::Serialize;

use crate::model::{Date, Finding, Instrument, Money, Place};

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
    /// The instrument's remaining budget before and after (`Nog te besteden`, the alliance's
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
    /// An alliance award that the basis did not have (a new round included).
    AwardAdded {
        /// The round's label (`4e ronde`).
        round: String,
    },
    /// An alliance award that is gone.
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
    /// Whether the changes within the instrument leave its total budget as it was: a shift
    /// from one line to another. `false` without changes.
    pub fn budget_neutral(&self) -> bool {
        !self.changes.is_empty() && self.budget.difference() == Money::ZERO
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
