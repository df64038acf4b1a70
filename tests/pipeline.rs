//! End-to-end tests of the pipeline: the 2022 workbook, messy workbooks, the command line.

mod support;

use std::path::Path;

use rust_decimal::Decimal;
use werkplan::compute::{FindingKind, Report, Severity};
use werkplan::model::Money;

use support::{C, SheetSpec, n, t, werkplan2022};

fn money(text: &str) -> Money {
    Money::from_decimal(text.parse::<Decimal>().unwrap()).unwrap()
}

fn dutch(values: &[Money]) -> Vec<String> {
    values.iter().map(|v| v.to_dutch_plain(false)).collect()
}

/// Loads an input folder that must load, showing every finding when it does not.
fn load_ok(dir: &Path) -> werkplan::app::Loaded {
    werkplan::app::load(dir, None, None).unwrap_or_else(|e| match e {
        werkplan::app::LoadError::Input(f) => panic!(
            "{}: {:#?}",
            dir.display(),
            f.iter().map(ToString::to_string).collect::<Vec<_>>()
        ),
        other => panic!("{}: {other}", dir.display()),
    })
}

/// `werkplan build --quiet` of the bundled 2022 workbook into `out`.
fn build_2022_into(out: &Path) -> std::process::Output {
    support::werkplan(&[
        "build",
        "--quiet",
        "--input",
        "input",
        "--output",
        out.to_str().unwrap(),
    ])
}

fn load_2022() -> werkplan::app::Loaded {
    werkplan::app::load(Path::new("input"), None, None).unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn input_workbook_is_built_from_this_source() {
    let bytes = support::workbook_bytes(&werkplan2022::sheets());
    let path = Path::new("input/werkplan-2022.xlsx");
    let committed = support::golden(path, &bytes);
    assert!(
        committed == bytes,
        "input/werkplan-2022.xlsx differs from tests/support/werkplan2022.rs; regenerate with WERKPLAN_UPDATE_GOLDEN=1"
    );
}

fn assert_2022_totals(report: &Report) {
    assert_eq!(report.year, 2022);
    // 1. Reguliere middelen
    let r = &report.regulier;
    assert_eq!(
        r.columns
            .iter()
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>(),
        [
            "Uitgaven 2020",
            "Uitgaven 2021",
            "Budget 2022",
            "Budget 2023"
        ]
    );
    assert_eq!(
        dutch(&r.totals),
        ["1.537.933,56", "3.366.646,84", "3.317.339", "2.385.811"]
    );
    let algemeen = &r.sections[0];
    assert_eq!(algemeen.heading, "Algemeen");
    let c = algemeen.lines.iter().find(|l| l.code == "c").unwrap();
    assert_eq!(c.parts.len(), 5);
    assert_eq!(
        dutch(&c.values),
        ["906.109", "1.886.541", "1.749.817", "1.803.289"]
    );
    let wonen = r.sections.iter().find(|s| s.theme == 2).unwrap();
    assert_eq!(wonen.notes, ["Niet van toepassing binnen Sociale Agenda"]);
    assert!(wonen.lines.is_empty());
    assert_eq!(r.sections.len(), 7);

    // 2. Drenthe-brede projecten
    let d = &report.drenthe_breed;
    assert_eq!(d.columns.len(), 5);
    assert_eq!(
        dutch(&d.totals),
        ["3.160.000", "437.875", "452.705", "2.209.023", "60.397"]
    );
    let k4k = d
        .sections
        .iter()
        .find(|s| s.theme == 6)
        .unwrap()
        .lines
        .iter()
        .find(|l| l.description == "Kansen4Kinderen")
        .unwrap();
    assert_eq!(k4k.values[4], money("-5000"));
    let footnote_5a = d
        .footnotes
        .iter()
        .find(|f| f.text.starts_with("Indien het geraamd budget"))
        .expect("the footnote of 5a");
    let t5a = &d.sections.iter().find(|s| s.theme == 5).unwrap().lines[0];
    assert_eq!(t5a.footnote_marker.as_ref(), Some(&footnote_5a.marker));
    assert_eq!(t5a.marked, [true, false, false, true, false]);

    // 3. Alliantieprojecten
    let a = &report.alliantie;
    let rows: Vec<(u32, String, String, String, usize)> = a
        .themes
        .iter()
        .map(|t| {
            (
                t.theme,
                t.budget.to_dutch_plain(false),
                t.awarded.to_dutch_plain(false),
                t.remaining.to_dutch_plain(false),
                t.awards.len(),
            )
        })
        .collect();
    let expected = [
        (1, "729.811", "329.811", "400.000", 6),
        (2, "150.000", "0", "150.000", 0),
        (3, "667.072", "260.164,30", "406.907,70", 6),
        (4, "1.020.189", "640.939", "379.250", 8),
        (5, "900.000", "761.610", "138.390", 9),
        (6, "282.928", "82.928", "200.000", 3),
    ];
    assert_eq!(
        rows,
        expected.map(|(n, b, w, r, p)| (n, b.to_string(), w.to_string(), r.to_string(), p))
    );
    assert_eq!(a.budget.to_dutch_plain(false), "3.750.000");
    assert_eq!(a.awarded.to_dutch_plain(false), "2.075.452,30");
    assert_eq!(a.remaining.to_dutch_plain(false), "1.674.547,70");
    assert_eq!(a.projects, 32);
    assert_eq!(
        a.rounds
            .iter()
            .map(|r| (r.label.clone(), r.total.to_dutch_plain(false)))
            .collect::<Vec<_>>(),
        [
            ("1e ronde".to_string(), "309.175".to_string()),
            ("2e ronde".to_string(), "832.465".to_string()),
            ("3e ronde".to_string(), "933.812,30".to_string()),
        ]
    );
    let ovb: Vec<&str> = a
        .themes
        .iter()
        .flat_map(|t| &t.awards)
        .filter(|w| w.voorbehoud.is_some())
        .map(|w| w.project.as_str())
        .collect();
    assert_eq!(ovb, ["Opzetten zorgketen", "De Droomfabriek"]);
}

#[test]
fn the_2022_workbook_gives_every_reference_total() {
    let report = load_2022().report;
    assert_2022_totals(&report);
    assert_eq!(report.drenthe_breed.footnotes.len(), 1);
    assert_eq!(report.drenthe_breed.footnotes[0].marker, "*");
}

#[test]
fn the_2022_workbook_reports_exactly_the_documents_errors() {
    let report = load_2022().report;
    let lines: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
    assert_eq!(report.findings.len(), 3, "{lines:#?}");
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.severity == Severity::Waarschuwing)
    );
    // the model names the file in the input folder; the log puts the folder in front
    assert_eq!(
        lines[0],
        "werkplan-2022.xlsx › Reguliere middelen › F31: vermeld € 3.365.646,84, berekend € 3.366.646,84 (verschil € 1.000,00) bij Totaal, Uitgaven 2021"
    );
    let over = &report.findings[1];
    assert_eq!(over.kind, FindingKind::Overbesteed);
    assert_eq!(
        over.place.to_string(),
        "werkplan-2022.xlsx › Drenthe-brede projecten › H14"
    );
    assert_eq!(over.computed, Some(money("-5000")));
    assert_eq!(over.stated, Some(Money::ZERO));
    assert!(over.message.contains("Kansen4Kinderen"), "{}", over.message);
    let rest = &report.findings[2];
    assert_eq!(rest.kind, FindingKind::AfwijkendTotaal);
    assert_eq!(
        rest.place.to_string(),
        "werkplan-2022.xlsx › Drenthe-brede projecten › H15"
    );
    assert_eq!(
        (rest.stated, rest.computed),
        (Some(money("65397")), Some(money("60397")))
    );
    // Reguliere 4 (Totaal c) + 4 (Totaal); Drenthe-brede 11 remainders + 5 (Totaal);
    // alliantie 6 remainders + 2 (budget sheet Totaal) + 3 (round totals)
    assert_eq!(report.checks.total, 35, "{:?}", report.checks);
    assert_eq!(report.checks.passed, report.checks.total - 3);
}

