//! The domain model: validated finance data of one werkplan, generic in its years and rounds,
//! and the findings every stage reports about it.
//!
//! This module imports nothing else of the crate: ingest builds it, compute reads it.
//! Every figure keeps the [`Place`] it came from, so every finding can point at a cell.

mod basis;
mod finding;
mod ledger;
mod money;

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use basis::{Basis, LineSpent};
pub use finding::{Finding, FindingKind, Severity};
pub use ledger::{DaySum, Ledger, LedgerSource, LedgerSums, LeftOut, LineRef, LineSums, MonthSum};
pub use money::Money;

/// A file or sheet name, shared by every place in that file or sheet: cloning it copies a
/// pointer, so a hundred thousand figures do not each own copies of the same two names.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(Arc<str>);

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Name, D::Error> {
        String::deserialize(deserializer).map(Name::from)
    }
}

impl From<&str> for Name {
    fn from(name: &str) -> Name {
        Name(name.into())
    }
}

impl From<String> for Name {
    fn from(name: String) -> Name {
        Name(name.into())
    }
}

impl From<&String> for Name {
    fn from(name: &String) -> Name {
        Name(name.as_str().into())
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

/// What a place's file name is relative to. Outputs name a file only by its name in that
/// folder, never by a path of the machine that made them; the operator's messages on stderr
/// put the folder as given in front (`input/werkplan-2022.xlsx`).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// A file in the input folder (`--input`); an empty file name is the folder itself.
    #[default]
    Invoer,
    /// A replacement template in the `--templates` folder.
    Sjablonen,
    /// The `--font` (and `--font-bold`) file(s).
    Lettertype,
    /// Something compiled into the program (`ingebouwd sjabloon controle.hbs`).
    Ingebouwd,
}

impl Origin {
    /// The input folder: the common case, left out of the JSON.
    pub fn is_input(&self) -> bool {
        *self == Origin::Invoer
    }
}

/// Where a value came from: file, sheet and cell (A1 notation).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Place {
    /// The file's name relative to its folder (`werkplan-2022.xlsx`, never the input folder
    /// or an absolute path); empty for the input folder itself.
    pub file: Name,
    /// The sheet's name as it stands in the workbook; empty for a whole file.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub sheet: Name,
    /// The cell in A1 notation; empty for a whole sheet or file.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cell: String,
    /// What `file` is relative to; the input folder unless said otherwise.
    #[serde(rename = "herkomst", skip_serializing_if = "Origin::is_input")]
    pub origin: Origin,
}

/// A place as the JSON writes it: in full, or (a figure inside its table) as its cell only.
#[derive(Deserialize)]
#[serde(untagged)]
enum PlaceJson {
    Cell(String),
    Full {
        file: Name,
        #[serde(default)]
        sheet: Name,
        #[serde(default)]
        cell: String,
        #[serde(default, rename = "herkomst")]
        origin: Origin,
    },
}

impl<'de> Deserialize<'de> for Place {
    /// Reads both forms the JSON writes: `{file, sheet, cell}`, or a bare cell (`"F31"`) whose
    /// file and sheet are those of its table, which the reader fills in afterwards
    /// ([`Place::within`]).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Place, D::Error> {
        Ok(match PlaceJson::deserialize(deserializer)? {
            PlaceJson::Cell(cell) => Place {
                cell,
                ..Place::file("")
            },
            PlaceJson::Full {
                file,
                sheet,
                cell,
                origin,
            } => Place {
                file,
                sheet,
                cell,
                origin,
            },
        })
    }
}

impl Place {
    /// This cell in the file and sheet of `table`: completes a place the JSON wrote as its
    /// cell only.
    pub fn within(&mut self, table: &Place) {
        self.file = table.file.clone();
        self.sheet = table.sheet.clone();
        self.origin = table.origin;
    }

    /// A whole file.
    pub fn file(file: impl Into<Name>) -> Place {
        Place {
            file: file.into(),
            sheet: Name::default(),
            cell: String::new(),
            origin: Origin::Invoer,
        }
    }

