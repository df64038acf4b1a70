//! Money: euros with exactly two decimals, backed by [`Decimal`].
//!
//! Every amount in the pipeline is a [`Money`]. It is made from a `Decimal` once (in
//! ingest), added and subtracted exactly, and shown in Dutch notation (`€ 1.537.933,56`).
//! In JSON it is a decimal string with two decimals (`"1537933.56"`).

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount in euros, exact to the cent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

impl Money {
    /// Zero euros.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Makes an amount from a decimal that has at most two decimals.
    ///
    /// Returns `None` when `value` has a fraction of a cent: the caller decides whether that
    /// is an input error.
    pub fn from_decimal(value: Decimal) -> Option<Money> {
        let mut cents = value.round_dp(2);
        if cents != value {
            return None;
        }
        cents.rescale(2);
        Some(Money(cents))
    }

    /// Makes an amount from whole cents.
    pub fn from_cents(cents: i64) -> Money {
        Money(Decimal::new(cents, 2))
    }

    /// The exact decimal value (scale 2).
    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// Whether the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// Whether the amount is zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// Whether the amount has cents (is not a whole number of euros).
    pub fn has_cents(self) -> bool {
        !self.0.fract().is_zero()
    }

    /// The absolute value.
    pub fn abs(self) -> Money {
        Money(self.0.abs())
    }

    /// Dutch notation with the euro sign and always two decimals: `€ 1.537.933,56`,
    /// `€ -5.000,00`.
    pub fn to_dutch(self) -> String {
        self.format(true, true)
    }

    /// Dutch notation; `cents` chooses whether decimals are shown (`€ 3.160.000` or
    /// `€ 3.160.000,00`). Amounts with cents always show them.
    pub fn to_dutch_with(self, cents: bool) -> String {
        self.format(true, cents || self.has_cents())
    }

    /// Dutch notation without the euro sign: `1.537.933,56`.
    pub fn to_dutch_plain(self, cents: bool) -> String {
        self.format(false, cents || self.has_cents())
    }

    /// Dutch notation, from the decimal's whole cents: each table, the JSON and the XLSX
    /// show every amount, so this is done some millions of times for a big werkplan (it went
    /// through `Decimal`'s `to_string` twice, 4.000 instructions an amount; now a tenth).
    fn format(self, euro_sign: bool, cents: bool) -> String {
        let scale = self.0.scale();
        if scale > 2 {
            return self.format_decimal(euro_sign, cents);
        }
        // |mantissa| < 2^96, so the cents fit in a u128
        let total = self.0.mantissa().unsigned_abs() * 10u128.pow(2 - scale);
        let (whole, fraction) = (total / 100, total % 100);
        let mut digits = [0u8; 40];
        let mut start = digits.len();
        let mut rest = whole;
        loop {
            start -= 1;
            if let Some(d) = digits.get_mut(start) {
                *d = b'0' + (rest % 10) as u8;
            }
            rest /= 10;
            if rest == 0 || start == 0 {
                break;
            }
        }
        let digits = digits.get(start..).unwrap_or_default();
        let mut out = String::with_capacity(digits.len() * 4 / 3 + 8);
        if euro_sign {
            out.push_str("€ ");
        }
        if self.is_negative() {
            out.push('-');
        }
        Money::push_grouped(&mut out, digits);
        if cents {
            out.push(',');
            out.push(char::from(b'0' + (fraction / 10) as u8));
            out.push(char::from(b'0' + (fraction % 10) as u8));
        }
        out
    }

    /// Appends the ASCII digits `digits` to `out` in Dutch thousands grouping, a `.` before
    /// each group of three counted from the right: `1234567` -> `1.234.567`. The one place
    /// this grouping is written: amounts, counts in messages and amounts in messages all
    /// use it.
    pub fn push_grouped(out: &mut String, digits: &[u8]) {
        for (i, digit) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push('.');
            }
            out.push(char::from(*digit));
        }
    }

    /// [`Money::format`] through `Decimal`'s own formatting: for a value of more than two
    /// decimals (never made by this module's constructors), whose fraction it rounds.
    fn format_decimal(self, euro_sign: bool, cents: bool) -> String {
        let negative = self.is_negative();
        let abs = self.0.abs();
        let whole = abs.trunc();
        let mut frac = abs - whole;
        frac.rescale(2);
        let whole_digits = whole.trunc().to_string();
        let mut grouped = String::with_capacity(whole_digits.len() + whole_digits.len() / 3);
        Money::push_grouped(&mut grouped, whole_digits.as_bytes());
        let mut out = String::new();
        if euro_sign {
            out.push_str("€ ");
        }
        if negative {
            out.push('-');
        }
        out.push_str(&grouped);
        if cents {
            let frac_digits = frac.to_string();
            // `frac` is 0.xx after rescale(2)
            let digits = frac_digits.rsplit('.').next().unwrap_or("00");
            out.push(',');
            out.push_str(digits);
        }
        out
    }
}

