//! The merged cells of an xlsx worksheet (`<mergeCells>` near the end of its XML), found
//! while the zip check inflates the sheet anyway ([`MergeScan`]), so that the sheet is not
//! inflated and parsed a second time only for them.
//!
//! Only the plain case is taken, in which the result is the one calamine's
//! `merge_cells_by_sheet_name` gives: no comment, CDATA section or processing instruction
//! in the part (where `<mergeCells` could be text), references of at most three letters and
//! seven digits. In any other case the scan does not know, and calamine reads them, as
//! before.

use std::io::Write;

use memchr::memmem;
use quick_xml::events::Event;

/// A merged range: (first row, first column) and (last row, last column), zero-based.
pub(crate) type Merged = ((u32, u32), (u32, u32));

/// The most bytes kept from `<mergeCells` to the end of the part (the merged ranges and the
/// page setup after them); a sheet with more is left to calamine.
const MAX_SECTION: usize = 16 << 20;

/// Bytes of one chunk kept for the next, so that a tag split between two chunks is seen:
/// `<`, a namespace prefix and `mergeCells` and the character after it.
const CARRY: usize = 64;

/// Watches a worksheet part's XML stream past (as an [`std::io::Write`] sink) and keeps
/// its `<mergeCells>` section; [`MergeScan::finish`] reads the ranges from it.
#[derive(Default)]
pub(crate) struct MergeScan {
    /// The last bytes of the previous chunk, before the section is found.
    carry: Vec<u8>,
    /// Bytes seen before the current chunk.
    seen: usize,
    /// From the `<` of the `mergeCells` start tag to the end of the part, once found.
    section: Option<Vec<u8>>,
    /// Something is in the part that this scan does not read like calamine.
    unsure: bool,
}

impl MergeScan {
    /// Looks at the next chunk of the part.
    fn feed(&mut self, chunk: &[u8]) {
        if self.unsure {
            return;
        }
        if let Some(section) = &mut self.section {
            section.extend_from_slice(chunk);
            if section.len() > MAX_SECTION {
                self.unsure = true;
                self.section = None;
            }
            return;
        }
        let mut window = std::mem::take(&mut self.carry);
        let carried = window.len();
        let window_start = self.seen - carried;
        window.extend_from_slice(chunk);
        self.seen += chunk.len();
        // a comment, CDATA or processing instruction (other than the declaration at the start)
        let odd = memmem::find_iter(&window, b"<!")
            .chain(memmem::find_iter(&window, b"<?").filter(|at| window_start + at > 8))
            .next()
            .is_some();
        if odd {
            self.unsure = true;
            return;
        }
        // a name that ended, with the character after it, in the carried bytes was looked at
        let new = |at: &usize| at + b"mergeCells".len() + 1 > carried;
        for at in memmem::find_iter(&window, b"mergeCells").filter(new) {
            match start_tag(&window, at) {
                Tag::Start(from) => {
                    self.section = Some(window[from..].to_vec());
                    return;
                }
                Tag::Unsure => {
                    self.unsure = true;
                    return;
                }
                Tag::No | Tag::MoreNeeded => {}
            }
        }
        let keep = window.len().saturating_sub(CARRY);
        window.drain(..keep);
        self.carry = window;
    }

    /// The merged ranges, in the sheet's order; `None` when the scan is not sure (calamine
    /// is asked then).
    pub(crate) fn finish(self) -> Option<Vec<Merged>> {
        if self.unsure {
            return None;
        }
        match self.section {
            None => Some(Vec::new()),
            Some(section) => ranges(&section),
        }
    }
}

