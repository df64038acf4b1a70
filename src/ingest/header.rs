//! Recognising sheets and columns by their names, the way people write them.
//!
//! Names are compared after [`normalize`]: case, accents, apostrophes, line breaks and runs
//! of white space do not count. Each sheet kind has its fields; a header matches a field by
//! one of its aliases, or by pattern for year columns (`Uitgaven 2021`, `Budget ’22`) and
//! prefix columns (`Verplicht ’22 en ‘23`).

pub use crate::ingest::kind::SheetKind;
use crate::model::ColumnKind;

/// Normalises a sheet name or header for comparison: lowercase, accents removed, line breaks
/// and runs of white space as one space, apostrophes and a trailing `:` or `.` dropped.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for ch in text.chars() {
        let ch = fold_accent(ch);
        if ch.is_whitespace() || ch == '\u{a0}' || ch == '_' {
            space = !out.is_empty();
            continue;
        }
        if matches!(ch, '\'' | '’' | '‘' | '`' | '´') || is_invisible(ch) {
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(ch.to_lowercase());
    }
    while out.ends_with([':', '.']) {
        out.pop();
    }
    out
}

/// Characters that print as nothing (zero-width space, byte-order mark, soft hyphen): they
/// are not part of any name, code or amount.
pub fn is_invisible(ch: char) -> bool {
    matches!(
        ch,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{00ad}'
    )
}

/// The letters of a name only: `Drenthe-brede projecten` and `drenthebrede Projecten` agree.
pub(crate) fn letters(text: &str) -> String {
    normalize(text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn fold_accent(ch: char) -> char {
    match ch {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'A',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'Í' | 'Ì' | 'Î' | 'Ï' => 'I',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'O',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'Ú' | 'Ù' | 'Û' | 'Ü' => 'U',
        'ý' | 'ÿ' => 'y',
        'ç' => 'c',
        'ñ' => 'n',
        '‐' | '‑' | '–' | '—' => '-',
        other => other,
    }
}

/// A column the pipeline reads.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// `Nr` of the themes sheet.
    Nr,
    /// `Thema`: the theme name (themes sheet) or a theme reference (other sheets).
    Thema,
    /// `Code`: the line letter.
    Code,
    /// `Omschrijving` / `Project`.
    Omschrijving,
    /// `Onderdeel van`: the parent line of a part.
    OnderdeelVan,
    /// An amount column of a budget table.
    Amount(ColumnKind),
    /// `Nog te besteden ...` / `Resterend budget`: stated remaining.
    Resterend,
    /// `Voetnoot`.
    Voetnoot,
    /// `Ronde`.
    Ronde,
    /// `Toegekend`.
    Toegekend,
    /// `Voorbehoud`.
    Voorbehoud,
}

impl Field {
    /// The header as INPUT.md names it, for messages.
    pub fn name(&self) -> String {
        match self {
            Field::Nr => "Nr".into(),
            Field::Thema => "Thema".into(),
            Field::Code => "Code".into(),
            Field::Omschrijving => "Omschrijving".into(),
            Field::OnderdeelVan => "Onderdeel van".into(),
            Field::Amount(ColumnKind::Uitgaven(y)) => format!("Uitgaven {y}"),
            Field::Amount(ColumnKind::Budget(y)) => format!("Budget {y}"),
            Field::Amount(ColumnKind::TotaalBudget) => "Totaal budget".into(),
            Field::Amount(ColumnKind::Verplicht) => "Verplicht ...".into(),
            Field::Resterend => "Nog te besteden / Resterend budget".into(),
            Field::Voetnoot => "Voetnoot".into(),
            Field::Ronde => "Ronde".into(),
            Field::Toegekend => "Toegekend".into(),
            Field::Voorbehoud => "Voorbehoud".into(),
        }
    }
}

/// A year at the start of `text` (`2021`, `22` for 2022), followed by nothing or by
/// something that is not part of a word (`2021 (€)`, `2022*`, `2022 na wijziging`).
fn leading_year(text: &str) -> Option<i32> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let rest = &text[digits.len()..];
    if rest.chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    // a range of years (`2022-2023`, `2022/23`) is not one year
    let mut after = rest.trim_start().chars();
    if matches!(after.next(), Some('-' | '–' | '/'))
        && after
            .as_str()
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    match digits.len() {
        4 => digits.parse().ok().filter(|y| (1900..=2200).contains(y)),
        2 => digits.parse::<i32>().ok().map(|y| 2000 + y),
        _ => None,
    }
}

