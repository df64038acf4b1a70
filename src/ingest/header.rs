//! Recognising sheets and columns by their names, the way people write them.
//!
//! Names are compared after [`normalize`]: case, accents, apostrophes, line breaks and runs
//! of white space do not count. Each sheet kind has its fields; a header matches a field by
//! one of its aliases, or by pattern for year columns (`Uitgaven 2021`, `Budget ’22`) and
//! prefix columns (`Verplicht ’22 en ‘23`).

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
        if matches!(ch, '\'' | '’' | '‘' | '`' | '´') {
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

/// The letters of a name only: `Drenthe-brede projecten` and `drenthebrede Projecten` agree.
fn letters(text: &str) -> String {
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

/// The kinds of sheet the pipeline reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SheetKind {
    /// `Thema's`: the themes.
    Themas,
    /// `Reguliere middelen`.
    ReguliereMiddelen,
    /// `Drenthe-brede projecten`.
    DrentheBredeProjecten,
    /// `Alliantiebudget`.
    Alliantiebudget,
    /// `Alliantieprojecten`.
    Alliantieprojecten,
    /// `Boekingen...`: a ledger export (the monthly run; read in a later version).
    Boekingen,
    /// `Verplichtingen...`: a commitments register (the monthly run; read in a later
    /// version).
    Verplichtingen,
}

impl SheetKind {
    /// The five budget sheets, each required exactly once.
    pub const REQUIRED: [SheetKind; 5] = [
        SheetKind::Themas,
        SheetKind::ReguliereMiddelen,
        SheetKind::DrentheBredeProjecten,
        SheetKind::Alliantiebudget,
        SheetKind::Alliantieprojecten,
    ];

    /// The sheet's name as INPUT.md writes it.
    pub fn name(self) -> &'static str {
        match self {
            SheetKind::Themas => "Thema's",
            SheetKind::ReguliereMiddelen => "Reguliere middelen",
            SheetKind::DrentheBredeProjecten => "Drenthe-brede projecten",
            SheetKind::Alliantiebudget => "Alliantiebudget",
            SheetKind::Alliantieprojecten => "Alliantieprojecten",
            SheetKind::Boekingen => "Boekingen",
            SheetKind::Verplichtingen => "Verplichtingen",
        }
    }

    /// Recognises a sheet by its name; `None` for sheets the pipeline ignores.
    pub fn recognise(sheet_name: &str) -> Option<SheetKind> {
        let key = letters(sheet_name);
        let kind = match key.as_str() {
            "themas" | "thema" => SheetKind::Themas,
            "regulieremiddelen" | "regulieremiddelenbegroting" => SheetKind::ReguliereMiddelen,
            "drenthebredeprojecten" | "drenthebredeprojecteninvesteringsagenda" => {
                SheetKind::DrentheBredeProjecten
            }
            "alliantiebudget" | "alliantiebudgetten" => SheetKind::Alliantiebudget,
            "alliantieprojecten" | "alliantieprojecteninvesteringsagenda" => {
                SheetKind::Alliantieprojecten
            }
            _ if key.starts_with("boekingen") => SheetKind::Boekingen,
            _ if key.starts_with("verplichtingen") => SheetKind::Verplichtingen,
            _ => return None,
        };
        Some(kind)
    }

    /// Whether several sheets of this kind may occur (one per month or export).
    pub fn may_repeat(self) -> bool {
        matches!(self, SheetKind::Boekingen | SheetKind::Verplichtingen)
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

/// A year in a header: `2021`, `’21`, `'21` (two digits are 20xx).
fn year(text: &str) -> Option<i32> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, '\'' | '’' | '‘'))
        .collect();
    let digits = digits.trim();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match digits.len() {
        4 => digits.parse().ok().filter(|y| (1900..=2200).contains(y)),
        2 => digits.parse::<i32>().ok().map(|y| 2000 + y),
        _ => None,
    }
}

/// A header `<word> <year>` where word is one of `words`: `Uitgaven 2021`.
fn year_column(normalized: &str, words: &[&str]) -> Option<i32> {
    words.iter().find_map(|w| {
        let rest = normalized.strip_prefix(w)?.trim_start();
        let rest = rest.strip_prefix("in ").unwrap_or(rest);
        year(rest)
    })
}

