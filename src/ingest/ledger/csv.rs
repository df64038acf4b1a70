//! The CSV reader of the monthly run: a `Boekingen*.csv` or `Verplichtingen*.csv` export,
//! streamed record by record into a [`RowSink`], never held whole.
//!
//! What it decides, per INPUT.md ("The monthly run"):
//! - **Encoding**, before parsing, in one streaming pass: UTF-8 (with or without byte-order
//!   mark) when every byte is valid UTF-8, else Windows-1252 (what Excel writes on Windows).
//!   A UTF-16 byte-order mark (Excel's "Unicode text") is honoured too.
//! - **Separator**: `;`, `,` or tab, whichever the header line (the first line with text)
//!   holds most often outside quotes; on a tie `;` wins, then tab, then `,`. A line of only
//!   separators, quotes and white space has no text.
//! - **Records** as RFC 4180 (the `csv` crate): quoted fields may hold separators, doubled
//!   quotes and line breaks; rows may be ragged.
//!
//! Rows are numbered as a spreadsheet that imports the file shows them: one row per record
//! (a quoted field with a line break does not start a new row) and one per blank line, the
//! first line being row 0. Every field is [`LedgerCell::Text`] (a CSV has no types: the sink
//! reads dates and amounts from text), in the column of its position (A = 0); a field that is
//! empty or only white space is left out of the row, and a row without fields is not handed
//! on. With `\r` alone as line end, blank lines are not counted as rows.
//!
//! A quote opened and never closed would swallow every booking after it into one field. It
//! is an error at the field where it opens: when the record runs past [`MAX_RECORD_BYTES`]
//! (so memory does not grow with the file), or when the file ends inside it (the last
//! field holds a line break and the file's last character is not a quote). That bound is the ledger's own: CSV files are not counted against
//! `--max-cellen`, and the number of rows is only bounded by a sheet's row numbers (`u32`).

use std::fs::File;
use std::io::{self, Chain, Cursor, Read};
use std::path::Path;

use csv::{ByteRecord, ReaderBuilder};
use encoding_rs::WINDOWS_1252;
use encoding_rs_io::DecodeReaderBytesBuilder;
use sha2::{Digest, Sha256};

use super::row::recycle;
use super::{CellAt, LedgerCell, RowSink, ScanError};
use crate::ingest::read::{io_error, lowercase_hex};

/// The longest record read: one mebibyte, a thousand times a long booking line. Beyond it
/// the read stops with an error (an unclosed quote), so memory never grows with the file.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;

/// How far the header line is looked for: the separator is decided from what was seen by then.
const MAX_HEADER_BYTES: usize = 1 << 20;

/// Bytes read from the file at a time, in the encoding pass and by the parser.
const CHUNK: usize = 64 * 1024;

/// Reads the CSV file at `path` and hands every non-blank row to `sink`, in order.
///
/// # Returns
/// The number of records read, the header and records of blank fields included (blank
/// lines are not records): for a progress report.
///
/// # Errors
/// A [`ScanError`] in Dutch when the file cannot be read, a record is longer than
/// [`MAX_RECORD_BYTES`], the file ends inside a quoted field that took in line breaks, or a
/// file with a UTF-8 byte-order mark holds bytes that are not UTF-8; with the cell (column A
/// when only the row is known) where reading stopped. Rows before it have been handed on.
pub fn scan_csv(path: &Path, sink: &mut dyn RowSink) -> Result<u64, ScanError> {
    scan_csv_hashed(path, sink).map(|(records, _)| records)
}

/// [`scan_csv`], also giving the file's SHA-256 (lowercase hex) for the report's list of
/// sources, hashed as the parser reads the file: no extra pass over it.
///
/// # Errors
/// As [`scan_csv`].
pub fn scan_csv_hashed(path: &Path, sink: &mut dyn RowSink) -> Result<(u64, String), ScanError> {
    let utf8 = File::open(path).and_then(is_utf8).map_err(unreadable)?;
    let mut file = Hashing {
        inner: File::open(path).map_err(unreadable)?,
        hasher: Sha256::new(),
    };
    let records = scan_stream(&mut file, utf8, sink)?;
    // the parser stops at the end of the file; whatever it did not ask for is hashed too
    io::copy(&mut file, &mut io::sink()).map_err(unreadable)?;
    Ok((records, lowercase_hex(&file.hasher.finalize())))
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.hasher.update(&buf[..read]);
        Ok(read)
    }
}

