//! Benchmark: the whole pipeline (read, model, compute, report tables, JSON) on generated
//! workbooks of growing size. Prints wall time and peak memory per size.
//!
//! Run with `cargo bench` (optionally `cargo bench -- 100000` for one size). The peak is
//! the process's resident high-water mark (`VmHWM`), reset before each measured run.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::time::Instant;

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

fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000, 100_000, 400_000]
    } else {
        sizes
    };
    println!(
        "{:>10} {:>12} {:>10} {:>12} {:>12}",
        "regels", "bestand", "cellen", "tijd", "piek"
    );
    for lines in sizes {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-{lines}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("bench folder");
        workbook(&dir, lines);
        let size = std::fs::metadata(dir.join("groot.xlsx"))
            .map(|m| m.len())
            .unwrap_or(0);
        reset_peak();
        let start = Instant::now();
        let loaded =
            werkplan::app::load(&dir, None, None).expect("the generated workbook is valid");
        let json = werkplan::render::json::render(
            &loaded.werkplan,
            &loaded.report,
            &loaded.appendix.tables,
        )
        .expect("json");
        let elapsed = start.elapsed();
        let lines_read: usize = loaded
            .report
            .regulier
            .sections
            .iter()
            .chain(&loaded.report.drenthe_breed.sections)
            .map(|s| s.lines.len())
            .sum();
        println!(
            "{:>10} {:>9.1} MB {:>10} {:>10.2} s {:>8.0} MiB   (json {:.0} MB, {} bevindingen)",
            lines_read,
            size as f64 / 1e6,
            lines_read * 7,
            elapsed.as_secs_f64(),
            peak_mib().unwrap_or(f64::NAN),
            json.len() as f64 / 1e6,
            loaded.report.findings.len()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
