//! Generated ledgers for the monthly run, the same for the tests and the benchmark: a
//! `Boekingen 2022` of any number of bookings on the lines of the 2022 workbook
//! ([`super::werkplan2022`]), as an xlsx sheet (shared or inline strings) or a CSV export,
//! together with the exact sums the pipeline must find ([`Expected`]).
//!
//! Deterministic: a seeded xorshift, no clock. Bookings are in date order over 2022, on
//! lines chosen in proportion to what each line may spend in 2022 (the 2022 budget in
//! `Reguliere middelen`, what is left of the budget in `Drenthe-brede projecten`, the award
//! in `Alliantieprojecten`), so that a ledger spends about three quarters of it whatever its
//! length. About 3 % are corrections (negative amounts). Every amount has cents.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{ExcelDateTime, Workbook, Worksheet};

use super::{C, werkplan2022};

/// The ledger's header, in column order.
pub const HEADER: [&str; 7] = [
    "Boekdatum",
    "Instrument",
    "Thema",
    "Code",
    "Onderdeel",
    "Omschrijving",
    "Bedrag",
];

/// The year of the generated bookings.
pub const YEAR: u16 = 2022;

/// The share of what a line may spend that a ledger spends, in percent.
const SPENT_PERCENT: i64 = 75;

/// A line that bookings go to, as a ledger names it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineKey {
    /// `Reguliere middelen`, `Drenthe-brede projecten` or `Alliantieprojecten`.
    pub instrument: &'static str,
    /// The theme number.
    pub theme: u32,
    /// The line's code (a part's parent code).
    pub code: String,
    /// The part's description, for a part.
    pub part: Option<String>,
}

impl LineKey {
    /// The `Thema` cell: number and name, as the budget sheets write it.
    pub fn theme_text(&self) -> String {
        let name = werkplan2022::THEMES
            .iter()
            .find(|(nr, _)| *nr == self.theme)
            .map_or("", |(_, name)| *name);
        format!("{} {name}", self.theme)
    }
}

/// A line with what it may spend in 2022, in cents (the weight of its share of bookings).
#[derive(Clone, Debug)]
pub struct Line {
    /// Which line.
    pub key: LineKey,
    /// What it may spend in 2022, in cents.
    pub spendable: i64,
}

/// Every line of the 2022 workbook that can be booked on (parts instead of their parent),
/// read from [`werkplan2022::sheets`]; lines with nothing to spend are left out.
pub fn lines_2022() -> Vec<Line> {
    let sheets = werkplan2022::sheets();
    let mut lines = Vec::new();
    for row in sheets[1].rows.iter().skip(5) {
        let (theme, code, text, parent) = (cell(row, 0), cell(row, 1), cell(row, 2), cell(row, 3));
        let budget = cents(row.get(6));
        match (theme, code, parent) {
            (Some(theme), Some(code), _) if row.len() > 4 => {
                lines.push(line("Reguliere middelen", &theme, Some(code), None, budget))
            }
            (Some(theme), None, Some(parent)) if text.as_deref() != Some("Totaal") => lines.push(
                line("Reguliere middelen", &theme, Some(parent), text, budget),
            ),
            _ => {}
        }
    }
    for row in sheets[2].rows.iter().skip(3) {
        if let (Some(theme), Some(code)) = (cell(row, 0), cell(row, 1)) {
            let left = cents(row.get(3)) - cents(row.get(4)) - cents(row.get(5));
            lines.push(line(
                "Drenthe-brede projecten",
                &theme,
                Some(code),
                None,
                left,
            ));
        }
    }
    for (theme, code, _, _, awarded, _) in werkplan2022::AWARDS {
        let key = LineKey {
            instrument: "Alliantieprojecten",
            theme,
            code: code.to_string(),
            part: None,
        };
        lines.push(Line {
            key,
            spendable: (awarded * 100.0).round() as i64,
        });
    }
    lines.retain(|l| l.spendable > 0);
    lines
}

/// The text of a fixture cell, if it is non-empty text.
fn cell(row: &[C], col: usize) -> Option<String> {
    match row.get(col) {
        Some(C::T(text)) if !text.is_empty() => Some(text.clone()),
        _ => None,
    }
}

/// The cents of a fixture amount: a number, or text such as `€ 150.000*`.
fn cents(cell: Option<&C>) -> i64 {
    match cell {
        Some(C::N(v)) => (v * 100.0).round() as i64,
        Some(C::T(text)) => {
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            digits.parse::<i64>().map_or(0, |euros| euros * 100)
        }
        _ => 0,
    }
}

/// A line from a theme cell (`4 Gezondheid en vitaliteit`) and a code.
fn line(
    instrument: &'static str,
    theme: &str,
    code: Option<String>,
    part: Option<String>,
    spendable: i64,
) -> Line {
    let number = theme.split_whitespace().next().unwrap_or("");
    Line {
        key: LineKey {
            instrument,
            theme: number.parse().unwrap(),
            code: code.unwrap_or_default(),
            part,
        },
        spendable,
    }
}

