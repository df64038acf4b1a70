//! Issue 11's acceptance test, through the real command line: the 2022 workbook is built,
//! its JSON kept as the basis, the workbook revised (a budget moved to a new line within
//! Drenthe-brede projecten, a Reguliere middelen budget raised, a fourth award round with
//! two awards, an award withdrawn, a line renamed) and built again with `--basis`. Every
//! edition must show each of those changes with its amounts and the per-instrument effect,
//! and nothing else. The expected figures come from the revision below, not from the output.

mod support;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Output;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use page_validation::{ValidationOptions, ValidationProfile, validate_pdf_bytes};
use rust_decimal::Decimal;
use serde_json::Value;
use werkplan::model::Money;

use support::{C, SheetSpec, n, t, werkplan2022};

// The revision, in the amounts put into the workbook.

/// Drenthe-brede projecten: 4a `Netwerk en samenwerking` gives this much of its
/// `Totaal budget` (and of its `Nog te besteden`) to the new line 4c.
const MOVED: f64 = 20_000.0;
const MOVED_FROM: &str = "Netwerk en samenwerking";
const MOVED_FROM_BUDGET: f64 = 50_000.0;
const MOVED_FROM_REMAINING: f64 = 25_965.0;
const NEW_LINE: &str = "Valpreventie thuis";
const PROJECTEN_TOTAL: f64 = 3_160_000.0;

/// Reguliere middelen: 4b `Netwerk en samenwerking`, `Budget 2022` raised.
const RAISED: &str = "Netwerk en samenwerking";
const RAISED_BEFORE: f64 = 109_700.0;
const RAISE: f64 = 15_000.0;
const REGULIER_STATED_TOTAL_2022: f64 = 3_317_339.0;

/// Reguliere middelen: 6a renamed.
const RENAMED_FROM: &str = "Gevolgen krimp signaleren en monitoren";
const RENAMED_TO: &str = "Gevolgen krimp signaleren, monitoren en duiden";

/// Alliantieprojecten: 3d withdrawn (3e ronde), and a 4e ronde of two awards.
const WITHDRAWN: &str = "Slapend blij worden";
const WITHDRAWN_AMOUNT: f64 = 27_500.0;
const ROUND_3_STATED: f64 = 933_812.30;
const NEW_AWARDS: [(u32, &str, &str, f64); 2] = [
    (1, "g", "Dorpshuis De Kiel verduurzaamd", 35_000.0),
    (4, "i", "Bewegen op recept", 24_000.0),
];

fn money(value: f64) -> Money {
    Money::from_decimal(Decimal::try_from(value).unwrap().round_dp(2)).unwrap()
}

/// The row of a sheet whose cell `col` holds `text`.
fn row<'a>(sheet: &'a mut SheetSpec, col: usize, text: &str) -> &'a mut Vec<C> {
    sheet
        .rows
        .iter_mut()
        .find(|r| matches!(r.get(col), Some(C::T(s)) if s == text))
        .unwrap_or_else(|| panic!("{}: no row with ‘{text}’", sheet.name))
}

fn number_in(cell: &C) -> f64 {
    match cell {
        C::N(v) => *v,
        other => panic!("not a number: {other:?}"),
    }
}

/// The theme's label as the sheets write it (`4 Gezondheid en vitaliteit`).
fn theme_label(nr: u32) -> String {
    let (_, name) = werkplan2022::THEMES.iter().find(|(n, _)| *n == nr).unwrap();
    format!("{nr} {name}")
}