/// Scans a byte stream whose encoding was already decided by [`is_utf8`] (`utf8`: read as
/// UTF-8, else as Windows-1252; a byte-order mark decides over both).
fn scan_stream(source: impl Read, utf8: bool, sink: &mut dyn RowSink) -> Result<u64, ScanError> {
    let mut decoded = DecodeReaderBytesBuilder::new()
        .encoding((!utf8).then_some(WINDOWS_1252))
        .bom_override(true)
        .utf8_passthru(true)
        .strip_bom(true)
        .build(source);
    let (prefix, layout) = header_prefix(&mut decoded).map_err(unreadable)?;
    let bounded = Bounded::new(Cursor::new(prefix).chain(decoded));
    let reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(layout.separator)
        .buffer_capacity(CHUNK)
        .from_reader(bounded);
    read_records(reader, layout.line_end, sink)
}

/// The parser over the decoded stream.
type CsvReader<R> = csv::Reader<Bounded<Chain<Cursor<Vec<u8>>, R>>>;

/// Reads every record and hands it on as a row; see the module doc for the row numbers.
fn read_records<R: Read>(
    mut reader: CsvReader<R>,
    line_end: LineEnd,
    sink: &mut dyn RowSink,
) -> Result<u64, ScanError> {
    let mut record = ByteRecord::new();
    let mut lines = RowCounter::default();
    let mut recycled_cells: Vec<CellAt<'static>> = Vec::new();
    let (mut records, mut line_before) = (0u64, 1u64);
    let mut last_line_break = None;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                return unclosed_quote(last_line_break, reader.get_ref()).map(|()| records);
            }
            Err(error) => return Err(read_error(&error, lines.next_row)),
        }
        reader.get_mut().since_record = 0;
        records += 1;
        let position = reader.position();
        let terminated = !reader.get_ref().at_unterminated_end(position.byte());
        // line feeds inside the fields: only possible when the parser went down more than
        // one line, or on the first record (no `\r\n` before it) or an unterminated last
        let line_feeds = if records == 1 || !terminated || position.line() > line_before + 1 {
            record.as_slice().iter().filter(|&&b| b == b'\n').count() as u64
        } else {
            0
        };
        line_before = position.line();
        let row = lines.row(position.line(), line_feeds, terminated, line_end);
        let row = u32::try_from(row).map_err(|_| ScanError {
            cell: None,
            message: "het bestand heeft meer regels dan een werkblad kan bevatten".to_string(),
        })?;
        let mut cells = recycle(std::mem::take(&mut recycled_cells));
        cells_of(&record, row, &mut cells)?;
        last_line_break = last_field_line_break(&record, row);
        if !cells.is_empty() {
            sink.row(row, &cells);
        }
        recycled_cells = recycle(cells);
    }
}

/// The cell of the last field of `record` (at `row`) if that field holds a line break.
fn last_field_line_break(record: &ByteRecord, row: u32) -> Option<(u32, u32)> {
    let last = record.len().checked_sub(1)?;
    let field = record.get(last)?;
    field
        .iter()
        .any(|&b| b == b'\n' || b == b'\r')
        .then(|| (row, u32::try_from(last).unwrap_or(u32::MAX)))
}

/// An error when the file ends inside a quoted field that took in line breaks: its quote
/// was never closed, and every line after it became part of one field. Seen from the end:
/// the last record's last field holds a line break (only a quoted field can) and the
/// file's last byte other than a line break is not the closing quote. (A field ending in a
/// doubled quote `""` with its closing quote missing goes unnoticed.)
fn unclosed_quote<R>(
    last_line_break: Option<(u32, u32)>,
    stream: &Bounded<R>,
) -> Result<(), ScanError> {
    match last_line_break {
        Some(cell) if stream.last_text != Some(b'"') => Err(ScanError {
            cell: Some(cell),
            message: "het aanhalingsteken (\") aan het begin van dit veld wordt niet gesloten: alle regels tot het einde van het bestand zijn als één veld gelezen".to_string(),
        }),
        _ => Ok(()),
    }
}

