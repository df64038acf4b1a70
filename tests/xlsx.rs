//! The XLSX output of the 2022 werkplan, read back as a finance officer's spreadsheet
//! program would: every reference figure is a cached cell value (calamine never
//! calculates), totals and remainders are formulas, text from the input is text, two renders
//! are byte-identical, the workbook matches its golden file part by part, and LibreOffice,
//! recalculating every formula, arrives at the same figures.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use werkplan::render::Appendix;
use werkplan::render::table::RowKind;

mod support;

use support::recalculate;

/// The 2022 appendix, loaded once.
fn appendix_2022() -> &'static Appendix {
    static APPENDIX: OnceLock<Appendix> = OnceLock::new();
    APPENDIX.get_or_init(|| {
        werkplan::app::load(Path::new("input"), None, None)
            .unwrap_or_else(|e| panic!("2022 laden: {e:?}"))
            .appendix
    })
}

/// The 2022 workbook, rendered once.
fn xlsx_2022() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| render(appendix_2022()))
}

fn render(appendix: &Appendix) -> Vec<u8> {
    werkplan::render::xlsx::render(appendix).unwrap_or_else(|e| panic!("{e}"))
}

/// The 2022 control report's workbook, rendered once.
fn control_2022() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| render_control(appendix_2022()))
}

fn render_control(appendix: &Appendix) -> Vec<u8> {
    werkplan::render::xlsx::render_control(appendix).unwrap_or_else(|e| panic!("{e}"))
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("calamine opens the workbook")
}

fn values(bytes: &[u8], sheet: &str) -> Range<Data> {
    open(bytes)
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("{sheet}: {e}"))
}

fn formulas(bytes: &[u8], sheet: &str) -> Range<String> {
    open(bytes)
        .worksheet_formula(sheet)
        .unwrap_or_else(|e| panic!("{sheet}: {e}"))
}

/// An amount as Excel stores it, from its decimal text.
fn num(text: &str) -> f64 {
    text.parse().unwrap()
}

/// The label column and first amount column of the table sheets.
const LABEL: u32 = 1;
const FIRST_AMOUNT: u32 = 2;
/// The first row of a table's rows.
const FIRST_ROW: u32 = 3;

/// The sheet row whose label cell reads `label` (the last one, for `Totaal`).
fn row_of(range: &Range<Data>, label: &str) -> u32 {
    let end = range.end().map_or(0, |(r, _)| r);
    (0..=end)
        .rev()
        .find(|&r| matches!(range.get_value((r, LABEL)), Some(Data::String(s)) if s == label))
        .unwrap_or_else(|| panic!("no row labelled {label:?}"))
}

/// The numbers of a sheet row from the first amount column, `None` for an empty cell.
fn amounts(range: &Range<Data>, row: u32, n: u32) -> Vec<Option<f64>> {
    (FIRST_AMOUNT..FIRST_AMOUNT + n)
        .map(|c| match range.get_value((row, c)) {
            Some(Data::Float(f)) => Some(*f),
            #[allow(clippy::cast_precision_loss)]
            Some(Data::Int(i)) => Some(*i as f64),
            Some(Data::Empty) | None => None,
            Some(other) => panic!("row {row}, column {c}: not a number: {other:?}"),
        })
        .collect()
}

fn some(texts: &[&str]) -> Vec<Option<f64>> {
    texts.iter().map(|t| Some(num(t))).collect()
}

