//! End-to-end tests of bad input: every entry of the catalogue of broken workbooks (issue 5).
//!
//! Each case starts from the correct 2022 sheets ([`werkplan2022::sheets`]), breaks one
//! thing, writes the input folder, puts a previous report in the output folder and runs
//! `werkplan build`. A refused run exits 1, names the place (file › sheet › cell) in Dutch,
//! does not panic, and leaves the output folder byte for byte as it was. Workbooks that the
//! writer cannot produce (error values, 1904 dates, merged cells, bombs) are patched at the
//! XML level; every run is watched for time and memory so a missing limit fails the test
//! instead of the machine.

mod support;

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use support::{C, SheetSpec, n, t, werkplan2022};

/// The workbook's file name in the input folder.
const WORKBOOK: &str = "werkplan-2022.xlsx";
/// The previous report in the output folder.
const REPORT: &str = "financien-werkplan-2022.json";
/// Its bytes before the run.
const PREVIOUS: &[u8] = b"vorige";
/// Where the writer puts the `Reguliere middelen` sheet (the second sheet).
const REGULIER_XML: &str = "xl/worksheets/sheet2.xml";
/// Where the writer puts the `Alliantieprojecten` sheet (the fifth sheet).
const PROJECTEN_XML: &str = "xl/worksheets/sheet5.xml";

/// A run is killed beyond this much time...
const TIME_LIMIT: Duration = Duration::from_secs(120);
/// ...or this much resident memory (KiB): "a few hundred MiB".
const MEMORY_LIMIT_KIB: u64 = 512 * 1024;

// ---------------------------------------------------------------------------------------
// Cases and runs

/// One case: an input folder and an output folder that holds a previous report.
struct Case {
    input: PathBuf,
    output: PathBuf,
}

impl Case {
    /// A fresh case folder under the target directory.
    fn new(name: &str) -> Case {
        let root = support::temp_dir(&format!("invoer-{name}"));
        let input = root.join("in");
        let output = root.join("uit");
        std::fs::create_dir_all(&input).unwrap();
        std::fs::create_dir_all(&output).unwrap();
        std::fs::write(output.join(REPORT), PREVIOUS).unwrap();
        Case { input, output }
    }

    /// A case whose input is the one workbook `WORKBOOK` with these bytes.
    fn with_bytes(name: &str, bytes: &[u8]) -> Case {
        let case = Case::new(name);
        case.write(WORKBOOK, bytes);
        case
    }

    /// A case whose input is the one workbook `WORKBOOK` with these sheets.
    fn with_sheets(name: &str, sheets: &[SheetSpec]) -> Case {
        Case::with_bytes(name, &support::workbook_bytes(sheets))
    }

    fn write(&self, file: &str, bytes: &[u8]) {
        std::fs::write(self.input.join(file), bytes).unwrap();
    }

    /// `werkplan build --input IN --output OUT` plus `extra`, watched.
    fn build(&self, extra: &[&str]) -> Run {
        self.build_from(&self.input, extra)
    }

    fn build_from(&self, input: &Path, extra: &[&str]) -> Run {
        let input = input.to_string_lossy().into_owned();
        let output = self.output.to_string_lossy().into_owned();
        let mut args = vec!["build", "--input", &input, "--output", &output];
        args.extend_from_slice(extra);
        run_watched(&args)
    }

    /// The report the last successful run wrote, parsed.
    fn report(&self) -> serde_json::Value {
        let bytes = std::fs::read(self.output.join(REPORT)).unwrap();
        assert_ne!(bytes, PREVIOUS, "het vorige rapport is niet vervangen");
        serde_json::from_slice(&bytes).unwrap()
    }

    /// The output folder is exactly as [`Case::new`] left it.
    fn assert_output_unchanged(&self, run: &Run) {
        assert_eq!(
            support::snapshot(&self.output),
            vec![(REPORT.to_string(), PREVIOUS.to_vec())],
            "de uitvoermap is veranderd\n{}",
            run.stderr
        );
    }
}

/// A finished (or killed) run of the binary.
struct Run {
    status: Option<ExitStatus>,
    stderr: String,
    elapsed: Duration,
    /// Peak resident memory as last seen in /proc (KiB); 0 where /proc is not there.
    peak_kib: u64,
    /// Why the watchdog killed it, if it did.
    killed: Option<String>,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.status.and_then(|s| s.code())
    }

    /// Every line that reports an input error (`<place>: <message> [fout]`).
    fn error_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.ends_with(" [fout]"))
            .collect()
    }

    fn measurements(&self) -> String {
        format!(
            "{:.2} s, piekgeheugen {} MiB",
            self.elapsed.as_secs_f64(),
            self.peak_kib / 1024
        )
    }
}

/// Runs the binary, reading its output on threads, and kills it beyond [`TIME_LIMIT`] or
/// [`MEMORY_LIMIT_KIB`].
fn run_watched(args: &[&str]) -> Run {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_werkplan"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    let mut killed = None;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if let Some(kib) = high_water_mark_kib(&status_file) {
            peak_kib = peak_kib.max(kib);
        }
        let reason = if peak_kib > MEMORY_LIMIT_KIB {
            Some(format!("meer dan {} MiB geheugen", MEMORY_LIMIT_KIB / 1024))
        } else if start.elapsed() > TIME_LIMIT {
            Some(format!("langer dan {} s", TIME_LIMIT.as_secs()))
        } else {
            None
        };
        if let Some(reason) = reason {
            let _ = child.kill();
            let _ = child.wait();
            killed = Some(reason);
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let _ = out_reader.join();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    Run {
        status,
        stderr,
        elapsed,
        peak_kib,
        killed,
    }
}

/// `VmHWM` of a running process, in KiB.
fn high_water_mark_kib(status_file: &str) -> Option<u64> {
    let status = std::fs::read_to_string(status_file).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

// ---------------------------------------------------------------------------------------
// The one assertion of a refused run

/// Words that betray an English (or Rust) message.
const NOT_DUTCH: [&str; 20] = [
    "error",
    "file",
    "archive",
    "stream",
    "size",
    "detect",
    "could",
    "invalid",
    "failed",
    "cannot",
    "could not",
    "unable",
    "not found",
    "no such",
    "permission denied",
    "expected",
    "unsupported",
    "is not",
    "does not",
    "called `",
];

/// A refused run: exit 1, no panic, the output folder unchanged, every line Dutch, and for
/// every `(place, words)` an error line that names the place and holds all the words.
fn assert_refused(case: &Case, run: &Run, expected: &[(&str, &[&str])]) {
    eprintln!("--- stderr ({})\n{}", run.measurements(), run.stderr);
    assert!(
        run.killed.is_none(),
        "de run is afgebroken: {} ({})\n{}",
        run.killed.as_deref().unwrap_or_default(),
        run.measurements(),
        run.stderr
    );
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "paniek:\n{}",
        run.stderr
    );
    assert_eq!(
        run.code(),
        Some(1),
        "verwacht exitcode 1, kreeg {:?}\n{}",
        run.status,
        run.stderr
    );
    case.assert_output_unchanged(run);
    assert_dutch(&run.stderr);
    for (place, words) in expected {
        let found = run
            .error_lines()
            .into_iter()
            .any(|line| line.contains(place) && words.iter().all(|w| line.contains(w)));
        assert!(
            found,
            "geen foutregel met plaats ‘{place}’ en {words:?}; stderr:\n{}",
            run.stderr
        );
    }
}