impl Write for MergeScan {
    fn write(&mut self, chunk: &[u8]) -> std::io::Result<usize> {
        self.feed(chunk);
        Ok(chunk.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What a `mergeCells` found in the bytes is.
enum Tag {
    /// The start tag (or empty element) `<mergeCells` or `<prefix:mergeCells`, from here.
    Start(usize),
    /// Not a start tag: an end tag or part of a longer name.
    No,
    /// At the end of the chunk: the next one tells (the carry holds it).
    MoreNeeded,
    /// A tag whose start is not in the window.
    Unsure,
}

/// Whether `mergeCells` at `at` in `window` is the name of a start tag. `<` cannot be text
/// in XML (outside comments and CDATA, which the scan does not take), so a `<` before the
/// name, or before a namespace prefix and `:`, starts a tag.
fn start_tag(window: &[u8], at: usize) -> Tag {
    let after = at + b"mergeCells".len();
    match window.get(after) {
        None => return Tag::MoreNeeded,
        Some(b) if !(b.is_ascii_whitespace() || *b == b'>' || *b == b'/') => return Tag::No,
        Some(_) => {}
    }
    let Some(before) = at.checked_sub(1) else {
        return Tag::Unsure;
    };
    match window[before] {
        b'<' => Tag::Start(before),
        b':' => {
            let name = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
            let prefix = window[..before]
                .iter()
                .rev()
                .take_while(|b| name(b))
                .count();
            match before.checked_sub(prefix + 1) {
                Some(lt) if window[lt] == b'<' && prefix > 0 => Tag::Start(lt),
                Some(_) => Tag::No,
                None => Tag::Unsure,
            }
        }
        _ => Tag::No,
    }
}

/// The ranges of a `<mergeCells>` section, read as calamine reads them (`mergeCell`
/// elements' `ref` up to the end of `mergeCells`); `None` for anything unusual.
fn ranges(section: &[u8]) -> Option<Vec<Merged>> {
    let mut reader = quick_xml::Reader::from_reader(section);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut merged = Vec::new();
    let mut buffer = Vec::new();
    let mut opened = false;
    loop {
        buffer.clear();
        match reader.read_event_into(&mut buffer).ok()? {
            Event::Start(e) if !opened => {
                opened = e.local_name().as_ref() == "mergeCells";
                if !opened {
                    return None;
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "mergeCell" => {
                let mut reference = None;
                for attribute in e.attributes() {
                    let attribute = attribute.ok()?;
                    if attribute.key.as_ref() == "ref" && reference.is_none() {
                        reference = Some(dimension(attribute.value.as_bytes())?);
                    }
                }
                merged.extend(reference);
            }
            Event::End(e) if e.local_name().as_ref() == "mergeCells" => return Some(merged),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// `A1` or `A1:C2` as zero-based (row, column) pairs; `None` for anything but one or two
/// references of one to three letters and one to seven digits.
fn dimension(raw: &[u8]) -> Option<Merged> {
    let mut parts = raw.split(|b| *b == b':');
    let start = reference(parts.next()?)?;
    let end = match parts.next() {
        Some(part) => reference(part)?,
        None => start,
    };
    match parts.next() {
        Some(_) => None,
        None => Some((start, end)),
    }
}

/// `B12` as zero-based (row, column).
fn reference(raw: &[u8]) -> Option<(u32, u32)> {
    let letters = raw.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = raw.get(letters..)?;
    if !(1..=3).contains(&letters)
        || !(1..=7).contains(&digits.len())
        || !digits.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let col = raw[..letters].iter().fold(0u32, |acc, b| {
        acc * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    });
    let row = digits
        .iter()
        .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'));
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(xml: &str, chunk: usize) -> Option<Vec<Merged>> {
        let mut scan = MergeScan::default();
        for part in xml.as_bytes().chunks(chunk) {
            scan.write_all(part).unwrap();
        }
        scan.finish()
    }

    const SHEET: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="x"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lt;mergeCells ref="A1:B2"/&gt; mergeCells</t></is></c></row></sheetData><mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="B3:B4"></mergeCell></mergeCells><pageMargins left="0.7"/></worksheet>"#;

    #[test]
    fn the_merged_ranges_are_found_whatever_the_chunks() {
        for chunk in [1, 2, 3, 7, 10, 11, 64, 65, 4096] {
            assert_eq!(
                scan(SHEET, chunk),
                Some(vec![((0, 0), (0, 2)), ((2, 1), (3, 1))]),
                "chunks of {chunk}"
            );
        }
    }

    #[test]
    fn prefixed_empty_and_missing_sections() {
        let prefixed =
            r#"<x:worksheet><x:mergeCells><x:mergeCell ref="AA10"/></x:mergeCells></x:worksheet>"#;
        assert_eq!(scan(prefixed, 5), Some(vec![((9, 26), (9, 26))]));
        assert_eq!(
            scan("<worksheet><mergeCells/></worksheet>", 4),
            Some(vec![])
        );
        assert_eq!(scan("<worksheet><sheetData/></worksheet>", 4), Some(vec![]));
    }

    #[test]
    fn anything_unusual_is_left_to_calamine() {
        let comment = "<worksheet><!-- <mergeCells> --><sheetData/></worksheet>";
        assert_eq!(scan(comment, 8), None);
        let odd_ref =
            r#"<worksheet><mergeCells><mergeCell ref="$A$1:B2"/></mergeCells></worksheet>"#;
        assert_eq!(scan(odd_ref, 8), None);
        let unclosed = r#"<worksheet><mergeCells><mergeCell ref="A1:B2"/>"#;
        assert_eq!(scan(unclosed, 8), None);
    }

    /// Each sheet's merged ranges by calamine and by the scan, sorted.
    fn both(bytes: Vec<u8>) -> (Vec<Vec<Merged>>, Vec<Vec<Merged>>) {
        use calamine::Reader;
        let mut xlsx: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
        let mut expected: Vec<Vec<Merged>> = xlsx
            .sheet_names()
            .iter()
            .map(|sheet| {
                let regions = xlsx.merge_cells_by_sheet_name(sheet).unwrap();
                regions.iter().map(|d| (d.start, d.end)).collect()
            })
            .collect();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut found = Vec::new();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            if entry.name().unwrap().starts_with("xl/worksheets/sheet") {
                let mut scan = MergeScan::default();
                std::io::copy(&mut entry, &mut scan).unwrap();
                found.push(scan.finish().unwrap());
            }
        }
        expected.sort();
        found.sort();
        (expected, found)
    }

    #[test]
    fn workbooks_give_what_calamine_gives() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/input/werkplan-2022.xlsx");
        let (expected, found) = both(std::fs::read(path).unwrap());
        assert_eq!(found, expected);
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let format = rust_xlsxwriter::Format::new();
        let sheet = workbook.add_worksheet();
        sheet.write(0, 0, "Regel").unwrap();
        sheet.merge_range(1, 0, 1, 3, "Samen", &format).unwrap();
        sheet.merge_range(2, 2, 30, 2, "Lang", &format).unwrap();
        sheet
            .merge_range(1500, 26, 1501, 702, "Ver", &format)
            .unwrap();
        workbook.add_worksheet().write(0, 0, 1).unwrap();
        let (expected, found) = both(workbook.save_to_buffer().unwrap());
        assert_eq!(expected.iter().map(Vec::len).sum::<usize>(), 3);
        assert_eq!(found, expected);
    }
}
