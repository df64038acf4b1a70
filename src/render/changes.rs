//! The actualisatie's changes as the editions print them: built once from
//! [`Changes`] in [`Appendix::build`](super::Appendix::build),
//! drawn by the PDF, XLSX and web page without deciding anything of their own.
//!
//! The publication gets a [`ChangesSection`]: the text of template `wijzigingen` (the heading
//! naming the basis, the ten-second summary, the effect per instrument, or the sentence that
//! nothing changed) and per instrument with changes a [`ReportTable`] with the columns
//! `Voor`, `Na` and `Verschil`, where `Verschil` is derived (`Na − Voor`), so the XLSX writes
//! it as a formula with the computed figure as its cached result. The control report gets
//! [`ChangesControl`]: the findings new and gone since the basis, and the source cell of every
//! changed figure (file › sheet › cell), which the publication never prints.

use serde::Serialize;

use super::table::{CellRef, Derivation, ReportTable, RowKind, TableCell, TableColumn, TableRow};
use super::text::Block;
use crate::compute::changes::{Change, ChangeKind, Changes, InstrumentChanges, ValueChange};
use crate::model::{Finding, Place};

/// The amount column of the value before.
pub const BEFORE: usize = 0;
/// The amount column of the value after.
pub const AFTER: usize = 1;
/// The amount column of the difference (after minus before).
pub const DIFFERENCE: usize = 2;

/// The publication's section `Wijzigingen ten opzichte van ...`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChangesSection {
    /// The rendered template `wijzigingen`: the heading (a `##` section), the summary, the
    /// effect per instrument; or the sentence that nothing changed.
    pub text: Vec<Block>,
    /// One table per instrument with changes, in report order; empty when nothing changed.
    pub tables: Vec<ReportTable>,
}

/// What the control report prints about the changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChangesControl {
    /// The basis, as the control report names it (`werkplan 2022, peildatum 31 december
    /// 2021`).
    pub basis: String,
    /// Findings of this run the basis did not have.
    pub new_findings: Vec<Finding>,
    /// Findings of the basis this run no longer has.
    pub gone_findings: Vec<Finding>,
    /// The source cell of every changed figure that was read from a spreadsheet.
    pub places: Vec<ChangedPlace>,
}

/// Where a changed figure now comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChangedPlace {
    /// The instrument's name.
    pub instrument: String,
    /// The line as the change table labels it (`1a Burgerparticipatie`).
    pub line: String,
    /// The figure (`Budget 2022`).
    pub figure: String,
    /// The value now.
    pub after: Option<crate::model::Money>,
    /// Its cell.
    pub place: Place,
}

/// The basis as headings and the control report name it: `werkplan 2022, peildatum 31
/// december 2021`.
pub fn basis_name(changes: &Changes) -> String {
    format!(
        "werkplan {}, peildatum {}",
        changes.basis_year,
        changes.basis_peildatum.to_dutch()
    )
}

/// The change tables: one per instrument that has changes or whose totals changed.
pub fn change_tables(changes: &Changes) -> Vec<ReportTable> {
    changes
        .instruments
        .iter()
        .filter(|i| {
            !i.changes.is_empty() || differs(&i.budget) || i.remaining.as_ref().is_some_and(differs)
        })
        .map(instrument_table)
        .collect()
}

/// What the control report prints.
pub fn control(changes: &Changes) -> ChangesControl {
    let places = changes
        .instruments
        .iter()
        .flat_map(|i| {
            i.changes.iter().flat_map(move |change| {
                change.values.iter().filter_map(move |value| {
                    Some(ChangedPlace {
                        instrument: i.instrument.name().to_string(),
                        line: format!("{} {}", shown_code(change), change.description),
                        figure: value.label.clone(),
                        after: value.after,
                        place: value.place.clone()?,
                    })
                })
            })
        })
        .collect();
    ChangesControl {
        basis: basis_name(changes),
        new_findings: changes.new_findings.clone(),
        gone_findings: changes.gone_findings.clone(),
        places,
    }
}

/// Whether a figure differs between the basis and now.
fn differs(value: &ValueChange) -> bool {
    value.before != value.after
}

/// The code as the table shows it: a letter is prefixed with its theme (`1a`), a code that
/// carries its theme already (`6a`) or a line outside the themes (theme 0) stays as it is.
fn shown_code(change: &Change) -> String {
    code_in_theme(change.theme, &change.code)
}

fn code_in_theme(theme: u32, code: &str) -> String {
    if theme == 0 || code.starts_with(|c: char| c.is_ascii_digit()) {
        code.to_string()
    } else {
        format!("{theme}{code}")
    }
}

