//! Unit tests of the ledger sink: header, dates, amounts, resolution, bounded findings.

use super::*;
use crate::model::{Alliantie, Award, BudgetTable, Line, Part, Section, Theme};

fn at(cell: &str) -> Place {
    Place {
        file: "w.xlsx".into(),
        sheet: "Blad".into(),
        cell: cell.into(),
        origin: Default::default(),
    }
}

fn line(code: &str, parts: &[&str]) -> Line {
    Line {
        code: code.into(),
        description: format!("regel {code}"),
        amounts: Vec::new(),
        parts: parts
            .iter()
            .map(|p| Part {
                description: (*p).into(),
                amounts: Vec::new(),
                stated: Vec::new(),
                footnote: None,
                place: at("C9"),
            })
            .collect(),
        stated: Vec::new(),
        footnote: None,
        place: at("C2"),
    }
}

fn table(instrument: Instrument, lines: Vec<Line>) -> BudgetTable {
    BudgetTable {
        instrument,
        place: at(""),
        columns: Vec::new(),
        remaining_label: None,
        sections: vec![Section {
            theme: 1,
            lines,
            notes: Vec::new(),
        }],
        stated_totals: Vec::new(),
    }
}

/// Regulier 1a, 1c (parts `Noord`, `Zuid`); Drenthe-breed 1a; award 1b.
fn werkplan() -> Werkplan {
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
        regulier: table(
            Instrument::ReguliereMiddelen,
            vec![line("a", &[]), line("c", &["Noord", "Zuid"])],
        ),
        drenthe_breed: table(Instrument::DrentheBredeProjecten, vec![line("a", &[])]),
        alliantie: Alliantie {
            budget_place: at(""),
            awards_place: at(""),
            budgets: Vec::new(),
            rounds: Vec::new(),
            awards: vec![Award {
                theme: 1,
                code: "b".into(),
                project: "Buurthuis".into(),
                round: 0,
                amount: crate::model::Amount {
                    value: Money::ZERO,
                    place: at("F2"),
                    footnote_marker: false,
                },
                voorbehoud: None,
                place: at("C2"),
            }],
            stated_totals: Vec::new(),
            notes: Vec::new(),
        },
        sources: Vec::new(),
        ledger: Ledger::default(),
    }
}

fn text(t: &str) -> LedgerCell<'_> {
    LedgerCell::Text(t)
}

/// Feeds rows of cells (columns A, B, ...; `None` leaves a cell empty) into one sheet.
fn feed(input: &mut LedgerInput, kind: SheetKind, rows: &[Vec<Option<LedgerCell<'_>>>]) -> u64 {
    let mut sink = input.sheet(kind, "in/b.xlsx".into(), "Boekingen".into());
    for (r, row) in rows.iter().enumerate() {
        let cells: Vec<CellAt<'_>> = row
            .iter()
            .enumerate()
            .filter_map(|(c, v)| {
                v.map(|value| CellAt {
                    col: c as u32,
                    value,
                })
            })
            .collect();
        sink.row(r as u32, &cells);
    }
    sink.finish()
}

const HEADER: [&str; 6] = [
    "Boekdatum",
    "Instrument",
    "Thema",
    "Code",
    "Onderdeel",
    "Bedrag",
];

fn header() -> Vec<Option<LedgerCell<'static>>> {
    HEADER.iter().map(|h| Some(LedgerCell::Text(h))).collect()
}

fn booking<'a>(
    date: &'a str,
    instrument: &'a str,
    code: &'a str,
    part: &'a str,
    amount: &'a str,
) -> Vec<Option<LedgerCell<'a>>> {
    vec![
        Some(text(date)),
        Some(text(instrument)),
        Some(LedgerCell::Number("1")),
        Some(text(code)),
        (!part.is_empty()).then_some(text(part)),
        Some(LedgerCell::Number(amount)),
    ]
}

fn messages(findings: &[Finding]) -> Vec<String> {
    findings.iter().map(ToString::to_string).collect()
}

