//! Reading workbooks with calamine into [`Grid`]s: which files, which sheets, which cells.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{Data, DataRef, Reader, Sheets, open_workbook_auto_from_rs};
use sha2::{Digest, Sha256};

use crate::compute::Finding;
use crate::ingest::grid::{Grid, RawCell};
use crate::ingest::header::SheetKind;
use crate::ingest::limits::{Limits, mib};
use crate::model::{Place, SourceFile};

/// The file extensions read from the input folder.
pub const EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// A workbook file in the input folder.
#[derive(Clone, Debug)]
pub struct InputFile {
    /// The path to open.
    pub path: PathBuf,
    /// The path as the user reads it in messages (`input/werkplan-2022.xlsx`).
    pub shown: String,
}

/// Lists the workbooks in `dir`, by name: lock files (`~$*`) and hidden files skipped.
///
/// # Errors
/// A folder that does not exist, cannot be read, or holds no workbook.
pub fn list_files(dir: &Path, shown_dir: &str) -> Result<Vec<InputFile>, Box<Finding>> {
    let place = Place::file(shown_dir.to_string());
    if !dir.exists() {
        return Err(Box::new(Finding::input(place, "de invoermap bestaat niet")));
    }
    if !dir.is_dir() {
        return Err(Box::new(Finding::input(
            place,
            "dit is geen map; verwacht een map met werkboeken",
        )));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Box::new(Finding::input(
            place.clone(),
            format!("de invoermap kan niet worden gelezen: {e}"),
        ))
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| {
            Box::new(Finding::input(
                place.clone(),
                format!("de invoermap kan niet worden gelezen: {e}"),
            ))
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let extension = Path::new(&name)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if !EXTENSIONS.contains(&extension.as_str()) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            continue;
        }
        files.push(InputFile {
            shown: join_shown(shown_dir, &name),
            path,
        });
    }
    files.sort_by(|a, b| a.shown.cmp(&b.shown));
    if files.is_empty() {
        return Err(Box::new(Finding::input(
            place,
            format!(
                "de invoermap bevat geen werkboek (verwacht bestanden met de extensie {})",
                EXTENSIONS.map(|e| format!(".{e}")).join(", ")
            ),
        )));
    }
    Ok(files)
}

fn join_shown(dir: &str, name: &str) -> String {
    if dir.is_empty() || dir == "." {
        name.to_string()
    } else {
        format!("{}/{name}", dir.trim_end_matches('/'))
    }
}

/// A workbook's bytes and its recognised sheets.
pub struct OpenedFile {
    /// The file.
    pub file: InputFile,
    /// Its SHA-256.
    pub source: SourceFile,
    /// The recognised sheets, read.
    pub grids: Vec<Grid>,
}

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ZIP_MAGIC: [u8; 4] = [b'P', b'K', 3, 4];