/// What happened, in the words printed after the label: `nieuw`, `hernoemd, was ‘...’`.
fn kind_words(kind: &ChangeKind) -> String {
    match kind {
        ChangeKind::Changed => "gewijzigd".to_string(),
        ChangeKind::Added => "nieuw".to_string(),
        ChangeKind::Removed => "vervallen".to_string(),
        ChangeKind::Renamed { from } => format!("hernoemd, was ‘{from}’"),
        ChangeKind::Moved {
            from_theme,
            from_code,
        } => format!("verplaatst, was {}", code_in_theme(*from_theme, from_code)),
        ChangeKind::AwardAdded { round } => format!("toegekend, {round}"),
        ChangeKind::AwardWithdrawn { round } => format!("ingetrokken, {round}"),
    }
}

/// A row of before, after and the derived difference.
fn value_row(
    kind: RowKind,
    row: usize,
    label: String,
    remark: Option<String>,
    code: Option<String>,
    theme: u32,
    value: &ValueChange,
) -> TableRow {
    let cell = |v| TableCell {
        value: v,
        ..TableCell::default()
    };
    TableRow {
        kind,
        code,
        label,
        remark,
        theme,
        cells: vec![
            cell(value.before),
            cell(value.after),
            TableCell {
                value: Some(value.difference()),
                marker: None,
                derivation: Some(Derivation {
                    plus: vec![CellRef { row, column: AFTER }],
                    minus: vec![CellRef {
                        row,
                        column: BEFORE,
                    }],
                }),
            },
        ],
    }
}

/// The changes table of one instrument: a row per change (a changed line with several
/// figures gets a part row per figure), the remaining and spent when they differ, then the
/// budget's total.
fn instrument_table(changes: &InstrumentChanges) -> ReportTable {
    let mut rows: Vec<TableRow> = Vec::new();
    for change in &changes.changes {
        push_change(&mut rows, change);
    }
    for extra in [&changes.remaining, &changes.spent].into_iter().flatten() {
        if differs(extra) {
            let row = value_row(
                RowKind::Line,
                rows.len(),
                extra.label.clone(),
                None,
                None,
                0,
                extra,
            );
            rows.push(row);
        }
    }
    let row = value_row(
        RowKind::Total,
        rows.len(),
        changes.budget.label.clone(),
        None,
        None,
        0,
        &changes.budget,
    );
    rows.push(row);
    let mut columns: Vec<TableColumn> = ["Voor", "Na", "Verschil"]
        .into_iter()
        .map(|label| TableColumn {
            label: label.to_string(),
            group: None,
            cents: false,
            computed: label == "Verschil",
        })
        .collect();
    super::table::set_column_cents(&mut columns, &rows);
    ReportTable {
        instrument: changes.instrument,
        title: format!("Wijzigingen {}", changes.instrument.name()),
        label_header: "Regel".to_string(),
        columns,
        rows,
        footnotes: Vec::new(),
    }
}