impl fmt::Display for Money {
    /// Dutch notation with two decimals (`€ 1.537.933,56`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_dutch())
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

impl Serialize for Money {
    /// A decimal string with two decimals, e.g. `"1537933.56"`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut value = self.0;
        value.rescale(2);
        serializer.serialize_str(&value.to_string())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        let text = String::deserialize(deserializer)?;
        let value: Decimal = text.parse().map_err(serde::de::Error::custom)?;
        Money::from_decimal(value)
            .ok_or_else(|| serde::de::Error::custom(format!("{text}: fractie van een cent")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn money(text: &str) -> Money {
        Money::from_decimal(Decimal::from_str(text).unwrap()).unwrap()
    }

    #[test]
    fn dutch_notation() {
        assert_eq!(money("1537933.56").to_dutch(), "€ 1.537.933,56");
        assert_eq!(money("3160000").to_dutch_with(false), "€ 3.160.000");
        assert_eq!(money("3160000").to_dutch(), "€ 3.160.000,00");
        assert_eq!(money("-5000").to_dutch_with(false), "€ -5.000");
        assert_eq!(money("0").to_dutch_with(false), "€ 0");
        assert_eq!(money("999").to_dutch_plain(false), "999");
        assert_eq!(money("1000").to_dutch_plain(false), "1.000");
        assert_eq!(money("-0.5").to_dutch(), "€ -0,50");
        assert_eq!(money("406907.7").to_dutch_with(false), "€ 406.907,70");
        assert_eq!(
            money("123456789012.34").to_dutch_plain(true),
            "123.456.789.012,34"
        );
    }

    #[test]
    fn dutch_notation_from_cents_is_decimal_s_own() {
        // every scale a Money holds (0 for ZERO, 2 from the constructors, 1 by arithmetic on
        // a deserialized value), signs, zero, each grouping length and the largest decimals
        let mut values: Vec<Decimal> = vec![Decimal::ZERO, Decimal::MAX, Decimal::MIN];
        for exponent in 0..27 {
            let power = Decimal::from_i128_with_scale(10i128.pow(exponent), 0);
            for delta in [-1i64, 0, 1, 7] {
                let whole = power + Decimal::from(delta);
                for scale in 0..=2 {
                    let mut value = whole;
                    value.set_scale(scale).unwrap();
                    values.push(value);
                    values.push(-value);
                }
            }
        }
        values.push(Decimal::new(-5, 1));
        values.push(Decimal::new(-0, 2));
        for value in values {
            let amount = Money(value);
            for (euro_sign, cents) in [(true, true), (true, false), (false, true), (false, false)] {
                assert_eq!(
                    amount.format(euro_sign, cents),
                    amount.format_decimal(euro_sign, cents),
                    "{value:?} {euro_sign} {cents}"
                );
            }
        }
    }

    #[test]
    fn fraction_of_a_cent_is_refused() {
        assert!(Money::from_decimal(Decimal::from_str("12.345").unwrap()).is_none());
        assert!(Money::from_decimal(Decimal::from_str("12.340").unwrap()).is_some());
    }

    #[test]
    fn json_is_a_two_decimal_string() {
        assert_eq!(
            serde_json::to_string(&money("12750")).unwrap(),
            "\"12750.00\""
        );
        let back: Money = serde_json::from_str("\"-5000.00\"").unwrap();
        assert_eq!(back, money("-5000"));
    }

    #[test]
    fn arithmetic_is_exact() {
        let total: Money = ["0.10", "0.20", "0.30"].iter().map(|t| money(t)).sum();
        assert_eq!(total, money("0.60"));
        assert!((money("1") - money("2")).is_negative());
        assert!(!Money::ZERO.is_negative());
    }
}
