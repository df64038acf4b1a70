//! Reading workbooks with calamine into [`Grid`]s: which files, which sheets, which cells.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use calamine::{Data, DataRef, Reader, Sheets, open_workbook_auto_from_rs};
use sha2::{Digest, Sha256};

use crate::ingest::grid::{Grid, GridBuilder, RawCell};
use crate::ingest::header::SheetKind;
use crate::ingest::ledger::ScanError;
use crate::ingest::ledger::workbook::LedgerReader;
use crate::ingest::ledger::xlsx::LedgerWorkbook;
use crate::ingest::limits::{Limits, dutch_count, mib};
use crate::ingest::merged::{MergeScan, Merged};
use crate::model::Finding;
use crate::model::{Name, Place, SourceFile, a1};

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

/// The workbooks of the input folder, and warnings about files that are there but not read.
#[derive(Debug, Default)]
pub struct Listing {
    /// The entries with a workbook name, by name (folders and pipes among them: they are
    /// refused when opened, never skipped in silence).
    pub files: Vec<InputFile>,
    /// Remarks about files that are there but not read.
    pub warnings: Vec<Finding>,
    /// Ledger and register exports as text (`Boekingen*.csv`, `Verplichtingen*.csv`), by
    /// name, each with its kind.
    pub ledger_files: Vec<(InputFile, SheetKind)>,
}

/// The extensions of ledger exports as text.
const LEDGER_EXTENSIONS: [&str; 1] = ["csv"];