#[test]
fn build_writes_the_json_and_reports_findings_on_stderr() {
    let out = support::temp_dir("build-2022");
    let output = support::werkplan(&[
        "build",
        "--input",
        "input",
        "--output",
        out.to_str().unwrap(),
    ]);
    let stderr = support::stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("input/werkplan-2022.xlsx › Reguliere middelen › F31: vermeld € 3.365.646,84, berekend € 3.366.646,84 (verschil € 1.000,00)"), "{stderr}");
    assert!(stderr.contains("Kansen4Kinderen"), "{stderr}");
    assert!(
        stderr.contains("vermeld € 65.397,00, berekend € 60.397,00"),
        "{stderr}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("financien-werkplan-2022.json")).unwrap())
            .unwrap();
    assert_eq!(json["year"], 2022);
    assert_eq!(json["peildatum"], "2021-12-31");
    assert_eq!(json["report"]["regulier"]["totals"][1], "3366646.84");
    assert_eq!(json["report"]["drenthe_breed"]["totals"][4], "60397.00");
    assert_eq!(json["report"]["alliantie"]["remaining"], "1674547.70");
    assert_eq!(json["report"]["findings"].as_array().unwrap().len(), 3);
    assert_eq!(json["report"]["findings"][0]["place"]["cell"], "F31");
    assert_eq!(json["report"]["findings"][0]["difference"], "1000.00");
    // no temporary files left behind
    assert!(
        support::snapshot(&out)
            .iter()
            .all(|(name, _)| !name.starts_with('.'))
    );
    // the same input gives the same bytes
    let first = support::snapshot(&out);
    let again = build_2022_into(&out);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(first, support::snapshot(&out));
}

#[test]
fn strict_exits_3_and_writes_nothing() {
    let out = support::temp_dir("strict-2022");
    std::fs::write(out.join("financien-werkplan-2022.json"), b"vorige versie").unwrap();
    let before = support::snapshot(&out);
    let output = support::werkplan(&[
        "build",
        "--strict",
        "--input",
        "input",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(3),
        "{}",
        support::stderr(&output)
    );
    assert_eq!(before, support::snapshot(&out));
}

#[test]
fn check_reports_and_writes_nothing() {
    let output = support::werkplan(&["check", "--input", "input"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        support::stderr(&output)
            .lines()
            .filter(
                |l| l.starts_with("input/werkplan-2022.xlsx › ") && l.ends_with(" [waarschuwing]")
            )
            .count(),
        3
    );
    let strict = support::werkplan(&["check", "--strict", "--input", "input"]);
    assert_eq!(strict.status.code(), Some(3));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(support::werkplan(&["bouw"]).status.code(), Some(2));
    assert_eq!(
        support::werkplan(&["build", "--peildatum", "31-12-2021"])
            .status
            .code(),
        Some(2)
    );
}

// ---------------------------------------------------------------------------------------
// Messy workbooks: the 2022 figures written the way people write spreadsheets.

/// Reorders and renames a sheet's columns: `order` lists source column indices; `headers`
/// replaces the header texts; `extra` adds an unknown column.
fn reshape(spec: &SheetSpec, header_row: usize, order: &[usize], headers: &[&str]) -> SheetSpec {
    let rows = spec
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            if r < header_row {
                return row.clone();
            }
            let mut out: Vec<C> = vec![if r == header_row {
                t("Opmerking")
            } else {
                C::E
            }];
            for (i, &src) in order.iter().enumerate() {
                if r == header_row {
                    out.push(t(headers[i]));
                } else {
                    out.push(row.get(src).cloned().unwrap_or(C::E));
                }
            }
            out
        })
        .collect();
    SheetSpec {
        name: spec.name.clone(),
        rows,
    }
}

