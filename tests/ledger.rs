//! End-to-end tests of the monthly run's ingest: generated ledger (`Boekingen...`) and
//! register (`Verplichtingen...`) sheets next to the 2022 workbook, read by the binary and
//! checked in the JSON output's aggregates, on stderr and in the exit code; and the
//! acceptance of a ledger laid over the typed figures (one differing line, one finding).

mod support;

use sha2::Digest;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rust_decimal::Decimal;
use support::{C, SheetSpec, n, t, werkplan2022};

const HEADER: [&str; 7] = [
    "Boekdatum",
    "Instrument",
    "Thema",
    "Code",
    "Onderdeel",
    "Omschrijving",
    "Bedrag",
];

/// One booking as the test writes it: date cell, instrument, theme, code, part, amount.
struct Booking {
    date: C,
    instrument: &'static str,
    theme: C,
    code: &'static str,
    part: &'static str,
    amount: C,
}

fn row(b: &Booking) -> Vec<C> {
    vec![
        b.date.clone(),
        t(b.instrument),
        b.theme.clone(),
        t(b.code),
        if b.part.is_empty() { C::E } else { t(b.part) },
        t("factuur leverancier september, regel 1"),
        b.amount.clone(),
    ]
}

fn ledger_sheet(name: &str, bookings: &[Booking]) -> SheetSpec {
    let mut rows = vec![
        vec![t("Export grootboek")],
        vec![],
        HEADER.iter().map(|h| t(h)).collect(),
    ];
    rows.extend(bookings.iter().map(row));
    SheetSpec::new(name, rows)
}

/// A fresh input folder with the 2022 workbook (`werkplan-2022.xlsx`).
fn input_with_2022(name: &str) -> PathBuf {
    let dir = support::temp_dir(name).join("input");
    std::fs::create_dir_all(&dir).unwrap();
    support::write_workbook(&dir, "werkplan-2022.xlsx", &werkplan2022::sheets());
    dir
}

