//! Benchmark: the xlsx ledger scanner (`LedgerWorkbook::open` + `scan`) on a generated
//! `Boekingen 2022` of 1,000,000 bookings, with shared strings (Excel's own form) and with
//! inline strings (constant-memory writers). Prints wall time and peak memory, and what
//! inflating the sheet alone costs (the floor under any reader).
//!
//! Run with `cargo bench --bench ledger_scan` (optionally `-- 100000` for another size).
//! The workbooks are generated deterministically into `target/ledger-bench/` by a child
//! process and reused on the next run; each variant is measured in a process of its own.
//! The peak is that process's resident high-water mark (`VmHWM`), the workbook's bytes
//! included.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rust_xlsxwriter::{Format, Workbook, Worksheet};
use werkplan::ingest::amount::cents_from_number_text;
use werkplan::ingest::ledger::xlsx::LedgerWorkbook;
use werkplan::ingest::ledger::{CellAt, LedgerCell, RowSink};

const SHEET: &str = "Boekingen 2022";
const INSTRUMENTS: [&str; 3] = [
    "Reguliere middelen",
    "Drenthe-brede projecten",
    "Alliantieprojecten",
];
const WORDS: [&str; 8] = [
    "leverancier",
    "subsidie",
    "inhuur",
    "onderzoek",
    "drukwerk",
    "bijeenkomst",
    "advies",
    "correctie",
];

/// A small deterministic generator (64-bit LCG), so every run writes the same workbook.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn write_rows(sheet: &mut Worksheet, rows: u64) -> Result<(), rust_xlsxwriter::XlsxError> {
    let date_format = Format::new().set_num_format("dd-mm-yyyy");
    let headers = [
        "Boekdatum",
        "Instrument",
        "Thema",
        "Code",
        "Onderdeel",
        "Omschrijving",
        "Bedrag",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    let mut lcg = Lcg(2022);
    for i in 0..rows {
        let r = (i + 1) as u32;
        let day = (i * 365 / rows.max(1)) as u16; // date order over the year
        // a real date cell: the serial of 1 January 2022 plus the day, date-formatted
        sheet.write_number_with_format(r, 0, 44_562.0 + f64::from(day), &date_format)?;
        let random = lcg.next();
        sheet.write_string(r, 1, INSTRUMENTS[(random % 3) as usize])?;
        let theme = 1 + (random >> 2) % 6;
        sheet.write_number(r, 2, theme as f64)?;
        sheet.write_string(r, 3, format!("{theme}.{}", (random >> 5) % 12))?;
        if (random >> 9).is_multiple_of(4) {
            sheet.write_string(r, 4, format!("deel {}", (random >> 11) % 3 + 1))?;
        }
        let word = WORDS[((random >> 13) % 8) as usize];
        sheet.write_string(
            r,
            5,
            format!("Factuur {i:07} {word} {:06}", random % 999_983),
        )?;
        sheet.write_number(r, 6, amount_cents(&mut lcg) as f64 / 100.0)?;
    }
    Ok(())
}

/// A booking's amount in cents: € 1 to € 25.000 with cents, about 3 % negative
/// (corrections).
fn amount_cents(lcg: &mut Lcg) -> i64 {
    let cents = 100 + (lcg.next() % 2_500_000) as i64;
    if lcg.next() % 100 < 3 { -cents } else { cents }
}

/// The sum of the generated amounts in cents, from the generator itself (integers, never
/// through the workbook): what the scan's sum must equal.
fn generated_cents(rows: u64) -> i64 {
    let mut lcg = Lcg(2022);
    (0..rows)
        .map(|_| {
            lcg.next();
            amount_cents(&mut lcg)
        })
        .sum()
}

fn generate(path: &Path, rows: u64, inline: bool) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = if inline {
        workbook.add_worksheet_with_constant_memory()?
    } else {
        workbook.add_worksheet_with_low_memory()?
    };
    sheet.set_name(SHEET)?;
    write_rows(sheet, rows)?;
    workbook.save(path)
}