/// Reads one workbook: its hash and its recognised sheets, within `limits`.
///
/// # Errors
/// A file that cannot be read, is too large, is not a workbook, is protected with a
/// password, unpacks beyond the limits; sheets that cannot be read or hold too many cells.
pub fn open(file: &InputFile, limits: &Limits) -> Result<OpenedFile, Vec<Finding>> {
    let place = Place::file(file.shown.clone());
    let fail = |message: String| vec![Finding::input(place.clone(), message)];
    let size = std::fs::metadata(&file.path)
        .map_err(|e| fail(format!("het bestand kan niet worden gelezen: {e}")))?
        .len();
    if size > limits.max_file_bytes {
        return Err(fail(format!(
            "het bestand is {} groot; de grens is {} (--max-bestand-mib)",
            mib(size),
            mib(limits.max_file_bytes)
        )));
    }
    let bytes = std::fs::read(&file.path)
        .map_err(|e| fail(format!("het bestand kan niet worden gelezen: {e}")))?;
    let sha256 = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let source = SourceFile {
        path: file.shown.clone(),
        sha256,
    };
    if bytes.starts_with(&CFB_MAGIC) && is_encrypted_ooxml(&bytes) {
        return Err(fail(
            "het werkboek is met een wachtwoord beveiligd; sla het op zonder wachtwoord (of lever een onbeveiligde kopie) en probeer opnieuw"
                .to_string(),
        ));
    }
    if bytes.starts_with(&ZIP_MAGIC) {
        check_zip(&bytes, limits).map_err(fail)?;
    }
    let mut workbook: Sheets<Cursor<Vec<u8>>> =
        open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| fail(workbook_error(&e)))?;
    let mut grids = Vec::new();
    let mut errors = Vec::new();
    for sheet in workbook.sheet_names() {
        let Some(kind) = SheetKind::recognise(&sheet) else {
            continue;
        };
        let sheet_place = Place::sheet(file.shown.clone(), sheet.clone());
        let read = match &mut workbook {
            Sheets::Xlsx(xlsx) => read_xlsx_sheet(xlsx, &sheet, limits),
            other => read_range(other, &sheet, limits),
        };
        match read {
            Ok((cells, merged)) => grids.push(Grid::from_cells(
                file.shown.clone(),
                sheet.clone(),
                kind,
                cells,
                merged,
            )),
            Err(message) => errors.push(Finding::input(sheet_place, message)),
        }
    }
    if errors.is_empty() {
        Ok(OpenedFile {
            file: file.clone(),
            source,
            grids,
        })
    } else {
        Err(errors)
    }
}

/// An OOXML file encrypted with a password is a compound file holding `EncryptedPackage`.
fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// A Dutch message for a workbook calamine cannot open.
fn workbook_error(error: &calamine::Error) -> String {
    let detail = error.to_string();
    if detail.to_lowercase().contains("password") {
        return "het werkboek is met een wachtwoord beveiligd; sla het op zonder wachtwoord en probeer opnieuw".to_string();
    }
    format!(
        "het bestand is geen leesbaar werkboek of is beschadigd ({detail}); open het in Excel of LibreOffice, sla het op als .xlsx en probeer opnieuw"
    )
}

/// Checks a zip archive (xlsx, xlsm, ods) before it is opened: every part is unpacked
/// into nothing while counting, so neither a lying header nor a zip bomb gets past the
/// limit, and nothing is kept in memory.
fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("het bestand is beschadigd of afgekapt ({e}); open het in Excel of LibreOffice en sla het opnieuw op"))?;
    let limit = limits.max_unpacked_bytes;
    let too_large = |what: &str| {
        format!(
            "{what} pakt uit tot meer dan {} (--max-uitgepakt-mib); zo'n groot werkboek wordt niet gelezen (mogelijk een zip-bom)",
            mib(limit)
        )
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| format!("het bestand is beschadigd ({e}); sla het opnieuw op"))?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        if entry.size() > limit.saturating_sub(total) {
            return Err(too_large(&format!("het onderdeel {name}")));
        }
        let budget = limit.saturating_sub(total);
        let unpacked = std::io::copy(
            &mut (&mut entry).take(budget.saturating_add(1)),
            &mut std::io::sink(),
        )
        .map_err(|e| {
            format!(
                "het bestand is beschadigd of afgekapt: onderdeel {name} ({e}); sla het opnieuw op"
            )
        })?;
        if unpacked > budget {
            return Err(too_large(&format!("het onderdeel {name}")));
        }
        total += unpacked;
    }
    Ok(())
}

/// Sparse cells of a sheet: absolute (row, column) and value.
type Cells = Vec<(u32, u32, RawCell)>;
/// Merged ranges: absolute (first row, first column), (last row, last column).
type Merged = Vec<((u32, u32), (u32, u32))>;

