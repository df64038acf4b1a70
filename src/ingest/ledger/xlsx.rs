//! The ledger reader for xlsx/xlsm: a sheet's XML is inflated through a fixed buffer and
//! scanned row by row into a [`RowSink`]; the sheet is never held whole.
//!
//! calamine reads the budget sheets; a ledger of a million bookings is too large for it (its
//! cell reader alone takes longer than the whole run may). This reader handles what a
//! ledger export holds: shared strings (kept compactly: one buffer plus offsets), inline
//! strings, numbers (handed over as their text, read to cents by the sink), date serials in
//! the 1900 and 1904 systems, booleans, errors, formulas without a cached value, and the
//! merged cells after the data. Unpacked bytes are counted as they are inflated, against
//! the workbook's limit (a zip bomb stops there, with no separate pass).
//!
//! Not read: CDATA sections inside cells (refused as broken XML; no spreadsheet program
//! writes them), and a workbook whose main part is not `xl/workbook.xml` (calamine assumes
//! the same).

use std::io::{Cursor, Read};
use std::sync::mpsc::{self, Receiver, SyncSender};

use memchr::memchr;

use super::row::{self, Context, RowBuffers, SharedStrings};
use super::xml::{self, Closing, LAST_COL, LAST_ROW, Parsed, Tag, TagKind};
use super::{MergedArea, RowSink, ScanError};
use crate::ingest::limits::mib;
use crate::ingest::read::SAVE_AGAIN;

/// How much is inflated at a time.
const CHUNK: usize = 256 << 10;

/// An xlsx workbook opened for reading its ledger sheets.
pub struct LedgerWorkbook<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Sheet names in workbook order, with their parts.
    sheets: Vec<(String, String)>,
    /// The shared strings part, if the workbook has one.
    strings_part: Option<String>,
    /// Loaded on the first scan.
    strings: Option<SharedStrings>,
    date1904: bool,
    date_styles: Vec<bool>,
    max_unpacked: u64,
    unpacked: u64,
    /// The archive's entry names as written, by their normalised form (`/`, lower case):
    /// some writers differ from the relationships in case or use `\`.
    names: Vec<(String, String)>,
}

/// An error without a cell.
fn error(message: String) -> ScanError {
    ScanError {
        cell: None,
        message,
    }
}