fn assert_dutch(stderr: &str) {
    for line in stderr.lines() {
        let lower = line.to_lowercase();
        if let Some(word) = NOT_DUTCH.iter().find(|w| lower.contains(*w)) {
            panic!("niet in het Nederlands (‘{word}’): {line}");
        }
    }
}

/// A successful run: exit 0, no panic, the previous report replaced.
fn assert_built(case: &Case, run: &Run) {
    eprintln!("--- stderr ({})\n{}", run.measurements(), run.stderr);
    assert!(run.killed.is_none(), "afgebroken: {:?}", run.killed);
    assert!(!run.stderr.contains("panicked"), "paniek:\n{}", run.stderr);
    assert_eq!(run.code(), Some(0), "verwacht exitcode 0\n{}", run.stderr);
    assert_dutch(&run.stderr);
    let _ = case.report();
}

/// `place` for a cell of the one workbook: `werkplan-2022.xlsx › Reguliere middelen › F7`.
fn cell(sheet: &str, a1: &str) -> String {
    format!("{WORKBOOK} › {sheet} › {a1}")
}

/// `place` for a sheet of the one workbook.
fn sheet(sheet: &str) -> String {
    format!("{WORKBOOK} › {sheet}")
}

/// The appendix tables of the correct 2022 sheets, from a run on them.
fn reference_tables() -> serde_json::Value {
    let case = Case::with_sheets("referentie", &werkplan2022::sheets());
    let run = case.build(&[]);
    assert_built(&case, &run);
    case.report()["tables"].clone()
}

// ---------------------------------------------------------------------------------------
// Breaking sheets

/// Zero-based (row, column) of an A1 reference.
fn position(a1: &str) -> (usize, usize) {
    let letters: String = a1.chars().take_while(char::is_ascii_uppercase).collect();
    let row: usize = a1[letters.len()..].parse().unwrap();
    let col = letters
        .bytes()
        .fold(0usize, |acc, b| acc * 26 + usize::from(b - b'A' + 1));
    (row - 1, col - 1)
}

/// Sets one cell of one sheet.
fn set(sheets: &mut [SheetSpec], sheet: &str, a1: &str, value: C) {
    let spec = sheets.iter_mut().find(|s| s.name == sheet).unwrap();
    let (row, col) = position(a1);
    if spec.rows.len() <= row {
        spec.rows.resize(row + 1, Vec::new());
    }
    let cells = &mut spec.rows[row];
    if cells.len() <= col {
        cells.resize(col + 1, C::E);
    }
    cells[col] = value;
}

/// The 2022 sheets with these cells changed.
fn sheets_with(changes: &[(&str, &str, C)]) -> Vec<SheetSpec> {
    let mut sheets = werkplan2022::sheets();
    for (sheet, a1, value) in changes {
        set(&mut sheets, sheet, a1, value.clone());
    }
    sheets
}

const REGULIER: &str = "Reguliere middelen";
const DRENTHE_BREED: &str = "Drenthe-brede projecten";
const ALLIANTIEBUDGET: &str = "Alliantiebudget";
const PROJECTEN: &str = "Alliantieprojecten";

// ---------------------------------------------------------------------------------------
// Zip archives by hand: patched workbooks and bombs

/// One entry of a zip archive, compressed as it is stored.
struct Entry {
    name: String,
    /// 0 stored, 8 deflated.
    method: u16,
    crc: u32,
    size: u32,
    data: Vec<u8>,
}

/// The entries of a zip archive, raw.
fn entries(bytes: &[u8]) -> Vec<Entry> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index_raw(i).unwrap();
            let name = file.name().unwrap().into_owned();
            let method = match file.compression() {
                zip::CompressionMethod::Stored => 0,
                zip::CompressionMethod::Deflated => 8,
                other => panic!("{name}: {other:?}"),
            };
            let (crc, size) = (file.crc32(), u32::try_from(file.size()).unwrap());
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            Entry {
                name,
                method,
                crc,
                size,
                data,
            }
        })
        .collect()
}

/// A stored (uncompressed) entry.
fn stored(name: &str, data: Vec<u8>) -> Entry {
    let mut crc = flate2::Crc::new();
    crc.update(&data);
    Entry {
        name: name.to_string(),
        method: 0,
        crc: crc.sum(),
        size: u32::try_from(data.len()).unwrap(),
        data,
    }
}

/// Writes a zip archive (no zip64: every entry below 4 GiB).
fn zip_archive(entries: &[Entry]) -> Vec<u8> {
    const DOS_DATE_1980_01_01: u16 = 0x21;
    let mut out: Vec<u8> = Vec::new();
    let mut central: Vec<u8> = Vec::new();
    for e in entries {
        let offset = u32::try_from(out.len()).unwrap();
        let name = e.name.as_bytes();
        let name_len = u16::try_from(name.len()).unwrap();
        let compressed = u32::try_from(e.data.len()).unwrap();
        out.extend(0x0403_4b50u32.to_le_bytes());
        for v in [20u16, 0, e.method, 0, DOS_DATE_1980_01_01] {
            out.extend(v.to_le_bytes());
        }
        for v in [e.crc, compressed, e.size] {
            out.extend(v.to_le_bytes());
        }
        for v in [name_len, 0] {
            out.extend(v.to_le_bytes());
        }
        out.extend(name);
        out.extend(&e.data);

        central.extend(0x0201_4b50u32.to_le_bytes());
        for v in [20u16, 20, 0, e.method, 0, DOS_DATE_1980_01_01] {
            central.extend(v.to_le_bytes());
        }
        for v in [e.crc, compressed, e.size] {
            central.extend(v.to_le_bytes());
        }
        for v in [name_len, 0, 0, 0, 0] {
            central.extend(v.to_le_bytes());
        }
        for v in [0u32, offset] {
            central.extend(v.to_le_bytes());
        }
        central.extend(name);
    }
    let count = u16::try_from(entries.len()).unwrap();
    let central_offset = u32::try_from(out.len()).unwrap();
    let central_len = u32::try_from(central.len()).unwrap();
    out.extend(central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, count, count] {
        out.extend(v.to_le_bytes());
    }
    for v in [central_len, central_offset] {
        out.extend(v.to_le_bytes());
    }
    out.extend(0u16.to_le_bytes());
    out
}

/// One entry's text.
fn entry_text(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The workbook with one entry's text edited.
fn patch(bytes: &[u8], name: &str, edit: impl FnOnce(&str) -> String) -> Vec<u8> {
    let text = entry_text(bytes, name);
    let edited = edit(&text);
    assert_ne!(edited, text, "{name}: de wijziging verandert niets");
    let list: Vec<Entry> = entries(bytes)
        .into_iter()
        .map(|e| {
            if e.name == name {
                stored(name, edited.clone().into_bytes())
            } else {
                e
            }
        })
        .collect();
    zip_archive(&list)
}

/// The workbook with one entry replaced.
fn replace_entry(bytes: &[u8], entry: Entry) -> Vec<u8> {
    let mut list = entries(bytes);
    let slot = list.iter_mut().find(|e| e.name == entry.name).unwrap();
    *slot = entry;
    zip_archive(&list)
}

/// `text` with `from` (which must occur) replaced once by `to`.
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "‘{from}’ staat niet in:\n{text}");
    text.replacen(from, to, 1)
}

