//! The kinds of sheet the pipeline reads, each one entry in [`KINDS`]: its name as INPUT.md
//! writes it, the names it is recognised by, the headers it requires and its reader.
//!
//! A new kind of input is one entry here plus its reader: a budget table is read by
//! [`crate::ingest::sheet::read`] into a [`crate::ingest::sheet::SheetTable`] and built
//! into the model by [`crate::ingest::build`]; a ledger or register is streamed by
//! [`crate::ingest::ledger`]. The table lives in ingest only. The model's
//! [`crate::model::Werkplan`] and compute's report keep one typed field per table: they are
//! the domain (the appendix has exactly these tables, each with its own rules and layout),
//! so a new budget table also gets its field in [`crate::ingest::build::BudgetSheets`] and
//! the model, where the compiler then points at every place that must handle it.

use crate::ingest::header::Field;
use crate::ingest::ledger::sink::LedgerColumn;
use crate::model::ColumnKind;

/// The kinds of sheet the pipeline reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SheetKind {
    /// `Thema's`: the themes.
    Themas,
    /// `Reguliere middelen`.
    ReguliereMiddelen,
    /// `Drenthe-brede projecten`.
    DrentheBredeProjecten,
    /// `Alliantiebudget`.
    Alliantiebudget,
    /// `Alliantieprojecten`.
    Alliantieprojecten,
    /// `Boekingen...`: a ledger export (the monthly run; streamed, see `ingest::ledger`).
    Boekingen,
    /// `Verplichtingen...`: a commitments register (the monthly run; streamed, see
    /// `ingest::ledger`).
    Verplichtingen,
}

/// How the sheets of a kind are read, and so how often they may occur.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// A budget table: read whole into a grid, its header and records found by
    /// [`crate::ingest::sheet::read`], built by [`crate::ingest::build`]. Required exactly
    /// once.
    Table {
        /// The fields the sheet must have; amount columns are checked separately.
        required: &'static [Field],
        /// Whether the sheet needs at least one year amount column (`Uitgaven JJJJ`).
        year_column: bool,
    },
    /// A ledger export or commitments register: streamed row by row into
    /// [`crate::ingest::ledger::LedgerInput`], never cells. Optional, and may occur several
    /// times (one per month or export), in a workbook or as a CSV file.
    Ledger {
        /// The columns the sheet must have.
        required: &'static [LedgerColumn],
    },
}

/// One kind of sheet: everything the pipeline knows about it.
#[derive(Clone, Copy, Debug)]
pub struct KindEntry {
    /// The kind.
    pub kind: SheetKind,
    /// The sheet's name as INPUT.md writes it.
    pub name: &'static str,
    /// The names it is recognised by: letters and digits only, lowercase, without accents
    /// and without a trailing year (`Reguliere middelen 2022`).
    pub names: &'static [&'static str],
    /// A start that recognises it too, whatever follows (`Boekingen januari`).
    pub prefix: Option<&'static str>,
    /// How it is read.
    pub reader: Reader,
}