/// Replaces theme references `"n Name"` by `f(n, name)`.
fn rethemes(spec: &mut SheetSpec, column: usize, f: impl Fn(u32, &str) -> C) {
    for row in spec.rows.iter_mut() {
        if let Some(C::T(text)) = row.get(column).cloned()
            && let Some((nr, name)) = text.split_once(' ')
            && let Ok(nr) = nr.parse::<u32>()
        {
            row[column] = f(nr, name);
        }
    }
}

/// Amounts as Dutch text: `1234.5` -> `€ 1.234,50`; zero as `-`.
fn as_dutch_text(spec: &mut SheetSpec, columns: std::ops::Range<usize>) {
    for row in spec.rows.iter_mut() {
        for c in columns.clone() {
            if let Some(C::N(v)) = row.get(c).cloned() {
                let m =
                    Money::from_decimal(Decimal::from_f64_retain(v).unwrap().round_dp(2)).unwrap();
                row[c] = if m.is_zero() {
                    t("-")
                } else {
                    t(&m.to_dutch_with(false))
                };
            }
        }
    }
}

/// Adds float noise to numbers: `x` becomes `x + tiny`, as sums in spreadsheets do.
fn with_float_noise(spec: &mut SheetSpec, columns: std::ops::Range<usize>) {
    for row in spec.rows.iter_mut() {
        for c in columns.clone() {
            if let Some(C::N(v)) = row.get(c).cloned() {
                row[c] = C::F(format!("{v}+0"), v + v.abs() * 1e-15 * 3.0);
            }
        }
    }
}

#[test]
fn messy_workbooks_give_the_same_figures() {
    let dir = support::temp_dir("messy-2022");
    // Thema's: themes as plain names
    let themas = werkplan2022::themas();
    // Reguliere middelen: shuffled columns with aliases and line breaks, themes by number,
    // amounts with float noise
    let mut regulier = reshape(
        &werkplan2022::reguliere_middelen(),
        4,
        &[2, 0, 4, 3, 5, 1, 6, 7],
        &[
            "OMSCHRIJVING",
            "thema",
            "Uitgaven\n2020",
            "onderdeel  van",
            "Realisatie 2021",
            "Code",
            "Budget ’22",
            "Begroting\n2023",
        ],
    );
    rethemes(&mut regulier, 2, |nr, _| n(f64::from(nr)));
    with_float_noise(&mut regulier, 3..9);
    // Drenthe-brede: amounts as Dutch text, themes by name only
    let mut drenthe = werkplan2022::drenthe_brede_projecten();
    as_dutch_text(&mut drenthe, 3..8);
    rethemes(&mut drenthe, 0, |_, name| t(name));
    // Alliantie sheets in a second file, rounds as plain numbers, themes as "Thema 4"
    let mut budget = werkplan2022::alliantiebudget();
    rethemes(&mut budget, 0, |nr, _| t(&format!("Thema {nr}")));
    budget.name = "alliantie  budget".to_string();
    let mut projecten = werkplan2022::alliantieprojecten();
    for row in projecten.rows.iter_mut().skip(3) {
        if let Some(C::T(round)) = row.get(3).cloned() {
            row[3] = n(round.trim_end_matches("e ronde").parse::<f64>().unwrap());
        }
    }
    support::write_workbook(&dir, "begroting.xlsx", &[themas, regulier, drenthe]);
    support::write_workbook(
        &dir,
        "allianties.xlsx",
        &[
            SheetSpec::new("Notities", vec![vec![t("niet relevant")]]),
            budget,
            projecten,
        ],
    );
    std::fs::write(dir.join("~$begroting.xlsx"), b"lock file").unwrap();
    std::fs::write(dir.join("leesmij.txt"), b"geen werkboek").unwrap();

    let loaded = load_ok(&dir);
    assert_2022_totals(&loaded.report);
    assert_eq!(loaded.report.findings.len(), 3);
    // the places follow the files and shuffled columns
    let first = &loaded.report.findings[0];
    assert!(first.place.file.ends_with("begroting.xlsx"));
    assert_eq!(first.place.cell, "F31");
}