/// Raw deflate of `data` as self-contained blocks: a full flush (byte-aligned, no reference
/// to earlier data, so copies can be concatenated), or the final block.
fn deflate_blocks(data: &[u8], last: bool) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    let mut compress = Compress::new(Compression::default(), false);
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Full
    };
    let mut out = Vec::with_capacity(data.len() / 4 + 4096);
    loop {
        let consumed = usize::try_from(compress.total_in()).unwrap();
        let status = compress
            .compress_vec(&data[consumed..], &mut out, flush)
            .unwrap();
        let all_in = usize::try_from(compress.total_in()).unwrap() == data.len();
        let done = if last {
            status == Status::StreamEnd
        } else {
            all_in && out.len() < out.capacity()
        };
        if done {
            return out;
        }
        out.reserve(out.capacity().max(4096));
    }
}

/// A deflated entry holding `prefix`, then `body` `copies` times, then `suffix`: built
/// from one compressed copy of `body`, so gigabytes cost milliseconds.
fn repeated_entry(name: &str, prefix: &str, body: &[u8], copies: u32, suffix: &str) -> Entry {
    let mut data = deflate_blocks(prefix.as_bytes(), false);
    let chunk = deflate_blocks(body, false);
    for _ in 0..copies {
        data.extend_from_slice(&chunk);
    }
    data.extend(deflate_blocks(suffix.as_bytes(), true));
    let mut crc = flate2::Crc::new();
    crc.update(prefix.as_bytes());
    let mut body_crc = flate2::Crc::new();
    body_crc.update(body);
    for _ in 0..copies {
        crc.combine(&body_crc);
    }
    let mut suffix_crc = flate2::Crc::new();
    suffix_crc.update(suffix.as_bytes());
    crc.combine(&suffix_crc);
    let size = prefix.len() as u64 + body.len() as u64 * u64::from(copies) + suffix.len() as u64;
    Entry {
        name: name.to_string(),
        method: 8,
        crc: crc.sum(),
        size: u32::try_from(size).unwrap(),
        data,
    }
}

const SHEET_START: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    "<sheetData>",
);
const SHEET_END: &str = "</sheetData></worksheet>";

/// A formula cell with a placeholder result, to be patched into an error value.
fn placeholder(formula: &str, value: f64) -> C {
    C::F(formula.to_string(), value)
}

