//! One `<row>` of a ledger sheet's XML to cells: positions checked, values typed (shared and
//! inline strings, numbers as their text, date serials to dates, booleans, errors, formulas
//! without a cached value), texts borrowed from the buffer unless they need unescaping.

use super::xml::{self, LAST_COL, LAST_ROW, Parsed, Tag, TagKind};
use super::{CellAt, LedgerCell, ScanError};
use crate::ingest::read::SAVE_AGAIN;
use crate::model::{Date, a1};

/// The shared strings of a workbook: all texts in one buffer, with where each ends.
#[derive(Debug, Default)]
pub(crate) struct SharedStrings {
    /// The texts, one after the other.
    pub text: String,
    /// Where each text ends in `text`.
    pub ends: Vec<u32>,
}

impl SharedStrings {
    /// The text with this index.
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = match index {
            0 => 0,
            _ => *self.ends.get(index - 1)? as usize,
        };
        self.text.get(start..end)
    }

    /// How many texts.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
}

/// What a row's cells are read against.
pub(crate) struct Context<'w> {
    /// The shared strings.
    pub strings: &'w SharedStrings,
    /// Per cell style: a date format?
    pub date_styles: &'w [bool],
    /// The 1904 date system.
    pub date1904: bool,
}

/// Where a value's text is, until the row is handed over.
#[derive(Clone, Copy, Debug)]
enum Src {
    /// In the row's XML, unchanged.
    Body(usize, usize),
    /// In the scratch buffer (unescaped or joined).
    Scratch(usize, usize),
    /// A shared string.
    Shared(usize),
}

/// A value whose text is not yet borrowed.
#[derive(Clone, Copy, Debug)]
enum Pending {
    Text(Src),
    Number(Src),
    Date(Date),
    Bool(bool),
    Error(Src),
}

/// A row's cells while it is read, and its scratch buffer: both reused from row to row.
#[derive(Debug, Default)]
pub(crate) struct RowBuffers {
    pending: Vec<(u32, Pending)>,
    /// The `<t>` texts of the inline string being read (phonetic runs left out), with
    /// whether each keeps its spaces (`xml:space="preserve"`).
    pieces: Vec<(usize, usize, bool)>,
    scratch: String,
    out: Vec<CellAt<'static>>,
}

/// An error at a cell.
fn at(row: u32, col: u32, message: String) -> ScanError {
    ScanError {
        cell: Some((row, col)),
        message,
    }
}

/// The XML of a cell is broken.
fn malformed(row: u32, col: u32) -> ScanError {
    at(
        row,
        col,
        format!(
            "de XML van het blad is beschadigd bij cel {}; {SAVE_AGAIN}",
            a1(row, col)
        ),
    )
}

/// Reads a row's body (between `<row ...>` and `</row>`) and hands its non-empty cells to
/// `sink`. A row without its own number (`numbered` false) is at `row` unless its first
/// cell's reference says a later one (writers that leave out `r` on rows may still skip
/// blank rows). Returns whether the row had any cells, and its number.
pub(crate) fn read_row(
    body: &[u8],
    mut row: u32,
    numbered: bool,
    context: &Context<'_>,
    buffers: &mut RowBuffers,
    sink: &mut dyn super::RowSink,
) -> Result<(bool, u32), ScanError> {
    buffers.pending.clear();
    buffers.scratch.clear();
    let mut pos = 0;
    let mut last_col: Option<u32> = None;
    while let Some(i) = xml::find_byte(b'<', &body[pos..]) {
        let start = pos + i;
        let (cell, tag_len, empty) = match fast_cell_tag(&body[start..]) {
            Some(fast) => fast,
            None => {
                let next_col = last_col.map_or(0, |c| c.saturating_add(1)).min(LAST_COL);
                let Parsed::Tag(tag) = xml::parse_tag(&body[start..]) else {
                    return Err(malformed(row, next_col));
                };
                match (tag.kind, tag.name) {
                    (TagKind::Start | TagKind::Empty, b"c") => {
                        (CellTag::read(&tag), tag.len, tag.kind == TagKind::Empty)
                    }
                    (TagKind::Cdata, _) => return Err(malformed(row, next_col)),
                    _ => {
                        pos = start + tag.len;
                        continue;
                    }
                }
            }
        };
        pos = start + tag_len;
        if !numbered && last_col.is_none() {
            row = row_of_reference(cell.reference).map_or(row, |r| r.max(row));
        }
        let col = position(cell.reference, row, last_col)?;
        last_col = Some(col);
        if empty {
            continue;
        }
        buffers.pieces.clear();
        let rest = &body[pos..];
        let (parts, used) = match fast_cell_body(rest, pos, &mut buffers.pieces) {
            Some(fast) => fast,
            None => cell_parts(rest, pos, row, col, &mut buffers.pieces)?,
        };
        pos += used;
        if let Some(value) = value(body, &cell, &parts, context, buffers, (row, col))? {
            buffers.pending.push((col, value));
        }
    }
    if buffers.pending.is_empty() {
        return Ok((false, row));
    }
    hand_over(body, row, context, buffers, sink)?;
    Ok((true, row))
}

