//! Property tests: ingest never panics, whatever the cells hold.

use proptest::prelude::*;

use super::build::{self, BudgetSheets, InputFindings};
use super::grid::{Grid, RawCell};
use super::header::SheetKind;
use super::{amount, sheet};

/// Texts people put in these sheets, headers and values alike, plus arbitrary ones.
const WORDS: &[&str] = &[
    "Thema",
    "Code",
    "Omschrijving",
    "Project",
    "Onderdeel van",
    "Uitgaven 2021",
    "Budget 2022",
    "Realisatie 2020",
    "Totaal budget",
    "Verplicht ’22",
    "Nog te besteden",
    "Resterend budget",
    "Voetnoot",
    "Ronde",
    "Toegekend",
    "Voorbehoud",
    "Nr",
    "Totaal",
    "totaal",
    "a",
    "b",
    "c",
    "1",
    "2",
    "0 Algemeen",
    "1 Wonen",
    "Wonen",
    "3e ronde",
    "€ 1.234,56",
    "-",
    "–",
    "10.400",
    "150.000*",
    "*",
    "* voetnoot",
    "n.v.t.",
    "",
    " ",
    "12,345",
    "€ -5.000",
];

fn cell() -> impl Strategy<Value = RawCell> {
    prop_oneof![
        3 => Just(RawCell::Empty),
        4 => proptest::sample::select(WORDS).prop_map(|w| RawCell::Text((*w).into())),
        1 => ".{0,12}".prop_map(|t: String| RawCell::Text(t.into())),
        3 => any::<f64>().prop_map(RawCell::Float),
        2 => (-1_000_000i64..1_000_000).prop_map(|v| RawCell::Float(v as f64 / 100.0)),
        1 => any::<i64>().prop_map(RawCell::Int),
        1 => any::<bool>().prop_map(RawCell::Bool),
        1 => Just(RawCell::Date("01-01-2022".into())),
        1 => any::<f64>().prop_map(RawCell::Percent),
        1 => Just(RawCell::Error("#REF!".into())),
        1 => Just(RawCell::FormulaWithoutValue("SUM(A1:A2)".into())),
    ]
}

fn rows() -> impl Strategy<Value = Vec<Vec<RawCell>>> {
    proptest::collection::vec(proptest::collection::vec(cell(), 0..10), 0..14)
}

fn grid(kind: SheetKind, rows: Vec<Vec<RawCell>>, merged: Vec<((u32, u32), (u32, u32))>) -> Grid {
    let mut grid = Grid::from_dense("f.xlsx", kind.name(), kind, rows);
    grid.merged = merged;
    grid
}

fn text(t: &str) -> RawCell {
    RawCell::Text(t.into())
}

/// A valid header row for a kind, so fuzzed rows get past the header search.
fn header(kind: SheetKind) -> Vec<RawCell> {
    let names: &[&str] = match kind {
        SheetKind::Themas => &["Nr", "Thema"],
        SheetKind::ReguliereMiddelen => &[
            "Thema",
            "Code",
            "Omschrijving",
            "Onderdeel van",
            "Uitgaven 2021",
            "Budget 2022",
        ],
        SheetKind::DrentheBredeProjecten => &[
            "Thema",
            "Code",
            "Project",
            "Totaal budget",
            "Uitgaven 2021",
            "Verplicht",
            "Nog te besteden",
            "Voetnoot",
            "Onderdeel van",
        ],
        SheetKind::Alliantiebudget => &["Thema", "Totaal budget", "Resterend budget"],
        _ => &[
            "Thema",
            "Code",
            "Project",
            "Ronde",
            "Toegekend",
            "Voorbehoud",
        ],
    };
    names.iter().map(|n| text(n)).collect()
}

fn with_header(kind: SheetKind, mut body: Vec<Vec<RawCell>>) -> Vec<Vec<RawCell>> {
    body.insert(0, header(kind));
    body
}

fn merged() -> impl Strategy<Value = Vec<((u32, u32), (u32, u32))>> {
    proptest::collection::vec(
        ((0u32..16, 0u32..10), (0u32..4, 0u32..3))
            .prop_map(|((r, c), (h, w))| ((r, c), (r + h, c + w))),
        0..3,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn amount_text_never_panics(text in ".{0,40}") {
        let _ = amount::parse_text(&text);
    }

    #[test]
    fn amount_floats_never_panic(value in any::<f64>()) {
        let _ = amount::from_float(value);
    }

    #[test]
    fn header_search_never_panics(rows in rows(), kind in proptest::sample::select(SheetKind::required_kinds().collect::<Vec<_>>()), merged in merged()) {
        let _ = sheet::read(grid(kind, rows, merged));
    }

    #[test]
    fn building_the_model_never_panics(
        themes in rows(), regulier in rows(), drenthe in rows(), budget in rows(), awards in rows(), merged in merged(),
    ) {
        let mut theme_rows = vec![vec![RawCell::Float(0.0), text("Algemeen")], vec![RawCell::Float(1.0), text("Wonen")]];
        theme_rows.extend(themes);
        let read = |kind: SheetKind, body: Vec<Vec<RawCell>>, merged: Vec<((u32, u32), (u32, u32))>| sheet::read(grid(kind, with_header(kind, body), merged)).ok();
        let sheets = (|| Some(BudgetSheets {
            themas: read(SheetKind::Themas, theme_rows, Vec::new())?,
            regulier: read(SheetKind::ReguliereMiddelen, regulier, merged.clone())?,
            drenthe_breed: read(SheetKind::DrentheBredeProjecten, drenthe, merged)?,
            alliantiebudget: read(SheetKind::Alliantiebudget, budget, Vec::new())?,
            alliantieprojecten: read(SheetKind::Alliantieprojecten, awards, Vec::new())?,
        }))();
        if let Some(sheets) = sheets {
            let mut problems = InputFindings::default();
            if let Some(werkplan) = build::werkplan(&sheets, Vec::new(), &mut problems) {
                let peildatum = crate::model::Date { year: 2022, month: 1, day: 1 };
                let report = crate::compute::report_for(&werkplan, peildatum);
                let _ = crate::render::table::report_tables(&report);
                let _ = crate::render::chart::report_charts(&report);
                let _ = crate::render::json::render(&werkplan, &report, &[]);
            }
        }
    }
}