#[test]
fn other_years_and_more_rounds() {
    let dir = support::temp_dir("years-rounds");
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
                t("Uitgaven 2023"),
                t("Uitgaven 2024"),
                t("Budget 2025"),
                t("Budget 2026"),
                t("Budget 2027"),
            ],
            vec![
                t("Algemeen"),
                t("a"),
                t("Secretariaat"),
                n(100.10),
                n(200.0),
                n(300.0),
                n(400.0),
                n(500.0),
            ],
            vec![
                t("1"),
                t("a"),
                t("Huisvesting"),
                t("€ 1.000"),
                t("2.000,50"),
                t("-"),
                C::E,
                n(5.0),
            ],
            vec![
                C::E,
                C::E,
                t("Totaal"),
                n(1100.10),
                n(2200.50),
                n(300.0),
                n(400.0),
                n(505.0),
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
                t("Uitgaven 2023"),
                t("Uitgaven 2024"),
                t("Verplicht 2025 e.v."),
            ],
            vec![
                t("2 Zorg"),
                t("a"),
                t("Zorgnetwerk"),
                n(1000.0),
                n(100.0),
                n(200.0),
                n(300.0),
            ],
        ],
    );
    let budget = SheetSpec::new(
        "Alliantiebudget",
        vec![
            vec![t("Thema"), t("Totaal budget")],
            vec![n(1.0), n(500.0)],
            vec![n(2.0), n(700.0)],
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
            vec![n(1.0), t("a"), t("Een"), t("eerste ronde"), n(10.0)],
            vec![n(1.0), t("b"), t("Twee"), t("Ronde 5"), n(20.0)],
            vec![n(2.0), t("a"), t("Drie"), t("4e"), n(30.0)],
            vec![n(2.0), t("b"), t("Vier"), n(2.0), n(40.0)],
        ],
    );
    support::write_workbook(
        &dir,
        "w.xlsx",
        &[themas, regulier, drenthe, budget, projecten],
    );
    let report = load_ok(&dir).report;
    assert_eq!(report.year, 2025);
    assert_eq!(
        dutch(&report.regulier.totals),
        ["1.100,10", "2.200,50", "300", "400", "505"]
    );
    assert_eq!(report.drenthe_breed.totals[4], money("400"));
    assert_eq!(
        report
            .alliantie
            .rounds
            .iter()
            .map(|r| r.label.as_str())
            .collect::<Vec<_>>(),
        ["1e ronde", "2e ronde", "4e ronde", "5e ronde"]
    );
    assert_eq!(report.alliantie.remaining, money("1100"));
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!(report.peildatum.to_string(), "2024-12-31");
}

#[test]
fn ods_and_xls_workbooks_are_read_too() {
    // tests/fixtures/{ods,xls}: the 2022 workbook saved by LibreOffice in those formats
    for format in ["ods", "xls"] {
        let dir = Path::new("tests/fixtures").join(format);
        let loaded =
            werkplan::app::load(&dir, None, None).unwrap_or_else(|e| panic!("{format}: {e:?}"));
        assert_2022_totals(&loaded.report);
        assert_eq!(loaded.report.findings.len(), 3, "{format}");
        assert_eq!(loaded.report.findings[0].place.cell, "F31", "{format}");
    }
}

#[test]
fn a_second_run_on_the_same_output_is_stopped_and_a_stale_lock_taken_over() {
    let out = support::temp_dir("lock");
    std::fs::write(out.join("financien-werkplan-2022.json"), b"vorige").unwrap();
    // a live process holds the lock: this test's own process, with the operating system
    std::fs::write(
        out.join(".werkplan.lock"),
        format!("{}\n", std::process::id()),
    )
    .unwrap();
    let held = std::fs::File::open(out.join(".werkplan.lock")).unwrap();
    held.try_lock().unwrap();
    let before = support::snapshot(&out);
    let output = support::werkplan(&[
        "build",
        "--input",
        "input",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        support::stderr(&output).contains("een andere werkplan-run"),
        "{}",
        support::stderr(&output)
    );
    assert_eq!(before, support::snapshot(&out));
    drop(held);
    // a lock left by a process that is gone is stale
    std::fs::write(out.join(".werkplan.lock"), b"4194999\n").unwrap();
    let output = build_2022_into(&out);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        support::stderr(&output)
    );
    assert!(!out.join(".werkplan.lock").exists());
    assert!(out.join("financien-werkplan-2022.pdf").exists());
}

