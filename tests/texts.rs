//! End-to-end tests of the report's texts: every figure and name the prose quotes comes from
//! the data, a sentence appears only when its data is there, and the Controle paragraph
//! counts checks and findings consistently.

mod support;

use std::path::Path;

use werkplan::compute::{FindingKind, Report};
use werkplan::render::Block;
use werkplan::render::text::number_in_words;

use support::{SheetSpec, n, t};

/// The names the 2022 prose used to hard-code; none may appear for other data.
const NAMES_2022: [&str; 5] = [
    "CMO STAMM",
    "BOKD",
    "Zorgbelang Drenthe",
    "SportDrenthe",
    "Stichting Leren & Leven",
];

fn text(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|b| match b {
            Block::Chapter(s) | Block::Section(s) | Block::Paragraph(s) | Block::Bullet(s) => {
                s.as_str()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn load(input: &Path) -> werkplan::app::Loaded {
    werkplan::app::load(input, None, None).unwrap_or_else(|e| panic!("{e}: {e:?}"))
}

/// The parts of the lines with parts, in table order.
fn part_names(report: &Report) -> Vec<String> {
    report
        .regulier
        .sections
        .iter()
        .flat_map(|s| &s.lines)
        .flat_map(|l| &l.parts)
        .map(|p| p.description.clone())
        .collect()
}

#[test]
fn the_2022_text_quotes_the_data() {
    let loaded = load(Path::new("input"));
    let report = &loaded.report;
    let intro = text(&loaded.appendix.intro);

    // the institutions are the parts in the data, enumerated in Dutch
    let parts = part_names(report);
    assert_eq!(parts.len(), 5, "{parts:?}");
    for name in NAMES_2022 {
        assert!(parts.iter().any(|p| p == name), "{name} not in the data");
    }
    let enumeration = format!("{} en {}", parts[..4].join(", "), parts[4]);
    assert!(
        intro.contains(&format!("Sociale Agenda zoals {enumeration}.")),
        "{intro}"
    );

    // the years of the Reguliere middelen columns
    assert!(
        intro.contains("Na een opbouwperiode in 2020 zijn in 2021 een groot aantal initiatieven"),
        "{intro}"
    );
    assert!(
        intro.contains("de uitgaven over 2020 en 2021 en de budgetten voor 2022 en 2023."),
        "{intro}"
    );

    // the figures of the tables
    assert!(
        intro.contains("Drenthe-brede projecten met een totaal beschikbaar budget van € 3.160.000"),
        "{intro}"
    );
    assert!(
        intro.contains("alliantieprojecten met een totaal beschikbaar budget van € 3.750.000."),
        "{intro}"
    );
    assert_eq!(report.alliantie.projects, 32);
    assert!(
        intro.contains("eindresultaat 32 alliantieprojecten die subsidie ontvangen, samen"),
        "{intro}"
    );
    assert!(
        intro.contains("hebben er drie aanvraagrondes plaatsgevonden"),
        "{intro}"
    );
    assert!(
        intro.contains(&format!(
            "samen {}",
            report.alliantie.awarded.to_dutch_with(false)
        )),
        "{intro}"
    );
    assert!(
        intro.contains("Van het alliantiebudget van € 3.750.000 resteert € 1.674.547,70."),
        "{intro}"
    );
    assert!(
        intro.contains(&format!("peildatum {}.", report.peildatum.to_dutch())),
        "{intro}"
    );
    assert!(intro.contains("31 december 2021"), "{intro}");

    // two awards carry a voorbehoud, and the text says so with the table's words
    assert!(
        intro.contains("voor twee daarvan geldt een voorbehoud (ovb voorhangprocedure)."),
        "{intro}"
    );

    // nothing the tables do not show, and no table that is said to stand "hieronder"
    assert!(!intro.contains("Hieronder"), "{intro}");
}

#[test]
fn the_2022_controle_text_counts_checks_and_findings_consistently() {
    let loaded = load(Path::new("input"));
    let report = &loaded.report;
    let controle = text(&loaded.appendix.control.text);
    let checks = report.checks;
    let failed = checks.total - checks.passed;
    let from_checks = report
        .findings
        .iter()
        .filter(|f| f.kind != FindingKind::Invoer)
        .count();
    // every check that is not in order is one finding
    assert_eq!(failed, from_checks);
    assert!(failed > 1, "the 2022 data has findings");
    assert!(
        controle.contains(&format!(
            "Er zijn {} controles uitgevoerd: {} in orde en {} niet in orde.",
            number_in_words(checks.total as u64),
            number_in_words(checks.passed as u64),
            number_in_words(failed as u64),
        )),
        "{controle}"
    );
    assert!(
        controle.contains(&format!(
            "De {} bevindingen staan, elk met de plaats in de spreadsheet, in het overzicht van de bevindingen.",
            number_in_words(report.findings.len() as u64)
        )),
        "{controle}"
    );
    assert!(!controle.contains("hieronder"), "{controle}");
    assert!(!controle.contains("één bevindingen"), "{controle}");
}

/// A werkplan with spending in 2022 and 2023 and budgets for 2024 and 2025, no line with
/// parts, and no award with a voorbehoud.
fn other_werkplan() -> Vec<SheetSpec> {
    let themas = SheetSpec::new(
        "Themas",
        vec![
            vec![t("Nr"), t("Thema")],
            vec![n(0.0), t("Algemeen")],
            vec![n(1.0), t("Wonen")],
            vec![n(2.0), t("Zorg")],
        ],
    );
    let regulier = SheetSpec::new(
        "Reguliere middelen",
        vec![
            vec![
                t("Thema"),
                t("Code"),
                t("Omschrijving"),
                t("Uitgaven 2022"),
                t("Uitgaven 2023"),
                t("Budget 2024"),
                t("Budget 2025"),
            ],
            vec![
                t("Algemeen"),
                t("a"),
                t("Secretariaat"),
                n(100.0),
                n(200.0),
                n(300.0),
                n(400.0),
            ],
            vec![
                t("1"),
                t("a"),
                t("Huisvesting"),
                n(1_000.0),
                n(2_000.0),
                n(3_000.0),
                n(4_000.0),
            ],
        ],
    );
    let drenthe = SheetSpec::new(
        "Drenthe-brede projecten",
        vec![
            vec![
                t("Thema"),
                t("Code"),
                t("Project"),
                t("Totaal budget"),
                t("Uitgaven 2022"),
                t("Uitgaven 2023"),
                t("Verplicht 2024 e.v."),
            ],
            vec![
                t("2 Zorg"),
                t("a"),
                t("Zorgnetwerk"),
                n(125_000.0),
                n(10_000.0),
                n(20_000.0),
                n(30_000.0),
            ],
        ],
    );
    let budget = SheetSpec::new(
        "Alliantiebudget",
        vec![
            vec![t("Thema"), t("Totaal budget")],
            vec![n(1.0), n(50_000.0)],
            vec![n(2.0), n(70_000.0)],
        ],
    );
    let projecten = SheetSpec::new(
        "Alliantieprojecten",
        vec![
            vec![
                t("Thema"),
                t("Code"),
                t("Project"),
                t("Ronde"),
                t("Toegekend"),
            ],
            vec![n(1.0), t("a"), t("Een"), t("1e ronde"), n(10_000.0)],
            vec![n(1.0), t("b"), t("Twee"), t("2e ronde"), n(20_000.50)],
            vec![n(2.0), t("a"), t("Drie"), t("2e ronde"), n(30_000.0)],
            vec![n(2.0), t("b"), t("Vier"), t("1e ronde"), n(40_000.0)],
        ],
    );
    vec![themas, regulier, drenthe, budget, projecten]
}

#[test]
fn other_data_gives_other_text() {
    let dir = support::temp_dir("texts-other");
    support::write_workbook(&dir, "werkplan.xlsx", &other_werkplan());
    let loaded = load(&dir);
    let report = &loaded.report;
    assert_eq!(report.year, 2024);
    assert!(part_names(report).is_empty());
    let intro = text(&loaded.appendix.intro);
    let controle = text(&loaded.appendix.control.text);
    let all = format!("{intro}\n{controle}");

    // nothing of 2022
    for name in NAMES_2022 {
        assert!(!all.contains(name), "{name}: {all}");
    }
    for year in ["2020", "2021"] {
        assert!(!all.contains(year), "{year}: {all}");
    }
    assert!(
        !all.contains("€ 3.160.000") && !all.contains("€ 3.750.000"),
        "{all}"
    );
    // no parts: no partners; no voorbehoud: no voorhang sentence
    assert!(!intro.contains("waaronder"), "{intro}");
    assert!(
        intro.contains("Vanuit de begroting de inzet van reguliere middelen."),
        "{intro}"
    );
    assert!(!intro.contains("voorbehoud"), "{intro}");
    assert!(!intro.contains("voorhang"), "{intro}");

    // this data's years, figures and counts
    assert!(
        intro.contains("Na een opbouwperiode in 2022 zijn in 2023 een groot aantal"),
        "{intro}"
    );
    assert!(
        intro.contains("de uitgaven over 2022 en 2023 en de budgetten voor 2024 en 2025."),
        "{intro}"
    );
    assert!(
        intro.contains("Drenthe-brede projecten met een totaal beschikbaar budget van € 125.000"),
        "{intro}"
    );
    assert!(
        intro.contains("alliantieprojecten met een totaal beschikbaar budget van € 120.000."),
        "{intro}"
    );
    assert!(
        intro.contains(
            "hebben er twee aanvraagrondes plaatsgevonden, met als eindresultaat vier \
             alliantieprojecten die subsidie ontvangen, samen € 100.000,50."
        ),
        "{intro}"
    );
    assert!(
        intro.contains("Van het alliantiebudget van € 120.000 resteert € 19.999,50."),
        "{intro}"
    );
    assert!(intro.contains("peildatum 31 december 2023."), "{intro}");

    // no finding: the Controle text says so
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert!(controle.contains("ze zijn alle in orde."), "{controle}");
    assert!(controle.contains("Er zijn geen bevindingen."), "{controle}");
}

#[test]
fn a_templates_folder_that_does_not_exist_is_an_error() {
    let missing = support::temp_dir("texts-no-templates").join("bestaat-niet");
    let err = werkplan::app::load(Path::new("input"), None, Some(&missing))
        .err()
        .expect("an error");
    let message = err.to_string();
    assert!(
        matches!(
            err,
            werkplan::app::LoadError::Template(werkplan::render::TextError::Folder { .. })
        ),
        "{err:?}"
    );
    assert!(message.contains("bestaat-niet"), "{message}");
    assert!(message.contains("sjablonenmap"), "{message}");
}

mod monthly;

/// An amount as the templates' `euro` helper prints it: cents only when there are any.
fn euro(value: werkplan::model::Money) -> String {
    value.to_dutch_with(value.has_cents())
}

#[test]
fn the_monthly_run_text_quotes_the_tables_spending_and_share_of_the_budget() {
    use rust_decimal::Decimal;
    use werkplan::compute::ReportColumnKind;
    use werkplan::model::{ColumnKind, Instrument};

    let (_, report, appendix) = monthly::monthly_2022();
    let intro = text(&appendix.intro);
    assert!(
        intro.contains("Realisatie tot en met de peildatum"),
        "{intro}"
    );
    let year = report.peildatum.year;
    let peildatum = report.peildatum.to_dutch();
    assert_eq!(report.realisation.len(), 3);
    for real in &report.realisation {
        let table = match real.instrument {
            Instrument::ReguliereMiddelen => Some(&report.regulier),
            Instrument::DrentheBredeProjecten => Some(&report.drenthe_breed),
            Instrument::Alliantieprojecten => None,
        };
        // what the text says was spent is what the table's spending column adds up to
        let spent = match table {
            Some(table) => {
                let col = table
                    .column(&ReportColumnKind::LedgerSpending(year))
                    .expect("a spending column for the peildatum's year");
                table.totals[col]
            }
            None => report.alliantie.paid.unwrap(),
        };
        assert_eq!(real.spent(), spent);
        let sentence = format!(
            "{}: tot en met {peildatum} is in {year} {} uitgegeven",
            real.instrument.name(),
            euro(spent)
        );
        assert!(intro.contains(&sentence), "{sentence}\n{intro}");
        // and the share is of the budget the table shows for that year
        let budget_col =
            table.and_then(|t| t.column(&ReportColumnKind::Input(ColumnKind::Budget(year))));
        assert_eq!(
            real.budget,
            table.zip(budget_col).map(|(t, col)| t.totals[col])
        );
        if let Some(budget) = real.budget {
            let share = real.share().unwrap();
            assert!(
                intro.contains(&format!(
                    "{share}% van het budget {year} van {}",
                    euro(budget)
                )),
                "{intro}"
            );
            let exact = spent.decimal() * Decimal::ONE_HUNDRED / budget.decimal();
            assert!((exact - Decimal::from(share)).abs() <= Decimal::new(5, 1));
        }
    }
    // the ledger's checks count like the others: every one not in order is one finding
    let checks = report.checks;
    let from_checks = report
        .findings
        .iter()
        .filter(|f| f.kind != FindingKind::Invoer)
        .count();
    assert_eq!(checks.total - checks.passed, from_checks);
    let controle = text(&appendix.control.text);
    assert!(
        controle.contains(&format!(
            "Er zijn {} controles uitgevoerd",
            number_in_words(checks.total as u64)
        )),
        "{controle}"
    );
    // and without a ledger, no realisation at all
    let plain = load(Path::new("input"));
    assert!(!text(&plain.appendix.intro).contains("Realisatie"));
}