impl<'a> LedgerWorkbook<'a> {
    /// Opens the workbook's directory: `workbook.xml` (sheet names, the date system), its
    /// relationships and `styles.xml` (which styles are dates). Shared strings are loaded
    /// on the first [`LedgerWorkbook::scan`].
    ///
    /// # Errors
    /// Not a zip archive, no workbook part, broken XML, or more than `max_unpacked` bytes
    /// unpacked.
    pub fn open(bytes: &'a [u8], max_unpacked: u64) -> Result<LedgerWorkbook<'a>, ScanError> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
            error(format!(
                "het bestand is beschadigd of afgekapt (de inhoudsopgave van het zip-archief ontbreekt); {SAVE_AGAIN}"
            ))
        })?;
        let mut workbook = LedgerWorkbook {
            archive,
            sheets: Vec::new(),
            strings_part: None,
            strings: None,
            date1904: false,
            date_styles: Vec::new(),
            max_unpacked,
            unpacked: 0,
            names: Vec::new(),
        };
        workbook.names = workbook
            .archive
            .file_names()
            .filter_map(Result::ok)
            .map(|name| (normalised(&name), name.into_owned()))
            .collect();
        let book = workbook.read_part("xl/workbook.xml")?.ok_or_else(|| {
            error(format!(
                "het werkboek mist zijn inhoudsopgave (xl/workbook.xml); {SAVE_AGAIN}"
            ))
        })?;
        let rels = workbook
            .read_part("xl/_rels/workbook.xml.rels")?
            .unwrap_or_default();
        let targets = relationships(&rels);
        let (sheets, date1904) = sheets_of(&book)?;
        workbook.date1904 = date1904;
        workbook.sheets = sheets
            .into_iter()
            .filter_map(|(name, id)| {
                let (_, target) = targets.iter().find(|(i, _)| *i == id)?;
                Some((name, part_path(target)))
            })
            .map(|(name, part)| {
                let part = workbook.entry(&part).unwrap_or(part);
                (name, part)
            })
            .collect();
        workbook.strings_part = targets
            .iter()
            .find(|(_, t)| t.kind == PartKind::SharedStrings)
            .map(|(_, t)| part_path(t))
            .map(|part| workbook.entry(&part).unwrap_or(part));
        if let Some(styles) = workbook.read_part("xl/styles.xml")? {
            workbook.date_styles = super::styles::date_styles(&styles);
        }
        Ok(workbook)
    }

    /// The sheet names, in workbook order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.iter().map(|(name, _)| name.clone()).collect()
    }

    /// Streams one sheet's rows into `sink`, then its merged areas; returns the number of
    /// rows with at least one value. The sheet is inflated on a second thread while this
    /// one scans; memory stays at a few buffers of 256 KiB (plus the shared strings, loaded
    /// on the first scan) however many rows the sheet has. Texts are unescaped and, unless
    /// marked `xml:space="preserve"`, trimmed of XML whitespace (as calamine reads them);
    /// empty texts are left out.
    ///
    /// # Errors
    /// An unknown sheet, broken XML or zip data (with the cell when known), a cell reference
    /// outside the sheet or out of order, an unknown shared string, or the workbook
    /// unpacking to more than its limit.
    pub fn scan(&mut self, sheet: &str, sink: &mut dyn RowSink) -> Result<u64, ScanError> {
        let part = self
            .sheets
            .iter()
            .find(|(name, _)| name == sheet)
            .map(|(_, part)| part.clone())
            .ok_or_else(|| error(format!("het werkboek heeft geen blad ‘{sheet}’")))?;
        if self.strings.is_none() {
            self.strings = Some(self.load_strings()?);
        }
        let LedgerWorkbook {
            archive,
            strings,
            date1904,
            date_styles,
            max_unpacked,
            unpacked,
            ..
        } = self;
        let default = SharedStrings::default();
        let context = Context {
            strings: strings.as_ref().unwrap_or(&default),
            date_styles,
            date1904: *date1904,
        };
        inflate_beside(archive, &part, |reader| {
            let mut stream = Stream::new(reader, unpacked, *max_unpacked);
            let mut scan = SheetScan {
                context,
                sink,
                phase: Phase::Before,
                ended: false,
                last_row: None,
                rows: 0,
                merged: Vec::new(),
                buffers: RowBuffers::default(),
            };
            stream_items(&mut stream, &Closing::new(b"row>"), &mut scan)?;
            // a part cut off between two tags ends without its root's closing tag; a
            // chart sheet has no data and is read as empty
            if !scan.ended || scan.phase == Phase::Data {
                return Err(truncated(scan.here()));
            }
            scan.sink.merged(&scan.merged);
            Ok(scan.rows)
        })?
    }

    /// The archive's name for a part: as given, or written with other case or `\`.
    fn entry(&self, path: &str) -> Option<String> {
        if self.archive.index_for_name(path).is_some() {
            return Some(path.to_string());
        }
        let key = normalised(path);
        self.names
            .iter()
            .find(|(normal, _)| *normal == key)
            .map(|(_, name)| name.clone())
    }

    /// A small part read whole (counted against the limit); `None` when there is none.
    fn read_part(&mut self, name: &str) -> Result<Option<Vec<u8>>, ScanError> {
        let Some(name) = self.entry(name) else {
            return Ok(None);
        };
        let Ok(entry) = self.archive.by_name(&name) else {
            return Ok(None);
        };
        let budget = self.max_unpacked.saturating_sub(self.unpacked);
        let mut bytes = Vec::new();
        entry
            .take(budget.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|_| corrupt(&name))?;
        self.unpacked += bytes.len() as u64;
        if bytes.len() as u64 > budget {
            return Err(too_large(self.max_unpacked));
        }
        Ok(Some(bytes))
    }

    /// The shared strings, streamed into one buffer.
    fn load_strings(&mut self) -> Result<SharedStrings, ScanError> {
        let Some(part) = self.strings_part.clone() else {
            return Ok(SharedStrings::default());
        };
        if self.archive.index_for_name(&part).is_none() {
            return Ok(SharedStrings::default());
        }
        let (unpacked, limit) = (&mut self.unpacked, self.max_unpacked);
        inflate_beside(&self.archive, &part, |reader| {
            let mut stream = Stream::new(reader, unpacked, limit);
            let mut loader = StringsLoader::default();
            stream_items(&mut stream, &Closing::new(b"si>"), &mut loader)?;
            Ok(loader.strings)
        })?
    }
}

/// Chunks in flight between the inflating thread and the scan.
const CHUNKS_IN_FLIGHT: usize = 4;