#[test]
fn header_after_title_rows_with_an_alias() {
    let mut input = LedgerInput::default();
    let mut rows = vec![vec![Some(text("Export grootboek september"))], vec![]];
    let mut head = header();
    head[0] = Some(text("Boekingsdatum"));
    rows.push(head);
    rows.push(booking("30-09-2022", "Reguliere middelen", "a", "", "10.5"));
    assert_eq!(feed(&mut input, SheetKind::Boekingen, &rows), 1);
    let ledger = input.resolve(&werkplan()).unwrap();
    let sums = ledger.bookings.unwrap();
    assert_eq!(sums.lines.len(), 1);
    assert_eq!(sums.lines[0].days[0].amount, Money::from_cents(1050));
    assert_eq!(
        sums.lines[0].first.to_string(),
        "in/b.xlsx › Boekingen › D4"
    );
    assert_eq!(sums.sources[0].rows, 1);
}

#[test]
fn a_missing_required_column_is_named() {
    let mut input = LedgerInput::default();
    let mut head = header();
    head[5] = Some(text("Saldo"));
    feed(&mut input, SheetKind::Boekingen, &[head]);
    let found = messages(&input.resolve(&werkplan()).unwrap_err());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("in/b.xlsx › Boekingen: geen kopregel"),
        "{found:?}"
    );
    assert!(
        found[0].contains("de kolom(men) Bedrag ontbreken"),
        "{found:?}"
    );
    // a register needs no date
    let mut input = LedgerInput::default();
    let head: Vec<_> = header().into_iter().skip(1).collect();
    feed(&mut input, SheetKind::Verplichtingen, &[head]);
    assert!(input.resolve(&werkplan()).is_ok());
}

#[test]
fn date_texts() {
    let d = |y, m, d| Ok(Date::new(y, m, d).unwrap());
    assert_eq!(read_date(text("30-09-2022")), d(2022, 9, 30));
    assert_eq!(read_date(text("1-2-2022")), d(2022, 2, 1));
    assert_eq!(read_date(text("01/02/2022")), d(2022, 2, 1));
    assert_eq!(read_date(text(" 2022-09-30 ")), d(2022, 9, 30));
    assert_eq!(
        read_date(LedgerCell::Date(Date::new(2022, 1, 3).unwrap())),
        d(2022, 1, 3)
    );
    for bad in [
        "31-09-2022",
        "2022/09/30",
        "30-9-22",
        "30.09.2022",
        "morgen",
        "2022-9-30",
    ] {
        let message = read_date(text(bad)).unwrap_err();
        assert!(
            message.contains(&format!("‘{bad}’ is geen datum")),
            "{message}"
        );
    }
    assert!(read_date(LedgerCell::Number("44834")).is_err());
}

#[test]
fn amounts_to_cents_exactly() {
    assert_eq!(read_cents(LedgerCell::Number("1234.5")), Ok(123_450));
    assert_eq!(read_cents(LedgerCell::Number("-12")), Ok(-1200));
    assert_eq!(read_cents(LedgerCell::Number("1.25E2")), Ok(12_500));
    assert_eq!(
        read_cents(LedgerCell::Number("0.30000000000000004")),
        Ok(30)
    );
    assert_eq!(read_cents(text("€ -1.234,56")), Ok(-123_456));
    assert_eq!(read_cents(LedgerCell::Float(0.1 + 0.2)), Ok(30));
    assert!(
        read_cents(LedgerCell::Number("12.345"))
            .unwrap_err()
            .contains("fractie van een cent")
    );
    assert!(
        read_cents(LedgerCell::Number("1e20"))
            .unwrap_err()
            .contains("groot")
    );
    assert!(read_cents(LedgerCell::Number("2x")).is_err());
    assert!(
        read_cents(text("12,750"))
            .unwrap_err()
            .contains("dubbelzinnig")
    );
    assert!(read_cents(LedgerCell::Bool(true)).is_err());
}

