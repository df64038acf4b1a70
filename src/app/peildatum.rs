//! The run's peildatum: how it is chosen ([`Peildatum`], parsed once when the command line
//! is checked) and the one date it becomes once the werkplan is read
//! ([`Peildatum::resolve`]), which compute, `--basis vorige` and the archive then share.

use crate::model::{Date, Werkplan};

use super::error::{PeildatumOutOfRange, UsageError};

/// How the run's peildatum is chosen, as the checked configuration holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Peildatum {
    /// `--peildatum`, parsed; it must lie within [`peildatum_range`] of the werkplan.
    Given(Date),
    /// None given: the latest booking date of the ledger, if one was read (brought within
    /// [`peildatum_range`]), else [`default_peildatum`].
    FromInput,
}

impl Peildatum {
    /// Parses `--peildatum` (JJJJ-MM-DD); without it the input decides.
    ///
    /// # Errors
    /// A text that is no date (a usage error).
    pub fn parse(text: Option<&str>) -> Result<Peildatum, UsageError> {
        match text {
            None => Ok(Peildatum::FromInput),
            Some(text) => Date::parse_iso(text).map(Peildatum::Given).ok_or_else(|| {
                UsageError::PeildatumNoDate {
                    text: text.to_string(),
                }
            }),
        }
    }

    /// The run's peildatum for `werkplan` (see the variants).
    ///
    /// # Errors
    /// A given peildatum outside the werkplan's years: the error names the range (a usage
    /// error).
    pub fn resolve(self, werkplan: &Werkplan) -> Result<Date, PeildatumOutOfRange> {
        let (first, last) = peildatum_range(werkplan);
        match self {
            Peildatum::Given(given) if given < first || given > last => {
                Err(PeildatumOutOfRange { given, first, last })
            }
            Peildatum::Given(given) => Ok(given),
            Peildatum::FromInput => Ok(werkplan
                .ledger
                .bookings
                .as_ref()
                .and_then(|b| b.latest())
                .map(|latest| latest.clamp(first, last))
                .unwrap_or_else(|| default_peildatum(werkplan))),
        }
    }
}

impl From<Option<Date>> for Peildatum {
    /// A date given, or none.
    fn from(given: Option<Date>) -> Peildatum {
        given.map_or(Peildatum::FromInput, Peildatum::Given)
    }
}

/// The default peildatum: 31 December of the last year with spending in the data, else
/// 1 January of the werkplan's year.
pub fn default_peildatum(werkplan: &Werkplan) -> Date {
    match werkplan.last_spending_year() {
        Some(year) => Date {
            year,
            month: 12,
            day: 31,
        },
        None => Date {
            year: werkplan.year,
            month: 1,
            day: 1,
        },
    }
}

/// The years of the werkplan's tables as dates: 1 January of the first year of any column,
/// 31 December of the last budget year (of the last year of any column, without budgets).
pub fn peildatum_range(werkplan: &Werkplan) -> (Date, Date) {
    let columns = || {
        werkplan
            .regulier
            .columns
            .iter()
            .chain(&werkplan.drenthe_breed.columns)
    };
    let years =
        || columns().filter_map(|c| c.kind.spending_year().or_else(|| c.kind.budget_year()));
    let first = years().min().unwrap_or(werkplan.year);
    let last = columns()
        .filter_map(|c| c.kind.budget_year())
        .max()
        .or_else(|| years().max())
        .unwrap_or(werkplan.year);
    let date = |year, month, day| Date { year, month, day };
    (date(first, 1, 1), date(last, 12, 31))
}

/// The run's peildatum: the one given, which must lie within [`peildatum_range`]; else the
/// latest booking date of the ledger, if one was read (brought within the range); else
/// [`default_peildatum`]. The same as [`Peildatum::resolve`].
///
/// # Errors
/// A given peildatum outside the range: the error names the range (a usage error).
pub fn choose_peildatum(
    werkplan: &Werkplan,
    given: Option<Date>,
) -> Result<Date, PeildatumOutOfRange> {
    Peildatum::from(given).resolve(werkplan)
}

#[cfg(test)]
mod tests {
    use super::Peildatum;
    use crate::model::Date;

    #[test]
    fn the_peildatum_is_parsed_once_and_refused_in_dutch() {
        assert_eq!(Peildatum::parse(None).unwrap(), Peildatum::FromInput);
        assert_eq!(
            Peildatum::parse(Some("2022-06-30")).unwrap(),
            Peildatum::Given(Date::parse_iso("2022-06-30").unwrap())
        );
        let error = Peildatum::parse(Some("30-06-2022")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "--peildatum ‘30-06-2022’ is geen geldige datum; verwacht JJJJ-MM-DD, bijvoorbeeld 2022-12-31"
        );
        assert_eq!(Peildatum::from(None), Peildatum::FromInput);
    }
}