/// Turns the placeholder formula cell at `a1` into one whose cached result is `error`.
fn error_value(xml: &str, a1: &str, formula: &str, value: f64, error: &str) -> String {
    replace_once(
        xml,
        &format!(r#"<c r="{a1}"><f>{formula}</f><v>{value}</v></c>"#),
        &format!(r#"<c r="{a1}" t="e"><f>{formula}</f><v>{error}</v></c>"#),
    )
}

/// Adds merged ranges to a sheet's XML.
fn merge(xml: &str, ranges: &[&str]) -> String {
    let cells: String = ranges
        .iter()
        .map(|r| format!(r#"<mergeCell ref="{r}"/>"#))
        .collect();
    replace_once(
        xml,
        "</sheetData>",
        &format!(
            r#"</sheetData><mergeCells count="{}">{cells}</mergeCells>"#,
            ranges.len()
        ),
    )
}

/// Replaces the `<dimension ref="..."/>` of a sheet's XML.
fn dimension(xml: &str, reference: &str) -> String {
    let start = xml.find(r#"<dimension ref=""#).unwrap();
    let end = start + xml[start..].find("/>").unwrap() + 2;
    format!(
        r#"{}<dimension ref="{reference}"/>{}"#,
        &xml[..start],
        &xml[end..]
    )
}

/// Sets the 1904 date system in `xl/workbook.xml`.
fn date1904(xml: &str) -> String {
    replace_once(xml, "<workbookPr", r#"<workbookPr date1904="1""#)
}

// ---------------------------------------------------------------------------------------
// Cells

#[test]
fn amount_text_that_is_not_an_amount() {
    let case = Case::with_sheets(
        "tekst-als-bedrag",
        &sheets_with(&[(REGULIER, "F7", t("twee ton"))]),
    );
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[(&cell(REGULIER, "F7"), &["twee ton", "bedrag"])],
    );
}

#[test]
fn error_values() {
    let sheets = sheets_with(&[
        (REGULIER, "F7", placeholder("1/0", 777_001.0)),
        (REGULIER, "G15", placeholder("#REF!+1", 777_002.0)),
        (REGULIER, "H16", placeholder("NA()", 777_003.0)),
        (REGULIER, "F21", placeholder("\"x\"*2", 777_004.0)),
    ]);
    let bytes = patch(&support::workbook_bytes(&sheets), REGULIER_XML, |xml| {
        let xml = error_value(xml, "F7", "1/0", 777_001.0, "#DIV/0!");
        let xml = error_value(&xml, "G15", "#REF!+1", 777_002.0, "#REF!");
        let xml = error_value(&xml, "H16", "NA()", 777_003.0, "#N/A");
        error_value(&xml, "F21", "\"x\"*2", 777_004.0, "#VALUE!")
    });
    let case = Case::with_bytes("foutwaarden", &bytes);
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[
            (&cell(REGULIER, "F7"), &["#DIV/0!"]),
            (&cell(REGULIER, "G15"), &["#REF!"]),
            (&cell(REGULIER, "H16"), &["#N/A"]),
            (&cell(REGULIER, "F21"), &["#VALUE!"]),
        ],
    );
}

#[test]
fn formulas_without_a_cached_value() {
    // G7 as openpyxl writes formulas (no `<v>` at all): never calculated, an error. F7 as
    // Excel and LibreOffice save `=ALS(...;"";...)`: a string-typed formula with an empty
    // cached value (`t="str"`, `<v></v>`), which is a blank cell, not an error.
    let sheets = sheets_with(&[
        (REGULIER, "F7", placeholder("SUM(E6:E7)", 777_006.0)),
        (REGULIER, "G7", placeholder("SUM(G6)", 777_005.0)),
    ]);
    let bytes = patch(&support::workbook_bytes(&sheets), REGULIER_XML, |xml| {
        let xml = replace_once(
            xml,
            r#"<c r="F7"><f>SUM(E6:E7)</f><v>777006</v></c>"#,
            r#"<c r="F7" t="str"><f>SUM(E6:E7)</f><v></v></c>"#,
        );
        replace_once(
            &xml,
            r#"<c r="G7"><f>SUM(G6)</f><v>777005</v></c>"#,
            r#"<c r="G7"><f>SUM(G6)</f></c>"#,
        )
    });
    let case = Case::with_bytes("formule-zonder-waarde", &bytes);
    let run = case.build(&[]);
    assert_refused(&case, &run, &[(&cell(REGULIER, "G7"), &["formule"])]);
    assert!(
        !run.stderr.contains(&cell(REGULIER, "F7")),
        "een formule met een lege tekst als uitkomst is een lege cel:\n{}",
        run.stderr
    );
}

#[test]
fn a_fraction_of_a_cent() {
    let case = Case::with_sheets(
        "fractie-van-een-cent",
        &sheets_with(&[(REGULIER, "F7", n(262_805.125))]),
    );
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[(&cell(REGULIER, "F7"), &["805,125", "cent"])],
    );
}

#[test]
fn a_date_and_a_boolean_in_amount_columns() {
    let case = Case::with_sheets(
        "datum-en-waarheidswaarde",
        &sheets_with(&[
            (REGULIER, "F7", C::D(2021, 3, 15)),
            (DRENTHE_BREED, "D5", C::B(true)),
        ]),
    );
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[
            (&cell(REGULIER, "F7"), &["15-03-2021"]),
            (&cell(DRENTHE_BREED, "D5"), &["WAAR"]),
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Rows

#[test]
fn an_unknown_theme() {
    let case = Case::with_sheets(
        "onbekend-thema",
        &sheets_with(&[(REGULIER, "A15", t("9 Ruimtevaart"))]),
    );
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[(&cell(REGULIER, "A15"), &["9 Ruimtevaart", "thema"])],
    );
}

#[test]
fn a_duplicate_code() {
    // 0b becomes a second 0a
    let case = Case::with_sheets("dubbele-code", &sheets_with(&[(REGULIER, "B7", t("a"))]));
    let run = case.build(&[]);
    assert_refused(&case, &run, &[(&cell(REGULIER, "B7"), &["‘a’"])]);
    // and it says where the first one is: row 6 (the code cell B6, or the row's C6)
    assert!(
        run.error_lines()
            .iter()
            .any(|l| l.contains("B7") && (l.contains("B6") || l.contains("C6"))),
        "de eerste ‘a’ (rij 6) wordt niet genoemd:\n{}",
        run.stderr
    );
}

#[test]
fn a_part_of_a_line_that_does_not_exist() {
    let case = Case::with_sheets(
        "onderdeel-van-niets",
        &sheets_with(&[(REGULIER, "D10", t("x"))]),
    );
    let run = case.build(&[]);
    assert_refused(&case, &run, &[(&cell(REGULIER, "D10"), &["‘x’"])]);
}

#[test]
fn a_part_with_its_own_code() {
    let case = Case::with_sheets(
        "onderdeel-met-code",
        &sheets_with(&[(REGULIER, "B10", t("f"))]),
    );
    let run = case.build(&[]);
    assert_refused(&case, &run, &[(&cell(REGULIER, "B10"), &["‘f’"])]);
}

// ---------------------------------------------------------------------------------------
// Sheets and columns

#[test]
fn a_required_sheet_missing() {
    let mut sheets = werkplan2022::sheets();
    sheets.retain(|s| s.name != ALLIANTIEBUDGET);
    let case = Case::with_sheets("blad-ontbreekt", &sheets);
    let run = case.build(&[]);
    let folder = case.input.to_string_lossy().into_owned();
    assert_refused(&case, &run, &[(&folder, &[ALLIANTIEBUDGET, WORKBOOK])]);
}

#[test]
fn a_required_column_missing_lists_the_headers_found() {
    let case = Case::with_sheets(
        "kolom-ontbreekt",
        &sheets_with(&[(REGULIER, "C5", t("Beschrijving"))]),
    );
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[(
            &sheet(REGULIER),
            &[
                "Omschrijving",
                "Beschrijving",
                "Onderdeel van",
                "Budget 2023",
            ],
        )],
    );
}

#[test]
fn a_sheet_kind_in_two_files() {
    let case = Case::new("blad-in-twee-bestanden");
    case.write("a.xlsx", &support::workbook_bytes(&werkplan2022::sheets()));
    case.write(
        "b.xlsx",
        &support::workbook_bytes(&[werkplan2022::themas()]),
    );
    let run = case.build(&[]);
    assert_refused(&case, &run, &[("b.xlsx › Thema's", &["a.xlsx › Thema's"])]);
}

// ---------------------------------------------------------------------------------------
// Folders and files

#[test]
fn an_empty_input_folder() {
    let case = Case::new("lege-map");
    let run = case.build(&[]);
    let folder = case.input.to_string_lossy().into_owned();
    assert_refused(&case, &run, &[(&folder, &["werkboek"])]);
}

#[test]
fn a_missing_input_folder() {
    let case = Case::new("map-ontbreekt");
    let missing = case.input.join("bestaat-niet");
    let run = case.build_from(&missing, &[]);
    let folder = missing.to_string_lossy().into_owned();
    assert_refused(&case, &run, &[(&folder, &["bestaat niet"])]);
}

#[test]
fn an_unreadable_file() {
    // as root, permissions do not stop a read: a dangling link does
    let case = Case::with_sheets("onleesbaar", &werkplan2022::sheets());
    std::os::unix::fs::symlink("nergens.xlsx", case.input.join("kapot.xlsx")).unwrap();
    let run = case.build(&[]);
    assert_refused(&case, &run, &[("kapot.xlsx", &[])]);
}

#[test]
fn a_truncated_workbook() {
    let bytes = support::workbook_bytes(&werkplan2022::sheets());
    let case = Case::with_bytes("afgekapt", &bytes[..bytes.len() / 2]);
    let run = case.build(&[]);
    assert_refused(&case, &run, &[(WORKBOOK, &[])]);
}

#[test]
fn a_corrupt_sheet_in_a_workbook() {
    // garbage in the middle of the compressed `Reguliere middelen`
    let mut bytes = support::workbook_bytes(&werkplan2022::sheets());
    let (start, len) = {
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let file = archive.by_name(REGULIER_XML).unwrap();
        (
            usize::try_from(file.data_start().unwrap()).unwrap(),
            usize::try_from(file.compressed_size()).unwrap(),
        )
    };
    for b in &mut bytes[start + len / 3..start + len / 3 + 64] {
        *b = 0x55;
    }
    let case = Case::with_bytes("beschadigd", &bytes);
    let run = case.build(&[]);
    assert_refused(&case, &run, &[(WORKBOOK, &[])]);
}

#[test]
fn files_with_a_workbook_extension_that_are_not_workbooks() {
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".to_vec();
    let cfb_junk: Vec<u8> = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        .into_iter()
        .chain((0..600u32).map(|i| (i * 7 % 251) as u8))
        .collect();
    let failed = [
        (
            "geen-werkboek-tekst",
            "notities.xlsx",
            b"Dit is een notitie.\n".to_vec(),
        ),
        ("geen-werkboek-pdf", "begroting.xls", pdf),
        ("geen-werkboek-ole", "oud.xls", cfb_junk),
        ("geen-werkboek-leeg", "leeg.ods", Vec::new()),
    ]
    .into_iter()
    .filter(|(name, file, bytes)| {
        std::panic::catch_unwind(|| {
            let case = Case::with_sheets(name, &werkplan2022::sheets());
            case.write(file, bytes);
            let run = case.build(&[]);
            assert_refused(&case, &run, &[(file, &[])]);
        })
        .is_err()
    })
    .map(|(_, file, _)| file)
    .collect::<Vec<_>>();
    assert!(failed.is_empty(), "niet goed geweigerd: {failed:?}");
}

#[test]
fn a_password_protected_workbook() {
    // tests/fixtures/wachtwoord.xlsx: input/werkplan-2022.xlsx encrypted with the password
    // `geheim` (msoffcrypto-tool 6.1: `OOXMLFile(f).encrypt("geheim", out)`)
    let bytes = std::fs::read("tests/fixtures/wachtwoord.xlsx").unwrap();
    let case = Case::with_bytes("wachtwoord", &bytes);
    let run = case.build(&[]);
    assert_refused(&case, &run, &[(WORKBOOK, &["wachtwoord"])]);
}

#[test]
fn the_same_workbook_twice() {
    let bytes = support::workbook_bytes(&werkplan2022::sheets());
    let case = Case::with_bytes("twee-keer", &bytes);
    case.write("kopie van werkplan.xlsx", &bytes);
    let run = case.build(&[]);
    assert_refused(&case, &run, &[(WORKBOOK, &["kopie van werkplan.xlsx"])]);
}

// ---------------------------------------------------------------------------------------
// Merged cells and the 1904 date system: handled, not refused

#[test]
fn merged_text_cells_take_the_top_left_value() {
    // theme 1's five lines share one merged Thema cell; round 3 of 1c-1e one Ronde cell
    let sheets = sheets_with(&[
        (REGULIER, "A16", C::E),
        (REGULIER, "A17", C::E),
        (REGULIER, "A18", C::E),
        (REGULIER, "A19", C::E),
        (PROJECTEN, "D7", C::E),
        (PROJECTEN, "D8", C::E),
    ]);
    let bytes = support::workbook_bytes(&sheets);
    let bytes = patch(&bytes, REGULIER_XML, |xml| merge(xml, &["A15:A19"]));
    let bytes = patch(&bytes, PROJECTEN_XML, |xml| merge(xml, &["D6:D8"]));
    let case = Case::with_bytes("samengevoegde-tekst", &bytes);
    let run = case.build(&[]);
    assert_built(&case, &run);
    assert!(
        case.report()["tables"] == reference_tables(),
        "andere cijfers dan zonder samengevoegde cellen"
    );

    // control: the same sheets without the merged ranges lack two rounds
    let case = Case::with_sheets("samengevoegde-tekst-zonder", &sheets);
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[(&cell(PROJECTEN, "D7"), &[]), (&cell(PROJECTEN, "D8"), &[])],
    );
}

#[test]
fn merged_amount_cells_are_a_warning_that_names_the_range() {
    let sheets = sheets_with(&[(REGULIER, "G17", C::E)]);
    let bytes = patch(&support::workbook_bytes(&sheets), REGULIER_XML, |xml| {
        merge(xml, &["G16:G17"])
    });
    let case = Case::with_bytes("samengevoegde-bedragen", &bytes);
    let run = case.build(&[]);
    assert_built(&case, &run);
    let warned = run.stderr.lines().any(|l| {
        l.ends_with(" [waarschuwing]") && l.contains(&sheet(REGULIER)) && l.contains("G16:G17")
    });
    assert!(
        warned,
        "geen waarschuwing die G16:G17 noemt:\n{}",
        run.stderr
    );

    // --strict: exit 3, nothing written (the 2022 sheets have warnings of their own too)
    let case = Case::with_bytes("samengevoegde-bedragen-strikt", &bytes);
    let run = case.build(&["--strict"]);
    eprintln!("--- stderr --strict\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"));
    assert_eq!(run.code(), Some(3), "{}", run.stderr);
    case.assert_output_unchanged(&run);
}

#[test]
fn a_1904_workbook_reads_the_same() {
    let bytes = support::workbook_bytes(&werkplan2022::sheets());
    let bytes = patch(&bytes, "xl/workbook.xml", date1904);
    let case = Case::with_bytes("datumsysteem-1904", &bytes);
    let run = case.build(&[]);
    assert_built(&case, &run);
    assert!(
        case.report()["tables"] == reference_tables(),
        "andere cijfers dan in het datumsysteem van 1900"
    );
}

#[test]
fn a_date_in_an_amount_column_of_a_1904_workbook() {
    // the writer stores 1900 serials: 14-03-2017 in 1900 is the serial of 15-03-2021 in 1904
    let sheets = sheets_with(&[(REGULIER, "F7", C::D(2017, 3, 14))]);
    let bytes = patch(
        &support::workbook_bytes(&sheets),
        "xl/workbook.xml",
        date1904,
    );
    let case = Case::with_bytes("datum-1904", &bytes);
    let run = case.build(&[]);
    assert_refused(&case, &run, &[(&cell(REGULIER, "F7"), &["15-03-2021"])]);
}

// ---------------------------------------------------------------------------------------
// Bombs: refused within seconds and a few hundred MiB

/// Words of a message that names a limit.
const LIMIT_WORDS: [&str; 7] = [
    "meer dan",
    "hoogstens",
    "maximaal",
    "maximum",
    "limiet",
    "te groot",
    "te veel",
];

fn assert_bomb_refused(case: &Case, run: &Run, what: &str) {
    eprintln!("{what}: {}", run.measurements());
    assert_refused(case, run, &[(&sheet(REGULIER), &[])]);
    let names_limit = run
        .error_lines()
        .into_iter()
        .filter(|l| l.contains(&sheet(REGULIER)))
        .any(|l| LIMIT_WORDS.iter().any(|w| l.contains(w)));
    assert!(
        names_limit,
        "de melding noemt geen grens ({LIMIT_WORDS:?}):\n{}",
        run.stderr
    );
}

#[test]
fn a_sheet_with_cells_at_a1_and_xfd1048576() {
    let bytes = patch(
        &support::workbook_bytes(&werkplan2022::sheets()),
        REGULIER_XML,
        |xml| {
            let xml = dimension(xml, "A1:XFD1048576");
            replace_once(
                &xml,
                "</sheetData>",
                r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>einde</t></is></c></row></sheetData>"#,
            )
        },
    );
    let case = Case::with_bytes("dimensiebom", &bytes);
    let run = case.build(&[]);
    assert_bomb_refused(&case, &run, "dimensiebom");
}

#[test]
fn a_sheet_that_only_claims_an_absurd_dimension() {
    // the cells are the 2022 ones; only `<dimension ref>` lies. Reading the real cells or
    // refusing the claim are both fine; crashing, hanging or eating memory are not.
    let bytes = patch(
        &support::workbook_bytes(&werkplan2022::sheets()),
        REGULIER_XML,
        |xml| dimension(xml, "A1:XFD1048576"),
    );
    let case = Case::with_bytes("dimensie-alleen-beweerd", &bytes);
    let run = case.build(&[]);
    eprintln!("alleen beweerde dimensie: {}", run.measurements());
    match run.code() {
        Some(0) => {
            assert_built(&case, &run);
            assert!(case.report()["tables"] == reference_tables());
        }
        _ => assert_refused(&case, &run, &[(&sheet(REGULIER), &[])]),
    }
}

#[test]
fn a_cell_reference_that_wraps_around() {
    // row 4.294.967.302 is 2³² + 6: read modulo 2³² it would overwrite E6 silently
    let bytes = patch(
        &support::workbook_bytes(&werkplan2022::sheets()),
        REGULIER_XML,
        |xml| {
            replace_once(
                xml,
                "</sheetData>",
                r#"<row r="4294967302"><c r="E4294967302"><v>999999</v></c></row></sheetData>"#,
            )
        },
    );
    let case = Case::with_bytes("verwijzing-loopt-rond", &bytes);
    let run = case.build(&[]);
    assert_refused(&case, &run, &[(&sheet(REGULIER), &["celverwijzing", "E6"])]);
}

#[test]
fn two_cells_with_the_same_reference() {
    let bytes = patch(
        &support::workbook_bytes(&werkplan2022::sheets()),
        REGULIER_XML,
        |xml| {
            replace_once(
                xml,
                "</sheetData>",
                r#"<row r="1000"><c r="H1000"><v>1</v></c><c r="H1000"><v>2</v></c></row></sheetData>"#,
            )
        },
    );
    let case = Case::with_bytes("dubbele-verwijzing", &bytes);
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[(&sheet(REGULIER), &["dezelfde verwijzing", "H1000"])],
    );
}

