//! One presentation in every format: every column of figures of every table (the report
//! tables, the charts' data tables, the realisation sheet) shows the same number of
//! decimals in each of its figures, in the PDF text and in the XLSX number formats; each
//! table title is spelled one way; apostrophes are normalised alike in every output; the
//! workbook names werkplan and Dutch; the `Grafieken` sheet prints one chart a page.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use werkplan::model::Instrument;
use werkplan::render::Appendix;
use werkplan::render::pdf::{PdfOptions, render as render_pdf};
use werkplan::render::xlsx::render as render_xlsx;

mod support;

mod monthly;

/// The 2022 appendix.
fn appendix_2022() -> Appendix {
    werkplan::app::load(Path::new("input"), None, None)
        .unwrap_or_else(|e| panic!("2022 laden: {e:?}"))
        .appendix
}

/// The runs the checks walk: the 2022 workbook, and its monthly run with a ledger.
fn runs() -> Vec<(&'static str, Appendix)> {
    vec![
        ("2022", appendix_2022()),
        ("maandrun 2022", monthly::monthly_2022().2),
    ]
}

/// A scratch folder of this test process.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "werkplan-presentation-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The number of decimals of a figure as printed (`€ 1.234,56` has 2, `€ 1.234` has 0).
fn decimals(figure: &str) -> usize {
    figure.rsplit_once(',').map_or(0, |(_, d)| d.len())
}

// ---- PDF ----------------------------------------------------------------------------------

/// A figure printed in the PDF: its page, right edge, top and text (`1.234,56`).
#[derive(Debug)]
struct PrintedFigure {
    page: usize,
    right: f64,
    top: f64,
    text: String,
}

/// Whether `word` is a figure as a table prints it: `1.234`, `-5.000,00`, nothing after it.
fn is_figure(word: &str) -> bool {
    let digits = word.strip_prefix('-').unwrap_or(word);
    let (whole, cents) = match digits.split_once(',') {
        Some((whole, cents)) => (whole, Some(cents)),
        None => (digits, None),
    };
    let groups: Vec<&str> = whole.split('.').collect();
    let whole_ok = !groups[0].is_empty()
        && groups[0].len() <= 3
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
        && groups[1..].iter().all(|g| g.len() == 3);
    whole_ok && cents.is_none_or(|c| c.len() == 2 && c.chars().all(|c| c.is_ascii_digit()))
}

/// Every figure after a `€` in the PDF, with where it is drawn (`pdftotext -bbox`).
fn printed_figures(pdf: &[u8], name: &str) -> Vec<PrintedFigure> {
    let dir = scratch(name);
    let path = dir.join("bijlage.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new("pdftotext")
        .arg("-bbox")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext (poppler-utils) kan niet worden gestart: {e}"));
    assert!(output.status.success(), "pdftotext: {output:?}");
    let html = String::from_utf8(output.stdout).unwrap();
    let attribute = |line: &str, name: &str| -> f64 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + line[start..].find('"').unwrap();
        line[start..end].parse().unwrap()
    };
    let mut figures = Vec::new();
    let mut page = 0;
    let mut after_euro = false;
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page") {
            page += 1;
            after_euro = false;
            continue;
        }
        let Some(rest) = line.strip_prefix("<word ") else {
            continue;
        };
        let text = &rest[rest.find('>').unwrap() + 1..rest.rfind("</word>").unwrap()];
        if after_euro && is_figure(text) {
            figures.push(PrintedFigure {
                page,
                right: attribute(line, "xMax"),
                top: attribute(line, "yMin"),
                text: text.to_string(),
            });
        }
        after_euro = text == "€";
    }
    figures
}

