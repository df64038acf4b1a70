//! Test support: writing fixture workbooks the way people write them, and running the
//! binary.

#![allow(dead_code)]

pub mod changes;
pub mod ledger;
pub mod werkplan2022;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Formula, Workbook};

/// One cell of a fixture sheet.
#[derive(Clone, Debug)]
pub enum C {
    /// Empty.
    E,
    /// Text.
    T(String),
    /// A number.
    N(f64),
    /// A formula with its cached result (as the spreadsheet program saved it).
    F(String, f64),
    /// A boolean.
    B(bool),
    /// A date.
    D(u16, u8, u8),
}

/// Text cell.
pub fn t(text: &str) -> C {
    C::T(text.to_string())
}

/// Number cell.
pub fn n(value: f64) -> C {
    C::N(value)
}

/// A sheet: name and rows.
pub struct SheetSpec {
    pub name: String,
    pub rows: Vec<Vec<C>>,
}

impl SheetSpec {
    pub fn new(name: &str, rows: Vec<Vec<C>>) -> SheetSpec {
        SheetSpec {
            name: name.to_string(),
            rows,
        }
    }
}

/// Writes a workbook with these sheets to bytes, deterministically (fixed creation date).
pub fn workbook_bytes(sheets: &[SheetSpec]) -> Vec<u8> {
    let mut workbook = new_workbook();
    for spec in sheets {
        add_sheet(&mut workbook, spec);
    }
    workbook.save_to_buffer().unwrap()
}

/// An empty workbook with fixed properties (creation date), so that its bytes are the same
/// on every run.
pub fn new_workbook() -> Workbook {
    let mut workbook = Workbook::new();
    let date = ExcelDateTime::from_ymd(2022, 1, 1).unwrap();
    workbook.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&date)
            .set_title("Financiën werkplan (testinvoer)"),
    );
    workbook
}

/// The format of date cells in fixture sheets.
pub fn date_format() -> rust_xlsxwriter::Format {
    rust_xlsxwriter::Format::new().set_num_format("dd-mm-yyyy")
}

/// Adds one fixture sheet to `workbook`.
pub fn add_sheet(workbook: &mut Workbook, spec: &SheetSpec) {
    let sheet = workbook.add_worksheet();
    sheet.set_name(&spec.name).unwrap();
    for (r, row) in spec.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                C::E => {}
                C::T(text) => {
                    sheet.write_string(r, c, text).unwrap();
                }
                C::N(v) => {
                    sheet.write_number(r, c, *v).unwrap();
                }
                C::F(f, v) => {
                    sheet
                        .write_formula(r, c, Formula::new(f).set_result(format!("{v}")))
                        .unwrap();
                }
                C::B(b) => {
                    sheet.write_boolean(r, c, *b).unwrap();
                }
                C::D(y, m, d) => {
                    sheet
                        .write_datetime_with_format(
                            r,
                            c,
                            ExcelDateTime::from_ymd(*y, *m, *d).unwrap(),
                            &date_format(),
                        )
                        .unwrap();
                }
            }
        }
    }
    for c in 0..12u16 {
        sheet
            .set_column_width(c, if c == 2 { 48 } else { 16 })
            .unwrap();
    }
}

/// A fresh, empty folder under the target directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes a workbook into `dir/file`.
pub fn write_workbook(dir: &Path, file: &str, sheets: &[SheetSpec]) {
    std::fs::write(dir.join(file), workbook_bytes(sheets)).unwrap();
}

/// Runs the werkplan binary with these arguments.
pub fn werkplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_werkplan"))
        .args(args)
        .output()
        .unwrap()
}

/// Runs `werkplan build --quiet` on `input` into `out`, with `extra` options.
pub fn build_quietly(input: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--quiet",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    werkplan(&args)
}

/// The stderr of a run as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file in a folder with its bytes, sorted, for before/after comparisons.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Every file under a folder with its bytes, by its path relative to the folder (`/`
/// between the parts), sorted; a folder is listed as `name/` with no bytes, so an empty
/// folder left behind shows too.
pub fn snapshot_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, prefix: &str, files: &mut Vec<(String, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                files.push((format!("{name}/"), Vec::new()));
                walk(&entry.path(), &format!("{name}/"), files);
            } else {
                files.push((name, std::fs::read(entry.path()).unwrap_or_default()));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, "", &mut files);
    files.sort();
    files
}

/// `soffice` (LibreOffice) on PATH, if any.
pub fn soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("soffice"))
        .find(|p| p.is_file())
}

/// Whether this is a CI run (`CI` set, and not `false` or `0`): there a test that needs a
/// missing tool fails instead of skipping.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| {
        !matches!(
            value.trim().to_ascii_lowercase().as_str(),
            "" | "0" | "false" | "no"
        )
    })
}

/// A test needs `tool`, which is missing: under CI the test fails; elsewhere it is skipped
/// with the reason written to stderr.
pub fn skip_without(tool: &str, what: &str, install: &str) {
    let reason = format!("{tool} not on PATH: {what} not checked; install it ({install})");
    assert!(!under_ci(), "{reason}; CI runs must not skip it");
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipped: {reason}");
}