#[test]
fn an_ods_whose_repeated_rows_together_pass_the_cell_limit() {
    // each sheet's title row said 8.000 times: every sheet stays under --max-cellen
    // 100.000, all sheets together do not, and calamine would unfold them all on opening
    let ods = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ods/werkplan-2022.ods"),
    )
    .unwrap();
    let bytes = patch(&ods, "content.xml", |xml| {
        let mut out = String::new();
        for (i, part) in xml.split("<table:table table:name=").enumerate() {
            if i > 0 {
                out.push_str("<table:table table:name=");
                out.push_str(&replace_once(
                    part,
                    "<table:table-row table:style-name=\"ro1\">",
                    "<table:table-row table:style-name=\"ro1\" table:number-rows-repeated=\"8000\">",
                ));
            } else {
                out.push_str(part);
            }
        }
        out
    });
    let case = Case::new("ods-herhaalde-rijen");
    case.write("werkplan-2022.ods", &bytes);
    let run = case.build(&["--max-cellen", "100000"]);
    assert_refused(
        &case,
        &run,
        &[(
            "werkplan-2022.ods › ",
            &["--max-cellen", "100.000", "alle bladen"],
        )],
    );
}

#[test]
fn a_zip_bomb_sheet() {
    // `Reguliere middelen` inflates to 2 GiB of white space (about 2 MB on disk)
    let started = Instant::now();
    let mib = vec![b' '; 1 << 20];
    let bomb = repeated_entry(REGULIER_XML, SHEET_START, &mib, 2048, SHEET_END);
    let bytes = replace_entry(&support::workbook_bytes(&werkplan2022::sheets()), bomb);
    eprintln!(
        "zipbom: {} bytes, gemaakt in {:.2} s",
        bytes.len(),
        started.elapsed().as_secs_f64()
    );
    let case = Case::with_bytes("zipbom", &bytes);
    let run = case.build(&[]);
    assert_bomb_refused(&case, &run, "zipbom");
    eprintln!("zipbom-test: {:.2} s", started.elapsed().as_secs_f64());
}

