//! Charts: a horizontal grouped bar chart per instrument, drawn as vectors (bars, axis,
//! gridlines, tick labels, legend, value labels) and tagged as one Figure with the chart's
//! alt text, followed by its Caption.
//!
//! Scale and ticks are computed in whole euros (integers), so the drawing does not depend on
//! floating-point rounding of amounts.

use krilla::geom::Rect;
use krilla::tagging::{BBox, Tag};
use rust_decimal::prelude::ToPrimitive;

use super::fonts::Style;
use super::layout::{CONTENT_WIDTH, Flow, LEFT, Op, RIGHT, Rgb, Slot, TagNode, baseline, colors};
use crate::model::Money;
use crate::render::Chart;

/// Category label size.
const LABEL_SIZE: f32 = 8.0;
/// Category label line height.
const LABEL_LEADING: f32 = 9.5;
/// Value and tick label size.
const SMALL_SIZE: f32 = 7.0;
/// Height of one bar.
const BAR: f32 = 9.0;
/// Space between the bars of a group.
const BAR_GAP: f32 = 1.5;
/// Space between groups.
const GROUP_GAP: f32 = 9.0;
/// Height of the legend line.
const LEGEND_HEIGHT: f32 = 18.0;
/// Height of each further legend line (a legend too wide for one line wraps).
const LEGEND_LINE: f32 = 13.0;
/// Legend: the swatch and the space after it, before the series name.
const LEGEND_SWATCH: f32 = 12.0;
/// Legend: the space after a series name, before the next swatch.
const LEGEND_SPACE: f32 = 16.0;
/// Height of the tick labels under the plot.
const AXIS_HEIGHT: f32 = 16.0;
/// Height of the caption under the chart.
const CAPTION_HEIGHT: f32 = 16.0;
/// Caption size.
const CAPTION_SIZE: f32 = 8.5;

/// The series colours: different in lightness too, so that they differ in grey print; the
/// legend, the order of the bars and the value labels carry the same information.
const SERIES_COLORS: [Rgb; 4] = [
    Rgb(0x0B, 0x33, 0x5B),
    Rgb(0xE0, 0x8A, 0x1E),
    Rgb(0x8F, 0xB8, 0xDE),
    Rgb(0x5E, 0x8C, 0x31),
];

/// Whole euros, rounded up (bars never need cents).
fn euros(value: Money) -> i64 {
    value.decimal().ceil().to_i64().unwrap_or(0)
}

/// A "nice" tick step (1, 2, 2.5 or 5 times a power of ten) that divides `max` into at most
/// `ticks` steps. Zero for a zero maximum.
pub(super) fn nice_step(max: i64, ticks: i64) -> i64 {
    if max <= 0 || ticks <= 0 {
        return 0;
    }
    let raw = (max + ticks - 1) / ticks;
    let mut magnitude: i64 = 1;
    while magnitude.saturating_mul(10) <= raw {
        magnitude = magnitude.saturating_mul(10);
    }
    for (num, den) in [(1, 1), (2, 1), (5, 2), (5, 1), (10, 1)] {
        let step = magnitude.saturating_mul(num) / den;
        if step >= raw && step * den == magnitude * num {
            return step;
        }
    }
    magnitude.saturating_mul(10)
}

/// The most lines a category label takes; a longer one is clipped with an ellipsis.
const LABEL_MAX_LINES: usize = 3;
/// The usual widest label column; labels wrap within it.
const LABEL_WIDTH: f32 = 150.0;
/// The label column grows up to this width when a label needs more than
/// [`LABEL_MAX_LINES`] lines at [`LABEL_WIDTH`]; only a label too long even then is clipped.
const LABEL_MAX_WIDTH: f32 = 190.0;
/// The step in which the label column grows.
const LABEL_WIDTH_STEP: f32 = 2.0;