/// `werkplan build` of `input` into a folder beside it, with `args`.
fn build(input: &Path, args: &[&str]) -> (std::process::Output, PathBuf) {
    let out = input.with_file_name("output");
    let _ = std::fs::remove_dir_all(&out);
    let mut all = vec![
        "build",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    (support::werkplan(&all), out)
}

fn json(out: &Path) -> serde_json::Value {
    let bytes = std::fs::read(out.join("financien-werkplan-2022.json")).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// A month of a line: (instrument, theme, code, part or -1, year, month; 0 when undated).
type MonthKey = (String, u64, String, i64, i64, i64);

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// The JSON's months of one kind, keyed by (instrument, theme, code, part, year, month):
/// (amount, rows).
fn months(kind: &serde_json::Value) -> BTreeMap<MonthKey, (Decimal, u64)> {
    let mut out = BTreeMap::new();
    for line in kind["lines"].as_array().unwrap() {
        for month in line["months"].as_array().unwrap() {
            let key = (
                line["instrument"].as_str().unwrap().to_string(),
                line["theme"].as_u64().unwrap(),
                line["code"].as_str().unwrap().to_string(),
                line["part"].as_i64().unwrap_or(-1),
                month["year"].as_i64().unwrap_or(0),
                month["month"].as_i64().unwrap_or(0),
            );
            let amount = dec(month["amount"].as_str().unwrap());
            out.insert(key, (amount, month["rows"].as_u64().unwrap()));
        }
    }
    out
}

fn key(instrument: &str, theme: u64, code: &str, part: i64, year: i64, month: i64) -> MonthKey {
    (
        instrument.to_string(),
        theme,
        code.to_string(),
        part,
        year,
        month,
    )
}

fn booking(
    date: C,
    instrument: &'static str,
    theme: u32,
    code: &'static str,
    part: &'static str,
    amount: C,
) -> Booking {
    Booking {
        date,
        instrument,
        theme: n(f64::from(theme)),
        code,
        part,
        amount,
    }
}

#[test]
fn bookings_are_summed_per_line_and_month_up_to_the_peildatum() {
    let input = input_with_2022("ledger-months");
    let bookings = [
        // a date cell, a number amount
        booking(
            C::D(2022, 1, 14),
            "Reguliere middelen",
            0,
            "a",
            "",
            n(1_250.25),
        ),
        // a correction in the same month, the amount as Dutch text, the date as text
        booking(
            t("28-01-2022"),
            "reguliere  Middelen",
            0,
            "a",
            "",
            t("€ -250,25"),
        ),
        // other text date forms
        booking(t("2022-03-01"), "Reguliere middelen", 0, "a", "", n(100.0)),
        booking(t("1/3/2022"), "Reguliere middelen", 0, "a", "", n(0.1)),
        // a part of Algemeen c, named by its description
        booking(
            C::D(2022, 2, 1),
            "Reguliere middelen",
            0,
            "c",
            "CMO STAMM",
            n(80_000.0),
        ),
        // an award of the alliantie projects, the theme by name
        Booking {
            theme: t("Leefbaarheid en bereikbaarheid"),
            ..booking(
                C::D(2022, 5, 2),
                "Alliantieprojecten",
                1,
                "a",
                "",
                n(20_000.0),
            )
        },
        // on the peildatum: counts; the day after: left out
        booking(
            C::D(2022, 9, 30),
            "Drenthe-brede projecten",
            1,
            "a",
            "",
            n(5_000.0),
        ),
        booking(
            C::D(2022, 10, 1),
            "Drenthe-brede projecten",
            1,
            "a",
            "",
            n(777.77),
        ),
        booking(t("01-10-2022"), "Reguliere middelen", 0, "b", "", n(1.0)),
    ];
    support::write_workbook(
        &input,
        "boekingen.xlsx",
        &[ledger_sheet("Boekingen 2022", &bookings)],
    );
    let (run, out) = build(&input, &["--peildatum", "2022-09-30"]);
    let stderr = support::stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let doc = json(&out);
    let ledger = &doc["ledger"]["bookings"];
    let got = months(ledger);
    let expected = BTreeMap::from([
        (
            key("reguliere-middelen", 0, "a", -1, 2022, 1),
            (dec("1000.00"), 2),
        ),
        (
            key("reguliere-middelen", 0, "a", -1, 2022, 3),
            (dec("100.10"), 2),
        ),
        (
            key("reguliere-middelen", 0, "c", 0, 2022, 2),
            (dec("80000.00"), 1),
        ),
        (
            key("drenthe-brede-projecten", 1, "a", -1, 2022, 9),
            (dec("5000.00"), 1),
        ),
        (
            key("alliantieprojecten", 1, "a", -1, 2022, 5),
            (dec("20000.00"), 1),
        ),
    ]);
    assert_eq!(got, expected);
    // what the peildatum left out, per instrument, in the JSON and on stderr
    let left: Vec<(String, u64, String)> = ledger["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["instrument"].as_str().unwrap().to_string(),
                l["rows"].as_u64().unwrap(),
                l["amount"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        left,
        vec![
            ("reguliere-middelen".to_string(), 1, "1.00".to_string()),
            (
                "drenthe-brede-projecten".to_string(),
                1,
                "777.77".to_string()
            ),
        ]
    );
    assert!(
        stderr.contains("Drenthe-brede projecten één boeking, samen € 777,77"),
        "{stderr}"
    );
    assert_eq!(ledger["sources"][0]["place"]["sheet"], "Boekingen 2022");
    assert_eq!(ledger["sources"][0]["rows"], bookings.len());
    // never the bookings themselves
    let text = String::from_utf8(std::fs::read(out.join("financien-werkplan-2022.json")).unwrap())
        .unwrap();
    assert!(!text.contains("factuur leverancier"));
    // the same input gives the same bytes
    let first = support::snapshot(&out);
    let (again, out) = build(&input, &["--peildatum", "2022-09-30"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(first, support::snapshot(&out));
}

#[test]
fn a_ledger_split_over_two_workbooks_reports_up_to_its_latest_booking() {
    let input = input_with_2022("ledger-split");
    let first = [booking(
        C::D(2022, 3, 31),
        "Reguliere middelen",
        0,
        "a",
        "",
        n(10.0),
    )];
    let second = [
        booking(C::D(2022, 4, 1), "Reguliere middelen", 0, "a", "", n(5.5)),
        booking(t("17-08-2022"), "Reguliere middelen", 0, "a", "", n(-0.5)),
    ];
    // the ledger may come in a file before the budget workbook
    support::write_workbook(
        &input,
        "a-boekingen-q1.xlsx",
        &[ledger_sheet("Boekingen Q1", &first)],
    );
    support::write_workbook(
        &input,
        "b-boekingen-q2.xlsx",
        &[
            ledger_sheet("Boekingen april", &second[..1]),
            ledger_sheet("Boekingen augustus", &second[1..]),
        ],
    );
    let (run, out) = build(&input, &["--quiet"]);
    assert_eq!(run.status.code(), Some(0), "{}", support::stderr(&run));
    let doc = json(&out);
    // without --peildatum: the latest booking date
    assert_eq!(doc["peildatum"], "2022-08-17");
    let got = months(&doc["ledger"]["bookings"]);
    assert_eq!(
        got,
        BTreeMap::from([
            (
                key("reguliere-middelen", 0, "a", -1, 2022, 3),
                (dec("10"), 1)
            ),
            (
                key("reguliere-middelen", 0, "a", -1, 2022, 4),
                (dec("5.5"), 1)
            ),
            (
                key("reguliere-middelen", 0, "a", -1, 2022, 8),
                (dec("-0.5"), 1)
            ),
        ])
    );
    let sheets: Vec<&str> = doc["ledger"]["bookings"]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["place"]["sheet"].as_str().unwrap())
        .collect();
    assert_eq!(
        sheets,
        ["Boekingen Q1", "Boekingen april", "Boekingen augustus"]
    );
    assert!(
        doc["ledger"]["bookings"]["left_out"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_ledger_beyond_the_last_budget_year_reports_up_to_its_end() {
    let input = input_with_2022("ledger-beyond");
    let bookings = [
        booking(C::D(2023, 12, 31), "Reguliere middelen", 0, "a", "", n(3.0)),
        booking(C::D(2024, 1, 2), "Reguliere middelen", 0, "a", "", n(4.0)),
    ];
    support::write_workbook(
        &input,
        "boekingen.xlsx",
        &[ledger_sheet("Boekingen", &bookings)],
    );
    let (run, out) = build(&input, &[]);
    let stderr = support::stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let doc = json(&out);
    assert_eq!(doc["peildatum"], "2023-12-31");
    assert_eq!(
        months(&doc["ledger"]["bookings"]),
        BTreeMap::from([(
            key("reguliere-middelen", 0, "a", -1, 2023, 12),
            (dec("3"), 1)
        )])
    );
    assert!(
        stderr.contains("niet meegeteld: Reguliere middelen één boeking, samen € 4."),
        "{stderr}"
    );
}

#[test]
fn a_register_gives_commitments_per_line() {
    let input = input_with_2022("ledger-register");
    let register = SheetSpec::new(
        "Verplichtingen",
        vec![
            vec![
                t("Instrument"),
                t("Thema"),
                t("Code"),
                t("Bedrag"),
                t("Datum"),
            ],
            vec![
                t("Drenthe-brede projecten"),
                n(1.0),
                t("a"),
                n(400_000.0),
                C::E,
            ],
            vec![
                t("Drenthe-brede projecten"),
                n(1.0),
                t("a"),
                n(61_000.0),
                t("15-06-2022"),
            ],
            // dated after the peildatum: left out like a booking
            vec![
                t("Drenthe-brede projecten"),
                n(2.0),
                t("a"),
                n(9.0),
                t("15-12-2022"),
            ],
        ],
    );
    support::write_workbook(&input, "register.xlsx", &[register]);
    let (run, out) = build(&input, &["--peildatum", "2022-06-30"]);
    assert_eq!(run.status.code(), Some(0), "{}", support::stderr(&run));
    let doc = json(&out);
    assert!(doc["ledger"]["bookings"].is_null());
    let got = months(&doc["ledger"]["commitments"]);
    assert_eq!(
        got,
        BTreeMap::from([
            (
                key("drenthe-brede-projecten", 1, "a", -1, 0, 0),
                (dec("400000"), 1)
            ),
            (
                key("drenthe-brede-projecten", 1, "a", -1, 2022, 6),
                (dec("61000"), 1)
            ),
        ])
    );
    assert_eq!(doc["ledger"]["commitments"]["left_out"][0]["rows"], 1);
}

#[test]
fn bad_bookings_are_errors_naming_their_cells_and_nothing_is_written() {
    let input = input_with_2022("ledger-bad");
    let bookings = [
        booking(C::D(2022, 1, 3), "Reguliere middelen", 0, "z", "", n(1.0)),
        booking(C::D(2022, 1, 3), "Reguliere middelen", 0, "c", "", n(1.0)),
        booking(t("31-02-2022"), "Reguliere middelen", 0, "a", "", n(1.0)),
        booking(
            C::D(2022, 1, 3),
            "Reguliere middelen",
            0,
            "a",
            "",
            t("twaalf"),
        ),
        booking(
            C::D(2022, 1, 3),
            "Reguliere middelen",
            0,
            "a",
            "",
            n(12.345),
        ),
    ];
    let register = SheetSpec::new(
        "Verplichtingen",
        vec![
            vec![t("Instrument"), t("Thema"), t("Code"), t("Bedrag")],
            vec![t("Reguliere middelen"), n(0.0), t("a"), n(5.0)],
        ],
    );
    let missing = SheetSpec::new("Boekingen oud", vec![vec![t("Datum"), t("Bedrag")]]);
    support::write_workbook(
        &input,
        "boekingen.xlsx",
        &[ledger_sheet("Boekingen", &bookings), register, missing],
    );
    let (run, out) = build(&input, &[]);
    let stderr = support::stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        !out.exists() || support::snapshot(&out).is_empty(),
        "{stderr}"
    );
    let file = format!("{}/boekingen.xlsx", input.display());
    for expected in [
        "› Boekingen › A6: ‘31-02-2022’ is geen datum",
        "› Boekingen › G7: ‘twaalf’ is geen bedrag",
        "› Boekingen › G8: 12,345 heeft een fractie van een cent",
        "› Boekingen oud: geen kopregel gevonden in de eerste 20 rijen: de kolom(men) Instrument, Thema, Code ontbreken",
        "› Boekingen › D4: Reguliere middelen heeft geen regel met code ‘z’ in thema 0",
        "› Boekingen › D5: regel ‘c’ van thema 0 (Reguliere middelen) heeft onderdelen",
        "› Verplichtingen › A2: een verplichting op Reguliere middelen: die tabel heeft geen kolom Verplicht",
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&file) && l.contains(expected) && l.ends_with("[fout]")),
            "{expected}\n{stderr}"
        );
    }
}

#[test]
fn a_hundred_thousand_bad_rows_give_a_bounded_list_of_findings() {
    let input = input_with_2022("ledger-many-bad");
    let mut rows = vec![HEADER.iter().map(|h| t(h)).collect::<Vec<C>>()];
    for _ in 0..100_000 {
        rows.push(vec![
            t("gisteren"),
            t("Reguliere middelen"),
            n(0.0),
            t("a"),
            C::E,
            C::E,
            n(1.0),
        ]);
    }
    support::write_workbook(
        &input,
        "boekingen.xlsx",
        &[SheetSpec::new("Boekingen", rows)],
    );
    let limits = werkplan::ingest::limits::Limits::DEFAULT;
    let Err(findings) = werkplan::ingest::read_folder(&input, "in", &limits) else {
        panic!("bad dates must fail");
    };
    let lines: Vec<String> = findings.iter().map(ToString::to_string).collect();
    let dates = lines.iter().filter(|l| l.contains("is geen datum")).count();
    assert_eq!(
        dates,
        werkplan::ingest::ledger::sink::MAX_LEDGER_FINDINGS,
        "{:?}",
        &lines[..3]
    );
    let rest = 100_000 - werkplan::ingest::ledger::sink::MAX_LEDGER_FINDINGS;
    let summary = format!(
        "en nog {} rij(en) met een onleesbare datum",
        dutch_count(rest)
    );
    assert!(
        lines.iter().any(|l| l.contains(&summary)),
        "{summary}: {:?}",
        &lines[lines.len() - 3..]
    );
    assert!(lines.len() <= werkplan::ingest::ledger::sink::MAX_LEDGER_FINDINGS + 10);
}

/// `99800` -> `99.800`.
fn dutch_count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

#[test]
fn a_peildatum_far_from_the_data_is_a_usage_error() {
    let input = input_with_2022("ledger-peildatum");
    for date in ["2019-12-31", "2024-01-01"] {
        let (run, _) = build(&input, &["--peildatum", date]);
        let stderr = support::stderr(&run);
        assert_eq!(run.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!("--peildatum {date} ligt buiten de jaren van het werkplan; geldig is 2020-01-01 tot en met 2023-12-31")),
            "{stderr}"
        );
    }
    let (run, _) = build(&input, &["--peildatum", "2023-12-31", "--quiet"]);
    assert_eq!(run.status.code(), Some(0), "{}", support::stderr(&run));
}

#[test]
fn progress_is_one_json_line_per_sheet_and_nothing_on_a_pipe() {
    let input = input_with_2022("ledger-progress");
    let bookings = [booking(
        C::D(2022, 1, 3),
        "Reguliere middelen",
        0,
        "a",
        "",
        n(1.0),
    )];
    support::write_workbook(
        &input,
        "boekingen.xlsx",
        &[ledger_sheet("Boekingen", &bookings)],
    );
    let (run, _) = build(&input, &["--log-format", "json"]);
    let stderr = support::stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let progress: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["soort"] == "voortgang")
        .collect();
    assert_eq!(progress.len(), 1, "{stderr}");
    assert_eq!(progress[0]["blad"], "Boekingen");
    // the title, the header and the booking (the blank row is not read)
    assert_eq!(progress[0]["rijen"], 3);
    // text on a pipe (the test's stderr is one): no bar, no control characters
    let (run, _) = build(&input, &[]);
    let stderr = support::stderr(&run);
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\r'),
        "{stderr:?}"
    );
    assert!(
        stderr.contains("boekingen: 1 rij(en) gelezen uit 1 blad(en)"),
        "{stderr}"
    );
    // --quiet: no progress, no summary
    let (run, _) = build(&input, &["--log-format", "json", "--quiet"]);
    assert!(!support::stderr(&run).contains("voortgang"));
}

