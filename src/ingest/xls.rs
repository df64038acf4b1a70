//! The percent cells of an `.xls` (Excel 97-2003, BIFF8), which calamine reads as plain
//! numbers: it does not pass number formats on. A percent-formatted 0,15 (shown as 15%)
//! would be read as € 0,15, so the cells whose format shows a percentage are found here,
//! for the grid to mark them `RawCell::Percent` (as for `.xlsx` and `.ods`).
//!
//! The workbook is a compound file (CFB); its `Workbook` stream holds the records: the
//! number formats (`FORMAT`), the cell formats (`XF`, each naming a number format) and the
//! sheets (`BOUNDSHEET8`, with the offset of each sheet's records), then per sheet the number
//! cells (`NUMBER`, `RK`, `MULRK`, `FORMULA`), each with the index of its `XF`. Anything
//! this reader does not understand (a BIFF5 `Book` stream, an encrypted workbook, a broken
//! file) gives no percent cells: calamine then reads or refuses the file as before.

use std::collections::HashSet;

use crate::ingest::ods::PercentCells;

/// The built-in number formats that show a percentage: `0%` and `0.00%`.
const BUILT_IN_PERCENT: [u16; 2] = [9, 10];

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// A compound file's sectors and allocation table.
struct Compound<'a> {
    bytes: &'a [u8],
    sector: usize,
    fat: Vec<u32>,
}

/// The end of a sector chain, and the other special values (all above this).
const MAX_SECTOR: u32 = 0xFFFF_FFFA;

impl<'a> Compound<'a> {
    fn open(bytes: &'a [u8]) -> Option<Compound<'a>> {
        let shift = u16_at(bytes, 0x1E)?;
        if !(7..=16).contains(&shift) {
            return None;
        }
        let sector = 1usize << shift;
        let mut compound = Compound {
            bytes,
            sector,
            fat: Vec::new(),
        };
        // the sectors of the allocation table: 109 in the header, the rest in DIFAT sectors
        let mut fat_sectors: Vec<u32> = (0..109)
            .filter_map(|i| u32_at(bytes, 0x4C + 4 * i))
            .filter(|s| *s <= MAX_SECTOR)
            .collect();
        let mut difat = u32_at(bytes, 0x44)?;
        let mut seen = HashSet::new();
        while difat <= MAX_SECTOR && seen.insert(difat) {
            let data = compound.sector_bytes(difat)?;
            let per = sector / 4 - 1;
            fat_sectors.extend(
                (0..per)
                    .filter_map(|i| u32_at(data, 4 * i))
                    .filter(|s| *s <= MAX_SECTOR),
            );
            difat = u32_at(data, 4 * per)?;
        }
        for s in fat_sectors {
            let data = compound.sector_bytes(s)?;
            compound
                .fat
                .extend((0..sector / 4).filter_map(|i| u32_at(data, 4 * i)));
        }
        Some(compound)
    }

    fn sector_bytes(&self, index: u32) -> Option<&'a [u8]> {
        let start = (index as usize).checked_add(1)?.checked_mul(self.sector)?;
        self.bytes.get(start..start.checked_add(self.sector)?)
    }

    /// The sectors of a chain, concatenated (at most `limit` bytes).
    fn chain(&self, first: u32, limit: usize) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut next = first;
        let mut seen = HashSet::new();
        while next <= MAX_SECTOR && out.len() < limit {
            if !seen.insert(next) {
                return None; // a loop
            }
            out.extend_from_slice(self.sector_bytes(next)?);
            next = *self.fat.get(next as usize)?;
        }
        out.truncate(limit);
        Some(out)
    }

    /// The `Workbook` stream (in the regular sectors: a workbook stream is never under the
    /// mini-stream cutoff of 4.096 bytes, as its globals alone are larger).
    fn workbook(&self) -> Option<Vec<u8>> {
        let directory = self.chain(u32_at(self.bytes, 0x30)?, self.bytes.len())?;
        let cutoff = u32_at(self.bytes, 0x38)? as usize;
        directory.chunks_exact(128).find_map(|entry| {
            let len = usize::from(u16_at(entry, 0x40)?);
            let name: Vec<u16> = (0..len.saturating_sub(2) / 2)
                .filter_map(|i| u16_at(entry, 2 * i))
                .collect();
            if String::from_utf16_lossy(&name) != "Workbook" || entry.get(0x42) != Some(&2) {
                return None;
            }
            let size = u32_at(entry, 0x78)? as usize;
            if size < cutoff {
                return None;
            }
            self.chain(u32_at(entry, 0x74)?, size)
        })
    }
}