/// A category label's lines.
fn label_lines(flow: &Flow, label: &str, width: f32) -> Vec<super::layout::Line> {
    let lines = flow.wrap(&[(Style::Regular, label)], LABEL_SIZE, width);
    flow.clip(lines, LABEL_MAX_LINES, LABEL_SIZE, width)
}

/// The width of the label column: as wide as the widest label up to [`LABEL_WIDTH`], and
/// wider, up to [`LABEL_MAX_WIDTH`], while a label does not fit on [`LABEL_MAX_LINES`]
/// lines (the tables print theme names in full; the chart should too).
fn label_width(flow: &Flow, chart: &Chart) -> f32 {
    let widest = chart
        .categories
        .iter()
        .map(|c| flow.width(Style::Regular, LABEL_SIZE, c))
        .fold(0.0, f32::max);
    let fits = |width: f32| {
        chart
            .categories
            .iter()
            .all(|c| flow.wrap(&[(Style::Regular, c)], LABEL_SIZE, width).len() <= LABEL_MAX_LINES)
    };
    let mut width = widest.min(LABEL_WIDTH);
    while !fits(width) && width + LABEL_WIDTH_STEP <= LABEL_MAX_WIDTH {
        width += LABEL_WIDTH_STEP;
    }
    width
}

/// Where each legend entry (swatch and series name) starts: x and line. The legend starts
/// above the plot at `start`; when it does not fit there it moves left so that it ends at the
/// right edge, and when it is wider than the text area it wraps.
fn legend_layout(flow: &Flow, chart: &Chart, start: f32) -> Vec<(f32, usize)> {
    let widths: Vec<f32> = chart
        .series
        .iter()
        .map(|s| LEGEND_SWATCH + flow.width(Style::Regular, LABEL_SIZE, &s.name))
        .collect();
    let total = widths.iter().sum::<f32>() + LEGEND_SPACE * widths.len().saturating_sub(1) as f32;
    let mut x = start.min(RIGHT - total).max(LEFT);
    let mut line = 0;
    let mut out = Vec::new();
    for (i, width) in widths.iter().enumerate() {
        if i > 0 && x + width > RIGHT {
            x = LEFT;
            line += 1;
        }
        out.push((x, line));
        x += width + LEGEND_SPACE;
    }
    out
}

/// The legend's height.
fn legend_height(legend: &[(f32, usize)]) -> f32 {
    let lines = legend.iter().map(|&(_, line)| line).max().unwrap_or(0);
    LEGEND_HEIGHT + lines as f32 * LEGEND_LINE
}

/// The height the chart takes, caption included.
fn height(flow: &Flow, chart: &Chart, label_width: f32) -> f32 {
    let plot: f32 = chart
        .categories
        .iter()
        .map(|c| {
            group_height(chart).max(label_lines(flow, c, label_width).len() as f32 * LABEL_LEADING)
        })
        .map(|h| h + GROUP_GAP)
        .sum();
    let legend = legend_layout(flow, chart, LEFT + label_width + 8.0);
    legend_height(&legend) + plot + AXIS_HEIGHT + CAPTION_HEIGHT + 4.0
}

fn group_height(chart: &Chart) -> f32 {
    let n = chart.series.len().max(1) as f32;
    n * BAR + (n - 1.0) * BAR_GAP
}

/// The plot's scale: where zero and the axis maximum lie, and the plot's extent.
struct Scale {
    /// The x of zero (the axis).
    x0: f32,
    /// The width from zero to the axis maximum.
    plot_width: f32,
    /// The axis maximum in whole euros (a whole number of steps).
    axis_max: i64,
    /// The tick step in whole euros.
    step: i64,
    /// The top of the plot (under the legend).
    plot_top: f32,
    /// The height of the plot: every group and its gaps.
    plot_height: f32,
}

