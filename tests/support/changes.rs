//! Hand-built [`Changes`] on the computed 2022 report, for the renderers' tests until the
//! comparison lands: every figure is taken from the loaded model and report, the changes
//! are the acceptance's typical actualisatie (a budget moved to a new Drenthe-brede line, a
//! Reguliere middelen budget raised, an award withdrawn and one added in a fourth round, a
//! line renamed), and each changed figure that was read carries its source cell.

use werkplan::app::Loaded;
use werkplan::compute::changes::{Change, ChangeKind, Changes, InstrumentChanges, ValueChange};
use werkplan::model::{BudgetTable, ColumnKind, Date, Instrument, Money};

/// What the Reguliere middelen budget is raised by.
pub const RAISE: i64 = 2_500_000;
/// What moves from a Drenthe-brede line to a new one.
pub const SHIFT: i64 = 5_000_000;
/// The new Drenthe-brede line.
pub const NEW_LINE: &str = "Nieuwe verbinding in de wijk";
/// The new alliantie project of the fourth round.
pub const NEW_PROJECT: &str = "Samen sterk in Zuidwest-Drenthe";
/// The renamed line's new name, after its old one.
pub const RENAMED_SUFFIX: &str = " (nieuwe naam)";

/// The basis's peildatum: half a year before the 2022 report's.
pub fn basis_peildatum() -> Date {
    Date {
        year: 2021,
        month: 6,
        day: 30,
    }
}

fn value(label: &str, before: Option<Money>, after: Option<Money>) -> ValueChange {
    ValueChange {
        label: label.to_string(),
        before,
        after,
        place: None,
    }
}

/// The index of the first column of `kind`'s sort in the model table and its label.
fn column(table: &BudgetTable, wanted: fn(&ColumnKind) -> bool) -> usize {
    table
        .columns
        .iter()
        .position(|c| wanted(&c.kind))
        .expect("the table has the column")
}

/// The report total of a model column, found by its label.
fn total(loaded: &Loaded, instrument: Instrument, label: &str) -> Money {
    let table = match instrument {
        Instrument::ReguliereMiddelen => &loaded.report.regulier,
        _ => &loaded.report.drenthe_breed,
    };
    let i = table
        .columns
        .iter()
        .position(|c| c.label == label)
        .expect("the report has the column");
    table.totals[i]
}