    /// A whole sheet.
    pub fn sheet(file: impl Into<Name>, sheet: impl Into<Name>) -> Place {
        Place {
            file: file.into(),
            sheet: sheet.into(),
            cell: String::new(),
            origin: Origin::Invoer,
        }
    }

    /// One cell, from zero-based absolute row and column.
    pub fn cell(file: impl Into<Name>, sheet: impl Into<Name>, row: u32, col: u32) -> Place {
        Place {
            file: file.into(),
            sheet: sheet.into(),
            cell: a1(row, col),
            origin: Origin::Invoer,
        }
    }

    /// A whole file outside the input folder: a template, a font, something built in.
    pub fn outside(origin: Origin, file: impl Into<Name>) -> Place {
        Place {
            origin,
            ..Place::file(file)
        }
    }
}

impl fmt::Display for Place {
    /// `werkplan-2022.xlsx › Reguliere middelen › F31` (the app's log puts the input folder
    /// in front)
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if !self.sheet.is_empty() {
            write!(f, " › {}", self.sheet)?;
        }
        if !self.cell.is_empty() {
            write!(f, " › {}", self.cell)?;
        }
        Ok(())
    }
}

/// Serialises a place as its cell only (`"F31"`): in the JSON model a figure stands in its
/// table, whose place names the file and sheet; this keeps the model small.
fn cell_only<S: serde::Serializer>(place: &Place, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&place.cell)
}

/// A1 notation of a zero-based row and column: `a1(30, 5)` is `F31`.
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = u64::from(col) + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        c = (c - 1) / 26;
    }
    letters.reverse();
    let mut out: String = letters.into_iter().collect();
    out.push_str(&(u64::from(row) + 1).to_string());
    out
}

/// An amount as read from one cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    /// The value.
    pub value: Money,
    /// The cell it was read from.
    #[serde(serialize_with = "cell_only")]
    pub place: Place,
    /// The cell carried a footnote marker (a trailing `*`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub footnote_marker: bool,
}

/// One theme of the agenda. Number 0 is `Algemeen`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    /// 0 for Algemeen, 1..n for the agenda's themes.
    pub number: u32,
    /// The name as printed (`Leefbaarheid en bereikbaarheid`).
    pub name: String,
    /// Where the theme is defined.
    pub place: Place,
}

impl Theme {
    /// The heading as the werkplan prints it: `Algemeen` for theme 0, else `1 Leefbaarheid ...`.
    pub fn heading(&self) -> String {
        if self.number == 0 {
            self.name.clone()
        } else {
            format!("{} {}", self.number, self.name)
        }
    }
}

/// The finance instruments of the agenda, each with its own table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Instrument {
    /// Regular budget (`Reguliere middelen`, from the begroting).
    #[serde(rename = "reguliere-middelen")]
    ReguliereMiddelen,
    /// Province-wide projects (`Drenthe-brede projecten`, investeringsagenda).
    #[serde(rename = "drenthe-brede-projecten")]
    DrentheBredeProjecten,
    /// Alliantie projects (`Alliantieprojecten`, investeringsagenda).
    #[serde(rename = "alliantieprojecten")]
    Alliantieprojecten,
}

impl Instrument {
    /// The name as the user reads it, the one spelling of the instrument everywhere: table
    /// titles, chart titles, sheet names and messages. Dutch capitalisation (only the first
    /// word), as the werkplan writes the instruments in its text and names its sheets;
    /// the printed werkplan's one `Reguliere Middelen` in a table title is not followed.
    pub fn name(self) -> &'static str {
        match self {
            Instrument::ReguliereMiddelen => "Reguliere middelen",
            Instrument::DrentheBredeProjecten => "Drenthe-brede projecten",
            Instrument::Alliantieprojecten => "Alliantieprojecten",
        }
    }

    /// Where the instrument's money comes from, as the werkplan's table titles say it:
    /// `begroting`, `investeringsagenda`.
    pub fn funding(self) -> &'static str {
        match self {
            Instrument::ReguliereMiddelen => "begroting",
            Instrument::DrentheBredeProjecten | Instrument::Alliantieprojecten => {
                "investeringsagenda"
            }
        }
    }

    /// The table title: the [`name`](Self::name) and its [`funding`](Self::funding)
    /// (`Reguliere middelen (begroting)`).
    pub fn title(self) -> String {
        format!("{} ({})", self.name(), self.funding())
    }
}

