//! The source of `input/werkplan-2022.xlsx`: the tables of the Werkplan 2022 (chapter
//! "Financiën") as the finance department keeps them, with the document's stated totals as
//! printed, errors included. Reviewed against ../shared/spec/REFERENCE-2022.md; the test
//! `input_workbook_is_built_from_this_source` checks the committed workbook against it.

use super::{C, SheetSpec, n, t};

/// `1 Leefbaarheid en bereikbaarheid`, as the sheets refer to themes.
pub const THEMES: [(u32, &str); 7] = [
    (0, "Algemeen"),
    (1, "Leefbaarheid en bereikbaarheid"),
    (2, "Wonen"),
    (3, "Armoede en laaggeletterdheid"),
    (4, "Gezondheid en vitaliteit"),
    (5, "Iedereen doet mee (inclusie)"),
    (6, "Onderwijskwaliteit en gelijke kansen"),
];

fn theme(nr: u32) -> C {
    let name = THEMES
        .iter()
        .find(|(n, _)| *n == nr)
        .map(|(_, name)| *name)
        .unwrap_or("?");
    t(&format!("{nr} {name}"))
}

fn amounts(values: &[f64]) -> Vec<C> {
    values.iter().map(|v| n(*v)).collect()
}

pub fn themas() -> SheetSpec {
    let mut rows = vec![
        vec![t("Thema's van de Sociale Agenda 2020-2023")],
        vec![],
        vec![t("Nr"), t("Thema")],
    ];
    rows.extend(
        THEMES
            .iter()
            .map(|(nr, name)| vec![n(f64::from(*nr)), t(name)]),
    );
    SheetSpec::new("Thema's", rows)
}

