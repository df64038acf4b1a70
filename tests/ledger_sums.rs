//! The generated ledgers that the monthly-run tests and the benchmark use
//! (`tests/support/ledger.rs`): their expected sums agree with each other and with every
//! booking computed a second way, the files hold exactly those bookings, and the same seed
//! gives the same bytes. (After the ledger is read by `werkplan build`, the acceptance test
//! compares the pipeline's sums at 100,000 rows with [`ledger::expected`].)

mod support;

use std::io::Cursor;
use std::str::FromStr;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use rust_decimal::Decimal;
use support::ledger::{self, Encoding, Expected, HEADER, Strings, Sum};
use werkplan::ingest::ledger::csv::scan_csv;
use werkplan::ingest::ledger::{CellAt, LedgerCell, RowSink};

/// Rows in the generated ledgers here: enough for every line and month, and fast.
const ROWS: usize = 5_000;

/// The sum of a set of sums.
fn total<'a>(sums: impl Iterator<Item = &'a Sum>) -> Sum {
    sums.fold(Sum::default(), |acc, s| Sum {
        amount: acc.amount + s.amount,
        bookings: acc.bookings + s.bookings,
    })
}

#[test]
fn the_sums_per_month_and_per_line_add_up_to_every_booking() {
    let expected = ledger::expected(ROWS, 7);
    // a second way: integer cents over the bookings, one Decimal at the end
    let cents: i64 = ledger::bookings(ROWS, 7).map(|b| b.cents).sum();
    assert_eq!(expected.total.amount, Decimal::new(cents, 2));
    assert_eq!(expected.total.bookings, ROWS);
    assert_eq!(total(expected.per_month.values()), expected.total);
    assert_eq!(total(expected.per_line.values()), expected.total);
    assert_eq!(total(expected.per_line_month.values()), expected.total);
    for (line, sum) in &expected.per_line {
        let months = expected
            .per_line_month
            .iter()
            .filter(|((l, _), _)| l == line)
            .map(|(_, s)| s);
        assert_eq!(total(months), *sum, "{line:?}");
    }
}

#[test]
fn bookings_cover_the_year_in_date_order_with_a_few_corrections() {
    let bookings: Vec<_> = ledger::bookings(ROWS, 11).collect();
    assert!(bookings.windows(2).all(|w| w[0].date <= w[1].date));
    assert_eq!(bookings.first().map(|b| b.date), Some((ledger::YEAR, 1, 1)));
    assert_eq!(
        bookings.last().map(|b| b.date),
        Some((ledger::YEAR, 12, 31))
    );
    let corrections = bookings.iter().filter(|b| b.cents < 0).count();
    let percent = corrections as f64 * 100.0 / ROWS as f64;
    assert!((1.5..4.5).contains(&percent), "{percent} % corrections");
    assert!(bookings.iter().all(|b| b.cents != 0));
    assert!(
        bookings.iter().any(|b| b.cents % 100 != 0),
        "amounts with cents"
    );
    let lengths: Vec<usize> = bookings.iter().map(|b| b.text.chars().count()).collect();
    let mean = lengths.iter().sum::<usize>() / lengths.len();
    assert!((30..=50).contains(&mean), "text of {mean} characters");
    let expected = ledger::expected(ROWS, 11);
    assert_eq!(expected.corrections.bookings, corrections);
    assert_eq!(expected.per_month.len(), 12);
}

