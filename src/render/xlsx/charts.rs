//! The `Grafieken` sheet: per table, the chart's figures as a small visible table and under
//! it a native Excel bar chart drawn from those cells; one table and chart per printed page.
//!
//! The bars of a series differ in fill pattern as well as in colour, the legend names them,
//! and each chart carries the appendix's alt text, so no information is in colour alone.

use rust_xlsxwriter::{
    Chart as XlsxChart, ChartAxisCrossing, ChartAxisLabelPosition, ChartFormat,
    ChartLegendPosition, ChartLine, ChartPatternFill, ChartPatternFillType, ChartSolidFill,
    Workbook, Worksheet,
};

use super::formula::absolute_range;
use super::style;
use super::tables::{A4, FOOTER};
use super::{HeaderName, XlsxError, column_number, defined_name, row_number};
use crate::render::Chart;

/// The sheet's name.
pub(crate) const SHEET: &str = "Grafieken";
/// The chart's least width in pixels; it is as wide as its data table when that is wider.
const CHART_MIN_WIDTH: u32 = 760;
/// The chart's height in pixels.
const CHART_HEIGHT: u32 = 380;
/// Rows a chart covers at the default row height of 20 pixels.
const CHART_ROWS: usize = 19;
/// Rows between two blocks.
const GAP_ROWS: usize = 2;
/// The printable width of an A4 landscape page at 100 %, in pixels (96 per inch), with
/// Excel's default margins (0,7 inch left and right), rounded down for safety.
const PAGE_WIDTH_PX: u32 = 960;
/// The printable height of an A4 landscape page at 100 %, in pixels, with Excel's default
/// margins (0,75 inch top and bottom), rounded down for the footer.
const PAGE_HEIGHT_PX: u32 = 620;
/// How much wider than in Calibri a block may print where Calibri is missing and the
/// reader substitutes a wider font (LibreOffice without Carlito takes DejaVu Sans, whose
/// digits are about a quarter wider), in percent: the scale leaves room for it.
const FONT_SLACK_PERCENT: u32 = 130;
/// A row's height in pixels at Excel's default 15 points.
const ROW_PX: u32 = 20;
/// The least width of a series column.
const MIN_SERIES_PX: u32 = 110;
/// Padding right of a figure.
const FIGURE_PADDING_PX: u32 = 8;

/// The colours of the series, dark enough for white patterns on them.
const COLOURS: [u32; 4] = [0x1F4E79, 0xC55A11, 0x548235, 0x7030A0];
/// The fill of each series after the first: a pattern, so bars differ in more than colour.
const PATTERNS: [ChartPatternFillType; 3] = [
    ChartPatternFillType::DiagonalStripesDarkUpwards,
    ChartPatternFillType::HorizontalStripesDark,
    ChartPatternFillType::SmallConfetti,
];

/// Column widths of the sheet: the category column and one width for all series columns.
struct Widths {
    category: u32,
    series: u32,
    most_series: usize,
}

impl Widths {
    fn of(charts: &[Chart]) -> Widths {
        let category = charts
            .iter()
            .flat_map(|c| c.categories.iter())
            .map(|c| style::width_px(c, false))
            .chain(
                charts
                    .iter()
                    .map(|c| style::width_px(c.category_header(), true)),
            )
            .max()
            .unwrap_or(100);
        // series names wrap at spaces: the longest word must fit
        let names = charts
            .iter()
            .flat_map(|c| c.series.iter())
            .flat_map(|s| s.name.split(' ').map(|word| style::width_px(word, true)));
        let figures = charts.iter().flat_map(|c| {
            c.series.iter().flat_map(|s| {
                (0..s.values.len())
                    .filter_map(|i| s.amount_text(i))
                    .map(|text| style::width_px(&text, false))
            })
        });
        let series =
            names.chain(figures).max().unwrap_or(80).max(MIN_SERIES_PX) + FIGURE_PADDING_PX;
        let most_series = charts.iter().map(|c| c.series.len()).max().unwrap_or(0);
        Widths {
            category,
            series,
            most_series,
        }
    }

    /// The width of the data table, and of the chart under it.
    fn table(&self) -> u32 {
        self.category + self.series * u32::try_from(self.most_series).unwrap_or(u32::MAX / 2)
    }

    /// Widens the category column so that the data table is at least as wide as a chart.
    fn widen_to_chart(&mut self) {
        let table = self.table();
        if table < CHART_MIN_WIDTH {
            self.category += CHART_MIN_WIDTH - table;
        }
    }
}