/// Inflates a part on a thread of its own while `read` scans it: inflating is a third of
/// the work, and the two overlap. The thread runs at most [`CHUNKS_IN_FLIGHT`] chunks ahead
/// (the unpacked bytes are counted where they are scanned) and stops when the scan does.
fn inflate_beside<T>(
    archive: &zip::ZipArchive<Cursor<&[u8]>>,
    part: &str,
    read: impl FnOnce(&mut dyn Read) -> T,
) -> Result<T, ScanError> {
    if archive.index_for_name(part).is_none() {
        return Err(missing_part(part));
    }
    let mut archive = archive.clone();
    std::thread::scope(|scope| {
        let (chunks, received) = mpsc::sync_channel(CHUNKS_IN_FLIGHT);
        let (give_back, returned) = mpsc::channel();
        std::thread::Builder::new()
            .name("inflate".into())
            .spawn_scoped(scope, move || {
                inflate(&mut archive, part, &chunks, &returned)
            })
            .map_err(|_| {
                error("er kan geen thread worden gestart om het blad uit te pakken".into())
            })?;
        let mut reader = ChunkReader {
            received,
            give_back,
            chunk: Vec::new(),
            pos: 0,
        };
        Ok(read(&mut reader))
    })
}

/// The inflating thread: sends the part in chunks (reusing the ones given back) until the
/// end, an error, or the scan no longer listens.
fn inflate(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    part: &str,
    chunks: &SyncSender<std::io::Result<Vec<u8>>>,
    returned: &Receiver<Vec<u8>>,
) {
    let mut entry = match archive.by_name(part) {
        Ok(entry) => entry,
        Err(e) => {
            let _ = chunks.send(Err(std::io::Error::other(e)));
            return;
        }
    };
    loop {
        let mut chunk = returned.try_recv().unwrap_or_default();
        chunk.resize(CHUNK, 0);
        let mut filled = 0;
        while filled < CHUNK {
            match entry.read(&mut chunk[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = chunks.send(Err(e));
                    return;
                }
            }
        }
        chunk.truncate(filled);
        if filled == 0 || chunks.send(Ok(chunk)).is_err() || filled < CHUNK {
            return;
        }
    }
}

/// The scan's side: reads the chunks as they come.
struct ChunkReader {
    received: Receiver<std::io::Result<Vec<u8>>>,
    give_back: mpsc::Sender<Vec<u8>>,
    chunk: Vec<u8>,
    pos: usize,
}

impl Read for ChunkReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.chunk.len() {
            match self.received.recv() {
                Ok(Ok(chunk)) => {
                    let used = std::mem::replace(&mut self.chunk, chunk);
                    let _ = self.give_back.send(used);
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(0), // the part has ended
            }
        }
        let n = buf.len().min(self.chunk.len() - self.pos);
        buf[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// A part name for comparing: `/` for `\`, lower case.
fn normalised(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

fn missing_part(part: &str) -> ScanError {
    error(format!(
        "het werkboek mist het onderdeel {part} van een blad; {SAVE_AGAIN}"
    ))
}

fn corrupt(part: &str) -> ScanError {
    error(format!(
        "het onderdeel {part} van het werkboek is beschadigd of afgekapt (de gecomprimeerde gegevens kloppen niet); {SAVE_AGAIN}"
    ))
}

fn too_large(limit: u64) -> ScanError {
    error(format!(
        "het werkboek pakt uit tot meer dan {} (--max-uitgepakt-mib); zo'n groot werkboek wordt niet gelezen (mogelijk een zip-bom)",
        mib(limit)
    ))
}

fn truncated(cell: Option<(u32, u32)>) -> ScanError {
    ScanError {
        cell,
        message: format!("de XML van het blad is afgekapt of beschadigd; {SAVE_AGAIN}"),
    }
}

/// What a relationship points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PartKind {
    SharedStrings,
    Other,
}

/// A relationship's target.
#[derive(Clone, Debug)]
struct Target {
    path: String,
    kind: PartKind,
}

/// The workbook's relationships: id -> target.
fn relationships(rels: &[u8]) -> Vec<(String, Target)> {
    let mut out = Vec::new();
    for tag in tags(rels) {
        if tag.name != b"Relationship" {
            continue;
        }
        let (Some(id), Some(path)) = (attr_text(tag.attrs, b"Id"), attr_text(tag.attrs, b"Target"))
        else {
            continue;
        };
        let kind = match attr_text(tag.attrs, b"Type") {
            Some(t) if t.ends_with("/sharedStrings") => PartKind::SharedStrings,
            _ => PartKind::Other,
        };
        out.push((id, Target { path, kind }));
    }
    out
}

/// The sheets (name, relationship id) and whether the workbook uses the 1904 date system.
fn sheets_of(book: &[u8]) -> Result<(Vec<(String, String)>, bool), ScanError> {
    let mut sheets = Vec::new();
    let mut date1904 = false;
    for tag in tags(book) {
        match tag.name {
            b"workbookPr" => {
                date1904 = matches!(xml::attribute(tag.attrs, b"date1904"), Some(b"1" | b"true"));
            }
            b"sheet" if tag.kind != TagKind::End => {
                let name = attr_text(tag.attrs, b"name");
                let id = xml::attributes(tag.attrs)
                    .find(|(n, _)| n.len() > 3 && n.ends_with(b":id"))
                    .and_then(|(_, v)| text(v));
                if let (Some(name), Some(id)) = (name, id) {
                    sheets.push((name, id));
                }
            }
            _ => {}
        }
    }
    Ok((sheets, date1904))
}

/// A relationship target as a path in the archive: relative to `xl/`, or absolute.
fn part_path(target: &Target) -> String {
    let path = &target.path;
    let mut parts: Vec<&str> = match path.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => vec!["xl"],
    };
    for piece in path.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The tags of a small, whole part (stops at the first broken one).
fn tags(part: &[u8]) -> impl Iterator<Item = Tag<'_>> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let at = pos + memchr(b'<', &part[pos..])?;
        match xml::parse_tag(&part[at..]) {
            Parsed::Tag(tag) => {
                pos = at + tag.len;
                Some(tag)
            }
            _ => None,
        }
    })
}

