//! Amounts at the edge: spreadsheet numbers and Dutch amount text to exact [`Money`].
//!
//! A number from a spreadsheet is a binary float. It is turned into an exact decimal through
//! its shortest representation (Rust's `Display` for `f64` gives the shortest string that
//! reads back to the same float), then to cents. A remainder beyond the float's own noise
//! (`12.345`) is an error, never rounded away. Text is read in Dutch notation: optional `€`,
//! `.` for thousands, `,` for decimals, a leading `-` for a negative, `-` alone for zero, and
//! a trailing `*` for a footnote reference. Text that reads as an amount in English notation
//! too (`1234.56`, `12,750`) is refused, never guessed.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::model::Money;

/// The largest amount accepted from one cell: a hundred billion euros, a hundred times the
/// province's whole budget. Larger is a typing error, and near it a float's noise reaches
/// towards a tenth of a cent.
pub const MAX_CELL_AMOUNT: i64 = 100_000_000_000;

/// Why a cell is not an amount. The messages are Dutch and say what was expected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Text that is not an amount in Dutch notation.
    #[error("‘{0}’ is geen bedrag; verwacht een getal of een bedrag als € 1.234,56")]
    NotAnAmount(String),
    /// One comma followed by exactly three digits and no other separator (`12,750`): Dutch
    /// twelve euros seventy-five, or English twelve thousand seven hundred and fifty.
    #[error(
        "‘{0}’ is dubbelzinnig: de komma kan decimalen of duizendtallen scheiden; typ ‘{1}.{2}’ voor duizendtallen, of het bedrag met twee decimalen (of typ een getal in plaats van tekst)"
    )]
    Ambiguous(String, String, String),
    /// More than two decimals that are not zero.
    #[error("{0} heeft een fractie van een cent; een bedrag heeft hoogstens twee decimalen")]
    FractionOfACent(String),
    /// Larger than [`MAX_CELL_AMOUNT`].
    #[error("{0} is onwaarschijnlijk groot voor één bedrag (meer dan € 100.000.000.000)")]
    TooLarge(String),
}

/// An amount read from text, with its footnote marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedAmount {
    /// The value.
    pub value: Money,
    /// The text ended in `*` (a footnote reference).
    pub footnote_marker: bool,
}

/// Converts a spreadsheet number to money, once, at the edge.
///
/// # Errors
/// A fraction of a cent beyond float noise, a value beyond [`MAX_CELL_AMOUNT`], or a value
/// that is not finite.
pub fn from_float(value: f64) -> Result<Money, AmountError> {
    let shortest = format!("{value}");
    if !value.is_finite() {
        return Err(AmountError::NotAnAmount(shortest));
    }
    let decimal =
        Decimal::from_str(&shortest).map_err(|_| AmountError::TooLarge(shortest.clone()))?;
    if decimal.abs() > Decimal::from(MAX_CELL_AMOUNT) {
        return Err(AmountError::TooLarge(shortest));
    }
    let cents = decimal.round_dp(2);
    if cents == decimal {
        // whole cents already (nearly every amount): no noise to allow for
        return Money::from_decimal(cents).ok_or(AmountError::FractionOfACent(shortest));
    }
    // The float's own noise: a spreadsheet sum like 0.1 + 0.2 stores 0.30000000000000004.
    // Allow 32 units in the last place (a sum of a few dozen cells) of the float, never a visible fraction.
    let noise = Decimal::from_str(&format!("{}", value.abs() * f64::EPSILON * 32.0))
        .unwrap_or(Decimal::ZERO)
        .max(Decimal::new(1, 9));
    if (decimal - cents).abs() > noise {
        return Err(AmountError::FractionOfACent(dutch_number(&shortest)));
    }
    Money::from_decimal(cents).ok_or(AmountError::FractionOfACent(shortest))
}

/// Converts a spreadsheet integer to money.
///
/// # Errors
/// A value beyond [`MAX_CELL_AMOUNT`].
pub fn from_int(value: i64) -> Result<Money, AmountError> {
    if value.unsigned_abs() > MAX_CELL_AMOUNT.unsigned_abs() {
        return Err(AmountError::TooLarge(value.to_string()));
    }
    Ok(Money::from_cents(value * 100))
}

