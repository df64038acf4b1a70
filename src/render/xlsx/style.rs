//! Cell formats, number formats and width estimates shared by the sheets.
//!
//! Amounts use Excel's own number codes, so every reader shows them in its locale:
//! `"€ "#,##0.00;[Red]"€ "-#,##0.00`. Negative amounts are red and keep their minus sign, so
//! the colour is never the only sign. A footnote marker is part of the number format
//! (`"€ "#,##0\*`), so the cell stays a number.

use rust_xlsxwriter::utility::cell_autofit_width;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};

use super::XlsxError;
use crate::model::Money;
use crate::render::table::{RowStyle, Rule};

/// Pixels of one line of default (Calibri 11) text; Excel's default row height is 15 points
/// = 20 pixels.
pub(crate) const LINE_HEIGHT_POINTS: f64 = 15.0;

/// What follows the figure in a number format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Suffix<'a> {
    /// Nothing.
    None,
    /// A footnote marker, shown (`*`).
    Marker(&'a str),
    /// Blank space as wide as a marker, so that figures without a marker line up with those
    /// that have one.
    Space(&'a str),
}

/// The number format of an amount: euro sign, thousands separator, two decimals or none,
/// negatives red with their minus sign, then the suffix.
pub(crate) fn money_code(cents: bool, suffix: Suffix<'_>) -> String {
    let digits = if cents { "#,##0.00" } else { "#,##0" };
    let suffix: String = match suffix {
        Suffix::None => String::new(),
        Suffix::Marker(m) => m.chars().map(|c| format!("\\{c}")).collect(),
        Suffix::Space(m) => m.chars().map(|c| format!("_{c}")).collect(),
    };
    format!("\"€ \"{digits}{suffix};[Red]\"€ \"-{digits}{suffix}")
}

/// The value Excel stores for an amount: the nearest binary number to the exact decimal
/// (parsed from its decimal text, never computed in floats).
pub(crate) fn number(amount: Money) -> Result<f64, XlsxError> {
    let text = result_text(amount);
    text.parse::<f64>().map_err(|_| XlsxError::Amount(text))
}

/// The cached result of a formula: the amount as plain decimal text (`1537933.56`, `-5000`).
pub(crate) fn result_text(amount: Money) -> String {
    amount.decimal().normalize().to_string()
}

/// The sheet's title: bold, 14 points.
pub(crate) fn title() -> Format {
    Format::new().set_bold().set_font_size(14)
}

/// A column header: bold with a rule under it; amount headers right-aligned over their
/// figures.
pub(crate) fn header(right: bool) -> Format {
    let format = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin)
        .set_align(FormatAlign::Bottom);
    if right {
        format.set_align(FormatAlign::Right)
    } else {
        format
    }
}

/// A header over several adjacent columns (`Toegekend`), centred across them without
/// merging cells.
pub(crate) fn group_header() -> Format {
    Format::new()
        .set_bold()
        .set_align(FormatAlign::CenterAcross)
        .set_border_bottom(FormatBorder::Thin)
}

/// Plain text that may wrap.
pub(crate) fn wrapped() -> Format {
    Format::new().set_text_wrap().set_align(FormatAlign::Top)
}

/// Bold text.
pub(crate) fn bold() -> Format {
    Format::new().set_bold()
}

/// The fill of a banded row (theme headings): the PDF's band colour.
const BAND_FILL: u32 = 0xF0F3F7;

/// Text format of a bulleted label: a bullet before the text, which stays the cell's value.
const BULLET_TEXT: &str = "\"• \"@";

/// Banded rows (theme headings) sit at the bottom of a taller row, for space above them;
/// all other rows align to the top, for rows with wrapped labels.
fn vertical(style: RowStyle) -> FormatAlign {
    if style.band {
        FormatAlign::Bottom
    } else {
        FormatAlign::Top
    }
}

/// Bold and band, as the row's style says.
fn with_emphasis(mut format: Format, style: RowStyle) -> Format {
    if style.bold {
        format = format.set_bold();
    }
    if style.band {
        format = format.set_background_color(BAND_FILL);
    }
    format
}

/// The rules of a row on its figures: a thin rule above, and for the table total a double
/// rule below too.
fn with_rules(format: Format, rule: Rule) -> Format {
    match rule {
        Rule::None => format,
        Rule::AboveFigures => format.set_border_top(FormatBorder::Thin),
        Rule::TableTotal => format
            .set_border_top(FormatBorder::Thin)
            .set_border_bottom(FormatBorder::Double),
    }
}