/// Reguliere middelen: header in row 5, so the stated 2021 total is cell F31.
pub fn reguliere_middelen() -> SheetSpec {
    let line = |nr: u32, code: &str, text: &str, values: [f64; 4]| {
        let mut row = vec![theme(nr), t(code), t(text), C::E];
        row.extend(amounts(&values));
        row
    };
    let part = |text: &str, values: [f64; 4]| {
        let mut row = vec![theme(0), C::E, t(text), t("c")];
        row.extend(amounts(&values));
        row
    };
    let mut rows = vec![
        vec![t("Sociale Agenda Drenthe: Reguliere middelen (begroting)")],
        vec![t("Werkplan 2022")],
        vec![t(
            "Bedragen in euro's; uitgaven 2020 en 2021 gerealiseerd, 2022 en 2023 begroot",
        )],
        vec![],
        vec![
            t("Thema"),
            t("Code"),
            t("Omschrijving"),
            t("Onderdeel van"),
            t("Uitgaven 2020"),
            t("Uitgaven 2021"),
            t("Budget 2022"),
            t("Budget 2023"),
        ],
    ];
    rows.push(line(
        0,
        "a",
        "Adviescommissie",
        [12_750.0, 10_000.0, 10_000.0, 10_000.0],
    ));
    rows.push(line(
        0,
        "b",
        "Subsidies sociaal econ. ontwikk. en onderst.",
        [606_119.56, 262_805.0, 412_522.0, 202_522.0],
    ));
    rows.push(vec![
        theme(0),
        t("c"),
        t("Subsidiëring instellingen sociaal domein"),
    ]);
    rows.push(part(
        "CMO STAMM",
        [542_467.0, 945_818.0, 972_298.0, 999_522.0],
    ));
    rows.push(part(
        "Zorgbelang Drenthe",
        [162_901.0, 325_996.0, 335_124.0, 344_507.0],
    ));
    rows.push(part(
        "SportDrenthe",
        [38_000.0, 188_731.0, 4_471.0, 9_074.0],
    ));
    rows.push(part("BOKD", [162_741.0, 275_996.0, 283_724.0, 291_668.0]));
    rows.push(part(
        "Stichting Leren & Leven",
        [0.0, 150_000.0, 154_200.0, 158_518.0],
    ));
    let mut total_c = vec![theme(0), C::E, t("Totaal"), t("c")];
    total_c.extend(amounts(&[906_109.0, 1_886_541.0, 1_749_817.0, 1_803_289.0]));
    rows.push(total_c);
    rows.push(line(
        1,
        "a",
        "Motie Frisse Start na Corona",
        [0.0, 674_364.0, 0.0, 0.0],
    ));
    rows.push(line(
        1,
        "b",
        "Motie Frisse Doorstart na Corona",
        [0.0, 0.0, 675_000.0, 0.0],
    ));
    rows.push(line(
        1,
        "c",
        "RUG: leerstoel bevolkingsdaling",
        [0.0, 12_800.0, 12_800.0, 12_800.0],
    ));
    rows.push(line(
        1,
        "d",
        "Subsidie landelijke lobby K6",
        [0.0, 4_000.0, 20_000.0, 20_000.0],
    ));
    rows.push(line(
        1,
        "e",
        "Subsidie Kennis Netwerk Krimp NN",
        [0.0, 35_000.0, 36_500.0, 36_500.0],
    ));
    rows.push(vec![
        theme(2),
        C::E,
        t("Niet van toepassing binnen Sociale Agenda"),
    ]);
    rows.push(line(
        3,
        "a",
        "Bondgenootschap voor een geletterd Drenthe",
        [0.0, 24_000.0, 25_000.0, 25_000.0],
    ));
    rows.push(line(
        4,
        "a",
        "VDG Drents Zorglandschap",
        [0.0, 40_000.0, 40_000.0, 40_000.0],
    ));
    rows.push(line(
        4,
        "b",
        "Netwerk en samenwerking",
        [0.0, 109_700.0, 109_700.0, 109_700.0],
    ));
    rows.push(line(
        5,
        "a",
        "Convenant dementie",
        [0.0, 10_000.0, 10_000.0, 10_000.0],
    ));
    rows.push(line(
        5,
        "b",
        "Regenboogprovincie",
        [0.0, 50_000.0, 50_000.0, 50_000.0],
    ));
    rows.push(line(
        5,
        "c",
        "Toegankelijkheid",
        [0.0, 1_623.0, 10_000.0, 10_000.0],
    ));
    rows.push(line(
        5,
        "d",
        "Vrijwilligersprijs",
        [12_955.0, 21_963.84, 31_000.0, 31_000.0],
    ));
    rows.push(line(
        6,
        "a",
        "Gevolgen krimp signaleren en monitoren",
        [0.0, 25_000.0, 25_000.0, 25_000.0],
    ));
    rows.push(line(
        6,
        "b",
        "Kansen4Kinderen",
        [0.0, 105_000.0, 100_000.0, 0.0],
    ));
    rows.push(line(
        6,
        "c",
        "Zomerprogrammering",
        [0.0, 93_850.0, 0.0, 0.0],
    ));
    // the total as the document prints it: 2021 is 1.000 short of the lines' sum
    let mut total = vec![C::E, C::E, t("Totaal"), C::E];
    total.extend(amounts(&[
        1_537_933.56,
        3_365_646.84,
        3_317_339.0,
        2_385_811.0,
    ]));
    rows.push(total);
    SheetSpec::new("Reguliere middelen", rows)
}

pub const FOOTNOTE_5A: &str = "Indien het geraamd budget niet volledig uitgegeven wordt aan het Drenthe-brede project ‘Versterken provinciale voorbeeldrol en toegankelijkheid’, wordt in overleg het resterende budget alternatief besteed. Deze alternatieve besteding wordt, indien van toepassing, kenbaar gemaakt in de actualisatie.";