/// An attribute's value, unescaped.
fn attr_text(attrs: &[u8], name: &[u8]) -> Option<String> {
    text(xml::attribute(attrs, name)?)
}

fn text(raw: &[u8]) -> Option<String> {
    let mut out = String::new();
    xml::unescape(raw, &mut out)?;
    Some(out)
}

/// A part being inflated through a buffer that holds at least the element being read.
struct Stream<'s> {
    reader: &'s mut dyn Read,
    buf: Vec<u8>,
    end: usize,
    eof: bool,
    unpacked: &'s mut u64,
    limit: u64,
}

impl<'s> Stream<'s> {
    fn new(reader: &'s mut dyn Read, unpacked: &'s mut u64, limit: u64) -> Stream<'s> {
        Stream {
            reader,
            buf: Vec::new(),
            end: 0,
            eof: false,
            unpacked,
            limit,
        }
    }

    /// Keeps `buf[keep..end]` (moved to the front) and inflates more behind it; `false` at
    /// the end of the part.
    fn more(&mut self, keep: usize) -> Result<bool, ScanError> {
        if self.eof {
            return Ok(false);
        }
        self.buf.copy_within(keep..self.end, 0);
        self.end -= keep;
        let want = self.end + CHUNK;
        if self.buf.len() < want {
            self.buf.resize(want.max(self.buf.len() * 2), 0);
        }
        let before = self.end;
        while self.end < self.buf.len() {
            let n = match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return Err(corrupt("van het blad")),
            };
            self.end += n;
            *self.unpacked += n as u64;
            if *self.unpacked > self.limit {
                return Err(too_large(self.limit));
            }
        }
        Ok(self.end > before)
    }
}