/// The figures of the PDF in columns: right-aligned figures share their right edge, and a
/// column is a run of them on one page without a gap taller than a table's title and header.
fn printed_columns(figures: &[PrintedFigure]) -> Vec<Vec<&PrintedFigure>> {
    const GAP: f64 = 60.0;
    let mut by_edge: BTreeMap<(usize, i64), Vec<&PrintedFigure>> = BTreeMap::new();
    for figure in figures {
        #[allow(clippy::cast_possible_truncation)]
        let edge = (figure.right * 10.0).round() as i64;
        by_edge.entry((figure.page, edge)).or_default().push(figure);
    }
    let mut columns = Vec::new();
    for mut run in by_edge.into_values() {
        run.sort_by(|a, b| a.top.total_cmp(&b.top));
        let mut column: Vec<&PrintedFigure> = Vec::new();
        for figure in run {
            if column
                .last()
                .is_some_and(|last| figure.top - last.top > GAP)
            {
                columns.push(std::mem::take(&mut column));
            }
            column.push(figure);
        }
        columns.push(column);
    }
    columns.into_iter().filter(|c| c.len() > 1).collect()
}

#[test]
fn every_column_of_the_pdf_shows_its_figures_with_one_precision() {
    for (run, appendix) in runs() {
        let pdf = render_pdf(&appendix, &PdfOptions::default())
            .unwrap_or_else(|e| panic!("{run}: {e}"))
            .bytes;
        let figures = printed_figures(&pdf, &run.replace(' ', "-"));
        let columns = printed_columns(&figures);
        // every column of every table and chart data table is among them
        let shared: usize = appendix.tables.iter().map(|t| t.columns.len()).sum();
        assert!(
            columns.len() >= shared,
            "{run}: only {} columns of figures found in the PDF, the tables have {shared}",
            columns.len()
        );
        for column in &columns {
            let first = decimals(&column[0].text);
            let odd = column.iter().find(|f| decimals(&f.text) != first);
            assert!(
                odd.is_none(),
                "{run}: page {}, column ending at x = {:.1}: {} beside {}",
                column[0].page,
                column[0].right,
                column[0].text,
                odd.map(|f| f.text.as_str()).unwrap_or_default()
            );
        }
        // and the shared tables say the same: each figure printed as its column decides
        let printed: Vec<&str> = figures.iter().map(|f| f.text.as_str()).collect();
        for table in &appendix.tables {
            for r in 0..table.rows.len() {
                for (c, column) in table.columns.iter().enumerate() {
                    let Some(text) = table.amount_text(r, c) else {
                        continue;
                    };
                    assert_eq!(
                        decimals(&text) == 2,
                        column.cents,
                        "{}: {text}",
                        table.title
                    );
                    let figure = text.trim_start_matches("€ ");
                    assert!(
                        printed.contains(&figure),
                        "{run}, {}: {text} not in the PDF",
                        table.title
                    );
                }
            }
        }
        // the charts' bar labels too (left-aligned at the bar's end, so not in a column
        // above): every value as its series decides, and no value with other decimals
        let mut counted: BTreeMap<&str, usize> = BTreeMap::new();
        for figure in &printed {
            *counted.entry(figure).or_default() += 1;
        }
        for chart in &appendix.charts {
            for series in &chart.series {
                for i in 0..series.values.len() {
                    let text = series.amount_text(i).unwrap();
                    let figure = text.trim_start_matches("€ ");
                    assert!(
                        printed.contains(&figure),
                        "{run}, {} › {}: {text} not in the PDF",
                        chart.title,
                        series.name
                    );
                    if series.cents {
                        let whole = figure.rsplit_once(',').map_or(figure, |(w, _)| w);
                        let table_has = appendix.tables.iter().any(|t| {
                            (0..t.rows.len()).any(|r| {
                                (0..t.columns.len()).any(|c| {
                                    t.amount_text(r, c).as_deref() == Some(&format!("€ {whole}"))
                                })
                            })
                        });
                        assert!(
                            table_has || !counted.contains_key(whole),
                            "{run}, {} › {}: {whole} printed without the series' cents",
                            chart.title,
                            series.name
                        );
                    }
                }
            }
        }
    }
}

// ---- XLSX ---------------------------------------------------------------------------------

/// The parts of a zip by name, as text.
fn zip_parts(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut parts = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut text = String::new();
        if file.read_to_string(&mut text).is_ok() {
            parts.insert(name, text);
        }
    }
    parts
}

