//! Quotes and apostrophes as the report prints them, normalised once where text enters the
//! model, so that headers, labels, alt text, the JSON and messages all agree.
//!
//! The spreadsheets mix them (`Nog te besteden ’22 en ‘23`: an apostrophe and an opening
//! quote for the same elision; `auto's` with a typewriter apostrophe). The rules:
//! - an elision before digits (`’22`) is always the apostrophe `’`, whatever the input typed
//!   (`'`, `‘`, `` ` ``, `´`), unless an opening `‘` starts a quotation that a closing `’`
//!   ends later in the text (`‘30 jaar Sociale Agenda’` stays);
//! - a typewriter `'` between two letters (`auto's`) or before an `s` that stands alone
//!   (`'s avonds`, `'s-Hertogenbosch`) is the apostrophe `’`;
//! - every other quote stays as typed (`‘Versterken ... toegankelijkheid’`).

use std::borrow::Cow;

/// The typographic apostrophe (right single quotation mark).
const APOSTROPHE: char = '’';

/// Characters someone may have typed for an apostrophe.
fn is_quote_like(c: char) -> bool {
    matches!(c, '\'' | '‘' | '’' | '`' | '´')
}

/// `text` with its apostrophes normalised (see the module documentation); borrowed when
/// nothing changes, which is nearly always.
pub fn normalise(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| matches!(c, '\'' | '‘' | '`' | '´')) {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let after = chars.get(i + 1).copied();
        let apostrophe = is_quote_like(c)
            && c != APOSTROPHE
            && (is_elision(&chars, i) || is_in_word(c, before, after, chars.get(i + 2).copied()));
        out.push(if apostrophe { APOSTROPHE } else { c });
    }
    Cow::Owned(out)
}

/// Whether the quote at `i` elides the century of a year: exactly two digits follow, not
/// preceded by a letter or digit, and it does not open a quotation closed later.
fn is_elision(chars: &[char], i: usize) -> bool {
    let digits = chars[i + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let word_before = i
        .checked_sub(1)
        .and_then(|p| chars.get(p))
        .is_some_and(|c| c.is_alphanumeric());
    if digits != 2 || word_before {
        return false;
    }
    let opens_quotation = chars[i] == '‘' && closes_later(&chars[i + 3..]);
    !opens_quotation
}

/// Whether a closing quote `’` follows in `rest`: one not followed by a letter or digit (an
/// apostrophe inside a word or before digits closes nothing).
fn closes_later(rest: &[char]) -> bool {
    rest.iter()
        .enumerate()
        .any(|(j, &c)| c == APOSTROPHE && !rest.get(j + 1).is_some_and(|n| n.is_alphanumeric()))
}

/// Whether a typewriter `'` is an apostrophe in a word: between two letters (`auto's`), or
/// before an `s` that is a word of its own (`'s avonds`, `'s-Hertogenbosch`).
fn is_in_word(
    c: char,
    before: Option<char>,
    after: Option<char>,
    after_next: Option<char>,
) -> bool {
    if c != '\'' {
        return false;
    }
    let letter = |c: Option<char>| c.is_some_and(char::is_alphabetic);
    let between_letters = letter(before) && letter(after);
    let lone_s =
        !letter(before) && after == Some('s') && !after_next.is_some_and(|n| n.is_alphanumeric());
    between_letters || lone_s
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn an_elision_before_a_year_is_an_apostrophe() {
        assert_eq!(
            normalise("Nog te besteden ’22 en ‘23"),
            "Nog te besteden ’22 en ’23"
        );
        assert_eq!(normalise("Budget '22"), "Budget ’22");
        assert_eq!(normalise("Realisatie `21 en ´22"), "Realisatie ’21 en ’22");
        assert_eq!(normalise("Verplicht ‘22"), "Verplicht ’22");
    }

    #[test]
    fn a_typewriter_apostrophe_in_a_word_is_typographic() {
        assert_eq!(normalise("auto's en foto's"), "auto’s en foto’s");
        assert_eq!(
            normalise("'s avonds in 's-Hertogenbosch"),
            "’s avonds in ’s-Hertogenbosch"
        );
    }

    #[test]
    fn quotations_stay() {
        let quoted = "het project ‘Versterken provinciale voorbeeldrol en toegankelijkheid’";
        assert_eq!(normalise(quoted), quoted);
        // a quotation that starts with a number is not an elision
        let numbered = "de campagne ‘30 jaar Sociale Agenda’ in ’22";
        assert_eq!(normalise(numbered), numbered);
        // straight quotes around words are left as typed
        assert_eq!(normalise("de 'pilot' loopt"), "de 'pilot' loopt");
        // more or fewer than two digits: no year
        assert_eq!(normalise("‘2022’"), "‘2022’");
    }

    #[test]
    fn text_without_quotes_is_borrowed() {
        assert!(matches!(
            normalise("Totaal budget"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
