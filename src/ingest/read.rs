//! Reading workbooks with calamine into [`Grid`]s: which files, which sheets, which cells.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Sheets, open_workbook_auto_from_rs};
use sha2::{Digest, Sha256};

use crate::compute::Finding;
use crate::ingest::grid::{Grid, RawCell};
use crate::ingest::header::SheetKind;
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
        if !path.is_file() {
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

/// Reads one workbook: its hash and its recognised sheets.
///
/// # Errors
/// A file that cannot be read or is not a workbook; sheets that cannot be read.
pub fn open(file: &InputFile) -> Result<OpenedFile, Vec<Finding>> {
    let place = Place::file(file.shown.clone());
    let bytes = std::fs::read(&file.path).map_err(|e| {
        vec![Finding::input(
            place.clone(),
            format!("het bestand kan niet worden gelezen: {e}"),
        )]
    })?;
    let sha256 = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let source = SourceFile {
        path: file.shown.clone(),
        sha256,
    };
    let mut workbook: Sheets<Cursor<Vec<u8>>> = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| vec![Finding::input(place.clone(), format!("het bestand is geen leesbaar werkboek ({e}); sla het op als .xlsx en probeer opnieuw"))])?;
    let mut grids = Vec::new();
    let mut errors = Vec::new();
    for sheet in workbook.sheet_names() {
        let Some(kind) = SheetKind::recognise(&sheet) else {
            continue;
        };
        match workbook.worksheet_range(&sheet) {
            Ok(range) => {
                let origin = range.start().unwrap_or((0, 0));
                let rows = range
                    .rows()
                    .map(|row| row.iter().map(raw_cell).collect())
                    .collect();
                grids.push(Grid {
                    file: file.shown.clone(),
                    sheet: sheet.clone(),
                    kind,
                    origin,
                    rows,
                    merged: Vec::new(),
                });
            }
            Err(e) => errors.push(Finding::input(
                Place::sheet(file.shown.clone(), sheet.clone()),
                format!("het blad kan niet worden gelezen: {e}"),
            )),
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

/// One calamine value as a raw cell.
fn raw_cell(data: &Data) -> RawCell {
    match data {
        Data::Empty => RawCell::Empty,
        Data::String(s) => RawCell::Text(s.clone()),
        Data::Float(f) => RawCell::Float(*f),
        Data::Int(i) => RawCell::Int(*i),
        Data::Bool(b) => RawCell::Bool(*b),
        Data::DateTime(d) => RawCell::Date(d.to_string()),
        Data::DateTimeIso(d) | Data::DurationIso(d) => RawCell::Date(d.clone()),
        Data::Error(e) => RawCell::Error(e.to_string()),
    }
}
