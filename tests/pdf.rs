//! The PDF of the 2022 werkplan, checked as a reader and an auditor would: it conforms to
//! PDF/UA-1 (validated with `page_validation`), is tagged, embeds subset fonts, prints every
//! reference figure in Dutch notation and both document errors in its Controle section, is
//! byte-identical from run to run, and its text matches the golden snapshot
//! (`tests/golden/financien-werkplan-2022.pdf.txt`, regenerated with
//! `WERKPLAN_UPDATE_GOLDEN=1`).
//!
//! The text checks use poppler-utils (`pdftotext`, `pdffonts`, `pdfinfo`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use page_validation::{ValidationOptions, ValidationProfile, validate_pdf_bytes};
use werkplan::render::Appendix;
use werkplan::render::pdf::{PdfError, PdfOptions, render, render_control};

/// The 2022 appendix, loaded once.
fn appendix_2022() -> &'static Appendix {
    static APPENDIX: OnceLock<Appendix> = OnceLock::new();
    APPENDIX.get_or_init(|| {
        werkplan::app::load(Path::new("input"), None, None)
            .unwrap_or_else(|e| panic!("2022 laden: {e:?}"))
            .appendix
    })
}

/// The 2022 PDF, rendered once, and written to a scratch file for the poppler tools.
fn pdf_2022() -> &'static (Vec<u8>, PathBuf) {
    static PDF: OnceLock<(Vec<u8>, PathBuf)> = OnceLock::new();
    PDF.get_or_init(|| {
        let rendered =
            render(appendix_2022(), &PdfOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
        let path = scratch("financien-werkplan-2022.pdf", &rendered.bytes);
        (rendered.bytes, path)
    })
}

/// Writes `bytes` to a file of this test run in the temp folder.
fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("werkplan-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// `pdftotext -layout` of the 2022 PDF.
fn text_2022() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| poppler("pdftotext", &["-layout", "-enc", "UTF-8"], &pdf_2022().1))
}

/// The 2022 control report's PDF, rendered once, its scratch file and its
/// `pdftotext -layout` text.
fn control_2022() -> &'static (Vec<u8>, PathBuf, String) {
    static PDF: OnceLock<(Vec<u8>, PathBuf, String)> = OnceLock::new();
    PDF.get_or_init(|| {
        let rendered = render_control(appendix_2022(), &PdfOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
        let path = scratch("controle-werkplan-2022.pdf", &rendered.bytes);
        let text = poppler("pdftotext", &["-layout", "-enc", "UTF-8"], &path);
        (rendered.bytes, path, text)
    })
}

/// Asserts that krilla's PDF/UA-1 validator finds nothing wrong with `pdf`.
fn assert_pdf_ua_1(pdf: &[u8]) {
    let options = ValidationOptions::default().profile(ValidationProfile::PdfUa1);
    let report = validate_pdf_bytes(pdf, &options).expect("page_validation reads the PDF");
    let failures: Vec<String> = report
        .failures
        .iter()
        .map(|f| format!("{}: {}", f.rule_id, f.message))
        .collect();
    assert!(
        report.is_compliant,
        "PDF/UA-1 failures:\n{}",
        failures.join("\n")
    );
    assert!(failures.is_empty(), "{failures:?}");
}

#[test]
fn the_2022_pdf_conforms_to_pdf_ua_1() {
    assert_pdf_ua_1(&pdf_2022().0);
}

#[test]
fn the_2022_control_report_conforms_to_pdf_ua_1() {
    assert_pdf_ua_1(&control_2022().0);
}

#[test]
fn the_control_report_has_its_own_title() {
    let info = poppler("pdfinfo", &[], &control_2022().1);
    assert!(
        info.lines().any(
            |l| l.starts_with("Title:") && l.ends_with("Controle werkplan 2022 Sociale Agenda")
        ),
        "{info}"
    );
    assert!(info.contains("Tagged:          yes"), "{info}");
}

#[test]
fn pdfinfo_shows_a_tagged_a4_document_with_title_and_date() {
    let info = poppler("pdfinfo", &[], &pdf_2022().1);
    let field = |name: &str| -> String {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("pdfinfo has no {name}:\n{info}"))
    };
    assert_eq!(field("Tagged"), "yes");
    assert_eq!(field("Title"), "Financiën werkplan 2022 Sociale Agenda");
    assert!(field("Page size").contains("(A4)"), "{info}");
    let year = appendix_2022().peildatum.year.to_string();
    assert!(
        field("CreationDate").contains(&year),
        "creation date from the peildatum: {info}"
    );
    assert_eq!(field("PDF version"), "1.7");
    let pages: usize = field("Pages").parse().unwrap();
    assert!((4..=10).contains(&pages), "{pages} pages");
}

#[test]
fn pdffonts_shows_only_embedded_subset_fonts() {
    let fonts = poppler("pdffonts", &[], &pdf_2022().1);
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(rows.len() >= 2, "{fonts}");
    for row in rows {
        let name = row.split_whitespace().next().unwrap_or_default();
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+',
            "not a subset: {row}"
        );
        assert!(name.contains("LiberationSans"), "{row}");
        assert!(
            row.contains("yes yes yes"),
            "not embedded, subset and with ToUnicode: {row}"
        );
    }
}

#[test]
fn the_text_holds_every_reference_figure_in_dutch_notation() {
    let text = text_2022();
    let figures = [
        // 1. Reguliere middelen: the computed totals and part c
        "€ 1.537.933,56",
        "€ 3.366.646,84",
        "€ 3.317.339",
        "€ 2.385.811",
        "€ 906.109",
        "€ 1.886.541",
        "€ 1.749.817",
        "€ 1.803.289",
        // 2. Drenthe-brede projecten
        "€ 3.160.000",
        "€ 437.875",
        "€ 452.705",
        "€ 2.209.023",
        "€ -5.000",
        "€ 60.397",
        "€ 38.432",
        // 3. Alliantieprojecten
        "€ 3.750.000",
        "€ 309.175",
        "€ 832.465",
        "€ 933.812,30",
        "€ 1.674.547,70",
        "€ 406.907,70",
        "€ 379.250",
        "€ 138.390",
        "€ 200.000",
        "€ 729.811",
        "€ 1.020.189",
    ];
    let missing: Vec<&str> = figures
        .iter()
        .copied()
        .filter(|f| !text.contains(f))
        .collect();
    assert!(missing.is_empty(), "missing in the PDF text: {missing:?}");
    for title in [
        "Financiën",
        "Reguliere middelen (begroting)",
        "Drenthe-brede projecten (investeringsagenda)",
        "Alliantieprojecten (investeringsagenda)",
        "Toegekend",
        "(ovb voorhangprocedure)",
        "Niet van toepassing binnen Sociale Agenda",
        "Pagina 1 van",
    ] {
        assert!(text.contains(title), "missing: {title}");
    }
}

