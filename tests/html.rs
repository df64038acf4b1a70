//! The web page of the 2022 werkplan, checked in a real browser: `werkplan build` of the
//! bundled workbook (with an absolute `--input`), the page opened as a file in Debian's
//! headless chromium, and axe-core run on it for WCAG 2.1 A and AA at 1280 and 390 px wide.
//! Zero violations; the page itself never scrolls sideways at 390 px; it asks nothing of
//! any other origin; its text holds every reference figure. Screenshots at both widths are
//! kept in `target/tmp/html-2022/schermafdrukken/` to look at.
//!
//! The browser side is `tests/browser/check.mjs`, with axe-core and playwright-core pinned
//! in `tests/browser/package-lock.json` (`.ci/run` installs them with `npm ci`, and
//! chromium with apt). Without node, chromium or those packages the browser tests are
//! skipped and say so, except under `CI=true`, where they fail.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

/// The folder the 2022 page is built into.
fn out_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("html-2022")
}

/// The absolute path of the bundled input folder.
fn input() -> PathBuf {
    Path::new("input").canonicalize().expect("input/")
}

/// `werkplan build` of the 2022 workbook, once; the page's path.
fn page_2022() -> &'static Path {
    static PAGE: OnceLock<PathBuf> = OnceLock::new();
    PAGE.get_or_init(|| {
        let out = out_dir();
        let _ = std::fs::remove_dir_all(&out);
        let output = support::werkplan(&[
            "build",
            "--quiet",
            "--input",
            input().to_str().unwrap(),
            "--output",
            out.join("uitvoer").to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{}", support::stderr(&output));
        out.join("uitvoer/financien-werkplan-2022.html")
    })
}

fn page_text_2022() -> String {
    std::fs::read_to_string(page_2022()).expect("the page is written, in UTF-8")
}

/// What a browser test needs, or why it cannot run: (node, chromium).
fn browser_tools() -> Result<(PathBuf, PathBuf), String> {
    let on_path = |name: &str| -> Option<PathBuf> {
        std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    };
    let node = on_path("node").ok_or("node")?;
    let chromium = [PathBuf::from("/usr/bin/chromium")]
        .into_iter()
        .find(|p| p.is_file())
        .or_else(|| on_path("chromium"))
        .ok_or("chromium")?;
    for package in ["axe-core/axe.min.js", "playwright-core/package.json"] {
        if !Path::new("tests/browser/node_modules")
            .join(package)
            .is_file()
        {
            return Err(format!("tests/browser/node_modules/{package}"));
        }
    }
    Ok((node, chromium))
}

/// The browser's findings on a page (see `tests/browser/check.mjs`), screenshots into
/// `shots`; `None` when a tool is missing outside CI.
fn open_in_browser(page: &Path, shots: &Path) -> Option<Value> {
    let (node, chromium) = match browser_tools() {
        Ok(tools) => tools,
        Err(missing) => {
            support::skip_without(
                &missing,
                "the web page in a browser (axe-core, widths, requests)",
                "apt-get install chromium; npm ci --prefix tests/browser; or run .ci/run",
            );
            return None;
        }
    };
    let output = Command::new(node)
        .arg("tests/browser/check.mjs")
        .arg(page)
        .arg(shots)
        .arg(chromium)
        .output()
        .expect("node starts");
    assert!(
        output.status.success(),
        "check.mjs: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).expect("check.mjs prints JSON"))
}

/// The browser's findings on the 2022 page, once.
fn browser_2022() -> Option<&'static Value> {
    static RESULT: OnceLock<Option<Value>> = OnceLock::new();
    RESULT
        .get_or_init(|| open_in_browser(page_2022(), &out_dir().join("schermafdrukken")))
        .as_ref()
}

/// Asserts that axe-core found no violation at either width.
fn assert_no_violations(result: &Value) {
    for width in ["1280", "390"] {
        let axe = &result["axe"][width];
        assert!(
            axe["version"].as_str().is_some_and(|v| v.starts_with("4.")),
            "axe-core ran at {width} px: {axe}"
        );
        let violations = axe["violations"].as_array().expect("a list of violations");
        assert!(
            violations.is_empty(),
            "WCAG 2.1 A/AA violations at {width} px:\n{}",
            serde_json::to_string_pretty(violations).unwrap()
        );
    }
}

/// Asserts that the page does not scroll sideways at either width.
fn assert_no_sideways_scroll(result: &Value) {
    let at = |width: &str, what: &str| result["widths"][width][what].as_u64().unwrap();
    assert_eq!(at("390", "innerWidth"), 390);
    assert!(
        at("390", "scrollWidth") <= at("390", "innerWidth"),
        "the page is {} px wide at 390 px",
        at("390", "scrollWidth")
    );
    assert!(at("1280", "scrollWidth") <= at("1280", "innerWidth"));
}

#[test]
fn axe_core_finds_no_wcag_2_1_a_or_aa_violation_at_either_width() {
    let Some(result) = browser_2022() else { return };
    assert_no_violations(result);
}

#[test]
fn the_page_does_not_scroll_sideways_on_a_phone() {
    let Some(result) = browser_2022() else { return };
    assert_no_sideways_scroll(result);
    // the screenshots are there to look at, at the widths asked for
    for (shot, width) in result["screenshots"]
        .as_array()
        .unwrap()
        .iter()
        .zip([1280, 390])
    {
        let bytes = std::fs::read(shot.as_str().unwrap()).expect("a screenshot");
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let png_width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        assert_eq!(png_width, width);
    }
}

#[test]
fn the_page_needs_no_script() {
    // no browser needed for this one: it holds without chromium too
    assert!(!page_text_2022().contains("<script"));
}

#[test]
fn the_page_asks_nothing_of_any_other_origin() {
    let Some(result) = browser_2022() else { return };
    let requests = result["requests"].as_array().unwrap();
    assert!(requests.is_empty(), "requests: {requests:?}");
}

/// The amounts of a text as whole figures, each in cents: `€ 906.109,00` and `€ 906.109`
/// are both 90610900; `€ 200.000` is not found inside `€ 1.200.000`.
fn amounts_in(text: &str) -> std::collections::BTreeSet<i64> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .windows(2)
        .filter(|w| w[0] == "€")
        .filter_map(|w| {
            let figure = w[1].trim_end_matches(|c: char| !c.is_ascii_digit());
            let (negative, figure) = match figure.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, figure),
            };
            let (whole, cents) = figure.split_once(',').unwrap_or((figure, "00"));
            let whole: String = whole.chars().filter(|c| *c != '.').collect();
            let value = whole.parse::<i64>().ok()? * 100 + cents.parse::<i64>().ok()?;
            Some(if negative { -value } else { value })
        })
        .collect()
}