/// The bookings of the CSV tests, as (date text, its month in 2022, code, Dutch amount), all
/// on Algemeen.
const CSV_BOOKINGS: [(&str, i64, &str, &str); 3] = [
    ("03-01-2022", 1, "a", "€ 1.234,56"),
    ("2022-01-31", 1, "a", "-234,56"),
    ("1/2/2022", 2, "b", "99"),
];

/// A ledger export as text: header, then [`CSV_BOOKINGS`], a description with the
/// separator and a non-ASCII letter in quotes.
fn csv_text(separator: &str) -> String {
    let header = [
        "Boekdatum",
        "Instrument",
        "Thema",
        "Code",
        "Omschrijving",
        "Bedrag",
    ];
    let mut text = header.join(separator);
    text.push_str("\r\n");
    for (date, _, code, amount) in CSV_BOOKINGS {
        let description = format!("\"café{separator} zaal\"");
        let amount = format!("\"{amount}\"");
        let fields = [
            date,
            "Reguliere middelen",
            "0 Algemeen",
            code,
            &description,
            &amount,
        ];
        text.push_str(&fields.join(separator));
        text.push_str("\r\n");
    }
    text
}

/// The months the CSV bookings give, summed by the test from the Dutch amounts.
fn csv_expected() -> BTreeMap<MonthKey, (Decimal, u64)> {
    let mut expected: BTreeMap<MonthKey, (Decimal, u64)> = BTreeMap::new();
    for (_, month, code, amount) in CSV_BOOKINGS {
        let value = dec(&amount.replace(['€', ' ', '.'], "").replace(',', "."));
        let key = key("reguliere-middelen", 0, code, -1, 2022, month);
        let entry = expected.entry(key).or_default();
        entry.0 += value;
        entry.1 += 1;
    }
    expected
}