/// Converts a number as an xlsx file writes it (the text of a `<v>`: `1234.5`, `-0.1`,
/// `1.2345E+3`) to money, exactly, without a float: the sum of a million bookings is the sum
/// of what the file says. A text with more than 15 significant digits is what a float
/// printed in full (`0.30000000000000004`, from tools that write 17 digits): it is read as
/// that float and through its shortest representation, like [`from_float`].
///
/// # Errors
/// Not a number ([`AmountError::NotAnAmount`]), a fraction of a cent
/// ([`AmountError::FractionOfACent`]) or beyond [`MAX_CELL_AMOUNT`].
pub fn from_number_text(text: &str) -> Result<Money, AmountError> {
    cents_from_number_text(text).map(Money::from_cents)
}

/// [`from_number_text`] as whole cents, for sums kept in integers.
///
/// # Errors
/// As [`from_number_text`].
pub fn cents_from_number_text(text: &str) -> Result<i64, AmountError> {
    let number = NumberText::parse(text.trim())
        .ok_or_else(|| AmountError::NotAnAmount(text.trim().to_string()))?;
    if number.significant > 15 {
        let value: f64 = text
            .trim()
            .parse()
            .map_err(|_| AmountError::NotAnAmount(text.trim().to_string()))?;
        return from_float(value).and_then(|money| {
            let cents = money.decimal() * Decimal::ONE_HUNDRED;
            i64::try_from(cents).map_err(|_| AmountError::TooLarge(text.trim().to_string()))
        });
    }
    // for messages: the number as its shortest float, in Dutch notation
    let shown = || {
        let trimmed = text.trim();
        dutch_number(
            &trimmed
                .parse::<f64>()
                .map_or_else(|_| trimmed.to_string(), |v| format!("{v}")),
        )
    };
    let too_large = || AmountError::TooLarge(shown());
    if number.mantissa == 0 {
        return Ok(0);
    }
    let shift = number
        .exponent
        .saturating_sub(number.scale)
        .saturating_add(2);
    let cents = if shift >= 0 {
        u32::try_from(shift)
            .ok()
            .and_then(|s| 10u64.checked_pow(s))
            .and_then(|p| number.mantissa.checked_mul(p))
            .ok_or_else(too_large)?
    } else {
        match u32::try_from(-shift)
            .ok()
            .and_then(|s| 10u64.checked_pow(s))
        {
            Some(d) if number.mantissa % d == 0 => number.mantissa / d,
            _ => return Err(AmountError::FractionOfACent(shown())),
        }
    };
    if cents > MAX_CELL_AMOUNT.unsigned_abs() * 100 {
        return Err(too_large());
    }
    let cents = i64::try_from(cents).map_err(|_| too_large())?;
    Ok(if number.negative { -cents } else { cents })
}

/// The parts of a number text: `-12.50E+3` is mantissa 1250, scale 2, exponent 3.
struct NumberText {
    negative: bool,
    /// The digits as one integer (at most 15 significant ones are kept exactly).
    mantissa: u64,
    /// Digits after the decimal point.
    scale: i32,
    /// The power of ten after `E`.
    exponent: i32,
    /// Significant digits (leading zeros not counted).
    significant: u32,
}

impl NumberText {
    fn parse(text: &str) -> Option<NumberText> {
        let bytes = text.as_bytes();
        let (negative, mut i) = match bytes.first()? {
            b'-' => (true, 1),
            b'+' => (false, 1),
            _ => (false, 0),
        };
        let mut n = NumberText {
            negative,
            mantissa: 0,
            scale: 0,
            exponent: 0,
            significant: 0,
        };
        let mut digits = 0u64;
        let mut point = false;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'0'..=b'9' => {
                    digits += 1;
                    if n.significant > 0 || b != b'0' {
                        n.significant = n.significant.saturating_add(1);
                    }
                    if n.significant <= 19 {
                        n.mantissa = n.mantissa.wrapping_mul(10) + u64::from(b - b'0');
                    }
                    if point {
                        n.scale = n.scale.saturating_add(1);
                    }
                }
                b'.' if !point => point = true,
                _ => break,
            }
            i += 1;
        }
        if digits == 0 {
            return None;
        }
        if let Some(b'e' | b'E') = bytes.get(i) {
            let exponent: i64 = text.get(i + 1..)?.parse().ok()?;
            n.exponent = i32::try_from(exponent.clamp(-10_000, 10_000)).ok()?;
            i = bytes.len();
        }
        (i == bytes.len()).then_some(n)
    }
}

