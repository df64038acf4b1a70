//! The consumer side of the monthly run: a [`RowSink`] per ledger or register sheet (or CSV
//! file) that finds the header, reads each row's date, line and amount, and adds the amount
//! in integer cents to the bucket of its line and day. The row is then forgotten.
//!
//! Lines are kept by their *raw* key (instrument, theme, code and part as typed, normalised)
//! while reading, and resolved against the built [`Werkplan`] only after every file is read
//! ([`LedgerInput::resolve`]): a ledger may come in a file before the budget workbook.
//! Memory grows with the distinct keys and days ([`MAX_LEDGER_KEYS`], [`MAX_LEDGER_BUCKETS`]),
//! never with the number of rows; findings are bounded too ([`MAX_LEDGER_FINDINGS`]).

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use super::{CellAt, LedgerCell, MergedArea, RowSink};
use crate::ingest::amount;
use crate::ingest::build::{ThemeResolver, clean_code};
use crate::ingest::grid::RawCell;
use crate::ingest::header::{SheetKind, normalize};
use crate::ingest::limits::dutch_count;
use crate::model::{
    Date, DaySum, Finding, Instrument, Ledger, LedgerSource, LedgerSums, LineRef, LineSums, Money,
    Name, Place, Werkplan,
};

/// The most distinct lines (instrument, theme, code, part as typed) one run's ledgers may
/// name. A real ledger names a few hundred; more is a broken export, refused with an error.
pub const MAX_LEDGER_KEYS: usize = 100_000;

/// The most distinct (line, day) sums one run may hold (about 50 bytes each): a few
/// hundred lines booked on every working day of several years stay far below it.
pub const MAX_LEDGER_BUCKETS: usize = 1_000_000;

/// How many ledger findings are kept with their place; the rest are counted per kind and
/// reported as one finding per kind.
pub const MAX_LEDGER_FINDINGS: usize = 200;

/// The rows among which the header is looked for: as many as for the budget sheets (one
/// constant, so the two messages cannot disagree).
const HEADER_ROWS: u32 = crate::ingest::sheet::HEADER_SEARCH_ROWS as u32;

/// A column the ledger reader uses; which ones a kind requires is its entry in
/// [`crate::ingest::kind::KINDS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LedgerColumn {
    /// `Boekdatum` (also `Boekingsdatum`, `Datum`).
    Datum,
    /// `Instrument`.
    Instrument,
    /// `Thema`.
    Thema,
    /// `Code`: the line.
    Code,
    /// `Onderdeel`: the part of the line, if any.
    Onderdeel,
    /// `Bedrag`.
    Bedrag,
}

/// The short name inside this module.
use LedgerColumn as Col;

impl Col {
    fn name(self) -> &'static str {
        match self {
            Col::Datum => "Boekdatum",
            Col::Instrument => "Instrument",
            Col::Thema => "Thema",
            Col::Code => "Code",
            Col::Onderdeel => "Onderdeel",
            Col::Bedrag => "Bedrag",
        }
    }

    /// Which column a header is, with its rank among aliases (lower wins).
    fn classify(header: &str) -> Option<(Col, u8)> {
        let h = normalize(header);
        Some(match h.as_str() {
            "boekdatum" => (Col::Datum, 0),
            "boekingsdatum" => (Col::Datum, 1),
            "datum" => (Col::Datum, 2),
            "instrument" => (Col::Instrument, 0),
            "thema" => (Col::Thema, 0),
            "code" => (Col::Code, 0),
            "onderdeel" => (Col::Onderdeel, 0),
            "bedrag" => (Col::Bedrag, 0),
            _ if h.starts_with("bedrag ") => (Col::Bedrag, 1),
            _ => return None,
        })
    }
}

/// What went wrong on a row, for counting what is not shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Problem {
    Date,
    Amount,
    Missing,
    ErrorCell,
    Merged,
    Line,
    Bound,
}

impl Problem {
    fn rows_with(self) -> &'static str {
        match self {
            Problem::Date => "een onleesbare datum",
            Problem::Amount => "een onleesbaar bedrag",
            Problem::Missing => "een lege verplichte cel",
            Problem::ErrorCell => "een foutwaarde",
            Problem::Merged => "samengevoegde cellen",
            Problem::Line => "een onbekende of onvolledige regel",
            Problem::Bound => "te veel verschillende regels of dagen",
        }
    }
}

