//! The two editions of one run (issue 10): the publication for Provinciale Staten holds no
//! trace of the control (no path, no input file name, no cell, no finding word, also not in
//! the document properties), the control report holds every finding at its place relative to
//! the input folder, and the JSON holds no path of the machine. Built as the README's cron
//! line builds it: with an absolute `--input`.
//!
//! Uses poppler-utils (`pdftotext`), like `tests/pdf.rs`: without it the test fails.

mod support;

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

/// The 2022 input copied to a folder of its own, built into `uitvoer` with the absolute
/// paths of both; returns the input folder and the output folder.
fn build_with_absolute_input(name: &str) -> (PathBuf, PathBuf) {
    let root = support::temp_dir(name);
    let input = root.join("invoer-met-een-lange-serverpad-naam");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy("input/werkplan-2022.xlsx", input.join("werkplan-2022.xlsx")).unwrap();
    let output = root.join("uitvoer");
    assert!(input.is_absolute(), "{}", input.display());
    let run = support::werkplan(&[
        "build",
        "--input",
        input.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
    ]);
    let stderr = support::stderr(&run);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    // the operator's log names the file as given
    assert!(
        stderr.contains(&format!(
            "{}/werkplan-2022.xlsx › Reguliere middelen › F31: vermeld",
            input.display()
        )),
        "{stderr}"
    );
    (input, output)
}

/// `pdftotext -layout` of a PDF.
fn pdf_layout(pdf: &Path) -> String {
    support::poppler("pdftotext", &["-layout", "-enc", "UTF-8"], pdf)
}

/// `pdftotext -layout` of a PDF, whitespace collapsed.
fn pdf_text(pdf: &Path) -> String {
    support::collapse_whitespace(&pdf_layout(pdf))
}

/// Every cell of every sheet as text, one per line, with its sheet's name.
fn xlsx_cells(xlsx: &Path) -> String {
    let bytes = std::fs::read(xlsx).unwrap();
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    for name in workbook.sheet_names() {
        text.push_str(&format!("blad {name}\n"));
        let range = workbook.worksheet_range(&name).unwrap();
        for (_, _, cell) in range.used_cells() {
            if *cell != Data::Empty {
                text.push_str(&format!("{cell}\n"));
            }
        }
    }
    text
}

/// The document properties of an XLSX (`docProps/*.xml`), as text.
fn xlsx_properties(xlsx: &Path) -> String {
    let bytes = std::fs::read(xlsx).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        if part.name().unwrap().starts_with("docProps/") {
            part.read_to_string(&mut text).unwrap();
        }
    }
    text
}