/// The 2022 workbook with the revision; the stated totals and remaining budgets follow it,
/// so that the revision brings no findings of its own.
fn revised() -> Vec<SheetSpec> {
    let mut sheets = werkplan2022::sheets();
    let [_, regulier, projecten, budget, awards] = &mut sheets[..] else {
        panic!("five sheets")
    };

    // the move: 4a gives MOVED to the new 4c (total budget and remaining unchanged)
    let from = row(projecten, 2, MOVED_FROM);
    assert_eq!(
        (number_in(&from[3]), number_in(&from[7])),
        (MOVED_FROM_BUDGET, MOVED_FROM_REMAINING)
    );
    (from[3], from[7]) = (
        n(MOVED_FROM_BUDGET - MOVED),
        n(MOVED_FROM_REMAINING - MOVED),
    );
    let at = projecten
        .rows
        .iter()
        .position(|r| matches!(r.get(2), Some(C::T(s)) if s == "Versterken provinciale voorbeeldrol en toegankelijkheid"))
        .unwrap();
    projecten.rows.insert(
        at,
        vec![
            t(&theme_label(4)),
            t("c"),
            t(NEW_LINE),
            n(MOVED),
            n(0.0),
            n(0.0),
            n(0.0),
            n(MOVED),
        ],
    );

    // the raise, and the sheet's stated total following it
    let raised = row(regulier, 2, RAISED);
    assert_eq!(number_in(&raised[6]), RAISED_BEFORE);
    raised[6] = n(RAISED_BEFORE + RAISE);
    let total = regulier
        .rows
        .iter_mut()
        .rev()
        .find(|r| matches!(r.get(2), Some(C::T(s)) if s == "Totaal"))
        .unwrap();
    assert_eq!(number_in(&total[6]), REGULIER_STATED_TOTAL_2022);
    total[6] = n(REGULIER_STATED_TOTAL_2022 + RAISE);

    // the rename
    row(regulier, 2, RENAMED_FROM)[2] = t(RENAMED_TO);

    // the withdrawn award: gone from its round, its theme's remaining budget back
    let withdrawn = row(awards, 2, WITHDRAWN);
    assert_eq!(number_in(&withdrawn[4]), WITHDRAWN_AMOUNT);
    assert!(matches!(&withdrawn[3], C::T(s) if s == "3e ronde"));
    awards
        .rows
        .retain(|r| !matches!(r.get(2), Some(C::T(s)) if s == WITHDRAWN));
    let round_3 = awards
        .rows
        .iter_mut()
        .find(|r| {
            matches!(r.get(2), Some(C::T(s)) if s == "Totaal")
                && matches!(r.get(3), Some(C::T(s)) if s == "3e ronde")
        })
        .unwrap();
    assert_eq!(number_in(&round_3[4]), ROUND_3_STATED);
    round_3[4] = n(ROUND_3_STATED - WITHDRAWN_AMOUNT);
    let remaining = &mut row(budget, 0, &theme_label(3))[2];
    *remaining = n(number_in(remaining) + WITHDRAWN_AMOUNT);

    // the 4e ronde: its awards before the round totals, its own total after them
    let at = awards
        .rows
        .iter()
        .position(|r| matches!(r.get(2), Some(C::T(s)) if s == "Totaal"))
        .unwrap();
    for (theme, code, project, amount) in NEW_AWARDS.iter().rev() {
        awards.rows.insert(
            at,
            vec![
                t(&theme_label(*theme)),
                t(code),
                t(project),
                t("4e ronde"),
                n(*amount),
            ],
        );
        let remaining = &mut row(budget, 0, &theme_label(*theme))[2];
        *remaining = n(number_in(remaining) - amount);
    }
    let round_4: f64 = NEW_AWARDS.iter().map(|a| a.3).sum();
    awards
        .rows
        .push(vec![C::E, C::E, t("Totaal"), t("4e ronde"), n(round_4)]);
    let total = &mut row(budget, 0, "Totaal")[2];
    *total = n(number_in(total) + WITHDRAWN_AMOUNT - round_4);
    sheets
}

fn assert_ok(output: &Output) {
    assert_eq!(output.status.code(), Some(0), "{}", support::stderr(output));
}

/// The outputs of the actualisatie: the basis built from `input/`, then the revised
/// workbook built against it into `<dir>/uit`; returns (`<dir>/uit`, basis path, revised
/// input folder).
fn actualisatie(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let first = dir.join("vastgesteld");
    assert_ok(&support::build_quietly(Path::new("input"), &first, &[]));
    let basis = dir.join("basis.json");
    std::fs::copy(first.join("financien-werkplan-2022.json"), &basis).unwrap();
    let input = dir.join("invoer");
    std::fs::create_dir_all(&input).unwrap();
    support::write_workbook(&input, "werkplan-2022.xlsx", &revised());
    let out = dir.join("uit");
    assert_ok(&support::build_quietly(
        &input,
        &out,
        &["--basis", basis.to_str().unwrap()],
    ));
    (out, basis, input)
}

/// The JSON's `report.changes`.
fn changes_of(out: &Path) -> Value {
    let document: Value =
        serde_json::from_slice(&std::fs::read(out.join("financien-werkplan-2022.json")).unwrap())
            .unwrap();
    document["report"]["changes"].clone()
}