/// The zero-based row a cell reference names, if it is a reference inside the sheet.
fn row_of_reference(reference: Option<&[u8]>) -> Option<u32> {
    let (r, _) = xml::cell_reference(reference?)?;
    (1..=u64::from(LAST_ROW) + 1)
        .contains(&r)
        .then(|| (r - 1) as u32)
}

/// Borrows every pending value and calls the sink.
fn hand_over(
    body: &[u8],
    row: u32,
    context: &Context<'_>,
    buffers: &mut RowBuffers,
    sink: &mut dyn super::RowSink,
) -> Result<(), ScanError> {
    let RowBuffers {
        pending,
        scratch,
        out,
        ..
    } = buffers;
    let mut cells: Vec<CellAt<'_>> = recycle(std::mem::take(out));
    for &(col, value) in pending.iter() {
        let text = |src: Src| -> Result<&str, ScanError> {
            match src {
                Src::Body(s, e) => std::str::from_utf8(&body[s..e]).map_err(|_| {
                    at(
                        row,
                        col,
                        format!(
                            "de cel {} bevat tekens die geen geldige tekst (UTF-8) zijn; {SAVE_AGAIN}",
                            a1(row, col)
                        ),
                    )
                }),
                Src::Scratch(s, e) => Ok(scratch.get(s..e).unwrap_or_default()),
                Src::Shared(i) => Ok(context.strings.get(i).unwrap_or_default()),
            }
        };
        let value = match value {
            Pending::Text(src) => LedgerCell::Text(text(src)?),
            Pending::Number(src) => LedgerCell::Number(text(src)?),
            Pending::Error(src) => LedgerCell::Error(text(src)?),
            Pending::Date(date) => LedgerCell::Date(date),
            Pending::Bool(b) => LedgerCell::Bool(b),
        };
        if value != LedgerCell::Text("") {
            cells.push(CellAt { col, value });
        }
    }
    if !cells.is_empty() {
        sink.row(row, &cells);
    }
    *out = recycle(cells);
    Ok(())
}

/// An emptied vector for cells of another lifetime, keeping its allocation (the in-place
/// collect of the standard library reuses it: same size and alignment).
// `filter` would keep the lifetime; the point is to change it
#[allow(clippy::unnecessary_filter_map)]
pub(super) fn recycle<'b>(mut cells: Vec<CellAt<'_>>) -> Vec<CellAt<'b>> {
    cells.clear();
    cells.into_iter().filter_map(|_| None).collect()
}

/// The attributes of a `<c>` that matter.
struct CellTag<'a> {
    reference: Option<&'a [u8]>,
    style: Option<&'a [u8]>,
    kind: Option<&'a [u8]>,
}