#[test]
fn every_reference_figure_is_a_cached_value() {
    let bytes = xlsx_2022();

    let regulier = values(bytes, "Reguliere middelen");
    let total = row_of(&regulier, "Totaal");
    assert_eq!(
        amounts(&regulier, total, 4),
        some(&["1537933.56", "3366646.84", "3317339", "2385811"])
    );
    // the total of Algemeen c's parts
    let part_total = (FIRST_ROW..total)
        .find(|&r| matches!(regulier.get_value((r, LABEL)), Some(Data::String(s)) if s == "Totaal"))
        .expect("line total of Algemeen c");
    assert_eq!(
        amounts(&regulier, part_total, 4),
        some(&["906109", "1886541", "1749817", "1803289"])
    );

    let breed = values(bytes, "Drenthe-brede projecten");
    let total = row_of(&breed, "Totaal");
    assert_eq!(
        amounts(&breed, total, 5),
        some(&["3160000", "437875", "452705", "2209023", "60397"])
    );
    let k4k = row_of(&breed, "Kansen4Kinderen");
    assert_eq!(
        amounts(&breed, k4k, 5),
        some(&["500000", "110000", "49925", "345075", "-5000"])
    );

    let alliantie = values(bytes, "Alliantieprojecten");
    let total = row_of(&alliantie, "Totaal");
    assert_eq!(
        amounts(&alliantie, total, 5),
        some(&["3750000", "309175", "832465", "933812.30", "1674547.70"])
    );
    let themes = [
        ("1 Leefbaarheid en bereikbaarheid", "729811", "400000"),
        ("2 Wonen", "150000", "150000"),
        ("3 Armoede en laaggeletterdheid", "667072", "406907.70"),
        ("4 Gezondheid en vitaliteit", "1020189", "379250"),
        ("5 Iedereen doet mee (inclusie)", "900000", "138390"),
        ("6 Onderwijskwaliteit en gelijke kansen", "282928", "200000"),
    ];
    for (heading, budget, remaining) in themes {
        let row = row_of(&alliantie, heading);
        let got = amounts(&alliantie, row, 5);
        assert_eq!(
            (got[0], got[4]),
            (Some(num(budget)), Some(num(remaining))),
            "{heading}"
        );
    }
}

#[test]
fn every_derived_cell_is_a_formula_and_every_other_figure_a_number() {
    let bytes = xlsx_2022();
    let mut formulas_seen = 0;
    for table in &appendix_2022().tables {
        let sheet = table.instrument.name();
        let cells = values(bytes, sheet);
        let texts = formulas(bytes, sheet);
        for (r, row) in table.rows.iter().enumerate() {
            let sr = FIRST_ROW + u32::try_from(r).unwrap();
            for (c, cell) in row.cells.iter().enumerate() {
                let sc = FIRST_AMOUNT + u32::try_from(c).unwrap();
                let formula = texts.get_value((sr, sc)).map(String::as_str).unwrap_or("");
                let value = amounts(&cells, sr, u32::try_from(table.columns.len()).unwrap())[c];
                let expected = cell.value.map(|v| num(&v.decimal().to_string()));
                assert_eq!(
                    value, expected,
                    "{sheet}, row {r} ({}), column {c}",
                    row.label
                );
                if cell.derivation.is_some() {
                    assert!(
                        !formula.is_empty(),
                        "{sheet}, row {r} ({}), column {c}: no formula",
                        row.label
                    );
                    formulas_seen += 1;
                } else {
                    assert!(
                        formula.is_empty(),
                        "{sheet}, row {r}, column {c}: unexpected formula {formula}"
                    );
                }
            }
            if row.kind == RowKind::Total {
                for (c, _) in row.cells.iter().enumerate() {
                    let sc = FIRST_AMOUNT + u32::try_from(c).unwrap();
                    let formula = texts.get_value((sr, sc)).map(String::as_str).unwrap_or("");
                    assert!(
                        formula.starts_with("SUM("),
                        "{sheet} total, column {c}: {formula}"
                    );
                }
            }
        }
    }
    assert!(formulas_seen > 30, "only {formulas_seen} formulas");

    // Kansen4Kinderen: remaining = budget - spending - committed, cell by cell
    let breed = values(bytes, "Drenthe-brede projecten");
    let row = row_of(&breed, "Kansen4Kinderen");
    let f = formulas(bytes, "Drenthe-brede projecten");
    let n = row + 1;
    assert_eq!(
        f.get_value((row, 6)).map(String::as_str),
        Some(format!("C{n}-D{n}-E{n}-F{n}").as_str())
    );
}