#[test]
fn csv_exports_in_utf8_with_bom_and_in_windows_1252() {
    let input = input_with_2022("ledger-csv");
    let mut utf8 = vec![0xEF, 0xBB, 0xBF];
    utf8.extend_from_slice(csv_text(";").as_bytes());
    std::fs::write(input.join("Boekingen 2022 januari.csv"), utf8).unwrap();
    let (run, out) = build(&input, &["--peildatum", "2022-12-31"]);
    assert_eq!(run.status.code(), Some(0), "{}", support::stderr(&run));
    let doc = json(&out);
    assert_eq!(months(&doc["ledger"]["bookings"]), csv_expected());
    assert_eq!(
        doc["ledger"]["bookings"]["sources"][0]["place"]["sheet"],
        "Boekingen 2022 januari.csv"
    );
    // the export is a source of the report like the workbook, with its hash, in name order
    let csv_bytes = std::fs::read(input.join("Boekingen 2022 januari.csv")).unwrap();
    let csv_hash: String = sha2::Sha256::digest(&csv_bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let sources: Vec<(String, String)> = doc["report"]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let path = s["path"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap().to_string();
            (name, s["sha256"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert_eq!(
        sources[0],
        ("Boekingen 2022 januari.csv".to_string(), csv_hash)
    );
    assert_eq!(sources[1].0, "werkplan-2022.xlsx");

    // the same export saved by Excel on Windows: Windows-1252, tab-separated
    std::fs::remove_file(input.join("Boekingen 2022 januari.csv")).unwrap();
    let cp1252: Vec<u8> = csv_text("\t")
        .chars()
        .map(|c| match c {
            '€' => 0x80,
            'é' => 0xE9,
            c => u8::try_from(c).unwrap(),
        })
        .collect();
    std::fs::write(input.join("boekingen-1252.CSV"), cp1252).unwrap();
    let (run, out) = build(&input, &["--peildatum", "2022-12-31"]);
    assert_eq!(run.status.code(), Some(0), "{}", support::stderr(&run));
    assert_eq!(months(&json(&out)["ledger"]["bookings"]), csv_expected());
}

#[test]
fn a_bad_csv_booking_names_its_file_row_and_column_letter() {
    let input = input_with_2022("ledger-csv-bad");
    let text = "Boekdatum,Instrument,Thema,Code,Bedrag\n03-01-2022,Reguliere middelen,0,a,12.5.1\n";
    std::fs::write(input.join("Boekingen.csv"), text).unwrap();
    let (run, _) = build(&input, &[]);
    let stderr = support::stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let place = format!(
        "{}/Boekingen.csv › Boekingen.csv › E2: ‘12.5.1’ is geen bedrag",
        input.display()
    );
    assert!(stderr.contains(&place), "{place}\n{stderr}");
}

/// Bookings in the generated ledger of the exact-sum test (`tests/support/ledger.rs`).
const GENERATED_ROWS: usize = 100_000;

/// A line's month as the generator names it: instrument, theme, code, part, (year, month).
type GeneratedMonth = (String, u32, String, Option<String>, (u16, u8));

/// `werkplan build` on the 2022 workbook with a generated `Boekingen 2022` of
/// [`GENERATED_ROWS`] bookings gives, per line and month, exactly the sums the generator
/// computed booking by booking in `Decimal`.
#[test]
fn a_hundred_thousand_generated_bookings_sum_exactly_per_line_and_month() {
    let dir = support::temp_dir("ledger-acceptance");
    let input = dir.join("input");
    std::fs::create_dir_all(&input).unwrap();
    let expected = support::ledger::write_xlsx(
        &input,
        "werkplan-2022.xlsx",
        true,
        GENERATED_ROWS,
        7,
        support::ledger::Strings::Shared,
    );
    let out = dir.join("output");
    let run = support::werkplan(&[
        "build",
        "--quiet",
        "--peildatum",
        "2022-12-31",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", support::stderr(&run));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("financien-werkplan-2022.json")).unwrap())
            .unwrap();
    // the parts' descriptions per (table, theme, code), to name a part as the ledger does
    let mut parts: BTreeMap<(String, u64, String), Vec<String>> = BTreeMap::new();
    for (table, instrument) in [
        ("regulier", "Reguliere middelen"),
        ("drenthe_breed", "Drenthe-brede projecten"),
    ] {
        for section in json["model"][table]["sections"].as_array().unwrap() {
            for line in section["lines"].as_array().unwrap() {
                let names = line["parts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["description"].as_str().unwrap().to_string())
                    .collect();
                parts.insert(
                    (
                        instrument.to_string(),
                        section["theme"].as_u64().unwrap(),
                        line["code"].as_str().unwrap().to_string(),
                    ),
                    names,
                );
            }
        }
    }
    let instrument = |kebab: &str| match kebab {
        "reguliere-middelen" => "Reguliere middelen",
        "drenthe-brede-projecten" => "Drenthe-brede projecten",
        _ => "Alliantieprojecten",
    };
    let mut got: BTreeMap<GeneratedMonth, (Decimal, usize)> = BTreeMap::new();
    for line in json["ledger"]["bookings"]["lines"].as_array().unwrap() {
        let name = instrument(line["instrument"].as_str().unwrap()).to_string();
        let theme = line["theme"].as_u64().unwrap();
        let code = line["code"].as_str().unwrap().to_string();
        let part = line["part"]
            .as_u64()
            .map(|i| parts[&(name.clone(), theme, code.clone())][i as usize].clone());
        for month in line["months"].as_array().unwrap() {
            let key = (
                name.clone(),
                theme as u32,
                code.clone(),
                part.clone(),
                (
                    month["year"].as_u64().unwrap() as u16,
                    month["month"].as_u64().unwrap() as u8,
                ),
            );
            let amount = Decimal::from_str(month["amount"].as_str().unwrap()).unwrap();
            got.insert(key, (amount, month["rows"].as_u64().unwrap() as usize));
        }
    }
    let want: BTreeMap<_, _> = expected
        .per_line_month
        .iter()
        .map(|((line, month), sum)| {
            (
                (
                    line.instrument.to_string(),
                    line.theme,
                    line.code.clone(),
                    line.part.clone(),
                    *month,
                ),
                (sum.amount, sum.bookings),
            )
        })
        .collect();
    assert_eq!(got, want);
}

/// A typed `Uitgaven JJJJ` figure of one line (or part), as the JSON model of a run
/// without a ledger has it, with what a booking on it must name.
#[derive(Clone, Debug)]
struct TypedSpending {
    /// The sheet, which is also the instrument as a ledger names it.
    sheet: String,
    theme: u64,
    code: String,
    /// The part's description, for a part.
    part: Option<String>,
    /// Its label (`Uitgaven 2021`).
    label: String,
    cents: i64,
    /// The typed cell.
    cell: String,
}

/// Every typed `Uitgaven {year}` of the lines (parts instead of their parent) of `Reguliere
/// middelen` and `Drenthe-brede projecten` in `doc["model"]`.
fn typed_spending(doc: &serde_json::Value, year: u64) -> Vec<TypedSpending> {
    let mut out = Vec::new();
    for table in ["regulier", "drenthe_breed"] {
        let table = &doc["model"][table];
        let sheet = table["place"]["sheet"].as_str().unwrap().to_string();
        let columns = table["columns"].as_array().unwrap();
        let column = columns
            .iter()
            .position(|c| c["kind"]["soort"] == "uitgaven" && c["kind"]["jaar"] == year)
            .unwrap_or_else(|| panic!("{sheet} has no Uitgaven {year}"));
        let label = columns[column]["label"].as_str().unwrap().to_string();
        for section in table["sections"].as_array().unwrap() {
            for line in section["lines"].as_array().unwrap() {
                let parts = line["parts"].as_array().unwrap();
                let leaves: Vec<(&serde_json::Value, Option<String>)> = if parts.is_empty() {
                    vec![(line, None)]
                } else {
                    parts
                        .iter()
                        .map(|p| (p, Some(p["description"].as_str().unwrap().to_string())))
                        .collect()
                };
                for (leaf, part) in leaves {
                    let amount = &leaf["amounts"][column];
                    let value = dec(amount["value"].as_str().unwrap());
                    out.push(TypedSpending {
                        sheet: sheet.clone(),
                        theme: section["theme"].as_u64().unwrap(),
                        code: line["code"].as_str().unwrap().to_string(),
                        part,
                        label: label.clone(),
                        cents: i64::try_from(value * Decimal::ONE_HUNDRED).unwrap(),
                        cell: amount["place"].as_str().unwrap().to_string(),
                    });
                }
            }
        }
    }
    out
}

/// One booking of a generated CSV ledger: the index of its line in the typed figures, a
/// text date and the amount in cents.
struct CsvBooking {
    line: usize,
    date: String,
    cents: i64,
}

/// Bookings in `year` that reproduce `typed` exactly: one per line, every third line split
/// over two bookings, the first line booked too much and corrected, nothing on a line that
/// spent nothing.
fn bookings_reproducing(typed: &[TypedSpending], year: u16) -> Vec<CsvBooking> {
    let mut out = Vec::new();
    for (i, line) in typed.iter().enumerate() {
        let month = i % 12 + 1;
        let day = i * 7 % 28 + 1;
        let date = |month: usize| {
            if i % 2 == 0 {
                format!("{day:02}-{month:02}-{year}")
            } else {
                format!("{year}-{month:02}-{day:02}")
            }
        };
        let mut book = |date: String, cents: i64| {
            out.push(CsvBooking {
                line: i,
                date,
                cents,
            })
        };
        if line.cents == 0 {
            continue;
        }
        if i == 0 {
            let excess = line.cents / 10 + 1;
            book(date(month), line.cents + excess);
            book(date(12), -excess);
        } else if i % 3 == 1 {
            let half = line.cents / 2;
            book(date(month), half);
            book(date(13 - month), line.cents - half);
        } else {
            book(date(month), line.cents);
        }
    }
    out
}

/// The CSV export of `bookings` on `typed`'s lines.
fn ledger_csv(typed: &[TypedSpending], bookings: &[CsvBooking]) -> String {
    use support::ledger::{dutch_amount, field};
    let mut text = support::ledger::HEADER.join(";");
    text.push('\n');
    for b in bookings {
        let line = &typed[b.line];
        let fields = [
            b.date.clone(),
            field(&line.sheet),
            line.theme.to_string(),
            field(&line.code),
            field(line.part.as_deref().unwrap_or("")),
            field("Correctie; of factuur"),
            dutch_amount(b.cents),
        ];
        text.push_str(&fields.join(";"));
        text.push('\n');
    }
    text
}

fn findings(doc: &serde_json::Value) -> Vec<serde_json::Value> {
    doc["report"]["findings"].as_array().unwrap().clone()
}

fn money_of(cents: i64) -> werkplan::model::Money {
    werkplan::model::Money::from_decimal(Decimal::new(cents, 2)).unwrap()
}

#[test]
fn a_ledger_that_differs_from_one_typed_2021_figure_gives_one_finding_at_its_cell() {
    let input = input_with_2022("ledger-accept-2021");
    let peildatum = ["--peildatum", "2021-12-31"];
    // the run without a ledger: the document's two known errors (the 2021 total 1.000 short;
    // Kansen4Kinderen over-committed, at its line and at the total), and the typed figures
    let (plain, out) = build(&input, &peildatum);
    assert_eq!(plain.status.code(), Some(0), "{}", support::stderr(&plain));
    let plain = json(&out);
    let known = findings(&plain);
    let cells: Vec<(&str, &str)> = known
        .iter()
        .map(|f| {
            (
                f["place"]["sheet"].as_str().unwrap(),
                f["place"]["cell"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        cells,
        [
            ("Reguliere middelen", "F31"),
            ("Drenthe-brede projecten", "H14"),
            ("Drenthe-brede projecten", "H15"),
        ]
    );
    let typed = typed_spending(&plain, 2021);
    assert!(typed.iter().any(|l| l.part.is_some()));
    assert!(typed.iter().any(|l| l.sheet == "Drenthe-brede projecten"));
    let mut bookings = bookings_reproducing(&typed, 2021);
    assert!(bookings.iter().any(|b| b.cents < 0));
    let count =
        |line: usize, bookings: &[CsvBooking]| bookings.iter().filter(|b| b.line == line).count();

    // a ledger that reproduces every typed figure: only the known errors, every cell checked
    let csv = input.join("Boekingen 2021.csv");
    std::fs::write(&csv, ledger_csv(&typed, &bookings)).unwrap();
    let (run, out) = build(&input, &peildatum);
    let stderr = support::stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let same = json(&out);
    assert_eq!(findings(&same), known, "{stderr}");
    assert_eq!(
        same["ledger"]["bookings"]["sources"][0]["rows"],
        bookings.len()
    );
    // one comparison per typed cell, one check per award (paid at most its amount)
    let checks = |doc: &serde_json::Value| doc["report"]["checks"]["total"].as_u64().unwrap();
    let awards = plain["model"]["alliantie"]["awards"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(
        checks(&same),
        checks(&plain) + (typed.len() + awards) as u64
    );

    // one part's second booking 123,45 more: one more finding, at that part's typed cell
    let changed = (0..typed.len())
        .find(|&i| typed[i].part.is_some() && count(i, &bookings) == 2)
        .unwrap();
    let delta = 12_345; // cents: € 123,45
    bookings
        .iter_mut()
        .rev()
        .find(|b| b.line == changed)
        .unwrap()
        .cents += delta;
    std::fs::write(&csv, ledger_csv(&typed, &bookings)).unwrap();
    let (run, out) = build(&input, &peildatum);
    let stderr = support::stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let got = findings(&json(&out));
    let (new, rest): (Vec<_>, Vec<_>) = got.into_iter().partition(|f| !known.contains(f));
    assert_eq!(rest, known, "{stderr}");
    assert_eq!(new.len(), 1, "{new:#?}");
    let line = &typed[changed];
    let finding = &new[0];
    assert_eq!(finding["place"]["file"], known[0]["place"]["file"]);
    assert_eq!(finding["place"]["sheet"], line.sheet.as_str());
    assert_eq!(finding["place"]["cell"], line.cell.as_str());
    let (stated, computed) = (money_of(line.cents), money_of(line.cents + delta));
    assert_eq!(finding["stated"], stated.decimal().to_string());
    assert_eq!(finding["computed"], computed.decimal().to_string());
    assert_eq!(finding["difference"], money_of(delta).decimal().to_string());
    let message = finding["message"].as_str().unwrap();
    let part = line.part.as_deref().unwrap();
    for expected in [part, line.label.as_str(), "(berekend uit 2 boekingen)"] {
        assert!(message.contains(expected), "{expected}: {message}");
    }
    // on stderr: file › sheet › cell, stated and computed in Dutch; the JSON names the file
    // in the input folder, stderr the file as the operator gave the folder
    let file = finding["place"]["file"].as_str().unwrap();
    assert_eq!(file, "werkplan-2022.xlsx");
    let place = format!(
        "{} › {} › {}: vermeld {}, berekend {}",
        input.join(file).display(),
        line.sheet,
        line.cell,
        stated.to_dutch(),
        computed.to_dutch()
    );
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with(&place) && l.contains("(berekend uit 2 boekingen)")),
        "{place}\n{stderr}"
    );
    let reported = stderr
        .lines()
        .filter(|l| l.ends_with("[waarschuwing]"))
        .count();
    assert_eq!(reported, known.len() + 1, "{stderr}");
}

/// `.ods` and `.xls` ledgers are read by calamine, not by the xlsx scanner: the same sheet
/// saved by LibreOffice in each format gives the same sums, dates and row counts.
#[test]
fn a_ledger_sheet_in_an_ods_or_xls_gives_the_same_sums_as_in_the_xlsx() {
    let Some(soffice) = support::soffice() else {
        support::skip_without(
            "soffice",
            "ledgers in .ods and .xls",
            "apt-get install libreoffice-calc-nogui",
        );
        return;
    };
    let bookings = [
        booking(
            C::D(2022, 1, 14),
            "Reguliere middelen",
            0,
            "a",
            "",
            n(1_250.25),
        ),
        booking(
            t("28-01-2022"),
            "Reguliere middelen",
            0,
            "a",
            "",
            t("€ -250,25"),
        ),
        booking(
            C::D(2022, 2, 1),
            "Reguliere middelen",
            0,
            "c",
            "CMO STAMM",
            n(0.1),
        ),
        booking(
            C::D(2022, 3, 31),
            "Drenthe-brede projecten",
            1,
            "a",
            "",
            n(5_000.0),
        ),
        booking(
            C::D(2022, 5, 2),
            "Alliantieprojecten",
            1,
            "a",
            "",
            n(20_000.07),
        ),
    ];
    let sums = |input: &Path| {
        let (run, out) = build(input, &["--peildatum", "2022-12-31"]);
        assert_eq!(run.status.code(), Some(0), "{}", support::stderr(&run));
        let doc = json(&out);
        let rows = doc["ledger"]["bookings"]["sources"][0]["rows"].clone();
        (months(&doc["ledger"]["bookings"]), rows)
    };
    let xlsx_input = input_with_2022("ledger-formats-xlsx");
    support::write_workbook(
        &xlsx_input,
        "boekingen.xlsx",
        &[ledger_sheet("Boekingen 2022", &bookings)],
    );
    let expected = sums(&xlsx_input);
    assert_eq!(expected.0.len(), 4, "{expected:?}");
    assert_eq!(expected.1, bookings.len());
    for format in ["ods", "xls"] {
        let converted =
            support::convert_with_libreoffice(&soffice, &xlsx_input.join("boekingen.xlsx"), format);
        let input = input_with_2022(&format!("ledger-formats-{format}"));
        std::fs::copy(&converted, input.join(format!("boekingen.{format}"))).unwrap();
        assert_eq!(sums(&input), expected, "{format}");
    }
}