impl<'a> CellTag<'a> {
    fn read(tag: &Tag<'a>) -> CellTag<'a> {
        let mut cell = CellTag {
            reference: None,
            style: None,
            kind: None,
        };
        for (name, value) in xml::attributes(tag.attrs) {
            match name {
                b"r" => cell.reference = Some(value),
                b"s" => cell.style = Some(value),
                b"t" => cell.kind = Some(value),
                _ => {}
            }
        }
        cell
    }
}

/// The common `<c r="A2" s="1" t="s">` read in one walk (no prefix, double quotes, no
/// spaces around `=`): its attributes, length and whether it closes itself. `None` sends
/// anything else to the general path ([`xml::parse_tag`]), which also judges broken XML.
fn fast_cell_tag(buf: &[u8]) -> Option<(CellTag<'_>, usize, bool)> {
    if buf.get(1) != Some(&b'c') || !matches!(buf.get(2), Some(b' ' | b'>' | b'/')) {
        return None;
    }
    let mut cell = CellTag {
        reference: None,
        style: None,
        kind: None,
    };
    let mut i = 2;
    loop {
        match *buf.get(i)? {
            b' ' => i += 1,
            b'>' => return Some((cell, i + 1, false)),
            b'/' => return (buf.get(i + 1) == Some(&b'>')).then_some((cell, i + 2, true)),
            _ => {
                let name_start = i;
                while *buf.get(i)? != b'=' {
                    if matches!(buf[i], b' ' | b'>' | b'/' | b'"' | b'\'' | b'<') {
                        return None;
                    }
                    i += 1;
                }
                if buf.get(i + 1) != Some(&b'"') {
                    return None;
                }
                let value_start = i + 2;
                let len = xml::find_byte(b'"', &buf[value_start..])?;
                let value = &buf[value_start..value_start + len];
                if value.contains(&b'<') {
                    return None;
                }
                match &buf[name_start..i] {
                    b"r" => cell.reference = Some(value),
                    b"s" => cell.style = Some(value),
                    b"t" => cell.kind = Some(value),
                    _ => {}
                }
                i = value_start + len + 1;
                if !matches!(buf.get(i), Some(b' ' | b'>' | b'/')) {
                    return None;
                }
            }
        }
    }
}

/// The common cell bodies read directly: `<v>text</v></c>`, `<is><t>text</t></is></c>`
/// and `</c>`. `None` sends anything else to [`cell_parts`].
fn fast_cell_body(
    body: &[u8],
    base: usize,
    pieces: &mut Vec<(usize, usize, bool)>,
) -> Option<(CellParts, usize)> {
    let mut parts = CellParts::default();
    if body.starts_with(b"</c>") {
        return Some((parts, 4));
    }
    let (open, close): (&[u8], &[u8]) = if body.starts_with(b"<v>") {
        (b"<v>", b"</v></c>")
    } else if body.starts_with(b"<is><t>") {
        (b"<is><t>", b"</t></is></c>")
    } else {
        return None;
    };
    let start = open.len();
    let end = start + xml::find_byte(b'<', &body[start..])?;
    if !body[end..].starts_with(close) {
        return None;
    }
    let range = (base + start, base + end);
    if open == b"<v>" {
        parts.value = Some(range);
    } else {
        parts.has_inline = true;
        pieces.push((range.0, range.1, false));
    }
    Some((parts, end + close.len()))
}

/// The cell's zero-based column, checked: inside the sheet, in this row, after the previous
/// cell. Without a reference, the column after the previous cell.
fn position(reference: Option<&[u8]>, row: u32, last_col: Option<u32>) -> Result<u32, ScanError> {
    let next = last_col.map_or(0, |c| c.saturating_add(1));
    let Some(raw) = reference else {
        if next > LAST_COL {
            return Err(outside(row, LAST_COL, &format!("{} +1", a1(row, LAST_COL))));
        }
        return Ok(next);
    };
    let parsed = xml::cell_reference(raw);
    if let Some((r, c)) = parsed
        && r == u64::from(row) + 1
        && c >= 1
        && c <= u64::from(LAST_COL) + 1
        && last_col.is_none_or(|last| c - 1 > u64::from(last))
    {
        return Ok((c - 1) as u32);
    }
    let shown = String::from_utf8_lossy(raw).into_owned();
    let Some((r, c)) = parsed else {
        return Err(at(
            row,
            next.min(LAST_COL),
            format!(
                "de cel na {} heeft een ongeldige verwijzing ‘{shown}’; {SAVE_AGAIN}",
                a1(row, next.saturating_sub(1))
            ),
        ));
    };
    if r == 0 || r > u64::from(LAST_ROW) + 1 || c > u64::from(LAST_COL) + 1 {
        return Err(outside(row, next.min(LAST_COL), &shown));
    }
    let (r, c) = ((r - 1) as u32, (c - 1) as u32);
    if r != row || last_col.is_some_and(|last| c <= last) {
        let before = a1(row, last_col.unwrap_or(0));
        let message = if r == row && last_col == Some(c) {
            format!(
                "twee cellen hebben dezelfde verwijzing {shown}; welke waarde geldt is niet te zeggen; {SAVE_AGAIN}"
            )
        } else if r != row {
            format!(
                "de cel {shown} staat in het bestand in rij {}: een celverwijzing is ongeldig (bijvoorbeeld een rijnummer voorbij 1.048.576 dat terugloopt) of de cellen staan niet op volgorde; {SAVE_AGAIN}",
                row + 1
            )
        } else {
            format!(
                "de cel {shown} staat in het bestand na {before}: een celverwijzing is ongeldig (bijvoorbeeld een rijnummer voorbij 1.048.576 dat terugloopt) of de cellen staan niet op volgorde; {SAVE_AGAIN}"
            )
        };
        return Err(at(row, next.min(LAST_COL), message));
    }
    Ok(c)
}

/// A reference beyond the sheet's last row or column.
pub(crate) fn outside(row: u32, col: u32, shown: &str) -> ScanError {
    at(
        row,
        col,
        format!(
            "een cel heeft een verwijzing buiten een Excel-blad ({shown}; het blad loopt tot rij 1.048.576 en kolom XFD); de celverwijzingen in het bestand zijn ongeldig; {SAVE_AGAIN}"
        ),
    )
}

/// What a cell's body holds, as ranges of the row body.
#[derive(Default)]
struct CellParts {
    /// `<v>` text.
    value: Option<(usize, usize)>,
    /// `<f>` text.
    formula: Option<(usize, usize)>,
    /// There was an `<is>` (its texts are in [`RowBuffers`]).
    has_inline: bool,
}

/// Reads a cell's children up to `</c>`; `base` is where `body` starts in the row body.
/// Returns the parts and the bytes used.
fn cell_parts(
    body: &[u8],
    base: usize,
    row: u32,
    col: u32,
    pieces: &mut Vec<(usize, usize, bool)>,
) -> Result<(CellParts, usize), ScanError> {
    let mut parts = CellParts::default();
    let mut pos = 0;
    let mut phonetic = false;
    let mut text_kind: Option<(&[u8], bool)> = None;
    loop {
        let i = xml::find_byte(b'<', &body[pos..]).ok_or_else(|| malformed(row, col))?;
        let text = (base + pos, base + pos + i);
        let start = pos + i;
        let Parsed::Tag(tag) = xml::parse_tag(&body[start..]) else {
            return Err(malformed(row, col));
        };
        pos = start + tag.len;
        match (tag.kind, tag.name) {
            (TagKind::End, b"c") => return Ok((parts, pos)),
            (TagKind::Cdata, _) => return Err(malformed(row, col)),
            (TagKind::Start, b"v" | b"f") => text_kind = Some((tag.name, false)),
            (TagKind::Start, b"t") if parts.has_inline && !phonetic => {
                let preserve = xml::attribute(tag.attrs, b"xml:space") == Some(b"preserve");
                text_kind = Some((b"t", preserve));
            }
            (TagKind::End, name) => {
                match text_kind.take() {
                    Some((b"v", _)) if name == b"v" => parts.value = Some(text),
                    Some((b"f", _)) if name == b"f" => parts.formula = Some(text),
                    Some((b"t", preserve)) if name == b"t" => {
                        pieces.push((text.0, text.1, preserve));
                    }
                    _ => {}
                }
                if name == b"rPh" {
                    phonetic = false;
                }
            }
            (TagKind::Empty, b"v") => parts.value = Some((0, 0)),
            (TagKind::Empty, b"f") => parts.formula = Some((0, 0)),
            (TagKind::Start | TagKind::Empty, b"is") => parts.has_inline = true,
            (TagKind::Start, b"rPh") => phonetic = true,
            _ => {}
        }
    }
}

/// The cell's typed value, or `None` for an empty cell.
fn value(
    body: &[u8],
    cell: &CellTag<'_>,
    parts: &CellParts,
    context: &Context<'_>,
    buffers: &mut RowBuffers,
    (row, col): (u32, u32),
) -> Result<Option<Pending>, ScanError> {
    let kind = cell.kind.unwrap_or(b"n");
    if kind == b"inlineStr" || kind == b"is" {
        return Ok(Some(Pending::Text(inline_text(body, buffers, (row, col))?)));
    }
    let raw = parts.value;
    let Some((s, e)) = raw.filter(|&(s, e)| !xml::trim(&body[s..e]).is_empty()) else {
        return formula_without_value(body, parts, buffers, (row, col));
    };
    let trimmed = trimmed_range(body, s, e);
    let unescaped = |buffers: &mut RowBuffers| text_src(body, (s, e), buffers, (row, col));
    Ok(Some(match kind {
        b"s" => Pending::Text(shared(&body[trimmed.0..trimmed.1], context, (row, col))?),
        b"str" => Pending::Text(unescaped(buffers)?),
        b"e" => Pending::Error(unescaped(buffers)?),
        b"b" => match &body[trimmed.0..trimmed.1] {
            b"1" | b"true" => Pending::Bool(true),
            b"0" | b"false" => Pending::Bool(false),
            _ => Pending::Error(Src::Body(trimmed.0, trimmed.1)),
        },
        b"d" => {
            let iso = std::str::from_utf8(&body[trimmed.0..trimmed.1]).unwrap_or_default();
            match iso.get(..10).and_then(Date::parse_iso) {
                Some(date) if iso.len() == 10 || iso.as_bytes()[10] == b'T' => Pending::Date(date),
                _ => Pending::Text(Src::Body(trimmed.0, trimmed.1)),
            }
        }
        b"n" => number(&body[trimmed.0..trimmed.1], cell, context)
            .unwrap_or(Pending::Number(Src::Body(trimmed.0, trimmed.1))),
        other => {
            return Err(at(
                row,
                col,
                format!(
                    "de cel {} heeft een onbekend celtype ‘{}’; {SAVE_AGAIN}",
                    a1(row, col),
                    String::from_utf8_lossy(other)
                ),
            ));
        }
    }))
}

/// A number in a date-styled cell as a date; `None` otherwise (the number stays a number).
fn number(text: &[u8], cell: &CellTag<'_>, context: &Context<'_>) -> Option<Pending> {
    let style = cell.style.and_then(xml::number)?;
    if !*context.date_styles.get(usize::try_from(style).ok()?)? {
        return None;
    }
    let serial: f64 = std::str::from_utf8(text).ok()?.parse().ok()?;
    serial_to_date(serial, context.date1904).map(Pending::Date)
}

fn trimmed_range(body: &[u8], s: usize, e: usize) -> (usize, usize) {
    let t = xml::trim(&body[s..e]);
    let offset = t.as_ptr() as usize - body[s..e].as_ptr() as usize;
    (s + offset, s + offset + t.len())
}

/// `=formula` for a formula without a cached value; `None` for a cell without either.
fn formula_without_value(
    body: &[u8],
    parts: &CellParts,
    buffers: &mut RowBuffers,
    (row, col): (u32, u32),
) -> Result<Option<Pending>, ScanError> {
    let Some((s, e)) = parts.formula else {
        return Ok(None);
    };
    let start = buffers.scratch.len();
    buffers.scratch.push('=');
    if xml::unescape(&body[s..e], &mut buffers.scratch).is_none() {
        return Err(bad_text(row, col));
    }
    Ok(Some(Pending::Error(Src::Scratch(
        start,
        buffers.scratch.len(),
    ))))
}

fn bad_text(row: u32, col: u32) -> ScanError {
    at(
        row,
        col,
        format!(
            "de tekst van cel {} is onleesbaar (een ongeldige XML-entiteit of geen UTF-8); {SAVE_AGAIN}",
            a1(row, col)
        ),
    )
}

/// Raw text as a source: borrowed unless it needs unescaping.
fn text_src(
    body: &[u8],
    (s, e): (usize, usize),
    buffers: &mut RowBuffers,
    (row, col): (u32, u32),
) -> Result<Src, ScanError> {
    if !xml::needs_unescape(&body[s..e]) {
        return Ok(Src::Body(s, e));
    }
    let start = buffers.scratch.len();
    xml::unescape(&body[s..e], &mut buffers.scratch).ok_or_else(|| bad_text(row, col))?;
    Ok(Src::Scratch(start, buffers.scratch.len()))
}

/// An inline string: its `<t>` texts joined, trimmed unless they keep their spaces.
fn inline_text(
    body: &[u8],
    buffers: &mut RowBuffers,
    (row, col): (u32, u32),
) -> Result<Src, ScanError> {
    let piece = |&(s, e, preserve): &(usize, usize, bool)| {
        if preserve {
            (s, e)
        } else {
            let t = xml::trim(&body[s..e]);
            let offset = t.as_ptr() as usize - body[s..e].as_ptr() as usize;
            (s + offset, s + offset + t.len())
        }
    };
    if let [one] = buffers.pieces.as_slice() {
        let one = piece(one);
        return text_src(body, one, buffers, (row, col));
    }
    let RowBuffers {
        pieces, scratch, ..
    } = buffers;
    let start = scratch.len();
    for part in pieces.iter() {
        let (s, e) = piece(part);
        xml::unescape(&body[s..e], scratch).ok_or_else(|| bad_text(row, col))?;
    }
    Ok(Src::Scratch(start, scratch.len()))
}

/// A shared-string index, checked against the table.
fn shared(digits: &[u8], context: &Context<'_>, (row, col): (u32, u32)) -> Result<Src, ScanError> {
    let index = xml::number(digits).and_then(|i| usize::try_from(i).ok());
    match index {
        Some(i) if i < context.strings.len() => Ok(Src::Shared(i)),
        _ => Err(at(
            row,
            col,
            format!(
                "de cel {} verwijst naar gedeelde tekst nummer ‘{}’, maar het werkboek heeft er {}; {SAVE_AGAIN}",
                a1(row, col),
                String::from_utf8_lossy(digits),
                context.strings.len()
            ),
        )),
    }
}

/// An Excel date serial as a date, the time of day dropped. The 1900 system counts Excel's
/// non-existent 29 February 1900 (serial 60, which gives `None`); the 1904 system counts
/// from 1 January 1904 (serial 0). `None` before the system's first day or after 9999.
pub(crate) fn serial_to_date(serial: f64, date1904: bool) -> Option<Date> {
    if !(0.0..3_000_000.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let since_1970 = match (date1904, days) {
        (true, 0..=2_957_003) => days - 24_107,
        (false, 1..=59) => days - 25_568,
        (false, 61..=2_958_465) => days - 25_569,
        _ => return None,
    };
    civil_from_days(since_1970)
}

/// Days since 1970-01-01 to a date (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> Option<Date> {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date::new(
        i32::try_from(year).ok()?,
        u32::try_from(month).ok()?,
        u32::try_from(day).ok()?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<Date> {
        Date::new(y, m, d)
    }

    #[test]
    fn date_serials_in_both_systems() {
        assert_eq!(serial_to_date(1.0, false), date(1900, 1, 1));
        assert_eq!(serial_to_date(59.0, false), date(1900, 2, 28));
        assert_eq!(serial_to_date(60.0, false), None); // Excel's 29 February 1900
        assert_eq!(serial_to_date(61.0, false), date(1900, 3, 1));
        assert_eq!(serial_to_date(44_562.0, false), date(2022, 1, 1));
        assert_eq!(serial_to_date(44_562.75, false), date(2022, 1, 1));
        assert_eq!(serial_to_date(44_926.0, false), date(2022, 12, 31));
        assert_eq!(serial_to_date(2_958_465.0, false), date(9999, 12, 31));
        assert_eq!(serial_to_date(2_958_466.0, false), None);
        assert_eq!(serial_to_date(0.0, false), None);
        assert_eq!(serial_to_date(-1.0, false), None);
        assert_eq!(serial_to_date(f64::NAN, false), None);
        assert_eq!(serial_to_date(0.0, true), date(1904, 1, 1));
        assert_eq!(serial_to_date(43_100.0, true), date(2022, 1, 1));
    }

    #[test]
    fn a_leap_day_and_a_century() {
        assert_eq!(serial_to_date(43_890.0, false), date(2020, 2, 29));
        assert_eq!(serial_to_date(36_585.0, false), date(2000, 2, 29));
        assert_eq!(serial_to_date(73_110.0, false), date(2100, 3, 1));
    }
}
