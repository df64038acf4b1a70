//! Unit tests of compute on small hand-made models.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::*;
use crate::model::{Alliance, AllianceBudget, Award, Column, Part, Round, Section, StatedTotal};

fn m(text: &str) -> Money {
    Money::from_decimal(Decimal::from_str(text).unwrap()).unwrap()
}

fn at(cell: &str) -> Place {
    Place {
        file: "w.xlsx".into(),
        sheet: "Blad".into(),
        cell: cell.into(),
    }
}

fn amount(value: &str, cell: &str) -> Amount {
    Amount {
        value: m(value),
        place: at(cell),
        footnote_marker: false,
    }
}

fn line(code: &str, values: &[&str], row: u32) -> Line {
    Line {
        code: code.into(),
        description: format!("regel {code}"),
        amounts: values
            .iter()
            .enumerate()
            .map(|(i, v)| amount(v, &crate::model::a1(row, 3 + i as u32)))
            .collect(),
        parts: Vec::new(),
        stated: Vec::new(),
        footnote: None,
        place: at(&format!("C{}", row + 1)),
    }
}

fn werkplan(regulier: BudgetTable, drenthe_breed: BudgetTable, alliantie: Alliance) -> Werkplan {
    Werkplan {
        year: 2022,
        themes: vec![
            Theme {
                number: 0,
                name: "Algemeen".into(),
                place: at("B2"),
            },
            Theme {
                number: 1,
                name: "Wonen".into(),
                place: at("B3"),
            },
        ],
        regulier,
        drenthe_breed,
        alliantie,
        sources: Vec::new(),
        ledger: Default::default(),
    }
}

fn column(kind: ColumnKind, label: &str) -> Column {
    Column {
        kind,
        label: label.into(),
        place: at("A1"),
    }
}

fn empty_alliance() -> Alliance {
    Alliance {
        budget_place: at(""),
        awards_place: at(""),
        budgets: Vec::new(),
        rounds: Vec::new(),
        awards: Vec::new(),
        stated_totals: Vec::new(),
        notes: Vec::new(),
    }
}

fn table(
    instrument: Instrument,
    columns: Vec<Column>,
    sections: Vec<Section>,
    stated_totals: Vec<StatedTotal>,
) -> BudgetTable {
    BudgetTable {
        instrument,
        place: at(""),
        columns,
        remaining_label: None,
        sections,
        stated_totals,
    }
}

fn date() -> Date {
    Date {
        year: 2021,
        month: 12,
        day: 31,
    }
}

#[test]
fn parts_sum_into_their_line_and_a_stated_total_is_checked() {
    let mut parent = line("c", &["0", "0"], 4);
    parent.parts = vec![
        Part {
            description: "een".into(),
            amounts: vec![amount("1.10", "D6"), amount("2", "E6")],
            stated: Vec::new(),
            footnote: None,
            place: at("C6"),
        },
        Part {
            description: "twee".into(),
            amounts: vec![amount("3", "D7"), amount("4", "E7")],
            stated: Vec::new(),
            footnote: None,
            place: at("C7"),
        },
    ];
    parent.stated = vec![Stated {
        target: StatedTarget::Column(1),
        amount: amount("7", "E5"),
    }];
    let regulier = table(
        Instrument::ReguliereMiddelen,
        vec![
            column(ColumnKind::Uitgaven(2021), "Uitgaven 2021"),
            column(ColumnKind::Budget(2022), "Budget 2022"),
        ],
        vec![Section {
            theme: 0,
            lines: vec![line("a", &["10", "20"], 3), parent],
            notes: Vec::new(),
        }],
        vec![StatedTotal {
            scope: TotalScope::Sheet,
            values: vec![
                Stated {
                    target: StatedTarget::Column(0),
                    amount: amount("14.10", "D9"),
                },
                Stated {
                    target: StatedTarget::Column(1),
                    amount: amount("25", "E9"),
                },
            ],
            place: at("C9"),
        }],
    );
    let drenthe = table(
        Instrument::DrentheBredeProjecten,
        vec![column(ColumnKind::TotaalBudget, "Totaal budget")],
        Vec::new(),
        Vec::new(),
    );
    let report = compute(&werkplan(regulier, drenthe, empty_alliance()), date());
    let r = &report.regulier;
    assert_eq!(r.sections[0].lines[1].values, vec![m("4.10"), m("6")]);
    assert_eq!(r.totals, vec![m("14.10"), m("26")]);
    // parent stated 7 but parts sum to 6; total stated 25 but lines sum to 26
    let texts: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(
        texts[0]
            .starts_with("w.xlsx › Blad › E5: vermeld € 7,00, berekend € 6,00 (verschil € -1,00)"),
        "{}",
        texts[0]
    );
    assert!(
        texts[1]
            .starts_with("w.xlsx › Blad › E9: vermeld € 25,00, berekend € 26,00 (verschil € 1,00)"),
        "{}",
        texts[1]
    );
    assert_eq!(
        report.checks,
        Checks {
            total: 3,
            passed: 1
        }
    );
}