#[test]
fn templates_can_be_replaced_and_a_broken_one_stops_the_run() {
    let templates = support::temp_dir("templates-own");
    std::fs::write(
        templates.join("financien.hbs"),
        "# Financiën\n\nHet alliantiebudget is {{euro alliantie.budget}} voor {{aantal alliantie.projecten}} projecten in {{aantal alliantie.rondes}} rondes, peildatum {{datum peildatum}}.\n",
    )
    .unwrap();
    let out = support::temp_dir("templates-out");
    let output = support::werkplan(&[
        "build",
        "--quiet",
        "--templates",
        templates.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        support::stderr(&output)
    );
    let loaded = werkplan::app::load(Path::new("input"), None, Some(&templates)).unwrap();
    assert_eq!(
        loaded.appendix.intro[1],
        werkplan::render::Block::Paragraph("Het alliantiebudget is € 3.750.000 voor 32 projecten in drie rondes, peildatum 31 december 2021.".into())
    );

    // a figure the report does not have: strict mode names the template and line
    std::fs::write(
        templates.join("financien.hbs"),
        "# Financiën\n\nRegel twee.\n{{euro alliantie.onbekend}}\n",
    )
    .unwrap();
    let before = support::snapshot(&out);
    let output = support::werkplan(&[
        "build",
        "--templates",
        templates.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    let stderr = support::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("financien.hbs") && stderr.contains("regel 4"),
        "{stderr}"
    );
    assert_eq!(before, support::snapshot(&out));
}

/// The 2022 workbook as people also write it: a year header with a unit after it, an extra
/// column that looks like an amount, a line code in capitals on a Totaal row, a source line
/// under the table, the accounting zero `€ -`, a sheet name with a year, a description
/// column beside `Project`, a theme total named in words, a round total named in words,
/// yes/no answers for a voorbehoud, and a ledger sheet this version does not read yet.
#[test]
fn spreadsheets_as_people_write_them() {
    let dir = support::temp_dir("zoals-mensen-schrijven");
    let mut regulier = werkplan2022::reguliere_middelen();
    regulier.name = "Reguliere middelen 2022".to_string();
    regulier.rows[4][5] = t("Uitgaven 2021 (€)");
    regulier.rows[4].push(t("Uitgaven totaal"));
    regulier.rows[13][3] = t("C");
    regulier.rows[15][4] = t("€ -");
    regulier.rows.push(vec![
        C::E,
        C::E,
        t("Bron: financiële administratie, december 2021"),
    ]);
    regulier
        .rows
        .push(vec![t("Opgesteld door de afdeling Financiën")]);

    let mut drenthe = werkplan2022::drenthe_brede_projecten();
    drenthe.rows[2].push(t("Omschrijving"));
    drenthe.rows[3].extend([C::E, t("participatie van inwoners")]);
    drenthe.rows[4][3] = t("€ 110 000");
    drenthe.rows.insert(
        7,
        vec![
            C::E,
            C::E,
            t("Totaal Wonen"),
            n(1_200_000.0),
            n(7_875.0),
            n(217_177.0),
            n(974_948.0),
            n(0.0),
        ],
    );

    let mut projecten = werkplan2022::alliantieprojecten();
    let first_round_total = projecten.rows.len() - 3;
    projecten.rows[first_round_total][2] = t("Totaal 1e ronde");
    projecten.rows[first_round_total][3] = C::E;
    let row_of = |project: &str| {
        projecten
            .rows
            .iter()
            .position(|r| matches!(r.get(2), Some(C::T(p)) if p == project))
            .unwrap()
    };
    let (kwiekstee, deelt, droom) = (
        row_of("Kwiekstee"),
        row_of("Drenthe Deelt"),
        row_of("De Droomfabriek"),
    );
    projecten.rows[kwiekstee].resize(6, C::E);
    projecten.rows[kwiekstee][5] = C::B(false);
    projecten.rows[deelt].resize(6, C::E);
    projecten.rows[deelt][5] = t("nee");
    projecten.rows[droom][5] = C::B(true);

    support::write_workbook(
        &dir,
        "werkplan.xlsx",
        &[
            werkplan2022::themas(),
            regulier,
            drenthe,
            werkplan2022::alliantiebudget(),
            projecten,
        ],
    );

    let loaded = load_ok(&dir);
    let report = &loaded.report;
    assert_2022_totals(report);
    let lines: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
    assert_eq!(report.findings.len(), 4, "{lines:#?}");
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.severity == Severity::Waarschuwing),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.contains(
            "Reguliere middelen 2022 › I5: de kolom ‘Uitgaven totaal’ lijkt een bedragkolom"
        )),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.contains(
            "Reguliere middelen 2022 › F31: vermeld € 3.365.646,84, berekend € 3.366.646,84"
        )),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Kansen4Kinderen (6a) is overbesteed")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("vermeld € 65.397,00, berekend € 60.397,00")),
        "{lines:#?}"
    );
    // the theme total and the round total named in words were checked, and agreed
    assert_eq!(report.checks.total, 40, "{:?}", report.checks);
    assert_eq!(report.checks.passed, 37);
    // no note from the source line under the table
    assert!(
        report
            .regulier
            .sections
            .iter()
            .all(|s| s.notes.iter().all(|n| !n.starts_with("Bron")))
    );
    let remarks: Vec<(&str, Option<&str>)> = report
        .alliantie
        .themes
        .iter()
        .flat_map(|t| &t.awards)
        .filter(|a| {
            [
                "Kwiekstee",
                "Drenthe Deelt",
                "De Droomfabriek",
                "Opzetten zorgketen",
            ]
            .contains(&a.project.as_str())
        })
        .map(|a| (a.project.as_str(), a.voorbehoud.as_deref()))
        .collect();
    assert_eq!(
        remarks,
        [
            ("Kwiekstee", None),
            ("Drenthe Deelt", None),
            ("Opzetten zorgketen", Some("ovb voorhangprocedure")),
            ("De Droomfabriek", Some("onder voorbehoud")),
        ]
    );
}