/// One generated booking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Booking {
    /// Year, month, day.
    pub date: (u16, u8, u8),
    /// Index into the generator's lines.
    pub line: usize,
    /// The booking text, about 40 characters.
    pub text: String,
    /// The amount in cents; negative for a correction.
    pub cents: i64,
}

/// The bookings of a ledger of `rows` rows, generated one at a time.
pub struct Bookings {
    lines: Vec<Line>,
    /// Cumulative weights, for choosing a line.
    cumulative: Vec<i64>,
    rows: usize,
    next: usize,
    state: u64,
    /// The mean amount in cents.
    mean: i64,
}

/// The generator of `rows` bookings from `seed`, on [`lines_2022`].
pub fn bookings(rows: usize, seed: u64) -> Bookings {
    let lines = lines_2022();
    let cumulative: Vec<i64> = lines
        .iter()
        .scan(0, |sum, l| {
            *sum += l.spendable;
            Some(*sum)
        })
        .collect();
    let total = cumulative.last().copied().unwrap_or(0);
    let mean = (total * SPENT_PERCENT / 100 / rows.max(1) as i64).max(1);
    Bookings {
        lines,
        cumulative,
        rows,
        next: 0,
        state: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
        mean,
    }
}

impl Bookings {
    /// The lines bookings go to ([`Booking::line`] indexes them).
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// The next pseudo-random number (xorshift64*).
    fn random(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A random number below `bound` (> 0).
    fn below(&mut self, bound: u64) -> u64 {
        self.random() % bound
    }
}

/// What a booking's text starts with.
/// Some with letters outside ASCII, so that a file's encoding shows.
const TEXTS: [&str; 8] = [
    "Factuur subsidie tweede termijn",
    "Inhuur projectleider maand",
    "Zaalhuur en catering café-avond",
    "Voorschot beschikking",
    "Drukwerk en verzending folders",
    "Onderzoek en advies, deelfactuur",
    "Vergoeding vrijwilligers (€ reis)",
    "Correctie boeking subsidiëring",
];

impl Iterator for Bookings {
    type Item = Booking;

    fn next(&mut self) -> Option<Booking> {
        if self.next >= self.rows {
            return None;
        }
        let index = self.next;
        self.next += 1;
        let date = date_of(index, self.rows);
        let total = self.cumulative.last().copied().unwrap_or(1).max(1);
        let pick = self.below(total as u64) as i64;
        let line = self.cumulative.partition_point(|&c| c <= pick);
        let correction = self.below(100) < 3;
        let cents = if correction {
            -(1 + self.below(self.mean as u64) as i64)
        } else {
            1 + self.below(2 * self.mean as u64) as i64
        };
        let text = if correction {
            7
        } else {
            self.below(7) as usize
        };
        let text = format!("{} {:07}", TEXTS[text], index + 1);
        Some(Booking {
            date,
            line,
            text,
            cents,
        })
    }
}

/// The date of booking `index` of `rows`: spread evenly over the year, in order.
pub fn date_of(index: usize, rows: usize) -> (u16, u8, u8) {
    const DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut day = (index as u64 * 365 / rows.max(1) as u64) as u32;
    for (month, length) in DAYS.iter().enumerate() {
        if day < *length {
            return (YEAR, month as u8 + 1, day as u8 + 1);
        }
        day -= length;
    }
    (YEAR, 12, 31)
}

/// A sum and the number of bookings in it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sum {
    /// The exact sum in euros.
    pub amount: Decimal,
    /// How many bookings.
    pub bookings: usize,
}

impl Sum {
    fn add(&mut self, amount: Decimal) {
        self.amount += amount;
        self.bookings += 1;
    }
}

/// The exact sums of a generated ledger, each booking added as a `Decimal` of its own.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Expected {
    /// All bookings.
    pub total: Sum,
    /// The corrections (negative amounts).
    pub corrections: Sum,
    /// Per line.
    pub per_line: BTreeMap<LineKey, Sum>,
    /// Per (year, month).
    pub per_month: BTreeMap<(u16, u8), Sum>,
    /// Per line and (year, month).
    pub per_line_month: BTreeMap<(LineKey, (u16, u8)), Sum>,
}

impl Expected {
    /// Adds one booking on `line`.
    pub fn add(&mut self, booking: &Booking, line: &LineKey) {
        let amount = Decimal::new(booking.cents, 2);
        let month = (booking.date.0, booking.date.1);
        self.total.add(amount);
        if booking.cents < 0 {
            self.corrections.add(amount);
        }
        self.per_line.entry(line.clone()).or_default().add(amount);
        self.per_month.entry(month).or_default().add(amount);
        self.per_line_month
            .entry((line.clone(), month))
            .or_default()
            .add(amount);
    }
}

/// The expected sums of the ledger of `rows` rows from `seed`, without writing it.
pub fn expected(rows: usize, seed: u64) -> Expected {
    let mut bookings = bookings(rows, seed);
    let lines = bookings.lines.clone();
    let mut expected = Expected::default();
    for booking in &mut bookings {
        expected.add(&booking, &lines[booking.line].key);
    }
    expected
}