#[test]
fn text_from_the_input_is_never_a_formula() {
    let mut appendix = appendix_2022().clone();
    let hostile = r#"=HYPERLINK("x")"#;
    let row = appendix.tables[0]
        .rows
        .iter()
        .position(|r| r.kind == RowKind::Line)
        .unwrap();
    appendix.tables[0].rows[row].label = hostile.to_string();
    appendix.tables[2].rows[1].remark = Some("+1".to_string());
    if let Some(finding) = appendix.control.findings.first_mut() {
        finding.message = "@SUM(A1)".to_string();
        finding.place.sheet = "-1".into();
    }
    let control = render_control(&appendix);
    let bytes = render(&appendix);
    let regulier = values(&bytes, "Reguliere middelen");
    let sr = FIRST_ROW + u32::try_from(row).unwrap();
    assert_eq!(
        regulier.get_value((sr, LABEL)),
        Some(&Data::String(hostile.to_string()))
    );
    assert!(
        formulas(&bytes, "Reguliere middelen")
            .get_value((sr, LABEL))
            .is_none_or(String::is_empty)
    );
    let findings = values(&control, "Bevindingen");
    let texts: Vec<&Data> = findings.used_cells().map(|(_, _, d)| d).collect();
    assert!(texts.contains(&&Data::String("@SUM(A1)".to_string())));
    assert!(texts.contains(&&Data::String("-1".to_string())));
    assert!(
        formulas(&control, "Bevindingen")
            .used_cells()
            .all(|(_, _, f)| f.is_empty())
    );
    for (name, xml) in parts(&bytes).into_iter().chain(parts(&control)) {
        assert!(
            !xml.contains("<f>HYPERLINK"),
            "{name} has the label as formula"
        );
    }
}

#[test]
fn two_renders_are_byte_identical() {
    assert!(
        render(appendix_2022()) == xlsx_2022(),
        "two renders of the same appendix differ"
    );
    assert!(
        render_control(appendix_2022()) == control_2022(),
        "two renders of the same control report differ"
    );
}