/// Findings kept with their place up to [`MAX_LEDGER_FINDINGS`]; beyond that, counted.
#[derive(Default)]
struct BoundedFindings {
    kept: Vec<Finding>,
    rest: BTreeMap<Problem, (u64, Place)>,
}

impl BoundedFindings {
    fn error(&mut self, problem: Problem, place: impl FnOnce() -> Place, message: String) {
        if self.kept.len() < MAX_LEDGER_FINDINGS {
            self.kept.push(Finding::input_error(place(), message));
        } else {
            let entry = self.rest.entry(problem).or_insert_with(|| {
                let p = place();
                (0, Place::sheet(p.file, p.sheet))
            });
            entry.0 += 1;
        }
    }

    fn into_findings(mut self) -> Vec<Finding> {
        for (problem, (count, place)) in self.rest {
            self.kept.push(Finding::input_error(
                place,
                format!(
                    "en nog {} rij(en) met {} in de boekingen of verplichtingen (niet afzonderlijk getoond; de eerste staat hierboven)",
                    dutch_count(count),
                    problem.rows_with()
                ),
            ));
        }
        self.kept
    }
}

/// A line as typed, normalised: the key of the sums until lines are resolved.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct LineKey {
    /// `None`: the text names no instrument (`instrument_text` says what it was).
    instrument: Option<Instrument>,
    theme: String,
    code: String,
    part: String,
}

/// A key's first row, and the texts as typed, for messages.
struct KeyEntry {
    key: LineKey,
    typed: [String; 4],
    file: Name,
    sheet: Name,
    row: u32,
    /// The columns of instrument, theme, code and part in that row's sheet.
    cols: [Option<u32>; 4],
    rows: u64,
}

impl KeyEntry {
    fn place(&self, which: usize) -> Place {
        let col = self.cols[which].or(self.cols[2]).unwrap_or(0);
        Place::cell(self.file.clone(), self.sheet.clone(), self.row, col)
    }
}

/// A sum in cents and its rows.
#[derive(Clone, Copy, Debug, Default)]
struct Bucket {
    cents: i128,
    rows: u64,
}

/// The sums of one kind (ledger or register), by raw key and day.
#[derive(Default)]
struct Aggregate {
    /// The raw cell texts of a key, joined, to its id: no normalising on the hot path.
    raw: HashMap<Box<str>, u32>,
    by_key: HashMap<LineKey, u32>,
    keys: Vec<KeyEntry>,
    /// (key id, day code) -> sum; day code 0 is undated.
    buckets: HashMap<(u32, u32), Bucket>,
    sources: Vec<LedgerSource>,
}

/// Everything the run's ledger and register sheets held: sums per raw key and day, and the
/// problems found. Fed through [`LedgerInput::sheet`], resolved by [`LedgerInput::resolve`].
#[derive(Default)]
pub struct LedgerInput {
    bookings: Option<Aggregate>,
    commitments: Option<Aggregate>,
    problems: BoundedFindings,
    bound_reported: bool,
}