#[test]
fn the_page_text_holds_every_reference_figure() {
    let Some(result) = browser_2022() else { return };
    let text = result["text"].as_str().unwrap();
    let shown = amounts_in(text);
    // REFERENCE-2022, in cents
    let figures: [i64; 38] = [
        // 1. Reguliere middelen: the computed totals and part c
        153_793_356,
        336_664_684,
        331_733_900,
        238_581_100,
        90_610_900,
        188_654_100,
        174_981_700,
        180_328_900,
        // 2. Drenthe-brede projecten
        316_000_000,
        43_787_500,
        45_270_500,
        220_902_300,
        -500_000,
        6_039_700,
        3_843_200,
        // 3. Alliantieprojecten: totals, per theme budget, awarded and remaining
        375_000_000,
        30_917_500,
        83_246_500,
        93_381_230,
        207_545_230,
        167_454_770,
        72_981_100,
        15_000_000,
        66_707_200,
        102_018_900,
        90_000_000,
        28_292_800,
        32_981_100,
        26_016_430,
        64_093_900,
        76_161_000,
        8_292_800,
        40_000_000,
        40_690_770,
        37_925_000,
        13_839_000,
        20_000_000,
        0,
    ];
    let missing: Vec<i64> = figures
        .iter()
        .copied()
        .filter(|f| !shown.contains(f))
        .collect();
    assert!(
        missing.is_empty(),
        "missing in the page text (cents): {missing:?}"
    );
    // and every figure of the shared tables and charts, as its column prints it
    let appendix = werkplan::app::load(&input(), None, None).unwrap().appendix;
    let words: std::collections::BTreeSet<&str> = text.split_whitespace().collect();
    for table in &appendix.tables {
        for r in 0..table.rows.len() {
            for c in 0..table.columns.len() {
                if let Some(amount) = table.amount_text(r, c) {
                    let figure = amount.trim_start_matches("€ ");
                    assert!(words.contains(figure), "{}: {amount}", table.title);
                }
            }
        }
    }
    for chart in &appendix.charts {
        for series in &chart.series {
            for i in 0..series.values.len() {
                let amount = series.amount_text(i).unwrap();
                let figure = amount.trim_start_matches("€ ");
                assert!(words.contains(figure), "{}: {amount}", chart.title);
            }
        }
    }
    for title in [
        "Financiën werkplan 2022 Sociale Agenda",
        "Peildatum 31 december 2021",
        "Reguliere middelen (begroting)",
        "Drenthe-brede projecten (investeringsagenda)",
        "Alliantieprojecten (investeringsagenda)",
        "Toegekend",
        "(ovb voorhangprocedure)",
        "Niet van toepassing binnen Sociale Agenda",
    ] {
        assert!(text.contains(title), "missing: {title}");
    }
}