/// The non-blank fields of `record` (row `row`) as text cells, in column order.
fn cells_of<'r>(
    record: &'r ByteRecord,
    row: u32,
    cells: &mut Vec<CellAt<'r>>,
) -> Result<(), ScanError> {
    let column = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    // one validation for the whole record: fields split at ASCII, so at char boundaries
    let text = std::str::from_utf8(record.as_slice()).map_err(|e| {
        let bad = (0..record.len())
            .find(|&i| record.range(i).is_some_and(|r| r.end > e.valid_up_to()))
            .unwrap_or(0);
        ScanError {
            cell: Some((row, column(bad))),
            message: NOT_UTF8.to_string(),
        }
    })?;
    for i in 0..record.len() {
        match record.range(i).and_then(|r| text.get(r)) {
            Some(field) if !is_blank(field) => cells.push(CellAt {
                col: column(i),
                value: LedgerCell::Text(field),
            }),
            _ => {}
        }
    }
    Ok(())
}

/// Whether a field is empty or only white space (quick for the usual field that starts
/// with a letter or digit).
fn is_blank(field: &str) -> bool {
    match field.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii_graphic() => false,
        Some(_) => field.trim().is_empty(),
    }
}

/// The message for a field that is not UTF-8 in a file that says it is (a byte-order mark).
const NOT_UTF8: &str = "het bestand begint met de markering voor UTF-8, maar deze tekst is geen geldige UTF-8; sla het bestand opnieuw op als ‘CSV UTF-8’";

/// The spreadsheet row of each record, from the parser's line count after it.
#[derive(Default)]
struct RowCounter {
    /// The row of the next record if no blank line precedes it.
    next_row: u64,
    /// The (one-based) line on which the previous record ended; 0 before the first.
    last_line: u64,
}

impl RowCounter {
    /// The row of a record after which the parser stands on `line_after`, with `newlines`
    /// line feeds inside its fields, `terminated` by a line break (the last one may not be).
    ///
    /// The parser has counted every line feed so far: blank lines, the record's own, and its
    /// terminator's for `\n` endings (a `\r\n` record ends at the `\r`, its `\n` is counted
    /// with the next record). With `\r` alone as line end there are no line feeds to count,
    /// and blank lines do not count as rows.
    fn row(&mut self, line_after: u64, newlines: u64, terminated: bool, line_end: LineEnd) -> u64 {
        let start = match line_end {
            LineEnd::Lf => line_after.saturating_sub(newlines + u64::from(terminated)),
            LineEnd::CrLf => line_after.saturating_sub(newlines),
            LineEnd::Cr => 0,
        };
        let start = start.max(self.last_line + 1);
        let row = self.next_row + (start - self.last_line - 1);
        self.next_row = row + 1;
        self.last_line = start + newlines;
        row
    }
}

/// How the header line ends, which the parser's line count depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineEnd {
    /// `\n` (Unix, and most exports), or none: the header is the last line.
    Lf,
    /// `\r\n` (Windows, RFC 4180).
    CrLf,
    /// `\r` alone (old Mac).
    Cr,
}

/// What the header line tells about the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Layout {
    /// `;`, `,` or tab.
    separator: u8,
    /// The header line's line end.
    line_end: LineEnd,
}

/// Reads the decoded stream up to the end of its header line (the first with text) and
/// decides the layout from it; the bytes read are handed back to be parsed first.
fn header_prefix(source: &mut impl Read) -> io::Result<(Vec<u8>, Layout)> {
    let mut prefix = Vec::new();
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let read = read_some(source, &mut chunk)?;
        prefix.extend_from_slice(&chunk[..read]);
        let eof = read == 0 || prefix.len() >= MAX_HEADER_BYTES;
        if let Some(layout) = layout(&prefix, eof) {
            return Ok((prefix, layout));
        }
    }
}

/// Reads into `buf`, retrying when interrupted; 0 at the end of the stream.
fn read_some(source: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match source.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            result => return result,
        }
    }
}

/// Where the header scan is within a field, with quotes as the `csv` crate reads them: a
/// quote opens a quoted field only at the field's start, and `""` inside it is a quote.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    /// At the start of a field.
    Start,
    /// In an unquoted field (a quote here is text).
    Plain,
    /// In a quoted field.
    Quoted,
    /// Just after a quote in a quoted field: it closes, or a second one follows.
    QuoteInQuoted,
}