/// A header `<word> <year> ...` where word is one of `words`: `Uitgaven 2021`,
/// `Realisatie in 2020`, `Budget ’22`, `Begroting 2023 (na wijziging)`.
fn year_column(normalized: &str, words: &[&str]) -> Option<i32> {
    words.iter().find_map(|w| {
        let rest = normalized.strip_prefix(w)?.trim_start();
        let rest = rest.strip_prefix("in ").unwrap_or(rest);
        leading_year(rest)
    })
}

/// Whether a header names its field as INPUT.md does, or by an alias. When two columns of
/// a sheet name the same field, the primary name wins and the alias column is ignored
/// (`Project` and `Omschrijving` on a projects sheet: `Project` is the project).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// The name INPUT.md uses for this sheet.
    Primary,
    /// Another name people use.
    Alias,
}

/// The words that start a spending column.
const SPENDING: [&str; 7] = [
    "uitgaven",
    "werkelijke uitgaven",
    "realisatie",
    "uitgegeven",
    "besteed",
    "gerealiseerd",
    "jaarrekening",
];
/// The words that start a budget column.
const BUDGET: [&str; 3] = ["budget", "begroting", "begroot"];

/// Which field a header is, on a sheet of `kind`; `None` for columns the pipeline ignores.
pub fn classify(kind: SheetKind, raw: &str) -> Option<Field> {
    classify_ranked(kind, raw).map(|(field, _)| field)
}

/// Which field a header is, and whether by its primary name or an alias.
pub fn classify_ranked(kind: SheetKind, raw: &str) -> Option<(Field, Rank)> {
    use SheetKind::*;
    let h = normalize(raw);
    if h.is_empty() {
        return None;
    }
    match kind {
        Themas => themes_field(&h),
        Boekingen | Verplichtingen => None,
        // every other sheet refers to a theme
        _ => theme_reference(&h)
            .or_else(|| line_field(kind, &h))
            .or_else(|| budget_table_field(kind, &h))
            .or_else(|| total_budget_field(kind, &h))
            .or_else(|| remaining_field(kind, &h))
            .or_else(|| award_field(kind, &h)),
    }
}

/// A field found by its primary name (`primary`) or by an alias.
fn ranked(field: Field, primary: bool) -> Option<(Field, Rank)> {
    Some((field, if primary { Rank::Primary } else { Rank::Alias }))
}

/// Whether the normalised header `h` is one of `names`.
fn is(h: &str, names: &[&str]) -> bool {
    names.contains(&h)
}

/// The columns of the `Thema's` sheet: `Nr` and `Thema`.
fn themes_field(h: &str) -> Option<(Field, Rank)> {
    if is(h, &["nr"]) {
        ranked(Field::Nr, true)
    } else if is(
        h,
        &[
            "nummer",
            "no",
            "thema nr",
            "themanummer",
            "thema nummer",
            "#",
        ],
    ) {
        ranked(Field::Nr, false)
    } else if is(h, &["thema"]) {
        ranked(Field::Thema, true)
    } else if is(h, &["naam", "themanaam", "thema naam", "omschrijving"]) {
        ranked(Field::Thema, false)
    } else {
        None
    }
}

/// The theme reference of every table sheet.
fn theme_reference(h: &str) -> Option<(Field, Rank)> {
    if is(h, &["thema"]) {
        return ranked(Field::Thema, true);
    }
    if is(h, &["thema nr", "themanummer", "thema nummer", "nr thema"]) {
        return ranked(Field::Thema, false);
    }
    None
}