/// What a streamed part does with its tags and items.
trait Items {
    /// The name of the item element (`row`, `si`).
    const ITEM: &'static [u8];
    /// A tag outside the items.
    fn tag(&mut self, tag: &Tag<'_>) -> Result<(), ScanError>;
    /// Whether a start tag of the item element opens an item here.
    fn wants_item(&self) -> bool;
    /// An item: its start tag and body.
    fn item(&mut self, tag: &Tag<'_>, body: &[u8]) -> Result<(), ScanError>;
    /// The cell near which reading is, for messages.
    fn here(&self) -> Option<(u32, u32)>;
}

/// Streams a part tag by tag, handing whole items to `items`.
fn stream_items<I: Items>(
    stream: &mut Stream<'_>,
    closing: &Closing,
    items: &mut I,
) -> Result<(), ScanError> {
    let mut pos = 0;
    loop {
        let Some(i) = xml::find_byte(b'<', &stream.buf[pos..stream.end]) else {
            if !stream.more(stream.end)? {
                return Ok(());
            }
            pos = 0;
            continue;
        };
        let at = pos + i;
        let tag = match xml::parse_tag(&stream.buf[at..stream.end]) {
            Parsed::Tag(tag) => tag,
            Parsed::Incomplete => {
                if !stream.more(at)? {
                    return Err(truncated(items.here()));
                }
                pos = 0;
                continue;
            }
            Parsed::Malformed => return Err(truncated(items.here())),
        };
        if tag.kind == TagKind::Start && tag.name == I::ITEM && items.wants_item() {
            let body_start = at + tag.len;
            let Some((body_len, close_len)) = closing.find(&stream.buf[body_start..stream.end])
            else {
                if !stream.more(at)? {
                    return Err(truncated(items.here()));
                }
                pos = 0;
                continue;
            };
            let body = &stream.buf[body_start..body_start + body_len];
            items.item(&tag, body)?;
            pos = body_start + body_len + close_len;
        } else {
            items.tag(&tag)?;
            pos = at + tag.len;
        }
    }
}

/// Where a sheet's scan is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Before `<sheetData>`.
    Before,
    /// Inside it.
    Data,
    /// After it: merged cells may follow.
    After,
}

/// The most merged areas one ledger sheet may have: a ledger merges its title, not its
/// bookings.
const MAX_MERGED: usize = 100_000;

/// One sheet's scan.
struct SheetScan<'c, 'k> {
    context: Context<'c>,
    sink: &'k mut dyn RowSink,
    phase: Phase,
    /// The last tag seen closed the part's root (`</worksheet>`).
    ended: bool,
    last_row: Option<u32>,
    rows: u64,
    merged: Vec<MergedArea>,
    buffers: RowBuffers,
}

impl SheetScan<'_, '_> {
    /// The zero-based number of the row this tag opens, checked, and whether the tag
    /// numbers it itself.
    fn next_row(&mut self, tag: &Tag<'_>) -> Result<(u32, bool), ScanError> {
        let next = self.last_row.map_or(0, |r| r.saturating_add(1));
        let number = xml::attribute(tag.attrs, b"r");
        let row = match number {
            None => u64::from(next) + 1,
            Some(raw) => xml::number(xml::trim(raw)).ok_or_else(|| {
                row_error(
                    next,
                    format!(
                        "een rij na rij {} heeft een ongeldig rijnummer ‘{}’; {SAVE_AGAIN}",
                        next,
                        String::from_utf8_lossy(raw)
                    ),
                )
            })?,
        };
        if row == 0 || row > u64::from(LAST_ROW) + 1 {
            return Err(row::outside(next.min(LAST_ROW), 0, &format!("rij {row}")));
        }
        let row = (row - 1) as u32;
        if let Some(last) = self.last_row.filter(|&last| row <= last) {
            return Err(row_error(
                last,
                format!(
                    "rij {} staat in het bestand na rij {}: een rijnummer is ongeldig (bijvoorbeeld een rijnummer voorbij 1.048.576 dat terugloopt) of de rijen staan niet op volgorde; {SAVE_AGAIN}",
                    row + 1,
                    last + 1
                ),
            ));
        }
        self.last_row = Some(row);
        Ok((row, number.is_some()))
    }

    /// A `<mergeCell ref="A1:C1"/>`.
    fn merge(&mut self, tag: &Tag<'_>) -> Result<(), ScanError> {
        let raw = xml::attribute(tag.attrs, b"ref").unwrap_or_default();
        let shown = String::from_utf8_lossy(raw);
        let bad = || {
            error(format!(
                "het blad heeft een ongeldig samengevoegd gebied ‘{shown}’; {SAVE_AGAIN}"
            ))
        };
        let mut ends = raw.split(|&b| b == b':').map(|r| {
            let (row, col) = xml::cell_reference(r)?;
            let inside = (1..=u64::from(LAST_ROW) + 1).contains(&row)
                && (1..=u64::from(LAST_COL) + 1).contains(&col);
            inside.then(|| ((row - 1) as u32, (col - 1) as u32))
        });
        let start = ends.next().flatten().ok_or_else(bad)?;
        let end = match ends.next() {
            None => start,
            Some(end) => end.ok_or_else(bad)?,
        };
        if ends.next().is_some() || end.0 < start.0 || end.1 < start.1 {
            return Err(bad());
        }
        if self.merged.len() >= MAX_MERGED {
            return Err(error(format!(
                "het blad heeft meer dan {MAX_MERGED} samengevoegde gebieden; een grootboek voegt geen cellen samen"
            )));
        }
        self.merged.push(MergedArea { start, end });
        Ok(())
    }
}

fn row_error(row: u32, message: String) -> ScanError {
    ScanError {
        cell: Some((row, 0)),
        message,
    }
}

impl Items for SheetScan<'_, '_> {
    const ITEM: &'static [u8] = b"row";