#[test]
fn the_page_is_the_publication_without_paths_files_cells_or_findings() {
    let page = page_text_2022();
    let absolute = input();
    for internal in [
        absolute.to_str().unwrap(),
        "werkplan-2022.xlsx",
        "F31",
        "H14",
        "H15",
        "SHA-256",
    ] {
        assert!(!page.contains(internal), "the page shows {internal}");
    }
    let lower = page.to_lowercase();
    for word in ["waarschuwing", "fout", "bevinding", "overbesteed"] {
        assert!(!lower.contains(word), "the page says {word}");
    }
}

#[test]
fn the_page_is_byte_identical_from_run_to_run_and_to_the_library_render() {
    let built = std::fs::read(page_2022()).unwrap();
    let loaded = werkplan::app::load(&input(), None, None).unwrap_or_else(|e| panic!("{e}"));
    let rendered = werkplan::render::html::render(&loaded.appendix, &loaded.texts).unwrap();
    assert!(
        built == rendered,
        "the built page differs from the rendered one"
    );
    let again = werkplan::render::html::render(&loaded.appendix, &loaded.texts).unwrap();
    assert!(rendered == again);
}

#[test]
fn a_page_template_in_the_templates_folder_replaces_the_built_in_one() {
    let dir = support::temp_dir("html-sjabloon");
    std::fs::create_dir_all(dir.join("sjablonen")).unwrap();
    std::fs::write(
        dir.join("sjablonen/pagina.hbs"),
        "<!DOCTYPE html><html lang=\"nl\"><title>{{titel}}</title>\
         {{#each tabellen}}<p>{{titel}}</p>{{/each}}</html>\n",
    )
    .unwrap();
    let build = |templates: &str| {
        support::werkplan(&[
            "build",
            "--quiet",
            "--input",
            "input",
            "--output",
            dir.join("uitvoer").to_str().unwrap(),
            "--templates",
            templates,
        ])
    };
    let output = build(dir.join("sjablonen").to_str().unwrap());
    assert!(output.status.success(), "{}", support::stderr(&output));
    let page = std::fs::read_to_string(dir.join("uitvoer/financien-werkplan-2022.html")).unwrap();
    assert_eq!(
        page,
        "<!DOCTYPE html><html lang=\"nl\"><title>Financiën werkplan 2022 Sociale Agenda</title>\
         <p>Reguliere middelen (begroting)</p><p>Drenthe-brede projecten (investeringsagenda)</p>\
         <p>Alliantieprojecten (investeringsagenda)</p></html>\n"
    );

    // strict: a value the page does not have is an error naming the template and its line
    std::fs::write(dir.join("sjablonen/pagina.hbs"), "<p>\n{{onbekend}}</p>\n").unwrap();
    let output = build(dir.join("sjablonen").to_str().unwrap());
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        support::stderr(&output)
    );
    let stderr = support::stderr(&output);
    assert!(
        stderr.contains("pagina.hbs, regel 2") && stderr.contains("onbekend"),
        "{stderr}"
    );
}