/// Lists the workbooks in `dir`, by name: lock files (`~$*`) and hidden files skipped.
///
/// # Errors
/// A folder that does not exist, cannot be read, or holds no workbook.
pub fn list_files(dir: &Path, shown_dir: &str) -> Result<Listing, Box<Finding>> {
    let place = Place::file(shown_dir.to_string());
    if !dir.exists() {
        return Err(Box::new(Finding::input_error(
            place,
            "de invoermap bestaat niet",
        )));
    }
    if !dir.is_dir() {
        return Err(Box::new(Finding::input_error(
            place,
            "dit is geen map; verwacht een map met werkboeken",
        )));
    }
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Box::new(Finding::input_error(
            place.clone(),
            format!("de invoermap kan niet worden gelezen: {}", io_reason(&e)),
        ))
    })?;
    let mut files = Vec::new();
    let warnings = Vec::new();
    let mut ledger_files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| {
            Box::new(Finding::input_error(
                place.clone(),
                format!("de invoermap kan niet worden gelezen: {}", io_reason(&e)),
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
        if LEDGER_EXTENSIONS.contains(&extension.as_str()) {
            let stem = Path::new(&name)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Some(kind) = SheetKind::recognise(&stem).filter(|k| k.may_repeat()) {
                let file = InputFile {
                    shown: join_shown(shown_dir, &name),
                    path: entry.path(),
                };
                ledger_files.push((file, kind));
            }
            continue;
        }
        if !EXTENSIONS.contains(&extension.as_str()) {
            continue;
        }
        let path = entry.path();
        // a folder (or pipe) with a workbook name is kept: `open` refuses it with a reason
        files.push(InputFile {
            shown: join_shown(shown_dir, &name),
            path,
        });
    }
    files.sort_by(|a, b| a.shown.cmp(&b.shown));
    ledger_files.sort_by(|a, b| a.0.shown.cmp(&b.0.shown));
    if files.is_empty() {
        return Err(Box::new(Finding::input_error(
            place,
            format!(
                "de invoermap bevat geen werkboek (verwacht bestanden met de extensie {})",
                EXTENSIONS.map(|e| format!(".{e}")).join(", ")
            ),
        )));
    }
    Ok(Listing {
        files,
        warnings,
        ledger_files,
    })
}

fn join_shown(dir: &str, name: &str) -> String {
    if dir.is_empty() || dir == "." {
        name.to_string()
    } else {
        format!("{}/{name}", dir.trim_end_matches('/'))
    }
}

/// An opened workbook: its hash and sheet names; its recognised sheets are read one at a
/// time by [`OpenedFile::next_sheet`], so a caller can let go of one sheet's cells before
/// the next is read (five sheets of millions of cells are never all in memory).
pub struct OpenedFile {
    /// The file.
    pub file: InputFile,
    /// Its SHA-256.
    pub source: SourceFile,
    /// The names of all its sheets, recognised or not (for messages about missing ones).
    pub sheet_names: Vec<String>,
    /// The file's name, shared by the places of its cells.
    shown: Name,
    /// calamine's workbook; let go of when an xlsx's ledger sheets are read
    /// ([`OpenedFile::ledger_reader`]).
    workbook: Option<Sheets<Source>>,
    limits: Limits,
    /// The recognised budget sheets not read yet, last first.
    pending: Vec<(String, SheetKind)>,
    /// The ledger and register sheets, in workbook order: streamed through
    /// [`OpenedFile::ledger_reader`], never read into a grid.
    pub ledger_sheets: Vec<(String, SheetKind)>,
    /// The file's bytes (shared with calamine).
    bytes: SharedBytes,
    /// An xlsx's merged cells per budget sheet, found by the zip check
    /// ([`crate::ingest::merged`]); a sheet not listed has them read by calamine.
    merged: SheetMerges,
    /// The cells of an `.ods` whose value type is a percentage, or of an `.xls` whose number
    /// format shows one (none for `.xlsx`, marked from its styles when a sheet is read).
    percent: crate::ingest::ods::PercentCells,
}

impl OpenedFile {
    /// The file's name as messages show it.
    pub fn shown(&self) -> &Name {
        &self.shown
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        self.bytes.as_ref()
    }

    /// The reader of this file's ledger and register sheets: the one place where it is
    /// chosen. An xlsx is read by the sheet-XML scanner ([`LedgerWorkbook`], bounded by
    /// `--max-boekingen-mib` as it inflates), other formats by calamine's ranges.
    ///
    /// Called after the budget sheets are read ([`OpenedFile::next_sheet`]), it lets go of
    /// an xlsx's calamine workbook first, so that calamine's copy of the shared strings (a
    /// million booking texts in a big ledger) is gone before the scanner loads its own.
    ///
    /// # Errors
    /// A workbook whose ledger sheets cannot be read at all.
    pub fn ledger_reader(&mut self) -> Result<LedgerReader<'_>, ScanError> {
        if matches!(self.workbook, Some(Sheets::Xlsx(_))) && self.pending.is_empty() {
            self.workbook = None;
        }
        match &mut self.workbook {
            // only an xlsx's workbook is let go of
            Some(Sheets::Xlsx(_)) | None => Ok(LedgerReader::Xlsx(LedgerWorkbook::open(
                self.bytes.as_ref(),
                self.limits.max_ledger_unpacked_bytes,
            )?)),
            Some(other) => Ok(LedgerReader::Range(other, &self.limits)),
        }
    }

    /// Reads the next recognised sheet, in workbook order: its grid, or why it cannot be
    /// read (naming the sheet); `None` when all were read.
    pub fn next_sheet(&mut self) -> Option<Result<Grid, Finding>> {
        let workbook = self.workbook.as_mut()?;
        let (sheet, kind) = self.pending.pop()?;
        let limits = &self.limits;
        let builder = Grid::builder(self.shown.clone(), sheet.as_str(), kind);
        let read = match workbook {
            Sheets::Xlsx(xlsx) => {
                let merged = self
                    .merged
                    .iter()
                    .position(|(name, _)| *name == sheet)
                    .map(|at| self.merged.swap_remove(at).1);
                read_xlsx_sheet(xlsx, &sheet, merged, builder, limits)
                    .and_then(|grid| mark_percent_cells(xlsx, &sheet, grid, limits))
            }
            other => read_range(other, &sheet, builder, limits).map(|mut grid| {
                mark_percent(&mut grid, self.percent.of(&sheet));
                grid
            }),
        };
        Some(read.map_err(|message| {
            Finding::input_error(Place::sheet(self.shown.clone(), sheet), message)
        }))
    }
}

/// A workbook's bytes, shared between calamine and the ledger reader without a copy.
#[derive(Clone, Debug)]
pub struct SharedBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// What calamine reads a workbook from.
pub type Source = Cursor<SharedBytes>;

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ZIP_MAGIC: [u8; 4] = [b'P', b'K', 3, 4];