/// Shows a float's shortest text in Dutch notation, for messages: `262805.125` ->
/// `262.805,125`.
fn dutch_number(shortest: &str) -> String {
    let (sign, digits) = match shortest.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", shortest),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut out = String::from(sign);
    Money::push_grouped(&mut out, whole.as_bytes());
    if !fraction.is_empty() {
        out.push(',');
        out.push_str(fraction);
    }
    out
}

/// Reads an amount typed as text in Dutch notation.
///
/// Accepts `€ 1.234,56`, `1234,56`, `10.400` (ten thousand four hundred), `-5.000`,
/// `€ -5.000`, `- € 5.000`, `€ 1.234,-`, `EUR 12`, `150.000*` (footnote marker), and `-`, `–`
/// or nothing for zero. Spaces may be ordinary or non-breaking.
///
/// # Errors
/// One comma followed by exactly three digits and no other separator (`12,750`, `€ -12,750*`):
/// [`AmountError::Ambiguous`], as `1234.56` is. Any other text: [`AmountError::NotAnAmount`],
/// with the text as found.
pub fn parse_text(text: &str) -> Result<ParsedAmount, AmountError> {
    let (rest, footnote_marker) = strip_marker(text);
    // the accounting zero keeps its euro sign: `€ -`, `€-`, `€ –`
    let dash = |t: &str| matches!(t, "-" | "–" | "—" | "−");
    let without_euro = rest
        .strip_prefix('€')
        .map(|r| r.trim_start_matches(is_space));
    if rest.is_empty() || dash(rest) || without_euro.is_some_and(dash) {
        return Ok(ParsedAmount {
            value: Money::ZERO,
            footnote_marker,
        });
    }
    let (negative, body) = sign_and_currency(rest);
    let body = body.trim_matches(is_space);
    // whole euros written as 1.234,- or 1.234,--
    let body = body
        .strip_suffix(",--")
        .or_else(|| body.strip_suffix(",-"))
        .or_else(|| body.strip_suffix(",—"))
        .unwrap_or(body);
    let (whole, fraction) = match body.split_once(',') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    refuse_ambiguous(text, whole, fraction)?;
    let value = dutch_value(text, whole, fraction)?;
    Ok(ParsedAmount {
        value: if negative { -value } else { value },
        footnote_marker,
    })
}

/// Whether a character separates like a space: ordinary, non-breaking or narrow
/// non-breaking.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}'
}

/// The text without surrounding space, trailing footnote markers (`*`) and a trailing euro
/// sign (`110.000 €`); and whether it had a marker.
fn strip_marker(text: &str) -> (&str, bool) {
    let mut rest = text.trim_matches(is_space);
    let mut footnote_marker = false;
    while let Some(stripped) = rest.strip_suffix('*') {
        footnote_marker = true;
        rest = stripped.trim_end_matches(is_space);
    }
    // the euro sign may also follow the amount: `110.000 €`
    if let Some(stripped) = rest.strip_suffix('€')
        && !stripped.trim_matches(is_space).is_empty()
    {
        rest = stripped.trim_end_matches(is_space);
    }
    (rest, footnote_marker)
}

