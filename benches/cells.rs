//! Benchmark: the memory and time of reading a workbook with millions of cells, as the
//! red-team case of issue 9: five recognised sheets, each just under `--max-cellen`
//! (5 × 4.9 million numbers), 0.9 MB on disk. Runs the release binary's `werkplan check`
//! under `/usr/bin/time` and prints wall time and peak resident memory.
//!
//! Run with `cargo bench --bench cells` (optionally `-- 1000000` for the cells per sheet).
//! The workbook is written by hand (zip of plain sheet XML, no styles or shared strings),
//! streamed, so the generator itself needs little memory.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// The sheets of the werkplan, as the reader recognises them.
const SHEETS: [&str; 5] = [
    "Thema's",
    "Reguliere middelen",
    "Drenthe-brede projecten",
    "Alliantiebudget",
    "Alliantieprojecten",
];

/// Filled cells per row of the generated sheets.
const COLUMNS: usize = 70;

/// Writes `cells` numbers (rounded up to whole rows of [`COLUMNS`]) into each of the five
/// sheets of `path`.
fn workbook(path: &Path, cells: usize) -> std::io::Result<()> {
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(BufWriter::new(File::create(path)?));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    let mut sheets = String::new();
    let mut rels = String::new();
    for (i, name) in SHEETS.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        sheets.push_str(&format!(
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            name.replace('\'', "&apos;")
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
    }
    types.push_str("</Types>");
    zip.start_file("[Content_Types].xml", options)?;
    zip.write_all(types.as_bytes())?;
    zip.start_file("_rels/.rels", options)?;
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#)?;
    zip.start_file("xl/workbook.xml", options)?;
    zip.write_all(format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>"#).as_bytes())?;
    zip.start_file("xl/_rels/workbook.xml.rels", options)?;
    zip.write_all(format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#).as_bytes())?;
    let rows = cells.div_ceil(COLUMNS);
    for n in 1..=SHEETS.len() {
        zip.start_file(format!("xl/worksheets/sheet{n}.xml"), options)?;
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#)?;
        for r in 1..=rows {
            let mut row = format!(r#"<row r="{r}">"#);
            for c in 0..COLUMNS {
                // cells without a reference follow each other; a few distinct values
                row.push_str(&format!("<c><v>{}</v></c>", (r + c) % 10));
            }
            row.push_str("</row>");
            zip.write_all(row.as_bytes())?;
        }
        zip.write_all(b"</sheetData></worksheet>")?;
    }
    zip.finish()?.flush()
}

fn main() -> std::io::Result<()> {
    let cells: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(4_900_000);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cells-{cells}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("cellen.xlsx");
    workbook(&path, cells)?;
    let size = std::fs::metadata(&path)?.len();
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%e %M"])
        .arg(env!("CARGO_BIN_EXE_werkplan"))
        .arg("check")
        .arg("--input")
        .arg(&dir)
        .arg("--quiet")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut figures = stderr.lines().last().unwrap_or("").split_whitespace();
    let wall: f64 = figures
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(f64::NAN);
    let kib: f64 = figures
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(f64::NAN);
    println!(
        "5 bladen × {cells} cellen ({:.1} MB): werkplan check {wall:.1} s, piek {:.0} MiB, {:.0} bytes per cel (exit {:?})",
        size as f64 / 1e6,
        kib / 1024.0,
        kib * 1024.0 / (5.0 * cells as f64),
        output.status.code()
    );
    Ok(())
}