#[test]
fn the_monthly_run_shows_its_realisation_as_charts_beside_their_figures() {
    let dir = support::temp_dir("html-maand");
    std::fs::create_dir_all(dir.join("invoer")).unwrap();
    support::ledger::write_xlsx(
        &dir.join("invoer"),
        "werkplan-2022.xlsx",
        true,
        2_000,
        7,
        support::ledger::Strings::Shared,
    );
    let output = support::werkplan(&[
        "build",
        "--quiet",
        "--input",
        dir.join("invoer").to_str().unwrap(),
        "--output",
        dir.join("uitvoer").to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", support::stderr(&output));
    let page = dir.join("uitvoer/financien-werkplan-2022.html");
    let html = std::fs::read_to_string(&page).unwrap();
    // one figure per instrument's realisation, after the three of the tables
    assert!(html.contains("<figure class=\"met-cijfers\" id=\"grafiek-4\">"));
    assert!(html.contains("Reguliere middelen: realisatie 2022 per maand"));
    assert!(html.contains("<th scope=\"col\">Maand</th>"));
    assert!(html.contains("<th scope=\"row\">januari</th>"));
    let Some(result) = open_in_browser(&page, &dir.join("schermafdrukken")) else {
        return;
    };
    assert_no_violations(&result);
    assert_no_sideways_scroll(&result);
    assert!(result["requests"].as_array().unwrap().is_empty());
}

#[test]
fn a_label_from_the_spreadsheet_that_is_html_reaches_the_page_escaped() {
    let hostile = "<script>alert(1)</script>\" onmouseover=\"alert(2)";
    let mut sheets = support::werkplan2022::sheets();
    let mut replaced = 0;
    for sheet in &mut sheets {
        for cell in sheet.rows.iter_mut().flatten() {
            if matches!(cell, support::C::T(text) if text == "Adviescommissie") {
                *cell = support::t(hostile);
                replaced += 1;
            }
        }
    }
    assert_eq!(
        replaced, 1,
        "the line Adviescommissie is in the fixture once"
    );
    let dir = support::temp_dir("html-ontsnapt");
    std::fs::create_dir_all(dir.join("invoer")).unwrap();
    support::write_workbook(&dir.join("invoer"), "werkplan-2022.xlsx", &sheets);
    let output = support::werkplan(&[
        "build",
        "--quiet",
        "--input",
        dir.join("invoer").to_str().unwrap(),
        "--output",
        dir.join("uitvoer").to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", support::stderr(&output));
    let page = std::fs::read_to_string(dir.join("uitvoer/financien-werkplan-2022.html")).unwrap();
    assert!(!page.contains("<script"), "a script tag got into the page");
    assert!(
        !page.contains("\" onmouseover"),
        "an attribute got into the page"
    );
    assert!(
        page.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover&#x3D;&quot;alert(2)"
        )
    );
}

#[test]
fn axe_core_finds_no_violation_with_a_changes_section_present() {
    let loaded = support::changes::with_changes(support::changes::sample);
    let page = werkplan::render::html::render(&loaded.appendix, &loaded.texts).expect("the page");
    // a folder of its own: the 2022 page's folder is emptied when that page is built
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("html-wijzigingen");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("financien-werkplan-2022.html");
    std::fs::write(&path, &page).unwrap();
    assert!(
        String::from_utf8_lossy(&page).contains("id=\"wijzigingen-titel\""),
        "the page has the changes section"
    );
    if let Some(result) = open_in_browser(&path, &dir.join("schermafdrukken")) {
        assert_no_violations(&result);
        assert_no_sideways_scroll(&result);
    }
}