#[test]
fn the_control_report_lists_both_document_errors_at_their_cells() {
    let controle = control_2022().2.as_str();
    // each finding at its place in the input folder, with stated, computed and difference
    for (place, figures) in [
        (
            "werkplan-2022.xlsx › Reguliere middelen › F31",
            ["€ 3.365.646,84", "€ 3.366.646,84", "€ 1.000,00"],
        ),
        (
            "werkplan-2022.xlsx › Drenthe-brede projecten › H14",
            ["€ 0,00", "€ -5.000,00", "€ -5.000,00"],
        ),
        (
            "werkplan-2022.xlsx › Drenthe-brede projecten › H15",
            ["€ 65.397,00", "€ 60.397,00", "€ -5.000,00"],
        ),
    ] {
        let line = controle
            .lines()
            .find(|l| l.contains(place))
            .unwrap_or_else(|| panic!("{place}: {controle}"));
        let shown: Vec<&str> = line
            .split("  ")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(shown[shown.len() - 3..], figures, "{line}");
    }
    // the source with its hash
    let source = &appendix_2022().control.sources[0];
    assert_eq!(source.path, "werkplan-2022.xlsx");
    assert!(controle.contains(&source.sha256), "{controle}");
    // the stated 2021 total of the regular budget is 1.000 short
    assert!(controle.contains("3.365.646,84"), "{controle}");
    assert!(controle.contains("3.366.646,84"), "{controle}");
    assert!(controle.contains("Reguliere middelen"), "{controle}");
    // Kansen4Kinderen is over-committed: -5.000 where the document prints 0
    assert!(controle.contains("-5.000"), "{controle}");
    assert!(controle.contains("Drenthe-brede projecten"), "{controle}");
    let checks = appendix_2022().control.checks;
    let flat = controle.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&format!(
            "{} controles uitgevoerd: {} in orde",
            checks.total, checks.passed
        )),
        "{flat}"
    );
    assert!(
        flat.contains("Peildatum 31 december 2021. Gemaakt met werkplan"),
        "{flat}"
    );
}

#[test]
fn the_publication_prints_nothing_of_the_control() {
    let text = text_2022();
    for word in [
        "werkplan-2022",
        "xlsx",
        "F31",
        "H14",
        "H15",
        "SHA-256",
        &appendix_2022().control.sources[0].sha256,
        "Controle",
    ] {
        assert!(!text.contains(word), "{word} in the publication:\n{text}");
    }
    let lower = text.to_lowercase();
    for word in ["waarschuwing", "fout", "bevinding", "overbesteed"] {
        assert!(!lower.contains(word), "{word} in the publication:\n{text}");
    }
    // in neutral words: the totals were recomputed
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("opnieuw berekend"), "{flat}");
}

#[test]
fn two_renders_are_byte_identical() {
    let again = render(appendix_2022(), &PdfOptions::default()).unwrap();
    assert!(
        again.bytes == pdf_2022().0,
        "two renders of the same appendix differ"
    );
    let again = render_control(appendix_2022(), &PdfOptions::default()).unwrap();
    assert!(
        again.bytes == control_2022().0,
        "two renders of the same control report differ"
    );
}

#[test]
fn the_text_matches_the_golden_snapshot() {
    assert_golden(
        Path::new("tests/golden/financien-werkplan-2022.pdf.txt"),
        text_2022(),
    );
}

#[test]
fn the_control_report_matches_the_golden_snapshot() {
    assert_golden(
        Path::new("tests/golden/controle-werkplan-2022.pdf.txt"),
        &control_2022().2,
    );
}

/// Compares `text` line by line with the golden file (`WERKPLAN_UPDATE_GOLDEN=1` writes it).
fn assert_golden(golden: &Path, text: &str) {
    let expected = String::from_utf8(support::golden(golden, text.as_bytes()))
        .unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
    if let Some((i, (want, got))) = expected
        .lines()
        .zip(text.lines())
        .enumerate()
        .find(|(_, (w, g))| w != g)
    {
        panic!(
            "line {} differs from {}:\nwant: {want}\ngot:  {got}",
            i + 1,
            golden.display()
        );
    }
    assert_eq!(
        expected.lines().count(),
        text.lines().count(),
        "the number of lines differs from {}",
        golden.display()
    );
}

#[test]
fn a_house_style_font_replaces_liberation_sans() {
    // any valid TTF will do: the bold face as the regular one (italic is then slanted)
    let bold = std::fs::read("assets/fonts/LiberationSans-Bold.ttf").unwrap();
    let options = PdfOptions {
        font_regular: Some(bold),
        font_bold: None,
    };
    let rendered = render(appendix_2022(), &options).unwrap_or_else(|e| panic!("{e}"));
    let path = scratch("huisstijl.pdf", &rendered.bytes);
    let fonts = poppler("pdffonts", &[], &path);
    assert!(!fonts.contains("LiberationSans-Italic"), "{fonts}");
    assert!(!fonts.contains("+LiberationSans "), "{fonts}");
}