    fn tag(&mut self, tag: &Tag<'_>) -> Result<(), ScanError> {
        self.ended = tag.kind == TagKind::End
            && matches!(
                tag.name,
                b"worksheet" | b"chartsheet" | b"dialogsheet" | b"macrosheet"
            );
        match (self.phase, tag.kind, tag.name) {
            (Phase::Before, TagKind::Start, b"sheetData") => self.phase = Phase::Data,
            (Phase::Before, TagKind::Empty, b"sheetData") => self.phase = Phase::After,
            (Phase::Data, TagKind::Empty, b"row") => {
                self.next_row(tag)?;
            }
            (Phase::Data, TagKind::End, b"sheetData") => self.phase = Phase::After,
            (Phase::Data, TagKind::Start | TagKind::Empty, b"c") => {
                return Err(truncated(self.here()));
            }
            (Phase::After, TagKind::Start | TagKind::Empty, b"mergeCell") => self.merge(tag)?,
            _ => {}
        }
        Ok(())
    }

    fn wants_item(&self) -> bool {
        self.phase == Phase::Data
    }

    fn item(&mut self, tag: &Tag<'_>, body: &[u8]) -> Result<(), ScanError> {
        let (row, numbered) = self.next_row(tag)?;
        let (filled, row) = row::read_row(
            body,
            row,
            numbered,
            &self.context,
            &mut self.buffers,
            self.sink,
        )?;
        self.last_row = Some(row);
        if filled {
            self.rows += 1;
        }
        Ok(())
    }

    fn here(&self) -> Option<(u32, u32)> {
        self.last_row.map(|row| (row, 0))
    }
}

/// Loads the shared strings: each `<si>`'s `<t>` texts joined (phonetic runs left out),
/// trimmed unless they keep their spaces, unescaped.
#[derive(Default)]
struct StringsLoader {
    strings: SharedStrings,
}

impl StringsLoader {
    fn push_end(&mut self) -> Result<(), ScanError> {
        let end = u32::try_from(self.strings.text.len()).map_err(|_| {
            error("de gedeelde teksten van het werkboek zijn groter dan 4 GiB".to_string())
        })?;
        self.strings.ends.push(end);
        Ok(())
    }
}

impl Items for StringsLoader {
    const ITEM: &'static [u8] = b"si";

    fn tag(&mut self, tag: &Tag<'_>) -> Result<(), ScanError> {
        if tag.kind == TagKind::Empty && tag.name == b"si" {
            self.push_end()?;
        }
        Ok(())
    }

    fn wants_item(&self) -> bool {
        true
    }

    fn item(&mut self, _tag: &Tag<'_>, body: &[u8]) -> Result<(), ScanError> {
        let broken = || {
            error(format!(
                "de gedeelde teksten van het werkboek (sharedStrings.xml) zijn beschadigd; {SAVE_AGAIN}"
            ))
        };
        let mut pos = 0;
        let mut phonetic = false;
        let mut open: Option<(usize, bool)> = None;
        while let Some(i) = xml::find_byte(b'<', &body[pos..]) {
            let at = pos + i;
            let Parsed::Tag(tag) = xml::parse_tag(&body[at..]) else {
                return Err(broken());
            };
            match (tag.kind, tag.name) {
                (TagKind::Start, b"t") if !phonetic => {
                    let preserve = xml::attribute(tag.attrs, b"xml:space") == Some(b"preserve");
                    open = Some((at + tag.len, preserve));
                }
                (TagKind::End, b"t") => {
                    if let Some((start, preserve)) = open.take() {
                        let raw = &body[start..at];
                        let raw = if preserve { raw } else { xml::trim(raw) };
                        xml::unescape(raw, &mut self.strings.text).ok_or_else(broken)?;
                    }
                }
                (TagKind::Start, b"rPh") => phonetic = true,
                (TagKind::End, b"rPh") => phonetic = false,
                (TagKind::Cdata, _) => return Err(broken()),
                _ => {}
            }
            pos = at + tag.len;
        }
        self.push_end()
    }

    fn here(&self) -> Option<(u32, u32)> {
        None
    }
}

#[cfg(test)]
#[path = "xlsx_tests.rs"]
mod tests;