/// The value of attribute `name` in an XML start tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = start + tag[start..].find('"')?;
    Some(&tag[start..end])
}

/// The decimals of each cell format (`cellXfs` index) of a workbook's number formats: 2 for
/// `#,##0.00`, 0 for `#,##0`, `None` for a format without figures.
fn format_decimals(styles: &str) -> Vec<Option<usize>> {
    let mut codes: BTreeMap<String, String> = BTreeMap::new();
    for tag in styles.split("<numFmt ").skip(1) {
        let id = attr(&format!(" {tag}"), "numFmtId").unwrap().to_string();
        let code = attr(&format!(" {tag}"), "formatCode").unwrap().to_string();
        codes.insert(id, code);
    }
    let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    xfs.split("<xf ")
        .skip(1)
        .map(|tag| {
            let code = codes.get(attr(&format!(" {tag}"), "numFmtId").unwrap())?;
            if code.contains("0.00") {
                Some(2)
            } else if code.contains("#,##0") {
                Some(0)
            } else {
                None
            }
        })
        .collect()
}

/// The sheets of a workbook by name, with their part.
fn sheet_parts(parts: &BTreeMap<String, String>) -> Vec<(String, String)> {
    let workbook = &parts["xl/workbook.xml"];
    let rels = &parts["xl/_rels/workbook.xml.rels"];
    workbook
        .split("<sheet ")
        .skip(1)
        .map(|tag| {
            let tag = format!(" {tag}");
            let name = attr(&tag, "name").unwrap().replace("&amp;", "&");
            let id = attr(&tag, "r:id").unwrap().to_string();
            let rel = rels
                .split("<Relationship ")
                .find(|r| attr(&format!(" {r}"), "Id") == Some(id.as_str()))
                .unwrap();
            let rel = format!(" {rel}");
            let target = attr(&rel, "Target").unwrap();
            (name, parts[&format!("xl/{target}")].clone())
        })
        .collect()
}

/// Splits a cell reference (`AB12`) into column letters and row number.
fn split_ref(at: &str) -> (String, u32) {
    let letters: String = at.chars().take_while(char::is_ascii_alphabetic).collect();
    (letters.clone(), at[letters.len()..].parse().unwrap())
}

/// The figures of a sheet: (column, row) -> decimals of the cell's number format.
fn sheet_figures(sheet: &str, decimals: &[Option<usize>]) -> BTreeMap<(String, u32), usize> {
    let mut figures = BTreeMap::new();
    for cell in sheet.split("<c ").skip(1) {
        let head = &cell[..cell.find('>').unwrap()];
        let tag = format!(" {head}");
        // numbers and formulas only: text cells have t="s", blanks no value
        if attr(&tag, "t").is_some() || head.ends_with('/') {
            continue;
        }
        let Some(Some(d)) = attr(&tag, "s")
            .and_then(|s| s.parse::<usize>().ok())
            .and_then(|s| decimals.get(s).copied())
        else {
            continue;
        };
        figures.insert(split_ref(attr(&tag, "r").unwrap()), d);
    }
    figures
}