/// Writes the sheet and returns the names of the data tables' header rows.
///
/// # Errors
/// A chart larger than a sheet, or a value rust_xlsxwriter refuses.
pub(crate) fn write(
    workbook: &mut Workbook,
    charts: &[Chart],
) -> Result<Vec<HeaderName>, XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET)?;
    let mut widths = Widths::of(charts);
    widths.widen_to_chart();
    let mut headers = Vec::new();
    let mut breaks = Vec::new();
    let mut top = 0usize;
    let mut tallest = 0;
    for chart in charts {
        let title_row = row_number(SHEET, top)?;
        if top > 0 {
            breaks.push(title_row);
        }
        headers.push(write_block(sheet, chart, top, &widths)?);
        top += 3 + chart.categories.len() + CHART_ROWS + GAP_ROWS;
        tallest = tallest.max(block_height(chart, &widths));
    }
    sheet.set_column_width_pixels(0, widths.category)?;
    for s in 0..widths.most_series {
        sheet.set_column_width_pixels(column_number(SHEET, 1 + s)?, widths.series)?;
    }
    sheet.set_landscape();
    sheet.set_paper_size(A4);
    sheet.set_footer(FOOTER);
    // one block a page: a break before each, and the sheet scaled so that the widest and
    // the tallest block fit a page (fitting to pages instead would drop the breaks)
    sheet.set_page_breaks(&breaks)?;
    sheet.set_print_scale(print_scale(widths.table(), tallest));
    Ok(headers)
}

/// The height in pixels of a chart's block: title, header, a row per category, a blank
/// row, and the chart.
fn block_height(chart: &Chart, widths: &Widths) -> u32 {
    let rows = u32::try_from(3 + chart.categories.len()).unwrap_or(u32::MAX / ROW_PX);
    rows * ROW_PX + (header_lines(chart, widths) - 1) * ROW_PX + CHART_HEIGHT
}

/// The lines of a block's header row: the longest wrapped series name.
fn header_lines(chart: &Chart, widths: &Widths) -> u32 {
    chart
        .series
        .iter()
        .map(|s| style::lines(&s.name, widths.series))
        .max()
        .unwrap_or(1)
        .max(1)
}

/// The print scale in percent at which a block `width` by `height` pixels fits an A4
/// landscape page: 100 when it fits, else smaller (Excel's least is 10).
fn print_scale(width: u32, height: u32) -> u16 {
    let fit = |page: u32, size: u32| (page * 100).checked_div(size).unwrap_or(100);
    let width = width.saturating_mul(FONT_SLACK_PERCENT) / 100;
    let scale = fit(PAGE_WIDTH_PX, width)
        .min(fit(PAGE_HEIGHT_PX, height))
        .clamp(10, 100);
    u16::try_from(scale).unwrap_or(100)
}

/// One block from row `top`: title, header, one row per category, and the chart under it.
fn write_block(
    sheet: &mut Worksheet,
    chart: &Chart,
    top: usize,
    widths: &Widths,
) -> Result<HeaderName, XlsxError> {
    let title_row = row_number(SHEET, top)?;
    let header_row = row_number(SHEET, top + 1)?;
    let first = row_number(SHEET, top + 2)?;
    let last = row_number(SHEET, top + 1 + chart.categories.len().max(1))?;
    sheet.write_string_with_format(title_row, 0, &chart.title, &style::bold().set_font_size(12))?;
    sheet.write_string_with_format(
        header_row,
        0,
        chart.category_header(),
        &style::header(false),
    )?;
    for (r, category) in chart.categories.iter().enumerate() {
        sheet.write_string(row_number(SHEET, top + 2 + r)?, 0, category)?;
    }
    let series_header = style::header(true).set_text_wrap();
    sheet.set_row_height(header_row, style::height(header_lines(chart, widths)))?;
    let mut xlsx_chart = XlsxChart::new_bar();
    for (s, series) in chart.series.iter().enumerate() {
        let col = column_number(SHEET, 1 + s)?;
        sheet.write_string_with_format(header_row, col, &series.name, &series_header)?;
        let format = style::plain_amount(series.cents);
        for (r, value) in series.values.iter().enumerate() {
            sheet.write_number_with_format(
                row_number(SHEET, top + 2 + r)?,
                col,
                style::number(*value)?,
                &format,
            )?;
        }
        xlsx_chart
            .add_series()
            .set_name((SHEET, header_row, col))
            .set_categories((SHEET, first, 0, last, 0))
            .set_values((SHEET, first, col, last, col))
            .set_format(&mut series_format(s));
    }
    xlsx_chart.title().set_name(&chart.title);
    xlsx_chart.set_alt_text(alt_text(&chart.alt_text, &see_table(chart)));
    xlsx_chart.set_name(&chart.title);
    // in a bar chart the y axis holds the categories: themes top to bottom, with the value
    // axis (x) crossing at the last category, so that it stays at the bottom
    xlsx_chart
        .y_axis()
        .set_reverse()
        .set_crossing(ChartAxisCrossing::Max)
        .set_label_position(ChartAxisLabelPosition::Low);
    xlsx_chart
        .x_axis()
        .set_num_format(style::money_code(false, style::Suffix::None));
    xlsx_chart
        .legend()
        .set_position(ChartLegendPosition::Bottom);
    xlsx_chart
        .set_width(widths.table())
        .set_height(CHART_HEIGHT);
    let chart_row = row_number(SHEET, top + 3 + chart.categories.len())?;
    sheet.insert_chart(chart_row, 0, &xlsx_chart)?;

    let last_col = column_number(SHEET, chart.series.len())?;
    Ok(HeaderName {
        name: defined_name(&chart.name(), "_kop"),
        range: absolute_range(SHEET, (header_row, 0), (header_row, last_col)),
    })
}

