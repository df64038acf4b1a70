//! The memory of scanning an xlsx ledger (issue 9): the sheet is streamed, so what the
//! scanner holds must not grow with the number of bookings. Counted by a global allocator
//! that keeps the high-water mark of the bytes allocated (this binary runs one test, so no
//! other test's allocations are counted).

use rust_xlsxwriter::{Format, Workbook};
use werkplan::ingest::ledger::xlsx::LedgerWorkbook;
use werkplan::ingest::ledger::{CellAt, LedgerCell, RowSink};

#[path = "support/counting.rs"]
mod counting;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// A ledger with inline strings (no shared-string table, which grows with the distinct
/// texts by nature): date, instrument, code, description, amount.
fn ledger(rows: u32) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory().unwrap();
    sheet.set_name("Boekingen 2022").unwrap();
    let date = Format::new().set_num_format("dd-mm-yyyy");
    sheet.write_string(0, 0, "Boekdatum").unwrap();
    sheet.write_string(0, 4, "Bedrag").unwrap();
    for r in 1..=rows {
        sheet
            .write_number_with_format(r, 0, 44_562.0 + f64::from(r % 365), &date)
            .unwrap();
        sheet.write_string(r, 1, "Reguliere middelen").unwrap();
        sheet
            .write_string(r, 2, format!("{}.{}", r % 6 + 1, r % 4))
            .unwrap();
        sheet
            .write_string(r, 3, format!("Factuur {r:07} leverancier & co"))
            .unwrap();
        sheet
            .write_number(r, 4, f64::from(r % 100_000) / 100.0)
            .unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

/// Counts the booked cents, as the ledger's sink does.
#[derive(Default)]
struct Sum {
    cents: i64,
    rows: u64,
}

impl RowSink for Sum {
    fn row(&mut self, _row: u32, cells: &[CellAt<'_>]) {
        self.rows += 1;
        for cell in cells {
            if let LedgerCell::Number(text) = cell.value
                && cell.col == 4
            {
                self.cents += werkplan::ingest::amount::cents_from_number_text(text).unwrap();
            }
        }
    }
}

/// The peak of the bytes allocated while opening and scanning the ledger (the workbook's
/// own bytes not counted).
fn peak_of_scanning(bytes: &[u8], rows: u32) -> usize {
    let (sum, peak) = counting::peak_of(|| {
        let mut workbook = LedgerWorkbook::open(bytes, 1 << 30).unwrap();
        let mut sum = Sum::default();
        workbook.scan("Boekingen 2022", &mut sum).unwrap();
        sum
    });
    assert_eq!(sum.rows, u64::from(rows) + 1);
    peak
}

#[test]
fn scanning_a_ledger_holds_the_same_memory_for_five_times_the_rows() {
    let (small, large) = (20_000, 100_000);
    let small_bytes = ledger(small);
    let large_bytes = ledger(large);
    let small_peak = peak_of_scanning(&small_bytes, small);
    let large_peak = peak_of_scanning(&large_bytes, large);
    eprintln!(
        "peak while scanning: {small} rows {small_peak} bytes, {large} rows {large_peak} bytes"
    );
    // a few buffers of 256 KiB, whatever the rows; 100.000 rows of cells would be ~20 MB
    assert!(large_peak < 4 << 20, "{large_peak} bytes for {large} rows");
    assert!(
        large_peak < small_peak + (512 << 10),
        "{large_peak} bytes for {large} rows against {small_peak} for {small}"
    );
}
