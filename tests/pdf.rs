//! The PDF of the 2022 werkplan, checked as a reader and an auditor would: it conforms to
//! PDF/UA-1 (validated with `page_validation`), is tagged, embeds subset fonts, prints every
//! reference figure in Dutch notation and both document errors in its Controle section, is
//! byte-identical from run to run, and its text matches the golden snapshot
//! (`tests/golden/financien-werkplan-2022.pdf.txt`, regenerated with
//! `WERKPLAN_UPDATE_GOLDEN=1`).
//!
//! The text checks use poppler-utils (`pdftotext`, `pdffonts`, `pdfinfo`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use page_validation::{ValidationOptions, ValidationProfile, validate_pdf_bytes};
use werkplan::render::Appendix;
use werkplan::render::pdf::{PdfError, PdfOptions, render};

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
        let bytes =
            render(appendix_2022(), &PdfOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        let path = scratch("financien-werkplan-2022.pdf", &bytes);
        (bytes, path)
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

/// Runs a poppler tool and returns its standard output.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) kan niet worden gestart: {e}"));
    assert!(
        output.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// `pdftotext -layout` of the 2022 PDF.
fn text_2022() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| poppler("pdftotext", &["-layout", "-enc", "UTF-8"], &pdf_2022().1))
}

#[test]
fn the_2022_pdf_conforms_to_pdf_ua_1() {
    let options = ValidationOptions::default().profile(ValidationProfile::PdfUa1);
    let report =
        validate_pdf_bytes(&pdf_2022().0, &options).expect("page_validation reads the PDF");
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
        "Reguliere Middelen (begroting)",
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
fn the_controle_section_lists_both_document_errors() {
    let text = text_2022();
    let start = text
        .find("\nControle\n")
        .or_else(|| text.find("Controle\n"))
        .expect("a Controle section");
    let controle = &text[start..];
    // the stated 2021 total of the regular budget is 1.000 short
    assert!(controle.contains("3.365.646,84"), "{controle}");
    assert!(controle.contains("3.366.646,84"), "{controle}");
    assert!(controle.contains("Reguliere middelen"), "{controle}");
    // Kansen4Kinderen is over-committed: -5.000 where the document prints 0
    assert!(controle.contains("-5.000"), "{controle}");
    assert!(controle.contains("Drenthe-brede projecten"), "{controle}");
    let checks = appendix_2022().checks;
    assert!(
        controle.contains(&format!(
            "{} uitgevoerd, {} in orde",
            checks.total, checks.passed
        )),
        "{controle}"
    );
}

#[test]
fn two_renders_are_byte_identical() {
    let again = render(appendix_2022(), &PdfOptions::default()).unwrap();
    assert!(
        again == pdf_2022().0,
        "two renders of the same appendix differ"
    );
}

#[test]
fn the_text_matches_the_golden_snapshot() {
    let golden = Path::new("tests/golden/financien-werkplan-2022.pdf.txt");
    let text = text_2022();
    if std::env::var_os("WERKPLAN_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all("tests/golden").unwrap();
        std::fs::write(golden, text).unwrap();
    }
    let expected = std::fs::read_to_string(golden).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; make it with WERKPLAN_UPDATE_GOLDEN=1",
            golden.display()
        )
    });
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
    let bytes = render(appendix_2022(), &options).unwrap_or_else(|e| panic!("{e}"));
    let path = scratch("huisstijl.pdf", &bytes);
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