/// Sums the `Bedrag` column to cents, as the ledger sink does.
#[derive(Default)]
struct SumSink {
    rows: u64,
    cents: i64,
    dates: u64,
    bad: u64,
}

impl RowSink for SumSink {
    fn row(&mut self, row: u32, cells: &[CellAt<'_>]) {
        if row == 0 {
            return;
        }
        self.rows += 1;
        for cell in cells {
            match (cell.col, cell.value) {
                (0, LedgerCell::Date(_)) => self.dates += 1,
                (6, LedgerCell::Number(text)) => match cents_from_number_text(text) {
                    Ok(c) => self.cents += c,
                    Err(_) => self.bad += 1,
                },
                _ => {}
            }
        }
    }
}

fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// CPU seconds (user + system, all threads) this process has used so far: on a busy
/// machine the wall time says little, this says what the work costs.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // fields 14 and 15 of the whole line (utime, stime) are 12 and 13 after the name
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// Inflates the sheet part into nothing: the floor under any reader.
fn inflate_only(bytes: &[u8]) -> f64 {
    let start = Instant::now();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut entry = archive
        .by_name("xl/worksheets/sheet1.xml")
        .expect("sheet part");
    let mut buf = vec![0u8; 256 << 10];
    let mut total = 0u64;
    loop {
        let n = entry.read(&mut buf).expect("inflate");
        if n == 0 {
            break;
        }
        total += n as u64;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "    inflate only: {secs:.3} s ({} MB of sheet XML)",
        total / 1_000_000
    );
    secs
}

fn measure(path: &Path) {
    let bytes = std::fs::read(path).expect("workbook");
    inflate_only(&bytes);
    let (start, cpu) = (Instant::now(), cpu_seconds());
    let mut workbook = LedgerWorkbook::open(&bytes, 4 << 30).expect("open");
    let mut sink = SumSink::default();
    let rows = workbook.scan(SHEET, &mut sink).expect("scan");
    let secs = start.elapsed().as_secs_f64();
    let expected = generated_cents(rows.saturating_sub(1));
    assert_eq!(
        sink.cents, expected,
        "the scan's sum differs from the generator's"
    );
    println!(
        "    open + scan: {secs:.3} s wall, {:.2} s CPU, peak {:.0} MiB (file {:.1} MB), {rows} rows, {} dates, sum {} cents (= the generator's), {} unreadable",
        cpu_seconds() - cpu,
        peak_mib(),
        bytes.len() as f64 / 1e6,
        sink.dates,
        sink.cents,
        sink.bad
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, path, rows, kind] = args.as_slice()
        && flag == "--generate"
    {
        let rows = rows.parse().expect("rows");
        generate(Path::new(path), rows, kind == "inline").expect("generate");
        return;
    }
    if let [flag, path] = args.as_slice()
        && flag == "--measure"
    {
        measure(Path::new(path));
        return;
    }
    let rows: u64 = args
        .iter()
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/ledger-bench");
    std::fs::create_dir_all(&dir).expect("target/ledger-bench");
    for kind in ["shared", "inline"] {
        let path = dir.join(format!("boekingen-{rows}-{kind}.xlsx"));
        if !path.exists() {
            let exe = std::env::current_exe().expect("bench binary");
            let status = Command::new(exe)
                .args([
                    "--generate",
                    path.to_str().expect("path"),
                    &rows.to_string(),
                    kind,
                ])
                .status()
                .expect("generator");
            assert!(status.success(), "generating {} failed", path.display());
        }
        println!("{rows} bookings, {kind} strings ({}):", path.display());
        // a process of its own, so each peak is its own
        let exe = std::env::current_exe().expect("bench binary");
        let status = Command::new(exe)
            .args(["--measure", path.to_str().expect("path")])
            .status()
            .expect("measure");
        assert!(status.success(), "measuring {} failed", path.display());
    }
}
