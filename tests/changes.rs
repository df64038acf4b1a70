//! The actualisatie's section in every edition, drawn from hand-built changes on the 2022
//! report (`support::changes`): the publication PDF (text via pdftotext, PDF/UA-1), the
//! `Wijzigingen` sheet (values read back, the differences formulas that LibreOffice
//! recalculates to the same figures), the control report (new and gone findings, the
//! changed figures' cells), the web page, and a basis equal to the input.

use std::io::Cursor;
use std::path::PathBuf;
use std::sync::OnceLock;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use page_validation::{ValidationOptions, ValidationProfile, validate_pdf_bytes};
use werkplan::app::Loaded;
use werkplan::model::Money;
use werkplan::render::pdf::{PdfOptions, render, render_control};

mod support;

use support::changes::{
    NEW_LINE, NEW_PROJECT, RAISE, RENAMED_SUFFIX, nothing, sample, with_changes,
};

fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| with_changes(sample))
}

fn unchanged() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| with_changes(nothing))
}

/// Writes `bytes` to a file of this test run in the temp folder.
fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("werkplan-changes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The PDF's text, its whitespace collapsed (a sentence may wrap anywhere).
fn pdf_text(bytes: &[u8], name: &str) -> String {
    let path = scratch(name, bytes);
    support::collapse_whitespace(&support::poppler("pdftotext", &["-enc", "UTF-8"], &path))
}

fn publication(loaded: &Loaded) -> Vec<u8> {
    let rendered =
        render(&loaded.appendix, &PdfOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    rendered.bytes
}

fn control(loaded: &Loaded) -> Vec<u8> {
    render_control(&loaded.appendix, &PdfOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .bytes
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

/// Every figure a change prints, as the table prints it.
fn change_figures(loaded: &Loaded) -> Vec<String> {
    let changes = loaded.report.changes.as_ref().unwrap();
    let mut figures = Vec::new();
    for instrument in &changes.instruments {
        for value in instrument.changes.iter().flat_map(|c| &c.values) {
            let cents = [value.before, value.after, Some(value.difference())]
                .iter()
                .flatten()
                .any(|m| m.has_cents());
            for m in [value.before, value.after, Some(value.difference())]
                .into_iter()
                .flatten()
            {
                figures.push(m.to_dutch_with(cents));
            }
        }
    }
    figures
}

#[test]
fn the_publication_pdf_shows_every_change_with_its_amounts_and_effect() {
    let loaded = loaded();
    let text = pdf_text(&publication(loaded), "financien.pdf");
    let changes = loaded.report.changes.as_ref().unwrap();
    let heading = format!(
        "Wijzigingen ten opzichte van werkplan {}, peildatum {}",
        changes.basis_year,
        changes.basis_peildatum.to_dutch()
    );
    assert!(text.contains(&heading), "{heading} in {text}");
    let raise = Money::from_cents(RAISE).to_dutch_with(false);
    let summary = format!(
        "In het kort: twee regels gewijzigd, één regel toegevoegd, één regel hernoemd, één toekenning toegevoegd en één toekenning ingetrokken; totaal budget +{raise}"
    );
    assert!(text.contains(&summary), "{summary} in {text}");
    for effect in [
        format!("Reguliere middelen: het totale budget stijgt met {raise}."),
        "Drenthe-brede projecten: budgetneutraal: een verschuiving tussen regels.".to_string(),
        // an award withdrawn and another made shift nothing between lines
        "Alliantieprojecten: het totale budget blijft gelijk.".to_string(),
    ] {
        assert!(text.contains(&effect), "{effect} in {text}");
    }
    for figure in change_figures(loaded) {
        assert!(text.contains(&figure), "{figure} in the change tables");
    }
    for name in [
        NEW_LINE,
        NEW_PROJECT,
        RENAMED_SUFFIX.trim(),
        "(toegekend, 4e ronde)",
        "(nieuw,",
    ] {
        assert!(text.contains(name), "{name}");
    }
    // the section comes after the tables, and the publication names no file or cell
    let section = text.find(&heading).unwrap();
    assert!(
        text.find("Alliantieprojecten (investeringsagenda)")
            .unwrap()
            < section
    );
    assert!(
        !text.contains("werkplan-2022.xlsx"),
        "a file name in the publication"
    );
}

#[test]
fn the_pdfs_with_a_changes_section_conform_to_pdf_ua_1() {
    assert_pdf_ua_1(&publication(loaded()));
    assert_pdf_ua_1(&control(loaded()));
    assert_pdf_ua_1(&publication(unchanged()));
}

#[test]
fn the_same_changes_give_the_same_bytes() {
    assert_eq!(publication(loaded()), publication(&with_changes(sample)));
    let xlsx = || werkplan::render::xlsx::render(&loaded().appendix).unwrap();
    assert_eq!(xlsx(), xlsx());
}

#[test]
fn the_control_report_shows_new_and_gone_findings_and_the_changed_cells() {
    let loaded = loaded();
    let text = pdf_text(&control(loaded), "controle.pdf");
    let changes = loaded.report.changes.as_ref().unwrap();
    assert!(
        text.contains("Nieuwe bevindingen sinds werkplan 2022"),
        "{text}"
    );
    assert!(
        text.contains("Vervallen bevindingen sinds werkplan 2022"),
        "{text}"
    );
    assert!(
        text.contains("Herkomst van de gewijzigde bedragen"),
        "{text}"
    );
    for value in changes
        .instruments
        .iter()
        .flat_map(|i| &i.changes)
        .flat_map(|c| &c.values)
    {
        if let Some(place) = &value.place {
            assert!(text.contains(&place.to_string()), "{place} in {text}");
        }
    }
    let gone = &changes.gone_findings[0];
    assert!(text.contains(&gone.place.to_string()), "{}", gone.place);
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("calamine opens the workbook")
}

/// The row (absolute) whose label cell starts with `label`.
fn row_of(range: &Range<Data>, label: &str) -> u32 {
    let (start, _) = range.start().unwrap();
    range
        .rows()
        .position(|r| r.get(1).is_some_and(|c| c.to_string().starts_with(label)))
        .map(|i| start + u32::try_from(i).unwrap())
        .unwrap_or_else(|| panic!("a row {label}"))
}

fn number(range: &Range<Data>, row: u32, col: u32) -> Option<f64> {
    match range.get_value((row, col))? {
        Data::Float(f) => Some(*f),
        #[allow(clippy::cast_precision_loss)]
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

fn float(m: Money) -> f64 {
    m.decimal().to_string().parse().unwrap()
}

/// Checks each change row of the sheet: before, after and the difference.
fn assert_sheet_figures(bytes: &[u8]) {
    let mut workbook = open(bytes);
    let values = workbook
        .worksheet_range("Wijzigingen")
        .expect("a sheet Wijzigingen");
    let changes = loaded().report.changes.as_ref().unwrap();
    for change in changes.instruments.iter().flat_map(|i| &i.changes) {
        let [value] = change.values.as_slice() else {
            continue;
        };
        let row = row_of(&values, &change.description);
        assert_eq!(
            number(&values, row, 2),
            value.before.map(float),
            "{}",
            change.description
        );
        assert_eq!(
            number(&values, row, 3),
            value.after.map(float),
            "{}",
            change.description
        );
        assert_eq!(
            number(&values, row, 4),
            Some(float(value.difference())),
            "{}",
            change.description
        );
    }
}

#[test]
fn the_wijzigingen_sheet_holds_before_after_and_the_difference_as_a_formula() {
    let bytes = werkplan::render::xlsx::render(&loaded().appendix).unwrap();
    assert_sheet_figures(&bytes);
    let mut workbook = open(&bytes);
    let formulas = workbook.worksheet_formula("Wijzigingen").unwrap();
    let values = workbook.worksheet_range("Wijzigingen").unwrap();
    let row = row_of(&values, NEW_LINE);
    let formula = formulas.get_value((row, 4)).cloned().unwrap_or_default();
    let excel_row = row + 1;
    assert_eq!(formula, format!("D{excel_row}-C{excel_row}"));
    // the summary is on the sheet too
    let text: String = values
        .rows()
        .flatten()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("budgetneutraal: een verschuiving tussen regels"),
        "{text}"
    );
}

#[test]
fn the_control_workbook_lists_new_and_gone_findings_and_the_changed_cells() {
    let bytes = werkplan::render::xlsx::render_control(&loaded().appendix).unwrap();
    let mut workbook = open(&bytes);
    let names = workbook.sheet_names();
    for sheet in [
        "Nieuwe bevindingen",
        "Vervallen bevindingen",
        "Herkomst wijzigingen",
    ] {
        assert!(names.iter().any(|n| n == sheet), "{sheet} in {names:?}");
    }
    let places = workbook.worksheet_range("Herkomst wijzigingen").unwrap();
    let cells: Vec<String> = places.rows().skip(1).map(|r| r[6].to_string()).collect();
    let changes = loaded().report.changes.as_ref().unwrap();
    let expected: Vec<String> = changes
        .instruments
        .iter()
        .flat_map(|i| &i.changes)
        .flat_map(|c| &c.values)
        .filter_map(|v| v.place.as_ref().map(|p| p.cell.clone()))
        .collect();
    assert_eq!(cells, expected);
}

#[test]
fn libreoffice_recalculates_the_differences_to_the_same_figures() {
    let Some(soffice) = support::soffice() else {
        support::skip_without(
            "soffice",
            "recalculation of the Wijzigingen sheet",
            "apt-get install libreoffice-calc-nogui",
        );
        return;
    };
    let mut appendix = loaded().appendix.clone();
    // a wrong cached difference must come back right
    let section = appendix.changes.as_mut().unwrap();
    for table in &mut section.tables {
        for row in &mut table.rows {
            if let Some(cell) = row.cells.get_mut(2).filter(|c| c.derivation.is_some()) {
                cell.value = cell.value.map(|v| v + Money::from_cents(100));
            }
        }
    }
    let bytes = werkplan::render::xlsx::render(&appendix).unwrap();
    assert_sheet_figures(&support::recalculate(&soffice, &bytes, "wijzigingen"));
}

#[test]
fn a_basis_equal_to_the_input_gives_a_section_saying_there_are_no_changes() {
    let loaded = unchanged();
    let text = pdf_text(&publication(loaded), "gelijk.pdf");
    assert!(text.contains("Er zijn geen wijzigingen"), "{text}");
    assert!(!text.contains("Wijzigingen Reguliere middelen"), "{text}");
    let section = loaded.appendix.changes.as_ref().unwrap();
    assert!(section.tables.is_empty());
    let html = werkplan::render::html::render(&loaded.appendix, &loaded.texts).unwrap();
    assert!(
        String::from_utf8(html)
            .unwrap()
            .contains("Er zijn geen wijzigingen")
    );
}

#[test]
fn the_web_page_has_the_section_with_real_tables_and_no_control_information() {
    let loaded = loaded();
    let html =
        String::from_utf8(werkplan::render::html::render(&loaded.appendix, &loaded.texts).unwrap())
            .unwrap();
    assert!(
        html.contains("<h2 id=\"wijzigingen-titel\">Wijzigingen ten opzichte van werkplan 2022")
    );
    for n in 1..=3 {
        assert!(
            html.contains(&format!("<table id=\"wijziging-{n}\"")),
            "table {n}"
        );
    }
    for figure in change_figures(loaded) {
        assert!(html.contains(&figure), "{figure}");
    }
    assert!(!html.contains("werkplan-2022.xlsx"));
}

#[test]
fn without_a_basis_no_edition_has_anything_of_the_section() {
    let loaded = werkplan::app::load(std::path::Path::new("input"), None, None)
        .unwrap_or_else(|e| panic!("2022 laden: {e:?}"));
    assert!(loaded.appendix.changes.is_none() && loaded.appendix.control.changes.is_none());
    let sheets = |bytes: &[u8]| open(bytes).sheet_names();
    let publication_sheets = sheets(&werkplan::render::xlsx::render(&loaded.appendix).unwrap());
    assert!(!publication_sheets.iter().any(|s| s == "Wijzigingen"));
    let control_sheets = sheets(&werkplan::render::xlsx::render_control(&loaded.appendix).unwrap());
    assert_eq!(control_sheets, ["Controle", "Bevindingen", "Bronnen"]);
    let text = pdf_text(&publication(&loaded), "zonder-basis.pdf");
    assert!(!text.contains("Wijzigingen"), "{text}");
    let html = werkplan::render::html::render(&loaded.appendix, &loaded.texts).unwrap();
    assert!(
        !String::from_utf8(html)
            .unwrap()
            .contains("wijzigingen-titel")
    );
}