#[test]
fn a_zip_bomb_that_understates_its_size() {
    // the same 2 GiB of white space, declared as 10 kB: a reader that trusts the declared
    // size must still stop
    let mib = vec![b' '; 1 << 20];
    let mut bomb = repeated_entry(REGULIER_XML, SHEET_START, &mib, 2048, SHEET_END);
    bomb.size = 10_000;
    let bytes = replace_entry(&support::workbook_bytes(&werkplan2022::sheets()), bomb);
    let case = Case::with_bytes("zipbom-liegt", &bytes);
    let run = case.build(&[]);
    eprintln!("zipbom die liegt: {}", run.measurements());
    assert_refused(&case, &run, &[(WORKBOOK, &[])]);
}

/// A sheet with far more filled cells than `--max-cellen` allows is refused at the limit,
/// with a message naming it: the cells are counted as the reader goes (no dimension, no
/// cell references to trust), so the sheet is never read whole. The bomb is 6,4 times the
/// limit, as 32 million cells were against the default limit of 5 million; with a limit of
/// 100.000 it proves the same in about a second of debug build instead of some 45 s (the
/// default limit itself is the `Limits::DEFAULT` constant, not what this test is about).
#[test]
fn a_sheet_with_many_times_the_cell_limit() {
    // 640.000 cells, 1.000 per row, about 10 MB of XML in a few dozen KB
    let started = Instant::now();
    let row = format!("<row>{}</row>", "<c><v>1</v></c>".repeat(1000));
    let body = row.repeat(64);
    let bomb = repeated_entry(REGULIER_XML, SHEET_START, body.as_bytes(), 10, SHEET_END);
    let bytes = replace_entry(&support::workbook_bytes(&werkplan2022::sheets()), bomb);
    eprintln!(
        "cellenbom: {} bytes, gemaakt in {:.2} s",
        bytes.len(),
        started.elapsed().as_secs_f64()
    );
    let case = Case::with_bytes("cellenbom", &bytes);
    let run = case.build(&["--max-cellen", "100000"]);
    assert_bomb_refused(&case, &run, "cellenbom");
    assert!(
        run.stderr.contains("--max-cellen"),
        "de melding noemt --max-cellen niet:\n{}",
        run.stderr
    );
    eprintln!("cellenbom-test: {:.2} s", started.elapsed().as_secs_f64());
}

#[test]
fn the_bombs_are_what_they_claim() {
    // the hand-made archives are valid: the zip reader inflates a repeated entry to its
    // declared size and CRC
    let body = b"<row><c><v>1</v></c></row>".repeat(100);
    let entry = repeated_entry(REGULIER_XML, SHEET_START, &body, 300, SHEET_END);
    let expected = format!(
        "{SHEET_START}{}{SHEET_END}",
        String::from_utf8(body.repeat(300)).unwrap()
    );
    let bytes = replace_entry(&support::workbook_bytes(&werkplan2022::sheets()), entry);
    assert_eq!(entry_text(&bytes, REGULIER_XML), expected);
    let patched = patch(&bytes, "xl/workbook.xml", date1904);
    assert!(entry_text(&patched, "xl/workbook.xml").contains(r#"date1904="1""#));
    assert_eq!(entry_text(&patched, REGULIER_XML), expected);
}

// ---------------------------------------------------------------------------------------
// All findings in one run, and the log formats

#[test]
fn three_broken_sheets_in_two_files_are_all_reported() {
    let sheets = sheets_with(&[
        (REGULIER, "F7", t("twee ton")),
        (DRENTHE_BREED, "D5", t("onbekend")),
        (PROJECTEN, "E6", t("nog niet bekend")),
    ]);
    let mut first = Vec::new();
    let mut second = Vec::new();
    for spec in sheets {
        if spec.name == ALLIANTIEBUDGET || spec.name == PROJECTEN {
            second.push(spec);
        } else {
            first.push(spec);
        }
    }
    let case = Case::new("drie-fouten");
    case.write("begroting.xlsx", &support::workbook_bytes(&first));
    case.write("allianties.xlsx", &support::workbook_bytes(&second));
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[
            ("begroting.xlsx › Reguliere middelen › F7", &["twee ton"]),
            (
                "begroting.xlsx › Drenthe-brede projecten › D5",
                &["onbekend"],
            ),
            (
                "allianties.xlsx › Alliantieprojecten › E6",
                &["nog niet bekend"],
            ),
        ],
    );
}

#[test]
fn json_log_has_one_object_per_line() {
    let case = Case::with_sheets(
        "json-log",
        &sheets_with(&[(REGULIER, "F7", t("twee ton")), (REGULIER, "B16", t("a"))]),
    );
    let run = case.build(&["--log-format", "json"]);
    eprintln!("--- stderr\n{}", run.stderr);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    case.assert_output_unchanged(&run);
    let objects: Vec<serde_json::Value> = run
        .stderr
        .lines()
        .map(|line| {
            let value: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("geen JSON ({e}): {line}"));
            assert!(value.is_object(), "geen object: {line}");
            value
        })
        .collect();
    let findings: Vec<&serde_json::Value> = objects
        .iter()
        .filter(|o| o["soort"] == "bevinding")
        .map(|o| &o["bevinding"])
        .collect();
    for cell in ["F7", "B16"] {
        assert!(
            findings.iter().any(|f| f["severity"] == "fout"
                && f["place"]["sheet"] == REGULIER
                && f["place"]["cell"] == cell
                && f["place"]["file"]
                    .as_str()
                    .is_some_and(|p| p.ends_with(WORKBOOK))
                && f["message"].as_str().is_some_and(|m| !m.is_empty())),
            "geen bevinding voor {cell}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn quiet_prints_only_findings() {
    // the 2022 sheets have three warnings (stated totals) and nothing else to say
    let case = Case::with_sheets("stil", &werkplan2022::sheets());
    let run = case.build(&["--quiet"]);
    eprintln!("--- stderr\n{}", run.stderr);
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    assert!(!run.stderr.trim().is_empty(), "de bevindingen ontbreken");
    for line in run.stderr.lines() {
        assert!(
            (line.ends_with(" [waarschuwing]") || line.ends_with(" [fout]"))
                && line.contains(" › "),
            "geen bevinding: {line}"
        );
    }

    let case = Case::with_sheets("stil-json", &werkplan2022::sheets());
    let run = case.build(&["--quiet", "--log-format", "json"]);
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    assert!(!run.stderr.trim().is_empty(), "de bevindingen ontbreken");
    for line in run.stderr.lines() {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("geen JSON ({e}): {line}"));
        assert_eq!(value["soort"], "bevinding", "geen bevinding: {line}");
    }
}

// ---------------------------------------------------------------------------------------
// Found in review: rounds, pipes, empty tables, far columns, codes with punctuation.

#[test]
fn a_round_that_is_not_a_round_number() {
    let case = Case::with_sheets(
        "geen-ronde",
        &sheets_with(&[
            (PROJECTEN, "D4", t("-1")),
            (PROJECTEN, "D5", t("Q3 2021")),
            (PROJECTEN, "D6", n(1.5)),
            (PROJECTEN, "D7", t("ronde 1 en 2")),
        ]),
    );
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[
            (&cell(PROJECTEN, "D4"), &["ronde"]),
            (&cell(PROJECTEN, "D5"), &["ronde"]),
            (&cell(PROJECTEN, "D6"), &["ronde"]),
            (&cell(PROJECTEN, "D7"), &["ronde"]),
        ],
    );
}

