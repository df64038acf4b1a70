//! Chart data: per instrument, per theme, budget against spending and commitments.
//!
//! Format-neutral, like the tables: the PDF draws it as vectors, the XLSX as a native chart.
//! The alt text states the same figures in words.

use serde::Serialize;

use super::table::column_cents;
use super::text::enumeration;
use crate::compute::{Realisation, Report, ReportColumnKind, TableReport};
use crate::model::{ColumnKind, Instrument, Money};

/// A grouped bar chart: one group per theme, one bar per series.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Chart {
    /// Which instrument.
    pub instrument: Instrument,
    /// The chart's title.
    pub title: String,
    /// What the chart shows: themes, or months of a year.
    pub kind: ChartKind,
    /// One category per theme (`1 Leefbaarheid en bereikbaarheid`) or month (`januari`).
    pub categories: Vec<String>,
    /// The series, each with one value per category.
    pub series: Vec<Series>,
    /// A description of the chart in words, with its figures.
    pub alt_text: String,
}

/// What a chart's categories are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChartKind {
    /// One group per theme: an instrument's table.
    PerTheme,
    /// One group per month: the realisation of a monthly run.
    PerMonth,
}

impl Chart {
    /// What a category is, as the data table's header says: `Thema`, `Maand`.
    pub fn category_header(&self) -> &'static str {
        match self.kind {
            ChartKind::PerTheme => "Thema",
            ChartKind::PerMonth => "Maand",
        }
    }

    /// A name for the chart, unique in the report: `Grafiek Reguliere middelen`,
    /// `Realisatie Reguliere middelen`.
    pub fn name(&self) -> String {
        match self.kind {
            ChartKind::PerTheme => format!("Grafiek {}", self.instrument.name()),
            ChartKind::PerMonth => format!("Realisatie {}", self.instrument.name()),
        }
    }
}

/// One series of bars: a column of the chart's data table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Series {
    /// Legend text (`Budget`, `Uitgegeven`, `Verplicht`).
    pub name: String,
    /// One value per category.
    pub values: Vec<Money>,
    /// Whether the series shows cents: the report tables' rule per column
    /// ([`column_cents`]), so every figure of the data table's column has the same decimals.
    pub cents: bool,
}

impl Series {
    /// A series with its precision settled from its values.
    pub fn new(name: String, values: Vec<Money>) -> Series {
        let cents = column_cents(&values);
        Series {
            name,
            values,
            cents,
        }
    }

    /// The text of the value of category `i` as every format prints it (`€ 400.000`);
    /// `None` past the last value.
    pub fn amount_text(&self, i: usize) -> Option<String> {
        self.values.get(i).map(|v| v.to_dutch_with(self.cents))
    }
}

/// The charts of the report, one per table, in report order; in a monthly run then one
/// realisation chart per instrument.
pub fn report_charts(report: &Report) -> Vec<Chart> {
    let mut charts = vec![
        budget_chart(&report.regulier),
        budget_chart(&report.drenthe_breed),
        alliantie_chart(report),
    ];
    charts.extend(report.realisation.iter().map(realisation_chart));
    charts
}

/// The months as the charts and the realisation sheet name them: the model's Dutch names.
pub(crate) use crate::model::MONTHS;

/// The realisation through the year: per month the spending up to and including that month,
/// beside the year's budget where the table has one.
fn realisation_chart(realisation: &Realisation) -> Chart {
    let year = realisation.year;
    let categories: Vec<String> = MONTHS
        .iter()
        .take(realisation.months.len())
        .map(|m| (*m).to_string())
        .collect();
    let mut series = vec![Series::new(
        format!("Uitgegeven {year} tot en met de maand"),
        realisation.cumulative(),
    )];
    if let Some(budget) = realisation.budget {
        series.push(Series::new(
            format!("Budget {year}"),
            vec![budget; categories.len()],
        ));
    }
    let title = format!(
        "{}: realisatie {year} per maand",
        realisation.instrument.name()
    );
    let mut alt_text = format!(
        "Staafdiagram {title}: per maand wat er in {year} tot en met die maand is uitgegeven"
    );
    if let Some(budget) = series.get(1).and_then(|s| s.amount_text(0)) {
        alt_text.push_str(&format!(", naast het budget {year} van {budget}"));
    }
    alt_text.push('.');
    for (i, month) in categories.iter().enumerate() {
        if let Some(value) = series[0].amount_text(i) {
            alt_text.push_str(&format!(" {month}: {value}."));
        }
    }
    if let Some(share) = realisation.share() {
        alt_text.push_str(&format!(" Dat is {share}% van het budget."));
    }
    Chart {
        instrument: realisation.instrument,
        title,
        kind: ChartKind::PerMonth,
        categories,
        series,
        alt_text,
    }
}

