//! Chart data: per instrument, per theme, budget against spending and commitments.
//!
//! Format-neutral, like the tables: the PDF draws it as vectors, the XLSX as a native chart.
//! The alt text states the same figures in words.

use serde::Serialize;

use crate::compute::{Report, ReportColumnKind, TableReport};
use crate::model::{ColumnKind, Instrument, Money};

/// A grouped bar chart: one group per theme, one bar per series.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Chart {
    /// Which instrument.
    pub instrument: Instrument,
    /// The chart's title.
    pub title: String,
    /// One category per theme (`1 Leefbaarheid en bereikbaarheid`).
    pub categories: Vec<String>,
    /// The series, each with one value per category.
    pub series: Vec<Series>,
    /// A description of the chart in words, with its figures.
    pub alt_text: String,
}

/// One series of bars.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Series {
    /// Legend text (`Budget`, `Uitgegeven`, `Verplicht`).
    pub name: String,
    /// One value per category.
    pub values: Vec<Money>,
}

/// The charts of the report, one per table, in report order.
pub fn charts(report: &Report) -> Vec<Chart> {
    vec![
        budget_chart(&report.regulier),
        budget_chart(&report.drenthe_breed),
        alliance_chart(report),
    ]
}

/// One series per group of columns: budget columns summed, spending summed, committed.
fn budget_chart(table: &TableReport) -> Chart {
    type Wanted = fn(&ColumnKind) -> bool;
    let groups: [(&str, Wanted); 3] = [
        ("Budget", |k| {
            matches!(k, ColumnKind::Budget(_) | ColumnKind::TotaalBudget)
        }),
        ("Uitgegeven", |k| matches!(k, ColumnKind::Uitgaven(_))),
        ("Verplicht", |k| matches!(k, ColumnKind::Verplicht)),
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
            .filter(|(_, c)| matches!(&c.kind, ReportColumnKind::Input(k) if wanted(k)))
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
        let label = if cols.len() == 1 {
            table.columns[cols[0]].label.clone()
        } else {
            name.to_string()
        };
        let label = if name == "Budget" && cols.len() > 1 {
            format!(
                "Budget ({})",
                cols.iter()
                    .map(|&i| year_of(&table.columns[i].kind))
                    .collect::<Vec<_>>()
                    .join(" en ")
            )
        } else if name == "Uitgegeven" && cols.len() > 1 {
            format!(
                "Uitgegeven ({})",
                cols.iter()
                    .map(|&i| year_of(&table.columns[i].kind))
                    .collect::<Vec<_>>()
                    .join(" en ")
            )
        } else {
            label
        };
        series.push(Series {
            name: label,
            values,
        });
    }
    let title = format!("{}: per thema", table.instrument.name());
    let alt_text = alt_text(&title, &categories, &series);
    Chart {
        instrument: table.instrument,
        title,
        categories,
        series,
        alt_text,
    }
}

fn year_of(kind: &ReportColumnKind) -> String {
    match kind {
        ReportColumnKind::Input(ColumnKind::Uitgaven(y) | ColumnKind::Budget(y)) => y.to_string(),
        _ => String::new(),
    }
}

fn alliance_chart(report: &Report) -> Chart {
    let alliance = &report.alliantie;
    let categories: Vec<String> = alliance.themes.iter().map(|t| t.heading.clone()).collect();
    let series = vec![
        Series {
            name: "Budget".to_string(),
            values: alliance.themes.iter().map(|t| t.budget).collect(),
        },
        Series {
            name: "Toegekend".to_string(),
            values: alliance.themes.iter().map(|t| t.awarded).collect(),
        },
    ];
    let title = format!("{}: per thema", Instrument::Alliantieprojecten.name());
    let alt_text = alt_text(&title, &categories, &series);
    Chart {
        instrument: Instrument::Alliantieprojecten,
        title,
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
                s.values
                    .get(i)
                    .map(|v| format!("{} {}", s.name.to_lowercase(), v.to_dutch_with(false)))
            })
            .collect();
        text.push_str(&format!(" {category}: {}.", figures.join(", ")));
    }
    text
}