/// `Code` and `Omschrijving` of the sheets with lines (the budget tables and the awards);
/// on a projects sheet `Project` is the primary name of the description.
fn line_field(kind: SheetKind, h: &str) -> Option<(Field, Rank)> {
    use SheetKind::*;
    if !matches!(
        kind,
        ReguliereMiddelen | DrentheBredeProjecten | Alliantieprojecten
    ) {
        return None;
    }
    let projects = matches!(kind, DrentheBredeProjecten | Alliantieprojecten);
    if is(h, &["code"]) {
        return ranked(Field::Code, true);
    }
    if is(h, &["letter", "volgletter", "code regel", "regel", "nr"]) {
        return ranked(Field::Code, false);
    }
    if is(h, &["omschrijving"]) {
        return ranked(Field::Omschrijving, !projects);
    }
    if is(h, &["project"]) {
        return ranked(Field::Omschrijving, projects);
    }
    if is(
        h,
        &[
            "projectnaam",
            "project naam",
            "naam",
            "post",
            "omschrijving project",
        ],
    ) || h.starts_with("uitgaven werkplan")
    {
        return ranked(Field::Omschrijving, false);
    }
    None
}

/// `Onderdeel van`, the year columns and `Voetnoot` of the two budget tables.
fn budget_table_field(kind: SheetKind, h: &str) -> Option<(Field, Rank)> {
    if !kind.needs_year_column() {
        return None;
    }
    if is(h, &["onderdeel van"]) {
        return ranked(Field::OnderdeelVan, true);
    }
    if is(h, &["deel van", "hoort bij", "valt onder", "onderdeel"]) {
        return ranked(Field::OnderdeelVan, false);
    }
    if let Some(y) = year_column(h, &SPENDING) {
        let field = Field::Amount(ColumnKind::Uitgaven(y));
        return ranked(field, h.starts_with("uitgaven"));
    }
    if let Some(y) = year_column(h, &BUDGET) {
        let field = Field::Amount(ColumnKind::Budget(y));
        return ranked(field, h.starts_with("budget"));
    }
    if is(h, &["voetnoot"]) {
        return ranked(Field::Voetnoot, true);
    }
    if is(h, &["voetnoten", "noot"]) {
        return ranked(Field::Voetnoot, false);
    }
    None
}

/// `Totaal budget` of `Drenthe-brede projecten` and `Alliantiebudget`.
fn total_budget_field(kind: SheetKind, h: &str) -> Option<(Field, Rank)> {
    use SheetKind::*;
    if !matches!(kind, DrentheBredeProjecten | Alliantiebudget) {
        return None;
    }
    let field = Field::Amount(ColumnKind::TotaalBudget);
    if is(h, &["totaal budget"]) {
        return ranked(field, true);
    }
    let aliases = [
        "totaalbudget",
        "budget totaal",
        "totale budget",
        "budget",
        "alliantiebudget",
    ];
    if is(h, &aliases) {
        return ranked(field, false);
    }
    None
}

/// `Verplicht ...` and the stated remaining (`Nog te besteden ...`, `Resterend budget`).
fn remaining_field(kind: SheetKind, h: &str) -> Option<(Field, Rank)> {
    match kind {
        SheetKind::DrentheBredeProjecten => {
            if h.starts_with("verplicht") {
                return ranked(Field::Amount(ColumnKind::Verplicht), true);
            }
            if h.starts_with("nog te besteden") {
                return ranked(Field::Resterend, true);
            }
            if h.starts_with("resterend") {
                return ranked(Field::Resterend, false);
            }
            None
        }
        SheetKind::Alliantiebudget => {
            if is(h, &["resterend budget"]) {
                return ranked(Field::Resterend, true);
            }
            if h.starts_with("resterend") || h.starts_with("nog te besteden") {
                return ranked(Field::Resterend, false);
            }
            None
        }
        _ => None,
    }
}