/// The records of a BIFF stream from `at`: (type, data).
fn records(stream: &[u8], mut at: usize) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let kind = u16_at(stream, at)?;
        let len = usize::from(u16_at(stream, at + 2)?);
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((kind, data))
    })
}

/// A BIFF8 `XLUnicodeString` (16-bit count) or `ShortXLUnicodeString` (8-bit count) at the
/// start of `data`.
fn unicode_string(data: &[u8], short: bool) -> Option<String> {
    let (count, flags_at) = if short {
        (usize::from(*data.first()?), 1)
    } else {
        (usize::from(u16_at(data, 0)?), 2)
    };
    let flags = *data.get(flags_at)?;
    let text = data.get(flags_at + 1..)?;
    if flags & 1 == 0 {
        Some(text.get(..count)?.iter().map(|b| char::from(*b)).collect())
    } else {
        let units: Vec<u16> = (0..count).filter_map(|i| u16_at(text, 2 * i)).collect();
        Some(String::from_utf16_lossy(&units))
    }
}

/// The workbook globals: per `XF`, whether it shows a percentage; and each worksheet.
struct Globals {
    percent: Vec<bool>,
    /// Name and the offset of its records in the stream.
    sheets: Vec<(String, usize)>,
}

/// The workbook globals of a BIFF8 stream.
fn globals(stream: &[u8]) -> Option<Globals> {
    let mut percent_formats: HashSet<u16> = BUILT_IN_PERCENT.into_iter().collect();
    let mut xf_formats: Vec<u16> = Vec::new();
    let mut sheets = Vec::new();
    // BOF of the globals: BIFF8 only
    let (kind, bof) = records(stream, 0).next()?;
    if kind != 0x0809 || u16_at(bof, 0)? != 0x0600 {
        return None;
    }
    for (kind, data) in records(stream, 0).skip(1) {
        match kind {
            0x002F => return None, // FILEPASS: encrypted
            0x041E => {
                let code = unicode_string(data.get(2..)?, false)?;
                if super::read::is_percent_format(&code) {
                    percent_formats.insert(u16_at(data, 0)?);
                }
            }
            0x00E0 => xf_formats.push(u16_at(data, 2)?),
            0x0085 if data.get(5) == Some(&0) => {
                let name = unicode_string(data.get(6..)?, true)?;
                sheets.push((name, u32_at(data, 0)? as usize));
            }
            0x000A => break,
            _ => {}
        }
    }
    let percent = xf_formats
        .iter()
        .map(|f| percent_formats.contains(f))
        .collect();
    Some(Globals { percent, sheets })
}