#[test]
fn corrections_sum_per_line_and_day_and_spellings_meet() {
    let mut input = LedgerInput::default();
    let mut rows = vec![header()];
    rows.push(booking("01-09-2022", "Reguliere middelen", "a", "", "100"));
    rows.push(booking(
        "01-09-2022",
        "reguliere  Middelen",
        "a.",
        "",
        "-25.50",
    ));
    rows.push(booking(
        "02-09-2022",
        "Reguliere middelen",
        "c",
        "zuid",
        "7",
    ));
    rows.push(booking(
        "02-09-2022",
        "Reguliere middelen",
        "c",
        "Noord",
        "3",
    ));
    rows.push(booking("02-09-2022", "Alliantieprojecten", "b", "", "1"));
    feed(&mut input, SheetKind::Boekingen, &rows);
    let sums = input.resolve(&werkplan()).unwrap().bookings.unwrap();
    let got: Vec<(Instrument, String, Option<usize>, i64, u64)> = sums
        .lines
        .iter()
        .map(|l| {
            let day = l.days[0];
            (
                l.line.instrument,
                l.line.code.clone(),
                l.line.part,
                money_cents(day.amount) as i64,
                day.rows,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (Instrument::ReguliereMiddelen, "a".into(), None, 7450, 2),
            (Instrument::ReguliereMiddelen, "c".into(), Some(0), 300, 1),
            (Instrument::ReguliereMiddelen, "c".into(), Some(1), 700, 1),
            (Instrument::Alliantieprojecten, "b".into(), None, 100, 1),
        ]
    );
}

#[test]
fn unresolvable_lines_are_one_error_each_at_their_first_cell() {
    let mut input = LedgerInput::default();
    let mut rows = vec![header()];
    for _ in 0..3 {
        rows.push(booking("01-09-2022", "Reguliere middelen", "z", "", "1"));
    }
    rows.push(booking("01-09-2022", "Reguliere middelen", "c", "", "1"));
    rows.push(booking(
        "01-09-2022",
        "Reguliere middelen",
        "a",
        "Noord",
        "1",
    ));
    rows.push(booking("01-09-2022", "Potjes", "a", "", "1"));
    feed(&mut input, SheetKind::Boekingen, &rows);
    let found = messages(&input.resolve(&werkplan()).unwrap_err());
    assert_eq!(
        found,
        vec![
            "in/b.xlsx › Boekingen › D2: Reguliere middelen heeft geen regel met code ‘z’ in thema 1 (3 rijen; de eerste hier)",
            "in/b.xlsx › Boekingen › D5: regel ‘c’ van thema 1 (Reguliere middelen) heeft onderdelen; vermeld in de kolom Onderdeel welk onderdeel",
            "in/b.xlsx › Boekingen › E6: regel ‘a’ van thema 1 (Reguliere middelen) heeft geen onderdelen, maar de boeking noemt onderdeel ‘Noord’",
            "in/b.xlsx › Boekingen › B7: ‘Potjes’ is geen instrument; verwacht Reguliere middelen, Drenthe-brede projecten of Alliantieprojecten",
        ]
    );
}

#[test]
fn a_commitment_on_a_table_without_verplicht_is_an_error() {
    let mut input = LedgerInput::default();
    let mut rows = vec![header()];
    rows.push(booking("", "Drenthe-brede projecten", "a", "", "5"));
    rows.push(booking("", "Alliantieprojecten", "b", "", "5"));
    // an undated commitment: the date cell left empty
    for row in rows.iter_mut().skip(1) {
        row[0] = None;
    }
    feed(&mut input, SheetKind::Verplichtingen, &rows);
    let found = messages(&input.resolve(&werkplan()).unwrap_err());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("in/b.xlsx › Boekingen › B3: een verplichting op Alliantieprojecten"),
        "{found:?}"
    );

    let mut input = LedgerInput::default();
    let mut rows = vec![
        header(),
        booking("", "Drenthe-brede projecten", "a", "", "5"),
    ];
    rows[1][0] = None;
    feed(&mut input, SheetKind::Verplichtingen, &rows);
    let sums = input.resolve(&werkplan()).unwrap().commitments.unwrap();
    assert_eq!(sums.lines[0].days[0].date, None);
    assert_eq!(sums.latest(), None);
}

