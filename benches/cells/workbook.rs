//! The red-team workbook of issue 9, written by hand: five recognised sheets of numbers
//! only (a zip of plain sheet XML, no styles or shared strings), streamed, so the generator
//! needs little memory. Shared by `benches/cells.rs` and `tests/memory.rs`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

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
pub fn workbook(path: &Path, cells: usize) -> std::io::Result<()> {
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