/// Converts the workbook `file` into `format` (`ods`, `xls`) with LibreOffice, in a profile
/// of its own (so that tests running at the same time do not share one), and returns the
/// converted file's path beside `file`.
pub fn convert_with_libreoffice(soffice: &Path, file: &Path, format: &str) -> PathBuf {
    let dir = file.parent().unwrap();
    let profile = dir.join(format!("lo-profile-{format}"));
    let out = dir.join(format!("lo-{format}"));
    let output = soffice_convert(soffice, &profile, file, format, &out);
    let converted = out.join(file.with_extension(format).file_name().unwrap());
    assert!(
        converted.is_file(),
        "soffice did not convert to {format}: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let _ = std::fs::remove_dir_all(&profile);
    converted
}

/// Runs `soffice` headless in the user profile `profile`, converting `file` to `format`
/// into the folder `out`; what it printed is returned for the caller's assertion.
fn soffice_convert(
    soffice: &Path,
    profile: &Path,
    file: &Path,
    format: &str,
    out: &Path,
) -> std::process::Output {
    Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            format,
            "--outdir",
        ])
        .arg(out)
        .arg(file)
        .output()
        .expect("soffice runs")
}

// --- golden files ---------------------------------------------------------------------------

/// The environment switch that rewrites the golden files from what the code makes now.
pub const UPDATE_GOLDEN: &str = "WERKPLAN_UPDATE_GOLDEN";

/// The golden file's bytes to compare `now` with. With `WERKPLAN_UPDATE_GOLDEN` set, `now`
/// is written there first (and its folder made), so the comparison passes and the change
/// shows in the diff of the commit; a missing golden file fails the test, saying how to make
/// it.
pub fn golden(path: &Path, now: &[u8]) -> Vec<u8> {
    if std::env::var_os(UPDATE_GOLDEN).is_some() {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).unwrap();
        }
        std::fs::write(path, now).unwrap();
    }
    std::fs::read(path)
        .unwrap_or_else(|e| panic!("{}: {e}; make it with {UPDATE_GOLDEN}=1", path.display()))
}

// --- poppler ----------------------------------------------------------------------------------

/// Runs a poppler tool (`pdftotext`, `pdffonts`, `pdfinfo`) on `pdf` and returns its standard
/// output (`pdftotext` writes to it with `-`). A tool that does not start or fails fails the
/// test: the PDF tests need poppler-utils.
pub fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let output = poppler_output(tool, args, pdf)
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) kan niet worden gestart: {e}"));
    poppler_text(tool, pdf, &output)
}

/// [`poppler`], but a missing tool skips (`None`) outside CI (see [`skip_without`]).
pub fn poppler_or_skip(tool: &str, args: &[&str], pdf: &Path) -> Option<String> {
    match poppler_output(tool, args, pdf) {
        Ok(output) => Some(poppler_text(tool, pdf, &output)),
        Err(_) => {
            skip_without(tool, "the PDF text", "apt-get install poppler-utils");
            None
        }
    }
}

/// Runs the tool.
fn poppler_output(tool: &str, args: &[&str], pdf: &Path) -> std::io::Result<Output> {
    let to_stdout: &[&str] = if tool == "pdftotext" { &["-"] } else { &[] };
    Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(to_stdout)
        .output()
}

/// The tool's standard output, after checking that it succeeded.
fn poppler_text(tool: &str, pdf: &Path, output: &Output) -> String {
    assert!(
        output.status.success(),
        "{tool} {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

/// `text` with every run of whitespace one space: a sentence of a PDF may wrap anywhere.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// --- LibreOffice recalculation ----------------------------------------------------------------

/// A LibreOffice profile that recalculates every formula when it loads an XLSX or ODS (its
/// default for files from other programs is to trust the cached results).
const RECALCULATE_ON_LOAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#;

/// Opens the workbook `bytes` in LibreOffice (`soffice`), in a profile of its own that
/// recalculates every formula, and returns it saved as XLSX again; `name` names the scratch
/// files (unique per test).
pub fn recalculate(soffice: &Path, bytes: &[u8], name: &str) -> Vec<u8> {
    let dir = std::env::temp_dir().join(format!("werkplan-lo-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let profile = dir.join("profile");
    std::fs::create_dir_all(profile.join("user")).unwrap();
    std::fs::write(
        profile.join("user/registrymodifications.xcu"),
        RECALCULATE_ON_LOAD,
    )
    .unwrap();
    let input = dir.join(format!("{name}.xlsx"));
    std::fs::write(&input, bytes).unwrap();
    let out = dir.join("out");
    let output = soffice_convert(soffice, &profile, &input, "xlsx", &out);
    let converted = out.join(format!("{name}.xlsx"));
    assert!(
        converted.is_file(),
        "soffice did not convert: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let bytes = std::fs::read(&converted).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    bytes
}