impl Scale {
    /// The scale of `chart`: the largest value rounded up to a nice step, and the plot
    /// between the label column and the widest value label.
    fn of(flow: &Flow, chart: &Chart, label_width: f32, plot_top: f32) -> Scale {
        let max = chart
            .series
            .iter()
            .flat_map(|s| s.values.iter())
            .map(|v| euros(*v))
            .max()
            .unwrap_or(0)
            .max(0);
        let step = nice_step(max, 5).max(1);
        let axis_max = ((max + step - 1) / step).max(1) * step;
        let widest_value = chart
            .series
            .iter()
            .flat_map(|s| (0..s.values.len()).filter_map(|i| s.amount_text(i)))
            .map(|text| flow.width(Style::Regular, SMALL_SIZE, &text))
            .fold(0.0, f32::max);
        let x0 = LEFT + label_width + 8.0;
        let x1 = RIGHT - widest_value - 6.0;
        let plot_height: f32 = chart
            .categories
            .iter()
            .map(|c| {
                group_height(chart)
                    .max(label_lines(flow, c, label_width).len() as f32 * LABEL_LEADING)
                    + GROUP_GAP
            })
            .sum();
        Scale {
            x0,
            plot_width: (x1 - x0).max(40.0),
            axis_max,
            step,
            plot_top,
            plot_height,
        }
    }

    /// The x of `euros` on the plot (negative values at zero).
    fn x(&self, euros: i64) -> f32 {
        self.x0 + self.plot_width * (euros.max(0) as f32 / self.axis_max as f32)
    }
}

/// Places the chart (kept on one page) and returns its tag nodes: the Figure with the alt
/// text and a bounding box, then the Caption.
pub(super) fn place(flow: &mut Flow, chart: &Chart, number: usize) -> Vec<TagNode> {
    let label_width = label_width(flow, chart);
    let total = height(flow, chart, label_width);
    flow.ensure(total);
    let top = flow.y;
    let figure = flow.slot();
    let caption = flow.slot();
    flow.push(Op::Tagged(figure));
    let legend = legend_layout(flow, chart, LEFT + label_width + 8.0);
    draw_legend(flow, chart, &legend, top);
    let scale = Scale::of(flow, chart, label_width, top + legend_height(&legend));
    draw_ticks(flow, &scale);
    draw_groups(flow, chart, &scale, label_width);
    // the axis
    flow.push(Op::Rect {
        x: scale.x0 - 0.4,
        y: scale.plot_top,
        w: 0.8,
        h: scale.plot_height,
        color: colors::TEXT,
    });
    flow.push(Op::End);

    let bottom = scale.plot_top + scale.plot_height + AXIS_HEIGHT;
    draw_caption(flow, chart, number, caption, bottom);
    flow.y = bottom + CAPTION_HEIGHT + 4.0;

    let bbox =
        Rect::from_xywh(LEFT, top, CONTENT_WIDTH, bottom - top).map(|r| BBox::new(flow.page(), r));
    vec![
        TagNode::group(
            Tag::Figure(Some(chart.alt_text.clone())).with_bbox(bbox),
            vec![TagNode::Slot(figure)],
        ),
        TagNode::group(Tag::Caption, vec![TagNode::Slot(caption)]),
    ]
}

/// Draws the legend (a swatch and the series name per series) as laid out in `legend`.
fn draw_legend(flow: &mut Flow, chart: &Chart, legend: &[(f32, usize)], top: f32) {
    for (i, (series, &(x, line))) in chart.series.iter().zip(legend).enumerate() {
        let color = SERIES_COLORS[i % SERIES_COLORS.len()];
        let legend_baseline =
            baseline(top, LABEL_SIZE, LEGEND_HEIGHT - 6.0) + line as f32 * LEGEND_LINE;
        flow.push(Op::Rect {
            x,
            y: legend_baseline - 7.0,
            w: 9.0,
            h: 9.0,
            color,
        });
        flow.text(
            x + LEGEND_SWATCH,
            legend_baseline,
            Style::Regular,
            LABEL_SIZE,
            colors::TEXT,
            &series.name,
        );
    }
}