/// Rules on the label and code cells: only a rule over the whole row
/// ([`Rule::TableTotal`]) has them.
fn with_label_rules(format: Format, rule: Rule) -> Format {
    if rule == Rule::TableTotal {
        with_rules(format, rule)
    } else {
        format
    }
}

/// The format of the label cell of a row.
pub(crate) fn label(style: RowStyle, wrap: bool) -> Format {
    let mut format = with_emphasis(Format::new().set_align(vertical(style)), style);
    if style.indented {
        format = format.set_indent(1);
    }
    if style.italic {
        format = format.set_italic();
    }
    if style.bullet {
        format = format.set_num_format(BULLET_TEXT);
    }
    if wrap {
        format = format.set_text_wrap();
    }
    with_label_rules(format, style.rule)
}

/// The format of the code cell of a row: centred, with the row's rules.
pub(crate) fn code(style: RowStyle) -> Format {
    let format = Format::new()
        .set_align(FormatAlign::Center)
        .set_align(vertical(style));
    with_label_rules(with_emphasis(format, style), style.rule)
}

/// The format of an amount cell.
pub(crate) fn amount(style: RowStyle, cents: bool, suffix: Suffix<'_>) -> Format {
    let format = Format::new()
        .set_num_format(money_code(cents, suffix))
        .set_align(vertical(style));
    with_rules(with_emphasis(format, style), style.rule)
}

/// An amount outside the tables (charts' data, findings).
pub(crate) fn plain_amount(cents: bool) -> Format {
    Format::new()
        .set_num_format(money_code(cents, Suffix::None))
        .set_align(FormatAlign::Top)
}

/// The width in pixels that Excel's autofit would give one line of `text`, bold text a
/// tenth wider.
pub(crate) fn width_px(text: &str, bold: bool) -> u32 {
    let plain: u32 = text.split(' ').map(word_px).sum::<u32>() + 7;
    if bold { plain + plain / 10 } else { plain }
}

/// Pixels of one word and the space after it.
fn word_px(word: &str) -> u32 {
    // cell_autofit_width adds 7 pixels of padding; a space is 3 pixels
    cell_autofit_width(word).saturating_sub(7) + 3
}

/// How many lines `text` takes when wrapped at `width` pixels (greedy, by words).
pub(crate) fn lines(text: &str, width: u32) -> u32 {
    let usable = width.saturating_sub(7).max(1);
    let mut lines = 1;
    let mut used = 0;
    for word in text.split(' ') {
        let w = word_px(word);
        if used > 0 && used + w > usable {
            lines += 1;
            used = 0;
        }
        used += w;
        // a word longer than the line takes several
        while used > usable {
            lines += 1;
            used -= usable;
        }
    }
    lines
}

/// The row height in points for `lines` lines of default text.
pub(crate) fn height(lines: u32) -> f64 {
    LINE_HEIGHT_POINTS * f64::from(lines.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn money(text: &str) -> Money {
        Money::from_decimal(Decimal::from_str(text).unwrap()).unwrap()
    }

    #[test]
    fn number_formats() {
        assert_eq!(
            money_code(true, Suffix::None),
            r##""€ "#,##0.00;[Red]"€ "-#,##0.00"##
        );
        assert_eq!(
            money_code(false, Suffix::None),
            r##""€ "#,##0;[Red]"€ "-#,##0"##
        );
        assert_eq!(
            money_code(false, Suffix::Marker("*")),
            r##""€ "#,##0\*;[Red]"€ "-#,##0\*"##
        );
        assert_eq!(
            money_code(false, Suffix::Space("*")),
            r##""€ "#,##0_*;[Red]"€ "-#,##0_*"##
        );
    }

    #[test]
    fn values_are_exact_decimals() {
        assert_eq!(result_text(money("1537933.56")), "1537933.56");
        assert_eq!(result_text(money("3317339")), "3317339");
        assert_eq!(result_text(money("-5000")), "-5000");
        assert_eq!(result_text(money("406907.70")), "406907.7");
        assert_eq!(number(money("933812.30")).unwrap(), 933812.3);
    }

    #[test]
    fn wrapping_estimate() {
        assert_eq!(lines("kort", 200), 1);
        let long = "woord ".repeat(100);
        assert!(lines(&long, 200) > 10);
        assert!(width_px("Totaal", true) > width_px("Totaal", false));
    }
}