/// What an amount column of a budget sheet holds.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "soort", content = "jaar", rename_all = "kebab-case")]
pub enum ColumnKind {
    /// Actual spending in a year (`Uitgaven 2021`, `Realisatie 2021`).
    Uitgaven(i32),
    /// Budget for a year (`Budget 2022`, `Begroting 2022`).
    Budget(i32),
    /// A project's budget over the agenda's whole term (`Totaal budget`).
    TotaalBudget,
    /// Committed, not yet spent (`Verplicht ’22 en ‘23`).
    Verplicht,
}

impl ColumnKind {
    /// The year of a spending column (`Uitgaven 2021`).
    pub fn spending_year(&self) -> Option<i32> {
        if let ColumnKind::Uitgaven(year) = self {
            Some(*year)
        } else {
            None
        }
    }

    /// The year of a budget column (`Budget 2022`).
    pub fn budget_year(&self) -> Option<i32> {
        if let ColumnKind::Budget(year) = self {
            Some(*year)
        } else {
            None
        }
    }
}

/// An amount column of a budget sheet, in sheet order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// What it holds.
    pub kind: ColumnKind,
    /// The header as the report prints it (the sheet's header, white space tidied).
    pub label: String,
    /// The header cell.
    #[serde(serialize_with = "cell_only")]
    pub place: Place,
}

/// A value the spreadsheet states but the pipeline computes: compared, never used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stated {
    /// Which figure it states.
    pub target: StatedTarget,
    /// The stated value and its cell.
    pub amount: Amount,
}

/// Which figure a stated value claims to be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "soort", content = "kolom", rename_all = "kebab-case")]
pub enum StatedTarget {
    /// The value of an amount column (index into the table's columns).
    Column(usize),
    /// The remaining budget (`Nog te besteden`, `Resterend budget`).
    Remaining,
    /// The total of one award round (index into the alliantie's rounds).
    Round(usize),
    /// The total awarded (alliantie sheet, `Toegekend`).
    Awarded,
    /// The total budget (alliantie budget sheet, `Totaal budget`).
    Budget,
}

/// The scope of a stated `Totaal` row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "soort", rename_all = "kebab-case")]
pub enum TotalScope {
    /// The total of one line's parts (`Onderdeel van` filled).
    Line {
        /// Theme number.
        theme: u32,
        /// The line's code.
        code: String,
    },
    /// The total of one theme (`Thema` filled).
    Theme {
        /// Theme number.
        theme: u32,
    },
    /// The total of the whole sheet.
    Sheet,
}

/// A stated `Totaal` row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatedTotal {
    /// What it totals.
    pub scope: TotalScope,
    /// The values it states.
    pub values: Vec<Stated>,
    /// The row's description cell.
    #[serde(serialize_with = "cell_only")]
    pub place: Place,
}

/// A part of a line (e.g. one of the five institutions under Algemeen c).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// The part's description.
    pub description: String,
    /// One amount per column of the table (empty cells are zero, with their place).
    pub amounts: Vec<Amount>,
    /// Values the row states but the pipeline computes (its remaining).
    pub stated: Vec<Stated>,
    /// Footnote text for this part (`Voetnoot`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub footnote: Option<String>,
    /// The description cell.
    #[serde(serialize_with = "cell_only")]
    pub place: Place,
}

/// One budget line of a theme in a table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// The line's letter within its theme (`a`, `b`, ...).
    pub code: String,
    /// Description or project name.
    pub description: String,
    /// One amount per column; for a line with parts, the sums are computed and these are the
    /// zero amounts of the parent row (any typed value is in `stated`).
    pub amounts: Vec<Amount>,
    /// The line's parts, in sheet order.
    pub parts: Vec<Part>,
    /// Values the row states but the pipeline computes (remaining; amounts of a parent row).
    pub stated: Vec<Stated>,
    /// Footnote text for this line (`Voetnoot`), printed under the table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub footnote: Option<String>,
    /// The description cell.
    #[serde(serialize_with = "cell_only")]
    pub place: Place,
}