/// The sign and the currency before the digits, in either order (`€ -5.000`, `- € 5.000`):
/// whether the amount is negative, and the rest.
fn sign_and_currency(rest: &str) -> (bool, String) {
    let mut negative = false;
    let mut take_sign = |s: &str| -> String {
        let t = s.trim_start_matches(is_space);
        match t.chars().next() {
            Some('-' | '−' | '–') if !negative => {
                negative = true;
                t.chars().skip(1).collect()
            }
            _ => t.to_string(),
        }
    };
    let mut body = take_sign(rest);
    for currency in ["€", "EUR", "eur", "Eur"] {
        if let Some(stripped) = body.trim_start_matches(is_space).strip_prefix(currency) {
            body = stripped.to_string();
            break;
        }
    }
    let body = take_sign(&body);
    (negative, body)
}

/// `12,750`: a decimal comma, or a thousands separator as in English? Like `1234.56`, it
/// is refused rather than guessed. `0,500`, `1234,567` and `1.234,567` cannot be
/// thousands, so they are read in Dutch notation.
fn refuse_ambiguous(text: &str, whole: &str, fraction: Option<&str>) -> Result<(), AmountError> {
    if let Some(fraction) = fraction
        && fraction.len() == 3
        && fraction.chars().all(|c| c.is_ascii_digit())
        && (1..=3).contains(&whole.len())
        && whole.chars().all(|c| c.is_ascii_digit())
        && !whole.starts_with('0')
    {
        return Err(AmountError::Ambiguous(
            text.trim().to_string(),
            whole.to_string(),
            fraction.to_string(),
        ));
    }
    Ok(())
}