/// `Ronde`, `Toegekend` and `Voorbehoud` of `Alliantieprojecten`.
fn award_field(kind: SheetKind, h: &str) -> Option<(Field, Rank)> {
    if kind != SheetKind::Alliantieprojecten {
        return None;
    }
    if is(h, &["ronde"]) {
        return ranked(Field::Ronde, true);
    }
    if is(
        h,
        &["aanvraagronde", "uitvraagronde", "tranche", "ronde nr"],
    ) {
        return ranked(Field::Ronde, false);
    }
    if is(h, &["toegekend"]) {
        return ranked(Field::Toegekend, true);
    }
    let aliases = [
        "toegekend bedrag",
        "bedrag",
        "toekenning",
        "subsidie",
        "toegekende subsidie",
        "bedrag toegekend",
    ];
    if is(h, &aliases) {
        return ranked(Field::Toegekend, false);
    }
    if is(h, &["voorbehoud"]) {
        return ranked(Field::Voorbehoud, true);
    }
    if is(h, &["onder voorbehoud", "ovb"]) {
        return ranked(Field::Voorbehoud, false);
    }
    None
}

/// Whether an unrecognised header of a budget table looks like an amount column whose year
/// could not be read (`Uitgaven totaal`, `Budget 2022-2023`): such a column is not silently
/// left out, the reader warns about it.
pub fn looks_like_amount(kind: SheetKind, raw: &str) -> bool {
    let h = normalize(raw);
    let has_year = h
        .split(|c: char| !c.is_ascii_digit())
        .any(|digits| digits.len() == 4 && (digits.starts_with("19") || digits.starts_with("20")));
    kind.needs_year_column()
        && (SPENDING.iter().chain(&BUDGET).any(|w| h.contains(w)) || has_year)
        && !h.starts_with("uitgaven werkplan")
        && classify(kind, raw).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizing() {
        assert_eq!(normalize("  Reguliere\n  Middelen "), "reguliere middelen");
        assert_eq!(normalize("Thema's"), "themas");
        assert_eq!(normalize("Subsidiëring"), "subsidiering");
        assert_eq!(normalize("Nr."), "nr");
    }

    #[test]
    fn sheets_by_name() {
        assert_eq!(
            SheetKind::recognise("reguliere  Middelen "),
            Some(SheetKind::ReguliereMiddelen)
        );
        assert_eq!(SheetKind::recognise("Thema’s"), Some(SheetKind::Themas));
        assert_eq!(SheetKind::recognise("Themas"), Some(SheetKind::Themas));
        assert_eq!(
            SheetKind::recognise("Drenthe brede projecten"),
            Some(SheetKind::DrentheBredeProjecten)
        );
        assert_eq!(
            SheetKind::recognise("Boekingen januari"),
            Some(SheetKind::Boekingen)
        );
        assert_eq!(SheetKind::recognise("Blad1"), None);
        assert_eq!(
            SheetKind::recognise("Reguliere middelen 2022"),
            Some(SheetKind::ReguliereMiddelen)
        );
    }

    #[test]
    fn year_columns_with_something_after_the_year() {
        use SheetKind::*;
        assert_eq!(
            classify(ReguliereMiddelen, "Uitgaven 2021 (€)"),
            Some(Field::Amount(ColumnKind::Uitgaven(2021)))
        );
        assert_eq!(
            classify(ReguliereMiddelen, "Realisatie 2021*"),
            Some(Field::Amount(ColumnKind::Uitgaven(2021)))
        );
        assert_eq!(
            classify(ReguliereMiddelen, "Budget 2022 (na wijziging)"),
            Some(Field::Amount(ColumnKind::Budget(2022)))
        );
        assert_eq!(classify(ReguliereMiddelen, "Uitgaven 20210"), None);
        assert!(looks_like_amount(ReguliereMiddelen, "Uitgaven totaal"));
        assert!(looks_like_amount(ReguliereMiddelen, "Budget 2022-2023"));
        assert!(looks_like_amount(ReguliereMiddelen, "Budget 2022 – 2023"));
        assert!(!looks_like_amount(
            ReguliereMiddelen,
            "Uitgaven werkplan 2022"
        ));
        assert!(!looks_like_amount(ReguliereMiddelen, "Uitgaven 2021"));
        assert!(looks_like_amount(ReguliereMiddelen, "Prognose 2022"));
        assert!(looks_like_amount(ReguliereMiddelen, "2020"));
        assert_eq!(
            classify(ReguliereMiddelen, "\u{200b}Uitgaven 2020"),
            Some(Field::Amount(ColumnKind::Uitgaven(2020)))
        );
        assert_eq!(
            classify(ReguliereMiddelen, "Gerealiseerd 2020"),
            Some(Field::Amount(ColumnKind::Uitgaven(2020)))
        );
        assert_eq!(
            classify(ReguliereMiddelen, "Werkelijke uitgaven 2020"),
            Some(Field::Amount(ColumnKind::Uitgaven(2020)))
        );
    }

    #[test]
    fn primary_names_outrank_aliases() {
        use SheetKind::*;
        assert_eq!(
            classify_ranked(DrentheBredeProjecten, "Project"),
            Some((Field::Omschrijving, Rank::Primary))
        );
        assert_eq!(
            classify_ranked(DrentheBredeProjecten, "Omschrijving"),
            Some((Field::Omschrijving, Rank::Alias))
        );
        assert_eq!(
            classify_ranked(ReguliereMiddelen, "Omschrijving"),
            Some((Field::Omschrijving, Rank::Primary))
        );
        assert_eq!(
            classify_ranked(Alliantieprojecten, "Bedrag"),
            Some((Field::Toegekend, Rank::Alias))
        );
        assert_eq!(
            classify_ranked(Alliantiebudget, "thema nummer"),
            Some((Field::Thema, Rank::Alias))
        );
    }

    #[test]
    fn headers_with_years_and_aliases() {
        use SheetKind::*;
        assert_eq!(
            classify(ReguliereMiddelen, "Uitgaven 2021"),
            Some(Field::Amount(ColumnKind::Uitgaven(2021)))
        );
        assert_eq!(
            classify(ReguliereMiddelen, "Realisatie\n2020"),
            Some(Field::Amount(ColumnKind::Uitgaven(2020)))
        );
        assert_eq!(
            classify(ReguliereMiddelen, "Begroting 2023"),
            Some(Field::Amount(ColumnKind::Budget(2023)))
        );
        assert_eq!(
            classify(ReguliereMiddelen, "Budget ’22"),
            Some(Field::Amount(ColumnKind::Budget(2022)))
        );
        assert_eq!(
            classify(ReguliereMiddelen, "OMSCHRIJVING"),
            Some(Field::Omschrijving)
        );
        assert_eq!(
            classify(ReguliereMiddelen, "Uitgaven werkplan 2022"),
            Some(Field::Omschrijving)
        );
        assert_eq!(
            classify(ReguliereMiddelen, "Onderdeel\nvan"),
            Some(Field::OnderdeelVan)
        );
        assert_eq!(classify(ReguliereMiddelen, "Opmerkingen"), None);
        assert_eq!(
            classify(DrentheBredeProjecten, "Totaal\nbudget"),
            Some(Field::Amount(ColumnKind::TotaalBudget))
        );
        assert_eq!(
            classify(DrentheBredeProjecten, "Verplicht ’22 en ‘23"),
            Some(Field::Amount(ColumnKind::Verplicht))
        );
        assert_eq!(
            classify(DrentheBredeProjecten, "Nog te\nbesteden ’22 en ‘23"),
            Some(Field::Resterend)
        );
        assert_eq!(
            classify(Alliantieprojecten, "Toegekend bedrag"),
            Some(Field::Toegekend)
        );
        assert_eq!(
            classify(Alliantiebudget, "Resterend budget"),
            Some(Field::Resterend)
        );
        assert_eq!(classify(Themas, "Nr."), Some(Field::Nr));
    }
}