#[test]
fn workbook_has_its_sheets_names_and_properties() {
    let bytes = xlsx_2022();
    let workbook = open(bytes);
    assert_eq!(
        workbook.sheet_names(),
        [
            "Reguliere middelen",
            "Drenthe-brede projecten",
            "Alliantieprojecten",
            "Grafieken",
            "Toelichting"
        ]
    );
    let parts = parts(bytes);
    let book = &parts["xl/workbook.xml"];
    for name in [
        "Reguliere_middelen_kop",
        "Drenthe_brede_projecten_kop",
        "Alliantieprojecten_kop",
    ] {
        assert!(
            book.contains(&format!("<definedName name=\"{name}\">")),
            "{name}"
        );
    }
    let core = &parts["docProps/core.xml"];
    assert!(
        core.contains("<dc:title>Financiën werkplan 2022 Sociale Agenda</dc:title>"),
        "{core}"
    );
    let peildatum = appendix_2022().peildatum;
    assert!(
        core.contains(&format!(
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{peildatum}T00:00:00Z"
        )),
        "{core}"
    );
    assert!(parts["docProps/app.xml"].contains("<Company>Provincie Drenthe</Company>"));
    // one chart per table, each with alt text
    let charts: Vec<&String> = parts
        .keys()
        .filter(|k| k.starts_with("xl/charts/chart"))
        .collect();
    assert_eq!(charts.len(), appendix_2022().charts.len());
    let drawing = &parts["xl/drawings/drawing1.xml"];
    for chart in &appendix_2022().charts {
        // the first sentence at least (Excel takes 255 characters; the data table above the
        // chart holds every figure)
        let first = chart.alt_text.split(". ").next().unwrap();
        let alt = first
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(
            drawing.contains(&format!("descr=\"{alt}")),
            "alt text of {}",
            chart.title
        );
    }
    // every table sheet prints A4 landscape, one page wide, with page numbers
    for i in 1..=3 {
        let sheet = &parts[&format!("xl/worksheets/sheet{i}.xml")];
        assert!(
            sheet.contains(r#"<pageSetup paperSize="9" fitToHeight="0" orientation="landscape""#),
            "sheet{i}"
        );
        assert!(
            sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#),
            "sheet{i}"
        );
        assert!(sheet.contains("Pagina &amp;P van &amp;N"), "sheet{i}");
        assert!(
            sheet.contains(r#"<pane xSplit="2" ySplit="3" topLeftCell="C4""#),
            "sheet{i}"
        );
        assert!(!sheet.contains("<mergeCell"), "sheet{i} has merged cells");
    }
}

#[test]
fn the_control_workbook_holds_every_finding_at_its_cell_and_the_sources() {
    let bytes = control_2022();
    let workbook = open(bytes);
    assert_eq!(
        workbook.sheet_names(),
        ["Controle", "Bevindingen", "Bronnen"]
    );
    let core = &parts(bytes)["docProps/core.xml"];
    assert!(
        core.contains("<dc:title>Controle werkplan 2022 Sociale Agenda</dc:title>"),
        "{core}"
    );
    // the Controle text counts the checks, from the template
    let controle = values(bytes, "Controle");
    let texts: Vec<String> = controle
        .used_cells()
        .map(|(_, _, d)| d.to_string())
        .collect();
    let checks = appendix_2022().control.checks;
    let counts = format!(
        "{} controles uitgevoerd: {} in orde",
        checks.total, checks.passed
    );
    assert!(texts.iter().any(|t| t.contains(&counts)), "{texts:#?}");
    // every finding: file in the input folder, sheet, cell, stated, computed, difference
    let findings = values(bytes, "Bevindingen");
    let rows: Vec<Vec<Data>> = findings.rows().skip(1).map(<[Data]>::to_vec).collect();
    let s = |t: &str| Data::String(t.to_string());
    let expected = [
        (
            "Reguliere middelen",
            "F31",
            3_365_646.84,
            3_366_646.84,
            1_000.0,
        ),
        ("Drenthe-brede projecten", "H14", 0.0, -5_000.0, -5_000.0),
        (
            "Drenthe-brede projecten",
            "H15",
            65_397.0,
            60_397.0,
            -5_000.0,
        ),
    ];
    assert_eq!(rows.len(), expected.len(), "{rows:?}");
    for (row, (sheet, cell, stated, computed, difference)) in rows.iter().zip(expected) {
        assert_eq!(
            row[2..5],
            [s("werkplan-2022.xlsx"), s(sheet), s(cell)],
            "{row:?}"
        );
        assert_eq!(
            row[5..8],
            [
                Data::Float(stated),
                Data::Float(computed),
                Data::Float(difference)
            ],
            "{row:?}"
        );
    }
    // the sources with their hashes
    let sources = values(bytes, "Bronnen");
    let source = &appendix_2022().control.sources[0];
    assert_eq!(sources.get_value((1, 0)), Some(&s("werkplan-2022.xlsx")));
    assert_eq!(sources.get_value((1, 1)), Some(&s(&source.sha256)));
}

#[test]
fn the_findings_columns_are_wider_than_their_figures() {
    // the Verschil column must not run into Melding: every amount column is wider, in
    // characters, than its widest figure plus room for the table's filter button
    let sheet = &parts(control_2022())["xl/worksheets/sheet2.xml"];
    let attribute = |col: &str, name: &str| -> f64 {
        col.split(&format!("{name}=\""))
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let mut widths = BTreeMap::new();
    for col in sheet.split("<col ").skip(1) {
        let (min, max) = (
            attribute(col, "min") as usize,
            attribute(col, "max") as usize,
        );
        for c in min..=max {
            widths.insert(c, attribute(col, "width"));
        }
    }
    let findings = &appendix_2022().control.findings;
    for (k, header) in ["Vermeld", "Berekend", "Verschil"].iter().enumerate() {
        let widest = findings
            .iter()
            .filter_map(|f| [f.stated, f.computed, f.difference][k])
            .map(|m| m.to_dutch().chars().count())
            .max()
            .unwrap();
        let width = widths[&(6 + k)];
        assert!(
            width >= (widest + 3) as f64,
            "{header}: {width} for {widest} characters"
        );
    }
}

// --- golden file --------------------------------------------------------------------------

/// Every part of the package by name; XML as text.
fn parts(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("an XLSX is a zip archive");
    let mut parts = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        let text = String::from_utf8(data)
            .unwrap_or_else(|e| format!("binary, {} bytes", e.as_bytes().len()));
        parts.insert(name, text);
    }
    parts
}

/// What may differ between rust_xlsxwriter versions without changing the workbook: the
/// window size, the calculation engine id, the application version; then one element per
/// line so a difference names its element.
fn normalise(name: &str, xml: &str) -> Vec<String> {
    let mut xml = xml.to_string();
    if name == "xl/workbook.xml" {
        xml = cut(&xml, "<workbookView ", "/>");
        xml = cut(&xml, "<calcPr ", "/>");
        xml = cut(&xml, "<fileVersion ", "/>");
    }
    if name == "docProps/app.xml" {
        xml = cut(&xml, "<AppVersion>", "</AppVersion>");
    }
    xml.replace('\r', "")
        .split("><")
        .map(str::trim)
        .map(String::from)
        .collect()
}

/// `xml` with everything from `start` up to and including the next `end` removed.
fn cut(xml: &str, start: &str, end: &str) -> String {
    match xml.find(start) {
        Some(i) => match xml[i..].find(end) {
            Some(j) => format!("{}{}", &xml[..i], &xml[i + j + end.len()..]),
            None => xml.to_string(),
        },
        None => xml.to_string(),
    }
}

#[test]
fn the_2022_workbook_matches_its_golden_file() {
    assert_golden(
        Path::new("tests/golden/financien-werkplan-2022.xlsx"),
        xlsx_2022(),
    );
}

#[test]
fn the_2022_control_workbook_matches_its_golden_file() {
    assert_golden(
        Path::new("tests/golden/controle-werkplan-2022.xlsx"),
        control_2022(),
    );
}

/// Compares a workbook part by part with its golden file, after [`normalise`]
/// (`WERKPLAN_UPDATE_GOLDEN=1` writes it).
fn assert_golden(golden: &Path, bytes: &[u8]) {
    let expected = support::golden(golden, bytes);
    let (want, got) = (parts(&expected), parts(bytes));
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>(),
        "the parts of the workbook differ from the golden file"
    );
    for (name, xml) in &want {
        let (want, got) = (normalise(name, xml), normalise(name, &got[name]));
        if let Some(i) = (0..want.len().max(got.len())).find(|&i| want.get(i) != got.get(i)) {
            panic!(
                "{name} differs from the golden file at element {i}:\n  golden: {:?}\n  now:    {:?}\n\
                 regenerate with WERKPLAN_UPDATE_GOLDEN=1 if the change is intended",
                want.get(i),
                got.get(i)
            );
        }
    }
}

// --- LibreOffice ---------------------------------------------------------------------------

/// Every number of the three table sheets, by sheet and cell.
fn table_numbers(bytes: &[u8]) -> BTreeMap<(String, u32, u32), f64> {
    let mut numbers = BTreeMap::new();
    for table in &appendix_2022().tables {
        let sheet = table.instrument.name();
        let range = values(bytes, sheet);
        for (r, c, data) in range.used_cells() {
            let (start_r, start_c) = range.start().unwrap();
            let value = match data {
                Data::Float(f) => *f,
                #[allow(clippy::cast_precision_loss)]
                Data::Int(i) => *i as f64,
                _ => continue,
            };
            numbers.insert(
                (
                    sheet.to_string(),
                    start_r + u32::try_from(r).unwrap(),
                    start_c + u32::try_from(c).unwrap(),
                ),
                value,
            );
        }
    }
    numbers
}

#[test]
fn libreoffice_recalculates_the_same_figures() {
    let Some(soffice) = support::soffice() else {
        support::skip_without(
            "soffice",
            "LibreOffice recalculation",
            "apt-get install libreoffice-calc-nogui",
        );
        return;
    };
    let cached = table_numbers(xlsx_2022());
    let recalculated = table_numbers(&recalculate(
        &soffice,
        xlsx_2022(),
        "financien-werkplan-2022",
    ));
    assert_eq!(
        cached.len(),
        recalculated.len(),
        "LibreOffice sees other cells"
    );
    for (place, value) in &cached {
        let again = recalculated[place];
        assert!(
            (again - value).abs() < 0.005,
            "{place:?}: cached {value}, LibreOffice {again}"
        );
    }

    // and it did recalculate: a wrong cached total comes back right
    let mut appendix = appendix_2022().clone();
    let total = appendix.tables[0]
        .rows
        .iter_mut()
        .find(|r| r.kind == RowKind::Total)
        .unwrap();
    let right = total.cells[0].value.unwrap();
    total.cells[0].value = Some(right + werkplan::model::Money::from_cents(100_000));
    let wrong = render(&appendix);
    let recalculated = recalculate(&soffice, &wrong, "fout-totaal");
    let regulier = values(&recalculated, "Reguliere middelen");
    let row = row_of(&regulier, "Totaal");
    assert_eq!(
        amounts(&regulier, row, 1),
        vec![Some(num(&right.decimal().to_string()))]
    );
}

/// Runs the LibreOffice test alone, in a child process of this test binary, with a `PATH`
/// that holds no `soffice` and `CI` as given.
fn recalculation_test_without_soffice(ci: Option<&str>) -> std::process::Output {
    let empty = std::env::temp_dir().join(format!("werkplan-no-tools-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap());
    child
        .args(["libreoffice_recalculates_the_same_figures", "--exact"])
        .env("PATH", &empty)
        .env_remove("CI");
    if let Some(ci) = ci {
        child.env("CI", ci);
    }
    let output = child.output().unwrap();
    let _ = std::fs::remove_dir(&empty);
    output
}

#[test]
fn a_missing_soffice_fails_under_ci_and_is_reported_elsewhere() {
    let both = |o: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    // CI=true: the test fails, naming the tool
    let ci = recalculation_test_without_soffice(Some("true"));
    assert!(!ci.status.success(), "passed under CI=true:\n{}", both(&ci));
    assert!(both(&ci).contains("soffice"), "{}", both(&ci));

    // elsewhere it is skipped, and says so in the output of a plain `cargo test`
    // (not only with --nocapture)
    let local = recalculation_test_without_soffice(None);
    assert!(local.status.success(), "{}", both(&local));
    assert!(
        both(&local).contains("skipped: soffice not on PATH"),
        "a silent skip:\n{}",
        both(&local)
    );
}

// ---- the monthly run ----

mod monthly;

/// The monthly run's appendix and workbook (generated ledger, peildatum 30 September).
fn monthly_xlsx() -> &'static (Appendix, Vec<u8>) {
    static XLSX: OnceLock<(Appendix, Vec<u8>)> = OnceLock::new();
    XLSX.get_or_init(|| {
        let (_, _, appendix) = monthly::monthly_2022();
        let bytes = render(&appendix);
        (appendix, bytes)
    })
}

/// Every number of the named sheets, by sheet and cell.
fn sheet_numbers(bytes: &[u8], sheets: &[&str]) -> BTreeMap<(String, u32, u32), f64> {
    let mut numbers = BTreeMap::new();
    for sheet in sheets {
        let range = values(bytes, sheet);
        let Some((start_r, start_c)) = range.start() else {
            continue;
        };
        for (r, c, data) in range.used_cells() {
            let value = match data {
                Data::Float(f) => *f,
                #[allow(clippy::cast_precision_loss)]
                Data::Int(i) => *i as f64,
                _ => continue,
            };
            let at = (
                start_r + u32::try_from(r).unwrap(),
                start_c + u32::try_from(c).unwrap(),
            );
            numbers.insert((sheet.to_string(), at.0, at.1), value);
        }
    }
    numbers
}

const MONTHLY_SHEETS: [&str; 4] = [
    "Reguliere middelen",
    "Drenthe-brede projecten",
    "Alliantieprojecten",
    "Realisatie per maand",
];

#[test]
fn the_monthly_run_writes_its_new_columns_as_cached_formulas() {
    let (appendix, bytes) = monthly_xlsx();
    let mut remainders = 0;
    for table in &appendix.tables {
        let sheet = table.instrument.name();
        let cells = values(bytes, sheet);
        let texts = formulas(bytes, sheet);
        let header: Vec<String> = (0..table.columns.len())
            .map(|c| cells.get_value((FIRST_ROW - 1, FIRST_AMOUNT + u32::try_from(c).unwrap())))
            .map(|d| d.map(ToString::to_string).unwrap_or_default())
            .collect();
        let labels: Vec<&str> = table.columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(header, labels, "{sheet}");
        for (r, row) in table.rows.iter().enumerate() {
            let sr = FIRST_ROW + u32::try_from(r).unwrap();
            let found = amounts(&cells, sr, u32::try_from(table.columns.len()).unwrap());
            for (c, cell) in row.cells.iter().enumerate() {
                let expected = cell.value.map(|v| num(&v.decimal().to_string()));
                assert_eq!(
                    found[c], expected,
                    "{sheet}, row {r} ({}), column {c}",
                    row.label
                );
                let sc = FIRST_AMOUNT + u32::try_from(c).unwrap();
                let formula = texts.get_value((sr, sc)).map(String::as_str).unwrap_or("");
                assert_eq!(
                    cell.derivation.is_some(),
                    !formula.is_empty(),
                    "{sheet} {r} {c}"
                );
                if table.columns[c].label.starts_with("Restant budget")
                    || table.columns[c].label == "Nog te betalen"
                {
                    remainders += usize::from(!formula.is_empty());
                }
            }
        }
    }
    assert!(
        remainders > 40,
        "only {remainders} new remainders as formulas"
    );
    // Adviescommissie: Restant budget 2022 = Budget 2022 − spending through the peildatum
    let regulier = values(bytes, "Reguliere middelen");
    let row = row_of(&regulier, "Adviescommissie");
    let f = formulas(bytes, "Reguliere middelen");
    let n = row + 1;
    assert_eq!(
        f.get_value((row, FIRST_AMOUNT + 5)).map(String::as_str),
        Some(format!("E{n}-G{n}").as_str())
    );
    // the realisation sheet: its month totals are the instrument's spending
    let real = values(bytes, "Realisatie per maand");
    let total = (0..=real.end().unwrap().0)
        .find(|&r| matches!(real.get_value((r, 0)), Some(Data::String(s)) if s == "Totaal"))
        .expect("a Totaal row");
    // a native chart per table and per instrument's realisation, each with its alt text
    let parts = parts(bytes);
    let charts: Vec<&String> = parts
        .iter()
        .filter(|(name, _)| name.starts_with("xl/charts/chart"))
        .map(|(_, xml)| xml)
        .collect();
    assert_eq!(charts.len(), appendix.charts.len());
    assert_eq!(appendix.charts.len(), 3 + appendix.realisation.len());
    let drawings: String = parts
        .iter()
        .filter(|(name, _)| name.starts_with("xl/drawings/drawing"))
        .map(|(_, xml)| xml.as_str())
        .collect();
    for real in &appendix.realisation {
        let title = format!(
            "{}: realisatie {} per maand",
            real.instrument.name(),
            real.year
        );
        assert!(drawings.contains(&title), "no alt text for {title}");
    }
    let spent = &appendix.realisation[0];
    assert_eq!(
        real.get_value((total, u32::try_from(spent.months.len()).unwrap() + 1)),
        Some(&Data::Float(num(&spent.spent().decimal().to_string())))
    );
}

#[test]
fn libreoffice_recalculates_the_monthly_run_to_its_cached_figures() {
    let Some(soffice) = support::soffice() else {
        support::skip_without(
            "soffice",
            "LibreOffice recalculation",
            "apt-get install libreoffice-calc-nogui",
        );
        return;
    };
    let bytes = &monthly_xlsx().1;
    let cached = sheet_numbers(bytes, &MONTHLY_SHEETS);
    let again = sheet_numbers(&recalculate(&soffice, bytes, "maandrun"), &MONTHLY_SHEETS);
    assert_eq!(cached.len(), again.len(), "LibreOffice sees other cells");
    for (place, value) in &cached {
        let recalculated = again[place];
        assert!(
            (recalculated - value).abs() < 0.005,
            "{place:?}: cached {value}, LibreOffice {recalculated}"
        );
    }
}

#[test]
fn every_derivation_of_the_monthly_run_adds_up_to_its_figure() {
    let (appendix, _) = monthly_xlsx();
    let mut checked = 0;
    for table in &appendix.tables {
        for (r, row) in table.rows.iter().enumerate() {
            for (c, cell) in row.cells.iter().enumerate() {
                let Some(derivation) = &cell.derivation else {
                    continue;
                };
                let sum = |refs: &[werkplan::render::table::CellRef]| -> werkplan::model::Money {
                    refs.iter().filter_map(|&at| table.value(at)).sum()
                };
                assert_eq!(
                    cell.value,
                    Some(sum(&derivation.plus) - sum(&derivation.minus)),
                    "{}, row {r} ({}), column {}",
                    table.title,
                    row.label,
                    table.columns[c].label
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} derivations");
}
