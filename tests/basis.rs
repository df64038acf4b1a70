//! The actualisatie's basis and comparison: the 2022 report's JSON read back as a basis, a
//! revised workbook compared with it, and every way a basis can be unusable.

mod monthly;
mod support;

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use werkplan::compute::changes::{Change, ChangeKind, Changes, InstrumentChanges, compare};
use werkplan::ingest::basis::{BasisError, read_basis};
use werkplan::model::{Instrument, Money};

use support::{C, SheetSpec, n, t, werkplan2022};

fn money(text: &str) -> Money {
    Money::from_decimal(text.parse::<Decimal>().unwrap()).unwrap()
}

/// Loads an input folder that must load.
fn load(dir: &Path) -> werkplan::app::Loaded {
    werkplan::app::load(dir, None, None).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// The JSON of a loaded report, as `werkplan build` writes it, in `dir/name`.
fn json_of_loaded(loaded: &werkplan::app::Loaded, dir: &Path, name: &str) -> PathBuf {
    let tables = werkplan::render::table::report_tables(&loaded.report);
    let bytes = werkplan::render::json::render(&loaded.werkplan, &loaded.report, &tables).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The JSON of the report of `input` as `werkplan build` writes it, in `dir/name`.
fn json_of(input: &Path, dir: &Path, name: &str) -> PathBuf {
    let loaded = load(input);
    let tables = werkplan::render::table::report_tables(&loaded.report);
    let bytes = werkplan::render::json::render(&loaded.werkplan, &loaded.report, &tables).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The row of a sheet whose cell `col` holds `text`.
fn row<'a>(sheet: &'a mut SheetSpec, col: usize, text: &str) -> &'a mut Vec<C> {
    sheet
        .rows
        .iter_mut()
        .find(|r| matches!(r.get(col), Some(C::T(s)) if s == text))
        .unwrap_or_else(|| panic!("{}: no row with ‘{text}’", sheet.name))
}

/// The 2022 workbook as the actualisatie revises it:
/// - Drenthe-brede projecten: 30.000 of 3b `Onderzoek, monitoring en voorlichting` moves to
///   a new line 3c (its stated remaining follows);
/// - Reguliere middelen: 5b `Regenboogprovincie` Budget 2022 50.000 -> 75.000 (the stated
///   total follows);
/// - Reguliere middelen: 5c `Toegankelijkheid` renamed;
/// - Alliantieprojecten: 1b `Drenthe Deelt` (2e ronde, 16.000) withdrawn, a 4e ronde with
///   2a (60.000) and 6d (45.000); the stated round totals and remaining budgets follow.
fn revised_2022() -> Vec<SheetSpec> {
    let mut sheets = werkplan2022::sheets();
    let [_, regulier, projecten, budget, awards] = &mut sheets[..] else {
        panic!("five sheets")
    };
    let r = row(projecten, 2, "Onderzoek, monitoring en voorlichting");
    (r[3], r[7]) = (n(220_000.0), n(8_432.0));
    let at = projecten
        .rows
        .iter()
        .position(|r| matches!(r.get(2), Some(C::T(s)) if s == "Netwerk en samenwerking"))
        .unwrap();
    projecten.rows.insert(
        at,
        vec![
            t("3 Armoede en laaggeletterdheid"),
            t("c"),
            t("Taal op de werkvloer"),
            n(30_000.0),
            n(0.0),
            n(0.0),
            n(0.0),
            n(30_000.0),
        ],
    );
    row(regulier, 2, "Regenboogprovincie")[6] = n(75_000.0);
    // the sheet's total: the last `Totaal` row (line 0c has its own above)
    let total = regulier
        .rows
        .iter_mut()
        .rev()
        .find(|r| matches!(r.get(2), Some(C::T(s)) if s == "Totaal"))
        .unwrap();
    total[6] = n(3_342_339.0);
    row(regulier, 2, "Toegankelijkheid")[2] = t("Toegankelijkheid en inclusie");

    awards
        .rows
        .retain(|r| !matches!(r.get(2), Some(C::T(s)) if s == "Drenthe Deelt"));
    let at = awards
        .rows
        .iter()
        .position(|r| matches!(r.get(2), Some(C::T(s)) if s == "Totaal"))
        .unwrap();
    for (theme, code, project, amount) in [
        ("2 Wonen", "a", "Samen wonen in de kern", 60_000.0),
        (
            "6 Onderwijskwaliteit en gelijke kansen",
            "d",
            "Voorleesexpress Zuidoost-Drenthe",
            45_000.0,
        ),
    ] {
        awards.rows.insert(
            at,
            vec![t(theme), t(code), t(project), t("4e ronde"), n(amount)],
        );
    }
    let total_2 = awards
        .rows
        .iter_mut()
        .find(|r| {
            matches!(r.get(3), Some(C::T(s)) if s == "2e ronde")
                && matches!(r.get(2), Some(C::T(s)) if s == "Totaal")
        })
        .unwrap();
    total_2[4] = n(816_465.0);
    awards
        .rows
        .push(vec![C::E, C::E, t("Totaal"), t("4e ronde"), n(105_000.0)]);
    for (theme, remaining) in [
        ("1 Leefbaarheid en bereikbaarheid", 416_000.0),
        ("2 Wonen", 90_000.0),
        ("6 Onderwijskwaliteit en gelijke kansen", 155_000.0),
    ] {
        row(budget, 0, theme)[2] = n(remaining);
    }
    row(budget, 0, "Totaal")[2] = n(1_585_547.70);
    sheets
}

fn instrument(changes: &Changes, which: Instrument) -> &InstrumentChanges {
    changes
        .instruments
        .iter()
        .find(|i| i.instrument == which)
        .unwrap()
}

/// A change as `(kind, theme+code, description, [(label, before, after)])`, for comparing.
type Brief = (
    ChangeKind,
    String,
    String,
    Vec<(String, Option<Money>, Option<Money>)>,
);

fn brief(change: &Change) -> Brief {
    (
        change.kind.clone(),
        format!("{}{}", change.theme, change.code),
        change.description.clone(),
        change
            .values
            .iter()
            .map(|v| (v.label.clone(), v.before, v.after))
            .collect(),
    )
}

fn value(
    label: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> (String, Option<Money>, Option<Money>) {
    (label.to_string(), before.map(money), after.map(money))
}

#[test]
fn a_basis_equal_to_the_input_gives_no_changes() {
    let dir = support::temp_dir("basis_equal");
    let path = json_of(Path::new("input"), &dir, "financien-werkplan-2022.json");
    let basis = read_basis(&path).unwrap();
    let loaded = load(Path::new("input"));
    assert_eq!(
        (basis.year, basis.peildatum),
        (2022, loaded.report.peildatum)
    );
    assert_eq!(basis.file, "financien-werkplan-2022.json");
    assert_eq!(
        basis.werkplan, loaded.werkplan,
        "the model reads back as it was"
    );
    assert_eq!(basis.findings, loaded.report.findings);
    assert!(basis.spent.is_none());
    let changes = compare(&basis, &loaded.werkplan, &loaded.report);
    assert!(changes.is_empty(), "{changes:#?}");
    assert!(changes.new_findings.is_empty() && changes.gone_findings.is_empty());
    assert_eq!(changes.counts(), Default::default());
}

#[test]
fn the_revised_2022_workbook_shows_exactly_its_changes() {
    let dir = support::temp_dir("basis_revised");
    let basis_path = json_of(Path::new("input"), &dir, "financien-werkplan-2022.json");
    let input = dir.join("input");
    std::fs::create_dir_all(&input).unwrap();
    support::write_workbook(&input, "werkplan-2022.xlsx", &revised_2022());

    let basis = read_basis(&basis_path).unwrap();
    let loaded = load(&input);
    let changes = compare(&basis, &loaded.werkplan, &loaded.report);
    assert_eq!(
        (changes.basis_year, changes.basis_peildatum),
        (2022, basis.peildatum)
    );

    let regulier = instrument(&changes, Instrument::ReguliereMiddelen);
    assert_eq!(
        regulier.changes.iter().map(brief).collect::<Vec<_>>(),
        vec![
            (
                ChangeKind::Changed,
                "5b".to_string(),
                "Regenboogprovincie".to_string(),
                vec![value("Budget 2022", Some("50000"), Some("75000"))],
            ),
            (
                ChangeKind::Renamed {
                    from: "Toegankelijkheid".to_string()
                },
                "5c".to_string(),
                "Toegankelijkheid en inclusie".to_string(),
                vec![],
            ),
        ]
    );
    // the new value's source cell: Budget 2022 is column G, 5b the row under 5a
    let place = regulier.changes[0].values[0].place.as_ref().unwrap();
    assert_eq!(
        (&*place.file, &*place.sheet, place.cell.chars().next()),
        ("werkplan-2022.xlsx", "Reguliere middelen", Some('G'))
    );
    assert_eq!(regulier.budget.difference(), money("25000"));
    assert!(!regulier.budget_neutral());
    assert!(regulier.remaining.is_none());

    let projecten = instrument(&changes, Instrument::DrentheBredeProjecten);
    assert_eq!(
        projecten.changes.iter().map(brief).collect::<Vec<_>>(),
        vec![
            (
                ChangeKind::Changed,
                "3b".to_string(),
                "Onderzoek, monitoring en voorlichting".to_string(),
                vec![value("Totaal budget", Some("250000"), Some("220000"))],
            ),
            (
                ChangeKind::Added,
                "3c".to_string(),
                "Taal op de werkvloer".to_string(),
                vec![value("Totaal budget", None, Some("30000"))],
            ),
        ]
    );
    assert!(projecten.budget_neutral());
    assert_eq!(
        (projecten.budget.before, projecten.budget.after),
        (Some(money("3160000")), Some(money("3160000")))
    );
    let remaining = projecten.remaining.as_ref().unwrap();
    assert_eq!(remaining.difference(), Money::ZERO);

    let alliantie = instrument(&changes, Instrument::Alliantieprojecten);
    assert_eq!(
        alliantie.changes.iter().map(brief).collect::<Vec<_>>(),
        vec![
            (
                ChangeKind::AwardWithdrawn {
                    round: "2e ronde".to_string()
                },
                "1b".to_string(),
                "Drenthe Deelt".to_string(),
                vec![value("2e ronde", Some("16000"), None)],
            ),
            (
                ChangeKind::AwardAdded {
                    round: "4e ronde".to_string()
                },
                "2a".to_string(),
                "Samen wonen in de kern".to_string(),
                vec![value("4e ronde", None, Some("60000"))],
            ),
            (
                ChangeKind::AwardAdded {
                    round: "4e ronde".to_string()
                },
                "6d".to_string(),
                "Voorleesexpress Zuidoost-Drenthe".to_string(),
                vec![value("4e ronde", None, Some("45000"))],
            ),
        ]
    );
    assert_eq!(alliantie.budget.difference(), Money::ZERO);
    let remaining = alliantie.remaining.as_ref().unwrap();
    assert_eq!(
        (remaining.label.as_str(), remaining.difference()),
        ("Resterend budget", money("-89000"))
    );

    let counts = changes.counts();
    assert_eq!(
        (
            counts.changed,
            counts.added,
            counts.renamed,
            counts.awards_added,
            counts.awards_withdrawn
        ),
        (2, 1, 1, 2, 1)
    );
    assert_eq!((counts.removed, counts.moved), (0, 0));
    assert_eq!(changes.total_budget().difference(), money("25000"));
    assert!(
        changes.new_findings.is_empty(),
        "{:#?}",
        changes.new_findings
    );
    assert!(
        changes.gone_findings.is_empty(),
        "{:#?}",
        changes.gone_findings
    );
    assert!(
        instrument(&changes, Instrument::ReguliereMiddelen)
            .spent
            .is_none()
    );
}

#[test]
fn the_reader_reads_the_schema_this_program_writes() {
    assert_eq!(
        werkplan::ingest::basis::SCHEMA,
        werkplan::render::json::SCHEMA_VERSION
    );
}

/// Reads `bytes` as a basis file `name` in `dir`; the error and its message.
fn broken(dir: &Path, name: &str, bytes: &[u8]) -> (BasisError, String) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let error = read_basis(&path).expect_err(name);
    let message = error.to_string();
    assert!(
        message.contains(&path.display().to_string()),
        "{message} names the file"
    );
    (error, message)
}

#[test]
fn every_unusable_basis_is_an_error_naming_the_file_and_what_is_wrong() {
    let dir = support::temp_dir("basis_broken");
    let good = std::fs::read(json_of(Path::new("input"), &dir, "goed.json")).unwrap();

    let missing = dir.join("bestaat-niet.json");
    let error = read_basis(&missing).unwrap_err();
    assert!(matches!(error, BasisError::Missing { .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("bestaat-niet.json: bestaat niet")
    );

    let error = read_basis(&dir).unwrap_err();
    assert!(matches!(error, BasisError::NotAFile { .. }), "{error}");

    // a sparse file one byte over the limit: refused before it is read
    let large = dir.join("te-groot.json");
    std::fs::File::create(&large)
        .unwrap()
        .set_len(werkplan::ingest::basis::MAX_BASIS_BYTES + 1)
        .unwrap();
    let error = read_basis(&large).unwrap_err();
    assert!(matches!(error, BasisError::TooLarge { .. }), "{error}");
    assert!(
        error.to_string().contains("is groter dan 256 MiB"),
        "{error}"
    );
    std::fs::remove_file(&large).unwrap();

    let (error, message) = broken(&dir, "tekst.json", b"{\n  \"schema\": 1,\n  oeps\n}");
    assert!(
        matches!(
            error,
            BasisError::NotJson {
                line: 3,
                column: 3,
                ..
            }
        ),
        "{message}"
    );
    assert!(
        message.contains("is geen JSON (regel 3, kolom 3"),
        "{message}"
    );

    let (error, message) = broken(&dir, "afgebroken.json", &good[..good.len() / 2]);
    assert!(matches!(error, BasisError::Truncated { .. }), "{message}");
    assert!(message.contains("is afgebroken"), "{message}");

    let text = String::from_utf8(good.clone()).unwrap();
    assert!(text.starts_with("{\"schema\":1,"));
    let other = text.replacen("{\"schema\":1,", "{\"schema\":2,", 1);
    let (error, message) = broken(&dir, "ander-schema.json", other.as_bytes());
    assert!(matches!(error, BasisError::OtherSchema { .. }), "{message}");
    assert!(
        message.contains("heeft JSON-schema 2; deze versie van werkplan leest schema 1"),
        "{message}"
    );

    let (error, message) = broken(&dir, "geen-model.json", b"{\"schema\":1,\"year\":2022}");
    assert!(matches!(error, BasisError::NotAReport { .. }), "{message}");
    assert!(message.contains("het veld ‘model’ ontbreekt"), "{message}");

    let (error, message) = broken(&dir, "geen-schema.json", b"{\"rapport\":[]}");
    assert!(message.contains("het veld ‘schema’ ontbreekt"), "{message}");
    assert!(matches!(error, BasisError::NotAReport { .. }));

    let bad_model = text.replacen(
        "\"model\":{\"year\":2022",
        "\"model\":{\"year\":\"2022\"",
        1,
    );
    assert_ne!(bad_model, text);
    let (error, message) = broken(&dir, "kapot-model.json", bad_model.as_bytes());
    assert!(matches!(error, BasisError::NotAReport { .. }), "{message}");
    assert!(
        message.contains("is geen rapport van werkplan: invalid type"),
        "{message}"
    );
}

#[test]
fn a_monthly_run_reads_back_with_its_ledger_and_compares_empty() {
    let (werkplan, report, _) = monthly::monthly_2022();
    let tables = werkplan::render::table::report_tables(&report);
    let bytes = werkplan::render::json::render(&werkplan, &report, &tables).unwrap();
    let dir = support::temp_dir("basis_monthly");
    let path = dir.join("financien-werkplan-2022.json");
    std::fs::write(&path, bytes).unwrap();
    let basis = read_basis(&path).unwrap();
    assert_eq!(basis.peildatum, monthly::peildatum());
    let spent = basis.spent_on(Instrument::ReguliereMiddelen).unwrap();
    assert!(spent > Money::ZERO);
    // the basis's figures computed again from its model and ledger are the report's
    let again = werkplan::compute::report_for(&basis.werkplan, basis.peildatum);
    assert_eq!(again.regulier, report.regulier);
    assert_eq!(again.drenthe_breed, report.drenthe_breed);
    assert_eq!(again.alliantie, report.alliantie);
    let changes = compare(&basis, &werkplan, &report);
    assert!(changes.is_empty(), "{changes:#?}");
    let spent = changes.instruments[0].spent.clone().unwrap();
    assert_eq!(
        (spent.before, spent.difference()),
        (Some(spent.after.unwrap()), Money::ZERO)
    );
}

#[test]
fn the_json_of_a_run_with_a_basis_carries_its_changes_and_follows_the_schema() {
    let dir = support::temp_dir("basis_schema");
    let basis = read_basis(&json_of(Path::new("input"), &dir, "basis.json")).unwrap();
    let input = dir.join("input");
    std::fs::create_dir_all(&input).unwrap();
    support::write_workbook(&input, "werkplan-2022.xlsx", &revised_2022());
    let mut loaded = load(&input);
    loaded.report.changes = Some(compare(&basis, &loaded.werkplan, &loaded.report));
    let path = json_of_loaded(&loaded, &dir, "met-basis.json");
    let document: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let changes = &document["report"]["changes"];
    assert_eq!(changes["basis_year"], 2022);
    let renamed = &changes["instruments"][0]["changes"][1];
    assert_eq!(renamed["kind"]["soort"], "renamed");
    assert_eq!(renamed["kind"]["from"], "Toegankelijkheid");
    let added = &changes["instruments"][1]["changes"][1]["values"][0];
    assert_eq!(
        (&added["after"], added.get("before")),
        (&serde_json::json!("30000.00"), None)
    );
    let text = std::fs::read_to_string("schema/report.schema.json").unwrap();
    let schema = jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap();
    let errors: Vec<String> = schema
        .iter_errors(&document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    // and a run with changes is still a basis
    assert!(read_basis(&path).is_ok());
}