/// The value of whole euros (thousands grouped by `.` or a space, in threes) and an
/// optional fraction (at most two decimals that are not zero).
fn dutch_value(text: &str, whole: &str, fraction: Option<&str>) -> Result<Money, AmountError> {
    let not_an_amount = || AmountError::NotAnAmount(text.trim().to_string());
    // a space may group thousands too (`110 000`), checked like a dot
    let spaced: String;
    let whole = if whole.contains(is_space) && !whole.contains('.') {
        spaced = whole
            .split(is_space)
            .filter(|g| !g.is_empty())
            .collect::<Vec<_>>()
            .join(".");
        spaced.as_str()
    } else {
        whole
    };
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(not_an_amount());
    }
    if whole.contains('.') {
        let mut groups = whole.split('.');
        let first = groups.next().unwrap_or("");
        if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
            return Err(not_an_amount());
        }
    }
    let mut digits: String = whole.chars().filter(char::is_ascii_digit).collect();
    if let Some(fraction) = fraction {
        if fraction.is_empty() || !fraction.chars().all(|c| c.is_ascii_digit()) {
            return Err(not_an_amount());
        }
        if fraction.len() > 2 && fraction[2..].chars().any(|c| c != '0') {
            return Err(AmountError::FractionOfACent(text.trim().to_string()));
        }
        digits.push('.');
        digits.push_str(&fraction[..fraction.len().min(2)]);
    }
    let decimal =
        Decimal::from_str(&digits).map_err(|_| AmountError::TooLarge(text.trim().to_string()))?;
    if decimal > Decimal::from(MAX_CELL_AMOUNT) {
        return Err(AmountError::TooLarge(text.trim().to_string()));
    }
    Money::from_decimal(decimal)
        .ok_or_else(|| AmountError::FractionOfACent(text.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cents(text: &str) -> Money {
        Money::from_decimal(Decimal::from_str(text).unwrap()).unwrap()
    }

    fn parsed(text: &str) -> Money {
        parse_text(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .value
    }

    #[test]
    fn dutch_text_amounts() {
        assert_eq!(parsed("€ 1.234,56"), cents("1234.56"));
        assert_eq!(parsed("10.400"), cents("10400"));
        assert_eq!(parsed("1.537.933,56"), cents("1537933.56"));
        assert_eq!(parsed("1234,5"), cents("1234.50"));
        assert_eq!(parsed("€\u{a0}12.750"), cents("12750"));
        assert_eq!(parsed("  € 0  "), Money::ZERO);
        assert_eq!(parsed("EUR 12"), cents("12"));
        assert_eq!(parsed("€ 1.234,-"), cents("1234"));
        assert_eq!(parsed("0,500"), cents("0.50"));
    }

    #[test]
    fn zero_and_negative() {
        assert_eq!(parsed("-"), Money::ZERO);
        assert_eq!(parsed("–"), Money::ZERO);
        assert_eq!(parsed(""), Money::ZERO);
        assert_eq!(parsed("-5.000"), cents("-5000"));
        assert_eq!(parsed("€ -5.000"), cents("-5000"));
        assert_eq!(parsed("- € 5.000"), cents("-5000"));
        assert_eq!(parsed("−5.000,25"), cents("-5000.25"));
    }

    #[test]
    fn accounting_zero_and_euro_sign_after() {
        assert_eq!(parsed("€ -"), Money::ZERO);
        assert_eq!(parsed("€-"), Money::ZERO);
        assert_eq!(parsed("€ –"), Money::ZERO);
        assert_eq!(parsed("110.000 €"), cents("110000"));
        assert_eq!(parsed("110 000"), cents("110000"));
        assert_eq!(parsed("€ 1\u{a0}234,50"), cents("1234.50"));
        assert_eq!(parsed("-1.234,50 €"), cents("-1234.50"));
    }

    #[test]
    fn footnote_marker() {
        let p = parse_text("€ 150.000*").unwrap();
        assert_eq!(p.value, cents("150000"));
        assert!(p.footnote_marker);
        assert!(!parse_text("150.000").unwrap().footnote_marker);
        assert!(parse_text("*").unwrap().footnote_marker);
    }

    #[test]
    fn not_amounts() {
        for text in [
            "abc", "n.v.t.", "1234.56", "12.5", "1.23.456", "€", "1,2,3", "12,", "--5", "5-",
            "1 23", "12 3456", "(5.000)", ".500",
        ] {
            assert!(
                matches!(parse_text(text), Err(AmountError::NotAnAmount(_))),
                "{text} should not be an amount"
            );
        }
    }

    #[test]
    fn numbers_in_messages_are_dutch() {
        assert_eq!(dutch_number("262805.125"), "262.805,125");
        assert_eq!(dutch_number("-1234"), "-1.234");
        assert_eq!(
            from_float(262_805.125).unwrap_err().to_string(),
            "262.805,125 heeft een fractie van een cent; een bedrag heeft hoogstens twee decimalen"
        );
    }

    #[test]
    fn one_comma_and_three_digits_is_ambiguous() {
        for text in [
            "12,750",
            "-12,750",
            "€ 12,750",
            "12,750*",
            "€ -12,750 *",
            "1,500",
            "999,000",
            "12,750 €",
            "12,750,-",
        ] {
            assert!(
                matches!(parse_text(text), Err(AmountError::Ambiguous(..))),
                "{text} should be ambiguous: {:?}",
                parse_text(text)
            );
        }
        let message = parse_text("12,750").unwrap_err().to_string();
        assert!(message.contains("‘12.750’"), "{message}");
        // two decimals, a leading zero, four digits before the comma, or a dot for the
        // thousands: one reading only
        assert_eq!(parsed("12,75"), cents("12.75"));
        assert_eq!(parsed("0,750"), cents("0.75"));
        assert_eq!(parsed("12.750"), cents("12750"));
        assert!(matches!(
            parse_text("1.234,567"),
            Err(AmountError::FractionOfACent(_))
        ));
        assert!(matches!(
            parse_text("1234,567"),
            Err(AmountError::FractionOfACent(_))
        ));
        assert_eq!(parsed("1.234,500"), cents("1234.50"));
    }

    #[test]
    fn fraction_of_a_cent() {
        assert!(matches!(
            parse_text("1.212,345"),
            Err(AmountError::FractionOfACent(_))
        ));
        assert!(matches!(
            from_float(12.345),
            Err(AmountError::FractionOfACent(_))
        ));
        assert!(matches!(
            from_float(0.001),
            Err(AmountError::FractionOfACent(_))
        ));
    }

    #[test]
    fn float_noise_is_not_a_fraction() {
        assert_eq!(from_float(0.1 + 0.2).unwrap(), cents("0.30"));
        assert_eq!(from_float(1_537_933.56).unwrap(), cents("1537933.56"));
        let noisy: f64 = [945_818.0, 325_996.0, 188_731.0, 275_996.0, 150_000.0, 0.84]
            .iter()
            .sum();
        assert_eq!(from_float(noisy).unwrap(), cents("1886541.84"));
        assert_eq!(from_float(21_963.84).unwrap(), cents("21963.84"));
        assert_eq!(from_float(-5000.0).unwrap(), cents("-5000"));
        assert_eq!(from_float(406_907.7).unwrap(), cents("406907.70"));
    }

    #[test]
    fn a_fraction_on_a_large_amount_is_no_noise() {
        assert!(matches!(
            from_float(99_999_999_999.123),
            Err(AmountError::FractionOfACent(_))
        ));
        assert!(matches!(
            from_float(10_000_000_000.004),
            Err(AmountError::FractionOfACent(_))
        ));
    }

    #[test]
    fn absurd_values() {
        assert!(matches!(from_float(1e13), Err(AmountError::TooLarge(_))));
        assert!(matches!(from_float(1e300), Err(AmountError::TooLarge(_))));
        assert!(from_float(f64::NAN).is_err());
        assert!(matches!(from_int(i64::MAX), Err(AmountError::TooLarge(_))));
        assert!(matches!(
            parse_text("99999999999999999999999999999999"),
            Err(AmountError::TooLarge(_))
        ));
    }

    #[test]
    fn number_texts_read_exactly() {
        let read = |t: &str| from_number_text(t).unwrap_or_else(|e| panic!("{t}: {e}"));
        assert_eq!(read("1234.5"), cents("1234.50"));
        assert_eq!(read("-0.1"), cents("-0.10"));
        assert_eq!(read("1.2345E+3"), cents("1234.50"));
        assert_eq!(read("1.2345e3"), cents("1234.50"));
        assert_eq!(read("12E-2"), cents("0.12"));
        assert_eq!(read("0"), Money::ZERO);
        assert_eq!(read("-0"), Money::ZERO);
        assert_eq!(read(" 42 "), cents("42"));
        assert_eq!(read("0.000"), Money::ZERO);
        assert_eq!(read("1537933.56"), cents("1537933.56"));
        assert_eq!(read("100000000000"), cents("100000000000"));
        assert_eq!(cents_from_number_text("-5000.25").unwrap(), -500_025);
    }

    #[test]
    fn number_texts_with_float_noise() {
        let read = |t: &str| from_number_text(t).unwrap_or_else(|e| panic!("{t}: {e}"));
        assert_eq!(read("0.30000000000000004"), cents("0.30"));
        assert_eq!(read("1886541.8400000001"), cents("1886541.84"));
        assert_eq!(read("406907.69999999995"), cents("406907.70"));
        // the same value as a float gives the same cents
        for value in [0.1 + 0.2, 21_963.84, -5000.0, 406_907.7] {
            assert_eq!(read(&format!("{value:.17}")), from_float(value).unwrap());
            assert_eq!(read(&format!("{value}")), from_float(value).unwrap());
        }
    }

    #[test]
    fn number_texts_refused() {
        assert!(matches!(
            from_number_text("12.345"),
            Err(AmountError::FractionOfACent(m)) if m == "12,345"
        ));
        assert!(matches!(
            from_number_text("1.2345E+1"),
            Err(AmountError::FractionOfACent(_))
        ));
        assert!(matches!(
            from_number_text("1E-300"),
            Err(AmountError::FractionOfACent(_))
        ));
        assert!(matches!(
            from_number_text("1E+300"),
            Err(AmountError::TooLarge(_))
        ));
        assert!(matches!(
            from_number_text("100000000000.01"),
            Err(AmountError::TooLarge(_))
        ));
        for text in [
            "", "-", ".", "1.2.3", "1,5", "12abc", "E5", "1E", "1E+", "--1", "0x10", "NaN", "inf",
        ] {
            assert!(
                matches!(from_number_text(text), Err(AmountError::NotAnAmount(_))),
                "{text}: {:?}",
                from_number_text(text)
            );
        }
        assert_eq!(from_number_text("0E+999999").unwrap(), Money::ZERO);
    }
}