/// The typical actualisatie on the 2022 report.
pub fn sample(loaded: &Loaded) -> Changes {
    let w = &loaded.werkplan;
    // Reguliere middelen: the first plain line's first budget raised
    let regulier = &w.regulier;
    let budget = column(regulier, |k| matches!(k, ColumnKind::Budget(_)));
    let label = regulier.columns[budget].label.clone();
    let (theme, line) = regulier
        .sections
        .iter()
        .flat_map(|s| s.lines.iter().map(move |l| (s.theme, l)))
        .find(|(_, l)| l.parts.is_empty() && l.amounts.len() > budget)
        .expect("a plain line");
    let amount = &line.amounts[budget];
    let raised = ValueChange {
        place: Some(amount.place.clone()),
        ..value(
            &label,
            Some(amount.value),
            Some(amount.value + Money::from_cents(RAISE)),
        )
    };
    let regulier_total = total(loaded, Instrument::ReguliereMiddelen, &label);
    let regulier = InstrumentChanges {
        instrument: Instrument::ReguliereMiddelen,
        changes: vec![Change {
            kind: ChangeKind::Changed,
            theme,
            code: line.code.clone(),
            description: line.description.clone(),
            values: vec![raised],
        }],
        budget: value(
            &label,
            Some(regulier_total),
            Some(regulier_total + Money::from_cents(RAISE)),
        ),
        remaining: None,
        spent: None,
    };

    // Drenthe-brede projecten: a budget moved to a new line, another line renamed
    let breed = &w.drenthe_breed;
    let budget = column(breed, |k| matches!(k, ColumnKind::TotaalBudget));
    let label = breed.columns[budget].label.clone();
    let mut plain = breed
        .sections
        .iter()
        .flat_map(|s| s.lines.iter().map(move |l| (s.theme, l)))
        .filter(|(_, l)| l.parts.is_empty() && l.amounts.len() > budget);
    let (theme, line) = plain.next().expect("a plain line");
    let (renamed_theme, renamed) = plain.next().expect("a second plain line");
    let amount = &line.amounts[budget];
    let breed_total = total(loaded, Instrument::DrentheBredeProjecten, &label);
    let shift = Money::from_cents(SHIFT);
    let breed = InstrumentChanges {
        instrument: Instrument::DrentheBredeProjecten,
        changes: vec![
            Change {
                kind: ChangeKind::Changed,
                theme,
                code: line.code.clone(),
                description: line.description.clone(),
                values: vec![ValueChange {
                    place: Some(amount.place.clone()),
                    ..value(&label, Some(amount.value), Some(amount.value - shift))
                }],
            },
            Change {
                kind: ChangeKind::Added,
                theme,
                code: "z".to_string(),
                description: NEW_LINE.to_string(),
                values: vec![value(&label, None, Some(shift))],
            },
            Change {
                kind: ChangeKind::Renamed {
                    from: renamed.description.clone(),
                },
                theme: renamed_theme,
                code: renamed.code.clone(),
                description: format!("{}{RENAMED_SUFFIX}", renamed.description),
                values: Vec::new(),
            },
        ],
        budget: value(&label, Some(breed_total), Some(breed_total)),
        remaining: None,
        spent: None,
    };

    // Alliantieprojecten: the first award withdrawn, half of it awarded in a fourth round
    let alliantie = &loaded.report.alliantie;
    let (theme, reported) = alliantie
        .themes
        .iter()
        .flat_map(|t| t.awards.iter().map(move |a| (t.theme, a)))
        .next()
        .expect("an award");
    let award = w
        .alliantie
        .awards
        .iter()
        .find(|a| a.code == reported.code && a.project == reported.project)
        .expect("the award in the model");
    let round = alliantie.rounds[reported.round].label.clone();
    let half = Money::from_decimal(reported.amount.decimal() / rust_decimal::Decimal::from(2))
        .expect("half an award");
    let remaining_after = alliantie.remaining + reported.amount - half;
    let alliantie = InstrumentChanges {
        instrument: Instrument::Alliantieprojecten,
        changes: vec![
            Change {
                kind: ChangeKind::AwardWithdrawn {
                    round: round.clone(),
                },
                theme,
                code: reported.code.clone(),
                description: reported.project.clone(),
                values: vec![value(&round, Some(reported.amount), None)],
            },
            Change {
                kind: ChangeKind::AwardAdded {
                    round: "4e ronde".to_string(),
                },
                theme,
                code: format!("{theme}z"),
                description: NEW_PROJECT.to_string(),
                values: vec![ValueChange {
                    place: Some(award.place.clone()),
                    ..value("4e ronde", None, Some(half))
                }],
            },
        ],
        budget: value(
            "Totaal budget",
            Some(alliantie.budget),
            Some(alliantie.budget),
        ),
        remaining: Some(value(
            "Resterend budget",
            Some(alliantie.remaining),
            Some(remaining_after),
        )),
        spent: None,
    };
    let findings = &loaded.report.findings;
    Changes {
        basis_year: loaded.report.year,
        basis_peildatum: basis_peildatum(),
        instruments: vec![regulier, breed, alliantie],
        new_findings: findings.iter().take(1).cloned().collect(),
        gone_findings: findings.iter().skip(1).take(1).cloned().collect(),
    }
}

/// A basis equal to the input: every instrument without changes, its totals as they are.
pub fn nothing(loaded: &Loaded) -> Changes {
    let mut changes = sample(loaded);
    for instrument in &mut changes.instruments {
        instrument.changes.clear();
        instrument.budget.before = instrument.budget.after;
        if let Some(remaining) = &mut instrument.remaining {
            remaining.after = remaining.before;
        }
    }
    // the figures of the sample's remaining were those before; equal now
    changes.new_findings.clear();
    changes.gone_findings.clear();
    changes
}

/// The 2022 workbook loaded, with `changes` set on its report and the appendix rebuilt.
pub fn with_changes(make: fn(&Loaded) -> Changes) -> Loaded {
    let mut loaded = werkplan::app::load(std::path::Path::new("input"), None, None)
        .unwrap_or_else(|e| panic!("2022 laden: {e:?}"));
    loaded.report.changes = Some(make(&loaded));
    loaded.appendix = werkplan::render::Appendix::build(&loaded.report, &loaded.texts)
        .unwrap_or_else(|e| panic!("{e}"));
    loaded
}
