//! Unit tests of compute on small hand-made models.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::*;
use crate::model::{
    Alliantie, AlliantieBudget, Award, Column, DaySum, LedgerSums, LineRef, LineSums, Part, Round,
    Section, StatedTotal,
};

fn m(text: &str) -> Money {
    Money::from_decimal(Decimal::from_str(text).unwrap()).unwrap()
}

fn at(cell: &str) -> Place {
    Place {
        file: "w.xlsx".into(),
        sheet: "Blad".into(),
        cell: cell.into(),
        origin: Default::default(),
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

fn werkplan(regulier: BudgetTable, drenthe_breed: BudgetTable, alliantie: Alliantie) -> Werkplan {
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

fn empty_alliantie() -> Alliantie {
    Alliantie {
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
    let report = report_for(&werkplan(regulier, drenthe, empty_alliantie()), date());
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
    let report = report_for(&werkplan(regulier, drenthe, empty_alliantie()), date());
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
fn alliantie_awards_per_round_and_remaining_per_theme() {
    let alliantie = Alliantie {
        budget_place: at(""),
        awards_place: at(""),
        budgets: vec![AlliantieBudget {
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
    let report = report_for(&werkplan(regulier, drenthe, alliantie), date());
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

// ---- the monthly run: ledger and register over the tables ----

fn day(y: i32, mo: u32, d: u32) -> Date {
    Date::new(y, mo, d).unwrap()
}

/// Sums on one line: `(date, amount, rows)` per day.
fn booked(
    instrument: Instrument,
    theme: u32,
    code: &str,
    part: Option<usize>,
    days: &[(Option<Date>, &str, u64)],
) -> LineSums {
    LineSums {
        line: LineRef {
            instrument,
            theme,
            code: code.into(),
            part,
        },
        days: days
            .iter()
            .map(|&(date, value, rows)| DaySum {
                date,
                amount: m(value),
                rows,
            })
            .collect(),
        first: Place::cell("in/Boekingen.csv", "Boekingen.csv", 1, 2),
    }
}

fn sums(mut lines: Vec<LineSums>) -> LedgerSums {
    lines.sort_by(|a, b| a.line.cmp(&b.line));
    LedgerSums {
        lines,
        sources: Vec::new(),
    }
}

fn regulier_2021_2022(lines: Vec<Line>, totals: Vec<StatedTotal>) -> BudgetTable {
    table(
        Instrument::ReguliereMiddelen,
        vec![
            column(ColumnKind::Uitgaven(2021), "Uitgaven 2021"),
            column(ColumnKind::Budget(2022), "Budget 2022"),
        ],
        vec![Section {
            theme: 1,
            lines,
            notes: Vec::new(),
        }],
        totals,
    )
}

fn plain_drenthe() -> BudgetTable {
    table(
        Instrument::DrentheBredeProjecten,
        vec![column(ColumnKind::TotaalBudget, "Totaal budget")],
        Vec::new(),
        Vec::new(),
    )
}

const R: Instrument = Instrument::ReguliereMiddelen;

#[test]
fn a_ledger_reproducing_every_typed_figure_but_one_gives_one_finding_at_its_typed_cell() {
    let total = StatedTotal {
        scope: TotalScope::Sheet,
        values: vec![Stated {
            target: StatedTarget::Column(0),
            amount: amount("30", "D9"),
        }],
        place: at("C9"),
    };
    let regulier = regulier_2021_2022(
        vec![line("a", &["10", "50"], 3), line("b", &["20", "50"], 4)],
        vec![total],
    );
    let mut w = werkplan(regulier, plain_drenthe(), empty_alliantie());
    w.ledger.bookings = Some(sums(vec![
        booked(
            R,
            1,
            "a",
            None,
            &[
                (Some(day(2021, 3, 1)), "12", 2),
                (Some(day(2021, 4, 1)), "-2", 1),
            ],
        ),
        booked(R, 1, "b", None, &[(Some(day(2021, 5, 1)), "25", 3)]),
    ]));
    let report = report_for(&w, day(2021, 12, 31));
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    let f = &report.findings[0];
    assert_eq!(f.kind, FindingKind::AfwijkendTotaal);
    assert_eq!(f.place.cell, "D5");
    assert_eq!((f.stated, f.computed), (Some(m("20")), Some(m("25"))));
    assert!(
        f.message
            .contains("Uitgaven 2021 (berekend uit 3 boekingen)"),
        "{}",
        f.message
    );
    let r = &report.regulier;
    // the ledger's figures are used, no new column for a year the sheet has
    assert_eq!(r.columns.len(), 2);
    assert_eq!(r.from_ledger, vec![0]);
    assert_eq!(r.sections[0].lines[0].values, vec![m("10"), m("50")]);
    assert_eq!(r.sections[0].lines[1].values, vec![m("25"), m("50")]);
    assert_eq!(r.totals, vec![m("35"), m("100")]);
    assert!(report.left_out.is_empty());
}

#[test]
fn the_current_year_gets_spending_through_the_peildatum_and_what_is_left_of_its_budget() {
    let regulier = regulier_2021_2022(
        vec![line("a", &["10", "20"], 3), line("b", &["20", "20"], 4)],
        Vec::new(),
    );
    let mut w = werkplan(regulier, plain_drenthe(), empty_alliantie());
    let peil = day(2022, 9, 30);
    w.ledger.bookings = Some(sums(vec![
        booked(
            R,
            1,
            "a",
            None,
            &[(Some(peil), "5", 1), (Some(day(2022, 10, 1)), "7", 2)],
        ),
        booked(R, 1, "b", None, &[(Some(day(2022, 1, 3)), "30", 4)]),
    ]));
    let report = report_for(&w, peil);
    let r = &report.regulier;
    let labels: Vec<&str> = r.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Uitgaven 2021",
            "Budget 2022",
            "Uitgaven 2022 t/m 30 september 2022",
            "Restant budget 2022"
        ]
    );
    assert_eq!(r.columns[3].kind, ReportColumnKind::RemainingBudget(2022));
    // on the peildatum counts, the day after does not; typed 2021 stays (no 2021 bookings)
    assert_eq!(
        r.sections[0].lines[0].values,
        vec![m("10"), m("20"), m("5"), m("15")]
    );
    assert_eq!(
        r.sections[0].lines[1].values,
        vec![m("20"), m("20"), m("30"), m("-10")]
    );
    assert_eq!(r.totals, vec![m("30"), m("40"), m("35"), m("5")]);
    assert_eq!(r.year_remaining[0].apply(&r.totals), r.totals[3]);
    assert_eq!(
        report.left_out,
        vec![LeftOut {
            instrument: R,
            rows: 2,
            amount: m("7")
        }]
    );
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    let f = &report.findings[0];
    assert_eq!(f.kind, FindingKind::Overbesteed);
    // at line b's typed Budget 2022
    assert_eq!(f.place.cell, "E5");
    assert!(
        f.message.contains("overbesteed met € 10,00"),
        "{}",
        f.message
    );
    // the realisation: spending per month up to September against the year's budget
    let real = &report.realisation[0];
    assert_eq!(real.instrument, R);
    assert_eq!(real.months.len(), 9);
    assert_eq!(real.months[0], m("30"));
    assert_eq!(real.months[8], m("5"));
    assert_eq!(real.cumulative()[8], m("35"));
    assert_eq!(real.budget, Some(m("40")));
    assert_eq!(real.share(), Some(88));
    assert_eq!(real.bookings, 5);
}

#[test]
fn project_remaining_subtracts_the_ledger_years_and_the_register_replaces_verplicht() {
    let columns = vec![
        column(ColumnKind::TotaalBudget, "Totaal budget"),
        column(ColumnKind::Uitgaven(2021), "Uitgaven 2021"),
        column(ColumnKind::Verplicht, "Verplicht"),
    ];
    let drenthe = table(
        Instrument::DrentheBredeProjecten,
        columns,
        vec![Section {
            theme: 1,
            lines: vec![
                line("a", &["100", "30", "20"], 3),
                line("b", &["10", "0", "0"], 4),
            ],
            notes: Vec::new(),
        }],
        Vec::new(),
    );
    let regulier = table(
        R,
        vec![column(ColumnKind::Budget(2022), "Budget 2022")],
        Vec::new(),
        Vec::new(),
    );
    let mut w = werkplan(regulier, drenthe, empty_alliantie());
    let d = Instrument::DrentheBredeProjecten;
    w.ledger.bookings = Some(sums(vec![
        booked(
            d,
            1,
            "a",
            None,
            &[
                (Some(day(2021, 6, 1)), "30", 1),
                (Some(day(2022, 2, 1)), "40", 1),
            ],
        ),
        booked(d, 1, "b", None, &[(Some(day(2022, 2, 1)), "20", 1)]),
    ]));
    w.ledger.commitments = Some(sums(vec![booked(
        d,
        1,
        "a",
        None,
        &[
            (None, "20", 1),
            (Some(day(2022, 3, 1)), "5", 1),
            (Some(day(2023, 1, 1)), "99", 1),
        ],
    )]));
    let report = report_for(&w, day(2022, 6, 30));
    let t = &report.drenthe_breed;
    let labels: Vec<&str> = t.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Totaal budget",
            "Uitgaven 2021",
            "Verplicht",
            "Uitgaven 2022 t/m 30 juni 2022",
            "Nog te besteden"
        ]
    );
    // 100 − 30 − 25 − 40; 10 − 0 − 0 − 20
    assert_eq!(
        t.sections[0].lines[0].values,
        vec![m("100"), m("30"), m("25"), m("40"), m("5")]
    );
    assert_eq!(t.sections[0].lines[1].values[4], m("-10"));
    let rule = t.remaining.as_ref().unwrap();
    assert_eq!((rule.column, rule.minus.clone()), (4, vec![1, 2, 3]));
    assert_eq!(t.from_ledger, vec![1, 2, 3]);
    let kinds: Vec<(FindingKind, &str)> = report
        .findings
        .iter()
        .map(|f| (f.kind, f.place.cell.as_str()))
        .collect();
    // the typed Verplicht of a (20) is a stated value; b is over its project budget
    assert_eq!(
        kinds,
        [
            (FindingKind::AfwijkendTotaal, "F4"),
            (FindingKind::Overbesteed, "C5")
        ]
    );
    assert!(
        report.findings[0]
            .message
            .contains("berekend uit 2 verplichtingen")
    );
    // the commitment dated after the peildatum is left out, and said so
    assert_eq!(
        report.left_out_commitments,
        vec![LeftOut {
            instrument: d,
            rows: 1,
            amount: m("99")
        }]
    );
}

#[test]
fn paying_more_than_an_award_is_a_finding_and_unknown_lines_are_errors() {
    let alliantie = Alliantie {
        budget_place: at(""),
        awards_place: at(""),
        budgets: vec![AlliantieBudget {
            theme: 1,
            budget: amount("200", "B2"),
            stated_remaining: None,
            place: at("A2"),
        }],
        rounds: vec![Round { number: 1 }],
        awards: vec![
            Award {
                theme: 1,
                code: "a".into(),
                project: "P".into(),
                round: 0,
                amount: amount("100", "E2"),
                voorbehoud: None,
                place: at("C2"),
            },
            Award {
                theme: 1,
                code: "b".into(),
                project: "Q".into(),
                round: 0,
                amount: amount("50", "E3"),
                voorbehoud: None,
                place: at("C3"),
            },
        ],
        stated_totals: Vec::new(),
        notes: Vec::new(),
    };
    let regulier = table(
        R,
        vec![column(ColumnKind::Budget(2022), "Budget 2022")],
        Vec::new(),
        Vec::new(),
    );
    let mut w = werkplan(regulier, plain_drenthe(), alliantie);
    let a = Instrument::Alliantieprojecten;
    w.ledger.bookings = Some(sums(vec![
        booked(a, 1, "a", None, &[(Some(day(2022, 2, 1)), "120", 3)]),
        booked(a, 1, "b", None, &[(Some(day(2022, 2, 1)), "20", 1)]),
        booked(a, 1, "z", None, &[(Some(day(2022, 2, 1)), "1", 1)]),
    ]));
    let report = report_for(&w, day(2022, 12, 31));
    let t = &report.alliantie;
    assert_eq!(t.themes[0].awards[0].paid, Some(m("120")));
    assert_eq!(t.themes[0].paid, Some(m("140")));
    assert_eq!(t.paid, Some(m("140")));
    let found: Vec<(FindingKind, &str)> = report
        .findings
        .iter()
        .map(|f| (f.kind, f.place.cell.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (FindingKind::Overbesteed, "E2"),
            (FindingKind::Invoer, "C2")
        ]
    );
    assert!(
        report.findings[0]
            .message
            .contains("overbetaald met € 20,00")
    );
}

#[test]
fn parts_take_their_own_bookings_and_the_line_sums_them() {
    let mut parent = line("c", &["0", "0"], 4);
    parent.parts = vec![
        Part {
            description: "een".into(),
            amounts: vec![amount("1", "D6"), amount("10", "E6")],
            stated: Vec::new(),
            footnote: None,
            place: at("C6"),
        },
        Part {
            description: "twee".into(),
            amounts: vec![amount("2", "D7"), amount("10", "E7")],
            stated: Vec::new(),
            footnote: None,
            place: at("C7"),
        },
    ];
    let regulier = regulier_2021_2022(vec![parent], Vec::new());
    let mut w = werkplan(regulier, plain_drenthe(), empty_alliantie());
    w.ledger.bookings = Some(sums(vec![
        booked(R, 1, "c", Some(0), &[(Some(day(2022, 1, 5)), "4", 1)]),
        booked(R, 1, "c", Some(1), &[(Some(day(2022, 2, 5)), "6", 1)]),
    ]));
    let report = report_for(&w, day(2022, 3, 31));
    let line = &report.regulier.sections[0].lines[0];
    assert_eq!(line.parts[0].values, vec![m("1"), m("10"), m("4"), m("6")]);
    assert_eq!(line.parts[1].values, vec![m("2"), m("10"), m("6"), m("4")]);
    assert_eq!(line.values, vec![m("3"), m("20"), m("10"), m("10")]);
    assert_eq!(line.marked.len(), 4);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!(report.realisation[0].lines[0].label, "1c een");
}

#[test]
fn a_commitment_on_a_table_without_verplicht_is_an_error_at_its_row() {
    let regulier = regulier_2021_2022(vec![line("a", &["10", "50"], 3)], Vec::new());
    let mut w = werkplan(regulier, plain_drenthe(), empty_alliantie());
    w.ledger.commitments = Some(sums(vec![booked(R, 1, "a", None, &[(None, "5", 1)])]));
    let report = report_for(&w, day(2022, 12, 31));
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    let f = &report.findings[0];
    assert_eq!(f.severity, Severity::Fout);
    assert_eq!(f.place.to_string(), "in/Boekingen.csv › Boekingen.csv › C2");
    assert!(f.message.contains("geen kolom Verplicht"), "{}", f.message);
    // nothing changes in the table
    assert_eq!(report.regulier.columns.len(), 2);
}

/// The 2022 werkplan's typed `Uitgaven 2021` of every line and part, as a 2021 ledger.
fn ledger_2021(w: &Werkplan) -> LedgerSums {
    let mut lines = Vec::new();
    for table in [&w.regulier, &w.drenthe_breed] {
        let col = table
            .columns
            .iter()
            .position(|c| c.kind == ColumnKind::Uitgaven(2021))
            .unwrap();
        for section in &table.sections {
            for line in &section.lines {
                let leaves: Vec<(Option<usize>, Money)> = if line.parts.is_empty() {
                    vec![(None, line.amounts[col].value)]
                } else {
                    line.parts
                        .iter()
                        .enumerate()
                        .map(|(p, part)| (Some(p), part.amounts[col].value))
                        .collect()
                };
                for (part, value) in leaves {
                    let mut s = booked(table.instrument, section.theme, &line.code, part, &[]);
                    s.days.push(DaySum {
                        date: Date::new(2021, 6, 30),
                        amount: value,
                        rows: 3,
                    });
                    lines.push(s);
                }
            }
        }
    }
    sums(lines)
}

#[test]
fn the_2022_workbook_with_a_2021_ledger_differing_on_one_line_gives_one_more_finding() {
    let loaded = crate::app::load(std::path::Path::new("input"), None, None).unwrap();
    let mut w = loaded.werkplan;
    let peil = day(2021, 12, 31);
    // the seed's own findings (its known errors) stay as they are
    let seed = report_for(&w, peil);
    assert!(!seed.findings.is_empty());
    let mut ledger = ledger_2021(&w);
    w.ledger.bookings = Some(ledger.clone());
    let same = report_for(&w, peil);
    assert_eq!(same.findings, seed.findings);
    assert_eq!(same.regulier.totals, seed.regulier.totals);
    assert_eq!(same.drenthe_breed.totals, seed.drenthe_breed.totals);
    // one booking more on the first regular line
    let first = ledger
        .lines
        .iter_mut()
        .find(|l| l.line.instrument == R)
        .unwrap();
    first.days.push(DaySum {
        date: Date::new(2021, 7, 1),
        amount: m("123.45"),
        rows: 1,
    });
    let (theme, code) = (first.line.theme, first.line.code.clone());
    w.ledger.bookings = Some(ledger);
    let report = report_for(&w, peil);
    assert_eq!(
        report.findings.len(),
        seed.findings.len() + 1,
        "{:?}",
        report.findings
    );
    let new: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| !seed.findings.contains(f))
        .collect();
    assert_eq!(new.len(), 1);
    let line = w
        .regulier
        .sections
        .iter()
        .find(|s| s.theme == theme)
        .and_then(|s| s.lines.iter().find(|l| l.code == code))
        .unwrap();
    let col = w
        .regulier
        .columns
        .iter()
        .position(|c| c.kind == ColumnKind::Uitgaven(2021))
        .unwrap();
    assert_eq!(new[0].place, line.amounts[col].place);
    assert_eq!(new[0].difference, Some(m("123.45")));
    assert!(
        new[0].message.contains("berekend uit 4 boekingen"),
        "{}",
        new[0].message
    );
}

/// A small deterministic generator (64-bit LCG), so the test below is the same every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

#[test]
fn any_ledger_over_the_2022_tables_keeps_totals_whole_and_counts_every_row_once() {
    let loaded = crate::app::load(std::path::Path::new("input"), None, None).unwrap();
    let base = loaded.werkplan;
    let mut keys: Vec<LineRef> = Vec::new();
    for table in [&base.regulier, &base.drenthe_breed] {
        for section in &table.sections {
            for line in &section.lines {
                let parts: Vec<Option<usize>> = if line.parts.is_empty() {
                    vec![None]
                } else {
                    (0..line.parts.len()).map(Some).collect()
                };
                for part in parts {
                    keys.push(LineRef {
                        instrument: table.instrument,
                        theme: section.theme,
                        code: line.code.clone(),
                        part,
                    });
                }
            }
        }
    }
    for award in &base.alliantie.awards {
        keys.push(LineRef {
            instrument: Instrument::Alliantieprojecten,
            theme: award.theme,
            code: award.code.clone(),
            part: None,
        });
    }
    let mut rng = Lcg(2022);
    for round in 0..20 {
        let mut lines: Vec<LineSums> = Vec::new();
        for key in &keys {
            if rng.next(3) == 0 {
                continue;
            }
            let mut days: Vec<DaySum> = (0..1 + rng.next(6))
                .filter_map(|_| {
                    let date = Date::new(
                        2019 + rng.next(6) as i32,
                        1 + rng.next(12) as u32,
                        1 + rng.next(28) as u32,
                    );
                    let cents = rng.next(2_000_000) as i64 - 100_000;
                    Some(DaySum {
                        date: Some(date?),
                        amount: Money::from_cents(cents),
                        rows: 1 + rng.next(4),
                    })
                })
                .collect();
            days.sort_by_key(|d| d.date);
            let (i, t, c, p) = (key.instrument, key.theme, key.code.as_str(), key.part);
            let mut sums = booked(i, t, c, p, &[]);
            sums.days = days;
            lines.push(sums);
        }
        let ledger = sums(lines);
        let mut w = base.clone();
        w.ledger.bookings = Some(ledger.clone());
        if round % 2 == 0 {
            w.ledger.commitments = Some(ledger.clone());
        }
        let peil = Date::new(2020 + rng.next(4) as i32, 1 + rng.next(12) as u32, 28).unwrap();
        let report = report_for(&w, peil);
        // totals are the sums of the lines, in every column, old and new
        for t in [&report.regulier, &report.drenthe_breed] {
            let width = t.columns.len();
            let mut totals = vec![Money::ZERO; width];
            for line in t.sections.iter().flat_map(|s| &s.lines) {
                assert_eq!(line.values.len(), width);
                for (s, v) in totals.iter_mut().zip(&line.values) {
                    *s += *v;
                }
            }
            assert_eq!(totals, t.totals);
        }
        // every row counts once: before the peildatum in the realisation or earlier years,
        // after it in what was left out
        let all: u64 = ledger
            .lines
            .iter()
            .flat_map(|l| &l.days)
            .map(|d| d.rows)
            .sum();
        let kept: u64 = ledger
            .up_to(peil)
            .lines
            .iter()
            .flat_map(|l| &l.days)
            .map(|d| d.rows)
            .sum();
        let left: u64 = report.left_out.iter().map(|l| l.rows).sum();
        assert_eq!(kept + left, all);
        // the alliantie's payments are the bookings on its awards up to the peildatum
        let paid: Money = ledger
            .up_to(peil)
            .lines
            .iter()
            .filter(|l| l.line.instrument == Instrument::Alliantieprojecten)
            .flat_map(|l| &l.days)
            .map(|d| d.amount)
            .sum();
        assert_eq!(report.alliantie.paid, Some(paid));
    }
}

#[test]
fn a_typed_spending_column_of_the_peildatums_year_says_up_to_when() {
    let regulier = table(
        R,
        vec![
            column(ColumnKind::Uitgaven(2022), "Uitgaven 2022"),
            column(ColumnKind::Budget(2022), "Budget 2022"),
        ],
        vec![Section {
            theme: 1,
            lines: vec![line("a", &["4", "10"], 3)],
            notes: Vec::new(),
        }],
        Vec::new(),
    );
    let mut w = werkplan(regulier, plain_drenthe(), empty_alliantie());
    w.ledger.bookings = Some(sums(vec![booked(
        R,
        1,
        "a",
        None,
        &[
            (Some(day(2022, 3, 1)), "4", 1),
            (Some(day(2022, 12, 31)), "3", 1),
        ],
    )]));
    let report = report_for(&w, day(2022, 6, 30));
    assert_eq!(
        report.regulier.columns[0].label,
        "Uitgaven 2022 t/m 30 juni 2022"
    );
    assert_eq!(report.regulier.columns.len(), 2);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    // at the year's end the column is the whole year again
    let report = report_for(&w, day(2022, 12, 31));
    assert_eq!(report.regulier.columns[0].label, "Uitgaven 2022");
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].place.cell, "D4");
}

#[test]
fn errors_and_warnings_are_the_findings_of_their_severity_in_order() {
    let empty = werkplan(
        table(Instrument::ReguliereMiddelen, vec![], vec![], vec![]),
        table(Instrument::DrentheBredeProjecten, vec![], vec![], vec![]),
        empty_alliantie(),
    );
    let mut report = report_for(&empty, date());
    report.findings = vec![
        Finding::input_error(at("A1"), "eerste fout"),
        Finding::warning(at("A2"), "een waarschuwing"),
        Finding::input_error(at("A3"), "tweede fout"),
    ];
    let messages =
        |found: Vec<&Finding>| found.iter().map(|f| f.message.clone()).collect::<Vec<_>>();
    assert_eq!(
        messages(report.errors().collect()),
        ["eerste fout", "tweede fout"]
    );
    assert_eq!(messages(report.warnings().collect()), ["een waarschuwing"]);
}