#[test]
fn bad_rows_are_named_and_stay_bounded() {
    let mut input = LedgerInput::default();
    let mut rows = vec![header()];
    rows.push(booking("31-02-2022", "Reguliere middelen", "a", "", "1"));
    rows.push(booking("01-09-2022", "Reguliere middelen", "a", "", "1,5x"));
    rows.push(vec![
        Some(text("01-09-2022")),
        Some(text("Reguliere middelen")),
        None,
        Some(text("a")),
        None,
        Some(text("1")),
    ]);
    rows.push(vec![
        Some(LedgerCell::Error("#REF!")),
        Some(text("Reguliere middelen")),
        Some(text("1")),
        Some(text("a")),
        None,
        Some(text("1")),
    ]);
    rows.push(vec![
        None,
        None,
        None,
        Some(text("Totaal")),
        None,
        Some(text("4")),
    ]);
    feed(&mut input, SheetKind::Boekingen, &rows);
    let found = messages(&input.resolve(&werkplan()).unwrap_err());
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(
        found[0].starts_with("in/b.xlsx › Boekingen › A2: ‘31-02-2022’ is geen datum"),
        "{found:?}"
    );
    assert!(
        found[1].starts_with("in/b.xlsx › Boekingen › F3: ‘1,5x’ is geen bedrag"),
        "{found:?}"
    );
    assert!(
        found[2].starts_with("in/b.xlsx › Boekingen › C4: de cel Thema is leeg"),
        "{found:?}"
    );
    assert!(
        found[3].starts_with("in/b.xlsx › Boekingen › A5: de cel bevat de foutwaarde #REF!"),
        "{found:?}"
    );

    // many bad rows: the first few hundred with places, the rest counted per kind
    let mut input = LedgerInput::default();
    let mut rows = vec![header()];
    for _ in 0..5_000 {
        rows.push(booking("gisteren", "Reguliere middelen", "a", "", "1"));
        rows.push(booking("01-01-2022", "Reguliere middelen", "a", "", "veel"));
    }
    feed(&mut input, SheetKind::Boekingen, &rows);
    let found = messages(&input.resolve(&werkplan()).unwrap_err());
    assert_eq!(
        found.len(),
        MAX_LEDGER_FINDINGS + 2,
        "{:?}",
        &found[MAX_LEDGER_FINDINGS..]
    );
    let rest = &found[MAX_LEDGER_FINDINGS..];
    assert!(
        rest[0].contains("en nog 4.900 rij(en) met een onleesbare datum"),
        "{rest:?}"
    );
    assert!(
        rest[1].contains("en nog 4.900 rij(en) met een onleesbaar bedrag"),
        "{rest:?}"
    );
}

#[test]
fn merged_cells_in_the_data_are_an_error() {
    let mut input = LedgerInput::default();
    let rows = [
        header(),
        booking("01-09-2022", "Reguliere middelen", "a", "", "1"),
    ];
    let mut sink = input.sheet(SheetKind::Boekingen, "in/b.xlsx".into(), "Boekingen".into());
    for (r, row) in rows.iter().enumerate() {
        let cells: Vec<CellAt<'_>> = row
            .iter()
            .enumerate()
            .filter_map(|(c, v)| {
                v.map(|value| CellAt {
                    col: c as u32,
                    value,
                })
            })
            .collect();
        sink.row(r as u32, &cells);
    }
    sink.merged(&[
        MergedArea {
            start: (0, 0),
            end: (0, 1),
        }, // in the header: fine
        MergedArea {
            start: (1, 5),
            end: (2, 5),
        },
    ]);
    sink.finish();
    let found = messages(&input.resolve(&werkplan()).unwrap_err());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("in/b.xlsx › Boekingen › F2: samengevoegde cellen"),
        "{found:?}"
    );
}

#[test]
fn the_peildatum_split_counts_the_day_itself() {
    let mut input = LedgerInput::default();
    let rows = vec![
        header(),
        booking("30-09-2022", "Reguliere middelen", "a", "", "10"),
        booking("01-10-2022", "Reguliere middelen", "a", "", "1"),
    ];
    feed(&mut input, SheetKind::Boekingen, &rows);
    let sums = input.resolve(&werkplan()).unwrap().bookings.unwrap();
    let peil = Date::new(2022, 9, 30).unwrap();
    assert_eq!(sums.latest(), Date::new(2022, 10, 1));
    assert_eq!(sums.up_to(peil).lines[0].days.len(), 1);
    assert_eq!(
        sums.up_to(peil).lines[0].days[0].amount,
        Money::from_cents(1000)
    );
    let left = sums.after(peil);
    assert_eq!((left[0].rows, left[0].amount), (1, Money::from_cents(100)));
}