/// How a ledger sheet stores its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strings {
    /// A shared-strings table, as Excel saves (rust_xlsxwriter's low-memory mode).
    Shared,
    /// Inline strings in the sheet, as streaming writers do (constant-memory mode).
    Inline,
}

/// Adds a ledger sheet `name` of `rows` bookings from `seed` to `workbook` (rows streamed to
/// a temporary file, so a million fit), and returns its expected sums.
pub fn add_ledger_sheet(
    workbook: &mut Workbook,
    name: &str,
    rows: usize,
    seed: u64,
    strings: Strings,
) -> Expected {
    let sheet = match strings {
        Strings::Shared => workbook.add_worksheet_with_low_memory().unwrap(),
        Strings::Inline => workbook.add_worksheet_with_constant_memory().unwrap(),
    };
    sheet.set_name(name).unwrap();
    for (col, header) in HEADER.iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    let mut bookings = bookings(rows, seed);
    let lines = bookings.lines.clone();
    let mut expected = Expected::default();
    for (row, booking) in (&mut bookings).enumerate() {
        let key = &lines[booking.line].key;
        write_booking(sheet, row as u32 + 1, &booking, key);
        expected.add(&booking, key);
    }
    expected
}

/// One booking as a sheet row: a real date cell, text cells, the amount as a number.
fn write_booking(sheet: &mut Worksheet, row: u32, booking: &Booking, key: &LineKey) {
    let (y, m, d) = booking.date;
    let date = ExcelDateTime::from_ymd(y, m, d).unwrap();
    sheet
        .write_datetime_with_format(row, 0, date, &super::date_format())
        .unwrap();
    sheet.write_string(row, 1, key.instrument).unwrap();
    sheet.write_string(row, 2, key.theme_text()).unwrap();
    sheet.write_string(row, 3, &key.code).unwrap();
    if let Some(part) = &key.part {
        sheet.write_string(row, 4, part).unwrap();
    }
    sheet.write_string(row, 5, &booking.text).unwrap();
    sheet
        .write_number(row, 6, booking.cents as f64 / 100.0)
        .unwrap();
}

/// Writes `dir/file`: the 2022 workbook's sheets (when `budget`) and a `Boekingen 2022` of
/// `rows` bookings from `seed`; returns the ledger's expected sums.
pub fn write_xlsx(
    dir: &Path,
    file: &str,
    budget: bool,
    rows: usize,
    seed: u64,
    strings: Strings,
) -> Expected {
    let mut workbook = super::new_workbook();
    if budget {
        for spec in werkplan2022::sheets() {
            super::add_sheet(&mut workbook, &spec);
        }
    }
    let expected = add_ledger_sheet(&mut workbook, "Boekingen 2022", rows, seed, strings);
    workbook.save(dir.join(file)).unwrap();
    expected
}

/// The encoding of a generated CSV export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// Windows-1252 (Excel's plain "CSV" on Windows), with `\r\n` line ends.
    Windows1252,
}

/// Writes the ledger of `rows` bookings from `seed` as a CSV export to `path`: `;`-separated,
/// dates `dd-mm-jjjj`, Dutch amounts (`-1.234,56`), in `encoding`; returns its expected sums.
pub fn write_csv(path: &Path, rows: usize, seed: u64, encoding: Encoding) -> Expected {
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut out = CsvOut {
        out: file,
        encoding,
        line: String::new(),
    };
    if encoding == Encoding::Utf8Bom {
        out.out.write_all("\u{FEFF}".as_bytes()).unwrap();
    }
    out.line(&HEADER.join(";"));
    let mut bookings = bookings(rows, seed);
    let lines = bookings.lines.clone();
    let mut expected = Expected::default();
    for booking in &mut bookings {
        let key = &lines[booking.line].key;
        let (y, m, d) = booking.date;
        out.line(&format!(
            "{d:02}-{m:02}-{y};{};{};{};{};{};{}",
            field(key.instrument),
            field(&key.theme_text()),
            field(&key.code),
            field(key.part.as_deref().unwrap_or("")),
            field(&booking.text),
            dutch_amount(booking.cents),
        ));
        expected.add(&booking, key);
    }
    out.out.flush().unwrap();
    expected
}

/// A CSV file being written, line by line, in its encoding.
struct CsvOut {
    out: std::io::BufWriter<std::fs::File>,
    encoding: Encoding,
    line: String,
}

impl CsvOut {
    fn line(&mut self, text: &str) {
        self.line.clear();
        self.line.push_str(text);
        if self.encoding == Encoding::Windows1252 {
            self.line.push_str("\r\n");
            let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&self.line);
            assert!(!unmappable, "{text} in Windows-1252");
            self.out.write_all(&bytes).unwrap();
        } else {
            self.line.push('\n');
            self.out.write_all(self.line.as_bytes()).unwrap();
        }
    }
}

/// A CSV field, quoted when it holds a separator, a quote or a line break.
pub fn field(text: &str) -> String {
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Cents in Dutch notation: `-1.234,56`.
pub fn dutch_amount(cents: i64) -> String {
    let euros = (cents.abs() / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{grouped},{:02}", cents.abs() % 100)
}