/// The cells of the run's findings, as the JSON places them (`F31`, `H14`, `H15` for the
/// 2022 workbook): whatever the findings are, none of their cells is in the publication.
fn finding_cells(output: &Path) -> Vec<String> {
    let json = std::fs::read_to_string(output.join("financien-werkplan-2022.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let cells: Vec<String> = doc["report"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["place"]["cell"].as_str())
        .map(str::to_string)
        .collect();
    assert!(!cells.is_empty(), "the 2022 workbook has findings at cells");
    cells
}

/// The bytes of a PDF with every compressed stream inflated: metadata, content and fonts as
/// text, so that a search sees what a reader's tools see.
fn pdf_inflated(pdf: &[u8]) -> String {
    let mut text = String::from_utf8_lossy(pdf).into_owned();
    let mut rest = pdf;
    while let Some(start) = rest.windows(6).position(|w| w == b"stream") {
        let body = &rest[start + 6..];
        let body = body.strip_prefix(b"\r").unwrap_or(body);
        let body = body.strip_prefix(b"\n").unwrap_or(body);
        let Some(end) = body.windows(9).position(|w| w == b"endstream") else {
            break;
        };
        let mut inflated = Vec::new();
        if flate2::read::ZlibDecoder::new(&body[..end])
            .read_to_end(&mut inflated)
            .is_ok()
        {
            text.push_str(&String::from_utf8_lossy(&inflated));
        }
        rest = &body[end + 9..];
    }
    text
}

/// Asserts that `text` holds nothing of the control: no path, no input file name, no cell of
/// a finding (`cells`), no finding word.
fn assert_nothing_of_the_control(what: &str, text: &str, input: &Path, cells: &[String]) {
    let lower = text.to_lowercase();
    let root = input.parent().unwrap().to_str().unwrap();
    let fixed = [
        root,
        "invoer-met-een-lange-serverpad-naam",
        "werkplan-2022",
        ".xlsx",
        "sha-256",
    ];
    for needle in fixed
        .iter()
        .copied()
        .chain(cells.iter().map(String::as_str))
    {
        assert!(
            !lower.contains(&needle.to_lowercase()),
            "{what} holds {needle}:\n{text}"
        );
    }
    for word in ["waarschuwing", "fout", "bevinding", "overbesteed"] {
        assert!(!lower.contains(word), "{what} holds {word}:\n{text}");
    }
}

#[test]
fn the_publication_of_an_absolute_input_holds_nothing_of_the_control() {
    let (input, output) = build_with_absolute_input("edities-publicatie");
    let pdf = pdf_text(&output.join("financien-werkplan-2022.pdf"));
    // it is the whole publication: the tables are there, and the neutral sentence
    for title in [
        "Reguliere middelen (begroting)",
        "Drenthe-brede projecten",
        "Alliantieprojecten",
    ] {
        assert!(pdf.contains(title), "{title}: {pdf}");
    }
    assert!(pdf.contains("opnieuw berekend"), "{pdf}");
    let findings = finding_cells(&output);
    assert_nothing_of_the_control("the publication PDF", &pdf, &input, &findings);
    // the PDF's metadata and streams too, inflated
    let bytes = std::fs::read(output.join("financien-werkplan-2022.pdf")).unwrap();
    let inflated = pdf_inflated(&bytes);
    assert!(
        inflated.contains("Financiële bijlage"),
        "the metadata inflated"
    );
    for needle in [
        input.parent().unwrap().to_str().unwrap(),
        "werkplan-2022.xlsx",
    ] {
        assert!(!inflated.contains(needle), "{needle} in the PDF's streams");
    }
    let xlsx = output.join("financien-werkplan-2022.xlsx");
    let cells = xlsx_cells(&xlsx);
    assert!(cells.contains("blad Toelichting"), "{cells}");
    assert_nothing_of_the_control("the publication XLSX", &cells, &input, &findings);
    assert_nothing_of_the_control(
        "the publication's properties",
        &xlsx_properties(&xlsx),
        &input,
        &findings,
    );
}

#[test]
fn the_control_report_holds_every_finding_at_its_relative_place() {
    let (input, output) = build_with_absolute_input("edities-controle");
    let places = [
        (
            "Reguliere middelen",
            "F31",
            ["€ 3.365.646,84", "€ 3.366.646,84", "€ 1.000,00"],
        ),
        (
            "Drenthe-brede projecten",
            "H14",
            ["€ 0,00", "€ -5.000,00", "€ -5.000,00"],
        ),
        (
            "Drenthe-brede projecten",
            "H15",
            ["€ 65.397,00", "€ 60.397,00", "€ -5.000,00"],
        ),
    ];
    let layout = pdf_layout(&output.join("controle-werkplan-2022.pdf"));
    let pdf = pdf_text(&output.join("controle-werkplan-2022.pdf"));
    assert!(
        pdf.contains("Controle werkplan 2022 Sociale Agenda"),
        "{pdf}"
    );
    // each finding's row: its place, then stated, computed and difference
    for (sheet, cell, figures) in places {
        let place = format!("werkplan-2022.xlsx › {sheet} › {cell}");
        let line = layout
            .lines()
            .find(|l| l.contains(&place))
            .unwrap_or_else(|| panic!("{place}: {layout}"));
        let row = line.split_whitespace().collect::<Vec<_>>().join(" ");
        let expected = format!("{place} {}", figures.join(" "));
        assert!(row.ends_with(&expected), "{expected}: {row}");
    }
    let xlsx = xlsx_cells(&output.join("controle-werkplan-2022.xlsx"));
    for (sheet, cell, _) in places {
        let row = format!("werkplan-2022.xlsx\n{sheet}\n{cell}\n");
        assert!(xlsx.contains(&row), "{row}: {xlsx}");
    }
    for text in [&pdf, &xlsx] {
        assert!(!text.contains(input.to_str().unwrap()), "a path: {text}");
    }
}

#[test]
fn the_json_of_an_absolute_input_holds_no_path() {
    let (input, output) = build_with_absolute_input("edities-json");
    let json = std::fs::read_to_string(output.join("financien-werkplan-2022.json")).unwrap();
    let root = input.parent().unwrap();
    assert!(!json.contains(root.to_str().unwrap()), "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let files: Vec<&str> = doc["report"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["place"]["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["werkplan-2022.xlsx"; 3]);
}

#[test]
fn both_editions_are_byte_identical_for_the_same_input() {
    let (_, first) = build_with_absolute_input("edities-eerste");
    let (_, second) = build_with_absolute_input("edities-tweede");
    let (first, second) = (support::snapshot(&first), support::snapshot(&second));
    let names: Vec<&str> = first.iter().map(|(name, _)| name.as_str()).collect();
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
    for ((name, a), (_, b)) in first.iter().zip(&second) {
        assert!(a == b, "{name} differs between two runs on the same input");
    }
}