#[test]
fn remaining_is_budget_minus_spending_minus_committed() {
    let columns = vec![
        column(ColumnKind::TotaalBudget, "Totaal budget"),
        column(ColumnKind::Uitgaven(2020), "Uitgaven 2020"),
        column(ColumnKind::Uitgaven(2021), "Uitgaven 2021"),
        column(ColumnKind::Verplicht, "Verplicht"),
    ];
    let mut over = line("b", &["100", "50", "30", "25"], 4);
    over.stated = vec![Stated {
        target: StatedTarget::Remaining,
        amount: amount("0", "H5"),
    }];
    let mut fine = line("a", &["100", "10", "20", "30"], 3);
    fine.stated = vec![Stated {
        target: StatedTarget::Remaining,
        amount: amount("40", "H4"),
    }];
    let drenthe = table(
        Instrument::DrentheBredeProjecten,
        columns,
        vec![Section {
            theme: 1,
            lines: vec![fine, over],
            notes: Vec::new(),
        }],
        Vec::new(),
    );
    let regulier = table(
        Instrument::ReguliereMiddelen,
        vec![column(ColumnKind::Budget(2022), "Budget 2022")],
        Vec::new(),
        Vec::new(),
    );
    let report = compute(&werkplan(regulier, drenthe, empty_alliance()), date());
    let d = &report.drenthe_breed;
    assert_eq!(d.columns.last().unwrap().kind, ReportColumnKind::Remaining);
    assert_eq!(d.sections[0].lines[0].values[4], m("40"));
    assert_eq!(d.sections[0].lines[1].values[4], m("-5"));
    assert_eq!(d.totals[4], m("35"));
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    let f = &report.findings[0];
    assert_eq!(f.kind, FindingKind::Overbesteed);
    assert_eq!(f.place.cell, "H5");
    assert_eq!(
        (f.stated, f.computed, f.difference),
        (Some(m("0")), Some(m("-5")), Some(m("-5")))
    );
    assert!(
        f.message.contains("overbesteed met € 5,00"),
        "{}",
        f.message
    );
    assert_eq!(
        report.checks,
        Checks {
            total: 2,
            passed: 1
        }
    );
}

#[test]
fn alliance_awards_per_round_and_remaining_per_theme() {
    let alliance = Alliance {
        budget_place: at(""),
        awards_place: at(""),
        budgets: vec![AllianceBudget {
            theme: 1,
            budget: amount("100", "B2"),
            stated_remaining: Some(amount("40", "C2")),
            place: at("A2"),
        }],
        rounds: vec![Round { number: 1 }, Round { number: 2 }],
        awards: vec![
            Award {
                theme: 1,
                code: "a".into(),
                project: "P".into(),
                round: 0,
                amount: amount("30.50", "E2"),
                voorbehoud: None,
                place: at("C2"),
            },
            Award {
                theme: 1,
                code: "b".into(),
                project: "Q".into(),
                round: 1,
                amount: amount("29.50", "E3"),
                voorbehoud: Some("ovb".into()),
                place: at("C3"),
            },
            Award {
                theme: 1,
                code: "c".into(),
                project: "R".into(),
                round: 1,
                amount: amount("50", "E4"),
                voorbehoud: None,
                place: at("C4"),
            },
        ],
        stated_totals: vec![StatedTotal {
            scope: TotalScope::Sheet,
            values: vec![Stated {
                target: StatedTarget::Round(1),
                amount: amount("79.50", "E5"),
            }],
            place: at("C5"),
        }],
        notes: Vec::new(),
    };
    let regulier = table(
        Instrument::ReguliereMiddelen,
        vec![column(ColumnKind::Budget(2022), "Budget 2022")],
        Vec::new(),
        Vec::new(),
    );
    let drenthe = table(
        Instrument::DrentheBredeProjecten,
        vec![column(ColumnKind::TotaalBudget, "Totaal budget")],
        Vec::new(),
        Vec::new(),
    );
    let report = compute(&werkplan(regulier, drenthe, alliance), date());
    let a = &report.alliantie;
    assert_eq!(
        a.rounds.iter().map(|r| r.total).collect::<Vec<_>>(),
        vec![m("30.50"), m("79.50")]
    );
    assert_eq!(a.themes[0].per_round, vec![m("30.50"), m("79.50")]);
    assert_eq!(a.themes[0].remaining, m("-10"));
    assert_eq!(a.remaining, m("-10"));
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    assert_eq!(report.findings[0].kind, FindingKind::Overbesteed);
    assert_eq!(report.findings[0].place.cell, "C2");
    assert_eq!(
        report.checks,
        Checks {
            total: 2,
            passed: 1
        }
    );
}