/// A JSON amount (`"124700.00"`) as money; `None` when absent.
fn json_money(value: &Value) -> Option<Money> {
    value
        .as_str()
        .map(|s| Money::from_decimal(s.parse::<Decimal>().unwrap()).unwrap())
}

/// One change as the test expects it: (instrument index, kind, extra kind field,
/// theme, code, description, [(label, before, after)]).
type Expected = (
    usize,
    &'static str,
    Option<(&'static str, &'static str)>,
    u32,
    &'static str,
    &'static str,
    Vec<(&'static str, Option<f64>, Option<f64>)>,
);

/// Every change the revision makes, in the report's order (instrument, then theme and code).
fn expected_changes() -> Vec<Expected> {
    let [(t1, c1, p1, a1), (t2, c2, p2, a2)] = NEW_AWARDS;
    vec![
        (
            0,
            "changed",
            None,
            4,
            "b",
            RAISED,
            vec![(
                "Budget 2022",
                Some(RAISED_BEFORE),
                Some(RAISED_BEFORE + RAISE),
            )],
        ),
        (
            0,
            "renamed",
            Some(("from", RENAMED_FROM)),
            6,
            "a",
            RENAMED_TO,
            vec![],
        ),
        (
            1,
            "changed",
            None,
            4,
            "a",
            MOVED_FROM,
            vec![(
                "Totaal budget",
                Some(MOVED_FROM_BUDGET),
                Some(MOVED_FROM_BUDGET - MOVED),
            )],
        ),
        (
            1,
            "added",
            None,
            4,
            "c",
            NEW_LINE,
            vec![("Totaal budget", None, Some(MOVED))],
        ),
        (
            2,
            "award-added",
            Some(("round", "4e ronde")),
            t1,
            c1,
            p1,
            vec![("4e ronde", None, Some(a1))],
        ),
        (
            2,
            "award-withdrawn",
            Some(("round", "3e ronde")),
            3,
            "d",
            WITHDRAWN,
            vec![("3e ronde", Some(WITHDRAWN_AMOUNT), None)],
        ),
        (
            2,
            "award-added",
            Some(("round", "4e ronde")),
            t2,
            c2,
            p2,
            vec![("4e ronde", None, Some(a2))],
        ),
    ]
}

/// The alliantie's remaining budget falls by what the new round awards and rises by what
/// is withdrawn.
fn alliantie_remaining_difference() -> f64 {
    WITHDRAWN_AMOUNT - NEW_AWARDS.iter().map(|a| a.3).sum::<f64>()
}

/// The cell (`G23`) of the revised workbook's sheet `sheet` in the row whose column C
/// holds `description`, column `column`.
fn cell_in_revised(sheet: &str, description: &str, column: char) -> String {
    let sheets = revised();
    let spec = sheets.iter().find(|s| s.name == sheet).unwrap();
    let row = spec
        .rows
        .iter()
        .position(|r| matches!(r.get(2), Some(C::T(s)) if s == description))
        .unwrap_or_else(|| panic!("{sheet}: {description}"));
    format!("{column}{}", row + 1)
}

/// (sheet, description, cell) of every new value the revision puts in: Budget 2022 is
/// column G of Reguliere middelen, Totaal budget column D of Drenthe-brede projecten, the
/// amount column E of Alliantieprojecten.
fn expected_places() -> Vec<(&'static str, &'static str, String)> {
    let mut places = vec![
        ("Reguliere middelen", RAISED, 'G'),
        ("Drenthe-brede projecten", MOVED_FROM, 'D'),
        ("Drenthe-brede projecten", NEW_LINE, 'D'),
    ];
    places.extend(NEW_AWARDS.iter().map(|a| ("Alliantieprojecten", a.2, 'E')));
    places
        .into_iter()
        .map(|(sheet, description, column)| {
            (
                sheet,
                description,
                cell_in_revised(sheet, description, column),
            )
        })
        .collect()
}

/// The alliantie's remaining budget in the 2022 workbook (`Alliantiebudget`, its total).
fn alliantie_remaining_before() -> f64 {
    let mut budget = werkplan2022::alliantiebudget();
    number_in(&row(&mut budget, 0, "Totaal")[2])
}

/// The JSON: exactly the revision's changes, their figures and cells, the instruments'
/// budgets and remaining budgets, no findings new or gone.
fn assert_json(changes: &Value) {
    assert_eq!(changes["basis_year"], 2022);
    assert_eq!(changes["basis_peildatum"], "2021-12-31");
    assert_eq!(changes["new_findings"], serde_json::json!([]), "{changes}");
    assert_eq!(changes["gone_findings"], serde_json::json!([]), "{changes}");
    let instruments = changes["instruments"].as_array().unwrap();
    let names: Vec<&str> = instruments
        .iter()
        .map(|i| i["instrument"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "reguliere-middelen",
            "drenthe-brede-projecten",
            "alliantieprojecten"
        ]
    );
    let expected = expected_changes();
    let found: usize = instruments
        .iter()
        .map(|i| i["changes"].as_array().unwrap().len())
        .sum();
    assert_eq!(found, expected.len(), "{changes}");
    let mut seen = [0usize; 3];
    for (at, kind, extra, theme, code, description, values) in &expected {
        let change = &instruments[*at]["changes"][seen[*at]];
        seen[*at] += 1;
        assert_eq!(change["kind"]["soort"], *kind, "{change}");
        if let Some((field, text)) = extra {
            assert_eq!(change["kind"][field], *text, "{change}");
        }
        assert_eq!(
            (&change["theme"], &change["code"], &change["description"]),
            (
                &serde_json::json!(theme),
                &serde_json::json!(code),
                &serde_json::json!(description)
            )
        );
        let got = change["values"].as_array().unwrap();
        assert_eq!(got.len(), values.len(), "{change}");
        for (value, (label, before, after)) in got.iter().zip(values) {
            assert_eq!(value["label"], *label, "{change}");
            assert_eq!(json_money(&value["before"]), before.map(money), "{change}");
            assert_eq!(json_money(&value["after"]), after.map(money), "{change}");
            // a new value carries the cell it was read from, in the revised workbook
            if after.is_some() {
                assert_eq!(value["place"]["file"], "werkplan-2022.xlsx", "{change}");
                const SHEETS: [&str; 3] = [
                    "Reguliere middelen",
                    "Drenthe-brede projecten",
                    "Alliantieprojecten",
                ];
                let (_, _, cell) = expected_places()
                    .into_iter()
                    .find(|p| p.0 == SHEETS[*at] && p.1 == *description)
                    .unwrap();
                assert_eq!(
                    (&value["place"]["sheet"], &value["place"]["cell"]),
                    (&serde_json::json!(SHEETS[*at]), &serde_json::json!(cell)),
                    "{change}"
                );
            }
        }
    }
    // the effect per instrument: Reguliere middelen up by the raise; the move keeps
    // Drenthe-brede's total and remaining; awards leave the alliantie's budget and change
    // its remaining budget
    let budget = |i: usize| {
        let b = &instruments[i]["budget"];
        (
            json_money(&b["before"]).unwrap(),
            json_money(&b["after"]).unwrap(),
        )
    };
    let (before, after) = budget(0);
    assert_eq!(
        (before, after),
        (
            money(REGULIER_STATED_TOTAL_2022),
            money(REGULIER_STATED_TOTAL_2022 + RAISE)
        )
    );
    assert_eq!(budget(1), (money(PROJECTEN_TOTAL), money(PROJECTEN_TOTAL)));
    let (before, after) = budget(2);
    assert_eq!(before, after);
    assert!(instruments[0].get("remaining").is_none());
    let remaining = |i: usize| {
        let r = &instruments[i]["remaining"];
        json_money(&r["after"]).unwrap() - json_money(&r["before"]).unwrap()
    };
    assert_eq!(remaining(1), Money::ZERO);
    assert_eq!(remaining(2), money(alliantie_remaining_difference()));
    assert_eq!(
        json_money(&instruments[2]["remaining"]["before"]),
        Some(money(alliantie_remaining_before()))
    );
    assert_eq!(instruments[2]["remaining"]["label"], "Resterend budget");
}

/// A figure as the tables print it (whole euros unless it has cents).
fn shown(value: f64) -> String {
    money(value).to_dutch_with(false)
}

/// The PDF's text, its whitespace collapsed; `None` (skipped) without pdftotext outside CI.
fn pdf_text(path: &Path) -> Option<String> {
    support::poppler_or_skip("pdftotext", &["-raw", "-enc", "UTF-8"], path)
        .map(|text| support::collapse_whitespace(&text))
}

/// The heading, the summary, every change's description and figures, and each
/// instrument's effect, in a text (the publication's PDF or web page).
fn assert_section_text(text: &str, what: &str) {
    let section = text
        .find("Wijzigingen ten opzichte van werkplan 2022, peildatum 31 december 2021")
        .unwrap_or_else(|| panic!("{what}: no heading in {text}"));
    let text = &text[section..];
    let total_after = REGULIER_STATED_TOTAL_2022 + RAISE + PROJECTEN_TOTAL + 3_750_000.0;
    let summary = format!(
        "In het kort: twee regels gewijzigd, één regel toegevoegd, één regel hernoemd, \
         twee toekenningen toegevoegd en één toekenning ingetrokken; totaal budget +{} (nu {}).",
        shown(RAISE),
        shown(total_after)
    );
    assert!(text.contains(&summary), "{what}: {summary} in {text}");
    for effect in [
        format!(
            "Reguliere middelen: het totale budget stijgt met {}.",
            shown(RAISE)
        ),
        "Drenthe-brede projecten: budgetneutraal: een verschuiving tussen regels.".to_string(),
    ] {
        assert!(text.contains(&effect), "{what}: {effect} in {text}");
    }
    for (_, _, _, theme, code, description, values) in expected_changes() {
        let line = format!("{theme}{code} {description}");
        let at = text
            .find(&line)
            .unwrap_or_else(|| panic!("{what}: {line} in {text}"));
        // the row: up to the next change's code or the table's end
        let row: String = text[at..]
            .chars()
            .take(line.chars().count() + 120)
            .collect();
        for (_, before, after) in values {
            let difference = after.unwrap_or(0.0) - before.unwrap_or(0.0);
            let mut rest = row.as_str();
            for figure in [before, after].into_iter().flatten().chain([difference]) {
                let plain = money(figure).to_dutch_plain(false);
                let found = rest
                    .find(&plain)
                    .unwrap_or_else(|| panic!("{what}: {line}: {plain} in order in {row}"));
                rest = &rest[found + plain.len()..];
            }
        }
    }
    assert!(
        text.contains(&format!("hernoemd, was ‘{RENAMED_FROM}’")),
        "{what}"
    );
    assert!(text.contains("(ingetrokken, 3e ronde)"), "{what}");
    assert!(text.contains("(nieuw, Totaal budget)"), "{what}");
    assert!(text.contains("(toegekend, 4e ronde)"), "{what}");
    // the alliantie: its budget stays, its remaining budget takes the awards' net effect;
    // awards withdrawn and made are no shift between lines
    assert!(
        text.contains("Alliantieprojecten: het totale budget blijft gelijk."),
        "{what}: {text}"
    );
    assert!(
        !text.contains("Alliantieprojecten: budgetneutraal"),
        "{what}"
    );
    let row = format!(
        "Resterend budget {} {} {}",
        money(alliantie_remaining_before()).to_dutch_with(true),
        money(alliantie_remaining_before() + alliantie_remaining_difference()).to_dutch_with(true),
        shown(alliantie_remaining_difference())
    );
    assert!(text.contains(&row), "{what}: {row} in {text}");
}

/// The page's text without its tags, whitespace collapsed.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&nbsp;", " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("calamine opens the workbook")
}

