//! A chart as the page draws it in SVG: horizontal bars, one group per category, the
//! legend above. Coordinates are computed here with exact decimals (no floats, so every
//! machine writes the same bytes); the page skeleton only places them.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::Money;
use crate::render::chart::Chart;

/// The drawing's width in user units (its `viewBox`); the page scales it to its box.
const WIDTH: i64 = 480;
/// The longest bar: the rest of the width holds the amount after the bar.
const BAR_MAX: i64 = 330;
/// A bar's height.
const BAR_HEIGHT: i64 = 16;
/// The space between the bars of one category.
const BAR_GAP: i64 = 3;
/// The height of a category's label line, above its bars.
const LABEL_HEIGHT: i64 = 22;
/// The space after a category's bars.
const GROUP_GAP: i64 = 14;
/// The height of a legend line.
const LEGEND_LINE: i64 = 22;
/// The space between the amount and the end of its bar.
const VALUE_GAP: i64 = 6;

/// The chart's drawing.
#[derive(Debug, Serialize)]
pub(super) struct Drawing {
    /// The width, in user units.
    breedte: i64,
    /// The height, in user units.
    hoogte: i64,
    /// The legend: one line per series.
    legenda: Vec<LegendLine>,
    /// One group of bars per category.
    groepen: Vec<Group>,
    /// Where the bars start and the axis stands.
    as_x: i64,
    /// The axis's top.
    as_boven: i64,
}

/// A legend line: a swatch in the series' colour and its name.
#[derive(Debug, Serialize)]
struct LegendLine {
    /// The series' name.
    naam: String,
    /// The series' number, for its colour (`serie-0`).
    serie: usize,
    /// The swatch's top.
    y: i64,
    /// The text's baseline.
    tekst_y: i64,
}

/// A category's label and bars.
#[derive(Debug, Serialize)]
struct Group {
    /// The category.
    label: String,
    /// The label's baseline.
    label_y: i64,
    /// One bar per series.
    balken: Vec<Bar>,
}

/// A bar with its amount after it.
#[derive(Debug, Serialize)]
struct Bar {
    /// The series' number, for its colour.
    serie: usize,
    /// The bar's top.
    y: i64,
    /// The bar's length, one decimal.
    breedte: String,
    /// The bar's height.
    hoogte: i64,
    /// The amount, as the data table prints it.
    tekst: String,
    /// Where the amount starts, one decimal.
    tekst_x: String,
    /// The amount's baseline.
    tekst_y: i64,
    /// Whether the amount is below zero.
    negatief: bool,
}

impl Drawing {
    /// Draws `chart`; `cents` says per series whether its amounts show cents.
    pub(super) fn of(chart: &Chart, cents: &[bool]) -> Drawing {
        let largest = chart
            .series
            .iter()
            .flat_map(|s| s.values.iter())
            .map(|v| v.decimal().abs())
            .max()
            .filter(|v| !v.is_zero())
            .unwrap_or(Decimal::ONE);
        let legenda: Vec<LegendLine> = chart
            .series
            .iter()
            .enumerate()
            .map(|(i, series)| {
                let y = i as i64 * LEGEND_LINE;
                LegendLine {
                    naam: series.name.clone(),
                    serie: i,
                    y,
                    tekst_y: y + 13,
                }
            })
            .collect();
        let top = legenda.len() as i64 * LEGEND_LINE + 8;
        let group_height =
            LABEL_HEIGHT + chart.series.len() as i64 * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP;
        let groepen = chart
            .categories
            .iter()
            .enumerate()
            .map(|(c, category)| {
                let group_top = top + c as i64 * group_height;
                let balken = chart
                    .series
                    .iter()
                    .enumerate()
                    .map(|(s, series)| {
                        let value = series.values.get(c).copied().unwrap_or_default();
                        let length = bar_length(value, largest);
                        let y = group_top + LABEL_HEIGHT + s as i64 * (BAR_HEIGHT + BAR_GAP);
                        Bar {
                            serie: s,
                            y,
                            breedte: length.to_string(),
                            hoogte: BAR_HEIGHT,
                            tekst: value.to_dutch_with(cents.get(s).copied().unwrap_or(true)),
                            tekst_x: (length + Decimal::from(VALUE_GAP)).to_string(),
                            tekst_y: y + BAR_HEIGHT - 3,
                            negatief: value.is_negative(),
                        }
                    })
                    .collect();
                Group {
                    label: category.clone(),
                    label_y: group_top + 15,
                    balken,
                }
            })
            .collect::<Vec<_>>();
        let hoogte = top + groepen.len() as i64 * group_height;
        Drawing {
            breedte: WIDTH,
            hoogte,
            legenda,
            groepen,
            as_x: 0,
            as_boven: top + LABEL_HEIGHT - 2,
        }
    }
}

/// A bar's length for `value` when the largest amount is `largest` (above zero): the
/// amount's share of [`BAR_MAX`], to one decimal; a negative amount is drawn by its size.
fn bar_length(value: Money, largest: Decimal) -> Decimal {
    (value.decimal().abs() * Decimal::from(BAR_MAX) / largest)
        .round_dp(1)
        .normalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Instrument, Money};
    use crate::render::chart::{ChartKind, Series};

    fn chart(values: &[i64]) -> Chart {
        Chart {
            instrument: Instrument::ReguliereMiddelen,
            title: "t".into(),
            kind: ChartKind::PerTheme,
            categories: values.iter().map(|v| format!("c{v}")).collect(),
            series: vec![Series::new(
                "Budget".into(),
                values.iter().map(|&v| Money::from_cents(v)).collect(),
            )],
            alt_text: String::new(),
        }
    }

    #[test]
    fn the_largest_amount_fills_the_bar_width_and_the_others_their_share() {
        let drawing = Drawing::of(&chart(&[40_000, 10_000, 0, -20_000]), &[false]);
        let lengths: Vec<&str> = drawing
            .groepen
            .iter()
            .map(|g| g.balken[0].breedte.as_str())
            .collect();
        assert_eq!(lengths, ["330", "82.5", "0", "165"]);
        assert!(drawing.groepen[3].balken[0].negatief);
        assert_eq!(drawing.groepen[3].balken[0].tekst, "€ -200");
        assert_eq!(drawing.groepen[1].balken[0].tekst_x, "88.5");
    }

    #[test]
    fn a_chart_of_zeros_draws_empty_bars_below_its_legend() {
        let drawing = Drawing::of(&chart(&[0, 0]), &[false]);
        assert!(drawing.groepen.iter().all(|g| g.balken[0].breedte == "0"));
        assert_eq!(drawing.legenda.len(), 1);
        assert!(drawing.groepen[0].label_y > drawing.legenda[0].tekst_y);
        assert_eq!(
            drawing.hoogte,
            drawing.groepen[1].balken[0].y + BAR_HEIGHT + BAR_GAP + GROUP_GAP
        );
    }
}