#[test]
fn every_column_of_the_xlsx_has_one_number_format_precision() {
    for (run, appendix) in runs() {
        let bytes = render_xlsx(&appendix).unwrap_or_else(|e| panic!("{run}: {e}"));
        let parts = zip_parts(&bytes);
        let decimals = format_decimals(&parts["xl/styles.xml"]);
        let sheets = sheet_parts(&parts);
        let mut checked = 0;
        for (name, xml) in &sheets {
            let figures = sheet_figures(xml, &decimals);
            let table = appendix.tables.iter().find(|t| t.instrument.name() == name);
            // a report table's column is the whole sheet column; elsewhere (chart data,
            // realisation blocks) a run of consecutive rows
            let mut columns: BTreeMap<(String, u32), Vec<(u32, usize)>> = BTreeMap::new();
            let mut previous: BTreeMap<String, u32> = BTreeMap::new();
            let mut block: BTreeMap<String, u32> = BTreeMap::new();
            for ((column, row), d) in &figures {
                let run_start = if table.is_some() {
                    0
                } else {
                    let start = match previous.get(column) {
                        Some(&p) if p + 1 == *row => block[column],
                        _ => *row,
                    };
                    block.insert(column.clone(), start);
                    previous.insert(column.clone(), *row);
                    start
                };
                columns
                    .entry((column.clone(), run_start))
                    .or_default()
                    .push((*row, *d));
            }
            for ((column, _), cells) in &columns {
                let first = cells[0].1;
                let odd = cells.iter().find(|(_, d)| *d != first);
                assert!(
                    odd.is_none(),
                    "{run}, {name}, column {column}: row {} has {first} decimals, row {} {}",
                    cells[0].0,
                    odd.unwrap().0,
                    odd.unwrap().1
                );
                checked += 1;
            }
            // and a report table's columns decide as the shared table does
            if let Some(table) = table {
                for (c, shared) in table.columns.iter().enumerate() {
                    let letter = column_letter(2 + c);
                    let Some((_, cells)) = columns.iter().find(|((l, _), _)| *l == letter) else {
                        continue;
                    };
                    assert_eq!(
                        cells[0].1 == 2,
                        shared.cents,
                        "{run}, {name}, {}",
                        shared.label
                    );
                }
            }
        }
        let shared: usize = appendix.tables.iter().map(|t| t.columns.len()).sum();
        assert!(
            checked >= shared,
            "{run}: only {checked} columns of figures checked"
        );
    }
}

/// The letters of a zero-based sheet column (`C` for 2).
fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = u8::try_from((n - 1) % 26).unwrap();
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[test]
fn the_workbook_names_werkplan_and_dutch() {
    let appendix = appendix_2022();
    let bytes = render_xlsx(&appendix).unwrap();
    let parts = zip_parts(&bytes);
    let app = &parts["docProps/app.xml"];
    assert!(
        app.contains(&format!(
            "<Application>werkplan {}</Application>",
            env!("CARGO_PKG_VERSION")
        )),
        "{app}"
    );
    assert!(!app.contains("Microsoft Excel"), "{app}");
    let core = &parts["docProps/core.xml"];
    assert!(core.contains("<dc:language>nl-NL</dc:language>"), "{core}");
    let charts: Vec<&String> = parts
        .iter()
        .filter(|(name, _)| name.starts_with("xl/charts/chart"))
        .map(|(_, xml)| xml)
        .collect();
    assert_eq!(charts.len(), appendix.charts.len());
    for xml in charts {
        assert!(xml.contains("<c:lang val=\"nl-NL\"/>"));
        assert!(!xml.contains("en-US"), "{xml}");
    }
}

// ---- one spelling, normalised quotes, in every output ---------------------------------------

/// Builds the 2022 workbook with the program and returns the output folder, the texts of
/// every output (PDF as text, XLSX parts, JSON) by name, and stderr.
fn built_2022() -> (BTreeMap<String, String>, String) {
    let out = scratch("build");
    let output = support::werkplan(&[
        "build",
        "--input",
        "input",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", support::stderr(&output));
    let mut texts = BTreeMap::new();
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        match path.extension().and_then(|e| e.to_str()) {
            Some("pdf") => {
                let text = Command::new("pdftotext")
                    .args(["-enc", "UTF-8"])
                    .arg(&path)
                    .arg("-")
                    .output()
                    .expect("pdftotext (poppler-utils) runs");
                texts.insert(name, String::from_utf8(text.stdout).unwrap());
            }
            Some("xlsx") => {
                for (part, xml) in zip_parts(&std::fs::read(&path).unwrap()) {
                    texts.insert(format!("{name} › {part}"), xml);
                }
            }
            _ => {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    texts.insert(name, text);
                }
            }
        }
    }
    (texts, support::stderr(&output))
}