/// The number cells of the sheet whose records start at `offset` that use a percent `XF`.
fn sheet_cells(stream: &[u8], offset: usize, percent: &[bool]) -> Vec<(u32, u32)> {
    let is_percent =
        |xf: Option<u16>| xf.is_some_and(|x| percent.get(usize::from(x)) == Some(&true));
    let mut cells = Vec::new();
    for (kind, data) in records(stream, offset).skip(1) {
        let at = |data: &[u8]| Some((u32::from(u16_at(data, 0)?), u32::from(u16_at(data, 2)?)));
        match kind {
            // NUMBER, RK, FORMULA: row, column, XF
            0x0203 | 0x027E | 0x0006 if is_percent(u16_at(data, 4)) => cells.extend(at(data)),
            // MULRK: row, first column, (XF, RK) per cell, last column
            0x00BD => {
                let (Some(row), Some(first)) = (u16_at(data, 0), u16_at(data, 2)) else {
                    continue;
                };
                let count = data.len().saturating_sub(6) / 6;
                for i in 0..count {
                    if is_percent(u16_at(data, 4 + 6 * i)) {
                        cells.push((u32::from(row), u32::from(first) + i as u32));
                    }
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    cells.sort_unstable();
    cells
}

/// The percent cells of an `.xls`, per sheet; none for a file this reader does not
/// understand.
pub(crate) fn percent_cells(bytes: &[u8]) -> PercentCells {
    let found = || {
        let stream = Compound::open(bytes)?.workbook()?;
        let Globals { percent, sheets } = globals(&stream)?;
        if !percent.contains(&true) {
            return Some(Vec::new());
        }
        let cells = sheets
            .into_iter()
            .map(|(name, offset)| {
                let cells = sheet_cells(&stream, offset, &percent);
                (name, cells)
            })
            .collect();
        Some(cells)
    };
    PercentCells::from_sheets(found().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixture folder's workbook (each folder is an input folder of its own).
    fn fixture(folder: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(folder)
            .join("werkplan-2022.xls");
        std::fs::read(path).unwrap()
    }

    #[test]
    fn the_percent_cell_of_an_xls_is_found() {
        // the 2022 workbook saved by LibreOffice as .xls, Reguliere middelen F7 as 15%
        let percent = percent_cells(&fixture("xls-percentage"));
        assert_eq!(percent.of("Reguliere middelen"), &[(6, 5)]);
        assert_eq!(percent.of("Drenthe-brede projecten"), &[]);
        // the same workbook without it
        let none = percent_cells(&fixture("xls"));
        assert_eq!(none.of("Reguliere middelen"), &[]);
    }

    #[test]
    fn a_file_that_is_no_compound_file_has_no_percent_cells() {
        for bytes in [
            &b""[..],
            b"geen werkboek",
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
        ] {
            assert_eq!(percent_cells(bytes), PercentCells::default());
        }
    }

    #[test]
    fn a_damaged_xls_never_panics() {
        // every byte flipped in turn (a sample of them) and every length cut off: the
        // sector chains, records and strings are read with bounds, loops are refused
        let bytes = fixture("xls-percentage");
        for i in (0..bytes.len()).step_by(7) {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0xFF;
            let _ = percent_cells(&damaged);
        }
        for len in (0..bytes.len()).step_by(97) {
            let _ = percent_cells(&bytes[..len]);
        }
    }

    /// A BIFF record: type, length, data.
    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut out = kind.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    /// A cell's row, column and XF, as NUMBER, RK and FORMULA start.
    fn cell(row: u16, col: u16, xf: u16) -> Vec<u8> {
        [row, col, xf]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect()
    }

    #[test]
    fn custom_and_built_in_percent_formats_and_every_kind_of_number_cell() {
        let bof = record(0x0809, &[0x00, 0x06, 0x05, 0x00]);
        let eof = record(0x000A, &[]);
        // FORMAT 164 `0.0%` (8-bit characters), 165 `0" %"` (only prints the sign)
        let format = |id: u16, code: &str| {
            let mut data = id.to_le_bytes().to_vec();
            data.extend((code.len() as u16).to_le_bytes());
            data.push(0);
            data.extend(code.bytes());
            record(0x041E, &data)
        };
        let formats = [format(164, "0.0%"), format(165, "0\" %\"")].concat();
        // XF 0: General, 1: 164, 2: built-in 10 (0.00%), 3: 165
        let xfs: Vec<u8> = [0u16, 164, 10, 165]
            .iter()
            .flat_map(|f| record(0x00E0, &[[0, 0], f.to_le_bytes()].concat()))
            .collect();
        let globals_len = bof.len() + formats.len() + xfs.len() + eof.len();
        // one worksheet named `Blad`, its records right after the globals
        let name = b"Blad";
        let sheet_record_len = 4 + 6 + 2 + name.len();
        let offset = (globals_len + sheet_record_len) as u32;
        let mut boundsheet = offset.to_le_bytes().to_vec();
        boundsheet.extend([0, 0, name.len() as u8, 0]);
        boundsheet.extend(name);
        let sheet = [
            bof.clone(),
            record(
                0x0203,
                &[cell(1, 2, 1), 0.15f64.to_le_bytes().to_vec()].concat(),
            ),
            record(0x027E, &[cell(2, 0, 0), vec![0; 4]].concat()),
            record(0x0006, &[cell(3, 4, 3), vec![0; 14]].concat()),
            record(0x0006, &[cell(4, 4, 2), vec![0; 14]].concat()),
            // MULRK row 5 from column 1: XF 0, 2, 1, then the last column (3)
            record(
                0x00BD,
                &[
                    [5u16, 1].iter().flat_map(|v| v.to_le_bytes()).collect(),
                    [0u16, 2, 1]
                        .iter()
                        .flat_map(|xf| [xf.to_le_bytes().to_vec(), vec![0; 4]].concat())
                        .collect(),
                    3u16.to_le_bytes().to_vec(),
                ]
                .concat(),
            ),
            eof.clone(),
        ]
        .concat();
        let stream = [bof, formats, xfs, record(0x0085, &boundsheet), eof, sheet].concat();
        let Globals { percent, sheets } = globals(&stream).unwrap();
        assert_eq!(percent, [false, true, true, false]);
        assert_eq!(sheets, [("Blad".to_string(), offset as usize)]);
        assert_eq!(
            sheet_cells(&stream, offset as usize, &percent),
            [(1, 2), (4, 4), (5, 2), (5, 3)]
        );
    }
}