#[test]
fn a_font_that_does_not_load_is_a_dutch_error() {
    let options = PdfOptions {
        font_regular: None,
        font_bold: Some(b"dit is geen lettertype".to_vec()),
    };
    let err = render(appendix_2022(), &options).expect_err("a broken TTF");
    assert!(matches!(err, PdfError::Font { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("lettertype") && message.contains("kan niet worden geladen"),
        "{message}"
    );
}

// ---------------------------------------------------------------------------------------
// Wide tables, long rows and characters the font lacks, on generated input.

mod support;

use support::{C, SheetSpec, n, poppler, t};
use werkplan::render::table::RowKind;

/// The 2022 workbook with the awards spread in turn over `rounds` award rounds (the stated
/// round totals left out) and, with `more_years`, three more budget years in Reguliere
/// middelen (seven year columns), loaded from a folder of its own.
fn generated_appendix(name: &str, rounds: usize, more_years: bool) -> Appendix {
    let mut sheets = support::werkplan2022::sheets();
    let header_of = |rows: &[Vec<C>], text: &str| {
        rows.iter()
            .position(|r| r.iter().any(|c| matches!(c, C::T(t) if t == text)))
            .unwrap()
    };
    for sheet in &mut sheets {
        match sheet.name.as_str() {
            "Reguliere middelen" if more_years => {
                let header = header_of(&sheet.rows, "Budget 2023");
                sheet.rows[header].extend([t("Budget 2024"), t("Budget 2025"), t("Budget 2026")]);
                for row in &mut sheet.rows[header + 1..] {
                    if row.len() == 8 {
                        let last = row[7].clone();
                        row.extend([last.clone(), last.clone(), last]);
                    }
                }
            }
            "Alliantieprojecten" => {
                sheet
                    .rows
                    .retain(|row| !matches!(row.get(2), Some(C::T(t)) if t == "Totaal"));
                let header = header_of(&sheet.rows, "Ronde");
                for (i, row) in sheet.rows[header + 1..].iter_mut().enumerate() {
                    row[3] = t(&format!("{}e ronde", i % rounds + 1));
                }
            }
            _ => {}
        }
    }
    let dir = support::temp_dir(&format!("pdf-{name}"));
    support::write_workbook(&dir, "werkplan.xlsx", &sheets);
    werkplan::app::load(&dir, None, None)
        .unwrap_or_else(|e| panic!("{name}: {e:?}"))
        .appendix
}

/// A word as `pdftotext -bbox` sees it, with its page.
#[derive(Debug)]
struct Word {
    page: usize,
    text: String,
    x_min: f64,
    y_min: f64,
    x_max: f64,
    y_max: f64,
}

/// The pages' sizes (width, height) and the words of a PDF, from `pdftotext -bbox`.
fn bbox(pdf: &Path) -> (Vec<(f64, f64)>, Vec<Word>) {
    let html = poppler("pdftotext", &["-bbox", "-enc", "UTF-8"], pdf);
    let attr = |line: &str, name: &str| -> f64 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + line[start..].find('"').unwrap();
        line[start..end].parse().unwrap()
    };
    let mut pages = Vec::new();
    let mut words = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            pages.push((attr(line, "width"), attr(line, "height")));
        } else if line.starts_with("<word ") {
            let start = line.find('>').unwrap() + 1;
            let end = line.rfind("</word>").unwrap();
            let text = line[start..end]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
            words.push(Word {
                page: pages.len() - 1,
                text,
                x_min: attr(line, "xMin"),
                y_min: attr(line, "yMin"),
                x_max: attr(line, "xMax"),
                y_max: attr(line, "yMax"),
            });
        }
    }
    (pages, words)
}

/// Left margin, right margin, top of the text area and the space under it (points).
const MARGINS: (f64, f64, f64, f64) = (70.87, 56.69, 82.0, 66.0);

/// Asserts that every word lies inside its page: page header and footer in their bands,
/// everything else inside the text area; and that every page has its footer.
fn assert_inside_pages(pages: &[(f64, f64)], words: &[Word]) {
    let (left, right, top, bottom) = MARGINS;
    let tolerance = 1.5;
    for w in words {
        let (width, height) = pages[w.page];
        let inside_x = w.x_min >= left - tolerance && w.x_max <= width - right + tolerance;
        assert!(
            inside_x,
            "word outside the text area's width: {w:?} on {width}×{height}"
        );
        let header = w.y_max <= 52.0;
        let footer = w.y_min >= height - 50.0 && w.y_max <= height - 25.0;
        let body = w.y_min >= top - tolerance && w.y_max <= height - bottom + tolerance;
        assert!(
            header || footer || body,
            "word outside the text area: {w:?} on {width}×{height}"
        );
    }
    for (page, (_, height)) in pages.iter().enumerate() {
        assert!(
            words
                .iter()
                .any(|w| w.page == page && w.text == "Pagina" && w.y_min >= height - 50.0),
            "page {} has no footer",
            page + 1
        );
    }
}

/// Asserts that every label word and every amount of the appendix's tables is printed whole:
/// each label word is a word of the PDF as often as the labels hold it, each amount is in the
/// layout text.
fn assert_tables_unbroken(appendix: &Appendix, words: &[Word], text: &str) {
    use std::collections::HashMap;
    let mut printed: HashMap<&str, usize> = HashMap::new();
    for w in words {
        *printed.entry(w.text.as_str()).or_default() += 1;
    }
    let mut wanted: HashMap<String, usize> = HashMap::new();
    for table in &appendix.tables {
        for row in &table.rows {
            let remark = row.remark.as_deref().unwrap_or_default();
            for word in row
                .label
                .split_whitespace()
                .chain(remark.split_whitespace())
            {
                *wanted.entry(word.to_string()).or_default() += 1;
            }
            for (cell, column) in row.cells.iter().zip(&table.columns) {
                if let Some(value) = cell.value {
                    let amount = value.to_dutch_with(column.cents);
                    assert!(text.contains(&amount), "{amount} is not printed whole");
                }
            }
        }
    }
    let broken: Vec<String> = wanted
        .iter()
        .filter(|(word, count)| printed.get(word.as_str()).copied().unwrap_or(0) < **count)
        .map(|(word, count)| format!("{word} ({count}×)"))
        .collect();
    assert!(
        broken.is_empty(),
        "label words not printed whole: {broken:?}"
    );
}