/// Draws a gridline per tick across the plot and its label under it.
fn draw_ticks(flow: &mut Flow, scale: &Scale) {
    let mut tick = 0;
    while tick <= scale.axis_max {
        let x = scale.x(tick);
        flow.push(Op::Rect {
            x: x - 0.2,
            y: scale.plot_top,
            w: 0.4,
            h: scale.plot_height,
            color: colors::HAIRLINE,
        });
        let label = Money::from_cents(tick.saturating_mul(100)).to_dutch_with(false);
        let w = flow.width(Style::Regular, SMALL_SIZE, &label);
        let lx = (x - w / 2.0).min(RIGHT - w);
        flow.text(
            lx,
            scale.plot_top + scale.plot_height + 10.0,
            Style::Regular,
            SMALL_SIZE,
            colors::MUTED,
            &label,
        );
        tick += scale.step;
    }
}

/// Draws each category: its label, centred beside its group, and a bar with a value label
/// per series.
fn draw_groups(flow: &mut Flow, chart: &Chart, scale: &Scale, label_width: f32) {
    let mut y = scale.plot_top + GROUP_GAP / 2.0;
    for (c, category) in chart.categories.iter().enumerate() {
        let lines = label_lines(flow, category, label_width);
        let group = group_height(chart).max(lines.len() as f32 * LABEL_LEADING);
        let label_top = y + (group - lines.len() as f32 * LABEL_LEADING) / 2.0;
        for (i, line) in lines.iter().enumerate() {
            flow.draw_line(
                line,
                LEFT,
                baseline(
                    label_top + i as f32 * LABEL_LEADING,
                    LABEL_SIZE,
                    LABEL_LEADING,
                ),
                LABEL_SIZE,
                colors::TEXT,
                false,
            );
        }
        let bars_top = y + (group - group_height(chart)) / 2.0;
        draw_bars(flow, chart, scale, c, bars_top);
        y += group + GROUP_GAP;
    }
}

/// Draws the bars of category `c` from `bars_top` down, each with its value label.
fn draw_bars(flow: &mut Flow, chart: &Chart, scale: &Scale, c: usize, bars_top: f32) {
    for (s, series) in chart.series.iter().enumerate() {
        let Some(value) = series.values.get(c) else {
            continue;
        };
        let bar_top = bars_top + s as f32 * (BAR + BAR_GAP);
        let end = scale.x(euros(*value));
        let color = SERIES_COLORS[s % SERIES_COLORS.len()];
        if end - scale.x0 > 0.05 {
            flow.push(Op::Rect {
                x: scale.x0,
                y: bar_top,
                w: end - scale.x0,
                h: BAR,
                color,
            });
        }
        // the series' precision, as in its data table and in the other formats
        let text = series.amount_text(c).unwrap_or_default();
        let text_color = if value.is_negative() {
            colors::NEGATIVE
        } else {
            colors::TEXT
        };
        flow.text(
            end + 3.0,
            baseline(bar_top, SMALL_SIZE, BAR),
            Style::Regular,
            SMALL_SIZE,
            text_color,
            &text,
        );
    }
}

/// Draws the caption ("Figuur n. title") under the chart, tagged as `slot`.
fn draw_caption(flow: &mut Flow, chart: &Chart, number: usize, slot: Slot, bottom: f32) {
    flow.push(Op::Tagged(slot));
    let text = format!("Figuur {number}. {}", chart.title);
    flow.text(
        LEFT,
        baseline(bottom, CAPTION_SIZE, CAPTION_HEIGHT),
        Style::Italic,
        CAPTION_SIZE,
        colors::MUTED,
        &text,
    );
    flow.push(Op::End);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(3_317_339, 4), 1_000_000);
        assert_eq!(nice_step(1_020_189, 4), 500_000);
        assert_eq!(nice_step(729_811, 4), 200_000);
        assert_eq!(nice_step(900_000, 4), 250_000);
        assert_eq!(nice_step(100, 4), 25);
        assert_eq!(nice_step(1, 4), 1);
        assert_eq!(nice_step(0, 4), 0);
    }
}