#[test]
fn a_named_pipe_with_a_workbook_name_does_not_hang_the_run() {
    let case = Case::with_sheets("pijp", &werkplan2022::sheets());
    let status = std::process::Command::new("mkfifo")
        .arg(case.input.join("pijp.xlsx"))
        .status()
        .unwrap();
    assert!(status.success());
    let run = case.build(&[]);
    assert_refused(&case, &run, &[("pijp.xlsx", &["geen gewoon bestand"])]);
}

#[test]
fn a_table_with_only_its_header_is_no_silently_empty_table() {
    let mut sheets = werkplan2022::sheets();
    sheets[2].rows.truncate(3); // Drenthe-brede projecten: titles and header only
    let case = Case::with_sheets("lege-tabel", &sheets);
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[(&sheet(DRENTHE_BREED), &["geen enkele regel"])],
    );
}

#[test]
fn cells_far_to_the_right_cost_only_themselves() {
    // thousands of rows with one stray cell in column XFD, below the table
    let mut sheets = werkplan2022::sheets();
    for _ in 0..4000 {
        let mut row = vec![C::E; 16_383];
        row.push(t("x"));
        sheets[1].rows.push(row);
    }
    let case = Case::with_sheets("verre-kolommen", &sheets);
    let run = case.build(&[]);
    eprintln!("--- {}", run.measurements());
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    assert!(run.peak_kib < 512 * 1024, "{}", run.measurements());
}

#[test]
fn a_code_with_punctuation_is_the_same_code() {
    // `a)` on row 6 and `a` on row 7 are one code twice
    let case = Case::with_sheets(
        "code-met-haakje",
        &sheets_with(&[(REGULIER, "B6", t("a)")), (REGULIER, "B7", t("a"))]),
    );
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[(&cell(REGULIER, "B7"), &["‘a’", "twee keer"])],
    );
}

/// A newline in a cell's text does not start a new line in the text log.
#[test]
fn a_newline_in_a_cell_stays_on_its_message_line() {
    let case = Case::with_sheets(
        "nieuwe-regel",
        &sheets_with(&[(REGULIER, "F7", t("twee\nton"))]),
    );
    let run = case.build(&[]);
    assert_eq!(run.code(), Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("‘twee\\nton’"), "{}", run.stderr);
    assert!(
        run.stderr.lines().all(|l| !l.starts_with("ton")),
        "{}",
        run.stderr
    );
    case.assert_output_unchanged(&run);
}

// ---------------------------------------------------------------------------------------
// Red team: wrong figures that were accepted, and silences

/// The 1-based row of the last row of a sheet whose column C reads `Totaal`.
fn total_row(sheets: &[SheetSpec], name: &str) -> usize {
    let spec = sheets.iter().find(|s| s.name == name).unwrap();
    let index = spec
        .rows
        .iter()
        .rposition(|row| matches!(row.get(2), Some(C::T(text)) if text == "Totaal"))
        .unwrap();
    index + 1
}

#[test]
fn a_totaal_row_with_a_code_is_no_line() {
    let mut sheets = werkplan2022::sheets();
    let regulier = total_row(&sheets, REGULIER);
    let breed = total_row(&sheets, DRENTHE_BREED);
    let projecten = total_row(&sheets, PROJECTEN);
    set(&mut sheets, REGULIER, &format!("B{regulier}"), t("-"));
    set(&mut sheets, DRENTHE_BREED, &format!("B{breed}"), t("z"));
    set(&mut sheets, PROJECTEN, &format!("B{projecten}"), t("x"));
    let case = Case::with_sheets("totaal-met-code", &sheets);
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[
            (&cell(REGULIER, &format!("B{regulier}")), &["Totaal", "‘-’"]),
            (
                &cell(DRENTHE_BREED, &format!("B{breed}")),
                &["Totaal", "‘z’"],
            ),
            (
                &cell(PROJECTEN, &format!("B{projecten}")),
                &["Totaal", "‘x’"],
            ),
        ],
    );
}

#[test]
fn text_with_one_comma_and_three_digits_is_ambiguous() {
    let case = Case::with_sheets(
        "komma-drie-cijfers",
        &sheets_with(&[
            (REGULIER, "F7", t("12,750")),
            (DRENTHE_BREED, "E4", t("€ -12,750*")),
        ]),
    );
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[
            (&cell(REGULIER, "F7"), &["12,750", "dubbelzinnig"]),
            (&cell(DRENTHE_BREED, "E4"), &["12,750", "dubbelzinnig"]),
        ],
    );
}