impl LedgerInput {
    /// A sink for one sheet (or CSV file) of `kind` (`Boekingen` or `Verplichtingen`).
    pub fn sheet(&mut self, kind: SheetKind, file: Name, sheet: Name) -> SheetSink<'_> {
        SheetSink {
            input: self,
            kind,
            file,
            sheet,
            columns: Vec::new(),
            header: None,
            best: (0, Vec::new()),
            used_cols: (u32::MAX, 0),
            rows: 0,
            buffer: String::new(),
            last_date: (String::new(), 0),
        }
    }

    /// Records an error that stopped a reader (its place built by the caller).
    pub fn error(&mut self, finding: Finding) {
        self.problems.kept.push(finding);
    }

    /// Whether any ledger or register sheet was read.
    pub fn is_empty(&self) -> bool {
        self.bookings.is_none() && self.commitments.is_none()
    }

    /// Resolves every key against the werkplan's tables: the sums per line and day, or
    /// every finding (unknown lines, bad rows) when there is any.
    ///
    /// # Errors
    /// The findings, bounded: at most [`MAX_LEDGER_FINDINGS`] with places, plus one per
    /// kind for the rest.
    pub fn resolve(mut self, werkplan: &Werkplan) -> Result<Ledger, Vec<Finding>> {
        let lines = LineIndex::new(werkplan);
        let mut resolve = |aggregate: Option<Aggregate>, commitments: bool| {
            aggregate.map(|a| a.resolve(&lines, commitments, &mut self.problems))
        };
        let bookings = resolve(self.bookings.take(), false);
        let commitments = resolve(self.commitments.take(), true);
        let findings = self.problems.into_findings();
        if findings.is_empty() {
            Ok(Ledger {
                bookings,
                commitments,
            })
        } else {
            Err(findings)
        }
    }

    /// The findings so far, for a run that ends before the werkplan is built.
    pub fn into_findings(self) -> Vec<Finding> {
        self.problems.into_findings()
    }

    fn aggregate(&mut self, kind: SheetKind) -> &mut Aggregate {
        let slot = match kind {
            SheetKind::Verplichtingen => &mut self.commitments,
            _ => &mut self.bookings,
        };
        slot.get_or_insert_with(Aggregate::default)
    }
}

/// The [`RowSink`] of one sheet: finds the header, then adds each row to the sums.
pub struct SheetSink<'a> {
    input: &'a mut LedgerInput,
    kind: SheetKind,
    file: Name,
    sheet: Name,
    /// Per sheet column: which field it is.
    columns: Vec<Option<Col>>,
    /// The header's row, once found.
    header: Option<u32>,
    /// The best header candidate so far: how many required columns, which were missing.
    best: (usize, Vec<Col>),
    /// The first and last column the header uses.
    used_cols: (u32, u32),
    rows: u64,
    /// The key texts of the current row, joined (reused from row to row).
    buffer: String,
    /// The last text date read and its day code.
    last_date: (String, u32),
}

/// The cells of one row that the reader uses, by field.
#[derive(Default)]
struct Fields<'c> {
    cells: [Option<CellAt<'c>>; 6],
}

impl<'c> Fields<'c> {
    fn get(&self, col: Col) -> Option<CellAt<'c>> {
        self.cells[col as usize]
    }
}