#[test]
fn input_and_output_in_one_folder_is_refused() {
    let dir = support::temp_dir("zelfde-map");
    std::fs::copy("input/werkplan-2022.xlsx", dir.join("werkplan-2022.xlsx")).unwrap();
    let before = support::snapshot(&dir);
    let output = support::werkplan(&[
        "build",
        "--input",
        dir.to_str().unwrap(),
        "--output",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        support::stderr(&output)
    );
    assert!(support::stderr(&output).contains("dezelfde map"));
    assert_eq!(before, support::snapshot(&dir));
}

#[test]
fn a_report_file_that_cannot_be_replaced_leaves_the_whole_previous_report() {
    let out = support::temp_dir("niet-te-vervangen");
    std::fs::write(out.join("financien-werkplan-2022.json"), b"vorige json").unwrap();
    std::fs::write(out.join("financien-werkplan-2022.xlsx"), b"vorige xlsx").unwrap();
    // a folder where the PDF should go: renaming the new PDF onto it fails
    std::fs::create_dir(out.join("financien-werkplan-2022.pdf")).unwrap();
    std::fs::write(out.join("financien-werkplan-2022.pdf").join("iets"), b"x").unwrap();
    let before = support::snapshot(&out);
    let output = support::werkplan(&[
        "build",
        "--input",
        "input",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        support::stderr(&output)
    );
    assert_eq!(
        before,
        support::snapshot(&out),
        "{}",
        support::stderr(&output)
    );
    assert_eq!(
        std::fs::read(out.join("financien-werkplan-2022.json")).unwrap(),
        b"vorige json"
    );
    let leftovers: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_run_killed_while_writing_is_cleaned_up_by_the_next() {
    // a killed run (process 4194999 is gone) left its temporary file and had moved the
    // previous JSON aside before it could put the new one in place
    let out = support::temp_dir("afgebroken-run");
    std::fs::write(
        out.join(".financien-werkplan-2022.json.vorige-4194999"),
        b"vorige json",
    )
    .unwrap();
    std::fs::write(
        out.join(".financien-werkplan-2022.pdf.tmp-4194999"),
        b"half",
    )
    .unwrap();
    std::fs::write(out.join(".werkplan.lock"), b"4194999\n").unwrap();
    let broken = support::temp_dir("afgebroken-run-invoer");
    std::fs::write(broken.join("kapot.xlsx"), b"geen werkboek").unwrap();
    let output = support::werkplan(&[
        "build",
        "--input",
        broken.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        support::stderr(&output)
    );
    // the previous report is back in place, the half-written file gone, the lock released
    let names: Vec<String> = support::snapshot(&out)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        names,
        ["financien-werkplan-2022.json"],
        "{}",
        support::stderr(&output)
    );
    assert_eq!(
        std::fs::read(out.join("financien-werkplan-2022.json")).unwrap(),
        b"vorige json"
    );
}

/// Parts under a Drenthe-brede line, with a footnote and an over-committed part hidden in a
/// line that adds up; a note in the alliantie sheet; a footnote marker on a stated total.
#[test]
fn parts_notes_and_markers_are_never_lost() {
    let dir = support::temp_dir("onderdelen-notities");
    let mut drenthe = werkplan2022::drenthe_brede_projecten();
    drenthe.rows[2].push(t("Onderdeel van"));
    let part = |name: &str, amounts: [C; 4], footnote: C| {
        let mut row = vec![C::E, C::E, t(name)];
        row.extend(amounts);
        row.extend([C::E, footnote, t("a")]);
        row
    };
    // 2a Bewonersinitiatieven (row 6) gets two parts that add up to its figures
    drenthe.rows.insert(
        6,
        part(
            "Gemeente A",
            [t("€ 600.000*"), n(7_875.0), n(100_000.0), n(498_125.0)],
            t("Inclusief de bijdrage van de gemeente."),
        ),
    );
    drenthe.rows.insert(
        7,
        part(
            "Gemeente B",
            [n(400_000.0), n(0.0), n(36_427.0), n(357_573.0)],
            C::E,
        ),
    );
    let mut regulier = werkplan2022::reguliere_middelen();
    regulier.rows[30][7] = t("€ 2.385.811*");
    let mut projecten = werkplan2022::alliantieprojecten();
    let first_of_theme_3 = projecten
        .rows
        .iter()
        .position(|r| matches!(r.first(), Some(C::T(t)) if t.starts_with("3 ")))
        .unwrap();
    projecten.rows.insert(
        first_of_theme_3,
        vec![t("2 Wonen"), C::E, t("Geen aanvragen ontvangen")],
    );
    support::write_workbook(
        &dir,
        "w.xlsx",
        &[
            werkplan2022::themas(),
            regulier,
            drenthe,
            werkplan2022::alliantiebudget(),
            projecten,
        ],
    );
    let loaded = load_ok(&dir);
    let report = &loaded.report;
    assert_2022_totals(report);
    let lines: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
    assert_eq!(report.findings.len(), 5, "{lines:#?}");
    let part_over = report
        .findings
        .iter()
        .find(|f| f.message.contains("Gemeente A"))
        .expect("the part's over-commitment");
    assert_eq!(part_over.kind, FindingKind::Overbesteed);
    assert_eq!(part_over.computed, Some(money("-6000")));
    assert!(
        lines
            .iter()
            .any(|l| l
                .contains("Reguliere middelen › H31: de * bij dit bedrag wordt niet afgedrukt")),
        "{lines:#?}"
    );
    assert_eq!(report.checks.total, 41, "{:?}", report.checks);
    assert_eq!(report.checks.passed, 37);
    // the part's footnote is printed with its own marker
    let d = &report.drenthe_breed;
    assert_eq!(
        d.footnotes
            .iter()
            .map(|f| f.text.as_str())
            .collect::<Vec<_>>(),
        [
            "Inclusief de bijdrage van de gemeente.",
            werkplan2022::FOOTNOTE_5A
        ]
    );
    let table = &loaded.appendix.tables[1];
    let part_row = table.rows.iter().find(|r| r.label == "Gemeente A").unwrap();
    assert_eq!(part_row.cells[0].marker.as_deref(), Some("*"));
    assert_eq!(part_row.cells[4].value, Some(money("-6000")));
    // the alliantie note is printed under its theme
    let wonen = report
        .alliantie
        .themes
        .iter()
        .find(|t| t.theme == 2)
        .unwrap();
    assert_eq!(wonen.notes, ["Geen aanvragen ontvangen"]);
    assert!(
        loaded.appendix.tables[2]
            .rows
            .iter()
            .any(|r| r.label == "Geen aanvragen ontvangen" && r.theme == 2)
    );
}

// ---------------------------------------------------------------------------------------
// Publishing, the lock and the command line (issue 6, items 2, 8, 10, 15, 16, 20)

/// The visible files of a folder and its archive, by relative path (hidden ones are the
/// program's own leftovers).
fn visible(dir: &Path) -> Vec<(String, Vec<u8>)> {
    support::snapshot_tree(dir)
        .into_iter()
        .filter(|(name, _)| !name.starts_with('.') && !name.contains("/."))
        .collect()
}

/// A file of a previous report: name (relative to the output folder) and bytes.
type Previous = (&'static str, &'static [u8]);

/// `werkplan build` with the test hook that aborts the process after the `n`th rename.
fn build_aborting_after(n: usize, output: &Path, extra: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_werkplan"))
        .args(["build", "--quiet", "--input", "input", "--output"])
        .arg(output)
        .args(extra)
        .env("WERKPLAN_TEST_ABORT_AFTER_RENAME", n.to_string())
        .output()
        .unwrap()
}

/// A run killed after any one of its renames leaves, once the next run (a failing one)
/// has recovered, either the previous folder or the previous folder with the complete new
/// report: never one or two new files, whether or not a report of that name was there.
#[test]
fn a_run_killed_after_any_rename_leaves_the_whole_new_report_or_nothing_new() {
    let new_report = killed_runs_leave_all_or_nothing(
        "afbreken",
        &[],
        &[
            ("leeg", &[]),
            (
                "vorig-jaar",
                &[
                    ("financien-werkplan-2021.json", b"2021 json"),
                    ("financien-werkplan-2021.pdf", b"2021 pdf"),
                    ("financien-werkplan-2021.xlsx", b"2021 xlsx"),
                ],
            ),
            (
                "zelfde-jaar",
                &[
                    ("controle-werkplan-2022.pdf", b"vorige controle pdf"),
                    ("financien-werkplan-2022.json", b"vorige json"),
                    ("financien-werkplan-2022.pdf", b"vorige pdf"),
                    ("financien-werkplan-2022.xlsx", b"vorige xlsx"),
                ],
            ),
        ],
    );
    // the publication (PDF, XLSX), the control report (PDF, XLSX) and the JSON, in one step
    let names: Vec<&str> = new_report.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "controle-werkplan-2022.pdf",
            "controle-werkplan-2022.xlsx",
            "financien-werkplan-2022.html",
            "financien-werkplan-2022.json",
            "financien-werkplan-2022.pdf",
            "financien-werkplan-2022.xlsx",
        ]
    );
}

/// With `--archief` the archive's files are part of the same step: a killed run leaves the
/// report and its archived copy, or neither, and an `archief` folder it made is gone again.
#[test]
fn a_run_killed_while_archiving_leaves_report_and_archive_or_neither() {
    let new_report = killed_runs_leave_all_or_nothing(
        "afbreken-archief",
        &["--archief"],
        &[
            ("geen-archief", &[]),
            (
                "met-archief",
                &[
                    (
                        "archief/financien-werkplan-2022-2021-06-30.json",
                        b"eerder gearchiveerd",
                    ),
                    ("financien-werkplan-2022.json", b"vorige json"),
                    ("financien-werkplan-2022.pdf", b"vorige pdf"),
                ],
            ),
        ],
    );
    let archived: Vec<&str> = new_report
        .iter()
        .filter_map(|(name, _)| name.strip_prefix("archief/"))
        .collect();
    assert_eq!(
        archived,
        [
            "",
            "financien-werkplan-2022-2021-12-31.html",
            "financien-werkplan-2022-2021-12-31.json",
            "financien-werkplan-2022-2021-12-31.pdf",
            "financien-werkplan-2022-2021-12-31.xlsx",
        ]
    );
}

/// Builds the 2022 report with `extra` once for reference, then for each scenario (files
/// already in the output folder) aborts a run after its first, second, ... rename until one
/// completes, and checks after each abort that the next run's recovery leaves the previous
/// folder or the previous folder with the complete new report. Returns the new report.
fn killed_runs_leave_all_or_nothing(
    name: &str,
    extra: &[&str],
    scenarios: &[(&str, &[Previous])],
) -> Vec<(String, Vec<u8>)> {
    let reference = support::temp_dir(&format!("{name}-referentie"));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_werkplan"))
        .args(["build", "--quiet", "--input", "input", "--output"])
        .arg(&reference)
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        support::stderr(&output)
    );
    let new_report = visible(&reference);
    let broken = support::temp_dir(&format!("{name}-kapotte-invoer"));
    std::fs::write(broken.join("kapot.xlsx"), b"geen werkboek").unwrap();
    for (scenario, files) in scenarios {
        let mut aborted = 0;
        for n in 1.. {
            let out = support::temp_dir(&format!("{name}-{scenario}"));
            for (file, bytes) in *files {
                let path = out.join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, bytes).unwrap();
            }
            let before = visible(&out);
            let mut with_new: Vec<(String, Vec<u8>)> = before
                .iter()
                .filter(|(name, _)| !new_report.iter().any(|(new, _)| new == name))
                .cloned()
                .chain(new_report.iter().cloned())
                .collect();
            with_new.sort();
            let run = build_aborting_after(n, &out, extra);
            if run.status.success() {
                assert_eq!(support::snapshot_tree(&out), with_new, "{scenario} {n}");
                break;
            }
            assert_eq!(
                run.status.code(),
                None,
                "{scenario} {n}: {}",
                support::stderr(&run)
            );
            aborted += 1;
            // the next run fails on its input, and still cleans up
            let next = support::werkplan(&[
                "build",
                "--input",
                broken.to_str().unwrap(),
                "--output",
                out.to_str().unwrap(),
            ]);
            assert_eq!(next.status.code(), Some(1), "{}", support::stderr(&next));
            let after = support::snapshot_tree(&out);
            assert!(
                after == before || after == with_new,
                "{scenario}, afgebroken na hernoeming {n}: {:?}\n{}",
                after.iter().map(|(name, _)| name).collect::<Vec<_>>(),
                support::stderr(&next)
            );
        }
        assert!(
            aborted >= new_report.len(),
            "{scenario}: {aborted} afgebroken runs; de testhaak bestaat alleen in debug-builds"
        );
    }
    new_report
}