/// Reads one workbook: its hash and its recognised sheets, within `limits`.
///
/// # Errors
/// A file that cannot be read, is too large, is not a workbook, is protected with a
/// password, or unpacks beyond the limits. Sheets that cannot be read are in `errors`.
pub fn open(file: &InputFile, limits: &Limits) -> Result<OpenedFile, Vec<Finding>> {
    let place = Place::file(file.shown.clone());
    let fail = |message: String| vec![Finding::input_error(place.clone(), message)];
    let metadata = std::fs::metadata(&file.path).map_err(|e| fail(io_error(&e)))?;
    if metadata.is_dir() {
        return Err(fail("dit is een map, geen werkboek, al eindigt de naam op een werkboekextensie; hernoem of verwijder de map (werkboeken in submappen worden niet gelezen)".to_string()));
    }
    if !metadata.is_file() {
        // a named pipe or device would block or never end
        return Err(fail("dit is geen gewoon bestand (maar bijvoorbeeld een pipe of apparaat); verwacht een werkboek".to_string()));
    }
    let size = metadata.len();
    if size > limits.max_file_bytes {
        return Err(fail(format!(
            "het bestand is {} groot; de grens is {} (--max-bestand-mib)",
            mib(size),
            mib(limits.max_file_bytes)
        )));
    }
    let bytes = std::fs::read(&file.path).map_err(|e| fail(io_error(&e)))?;
    let sha256 = lowercase_hex(&Sha256::digest(&bytes));
    let source = SourceFile {
        path: file.shown.clone(),
        sha256,
    };
    if bytes.starts_with(&CFB_MAGIC) && is_encrypted_ooxml(&bytes) {
        return Err(fail(PASSWORD.to_string()));
    }
    // an .xls: calamine does not pass number formats on, so its percent cells are found here
    let mut percent = if bytes.starts_with(&CFB_MAGIC) {
        crate::ingest::xls::percent_cells(&bytes)
    } else {
        crate::ingest::ods::PercentCells::default()
    };
    let mut merged = Vec::new();
    if bytes.starts_with(&ZIP_MAGIC) {
        merged = check_zip(&bytes, limits).map_err(|(sheet, message)| {
            let place = match sheet {
                Some(sheet) => Place::sheet(file.shown.clone(), sheet),
                None => place.clone(),
            };
            vec![Finding::input_error(place, message)]
        })?;
        // an .ods is unfolded into dense ranges when it is opened: count first (and note
        // its percent cells)
        percent = crate::ingest::ods::check_cells(&bytes, limits).map_err(|(sheet, message)| {
            let place = match sheet {
                Some(sheet) => Place::sheet(file.shown.clone(), sheet),
                None => place.clone(),
            };
            vec![Finding::input_error(place, message)]
        })?;
    }
    let kind_of_bytes = not_a_workbook_reason(&bytes);
    let bytes = SharedBytes(Arc::new(bytes));
    let workbook: Sheets<Source> = open_workbook_auto_from_rs(Cursor::new(bytes.clone()))
        .map_err(|_| fail(workbook_error(&bytes, kind_of_bytes)))?;
    let sheet_names = workbook.sheet_names();
    let recognised = sheet_names
        .iter()
        .filter_map(|sheet| SheetKind::recognise(sheet).map(|kind| (sheet.clone(), kind)));
    let (ledger_sheets, mut pending): (Vec<_>, Vec<_>) =
        recognised.partition(|(_, kind)| kind.may_repeat());
    pending.reverse();
    Ok(OpenedFile {
        file: file.clone(),
        source,
        sheet_names,
        shown: Name::from(&file.shown),
        workbook: Some(workbook),
        limits: *limits,
        pending,
        ledger_sheets,
        bytes,
        merged,
        percent,
    })
}

const PASSWORD: &str = "het werkboek is met een wachtwoord beveiligd; sla het op zonder wachtwoord (of lever een onbeveiligde kopie) en probeer opnieuw";

/// Advice at the end of a message about a broken file.
pub(crate) const SAVE_AGAIN: &str =
    "open het in Excel of LibreOffice, sla het op als .xlsx en probeer opnieuw";