#[test]
fn a_percent_formatted_amount_cell() {
    // F7 written as a date, then its format made a percentage and its value 0,15 (15%)
    let sheets = sheets_with(&[(REGULIER, "F7", C::D(2021, 3, 15))]);
    let bytes = support::workbook_bytes(&sheets);
    let styles = entry_text(&bytes, "xl/styles.xml");
    assert!(styles.contains(r#"formatCode="dd-mm-yyyy""#), "{styles}");
    let bytes = patch(&bytes, "xl/styles.xml", |xml| {
        replace_once(xml, r#"formatCode="dd-mm-yyyy""#, r#"formatCode="0%""#)
    });
    let sheet_xml = entry_text(&bytes, REGULIER_XML);
    let date_value = sheet_xml
        .split(r#"<c r="F7""#)
        .nth(1)
        .and_then(|rest| rest.split("<v>").nth(1))
        .and_then(|rest| rest.split("</v>").next())
        .unwrap()
        .to_string();
    let bytes = patch(&bytes, REGULIER_XML, |xml| {
        replace_once(xml, &format!("<v>{date_value}</v>"), "<v>0.15</v>")
    });
    let case = Case::with_bytes("percentage", &bytes);
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[(&cell(REGULIER, "F7"), &["15%", "percentage"])],
    );
}

#[test]
fn a_percent_cell_in_an_ods() {
    // in Reguliere middelen F7 (262.805) becomes 0,15 as a percentage (15%), and F6:H6
    // (10.000, one cell said three times) 100%
    let ods = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ods/werkplan-2022.ods"),
    )
    .unwrap();
    let bytes = patch(&ods, "content.xml", |xml| {
        let (before, sheet) = xml
            .split_once(r#"<table:table table:name="Reguliere middelen""#)
            .unwrap();
        let sheet = replace_once(
            sheet,
            r#"office:value-type="float" office:value="262805" calcext:value-type="float"><text:p>262805</text:p>"#,
            r#"office:value-type="percentage" office:value="0.15" calcext:value-type="percentage"><text:p>15%</text:p>"#,
        );
        let sheet = replace_once(
            &sheet,
            r#"table:number-columns-repeated="3" office:value-type="float" office:value="10000" calcext:value-type="float"><text:p>10000</text:p>"#,
            r#"table:number-columns-repeated="3" office:value-type="percentage" office:value="1" calcext:value-type="percentage"><text:p>100%</text:p>"#,
        );
        format!(r#"{before}<table:table table:name="Reguliere middelen"{sheet}"#)
    });
    let case = Case::new("ods-percentage");
    case.write("werkplan-2022.ods", &bytes);
    let run = case.build(&[]);
    let at = |a1: &str| format!("werkplan-2022.ods › {REGULIER} › {a1}");
    assert_refused(
        &case,
        &run,
        &[
            (&at("F7"), &["15%", "percentage"]),
            (&at("F6"), &["100%", "percentage"]),
            (&at("G6"), &["100%", "percentage"]),
            (&at("H6"), &["100%", "percentage"]),
        ],
    );
}

#[test]
fn a_percent_cell_in_an_xls() {
    // the 2022 workbook saved by LibreOffice as Excel 97-2003 with Reguliere middelen F7
    // (262.805) as 0,15 in the format 0.00% (15%); calamine reads it as the number 0,15
    let xls = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/xls-percentage/werkplan-2022.xls"),
    )
    .unwrap();
    let case = Case::new("xls-percentage");
    case.write("werkplan-2022.xls", &xls);
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[(
            &format!("werkplan-2022.xls › {REGULIER} › F7"),
            &["15%", "percentage"],
        )],
    );
}

#[test]
fn a_header_and_only_a_totaal_row_is_no_table() {
    let mut sheets = werkplan2022::sheets();
    // Reguliere middelen: titles, header (row 5) and the sheet's total only
    let total = sheets[1].rows.last().unwrap().clone();
    sheets[1].rows.truncate(5);
    sheets[1].rows.push(total);
    // Alliantiebudget: header and its `Totaal` row only
    let spec = sheets
        .iter_mut()
        .find(|s| s.name == ALLIANTIEBUDGET)
        .unwrap();
    let header = spec
        .rows
        .iter()
        .position(|row| matches!(row.first(), Some(C::T(text)) if text == "Thema"))
        .unwrap();
    let total = spec.rows.last().unwrap().clone();
    spec.rows.truncate(header + 1);
    spec.rows.push(total);
    let case = Case::with_sheets("alleen-totaal", &sheets);
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[
            (&sheet(REGULIER), &["geen enkele regel", "Totaal"]),
            (&sheet(ALLIANTIEBUDGET), &["geen enkele regel", "Totaal"]),
        ],
    );
}

#[test]
fn alliantie_projects_with_only_a_totaal_row_is_a_warning() {
    let mut sheets = werkplan2022::sheets();
    let spec = sheets.iter_mut().find(|s| s.name == PROJECTEN).unwrap();
    spec.rows.truncate(3);
    spec.rows.push(vec![C::E, C::E, t("Totaal"), C::E, n(0.0)]);
    let case = Case::with_sheets("projecten-alleen-totaal", &sheets);
    let run = case.build(&[]);
    assert_built(&case, &run);
    assert!(
        run.stderr.lines().any(|l| l.ends_with(" [waarschuwing]")
            && l.contains(&sheet(PROJECTEN))
            && l.contains("geen enkele toekenning")),
        "{}",
        run.stderr
    );
}

#[test]
fn budget_years_before_the_spending_years_or_with_a_gap() {
    let case = Case::with_sheets(
        "budget-2019",
        &sheets_with(&[
            (REGULIER, "G5", t("Budget 2019")),
            (DRENTHE_BREED, "E3", t("Uitgaven 2019")),
        ]),
    );
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[
            (&cell(REGULIER, "G5"), &["Budget 2019", "Uitgaven 2021"]),
            (
                &cell(DRENTHE_BREED, "F3"),
                &["Uitgaven 2019", "Uitgaven 2021"],
            ),
        ],
    );
    // the report was not renamed to a 2019 report either
    assert!(!run.stderr.contains("2019.json"), "{}", run.stderr);
}

#[test]
fn budget_years_out_of_order() {
    let case = Case::with_sheets(
        "budgetjaren-door-elkaar",
        &sheets_with(&[
            (REGULIER, "G5", t("Budget 2023")),
            (REGULIER, "H5", t("Budget 2022")),
        ]),
    );
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[(&cell(REGULIER, "H5"), &["Budget 2022", "Budget 2023"])],
    );
}

#[test]
fn a_header_below_the_search_window_says_where_it_was_looked_for() {
    let rows = werkplan::ingest::sheet::HEADER_SEARCH_ROWS;
    let mut sheets = werkplan2022::sheets();
    // Reguliere middelen: the title on row 1, the header far below the window
    let body = sheets[1].rows.split_off(1);
    sheets[1]
        .rows
        .extend(std::iter::repeat_n(Vec::new(), rows + 5));
    sheets[1].rows.extend(body);
    let case = Case::with_sheets("kopregel-te-laag", &sheets);
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[(&sheet(REGULIER), &[&format!("eerste {rows} rijen")])],
    );
    assert!(!run.stderr.contains("kopregel (rij 1)"), "{}", run.stderr);
}

#[test]
fn a_folder_with_a_workbook_name_is_not_silently_skipped() {
    let case = Case::with_sheets("map-als-werkboek", &werkplan2022::sheets());
    std::fs::create_dir_all(case.input.join("sub.xlsx")).unwrap();
    let run = case.build(&[]);
    assert_refused(&case, &run, &[("sub.xlsx", &["map"])]);
}

#[test]
fn ledger_csv_files_are_read_never_silently_ignored() {
    // the CSV files hold no booking columns: each is refused by name, the run writes nothing
    let case = Case::with_sheets("boekingen-csv", &werkplan2022::sheets());
    case.write("Boekingen 2022-03.csv", b"datum;bedrag\n");
    case.write("verplichtingen.CSV", b"datum;bedrag\n");
    case.write("notities.csv", b"x\n");
    let run = case.build(&[]);
    assert_refused(
        &case,
        &run,
        &[("Boekingen 2022-03.csv", &[]), ("verplichtingen.CSV", &[])],
    );
    assert!(!run.stderr.contains("notities.csv"), "{}", run.stderr);
}