/// Excel's limit on alt text, in UTF-16 code units.
const MAX_ALT_TEXT: usize = 255;
/// Said instead of the figures when the whole alt text is too long for Excel (for the
/// charts per theme).
#[cfg(test)]
const SEE_TABLE: &str = "De bedragen per thema staan in de tabel boven de grafiek.";

/// Said instead of the figures when the whole alt text is too long for Excel: `De bedragen
/// per thema staan in de tabel boven de grafiek.`
fn see_table(chart: &Chart) -> String {
    format!(
        "De bedragen per {} staan in de tabel boven de grafiek.",
        chart.category_header().to_lowercase()
    )
}

/// The chart's alt text within Excel's 255 characters: the whole text when it fits, else
/// its first sentence and a pointer to the data table above the chart (which holds every
/// figure of the alt text).
fn alt_text(full: &str, see_table: &str) -> String {
    let fits = |text: &str| text.encode_utf16().count() <= MAX_ALT_TEXT;
    if fits(full) {
        return full.to_string();
    }
    let first = full.split_inclusive(". ").next().unwrap_or(full).trim_end();
    let short = format!("{first} {see_table}");
    if fits(&short) {
        return short;
    }
    // a first sentence that alone is too long: cut it at a character boundary
    let room = MAX_ALT_TEXT - see_table.encode_utf16().count() - 2;
    let mut cut = String::new();
    for c in first.chars() {
        if cut.encode_utf16().count() + c.len_utf16() > room {
            break;
        }
        cut.push(c);
    }
    format!("{cut}… {see_table}")
}

/// Series 0 solid; the others a pattern in their colour on white; all with a dark outline.
fn series_format(s: usize) -> ChartFormat {
    let colour = COLOURS[s % COLOURS.len()];
    let mut format = ChartFormat::new();
    format.set_border(ChartLine::new().set_color(0x262626).set_width(0.75));
    if s == 0 {
        format.set_solid_fill(ChartSolidFill::new().set_color(colour));
    } else {
        format.set_pattern_fill(
            ChartPatternFill::new()
                .set_pattern(PATTERNS[(s - 1) % PATTERNS.len()])
                .set_foreground_color(colour)
                .set_background_color(0xFFFFFF),
        );
    }
    format
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_wider_or_taller_than_a_page_is_scaled_to_fit() {
        assert_eq!(print_scale(700, 500), 100);
        // the width with room for a wider substitute font
        assert_eq!(print_scale(800, 500), 92);
        assert_eq!(print_scale(1920, 500), 38);
        assert_eq!(print_scale(700, 1240), 50);
        assert_eq!(print_scale(100_000, 500), 10);
    }

    #[test]
    fn short_alt_text_stays_whole() {
        assert_eq!(
            alt_text("Staafdiagram. Algemeen: budget € 10.", SEE_TABLE),
            "Staafdiagram. Algemeen: budget € 10."
        );
    }

    #[test]
    fn long_alt_text_keeps_its_first_sentence_and_points_at_the_table() {
        let full = format!(
            "Staafdiagram Reguliere middelen: per thema, met per thema Budget. {}",
            "Thema: budget € 1.000. ".repeat(20)
        );
        let short = alt_text(&full, SEE_TABLE);
        assert_eq!(
            short,
            format!(
                "Staafdiagram Reguliere middelen: per thema, met per thema Budget. {SEE_TABLE}"
            )
        );
        let endless = "a".repeat(400);
        let short = alt_text(&endless, SEE_TABLE);
        assert!(
            short.encode_utf16().count() <= MAX_ALT_TEXT,
            "{}",
            short.len()
        );
        assert!(short.ends_with(SEE_TABLE));
    }
}