pub fn drenthe_brede_projecten() -> SheetSpec {
    let line = |nr: u32, code: &str, text: &str, values: [f64; 5]| {
        let mut row = vec![theme(nr), t(code), t(text)];
        row.extend(amounts(&values));
        row
    };
    let mut rows = vec![
        vec![t("Drenthe-brede projecten (investeringsagenda)")],
        vec![],
        vec![
            t("Thema"),
            t("Code"),
            t("Project"),
            t("Totaal\nbudget"),
            t("Uitgaven\n2020"),
            t("Uitgaven\n2021"),
            t("Verplicht\n’22 en ‘23"),
            t("Nog te\nbesteden\n’22 en ‘23"),
            t("Voetnoot"),
        ],
    ];
    rows.push(line(
        1,
        "a",
        "Burgerparticipatie",
        [550_000.0, 50_000.0, 39_000.0, 461_000.0, 0.0],
    ));
    rows.push(line(
        1,
        "b",
        "Podium Platteland 2.0",
        [110_000.0, 0.0, 0.0, 110_000.0, 0.0],
    ));
    rows.push(line(
        2,
        "a",
        "Bewonersinitiatieven nieuwe woonvormen",
        [1_000_000.0, 7_875.0, 136_427.0, 855_698.0, 0.0],
    ));
    rows.push(line(
        2,
        "b",
        "Levensloop bestendig wonen",
        [200_000.0, 0.0, 80_750.0, 119_250.0, 0.0],
    ));
    rows.push(line(
        3,
        "a",
        "Samen werken met ervaring",
        [250_000.0, 250_000.0, 0.0, 0.0, 0.0],
    ));
    rows.push(line(
        3,
        "b",
        "Onderzoek, monitoring en voorlichting",
        [250_000.0, 20_000.0, 73_568.0, 118_000.0, 38_432.0],
    ));
    rows.push(line(
        4,
        "a",
        "Netwerk en samenwerking",
        [50_000.0, 0.0, 24_035.0, 0.0, 25_965.0],
    ));
    rows.push(line(
        4,
        "b",
        "Onderzoek en kennisdeling",
        [50_000.0, 0.0, 49_000.0, 0.0, 1_000.0],
    ));
    rows.push(vec![
        theme(5),
        t("a"),
        t("Versterken provinciale voorbeeldrol en toegankelijkheid"),
        t("€ 150.000*"),
        n(0.0),
        n(0.0),
        t("€ 150.000*"),
        n(0.0),
        t(FOOTNOTE_5A),
    ]);
    rows.push(line(
        5,
        "b",
        "Ondertiteling regionale TV",
        [50_000.0, 0.0, 0.0, 50_000.0, 0.0],
    ));
    // over-committed by 5.000; the document prints 0 remaining
    rows.push(line(
        6,
        "a",
        "Kansen4Kinderen",
        [500_000.0, 110_000.0, 49_925.0, 345_075.0, 0.0],
    ));
    // the total as printed: 65.397 remaining hides the over-commitment (computed: 60.397)
    let mut total = vec![C::E, C::E, t("Totaal")];
    total.extend(amounts(&[
        3_160_000.0,
        437_875.0,
        452_705.0,
        2_209_023.0,
        65_397.0,
    ]));
    rows.push(total);
    SheetSpec::new("Drenthe-brede projecten", rows)
}

pub fn alliantiebudget() -> SheetSpec {
    let mut rows = vec![
        vec![t("Alliantieprojecten: budget per thema")],
        vec![],
        vec![t("Thema"), t("Totaal budget"), t("Resterend budget")],
    ];
    for (nr, budget, remaining) in [
        (1, 729_811.0, 400_000.0),
        (2, 150_000.0, 150_000.0),
        (3, 667_072.0, 406_907.70),
        (4, 1_020_189.0, 379_250.0),
        (5, 900_000.0, 138_390.0),
        (6, 282_928.0, 200_000.0),
    ] {
        rows.push(vec![theme(nr), n(budget), n(remaining)]);
    }
    rows.push(vec![t("Totaal"), n(3_750_000.0), n(1_674_547.70)]);
    SheetSpec::new("Alliantiebudget", rows)
}

