//! The xlsx ledger scanner against calamine on the 2022 workbook as the tests write it
//! (`tests/support`), with a small ledger sheet added: every non-empty cell of every sheet the same, every merged area the
//! same. The budget path reads these sheets with calamine; a ledger sheet read by the
//! scanner must mean what calamine would have read.

mod support;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use werkplan::ingest::ledger::xlsx::LedgerWorkbook;
use werkplan::ingest::ledger::{CellAt, LedgerCell, MergedArea, RowSink};

/// Cells as `(row, col, value)` in a form both readers can be compared in.
#[derive(Default)]
struct Cells {
    cells: Vec<(u32, u32, String)>,
    merged: Vec<MergedArea>,
}

impl RowSink for Cells {
    fn row(&mut self, row: u32, cells: &[CellAt<'_>]) {
        for cell in cells {
            let value = match cell.value {
                LedgerCell::Text(t) => format!("tekst {t}"),
                LedgerCell::Number(n) => format!("getal {}", n.parse::<f64>().unwrap()),
                LedgerCell::Float(f) => format!("getal {f}"),
                LedgerCell::Date(d) => format!("datum {}", excel_serial(d.year, d.month, d.day)),
                LedgerCell::Bool(b) => format!("waar {b}"),
                LedgerCell::Error(e) => format!("fout {e}"),
            };
            self.cells.push((row, cell.col, value));
        }
    }

    fn merged(&mut self, areas: &[MergedArea]) {
        self.merged = areas.to_vec();
    }
}

fn calamine_cells(xlsx: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<(u32, u32, String)> {
    let range = xlsx.worksheet_range(sheet).unwrap();
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range
        .used_cells()
        .filter_map(|(r, c, value)| {
            let value = match value {
                Data::String(s) if s.is_empty() => return None,
                Data::String(s) => format!("tekst {s}"),
                Data::Float(f) => format!("getal {f}"),
                Data::Int(i) => format!("getal {i}"),
                Data::Bool(b) => format!("waar {b}"),
                Data::DateTime(d) => format!("datum {}", d.as_f64()),
                other => format!("{other:?}"),
            };
            Some((r0 + r as u32, c0 + c as u32, value))
        })
        .collect()
}

/// The 1900-system serial of a date after February 1900 (days since 1899-12-30), computed
/// independently of the scanner (Howard Hinnant's `days_from_civil`).
fn excel_serial(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + 25_569
}

/// A small ledger as a finance export writes it: dates, texts, amounts with cents, a
/// correction, an empty `Onderdeel`.
fn ledger() -> support::SheetSpec {
    use support::{C, n, t};
    let mut rows = vec![
        [
            "Boekdatum",
            "Instrument",
            "Thema",
            "Code",
            "Onderdeel",
            "Omschrijving",
            "Bedrag",
        ]
        .iter()
        .map(|h| t(h))
        .collect::<Vec<_>>(),
    ];
    for i in 0..60u8 {
        rows.push(vec![
            C::D(2022, 1 + i % 12, 1 + i % 28),
            t([
                "Reguliere middelen",
                "Drenthe-brede projecten",
                "Alliantieprojecten",
            ][usize::from(i % 3)]),
            n(f64::from(1 + i % 6)),
            t(&format!("{}.{}", 1 + i % 6, i % 4)),
            if i % 5 == 0 { t("deel 1") } else { C::E },
            t(&format!("Factuur {i} & co <spoed> “leverancier”")),
            n(if i % 17 == 0 {
                -12.5
            } else {
                1_000.0 + f64::from(i) + 0.01 * f64::from(i)
            }),
        ]);
    }
    support::SheetSpec::new("Boekingen 2022", rows)
}

#[test]
fn the_2022_workbook_and_a_ledger_read_as_calamine_reads_them() {
    let mut sheets = support::werkplan2022::sheets();
    sheets.push(ledger());
    let bytes = support::workbook_bytes(&sheets);
    let mut xlsx: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    let mut workbook = LedgerWorkbook::open(&bytes, 1 << 30).unwrap();
    assert_eq!(workbook.sheet_names(), xlsx.sheet_names());
    let (mut compared, mut merged_areas) = (0, 0);
    for sheet in workbook.sheet_names() {
        let mut cells = Cells::default();
        let rows = workbook.scan(&sheet, &mut cells).unwrap();
        let expected = calamine_cells(&mut xlsx, &sheet);
        assert_eq!(cells.cells, expected, "{sheet}");
        let distinct_rows = {
            let mut rows: Vec<u32> = expected.iter().map(|c| c.0).collect();
            rows.dedup();
            rows.len() as u64
        };
        assert_eq!(rows, distinct_rows, "{sheet}");
        let merged: Vec<MergedArea> = xlsx
            .merge_cells_by_sheet_name(&sheet)
            .unwrap()
            .iter()
            .map(|d| MergedArea {
                start: d.start,
                end: d.end,
            })
            .collect();
        assert_eq!(cells.merged, merged, "{sheet}");
        compared += expected.len();
        merged_areas += merged.len();
    }
    // the 2022 workbook has a few hundred cells: a comparison of nothing proves nothing
    assert!(compared > 100, "{compared}");
    eprintln!("{compared} cells, {merged_areas} merged areas compared");
}

/// Sums the `Bedrag` column (B) exactly, from the number text.
#[derive(Default)]
struct Sum {
    total: rust_decimal::Decimal,
    rows: u64,
}

impl RowSink for Sum {
    fn row(&mut self, row: u32, cells: &[CellAt<'_>]) {
        for cell in cells {
            if let (1, LedgerCell::Number(text)) = (cell.col, cell.value) {
                let amount = werkplan::ingest::amount::from_number_text(text)
                    .unwrap_or_else(|e| panic!("row {row}: {text}: {e}"));
                self.total += amount.decimal();
                self.rows += 1;
            }
        }
    }
}

#[test]
fn a_ledger_sums_to_the_exact_sum_of_its_amounts() {
    use support::{C, n, t};
    // amounts with cents, some negative, as floats in the workbook (as Excel stores them)
    let cents: Vec<i64> = (0..20_000i64)
        .map(|i| {
            let c = (i * 7_919 + 13) % 2_500_000 + 1;
            if i % 33 == 0 { -c } else { c }
        })
        .collect();
    let mut rows = vec![vec![t("Boekdatum"), t("Bedrag")]];
    rows.extend(
        cents
            .iter()
            .map(|&c| vec![C::D(2022, 3, 1), n(c as f64 / 100.0)]),
    );
    let bytes = support::workbook_bytes(&[support::SheetSpec::new("Boekingen 2022", rows)]);
    let mut workbook = LedgerWorkbook::open(&bytes, 1 << 30).unwrap();
    let mut sum = Sum::default();
    workbook.scan("Boekingen 2022", &mut sum).unwrap();
    let exact: rust_decimal::Decimal = cents
        .iter()
        .map(|&c| rust_decimal::Decimal::new(c, 2))
        .sum();
    assert_eq!(sum.rows, 20_000);
    assert_eq!(sum.total, exact);
}

/// Sums what a generated ledger's rows say: in total, the corrections, and per month of
/// the booking date.
#[derive(Default)]
struct MonthSums {
    total: support::ledger::Sum,
    corrections: support::ledger::Sum,
    per_month: std::collections::BTreeMap<(u16, u8), support::ledger::Sum>,
}

impl RowSink for MonthSums {
    fn row(&mut self, row: u32, cells: &[CellAt<'_>]) {
        if row == 0 {
            return; // the header
        }
        let date = cells.iter().find_map(|c| match (c.col, c.value) {
            (0, LedgerCell::Date(d)) => Some((d.year as u16, d.month as u8)),
            _ => None,
        });
        let amount = cells.iter().find_map(|c| match (c.col, c.value) {
            (6, LedgerCell::Number(text)) => Some(
                werkplan::ingest::amount::from_number_text(text)
                    .unwrap()
                    .decimal(),
            ),
            _ => None,
        });
        let (Some(month), Some(amount)) = (date, amount) else {
            panic!("row {row}: no date or amount in {cells:?}");
        };
        let add = |sum: &mut support::ledger::Sum| {
            sum.amount += amount;
            sum.bookings += 1;
        };
        add(&mut self.total);
        if amount.is_sign_negative() {
            add(&mut self.corrections);
        }
        add(self.per_month.entry(month).or_default());
    }
}

/// The generated ledger of the monthly run's tests (`tests/support/ledger.rs`), with shared
/// and with inline strings: the scanner's sums, total, corrections and per month, equal
/// the generator's exact Decimal-per-booking sums.
#[test]
fn a_generated_ledger_sums_to_the_generators_exact_sums() {
    use support::ledger::{Strings, write_xlsx};
    let dir = support::temp_dir("ledger-xlsx-scan");
    for (strings, rows) in [(Strings::Shared, 100_000), (Strings::Inline, 20_000)] {
        let expected = write_xlsx(&dir, "boekingen.xlsx", true, rows, 9, strings);
        let bytes = std::fs::read(dir.join("boekingen.xlsx")).unwrap();
        let mut workbook = LedgerWorkbook::open(&bytes, 1 << 30).unwrap();
        let mut sums = MonthSums::default();
        let read = workbook.scan("Boekingen 2022", &mut sums).unwrap();
        assert_eq!(read, rows as u64 + 1, "{strings:?}");
        assert_eq!(sums.total, expected.total, "{strings:?}");
        assert!(sums.corrections.bookings > 0, "{strings:?}");
        assert_eq!(sums.corrections, expected.corrections, "{strings:?}");
        assert_eq!(sums.per_month, expected.per_month, "{strings:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