/// Streams an xlsx sheet cell by cell, never by its claimed dimension, with formulas, so a
/// formula without a cached value is seen; stops at the cell limit.
fn read_xlsx_sheet(
    xlsx: &mut calamine::Xlsx<Cursor<Vec<u8>>>,
    sheet: &str,
    limits: &Limits,
) -> Result<(Cells, Merged), String> {
    let merged = match xlsx.merge_cells_by_sheet_name(sheet) {
        Ok(regions) => regions.iter().map(|d| (d.start, d.end)).collect(),
        Err(_) => Vec::new(),
    };
    let mut reader = xlsx
        .worksheet_cells_reader(sheet)
        .map_err(|e| format!("het blad kan niet worden gelezen: {e}"))?;
    let mut cells = Vec::new();
    let mut seen: u64 = 0;
    while let Some(cell) = reader
        .next_cell_with_formula()
        .map_err(|e| format!("het blad kan niet worden gelezen: {e}"))?
    {
        let (row, col) = cell.pos;
        let raw = raw_cell_ref(&cell.value);
        let raw = match (&cell.formula, raw) {
            (Some(f), RawCell::Empty) if !f.is_empty() => RawCell::FormulaWithoutValue(f.clone()),
            (Some(f), RawCell::Text(t)) if !f.is_empty() && t.is_empty() => {
                RawCell::FormulaWithoutValue(f.clone())
            }
            (_, raw) => raw,
        };
        if raw == RawCell::Empty {
            continue;
        }
        seen += 1;
        if seen > limits.max_cells {
            return Err(too_many_cells(limits));
        }
        cells.push((row, col, raw));
    }
    Ok((cells, merged))
}

fn too_many_cells(limits: &Limits) -> String {
    format!(
        "het blad heeft meer dan {} gevulde cellen (--max-cellen); zo'n groot blad wordt niet gelezen",
        limits.max_cells
    )
}

/// Reads a sheet of another format (xls, ods) through calamine's range.
fn read_range(
    workbook: &mut Sheets<Cursor<Vec<u8>>>,
    sheet: &str,
    limits: &Limits,
) -> Result<(Cells, Merged), String> {
    let range = workbook
        .worksheet_range(sheet)
        .map_err(|e| format!("het blad kan niet worden gelezen: {e}"))?;
    let mut cells = Vec::new();
    for (row, col, data) in range.used_cells() {
        let raw = raw_cell(data);
        if raw == RawCell::Empty {
            continue;
        }
        if cells.len() as u64 >= limits.max_cells {
            return Err(too_many_cells(limits));
        }
        let (r0, c0) = range.start().unwrap_or((0, 0));
        cells.push((r0 + row as u32, c0 + col as u32, raw));
    }
    Ok((cells, Vec::new()))
}

/// A date for messages: `31-12-2021`.
fn date_text(date: &calamine::ExcelDateTime) -> String {
    let (year, month, day, ..) = date.to_ymd_hms_milli();
    format!("{day:02}-{month:02}-{year:04}")
}

/// One calamine value as a raw cell.
fn raw_cell(data: &Data) -> RawCell {
    match data {
        Data::Empty => RawCell::Empty,
        Data::String(s) => RawCell::Text(s.clone()),
        Data::Float(f) => RawCell::Float(*f),
        Data::Int(i) => RawCell::Int(*i),
        Data::Bool(b) => RawCell::Bool(*b),
        Data::DateTime(d) => RawCell::Date(date_text(d)),
        Data::DateTimeIso(d) | Data::DurationIso(d) => RawCell::Date(d.clone()),
        Data::Error(e) => RawCell::Error(e.to_string()),
    }
}

/// One streamed calamine value as a raw cell.
fn raw_cell_ref(data: &DataRef) -> RawCell {
    match data {
        DataRef::Empty => RawCell::Empty,
        DataRef::String(s) => RawCell::Text(s.clone()),
        DataRef::SharedString(s) => RawCell::Text((*s).to_string()),
        DataRef::Float(f) => RawCell::Float(*f),
        DataRef::Int(i) => RawCell::Int(*i),
        DataRef::Bool(b) => RawCell::Bool(*b),
        DataRef::DateTime(d) => RawCell::Date(date_text(d)),
        DataRef::DateTimeIso(d) | DataRef::DurationIso(d) => RawCell::Date(d.clone()),
        DataRef::Error(e) => RawCell::Error(e.to_string()),
    }
}