/// The lock is the operating system's: a lock file naming a live process that does not
/// hold it is taken over, and one held by a live process stops the run, naming it.
#[test]
fn the_lock_is_held_by_the_operating_system() {
    let out = support::temp_dir("os-slot");
    // process 1 is alive, but holds no lock on the file
    std::fs::write(out.join(".werkplan.lock"), b"1\n").unwrap();
    let output = build_2022_into(&out);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        support::stderr(&output)
    );
    assert!(out.join("financien-werkplan-2022.pdf").exists());
    // this test's process holds it
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(out.join(".werkplan.lock"))
        .unwrap();
    lock.try_lock().unwrap();
    std::fs::write(out.join(".werkplan.lock"), b"424242\n").unwrap();
    let before = support::snapshot(&out);
    let output = support::werkplan(&[
        "build",
        "--input",
        "input",
        "--output",
        out.to_str().unwrap(),
    ]);
    let stderr = support::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("een andere werkplan-run (proces 424242)"),
        "{stderr}"
    );
    assert_eq!(before, support::snapshot(&out));
    drop(lock);
}

/// Runs `werkplan build` with these extra arguments on a fresh output folder that must not
/// appear; returns the exit code and stderr.
fn build_refused(name: &str, extra: &[&str]) -> (Option<i32>, String) {
    let root = support::temp_dir(name);
    let out = root.join("uit");
    let mut args = vec!["build", "--output", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = support::werkplan(&args);
    let stderr = support::stderr(&output);
    assert!(!out.exists(), "{name}: de uitvoermap is gemaakt\n{stderr}");
    (output.status.code(), stderr)
}

/// Every wrong use of the command line is exit 2, found before anything is read or
/// created: a file as `--input` or `--output`, a missing font or templates folder, a font
/// that is not a font, a font too big to be one, a device as a font.
#[test]
fn the_command_line_is_checked_before_any_work() {
    let root = support::temp_dir("opdrachtregel");
    let file = root.join("een-bestand.txt");
    std::fs::write(&file, b"tekst").unwrap();
    let not_a_font = root.join("geen-lettertype.ttf");
    std::fs::write(&not_a_font, b"dit is geen lettertype").unwrap();
    let huge = root.join("reus.ttf");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(200 << 20)
        .unwrap();
    let missing = root.join("bestaat-niet");
    let file = file.to_str().unwrap();
    let missing = missing.to_str().unwrap();
    let cases: [(&str, Vec<&str>, &str); 6] = [
        ("invoer-bestand", vec!["--input", file], "geen map"),
        (
            "lettertype-ontbreekt",
            vec!["--font", missing],
            "bestaat-niet",
        ),
        (
            "geen-lettertype",
            vec!["--font", not_a_font.to_str().unwrap()],
            "geen lettertype",
        ),
        ("reus", vec!["--font", huge.to_str().unwrap()], "MiB"),
        (
            "vet-ontbreekt",
            vec![
                "--font",
                "assets/fonts/LiberationSans-Regular.ttf",
                "--font-bold",
                missing,
            ],
            "bestaat-niet",
        ),
        (
            "sjablonen-ontbreken",
            vec!["--templates", missing],
            "bestaat-niet",
        ),
    ];
    for (name, extra, expected) in cases {
        let (code, stderr) = build_refused(name, &extra);
        assert_eq!(code, Some(2), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
    }
    if Path::new("/dev/zero").exists() {
        let start = std::time::Instant::now();
        let (code, stderr) = build_refused("dev-zero", &["--font", "/dev/zero"]);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("geen gewoon bestand"), "{stderr}");
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
    }
    // `--output` naming a file: said so
    let output = support::werkplan(&["build", "--output", file]);
    let stderr = support::stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is een bestand, geen map"), "{stderr}");
    // check too
    let output = support::werkplan(&["check", "--input", file]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        support::stderr(&output)
    );
}

/// A failed run does not leave an output folder it created (nor its parents).
#[test]
fn a_failed_run_creates_no_output_folder() {
    let broken = support::temp_dir("geen-uitvoermap-invoer");
    std::fs::write(broken.join("kapot.xlsx"), b"geen werkboek").unwrap();
    let (code, stderr) = build_refused("geen-uitvoermap", &["--input", broken.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stderr}");
    let root = support::temp_dir("geen-uitvoermap-strikt");
    let out = root.join("a").join("b");
    let output = support::werkplan(&["build", "--strict", "--output", out.to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(3),
        "{}",
        support::stderr(&output)
    );
    assert!(!root.join("a").exists());
}

/// Templates that include each other (`{{> controle}}` ↔ `{{> financien}}`) stop the run
/// with exit 1 naming both, instead of overflowing the stack; a template too big or not a
/// regular file is refused as a wrong option.
#[test]
fn recursive_huge_or_strange_templates_are_refused() {
    let templates = support::temp_dir("sjablonen-kring");
    std::fs::write(
        templates.join("financien.hbs"),
        "# Financiën\n\n{{> controle}}\n",
    )
    .unwrap();
    std::fs::write(
        templates.join("controle.hbs"),
        "## Controle\n\n{{> financien}}\n",
    )
    .unwrap();
    let (code, stderr) = build_refused(
        "sjablonen-kring-uit",
        &["--templates", templates.to_str().unwrap()],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("financien") && stderr.contains("controle") && stderr.contains("elkaar"),
        "{stderr}"
    );
    let huge = support::temp_dir("sjablonen-reus");
    std::fs::write(huge.join("controle.hbs"), "a".repeat(2 << 20)).unwrap();
    let (code, stderr) = build_refused(
        "sjablonen-reus-uit",
        &["--templates", huge.to_str().unwrap()],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("controle.hbs") && stderr.contains("MiB"),
        "{stderr}"
    );
    let strange = support::temp_dir("sjablonen-map");
    std::fs::create_dir(strange.join("financien.hbs")).unwrap();
    let (code, stderr) = build_refused(
        "sjablonen-map-uit",
        &["--templates", strange.to_str().unwrap()],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("geen gewoon bestand"), "{stderr}");
}
