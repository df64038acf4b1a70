//! Benchmark of the monthly run: the whole `werkplan build` (read, compute, write PDF, XLSX
//! and JSON) on the 2022 workbook plus a generated `Boekingen 2022` ledger
//! (`tests/support/ledger.rs`) of growing length, in three forms, each in its own input
//! folder:
//! - `xlsx-gedeeld`: the ledger sheet in the 2022 workbook, text in a shared-strings table
//!   (as Excel saves);
//! - `xlsx-inline`: the same with inline strings (as streaming exporters write);
//! - `csv`: the 2022 workbook and a `Boekingen 2022.csv` export beside it.
//!
//! With `--apart` the xlsx ledgers go into a workbook of their own beside the 2022 workbook.
//! Prints, per form and size: file size, wall time, peak memory (the child's `VmHWM`,
//! watched while it runs) and exit code; the bound for a million rows is 2.0 s and 150 MiB.
//! For the CSV also the CSV reader alone (`scan_csv` into a sink that only counts, in this
//! process), which is what the build's ledger read costs before any sums.
//!
//! Run with `cargo bench --bench ledger` (sizes 10,000, 100,000 and 1,000,000), or
//! `cargo bench --bench ledger -- 100000 --apart` for one size. With `WERKPLAN_BENCH_KEEP`
//! set the generated folders are kept (for profiling), else they are removed.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::ledger::{self, Encoding, Strings};
use werkplan::ingest::ledger::csv::scan_csv;
use werkplan::ingest::ledger::{CellAt, RowSink};

/// The ledger's forms.
#[derive(Clone, Copy, Debug)]
enum Form {
    XlsxShared,
    XlsxInline,
    Csv,
}

impl Form {
    const ALL: [Form; 3] = [Form::XlsxShared, Form::XlsxInline, Form::Csv];

    fn name(self) -> &'static str {
        match self {
            Form::XlsxShared => "xlsx-gedeeld",
            Form::XlsxInline => "xlsx-inline",
            Form::Csv => "csv",
        }
    }
}

/// The seed of every generated ledger: the same input on every run.
const SEED: u64 = 2022;

/// Writes the input folder for `form`: the 2022 workbook and a ledger of `rows` rows.
/// Returns the size of the file(s) holding the ledger, in bytes.
fn input(dir: &Path, form: Form, rows: usize, apart: bool) -> u64 {
    let size = |name: &str| std::fs::metadata(dir.join(name)).map_or(0, |m| m.len());
    let budget =
        || support::write_workbook(dir, "werkplan-2022.xlsx", &support::werkplan2022::sheets());
    let strings = match form {
        Form::XlsxShared => Strings::Shared,
        Form::XlsxInline => Strings::Inline,
        Form::Csv => {
            budget();
            ledger::write_csv(&dir.join("Boekingen 2022.csv"), rows, SEED, Encoding::Utf8);
            return size("Boekingen 2022.csv");
        }
    };
    if apart {
        budget();
        ledger::write_xlsx(dir, "Boekingen 2022.xlsx", false, rows, SEED, strings);
        size("Boekingen 2022.xlsx")
    } else {
        ledger::write_xlsx(dir, "werkplan-2022.xlsx", true, rows, SEED, strings);
        size("werkplan-2022.xlsx")
    }
}

/// A sink that only counts what the reader hands on.
#[derive(Default)]
struct Count {
    rows: u64,
    cells: u64,
}

impl RowSink for Count {
    fn row(&mut self, _row: u32, cells: &[CellAt<'_>]) {
        self.rows += 1;
        self.cells += cells.len() as u64;
    }
}

/// The CSV reader alone over the ledger of a `csv` input folder, in this process: seconds.
fn csv_reader_alone(input: &Path, rows: usize) -> f64 {
    let start = Instant::now();
    let mut count = Count::default();
    let records = scan_csv(&input.join("Boekingen 2022.csv"), &mut count).expect("readable");
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(records, rows as u64 + 1, "every booking and the header");
    assert!(count.cells > count.rows, "rows with cells");
    seconds
}

/// `VmHWM` of a running process, in MiB.
fn peak_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// What one `werkplan build` took.
struct Run {
    wall: Duration,
    peak_mib: f64,
    code: Option<i32>,
    /// The first line of its standard error (why it failed, when it did).
    first_error: String,
}

/// One `werkplan build --quiet` of `input` into `output`, timed and watched.
fn build(input: &Path, output: &Path) -> Run {
    let stderr = output.with_extension("stderr");
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_werkplan"))
        .arg("build")
        .arg("--input")
        .arg(input)
        .arg("--output")
        .arg(output)
        .arg("--quiet")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr).expect("a file for stderr"))
        .spawn()
        .expect("the werkplan binary runs");
    let mut peak = 0.0f64;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if let Some(mib) = peak_mib(child.id()) {
            peak = peak.max(mib);
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let wall = start.elapsed();
    let text = std::fs::read_to_string(&stderr).unwrap_or_default();
    Run {
        wall,
        peak_mib: peak,
        code: status.code(),
        first_error: text
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(200)
            .collect(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let apart = args.iter().any(|a| a == "--apart");
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 100_000, 1_000_000]
    } else {
        sizes
    };
    let root: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-ledger");
    println!(
        "| {:<12} | {:>9} | {:>10} | {:>8} | {:>8} | {:>4} | {:>12} | {:>9} |",
        "vorm", "regels", "bestand", "tijd", "piek", "exit", "alleen lezer", "genereren"
    );
    println!(
        "|{:-<14}|{:->11}|{:->12}|{:->10}|{:->10}|{:->6}|{:->14}|{:->11}|",
        "", "", "", "", "", "", "", ""
    );
    for rows in sizes {
        for form in Form::ALL {
            let dir = root.join(format!("{}-{rows}", form.name()));
            let _ = std::fs::remove_dir_all(&dir);
            let (input_dir, output) = (dir.join("in"), dir.join("uit"));
            std::fs::create_dir_all(&input_dir).expect("bench folder");
            let start = Instant::now();
            let size = input(&input_dir, form, rows, apart);
            let generated = start.elapsed();
            let run = build(&input_dir, &output);
            let reader = match form {
                Form::Csv => format!("{:.2} s", csv_reader_alone(&input_dir, rows)),
                _ => "-".to_string(),
            };
            println!(
                "| {:<12} | {:>9} | {:>7.1} MB | {:>6.2} s | {:>4.0} MiB | {:>4} | {:>12} | {:>7.1} s |{}",
                form.name(),
                rows,
                size as f64 / 1e6,
                run.wall.as_secs_f64(),
                run.peak_mib,
                run.code.map_or("-".to_string(), |c| c.to_string()),
                reader,
                generated.as_secs_f64(),
                if run.code == Some(0) {
                    String::new()
                } else {
                    format!(" {}", run.first_error)
                },
            );
            if std::env::var_os("WERKPLAN_BENCH_KEEP").is_none() {
                let _ = std::fs::remove_dir_all(&dir);
            }
        }
    }
}