/// The rows of one change: one row for a single figure, else the change's row without
/// figures and a part row per figure.
fn push_change(rows: &mut Vec<TableRow>, change: &Change) {
    let code = Some(shown_code(change));
    let words = kind_words(&change.kind);
    match change.values.as_slice() {
        [only] => {
            // the figure's name, unless the words name the round already
            let remark = match change.kind {
                ChangeKind::AwardAdded { .. } | ChangeKind::AwardWithdrawn { .. } => {
                    format!("({words})")
                }
                _ => format!("({words}, {})", only.label),
            };
            let row = value_row(
                RowKind::Line,
                rows.len(),
                change.description.clone(),
                Some(remark),
                code,
                change.theme,
                only,
            );
            rows.push(row);
        }
        values => {
            rows.push(TableRow {
                kind: RowKind::Line,
                code,
                label: change.description.clone(),
                remark: Some(format!("({words})")),
                theme: change.theme,
                cells: vec![TableCell::default(); 3],
            });
            for value in values {
                let row = value_row(
                    RowKind::Part,
                    rows.len(),
                    value.label.clone(),
                    None,
                    None,
                    change.theme,
                    value,
                );
                rows.push(row);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Instrument, Money};

    fn value(label: &str, before: Option<i64>, after: Option<i64>) -> ValueChange {
        ValueChange {
            label: label.to_string(),
            before: before.map(Money::from_cents),
            after: after.map(Money::from_cents),
            place: None,
        }
    }

    fn instrument(instrument: Instrument, changes: Vec<Change>) -> InstrumentChanges {
        InstrumentChanges {
            instrument,
            changes,
            budget: value("Totaal budget", Some(10_000_000), Some(10_000_000)),
            remaining: None,
            spent: None,
        }
    }

    fn changes() -> Changes {
        let change = |kind, theme, code: &str, values| Change {
            kind,
            theme,
            code: code.to_string(),
            description: "Burgerparticipatie".to_string(),
            values,
        };
        Changes {
            basis_year: 2022,
            basis_peildatum: Date::new(2021, 6, 30).unwrap(),
            instruments: vec![
                instrument(Instrument::ReguliereMiddelen, Vec::new()),
                instrument(
                    Instrument::DrentheBredeProjecten,
                    vec![
                        change(
                            ChangeKind::Changed,
                            1,
                            "a",
                            vec![value("Totaal budget", Some(55_000_000), Some(50_000_050))],
                        ),
                        change(
                            ChangeKind::Moved {
                                from_theme: 2,
                                from_code: "b".to_string(),
                            },
                            0,
                            "c",
                            vec![
                                value("Budget 2022", Some(100), Some(200)),
                                value("Budget 2023", None, Some(300)),
                            ],
                        ),
                    ],
                ),
            ],
            new_findings: Vec::new(),
            gone_findings: Vec::new(),
        }
    }

    #[test]
    fn one_table_per_instrument_with_changes_and_the_difference_derived() {
        let tables = change_tables(&changes());
        assert_eq!(tables.len(), 1, "Reguliere middelen has no changes");
        let table = &tables[0];
        assert_eq!(table.title, "Wijzigingen Drenthe-brede projecten");
        let codes: Vec<Option<&str>> = table.rows.iter().map(|r| r.code.as_deref()).collect();
        // a letter gets its theme; outside the themes (0) it stays bare
        assert_eq!(codes, [Some("1a"), Some("c"), None, None, None]);
        assert_eq!(
            table.rows[0].remark.as_deref(),
            Some("(gewijzigd, Totaal budget)")
        );
        assert_eq!(
            table.rows[1].remark.as_deref(),
            Some("(verplaatst, was 2b)")
        );
        // several figures: one part row each
        assert_eq!(table.rows[2].kind, RowKind::Part);
        assert_eq!(table.rows[3].label, "Budget 2023");
        assert_eq!(table.rows[4].kind, RowKind::Total);
        let difference = &table.rows[0].cells[DIFFERENCE];
        assert_eq!(difference.value, Some(Money::from_cents(-4_999_950)));
        assert_eq!(
            difference.derivation,
            Some(Derivation {
                plus: vec![CellRef {
                    row: 0,
                    column: AFTER
                }],
                minus: vec![CellRef {
                    row: 0,
                    column: BEFORE
                }],
            })
        );
        // one precision rule per column: cents where any figure has them
        let cents: Vec<bool> = table.columns.iter().map(|c| c.cents).collect();
        assert_eq!(cents, [false, true, true]);
    }

    #[test]
    fn the_control_lists_only_figures_read_from_a_cell() {
        let mut found = changes();
        let place = Place::cell("werkplan-2022.xlsx", "Drenthe-brede projecten", 3, 3);
        found.instruments[1].changes[0].values[0].place = Some(place.clone());
        let control = control(&found);
        assert_eq!(control.basis, "werkplan 2022, peildatum 30 juni 2021");
        assert_eq!(control.places.len(), 1);
        assert_eq!(control.places[0].place, place);
        assert_eq!(control.places[0].line, "1a Burgerparticipatie");
    }

    fn text(year: i32, changes: &Changes) -> Vec<String> {
        let texts = crate::render::Texts::load(None).unwrap();
        texts
            .render_changes(year, changes)
            .unwrap()
            .iter()
            .map(|b| b.text().to_string())
            .collect()
    }

    #[test]
    fn the_text_names_the_basis_sums_up_and_gives_each_effect() {
        let mut found = changes();
        // Drenthe-brede: its budget rises by the half euro of the changed line
        found.instruments[1].budget.after = Some(Money::from_cents(10_000_050));
        let text = text(2022, &found);
        assert_eq!(
            text[0],
            "Wijzigingen ten opzichte van werkplan 2022, peildatum 30 juni 2021"
        );
        assert_eq!(
            text[1],
            "In het kort: één regel gewijzigd en één regel verplaatst; totaal budget +€ 0,50 (nu € 200.000,50)."
        );
        assert_eq!(text[2], "Reguliere middelen: geen wijzigingen.");
        assert_eq!(
            text[3],
            "Drenthe-brede projecten: het totale budget stijgt met € 0,50."
        );
        assert_eq!(text.len(), 4);
    }

    #[test]
    fn a_basis_of_another_year_says_so_and_no_changes_give_one_sentence() {
        let mut found = changes();
        for instrument in &mut found.instruments {
            instrument.changes.clear();
        }
        let text = text(2023, &found);
        assert!(
            text[0].starts_with(
                "Wijzigingen ten opzichte van werkplan 2022 (een ander werkplanjaar), peildatum"
            ),
            "{text:?}"
        );
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(text[1].starts_with("Er zijn geen wijzigingen"), "{text:?}");
    }

    #[test]
    fn a_shift_within_an_instrument_is_budget_neutral() {
        let mut found = changes();
        // five million from line 1a to line c: a shift
        found.instruments[1].changes[0].values[0].after = Some(Money::from_cents(50_000_000));
        found.instruments[1].changes[1].values =
            vec![value("Totaal budget", Some(10_000_000), Some(15_000_000))];
        let text = text(2022, &found);
        assert_eq!(
            text[3],
            "Drenthe-brede projecten: budgetneutraal: een verschuiving tussen regels."
        );
        assert!(
            text[1].ends_with("totaal budget ongewijzigd (nu € 200.000)."),
            "{text:?}"
        );
    }
}