fn number(range: &Range<Data>, row: usize, col: usize) -> Option<f64> {
    match range.rows().nth(row)?.get(col)? {
        Data::Float(f) => Some(*f),
        #[allow(clippy::cast_precision_loss)]
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

/// The `Wijzigingen` sheet: each change's row with before, after and the cached
/// difference, the instruments' totals, and no other change rows.
fn assert_sheet(bytes: &[u8]) {
    let mut workbook = open(bytes);
    let sheet = workbook
        .worksheet_range("Wijzigingen")
        .expect("a sheet Wijzigingen");
    let label = |row: &[Data]| row.get(1).map(ToString::to_string).unwrap_or_default();
    let find = |start: &str| {
        sheet
            .rows()
            .position(|r| label(r).starts_with(start))
            .unwrap_or_else(|| panic!("a row {start}"))
    };
    // the change rows (a code in column A), in order: exactly the revision's changes
    let coded: Vec<usize> = sheet
        .rows()
        .enumerate()
        .filter(|(_, r)| matches!(r.first(), Some(Data::String(s)) if s != "Code" && !s.starts_with("Wijzigingen")))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(coded.len(), expected_changes().len(), "one row per change");
    let close = |got: Option<f64>, want: Option<f64>, what: &str| match (got, want) {
        (Some(g), Some(w)) => assert!((g - w).abs() < 0.005, "{what}: {g} != {w}"),
        _ => assert_eq!(got, want, "{what}"),
    };
    for (row, (_, _, _, theme, code, description, values)) in
        coded.into_iter().zip(expected_changes())
    {
        let cells = sheet.rows().nth(row).unwrap();
        assert_eq!(cells[0].to_string(), format!("{theme}{code}"));
        assert!(label(cells).starts_with(description), "{}", label(cells));
        match values.as_slice() {
            [(_, before, after)] => {
                close(number(&sheet, row, 2), *before, description);
                close(number(&sheet, row, 3), *after, description);
                let difference = after.unwrap_or(0.0) - before.unwrap_or(0.0);
                close(number(&sheet, row, 4), Some(difference), description);
            }
            [] => assert_eq!(number(&sheet, row, 4), None, "{description}"),
            _ => panic!("one figure per change in this revision"),
        }
    }
    let regulier_total = find("Budget 2022");
    close(
        number(&sheet, regulier_total, 4),
        Some(RAISE),
        "Budget 2022",
    );
    let remaining = find("Resterend budget");
    close(
        number(&sheet, remaining, 4),
        Some(alliantie_remaining_difference()),
        "Resterend budget",
    );
    let totals: Vec<Option<f64>> = sheet
        .rows()
        .enumerate()
        .filter(|(_, r)| label(r) == "Totaal budget")
        .map(|(i, _)| number(&sheet, i, 4))
        .collect();
    assert_eq!(
        totals,
        [Some(0.0), Some(0.0)],
        "Drenthe-brede, Alliantieprojecten"
    );
}

fn assert_pdf_ua_1(pdf: &[u8]) {
    let options = ValidationOptions::default().profile(ValidationProfile::PdfUa1);
    let report = validate_pdf_bytes(pdf, &options).expect("page_validation reads the PDF");
    let failures: Vec<String> = report
        .failures
        .iter()
        .map(|f| format!("{}: {}", f.rule_id, f.message))
        .collect();
    assert!(
        report.is_compliant && failures.is_empty(),
        "PDF/UA-1: {failures:?}"
    );
}

#[test]
fn the_actualisatie_shows_every_change_with_its_amounts_and_effect_and_nothing_else() {
    let dir = support::temp_dir("actualisatie-e2e");
    let (out, basis, input) = actualisatie(&dir);

    assert_json(&changes_of(&out));

    let publication = out.join("financien-werkplan-2022.pdf");
    if let Some(text) = pdf_text(&publication) {
        assert_section_text(&text, "PDF");
        // after the three tables, before Controle
        let section = text.find("Wijzigingen ten opzichte van").unwrap();
        assert!(text[..section].contains("Alliantieprojecten"));
        let control = pdf_text(&out.join("controle-werkplan-2022.pdf")).unwrap();
        assert!(
            control.contains("Herkomst van de gewijzigde bedragen"),
            "{control}"
        );
        // the revision keeps the stated totals right: no finding new, none gone
        for heading in ["Nieuwe bevindingen", "Vervallen bevindingen"] {
            let expected =
                format!("{heading} sinds werkplan 2022, peildatum 31 december 2021 Geen.");
            assert!(control.contains(&expected), "{expected} in {control}");
        }
        // each new value's source cell in the revised workbook
        for (sheet, description, cell) in expected_places() {
            let place = format!("werkplan-2022.xlsx › {sheet} › {cell}");
            assert!(
                control.contains(&place),
                "{description}: {place} in {control}"
            );
        }
    }

    assert_sheet(&std::fs::read(out.join("financien-werkplan-2022.xlsx")).unwrap());

    let html = std::fs::read_to_string(out.join("financien-werkplan-2022.html")).unwrap();
    assert!(html.contains("<h2 id=\"wijzigingen-titel\">"));
    let html_text = visible_text(&html);
    assert_section_text(&html_text, "HTML");

    assert_pdf_ua_1(&std::fs::read(&publication).unwrap());

    // the same input and basis again: the same bytes
    let again = dir.join("nogmaals");
    assert_ok(&support::build_quietly(
        &input,
        &again,
        &["--basis", basis.to_str().unwrap()],
    ));
    assert_eq!(support::snapshot(&again), support::snapshot(&out));
}