/// A digest as the report prints it: lowercase hexadecimal.
pub(crate) fn lowercase_hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a file or folder cannot be read, in Dutch.
pub fn io_reason(error: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "het bestaat niet (een snelkoppeling naar een verdwenen bestand?)",
        ErrorKind::PermissionDenied => "geen toestemming",
        ErrorKind::IsADirectory => "dit is een map, geen bestand",
        ErrorKind::NotADirectory => "een deel van het pad is een bestand, geen map",
        ErrorKind::StorageFull => "de schijf is vol",
        ErrorKind::ReadOnlyFilesystem => "het bestandssysteem is alleen-lezen",
        ErrorKind::InvalidData => "de inhoud is onleesbaar",
        _ => "het besturingssysteem weigert dit",
    }
}

/// A Dutch message for a file that cannot be read.
pub(crate) fn io_error(error: &std::io::Error) -> String {
    format!("het bestand kan niet worden gelezen: {}", io_reason(error))
}

/// An OOXML file encrypted with a password is a compound file holding `EncryptedPackage`.
fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// What the bytes look like, for the message when calamine cannot open them.
fn not_a_workbook_reason(bytes: &[u8]) -> &'static str {
    if bytes.is_empty() {
        "het bestand is leeg"
    } else if bytes.starts_with(&ZIP_MAGIC) {
        "het bestand is beschadigd of afgekapt"
    } else if bytes.starts_with(&CFB_MAGIC) {
        "het bestand lijkt een oud Excel-bestand (.xls) maar is beschadigd"
    } else if bytes.starts_with(b"%PDF") {
        "het bestand is een PDF, geen werkboek"
    } else {
        "het bestand is geen werkboek (geen Excel- of OpenDocument-indeling), ook al eindigt de naam daarop"
    }
}

/// A Dutch message for a workbook calamine cannot open.
fn workbook_error(bytes: &SharedBytes, reason: &str) -> String {
    if password_protected(bytes) {
        return PASSWORD.to_string();
    }
    format!("{reason}; {SAVE_AGAIN}")
}

/// Whether calamine's reader of one of the formats says the workbook is protected by a
/// password: its typed error (`Password`), not its message text. Each reader is asked
/// itself, because [`open_workbook_auto_from_rs`] reports every failure as a format it
/// cannot detect. Only called for a workbook that failed to open.
fn password_protected(bytes: &SharedBytes) -> bool {
    use calamine::{
        Ods, OdsError, Xls, XlsError, Xlsb, XlsbError, Xlsx, XlsxError, open_workbook_from_rs,
    };
    let data = || Cursor::new(bytes.clone());
    matches!(
        open_workbook_from_rs::<Xls<Source>, Source>(data()),
        Err(XlsError::Password)
    ) || matches!(
        open_workbook_from_rs::<Xlsx<Source>, Source>(data()),
        Err(XlsxError::Password)
    ) || matches!(
        open_workbook_from_rs::<Xlsb<Source>, Source>(data()),
        Err(XlsbError::Password)
    ) || matches!(
        open_workbook_from_rs::<Ods<Source>, Source>(data()),
        Err(OdsError::Password)
    )
}