/// The layout from the header line in `text`, or `None` when the header line may go on past
/// `text` (and `eof` is false). Any of the three separators starts a field, since which one
/// the file uses is what is being found out.
fn layout(text: &[u8], eof: bool) -> Option<Layout> {
    let mut counts = [0usize; 3]; // ; tab ,
    let (mut field, mut has_text) = (Field::Start, false);
    for (i, &byte) in text.iter().enumerate() {
        let separator = [b';', b'\t', b','].iter().position(|&s| s == byte);
        field = match (field, byte, separator) {
            (Field::Quoted, b'"', _) => Field::QuoteInQuoted,
            (Field::Quoted, _, _) | (Field::QuoteInQuoted, b'"', _) => Field::Quoted,
            (Field::Start, b'"', _) => {
                has_text = true;
                Field::Quoted
            }
            (_, b'\r' | b'\n', _) if has_text => return header_end(text, i, eof, counts),
            (_, b'\r' | b'\n', _) => {
                counts = [0; 3];
                Field::Start
            }
            (_, _, Some(kind)) => {
                counts[kind] += 1;
                Field::Start
            }
            _ => {
                has_text |= !byte.is_ascii_whitespace();
                Field::Plain
            }
        };
    }
    // no line break after the header: the file has one line with text
    eof.then(|| Layout {
        separator: separator(counts),
        line_end: LineEnd::Lf,
    })
}

/// The layout of a header line that ends at `text[end]` (`\r` or `\n`), or `None` when
/// whether a `\n` follows a `\r` is not known yet.
fn header_end(text: &[u8], end: usize, eof: bool, counts: [usize; 3]) -> Option<Layout> {
    let line_end = match (text[end], text.get(end + 1)) {
        (b'\n', _) => LineEnd::Lf,
        (_, Some(b'\n')) => LineEnd::CrLf,
        (_, Some(_)) => LineEnd::Cr,
        // the file's last byte: like `\r\n`, the record ends at the `\r`
        (_, None) if eof => LineEnd::CrLf,
        (_, None) => return None,
    };
    Some(Layout {
        separator: separator(counts),
        line_end,
    })
}

/// The separator seen most often (`;`, tab, `,` in that order on a tie; `;` when none).
fn separator(counts: [usize; 3]) -> u8 {
    let separators = [b';', b'\t', b','];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    separators[best]
}

/// Whether the stream is read as UTF-8: it starts with UTF-8's byte-order mark (a byte
/// that is not UTF-8 is then an error at its row), or every byte is valid UTF-8, read in
/// chunks (a character split over two chunks is carried over).
fn is_utf8(mut source: impl Read) -> io::Result<bool> {
    let mut buf = vec![0u8; CHUNK];
    let mut carried = 0;
    let mut first = true;
    loop {
        let read = read_some(&mut source, &mut buf[carried..])?;
        if read == 0 {
            return Ok(carried == 0);
        }
        let filled = carried + read;
        if std::mem::take(&mut first) && buf[..filled].starts_with(UTF8_BOM) {
            return Ok(true);
        }
        carried = match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => 0,
            Err(e) if e.error_len().is_some() => return Ok(false),
            Err(e) => {
                buf.copy_within(e.valid_up_to()..filled, 0);
                filled - e.valid_up_to()
            }
        };
    }
}

/// UTF-8's byte-order mark.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The decoded stream, refusing to go on once a record runs past [`MAX_RECORD_BYTES`]
/// (counted from the last record's end, give or take the parser's buffer).
/// It also notes where the stream ends, and its last byte.
struct Bounded<R> {
    inner: R,
    /// Bytes read since the last record was handed on.
    since_record: u64,
    /// Bytes read in all.
    total: u64,
    /// The last byte read.
    last: Option<u8>,
    /// The last byte read that is not a line break.
    last_text: Option<u8>,
    /// Whether a read found the end of the stream.
    ended: bool,
}

impl<R> Bounded<R> {
    /// `inner`, nothing read yet.
    fn new(inner: R) -> Bounded<R> {
        Bounded {
            inner,
            since_record: 0,
            total: 0,
            last: None,
            last_text: None,
            ended: false,
        }
    }

    /// Whether the parser, standing at byte `position`, is at the end of a stream whose last
    /// line has no line feed.
    fn at_unterminated_end(&self, position: u64) -> bool {
        self.ended && position == self.total && self.last != Some(b'\n')
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.since_record > MAX_RECORD_BYTES {
            return Err(io::Error::other(RecordTooLong));
        }
        let read = self.inner.read(buf)?;
        self.since_record += read as u64;
        self.total += read as u64;
        self.ended |= read == 0;
        if let Some(&last) = buf[..read].last() {
            self.last = Some(last);
        }
        if let Some(&text) = buf[..read]
            .iter()
            .rev()
            .find(|&&b| b != b'\n' && b != b'\r')
        {
            self.last_text = Some(text);
        }
        Ok(read)
    }
}

/// The error [`Bounded`] stops with.
#[derive(Debug)]
struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "record longer than {MAX_RECORD_BYTES} bytes")
    }
}

