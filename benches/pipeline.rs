//! Benchmark: the whole `werkplan build` as the user waits for it, on generated workbooks of
//! growing size: the release binary reads the workbook and renders and writes every output
//! (JSON, XLSX, PDF, the web page and the control report). Prints wall time and peak memory
//! per size, then where the time went: the same stages run in this process, one after the
//! other, every output the build makes, so that the stages add up to the build.
//!
//! Run with `cargo bench` (optionally `cargo bench -- 100000` for one size). The peak is
//! the child process's resident high-water mark (`VmHWM`), watched while it runs; its CPU
//! time (user + system, from `/proc`) is shown too, as the wall time of a machine shared
//! with other work says little. With `WERKPLAN_BENCH_KEEP` set the generated workbooks and
//! outputs are kept (for profiling); `WERKPLAN_BENCH_BIN` names another `werkplan` binary
//! to time (an older build, for a before/after comparison; the stages are always this one).

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{C, n, t, werkplan2022};

/// The 2022 workbook with `lines` extra budget lines spread over the six themes in both
/// budget tables (half each) and as many parts, like a department that itemises everything.
fn workbook(dir: &Path, lines: usize) {
    let mut sheets = werkplan2022::sheets();
    let per_table = lines / 2;
    for (index, sheet) in sheets.iter_mut().enumerate() {
        let rows = &mut sheet.rows;
        let total = rows.pop(); // keep the Totaal row last
        match index {
            1 => {
                for i in 0..per_table {
                    let theme = 1 + (i % 6) as u32;
                    let euros = 1_000.0 + (i % 997) as f64 + 0.25;
                    rows.push(vec![
                        n(f64::from(theme)),
                        t(&format!("x{i}")),
                        t(&format!("Regel {i}")),
                        C::E,
                        n(euros),
                        n(euros),
                        n(euros),
                        n(euros),
                    ]);
                }
            }
            2 => {
                for i in 0..per_table {
                    let theme = 1 + (i % 6) as u32;
                    rows.push(vec![
                        n(f64::from(theme)),
                        t(&format!("x{i}")),
                        t(&format!("Project {i}")),
                        n(10_000.0),
                        n(1_000.0),
                        n(2_000.5),
                        n(3_000.0),
                    ]);
                }
            }
            _ => {}
        }
        rows.extend(total);
    }
    // the stated totals no longer match: that only adds findings, which is part of the work
    support::write_workbook(dir, "groot.xlsx", &sheets);
}

/// `VmHWM` of a running process, in MiB.
fn peak_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// CPU time (user + system) of a running process so far, in seconds (`/proc/<pid>/stat`,
/// in clock ticks of 1/100 s).
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // the fields after the command name (which may hold spaces) in parentheses
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// What one build took.
struct Built {
    wall: Duration,
    /// CPU seconds, as last seen while it ran (at most a poll interval short).
    cpu: f64,
    /// Peak resident memory, MiB.
    peak: f64,
    code: Option<i32>,
}

/// One `werkplan build` of `input` into `output`.
fn build(input: &Path, output: &Path) -> Built {
    let binary = std::env::var_os("WERKPLAN_BENCH_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_werkplan").into());
    let start = Instant::now();
    let mut child = Command::new(binary)
        .arg("build")
        .arg("--input")
        .arg(input)
        .arg("--output")
        .arg(output)
        .arg("--quiet")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the werkplan binary runs");
    let (mut peak, mut cpu) = (0.0f64, 0.0f64);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if let Some(mib) = peak_mib(child.id()) {
            peak = peak.max(mib);
        }
        if let Some(seconds) = cpu_seconds(child.id()) {
            cpu = cpu.max(seconds);
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    Built {
        wall: start.elapsed(),
        cpu,
        peak,
        code: status.code(),
    }
}

/// The stages of a build in this process, timed one by one: (name, seconds).
fn stages(input: &Path) -> Vec<(&'static str, f64)> {
    let mut times = Vec::new();
    let mut start = Instant::now();
    let mut lap = |name: &'static str, times: &mut Vec<(&'static str, f64)>| {
        times.push((name, start.elapsed().as_secs_f64()));
        start = Instant::now();
    };
    let loaded = werkplan::app::load(input, None, None).expect("the generated workbook is valid");
    lap("inlezen+rekenen", &mut times);
    let json =
        werkplan::render::json::render(&loaded.werkplan, &loaded.report, &loaded.appendix.tables)
            .expect("json");
    lap("json", &mut times);
    let xlsx = werkplan::render::xlsx::render(&loaded.appendix).expect("xlsx");
    lap("xlsx", &mut times);
    let pdf = werkplan::render::pdf::render(
        &loaded.appendix,
        &werkplan::render::pdf::PdfOptions::default(),
    )
    .expect("pdf");
    lap("pdf", &mut times);
    let html = werkplan::render::html::render(&loaded.appendix, &loaded.texts).expect("html");
    lap("html", &mut times);
    let control_xlsx = werkplan::render::xlsx::render_control(&loaded.appendix).expect("xlsx");
    lap("controle-xlsx", &mut times);
    let control_pdf = werkplan::render::pdf::render_control(
        &loaded.appendix,
        &werkplan::render::pdf::PdfOptions::default(),
    )
    .expect("pdf");
    lap("controle-pdf", &mut times);
    drop((json, xlsx, pdf, html, control_xlsx, control_pdf));
    times
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000, 100_000]
    } else {
        sizes
    };
    println!(
        "{:>10} {:>10} {:>10} {:>10} {:>10} {:>10}   uitvoer / stappen",
        "regels", "bestand", "cellen", "tijd", "cpu", "piek"
    );
    for lines in sizes {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-{lines}"));
        let _ = std::fs::remove_dir_all(&dir);
        let (input, output) = (dir.join("in"), dir.join("uit"));
        std::fs::create_dir_all(&input).expect("bench folder");
        workbook(&input, lines);
        let size = std::fs::metadata(input.join("groot.xlsx"))
            .map(|m| m.len())
            .unwrap_or(0);
        let built = build(&input, &output);
        let written: u64 = std::fs::read_dir(&output)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok()?.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0);
        let stages = stages(&input);
        let total: f64 = stages.iter().map(|(_, s)| s).sum();
        let stages = stages
            .iter()
            .map(|(name, s)| format!("{name} {s:.2} s"))
            .chain(std::iter::once(format!("samen {total:.2} s")))
            .collect::<Vec<_>>()
            .join(", ");
        println!(
            "{:>10} {:>7.1} MB {:>10} {:>8.2} s {:>8.2} s {:>6.0} MiB   exit {}, {:.0} MB geschreven; {stages}",
            lines,
            size as f64 / 1e6,
            lines * 7,
            built.wall.as_secs_f64(),
            built.cpu,
            built.peak,
            built.code.map_or("-".to_string(), |c| c.to_string()),
            written as f64 / 1e6,
        );
        if std::env::var_os("WERKPLAN_BENCH_KEEP").is_none() {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}