/// An XML attribute's text with its five predefined entities replaced, in one pass (so
/// `&amp;apos;` is `&apos;`, not `'`); other `&` sequences stay as they are.
fn unescape_xml(text: &str) -> String {
    const ENTITIES: [(&str, char); 5] = [
        ("&amp;", '&'),
        ("&apos;", '\''),
        ("&quot;", '"'),
        ("&lt;", '<'),
        ("&gt;", '>'),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match ENTITIES.iter().find(|(entity, _)| rest.starts_with(entity)) {
            Some((entity, c)) => {
                out.push(*c);
                rest = &rest[entity.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Which sheet each worksheet part of an xlsx holds: `xl/worksheets/sheet2.xml` ->
/// `Reguliere middelen`, read from `xl/workbook.xml` and its relationships. It names the
/// sheet in a message and gives each sheet the merged cells the zip check found in its part;
/// a sheet it cannot name exactly (a name calamine reads otherwise) finds no entry, and its
/// merged cells are then read by calamine.
fn sheet_parts(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Vec<(String, String)> {
    let mut read = |name: &str| -> String {
        let mut text = String::new();
        if let Ok(entry) = archive.by_name(name) {
            let _ = entry.take(1 << 20).read_to_string(&mut text);
        }
        text
    };
    let workbook = read("xl/workbook.xml");
    let rels = read("xl/_rels/workbook.xml.rels");
    let attr = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let len = tag[start..].find('"')?;
        Some(unescape_xml(&tag[start..start + len]))
    };
    let mut parts = Vec::new();
    for sheet in workbook.split("<sheet ").skip(1) {
        let tag = format!(" {}", sheet.split('>').next().unwrap_or(""));
        let (Some(name), Some(id)) = (attr(&tag, "name"), attr(&tag, "r:id")) else {
            continue;
        };
        for rel in rels.split("<Relationship ").skip(1) {
            let rel = format!(" {}", rel.split('>').next().unwrap_or(""));
            if attr(&rel, "Id").as_deref() == Some(id.as_str())
                && let Some(target) = attr(&rel, "Target")
            {
                let target = target.trim_start_matches('/');
                let part = if target.starts_with("xl/") {
                    target.to_string()
                } else {
                    format!("xl/{target}")
                };
                parts.push((part, name.clone()));
            }
        }
    }
    parts
}

/// The merged cells of an xlsx's sheets, by sheet name, as the zip check found them.
type SheetMerges = Vec<(String, Vec<Merged>)>;

/// Checks a zip archive (xlsx, xlsm, ods) before it is opened: every part is unpacked
/// into nothing while counting, so neither a lying header nor a zip bomb gets past the
/// limit, and nothing is kept in memory. An error names the sheet when the part is one.
/// Ledger and register sheets are skipped: they are streamed, bounded while they stream.
///
/// Returns the merged cells of an xlsx's budget sheets, found while their XML streams past
/// ([`MergeScan`]), so that they are not inflated again for them: (sheet, ranges), for the
/// sheets the scan was sure of.
fn check_zip(bytes: &[u8], limits: &Limits) -> Result<SheetMerges, (Option<String>, String)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| (None, format!("het bestand is beschadigd of afgekapt (de inhoudsopgave van het zip-archief ontbreekt); {SAVE_AGAIN}")))?;
    let limit = limits.max_unpacked_bytes;
    let mut total: u64 = 0;
    let mut problem: Option<(String, String)> = None;
    // the worksheet parts; ledger and register sheets are not inflated beforehand
    let (ledger_parts, budget_parts): (Vec<_>, Vec<_>) = sheet_parts(&mut archive)
        .into_iter()
        .partition(|(_, sheet)| SheetKind::recognise(sheet).is_some_and(SheetKind::may_repeat));
    let mut merged = Vec::new();
    for i in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(i) else {
            problem = Some((
                String::new(),
                format!(
                    "het bestand is beschadigd (een onderdeel van het zip-archief is onleesbaar); {SAVE_AGAIN}"
                ),
            ));
            break;
        };
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        if ledger_parts.iter().any(|(part, _)| *part == name) {
            continue; // streamed by its reader, which bounds it (--max-boekingen-mib)
        }
        let sheet = budget_parts
            .iter()
            .find(|(part, _)| *part == name)
            .map(|(_, sheet)| sheet);
        let budget = limit.saturating_sub(total);
        let too_large = format!(
            "pakt uit tot meer dan {} (--max-uitgepakt-mib); zo'n groot werkboek wordt niet gelezen (mogelijk een zip-bom)",
            mib(limit)
        );
        if entry.size() > budget {
            problem = Some((name, too_large));
            break;
        }
        let mut scan = MergeScan::default();
        let inflated = &mut (&mut entry).take(budget.saturating_add(1));
        let copied = match sheet {
            Some(_) => std::io::copy(inflated, &mut scan),
            None => std::io::copy(inflated, &mut std::io::sink()),
        };
        match copied {
            Ok(unpacked) if unpacked > budget => {
                problem = Some((name, too_large));
                break;
            }
            Ok(unpacked) => {
                total += unpacked;
                if let Some((sheet, ranges)) = sheet.zip(scan.finish()) {
                    merged.push((sheet.clone(), ranges));
                }
            }
            Err(_) => {
                problem = Some((
                    name,
                    format!(
                        "is beschadigd of afgekapt (de gecomprimeerde gegevens kloppen niet); {SAVE_AGAIN}"
                    ),
                ));
                break;
            }
        }
    }
    let Some((part, message)) = problem else {
        return Ok(merged);
    };
    let sheet = sheet_parts(&mut archive)
        .into_iter()
        .find(|(p, _)| *p == part)
        .map(|(_, sheet)| sheet);
    let message = match (&sheet, part.is_empty()) {
        (Some(_), _) => format!("het blad {message}"),
        (None, true) => message,
        (None, false) => format!("het onderdeel {part} van het werkboek {message}"),
    };
    Err((sheet, message))
}

/// Whether a streamed value is a cached text (possibly empty), as opposed to no value.
fn cell_has_cached_text(value: &DataRef) -> bool {
    matches!(value, DataRef::String(_) | DataRef::SharedString(_))
}

/// How many cells a range spans.
fn area(start: (u32, u32), end: (u32, u32)) -> u64 {
    let rows = u64::from(end.0.saturating_sub(start.0)) + 1;
    let cols = u64::from(end.1.saturating_sub(start.1)) + 1;
    rows * cols
}

fn absurd_range(what: &str, start: (u32, u32), end: (u32, u32), limits: &Limits) -> String {
    format!(
        "{what} {}:{} ({} cellen), meer dan de toegestane {} cellen (--max-bereik); verklein het blad tot de gebruikte cellen",
        a1(start.0, start.1),
        a1(end.0, end.1),
        dutch_count(area(start, end)),
        dutch_count(limits.max_area)
    )
}

/// A sheet whose data cannot be read.
pub(crate) const SHEET_BROKEN: &str = "het blad kan niet worden gelezen: de gegevens van het blad zijn beschadigd of onvolledig; open het werkboek in Excel of LibreOffice, sla het opnieuw op en probeer opnieuw";

/// Streams an xlsx sheet cell by cell, never by its claimed dimension, with formulas, so a
/// formula without a cached value is seen. A sheet whose claimed or real extent is absurd,
/// or that holds more cells than the limit, is refused.
///
/// `merged` are the sheet's merged cells when the zip check found them; calamine reads
/// them otherwise.
fn read_xlsx_sheet(
    xlsx: &mut calamine::Xlsx<Source>,
    sheet: &str,
    merged: Option<Vec<Merged>>,
    mut cells: GridBuilder,
    limits: &Limits,
) -> Result<Grid, String> {
    let merged = merged.unwrap_or_else(|| match xlsx.merge_cells_by_sheet_name(sheet) {
        Ok(regions) => regions.iter().map(|d| (d.start, d.end)).collect(),
        Err(_) => Vec::new(),
    });
    let mut reader = xlsx
        .worksheet_cells_reader(sheet)
        .map_err(|_| SHEET_BROKEN.to_string())?;
    let claimed = reader.dimensions();
    if area(claimed.start, claimed.end) > limits.max_area {
        return Err(absurd_range(
            "het blad zegt te beslaan",
            claimed.start,
            claimed.end,
            limits,
        ));
    }
    let (mut first, mut last) = ((u32::MAX, u32::MAX), (0u32, 0u32));
    let mut previous: Option<(u32, u32)> = None;
    while let Some(cell) = reader
        .next_cell_with_formula()
        .map_err(|_| SHEET_BROKEN.to_string())?
    {
        let (row, col) = cell.pos;
        check_position(previous, (row, col))?;
        previous = Some((row, col));
        let raw = raw_cell(&Data::from(cell.value.clone()));
        let raw = match (&cell.formula, raw) {
            // no cached value at all (`<f>` without `<v>`): never calculated. A cached empty
            // text (`=ALS(...;"";...)`) is a blank cell.
            (Some(f), RawCell::Empty) if !f.is_empty() && !cell_has_cached_text(&cell.value) => {
                RawCell::FormulaWithoutValue(f.as_str().into())
            }
            (_, raw) => raw,
        };
        if raw == RawCell::Empty {
            continue;
        }
        if cells.cells() >= limits.max_cells {
            return Err(too_many_cells(limits));
        }
        first = (first.0.min(row), first.1.min(col));
        last = (last.0.max(row), last.1.max(col));
        cells.push(row, col, raw);
    }
    if cells.cells() > 0 && area(first, last) > limits.max_area {
        return Err(absurd_range(
            "de gevulde cellen van het blad beslaan",
            first,
            last,
            limits,
        ));
    }
    Ok(cells.finish(merged))
}

/// The last row and column of an Excel sheet, zero-based (row 1.048.576, column XFD).
/// The highest zero-based row of a sheet (row 1.048.576).
pub(crate) const LAST_ROW: u32 = 1_048_575;
/// The highest zero-based column of a sheet (XFD).
pub(crate) const LAST_COL: u32 = 16_383;

/// Checks a streamed cell's position against the one before it. Excel writes cells row by
/// row, left to right; calamine computes a reference such as `E4294967302` modulo 2³² (so
/// it lands on E6) and lets a later cell with the same reference replace an earlier one.
/// A position beyond Excel's sheet, the same position twice, or one that goes back is
/// therefore an error: the file's references cannot be trusted.
fn check_position(previous: Option<(u32, u32)>, (row, col): (u32, u32)) -> Result<(), String> {
    if row > LAST_ROW || col > LAST_COL {
        return Err(format!(
            "een cel heeft een verwijzing buiten een Excel-blad ({}; het blad loopt tot rij 1.048.576 en kolom XFD); de celverwijzingen in het bestand zijn ongeldig; {SAVE_AGAIN}",
            a1(row, col)
        ));
    }
    match previous {
        Some(before) if before == (row, col) => Err(format!(
            "twee cellen hebben dezelfde verwijzing {}; welke waarde geldt is niet te zeggen; {SAVE_AGAIN}",
            a1(row, col)
        )),
        Some(before) if before > (row, col) => Err(format!(
            "de cel {} staat in het bestand na {}: een celverwijzing is ongeldig (bijvoorbeeld een rijnummer voorbij 1.048.576 dat terugloopt) of de cellen staan niet op volgorde; {SAVE_AGAIN}",
            a1(row, col),
            a1(before.0, before.1)
        )),
        _ => Ok(()),
    }
}

fn too_many_cells(limits: &Limits) -> String {
    format!(
        "het blad heeft meer dan {} gevulde cellen (--max-cellen); zo'n groot blad wordt niet gelezen",
        dutch_count(limits.max_cells)
    )
}

/// Numbers formatted as a percentage become [`RawCell::Percent`], so an amount column
/// refuses `15%` instead of reading € 0,15 (as a date format gives [`RawCell::Date`]).
/// The sheet is streamed a second time for the cells' styles only when the workbook has a
/// percent format at all.
fn mark_percent_cells(
    xlsx: &mut calamine::Xlsx<Source>,
    sheet: &str,
    mut grid: Grid,
    limits: &Limits,
) -> Result<Grid, String> {
    let mut reader = xlsx
        .worksheet_cells_reader(sheet)
        .map_err(|_| SHEET_BROKEN.to_string())?;
    let percent_styles: Vec<bool> = reader
        .styles()
        .iter()
        .map(|style| {
            style
                .number_format
                .as_ref()
                .is_some_and(|f| is_percent_format(&f.format_code))
        })
        .collect();
    if !percent_styles.contains(&true) {
        return Ok(grid);
    }
    let mut percent: Vec<(u32, u32)> = Vec::new();
    while let Some((row, col, style)) = reader
        .next_style_id()
        .map_err(|_| SHEET_BROKEN.to_string())?
    {
        if percent_styles.get(style).copied().unwrap_or(false) {
            if percent.len() as u64 >= limits.max_cells {
                return Err(too_many_cells(limits));
            }
            percent.push((row, col));
        }
    }
    percent.sort_unstable();
    mark_percent(&mut grid, &percent);
    Ok(grid)
}

/// Marks the numbers at `percent` (sorted) as [`RawCell::Percent`].
fn mark_percent(grid: &mut Grid, percent: &[(u32, u32)]) {
    if percent.is_empty() {
        return;
    }
    for ((row, col), value) in grid.cells_mut() {
        let number = match value {
            RawCell::Float(f) => *f,
            RawCell::Int(i) => *i as f64,
            _ => continue,
        };
        if percent.binary_search(&(row, col)).is_ok() {
            *value = RawCell::Percent(number);
        }
    }
}

/// Whether a number format shows a percentage: a `%` outside quotes, escapes and brackets
/// (`0%`, `0.00%`, `#,##0.0%`; not `0" %"` or `0\%`, which only print the sign).
pub(crate) fn is_percent_format(code: &str) -> bool {
    let mut chars = code.chars();
    let mut quoted = false;
    let mut bracket = false;
    while let Some(ch) = chars.next() {
        match ch {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '[' => bracket = true,
            ']' => bracket = false,
            _ if bracket => {}
            '\\' | '_' | '*' => {
                chars.next(); // the next character is a literal, a width or a fill
            }
            '%' => return true,
            _ => {}
        }
    }
    false
}

/// Reads a sheet of another format (xls, ods) through calamine's range.
fn read_range(
    workbook: &mut Sheets<Source>,
    sheet: &str,
    mut cells: GridBuilder,
    limits: &Limits,
) -> Result<Grid, String> {
    let range = workbook
        .worksheet_range(sheet)
        .map_err(|_| SHEET_BROKEN.to_string())?;
    if let (Some(start), Some(end)) = (range.start(), range.end())
        && area(start, end) > limits.max_area
    {
        return Err(absurd_range("het blad beslaat", start, end, limits));
    }
    // used_cells goes row by row, left to right: reading order
    for (row, col, data) in range.used_cells() {
        let raw = raw_cell(data);
        if raw == RawCell::Empty {
            continue;
        }
        if cells.cells() >= limits.max_cells {
            return Err(too_many_cells(limits));
        }
        let (r0, c0) = range.start().unwrap_or((0, 0));
        cells.push(r0 + row as u32, c0 + col as u32, raw);
    }
    Ok(cells.finish(Vec::new()))
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
        Data::String(s) => RawCell::Text(s.as_str().into()),
        Data::Float(f) => RawCell::Float(*f),
        Data::Int(i) => RawCell::Int(*i),
        Data::Bool(b) => RawCell::Bool(*b),
        Data::DateTime(d) => RawCell::Date(date_text(d).into()),
        Data::DateTimeIso(d) | Data::DurationIso(d) => RawCell::Date(d.as_str().into()),
        Data::Error(e) => RawCell::Error(e.to_string().into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_calamines_typed_error() {
        let read = |path: &str| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
            SharedBytes(Arc::new(std::fs::read(path).unwrap()))
        };
        assert!(password_protected(&read("tests/fixtures/wachtwoord.xlsx")));
        assert!(!password_protected(&read("input/werkplan-2022.xlsx")));
        assert!(!password_protected(&SharedBytes(Arc::new(
            b"%PDF-1.7".to_vec()
        ))));
    }

    #[test]
    fn sheet_names_are_unescaped_once() {
        assert_eq!(unescape_xml("Wonen &amp; zorg"), "Wonen & zorg");
        assert_eq!(unescape_xml("X&amp;apos;"), "X&apos;");
        assert_eq!(
            unescape_xml("&apos;22 &lt;&gt; &quot;a&quot;"),
            "'22 <> \"a\""
        );
        assert_eq!(unescape_xml("a & b &unknown; &"), "a & b &unknown; &");
        assert_eq!(unescape_xml("€ &amp; ë"), "€ & ë");
    }

    #[test]
    fn percent_formats() {
        for code in ["0%", "0.00%", "#,##0.0%", "0%;[Red]-0%", "[Blue]0.0%"] {
            assert!(is_percent_format(code), "{code}");
        }
        for code in [
            "General",
            "#,##0.00",
            "0\" %\"",
            "0\\%",
            "[$%-413]0",
            "_-€ * #,##0.00_-",
            "dd-mm-yyyy",
        ] {
            assert!(!is_percent_format(code), "{code}");
        }
    }
}