#[test]
fn titles_and_quotes_are_spelled_one_way_in_every_output() {
    let (texts, stderr) = built_2022();
    let all = || texts.iter().map(|(n, t)| (n.as_str(), t.as_str()));
    // the input's mismatched quotes (’22 en ‘23) normalised everywhere they are printed
    let mut normalised = 0;
    for (name, text) in all().chain([("stderr", stderr.as_str())]) {
        assert!(!text.contains("‘23"), "{name} still has ‘23");
        normalised += text.matches("’22 en ’23").count();
    }
    assert!(
        normalised >= 10,
        "’22 en ’23 printed only {normalised} times"
    );
    for file in [
        "financien-werkplan-2022.pdf",
        "financien-werkplan-2022.json",
    ] {
        let text = &texts[file];
        assert!(text.contains("’22 en ’23"), "{file}");
    }
    assert!(stderr.contains("’22 en ’23"), "{stderr}");
    // one spelling of each instrument: never the printed werkplan's "Reguliere Middelen"
    for (name, text) in all() {
        assert!(!text.contains("Reguliere Middelen"), "{name}");
    }
    let pdf = &texts["financien-werkplan-2022.pdf"];
    let shared = &texts["financien-werkplan-2022.xlsx › xl/sharedStrings.xml"];
    let workbook = &texts["financien-werkplan-2022.xlsx › xl/workbook.xml"];
    let charts: String = all()
        .filter(|(n, _)| n.contains("xl/charts/chart"))
        .map(|(_, t)| t)
        .collect();
    for instrument in [
        Instrument::ReguliereMiddelen,
        Instrument::DrentheBredeProjecten,
        Instrument::Alliantieprojecten,
    ] {
        let title = instrument.title();
        assert!(title.starts_with(instrument.name()));
        assert!(pdf.contains(&title), "PDF: {title}");
        assert!(shared.contains(&title), "XLSX: {title}");
        assert!(
            workbook.contains(&format!("name=\"{}\"", instrument.name())),
            "sheet {}",
            instrument.name()
        );
        let chart_title = format!("{}: per thema", instrument.name());
        assert!(pdf.contains(&chart_title), "PDF: {chart_title}");
        assert!(charts.contains(&chart_title), "XLSX chart: {chart_title}");
    }
}

// ---- the Grafieken sheet on paper ----------------------------------------------------------

/// The pages of a workbook printed by LibreOffice, as text.
fn printed_pages(soffice: &Path, bytes: &[u8], name: &str) -> Vec<String> {
    let dir = scratch(name);
    let file = dir.join("werkmap.xlsx");
    std::fs::write(&file, bytes).unwrap();
    let pdf = support::convert_with_libreoffice(soffice, &file, "pdf");
    let output = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text = String::from_utf8(output.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

#[test]
fn the_grafieken_sheet_prints_one_whole_chart_a_page() {
    let Some(soffice) = support::soffice() else {
        support::skip_without(
            "soffice",
            "the printed Grafieken sheet",
            "apt-get install libreoffice-calc-nogui",
        );
        return;
    };
    for (run, mut appendix) in runs() {
        // without the tables the Grafieken sheet prints first
        appendix.tables.clear();
        let with = render_xlsx(&appendix).unwrap();
        let charts = std::mem::take(&mut appendix.charts);
        let without = render_xlsx(&appendix).unwrap();
        let slug = run.replace(' ', "-");
        let pages = printed_pages(&soffice, &with, &format!("{slug}-met"));
        let rest = printed_pages(&soffice, &without, &format!("{slug}-zonder"));
        // the sheet takes exactly one page per chart: nothing of a chart spills over
        assert_eq!(
            pages.len() - rest.len(),
            charts.len(),
            "{run}: the Grafieken sheet prints {} pages for {} charts",
            pages.len() - rest.len(),
            charts.len()
        );
        // in order, each page its own chart's and no other's
        for (page, chart) in pages.iter().zip(&charts) {
            assert!(
                page.contains(&chart.title),
                "{run}: {}\n{page}",
                chart.title
            );
            let others: Vec<&str> = charts
                .iter()
                .filter(|c| c.title != chart.title && page.contains(&c.title))
                .map(|c| c.title.as_str())
                .collect();
            assert!(
                others.is_empty(),
                "{run}: {others:?} beside {}",
                chart.title
            );
        }
    }
}