#[test]
fn the_lines_are_those_of_the_2022_workbook() {
    let lines = ledger::lines_2022();
    let keys: std::collections::BTreeSet<_> = lines.iter().map(|l| &l.key).collect();
    assert_eq!(keys.len(), lines.len(), "every line once");
    let awards = lines
        .iter()
        .filter(|l| l.key.instrument == "Alliantieprojecten")
        .count();
    assert_eq!(awards, support::werkplan2022::AWARDS.len());
    let sheets = support::werkplan2022::sheets();
    let text_in = |sheet: usize, text: &str| {
        sheets[sheet]
            .rows
            .iter()
            .flatten()
            .any(|c| matches!(c, support::C::T(t) if t == text))
    };
    for line in &lines {
        let sheet = match line.key.instrument {
            "Reguliere middelen" => 1,
            "Drenthe-brede projecten" => 2,
            _ => 4,
        };
        assert!(text_in(sheet, &line.key.code), "{:?}", line.key);
        if let Some(part) = &line.key.part {
            assert!(text_in(sheet, part), "{:?}", line.key);
        }
        assert!(line.spendable > 0);
    }
    assert!(
        lines.iter().any(|l| l.key.part.is_some()),
        "parts are booked on"
    );
    // bookings go to these lines only, and to every line in proportion to what it may spend
    let expected = ledger::expected(ROWS, 3);
    assert!(expected.per_line.keys().all(|k| keys.contains(k)));
    let spendable: i64 = lines.iter().map(|l| l.spendable).sum();
    for line in &lines {
        let share = line.spendable as f64 / spendable as f64 * ROWS as f64;
        let booked = expected.per_line.get(&line.key).map_or(0, |s| s.bookings) as f64;
        assert!(
            (booked - share).abs() <= 5.0 * share.sqrt() + 1.0,
            "{:?}: {booked} bookings, {share:.1} expected",
            line.key
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_files_and_another_seed_others() {
    let dir = support::temp_dir("ledger-sums-determinism");
    let a = ledger::write_csv(&dir.join("a.csv"), 500, 5, Encoding::Utf8);
    let b = ledger::write_csv(&dir.join("b.csv"), 500, 5, Encoding::Utf8);
    let c = ledger::write_csv(&dir.join("c.csv"), 500, 6, Encoding::Utf8);
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
    assert_eq!(read("a.csv"), read("b.csv"));
    assert_ne!(read("a.csv"), read("c.csv"));
    assert_eq!(a, b);
    assert_ne!(a, c);
    for strings in [Strings::Shared, Strings::Inline] {
        ledger::write_xlsx(&dir, "a.xlsx", true, 500, 5, strings);
        ledger::write_xlsx(&dir, "b.xlsx", true, 500, 5, strings);
        assert_eq!(read("a.xlsx"), read("b.xlsx"), "{strings:?}");
    }
}

/// A sink that sums the `Bedrag` column of what the CSV reader hands on, through the
/// pipeline's own amount reader.
#[derive(Default)]
struct AmountSink {
    rows: Vec<u32>,
    header: Vec<String>,
    sum: Decimal,
    bookings: usize,
    /// The distinct booking texts.
    texts: std::collections::BTreeSet<String>,
}

impl RowSink for AmountSink {
    fn row(&mut self, row: u32, cells: &[CellAt<'_>]) {
        self.rows.push(row);
        let texts = cells.iter().filter_map(|c| match c.value {
            LedgerCell::Text(t) => Some((c.col, t)),
            _ => None,
        });
        if self.header.is_empty() {
            self.header = texts.map(|(_, t)| t.to_string()).collect();
            return;
        }
        let texts: Vec<(u32, &str)> = texts.collect();
        let column = |col: u32| texts.iter().find(|(c, _)| *c == col).map(|(_, t)| *t);
        if let Some(text) = column(5) {
            self.texts
                .insert(text.split(' ').filter(|w| !w.starts_with('0')).collect());
        }
        let bedrag = column(6);
        let amount = werkplan::ingest::amount::parse_text(bedrag.unwrap_or("?"))
            .expect("a Dutch amount")
            .value;
        self.sum += amount.decimal();
        self.bookings += 1;
    }
}

#[test]
fn the_csv_export_holds_exactly_the_expected_bookings() {
    let dir = support::temp_dir("ledger-sums-csv");
    let path = dir.join("Boekingen 2022.csv");
    let written = ledger::write_csv(&path, ROWS, 9, Encoding::Utf8);
    assert_eq!(written, ledger::expected(ROWS, 9));
    // read back independently: the text of every amount as a Decimal
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(HEADER.join(";").as_str()));
    let mut sum = Decimal::ZERO;
    let mut count = 0;
    for line in lines {
        let amount = line.rsplit(';').next().unwrap();
        sum += Decimal::from_str(&amount.replace('.', "").replace(',', ".")).unwrap();
        count += 1;
    }
    assert_eq!((sum, count), (written.total.amount, ROWS));
    assert!(!text.is_ascii(), "texts with letters outside ASCII");
}

#[test]
fn every_encoding_reads_back_through_the_csv_reader() {
    let dir = support::temp_dir("ledger-sums-csv-encodings");
    let mut texts = Vec::new();
    for encoding in [Encoding::Utf8, Encoding::Utf8Bom, Encoding::Windows1252] {
        let path = dir.join(format!("Boekingen {encoding:?}.csv"));
        let written = ledger::write_csv(&path, ROWS, 9, encoding);
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            encoding == Encoding::Utf8Bom
        );
        assert_eq!(
            std::str::from_utf8(&bytes).is_ok(),
            encoding != Encoding::Windows1252
        );
        let mut sink = AmountSink::default();
        let records = scan_csv(&path, &mut sink).unwrap();
        assert_eq!(records, ROWS as u64 + 1, "{encoding:?}");
        assert_eq!(sink.header, HEADER, "{encoding:?}");
        assert_eq!((sink.sum, sink.bookings), (written.total.amount, ROWS));
        assert!(sink.rows.iter().enumerate().all(|(i, r)| *r as usize == i));
        texts.push(sink.texts);
    }
    assert!(
        texts.windows(2).all(|w| w[0] == w[1]),
        "the same text in every encoding"
    );
    assert!(texts[0].iter().any(|t| t.contains('€')) && texts[0].iter().any(|t| t.contains('é')));
}

/// The bookings of the `Boekingen 2022` sheet in an xlsx, read by calamine.
fn sheet_sums(bytes: Vec<u8>) -> (Expected, Vec<String>) {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let names = workbook.sheet_names().to_vec();
    let range = workbook.worksheet_range("Boekingen 2022").unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(header, HEADER);
    let mut sums = Expected::default();
    for row in rows {
        let Data::DateTime(date) = &row[0] else {
            panic!("a date cell: {:?}", row[0]);
        };
        let (year, month, _, _, _, _, _) = date.to_ymd_hms_milli();
        let Data::Float(amount) = row[6] else {
            panic!("a number: {:?}", row[6]);
        };
        // the float's shortest form is the amount as written
        let amount = Decimal::from_str(&amount.to_string()).unwrap();
        let month = (year, month);
        let entry = sums.per_month.entry(month).or_default();
        entry.amount += amount;
        entry.bookings += 1;
        sums.total.amount += amount;
        sums.total.bookings += 1;
    }
    (sums, names)
}

#[test]
fn the_xlsx_ledgers_hold_exactly_the_expected_bookings() {
    let dir = support::temp_dir("ledger-sums-xlsx");
    for (strings, budget) in [(Strings::Shared, true), (Strings::Inline, false)] {
        let written = ledger::write_xlsx(&dir, "boekingen.xlsx", budget, ROWS, 13, strings);
        assert_eq!(written, ledger::expected(ROWS, 13));
        let bytes = std::fs::read(dir.join("boekingen.xlsx")).unwrap();
        let shared = String::from_utf8_lossy(&bytes).contains("sharedStrings");
        let (read, names) = sheet_sums(bytes);
        assert_eq!(read.total, written.total, "{strings:?}");
        assert_eq!(read.per_month, written.per_month, "{strings:?}");
        assert_eq!(names.len(), if budget { 6 } else { 1 }, "{names:?}");
        assert_eq!(shared, strings == Strings::Shared, "{strings:?}");
    }
}

#[test]
fn amounts_are_written_in_dutch_notation() {
    assert_eq!(ledger::dutch_amount(-123_456), "-1.234,56");
    assert_eq!(ledger::dutch_amount(5), "0,05");
    assert_eq!(ledger::dutch_amount(100_000_000), "1.000.000,00");
    assert_eq!(ledger::dutch_amount(99_999), "999,99");
    assert_eq!(ledger::field("a;b \"c\""), "\"a;b \"\"c\"\"\"");
}