/// A theme's part of a table: its lines, or a note in their place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Theme number.
    pub theme: u32,
    /// Lines in sheet order.
    pub lines: Vec<Line>,
    /// Notes printed in place of (or after) the lines (`Niet van toepassing ...`).
    pub notes: Vec<String>,
}

/// A budget table: `Reguliere middelen` or `Drenthe-brede projecten`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetTable {
    /// Which instrument.
    pub instrument: Instrument,
    /// The sheet it was read from.
    pub place: Place,
    /// The amount columns, in sheet order.
    pub columns: Vec<Column>,
    /// The label of the stated remaining column, if the sheet has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining_label: Option<String>,
    /// One section per theme that occurs in the sheet, in theme order.
    pub sections: Vec<Section>,
    /// The sheet's stated `Totaal` rows.
    pub stated_totals: Vec<StatedTotal>,
}

/// An award round of the alliantie projects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// The round's number (1, 2, 3, ...).
    pub number: u32,
}

impl Round {
    /// The column header: `1e ronde`.
    pub fn label(&self) -> String {
        format!("{}e ronde", self.number)
    }
}

/// A theme's budget for alliantie projects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlliantieBudget {
    /// Theme number.
    pub theme: u32,
    /// The theme's budget.
    pub budget: Amount,
    /// The stated remaining budget, if the sheet has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stated_remaining: Option<Amount>,
    /// The row's theme cell.
    #[serde(serialize_with = "cell_only")]
    pub place: Place,
}

/// One awarded alliantie project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    /// Theme number.
    pub theme: u32,
    /// The project's letter within its theme.
    pub code: String,
    /// The project's name.
    pub project: String,
    /// Index into [`Alliantie::rounds`].
    pub round: usize,
    /// The amount awarded.
    pub amount: Amount,
    /// Awarded subject to a pending procedure (`ovb voorhangprocedure`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voorbehoud: Option<String>,
    /// The project cell.
    #[serde(serialize_with = "cell_only")]
    pub place: Place,
}

/// The alliantie projects: budgets per theme and the awards.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alliantie {
    /// The `Alliantiebudget` sheet.
    pub budget_place: Place,
    /// The `Alliantieprojecten` sheet.
    pub awards_place: Place,
    /// Budget per theme, in theme order.
    pub budgets: Vec<AlliantieBudget>,
    /// The rounds that occur in the awards, in number order.
    pub rounds: Vec<Round>,
    /// The awards, in sheet order.
    pub awards: Vec<Award>,
    /// Stated `Totaal` rows of either sheet.
    pub stated_totals: Vec<StatedTotal>,
    /// Notes per theme (`Geen aanvragen ontvangen`), printed under the theme's heading.
    pub notes: Vec<ThemeNote>,
}

/// A note for a theme in a table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeNote {
    /// Theme number.
    pub theme: u32,
    /// The text.
    pub text: String,
    /// Its cell.
    #[serde(serialize_with = "cell_only")]
    pub place: Place,
}

/// One input file, for the report's metadata.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    /// The file's name in the input folder (never a path of the machine).
    pub path: String,
    /// SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
}

/// The validated finance data of one werkplan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Werkplan {
    /// The werkplan's year: the first budget year in the data.
    pub year: i32,
    /// The themes, in number order.
    pub themes: Vec<Theme>,
    /// `Reguliere middelen`.
    pub regulier: BudgetTable,
    /// `Drenthe-brede projecten`.
    pub drenthe_breed: BudgetTable,
    /// The alliantie projects.
    pub alliantie: Alliantie,
    /// The files read, in name order.
    pub sources: Vec<SourceFile>,
    /// The monthly run's ledger and register sums (empty without them). Not serialised
    /// with the model: per day they are the bookings' shadow; the JSON output writes them
    /// per month (`render::json`).
    #[serde(skip)]
    pub ledger: Ledger,
}