/// Which field a header is, on a sheet of `kind`; `None` for columns the pipeline ignores.
/// `raw` is the header as written (used for apostrophe years like `’22`).
pub fn classify(kind: SheetKind, raw: &str) -> Option<Field> {
    let h = normalize(raw);
    if h.is_empty() {
        return None;
    }
    let one_of = |aliases: &[&str]| aliases.contains(&h.as_str());
    // apostrophes are dropped by normalize; recover two-digit years from the raw text
    let h_years = normalize(&raw.replace(['\'', '’', '‘'], " "));
    match kind {
        SheetKind::Themas => {
            if one_of(&[
                "nr",
                "nummer",
                "no",
                "thema nr",
                "themanummer",
                "thema nummer",
                "#",
            ]) {
                Some(Field::Nr)
            } else if one_of(&["thema", "naam", "themanaam", "thema naam", "omschrijving"]) {
                Some(Field::Thema)
            } else {
                None
            }
        }
        SheetKind::ReguliereMiddelen | SheetKind::DrentheBredeProjecten => {
            if one_of(&["thema", "thema nr", "themanummer", "thema nummer"]) {
                Some(Field::Thema)
            } else if one_of(&["code", "letter", "regel", "volgletter", "nr", "code regel"]) {
                Some(Field::Code)
            } else if one_of(&[
                "omschrijving",
                "project",
                "projectnaam",
                "project naam",
                "naam",
                "post",
                "omschrijving project",
            ]) || h.starts_with("uitgaven werkplan")
            {
                Some(Field::Omschrijving)
            } else if one_of(&[
                "onderdeel van",
                "deel van",
                "hoort bij",
                "valt onder",
                "onderdeel",
            ]) {
                Some(Field::OnderdeelVan)
            } else if let Some(y) = year_column(
                &h_years,
                &["uitgaven", "realisatie", "uitgegeven", "besteed"],
            ) {
                Some(Field::Amount(ColumnKind::Uitgaven(y)))
            } else if let Some(y) = year_column(&h_years, &["budget", "begroting", "begroot"]) {
                Some(Field::Amount(ColumnKind::Budget(y)))
            } else if kind == SheetKind::DrentheBredeProjecten
                && one_of(&[
                    "totaal budget",
                    "totaalbudget",
                    "budget totaal",
                    "budget",
                    "totale budget",
                ])
            {
                Some(Field::Amount(ColumnKind::TotaalBudget))
            } else if kind == SheetKind::DrentheBredeProjecten && h.starts_with("verplicht") {
                Some(Field::Amount(ColumnKind::Verplicht))
            } else if kind == SheetKind::DrentheBredeProjecten
                && (h.starts_with("nog te besteden") || h.starts_with("resterend"))
            {
                Some(Field::Resterend)
            } else if one_of(&["voetnoot", "voetnoten", "noot"]) {
                Some(Field::Voetnoot)
            } else {
                None
            }
        }
        SheetKind::Alliantiebudget => {
            if one_of(&["thema", "thema nr", "themanummer"]) {
                Some(Field::Thema)
            } else if one_of(&[
                "totaal budget",
                "totaalbudget",
                "budget",
                "budget totaal",
                "totale budget",
                "alliantiebudget",
            ]) {
                Some(Field::Amount(ColumnKind::TotaalBudget))
            } else if h.starts_with("resterend") || h.starts_with("nog te besteden") {
                Some(Field::Resterend)
            } else {
                None
            }
        }
        SheetKind::Alliantieprojecten => {
            if one_of(&["thema", "thema nr", "themanummer"]) {
                Some(Field::Thema)
            } else if one_of(&["code", "letter", "volgletter", "nr"]) {
                Some(Field::Code)
            } else if one_of(&[
                "project",
                "projectnaam",
                "project naam",
                "omschrijving",
                "naam",
            ]) {
                Some(Field::Omschrijving)
            } else if one_of(&[
                "ronde",
                "aanvraagronde",
                "uitvraagronde",
                "tranche",
                "ronde nr",
            ]) {
                Some(Field::Ronde)
            } else if one_of(&[
                "toegekend",
                "toegekend bedrag",
                "bedrag",
                "toekenning",
                "subsidie",
                "toegekende subsidie",
                "bedrag toegekend",
            ]) {
                Some(Field::Toegekend)
            } else if one_of(&["voorbehoud", "onder voorbehoud", "ovb"]) {
                Some(Field::Voorbehoud)
            } else {
                None
            }
        }
        SheetKind::Boekingen | SheetKind::Verplichtingen => None,
    }
}

/// The fields a sheet of `kind` must have; amount columns are checked separately.
pub fn required(kind: SheetKind) -> &'static [Field] {
    match kind {
        SheetKind::Themas => &[Field::Nr, Field::Thema],
        SheetKind::ReguliereMiddelen => &[Field::Thema, Field::Code, Field::Omschrijving],
        SheetKind::DrentheBredeProjecten => &[
            Field::Thema,
            Field::Code,
            Field::Omschrijving,
            Field::Amount(ColumnKind::TotaalBudget),
            Field::Amount(ColumnKind::Verplicht),
        ],
        SheetKind::Alliantiebudget => &[Field::Thema, Field::Amount(ColumnKind::TotaalBudget)],
        SheetKind::Alliantieprojecten => &[
            Field::Thema,
            Field::Code,
            Field::Omschrijving,
            Field::Ronde,
            Field::Toegekend,
        ],
        SheetKind::Boekingen | SheetKind::Verplichtingen => &[],
    }
}

/// Whether a sheet of `kind` needs at least one year amount column (`Uitgaven JJJJ`).
pub fn needs_year_column(kind: SheetKind) -> bool {
    matches!(
        kind,
        SheetKind::ReguliereMiddelen | SheetKind::DrentheBredeProjecten
    )
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