impl SheetSink<'_> {
    /// Ends the sheet: reports a missing header, records the source. Returns the data rows.
    pub fn finish(self) -> u64 {
        if self.header.is_none() {
            let missing: Vec<&str> = if self.best.0 == 0 {
                self.kind
                    .ledger_columns()
                    .iter()
                    .map(|c| c.name())
                    .collect()
            } else {
                self.best.1.iter().map(|c| c.name()).collect()
            };
            let message = format!(
                "geen kopregel gevonden in de eerste {HEADER_ROWS} rijen: de kolom(men) {} ontbreken; verwacht {} (Boekdatum mag ook Boekingsdatum of Datum heten)",
                missing.join(", "),
                self.kind
                    .ledger_columns()
                    .iter()
                    .map(|c| c.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            self.input.error(Finding::input_error(
                Place::sheet(self.file.clone(), self.sheet.clone()),
                message,
            ));
        }
        let rows = self.rows;
        self.input.aggregate(self.kind).sources.push(LedgerSource {
            place: Place::sheet(self.file, self.sheet),
            rows,
        });
        rows
    }

    fn place(&self, row: u32, col: u32) -> Place {
        Place::cell(self.file.clone(), self.sheet.clone(), row, col)
    }

    fn error(&mut self, problem: Problem, row: u32, col: u32, message: String) {
        let (file, sheet) = (self.file.clone(), self.sheet.clone());
        self.input
            .problems
            .error(problem, || Place::cell(file, sheet, row, col), message);
    }

    /// Tries a row as the header: all required columns present.
    fn try_header(&mut self, row: u32, cells: &[CellAt<'_>]) {
        let mut columns: Vec<Option<(Col, u8)>> = Vec::new();
        for cell in cells {
            let LedgerCell::Text(text) = cell.value else {
                continue;
            };
            let Some((col, rank)) = Col::classify(text) else {
                continue;
            };
            let i = cell.col as usize;
            if columns.len() <= i {
                columns.resize(i + 1, None);
            }
            // one column per field: the best-ranked, then the leftmost
            if let Some(other) = columns
                .iter()
                .position(|c| c.is_some_and(|(c, _)| c == col))
            {
                if columns[other].is_some_and(|(_, r)| r <= rank) {
                    continue;
                }
                columns[other] = None;
            }
            columns[i] = Some((col, rank));
        }
        let required = self.kind.ledger_columns();
        let missing: Vec<Col> = required
            .iter()
            .copied()
            .filter(|r| !columns.iter().any(|c| c.is_some_and(|(c, _)| c == *r)))
            .collect();
        let found = required.len() - missing.len();
        if !missing.is_empty() {
            if found > self.best.0 {
                self.best = (found, missing);
            }
            return;
        }
        self.header = Some(row);
        self.columns = columns.into_iter().map(|c| c.map(|(c, _)| c)).collect();
        let used = self.columns.iter().enumerate().filter(|(_, c)| c.is_some());
        for (i, _) in used {
            self.used_cols = (
                self.used_cols.0.min(i as u32),
                self.used_cols.1.max(i as u32),
            );
        }
    }

    /// Reads one data row into the sums; problems go to the bounded findings.
    fn data_row(&mut self, row: u32, cells: &[CellAt<'_>]) {
        let mut fields = Fields::default();
        for cell in cells {
            if let Some(Some(col)) = self.columns.get(cell.col as usize) {
                fields.cells[*col as usize] = Some(*cell);
            }
        }
        // the export's total row: `Totaal` somewhere, no date and no instrument
        let undated = fields.get(Col::Datum).is_none() && fields.get(Col::Instrument).is_none();
        if undated && is_total_row(cells) {
            return;
        }
        let key_cols = [Col::Instrument, Col::Thema, Col::Code];
        if key_cols.iter().all(|c| fields.get(*c).is_none()) {
            if fields.get(Col::Bedrag).is_some() {
                let col = fields.get(Col::Bedrag).map_or(0, |c| c.col);
                self.error(
                    Problem::Missing,
                    row,
                    col,
                    "een bedrag zonder regel: Instrument, Thema en Code zijn leeg".to_string(),
                );
                self.rows += 1;
            }
            // a blank, note or total row of the export
            return;
        }
        self.rows += 1;
        for cell in fields.cells.iter().flatten() {
            if let LedgerCell::Error(e) = cell.value {
                self.error(
                    Problem::ErrorCell,
                    row,
                    cell.col,
                    format!("de cel bevat de foutwaarde {e}; verwacht een waarde (herstel de formule of typ de waarde)"),
                );
                return;
            }
        }
        let Some(day) = self.read_date(row, &fields) else {
            return;
        };
        let Some(cents) = self.read_amount(row, &fields) else {
            return;
        };
        let Some(key) = self.key_id(row, &fields) else {
            return;
        };
        self.add(row, key, day, cents);
    }

    /// The day code (0: undated commitment), or `None` after reporting why not.
    fn read_date(&mut self, row: u32, fields: &Fields<'_>) -> Option<u32> {
        let Some(cell) = fields.get(Col::Datum) else {
            if self.kind == SheetKind::Verplichtingen {
                return Some(0);
            }
            let col = self.column_of(Col::Datum);
            self.error(Problem::Missing, row, col, "de boekdatum ontbreekt".into());
            return None;
        };
        // a ledger comes in date order: the same text date row after row is read once
        if let LedgerCell::Text(text) = cell.value
            && text == self.last_date.0
        {
            return Some(self.last_date.1);
        }
        match read_date(cell.value) {
            Ok(date) => {
                if let LedgerCell::Text(text) = cell.value {
                    self.last_date.0.clear();
                    self.last_date.0.push_str(text);
                    self.last_date.1 = day_code(date);
                }
                Some(day_code(date))
            }
            Err(message) => {
                self.error(Problem::Date, row, cell.col, message);
                None
            }
        }
    }

    fn read_amount(&mut self, row: u32, fields: &Fields<'_>) -> Option<i128> {
        let Some(cell) = fields.get(Col::Bedrag) else {
            let col = self.column_of(Col::Bedrag);
            self.error(Problem::Missing, row, col, "het bedrag ontbreekt".into());
            return None;
        };
        match read_cents(cell.value) {
            Ok(cents) => Some(cents),
            Err(message) => {
                self.error(Problem::Amount, row, cell.col, message);
                None
            }
        }
    }

    fn column_of(&self, col: Col) -> u32 {
        self.columns
            .iter()
            .position(|c| *c == Some(col))
            .unwrap_or(0) as u32
    }

    /// The id of the row's line key; new keys are normalised once.
    fn key_id(&mut self, row: u32, fields: &Fields<'_>) -> Option<u32> {
        let order = [Col::Instrument, Col::Thema, Col::Code, Col::Onderdeel];
        let mut buffer = std::mem::take(&mut self.buffer);
        buffer.clear();
        for (i, col) in order.iter().enumerate() {
            if i > 0 {
                buffer.push('\u{1f}');
            }
            if let Some(cell) = fields.get(*col) {
                match cell_text(cell.value) {
                    Some(text) => text.push_to(&mut buffer),
                    None => {
                        self.buffer = buffer;
                        let what = describe(cell.value);
                        self.error(
                            Problem::Line,
                            row,
                            cell.col,
                            format!("{what} staat in de kolom {}; verwacht tekst", col.name()),
                        );
                        return None;
                    }
                }
            } else if *col != Col::Onderdeel {
                self.buffer = buffer;
                let column = self.column_of(*col);
                self.error(
                    Problem::Missing,
                    row,
                    column,
                    format!(
                        "de cel {} is leeg; elke boeking noemt Instrument, Thema en Code",
                        col.name()
                    ),
                );
                return None;
            }
        }
        let kind = self.kind;
        let aggregate = self.input.aggregate(kind);
        if let Some(id) = aggregate.raw.get(buffer.as_str()).copied() {
            self.buffer = buffer;
            return Some(id);
        }
        let typed: Vec<String> = buffer.split('\u{1f}').map(str::to_string).collect();
        let key = LineKey {
            instrument: instrument(&typed[0]),
            theme: normalize(&typed[1]),
            code: clean_code(typed[2].clone())
                .map(|c| normalize(&c))
                .unwrap_or_default(),
            part: normalize(&typed[3]),
        };
        let id = match aggregate.by_key.get(&key) {
            Some(id) => *id,
            None if aggregate.keys.len() >= MAX_LEDGER_KEYS => {
                self.buffer = buffer;
                self.bound(row, format!("de boekingen noemen meer dan {} verschillende regels; zo'n export wordt niet gelezen (grens van werkplan)", dutch_count(MAX_LEDGER_KEYS as u64)));
                return None;
            }
            None => {
                let id = aggregate.keys.len() as u32;
                let cols = order.map(|c| fields.get(c).map(|cell| cell.col));
                aggregate.keys.push(KeyEntry {
                    key: key.clone(),
                    typed: [0, 1, 2, 3].map(|i| typed[i].trim().to_string()),
                    file: self.file.clone(),
                    sheet: self.sheet.clone(),
                    row,
                    cols,
                    rows: 0,
                });
                aggregate.by_key.insert(key, id);
                id
            }
        };
        if aggregate.raw.len() < 4 * MAX_LEDGER_KEYS {
            aggregate.raw.insert(buffer.as_str().into(), id);
        }
        self.buffer = buffer;
        Some(id)
    }

    fn add(&mut self, row: u32, key: u32, day: u32, cents: i128) {
        let kind = self.kind;
        let aggregate = self.input.aggregate(kind);
        let full = aggregate.buckets.len() >= MAX_LEDGER_BUCKETS;
        match aggregate.buckets.get_mut(&(key, day)) {
            Some(bucket) => {
                bucket.cents += cents;
                bucket.rows += 1;
            }
            None if full => {
                self.bound(row, format!("de boekingen hebben meer dan {} verschillende combinaties van regel en dag; zo'n export wordt niet gelezen (grens van werkplan)", dutch_count(MAX_LEDGER_BUCKETS as u64)));
                return;
            }
            None => {
                aggregate
                    .buckets
                    .insert((key, day), Bucket { cents, rows: 1 });
            }
        }
        if let Some(entry) = aggregate.keys.get_mut(key as usize) {
            entry.rows += 1;
        }
    }

    /// A bound was reached: one error with its place, the rest counted.
    fn bound(&mut self, row: u32, message: String) {
        if self.input.bound_reported {
            let place = self.place(row, 0);
            self.input.problems.error(Problem::Bound, || place, message);
            return;
        }
        self.input.bound_reported = true;
        let place = self.place(row, self.used_cols.0.min(self.used_cols.1));
        self.input
            .problems
            .kept
            .push(Finding::input_error(place, message));
    }
}

impl RowSink for SheetSink<'_> {
    fn row(&mut self, row: u32, cells: &[CellAt<'_>]) {
        match self.header {
            Some(header) if row > header => self.data_row(row, cells),
            Some(_) => {}
            None if row < HEADER_ROWS => self.try_header(row, cells),
            None => {}
        }
    }

    fn merged(&mut self, areas: &[MergedArea]) {
        let Some(header) = self.header else {
            return;
        };
        for area in areas {
            let in_data = area.end.0 > header
                && area.start.1 <= self.used_cols.1
                && area.end.1 >= self.used_cols.0;
            if in_data {
                let row = area.start.0.max(header + 1);
                self.error(
                    Problem::Merged,
                    row,
                    area.start.1,
                    "samengevoegde cellen in de boekingen: welke rij de waarde heeft is niet te zeggen; maak de samenvoeging ongedaan en vul elke rij".into(),
                );
            }
        }
    }
}

/// Whether a row is the export's total row: a cell `Totaal` and no line.
fn is_total_row(cells: &[CellAt<'_>]) -> bool {
    cells.iter().any(|c| match c.value {
        LedgerCell::Text(t) => {
            let n = normalize(t);
            n == "totaal" || n.starts_with("totaal ")
        }
        _ => false,
    })
}

/// The instrument a text names, matched like sheet names.
fn instrument(text: &str) -> Option<Instrument> {
    match SheetKind::recognise(text)? {
        SheetKind::ReguliereMiddelen => Some(Instrument::ReguliereMiddelen),
        SheetKind::DrentheBredeProjecten => Some(Instrument::DrentheBredeProjecten),
        SheetKind::Alliantieprojecten => Some(Instrument::Alliantieprojecten),
        _ => None,
    }
}

/// A key cell's text: text as is, numbers by their digits (`4` for theme 4).
enum KeyText<'a> {
    Borrowed(&'a str),
    Float(f64),
}

impl KeyText<'_> {
    fn push_to(&self, buffer: &mut String) {
        match self {
            KeyText::Borrowed(t) => buffer.push_str(t),
            KeyText::Float(f) => {
                use std::fmt::Write;
                let _ = write!(buffer, "{f}");
            }
        }
    }
}

fn cell_text<'a>(cell: LedgerCell<'a>) -> Option<KeyText<'a>> {
    match cell {
        LedgerCell::Text(t) | LedgerCell::Number(t) => Some(KeyText::Borrowed(t)),
        LedgerCell::Float(f) => Some(KeyText::Float(f)),
        _ => None,
    }
}

/// A cell for messages: `de tekst ‘x’`, `het getal 12`.
fn describe(cell: LedgerCell<'_>) -> String {
    match cell {
        LedgerCell::Text(t) => format!("de tekst ‘{}’", t.trim()),
        LedgerCell::Number(n) => format!("het getal {n}"),
        LedgerCell::Float(f) => format!("het getal {f}"),
        LedgerCell::Date(d) => format!("de datum {}", d.to_dutch()),
        LedgerCell::Bool(b) => format!("de waarheidswaarde {}", if b { "WAAR" } else { "ONWAAR" }),
        LedgerCell::Error(e) => format!("de foutwaarde {e}"),
    }
}

/// A date cell or a date typed as text (`dd-mm-jjjj`, `d-m-jjjj`, `dd/mm/jjjj`,
/// `jjjj-mm-dd`).
///
/// # Errors
/// A Dutch message saying what was found and what is expected.
pub fn read_date(cell: LedgerCell<'_>) -> Result<Date, String> {
    let expected = "verwacht een datum als 31-12-2022, 31/12/2022 of 2022-12-31";
    match cell {
        LedgerCell::Date(date) => Ok(date),
        LedgerCell::Text(text) => date_text(text.trim())
            .ok_or_else(|| format!("‘{}’ is geen datum; {expected}", text.trim())),
        other => Err(format!(
            "{} is geen datum; {expected} (of geef de cel de opmaak datum)",
            describe(other)
        )),
    }
}

fn date_text(text: &str) -> Option<Date> {
    let separator = if text.contains('/') { '/' } else { '-' };
    let mut parts = text.split(separator);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let digits = |s: &str, lens: &[usize]| -> Option<u32> {
        (lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (year, month, day) = if a.len() == 4 && separator == '-' {
        (digits(a, &[4])?, digits(b, &[2])?, digits(c, &[2])?)
    } else {
        (digits(c, &[4])?, digits(b, &[1, 2])?, digits(a, &[1, 2])?)
    };
    if !(1900..=2200).contains(&year) {
        return None;
    }
    Date::new(year as i32, month, day)
}

/// A date as a sortable number: `20220930`.
fn day_code(date: Date) -> u32 {
    date.year as u32 * 10_000 + date.month * 100 + date.day
}

fn from_day_code(code: u32) -> Option<Date> {
    (code != 0)
        .then(|| Date::new((code / 10_000) as i32, code / 100 % 100, code % 100))
        .flatten()
}

/// An amount cell in cents, through the same reader as the budget sheets; a number's
/// digits are read exactly, without a float.
///
/// # Errors
/// A Dutch message, as for the budget sheets.
pub fn read_cents(cell: LedgerCell<'_>) -> Result<i128, String> {
    let money = match cell {
        LedgerCell::Number(text) => return number_cents(text),
        LedgerCell::Text(text) => amount::parse_text(text).map(|p| p.value),
        LedgerCell::Float(f) => amount::from_float(f),
        other => {
            return Err(format!(
                "{} staat in de kolom Bedrag; verwacht een bedrag",
                describe(other)
            ));
        }
    };
    money.map(money_cents).map_err(|e| e.to_string())
}

/// A [`Money`] in cents.
fn money_cents(money: Money) -> i128 {
    let mut decimal = money.decimal();
    decimal.rescale(2);
    decimal.mantissa()
}

/// A number as the file writes it (`1234.5`, `-12`, `1.5E-3`) in cents, exactly, through
/// the amount reader's own reader of such text ([`amount::cents_from_number_text`]).
fn number_cents(text: &str) -> Result<i128, String> {
    amount::cents_from_number_text(text)
        .map(i128::from)
        .map_err(|e| e.to_string())
}

/// The werkplan's lines by (instrument, theme, normalised code).
struct LineIndex<'w> {
    themes: ThemeResolver<'w>,
    /// Per line: its parts' normalised descriptions (empty for a line without parts);
    /// `None` for the instruments' table without `Verplicht`.
    lines: HashMap<(Instrument, u32, String), Vec<String>>,
}

impl<'w> LineIndex<'w> {
    fn new(werkplan: &'w Werkplan) -> LineIndex<'w> {
        let mut lines = HashMap::new();
        for table in [&werkplan.regulier, &werkplan.drenthe_breed] {
            for section in &table.sections {
                for line in &section.lines {
                    let parts = line
                        .parts
                        .iter()
                        .map(|p| normalize(&p.description))
                        .collect();
                    lines.insert(
                        (table.instrument, section.theme, normalize(&line.code)),
                        parts,
                    );
                }
            }
        }
        for award in &werkplan.alliantie.awards {
            let key = (
                Instrument::Alliantieprojecten,
                award.theme,
                normalize(&award.code),
            );
            lines.insert(key, Vec::new());
        }
        LineIndex {
            themes: ThemeResolver::new(&werkplan.themes),
            lines,
        }
    }

    /// The line a key names, or which of its cells is wrong (0..4) and why.
    fn resolve(&self, entry: &KeyEntry, commitments: bool) -> Result<LineRef, (usize, String)> {
        let key = &entry.key;
        let Some(instrument) = key.instrument else {
            return Err((
                0,
                format!(
                    "‘{}’ is geen instrument; verwacht Reguliere middelen, Drenthe-brede projecten of Alliantieprojecten",
                    entry.typed[0]
                ),
            ));
        };
        if commitments && instrument != Instrument::DrentheBredeProjecten {
            return Err((
                0,
                format!(
                    "een verplichting op {}: die tabel heeft geen kolom Verplicht; verplichtingen horen bij Drenthe-brede projecten",
                    instrument.name()
                ),
            ));
        }
        let theme = self
            .themes
            .resolve(&RawCell::Text(entry.typed[1].as_str().into()))
            .map_err(|m| (1, m))?;
        let Some(parts) = self.lines.get(&(instrument, theme, key.code.clone())) else {
            let table = match instrument {
                Instrument::Alliantieprojecten => "toekenning",
                _ => "regel",
            };
            return Err((
                2,
                format!(
                    "{} heeft geen {table} met code ‘{}’ in thema {theme}",
                    instrument.name(),
                    entry.typed[2]
                ),
            ));
        };
        let part = match (parts.is_empty(), key.part.is_empty()) {
            (_, true) if !parts.is_empty() => {
                return Err((
                    2,
                    format!(
                        "regel ‘{}’ van thema {theme} ({}) heeft onderdelen; vermeld in de kolom Onderdeel welk onderdeel",
                        entry.typed[2],
                        instrument.name()
                    ),
                ));
            }
            (true, false) => {
                return Err((
                    3,
                    format!(
                        "regel ‘{}’ van thema {theme} ({}) heeft geen onderdelen, maar de boeking noemt onderdeel ‘{}’",
                        entry.typed[2],
                        instrument.name(),
                        entry.typed[3]
                    ),
                ));
            }
            (false, false) => Some(parts.iter().position(|p| *p == key.part).ok_or_else(|| {
                (
                    3,
                    format!(
                        "regel ‘{}’ van thema {theme} ({}) heeft geen onderdeel ‘{}’",
                        entry.typed[2],
                        instrument.name(),
                        entry.typed[3]
                    ),
                )
            })?),
            _ => None,
        };
        Ok(LineRef {
            instrument,
            theme,
            code: key.code.clone(),
            part,
        })
    }
}

impl Aggregate {
    /// The sums per resolved line and day; unknown keys are findings (one per key, at its
    /// first row, saying how many rows).
    fn resolve(
        self,
        index: &LineIndex<'_>,
        commitments: bool,
        problems: &mut BoundedFindings,
    ) -> LedgerSums {
        let mut resolved: Vec<Option<LineRef>> = Vec::with_capacity(self.keys.len());
        for entry in &self.keys {
            match index.resolve(entry, commitments) {
                Ok(line) => resolved.push(Some(line)),
                Err((which, message)) => {
                    let rows = match entry.rows {
                        0 | 1 => String::new(),
                        n => format!(" ({} rijen; de eerste hier)", dutch_count(n)),
                    };
                    problems.error(
                        Problem::Line,
                        || entry.place(which),
                        format!("{message}{rows}"),
                    );
                    resolved.push(None);
                }
            }
        }
        let mut lines: BTreeMap<LineRef, (u32, BTreeMap<u32, Bucket>)> = BTreeMap::new();
        for ((key, day), bucket) in self.buckets {
            let Some(Some(line)) = resolved.get(key as usize) else {
                continue;
            };
            let (first, days) = lines.entry(line.clone()).or_insert((key, BTreeMap::new()));
            *first = (*first).min(key);
            let sum = days.entry(day).or_default();
            sum.cents += bucket.cents;
            sum.rows += bucket.rows;
        }
        let lines = lines
            .into_iter()
            .map(|(line, (first, days))| LineSums {
                line,
                days: days
                    .into_iter()
                    .map(|(day, sum)| DaySum {
                        date: from_day_code(day),
                        amount: cents_money(sum.cents),
                        rows: sum.rows,
                    })
                    .collect(),
                first: self
                    .keys
                    .get(first as usize)
                    .map_or_else(|| Place::file(""), |e| e.place(2)),
            })
            .collect();
        LedgerSums {
            lines,
            sources: self.sources,
        }
    }
}

/// Cents as money; a sum beyond what a decimal holds (never, below 10²⁸ cents) saturates.
fn cents_money(cents: i128) -> Money {
    Decimal::try_from_i128_with_scale(cents, 2)
        .ok()
        .and_then(Money::from_decimal)
        .unwrap_or(Money::ZERO)
}

#[cfg(test)]
mod tests;