/// Every kind of sheet, in the order of INPUT.md (and of the messages about missing ones).
pub const KINDS: [KindEntry; 7] = [
    KindEntry {
        kind: SheetKind::Themas,
        name: "Thema's",
        names: &["themas", "thema"],
        prefix: None,
        reader: Reader::Table {
            required: &[Field::Nr, Field::Thema],
            year_column: false,
        },
    },
    KindEntry {
        kind: SheetKind::ReguliereMiddelen,
        name: "Reguliere middelen",
        names: &["regulieremiddelen", "regulieremiddelenbegroting"],
        prefix: None,
        reader: Reader::Table {
            required: &[Field::Thema, Field::Code, Field::Omschrijving],
            year_column: true,
        },
    },
    KindEntry {
        kind: SheetKind::DrentheBredeProjecten,
        name: "Drenthe-brede projecten",
        names: &[
            "drenthebredeprojecten",
            "drenthebredeprojecteninvesteringsagenda",
        ],
        prefix: None,
        reader: Reader::Table {
            required: &[
                Field::Thema,
                Field::Code,
                Field::Omschrijving,
                Field::Amount(ColumnKind::TotaalBudget),
                Field::Amount(ColumnKind::Verplicht),
            ],
            year_column: true,
        },
    },
    KindEntry {
        kind: SheetKind::Alliantiebudget,
        name: "Alliantiebudget",
        names: &["alliantiebudget", "alliantiebudgetten"],
        prefix: None,
        reader: Reader::Table {
            required: &[Field::Thema, Field::Amount(ColumnKind::TotaalBudget)],
            year_column: false,
        },
    },
    KindEntry {
        kind: SheetKind::Alliantieprojecten,
        name: "Alliantieprojecten",
        names: &["alliantieprojecten", "alliantieprojecteninvesteringsagenda"],
        prefix: None,
        reader: Reader::Table {
            required: &[
                Field::Thema,
                Field::Code,
                Field::Omschrijving,
                Field::Ronde,
                Field::Toegekend,
            ],
            year_column: false,
        },
    },
    KindEntry {
        kind: SheetKind::Boekingen,
        name: "Boekingen",
        names: &[],
        prefix: Some("boekingen"),
        reader: Reader::Ledger {
            required: &[
                LedgerColumn::Datum,
                LedgerColumn::Instrument,
                LedgerColumn::Thema,
                LedgerColumn::Code,
                LedgerColumn::Bedrag,
            ],
        },
    },
    KindEntry {
        kind: SheetKind::Verplichtingen,
        name: "Verplichtingen",
        names: &[],
        prefix: Some("verplichtingen"),
        reader: Reader::Ledger {
            required: &[
                LedgerColumn::Instrument,
                LedgerColumn::Thema,
                LedgerColumn::Code,
                LedgerColumn::Bedrag,
            ],
        },
    },
];

impl SheetKind {
    /// This kind's entry in [`KINDS`].
    pub fn entry(self) -> &'static KindEntry {
        // every kind has its entry, in declaration order (a test checks it)
        &KINDS[self as usize]
    }

    /// The sheet's name as INPUT.md writes it.
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// The kinds required exactly once: the budget tables, in the order of [`KINDS`].
    pub fn required_kinds() -> impl Iterator<Item = SheetKind> {
        KINDS
            .iter()
            .filter(|e| matches!(e.reader, Reader::Table { .. }))
            .map(|e| e.kind)
    }

    /// Recognises a sheet by its name; `None` for sheets the pipeline ignores.
    pub fn recognise(sheet_name: &str) -> Option<SheetKind> {
        let full = crate::ingest::header::letters(sheet_name);
        // a year after the name is fine: `Reguliere middelen 2022`
        let key = full.trim_end_matches(|c: char| c.is_ascii_digit());
        let by_name = KINDS.iter().find(|e| e.names.contains(&key));
        by_name
            .or_else(|| {
                KINDS
                    .iter()
                    .find(|e| e.prefix.is_some_and(|p| full.starts_with(p)))
            })
            .map(|e| e.kind)
    }

    /// Whether several sheets of this kind may occur (one per month or export).
    pub fn may_repeat(self) -> bool {
        matches!(self.entry().reader, Reader::Ledger { .. })
    }

    /// The fields a budget-table sheet of this kind must have (none for a ledger); amount
    /// columns are checked separately.
    pub fn required_fields(self) -> &'static [Field] {
        match self.entry().reader {
            Reader::Table { required, .. } => required,
            Reader::Ledger { .. } => &[],
        }
    }

    /// Whether a sheet of this kind needs at least one year amount column (`Uitgaven JJJJ`).
    pub fn needs_year_column(self) -> bool {
        matches!(
            self.entry().reader,
            Reader::Table {
                year_column: true,
                ..
            }
        )
    }

    /// The columns a ledger sheet of this kind must have (none for a budget table).
    pub fn ledger_columns(self) -> &'static [LedgerColumn] {
        match self.entry().reader {
            Reader::Ledger { required } => required,
            Reader::Table { .. } => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_its_own_entry() {
        for (i, entry) in KINDS.iter().enumerate() {
            assert_eq!(entry.kind as usize, i, "{}", entry.name);
            assert_eq!(entry.kind.entry().name, entry.name);
        }
    }

    #[test]
    fn recognised_by_name_and_prefix() {
        for entry in &KINDS {
            assert_eq!(SheetKind::recognise(entry.name), Some(entry.kind));
        }
        assert_eq!(
            SheetKind::recognise("Verplichtingen 2022 Q1"),
            Some(SheetKind::Verplichtingen)
        );
        assert_eq!(SheetKind::recognise("Toelichting"), None);
    }
}
