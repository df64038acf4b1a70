//! The resource limits of one run, in one place.
//!
//! A workbook is refused with a clear error, before calamine reads it, when it is larger
//! than these: so a sheet that claims an absurd dimension or a zip bomb costs seconds and a
//! bounded amount of memory, never the machine. All are configurable on the command line.

use crate::model::Money;

/// The limits of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest workbook file read, in bytes (`--max-bestand-mib`).
    pub max_file_bytes: u64,
    /// The most a workbook may unpack to, all its parts together, in bytes
    /// (`--max-uitgepakt-mib`). An `.xlsx` is a zip archive; this stops zip bombs.
    pub max_unpacked_bytes: u64,
    /// The most cells with a value one sheet may hold (`--max-cellen`).
    pub max_cells: u64,
    /// The largest range a sheet may claim or span, in cells, rows times columns
    /// (`--max-bereik`). A stray cell far away is fine; a sheet that claims
    /// `A1:XFD1048576` (17 billion cells) is refused.
    pub max_area: u64,
    /// The most the ledger reader may unpack of one workbook (its ledger and register
    /// sheets, shared strings and styles), in bytes (`--max-boekingen-mib`), counted as it
    /// inflates. Ledger sheets are streamed, never held, so they are not counted in
    /// [`Limits::max_unpacked_bytes`] nor [`Limits::max_cells`]: this bound only keeps the
    /// time of a run (and of a zip bomb) in hand.
    pub max_ledger_unpacked_bytes: u64,
}

impl Limits {
    /// 100 MiB per file, 512 MiB unpacked, 5 million filled cells and a range of 100
    /// million cells per sheet, 4 GiB of ledger sheets unpacked per workbook (some ten
    /// million bookings): far above any werkplan workbook (the bundled 2022 one is some 12 KiB,
    /// some 500 cells with a value), far below what would strain a laptop.
    pub const DEFAULT: Limits = Limits {
        max_file_bytes: 100 << 20,
        max_unpacked_bytes: 512 << 20,
        max_cells: 5_000_000,
        max_area: 100_000_000,
        max_ledger_unpacked_bytes: 4 << 30,
    };
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

/// Bytes as MiB for messages: `512 MiB`.
pub fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes.div_ceil(1 << 20))
}

/// `17179869184` -> `17.179.869.184`.
pub fn dutch_count(n: u64) -> String {
    let mut out = String::new();
    Money::push_grouped(&mut out, n.to_string().as_bytes());
    out
}