/// One series per group of columns: budget columns summed, spending summed, committed.
fn budget_chart(table: &TableReport) -> Chart {
    type Wanted = fn(&ReportColumnKind) -> bool;
    let groups: [(&str, Wanted); 3] = [
        ("Budget", |k| {
            matches!(
                k,
                ReportColumnKind::Input(ColumnKind::Budget(_) | ColumnKind::TotaalBudget)
            )
        }),
        // a monthly run's spending from the ledger is spending too
        ("Uitgegeven", |k| {
            matches!(
                k,
                ReportColumnKind::Input(ColumnKind::Uitgaven(_))
                    | ReportColumnKind::LedgerSpending(_)
            )
        }),
        ("Verplicht", |k| {
            matches!(k, ReportColumnKind::Input(ColumnKind::Verplicht))
        }),
    ];
    let categories: Vec<String> = table
        .sections
        .iter()
        .filter(|s| !s.lines.is_empty())
        .map(|s| s.heading.clone())
        .collect();
    let mut series = Vec::new();
    for (name, wanted) in groups {
        let cols: Vec<usize> = table
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| wanted(&c.kind))
            .map(|(i, _)| i)
            .collect();
        if cols.is_empty() {
            continue;
        }
        let values = table
            .sections
            .iter()
            .filter(|s| !s.lines.is_empty())
            .map(|s| cols.iter().map(|&i| s.totals[i]).sum())
            .collect();
        let label = match cols.as_slice() {
            [only] => table.columns[*only].label.clone(),
            // several years summed: the years named (`Budget (2022 en 2023)`)
            _ if name != "Verplicht" => format!(
                "{name} ({})",
                enumeration(
                    &cols
                        .iter()
                        .map(|&i| year_of(&table.columns[i].kind))
                        .collect::<Vec<_>>()
                )
            ),
            _ => name.to_string(),
        };
        series.push(Series::new(label, values));
    }
    let title = format!("{}: per thema", table.instrument.name());
    let alt_text = alt_text(&title, &categories, &series);
    Chart {
        instrument: table.instrument,
        title,
        kind: ChartKind::PerTheme,
        categories,
        series,
        alt_text,
    }
}

fn year_of(kind: &ReportColumnKind) -> String {
    match kind {
        ReportColumnKind::Input(ColumnKind::Uitgaven(y) | ColumnKind::Budget(y))
        | ReportColumnKind::LedgerSpending(y) => y.to_string(),
        _ => String::new(),
    }
}

fn alliantie_chart(report: &Report) -> Chart {
    let alliantie = &report.alliantie;
    let categories: Vec<String> = alliantie.themes.iter().map(|t| t.heading.clone()).collect();
    let series = vec![
        Series::new(
            "Budget".to_string(),
            alliantie.themes.iter().map(|t| t.budget).collect(),
        ),
        Series::new(
            "Toegekend".to_string(),
            alliantie.themes.iter().map(|t| t.awarded).collect(),
        ),
    ];
    let title = format!("{}: per thema", Instrument::Alliantieprojecten.name());
    let alt_text = alt_text(&title, &categories, &series);
    Chart {
        instrument: Instrument::Alliantieprojecten,
        title,
        kind: ChartKind::PerTheme,
        categories,
        series,
        alt_text,
    }
}

fn alt_text(title: &str, categories: &[String], series: &[Series]) -> String {
    let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
    let mut text = format!("Staafdiagram {title}, met per thema {}.", names.join(", "));
    for (i, category) in categories.iter().enumerate() {
        let figures: Vec<String> = series
            .iter()
            .filter_map(|s| {
                s.amount_text(i)
                    .map(|v| format!("{} {v}", s.name.to_lowercase()))
            })
            .collect();
        text.push_str(&format!(" {category}: {}.", figures.join(", ")));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_shows_cents_in_every_figure_when_one_has_them() {
        let whole = Series::new(
            "Budget".to_string(),
            vec![Money::from_cents(40_000_000), Money::from_cents(0)],
        );
        assert_eq!(whole.amount_text(1).as_deref(), Some("€ 0"));
        let mixed = Series::new(
            "Uitgegeven".to_string(),
            vec![Money::from_cents(40_000_000), Money::from_cents(72_981_150)],
        );
        assert_eq!(mixed.amount_text(0).as_deref(), Some("€ 400.000,00"));
        assert_eq!(mixed.amount_text(1).as_deref(), Some("€ 729.811,50"));
        assert_eq!(mixed.amount_text(2), None);
    }
}