#[test]
fn many_rounds_and_years_fit_the_page_without_breaking_words() {
    for rounds in [5, 6, 9] {
        let name = format!("rondes-{rounds}");
        let appendix = generated_appendix(&name, rounds, true);
        let alliantie = &appendix.tables[2];
        assert_eq!(alliantie.columns.len(), rounds + 2, "{name}");
        assert_eq!(appendix.tables[0].columns.len(), 7, "{name}");
        let rendered = render(&appendix, &PdfOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
        let path = scratch(&format!("{name}.pdf"), &rendered.bytes);
        let (pages, words) = bbox(&path);
        assert!(
            (5..=14).contains(&pages.len()),
            "{name}: {} pages",
            pages.len()
        );
        assert_inside_pages(&pages, &words);
        let text = poppler("pdftotext", &["-layout", "-enc", "UTF-8"], &path);
        assert_tables_unbroken(&appendix, &words, &text);
        // the widest tables turn to landscape; the document itself stays portrait
        let landscape = pages.iter().filter(|(w, h)| w > h).count();
        assert!(
            pages[0].0 < pages[0].1,
            "{name}: the first page is portrait"
        );
        if rounds >= 6 {
            assert!(landscape >= 1, "{name}: no landscape page");
        }
        assert!(landscape <= 4, "{name}: {landscape} landscape pages");
        // still accessible
        let options = ValidationOptions::default().profile(ValidationProfile::PdfUa1);
        let report = validate_pdf_bytes(&rendered.bytes, &options).unwrap();
        assert!(report.is_compliant, "{name}: {:?}", report.failures);
        // and deterministic
        let again = render(&appendix, &PdfOptions::default()).unwrap();
        assert!(again.bytes == rendered.bytes, "{name}: two renders differ");
    }
}

#[test]
fn a_table_too_wide_even_for_landscape_is_printed_in_parts() {
    let appendix = generated_appendix("rondes-20", 20, false);
    let rendered = render(&appendix, &PdfOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let path = scratch("rondes-20.pdf", &rendered.bytes);
    let (pages, words) = bbox(&path);
    assert_inside_pages(&pages, &words);
    let text = poppler("pdftotext", &["-layout", "-enc", "UTF-8"], &path);
    assert_tables_unbroken(&appendix, &words, &text);
    assert!(
        text.contains("Alliantieprojecten (investeringsagenda) (deel 2 van 2)"),
        "{text}"
    );
    assert!(pages.len() <= 16, "{} pages", pages.len());
}

/// `count` distinct words of ten characters: `woord00001 woord00002 …`.
fn long_text(count: usize) -> String {
    (1..=count)
        .map(|i| format!("woord{i:05}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_row_taller_than_a_page_continues_on_the_next_and_stays_in_the_text_area() {
    let mut appendix = appendix_2022().clone();
    // a description of 11.000 characters, a footnote of 8.800 and a finding of 5.500
    let table = &mut appendix.tables[1];
    let row = table
        .rows
        .iter_mut()
        .find(|r| r.kind == RowKind::Line)
        .unwrap();
    row.label = long_text(1000);
    table.footnotes[0].text = format!("{} {}", table.footnotes[0].text, long_text(800));
    appendix.tables[2].rows[1].label = format!("Begin {} einde", long_text(600));
    appendix.control.findings[0].message = long_text(500);
    let rendered = render(&appendix, &PdfOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let path = scratch("lange-rij.pdf", &rendered.bytes);
    let (pages, words) = bbox(&path);
    assert_inside_pages(&pages, &words);
    // the description and the footnote are printed whole, in order, over several pages
    let printed: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    for (first, last) in [(1, 1000), (1, 800)] {
        let start = printed
            .iter()
            .position(|w| *w == format!("woord{first:05}"))
            .unwrap();
        let expected: Vec<String> = (first..=last).map(|i| format!("woord{i:05}")).collect();
        let found: Vec<&str> = printed[start..]
            .iter()
            .copied()
            .filter(|w| w.starts_with("woord"))
            .take(expected.len())
            .collect();
        assert_eq!(found, expected, "a long text is printed whole and in order");
    }
    let pages_with = |word: &str| {
        words
            .iter()
            .filter(|w| w.text == word)
            .map(|w| w.page)
            .collect::<Vec<_>>()
    };
    assert!(pages_with("einde")[0] > pages_with("Begin")[0]);
    let options = ValidationOptions::default().profile(ValidationProfile::PdfUa1);
    let report = validate_pdf_bytes(&rendered.bytes, &options).unwrap();
    assert!(report.is_compliant, "{:?}", report.failures);
    // in the control report the finding's message is clipped to a page, ending in an ellipsis
    let rendered =
        render_control(&appendix, &PdfOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let path = scratch("lange-bevinding.pdf", &rendered.bytes);
    let (pages, words) = bbox(&path);
    assert_inside_pages(&pages, &words);
    assert!(
        words
            .iter()
            .any(|w| w.text.starts_with("woord") && w.text.ends_with('…')),
        "no ellipsis"
    );
    let report = validate_pdf_bytes(&rendered.bytes, &options).unwrap();
    assert!(report.is_compliant, "{:?}", report.failures);
}

#[test]
fn characters_the_font_lacks_are_replaced_and_reported() {
    let mut appendix = appendix_2022().clone();
    let levensloop = appendix.tables[1]
        .rows
        .iter_mut()
        .find(|r| r.label == "Levensloop bestendig wonen")
        .unwrap();
    levensloop.label = "Levensloop bestendig wonen ✓".to_string();
    appendix.tables[2].rows[1].label = "Kwiekstee 🧓👍\u{FE0F} 社区 ✓".to_string();
    appendix.charts[0].categories[1] = "Leefbaarheid ✓".to_string();
    appendix.control.sources[0].path = "input/werkplan ✓.xlsx".to_string();
    let rendered = render(&appendix, &PdfOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let expected = "teken ‘✓’ (U+2713) in ‘Levensloop bestendig wonen ✓’ staat niet in het \
                    lettertype en is in de PDF vervangen door ‘?’";
    assert!(
        rendered.warnings.iter().any(|w| w == expected),
        "{:#?}",
        rendered.warnings
    );
    // one warning per distinct (text, character)
    let kwiekstee: Vec<&String> = rendered
        .warnings
        .iter()
        .filter(|w| w.contains("Kwiekstee"))
        .collect();
    assert_eq!(kwiekstee.len(), 5, "{kwiekstee:#?}");
    assert_eq!(rendered.warnings.len(), 7, "{:#?}", rendered.warnings);
    // the source's name is printed in the control report only, and replaced there
    let control = render_control(&appendix, &PdfOptions::default()).unwrap();
    assert_eq!(
        control.warnings,
        [
            "teken ‘✓’ (U+2713) in ‘input/werkplan ✓.xlsx’ staat niet in het lettertype en is in \
          de PDF vervangen door ‘?’"
        ],
    );
    let report = validate_pdf_bytes(
        &control.bytes,
        &ValidationOptions::default().profile(ValidationProfile::PdfUa1),
    )
    .unwrap();
    assert!(report.is_compliant, "{:?}", report.failures);
    let path = scratch("tekens.pdf", &rendered.bytes);
    let text = poppler("pdftotext", &["-layout", "-enc", "UTF-8"], &path);
    assert!(text.contains("Levensloop bestendig wonen ?"), "{text}");
    assert!(text.contains("Kwiekstee ?? ?? ?"), "{text}");
    let options = ValidationOptions::default().profile(ValidationProfile::PdfUa1);
    let report = validate_pdf_bytes(&rendered.bytes, &options).unwrap();
    assert!(report.is_compliant, "{:?}", report.failures);
}

/// A small werkplan without findings: one project name is `name`.
fn clean_workbook(dir: &Path, name: &str) {
    clean_workbook_with(dir, name, "Wonen", None, 100.0);
}

/// [`clean_workbook`] with theme 1 named `theme`, if given a theme note in Alliantieprojecten
/// (cell C3), and `spent` on the project (of its budget of 1000, with 200 committed).
fn clean_workbook_with(dir: &Path, name: &str, theme: &str, note: Option<&str>, spent: f64) {
    let themas = SheetSpec::new(
        "Themas",
        vec![
            vec![t("Nr"), t("Thema")],
            vec![n(0.0), t("Algemeen")],
            vec![n(1.0), t(theme)],
        ],
    );
    let regulier = SheetSpec::new(
        "Reguliere middelen",
        vec![
            vec![t("Thema"), t("Code"), t("Omschrijving"), t("Budget 2023")],
            vec![t("Algemeen"), t("a"), t("Secretariaat"), n(100.0)],
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
                t("Verplicht 2023"),
            ],
            vec![n(1.0), t("a"), t(name), n(1000.0), n(spent), n(200.0)],
        ],
    );
    let budget = SheetSpec::new(
        "Alliantiebudget",
        vec![vec![t("Thema"), t("Totaal budget")], vec![n(1.0), n(500.0)]],
    );
    let mut award_rows = vec![
        vec![
            t("Thema"),
            t("Code"),
            t("Project"),
            t("Ronde"),
            t("Toegekend"),
        ],
        vec![n(1.0), t("a"), t("Een"), n(1.0), n(10.0)],
    ];
    if let Some(note) = note {
        award_rows.push(vec![n(1.0), C::E, t(note)]);
    }
    let projecten = SheetSpec::new("Alliantieprojecten", award_rows);
    support::write_workbook(
        dir,
        "w.xlsx",
        &[themas, regulier, drenthe, budget, projecten],
    );
}

/// A small werkplan whose texts the font partly lacks: a check mark in a project name
/// (Drenthe-brede projecten › C2) and an emoji in a theme note (Alliantieprojecten › C3).
fn workbook_the_font_lacks(dir: &Path) {
    clean_workbook_with(
        dir,
        "Levensloop bestendig wonen ✓",
        "Wonen",
        Some("Samen 👍\u{FE0F} sterk"),
        100.0,
    );
}

/// The two font findings of [`workbook_the_font_lacks`], as the text log prints them.
fn font_findings_printed(input: &Path) -> [String; 2] {
    let file = input.join("w.xlsx");
    let file = file.display();
    [
        format!(
            "{file} › Drenthe-brede projecten › C2: teken ‘✓’ (U+2713) in ‘Levensloop bestendig \
             wonen ✓’ staat niet in het lettertype en is in de PDF vervangen door ‘?’ \
             [waarschuwing]"
        ),
        format!(
            "{file} › Alliantieprojecten › C3: teken ‘👍’ (U+1F44D) in ‘Samen 👍\u{FE0F} sterk’ \
             staat niet in het lettertype en is in de PDF vervangen door ‘?’ [waarschuwing]"
        ),
    ]
}

#[test]
fn characters_the_font_lacks_are_findings_at_their_cells_in_check_and_build() {
    let input = support::temp_dir("pdf-tekens-invoer");
    workbook_the_font_lacks(&input);
    let out = support::temp_dir("pdf-tekens-uit");
    let run = |command: &str, extra: &[&str]| {
        let mut args = vec![command, "--input", input.to_str().unwrap()];
        if command == "build" {
            args.extend(["--output", out.to_str().unwrap()]);
        }
        args.extend_from_slice(extra);
        support::werkplan(&args)
    };
    let expected = font_findings_printed(&input);
    let warning_lines = |stderr: &str| -> Vec<String> {
        stderr
            .lines()
            .filter(|l| l.ends_with("[waarschuwing]"))
            .map(str::to_string)
            .collect()
    };

    // check: the two findings at their cells, counted in the summary, exit 0
    let check = run("check", &[]);
    let stderr = support::stderr(&check);
    assert_eq!(check.status.code(), Some(0), "{stderr}");
    assert_eq!(warning_lines(&stderr), expected, "{stderr}");
    assert!(stderr.contains("; 2 waarschuwing(en)"), "{stderr}");

    // check --strict stops exactly as build --strict does: exit 3, nothing written
    for command in ["check", "build"] {
        let strict = run(command, &["--strict"]);
        let stderr = support::stderr(&strict);
        assert_eq!(strict.status.code(), Some(3), "{command}: {stderr}");
        assert_eq!(warning_lines(&stderr), expected, "{command}: {stderr}");
        assert!(stderr.contains("; 2 waarschuwing(en)"), "{stderr}");
        assert!(support::snapshot(&out).is_empty(), "{command}: {stderr}");
    }

    // JSON log: findings like any other
    let json = run("check", &["--quiet", "--log-format", "json"]);
    let stderr = support::stderr(&json);
    assert_eq!(json.status.code(), Some(0), "{stderr}");
    let logged: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .filter(|v: &serde_json::Value| v["soort"] == "bevinding")
        .collect();
    assert_eq!(logged.len(), 2, "{stderr}");
    assert_eq!(logged[0]["bevinding"]["kind"], "lettertype", "{stderr}");
    assert_eq!(
        logged[0]["bevinding"]["severity"], "waarschuwing",
        "{stderr}"
    );
    assert_eq!(logged[1]["bevinding"]["place"]["cell"], "C3", "{stderr}");

    // build: written, the findings printed once (with --quiet only they), in the JSON report
    let build = run("build", &["--quiet"]);
    let stderr = support::stderr(&build);
    assert_eq!(build.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        expected.join("\n"),
        "only the findings with --quiet"
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("financien-werkplan-2023.json")).unwrap())
            .unwrap();
    let findings = report["report"]["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("{report}"));
    let font: Vec<(&str, &str, &str)> = findings
        .iter()
        .filter(|f| f["kind"] == "lettertype")
        .map(|f| {
            (
                f["place"]["sheet"].as_str().unwrap(),
                f["place"]["cell"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        font,
        [
            ("Drenthe-brede projecten", "C2", "waarschuwing"),
            ("Alliantieprojecten", "C3", "waarschuwing")
        ],
        "{report}"
    );
    assert_eq!(findings.len(), 2, "{report}");
    // the PDF draws the substitute
    let text = poppler(
        "pdftotext",
        &["-layout", "-enc", "UTF-8"],
        &out.join("financien-werkplan-2023.pdf"),
    );
    assert!(text.contains("Levensloop bestendig wonen ?"), "{text}");
    assert!(text.contains("Samen ? sterk"), "{text}");
}

#[test]
fn a_text_is_reported_once_with_all_its_characters_and_templates_by_file() {
    let input = support::temp_dir("pdf-tekens-eenmaal");
    // the theme name is printed as a heading, a chart category and a table row: one finding
    clean_workbook_with(&input, "Kwiekstee 🧓👍 社区 ✓", "Wonen ✓", None, 100.0);
    let templates = support::temp_dir("pdf-tekens-sjablonen");
    std::fs::write(
        templates.join("controle.hbs"),
        "## Controle\n\nAlles nagerekend ✔.\n",
    )
    .unwrap();
    let loaded =
        werkplan::app::load(&input, None, Some(&templates)).unwrap_or_else(|e| panic!("{e:?}"));
    let findings: Vec<String> = loaded
        .report
        .findings
        .iter()
        .map(|f| {
            assert_eq!(f.kind, werkplan::model::FindingKind::Lettertype, "{f}");
            f.to_string()
        })
        .collect();
    // places name the file in its folder, never a path of this machine
    let file = "w.xlsx";
    assert_eq!(
        findings,
        [
            format!(
                "{file} › Themas › B3: teken ‘✓’ (U+2713) in ‘Wonen ✓’ staat niet in het \
                 lettertype en is in de PDF vervangen door ‘?’"
            ),
            format!(
                "{file} › Drenthe-brede projecten › C2: tekens ‘🧓’ (U+1F9D3), ‘👍’ (U+1F44D), \
                 ‘社’ (U+793E), ‘区’ (U+533A) en ‘✓’ (U+2713) in ‘Kwiekstee 🧓👍 社区 ✓’ staan \
                 niet in het lettertype en zijn in de PDF vervangen door ‘?’"
            ),
            "controle.hbs: teken ‘✔’ (U+2714) in ‘Alles nagerekend ✔.’ staat niet in het \
             lettertype en is in de PDF vervangen door ‘?’"
                .to_string(),
        ]
    );
    assert_eq!(
        loaded.report.findings[2].place.origin,
        werkplan::model::Origin::Sjablonen
    );
    // the renderers draw a substitute for no character that is not reported
    let publication = render(&loaded.appendix, &PdfOptions::default()).unwrap();
    let control = render_control(&loaded.appendix, &PdfOptions::default()).unwrap();
    assert!(!control.warnings.is_empty());
    for warning in publication.warnings.iter().chain(&control.warnings) {
        let c = warning.chars().nth("teken ‘".chars().count()).unwrap();
        assert!(
            findings.iter().any(|f| f.contains(&format!("‘{c}’"))),
            "{warning} not reported: {findings:#?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Footnote markers after amounts, the Controle section without findings, long chart labels.

/// The width of a table: the text area less the cell padding at its right edge.
const CELL_PAD: f64 = 4.0;

/// Asserts that every word of the table whose amount columns are headed `headers` (one word
/// each, so that each header's right edge is its column's right edge) lies inside its column:
/// it ends at or before the right edge of the column it starts in, starts clear of the column
/// before, and stays inside the table. Checks every page that shows the header; the table ends
/// at its `Totaal` row.
fn assert_words_inside_columns(pages: &[(f64, f64)], words: &[Word], headers: &[&str]) {
    let (left, right_margin, _, bottom) = MARGINS;
    let mut checked = 0;
    for (page, &(width, height)) in pages.iter().enumerate() {
        let on_page: Vec<&Word> = words.iter().filter(|w| w.page == page).collect();
        let head: Vec<&Word> = headers
            .iter()
            .filter_map(|h| on_page.iter().copied().find(|w| w.text == *h))
            .collect();
        if head.is_empty() {
            continue;
        }
        assert_eq!(head.len(), headers.len(), "page {}: headers", page + 1);
        let table_right = width - right_margin - CELL_PAD;
        let rights: Vec<f64> = head.iter().map(|w| w.x_max).collect();
        let last = rights[rights.len() - 1];
        assert!(
            (last - table_right).abs() < 0.5,
            "the last column ends at the table's edge: {last} vs {table_right}"
        );
        let head_bottom = head.iter().map(|w| w.y_max).fold(0.0, f64::max);
        let table_bottom = on_page
            .iter()
            .filter(|w| w.text == "Totaal" && w.y_min > head_bottom)
            .map(|w| w.y_max)
            .fold(f64::NAN, f64::min);
        let table_bottom = if table_bottom.is_nan() {
            height - bottom
        } else {
            table_bottom + 0.5
        };
        for w in on_page
            .iter()
            .filter(|w| w.y_min > head_bottom && w.y_max <= table_bottom)
        {
            assert!(
                w.x_min >= left - 0.5 && w.x_max <= table_right + 0.5,
                "outside the table (right edge {table_right}): {w:?}"
            );
            // the column the word starts in: the first whose right edge is right of its start
            let column = rights.iter().position(|&r| w.x_min < r);
            let Some(column) = column else {
                panic!("starts right of the last column ({last}): {w:?}");
            };
            assert!(
                w.x_max <= rights[column] + 0.5,
                "sticks out of column {} (right edge {}): {w:?}",
                headers[column],
                rights[column]
            );
            if column > 0 && w.x_min > rights[column - 1] - 0.01 {
                assert!(
                    w.x_min >= rights[column - 1] + 3.0,
                    "touches column {} (right edge {}): {w:?}",
                    headers[column - 1],
                    rights[column - 1]
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} words of the table checked");
}

#[test]
fn footnote_markers_stay_inside_their_amount_column() {
    let mut appendix = appendix_2022().clone();
    let headers = ["Kolom-A", "Kolom-B", "Kolom-C", "Kolom-D", "Kolom-E"];
    let table = &mut appendix.tables[1];
    assert_eq!(table.columns.len(), headers.len());
    for (column, header) in table.columns.iter_mut().zip(headers) {
        column.label = header.to_string();
    }
    // markers in several columns, the widest in the last; wide and negative amounts
    let marks: [(usize, &str, i64); 8] = [
        (0, "*", 55_000_000),
        (3, "**", 12_345_678_900),
        (1, "***", 100_000_000),
        (4, "10)", -12_345_678_900),
        (3, "10)", 12_350_678_900),
        (4, "*", 15_000_000),
        (2, "***", 0),
        (4, "***", -12_345_678_901),
    ];
    let lines: Vec<usize> = table
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == RowKind::Line)
        .map(|(i, _)| i)
        .collect();
    assert!(lines.len() >= marks.len());
    for (&row, &(column, marker, cents)) in lines.iter().zip(&marks) {
        let cell = &mut table.rows[row].cells[column];
        cell.value = Some(werkplan::model::Money::from_cents(cents));
        cell.marker = Some(marker.to_string());
    }
    if let Some(total) = table.rows.iter_mut().find(|r| r.kind == RowKind::Total) {
        total.cells[4].marker = Some("**".to_string());
    }
    table.footnotes = ["*", "**", "***", "10)"]
        .iter()
        .map(|m| werkplan::render::table::TableFootnote {
            marker: m.to_string(),
            text: format!("Toelichting bij {m}."),
        })
        .collect();
    let rendered = render(&appendix, &PdfOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let path = scratch("voetnootmarkeringen.pdf", &rendered.bytes);
    let (pages, words) = bbox(&path);
    assert_inside_pages(&pages, &words);
    assert_words_inside_columns(&pages, &words, &headers);
    // the markers are printed, the widest in the last column
    for marker in ["*", "**", "***", "10)"] {
        assert!(
            words
                .iter()
                .any(|w| w.text == marker || w.text.ends_with(marker)),
            "marker {marker} not printed"
        );
    }
    let options = ValidationOptions::default().profile(ValidationProfile::PdfUa1);
    let report = validate_pdf_bytes(&rendered.bytes, &options).unwrap();
    assert!(report.is_compliant, "{:?}", report.failures);
}

#[test]
fn without_findings_the_controle_section_says_so_once_and_has_no_table() {
    let input = support::temp_dir("pdf-geen-bevindingen");
    clean_workbook(&input, "Secretariaat");
    let appendix = werkplan::app::load(&input, None, None)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .appendix;
    assert!(
        appendix.control.findings.is_empty(),
        "{:?}",
        appendix.control.findings
    );
    let rendered =
        render_control(&appendix, &PdfOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let path = scratch("geen-bevindingen.pdf", &rendered.bytes);
    let text = poppler("pdftotext", &["-enc", "UTF-8"], &path);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // the sentence comes from the template's text only; the renderer adds none of its own
    let sentence = "geen bevindingen";
    let in_template = appendix
        .control
        .text
        .iter()
        .filter_map(|b| match b {
            werkplan::render::Block::Paragraph(t) | werkplan::render::Block::Bullet(t) => Some(t),
            _ => None,
        })
        .map(|t| t.matches(sentence).count())
        .sum::<usize>();
    assert!(in_template <= 1, "{:?}", appendix.control.text);
    assert_eq!(in_template, 1, "{:?}", appendix.control.text);
    assert_eq!(flat.matches(sentence).count(), in_template, "{flat}");
    // no findings table
    for header in ["Ernst", "Vermeld", "Berekend", "Melding"] {
        assert!(!flat.contains(header), "{header}: {flat}");
    }
}

#[test]
fn long_chart_labels_wrap_over_up_to_three_lines_before_they_are_clipped() {
    let mut appendix = appendix_2022().clone();
    let long = "3 Armoede, laaggeletterdheid, schuldenproblematiek en bestaanszekerheid van \
                kwetsbare huishoudens in de provincie Drenthe";
    let endless = format!("{long} {}", long_text(40));
    appendix.charts[0].categories[1] = long.to_string();
    appendix.charts[1].categories[1] = endless.clone();
    let rendered = render(&appendix, &PdfOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let path = scratch("lange-categorieen.pdf", &rendered.bytes);
    let (pages, words) = bbox(&path);
    assert_inside_pages(&pages, &words);
    // the long name is printed in full, on at most three lines, right above the caption
    let caption = words
        .iter()
        .zip(words.iter().skip(1))
        .find(|(a, b)| a.text == "Figuur" && b.text == "1.")
        .map(|(a, _)| a)
        .expect("Figuur 1");
    let first = words
        .iter()
        .rev()
        .find(|w| w.page == caption.page && w.y_max < caption.y_min && w.text == "Armoede,")
        .expect("the long label in the chart");
    // the label column: from the left margin, at most 190 points wide; three lines
    let mut label: Vec<&Word> = words
        .iter()
        .filter(|w| {
            w.page == caption.page
                && w.y_min > first.y_min - 1.0
                && w.y_min < first.y_min + 3.0 * 9.5 - 1.0
                && w.x_max <= MARGINS.0 + 191.0
        })
        .collect();
    label.sort_by(|a, b| {
        (a.y_min.round() as i64, a.x_min.round() as i64)
            .cmp(&(b.y_min.round() as i64, b.x_min.round() as i64))
    });
    let printed: Vec<&str> = label.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(
        printed.join(" "),
        long,
        "the long label in full on three lines"
    );
    assert!(
        !words
            .iter()
            .any(|w| w.page == caption.page && w.text.ends_with('…')),
        "clipped"
    );
    // a label too long even then: three lines, the last ending in an ellipsis
    assert!(
        words
            .iter()
            .any(|w| w.text.starts_with("woord") && w.text.ends_with('…')),
        "no ellipsis"
    );
    assert!(
        !words.iter().any(|w| w.text == "woord00040"),
        "the endless label is clipped"
    );
    let clipped = words
        .iter()
        .filter(|w| w.text.starts_with("woord"))
        .map(|w| (w.page, w.y_min.round() as i64))
        .collect::<std::collections::BTreeSet<_>>();
    assert!(clipped.len() <= 3, "{clipped:?}");
}

/// DejaVu Sans, a font with a check mark (Liberation Sans has none); `None` with the reason
/// printed when it is not installed, a failure under `CI=true`.
fn dejavu_sans() -> Option<PathBuf> {
    let path = PathBuf::from("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{} ontbreekt (fonts-dejavu-core)",
        path.display()
    );
    eprintln!("overgeslagen: {} ontbreekt", path.display());
    None
}

#[test]
fn check_takes_the_fonts_of_build() {
    let Some(dejavu) = dejavu_sans() else {
        return;
    };
    let dejavu = dejavu.to_str().unwrap();
    let input = support::temp_dir("pdf-tekens-lettertype");
    clean_workbook(&input, "Levensloop bestendig wonen ✓ 社");
    let out = support::temp_dir("pdf-tekens-lettertype-uit");
    let run = |command: &str, extra: &[&str]| {
        let mut args = vec![command, "--input", input.to_str().unwrap(), "--strict"];
        if command == "build" {
            args.extend(["--output", out.to_str().unwrap()]);
        }
        args.extend_from_slice(extra);
        support::werkplan(&args)
    };
    let place = format!(
        "{} › Drenthe-brede projecten › C2: ",
        input.join("w.xlsx").display()
    );
    for command in ["check", "build"] {
        // Liberation Sans lacks both; DejaVu Sans has the check mark but no Chinese
        let liberation = run(command, &[]);
        let stderr = support::stderr(&liberation);
        assert_eq!(liberation.status.code(), Some(3), "{command}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "{place}tekens ‘✓’ (U+2713) en ‘社’ (U+793E) in ‘Levensloop bestendig wonen ✓ \
                 社’ staan niet in het lettertype en zijn in de PDF vervangen door ‘?’"
            )),
            "{command}: {stderr}"
        );
        let house = run(command, &["--font", dejavu]);
        let stderr = support::stderr(&house);
        assert_eq!(house.status.code(), Some(3), "{command}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "{place}teken ‘社’ (U+793E) in ‘Levensloop bestendig wonen ✓ 社’ staat niet in \
                 het lettertype en is in de PDF vervangen door ‘\u{FFFD}’ [waarschuwing]"
            )),
            "{command}: {stderr}"
        );
        assert!(
            stderr.contains("; 1 waarschuwing(en)"),
            "{command}: {stderr}"
        );
    }
    assert!(support::snapshot(&out).is_empty());
}

#[test]
fn a_finding_that_quotes_a_reported_text_is_not_reported_again() {
    // overspent: the finding on the amount cell names the project, ✓ and all
    let input = support::temp_dir("pdf-tekens-bevinding");
    clean_workbook_with(&input, "Levensloop ✓", "Wonen", None, 900.0);
    let loaded = werkplan::app::load(&input, None, None).unwrap_or_else(|e| panic!("{e:?}"));
    let findings: Vec<String> = loaded
        .report
        .findings
        .iter()
        .map(|f| f.to_string())
        .collect();
    let over = loaded
        .report
        .findings
        .iter()
        .find(|f| f.kind == werkplan::model::FindingKind::Overbesteed)
        .unwrap_or_else(|| panic!("{findings:#?}"));
    assert!(over.message.contains("Levensloop ✓"), "{findings:#?}");
    let font: Vec<&String> = findings
        .iter()
        .filter(|f| f.contains("staat niet in het lettertype"))
        .collect();
    assert_eq!(font.len(), 1, "{findings:#?}");
    assert!(
        font[0].contains("Drenthe-brede projecten › C2: "),
        "{findings:#?}"
    );
    // the appendix lists it with the others, and the Controle text counts it
    assert_eq!(loaded.appendix.control.findings, loaded.report.findings);
    let controle: Vec<String> = loaded
        .appendix
        .control
        .text
        .iter()
        .map(|b| format!("{b:?}"))
        .collect();
    assert!(
        controle.iter().any(|b| b.contains("twee bevindingen")),
        "{controle:#?}"
    );
}

#[test]
fn the_same_text_in_two_cells_is_one_finding_that_counts_the_other() {
    let input = support::temp_dir("pdf-tekens-twee-cellen");
    clean_workbook_with(&input, "Kwiekstee ✓", "Wonen", Some("Kwiekstee ✓"), 100.0);
    let loaded = werkplan::app::load(&input, None, None).unwrap_or_else(|e| panic!("{e:?}"));
    let findings: Vec<String> = loaded
        .report
        .findings
        .iter()
        .map(|f| f.to_string())
        .collect();
    assert_eq!(
        findings,
        [
            "w.xlsx › Drenthe-brede projecten › C2: teken ‘✓’ (U+2713) in ‘Kwiekstee ✓’ staat \
          niet in het lettertype en is in de PDF vervangen door ‘?’; dezelfde tekst staat nog \
          op één andere plaats"
        ]
    );
}

// ---- the monthly run ----

mod monthly;

/// The 2022 werkplan's monthly run (generated ledger, peildatum 30 September), rendered
/// once: the appendix, the PDF's bytes, its scratch file and its `pdftotext -layout` text.
fn monthly_pdf() -> &'static (Appendix, Vec<u8>, PathBuf, String) {
    static PDF: OnceLock<(Appendix, Vec<u8>, PathBuf, String)> = OnceLock::new();
    PDF.get_or_init(|| {
        let (_, _, appendix) = monthly::monthly_2022();
        let rendered = render(&appendix, &PdfOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        let path = scratch("maandrun-2022.pdf", &rendered.bytes);
        let text = poppler("pdftotext", &["-layout", "-enc", "UTF-8"], &path);
        (appendix, rendered.bytes, path, text)
    })
}

#[test]
fn the_monthly_run_pdf_conforms_to_pdf_ua_1() {
    let options = ValidationOptions::default().profile(ValidationProfile::PdfUa1);
    let report =
        validate_pdf_bytes(&monthly_pdf().1, &options).expect("page_validation reads the PDF");
    let failures: Vec<String> = report
        .failures
        .iter()
        .map(|f| format!("{}: {}", f.rule_id, f.message))
        .collect();
    assert!(
        report.is_compliant,
        "PDF/UA-1 failures:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_monthly_run_pdf_prints_the_new_columns_what_was_left_out_and_the_realisation() {
    let (appendix, bytes, _, text) = monthly_pdf();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // every new column's header and every one of its figures, in Dutch notation
    let mut figures = 0;
    for table in &appendix.tables {
        for (c, column) in table.columns.iter().enumerate() {
            let new = column.label.contains("t/m")
                || column.label.starts_with("Restant budget")
                || column.label == "Nog te betalen";
            if !new {
                continue;
            }
            for word in column.label.split_whitespace() {
                assert!(flat.contains(word), "{}: {word}", column.label);
            }
            for row in &table.rows {
                if let Some(value) = row.cells[c].value {
                    let shown = value.to_dutch_with(column.cents);
                    assert!(flat.contains(&shown), "{}: {shown}", column.label);
                    figures += 1;
                }
            }
        }
    }
    assert!(figures > 50, "only {figures} figures in new columns");
    // the control report says what the peildatum left out; the publication does not
    let left_out = appendix
        .control
        .left_out
        .first()
        .expect("bookings after the peildatum")
        .text();
    assert!(!flat.contains(left_out), "{flat}");
    let control =
        render_control(appendix, &PdfOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let path = scratch("controle-maandrun-2022.pdf", &control.bytes);
    assert_pdf_ua_1(&control.bytes);
    let control = poppler("pdftotext", &["-enc", "UTF-8"], &path);
    let control = control.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(control.contains(left_out), "{control}");
    // a realisation chart per instrument, after the tables
    for instrument in [
        "Reguliere middelen",
        "Drenthe-brede projecten",
        "Alliantieprojecten",
    ] {
        assert!(flat.contains(&format!("{instrument}: realisatie 2022 per maand")));
    }
    let again = render(appendix, &PdfOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(again.bytes == *bytes, "two renders differ");
}