#[test]
fn keys_and_days_are_bounded() {
    // a key per row: memory would grow with rows; stops at the bound with one error
    let mut input = LedgerInput::default();
    let mut sink = input.sheet(SheetKind::Boekingen, "in/b.xlsx".into(), "Boekingen".into());
    let head: Vec<CellAt<'_>> = HEADER
        .iter()
        .enumerate()
        .map(|(c, h)| CellAt {
            col: c as u32,
            value: LedgerCell::Text(h),
        })
        .collect();
    sink.row(0, &head);
    for r in 1..=(MAX_LEDGER_KEYS as u32 + 10) {
        let code = format!("x{r}");
        let cells = [
            CellAt {
                col: 0,
                value: text("01-01-2022"),
            },
            CellAt {
                col: 1,
                value: text("Reguliere middelen"),
            },
            CellAt {
                col: 2,
                value: text("1"),
            },
            CellAt {
                col: 3,
                value: text(&code),
            },
            CellAt {
                col: 5,
                value: LedgerCell::Number("1"),
            },
        ];
        sink.row(r, &cells);
    }
    sink.finish();
    let found = input.resolve(&werkplan()).unwrap_err();
    assert!(found.len() <= MAX_LEDGER_FINDINGS + 3, "{}", found.len());
    assert!(
        found
            .iter()
            .any(|f| f.message.contains("meer dan 100.000 verschillende regels")),
        "{:?}",
        &found[..3]
    );
}

mod fuzz {
    //! The sink never panics and its findings stay bounded, whatever the rows hold.

    use proptest::prelude::*;

    use super::*;

    const WORDS: &[&str] = &[
        "Boekdatum",
        "Datum",
        "Instrument",
        "Thema",
        "Code",
        "Onderdeel",
        "Bedrag",
        "Totaal",
        "Reguliere middelen",
        "Drenthe-brede projecten",
        "Alliantieprojecten",
        "a",
        "b",
        "c",
        "Noord",
        "1",
        "0",
        "Wonen",
        "30-09-2022",
        "2022-02-29",
        "1/1/2022",
        "€ 1.234,56",
        "-5",
        "12,750",
        "",
        " ",
    ];

    fn cell() -> impl Strategy<Value = (u32, u8, String, f64)> {
        (0u32..8, 0u8..6, any::<String>(), any::<f64>())
    }

    /// A cell's text as the reader would lend it: a known word, any text, a float's digits.
    fn text_of(kind: u8, word: &str, text: &str, float: f64) -> String {
        match kind {
            0 => word.to_string(),
            2 => format!("{float}"),
            _ => text.to_string(),
        }
    }

    fn value(kind: u8, text: &str, float: f64) -> LedgerCell<'_> {
        match kind {
            0 | 1 => LedgerCell::Text(text),
            2 | 3 => LedgerCell::Number(text),
            4 => LedgerCell::Float(float),
            _ => LedgerCell::Date(Date::new(2022, 1 + (float.abs() as u32 % 12), 1).unwrap()),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn any_rows_never_panic(
            rows in proptest::collection::vec(proptest::collection::vec((cell(), 0usize..WORDS.len()), 0..8), 0..40),
            register in any::<bool>(),
        ) {
            let kind = if register { SheetKind::Verplichtingen } else { SheetKind::Boekingen };
            let mut input = LedgerInput::default();
            let mut sink = input.sheet(kind, "in/b.xlsx".into(), "Boekingen".into());
            let head: Vec<CellAt<'_>> = HEADER
                .iter()
                .enumerate()
                .map(|(c, h)| CellAt { col: c as u32, value: LedgerCell::Text(h) })
                .collect();
            sink.row(0, &head);
            for (r, row) in rows.iter().enumerate() {
                let texts: Vec<String> = row
                    .iter()
                    .map(|((_, kind, text, float), word)| text_of(*kind, WORDS[*word], text, *float))
                    .collect();
                let mut cells: Vec<CellAt<'_>> = row
                    .iter()
                    .zip(&texts)
                    .map(|(((col, kind, _, float), _), text)| CellAt {
                        col: *col,
                        value: value(*kind, text, *float),
                    })
                    .collect();
                cells.sort_by_key(|c| c.col);
                cells.dedup_by_key(|c| c.col);
                sink.row(r as u32 + 1, &cells);
            }
            sink.merged(&[MergedArea { start: (0, 0), end: (3, 2) }]);
            sink.finish();
            match input.resolve(&werkplan()) {
                Ok(ledger) => {
                    let sums = if register { ledger.commitments } else { ledger.bookings };
                    let rows: u64 = sums.iter().flat_map(|s| &s.lines).flat_map(|l| &l.days).map(|d| d.rows).sum();
                    prop_assert!(rows as usize <= 40);
                }
                Err(findings) => prop_assert!(findings.len() <= MAX_LEDGER_FINDINGS + 10),
            }
        }
    }
}