impl Werkplan {
    /// The last year with a spending column in either budget table.
    pub fn last_spending_year(&self) -> Option<i32> {
        self.regulier
            .columns
            .iter()
            .chain(&self.drenthe_breed.columns)
            .filter_map(|c| c.kind.spending_year())
            .max()
    }

    /// The theme with this number.
    pub fn theme(&self, number: u32) -> Option<&Theme> {
        self.themes.iter().find(|t| t.number == number)
    }
}

/// The months in Dutch, January first: `MONTHS[0]` is `januari`.
pub const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// A calendar date (the peildatum), without a clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u32,
    /// Day, 1..=31.
    pub day: u32,
}

impl Date {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse_iso(text: &str) -> Option<Date> {
        let mut it = text.trim().splitn(3, '-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        if !(1900..=2200).contains(&year) {
            return None;
        }
        Date::new(year, m.parse().ok()?, d.parse().ok()?)
    }

    /// `1 januari 2022`.
    pub fn to_dutch(self) -> String {
        let month = MONTHS.get(self.month as usize - 1).copied().unwrap_or("?");
        format!("{} {} {}", self.day, month, self.year)
    }
}

impl fmt::Display for Date {
    /// ISO notation, `2022-01-01`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    /// `YYYY-MM-DD`, as [`Serialize`] writes it.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse_iso(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("‘{text}’ is geen datum (JJJJ-MM-DD)")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_spells_the_name_as_everywhere_else() {
        for instrument in [
            Instrument::ReguliereMiddelen,
            Instrument::DrentheBredeProjecten,
            Instrument::Alliantieprojecten,
        ] {
            assert!(instrument.title().starts_with(instrument.name()));
        }
        assert_eq!(
            Instrument::ReguliereMiddelen.title(),
            "Reguliere middelen (begroting)"
        );
    }

    #[test]
    fn a1_notation() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(30, 5), "F31");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn place_reads_file_sheet_cell() {
        let p = Place::cell("input/w.xlsx", "Reguliere middelen", 30, 5);
        assert_eq!(p.to_string(), "input/w.xlsx › Reguliere middelen › F31");
        assert_eq!(Place::file("input/w.xlsx").to_string(), "input/w.xlsx");
    }

    #[test]
    fn a_place_reads_back_in_both_forms_the_json_writes() {
        let full = Place::cell("werkplan-2022.xlsx", "Reguliere middelen", 30, 5);
        let json = serde_json::to_string(&full).unwrap();
        assert_eq!(serde_json::from_str::<Place>(&json).unwrap(), full);
        let font = Place::outside(Origin::Lettertype, "DejaVuSans.ttf");
        let json = serde_json::to_string(&font).unwrap();
        assert_eq!(serde_json::from_str::<Place>(&json).unwrap(), font);
        let mut cell: Place = serde_json::from_str("\"F31\"").unwrap();
        assert_eq!((&*cell.file, cell.cell.as_str()), ("", "F31"));
        cell.within(&Place::sheet("werkplan-2022.xlsx", "Reguliere middelen"));
        assert_eq!(cell, full);
        assert!(serde_json::from_str::<Place>("{\"sheet\":\"x\"}").is_err());
    }

    #[test]
    fn a_date_reads_back_as_it_is_written() {
        let date = Date::new(2022, 9, 30).unwrap();
        let json = serde_json::to_string(&date).unwrap();
        assert_eq!(json, "\"2022-09-30\"");
        assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), date);
        let error = serde_json::from_str::<Date>("\"2022-02-30\"").unwrap_err();
        assert!(error.to_string().contains("‘2022-02-30’ is geen datum"));
    }

    #[test]
    fn dates() {
        assert_eq!(
            Date::parse_iso("2022-01-01").unwrap().to_dutch(),
            "1 januari 2022"
        );
        assert!(Date::parse_iso("2022-02-29").is_none());
        assert!(Date::parse_iso("2024-02-29").is_some());
        assert!(Date::parse_iso("22-1-1").is_none());
        assert_eq!(Date::new(2022, 12, 31).unwrap().to_string(), "2022-12-31");
    }
}