/// (theme, code, project, round, amount, voorbehoud)
pub const AWARDS: [(u32, &str, &str, u32, f64, &str); 32] = [
    (1, "a", "Kwiekstee", 1, 79_695.0, ""),
    (1, "b", "Drenthe Deelt", 2, 16_000.0, ""),
    (1, "c", "Dierenweide als levend Museum", 3, 62_325.0, ""),
    (
        1,
        "d",
        "Groene speeltuinen & ontmoetingsplekken in Dalen",
        3,
        10_000.0,
        "",
    ),
    (1, "e", "Samen spelen in park Dwingeland", 3, 11_791.0, ""),
    (
        1,
        "f",
        "Opzetten zorgketen",
        3,
        150_000.0,
        "ovb voorhangprocedure",
    ),
    (3, "a", "Opzetten vrouwensupportgroep", 1, 16_000.0, ""),
    (3, "b", "Kanskaartenactie Gasselternijveen", 2, 6_500.0, ""),
    (3, "c", "O2", 2, 142_000.0, ""),
    (3, "d", "Slapend blij worden", 3, 27_500.0, ""),
    (3, "e", "Ieder kind een goede fiets", 3, 45_513.30, ""),
    (
        3,
        "f",
        "Uitbreiding van spaarkringprogramma naar provincie Drenthe",
        3,
        22_651.0,
        "",
    ),
    (4, "a", "Scoren voor Gezondheid", 1, 25_000.0, ""),
    (
        4,
        "b",
        "Voorbereiden op de laatste levensfase",
        1,
        61_460.0,
        "",
    ),
    (
        4,
        "c",
        "Kennisplatform Integrale Ouderzorg Drenthe",
        1,
        28_620.0,
        "",
    ),
    (4, "d", "Fitter Brein", 2, 55_000.0, ""),
    (4, "e", "Meters met Diabetes", 2, 105_000.0, ""),
    (4, "f", "Optimaal Leven", 2, 75_000.0, ""),
    (4, "g", "LIVE!", 2, 155_000.0, ""),
    (
        4,
        "h",
        "Dementie op jonge leeftijd en meedoen in de samenleving met invloed op de kwaliteit van leven",
        3,
        135_859.0,
        "",
    ),
    (
        5,
        "a",
        "Vervolgaanpak vrouwelijke statushouders gezinsmigranten",
        1,
        80_000.0,
        "",
    ),
    (
        5,
        "b",
        "Ouderenparticipatie in zorg en welzijn in Drenthe",
        1,
        18_400.0,
        "",
    ),
    (5, "c", "Ontdek- & Ontwikkelplekken", 2, 38_160.0, ""),
    (
        5,
        "d",
        "Begeleiding veteranen depot Nieuw Balinge",
        2,
        216_000.0,
        "",
    ),
    (
        5,
        "e",
        "Project Buurtplaats, ontmoeten, meedoen en samen actief voor een bloeiende buurt!",
        3,
        89_000.0,
        "",
    ),
    (
        5,
        "f",
        "Seksueel geweld roakt heel Drenthe",
        3,
        100_400.0,
        "",
    ),
    (
        5,
        "g",
        "De Droomfabriek",
        3,
        177_000.0,
        "ovb voorhangprocedure",
    ),
    (5, "h", "Project LATER", 3, 14_400.0, ""),
    (
        5,
        "i",
        "Jongeren voor Jongeren – Samen tegen eenzaamheid",
        3,
        28_250.0,
        "",
    ),
    (
        6,
        "a",
        "Leesoffensief op een sleutelmoment in de leesontwikkeling van kinderen",
        2,
        23_805.0,
        "",
    ),
    (6, "b", "Talentkracht De Wolden", 3, 20_750.0, ""),
    (6, "c", "Drents netwerk jonge kind", 3, 38_373.0, ""),
];

pub fn alliantieprojecten() -> SheetSpec {
    let mut rows = vec![
        vec![t("Alliantieprojecten (investeringsagenda): toekenningen")],
        vec![],
        vec![
            t("Thema"),
            t("Code"),
            t("Project"),
            t("Ronde"),
            t("Toegekend"),
            t("Voorbehoud"),
        ],
    ];
    for (nr, code, project, round, amount, voorbehoud) in AWARDS {
        let voorbehoud = if voorbehoud.is_empty() {
            C::E
        } else {
            t(voorbehoud)
        };
        rows.push(vec![
            theme(nr),
            t(code),
            t(project),
            t(&format!("{round}e ronde")),
            n(amount),
            voorbehoud,
        ]);
    }
    // the round totals as the document prints them
    for (round, total) in [(1, 309_175.0), (2, 832_465.0), (3, 933_812.30)] {
        rows.push(vec![
            C::E,
            C::E,
            t("Totaal"),
            t(&format!("{round}e ronde")),
            n(total),
        ]);
    }
    SheetSpec::new("Alliantieprojecten", rows)
}

/// All sheets of the 2022 workbook, in workbook order.
pub fn sheets() -> Vec<SheetSpec> {
    vec![
        themas(),
        reguliere_middelen(),
        drenthe_brede_projecten(),
        alliantiebudget(),
        alliantieprojecten(),
    ]
}