impl std::error::Error for RecordTooLong {}

/// The Dutch error for a read that stopped at `row` (the row of the record being read).
fn read_error(error: &csv::Error, row: u64) -> ScanError {
    let cell = u32::try_from(row).ok().map(|row| (row, 0));
    let message = match error.kind() {
        csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|e| e.is::<RecordTooLong>()) => {
            format!(
                "deze regel is langer dan {} MiB; staat er een aanhalingsteken (\") dat niet gesloten wordt? Dan wordt alles daarna als één veld gelezen",
                MAX_RECORD_BYTES >> 20
            )
        }
        csv::ErrorKind::Io(io) => return unreadable_at(io, cell),
        _ => format!("het bestand kan hier niet verder worden gelezen ({error})"),
    };
    ScanError { cell, message }
}

/// The Dutch error for a file that cannot be read at all.
fn unreadable(error: io::Error) -> ScanError {
    unreadable_at(&error, None)
}

/// The Dutch error for a read that failed, at `cell` if known.
fn unreadable_at(error: &io::Error, cell: Option<(u32, u32)>) -> ScanError {
    ScanError {
        cell,
        message: io_error(error),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A row handed on: its number and its (column, text) cells.
    type Row = (u32, Vec<(u32, String)>);

    /// Every row handed on.
    #[derive(Default)]
    struct Rows(Vec<Row>);

    impl RowSink for Rows {
        fn row(&mut self, row: u32, cells: &[CellAt<'_>]) {
            let cells = cells
                .iter()
                .map(|c| match c.value {
                    LedgerCell::Text(text) => (c.col, text.to_string()),
                    other => (c.col, format!("{other:?}")),
                })
                .collect();
            self.0.push((row, cells));
        }
    }

    fn scan(bytes: &[u8]) -> Result<Vec<Row>, ScanError> {
        let utf8 = is_utf8(bytes).map_err(unreadable)?;
        let mut rows = Rows::default();
        scan_stream(bytes, utf8, &mut rows)?;
        Ok(rows.0)
    }

    fn row(row: u32, cells: &[(u32, &str)]) -> Row {
        (
            row,
            cells.iter().map(|(c, t)| (*c, t.to_string())).collect(),
        )
    }

    #[test]
    fn semicolon_comma_and_tab_separated() {
        let expected = vec![
            row(0, &[(0, "Boekdatum"), (1, "Omschrijving"), (2, "Bedrag")]),
            row(1, &[(0, "03-01-2022"), (1, "Huur zaal"), (2, "1.234,56")]),
        ];
        let semicolon = "Boekdatum;Omschrijving;Bedrag\n03-01-2022;Huur zaal;1.234,56\n";
        let comma = "Boekdatum,Omschrijving,Bedrag\n03-01-2022,Huur zaal,\"1.234,56\"\n";
        let tab = "Boekdatum\tOmschrijving\tBedrag\n03-01-2022\tHuur zaal\t1.234,56\n";
        for text in [semicolon, comma, tab] {
            assert_eq!(scan(text.as_bytes()).unwrap(), expected, "{text:?}");
        }
    }

    #[test]
    fn the_header_line_decides_the_separator_outside_quotes() {
        let layout = |text: &str| layout(text.as_bytes(), true).unwrap().separator;
        assert_eq!(layout("\"a;b;c\",Bedrag,Datum\n1;2;3;4;5\n"), b',');
        assert_eq!(layout("Datum,Bedrag;Code\n"), b';'); // a tie: `;` first
        assert_eq!(layout("Datum\tBedrag,Code\n"), b'\t');
        assert_eq!(layout("Bedrag\n"), b';');
        // blank and separator-only lines before the header do not count
        assert_eq!(layout("\n,,,,\n  \nDatum;Bedrag\n"), b';');
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_header() {
        let rows = scan(b"\xEF\xBB\xBFBoekdatum;Bedrag\r\n1-2-2022;5\r\n").unwrap();
        assert_eq!(
            rows,
            vec![
                row(0, &[(0, "Boekdatum"), (1, "Bedrag")]),
                row(1, &[(0, "1-2-2022"), (1, "5")]),
            ]
        );
    }

    #[test]
    fn windows_1252_when_not_utf8() {
        // é, €, ë as Windows-1252 bytes
        let bytes = b"Omschrijving;Bedrag\r\nCaf\xE9 Zo\xEBl;\x80 5,00\r\n";
        assert!(!is_utf8(&bytes[..]).unwrap());
        assert_eq!(
            scan(bytes).unwrap()[1],
            row(1, &[(0, "Café Zoël"), (1, "€ 5,00")])
        );
        // the same text in UTF-8 is read as UTF-8, not as Windows-1252
        let utf8 = "Omschrijving;Bedrag\nCafé Zoël;€ 5,00\n";
        assert!(is_utf8(utf8.as_bytes()).unwrap());
        assert_eq!(
            scan(utf8.as_bytes()).unwrap()[1],
            row(1, &[(0, "Café Zoël"), (1, "€ 5,00")])
        );
    }

    #[test]
    fn utf16_with_its_mark_as_excel_saves_unicode_text() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Omschrijving\tBedrag\r\nZoël\t€ 5,00\r\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(
            scan(&bytes).unwrap()[1],
            row(1, &[(0, "Zoël"), (1, "€ 5,00")])
        );
    }

    #[test]
    fn utf8_is_validated_across_chunk_boundaries() {
        let mut bytes = vec![b'a'; CHUNK - 1];
        bytes.extend_from_slice("é€ë".as_bytes());
        assert!(is_utf8(&bytes[..]).unwrap());
        bytes.truncate(bytes.len() - 1); // a cut-off ë at the end
        assert!(!is_utf8(&bytes[..]).unwrap());
        let mut late = vec![b'a'; 3 * CHUNK];
        late.push(0xE9);
        assert!(!is_utf8(&late[..]).unwrap());
    }

    #[test]
    fn a_utf8_mark_with_other_bytes_is_an_error_at_its_cell() {
        let error = scan(b"\xEF\xBB\xBFOmschrijving;Bedrag\nok;1\nCaf\xE9;2\n").unwrap_err();
        assert_eq!(error.cell, Some((2, 0)));
        let error = scan(b"\xEF\xBB\xBFA;B;C\n1;\"2\";\xE93\n").unwrap_err();
        assert_eq!(error.cell, Some((1, 2)));
        assert!(error.message.contains("UTF-8"), "{}", error.message);
    }

    #[test]
    fn quoted_fields_hold_separators_doubled_quotes_and_line_breaks() {
        let text = "Omschrijving;Bedrag\n\"Koffie; thee en \"\"melk\"\"\";5\n\"regel 1\nregel 2\";6\nlaatste;7\n";
        assert_eq!(
            scan(text.as_bytes()).unwrap(),
            vec![
                row(0, &[(0, "Omschrijving"), (1, "Bedrag")]),
                row(1, &[(0, "Koffie; thee en \"melk\""), (1, "5")]),
                row(2, &[(0, "regel 1\nregel 2"), (1, "6")]),
                row(3, &[(0, "laatste"), (1, "7")]),
            ]
        );
        let unterminated = text
            .trim_end_matches('\n')
            .replace("laatste", "\"laat\nste\"");
        let rows = scan(unterminated.as_bytes()).unwrap();
        let numbers: Vec<u32> = rows.iter().map(|(r, _)| *r).collect();
        assert_eq!(numbers, [0, 1, 2, 3]);
        let first = "\"Omschrij\nving\";Bedrag\r\nx;1\r\n";
        let numbers: Vec<u32> = scan(first.as_bytes())
            .unwrap()
            .iter()
            .map(|(r, _)| *r)
            .collect();
        assert_eq!(numbers, [0, 1]);
        let crlf = text.replace('\n', "\r\n");
        let rows = scan(crlf.as_bytes()).unwrap();
        let numbers: Vec<u32> = rows.iter().map(|(r, _)| *r).collect();
        assert_eq!(numbers, [0, 1, 2, 3]);
        assert_eq!(rows[2].1[0].1, "regel 1\r\nregel 2");
    }

    #[test]
    fn blank_lines_are_rows_that_are_not_handed_on() {
        for end in ["\n", "\r\n"] {
            let text = ["", "", "A;B", "", "1;2", " ", ";;", "", "3;4"].join(end);
            let rows = scan(text.as_bytes()).unwrap();
            let numbers: Vec<u32> = rows.iter().map(|(r, _)| *r).collect();
            assert_eq!(numbers, [2, 4, 8], "{text:?}");
            let terminated = format!("{text}{end}");
            let rows = scan(terminated.as_bytes()).unwrap();
            let numbers: Vec<u32> = rows.iter().map(|(r, _)| *r).collect();
            assert_eq!(numbers, [2, 4, 8], "{terminated:?}");
        }
    }

    #[test]
    fn a_header_below_blank_lines_without_a_line_break_after_it() {
        for text in ["\na;b", "\r\n\r\na;b", "\na;b\r"] {
            let numbers: Vec<u32> = scan(text.as_bytes())
                .unwrap()
                .iter()
                .map(|(r, _)| *r)
                .collect();
            let blank = text.matches('\n').count() as u32;
            assert_eq!(numbers, [blank], "{text:?}");
        }
    }

    #[test]
    fn carriage_returns_alone_end_lines_but_blank_ones_are_not_counted() {
        let rows = scan(b"A;B\r1;2\r\r3;4\r").unwrap();
        let numbers: Vec<u32> = rows.iter().map(|(r, _)| *r).collect();
        assert_eq!(numbers, [0, 1, 2]);
        assert_eq!(rows[2], row(2, &[(0, "3"), (1, "4")]));
    }

    #[test]
    fn ragged_rows_and_empty_fields() {
        let rows = scan(b"A;B;C\n1\n;;3;4\n  ; x ;\n").unwrap();
        assert_eq!(
            rows,
            vec![
                row(0, &[(0, "A"), (1, "B"), (2, "C")]),
                row(1, &[(0, "1")]),
                row(2, &[(2, "3"), (3, "4")]),
                row(3, &[(1, " x ")]),
            ]
        );
    }

    #[test]
    fn the_number_of_records_is_returned() {
        let mut rows = Rows::default();
        let count = scan_stream(&b"A;B\n1;2\n\n3;4\n"[..], true, &mut rows).unwrap();
        assert_eq!(count, 3);
        assert_eq!(rows.0.len(), 3);
    }

    #[test]
    fn an_unclosed_quote_stops_at_the_bound_naming_its_row() {
        let mut bytes = b"A;B\n1;2\n\"open;3\n".to_vec();
        for _ in 0..(2 * MAX_RECORD_BYTES / 4) {
            bytes.extend_from_slice(b"5;6\n");
        }
        let mut rows = Rows::default();
        let error = scan_stream(&bytes[..], true, &mut rows).unwrap_err();
        assert_eq!(error.cell, Some((2, 0)));
        assert!(
            error.message.contains("aanhalingsteken"),
            "{}",
            error.message
        );
        assert_eq!(rows.0.len(), 2, "the rows before it were handed on");
    }

    #[test]
    fn an_unclosed_quote_at_the_end_is_an_error_at_its_field() {
        let error = scan(b"A;B;C\n1;\"open;3\n4;5;6\n").unwrap_err();
        assert_eq!(error.cell, Some((1, 1)));
        assert!(error.message.contains("niet gesloten"), "{}", error.message);
        // closed, the same line break in the last field is fine
        let rows = scan(b"A;B;C\n1;\"open;3\n4;5\";6\n7;\"x\ny\"\n").unwrap();
        assert_eq!(rows.len(), 3);
    }

    #[test]
    fn a_file_that_cannot_be_read() {
        let missing = std::env::temp_dir().join("werkplan-bestaat-niet/Boekingen.csv");
        let error = scan_csv(&missing, &mut Rows::default()).unwrap_err();
        assert_eq!(error.cell, None);
        assert!(
            error.message.contains("kan niet worden gelezen"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_file_on_disk() {
        let dir = std::env::temp_dir().join(format!("werkplan-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("Boekingen 2022.csv");
        std::fs::write(&path, b"Datum;Bedrag\r\n31-12-2022;\x80 -1,00\r\n").unwrap();
        let mut rows = Rows::default();
        let count = scan_csv(&path, &mut rows);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(count, Ok(2));
        assert_eq!(rows.0[1], row(1, &[(0, "31-12-2022"), (1, "€ -1,00")]));
    }

    /// An independent reading of `text` (`;`-separated, one kind of line end): every
    /// record with a non-blank field, numbered by the line breaks outside quotes before it;
    /// quotes as the `csv` crate reads them (opening only at a field's start). Also whether
    /// the last record's last field holds a line break (see [`unclosed_quote`]), and whether
    /// the text ends inside a quoted field.
    fn oracle(text: &str) -> (Vec<Row>, bool, bool) {
        #[derive(PartialEq)]
        enum State {
            Start,
            Plain,
            Quoted,
            QuoteInQuoted,
        }
        let (mut rows, mut fields, mut field) = (Vec::new(), Vec::<String>::new(), String::new());
        let (mut state, mut line, mut record_line) = (State::Start, 0u32, 0u32);
        let (mut touched, mut last_break) = (false, false);
        let mut chars = text.chars().peekable();
        let mut end_record = |fields: &mut Vec<String>, record_line: u32, last_break: &mut bool| {
            *last_break = fields.last().is_some_and(|f| f.contains(['\r', '\n']));
            let cells: Vec<(u32, String)> = std::mem::take(fields)
                .into_iter()
                .enumerate()
                .filter(|(_, f)| !f.trim().is_empty())
                .map(|(i, f)| (i as u32, f))
                .collect();
            if !cells.is_empty() {
                rows.push((record_line, cells));
            }
        };
        while let Some(c) = chars.next() {
            if !touched {
                record_line = line;
            }
            let line_break = matches!(c, '\r' | '\n') && state != State::Quoted;
            touched |= !line_break;
            match (&state, c) {
                (State::Quoted, '"') => state = State::QuoteInQuoted,
                (State::Quoted, c) => field.push(c),
                (State::QuoteInQuoted, '"') => (field.push('"'), state = State::Quoted).1,
                (State::Start, '"') => state = State::Quoted,
                (_, ';') => {
                    (
                        fields.push(std::mem::take(&mut field)),
                        state = State::Start,
                    )
                        .1
                }
                (_, '\r' | '\n') => {
                    if c == '\r' && chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    if touched {
                        fields.push(std::mem::take(&mut field));
                        end_record(&mut fields, record_line, &mut last_break);
                    }
                    (state, line, touched) = (State::Start, line + 1, false);
                }
                (_, c) => (field.push(c), state = State::Plain).1,
            }
        }
        let unclosed = state == State::Quoted;
        if touched {
            fields.push(field);
            end_record(&mut fields, record_line, &mut last_break);
        }
        (rows, last_break, unclosed)
    }

    proptest! {
        #[test]
        fn rows_and_cells_agree_with_an_independent_reading(
            parts in proptest::collection::vec(
                // no `,` or tab: the separator is `;` whatever the header holds
                proptest::sample::select(&["a", "é", ";", "\"", "\"\"", "\n", " ", "1.5"][..]),
                0..120,
            ),
            crlf in any::<bool>(),
        ) {
            let text = parts.concat();
            let text = if crlf { text.replace('\n', "\r\n") } else { text };
            let (rows, last_break, unclosed) = oracle(&text);
            let quote_last = text.trim_end_matches(['\r', '\n']).ends_with('"');
            if unclosed && last_break && quote_last {
                // the blind spot of `unclosed_quote`: a doubled quote just before the end
            } else if last_break && !quote_last {
                let error = scan(text.as_bytes()).unwrap_err();
                prop_assert!(error.message.contains("niet gesloten"), "{:?}", text);
            } else {
                prop_assert_eq!(scan(text.as_bytes()).unwrap(), rows, "{:?}", text);
            }
        }

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = scan(&bytes);
        }

        #[test]
        fn rows_are_the_lines_of_a_file_without_quotes(
            lines in proptest::collection::vec(
                proptest::sample::select(&["", " ", "a;b", "1;2;3", "x", ";;", "é;€"][..]),
                1..40,
            ),
            crlf in any::<bool>(),
            terminated in any::<bool>(),
        ) {
            let mut text = lines.join(if crlf { "\r\n" } else { "\n" });
            if terminated {
                text.push_str(if crlf { "\r\n" } else { "\n" });
            }
            let expected: Vec<u32> = lines
                .iter()
                .enumerate()
                .filter(|(_, l)| l.chars().any(|c| c != ';' && c != ' '))
                .map(|(i, _)| i as u32)
                .collect();
            let rows: Vec<u32> = scan(text.as_bytes()).unwrap().iter().map(|(r, _)| *r).collect();
            prop_assert_eq!(rows, expected, "{:?}", text);
        }

        #[test]
        fn random_csv_text_never_panics_and_rows_increase(
            parts in proptest::collection::vec(
                proptest::sample::select(&["a", "é", ";", ",", "\t", "\"", "\n", "\r", " ", "\r\n", "1,5"][..]),
                0..200,
            )
        ) {
            let text = parts.concat();
            if let Ok(rows) = scan(text.as_bytes()) {
                prop_assert!(rows.windows(2).all(|w| w[0].0 < w[1].0));
                prop_assert!(rows.iter().all(|(_, cells)| !cells.is_empty()
                    && cells.windows(2).all(|w| w[0].0 < w[1].0)));
            }
        }
    }
}
